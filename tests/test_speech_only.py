"""Only speech is a quotation (`news` conventions); PolNeAR's conventions keep every attribution.

Each example holds a frame that reports no speech and, next to it, a true quote: under `news` the
first is dropped and the second survives; under `polnear` both are found, as before the filter.
The sentences are made up for these tests.
"""
import pytest
from click.testing import CliRunner

from quotetrail import extract_quotes, extract_quotes_batch
from quotetrail.cli import main

EXAMPLES = {
    # rule: (text, the non-speech cue, the true quote's content)
    "topic object": ("The senator thanked her staff and her family. She told reporters that she would run again "
                     "next year.", "thanked", "she would run again next year"),
    "topic object, prepositional": ("The coach spoke about the weather before the match. He said his players were "
                                    "ready for the final.", "spoke about", "his players were ready for the final"),
    "topic object, would not comment": ("The president would not comment on the investigation. His lawyer said the "
                                        "inquiry was a waste of time.", "would not comment on",
                                        "the inquiry was a waste of time"),
    "topic object, reported revenue": ("The retailer reported revenue of $2 billion for the quarter. Its chief "
                                       "executive said the holiday season had been strong.", "reported",
                                       "the holiday season had been strong"),
    "market": ("Shares of Northwind Traders declined more than 6 per cent in early trading on Wednesday after the "
               "company warned that sales would slow.", "declined", "sales would slow"),
    "market subject": ("Sales dropped sharply, suggesting that demand had peaked. The company said it would cut "
                       "prices.", "suggesting", "it would cut prices"),
    "action": ("The minister plans to visit the border next month. He said the new checkpoints would open in "
               "spring.", "plans", "the new checkpoints would open in spring"),
    "action, expected": ("The minister is expected to announce the budget on Friday. She told parliament that taxes "
                         "would not rise.", "is expected", "taxes would not rise"),
    "finding": ("The study found that people who walk daily sleep better. Its lead author said the effect was "
                "modest.", "found", "the effect was modest"),
    "finding, research subject": ("Researchers showed that the drug reduced symptoms. The lead author said larger "
                                  "trials were needed.", "showed", "larger trials were needed"),
    "hedged": ("A voter might think that the race is over. The candidate insisted that she could still win.",
               "might think", "she could still win"),
    "hedged, seem": ("It might seem that the talks have failed. The envoy said both sides would meet again on "
                     "Friday.", "might seem", "both sides would meet again on Friday"),
    "negated": ("He never stated that he will not resign. His spokesman said the minister would stay in his post.",
                "never stated", "the minister would stay in his post"),
    "negated, declined to say": ("The company declined to say whether the plant would close. The union said "
                                 "workers had been told nothing.", "declined", "workers had been told nothing"),
    "hearsay": ("There were reports that the striker says he wants to leave. The manager said the player was happy "
                "at the club.", "says", "the player was happy at the club"),
    "hearsay, impersonal passive": ("It is rumoured that the bank will cut jobs. The chairman said no decision had "
                                    "been taken.", "is rumoured", "no decision had been taken"),
    "author": ("I think the council should keep its opinions to itself. The mayor said the vote would go ahead.",
               "think", "the vote would go ahead"),
    "author, we": ("We believe the ruling was wrong. The club's lawyer said it would appeal within a week.",
                   "believe", "it would appeal within a week"),
}


def cues(text, quotes):
    return [text[slice(*q.cue_span)] if q.cue_span else None for q in quotes]


@pytest.mark.parametrize("rule", EXAMPLES)
def test_news_drops_the_non_speech_and_keeps_the_quote_beside_it(rule):
    text, cue, content = EXAMPLES[rule]
    news = extract_quotes(text)
    assert cue not in cues(text, news), rule
    assert [q.text for q in news] == [content], rule


@pytest.mark.parametrize("rule", EXAMPLES)
def test_polnear_keeps_every_attribution(rule):
    text, cue, content = EXAMPLES[rule]
    polnear = extract_quotes(text, conventions="polnear")
    assert cue in cues(text, polnear) and content in [q.text for q in polnear], rule


@pytest.mark.parametrize("text", [
    "The governor called the flood response a disgrace.",                      # a small clause
    "The banker forecasts an economic “hurricane” later this year.",           # verbatim words in the object
    "The chief executive cited rising costs as the reason for the cuts.",      # `X as Y`
    "The coach urged his players to stay calm.",                               # a directive's infinitive
])
def test_news_keeps_speech_with_a_noun_phrase_or_an_infinitive(text):
    assert extract_quotes(text) and extract_quotes(text) == extract_quotes(text, conventions="polnear")


def test_a_dropped_frame_still_names_the_speaker_a_pronoun_after_it_refers_to():
    text = ("Prime Minister Alma Reyes thanked her cabinet on Monday. She said the government would hold a "
            "vote on the budget in June.")
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Alma Reyes"


def test_a_report_nested_in_another_reports_clause_is_left_to_it():
    text = ("Host Dana Kirk noted that the plan had been cut twice and that Mayor Lena Ortiz had released a statement "
            "saying she still backed it.")
    news, polnear = extract_quotes(text), extract_quotes(text, conventions="polnear")
    assert [(q.speaker, cues(text, [q])[0]) for q in news] == [("Dana Kirk", "noted")]
    assert "saying" in cues(text, polnear)
    text = "The agency said in a statement that temporary barriers would be installed by November."
    for conventions in ("news", "polnear"):  # one report: the verb's frame, the statement's content
        assert [(q.text, cues(text, [q])[0]) for q in extract_quotes(text, conventions=conventions)] == [
            ("temporary barriers would be installed by November", "said")]


def test_unknown_conventions_are_an_error():
    with pytest.raises(ValueError, match="conventions"):
        extract_quotes("He said it was fine.", conventions="tabloid")
    with pytest.raises(ValueError, match="conventions"):
        extract_quotes_batch(["He said it was fine."], conventions="")


def test_extract_and_eval_take_conventions(tmp_path):
    text, cue, _ = EXAMPLES["topic object"]
    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    runner = CliRunner()
    news = runner.invoke(main, ["extract", str(src), "--format", "jsonl", "-j", "1"])
    polnear = runner.invoke(main, ["extract", str(src), "--format", "jsonl", "-j", "1", "--conventions", "polnear"])
    assert news.exit_code == polnear.exit_code == 0
    assert f'"{cue}"' not in news.stdout and cue in polnear.stdout
    bad = runner.invoke(main, ["eval", str(src), "--conventions", "tabloid"])
    assert bad.exit_code == 2
    for name in ("extract", "eval"):
        (option,) = [p for p in main.get_command(None, name).params if p.name == "conventions"]
        assert option.default == "news"
    assert not [p for p in main.get_command(None, "ingest").params if p.name == "conventions"]
