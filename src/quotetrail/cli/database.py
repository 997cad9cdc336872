"""The quote-database commands: ingest, search, show, stats, export, delete."""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

import click

from ..ingest import Tally, read_paths
from ..model import Article, Skipped
from ..store import QuoteStore
from ..store.query import EXPORT_COLUMNS, id_number, marked
from ..store.trails import cluster_number
from .options import (
    TEXT,
    db_option,
    format_option,
    input_options,
    jobs_option,
    limit_option,
    min_confidence_option,
)
from .output import Progress, QuotetrailError, console, database_errors, emit, emit_object, note, plural, report
from .read import require_inputs
from .render import SEARCH_COLUMNS, STATS_COLUMNS, article_view, quote_in_context, trail

# The commands that only read a database: they open it read-only, never migrate it or switch its journal.
READ_ONLY = {"search", "speakers", "show", "stats", "export", "clusters", "corrections", "serve"}


@contextmanager
def open_store(db_path: str, create: bool = False, readonly: bool | None = None,
               threads: bool = False) -> Iterator[QuoteStore]:
    """The database at `db_path`, read-only for the commands of `READ_ONLY` (`readonly` None: the
    running command decides; `threads` as `QuoteStore` takes it); its errors (and SQLite's) become
    one `QuotetrailError` line."""
    if readonly is None:
        ctx = click.get_current_context(silent=True)
        readonly = ctx is not None and ctx.command.name in READ_ONLY
    with database_errors(db_path):
        store = QuoteStore(db_path, create=create, readonly=readonly, threads=threads)
        try:
            yield store
        finally:
            store.close()


def link_all(store: QuoteStore) -> int:
    """`store.link()` with a live line on a terminal; the number of quotes linked."""
    with Progress("linking", "quotes", total=store.linker.pending()) as bar:
        return store.link(on_batch=bar.advance)


def _first_article(items: Iterator[Article | Skipped]) -> list[Article | Skipped]:
    """The items up to and including the first article (all of them when there is none)."""
    head: list[Article | Skipped] = []
    for item in items:
        head.append(item)
        if isinstance(item, Article):
            break
    return head


@click.command("ingest")
@input_options
@db_option
@jobs_option
@click.option("--batch", type=click.IntRange(min=1), default=50, show_default=True, help="Articles per transaction.")
@click.option("--link/--no-link", default=True, show_default=True,
              help="Link the new quotes into clusters of reports of one utterance.")
def ingest_cmd(paths: tuple[str, ...], inputs: tuple[str, ...], split: bool | None, db_path: str, jobs: int,
               batch: int, link: bool) -> None:
    """Extract quotations and store them in the database.

    Reads the same inputs as `extract`, stores articles, quotes and speakers, then links the new
    quotes across articles.

    Idempotent: articles already stored with the same content are skipped before extraction (an
    interrupted run resumes where it stopped); an article whose id is stored with other text is
    replaced. A run that reads no article creates no database. The exit code is 1 when a bad input
    was skipped.

    \b
    Examples:
      quotetrail ingest examples/articles --db quotes.db
      quotetrail ingest 'crawl/*.warc.gz' --db crawl.db -j 0
      quotetrail ingest --input dump.jsonl --no-link && quotetrail link
    """
    from ..corpus import ingest_articles  # spaCy loads here, not at `quotetrail --help`

    tally = Tally()

    def counted(items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
        for item in items:  # the readers' skips are counted here, the articles once dealt with
            if isinstance(item, Skipped):
                tally.add(item)
            yield item

    items = counted(read_paths(require_inputs(paths, inputs), split=split, tally=tally))
    head = _first_article(items)
    if not any(isinstance(item, Article) for item in head):
        report([s for s in head if s.bad], f"{tally.summary()}; nothing to store, {db_path} left as it was")
        sys.exit(1 if tally.bad else 0)
    with open_store(db_path, create=True) as store:
        store.batch_size = batch
        try:
            with Progress("ingesting", "articles", quotes=0, skipped=0) as bar:
                result = ingest_articles(store, chain(head, items), jobs=jobs, on_item=_counter(bar, tally), link=False)
            if link:
                link_all(store)
        except KeyboardInterrupt:
            note(f"interrupted; what was stored in {db_path} stays, run again to resume")
            sys.exit(130)
        clusters = store.cluster_count()
        lapsed = [row for row in store.corrections() if row["id"] in set(result.lapsed)]
    for s in result.skipped:
        if s.kind == "failed extraction":
            tally.add(s)
    report([s for s in result.skipped if s.bad], tally.summary(), tally.warnings)
    note(f"{result.summary()}, {plural(clusters, 'cluster')} in {db_path}")
    for row in lapsed:
        note(f"warning: correction {row['id']} no longer applies ({row['target']}: {row['changed']}): its "
             f"{'quote' if row['article_id'] else 'speakers'} not in the database now; kept (quotetrail corrections)")
    sys.exit(1 if tally.bad else 0)


def _counter(bar: Progress, tally: Tally):
    """`on_item` of `ingest_articles`: each article dealt with counted in the tally and on the live line."""
    def on_item(item: tuple | Article | Skipped) -> None:
        if isinstance(item, Skipped):
            bar.advance(skipped=1)
            return
        article, quotes = item if isinstance(item, tuple) else (item, [])
        tally.add(article)
        bar.advance(quotes=len(quotes))
    return on_item


@click.command("search")
@click.argument("query", required=False, type=TEXT)
@db_option
@click.option("--speaker", type=TEXT,
              help="Any name or alias of the speaker (case and accents ignored; a surname: all with it).")
@click.option("--outlet", type=TEXT, help="The outlet as stored, or the domain of the article's url (bbc.co.uk).")
@click.option("--since", type=TEXT, metavar="YYYY-MM-DD", help="Articles dated on or after this day.")
@click.option("--until", type=TEXT, metavar="YYYY-MM-DD", help="Articles dated on or before this day.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed", "other"]))
@click.option("--venue", type=TEXT, help="Where it was said, e.g. 'Al Jazeera'.")
@min_confidence_option
@limit_option()
@format_option()
def search_cmd(query: str | None, db_path: str, limit: int, fmt: str, **filters) -> None:
    """Search the quoted words.

    Best match first (newest first without a query), filtered by speaker, outlet, date, kind and
    venue.

    Plain words must all occur (English stems: `ceasefires` finds `ceasefire`); FTS5 syntax (OR,
    NOT, NEAR, "a phrase", prefix*) works too. Matched words are bold in the table and `[word]`
    in the `highlight` field of jsonl/csv/json rows.

    \b
    Examples:
      quotetrail search ceasefire --speaker Aliyev --since 2020-10-01
      quotetrail search '"no more money"' --format csv > money.csv
      quotetrail search --outlet bbc.co.uk --limit 0 --min-confidence 0.7 --format jsonl
    """
    with open_store(db_path) as store:
        rows = store.search(query, limit=limit or None, **filters)
        total = store.count(query, **filters) if limit and len(rows) == limit else len(rows)
    if fmt != "table":
        for row in rows:
            row["highlight"] = marked(row["highlight"]) if query else row["text"]
    emit(rows, fmt, SEARCH_COLUMNS, fields=[*EXPORT_COLUMNS, "highlight"])
    shown = f"{len(rows):,} of {total:,} quotes (--limit 0 for all)" if total > len(rows) else plural(total, "quote")
    note(shown)


@click.command("show")
@click.argument("item_id", metavar="ID", type=TEXT)
@db_option
@click.option("--article", "as_article", is_flag=True, help="ID is an article id (for article ids made of digits).")
def show_cmd(item_id: str, db_path: str, as_article: bool) -> None:
    """Show a quote, a cluster's trail or an article.

    A quote (its number) in its article, two sentences either side; a cluster (c12) as its trail:
    speaker, venue, dates, each outlet's first report, then each report in time order with its
    relation and its words against its base; an article (its id) with its quotes marked.

    \b
    Examples:
      quotetrail show 86
      quotetrail show c2
      quotetrail show 907e2e48adaaf0cd
    """
    with open_store(db_path) as store:
        article = store.article(item_id)
        lines = article_view(article) if article else None
        if not (as_article or article):
            number = id_number(item_id)
            cluster = cluster_number(item_id) if item_id.strip()[:1] in ("c", "C") else None
            if number is not None:
                found = store.quote(number)
                lines = quote_in_context(found) if found else None
            elif cluster is not None:
                found = store.cluster(cluster)
                lines = trail(found) if found else None
    if not lines:
        raise QuotetrailError(f"no quote, cluster or article with id {item_id!r} in {db_path}")
    view = console()
    for line in lines:
        view.print(line)


@click.command("stats")
@db_option
@format_option("table", "json", "jsonl", default="json")
def stats_cmd(db_path: str, fmt: str) -> None:
    """Count articles, quotes and speakers.

    Also quotes by kind, speakers by kind, the date range and articles by outlet.

    \b
    Examples:
      quotetrail stats --db quotes.db
      quotetrail stats --format json | jq .quotes
    """
    with open_store(db_path) as store:
        stats = store.stats()
    if fmt == "table":
        emit([{"key": k, "value": v if not isinstance(v, dict) else ", ".join(f"{a}: {b}" for a, b in v.items())}
              for k, v in stats.items()], fmt, STATS_COLUMNS)
    elif fmt == "jsonl":
        emit([stats], fmt)
    else:
        emit_object(stats)


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "parquet"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file [default: stdout].")
@min_confidence_option
def export_cmd(db_path: str, fmt: str, output: str | None, min_confidence: float | None) -> None:
    """Export every quote with its metadata.

    The rows of `search` without `highlight`: each quote with its article's metadata, its speaker,
    cluster and relation, streamed; parquet needs -o.

    A file given with -o is written whole or not at all (a temporary file renamed at the end).

    \b
    Examples:
      quotetrail export --db quotes.db > quotes.jsonl
      quotetrail export --format parquet -o quotes.parquet
    """
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet needs -o FILE")
    if output and _is_database(output, db_path):
        raise QuotetrailError(f"{output}: that is the database itself (or its journal); choose another output file")
    with open_store(db_path) as store:
        if not output:
            emit(store.export(min_confidence), fmt, fields=EXPORT_COLUMNS)
            return
        with _replacing(output) as scratch:
            if fmt == "parquet":
                _write_parquet(store.export(min_confidence), scratch)
            else:
                with open(scratch, "w", encoding="utf-8", newline="") as out:
                    emit(store.export(min_confidence), fmt, fields=EXPORT_COLUMNS, out=out)


def _is_database(output: str, db_path: str) -> bool:
    """Whether `output` names the database file or its `-wal`/`-shm` (by path, link or hard link)."""
    target = os.path.realpath(output)
    for path in (db_path, db_path + "-wal", db_path + "-shm"):
        if target == os.path.realpath(path):
            return True
        try:
            if os.path.samefile(output, path):
                return True
        except OSError:
            pass
    return False


@contextmanager
def _replacing(output: str) -> Iterator[str]:
    """A scratch path for `output`. A regular file (or a new one) is written beside it and renamed
    over it when the block succeeds (a symbolic link keeps pointing at the new file); a device or a
    pipe (`/dev/null`, `/dev/full`) is never replaced: the scratch file, written in the temporary
    directory, is copied into it. On failure the scratch file goes and `output` is left as it was."""
    target = Path(os.path.realpath(output))
    special = target.exists() and not target.is_file()
    try:
        fd, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=None if special else target.parent)
    except OSError as exc:
        raise QuotetrailError(f"{output}: cannot write there ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        yield scratch
        if special:
            with open(scratch, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            os.chmod(scratch, _mode_for(target))
            os.replace(scratch, target)
    except OSError as exc:
        raise QuotetrailError(f"{output}: cannot write ({exc.strerror or exc}); left as it was") from None
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def _mode_for(target: Path) -> int:
    """The permissions the output file keeps: those of the file it replaces, else the umask's."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_parquet(rows: Iterable[dict], path: str) -> None:
    """Quote rows as one Parquet table (lists and objects as JSON strings)."""
    import pyarrow as pa  # loaded only for parquet: it takes a quarter of a second
    import pyarrow.parquet as pq

    records = [{k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()} for row in rows]
    empty = pa.table({c: pa.array([], pa.string()) for c in EXPORT_COLUMNS})
    table = pa.Table.from_pylist(records) if records else empty
    pq.write_table(table, path)


@click.command("delete")
@click.argument("article_ids", nargs=-1, required=True, metavar="ARTICLE_ID...", type=TEXT)
@db_option
def delete_cmd(article_ids: tuple[str, ...], db_path: str) -> None:
    """Delete articles and their quotes.

    Their reports leave their clusters, and a cluster left with fewer than two articles goes. The
    exit code is 1 when an id was not stored.

    \b
    Examples:
      quotetrail delete 907e2e48adaaf0cd --db quotes.db
    """
    wanted = len(set(article_ids))
    with open_store(db_path) as store:
        deleted = store.delete(article_ids)
    note(f"deleted {deleted} of {plural(wanted, 'article')} from {db_path}")
    sys.exit(0 if deleted == wanted else 1)
