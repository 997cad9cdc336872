"""Extraction fuzzing at full size (issue 17, point 5): 10,000 generated hostile texts through the engine.

Run as ``.venv/bin/python benchmarks/fuzz_extract.py [--texts 10000] [--seed 17] [--long 3000]``.
The texts come from ``tests/hostile_texts.py`` (the suite runs 400 of them in
``tests/test_extract_fuzz.py``): marks soup, lone surrogates and control characters, news with junk
spliced in, unbalanced and nested quotation marks, transcript labels, long words, long sentences full
of reporting frames (up to ``--long`` characters), odd white space and repetitions. Each text goes
through ``extract_quotes_batch`` alone and is timed (CPU seconds), and every result is checked
(``hostile_texts.problems``: offsets inside the text and in order, the quote's text its spans' text,
confidence in [0, 1]). Printed: texts and characters per family, exceptions, problems, the slowest
text and the largest time per character; everything goes to ``benchmarks/results/fuzz-<timestamp>.json``.
The exit code is 1 when any text raised or broke a check.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_texts import hostile_texts, problems  # noqa: E402
from quotetrail import extract_quotes_batch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--long", type=int, default=3_000, help="the length bound of the long families")
    args = parser.parse_args()
    extract_quotes_batch(["Warm up, he said."])
    families: dict[str, dict] = defaultdict(lambda: {"texts": 0, "chars": 0, "cpu_s": 0.0, "quotes": 0})
    failures, slowest, worst_rate = [], (0.0, "", 0), (0.0, "", 0)
    for n, (family, text) in enumerate(hostile_texts(args.texts, args.seed, args.long), start=1):
        start = time.process_time()
        (found,) = extract_quotes_batch([text])
        cpu = time.process_time() - start
        row = families[family]
        row["texts"] += 1
        row["chars"] += len(text)
        row["cpu_s"] += cpu
        wrong = [repr(found)] if isinstance(found, Exception) else problems(text, found)
        row["quotes"] += 0 if isinstance(found, Exception) else len(found)
        if wrong:
            failures.append({"n": n, "family": family, "text": text[:200], "problems": wrong[:3]})
        slowest = max(slowest, (cpu, family, len(text)))
        if len(text) >= 1_000:
            worst_rate = max(worst_rate, (cpu / len(text), family, len(text)))
        if n % 1_000 == 0:
            print(f"{n:,} texts, {len(failures)} failing", flush=True)
    for family, row in sorted(families.items()):
        print(f"{family:<14} {row['texts']:>6,} texts {row['chars']:>11,} chars {row['cpu_s']:>8.1f} CPU s "
              f"{row['quotes']:>7,} quotes")
    print(f"failing texts: {len(failures)}; slowest: {slowest[0]:.2f} s ({slowest[1]}, {slowest[2]:,} chars); "
          f"largest time per character (texts of 1,000+): {worst_rate[0] * 1e6:.0f} µs ({worst_rate[1]}, "
          f"{worst_rate[2]:,} chars)")
    for failure in failures[:10]:
        print(" ", failure)
    out = ROOT / "benchmarks" / "results" / f"fuzz-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "families": families, "failures": failures,
                               "slowest": slowest, "worst_rate": worst_rate}, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
