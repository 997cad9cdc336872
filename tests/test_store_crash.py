"""A real `quotetrail ingest` killed with SIGKILL mid-run leaves a consistent database, and the next
run completes the rest: the counts then equal a clean run's."""
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quotetrail import QuoteStore

CLI = str(Path(sys.executable).parent / "quotetrail")
NAMES = ["Lena Varga", "Tomas Brenner", "Anna Koval", "Marek Sorvald", "Ilse Varga", "Henrik Lazlo"]


def corpus(folder: Path, n: int = 150) -> Path:
    folder.mkdir()
    for i in range(n):
        who = NAMES[i % len(NAMES)]
        text = (f"“We will rebuild the {i}th bridge by spring,” {who} said on Monday.\n\n"
                f"The council approved {i * 3} new posts, {who.split()[-1]} told the Harbor Gazette.")
        (folder / f"a{i:03}.txt").write_text(text, encoding="utf-8")
    return folder


def counts(db: Path) -> dict:
    with QuoteStore(db, create=False) as store:
        stats = store.stats()
    return {k: stats[k] for k in ("articles", "quotes", "speakers", "quotes_by_kind")}


def articles_stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def ingest(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([CLI, "ingest", str(folder), "--db", str(db), "-j", "1", "--batch", "5"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_ingest_resumes_to_the_same_database(tmp_path):
    folder = corpus(tmp_path / "articles")
    db = tmp_path / "killed.db"
    proc = ingest(folder, db)
    deadline = time.monotonic() + 60
    while articles_stored(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = articles_stored(db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = conn.execute("SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles)")
    assert orphans.fetchone()[0] == 0
    conn.close()
    assert partial % 5 == 0 or partial == 150  # whole batches only

    resumed = ingest(folder, db)
    assert resumed.wait(timeout=120) == 0, resumed.stderr.read().decode()
    assert f"{partial} unchanged" in resumed.stderr.read().decode()
    clean = tmp_path / "clean.db"
    assert ingest(folder, clean).wait(timeout=120) == 0
    assert counts(db) == counts(clean)
    assert counts(clean)["articles"] == 150
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(") ", 1)[1].split()[1] == str(pid):
                found.append(int(entry.name))
        except (OSError, IndexError):
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(") ", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_die_with_the_main_process_quietly(tmp_path):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    folder = corpus(tmp_path / "articles", n=400)
    db = tmp_path / "killed.db"
    proc = subprocess.Popen([CLI, "ingest", str(folder), "--db", str(db), "-j", "2", "--batch", "5"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while (articles_stored(db) == 0 or len(_children(proc.pid)) < 2) and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(proc.pid)
    assert len(workers) >= 2 and proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone = time.monotonic() + 2
    while any(_alive(w) for w in workers) and time.monotonic() < gone:
        time.sleep(0.01)
    assert not any(_alive(w) for w in workers), "workers outlived the main process"
    err = proc.stderr.read().decode()  # EOF once every worker has closed the inherited stderr
    assert "Traceback" not in err and "Error" not in err, err


def export_of(db: Path) -> list[str]:
    result = subprocess.run([CLI, "export", "--db", str(db)], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_killed_at_several_random_moments_the_resumed_export_equals_a_clean_run(tmp_path):
    folder = corpus(tmp_path / "articles", n=120)
    db = tmp_path / "killed.db"
    rng = random.Random(17)
    for target in sorted(rng.sample(range(1, 115), 3)):
        proc = ingest(folder, db)
        deadline = time.monotonic() + 60
        while articles_stored(db) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    assert ingest(folder, db).wait(timeout=120) == 0
    clean = tmp_path / "clean.db"
    assert ingest(folder, clean).wait(timeout=120) == 0
    assert export_of(db) == export_of(clean)
