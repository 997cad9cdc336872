"""Who is who in one article: every person and organisation with all its mentions.

`Entities(doc)` reads the parsed article once and keeps, for each person or organisation, its
canonical name (the fullest form written), every mention's offset (full name, surname, title and
name), the titles written around the name (`Prime Minister X`, `Senator X`), the descriptors the
article gives it (appositions `X, the club's manager`, predicates `X is the lead investigator`,
compounds `Northwind chief executive X`), gender evidence (honorifics, given names) and salience
(mention count and recency). Resolution (`resolve.py`) asks it for the entity a surname, a pronoun
or a role noun (`the senator`, `the 45-year-old Dutchman`, `the group`) stands for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..names import CORPORATE, ORG_HEADS, TITLES, fold, strip_titles, without_ticker

# Role words that name the same office ("the head of state" is the president or the monarch).
ROLE_SYNONYMS = {
    "head of state": {"president", "king", "queen", "monarch", "emir", "sultan"},
    "leader": {"president", "prime", "premier", "chancellor", "king", "leader", "chairman", "chief", "ceo",
               "head", "executive", "boss"},
    "boss": {"boss", "chief", "ceo", "executive", "manager", "head", "chairman", "president"},
    "premier": {"prime", "premier"},
    "pm": {"prime", "premier"},
    "spokeswoman": {"spokeswoman", "spokesperson", "spokesman"},
    "spokesman": {"spokeswoman", "spokesperson", "spokesman"},
    "executive": {"executive", "ceo", "chief"},
    "ceo": {"executive", "ceo", "chief"},
    "investigator": {"investigator", "researcher", "author", "scientist"},
    "researcher": {"investigator", "researcher", "author", "scientist"},
}
# Common nouns that stand for one person when definite (`the manager said`), beyond the titles.
PERSON_NOUNS = {
    "manager", "coach", "boss", "executive", "investigator", "researcher", "scientist", "author", "founder",
    "owner", "chief", "head", "lawyer", "attorney", "spokesman", "spokeswoman", "spokesperson", "official",
    "envoy", "minister", "senator", "president", "leader", "chairman", "chairwoman", "captain", "player",
    "striker", "midfielder", "defender", "goalkeeper", "forward", "economist", "analyst", "professor",
    "doctor", "officer", "detective", "sheriff", "chancellor", "governor", "mayor", "lawmaker", "congressman",
    "congresswoman", "judge", "actor", "actress", "singer", "star", "veteran", "ceo", "director", "secretary",
    "commissioner", "ambassador", "premier", "king", "queen", "prince", "princess", "candidate", "nominee",
    "representative", "woman", "man", "politician", "activist", "campaigner", "father", "mother", "witness",
    "neighbor", "neighbour", "resident", "victim", "survivor", "teacher", "student", "prosecutor",
    "interviewer", "host", "moderator", "reporter", "anchor", "presenter", "correspondent", "journalist",
    "frenchman", "dutchman", "englishman", "irishman", "scotsman", "welshman",
}
ROLE_HEADS = TITLES - {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "former", "acting", "first", "vice",
                       "deputy", "foreign", "defense", "defence", "interior", "finance", "transport", "health",
                       "state", "press", "democratic", "republican", "chief", "head", "prime"} \
    | {"head of state", "official", "envoy"}
FEMALE = {"she", "her", "hers", "herself"}
MALE = {"he", "him", "his", "himself"}
_FEMALE_TITLES = {"mrs", "ms", "miss", "madam", "queen", "lady", "spokeswoman", "chairwoman", "congresswoman",
                  "actress", "princess", "woman", "mother"}
_MALE_TITLES = {"mr", "king", "sir", "lord", "spokesman", "chairman", "congressman", "prince", "man", "father",
                "frenchman", "dutchman", "englishman", "irishman", "scotsman", "welshman"}
_FEMALE_NAMES = {"hillary", "nancy", "elizabeth", "kamala", "angela", "theresa", "ursula", "kellyanne",
                 "sarah", "michelle", "melania", "ivanka", "marine", "jacinda", "liz", "sanna", "kaja",
                 "christine", "margaret", "jennifer", "susan", "karen", "mary", "patricia", "linda",
                 "barbara", "jessica", "emily", "hannah", "rachel", "rebecca", "catherine", "helen", "ruth",
                 "carol", "janet", "alice", "grace", "claire", "sophie", "chloe", "megan", "ingrid", "nicole"}
_MALE_A_NAMES = {"joshua", "luca", "nikita", "ilya", "andrea", "sasha", "misha", "kostya", "elijah",
                 "jonah", "noah", "ezra", "isaiah", "jeremiah", "akira", "kofi", "garcia", "pashinyan"}
# Words that are never a person's name on their own: `Minister`, `German`, `company`, `Police`.
COMMON = TITLES | ORG_HEADS | PERSON_NOUNS | {"government", "police", "statement", "group", "firm", "people"}
ABBREVIATIONS = {"sen": "senator", "gov": "governor", "rep": "representative", "gen": "general",
                 "pres": "president", "supt": "superintendent", "insp": "inspector", "det": "detective",
                 "sgt": "sergeant", "capt": "captain", "lt": "lieutenant", "col": "colonel", "prof": "professor",
                 "batt": "battalion"}
_GLUE = {"of", "the", "'s", "’s", "'", "’"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "madam"}
_COPULAS = {"be", "become", "remain", "serve"}


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


def is_common(name: str, demonyms: frozenset[str] | set[str] = frozenset()) -> bool:
    """A name made only of common nouns or demonyms (`Minister`, `Prime Minister`, `German`, `group`);
    `demonyms` are the folded nationality words the entity recognizer found in the article (NORP)."""
    words = fold(name).replace("-", " ").split()
    return not words or all(w.rstrip(".") in COMMON or w in demonyms for w in words)


@dataclass
class Entity:
    """A person or organisation of the article."""

    name: str
    is_org: bool = False
    roles: set[str] = field(default_factory=set)    # lower-cased titles, descriptors and their modifiers
    gender: str | None = None
    gender_sure: bool = False  # from a title (`Mrs`, `Sir`), not guessed from a given name
    mentions: list[int] = field(default_factory=list)  # character offsets, in the order they were found
    subjects: list[int] = field(default_factory=list)  # offsets of the mentions that are a clause's subject

    def last_before(self, offset: int) -> int:
        return max((m for m in self.mentions if m < offset), default=-1)

    def count_before(self, offset: int) -> int:
        return sum(1 for m in self.mentions if m < offset)

    def shifted(self, by: int) -> Entity:
        """A copy whose offsets are `by` characters further on (into another piece's coordinates)."""
        return replace(self, roles=set(self.roles), mentions=[m + by for m in self.mentions],
                       subjects=[m + by for m in self.subjects])


def is_name(ent: Span) -> bool:
    """A PERSON entity that really is a name: not a nationality adjective or a title tagged as one."""
    if ent.label_ != "PERSON" or not any(t.pos_ == "PROPN" for t in ent):
        return False
    if is_common(strip_titles(ent.text)):
        return False
    # not `Azerbaijani President`, `the Azerbaijani side`
    return not (len(ent) == 1 and (ent[0].pos_ == "ADJ" or re.search(r"(?:ani|ian|ese|ish|ean)$", ent.text)
                                   or ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in ROLE_HEADS))


def name_parts(ent: Span) -> list[Span]:
    """The names in a PERSON entity; a headline fused into one (`Ann Lee Slams Down Bo Park`) is cut
    at its verbs and particles into the names around them."""
    parts, start = [], ent.start
    for tok in ent:
        if tok.tag_.startswith("VB") or tok.pos_ in ("VERB", "AUX", "ADP", "PART") and tok.i > ent.start:
            if tok.i > start:
                parts.append(ent.doc[start:tok.i])
            start = tok.i + 1
    if start == ent.start:
        return [ent]
    if start < ent.end:
        parts.append(ent.doc[start:ent.end])
    return [p for p in parts if any(t.pos_ == "PROPN" for t in p)]


def _role_words(doc: Doc, ent: Span) -> set[str]:
    """Descriptors of a name: words before it (`Azerbaijani President`, `Liverpool manager`), its
    appositions (`X, the club's manager`), the noun phrase it is apposed to (`the bank's chief, X`)
    and predicates (`X is the lead investigator`, `X is a battalion chief with the fire department`)."""
    words = set()
    i = ent.start - 1
    steps = 0
    while i >= 0 and steps < 8:
        tok = doc[i]
        if tok.is_sent_start and tok.pos_ not in ("PROPN", "NOUN", "ADJ"):
            break
        if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.lower_ in _GLUE:
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
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos":
            words |= _phrase_words(child)
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        words |= _phrase_words(root.head, stop=root)
    if root.dep_ == "nsubj" and root.head.lemma_ in _COPULAS:
        for child in root.head.children:
            if child.dep_ == "attr" and child.pos_ in ("NOUN", "PROPN"):
                words |= _phrase_words(child)
    return {ABBREVIATIONS.get(w.rstrip("."), w) for w in words - _GLUE}


def _phrase_words(head: Token, stop: Token | None = None) -> set[str]:
    """Content words of a descriptor's noun phrase, up to 12 tokens, not inside `stop`'s subtree."""
    skip = {t.i for t in stop.subtree} if stop is not None else set()
    words = set()
    for tok in list(head.subtree)[:12]:
        if tok.i not in skip and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
            words.add(tok.lemma_.lower())
            words.add(tok.lower_)
    return words


# The last word of a place-like name that makes it an institution's (`West Yorkshire Police`).
_INSTITUTIONS = frozenset({"police", "constabulary", "council", "department", "ministry", "agency", "authority",
                           "commission", "service", "services", "office"})


class Entities:
    """The people and organisations of one article, for resolving mentions to canonical names.

    A later piece of a long text (`engine.pieces_of`) starts from the `earlier` people, the ones
    the pieces before it named (`Earlier`), their offsets before its start (negative): what looks
    at the mentions before an offset (a surname's full name, a transcript's labels, the interviewee
    of `A:`) sees them as in one piece, while nothing that needs a mention within the piece (a
    pronoun's or a role noun's person) reaches them.
    """

    def __init__(self, doc: Doc, earlier: dict[str, Entity] | None = None) -> None:
        self.doc = doc
        self.people: dict[str, Entity] = dict(earlier or {})  # a later piece's: the people named before it
        self.ents = doc.ents  # built anew at every `doc.ents`: once here
        self.text = doc.text  # a join of every token at every `doc.text`: once here
        self.demonyms = {fold(e.text) for e in self.ents if e.label_ == "NORP" and len(e) == 1}
        for ent in self.ents:
            if self.is_org(ent):
                name = _org_name(ent.text)
                if name and re.search(r"[A-Za-z]", name) and not is_common(name, self.demonyms):
                    self.add(name, ent.start_char, is_org=True, roles=_role_words(doc, ent))
                continue
            if ent.label_ not in ("PERSON", "ORG") or _in_byline(self.text, ent.start_char):
                continue
            for part in name_parts(ent):
                if part is not ent and not any(t.pos_ == "PROPN" for t in part):
                    continue
                if part is ent and ent.label_ == "PERSON" and not is_name(ent) \
                        or is_common(strip_titles(part.text), self.demonyms):
                    continue
                name = strip_titles(part.text)
                if not name or not re.search(r"[A-Za-z]", name) or self.shared_first_name(name):
                    continue
                person = self.add(name, part.start_char, roles=_role_words(doc, part) | _titles(part))
                if part.root.dep_ in ("nsubj", "nsubjpass"):
                    person.subjects.append(part.start_char)

    def is_org(self, ent: Span) -> bool:
        """Whether a name is an organisation's, the recognizer's label corrected by what the article says:
        a company word ends it (`Korvath Logistics`), an institution's word ends a place's name (`West
        Yorkshire Police`), a person's honorific or office precedes it (`Mrs
        Pask`, `President Emil Castelar`), it
        begins a known organisation's name (`Korvath`) or is a known person's (`Pask`, `E. Castelar`)."""
        words = fold(ent.text).split()
        if not words:
            return False
        if ent.label_ == "PERSON":
            return words[-1] in CORPORATE or (len(words) == 1 and self.org(ent.text) is not None)
        if ent.label_ in ("GPE", "LOC", "FAC", "NORP") and len(words) > 1 and words[-1] in _INSTITUTIONS:
            return True  # `West Yorkshire Police`, `Leeds City Council`, whatever place the recognizer saw
        if ent.label_ != "ORG" or words[-1] in CORPORATE | ORG_HEADS:
            return ent.label_ == "ORG"
        before = fold(self.doc[ent.start - 1].text).rstrip(".") if ent.start > 0 else ""
        honorific = before in _HONORIFICS or before in ROLE_HEADS  # `Mrs Pask`, `President Emil Castelar`
        return not (honorific or self.full(ent.text) is not None)

    def add(self, name: str, offset: int, is_org: bool = False, roles: set[str] | None = None) -> Entity:
        """Record a mention; a surname alone joins the full name it abbreviates, the first words of an
        organisation's name the organisation (`Brightwell` is Brightwell Foods)."""
        person = self.org(name) if is_org else self.full(name) or self._surname_of(name)
        key = next((k for k, p in self.people.items() if p is person), None) or fold(name)
        if key not in self.people:
            words = name.split()
            titles = {fold(w).rstrip(".") for w in (roles or set())}
            gender = None if is_org or len(words) < 2 else guess_gender(words[0], titles)
            self.people[key] = Entity(name, is_org=is_org, gender=gender)
        person = self.people[key]
        if len(name.split()) > len(person.name.split()):  # a fuller form of the name
            person.name = name
            if person.gender is None:
                person.gender = guess_gender(name.split()[0], person.roles)
        person.roles |= roles or set()
        titled = guess_gender("", person.roles) if person.roles & (_FEMALE_TITLES | _MALE_TITLES) else None
        if titled:  # `Mrs Thwaite` says more than a guess from `Eleanor`
            person.gender, person.gender_sure = titled, True
        if offset not in person.mentions:
            person.mentions.append(offset)
        return person

    def _surname_of(self, name: str) -> Entity | None:
        """The one person known so far by the last words of a fuller `name` (`Thiel`, then `Jakob Thiel`)."""
        words = fold(name).split()
        found = [p for p in self.people.values() if not p.is_org
                 and len(pw := fold(p.name).split()) < len(words) and words[-len(pw):] == pw]
        return found[0] if len(found) == 1 else None

    def shared_first_name(self, name: str) -> bool:
        """Whether `name` is one word that two or more of the article's people have as a first name."""
        words = fold(name).split()
        return len(words) == 1 and sum(1 for p in self.people.values() if not p.is_org
                                       and len(pw := fold(p.name).split()) > 1 and pw[0] == words[0]) > 1

    def full(self, name: str) -> Entity | None:
        """The person whose full name ends with `name` (`Aliyev` → Ilham Aliyev), the most mentioned one
        when several do; else the only person whose first name it is (`Antonio` → Antonio Conte)."""
        words = fold(name).split()
        if not words:
            return None
        found = [p for p in self.people.values() if not p.is_org
                 and len(pw := fold(p.name).split()) >= len(words) and _same_words(pw[-len(words):], words)]
        if not found and len(words) == 1:  # `Antonio said`: a first name, if only one person has it
            found = [p for p in self.people.values() if not p.is_org
                     and len(pw := fold(p.name).split()) > 1 and pw[0] == words[0]]
            return found[0] if len(found) == 1 else None
        return max(found, key=lambda p: len(p.mentions), default=None)

    def named(self, word: str, before: int) -> Entity | None:
        """The organisation mentioned before `before` whose name holds `word` (`police`: the Ostrava
        Heights Police Department), the most recent one."""
        found = [p for p in self.people.values()
                 if p.is_org and word in fold(p.name).split() and p.count_before(before)]
        return max(found, key=lambda p: p.last_before(before), default=None)

    def org(self, name: str) -> Entity | None:
        """The only company or body whose name begins with `name` and goes on (`Brightwell` is Brightwell
        Foods, not `Psaki on Inflation`), else the organisation called `name`."""
        key = fold(name)
        longer = [p for p in self.people.values() if p.is_org and fold(p.name).startswith(key + " ")
                  and fold(p.name).split()[-1] in CORPORATE | ORG_HEADS]
        if len(longer) == 1:
            return longer[0]
        return next((p for p in self.people.values() if p.is_org and fold(p.name) == key), None)

    def by_role(self, head: str, modifiers: set[str], before: int, orgs: bool = False) -> Entity | None:
        """The entity most recently described in a role (`the Azerbaijani President`, `the head of state`,
        `the Charlotte-based bank`): the office must match, then the most modifiers, then recency."""
        wanted = ROLE_SYNONYMS.get(head, {head})
        best, best_key = None, None
        for person in self.people.values():
            if person.is_org != orgs or not (person.roles & wanted or orgs and head in fold(person.name)):
                continue
            at = person.last_before(before)
            if at < 0:
                continue
            meaningful = {m for m in modifiers if m not in ("the", "former", "new", "current")}
            hits = sum(1 for m in meaningful if any(m[:5] == r[:5] for r in person.roles | {fold(person.name)}))
            if meaningful and not hits and not orgs:
                continue
            key = (hits, at)
            if best_key is None or key > best_key:
                best, best_key = person, key
        return best

    def salient(self, before: int, gender: str | None, orgs: bool = False, guesses: bool = True) -> Entity | None:
        """The most recently mentioned person (or organisation) before `before` that fits the pronoun."""
        best, best_at = None, -1
        for person in self.people.values():
            if person.is_org != orgs:
                continue
            if gender and person.gender and person.gender != gender and (guesses or person.gender_sure):
                continue
            at = person.last_before(before)
            if at > best_at:
                best, best_at = person, at
        return best

    def only(self, before: int) -> Entity | None:
        """The one organisation named before `before`, if the article names only one."""
        orgs = [p for p in self.people.values() if p.is_org and p.count_before(before)]
        return orgs[0] if len(orgs) == 1 else None

    def central(self, before: int, orgs: bool = False) -> Entity | None:
        """The entity the article is about so far: the most mentions before `before`, if it leads clearly
        (at least two mentions and more than any other)."""
        counts = sorted(((p.count_before(before), p.last_before(before), p) for p in self.people.values()
                         if p.is_org == orgs), key=lambda c: c[:2], reverse=True)
        if not counts or counts[0][0] < 2 or len(counts) > 1 and counts[1][0] >= counts[0][0]:
            return None
        return counts[0][2]


class Earlier:
    """The people the pieces of one long text have named so far, kept for the pieces after them.

    The engine parses a text over `engine.CHUNK` characters in pieces, each attributed on its own;
    without this, a transcript's interviewee named at the top (`A:`) and the full names behind its
    labels (`LARKIN:`) were lost after the first piece. Kept per piece (by its start), so that a
    piece run again (after a failed batch) starts from the same people.
    """

    def __init__(self) -> None:
        self._after: dict[int, dict[str, Entity]] = {}  # piece start → people named up to its end (text offsets)

    def before(self, start: int) -> dict[str, Entity]:
        """Copies of the people named before the piece at `start`, with offsets in that piece."""
        done = [s for s in self._after if s < start]
        return {k: p.shifted(-start) for k, p in self._after[max(done)].items()} if done else {}

    def keep(self, start: int, entities: Entities) -> None:
        """The people known at the end of the piece at `start` (its own and the earlier ones)."""
        self._after[start] = {k: p.shifted(start) for k, p in entities.people.items() if not p.is_org}


_BYLINE = re.compile(r"(?:By|BY|(?:Reporting|Writing|Editing|Additional reporting) by)\s")


def _in_byline(text: str, offset: int) -> bool:
    """Whether a name stands in a short line that credits the article (`By Tom Reddy`): its author,
    who is never the speaker of a quote in it."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start:end if end >= 0 else len(text)].strip()
    return bool(_BYLINE.match(line)) and len(line.split()) <= 12


def _titles(part: Span) -> set[str]:
    """Title words written inside the entity (`Senator Ann Lee`, `Sen. Ann Lee`, `Mr Justice Bo`)."""
    words = {fold(t.text).rstrip(".") for t in part}
    return {ABBREVIATIONS.get(w, w) for w in words if w in TITLES or w in ABBREVIATIONS}


def _same_words(full: list[str], short: list[str]) -> bool:
    """Folded name words equal, an initial standing for its word (`e macron`, `emmanuel macron`)."""
    return all(s == f or len(s) == 1 and f.startswith(s) for f, s in zip(full, short, strict=True))


def _org_name(text: str) -> str:
    return without_ticker(re.sub(r"^(?:the|The)\s+", "", text).removesuffix("’s").removesuffix("'s").strip())
