"""Articles to (article, quotes) results: the seam where extraction work is spread over processes.

`extractor(jobs)` gives a function that maps a stream of items to their results lazily and in
order: an `Article` becomes (article, quotes) or a `Skipped`; anything else (a `Skipped` from the
readers, an `Unchanged` article) passes through in its place. With one job it runs in this
process; with more, a `multiprocessing.Pool` whose workers load the language model once gets at
most `WINDOW` articles per worker ahead of the consumer, so memory stays bounded on any corpus.
The shared pool of `quotetrail.parallel` can replace `_pool_map` here.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..engine import extract
from ..ingest import Skipped
from ..model import Article, Quote

Result = tuple[Article, list[Quote]] | Skipped
WINDOW = 8  # articles in flight per worker


@dataclass
class Unchanged:
    """An article already stored with the same content: not extracted again."""

    article: Article


def extract_one(article: Article) -> Result:
    """The quotes of one article, or a `Skipped` when the engine cannot take it."""
    try:
        return article, extract(article.text, date=article.date, outlet=article.outlet, url=article.url)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Skipped(article.id, f"extraction failed ({type(exc).__name__}: {exc})", kind="failed extraction")


def work(item):
    """Extract an `Article`; pass anything else through."""
    return extract_one(item) if isinstance(item, Article) else item


def _warm() -> None:
    extract("Warm up, the model said.")


def _pool_map(pool, items: Iterable, window: int) -> Iterator:
    """`map(work, items)` over the pool, in order, with at most `window` items in flight."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.apply_async(work, (item,)) if isinstance(item, Article) else item)
        if len(pending) >= window:
            done = pending.popleft()
            yield done.get() if hasattr(done, "get") else done
    while pending:
        done = pending.popleft()
        yield done.get() if hasattr(done, "get") else done


@contextmanager
def extractor(jobs: int = 1) -> Iterator[Callable[[Iterable], Iterator]]:
    """A function mapping a stream of items to their results, lazily and in order, over `jobs` processes."""
    if jobs <= 1:
        yield lambda items: map(work, items)
        return
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_warm) as pool:
        yield lambda items: _pool_map(pool, items, WINDOW * jobs)
