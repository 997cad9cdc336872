"""From the names a user gives (files, directories, globs, `-`) to a stream of Articles and Skipped.

Each file is opened once and streamed: gzip is undone when its magic bytes say so, the format is
sniffed from the first bytes (then the name), and the reader for that format yields articles one by one.
"""
from __future__ import annotations

import contextlib
import dataclasses
import glob
import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..model import Article, Skipped
from .clean import clean_marked
from .decode import decode
from .html import read_html
from .meta import complete
from .records import read_csv, read_jsonl
from .report import Tally
from .sniff import BY_SUFFIX, kind_of, suffix_of
from .split import split as split_article
from .warc import read_warc

MAX_BYTES = 200_000_000  # one text or HTML file; WARC, JSONL and CSV files stream and have no limit
RECORD_KINDS = ("jsonl", "csv")


def read_paths(paths: list[str], *, split: bool | None = None, tally: Tally | None = None) -> Iterator[Article | Skipped]:
    """Articles from files, directories (recursively), glob patterns and `-` (stdin), in order.

    `split` None splits texts, HTML pages and WARC pages but not JSONL/CSV records; True splits all,
    False none. `tally`, when given, counts the files opened.
    """
    tally = tally or Tally()
    for raw in paths:
        for name in _expand(raw):
            if isinstance(name, Skipped):
                yield name
                continue
            tally.files += 1
            yield from read_file(name, split=split)


def read_file(name: str, *, split: bool | None = None) -> Iterator[Article | Skipped]:
    """The articles of one file (or `-`, stdin), whatever its format and compression."""
    try:
        with _open(name) as raw:
            head = raw.peek(8192)
            zipped = head[:2] == b"\x1f\x8b"
            kind = kind_of(zlib.decompressobj(wbits=31).decompress(head) if zipped else head, name)
            stream = gzip.GzipFile(fileobj=raw) if zipped and kind != "warc" else raw  # warcio ungzips itself
            for item in READERS[kind](stream, name):
                yield from _finish(item, kind, split)
    except EOFError:
        yield Skipped(name, "truncated gzip file; rest of file unread", kind="truncated file")
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield Skipped(name, f"corrupt gzip data ({exc}); rest of file unread", kind="corrupt file")
    except OSError as exc:
        yield Skipped(name, exc.strerror or str(exc), kind="unreadable file")


def _open(name: str) -> contextlib.AbstractContextManager[io.BufferedReader]:
    """A peekable binary stream of a file, or of stdin (left open) for `-`."""
    if name != "-":
        return open(name, "rb")
    stdin = sys.stdin.buffer
    return contextlib.nullcontext(stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin))


def _expand(raw: str) -> Iterator[str | Skipped]:
    """The files a name stands for: itself, a directory's supported files, or a pattern's matches."""
    path = Path(raw)
    if raw == "-" or path.is_file():
        yield raw
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                       and suffix_of(p.name) in BY_SUFFIX)
        if not files:
            yield Skipped(raw, "directory holds no text files (.txt, .html, .warc, .jsonl, .csv, …)",
                          kind="directory without text files")
        yield from map(str, files)
    elif glob.has_magic(raw):
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            yield Skipped(raw, "no file matches this pattern", kind="pattern without matches")
        for match in matches:
            yield from _expand(match)
    elif path.exists():
        yield raw  # a fifo or device: let the reader try it
    else:
        yield Skipped(raw, "no such file or directory", kind="missing file")


def _read_whole(stream: BinaryIO, name: str) -> bytes | Skipped:
    """The bytes of a text or HTML file, or a skip when it is empty or too large."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return Skipped(name, f"file too large (over {MAX_BYTES} bytes)", kind="oversized file")
    if not data.strip():
        return Skipped(name, "empty file", kind="empty file")
    return data


def read_text(stream: BinaryIO, name: str) -> Iterator[Article | Skipped]:
    """One article from a plain-text file, decoded as UTF-8, else Windows-1252."""
    data = _read_whole(stream, name)
    if isinstance(data, Skipped):
        yield data
        return
    text, warning = decode(data)
    yield Article(id="", text=text, origin=name, meta={"warning": warning} if warning else {})


def read_html_file(stream: BinaryIO, name: str) -> Iterator[Article | Skipped]:
    """One article from an HTML file."""
    data = _read_whole(stream, name)
    yield data if isinstance(data, Skipped) else read_html(data, name)


def read_binary(stream: BinaryIO, name: str) -> Iterator[Skipped]:
    """A binary file is never an article."""
    yield Skipped(name, "binary file (control bytes), not text", kind="binary file")


READERS: dict[str, Callable[[BinaryIO, str], Iterator[Article | Skipped]]] = {
    "text": read_text, "html": read_html_file, "warc": read_warc, "jsonl": read_jsonl, "csv": read_csv,
    "binary": read_binary,
}


def _finish(item: Article | Skipped, kind: str, split: bool | None) -> Iterator[Article | Skipped]:
    """Clean (not records' `text`, unless splitting), fill in metadata and split one article."""
    if isinstance(item, Skipped):
        yield item
        return
    splitting = split if split is not None else kind not in RECORD_KINDS
    hints: list[int] = []
    if splitting or kind not in RECORD_KINDS:
        text, hints = clean_marked(item.text)
        if not text:
            yield Skipped(item.origin or "?", "no text left after removing page furniture", kind="empty file")
            return
        item = dataclasses.replace(item, text=text)
    article = complete(item, fetched=item.meta.get("fetched"))
    yield from split_article(article, hints) if splitting else [article]
