"""Where `extract`'s time goes inside one process: CPU seconds per pipeline component on PolNeAR dev.

    .venv/bin/python benchmarks/bench_components.py [--rounds 2] [--conventions polnear] [--types]

The texts go through the pipeline four at a time, as `engine.extract_quotes_batch` parses them, one
component after the other over each group (each component's own `pipe`, so the parser and the entity
recognizer step a batch of sentences at once), then through the project's stages one by one
(`engine.STAGES`, under `--conventions`, PolNeAR's by default); each component's and stage's CPU time
is the least over `--rounds` (the rest of a shared machine's load only adds). The token caches of
`nlp.py` (the attribute ruler's, the lemmatizer's) fill in the first round, so `--rounds 1` gives what
one `extract` process meets, more rounds the cost with the caches warm. It uses the `quotetrail` on
`sys.path`, so `PYTHONPATH=<older checkout>/src` measures the code before a change.

`--types` times the entity recognizer alone on the same parsed texts, with the model's 18 types (74
actions) and cut to fewer (`nlp.EntityTypes`: the 14 of `nlp.ENTITY_TYPES`, the 8 the code reads by
name, the 4 of PERSON, ORG, GPE and NORP), interleaved, with the median of each round's ratio.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
GROUP = 4  # engine.BATCH
READ_BY_NAME = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "DATE", "TIME")  # `ent_type_ ==` in the code


def groups(items: list) -> list[list]:
    return [items[i:i + GROUP] for i in range(0, len(items), GROUP)]


def components(texts: list[str], rounds: int, conventions: str) -> dict[str, float]:
    """Least CPU seconds over `rounds` of the tokenizer, each component and each stage."""
    from quotetrail import nlp
    from quotetrail.engine import STAGES, Draft

    pipeline = nlp.load()
    best: dict[str, float] = {}
    for _ in range(rounds):
        cpu: dict[str, float] = defaultdict(float)
        for group in groups(texts):
            with nlp.memory_zone(pipeline):
                start = time.process_time()
                docs = [pipeline.make_doc(text) for text in group]
                cpu["tokenizer"] += time.process_time() - start
                for name, component in pipeline.pipeline:
                    start = time.process_time()
                    docs = (list(component.pipe(docs, batch_size=GROUP)) if hasattr(component, "pipe")
                            else [component(doc) for doc in docs])  # a function component
                    cpu[name] += time.process_time() - start
                for text, doc in zip(group, docs, strict=True):
                    draft = Draft(text, doc, conventions=conventions)
                    for name, stage in STAGES:
                        start = time.process_time()
                        stage(draft)
                        cpu[f"stage {name}"] += time.process_time() - start
        best = {k: min(best.get(k, v), v) for k, v in cpu.items()}
    return best


def recognizers(texts: list[str], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of each round of the entity recognizer alone, by its number of types."""
    import spacy
    from spacy.tokens import Doc
    from thinc.api import use_ops

    from quotetrail import nlp

    pipeline = nlp.load()
    cuts = {"18 types (the model)": None, f"{len(nlp.ENTITY_TYPES)} types (nlp.ENTITY_TYPES)": nlp.ENTITY_TYPES,
            "8 types (read by name)": READ_BY_NAME, "4 types (PERSON, ORG, GPE, NORP)": READ_BY_NAME[:4]}
    found = {}
    with use_ops("numpy", use_blis=False):  # as nlp.load
        for name, types in cuts.items():
            config = {"nlp": nlp.CONFIG["nlp"]}
            if types:
                config["components"] = {"ner": {"factory": "quotetrail_entity_types", "types": list(types)}}
            found[name] = spacy.load(nlp.MODEL, exclude=nlp.UNUSED, config=config).get_pipe("ner")
    with pipeline.select_pipes(disable=["ner"]):
        parsed = [doc.to_bytes() for doc in pipeline.pipe(texts, batch_size=GROUP)]
    cpu: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(rounds):
        for name, recognizer in found.items():
            docs = [Doc(pipeline.vocab).from_bytes(data) for data in parsed]
            start = time.process_time()
            for group in groups(docs):
                list(recognizer.pipe(group, batch_size=GROUP))
            cpu[name].append(time.process_time() - start)
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--conventions", choices=("news", "polnear"), default="polnear")
    parser.add_argument("--types", action="store_true", help="also time the entity recognizer cut to fewer types")
    args = parser.parse_args()
    if not POLNEAR.exists():
        sys.exit(f"bench: {POLNEAR} not found (the shared data)")
    with open(POLNEAR, encoding="utf-8", newline="") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    split = components(texts, args.rounds, args.conventions)
    total = sum(split.values())
    stages = sum(seconds for name, seconds in split.items() if name.startswith("stage "))
    print(f"PolNeAR dev, {len(texts)} articles, {sum(len(t.split()) for t in texts):,} words; CPU s, least of "
          f"{args.rounds} rounds; the stages under the {args.conventions} conventions")
    for name, seconds in split.items():
        print(f"  {name:<20} {seconds:6.2f}  {100 * seconds / total:4.1f}%")
    print(f"  {'quotetrail stages':<20} {stages:6.2f}  {100 * stages / total:4.1f}%")
    print(f"  {'total':<20} {total:6.2f}")
    if args.types:
        cpu = recognizers(texts, max(args.rounds, 3))
        model = next(iter(cpu.values()))
        print(f"entity recognizer alone, {len(model)} interleaved rounds: CPU s (median), the model's / this one")
        for name, rounds in cpu.items():
            ratio = statistics.median(m / r for m, r in zip(model, rounds, strict=True))
            print(f"  {name:<34} {statistics.median(rounds):6.2f}  {ratio:.2f}x")


if __name__ == "__main__":
    main()
