"""Quotation-mark pairing: every style and oddity the news throws at it."""
from quotetrail.extract.marks import find_quoted, paragraphs


def texts(text):
    return [[text[s:e] for s, e in run.spans] for run in find_quoted(text)]


def test_curly_straight_angle_low_and_doubled_apostrophes():
    assert texts('“Curly words,” she said.') == [["Curly words,"]]
    assert texts('"Straight words," she said.') == [["Straight words,"]]
    assert texts("«Angle words», she said.") == [["Angle words"]]
    assert texts("„Low words“ she said.") == [["Low words"]]
    assert texts("''Doubled words,'' she said.") == [["Doubled words,"]]
    assert texts("He said,''Glued words.''") == [["Glued words."]]
    assert texts("“Closed with two apostrophes,’’ said Dr Quell. “Then a new quote.”") == [
        ["Closed with two apostrophes,"], ["Then a new quote."]]
    assert texts("‘‘Opened with two,’’ she said.") == [["Opened with two,"]]


def test_apostrophes_are_not_quotation_marks():
    assert texts("We’re sure Azerbaijan’s case is strong, he said.") == []


def test_nested_single_quote_inside_double():
    runs = find_quoted('“They told me ‘never again’ last week,” he said.')
    assert [(r.depth, r.spans) for r in runs][1][0] == 1
    assert texts('“They told me ‘never again’ last week,” he said.')[1] == ["never again"]


def test_multi_paragraph_quote_reopened_each_paragraph():
    text = '“First paragraph of the speech.\n\n“Second paragraph of it.\n\n“Last one,” she said.'
    runs = find_quoted(text)
    assert len(runs) == 1
    assert [text[s:e] for s, e in runs[0].spans] == [
        "First paragraph of the speech.", "Second paragraph of it.", "Last one,"]


def test_missing_closing_mark_ends_at_glued_attribution():
    text = '"We are ready to talk, and we mean it,President Mara Quell said on Monday.'
    (run,) = find_quoted(text)
    assert not run.closed
    assert text[run.start:run.end] == "We are ready to talk, and we mean it,"


def test_missing_closing_mark_ends_at_paragraph():
    text = 'He said: "The talks will go on\n\nThe next paragraph is narrative.'
    (run,) = find_quoted(text)
    assert text[run.start:run.end] == "The talks will go on"


def test_missing_opening_mark_starts_at_sentence():
    text = 'He spoke at length. All of this is aimed at us,” he said.'
    (run,) = find_quoted(text)
    assert not run.opened
    assert text[run.start:run.end] == "All of this is aimed at us,"


def test_paragraphs_split_on_blank_lines_and_sentence_final_newlines():
    text = "One sentence.\nTwo sentence\ncontinues here.\n\nThree."
    assert [text[s:e] for s, e in paragraphs(text)] == ["One sentence.", "Two sentence\ncontinues here.", "Three."]


def test_thousands_of_marks_do_not_explode():
    text = '"' * 5000 + "“‘" * 2000
    assert isinstance(find_quoted(text), list)
