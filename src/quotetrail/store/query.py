"""Reads of a quote database: full-text search with filters, pages and facets, counts, speakers, one
quote or article, stats.

User text reaches SQL only as bound parameters. A search query of plain words is quoted term by
term (so `ceasefire, now!` just works); a query with FTS5 syntax (`AND`, `OR`, `NOT`, `NEAR`,
quotes, parentheses, `*`, `^`, `:`) is passed to FTS5 as it is, and a syntax error there becomes a
`StoreError` with a clear message. The `outlet` filter calls the SQL function `outlet_of`, which
`add_functions` registers on the connection.

Pages are keyset pages: `search(..., after=cursor(last_row, sort))` continues after the last row
shown, by the ordering keys themselves (bm25 rank and id, or date, article and id), so that a page
never repeats or drops a row whatever was shown before it.
Every read goes through the views `corrected_quotes` and `corrected_speakers` (`store.fixes`): the
values the corrections give, quotes marked not a quote left out, each row's `corrected` telling
whether a correction changed it. A reader over these functions (the CLI, a web page) cannot show
an extracted value that a correction replaced.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date as Date

from ..names import fold
from ..urls import outlet_of
from .schema import VERSION, StoreError
from .speakers import identity

MARK = ("\x02", "\x03")  # highlight() markers around matched words; see `marked`
_FTS_SYNTAX = re.compile(r'["()*^:]|\b(?:AND|OR|NOT|NEAR)\b')

# The keys of every export row, in order (CSV headers, parquet schemas).
EXPORT_COLUMNS = ["quote_id", "article_id", "url", "outlet", "date", "title", "origin", "speaker", "speaker_id",
                  "speaker_extracted", "kind", "content_spans", "cue_span", "source_span", "venue", "confidence",
                  "text", "cluster_id", "relation", "altered", "corrected"]
# What `row_json` reads, selected from QUOTE_JOINS.
QUOTE_COLUMNS = """q.id AS quote_id, q.article_id, q.seq, q.kind, q.content_spans, q.cue_span, q.source_span,
    q.speaker AS speaker_extracted, q.speaker_id, q.speaker_name, q.speaker_kind, q.venue,
    q.confidence, q.text, q.cluster_id, q.relation, q.changes, q.corrected, a.url, a.outlet, a.date, a.title,
    a.origin"""
QUOTE_JOINS = "JOIN articles a ON a.id = q.article_id"
QUOTE_FROM = f"FROM corrected_quotes q {QUOTE_JOINS}"

SORTS = ("rank", "date")  # best bm25 match first; newest first (the only order without a query)
FACETS = ("speaker", "outlet", "kind", "venue", "month")

__all__ = ["EXPORT_COLUMNS", "FACETS", "SORTS", "add_functions", "article", "count", "cursor", "export", "facets",
           "fold", "fts_query", "marked", "quote", "row_json", "search", "speaker", "speaker_ids", "speakers", "stats",
           "token", "token_keys"]


def add_functions(conn: sqlite3.Connection) -> None:
    """Register the SQL functions the reads call: `outlet_of(url)`, the registered domain of a url."""
    conn.create_function("outlet_of", 1, outlet_of, deterministic=True)


def fts_query(text: str) -> str:
    """Plain words become quoted FTS5 terms (all must match); explicit FTS5 syntax is kept."""
    text = text.replace("\x00", " ")  # SQLite reads a query as a C string
    if _FTS_SYNTAX.search(text):
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def speaker_ids(conn: sqlite3.Connection, name: str) -> list[int]:
    """Speakers a name may mean: same key (the speaker it is merged into, if so), the name a
    correction gave, an alias (mention) folded alike, or, for one word, the surname."""
    who = identity(name)
    if who is None:
        return []
    rows = conn.execute(
        "SELECT coalesce(merged_into, id) FROM corrected_speakers "
        "WHERE key = ? OR (? AND kind = 'person' AND surname = ?) "
        "UNION SELECT speaker_id FROM speaker_fixes WHERE name_key = ? OR (? AND name_key LIKE '% ' || ?) "
        "UNION SELECT DISTINCT q.speaker_id FROM mentions m JOIN corrected_quotes q ON q.id = m.quote_id "
        "WHERE m.folded = ? AND q.speaker_id IS NOT NULL",
        (who.key, who.bare, who.key, who.key, who.bare, who.key, fold(name))).fetchall()
    return [r[0] for r in rows]


MAX_INT = 2**63 - 1  # SQLite's largest integer


def id_number(text: str) -> int | None:
    """The number an id is made of: ASCII digits that fit an SQLite integer (not `²`), else None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_INT else None


def _utf8(value: str | None, name: str, strict: bool = True) -> bool:
    """Whether `value` can reach SQLite (no lone surrogates: bytes that were not UTF-8); a
    `StoreError` when not and `strict`."""
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        if strict:
            raise StoreError(f"{name} {value!r} is not valid UTF-8") from None
        return False
    return True


def _iso(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    try:
        return Date.fromisoformat(value).isoformat()
    except ValueError:
        raise StoreError(f"{flag} wants an ISO date like 2024-03-01, not {value!r}") from None


def _matching(conn: sqlite3.Connection, query: str | None, *, speaker: str | None = None,
              outlet: str | None = None, since: str | None = None, until: str | None = None,
              kind: str | None = None, venue: str | None = None, speaker_id: int | None = None,
              min_confidence: float | None = None) -> tuple[str, list, bool]:
    """The FROM and WHERE of the quotes matching `query` and the filters, their arguments, and
    whether the full-text index is searched (then `quotes_fts` can be selected from)."""
    where, args = [], []
    for name, value in (("query", query), ("speaker", speaker), ("outlet", outlet), ("venue", venue),
                        ("since", since), ("until", until), ("kind", kind)):
        _utf8(value, name)
    if speaker is not None:
        where.append("q.speaker_id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(speaker_ids(conn, speaker)))
    if speaker_id is not None:
        where.append("q.speaker_id = ?")
        args.append(speaker_id)
    if outlet is not None:
        where.append("(a.outlet = ? COLLATE NOCASE OR outlet_of(a.url) = ? COLLATE NOCASE)")
        args += [outlet, outlet]
    if venue is not None:
        where.append("q.venue = ? COLLATE NOCASE")
        args.append(venue)
    for op, value, flag in (("a.date >= ?", since, "--since"), ("a.date <= ?", until, "--until")):
        if value is not None:
            where.append(op)
            args.append(_iso(value, flag))
    if kind is not None:
        where.append("q.kind = ?")
        args.append(kind)
    if min_confidence is not None:
        where.append("q.confidence >= ?")
        args.append(min_confidence)
    match = fts_query(query) if query else ""
    if match.strip():
        sql = (f"FROM quotes_fts JOIN corrected_quotes q ON q.id = quotes_fts.rowid {QUOTE_JOINS} "
               "WHERE quotes_fts MATCH ?")
        args = [match, *args]
    else:
        sql = f"{QUOTE_FROM} WHERE 1"
    return sql + "".join(f" AND {w}" for w in where), args, bool(match.strip())


def _fetch(conn: sqlite3.Connection, sql: str, args: list, query: str | None) -> list[sqlite3.Row]:
    """Rows of a search statement; an FTS5 syntax error in the user's query becomes a `StoreError`."""
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:
        if query and exc.sqlite_errorname != "SQLITE_INTERRUPT":  # a time limit is not the query's fault
            raise StoreError(f"bad search query {query!r} ({exc}); plain words always work, "
                             "FTS5 syntax: https://sqlite.org/fts5.html#full_text_query_syntax") from None
        raise


def search(conn: sqlite3.Connection, query: str | None = None, *, limit: int | None = 20, sort: str = "rank",
           after: str | None = None, **filters) -> list[dict]:
    """Quotes matching the full-text `query`, best bm25 match first (`sort` "rank") or newest first
    ("date", the order without a query).

    Filters: `speaker` (any alias, case and accents ignored), `speaker_id`, `outlet` (the stored
    outlet or the registered domain of the url, case ignored), `venue` (case ignored),
    `since`/`until` (ISO dates, inclusive), `kind`, `min_confidence` (the calibrated probability
    that the quote is right). `limit` 0 or None: all of them. `after`: the `cursor` of the last row
    of the previous page. Each row is `row_json` plus `highlight` (the quote text with `MARK`
    around matched words) and `rank`.
    """
    if sort not in SORTS:
        raise StoreError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    found, args, ranked = _matching(conn, query, **filters)
    by_rank = ranked and sort == "rank"
    if ranked:
        columns = f"{QUOTE_COLUMNS}, highlight(quotes_fts, 0, ?, ?) AS highlight, bm25(quotes_fts) AS rank"
        args = [*MARK, *args]
    else:
        columns = f"{QUOTE_COLUMNS}, q.text AS highlight, NULL AS rank"
    if after is not None:
        keys = _cursor_keys(after, by_rank)
        found += (" AND (bm25(quotes_fts), q.id) > (?, ?)" if by_rank else
                  " AND (coalesce(a.date, '') < ? OR (coalesce(a.date, '') = ? AND (q.article_id, q.id) > (?, ?)))")
        args += keys if by_rank else [keys[0], *keys]
    order = "rank, q.id" if by_rank else "coalesce(a.date, '') DESC, q.article_id, q.id"
    sql = f"SELECT {columns} {found} ORDER BY {order}"
    if limit is not None and limit > 0:
        if limit > MAX_INT:
            raise StoreError(f"limit {limit} is too large (at most {MAX_INT:,}; 0 or None means all)")
        sql += " LIMIT ?"
        args.append(limit)
    return [{**row_json(r), "highlight": r["highlight"], "rank": r["rank"]} for r in _fetch(conn, sql, args, query)]


def cursor(row: dict, sort: str = "rank") -> str:
    """Where a page that ended with `row` (a `search` row, searched with `sort`) continues: an
    opaque token for `search(after=…)`."""
    keys = [row["rank"], row["quote_id"]] if sort == "rank" and row["rank"] is not None else \
        [row["date"] or "", row["article_id"], row["quote_id"]]
    return token(keys)


def token(keys: list) -> str:
    """Ordering keys (JSON values) as a token fit for a URL: what a page's `next` cursor is made of."""
    return base64.urlsafe_b64encode(json.dumps(keys).encode()).decode().rstrip("=")


def token_keys(text: str) -> list | None:
    """The keys of a `token`, or None when `text` is not one."""
    try:
        keys = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        return None
    return keys if isinstance(keys, list) else None


def _cursor_keys(text: str, by_rank: bool) -> list:
    """The ordering keys in a `cursor` token, checked for the order they continue."""
    keys = token_keys(text)
    shape = (float, int) if by_rank else (str, str, int)
    if not (isinstance(keys, list) and len(keys) == len(shape)
            and all(isinstance(k, t) and not isinstance(k, bool) for k, t in zip(keys, shape, strict=True))
            and abs(keys[-1]) <= MAX_INT):
        raise StoreError(f"bad page cursor {text[:40]!r} (not one this search gave)")
    return keys


def facets(conn: sqlite3.Connection, query: str | None = None, top: int = 10, **filters) -> dict:
    """How many quotes match `query` and the filters of `search`, and how they spread over `FACETS`:
    `{"count": n, "facets": {"speaker": [(name, n), …], "outlet": …, "kind": …, "venue": …,
    "month": [("2024-03", n), …]}}`, the `top` most frequent values of each, most frequent first,
    quotes without a value not counted. One pass over the matching rows."""
    found, args, _ = _matching(conn, query, **filters)
    rows = _fetch(conn, f"SELECT q.speaker_name, a.outlet, q.kind, q.venue, substr(a.date, 1, 7) {found}", args,
                  query)
    spread = [Counter(row[i] for row in rows if row[i]) for i in range(len(FACETS))]
    return {"count": len(rows), "facets": {name: sorted(c.items(), key=lambda item: (-item[1], item[0]))[:top]
                                           for name, c in zip(FACETS, spread, strict=True)}}


def count(conn: sqlite3.Connection, query: str | None = None, **filters) -> int:
    """How many quotes match `query` and the filters of `search`, however many it would show."""
    found, args, _ = _matching(conn, query, **filters)
    return _fetch(conn, f"SELECT count(*) {found}", args, query)[0][0]


def row_json(row: sqlite3.Row) -> dict:
    """A quote row (selected as QUOTE_COLUMNS) as an export row: the `extract` JSONL quote object plus
    its ids, article metadata and place in a cluster, keyed by EXPORT_COLUMNS."""
    return {
        "quote_id": row["quote_id"], "article_id": row["article_id"], "url": row["url"],
        "outlet": row["outlet"], "date": row["date"], "title": row["title"], "origin": row["origin"],
        "speaker": row["speaker_name"] or row["speaker_extracted"], "speaker_id": row["speaker_id"],
        "speaker_extracted": row["speaker_extracted"],
        "kind": row["kind"], "content_spans": json.loads(row["content_spans"]),
        "cue_span": json.loads(row["cue_span"]) if row["cue_span"] else None,
        "source_span": json.loads(row["source_span"]) if row["source_span"] else None,
        "venue": row["venue"], "confidence": row["confidence"], "text": row["text"],
        "cluster_id": f"c{row['cluster_id']}" if row["cluster_id"] is not None else None,
        "relation": row["relation"], "altered": bool(row["changes"] and json.loads(row["changes"])),
        "corrected": bool(row["corrected"]),
    }


def speakers(conn: sqlite3.Connection, speaker_id: int | None = None) -> list[dict]:
    """Every speaker with quotes (or the one of `speaker_id`): id, name, kind, quote count, aliases
    (its names and mentions, and those of the speakers merged into it), outlets, and whether a
    correction touched it."""
    one = [speaker_id, speaker_id]
    counts = dict(conn.execute("SELECT speaker_id, count(*) FROM corrected_quotes WHERE speaker_id IS NOT NULL "
                               "AND (? IS NULL OR speaker_id = ?) GROUP BY speaker_id", one))
    rows = conn.execute("SELECT * FROM corrected_speakers").fetchall()
    out = {r["id"]: {"id": r["id"], "name": r["name"], "kind": r["kind"], "quotes": counts[r["id"]], "aliases": set(),
                     "outlets": Counter(), "corrected": bool(r["corrected"]), "_keys": set()}
           for r in rows if r["id"] in counts}
    for r in rows:
        entry = out.get(r["merged_into"] or r["id"])
        if entry:
            entry["_keys"] |= {r["key"], r["surname"]}
    for r in conn.execute("SELECT DISTINCT q.speaker_id, m.text FROM mentions m JOIN corrected_quotes q "
                          "ON q.id = m.quote_id WHERE q.speaker_id IS NOT NULL AND (? IS NULL OR q.speaker_id = ?)",
                          one):
        who, entry = identity(r[1]), out.get(r[0])
        if who and entry and who.key in entry["_keys"]:
            entry["aliases"].add(" ".join(r[1].split()))
    for r in conn.execute("SELECT q.speaker_id, a.outlet, count(*) FROM corrected_quotes q "
                          "JOIN articles a ON a.id = q.article_id WHERE q.speaker_id IS NOT NULL "
                          "AND a.outlet IS NOT NULL AND (? IS NULL OR q.speaker_id = ?) GROUP BY 1, 2", one):
        if r[0] in out:
            out[r[0]]["outlets"][r[1]] += r[2]
    result = []
    for entry in out.values():
        del entry["_keys"]
        entry["aliases"] = sorted(entry["aliases"] - {entry["name"]})
        entry["outlets"] = [o for o, _ in entry["outlets"].most_common()]
        result.append(entry)
    return sorted(result, key=lambda e: (-e["quotes"], e["name"]))


def speaker(conn: sqlite3.Connection, speaker_id: int) -> dict | None:
    """One speaker as `speakers` has it, with `venues` (most frequent first, with counts), `months`
    (`[("2024-03", n), …]` in time order) and `undated` (quotes in undated articles); None if unknown."""
    if not 0 <= speaker_id <= MAX_INT:
        return None
    found = speakers(conn, speaker_id)
    if not found:
        return None
    by_venue = conn.execute("SELECT venue, count(*) FROM corrected_quotes WHERE speaker_id = ? AND venue IS NOT NULL "
                            "GROUP BY venue ORDER BY 2 DESC, 1", (speaker_id,)).fetchall()
    by_month = conn.execute("SELECT substr(a.date, 1, 7), count(*) FROM corrected_quotes q "
                            "JOIN articles a ON a.id = q.article_id WHERE q.speaker_id = ? GROUP BY 1 ORDER BY 1",
                            (speaker_id,)).fetchall()
    months = [(m, n) for m, n in by_month if m]
    return {**found[0], "venues": [tuple(r) for r in by_venue], "months": months,
            "undated": sum(n for m, n in by_month if not m)}


def quote(conn: sqlite3.Connection, quote_id: int) -> dict | None:
    """One quote (as `row_json`) with its article's text under `article_text`, or None."""
    if not 0 <= quote_id <= MAX_INT:
        return None
    row = conn.execute(f"SELECT {QUOTE_COLUMNS}, a.text AS article_text {QUOTE_FROM} WHERE q.id = ?",
                       (quote_id,)).fetchone()
    return {**row_json(row), "article_text": row["article_text"]} if row else None


def article(conn: sqlite3.Connection, article_id: str) -> dict | None:
    """One article's stored fields with its quotes (each as `row_json`), or None."""
    if not _utf8(article_id, "article id", strict=False):
        return None
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    quotes = conn.execute(f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE q.article_id = ? ORDER BY q.seq", (article_id,))
    return {**dict(row), "quotes": [row_json(r) for r in quotes]}


def stats(conn: sqlite3.Connection) -> dict:
    """Counts (as corrected), quotes by kind and by speaker kind, first and last date, articles by
    outlet, corrections in force, schema version."""
    one = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
    first, last = one("SELECT min(date), max(date) FROM articles")
    quoted = "SELECT DISTINCT speaker_id FROM corrected_quotes WHERE speaker_id IS NOT NULL"
    return {
        "articles": one("SELECT count(*) FROM articles")[0],
        "quotes": one("SELECT count(*) FROM corrected_quotes")[0],
        "speakers": one(f"SELECT count(*) FROM ({quoted})")[0],
        "quotes_by_kind": dict(conn.execute("SELECT kind, count(*) FROM corrected_quotes GROUP BY kind "
                                            "ORDER BY 2 DESC, 1")),
        "quotes_with_speaker": one("SELECT count(*) FROM corrected_quotes WHERE speaker_id IS NOT NULL")[0],
        "speakers_by_kind": dict(conn.execute(f"SELECT kind, count(*) FROM speakers WHERE id IN ({quoted}) "
                                              "GROUP BY kind ORDER BY 2 DESC, 1")),
        "dates": {"first": first, "last": last},
        "outlets": dict(conn.execute("SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL "
                                     "GROUP BY outlet ORDER BY 2 DESC, 1")),
        "corrections": one("SELECT count(*) FROM corrections WHERE undone_at IS NULL")[0],
        "schema_version": VERSION,
    }


def export(conn: sqlite3.Connection, min_confidence: float | None = None) -> Iterator[dict]:
    """Every quote (with at least `min_confidence`) as `row_json`, article by article, streamed."""
    for row in conn.execute(f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE q.confidence >= ? "
                            "ORDER BY q.article_id, q.seq", (min_confidence or 0.0,)):
        yield row_json(row)


def marked(text: str, start: str = "[", end: str = "]") -> str:
    """Replace the `MARK` characters of a highlighted text by `start` and `end`."""
    return text.replace(MARK[0], start).replace(MARK[1], end)


