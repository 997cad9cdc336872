"""Articles to (article, quotes) results: the seam where extraction work is spread over processes.

`extractor(jobs)` gives a function that maps a list of articles to their results in order. With
one job it runs in this process; with more it uses a `multiprocessing.Pool` whose workers load the
language model once. The shared pool of `quotetrail.parallel` can replace `_pool_map` here.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..engine import extract
from ..ingest import Skipped
from ..model import Article, Quote

Result = tuple[Article, list[Quote]] | Skipped
MapFn = Callable[[list[Article]], Iterator[Result]]


def extract_one(article: Article) -> Result:
    """The quotes of one article, or a `Skipped` when the engine cannot take it."""
    try:
        return article, extract(article.text, date=article.date, outlet=article.outlet, url=article.url)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Skipped(article.id, f"extraction failed ({type(exc).__name__}: {exc})", kind="failed extraction")


def _warm() -> None:
    extract("Warm up, the model said.")


@contextmanager
def extractor(jobs: int = 1) -> Iterator[MapFn]:
    """A function mapping a list of articles to their results, in order, over `jobs` processes."""
    if jobs <= 1:
        yield lambda articles: map(extract_one, articles)
        return
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_warm) as pool:
        yield lambda articles: pool.imap(extract_one, articles, chunksize=1)
