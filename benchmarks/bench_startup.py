"""How long the commands take to start: `--version`, `--help`, `stats`, `search` on a small database,
and `extract` of one sentence (imports and model load).

Each command is a fresh process, run `--runs` times in interleaved order; medians of wall and CPU
seconds (user + system of the child) are printed beside `python -c pass` (the interpreter's own
start-up, measured in the same run) and `python -c "import spacy"` (what a command that loads
spaCy pays before doing anything). The database is the example corpus, ingested once at the start.
The targets of the project: `--version` under 0.5 s, `stats` under 1 s (issue 11), `extract`'s
imports and model load under 1.5 s of CPU (issue 18).

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--also [NAME=]BIN]

`--also` times another installation's `extract` of the same sentence in the same rounds (the code
before a change, say) and prints the CPU ratio of each round's pair, median.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_extract import also_script

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "quotetrail")


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--also", type=also_script, action="append", default=[], metavar="[NAME=]BIN",
                        help="another installation's quotetrail script: its extract of one sentence is timed too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "demo.db")
        sentence = Path(scratch) / "one.jsonl"
        sentence.write_text(json.dumps({"id": "one", "text": "“It is ready,” she said."}) + "\n", encoding="utf-8")
        subprocess.run([CLI, "ingest", str(ROOT / "examples" / "articles"), "--db", db], check=True,
                       stderr=subprocess.DEVNULL)
        contenders = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import spacy'": [sys.executable, "-c", "import spacy"],
            "quotetrail --version": [CLI, "--version"],
            "quotetrail --help": [CLI, "--help"],
            "quotetrail stats": [CLI, "stats", "--db", db, "--format", "json"],
            "quotetrail search money": [CLI, "search", "money", "--db", db, "--format", "jsonl"],
            "quotetrail extract (1 sentence)": [CLI, "extract", "--input", str(sentence), "-j", "1"],
        }
        for name, script in args.also:
            contenders[f"{name or script} extract (1 sentence)"] = [str(script), "extract", "--input", str(sentence),
                                                                    "-j", "1"]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
        for run in range(args.runs):
            names = list(contenders)
            for name in names[run % len(names):] + names[:run % len(names)]:  # the order rotates
                times[name].append(timed(contenders[name]))
    print(f"{'command':<32} {'wall s':>8} {'CPU s':>8}   (medians of {args.runs}; load average "
          f"{os.getloadavg()[0]:.1f})")
    results = {}
    for name, runs in times.items():
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        results[name] = {"wall": wall, "cpu": cpu, "runs": runs}
        print(f"{name:<32} {wall:>8.3f} {cpu:>8.3f}")
    ours = times["quotetrail extract (1 sentence)"]
    for name, script in args.also:
        theirs = times[f"{name or script} extract (1 sentence)"]
        ratio = statistics.median(t[1] / o[1] for o, t in zip(ours, theirs, strict=True))
        print(f"extract (1 sentence): {ratio:.2f}x less CPU than {name or script} (median of the rounds' ratios)")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"startup-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
