"""One article in, its quotations out: the stages of extraction in order."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import nlp  # first: it sets up numpy's BLAS (one thread) before spaCy imports numpy
from .attribute import attribute
from .extract.assemble import assemble
from .extract.cues import lexicon
from .extract.frames import find_frames
from .extract.marks import find_quoted
from .extract.turns import unmarked_speech
from .model import Candidate, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Texts longer than this are cut into pieces, and only pieces with a quotation mark or a
# common reporting word are parsed: a 5 MB page of one line must not take minutes.
CHUNK = 100_000
# Texts parsed together by `extract_batch`: at most this many, and together at most BATCH_CHARS
# characters (a longer text is parsed alone), since the parser's memory grows with the batch.
BATCH = 4
BATCH_CHARS = 25_000
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
        return _extract_doc(text, pipeline(text))


def _extract_doc(text: str, doc: Doc) -> list[Quote]:
    """The stages after the parse: quotation marks, frames, unmarked speech, candidates, speakers."""
    runs = find_quoted(text)
    frames = find_frames(doc, lexicon())
    unmarked = unmarked_speech(text, doc)
    candidates = [c for c in assemble(text, runs, frames) if not _inside_unmarked(c, unmarked)]
    return attribute(text, doc, candidates + _distinct(unmarked))


def extract_batch(texts: Sequence[str]) -> list[list[Quote] | Exception]:
    """`extract` of each text, in order, or the exception it raised: one bad text never spoils the others.

    The texts that fit in one piece are parsed together (`nlp.pipe`), which gives the
    parser and the entity recognizer a batch of sentences at every step of their
    transition loops: the same annotations (checked token by token on PolNeAR dev and
    train), 5 to 10% less time per article at BATCH texts (more gain nothing), at
    most BATCH_CHARS characters together. A batch shares one memory zone.
    """
    results: list[list[Quote] | Exception | None] = [None] * len(texts)
    whole = [i for i, t in enumerate(texts) if t and t.strip() and len(t) <= CHUNK]
    for i, text in enumerate(texts):
        if i not in whole:
            results[i] = _guarded(extract, text)
    groups: list[list[int]] = []
    for i in whole:
        if groups and sum(len(texts[k]) for k in groups[-1]) + len(texts[i]) <= BATCH_CHARS:
            groups[-1].append(i)
        else:
            groups.append([i])
    pipeline = nlp.load() if groups else None
    for group in groups:
        try:
            with pipeline.memory_zone():
                docs = pipeline.pipe([texts[i] for i in group], batch_size=len(group))
                for i, doc in zip(group, docs):
                    results[i] = _guarded(_extract_doc, texts[i], doc)
        except Exception:  # noqa: BLE001 - the parse of the batch failed: one text at a time, to tell which
            for i in group:
                results[i] = _guarded(extract, texts[i])
    return results


def _guarded(fn, *args) -> list[Quote] | Exception:
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - handed back to the caller, which reports it
        return exc


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
