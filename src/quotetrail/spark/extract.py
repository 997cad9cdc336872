"""`spark extract`: the inputs of a manifest, one per task, through the CLI's readers and engine, to Parquet.

Each task reads its manifest lines with `spark.sources.read_entry` (so ids, cleaning, splitting and
skips are those of `quotetrail ingest`) and extracts with `parallel.extract_articles` in the task's
Python worker, in batches; the engine (spaCy) loads there, once per worker process (PySpark reuses
its workers), never on the driver and never broadcast. Rows of one pass are kept on disk and written
as three tables:

- `articles/` (the Article fields, `file`, `article_key`, `worker`), `quotes/` (the quote objects of
  `extract --format jsonl`, spans as arrays, with `article_id`, `seq`, `quote_key`), both
  partitioned by the article's `year` and `month` (undated: Spark's null partition);
- `skipped/` (`file`, `record`, `kind`, `reason`, `bad`): a bad file, a broken record, a missing
  path or a failed extraction is a row here, never a failed task. Not partitioned: a skip has no date.

The counts printed at the end (files opened, records, articles, quotes, skips) are read from the
rows, not from accumulators, so a task Spark runs again is not counted twice.

`article_key` (the manifest line, then the item's place in it) and `quote_key` (then the quote's
`seq`) give the reading order `quotetrail ingest` would have: the Spark linker takes quotes in it.
"""
from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..ingest import Tally
from ..model import Article, Skipped
from .sources import read_entry

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

RECORD_BITS = 24  # items (articles and skips) of one manifest line
SEQ_BITS = 17     # quotes of one article
FILE_LIMIT = 1 << (63 - RECORD_BITS - SEQ_BITS)
ARTICLE_FIELDS = ("id", "url", "outlet", "date", "title", "language", "source_id", "position", "origin", "text")
QUOTE_FIELDS = ("kind", "content_spans", "cue_span", "source_span", "speaker", "venue", "confidence", "text")
TABLES = ("articles", "quotes", "skipped")


def quote_key(article_key: int, seq: int) -> int:
    """A quote's place in reading order, as one 63-bit integer."""
    return article_key << SEQ_BITS | seq


def extract_partition(entries: Iterable[tuple[int, str]], split: bool | None = None) -> Iterator[tuple]:
    """The rows of the manifest lines of one task: an article with its quotes, or a skip, per item read,
    and for each line a last row of the files its readers opened (`opened`), so that the run's counts
    are read from the rows themselves: exact when Spark runs a task again (accumulators would count
    it twice)."""
    from ..parallel import extract_articles  # the engine loads here, in the Python worker

    worker = f"{socket.gethostname()}:{os.getpid()}"
    for index, entry in entries:
        tally = Tally()
        for record, result in enumerate(extract_articles(read_entry(entry, tally, split=split), jobs=1)):
            if record >> RECORD_BITS:
                result = Skipped(entry, f"more than {1 << RECORD_BITS:,} records; rest unread", kind="oversized file")
            elif not isinstance(result, Skipped) and len(result[1]) >> SEQ_BITS:
                result = Skipped(result[0].origin or entry, f"more than {1 << SEQ_BITS:,} quotes in one article",
                                 kind="oversized article")
            key = index << RECORD_BITS | min(record, (1 << RECORD_BITS) - 1)
            if isinstance(result, Skipped):
                yield entry, key, worker, None, None, (result.where, result.kind, result.reason, result.bad), None
                if result.kind == "oversized file":
                    break
                continue
            article, quotes = result
            yield entry, key, worker, _article_row(article), [_quote_row(key, seq, q.to_json())
                                                             for seq, q in enumerate(quotes)], None, None
        yield entry, None, worker, None, None, None, tally.files


def _article_row(article: Article) -> tuple:
    return tuple(getattr(article, name) for name in ARTICLE_FIELDS)


def _quote_row(article_key: int, seq: int, obj: dict[str, Any]) -> tuple:
    return (seq, quote_key(article_key, seq), *(obj[name] for name in QUOTE_FIELDS))


def row_schema():
    """The schema of the rows of `extract_partition`: an article (with its quotes), a skip, or the
    files a manifest line opened."""
    from pyspark.sql import types as T

    text, number = T.StringType(), T.IntegerType()
    span = T.ArrayType(number)
    article = T.StructType([T.StructField(name, number if name == "position" else text) for name in ARTICLE_FIELDS])
    quote = T.StructType([
        T.StructField("seq", number), T.StructField("quote_key", T.LongType()), T.StructField("kind", text),
        T.StructField("content_spans", T.ArrayType(span)), T.StructField("cue_span", span),
        T.StructField("source_span", span), T.StructField("speaker", text), T.StructField("venue", text),
        T.StructField("confidence", T.DoubleType()), T.StructField("text", text)])
    skipped = T.StructType([T.StructField("record", text), T.StructField("kind", text),
                            T.StructField("reason", text), T.StructField("bad", T.BooleanType())])
    return T.StructType([
        T.StructField("file", text), T.StructField("article_key", T.LongType()), T.StructField("worker", text),
        T.StructField("article", article), T.StructField("quotes", T.ArrayType(quote)),
        T.StructField("skipped", skipped), T.StructField("opened", number)])


def run(spark: SparkSession, entries: list[str], out: str, *, partitions: int | None = None,
        split: bool | None = None) -> dict[str, int]:
    """Extract the quotes of `entries` (manifest lines) into the Parquet tables under `out`; return the counts.

    `partitions` tasks (default: one per line). Fails before any work when `out` already holds a table.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    if len(entries) > FILE_LIMIT:
        raise ValueError(f"a manifest lists at most {FILE_LIMIT:,} inputs (split it into several runs)")
    held = [name for name in TABLES if os.path.lexists(os.path.join(out, name))]  # a local --out, checked early
    if held:
        raise ValueError(f"{out} already holds {', '.join(f'{name}/' for name in held)} of a run: "
                         "choose another --out or remove them")
    sc = spark.sparkContext
    local = [os.path.abspath(e) if os.path.lexists(e) else e for e in entries]  # the workers' cwd may differ
    tasks = sc.parallelize(list(enumerate(local)), max(1, min(partitions or len(local), len(local))))
    rows = spark.createDataFrame(tasks.mapPartitions(lambda part: extract_partition(part, split)),
                                 row_schema()).persist(StorageLevel.DISK_ONLY)
    try:
        dated = F.col("article.date").rlike(r"^\d{4}-\d{2}")
        when = [F.when(dated, F.substring("article.date", 1, 4).cast("int")).alias("year"),
                F.when(dated, F.substring("article.date", 6, 2).cast("int")).alias("month")]
        articles = rows.where(F.col("article").isNotNull())
        tables = {
            "articles": articles.select("article.*", "file", "article_key", "worker", *when),
            "quotes": articles.select(F.col("article.id").alias("article_id"), "article_key", *when,
                                      F.explode("quotes").alias("q")).select("article_id", "article_key", "q.*",
                                                                              "year", "month"),
            "skipped": rows.where(F.col("skipped").isNotNull()).select("file", "skipped.*"),
        }
        for name in TABLES:
            writer = tables[name].write.mode("errorifexists")
            (writer if name == "skipped" else writer.partitionBy("year", "month")).parquet(f"{out}/{name}")
        counted = rows.agg(
            F.sum("opened").alias("files"),
            F.count("article").alias("articles"),
            F.sum(F.when(F.col("article").isNotNull(), F.size("quotes"))).alias("quotes"),
            F.count("skipped").alias("skipped"), F.sum(F.col("skipped.bad").cast("int")).alias("bad")).first()
    finally:
        rows.unpersist()
    counts = {name: int(counted[name] or 0) for name in ("files", "articles", "quotes", "skipped", "bad")}
    return {**counts, "records": counts["articles"] + counts["skipped"]}
