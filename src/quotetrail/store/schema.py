"""The SQLite schema of a quote database: DDL, its version, ordered migrations, the checks on open,
and the one way to write (`transaction`).

The version lives in ``PRAGMA user_version`` and a quotetrail database is marked by
``PRAGMA application_id`` (`APPLICATION_ID`), so that a file which is not one of ours is refused
before anything is written to it. `MIGRATIONS[i]` takes a database from version i to i + 1; a new
database runs them all, an older one runs those it lacks, a newer one is refused.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

APPLICATION_ID = 0x51547231  # "QTr1"
SQLITE_MAGIC = b"SQLite format 3\x00"

_V1 = """
CREATE TABLE articles (
    id           TEXT PRIMARY KEY,
    url          TEXT,
    outlet       TEXT,
    date         TEXT,              -- ISO 8601 YYYY-MM-DD
    title        TEXT,
    language     TEXT,
    origin       TEXT,              -- file, file:line or file#record it was read from
    source_id    TEXT,
    position     INTEGER,
    text         TEXT NOT NULL,
    content_hash TEXT NOT NULL,     -- SHA-1 of url, title, date and text: unchanged input is skipped
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_date ON articles(date);

CREATE TABLE speakers (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,   -- folded name without titles: 'ilham aliyev', 'aliyev', 'corvel palace'
    name    TEXT NOT NULL,          -- display name: 'Ilham Aliyev'
    surname TEXT,                   -- folded last word of a person's name
    kind    TEXT NOT NULL CHECK (kind IN ('person', 'organisation'))
);
CREATE INDEX speakers_surname ON speakers(surname);

CREATE TABLE quotes (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,  -- order of the quote in its article
    kind          TEXT NOT NULL,
    content_spans TEXT NOT NULL,     -- JSON [[start, end], ...] into articles.text
    cue_span      TEXT,              -- JSON [start, end] or NULL
    source_span   TEXT,
    speaker       TEXT,              -- the name as extracted, or NULL
    speaker_key   TEXT,              -- speakers.key form of `speaker`
    speaker_id    INTEGER REFERENCES speakers(id),
    venue         TEXT,
    confidence    REAL NOT NULL,
    text          TEXT NOT NULL,
    UNIQUE (article_id, seq)
);
CREATE INDEX quotes_speaker_id ON quotes(speaker_id);
CREATE INDEX quotes_speaker_key ON quotes(speaker_key);

CREATE TABLE mentions (
    quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    text     TEXT NOT NULL,          -- how the article names the speaker: 'President Ilham Aliyev'
    folded   TEXT NOT NULL,          -- lower case, no accents or punctuation
    start    INTEGER,                -- offsets into articles.text (NULL for the extracted name)
    end      INTEGER
);
CREATE INDEX mentions_quote ON mentions(quote_id);
CREATE INDEX mentions_folded ON mentions(folded);
"""

_V2 = """
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER quotes_fts_update AFTER UPDATE OF text ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
"""

_V3 = """
DROP TABLE quotes_fts;
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content='quotes', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
"""

_V4 = """
CREATE TABLE clusters (id INTEGER PRIMARY KEY);
ALTER TABLE quotes ADD COLUMN cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL;
ALTER TABLE quotes ADD COLUMN relation TEXT;        -- primary, verbatim, trimmed, reworded, paraphrase
ALTER TABLE quotes ADD COLUMN base_id INTEGER;      -- the member its diff is against (NULL: the reference)
ALTER TABLE quotes ADD COLUMN changes TEXT;         -- JSON [{kind, was, now}] of meaning-bearing changes
ALTER TABLE quotes ADD COLUMN transcript INTEGER NOT NULL DEFAULT 0;  -- a turn of an interview transcript
ALTER TABLE quotes ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;      -- 1 once indexed by the linker
CREATE INDEX quotes_cluster ON quotes(cluster_id);
CREATE INDEX quotes_unlinked ON quotes(linked) WHERE linked = 0;
CREATE TABLE link_keys (
    key      INTEGER NOT NULL,     -- hashed pair of neighbouring content stems
    quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE
);
CREATE INDEX link_keys_key ON link_keys(key);
CREATE INDEX link_keys_quote ON link_keys(quote_id);
CREATE TABLE links (
    a     INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,   -- a < b
    b     INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    firm  INTEGER NOT NULL,        -- 1: a long near-verbatim passage, which joins even across venues
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX links_b ON links(b);
"""

# Editorial corrections, kept as data: `corrections` is the log (what a person said is wrong, and
# how to find it again after a re-ingest: a quote by its article and words, a speaker by its key);
# `quote_fixes` and `speaker_fixes` are what the log makes of the extracted rows now, rebuilt from it
# by `store.corrections.rebuild` after every write. The corrected speaker is written to
# `quotes.speaker_id` (resolved by the store already, so that its index keeps serving searches and
# the linker); kind, venue, dropped quotes, renamed speakers and the `corrected` mark are applied
# by the two views, which every read goes through. Self-contained: it needs version 4's columns only.
_CORRECTIONS = """
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,   -- the N of `quotetrail corrections undo N`
    made_at    TEXT NOT NULL,         -- UTC, ISO 8601
    author     TEXT NOT NULL,
    note       TEXT,
    action     TEXT NOT NULL CHECK (action IN ('speaker', 'no-speaker', 'kind', 'venue', 'not-a-quote',
                                               'merge', 'split', 'rename')),
    article_id TEXT,                  -- a quote's correction: the quote's article, words and content spans
    quote_text TEXT,
    spans      TEXT,
    speakers   TEXT,                  -- a speaker's correction: JSON list of speaker keys (merge: the kept one first)
    value      TEXT,                  -- the new speaker, kind or venue; merge --name; split's alias; the new name
    was        TEXT,                  -- what it replaced, as shown when it was made
    digest     TEXT NOT NULL UNIQUE,  -- SHA-1 of what it is: the same correction applied twice is one
    quote_id   INTEGER,               -- the quote it applies to now (rebuilt)
    applies    INTEGER NOT NULL DEFAULT 1,  -- 0: its quote or speakers are not in the database now (kept)
    undone_at  TEXT,
    undone_by  TEXT
);
CREATE TABLE quote_fixes (
    quote_id   INTEGER PRIMARY KEY REFERENCES quotes(id) ON DELETE CASCADE,
    speaker    INTEGER NOT NULL DEFAULT 0,  -- 1: quotes.speaker_id holds the corrected speaker
    speaker_id INTEGER,
    kind       TEXT,
    venue      TEXT,
    dropped    INTEGER NOT NULL DEFAULT 0   -- not a quote: left out of every read
);
CREATE TABLE speaker_fixes (
    speaker_id INTEGER PRIMARY KEY,  -- a speaker a correction touches
    target_id  INTEGER,              -- merged into this speaker (NULL: not merged away)
    name       TEXT,                 -- the name shown instead of the extracted one
    name_key   TEXT                  -- its folded key, so that `--speaker NAME` finds it
);
CREATE VIEW corrected_quotes AS
SELECT q.id, q.article_id, q.seq, coalesce(f.kind, q.kind) AS kind, q.content_spans, q.cue_span, q.source_span,
       q.speaker, q.speaker_key, q.speaker_id, coalesce(n.name, sp.name) AS speaker_name, sp.kind AS speaker_kind,
       coalesce(f.venue, q.venue) AS venue, q.confidence, q.text,
       q.cluster_id, q.relation, q.base_id, q.changes, q.transcript, q.linked,
       f.quote_id IS NOT NULL OR n.name IS NOT NULL AS corrected  -- its own fields, or its speaker's name
FROM quotes q LEFT JOIN quote_fixes f ON f.quote_id = q.id LEFT JOIN speakers sp ON sp.id = q.speaker_id
     LEFT JOIN speaker_fixes n ON n.speaker_id = q.speaker_id
WHERE f.dropped IS NOT 1;
CREATE VIEW corrected_speakers AS
SELECT s.id, s.key, coalesce(f.name, s.name) AS name, s.surname, s.kind, f.target_id AS merged_into,
       f.speaker_id IS NOT NULL AS corrected
FROM speakers s LEFT JOIN speaker_fixes f ON f.speaker_id = s.id;
"""

# The database as sqlite-utils and Datasette see it: the full-text index declared `content="quotes"`
# (the spelling both look for, so that `sqlite-utils search` and Datasette's search box use it), and
# views a person can read: the resolved speaker beside the extracted one, article metadata, the
# cluster as `c12`, the cue and source as the words they point at, content offsets as `12-40, 93-112`.
# The views read through `corrected_quotes` (version 5), so Datasette shows what the corrections say.
# The step can run again (after a renumbering) without harm.
_SQLITE_ECOSYSTEM = """
DROP TABLE quotes_fts;
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content="quotes", content_rowid="id", tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
DROP VIEW IF EXISTS quotes_view;
DROP VIEW IF EXISTS clusters_view;
CREATE VIEW quotes_view AS
SELECT q.id AS quote_id, a.date, a.outlet, coalesce(q.speaker_name, q.speaker) AS speaker,
       q.speaker AS speaker_extracted, q.kind, q.venue, q.text, round(q.confidence, 3) AS confidence,
       'c' || q.cluster_id AS cluster, q.relation, coalesce(json_array_length(q.changes), 0) > 0 AS altered,
       q.corrected,
       substr(a.text, json_extract(q.source_span, '$[0]') + 1,
              json_extract(q.source_span, '$[1]') - json_extract(q.source_span, '$[0]')) AS source,
       substr(a.text, json_extract(q.cue_span, '$[0]') + 1,
              json_extract(q.cue_span, '$[1]') - json_extract(q.cue_span, '$[0]')) AS cue,
       (SELECT group_concat(json_extract(value, '$[0]') || '-' || json_extract(value, '$[1]'), ', ')
          FROM json_each(q.content_spans)) AS content_offsets,
       a.url, a.title, q.article_id, q.speaker_id
FROM corrected_quotes q JOIN articles a ON a.id = q.article_id;
CREATE VIEW clusters_view AS
SELECT 'c' || c.id AS cluster,
       (SELECT m.speaker_name FROM corrected_quotes m WHERE m.cluster_id = c.id AND m.speaker_id IS NOT NULL
         GROUP BY m.speaker_id ORDER BY count(*) DESC, m.speaker_id LIMIT 1) AS speaker,
       (SELECT m.venue FROM corrected_quotes m WHERE m.cluster_id = c.id AND m.venue IS NOT NULL
         GROUP BY m.venue ORDER BY count(*) DESC, m.venue LIMIT 1) AS venue,
       count(*) AS reports, count(DISTINCT a.outlet) AS outlets, min(a.date) AS first_date, max(a.date) AS last_date,
       sum(coalesce(json_array_length(q.changes), 0) > 0) AS altered,
       (SELECT m.text FROM corrected_quotes m WHERE m.cluster_id = c.id AND m.base_id IS NULL ORDER BY m.id LIMIT 1)
         AS reference
FROM clusters c JOIN corrected_quotes q ON q.cluster_id = c.id JOIN articles a ON a.id = q.article_id
GROUP BY c.id;
"""

# version 1: tables; 2: full-text index over quotes; 3: the index stems English words (ceasefires → ceasefire);
# 4: cross-article links and clusters (existing quotes are linked by the next `link` or `ingest`);
# 5: editorial corrections (`_CORRECTIONS`); 6: the index and views as sqlite-utils and Datasette read
# them (`_SQLITE_ECOSYSTEM`)
MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _CORRECTIONS, _SQLITE_ECOSYSTEM]
VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """A database that cannot be used: not SQLite, not quotetrail's, too new, or not writable."""


class QueryTimeout(StoreError):
    """A read stopped at the time limit it was given (`QuoteStore.time_limit`)."""


def check_file(path: Path) -> bool:
    """Whether `path` holds data (False: missing or empty, so a new database); refuse non-SQLite files."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return False
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    if head != SQLITE_MAGIC:
        raise StoreError(f"{path}: not a quotetrail database (not an SQLite file); refusing to touch it")
    return True


def connect_readonly(path: Path, lasting: bool = False, threads: bool = False) -> sqlite3.Connection:
    """A connection that cannot write `path`: `mode=ro`, or `immutable`.

    For the checks made before any other opening (`lasting` False), a WAL database whose `-wal` is
    missing or empty is opened `immutable`: all is in the main file, and nothing is created beside
    it (a refused file stays exactly as it was found). The connection a read-only command reads
    through (`lasting` True) is `mode=ro`, with SQLite's locks, so that a writer starting meanwhile
    cannot checkpoint pages from under a long export; on a WAL database SQLite then makes an empty
    `-wal` and a `-shm` if missing (the next writer to close removes them) — or, where the directory
    does not let it, the file is read `immutable`. `threads`: the connection may be used from other
    threads than its own, one at a time (the caller makes sure of that)."""
    uri = f"file:{quote(os.fsencode(path.resolve()))}?mode=ro"
    wal = Path(f"{path}-wal")
    wal_mode = _wal_mode(path)
    settled = wal_mode and not (wal.exists() and wal.stat().st_size > 0)
    attempts = [False, True] if settled and lasting else [settled]
    for immutable in attempts:
        try:
            conn = sqlite3.connect(uri + "&immutable=1" * immutable, uri=True, isolation_level=None,
                                   check_same_thread=not threads)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            error = exc
    if attempts[-1] or not wal_mode:
        raise StoreError(f"{path}: cannot read the database ({error})") from error
    raise StoreError(f"{path}: cannot read the database ({error}; its -wal and -shm files must be readable "
                     "and their directory writable)") from error


def _wal_mode(path: Path) -> bool:
    """Whether the file header says WAL (read and write versions 2, bytes 18 and 19)."""
    with path.open("rb") as f:
        f.seek(18)
        return f.read(2) == b"\x02\x02"


def inspect(conn: sqlite3.Connection, path: Path, existed: bool = True, quick_check: bool = True) -> int:
    """The schema version of an existing database after its checks: quotetrail's marks, a version
    this quotetrail understands, and `PRAGMA quick_check` (unless `quick_check` is False); a
    `StoreError` naming the fault else."""
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged database ({exc}); refusing to touch it "
                         "(restore a backup, or ingest again into a new file)") from exc
    if existed and has_tables and app != APPLICATION_ID:
        raise StoreError(f"{path}: not a quotetrail database (an SQLite file of another application); "
                         "refusing to touch it")
    if version > VERSION:
        raise StoreError(f"{path}: database schema version {version} is newer than this quotetrail "
                         f"understands ({VERSION}); upgrade quotetrail")
    if not quick_check:
        return version
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        lines = [line for p in problems for line in p.splitlines() if line.strip() and not line.startswith("***")]
        first = (lines or ["?"])[0][:120] + (" and more" if len(lines) > 1 else "")
        raise StoreError(f"{path}: damaged database (quick_check: {first}); refusing to touch it "
                         "(restore a backup, or ingest again into a new file)")
    return version


def upgrade(conn: sqlite3.Connection, path: Path, existed: bool, then: Callable[[], object] | None = None) -> None:
    """Check the marks of an existing database and run the migrations it lacks, in one transaction,
    and `then` inside it (the store lays the corrections over the migrated rows again)."""
    version = inspect(conn, path, existed, quick_check=False)
    if version == VERSION:
        return
    with transaction(conn):
        for ddl in MIGRATIONS[version:]:
            for statement in ddl_statements(ddl):
                conn.execute(statement)
        if then is not None:
            then()
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {VERSION}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def ddl_statements(ddl: str) -> list[str]:
    """Split DDL into statements (triggers hold `;` inside BEGIN … END)."""
    out, current = [], ""
    for line in ddl.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]
