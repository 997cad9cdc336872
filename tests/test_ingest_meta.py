"""Ids, outlets, dates and language."""
import pytest

from quotetrail.ingest.meta import article_id, complete, date_from_text, date_from_url, language_of, outlet_of
from quotetrail.model import Article


@pytest.mark.parametrize("url, outlet", [
    ("https://www.bbc.co.uk/news/x", "bbc.co.uk"), ("http://news.abc.net.au/a", "abc.net.au"),
    ("https://edition.cnn.com/2020/10/03/x", "cnn.com"), ("https://apa.az/en/xeber/1", "apa.az"),
    ("https://WWW.Example.ORG:8080/", "example.org"), ("https://localhost/x", None), (None, None), ("not a url", None),
])
def test_outlet_is_the_registered_domain(url, outlet):
    assert outlet_of(url) == outlet


@pytest.mark.parametrize("url, date", [
    ("https://x.org/2020/10/03/story", "2020-10-03"), ("https://x.org/news/2021-1-5-story", "2021-01-05"),
    ("https://x.org/2020/13/03/story", None), ("https://x.org/material/135888", None),
])
def test_date_from_url(url, date):
    assert date_from_url(url) == date


@pytest.mark.parametrize("text, year, date", [
    (" date 2020-10-03 “We are ready,” he said.", None, "2020-10-03"),
    ("Headline\n\n3 October 2020\n\nText.", None, "2020-10-03"),
    ("BAKU, Azerbaijan, October 2 – The president said…", 2020, "2020-10-02"),
    ("BAKU, Azerbaijan, October 2 – The president said…", None, None),
    ("Talks (October 2, 2020) went on.", None, "2020-10-02"),
    ("No date at all here.", 2020, None),
    ("Senator says no\nWASHINGTON - JUNE 5: The Capitol is shown June 5, 2003. (Photo by A. B./Getty Images)\n"
     "Text.", None, None),
    ("Budget passes\nThe mayor, pictured on March 3, 2019, at the quay.\n12 May 2024\nText.", None, "2024-05-12"),
])
def test_date_from_text(text, year, date):
    assert date_from_text(text, year) == date


def test_complete_prefers_metadata_then_text_then_url_then_crawl_date():
    text = "BAKU, Azerbaijan, December 30 – The talks went on, officials said."
    assert complete(Article(id="", text=text, date="2019-05-01T10:00")).date == "2019-05-01"
    assert complete(Article(id="", text=text, url="https://x.org/2020/12/31/a")).date == "2020-12-31"
    assert complete(Article(id="", text=text), fetched="2021-01-04").date == "2020-12-30"  # the year before the crawl
    assert complete(Article(id="", text="Plain."), fetched="2021-01-04").date == "2021-01-04"


def test_ids_are_stable_and_kept_when_given():
    assert article_id("u", "t") == article_id("u", "t") != article_id(None, "t")
    assert complete(Article(id="gold-1", text="x")).id == "gold-1"
    assert complete(Article(id="", text="x", url="u")).id == article_id("u", "x")


def test_language_marks_english_only():
    assert language_of("The mayor said that the bridge would open in May, and he was right.") == "en"
    assert language_of("Der Bürgermeister sagte, die Brücke werde im Mai eröffnet.") is None
    assert language_of("Hi.") is None
