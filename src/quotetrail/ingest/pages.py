"""Files read whole as one page: plain text, and the binary files that are no page at all."""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..model import Article, Skipped
from .decode import decode

MAX_BYTES = 200_000_000  # one text or HTML file; WARC, JSONL and CSV files stream and have no limit


def read_whole(stream: BinaryIO, name: str) -> bytes | Skipped:
    """The bytes of a one-page file, or a skip when it is empty or too large."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return Skipped(name, f"file too large (over {MAX_BYTES} bytes)", kind="oversized file")
    if not data.strip():
        return Skipped(name, "empty file", kind="empty file")
    return data


def read_text(stream: BinaryIO, name: str) -> Iterator[Article | Skipped]:
    """One article from a plain-text file, decoded as UTF-8, else Windows-1252."""
    data = read_whole(stream, name)
    if isinstance(data, Skipped):
        yield data
        return
    text, warning = decode(data)
    yield Article(id="", text=text, origin=name, meta={"warning": warning} if warning else {})


def read_binary(stream: BinaryIO, name: str) -> Iterator[Skipped]:
    """A binary file is never an article."""
    yield Skipped(name, "binary file (control bytes), not text", kind="binary file")
