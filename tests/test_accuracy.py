"""Accuracy floors on the evaluation data in ../shared/data (skipped when it is absent).

The realworld floors are the issue's; the realworld2 floors sit just below what was measured
when they were set (only speech is a quotation, the `news` conventions). The PolNeAR floors
are regression floors at the level measured when they were set, under PolNeAR's own
conventions (`polnear`: every attribution, noun-phrase objects too).
"""
import json

import pytest

from conftest import shared_file
from quotetrail import extract_quotes
from quotetrail.evaluate import evaluate, read_jsonl

# measured: quote P 82.8, quote F1 84.0, attributed F1 78.7, speaker accuracy 95.2
REALWORLD2 = {"quote_p": 0.86, "quote_f1": 0.85, "attributed_f1": 0.80, "speaker_accuracy": 0.94}


def run_eval(relative, conventions="news"):
    gold = read_jsonl(shared_file(relative))
    predictions = {g["id"]: [q.to_json() for q in extract_quotes(g["text"], conventions=conventions)] for g in gold}
    return evaluate(gold, predictions)


def test_realworld_dev_floors():
    m = run_eval("realworld/gold.jsonl")
    assert m["attributed"]["f1"] >= 0.80
    assert m["speaker_accuracy"] >= 0.90


def test_realworld2_dev_floors():
    m = run_eval("realworld2/gold.jsonl")
    assert m["quote"]["p"] >= REALWORLD2["quote_p"]
    assert m["quote"]["f1"] >= REALWORLD2["quote_f1"]
    assert m["attributed"]["f1"] >= REALWORLD2["attributed_f1"]
    assert m["speaker_accuracy"] >= REALWORLD2["speaker_accuracy"]


@pytest.mark.parametrize("seed, venue", [("000_4d7f144f8641e7fc.txt", "Al Jazeera"),
                                         ("003_2b6553092b35b123.txt", "Fox News")])
def test_seed_articles_every_quote_is_aliyevs_with_venue(seed, venue):
    """Every gold quotation of both seeds is found, attributed to Ilham Aliyev and given the venue."""
    text = shared_file(f"seeds/{seed}").read_text(encoding="utf-8")
    gold = next(g for g in read_jsonl(shared_file("realworld/gold.jsonl")) if g["text"].strip() == text.strip())
    offset = text.index(gold["text"].strip()) - gold["text"].index(gold["text"].strip())
    quotes = extract_quotes(text)
    for g in gold["quotes"]:
        if g["speaker"] is None:
            continue  # the interviewer's question
        start = g["content_spans"][0][0] + offset + 5
        hits = [q for q in quotes if any(s <= start < e for s, e in q.content_spans)]
        assert hits, f"not found: {text[start:start + 60]!r}"
        assert (hits[0].speaker, hits[0].venue) == ("Ilham Aliyev", venue), json.dumps(hits[0].to_json())[:300]


def test_polnear_dev_floors():
    m = run_eval("polnear/dev.jsonl", conventions="polnear")
    assert m["quote"]["f1"] >= 0.65
    assert m["roles"]["content"]["overlap"]["f1"] >= 0.75
    assert m["roles"]["source"]["exact"]["f1"] >= 0.65
    assert m["roles"]["cue"]["exact"]["f1"] >= 0.65


def test_realworld_link_floors():
    """The linking issue's floors on the visible sample: pairwise F1 ≥ 85, relation accuracy ≥ 75."""
    from click.testing import CliRunner

    from quotetrail.cli import main
    result = CliRunner().invoke(main, ["eval-links", str(shared_file("realworld/clusters.json")),
                                       str(shared_file("realworld/gold.jsonl")), "--json"])
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    assert m["pairwise"]["f1"] >= 0.85
    assert m["relation_accuracy"] >= 0.75
    assert m["relations_judged"] == m["gold_members"]
