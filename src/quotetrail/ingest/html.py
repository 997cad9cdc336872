"""HTML pages to articles: main text and metadata (title, date, site name, canonical url, author) by trafilatura."""
from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from typing import BinaryIO

import trafilatura

from ..model import Article, Skipped
from .clean import clean
from .decode import charset_of, decode
from .formats import MAX_HTML_BYTES
from .pages import read_whole

_SCRIPTS = re.compile(rb"<(script|style)\b(?![^>]*ld\+json)[^>]*>.*?</\1\s*>", re.I | re.S)

for _name in ("trafilatura", "htmldate", "courlan"):  # their warnings would go to stderr line by line
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def read_html(data: bytes, where: str, *, url: str | None = None, content_type: str | None = None) -> Article | Skipped:
    """One article from an HTML page, or a skip when it has no main text.

    The page is decoded with the charset its HTTP `content_type` or `<meta charset>` declares, else as
    UTF-8 or Windows-1252; a page over `MAX_HTML_BYTES` without its scripts is skipped. `url` (a
    crawl's target) wins over the page's canonical url, which is kept
    in `meta`. The text is trafilatura's, one paragraph per block with blank lines between, not yet cleaned.
    """
    if len(data) > MAX_HTML_BYTES:
        data = _SCRIPTS.sub(b"", data)  # trafilatura drops them anyway; JSON-LD metadata stays
        if len(data) > MAX_HTML_BYTES:
            return Skipped(where, f"HTML page of {len(data):,} bytes without its scripts, over the {MAX_HTML_BYTES:,} "
                           "read as one page (save its text as .txt to read it)", kind="HTML page too large")
    html, warning = decode(data, charset_of(content_type, data))
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          favor_precision=True)
    except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile input; report, never crash
        return Skipped(where, f"HTML could not be parsed ({type(exc).__name__}: {exc})", kind="unparsable HTML page")
    if doc is None or not (doc.text or "").strip():
        return Skipped(where, "HTML page without main text", kind="HTML page without text")
    meta = {k: v for k, v in (("canonical_url", doc.url), ("author", doc.author), ("warning", warning)) if v}
    text = "\n\n".join(line for line in doc.text.split("\n") if line.strip())  # one block a paragraph
    return Article(id="", text=text, url=url or doc.url, outlet=doc.sitename or None, date=doc.date or None,
                   title=doc.title or None, meta=meta, origin=where)


def read_html_file(stream: BinaryIO, name: str) -> Iterator[Article | Skipped]:
    """One article from an HTML file."""
    data = read_whole(stream, name)
    yield data if isinstance(data, Skipped) else read_html(data, name)


def read_html_field(html: str, where: str, **fields) -> Article | Skipped:
    """An article from the `html` field of a JSONL/CSV record: extracted and cleaned, `fields` kept."""
    found = read_html(html.encode("utf-8"), where, url=fields.get("url"), content_type="text/html; charset=utf-8")
    if isinstance(found, Skipped):
        return found
    given = {k: v for k, v in fields.items() if v is not None}
    return dataclasses.replace(found, text=clean(found.text), **given)
