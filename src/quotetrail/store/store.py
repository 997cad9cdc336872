"""`QuoteStore`: a quote database in one SQLite file — idempotent, crash-safe writes and the reads.

Writes go in one transaction per batch of articles (WAL journal), so a killed run leaves whole
articles only; `classify` marks an article already stored with the same content hash so that
`corpus.ingest_articles` skips it before extraction, and the next run completes the rest. An
article whose id is stored with other content is replaced, quotes and all. Extraction itself is
not here: opening and reading a database never loads spaCy.

Editorial corrections (`fix`, `merge_speakers`, `split_speaker`, `rename_speaker`, `undo`,
`apply_corrections`) are logged in their own table and laid over the extracted rows again by
`fixes.rebuild` in every write transaction, so that they outlive a re-ingest; the quotes whose
reading they change are linked again at once.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..link.pairs import Link
from ..model import Article, Quote, Skipped
from . import corrections as fixing
from . import query as q
from .fixes import Rebuilt, drop_unquoted, rebuild
from .links import Linker
from .schema import VERSION, QueryTimeout, StoreError, check_file, connect_readonly, inspect, transaction, upgrade
from .speakers import Identity, identity
from .trails import Trails

if TYPE_CHECKING:
    from ..parallel import Result

BATCH = 50
# `PRAGMA quick_check` reads the whole file (about 5 ms a MB): always before a write, before a read
# only up to this size, beyond which a read meets a damaged page as SQLite's one-line error.
READ_CHECK_BYTES = 256 * 2**20


@dataclass
class Unchanged:
    """An article already stored with the same content: not extracted again."""

    article: Article


def content_hash(article: Article) -> str:
    """SHA-1 of what an article is made of: url, outlet, date, title and text."""
    parts = [article.url, article.outlet, article.date, article.title, article.text]
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class IngestReport:
    """What one `ingest_articles` run (or `write`) did: articles added, replaced, unchanged, quotes written."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quotes: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)  # corrections whose quote or speakers this run took away

    def summary(self) -> str:
        """One line: `stored 8 new articles (0 replaced, 3 unchanged), 91 quotes`."""
        return (f"stored {self.added} new article{'s' * (self.added != 1)} ({self.replaced} replaced, "
                f"{self.unchanged} unchanged), {self.quotes} quote{'s' * (self.quotes != 1)}")


class QuoteStore:
    """A quote database in the SQLite file `path` (created when missing, unless `create` is False).

    Raises `StoreError` for a file that is not a quotetrail database, a newer schema, a database
    that fails `PRAGMA quick_check` (for `readonly`, checked up to `READ_CHECK_BYTES`), or a path
    that cannot be written. An existing file is checked
    through a read-only connection before anything opens it for writing, so a refused file is left
    byte for byte as it was (a read-write connection closed on a WAL database would checkpoint it).
    `readonly` opens it read-only for good (`file:…?mode=ro`, see `schema.connect_readonly`, and
    `PRAGMA query_only`): no journal mode switched, no migration run (an older schema is refused
    with the advice to run a write command). `threads` (read-only only): the store may be used from
    other threads than the one that opened it, one at a time, as a web server's workers do.
    """

    def __init__(self, path: str | Path, create: bool = True, batch_size: int = BATCH, readonly: bool = False,
                 threads: bool = False) -> None:
        self.path = Path(path)
        self.batch_size = max(1, batch_size)
        self.readonly = readonly
        existed = check_file(self.path)
        if not existed and (readonly or not create):
            raise StoreError(f"{self.path}: no such database (run `quotetrail ingest` first)")
        if existed:
            checked = connect_readonly(self.path)
            try:
                thorough = not readonly or self.path.stat().st_size <= READ_CHECK_BYTES
                version = inspect(checked, self.path, quick_check=thorough)
            finally:
                checked.close()
            if readonly:
                if version < VERSION:
                    raise StoreError(f"{self.path}: database schema version {version} needs an upgrade to {VERSION}, "
                                     "which only a command that writes does (run `quotetrail link` once)")
                self.conn = connect_readonly(self.path, lasting=True, threads=threads)
                self._setup(write=False)
                return
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from exc
        self._setup(write=True, existed=existed)

    def _setup(self, write: bool, existed: bool = True) -> None:
        try:
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout = 5000")
            q.add_functions(self.conn)
            if write:
                self.conn.execute("PRAGMA foreign_keys = ON")
                upgrade(self.conn, self.path, existed, then=self._rebuild)
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            else:
                self.conn.execute("PRAGMA query_only = ON")
            self.conn.execute("PRAGMA cache_size = -32768")  # 32 MB of pages: the link index outgrows the 2 MB default
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: cannot use the database ({exc})") from exc
        except StoreError:
            self.conn.close()
            raise
        self.linker = Linker(self.conn)
        self.trails = Trails(self.linker)
        # Content hashes of the articles of this run that are classified but not yet committed, by id:
        # at most the worker pool's window and one batch, so memory does not grow with the corpus.
        self._pending: dict[str, str] = {}

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Stop any statement of the block once `seconds` have passed since it began: a `QueryTimeout`."""
        deadline = time.monotonic() + seconds
        self.conn.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorname != "SQLITE_INTERRUPT":
                raise
            raise QueryTimeout(f"the query took longer than {seconds:g} s and was stopped; narrow it "
                               "(more words, a speaker, a date range)") from None
        finally:
            self.conn.set_progress_handler(None, 0)

    def __enter__(self) -> QuoteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writes ---------------------------------------------------------------------------------

    def link(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Link the quotes not linked yet to reports of the same words; return how many were linked."""
        return self.linker.run(on_batch)

    def adopt_links(self, links: Iterable[tuple[str, int, str, int, float, int]]) -> int:
        """Store links found outside this database (`spark link`) for the quotes not linked yet, each
        named (article id, seq, article id, seq, score, firm), and build their clusters (`Linker.adopt`);
        links to quotes that are not waiting here are left out. Return how many quotes were linked."""
        ids = {(a, s): i for i, a, s in self.conn.execute("SELECT id, article_id, seq FROM quotes WHERE linked = 0")}
        found = [Link(*sorted((ids[a, s], ids[b, t])), score, firm) for a, s, b, t, score, firm in links
                 if (a, s) in ids and (b, t) in ids]
        return self.linker.adopt(found)

    def delete(self, article_ids: Iterable[str]) -> int:
        """Delete articles with their quotes (leaving their clusters); return how many were stored."""
        orphans: set[int] = set()
        touched: set[str] = set()
        with transaction(self.conn):
            deleted, left = self._remove(article_ids, orphans, touched)
            self._settle(orphans | self._relink(touched), left)
        return deleted

    def _settle(self, speaker_ids: set[int], left: set[int]) -> Rebuilt:
        """After rows changed (inside the transaction): the corrections laid over them again, the
        speakers left without quotes deleted, the clusters of `left` rebuilt and the quotes the
        corrections now read differently linked again."""
        rebuilt = self._rebuild()
        drop_unquoted(self.conn, speaker_ids)
        self.linker.recluster(left)
        self.linker.relink(rebuilt.changed)
        return rebuilt

    def _rebuild(self) -> Rebuilt:
        return rebuild(self.conn, self._speaker_id)

    def _remove(self, article_ids: Iterable[str], orphans: set[int], touched: set[str]) -> tuple[int, set[int]]:
        """Delete stored articles and their quotes (inside a transaction), adding their speakers to
        `orphans` and their surnames or keys to `touched`; return how many were stored and the other
        members of their quotes' clusters."""
        ids = json.dumps(sorted(set(article_ids)))
        for speaker_id, surname, key in self.conn.execute(
                "SELECT DISTINCT s.id, s.surname, s.key FROM quotes q JOIN speakers s ON s.id = q.speaker_id "
                "WHERE q.article_id IN (SELECT value FROM json_each(?))", (ids,)):
            orphans.add(speaker_id)
            touched.add(surname or key)
        left = self.linker.forget(r[0] for r in self.conn.execute(
            "SELECT id FROM quotes WHERE article_id IN (SELECT value FROM json_each(?))", (ids,)))
        deleted = self.conn.execute("DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?))", (ids,))
        return deleted.rowcount, left

    def classify(self, items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped | Unchanged]:
        """Mark articles stored (or met earlier in this run) with the same content as `Unchanged`.

        One call is one run (`corpus.ingest_articles`): its results go to `write`. An article met
        earlier in the run is either committed (the database knows its hash) or still on its way to
        `write` (its hash is in `_pending` until it is committed); a failed extraction stays in
        `_pending`, so its repeats in the run are not extracted again. The run's hashes are
        forgotten when it ends.
        """
        self._pending.clear()
        try:
            for item in items:
                if isinstance(item, Article):
                    digest = content_hash(item)
                    previous = self._pending[item.id] if item.id in self._pending else self._stored_hash(item.id)
                    if previous == digest:
                        yield Unchanged(item)
                        continue
                    self._pending[item.id] = digest
                yield item
        finally:
            self._pending.clear()

    def write(self, results: Iterable[Result | Unchanged], report: IngestReport | None = None,
              on_item: Callable[[Result | Article], None] | None = None) -> IngestReport:
        """Store (article, quotes) pairs in one transaction; an article stored under its id is replaced."""
        report = report if report is not None else IngestReport()
        done: list[Result | Article] = []
        touched: set[str] = set()
        orphans: set[int] = set()
        left: set[int] = set()  # members of the clusters of replaced quotes
        stored: list[tuple[str, str]] = []  # (id, content hash) of the articles this transaction writes
        with transaction(self.conn):
            for result in results:
                if isinstance(result, Unchanged):
                    report.unchanged += 1
                    done.append(result.article)
                    continue
                done.append(result)
                if isinstance(result, Skipped):
                    report.skipped.append(result)
                    continue
                article, quotes = result
                if self._stored_hash(article.id) is not None:
                    left |= self._remove([article.id], orphans, touched)[1]
                    report.replaced += 1
                else:
                    report.added += 1
                stored.append((article.id, self._insert(article, quotes, touched)))
                report.quotes += len(quotes)
            report.lapsed += self._settle(orphans | self._relink(touched), left).lapsed
        for article_id, digest in stored:  # committed: from now on the database answers for them
            if self._pending.get(article_id) == digest:
                del self._pending[article_id]
        for result in done:
            (on_item or (lambda r: None))(result)
        return report

    def _stored_hash(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def _insert(self, article: Article, quotes: list[Quote], touched: set[str]) -> str:
        """Insert an article with its quotes, speakers and mentions; return its content hash."""
        digest = content_hash(article)
        self.conn.execute(
            "INSERT INTO articles (id, url, outlet, date, title, language, origin, source_id, position, text, "
            "content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.url, article.outlet, article.date, article.title, article.language,
             article.origin, article.source_id, article.position, article.text, digest))
        for seq, quote in enumerate(quotes):
            who = identity(quote.speaker)
            speaker_id = self._speaker_id(who) if who else None
            if who:
                touched.add(who.surname or who.key)
            obj = quote.to_json()
            cur = self.conn.execute(
                "INSERT INTO quotes (article_id, seq, kind, content_spans, cue_span, source_span, speaker, "
                "speaker_key, speaker_id, venue, confidence, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, seq, quote.kind, json.dumps(obj["content_spans"]), _json(obj["cue_span"]),
                 _json(obj["source_span"]), quote.speaker, who.key if who else None, speaker_id, quote.venue,
                 obj["confidence"], quote.text))
            mentions = [(quote.speaker, None, None)] if quote.speaker else []
            if quote.source_span:
                start, end = quote.source_span
                said = article.text[start:end]
                if said and said != quote.speaker:
                    mentions.append((said, start, end))
            self.conn.executemany("INSERT INTO mentions (quote_id, text, folded, start, end) VALUES (?, ?, ?, ?, ?)",
                                  [(cur.lastrowid, t, q.fold(t), s, e) for t, s, e in mentions])
        return digest

    def _speaker_id(self, who: Identity) -> int:
        """The speaker row of an identity (a bare surname: the only full name with it, if one)."""
        if who.bare:
            target = self._surname_owner(who.key)
            if target is not None:
                return target
        self.conn.execute("INSERT OR IGNORE INTO speakers (key, name, surname, kind) VALUES (?, ?, ?, ?)",
                          (who.key, who.name, who.surname, who.kind))
        return self.conn.execute("SELECT id FROM speakers WHERE key = ?", (who.key,)).fetchone()[0]

    def _surname_owner(self, surname: str) -> int | None:
        rows = self.conn.execute(
            "SELECT id FROM speakers WHERE surname = ? AND kind = 'person' AND key != ? "
            "AND EXISTS (SELECT 1 FROM quotes WHERE speaker_key = speakers.key) LIMIT 2", (surname, surname)).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def _relink(self, surnames: set[str]) -> set[int]:
        """Re-resolve the bare-surname quotes of `surnames`; return speaker ids that may be left empty."""
        emptied: set[int] = set()
        for surname in surnames:
            row = self.conn.execute("SELECT speaker FROM quotes WHERE speaker_key = ? LIMIT 1", (surname,)).fetchone()
            if row is None:
                continue
            who = identity(row[0])
            target = self._speaker_id(who)
            emptied |= {r[0] for r in self.conn.execute(
                "SELECT DISTINCT speaker_id FROM quotes WHERE speaker_key = ? AND speaker_id != ?", (surname, target))}
            self.conn.execute("UPDATE quotes SET speaker_id = ? WHERE speaker_key = ?", (target, surname))
            row = self.conn.execute("SELECT id FROM speakers WHERE key = ?", (surname,)).fetchone()
            if row and row[0] != target:
                emptied.add(row[0])
        return emptied

    # ---- corrections ----------------------------------------------------------------------------

    def fix(self, quote_id: int, *, speaker: str | None = None, no_speaker: bool = False, kind: str | None = None,
            venue: str | None = None, not_a_quote: bool = False, by: str | None = None,
            note: str | None = None) -> list[int]:
        """Correct one quote: its speaker (a name, resolved as extracted names are), no speaker, its
        kind, its venue, or not a quote at all; one logged correction each. Their numbers."""
        changes = [(action, value) for action, value, given in (
            ("speaker", speaker, speaker is not None), ("no-speaker", None, no_speaker),
            ("kind", kind, kind is not None), ("venue", venue, venue is not None),
            ("not-a-quote", None, not_a_quote)) if given]
        return self._correct(lambda: fixing.for_quote(self.conn, quote_id, changes, by or fixing.author(), note))

    def merge_speakers(self, speaker_ids: list[int], name: str | None = None, by: str | None = None,
                       note: str | None = None) -> int:
        """One person under several speakers: the others' quotes join the first's (shown as `name` if given)."""
        return self._correct(lambda: [fixing.merge(self.conn, speaker_ids, name, by or fixing.author(), note)])[0]

    def split_speaker(self, speaker_id: int, alias: str, by: str | None = None, note: str | None = None) -> int:
        """An alias of a speaker that belongs to another person: the quotes extracted under it get a
        speaker of that name (a speaker merged in is given back as it was)."""
        return self._correct(lambda: [fixing.split(self.conn, speaker_id, alias, by or fixing.author(), note)])[0]

    def rename_speaker(self, speaker_id: int, name: str, by: str | None = None, note: str | None = None) -> int:
        """The name a speaker is shown under."""
        return self._correct(lambda: [fixing.rename(self.conn, speaker_id, name, by or fixing.author(), note)])[0]

    def undo(self, number: int, by: str | None = None) -> None:
        """Undo correction `number`: the rows read as if it had never been made (it stays in the log, marked)."""
        with transaction(self.conn):
            fixing.undo(self.conn, number, by or fixing.author())
            self._settle(set(), set())

    def apply_corrections(self, rows: Iterable[dict]) -> tuple[list[int], int]:
        """Log corrections shared from another database (rows of `corrections()`), each with its
        author and time; the numbers of those new here, and how many were logged already."""
        made = [fixing.Correction.from_row(row) for row in rows]
        added = self._correct(lambda: made)
        return added, len(made) - len(added)

    def corrections(self) -> list[dict]:
        """Every correction, oldest first, with its status, target and what it changed (`corrections.FIELDS`)."""
        return fixing.listing(self.conn)

    def _correct(self, make: Callable[[], list[fixing.Correction]]) -> list[int]:
        """Log the corrections `make` checks and builds, lay them over the rows and link again the
        quotes they change, in one transaction."""
        with transaction(self.conn):
            numbers = [n for n in (fixing.record(self.conn, c) for c in make()) if n is not None]
            self._settle(set(), set())
        return numbers

    # ---- reads ----------------------------------------------------------------------------------

    def search(self, query: str | None = None, **filters) -> list[dict]:
        """Quotes matching `query` (FTS5, ranked by bm25) and the filters of `query.search`; `limit`
        (default 20) 0 or None for all; `sort` "rank" or "date"; `after` a `cursor` for the next page."""
        return q.search(self.conn, query, **filters)

    def facets(self, query: str | None = None, **filters) -> dict:
        """How many quotes match `query` and the filters of `search`, and their most frequent speakers,
        outlets, kinds, venues and months (`query.facets`)."""
        return q.facets(self.conn, query, **filters)

    def count(self, query: str | None = None, **filters) -> int:
        """How many quotes match `query` and the filters of `search` in all (whatever its `limit`)."""
        return q.count(self.conn, query, **filters)

    def speakers(self) -> list[dict]:
        """Every speaker with its quote count, aliases and outlets, most quoted first."""
        return q.speakers(self.conn)

    def speaker(self, speaker_id: int) -> dict | None:
        """One speaker as `speakers` lists it, with its venues and quotes per month, or None."""
        return q.speaker(self.conn, speaker_id)

    def quote(self, quote_id: int) -> dict | None:
        """One quote with its article's metadata and text, or None."""
        return q.quote(self.conn, quote_id)

    def article(self, article_id: str) -> dict | None:
        """One article with its quotes, or None."""
        return q.article(self.conn, article_id)

    def stats(self) -> dict:
        """Counts of articles, quotes, speakers; quotes by kind, date range, articles by outlet."""
        return q.stats(self.conn)

    def export(self, min_confidence: float | None = None) -> Iterator[dict]:
        """Every quote (with at least `min_confidence`) with its article metadata, in article and
        quote order (streamed)."""
        return q.export(self.conn, min_confidence)

    def clusters(self, speaker: str | None = None, min_size: int = 2, limit: int | None = None,
                 speaker_id: int | None = None) -> list[dict]:
        """Clusters of reports of one utterance, largest first; `speaker` is any name or alias,
        `speaker_id` one speaker's id."""
        return self.trails.clusters(speaker=speaker, min_size=min_size, limit=limit, speaker_id=speaker_id)

    def cluster_count(self) -> int:
        """How many clusters `clusters()` lists (reading no member)."""
        return self.trails.count()

    def cluster(self, cluster_id: int | str) -> dict | None:
        """One cluster (id 12 or "c12") with its members in time order and each member's word diff, or None."""
        return self.trails.cluster(cluster_id)


def _json(value) -> str | None:
    return json.dumps(value) if value is not None else None
