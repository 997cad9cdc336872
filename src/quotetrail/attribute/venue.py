"""The venue or addressee of a quotation: `in an interview with Al Jazeera`, `told Fox News`."""
from __future__ import annotations

import re

_NAME = r"((?:[A-Z][\w&.’'-]*|of|the|and|al|de|du|la|el)(?:\s+(?:[A-Z][\w&.’'-]*|of|the|and|al|de|du|la|el))*)"
_DESCRIPTOR = r"(?:(?:the|an?|its|his|her|their)\s+)?(?:(?:[A-Z][a-z]+|[a-z-]+)\s+){0,4}?"
_PATTERNS = [
    re.compile(r"\binterview(?:ed)?\s+(?:with|to|by|on)\s+" + _DESCRIPTOR + _NAME),
    re.compile(r"\b(?:told|telling|tells)\s+" + _DESCRIPTOR + _NAME),
    re.compile(r"\b(?:speaking|spoke|speaks|talking|talked|talks|said)\s+(?:to|with|on)\s+" + _DESCRIPTOR + _NAME),
    re.compile(r"\b(?:wrote|writing|writes|posted)\s+(?:in|on)\s+" + _DESCRIPTOR + _NAME),
]
_ADDRESSEES = re.compile(r"\b(?:told|telling|speaking to|talking to|spoke to|addressing)\s+(reporters|journalists|the press|lawmakers|supporters|parliament|the audience)\b")
_EVENT = re.compile(r"\b(?:at|during) an?\s+((?:news|press) (?:conference|briefing))\b")
_TRAILING = re.compile(r"(?:\s+(?:TV|tv|Channel|channel|Television|television|network|newspaper|Network|TV channel|radio|Radio))+$")
_NATIONALITY = re.compile(r"^(?:American|British|Russian|Turkish|French|German|Qatari|Arab|Azerbaijani|Armenian|Iranian|US|U\.S\.)\s+")
_NOT_VENUE = {"I", "We", "He", "She", "They", "It", "The", "Mr", "Mrs", "Ms"}


def _clean(name: str) -> str | None:
    name = _NATIONALITY.sub("", name.strip())
    name = _TRAILING.sub("", name)
    name = re.sub(r"^(?:the|of|and)\s+", "", name)
    name = re.sub(r"\s+(?:the|of|and|al|de|la)$", "", name)
    name = name.rstrip(".’'")
    return name if name and name not in _NOT_VENUE and name[0].isupper() else None


def find_venue(sentence: str, person_names: set[str] = frozenset()) -> str | None:
    """The named outlet or audience in a sentence that frames a quotation, else None.

    `person_names` are folded names of people: `told Smith` names an addressee, not a venue.
    """
    for pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            name = _clean(m.group(1))
            if name and name.lower() not in person_names:
                return name
    m = _ADDRESSEES.search(sentence) or _EVENT.search(sentence)
    if m:
        return m.group(1).removeprefix("the ")
    return None
