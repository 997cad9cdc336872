"""`quotetrail serve` in process (FastAPI's TestClient): every page and its JSON twin, facets, keyset
pages, hostile inputs, the safety headers, the time limit, and the command's refusals."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import sqlite3
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import anyio
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from quotetrail import QuoteStore
from quotetrail.cli import main
from quotetrail.store import VERSION
from quotetrail.store.query import EXPORT_COLUMNS
from quotetrail.web.app import HEADERS, MAX_PAGE, create_app
from web_helpers import HOSTILE


@pytest.fixture(scope="module")
def store(web_db):
    with QuoteStore(web_db, readonly=True, threads=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store))


def query_string(**params: str) -> str:
    return urlencode(params)


def ok_json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["ok"] is True and isinstance(body["rows"], list)
    return body


def all_pages(client, url: str) -> list[dict]:
    """The rows of every page from `url` on, following `next_url`."""
    rows, pages = [], 0
    while url:
        body = ok_json(client, url)
        rows += body["rows"]
        url = body["next_url"]
        pages += 1
        assert pages < 100
    return rows


def page_urls(store) -> list[str]:
    quote = store.search("passengers", limit=1)[0]
    return ["/", "/quotes", "/quotes?q=passengers", f"/quotes/{quote['quote_id']}", "/clusters", "/clusters/c2",
            "/speakers", f"/speakers/{quote['speaker_id']}", f"/articles/{quote['article_id']}"]


def test_every_page_and_its_json_twin(client, store):
    for url in page_urls(store):
        html = client.get(url)
        assert html.status_code == 200, (url, html.text)
        assert html.headers["content-type"].startswith("text/html")
        path, _, query = url.partition("?")
        twin = ("/.json" if path == "/" else f"{path}.json") + (f"?{query}" if query else "")
        assert f'href="{twin}"' in html.text  # each page links its twin
        assert ok_json(client, twin)["rows"], url


def test_quotes_json_are_the_rows_of_search(client, store):
    body = ok_json(client, "/quotes.json?q=passengers&limit=100")
    expected = store.search("passengers", limit=0)
    assert [r["quote_id"] for r in body["rows"]] == [r["quote_id"] for r in expected]
    assert body["count"] == len(expected) and body["next"] is None and body["next_url"] is None
    assert set(EXPORT_COLUMNS) <= set(body["rows"][0]) and "[passengers]" in body["rows"][0]["highlight"]


def test_matched_words_are_marked_in_the_page(client):
    html = client.get("/quotes?q=passengers").text
    assert "<mark>passengers</mark>" in html


def test_facets_count_what_a_toggle_shows(client):
    body = ok_json(client, "/quotes.json?q=the")
    kinds = dict(body["facets"]["kind"])
    assert sum(kinds.values()) == body["count"] and len(kinds) > 1
    html = client.get("/quotes?q=the").text
    link = unescape(re.search(r'<a href="([^"]*kind=indirect[^"]*)">indirect</a>', html).group(1))
    narrowed = ok_json(client, link.replace("/quotes?", "/quotes.json?") + "&limit=100")
    assert narrowed["count"] == kinds["indirect"] < body["count"]
    assert {r["kind"] for r in narrowed["rows"]} == {"indirect"}
    chosen = client.get(link).text  # the chosen value is marked and its link takes the filter off
    off = unescape(re.search(r'<li class="chosen"><a href="([^"]*)">indirect</a>', chosen).group(1))
    assert "kind" not in parse_qs(urlsplit(off).query) and parse_qs(urlsplit(off).query)["q"] == ["the"]


def test_the_month_facet_sets_the_dates_of_that_month(client):
    body = ok_json(client, "/quotes.json")
    months = dict(body["facets"]["month"])
    assert set(months) == {"2024-02", "2024-03"} and sum(months.values()) == body["count"]
    html = client.get("/quotes").text
    link = unescape(re.search(r'<a href="([^"]*)">2024-02</a>', html).group(1))
    assert parse_qs(urlsplit(link).query) == {"since": ["2024-02-01"], "until": ["2024-02-29"]}
    rows = all_pages(client, link.replace("/quotes?", "/quotes.json?") + "&limit=100")
    assert len(rows) == months["2024-02"] and all(r["date"].startswith("2024-02") for r in rows)


def test_speaker_and_outlet_facets_narrow_the_search(client, store):
    body = ok_json(client, "/quotes.json?q=the")
    speaker, n = body["facets"]["speaker"][0]
    outlet, m = body["facets"]["outlet"][0]
    assert ok_json(client, f"/quotes.json?q=the&speaker={speaker}")["count"] == n
    assert ok_json(client, f"/quotes.json?q=the&outlet={outlet}")["count"] == m


@pytest.mark.parametrize("query", ["q=the", "q=the&sort=date", "", "kind=direct&sort=date"])
def test_pages_never_repeat_or_drop_a_row(client, store, query):
    params = dict(p.split("=") for p in query.split("&") if p)
    q = params.pop("q", None)
    expected = [r["quote_id"] for r in store.search(q, limit=0, sort=params.pop("sort", "rank"), **params)]
    rows = all_pages(client, f"/quotes.json?{query}&limit=7")
    assert [r["quote_id"] for r in rows] == expected and len(expected) > 14


def test_the_html_next_link_continues_the_list(client):
    first = client.get("/quotes?limit=5").text
    next_url = unescape(re.search(r'<a rel="next" class="next" href="([^"]+)"', first).group(1))
    ids = lambda html: re.findall(r'<blockquote><a href="/quotes/(\d+)"', html)  # noqa: E731
    second = client.get(next_url).text
    assert len(ids(first)) == 5 and len(ids(second)) == 5 and not set(ids(first)) & set(ids(second))


@pytest.mark.parametrize("url, key", [("/speakers.json?limit=3", "id"), ("/clusters.json?limit=1", "cluster_id")])
def test_lists_the_store_gives_whole_are_paged_too(client, store, url, key):
    rows = all_pages(client, url)
    whole = store.speakers() if key == "id" else store.clusters()
    assert sorted(r[key] for r in rows) == sorted(r[key] for r in whole) and len(rows) == len({r[key] for r in rows})


def test_csv_twins_of_lists(client, store):
    response = client.get("/quotes.csv?q=passengers")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [*EXPORT_COLUMNS, "highlight"] and len(rows) == store.count("passengers")
    speakers = list(csv.DictReader(io.StringIO(client.get("/speakers.csv?limit=100").text)))
    assert {r["name"] for r in speakers} >= {"Anna Koval"}
    assert client.get("/quotes/1.csv").status_code == 404  # one object is no list


def test_the_quote_page(client, store):
    altered = next(m for c in store.clusters() for m in c["members"] if m["altered"])
    html = client.get(f"/quotes/{altered['quote_id']}").text
    assert '<mark class="content">' in html and '<mark class="source">' in html
    assert f'href="https://web.archive.org/web/{altered["date"].replace("-", "")}/{altered["url"]}"' in html
    body = ok_json(client, f"/quotes/{altered['quote_id']}.json")["rows"][0]
    assert body["trail"] == {"cluster_id": "c2", "first_by": "Kestrel News", "first_date": "2024-02-23", "reports": 4,
                             "outlets": 3}
    shown = " ".join(html.split())
    assert "First reported by <strong>Kestrel News</strong> on 2024-02-23; 4 reports in 3 outlets" in shown


def test_the_trail_page_shows_the_changed_word(client, store):
    html = client.get("/clusters/c2").text
    assert "<del>day</del> <ins>week</ins>" in html and "altered word: day → week" in html
    cluster = ok_json(client, "/clusters/2.json")["rows"][0]  # `2` and `c2` are one cluster
    assert cluster["cluster_id"] == "c2" and [m["quote_id"] for m in cluster["members"]] == \
        [m["quote_id"] for m in store.cluster("c2")["members"]]


def test_the_speaker_page(client, store):
    koval = next(s for s in store.speakers() if s["name"] == "Anna Koval")
    body = ok_json(client, f"/speakers/{koval['id']}.json")["rows"][0]
    assert body["quotes"] == koval["quotes"] and body["aliases"] == koval["aliases"]
    assert {c["cluster_id"] for c in body["clusters"]} == {"c1", "c2"}
    assert sum(n for _, n in body["months"]) + body["undated"] == koval["quotes"]
    html = client.get(f"/speakers/{koval['id']}").text
    chart = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group()
    first, last = body["months"][0][0], body["months"][-1][0]
    span = (int(last[:4]) * 12 + int(last[5:])) - (int(first[:4]) * 12 + int(first[5:])) + 1
    assert chart.count("<rect") == span and "script" not in chart


def test_the_article_page_marks_every_quote(client, store):
    quote = store.search("passengers", limit=1)[0]
    article = store.article(quote["article_id"])
    html = client.get(f"/articles/{quote['article_id']}").text
    marked = re.findall(r'<a class="quote" href="/quotes/(\d+)">', html)
    assert {int(i) for i in marked} == {q["quote_id"] for q in article["quotes"]}


def test_hostile_text_in_the_database_is_shown_as_text(client, store):
    quote = store.search(speaker="Ada Quill", limit=1)[0]
    for url in (f"/quotes/{quote['quote_id']}", "/articles/hostile-1", "/quotes?q=pwned"):
        html = client.get(url).text
        assert "<script>" not in html and "&lt;script&gt;" in html and "<b>Not bold</b>" not in html, url
    assert ok_json(client, f"/quotes/{quote['quote_id']}.json")["rows"][0]["text"] == HOSTILE


@pytest.mark.parametrize("q", ["'", "<script>", "</b><i>", "a b c d", "ceasefire, now!", "\x00", "\ufffd"])
def test_hostile_queries_that_are_plain_words(client, q):
    body = ok_json(client, "/quotes.json?" + query_string(q=q))
    assert body["count"] == len(all_pages(client, "/quotes.json?" + query_string(q=q, limit=100)))
    html = client.get("/quotes?" + query_string(q=q)).text
    assert "<script>" not in html and "</b><i>" not in html


@pytest.mark.parametrize("q", ['"', "NEAR(", "a OR", "(", "*", "<script>alert(1)</script>"])
def test_bad_search_syntax_is_a_400_with_the_reason(client, q):
    response = client.get("/quotes.json?" + query_string(q=q))
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["status"] == 400 and "bad search query" in body["error"]
    page = client.get("/quotes?" + query_string(q=q))
    assert page.status_code == 400 and "bad search query" in page.text and "<script>alert" not in page.text


def test_a_100_kb_query_is_refused_in_one_line(store):
    status, body = asgi_get(create_app(store), "/quotes.json", query_string(q="money " * 17_000).encode())
    assert status == 400 and "at most 4,000" in json.loads(body)["error"]


def test_bytes_that_are_not_utf8_are_read_as_replacement_characters(client):
    assert ok_json(client, "/quotes.json?speaker=%FF&q=%FF%FE")["count"] == 0


def asgi_get(app, path: str, query: bytes) -> tuple[int, bytes]:
    """A GET straight into the ASGI app: URLs longer than the test client sends (64 kB)."""
    sent = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"testserver")], "server": ("testserver", 80), "client": ("127.0.0.1", 1)}
    anyio.run(app, scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("params, words", [
    ({"limit": str(MAX_PAGE + 1)}, "limit must be"), ({"limit": "0"}, "limit must be"), ({"limit": "x"}, "limit"),
    ({"kind": "quip"}, "kind must be"), ({"since": "yesterday"}, "ISO date"), ({"min_confidence": "2"}, "0 to 1"),
    ({"min_confidence": "nan"}, "0 to 1"), ({"sort": "loudest"}, "sort must be"), ({"after": "garbage"}, "cursor"),
    ({"after": "WzEsMl0", "q": "the"}, "cursor"), ({"after": "WyJ4Il0"}, "cursor"),
])
def test_bad_parameters_are_400s(client, params, words):
    response = client.get("/quotes.json?" + query_string(**params))
    assert response.status_code == 400 and words in response.json()["error"], response.text


@pytest.mark.parametrize("url", ["/quotes/999999", "/quotes/x", "/quotes/99999999999999999999", "/clusters/c999",
                                 "/clusters/nope", "/speakers/999999", "/articles/none", "/nothing", "/quotes.xml"])
def test_unknown_pages_are_404s_in_both_forms(client, url):
    page = client.get(url)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    path, _, query = url.partition("?")
    twin = client.get(f"{path}.json")
    assert twin.status_code == 404 and twin.json()["ok"] is False


def test_every_response_carries_the_safety_headers(client, store):
    for url in [*page_urls(store), "/static/style.css", "/nothing", "/quotes.json?q=%22"]:
        headers = client.get(url).headers
        for name, value in HEADERS:
            assert headers[name.decode()] == value.decode(), url
    policy = dict(HEADERS)[b"content-security-policy"].decode()
    assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy and "default-src 'none'" in policy


def test_pages_hold_no_inline_script_and_load_from_static_only(client, store):
    for url in page_urls(store):
        html = client.get(url).text
        assert "<script" not in html and not re.search(r"<[^>]+\son\w+=", html)  # no script, no handler attribute
        assert set(re.findall(r'(?:src|href)="(/[^"/?]*)', html)) <= {"/static", "/quotes", "/clusters", "/speakers",
                                                                       "/articles", "/", "/.json", "/quotes.json",
                                                                       "/clusters.json", "/speakers.json",
                                                                       "/quotes.csv", "/clusters.csv", "/speakers.csv"}


def test_the_pages_show_what_the_corrections_say(web_db, tmp_path):
    """Corrections are laid on in the store's reads, so the pages show them like the commands do."""
    copy = tmp_path / "corrected.db"
    shutil.copy(web_db, copy)
    with QuoteStore(copy) as writable:
        altered = next(m for c in writable.clusters() for m in c["members"] if m["altered"])
        alone = [r for r in writable.search("money", limit=0) if r["cluster_id"] is None]
        moved, dropped = alone[0], alone[-1]
        writable.fix(moved["quote_id"], venue="Radio Sarenne", kind="mixed", by="test")
        writable.fix(dropped["quote_id"], not_a_quote=True, by="test")
        writable.rename_speaker(altered["speaker_id"], "Anna K. Koval", by="test")
    assert moved["quote_id"] != dropped["quote_id"]
    with QuoteStore(copy, readonly=True, threads=True) as corrected:
        client = TestClient(create_app(corrected))
        row = ok_json(client, f"/quotes/{moved['quote_id']}.json")["rows"][0]
        assert (row["venue"], row["kind"], row["corrected"]) == ("Radio Sarenne", "mixed", True)
        assert "✎ corrected" in client.get(f"/quotes/{moved['quote_id']}").text
        assert client.get(f"/quotes/{dropped['quote_id']}").status_code == 404
        found = [r["quote_id"] for r in ok_json(client, "/quotes.json?q=money&limit=100")["rows"]]
        assert dropped["quote_id"] not in found and moved["quote_id"] in found
        assert moved["quote_id"] in {r["quote_id"] for r in ok_json(client, "/quotes.json?q=money&kind=mixed")["rows"]}
        trail = ok_json(client, f"/clusters/{altered['cluster_id']}.json")["rows"][0]
        assert trail["speaker"] == "Anna K. Koval" and any(m["altered"] for m in trail["members"])
        assert "Anna K. Koval" in {s["name"] for s in ok_json(client, "/speakers.json?limit=100")["rows"]}
    view = sqlite3.connect(copy).execute("SELECT venue, kind, corrected FROM quotes_view WHERE quote_id = ?",
                                         (moved["quote_id"],)).fetchone()
    assert view == ("Radio Sarenne", "mixed", 1)


def test_a_read_over_the_time_limit_is_stopped(store):
    slow = TestClient(create_app(store, time_limit=0))
    response = slow.get("/quotes.json?q=the")
    assert response.status_code == 503 and "longer than 0 s" in response.json()["error"]
    assert TestClient(create_app(store)).get("/quotes.json?q=the").status_code == 200  # the limit is lifted after


def test_the_store_the_server_reads_cannot_write(store):
    assert store.conn.execute("PRAGMA query_only").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        store.conn.execute("CREATE TABLE intruder (x)")


def test_serve_refuses_what_it_cannot_serve(tmp_path):
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello")
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA application_id = 1364488753")
    conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    conn.commit()
    conn.close()
    for path, words in ((tmp_path / "missing.db", "no such database"), (not_sqlite, "not an SQLite file"),
                        (newer, "is newer than")):
        result = CliRunner().invoke(main, ["serve", "--db", str(path), "--port", "0"])
        assert result.exit_code == 2 and words in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("quotetrail: error:")
    assert not (tmp_path / "missing.db").exists()


def test_serve_says_in_one_line_that_the_port_is_taken(web_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", str(web_db), "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert result.stderr.count("\n") == 1
