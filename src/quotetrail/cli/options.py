"""Options shared by the commands, as decorators: one name, one meaning and one help text each."""
from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable

import click

from ..store.query import MAX_INT

FORMATS = ("table", "jsonl", "csv", "json")


class TextType(click.ParamType):
    """A string that must be valid UTF-8: a query, a name, an id. Bytes that are not UTF-8 reach
    Python as lone surrogates (surrogateescape), which SQLite cannot take; they are refused here,
    shown as the bytes they were."""

    name = "text"

    def convert(self, value, param, ctx):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = repr(os.fsencode(value))[1:]
            self.fail(f"{shown} is not valid UTF-8", param, ctx)
        except AttributeError:
            pass
        return value


TEXT = TextType()

db_option = click.option(
    "--db", "db_path", default="quotetrail.db", show_default=True, metavar="FILE", envvar="QUOTETRAIL_DB",
    help="The quote database (SQLite) [env: QUOTETRAIL_DB].")

jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=0), default=0,
    help="Worker processes for extraction, forked with the model loaded (about 250 MB each) "
         "[default: 0, one per core].")

conventions_option = click.option(
    "--conventions", type=click.Choice(("news", "polnear")), default="news", show_default=True,
    help="What counts as a quotation: news (the project's guidelines: only speech) or polnear "
         "(PolNeAR's: every attribution, noun-phrase objects too).")

by_option = click.option(
    "--by", type=TEXT, metavar="NAME", help="Who makes the correction [default: your login name].")

note_option = click.option(
    "--note", "note_text", type=TEXT, metavar="TEXT",
    help="Why: a source, a reason, a ticket (kept with the correction).")


def limit_option(default: int = 20, rows: str = "rows") -> Callable:
    """`--limit N`: at most N `rows`, 0 for all; beyond SQLite's integers a usage error."""
    return click.option("--limit", type=click.IntRange(min=0), default=default, show_default=True,
                        help=f"At most this many {rows}; 0: all.", callback=lambda ctx, param, value: _storable(value))


def _storable(value: int) -> int:
    """An integer SQLite can take: `--limit 10**30` is an error, not an overflow inside SQLite."""
    if value > MAX_INT:
        raise click.BadParameter(f"{value} is too large (at most {MAX_INT:,}; 0 means all)")
    return value


min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="P",
    callback=lambda ctx, param, value: _number_or_none(value),
    help="Only quotes whose confidence (the calibrated probability that quote and speaker are right) is at least P.")


def _number_or_none(value: float | None) -> float | None:
    """`nan` passes a FloatRange (every comparison with it is false) and would match nothing."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a probability")
    return value


def format_option(*choices: str, default: str | None = None) -> Callable:
    """`--format` with the given choices of FORMATS; unset, a table on a terminal and `default`
    (jsonl unless given) in a pipe."""
    machine = default or "jsonl"
    return click.option(
        "--format", "fmt", type=click.Choice(choices or FORMATS), default=None,
        help=f"Output format [default: table on a terminal, {machine} otherwise].",
        callback=lambda ctx, param, value: value or _default_format(machine))


def _default_format(machine: str) -> str:
    return "table" if sys.stdout.isatty() else machine


def input_options(command: Callable) -> Callable:
    """PATH… arguments, --input FILE… and --split/--no-split: what `extract` and `ingest` read."""
    for decorator in reversed((
        click.argument("paths", nargs=-1, type=str, metavar="[PATH]..."),
        click.option("--input", "inputs", multiple=True, metavar="FILE",
                     help="A JSONL or CSV file of records (`id`, `text` or `html`, optional `url`, `outlet`, "
                          "`date`, `title`); may be repeated."),
        click.option("--split/--no-split", default=None,
                     help="Split merged articles [default: texts, HTML and WARC pages yes; JSONL/CSV records no]."),
    )):
        command = decorator(command)
    return command
