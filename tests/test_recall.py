"""Recall rules (issue 12): speech the marks-and-frames pipeline used to miss, and the look-alikes
that must stay out. Every article here is made up for these tests; the people are fictional."""
from quotetrail import extract_quotes


def quotes_of(text):
    return [(q.kind, text[slice(*q.source_span)] if q.source_span else None,
             [text[s:e] for s, e in q.content_spans]) for q in extract_quotes(text)]


def test_transcript_with_upper_case_labels_q_and_furniture():
    text = ("Governor holds briefing on the storm\n\n"
            "WATCH: The full briefing\n\n"
            "MS. LARKIN: Good morning. The storm has passed the coast.\n\n"
            "We expect power back by Friday.\n\n"
            "Q Thanks, Dana. How many homes are still without power?\n\n"
            "MS. LARKIN: About twelve thousand.\n\n"
            "Q: And the schools?\n\n"
            "CHIEF OMAR BELL (FIRE), HARBOR CITY:\nThe schools stay closed until Monday.\n\n"
            "Related: Storm damage in photos\n")
    assert quotes_of(text) == [
        ("other", "MS. LARKIN", ["Good morning. The storm has passed the coast.", "We expect power back by Friday."]),
        ("other", "Q", ["Thanks, Dana. How many homes are still without power?"]),
        ("other", "MS. LARKIN", ["About twelve thousand."]),
        ("other", "Q", ["And the schools?"]),
        ("other", "CHIEF OMAR BELL (FIRE), HARBOR CITY", ["The schools stay closed until Monday."]),
    ]


def test_label_like_lines_that_are_not_speakers():
    text = ("UPDATE: The road has reopened.\n\n"
            "LONDON: Traffic was slow on Tuesday after the crash.\n\n"
            "Photo: Marta Quill\n\n"
            "Related: Bridge repairs\n\n"
            "The council said the road would be resurfaced next year.\n")
    assert [q[0] for q in quotes_of(text)] == ["indirect"]


def test_q_and_a_interview():
    text = ("Five questions for the new harbour master\n\n"
            "Q: What will change first?\n\n"
            "A: The night shifts. We will add a second pilot boat.\n\n"
            "Q: When?\n\n"
            "A: Before the winter storms.\n")
    assert quotes_of(text) == [
        ("other", "Q", ["What will change first?"]),
        ("other", "A", ["The night shifts. We will add a second pilot boat."]),
        ("other", "Q", ["When?"]),
        ("other", "A", ["Before the winter storms."]),
    ]


def test_headline_label_with_topic_is_mixed_and_repeated_heading_too():
    text = ('Varga on Housing: "We Build Or We Fall," Mayor Says Of New Plan | Video | Harbor Gazette\n\n'
            'Varga on Housing: "We Build Or We Fall," Mayor Says Of New Plan\n\n'
            "Mayor Lena Varga spoke at Tuesday's council meeting. Varga said the city would build 2,000 homes.\n")
    found = quotes_of(text)
    heading = ['"We Build Or We Fall," Mayor Says Of New Plan']
    assert found[:2] == [("mixed", "Varga", heading), ("mixed", "Varga", heading)]
    assert found[2] == ("indirect", "Varga", ["the city would build 2,000 homes"])
    assert len(found) == 3  # the quoted words of the headline are not a quote of their own


def test_a_turn_stops_where_the_reporter_speaks_again():
    text = ("Interviewer: Will the ferry run in winter?\n\n"
            "Captain Ida Roan: Every day, weather permitting.\n\n"
            "We have a new hull this year.\n\n"
            "The harbour board said on Monday that the timetable would be published in May.\n")
    found = quotes_of(text)
    assert found[1] == ("other", "Captain Ida Roan",
                        ["Every day, weather permitting.", "We have a new hull this year."])
    assert found[2][0] == "indirect"


def test_what_she_said_blocks_up_to_the_next_heading():
    text = ("The mayor's speech: what she said, and what she meant\n\n"
            "What she said\n\n"
            "We will build the bridge. It will open in 2027 and the tolls will go.”\n\n"
            "What she meant\n"
            "Varga has promised a bridge before, and the council said the money was not there.\n\n"
            "What she said\n\n"
            "I want to thank the people of the lower town for their patience\n")
    found = quotes_of(text)
    assert found[0] == ("direct", "she", ["We will build the bridge. It will open in 2027 and the tolls will go."])
    assert found[-1] == ("other", "she", ["I want to thank the people of the lower town for their patience"])
    assert all("We will build" not in c for q in found[1:] for c in q[2])


def test_object_and_infinitive_after_a_speech_verb_and_the_headline_quote_before_it():
    text = ("‘It’s a storm’: Mira Stolz tells investors to prepare for rough economic times ahead\n\n"
            "Banker Mira Stolz advises investors to prepare for market volatility as rates rise.\n")
    found = quotes_of(text)
    assert ("direct", "Mira Stolz", ["It’s a storm"]) in found
    assert ("indirect", "Mira Stolz", ["to prepare for rough economic times ahead"]) in found
    assert ("indirect", "Banker Mira Stolz", ["to prepare for market volatility as rates rise"]) in found


def test_a_quote_after_a_colon_ends_at_the_reporters_dash():
    text = "Mayor Lena Varga spoke for ten minutes. She concluded: ‘Them’s the rules’ – blaming the council."
    assert quotes_of(text) == [("direct", "She", ["Them’s the rules"])]


def test_said_to_a_host_keeps_the_quote_before_it():
    text = "“This is a no on this plan,” Varga said to host Ana Ruiz on Sunday."
    assert quotes_of(text)[0] == ("direct", "Varga", ["This is a no on this plan,"])


def test_unquoted_paragraphs_after_told_x_colon_are_the_speakers_words():
    text = ("Prime Minister Eleanor Pask defended the plan on Tuesday. She told Kestrel Radio:\n\n"
            "The plan is costed to the last crown. Colleagues who doubt it should read the numbers.\n\n"
            "We will publish everything before the summer.\n\n"
            "Opposition leader Idris Bale said the figures did not add up.")
    quotes = extract_quotes(text)
    (said,) = [q for q in quotes if "costed to the last crown" in q.text]
    assert said.speaker == "Eleanor Pask" and said.venue == "Kestrel Radio"
    assert "publish everything" in said.text and "figures did not add up" not in said.text
    assert any(q.speaker == "Idris Bale" and "did not add up" in q.text for q in quotes)
