"""A stored quote as a reader sees it, whatever draws it: the sentences around it, an article's text cut
into marked and plain pieces, a trail member's diff as kept, inserted, deleted and cut words, and
where a report was published. The terminal (`cli.render`) and the web page (`web`) draw these pieces
in their own markup, so the rules of what is shown live here once.
"""
from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from pathlib import Path

SMALL = 4  # words: a change this small is shown with the words it replaced
_SENTENCE_END = re.compile(r"[.!?…][”\"’']?\s+|\n+")


def sentences_around(text: str, start: int, end: int, n: int = 2) -> tuple[int, int]:
    """Offsets of `n` sentences before `start` and after `end` (sentence ends: `.!?` and a space, or a newline)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    before = [e for e in ends if e <= start]
    after = [e for e in ends if e > end]
    lo = before[-n - 1] if len(before) > n else 0
    hi = after[n - 1] if len(after) >= n else len(text)
    return lo, hi


def pieces(text: str, spans: Iterable[tuple[int, int, Hashable]], lo: int = 0,
           hi: int | None = None) -> list[tuple[str, Hashable | None]]:
    """text[lo:hi] cut at the `(start, end, label)` spans: `(words, label)` for the words of a span,
    `(words, None)` between them. Spans are cut to [lo, hi]; one that overlaps an earlier span is left out."""
    hi = len(text) if hi is None else hi
    out: list[tuple[str, Hashable | None]] = []
    at = lo
    cut = [(max(s, lo), min(e, hi), label) for s, e, label in spans if e > lo and s < hi]
    for s, e, label in sorted(cut, key=lambda span: span[:2]):
        if s < at or s >= e:
            continue
        if s > at:
            out.append((text[at:s], None))
        out.append((text[s:e], label))
        at = e
    if hi > at:
        out.append((text[at:hi], None))
    return out


def quote_spans(found: dict) -> list[tuple[int, int, str]]:
    """A quote's content, cue and source spans labelled with their role, for `pieces`."""
    spans = [(s, e, "content") for s, e in found["content_spans"]]
    for role in ("cue", "source"):
        if found.get(f"{role}_span"):
            spans.append((*found[f"{role}_span"], role))
    return spans


def shown_diff(diff: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """A report's word diff against its base as `(kind, words)`: `same` words, its own words
    (`ins`), the base's words it dropped or replaced (`del`, shown for a change of up to SMALL words
    inside the report) and a cut (`cut`, `…`: the report starts later, stops earlier or skips a longer stretch)."""
    out = []
    for i, (tag, was, now) in enumerate(diff):
        small = len(was.split()) <= SMALL and len(now.split()) <= SMALL
        if tag == "equal":
            out.append(("same", now))
        elif tag == "insert" or (tag == "replace" and not small):
            out.append(("ins", now))
        elif tag == "replace":
            out += [("del", was), ("ins", now)]
        elif small and 0 < i < len(diff) - 1:
            out.append(("del", was))
        else:
            out.append(("cut", "…"))
    return out


def where(row: dict) -> str:
    """Where a report was published: its outlet, else the name of the file its article was read from."""
    if row.get("outlet"):
        return row["outlet"]
    return Path(row["origin"]).name if row.get("origin") else ""
