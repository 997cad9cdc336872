"""Attribution inside one article: canonical speakers and venues for quotation candidates."""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Candidate, Quote
from ..names import fold
from .people import Cast, is_name
from .resolve import Resolver, ents_within
from .venue import find_venue


def attribute(text: str, doc: Doc, candidates: list[Candidate], mentions: list[Candidate] = ()) -> list[Quote]:
    """Resolve each candidate's speaker and venue; venues carry over to a speaker's other quotes.

    `mentions` are frames that are no quotations (see `extract.speech`): their sources are resolved
    in text order with the rest, so that the people they name count for the pronouns and roles
    after them as they did before the filter, but they give no quote.
    """
    cast = Cast(doc)
    resolver = Resolver(doc, cast)
    names = {fold(p.name) for p in cast.people.values() if not p.is_org}
    quotes: list[Quote] = []
    silent = {id(c) for c in mentions}
    for cand in sorted([*candidates, *mentions], key=lambda c: c.start):
        speaker, conf = resolver.resolve(cand.source, cand.source[0] if cand.source else cand.start)
        if id(cand) in silent:
            continue
        venue = find_venue(cand.frame.sentence.text, names) if cand.frame else None
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
    return quotes


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
    """A speaker with one named venue in the article (an interview) gets it on every quote."""
    for q in quotes:
        if q.speaker and q.venue:
            venues.setdefault(q.speaker, set()).add(q.venue)
    for q in quotes:
        if q.speaker and not q.venue and len(venues.get(q.speaker, ())) == 1:
            q.venue = next(iter(venues[q.speaker]))
