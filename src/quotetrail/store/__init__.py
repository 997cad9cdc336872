"""The quote database on embedded SQLite (FTS5).

| module | job |
| --- | --- |
| `schema` | DDL, schema version (`PRAGMA user_version`), ordered migrations, refusing foreign files |
| `store` | `QuoteStore`: idempotent, crash-safe batched writes and the read API |
| `speakers` | one speaker across articles: keys, aliases, the bare-surname rule |
| `query` | full-text search with filters and counts, speakers, one quote or article, stats, export rows |
| `links` | the linker: candidate index, links, clusters of reports of one utterance |
| `trails` | reads of clusters: the clusters with their members, one cluster's trail of diffs |
"""
from .schema import VERSION, StoreError
from .store import IngestReport, QuoteStore

__all__ = ["IngestReport", "QuoteStore", "StoreError", "VERSION"]
