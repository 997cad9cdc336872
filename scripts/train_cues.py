"""Learn the cue model (src/quotetrail/data/cues.json) from PolNeAR's train split.

Usage: python scripts/train_cues.py [../shared/data/polnear/train.jsonl]

Every verb and noun of the parsed training articles is one example, labelled by whether
it is the syntactic head of a gold cue span. A logistic regression over the sparse
features of `quotetrail.extract.cues.features` (word, frame, holder, complement,
neighbours) is fitted by full-batch AdaGrad with an L2 penalty; features seen fewer
than MIN_COUNT times are dropped. The script also learns which dependents cue spans
keep (`also said`, `called for`). Deterministic: the same input gives the same file.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from quotetrail import nlp
from quotetrail.extract.cues import ATTACHABLE, CANDIDATE_POS, attachment_keys, features, frame_of

MIN_COUNT = 3
L2 = 1e-6
EPOCHS = 1000
ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"
OUT = ROOT / "src" / "quotetrail" / "data" / "cues.json"


def cue_heads(doc, quotes: list[dict]) -> dict[int, object]:
    """Token index of each gold cue's syntactic head, with its span."""
    heads = {}
    for q in quotes:
        span = doc.char_span(*q["cue_span"], alignment_mode="expand") if q.get("cue_span") else None
        if span is not None and len(span):
            heads[span.root.i] = span
    return heads


def examples(docs, golds) -> tuple[list[list[str]], list[int], Counter, Counter]:
    """Feature lists and labels of every candidate word, and how often cue spans keep each dependent."""
    rows, labels, seen, kept = [], [], Counter(), Counter()
    for doc, article in zip(docs, golds, strict=False):
        heads = cue_heads(doc, article["quotes"])
        for tok in doc:
            if tok.pos_ not in CANDIDATE_POS:
                continue
            rows.append(features(tok, frame_of(tok)))
            labels.append(int(tok.i in heads))
            if tok.i in heads:
                for child in tok.children:
                    if child.dep_ in ATTACHABLE:
                        for key in attachment_keys(tok, child):
                            seen[key] += 1
                            kept[key] += heads[tok.i].start <= child.i < heads[tok.i].end
    return rows, labels, seen, kept


def fit(rows: list[list[str]], labels: list[int]) -> dict[str, float]:
    """Logistic regression weights for the features seen at least MIN_COUNT times."""
    counts = Counter(f for row in rows for f in row)
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: k for k, f in enumerate(names)}
    row_ids = np.array([r for r, row in enumerate(rows) for f in row if f in index])
    col_ids = np.array([index[f] for row in rows for f in row if f in index])
    y = np.array(labels, dtype=float)
    w = np.zeros(len(names))
    grad_sum = np.full(len(names), 1e-8)
    for epoch in range(EPOCHS):
        z = np.bincount(row_ids, weights=w[col_ids], minlength=len(rows))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(col_ids, weights=(p - y)[row_ids], minlength=len(names)) / len(rows) + L2 * w
        grad_sum += grad ** 2
        w -= 0.5 * grad / np.sqrt(grad_sum)
        if epoch % 50 == 0:
            loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
            print(f"epoch {epoch}: log loss {loss:.4f}", file=sys.stderr)
    return {f: round(float(v), 4) for f, v in zip(names, w, strict=False) if abs(v) >= 1e-3}


def main(path: Path) -> None:
    golds = [json.loads(line) for line in path.open(encoding="utf-8", newline="")]
    docs = nlp.load().pipe((g["text"] for g in golds), batch_size=8)
    rows, labels, seen, kept = examples(docs, golds)
    print(f"{len(rows)} candidate words, {sum(labels)} cue heads", file=sys.stderr)
    weights = fit(rows, labels)
    attach = {k: round(kept[k] / v, 4) for k, v in sorted(seen.items()) if v >= MIN_COUNT}
    model = {"source": path.name, "weights": weights, "attach": attach}
    OUT.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({len(weights)} weights, {len(attach)} attachments)", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
