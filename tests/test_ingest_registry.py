"""The table of formats: each entry's reader, sniffing by content then name, and heavy readers loaded late."""
import gzip
import json
import os
import subprocess
import sys

import pytest

from ingest_helpers import BODY, page, write_warc
from quotetrail.ingest.formats import BY_SUFFIX, FORMATS, format_of


def test_every_reader_loads_and_no_suffix_is_claimed_twice():
    for fmt in FORMATS:
        assert callable(fmt.load()), fmt.kind
    assert len(BY_SUFFIX) == sum(len(fmt.suffixes) for fmt in FORMATS)
    assert {fmt.kind for fmt in FORMATS if fmt.holds == "records"} == {"jsonl", "csv"}


@pytest.mark.parametrize(("head", "name", "kind"), [
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "crawl.txt", "warc"),
    (b"\xef\xbb\xbf  warc/1.1\r\n", "", "warc"),
    (b"GIF89a\x00\x01", "a.txt", "binary"),
    (b'{"id": 1, "text": "x"}\n', "a.txt", "jsonl"),
    (b"<!DOCTYPE html><p>x", "a.txt", "html"),
    (b"<?xml version='1.0'?><html><body>x", "", "html"),
    (b"id,text\n1,x\n", "a.CSV.gz", "csv"),
    (b"{not json", "a.ndjson", "jsonl"),
    (b"<p>a fragment</p>", "a.htm", "html"),
    (b"<p>a fragment</p>", "notes", "text"),
    (b"Plain words.", "photo.png", "text"),
])
def test_content_decides_when_clear_else_the_name(head, name, kind):
    assert format_of(head, name).kind == kind


# Prints the heavy modules loaded after importing the ingest package, then after reading each file named.
LOADED = """
import sys
import quotetrail.ingest as ingest

def heavy():
    return sorted(m for m in ("trafilatura", "warcio") if m in sys.modules)

print("import", heavy())
for path in sys.argv[1:]:
    list(ingest.read_paths([path]))
    print(path.rsplit("/", 1)[-1], heavy())
"""


def _loaded_after(*paths) -> list[str]:
    """What a fresh interpreter has loaded after importing the ingest package, then after reading each path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", LOADED, *map(str, paths)], capture_output=True, text=True,
                            env=env, check=True)
    return result.stdout.splitlines()


def test_trafilatura_and_warcio_load_only_when_a_page_or_crawl_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "b", "text": BODY}).encode()))
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c", "html": page().decode()}), encoding="utf-8")
    warc = write_warc(tmp_path / "d.warc.gz", [("https://example.org/d", "200 OK", "text/html", page())])
    assert _loaded_after(tmp_path / "a.txt", tmp_path / "b.jsonl.gz", tmp_path / "c.jsonl", warc) == [
        "import []", "a.txt []", "b.jsonl.gz []", "c.jsonl ['trafilatura']", "d.warc.gz ['trafilatura', 'warcio']"]
