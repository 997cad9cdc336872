"""The venue of a quotation: the outlet's name whole, without the words that only describe it."""
import pytest

from quotetrail.attribute.venue import find_venue


@pytest.mark.parametrize("sentence, venue", [
    ("Speaking to Kestrel Radio on Tuesday morning, Mrs Thwaite said: it is done.", "Kestrel Radio"),
    ("She told Harbor Times Radio: we will not be moved.", "Harbor Times Radio"),   # not `Harbor Times`
    ("He told the Veloria Gazette on Monday that talks would resume.", "Veloria Gazette"),
    ("he told the British Sarenne News Channel", "Sarenne News"),                  # a generic last word goes
    ("she said in an interview with VBC’s Ana Reyes", "VBC"),                       # the presenter is not the outlet
    ("told Kestrel News’ Ivo Marsh on Sunday", "Kestrel News"),
    ("told Veloria’s Channel Nine", "Channel Nine"),                                # a place's outlet
    ("in an interview with Sarenne’s state broadcaster VTR", "VTR"),
    ("in an interview with the Port Halden Courier", "Port Halden Courier"),
    ("she told the station", None),
    ("he said at a press conference", "press conference"),
    ("Varga said in a statement on Friday", "statement"),                         # a medium, when no outlet
    ("The minister released a written statement after the broadcast that said:", "statement"),
    ("she told Kestrel Radio in a statement", "Kestrel Radio"),
    ("the statement continued", None),
    ("Holt said in a May 14 telephone interview", "interview"),
    ("During an interview on Kestrel News, Holt said", "Kestrel News"),
])
def test_venue(sentence, venue):
    assert find_venue(sentence) == venue


def test_a_statement_is_the_medium_of_the_quotes_it_frames_alone():
    from quotetrail import extract_quotes
    text = ("Mayor Lena Varga told reporters on Tuesday that the harbour would stay open. “We will not close it,” "
            "she said. In a statement released later, Varga said: “The harbour stays open for every ship.”")
    venues = [(q.text[:14], q.venue) for q in extract_quotes(text)]
    assert venues == [("the harbour wo", "reporters"), ("We will not cl", "reporters"),
                      ("The harbour st", "statement")]
