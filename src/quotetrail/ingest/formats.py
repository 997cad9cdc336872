"""The formats quotetrail reads, in one table: how each is recognised, who reads it, and what it holds.

Adding a format is one entry in `FORMATS`. Readers are named, not imported, so that a reader's module
(and trafilatura or warcio with it) loads only when a file of its format is read.
"""
from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO, Literal

from ..model import Article, Skipped

Reader = Callable[[BinaryIO, str], Iterator[Article | Skipped]]
MAX_RECORD_BYTES = 50_000_000  # a WARC page, a JSONL line, a CSV field: larger ones are skipped unread
# An HTML page larger than this after its scripts and styles are dropped is skipped: trafilatura's
# tree takes about 30 times the page (216 MB for 5 MB of paragraphs, over 500 MB for 20 MB).
MAX_HTML_BYTES = 5_000_000

_BOM = b"\xef\xbb\xbf"
_JSON_OBJECT = re.compile(rb"\s*\{\s*(\"|\}|$)")


@dataclass(frozen=True)
class Format:
    """One kind of input file.

    `reader` is `module:function` in this package, `(stream, name) -> Articles and Skipped`. `sniff`
    tells the kind from a file's first bytes (gzip undone); a format without one is known by its
    `suffixes` alone. `holds` decides what becomes of what the reader yields: `pages` are cleaned and
    split, `records` are kept exactly as given unless splitting is asked for. `gunzips` is True when
    the reader undoes gzip itself.
    """

    kind: str
    suffixes: tuple[str, ...]
    reader: str
    holds: Literal["pages", "records"] = "pages"
    sniff: Callable[[bytes], bool] | None = None
    gunzips: bool = False

    def load(self) -> Reader:
        """The reader function, its module imported on first use."""
        module, _, function = self.reader.partition(":")
        return getattr(importlib.import_module(f".{module}", __package__), function)


def _start(head: bytes) -> bytes:
    """The first bytes past a BOM and white space, lower-cased."""
    return head.lstrip(_BOM + b" \t\r\n")[:64].lower()


def looks_warc(head: bytes) -> bool:
    """A WARC record header opens the file."""
    return _start(head).startswith(b"warc/")


def looks_binary(head: bytes) -> bool:
    """A NUL or many control characters: not text in any charset we read."""
    head = head[:4096]
    if b"\x00" in head:
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return controls > max(8, len(head) // 20)


def looks_jsonl(head: bytes) -> bool:
    """A JSON object opens the file."""
    return bool(_JSON_OBJECT.match(head[:64].lstrip(_BOM)))


def looks_html(head: bytes) -> bool:
    """A doctype or an `<html>` tag near the start of a file that opens with a tag."""
    start = _start(head)
    return start.startswith(b"<") and (start.startswith(b"<!doctype html") or b"<html" in head[:2048].lower())


# Sniffed in this order: the content decides when it is clear, else the name, else it is text.
FORMATS = (
    Format("warc", (".warc",), "warc:read_warc", sniff=looks_warc, gunzips=True),  # warcio ungzips itself
    Format("binary", (), "pages:read_binary", sniff=looks_binary),
    Format("jsonl", (".jsonl", ".ndjson"), "records:read_jsonl", holds="records", sniff=looks_jsonl),
    Format("html", (".html", ".htm", ".xhtml"), "html:read_html_file", sniff=looks_html),
    Format("csv", (".csv",), "records:read_csv", holds="records"),
    Format("text", (".txt", ".text", ".md", ""), "pages:read_text"),
)
BY_KIND = {fmt.kind: fmt for fmt in FORMATS}
BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}


def suffix_of(name: str) -> str:
    """The suffix that names the format, past a `.gz` (`a.warc.gz` → `.warc`)."""
    path = PurePath(name.lower())
    return PurePath(path.stem).suffix if path.suffix == ".gz" else path.suffix


def format_of(head: bytes, name: str = "") -> Format:
    """The format of a file from its first bytes (gzip undone) when they are clear, else from its name."""
    sniffed = next((fmt for fmt in FORMATS if fmt.sniff and fmt.sniff(head)), None)
    return sniffed or BY_SUFFIX.get(suffix_of(name), BY_KIND["text"])
