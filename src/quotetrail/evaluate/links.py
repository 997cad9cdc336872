"""Score predicted clusters against gold cross-article links (`clusters.json`): pairwise P/R/F1, relations.

Gold clusters name their members as (gold article id, index into that article's gold quotes).
Predicted quotes are mapped to gold quotes by content overlap, as in `evaluate`; a pair of gold
quotes is predicted when their mapped quotes share a cluster. Pairs the gold lists under
`within_article` (one utterance repeated inside one article) are neither rewarded nor penalised.
Relation accuracy is over the gold members that were found in a predicted cluster.

Pairs are also scored by type (`by_type`): words–words, paraphrase–words and paraphrase–paraphrase,
a gold quote being a paraphrase when its gold relation is `paraphrase` or its kind is indirect or
mixed. `hard_negatives` lists each gold group of look-alike quotes that are different utterances
and whether it stayed apart: merged when one predicted cluster holds two of its quotes that are
not in one gold cluster.
"""
from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from .quotes import match_quotes

Member = tuple[str, int]  # (article id, quote index)
PAIR_TYPES = ("words-words", "paraphrase-words", "paraphrase-paraphrase")
_REPORTED = frozenset({"indirect", "mixed"})


def gold_groups(doc: dict) -> tuple[list[list[Member]], dict[Member, str], set[frozenset[Member]]]:
    """Gold clusters, each member's relation, and the within-article pairs to ignore."""
    clusters, relations = [], {}
    for cluster in doc.get("clusters") or []:
        members = []
        for m in cluster.get("members") or []:
            key = (str(m["article"]), int(m["quote"]))
            members.append(key)
            if m.get("relation"):
                relations[key] = m["relation"]
        clusters.append(members)
    ignored = {pair for group in _groups(doc.get("within_article")) for pair in _pairs(group)}
    return clusters, relations, ignored


def _groups(value: object) -> Iterable[list[Member]]:
    """Member groups given as lists of members or as objects with "members" ({"article", "quote"})
    or "quotes" ("article id:quote index" strings)."""
    for group in value if isinstance(value, list) else []:
        members = group if isinstance(group, list) else None
        if isinstance(group, dict):
            members = group.get("members") if group.get("members") is not None else group.get("quotes")
        if isinstance(members, list):
            yield [_member(m) for m in members if isinstance(m, dict | str)]


def _member(value: dict | str) -> Member:
    if isinstance(value, str):
        article, _, index = value.rpartition(":")
        return article, int(index)
    return str(value["article"]), int(value["quote"])


def _pair_type(pair: frozenset[Member], paraphrase: set[Member]) -> str:
    return PAIR_TYPES[len(pair & paraphrase)]


def _prf(hits: int, predicted: int, gold: int) -> dict:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if hits else 0.0,
            "gold_pairs": gold, "predicted_pairs": predicted, "matched_pairs": hits}


def hard_negatives(doc: dict, clusters: list[list[Member]], placed: dict[Member, int]) -> list[dict]:
    """Each hard-negative group: its quotes, why, and whether a predicted cluster merged two of its
    quotes that are not in one gold cluster (`placed`: gold member → predicted cluster number)."""
    gold_cluster = {m: i for i, members in enumerate(clusters) for m in members}
    out = []
    raw = [g for g in doc.get("hard_negatives") or [] if isinstance(g, dict | list)]
    for group, members in zip(raw, _groups(raw), strict=True):
        merged = [[f"{a}:{i}", f"{b}:{j}"] for (a, i), (b, j) in combinations(members, 2)
                  if (a, i) in placed and placed[(a, i)] == placed.get((b, j))
                  and ((a, i) not in gold_cluster or gold_cluster.get((a, i)) != gold_cluster.get((b, j)))]
        out.append({"quotes": [f"{a}:{i}" for a, i in members], "why": group.get("why") if isinstance(group, dict)
                    else None, "merged": bool(merged), "merged_pairs": merged})
    return out


def _pairs(members: Iterable[Member]) -> set[frozenset[Member]]:
    return {frozenset(p) for p in combinations(sorted(set(members)), 2)}


def map_to_gold(gold_articles: list[dict], stored: dict[str, list[dict]]) -> dict[int, Member]:
    """Stored quote id → gold member, article by article (`stored`: article id → its quotes in order)."""
    mapping = {}
    for article in gold_articles:
        quotes = stored.get(article["id"], [])
        matched = match_quotes(article.get("text") or "", article.get("quotes") or [], quotes)
        for pred_index, gold_index in matched.items():
            mapping[quotes[pred_index]["quote_id"]] = (article["id"], gold_index)
    return mapping


def evaluate_links(gold_doc: dict, gold_articles: list[dict], stored: dict[str, list[dict]],
                   predicted: list[dict]) -> dict:
    """Pairwise precision, recall, F1 and relation accuracy of `predicted` clusters (as `QuoteStore.clusters`)."""
    clusters, relations, ignored = gold_groups(gold_doc)
    to_gold = map_to_gold(gold_articles, stored)
    gold_pairs = set().union(*(_pairs(c) for c in clusters)) - ignored
    found: dict[Member, str] = {}
    placed: dict[Member, int] = {}
    pred_pairs: set[frozenset[Member]] = set()
    for number, cluster in enumerate(predicted):
        members = [(to_gold[m["quote_id"]], m["relation"]) for m in cluster["members"] if m["quote_id"] in to_gold]
        found.update(members)
        placed.update((member, number) for member, _ in members)
        pred_pairs |= _pairs(member for member, _ in members)
    pred_pairs -= ignored
    kinds = {(str(a["id"]), i): q.get("kind") for a in gold_articles for i, q in enumerate(a.get("quotes") or [])}
    paraphrase = {m for m, kind in kinds.items() if kind in _REPORTED} | {m for m, r in relations.items()
                                                                           if r == "paraphrase"}
    by_type = {t: _prf(len({p for p in pred_pairs & gold_pairs if _pair_type(p, paraphrase) == t}),
                       len({p for p in pred_pairs if _pair_type(p, paraphrase) == t}),
                       len({p for p in gold_pairs if _pair_type(p, paraphrase) == t})) for t in PAIR_TYPES}
    negatives = hard_negatives(gold_doc, clusters, placed)
    hits = len(pred_pairs & gold_pairs)
    precision = hits / len(pred_pairs) if pred_pairs else 0.0
    recall = hits / len(gold_pairs) if gold_pairs else 0.0
    judged = [key for key in relations if key in found]
    right = sum(found[key] == relations[key] for key in judged)
    return {
        "gold_clusters": len(clusters), "gold_pairs": len(gold_pairs),
        "predicted_clusters": len(predicted), "predicted_pairs": len(pred_pairs), "matched_pairs": hits,
        "pairwise": {"p": precision, "r": recall,
                     "f1": 2 * precision * recall / (precision + recall) if hits else 0.0},
        "by_type": by_type,
        "hard_negative_groups": len(negatives), "hard_negatives_merged": sum(g["merged"] for g in negatives),
        "hard_negatives": negatives,
        "relation_accuracy": right / len(judged) if judged else None,
        "relations_judged": len(judged), "relations_right": right, "gold_members": len(relations),
        "relation_errors": [{"article": a, "quote": i, "gold": relations[(a, i)], "predicted": found[(a, i)]}
                            for a, i in judged if found[(a, i)] != relations[(a, i)]],
    }
