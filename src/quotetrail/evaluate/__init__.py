"""Scoring against gold annotations: pure functions over plain dicts (no spaCy, no rich).

| module | job |
| --- | --- |
| `quotes` | quotes and their roles: P/R/F1 per role, quote matching, speaker accuracy, attributed F1 |
| `links` | clusters against gold cross-article links: pairwise P/R/F1, relation accuracy |
"""
from .links import evaluate_links
from .quotes import evaluate, match_quotes, predictions_by_id, read_jsonl, same_speaker

__all__ = ["evaluate", "evaluate_links", "match_quotes", "predictions_by_id", "read_jsonl", "same_speaker"]
