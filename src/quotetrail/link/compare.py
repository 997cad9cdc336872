"""Whether two reports are of the same passage of the same speech event: the evidence and the rule.

The words decide first: long runs of the same words (a copy, a trimmed excerpt, a light edit), two
excerpts of one speaker where one ends as the other begins (`seam`: one passage cut at two places),
or most content words and some word pairs shared (a rewording or a paraphrase). Within one article
only a quote told twice links (`repeats`: a headline and the body's quote). Speaker, venue and
date then decide between utterances that share words: two known speakers must be the same (an
unresolved transcript turn, such as the interviewer's, is somebody else), two known venues must
agree, two known dates must lie within `DATE_WINDOW`; a known disagreement is overruled only by a
long near-verbatim passage (an outlet that put the words under the wrong interview). A short match
("Ceasefire cannot be achieved unilaterally", said in four interviews) links only when the venue
confirms it, or the dates lie within `SAME_NEWS` days.

Reports of one speech event (the same resolved speaker, venues that do not disagree, dates within
`DATE_WINDOW`) that the words alone do not link may still be of one passage: a paraphrase in the
reporter's words, one sentence of a long answer, a short excerpt with nothing to place it.
`event_score` measures how much of the smaller report's content the other contains; such a
weak link only attaches a lone report to the one group it fits best (`link.cluster`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cached_property, lru_cache

from rapidfuzz.distance import Indel

from ..model import INTERVIEW, STATEMENT
from .words import Token, content_stems, fingerprint, keys, tokens

DATE_WINDOW = 14  # days between two reports of one utterance, beyond which the dates disagree
SAME_NEWS = 3     # days within which two dates confirm a short match
MIN_RUN = 2        # words in a run of the same words that counts as shared wording
LONGEST = 4        # words in the longest of those runs, for them to count
LONG_RUN = 8       # shared words in runs that link two reports on their own
REWORDED = 5      # shared content words (60% of the shorter's) that link a rewording
SEAM = 5           # words that end one excerpt and begin another of the same speaker: one passage
OVERRULE = 20      # shared words in runs (and 80% of the shorter) that overrule a venue or date
EVENT_SHARE = 0.5  # share of the smaller report's content stems the other holds, at one speech event
EVENT_RUN = 5      # shared words in one run (two of them content words) that make a weak link
EVENT_MIN = 0.3    # least `event_score` of a weak link (two stems of four, no run: 0.25, is too little)
MARKED = 2 / 3     # share of a mixed report's quoted content stems the other must hold (`done` for `tried`)
REPORTED = frozenset({"indirect", "mixed"})  # kinds in the reporter's words: paraphrases
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]+)[\"“”„«»]|[‘’‚‹›]([^‘’‚‹›]+)[‘’‚‹›]")
_VENUE_NOISE = {"the", "a", "an", "tv", "channel", "news", "network", "television", "radio", "newspaper",
                 "agency", "american", "british", "russian", "turkish", "french", "german", "state", "s"}


@dataclass
class Report:
    """One quote as the linker sees it: ids, who, where, when and the words."""

    quote_id: int
    article_id: str
    text: str
    kind: str = "direct"
    speaker_id: int | None = None
    venue: str | None = None
    date: str | None = None
    transcript: bool = False  # a turn of an interview transcript: the primary words
    words: list[Token] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.words = tokens(self.text)

    @property
    def known_speaker(self) -> bool:
        """Whether the speaker is known: resolved, or a transcript label that names someone else."""
        return self.speaker_id is not None or self.transcript

    @cached_property
    def norms(self) -> list[str]:
        return [t.norm for t in self.words]

    @cached_property
    def _content(self) -> list[str]:
        return content_stems(self.words)

    @cached_property
    def stems(self) -> set[str]:
        return set(self._content)

    @cached_property
    def quoted_words(self) -> list[Token]:
        """The words that stand inside quotation marks (all of a direct quote's, none of an indirect one's)."""
        if self.kind == "direct":
            return self.words
        if self.kind != "mixed":
            return []
        return [t for m in _QUOTED.finditer(self.text) for t in tokens(m.group(1) or m.group(2))]

    @cached_property
    def quoted_stems(self) -> frozenset[str]:
        """The content stems inside the quotation marks of a mixed report: the speaker's own words."""
        return frozenset(content_stems(self.quoted_words)) if self.kind == "mixed" else frozenset()

    @cached_property
    def keys(self) -> set[int]:
        return keys(self._content)

    @cached_property
    def grams(self) -> frozenset[tuple[str, ...]]:
        """Its runs of `LONGEST` words: a report shares one with any it may copy or continue."""
        return frozenset(_runs_of(self.norms))

    @property
    def fingerprint(self) -> int:
        """The index key of the exact words (a word-for-word twin has the same)."""
        return fingerprint(self.norms)

    @cached_property
    def day(self) -> Date | None:
        return day_of(self.date)


def day_of(date: str | None) -> Date | None:
    """The day of an article's date, None when it is unknown or only a month or a year."""
    try:
        return Date.fromisoformat(date) if date else None
    except ValueError:
        return None


def days_agree(a: Date | None, b: Date | None) -> bool:
    """Whether two days may be of one speech event: within `DATE_WINDOW` of each other, or one unknown."""
    return not (a and b and abs((a - b).days) > DATE_WINDOW)


@dataclass(frozen=True)
class Evidence:
    """What two reports share: words in runs (`aligned`, the `longest` run), and the share of the shorter they make."""

    aligned: int
    longest: int
    coverage: float
    shared_stems: int
    stem_share: float
    shared_keys: int


def aligned_runs(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """(start in a, start in b, length) of the runs of at least `MIN_RUN` equal words in an alignment.

    A run takes in the equal words just before and after it that the alignment matched elsewhere
    (the `the` of `the port needs` paired with an earlier `the`)."""
    runs: list[tuple[int, int, int]] = []
    for op in Indel.opcodes(a, b):
        if op.tag != "equal" or op.src_end - op.src_start < MIN_RUN:
            continue
        i, j, n = op.src_start, op.dest_start, op.src_end - op.src_start
        floor_a, floor_b = (runs[-1][0] + runs[-1][2], runs[-1][1] + runs[-1][2]) if runs else (0, 0)
        while i > floor_a and j > floor_b and a[i - 1] == b[j - 1]:
            i, j, n = i - 1, j - 1, n + 1
        runs.append((i, j, n))
    for k, (i, j, n) in enumerate(runs):  # and the equal words just after it
        ceil_a, ceil_b = (runs[k + 1][0], runs[k + 1][1]) if k + 1 < len(runs) else (len(a), len(b))
        while i + n < ceil_a and j + n < ceil_b and a[i + n] == b[j + n]:
            n += 1
        runs[k] = (i, j, n)
    return runs


def evidence(a: Report, b: Report) -> Evidence:
    """The textual evidence that `a` and `b` report the same words."""
    runs = [n for _, _, n in aligned_runs(a.norms, b.norms)]
    aligned = sum(runs)
    shared = len(a.stems & b.stems)
    return Evidence(aligned=aligned, longest=max(runs, default=0),
                    coverage=aligned / max(1, min(len(a.norms), len(b.norms))),
                    shared_stems=shared, stem_share=shared / max(1, min(len(a.stems), len(b.stems))),
                    shared_keys=len(a.keys & b.keys))


def venues_agree(a: str | None, b: str | None) -> bool | None:
    """True or False for two known venues (`Fox News` agrees with `the American Fox News Channel`), else None.
    A statement disagrees with every other venue; an interview with no outlet named may be any outlet's."""
    if not a or not b:
        return None
    if a in (STATEMENT, INTERVIEW) or b in (STATEMENT, INTERVIEW):  # a medium: an outlet's interview may be it
        return a == b or (None if STATEMENT not in (a, b) else False)
    first, second = _venue_words(a), _venue_words(b)
    if not first or not second:
        return first == second
    return first <= second or second <= first


@lru_cache(maxsize=4096)
def _venue_words(venue: str) -> frozenset[str]:
    return frozenset(t.norm for t in tokens(venue)) - _VENUE_NOISE


def link_score(a: Report, b: Report) -> tuple[float, bool] | None:
    """How strongly `a` and `b` are reports of one passage (0..1) and whether the words alone decide
    it (a long near-verbatim passage, which overrules venue and date), or None when they are not."""
    if a.speaker_id != b.speaker_id and a.known_speaker and b.known_speaker:
        return None
    e = evidence(a, b)
    # one outlet's excerpt ends where the other's begins: one passage cut in two places
    seamed = a.speaker_id is not None and seam(a.norms, b.norms) >= SEAM
    long_copy = seamed or (e.aligned >= LONG_RUN and e.longest >= LONGEST) or (e.aligned >= 4 and e.coverage >= 0.5)
    # two paraphrases share the reporter's words for the topic ("plans to close eleven lines"): more is needed
    share = 0.8 if {a.kind, b.kind} <= REPORTED else 0.6
    reworded = e.shared_stems >= REWORDED and e.stem_share >= share and e.shared_keys >= 2
    if not (long_copy or reworded):
        return None
    firm = e.aligned >= OVERRULE and e.coverage >= 0.8
    venue = venues_agree(a.venue, b.venue)
    days = abs((a.day - b.day).days) if a.day and b.day else None
    if venue is False or not days_agree(a.day, b.day):
        if not firm:
            return None
    elif e.aligned < LONG_RUN and not (reworded or seamed) and venue is None and (days is None or days > SAME_NEWS):
        return None  # a short shared sentence with nothing to place it: it may be another interview
    return round(max(e.coverage, 0.9 * e.stem_share), 3), firm


def may_share_words(a: Report, b: Report) -> bool:
    """A cheap test that `link_score` may accept the pair on its words: a content stem and a run of
    `LONGEST` words shared, or a content stem and a report short enough to be wholly in the other
    (`It's a hurricane`). Only `a`'s runs are kept (`Report.grams`): `b`'s are read up to the first
    shared one."""
    if a.stems.isdisjoint(b.stems):
        return False
    return min(len(a.norms), len(b.norms)) <= 2 * LONGEST or _shares_run(a, b)


def _shares_run(a: Report, b: Report) -> bool:
    """Whether the two share a run of `LONGEST` words (`a`'s runs kept, `b`'s read up to the first shared)."""
    return not a.grams.isdisjoint(_runs_of(b.norms))


def _runs_of(norms: list[str]) -> Iterable[tuple[str, ...]]:
    return zip(*(norms[i:] for i in range(LONGEST)), strict=False)  # the runs of LONGEST words, in order


def seam(a: list[str], b: list[str], most: int = 30) -> int:
    """How many words (up to `most`) end one report as they begin the other, each going on beyond them."""
    return max((k for k in range(1, min(len(a) - 1, len(b) - 1, most) + 1) if a[-k:] == b[:k] or b[-k:] == a[:k]),
               default=0)


def repeats(a: Report, b: Report) -> bool:
    """Whether two reports of one article are one utterance told twice (a headline and the body's
    quote): one resolved speaker, and the shorter report's words, three or more, a run of the other's."""
    if a.speaker_id is None or a.speaker_id != b.speaker_id:
        return False
    short = min(len(a.norms), len(b.norms))
    return short >= 3 and any(n >= short for _, _, n in aligned_runs(a.norms, b.norms))


def same_event(a: Report, b: Report) -> bool:
    """Whether two reports may be of one speech event: one resolved speaker, venues and dates not disagreeing."""
    if a.speaker_id is None or a.speaker_id != b.speaker_id or venues_agree(a.venue, b.venue) is False:
        return False
    return days_agree(a.day, b.day)


def event_score(a: Report, b: Report) -> float | None:
    """How well the other report holds the smaller one's content when both may be of one speech event,
    or None: at least two shared content stems and `EVENT_SHARE` of the smaller's, a lone content
    word inside a run of three shared words ("It's a hurricane"), a run of `EVENT_RUN` shared words
    holding two content words (`the club at the end of the` season; a quarter of the smaller's
    content shared at least), or the words a mixed report
    puts in quotation marks, `MARKED` of them in the other's. Two paraphrases are never weakly
    linked (they share the reporter's words for the topic, not the speaker's). The score grows with
    the share held, the stems shared (up to four) and the longest run of shared words."""
    if {a.kind, b.kind} <= REPORTED or not same_event(a, b):
        return None
    marked = max((held for m, other in ((a, b), (b, a))
                  if m.quoted_stems and (held := len(m.quoted_stems & other.stems)) >= MARKED * len(m.quoted_stems)),
                 default=0)
    score = round(EVENT_MIN + 0.05 * marked, 3) if marked else 0.0
    shared = len(a.stems & b.stems)
    small = min(len(a.stems), len(b.stems))
    held = bool(small) and shared / small >= EVENT_SHARE and (shared >= 2 or shared == small)
    run_may_hold = shared >= 2 and shared >= small / 4 and _shares_run(a, b)  # `a`: the new report
    if not (held or run_may_hold):
        return score or None
    runs = aligned_runs(a.norms, b.norms)
    run = max((n for _, _, n in runs), default=0)
    if any(n >= EVENT_RUN and len(content_stems(a.words[i:i + n])) >= 2 for i, _, n in runs):
        score = max(score, round(EVENT_MIN + 0.02 * min(run, 10), 3))
    if held and (shared >= 2 or run >= 3):
        score = max(score, round(shared / small * min(1.0, shared / 4) + 0.02 * min(run, 10), 3))
    return score if score >= EVENT_MIN else None
