"""From the names a user gives to a stream of Articles and Skipped: each file opened once and streamed.

gzip is undone when its magic bytes say so, the format is found in the table of `formats` (by the
first bytes, then the name), and its reader yields articles one by one; pages are then cleaned and
split, records kept as given, and an article too long for one (`split.ARTICLE_CHARS`) cut into pieces.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterator

from ..model import Article, Skipped
from .clean import clean_marked
from .formats import Format, format_of
from .meta import complete
from .paths import files_of
from .report import Tally
from .split import bounded
from .split import split as split_article


def read_paths(paths: list[str], *, split: bool | None = None,
               tally: Tally | None = None) -> Iterator[Article | Skipped]:
    """Articles from files, directories (recursively), glob patterns and `-` (stdin), in order.

    `split` None splits texts, HTML pages and WARC pages but not JSONL/CSV records; True splits all,
    False none. `tally`, when given, counts the files opened.
    """
    tally = tally or Tally()
    for raw in paths:
        for name in files_of(raw):
            if isinstance(name, Skipped):
                yield name
                continue
            tally.files += 1
            yield from read_file(name, split=split)


def read_file(name: str, *, split: bool | None = None) -> Iterator[Article | Skipped]:
    """The articles of one file (or `-`, stdin), whatever its format and compression."""
    return read_opened(lambda: _open(name), shown_name(name), split=split)


def read_opened(opener: Callable[[], contextlib.AbstractContextManager[io.BufferedReader]], label: str, *,
                split: bool | None = None) -> Iterator[Article | Skipped]:
    """The articles of a stream that `opener` opens (a file, a download), named `label` in origins and skips.

    Whatever goes wrong, opening included, is a `Skipped` naming `label`: the same skips as a file's.
    """
    last = None  # where the last record read was: a broken gzip member is named after it
    try:
        with opener() as raw:
            head = raw.peek(8192)
            zipped = head[:2] == b"\x1f\x8b"
            fmt = format_of(zlib.decompressobj(wbits=31).decompress(head) if zipped else head, label)
            stream = gzip.GzipFile(fileobj=raw) if zipped and not fmt.gunzips else raw
            for item in fmt.load()(stream, label):
                last = item.origin if isinstance(item, Article) else item.where
                yield from _finish(item, fmt, split)
    except EOFError:
        yield Skipped(label, f"truncated gzip file{_after(last)}; rest of file unread", kind="truncated file")
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield Skipped(label, f"corrupt gzip data{_after(last)} ({exc}); rest of file unread", kind="corrupt file")
    except OSError as exc:
        yield Skipped(label, exc.strerror or str(exc), kind="unreadable file")
    except (RecursionError, MemoryError) as exc:
        yield Skipped(label, f"{type(exc).__name__} while reading; rest of file unread", kind="unreadable file")
    except Exception as exc:  # noqa: BLE001 - a reader's bug on one hostile file must not end the batch
        yield Skipped(label, f"cannot read ({type(exc).__name__}: {exc}); rest of file unread", kind="unreadable file")


def shown_name(name: str) -> str:
    """A file name as text: bytes that were not UTF-8 (lone surrogates from the file system) as
    `\\xe9`, so that the origin of its articles can be stored and written (`caf\\xe9.txt`)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _after(where: str | None) -> str:
    return f" after {where}" if where else ""


def _open(name: str) -> contextlib.AbstractContextManager[io.BufferedReader]:
    """A peekable binary stream of a file, or of stdin (left open) for `-`."""
    if name != "-":
        return open(name, "rb")
    stdin = sys.stdin.buffer
    return contextlib.nullcontext(stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin))


def _finish(item: Article | Skipped, fmt: Format, split: bool | None) -> Iterator[Article | Skipped]:
    """Clean a page (a record only when splitting), fill in metadata and split one article."""
    if isinstance(item, Skipped):
        yield item
        return
    pages = fmt.holds == "pages"
    splitting = pages if split is None else split
    hints: list[int] = []
    if splitting or pages:
        text, hints = clean_marked(item.text)
        if not text:
            yield Skipped(item.origin or "?", "no text left after removing page furniture", kind="empty file")
            return
        item = dataclasses.replace(item, text=text)
    article = complete(item, fetched=item.meta.get("fetched"))
    for piece in split_article(article, hints) if splitting else [article]:
        yield from bounded(piece)
