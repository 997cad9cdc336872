"""Splitting merged articles: constructed merged pairs and single articles, both error counts, and the seeds."""
from conftest import EXAMPLES, shared_file
from quotetrail.ingest.clean import clean_marked
from quotetrail.ingest.split import boundaries, split
from quotetrail.model import Article

A = ("The council of Port Halden voted on Tuesday to close the old ferry terminal after three years of losses. "
     "“We cannot keep paying for empty boats,” councillor Mira Osei said after the vote. The terminal will shut "
     "in June, and its forty staff will be offered jobs at the new harbour office, the council said.\n\n"
     "Passenger groups said they would appeal. “This is the only way to the islands for many of us,” said "
     "Jonah Pell, who chairs the island residents’ association.")
B = ("Engineers began lifting the first steel span of the Saltreach bridge into place on Monday, a week later than "
     "planned because of high winds. “The steel is here and the cranes are ready,” site manager Oskar Lind told "
     "reporters at the river bank.\n\nThe bridge is due to open in the spring, and tolls will be lower than on "
     "the ferry it replaces, the regional transport office said in a statement.")

MERGED = [  # (text, where the second article starts)
    (A + "Saltreach, Veloria – " + B, "Saltreach, Veloria – "),
    (A + "\n\nSALTREACH – " + B, "SALTREACH – "),
    (A + "\n\nSaltreach, March 4 (Reuters) – " + B, "Saltreach, March 4"),
    (A + "\n\nSteel span goes up at Saltreach\n\n3 March 2021\n\n" + B, "Steel span goes up"),
    (A + "\n\nSteel span goes up at Saltreach\nBy Ada Rowe\n\n" + B, "Steel span goes up"),
    (A + "\n\nRead more\nPort budget falls short\nIsland schools to merge\n\nSteel span goes up at Saltreach\n\n" + B,
     "Steel span goes up"),
    (A + "\n\nRelated: Island schools to merge\n\nSALTREACH, Veloria – " + B, "SALTREACH, Veloria – "),
    (A + "\n\nSteel span goes up at Saltreach\n\nSALTREACH, Veloria, March 4 – " + B, "Steel span goes up"),
]
SINGLE = [
    "Ferry terminal to close\n\nPORT HALDEN, Veloria, March 4 – " + A,  # its own dateline in the first lines
    "PORT HALDEN – " + A + "\n\n" + B,  # two topics, no boundary
    A + "\n\nRead more: Island schools to merge\n\n" + B,  # `Read more` mid-text, the story goes on
    A + " The mayor flew to Saltreach. Saltreach, a river town, has no ferry. " + B,  # place names after full stops
    A + "\n\nLater, Pell – who has lived on the islands all his life – said the fight was not over. " + B,
    A + "\n\nWhat happens next\n\n" + B,  # a subheading is not a headline block
    A + "\n\nFerry users: “We were never asked”\n\n" + B,  # a quote-like subheading
    A + " Officials in Saltreach, Veloria – the next stop on the line – said the same. " + B,
]


def pieces(text):
    cleaned, hints = clean_marked(text)
    return cleaned, boundaries(cleaned, hints)


def cut_once_at(text, start):
    cleaned, cuts = pieces(text)
    return [cleaned[c:c + len(start)] for c in cuts] == [start]


def test_split_errors_on_constructed_cases():
    missed = sum(not cut_once_at(text, start) for text, start in MERGED)
    false = sum(bool(pieces(text)[1]) for text in SINGLE)
    print(f"\nsplitting: {missed} missed of {len(MERGED)} merged texts, {false} false of {len(SINGLE)} single articles")
    assert (missed, false) == (0, 0)


def test_pieces_carry_source_id_and_position():
    source = Article(id="src", text=MERGED[0][0], url="https://example.org/2021/03/04/x")
    first, second = split(source)
    assert (first.id, second.id, second.source_id) == ("src#1", "src#2", "src")
    assert source.text[second.position:].startswith("Saltreach, Veloria") and second.text.startswith("Saltreach")
    assert first.position == 0 and first.text.endswith("association.") and second.date == "2021-03-04"


def test_examples_are_not_split():
    for path in sorted(EXAMPLES.glob("*.txt")):
        assert pieces(path.read_text(encoding="utf-8"))[1] == [], path.name


def test_seed_texts():
    """Seed 003 opens with its own dateline (one article); glued after seed 000 it is the second of two."""
    first = shared_file("seeds/000_4d7f144f8641e7fc.txt").read_text(encoding="utf-8")
    second = shared_file("seeds/003_2b6553092b35b123.txt").read_text(encoding="utf-8")
    assert pieces(first)[1] == [] and pieces(second)[1] == []
    cleaned, cuts = pieces(first.rstrip() + second)
    assert len(cuts) == 1
    assert cleaned[cuts[0]:].startswith("Baku, Azerbaijan – Speaking to the American Fox News Channel")
    assert cleaned[:cuts[0]].endswith("he stresses.")
