"""quotetrail: who said what, where and when in the news.

The public API: :func:`extract_quotes` finds the quotations of one article (and
:func:`extract_quotes_batch` of many); :class:`Quote` and :class:`Article` are the records it
works with; :class:`QuoteStore` is the quote database (search it, list speakers, export) and
:func:`ingest_articles` fills it from a stream of articles.

Names are loaded on first use (PEP 562), so that `import quotetrail` and the commands that only
read a database never load spaCy or trafilatura.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .corpus import ingest_articles
    from .engine import extract_quotes, extract_quotes_batch
    from .model import Article, Quote
    from .store import QuoteStore

_HOMES = {
    "Article": ".model",
    "Quote": ".model",
    "QuoteStore": ".store",
    "extract_quotes": ".engine",
    "extract_quotes_batch": ".engine",
    "ingest_articles": ".corpus",
}

__all__ = ["Article", "Quote", "QuoteStore", "extract_quotes", "extract_quotes_batch", "ingest_articles"]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
