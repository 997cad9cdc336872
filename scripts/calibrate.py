"""Fit the confidence calibration (src/quotetrail/data/confidence.json) on annotated dev sets.

Usage: python scripts/calibrate.py [GOLD.jsonl …]   (default: ../shared/data/realworld2 and realworld)

Every quote the engine finds in the gold texts is one example, labelled right when it matches a
gold quote (content Jaccard ≥ 0.5, one to one, as `quotetrail eval` matches them) with the right
speaker (a null gold speaker wants a null prediction). A logistic regression over
`quotetrail.confidence.features` of the raw quotes (the stages up to `attribute`) is fitted by
full-batch gradient descent with an L2 penalty. The calibration table is printed twice: for
5-fold cross-validation by article (each article scored by a model that never saw it: the honest
figure) and for the final model fitted on everything (the one written). Deterministic.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from quotetrail import engine, nlp
from quotetrail.confidence import FEATURES, features
from quotetrail.evaluate import match_quotes, read_jsonl, same_speaker

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "data" / "realworld2" / "gold.jsonl",
           ROOT.parent / "shared" / "data" / "realworld" / "gold.jsonl"]
OUT = ROOT / "src" / "quotetrail" / "data" / "confidence.json"
L2 = 1e-2
EPOCHS = 3000
FOLDS = 5
BINS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0001)


def examples(path: Path) -> tuple[list[list[float]], list[int], list[int]]:
    """Features, labels and article numbers of every raw quote the engine finds in one gold file."""
    gold = read_jsonl(path)
    rows, labels, groups = [], [], []
    pipeline = nlp.load()
    for n, (article, doc) in enumerate(zip(gold, pipeline.pipe(g["text"] for g in gold), strict=True)):
        text = article["text"]
        quotes = engine.run_stages(text, doc, until="attribute")
        predicted = [q.to_json() for q in quotes]
        matched = match_quotes(text, article["quotes"], predicted)
        for i, quote in enumerate(quotes):
            right = False
            if i in matched:
                wanted = article["quotes"][matched[i]].get("speaker")
                right = quote.speaker is None if wanted is None else same_speaker(wanted, quote.speaker)
            rows.append(features(quote, text))
            labels.append(int(right))
            groups.append(n)
    return rows, labels, groups


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(EPOCHS):
        p = 1 / (1 + np.exp(-x @ w))
        w -= 0.5 * (x.T @ (p - y) / len(y) + L2 * np.r_[0.0, w[1:]])
    return w


def table(p: np.ndarray, y: np.ndarray) -> list[dict]:
    """Quotes per confidence bin and the share of them that is right."""
    out = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = (p >= lo) & (p < hi)
        out.append({"bin": f"{lo:.1f}–{min(hi, 1.0):.1f}", "quotes": int(inside.sum()),
                    "right": round(float(y[inside].mean()), 3) if inside.any() else None})
    high = p >= 0.7
    out.append({"bin": "≥ 0.7", "quotes": int(high.sum()),
                "right": round(float(y[high].mean()), 3) if high.any() else None})
    return out


def show(title: str, rows: list[dict]) -> None:
    print(title, file=sys.stderr)
    for r in rows:
        print(f"  {r['bin']:>8}  {r['quotes']:>4} quotes  right {r['right']}", file=sys.stderr)


def main(paths: list[Path]) -> None:
    x, y, groups, sets = [], [], [], []
    for k, path in enumerate(paths):
        rows, labels, articles = examples(path)
        x += rows
        y += labels
        groups += [(k, a) for a in articles]
        sets += [k] * len(rows)
    x, y = np.array(x), np.array(y, dtype=float)
    articles = sorted(set(groups))
    fold_of = {a: i % FOLDS for i, a in enumerate(articles)}
    folds = np.array([fold_of[g] for g in groups])
    out_of_fold = np.zeros(len(y))
    for f in range(FOLDS):
        w = fit(x[folds != f], y[folds != f])
        out_of_fold[folds == f] = 1 / (1 + np.exp(-x[folds == f] @ w))
    w = fit(x, y)
    sets = np.array(sets)
    report = {}
    for k, path in enumerate(paths):
        name = path.parent.name
        report[name] = {"cross_validated": table(out_of_fold[sets == k], y[sets == k]),
                        "fitted": table(1 / (1 + np.exp(-x[sets == k] @ w)), y[sets == k])}
        show(f"{name}, 5-fold cross-validated by article:", report[name]["cross_validated"])
        show(f"{name}, final model (fitted on it):", report[name]["fitted"])
    OUT.write_text(json.dumps({"features": list(FEATURES), "weights": [round(float(v), 5) for v in w],
                               "fitted_on": [p.parent.name for p in paths], "examples": len(y),
                               "tables": report}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT} ({len(y)} quotes)", file=sys.stderr)


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT)
