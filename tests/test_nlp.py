"""The tuned pipeline of nlp.py annotates exactly as spaCy's stock pipeline (with paragraph breaks) does."""
import spacy

from conftest import EXAMPLES
from quotetrail import extract_quotes, nlp
from quotetrail.ingest import read_paths

NOVEL = "Zorbulax Quenty told the Vexmoor Ledger that the plan was “plainly dead”."


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
            for t in doc]


def test_same_annotations_as_the_stock_pipeline():
    stock = spacy.load(nlp.MODEL)
    stock.add_pipe("paragraph_breaks", before="parser")  # the one component nlp.py adds on purpose
    tuned = nlp.load()
    assert isinstance(tuned.get_pipe("attribute_ruler").match, nlp.CachedRuleMatch)
    assert isinstance(tuned.get_pipe("lemmatizer"), nlp.CachedLemmatizer)
    assert "senter" not in tuned.component_names and "senter" in stock.component_names
    assert tuned.tokenizer.rules == stock.tokenizer.rules  # the model's own, read into an empty tokenizer
    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        ours, theirs = getattr(tuned.tokenizer, attr), getattr(stock.tokenizer, attr)
        assert getattr(ours, "__self__", None) == getattr(theirs, "__self__", None)  # the same compiled expression
    texts = [a.text for a in read_paths([str(EXAMPLES)])] + [NOVEL, "gon na say it ai n't so", ""]
    for _ in range(2):  # the second time from the caches
        for text in texts:
            with nlp.memory_zone(tuned):
                assert annotations(tuned(text)) == annotations(stock(text))


def test_caches_outlive_memory_zones():
    # lemmas of words first seen inside an earlier article's memory zone must still resolve
    first = [q.to_json() for q in extract_quotes(NOVEL)]
    assert [q.to_json() for q in extract_quotes(NOVEL)] == first
    assert [q["speaker"] for q in first] == ["Zorbulax Quenty"]


def test_batched_parse_annotates_as_one_text_at_a_time():
    tuned = nlp.load()
    texts = [a.text for a in read_paths([str(EXAMPLES)])] + [NOVEL, ""]
    with nlp.memory_zone(tuned):
        one = [annotations(tuned(text)) for text in texts]
    with nlp.memory_zone(tuned):
        assert [annotations(doc) for doc in tuned.pipe(texts, batch_size=4)] == one


def test_extract_batch_gives_what_extract_gives():
    from quotetrail.engine import extract_quotes_batch

    texts = [a.text for a in read_paths([str(EXAMPLES)])] + ["", "   ", NOVEL]
    assert [[q.to_json() for q in found] for found in extract_quotes_batch(texts)] == \
        [[q.to_json() for q in extract_quotes(text)] for text in texts]


def test_lemmas_in_the_order_the_cue_model_learned():
    # of two known forms, the later rule's first (`hopes`: `hop` by -es before `hope` by -s), as
    # spaCy 3.8 orders them; nlp.CachedLemmatizer.rule_lemma keeps that order on spaCy 3.7 too
    lemmatizer = nlp.load().get_pipe("lemmatizer")
    doc = nlp.load()("She hopes to win.")
    candidates = spacy.load(nlp.MODEL).get_pipe("lemmatizer").rule_lemmatize(doc[1])
    assert set(candidates) == {"hope", "hop"}
    assert lemmatizer.rule_lemma(doc[1]) == doc[1].lemma_ == "hop"
