"""The database the web tests serve: the example articles, given outlets, urls and dates over two
months (the trails of the examples stay as `make demo` shows them), and one article whose quote is
made of markup and quotation marks, written by hand."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from conftest import EXAMPLES
from quotetrail import Article, Quote, QuoteStore, ingest_articles
from quotetrail.ingest import read_paths

OUTLETS = [("Harbor Gazette", "harborgazette.example"), ("Kestrel News", "kestrel.example"),
           ("Northgate Herald", "northgate.example")]
FIRST_DAY = date(2024, 2, 22)  # fifteen articles a day apart: February and March
HOSTILE = "<script>document.title='pwned'</script> & \"quotes\" ' NEAR("


def hostile_article() -> tuple[Article, list[Quote]]:
    """An article whose one quote is markup, an ampersand and quotation marks of every kind."""
    text = f"“{HOSTILE},” Mayor Ada Quill said on Friday."
    start, end = 1, 1 + len(HOSTILE)
    said = text.index("said")
    quote = Quote("direct", [(start, end)], HOSTILE, cue_span=(said, said + 4),
                  source_span=(end + 3, said - 1), speaker="Ada Quill", confidence=0.9)
    return Article(id="hostile-1", text=text, outlet="Harbor Gazette", date="2024-03-20",
                   url="https://harborgazette.example/hostile?a=1&b=<2>", title="<b>Not bold</b>"), [quote]


def web_database(path: Path) -> Path:
    """The examples with outlets, urls and dates, linked, and the hostile article."""
    articles = []
    for i, item in enumerate(read_paths([str(EXAMPLES)])):
        outlet, domain = OUTLETS[i % len(OUTLETS)]
        articles.append(replace(item, outlet=outlet, url=f"https://{domain}/{Path(item.origin).stem}",
                                date=(FIRST_DAY + timedelta(days=i)).isoformat()))
    with QuoteStore(path) as store:
        ingest_articles(store, articles, jobs=1)
        store.write([hostile_article()])
    return path
