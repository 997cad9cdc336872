"""Find quoted passages by pairing quotation marks, whatever their style or state.

Works on characters, not tokens, so it never depends on the parser. Handles
straight, curly, low, angle and doubled-apostrophe marks; quotes that run over
several paragraphs (each re-opening the mark); a missing closing mark (the quote
ends at the paragraph end or where a glued attribution begins); a missing opening
mark (the quote starts at its sentence); and quotes nested inside quotes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Spanned

OPEN, CLOSE, EITHER = "open", "close", "either"

# Each entry: mark -> (family, direction). Families pair with themselves.
_MARKS = {
    "“": ("double", OPEN), "”": ("double", CLOSE), "„": ("double", OPEN),
    "‟": ("double", OPEN), '"': ("double", EITHER), "``": ("double", OPEN),
    "''": ("double", EITHER), "‘‘": ("double", OPEN), "’’": ("double", CLOSE),  # doubled apostrophes
    "«": ("double", OPEN), "»": ("double", CLOSE),
    "‘": ("single", OPEN), "’": ("single", CLOSE), "‚": ("single", OPEN),
    "'": ("single", EITHER), "‹": ("single", OPEN), "›": ("single", CLOSE),
}
_MARK_RE = re.compile(r"``|''|‘‘|’’|[“”„‟\"«»‘’‚'‹›]")
_PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*|\n(?=[ \t]*[“„\"«‘'`])|(?<=[.!?”\"»’:])\n")
_SENTENCE_START_RE = re.compile(r"(?:[.!?…](?:[”\"’»])?\s+|[\n:])(?=[\"“‘«]?[A-Z0-9\[])")
MAX_PIECE = 20_000  # characters: a run longer than this is a stray mark, not a quote


@dataclass
class QuotedRun(Spanned):
    """One passage between quotation marks; several spans when it re-opens per paragraph."""

    spans: list[tuple[int, int]]
    opened: bool = True   # False: the opening mark is missing
    closed: bool = True   # False: the closing mark is missing
    depth: int = 0        # 0 for a top-level quote, 1 for a quote inside a quote
    marks: list[tuple[int, int]] = field(default_factory=list)  # offsets of the marks


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank-line separated, or a line that ends a sentence."""
    bounds, start = [], 0
    for m in _PARAGRAPH_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _direction(text: str, i: int, mark: str) -> str:
    """Decide whether a mark at `i` opens or closes, from the characters around it."""
    family, direction = _MARKS[mark]
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(mark)] if i + len(mark) < len(text) else " "
    if family == "single" and before.isalnum() and (after.isalnum()):
        return "apostrophe"  # we’re, Azerbaijan’s, rock'n'roll
    if family == "single" and mark in "’'" and before in "sS" and not after.isalnum():
        return "maybe-close"  # either a plural possessive (countries’) or a closing mark
    if family == "single" and mark in "‘'" and after.isdigit() and not before.isalnum():
        return "apostrophe"  # ’90s
    if direction != EITHER:
        return direction
    if before.isspace() or before in "([{—–-/" or i == 0:
        return OPEN if not after.isspace() else CLOSE
    if after.isspace() or after in ".,;:!?)]}—–-" or i + len(mark) == len(text):
        return CLOSE
    return EITHER


def _sentence_start(text: str, lo: int, i: int) -> int:
    """Start of the sentence containing offset `i`, not before `lo`."""
    start = lo
    for m in _SENTENCE_START_RE.finditer(text, lo, i):
        start = m.end()
    while start < i and text[start].isspace():
        start += 1
    return start


_GLUED_ATTRIBUTION_RE = re.compile(
    r",(?=\s*(?:[A-Z][\w’'-]*|he|she|they)(?:\s+[\w’'-]+){0,9}?\s+"
    r"(?:said|says|told|added|noted|stressed|stated|explained|declared|insisted)\b)"
)


def _unclosed_end(text: str, start: int, para_end: int) -> int:
    """Where an unclosed quote ends: at a glued attribution (`…,President X said`) or the paragraph end."""
    glued = list(_GLUED_ATTRIBUTION_RE.finditer(text, start, para_end))
    m = glued[-1] if glued else None
    return _trim_end(text, start, m.start() + 1 if m else para_end)


def _pairs(text: str, lo: int, hi: int, family: str, depth: int) -> list[QuotedRun]:
    """Pair the marks of one family inside one paragraph [lo, hi)."""
    runs: list[QuotedRun] = []
    open_at: int | None = None
    open_len = 0
    last_end = lo
    for m in _MARK_RE.finditer(text, lo, hi):
        mark = m.group()
        if _MARKS[mark][0] != family:
            continue
        d = _direction(text, m.start(), mark)
        if d == "apostrophe":
            continue
        if d == "maybe-close":
            if open_at is None:
                continue  # a possessive outside any quote
            d = CLOSE
        if d == EITHER or mark == "“" and open_at is not None and text[open_at] == "„":
            d = CLOSE if open_at is not None else OPEN  # „German style“ closes with “
        if d == OPEN:
            if open_at is not None and family == "double":
                # a second opening mark: the first quote lost its closing mark
                runs.append(QuotedRun([(open_at + open_len, _trim_end(text, open_at + open_len, m.start()))],
                                      closed=False, depth=depth, marks=[(open_at, open_at + open_len)]))
            if open_at is None or family == "double":
                open_at, open_len = m.start(), len(mark)
            continue
        # closing mark
        if open_at is not None:
            runs.append(QuotedRun([(open_at + open_len, m.start())], depth=depth,
                                  marks=[(open_at, open_at + open_len), (m.start(), m.end())]))
            open_at = None
        elif family == "double":
            start = _sentence_start(text, last_end, m.start())
            if start < m.start():
                runs.append(QuotedRun([(start, m.start())], opened=False, depth=depth,
                                      marks=[(m.start(), m.end())]))
        last_end = m.end()
    if open_at is not None and family == "double":
        s = open_at + open_len
        runs.append(QuotedRun([(s, _unclosed_end(text, s, hi))], closed=False, depth=depth,
                              marks=[(open_at, open_at + open_len)]))
    return [r for r in runs if r.end - r.start > 0 and r.end - r.start <= MAX_PIECE]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _merge_continuations(text: str, runs: list[QuotedRun], paras: list[tuple[int, int]]) -> list[QuotedRun]:
    """Join an unclosed quote with the next paragraph's quote when that paragraph opens with a mark."""
    merged: list[QuotedRun] = []
    for run in runs:
        prev = merged[-1] if merged else None
        if (prev is not None and not prev.closed and run.opened
                and _opens_paragraph(text, run, paras)):
            prev.spans.extend(run.spans)
            prev.marks.extend(run.marks)
            prev.closed = run.closed
            continue
        merged.append(run)
    return merged


def _opens_paragraph(text: str, run: QuotedRun, paras: list[tuple[int, int]]) -> bool:
    """True when the run's opening mark is the first thing in its paragraph."""
    mark_start = run.marks[0][0] if run.marks else run.start
    for s, e in paras:
        if s <= mark_start < e:
            return not text[s:mark_start].strip()
    return False


_URL_RE = re.compile(r"\s*(?:https?://|www\.)\S*\s*")


def _markup(text: str, run: QuotedRun) -> bool:
    """A web address or an HTML attribute value left in the text (`href="…"`, `title="…">`), not a quotation."""
    if _URL_RE.fullmatch(text, run.start, run.end):
        return True
    return any(text[s - 1:s] == "=" or text[e:e + 1] == ">" for s, e in run.marks)


def find_quoted(text: str) -> list[QuotedRun]:
    """Every quoted passage in `text`, top-level and nested, in text order."""
    paras = paragraphs(text)
    top: list[QuotedRun] = []
    for lo, hi in paras:
        top.extend(r for r in _pairs(text, lo, hi, "double", 0) if not _markup(text, r))
    top = _merge_continuations(text, top, paras)
    nested: list[QuotedRun] = []
    covered = [(r.start, r.end) for r in top]
    for lo, hi in paras:
        for run in _pairs(text, lo, hi, "single", 0):
            inside = any(s <= run.start and run.end <= e for s, e in covered)
            if inside:
                run.depth = 1
                nested.append(run)
            elif not any(s < run.end and run.start < e for s, e in covered):
                nested.append(run)  # a top-level single-quoted passage (British style, headlines)
    return sorted(top + nested, key=lambda r: (r.start, r.depth))
