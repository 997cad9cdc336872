"""From the names a user gives (files, directories, globs, `-`) to the files they stand for, or why there are none.

Whatever cannot be read is a skip naming it (a URL, a broken or looping symbolic link, a directory
without permission, a file of a directory in a format we do not read), never dropped in silence.
"""
from __future__ import annotations

import errno
import glob
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..model import Skipped
from .formats import BY_SUFFIX, suffix_of

URL = re.compile(r"(https?://|www\.)", re.I)
NOT_URLS = "quotetrail reads files, not URLs: save the page or a WARC crawl first, e.g. with wget --warc-file"
UNSUPPORTED = "unsupported file"  # the kind of a directory's file in a format we do not read (summed up, not bad)


def files_of(name: str) -> Iterator[str | Skipped]:
    """The files a name stands for: itself, a directory's files in a format we read, or a pattern's matches."""
    if name == "-" or os.path.isfile(name):
        yield name
    elif os.path.isdir(name):
        yield from _walk(name)
    elif URL.match(name) and not os.path.lexists(name):
        yield Skipped(name, f"no such file ({NOT_URLS})", kind="missing file")
    elif glob.has_magic(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield Skipped(name, "no file matches this pattern", kind="pattern without matches")
        for match in matches:
            yield from files_of(match)
    elif os.path.exists(name):
        yield name  # a fifo or device: let the reader try it
    else:
        yield unreachable(name) or Skipped(name, "no such file or directory", kind="missing file")


def _walk(top: str) -> Iterator[str | Skipped]:
    """A directory's files (recursively, in path order) whose suffix names a format we read, hidden ones left out.

    Symbolic links to directories are not followed; links to files are. A subdirectory that cannot be
    listed and a file link that leads nowhere are skips in their place; so is a file in a format we
    do not read (`UNSUPPORTED`, not bad: the summary counts and names a few), unless the directory
    holds no file we read at all, which is one skip for the directory.
    """
    found: list[tuple[Path, str | Skipped]] = []

    def unlisted(exc: OSError) -> None:
        where = Path(exc.filename)
        found.append((where, Skipped(str(where), f"cannot read directory ({exc.strerror})",
                                     kind="unreadable directory")))

    other: list[tuple[Path, Skipped]] = []
    for folder, _, names in os.walk(top, onerror=unlisted):
        for path in (Path(folder, n) for n in names if not n.startswith(".")):
            if suffix_of(path.name) not in BY_SUFFIX:
                other.append((path, Skipped(str(path), f"not a format quotetrail reads ({suffix_of(path.name)})",
                                            bad=False, kind=UNSUPPORTED)))
            elif os.path.isfile(path):
                found.append((path, str(path)))
            elif problem := unreachable(str(path)):
                found.append((path, problem))
    if not found:
        yield Skipped(top, "directory holds no text files (.txt, .html, .warc, .jsonl, .csv, …)",
                      kind="directory without text files")
        return
    for _, item in sorted(found + other, key=lambda entry: entry[0]):
        yield item


def unreachable(name: str) -> Skipped | None:
    """Why `name` cannot even be looked at (a symbolic link loop, a broken link, no permission), else None.

    None too when it simply does not exist: the caller knows what a missing name means.
    """
    try:
        os.stat(name)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(name, "symbolic link loop", kind="symbolic link loop")
        if os.path.islink(name):
            return Skipped(name, f"broken symbolic link to {os.readlink(name)} ({exc.strerror})",
                           kind="broken symbolic link")
        if exc.errno != errno.ENOENT:
            return Skipped(name, exc.strerror or str(exc), kind="unreadable file")
    return None
