"""quotetrail: who said what, where and when in the news.

The public API: :func:`extract` finds the quotations of one article; :class:`Quote`
and :class:`Article` are the records it works with; :class:`QuoteStore` is the quote database
(ingest a corpus, search it, list speakers, export).
"""
from .engine import extract
from .model import Article, Quote
from .store import QuoteStore

__all__ = ["Article", "Quote", "QuoteStore", "extract"]
