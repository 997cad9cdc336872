"""Files the ingest tests write for themselves: HTML pages and WARC crawls of fictional news."""
from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

BODY = ("“The bridge opens in May,” Mayor Lena Varga told the Harbor Gazette on Monday. "
        "She said the money was there and that the work would go on through the winter without a pause. ")


def page(title: str = "Bridge opens in May", body: str = BODY * 3, date: str = "2021-05-04") -> bytes:
    """An HTML news page with furniture around one article."""
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title} | Harbor Gazette</title>'
            f'<meta property="og:site_name" content="Harbor Gazette">'
            f'<meta property="article:published_time" content="{date}T10:00:00Z">'
            f'<link rel="canonical" href="https://www.harborgazette.co.uk/news/bridge"></head>'
            f'<body><nav>Home | News | Sport</nav><div>We use cookies. Accept all</div>'
            f'<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>'
            f'<footer>Share this article</footer></body></html>').encode()


def write_warc(path: Path, responses: list[tuple[str, str, str, bytes]], *, gzip: bool = True) -> Path:
    """A WARC with a warcinfo record, then per (url, status, content type, body) a request and a response."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "quotetrail tests"}))
        for url, status, content_type, body in responses:
            request = io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            writer.write_record(writer.create_warc_record(url, "request", payload=request))
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(response)
    return path
