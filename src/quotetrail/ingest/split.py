"""Finding where one article ends and the next begins inside one text (crawls and copy-paste glue them).

A boundary is one of: a dateline glued to the previous sentence (`…he stresses.Baku, Azerbaijan –
Speaking…`); a dateline opening a line after a finished article (`LONDON, May 2 (Reuters) – …`); a
headline block (a headline line, then a date, time or byline line); and after a dropped `Read more` /
`Related` block, any dateline or headline. Both sides of a boundary need `MIN_WORDS` words, so a
dateline in an article's first lines is its own, never a split.
"""
from __future__ import annotations

import dataclasses
import re

from ..model import Article
from .meta import MONTH, complete

MIN_WORDS = 30
# An article longer than this is cut into pieces of at most this many characters (`bounded`), so that
# no one article holds a process's memory: its text, its parse (in the engine's pieces of
# `engine.CHUNK`) and its quotes go through one piece at a time.
ARTICLE_CHARS = 1_000_000

_PLACE = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}"
_DATELINE = (rf"(?P<place>{_PLACE})(?P<region>(?:, {_PLACE}){{1,2}})?(?P<date>,? {MONTH} \d{{1,2}}(?:, \d{{4}})?)?"
             r"(?P<agency> ?\((?:Reuters|AFP|AP|Xinhua|Anadolu|TASS|dpa|UPI|IANS|PTI|[A-Z]{2,8})\))?"
             r" ?[–—-]{1,2} ?(?=[A-Z\"“‘])")
GLUED = re.compile(rf"[a-z0-9)][.!?][\"”’]?(?={_DATELINE})")
LINE_DATELINE = re.compile(rf"^{_DATELINE}", re.M)
DATE_LINE = re.compile(
    rf"(?:#\s*)?(?:\d{{1,2}}:\d\d(?: ?[AP]M)?|\d{{1,2}} {MONTH} \d{{4}}|{MONTH} \d{{1,2}},? \d{{4}}|\d{{4}}-\d\d-\d\d"
    r"|By [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}|(?:Published|Updated|Posted)\b.{0,60})(?:[ ,|·•-].{0,40})?")
_ENDS_ARTICLE = (".", "!", "?", '"', "”", "’", ")", "…")


def boundaries(text: str, hints: list[int] = ()) -> list[int]:
    """Offsets in `text` where a new article starts (0 excluded), in order.

    `hints` are offsets where a `Read more`/`Related` block was dropped (see `clean.clean_marked`).
    """
    lines = _lines(text)
    index = {start: i for i, (start, _) in enumerate(lines)}
    starts = {m.end() for m in GLUED.finditer(text)}
    starts |= {_headline_above(lines, index[m.start()]) for m in LINE_DATELINE.finditer(text) if _strong(m)}
    starts |= _headline_blocks(lines)
    starts |= {s for s in (_article_after(text, lines, index, h) for h in hints) if s is not None}
    accepted: list[int] = []
    for start in sorted(starts):
        before = text[accepted[-1] if accepted else 0:start].rstrip()
        if before.endswith(_ENDS_ARTICLE) and _words(before[-MIN_WORDS * 40:]) >= MIN_WORDS \
                and _words(text[start:]) >= MIN_WORDS:
            accepted.append(start)
    return accepted


def split(article: Article, hints: list[int] = ()) -> list[Article]:
    """The articles merged in `article.text`: itself when there is one, else pieces `<id>#1`, `#2`, ….

    Each piece keeps the url and outlet, gets its own date and language, and records its
    `source_id` and its `position` (the offset of its first character in the source text).
    """
    cuts = boundaries(article.text, hints)
    if not cuts:
        return [article]
    pieces = []
    for n, (start, end) in enumerate(zip([0, *cuts], [*cuts, len(article.text)], strict=False), start=1):
        chunk = article.text[start:end]
        start += len(chunk) - len(chunk.lstrip())
        piece = dataclasses.replace(
            article, id=f"{article.id}#{n}", text=chunk.strip(), source_id=article.id, position=start,
            title=article.title if n == 1 else None, date=article.date if n == 1 else None, language=None,
        )
        pieces.append(complete(piece, fetched=article.date))
    return pieces


def bounded(article: Article, size: int | None = None) -> list[Article]:
    """`article` itself, or when its text is over `size` characters, its consecutive pieces `<id>#1`, `#2`, …
    of at most `size` (cut at a paragraph, else a line, a sentence, a space), the text kept exactly:
    each keeps the article's metadata and records its `source_id` and `position`, so an offset in a
    piece plus its position is the offset in the source text. The first piece carries a warning."""
    size = ARTICLE_CHARS if size is None else size
    if len(article.text) <= size:
        return [article]
    cuts = windows(article.text, 0, len(article.text), size, ("\n\n", "\n", ". ", " "))
    note = (f"{len(article.text):,} characters, over the {size:,} of one article: "
            f"cut into {len(cuts)} pieces {article.id}#1 to #{len(cuts)}")
    warning = "; ".join(w for w in (article.meta.get("warning"), note) if w)
    return [dataclasses.replace(
        article, id=f"{article.id}#{n}", text=article.text[lo:hi], source_id=article.source_id or article.id,
        position=(article.position or 0) + lo, meta={**article.meta, "warning": warning} if n == 1 else article.meta)
        for n, (lo, hi) in enumerate(cuts, start=1)]


def _words(text: str, enough: int = MIN_WORDS) -> int:
    """The number of words in `text`, counting no further than `enough` (texts can be huge)."""
    return len(re.findall(r"\w+", text[: enough * 40])[:enough])


def _strong(match: re.Match) -> bool:
    """A line-opening dateline is strong with a region, a date, an agency or a place in capitals."""
    place = match["place"]
    return bool(match["region"] or match["date"] or match["agency"] or (place.isupper() and len(place) > 2))


def _is_headline(line: str) -> bool:
    """A short line that starts with a capital or a quote mark and does not end like a sentence."""
    return 2 <= len(line.split()) <= 16 and (line[:1].isupper() or line[:1] in "\"“‘") \
        and not line.endswith((".", ",", ";", ":"))


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line of `text` with the offset where it starts."""
    found, start = [], 0
    for line in text.split("\n"):
        found.append((start, line))
        start += len(line) + 1
    return found


def _headline_at(lines: list[tuple[int, str]], i: int) -> bool:
    """Line `i` is a headline alone in its paragraph."""
    return i >= 0 and _is_headline(lines[i][1]) and (i == 0 or not lines[i - 1][1])


def _headline_above(lines: list[tuple[int, str]], i: int) -> int:
    """The start of line `i`, or of a headline that stands just above it (a blank line between allowed)."""
    for j in (i - 1, i - 2):
        if j >= 0 and lines[j][1] and not _headline_at(lines, j):
            break
        if _headline_at(lines, j):
            return lines[j][0]
    return lines[i][0]


def _headline_blocks(lines: list[tuple[int, str]]) -> set[int]:
    """Starts of headlines followed within three lines by a date, time or byline line."""
    found = set()
    for i, (_, line) in enumerate(lines):
        if len(line) < 120 and DATE_LINE.fullmatch(line):
            j = i - 1
            while j >= 0 and i - j <= 3 and (not lines[j][1] or DATE_LINE.fullmatch(lines[j][1])):
                j -= 1
            if _headline_at(lines, j):
                found.add(lines[j][0])
    return found


def _article_after(text: str, lines: list[tuple[int, str]], index: dict[int, int], hint: int) -> int | None:
    """Where an article starts right after a dropped `Read more` block: a dateline or a headline."""
    start = hint + len(text[hint:hint + 200]) - len(text[hint:hint + 200].lstrip())
    i = index.get(start)
    if i is None:
        return None
    return start if LINE_DATELINE.match(lines[i][1]) or _is_headline(lines[i][1]) else None


def windows(text: str, lo: int, hi: int, size: int, seps: tuple[str, ...]) -> list[tuple[int, int]]:
    """`text[lo:hi]` as consecutive (start, end) windows of at most `size` characters, each cut after
    the last of the first separator in `seps` found in its second half (a hard cut when none is)."""
    found = []
    while lo < hi:
        end = min(lo + size, hi)
        if end < hi:
            for sep in seps:
                cut = text.rfind(sep, lo + size // 2, end)
                if cut >= 0:
                    end = cut + len(sep)
                    break
        found.append((lo, end))
        lo = end
    return found
