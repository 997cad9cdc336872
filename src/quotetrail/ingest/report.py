"""The tally behind the summary line: what was read, what was not in English, and the `Skipped` inputs by kind."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Article, Skipped
from .paths import UNSUPPORTED

NAMED = 3  # files named in the summary for articles not in English, and unsupported files; the rest are counted


@dataclass
class Tally:
    """Counts of files, articles, split texts, articles not in English (by where they were read) and skips by kind.

    Articles not in English are still extracted; the summary names them because the engine reads English.
    """

    files: int = 0
    articles: int = 0
    pieces: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    bad: int = 0
    warnings: list[str] = field(default_factory=list)
    not_english: Counter = field(default_factory=Counter)
    unsupported: list[str] = field(default_factory=list)  # the first NAMED files in a format we do not read

    def add(self, item: Article | Skipped) -> None:
        """Count one article or one skip, and keep an article's decoding warning."""
        if isinstance(item, Skipped):
            self.skipped[item.kind] += 1
            self.bad += item.bad
            if item.kind == UNSUPPORTED and len(self.unsupported) < NAMED:
                self.unsupported.append(item.where)
            return
        self.articles += 1
        if item.meta.get("warning") and item.position in (None, 0):
            self.warnings.append(f"{item.origin or item.id}: {item.meta['warning']}")
        if item.source_id is not None:
            self.pieces[item.source_id] += 1
        if item.language is None:
            self.not_english[item.origin or item.id] += 1

    def summary(self) -> str:
        """One line: `read 12 articles from 3 files (1 text split into 2; 1 not in English: fr.txt); skipped 4: …`,
        the unsupported files of a directory named up to NAMED (`2 unsupported files (a.png, b.pdf)`)."""
        line = f"read {_plural(self.articles, 'article')} from {_plural(self.files, 'file')}"
        notes = []
        if self.pieces:
            notes.append(f"{_plural(len(self.pieces), 'text')} split into {sum(self.pieces.values())}")
        if self.not_english:
            names = list(self.not_english)
            more = f" and {len(names) - NAMED} more" if len(names) > NAMED else ""
            notes.append(f"{sum(self.not_english.values())} not in English: {', '.join(names[:NAMED])}{more}")
        if notes:
            line += f" ({'; '.join(notes)})"
        if self.skipped:
            kinds = ", ".join(_plural(n, kind) + (self._unsupported_named() if kind == UNSUPPORTED else "")
                              for kind, n in self.skipped.most_common())
            line += f"; skipped {sum(self.skipped.values())}: {kinds}"
        return line

    def _unsupported_named(self) -> str:
        """` (a.png, b.pdf, c.docx and 4 more)`: the files of a directory in formats we do not read."""
        more = self.skipped[UNSUPPORTED] - len(self.unsupported)
        return f" ({', '.join(self.unsupported)}{f' and {more} more' if more else ''})"


def _plural(n: int, noun: str) -> str:
    """`1 file`, `2 files`; a noun with a qualifier pluralises its head (`2 empty files`, `2 WARC records (…)`)."""
    if n == 1:
        return f"1 {noun}"
    head, sep, rest = noun.partition(" (")
    return f"{n} {head}s{sep}{rest}"
