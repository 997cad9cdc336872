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
])
def test_venue(sentence, venue):
    assert find_venue(sentence) == venue
