"""JSONL and CSV records to articles: `text` (kept exactly as given) or `html`, with optional metadata."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from ..model import Article, Skipped

FIELDS = ("url", "outlet", "date", "title")


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
    if isinstance(obj.get("text"), str):
        return Article(text=obj["text"], origin=where, **fields)
    if isinstance(obj.get("html"), str):
        from .html import read_html_field  # trafilatura loads with the first `html` record, not for `text` ones

        return read_html_field(obj["html"], where, origin=where, **fields)
    return Skipped(where, 'no "text" or "html" string in this record', kind="record without text")


def read_jsonl(stream: BinaryIO, where: str) -> Iterator[Article | Skipped]:
    """One article per line of a JSONL stream; a bad line is one skip naming `file:line`."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        at = f"{where}:{number}"
        try:
            obj = json.loads(line)
        except UnicodeDecodeError as exc:
            yield Skipped(at, f"not UTF-8 ({exc.reason} at byte {exc.start})", kind="undecodable record")
            continue
        except json.JSONDecodeError as exc:
            yield Skipped(at, f"malformed JSON ({exc.msg})", kind="malformed record")
            continue
        yield record_article(obj, at)


def read_csv(stream: BinaryIO, where: str) -> Iterator[Article | Skipped]:
    """One article per row of a CSV stream with a header naming a `text` or `html` column."""
    csv.field_size_limit(2**31 - 1)  # one article can be far longer than the 128 KiB default
    rows = csv.DictReader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
    try:
        columns = rows.fieldnames or []
        if not {"text", "html"} & set(columns):
            shown = ", ".join(columns[:8]) or "none"
            yield Skipped(where, f"CSV has no text or html column (columns: {shown})", kind="CSV without a text column")
            return
        for row in rows:
            yield record_article({k: v for k, v in row.items() if k is not None}, f"{where}:{rows.line_num}")
    except csv.Error as exc:
        yield Skipped(f"{where}:{rows.line_num}", f"malformed CSV ({exc}); rest of file unread",
                      kind="malformed record")
    except UnicodeDecodeError as exc:
        yield Skipped(f"{where}:{rows.line_num + 1}", f"not UTF-8 ({exc.reason}); rest of file unread",
                      kind="undecodable record")
