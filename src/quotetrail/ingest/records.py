"""JSONL and CSV records to articles: `text` (kept exactly as given) or `html`, with optional metadata.

Limits, so that one hostile record is one skip and never the end of the run: a record (a JSONL
line, a CSV field) of more than `MAX_RECORD_BYTES` is skipped unread, a JSONL line nested more than
`MAX_JSON_DEPTH` levels deep is skipped unparsed, and lone surrogates (`"\\ud800"`, which JSON
allows and no text encoding can carry) become U+FFFD, one character for one, so that offsets into
the text stay those of the record, with a warning.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..model import Article, Skipped
from .clean import without_surrogates
from .formats import MAX_RECORD_BYTES

FIELDS = ("url", "outlet", "date", "title")
MAX_JSON_DEPTH = 100  # a news record needs three or four levels
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def record_article(obj: object, where: str) -> Article | Skipped:
    """The article of one record: `id` kept as given, `text` exactly as given (or `html` extracted).

    `url`, `outlet`, `date` and `title` may stand at the top level or under `meta`.
    """
    if not isinstance(obj, dict):
        return Skipped(where, "record is not a JSON object", kind="malformed record")
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    fields = {k: (obj.get(k) or meta.get(k) or None) for k in FIELDS}
    fields = {k: str(v) if v is not None else None for k, v in fields.items()}
    fields["id"] = "" if obj.get("id") in (None, "") else str(obj["id"])
    fields = {k: without_surrogates(v) if v else v for k, v in fields.items()}
    text = obj.get("text")
    if isinstance(text, str):
        clean = without_surrogates(text)
        warning = None
        if clean != text:
            lone = sum(a != b for a, b in zip(text, clean, strict=True))
            warning = f"{lone} lone surrogate{'s' * (lone != 1)} (\\ud800-\\udfff) replaced with U+FFFD"
        return Article(text=clean, origin=where, meta={"warning": warning} if warning else {}, **fields)
    if isinstance(obj.get("html"), str):
        from .html import read_html_field  # trafilatura loads with the first `html` record, not for `text` ones

        return read_html_field(without_surrogates(obj["html"]), where, origin=where, **fields)
    return Skipped(where, 'no "text" or "html" string in this record', kind="record without text")


def read_jsonl(stream: BinaryIO, where: str) -> Iterator[Article | Skipped]:
    """One article per line of a JSONL stream; a bad line is one skip naming `file:line`."""
    for number, line in enumerate(_lines(stream), start=1):
        if line is None:
            yield Skipped(f"{where}:{number}", f"record larger than {MAX_RECORD_BYTES:,} bytes; skipped unread",
                          kind="oversized record")
            continue
        if not line.strip():
            continue
        at = f"{where}:{number}"
        if _too_deep(line):
            yield Skipped(at, f"JSON nested more than {MAX_JSON_DEPTH} levels deep", kind="malformed record")
            continue
        try:
            obj = json.loads(line)
        except UnicodeDecodeError as exc:
            yield Skipped(at, f"not UTF-8 ({exc.reason} at byte {exc.start})", kind="undecodable record")
            continue
        except json.JSONDecodeError as exc:
            yield Skipped(at, f"malformed JSON ({exc.msg})", kind="malformed record")
            continue
        except (RecursionError, MemoryError, ValueError) as exc:
            yield Skipped(at, f"unreadable JSON ({type(exc).__name__})", kind="malformed record")
            continue
        yield record_article(obj, at)


def _lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """The lines of `stream`, each read in bounded memory: None for a line over `MAX_RECORD_BYTES`
    (the rest of which is read and dropped)."""
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _too_deep(line: bytes) -> bool:
    """Whether a JSON line nests more than `MAX_JSON_DEPTH` arrays and objects (strings skipped);
    only lines with that many brackets are scanned."""
    if line.count(b"[") + line.count(b"{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for token in _JSON_TOKEN.finditer(line):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif mark in (b"]", b"}"):
            depth -= 1
    return False


def read_csv(stream: BinaryIO, where: str) -> Iterator[Article | Skipped]:
    """One article per row of a CSV stream with a header naming a `text` or `html` column.

    A quoted field left open runs to the end of the file: that last row is a skip naming the line
    where it starts, not an article made of the rest of the file."""
    csv.field_size_limit(MAX_RECORD_BYTES)  # one article can be far longer than the 128 KiB default
    lines = _Taken(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
    rows = csv.DictReader(lines)
    try:
        columns = rows.fieldnames or []
        if not {"text", "html"} & set(columns):
            shown = ", ".join(columns[:8]) or "none"
            yield Skipped(where, f"CSV has no text or html column (columns: {shown})", kind="CSV without a text column")
            return
        lines.taken.clear()
        held, start = None, rows.line_num + 1
        for row in rows:
            if held is not None:
                yield held
            raw = "".join(lines.taken)
            lines.taken.clear()
            fields = {k: v for k, v in row.items() if k is not None}
            held = (Skipped(f"{where}:{start}", "unterminated quoted field (no closing quote before the end of the "
                                                "file)", kind="malformed record")
                    if _unterminated(raw) else record_article(fields, f"{where}:{rows.line_num}"))
            start = rows.line_num + 1
        if held is not None:
            yield held
    except csv.Error as exc:
        yield Skipped(f"{where}:{rows.line_num}", f"malformed CSV ({exc}); rest of file unread",
                      kind="malformed record")
    except UnicodeDecodeError as exc:
        yield Skipped(f"{where}:{rows.line_num + 1}", f"not UTF-8 ({exc.reason}); rest of file unread",
                      kind="undecodable record")


class _Taken:
    """The lines of a text stream, keeping those the CSV reader took for the row it is reading."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.taken: list[str] = []

    def __iter__(self) -> _Taken:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.taken.append(line)
        return line


def _unterminated(raw: str) -> bool:
    """Whether the raw text of one CSV row ends inside a quoted field (strict parsing says so)."""
    if raw.count('"') % 2 == 0:
        return False
    try:
        list(csv.reader(io.StringIO(raw), strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False
