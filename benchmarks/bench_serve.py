"""Latency of `quotetrail serve` on a large database, measured against the running server.

Run as ``.venv/bin/python benchmarks/bench_serve.py [--quotes 100000] [--requests 200] [--db FILE]``.

1. **Database**: ``--db FILE`` when it exists; else (built into FILE and kept, or into a temporary
   file) ``bench_link.build`` writes about Q synthetic reports (Q/8 utterances of 20–60 words from
   the example articles' vocabulary, each reported about 8 times: copies, trims, substitutions,
   swapped halves, a paraphrase; 132 speakers, 6 venues, 8 outlets, dates over 12 months), one
   article each, and ``QuoteStore.link()`` links them into clusters, so that the trail pages have
   trails to show. Building and linking are not timed here (``bench_link.py`` times the linking).
2. **Server**: ``quotetrail serve --db FILE --port 0`` as a child process, as a user starts it.
3. **Requests**: one keep-alive HTTP connection from this process; 20 warm-up requests, then, in turn,
   R requests of each kind: ``/quotes?q=…`` (one or two vocabulary words; every other request also
   filtered by a facet value: a speaker, an outlet, a kind or a month), the page with its facet counts
   and its first 20 rows; a trail page ``/clusters/cN`` of a random cluster; a quote page
   ``/quotes/N``; and ``/quotes`` with no query (facets over every quote). Each time is from sending
   the request to the last byte of the body; a response that is not 200 fails the run.
4. Median, p95 and max per kind in milliseconds are printed; everything (the machine's load average
   before and after, every time) goes to ``benchmarks/results/serve-<timestamp>.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench_link import build, vocabulary  # beside this file, which Python puts first on the path
from quotetrail import QuoteStore

ROOT = Path(__file__).resolve().parents[1]
QUOTETRAIL = Path(sys.executable).with_name("quotetrail")


def make_database(path: Path, n: int) -> None:
    """About n linked synthetic reports in a new database at `path`."""
    start = time.perf_counter()
    build(path, n)
    with QuoteStore(path) as store:
        store.link()
    print(f"built and linked {path} in {time.perf_counter() - start:.0f} s", flush=True)


def start_server(db: Path) -> tuple[subprocess.Popen, str, int]:
    """`quotetrail serve` on a free port: the process, its host and port."""
    process = subprocess.Popen([str(QUOTETRAIL), "serve", "--db", str(db), "--port", "0"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = process.stderr.readline()
    found = re.search(r"at http://([\d.]+):(\d+)/", line)
    if not found:
        process.kill()
        raise SystemExit(f"quotetrail serve did not start: {line}{process.stderr.read()}")
    return process, found.group(1), int(found.group(2))


def timed_get(conn: http.client.HTTPConnection, url: str) -> float:
    """Milliseconds from sending a GET to the last byte of its body."""
    start = time.perf_counter()
    conn.request("GET", url)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"GET {url}: {response.status}")
    return elapsed


def request_urls(db: Path, n: int, seed: int = 3) -> dict[str, list[str]]:
    """n URLs of each kind, drawn from what the database holds."""
    rng = random.Random(seed)
    words = vocabulary()
    with QuoteStore(db, readonly=True) as store:
        spread = store.facets()["facets"]
        clusters = [r[0] for r in store.conn.execute("SELECT id FROM clusters")]
        quotes = store.stats()["quotes"]
    facet_params = [{"speaker": v} for v, _ in spread["speaker"]] + [{"outlet": v} for v, _ in spread["outlet"]] + \
        [{"kind": v} for v, _ in spread["kind"]] + \
        [{"since": f"{m}-01", "until": f"{m}-28"} for m, _ in spread["month"]]
    search = []
    for i in range(n):
        params = {"q": " ".join(rng.sample(words, rng.choice([1, 2])))}
        if i % 2:
            params.update(rng.choice(facet_params))
        search.append(f"/quotes?{urlencode(params)}")
    return {"search with facets": search,
            "trail page": [f"/clusters/c{rng.choice(clusters)}" for _ in range(n)],
            "quote page": [f"/quotes/{rng.randint(1, quotes)}" for _ in range(n)],
            "all quotes, no query": ["/quotes"] * max(1, n // 10)}


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"requests": len(times), "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1), "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000, help="reports in the database built (without --db)")
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind")
    parser.add_argument("--db", type=Path, help="the database to serve; built there first when missing (and kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "serve.db"
        if not db.exists():
            make_database(db, args.quotes)
        with QuoteStore(db, readonly=True) as store:
            stats = {**store.stats(), "clusters": store.cluster_count()}
        urls = request_urls(db, args.requests)
        process, host, port = start_server(db)
        load_before = os.getloadavg()
        try:
            conn = http.client.HTTPConnection(host, port, timeout=30)
            for url in urls["search with facets"][:10] + urls["trail page"][:10]:
                timed_get(conn, url)
            times: dict[str, list[float]] = {kind: [] for kind in urls}
            for i in range(args.requests):
                for kind, kind_urls in urls.items():
                    if i < len(kind_urls):
                        times[kind].append(timed_get(conn, kind_urls[i]))
        finally:
            process.terminate()
            process.wait(timeout=10)
    result = {"quotes": stats["quotes"], "articles": stats["articles"], "clusters": stats["clusters"],
              "load_before": load_before, "load_after": os.getloadavg(), "cpus": os.cpu_count(),
              "kinds": {kind: summary(t) for kind, t in times.items()}, "times": times}
    print(f"quotetrail serve on {stats['quotes']:,} quotes ({stats['clusters']:,} clusters); "
          f"load average {load_before[0]:.1f} before, {result['load_after'][0]:.1f} after")
    for kind, s in result["kinds"].items():
        print(f"  {kind:<22} {s['requests']:>4} requests: median {s['median_ms']:>6} ms, p95 {s['p95_ms']:>6} ms, "
              f"max {s['max_ms']:>6} ms")
    out = ROOT / "benchmarks" / "results" / f"serve-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
