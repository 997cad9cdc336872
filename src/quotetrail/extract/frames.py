"""Reporting frames in a parsed article: a cue word, who it attributes to, and what it reports."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .cues import ATTACHABLE, BARE, CANDIDATE_POS, CLAUSE, OBJECT, PREP, REPORTING_WORDS, CueLexicon, frame_of

CUE_THRESHOLD = 0.3
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Children that belong to the subject phrase but not to the source mention.
_NOT_SOURCE = {"appos", "relcl", "acl", "punct", "cc", "advcl", "parataxis"}
_DASHES = {"-", "–", "—", "--"}
_NOT_NAMING = {"even", "both", "only", "also", "including", "and", "but"}
_CUE_LEFT = {"aux", "auxpass", "neg"}
_PERSONAL = {"he", "she", "they", "we", "i"}
_SPEAKER_IS_SUBJECT = {"quote"}  # `he was quoted as saying`
_IMPERSONAL = {"it", "this", "that", "which", "what", "there"}
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’']?\s+[\"“‘']?[A-Z]")
_CHAINED = {"conj", "advcl", "xcomp", "acl", "pcomp", "ccomp", "relcl"}


@dataclass
class Frame:
    """One reporting construction: cue, source and (when the parse shows it) content."""

    head: Token
    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: tuple[int, int] | None
    prob: float
    kind: str  # the frame type: clause, object, prep, bare, or according

    @property
    def sentence(self) -> Span:
        return self.head.sent


def _char_span(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _trimmed(tokens: list[Token]) -> list[Token]:
    """Drop edge punctuation and a leading complementizer."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space
                      or tokens[0].lower_ == "that" and tokens[0].dep_ == "mark"):
        if tokens[0].is_quote:
            break
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct and not tokens[-1].is_quote):
        tokens = tokens[:-1]
    return tokens


def phrase(tok: Token, exclude: set[str] = _NOT_SOURCE) -> tuple[int, int]:
    """Character span of a noun phrase headed by `tok`, without appositions or relative clauses."""
    left, right = tok.i, tok.i
    for child in tok.lefts:
        if child.dep_ not in exclude:
            left = min(left, child.left_edge.i)
    rights = list(tok.rights)
    for k, child in enumerate(rights):
        if child.dep_ in ("cc", "punct") and any(c.dep_ == "conj" for c in rights[k + 1:]):
            continue  # `Jason Dana, Robyn Dawes and Nathan Peters`
        if child.dep_ in exclude:
            break  # `Del. Stacey Plaskett of the Virgin Islands`: the name is the mention
        right = max(right, child.right_edge.i)
    doc = tok.doc
    while left > tok.sent.start and _title_like(doc[left - 1], doc[left]):
        left -= 1
    breaks = [i for i in range(left, right + 1) if "\n" in doc[i].text or _spaced_dash(doc[i])]
    left = max([i + 1 for i in breaks if i < tok.i], default=left)  # `BRUSSELS - European leaders`
    right = min([i - 1 for i in breaks if i > tok.i and "\n" in doc[i].text], default=right)
    while left < tok.i and (doc[left].lower_ in _NOT_NAMING or doc[left].lemma_ == "say"):
        left += 1  # `Even China`, `Both Mr. King and Mr. Schultz`, `Said Ellis`
    toks = _trimmed([doc[i] for i in range(left, right + 1)]) or [tok]
    return _char_span(toks)


def _spaced_dash(tok: Token) -> bool:
    """A dash with space around it (`BRUSSELS - European leaders`), not a hyphen (`Holtz-Eakin`)."""
    return tok.text in _DASHES and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_) and bool(tok.whitespace_)


def _title_like(tok: Token, nxt: Token) -> bool:
    """Whether `tok` continues a name's title leftwards: `President of`, `Azerbaijan’s`, `the`."""
    if tok.is_punct and tok.text not in ("’s", "'s") \
            or tok.pos_ in ("VERB", "AUX", "PRON", "NUM", "ADV", "CCONJ", "SCONJ"):
        return False
    if tok.lower_ == "of":
        return nxt.text[:1].isupper()
    if tok.pos_ == "DET":
        return tok.lower_ == "the" and nxt.text[:1].isupper()
    return tok.text[:1].isupper() or tok.text in ("’s", "'s")


def _subject(tok: Token) -> Token | None:
    """The subject nearest the verb (a headline parse may give it two)."""
    subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) > 1:  # `"… it will …," said James Acton`: the parse took a word of the quote too
        subjects = [c for c in subjects if c.lower_ not in _IMPERSONAL] or subjects
    before = [c for c in subjects if c.i < tok.i]
    return before[-1] if before else subjects[0] if subjects else None


def _source(tok: Token, depth: int = 0) -> Token | None:
    """Who a reporting word attributes to: its subject, a name right before it, the `by` agent,
    or the source of the verb it hangs on (`…, saying`, `said A and added B`)."""
    if tok.pos_ == "NOUN":
        return _noun_source(tok)
    if tok.dep_ == "conj" and tok.head.dep_ == "ccomp" and tok.head.head.lemma_ in REPORTING_WORDS and depth < 4:
        return _source(tok.head.head, depth + 1)  # `X stated that A and stated that B`: the parse hung it on A
    passive = tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in tok.children)
    if passive and tok.lemma_ not in _SPEAKER_IS_SUBJECT:
        return _agent(tok)  # `Asked about it, Clinton said`, `the veto is expected`: not the speaker
    src = _subject(tok) or _agent(tok)
    person = _adjacent_person(tok)
    if person is not None and (src is None or not _in_span(person, phrase(src))):
        src = person
    if src is None:
        src = _person_after(tok)  # `‘…,’ says hydrologist Dr Lena Moss`, when the parse lost the subject
    if src is None and tok.dep_ == "xcomp":
        src = _subject(tok.head)  # `the minister is expected to announce`: the minister announces
    if src is None and tok.dep_ in _CHAINED and tok.head.i != tok.i and depth < 4:
        head = tok.head.head if tok.dep_ == "pcomp" else tok.head  # `… by telling them that …`
        return _source(head, depth + 1)
    return src


def _agent(tok: Token) -> Token | None:
    """The `by X` of a passive reporting verb."""
    for child in tok.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _noun_source(tok: Token) -> Token | None:
    """The holder of a reporting noun: `his statement`, `Aliyev's claim`, `the statement by X`."""
    for child in tok.children:
        if child.dep_ == "poss":
            return child
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            for g in child.children:
                if g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.ent_type_ in ("PERSON", "ORG", "GPE")):
                    return g
    return None


def _cue_tokens(tok: Token, lex: CueLexicon, frame: str) -> list[Token]:
    """The cue span: the word with the auxiliaries, negation, adverbs and particle it keeps (`has also backed down`)."""
    subject = max([c.i for c in tok.lefts if c.dep_ in SUBJECT_DEPS or c.is_punct], default=-1)
    lo = min([c.i for c in tok.lefts if c.i > subject and c.dep_ in ATTACHABLE and lex.keeps(tok, c)], default=tok.i)
    hi = tok.i
    for child in tok.rights:
        if child.i == hi + 1 and child.dep_ in ATTACHABLE and (child.dep_ != "prep" or frame == PREP) \
                and lex.keeps(tok, child):
            hi = child.i
    return [tok.doc[i] for i in range(lo, hi + 1)]


def without_reporting_clauses(head: Token) -> list[Token]:
    """The clause under `head`, cut before a reporting clause hung inside it
    (`… and stated that …`, `…, telling reporters …`, `…, adding that …`)."""
    tokens = list(head.subtree)  # not always contiguous: the parser may leave a gap in a long sentence
    for inner in tokens:
        if inner.i > head.i and inner.dep_ in ("conj", "advcl") and inner.lemma_ in REPORTING_WORDS:
            cut = inner.left_edge.i
            while cut > head.i and head.doc[cut - 1].dep_ in ("cc", "punct"):
                cut -= 1
            return [t for t in tokens if t.i < cut]
    return tokens


def _clause_after(cue: Token, first: Token, clause: list[Token]) -> list[Token]:
    """A second clause of the cue's that the parse split off the first, beginning where it ends
    (`said he had tried to persuade his Cabinet | it would be “eccentric” …`)."""
    nxt = next((c for c in cue.rights if c.i > first.i and c.dep_ == "ccomp"), None)
    if nxt is None or not clause or nxt.left_edge.i != clause[-1].i + 1:
        return []
    return without_reporting_clauses(nxt)


def _without_time_of_report(cue: Token, tokens: list[Token]) -> list[Token]:
    """The clause without a date the parse hung on it from the cue's side (`said on Thursday it
    would …`, `said last week that …`): the day the words were said, not part of them."""
    first = tokens[0] if tokens else None
    if first is None or first.i != cue.i + 1 or first.dep_ not in ("prep", "npadvmod"):
        return tokens
    inner = [t for t in first.subtree if t.i != first.i or first.dep_ == "npadvmod"]
    if not inner or any(t.ent_type_ != "DATE" for t in inner):
        return tokens
    rest = [t for t in tokens if t.i > first.right_edge.i]
    return rest if any(t.dep_ in ("nsubj", "nsubjpass") for t in rest) else tokens


def _without_comment(tokens: list[Token]) -> list[Token]:
    """The reported clause without the writer's comment hung on its end after a comma: a participle
    (`… he cannot back the plan, dooming the bill`) or a non-restrictive relative clause
    (`… closing the depot, which is the oldest in the state`)."""
    while len(tokens) > 4:
        inside = {t.i for t in tokens}
        last = tokens[-1] if not tokens[-1].is_punct else tokens[-2]
        cut = None
        for tok in tokens:
            if tok.head.i not in inside or tok.head.i == tok.i or tok.right_edge.i < last.i:
                continue
            comma = tok.doc[tok.left_edge.i - 1] if tok.left_edge.i > tokens[0].i else None
            if comma is None or comma.text != "," or comma.i - tokens[0].i < 3:
                continue
            participle = tok.dep_ in ("advcl", "acl") and tok.tag_ == "VBG" and tok.left_edge.i == tok.i \
                and tok.lemma_ not in REPORTING_WORDS
            relative = tok.dep_ == "relcl" and tok.left_edge.lower_ in ("which", "who", "whose") \
                and not any(c.dep_ == "nsubj" and c.lower_ in _PERSONAL for c in tok.children)
            if participle or relative:
                cut = comma.i
                break
        if cut is None:
            return tokens
        tokens = [t for t in tokens if t.i < cut]
    return tokens


def _run_on(tokens: list[Token]) -> list[Token]:
    """A clause followed by `and` or `but` and then quoted words goes on through them (`she could not
    back the plan and then “explain it to the voters”`, which the parse hangs elsewhere); a clause
    ending on a conjunction without them loses it."""
    if not tokens:
        return tokens
    doc, sent = tokens[0].doc, tokens[-1].sent
    cc = tokens[-1].i if tokens[-1].dep_ == "cc" else tokens[-1].i + 1
    if cc >= sent.end or doc[cc].dep_ != "cc":
        return tokens
    i = cc + 1
    while i < sent.end and i - cc <= 2 and doc[i].dep_ == "advmod":
        i += 1
    if i < sent.end and doc[i].is_quote:
        close = next((j for j in range(i + 1, sent.end) if doc[j].is_quote), sent.end - 1)
        return tokens + [doc[j] for j in range(tokens[-1].i + 1, close + 1)]
    return tokens[:-1] if tokens[-1].i == cc and len(tokens) > 1 else tokens


def _content(tok: Token, frame: str, trim: bool = True) -> list[Token] | None:
    """The tokens of the reported content that `tok` governs in `frame` (`trim`: without the writer's
    comment on the end of a clause, `_without_comment`)."""
    if frame == CLAUSE:
        # `‘…’: X tells investors to prepare`: object and infinitive after the verb, not the quote before it
        objects = [c.i for c in tok.rights if c.dep_ == "dobj"]
        after = [c for c in tok.rights if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and objects
                 and objects[0] < c.i]
        for child in after[:1] or list(tok.children):
            if child.dep_ in ("ccomp", "parataxis", "acl") or child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
                first = child.left_edge
                if first.lower_ == "what" and first.head.i == child.i and first.dep_ in ("dobj", "attr"):
                    return None  # `staged what they call a "ghost shift"`: a free relative, not a report
                clause = _without_time_of_report(tok, without_reporting_clauses(child))
                clause += _clause_after(tok, child, clause)
                return _without_comment(clause) if trim else clause
    if frame == OBJECT:
        for child in tok.children:
            if child.dep_ == "dobj":
                predicate = [c for c in tok.children if c.i > child.i and (
                    c.dep_ in ("oprd", "xcomp") or c.dep_ == "prep" and c.lower_ == "as")]
                if child.lower_ == "what" and predicate and predicate[0].lower_ == "as" and child.i < tok.i:
                    return list(predicate[0].subtree)[1:] or None  # `what he described as the best job`
                if child.i < tok.i or child.tag_ in ("WP", "WDT"):
                    return None  # `what they call …`: the object is not reported content
                end = predicate[0].right_edge.i if predicate else child.right_edge.i
                return [t for t in tok.doc[child.left_edge.i:end + 1]]  # `called him divisive`, `cited X as Y`
    if frame == PREP:
        # `warned in May of “storm clouds”`: the object of its time is no content
        objects = [list(g.subtree) for child in tok.children if child.dep_ == "prep"
                   for g in child.children if g.dep_ in ("pobj", "pcomp")]
        timeless = [o for o in objects if not all(t.ent_type_ in ("DATE", "TIME") for t in o)]
        if timeless or objects:
            return (timeless or objects)[0]
    if frame == BARE and tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
        inner = {t.i for t in tok.subtree}  # `The economy, he said, is strong`
        return [t for t in tok.head.subtree if t.i not in inner]
    return None


def _according(tok: Token) -> Frame | None:
    """`according to X, …`: the source is X, the content is the clause it modifies."""
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    sent = tok.sent
    inner = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
    before = _trimmed([t for t in sent if t.i < tok.i and t.i not in inner])
    after = _trimmed([t for t in sent if t.i > max(inner) and t.i not in inner])
    body = after if len(after) >= len(before) else before
    if not body or src is None:
        return None
    return Frame(tok, _char_span([tok, to]), phrase(src), _char_span(body), 0.9, "according")


def near_source(frame: Frame, avoid: tuple[int, int]) -> tuple[int, int] | None:
    """A speaker mention next to the cue, outside `avoid` (the quote), for parses that lost the subject."""
    head = frame.head
    best = None
    for tok in head.sent:
        if avoid[0] <= tok.idx < avoid[1] or abs(tok.i - head.i) > 6 or tok.i == head.i:
            continue
        speaker_like = tok.ent_type_ == "PERSON" or tok.pos_ == "PRON" and tok.lower_ in _PERSONAL \
            or tok.dep_ in SUBJECT_DEPS
        if speaker_like and (best is None or abs(tok.i - head.i) < abs(best.i - head.i)):
            best = tok
    if best is None:
        return None
    if best.ent_type_ == "PERSON":  # the whole name, from the token that heads it
        while best.head.i != best.i and best.head.ent_type_ == "PERSON" and abs(best.head.i - best.i) <= 3:
            best = best.head
    return phrase(best)


def _in_span(tok: Token, span: tuple[int, int]) -> bool:
    return span[0] <= tok.idx < span[1]


def _adjacent_person(tok: Token) -> Token | None:
    """A name right before the cue (`… Ilham Aliyev stated`), for when the parse picked another subject."""
    i = min([c.i for c in tok.lefts if c.dep_ in _CUE_LEFT], default=tok.i) - 1
    doc = tok.doc
    while i >= 0 and doc[i].dep_ == "advmod":
        i -= 1
    if i >= 0 and doc[i].ent_type_ == "PERSON":
        return doc[i]
    return None


def _person_after(tok: Token) -> Token | None:
    """The head of a name within four words after a cue that follows a closing quotation mark, on its
    line (`‘…,’ says hydrologist Dr Lena Moss`)."""
    doc = tok.doc
    if tok.i == 0 or not doc[tok.i - 1].is_quote:
        return None
    for i in range(tok.i + 1, min(tok.i + 5, len(doc))):
        if "\n" in doc[i].text or doc[i].is_punct:
            return None
        if doc[i].ent_type_ == "PERSON":
            end = i
            while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
                end += 1
            return doc[end]
    return None


def _agency_tag(tok: Token, src: Token | None) -> bool:
    """`…, APA reports.`: a news agency's credit line, not an attribution."""
    if tok.lemma_ != "report" or src is None or src.ent_type_ != "ORG":
        return False
    after = tok.doc[tok.i + 1:tok.sent.end]
    return all(t.is_punct or t.is_space for t in after) and src.i > 0 and tok.doc[src.left_edge.i - 1].text == ","


def _in_paragraph(tok: Token, span: tuple[int, int], text: str) -> tuple[int, int] | None:
    """`span` clipped to the paragraph of `tok` (`text` is the doc's text): a parse may run a
    headline into the first paragraph."""
    lo = text.rfind("\n\n", 0, tok.idx)
    hi = text.find("\n\n", tok.idx)
    start, end = max(span[0], lo + 2 if lo >= 0 else 0), min(span[1], hi if hi >= 0 else len(text))
    while end > start and text[end - 1] in " \t\n.,;:":
        end -= 1
    return (start, end) if end > start else None


def _said_at_end(tok: Token, source: tuple[int, int], text: str) -> tuple[int, int] | None:
    """`Hospital to close maternity ward, health board says`: the content is all before the source
    (`text` is the doc's text)."""
    lo = text.rfind("\n", 0, tok.idx) + 1
    hi = text.find("\n", tok.idx)
    hi = len(text) if hi < 0 else hi
    if text[tok.idx + len(tok):hi].strip(" .\t") or source[0] <= lo:
        return None
    clause = text[lo:source[0]].rstrip(" ,:;–—-\t")
    if _SENTENCE_BREAK.search(clause):
        return None  # `A spokesman said the inquiry was continuing.`: not a headline's `…, X says`
    return (lo, lo + len(clause)) if len(clause.split()) >= 3 and clause.strip() else None


def find_frames(doc: Doc, lex: CueLexicon, threshold: float = CUE_THRESHOLD, trim: bool = True) -> list[Frame]:
    """Every reporting frame in `doc` whose cue probability reaches `threshold` (`trim`: clause contents
    without the writer's comment on their end, as the news guidelines want; PolNeAR keeps it)."""
    frames: list[Frame] = []
    text = doc.text  # built from the tokens at every call: once here
    for sent in doc.sents:
        quoted = any(t.is_quote for t in sent)
        frames.extend(_sentence_frames(sent, lex, threshold, quoted, text, trim))
    return frames


def _sentence_frames(sent: Span, lex: CueLexicon, threshold: float, quoted: bool, text: str,
                     trim: bool = True) -> list[Frame]:
    """The frames of one sentence (`quoted`: whether it holds a quotation mark)."""
    frames: list[Frame] = []
    for tok in sent:
        if tok.lower_ == "according":
            f = _according(tok)
            if f:
                frames.append(f)
            continue
        if tok.pos_ not in CANDIDATE_POS:
            continue
        frame = frame_of(tok)
        p = lex.prob(tok, frame, quoted)
        if p < threshold:
            continue
        content = _content(tok, frame, trim)
        content = _run_on(_trimmed(content)) if content else None
        if content and len(content) == 1 and (content[0].pos_ in ("PRON", "DET") or content[0].tag_ in ("WP", "WDT")):
            content = None  # `what they call …`, `said it`: no reported content
        src = _source(tok)
        if _agency_tag(tok, src):
            continue
        if src is not None and src.pos_ == "PRON" and src.lower_ in _IMPERSONAL and (not content or frame == BARE):
            continue
        frames.append(Frame(
            head=tok,
            cue=_char_span(_cue_tokens(tok, lex, frame)),
            source=phrase(src) if src is not None else None,
            content=(_in_paragraph(tok, _char_span(content), text) if content else None)
            or (_said_at_end(tok, phrase(src), text) if src is not None else None),
            prob=p,
            kind=frame,
        ))
    return frames
