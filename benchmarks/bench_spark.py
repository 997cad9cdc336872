"""`spark extract` on local[1] and local[2] against `quotetrail extract -j 1`, on the same WARCs.

    .venv/bin/python benchmarks/bench_spark.py [--files 4] [--pages 40]

Writes FILES synthetic WARC.gz crawls of PAGES pages each (`bench_read.write_crawl`: the example
articles as HTML pages) and runs each contender as a child process:

- the CLI, `quotetrail extract WARCS --format jsonl -j 1`, and the same on one page (its start-up:
  imports and model load), so that its throughput is counted after start-up as Spark's is;
- `spark extract` on `local[1]` and `local[2]`: the session start, a warm-up run of one page per
  core (each Python worker loads spaCy once), then the run on the WARCs, each phase timed apart.

Reports wall and CPU seconds (the whole process tree: JVM, Python driver and workers, read from
/proc) of every phase, articles per second after start-up, per-core efficiency against the CLI,
and the peak RSS of the JVM and of each Python worker. Results go to benchmarks/results/ (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_read import write_crawl

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TICK = os.sysconf("SC_CLK_TCK")
CC_NEWS_MONTH = 10_000_000  # pages: the "several hundred thousand a day", about 330,000 a day

# Run in the child for a Spark contender: phases timed in wall and tree-CPU seconds, printed as JSON.
SPARK_CHILD = r"""
import json, os, sys, time
from pathlib import Path
from quotetrail.spark import extract
from quotetrail.spark.session import spark_session

def tree_cpu():
    stats = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(pid)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, frontier = set(), {os.getpid()}
    while frontier:
        tree |= frontier
        frontier = {p for p, (ppid, _) in stats.items() if ppid in frontier and p not in tree}
    return sum(stats[p][1] for p in tree if p in stats) / os.sysconf("SC_CLK_TCK")

master, out, warm, *warcs = sys.argv[1:]
phases = {}
def phase(name, start, cpu):
    phases[name] = {"wall": round(time.perf_counter() - start, 2), "cpu": round(tree_cpu() - cpu, 2)}
    return time.perf_counter(), tree_cpu()

start, cpu = time.perf_counter(), tree_cpu()
with spark_session(master, conf={"spark.ui.enabled": "false"}) as spark:
    start, cpu = phase("session", start, cpu)
    extract.run(spark, warm.split(","), out + "-warm")
    start, cpu = phase("warm-up", start, cpu)
    counts = extract.run(spark, warcs, out)
    phase("run", start, cpu)
print(json.dumps({"phases": phases, "counts": counts}))
"""


class Peaks(threading.Thread):
    """Peak VmHWM (MB) of a process tree's members by kind: the JVM, the Python driver, each Python worker."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.jvm = self.driver = 0.0
        self.workers: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid, (name, hwm) in self._tree().items():
                if pid == self.root:
                    self.driver = max(self.driver, hwm)
                elif name == "java":
                    self.jvm = max(self.jvm, hwm)
                else:
                    self.workers[pid] = max(self.workers.get(pid, 0.0), hwm)
            self.done.wait(0.25)

    def _tree(self) -> dict[int, tuple[str, float]]:
        found: dict[int, tuple[int, str, float]] = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                              if ":" in line)
                found[int(pid)] = (int(status["PPid"]), status["Name"].strip(), int(status["VmHWM"].split()[0]) / 1024)
            except (OSError, KeyError, ValueError):
                continue
        tree, frontier = {}, {self.root}
        while frontier:
            tree.update({pid: found[pid][1:] for pid in frontier if pid in found})
            frontier = {pid for pid, st in found.items() if st[0] in frontier and pid not in tree}
        return tree


def child(argv: list[str], stdout=subprocess.DEVNULL) -> tuple[subprocess.CompletedProcess, float, float, Peaks]:
    """Run `argv`, returning the process, its wall seconds, its CPU seconds (children reaped) and memory peaks."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    peaks = Peaks(proc.pid)
    peaks.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    peaks.done.set()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {err[-2000:]}")
    return subprocess.CompletedProcess(argv, proc.returncode, out, err), wall, cpu, peaks


def cli(warcs: list[Path], one: Path) -> dict:
    """`quotetrail extract -j 1` on one page (start-up) and on the WARCs."""
    argv = [str(BIN / "quotetrail"), "extract", "--format", "jsonl", "-j", "1"]
    _, start_wall, start_cpu, _ = child([*argv, str(one)])
    proc, wall, cpu, peaks = child([*argv, *map(str, warcs)], stdout=subprocess.PIPE)
    articles = len(proc.stdout.splitlines())
    return {"contender": "quotetrail extract -j 1", "articles": articles, "start_wall": start_wall,
            "start_cpu": start_cpu, "wall": wall, "cpu": cpu, "run_wall": wall - start_wall,
            "run_cpu": cpu - start_cpu, "rss_driver": peaks.driver, "rss_jvm": None, "rss_worker": None, "cores": 1}


def spark(master: str, cores: int, warcs: list[Path], warm: list[Path], out: Path) -> dict:
    """`spark extract` in a child: session start, warm-up (one page per core), then the run."""
    proc, wall, _, peaks = child([sys.executable, "-c", SPARK_CHILD, master, str(out), ",".join(map(str, warm)),
                                    *map(str, warcs)], stdout=subprocess.PIPE)
    found = json.loads(proc.stdout.splitlines()[-1])
    phases = found["phases"]
    return {"contender": f"spark extract, {master}", "articles": found["counts"]["articles"],
            "start_wall": phases["session"]["wall"] + phases["warm-up"]["wall"],
            "start_cpu": phases["session"]["cpu"] + phases["warm-up"]["cpu"], "wall": wall,
            "cpu": sum(p["cpu"] for p in phases.values()),  # the JVM is not reaped into os.times: /proc's sums
            "run_wall": phases["run"]["wall"], "run_cpu": phases["run"]["cpu"], "phases": phases,
            "rss_driver": peaks.driver, "rss_jvm": peaks.jvm,
            "rss_worker": max(peaks.workers.values(), default=None), "cores": cores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=4, help="WARC files (Spark tasks)")
    parser.add_argument("--pages", type=int, default=40, help="pages per WARC")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        warcs = [folder / f"crawl-{i}.warc.gz" for i in range(args.files)]
        for i, path in enumerate(warcs):
            write_crawl(path, args.pages + i)  # a different seed each: different furniture
        warm = [folder / f"warm-{i}.warc.gz" for i in range(2)]
        for path in warm:
            write_crawl(path, 1)
        results = [cli(warcs, warm[0]), spark("local[1]", 1, warcs, warm[:1], folder / "out1"),
                   spark("local[2]", 2, warcs, warm, folder / "out2")]
    base = results[0]["articles"] / results[0]["run_wall"]
    print(f"{results[0]['articles']} articles in {args.files} WARCs; 2 CPUs; load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    print("| contender | start-up wall / CPU s | run wall / CPU s | articles/s | per core vs CLI | "
          "peak RSS MB: JVM / driver / Python worker |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        rate = r["articles"] / r["run_wall"]
        r["articles_per_s"], r["per_core_vs_cli"] = rate, rate / r["cores"] / base
        mem = " / ".join("–" if v is None else f"{v:.0f}" for v in (r["rss_jvm"], r["rss_driver"], r["rss_worker"]))
        print(f"| {r['contender']} | {r['start_wall']:.1f} / {r['start_cpu']:.1f} | {r['run_wall']:.1f} / "
              f"{r['run_cpu']:.1f} | {rate:.2f} | {r['per_core_vs_cli']:.0%} | {mem} |")
    best = max(results[1:], key=lambda r: r["per_core_vs_cli"])
    cpu_per_article = best["run_cpu"] / best["articles"]
    print(f"CC-NEWS month ({CC_NEWS_MONTH:,} pages) at the {best['contender']} rate: "
          f"{CC_NEWS_MONTH / (best['articles_per_s'] / best['cores']) / 3600:,.0f} core-hours by wall time, "
          f"{CC_NEWS_MONTH * cpu_per_article / 3600:,.0f} by CPU time")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"spark-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(
        {"files": args.files, "pages": args.pages, "load_start": load, "load_end": os.getloadavg()[0],
         "results": results}, indent=1))


if __name__ == "__main__":
    main()
