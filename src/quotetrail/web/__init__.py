"""`quotetrail serve`: a read-only web page over a quote database, on the store's own reads.

| module | job |
| --- | --- |
| `app` | the FastAPI application: the pages and their URLs, the safety headers, errors in one shape |
| `respond` | one page in its three forms (HTML, JSON in Datasette's envelope, CSV); keyset pages of lists |
| `html` | the Jinja2 environment (autoescaped); filters that draw quotes, passages, diffs, the monthly chart |

Nothing here queries SQLite itself: every page reads through `QuoteStore`, as the command line
does, so a change to search, trails or speakers reaches both. Importing `quotetrail.cli` does not
load this package (FastAPI, Jinja2 and uvicorn load when `serve` runs).
"""
