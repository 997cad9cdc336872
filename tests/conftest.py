"""Shared test helpers: where the evaluation data lives, a skip when it is absent, an old database."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quotetrail.store.schema import MIGRATIONS, ddl_statements

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples" / "articles"


def shared_file(relative: str) -> Path:
    """A file of ../shared/data, or a skip that says it is missing (the data is never copied here)."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"../shared/data not found ({path}); accuracy tests need the evaluation data")
    return path


def version_one_database(path: Path) -> Path:
    """A quotetrail database of schema version 1 with one article and one quote, as an old release left it."""
    conn = sqlite3.connect(path)
    for statement in ddl_statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO articles (id, text, content_hash) VALUES ('a', 'x', 'h')")
    conn.execute("INSERT INTO quotes (article_id, seq, kind, content_spans, confidence, text) "
                 "VALUES ('a', 0, 'direct', '[[0, 1]]', 1, 'peace in our time')")
    conn.execute("PRAGMA application_id = 1364488753")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """The database of the web tests (`web_helpers.web_database`), built once per run."""
    from web_helpers import web_database

    return web_database(tmp_path_factory.mktemp("web") / "web.db")
