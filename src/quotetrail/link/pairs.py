"""Which reports a new quote is compared with, and which of them it links to: one rule for every linker.

A linker (the SQLite one in `store.links`, the Spark one in `spark.link`) takes quotes in reading
order; each new quote is compared only with quotes read before it:

1. its word-for-word twins (the first `TWINS` quotes with its `Report.fingerprint`), lowest id first:
   the first twin it links to is its only link (a story copied by hundreds of outlets stays cheap);
2. else its `candidates`, the quotes that share the most index keys (`Report.keys`) with it;
3. and the latest `EVENT` quotes of its resolved speaker, which the index may not reach (a seam, a
   headline told again in the body): a word link, else a weak link of one speech event; those
   whose day disagrees are passed over (across that only a long copy links, which the index finds);
4. and the quotes right before and after it in its article, when they may be one speaker's: a
   `NEXT` link, which proves nothing but brings them into one rebuild, where the clusters read the
   article's order (`link.cluster.between`).

How the postings of a key are read is the linker's: SQLite ignores a key posted by more than
`COMMON` quotes, Spark reads the `COMMON` latest postings of every key. Pure: no database here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from .compare import Report, days_agree, event_score, link_score, may_share_words, repeats

COMMON = 200      # postings of one key read for a quote (SQLite: a key in more quotes says nothing)
CANDIDATES = 20   # most-sharing candidates checked per quote
TWINS = 20        # word-for-word twins tried before the candidates
EVENT = 200       # latest quotes of the same resolved speaker tried for a weak (speech-event) link
WEAK = -1         # `firm` of a weak link: one speech event, shared content, attaches a lone report
NEXT = -2         # `firm` of a neighbour link: next to each other in one article, maybe one speaker's


class Link(NamedTuple):
    """A pair of reports the rule accepts: `a` the lower quote id; `firm` 1, 0 (words), `WEAK` or `NEXT`."""

    a: int
    b: int
    score: float
    firm: int


def candidates(postings: Iterable[list[int]], quote_id: int, keys: int) -> list[int]:
    """The quotes to compare with `quote_id`: the `CANDIDATES` most often met in the postings of its
    `keys` index keys (each list in id order, `quote_id` itself at its end), sharing at least two
    keys (one when it has one), in order of keys shared and then of first meeting."""
    shared: Counter[int] = Counter()
    for posted in postings:
        shared.update(posted)
    need = min(2, keys)
    return [i for i, n in shared.most_common(CANDIDATES) if n >= need and i != quote_id]


def word_link(report: Report, other: Report) -> Link | None:
    """The link of two reports when their words say so (`link_score`); within one article, only of a
    quote told twice (`repeats`): an article's other quotes of one answer meet through other articles."""
    if other.article_id == report.article_id:
        return _link(report, other, 1.0, False) if repeats(report, other) else None
    scored = link_score(report, other)
    return _link(report, other, *scored) if scored is not None else None


def twin_link(report: Report, twins: Iterable[Report]) -> Link | None:
    """The link to the first twin (lowest id) that the words link to, or None."""
    for twin in sorted(twins, key=lambda r: r.quote_id):
        if found := word_link(report, twin):
            return found
    return None


def new_links(report: Report, compared: Iterable[Report], peers: Iterable[Report]) -> list[Link]:
    """The word links to the `compared` candidates, then to the `peers` (the latest quotes of the same
    speaker) not linked yet and not on a day too far off a word link, or else a weak link (`event_score`)."""
    links = [found for other in compared if (found := word_link(report, other))]
    linked = {found.a if found.b == report.quote_id else found.b for found in links}
    for other in peers:
        if other.quote_id in linked or not days_agree(report.day, other.day):
            continue
        if may_share_words(report, other) and (found := word_link(report, other)):
            links.append(found)
        elif (score := event_score(report, other)) is not None:
            links.append(_link(report, other, score, WEAK))
    return links


def neighbour_links(quote_id: int, speaker_id: int | None, near: Iterable[tuple[int, int | None]],
                    linked: set[int]) -> list[Link]:
    """`NEXT` links of a quote to the (id, speaker id) quotes right before and after it in its article
    that it is not `linked` to already, when the two may be one speaker's and one is resolved."""
    return [Link(*sorted((quote_id, other)), 0.0, NEXT) for other, speaker in near
            if other not in linked and (speaker, speaker_id) != (None, None)
            and (speaker == speaker_id or None in (speaker, speaker_id))]


def _link(report: Report, other: Report, score: float, firm: int) -> Link:
    a, b = sorted((report.quote_id, other.quote_id))
    return Link(a, b, score, int(firm))
