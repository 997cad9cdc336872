"""The inputs of a Spark run: the manifest's lines, and each line read by a task with the CLI's readers.

A line is a local path (a file, a directory or a glob pattern, read as `quotetrail ingest` reads it),
a `file://` URI, or an `http://`/`https://` URL (streamed: a Common Crawl WARC from
data.commoncrawl.org). Another scheme (`s3://`, `hdfs://`) is a skip naming it. Whatever goes
wrong is a `Skipped`, as in the CLI: a task never fails on its input.
"""
from __future__ import annotations

import io
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..ingest import Tally, read_paths
from ..ingest.sources import read_opened
from ..model import Article, Skipped

DOWNLOADS = ("http", "https")
TIMEOUT = 120  # seconds without a byte from a server before a download is a skip


class ManifestError(ValueError):
    """The manifest cannot be read, or lists nothing."""


def read_manifest(path: str) -> list[str]:
    """The inputs a manifest lists, one a line; blank lines and `#` comments left out."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({getattr(exc, 'strerror', None) or exc})") from None
    entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not entries:
        raise ManifestError(f"{path}: the manifest lists no input (one path or URI a line)")
    return entries


def read_entry(entry: str, tally: Tally, *, split: bool | None = None) -> Iterator[Article | Skipped]:
    """The articles and skips of one manifest line, as `quotetrail ingest` reads them; `tally` counts files."""
    scheme = urlsplit(entry).scheme.lower()
    if not scheme or len(scheme) == 1 or os.path.lexists(entry):  # a plain path (or a Windows drive letter)
        return read_paths([entry], split=split, tally=tally)
    if scheme == "file":
        return read_paths([unquote(urlsplit(entry).path)], split=split, tally=tally)
    if scheme in DOWNLOADS:
        tally.files += 1
        return read_opened(lambda: _download(entry), entry, split=split)
    return iter([Skipped(entry, f"unsupported scheme {scheme}:// (a manifest lists local paths, file:// or "
                                "http(s):// URIs)", kind="unsupported scheme")])


@contextmanager
def _download(url: str) -> Iterator[io.BufferedReader]:
    """A peekable stream of a URL's body."""
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        yield io.BufferedReader(response, 1 << 16)
