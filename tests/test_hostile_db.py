"""Never destroy a database (issue 17, point 1): a damaged file, a file that is not SQLite, or a
newer schema is refused by every command with one line and left byte for byte as it was; the
read-only commands open the database read-only — no journal switched, no migration, no `-wal` or
`-shm` left behind — on a cleanly closed WAL database and on one whose `-wal` holds commits.
Every database is written here by hand (no spaCy)."""
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import version_one_database
from quotetrail import Article, Quote, QuoteStore
from quotetrail.cli import main
from quotetrail.store import VERSION

READS = [["search", "money"], ["stats"], ["export"], ["show", "1"], ["speakers"], ["clusters"]]
WRITES = [["link"], ["delete", "a0"]]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_error(result):
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quotetrail: error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def said(i: int):
    words = f"The money for bridge number {i} is there and the work starts in spring {i}"
    who = ("Anna Koval", "Lena Varga", "Tomas Brenner")[i % 3]
    text = f"“{words},” {who} said on Tuesday. " + "Filler sentence about the harbour. " * 20
    quote = Quote("direct", [(1, 1 + len(words))], words, cue_span=None,
                  source_span=(len(words) + 5, len(words) + 5 + len(who)), speaker=who, confidence=0.9)
    return Article(id=f"a{i}", text=text, outlet=f"outlet{i % 7}.example", date="2024-03-05",
                   url=f"https://outlet{i % 7}.example/{i}"), [quote]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "pristine.db"
    with QuoteStore(path) as store:
        store.write([said(i) for i in range(300)])
        store.link()
    assert not Path(f"{path}-wal").exists()
    return path


def copy(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst


def corrupt(path: Path, share: float = 0.0) -> Path:
    """Overwrite six pages in the middle of the file (or the middle `share` of its pages): header and
    schema intact, quick_check fails."""
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    half = max(3, int(pages * share / 2))
    for page in range(pages // 2 - half, pages // 2 + half):
        data[page * 4096:(page + 1) * 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))
    return path


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


def ingest_args(tmp_path):
    text = tmp_path / "new.txt"
    text.write_text("“The harbour will reopen,” Mayor Lena Varga said.", encoding="utf-8")
    return ["ingest", text, "-j", "1"]


@pytest.mark.parametrize("kind", ["damaged", "not sqlite", "newer schema", "another application"])
def test_every_command_refuses_a_bad_database_and_leaves_it_unchanged(pristine, tmp_path, kind):
    path = copy(pristine, tmp_path / "q.db")
    if kind == "damaged":
        corrupt(path)
    elif kind == "not sqlite":
        path.write_bytes(b"my notes, not a database\n" * 100)
    elif kind == "newer schema":
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {VERSION + 1}")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
    else:
        path.unlink()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    for command in [*READS, *WRITES, ingest_args(tmp_path)]:
        line = one_error(run(*command, "--db", path))
        assert str(path) in line, (command, line)
        assert path.read_bytes() == before, command
        assert side_files(path) == [], (command, side_files(path))
    if kind == "damaged":
        assert "damaged database" in line and "quick_check" in line


@pytest.mark.parametrize("command", READS)
def test_reads_on_a_clean_wal_database_leave_the_file_as_it_was(pristine, tmp_path, command):
    path = copy(pristine, tmp_path / "q.db")
    before = path.read_bytes()
    assert before[18:20] == b"\x02\x02"  # WAL
    result = run(*command, "--db", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert set(side_files(path)) <= {"q.db-wal", "q.db-shm"}  # SQLite's read-only WAL reader makes these
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert run("link", "--db", path).exit_code == 0
    assert side_files(path) == []  # the next writer to close takes them away


def test_reads_see_commits_still_in_the_wal_and_leave_the_file_alone(pristine, tmp_path):
    path = copy(pristine, tmp_path / "q.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE quotes SET text = 'freshly committed words' WHERE id = 1")  # in the -wal only
    before = path.read_bytes()
    try:
        for command in READS:
            assert run(*command, "--db", path).exit_code == 0, command
        found = run("search", "freshly committed", "--db", path, "--format", "jsonl")
        assert found.exit_code == 0 and "freshly committed words" in found.stdout
        assert path.read_bytes() == before
    finally:
        writer.close()


def test_reads_never_switch_the_journal_mode(pristine, tmp_path):
    path = copy(pristine, tmp_path / "q.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"
    for command in READS:
        assert run(*command, "--db", path).exit_code == 0, command
    assert path.read_bytes() == before and side_files(path) == []


def test_a_database_needing_a_migration_is_left_to_a_write_command(tmp_path):
    path = version_one_database(tmp_path / "old.db")
    before = path.read_bytes()
    for command in READS:
        line = one_error(run(*command, "--db", path))
        assert "needs an upgrade" in line and "quotetrail link" in line
    assert path.read_bytes() == before and side_files(path) == []
    assert run("link", "--db", path).exit_code == 0
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert "peace in our time" in run("search", "peace", "--db", path, "--format", "jsonl").stdout


def test_a_missing_database_is_not_created_by_a_read(tmp_path):
    path = tmp_path / "none.db"
    for command in READS:
        assert "no such database" in one_error(run(*command, "--db", path))
    assert not path.exists() and side_files(path) == []


@pytest.mark.parametrize("name", ["we?ird#%20name.db", "caf\udce9.db", "sp ace.db"])
def test_odd_database_file_names_open_read_only(pristine, tmp_path, name):
    try:
        path = copy(pristine, tmp_path / name)
    except (OSError, UnicodeError):
        pytest.skip("the file system does not take that name")
    result = run("stats", "--db", path)
    assert result.exit_code == 0 and '"articles": 300' in result.stdout, result.output


def test_past_the_read_check_size_a_damaged_page_is_one_line_and_no_change(pristine, tmp_path, monkeypatch):
    from quotetrail.store import store as store_module

    monkeypatch.setattr(store_module, "READ_CHECK_BYTES", 0)
    path = corrupt(copy(pristine, tmp_path / "q.db"), share=0.5)  # so that the export meets a damaged page
    before = path.read_bytes()
    line = one_error(run("export", "--db", path))
    assert "malformed" in line and str(path) in line
    assert path.read_bytes() == before
    assert "quick_check" in one_error(run("link", "--db", path))  # a write checks whatever the size
