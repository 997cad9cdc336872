"""What a file holds, from its first bytes and then its name: WARC, HTML, JSONL, CSV, text or binary."""
from __future__ import annotations

import re
from pathlib import PurePath

BY_SUFFIX = {".html": "html", ".htm": "html", ".xhtml": "html", ".warc": "warc", ".jsonl": "jsonl",
             ".ndjson": "jsonl", ".csv": "csv", ".txt": "text", ".text": "text", ".md": "text", "": "text"}
_JSON_OBJECT = re.compile(rb"\s*\{\s*(\"|\}|$)")


def suffix_of(name: str) -> str:
    """The suffix that names the format, past a `.gz` (`a.warc.gz` → `.warc`)."""
    path = PurePath(name.lower())
    return PurePath(path.stem).suffix if path.suffix == ".gz" else path.suffix


def looks_binary(head: bytes) -> bool:
    """True when the first bytes hold a NUL or many control characters: not text in any charset we read."""
    if b"\x00" in head:
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return controls > max(8, len(head) // 20)


def kind_of(head: bytes, name: str) -> str:
    """`warc`, `binary`, `html`, `jsonl`, `csv` or `text`: the content decides when it is clear, else the name."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if start.startswith(b"warc/"):
        return "warc"
    if looks_binary(head[:4096]):
        return "binary"
    if _JSON_OBJECT.match(head[:64].lstrip(b"\xef\xbb\xbf")):
        return "jsonl"
    if start.startswith(b"<") and (start.startswith(b"<!doctype html") or b"<html" in head[:2048].lower()):
        return "html"
    return BY_SUFFIX.get(suffix_of(name), "text")
