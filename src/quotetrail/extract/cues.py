"""The cue lexicon: which words report speech or thought, and in which syntactic frame.

The statistics in ``data/cues.json`` are counts learned from PolNeAR's train split by
``scripts/train_cues.py``: for each (lemma, part of speech, frame) how often the word
heads a gold cue span, out of all its occurrences. A short hand-written list adds the
core reporting verbs so the lexicon never misses them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

# Frames: what the cue token governs that can be the reported content.
CLAUSE, OBJECT, PREP, BARE = "clause", "object", "prep", "bare"

# Core reporting verbs and their minimum probability, whatever the counts say.
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
}
# Nouns that report speech when they govern a clause or a quotation ("his statement that").
CORE_NOUNS = {
    "statement": 0.7, "claim": 0.7, "remark": 0.6, "comment": 0.6, "assertion": 0.8,
    "announcement": 0.6, "warning": 0.6, "expression": 0.5, "position": 0.4, "view": 0.4,
}

REPORTING_WORDS = frozenset(CORE_VERBS) | frozenset(CORE_NOUNS)


def frame_of(tok: Token) -> str:
    """The frame a candidate cue token heads: a clause, an object, a prepositional object, or nothing."""
    deps = {c.dep_ for c in tok.children}
    if deps & {"ccomp", "parataxis"} or any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in tok.children):
        return CLAUSE
    if tok.pos_ == "NOUN" and any(c.dep_ == "acl" and any(g.lower_ == "that" for g in c.children) for c in tok.children):
        return CLAUSE
    if "dobj" in deps:
        return OBJECT
    if any(c.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in tok.children):
        return PREP
    return BARE


@dataclass(frozen=True)
class CueLexicon:
    """Probabilities that a word in a frame is a reporting cue, and the particles its cue span keeps."""

    probs: dict[str, float]
    preps: dict[str, float]

    def prob(self, tok: Token, frame: str | None = None) -> float:
        """P(tok heads a cue | its lemma, part of speech and frame)."""
        lemma = tok.lemma_.lower()
        frame = frame or frame_of(tok)
        pos = "NOUN" if tok.pos_ in ("NOUN", "PROPN") else tok.pos_
        learned = self.probs.get(f"{lemma}|{pos}|{frame}")
        if learned is None:
            learned = self.probs.get(f"{lemma}|{pos}|*", 0.0) * (0.5 if frame == BARE else 1.0)
        if pos in ("VERB", "AUX") and lemma in CORE_VERBS:
            return max(learned, CORE_VERBS[lemma] if frame != OBJECT else learned)
        if pos == "NOUN" and lemma in CORE_NOUNS and frame == CLAUSE:
            return max(learned, CORE_NOUNS[lemma])
        return learned

    def keeps_prep(self, tok: Token, prep: Token) -> bool:
        """Whether the cue span of `tok` includes its preposition (`called for`, `referring to`)."""
        return self.preps.get(f"{tok.lemma_.lower()}|{prep.lower_}", 0.0) >= 0.5


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    """The lexicon shipped with the package."""
    data = json.loads(resources.files("quotetrail").joinpath("data/cues.json").read_text("utf-8"))
    return CueLexicon(probs=data["probs"], preps=data["preps"])
