"""The tuned pipeline of nlp.py annotates exactly as spaCy's stock pipeline (with paragraph breaks) does,
except for the entity types it does not predict and the order of a rule lemma's candidates."""
import os
import re
import resource

import pytest
import spacy

from conftest import EXAMPLES, ROOT
from quotetrail import extract_quotes, nlp
from quotetrail.ingest import read_paths

NOVEL = "Zorbulax Quenty told the Vexmoor Ledger that the plan was “plainly dead”."


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
            for t in doc]


def parse(doc):
    """`annotations` without the entities and the lemma."""
    return [a[:4] + a[5:-2] for a in annotations(doc)]


def entities(doc):
    return {(e.start, e.end, e.label_) for e in doc.ents}


def test_same_annotations_as_the_stock_pipeline():
    stock = spacy.load(nlp.MODEL)
    stock.add_pipe("paragraph_breaks", before="parser")  # the one component nlp.py adds on purpose
    tuned = nlp.load()
    assert isinstance(tuned.get_pipe("attribute_ruler"), nlp.RuleAttributes)
    assert isinstance(tuned.get_pipe("lemmatizer"), nlp.CachedLemmatizer)
    assert "senter" not in tuned.component_names and "senter" in stock.component_names
    assert tuned.tokenizer.rules == stock.tokenizer.rules  # the model's own, read into an empty tokenizer
    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        ours, theirs = getattr(tuned.tokenizer, attr), getattr(stock.tokenizer, attr)
        assert getattr(ours, "__self__", None) == getattr(theirs, "__self__", None)  # the same compiled expression
    texts = [a.text for a in read_paths([str(EXAMPLES)])] + [NOVEL, "gon na say it ai n't so", ""]
    relabelled = reordered = 0
    for _ in range(2):  # the second time from the caches
        for text in texts:
            with nlp.memory_zone(tuned):
                ours, theirs = tuned(text), stock(text)
                assert parse(ours) == parse(theirs)
                for mine, their in zip(ours, theirs, strict=True):
                    if mine.lemma_ != their.lemma_:  # another of the rules' forms first (`rule_lemma`)
                        assert mine.lemma_ in stock.get_pipe("lemmatizer").rule_lemmatize(their)
                        reordered += 1
                kept = {e for e in entities(theirs) if e[2] in nlp.ENTITY_TYPES}
                assert kept <= entities(ours)  # every entity of a kept type, as the whole model found it
                dropped = [e for e in theirs.ents if e.label_ not in nlp.ENTITY_TYPES]
                for start, end, _ in entities(ours) - kept:  # others only where the whole model saw a dropped type
                    assert any(e.start < end and start < e.end for e in dropped)
                    relabelled += 1
    assert relabelled < 10 and reordered < 20


def test_entity_recognizer_keeps_the_model_weights_for_its_types():
    stock, tuned = spacy.load(nlp.MODEL).get_pipe("ner"), nlp.load().get_pipe("ner")
    assert set(tuned.labels) == set(nlp.ENTITY_TYPES) < set(stock.labels)
    names = [stock.moves.get_class_name(i) for i in range(stock.moves.n_moves)]
    kept = [tuned.moves.get_class_name(i) for i in range(tuned.moves.n_moves)]
    assert len(kept) == 4 * len(nlp.ENTITY_TYPES) + 2 < len(names)  # B, I, L, U of each, O and U- (blocked)
    rows = [names.index(name) for name in kept]
    for param in ("W", "b"):
        full, ours = stock.model.get_ref("upper").get_param(param), tuned.model.get_ref("upper").get_param(param)
        assert (ours == full[rows]).all()


def test_entity_types_the_code_reads_are_predicted():
    # a type compared with `ent_type_` or `label_` anywhere in the sources must be one the recognizer predicts
    labels = set(spacy.load(nlp.MODEL).get_pipe("ner").labels)
    read = set()
    for path in (ROOT / "src" / "quotetrail").rglob("*.py"):
        words = re.findall(r"[\"']([A-Z_]+)[\"']", path.read_text(encoding="utf-8"))
        read |= {word for word in words if word in labels}
    assert {"PERSON", "ORG", "DATE", "LOC"} <= read <= set(nlp.ENTITY_TYPES)


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
    # spaCy 3.8.7 and later order them; nlp.CachedLemmatizer.rule_lemma keeps that order on the
    # pinned 3.8.6 (and on 3.7), which put the first rule's first
    lemmatizer = nlp.load().get_pipe("lemmatizer")
    doc = nlp.load()("She hopes to win.")
    candidates = spacy.load(nlp.MODEL).get_pipe("lemmatizer").rule_lemmatize(doc[1])
    assert set(candidates) == {"hope", "hop"}
    assert lemmatizer.rule_lemma(doc[1]) == doc[1].lemma_ == "hop"


def test_rule_attributes_as_the_attribute_ruler_sets_them():
    # every one-token and longer pattern (`gon na`, `there is`, `y' all`, `nothin'` by expression)
    # applied as spaCy's own ruler applies its matches, from the cache too; word forms no pattern
    # names share one group
    from spacy.pipeline import AttributeRuler

    tuned = nlp.load()
    ruler = tuned.get_pipe("attribute_ruler")
    ruler.rules["groups"].clear()  # filled by earlier tests' texts
    texts = [a.text for a in read_paths([str(EXAMPLES)])] + [
        NOVEL, "gon na say it ai n't so, y' all. There is nothin' left: c'm on, let 's go, we got ta.", ""]
    parsed = ["tok2vec", "tagger", "paragraph_breaks", "parser"]
    changed = 0
    for _ in range(2):
        for text in texts:
            with nlp.memory_zone(tuned), tuned.select_pipes(enable=parsed):
                ours, theirs = tuned(text), tuned(text)
                before = parse(ours)
                assert parse(ruler(ours)) == parse(AttributeRuler.__call__(ruler, theirs))
                changed += sum(a != b for a, b in zip(before, parse(ours), strict=True))
                lemmas = {t.text: t.lemma_ for t in ours}
                if "gon" in lemmas:
                    assert (lemmas["gon"], lemmas["na"], lemmas["ai"]) == ("go", "to", "be")  # longer patterns
    assert changed > 100
    forms = {t.lower_ for text in texts for t in tuned.make_doc(text)}
    assert len(ruler.rules["groups"]) < len(forms) / 2


def test_line_breaks_end_sentences_unless_the_line_was_wrapped():
    tuned = nlp.load()
    text = ("Council votes to close the depot\nThe council voted on Monday to close the\nold depot, "
            "and the mayor said,\nit was time.\n\nResidents objected\n \nloudly.")
    with nlp.memory_zone(tuned), tuned.select_pipes(disable=["parser", "attribute_ruler", "lemmatizer", "ner"]):
        doc = tuned(text)
        starts = {t.text for t in doc if t.is_sent_start}
        unset = {t.text for t in doc if t.is_sent_start is None}
    assert {"The", "Residents"} <= starts  # a headline's and a paragraph's line break
    assert {"old", "it"} <= unset  # wrapped mid-sentence: after a lower-case word or a comma


def test_a_parse_reuses_the_memory_of_the_one_before(monkeypatch):
    # the parser's and recognizer's buffers of one batch are kept for the next (nlp.MALLOPT): on
    # glibc's defaults every page of them faulted in anew (about 11,000 pages for this text, twice)
    try:
        os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):
        pytest.skip("not glibc: its malloc options are not set")
    pipeline = nlp.load()
    text = "\n\n".join(a.text for a in read_paths([str(EXAMPLES)]))[:20_000]
    list(pipeline.pipe([text] * 2))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    with nlp.memory_zone(pipeline):
        list(pipeline.pipe([text] * 2))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before < 2_000
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # a user's own malloc option wins
    assert nlp.keep_freed_memory() is False
