"""quotetrail: who said what, where and when in the news.

The public API: :func:`extract` finds the quotations of one article; :class:`Quote`
and :class:`Article` are the records it works with.
"""
from .engine import extract
from .model import Article, Quote

__all__ = ["Article", "Quote", "extract"]
