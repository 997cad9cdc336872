"""The summary line: articles not in English are read, counted and named."""
import json

from click.testing import CliRunner

from ingest_helpers import BODY
from quotetrail.cli import main
from quotetrail.ingest import Tally, read_paths

FRENCH = ("« Le pont ouvrira en mai », a déclaré lundi la maire Lena Varga au journal local. Elle a ajouté que "
          "les travaux continueraient pendant tout l'hiver sans aucune pause. ")


def tally_of(*names):
    tally = Tally()
    for item in read_paths([str(n) for n in names], tally=tally):
        tally.add(item)
    return tally


def test_articles_not_in_english_are_read_counted_and_named(tmp_path):
    (tmp_path / "en.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "more.jsonl").write_text(json.dumps({"id": "en", "text": BODY}) + "\n"
                                         + json.dumps({"id": "fr", "text": FRENCH}) + "\n", encoding="utf-8")
    tally = tally_of(tmp_path / "en.txt", tmp_path / "fr.txt", tmp_path / "more.jsonl")
    assert tally.articles == 4
    assert tally.summary() == (f"read 4 articles from 3 files (2 not in English: {tmp_path / 'fr.txt'}, "
                               f"{tmp_path / 'more.jsonl'}:2)")


def test_beyond_three_files_not_in_english_the_rest_are_counted(tmp_path):
    for name in "abcde":
        (tmp_path / f"{name}.txt").write_text(FRENCH, encoding="utf-8")
    summary = tally_of(tmp_path).summary()
    assert summary.startswith("read 5 articles from 5 files (5 not in English: ")
    assert summary.endswith(f"{tmp_path / 'c.txt'} and 2 more)") and "d.txt" not in summary


def test_the_command_line_summary_names_them(tmp_path):
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "fr.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    last = result.stderr.splitlines()[-1]
    assert last == f"quotetrail: read 1 article from 1 file (1 not in English: {tmp_path}/fr.txt)"
