"""Extraction over a stream of articles, in this process or in worker processes.

`extract_articles` is the one loop every batch command uses (`extract`, `eval`,
`ingest`): it takes articles in order and yields, in the same order, `(article,
quotes)` or a `Skipped` for an article the engine could not take; anything else in
the stream (a `Skipped` from the readers, an article the store already holds) passes
through in its place. With `jobs > 1` the work goes to a pool of worker processes;
each loads the spaCy pipeline once (the pool's initializer) and takes one article at
a time. Input is read lazily in the calling thread, at most WINDOW articles per
worker ahead of the results, so a corpus is never held in memory whole.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool

from . import nlp
from .engine import extract
from .ingest import Skipped
from .model import Article, Quote

Result = tuple[Article, list[Quote]] | Skipped

# Articles in flight per worker: enough to keep every worker busy, few enough that memory
# stays bounded on any corpus.
WINDOW = 8


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
        return Skipped(article.id, f"extraction failed ({type(exc).__name__}: {exc})", kind="failed extraction")


def _init_worker() -> None:
    """Pool initializer: load the pipeline once per worker, before the first article."""
    nlp.load()


def _work(item: object) -> object:
    """The quotes of an `Article` (or its `Skipped`); anything else as it is."""
    return extract_one(item) if isinstance(item, Article) else item


def _paired(item: object, found: object) -> object:
    """`(article, quotes)` for an extracted article; a `Skipped` or a passed-through item as it is."""
    return (item, found) if isinstance(item, Article) and not isinstance(found, Skipped) else found


def extract_articles(items: Iterable, jobs: int = 1, window: int | None = None) -> Iterator[Result]:
    """`(article, quotes)` for every article of `items`, or its `Skipped`, in input order.

    `jobs` is the number of processes (1: this one). Anything that is not an
    `Article` passes through unchanged, in its place. With `jobs > 1` the workers
    start here, at the call (before the caller starts a progress-bar thread), and stop
    when the returned iterator is exhausted or closed; `items` is read in the calling
    thread, at most `window` (default WINDOW per worker) ahead of the results.
    """
    if jobs <= 1:
        return _in_process(items)
    # fork shares the imported modules with the workers, so they start in a fraction of a second
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker)
    return _in_pool(pool, items, window or WINDOW * jobs)


def _in_process(items: Iterable) -> Iterator[Result]:
    for item in items:
        yield _paired(item, _work(item))


def _in_pool(pool: Pool, items: Iterable, window: int) -> Iterator[Result]:
    pending: deque[tuple[object, AsyncResult | None]] = deque()
    with pool:
        for item in items:
            pending.append((item, pool.apply_async(_work, (item,)) if isinstance(item, Article) else None))
            if len(pending) >= window:
                yield _done(*pending.popleft())
        while pending:
            yield _done(*pending.popleft())


def _done(item: object, job: AsyncResult | None) -> object:
    """The result for `item` once its worker has finished (at once for a passed-through item)."""
    return item if job is None else _paired(item, job.get())
