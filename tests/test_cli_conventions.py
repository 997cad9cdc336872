"""Conventions shared by every command: one error shape, one -j, --format choices, limits, origins."""
import json

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from quotetrail.cli import main
from quotetrail.cli.render import SEARCH_COLUMNS, table


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "quotes.db"
    result = run("ingest", str(EXAMPLES), "--db", str(path), "-j", "1")
    assert result.exit_code == 0, result.output
    return str(path)


@pytest.mark.parametrize("args", [
    ["search", "x", "--limit", "many"],          # a bad option value (click)
    ["nosuchcommand"],                           # an unknown command (click)
    ["extract"],                                 # a usage error of ours
    ["stats", "--db", "/nonexistent/x.db"],      # a database error
    ["show", "nope", "--db", "{db}"],            # nothing with that id
])
def test_every_error_is_one_line_with_one_prefix_and_exit_code_2(args, db):
    result = run(*(a.replace("{db}", db) for a in args))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quotetrail: error: "), result.stderr
    assert "Traceback" not in result.output


def test_jobs_means_worker_processes_on_every_command_that_extracts():
    for name in ("extract", "ingest", "eval", "eval-links"):
        (jobs,) = [p for p in main.get_command(None, name).params if p.name == "jobs"]
        assert jobs.opts == ["-j", "--jobs"] and jobs.default == 0


def test_formats_are_the_same_names_everywhere(db):
    for args in (["search", "budget"], ["speakers"], ["clusters"]):
        for fmt in ("jsonl", "json", "csv"):
            result = run(*args, "--db", db, "--format", fmt)
            assert result.exit_code == 0, (args, fmt, result.output)
        rows = json.loads(run(*args, "--db", db, "--format", "json").stdout)
        jsonl = [json.loads(line) for line in run(*args, "--db", db, "--format", "jsonl").stdout.splitlines()]
        assert rows == jsonl and rows


def test_limit_zero_means_all_and_the_count_says_how_many_matched(db):
    everything = run("search", "--db", db, "--limit", "0", "--format", "jsonl")
    total = len(everything.stdout.splitlines())
    assert total > 20 and f"{total} quotes" in everything.stderr
    some = run("search", "--db", db, "--limit", "5", "--format", "jsonl")
    assert len(some.stdout.splitlines()) == 5 and f"5 of {total} quotes" in some.stderr


def test_a_text_file_row_shows_its_file_where_the_outlet_would_be(db):
    row = json.loads(run("search", "money", "--db", db, "--limit", "1", "--format", "jsonl").stdout)
    assert row["outlet"] is None and row["origin"].endswith(".txt")
    shown = run("search", "money", "--db", db, "--limit", "1", "--format", "table").stdout
    assert row["origin"].rsplit("/", 1)[-1][:12] in shown


def test_the_quote_keeps_half_of_an_80_column_table():
    from rich.console import Console

    row = {"quote_id": 1, "date": "2024-03-01", "outlet": "a-very-long-outlet-name.example.org",
           "speaker": "Transport Minister Anna Koval of the Republic", "kind": "indirect",
           "venue": "an interview with the Kestrel News morning programme", "text": "word " * 60}
    out = Console(width=80, record=True)
    out.print(table([row], SEARCH_COLUMNS, 80))
    lines = out.export_text().splitlines()
    quote_width = len(lines[1].split("┃")[-2])
    assert quote_width >= 40 and max(len(line) for line in lines) <= 80
    assert "Transport" in lines[3] and "quote" in lines[1]  # the speaker is kept, at a readable width


def test_a_run_that_reads_no_article_creates_no_database(tmp_path):
    db = tmp_path / "never.db"
    result = run("ingest", str(tmp_path / "missing.txt"), "--db", str(db))
    assert result.exit_code == 1 and not db.exists()
    assert "missing.txt" in result.stderr and "left as it was" in result.stderr


def test_export_never_overwrites_the_database_and_writes_whole_files(db, tmp_path):
    result = run("export", "--db", db, "-o", db)
    assert result.exit_code == 2 and "database itself" in result.stderr
    out = tmp_path / "x.jsonl"
    assert run("export", "--db", db, "-o", str(out)).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {"origin", "cluster_id", "relation", "altered", "confidence"} <= set(rows[0])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".x.jsonl.")]
    missing = run("export", "--db", db, "-o", str(tmp_path / "no" / "dir" / "x.jsonl"))
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_the_stats_table_shows_each_count_beside_its_name(db):
    lines = run("stats", "--db", db, "--format", "table").stdout.splitlines()
    (articles,) = [line for line in lines if "│" in line and line.split("│")[1].strip() == "articles"]
    assert articles.split("│")[2].strip().isdigit()
