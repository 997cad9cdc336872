"""What the corrections make of the extracted rows, derived from the log after every write.

`rebuild` starts from the rows as extracted and resolved by the store's own rules, and lays every
correction not undone over them in the order they were made (a later one wins): merges, splits and
renames of speakers (by key), then each quote's corrections (by article, words and spans). The
corrected speaker goes to `quotes.speaker_id`, so that its index serves searches and the linker
as before; kind, venue, dropped quotes and names go to `quote_fixes` and `speaker_fixes`, which the
views `corrected_quotes` and `corrected_speakers` lay over the rows. Starting again from the rows
each time is what makes a correction outlive a re-ingest, and an undo leave nothing behind.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .corrections import QUOTE_ACTIONS, SPEAKER_ACTIONS
from .speakers import Identity, identity

Resolve = Callable[[Identity], int]  # the store's speaker row of a name (the bare-surname rule included)


@dataclass
class Rebuilt:
    """What a `rebuild` changed: quotes that read differently to the linker (speaker, kind, venue,
    dropped or restored), and corrections that applied before it and do not now."""

    changed: set[int]
    lapsed: list[int]


_EFFECT = ("SELECT q.id, q.speaker_id, coalesce(f.kind, q.kind), coalesce(f.venue, q.venue), coalesce(f.dropped, 0) "
           "FROM quotes q LEFT JOIN quote_fixes f ON f.quote_id = q.id WHERE q.id IN (SELECT value FROM json_each(?))")


def _effect(conn: sqlite3.Connection, quote_ids: Iterable[int]) -> dict[int, tuple]:
    return {r[0]: tuple(r[1:]) for r in conn.execute(_EFFECT, (json.dumps(sorted(quote_ids)),))}


def rebuild(conn: sqlite3.Connection, resolve: Resolve) -> Rebuilt:
    """Derive the effect of every correction not undone from the rows as they are now (inside a
    transaction): first the speakers the store's rules give, then merges, splits, renames and
    each quote's corrections in the order they were made (a later one wins)."""
    old = [r[0] for r in conn.execute("SELECT quote_id FROM quote_fixes")]
    before = _effect(conn, old)
    for quote_id, name in conn.execute("SELECT q.id, q.speaker FROM quote_fixes f JOIN quotes q ON q.id = f.quote_id "
                                       "WHERE f.speaker = 1").fetchall():
        who = identity(name)
        conn.execute("UPDATE quotes SET speaker_id = ? WHERE id = ?", (resolve(who) if who else None, quote_id))
    touched = {r[0] for r in conn.execute("SELECT speaker_id FROM quote_fixes WHERE speaker_id IS NOT NULL "
                                          "UNION SELECT speaker_id FROM speaker_fixes "
                                          "UNION SELECT target_id FROM speaker_fixes WHERE target_id IS NOT NULL")}
    applied = {r[0] for r in conn.execute("SELECT id FROM corrections WHERE undone_at IS NULL AND applies = 1")}
    conn.execute("DELETE FROM quote_fixes")
    conn.execute("DELETE FROM speaker_fixes")
    active = conn.execute("SELECT * FROM corrections WHERE undone_at IS NULL ORDER BY id").fetchall()
    effects = _Effects(conn, resolve)
    effects.speakers([c for c in active if c["action"] in SPEAKER_ACTIONS])
    for c in active:
        if c["action"] in QUOTE_ACTIONS:
            effects.quote(c)
    effects.merges()
    before |= _effect(conn, set(effects.fixes) - set(before))
    effects.write()
    drop_unquoted(conn, touched)
    changed = set(before) | set(effects.fixes)
    after = _effect(conn, changed)
    lapsed = sorted(applied - effects.applies)
    return Rebuilt({q for q in changed if q in after and before.get(q) != after[q]}, lapsed)


class _Effects:
    """The effect of the active corrections, gathered before it is written."""

    def __init__(self, conn: sqlite3.Connection, resolve: Resolve) -> None:
        self.conn, self.resolve = conn, resolve
        self.fixes: dict[int, dict] = {}        # quote id → its corrected fields
        self.speaker_of: dict[int, int | None] = {}  # quote id → corrected speaker (before merges)
        self.merged: dict[int, int] = {}        # speaker id → the speaker it is merged into
        self.names: dict[int, str] = {}         # speaker id → the name shown
        self.touched: set[int] = set()          # speakers a correction touches
        self.applies: set[int] = set()          # corrections that apply
        self.found: dict[int, int] = {}         # quote correction → its quote now

    def _row(self, key: str) -> int | None:
        row = self.conn.execute("SELECT id FROM speakers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def speakers(self, corrections: list[sqlite3.Row]) -> None:
        """Merges (keys joined under the first one's), splits (an alias out of its speaker) and renames."""
        parent: dict[str, str] = {}

        def find(key: str) -> str:
            while parent.get(key, key) != key:
                key = parent[key]
            return key

        order: list[str] = []   # keys in the order merges met them: a group's kept speaker comes first
        named: list[tuple[sqlite3.Row, str]] = []
        splits: list[sqlite3.Row] = []
        for c in corrections:
            keys = json.loads(c["speakers"])
            if c["action"] == "merge":
                root = find(keys[0])
                order += [k for k in keys if k not in order]
                for key in keys[1:]:
                    if find(key) != root:
                        parent[find(key)] = root
                if c["value"]:
                    named.append((c, keys[0]))
            elif c["action"] == "rename":
                named.append((c, keys[0]))
            else:
                alias = identity(c["value"])
                if alias and alias.key in parent and find(alias.key) == find(keys[0]):
                    parent[alias.key] = alias.key  # a merged speaker split off again: the merge lets it go
                    self.applies.add(c["id"])
                else:
                    splits.append(c)
        groups: dict[str, list[int]] = {}
        for key in order:
            row = self._row(key)
            if row is not None:
                groups.setdefault(find(key), []).append(row)
        for rows in groups.values():
            if len(rows) > 1:
                self.merged |= {row: rows[0] for row in rows[1:]}
                self.touched |= set(rows)
        for c in corrections:  # a merge applies while two of its speakers are shown as one
            shown = Counter(self.shown(self._row(k)) for k in json.loads(c["speakers"]))
            if c["action"] == "merge" and max(n for s, n in shown.items() if s is not None) > 1:
                self.applies.add(c["id"])
        for c in splits:
            self.split(c)
        for c, key in named:  # a rename names its speaker; a merge's --name, the merged one while merged
            row = self._row(key)
            if row is not None and c["action"] == "merge":
                row = self.shown(row) if self.shown(row) in self.merged.values() else None
            if row is not None:
                self.names[row] = c["value"]
                self.touched.add(row)
                self.applies.add(c["id"])

    def shown(self, speaker_id: int | None) -> int | None:
        """The speaker a speaker's quotes are shown under (itself unless merged away)."""
        return self.merged.get(speaker_id, speaker_id) if speaker_id is not None else None

    def split(self, c: sqlite3.Row) -> None:
        """The quotes of the split speaker extracted under the alias go to a speaker of that name."""
        row, alias = self._row(json.loads(c["speakers"])[0]), identity(c["value"])
        if row is None or alias is None:
            return
        target = self.shown(row)
        named = self.conn.execute("SELECT id, speaker_id FROM quotes WHERE speaker_key = ?", (alias.key,))
        moved = [q for q, s in named if self.shown(self.speaker_of.get(q, s)) == target]
        if not moved:
            return
        self.conn.execute("INSERT OR IGNORE INTO speakers (key, name, surname, kind) VALUES (?, ?, ?, ?)",
                          (alias.key, alias.name, alias.surname, alias.kind))
        own = self._row(alias.key)
        for quote_id in moved:
            self.speaker_of[quote_id] = own
            self.fixes.setdefault(quote_id, {})
        self.touched |= {row, own}
        self.applies.add(c["id"])

    def quote(self, c: sqlite3.Row) -> None:
        """One quote's correction, on the quote with its article and words (the nearest spans among repeats)."""
        spans = json.loads(c["spans"])
        found = [(q, json.loads(s)) for q, s in self.conn.execute(
            "SELECT id, content_spans FROM quotes WHERE article_id = ? AND text = ?",
            (c["article_id"], c["quote_text"]))]
        if not found:
            return
        quote_id = min(found, key=lambda f: (f[1] != spans, abs(f[1][0][0] - spans[0][0]), f[0]))[0]
        fix = self.fixes.setdefault(quote_id, {})
        if c["action"] == "speaker":
            who = identity(c["value"])
            self.speaker_of[quote_id] = self.resolve(who) if who else None
        elif c["action"] == "no-speaker":
            self.speaker_of[quote_id] = None
        elif c["action"] == "not-a-quote":
            fix["dropped"] = 1
        else:
            fix[c["action"]] = c["value"]
        self.found[c["id"]] = quote_id
        self.applies.add(c["id"])

    def merges(self) -> None:
        """The quotes of the speakers merged away (those not corrected one by one) go to the merged speaker."""
        for quote_id, speaker_id in self.conn.execute(
                "SELECT id, speaker_id FROM quotes WHERE speaker_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(self.merged)),)).fetchall():
            self.speaker_of.setdefault(quote_id, speaker_id)
            self.fixes.setdefault(quote_id, {})

    def write(self) -> None:
        """Write the gathered effect: speakers to `quotes.speaker_id`, the rest to the fix tables."""
        for quote_id, speaker_id in self.speaker_of.items():
            self.conn.execute("UPDATE quotes SET speaker_id = ? WHERE id = ?", (self.shown(speaker_id), quote_id))
        self.conn.executemany(
            "INSERT INTO quote_fixes (quote_id, speaker, speaker_id, kind, venue, dropped) VALUES (?, ?, ?, ?, ?, ?)",
            [(q, q in self.speaker_of, self.shown(self.speaker_of.get(q)), f.get("kind"), f.get("venue"),
              f.get("dropped", 0)) for q, f in self.fixes.items()])
        self.conn.executemany(
            "INSERT INTO speaker_fixes (speaker_id, target_id, name, name_key) VALUES (?, ?, ?, ?)",
            [(s, self.merged.get(s), self.names.get(s), _key(self.names.get(s))) for s in sorted(self.touched)])
        self.conn.execute("UPDATE corrections SET applies = 0, quote_id = NULL WHERE undone_at IS NULL")
        self.conn.executemany("UPDATE corrections SET applies = 1, quote_id = ? WHERE id = ?",
                              [(self.found.get(c), c) for c in sorted(self.applies)])


def _key(name: str | None) -> str | None:
    who = identity(name)
    return who.key if who else None


def drop_unquoted(conn: sqlite3.Connection, speaker_ids: Iterable[int]) -> None:
    """Delete these speakers where no quote is theirs and no correction names them (a speaker merged
    away keeps its row, and its id, for the day the merge is undone)."""
    conn.executemany("DELETE FROM speakers WHERE id = ? "
                     "AND NOT EXISTS (SELECT 1 FROM quotes WHERE speaker_id = speakers.id) "
                     "AND NOT EXISTS (SELECT 1 FROM speaker_fixes WHERE speakers.id IN (speaker_id, target_id))",
                     [(i,) for i in speaker_ids])
