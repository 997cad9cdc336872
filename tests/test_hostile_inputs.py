"""Hostile inputs (issue 17, points 2, 3 and 5): one bad file, record or line is one skip naming the
file, the record and the reason; the good files of the same command go on, for `extract` and
`ingest`; nothing is skipped silently and the counts add up; lone surrogates are replaced at the
edge, offsets kept. Every file is written here."""
import gzip
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrail.cli import main
from quotetrail.ingest import Tally, read_paths
from quotetrail.ingest.formats import MAX_RECORD_BYTES
from quotetrail.ingest.records import MAX_JSON_DEPTH, read_csv, read_jsonl
from quotetrail.ingest.warc import read_warc
from quotetrail.model import Article, Skipped

GOOD = "“We will rebuild the bridge by spring,” Mayor Lena Varga said on Monday."


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def items(*paths):
    return list(read_paths([str(p) for p in paths]))


def skips(found):
    return [s for s in found if isinstance(s, Skipped) and s.bad]


def articles(found):
    return [a for a in found if isinstance(a, Article)]


def warc_record(uri: str, body: str = GOOD) -> bytes:
    html = f"<html><head><title>T</title></head><body><article><p>{body}</p><p>{body}</p></article></body></html>"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri.encode()
            + b"\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:" + uri.encode()
            + b">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: "
            + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")


def hostile_files(tmp_path):
    """A good text, and one file of each hostile kind of the audit; what each must skip."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "mix.jsonl").write_text(
        json.dumps({"id": "m1", "text": GOOD}) + "\n" + '{"id": "m2", "text": "open\n' + "[1, 2\n"
        + json.dumps({"id": "m3", "text": GOOD + " Again."}) + "\n", encoding="utf-8")
    (tmp_path / "deep.jsonl").write_text(
        '{"id": "d0", "text": "x", "meta": ' + "[" * 50_000 + "]" * 50_000 + "}\n"
        + json.dumps({"id": "d1", "text": GOOD + " Deep."}) + "\n", encoding="utf-8")
    second = warc_record("http://a.example/2")
    (tmp_path / "cut.warc").write_bytes(warc_record("http://a.example/1") + second[:30])
    (tmp_path / "cut.warc.gz").write_bytes(gzip.compress(warc_record("http://b.example/1"))
                                           + gzip.compress(second[:60]))
    member = gzip.compress((json.dumps({"id": "g2", "text": GOOD}) + "\n").encode())
    (tmp_path / "broken.jsonl.gz").write_bytes(
        gzip.compress((json.dumps({"id": "g1", "text": GOOD + " Zipped."}) + "\n").encode())
        + member[:12] + bytes(b ^ 0xFF for b in member[12:20]) + member[20:])
    (tmp_path / "open.csv").write_text('id,text\nc1,"' + GOOD + ' Listed."\nc2,"never closed\nand on\n',
                                       encoding="utf-8")
    return {"mix.jsonl:2", "mix.jsonl:3", "deep.jsonl:1", "cut.warc#2", "cut.warc.gz#2", "broken.jsonl.gz",
            "open.csv:3"}


def test_every_hostile_file_is_a_skip_naming_file_record_and_reason(tmp_path):
    expected = hostile_files(tmp_path)
    found = items(*sorted(tmp_path.iterdir()))
    named = {s.where.removeprefix(str(tmp_path) + "/") for s in skips(found)}
    assert named == expected
    assert all(s.reason for s in skips(found))
    origins = {a.origin.removeprefix(str(tmp_path) + "/") for a in articles(found)}
    assert {"good.txt", "mix.jsonl:1", "mix.jsonl:4", "deep.jsonl:2", "cut.warc#1", "cut.warc.gz#1",
            "broken.jsonl.gz:1", "open.csv:2"} <= origins


def test_the_warc_header_cut_anywhere_is_a_bad_skip_never_an_exception():
    first, second = warc_record("http://a.example/1"), warc_record("http://a.example/2")
    header = second.index(b"\r\n\r\n") + 4
    for cut in range(1, header):
        found = list(read_warc(io.BufferedReader(io.BytesIO(first + second[:cut])), "x.warc"))
        assert [type(i) for i in found] == [Article, Skipped], cut
        assert found[1].bad and found[1].where == "x.warc#2", (cut, found[1])


def test_json_nesting_and_record_size_limits(tmp_path):
    ok = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)  # inside the record's own object
    lines = [json.dumps({"id": "a", "text": GOOD, "meta": {"tags": "["}})[:-1] + f', "x": {ok}}}',
             '{"id": "b", "text": "x", "x": ' + "{" * (MAX_JSON_DEPTH + 1) + "}" * (MAX_JSON_DEPTH + 1) + "}",
             json.dumps({"id": "c", "text": "[" * 500})]
    found = list(read_jsonl(io.BytesIO("\n".join(lines).encode()), "r.jsonl"))
    assert [type(i) for i in found] == [Article, Skipped, Article]
    assert f"more than {MAX_JSON_DEPTH} levels" in found[1].reason and found[1].where == "r.jsonl:2"


def test_a_record_over_the_size_limit_is_skipped_unread(monkeypatch):
    from quotetrail.ingest import records

    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 1000)
    big = json.dumps({"id": "big", "text": "x" * 5000})
    data = "\n".join([json.dumps({"id": "a", "text": GOOD}), big, json.dumps({"id": "b", "text": GOOD})]) + "\n"
    found = list(read_jsonl(io.BytesIO(data.encode()), "r.jsonl"))
    assert [type(i) for i in found] == [Article, Skipped, Article]
    assert found[1].where == "r.jsonl:2" and "larger than 1,000 bytes" in found[1].reason
    assert MAX_RECORD_BYTES == 50_000_000


def test_lone_surrogates_become_replacement_characters_with_offsets_kept(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s1", "title": "\\udc80x", "text": "\\ud800 ' + GOOD + ' \\udfff"}\n', encoding="utf-8")
    tally = Tally()
    (article,) = read_paths([str(path)], tally=tally)
    assert article.text == "\ufffd " + GOOD + " \ufffd" and article.title == "\ufffdx"
    tally.add(article)
    assert tally.warnings and "2 lone surrogates" in tally.warnings[0]


def test_an_unterminated_csv_field_is_named_and_a_stray_quote_is_not(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,text\na,plain "quoted" words\nb,"' + GOOD + '"\n', encoding="utf-8")
    assert not skips(items(path)) and len(articles(items(path))) == 2
    path.write_text('id,text\na,"one"\nb,"two\n\nthree\n', encoding="utf-8")
    found = items(path)
    assert [a.id for a in articles(found)] == ["a"]
    assert [s.where.rsplit("/", 1)[1] for s in skips(found)] == ["a.csv:3"]
    assert "unterminated quoted field" in skips(found)[0].reason


def test_extract_and_ingest_go_on_past_every_hostile_file_and_the_counts_add_up(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = hostile_files(inputs)
    (inputs / "s.jsonl").write_text('{"id": "s1", "text": "\\ud800 ' + GOOD + '"}\n', encoding="utf-8")
    paths = sorted(inputs.iterdir())
    result = run("extract", *paths, "-j", "1", "--format", "jsonl")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 9 and all(r["quotes"] for r in out if r["id"] != "c2")
    for where in expected:
        assert f"skipped {inputs}/{where}:" in result.stderr, where
    assert "lone surrogate" in result.stderr
    assert "read 9 articles from 8 files; skipped 7:" in result.stderr
    db = tmp_path / "q.db"
    result = run("ingest", *paths, "-j", "1", "--db", db)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "read 9 articles from 8 files; skipped 7:" in result.stderr
    stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    unchanged = int(result.stderr.split(" unchanged")[0].rsplit("(", 1)[1].split(", ")[1])
    assert stored + unchanged == 9


@pytest.mark.parametrize("junk", [b"\x1f\x8b" + b"\x00" * 30, b"WARC/1.0\r\n\r\n", b'{"a": ' * 10])
def test_short_junk_files_are_skips(tmp_path, junk):
    path = tmp_path / "junk.jsonl"
    path.write_bytes(junk)
    found = items(path)
    assert not articles(found) and all(isinstance(i, Skipped) for i in found)


def test_a_file_name_that_is_not_utf8_is_stored_and_exported_escaped(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    try:
        (folder / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system wants UTF-8 names")
    (found,) = items(folder)
    assert found.origin.endswith("caf\\xe9.txt")
    db = tmp_path / "q.db"
    assert run("ingest", folder, "--db", db, "-j", "1").exit_code == 0
    exported = run("export", "--db", db)
    assert exported.exit_code == 0 and "caf\\\\xe9.txt" in exported.stdout


JSONISH = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.recursive(st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=20)),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                     ["id", "text", "html", "meta", "url", "date", "title", "outlet"]), inner, max_size=4),
                 max_leaves=20).map(lambda o: json.dumps(o).encode()),
    st.sampled_from([b'{"text": "\\ud800"}', b'{"id": "\\udfff", "text": "a"}', b'{"text": 1e999}',
                     b'{"text": "x", "meta": {"date": []}}', b"[" * 300, b'{"text": "' + b"x" * 1000]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(JSONISH, max_size=6))
def test_any_jsonl_lines_give_one_item_per_line_and_never_raise(lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    data = b"\n".join(lines) + b"\n"
    found = list(read_jsonl(io.BytesIO(data), "f.jsonl"))
    assert len(found) == sum(1 for line in data.split(b"\n")[:-1] if line.strip())
    for item in found:
        if isinstance(item, Article):
            item.text.encode("utf-8")  # no lone surrogate gets past the reader


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("id,text\n" + t).encode("utf-8", "replace")))
def test_any_csv_bytes_never_raise(data):
    for item in read_csv(io.BytesIO(data), "f.csv"):
        assert isinstance(item, (Article, Skipped))


def test_an_article_over_the_size_limit_is_cut_into_pieces_whose_offsets_map_back(tmp_path, monkeypatch):
    from quotetrail.ingest import split

    monkeypatch.setattr(split, "ARTICLE_CHARS", 400)
    text = "\n\n".join(f"“We will rebuild bridge {i} by spring,” Mayor Lena Varga said on Monday." for i in range(12))
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": text, "outlet": "Harbor Gazette"}) + "\n", encoding="utf-8")
    tally = Tally()
    pieces = list(read_paths([str(path)], tally=tally))
    for piece in pieces:
        tally.add(piece)
    assert len(pieces) > 2 and all(len(p.text) <= 400 for p in pieces)
    assert [p.id for p in pieces] == [f"big#{n}" for n in range(1, len(pieces) + 1)]
    assert {p.source_id for p in pieces} == {"big"} and {p.outlet for p in pieces} == {"Harbor Gazette"}
    assert "".join(p.text for p in pieces) == text
    assert all(text[p.position:p.position + len(p.text)] == p.text for p in pieces)
    assert all(p.text.endswith("\n\n") for p in pieces[:-1])  # cut at paragraphs
    assert tally.warnings and f"{len(text):,} characters, over the 400" in tally.warnings[0]
    result = run("extract", path, "-j", "1", "--format", "jsonl")
    assert result.exit_code == 0 and "over the 400" in result.stderr, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(pieces)
    quotes = [(row["position"] + s, row["position"] + e, q["text"]) for row in rows for q in row["quotes"]
              for s, e in q["content_spans"]]
    assert len(quotes) == 12 and all(text[s:e] == words for s, e, words in quotes)


def test_an_html_page_too_large_for_one_tree_is_skipped_unless_scripts_made_it_so(tmp_path, monkeypatch):
    from quotetrail.ingest import html

    monkeypatch.setattr(html, "MAX_HTML_BYTES", 3_000)
    body = f"<p>{GOOD}</p><p>{GOOD} Again.</p>"
    page = f"<html><head><title>T</title>{{}}</head><body><article>{body}</article></body></html>"
    script = "<script>var junk = '" + "x" * 5_000 + "';</script><STYLE type='text/css'>p {}</STYLE>"
    (tmp_path / "scripted.html").write_text(page.format(script), encoding="utf-8")
    (tmp_path / "huge.html").write_text(page.format("").replace(body, body * 40), encoding="utf-8")
    (small,) = items(tmp_path / "scripted.html")
    assert isinstance(small, Article) and GOOD in small.text
    (huge,) = items(tmp_path / "huge.html")
    assert isinstance(huge, Skipped) and huge.bad and "over the 3,000" in huge.reason
    assert huge.where.endswith("huge.html")
