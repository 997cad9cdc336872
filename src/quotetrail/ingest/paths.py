"""From the names a user gives (files, directories, globs, `-`) to the files they stand for, or why there are none."""
from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path

from ..model import Skipped
from .formats import BY_SUFFIX, suffix_of


def files_of(name: str) -> Iterator[str | Skipped]:
    """The files a name stands for: itself, a directory's files in a format we read, or a pattern's matches."""
    path = Path(name)
    if name == "-" or path.is_file():
        yield name
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                       and suffix_of(p.name) in BY_SUFFIX)
        if not files:
            yield Skipped(name, "directory holds no text files (.txt, .html, .warc, .jsonl, .csv, …)",
                          kind="directory without text files")
        yield from map(str, files)
    elif glob.has_magic(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield Skipped(name, "no file matches this pattern", kind="pattern without matches")
        for match in matches:
            yield from files_of(match)
    elif path.exists():
        yield name  # a fifo or device: let the reader try it
    else:
        yield Skipped(name, "no such file or directory", kind="missing file")
