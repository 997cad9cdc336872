"""Concurrency (issue 17): reads while `ingest` writes, and two `ingest` runs into one database at
once. The reads open the file read-only and see whole batches; both writers finish; the database
ends consistent with every article once and everything checkpointed into the main file."""
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

CLI = str(Path(sys.executable).parent / "quotetrail")
NAMES = ["Lena Varga", "Tomas Brenner", "Anna Koval", "Marek Sorvald"]


def corpus(folder: Path, prefix: str, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        who = NAMES[i % len(NAMES)]
        (folder / f"{prefix}{i:03}.txt").write_text(
            f"“We will rebuild the {i}th {prefix} bridge by spring,” {who} said on Monday.\n\n"
            f"The council approved {i * 3} new posts, {who.split()[-1]} told the Harbor Gazette.", encoding="utf-8")
    return folder


def test_reads_during_two_concurrent_ingests(tmp_path):
    db = tmp_path / "q.db"
    first = subprocess.Popen([CLI, "ingest", str(corpus(tmp_path / "a", "a", 120)), "--db", str(db), "-j", "2",
                              "--batch", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not db.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.Popen([CLI, "ingest", str(corpus(tmp_path / "b", "b", 40)), "--db", str(db), "-j", "1",
                               "--batch", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reads = 0
    while first.poll() is None or second.poll() is None:
        for command in (["search", "bridge", "--limit", "1"], ["stats"], ["export"]):
            result = subprocess.run([CLI, *command, "--db", str(db)], capture_output=True, text=True)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (command, result.stderr)
            reads += 1
    assert first.wait() == 0, first.stderr.read().decode()
    assert second.wait() == 0, second.stderr.read().decode()
    assert reads >= 3
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone() == (160, 160)
    conn.close()
    wal = tmp_path / "q.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # every commit is in the main file
