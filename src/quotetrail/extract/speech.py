"""Only speech is a quotation: the candidates whose frame reports no utterance, dropped (`news` conventions).

The frames find every attribution the cue model scores, as PolNeAR annotates them: beliefs,
findings, topic objects, hedged and negated reports. The project's guidelines for news keep only
speech and writing. `not_speech` applies the rules below, in order, to indirect and mixed
candidates (a direct quotation is someone's words whatever its frame) and names the rule a
candidate falls under; `verdicts` judges a text's candidates together, adding the one rule that
needs the others (`nested`).

- `topic object`: a plain noun-phrase object without quoted words (`denied the charges`,
  `said over Twitter`), unless it carries a predicate or a clause (`called the plan a failure`,
  `cited X as a reason`, `denied reports it had sold`, `suggested breaking up the court`);
- `action`: an infinitive after a verb that reports no speech act (`plans to leave`, `continued to
  fight`), unlike `urged them to leave`, `promised to vote`;
- `finding`: research findings (`the study found`, `researchers showed`), not `the study says`;
- `market`: market and measurement verbs and subjects (`shares declined`, `prices rose`);
- `hedged`: a modal or hedge on the cue (`might say`, `could argue`, `seems to suggest`), or `if`;
- `negated`: a negated report (`never stated that`, `declined to say`);
- `hearsay`: reports by others (`there were reports that he says`, `it is rumoured that`);
- `author`: the writer's own voice (`I think the council should …`, `we believe`): first person
  outside quotation marks reports nobody else's words;
- `nested`: a report inside another report's clause (`Baier noted that Biden had released a
  statement saying that …`): speech nested in a quotation, which the guidelines leave out.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from ..model import Candidate
from .cues import OBJECT, PREP

_WORDS = re.compile(r"\w+")
_QUOTE_CHARS = set("\"“”„‟«»‘’‚‹›")
# Verbs whose infinitive complement is the content of a speech act (`urged them to leave`).
SPEECH_ACT_INFINITIVE = frozenset({
    "tell", "ask", "urge", "advise", "warn", "order", "promise", "vow", "pledge", "threaten", "offer",
    "agree", "encourage", "invite", "instruct", "demand", "request", "beg", "appeal", "remind", "recommend",
    "propose", "call", "say", "claim", "hope", "swear", "caution", "implore", "command", "direct", "announce",
    "suggest", "advocate", "deny", "admit", "mention", "recall", "report",
})
# Verbs that report a finding, never an utterance.
FINDING_VERBS = frozenset({"find", "discover", "examine"})
# Verbs that report a finding when their subject is research (`the data show`, `the study suggests`).
RESEARCH_VERBS = frozenset({"show", "reveal", "demonstrate", "indicate", "suggest", "confirm", "observe",
                            "conclude", "estimate", "predict", "link", "associate", "prove"})
RESEARCH_NOUNS = frozenset({"study", "research", "researcher", "scientist", "analysis", "survey", "poll", "data",
                            "paper", "finding", "result", "evidence", "trial", "experiment", "review", "model",
                            "figure", "statistic", "test", "datum"})
# Market and measurement: movement verbs, and subjects that are quantities.
MARKET_VERBS = frozenset({"decline", "rise", "fall", "drop", "climb", "gain", "jump", "slip", "slide", "surge",
                          "soar", "plunge", "tumble", "sink", "rebound", "rally", "edge", "lose", "increase",
                          "decrease", "grow", "shrink", "contract", "total", "dip", "spike", "trade",
                          "close", "open", "end", "finish", "outperform", "underperform", "measure", "weigh"})
MARKET_NOUNS = frozenset({"share", "stock", "price", "index", "market", "yield", "bond", "currency", "revenue",
                          "sale", "profit", "earning", "output", "inflation", "rate", "cost", "value", "volume",
                          "temperature", "level", "number", "figure", "percentage", "unemployment", "gdp"})
_MODALS = frozenset({"might", "may", "could", "can", "should", "must", "would", "ca", "wo"})
HEDGE_VERBS = frozenset({"seem", "appear", "look"})
NEGATIVE_VERBS = frozenset({"decline", "refuse", "fail"})
HEARSAY_NOUNS = frozenset({"report", "rumour", "rumor", "speculation", "claim", "allegation", "suggestion",
                           "word", "gossip", "talk"})
_HOLDER_PREPS = ("by", "from", "of")
# Prepositions of means and time: their clause is an adjunct, not what the cue reports (`released a statement
# after appearing on TV`).
_ADJUNCT_PREPS = frozenset({"by", "after", "before", "during", "since", "until", "while", "despite", "following"})
# `according to X` with X one of these is a measurement, not anyone's words (`according to the bank's calculations`).
MEASUREMENT_NOUNS = frozenset({"calculation", "estimate", "figure", "data", "datum", "statistic", "forecast",
                               "projection", "count", "tally", "record", "measurement", "reading", "chart"})
# Verbs that continue a quotation when one follows (`he continued: "…"`) but report nothing without it.
CONTINUE_VERBS = frozenset({"continue", "go"})
FIRST_PERSON = frozenset({"i", "we"})
# Attitudes, not speech acts: reported only with a specific holder (`the minister fears that …`).
ATTITUDE_VERBS = frozenset({"fret", "worry", "fear", "think", "believe", "feel", "hope", "expect", "wonder",
                            "doubt", "suspect", "assume", "agonize", "agonise", "obsess"})


def verdicts(candidates: list[Candidate], text: str) -> list[tuple[Candidate, str | None]]:
    """Each candidate of the parsed `text` with the rule under which it reports no speech, or None
    when it does (a report nested in one that is itself no speech, `is expected to announce that`,
    stands). `text` is the doc's, passed in: `doc.text` joins every token at every call."""
    judged = [(c, not_speech(c, text)) for c in candidates]
    speech = [c for c, rule in judged if rule is None and c.kind in ("indirect", "mixed")]
    return [(c, rule or ("nested" if any(_nested(c, o, text) for o in speech) else None)) for c, rule in judged]


def _nested(inner: Candidate, outer: Candidate, text: str) -> bool:
    """Whether `inner` is a report inside `outer`'s reported clause, its cue well inside it (not
    `said in a statement that …`, where the outer's content is the inner's own frame)."""
    if inner is outer or inner.kind not in ("indirect", "mixed") or inner.cue is None:
        return False
    if not (outer.start <= inner.start and inner.end <= outer.end) or outer.spans == inner.spans:
        return False
    return len(_WORDS.findall(text, outer.start, max(outer.start, inner.cue[0]))) > 2


def not_speech(cand: Candidate, text: str) -> str | None:
    """The rule under which `cand` of the parsed `text` reports no speech (see the module), or None when it does."""
    frame = cand.frame
    if frame is None or cand.kind == "direct":
        return None
    if frame.kind == "according":
        return "measurement" if _measurement(_mention(frame)) else None
    head = frame.head
    if cand.kind == "indirect" and frame.kind in (OBJECT, PREP) and _topic_object(head, cand, text):
        return "topic object"
    if frame.kind == "clause" and _action(head) or frame.kind == "bare" and head.lemma_ in CONTINUE_VERBS:
        return "action"
    if frame.source is None and _purpose_infinitive(head):
        return "inference"
    subject = _mention(frame) or _subject(head)
    if head.lemma_ in FINDING_VERBS or head.lemma_ in RESEARCH_VERBS and _is(subject, RESEARCH_NOUNS):
        return "finding"
    if head.pos_ != "NOUN" and (head.lemma_ in MARKET_VERBS or _is(subject, MARKET_NOUNS)):
        return "market"
    if head.lemma_ in ATTITUDE_VERBS and _generic(subject):
        return "generic"
    if _hedged(head):
        return "hedged"
    if _negated(head):
        return "negated"
    if _hearsay(head, frame.source is None):
        return "hearsay"
    if frame.source is not None and text[slice(*frame.source)].strip().lower() in FIRST_PERSON:
        return "author"
    return None


def _quoted(cand: Candidate, text: str) -> bool:
    """Whether the content holds a quotation mark (an apostrophe between letters, `Fed’s`, is none)."""
    return any(text[i] in _QUOTE_CHARS and not _apostrophe(text, i) for s, e in cand.spans for i in range(s, e))


def _apostrophe(text: str, i: int) -> bool:
    return text[i] in "’'" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _topic_object(head: Token, cand: Candidate, text: str) -> bool:
    """A plain noun phrase after the cue: no quoted words, no predicate, no clause in it."""
    if _quoted(cand, text):
        return False
    if any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in head.children):
        return False  # `called the situation a tragedy`, `told them to leave`
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in head.children):
        return False  # `cited inflation as a reason`
    objects = [c for c in head.children if c.dep_ == "dobj"]
    objects += [g for c in head.children if c.dep_ == "prep" and c.i > head.i and c.lower_ not in _ADJUNCT_PREPS
                for g in c.children if g.dep_ in ("pobj", "pcomp")]  # not `by employing metaphors`, `after appearing`
    for obj in objects:
        if obj.pos_ in ("VERB", "AUX") or obj.dep_ == "pcomp":
            return False  # `suggested breaking up the court`, `talked about leaving`
        if any(c.dep_ in ("acl", "ccomp") and _clause(c) for c in obj.children):
            return False  # `denied reports it had sold the unit`
    return True


def _measurement(noun: Token | None) -> bool:
    """`the bank's calculations`, not `data from the statistics office` (an organisation's release)."""
    return _is(noun, MEASUREMENT_NOUNS) and not any(c.dep_ == "prep" and c.lower_ in ("from", "by")
                                                    for c in noun.children)


def _generic(subject: Token | None) -> bool:
    """A bare plural common noun, a generic collective (`investors fretted`), not `the investors`, `Quell's staff`."""
    return subject is not None and subject.tag_ == "NNS" and not subject.ent_type_ \
        and not any(c.dep_ in ("det", "poss", "nummod", "compound", "amod") for c in subject.children)


def _purpose_infinitive(head: Token) -> bool:
    """`there was enough in the speech to suggest …`: an infinitive of purpose or degree, nobody's report."""
    return head.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)


def _clause(tok: Token) -> bool:
    """A finite clause or one with its own subject: `(reports) it had sold`, `(the claim) that …`."""
    return any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in tok.children)


def _action(head: Token) -> bool:
    """The content is an infinitive of a verb that reports no speech act (`plans to leave`)."""
    if any(c.dep_ in ("ccomp", "parataxis") for c in head.children):
        return False
    infinitive = any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in head.children)
    return infinitive and head.pos_ != "NOUN" and head.lemma_ not in SPEECH_ACT_INFINITIVE


def _mention(frame) -> Token | None:
    """The head word of the frame's source mention (`Shares of X` → `Shares`)."""
    if frame.source is None:
        return None
    span = frame.head.doc.char_span(*frame.source, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _subject(head: Token) -> Token | None:
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and head.dep_ in ("xcomp", "conj") and head.head.i != head.i:
        subjects = [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subjects[0] if subjects else None


def _is(tok: Token | None, nouns: frozenset[str]) -> bool:
    return tok is not None and tok.lemma_.lower() in nouns


def _hedged(head: Token) -> bool:
    """A modal or hedge on the cue, or on the verb it is the infinitive of; a conditional `if`."""
    for tok in (head, head.head) if head.dep_ == "xcomp" else (head,):
        if tok.lemma_ in HEDGE_VERBS and tok is not head:
            return True
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in tok.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            return True
    return head.lemma_ in HEDGE_VERBS


def _negated(head: Token) -> bool:
    """`did not say`, `never stated`, `declined to say`, `would not want to say`."""
    for tok in (head, head.head) if head.dep_ == "xcomp" else (head,):
        if any(c.dep_ == "neg" or c.lower_ == "never" for c in tok.children):
            return True
        if tok is not head and tok.lemma_ in NEGATIVE_VERBS:
            return True
    return False


def _hearsay(head: Token, no_source: bool) -> bool:
    """A report by others: a hearsay noun with no holder (`there were reports that`), a frame
    inside the clause of one, or an impersonal passive (`it is rumoured that`)."""
    if head.pos_ == "NOUN":
        return no_source and head.lemma_ in HEARSAY_NOUNS and not _holder(head)
    if any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in head.children):
        return True
    tok = head
    while tok.head.i != tok.i and tok.dep_ in ("ccomp", "acl", "conj", "xcomp", "advcl", "relcl"):
        tok = tok.head
        if tok.pos_ == "NOUN" and tok.lemma_ in HEARSAY_NOUNS and not _holder(tok):
            return True
    return False


def _holder(noun: Token) -> bool:
    """Whether a reporting noun names whose it is: `his claim`, `reports by the BBC`."""
    return any(c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ in _HOLDER_PREPS
               and any(g.dep_ == "pobj" for g in c.children) for c in noun.children)
