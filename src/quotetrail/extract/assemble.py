"""Join quotation-mark runs and reporting frames into direct, indirect and mixed candidates."""
from __future__ import annotations

import dataclasses
import re
from itertools import islice

from ..model import Candidate
from .frames import Frame, near_source
from .marks import QuotedRun

# An object or prepositional phrase is reported content less often than a clause: it needs a
# surer cue (`called the plan a failure` vs `staged what they call a "ghost shift"`).
_CONTENT_MIN = {"object": 0.55, "prep": 0.55}
MIN_UNATTRIBUTED_WORDS = 5   # a shorter quoted phrase with no cue is a label or scare quote
_WORD = re.compile(r"\w+")
_QUOTE_CHARS = "\"“”„‟«»‘’‚‹›'`"


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _at_most_words(text: str, n: int, lo: int = 0, hi: int | None = None) -> bool:
    """Whether `text[lo:hi]` holds at most `n` words; stops counting at the (n+1)th, so that a gap
    running over half the article costs no more than a short one."""
    found = _WORD.finditer(text, lo, len(text) if hi is None else hi)
    return next(islice(found, n, None), None) is None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _outer(run: QuotedRun) -> tuple[int, int]:
    """The run including its marks."""
    lo = min([run.start] + [s for s, _ in run.marks])
    hi = max([run.end] + [e for _, e in run.marks])
    return lo, hi


def _outside_words(text: str, content: tuple[int, int], runs: list[QuotedRun]) -> int:
    """Words of `content` that lie outside every run."""
    chars = list(text[content[0]:content[1]])
    for run in runs:
        lo, hi = _outer(run)
        for i in range(max(lo, content[0]), min(hi, content[1])):
            chars[i - content[0]] = " "
    rest = "".join(chars).strip(" ,.;:" + _QUOTE_CHARS)
    return _words(rest.removeprefix("that ").removeprefix("that"))


def _from_frame(text: str, frame: Frame, inside: list[QuotedRun]) -> list[Candidate]:
    """Direct or mixed candidates from a frame whose content holds quoted runs.

    `said that X: "…"` gives two: the indirect clause and the direct quote it introduces.
    """
    base = dict(frame=frame, cue=frame.cue, source=frame.source, confidence=frame.prob)
    lo_content = frame.content[0]
    for k, run in enumerate(inside):
        colon = text.rfind(":", lo_content, _outer(run)[0])
        if colon > lo_content and not text[colon + 1:_outer(run)[0]].strip():
            clause = (lo_content, colon)
            quoted = inside[k:]
            direct = Candidate("direct", [s for r in quoted for s in r.spans], runs=quoted, **base)
            if _at_most_words(text, 2, *clause):  # `Interview: ‘…,’ says X`: a heading, not a clause
                return [direct]
            return [Candidate("indirect", [clause], **base), direct]
    tail = text[_outer(inside[-1])[1]:frame.content[1]]
    if re.match(r"\s+[–—-]\s", tail) and _outside_words(text, (frame.content[0], _outer(inside[-1])[1]), inside) == 0:
        # `He concluded: ‘A’ – blaming his colleagues`: the words after the dash are the reporter's
        return [Candidate("direct", [s for r in inside for s in r.spans], runs=inside, **base)]
    if _outside_words(text, frame.content, inside) == 0 or _narration_before(text, frame, inside):
        return [Candidate("direct", [s for r in inside for s in r.spans], runs=inside, **base)]
    lo = min(frame.content[0], *(_outer(r)[0] for r in inside))
    hi = max(frame.content[1], *(r.end + (1 if r.closed else 0) for r in inside))
    return [Candidate("mixed", [(lo, hi)], runs=inside, **base)]


def _handed_on(text: str, frame: Frame, inside: list[QuotedRun], frames: list[Frame]) -> bool:
    """Whether the quoted sentence hung on the frame's clause after a comma has a cue of its own just
    after it (`X said the alarms were off, “It would have …” he said`)."""
    first, last = _outer(inside[0])[0], _outer(inside[-1])[1]
    if frame.cue[0] > first or not _lead(text, frame, inside).endswith(",") or not _opens_upper(text, inside[0]):
        return False
    return any(f is not frame and last <= f.cue[0] and _at_most_words(text, 2, last, f.cue[0])
               and not _ends_sentence(text[last:f.cue[0]]) for f in frames)


def _narration_before(text: str, frame: Frame, inside: list[QuotedRun]) -> bool:
    """`She called for help, “It was all smoke,” she said.` and `Still, “the link is unclear,” he said.`:
    with the cue after the quotation, words before its opening mark that end in a comma are the
    reporter's narration (a clause before a quoted sentence, or one adverb), not a reported clause
    with the speaker's words in it (`The plan was “dead on arrival,” she said`)."""
    last = _outer(inside[-1])[1]
    if frame.cue[0] < last or _outside_words(text, (last, frame.content[1]), inside) > 0:
        return False
    before = _lead(text, frame, inside)
    return before.endswith(",") and (_opens_upper(text, inside[0]) or _at_most_words(before, 1))


def _lead(text: str, frame: Frame, inside: list[QuotedRun]) -> str:
    """The words of the frame's content before the opening mark of its first quoted run."""
    return text[frame.content[0]:_outer(inside[0])[0]].rstrip()


def _opens_upper(text: str, run: QuotedRun) -> bool:
    """Whether the quoted words open with a capital: a sentence of their own, not a fragment."""
    return text[run.start:run.end].lstrip()[:1].isupper()


_QUOTE_OPEN = re.compile(r"[\"“„«]")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|St|Jr|Sr|Prof|Rev|Hon|Amb|No|vs|Inc|Co|Corp|Ltd|[A-Z])$")


def _ends_sentence(gap: str) -> bool:
    """Whether `gap` holds the end of a sentence (a full stop after `Ms` or an initial does not count)."""
    return any(m.group() == "\n" or not _ABBREVIATION.search(gap, 0, m.start()) for m in _SENTENCE_END.finditer(gap))


def _gap_words(text: str, lo: int, hi: int, blank: tuple[int, int] | None) -> str:
    """The text between `lo` and `hi` with the `blank` span (a source mention) left out."""
    gap = text[lo:hi]
    if blank and lo <= blank[0] and blank[1] <= hi:
        gap = text[lo:blank[0]] + text[blank[1]:hi]
    return gap


def _region_frame(text: str, run: QuotedRun, frames: list[Frame]) -> tuple[Frame | None, bool]:
    """The frame next to an unattributed run, and whether it introduces the run with a colon.

    Tried in order: `he said: "…"`, `"…," he said`, `he said, "…"`, and a sentence
    ending in a colon just before the run's paragraph.
    """
    lo, hi = _outer(run)
    before, colon, after = [], [], []
    for f in frames:
        if f.cue[1] <= lo:
            gap = _gap_words(text, f.cue[1], lo, f.source)
            if _ends_sentence(gap.rstrip()) or _QUOTE_OPEN.search(gap):
                continue
            if gap.rstrip().endswith(":") and _at_most_words(gap, 8):
                colon.append(f)
            elif re.fullmatch(r"[\s,]*(?:that\s*)?", gap):
                before.append(f)
        # not `“A”, I said that B`
        elif f.head.idx >= hi and (not (f.kind == "clause" and f.content and f.content[0] > f.head.idx)
                                   or re.match(r"\s*:", text[hi:f.head.idx])):
            if not _at_most_words(text, 6, hi, f.head.idx):
                continue
            gap = text[hi:f.head.idx]
            if not _ends_sentence(gap.rstrip()) and not _QUOTE_OPEN.search(gap):
                after.append(f)
    if colon:
        return colon[-1], True
    headline = [f for f in after if re.match(r"\s*:", text[hi:f.head.idx])]
    if headline:  # `‘A’: X tells investors to prepare`: X's words, and X's frame keeps its own clause
        return headline[0], True
    if after:
        return after[0], False
    if before:
        return before[-1], False
    intro = [f for f in frames if f.head.idx < lo and re.fullmatch(r"[^.!?\n\"“”]*:\s*", text[f.head.idx:lo])]
    return (intro[-1], True) if intro else (None, False)


def _continues(text: str, prev: Candidate, run: QuotedRun) -> bool:
    """True when `run` follows `prev` with nothing but its frame between (`"A," he said. "B."`)."""
    gap_lo, gap_hi = prev.end, _outer(run)[0]
    if gap_hi < gap_lo or prev.kind != "direct" or "\n" in text[gap_lo:gap_hi].strip():
        return False
    if prev.frame is not None and _at_most_words(text, 40, gap_lo, gap_hi):
        # `"A," said X, a lawyer who … . "B."`: the frame between the two runs
        beside = gap_lo <= prev.frame.head.idx < gap_hi \
            and not text[prev.frame.sentence.end_char:gap_hi].strip(" " + _QUOTE_CHARS)
        if beside or not _at_most_words(text, MIN_UNATTRIBUTED_WORDS - 1, run.start, run.end):
            return True  # `"A," X said after the meeting. He did not elaborate. "B."`: still X speaking
    gap = list(text[gap_lo:gap_hi])
    for span in (prev.cue, prev.source):
        if span:
            for i in range(max(span[0], gap_lo), min(span[1], gap_hi)):
                gap[i - gap_lo] = " "
    return _at_most_words("".join(gap), 6)  # the venue or a time may stand beside the frame


def _reports_content(frame: Frame) -> bool:
    """Whether the frame's own content is a quotation (else it may still introduce one beside it)."""
    return frame.content is not None and frame.prob >= _CONTENT_MIN.get(frame.kind, 0.0)


def _within(offset: int, bounds: list[tuple[int, int]]) -> bool:
    return any(lo <= offset < hi for lo, hi in bounds)


def assemble(text: str, runs: list[QuotedRun], frames: list[Frame]) -> list[Candidate]:
    """Direct, indirect and mixed candidates, one per attributed passage, in text order.

    Frames inside a quotation are the speaker's own words, not the article's
    attributions: they only serve quotes nested in that quotation.
    """
    top = [r for r in runs if not r.depth]
    bounds = [_outer(r) for r in top]  # read for every frame: once here
    narrative = [f for f in frames if not _within(f.head.idx, bounds)]
    out: list[Candidate] = []
    used_runs: set[int] = set()
    used_frames: set[int] = set()
    for frame in narrative:  # frames that report a quoted passage: direct or mixed
        if not _reports_content(frame):
            continue
        inside = [r for r, outer in zip(top, bounds, strict=True)
                  if id(r) not in used_runs and _overlaps(outer, frame.content)]
        if inside and _handed_on(text, frame, inside, narrative):
            # `X said the alarms were off, “It would have …” he said`: the clause, then a quote of its own
            narrative[narrative.index(frame)] = dataclasses.replace(
                frame, content=(frame.content[0], text.rindex(",", frame.content[0], _outer(inside[0])[0])))
            continue
        if inside:
            out.extend(_from_frame(text, frame, inside))
            used_runs.update(id(r) for r in inside)
            used_frames.add(id(frame))
    for run in runs:  # quoted passages with the frame beside them
        if id(run) in used_runs:
            continue
        pool = [f for f in narrative if id(f) not in used_frames or f.content is None]
        if run.depth:  # a quote inside a quote needs its own frame inside the outer quote
            outer = next((r for r in top if r.start <= run.start and run.end <= r.end), None)
            pool = [f for f in frames if outer and outer.start <= f.head.idx < outer.end]
        frame, introduces = _region_frame(text, run, pool)
        if frame is None:
            colon = [f for f in narrative if id(f) in used_frames]
            frame, introduces = _region_frame(text, run, colon)
            if not introduces:
                continue
        outer = _outer(run)
        source = frame.source if frame.source and not _overlaps(frame.source, outer) else near_source(frame, outer)
        out.append(Candidate("direct", list(run.spans), frame=frame, cue=frame.cue, source=source,
                             confidence=min(0.95, frame.prob), runs=[run]))
        used_runs.add(id(run))
        if not (introduces and frame.content and not _overlaps(frame.content, _outer(run))):
            used_frames.add(id(frame))  # a colon-introducing frame keeps its own clause
    for frame in narrative:  # reported speech without quotation marks
        if id(frame) not in used_frames and _reports_content(frame):
            out.append(Candidate("indirect", [frame.content], frame=frame, cue=frame.cue,
                                 source=frame.source, confidence=frame.prob))
    out.sort(key=lambda c: c.start)
    for run in top:  # continuation runs and unattributed quotations
        if id(run) in used_runs:
            continue
        prev = next((c for c in reversed(out) if c.end <= run.start), None)
        if prev is not None and _continues(text, prev, run):
            prev.spans.extend(run.spans)
            prev.runs.append(run)
        elif not _at_most_words(text, MIN_UNATTRIBUTED_WORDS - 1, run.start, run.end):
            out.append(Candidate("direct", list(run.spans), confidence=0.3, runs=[run]))
            out.sort(key=lambda c: c.start)
    return _drop_nested(text, out)


def _medium_of(text: str, inner: Candidate, outer: Candidate) -> bool:
    """Whether `outer`'s content is `inner`'s noun frame and its content (`said in a statement that X`)."""
    return inner.kind == "indirect" and inner.cue is not None and inner.frame is not None \
        and inner.frame.head.pos_ == "NOUN" and outer.start <= inner.cue[0] and inner.start > outer.start \
        and inner.end == outer.end and _at_most_words(text, 2, outer.start, inner.cue[0])


def _drop_nested(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per passage: an indirect frame inside a direct quote is the speaker's own
    speech, and `said in a statement that X` is one report of X (the verb's frame, the noun's content)."""
    direct = [c for c in cands if c.kind in ("direct", "mixed")]
    keep = []
    for c in cands:
        if c.kind == "indirect" and any(d is not c and d.start <= c.start and c.end <= d.end for d in direct):
            continue
        keep.append(c)
    for outer in [c for c in keep if c.kind == "indirect"]:
        medium = next((c for c in keep if c is not outer and _medium_of(text, c, outer)), None)
        if medium is not None:
            outer.spans = list(medium.spans)
            keep.remove(medium)
    return keep

