"""The quote database: the Python API and the CLI (ingest, search, speakers, show, stats, export),
idempotence, replacement, speaker identity across articles, schema versions and refused files."""
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import quotetrail
from conftest import EXAMPLES, version_one_database
from quotetrail import Article, Quote, QuoteStore, ingest_articles
from quotetrail.cli import main
from quotetrail.ingest import read_paths
from quotetrail.store import VERSION, StoreError
from quotetrail.store.query import EXPORT_COLUMNS
from quotetrail.store.speakers import identity
from quotetrail.store.trails import cluster_number

SAID = '“The ceasefire must hold,” {who} said on Tuesday.'


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


def said(article_id, who, words="The ceasefire must hold", outlet="example.az", date="2024-03-05", speaker=None):
    """An (article, quotes) pair written by hand: `who` is named in the text, `speaker` is the quote's name."""
    text = f"“{words},” {who} said on Tuesday."
    start = 1
    quote = Quote("direct", [(start, start + len(words))], words, cue_span=None,
                  source_span=(len(words) + 5, len(words) + 5 + len(who)), speaker=speaker or who, confidence=0.9)
    return Article(id=article_id, text=text, outlet=outlet, date=date, url=f"https://{outlet}/{article_id}"), [quote]


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "examples.db"
    result = run("ingest", str(EXAMPLES), "--db", str(path), "-j", "1")
    assert result.exit_code == 0, result.output
    return path


def test_ingest_examples_and_stats(examples_db):
    stats = json.loads(run("stats", "--db", str(examples_db), "--format", "json").stdout)
    assert stats["articles"] == len(list(EXAMPLES.glob("*.txt"))) and stats["quotes"] > 40 and stats["speakers"] > 5
    assert sum(stats["quotes_by_kind"].values()) == stats["quotes"]
    assert stats["schema_version"] == VERSION
    with QuoteStore(examples_db) as store:
        assert store.stats() == stats


def test_ingest_again_adds_nothing(examples_db, tmp_path):
    before = QuoteStore(examples_db).stats()
    result = run("ingest", str(EXAMPLES), "--db", str(examples_db), "-j", "1")
    assert result.exit_code == 0
    assert f"0 new articles (0 replaced, {len(list(EXAMPLES.glob('*.txt')))} unchanged), 0 quotes" in result.stderr
    assert QuoteStore(examples_db).stats() == before


def test_search_cli_formats_and_filters(examples_db):
    result = run("search", "budget", "--db", str(examples_db), "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all("budget" in r["text"].lower() for r in rows)
    assert {"quote_id", "article_id", "url", "outlet", "date", "speaker", "speaker_id", "kind", "content_spans",
            "cue_span", "source_span", "venue", "confidence", "text"} <= set(rows[0])
    assert "[budget]" in rows[0]["highlight"].lower()
    table = run("search", "budget", "--db", str(examples_db), "--format", "table")
    assert table.exit_code == 0 and "budget" in table.stdout
    koval = run("search", "--speaker", "minister anna koval", "--db", str(examples_db), "--format", "csv")
    lines = list(csv.DictReader(io.StringIO(koval.stdout)))
    assert lines and {r["speaker"] for r in lines} == {"Anna Koval"}
    assert run("search", "--speaker", "KOVAL", "--db", str(examples_db), "--format", "csv").stdout == koval.stdout
    direct = run("search", "--kind", "direct", "--limit", "3", "--db", str(examples_db), "--format", "jsonl")
    assert [json.loads(x)["kind"] for x in direct.stdout.splitlines()] == ["direct"] * 3


def test_search_bad_syntax_and_plain_punctuation(examples_db):
    bad = run("search", "AND (", "--db", str(examples_db))
    assert bad.exit_code == 2 and "bad search query" in bad.stderr and "Traceback" not in bad.output
    assert run("search", "budget, money!", "--db", str(examples_db)).exit_code == 0
    assert run("search", "x", "--since", "March", "--db", str(examples_db)).exit_code == 2


def test_speakers_show_and_export(examples_db, tmp_path):
    listed = run("speakers", "--db", str(examples_db), "--format", "jsonl").stdout
    speakers = [json.loads(x) for x in listed.splitlines()]
    koval = next(s for s in speakers if s["name"] == "Anna Koval")
    assert koval["kind"] == "person" and koval["quotes"] >= 2 and koval["aliases"]
    assert any(s["kind"] == "organisation" for s in speakers)
    assert "Anna Koval" in run("speakers", "--db", str(examples_db), "--format", "table").stdout
    first = json.loads(run("search", "budget", "--db", str(examples_db), "--format", "jsonl").stdout.splitlines()[0])
    shown = run("show", str(first["quote_id"]), "--db", str(examples_db))
    assert shown.exit_code == 0 and first["text"][:20] in " ".join(shown.stdout.split())
    article = run("show", first["article_id"], "--db", str(examples_db))
    assert article.exit_code == 0 and first["text"][:20] in " ".join(article.stdout.split())
    assert run("show", "nope", "--db", str(examples_db)).exit_code == 2
    exported = [json.loads(x) for x in run("export", "--db", str(examples_db)).stdout.splitlines()]
    assert len(exported) == QuoteStore(examples_db).stats()["quotes"]
    out = tmp_path / "q.csv"
    assert run("export", "--db", str(examples_db), "--format", "csv", "-o", str(out)).exit_code == 0
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == len(exported)
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "q.parquet"
    assert run("export", "--db", str(examples_db), "--format", "parquet", "-o", str(out)).exit_code == 0
    assert pq.read_table(out).num_rows == len(exported)


def test_changed_text_under_same_id_replaces_its_quotes(tmp_path):
    db, src = tmp_path / "q.db", tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": SAID.format(who="Mayor Lena Varga")}) + "\n", encoding="utf-8")
    assert run("ingest", "--input", str(src), "--db", str(db), "-j", "1").exit_code == 0
    new = "“The bridge opens in May,” Mayor Lena Varga said. “Not a day later,” she added."
    src.write_text(json.dumps({"id": "a1", "text": new}) + "\n", encoding="utf-8")
    result = run("ingest", "--input", str(src), "--db", str(db), "-j", "1")
    assert "1 replaced" in result.stderr
    with QuoteStore(db) as store:
        assert store.stats()["articles"] == 1
        texts = [q["text"] for q in store.article("a1")["quotes"]]
        assert "The ceasefire must hold" not in texts and any("bridge" in t for t in texts)
        assert not store.search("ceasefire")


def test_one_speaker_across_articles(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said("a", "Aliyev"), said("b", "Ilham Aliyev"), said("c", "President Ilham Aliyev"),
                     said("d", "Azerbaijani President Ilham Aliyev", outlet="news.example")])
        (aliyev,) = store.speakers()
        assert aliyev["name"] == "Ilham Aliyev" and aliyev["quotes"] == 4
        assert set(aliyev["aliases"]) >= {"Aliyev", "President Ilham Aliyev", "Azerbaijani President Ilham Aliyev"}
        assert set(aliyev["outlets"]) == {"example.az", "news.example"}
        for name in ("aliyev", "ILHAM ALIYEV", "Azerbaijani President Ilham Aliyev", "Alíyev"):
            assert len(store.search("ceasefire", speaker=name)) == 4, name
        assert {r["speaker_id"] for r in store.search("ceasefire")} == {aliyev["id"]}


def test_namesakes_stay_apart_and_bare_surname_waits(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said("a", "Aliyev"), said("b", "Ilham Aliyev")])
        assert len(store.speakers()) == 1  # the bare surname joins the only Aliyev
        store.write([said("c", "Heydar Aliyev", words="History will judge")])
        names = sorted((s["name"], s["quotes"]) for s in store.speakers())
        assert names == [("Aliyev", 1), ("Heydar Aliyev", 1), ("Ilham Aliyev", 1)]  # ambiguous: own speaker
        assert [r["text"] for r in store.search(speaker="Heydar Aliyev")] == ["History will judge"]
        assert len(store.search(speaker="Ilham Aliyev")) == 1


def test_bare_surname_before_full_name_is_linked_later(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said("a", "Aliyev")])
        store.write([said("b", "Ilham Aliyev")])
        (speaker,) = store.speakers()
        assert speaker["name"] == "Ilham Aliyev" and speaker["quotes"] == 2


def test_organisations_are_speakers():
    assert identity("The Ministry of Transport").kind == identity("Halden Port Authority").kind == "organisation"
    assert identity("Corvel Palace").key != identity("Palace").key
    assert identity("Azerbaijani President Ilham Aliyev").key == identity("ilham aliyev").key


def test_search_filters_api(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said("a", "Ilham Aliyev", date="2024-03-01"),
                     said("b", "Ilham Aliyev", date="2024-04-01", outlet="x.com"),
                     said("c", "Nikol Pashinyan", words="Peace is near", date="2024-03-10")])
        assert [r["article_id"] for r in store.search("ceasefire", since="2024-03-15")] == ["b"]
        assert len(store.search("Ceasefires")) == 2  # stemmed, case ignored
        assert [r["article_id"] for r in store.search("ceasefire", until="2024-03-15")] == ["a"]
        assert [r["article_id"] for r in store.search(None, outlet="X.COM")] == ["b"]
        assert store.search("peace OR ceasefire", limit=2) and len(store.search(None, limit=2)) == 2
        assert store.quote(store.search("peace")[0]["quote_id"])["speaker"] == "Nikol Pashinyan"
        assert store.article("zzz") is None and store.quote(999) is None
        with pytest.raises(StoreError):
            store.search("AND (")


def test_refuses_files_that_are_not_quotetrail_databases(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("my notes\n")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    for path in (text, other):
        before = path.read_bytes()
        result = run("ingest", str(EXAMPLES / "01_harbor_strike.txt"), "--db", str(path), "-j", "1")
        assert result.exit_code == 2 and "not a quotetrail database" in result.stderr
        assert path.read_bytes() == before
    assert run("stats", "--db", str(tmp_path / "missing.db")).exit_code == 2
    assert run("ingest", str(EXAMPLES), "--db", str(tmp_path / "no" / "such" / "dir.db")).exit_code == 2


def test_newer_schema_refused_older_upgraded(tmp_path):
    newer = tmp_path / "newer.db"
    QuoteStore(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    conn.close()
    result = run("stats", "--db", str(newer))
    assert result.exit_code == 2 and "newer" in result.stderr
    older = version_one_database(tmp_path / "older.db")
    with QuoteStore(older) as store:
        assert [r["text"] for r in store.search("peace")] == ["peace in our time"]
        store.write([said("b", "Nikol Pashinyan", words="Peace is near")])  # the triggers feed the new index
        assert len(store.search("peace")) == 2 and len(store.search("nears")) == 1
    assert sqlite3.connect(older).execute("PRAGMA user_version").fetchone()[0] == VERSION


def test_ingest_api_reports(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        first = ingest_articles(store, read_paths([str(EXAMPLES / "04_border_summit.txt")]))
        assert first.added == 1 and first.quotes > 0
        assert {r["origin"] for r in store.export()} == {str(EXAMPLES / "04_border_summit.txt")}  # a .txt: its path
        again = ingest_articles(store, read_paths([str(EXAMPLES / "04_border_summit.txt")]))
        assert (again.added, again.unchanged, again.quotes) == (0, 1, 0)


def test_ingest_workers_match_in_process(tmp_path):
    files = [str(EXAMPLES / "02_rail_reform_interview.txt"), str(EXAMPLES / "05_hospital_closure.txt")]
    exports = []
    for jobs in ("1", "2"):
        db = tmp_path / f"j{jobs}.db"
        assert run("ingest", *files, "--db", str(db), "-j", jobs).exit_code == 0
        exports.append([(r["article_id"], r["text"], r["speaker"]) for r in QuoteStore(db).export()])
    assert exports[0] and exports[0] == exports[1]


def test_ingest_reports_bad_inputs_and_stores_the_rest(tmp_path):
    db, empty = tmp_path / "q.db", tmp_path / "empty.txt"
    empty.write_text("")
    result = run("ingest", str(EXAMPLES / "03_palace_budget.txt"), str(tmp_path / "missing.txt"), str(empty),
                 "--db", str(db), "-j", "1")
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "empty.txt" in result.stderr and "Traceback" not in result.output
    assert "stored 1 new article" in result.stderr
    assert QuoteStore(db).stats()["articles"] == 1


def test_one_run_with_repeats_and_a_rewrite(tmp_path):
    first = Article(id="x", text=SAID.format(who="Mayor Lena Varga"))
    rewrite = Article(id="x", text="“No bridge this year,” Mayor Lena Varga said.")
    with QuoteStore(tmp_path / "q.db", batch_size=2) as store:
        report = ingest_articles(store, [first, first, rewrite, rewrite])
        assert (report.added, report.replaced, report.unchanged) == (1, 1, 2)
        assert [q["text"].rstrip(",") for q in store.article("x")["quotes"]] == ["No bridge this year"]


def test_ingest_remembers_only_the_articles_not_yet_committed(tmp_path):
    # the hashes kept to recognise repeats within a run must not grow with the corpus
    articles = [Article(id=f"a{i}", text=SAID.format(who=f"Mayor Lena Varga{'s' * (i % 3)}")) for i in range(24)]
    with QuoteStore(tmp_path / "q.db", batch_size=4) as store:
        sizes = []
        report = ingest_articles(store, articles + articles[:3], on_item=lambda item: sizes.append(len(store._pending)))
        assert (report.added, report.unchanged) == (24, 3)
        assert sizes and max(sizes) <= 4 and not store._pending


def test_bare_surname_lets_go_when_the_full_name_is_replaced_away(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said("a", "Aliyev"), said("b", "Ilham Aliyev")])
        store.write([said("b", "Nikol Pashinyan", words="Peace is near")])  # same id, new content
        assert sorted((s["name"], s["quotes"]) for s in store.speakers()) == [("Aliyev", 1), ("Nikol Pashinyan", 1)]


def test_bare_surname_lets_go_when_the_full_name_is_deleted(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said("a", "Aliyev"), said("b", "Ilham Aliyev")])
        assert store.delete(["b"]) == 1
        assert [(s["name"], s["quotes"]) for s in store.speakers()] == [("Aliyev", 1)]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    store = QuoteStore(tmp_path_factory.mktemp("db") / "small.db")
    store.write([said("a", "Ilham Aliyev"), said("b", "Nikol Pashinyan", words="Peace is near; it's \"close\" (now)")])
    yield store
    store.close()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_search_text_is_a_result_or_one_clear_error(small_store, text):
    try:
        rows = small_store.search(text, speaker=text or None, outlet=text, venue=text)
    except StoreError as exc:
        assert "bad search query" in str(exc)
    else:
        assert rows == []  # nothing has that outlet
    plain = " ".join(w for w in text.replace('"', " ").split() if w not in {"AND", "OR", "NOT", "NEAR"})
    plain = "".join(c for c in plain if c not in "()*^:")
    assert isinstance(small_store.search(plain), list)  # plain words never fail


def test_importing_the_store_loads_neither_spacy_nor_trafilatura():
    code = "import quotetrail.store, sys; assert 'spacy' not in sys.modules and 'trafilatura' not in sys.modules"
    env = {**os.environ, "PYTHONPATH": str(Path(quotetrail.__file__).parents[1])}  # these sources
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_search_limit_zero_or_none_is_no_limit_and_count_is_the_total(tmp_path):
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([said(f"a{i}", "Ilham Aliyev", date=f"2024-03-{i + 1:02}") for i in range(24)]
                    + [said("p", "Nikol Pashinyan", words="Peace is near")])
        assert len(store.search()) == 20 and len(store.search("ceasefire", limit=3)) == 3
        assert len(store.search(limit=0)) == len(store.search(limit=None)) == 25 == store.count()
        assert len(store.search("ceasefire", limit=0)) == 24 == store.count("ceasefire")
        assert store.count("ceasefire", since="2024-03-21") == 4 and store.count(speaker="Pashinyan") == 1
        assert store.count("peace", speaker="Ilham Aliyev") == 0 and store.count(outlet="nowhere.example") == 0
        with pytest.raises(StoreError, match="bad search query"):
            store.count("AND (")


def test_outlet_filter_matches_the_stored_outlet_or_the_domain_of_the_url(tmp_path):
    page, quotes = said("bbc", "Ilham Aliyev")
    bbc = Article(id="bbc", text=page.text, outlet="BBC News", url="https://www.bbc.co.uk/news/x")
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([(bbc, quotes), said("az", "Ilham Aliyev")])  # outlet example.az, url https://example.az/az
        for outlet in ("BBC News", "bbc news", "bbc.co.uk", "BBC.co.UK"):
            assert [r["article_id"] for r in store.search("ceasefire", outlet=outlet)] == ["bbc"], outlet
            assert store.count(outlet=outlet) == 1
        assert [r["article_id"] for r in store.search(outlet="EXAMPLE.AZ")] == ["az"]
        assert not store.search(outlet="co.uk") and not store.search(outlet="bbc")


def test_export_rows_have_exactly_the_export_columns(examples_db):
    with QuoteStore(examples_db) as store:
        rows = list(store.export())
        assert rows and all(list(row) == EXPORT_COLUMNS for row in rows)
        assert {row["origin"] for row in rows} == {str(p) for p in EXAMPLES.glob("*.txt")}
        assert all(isinstance(row["altered"], bool) and 0 <= row["confidence"] <= 1 for row in rows)
        clustered = {row["quote_id"]: row for row in rows if row["cluster_id"]}
        assert all(re.fullmatch(r"c\d+", row["cluster_id"]) and row["relation"] for row in clustered.values())
        assert all(row["relation"] is None and not row["altered"] for row in rows if not row["cluster_id"])
        members = {m["quote_id"]: m for c in store.clusters() for m in c["members"]}
        assert members.keys() == clustered.keys()
        for quote_id, member in members.items():
            assert {k: member[k] for k in EXPORT_COLUMNS} == clustered[quote_id]
        assert all(list(row) == [*EXPORT_COLUMNS, "highlight", "rank"] for row in store.search("budget", limit=0))


def test_cluster_ids_and_reads(examples_db):
    assert cluster_number("c12") == cluster_number(" C12 ") == cluster_number(12) == cluster_number("12") == 12
    assert cluster_number("x12") is None and cluster_number("c") is None
    with QuoteStore(examples_db) as store:
        found = store.clusters()
        assert found and store.clusters(limit=1) == found[:1]
        one = store.cluster(found[0]["cluster_id"])
        assert one == store.cluster(found[0]["id"]) and one["size"] == found[0]["size"]
        assert all("diff" in m for m in one["members"]) and any(m["diff"] is None for m in one["members"])
        assert store.cluster("nonsense") is None and store.cluster("c999999") is None
