"""Hostile texts for extraction fuzzing (issue 17, point 5), generated from a seed, and the checks every
result must pass. `tests/test_extract_fuzz.py` runs a sample in the suite; `benchmarks/fuzz_extract.py`
runs the full 10,000."""
from __future__ import annotations

import random
from collections.abc import Iterator

from quotetrail.ingest.clean import without_surrogates
from quotetrail.model import Quote

NEWS = ["“We will rebuild the bridge by spring,” Mayor Lena Varga told the Harbor Gazette on Monday.",
        "Aliyev said they were ready for a ceasefire.", "She said the plan was \"dead on arrival\".",
        "President Ilham Aliyev: We are ready.", "“The money is there.”", "According to the ministry, it failed.",
        "Q: Why now?\nA: Because every year we wait, the bill gets bigger.", "He added: ", "“", "”", "\n\n"]
MARKS = list("\"“”„«»‘’‹›'`「」『』:;,.!?-–—()[]{}") + ["''", "``", " said ", " told ", " says ", "he said",
                                                    "according to", "said that", ": “", "”,", "\n", "\n\n"]
ODD = ["\ud800", "\udfff", "\udc80", "\x00", "\x1b[31m", "\u200b", "\u202e", "\ufeff", "\u00ad", "\u0301",
       "\U0001f600", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u6211\u4eec", "\r\n", "\t",
       "\x85", "\u2028", "\u2029", "\ufffd", "&quot;", "<p>", "</p>", "{\"text\": ", "\\u201c"]
WORDS = ["the", "minister", "Varga", "Koval", "said", "council", "money", "bridge", "I", "we", "it", "not", "ready"]
FAMILIES = ("marks", "odd", "news_spliced", "unbalanced", "nested", "labels", "long_word", "long_sentence",
            "whitespace", "repeated")


def _pick(rng: random.Random, pool: list[str], n: int) -> str:
    return "".join(rng.choice(pool) for _ in range(n))


def hostile_text(rng: random.Random, family: str, long: int = 6_000) -> str:
    """One text of `family`; `long` bounds the long families (a word, a sentence, repetitions)."""
    if family == "marks":
        return _pick(rng, MARKS + WORDS, rng.randint(1, 80))
    if family == "odd":
        pools = (ODD, NEWS, MARKS)
        return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 40)))
    if family == "news_spliced":
        text = " ".join(rng.choice(NEWS) for _ in range(rng.randint(1, 8)))
        at = rng.randint(0, len(text))
        return text[:at] + _pick(rng, MARKS + ODD, rng.randint(1, 6)) + text[at:]
    if family == "unbalanced":
        opener = rng.choice(["“", '"', "‘", "«", "„", "'"])
        return f"{opener}{' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 200)))}, {rng.choice(WORDS)} said."
    if family == "nested":
        depth = rng.randint(1, 60)
        return "".join(rng.choice(["“", "‘", "«", '"']) for _ in range(depth)) + "Stop, he said." \
            + "".join(rng.choice(["”", "’", "»", '"']) for _ in range(rng.randint(0, depth)))
    if family == "labels":
        return "\n".join(f"{rng.choice(['Q', 'A', 'MS. VARGA', 'KOVAL', 'PRESIDENT ILHAM ALIYEV', ''])}: "
                         f"{rng.choice(NEWS + [''])}" for _ in range(rng.randint(1, 20)))
    if family == "long_word":
        return rng.choice(["", "“", "He said: "]) + rng.choice(["x", "ab", "\u00e9", "-", "“"]) * rng.randint(1, long)
    if family == "long_sentence":
        words = WORDS + [",", "“", "”", "said", "and", "that", "he said", "—"]
        return "Varga said that " + " ".join(rng.choice(words) for _ in range(rng.randint(10, long // 5))) + "."
    if family == "whitespace":
        return _pick(rng, [" ", "\n", "\t", "\u00a0", "\u3000", "\r", "\x0b", "\x0c", "a", "“", "said"],
                     rng.randint(0, 300))
    return rng.choice(NEWS + MARKS) * rng.randint(2, max(2, long // 40))


def hostile_texts(n: int, seed: int = 17, long: int = 6_000) -> Iterator[tuple[str, str]]:
    """`n` (family, text) pairs, the families in turn."""
    rng = random.Random(seed)
    for i in range(n):
        family = FAMILIES[i % len(FAMILIES)]
        yield family, hostile_text(rng, family, long)


def problems(text: str, quotes: list[Quote]) -> list[str]:
    """What is wrong with the quotes found in `text`: offsets outside it or out of order, a quote's
    text that is not its spans' text (a lone surrogate may stand as U+FFFD), a confidence outside [0, 1]."""
    found = []
    for q in quotes:
        if not q.content_spans or any(not 0 <= s < e <= len(text) for s, e in q.content_spans):
            found.append(f"content spans {q.content_spans} outside 0..{len(text)}")
            continue
        if any(a[1] > b[0] for a, b in zip(q.content_spans, q.content_spans[1:], strict=False)):
            found.append(f"content spans {q.content_spans} out of order")
        for name, span in (("cue", q.cue_span), ("source", q.source_span)):
            if span is not None and not 0 <= span[0] <= span[1] <= len(text):
                found.append(f"{name} span {span} outside 0..{len(text)}")
        pieces = [text[s:e] for s, e in q.content_spans]
        if q.text not in (" … ".join(pieces), without_surrogates(" … ".join(pieces))):
            found.append(f"text {q.text[:40]!r} is not the text of its spans")
        if not 0.0 <= q.confidence <= 1.0:
            found.append(f"confidence {q.confidence}")
    return found

