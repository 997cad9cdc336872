"""Data classes that move between the stages, and their JSON form."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extract.frames import Frame
    from .extract.marks import QuotedRun

Span = tuple[int, int]

KINDS = ("direct", "indirect", "mixed", "other")
# venues that say how words were given when no outlet is named: a statement is another speech event
# than an interview (or an outlet's interview) of the same day
STATEMENT, INTERVIEW = "statement", "interview"


class Spanned:
    """Something that covers text in one or more (start, end) spans, in order."""

    spans: list[Span]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass
class Quote:
    """One attributed passage of speech in one article.

    Offsets are Python ``str`` indices into the article text exactly as given.
    """

    kind: str
    content_spans: list[Span]
    text: str
    cue_span: Span | None = None
    source_span: Span | None = None
    speaker: str | None = None
    venue: str | None = None
    confidence: float = 0.5

    @property
    def start(self) -> int:
        """Offset of the first content character."""
        return self.content_spans[0][0]

    def shifted(self, offset: int) -> Quote:
        """The same quote with every offset moved by `offset` (a piece of a longer text)."""
        move = lambda span: (span[0] + offset, span[1] + offset) if span else None  # noqa: E731
        return Quote(self.kind, [move(s) for s in self.content_spans], self.text, move(self.cue_span),
                     move(self.source_span), self.speaker, self.venue, self.confidence)

    def to_json(self) -> dict:
        """The quote as one object of the `extract` JSONL format."""
        return {
            "kind": self.kind,
            "content_spans": [list(s) for s in self.content_spans],
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "source_span": list(self.source_span) if self.source_span else None,
            "speaker": self.speaker,
            "venue": self.venue,
            "confidence": round(self.confidence, 3),
            "text": self.text,
        }

    @classmethod
    def from_json(cls, obj: dict, text: str | None = None) -> Quote:
        """Read a quote of the JSONL format (gold or predicted)."""
        spans = [tuple(s) for s in obj.get("content_spans") or []]
        quoted = obj.get("text")
        if quoted is None and text is not None:
            quoted = " … ".join(text[s:e] for s, e in spans)
        return cls(
            kind=obj.get("kind", "other"),
            content_spans=spans,
            text=quoted or "",
            cue_span=tuple(obj["cue_span"]) if obj.get("cue_span") else None,
            source_span=tuple(obj["source_span"]) if obj.get("source_span") else None,
            speaker=obj.get("speaker"),
            venue=obj.get("venue"),
            confidence=float(obj.get("confidence", 1.0)),
        )


@dataclass
class Article:
    """A news article: its text and what is known about where it came from.

    `text` is the text as ingested (cleaned, or exactly as given in a JSONL/CSV record); every
    offset of a quote indexes it. `date` is ISO 8601 (`YYYY-MM-DD`), `language` is `"en"` when the
    text reads as English and None otherwise. A piece split out of a merged text has the id
    `<source_id>#<n>` and starts at character `position` of its source's text.
    """

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    meta: dict = field(default_factory=dict)
    language: str | None = None
    source_id: str | None = None
    position: int | None = None
    origin: str | None = None  # where it was read: a file, `file:line` or `file#record`

    def header(self) -> dict:
        """The descriptive fields that are set (url, outlet, date, title, language, …), for JSON output."""
        keys = ("url", "outlet", "date", "title", "language", "source_id", "position", "origin")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


@dataclass
class Candidate(Spanned):
    """A quotation before speaker resolution."""

    kind: str
    spans: list[tuple[int, int]]
    frame: Frame | None = None
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    confidence: float = 0.5
    runs: list[QuotedRun] = field(default_factory=list)


@dataclass
class Skipped:
    """A source (file, record, line) that was not read, and why.

    `bad` is False for ordinary non-article inputs (a WARC request record, an image), which are
    counted in the summary but neither reported one by one nor make the exit code 1. `kind` groups
    skips in the summary (`empty file`, `non-HTML WARC record`); it defaults to the reason.
    """

    where: str
    reason: str
    bad: bool = True
    kind: str = ""

    def __post_init__(self) -> None:
        self.reason = " ".join(self.reason.split())  # always one line, whatever an exception said
        self.kind = self.kind or self.reason

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"
