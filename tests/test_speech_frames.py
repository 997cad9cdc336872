"""Frames that report no speech under the news conventions, and the speech next to them that stays.
Every sentence here is made up for these tests; the people are fictional."""
from quotetrail import extract_quotes


def contents(text):
    return [(q.kind, [text[s:e] for s, e in q.content_spans]) for q in extract_quotes(text)]


def test_topic_object_with_an_apostrophe_is_still_a_topic_object():
    text = ("Tight money refers to policies that shrink the bank’s balance sheet.\n\n"
            "At the time, I contrasted Quell’s view with the cautious comments from Norder’s chief.\n\n"
            "Mayor Lena Ortiz said the bank’s plan would hurt savers.\n")
    assert contents(text) == [("indirect", ["the bank’s plan would hurt savers"])]


def test_quoted_words_in_a_small_clause_still_count_beside_an_apostrophe():
    text = "Mayor Lena Ortiz called the bank’s plan “reckless” on Monday.\n"
    assert contents(text) == [("mixed", ["the bank’s plan “reckless”"])]


def test_means_adjunct_does_not_make_a_topic_object_a_report():
    text = ("Bank chief Tomas Varga has focused on the weather by employing storm metaphors.\n\n"
            "Bank chief Tomas Varga talked about raising rates in the spring.\n")
    assert contents(text) == [("indirect", ["raising rates in the spring"])]


def test_purpose_infinitive_without_a_holder_is_the_writers_inference():
    text = ("There was enough in the speech to suggest he could make trouble for his successor.\n\n"
            "Ortiz went on to suggest the council could meet in May.\n")
    assert contents(text) == [("indirect", ["the council could meet in May"])]


def test_bare_continue_reports_nothing_without_a_quotation():
    text = ("Ortiz said she stayed on because she felt it was her duty to continue.\n\n"
            "Ortiz continued: “We will finish the bridge.”\n")
    assert contents(text) == [("indirect", ["she stayed on because she felt it was her duty to continue"]),
                              ("direct", ["We will finish the bridge."])]


def test_generic_collective_attitude_is_not_a_quotation():
    text = ("Shares fell as investors fretted about what might happen next in the region.\n\n"
            "The finance minister fretted that the region would slow.\n")
    assert contents(text) == [("indirect", ["the region would slow"])]


def test_according_to_a_calculation_is_a_measurement_data_from_an_office_a_source():
    text = ("According to the bank’s calculations, prices will settle next year.\n\n"
            "Prices rose 3 percent in May, according to data from the Varnian statistics office.\n")
    assert contents(text) == [("indirect", ["Prices rose 3 percent in May"])]


def test_statement_released_after_an_event_is_not_a_second_report():
    text = ("Ortiz released a statement after appearing on the evening news that said: "
            "\"The bridge will open in May.\"\n\n"
            "Ortiz talked about reopening the bridge after the storm.\n")
    kinds = [(kind, words) for kind, words in contents(text)]
    assert ("direct", ["The bridge will open in May."]) in kinds
    assert not any(kind == "indirect" and words[0].startswith("a statement") for kind, words in kinds)
    assert ("indirect", ["reopening the bridge after the storm"]) in kinds
