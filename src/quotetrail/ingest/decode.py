"""Bytes to str: the declared charset, else UTF-8, else Windows-1252, else UTF-8 with replacement."""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.I)


def charset_of(content_type: str | None = None, html: bytes | None = None) -> str | None:
    """The charset an HTTP Content-Type header or an HTML `<meta charset>` declares, if Python knows it."""
    found = _HEADER_CHARSET.search(content_type or "")
    name = found.group(1) if found else None
    if name is None and html is not None:
        meta = _META_CHARSET.search(html[:4096])
        name = meta.group(1).decode("ascii") if meta else None
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def decode(data: bytes, charset: str | None = None) -> tuple[str, str | None]:
    """The text of `data` and a warning when it had to be decoded with replacement characters.

    A declared `charset` is tried first, then UTF-8 (a BOM is dropped), then Windows-1252.
    """
    for name in (charset, "utf-8-sig", "cp1252"):
        if name:
            try:
                return data.decode(name), None
            except UnicodeDecodeError:
                continue
    return data.decode("utf-8", errors="replace"), "invalid UTF-8, undecodable bytes replaced"
