"""Bad input through the command line: one line each naming the file and reason, the rest goes on, counted."""
import gzip
import json

from click.testing import CliRunner

from ingest_helpers import BODY, page, write_warc
from quotetrail.cli import main
from quotetrail.ingest import Skipped, read_paths
from quotetrail.ingest.split import ARTICLE_CHARS


def extract(*paths):
    result = CliRunner().invoke(main, ["extract", *map(str, paths), "--format", "jsonl"])
    assert "Traceback" not in result.output
    return result, [json.loads(line) for line in result.stdout.splitlines()], result.stderr.splitlines()


def test_each_bad_input_is_one_line_and_counted(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    (tmp_path / "trunc.txt.gz").write_bytes(gzip.compress(BODY.encode() * 50)[:60])
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nobody.html").write_bytes(b"<html><head><title>Nothing</title></head></html>")
    (tmp_path / "notext.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    names = ["good.txt", "trunc.txt.gz", "blob.txt", "empty.txt", "nobody.html", "notext.csv"]
    result, rows, errors = extract(*(tmp_path / n for n in names))
    assert result.exit_code == 1 and len(rows) == 1
    for name, reason in [("trunc.txt.gz", "truncated gzip"), ("blob.txt", "binary file"), ("empty.txt", "empty file"),
                         ("nobody.html", "without main text"), ("notext.csv", "no text or html column")]:
        assert any(name in e and reason in e for e in errors), (name, errors)
    assert errors[-1] == ("quotetrail: read 1 article from 6 files; skipped 5: 1 truncated file, 1 binary file, "
                          "1 empty file, 1 HTML page without text, 1 CSV without a text column")


def test_warc_with_a_broken_record_keeps_the_pages_before_it(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc", [("https://example.org/a", "200 OK", "text/html", page()),
                                                ("https://example.org/b", "200 OK", "text/html", page("Other story"))],
                      gzip=False)
    data = warc.read_bytes()
    cut = data.rindex(b"WARC/1.")
    warc.write_bytes(data[:cut] + b"WARX/9.9 garbage\r\n\r\n" + data[cut + 20:])
    result, rows, errors = extract(warc)
    assert result.exit_code == 1 and len(rows) == 1
    assert any("crawl.warc#" in e and "broken WARC record" in e for e in errors)
    assert errors[-1].endswith("1 broken WARC record")


def test_ordinary_warc_records_do_not_fail_the_run(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [("https://example.org/a", "200 OK", "text/html", page()),
                                                   ("https://example.org/r", "302 Found", "text/html", b"")])
    result, rows, errors = extract(warc)
    assert result.exit_code == 0 and len(rows) == 1
    assert errors == ["quotetrail: read 1 article from 1 file; skipped 4: 2 WARC request records, "
                      "1 WARC warcinfo record, 1 redirect"]


def test_truncated_warc_gz(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [("https://example.org/a", "200 OK", "text/html", page()),
                                                   ("https://example.org/b", "200 OK", "text/html", page("Two"))])
    data = warc.read_bytes()
    warc.write_bytes(data[:len(data) - 200])
    result, rows, errors = extract(warc)
    assert result.exit_code == 1 and len(rows) == 1
    assert any("crawl.warc.gz#" in e and "truncated" in e for e in errors)


def test_invalid_utf8_uses_declared_charset_then_cp1252_then_warns(tmp_path):
    koi8 = page().replace(b"utf-8", b"koi8-r").replace(b"Monday", "Понедельник".encode("koi8-r"))
    (tmp_path / "koi8.html").write_bytes(koi8)
    (tmp_path / "latin.txt").write_bytes(BODY.replace("Mayor", "Maire René").encode("cp1252"))
    (tmp_path / "broken.txt").write_bytes(BODY.encode("utf-8") + b"\x81\x8d")
    result, rows, errors = extract(*(tmp_path / n for n in ("koi8.html", "latin.txt", "broken.txt")))
    assert result.exit_code == 0 and len(rows) == 3
    assert "Понедельник" in rows[0]["text"] and "René" in rows[1]["text"] and "\ufffd" in rows[2]["text"]
    assert any("broken.txt" in e and "warning" in e and "replaced" in e for e in errors)


def test_jsonl_bad_lines_are_named(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "fine"}\n{broken\n{"id": "b"}\n{"id": "c", "text": "\xff"}\n')
    result, rows, errors = extract(path)
    assert [r["id"] for r in rows] == ["a"] and result.exit_code == 1
    assert any("in.jsonl:2" in e and "malformed JSON" in e for e in errors)
    assert any("in.jsonl:3" in e and "text" in e for e in errors)
    assert any("in.jsonl:4" in e and "not UTF-8" in e for e in errors)


def test_hundred_megabytes_on_one_line_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as out:
        for _ in range(100):
            out.write(b"word " * 200_000)
    pieces = list(read_paths([str(path)]))  # one article, in pieces of at most ARTICLE_CHARS
    assert not any(isinstance(p, Skipped) for p in pieces)
    assert sum(len(p.text) for p in pieces) > 99_000_000 and max(len(p.text) for p in pieces) <= ARTICLE_CHARS
    assert pieces[-1].position + len(pieces[-1].text) == sum(len(p.text) for p in pieces)
