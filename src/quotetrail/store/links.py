"""Clusters of reports of one utterance in the quote database: the candidate index, links, clusters.

Incremental by design. Each quote is indexed once (`quotes.linked`): its content-stem pairs go
to `link_keys`, an inverted index in the database, and the quotes that share the most of them
(ignoring pairs found in more than `COMMON` quotes) are its candidates — never all pairs. The
candidates that `link.compare.link_score` accepts become rows of `links`. A new quote whose
links all lead into one cluster that a rebuild would leave as it is but for the new member
(`Linker._join`) is placed in it at once, at a cost that does not grow with the cluster; around
the others, clusters are rebuilt: the new quotes, their linked quotes and everything those reach
by links and clusters, by `link.cluster.agglomerate` over their links (read as `Party`s, not
texts). A cluster must span two articles; its members get their relation and alterations from
`link.relate`, a cluster's reports read `CHUNK` at a time. Deleting an article deletes its quotes' keys
and links (foreign keys) and rebuilds the clusters they were in. Quotes are read as corrected
(`corrected_quotes`): a quote marked not a quote is never linked, and `relink` links again, at
once, the quotes a correction changed.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from ..link.cluster import Group, Party, agglomerate, uniform
from ..link.compare import Report, day_of, days_agree
from ..link.pairs import COMMON, EVENT, NEXT, TWINS, WEAK, Link, candidates, neighbour_links, new_links, twin_link
from ..link.relate import Bases, Member, bases, place
from .schema import transaction

BATCH = 2000      # quotes indexed per transaction (clusters are rebuilt once per batch)
CLUSTERS = 4_096  # clusters whose bases and known speakers and venues the linker remembers (`_Known`)
CHUNK = 1_000     # reports of one cluster read at once when it is rebuilt
_REPORT_COLUMNS = ("q.id, q.article_id, q.text, q.kind, q.speaker_id, q.venue, q.transcript, a.date "
                   "FROM corrected_quotes q JOIN articles a ON a.id = q.article_id")


class _Known(NamedTuple):
    """What the linker remembers of a cluster it has built or grown: the ids of the reports that
    decide its bases (`link.relate.Bases.deciding`) and its known speakers and venues."""

    deciding: tuple[int, ...]
    speakers: frozenset
    venues: frozenset[str]


class Linker:
    """Links the quotes of one database connection (the caller holds no transaction).

    Two bounded caches: the latest `cache` reports, and what it knows of the latest `CLUSTERS`
    clusters; both are dropped when another connection has written to the database since
    (`PRAGMA data_version`) and when a transaction of its own fails.
    """

    def __init__(self, conn: sqlite3.Connection, cache: int = 5_000) -> None:
        self.conn = conn
        self._reports: OrderedDict[int, Report] = OrderedDict()
        self._cache = cache
        self._clusters: OrderedDict[int, _Known] = OrderedDict()
        self._version: int | None = None

    def pending(self) -> int:
        """Quotes not indexed yet."""
        return self.conn.execute("SELECT count(*) FROM corrected_quotes WHERE linked = 0").fetchone()[0]

    def run(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Index every quote not yet indexed, link it and update the clusters; return how many."""
        done = 0
        while rows := self.conn.execute("SELECT id, article_id FROM corrected_quotes WHERE linked = 0 ORDER BY id "
                                        "LIMIT ?", (BATCH,)).fetchall():
            self._fresh()
            try:
                with transaction(self.conn):
                    self._mark_transcripts({r[1] for r in rows})
                    touched: set[int] = set()
                    for row in self.conn.execute(f"SELECT {_REPORT_COLUMNS} WHERE q.id IN "
                                                 f"(SELECT value FROM json_each(?)) ORDER BY q.id",  # with the marks
                                                 (json.dumps([r[0] for r in rows]),)).fetchall():
                        report = self._report(row)
                        links = self._index(report)
                        if not self._join(report, links):
                            touched |= {report.quote_id} | {i for link in links for i in (link.a, link.b)}
                    self.recluster(touched)
            except BaseException:
                self._clear()  # they may hold the rolled-back transcript marks and clusters
                raise
            done += len(rows)
            if on_batch:
                on_batch(len(rows))
        return done

    def adopt(self, links: Iterable[Link]) -> int:
        """Take the links another linker found for every quote not indexed yet (the Spark linker's, by
        the same rule): their keys posted and marked as `run` does, the links stored, their clusters
        rebuilt, in one transaction; return how many quotes."""
        rows = self.conn.execute("SELECT id, article_id FROM quotes WHERE linked = 0 ORDER BY id").fetchall()
        try:
            with transaction(self.conn):
                self._mark_transcripts({r[1] for r in rows})
                for report in sorted(self.reports(r[0] for r in rows).values(), key=lambda r: r.quote_id):
                    self._post(report)
                self.store_links(links)
                self.recluster({r[0] for r in rows})
        except BaseException:
            self._clear()
            raise
        return len(rows)

    def _fresh(self) -> None:
        """Drop the caches if another connection has committed since they were filled."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._clear()
            self._version = version

    def _clear(self) -> None:
        self._reports.clear()
        self._clusters.clear()

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

    def _index(self, report: Report, twins: bool = True) -> list[Link]:
        """Store a quote's keys and links (the rule of `link.pairs`); return the links.

        Unless `twins`, no word-for-word twin is tried first: a quote linked again after a correction
        has lost the links that others made to it.
        """
        twins = [r[0] for r in self.conn.execute("SELECT quote_id FROM link_keys WHERE key = ? LIMIT ?",
                                                 (report.fingerprint, TWINS if twins else 0))]
        keys = self._post(report)
        found = twin_link(report, self.reports(twins).values())
        if found is None:
            postings = [posted for posted in ([r[0] for r in self.conn.execute(
                "SELECT quote_id FROM link_keys WHERE key = ? LIMIT ?", (key, COMMON + 1))] for key in keys)
                if len(posted) <= COMMON]
            compared = self.reports(candidates(postings, report.quote_id, len(keys))).values()
            # the latest quotes of its speaker, but not those on a day too far off, which `new_links` passes over
            peers = [] if report.speaker_id is None else [r[0] for r in self.conn.execute(
                "SELECT q.id, a.date FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_id = ? "
                "AND q.id != ? AND q.linked = 1 ORDER BY q.id DESC LIMIT ?",
                (report.speaker_id, report.quote_id, EVENT)) if days_agree(report.day, day_of(r[1]))]
            links = new_links(report, compared, self.reports(peers).values())
        else:
            links = [found]
        near = self.conn.execute(
            "SELECT n.id, n.speaker_id FROM quotes q JOIN corrected_quotes n ON n.article_id = q.article_id "
            "AND n.seq IN (q.seq - 1, q.seq + 1) WHERE q.id = ? AND n.linked = 1", (report.quote_id,)).fetchall()
        links += neighbour_links(report.quote_id, report.speaker_id, near, {i for x in links for i in (x.a, x.b)})
        self.store_links(links)
        return links

    def _join(self, report: Report, links: list[Link]) -> bool:
        """Place a new quote in the one cluster its links all lead to, without rebuilding it, when a
        rebuild would give that cluster with the quote added and nothing else changed; return whether
        it is placed (a quote without links is: it stays alone).

        That holds when the cluster with the quote is `uniform` (its parts merge whatever the order
        of the links), the quotes next to it in its article (`NEXT` links, no evidence) are in the
        cluster already, every quote linked to joined the cluster by words (a lone report attached by
        a weak link could go elsewhere once the new quote reaches it), and the quote changes none of
        the cluster's bases (its primary, reference and, without a primary, fullest reports), so
        that no other member's relation changes. The cluster must be one this linker remembers.
        """
        beside = sorted({i for link in links if link.firm == NEXT for i in (link.a, link.b)} - {report.quote_id})
        links = [link for link in links if link.firm != NEXT]
        if not links:
            return True
        partners = sorted({i for link in links for i in (link.a, link.b)} - {report.quote_id})
        found = self._cluster_ids(partners)
        cluster_id = found.pop() if len(found) == 1 else None
        if beside and self._cluster_ids(beside) != {cluster_id}:
            return False  # a quote next to it in its article may now be between two of the cluster's
        known = self._clusters.get(cluster_id) if cluster_id is not None else None
        if known is None:
            return False
        joined = Group(report)
        speakers, venues = known.speakers | joined.speakers, known.venues | joined.venues
        if not uniform(speakers, venues) or not all(self._by_words(i, cluster_id) for i in partners):
            return False
        deciding = list(self.reports(known.deciding).values())
        if len(deciding) != len(known.deciding):
            return False  # one of them is gone since (deleted, or dropped by a correction)
        after = bases([*deciding, report])
        if not bases(deciding).same_for_members(after):
            return False
        self._write(cluster_id, report.quote_id, place(report, after))
        self._remember(cluster_id, after, speakers, venues)
        return True

    def _cluster_ids(self, quote_ids: list[int]) -> set[int | None]:
        return {r[0] for r in self.conn.execute("SELECT cluster_id FROM quotes WHERE id IN "
                                                "(SELECT value FROM json_each(?))", (json.dumps(quote_ids),))}

    def _by_words(self, quote_id: int, cluster_id: int) -> bool:
        """Whether a member of a uniform cluster has a word link to another member: it joined by words,
        not as a lone report by a weak link."""
        return self.conn.execute(
            "SELECT 1 FROM links l JOIN quotes x ON x.id = l.b WHERE l.a = ?1 AND l.firm >= 0 AND x.cluster_id = ?2 "
            "UNION ALL SELECT 1 FROM links l JOIN quotes x ON x.id = l.a WHERE l.b = ?1 AND l.firm >= 0 "
            "AND x.cluster_id = ?2 LIMIT 1", (quote_id, cluster_id)).fetchone() is not None

    def _write(self, cluster_id: int, quote_id: int, member: Member) -> None:
        changes = [vars(c) for c in member.changes]
        self.conn.execute("UPDATE quotes SET cluster_id = ?, relation = ?, changes = ?, base_id = ? WHERE id = ?",
                          (cluster_id, member.relation, json.dumps(changes) if changes else None, member.base,
                           quote_id))

    def _remember(self, cluster_id: int, found: Bases, speakers: set, venues: set[str]) -> None:
        self._clusters[cluster_id] = _Known(tuple(r.quote_id for r in found.deciding), frozenset(speakers),
                                            frozenset(venues))
        self._clusters.move_to_end(cluster_id)
        if len(self._clusters) > CLUSTERS:
            self._clusters.popitem(last=False)

    def _bases(self, quote_ids: list[int]) -> Bases:
        """The bases of a cluster of these quotes, their reports read `CHUNK` at a time (a few decide them)."""
        found = None
        for k in range(0, len(quote_ids), CHUNK):
            found = bases([*(found.deciding if found else ()), *self.reports(quote_ids[k:k + CHUNK]).values()])
        return found

    def _post(self, report: Report) -> list[int]:
        """Post a quote's index keys (and its fingerprint) and mark it linked; return its keys in order."""
        keys = sorted(report.keys)
        self.conn.executemany("INSERT INTO link_keys (key, quote_id) VALUES (?, ?)",
                              [(k, report.quote_id) for k in [*keys, report.fingerprint]])
        self.conn.execute("UPDATE quotes SET linked = 1 WHERE id = ?", (report.quote_id,))
        return keys

    def store_links(self, links: Iterable[Link]) -> None:
        """Rows of `links` (each replacing any row of the same pair)."""
        self.conn.executemany("INSERT OR REPLACE INTO links (a, b, score, firm) VALUES (?, ?, ?, ?)", links)

    def recluster(self, quote_ids: set[int]) -> None:
        """Rebuild the clusters of these quotes and of everything linked to them (inside a transaction)."""
        members = self._closure(quote_ids)
        if not members:
            return
        ids = json.dumps(sorted(members))
        rows = self.conn.execute("SELECT id, article_id, speaker_id, venue, transcript, seq FROM corrected_quotes "
                                 "WHERE id IN (SELECT value FROM json_each(?))", (ids,)).fetchall()
        parties = {r[0]: Party(*r[:5]) for r in rows}
        places = {r[0]: r[5] for r in rows}
        rows = self.conn.execute(
            "SELECT a, b, firm, score FROM links WHERE a IN (SELECT value FROM json_each(?1)) "
            "AND +b IN (SELECT value FROM json_each(?1)) ORDER BY score DESC, a, b", (ids,)).fetchall()
        groups = agglomerate(parties, [(a, b, firm) for a, b, firm, _ in rows if firm >= 0],
                             [(a, b, score) for a, b, firm, score in rows if firm == WEAK], places)
        old = {r[0]: r[1] for r in self.conn.execute(
            "SELECT id, cluster_id FROM quotes WHERE id IN (SELECT value FROM json_each(?)) "
            "AND cluster_id IS NOT NULL", (ids,))}
        self.conn.execute("UPDATE quotes SET cluster_id = NULL, relation = NULL, changes = NULL, base_id = NULL "
                          "WHERE id IN (SELECT value FROM json_each(?))", (ids,))
        free = set(old.values())
        for group in sorted(groups, key=lambda g: (-len(g), min(g))):  # new clusters numbered in this order
            if len({parties[i].article_id for i in group}) < 2:
                continue
            ordered = sorted(group)
            votes = Counter(old[i] for i in ordered if old.get(i) in free)
            cluster_id = votes.most_common(1)[0][0] if votes else self._new_cluster()
            free.discard(cluster_id)
            found = self._bases(ordered)
            for k in range(0, len(ordered), CHUNK):
                for report in self.reports(ordered[k:k + CHUNK]).values():
                    self._write(cluster_id, report.quote_id, place(report, found))
            traits = Group(parties[ordered[0]])
            for i in ordered[1:]:
                traits.absorb(Group(parties[i]))
            self._remember(cluster_id, found, traits.speakers, traits.venues)
        self.conn.executemany("DELETE FROM clusters WHERE id = ?", [(i,) for i in free])
        for i in free:
            self._clusters.pop(i, None)

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
        self._clusters.clear()  # their clusters are rebuilt
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
            found = {report.quote_id} | {i for link in self._index(report, twins=False) for i in (link.a, link.b)}
            others = list(self.reports(partners - found).values())
            self.store_links(new_links(report, others, others))
            touched |= found
        self.recluster(touched | quote_ids)
