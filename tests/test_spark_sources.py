"""What a Spark task reads, without Spark: manifest lines to articles and skips as the CLI reads them."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest
from click.testing import CliRunner

from ingest_helpers import page, write_warc
from quotetrail.cli import main
from quotetrail.ingest import Tally, read_paths
from quotetrail.model import Article, Skipped
from quotetrail.spark import session
from quotetrail.spark.sources import ManifestError, read_entry, read_manifest


def crawl(tmp_path):
    return write_warc(tmp_path / "crawl.warc.gz", [("https://www.harborgazette.co.uk/news/bridge", "200 OK",
                                                     "text/html", page())])


def test_a_path_and_a_file_uri_read_as_the_cli_reads_the_file(tmp_path):
    warc = crawl(tmp_path)
    expected = [(a.id, a.text) if isinstance(a, Article) else a.kind for a in read_paths([str(warc)])]
    for entry in (str(warc), warc.as_uri()):
        tally = Tally()
        got = [(a.id, a.text) if isinstance(a, Article) else a.kind for a in read_entry(entry, tally)]
        assert got == expected and tally.files == 1
    assert any(isinstance(item, tuple) for item in expected)


def test_an_http_url_is_streamed_and_read_like_the_file(tmp_path):
    warc = crawl(tmp_path)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        got = [a.id for a in read_entry(f"{base}/crawl.warc.gz", Tally()) if isinstance(a, Article)]
        gone = list(read_entry(f"{base}/gone.warc.gz", Tally()))
    finally:
        server.shutdown()
    assert got == [a.id for a in read_paths([str(warc)]) if isinstance(a, Article)] and got
    assert len(gone) == 1 and gone[0].kind == "unreadable file" and "HTTP Error 404" in gone[0].reason


def test_a_missing_path_and_another_scheme_are_skips_naming_them(tmp_path):
    missing = list(read_entry(str(tmp_path / "none.warc.gz"), Tally()))
    s3 = list(read_entry("s3://commoncrawl/x.warc.gz", Tally()))
    assert [(s.kind, s.bad) for s in missing] == [("missing file", True)]
    assert isinstance(s3[0], Skipped) and s3[0].kind == "unsupported scheme" and "s3://" in s3[0].reason


def test_the_manifest_lists_lines_without_comments_and_an_empty_one_is_an_error(tmp_path):
    manifest = tmp_path / "m.txt"
    manifest.write_text("# CC-NEWS\n a.warc.gz \n\nhttps://x/b.warc.gz\n")
    assert read_manifest(str(manifest)) == ["a.warc.gz", "https://x/b.warc.gz"]
    manifest.write_text("# nothing\n\n")
    with pytest.raises(ManifestError, match="lists no input"):
        read_manifest(str(manifest))


def test_without_java_or_pyspark_the_spark_commands_say_so_in_one_line(tmp_path, monkeypatch):
    manifest = tmp_path / "m.txt"
    manifest.write_text("a.warc.gz\n")
    monkeypatch.setattr(session, "missing", lambda: "PySpark is not installed (pip install 'quotetrail[spark]')")
    result = CliRunner().invoke(main, ["spark", "extract", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == "quotetrail: error: PySpark is not installed (pip install 'quotetrail[spark]')\n"


def test_import_of_a_directory_that_is_not_a_run_is_one_line_and_creates_no_database(tmp_path):
    result = CliRunner().invoke(main, ["import", str(tmp_path), "--db", str(tmp_path / "q.db")])
    assert result.exit_code == 2 and result.stderr.startswith("quotetrail: error: ")
    assert "no articles/ table" in result.stderr and not (tmp_path / "q.db").exists()


def test_each_manifest_line_ends_with_the_files_it_opened_so_counts_come_from_rows(tmp_path):
    from quotetrail.spark.extract import extract_partition

    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("The mayor said the harbour would stay open all winter.\n", encoding="utf-8")
    rows = list(extract_partition([(0, str(folder)), (1, str(tmp_path / "missing.txt"))]))
    closing = [r for r in rows if r[1] is None]  # no article key: the line's closing row
    assert [(r[0], r[6]) for r in closing] == [(str(folder), 2), (str(tmp_path / "missing.txt"), 0)]
    assert sum(r[3] is not None for r in rows) == 2 and sum(r[5] is not None for r in rows) == 1
    assert all(r[6] is None for r in rows if r not in closing)
