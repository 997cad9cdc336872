"""Cleaning: mojibake, white space, invisible characters, furniture; offsets index the cleaned text."""
from quotetrail import extract_quotes
from quotetrail.ingest.clean import clean, clean_marked, fix_mojibake


def test_mojibake_is_repaired_and_good_text_left_alone():
    assert fix_mojibake("â€œWeâ€™re readyâ€\x9d â€“ cafÃ©") == "“We’re ready” – café"
    assert fix_mojibake("â€œReadyâ€ he said") == "“Ready” he said"
    assert fix_mojibake("naïve café “São Tomé” – Ångström") == "naïve café “São Tomé” – Ångström"


def test_white_space_and_invisible_characters():
    raw = "  Line\u00a0one\u200b  with\tgaps\u00ad\r\n\r\n\r\n\r\nLine two\ufeff \n"
    assert clean(raw) == "Line one with gaps\n\nLine two"


def test_furniture_lines_go_and_article_lines_stay():
    raw = ("Home > World > Europe\nWe use cookies to give you the best experience.\nAccept all\n"
           "Subscribers to the plan pay less, the minister said.\nShare this article\n"
           "Recommended dose is two tablets, the agency said.\nRead more: Other story\nAdvertisement\nThe end.")
    assert clean(raw) == ("Subscribers to the plan pay less, the minister said.\n"
                          "Recommended dose is two tablets, the agency said.\nThe end.")


def test_markers_are_reported_where_they_were():
    cleaned, marks = clean_marked("First story ends.\n\nRelated\nTeaser one\nTeaser two\n\nSecond story.")
    assert cleaned == "First story ends.\n\nSecond story." and marks == [len("First story ends.\n\n")]


def test_quote_offsets_index_the_cleaned_text():
    cleaned = clean("Share this article\r\nâ€œThe bridge opens in May,â€\x9d Mayor Lena\u00a0Varga said.")
    (quote,) = extract_quotes(cleaned)
    start, end = quote.content_spans[0]
    assert cleaned[start:end] == "The bridge opens in May,"
