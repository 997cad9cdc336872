"""Hostile input never crashes extraction, and offsets always stay inside the text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrail import extract_quotes

MARKS = st.sampled_from(list("\"“”„«»‘’'`:,. \n") + ["''", "``", "he said", "Aliyev", "said that"])
NEWSISH = st.lists(st.one_of(MARKS, st.text(min_size=0, max_size=12)), max_size=60).map("".join)


def check(text):
    for q in extract_quotes(text):
        for s, e in q.content_spans:
            assert 0 <= s < e <= len(text)
        for span in (q.cue_span, q.source_span):
            assert span is None or 0 <= span[0] <= span[1] <= len(text)
        assert 0.0 <= q.confidence <= 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSISH)
def test_random_newsish_text(text):
    check(text)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_binary_decoded_with_replacement(data):
    check(data.decode("utf-8", errors="replace"))


def test_control_characters_and_non_english():
    check("\x00\x01\x02 «Мы готовы к перемирию», — сказал Алиев.\x1b[31m")
    check("„Wir sind bereit“, sagte der Präsident. 我们准备好了，他说。")


def test_thousands_of_quote_marks():
    check('"' * 3000 + "“ ” " * 1000)


def test_five_megabytes_on_one_line():
    check(("word " * 1_000_000)[:5_000_000])


SURROGATES = st.lists(st.one_of(MARKS, st.sampled_from(["\ud800", "\udfff", "\udc80 said"]), st.text(max_size=8)),
                      max_size=40).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SURROGATES)
def test_lone_surrogates_never_raise_and_offsets_hold(text):
    check(text)


def test_a_lone_surrogate_is_replaced_one_for_one():
    text = 'Aliyev said \ud800 that "we are ready for peace talks now," he said.'
    quotes = extract_quotes(text)
    assert any("\ufffd" in q.text for q in quotes)
    for quote in quotes:
        assert quote.text.replace("\ufffd", "\ud800") == " … ".join(text[s:e] for s, e in quote.content_spans)
