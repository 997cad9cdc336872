"""Weak links within one speech event: the project's own reports of a mayor's interview and of her speech.

A report that the words alone do not link (a paraphrase, one sentence of a long answer, a short excerpt
with no venue or date) joins the one cluster of the same speaker's event whose words hold its content;
it stays alone when two clusters fit it as well, and two unrelated quotes of one event stay apart.
And an article's order: a report between two quotes of one cluster in its article, by the same
speaker, is of that passage (a fire chief's briefing, reported by three papers).
"""
from __future__ import annotations

import pytest

from quotetrail import Article, Quote, QuoteStore
from quotetrail.link.cluster import agglomerate
from quotetrail.link.compare import Report, event_score, link_score
from quotetrail.link.words import stem

ANSWER = ("We have looked at every option for the old depot. The council will not sell it to a developer. "
          "Instead the new tram line will open there in 2026, and the workshop becomes a school for apprentices. "
          "I know people are tired of the roadworks, but the line will carry forty thousand riders a day.")
SPEECH = "Our city has never been afraid of the future, and we will not start being afraid now."


def quote(text: str, kind: str = "direct", speaker: str | None = "Mira Holt", venue: str | None = "Radio Vell",
          start: int = 0) -> Quote:
    return Quote(kind, [(start, start + len(text))], text, cue_span=(0, 1), source_span=None, speaker=speaker,
                 venue=venue)


def article(article_id: str, quotes: list[Quote], date: str | None = "2024-05-02") -> tuple[Article, list[Quote]]:
    text = " ".join(q.text for q in quotes)
    placed, at = [], 0
    for q in quotes:
        placed.append(quote(q.text, q.kind, q.speaker, q.venue, start=at))
        at += len(q.text) + 1
    return (Article(id=article_id, text=text, url=f"https://{article_id}.example/a", outlet=f"{article_id}.example",
                    date=date), placed)


@pytest.fixture
def store(tmp_path):
    with QuoteStore(tmp_path / "q.db") as s:
        yield s


def clustered(store: QuoteStore) -> list[list[str]]:
    return sorted(sorted(f"{m['article_id']}:{m['text'][:12]}" for m in c["members"]) for c in store.clusters())


def test_a_paraphrase_of_the_answer_joins_it_within_the_event(store):
    paraphrase = "the old depot would get a tram stop"
    store.write([article("herald", [quote(ANSWER)]), article("courier", [quote(ANSWER)]),
                 article("gazette", [quote(paraphrase, "indirect", venue=None)], date=None)])
    first = Report(1, "herald", ANSWER, speaker_id=1, venue="Radio Vell", date="2024-05-02")
    summary = Report(3, "gazette", paraphrase, kind="indirect", speaker_id=1)
    assert link_score(summary, first) is None  # the words alone do not decide it
    store.link()
    [cluster] = store.clusters()
    relations = {m["article_id"]: m["relation"] for m in cluster["members"]}
    assert relations["gazette"] == "paraphrase" and set(relations) == {"herald", "courier", "gazette"}


def test_a_one_sentence_summary_of_a_long_answer_links_to_it(store):
    store.write([article("herald", [quote(ANSWER)]), article("courier", [quote(ANSWER)]),
                 article("gazette", [quote("the council would not sell the old depot", "indirect")])])
    store.link()
    [cluster] = store.clusters()
    assert {m["article_id"] for m in cluster["members"]} == {"herald", "courier", "gazette"}


def test_the_same_words_at_two_events_stay_apart_and_an_unplaced_copy_joins_neither(store):
    repeated = "We will not start being afraid now."
    store.write([
        article("may", [quote(f"{repeated} {ANSWER}")], date="2024-05-02"),
        article("may-copy", [quote(f"{repeated} {ANSWER}")], date="2024-05-03"),
        article("june", [quote(SPEECH, venue="City Hall")], date="2024-06-20"),
        article("june-copy", [quote(SPEECH, venue="City Hall")], date="2024-06-20"),
        article("undated", [quote(repeated, venue=None)], date=None),
    ])
    store.link()
    groups = clustered(store)
    assert [sorted({m.split(":")[0] for m in g}) for g in groups] == [["june", "june-copy"], ["may", "may-copy"]]


def test_unrelated_quotes_of_one_speaker_at_one_event_are_not_merged(store):
    other = "The harbour festival moves to August because the pier needs repairs."
    store.write([article("herald", [quote(ANSWER)]), article("courier", [quote(other)])])
    store.link()
    assert store.clusters() == []


def test_two_paraphrases_and_two_speakers_are_never_weakly_linked():
    a = Report(1, "a", "the mayor would open the tram line at the depot", kind="indirect", speaker_id=1)
    b = Report(2, "b", "the tram line would open at the old depot", kind="indirect", speaker_id=1)
    c = Report(3, "c", "the tram line will open at the old depot", speaker_id=2)
    assert event_score(a, b) is None and event_score(a, c) is None
    assert event_score(a, Report(4, "d", ANSWER, speaker_id=1)) is not None


def test_a_lone_report_two_groups_fit_as_well_stays_alone():
    reports = {i: Report(i, f"art{i}", "x", speaker_id=1) for i in range(1, 6)}
    groups = agglomerate(reports, [(1, 2, 0), (3, 4, 0)], [(5, 1, 0.8), (5, 3, 0.8)])
    assert sorted(sorted(g) for g in groups) == [[1, 2], [3, 4], [5]]
    groups = agglomerate(reports, [(1, 2, 0), (3, 4, 0)], [(5, 1, 0.8), (5, 3, 0.5)])
    assert sorted(sorted(g) for g in groups) == [[1, 2, 5], [3, 4]]


def test_a_weak_link_never_merges_two_groups():
    reports = {i: Report(i, f"art{i}", "x", speaker_id=1) for i in range(1, 5)}
    groups = agglomerate(reports, [(1, 2, 0), (3, 4, 0)], [(2, 3, 0.9)])
    assert sorted(sorted(g) for g in groups) == [[1, 2], [3, 4]]


def test_a_lone_report_joins_a_group_once_its_rivals_have_joined_it():
    # 5 fits the group {1, 2} and the lone 3 as well; 3 then joins {1, 2}, and 5 follows it there
    reports = {i: Report(i, f"art{i}", "x", speaker_id=1) for i in range(1, 6)}
    groups = agglomerate(reports, [(1, 2, 0)], [(3, 1, 0.9), (5, 1, 0.4), (5, 3, 0.4)])
    assert sorted(sorted(g) for g in groups) == [[1, 2, 3, 5], [4]]


def test_a_weakly_placed_report_passes_its_place_on_to_no_other():
    # 4 joins {1, 2} by a weak link; 5, weakly linked to 4 alone, stays out
    reports = {i: Report(i, f"art{i}", "x", speaker_id=1) for i in range(1, 6)}
    groups = agglomerate(reports, [(1, 2, 0)], [(4, 1, 0.9), (5, 4, 0.6)])
    assert sorted(sorted(g) for g in groups) == [[1, 2, 4], [3], [5]]


def test_the_speakers_quoted_words_in_a_mixed_report_link_it_within_the_event(store):
    mixed = "the mayor said the old workshop would become a place for “apprentices”"
    store.write([article("herald", [quote(ANSWER)]), article("courier", [quote(ANSWER)]),
                 article("gazette", [quote(mixed, "mixed", venue=None)], date=None)])
    mix = Report(3, "gazette", mixed, kind="mixed", speaker_id=1)
    assert mix.quoted_stems == {stem("apprentices")}
    assert event_score(mix, Report(1, "herald", ANSWER, speaker_id=1)) is not None
    assert event_score(mix, Report(4, "x", SPEECH, speaker_id=1)) is None  # the word is not in the other's
    store.link()
    [cluster] = store.clusters()
    assert {m["article_id"] for m in cluster["members"]} == {"herald", "courier", "gazette"}


def test_a_report_whose_best_fit_is_torn_waits_and_takes_no_second_best():
    # 3 fits {1, 2}, {4, 5} and 6 as well; 6 fits 3 best and {1, 2} less: it does not fall back to {1, 2}
    reports = {i: Report(i, f"art{i}", "x", speaker_id=1) for i in range(1, 7)}
    groups = agglomerate(reports, [(1, 2, 0), (4, 5, 0)], [(3, 1, 0.8), (3, 4, 0.8), (6, 3, 0.8), (6, 2, 0.4)])
    assert sorted(sorted(g) for g in groups) == [[1, 2], [3], [4, 5], [6]]


def test_a_long_shared_run_of_content_words_links_a_paraphrase_within_the_event(store):
    answer = ("I will leave the board at the end of the year. It has been an honour, and the wards are in "
              "good hands with the new chair and her team.")
    summary = "she is stepping down from the hospital trust's board at the end of the year after a decade"
    store.write([article("herald", [quote(answer)]), article("courier", [quote(answer)]),
                 article("gazette", [quote(summary, "indirect", venue=None)], date=None)])
    told, said = Report(1, "herald", answer, speaker_id=1), Report(3, "gazette", summary, kind="indirect", speaker_id=1)
    assert len(told.stems & said.stems) / len(said.stems) < 0.5  # too little of its content for the share rule
    assert event_score(said, told) is not None
    assert event_score(said, Report(4, "x", "at the end of the day it is what it is", speaker_id=1)) is None
    store.link()
    [cluster] = store.clusters()
    assert {m["article_id"] for m in cluster["members"]} == {"herald", "courier", "gazette"}


FIRE = ("The fire started in the kitchen shortly after midnight and spread to the roof within minutes.",
        "Two working smoke alarms woke the family, and all five of them were outside before our crews arrived.")
ASIDE = "the blaze was not being treated as suspicious"  # the reporter's words: nothing shared with FIRE


def briefing(article_id: str, middle: list[Quote]) -> tuple[Article, list[Quote]]:
    return article(article_id, [quote(FIRE[0]), *middle, quote(FIRE[1])])


@pytest.mark.parametrize("order", ["together", "whole answer first", "excerpts first"])
def test_a_report_between_two_quotes_of_one_cluster_in_its_article_joins_it(tmp_path, order):
    herald = briefing("herald", [quote(ASIDE, "indirect", venue=None)])
    courier = article("courier", [quote(" ".join(FIRE))])
    assert link_score(Report(1, "h", ASIDE, kind="indirect", speaker_id=1), Report(2, "c", " ".join(FIRE),
                                                                                 speaker_id=1)) is None
    with QuoteStore(tmp_path / "q.db") as store:
        batches = {"together": [[herald, courier]], "whole answer first": [[courier], [herald]],
                   "excerpts first": [[herald], [courier]]}[order]
        for batch in batches:
            store.write(batch)
            store.link()
        [cluster] = store.clusters()
        assert sorted(m["text"][:9] for m in cluster["members"]) == ["The fire ", "The fire ", "Two worki", "the blaze"]


def test_only_a_report_right_between_two_quotes_of_the_speaker_joins_their_cluster(store):
    unrelated = quote("The new fire station on Mill Road opens in the spring.")
    store.write([
        article("courier", [quote(" ".join(FIRE))]),
        briefing("herald", [quote(ASIDE, "indirect", venue=None), quote("the street was closed", "indirect")]),
        briefing("gazette", [quote("residents were asked to keep windows shut", "indirect", speaker="Tom Bale"),
                             quote("crews stayed on the scene until dawn", "indirect")]),
        article("post", [quote(FIRE[0]), quote("the house could not be saved", "indirect"), unrelated]),
    ])
    store.link()
    [cluster] = store.clusters()
    assert {m["article_id"] for m in cluster["members"]} == {"courier", "herald", "gazette", "post"}
    assert not {"the blaze", "the stree", "residents", "crews sta", "the house"} & {
        m["text"][:9] for m in cluster["members"]}  # two between; another speaker's; a lone quote after


def test_a_group_between_two_quotes_of_a_larger_cluster_joins_it_and_never_the_other_way():
    # article "a" quotes 1, 2, 3 in this order; 1 and 3 are in one group with 4 (other articles)
    reports = {1: Report(1, "a", "x", speaker_id=7), 2: Report(2, "a", "x", speaker_id=7),
               3: Report(3, "a", "x", speaker_id=7), 4: Report(4, "b", "x", speaker_id=7),
               5: Report(5, "c", "x", speaker_id=7), 6: Report(6, "d", "x", speaker_id=7)}
    places = {1: 0, 2: 1, 3: 2, 4: 0, 5: 0, 6: 0}
    groups = agglomerate(reports, [(1, 4, 0), (3, 4, 0), (2, 5, 0)], places=places)
    assert sorted(sorted(g) for g in groups) == [[1, 2, 3, 4, 5], [6]]
    groups = agglomerate(reports, [(1, 4, 0), (3, 4, 0), (2, 5, 0), (5, 6, 0)], places=places)
    assert sorted(sorted(g) for g in groups) == [[1, 3, 4], [2, 5, 6]]  # the middle's group is the larger
    reports[2] = Report(2, "a", "x", speaker_id=None)
    groups = agglomerate(reports, [(1, 4, 0), (3, 4, 0)], places=places)
    assert [2] in [sorted(g) for g in groups]  # an unresolved speaker's report stays out


def test_two_answers_of_a_transcript_stay_apart_however_a_report_orders_them(store):
    second = ("We will ask the owners of every empty building on the street to fit new alarms. "
              "The council will pay for half of the cost this year.")
    first_part, second_part = second.split(". ", 1)
    lines, turns = [], []
    for label, words in (("Host", "What happened last night?"), ("Chief Mira Holt", " ".join(FIRE)),
                         ("Host", "What happens now?"), ("Chief Mira Holt", second)):
        at = sum(len(line) + 1 for line in lines)
        lines.append(f"{label}: {words}")
        start = at + len(label) + 2
        turns.append(Quote("other", [(start, start + len(words))], words, source_span=(at, at + len(label)),
                           speaker=None if label == "Host" else "Mira Holt", venue="Radio Vell"))
    interview = (Article(id="radio", text="\n".join(lines), url="https://radio.example/a", outlet="radio.example",
                         date="2024-05-02"), turns)
    daily = article("daily", [quote(first_part + "."), quote(FIRE[0]), quote(second_part)])  # 2, then 1, then 2
    store.write([interview, daily])
    store.link()
    found = sorted(sorted(m["text"][:9] for m in c["members"]) for c in store.clusters())
    assert found == [["The counc", "We will a", "We will a"], ["The fire ", "The fire "]]


def test_a_quote_next_to_a_cluster_member_does_not_join_it_for_being_there(tmp_path):
    # linked in two steps, as in one: being next to a member is no evidence (only being between two is)
    with QuoteStore(tmp_path / "q.db") as store:
        store.write([article("courier", [quote(FIRE[0])]), article("gazette", [quote(FIRE[0])])])
        store.link()
        store.write([article("herald", [quote(FIRE[0]), quote("a “tragedy” for the street", "mixed", speaker=None),
                                        quote("the family had lived there for years", "indirect")])])
        store.link()
        [cluster] = store.clusters()
        assert sorted(m["article_id"] for m in cluster["members"]) == ["courier", "gazette", "herald"]
