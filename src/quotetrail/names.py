"""Names without a parser: folding for comparison, title words, organisation words.

Shared by the attribution stages (which run on spaCy's parse) and the store (which must not
load spaCy): everything here works on plain strings.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TITLES = {
    "president", "prime", "minister", "secretary", "mr", "mrs", "ms", "miss", "dr", "sen", "senator",
    "rep", "representative", "gov", "governor", "king", "queen", "prince", "general", "gen", "chancellor",
    "spokesman", "spokeswoman", "spokesperson", "mayor", "judge", "justice", "sheikh", "emir", "sir",
    "lady", "lord", "pope", "rev", "reverend", "col", "colonel", "lt", "capt", "captain", "adm", "admiral",
    "chairman", "chairwoman", "chair", "ceo", "director", "ambassador", "commissioner", "premier",
    "leader", "deputy", "vice", "foreign", "defense", "defence", "interior", "finance", "transport",
    "health", "state", "former", "acting", "chief", "head", "press", "first", "professor", "prof",
    "attorney", "speaker", "congressman", "congresswoman", "candidate", "nominee", "democratic", "republican",
    "detective", "sergeant", "inspector", "constable", "superintendent", "sheriff", "lieutenant", "commander",
    "det", "sgt", "insp", "supt", "councillor", "councilor", "councilman", "councilwoman", "alderman",
}
ORG_HEADS = {
    "ministry", "government", "kremlin", "office", "department", "agency", "committee", "council",
    "commission", "embassy", "army", "police", "campaign", "party", "administration", "company",
    "court", "parliament", "cabinet", "palace", "presidency", "spokesperson", "service", "house",
    "union", "bank", "organization", "organisation", "group", "school", "university", "board", "firm",
}

# Last words that make a name a company's (`Korvath Logistics`, `Halden Mercantile Bank`), whatever a
# recognizer says.
CORPORATE = {"logistics", "foods", "holdings", "capital", "partners", "inc", "ltd", "llc", "plc", "corp",
             "corporation", "co", "motors", "airlines", "airways", "energy", "industries", "technologies",
             "systems", "media", "insurance", "pharmaceuticals", "securities", "ventures", "labs", "mining",
             "telecom", "steel", "shipping", "brewery", "bakery", "construction"}


@lru_cache(maxsize=65536)  # the same few names are compared again and again within an article
def fold(name: str) -> str:
    """Lower case without accents or punctuation, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w\s-]", "", plain).lower().strip()


def strip_titles(name: str) -> str:
    """`President Ilham Aliyev` → `Ilham Aliyev`; keeps at least one word. A stock ticker after the
    name goes (`Cisco CSCO` → `Cisco`), and two words glued together come apart (`BorjeEkholm` →
    `Borje Ekholm`; `DeSantis`, `McDonald` stay whole)."""
    words = [part for w in re.sub(r"[’']s$", "", name.strip()).split() for part in _unglued(w)]
    while len(words) > 1 and fold(words[0]).rstrip(".") in TITLES | {"of", "the"}:
        words = words[1:]
    return without_ticker(" ".join(words))


def without_ticker(name: str) -> str:
    """The name without a stock ticker written after it (`Cisco CSCO`, `Ericsson ERIC`)."""
    words = name.split()
    if len(words) > 1 and _TICKER.fullmatch(words[-1]) and not words[-2].isupper():
        return " ".join(words[:-1])
    return name


_TICKER = re.compile(r"[A-Z]{2,5}")
_GLUED = re.compile(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,})")
_NAME_PREFIXES = ("Mc", "Mac", "De", "Le", "La", "Van", "Von", "Di", "Du", "Da", "St")


def _unglued(word: str) -> list[str]:
    m = _GLUED.fullmatch(word)
    if m is None or m.group(1) in _NAME_PREFIXES:
        return [word]
    return [m.group(1), m.group(2)]
