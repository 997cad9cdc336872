"""WARC and WARC.gz crawls to articles: each HTTP response with an HTML page, streamed record by record."""
from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model import Article, Skipped
from .formats import MAX_RECORD_BYTES, format_of
from .html import read_html

_UNTYPED = ("", "text/plain", "application/octet-stream")  # sniffed for HTML


def read_warc(stream: BinaryIO, where: str) -> Iterator[Article | Skipped]:
    """Articles from the HTML responses of a WARC; every other record is an ordinary, counted skip.

    An article's url is the record's `WARC-Target-URI` and `meta["fetched"]` its `WARC-Date`. A broken
    record ends the file with one bad skip, as the records after it cannot be found reliably.
    """
    number = 0
    records = ArchiveIterator(stream)
    try:
        for number, record in enumerate(records, start=1):
            if _cut_header(record):
                yield _broken(f"{where}#{number}", "record header cut short")
                return
            item = _response(record, f"{where}#{number}")
            if _short(record):
                yield _broken(f"{where}#{number}", "truncated")
                return
            yield item
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        yield _broken(f"{where}#{number + 1}", f"{type(exc).__name__}: {exc}")
        return
    except Exception as exc:  # noqa: BLE001 - warcio on a mangled header (AttributeError, KeyError, …)
        yield _broken(f"{where}#{number + 1}", f"unparsable ({type(exc).__name__}: {exc})")
        return
    if records.offset < _position(stream):  # warcio stops quietly at a truncated or unparsable tail
        yield _broken(f"{where}#{number + 1}", f"truncated or unparsable after byte {records.offset}")


def _cut_header(record) -> bool:
    """True when a record's WARC header lacks what every record has (its type, its length): the
    file ended, or was cut, inside the header."""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    return not (record.rec_type and length.isascii() and length.isdigit())


def _short(record) -> bool:
    """True when the stream ended before the record's declared length (warcio does not say so)."""
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", 0) > 0


def _position(stream: BinaryIO) -> int:
    """How far `stream` has been read, or 0 when it cannot tell (a pipe)."""
    try:
        return stream.tell()
    except (OSError, AttributeError):
        return 0


def _broken(where: str, why: str) -> Skipped:
    """A bad skip for a WARC record that cannot be read, which ends the file."""
    return Skipped(where, f"broken WARC record ({why}); rest of file unread", kind="broken WARC record")


def _response(record, where: str) -> Article | Skipped:
    """The article in one WARC record, or why there is none."""
    if record.rec_type != "response":
        return _ordinary(where, f"WARC {record.rec_type} record")
    if record.http_headers is None:
        return _ordinary(where, "WARC response without HTTP headers")
    status = record.http_headers.get_statuscode() or "?"
    if status.startswith("3"):
        return _ordinary(where, "redirect", f"redirect (HTTP {status})")
    if status != "200":
        return _ordinary(where, "HTTP error response", f"HTTP status {status}")
    content_type = record.http_headers.get_header("Content-Type") or ""
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        return Skipped(where, f"page larger than {MAX_RECORD_BYTES} bytes", kind="oversized WARC record")
    if "html" not in content_type.lower() and not (content_type.split(";")[0].strip() in _UNTYPED
                                                   and format_of(body[:4096]).kind == "html"):
        return _ordinary(where, "non-HTML WARC record", f"not HTML ({content_type or 'no Content-Type'})")
    found = read_html(body, where, url=record.rec_headers.get_header("WARC-Target-URI"), content_type=content_type)
    if isinstance(found, Skipped):
        return dataclasses.replace(found, bad=False)
    fetched = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    return dataclasses.replace(found, meta={**found.meta, "fetched": fetched})


def _ordinary(where: str, kind: str, reason: str | None = None) -> Skipped:
    """A record that is not an article and not a fault: counted in the summary, not reported alone."""
    return Skipped(where, reason or kind, bad=False, kind=kind)
