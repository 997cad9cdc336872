"""The web application: each page of a quote database at its URL, read-only and safe to expose to a browser.

| URL | page |
| --- | --- |
| `/` | the search box and the counts of the corpus |
| `/quotes?q=&speaker=&outlet=&venue=&kind=&since=&until=&min_confidence=&sort=` | results with facets, in pages |
| `/quotes/{id}` | a quote in its article, with its speaker, source, archived copy and trail summary |
| `/clusters`, `/clusters/{id}` | the trails: each cluster's reports in time order with their word diffs |
| `/speakers`, `/speakers/{id}` | who is quoted: aliases, counts, quotes per month, venues, outlets, quotes, trails |
| `/articles/{id}` | an article with every quote marked |

Every page has a `.json` twin at the same URL (`/quotes.json?q=…`, `/quotes/12.json`) and every list a
`.csv` one. Safety: the store is opened read-only (`mode=ro`, `PRAGMA query_only`) by `serve`; one
request reads at a time, under `TIME_LIMIT`; user input reaches SQL only as parameters of the
store's reads; templates autoescape; every response carries `HEADERS` (no script runs, not even inline).
"""
from __future__ import annotations

import calendar
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..store import QuoteStore, StoreError
from ..store.passages import pieces, quote_spans, sentences_around, where
from ..store.query import EXPORT_COLUMNS, FACETS, SORTS, cursor, id_number, marked
from ..store.schema import QueryTimeout
from ..store.trails import cluster_number
from .html import STATIC
from .respond import HTTPError, Page, error, keyset, respond, split_suffix, with_params

TIME_LIMIT = 2.0  # seconds a request may read for
PAGE = 20         # rows of a list page; `limit` may ask for up to MAX_PAGE
MAX_PAGE = 100
MAX_QUERY = 4000  # characters of a search query
KINDS = ("direct", "indirect", "mixed", "other")
FILTERS = ("speaker", "outlet", "venue", "kind", "since", "until", "min_confidence")
HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                 b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
SPEAKER_FIELDS = ["id", "name", "kind", "quotes", "aliases", "outlets"]
CLUSTER_FIELDS = ["cluster_id", "speaker", "speaker_id", "venue", "first_date", "size", "outlets"]


class SafetyHeaders:
    """ASGI middleware that adds `HEADERS` to every response, static files and errors included."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)
        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def create_app(store: QuoteStore, time_limit: float = TIME_LIMIT) -> FastAPI:
    """The application over an open store (read-only, opened with `threads=True`)."""
    app = FastAPI(title="quotetrail", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SafetyHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    one_at_a_time = threading.Lock()

    @contextmanager
    def reading() -> Iterator[QuoteStore]:
        with one_at_a_time, store.time_limit(time_limit):
            yield store

    @app.exception_handler(HTTPError)
    def http_error(request: Request, exc: HTTPError) -> Response:
        return error(request, exc.status, exc.message)

    @app.exception_handler(QueryTimeout)
    def timeout(request: Request, exc: QueryTimeout) -> Response:
        return error(request, 503, str(exc))

    @app.exception_handler(StoreError)
    def bad_input(request: Request, exc: StoreError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(HTTPException)
    def not_found(request: Request, exc: HTTPException) -> Response:
        return error(request, exc.status_code, f"{request.url.path}: {exc.detail}")

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error(request, 400, "; ".join(str(e.get("msg")) for e in exc.errors()))

    @app.get("/")
    @app.get("/.{fmt}")
    def home(request: Request) -> Response:
        with reading() as db:
            stats = {**db.stats(), "clusters": db.cluster_count()}
        return respond(request, Page("index.html", [stats], {"stats": stats}), _format(request))

    @app.get("/quotes")
    @app.get("/quotes.{fmt}")
    def quotes(request: Request) -> Response:
        q, filters, sort, after, limit = _search_params(request)
        with reading() as db:
            rows = db.search(q, limit=limit + 1, sort=sort, after=after, **filters)
            spread = db.facets(q, **filters)
        more = len(rows) > limit
        rows = rows[:limit]
        highlights = {row["quote_id"]: row["highlight"] for row in rows}  # MARK around matched words, for HTML
        for row in rows:
            row["highlight"] = marked(row["highlight"])  # `[word]`, as the command line writes it
        context = {"q": q or "", "filters": filters, "sort": sort, "count": spread["count"], "highlights": highlights,
                   "facets": _facet_links(request, spread["facets"], filters), "first_page": after is None,
                   "sort_links": {s: with_params(request, sort=s) for s in SORTS}}
        return respond(request, Page("quotes.html", rows, context, cursor(rows[-1], sort) if more else None,
                                     [*EXPORT_COLUMNS, "highlight"],
                                     {"count": spread["count"], "facets": spread["facets"]}), _format(request))

    @app.get("/quotes/{ident}")
    def quote_page(request: Request, ident: str) -> Response:
        ident, fmt = split_suffix(ident)
        with reading() as db:
            found = _by_number(db.quote, ident, "quote")
            cluster = db.cluster(found["cluster_id"]) if found["cluster_id"] else None
        lo, hi = sentences_around(found["article_text"], found["content_spans"][0][0], found["content_spans"][-1][1])
        row = {**found, "archive_url": _archive_url(found), "trail": _trail_summary(cluster)}
        context = {"quote": row, "context": pieces(found["article_text"], quote_spans(found), lo, hi),
                   "cut_before": lo > 0, "cut_after": hi < len(found["article_text"])}
        return respond(request, Page("quote.html", [row], context), fmt)

    @app.get("/clusters")
    @app.get("/clusters.{fmt}")
    def clusters(request: Request) -> Response:
        with reading() as db:
            found = db.clusters()
        return _listed(request, found, lambda c: [-c["size"], c["first_date"] or "9999", c["id"]], "clusters.html",
                       CLUSTER_FIELDS)

    @app.get("/clusters/{ident}")
    def cluster_page(request: Request, ident: str) -> Response:
        ident, fmt = split_suffix(ident)
        with reading() as db:
            found = _by_number(db.cluster, str(cluster_number(ident)), "cluster", ident)
        return respond(request, Page("cluster.html", [found], {"cluster": found, "trail": _trail_summary(found)}), fmt)

    @app.get("/speakers")
    @app.get("/speakers.{fmt}")
    def speakers(request: Request) -> Response:
        with reading() as db:
            found = db.speakers()
        return _listed(request, found, lambda s: [-s["quotes"], s["name"], s["id"]], "speakers.html", SPEAKER_FIELDS)

    @app.get("/speakers/{ident}")
    def speaker_page(request: Request, ident: str) -> Response:
        ident, fmt = split_suffix(ident)
        with reading() as db:
            found = _by_number(db.speaker, ident, "speaker")
            recent = db.search(speaker_id=found["id"], sort="date", limit=PAGE)
            trails = db.clusters(speaker_id=found["id"])
        row = {**found, "recent": recent, "clusters": [{k: c[k] for k in CLUSTER_FIELDS} for c in trails]}
        return respond(request, Page("speaker.html", [row], {"speaker": row}), fmt)

    @app.get("/articles/{ident:path}")
    def article_page(request: Request, ident: str) -> Response:
        with reading() as db:
            found = db.article(ident)
            fmt = "html"
            if found is None:
                ident, fmt = split_suffix(ident)
                found = db.article(ident) if fmt != "html" else None
        if found is None:
            raise HTTPError(404, f"no article {ident!r} in this database")
        spans = [(s, e, q["quote_id"]) for q in found["quotes"] for s, e in q["content_spans"]]
        context = {"article": found, "text": pieces(found["text"], spans)}
        return respond(request, Page("article.html", [found], context), fmt)

    return app


def _listed(request: Request, rows: list[dict], key: Callable[[dict], list], template: str,
            fields: list[str]) -> Response:
    """One page of a list the store hands over whole, sorted by `key`, in the form the URL asks for."""
    page, more = keyset(rows, key, request.query_params.get("after"), _limit(request))
    return respond(request, Page(template, page, {}, more, fields), _format(request))


def _by_number(read: Callable[[int], dict | None], number: str, what: str, shown: str | None = None) -> dict:
    """What `read` finds under the id `number` (digits); a 404 naming `what` (and the id as `shown`)
    for an id that is not a number or not stored."""
    value = id_number(number)
    found = read(value) if value is not None else None
    if found is None:
        raise HTTPError(404, f"no {what} {shown or number!r} in this database")
    return found


def _format(request: Request) -> str:
    """The form a list URL asks for (`/quotes.json`); an unknown suffix is a 404."""
    fmt = request.path_params.get("fmt", "html")
    if fmt not in ("html", "json", "csv"):
        raise HTTPError(404, f"{request.url.path}: no such page (forms: .json, .csv)")
    return fmt


def _limit(request: Request) -> int:
    """The page size asked for (`limit`, 1 to MAX_PAGE)."""
    value = request.query_params.get("limit") or str(PAGE)
    number = id_number(value)
    if number is None or not 1 <= number <= MAX_PAGE:
        raise HTTPError(400, f"limit must be a whole number from 1 to {MAX_PAGE}, not {value[:20]!r}")
    return number


def _search_params(request: Request) -> tuple[str | None, dict, str, str | None, int]:
    """The query, the filters of `search`, the sort, the cursor and the page size of a /quotes URL."""
    params = request.query_params
    q = params.get("q") or None
    if q is not None and len(q) > MAX_QUERY:
        raise HTTPError(400, f"the query is {len(q):,} characters long; at most {MAX_QUERY:,}")
    filters: dict = {name: params.get(name) for name in FILTERS if params.get(name)}
    if filters.get("kind") not in (None, *KINDS):
        raise HTTPError(400, f"kind must be one of {', '.join(KINDS)}, not {filters['kind'][:20]!r}")
    if "min_confidence" in filters:
        filters["min_confidence"] = _probability(filters["min_confidence"])
    sort = params.get("sort") or "rank"
    return q, filters, sort, params.get("after") or None, _limit(request)


def _probability(text: str) -> float:
    """`min_confidence` as a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise HTTPError(400, f"min_confidence must be a number from 0 to 1, not {text[:20]!r}")
    return value


def _month_bounds(month: str) -> tuple[str, str] | None:
    """The first and last day of a `YYYY-MM` month (None for a value that is not one)."""
    if not (len(month) == 7 and month[:4].isdigit() and month[4] == "-" and month[5:].isdigit()
            and 1 <= int(month[5:]) <= 12):
        return None
    return f"{month}-01", f"{month}-{calendar.monthrange(int(month[:4]), int(month[5:]))[1]:02d}"


def _facet_links(request: Request, facets: dict, filters: dict) -> dict:
    """Each facet value with its count, whether it is the filter in force, and the URL that toggles it."""
    out = {}
    for name in FACETS:
        links = []
        for value, n in facets[name]:
            if name == "month":
                bounds = _month_bounds(value)
                if bounds is None:
                    continue
                chosen = (filters.get("since"), filters.get("until")) == bounds
                url = with_params(request, since=None, until=None) if chosen else \
                    with_params(request, since=bounds[0], until=bounds[1])
            else:
                chosen = str(filters.get(name, "")).casefold() == value.casefold()
                url = with_params(request, **{name: None if chosen else value})
            links.append({"value": value, "count": n, "chosen": chosen, "url": url})
        out[name] = links
    return out


def _archive_url(row: dict) -> str | None:
    """The Wayback Machine's copy of the article's url nearest to its date (any date when undated)."""
    if not row.get("url"):
        return None
    stamp = (row.get("date") or "").replace("-", "") or "*"
    return f"https://web.archive.org/web/{stamp}/{row['url']}"


def _trail_summary(cluster: dict | None) -> dict | None:
    """"First reported by X on D; N reports in M outlets": from the cluster's first member in time."""
    if cluster is None:
        return None
    first = cluster["members"][0]
    return {"cluster_id": cluster["cluster_id"], "first_by": where(first), "first_date": first["date"],
            "reports": cluster["size"], "outlets": len({where(m) for m in cluster["members"]})}
