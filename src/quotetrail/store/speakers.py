"""Who a speaker is across articles: one key per person or organisation, whatever the titles.

The rule (pure functions here; the store applies them):

* A name loses its possessive, then everything up to its last title word (`TITLES` of
  `names`): "Azerbaijani President Ilham Aliyev" → "Ilham Aliyev"; case, accents and
  punctuation are folded for the key ("ilham aliyev").
* A name with an organisation word ("Ministry", "Palace", "Board", …) is an organisation; its key is
  the folded name without a leading "the". Organisations never merge by a shared word.
* Two people are one speaker when their keys are equal: "Ilham Aliyev", "President Ilham Aliyev"
  and "Azerbaijani President Ilham Aliyev" are one; "Ilham Aliyev" and "Heydar Aliyev" are two.
* A bare surname ("Aliyev") joins the only person in the database whose full name ends in it; when
  there are none or several (ambiguous), it stays a speaker of its own (unresolved). Bare surnames
  are re-resolved whenever the database learns a new full name with that surname.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..names import ORG_HEADS, TITLES, fold

_POSSESSIVE = re.compile(r"[’']s\b")
ORG_WORDS = ORG_HEADS - {"spokesperson"} | {"authority", "authorities", "federation", "association", "institute",
                                             "ministry", "corporation",
                                             "inc", "ltd", "newspaper", "network", "foundation", "agency"}


@dataclass(frozen=True)
class Identity:
    """The corpus-wide identity of a name: its key, display name, kind and (for people) surname."""

    key: str
    name: str
    kind: str  # "person" or "organisation"
    surname: str | None

    @property
    def bare(self) -> bool:
        """A person named by one word only (usually a surname)."""
        return self.kind == "person" and " " not in self.key


def identity(name: str | None) -> Identity | None:
    """The identity of a speaker name, or None when it names nobody (empty, a pronoun's leftovers)."""
    if not name or not name.strip():
        return None
    words = _POSSESSIVE.sub("", name).split()
    folded = [fold(w).strip("-") for w in words]
    if any(w in ORG_WORDS for w in folded):
        keep = [(w, f) for w, f in zip(words, folded, strict=False) if f]
        if keep and keep[0][1] == "the":
            keep = keep[1:]
        if not keep:
            return None
        return Identity(" ".join(f for _, f in keep), " ".join(w for w, _ in keep), "organisation", None)
    last_title = max((i for i, f in enumerate(folded[:-1]) if f.rstrip(".") in TITLES), default=-1)
    keep = [(w, f) for w, f in zip(words[last_title + 1:], folded[last_title + 1:], strict=False) if f]
    if not keep:
        return None
    key = " ".join(f for _, f in keep)
    return Identity(key, " ".join(w for w, _ in keep).strip(",.;:"), "person", keep[-1][1])
