"""Names without a parser: folding for comparison, title words, organisation words.

Shared by the attribution stages (which run on spaCy's parse) and the store (which must not
load spaCy): everything here works on plain strings.
"""
from __future__ import annotations

import re
import unicodedata

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


def fold(name: str) -> str:
    """Lower case without accents or punctuation, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w\s-]", "", plain).lower().strip()


def strip_titles(name: str) -> str:
    """`President Ilham Aliyev` → `Ilham Aliyev`; keeps at least one word."""
    words = re.sub(r"[’']s$", "", name.strip()).split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in TITLES | {"of", "the"}:
        words = words[1:]
    return " ".join(words)
