"""Cleaning an article's text: mojibake, white space, invisible characters and page furniture.

The cleaned text is what `Article.text` holds, so every later offset indexes it; nothing here keeps
a map to the bytes as read.
"""
from __future__ import annotations

import re

# Windows-1252 as Python decodes it, and the five bytes it leaves undefined as their C1 controls.
_CP1252 = {(bytes([b]).decode("cp1252", errors="ignore") or chr(b)): b for b in range(256)}
_CONT = "[" + re.escape("".join(c for c, b in _CP1252.items() if 0x80 <= b <= 0xBF)) + "]"
_MOJIBAKE = re.compile(f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}")

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# Whole lines that are page furniture, not article text (matched case-insensitively, stripped).
FURNITURE = re.compile(
    r"(share|share this( article| story| page)?|share on \w+( and \w+)?|tweet|print|e-?mail|comments?"
    r"|advertisement|sponsored( content)?|subscribe\b.{0,60}|sign up\b.{0,60}newsletter.{0,30}"
    r"|follow us on\b.{1,40}|click here\b.{0,60}|(we|this (web)?site) uses? cookies\b.{0,200}"
    r"|accept( all)?( cookies)?|cookie (settings|policy|preferences)|skip to (main )?content|back to top"
    r"|home ?[>/»|›] ?.{1,80})[.!:]?",
    re.I,
)
# Furniture lines that can also mark where one article ends and another begins (see clean_marked):
# the marker alone, or followed by a colon and a linked headline.
MARKERS = re.compile(r"(read more|related( articles| stories| news)?|also read|read also|more on this( story)?"
                     r"|you may also like|recommended( for you| stories)?)( ?[:|] ?.{1,120}| ?[.»›>]*)", re.I)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate (a JSON `"\\ud800"` carries one in; no encoding can) replaced by
    U+FFFD, one character for one, so that offsets into it stay those of the original."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 read as Windows-1252 (`â€œ` → `“`, `Ã©` → `é`), one sequence at a time.

    A sequence is replaced only when its Windows-1252 bytes form valid UTF-8, so correct text with
    accented letters is left alone.
    """
    def repair(match: re.Match) -> str:
        try:
            return bytes(_CP1252[c] for c in match.group()).decode("utf-8")
        except UnicodeDecodeError:
            return match.group()

    # `â€` left over is a right double quote whose third byte (0x9D, undefined in 1252) was lost.
    return _MOJIBAKE.sub(repair, text).replace("\u00e2\u20ac", "\u201d")


def normalise_space(text: str) -> str:
    """Line ends to `\\n`, invisible characters out, runs of spaces (NBSP too) to one space, lines stripped."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def clean(text: str) -> str:
    """The article text with mojibake fixed, white space normalised and furniture lines dropped."""
    return clean_marked(text)[0]


def clean_marked(text: str) -> tuple[str, list[int]]:
    """The cleaned text, and the offsets in it where a `Read more`/`Related` block was dropped.

    A block is the marker line and, when they are all short link-like lines, the rest of its
    paragraph (the teasers). The offsets are hints for the splitter: another article may start there.
    """
    lines = normalise_space(fix_mojibake(text)).split("\n")
    kept: list[str] = []
    marks: list[int] = []
    size = 0  # where the next kept line starts in the output
    i = 0
    while i < len(lines):
        line = lines[i]
        if MARKERS.fullmatch(line):
            i += 1
            while i < len(lines) and lines[i] and _is_teaser(lines[i]):
                i += 1
            marks.append(size)
            continue
        i += 1
        if FURNITURE.fullmatch(line) or (not line and (not kept or not kept[-1])):
            continue
        kept.append(line)
        size += len(line) + 1
    while kept and not kept[-1]:
        kept.pop()
    cleaned = "\n".join(kept)
    return cleaned, sorted({min(m, len(cleaned)) for m in marks})


def _is_teaser(line: str) -> bool:
    """A short line without a sentence end: the headline of a linked story."""
    return len(line.split()) <= 16 and not line.endswith((".", "!", "?", ".”", '."'))
