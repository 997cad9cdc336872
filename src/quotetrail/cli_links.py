"""The cross-article commands of `quotetrail`: link, clusters, eval-links, and the trail view of `show`.

A thin layer over `QuoteStore.link`, `.clusters` and `.cluster`; registered on the `main` group.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .cli import main
from .cli_store import DB_OPTION, _console, _open, _rows_out, link_with_progress
from .corpus import ingest_articles
from .evaluate import read_jsonl
from .evaluate_links import evaluate_links
from .ingest import read_paths
from .parallel import default_jobs
from .store import QuoteStore

_SMALL = 4  # words: a change this small is shown with the words it replaced
_RELATION_STYLE = {"primary": "bold green", "verbatim": "green", "trimmed": "cyan", "reworded": "yellow",
                   "paraphrase": "magenta"}


@main.command("link")
@DB_OPTION
def link_cmd(db_path: str) -> None:
    """Link quotes not linked yet into clusters of reports of the same utterance (`ingest` does this too)."""
    with _open(db_path) as store:
        linked = link_with_progress(store)
        clusters = len(store.clusters())
    click.echo(f"quotetrail: linked {linked} new quote{'s' * (linked != 1)}; {clusters} "
               f"cluster{'s' * (clusters != 1)} in {db_path}", err=True)


@main.command("clusters")
@DB_OPTION
@click.option("--speaker", help="Only clusters of this speaker (any name or alias).")
@click.option("--min-size", type=click.IntRange(min=2), default=2, show_default=True, help="Fewest reports.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many clusters.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default=None,
              help="Output format [default: table on a terminal, jsonl otherwise].")
def clusters_cmd(db_path: str, speaker: str | None, min_size: int, limit: int | None, fmt: str | None) -> None:
    """List clusters: reports of one utterance in different articles, largest first."""
    with _open(db_path) as store:
        rows = store.clusters(speaker=speaker, min_size=min_size, limit=limit)
    if (fmt or ("table" if sys.stdout.isatty() else "jsonl")) == "jsonl":
        _rows_out(rows, "jsonl", [])
        return
    table = Table(expand=True)
    for name in ("cluster", "speaker", "venue", "first date", "reports", "outlets", "altered"):
        table.add_column(name, max_width=24)
    table.add_column("words (reference)", ratio=1, min_width=30)
    for row in rows:
        reference = next((m for m in row["members"] if m["base_id"] is None), row["members"][0])
        table.add_row(row["cluster_id"], escape(row["speaker"] or "?"), escape(row["venue"] or ""),
                      row["first_date"] or "", str(row["size"]), escape(", ".join(row["outlets"])),
                      str(sum(m["altered"] for m in row["members"])), escape(reference["text"][:160]))
    _console().print(table)
    click.echo(f"quotetrail: {len(rows)} cluster{'s' * (len(rows) != 1)}", err=True)


def print_trail(console: Console, cluster: dict) -> None:
    """The members of a cluster in time order, each with its relation and its words against its base."""
    outlets = len(cluster["outlets"])
    where = f" in {outlets} outlet{'s' * (outlets != 1)}" if outlets else ""
    console.print(f"[bold]{cluster['cluster_id']}[/] [bold]{escape(cluster['speaker'] or '?')}[/] — "
                  f"{escape(cluster['venue'] or 'venue unknown')} — first {cluster['first_date'] or 'undated'} — "
                  f"{cluster['size']} reports{where}")
    for m in cluster["members"]:
        style = _RELATION_STYLE.get(m["relation"], "")
        flags = "".join(f" [bold red]ALTERED {c['kind']}: {escape(c['was'] or '∅')} → {escape(c['now'] or '∅')}[/]"
                        for c in m["changes"])
        console.print(f"\n[{style}]{m['relation']}[/] [dim]{m['quote_id']}[/] {m['date'] or 'undated'} "
                      f"[cyan]{escape(m['outlet'] or '')}[/] {m['kind']}{flags} [dim]{escape(m['url'] or '')}[/]")
        console.print(_diff_markup(m["diff"]) if m.get("diff") else escape(m["text"]) + " [dim](reference)[/]")


def _diff_markup(diff: list) -> str:
    """Rich markup of a report against its base: shared words plain, its own words green, a small
    change shown with the base's words struck out in red, a cut as `…`."""
    out = []
    for i, (tag, was, now) in enumerate(diff):
        small = len(was.split()) <= _SMALL and len(now.split()) <= _SMALL
        if tag == "equal":
            out.append(escape(now))
        elif tag == "insert" or (tag == "replace" and not small):
            out.append(f"[green]{escape(now)}[/]")
        elif tag == "replace":
            out.append(f"[red strike]{escape(was)}[/] [green]{escape(now)}[/]")
        elif small and 0 < i < len(diff) - 1:
            out.append(f"[red strike]{escape(was)}[/]")
        else:
            out.append("[dim]…[/]")
    return " ".join(out)


@main.command("eval-links")
@click.argument("clusters_path", metavar="CLUSTERS.json", type=click.Path(dir_okay=False))
@click.argument("gold_path", metavar="GOLD.jsonl", type=click.Path(dir_okay=False))
@click.option("--db", "db_path", metavar="FILE", help="Keep the database built for the evaluation here.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def eval_links_cmd(clusters_path: str, gold_path: str, db_path: str | None, as_json: bool) -> None:
    """Score linking: ingest the gold articles (as `ingest --input`), link them and compare the clusters
    with CLUSTERS.json.

    Pairwise precision, recall and F1 over pairs of gold quotes placed in one cluster (quotes
    matched by content overlap as in `eval`), and the accuracy of each found member's relation.
    """
    try:
        gold_doc = json.loads(Path(clusters_path).read_text(encoding="utf-8"))
        gold = read_jsonl(gold_path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not isinstance(gold_doc, dict) or not isinstance(gold_doc.get("clusters"), list):
        raise click.ClickException(f"{clusters_path}: expected a JSON object with a \"clusters\" list")
    with tempfile.TemporaryDirectory() as scratch:
        with _open(db_path or str(Path(scratch) / "eval.db"), create=True) as store:
            ingest_articles(store, read_paths([gold_path], split=False), jobs=default_jobs())  # as `ingest --input`
            predicted = store.clusters()
            stored = {str(g.get("id")): (store.article(str(g.get("id"))) or {}).get("quotes", []) for g in gold}
    try:
        metrics = evaluate_links(gold_doc, gold, stored, predicted)
    except (KeyError, TypeError, ValueError) as exc:
        raise click.ClickException(f"{clusters_path}: a cluster member is not {{\"article\", \"quote\"}} ({exc})")
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
        return
    table = Table(title=clusters_path, show_header=False)
    pairwise = metrics["pairwise"]
    table.add_row("pairwise P / R / F1", " / ".join(f"{100 * pairwise[k]:.1f}%" for k in ("p", "r", "f1")))
    table.add_row("pairs gold / predicted / matched",
                  f"{metrics['gold_pairs']} / {metrics['predicted_pairs']} / {metrics['matched_pairs']}")
    accuracy = metrics["relation_accuracy"]
    table.add_row("relation accuracy", "–" if accuracy is None else
                  f"{100 * accuracy:.1f}% ({metrics['relations_right']} of {metrics['relations_judged']} found; "
                  f"{metrics['gold_members']} gold members)")
    table.add_row("clusters gold / predicted", f"{metrics['gold_clusters']} / {metrics['predicted_clusters']}")
    Console().print(table)

