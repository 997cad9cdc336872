"""Extraction over a stream of articles, in this process or in worker processes.

`extract_articles` is the one loop every batch command uses (`extract`, `eval`,
`ingest`): it takes articles in order and yields, in the same order, `(article,
quotes)` or a `Skipped` for an article the engine could not take; anything else in
the stream (a `Skipped` from the readers, an article the store already holds) passes
through in its place. With `jobs > 1` the work goes to a pool of worker processes;
each loads the spaCy pipeline once (the pool's initializer) and takes one article at
a time. Input is read lazily in the calling thread, at most WINDOW articles per
worker ahead of the results, so a corpus is never held in memory whole. Articles go
to the engine BATCH at a time (`engine.extract_quotes_batch` parses them together), in this
process as in a worker.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool

from . import nlp
from .engine import BATCH, check_conventions, extract_quotes_batch
from .model import Article, Quote, Skipped

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


def _skipped(article: Article, exc: Exception) -> Skipped:
    return Skipped(article.id, f"extraction failed ({type(exc).__name__}: {exc})", kind="failed extraction")


def _init_worker() -> None:
    """Pool initializer: the pipeline, once per worker, before the first article (forked workers
    have it from the main process already). A worker leaves Ctrl-C to the main process (which
    ends the pool) and dies with it: killed, the main process takes its workers along at once,
    instead of leaving them to fail on a broken pipe with a traceback seconds later. The pipe to a
    dead main process can break before that signal lands: SIGPIPE, at its default, then ends the
    worker as quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    _die_with_parent()
    nlp.load()


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the process that forked it ends (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:  # the parent died before prctl took hold
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _work(items: list, conventions: str = "news") -> list:
    """For each item: the quotes of an `Article` (or its `Skipped`); anything else as it is."""
    articles = [item for item in items if isinstance(item, Article)]
    try:
        found = extract_quotes_batch([a.text for a in articles], conventions=conventions) if articles else []
    except Exception as exc:  # noqa: BLE001 - reported per article, never silent
        found = [exc] * len(articles)
    done = iter(_skipped(a, f) if isinstance(f, Exception) else f for a, f in zip(articles, found, strict=True))
    return [next(done) if isinstance(item, Article) else item for item in items]


def _paired(item: object, found: object) -> object:
    """`(article, quotes)` for an extracted article; a `Skipped` or a passed-through item as it is."""
    return (item, found) if isinstance(item, Article) and not isinstance(found, Skipped) else found


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` articles; whatever else comes between them rides along in its
    place (a WARC's request record before each page must not leave every batch one page long)."""
    batch: list = []
    held = 0
    for item in items:
        batch.append(item)
        held += isinstance(item, Article)
        if held >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def extract_articles(items: Iterable, jobs: int = 1, window: int | None = None,
                     conventions: str = "news") -> Iterator[Result]:
    """`(article, quotes)` for every article of `items`, or its `Skipped`, in input order.

    `jobs` is the number of processes (1: this one). Anything that is not an
    `Article` passes through unchanged, in its place. With `jobs > 1` the workers
    start here, at the call (before the caller starts a progress-bar thread), and stop
    when the returned iterator is exhausted or closed; `items` is read in the calling
    thread, at most `window` (default WINDOW per worker) ahead of the results. `conventions`
    is what counts as a quotation, as in `engine.extract_quotes` (an unknown name: ValueError, here).
    """
    check_conventions(conventions)
    if jobs <= 1:
        return _in_process(items, conventions)
    # fork shares the imported modules with the workers, so they start in a fraction of a second;
    # the model too, loaded here once and frozen out of the garbage collector's sight, so that its
    # pages stay shared and no worker spends a second loading its own copy
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        nlp.load()
        gc.freeze()
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker)  # forks here
    gc.unfreeze()  # this process collects as before
    return _in_pool(pool, items, window or WINDOW * jobs, conventions)


def _in_process(items: Iterable, conventions: str) -> Iterator[Result]:
    for batch in _batches(items, BATCH):
        yield from map(_paired, batch, _work(batch, conventions))


def _in_pool(pool: Pool, items: Iterable, window: int, conventions: str) -> Iterator[Result]:
    pending: deque[tuple[list, AsyncResult | None]] = deque()
    in_flight = 0
    with pool:
        for batch in _batches(items, max(1, min(BATCH, window))):
            articles = any(isinstance(item, Article) for item in batch)
            pending.append((batch, pool.apply_async(_work, (batch, conventions)) if articles else None))
            in_flight += len(batch)
            while in_flight >= window:
                in_flight -= len(pending[0][0])
                yield from _done(*pending.popleft())
        while pending:
            yield from _done(*pending.popleft())


def _done(batch: list, job: AsyncResult | None) -> Iterator[object]:
    """The results for `batch` once its worker has finished (at once for a batch with no article)."""
    return iter(batch) if job is None else map(_paired, batch, job.get())
