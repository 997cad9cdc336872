"""Articles in, their quotations out: the stages of extraction, in order, on batches of texts.

`STAGES` is the whole sequence, each stage a function that reads what the stages before it put on
a `Draft` and adds its own part (spaCy's idea of a pipeline with one contract):

1. `marks`: quotation marks paired on characters (`extract.marks`);
2. `frames`: reporting frames from the dependency parse, cue, source and content (`extract.frames`);
3. `turns`: speech without marks, transcript turns, headline and bullet attributions (`extract.turns`);
4. `assemble`: marks and frames joined into direct, mixed and indirect candidates (`extract.assemble`);
5. `speech`: under the `news` conventions, candidates that report no speech dropped (`extract.speech`);
6. `attribute`: each candidate's speaker and venue resolved in the article (`attribute`);
7. `calibrate`: each quote's raw score turned into the probability that it is right (`confidence`).

`conventions` says what counts as a quotation: `news` (the default, the project's guidelines: only
speech, no plain noun-phrase objects, findings, hedged, negated or hearsay frames) or `polnear`
(PolNeAR's: every attribution the frames find, noun-phrase objects included).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import nlp  # first: it sets up numpy's BLAS (one thread) before spaCy imports numpy
from .attribute import attribute
from .attribute.entities import Earlier
from .confidence import calibrate
from .extract.assemble import assemble
from .extract.cues import lexicon
from .extract.frames import find_frames
from .extract.marks import find_quoted
from .extract.speech import verdicts
from .extract.turns import unmarked_speech
from .ingest.clean import without_surrogates
from .ingest.split import windows
from .model import Candidate, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .extract.frames import Frame
    from .extract.marks import QuotedRun

# Texts longer than this are cut into pieces (at a paragraph, else a line, a sentence, a space), each
# parsed and attributed on its own, and only pieces with a quotation mark or a common reporting word
# are parsed: the parser's memory grows with its text (about 4 MB per 1,000 characters: 550 MB at
# 100,000; a worker given four 1 MB pieces of a huge article peaked at 364 MB with pieces of 40,000,
# 302 MB with these), and a 5 MB page of one line must not take minutes.
CHUNK = 25_000
# A run of more characters than this with no sentence end is cut into pieces of its own (at a
# semicolon, else a comma, else a space): the stages look at a frame's whole sentence, so a sentence
# holding many frames costs its length times their number. No sentence of PolNeAR or the real-world
# samples comes near (the longest is 980 characters).
SENTENCE_CHARS = 2_000
# Texts parsed together by `extract_quotes_batch`: at most this many, and together at most BATCH_CHARS
# characters (a longer text is parsed alone), since the parser's memory grows with the batch.
BATCH = 4
BATCH_CHARS = 25_000
# What counts as a quotation: the project's guidelines for news, or PolNeAR's annotation.
CONVENTIONS = ("news", "polnear")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s|\n")
_EVIDENCE = re.compile(r"[\"“”„«»]|''|\b(?:said|says|say|told|tells|according|stated|added|noted|:)\b|:")


@dataclass
class Draft:
    """One text on its way through `STAGES`: the parse, and what each stage found."""

    text: str
    doc: Doc
    runs: list[QuotedRun] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    unmarked: list[Candidate] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    conventions: str = "news"
    mentions: list[Candidate] = field(default_factory=list)  # candidates that report no speech
    earlier: Earlier | None = None  # for a piece of a longer text: the people its earlier pieces named
    start: int = 0  # ... and where the piece starts in that text


def _marks(draft: Draft) -> None:
    draft.runs = find_quoted(draft.text)


def _frames(draft: Draft) -> None:
    draft.frames = find_frames(draft.doc, lexicon(), trim=draft.conventions == "news")


def _turns(draft: Draft) -> None:
    draft.unmarked = unmarked_speech(draft.text, draft.doc)


def _assemble(draft: Draft) -> None:
    marked = [c for c in assemble(draft.text, draft.runs, draft.frames) if not _inside_unmarked(c, draft.unmarked)]
    draft.candidates = marked + _distinct(draft.unmarked)


def _speech(draft: Draft) -> None:
    if draft.conventions == "news":
        judged = verdicts(draft.candidates, draft.text)  # each candidate judged once
        draft.mentions = [c for c, rule in judged if rule]
        draft.candidates = [c for c, rule in judged if not rule]


def _attribute(draft: Draft) -> None:
    draft.quotes = attribute(draft.text, draft.doc, draft.runs, draft.candidates, draft.mentions,
                             draft.earlier, draft.start)


def _calibrate(draft: Draft) -> None:
    calibrate(draft.quotes, draft.text)


STAGES: tuple[tuple[str, Callable[[Draft], None]], ...] = (
    ("marks", _marks), ("frames", _frames), ("turns", _turns), ("assemble", _assemble), ("speech", _speech),
    ("attribute", _attribute), ("calibrate", _calibrate))


def run_stages(text: str, doc: Doc, conventions: str = "news", until: str | None = None,
               earlier: Earlier | None = None, start: int = 0) -> list[Quote]:
    """The quotes of one parsed text: `STAGES` in order (up to and including the stage `until`).
    `earlier` and `start` as in `attribute`, for a piece of a longer text."""
    draft = Draft(text, doc, conventions=conventions, earlier=earlier, start=start)
    for name, stage in STAGES:
        stage(draft)
        if name == until:
            break
    return draft.quotes


def extract_quotes(text: str, conventions: str = "news") -> list[Quote]:
    """Every quotation in `text` with its speaker and venue, in text order.

    Offsets in the returned quotes index `text` exactly as given. `conventions` is one of
    CONVENTIONS: `news` (only speech) or `polnear` (every attribution, as PolNeAR annotates).
    """
    found = extract_quotes_batch([text], conventions=conventions)[0]
    if isinstance(found, Exception):
        raise found
    return found


def extract_quotes_batch(texts: Sequence[str], conventions: str = "news") -> list[list[Quote] | Exception]:
    """`extract_quotes` of each text, in order, or the exception it raised: one bad text never
    spoils the others. `conventions` as in `extract_quotes` (an unknown name: ValueError).

    Texts are parsed together (`nlp.pipe`), which gives the parser and the entity recognizer a
    batch of sentences at every step of their transition loops: the same annotations, less time
    per article (benchmarks/README.md says how much). A batch holds at most BATCH texts of at most
    BATCH_CHARS characters together and shares one memory zone: the words it adds to the
    vocabulary are freed when it is done, so a process's memory does not grow with the corpus.
    A text over CHUNK characters is cut into pieces (`pieces_of`), and only the pieces with a
    quotation mark or a common reporting word are parsed: a 5 MB page of one line must not take
    minutes; a sentence over SENTENCE_CHARS is cut too. Offsets come back in the whole text, and a
    piece knows the people the pieces before it named (`attribute.entities.Earlier`).
    """
    check_conventions(conventions)
    texts = [without_surrogates(t) if t else t for t in texts]  # a lone surrogate would fail the parse
    results: list[list[Quote] | Exception] = [[] for _ in texts]
    pieces = [(i, lo, text[lo:hi]) for i, text in enumerate(texts) if text and text.strip()
              for lo, hi in pieces_of(text) if len(text) <= CHUNK or _EVIDENCE.search(text, lo, hi)]
    pipeline = nlp.load() if pieces else None
    shares = Counter(i for i, _, _ in pieces)
    earlier = {i: Earlier() for i, n in shares.items() if n > 1}  # who a long text's pieces named, for the next
    for group in _groups(pieces):
        try:
            with nlp.memory_zone(pipeline):
                docs = pipeline.pipe([piece for _, _, piece in group], batch_size=len(group))
                found = [_guarded(run_stages, piece, doc, conventions, None, earlier.get(i), lo)
                         for (i, lo, piece), doc in zip(group, docs, strict=True)]
        except Exception:  # noqa: BLE001 - the parse of the batch failed: one text at a time, to tell which
            found = [_guarded(_alone, pipeline, piece, conventions, earlier.get(i), lo) for i, lo, piece in group]
        for (i, lo, _), quotes in zip(group, found, strict=True):
            if isinstance(results[i], Exception):
                continue
            results[i] = quotes if isinstance(quotes, Exception) else results[i] + [q.shifted(lo) for q in quotes]
    return results


def check_conventions(conventions: str) -> str:
    """`conventions` if it is one of CONVENTIONS, else a ValueError."""
    if conventions not in CONVENTIONS:
        raise ValueError(f"unknown conventions {conventions!r}: expected one of {', '.join(CONVENTIONS)}")
    return conventions


def _alone(pipeline, text: str, conventions: str, earlier: Earlier | None, start: int) -> list[Quote]:
    with nlp.memory_zone(pipeline):
        return run_stages(text, pipeline(text), conventions, None, earlier, start)


def _groups(pieces: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Consecutive pieces, at most BATCH of at most BATCH_CHARS characters together (a longer one alone)."""
    groups: list[list[tuple[int, int, str]]] = []
    for piece in pieces:
        last = groups[-1] if groups else None
        if last and len(last) < BATCH and sum(len(p[2]) for p in last) + len(piece[2]) <= BATCH_CHARS:
            last.append(piece)
        else:
            groups.append([piece])
    return groups


def pieces_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces the engine parses apart: `text` whole when it is at most CHUNK
    characters with no sentence over SENTENCE_CHARS; else windows of at most CHUNK characters cut at
    a paragraph, else a line, a sentence, a space, and every over-long sentence in windows of its own."""
    pieces = []
    for lo, hi in windows(text, 0, len(text), CHUNK, ("\n\n", "\n", ". ", " ")):
        start = end = lo
        for m in _SENTENCE_END.finditer(text, lo, hi):
            if m.end() - end > SENTENCE_CHARS:
                if end > start:
                    pieces.append((start, end))
                pieces.extend(windows(text, end, m.end(), SENTENCE_CHARS, ("; ", ", ", " ")))
                start = m.end()
            end = m.end()
        if hi - end > SENTENCE_CHARS:
            if end > start:
                pieces.append((start, end))
            pieces.extend(windows(text, end, hi, SENTENCE_CHARS, ("; ", ", ", " ")))
        elif hi > start:
            pieces.append((start, hi))
    return pieces


def _guarded(fn, *args) -> list[Quote] | Exception:
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - handed back to the caller, which reports it
        return exc


def _inside_unmarked(cand: Candidate, unmarked: list[Candidate]) -> bool:
    """Reported speech inside a transcript turn or bullet is that speaker's own words, not a new quote;
    the quoted words of a headline's `X on Y: "…"` or `X: "…"` are that headline's, and so is a stray quoted run
    with no frame of its own inside a block that has a cue (`What he said`, a list of statements)."""
    return any(u.start <= cand.start and cand.end <= u.end
               and (cand.kind != "direct" or u.kind in ("mixed", "direct") or u.cue and cand.frame is None)
               for u in unmarked)


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        if c.spans[0] not in seen:
            seen.add(c.spans[0])
            out.append(c)
    return out
