"""How rows look on a terminal: tables fitted to its width, the trail of a cluster, a quote in its
article, and the evaluation report (rich markup throughout; rows come from the store as dicts)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..evaluate.quotes import ROLES
from ..store.passages import pieces, sentences_around, shown_diff, where
from ..store.query import marked

RELATION_STYLE = {"primary": "bold green", "verbatim": "green", "trimmed": "cyan", "reworded": "yellow",
                  "paraphrase": "magenta"}
QUOTE_CHARS = 240  # a longer quote is cut in a table
CORRECTED = "✎"  # beside a row a correction changed


@dataclass(frozen=True)
class Column:
    """One table column: its title, the cell of a row (rich markup), its style; `wide` for the
    quote, which keeps at least half of the table's width; `optional` for a column that is left
    out when the terminal is too narrow for every column to be NARROWEST wide; `wrap` False for a
    column cut with an ellipsis instead (file names, ids)."""

    title: str
    cell: Callable[[dict], str]
    style: str = ""
    wide: bool = False
    optional: bool = False
    wrap: bool = True


NARROWEST = 8  # characters a narrow column keeps (or its longest cell, if shorter)


def table(rows: Sequence[dict], columns: Sequence[Column], width: int) -> Table:
    """`rows` as a table of `columns` that fits `width`: the wide column keeps at least half of it,
    the others share the rest, each as wide as its longest cell if they all fit, else capped at one
    width and wrapped. Columns empty in every row are left out, and then optional ones, from the
    right, while the rest cannot all be NARROWEST wide."""
    cells = [[c.cell(row) for c in columns] for row in rows]  # by position: two columns may share a title
    keep = [i for i, c in enumerate(columns) if c.wide or not cells or any(line[i] for line in cells)]
    natural = {i: max([len(columns[i].title)] + [Text.from_markup(line[i]).cell_len for line in cells])
               for i in keep if not columns[i].wide}

    def budget() -> int:  # for the narrow columns; 3 per column: its padding and a rule
        return width - 3 * len(keep) - 1 - width // 2

    optional = [i for i in keep if columns[i].optional]
    while optional and sum(min(n, NARROWEST) for i, n in natural.items() if i in keep) > budget():
        keep.remove(optional.pop())
    cap = max((natural[i] for i in keep if i in natural), default=0)
    while cap > NARROWEST and sum(min(natural[i], cap) for i in keep if i in natural) > budget():
        cap -= 1
    out = Table(expand=True)
    for i in keep:
        c = columns[i]
        if c.wide:
            out.add_column(c.title, style=c.style, ratio=1)
        else:
            out.add_column(c.title, style=c.style, width=min(natural[i], cap),
                           overflow="fold" if c.wrap else "ellipsis", no_wrap=not c.wrap)
    for line in cells:
        out.add_row(*(line[i] for i in keep))
    return out


def text_cell(key: str, missing: str = "") -> Callable[[dict], str]:
    """A cell showing `row[key]` as plain text."""
    return lambda row: escape(str(row[key])) if row.get(key) not in (None, "") else missing


def where_cell(row: dict) -> str:
    """The outlet, else the file the article was read from (dimmed)."""
    shown = escape(where(row))
    return shown if row.get("outlet") or not shown else f"[dim]{shown}[/]"


def quote_cell(row: dict) -> str:
    """The quote, its matched words in bold yellow when it was searched, cut after QUOTE_CHARS."""
    words = row.get("highlight") or row["text"]
    if len(words) > QUOTE_CHARS:
        words = words[:QUOTE_CHARS - 1] + "…"
    return marked(escape(words), "[bold yellow]", "[/bold yellow]")


def corrected_cell(row: dict) -> str:
    """✎ for a row a correction changed (a column empty in every row is left out of a table)."""
    return CORRECTED if row.get("corrected") else ""


EXTRACT_COLUMNS = (Column("article", text_cell("article"), "dim", optional=True, wrap=False),
                   Column("speaker", text_cell("speaker", "?"), "bold"),
                   Column("kind", text_cell("kind"), optional=True),
                   Column("venue", text_cell("venue"), "cyan", optional=True), Column("quote", quote_cell, wide=True))
SEARCH_COLUMNS = (Column("id", text_cell("quote_id"), "dim"), Column("", corrected_cell, "yellow"),
                  Column("date", text_cell("date"), optional=True),
                  Column("outlet", where_cell, "cyan", optional=True, wrap=False),
                  Column("speaker", text_cell("speaker", "?"), "bold"),
                  Column("kind", text_cell("kind"), optional=True),
                  Column("venue", text_cell("venue"), "cyan", optional=True), Column("quote", quote_cell, wide=True))
SPEAKER_COLUMNS = (Column("id", text_cell("id"), "dim"), Column("", corrected_cell, "yellow"),
                   Column("speaker", text_cell("name"), "bold"),
                   Column("kind", text_cell("kind"), optional=True), Column("quotes", text_cell("quotes")),
                   Column("aliases", lambda r: escape("; ".join(r["aliases"])), wide=True),
                   Column("outlets", lambda r: escape(", ".join(r["outlets"])), optional=True))
CLUSTER_COLUMNS = (Column("cluster", text_cell("cluster_id")),
                   Column("", lambda r: CORRECTED if any(m["corrected"] for m in r["members"]) else "", "yellow"),
                   Column("speaker", text_cell("speaker", "?"), "bold"),
                   Column("venue", text_cell("venue"), "cyan", optional=True),
                   Column("first date", text_cell("first_date"), optional=True), Column("reports", text_cell("size")),
                   Column("outlets", lambda r: escape(", ".join(r["outlets"])), optional=True),
                   Column("altered", lambda r: str(sum(m["altered"] for m in r["members"]))),
                   Column("words (reference)", lambda r: quote_cell(reference(r)), wide=True))
STATS_COLUMNS = (Column("", text_cell("key"), "bold"), Column("", text_cell("value"), wide=True))
CORRECTION_COLUMNS = (Column("n", text_cell("id"), "dim"),
                      Column("made", lambda r: escape(r["made_at"][:16].replace("T", " ")), optional=True),
                      Column("by", text_cell("author"), "cyan"), Column("status", text_cell("status")),
                      Column("correction", lambda r: escape(f"{r['target']}: {r['changed']}")
                             + (f" [dim]— {escape(r['note'])}[/]" if r["note"] else ""), wide=True))


def reference(cluster: dict) -> dict:
    """The member every other member's diff is against (the primary or the fullest report)."""
    return next((m for m in cluster["members"] if m["base_id"] is None), cluster["members"][0])


def trail(cluster: dict) -> list[str]:
    """The members of a cluster in time order, each with its relation and its words against its base."""
    outlets = len(cluster["outlets"])
    where = f" in {outlets} outlet{'s' * (outlets != 1)}" if outlets else ""
    span = f"first {cluster['first_date'] or 'undated'}"
    if cluster["last_date"] and cluster["last_date"] != cluster["first_date"]:
        span += f", last {cluster['last_date']}"
    lines = [f"[bold]{cluster['cluster_id']}[/] [bold]{escape(cluster['speaker'] or '?')}[/] — "
             f"{escape(cluster['venue'] or 'venue unknown')} — {span} — {cluster['size']} reports{where}"]
    if cluster["first_reports"]:
        lines.append("[dim]first reported by[/] " + ", ".join(f"{escape(r['outlet'])} {r['date'] or '(undated)'}"
                                                            for r in cluster["first_reports"]))
    for m in cluster["members"]:
        style = RELATION_STYLE.get(m["relation"], "")
        flags = "".join(f" [bold red]ALTERED {c['kind']}: {escape(c['was'] or '∅')} → {escape(c['now'] or '∅')}[/]"
                        for c in m["changes"])
        lines.append(f"\n[{style}]{m['relation']}[/] [dim]{m['quote_id']}[/] {m['date'] or 'undated'} "
                     f"[cyan]{where_cell(m)}[/] {m['kind']}{_marked(m)}{flags} [dim]{escape(m['url'] or '')}[/]")
        lines.append(diff_markup(m["diff"]) if m.get("diff") else escape(m["text"]) + " [dim](reference)[/]")
    return lines


def diff_markup(diff: list) -> str:
    """A report against its base (`passages.shown_diff`): shared words plain, its own words green,
    the base's words it dropped or replaced struck out in red, a cut as `…`."""
    style = {"same": "{}", "ins": "[green]{}[/]", "del": "[red strike]{}[/]", "cut": "[dim]{}[/]"}
    return " ".join(style[kind].format(escape(words)) for kind, words in shown_diff(diff))


def quote_in_context(found: dict) -> list[str]:
    """A quote with two sentences either side, its words in bold yellow, under a line naming it."""
    start, end = found["content_spans"][0][0], found["content_spans"][-1][1]
    text = found["article_text"]
    lo, hi = sentences_around(text, start, end)
    return [f"[bold]{escape(found['speaker'] or '?')}[/] ({found['kind']}){_marked(found)} — "
            f"{escape(found['title'] or found['article_id'])} {where_cell(found)} {found['date'] or ''}",
            mark_spans(text, found["content_spans"], lo, hi)]


def article_view(article: dict) -> list[str]:
    """An article with its quotes marked, then one line per quote."""
    lines = [f"[bold]{escape(article['title'] or article['id'])}[/] {where_cell(article)} "
             f"{article['date'] or ''} {escape(article['url'] or '')}"]
    spans = [s for quote in article["quotes"] for s in quote["content_spans"]]
    lines.append(mark_spans(article["text"], spans, 0, len(article["text"])))
    lines += [f"[dim]{q['quote_id']}[/] [bold]{escape(q['speaker'] or '?')}[/] {q['kind']}{_marked(q)}: "
              f"{escape(q['text'][:120])}" for q in article["quotes"]]
    return lines


def _marked(row: dict) -> str:
    """` ✎ corrected` after the line of a row a correction changed."""
    return f" [yellow]{CORRECTED} corrected[/]" if row.get("corrected") else ""


def mark_spans(text: str, spans: list, lo: int, hi: int) -> str:
    """Rich markup of text[lo:hi] with the spans in bold yellow."""
    return "".join(f"[bold yellow]{escape(words)}[/bold yellow]" if label else escape(words)
                   for words, label in pieces(text, [(s, e, True) for s, e in spans], lo, hi)).strip()


def metrics_table(metrics: dict, title: str | None = None) -> Group:
    """The report of `evaluate` as rich tables, rates as percentages with one decimal."""
    scores = Table(
        title=title or "Evaluation",
        caption=(
            f"{metrics['articles']} articles; quotes: {metrics['gold_quotes']} gold, "
            f"{metrics['pred_quotes']} predicted, {metrics['matched_quotes']} matched"
        ),
        title_justify="left",
        caption_justify="left",
    )
    scores.add_column("Metric")
    for header in ("P", "R", "F1"):
        scores.add_column(header, justify="right")
    scores.add_row("Attributed quotes (headline)", *_prf_cells(metrics["attributed"]), style="bold")
    scores.add_row("Quotes (content Jaccard ≥ 0.5)", *_prf_cells(metrics["quote"]))
    for role in ROLES:
        for mode in ("exact", "overlap"):
            scores.add_row(f"{role.capitalize()} {mode}", *_prf_cells(metrics["roles"][role][mode]))

    shares = Table(
        title="Speakers and recall by kind", title_justify="left", caption_justify="left"
    )
    shares.add_column("Metric")
    shares.add_column("Value", justify="right")
    shares.add_column("Of", justify="right")
    shares.add_row(
        "Speaker accuracy", _percent(metrics["speaker_accuracy"]), str(metrics["speaker_total"])
    )
    for kind, row in metrics["recall_by_kind"].items():
        shares.add_row(f"Recall, {kind}", _percent(row["recall"]), str(row["gold"]))

    skipped = metrics["skipped"]
    if any(skipped.values()):
        shares.caption = "Skipped: " + ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in skipped.items() if count
        )
    return Group(scores, shares)


def links_metrics_table(metrics: dict, title: str) -> Table:
    """The report of `evaluate_links`: pairwise P/R/F1 (all and by pair type), pair counts, hard
    negatives kept apart, relation accuracy."""
    out = Table(title=title, show_header=False)
    pairwise = metrics["pairwise"]
    out.add_row("pairwise P / R / F1", " / ".join(_percent(pairwise[k]) for k in ("p", "r", "f1")))
    out.add_row("pairs gold / predicted / matched",
                f"{metrics['gold_pairs']} / {metrics['predicted_pairs']} / {metrics['matched_pairs']}")
    for pair_type, scores in (metrics.get("by_type") or {}).items():
        out.add_row(f"  {pair_type} P / R / F1", " / ".join(_percent(scores[k]) for k in ("p", "r", "f1"))
                    + f"  ({scores['matched_pairs']} of {scores['gold_pairs']} gold, {scores['predicted_pairs']} "
                    "predicted)")
    if metrics.get("hard_negative_groups"):
        merged = [g for g in metrics["hard_negatives"] if g["merged"]]
        out.add_row("hard negatives kept apart", f"{metrics['hard_negative_groups'] - len(merged)} of "
                    f"{metrics['hard_negative_groups']}" + "".join(f"; merged: {' + '.join(g['merged_pairs'][0])}"
                                                                for g in merged))
    accuracy = metrics["relation_accuracy"]
    out.add_row("relation accuracy", "–" if accuracy is None else
                f"{_percent(accuracy)} ({metrics['relations_right']} of {metrics['relations_judged']} found; "
                f"{metrics['gold_members']} gold members)")
    out.add_row("clusters gold / predicted", f"{metrics['gold_clusters']} / {metrics['predicted_clusters']}")
    return out


def _prf_cells(scores: dict) -> list[str]:
    """P, R and F1 as table cells."""
    return [_percent(scores[key]) for key in ("p", "r", "f1")]


def _percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal; a dash when undefined."""
    return "–" if value is None else f"{100 * value:.1f}%"
