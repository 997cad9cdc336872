"""Reads of clusters: the clusters with their members in time order, and one cluster's trail of diffs.

On the store's connection and its linker's report cache, so that showing a trail reuses the
reports the linker has just compared.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from itertools import groupby

from ..link.relate import diff
from .links import Linker
from .query import QUOTE_COLUMNS, QUOTE_FROM, id_number, row_json, speaker_ids


def cluster_number(cluster_id: int | str) -> int | None:
    """The number of a cluster id given as 12 or "c12" (None when it is neither, or beyond SQLite)."""
    return id_number(str(cluster_id).strip().lower().removeprefix("c"))


class Trails:
    """The clusters of one database, read through its linker."""

    def __init__(self, linker: Linker) -> None:
        self.linker = linker
        self.conn = linker.conn

    def clusters(self, *, speaker: str | None = None, min_size: int = 2, limit: int | None = None,
                 speaker_id: int | None = None) -> list[dict]:
        """Clusters with their members in time order (undated last, the primary first among equals), largest first.

        Each is `{"cluster_id": "c12", "id", "speaker", "speaker_id", "venue", "first_date", "last_date",
        "size", "outlets", "first_reports": [{"outlet", "date"}, …], "members": [...]}` (`first_reports`:
        each outlet's first report, in time order); a member is an export row (`query.row_json`: ids, spans,
        relation, `altered`, kind, text, speaker as extracted, its article's outlet, date, url and
        title…) with its `changes` and `base_id`. `speaker` is any name or alias; `speaker_id`: the
        clusters with a report of that speaker.
        """
        ids = speaker_ids(self.conn, speaker) if speaker is not None else None
        if speaker_id is not None:
            ids = [i for i in ids if i == speaker_id] if ids is not None else [speaker_id]
        found = self._read(speakers=ids, min_size=min_size)
        found.sort(key=lambda c: (-c["size"], c["first_date"] or "9999", c["id"]))
        return found[:limit] if limit is not None and limit >= 0 else found

    def count(self, min_size: int = 2) -> int:
        """How many clusters `clusters(min_size=…)` lists, without reading their members."""
        return self.conn.execute("SELECT count(*) FROM (SELECT 1 FROM corrected_quotes WHERE cluster_id IS NOT NULL "
                                 "GROUP BY cluster_id HAVING count(*) >= ?)", (min_size,)).fetchone()[0]

    def cluster(self, cluster_id: int | str) -> dict | None:
        """One cluster (id 12 or "c12") with its members in time order and each member's word diff
        against its base (`"diff": [(tag, base words, its words), …]`, None for the base), or None."""
        number = cluster_number(cluster_id)
        found = self._read(cluster_id=number) if number is not None else []
        if not found:
            return None
        diffs = self._diffs(number)
        for member in found[0]["members"]:
            member["diff"] = diffs.get(member["quote_id"])
        return found[0]

    def _read(self, *, speakers: list[int] | None = None, min_size: int = 2,
              cluster_id: int | None = None) -> list[dict]:
        where, args = ["q.cluster_id IS NOT NULL"], []
        if cluster_id is not None:
            where.append("q.cluster_id = ?")
            args.append(cluster_id)
        if speakers is not None:
            where.append("q.cluster_id IN (SELECT cluster_id FROM corrected_quotes WHERE speaker_id IN "
                         "(SELECT value FROM json_each(?)))")
            args.append(json.dumps(speakers))
        rows = self.conn.execute(
            f"SELECT {QUOTE_COLUMNS}, q.base_id {QUOTE_FROM} WHERE {' AND '.join(where)} "
            "ORDER BY q.cluster_id, a.date IS NULL, a.date, q.relation IS NOT 'primary', q.article_id, q.seq", args)
        found = []
        for number, members in groupby(rows, key=lambda r: r["cluster_id"]):
            members = list(members)
            if len(members) >= min_size:
                found.append(_cluster_row(number, members))
        return found

    def _diffs(self, cluster_id: int) -> dict[int, list | None]:
        """Each member's diff against its base, by quote id: (tag, base words, report words) lists."""
        rows = self.conn.execute("SELECT id, base_id FROM quotes WHERE cluster_id = ?", (cluster_id,)).fetchall()
        reports = self.linker.reports({r[0] for r in rows} | {r[1] for r in rows if r[1]})
        return {qid: diff(reports[base], reports[qid]) if base in reports else None for qid, base in rows}


def _cluster_row(number: int, rows: list[sqlite3.Row]) -> dict:
    members = [{**row_json(r), "changes": json.loads(r["changes"]) if r["changes"] else [], "base_id": r["base_id"]}
               for r in rows]
    resolved = Counter((m["speaker_id"], m["speaker"]) for m in members if m["speaker_id"] is not None)
    named = Counter(m["speaker"] for m in members if m["speaker"])
    venues = Counter(m["venue"] for m in members if m["venue"])
    dates = [m["date"] for m in members if m["date"]]
    speaker_id, name = resolved.most_common(1)[0][0] if resolved else (None, None)
    first_by: dict[str, str | None] = {}
    for m in members:  # in time order, undated last: an outlet's first report comes first
        if m["outlet"]:
            first_by.setdefault(m["outlet"], m["date"])
    return {"cluster_id": f"c{number}", "id": number,
            "speaker": name or (named.most_common(1)[0][0] if named else None), "speaker_id": speaker_id,
            "venue": venues.most_common(1)[0][0] if venues else None,
            "first_date": min(dates) if dates else None, "last_date": max(dates) if dates else None,
            "size": len(members), "outlets": sorted(first_by),
            "first_reports": [{"outlet": outlet, "date": date} for outlet, date in first_by.items()],
            "members": members}
