"""Extraction over a stream of articles, in this process or in worker processes.

`extract_articles` is the one loop every batch command uses (`extract`, `eval`, and
later `ingest`): it takes articles (and `Skipped` records from the readers) in
order and yields, in the same order, `(article, quotes)` or a `Skipped` for an
article the engine could not take. With `jobs > 1` the work goes to a pool of
worker processes; each loads the spaCy pipeline once (the pool's initializer) and
takes articles in small chunks. Input is read lazily and results are yielded as
soon as they are ready, so a corpus is never held in memory whole.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import Pool

from . import nlp
from .engine import extract
from .ingest import Skipped
from .model import Article, Quote

Result = tuple[Article, list[Quote]] | Skipped

# Articles handed to a worker at a time: large enough to keep the pipe quiet, small
# enough that the order-preserving buffer and the last chunk stay short.
CHUNKSIZE = 2


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_one(article: Article) -> list[Quote] | Skipped:
    """The quotes of one article, or a `Skipped` naming the error that stopped the engine.

    Any exception is caught: one bad article never stops a run (DESIGN.md), in a
    worker process as in this one.
    """
    try:
        return extract(article.text, date=article.date, outlet=article.outlet, url=article.url)
    except Exception as exc:  # noqa: BLE001 - reported per article, never silent
        return Skipped(article.id, f"extraction failed ({type(exc).__name__}: {exc})")


def _init_worker() -> None:
    """Pool initializer: load the pipeline once per worker, before the first article."""
    nlp.load()


def _work(item: Article | Skipped) -> list[Quote] | Skipped:
    return item if isinstance(item, Skipped) else extract_one(item)


def extract_articles(items: Iterable[Article | Skipped], jobs: int = 1,
                     chunksize: int = CHUNKSIZE) -> Iterator[Result]:
    """`(article, quotes)` for every article of `items`, or its `Skipped`, in input order.

    `jobs` is the number of processes (1: this one). `Skipped` inputs pass through
    unchanged, in their place. With `jobs > 1` the workers start here, at the call
    (before the caller starts a progress-bar thread), and stop when the returned
    iterator is exhausted or closed.
    """
    if jobs <= 1:
        return _in_process(items)
    # fork shares the imported modules with the workers, so they start in a fraction of a second
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker)
    return _in_pool(pool, items, chunksize)


def _in_process(items: Iterable[Article | Skipped]) -> Iterator[Result]:
    for item in items:
        result = _work(item)
        yield result if isinstance(result, Skipped) else (item, result)


def _in_pool(pool: Pool, items: Iterable[Article | Skipped], chunksize: int) -> Iterator[Result]:
    pending: deque[Article | Skipped] = deque()

    def feed() -> Iterator[Article | Skipped]:
        # The pool's feeder thread pulls from here, a pipe's worth ahead of the workers;
        # each item waits in `pending` to be paired with its result.
        for item in items:
            pending.append(item)
            yield item

    with pool:
        for result in pool.imap(_work, feed(), chunksize=chunksize):
            item = pending.popleft()
            yield result if isinstance(result, Skipped) else (item, result)
