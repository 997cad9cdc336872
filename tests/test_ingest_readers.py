"""Each reader, chosen by content and by name: text, HTML, WARC, JSONL, CSV, gzip, directories, globs, stdin."""
import csv
import gzip
import io
import json
import sys

from ingest_helpers import BODY, page, write_warc
from quotetrail import extract_quotes
from quotetrail.ingest import Skipped, Tally, read_paths


def read(*paths, **options):
    return list(read_paths([str(p) for p in paths], **options))


def articles(*paths, **options):
    return [a for a in read(*paths, **options) if not isinstance(a, Skipped)]


def test_text_file_is_cleaned_with_stable_id(tmp_path):
    path = tmp_path / "story"
    path.write_bytes(("Home > News\r\n" + BODY + "\u200b\r\nShare this article\r\n").encode("utf-8"))
    (first,) = articles(path)
    (again,) = articles(path)
    assert first.text == BODY.strip() and first.id == again.id and len(first.id) == 16
    assert first.language == "en" and first.origin == str(path)


def test_html_file_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(page())
    (a,) = articles(path)
    assert a.title == "Bridge opens in May" and a.date == "2021-05-04" and a.outlet == "Harbor Gazette"
    assert a.url == "https://www.harborgazette.co.uk/news/bridge"
    assert "Mayor Lena Varga" in a.text and "cookies" not in a.text and "Share this" not in a.text
    assert a.text.startswith("Bridge opens in May\n\n")  # paragraphs apart, as the engine expects


def test_html_paragraphs_keep_their_quotes_apart(tmp_path):
    path = tmp_path / "page.html"
    body = ('<h1>Mayor vows to rebuild bridge</h1><p>PORT HALDEN – Mayor Lena Varga said on Monday that the bridge '
            'would be rebuilt by spring.</p><p>“The money is there,” she told reporters. “Nobody should doubt it.”</p>'
            '<p>Council member Tomas Brenner said the plan was “a fantasy” and urged a vote.</p>')
    path.write_bytes(page(body=body).replace(f"<p>{body}</p><p>{body}</p>".encode(), f"<div>{body}</div>".encode()))
    (a,) = articles(path)
    quotes = {q.text: q for q in extract_quotes(a.text)}
    assert quotes["the bridge would be rebuilt by spring"].speaker == "Lena Varga"
    assert quotes["The money is there, … Nobody should doubt it."].speaker == "Lena Varga"


def test_html_is_sniffed_whatever_the_name(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(page())
    (a,) = articles(path)
    assert a.title == "Bridge opens in May" and "<p>" not in a.text


def test_warc_pages_become_articles_and_other_records_are_counted(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://www.example.co.uk/2020/10/03/story", "200 OK", "text/html; charset=utf-8", page(date="")),
        ("https://example.org/old", "301 Moved Permanently", "text/html", b""),
        ("https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("https://example.org/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
    ])
    items = read(warc)
    (a,) = [i for i in items if not isinstance(i, Skipped)]
    assert a.url == "https://www.example.co.uk/2020/10/03/story" and a.meta["fetched"]
    assert a.outlet == "Harbor Gazette" and a.date == "2020-10-03"
    kinds = sorted(i.kind for i in items if isinstance(i, Skipped))
    assert kinds == ["HTTP error response", "WARC request record", "WARC request record", "WARC request record",
                     "WARC request record", "WARC warcinfo record", "non-HTML WARC record", "redirect"]
    assert not any(i.bad for i in items if isinstance(i, Skipped))


def test_uncompressed_warc(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc", [("https://example.org/a", "200 OK", "text/html", page())], gzip=False)
    assert len(articles(warc)) == 1


def test_jsonl_keeps_ids_and_text_exactly(tmp_path):
    text = "  “Yes,” she said.\r\n\u00a0Read more\n"
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 7, "text": text, "meta": {"url": "https://www.bbc.co.uk/x"}}) + "\n"
                    + json.dumps({"html": page().decode(), "date": "2019-01-02"}) + "\n", encoding="utf-8")
    first, second = articles(path)
    assert (first.id, first.text, first.outlet) == ("7", text, "bbc.co.uk")
    assert second.date == "2019-01-02" and "Mayor Lena Varga" in second.text and len(second.id) == 16


def test_csv_with_text_and_metadata(tmp_path):
    path = tmp_path / "in.csv.gz"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "url", "title", "text"])
    writer.writerow(["a1", "https://news.example.com.au/2022/01/05/x", "T", BODY])
    path.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8")))
    (a,) = articles(path)
    assert (a.id, a.title, a.outlet, a.date, a.text) == ("a1", "T", "example.com.au", "2022-01-05", BODY)


def test_gzip_variants_directories_and_globs(tmp_path):
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "a.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    (tmp_path / "crawl" / "b.html.gz").write_bytes(gzip.compress(page()))
    (tmp_path / "crawl" / "c.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "c", "text": BODY}).encode()))
    (tmp_path / "crawl" / "skip.png").write_bytes(b"\x89PNG")
    tally = Tally()
    assert len(articles(tmp_path / "crawl", tally=tally)) == 3 and tally.files == 3
    assert [a.id for a in articles(tmp_path / "crawl" / "*.jsonl.gz")] == ["c"]


def test_stdin_is_sniffed(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BODY.encode())))
    (a,) = articles("-")
    assert a.text == BODY.strip() and a.origin == "-"


def test_split_is_on_for_texts_and_off_for_records(tmp_path):
    merged = BODY * 4 + "he added.LONDON, May 3 (Reuters) – " + BODY * 4
    (tmp_path / "m.txt").write_text(merged, encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(json.dumps({"id": "m", "text": merged}) + "\n", encoding="utf-8")
    assert [a.id.split("#")[-1] for a in articles(tmp_path / "m.txt")] == ["1", "2"]
    assert len(articles(tmp_path / "m.txt", split=False)) == 1
    assert [a.id for a in articles(tmp_path / "m.jsonl")] == ["m"]
    pieces = articles(tmp_path / "m.jsonl", split=True)
    assert [a.id for a in pieces] == ["m#1", "m#2"] and pieces[1].source_id == "m"
    assert merged[pieces[1].position:].startswith("LONDON, May 3") and pieces[1].text.startswith("LONDON")
