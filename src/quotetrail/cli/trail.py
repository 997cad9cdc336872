"""The cross-article commands: link, clusters, eval-links."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from ..evaluate import evaluate_links, read_jsonl
from ..ingest import read_paths
from .database import link_all, open_store
from .options import TEXT, db_option, format_option, jobs_option, limit_option
from .output import QuotetrailError, console, emit, emit_object, note, plural
from .render import CLUSTER_COLUMNS, links_metrics_table


@click.command("link")
@db_option
def link_cmd(db_path: str) -> None:
    """Link new quotes into clusters.

    The quotes not linked yet join the clusters of reports of one utterance (`ingest` does this
    at its end unless --no-link). Incremental: each quote is indexed once.

    \b
    Examples:
      quotetrail link --db quotes.db
    """
    with open_store(db_path) as store:
        linked = link_all(store)
        clusters = store.cluster_count()
    note(f"linked {plural(linked, 'new quote')}; {plural(clusters, 'cluster')} in {db_path}")


@click.command("clusters")
@db_option
@click.option("--speaker", type=TEXT, help="Only clusters of this speaker (any name or alias).")
@click.option("--min-size", type=click.IntRange(min=2), default=2, show_default=True, help="Fewest reports.")
@limit_option(default=0, rows="clusters")
@format_option()
def clusters_cmd(db_path: str, speaker: str | None, min_size: int, limit: int, fmt: str) -> None:
    """List the clusters of reports of one utterance.

    Largest first: speaker, venue, first date, reports, outlets, how many were altered, and the
    reference wording (as JSON also the last date and each outlet's first report).

    \b
    Examples:
      quotetrail clusters --db quotes.db
      quotetrail clusters --speaker Koval --format jsonl | jq .members[].relation
    """
    with open_store(db_path) as store:
        rows = store.clusters(speaker=speaker, min_size=min_size, limit=limit or None)
    emit(rows, fmt, CLUSTER_COLUMNS,
         fields=["cluster_id", "speaker", "speaker_id", "venue", "first_date", "last_date", "size", "outlets",
                 "first_reports", "members"])
    note(plural(len(rows), "cluster"))


@click.command("eval-links")
@click.argument("clusters_path", metavar="CLUSTERS.json", type=click.Path(dir_okay=False))
@click.argument("gold_path", metavar="GOLD.jsonl", type=click.Path(dir_okay=False))
@click.option("--db", "db_path", metavar="FILE", help="Keep the database built for the evaluation here.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@jobs_option
def eval_links_cmd(clusters_path: str, gold_path: str, db_path: str | None, as_json: bool, jobs: int) -> None:
    """Score linking against gold clusters.

    Ingests the gold articles (as `ingest --input` does: ids kept, `meta` read), links them and
    compares the clusters with CLUSTERS.json.

    Pairwise precision, recall and F1 over pairs of gold quotes placed in one cluster (quotes
    matched by content overlap as in `eval`), and the accuracy of each found member's relation.
    Pairs the gold lists under `within_article` are not scored.

    \b
    Examples:
      quotetrail eval-links ../shared/data/realworld/clusters.json ../shared/data/realworld/gold.jsonl
    """
    from ..corpus import ingest_articles  # spaCy loads here, not at `quotetrail --help`

    try:
        gold_doc = json.loads(Path(clusters_path).read_text(encoding="utf-8"))
        gold = read_jsonl(gold_path)
    except (OSError, ValueError) as exc:
        raise QuotetrailError(str(exc)) from None
    if not isinstance(gold_doc, dict) or not isinstance(gold_doc.get("clusters"), list):
        raise QuotetrailError(f"{clusters_path}: expected a JSON object with a \"clusters\" list")
    with tempfile.TemporaryDirectory() as scratch, open_store(db_path or str(Path(scratch) / "eval.db"),
                                                               create=True) as store:
        ingest_articles(store, read_paths([gold_path], split=False), jobs=jobs)
        predicted = store.clusters()
        stored = {str(g.get("id")): (store.article(str(g.get("id"))) or {}).get("quotes", []) for g in gold}
    try:
        metrics = evaluate_links(gold_doc, gold, stored, predicted)
    except (KeyError, TypeError, ValueError) as exc:
        raise QuotetrailError(f"{clusters_path}: a cluster member is not {{\"article\", \"quote\"}} ({exc})") from None
    if as_json:
        emit_object(metrics)
    else:
        console().print(links_metrics_table(metrics, clusters_path))
