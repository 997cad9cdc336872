"""Learn the cue lexicon (src/quotetrail/data/cues.json) from PolNeAR's train split.

Usage: python scripts/train_cues.py [../shared/data/polnear/train.jsonl]

For every token it counts (lemma, part of speech, frame) and how often that token is
the syntactic head of a gold cue span; keeps keys seen at least MIN_COUNT times. It
also learns which prepositions cue spans keep (`call for`, `refer to`). Deterministic:
the same input gives the same file.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from quotetrail import nlp
from quotetrail.extract.cues import frame_of

MIN_COUNT = 3
ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"
OUT = ROOT / "src" / "quotetrail" / "data" / "cues.json"
POS = {"VERB": "VERB", "AUX": "AUX", "NOUN": "NOUN", "PROPN": "NOUN", "ADJ": "ADJ", "ADP": "ADP"}


def main(path: Path) -> None:
    gold = [json.loads(line) for line in path.open(encoding="utf-8", newline="")]
    seen, cue, lemma_seen, lemma_cue = Counter(), Counter(), Counter(), Counter()
    prep_seen, prep_kept = Counter(), Counter()
    pipeline = nlp.load()
    for n, (article, doc) in enumerate(zip(gold, pipeline.pipe((g["text"] for g in gold), batch_size=8))):
        heads = {}
        for q in article["quotes"]:
            span = doc.char_span(*q["cue_span"], alignment_mode="expand") if q.get("cue_span") else None
            if span is not None and len(span):
                heads[span.root.i] = span
        for tok in doc:
            pos = POS.get(tok.pos_)
            if pos is None:
                continue
            key = f"{tok.lemma_.lower()}|{pos}"
            seen[f"{key}|{frame_of(tok)}"] += 1
            lemma_seen[f"{key}|*"] += 1
            if tok.i in heads:
                cue[f"{key}|{frame_of(tok)}"] += 1
                lemma_cue[f"{key}|*"] += 1
                for child in tok.children:
                    if child.dep_ == "prep" and child.i > tok.i:
                        pkey = f"{tok.lemma_.lower()}|{child.lower_}"
                        prep_seen[pkey] += 1
                        span = heads[tok.i]
                        prep_kept[pkey] += span.start <= child.i < span.end
        if n % 100 == 0:
            print(f"{n}/{len(gold)} articles", file=sys.stderr)
    probs = {k: round(cue[k] / v, 4) for k, v in sorted(seen.items()) if v >= MIN_COUNT and cue[k]}
    probs.update({k: round(lemma_cue[k] / v, 4) for k, v in sorted(lemma_seen.items()) if v >= MIN_COUNT and lemma_cue[k]})
    preps = {k: round(prep_kept[k] / v, 4) for k, v in sorted(prep_seen.items()) if v >= MIN_COUNT}
    OUT.write_text(json.dumps({"source": str(path.name), "probs": probs, "preps": preps}, indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({len(probs)} cue keys, {len(preps)} prepositions)", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
