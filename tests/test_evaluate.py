"""Tests of the evaluation metrics on small articles written for these tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from quotetrail.cli.render import metrics_table as render_table
from quotetrail.evaluate import evaluate, predictions_by_id, read_jsonl, same_speaker

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

MAYOR = (
    "Mayor Lena Varga said: “We will rebuild the old bridge by spring.” "
    "Her deputy, Tomas Brell, said that the budget was already approved.\n"
)


def span(text: str, fragment: str, occurrence: int = 1) -> list[int]:
    """[start, end] of the n-th occurrence of fragment in text."""
    start = -1
    for _ in range(occurrence):
        start = text.index(fragment, start + 1)
    return [start, start + len(fragment)]


def quote(kind="direct", content=(), cue=None, source=None, speaker=None) -> dict:
    """A quote dict in the JSONL format."""
    return {
        "kind": kind,
        "content_spans": [list(s) for s in content],
        "cue_span": cue,
        "source_span": source,
        "speaker": speaker,
    }


def mayor_gold() -> list[dict]:
    """The gold quotes of MAYOR: one direct, one indirect."""
    return [
        quote(
            "direct",
            [span(MAYOR, "We will rebuild the old bridge by spring.")],
            cue=span(MAYOR, "said"),
            source=span(MAYOR, "Mayor Lena Varga"),
            speaker="Lena Varga",
        ),
        quote(
            "indirect",
            [span(MAYOR, "the budget was already approved")],
            cue=span(MAYOR, "said", 2),
            source=span(MAYOR, "Tomas Brell"),
            speaker="Tomas Brell",
        ),
    ]


def article(text: str, quotes: list[dict], article_id: str = "a1") -> dict:
    """A gold article object."""
    return {"id": article_id, "text": text, "quotes": quotes}


def all_scores(metrics: dict) -> list[dict]:
    """Every P/R/F1 dict of a report."""
    roles = [scores for by_mode in metrics["roles"].values() for scores in by_mode.values()]
    return [metrics["quote"], metrics["attributed"], *roles]


# An article whose one quote has 100 non-space characters: ten words of ten letters.
WORDS = " ".join(["abcdefghij"] * 10)
LONG = f"The mayor said: “{WORDS}” and left."
LONG_START = LONG.index(WORDS)


def words(first: int, last: int, extra_letters: int = 0) -> list[int]:
    """Span of LONG from word `first` to word `last` (0-based), plus letters of the next word."""
    end = LONG_START + 11 * last + 10
    if extra_letters:
        end += 1 + extra_letters  # the space, then the letters
    return [LONG_START + 11 * first, end]


def test_perfect_prediction_scores_one_everywhere():
    gold = [article(MAYOR, mayor_gold())]
    metrics = evaluate(gold, {"a1": mayor_gold()})
    for scores in all_scores(metrics):
        assert scores == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert metrics["articles"] == 1
    assert metrics["gold_quotes"] == metrics["pred_quotes"] == metrics["matched_quotes"] == 2
    assert metrics["speaker_accuracy"] == 1.0
    assert metrics["speaker_total"] == 2
    assert metrics["recall_by_kind"]["direct"] == {"recall": 1.0, "gold": 1, "matched": 1}
    assert metrics["recall_by_kind"]["mixed"] == {"recall": None, "gold": 0, "matched": 0}
    assert metrics["skipped"] == {"invalid_spans": 0, "unscorable_quotes": 0, "unknown_ids": 0}
    json.dumps(metrics)


def test_trimming_marks_punctuation_and_that_makes_exact_match():
    predicted = [
        quote(
            "direct",
            [span(MAYOR, "“We will rebuild the old bridge by spring.” ")],
            cue=span(MAYOR, "said:"),
            source=span(MAYOR, "Mayor Lena Varga "),
        ),
        quote(
            "indirect",
            [span(MAYOR, "that the budget was already approved.\n")],
            cue=span(MAYOR, " said", 2),
            source=span(MAYOR, " Tomas Brell,"),
        ),
    ]
    metrics = evaluate([article(MAYOR, mayor_gold())], {"a1": predicted})
    for role in ("content", "source", "cue"):
        assert metrics["roles"][role]["exact"]["f1"] == 1.0
    assert metrics["roles"]["content"]["overlap"]["p"] < 1.0


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ('"', '"'), ("“", "”"), ("‘", "’"), ("«", "»"), ("„", "‟"), ("‹", "›"), ("``", "''"),
        ("'", "'"),
    ],
)
def test_every_quotation_mark_style_is_trimmed(opening, closing):
    text = f"The mayor said {opening}Taxes stay low, and parks stay open!{closing} on Monday."
    gold = [quote(content=[span(text, "Taxes stay low, and parks stay open!")])]
    marked = f"{opening}Taxes stay low, and parks stay open!{closing}"
    predicted = [quote(content=[span(text, marked)])]
    metrics = evaluate([article(text, gold)], {"a1": predicted})
    assert metrics["roles"]["content"]["exact"]["f1"] == 1.0


@pytest.mark.parametrize("that", ["that", "That", "THAT"])
def test_leading_that_is_trimmed_from_content_in_any_case(that):
    text = f"Brell said {that} the ferry will run at night."
    gold = [quote("indirect", [span(text, "the ferry will run at night")])]
    predicted = [quote("indirect", [span(text, f"{that} the ferry will run at night.")])]
    metrics = evaluate([article(text, gold)], {"a1": predicted})
    assert metrics["roles"]["content"]["exact"]["f1"] == 1.0


def test_that_is_only_trimmed_as_a_whole_word():
    text = "Brell said thatched roofs are banned."
    gold = [quote("indirect", [span(text, "thatched roofs are banned")])]
    predicted = [quote("indirect", [span(text, "ched roofs are banned")])]
    metrics = evaluate([article(text, gold)], {"a1": predicted})
    assert metrics["roles"]["content"]["exact"]["f1"] == 0.0


def test_that_is_not_trimmed_from_sources():
    text = "That official said the plan works."
    gold = [quote("indirect", [span(text, "the plan works")], source=span(text, "official"))]
    predicted = [
        quote("indirect", [span(text, "the plan works")], source=span(text, "That official"))
    ]
    metrics = evaluate([article(text, gold)], {"a1": predicted})
    assert metrics["roles"]["source"]["exact"]["f1"] == 0.0


def test_items_empty_after_trimming_are_dropped():
    text = "The mayor said: “Yes.” Then “...” was all."
    gold = [quote(content=[span(text, "Yes.")])]
    predicted = [quote(content=[span(text, "Yes."), span(text, "“...”")])]
    metrics = evaluate([article(text, gold)], {"a1": predicted})
    assert metrics["roles"]["content"]["exact"] == {"p": 1.0, "r": 1.0, "f1": 1.0}


@pytest.mark.parametrize(
    ("predicted_span", "matches"),
    [
        (words(0, 3, extra_letters=9), False),  # 49 of 100 characters: Jaccard 0.49
        (words(0, 4), True),  # 50 of 100: Jaccard 0.5
        (words(0, 9), True),
    ],
)
def test_jaccard_threshold(predicted_span, matches):
    gold = [quote(content=[words(0, 9)])]
    metrics = evaluate([article(LONG, gold)], {"a1": [quote(content=[predicted_span])]})
    assert metrics["matched_quotes"] == int(matches)
    assert metrics["quote"]["f1"] == (1.0 if matches else 0.0)


def test_jaccard_counts_non_space_characters_only():
    # Gold: five words (50 letters); prediction: ten words (100 letters and 9 spaces): 0.5.
    gold = [quote(content=[words(0, 4)])]
    metrics = evaluate([article(LONG, gold)], {"a1": [quote(content=[words(0, 9)])]})
    assert metrics["matched_quotes"] == 1


def test_matching_is_greedy_by_jaccard_not_by_order():
    gold = [quote(content=[words(0, 9)], speaker="Lena Varga")]
    predicted = [
        quote(content=[words(0, 5)], speaker="Tomas Brell"),  # Jaccard 0.6
        quote(content=[words(0, 9)], speaker="Lena Varga"),  # Jaccard 1.0
    ]
    metrics = evaluate([article(LONG, gold)], {"a1": predicted})
    assert metrics["quote"] == {"p": 0.5, "r": 1.0, "f1": pytest.approx(2 / 3)}
    assert metrics["attributed"] == metrics["quote"]  # the right-speaker prediction won


def test_matching_is_one_to_one_and_leaves_the_best_pairs():
    # The wide prediction has Jaccard 0.5 with both halves; the narrow one 1.0 with the
    # second half, which is listed first.  Greedy by Jaccard matches both.
    gold = [quote(content=[words(5, 9)]), quote(content=[words(0, 4)])]
    predicted = [quote(content=[words(0, 9)]), quote(content=[words(5, 9)])]
    metrics = evaluate([article(LONG, gold)], {"a1": predicted})
    assert metrics["matched_quotes"] == 2
    assert metrics["quote"]["f1"] == 1.0


def test_duplicate_predictions_match_once():
    gold = [quote(content=[words(0, 9)])]
    predicted = [quote(content=[words(0, 9)]), quote(content=[words(0, 9)])]
    metrics = evaluate([article(LONG, gold)], {"a1": predicted})
    assert metrics["quote"]["p"] == 0.5
    assert metrics["quote"]["r"] == 1.0
    assert metrics["roles"]["content"]["exact"]["p"] == 0.5


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lena Varga", "lena varga"),
        ("Lena Varga", "LENA VARGA"),
        ("José Núñez", "Jose Nunez"),
        ("Mayor Lena Varga", "Lena Varga"),
        ("Dr. Lena Varga", "Lena Varga"),
        ("Prime Minister Ana Kos", "Ana Kos"),
        ("Foreign Minister Ana Kos", "Mrs. Ana Kos"),
        ("Secretary-General Ana Kos", "Ana Kos"),
        ("Varga", "Lena Varga"),
        ("Mayor Varga", "Lena Varga"),
        ("Ilham Aliyev", "President Ilham Aliyev"),
        ("Aliyev", "Ilham Aliyev"),
        ("Mr. O’Brien", "Sean O'Brien"),
        ("Ana-Maria Kos", "ana maria kos"),
        ("King", "Ada King"),  # a name made only of a title word is kept
    ],
)
def test_same_speaker_matches(a, b):
    assert same_speaker(a, b)
    assert same_speaker(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ilham Aliyev", "Heydar Aliyev"),
        ("Lena Varga", "Lena Kovacs"),
        ("Lena", "Lena Varga"),
        ("Lena Varga", None),
        (None, None),
        ("", "Lena Varga"),
        ("   ", "   "),
    ],
)
def test_same_speaker_differs(a, b):
    assert not same_speaker(a, b)
    assert not same_speaker(b, a)


def test_wrong_speaker_lowers_attributed_but_not_quote_f1():
    predicted = mayor_gold()
    predicted[1]["speaker"] = "Lena Varga"
    metrics = evaluate([article(MAYOR, mayor_gold())], {"a1": predicted})
    assert metrics["quote"]["f1"] == 1.0
    assert metrics["attributed"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert metrics["speaker_accuracy"] == 0.5
    assert metrics["speaker_total"] == 2


def test_surname_only_and_title_count_as_the_right_speaker():
    predicted = mayor_gold()
    predicted[0]["speaker"] = "Mayor Varga"
    predicted[1]["speaker"] = "Deputy Mayor Brell"
    metrics = evaluate([article(MAYOR, mayor_gold())], {"a1": predicted})
    assert metrics["attributed"]["f1"] == 1.0


def test_missing_predicted_speaker_is_wrong():
    predicted = mayor_gold()
    predicted[0]["speaker"] = None
    metrics = evaluate([article(MAYOR, mayor_gold())], {"a1": predicted})
    assert metrics["speaker_accuracy"] == 0.5
    assert metrics["attributed"]["r"] == 0.5


@pytest.mark.parametrize(
    ("predicted_speaker", "attributed"), [(None, 1.0), ("  ", 1.0), ("Lena Varga", 0.0)]
)
def test_gold_without_speaker_needs_no_predicted_speaker(predicted_speaker, attributed):
    gold = [quote(content=[words(0, 9)], speaker=None)]
    predicted = [quote(content=[words(0, 9)], speaker=predicted_speaker)]
    metrics = evaluate([article(LONG, gold)], {"a1": predicted})
    assert metrics["quote"]["f1"] == 1.0
    assert metrics["attributed"]["f1"] == attributed
    assert metrics["speaker_accuracy"] is None
    assert metrics["speaker_total"] == 0


def test_recall_by_kind():
    text = (
        "“The pool opens in June,” the mayor said. Brell said the pool cost too much. "
        "The council said it was “a fair price” for the town. Varga: We are done here."
    )
    gold = [
        quote("direct", [span(text, "The pool opens in June,")]),
        quote("indirect", [span(text, "the pool cost too much")]),
        quote("mixed", [span(text, "it was “a fair price” for the town")]),
        quote("other", [span(text, "We are done here.")]),
    ]
    predicted = [gold[0], gold[2], quote("indirect", [span(text, "Brell said")])]
    metrics = evaluate([article(text, gold)], {"a1": predicted})
    by_kind = metrics["recall_by_kind"]
    assert list(by_kind) == ["direct", "indirect", "mixed", "other"]
    assert by_kind["direct"] == {"recall": 1.0, "gold": 1, "matched": 1}
    assert by_kind["indirect"] == {"recall": 0.0, "gold": 1, "matched": 0}
    assert by_kind["mixed"]["recall"] == 1.0
    assert by_kind["other"]["recall"] == 0.0
    assert metrics["quote"]["p"] == pytest.approx(2 / 3)
    assert metrics["quote"]["r"] == 0.5


def test_overlap_by_hand_summed_over_the_corpus():
    first = "Varga said the ferry will run at night."
    gold_first = [
        quote("indirect", [span(first, "the ferry will run at night")], cue=span(first, "said"))
    ]
    # Two overlapping pieces; "ferry will run at night." has 20 non-space characters, 19 of
    # them gold; "run at night" is inside it and counts once.  Gold has 22 non-space characters.
    pred_first = [
        quote(
            "indirect",
            [span(first, "ferry will run at night."), span(first, "run at night")],
            cue=span(first, "Varga said"),
        )
    ]
    second = "Brell wrote: parking stays free."
    gold_second = [quote("other", [span(second, "parking stays free.")])]  # 17 non-space
    pred_second = [quote("other", [span(second, "Brell wrote")])]  # 10 non-space, none gold

    metrics = evaluate(
        [article(first, gold_first, "one"), article(second, gold_second, "two")],
        {"one": pred_first, "two": pred_second},
    )
    content = metrics["roles"]["content"]["overlap"]
    assert content["p"] == pytest.approx(19 / 30)
    assert content["r"] == pytest.approx(19 / 39)
    assert content["f1"] == pytest.approx(2 * (19 / 30) * (19 / 39) / (19 / 30 + 19 / 39))
    cue = metrics["roles"]["cue"]
    assert cue["overlap"]["p"] == pytest.approx(4 / 9)
    assert cue["overlap"]["r"] == 1.0
    assert cue["exact"]["f1"] == 0.0
    assert metrics["roles"]["source"]["overlap"] == {"p": 0.0, "r": 0.0, "f1": 0.0}


def test_no_predictions_gives_zeros():
    metrics = evaluate([article(MAYOR, mayor_gold())], {})
    for scores in all_scores(metrics):
        assert scores == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert metrics["pred_quotes"] == 0
    assert metrics["speaker_accuracy"] is None
    assert metrics["recall_by_kind"]["direct"]["recall"] == 0.0


def test_empty_corpus_gives_zeros():
    metrics = evaluate([], {})
    assert metrics["articles"] == 0
    for scores in all_scores(metrics):
        assert scores == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert all(row["recall"] is None for row in metrics["recall_by_kind"].values())


def test_bad_spans_are_clipped_or_skipped_and_counted():
    text = "Varga wrote: Open the gates now"
    start = text.index("Open")
    gold = [quote("other", [[start, len(text)]], cue=span(text, "wrote"))]
    predicted = [
        quote("other", [[start, len(text) + 50]], cue=[-3, 2], source=[9, 4]),  # clipped
        quote("other", [[start]], cue=["a", 3]),  # malformed
        quote("other", [[True, 5], [7, 7]], source=[40, 50]),  # bool, empty, outside
        {"kind": "direct", "content_spans": None, "speaker": 3},
        "not a quote",
    ]
    metrics = evaluate([article(text, gold)], {"a1": predicted, "elsewhere": []})
    assert metrics["matched_quotes"] == 1
    assert metrics["pred_quotes"] == 1
    assert metrics["roles"]["content"]["exact"]["f1"] == 1.0
    assert metrics["skipped"] == {"invalid_spans": 6, "unscorable_quotes": 4, "unknown_ids": 1}


spans = st.one_of(
    st.lists(st.integers(-20, 80), min_size=2, max_size=2),
    st.lists(st.integers(-5, 80), max_size=3),
    st.none(),
    st.text(max_size=3),
    st.floats(allow_nan=True),
)
quotes = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "kind": st.one_of(st.sampled_from(["direct", "indirect", "mixed"]), st.none()),
                "content_spans": st.one_of(st.lists(spans, max_size=3), st.none(), st.integers()),
                "cue_span": spans,
                "source_span": spans,
                "speaker": st.one_of(st.none(), st.text(max_size=12)),
            }
        ),
        st.integers(),
        st.none(),
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(gold_quotes=quotes, predicted=st.one_of(quotes, st.none()))
def test_any_input_gives_rates_between_zero_and_one(gold_quotes, predicted):
    metrics = evaluate([article(MAYOR, gold_quotes)], {"a1": predicted})
    json.dumps(metrics)
    for scores in all_scores(metrics):
        assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert metrics["matched_quotes"] <= min(metrics["gold_quotes"], metrics["pred_quotes"])


def test_read_jsonl_keeps_offsets_and_skips_blank_lines(tmp_path):
    records = [
        {"id": "x", "text": "Line one\u2028still one\r\nand a carriage return\ralone."},
        {"id": "y", "text": "Café “crème”"},
    ]
    path = tmp_path / "gold.jsonl"
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text(lines[0] + "\n\n" + lines[1] + "\n", encoding="utf-8")
    assert read_jsonl(path) == records


def test_read_jsonl_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: invalid JSON"):
        read_jsonl(path)


def test_predictions_by_id():
    records = [{"id": "a1", "quotes": mayor_gold()}, {"id": "a2", "quotes": None}]
    assert predictions_by_id(records) == {"a1": mayor_gold(), "a2": []}


def test_render_table_shows_percentages_and_title():
    predicted = mayor_gold()
    predicted[1]["speaker"] = "Lena Varga"
    metrics = evaluate([article(MAYOR, mayor_gold())], {"a1": predicted, "zz": []})
    console = Console(record=True, width=120)
    console.print(render_table(metrics, title="Mayor stories"))
    output = console.export_text()
    assert "Mayor stories" in output
    assert "100.0%" in output and "50.0%" in output
    assert "Speaker accuracy" in output and "Recall, mixed" in output
    assert "1 unknown ids" in output
    assert "–" in output  # no gold mixed quotes


@pytest.mark.parametrize("name", ["realworld/gold.jsonl", "polnear/dev.jsonl"])
def test_real_gold_against_itself_scores_one(name):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"../shared/data not found: {path}")
    gold = read_jsonl(path)
    metrics = evaluate(gold, {record["id"]: record["quotes"] for record in gold})
    for scores in all_scores(metrics):
        assert scores["f1"] == 1.0
    assert metrics["speaker_accuracy"] in (1.0, None)
    assert all(row["recall"] in (1.0, None) for row in metrics["recall_by_kind"].values())
    assert metrics["skipped"] == {"invalid_spans": 0, "unscorable_quotes": 0, "unknown_ids": 0}
