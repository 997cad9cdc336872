"""Cross-article links: the project's own variant sets for each relation, hard negatives, bad input.

Quotes are written straight into a store (no NLP) so each case says exactly what the linker gets;
one test at the end goes through `ingest` and the CLI on articles written for it.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from quotetrail import Article, Quote, QuoteStore
from quotetrail.cli import main
from quotetrail.cli.render import trail
from quotetrail.link.cluster import agglomerate
from quotetrail.link.compare import Report, evidence, link_score, repeats, seam, venues_agree
from quotetrail.link.relate import changes, diff, relate
from quotetrail.link.words import tokens

PASSAGE = ("We will not raise the harbour tax this year. The port needs every ship it can get, and a higher tax "
           "would send them to Rotterdam. We have asked the council for 12 million euros to dredge the channel "
           "instead.")
VARIANTS = {
    "verbatim": PASSAGE,
    "trimmed": ("The port needs every ship it can get, and a higher tax would send them to Rotterdam. We have asked "
                "the council for 12 million euros"),
    "reworded": ("We are not going to increase the harbour tax this year. Our port needs all the ships it can "
                 "get; a higher tax would drive every ship to Rotterdam and we asked the council for money to "
                 "dredge the channel."),
    "paraphrase": ("the port would not raise the harbour tax this year because a higher tax would send ships to "
                   "Rotterdam"),
}


def quote(text: str, kind: str = "direct", speaker: str | None = "Lena Varga", venue: str | None = "Radio Halden",
          source: tuple[int, int] | None = None, start: int = 0) -> Quote:
    return Quote(kind, [(start, start + len(text))], text, cue_span=None if source else (0, 1),
                 source_span=source, speaker=speaker, venue=venue)


def article(article_id: str, text: str, quotes: list[Quote], date: str | None = "2024-03-05",
            outlet: str | None = None) -> tuple[Article, list[Quote]]:
    return (Article(id=article_id, text=text, url=f"https://{outlet or article_id}.example/{article_id}",
                    outlet=outlet or f"{article_id}.example", date=date), quotes)


def transcript() -> tuple[Article, list[Quote]]:
    """An interview transcript: the host's question and Varga's answer (the primary words)."""
    question = "Will you raise the harbour tax?"
    text = f"Host: {question}\nLena Varga: {PASSAGE}"
    answer_at = text.index(PASSAGE)
    return article("transcript", text, [
        Quote("other", [(6, 6 + len(question))], question, source_span=(0, 4), speaker=None, venue="Radio Halden"),
        Quote("other", [(answer_at, answer_at + len(PASSAGE))], PASSAGE, source_span=(answer_at - 12, answer_at - 2),
              speaker="Lena Varga", venue="Radio Halden")], date="2024-03-04", outlet="radiohalden.example")


def reports_of(relation: str, text: str) -> tuple[Article, list[Quote]]:
    kind = "indirect" if relation == "paraphrase" else "direct"
    return article(relation, text, [quote(text, kind)])


@pytest.fixture
def store(tmp_path):
    with QuoteStore(tmp_path / "q.db") as s:
        yield s


def members(cluster: dict) -> dict[str, dict]:
    found = {m["article_id"]: m for m in cluster["members"]}
    assert len(found) == len(cluster["members"]), "one report per article in these cases"
    return found


def test_each_relation_against_a_transcript(store):
    store.write([transcript(), *(reports_of(r, t) for r, t in VARIANTS.items())])
    assert store.link() == 6
    [cluster] = store.clusters()
    found = members(cluster)
    assert {a: m["relation"] for a, m in found.items()} == {
        "transcript": "primary", "verbatim": "verbatim", "trimmed": "trimmed", "reworded": "reworded",
        "paraphrase": "paraphrase"}
    assert [a for a, m in found.items() if m["altered"]] == ["reworded"]  # it dropped "12 million euros"
    assert {c["kind"] for c in found["reworded"]["changes"]} == {"number", "word"}
    assert cluster["speaker"] == "Lena Varga" and cluster["venue"] == "Radio Halden"
    assert (cluster["first_date"], cluster["last_date"]) == ("2024-03-04", "2024-03-05")
    assert [m["date"] for m in cluster["members"]][0] == "2024-03-04"  # time order
    first = cluster["first_reports"]  # each outlet's first report, in time order
    assert first[0] == {"outlet": "radiohalden.example", "date": "2024-03-04"} and len(first) == 5
    assert {r["outlet"] for r in first} == set(cluster["outlets"]) and {r["date"] for r in first[1:]} == {"2024-03-05"}
    header = trail(store.cluster(cluster["cluster_id"]))[:2]
    assert "first 2024-03-04, last 2024-03-05" in header[0]
    assert header[1].startswith("[dim]first reported by[/] radiohalden.example 2024-03-04, ")


@pytest.mark.parametrize("excerpt, relation", [
    ("The port needs every ship it can get, and a higher tax would send them to Rotterdam.", "verbatim"),
    ("We will not raise the harbour tax this year,", "verbatim"),  # the comma of `“…,” she said`
    ("The port needs every ship", "trimmed"),                                 # a sentence cut
    ("The port needs every ship it can get,", "trimmed"),                     # ... at its comma
    ("Them ships it can get, and a higher tax would send them to Rotterdam.", "reworded"),
    ("We will not raise the harbour tax this year. The port needs every ship it can get, and a higher tax would "
     "send them to Rotterdam. We have asked the council to dredge the channel instead.", "trimmed"),  # words left out
])
def test_an_excerpt_of_whole_sentences_is_verbatim_one_that_cuts_them_trimmed(excerpt, relation):
    primary = Report(1, "a", PASSAGE, transcript=True)
    assert relate([primary, Report(2, "b", excerpt)])[2].relation == relation


def test_without_a_transcript_copies_are_verbatim_and_the_rest_reworded(store):
    store.write([reports_of("verbatim", PASSAGE), article("copy", PASSAGE, [quote(PASSAGE)]),
                 reports_of("trimmed", VARIANTS["trimmed"]), reports_of("reworded", VARIANTS["reworded"])])
    store.link()
    [cluster] = store.clusters()
    relations = {a: m["relation"] for a, m in members(cluster).items()}
    assert relations == {"verbatim": "verbatim", "copy": "verbatim", "trimmed": "trimmed", "reworded": "reworded"}


@pytest.mark.parametrize("changed, kind", [
    ("We will raise the harbour tax this year. The port needs every ship it can get", "negation"),
    ("The port needs every ship it can get, and a higher tax would send them to Rotterdam. We have asked the "
     "council for 20 million euros to dredge the channel instead.", "number"),
    ("The port needs every ship it can get, and a higher tax would send them to Antwerp. We have asked the "
     "council for 12 million euros", "name"),
    ("The port needs every ship it can get, and a higher tax would scare them from Rotterdam. We have asked the "
     "council for 12 million euros", "word"),
])
def test_a_changed_meaning_bearing_word_is_flagged(store, changed, kind):
    store.write([transcript(), article("misquote", changed, [quote(changed)])])
    store.link()
    [cluster] = store.clusters()
    member = members(cluster)["misquote"]
    assert member["altered"] and [c["kind"] for c in member["changes"]] == [kind]
    shown = store.cluster(cluster["cluster_id"])
    diff = members(shown)["misquote"]["diff"]
    assert any(tag != "equal" for tag, _, _ in diff)


def test_spelling_punctuation_and_contractions_are_not_alterations():
    base = Report(1, "a", "We don't want war. The ceasefire must hold, and the talks must go on.")
    copy = Report(2, "b", "“We do not want war,” — the ceasefire must hold and the talks must go on")
    assert changes(copy, base) == []
    assert link_score(base, copy) is not None


def test_same_words_in_another_interview_stay_apart(store):
    repeated = "Ceasefire cannot be achieved unilaterally."
    store.write([
        article("march", f"{repeated} {PASSAGE}", [quote(f"{repeated} {PASSAGE}")]),
        article("march-copy", PASSAGE, [quote(PASSAGE)]),
        article("june", repeated, [quote(repeated, venue="Channel 9")], date="2024-06-10"),
        article("june-copy", repeated, [quote(repeated, venue="Channel 9")], date="2024-06-11"),
        article("undated", repeated, [quote(repeated, venue=None)], date=None),
    ])
    store.link()
    clusters = sorted(sorted(members(c)) for c in store.clusters())
    assert clusters == [["june", "june-copy"], ["march", "march-copy"]]


def test_a_venue_misreported_does_not_split_a_long_verbatim_passage(store):
    store.write([reports_of("verbatim", PASSAGE), article("wrong-venue", PASSAGE, [quote(PASSAGE, venue="Channel 9")])])
    store.link()
    assert [sorted(members(c)) for c in store.clusters()] == [["verbatim", "wrong-venue"]]


def test_different_speakers_stay_apart_and_an_unresolved_one_joins(store):
    store.write([reports_of("verbatim", PASSAGE),
                 article("other-person", PASSAGE, [quote(PASSAGE, speaker="Tomas Brenner")]),
                 article("unnamed", PASSAGE, [quote(PASSAGE, speaker=None)])])
    store.link()
    [cluster] = store.clusters()
    assert sorted(members(cluster)) == ["unnamed", "verbatim"]


def test_one_word_and_very_long_quotes(store):
    long_text = " ".join([PASSAGE] + [f"Point {i}: the harbour board will meet on day {i} to review berth {i}."
                                      for i in range(800)])
    store.write([article("word-a", "Never.", [quote("Never.")]), article("word-b", "Never.", [quote("Never.")]),
                 article("long", long_text, [quote(long_text)]), reports_of("trimmed", VARIANTS["trimmed"])])
    store.link()
    [cluster] = store.clusters()
    assert {a: m["relation"] for a, m in members(cluster).items()} == {"long": "verbatim", "trimmed": "trimmed"}


def test_deleting_and_replacing_articles_updates_clusters(store):
    store.write([transcript(), *(reports_of(r, t) for r, t in VARIANTS.items())])
    store.link()
    assert store.delete(["verbatim", "trimmed", "missing"]) == 2
    [cluster] = store.clusters()
    assert sorted(members(cluster)) == ["paraphrase", "reworded", "transcript"]
    # the reworded report is replaced by a text about something else: it leaves the cluster
    store.write([article("reworded", "The festival opens on Friday.", [quote("The festival opens on Friday.")])])
    store.link()
    assert [sorted(members(c)) for c in store.clusters()] == [["paraphrase", "transcript"]]
    store.delete(["paraphrase"])
    assert store.clusters() == []
    assert store.conn.execute("SELECT count(*) FROM clusters").fetchone()[0] == 0


def test_linking_in_steps_gives_the_clusters_of_one_run(tmp_path):
    items = [transcript(), *(reports_of(r, t) for r, t in VARIANTS.items()),
             article("june", "Ceasefire cannot be achieved unilaterally.",
                     [quote("Ceasefire cannot be achieved unilaterally.", venue="Channel 9")])]
    with QuoteStore(tmp_path / "once.db") as once, QuoteStore(tmp_path / "steps.db") as steps:
        once.write(items)
        once.link()
        for item in items:
            steps.write([item])
            steps.link()
        shape = lambda s: sorted(sorted((m["article_id"], m["relation"]) for m in c["members"])  # noqa: E731
                                 for c in s.clusters())
        assert shape(once) == shape(steps)
        assert steps.link() == 0


def test_words_are_normalised_for_comparison():
    assert [t.norm for t in tokens("Armenia doesn’t want peace; it's Aliyev's view, four times")] == [
        "armenia", "does", "not", "want", "peace", "it", "is", "aliyev", "view", "4", "times"]


def test_relate_without_reports_of_wording_picks_a_reference():
    members_ = relate([Report(1, "a", "they were ready for a ceasefire", kind="indirect"),
                       Report(2, "b", "Aliyev was ready for a ceasefire, he said", kind="indirect")])
    assert {m.relation for m in members_.values()} == {"paraphrase"}
    assert sum(m.base is None for m in members_.values()) == 1


def test_the_only_wording_beside_paraphrases_is_verbatim_and_a_two_word_copy_proves_nothing():
    words = Report(1, "a", "We will not raise the harbour tax this year, and the port stays open all winter.")
    members_ = relate([words, Report(2, "b", "the port would stay open", kind="indirect"),
                       Report(3, "c", "the tax would not rise", kind="indirect")])
    assert [members_[i].relation for i in (1, 2, 3)] == ["verbatim", "paraphrase", "paraphrase"]
    rewording = Report(4, "d", "We won't be raising the harbour tax this year; the port is open all winter long.")
    members_ = relate([words, rewording, Report(5, "e", "harbour tax")])  # 5 copies two of 4's words
    assert members_[4].relation == "reworded"


ARTICLES = {
    "halden-radio.txt": ("Mayor Lena Varga said on Monday in an interview with Radio Halden that the city would not "
                         "raise the harbour tax this year.\n\n\"The port needs every ship it can get, and a higher "
                         "tax would send them to Rotterdam,\" Varga said.\n"),
    "halden-post.txt": ("Port Halden's mayor will keep the harbour tax where it is.\n\n\"The port needs every ship "
                        "it can get, and a higher tax would send them to Rotterdam,\" Mayor Lena Varga told Radio "
                        "Halden on Monday.\n"),
}


def test_ingest_links_and_the_cli_lists_and_shows_the_trail(tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(tmp_path), "--db", db, "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "1 cluster" in result.output
    result = runner.invoke(main, ["clusters", "--db", db, "--format", "jsonl"])
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(row) >= {"cluster_id", "speaker", "venue", "first_date", "members"}
    assert row["speaker"] == "Lena Varga"
    assert {m["outlet"] for m in row["members"]} == {None} or len(row["members"]) >= 2
    for m in row["members"]:
        assert set(m) >= {"article_id", "quote_id", "content_spans", "relation", "altered", "outlet", "date", "url"}
    assert runner.invoke(main, ["clusters", "--db", db, "--speaker", "Varga", "--format", "jsonl"]).stdout.strip()
    assert not runner.invoke(main, ["clusters", "--db", db, "--speaker", "Brenner", "--format", "jsonl"]).stdout.strip()
    shown = runner.invoke(main, ["show", row["cluster_id"], "--db", db])
    assert shown.exit_code == 0 and "Rotterdam" in shown.stdout and "Lena Varga" in shown.stdout
    assert "first reported by" not in shown.stdout  # files name no outlet: no empty line for them
    assert runner.invoke(main, ["show", "c999", "--db", db]).exit_code == 2
    assert runner.invoke(main, ["link", "--db", db]).exit_code == 0


def test_a_story_copied_by_many_outlets_is_one_cluster(store):
    copies = [article(f"copy{i}", PASSAGE, [quote(PASSAGE)]) for i in range(30)]
    store.write([*copies, reports_of("trimmed", VARIANTS["trimmed"]), transcript()])
    store.link()
    [cluster] = store.clusters()
    relations = {a: m["relation"] for a, m in members(cluster).items()}
    assert len(relations) == 32 and relations["transcript"] == "primary" and relations["trimmed"] == "trimmed"
    assert {relations[f"copy{i}"] for i in range(30)} == {"verbatim"}


def test_agglomerate_keeps_known_speakers_apart_and_venues_unless_firm():
    reports = {1: Report(1, "a", PASSAGE, speaker_id=7), 2: Report(2, "b", PASSAGE),
               3: Report(3, "c", PASSAGE, speaker_id=8), 4: Report(4, "d", PASSAGE, venue="Fox News"),
               5: Report(5, "e", PASSAGE, venue="CNN"), 6: Report(6, "f", PASSAGE, venue="BBC")}
    links = [(1, 2, 0), (2, 3, 0), (4, 5, 0), (4, 6, 1), (9, 1, 1)]  # strongest first; 9 is not among them
    groups = sorted(sorted(g) for g in agglomerate(reports, links))
    assert groups == [[1, 2], [3], [4, 6], [5]]


def test_the_cluster_count_is_the_number_of_clusters_listed(tmp_path):
    store = QuoteStore(tmp_path / "q.db")
    for n in range(3):
        text = f"“The bridge opens in May {n} and not a day later,” Mayor Lena Varga said."
        store.write([(Article(id=f"a{n}", text=text), [Quote("direct", [(1, 42)], text[1:42], speaker="Lena Varga")])])
    store.link()
    assert store.cluster_count() == len(store.clusters()) >= 1
    store.close()


def test_a_headline_repeating_the_body_quote_is_one_utterance_and_others_meet_it(store):
    line = "That is the price of winning"
    body = f"I am sad to go, but {line.lower()}, and I would do it all again."
    store.write([
        article("daily", f"{line}. {body}", [quote(line, venue=None), quote(body, venue=None, start=len(line) + 2)],
                date=None),
        article("weekly", line, [quote(line, venue=None)], date=None),
    ])
    head, told = Report(1, "daily", line, speaker_id=1), Report(2, "daily", body, speaker_id=1)
    assert link_score(Report(3, "weekly", line, speaker_id=1), told) is None  # nothing places the short line
    store.link()
    [cluster] = store.clusters()
    assert sorted(m["article_id"] for m in cluster["members"]) == ["daily", "daily", "weekly"]
    assert repeats(head, told) and not repeats(head, Report(4, "daily", "the price of bread", speaker_id=1))
    assert not repeats(Report(5, "daily", line, speaker_id=2), told)  # another speaker's words


def test_two_excerpts_that_overlap_at_their_edges_are_one_passage(store):
    first = ("We looked at every option in the county last winter, and the engineers told us the same thing "
             "each time: the old river crossing has to close")
    second = "the old river crossing has to close before the spring floods, and the ferry will run until then"
    store.write([article("north", first, [quote(first, venue=None)], date=None),
                 article("south", second, [quote(second, venue=None)], date=None)])
    a, b = Report(1, "north", first, speaker_id=1), Report(2, "south", second, speaker_id=1)
    assert seam(a.norms, b.norms) == 7 and link_score(a, b) is not None
    assert link_score(a, Report(3, "east", second, speaker_id=2)) is None
    store.link()
    assert len(store.clusters()) == 1


def test_scattered_shared_phrases_of_two_long_quotes_are_no_link():
    a = Report(1, "a", "In the city we build houses for young families. In the port we build ships for the navy. "
                       "In the hills we build roads to every farm.")
    b = Report(2, "b", "In the city the mood is grim after the strike; in the port the mood is worse than last year; "
                       "in the hills it is fine.")
    assert evidence(a, b).aligned >= 8
    assert link_score(a, b) is None


@pytest.mark.parametrize("first, second, agree", [
    ("statement", "statement", True), ("statement", "Radio Halden", False), ("statement", "interview", False),
    ("interview", "Radio Halden", None), ("interview", "interview", True), ("Radio Halden", "Kestrel News", False),
])
def test_a_statement_is_an_event_of_its_own_and_an_interview_may_be_any_outlets(first, second, agree):
    assert venues_agree(first, second) is agree and venues_agree(second, first) is agree


def test_a_statement_and_the_interview_of_the_same_day_stay_apart(store):
    said = "We cannot back the harbour plan, and we will vote against it on Monday."
    written = "We cannot back the harbour plan and will vote against the plan on Monday, whatever it costs."
    store.write([
        article("tv", said, [quote(said)]), article("tv-copy", said, [quote(said)]),
        article("release", written, [quote(written, venue="statement")]),
        article("release-copy", written, [quote(written, venue="statement")]),
    ])
    store.link()
    clusters = sorted(sorted(members(c)) for c in store.clusters())
    assert clusters == [["release", "release-copy"], ["tv", "tv-copy"]]


def test_a_trail_shows_each_report_as_written_against_the_passage_it_shares_words_with():
    # one answer in two passages, each reported twice: a member is diffed against its own passage
    # (not the longest report, with which it shares nothing), in its own punctuation
    second = "Our ferries keep running all winter, whatever the storms do. Nobody loses a job."
    reports = [Report(1, "a", PASSAGE, speaker_id=1), Report(2, "b", PASSAGE, speaker_id=1),
               Report(3, "a", second, speaker_id=1), Report(4, "c", second.replace("Nobody", "No one"), speaker_id=1)]
    placed = relate(reports)
    assert placed[2].base == 1 and placed[4].base == 3
    pieces = diff(reports[2], reports[3])
    assert " ".join(now for _, _, now in pieces if now) == reports[3].text
    assert [(tag, was, now) for tag, was, now in pieces if tag != "equal"] == [("replace", "Nobody", "No one")]
