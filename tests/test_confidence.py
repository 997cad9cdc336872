"""Confidence is a calibrated probability, and --min-confidence filters on it everywhere."""
import json

from click.testing import CliRunner

from conftest import EXAMPLES, shared_file
from quotetrail import extract_quotes
from quotetrail.cli import main
from quotetrail.confidence import FEATURES, calibration, features
from quotetrail.evaluate import match_quotes, read_jsonl, same_speaker
from quotetrail.model import Quote

# measured when fitted: 87.8% of 148 quotes at 0.7 or more (cross-validated by article: 85.4% of 151)
HIGH_CONFIDENCE_RIGHT = 0.86

STORY = ('“We will reopen the library in June,” said Mayor Ines Calloway on Tuesday. '
         'Some residents “remain unconvinced”, a local paper wrote. '
         '“It is late, but it is coming,” she added.')


def test_the_shipped_calibration_fits_these_features():
    assert calibration().weights is not None and len(calibration().weights) == len(FEATURES)


def test_a_named_speaker_with_a_cue_is_surer_than_an_unattributed_fragment():
    text = 'x “one two three four five six”'
    sure = Quote("direct", [(3, 30)], "one two three four five six", (0, 1), (0, 1), "Ines Calloway", None, 0.9)
    unsure = Quote("direct", [(3, 30)], "one two three four five six", None, None, None, None, 0.3)
    model = calibration()
    assert model.probability(sure, text) > model.probability(unsure, text)
    assert len(features(sure, text)) == len(FEATURES)


def test_confidences_are_probabilities():
    quotes = extract_quotes(STORY)
    assert quotes and all(0.0 <= q.confidence <= 1.0 for q in quotes)


def test_min_confidence_filters_extract_search_and_export(tmp_path):
    runner = CliRunner()
    everything = runner.invoke(main, ["extract", str(EXAMPLES), "--format", "csv", "-j", "1"])
    sure = runner.invoke(main, ["extract", str(EXAMPLES), "--format", "csv", "-j", "1", "--min-confidence", "0.7"])
    assert everything.exit_code == sure.exit_code == 0
    assert 1 < len(sure.stdout.splitlines()) < len(everything.stdout.splitlines())
    db = str(tmp_path / "q.db")
    assert runner.invoke(main, ["ingest", str(EXAMPLES), "--db", db, "-j", "1"]).exit_code == 0
    for args in (["search", "--limit", "0"], ["export"]):
        rows = [json.loads(x) for x in runner.invoke(main, [*args, "--db", db, "--format", "jsonl",
                                                            "--min-confidence", "0.7"]).stdout.splitlines()]
        every = runner.invoke(main, [*args, "--db", db, "--format", "jsonl"]).stdout.splitlines()
        assert rows and all(r["confidence"] >= 0.7 for r in rows) and len(rows) < len(every)


def test_high_confidence_quotes_are_mostly_right_on_realworld2():
    """Of the quotes given 0.7 or more on realworld2, the share found in the gold with the right
    speaker (the calibration's own dev set: a floor just below what was measured when it was fitted)."""
    right = total = 0
    for article in read_jsonl(shared_file("realworld2/gold.jsonl")):
        quotes = [q.to_json() for q in extract_quotes(article["text"])]
        matched = match_quotes(article["text"], article["quotes"], quotes)
        for i, quote in enumerate(quotes):
            if quote["confidence"] < 0.7:
                continue
            total += 1
            wanted = article["quotes"][matched[i]].get("speaker") if i in matched else False
            right += i in matched and (quote["speaker"] is None if wanted is None
                                       else same_speaker(wanted, quote["speaker"]))
    assert total >= 40 and right / total >= HIGH_CONFIDENCE_RIGHT, (right, total)
