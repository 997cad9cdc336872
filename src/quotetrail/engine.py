"""One article in, its quotations out: the stages of extraction in order."""
from __future__ import annotations

from . import nlp
from .attribute import attribute
from .extract.assemble import assemble
from .extract.cues import lexicon
from .extract.frames import find_frames
from .extract.marks import find_quoted
from .model import Quote


def extract(text: str, *, date: str | None = None, outlet: str | None = None, url: str | None = None) -> list[Quote]:
    """Every quotation in `text` with its speaker and venue, in text order.

    Offsets in the returned quotes index `text` exactly as given. `date`, `outlet`
    and `url` describe the article; they are kept for later stages and do not
    change what is found.
    """
    if not text or not text.strip():
        return []
    doc = nlp.load()(text)
    runs = find_quoted(text)
    frames = find_frames(doc, lexicon())
    candidates = assemble(text, runs, frames)
    return attribute(text, doc, candidates)
