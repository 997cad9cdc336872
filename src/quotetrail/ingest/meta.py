"""What an article says about itself: a stable id, its outlet, its date and its language."""
from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date as Date

from ..model import Article
from ..urls import outlet_of

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"  # an English month name
_MONTH = rf"(?P<month>{MONTH})"
_FULL_DATE = re.compile(rf"\b(?:{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>(?:19|20)\d\d)"
                        rf"|(?P<day2>\d{{1,2}}) (?P<month2>[A-Z][a-z]+\.?),? (?P<year2>(?:19|20)\d\d))\b")
# `BAKU, Azerbaijan, October 2 –`: places at the start of a line, then a month and a day.
DATELINE = re.compile(rf"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,3}}(?:, [A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,3}}){{0,2}}"
                      rf",? {_MONTH} (?P<day>\d{{1,2}})\b", re.M)
_HEADER_DATE = re.compile(r"\A\s*date:?\s+((?:19|20)\d\d-\d\d-\d\d)\b", re.I)
# a photo caption (`… is shown June 5, 2003 … (Photo by X/Getty Images)`) dates the picture, not the article
_CAPTION = re.compile(r"^.*(?:\((?:photo|picture|image)s?\b|\b(?:photo|picture|image)s?(?: credit)?:|getty images|"
                      r"\bpictured\b|/\s*(?:afp|ap|reuters|epa)\b).*$", re.I | re.M)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|-|$)")

ENGLISH = frozenset(
    "the a an and or but of to in on at for with from by as is are was were be been has have had not that "
    "this these those it its he she they we you i his her their our who which what said says will would "
    "there than then also after before about into over".split()
)


def article_id(url: str | None, text: str) -> str:
    """A stable id: the first 16 hex digits of the SHA-1 of the url and the text."""
    return hashlib.sha1(f"{url or ''}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _iso(year: int | str, month: int | str, day: int | str) -> str | None:
    """`YYYY-MM-DD` for a real calendar day (month as a number or an English name), else None."""
    if isinstance(month, str) and not month.isdigit():
        names = [m for m in MONTHS if m.startswith(month.rstrip(".").lower()[:3])]
        if not names:
            return None
        month = MONTHS.index(names[0]) + 1
    try:
        return Date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def date_from_url(url: str | None) -> str | None:
    """The date in a url path like `/2020/10/03/` or `/2020-10-03-`."""
    found = _URL_DATE.search(url or "")
    return _iso(*found.groups()) if found else None


def date_from_text(text: str, year: int | None = None) -> str | None:
    """The date the start of an article gives: a ` date 2020-10-03` header, a full date, or a dateline
    (photo captions left out).

    A dateline without a year (`BAKU, Azerbaijan, October 2 –`) takes `year` (from other evidence),
    or gives None.
    """
    head = _CAPTION.sub("", text[:600])
    header = _HEADER_DATE.match(head)
    if header:
        return _iso(*header.group(1).split("-"))
    full = _FULL_DATE.search(head)
    if full:
        g = full.groupdict()
        found = _iso(g["year"] or g["year2"], g["month"] or g["month2"], g["day"] or g["day2"])
        if found:
            return found
    line = DATELINE.search(head)
    return _iso(year, line["month"], line["day"]) if line and year else None


def language_of(text: str) -> str | None:
    """`"en"` when common English function words make up a fifth of the words, else None."""
    words = re.findall(r"[a-z]+", text[:20_000].lower())
    if len(words) < 5:
        return None
    return "en" if sum(w in ENGLISH for w in words) / len(words) >= 0.2 else None


def complete(article: Article, *, fetched: str | None = None) -> Article:
    """The article with what can be inferred filled in: id, outlet, date, language.

    The date comes from (in order) the article's own metadata, its text's header or dateline, its
    url, and last the `fetched` date of a crawl (ISO `YYYY-MM-DD`). The text is never changed.
    """
    year_hint = date_from_url(article.url) or fetched
    date = (article.date and article.date[:10]) or date_from_text(article.text, None) \
        or date_from_url(article.url) or date_from_text(article.text, _year_before(article.text, year_hint))
    return dataclasses.replace(
        article,
        id=article.id or article_id(article.url, article.text),
        outlet=article.outlet or outlet_of(article.url),
        date=date or fetched,
        language=article.language or language_of(article.text),
    )


def _year_before(text: str, hint: str | None) -> int | None:
    """The year that puts the text's yearless dateline on or before the `hint` date (a crawl or url date)."""
    if not hint:
        return None
    line = DATELINE.search(text[:600])
    dated = line and _iso(hint[:4], line["month"], line["day"])
    return int(hint[:4]) - 1 if dated and dated > hint[:10] else int(hint[:4])
