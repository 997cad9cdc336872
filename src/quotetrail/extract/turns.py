"""Speech without quotation marks or a reporting clause: transcript turns, headline and bullet attributions."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import Candidate
from .cues import REPORTING_WORDS

# `Correspondent: …`, `President Ilham Aliyev: …`, `SECRETARY POMPEO: …` at the start of a line.
_LABEL = re.compile(
    r"(?m)^[ \t]*((?:[A-Z][\w.’'-]*|of|the|de|al)(?:[ \t]+(?:[A-Z][\w.’'-]*|of|the|de|al)){0,5}):[ \t]+(?=\S)"
)
_DASH_ATTRIBUTION = re.compile(r"^\s*(\S.*?\S)\s+[–—-]\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})\s*$")
_BULLET = re.compile(r"(?m)^[ \t]*[•·▪◦*–—-][ \t]+(?=\S)")
_NOT_LABELS = {"Note", "Update", "Photo", "Video", "Source", "Read", "Related", "Tags", "Share", "Topics",
               "Editor", "Editing", "Reporting", "Writing", "Copyright", "Warning", "Q", "Also", "Watch"}
_SPEECH_NOUNS = {"message", "messages", "statement", "statements", "remark", "remarks", "thesis", "theses",
                 "point", "points", "quote", "quotes", "comment", "comments"}


def _is_label(label: str) -> bool:
    words = label.split()
    return label not in _NOT_LABELS and words[0] not in _NOT_LABELS and not re.search(r"\d", label)


def transcript_turns(text: str) -> list[Candidate]:
    """Turns of an interview transcript: a speaker label and a colon at the start of a line.

    Needs at least two turns, so that one `Note: …` line is not taken for a transcript;
    a turn runs until the next label or the next blank line.
    """
    labels = [m for m in _LABEL.finditer(text) if _is_label(m.group(1))]
    if len(labels) < 2:
        return []
    turns = []
    for k, m in enumerate(labels):
        end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        blank = re.search(r"\n[ \t]*\n", text[m.end():end])
        if blank:
            end = m.end() + blank.start()
        body_end = len(text[:end].rstrip())
        if body_end > m.end():
            turns.append(Candidate("other", [(m.end(), body_end)], source=m.span(1), confidence=0.8))
    return turns


def headline_attribution(text: str, doc: Doc) -> list[Candidate]:
    """`Putin: The fight is not over` or `The fight is not over – Putin` as the headline of an article."""
    first = text.split("\n", 1)[0]
    dash = _DASH_ATTRIBUTION.match(first)
    if dash:  # `We will not be sold – Brandt`
        return [Candidate("other", [dash.span(1)], source=dash.span(2), confidence=0.6)]
    m = _LABEL.match(first)
    if not m or not _is_label(m.group(1)) or len(m.group(1).split()) > 4:
        return []
    label = doc.char_span(*m.span(1), alignment_mode="expand")
    if label is None or not any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in label):
        return []
    end = len(first.rstrip(" .\t\r"))
    return [Candidate("other", [(m.end(), end)], source=m.span(1), confidence=0.7)]


def bullet_statements(text: str, doc: Doc) -> list[Candidate]:
    """Bullets under an introduction such as `the main messages Aliyev sounded:`, each one statement."""
    out = []
    for intro in re.finditer(r"(?m)^[^\n]*:[ \t]*\n", text):
        span = doc.char_span(intro.start(), intro.end() - 1, alignment_mode="expand")
        if span is None:
            continue
        speakers = [t for t in span if t.ent_type_ == "PERSON" or t.pos_ == "PROPN" and t.dep_ in ("nsubj", "poss")]
        cues = [t for t in span if t.lemma_.lower() in REPORTING_WORDS or t.lower_ in _SPEECH_NOUNS]
        if not speakers or not cues:
            continue
        source_tok = speakers[-1]
        cue_tok = next((t for t in span if t.pos_ == "VERB" and t.head.lower_ in _SPEECH_NOUNS or t.dep_ == "relcl"),
                       cues[0])
        pos = intro.end()
        while True:
            b = _BULLET.match(text, pos) or (_BULLET.match(text, pos + 1) if text[pos:pos + 1] == "\n" else None)
            if not b:
                break
            line_end = text.find("\n", b.end())
            line_end = len(text) if line_end < 0 else line_end
            body_end = len(text[:line_end].rstrip())
            out.append(Candidate("other", [(b.end(), body_end)], cue=(cue_tok.idx, cue_tok.idx + len(cue_tok)),
                                 source=(source_tok.idx, source_tok.idx + len(source_tok)), confidence=0.6))
            pos = line_end + 1
            while pos < len(text) and text[pos] in " \t\n" and not _BULLET.match(text, pos):
                pos += 1
    return out


def unmarked_speech(text: str, doc: Doc) -> list[Candidate]:
    """All speech of the article that has neither quotation marks nor a reporting clause."""
    return transcript_turns(text) + headline_attribution(text, doc) + bullet_statements(text, doc)
