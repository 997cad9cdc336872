"""The quote-database commands of `quotetrail`: ingest, search, speakers, show, stats, export, delete.

A thin layer over `QuoteStore`; registered on the `main` group of `cli`.
"""
from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from .cli import _report, err, main
from .corpus import ingest_articles
from .ingest import Skipped, Tally, read_paths
from .store import IngestReport, QuoteStore, StoreError
from .store import query as qry
from .store.query import EXPORT_COLUMNS
from .store.trails import cluster_number

DB_OPTION = click.option("--db", "db_path", default="quotetrail.db", show_default=True, metavar="FILE",
                         envvar="QUOTETRAIL_DB", help="The quote database (SQLite) [env: QUOTETRAIL_DB].")
FORMATS = {"table": "a rich table", "jsonl": "one JSON object per line", "csv": "CSV with a header"}


class _Exit2(click.ClickException):
    """A database problem: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"quotetrail: error: {self.message}", err=True)


def _open(db_path: str, create: bool = False) -> QuoteStore:
    try:
        return QuoteStore(db_path, create=create)
    except StoreError as exc:
        raise _Exit2(str(exc)) from None


def _console() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=120)


def _ingest_progress(store: QuoteStore, sources: Iterable, jobs: int, tally: Tally) -> IngestReport:
    """Run `ingest_articles`, counting into `tally`; a live line of rates on a terminal only."""
    counts = {"articles": 0, "quotes": 0, "skipped": 0}
    started = time.perf_counter()

    def on_item(item) -> None:
        if isinstance(item, Skipped):
            counts["skipped"] += 1
        else:
            article, quotes = item if isinstance(item, tuple) else (item, [])
            tally.add(article)
            counts["articles"] += 1
            counts["quotes"] += len(quotes)
        if bar is not None:
            rate = counts["articles"] / max(time.perf_counter() - started, 1e-9)
            bar.update(task, advance=1, rate=f"{rate:.1f}", **{k: v for k, v in counts.items() if k != "articles"})

    def counted(items: Iterable) -> Iterator:
        for item in items:  # skips from the readers are counted in the tally here, as in `extract`
            if isinstance(item, Skipped):
                tally.add(item)
            yield item

    bar = task = None
    if not err.is_terminal:
        return ingest_articles(store, counted(sources), jobs=jobs, on_item=on_item, link=False)
    columns = (TextColumn("ingesting"), BarColumn(), TextColumn("{task.completed} articles, {task.fields[rate]}/s, "
               "{task.fields[quotes]} quotes, {task.fields[skipped]} skipped"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None, rate="0.0", quotes=0, skipped=0)
        return ingest_articles(store, counted(sources), jobs=jobs, on_item=on_item, link=False)


def link_with_progress(store: QuoteStore) -> int:
    """`store.link()`, with a progress bar on a terminal; return the number of quotes linked."""
    pending = store.linker.pending()
    if not pending or not err.is_terminal:
        return store.link()
    columns = (TextColumn("linking"), BarColumn(), MofNCompleteColumn(), TextColumn("quotes"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("link", total=pending)
        return store.link(on_batch=lambda n: bar.update(task, advance=n))


@main.command("ingest")
@click.argument("paths", nargs=-1, type=str)
@click.option("--input", "inputs", multiple=True, metavar="FILE.jsonl", help="JSONL file with one article per line.")
@click.option("--split/--no-split", default=None,
              help="Split merged articles [default: texts, HTML and WARC pages yes; JSONL/CSV records no].")
@DB_OPTION
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction [default: the number of cores].")
@click.option("--batch", type=click.IntRange(min=1), default=50, show_default=True,
              help="Articles per transaction.")
@click.option("--link/--no-link", default=True, show_default=True,
              help="Link the new quotes into clusters of reports of one utterance.")
def ingest_cmd(paths: tuple[str, ...], inputs: tuple[str, ...], split: bool | None, db_path: str,
               jobs: int | None, batch: int, link: bool) -> None:
    """Extract quotations from the same inputs as `extract` and store them in the database.

    Idempotent: articles already stored with the same content are skipped (an interrupted run
    resumes where it stopped); an article whose id is stored with other text is replaced.
    Exit code 1 when a bad input was skipped, 2 for a database that cannot be used.
    """
    if not paths and not inputs:
        raise click.UsageError("give at least one PATH, `-` for stdin, or --input FILE.jsonl")
    store = _open(db_path, create=True)
    store.batch_size = batch
    tally = Tally()
    try:
        report = _ingest_progress(store, read_paths([*paths, *inputs], split=split, tally=tally),
                                  jobs or os.cpu_count() or 1, tally)
        if link:
            link_with_progress(store)
        clusters = len(store.clusters())
    except sqlite3.Error as exc:
        raise _Exit2(f"{db_path}: {exc}") from None
    except KeyboardInterrupt:
        click.echo(f"quotetrail: interrupted; what was stored in {db_path} stays, run again to resume", err=True)
        sys.exit(130)
    finally:
        store.close()
    for s in report.skipped:
        if s.kind == "failed extraction":
            tally.add(s)
    _report([s for s in report.skipped if s.bad], tally)
    click.echo(f"quotetrail: {report.summary()}, {clusters} cluster{'s' * (clusters != 1)} in {db_path}", err=True)
    sys.exit(1 if tally.bad else 0)


def _rows_out(rows: list[dict], fmt: str, columns: list[str]) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()})


def _rich_marked(highlighted: str) -> str:
    return qry.marked(escape(highlighted), "[bold yellow]", "[/bold yellow]")


@main.command("search")
@click.argument("query", required=False)
@DB_OPTION
@click.option("--speaker", help="Any name or alias of the speaker (case and accents ignored).")
@click.option("--outlet", help="Outlet domain, e.g. bbc.co.uk.")
@click.option("--since", metavar="YYYY-MM-DD", help="Articles dated on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Articles dated on or before this day.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed", "other"]))
@click.option("--venue", help="Where it was said, e.g. 'Al Jazeera'.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="Output format [default: table on a terminal, jsonl otherwise].")
def search_cmd(query: str | None, db_path: str, fmt: str | None, **filters) -> None:
    """Search the quoted words (best match first) and filter by speaker, outlet, date, kind, venue.

    Plain words must all occur; FTS5 syntax (OR, NOT, NEAR, "a phrase", prefix*) works too.
    """
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    with _open(db_path) as store:
        try:
            rows = store.search(query, **filters)
        except StoreError as exc:
            raise _Exit2(str(exc)) from None
    if fmt != "table":
        for row in rows:
            row["highlight"] = qry.marked(row["highlight"]) if query else row["text"]
        _rows_out(rows, fmt, EXPORT_COLUMNS + ["highlight"])
        return
    table = Table(expand=True)
    for name, style in (("id", "dim"), ("date", ""), ("outlet", "cyan"), ("speaker", "bold"), ("kind", ""),
                        ("venue", "cyan")):
        table.add_column(name, style=style, max_width=22)
    table.add_column("quote", ratio=1, min_width=40)
    for row in rows:
        table.add_row(str(row["quote_id"]), row["date"] or "", row["outlet"] or "", escape(row["speaker"] or "?"),
                      row["kind"], escape(row["venue"] or ""), _rich_marked(row["highlight"]))
    _console().print(table)
    click.echo(f"quotetrail: {len(rows)} quote{'s' * (len(rows) != 1)}", err=True)


@main.command("speakers")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default=None,
              help="Output format [default: table on a terminal, jsonl otherwise].")
def speakers_cmd(db_path: str, fmt: str | None) -> None:
    """List speakers (people and organisations) with quote counts, aliases and outlets."""
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    with _open(db_path) as store:
        rows = store.speakers()
    if fmt == "jsonl":
        _rows_out(rows, fmt, [])
        return
    table = Table(expand=True)
    for name in ("id", "speaker", "kind", "quotes", "aliases", "outlets"):
        table.add_column(name)
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["kind"], str(r["quotes"]), escape("; ".join(r["aliases"])),
                      ", ".join(r["outlets"]))
    _console().print(table)


@main.command("show")
@click.argument("item_id")
@DB_OPTION
@click.option("--article", "as_article", is_flag=True, help="ID is an article id (for article ids made of digits).")
def show_cmd(item_id: str, db_path: str, as_article: bool) -> None:
    """Show a quote in its article context (ids are numbers), a cluster's trail (ids like c12), or an
    article with its quotes marked."""
    with _open(db_path) as store:
        article = store.article(item_id)
        found = cluster = None
        if not (as_article or article):
            if item_id.isdigit():
                found = store.quote(int(item_id))
            elif cluster_number(item_id) is not None:
                cluster = store.cluster(item_id)
    console = _console()
    if cluster:
        from .cli_links import print_trail  # noqa: PLC0415  (cli_links imports this module)
        print_trail(console, cluster)
        return
    if found:
        start, end = found["content_spans"][0][0], found["content_spans"][-1][1]
        text = found["article_text"]
        lo, hi = _sentences_around(text, start, end)
        console.print(f"[bold]{escape(found['speaker'] or '?')}[/] ({found['kind']}) — "
                      f"{escape(found['title'] or found['article_id'])} {found['outlet'] or ''} {found['date'] or ''}")
        console.print(_mark_spans(text, found["content_spans"], lo, hi))
        return
    if not article:
        raise _Exit2(f"no quote, cluster or article with id {item_id!r} in {db_path}")
    console.print(f"[bold]{escape(article['title'] or article['id'])}[/] {article['outlet'] or ''} "
                  f"{article['date'] or ''} {article['url'] or ''}")
    spans = [s for quote in article["quotes"] for s in quote["content_spans"]]
    console.print(_mark_spans(article["text"], spans, 0, len(article["text"])))
    for quote in article["quotes"]:
        console.print(f"[dim]{quote['quote_id']}[/] [bold]{escape(quote['speaker'] or '?')}[/] {quote['kind']}: "
                      f"{escape(quote['text'][:120])}")


def _sentences_around(text: str, start: int, end: int, n: int = 2) -> tuple[int, int]:
    """Offsets of `n` sentences before `start` and after `end` (sentence ends: `.!?` and a space, or a newline)."""
    ends = [m.end() for m in re.finditer(r"[.!?…][”\"’']?\s+|\n+", text)]
    before = [e for e in ends if e <= start]
    after = [e for e in ends if e > end]
    lo = before[-n - 1] if len(before) > n else 0
    hi = after[n - 1] if len(after) >= n else len(text)
    return lo, hi


def _mark_spans(text: str, spans: list, lo: int, hi: int) -> str:
    """Rich markup of text[lo:hi] with the spans in bold yellow."""
    out, at = [], lo
    for s, e in sorted((max(s, lo), min(e, hi)) for s, e in spans if e > lo and s < hi):
        if s < at:
            continue
        out += [escape(text[at:s]), "[bold yellow]", escape(text[s:e]), "[/bold yellow]"]
        at = e
    return "".join([*out, escape(text[at:hi])]).strip()


@main.command("stats")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default=None,
              help="Output format [default: table on a terminal, json otherwise].")
def stats_cmd(db_path: str, fmt: str | None) -> None:
    """Counts of articles, quotes and speakers; quotes by kind; date range; articles by outlet."""
    with _open(db_path) as store:
        stats = store.stats()
    if (fmt or ("table" if sys.stdout.isatty() else "json")) == "json":
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    table = Table(show_header=False)
    for key, value in stats.items():
        table.add_row(key, escape(json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)))
    _console().print(table)


@main.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Output file [default: stdout].")
def export_cmd(db_path: str, fmt: str, output: str | None) -> None:
    """Export every quote with its article metadata (jsonl, csv, or parquet with -o)."""
    with _open(db_path) as store:
        if fmt == "parquet":
            if not output:
                raise click.UsageError("--format parquet needs -o FILE")
            _write_parquet(store.export(), output)
            return
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if fmt == "csv":
                writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
                writer.writeheader()
            for row in store.export():
                if fmt == "jsonl":
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                else:
                    writer.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()})
        finally:
            if output:
                out.close()


def _write_parquet(rows: Iterator[dict], output: str) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise click.ClickException("--format parquet needs pyarrow: pip install 'pyarrow==26.0.1'") from None
    records = [{k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]
    table = pa.Table.from_pylist(records) if records else pa.table({c: pa.array([], pa.string()) for c in EXPORT_COLUMNS})
    pq.write_table(table, output)


@main.command("delete")
@click.argument("article_ids", nargs=-1, required=True)
@DB_OPTION
def delete_cmd(article_ids: tuple[str, ...], db_path: str) -> None:
    """Delete articles with their quotes; their reports leave their clusters."""
    with _open(db_path) as store:
        deleted = store.delete(article_ids)
    click.echo(f"quotetrail: deleted {deleted} of {len(set(article_ids))} article{'s' * (len(set(article_ids)) != 1)} "
               f"from {db_path}", err=True)
    sys.exit(0 if deleted == len(set(article_ids)) else 1)
