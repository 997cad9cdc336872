"""Hostile arguments and outputs (issue 17, point 4): every odd argument and every unwritable
output gives one `quotetrail: error: …` line and a non-zero exit, never a traceback; a closed
pipe ends the command quietly. The database is written here by hand (no spaCy)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrail import Article, Quote, QuoteStore
from quotetrail.cli import main

QUOTETRAIL = str(Path(sys.executable).with_name("quotetrail"))
FORMATS = ("jsonl", "json", "csv", "parquet")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_error(result, code=2):
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quotetrail: error: "), result.stderr
    return lines[0]


def said(article_id, who, words):
    text = f"“{words},” {who} said on Tuesday."
    quote = Quote("direct", [(1, 1 + len(words))], words, cue_span=None,
                  source_span=(len(words) + 5, len(words) + 5 + len(who)), speaker=who, confidence=0.9)
    return Article(id=article_id, text=text, outlet="example.org", date="2024-03-05",
                   url=f"https://example.org/{article_id}"), [quote]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("args") / "q.db"
    with QuoteStore(path) as store:
        store.write([said("a", "Anna Koval", "The money is there"), said("b", "Anna Koval", "The money is there"),
                     said("art-c", "Tomas O'Brien", "We want more money")])
        store.link()
    return str(path)


def test_invalid_utf8_in_a_query_or_an_id_is_named_as_bytes(db):
    for args in (["search", "money\udcff"], ["search", "--speaker", "Koval\udcff"], ["show", "86\udcff"],
                 ["delete", "a\udcff"], ["search", "--outlet", "\udcff"], ["clusters", "--speaker", "Koval\udcff"]):
        line = one_error(run(*args, "--db", db))
        assert "\\xff" in line and "not valid UTF-8" in line


def test_a_speaker_with_quote_characters_is_just_a_name(db):
    for name in ('Koval"', "O'Brien", '"', "'", "Tomas O'Brien"):
        result = run("search", "--speaker", name, "--db", db, "--format", "jsonl")
        assert result.exit_code == 0 and "Traceback" not in result.output
    assert "We want more money" in run("search", "--speaker", "Tomas O'Brien", "--db", db, "--format", "jsonl").output


def test_nan_is_not_a_confidence(db):
    assert "--min-confidence" in one_error(run("search", "money", "--min-confidence", "nan", "--db", db))


def test_a_limit_beyond_any_integer_is_a_usage_error(db):
    for args in (["search", "money"], ["clusters"]):
        assert "--limit" in one_error(run(*args, "--limit", 10**30, "--db", db))


@pytest.mark.parametrize("item", ["99999999999999999999999", "c99999999999999999999999", "²", "c²", "c", "",
                                  "-1", "c-1", "9223372036854775808"])
def test_ids_that_cannot_be_stored_are_not_found(db, item):
    assert "no quote, cluster or article" in one_error(run("show", "--db", db, "--", item))


def test_an_error_naming_a_line_break_stays_one_line(db):
    for odd in ("a\nb", "a\rb", "x\x1ey", "x\u2028y", "x\x85y"):
        one_error(run("show", odd, "--db", db))
        one_error(run("export", odd, "--db", db))


def test_show_still_finds_quotes_clusters_and_articles(db):
    for item in ("1", "c1", " C1 ", "a"):
        result = run("show", item, "--db", db)
        assert result.exit_code == 0, (item, result.output)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_dev_full_fails_in_one_line_and_leaves_the_device(db, fmt):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    before = os.stat("/dev/full")
    result = subprocess.run([QUOTETRAIL, "export", "--db", db, "--format", fmt, "-o", "/dev/full"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "/dev/full" in result.stderr
    after = os.stat("/dev/full")
    assert (after.st_mode, after.st_rdev, after.st_ino) == (before.st_mode, before.st_rdev, before.st_ino)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_dev_null_is_fine(db, fmt):
    assert run("export", "--db", db, "--format", fmt, "-o", os.devnull).exit_code == 0
    assert Path(os.devnull).is_char_device()


def test_a_failed_export_leaves_the_old_file_and_its_mode(db, tmp_path):
    out = tmp_path / "x.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    assert run("export", "--db", db, "-o", out).exit_code == 0
    assert out.read_text() != "old\n" and (out.stat().st_mode & 0o777) == 0o640
    link = tmp_path / "link.jsonl"
    link.symlink_to(out.name)
    assert run("export", "--db", db, "--format", "csv", "-o", link).exit_code == 0
    assert link.is_symlink() and out.read_text().startswith("quote_id,")
    one_error(run("export", "--db", db, "-o", tmp_path / "missing" / "dir" / "x.jsonl"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonl", "x.jsonl"]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_refuses_the_database_and_its_journal_files(db, suffix):
    assert "database" in one_error(run("export", "--db", db, "-o", db + suffix))


@pytest.mark.parametrize("command", [["export"], ["search", "money"], ["stats"], ["show", "1"], ["speakers"],
                                     ["clusters"], ["show", "c1"]])
def test_stdout_to_dev_full_is_one_line(db, command):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        result = subprocess.run([QUOTETRAIL, *command, "--db", db], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == "quotetrail: error: cannot write the output (No space left on device)"


@pytest.mark.parametrize("command", [["export"], ["search", "money", "--limit", "0", "--format", "jsonl"],
                                     ["clusters", "--format", "jsonl"], ["show", "c1"]])
def test_a_closed_pipe_ends_quietly(db, command):
    proc = subprocess.Popen([QUOTETRAIL, *command, "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader went away before the first line
    err = proc.stderr.read().decode()
    assert proc.wait() in (0, 1) and "Traceback" not in err and "Exception" not in err, err


ARGUMENT = st.one_of(st.text(max_size=30), st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
                     st.sampled_from(["c", "c1", "1", "0", "-1", "²", "c²", "10" * 20, "\udcff", '"', "'", "*", "NEAR(",
                                      "--limit", "--speaker", "--since", "2024-13-45", "--db", "-o"]),
                     st.integers().map(str))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(["search", "show", "export"]), args=st.lists(ARGUMENT, max_size=4))
def test_any_argument_strings(db, command, args):
    args = [a for a in args if a not in ("--db", "-o")]  # never aim at another database or a file of ours
    result = run(command, *args, "--db", db)
    assert result.exit_code in (0, 1, 2), (args, result.output, result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code == 2:
        one_error(result)


def test_the_python_api_takes_the_same_hostile_values(db):
    from quotetrail.store import StoreError

    with QuoteStore(db, readonly=True) as store:
        assert store.quote(10**30) is None and store.quote(-1) is None
        assert store.cluster("c" + "9" * 30) is None and store.cluster("c²") is None and store.cluster("c") is None
        assert store.article("a\udcff") is None and store.cluster(1)["cluster_id"] == "c1"
        for call in (lambda: store.search("money\udcff"), lambda: store.search("money", limit=10**30),
                     lambda: store.count(speaker="Koval\udcff"), lambda: store.search(outlet="\udcff")):
            with pytest.raises(StoreError):
                call()


@pytest.mark.parametrize("command", [["stats"], ["search", "money"], ["export"]])
def test_a_closed_stdout_is_one_line(db, command):
    result = subprocess.run([QUOTETRAIL, *command, "--db", db], stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert result.stderr.strip() == "quotetrail: error: cannot write the output (stdout is closed)"
