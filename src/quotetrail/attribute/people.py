"""Who is who in one article: full names, surnames, roles, organisations, and pronoun salience."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..names import TITLES, fold, strip_titles

# Role words that name the same office ("the head of state" is the president or the monarch).
ROLE_SYNONYMS = {
    "head of state": {"president", "king", "queen", "monarch", "emir", "sultan"},
    "leader": {"president", "prime", "premier", "chancellor", "king", "leader", "chairman"},
    "premier": {"prime", "premier"},
    "pm": {"prime", "premier"},
    "spokeswoman": {"spokeswoman", "spokesperson", "spokesman"},
    "spokesman": {"spokeswoman", "spokesperson", "spokesman"},
}
ROLE_HEADS = TITLES - {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "former", "acting", "first", "vice",
                       "deputy", "foreign", "defense", "defence", "interior", "finance", "transport", "health",
                       "state", "press", "democratic", "republican", "chief", "head", "prime"} \
    | {"head of state", "official", "envoy"}
FEMALE = {"she", "her", "hers", "herself"}
MALE = {"he", "him", "his", "himself"}
_FEMALE_TITLES = {"mrs", "ms", "miss", "madam", "queen", "lady", "spokeswoman", "chairwoman", "congresswoman"}
_MALE_TITLES = {"mr", "king", "sir", "lord", "spokesman", "chairman", "congressman", "prince"}
_FEMALE_NAMES = {"hillary", "nancy", "elizabeth", "kamala", "angela", "theresa", "ursula", "kellyanne",
                 "sarah", "michelle", "melania", "ivanka", "marine", "jacinda", "liz", "sanna", "kaja",
                 "christine", "margaret", "jennifer", "susan", "karen", "mary", "patricia", "linda",
                 "barbara", "jessica", "emily", "hannah", "rachel", "rebecca", "catherine", "helen", "ruth",
                 "carol", "janet", "alice", "grace", "claire", "sophie", "chloe", "megan", "ingrid", "nicole"}
_MALE_A_NAMES = {"joshua", "luca", "nikita", "ilya", "andrea", "sasha", "misha", "kostya", "elijah",
                 "jonah", "noah", "ezra", "isaiah", "jeremiah", "akira", "kofi", "garcia", "pashinyan"}


def guess_gender(first_name: str, titles: set[str]) -> str | None:
    """'f', 'm' or None, from honorifics or a given name; only a tie-breaker for pronouns."""
    if titles & _FEMALE_TITLES:
        return "f"
    if titles & _MALE_TITLES:
        return "m"
    first = fold(first_name)
    if first in _FEMALE_NAMES or (first.endswith("a") and len(first) > 2 and first not in _MALE_A_NAMES):
        return "f"
    return "m" if first.isalpha() and len(first) > 1 else None


@dataclass
class Person:
    """A person or organisation named in the article."""

    name: str
    is_org: bool = False
    roles: set[str] = field(default_factory=set)    # lower-cased role and modifier words
    gender: str | None = None
    mentions: list[int] = field(default_factory=list)  # character offsets

    def last_before(self, offset: int) -> int:
        return max((m for m in self.mentions if m < offset), default=-1)


def _role_words(doc: Doc, ent: Span) -> set[str]:
    """Words in the noun phrase around a name that describe a role: `Azerbaijani President`, `President of X`."""
    words = set()
    i = ent.start - 1
    steps = 0
    while i >= 0 and steps < 8:
        tok = doc[i]
        if tok.is_sent_start and tok.pos_ not in ("PROPN", "NOUN", "ADJ"):
            break
        if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.lower_ in ("of", "the", "'s", "’s", "'", "’"):
            if tok.ent_type_ == "PERSON":
                break
            words.add(tok.lemma_.lower())
            words.add(tok.lower_)
            if tok.is_sent_start:
                break
            i -= 1
            steps += 1
            continue
        break
    for child in ent.root.children:
        if child.dep_ == "appos":
            words.update(t.lemma_.lower() for t in child.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ"))
    words -= {"of", "the", "'s", "’s", "'", "’"}
    return words


def is_name(ent: Span) -> bool:
    """A PERSON entity that really is a name: not a nationality adjective tagged as one."""
    if ent.label_ != "PERSON" or not any(t.pos_ == "PROPN" for t in ent):
        return False
    # not `Azerbaijani President`, `the Azerbaijani side`
    return not (len(ent) == 1 and (ent[0].pos_ == "ADJ" or re.search(r"(?:ani|ian|ese|ish|ean)$", ent.text)
                                   or ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in ROLE_HEADS))


class Cast:
    """The people and organisations of one article, for resolving mentions to canonical names."""

    def __init__(self, doc: Doc) -> None:
        self.people: dict[str, Person] = {}
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG") or ent.label_ == "PERSON" and not is_name(ent):
                continue
            name = strip_titles(ent.text)
            if not name or not re.search(r"[A-Za-z]", name):
                continue
            self.add(name, ent.start_char, is_org=ent.label_ == "ORG", roles=_role_words(doc, ent))

    def add(self, name: str, offset: int, is_org: bool = False, roles: set[str] | None = None) -> Person:
        """Record a mention; a surname alone joins the full name it abbreviates."""
        person = self.full(name) if not is_org else None
        key = fold(person.name if person else name)
        if key not in self.people:
            words = name.split()
            titles = {fold(w).rstrip(".") for w in (roles or set())}
            gender = None if is_org or len(words) < 2 else guess_gender(words[0], titles)
            self.people[key] = Person(name, is_org=is_org, gender=gender)
        person = self.people[key]
        if len(name.split()) > len(person.name.split()) and not is_org:  # a fuller form of the name
            person.name = name
        person.roles |= roles or set()
        person.mentions.append(offset)
        return person

    def full(self, name: str) -> Person | None:
        """The person whose full name ends with `name` (`Aliyev` → Ilham Aliyev)."""
        words = fold(name).split()
        if not words:
            return None
        for person in self.people.values():
            pw = fold(person.name).split()
            if not person.is_org and len(pw) >= len(words) and pw[-len(words):] == words:
                return person
        return None

    def by_role(self, head: str, modifiers: set[str], before: int) -> Person | None:
        """The person most recently introduced in a role: `the Azerbaijani President`, `the head of state`."""
        wanted = ROLE_SYNONYMS.get(head, {head})
        best, best_at = None, -1
        for person in self.people.values():
            if person.is_org or not (person.roles & wanted):
                continue
            if modifiers and not _compatible(modifiers, person.roles):
                continue
            at = person.last_before(before)
            if at > best_at:
                best, best_at = person, at
        return best

    def salient(self, before: int, gender: str | None, orgs: bool = False) -> Person | None:
        """The most recently mentioned person (or organisation) before `before` that fits the pronoun."""
        best, best_at = None, -1
        for person in self.people.values():
            if person.is_org != orgs:
                continue
            if gender and person.gender and person.gender != gender:
                continue
            at = person.last_before(before)
            if at > best_at:
                best, best_at = person, at
        return best


def _compatible(modifiers: set[str], roles: set[str]) -> bool:
    """Nationality and office modifiers agree by stem: `Azerbaijani` fits `Azerbaijan`."""
    meaningful = {m for m in modifiers if m not in ("the", "former", "new", "current")}
    return all(any(m[:5] == r[:5] for r in roles) for m in meaningful)
