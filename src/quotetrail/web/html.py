"""The Jinja2 environment of the pages (autoescaped: text from the database is never markup) and the
filters that draw a stored quote: matched words, a passage with its marked spans, a trail member's
diff as `<del>`/`<ins>`, the quotes-per-month chart as server-drawn SVG (no script, no CDN).
"""
from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..store.passages import shown_diff, where
from ..store.query import MARK

HERE = Path(__file__).parent
STATIC = HERE / "static"
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def highlighted(text: str) -> Markup:
    """A search row's `highlight`: the matched words in `<mark>`."""
    return Markup(str(escape(text)).replace(MARK[0], "<mark>").replace(MARK[1], "</mark>"))


def passage(parts: list[tuple[str, Hashable | None]]) -> Markup:
    """`passages.pieces` as HTML: a role label (content, cue, source) marks its words with that class;
    a quote id (an article's quotes) links them to the quote."""
    out = []
    for words, label in parts:
        if label is None:
            out.append(escape(words))
        elif isinstance(label, int):
            out.append(Markup('<a class="quote" href="/quotes/{}"><mark class="content">{}</mark></a>')
                       .format(label, words))
        else:
            out.append(Markup('<mark class="{}">{}</mark>').format(label, words))
    return Markup("").join(out)


def diff_html(diff: list) -> Markup:
    """A member's diff against its base: its own words in `<ins>`, the base's dropped or replaced
    words in `<del>`, a cut as `…`."""
    tags = {"same": "{}", "ins": "<ins>{}</ins>", "del": "<del>{}</del>", "cut": '<span class="cut">{}</span>'}
    return Markup(" ").join(Markup(tags[kind]).format(words) for kind, words in shown_diff(diff))


def month_chart(months: list[tuple[str, int]], width: int = 640, height: int = 120) -> Markup:
    """Quotes per month as an SVG bar chart, every month from the first to the last (empty ones at zero)."""
    months = [(month, n) for month, n in months if _MONTH.fullmatch(month)]
    if not months:
        return Markup("")
    counts = dict(months)
    first, last = (int(month[:4]) * 12 + int(month[5:7]) - 1 for month in (months[0][0], months[-1][0]))
    span = [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1)]
    top = max(counts.values())
    step = width / len(span)
    bars = []
    for i, month in enumerate(span):
        n = counts.get(month, 0)
        h = round((height - 20) * n / top, 1)
        bars.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{}" class="bar">'
                           '<title>{}: {}</title></rect>').format(i * step + 1, height - 20 - h, max(step - 2, 1), h,
                                                                   month, n))
    labels = Markup('<text x="0" y="{}" class="axis">{}</text><text x="{}" y="{}" class="axis end">{}</text>').format(
        height - 4, span[0], width, height - 4, span[-1])
    return Markup('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="quotes per month, {} to {}">'
                  '{}{}</svg>').format(width, height, span[0], span[-1], Markup("").join(bars), labels)


def path_part(value: object) -> str:
    """A value as one segment of a URL path (`/` quoted too)."""
    return quote(str(value), safe="")


templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)
templates.filters.update(highlighted=highlighted, passage=passage, diff_html=diff_html, month_chart=month_chart,
                         path_part=path_part, where=where)
