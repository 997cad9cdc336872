"""The `quotetrail` command line: a thin layer over the Python API."""
from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import evaluate as ev
from .ingest import Skipped, Tally, read_paths
from .model import Article, Quote
from .parallel import Result, default_jobs, extract_articles

err = Console(stderr=True, highlight=False)


def _progress(results: Iterator[Result], label: str) -> Iterator[Result]:
    """Yield `results` as they come, counting them on an interactive stderr only.

    The input is a stream of unknown length, so the bar shows the count, the rate
    and the time elapsed rather than a share of a total.
    """
    if not err.is_terminal:
        yield from results
        return
    columns = (SpinnerColumn(), TextColumn(label), TextColumn("{task.completed} articles"),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None, rate="")
        for n, result in enumerate(results, start=1):
            elapsed = bar.tasks[0].elapsed or 0.0
            bar.update(task, completed=n, rate=f"{n / elapsed:.1f}/s" if elapsed else "")
            yield result


def _extract_all(articles: Iterable[Article | Skipped], label: str, jobs: int = 1) -> Iterator[Result]:
    return _progress(extract_articles(articles, jobs=jobs), label)


def _report(skipped: list[Skipped], tally: Tally) -> None:
    """One stderr line per bad input and per warning, then the summary line."""
    for s in skipped:
        click.echo(f"quotetrail: skipped {s}", err=True)
    for warning in tally.warnings:
        click.echo(f"quotetrail: warning: {warning}", err=True)
    click.echo(f"quotetrail: {tally.summary()}", err=True)


def _table(rows: list[tuple[Article, list[Quote]]]) -> Table:
    table = Table(show_lines=False, expand=True)
    table.add_column("article", style="dim", max_width=18, overflow="ellipsis", no_wrap=True)
    table.add_column("speaker", style="bold", max_width=22)
    table.add_column("kind", no_wrap=True)
    table.add_column("venue", style="cyan", max_width=16)
    table.add_column("quote", ratio=1, min_width=40)
    for article, quotes in rows:
        for q in quotes:
            words = q.text if len(q.text) <= 240 else q.text[:237] + "…"
            table.add_row(Path(article.origin or article.id).name, q.speaker or "?", q.kind, q.venue or "", words)
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quotetrail")
def main() -> None:
    """Who said what, where and when: find and attribute quotations in news articles."""


@main.command("extract")
@click.argument("paths", nargs=-1, type=str)
@click.option("--input", "inputs", multiple=True, metavar="FILE.jsonl",
              help="JSONL file with one article per line (`id`, `text`, optional `url`, `outlet`, `date`, `title`).")
@click.option("--split/--no-split", default=None,
              help="Split merged articles [default: texts, HTML and WARC pages yes; JSONL/CSV records no].")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default=None,
              help="Output format [default: table on a terminal, jsonl otherwise].")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes, forked with the model loaded (its pages shared, about 250 MB RSS each); 0: one per core.")
def extract_cmd(paths: tuple[str, ...], inputs: tuple[str, ...], split: bool | None, fmt: str | None, jobs: int) -> None:
    """Extract quotations from text, HTML, WARC, JSONL and CSV files (gzipped too), directories,
    glob patterns, `-` (stdin) or --input files.

    Writes one JSONL line per article, in input order, with the article's id and text.
    Bad inputs are reported on stderr, one line each, and skipped; a summary line follows.
    The exit code is 1 when a bad input was skipped (not for ordinary non-article WARC records).
    """
    if not paths and not inputs:
        raise click.UsageError("give at least one PATH, `-` for stdin, or --input FILE.jsonl")
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    tally = Tally()
    sources = read_paths([*paths, *inputs], split=split, tally=tally)
    skipped: list[Skipped] = []
    rows: list[tuple[Article, list[Quote]]] = []
    for result in _extract_all(sources, "extracting", jobs=jobs or default_jobs()):
        tally.add(result if isinstance(result, Skipped) else result[0])
        if isinstance(result, Skipped):
            skipped += [result] if result.bad else []
            continue
        article, quotes = result
        if fmt == "jsonl":
            line = {"id": article.id, **article.header(), "text": article.text, "quotes": [q.to_json() for q in quotes]}
            click.echo(json.dumps(line, ensure_ascii=False))
        else:
            rows.append(result)
    if fmt == "table":
        console = Console()
        if not console.is_terminal:
            console = Console(width=120)  # a readable table in a pipe or a log
        console.print(_table(rows))
    _report(skipped, tally)
    sys.exit(1 if tally.bad else 0)


@main.command("eval")
@click.argument("gold_path", metavar="GOLD.jsonl", type=click.Path(dir_okay=False))
@click.option("--pred", "pred_path", metavar="PRED.jsonl", type=click.Path(dir_okay=False),
              help="Score these predictions instead of running extraction on the gold texts.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def eval_cmd(gold_path: str, pred_path: str | None, as_json: bool) -> None:
    """Score extraction against a gold JSONL file (every metric of DESIGN.md)."""
    try:
        gold = ev.read_jsonl(gold_path)
        if pred_path:
            predictions = ev.predictions_by_id(ev.read_jsonl(pred_path))
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    seconds = 0.0
    if not pred_path:
        articles = [Article(id=str(g.get("id")), text=g.get("text") or "") for g in gold]
        start = time.perf_counter()
        predictions = {a.id: [q.to_json() for q in quotes]
                       for a, quotes in _extract_all(articles, "evaluating")}
        seconds = time.perf_counter() - start
    metrics = ev.evaluate(gold, predictions)
    if seconds:
        metrics["seconds"] = round(seconds, 2)
        metrics["articles_per_second"] = round(len(gold) / seconds, 2)
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
        return
    Console().print(ev.render_table(metrics, title=gold_path))
    if seconds:
        click.echo(f"{len(gold)} articles in {seconds:.1f} s ({len(gold) / seconds:.1f} articles/s)", err=True)


from . import cli_links, cli_store  # noqa: E402,F401  (register the database and link commands)
