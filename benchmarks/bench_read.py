"""Reading speed and memory of the ingest readers on a large synthetic WARC.gz.

Run as ``.venv/bin/python benchmarks/bench_read.py [--articles N]``. It writes two crawls into a
temporary folder, N and 10×N HTML pages (the project's example articles in ``examples/articles/``
wrapped in varied page furniture), each page with its request record, using warcio's WARCWriter. Each
crawl is then read by ``quotetrail.ingest.read_paths`` alone (no extraction) in a child process that
reports articles per second and its peak RSS (VmHWM); peak RSS should not grow with the file size.
Results are printed and written to ``benchmarks/results/bench_read.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
FURNITURE = ["<nav>Home | World | Sport | Business</nav>", "<div class='cookie'>We use cookies. Accept all</div>",
             "<aside><h3>Related</h3><ul><li>Port budget falls short</li><li>Schools to merge</li></ul></aside>",
             "<div class='share'>Share this article</div>", "<footer>© Harbor Gazette. All rights reserved.</footer>"]


def write_crawl(path: Path, count: int) -> None:
    """A WARC.gz of `count` HTML pages (and their request records) made from the example articles."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    rng = random.Random(count)
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(count):
            title, _, body = texts[n % len(texts)].partition("\n")
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
            furniture = rng.sample(FURNITURE, 3)
            html = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                    f"{furniture[0]}<article><h1>{title}</h1>{paragraphs}</article>{furniture[1]}{furniture[2]}"
                    f"</body></html>").encode()
            url = f"https://www.harborgazette.co.uk/2021/03/{n % 28 + 1:02d}/story-{n}"
            request = io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            writer.write_record(writer.create_warc_record(url, "request", payload=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers)
            writer.write_record(response)


def read_in_child(path: Path) -> dict:
    """Read one crawl in a fresh process: articles, seconds and peak RSS (VmHWM) of that process."""
    code = ("import json, sys, time\nfrom quotetrail.ingest import Skipped, read_paths\nstart = time.perf_counter()\n"
            "n = sum(not isinstance(a, Skipped) for a in read_paths([sys.argv[1]]))\n"
            "seconds = time.perf_counter() - start\n"
            "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
            "print(json.dumps({'articles': n, 'seconds': seconds, 'peak_rss_mb': int(hwm.split()[1]) / 1024}))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    """Write the two crawls, read each, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500, help="pages in the small crawl (the large has 10×)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for count in (args.articles, 10 * args.articles):
            path = Path(folder) / f"crawl-{count}.warc.gz"
            write_crawl(path, count)
            found = read_in_child(path)
            found.update(pages=count, file_mb=round(path.stat().st_size / 2**20, 1),
                         articles_per_second=round(found["articles"] / found["seconds"], 1),
                         seconds=round(found["seconds"], 2), peak_rss_mb=round(found["peak_rss_mb"], 1))
            print(f"{count:>7} pages, {found['file_mb']:>7} MB: {found['articles_per_second']:>7} articles/s, "
                  f"peak RSS {found['peak_rss_mb']} MB")
            results.append(found)
    out = ROOT / "benchmarks" / "results" / "bench_read.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
