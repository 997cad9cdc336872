"""The database as sqlite-utils and Datasette see it (schema version 5): the full-text index they
detect and search through, and the views a person can read."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import sqlite_utils

from quotetrail import Article, Quote, QuoteStore
from quotetrail.store import VERSION
from quotetrail.store.schema import MIGRATIONS, ddl_statements


def test_sqlite_utils_finds_the_index_and_searches_through_it(web_db):
    db = sqlite_utils.Database(web_db)
    assert db["quotes"].detect_fts() == "quotes_fts"
    found = {row["id"] for row in db["quotes"].search("passengers")}
    with QuoteStore(web_db, readonly=True) as store:
        assert found == {row["quote_id"] for row in store.search("passengers", limit=0)} and len(found) >= 3


def test_the_sqlite_utils_command_searches_the_quotes(web_db):
    result = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(web_db), "quotes", "passengers",
                             "--csv", "-c", "id"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with QuoteStore(web_db, readonly=True) as store:
        expected = {row["quote_id"] for row in store.search("passengers", limit=0)}
    assert {int(line) for line in result.stdout.split()[1:]} == expected


def test_quotes_view_reads_as_the_export_does(web_db):
    db = sqlite_utils.Database(web_db)
    rows = {r["quote_id"]: r for r in db["quotes_view"].rows}
    with QuoteStore(web_db, readonly=True) as store:
        assert len(rows) == store.stats()["quotes"]
        for quote in store.export():
            row = rows[quote["quote_id"]]
            assert (row["speaker"], row["speaker_extracted"], row["outlet"], row["date"], row["url"], row["cluster"]) \
                == (quote["speaker"], quote["speaker_extracted"], quote["outlet"], quote["date"], quote["url"],
                    quote["cluster_id"])
            assert bool(row["altered"]) == quote["altered"]
            text = store.article(quote["article_id"])["text"] if quote["source_span"] or quote["cue_span"] else ""
            for role in ("source", "cue"):
                span = quote[f"{role}_span"]
                assert row[role] == (text[span[0]:span[1]] if span else None)
            assert row["content_offsets"] == ", ".join(f"{s}-{e}" for s, e in quote["content_spans"])


def test_the_view_names_the_resolved_speaker_where_the_article_gave_a_surname(tmp_path):
    path = tmp_path / "surname.db"
    with QuoteStore(path) as store:
        store.write([said("a1", "Mayor Lena Varga"), said("a2", "Varga", "The money is there")])
    rows = list(sqlite_utils.Database(path).query("SELECT speaker, speaker_extracted FROM quotes_view ORDER BY 1, 2"))
    assert rows == [{"speaker": "Lena Varga", "speaker_extracted": "Lena Varga"},
                    {"speaker": "Lena Varga", "speaker_extracted": "Varga"}]


def said(article_id: str, who: str, words: str = "We will rebuild the bridge") -> tuple[Article, list[Quote]]:
    text = f"“{words},” {who} said."
    quote = Quote("direct", [(1, 1 + len(words))], words, speaker=who.removeprefix("Mayor "), confidence=0.9)
    return Article(id=article_id, text=text), [quote]


def test_clusters_view_agrees_with_the_store(web_db):
    db = sqlite_utils.Database(web_db)
    with QuoteStore(web_db, readonly=True) as store:
        expected = {c["cluster_id"]: c for c in store.clusters()}
    rows = {r["cluster"]: r for r in db["clusters_view"].rows}
    assert set(rows) == set(expected)
    for cluster_id, row in rows.items():
        cluster = expected[cluster_id]
        assert (row["speaker"], row["venue"], row["reports"], row["first_date"], row["outlets"]) == \
            (cluster["speaker"], cluster["venue"], cluster["size"], cluster["first_date"], len(cluster["outlets"]))
        assert row["altered"] == sum(m["altered"] for m in cluster["members"])
        assert row["reference"] == next(m["text"] for m in cluster["members"] if m["base_id"] is None)


def test_a_version_4_database_is_upgraded_and_then_searchable_by_sqlite_utils(tmp_path):
    """Version 4 wrote `content='quotes'`, which neither tool detects; the migration declares it again."""
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    for ddl in MIGRATIONS[:4]:
        for statement in ddl_statements(ddl):
            conn.execute(statement)
    conn.execute("INSERT INTO articles (id, text, content_hash) VALUES ('a', 'She said peace in our time.', 'h')")
    conn.execute("INSERT INTO quotes (article_id, seq, kind, content_spans, confidence, text) "
                 "VALUES ('a', 0, 'indirect', ?, 1, 'peace in our time')", (json.dumps([[9, 26]]),))
    conn.execute("PRAGMA application_id = 1364488753")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    assert sqlite_utils.Database(path)["quotes"].detect_fts() is None  # what the issue found: content='quotes'
    with QuoteStore(path) as store:
        assert store.stats()["schema_version"] == VERSION and store.count("peace") == 1
    db = sqlite_utils.Database(path)
    assert db["quotes"].detect_fts() == "quotes_fts" and [r["id"] for r in db["quotes"].search("peace")] == [1]
    assert list(db["quotes_view"].rows)[0]["content_offsets"] == "9-26"
