"""Attribution inside one article: canonical speakers and venues for quotation candidates."""
from __future__ import annotations

from spacy.tokens import Doc

from ..extract.marks import QuotedRun
from ..model import STATEMENT, Candidate, Quote
from ..names import fold
from .entities import Earlier, Entities, is_name
from .resolve import Resolver, ents_within, paragraph_start
from .venue import find_venue


def attribute(text: str, doc: Doc, runs: list[QuotedRun], candidates: list[Candidate],
              mentions: list[Candidate] = (), earlier: Earlier | None = None, start: int = 0) -> list[Quote]:
    """Resolve each candidate's speaker and venue; venues carry over to a speaker's other quotes.
    `runs` are the text's quoted passages (`extract.marks`): a name inside one is nobody's antecedent.

    `mentions` are frames that are no quotations (see `extract.speech`): their sources are resolved
    in text order with the rest, so that the people they name count for the pronouns and roles
    after them as they did before the filter, but they give no quote.

    `text` may be the piece at `start` of a longer text: `earlier` then holds the people its pieces
    before named, and takes this piece's for the next (see `entities.Earlier`).
    """
    entities = Entities(doc, earlier.before(start) if earlier else None)
    resolver = Resolver(doc, entities, runs)
    names = {fold(p.name) for p in entities.people.values() if not p.is_org}
    quotes: list[Quote] = []
    silent = {id(c) for c in mentions}
    ordered = sorted([*candidates, *mentions], key=lambda c: c.start)
    found = {id(c): resolver.resolve(c.source or _clause_subject(doc, c), c.source[0] if c.source else c.start)
             for c in ordered}
    _sourceless(text, doc, entities, ordered, found)
    for cand in ordered:
        speaker, conf = found[id(cand)]
        if id(cand) in silent:
            continue
        sentence = cand.frame.sentence if cand.frame else _sentence(doc, cand.cue[0]) if cand.cue else None
        venue = find_venue(sentence.text, names) if sentence is not None else None
        spans = [(s, e) for s, e in cand.spans if e > s]
        if not spans:
            continue
        quotes.append(Quote(
            kind=cand.kind,
            content_spans=spans,
            text=" … ".join(text[s:e] for s, e in spans),
            cue_span=cand.cue,
            source_span=cand.source,
            speaker=speaker,
            venue=venue,
            confidence=round(cand.confidence * (conf if speaker else 0.5), 3),
        ))
    _share_venues(quotes, _interviews(doc, resolver, names))
    if earlier:
        earlier.keep(start, entities)
    return quotes


def _sourceless(text: str, doc: Doc, entities: Entities, ordered: list[Candidate],
                found: dict[int, tuple[str | None, float]]) -> None:
    """Speakers for quotes with no source mention, from the text around them, in text order:

    1. a reporting frame in the same sentence (`“A’’ she said, “B.”`, `X said that …, “B”`) gives its
       speaker (a quote attached by a colon or comma to a clause, `X is the fire chief, “…”`, `he said:
       “…”`, has already had the clause's subject resolved as its source, see `_clause_subject`);
    2. a direct quote that opens a sentence continues the previous attributed item's speaker, when that
       item ends in this paragraph or the one before and nobody else is named in between; not a
       question, which is an interviewer's as often as the speaker's.
    """
    prev: tuple[int, str | None] | None = None  # (end offset, speaker) of the last reporting frame's item
    for cand in ordered:
        speaker, _ = found[id(cand)]
        if cand.source is None and speaker is None:
            guess = _same_sentence(doc, cand, ordered, found)
            if guess:
                found[id(cand)] = (guess, 0.6)
            elif prev and prev[1] and cand.kind == "direct" and _opens_sentence(text, cand.start) \
                    and not text[cand.start:cand.end].rstrip(" \"“”‘’'").endswith("?") \
                    and paragraph_start(text, cand.start, back=1) <= prev[0] <= cand.start \
                    and not _named_between(entities, prev[0], cand.start, prev[1]):
                found[id(cand)] = (prev[1], 0.5)
        speaker, _ = found[id(cand)]
        if cand.cue is not None and (cand.source is not None or speaker is not None):
            prev = (cand.end, speaker)  # a reporting frame; a continuation carries its frame on
        elif prev is not None and speaker is not None and speaker == prev[1]:
            prev = (cand.end, speaker)


def _sentence(doc: Doc, offset: int):
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span.sent if span is not None and len(span) else None


def _same_sentence(doc: Doc, cand: Candidate, ordered: list[Candidate],
                   found: dict[int, tuple[str | None, float]]) -> str | None:
    sents = {s for s in (_sentence(doc, cand.start), _sentence(doc, max(cand.end - 1, cand.start))) if s is not None}
    for other in ordered:
        if other is cand or other.source is None or other.cue is None or not found[id(other)][0]:
            continue
        if any(s.start_char <= other.source[0] < s.end_char for s in sents):
            return found[id(other)][0]
    return None


def _clause_subject(doc: Doc, cand: Candidate) -> tuple[int, int] | None:
    """The subject of the clause a sourceless quote hangs on by a colon or comma (`he said: “…”`,
    `X is the fire chief, “…”`), as a source span for the resolver, else None."""
    sent = _sentence(doc, cand.start)
    if sent is None:
        return None
    before = sent.text[:cand.start - sent.start_char].rstrip(" \t\"“”‘’'«»„")
    if not before.endswith((":", ",")) or "\n" in before:
        return None
    subjects = [t for t in sent if t.idx < sent.start_char + len(before) and t.dep_ in ("nsubj", "nsubjpass")
                and t.head.idx < sent.start_char + len(before)]
    if not subjects:
        return None
    subj = subjects[-1]
    return doc[subj.left_edge.i].idx, subj.idx + len(subj.text)


def _opens_sentence(text: str, start: int) -> bool:
    """Only an opening mark and spaces stand between the quote and the end of the sentence before it."""
    before = text[max(0, start - 300):start].rstrip(" \t\"“”‘’'«»„")
    return not before or before[-1] in ".!?\n:…" or before.endswith(("”", "’"))


def _named_between(entities: Entities, lo: int, hi: int, speaker: str) -> bool:
    """Someone other than `speaker` is named between the offsets: a change of speaker."""
    return any(lo <= m < hi for p in entities.people.values() if not p.is_org and p.name != speaker
               for m in p.mentions)


def _interviews(doc: Doc, resolver: Resolver, names: set[str]) -> dict[str, set[str]]:
    """Venues the article gives a person outside any quote: `X was interviewed by Al Jazeera`."""
    found: dict[str, set[str]] = {}
    for sent in doc.sents:
        venue = find_venue(sent.text, names)
        if not venue:
            continue
        for ent in ents_within(resolver.ents, sent):
            if is_name(ent):
                speaker, _ = resolver.resolve((ent.start_char, ent.end_char), ent.start_char)
                if speaker:
                    found.setdefault(speaker, set()).add(venue)
    return found


def _share_venues(quotes: list[Quote], venues: dict[str, set[str]]) -> None:
    """A speaker with one named venue in the article (an interview) gets it on every quote; a
    statement is the medium of the quotes it frames alone."""
    for q in quotes:
        if q.speaker and q.venue:
            venues.setdefault(q.speaker, set()).add(q.venue)
    for q in quotes:
        named = venues.get(q.speaker, set()) - {STATEMENT}
        if q.speaker and not q.venue and len(named) == 1:
            q.venue = next(iter(named))
