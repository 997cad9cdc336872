"""`import`: the Parquet tables of a Spark run into a quote database, through `QuoteStore`'s own writes.

Read with pyarrow, no Spark: one year-and-month partition at a time (its articles in reading order,
each with its quotes), classified and written in batches as `ingest` writes, so ids, speakers and
the full-text index are what `ingest` would make, and a second import adds nothing. The links of
`spark link` (`links/`) are adopted when the database held no quote before; otherwise the caller
links the new quotes with the database's own linker.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from ..model import Article, Quote
from ..store import IngestReport, QuoteStore
from ..store.store import Unchanged
from .extract import ARTICLE_FIELDS, QUOTE_FIELDS

LINK_FIELDS = ("a_article_id", "a_seq", "b_article_id", "b_seq", "score", "firm")


class MissingTables(ValueError):
    """The directory lacks a table of `spark extract`, or holds something else."""


def load_run(store: QuoteStore, directory: str | Path, *, link: bool = True) -> tuple[IngestReport, bool]:
    """Store the articles and quotes of a run's `articles/` and `quotes/`; with `link`, adopt its
    `links/` when the database held no quote before. Return the report and whether links were adopted."""
    empty = store.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM quotes)").fetchone()[0]
    report = IngestReport()
    results = _classified(store, read_run(directory))
    while chunk := list(islice(results, store.batch_size)):
        store.write(chunk, report)
    links = Path(directory, "links")
    if not (link and empty and links.is_dir()):
        return report, False
    store.adopt_links(read_links(links))
    return report, True


def _classified(store: QuoteStore, pairs: Iterable[tuple[Article, list[Quote]]]) -> Iterator:
    """`(article, quotes)` to write, or `Unchanged` for an article stored with the same content."""
    quotes_of: dict[int, list[Quote]] = {}

    def articles() -> Iterator[Article]:
        for article, quotes in pairs:
            quotes_of[id(article)] = quotes
            yield article

    for item in store.classify(articles()):
        if isinstance(item, Unchanged):
            quotes_of.pop(id(item.article))
            yield item
        else:
            yield item, quotes_of.pop(id(item))


def read_run(directory: str | Path) -> Iterator[tuple[Article, list[Quote]]]:
    """Every article of a run with its quotes, a year-and-month partition at a time, in reading order."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    articles, quotes = (_dataset(Path(directory, name)) for name in ("articles", "quotes"))
    months = articles.to_table(columns=["year", "month"]).group_by(["year", "month"]).aggregate([])
    for year, month in sorted(zip(*(months[c].to_pylist() for c in ("year", "month")), strict=True),
                              key=lambda ym: (ym[0] is None, ym[0] or 0, ym[1] or 0)):
        where = _equal(ds.field("year"), year) & _equal(ds.field("month"), month)
        by_article: defaultdict[int, list[dict]] = defaultdict(list)
        for row in quotes.to_table(filter=where, columns=["article_key", "seq", *QUOTE_FIELDS]).to_pylist():
            by_article[row["article_key"]].append(row)
        table = articles.to_table(filter=where, columns=[*ARTICLE_FIELDS, "article_key"])
        for row in table.take(pc.sort_indices(table, [("article_key", "ascending")])).to_pylist():
            found = sorted(by_article.pop(row.pop("article_key"), []), key=lambda q: q["seq"])
            yield Article(**row), [Quote.from_json(q) for q in found]


def read_links(directory: Path) -> Iterator[tuple]:
    """The links of `spark link`: (article id, seq, article id, seq, score, firm) each."""
    for batch in _dataset(directory).to_batches(columns=list(LINK_FIELDS)):
        yield from zip(*(batch.column(name).to_pylist() for name in LINK_FIELDS), strict=True)


def _dataset(path: Path):
    import pyarrow as pa
    import pyarrow.dataset as ds

    if not path.is_dir():
        raise MissingTables(f"{path}: no such table (the --out of `quotetrail spark extract` holds articles/, "
                            "quotes/ and skipped/)")
    try:
        months = ds.partitioning(pa.schema([("year", pa.int32()), ("month", pa.int32())]), flavor="hive")
        return ds.dataset(path, format="parquet", partitioning=months)
    except (OSError, ValueError) as exc:
        raise MissingTables(f"{path}: not a Parquet table ({exc})") from None


def _equal(field, value):
    return field.is_null() if value is None else field == value
