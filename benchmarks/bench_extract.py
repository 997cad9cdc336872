"""Speed and memory of `quotetrail extract` beside textacy's `direct_quotations`, on the same articles.

    make bench                                    # the set-up, then this script
    .venv/bin/python benchmarks/bench_extract.py [--runs 3] [--scale 10] [--no-large]

Contenders, each a fresh subprocess so that its wall time and peak RSS are its own:
quotetrail in one process (`-j 1`), quotetrail with two workers (`-j 2`), and
textacy 0.13.0 `textacy.extract.triples.direct_quotations` with the same spaCy
pipeline (`benchmarks/.venv-textacy`, skipped with a message when absent). Rounds are
interleaved (every contender once per round, the order rotating) so that the load
of a noisy machine falls on all of them; ratios against textacy are taken pair by
pair within a round, and medians reported.

Corpus: PolNeAR dev (`../shared/data/polnear/dev.jsonl`) when present, else a
synthetic corpus of the project's own example articles. Model load: the same
command on a one-sentence input (interpreter start-up, imports and model load);
articles/s and words/s count the time after it (wall − load). Peak RSS is
`ru_maxrss` of the contender's process tree (`os.wait4`): the largest single
process, so for `-j 2` the main process or a worker. The large run repeats the
corpus `--scale` times, each copy with words of its own (so the vocabulary grows
as on a real corpus), to show that memory per process does not grow with the corpus.

Prints a table and writes everything to `benchmarks/results/extract-<timestamp>.json`.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
EXAMPLES = ROOT / "examples" / "articles"
QUOTETRAIL = ROOT / ".venv" / "bin" / "quotetrail"
TEXTACY_PY = ROOT / "benchmarks" / ".venv-textacy" / "bin" / "python"
TEXTACY_RUNNER = ROOT / "benchmarks" / "textacy_quotes.py"
RESULTS = ROOT / "benchmarks" / "results"
RSS_LIMIT_MB = 400
console = Console()
if not console.is_terminal:
    console = Console(width=130)  # the whole table in a pipe or a log


@dataclass
class Run:
    """One subprocess: what it took and what it said."""

    contender: str
    corpus: str
    wall: float
    cpu: float  # user + system seconds of the process tree: less swayed by other load than wall time
    peak_rss_mb: float
    returncode: int
    skipped: int  # articles the contender skipped or crashed on
    out: str = ""


@dataclass
class Contender:
    name: str
    argv: list[str]          # with {corpus} and {out} placeholders
    stdout_is_output: bool   # quotetrail writes JSONL to stdout; the textacy runner to a file

    def command(self, corpus: Path, out: Path) -> list[str]:
        return [a.format(corpus=corpus, out=out) for a in self.argv]


def contenders(with_textacy: bool) -> list[Contender]:
    # PolNeAR's own conventions, as `make eval` scores it (textacy has no such switch)
    qt = [str(QUOTETRAIL), "extract", "--input", "{corpus}", "--format", "jsonl", "--conventions", "polnear", "-j"]
    found = [Contender("quotetrail -j 1", qt + ["1"], True), Contender("quotetrail -j 2", qt + ["2"], True)]
    if with_textacy:
        found.insert(0, Contender("textacy", [str(TEXTACY_PY), str(TEXTACY_RUNNER), "{corpus}", "{out}",
                                              "{out}.summary"], False))
    return found


def run(contender: Contender, corpus: Path, out: Path) -> Run:
    """Run one contender on one corpus in a fresh process; wall time and its tree's peak RSS."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    with open(out if contender.stdout_is_output else os.devnull, "wb") as stdout, \
            tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(contender.command(corpus, out), stdout=stdout, stderr=stderr, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    if contender.stdout_is_output:
        skipped = sum(line.startswith("quotetrail: skipped") for line in errors.splitlines())
    else:
        summary = Path(f"{out}.summary")
        skipped = json.loads(summary.read_text())["crashed"] if summary.exists() else -1
    if proc.returncode not in (0, 1):
        console.print(f"[red]{contender.name} exited with {proc.returncode}:[/] {errors.strip()[-500:]}")
    return Run(contender.name, corpus.name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               proc.returncode, skipped, str(out))


def read_corpus() -> tuple[list[dict], str, Path | None]:
    """(records, description, gold file or None)."""
    if POLNEAR.exists():
        with open(POLNEAR, encoding="utf-8", newline="") as fh:
            records = [{"id": r["id"], "text": r["text"]} for r in map(json.loads, fh)]
        return records, f"PolNeAR dev ({POLNEAR})", POLNEAR
    console.print(f"[yellow]{POLNEAR} not found: using a synthetic corpus of examples/articles (no accuracy)[/]")
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.txt"))]
    records = [{"id": f"{name}#{k}", "text": text} for k in range(10) for name, text in texts]
    return records, f"synthetic: {len(texts)} example articles × 10", None


def scaled(records: list[dict], scale: int) -> list[dict]:
    """`scale` copies of the corpus; each copy ends with a line of words of its own."""
    rng = random.Random(6)
    letters = "bcdfghjklmnpqrstvwxz"
    out = []
    for k in range(scale):
        for r in records:
            words = " ".join("".join(rng.choice(letters) for _ in range(7)).capitalize() for _ in range(30))
            out.append({"id": f"{r['id']}#{k}", "text": f"{r['text']}\n\nIndex terms {words}.\n"})
    return out


def write_jsonl(records: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def quote_f1(gold: Path | None, pred: str) -> float | None:
    """`quotetrail eval` quote F1 of a contender's output, in percent."""
    if gold is None:
        return None
    done = subprocess.run([str(QUOTETRAIL), "eval", str(gold), "--pred", pred, "--json"],
                          capture_output=True, text=True, check=True)
    return round(100 * json.loads(done.stdout)["quote"]["f1"], 1)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarise(name: str, runs: list[Run], loads: list[Run], n: int, words: int) -> dict:
    load = median([r.wall for r in loads])
    rates = [n / max(r.wall - load, 1e-6) for r in runs]
    return {
        "contender": name, "runs": len(runs), "wall_s": median([r.wall for r in runs]), "load_s": load,
        "cpu_s": median([r.cpu for r in runs]),
        "articles_per_s": median(rates), "words_per_s": median([rate * words / n for rate in rates]),
        "peak_rss_mb": median([r.peak_rss_mb for r in runs]), "load_rss_mb": median([r.peak_rss_mb for r in loads]),
        "skipped_or_crashed": max(r.skipped for r in runs),
    }


def paired_ratios(rounds: list[dict[str, Run]], loads: dict[str, float], a: str, b: str) -> float | None:
    """Median over rounds of (articles/s of a) / (articles/s of b), both from the same round."""
    ratios = [(r[b].wall - loads[b]) / max(r[a].wall - loads[a], 1e-6) for r in rounds if a in r and b in r]
    return round(median(ratios), 2) if ratios else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of every contender [3]")
    parser.add_argument("--scale", type=int, default=10, help="size of the large corpus, in copies [10]")
    parser.add_argument("--no-large", action="store_true", help="skip the large-corpus memory run")
    args = parser.parse_args()
    if not QUOTETRAIL.exists():
        sys.exit(f"bench: {QUOTETRAIL} not found; run `make bench` (it sets up .venv)")
    with_textacy = TEXTACY_PY.exists()
    if not with_textacy:
        console.print(f"[yellow]{TEXTACY_PY} not found: textacy left out (`make bench` installs it)[/]")
    load_before = os.getloadavg()
    records, described, gold = read_corpus()
    n, words = len(records), sum(len(r["text"].split()) for r in records)
    cons = contenders(with_textacy)
    with tempfile.TemporaryDirectory(prefix="qt-bench-") as tmp:
        tmpdir = Path(tmp)
        corpus = write_jsonl(records, tmpdir / "corpus.jsonl")
        tiny = write_jsonl([{"id": "load", "text": "“It is ready,” she said."}], tmpdir / "load.jsonl")
        rounds: list[dict[str, Run]] = []
        load_runs: dict[str, list[Run]] = {c.name: [] for c in cons}
        for k in range(args.runs):
            order = cons[k % len(cons):] + cons[:k % len(cons)]
            console.print(f"round {k + 1}/{args.runs}: " + ", ".join(c.name for c in order))
            this: dict[str, Run] = {}
            for c in order:
                load_runs[c.name].append(run(c, tiny, tmpdir / f"load-{k}.out"))
                this[c.name] = run(c, corpus, tmpdir / f"{c.name.replace(' ', '_')}-{k}.jsonl")
            rounds.append(this)
        loads = {name: median([r.wall for r in rs]) for name, rs in load_runs.items()}
        rows = []
        for c in cons:
            row = summarise(c.name, [r[c.name] for r in rounds], load_runs[c.name], n, words)
            row["quote_f1"] = quote_f1(gold, rounds[-1][c.name].out)
            row["vs_textacy"] = paired_ratios(rounds, loads, c.name, "textacy") if with_textacy else None
            rows.append(row)
        speedup = paired_ratios(rounds, loads, "quotetrail -j 2", "quotetrail -j 1")
        large = []
        if not args.no_large:
            big = write_jsonl(scaled(records, args.scale), tmpdir / "large.jsonl")
            for c in cons[-2:]:  # quotetrail only: the claim is about its memory
                console.print(f"large corpus ({args.scale}× = {n * args.scale} articles): {c.name}")
                r = run(c, big, tmpdir / f"large-{c.name.replace(' ', '_')}.jsonl")
                large.append({"contender": c.name, "articles": n * args.scale, "wall_s": r.wall,
                              "articles_per_s": n * args.scale / max(r.wall - loads[c.name], 1e-6),
                              "peak_rss_mb": r.peak_rss_mb, "skipped": r.skipped})
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "corpus": described, "articles": n, "words": words,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load_before,
                    "load_average_at_end": os.getloadavg(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "summary": rows, "speedup_j2_vs_j1": speedup, "large": large,
        "runs": [asdict(r) for rnd in rounds for r in rnd.values()],
        "load_runs": [asdict(r) for rs in load_runs.values() for r in rs],
    }
    render(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"extract-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    console.print(f"written {path.relative_to(ROOT)}")


def render(report: dict) -> None:
    table = Table(title=f"extract on {report['corpus']}: {report['articles']} articles, {report['words']:,} words; "
                        f"medians of {report['summary'][0]['runs']} interleaved runs")
    for col in ("contender", "articles/s", "words/s", "× textacy", "wall s", "CPU s", "model load s", "peak RSS MB",
                "quote F1", "crashed/skipped"):
        table.add_column(col, justify="left" if col == "contender" else "right")
    for row in report["summary"]:
        table.add_row(row["contender"], f"{row['articles_per_s']:.1f}", f"{row['words_per_s']:,.0f}",
                      "–" if row["vs_textacy"] is None else f"{row['vs_textacy']:.2f}", f"{row['wall_s']:.1f}",
                      f"{row['cpu_s']:.1f}",
                      f"{row['load_s']:.1f}", f"{row['peak_rss_mb']:.0f}",
                      "–" if row["quote_f1"] is None else f"{row['quote_f1']:.1f}",
                      f"{row['skipped_or_crashed']} of {report['articles']}")
    console.print(table)
    machine = report["machine"]
    console.print(f"{machine['cpus']} CPUs; 1-minute load average {machine['load_average_at_start'][0]:.1f} "
                  f"at the start, {machine['load_average_at_end'][0]:.1f} at the end "
                  "(other work on the machine slows the wall times)")
    if report["speedup_j2_vs_j1"]:
        console.print(f"quotetrail -j 2 vs -j 1: {report['speedup_j2_vs_j1']:.2f}× (paired medians)")
    for row in report["large"]:
        small = next(r for r in report["summary"] if r["contender"] == row["contender"])
        verdict = "ok" if row["peak_rss_mb"] <= RSS_LIMIT_MB else f"over {RSS_LIMIT_MB} MB"
        console.print(f"large corpus, {row['contender']}: {row['articles']} articles at {row['articles_per_s']:.1f}/s, "
                      f"peak RSS per process {row['peak_rss_mb']:.0f} MB (1×: {small['peak_rss_mb']:.0f} MB) {verdict}")


if __name__ == "__main__":
    main()
