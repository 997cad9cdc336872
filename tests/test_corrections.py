"""Editorial corrections through the CLI: fix, speakers merge/split/rename, corrections [undo|apply].

Each command is run through click's runner; the state is read back through the read commands
(search, show, speakers, clusters, export), so that what is tested is what a user sees. Exports
before and after are compared whole where a correction must leave nothing behind.
"""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from quotetrail import Article, Quote, QuoteStore
from quotetrail.cli import main
from quotetrail.store import VERSION
from quotetrail.store import corrections as corrections_module
from quotetrail.store.schema import APPLICATION_ID, MIGRATIONS, ddl_statements
from test_link import PASSAGE, VARIANTS, article, quote, reports_of, transcript


def run(*args, stdin=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin)


def ok(*args, stdin=None):
    result = run(*args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result


def rows(*args) -> list[dict]:
    return [json.loads(line) for line in ok(*args, "--format", "jsonl").stdout.splitlines()]


def export(db) -> str:
    return ok("export", "--db", db).stdout


def one_error(result, words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("quotetrail: error: "), result.output
    assert words in lines[0], lines[0]


@pytest.fixture(scope="module")
def examples_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "examples.db"
    ok("ingest", EXAMPLES, "--db", path, "-j", "1")
    return path


@pytest.fixture
def examples(examples_template, tmp_path):
    """A copy of the example database of its own for each test."""
    return shutil.copy(examples_template, tmp_path / "examples.db")


@pytest.fixture
def harbour(tmp_path):
    """Hand-written reports of Lena Varga's radio interview, and one copy given to the wrong speaker."""
    path = tmp_path / "harbour.db"
    with QuoteStore(path) as store:
        store.write([transcript(), *(reports_of(r, t) for r, t in VARIANTS.items()),
                     article("wrong", PASSAGE, [quote(PASSAGE, speaker="Tomas Brenner")])])
        store.link()
    return path


def quote_of(db, article_id: str) -> dict:
    (row,) = [r for r in rows("export", "--db", db) if r["article_id"] == article_id]
    return row


def speakers(db) -> dict[str, dict]:
    return {s["name"]: s for s in rows("speakers", "--db", db)}


def test_fix_a_speaker_shows_everywhere_and_is_logged(examples):
    (marble,) = rows("search", "marble", "--db", examples)
    assert marble["speaker"] is None and marble["corrected"] is False
    before = speakers(examples)["Rowan Tiller"]["quotes"]
    made = ok("fix", marble["quote_id"], "--speaker", "Rowan Tiller", "--by", "fact desk",
              "--note", "same speaker as 80", "--db", examples)
    assert "correction 1: quote" in made.stderr and "speaker: ? → Rowan Tiller" in made.stderr
    (fixed,) = rows("search", "marble", "--db", examples)
    assert fixed["speaker"] == "Rowan Tiller" and fixed["corrected"] is True and fixed["speaker_extracted"] is None
    assert speakers(examples)["Rowan Tiller"]["quotes"] == before + 1
    assert marble["quote_id"] in {r["quote_id"] for r in rows("search", "--speaker", "Tiller", "--db", examples)}
    shown = ok("show", marble["quote_id"], "--db", examples).stdout
    assert "Rowan Tiller" in shown and "corrected" in shown
    exported = rows("export", "--db", examples)
    assert [r["quote_id"] for r in exported if r["corrected"]] == [marble["quote_id"]]
    assert ok("export", "--db", examples, "--format", "csv").stdout.splitlines()[0].endswith(",corrected")
    (logged,) = rows("corrections", "--db", examples)
    assert (logged["author"], logged["note"], logged["action"], logged["status"]) == (
        "fact desk", "same speaker as 80", "speaker", "applies")
    assert logged["quote_text"] == marble["text"] and logged["quote_id"] == marble["quote_id"]
    table = ok("search", "marble", "--db", examples, "--format", "table").stdout
    assert "✎" in table
    assert ok("stats", "--db", examples, "--format", "json").stdout.count('"corrections": 1') == 1


def test_the_default_author_is_the_login_name_with_a_fallback(harbour, monkeypatch):
    wrong = quote_of(harbour, "wrong")
    monkeypatch.setattr(corrections_module.getpass, "getuser", lambda: "kim")
    ok("fix", wrong["quote_id"], "--kind", "indirect", "--db", harbour)

    def no_user():
        raise OSError("no user name")
    monkeypatch.setattr(corrections_module.getpass, "getuser", no_user)
    ok("fix", wrong["quote_id"], "--venue", "Harbour FM", "--db", harbour)
    assert [r["author"] for r in rows("corrections", "--db", harbour)] == ["kim", "unknown"]


def test_a_fixed_speaker_joins_its_cluster_at_once_and_undo_takes_it_out(harbour):
    before = export(harbour)
    wrong = quote_of(harbour, "wrong")
    assert wrong["cluster_id"] is None  # another known speaker: never joined to Varga's reports
    ok("fix", wrong["quote_id"], "--speaker", "Lena Varga", "--db", harbour)
    fixed = quote_of(harbour, "wrong")
    (cluster,) = rows("clusters", "--db", harbour)
    assert fixed["cluster_id"] == cluster["cluster_id"] and fixed["relation"] == "verbatim"
    assert {m["article_id"] for m in cluster["members"]} >= {"wrong", "transcript"}
    assert next(m for m in cluster["members"] if m["article_id"] == "wrong")["corrected"] is True
    ok("corrections", "undo", "1", "--db", harbour)
    assert export(harbour) == before


def test_not_a_quote_leaves_every_read_and_its_cluster(harbour):
    before = export(harbour)
    trimmed = quote_of(harbour, "trimmed")
    size = rows("clusters", "--db", harbour)[0]["size"]
    ok("fix", trimmed["quote_id"], "--not-a-quote", "--db", harbour)
    assert trimmed["quote_id"] not in {r["quote_id"] for r in rows("export", "--db", harbour)}
    assert trimmed["quote_id"] not in {r["quote_id"] for r in rows("search", "Rotterdam", "--db", harbour)}
    assert rows("clusters", "--db", harbour)[0]["size"] == size - 1
    one_error(run("show", trimmed["quote_id"], "--db", harbour), "no quote")
    stats = json.loads(ok("stats", "--db", harbour).stdout)
    assert stats["quotes"] == len(before.splitlines()) - 1
    one_error(run("fix", trimmed["quote_id"], "--not-a-quote", "--db", harbour), "already")
    ok("corrections", "undo", "1", "--db", harbour)
    assert export(harbour) == before


def test_kind_and_venue_are_corrected_and_filtered_on(harbour):
    paraphrase = quote_of(harbour, "paraphrase")
    made = ok("fix", paraphrase["quote_id"], "--kind", "mixed", "--venue", "Harbour FM", "--db", harbour)
    assert "correction 1" in made.stderr and "correction 2" in made.stderr
    found = rows("search", "--kind", "mixed", "--venue", "harbour fm", "--db", harbour)
    assert [r["quote_id"] for r in found] == [paraphrase["quote_id"]]
    assert (found[0]["kind"], found[0]["venue"]) == ("mixed", "Harbour FM")
    assert [r["changed"] for r in rows("corrections", "--db", harbour)] == [
        "kind: indirect → mixed", "venue: Radio Halden → Harbour FM"]


def test_merge_then_split_gives_back_the_original_speakers(examples):
    before, exported = speakers(examples), export(examples)
    koval, varga = before["Anna Koval"], before["Ilse Varga"]
    ok("speakers", "merge", koval["id"], varga["id"], "--name", "A. Koval", "--db", examples)
    merged = speakers(examples)
    assert "Ilse Varga" not in merged and "Anna Koval" not in merged
    one = merged["A. Koval"]
    assert one["id"] == koval["id"] and one["quotes"] == koval["quotes"] + varga["quotes"] and one["corrected"]
    assert "Ilse Varga" in one["aliases"]
    assert {r["speaker_id"] for r in rows("search", "--speaker", "Ilse Varga", "--db", examples)} == {koval["id"]}
    found = rows("search", "--speaker", "A. Koval", "--db", examples, "--limit", "0")
    assert len(found) == one["quotes"] and {r["speaker"] for r in found} == {"A. Koval"}
    ok("speakers", "split", koval["id"], "--alias", "Ilse Varga", "--db", examples)
    assert speakers(examples) == before
    assert export(examples) == exported


def test_split_gives_an_alias_its_own_speaker(tmp_path):
    db = tmp_path / "aliyev.db"
    with QuoteStore(db) as store:  # the bare surname joins the only Aliyev with a full name
        store.write([said("a1", "Ilham Aliyev", "We are ready for talks"),
                     said("a2", "Aliyev", "Heydar never gave up")])
    (ilham,) = speakers(db).values()
    assert ilham["quotes"] == 2
    one_error(run("speakers", "split", ilham["id"], "--alias", "President Ilham Aliyev", "--db", db), "own name")
    one_error(run("speakers", "split", ilham["id"], "--alias", "Rasulzade", "--db", db), "no quote")
    ok("speakers", "split", ilham["id"], "--alias", "Aliyev", "--db", db)
    after = speakers(db)
    assert after["Ilham Aliyev"]["quotes"] == 1 and after["Aliyev"]["quotes"] == 1 and after["Aliyev"]["corrected"]
    (heydar,) = rows("search", "Heydar", "--db", db)
    assert heydar["speaker"] == "Aliyev" and heydar["corrected"]


def said(article_id: str, who: str, words: str) -> tuple[Article, list[Quote]]:
    text = f"“{words},” {who} said."
    return (Article(id=article_id, text=text, outlet="example.az", date="2024-03-05"),
            [Quote("direct", [(1, 1 + len(words))], words, source_span=(len(words) + 4, len(words) + 4 + len(who)),
                   speaker=who, confidence=0.9)])


def test_rename_is_shown_everywhere_and_found_by_either_name(examples):
    koval = speakers(examples)["Anna Koval"]
    ok("speakers", "rename", koval["id"], "Anna Koval-Lind", "--db", examples)
    assert speakers(examples)["Anna Koval-Lind"]["quotes"] == koval["quotes"]
    for name in ("Anna Koval-Lind", "Koval-Lind", "Minister Anna Koval"):
        found = rows("search", "--speaker", name, "--db", examples, "--limit", "0")
        assert len(found) == koval["quotes"] and {r["speaker"] for r in found} == {"Anna Koval-Lind"}, name
    assert {c["speaker"] for c in rows("clusters", "--db", examples)} == {"Anna Koval-Lind"}
    assert "Anna Koval-Lind" in ok("show", "c1", "--db", examples).stdout


def test_undo_restores_the_export_exactly_and_the_log_keeps_it(examples):
    before = export(examples)
    people = speakers(examples)
    (marble,) = rows("search", "marble", "--db", examples)
    ok("fix", marble["quote_id"], "--speaker", "Judge Ilse Marr", "--db", examples)
    ok("fix", 3, "--not-a-quote", "--db", examples)
    ok("speakers", "merge", people["Elena Vasquez"]["id"], people["Tomas Brenner"]["id"], "--db", examples)
    merged = {r["speaker_extracted"]: r["corrected"] for r in rows("search", "--speaker", "Vasquez", "--db", examples)}
    assert merged == {"Elena Vasquez": False, "Tomas Brenner": True}  # only the quotes whose speaker changed
    ok("speakers", "rename", people["Anna Koval"]["id"], "Anna K.", "--db", examples)
    ok("fix", 18, "--no-speaker", "--db", examples)
    assert export(examples) != before and "Ilse Marr" in speakers(examples)
    for n in (5, 4, 2, 3, 1):  # in any order
        ok("corrections", "undo", n, "--by", "editor", "--db", examples)
    assert export(examples) == before and "Ilse Marr" not in speakers(examples)
    log = rows("corrections", "--db", examples)
    assert [r["status"] for r in log] == ["undone"] * 5 and {r["undone_by"] for r in log} == {"editor"}
    one_error(run("corrections", "undo", 2, "--db", examples), "undone already")
    one_error(run("corrections", "undo", 9, "--db", examples), "no correction 9")


def test_bad_corrections_are_one_line_and_change_nothing(examples):
    before = export(examples)
    people = speakers(examples)
    for args, words in (
            (["fix", "99999", "--kind", "direct"], "no quote 99999"),
            (["fix", "abc", "--kind", "direct"], "not a quote number"),
            (["fix", "3"], "nothing to correct"),
            (["fix", "3", "--speaker", "X Y", "--no-speaker"], "contradict"),
            (["fix", "3", "--speaker", "Elena Vasquez"], "already"),
            (["fix", "3", "--speaker", "  "], "names nobody"),
            (["fix", "3", "--kind", "rumour"], "rumour"),
            (["speakers", "merge", str(people["Anna Koval"]["id"])], "two speakers or more"),
            (["speakers", "merge", "4", "99999"], "no speaker 99999"),
            (["speakers", "rename", str(people["Anna Koval"]["id"]), "Anna Koval"], "already"),
            (["corrections", "undo", "x"], "not a correction number")):
        one_error(run(*args, "--db", examples), words)
    assert export(examples) == before and rows("corrections", "--db", examples) == []


def test_a_correction_survives_reingest_of_the_same_and_of_a_changed_article(tmp_path):
    db, source = tmp_path / "q.db", tmp_path / "news.jsonl"
    said_it = "“We will rebuild the bridge by spring,” Mayor Lena Varga told the Harbor Gazette on Monday."

    def ingest(text: str):
        source.write_text(json.dumps({"id": "bridge", "text": text}) + "\n", encoding="utf-8")
        return ok("ingest", "--input", source, "--db", db, "-j", "1")

    ingest(said_it)
    (first,) = rows("search", "bridge", "--db", db)
    ok("fix", first["quote_id"], "--speaker", "Jon Hale", "--note", "the deputy said it", "--db", db)
    assert "0 new articles (0 replaced, 1 unchanged)" in ingest(said_it).stderr
    assert rows("search", "bridge", "--db", db)[0]["speaker"] == "Jon Hale"
    ingest("HARBOR CITY — The council met on Monday.\n\n" + said_it)   # changed: every offset moves
    (moved,) = rows("search", "bridge", "--db", db)
    assert moved["content_spans"] != first["content_spans"]  # a new row, found again by its article and words
    assert (moved["speaker"], moved["corrected"]) == ("Jon Hale", True)
    assert rows("corrections", "--db", db)[0]["quote_id"] == moved["quote_id"]
    gone = ingest("The council met on Monday and said nothing of the bridge.")
    assert "warning: correction 1 no longer applies" in gone.stderr and "kept" in gone.stderr
    (kept,) = rows("corrections", "--db", db)
    assert kept["status"] == "no longer applies" and kept["quote_id"] is None
    assert "1 no longer apply" in ok("corrections", "--db", db).stderr
    ingest(said_it)                                                    # the words are back: so is the fix
    assert rows("search", "bridge", "--db", db)[0]["speaker"] == "Jon Hale"
    assert rows("corrections", "--db", db)[0]["status"] == "applies"


def test_a_correction_holds_when_new_reports_are_linked(harbour):
    wrong = quote_of(harbour, "wrong")
    ok("fix", wrong["quote_id"], "--speaker", "Lena Varga", "--db", harbour)
    with QuoteStore(harbour) as store:
        store.write([article("late", PASSAGE, [quote(PASSAGE, speaker=None)], outlet="late.example")])
    ok("link", "--db", harbour)
    (cluster,) = rows("clusters", "--db", harbour)
    members = {m["article_id"]: m for m in cluster["members"]}
    assert {"late", "wrong"} <= set(members) and members["wrong"]["speaker"] == "Lena Varga"


def test_corrections_apply_to_another_database(examples, tmp_path):
    other = shutil.copy(examples, tmp_path / "other.db")
    fresh = shutil.copy(examples, tmp_path / "fresh.db")
    people = speakers(examples)
    (marble,) = rows("search", "marble", "--db", examples)
    ok("fix", marble["quote_id"], "--speaker", "Rowan Tiller", "--by", "desk", "--db", examples)
    ok("speakers", "merge", people["Elena Vasquez"]["id"], people["Tomas Brenner"]["id"], "--db", examples)
    ok("fix", 3, "--kind", "indirect", "--db", examples)
    ok("corrections", "undo", 3, "--db", examples)
    shared = tmp_path / "shared.jsonl"
    shared.write_text(ok("corrections", "--db", examples, "--format", "jsonl").stdout, encoding="utf-8")
    applied = ok("corrections", "apply", shared, "--db", other)
    assert "applied 2 corrections" in applied.stderr
    assert export(other) == export(examples)
    assert [(r["author"], r["made_at"]) for r in rows("corrections", "--db", other)] == [
        (r["author"], r["made_at"]) for r in rows("corrections", "--db", examples)][:2]
    again = ok("corrections", "apply", "-", "--db", other, stdin=shared.read_text(encoding="utf-8"))
    assert "applied 0 corrections" in again.stderr and "2 logged already" in again.stderr
    bad = tmp_path / "bad.jsonl"
    first_line = shared.read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(first_line + '\n{"action": "speaker"}\n', encoding="utf-8")
    one_error(run("corrections", "apply", bad, "--db", fresh), "bad.jsonl:2:")
    assert rows("corrections", "--db", fresh) == []


def previous_version_database(path):
    """A database as the release before corrections left it: one article, two quotes, one speaker."""
    conn = sqlite3.connect(path)
    for ddl in MIGRATIONS[:VERSION - 1]:
        for statement in ddl_statements(ddl):
            conn.execute(statement)
    text = "“The ceasefire must hold,” Ilham Aliyev said. “Talks start Monday,” he added."
    conn.execute("INSERT INTO articles (id, text, content_hash) VALUES ('a', ?, 'h')", (text,))
    conn.execute("INSERT INTO speakers (key, name, surname, kind) VALUES ('ilham aliyev', 'Ilham Aliyev', 'aliyev', "
                 "'person')")
    for seq, words in enumerate(("The ceasefire must hold", "Talks start Monday")):
        start = text.index(words)
        conn.execute("INSERT INTO quotes (article_id, seq, kind, content_spans, speaker, speaker_key, speaker_id, "
                     "confidence, text, linked) VALUES ('a', ?, 'direct', ?, 'Ilham Aliyev', 'ilham aliyev', 1, "
                     "0.9, ?, 1)", (seq, json.dumps([[start, start + len(words)]]), words))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {VERSION - 1}")
    conn.commit()
    conn.close()
    return path


def test_a_database_of_the_previous_version_is_migrated_and_keeps_its_corrections(tmp_path):
    db = previous_version_database(tmp_path / "old.db")
    one_error(run("corrections", "--db", db), "needs an upgrade")  # a read never migrates
    ok("fix", "2", "--speaker", "Jeyhun Bayramov", "--note", "the foreign minister", "--db", db)
    assert json.loads(ok("stats", "--db", db).stdout)["schema_version"] == VERSION
    (talks,) = rows("search", "talks", "--db", db)
    assert (talks["speaker"], talks["corrected"]) == ("Jeyhun Bayramov", True)
    assert rows("search", "ceasefire", "--db", db)[0]["speaker"] == "Ilham Aliyev"
    with QuoteStore(db) as store:  # opened again for writing: nothing to migrate, the correction holds
        store.link()
    assert rows("search", "talks", "--db", db)[0]["speaker"] == "Jeyhun Bayramov"


def test_listing_corrections_never_writes_the_database(harbour):
    ok("fix", quote_of(harbour, "wrong")["quote_id"], "--speaker", "Lena Varga", "--db", harbour)
    before = harbour.read_bytes()
    for fmt in ("table", "jsonl", "json", "csv"):
        ok("corrections", "--db", harbour, "--format", fmt)
    assert harbour.read_bytes() == before
