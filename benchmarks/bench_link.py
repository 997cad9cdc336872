"""Speed, memory and accuracy of cross-article linking on N synthetic reports of known utterances.

Run as ``.venv/bin/python benchmarks/bench_link.py [--sizes 10000 100000]``. For each N, in a child
process of its own (so peak RSS is that run's), it

1. makes N/8 utterances: 20–60 words drawn from the vocabulary of the project's own example
   articles (``examples/articles/``), each with a speaker, a venue and a date;
2. makes about 8 reports of each — a verbatim copy, a trimmed excerpt, one with words substituted,
   one with two halves swapped, an indirect paraphrase (fewer words, `indirect`), one with no
   speaker — each its own article, written straight into a fresh database (not timed); with
   ``--answers K``, K utterances in a row have one speaker, venue and date (an interview's answers)
   and each article holds its reports of all K, one after another;
3. times ``QuoteStore.link()`` over all of them and reports quotes/s, seconds, peak RSS (ru_maxrss,
   taken when linking ends) and the pairwise precision/recall/F1 of the clusters against the
   utterances they came from.

Time per quote that stays flat from 10k to 100k is what "linear" means here. Results are printed
and written to ``benchmarks/results/bench_link.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from quotetrail import Article, Quote, QuoteStore

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Lena", "Tomas", "Anna", "Marek", "Ilse", "Henrik", "Odile", "Sofia", "Jonas", "Viktor", "Piet", "Nadia"]
LAST = ["Varga", "Brenner", "Koval", "Sorvald", "Lazlo", "Marchetti", "Renn", "Ekberg", "Brandt", "Osei", "Thiel"]
VENUES = ["Radio Halden", "Channel 9", "the Courier", "Harbour FM", "Nordic Daily", "City TV"]
PER_UTTERANCE = 8


def vocabulary() -> list[str]:
    return sorted({w.lower() for p in (ROOT / "examples" / "articles").glob("*.txt")
                   for w in re.findall(r"[A-Za-z]{3,}", p.read_text(encoding="utf-8"))})


def variants(words: list[str], rng: random.Random, vocab: list[str]) -> list[tuple[str, list[str]]]:
    """(kind, words) of the reports of one utterance."""
    n = len(words)
    start = rng.randint(0, n // 3)
    trimmed = words[start:start + max(6, int(n * rng.uniform(0.4, 0.8)))]
    substituted = list(words)
    for i in rng.sample(range(n), 3):
        substituted[i] = rng.choice(vocab)
    half = n // 2
    paraphrase = [w for w in words if rng.random() > 0.4]
    return [("direct", words), ("direct", list(words)), ("direct", trimmed), ("direct", substituted),
            ("direct", words[half:] + words[:half]), ("indirect", paraphrase), ("direct", trimmed[:]),
            ("direct", words)]


def build(path: Path, n: int, answers: int = 1, seed: int = 5) -> dict[int, int]:
    """Write about n reports into a new database; return quote id → utterance number."""
    rng = random.Random(seed)
    vocab = vocabulary()
    truth, pending, quote_id = {}, [], 0
    with QuoteStore(path) as store:
        for first in range(0, max(1, n // PER_UTTERANCE), answers):
            speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            venue, day = rng.choice(VENUES), f"2024-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
            told = [variants([rng.choice(vocab) for _ in range(rng.randint(20, 60))], rng, vocab)
                    for _ in range(answers)]
            for k in range(PER_UTTERANCE):
                texts, quotes, at = [], [], 0
                for u, reports in enumerate(told, start=first):
                    kind, said = reports[k]
                    text = " ".join(said).capitalize() + "."
                    quotes.append(Quote(kind, [(at, at + len(text))], text, speaker=None if k == 6 else speaker,
                                        venue=venue if k % 3 else None))
                    texts.append(text)
                    at += len(text) + 1
                    quote_id += 1
                    truth[quote_id] = u
                pending.append((Article(id=f"u{first}-{k}", text=" ".join(texts), outlet=f"news{k}.example", date=day),
                                quotes))
            if len(pending) >= 2000:
                store.write(pending)
                pending = []
        store.write(pending)
    return truth


def pairwise(store: QuoteStore, truth: dict[int, int]) -> dict:
    """Pairwise P/R/F1 from counts (pairs are never listed: 100k reports make millions)."""
    pairs = lambda n: n * (n - 1) // 2  # noqa: E731
    hits = predicted = 0
    for cluster in store.clusters():
        ids = [m["quote_id"] for m in cluster["members"]]
        predicted += pairs(len(ids))
        hits += sum(pairs(n) for n in Counter(truth[i] for i in ids).values())
    gold = sum(pairs(n) for n in Counter(truth.values()).values())
    p, r = hits / max(1, predicted), hits / max(1, gold)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if hits else 0.0}


def one_run(n: int, answers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "link.db"
        truth = build(path, n, answers)
        with QuoteStore(path) as store:
            start, cpu = time.perf_counter(), time.process_time()
            linked = store.link()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            result = {"quotes": linked, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                      "quotes_per_second": round(linked / seconds, 1),
                      "ms_per_quote": round(1000 * seconds / linked, 3), "clusters": len(store.clusters()),
                      "pairwise": pairwise(store, truth), "peak_rss_mb": round(rss, 1)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--answers", type=int, default=1,
                        help="utterances of one speaker reported one after another in each article")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process of one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.answers)))
        return
    results = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--answers", str(args.answers)],
                             check=True, capture_output=True, text=True)
        results.append(json.loads(out.stdout))
        print(f"{n:>8} reports: {results[-1]}", flush=True)
    if len(results) > 1:
        print(f"time per quote, largest / smallest: {results[-1]['ms_per_quote'] / results[0]['ms_per_quote']:.2f}")
    path = ROOT / "benchmarks" / "results" / "bench_link.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
