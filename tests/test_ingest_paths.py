"""Names that stand for no readable file: URLs given as files, links that lead nowhere, folders that cannot be read."""
import gzip
import os

import pytest
from click.testing import CliRunner

from ingest_helpers import BODY
from quotetrail.cli import main
from quotetrail.ingest import Skipped, Tally, read_paths


def skips(*names):
    return [str(item) for item in read_paths([str(n) for n in names]) if isinstance(item, Skipped)]


def tally_of(*names):
    tally = Tally()
    for item in read_paths([str(n) for n in names], tally=tally):
        tally.add(item)
    return tally


@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org/a?id=3", "www.example.org/news"])
def test_a_url_is_not_a_file_and_the_skip_says_what_to_do(url):
    hint = "quotetrail reads files, not URLs: save the page or a WARC crawl first, e.g. with wget --warc-file"
    assert skips(url) == [f"{url}: no such file ({hint})"]


def test_a_missing_file_that_is_no_url_keeps_its_message(tmp_path):
    assert skips(tmp_path / "nowhere.txt") == [f"{tmp_path / 'nowhere.txt'}: no such file or directory"]


def test_broken_and_looping_symbolic_links_are_named(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "loop1.txt").symlink_to("loop2.txt")
    (tmp_path / "loop2.txt").symlink_to("loop1.txt")
    (tmp_path / "ignored.png").symlink_to("nowhere.png")  # not a format we read, so not looked at
    items = list(read_paths([str(tmp_path)]))
    assert [i.id for i in items if not isinstance(i, Skipped)] and len(items) == 5
    assert [str(i) for i in items if isinstance(i, Skipped) and i.bad] == [
        f"{tmp_path}/gone.txt: broken symbolic link to nowhere.txt (No such file or directory)",
        f"{tmp_path}/loop1.txt: symbolic link loop", f"{tmp_path}/loop2.txt: symbolic link loop"]
    assert skips(tmp_path / "gone.txt", tmp_path / "loop1.txt") == [
        f"{tmp_path}/gone.txt: broken symbolic link to nowhere.txt (No such file or directory)",
        f"{tmp_path}/loop1.txt: symbolic link loop"]
    summary = tally_of(tmp_path).summary()
    assert summary == ("read 1 article from 1 file; skipped 4: 2 symbolic link loops, 1 broken symbolic link, "
                       f"1 unsupported file ({tmp_path}/ignored.png)")


def test_files_of_a_directory_in_formats_not_read_are_counted_and_named(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html.gz").write_bytes(gzip.compress(f"<html><body><p>{BODY}</p></body></html>".encode()))
    others = ["logo.png", "report.pdf", "sub/notes.docx", "sub/sheet.xlsx", "sub/data.parquet"]
    for name in others:
        (tmp_path / name).write_bytes(b"\x89PNG\x00")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")  # hidden: left out, as `ls` does
    items = list(read_paths([str(tmp_path)]))
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert sorted(s.where for s in skipped) == sorted(str(tmp_path / name) for name in others)
    assert all(not s.bad and s.kind == "unsupported file" for s in skipped)
    assert "not a format quotetrail reads (.pdf)" in [s.reason for s in skipped]
    tally = tally_of(tmp_path)
    assert tally.files + sum(tally.skipped.values()) == 2 + len(others)  # every file of the directory
    assert tally.summary() == (f"read 2 articles from 2 files; skipped 5: 5 unsupported files ({tmp_path}/logo.png, "
                               f"{tmp_path}/report.pdf, {tmp_path}/sub/data.parquet and 2 more)")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output  # not an error: a folder of pages and pictures is ordinary
    assert result.stderr.splitlines() == [f"quotetrail: {tally.summary()}"]


def test_a_directory_of_nothing_we_read_is_one_skip(tmp_path):
    for name in ("logo.png", "report.pdf"):
        (tmp_path / name).write_bytes(b"\x89PNG\x00")
    assert skips(tmp_path) == [f"{tmp_path}: directory holds no text files (.txt, .html, .warc, .jsonl, .csv, …)"]


def test_a_directory_that_cannot_be_read_is_named(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    for folder in ("locked", "closed"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "closed").chmod(0o000)  # listed by nobody
    (tmp_path / "locked").chmod(0o300)  # listed by nobody, entered by its owner
    try:
        if os.access(tmp_path / "closed", os.R_OK):
            pytest.skip("this user reads directories whatever their mode (root)")
        names = [tmp_path, tmp_path / "closed", tmp_path / "closed" / "b.txt"]
        items = [str(i) for i in read_paths([str(n) for n in names])]
        assert items[1:] == [f"{tmp_path}/closed: cannot read directory (Permission denied)",
                             f"{tmp_path}/locked: cannot read directory (Permission denied)",
                             f"{tmp_path}/closed: cannot read directory (Permission denied)",
                             f"{tmp_path}/closed/b.txt: Permission denied"]
    finally:
        (tmp_path / "closed").chmod(0o700)
        (tmp_path / "locked").chmod(0o700)
