"""One page in the form its URL asks for: HTML from a template, JSON in Datasette's envelope
(`{"ok", "rows", "next", "next_url"}`; errors `{"ok": false, "error", "status"}`) or, for lists, CSV
with the columns of `quotetrail … --format csv`. A URL names its form by a suffix: `/quotes.json`,
`/quotes/12.csv` is not a page (one quote is not a list), `/clusters/c2.json`.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..cli.output import emit
from ..store.query import token, token_keys
from .html import templates

FORMATS = ("html", "json", "csv")


class HTTPError(Exception):
    """A request the page cannot answer: its status and one line saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Page:
    """What a page shows: `rows` (its list, or its one object as the only row), the `template`
    that draws them with `context`, the cursor of the `next` page, the `fields` of its CSV (None:
    not a list, no CSV) and `extra` keys of its JSON beside the envelope."""

    template: str
    rows: list[dict]
    context: dict = field(default_factory=dict)
    next: str | None = None
    fields: Sequence[str] | None = None
    extra: dict = field(default_factory=dict)


def split_suffix(ident: str) -> tuple[str, str]:
    """`"12.json"` → `("12", "json")`, `"12"` → `("12", "html")`."""
    stem, dot, suffix = ident.rpartition(".")
    return (stem, suffix) if dot and suffix in FORMATS[1:] else (ident, "html")


def respond(request: Request, page: Page, fmt: str) -> Response:
    """The page as HTML, JSON or CSV."""
    if fmt == "json":
        return JSONResponse({"ok": True, "rows": page.rows, "next": page.next,
                             "next_url": page_url(request, page.next, "json"), **page.extra})
    if fmt == "csv":
        if page.fields is None:
            raise HTTPError(404, f"{request.url.path}: one object has no CSV form; use .json")
        out = io.StringIO()
        emit(page.rows, "csv", fields=page.fields, out=out)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
    body = templates.get_template(page.template).render(
        rows=page.rows, next_url=page_url(request, page.next, "html"),
        json_url=form_url(request, "json"), csv_url=form_url(request, "csv") if page.fields else None, **page.context)
    return HTMLResponse(body)


def error(request: Request, status: int, message: str) -> Response:
    """An error in the form the URL asked for."""
    _, fmt = split_suffix(request.url.path)
    if fmt == "html":
        body = templates.get_template("error.html").render(status=status, message=message,
                                                           json_url=form_url(request, "json"))
        return HTMLResponse(body, status_code=status)
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def form_url(request: Request, fmt: str) -> str:
    """This page's URL in another form, with the same query."""
    path, _ = split_suffix(request.url.path)
    url = quote(path) + ("" if fmt == "html" else f".{fmt}")
    return url + (f"?{request.url.query}" if request.url.query else "")


def page_url(request: Request, token: str | None, fmt: str) -> str | None:
    """The URL of the page after this one (None when this is the last), in the form `fmt`."""
    if token is None:
        return None
    query = {**request.query_params, "after": token}
    return str(request.url.replace(path=form_url(request, fmt).partition("?")[0],
                                   query=urlencode(query)))


def with_params(request: Request, **changes: str | None) -> str:
    """This page's URL with some parameters set (a None value removes one), back on the first page."""
    query = {k: v for k, v in request.query_params.items() if k != "after"}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return quote(request.url.path) + (f"?{urlencode(query)}" if query else "")


def keyset(rows: list[dict], key: Callable[[dict], list], after: str | None,
           limit: int) -> tuple[list[dict], str | None]:
    """The page of `limit` rows after the cursor `after` of rows sorted by `key` (a total order), and
    the cursor of the next page (None at the end): for lists the store hands over whole."""
    start: int | None = 0
    if after is not None:
        mark = token_keys(after)
        try:
            start = next((i for i, row in enumerate(rows) if key(row) > mark), len(rows)) if mark else None
        except TypeError:  # keys of another shape
            start = None
        if start is None:
            raise HTTPError(400, f"bad page cursor {after[:40]!r} (not one this list gave)")
    page = rows[start:start + limit]
    more = start + limit < len(rows)
    return page, token(key(page[-1])) if more and page else None
