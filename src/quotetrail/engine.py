"""One article in, its quotations out: the stages of extraction in order."""
from __future__ import annotations

import re

from . import nlp
from .attribute import attribute
from .extract.assemble import Candidate, assemble
from .extract.cues import lexicon
from .extract.frames import find_frames
from .extract.marks import find_quoted
from .extract.turns import unmarked_speech
from .model import Quote

# Texts longer than this are cut into pieces, and only pieces with a quotation mark or a
# common reporting word are parsed: a 5 MB page of one line must not take minutes.
CHUNK = 100_000
_EVIDENCE = re.compile(r"[\"“”„«»]|''|\b(?:said|says|say|told|tells|according|stated|added|noted|:)\b|:")


def extract(text: str, *, date: str | None = None, outlet: str | None = None, url: str | None = None) -> list[Quote]:
    """Every quotation in `text` with its speaker and venue, in text order.

    Offsets in the returned quotes index `text` exactly as given. `date`, `outlet`
    and `url` describe the article; they are kept for later stages and do not
    change what is found.
    """
    if not text or not text.strip():
        return []
    if len(text) <= CHUNK:
        return _extract_article(text)
    quotes = []
    for lo, hi in _chunks(text):
        if _EVIDENCE.search(text, lo, hi):
            quotes.extend(q.shifted(lo) for q in _extract_article(text[lo:hi]))
    return quotes


def _chunks(text: str) -> list[tuple[int, int]]:
    """Pieces of at most CHUNK characters, cut at a paragraph, else a sentence, else a space."""
    pieces, lo = [], 0
    while lo < len(text):
        hi = min(lo + CHUNK, len(text))
        if hi < len(text):
            window = text[lo + CHUNK // 2:hi]
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep)
                if cut >= 0:
                    hi = lo + CHUNK // 2 + cut + len(sep)
                    break
        pieces.append((lo, hi))
        lo = hi
    return pieces


def _extract_article(text: str) -> list[Quote]:
    """The stages on one text small enough to parse whole.

    The spaCy objects live in a memory zone: the words this text adds to the
    vocabulary are freed when it is done, so a process's memory does not grow with
    the corpus. Nothing spaCy owns leaves the zone (quotes hold offsets and `str`s).
    """
    pipeline = nlp.load()
    with pipeline.memory_zone():
        doc = pipeline(text)
        runs = find_quoted(text)
        frames = find_frames(doc, lexicon())
        unmarked = unmarked_speech(text, doc)
        candidates = [c for c in assemble(text, runs, frames) if not _inside_unmarked(c, unmarked)]
        return attribute(text, doc, candidates + _distinct(unmarked))


def _inside_unmarked(cand: Candidate, unmarked: list[Candidate]) -> bool:
    """Reported speech inside a transcript turn or bullet is that speaker's own words, not a new quote."""
    return cand.kind != "direct" and any(u.start <= cand.start and cand.end <= u.end for u in unmarked)


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        if c.spans[0] not in seen:
            seen.add(c.spans[0])
            out.append(c)
    return out
