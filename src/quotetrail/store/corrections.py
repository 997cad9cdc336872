"""Editorial corrections: the log, kept as data, and the checks that make an entry of it.

A correction records what a person found wrong, who, when and why, and names its target by what
survives a re-ingest, a re-extraction or a migration: a quote by its article id, its words and its
content spans (the spans only tell repeats of the same words apart), a speaker by its key (the
folded name). Nothing extracted is edited: `fixes.rebuild` lays the log over the rows. An entry is
never deleted: `undo` marks it, and `listing` shows every one with its status.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .schema import StoreError
from .speakers import identity

QUOTE_ACTIONS = ("speaker", "no-speaker", "kind", "venue", "not-a-quote")
SPEAKER_ACTIONS = ("merge", "split", "rename")
KINDS = ("direct", "indirect", "mixed", "other")
# What a correction is: the fields of its log row that `corrections --format jsonl` writes and
# `apply_rows` reads back (`made_at` and `author` included: a shared correction keeps its origin).
CONTENT = ("made_at", "author", "note", "action", "article_id", "quote_text", "spans", "speakers", "value", "was")
# The rows of `listing`, in order.
FIELDS = ("id", *CONTENT, "quote_id", "status", "target", "changed", "undone_at", "undone_by")


def author() -> str:
    """Who is correcting when `--by` is not given: the user's login name."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):  # no login name in the environment or the password database
        return "unknown"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass
class Correction:
    """One correction as it is logged (see CONTENT)."""

    action: str
    author: str
    note: str | None = None
    article_id: str | None = None
    quote_text: str | None = None
    spans: list | None = None
    speakers: list[str] | None = None
    value: str | None = None
    was: str | None = None
    made_at: str = field(default_factory=now)

    def digest(self) -> str:
        """SHA-1 of what it is, so that applying the same shared correction twice records it once."""
        return hashlib.sha1(json.dumps([getattr(self, k) for k in CONTENT], ensure_ascii=False).encode()).hexdigest()

    @classmethod
    def from_row(cls, row: dict) -> Correction:
        """A correction from a `listing` row (a line of `corrections --format jsonl`); StoreError if it is not one."""
        if not isinstance(row, dict) or row.get("action") not in QUOTE_ACTIONS + SPEAKER_ACTIONS:
            raise StoreError("not a correction (no known \"action\")")
        values = {k: row.get(k) for k in CONTENT}
        if not isinstance(values["made_at"], str) or not isinstance(values["author"], str):
            raise StoreError("a correction needs \"made_at\" and \"author\"")
        if values["action"] in QUOTE_ACTIONS:
            if not (isinstance(values["article_id"], str) and isinstance(values["quote_text"], str)
                    and _spans(values["spans"])):
                raise StoreError("a quote's correction needs \"article_id\", \"quote_text\" and \"spans\"")
        elif not (isinstance(values["speakers"], list) and values["speakers"]
                  and all(isinstance(k, str) for k in values["speakers"])):
            raise StoreError("a speaker's correction needs \"speakers\", a list of speaker keys")
        needs_value = values["action"] in ("speaker", "kind", "venue", "split", "rename")
        if needs_value and not (isinstance(values["value"], str) and values["value"].strip()):
            raise StoreError(f"a {values['action']} correction needs a \"value\"")
        if values["action"] == "kind" and values["value"] not in KINDS:
            raise StoreError(f"kind {values['value']!r} is not one of {', '.join(KINDS)}")
        return cls(**values)


def _spans(value) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(i, int) for i in s) for s in value)


def record(conn: sqlite3.Connection, correction: Correction) -> int | None:
    """Log a correction (inside a transaction); its number, or None when it is logged already."""
    c = correction
    cur = conn.execute(
        "INSERT OR IGNORE INTO corrections (made_at, author, note, action, article_id, quote_text, spans, speakers, "
        "value, was, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (c.made_at, c.author, c.note, c.action, c.article_id, c.quote_text, _json(c.spans), _json(c.speakers),
         c.value, c.was, c.digest()))
    return cur.lastrowid if cur.rowcount else None


def undo(conn: sqlite3.Connection, number: int, by: str) -> None:
    """Mark correction `number` undone (inside a transaction); StoreError if there is none to undo."""
    row = conn.execute("SELECT undone_at FROM corrections WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise StoreError(f"no correction {number} (see `quotetrail corrections`)")
    if row[0] is not None:
        raise StoreError(f"correction {number} was undone already, at {row[0]}")
    conn.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?", (now(), by, number))


# ---- reading the log -----------------------------------------------------------------------------

def listing(conn: sqlite3.Connection) -> list[dict]:
    """Every correction, oldest first, with its status (`applies`, `no longer applies`, `undone`),
    its target and what it changed in words (FIELDS)."""
    rows = []
    for r in conn.execute("SELECT * FROM corrections ORDER BY id"):
        row = {k: r[k] for k in ("id", *CONTENT, "quote_id", "undone_at", "undone_by")}
        row["spans"], row["speakers"] = json.loads(r["spans"] or "null"), json.loads(r["speakers"] or "null")
        row["status"] = "undone" if r["undone_at"] else "applies" if r["applies"] else "no longer applies"
        row["target"], row["changed"] = describe(row)
        rows.append({k: row[k] for k in FIELDS})
    return rows


def describe(row: dict) -> tuple[str, str]:
    """A correction's target and change in words: ("quote 12", "speaker: Tomas Brenner → Ilse Marr")."""
    action, was, value = row["action"], row["was"], row["value"]
    if action in QUOTE_ACTIONS:
        target = f"quote {row['quote_id']}" if row.get("quote_id") else f"a quote of article {row['article_id']}"
        target += f": {_short(row['quote_text'])}"
        changed = {"speaker": f"speaker: {was or '?'} → {value}", "no-speaker": f"speaker: {was or '?'} → none",
                   "kind": f"kind: {was} → {value}", "venue": f"venue: {was or '–'} → {value}",
                   "not-a-quote": "not a quote"}[action]
        return target, changed
    target = f"speaker {was}" if action != "merge" else f"speakers {was}"
    changed = {"merge": f"merged as {value or (was or '').split(' + ')[0]}", "split": f"split off {value!r}",
               "rename": f"renamed {value}"}[action]
    return target, changed


def _short(text: str, n: int = 60) -> str:
    return f"“{text if len(text) <= n else text[:n - 1] + '…'}”"


def _json(value) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value is not None else None


# ---- making corrections: what the command names, checked against the database -------------------

def for_quote(conn: sqlite3.Connection, quote_id: int, changes: list[tuple[str, str | None]], by: str,
              note: str | None) -> list[Correction]:
    """The corrections of one quote, one per (action, value) in `changes`; StoreError for a quote that
    is not stored, a value that names nothing, or a change that changes nothing."""
    row = conn.execute(
        "SELECT q.article_id, q.text, q.content_spans, q.speaker_id, s.name, coalesce(f.kind, q.kind) AS kind, "
        "coalesce(f.venue, q.venue) AS venue, coalesce(f.dropped, 0) AS dropped FROM quotes q "
        "LEFT JOIN quote_fixes f ON f.quote_id = q.id LEFT JOIN corrected_speakers s ON s.id = q.speaker_id "
        "WHERE q.id = ?", (quote_id,)).fetchone()
    if row is None:
        raise StoreError(f"no quote {quote_id} (see `quotetrail search`)")
    if not changes:
        raise StoreError("nothing to correct: give --speaker, --no-speaker, --kind, --venue or --not-a-quote")
    out = []
    for action, value in changes:
        value = value.strip() if isinstance(value, str) else value
        was = {"speaker": row["name"], "no-speaker": row["name"], "kind": row["kind"],
               "venue": row["venue"]}.get(action)
        if action == "speaker":
            who = identity(value)
            if who is None:
                raise StoreError(f"speaker {value!r} names nobody")
            if row["name"] and identity(row["name"]).key == who.key:
                raise StoreError(f"quote {quote_id} is {row['name']}'s already")
        elif action == "no-speaker" and row["speaker_id"] is None:
            raise StoreError(f"quote {quote_id} has no speaker already")
        elif action == "kind" and value not in KINDS:
            raise StoreError(f"kind {value!r} is not one of {', '.join(KINDS)}")
        elif action in ("kind", "venue") and (not value or value == was):
            raise StoreError(f"quote {quote_id}'s {action} is {was!r} already" if value else f"an empty {action}")
        elif action == "not-a-quote" and row["dropped"]:
            raise StoreError(f"quote {quote_id} is marked not a quote already")
        out.append(Correction(action, by, note, row["article_id"], row["text"], json.loads(row["content_spans"]),
                              value=value if action in ("speaker", "kind", "venue") else None, was=was))
    return out


def _speaker(conn: sqlite3.Connection, speaker_id: int) -> sqlite3.Row:
    """A speaker as `quotetrail speakers` lists it (one with quotes, not merged away); StoreError if none."""
    row = conn.execute("SELECT * FROM corrected_speakers s WHERE id = ? AND merged_into IS NULL AND EXISTS "
                       "(SELECT 1 FROM corrected_quotes WHERE speaker_id = s.id)", (speaker_id,)).fetchone()
    if row is None:
        raise StoreError(f"no speaker {speaker_id} (see `quotetrail speakers`)")
    return row


def merge(conn: sqlite3.Connection, speaker_ids: list[int], name: str | None, by: str, note: str | None) -> Correction:
    """Speakers that are one: the first one's quotes keep their speaker, the others' join them."""
    ids = list(dict.fromkeys(speaker_ids))
    if len(ids) < 2:
        raise StoreError("a merge needs two speakers or more")
    rows = [_speaker(conn, i) for i in ids]
    if name is not None and identity(name) is None:
        raise StoreError(f"name {name!r} names nobody")
    return Correction("merge", by, note, speakers=[r["key"] for r in rows], value=name.strip() if name else None,
                      was=" + ".join(r["name"] for r in rows))


def split(conn: sqlite3.Connection, speaker_id: int, alias: str, by: str, note: str | None) -> Correction:
    """An alias of a speaker that belongs to another person: its quotes go to a speaker of that name."""
    row, who = _speaker(conn, speaker_id), identity(alias)
    if who is None:
        raise StoreError(f"alias {alias!r} names nobody")
    if who.key == row["key"]:
        raise StoreError(f"{alias!r} is {row['name']}'s own name; split off another alias")
    merged = conn.execute("SELECT 1 FROM corrected_speakers WHERE key = ? AND merged_into = ?", (who.key, speaker_id))
    named = conn.execute("SELECT 1 FROM corrected_quotes WHERE speaker_id = ? AND speaker_key = ? LIMIT 1",
                         (speaker_id, who.key))
    if merged.fetchone() is None and named.fetchone() is None:
        names = sorted({r[0] for r in conn.execute("SELECT DISTINCT speaker FROM corrected_quotes WHERE speaker_id = ?",
                                                   (speaker_id,)) if r[0]})
        raise StoreError(f"no quote of {row['name']} was extracted as {alias!r} (its names: {'; '.join(names)})")
    return Correction("split", by, note, speakers=[row["key"]], value=alias.strip(), was=row["name"])


def rename(conn: sqlite3.Connection, speaker_id: int, name: str, by: str, note: str | None) -> Correction:
    """The name a speaker is shown under."""
    row = _speaker(conn, speaker_id)
    if identity(name) is None:
        raise StoreError(f"name {name!r} names nobody")
    if name.strip() == row["name"]:
        raise StoreError(f"speaker {speaker_id} is named {row['name']!r} already")
    return Correction("rename", by, note, speakers=[row["key"]], value=name.strip(), was=row["name"])
