"""The web command: serve."""
from __future__ import annotations

import socket
import sys

import click

from .database import open_store
from .options import db_option
from .output import QuotetrailError, note


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on; 0: any free one (the line on stderr says which).")
def serve_cmd(db_path: str, host: str, port: int) -> None:
    """Browse the database in a web browser.

    Search with facets, each quote in its article, the trails with their word diffs, speakers and
    articles; every page also as JSON (add .json to its URL) and every list as CSV (.csv). The
    database is opened read-only: an ingest may run meanwhile, and its commits show up. Ctrl-C
    stops it (exit code 130, as for every command).

    \b
    Examples:
      quotetrail serve --db quotes.db
      quotetrail serve --db quotes.db --port 0
      curl 'http://127.0.0.1:8765/quotes.json?q=money&kind=direct'
    """
    with open_store(db_path, readonly=True, threads=True) as store:
        listening = _listen(host, port)
        import uvicorn  # the web stack loads here, not at `quotetrail --help`

        from ..web.app import create_app

        bound_host, bound_port = listening.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        note(f"serving {db_path} read-only at http://{shown}:{bound_port}/ (Ctrl-C to stop)")
        server = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning", access_log=False))
        try:
            server.run(sockets=[listening])
        except KeyboardInterrupt:  # uvicorn stops at Ctrl-C, then hands the signal on
            note("stopped")
            sys.exit(130)


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, or one line saying why there is none. It is made with its
    protocol named (IPPROTO_TCP), as asyncio wants to see before it turns Nagle's algorithm off on
    each connection: without that, every response on a kept-alive connection waited 40 ms for an ACK."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             proto=socket.IPPROTO_TCP)[0]
        listening = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise QuotetrailError(f"cannot listen on {host}:{port} ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen()
    except OSError as exc:
        listening.close()
        raise QuotetrailError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    return listening
