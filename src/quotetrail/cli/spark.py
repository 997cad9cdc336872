"""The Spark commands: `spark extract`, `spark link` (on a Spark session), and `import` (into a database)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .database import link_all, open_store
from .options import db_option
from .output import QuotetrailError, note, plural

master_option = click.option(
    "--master", metavar="URL",
    help="Spark master (local[2], spark://host:7077, yarn) [default: spark-submit's, else local[*]].")


@contextmanager
def _session(master: str | None, app: str) -> Iterator:
    """A SparkSession for one command; Spark's own failures (no Java, an output that exists) as one line."""
    from ..spark.session import SparkUnavailable, spark_session
    from ..spark.sources import ManifestError

    try:
        with spark_session(master, app) as spark:
            yield spark
    except (SparkUnavailable, ManifestError, ValueError) as exc:
        raise QuotetrailError(str(exc)) from None
    except Exception as exc:  # re-raised unless a JVM error (a path that exists, a lost executor): one line too
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            raise QuotetrailError(f"Spark: {str(exc).strip().splitlines()[0]}") from None
        raise


@click.group("spark")
def spark_group() -> None:
    """Run extraction and linking on Apache Spark.

    The same readers, engine and linker as `ingest`, as Spark jobs writing Parquet; `import` loads
    their output into a quote database. Needs the `spark` extra (pip install 'quotetrail[spark]')
    and Java 17 or newer; also runs under spark-submit (python -m quotetrail.spark).

    \b
    Examples:
      quotetrail spark extract warcs.txt --out run/ --master 'local[2]'
      quotetrail spark link run/
      quotetrail import run/ --db quotes.db
    """


@spark_group.command("extract")
@click.argument("manifest", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, metavar="DIR", help="Where the Parquet tables go (must not hold them).")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Spark tasks [default: one per manifest line].")
@click.option("--split/--no-split", default=None,
              help="Split merged articles [default: texts, HTML and WARC pages yes; JSONL/CSV records no].")
@master_option
def spark_extract_cmd(manifest: str, out: str, partitions: int | None, split: bool | None,
                      master: str | None) -> None:
    """Extract quotations on Spark, one input per task.

    MANIFEST lists the inputs, one a line: WARC (or any file `ingest` reads) paths, directories,
    globs, file:// or http(s):// URIs. Writes Parquet tables under DIR: articles/ and quotes/
    (partitioned by year and month) and skipped/ (file, record, kind, reason); a bad or missing
    input is a row of skipped/, never a failed job. Prints the counts at the end.

    \b
    Examples:
      quotetrail spark extract warcs.txt --out run/
      spark-submit --master yarn $(python -c 'import quotetrail.spark.__main__ as m; print(m.__file__)') \\
          extract cc-news-2024-01.txt --out s3a://bucket/run/
    """
    from ..spark import extract
    from ..spark.sources import read_manifest

    with _session(master, "quotetrail extract") as spark:
        counts = extract.run(spark, read_manifest(manifest), out, partitions=partitions, split=split)
    note(f"read {plural(counts['articles'], 'article')} ({plural(counts['records'], 'record')}) from "
         f"{plural(counts['files'], 'file')}: {plural(counts['quotes'], 'quote')}; skipped {counts['skipped']:,} "
         f"({counts['bad']:,} bad, see {out}/skipped)")
    sys.exit(1 if counts["bad"] else 0)


@spark_group.command("link")
@click.argument("directory", metavar="DIR")
@master_option
def spark_link_cmd(directory: str, master: str | None) -> None:
    """Link the quotes of a `spark extract` run into clusters, on Spark.

    The rule of `quotetrail link`: candidates from shared index keys (each quote reads the latest
    postings of every key), pairs scored by the same comparison, clusters by the same greedy
    agglomeration. Writes DIR/links/ and DIR/clusters/ (replacing them).

    \b
    Examples:
      quotetrail spark link run/
    """
    from ..spark import link

    with _session(master, "quotetrail link") as spark:
        counts = link.run(spark, directory)
    note(f"linked {plural(counts['quotes'], 'quote')}: {plural(counts['links'], 'link')}, "
         f"{plural(counts['clusters'], 'cluster')} in {directory}")


@click.command("import")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@db_option
@click.option("--batch", type=click.IntRange(min=1), default=50, show_default=True, help="Articles per transaction.")
@click.option("--link/--no-link", default=True, show_default=True,
              help="Link the new quotes: adopt DIR/links when there is one and the database held no quote, "
                   "else run the linker.")
def import_cmd(directory: str, db_path: str, batch: int, link: bool) -> None:
    """Load the Parquet output of a Spark run into the database.

    Articles and quotes go through the same writes as `ingest` (ids, speakers, full-text index);
    idempotent: articles already stored with the same content are left alone. The links of
    `spark link` are adopted when the database held no linked quote before; otherwise the new
    quotes are linked here as `quotetrail link` does.

    \b
    Examples:
      quotetrail import run/ --db quotes.db && quotetrail clusters --db quotes.db
    """
    from ..spark.load import MissingTables, load_run

    if not Path(directory, "articles").is_dir():
        raise QuotetrailError(f"{directory}: no articles/ table here (the --out of `quotetrail spark extract`)")
    with open_store(db_path, create=True) as store:
        store.batch_size = batch
        try:
            result, adopted = load_run(store, directory, link=link)
        except MissingTables as exc:
            raise QuotetrailError(str(exc)) from None
        if link and not adopted:
            link_all(store)
        clusters = store.cluster_count()
    how = " (links of spark link adopted)" if adopted else ""
    note(f"{result.summary()}, {plural(clusters, 'cluster')}{how} in {db_path}")
