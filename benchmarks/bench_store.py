"""Speed and memory of the quote database: `ingest -j J` against `extract -j J`, and search latency.

Run as ``.venv/bin/python benchmarks/bench_store.py [--articles N] [--jobs J] [--rounds R] [--quotes Q]``
(defaults: N = 10,000 articles, J = 2, R = 1, Q = 100,000 quotes; ``--quotes 0`` skips the search part).

1. **Corpus**: N synthetic articles made from the project's own example articles
   (``examples/articles/``, taken in turn), every number in them redrawn and a closing quote with a
   varied speaker name and the article's own number added, so that every article has an id, words
   and numbers of its own, as on a real corpus where the vocabulary keeps growing. They are streamed
   to a JSONL file in a temporary folder (never held in memory here).
2. **Ingest against extract, like for like**: ``quotetrail extract --input FILE -j J --format jsonl``
   (stdout to a file in the same folder) and ``quotetrail ingest --input FILE --db NEW.db -j J``,
   each a fresh child process on the same file, in R rounds whose order alternates (extract first in
   odd rounds, ingest first in even ones), so a change in the machine's load falls on both. articles/s
   is N over the wall time of the whole command (start-up and model load included for both: they are
   the same few seconds in each). The store's cost is ``1 − ingest rate / extract rate``, taken within
   a round; the median over rounds is reported. CPU seconds (user + system of the process and its
   workers, from ``os.wait4``) are reported beside it: on a shared machine they are less swayed by
   other work than wall time, and their ratio is a second view of the store's cost. Both runs are
   checked: extract must print N lines, the database must hold N articles.
3. **Memory per process**: while a child runs, ``/proc/<pid>/status`` of it and of every descendant
   (the pool's workers) is read every 0.25 s: the peak is the largest ``VmHWM`` (the kernel's own
   high-water mark of each process's resident set) seen for the main process and for any worker, and
   a series of (seconds, articles stored and quotes linked so far for ingest, VmRSS of the main process
   and of each worker) every 5 s goes to the results, to show whether memory levels off through the run.
   ``ru_maxrss`` of the waited-for children is *not* used: Python starts a child with ``vfork`` +
   ``exec``, and Linux then records the high-water RSS of the memory the child had before ``exec``
   (this process's, the parent's) as the child's own ``ru_maxrss``: ``/bin/true`` started from a
   process of 280 MB reports 280 MB. Earlier figures of this benchmark (189 MB at 1,000 articles,
   274 MB at 10,000) were this process's own size, which grew with the corpus it held in memory.
4. **Search**: a second database filled with Q synthetic quotes (10 per article, names and words drawn
   from the examples) straight through ``QuoteStore.write``; then 100 searches (one or two plain words,
   every other one with a ``speaker`` filter), each timed; median and p95 (the 95th of the 100 sorted
   times) in milliseconds.

The table is printed and everything (every run, the samples, the machine's load average before and
after each run) is written to ``benchmarks/results/store-<timestamp>.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from quotetrail import Article, Quote, QuoteStore

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FIRST = ["Lena", "Tomas", "Anna", "Marek", "Ilse", "Henrik", "Odile", "Sofia", "Jonas", "Viktor", "Piet", "Nadia"]
LAST = ["Varga", "Brenner", "Koval", "Sorvald", "Lazlo", "Marchetti", "Renn", "Ekberg", "Brandt", "Osei", "Thiel"]
PEAK_EVERY = 0.25  # seconds between reads of /proc
SERIES_EVERY = 5.0  # seconds between points of the memory series


def write_corpus(n: int, path: Path, seed: int = 7) -> None:
    """N synthetic article records, one JSON object per line, written as they are made."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = re.sub(r"\d+", lambda m: str(rng.randint(2, 999)), texts[i % len(texts)])
            who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            text += f'\n\n"We will look at this again next week," {who} told reporters on day {i}.'
            out.write(json.dumps({"id": f"s{i}", "text": text, "url": f"https://news{i % 7}.example/{i}",
                                  "date": f"2024-{1 + i % 12:02}-{1 + i % 28:02}"}) + "\n")


def _status(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, VmRSS kB, VmHWM kB) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        return int(fields["PPid"]), int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (KeyError, ValueError):  # a zombie has no Vm* lines
        return None


class Sampler(threading.Thread):
    """Peak VmHWM of a process and of its descendants, and a series of their VmRSS, until stopped."""

    def __init__(self, root: int, db: Path | None) -> None:
        super().__init__(daemon=True)
        self.root, self.db = root, db
        self.peak_main = self.peak_worker = 0
        self.peak_tree = 0  # the largest sum of VmRSS over the process and its descendants at one read
        self.workers: set[int] = set()
        self.series: list[dict] = []
        self.stop = threading.Event()

    def _tree(self) -> dict[int, tuple[int, int, int]]:
        found = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (st := _status(int(entry))) is not None:
                found[int(entry)] = st
        tree, frontier = {}, {self.root}
        while frontier:
            tree.update({pid: found[pid] for pid in frontier if pid in found})
            frontier = {pid for pid, st in found.items() if st[0] in frontier and pid not in tree}
        return tree

    def _stored(self) -> tuple[int | None, int | None]:
        """(articles stored, quotes linked) so far, or Nones before the database is there."""
        if self.db is None or not self.db.exists():
            return None, None
        try:
            with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=1) as conn:
                return (conn.execute("SELECT count(*) FROM articles").fetchone()[0],
                        conn.execute("SELECT count(*) FROM quotes WHERE linked = 1").fetchone()[0])
        except sqlite3.Error:
            return None, None

    def run(self) -> None:
        start = next_point = time.perf_counter()
        while not self.stop.is_set():
            tree = self._tree()
            self.peak_tree = max(self.peak_tree, sum(st[1] for st in tree.values()))
            for pid, (_, _, hwm) in tree.items():
                if pid == self.root:
                    self.peak_main = max(self.peak_main, hwm)
                else:
                    self.workers.add(pid)
                    self.peak_worker = max(self.peak_worker, hwm)
            now = time.perf_counter()
            if now >= next_point and tree:
                next_point += SERIES_EVERY
                stored, linked = self._stored()
                self.series.append({"s": round(now - start, 1), "stored": stored, "linked": linked,
                                    "main_mb": round(tree.get(self.root, (0, 0, 0))[1] / 1024, 1),
                                    "workers_mb": [round(st[1] / 1024, 1) for pid, st in sorted(tree.items())
                                                   if pid != self.root]})
            self.stop.wait(PEAK_EVERY)


def run_child(name: str, argv: list[str], stdout: Path, db: Path | None = None) -> dict:
    """Run one command as a child process: wall and CPU seconds, exit code, memory per process."""
    load_before = os.getloadavg()[0]
    with stdout.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
        sampler = Sampler(proc.pid, db)
        sampler.start()
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
    sampler.stop.set()
    sampler.join()
    return {"contender": name, "argv": argv, "exit": proc.returncode, "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_main_mb": round(sampler.peak_main / 1024, 1),
            "peak_rss_worker_mb": round(sampler.peak_worker / 1024, 1),
            "peak_rss_tree_mb": round(sampler.peak_tree / 1024, 1), "worker_processes": len(sampler.workers),
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
            "stderr_tail": stderr.decode("utf-8", "replace").strip().splitlines()[-2:], "series": sampler.series}


def one_round(n: int, jobs: int, folder: Path, corpus: Path, number: int) -> dict:
    """extract -j J and ingest -j J on the same corpus, in the order of this round."""
    cli = str(BIN / "quotetrail")
    db = folder / f"ingest-{number}.db"
    runs = {}
    order = ["extract", "ingest"] if number % 2 else ["ingest", "extract"]
    for name in order:
        if name == "extract":
            out = folder / "extract.jsonl"
            run = run_child(name, [cli, "extract", "--input", str(corpus), "-j", str(jobs), "--format", "jsonl"], out)
            with out.open("rb") as f:
                run["articles"] = sum(1 for _ in f)
            out.unlink()
        else:
            run = run_child(name, [cli, "ingest", "--input", str(corpus), "--db", str(db), "-j", str(jobs)],
                            folder / "ingest.out", db)
            with QuoteStore(db, create=False) as store:
                stats = store.stats()
            run["articles"], run["quotes"] = stats["articles"], stats["quotes"]
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        if run["exit"] != 0 or run["articles"] != n:
            raise SystemExit(f"bench_store: {name} exited {run['exit']} with {run['articles']} of {n} articles: "
                             f"{run['stderr_tail']}")
        run["articles_per_s"] = round(n / run["wall_s"], 2)
        runs[name] = run
    ext, ing = runs["extract"], runs["ingest"]
    return {"round": number, "order": order, "extract": ext, "ingest": ing,
            "store_cost_pct": round(100 * (1 - ing["articles_per_s"] / ext["articles_per_s"]), 1),
            "store_cpu_cost_pct": round(100 * (ing["cpu_s"] / ext["cpu_s"] - 1), 1)}


def search_latency(n_quotes: int, folder: Path, seed: int = 11) -> dict:
    rng = random.Random(seed)
    words = sorted({w.lower() for p in (ROOT / "examples" / "articles").glob("*.txt")
                    for w in re.findall(r"[A-Za-z]{4,}", p.read_text(encoding="utf-8"))})
    names = [f"{f} {s}" for f in FIRST for s in LAST]
    start = time.perf_counter()
    with QuoteStore(folder / "search.db") as store:
        pairs = []
        for i in range(n_quotes // 10):
            text, quotes = "", []
            for _ in range(10):
                said = " ".join(rng.choice(words) for _ in range(rng.randint(6, 20)))
                quotes.append(Quote("direct", [(len(text), len(text) + len(said))], said, speaker=rng.choice(names)))
                text += said + ". "
            pairs.append((Article(id=f"a{i}", text=text, outlet=f"news{i % 7}.example",
                                  date=f"2024-{1 + i % 12:02}-01"), quotes))
            if len(pairs) == 500:
                store.write(pairs)
                pairs = []
        store.write(pairs)
        build = time.perf_counter() - start
        times = []
        for i in range(100):
            query = " ".join(rng.sample(words, rng.choice([1, 2])))
            filters = {"speaker": rng.choice(names)} if i % 2 else {}
            t = time.perf_counter()
            store.search(query, **filters)
            times.append((time.perf_counter() - t) * 1000)
        total = store.stats()["quotes"]
    times.sort()
    return {"quotes": total, "build_seconds": round(build, 1), "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[94], 2), "max_ms": round(times[-1], 2)}


def table(result: dict) -> str:
    rounds = result["rounds"]
    med = lambda key, who=None: statistics.median(r[who][key] if who else r[key] for r in rounds)  # noqa: E731
    mx = lambda key, who: max(r[who][key] for r in rounds)  # noqa: E731
    head = ["N", f"ingest -j{result['jobs']} art/s", f"extract -j{result['jobs']} art/s", "store cost %",
            "CPU s ingest/extract", "peak RSS main/worker MB ingest", "peak RSS main/worker MB extract"]
    row = [f"{result['articles']:,}", f"{med('articles_per_s', 'ingest'):.2f}",
           f"{med('articles_per_s', 'extract'):.2f}",
           f"{med('store_cost_pct'):.1f}", f"{med('cpu_s', 'ingest'):.0f}/{med('cpu_s', 'extract'):.0f}",
           f"{mx('peak_rss_main_mb', 'ingest'):.0f}/{mx('peak_rss_worker_mb', 'ingest'):.0f}",
           f"{mx('peak_rss_main_mb', 'extract'):.0f}/{mx('peak_rss_worker_mb', 'extract'):.0f}"]
    lines = [" | ".join(head), " | ".join(row)]
    lines.append(f"rounds: {len(rounds)} (medians of the rates and costs, largest peaks); per round store cost % "
                 f"{[r['store_cost_pct'] for r in rounds]}, CPU cost % {[r['store_cpu_cost_pct'] for r in rounds]}; "
                 "load average "
                 f"{min(min(r[w]['load_before'], r[w]['load_after']) for r in rounds for w in ('ingest', 'extract'))}"
                 f"–{max(max(r[w]['load_before'], r[w]['load_after']) for r in rounds for w in ('ingest', 'extract'))}")
    if result.get("search"):
        s = result["search"]
        lines.append(f"search on {s['quotes']:,} quotes: median {s['median_ms']} ms, p95 {s['p95_ms']} ms, "
                     f"max {s['max_ms']} ms (100 queries)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--quotes", type=int, default=100_000, help="0: no search part")
    args = parser.parse_args()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    result = {"articles": args.articles, "jobs": args.jobs, "cpus": os.cpu_count(), "machine": platform.platform(),
              "python": platform.python_version(), "started": stamp, "rounds": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "articles.jsonl"
        write_corpus(args.articles, corpus)
        for number in range(1, args.rounds + 1):
            result["rounds"].append(one_round(args.articles, args.jobs, folder, corpus, number))
            r = result["rounds"][-1]
            print(f"round {number}: " + ", ".join(
                f"{w} {r[w]['articles_per_s']}/s ({r[w]['wall_s']} s, CPU {r[w]['cpu_s']} s, "
                f"RSS {r[w]['peak_rss_main_mb']}/{r[w]['peak_rss_worker_mb']} MB)" for w in r["order"])
                + f"; store cost {r['store_cost_pct']}%", flush=True)
        if args.quotes:
            result["search"] = search_latency(args.quotes, folder)
    print(table(result))
    out = ROOT / "benchmarks" / "results" / f"store-{stamp}-{args.articles}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
