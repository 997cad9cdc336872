"""Where a reported clause ends: the writer's comment hung on it, clauses joined by `and`, marks that
run on. Every sentence here is made up for these tests; the people are fictional."""
from quotetrail import extract_quotes


def contents(text):
    return [(q.kind, [text[s:e] for s, e in q.content_spans]) for q in extract_quotes(text)]


def test_trailing_participle_is_the_writers_comment():
    text = ("Senator Mara Quell says she cannot back the governor's housing plan, dooming the bill and "
            "putting the rest of his agenda at risk.\n\n"
            "Mayor Lena Ortiz said the council would vote on the plan on Friday.\n")
    assert contents(text) == [
        ("indirect", ["she cannot back the governor's housing plan"]),
        ("indirect", ["the council would vote on the plan on Friday"]),
    ]


def test_trailing_non_restrictive_relative_clause_is_cut_an_inner_one_kept():
    text = ("The mayor has suggested closing the Elm Street depot, which is the oldest in the state.\n\n"
            "Mayor Lena Ortiz said the council, which meets on Fridays, would vote on the plan.\n")
    assert contents(text) == [
        ("indirect", ["closing the Elm Street depot"]),
        ("indirect", ["the council, which meets on Fridays, would vote on the plan"]),
    ]


def test_unclosed_quote_does_not_run_into_a_web_address_or_markup():
    text = ("Announcing her resignation, she said: \"It is clear the party wants a new leader.\n\n"
            "https://www.example.com/news/ortiz-resigns-speech-in-full\" title=\"READ MORE: The speech\">READ MORE: "
            "The speech in full\n\n"
            "Ortiz later said: \"I am proud of what we built.\"\n")
    assert contents(text) == [
        ("direct", ["It is clear the party wants a new leader."]),
        ("direct", ["I am proud of what we built."]),
    ]


def test_narration_before_a_quote_with_the_cue_after_it_is_not_part_of_the_quote():
    text = ("Trusting her instinct, Ana Ruiz called the fire brigade, “It was all smoke and then flames,” she said.\n\n"
            "Still, “the link between noise and sleep has been unclear,” Dr Omar Haddad said.\n\n"
            "The plan was “dead on arrival,” the senator said.\n")
    assert contents(text) == [
        ("direct", ["It was all smoke and then flames,"]),
        ("direct", ["the link between noise and sleep has been unclear,"]),
        ("mixed", ["The plan was “dead on arrival,”"]),
    ]


def test_a_clause_goes_on_through_the_quoted_words_after_its_conjunction():
    text = ("After the vote, the mayor went on to say she could not back the plan and then “explain it to the "
            "voters.”\n\nThe treasurer said the books were balanced and.\n")
    assert contents(text) == [
        ("mixed", ["she could not back the plan and then “explain it to the voters.”"]),
        ("indirect", ["the books were balanced"]),
    ]


def test_a_quoted_sentence_after_a_clause_with_its_own_cue_is_a_quote_of_its_own():
    text = ("Fire chief Omar Haddad said the family had smoke alarms, “It would have filled the whole roof space "
            "over their heads” he said.\n")
    assert contents(text) == [
        ("indirect", ["the family had smoke alarms"]),
        ("direct", ["It would have filled the whole roof space over their heads"]),
    ]


def test_an_object_with_an_as_predicate_keeps_the_predicate():
    text = "Coach Dana Kirk described the defeat as “a wake-up call” for the squad.\n"
    assert contents(text) == [("mixed", ["the defeat as “a wake-up call” for the squad"])]


def test_what_someone_described_as_x_reports_x_and_what_they_call_x_does_not():
    text = ("Outgoing chair Rhea Tamsin spoke for ten minutes. Her speech was full of regret at leaving what she "
            "described as the best club in the county.\n\nWorkers staged what they call a “ghost shift” on Monday.\n")
    found = contents(text)
    assert ("indirect", ["the best club in the county"]) in found
    assert not any("ghost shift" in " ".join(parts) for _, parts in found)


def test_a_clause_the_parse_split_in_two_is_one_report():
    text = ("Chair Rhea Tamsin said she had tried to convince the board it would be “reckless” to sell the ground "
            "but “I could not win that argument”.\n")
    assert contents(text) == [("mixed", ["she had tried to convince the board it would be “reckless” to sell the "
                                         "ground but “I could not win that argument”"])]


def test_a_prepositional_object_is_not_the_time_of_the_report():
    text = ("Bank chief Mara Linde warned in May of “storm clouds” over the economy.\n\n"
            "The minister warned on Tuesday of a “perfect storm” in the housing market.\n")
    assert contents(text) == [("mixed", ["“storm clouds” over the economy"]),
                              ("mixed", ["a “perfect storm” in the housing market"])]


def test_the_day_of_the_report_is_not_part_of_the_reported_clause():
    text = ("Brightline Foods said on Thursday it would cut 400 jobs.\n\n"
            "The minister said last week that taxes would not rise.\n\n"
            "The coach said Friday's match would go ahead.\n")
    assert contents(text) == [
        ("indirect", ["it would cut 400 jobs"]),
        ("indirect", ["taxes would not rise"]),
        ("indirect", ["Friday's match would go ahead"]),
    ]
