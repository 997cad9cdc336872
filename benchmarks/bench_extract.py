"""Speed and accuracy of `quotetrail extract` beside its peers, on the same articles, in one run.

    make bench                                    # the set-up, then this script
    .venv/bin/python benchmarks/bench_extract.py [--runs 3] [--scale 10] [--no-large] [--also [NAME=]BIN]

Contenders, each a fresh subprocess so that its CPU time, wall time and peak RSS are its own:
quotetrail in one process (`-j 1`), quotetrail with two workers (`-j 2`), textacy 0.13.0
`textacy.extract.triples.direct_quotations` with the same spaCy pipeline
(`benchmarks/.venv-textacy`), and GenderGapTracker's English quote extractor and speaker step on
spaCy 2.3.9 with en_core_web_sm 2.2.5 (`benchmarks/.venv-ggt`, its code from a checkout named by
GGT_SRC or ../GenderGapTracker); a peer whose environment is absent is left out with a message.
`--also BIN` adds `BIN -j 1`, another installation's `quotetrail` (another spaCy, say), named by its
spaCy version or by NAME (`--also before=/path/to/bin/quotetrail`: the code before a change).
Rounds are interleaved (every contender once per round, the order rotating) so that the load of a
noisy machine falls on all of them; every pair's CPU and wall ratios are taken within a round,
and medians reported.

Corpus: PolNeAR dev (`../shared/data/polnear/dev.jsonl`) when present, else a synthetic corpus of
the project's own example articles. Accuracy next to speed: `quotetrail eval --pred` on each
contender's own output, on PolNeAR dev (quotetrail under PolNeAR's conventions, as `make eval`)
and on realworld2 (`../shared/data/realworld2/gold.jsonl`, one more run each, quotetrail under
its default conventions). Model load: the same command on a one-sentence input (interpreter
start-up, imports and model load); articles/s and words/s count the time after it (wall − load).
Peak RSS is `ru_maxrss` of the contender's process tree (`os.wait4`): the largest single
process, so for `-j 2` the main process or a worker. The large run repeats the corpus `--scale`
times, each copy with words of its own (so the vocabulary grows as on a real corpus), to show
that memory per process does not grow with the corpus.

Prints the tables and writes everything to `benchmarks/results/extract-<timestamp>.json`.
"""
from __future__ import annotations

import argparse
import itertools
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
DATA = ROOT.parent / "shared" / "data"
POLNEAR = DATA / "polnear" / "dev.jsonl"
REALWORLD2 = DATA / "realworld2" / "gold.jsonl"
EXAMPLES = ROOT / "examples" / "articles"
QUOTETRAIL = ROOT / ".venv" / "bin" / "quotetrail"
TEXTACY_PY = ROOT / "benchmarks" / ".venv-textacy" / "bin" / "python"
TEXTACY_RUNNER = ROOT / "benchmarks" / "textacy_quotes.py"
GGT_PY = ROOT / "benchmarks" / ".venv-ggt" / "bin" / "python"
GGT_RUNNER = ROOT / "benchmarks" / "ggt_quotes.py"
GGT_SRC = Path(os.environ.get("GGT_SRC") or ROOT.parent / "GenderGapTracker")
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
    stdout_is_output: bool   # quotetrail writes JSONL to stdout; the peers' runners to a file
    conventions: bool = False  # takes `--conventions` (quotetrail)

    def command(self, corpus: Path, out: Path, conventions: str) -> list[str]:
        argv = [a.format(corpus=corpus, out=out) for a in self.argv]
        return argv + ["--conventions", conventions] if self.conventions else argv


def spacy_version(quotetrail: Path) -> str:
    """The spaCy version of the environment a `quotetrail` script runs in."""
    python = quotetrail.parent / "python"
    done = subprocess.run([str(python), "-c", "import spacy; print(spacy.__version__)"],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def also_script(spec: str) -> tuple[str | None, Path]:
    """`[NAME=]BIN` of `--also`: the contender's name, if given, and the script."""
    name, _, script = spec.rpartition("=")
    return name or None, Path(script)


def contenders(quotetrail: Path, also: list[tuple[str | None, Path]]) -> list[Contender]:
    """The peers whose environments exist, then quotetrail -j 1, -j 2 and each `--also` -j 1."""
    def qt(name: str, script: Path, jobs: str) -> Contender:
        return Contender(name, [str(script), "extract", "--input", "{corpus}", "--format", "jsonl", "-j", jobs],
                         True, conventions=True)

    found = []
    for name, python, runner, ready in (("textacy", TEXTACY_PY, TEXTACY_RUNNER, TEXTACY_PY.exists()),
                                        ("GGT", GGT_PY, GGT_RUNNER, GGT_PY.exists() and GGT_SRC.is_dir())):
        if ready:
            found.append(Contender(name, [str(python), str(runner), "{corpus}", "{out}", "{out}.summary"], False))
        else:
            console.print(f"[yellow]{name} left out: {python if not python.exists() else GGT_SRC} not found "
                          "(`make bench` makes the environments; GGT also needs a checkout, GGT_SRC)[/]")
    found += [qt("quotetrail -j 1", quotetrail, "1"), qt("quotetrail -j 2", quotetrail, "2")]
    found += [qt(f"quotetrail -j 1 {name or 'spaCy ' + spacy_version(script)}", script, "1") for name, script in also]
    return found


def run(contender: Contender, corpus: Path, out: Path, conventions: str = "polnear") -> Run:
    """Run one contender on one corpus in a fresh process; wall time and its tree's peak RSS."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    with open(out if contender.stdout_is_output else os.devnull, "wb") as stdout, \
            tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(contender.command(corpus, out, conventions), stdout=stdout, stderr=stderr, env=env)
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


def read_texts(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [{"id": r["id"], "text": r["text"]} for r in map(json.loads, fh)]


def read_corpus() -> tuple[list[dict], str, Path | None]:
    """(records, description, gold file or None)."""
    if POLNEAR.exists():
        return read_texts(POLNEAR), f"PolNeAR dev ({POLNEAR})", POLNEAR
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


def accuracy(quotetrail: Path, gold: Path | None, pred: str) -> dict | None:
    """`quotetrail eval` of a contender's output: quote F1, attributed F1 and speaker accuracy, in percent."""
    if gold is None:
        return None
    done = subprocess.run([str(quotetrail), "eval", str(gold), "--pred", pred, "--json"],
                          capture_output=True, text=True, check=True)
    scores = json.loads(done.stdout)
    speaker = scores["speaker_accuracy"]
    return {"quote_f1": round(100 * scores["quote"]["f1"], 1),
            "attributed_f1": round(100 * scores["attributed"]["f1"], 1),
            "speaker_accuracy": None if speaker is None else round(100 * speaker, 1)}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarise(name: str, runs: list[Run], loads: list[Run], n: int, words: int) -> dict:
    load = median([r.wall for r in loads])
    rates = [n / max(r.wall - load, 1e-6) for r in runs]
    return {
        "contender": name, "runs": len(runs), "wall_s": median([r.wall for r in runs]), "load_s": load,
        "cpu_s": median([r.cpu for r in runs]), "load_cpu_s": median([r.cpu for r in loads]),
        "articles_per_s": median(rates), "words_per_s": median([rate * words / n for rate in rates]),
        "peak_rss_mb": median([r.peak_rss_mb for r in runs]), "load_rss_mb": median([r.peak_rss_mb for r in loads]),
        "skipped_or_crashed": max(r.skipped for r in runs),
    }


def pair_ratios(rounds: list[dict[str, Run]], names: list[str]) -> list[dict]:
    """For every pair (a, b): how many times faster a is than b, whole process, CPU and wall,
    each the median over rounds of b / a within one round."""
    pairs = []
    for a, b in itertools.combinations(names, 2):
        both = [r for r in rounds if a in r and b in r]
        pairs.append({"a": a, "b": b,
                      "cpu": round(median([r[b].cpu / max(r[a].cpu, 1e-6) for r in both]), 2),
                      "wall": round(median([r[b].wall / max(r[a].wall, 1e-6) for r in both]), 2),
                      "cpu_rounds": [round(r[b].cpu / max(r[a].cpu, 1e-6), 2) for r in both]})
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of every contender [3]")
    parser.add_argument("--scale", type=int, default=10, help="size of the large corpus, in copies [10]")
    parser.add_argument("--no-large", action="store_true", help="skip the large-corpus memory run")
    parser.add_argument("--quotetrail", type=Path, default=QUOTETRAIL, help=f"the quotetrail script [{QUOTETRAIL}]")
    parser.add_argument("--also", type=also_script, action="append", default=[], metavar="[NAME=]BIN",
                        help="another installation's quotetrail script, run with -j 1 as one more contender")
    args = parser.parse_args()
    for script in [args.quotetrail, *(script for _, script in args.also)]:
        if not script.exists():
            sys.exit(f"bench: {script} not found; run `make bench` (it sets up .venv)")
    load_before = os.getloadavg()
    records, described, gold = read_corpus()
    n, words = len(records), sum(len(r["text"].split()) for r in records)
    cons = contenders(args.quotetrail, args.also)
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
        rows = []
        for c in cons:
            row = summarise(c.name, [r[c.name] for r in rounds], load_runs[c.name], n, words)
            row["polnear"] = accuracy(args.quotetrail, gold, rounds[-1][c.name].out)
            rows.append(row)
        if REALWORLD2.exists():
            rw2 = write_jsonl(read_texts(REALWORLD2), tmpdir / "realworld2.jsonl")
            for c, row in zip(cons, rows, strict=True):
                console.print(f"realworld2: {c.name}")
                r = run(c, rw2, tmpdir / f"rw2-{c.name.replace(' ', '_')}.jsonl", conventions="news")
                row["realworld2"] = {**accuracy(args.quotetrail, REALWORLD2, r.out), "cpu_s": r.cpu, "wall_s": r.wall}
        large = []
        if not args.no_large:
            big = write_jsonl(scaled(records, args.scale), tmpdir / "large.jsonl")
            for c in cons:
                if not c.conventions:
                    continue  # quotetrail only: the claim is about its memory
                console.print(f"large corpus ({args.scale}× = {n * args.scale} articles): {c.name}")
                r = run(c, big, tmpdir / f"large-{c.name.replace(' ', '_')}.jsonl")
                load = median([x.wall for x in load_runs[c.name]])
                large.append({"contender": c.name, "articles": n * args.scale, "wall_s": r.wall, "cpu_s": r.cpu,
                              "articles_per_s": n * args.scale / max(r.wall - load, 1e-6),
                              "peak_rss_mb": r.peak_rss_mb, "skipped": r.skipped})
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "corpus": described, "articles": n, "words": words,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load_before,
                    "load_average_at_end": os.getloadavg(), "python": platform.python_version(),
                    "platform": platform.platform(), "spacy": spacy_version(args.quotetrail)},
        "summary": rows, "pairs": pair_ratios(rounds, [c.name for c in cons]), "large": large,
        "runs": [asdict(r) for rnd in rounds for r in rnd.values()],
        "load_runs": [asdict(r) for rs in load_runs.values() for r in rs],
    }
    render(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"extract-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    console.print(f"written {path.relative_to(ROOT)}")


def percent(scores: dict | None, key: str) -> str:
    return "–" if not scores or scores[key] is None else f"{scores[key]:.1f}"


def render(report: dict) -> None:
    speed = Table(title=f"extract on {report['corpus']}: {report['articles']} articles, {report['words']:,} words; "
                        f"medians of {report['summary'][0]['runs']} interleaved runs; whole process")
    for col in ("contender", "CPU s", "wall s", "load CPU s", "articles/s", "words/s", "peak RSS MB", "crashed"):
        speed.add_column(col, justify="left" if col == "contender" else "right")
    accuracy = Table(title="accuracy of the same outputs (quotetrail eval), and realworld2 (one run each)")
    for col in ("contender", "PolNeAR quote F1", "attributed F1", "speaker %",
                "realworld2 quote F1", "attributed F1", "speaker %", "CPU s"):
        accuracy.add_column(col, justify="left" if col == "contender" else "right")
    for row in report["summary"]:
        pol, rw2 = row["polnear"], row.get("realworld2")
        speed.add_row(row["contender"], f"{row['cpu_s']:.1f}", f"{row['wall_s']:.1f}", f"{row['load_cpu_s']:.1f}",
                      f"{row['articles_per_s']:.1f}", f"{row['words_per_s']:,.0f}", f"{row['peak_rss_mb']:.0f}",
                      f"{row['skipped_or_crashed']} of {report['articles']}")
        accuracy.add_row(row["contender"], percent(pol, "quote_f1"), percent(pol, "attributed_f1"),
                         percent(pol, "speaker_accuracy"), percent(rw2, "quote_f1"), percent(rw2, "attributed_f1"),
                         percent(rw2, "speaker_accuracy"), "–" if not rw2 else f"{rw2['cpu_s']:.1f}")
    console.print(speed)
    console.print(accuracy)
    pairs = Table(title="pair by pair: how many times faster the first is (median of the ratios within a round)")
    for col in ("first", "second", "CPU ×", "wall ×", "CPU × by round"):
        pairs.add_column(col, justify="left" if col in ("first", "second") else "right")
    for pair in report["pairs"]:
        pairs.add_row(pair["a"], pair["b"], f"{pair['cpu']:.2f}", f"{pair['wall']:.2f}",
                      ", ".join(f"{x:.2f}" for x in pair["cpu_rounds"]))
    console.print(pairs)
    machine = report["machine"]
    console.print(f"{machine['cpus']} CPUs; quotetrail on spaCy {machine['spacy']}; 1-minute load average "
                  f"{machine['load_average_at_start'][0]:.1f} at the start, {machine['load_average_at_end'][0]:.1f} "
                  "at the end (other work on the machine slows the wall times; CPU seconds are the stable figure)")
    for row in report["large"]:
        small = next(r for r in report["summary"] if r["contender"] == row["contender"])
        verdict = "ok" if row["peak_rss_mb"] <= RSS_LIMIT_MB else f"over {RSS_LIMIT_MB} MB"
        console.print(f"large corpus, {row['contender']}: {row['articles']} articles at {row['articles_per_s']:.1f}/s, "
                      f"peak RSS per process {row['peak_rss_mb']:.0f} MB (1×: {small['peak_rss_mb']:.0f} MB) {verdict}")


if __name__ == "__main__":
    main()
