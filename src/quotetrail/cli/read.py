"""The commands that read news without a database: `extract` and `eval`."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from ..evaluate import evaluate, predictions_by_id, read_jsonl
from ..ingest import Tally, read_paths
from ..model import Article, Skipped
from .options import conventions_option, format_option, input_options, jobs_option, min_confidence_option
from .output import Progress, QuotetrailError, console, emit, emit_object, report
from .render import EXTRACT_COLUMNS, metrics_table

# The CSV of `extract`: one row a quote, with its article's id and metadata.
EXTRACT_FIELDS = ["id", "origin", "url", "outlet", "date", "title", "kind", "speaker", "venue", "confidence",
                  "content_spans", "cue_span", "source_span", "text"]


def require_inputs(paths: tuple[str, ...], inputs: tuple[str, ...]) -> list[str]:
    """The names to read, or a usage error when there are none."""
    if not paths and not inputs:
        raise click.UsageError("give at least one PATH, `-` for stdin, or --input FILE")
    return [*paths, *inputs]


def extracted(items: Iterable[Article | Skipped], jobs: int, conventions: str = "news") -> Iterator:
    """`parallel.extract_articles` over `items`, counted on a live line on a terminal."""
    from ..parallel import default_jobs, extract_articles  # spaCy loads here, not at `quotetrail --help`

    with Progress("extracting", "articles") as bar:
        for result in extract_articles(items, jobs=jobs or default_jobs(), conventions=conventions):
            bar.advance()
            yield result


@click.command("extract")
@input_options
@format_option("table", "jsonl", "json", "csv")
@jobs_option
@conventions_option
@min_confidence_option
def extract_cmd(paths: tuple[str, ...], inputs: tuple[str, ...], split: bool | None, fmt: str, jobs: int,
                conventions: str, min_confidence: float | None) -> None:
    """Find quotations and their speakers in news articles.

    Reads text, HTML, WARC, JSONL and CSV files (gzipped too), directories, glob patterns, `-`
    (stdin) or --input files.

    Writes one JSONL line per article, in input order, with its id, metadata, text and quotes
    (csv: one row a quote). Bad inputs are reported on stderr, one line each, and skipped; a
    summary line follows. The exit code is 1 when a bad input was skipped (not for ordinary
    non-article WARC records).

    \b
    Examples:
      quotetrail extract article.txt
      quotetrail extract 'crawl/*.warc.gz' --format jsonl > quotes.jsonl
      cat page.html | quotetrail extract - --format csv --min-confidence 0.7
    """
    tally = Tally()
    skipped: list[Skipped] = []

    def rows() -> Iterator[dict]:
        for result in extracted(read_paths(require_inputs(paths, inputs), split=split, tally=tally), jobs, conventions):
            tally.add(result if isinstance(result, Skipped) else result[0])
            if isinstance(result, Skipped):
                skipped.extend([result] if result.bad else [])
                continue
            article, quotes = result
            quotes = [q for q in quotes if min_confidence is None or q.confidence >= min_confidence]
            if fmt in ("jsonl", "json"):
                yield {"id": article.id, **article.header(), "text": article.text,
                       "quotes": [q.to_json() for q in quotes]}
                continue
            about = {"id": article.id, **article.header(), "article": Path(article.origin or article.id).name}
            yield from ({**about, **q.to_json()} for q in quotes)

    emit(rows(), fmt, EXTRACT_COLUMNS, fields=EXTRACT_FIELDS)
    report(skipped, tally.summary(), tally.warnings)
    sys.exit(1 if tally.bad else 0)


@click.command("eval")
@click.argument("gold_path", metavar="GOLD.jsonl", type=click.Path(dir_okay=False))
@click.option("--pred", "pred_path", metavar="PRED.jsonl", type=click.Path(dir_okay=False),
              help="Score these predictions (the `extract` JSONL) instead of extracting from the gold texts.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@jobs_option
@conventions_option
def eval_cmd(gold_path: str, pred_path: str | None, as_json: bool, jobs: int, conventions: str) -> None:
    """Score extraction against a gold JSONL file.

    Prints role P/R/F1 (content, source, cue; exact and overlap), quote P/R/F1, speaker accuracy,
    attributed F1 (the headline figure) and recall by kind.

    The gold format and the metrics are those of the project's DESIGN.md; the throughput of the
    extraction goes to stderr. --conventions is the extraction's (not used with --pred): score
    PolNeAR with `--conventions polnear`, news annotated with the project's guidelines with `news`.

    \b
    Examples:
      quotetrail eval ../shared/data/realworld2/gold.jsonl
      quotetrail eval ../shared/data/polnear/dev.jsonl --conventions polnear
      quotetrail extract --input gold.jsonl > pred.jsonl && quotetrail eval gold.jsonl --pred pred.jsonl --json
    """
    try:
        gold = read_jsonl(gold_path)
        predictions = predictions_by_id(read_jsonl(pred_path)) if pred_path else None
    except (OSError, ValueError) as exc:
        raise QuotetrailError(str(exc)) from None
    seconds = 0.0
    if predictions is None:
        start = time.perf_counter()
        articles = [Article(id=str(g.get("id")), text=g.get("text") or "") for g in gold]
        predictions = {r[0].id: [q.to_json() for q in r[1]] for r in extracted(articles, jobs, conventions)
                       if not isinstance(r, Skipped)}
        seconds = time.perf_counter() - start
    metrics = evaluate(gold, predictions)
    if seconds:
        metrics["seconds"] = round(seconds, 2)
        metrics["articles_per_second"] = round(len(gold) / seconds, 2)
    if as_json:
        emit_object(metrics)
    else:
        console().print(metrics_table(metrics, title=gold_path))
    if seconds:
        click.echo(f"{len(gold)} articles in {seconds:.1f} s ({len(gold) / seconds:.1f} articles/s)", err=True)

