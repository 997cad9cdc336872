"""The venue or addressee of a quotation: `in an interview with Al Jazeera`, `told Fox News`."""
from __future__ import annotations

import re

_TRIGGERS = re.compile(
    r"(?i)\b(?:interview(?:ed)?\s+(?:with|to|by|on)|(?:told|telling|tells)"
    r"|(?:speaking|spoke|speaks|talking|talked|talks|said)\s+(?:to|with|on)"
    r"|(?:wrote|writing|writes|posted)\s+(?:in|on))\s+"
)
_ADDRESSEES = re.compile(
    r"\b(?:told|telling|tells|speaking to|talking to|spoke to|addressing)\s+"
    r"(reporters|journalists|the press|lawmakers|supporters|parliament|the audience)\b"
)
_EVENT = re.compile(r"\b(?:at|during) an?\s+((?:news|press) (?:conference|briefing))\b")
# Words that describe an outlet rather than name it.
_DESCRIPTORS = {
    "the", "a", "an", "its", "his", "her", "their", "american", "british", "russian", "turkish", "french",
    "german", "qatari", "arab", "azerbaijani", "armenian", "iranian", "us", "u.s.", "local", "state",
    "television", "tv", "channel", "broadcaster", "network", "newspaper", "paper", "daily", "weekly",
    "radio", "station", "agency", "news agency", "magazine", "outlet", "website", "program", "programme",
    "show", "broadcast", "state-run", "pan-arab", "private",
}
_CONNECTORS = {"of", "al", "de", "du", "la", "el", "the", "and", "&"}
_TRAILING = {"tv", "channel", "television", "network", "newspaper", "radio"}
_NOT_VENUE = {"i", "we", "he", "she", "they", "it", "him", "her", "them", "me", "us", "mr", "mrs", "ms",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
              "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
              "sep", "oct", "nov", "dec"}


def _outlet(words: list[str]) -> str | None:
    """The capitalised name in the words after a trigger, without descriptors before or after."""
    i = 0
    while i < len(words) and words[i].lower().strip(",.") in _DESCRIPTORS:
        i += 1
    name: list[str] = []
    for word in words[i:i + 8]:
        bare = word.strip(",.;:()")
        if bare[:1].isupper() or (name and bare.lower() in _CONNECTORS):
            name.append(bare)
            if bare != word.rstrip(")"):  # punctuation ends the name
                break
        else:
            break
    while name and (name[-1].lower() in _TRAILING | _CONNECTORS):
        name.pop()
    if not name or name[0].lower().rstrip(".") in _NOT_VENUE:
        return None
    return " ".join(name).removesuffix("’s").removesuffix("'s")


def find_venue(sentence: str, person_names: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The named outlet or audience in a sentence that frames a quotation, else None.

    `person_names` are folded names of people: `told Smith` names an addressee, not a venue.
    """
    for m in _TRIGGERS.finditer(sentence):
        name = _outlet(sentence[m.end():].split()[:12])
        if name and name.lower() not in person_names and not any(name.lower() in p for p in person_names):
            return name
    m = _ADDRESSEES.search(sentence) or _EVENT.search(sentence)
    return m.group(1).removeprefix("the ") if m else None
