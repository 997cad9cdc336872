"""`spark extract` on local[1] and local[2] against `quotetrail extract -j 1`, on the same WARCs.

    .venv/bin/python benchmarks/bench_spark.py [--files 6] [--pages 100] [--rounds 1] [--conf KEY=VALUE]

Writes FILES synthetic WARC.gz crawls of PAGES pages each (`bench_read.write_crawl`: the example
articles as HTML pages; FILES tasks, so that several tasks per core leave little idle at the end) and
runs, ROUNDS times in turn, each contender as a child process:

- the CLI, `quotetrail extract WARCS --format jsonl -j 1`, and the same on one page (its start-up:
  imports and model load), so that its throughput is counted after start-up as Spark's is; also
  `-j 2`, the machine's own two-core speed-up without Spark, for context;
- `spark extract` on `local[1]` and `local[2]`: the session start, a warm-up run of one page per
  core (each Python worker loads spaCy once), then the run on the WARCs, each phase timed apart.

Reports wall and CPU seconds (the whole process tree: JVM, Python driver and workers, read from
/proc) of every phase, the run's CPU split between the JVM and the Python workers, articles per
second after start-up, per-core efficiency against `-j 1` by wall time (articles per second per
core) and by CPU time (CPU seconds per article), the peak RSS of the JVM and of each Python worker,
and the load average at the start and the end. With several rounds, the medians. Results go to
benchmarks/results/ (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
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

def tree_cpu(by_kind=False):
    stats = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            head, tail = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        stats[int(pid)] = (int(fields[1]), int(fields[11]) + int(fields[12]), head.split("(", 1)[1])
    tree, frontier = set(), {os.getpid()}
    while frontier:
        tree |= frontier
        frontier = {p for p, (ppid, *_) in stats.items() if ppid in frontier and p not in tree}
    kinds = {"jvm": 0, "driver": 0, "workers": 0}
    for p in tree & stats.keys():
        kind = "driver" if p == os.getpid() else "jvm" if stats[p][2] == "java" else "workers"
        kinds[kind] += stats[p][1] / os.sysconf("SC_CLK_TCK")
    return kinds if by_kind else sum(kinds.values())

master, out, warm, conf, *warcs = sys.argv[1:]
phases = {}
def phase(name, start, cpu):
    phases[name] = {"wall": round(time.perf_counter() - start, 2), "cpu": round(tree_cpu() - cpu, 2)}
    return time.perf_counter(), tree_cpu()

start, cpu = time.perf_counter(), tree_cpu()
with spark_session(master, conf={"spark.ui.enabled": "false", **json.loads(conf)}) as spark:
    start, cpu = phase("session", start, cpu)
    extract.run(spark, warm.split(","), out + "-warm")
    start, cpu = phase("warm-up", start, cpu)
    kinds = tree_cpu(by_kind=True)
    counts = extract.run(spark, warcs, out)
    phase("run", start, cpu)
    split = {k: round(v - kinds[k], 2) for k, v in tree_cpu(by_kind=True).items()}
print(json.dumps({"phases": phases, "counts": counts, "split": split}))
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


def cli(jobs: int, warcs: list[Path], one: Path) -> dict:
    """`quotetrail extract -j JOBS` on one page (start-up) and on the WARCs."""
    argv = [str(BIN / "quotetrail"), "extract", "--format", "jsonl", "-j", str(jobs)]
    _, start_wall, start_cpu, _ = child([*argv, str(one)])
    proc, wall, cpu, peaks = child([*argv, *map(str, warcs)], stdout=subprocess.PIPE)
    articles = len(proc.stdout.splitlines())
    return {"contender": f"quotetrail extract -j {jobs}", "articles": articles, "start_wall": start_wall,
            "start_cpu": start_cpu, "wall": wall, "cpu": cpu, "run_wall": wall - start_wall,
            "run_cpu": cpu - start_cpu, "split": None, "rss_driver": peaks.driver, "rss_jvm": None,
            "rss_worker": max(peaks.workers.values(), default=None), "cores": jobs}


def spark(master: str, cores: int, warcs: list[Path], warm: list[Path], out: Path, conf: dict[str, str]) -> dict:
    """`spark extract` in a child: session start, warm-up (one page per core), then the run."""
    proc, wall, _, peaks = child([sys.executable, "-c", SPARK_CHILD, master, str(out), ",".join(map(str, warm)),
                                  json.dumps(conf), *map(str, warcs)], stdout=subprocess.PIPE)
    found = json.loads(proc.stdout.splitlines()[-1])
    phases = found["phases"]
    return {"contender": f"spark extract, {master}", "articles": found["counts"]["articles"],
            "start_wall": phases["session"]["wall"] + phases["warm-up"]["wall"],
            "start_cpu": phases["session"]["cpu"] + phases["warm-up"]["cpu"], "wall": wall,
            "cpu": sum(p["cpu"] for p in phases.values()),  # the JVM is not reaped into os.times: /proc's sums
            "run_wall": phases["run"]["wall"], "run_cpu": phases["run"]["cpu"], "phases": phases,
            "split": found["split"],
            "rss_driver": peaks.driver, "rss_jvm": peaks.jvm,
            "rss_worker": max(peaks.workers.values(), default=None), "cores": cores}


def rated(results: list[dict]) -> list[dict]:
    """Articles per second after start-up, and per-core efficiency against the round's `-j 1`
    by wall time (articles per second per core) and by CPU time (CPU seconds per article)."""
    base = results[0]
    for r in results:
        rate = r["articles"] / r["run_wall"]
        r["articles_per_s"] = rate
        r["per_core_wall"] = rate / r["cores"] / (base["articles"] / base["run_wall"])
        r["per_core_cpu"] = (base["run_cpu"] / base["articles"]) / (r["run_cpu"] / r["articles"])
    return results


def median_of(rounds: list[list[dict]], i: int, key: str) -> float | None:
    values = [r[i][key] for r in rounds if r[i][key] is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=6, help="WARC files (Spark tasks)")
    parser.add_argument("--pages", type=int, default=100, help="pages per WARC")
    parser.add_argument("--rounds", type=int, default=1, help="runs of every contender, reported as medians")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting for the Spark contenders (e.g. spark.driver.defaultJavaOptions="
                             "-XX:TieredStopAtLevel=4, the JVM's own compilers, as before LOCAL_JAVA_OPTIONS)")
    args = parser.parse_args()
    conf = dict(item.split("=", 1) for item in args.conf)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start", flush=True)
    rounds = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        warcs = [folder / f"crawl-{i}.warc.gz" for i in range(args.files)]
        for i, path in enumerate(warcs):
            write_crawl(path, args.pages + i)  # a different seed each: different furniture
        warm = [folder / f"warm-{i}.warc.gz" for i in range(2)]
        for path in warm:
            write_crawl(path, 1)
        for n in range(args.rounds):
            rounds.append(rated([cli(1, warcs, warm[0]), cli(2, warcs, warm[0]),
                                 spark("local[1]", 1, warcs, warm[:1], folder / f"out1-{n}", conf),
                                 spark("local[2]", 2, warcs, warm, folder / f"out2-{n}", conf)]))
            print(f"round {n + 1}: per core by wall " + ", ".join(
                f"{r['contender']} {r['per_core_wall']:.0%}" for r in rounds[-1][1:]) + "; load average "
                f"{os.getloadavg()[0]:.2f}", flush=True)
    end = os.getloadavg()
    print(f"{rounds[0][0]['articles']} articles in {args.files} WARCs; {os.cpu_count()} CPUs; Spark conf {conf}; "
          f"{'median of ' + str(args.rounds) + ' rounds' if args.rounds > 1 else 'one round'}; load average "
          f"{load[0]:.2f} at the start, {end[0]:.2f} {end[1]:.2f} {end[2]:.2f} at the end")
    print("| contender | start-up wall / CPU s | run wall / CPU s | run CPU s: JVM / Python workers | articles/s | "
          "per core vs -j 1: wall / CPU | peak RSS MB: JVM / driver / Python worker |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    summary = []
    for i, first in enumerate(rounds[0]):
        m = {key: median_of(rounds, i, key) for key in ("start_wall", "start_cpu", "run_wall", "run_cpu",
                                                        "articles_per_s", "per_core_wall", "per_core_cpu",
                                                        "rss_jvm", "rss_driver", "rss_worker")}
        split = [r[i]["split"] for r in rounds if r[i]["split"]]
        jvm_py = (f"{statistics.median(s['jvm'] for s in split):.1f} / "
                  f"{statistics.median(s['workers'] for s in split):.1f}") if split else "–"
        mem = " / ".join("–" if m[k] is None else f"{m[k]:.0f}" for k in ("rss_jvm", "rss_driver", "rss_worker"))
        print(f"| {first['contender']} | {m['start_wall']:.1f} / {m['start_cpu']:.1f} | {m['run_wall']:.1f} / "
              f"{m['run_cpu']:.1f} | {jvm_py} | {m['articles_per_s']:.2f} | {m['per_core_wall']:.0%} / "
              f"{m['per_core_cpu']:.0%} | {mem} |")
        summary.append({"contender": first["contender"], "cores": first["cores"], **m})
    for m in summary[2:]:
        cpu_per_article = m["run_cpu"] / rounds[0][0]["articles"]
        print(f"CC-NEWS month ({CC_NEWS_MONTH:,} pages) at the {m['contender']} rate: "
              f"{CC_NEWS_MONTH / (m['articles_per_s'] / m['cores']) / 3600:,.0f} core-hours by wall time, "
              f"{CC_NEWS_MONTH * cpu_per_article / 3600:,.0f} by CPU time")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"spark-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(
        {"files": args.files, "pages": args.pages, "conf": conf, "rounds": rounds, "medians": summary,
         "load_start": load, "load_end": end}, indent=1))


if __name__ == "__main__":
    main()
