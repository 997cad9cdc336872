"""Filling a quote database from a stream of articles: the extract-and-store loop of `ingest`.

Kept out of the store, which must open and read databases without loading spaCy: this module
brings in the extraction (`parallel`, the engine) and hands its results to `QuoteStore.write`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice

from .model import Article, Skipped
from .parallel import Result, extract_articles
from .store import IngestReport, QuoteStore


def ingest_articles(store: QuoteStore, items: Iterable[Article | Skipped], *, jobs: int = 1,
                    on_item: Callable[[Result | Article], None] | None = None, link: bool = True) -> IngestReport:
    """Extract and store articles (`Skipped` items are passed through to the report), then link.

    Articles already stored with the same content are not extracted again. `on_item` is called
    once per item when it has been dealt with: an (article, quotes) pair, an unchanged Article,
    or a Skipped. `jobs` > 1 extracts in that many worker processes while batches (of
    `store.batch_size` articles) are written. With `link`, the new quotes join the clusters of
    reports of the same words (`QuoteStore.link`).
    """
    report = IngestReport()
    results = extract_articles(store.classify(items), jobs=jobs)
    while chunk := list(islice(results, store.batch_size)):
        store.write(chunk, report, on_item)
    if link:
        store.link()
    return report
