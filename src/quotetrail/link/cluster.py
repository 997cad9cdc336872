"""Clusters from links: greedy agglomeration, strongest link first, under the speaker and venue rule.

Weak links (reports of one speech event that share content, `link.compare.event_score`) come
after: each lone report joins the one group its weak links reach best, and none when two groups
fit it as well (the same words at two events, or a paraphrase of two passages of one answer).
Weak links never merge two groups, so a wrong one costs one report, not two clusters.

Last, an article's order: a report between two quotes of one group in its article, of that group's
speaker, is of the same passage (the reporter quotes, paraphrases in between, quotes on), and its
group joins that group when it is the smaller, unless each holds a transcript's turn (two answers:
reporters reorder them). Only the two quotes right before and after count: a report of another
speaker in between, or two reports, and nothing joins.

Pure: the linker (`store.links`) reads the reports and links from the database and writes back the
groups this returns.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from .compare import Report, venues_agree


class Party(NamedTuple):
    """What the merge rule reads of a report (a `compare.Report` has the same, and its words): a
    linker can agglomerate many of these without reading their texts."""

    quote_id: int
    article_id: str
    speaker_id: int | None
    venue: str | None
    transcript: bool

    @property
    def known_speaker(self) -> bool:
        return self.speaker_id is not None or bool(self.transcript)


class Group:
    """Quotes joined so far, with what decides a merge: their known speakers and known venues, and
    whether they hold a transcript's turn (the primary words of one answer)."""

    def __init__(self, report: Report | Party) -> None:
        self.members = {report.quote_id}
        self.speakers = {report.speaker_id} if report.known_speaker else set()
        self.venues = {report.venue} - {None}
        self.turns = bool(report.transcript)

    def agrees(self, other: Group, firm: bool) -> bool:
        """One known speaker at most; known venues agreeing unless the link is firm."""
        if len(self.speakers | other.speakers) > 1:
            return False
        return firm or all(venues_agree(x, y) is not False for x in self.venues for y in other.venues)

    def absorb(self, other: Group) -> None:
        self.members |= other.members
        self.speakers |= other.speakers
        self.venues |= other.venues
        self.turns = self.turns or other.turns


def uniform(speakers: set, venues: set[str]) -> bool:
    """Whether a group with these known speakers and venues agrees with every part of itself (one
    known speaker at most, known venues that all agree): `agglomerate` then merges its parts
    whatever the order of their links, and a report that keeps it uniform joins it without
    changing any other decision."""
    return len(speakers) <= 1 and all(venues_agree(x, y) is not False for x in venues for y in venues)


def between(reports: Mapping[int, Report | Party], places: Mapping[int, int]) -> dict[int, tuple[int, int]]:
    """Each resolved report with its article's quotes right before and after it (`places`: a
    report's seq in its article), when both are among `reports` and neither is known to be another
    speaker's (a transcript's question is the interviewer's)."""
    at = {(r.article_id, places[i]): i for i, r in reports.items() if i in places}
    found = {}
    for i, r in reports.items():
        if r.speaker_id is None or i not in places:
            continue
        near = [at.get((r.article_id, places[i] + step)) for step in (-1, 1)]
        if None not in near and all(reports[j].speaker_id == r.speaker_id or not reports[j].known_speaker
                                    for j in near):
            found[i] = (near[0], near[1])
    return found


def agglomerate(reports: dict[int, Report | Party], links: list[tuple[int, int, int]],
                weak: list[tuple[int, int, float]] = (), places: Mapping[int, int] | None = None) -> list[set[int]]:
    """Groups from (a, b, firm) links taken strongest first; two groups merge only when their resolved
    speakers agree, and their known venues too unless the link is firm. Then each report still alone
    joins the group its (a, b, score) `weak` links reach with the highest score, when no other group
    is reached as well; and a report between two quotes of a larger group in its article (`places`:
    each report's seq) brings its group into that one."""
    group = {i: Group(r) for i, r in reports.items()}

    def merge(first: Group, second: Group) -> None:
        if len(first.members) < len(second.members):
            first, second = second, first
        first.absorb(second)
        for i in second.members:
            group[i] = first

    for a, b, firm in links:
        if a not in group or b not in group or group[a] is group[b]:
            continue
        if group[a].agrees(group[b], bool(firm)):
            merge(group[a], group[b])
    reach: defaultdict[int, list[tuple[float, int]]] = defaultdict(list)
    for a, b, score in weak:
        if a in group and b in group:
            reach[a].append((score, b))
            reach[b].append((score, a))
    weakly: set[int] = set()  # reports placed by a weak link: they pass it on to no other

    def ranked(lone: int) -> list[tuple[float, Group]]:
        best: dict[int, tuple[float, Group]] = {}
        for score, other in reach[lone]:
            if other in weakly:
                continue
            target = group[other]
            if target is not group[lone] and score > best.get(id(target), (0.0, target))[0]:
                best[id(target)] = (score, target)
        return sorted(best.values(), key=lambda x: -x[0])

    # a lone report two groups fit as well stays alone, and takes no other lone report either; the
    # groups grow as lone reports join, so what is torn is judged again until nothing joins
    def join_lone() -> bool:
        joined = False
        while True:
            torn = {i for i in reach if len(group[i].members) == 1 and len(r := ranked(i)) > 1 and r[1][0] >= r[0][0]}
            placed = False
            for lone in sorted(set(reach) - torn, key=lambda i: (-max(reach[i])[0], i)):
                if len(group[lone].members) > 1:
                    continue
                fits = ranked(lone)
                if not fits or (len(fits) > 1 and fits[1][0] >= fits[0][0]) or fits[0][1].members <= torn:
                    continue  # its best fit is itself torn: it waits for it
                if fits[0][1].agrees(group[lone], False):
                    merge(fits[0][1], group[lone])
                    weakly.add(lone)
                    placed = True
            if not placed:
                return joined
            joined = True

    inside = between(reports, places or {})

    def enclose() -> bool:
        joined = False
        for middle, (before, after) in sorted(inside.items()):
            host, own = group[before], group[middle]
            if (host is group[after] and host is not own and len(own.members) < len(host.members)
                    and not (host.turns and own.turns)  # two turns of a transcript: two answers
                    and host.speakers == {reports[middle].speaker_id} and host.agrees(own, False)):
                merge(host, own)
                joined = True
        return joined

    while join_lone() | enclose():
        pass
    return [g.members for g in {id(g): g for g in group.values()}.values()]
