"""Turn the paths and JSONL files a user names into Articles, reporting what cannot be read."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
MAX_BYTES = 200_000_000


@dataclass
class Skipped:
    """A source (file, or one line of a JSONL file) that was not read, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def _decode(data: bytes, where: str) -> Article | Skipped:
    if b"\x00" in data[:8192]:
        return Skipped(where, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
    return Article(id=where, text=text.replace("\r\n", "\n"))


def read_text_file(path: Path) -> Article | Skipped:
    """One article from a text file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Skipped(str(path), f"file too large ({size} bytes; limit {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(str(path), exc.strerror or str(exc))
    return _decode(data, str(path))


def read_jsonl(path: str) -> Iterator[Article | Skipped]:
    """One article per JSONL line with `id` and `text` (optional `url`, `outlet`, `date`, `title`)."""
    try:
        handle = sys.stdin if path == "-" else open(path, encoding="utf-8", newline="", errors="strict")
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Skipped(where, f"malformed JSON ({exc.msg})")
                    continue
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    yield Skipped(where, "no \"text\" string in this record")
                    continue
                meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
                yield Article(
                    id=str(obj.get("id", where)), text=obj["text"],
                    url=obj.get("url") or meta.get("url"), outlet=obj.get("outlet") or meta.get("outlet"),
                    date=obj.get("date") or meta.get("date"), title=obj.get("title") or meta.get("title"),
                )
    except OSError as exc:
        yield Skipped(path, exc.strerror or str(exc))
    except UnicodeDecodeError as exc:
        yield Skipped(path, f"not UTF-8 ({exc.reason} at byte {exc.start})")


def read_paths(paths: list[str]) -> Iterator[Article | Skipped]:
    """Articles from files, directories (recursively, text files only) and `-` (stdin), in order."""
    for raw in paths:
        if raw == "-":
            yield Article(id="-", text=sys.stdin.read())
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                           and not p.name.startswith("."))
            if not files:
                yield Skipped(raw, "directory holds no text files")
            for file in files:
                yield read_text_file(file)
        elif path.suffix.lower() == ".jsonl":
            yield from read_jsonl(raw)
        elif path.exists():
            yield read_text_file(path)
        else:
            yield Skipped(raw, "no such file or directory")
