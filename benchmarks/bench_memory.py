"""Memory bounded by design (issue 17, point 6): one huge article, and `ingest` as the corpus grows.

Run as ``.venv/bin/python benchmarks/bench_memory.py [--big-mb 20] [--articles 1000 10000] [--jobs 2]``
(``--big-mb 0`` or ``--articles`` with no number skips a part).

1. **One huge article**: a single JSONL record of ``--big-mb`` million characters (the example
   articles, numbers redrawn, joined by blank lines; with ``--news-share S`` only that share of each
   million is news and the rest plain filler that the engine skips unparsed, to run in minutes),
   through ``quotetrail extract --input FILE -j J`` and ``quotetrail ingest --input FILE -j J``, each a
   fresh child process.
2. **A growing corpus**: ``quotetrail ingest --input FILE -j J`` on N synthetic articles
   (``bench_store.write_corpus``) for each N, linking included.

For every run, ``/proc/<pid>/status`` of the command and its descendants is read every 0.25 s
(``bench_store.Sampler``): the peak ``VmHWM`` of the main process and of the largest worker, the
peak of the tree (the largest sum of their ``VmRSS`` at one read: pages that forked workers share
with the main process, the model's, count once per process, so this overstates what the machine
gives), and every 5 s the main process's ``VmRSS`` with the number of articles stored and of quotes
linked, whose first and last points say whether the main process grows with the corpus (the last
point while workers run is the end of the extraction; linking follows in the main process alone,
and its points say whether linking grows with the quotes linked). The table is printed and
everything goes to ``benchmarks/results/memory-<timestamp>.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

from bench_store import BIN, ROOT, run_child, write_corpus

LIMIT_MB = 400  # what no process may pass on one article (issue 17)


FILLER = ("the harbour council road bridge budget spring winter town river market station ferry school "
          "street north south plan works week month year city port crane tram line depot").split()


def write_big(path: Path, chars: int, news_share: float, seed: int = 3) -> None:
    """One JSONL record of `chars` characters: in every million, a share `news_share` of example news
    (numbers redrawn), the rest paragraphs of plain words with no quotation mark, colon or reporting
    word, which the engine does not parse (`engine.pieces_of`): the news is what costs memory and time."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    parts, size, i = [], 0, 0
    while size < chars:
        if size % 1_000_000 < news_share * 1_000_000:
            parts.append(re.sub(r"\d+", lambda m: str(rng.randint(2, 999)), texts[i % len(texts)]))
            i += 1
        else:
            parts.append(" ".join(rng.choice(FILLER) for _ in range(300)) + ".")
        size += len(parts[-1]) + 2
    path.write_text(json.dumps({"id": "big", "text": "\n\n".join(parts)[:chars]}) + "\n", encoding="utf-8")


def summary(run: dict) -> dict:
    """The figures of one run that the table shows: the main process's RSS at the first and last
    points, at the last point with workers (the end of the extraction), and while linking (the
    points after it, with the quotes linked so far): its peak, and where it stood a tenth of the
    way and at the end."""
    points = [p for p in run["series"] if p["stored"]]
    extracting = [p for p in points if p["workers_mb"]]
    linking = points[points.index(extracting[-1]) + 1:] if extracting else []
    linking = [p for p in linking if p.get("linked")]
    keys = ("exit", "wall_s", "peak_rss_main_mb", "peak_rss_worker_mb", "peak_rss_tree_mb")
    tenth = next((p for p in linking if p["linked"] >= linking[-1]["linked"] / 10), None) if linking else None
    return {key: run[key] for key in keys} | {
        "main_first": points[0] if points else None, "main_last": points[-1] if points else None,
        "main_last_extracting": extracting[-1] if extracting else None,
        "linking_tenth": tenth, "linking_last": linking[-1] if linking else None,
        "linking_peak_mb": max((p["main_mb"] for p in linking), default=None),
        "linking_s": round(linking[-1]["s"] - extracting[-1]["s"], 1) if linking else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mb", type=float, default=20)
    parser.add_argument("--news-share", type=float, default=1.0,
                        help="the share of the huge article that is news (the rest plain filler)")
    parser.add_argument("--articles", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    cli, jobs = str(BIN / "quotetrail"), str(args.jobs)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.big_mb:
            big = folder / "big.jsonl"
            write_big(big, int(args.big_mb * 1_000_000), args.news_share)
            for command in ("extract", "ingest"):
                db = folder / "big.db"
                argv = [cli, command, "--input", str(big), "-j", jobs]
                argv += ["--format", "jsonl"] if command == "extract" else ["--db", str(db)]
                run = run_child(f"{command}, {args.big_mb:g} M chars ({args.news_share:.0%} news)", argv,
                                folder / "out", db if command == "ingest" else None)
                runs.append(run)
                print(run["contender"], summary(run), run["stderr_tail"], flush=True)
        for n in args.articles:
            corpus, db = folder / f"corpus-{n}.jsonl", folder / f"corpus-{n}.db"
            write_corpus(n, corpus)
            argv = [cli, "ingest", "--input", str(corpus), "--db", str(db), "-j", jobs]
            run = run_child(f"ingest, {n:,} articles", argv, folder / "out", db)
            runs.append(run)
            print(run["contender"], summary(run), run["stderr_tail"], flush=True)
    print(f"\n{'run':<40} {'exit':>4} {'wall s':>7} {'main MB':>8} {'worker MB':>9} {'tree MB':>8}  "
          "main RSS, first → last point")
    for run in runs:
        s = summary(run)
        first, during, last = s["main_first"], s["main_last_extracting"], s["main_last"]
        trend = (f"{first['main_mb']} MB at {first['stored']:,} stored → "
                 + (f"{during['main_mb']} MB at {during['stored']:,} (last point with workers) → " if during else "")
                 + f"{last['main_mb']} MB at the end") if first else ""
        print(f"{run['contender']:<40} {s['exit']:>4} {s['wall_s']:>7.0f} {s['peak_rss_main_mb']:>8.0f} "
              f"{s['peak_rss_worker_mb']:>9.0f} {s['peak_rss_tree_mb']:>8.0f}  {trend}")
        if s["linking_last"]:
            tenth, end = s["linking_tenth"], s["linking_last"]
            print(f"{'':<40} linking, {s['linking_s']:.0f} s: {tenth['main_mb']} MB at {tenth['linked']:,} quotes "
                  f"linked → {end['main_mb']} MB at {end['linked']:,}; peak {s['linking_peak_mb']} MB")
    over = [r["contender"] for r in runs if max(r["peak_rss_main_mb"], r["peak_rss_worker_mb"]) > LIMIT_MB]
    print(f"processes over {LIMIT_MB} MB: {', '.join(over) if over else 'none'}")
    out = ROOT / "benchmarks" / "results" / f"memory-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"started": stamp, "jobs": args.jobs, "runs": runs}, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
