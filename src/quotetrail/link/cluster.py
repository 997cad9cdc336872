"""Clusters from links: greedy agglomeration, strongest link first, under the speaker and venue rule.

Pure: the linker (`store.links`) reads the reports and links from the database and writes back the
groups this returns.
"""
from __future__ import annotations

from .compare import Report, venues_agree


class Group:
    """Quotes joined so far, with what decides a merge: their known speakers and known venues."""

    def __init__(self, report: Report) -> None:
        self.members = {report.quote_id}
        self.speakers = {report.speaker_id} if report.known_speaker else set()
        self.venues = {report.venue} - {None}

    def agrees(self, other: Group, firm: bool) -> bool:
        """One known speaker at most; known venues agreeing unless the link is firm."""
        if len(self.speakers | other.speakers) > 1:
            return False
        return firm or all(venues_agree(x, y) is not False for x in self.venues for y in other.venues)

    def absorb(self, other: Group) -> None:
        self.members |= other.members
        self.speakers |= other.speakers
        self.venues |= other.venues


def agglomerate(reports: dict[int, Report], links: list[tuple[int, int, int]]) -> list[set[int]]:
    """Groups from (a, b, firm) links taken strongest first; two groups merge only when their resolved
    speakers agree, and their known venues too unless the link is firm."""
    group = {i: Group(r) for i, r in reports.items()}
    for a, b, firm in links:
        if a not in group or b not in group or group[a] is group[b]:
            continue
        first, second = group[a], group[b]
        if not first.agrees(second, bool(firm)):
            continue
        if len(first.members) < len(second.members):
            first, second = second, first
        first.absorb(second)
        for i in second.members:
            group[i] = first
    return [g.members for g in {id(g): g for g in group.values()}.values()]
