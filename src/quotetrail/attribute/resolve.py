"""Resolve a source mention (name, surname, pronoun, role noun, organisation) to a canonical speaker."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..names import ORG_HEADS, fold, strip_titles
from .people import FEMALE, MALE, ROLE_HEADS, Cast, Person, is_name

_GROUP_PRONOUNS = {"they", "we", "them", "us"}
_VAGUE = {"officials", "sources", "source", "people", "experts", "analysts", "critics", "observers",
          "residents", "witnesses", "some", "others", "many", "reports", "report", "media", "one", "someone",
          "supporters", "voters", "polls", "poll", "survey", "study", "data"}


class Resolver:
    """Resolves the source mentions of one article, in text order, remembering recent speakers."""

    def __init__(self, doc: Doc, cast: Cast) -> None:
        self.doc = doc
        self.cast = cast
        self.ents = doc.ents  # built anew at every `doc.ents` (and so at every `span.ents`): once here
        self.last_speaker: Person | None = None

    def resolve(self, source: tuple[int, int] | None, at: int) -> tuple[str | None, float]:
        """(canonical speaker or None, confidence in it) for the mention at `source`."""
        if source is None:
            return None, 0.0
        span = self.doc.char_span(*source, alignment_mode="expand")
        if span is None or not len(span):
            return None, 0.0
        person, conf = self._resolve_span(span, at)
        if person is None:
            org = _organisation_name(span, self.ents)
            return (org, 0.6) if org else (None, 0.0)
        if not person.is_org:
            self.last_speaker = person
        return person.name, conf

    def _resolve_span(self, span: Span, at: int) -> tuple[Person | None, float]:
        names = [e for e in ents_within(self.ents, span) if is_name(e)]
        # `the board's chief executive, Henrik Lazlo, said`: the apposition names them
        if not names and span.end < len(self.doc) and self.doc[span.end].text == ",":
            for appos in (c for c in span.root.children if c.dep_ == "appos"):
                named = self.doc[appos.left_edge.i:appos.right_edge.i + 1]
                names = [e for e in ents_within(self.ents, named) if is_name(e)]
                if names:
                    break
        if names:
            ent = names[-1]
            name = strip_titles(ent.text)
            person = self.cast.full(name) or self.cast.add(name, ent.start_char)
            return person, 0.95 if len(person.name.split()) > 1 else 0.8
        head = span.root
        low = head.lower_
        if head.pos_ == "PRON" or low in MALE | FEMALE | _GROUP_PRONOUNS | {"i"}:
            return self._pronoun(low, at)
        orgs = [e for e in ents_within(self.ents, span) if e.label_ in ("ORG", "NORP", "GPE")]
        role = _role_of(span)
        if role:
            mods = {t.lemma_.lower() for t in span if t.pos_ in ("ADJ", "PROPN") and t.lower_ not in ROLE_HEADS}
            mods |= {fold(e.text)[:5] for e in orgs}
            person = self.cast.by_role(role, mods, at)
            if person is not None:
                return person, 0.8
        if head.pos_ == "PROPN" and head.text[:1].isupper():
            person = self.cast.full(head.text)  # a surname the NER missed
            if person is not None:
                return person, 0.8
            name = [t for t in span if t.pos_ == "PROPN" and t.i <= head.i and t.ent_type_ in ("", "PERSON")]
            if len(name) >= 2 and name[-1].i == head.i and name[-1].i - name[0].i == len(name) - 1:
                return self.cast.add(strip_titles(" ".join(t.text for t in name)), name[0].idx), 0.7
        return None, 0.0

    def _pronoun(self, low: str, at: int) -> tuple[Person | None, float]:
        if low in _GROUP_PRONOUNS:
            return None, 0.0
        gender = "f" if low in FEMALE else "m" if low in MALE else None
        last = self.last_speaker
        if last is not None and (gender is None or last.gender in (None, gender)) and at - last.last_before(at) < 1500:
            return last, 0.85
        person = self.cast.salient(at, gender)
        return (person, 0.7) if person else (None, 0.0)


def _role_of(span: Span) -> str | None:
    """The office named by a role noun mention (`the Azerbaijani President` → president)."""
    text = fold(span.text)
    if "head of state" in text:
        return "head of state"
    head = span.root
    if head.lower_ in ROLE_HEADS or head.lemma_.lower() in ROLE_HEADS:
        return head.lemma_.lower()
    for tok in span:
        if tok.lower_ in ROLE_HEADS and tok.pos_ in ("NOUN", "PROPN"):
            return tok.lower_
    return None


def ents_within(ents: tuple[Span, ...], span: Span) -> list[Span]:
    """`span.ents` from the doc's entities `ents`, read once: the same entities in the same order."""
    found = []
    for ent in ents:
        if ent.start >= span.start:
            if ent.end <= span.end:
                found.append(ent)
            else:
                break
    return found


def _organisation_name(span: Span, ents: tuple[Span, ...]) -> str | None:
    """An organisation kept as an organisation: `the Kremlin` → Kremlin, `the ministry` → ministry."""
    head = span.root  # `Port Halden dockers’ leader` is a person, not Port Halden
    orgs = [e for e in ents_within(ents, span)
            if e.label_ in ("ORG", "GPE", "NORP") and (e.start <= head.i < e.end or head.lower_ in ORG_HEADS)]
    if orgs:
        return re.sub(r"^(?:the|The)\s+", "", orgs[-1].text).removesuffix("’s").removesuffix("'s")
    if head.lower_ in ORG_HEADS and head.lower_ not in _VAGUE:
        words = [t.text for t in span if not (t.i == span.start and t.pos_ == "DET")]
        return " ".join(words).removesuffix(" ’s").removesuffix(" 's") or None
    return None
