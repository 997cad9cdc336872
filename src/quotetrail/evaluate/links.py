"""Score predicted clusters against gold cross-article links (`clusters.json`): pairwise P/R/F1, relations.

Gold clusters name their members as (gold article id, index into that article's gold quotes).
Predicted quotes are mapped to gold quotes by content overlap, as in `evaluate`; a pair of gold
quotes is predicted when their mapped quotes share a cluster. Pairs the gold lists under
`within_article` (one utterance repeated inside one article) are neither rewarded nor penalised.
Relation accuracy is over the gold members that were found in a predicted cluster.
"""
from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from .quotes import match_quotes

Member = tuple[str, int]  # (article id, quote index)


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
    """Member groups given as lists of members or as objects with "members"."""
    for group in value if isinstance(value, list) else []:
        members = group.get("members") if isinstance(group, dict) else group
        if isinstance(members, list):
            yield [(str(m["article"]), int(m["quote"])) for m in members if isinstance(m, dict)]


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
    pred_pairs: set[frozenset[Member]] = set()
    for cluster in predicted:
        members = [(to_gold[m["quote_id"]], m["relation"]) for m in cluster["members"] if m["quote_id"] in to_gold]
        found.update(members)
        pred_pairs |= _pairs(member for member, _ in members)
    pred_pairs -= ignored
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
        "relation_accuracy": right / len(judged) if judged else None,
        "relations_judged": len(judged), "relations_right": right, "gold_members": len(relations),
        "relation_errors": [{"article": a, "quote": i, "gold": relations[(a, i)], "predicted": found[(a, i)]}
                            for a, i in judged if found[(a, i)] != relations[(a, i)]],
    }
