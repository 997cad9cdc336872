"""The trail of one cluster: each member's relation to the original words, its diff and its alterations.

- `primary`: a turn of an interview transcript (the earliest, fullest one when there are several).
- `paraphrase`: an indirect or mixed report (a summary in the reporter's words).
- `verbatim`: the same words as the primary, or as a report from another article (three words or
  more of them): the whole of them, or whole sentences of them; and the only report of the words
  in a cluster of paraphrases, which nothing rewords.
- `trimmed`: a shorter excerpt of those words (90% of its words in runs shared with a longer one)
  that cuts a sentence (`Them's the breaks` of `… sad to be giving up the best job in the world,
  but them's the breaks`) or leaves words out inside.
- `reworded`: the same passage in other words (another translation or a rewrite).

The diff of a member is a word alignment against its `base`: the primary, else the one of the
fullest reports of the wording it shares the most words with (the fullest and earliest, the
cluster's reference, when it shares none). `altered` marks a member whose words
inside quotation marks differ from the base's in a negation, a number, a name or another content
word in the middle of a stretch they otherwise share: the candidate misquotes.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

from .compare import MIN_RUN, REPORTED, Report, aligned_runs
from .words import NEGATIONS, STOPWORDS, Token, stem, word_spans

RELATIONS = ("primary", "verbatim", "trimmed", "reworded", "paraphrase")
SAME_WORDS = 0.9  # share of a report's words in runs shared with another for the same wording
COPIED = 3        # words another article must copy from a report for it to count as the original words
COMPARED = 8      # without a primary, a report's wording is compared with this many of the fullest others
_FLANK = 2        # shared words on each side of a change for it to count as a change, not a cut ...
_FLANKS = 6       # ... and on both sides together
_MAX_CHANGE = 4   # words on either side of one change
_ENDS_SENTENCE = re.compile(r"[.!?;…][\"”’»]?\s*$")


@dataclass(frozen=True)
class Change:
    """One meaning-bearing change inside quotation marks: `kind` is negation, number, name or word."""

    kind: str
    was: str
    now: str


@dataclass
class Member:
    """A report's place in its cluster."""

    relation: str
    base: int | None = None  # quote id the diff is against (None for the reference itself)
    changes: list[Change] = field(default_factory=list)

    @property
    def altered(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class Bases:
    """The reports a cluster's members are compared with: its primary, the `COMPARED` + 1 fullest
    reports of its wording (the longest first, the earliest among equals) and its longest report.

    They are decided by these few alone: the bases of a cluster and more reports are `bases` of
    `deciding` and those reports, so that a linker can take in a new member (or a cluster too
    large to hold) without the other members' words.
    """

    primary: Report | None
    fullest: tuple[Report, ...]
    longest: Report

    @property
    def reference(self) -> Report:
        """The base of every other member's diff: the primary, else the fullest and earliest wording."""
        return self.primary or (self.fullest[0] if self.fullest else self.longest)

    @property
    def deciding(self) -> list[Report]:
        """The reports these bases are made of, once each."""
        found = {r.quote_id: r for r in (self.primary, *self.fullest, self.longest) if r is not None}
        return list(found.values())

    def same_for_members(self, other: Bases) -> bool:
        """Whether every member is placed alike under `other`: the same primary and reference, and
        without a primary the same fullest reports (each member's wording is compared with them)."""
        ids = lambda b: (b.primary and b.primary.quote_id, b.reference.quote_id,  # noqa: E731
                         None if b.primary else [r.quote_id for r in b.fullest])
        return ids(self) == ids(other)


def bases(reports: Iterable[Report]) -> Bases:
    """The bases of a cluster of these reports (at least one)."""
    by_time = sorted(reports, key=lambda r: (r.day is None, r.day or 0, r.quote_id))
    primary = max((r for r in by_time if r.transcript), key=lambda r: len(r.norms), default=None)
    wording = [r for r in by_time if r.kind not in REPORTED or r is primary]
    fullest = tuple(sorted(wording, key=lambda r: -len(r.norms))[:COMPARED + 1])
    return Bases(primary, fullest, max(by_time, key=lambda r: len(r.norms)))


def place(report: Report, found: Bases) -> Member:
    """Relation, base and alterations of one member of a cluster with these bases."""
    primary = found.primary
    base = _base(report, found)
    if primary is not None and report.quote_id == primary.quote_id:
        relation = "primary"
    elif report.kind in REPORTED:
        relation = "paraphrase"
    elif [w.quote_id for w in found.fullest] == [report.quote_id]:
        relation = "verbatim"  # the only report of the words, beside paraphrases: nothing rewords it
    else:
        others = [primary] if primary else [w for w in found.fullest if w.quote_id != report.quote_id][:COMPARED]
        relation = _wording_relation(report, others)
    return Member(relation, base.quote_id if base else None, changes(report, base) if base else [])


def _base(report: Report, found: Bases) -> Report | None:
    """What a member's diff is against: the primary, else of the fullest reports the one it shares
    the most words with (a cluster may hold several passages of one answer), else the reference;
    None for the reference itself."""
    reference = found.reference
    if report.quote_id == reference.quote_id:
        return None
    if found.primary is not None:
        return reference
    shared = [(sum(n for _, _, n in aligned_runs(report.norms, other.norms)), -k, other)
              for k, other in enumerate(found.fullest) if other.quote_id != report.quote_id]
    most = max(shared, key=lambda x: x[:2], default=None)
    return most[2] if most and most[0] else reference


def relate(reports: list[Report]) -> dict[int, Member]:
    """Relation, base and alterations of every report of one cluster, by quote id."""
    found = bases(reports)
    return {report.quote_id: place(report, found) for report in reports}


def _wording_relation(report: Report, others: list[Report]) -> str:
    """verbatim, trimmed or reworded against the primary (or the other reports of the wording).

    An excerpt of a longer report is verbatim when it is whole sentences of it, else trimmed.
    Without a primary, a report of which another article copied words (or that copied them) is
    taken for the original words (verbatim); a wording no other article shares is reworded.
    """
    relation = "reworded"
    for other in others:
        runs = aligned_runs(report.norms, other.norms)
        shared = sum(length for _, _, length in runs)
        mine, theirs = shared / max(1, len(report.norms)), shared / max(1, len(other.norms))
        elsewhere = other.transcript or other.article_id != report.article_id
        if mine >= SAME_WORDS and len(report.norms) < len(other.norms) and _excerpt(report, runs):
            return "verbatim" if _whole_sentences(report, other, runs) else "trimmed"
        if theirs >= SAME_WORDS and elsewhere and shared >= COPIED:
            relation = "verbatim"
    return relation


def _excerpt(report: Report, runs: list[tuple[int, int, int]]) -> bool:
    """Whether the report's words between its first and last shared run are all shared: an excerpt,
    not another rendering (`I tried everything humanly possible` is no excerpt of `I've tried
    everything possible`)."""
    return _stretch(runs, 0)[2] == 0


def _whole_sentences(report: Report, other: Report, runs: list[tuple[int, int, int]]) -> bool:
    """Whether the aligned runs cover a stretch of `other` that opens on a sentence break and ends
    on one (or where the report's own words end with a full stop), leaving no more than one word of
    it out inside. A comma at the end may be the article's (`“This is a no,” he said`) or cut the
    sentence (`We do not have Obama judges or Trump judges,` of `…, Bush judges or Clinton judges.`):
    `other` decides."""
    first, end, left_out = _stretch(runs, 1)
    opens = lambda i: i == 0 or i >= len(other.words) or other.words[i].opens  # noqa: E731
    ends = opens(end) or _ENDS_SENTENCE.search(report.text) is not None
    return left_out <= 1 and opens(first) and ends


def _stretch(runs: list[tuple[int, int, int]], side: int) -> tuple[int, int, int]:
    """Where the aligned runs start and end on one side (0: the report's words, 1: the other's), and
    how many words of that side they leave out in between (an alignment's runs are in order on both)."""
    first, end = runs[0][side], runs[-1][side] + runs[-1][2]
    return first, end, (end - first) - sum(length for _, _, length in runs)


def diff(base: Report, report: Report) -> list[tuple[str, str, str]]:
    """A word alignment of `report` against `base`: (tag, base words, report words) with tags
    equal, replace, delete (only in base) and insert (only in the report), in the report's order;
    the words as each text writes them, with the punctuation between them."""
    base_at, report_at = word_spans(base.text), word_spans(report.text)
    return [(tag, _written(base.text, base_at, was, False), _written(report.text, report_at, now, True))
            for tag, was, now in _segments(base.words, report.words)]


def _written(text: str, at: list[tuple[int, int]], words: list[Token], through: bool) -> str:
    """`words` as `text` writes them (`at`: its `word_spans`); `through`: with what follows them up
    to the next word (a comma, a closing quotation mark), so that a report's pieces give its text."""
    if not words:
        return ""
    last = words[-1].at
    end = (at[last + 1][0] if last + 1 < len(at) else len(text)) if through else at[last][1]
    return text[at[words[0].at][0]:end].rstrip()


def changes(report: Report, base: Report) -> list[Change]:
    """The meaning-bearing changes inside quotation marks of `report` against `base`."""
    words = report.quoted_words
    if not words:
        return []
    found = []
    segments = _segments(base.words, words)
    for i, (tag, was, now) in enumerate(segments):
        if tag == "equal" or len(was) > _MAX_CHANGE or len(now) > _MAX_CHANGE:
            continue
        before, after = segments[i - 1] if i else None, segments[i + 1] if i + 1 < len(segments) else None
        if not (before and after and before[0] == after[0] == "equal" and len(before[2]) >= _FLANK
                and len(after[2]) >= _FLANK and len(before[2]) + len(after[2]) >= _FLANKS):
            continue
        kind = _change_kind(was, now)
        if kind:
            found.append(Change(kind, _shown(was), _shown(now)))
    return found


def _segments(a: list[Token], b: list[Token]) -> list[tuple[str, list[Token], list[Token]]]:
    """Alignment of two word lists as (tag, a words, b words); a lone shared word inside a change is
    part of the change, and a delete next to an insert makes a replace."""
    ops = Indel.opcodes([t.norm for t in a], [t.norm for t in b])
    shared = lambda op: op.tag == "equal" and op.src_end - op.src_start >= MIN_RUN  # noqa: E731
    out: list[tuple[str, list[Token], list[Token]]] = []
    for is_equal, group in groupby(ops, key=shared):
        group = list(group)
        was = [t for op in group for t in a[op.src_start:op.src_end]]
        now = [t for op in group for t in b[op.dest_start:op.dest_end]]
        tag = "equal" if is_equal else "replace" if was and now else "delete" if was else "insert"
        out.append((tag, was, now))
    return out


def _change_kind(was: list[Token], now: list[Token]) -> str | None:
    """negation, number, name or word when the change touches one; None for a function word or a spelling."""
    def pick(words: list[Token], test) -> set[str]:
        return {t.norm for t in words if test(t)}
    if pick(was, lambda t: t.norm in NEGATIONS) != pick(now, lambda t: t.norm in NEGATIONS):
        return "negation"
    if pick(was, lambda t: t.norm.isdigit()) != pick(now, lambda t: t.norm.isdigit()):
        return "number"
    if not (was and now):
        return None  # words added or left out: only a negation or a number counts
    if pick(was, _is_name) and pick(now, _is_name) and pick(was, _is_name) != pick(now, _is_name):
        return "name"
    old = {stem(t.norm) for t in was if t.norm not in STOPWORDS}
    new = {stem(t.norm) for t in now if t.norm not in STOPWORDS}
    if old != new and ratio(" ".join(sorted(old)), " ".join(sorted(new))) < 80:
        return "word"
    return None


def _is_name(token: Token) -> bool:
    return token.shown[:1].isupper() and token.norm not in STOPWORDS and token.shown != "I"


def _shown(words: list[Token]) -> str:
    """The written words of a token list (a contraction spelled out once)."""
    return " ".join(t.shown for t in (next(g) for _, g in groupby(words, key=lambda t: t.at)))
