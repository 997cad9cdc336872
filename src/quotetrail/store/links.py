"""Clusters of reports of one utterance in the quote database: the candidate index, links, clusters.

Incremental by design. Each quote is indexed once (`quotes.linked`): its content-stem pairs go
to `link_keys`, an inverted index in the database, and the quotes that share the most of them
(ignoring pairs found in more than `COMMON` quotes) are its candidates — never all pairs. The
candidates that `link.compare.link_score` accepts become rows of `links`. Clusters are then
rebuilt only around what changed: the new quotes, their linked quotes and those quotes' clusters,
by `link.cluster.agglomerate` over their links. A cluster must span two articles; its members
get their relation and alterations from `link.relate`. Deleting an article deletes its quotes' keys
and links (foreign keys) and rebuilds the clusters they were in. Quotes are read as corrected
(`corrected_quotes`): a quote marked not a quote is never linked, and `relink` links again, at
once, the quotes a correction changed.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable

from ..link.cluster import agglomerate
from ..link.compare import Report, event_score, link_score
from ..link.relate import relate
from .schema import transaction

BATCH = 2000      # quotes indexed per transaction (clusters are rebuilt once per batch)
COMMON = 200      # a key in more quotes than this says nothing about which passage it is
CANDIDATES = 20   # most-sharing candidates checked per quote
TWINS = 20        # word-for-word twins tried before the candidates
EVENT = 200       # latest quotes of the same resolved speaker tried for a weak (speech-event) link
WEAK = -1         # `links.firm` of a weak link: one speech event, shared content, attaches a lone report
_REPORT_COLUMNS = ("q.id, q.article_id, q.text, q.kind, q.speaker_id, q.venue, q.transcript, a.date "
                   "FROM corrected_quotes q JOIN articles a ON a.id = q.article_id")


class Linker:
    """Links the quotes of one database connection (the caller holds no transaction)."""

    def __init__(self, conn: sqlite3.Connection, cache: int = 5_000) -> None:
        self.conn = conn
        self._reports: OrderedDict[int, Report] = OrderedDict()
        self._cache = cache

    def pending(self) -> int:
        """Quotes not indexed yet."""
        return self.conn.execute("SELECT count(*) FROM corrected_quotes WHERE linked = 0").fetchone()[0]

    def run(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Index every quote not yet indexed, link it and update the clusters; return how many."""
        done = 0
        while rows := self.conn.execute("SELECT id, article_id FROM corrected_quotes WHERE linked = 0 ORDER BY id "
                                        "LIMIT ?", (BATCH,)).fetchall():
            try:
                with transaction(self.conn):
                    self._mark_transcripts({r[1] for r in rows})
                    touched: set[int] = set()
                    for row in self.conn.execute(f"SELECT {_REPORT_COLUMNS} WHERE q.id IN "
                                                 f"(SELECT value FROM json_each(?)) ORDER BY q.id",  # with the marks
                                                 (json.dumps([r[0] for r in rows]),)).fetchall():
                        touched |= self._index(self._report(row))
                    self.recluster(touched)
            except BaseException:
                self._reports.clear()  # they may hold the rolled-back transcript marks
                raise
            done += len(rows)
            if on_batch:
                on_batch(len(rows))
        return done

    def _mark_transcripts(self, article_ids: set[str]) -> None:
        """Flag the turns of interview transcripts: label-introduced turns of two or more labels."""
        self.conn.execute(
            "UPDATE quotes SET transcript = 1 WHERE article_id IN (SELECT value FROM json_each(?)) "
            "AND kind = 'other' AND cue_span IS NULL AND source_span IS NOT NULL AND article_id IN "
            "(SELECT q.article_id FROM quotes q JOIN articles a ON a.id = q.article_id "
            " WHERE q.kind = 'other' AND q.cue_span IS NULL AND q.source_span IS NOT NULL "
            " GROUP BY q.article_id HAVING count(DISTINCT substr(a.text, json_extract(q.source_span, '$[0]') + 1, "
            " json_extract(q.source_span, '$[1]') - json_extract(q.source_span, '$[0]'))) >= 2)",
            (json.dumps(sorted(article_ids)),))

    def _report(self, row: tuple) -> Report:
        report = Report(quote_id=row[0], article_id=row[1], text=row[2], kind=row[3], speaker_id=row[4],
                        venue=row[5], transcript=bool(row[6]), date=row[7])
        self._reports[report.quote_id] = report
        if len(self._reports) > self._cache:
            self._reports.popitem(last=False)
        return report

    def reports(self, quote_ids: Iterable[int]) -> dict[int, Report]:
        """Reports of quotes by id (through the cache, however many are asked for)."""
        ids = set(quote_ids)
        found = {i: self._reports[i] for i in ids if i in self._reports}
        missing = sorted(ids - found.keys())
        if missing:
            for row in self.conn.execute(f"SELECT {_REPORT_COLUMNS} WHERE q.id IN (SELECT value FROM json_each(?))",
                                         (json.dumps(missing),)):
                found[row[0]] = self._report(row)
        return found

    def _index(self, report: Report, twins: bool = True) -> set[int]:
        """Store a quote's keys and links; return it and the quotes it linked to.

        A word-for-word twin already stored (a syndicated copy) is linked alone: the twin's links
        already place the words, and a story copied by hundreds of outlets stays cheap. Unless not
        `twins`: a quote linked again after a correction has lost the links that others made to it.
        """
        twins = [r[0] for r in self.conn.execute("SELECT quote_id FROM link_keys WHERE key = ? LIMIT ?",
                                                 (report.fingerprint, TWINS if twins else 0))]
        keys = sorted(report.keys)
        self.conn.executemany("INSERT INTO link_keys (key, quote_id) VALUES (?, ?)",
                              [(k, report.quote_id) for k in [*keys, report.fingerprint]])
        self.conn.execute("UPDATE quotes SET linked = 1 WHERE id = ?", (report.quote_id,))
        for twin in sorted(self.reports(twins).values(), key=lambda r: r.quote_id):
            if self._link(report, twin):
                return {report.quote_id, twin.quote_id}
        shared: Counter[int] = Counter()
        for key in keys:
            posted = [r[0] for r in self.conn.execute("SELECT quote_id FROM link_keys WHERE key = ? LIMIT ?",
                                                      (key, COMMON + 1))]
            if len(posted) <= COMMON:
                shared.update(posted)
        need = min(2, len(keys))
        candidates = [i for i, n in shared.most_common(CANDIDATES) if n >= need and i != report.quote_id]
        linked = {other.quote_id for other in self.reports(candidates).values() if self._link(report, other)}
        return {report.quote_id} | linked | self._event_links(report, linked)

    def _event_links(self, report: Report, linked: set[int]) -> set[int]:
        """Store weak links to the latest `EVENT` quotes of the same resolved speaker that `event_score`
        accepts (those not linked by their words already); return the quotes linked."""
        if report.speaker_id is None:
            return set()
        same = [r[0] for r in self.conn.execute(
            "SELECT id FROM quotes WHERE speaker_id = ? AND id != ? AND linked = 1 ORDER BY id DESC LIMIT ?",
            (report.speaker_id, report.quote_id, EVENT))]
        found = set()
        for other in self.reports(set(same) - linked).values():
            score = event_score(report, other)
            if score is not None:
                self._store(report, other, score, WEAK)
                found.add(other.quote_id)
        return found

    def _link(self, report: Report, other: Report) -> bool:
        """Store the link of two reports of different articles when `link_score` accepts it."""
        if other.article_id == report.article_id:
            return False  # one article repeats or splits its own quotes: they meet through other articles
        scored = link_score(report, other)
        if scored is not None:
            self._store(report, other, *scored)
        return scored is not None

    def _store(self, report: Report, other: Report, score: float, firm: int) -> None:
        """One row of `links` for a pair of reports (`a` the lower quote id), replacing any before it."""
        a, b = sorted((report.quote_id, other.quote_id))
        self.conn.execute("INSERT OR REPLACE INTO links (a, b, score, firm) VALUES (?, ?, ?, ?)", (a, b, score, firm))

    def recluster(self, quote_ids: set[int]) -> None:
        """Rebuild the clusters of these quotes and of everything linked to them (inside a transaction)."""
        members = self._closure(quote_ids)
        if not members:
            return
        rows = self.conn.execute(
            "SELECT a, b, firm, score FROM links WHERE a IN (SELECT value FROM json_each(?1)) "
            "AND b IN (SELECT value FROM json_each(?1)) ORDER BY score DESC, a, b", (json.dumps(sorted(members)),))
        reports = self.reports(members)
        rows = rows.fetchall()
        groups = agglomerate(reports, [(a, b, firm) for a, b, firm, _ in rows if firm != WEAK],
                             [(a, b, score) for a, b, firm, score in rows if firm == WEAK])
        old = {r[0]: r[1] for r in self.conn.execute(
            "SELECT id, cluster_id FROM quotes WHERE id IN (SELECT value FROM json_each(?)) "
            "AND cluster_id IS NOT NULL", (json.dumps(sorted(members)),))}
        self.conn.execute("UPDATE quotes SET cluster_id = NULL, relation = NULL, changes = NULL, base_id = NULL "
                          "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(members)),))
        free = set(old.values())
        for group in sorted(groups, key=len, reverse=True):
            if len({reports[i].article_id for i in group}) < 2:
                continue
            votes = Counter(old[i] for i in group if old.get(i) in free)
            cluster_id = votes.most_common(1)[0][0] if votes else self._new_cluster()
            free.discard(cluster_id)
            for quote_id, member in relate([reports[i] for i in group]).items():
                changes = [vars(c) for c in member.changes]
                self.conn.execute("UPDATE quotes SET cluster_id = ?, relation = ?, changes = ?, base_id = ? "
                                  "WHERE id = ?", (cluster_id, member.relation,
                                                   json.dumps(changes) if changes else None, member.base, quote_id))
        self.conn.executemany("DELETE FROM clusters WHERE id = ?", [(i,) for i in free])

    def _closure(self, quote_ids: set[int]) -> set[int]:
        """The quotes and everything reachable from them by links or shared clusters (existing quotes only)."""
        seen: set[int] = set()
        frontier = set(quote_ids)
        while frontier:
            seen |= frontier
            ids = json.dumps(sorted(frontier))
            frontier = {r[0] for r in self.conn.execute(
                "SELECT b FROM links WHERE a IN (SELECT value FROM json_each(?1)) "
                "UNION SELECT a FROM links WHERE b IN (SELECT value FROM json_each(?1)) "
                "UNION SELECT id FROM quotes WHERE cluster_id IN (SELECT cluster_id FROM quotes "
                "WHERE id IN (SELECT value FROM json_each(?1)) AND cluster_id IS NOT NULL)", (ids,))} - seen
        return {r[0] for r in self.conn.execute("SELECT id FROM corrected_quotes WHERE id IN "
                                                "(SELECT value FROM json_each(?))", (json.dumps(sorted(seen)),))}

    def _new_cluster(self) -> int:
        return self.conn.execute("INSERT INTO clusters DEFAULT VALUES").lastrowid

    def forget(self, quote_ids: Iterable[int]) -> set[int]:
        """Before quotes are deleted: drop them from the cache; return the other members of their clusters."""
        ids = sorted(set(quote_ids))
        for i in ids:
            self._reports.pop(i, None)
        return {r[0] for r in self.conn.execute(
            "SELECT id FROM quotes WHERE cluster_id IN (SELECT cluster_id FROM quotes WHERE id IN "
            "(SELECT value FROM json_each(?1))) AND id NOT IN (SELECT value FROM json_each(?1))", (json.dumps(ids),))}

    def relink(self, quote_ids: set[int]) -> None:
        """Link these quotes again as they read now, after a correction changed their speaker, kind or
        venue, or dropped or restored them (inside a transaction): their keys and links go, each is
        indexed afresh and judged again against every quote it was linked to, and the clusters
        around them and around their old clusters are rebuilt."""
        if not quote_ids:
            return
        ids = json.dumps(sorted(quote_ids))
        partners = {r[0] for r in self.conn.execute(
            "SELECT b FROM links WHERE a IN (SELECT value FROM json_each(?1)) "
            "UNION SELECT a FROM links WHERE b IN (SELECT value FROM json_each(?1))", (ids,))} - quote_ids
        touched = self.forget(quote_ids) | partners
        for table, where in (("link_keys", "quote_id IN"), ("links", "a IN (SELECT value FROM json_each(?1)) OR b IN")):
            self.conn.execute(f"DELETE FROM {table} WHERE {where} (SELECT value FROM json_each(?1))", (ids,))
        self.conn.execute("UPDATE quotes SET linked = 0, cluster_id = NULL, relation = NULL, changes = NULL, "
                          "base_id = NULL WHERE id IN (SELECT value FROM json_each(?))", (ids,))
        for report in sorted(self.reports(quote_ids).values(), key=lambda r: r.quote_id):  # dropped ones are not read
            found = self._index(report, twins=False)
            for other in self.reports(partners - found).values():
                if not self._link(report, other) and (score := event_score(report, other)) is not None:
                    self._store(report, other, score, WEAK)
            touched |= found
        self.recluster(touched | quote_ids)
