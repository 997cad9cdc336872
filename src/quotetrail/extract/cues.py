"""The cue model: which words report speech or thought, and in which syntactic frame.

``data/cues.json`` holds a logistic regression learned from PolNeAR's train split by
``scripts/train_cues.py`` over the sparse ``features`` of a word (lemma, frame, holder,
complement, neighbours), and how often cue spans keep each kind of dependent. A short
hand-written list of core reporting verbs and nouns keeps a floor under the model.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat

from spacy.tokens import Token

# Parts of speech a cue can be headed by.
CANDIDATE_POS = ("VERB", "AUX", "NOUN")
# Dependents of a cue word that its span may take in.
ATTACHABLE = ("aux", "auxpass", "neg", "advmod", "prt", "prep")
# Frames: what the cue token governs that can be the reported content.
CLAUSE, OBJECT, PREP, BARE = "clause", "object", "prep", "bare"

# Core reporting verbs and their minimum probability, whatever the model says: a floor that
# keeps them when the news is unlike the training articles.
CORE_VERBS = {
    "say": 0.95, "tell": 0.9, "add": 0.8, "state": 0.9, "stress": 0.85, "note": 0.8,
    "declare": 0.85, "insist": 0.85, "explain": 0.8, "claim": 0.85, "announce": 0.8,
    "warn": 0.85, "argue": 0.85, "assert": 0.85, "emphasize": 0.8, "emphasise": 0.8,
    "underline": 0.7, "underscore": 0.7, "reiterate": 0.8, "remark": 0.8, "reply": 0.8,
    "respond": 0.7, "answer": 0.6, "write": 0.75, "tweet": 0.85, "report": 0.7,
    "confirm": 0.75, "deny": 0.7, "admit": 0.8, "acknowledge": 0.8, "recall": 0.7,
    "predict": 0.8, "promise": 0.75, "vow": 0.85, "pledge": 0.8, "suggest": 0.7,
    "believe": 0.6, "think": 0.55, "hope": 0.6, "urge": 0.7, "ask": 0.5, "continue": 0.3,
    "mention": 0.7, "point": 0.5, "sound": 0.3, "allege": 0.85, "contend": 0.85,
    "maintain": 0.6, "concede": 0.85, "complain": 0.8, "estimate": 0.7, "conclude": 0.7,
    "advise": 0.7,
}
# Nouns that report speech when they govern a clause or a quotation ("his statement that").
CORE_NOUNS = {
    "statement": 0.7, "claim": 0.7, "remark": 0.6, "comment": 0.6, "assertion": 0.8,
    "announcement": 0.6, "warning": 0.6, "expression": 0.5, "position": 0.4, "view": 0.4,
}

REPORTING_WORDS = frozenset(CORE_VERBS) | frozenset(CORE_NOUNS)


def frame_of(tok: Token) -> str:
    """The frame a candidate cue token heads: a clause, an object, a prepositional object, or nothing."""
    children = tuple(tok.children)  # each `tok.children` makes its tokens anew: once here
    deps = {c.dep_ for c in children}
    if deps & {"ccomp", "parataxis"} or any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in children):
        return CLAUSE
    if tok.pos_ == "NOUN" and any(c.dep_ == "acl" and any(g.lower_ == "that" for g in c.children)
                                  for c in children):
        return CLAUSE
    if "dobj" in deps:
        return OBJECT
    if any(c.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in children):
        return PREP
    return BARE


_PERSONAL = {"he", "she", "they", "we", "i", "you"}
_MODALS = {"will", "would", "could", "can", "may", "might", "should", "must"}


def _subject_kind(children: tuple[Token, ...]) -> str:
    """What kind of holder the word of `children` has: a person, an organisation, a pronoun, a noun, or none."""
    holder = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass", "poss", "csubj")), None)
    if holder is None:
        agent = next((c for c in children if c.dep_ == "agent"), None)
        holder = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    if holder is None:
        return "none"
    if holder.ent_type_ == "PERSON":
        return "person"
    if holder.ent_type_ in ("ORG", "NORP", "GPE"):
        return "org"
    if holder.pos_ == "PRON":
        return "personal" if holder.lower_ in _PERSONAL else "it"
    return holder.pos_.lower() + ("-pass" if holder.dep_ == "nsubjpass" else "")


def _complement_kind(children: tuple[Token, ...]) -> str:
    """What the word of `children` governs: a `that` clause, another clause, a `to` clause, an object, or nothing."""
    for child in children:
        if child.dep_ in ("ccomp", "acl") and any(g.dep_ == "mark" and g.lower_ in ("that", "if", "whether")
                                                  for g in child.children):
            return "that"
        if child.dep_ in ("ccomp", "parataxis"):
            return "clause"
    for child in children:
        if child.dep_ == "xcomp":
            return "to"
        if child.dep_ == "dobj":
            return "object"
    return "none"


def features(tok: Token, frame: str, quoted: bool | None = None) -> list[str]:
    """The sparse features the cue model scores: the word, its frame, its holder and its neighbours.

    `quoted` is whether the word's sentence holds a quotation mark (found here when not given).
    """
    lemma = tok.lemma_.lower()
    pos = "NOUN" if tok.pos_ in ("NOUN", "PROPN") else tok.pos_
    doc = tok.doc
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    children = tuple(tok.children)  # each `tok.children` makes its tokens anew: once here
    holder, comp = _subject_kind(children), _complement_kind(children)
    modal = any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children)
    if quoted is None:
        quoted = any(t.is_quote for t in tok.sent)
    return [
        "bias", f"l={lemma}", f"lp={lemma}|{pos}", f"lpf={lemma}|{pos}|{frame}", f"pf={pos}|{frame}",
        f"dep={tok.dep_}", f"ld={lemma}|{tok.dep_}", f"h={holder}", f"lh={lemma}|{holder}",
        f"c={comp}", f"lc={lemma}|{comp}", f"hc={holder}|{comp}", f"lhc={lemma}|{holder}|{comp}",
        f"tag={tok.tag_}", f"lt={lemma}|{tok.tag_}", f"prev={prev}", f"next={nxt}", f"lnext={lemma}|{nxt}",
        f"modal={modal}", f"q={quoted}", f"pq={pos}|{quoted}",
        f"head={tok.head.lemma_.lower() if tok.dep_ in ('conj', 'advcl', 'xcomp', 'ccomp') else '-'}",
    ]


@dataclass(frozen=True)
class CueLexicon:
    """A logistic model of whether a word in a frame is a reporting cue, and which words its span keeps."""

    weights: dict[str, float]
    attach: dict[str, float]

    def prob(self, tok: Token, frame: str | None = None, quoted: bool | None = None) -> float:
        """P(tok heads a cue | its lemma, frame, holder, complement and neighbours); `quoted` as in `features`."""
        frame = frame or frame_of(tok)
        score = sum(map(self.weights.get, features(tok, frame, quoted), repeat(0.0)))  # the same sum in the same order
        learned = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in CORE_VERBS and frame != OBJECT:
            return max(learned, CORE_VERBS[lemma])
        if tok.pos_ == "NOUN" and lemma in CORE_NOUNS and frame == CLAUSE:
            return max(learned, CORE_NOUNS[lemma])
        return learned

    def keeps(self, tok: Token, child: Token) -> bool:
        """Whether the cue span of `tok` takes in `child`: an auxiliary, a negation, an adverb
        (`also said`) or a particle (`called for`), as the training spans did."""
        specific, generic = attachment_keys(tok, child)
        p = self.attach.get(specific, self.attach.get(generic))
        return child.dep_ in ("aux", "auxpass", "neg", "prt") if p is None else p >= 0.5


def attachment_keys(tok: Token, child: Token) -> tuple[str, str]:
    """The keys of `child` in the attachment table: with the cue's lemma, and by its role alone."""
    side = "L" if child.i < tok.i else "R"
    return f"{tok.lemma_.lower()}|{child.dep_}|{child.lower_}", f"{child.dep_}|{side}|{child.lower_}"


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    """The lexicon shipped with the package."""
    data = json.loads(resources.files("quotetrail").joinpath("data/cues.json").read_text("utf-8"))
    return CueLexicon(weights=data["weights"], attach=data["attach"])
