"""Confidence that means something: the probability that a quote is right, speaker included.

The stages give each quote a raw score (how sure the cue model is of its frame, times how sure
attribution is of its speaker). That score ranks quotes, but it is not a probability. The last
stage, `calibrate`, maps it with a logistic regression over the raw score and what kind of quote
it is (kind, whether a speaker, a cue and a source were found, how the source names the speaker,
its length), fitted by `scripts/calibrate.py` on the annotated dev sets, so that of the quotes
given 0.8, about four in five are found in the gold with the right speaker. The fitted weights
live in `data/confidence.json`; the calibration table is in the README.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .model import KINDS, Quote

PRONOUNS = frozenset("he she they it we i him her them us his its their our".split())
FEATURES = ("bias", "raw", "raw_squared", *(f"kind_{k}" for k in KINDS), "no_speaker", "no_cue", "no_source",
            "source_pronoun", "source_common", "log_words")
_WORD = re.compile(r"\w+")


def features(quote: Quote, text: str) -> list[float]:
    """The quote's evidence, in the order of FEATURES."""
    source = text[slice(*quote.source_span)].strip() if quote.source_span else ""
    pronoun = source.lower() in PRONOUNS
    common = bool(source) and not pronoun and source[:1].islower()  # `the company`, `officials`
    raw = min(max(quote.confidence, 0.0), 1.0)
    return [1.0, raw, raw * raw, *(float(quote.kind == k) for k in KINDS), float(quote.speaker is None),
            float(quote.cue_span is None), float(quote.source_span is None), float(pronoun), float(common),
            math.log1p(len(_WORD.findall(quote.text)))]


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over FEATURES; `identity` when no fitted model matches these features."""

    weights: tuple[float, ...] | None

    def probability(self, quote: Quote, text: str) -> float:
        """P(quote right), or its raw score when there is no fitted model."""
        if self.weights is None:
            return quote.confidence
        z = sum(w * x for w, x in zip(self.weights, features(quote, text), strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    """The fitted model shipped in the package (identity if absent or fitted on other features)."""
    try:
        fitted = json.loads(resources.files("quotetrail").joinpath("data/confidence.json").read_text("utf-8"))
    except FileNotFoundError:
        return Calibration(None)
    if tuple(fitted.get("features", ())) != FEATURES:
        return Calibration(None)
    return Calibration(tuple(float(w) for w in fitted["weights"]))


def calibrate(quotes: list[Quote], text: str) -> None:
    """Replace each quote's raw score by its calibrated probability (three decimals)."""
    model = calibration()
    for quote in quotes:
        quote.confidence = round(model.probability(quote, text), 3)
