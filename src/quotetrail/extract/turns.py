"""Speech without quotation marks or a reporting clause: transcript turns, headline and bullet attributions."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import Candidate
from .cues import REPORTING_WORDS
from .frames import phrase

# `Correspondent: …`, `President Ilham Aliyev: …`, `SECRETARY POMPEO: …` at the start of a line.
_LABEL = re.compile(
    r"(?m)^[ \t]*((?:[A-Z][\w.’'-]*|of|the|de|al)(?:[ \t]+(?:[A-Z][\w.’'-]*|of|the|de|al)){0,5}):[ \t]+(?=\S)"
)
# Transcript labels in capitals, with titles, a parenthetical and a role after a comma, the turn on
# the same line or the next: `MS. PSAKI:`, `GOV. JANE ROE (D-XX), CANDIDATE:`, `A:`.
_UPPER_WORD = r"[A-Z][A-Z.’'-]*"
_UPPER_LABEL = re.compile(
    rf"(?m)^[ \t]*({_UPPER_WORD}(?:[ \t]+{_UPPER_WORD}){{0,5}}(?:[ \t]*\([^()\n]{{1,30}}\))?"
    rf"(?:,[ \t]*{_UPPER_WORD}(?:[ \t]+{_UPPER_WORD}){{0,4}})?)[ \t]*:[ \t]*(?:\n[ \t]*)?(?=\S)"
)
# `Q Why now?` / `Q. Why now?`: the interviewer's question without a colon.
_QUESTION = re.compile(r"(?m)^[ \t]*(Q)(?:\.[ \t]*|[ \t]+)(?=[A-Z“\"‘])")
_DASH_ATTRIBUTION = re.compile(r"^\s*(\S.*?\S)\s+[–—-]\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})\s*$")
_BULLET = re.compile(r"(?m)^[ \t]*[•·▪◦*–—-][ \t]+(?=\S)")
# Label-like words that head page furniture, not a speaker's turn (compared in lower case).
_NOT_LABELS = {"note", "update", "updated", "photo", "photos", "video", "videos", "source", "sources", "read",
               "related", "tags", "share", "topics", "editor", "editing", "reporting", "writing", "copyright",
               "warning", "also", "watch", "listen", "more", "see", "breaking", "exclusive", "correction",
               "clarification", "advertisement", "credit", "credits", "image", "images", "caption", "pictured",
               "click", "sign", "subscribe", "follow", "contact", "email", "published", "posted", "last",
               "by", "opinion", "analysis", "live", "latest", "summary", "background", "disclaimer",
               "trending", "recommended", "sponsored", "featured", "getty", "file", "top", "key", "highlights",
               "what", "why", "how", "when", "where", "who", "here", "this", "that", "these", "the", "an",
               "in", "on", "at", "for", "and", "but", "or", "if", "so", "now", "then", "today", "tonight",
               "yesterday", "tomorrow", "breaking news", "fact", "facts", "ps", "p.s", "nb", "n.b", "tl;dr",
               "transcript", "agenda", "location", "date", "time", "venue", "subject", "re", "fwd", "cc", "to",
               "from", "attachment", "title", "headline", "step", "part", "chapter", "section", "rule", "day",
               "week", "round", "example", "tip", "interview", "q&a", "profile", "review", "explainer",
               "podcast", "feature", "comment", "column", "letters", "obituary", "factcheck", "fact check"}
_SPEECH_NOUNS = {"message", "messages", "statement", "statements", "remark", "remarks", "thesis", "theses",
                 "point", "points", "quote", "quotes", "comment", "comments"}
_PLACE = ("GPE", "LOC", "DATE", "TIME", "FAC")
_END_PUNCT = tuple(".?!…\"”’)]:;—-")


def _is_label(label: str) -> bool:
    words = label.split()
    low = label.lower().strip(" .")
    return low not in _NOT_LABELS and words[0].lower().strip(".") not in _NOT_LABELS and not re.search(r"\d", label)


def _place_label(doc: Doc | None, span: tuple[int, int]) -> bool:
    """A dateline or a place (`LONDON:`, `MONDAY:`): every word of the label a place or a date."""
    if doc is None:
        return False
    label = doc.char_span(*span, alignment_mode="expand")
    words = [t for t in label if not t.is_punct] if label is not None else []
    return bool(words) and all(t.ent_type_ in _PLACE for t in words)


def _labels(text: str, doc: Doc | None) -> list[tuple[tuple[int, int], int]]:
    """(label span, where the turn starts) of every speaker label at the start of a line, in order."""
    found: dict[int, tuple[tuple[int, int], int]] = {}
    for rx in (_UPPER_LABEL, _LABEL):
        for m in rx.finditer(text):
            if m.start(1) not in found and _is_label(m.group(1)) and not _place_label(doc, m.span(1)):
                found[m.start(1)] = (m.span(1), m.end())
    if found:  # `Q Why now?` only beside other labels
        for m in _QUESTION.finditer(text):
            found.setdefault(m.start(1), (m.span(1), m.end()))
    return [found[k] for k in sorted(found)]


# The reporter's voice: `Koval said`, `the harbour board told`, `"…," she added` (not `I said`, `you told`).
_REPORTED = re.compile(r"\b(\w+)[ \t]+(?:also[ \t]+)?(?:said|says|told|tells|added|explained|stated|insisted|wrote)\b")
_FIRST_PERSON = {"i", "we", "you", "me", "us"}


def _narrative(par: str) -> bool:
    """A paragraph that is not a speaker's turn going on: a heading or page furniture (no final
    punctuation), a furniture label, or the reporter's voice (`_REPORTED`)."""
    par = par.strip()
    if not par.endswith(_END_PUNCT):
        return True
    first = re.match(r"([A-Za-z][\w ]{0,20}):", par)
    if first and not _is_label(first.group(1)):
        return True
    return any(m.group(1).lower() not in _FIRST_PERSON for m in _REPORTED.finditer(par))


def transcript_turns(text: str, doc: Doc | None = None) -> list[Candidate]:
    """Turns of an interview transcript: a speaker label and a colon at the start of a line.

    Needs at least two turns, so that one `Note: …` line is not taken for a transcript. A turn
    runs until the next label; a blank line ends one of its spans, and the turn goes on into the
    next paragraph unless that paragraph reads as narrative or furniture (`_narrative`).
    """
    labels = _labels(text, doc)
    if len(labels) < 2:
        return []
    turns = []
    for k, (label, body) in enumerate(labels):
        end = labels[k + 1][0][0] if k + 1 < len(labels) else len(text)
        spans, lo = [], body
        for blank in re.finditer(r"\n[ \t]*\n\s*", text[body:end]):
            spans.append((lo, body + blank.start()))
            lo = body + blank.end()
            nxt = re.search(r"\n[ \t]*\n", text[lo:end])
            if _narrative(text[lo:lo + nxt.start() if nxt else end]):
                lo = None
                break
        if lo is not None:
            spans.append((lo, end))
        spans = [(s, s + len(text[s:e].rstrip())) for s, e in spans]
        spans = [(s, e) for s, e in spans if e > s]
        if spans:
            turns.append(Candidate("other", spans, source=label, confidence=0.8))
    return turns


# `Putin on Ukraine: "…"`: a headline label with its topic.
_TOPIC_LABEL = re.compile(r"(?m)^[ \t]*([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,3})[ \t]+(?:on|about|over)[ \t]+"
                          r"[^:\n\"“”]{1,40}:[ \t]+(?=\S)")
# A headline's label may hold a role in lower case between names (`Rovers boss Keane:`, `Former PM Vik:`)
# or end on the occasion (`Boris Johnson resignation speech:`).
_HEADLINE_LABEL = re.compile(r"[ \t]*([A-Z][\w.’'-]*(?:[ \t]+[\w.’'-]+){0,3}[ \t]+"
                             r"(?:[A-Z][\w.’'-]*|speech|statement|interview|address|remarks)):[ \t]+(?=\S)")
_QUOTED_START = re.compile(r"[\"“‘'](?P<words>[^\"“”‘’\n]+?)[\"”’'](?=\s*$|\s+[-–—|]\s)")  # then nothing, or a dash
_TITLE_TAIL = re.compile(r"[ \t]+\|[ \t]+.*$")  # `… | Video | Outlet` of a page title
_QUOTE_MARKS = set("\"“”„«»‘’")


def _named(doc: Doc, span: tuple[int, int]) -> bool:
    """Whether the label names someone: an entity, or a word of a person's name in the article."""
    label = doc.char_span(*span, alignment_mode="expand")
    if label is None:
        return False
    if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in label):
        return True
    names = {t.lower_ for e in doc.ents if e.label_ == "PERSON" for t in e if t.is_alpha}
    return any(t.lower_ in names for t in label if t.is_alpha)


def _headlines(text: str) -> list[tuple[int, int]]:
    """The first line, and the next lines that stand alone as headings (no final full stop)."""
    lines = [(0, len(text.split("\n", 1)[0]))]
    for m in re.finditer(r"\n[ \t]*\n([^\n]+)(?=\n[ \t]*\n|\n?$)", text[:1500]):
        line = m.group(1).rstrip()
        if not line.endswith(".") and len(line.split()) <= 30:
            lines.append((m.start(1), m.start(1) + len(line)))
    return lines[:3]


def headline_attribution(text: str, doc: Doc) -> list[Candidate]:
    """`Putin: The fight is not over`, `Putin on Ukraine: "The fight is not over"` or
    `The fight is not over – Putin` as a headline of an article (mixed when it quotes words)."""
    out = []
    for k, (lo, hi) in enumerate(_headlines(text)):
        line = text[lo:hi]
        tail = _TITLE_TAIL.search(line)
        end = lo + (tail.start() if tail else len(line))
        dash = _DASH_ATTRIBUTION.match(text[lo:end]) if k == 0 else None
        if dash:  # `We will not be sold – Brandt`
            out.append(Candidate("other", [(lo + dash.start(1), lo + dash.end(1))],
                                 source=(lo + dash.start(2), lo + dash.end(2)), confidence=0.6))
            continue
        m = _TOPIC_LABEL.match(text, lo, end)
        if not m and k == 0:
            m = _LABEL.match(text, lo, end)
            if not m and (m := _HEADLINE_LABEL.match(text, lo, end)) and not _QUOTED_START.match(text, m.end(), end):
                m = None  # the looser label only before quoted words
            if m and (not _is_label(m.group(1)) or len(m.group(1).split()) > 4):
                m = None
        if not m or not _named(doc, m.span(1)):
            continue
        stop = len(text[:end].rstrip(" .\t\r"))
        if stop <= m.end():
            continue
        quoted = _QUOTED_START.match(text, m.end(), stop)
        if quoted:  # `Keane: 'We were second best'`: the words in the marks are his (after a dash, the frames')
            out.append(Candidate("direct", [quoted.span("words")], source=m.span(1), confidence=0.7))
            continue
        kind = "mixed" if any(ch in _QUOTE_MARKS for ch in text[m.end():stop]) else "other"
        out.append(Candidate(kind, [(m.end(), stop)], source=m.span(1), confidence=0.7))
    return out


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


# `What he said` / `Here is what the minister said:` as a heading over a block of the speaker's words.
_SAID_HEADING = re.compile(
    r"(?m)^[ \t]*(?:What|Here(?:’s|'s| is) what)[ \t]+((?:[\w.’'-]+[ \t]+){0,3}?[\w.’'-]+)[ \t]+"
    r"(said|says|told [\w ]{1,30}|wrote|writes)[ \t]*:?[ \t]*$")


def said_blocks(text: str) -> list[Candidate]:
    """The paragraphs under a `What he said` heading, up to the next heading: one quotation, direct
    when it carries quotation marks, else `other`; the heading gives its source and cue."""
    out = []
    for m in _SAID_HEADING.finditer(text):
        spans, pos = [], m.end()
        for par in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text[pos:pos + 20_000]):
            body = par.group().strip()
            first = body.split("\n", 1)[0]
            heading = not first.endswith(_END_PUNCT) and len(first.split()) <= 8
            if heading or _SAID_HEADING.match(body):
                break  # `What he meant`: the next heading
            lo, hi = pos + par.start(), pos + par.start() + len(par.group().rstrip())
            while lo < hi and (text[lo].isspace() or text[lo] in _QUOTE_MARKS):
                lo += 1
            while hi > lo and text[hi - 1] in _QUOTE_MARKS:
                hi -= 1
            spans.append((lo, hi))
        if spans:
            marked = any(ch in _QUOTE_MARKS for ch in text[spans[0][0] - 1:spans[-1][1] + 1])
            verb = m.group(2).split()[0]
            out.append(Candidate("direct" if marked else "other", spans, cue=(m.start(2), m.start(2) + len(verb)),
                                 source=m.span(1), confidence=0.6))
    return out


# A paragraph that ends by announcing speech: `She told Kestrel Radio:`, `In a statement, the board said:`.
_COLON_CUE = re.compile(r"(?m)\b(said|says|told|tells|added|adds|wrote|writes|stated|explained|continued)\b"
                        r"[^\n:.!?“”\"]{0,60}:[ \t]*$")
COLON_PARAGRAPHS = 3  # at most this many unquoted paragraphs after the colon are the speaker's


def colon_speech(text: str, doc: Doc) -> list[Candidate]:
    """The unquoted paragraphs after `X told Y:` ending a paragraph, up to the reporter's voice, a
    heading or a quotation mark: the speaker's words, kind `other`, with the frame's cue and subject."""
    out = []
    for m in _COLON_CUE.finditer(text):
        cue = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        subjects = [c for c in cue.root.children if c.dep_ in ("nsubj", "nsubjpass")] if cue is not None else []
        if not subjects:
            continue
        spans, pos = [], m.end()
        for par in re.finditer(r"[^\n]+", text[pos:pos + 20_000]):
            body = par.group().strip()
            if len(spans) == COLON_PARAGRAPHS or not body or body[0] in _QUOTE_MARKS or _narrative(body):
                break
            lo = pos + par.start() + len(par.group()) - len(par.group().lstrip())
            spans.append((lo, pos + par.start() + len(par.group().rstrip())))
        if spans:
            out.append(Candidate("other", spans, cue=m.span(1), source=phrase(subjects[0]), confidence=0.6))
    return out


def unmarked_speech(text: str, doc: Doc) -> list[Candidate]:
    """All speech of the article that has neither quotation marks nor a reporting clause."""
    return (transcript_turns(text, doc) + headline_attribution(text, doc) + bullet_statements(text, doc)
            + said_blocks(text) + colon_speech(text, doc))
