"""Extraction and attribution on short articles written for these tests and on the example corpus."""
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from quotetrail import extract_quotes
from quotetrail.evaluate import same_speaker

HERE = Path(__file__).parent


def one(text, snippet):
    """The single quote whose content holds `snippet`."""
    at = text.index(snippet)
    found = [q for q in extract_quotes(text) if any(s <= at < e for s, e in q.content_spans)]
    assert len(found) == 1, f"{snippet!r}: {found}"
    return found[0]


def test_empty_and_blank_articles_give_nothing():
    assert extract_quotes("") == []
    assert extract_quotes(" \n\t \n") == []


def test_offsets_index_the_original_text():
    text = 'Intro line.\n\n“We will rebuild the bridge by spring,” Mayor Lena Varga told the Harbor Gazette.'
    for q in extract_quotes(text):
        assert q.text == " … ".join(text[s:e] for s, e in q.content_spans)
        if q.cue_span:
            assert text[slice(*q.cue_span)] == "told"
        if q.source_span:
            assert text[slice(*q.source_span)] == "Mayor Lena Varga"


def test_direct_quote_after_attribution_with_venue():
    text = '“We will rebuild the bridge by spring,” Mayor Lena Varga told the Harbor Gazette on Monday.'
    q = one(text, "rebuild the bridge")
    assert (q.kind, q.speaker, q.venue) == ("direct", "Lena Varga", "Harbor Gazette")


def test_quote_split_by_its_attribution_is_one_quote():
    text = ('Finance Minister Tomas Adler spoke on Friday. "The budget is balanced," Adler said, '
            '"and it will stay balanced."')
    q = one(text, "The budget is balanced")
    assert len(q.content_spans) == 2
    assert q.speaker == "Tomas Adler"


@pytest.mark.parametrize("text, speaker", [
    # a long attribution between the parts
    ('"The harbour is a cynical place," said Ines Marlow, a shipping lawyer who advised Mr. Adler '
     'on the sale. "But passion still counts for something here."', "Ines Marlow"),
    # a full stop after a title does not end the attribution
    ('"The harbour is ready? Probably not," Ms. Ora Vell said. "Will we be ready? Absolutely."', "Ora Vell"),
    # an unattributed quote later in the paragraph continues the speaker
    ('"The harbour has had problems with the pumps," Mayor Lena Varga said after the inspection. '
     'The inspection lasted two hours. "Our goal is to fix them before the winter comes."', "Lena Varga"),
])
def test_a_quote_resumed_after_its_attribution_is_one_quote(text, speaker):
    q = one(text, "The harbour")
    assert len(q.content_spans) == 2 and q.speaker == speaker


def test_the_subject_of_a_passive_report_is_not_its_speaker():
    text = 'Asked about the strike, Mayor Lena Varga said the talks would resume on Monday.'
    assert one(text, "the talks would resume").speaker == "Lena Varga"
    text = 'The minister is expected to announce that the plant will close.'
    def sources(conventions):
        return {text[slice(*q.cue_span)]: q.source_span and text[slice(*q.source_span)]
                for q in extract_quotes(text, conventions=conventions)}
    assert sources("polnear") == {"is expected": None, "to announce": "The minister"}
    assert sources("news") == {"to announce": "The minister"}  # an expectation is not speech


def test_cue_span_keeps_its_adverb():
    text = 'Mayor Lena Varga also said that the bridge would reopen in May.'
    q = one(text, "the bridge would reopen")
    assert (q.kind, text[slice(*q.cue_span)]) == ("indirect", "also said")


def test_surname_and_pronoun_resolve_to_the_full_name():
    text = ('Transport Minister Anna Koval visited the depot on Tuesday.\n\n'
            '"The trains will run on time," Koval said.\n\n'
            '"Nobody should doubt it," she added.')
    assert one(text, "trains will run").speaker == "Anna Koval"
    assert one(text, "Nobody should doubt").speaker == "Anna Koval"


def test_role_noun_resolves_to_the_person_in_that_role():
    text = ('Velorian President Ilko Marren met the envoys in the capital on Monday.\n\n'
            'The Velorian president said the border would reopen within a week.')
    q = one(text, "the border would reopen")
    assert (q.kind, q.speaker) == ("indirect", "Ilko Marren")


def test_indirect_according_to():
    text = "According to the Ministry of Transport, the new line will open in May."
    q = one(text, "the new line will open")
    assert q.kind == "indirect"
    assert text[slice(*q.cue_span)] == "According to"


def test_mixed_quote_keeps_its_fragment():
    text = 'Senator Paul Idris said the plan was "dead on arrival" in the northern provinces.'
    q = one(text, "dead on arrival")
    assert q.kind == "mixed"
    assert q.speaker == "Paul Idris"


def test_colon_after_indirect_clause_gives_two_quotes():
    text = ('Mayor Lena Varga said that the port would stay open: "We have no other choice. '
            'The city depends on it."')
    kinds = sorted(q.kind for q in extract_quotes(text))
    assert kinds == ["direct", "indirect"]


def test_transcript_turns_are_other_quotes():
    text = ("Kestrel News presents the interview:\n"
            "Interviewer: Minister, will the strike end soon?\n"
            "Minister Anna Koval: I expect an agreement this week.\n")
    quotes = extract_quotes(text)
    assert [q.kind for q in quotes] == ["other", "other"]
    assert quotes[0].speaker is None
    assert quotes[1].speaker == "Anna Koval"


def test_scare_quotes_are_not_quotations():
    text = 'The workers staged what they call a "ghost shift" at the harbor.'
    assert extract_quotes(text) == []


def test_unbalanced_marks_never_crash():
    for text in ('"', '“', '”He said.', '"A" "B" "C', "‘’‘’‘", '"""""', "He said: «"):
        assert isinstance(extract_quotes(text), list)


def test_example_corpus_against_its_answer_key():
    """The hand-written answer key of the bundled corpus: most quotes found and attributed."""
    expected = json.loads((HERE / "data" / "examples_expected.json").read_text(encoding="utf-8"))
    cache, found, right = {}, 0, 0
    for item in expected:
        text = (EXAMPLES / item["file"]).read_text(encoding="utf-8")
        quotes = cache.setdefault(item["file"], extract_quotes(text))
        at = text.index(item["contains"])
        hits = [q for q in quotes if any(s <= at < e for s, e in q.content_spans)]
        if hits:
            found += 1
            q = hits[0]
            right += (q.speaker is None and item["speaker"] is None) or same_speaker(q.speaker, item["speaker"])
    assert found / len(expected) >= 0.85
    assert right / len(expected) >= 0.65


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_every_example_article_yields_attributed_quotes(name):
    quotes = extract_quotes((EXAMPLES / name).read_text(encoding="utf-8"))
    assert quotes and any(q.speaker for q in quotes)


def test_headline_attributions():
    says = one("Harbor bridge to reopen in May, city engineer Ana Ruiz says\n\nThe bridge closed in June.",
               "Harbor bridge to reopen")
    assert (says.kind, says.speaker) == ("indirect", "Ana Ruiz")
    dash = one("We will not be sold to the highest bidder – Brandt\n\nClub owner Viktor Brandt spoke on Friday.",
               "We will not be sold")
    assert (dash.kind, dash.speaker) == ("other", "Viktor Brandt")


def test_a_headline_label_with_its_words_in_quotation_marks_is_a_direct_quote():
    body = "\n\nRovers manager Liam Keane admitted his side were beaten after the defeat on Saturday."
    for headline in ("Rovers boss Keane: 'We were second best'", "Liam Keane: “We were second best”",
                     "Liam Keane post-match interview: ‘We were second best’ - manager praises City"):
        found = one(headline + body, "We were second best")
        assert (found.kind, found.text, found.speaker) == ("direct", "We were second best", "Liam Keane"), headline
    mixed = one("Keane on the defeat: “Second best” Rovers must regroup" + body, "Rovers must regroup")
    assert mixed.kind == "mixed"


def test_a_heading_word_before_an_inverted_headline_quote_is_neither_label_nor_clause():
    text = ("Interview: 'Water will be the next oil,' says hydrologist Dr Lena Moss\n\n"
            "Dr Lena Moss has spent 30 years studying aquifers across East Africa.")
    quotes = extract_quotes(text)
    assert [(q.kind, q.text, q.speaker) for q in quotes] == [("direct", "Water will be the next oil,", "Lena Moss")]
