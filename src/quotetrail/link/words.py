"""Quoted words as the linker sees them: normalised tokens, content stems and index keys.

Two reports of one answer differ in punctuation, case, contractions (`doesn’t` / `does not`),
spelling and inflection. `tokens` undoes the first three and keeps each word's written form for
display; `stem` strips the commonest English suffixes so `countries`/`country` and
`occupied`/`occupation` meet; `keys` turns the content stems into the hashed bigrams that the
candidate index (`store.links`) stores.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_CONTRACTIONS = {"n't": ["not"], "'re": ["are"], "'ve": ["have"], "'m": ["am"], "'ll": ["will"], "'d": ["would"]}
_IRREGULAR_NOT = {"can't": ["can", "not"], "won't": ["will", "not"], "cannot": ["can", "not"],
                  "shan't": ["shall", "not"]}
_S_IS = {"it", "that", "there", "what", "here", "who", "he", "she", "where", "this", "how", "let"}
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NEGATIONS = frozenset({"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without", "nowhere"})
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just let me more most my myself
of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves us
well now even still already yet indeed really must may might shall said says say told tell""".split())


_SENTENCE_BREAK = re.compile(r"[.!?;…]|\n")


class Token(NamedTuple):
    """A normalised word (`norm`), the word of the text it was written as (`shown`), its place (`at`)
    and whether a sentence (or a piece of a quote given in pieces, joined by `…`) opens on it. A
    tuple: a linker holds thousands of reports' words (a frozen dataclass took 3 times the memory and time)."""

    norm: str
    shown: str
    at: int
    opens: bool = False


def tokens(text: str) -> list[Token]:
    """The words of `text`, folded to lower case without accents, contractions spelled out."""
    out: list[Token] = []
    end = 0
    for at, match in enumerate(_WORD.finditer(text)):
        shown = match.group()
        opens = at == 0 or bool(_SENTENCE_BREAK.search(text, end, match.start()))
        out.extend(Token(norm, shown, at, opens and k == 0) for k, norm in enumerate(_normalise(shown)))
        end = match.end()
    return out


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each written word of `text` stands (a `Token.at` indexes this list)."""
    return [m.span() for m in _WORD.finditer(text)]


@lru_cache(maxsize=1 << 16)
def _normalise(shown: str) -> tuple[str, ...]:
    """The normalised words of one written word."""
    return tuple(_expand(_fold(shown).replace("’", "'").replace("ʼ", "'")))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _expand(word: str) -> list[str]:
    """`doesn't` → does not, `they're` → they are, `it's` → it is, `Aliyev's` → aliyev."""
    if word in _IRREGULAR_NOT:
        return _IRREGULAR_NOT[word]
    for ending, words in _CONTRACTIONS.items():
        if word.endswith(ending) and len(word) > len(ending):
            return [word[: -len(ending)], *words]
    if word.endswith("'s"):
        return [word[:-2], "is"] if word[:-2] in _S_IS else [word[:-2]]
    if "'" in word:
        return [part for part in word.split("'") if part]
    return [NUMBER_WORDS.get(word, word)]


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude English stem: enough to meet `countries`/`country`, `feelings`/`feel`, `occupied`/`occupation`."""
    return _strip(_strip(word))


def _strip(word: str) -> str:
    """`word` without its commonest suffix."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, keep in (("ational", "ate"), ("ations", ""), ("ation", ""), ("ities", ""), ("ity", ""),
                         ("ments", ""), ("ment", ""), ("ness", ""), ("ingly", ""), ("edly", ""), ("ies", "y"),
                         ("ing", ""), ("ied", "y"), ("ed", ""), ("ly", ""), ("es", ""), ("s", ""), ("e", ""),
                         ("y", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return _undouble(word[: len(word) - len(suffix)] + keep)
    return word


def _undouble(word: str) -> str:
    """`stopp` → stop, `planned` → plan (after the suffix went)."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word.rstrip("e") if word.endswith("e") and len(word) > 3 else word


def content_stems(words: list[Token]) -> list[str]:
    """Stems of the words that carry content (no stop words), in order."""
    return [stem(t.norm) for t in words if t.norm not in STOPWORDS]


def keys(stems: list[str]) -> set[int]:
    """Index keys of a quote: hashed pairs of neighbouring content stems (a lone stem when only one)."""
    pairs = {f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)} or set(stems)
    return {_hash(p) for p in pairs}


def fingerprint(norms: list[str]) -> int:
    """The index key of a quote's exact normalised words."""
    return _hash("=" + " ".join(norms))


def _hash(text: str) -> int:
    """A stable signed 63-bit hash (SQLite INTEGER), the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1
