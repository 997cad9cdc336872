"""The venue or addressee of a quotation: `in an interview with Al Jazeera`, `told Fox News`, or its
medium when no outlet is named: `in a statement`, `in a telephone interview` (a written statement
is another speech event than the interview of the same day)."""
from __future__ import annotations

import re

from ..model import INTERVIEW, STATEMENT

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
_STATEMENT = re.compile(r"(?i)\b(?:in|released|issued|put out|sent|posted|published)\s+an?\s+"
                        r"(?:(?:written|brief|short|joint|separate|later|video|emailed)\s+)?statement\b")
_INTERVIEW = re.compile(r"(?i)\b(?:in|during|gave)\s+an?\s+(?:[\w-]+\s+){0,3}?interview\b")
# Words that describe an outlet rather than name it: determiners and adjectives, whatever their case
# (`the American Fox News Channel`), and nouns, when written in lower case (`state broadcaster TRT`;
# `Channel One` is a name).
_DESCRIPTORS = {
    "the", "a", "an", "its", "his", "her", "their", "american", "british", "russian", "turkish", "french",
    "german", "qatari", "arab", "azerbaijani", "armenian", "iranian", "us", "u.s.", "local", "state",
    "state-run", "pan-arab", "private", "daily", "weekly",
}
_DESCRIBING_NOUNS = {
    "television", "tv", "channel", "broadcaster", "network", "newspaper", "paper", "radio", "station", "agency",
    "news agency", "magazine", "outlet", "website", "program", "programme", "show", "broadcast",
}
_CONNECTORS = {"of", "al", "de", "du", "la", "el", "the", "and", "&"}
# A generic last word adds nothing to a longer name (`Fox News Channel` is Fox News); `Radio` does
# (`Times Radio` is not The Times).
_TRAILING = {"tv", "channel", "television", "network"}
# `CNN’s Jake Tapper`, `Fox News’ Bret Baier`: the outlet ends at the possessive, unless an outlet
# word follows it (`Russia’s Channel One`: the outlet is what follows).
_POSSESSIVE = ("’s", "'s", "’", "'")
_OUTLET_WORDS = _DESCRIBING_NOUNS | {"news", "times", "post", "journal", "broadcasting", "herald", "gazette",
                                     "daily", "press", "service", "state", "state-run"}
_NOT_VENUE = {"i", "we", "he", "she", "they", "it", "him", "her", "them", "me", "us", "mr", "mrs", "ms",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
              "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
              "sep", "oct", "nov", "dec"}


def _outlet(words: list[str]) -> str | None:
    """The capitalised name in the words after a trigger, without the descriptors before it or a
    generic word after it (`the American Fox News Channel` → `Fox News`; `Times Radio` stays whole)."""
    i = 0
    while i < len(words) and (words[i].lower().strip(",.") in _DESCRIPTORS
                              or words[i].strip(",.") in _DESCRIBING_NOUNS):
        i += 1
    name: list[str] = []
    for at, word in enumerate(words[i:i + 8], start=i):
        bare = word.strip(",.;:()")
        if bare[:1].isupper() or (name and bare.lower() in _CONNECTORS):
            owner = next((bare[:-len(p)] for p in _POSSESSIVE if bare.endswith(p)), None)
            if owner and _OUTLET_WORDS & {w.strip(",.;:()").lower() for w in words[at + 1:at + 4]}:
                return _outlet(words[at + 1:])
            name.append(owner or bare)
            if owner or bare != word.rstrip(")"):  # a possessive or punctuation ends the name
                break
        else:
            break
    while name and (name[-1].lower() in _CONNECTORS or len(name) > 1 and name[-1].lower() in _TRAILING):
        name.pop()
    if not name or name[0].lower().rstrip(".") in _NOT_VENUE:
        return None
    return " ".join(name)


def find_venue(sentence: str, person_names: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The named outlet or audience in a sentence that frames a quotation, else None.

    `person_names` are folded names of people: `told Smith` names an addressee, not a venue.
    """
    for m in _TRIGGERS.finditer(sentence):
        name = _outlet(sentence[m.end():].split()[:12])
        if name and name.lower() not in person_names and not any(name.lower() in p for p in person_names):
            return name
    m = _ADDRESSEES.search(sentence) or _EVENT.search(sentence)
    if m:
        return m.group(1).removeprefix("the ")
    return STATEMENT if _STATEMENT.search(sentence) else INTERVIEW if _INTERVIEW.search(sentence) else None
