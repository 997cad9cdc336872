"""Speed and memory of the quote database: ingest throughput with worker processes, and search latency.

Run as ``.venv/bin/python benchmarks/bench_store.py [--articles N] [--jobs J] [--quotes Q]``
(defaults: N = 10,000 articles, J = 2, Q = 100,000 quotes). It

1. makes N synthetic articles from the project's own example articles (``examples/articles/``),
   with numbers and speaker names varied so every id differs, into a JSONL file in a temporary folder;
2. measures the single-process ``extract`` rate on the first min(N, 100) of them (articles/s);
3. runs ``quotetrail ingest FILE --db … -j J`` as a child process and reports articles/s and the
   peak RSS of the largest process of the run (``ru_maxrss`` of the waited-for children);
4. fills a second database with Q synthetic quotes (10 per article, names and words drawn from the
   examples) straight through ``QuoteStore.write``, then times 100 searches (plain words, half of them
   with a ``speaker`` filter) and reports the median and p95 latency in milliseconds.

Results are printed and written to ``benchmarks/results/bench_store.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quotetrail import Article, Quote, QuoteStore, extract

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Lena", "Tomas", "Anna", "Marek", "Ilse", "Henrik", "Odile", "Sofia", "Jonas", "Viktor", "Piet", "Nadia"]
LAST = ["Varga", "Brenner", "Koval", "Sorvald", "Lazlo", "Marchetti", "Renn", "Ekberg", "Brandt", "Osei", "Thiel"]


def synthetic(n: int, seed: int = 7) -> list[dict]:
    """N article records: an example text with its numbers changed and a varied speaker name added."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    records = []
    for i in range(n):
        text = re.sub(r"\d+", lambda m: str(rng.randint(2, 999)), texts[i % len(texts)])
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        text += f'\n\n"We will look at this again next week," {who} told reporters on day {i}.'
        records.append({"id": f"s{i}", "text": text, "url": f"https://news{i % 7}.example/{i}",
                        "date": f"2024-{1 + i % 12:02}-{1 + i % 28:02}"})
    return records


def extract_rate(records: list[dict]) -> float:
    sample = records[: min(len(records), 100)]
    extract("Warm up, the model said.")
    start = time.perf_counter()
    for r in sample:
        extract(r["text"])
    return len(sample) / (time.perf_counter() - start)


def ingest_rate(records: list[dict], jobs: int, folder: Path) -> dict:
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    cli = str(Path(sys.executable).parent / "quotetrail")
    start = time.perf_counter()
    subprocess.run([cli, "ingest", "--input", str(source), "--db", str(folder / "ingest.db"), "-j", str(jobs)],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    with QuoteStore(folder / "ingest.db", create=False) as store:
        stats = store.stats()
    return {"articles": stats["articles"], "quotes": stats["quotes"], "seconds": round(seconds, 1),
            "articles_per_second": round(stats["articles"] / seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quotes", type=int, default=100_000)
    args = parser.parse_args()
    records = synthetic(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result = {"articles": args.articles, "jobs": args.jobs,
                  "extract_single_articles_per_second": round(extract_rate(records), 2),
                  "ingest": ingest_rate(records, args.jobs, folder),
                  "search": search_latency(args.quotes, folder)}
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "bench_store.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
