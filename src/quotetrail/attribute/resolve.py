"""Resolve a source mention (name, surname, pronoun, role noun, organisation) to a canonical speaker.

Every lookup goes to the article's entity model (`entities.Entities`): a name to the fullest form
the article writes, a pronoun to the person the text is about, a role noun (`the manager`, `the
45-year-old Dutchman`) to the person the article described so, `the group`, `it`, `a statement by
X` to the organisation. What cannot be resolved is None: a bare common noun is never a speaker.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from ..extract.marks import QuotedRun
from ..names import ORG_HEADS, TITLES, fold, strip_titles, without_ticker
from .entities import (
    ABBREVIATIONS,
    FEMALE,
    MALE,
    PERSON_NOUNS,
    ROLE_HEADS,
    Entities,
    Entity,
    is_common,
    is_name,
    name_parts,
)

_GROUP_PRONOUNS = {"they", "we", "them", "us"}
_ORG_PRONOUNS = {"it", "its"}
_VAGUE = {"officials", "sources", "source", "people", "experts", "analysts", "critics", "observers",
          "residents", "witnesses", "some", "others", "many", "reports", "report", "media", "one", "someone",
          "supporters", "voters", "polls", "poll", "survey", "study", "data"}
# People who speak for the organisation they belong to: `analysts at Rowe Capital`, `officials of the ministry`.
_MEMBERS = {"analysts", "officials", "economists", "researchers", "executives", "lawyers", "spokesman",
            "spokeswoman", "spokesperson", "representatives", "staff"}
# Things that speak for their author: `the statement said`, `data from the statistics office X`.
_DOCUMENTS = {"statement", "letter", "release", "post", "tweet", "memo", "report", "data", "figures",
              "survey", "poll", "announcement", "filing", "notice", "message", "video", "study"}
_AGE = re.compile(r"\d+-?years?-?old$")
# The labels of a Q&A: the answers are the interviewee's, the questions the (here unnamed) interviewer's.
_ANSWER_LABELS = {"a", "answer"}
_QUESTION_LABELS = {"q", "question"}


class Resolver:
    """Resolves the source mentions of one article, in text order, remembering recent speakers."""

    def __init__(self, doc: Doc, entities: Entities, runs: list[QuotedRun]) -> None:
        self.doc = doc
        self.entities = entities
        self.ents = entities.ents
        self.last_speaker: Entity | None = None
        self.history: list[tuple[int, Entity]] = []  # (offset of the source, speaker), in text order
        self.org_nouns: dict[str, Entity] = {}  # `company` → the organisation `the company` stood for
        self._quoted = sorted(span for run in runs for span in run.spans)  # the marks stage's runs

    def quoted(self, at: int) -> bool:
        """Whether `at` lies inside quotation marks (of any style, as `extract.marks` pairs them)."""
        k = bisect_right(self._quoted, (at, float("inf"))) - 1
        return k >= 0 and self._quoted[k][0] <= at < self._quoted[k][1]

    def resolve(self, source: tuple[int, int] | None, at: int) -> tuple[str | None, float]:
        """(canonical speaker or None, confidence in it) for the mention at `source`."""
        if source is None:
            return None, 0.0
        span = self.doc.char_span(*source, alignment_mode="expand")
        if span is None or not len(span):
            return None, 0.0
        person, conf = self._resolve_span(span, at)
        if person is None:
            org = _organisation_name(span, self.ents, self.entities)
            return (org, 0.6) if org else (None, 0.0)
        if not person.is_org:
            self.last_speaker = person
        self.history.append((at, person))
        return person.name, conf

    def _resolve_span(self, span: Span, at: int) -> tuple[Entity | None, float]:
        if _coordinated(span):
            return None, 0.0  # `Reis and Vik said`: both of them, so neither alone
        label = span.text.strip().rstrip(":.").lower()
        if label in _ANSWER_LABELS:
            person = self._interviewee(at)
            return (person, 0.8) if person else (None, 0.0)
        if label in _QUESTION_LABELS:
            return None, 0.0
        if _is_label(span.text) and not any(e.label_ in ("ORG", "GPE", "NORP") and e.start == span.start
                                            for e in ents_within(self.ents, span)):  # `NATO:` is NATO
            return self._labelled(span)
        head = span.root
        low = head.lower_
        names = [p for e in ents_within(self.ents, span) if e.label_ == "PERSON" and not self.entities.is_org(e)
                 for p in name_parts(e)
                 if not is_common(strip_titles(p.text), self.entities.demonyms)
                 and (p is not e or is_name(e))]
        # `Lee's allies`, `Lee's spokesman`: the name only owns the head noun
        if names and head.pos_ == "NOUN" and all(not (p.start <= head.i < p.end) for p in names):
            owners = [p for p in names if p.root.dep_ == "poss"]
            if owners:
                if low in PERSON_NOUNS | ROLE_HEADS:
                    mods = {fold(t.text) for p in owners for t in p}
                    person = self.entities.by_role(head.lemma_.lower(), mods, at)
                    return (person, 0.7) if person else (None, 0.0)
                return None, 0.0
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
            if self.entities.full(name) is None and self.entities.shared_first_name(name):
                return None, 0.0  # `Joe said` when two Joes are named: nobody rather than the wrong one
            person = self.entities.add(name, ent.start_char)  # joins the full name it abbreviates
            return person, 0.95 if len(person.name.split()) > 1 else 0.8
        if head.pos_ == "PRON" or low in MALE | FEMALE | _GROUP_PRONOUNS | {"i"}:
            return self._pronoun(low, at)
        inside = [e for e in ents_within(self.ents, span) if e.label_ in ("ORG", "NORP", "GPE")]
        if (low in _MEMBERS or head.lemma_.lower() in _MEMBERS) and not inside:
            body = _body_spoken_for(head)
            if body is not None:  # `a spokesperson for the company`: the company speaks
                org = self._organisation(body, at)
                return (org, 0.6) if org else (None, 0.0)
        if low in _DOCUMENTS or head.lemma_.lower() in _DOCUMENTS:
            return self._document(span, head, inside, at)
        role = _role_of(span)
        if role:
            mods = {ABBREVIATIONS.get(m, m) for m in (t.lemma_.lower() for t in span
                    if t.pos_ in ("ADJ", "PROPN", "NOUN") and t.i != head.i and t.lower_ not in ROLE_HEADS)}
            mods |= {fold(e.text)[:5] for e in inside}
            person = self.entities.by_role(role, mods, at)
            if person is not None:
                return person, 0.8
            if _definite(span) and all(e.start <= head.i < e.end for e in inside):  # `the German` itself
                person = self._salient_person(at)
                if person is not None:
                    return person, 0.6
        if (len(span) == 1 and head.pos_ in ("ADJ", "NOUN") and head.dep_.startswith("nsubj")
                and head.text[:1].isupper() and not is_common(head.text, self.entities.demonyms)
                and self.entities.full(head.text) is not None):
            return self.entities.add(head.text, head.idx), 0.7  # a surname the parse took for a word (`Manchin Says`)
        if head.pos_ == "PROPN" and head.text[:1].isupper() and not is_common(head.text, self.entities.demonyms):
            person = self.entities.full(head.text)  # a surname the NER missed
            if person is None and self.entities.shared_first_name(head.text):
                return None, 0.0  # `Joe said` when two Joes are named: nobody rather than the wrong one
            org = self.entities.org(head.text) if person is None and len(span) <= 2 else None
            if org is not None:  # `Korvath` of Korvath Logistics
                return org, 0.7
            if person is not None:
                return self.entities.add(head.text, head.idx), 0.8
            titled = fold(span[0].text).rstrip(".") in TITLES  # `Detective Sergeant Mara Quill`, whatever the NER says
            name = [t for t in span if t.pos_ == "PROPN" and t.i <= head.i
                    and (t.ent_type_ in ("", "PERSON") or titled and t.ent_type_ not in ("GPE", "NORP", "LOC"))]
            if name and name[-1].i == head.i and name[-1].i - name[0].i == len(name) - 1:
                words = strip_titles(" ".join(t.text for t in name))
                if not is_common(words, self.entities.demonyms):
                    return self.entities.add(words, name[0].idx), 0.7 if len(name) > 1 else 0.6
        if (head.pos_ == "NOUN" and _definite(span) and (low in ORG_HEADS or head.lemma_.lower() in ORG_HEADS)
                or low == "police" and len(span) == 1):  # `the firm`, `police` (a name's own head is its own)
            org = self._organisation(head, at)
            return (org, 0.6) if org else (None, 0.0)
        return None, 0.0

    def _labelled(self, span: Span) -> tuple[Entity | None, float]:
        """A transcript label in capitals (`MS. LARKIN`, `CHIEF OMAR BELL (FIRE), HARBOR CITY`): the
        person the article names so, else the name the label spells."""
        words = [w.capitalize() for w in re.sub(r"\([^)]*\)", " ", span.text).split(",")[0].split()]
        name = strip_titles(" ".join(words))
        if not name or is_common(name, self.entities.demonyms) or name.lower() in _VAGUE:
            return None, 0.0
        person = self.entities.full(name)
        if person is not None:
            return person, 0.85
        return self.entities.add(name, span.start_char), 0.7 if len(name.split()) > 1 else 0.5

    def _interviewee(self, at: int) -> Entity | None:
        """The person a Q&A is with: the one its introduction is about (the most mentioned before the
        answer, the first named on a tie)."""
        people = [p for p in self.entities.people.values() if not p.is_org and p.count_before(at)]
        if not people:
            return None
        return max(people, key=lambda p: (p.count_before(at), -min(p.mentions)))

    def _document(self, span: Span, head: Token, inside: list[Span], at: int) -> tuple[Entity | None, float]:
        """`a statement by the firm X`, `data from the office X` → X; `the statement` → whoever the
        article last said issued one."""
        orgs = [e for e in inside if e.label_ == "ORG"]
        if orgs:
            name = re.sub(r"^(?:the|The)\s+", "", orgs[-1].text)
            return self.entities.org(name) or self.entities.add(name, orgs[-1].start_char, is_org=True), 0.7
        if not _definite(span):
            return None, 0.0
        noun = head.lemma_.lower()
        for offset, person in reversed(self.history):
            sent = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
            if sent is not None and any(t.lemma_.lower() == noun for t in sent.sent):
                return person, 0.6
        return None, 0.0

    def _pronoun(self, low: str, at: int) -> tuple[Entity | None, float]:
        if low in _ORG_PRONOUNS:
            org = self._recent_org(at)
            return (org, 0.6) if org else (None, 0.0)
        if low in _GROUP_PRONOUNS or low in ("i", "me") and not self.quoted(at):
            return None, 0.0  # `I` in the narration is the author, never the person quoted
        gender = "f" if low in FEMALE else "m" if low in MALE else None
        last = self.last_speaker
        newcomer = self._newcomer(at, gender)
        if newcomer is not None:
            return newcomer, 0.75
        if last is not None and (gender is None or last.gender in (None, gender)) and at - last.last_before(at) < 1500:
            return last, 0.85
        # a guess from a given name (`Ottilie`) gives way when nobody else fits the pronoun
        person = self.entities.salient(at, gender) or self.entities.salient(at, gender, guesses=False)
        return (person, 0.7) if person else (None, 0.0)

    def _newcomer(self, at: int, gender: str | None) -> Entity | None:
        """A person introduced as a subject since the last speaker was last named, in this paragraph or
        the one before (`Bank chief Bo Lind took the question. ¶ “…,” he said`): the pronoun's person."""
        last = self.last_speaker
        if last is None:
            return None
        since = max(last.last_before(at), paragraph_start(self.entities.text, at, back=1))
        found = [(m, p) for p in self.entities.people.values() if not p.is_org and p is not last
                 and (gender is None or p.gender in (None, gender))
                 for m in p.subjects if since < m < at and not self.quoted(m)]  # not `“Mum was left …”`
        return max(found, key=lambda f: f[0])[1] if found else None

    def _organisation(self, noun: Token, at: int) -> Entity | None:
        """The organisation `the firm`, `the ministry` or `police` stands for: the one described so,
        named by that word, or named last; else (not for `police`) the article's central one or its only one."""
        low, lemma = noun.lower_, noun.lemma_.lower()
        org = (self.entities.by_role(lemma, set(), at, orgs=True) or self.entities.named(low, at)
               or self._recent_org(at) or self.org_nouns.get(lemma)
               or (None if low == "police" else self.entities.central(at, orgs=True) or self.entities.only(at)))
        if org is not None:
            self.org_nouns[lemma] = org  # `the company` names the same firm all through the article
        return org

    def _recent_org(self, at: int) -> Entity | None:
        """The organisation named last before `at`, in this paragraph or the one before."""
        org = self.entities.salient(at, None, orgs=True)
        if org is None or org.last_before(at) < paragraph_start(self.entities.text, at, back=1):
            return None
        return org

    def _salient_person(self, at: int) -> Entity | None:
        """The person a role noun with no described match stands for: the recent speaker, else the
        article's clearly central person."""
        last = self.last_speaker
        if last is not None and at - last.last_before(at) < 1500:
            return last
        return self.entities.central(at)


def _coordinated(span: Span) -> bool:
    """Whether the mention is one of two or more people named together (`Alma Reis and Tomas Vik`),
    as the parser links them or as the words stand (`and` between two names)."""
    head, doc = span.root, span.doc
    if head.pos_ not in ("PROPN", "NOUN"):
        return False
    if head.dep_ == "conj" and head.head.pos_ in ("PROPN", "NOUN") \
            or any(c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") for c in head.children):
        return True
    before = span.start >= 2 and doc[span.start - 1].lower_ in ("and", "&") and doc[span.start - 2].pos_ == "PROPN"
    after = span.end + 1 < len(doc) and doc[span.end].lower_ in ("and", "&") and doc[span.end + 1].pos_ == "PROPN"
    return before or after


def _is_label(text: str) -> bool:
    """Words in capitals, as transcripts write their speakers' labels."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _body_spoken_for(head: Token) -> Token | None:
    """The organisation noun a member speaks for (`for the company`, `of the ministry`), if one."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at"):
            for noun in prep.children:
                if noun.dep_ == "pobj" and (noun.lower_ in ORG_HEADS or noun.lemma_.lower() in ORG_HEADS):
                    return noun
    return None


def _definite(span: Span) -> bool:
    """`the manager`, `the 45-year-old`, `The lead investigator`: a definite noun phrase (not `a
    spokesperson for the company`, whose `the` is the company's)."""
    return any(t.lower_ in ("the", "this") and t.dep_ == "det" and t.head.i == span.root.i for t in span)


def paragraph_start(text: str, at: int, back: int = 0) -> int:
    """Offset where the paragraph holding `at` starts, or the one `back` paragraphs before it."""
    start = at
    for _ in range(back + 1):
        cut = text.rfind("\n", 0, start)
        while cut > 0 and not text[cut - 1:cut].strip():
            cut -= 1
        if cut < 0:
            return 0
        start = cut
    return start


def _role_of(span: Span) -> str | None:
    """The office named by a role noun mention (`the Azerbaijani President` → president)."""
    text = fold(span.text)
    if "head of state" in text:
        return "head of state"
    head = span.root
    lemma = head.lemma_.lower()
    if head.lower_ in ROLE_HEADS | PERSON_NOUNS or lemma in ROLE_HEADS | PERSON_NOUNS:
        return lemma
    for tok in span:  # `the Minister Tomas Vik`, not the owner of `the mayor's office`
        if tok.lower_ in ROLE_HEADS and tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "poss":
            return tok.lower_
    # `the 45-year-old Dutchman`, `the 45-year-old`: a person all the same
    if head.ent_type_ == "NORP" or _AGE.search(re.sub(r"\s+", "", fold(span.text))):
        return "person"
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


def _organisation_name(span: Span, ents: tuple[Span, ...], entities: Entities) -> str | None:
    """An organisation kept as an organisation: `the Kremlin` → Kremlin; never a bare common noun."""
    head = span.root  # `Port Halden dockers’ leader` is a person, not Port Halden
    speaks_for = head.lower_ in ORG_HEADS or head.lower_ in _MEMBERS  # `analysts at Rowe Capital`
    orgs = [e for e in ents_within(ents, span)
            if (e.label_ in ("ORG", "GPE", "NORP") or entities.is_org(e)) and (e.start <= head.i < e.end or speaks_for)]
    if orgs:
        name = without_ticker(re.sub(r"^(?:the|The)\s+", "", orgs[-1].text).removesuffix("’s").removesuffix("'s"))
        if is_common(name, entities.demonyms):
            return None
        known = entities.org(name) if entities.is_org(orgs[-1]) else None
        return known.name if known else name
    return None
