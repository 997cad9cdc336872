"""The quote database on embedded SQLite (FTS5).

| module | job |
| --- | --- |
| `schema` | DDL, schema version (`PRAGMA user_version`), ordered migrations, refusing foreign files |
| `store` | `QuoteStore`: idempotent, crash-safe batched writes and the read API |
| `speakers` | one speaker across articles: keys, aliases, the bare-surname rule |
| `query` | full-text search with filters and counts, speakers, one quote or article, stats, export rows |
| `links` | the linker: candidate index, links, clusters of reports of one utterance |
| `trails` | reads of clusters: the clusters with their members, one cluster's trail of diffs |

Names are loaded on first use (PEP 562), as the package's own: a module that needs only
`StoreError` or `store.query` (the command line's output, `extract`) does not import the
store, the linker and the corrections behind `QuoteStore`.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import VERSION, StoreError
    from .store import IngestReport, QuoteStore

_HOMES = {"IngestReport": ".store", "QuoteStore": ".store", "StoreError": ".schema", "VERSION": ".schema"}

__all__ = ["IngestReport", "QuoteStore", "StoreError", "VERSION"]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
