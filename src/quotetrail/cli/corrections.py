"""The editorial commands: fix, speakers (list, merge, split, rename), corrections (list, undo, apply)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..store import StoreError
from ..store.corrections import FIELDS, KINDS, Correction
from ..store.query import id_number
from .database import open_store
from .options import TEXT, by_option, db_option, format_option, note_option
from .output import QuotetrailError, emit, note, plural
from .render import CORRECTION_COLUMNS, SPEAKER_COLUMNS


def _number(text: str, what: str) -> int:
    number = id_number(text)
    if number is None:
        raise QuotetrailError(f"{text!r} is not a {what} number")
    return number


def _told(store, numbers: list[int]) -> None:
    """One line per correction just made or applied: its number, target and change."""
    made = {row["id"]: row for row in store.corrections()}
    for n in numbers:
        row = made[n]
        note(f"correction {n}: {row['target']}: {row['changed']}"
             + ("" if row["status"] == "applies" else f" ({row['status']} here)"))


@click.command("fix")
@click.argument("quote_id", metavar="QUOTE_ID", type=TEXT)
@click.option("--speaker", type=TEXT, metavar="NAME", help="Who said it (a name as an article would give it).")
@click.option("--no-speaker", is_flag=True, help="Nobody the text names said it.")
@click.option("--kind", type=click.Choice(KINDS), help="What kind of quotation it is.")
@click.option("--venue", type=TEXT, metavar="NAME", help="Where it was said or whom it was told.")
@click.option("--not-a-quote", is_flag=True, help="It is no quotation: leave it out of every read.")
@by_option
@note_option
@db_option
def fix_cmd(quote_id: str, speaker: str | None, no_speaker: bool, kind: str | None, venue: str | None,
            not_a_quote: bool, by: str | None, note_text: str | None, db_path: str) -> None:
    """Correct one quote.

    Its speaker, kind or venue, or that it is no quotation at all. Each change is logged as a
    correction (see `quotetrail corrections`) and laid over the extracted quote: it holds when the
    article is ingested again, even changed, as long as the quote's words are still in it. The
    quote's cluster is linked again at once.

    \b
    Examples:
      quotetrail fix 12 --speaker "Judge Ilse Marr" --note "the court's ruling, not the minister"
      quotetrail fix 40 --not-a-quote --by fact-desk
      quotetrail fix 7 --kind indirect --venue "Kestrel News"
    """
    if speaker is not None and no_speaker:
        raise click.UsageError("--speaker and --no-speaker contradict each other")
    number = _number(quote_id, "quote")
    with open_store(db_path) as store:
        made = store.fix(number, speaker=speaker, no_speaker=no_speaker, kind=kind, venue=venue,
                         not_a_quote=not_a_quote, by=by, note=note_text)
        _told(store, made)


class Listing(click.Group):
    """A command that lists when it is given no subcommand, and keeps its subcommands in the order added."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group("speakers", cls=Listing, invoke_without_command=True)
@db_option
@format_option()
@click.pass_context
def speakers_cmd(ctx: click.Context, db_path: str, fmt: str) -> None:
    """List the speakers, most quoted first; merge, split or rename them.

    People and organisations with their quote counts, aliases and the outlets that quote them, as
    corrected (✎ marks a speaker a correction touched).

    \b
    Examples:
      quotetrail speakers --db quotes.db
      quotetrail speakers --format csv > speakers.csv
      quotetrail speakers merge 3 7 --name "Ranil Wickremesinghe"
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_store(db_path) as store:
        rows = store.speakers()
    emit(rows, fmt, SPEAKER_COLUMNS, fields=["id", "name", "kind", "quotes", "aliases", "outlets", "corrected"])


@speakers_cmd.command("merge")
@click.argument("speaker_ids", nargs=-1, required=True, metavar="ID ID...", type=TEXT)
@click.option("--name", type=TEXT, help="The name of the merged speaker [default: the first one's].")
@by_option
@note_option
@db_option
def merge_cmd(speaker_ids: tuple[str, ...], name: str | None, by: str | None, note_text: str | None,
              db_path: str) -> None:
    """Merge speakers that are one person.

    The quotes of every ID after the first join the first one's (and so do those ingested later);
    their clusters are linked again at once. `speakers split` gives one back.

    \b
    Examples:
      quotetrail speakers merge 3 7
      quotetrail speakers merge 3 7 9 --name "Ranil Wickremesinghe" --note "one spelling"
    """
    numbers = [_number(i, "speaker") for i in speaker_ids]
    with open_store(db_path) as store:
        _told(store, [store.merge_speakers(numbers, name=name, by=by, note=note_text)])


@speakers_cmd.command("split")
@click.argument("speaker_id", metavar="ID", type=TEXT)
@click.option("--alias", required=True, type=TEXT, help="The name, as extracted, that is another person's.")
@by_option
@note_option
@db_option
def split_cmd(speaker_id: str, alias: str, by: str | None, note_text: str | None, db_path: str) -> None:
    """Split off an alias that belongs to another person.

    The speaker's quotes extracted under ALIAS (titles, case and accents aside) get a speaker of
    that name; a speaker merged in under that name is given back as it was.

    \b
    Examples:
      quotetrail speakers split 4 --alias "Heydar Aliyev"
      quotetrail speakers split 3 --alias Wickramasinghe --note "his brother"
    """
    number = _number(speaker_id, "speaker")
    with open_store(db_path) as store:
        _told(store, [store.split_speaker(number, alias, by=by, note=note_text)])


@speakers_cmd.command("rename")
@click.argument("speaker_id", metavar="ID", type=TEXT)
@click.argument("name", type=TEXT)
@by_option
@note_option
@db_option
def rename_cmd(speaker_id: str, name: str, by: str | None, note_text: str | None, db_path: str) -> None:
    """Show a speaker under another name.

    The name everywhere (search, show, clusters, export); searching for the new name or any old
    alias finds the speaker.

    \b
    Examples:
      quotetrail speakers rename 4 "Anna Koval-Lind"
    """
    number = _number(speaker_id, "speaker")
    with open_store(db_path) as store:
        _told(store, [store.rename_speaker(number, name, by=by, note=note_text)])


@click.group("corrections", cls=Listing, invoke_without_command=True)
@db_option
@format_option()
@click.pass_context
def corrections_cmd(ctx: click.Context, db_path: str, fmt: str) -> None:
    """List the corrections; undo one, or apply those of another database.

    Every correction, oldest first: its number, time, author, note, target, what it changed and its
    status (`applies`, `no longer applies` when its quote or speakers are not in the database now,
    `undone`). `--format jsonl` is what `corrections apply` reads.

    \b
    Examples:
      quotetrail corrections --db quotes.db
      quotetrail corrections --format jsonl > corrections.jsonl
      quotetrail corrections undo 3
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_store(db_path) as store:
        rows = store.corrections()
    emit(rows, fmt, CORRECTION_COLUMNS, fields=FIELDS)
    lapsed = sum(r["status"] == "no longer applies" for r in rows)
    note(plural(len(rows), "correction") + (f" ({lapsed} no longer apply)" if lapsed else ""))


@corrections_cmd.command("undo")
@click.argument("number", metavar="N", type=TEXT)
@by_option
@db_option
def undo_cmd(number: str, by: str | None, db_path: str) -> None:
    """Undo correction N.

    Every row reads again as if it had never been made, clusters included; the correction stays
    in the list, marked undone, with who undid it and when.

    \b
    Examples:
      quotetrail corrections undo 3 --db quotes.db
    """
    n = _number(number, "correction")
    with open_store(db_path) as store:
        store.undo(n, by=by)
    note(f"undid correction {n} in {db_path}")


@corrections_cmd.command("apply")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@db_option
def apply_cmd(path: str, db_path: str) -> None:
    """Apply the corrections of another database.

    FILE holds the lines of `quotetrail corrections --format jsonl` (`-`: stdin); each keeps its
    author, time and note. Corrections logged already are skipped, undone ones left out, and one
    whose quote or speakers this database lacks is kept and listed as not applying. A bad line
    applies nothing.

    \b
    Examples:
      quotetrail corrections --db desk.db --format jsonl > shared.jsonl
      quotetrail corrections apply shared.jsonl --db quotes.db
    """
    rows = [row for row in _read_rows(path) if not row.get("undone_at")]
    with open_store(db_path) as store:
        added, known = store.apply_corrections(rows)
        _told(store, added)
    note(f"applied {plural(len(added), 'correction')} to {db_path}" + (f"; {known} logged already" if known else ""))


def _read_rows(path: str) -> list[dict]:
    """The JSON objects of a JSONL file, each checked to be a correction; one error line for the first bad one."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuotetrailError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            Correction.from_row(row)
        except (ValueError, StoreError) as exc:
            raise QuotetrailError(f"{path}:{n}: {exc}; nothing applied") from None
        rows.append(row)
    return rows
