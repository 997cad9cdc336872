"""What the commands print: rows in every format, progress on a terminal, messages and errors in one shape.

Rows (dicts) go to stdout through `emit`, the one output path of every listing command; messages
go to stderr as `quotetrail: …` lines; every error the user can act on is a `QuotetrailError`:
one line `quotetrail: error: …` and exit code 2.
"""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar

from ..store import StoreError
from .render import Column, table

if TYPE_CHECKING:
    from ..model import Skipped

PREFIX = "quotetrail:"


class QuotetrailError(click.ClickException):
    """An error the user can act on: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: IO | None = None) -> None:
        click.echo(f"{PREFIX} error: {one_line(self.message)}", err=True)


# Characters that would break the one line of a message (or hide part of it): C0 and C1 controls,
# line and paragraph separators, lone surrogates (bytes that were not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(message: str) -> str:
    """`message` with its control characters escaped (`\\n`, `\\x1e`): one line whatever it quotes."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], message)


def note(message: str) -> None:
    """One line on stderr: `quotetrail: message`."""
    click.echo(f"{PREFIX} {one_line(message)}", err=True)


def report(skipped: Iterable[Skipped], summary: str, warnings: Iterable[str] = ()) -> None:
    """One stderr line per bad input and per warning, then the summary line."""
    for s in skipped:
        note(f"skipped {s}")
    for warning in warnings:
        note(f"warning: {warning}")
    note(summary)


def plural(n: int, noun: str) -> str:
    """`1 quote`, `3 quotes`."""
    return f"{n:,} {noun}{'s' * (n != 1)}"


def console(stderr: bool = False) -> Console:
    """A rich console as wide as the terminal; 120 columns in a pipe or a log."""
    out = Console(stderr=stderr, highlight=False)
    return out if out.is_terminal else Console(stderr=stderr, highlight=False, width=120)


def emit(rows: Iterable[dict], fmt: str, columns: Sequence[Column] = (), *, fields: Sequence[str] | None = None,
         out: IO[str] | None = None) -> int:
    """Write `rows` in `fmt` and return how many: `table` (the `columns`, fitted to the terminal),
    `jsonl` (one object a line), `json` (one array) or `csv` (a header of `fields`, else of the
    first row's keys; lists and objects as JSON). All but the table stream row by row."""
    if fmt == "table":
        rows = list(rows)
        view = console()
        view.print(table(rows, columns, view.width))
        return len(rows)
    out = out or sys.stdout
    writer = _WRITERS[fmt](out, fields)
    n = 0
    for row in rows:
        writer.send(row)
        n += 1
    writer.close()
    return n


def emit_object(obj: dict) -> None:
    """One JSON object on stdout, indented: metrics, stats."""
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def _jsonl(out: IO[str], fields: Sequence[str] | None) -> Iterator[None]:
    while True:
        row = yield
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _json(out: IO[str], fields: Sequence[str] | None) -> Iterator[None]:
    out.write("[")
    first = True
    try:
        while True:
            row = yield
            out.write(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
            first = False
    finally:
        out.write("\n]\n" if not first else "]\n")


def _csv(out: IO[str], fields: Sequence[str] | None) -> Iterator[None]:
    writer = None
    while True:
        row = yield
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(fields or row), extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                         for k, v in row.items()})


def _primed(make):
    def start(out: IO[str], fields: Sequence[str] | None):
        writer = make(out, fields)
        next(writer)
        return writer
    return start


_WRITERS = {"jsonl": _primed(_jsonl), "json": _primed(_json), "csv": _primed(_csv)}


class Progress:
    """A live line on an interactive stderr: a count (of `total` when known), the rate, any
    `fields` (`12 quotes, 1 skipped`) and the time elapsed. Nothing at all in a pipe or a log."""

    def __init__(self, label: str, unit: str, total: int | None = None, **fields: int) -> None:
        self.label, self.unit, self.total, self.fields = label, unit, total, fields
        self.done = 0
        self._started = time.perf_counter()
        self._bar = self._task = None

    def advance(self, n: int = 1, **fields: int) -> None:
        """Count `n` more done; add to the named fields."""
        self.done += n
        for key, value in fields.items():
            self.fields[key] = self.fields.get(key, 0) + value
        if self._bar is not None:
            rate = self.done / max(time.perf_counter() - self._started, 1e-9)
            extra = "".join(f", {v:,} {k}" for k, v in self.fields.items())
            self._bar.update(self._task, completed=self.done, info=f"{rate:.1f}/s{extra}")

    def __enter__(self) -> Progress:
        if console(stderr=True).is_terminal:
            count = MofNCompleteColumn() if self.total else TextColumn("{task.completed}")
            self._bar = Bar(SpinnerColumn(), TextColumn(self.label), BarColumn(), count, TextColumn(self.unit),
                            TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
                            console=console(stderr=True), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=self.total, info="")
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@contextmanager
def output_errors() -> Iterator[None]:
    """Stdout that cannot be written (a full disk, `> /dev/full`) as one `QuotetrailError` line, after
    a last flush of what the command wrote. A closed pipe (`| head -n1`) is left to click, which
    exits quietly with 1 as Unix tools do. Either way stdout is pointed at /dev/null afterwards, so
    that the interpreter's own flush at exit has nothing left to fail on."""
    try:
        try:
            yield
        finally:
            sys.stdout.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _quiet_stdout()
            raise
        if exc.filename is not None or exc.errno not in _WRITE_ERRORS:
            raise
        _quiet_stdout()
        raise QuotetrailError(f"cannot write the output ({exc.strerror or exc})") from None


class ClosedStdout(io.TextIOBase):
    """What stands for stdout when the command was started with it closed (`>&-`, where Python
    makes `sys.stdout` None): writing to it is an `OSError` that `output_errors` turns into one line;
    a command that writes nothing there (`ingest`) runs as usual."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout is closed")

    def isatty(self) -> bool:
        return False


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EBADF}


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test runner's stdout): nothing to quiet
        pass


@contextmanager
def database_errors(path: str) -> Iterator[None]:
    """Turn the store's errors and SQLite's into one `QuotetrailError` line naming the database."""
    try:
        yield
    except StoreError as exc:
        raise QuotetrailError(str(exc)) from None
    except sqlite3.Error as exc:
        raise QuotetrailError(f"{path}: {exc}") from None
