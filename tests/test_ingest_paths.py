"""Names that stand for no readable file: URLs given as files, links that lead nowhere, folders that cannot be read."""
import os

import pytest

from ingest_helpers import BODY
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
    assert [i.id for i in items if not isinstance(i, Skipped)] and len(items) == 4
    assert [str(i) for i in items if isinstance(i, Skipped)] == [
        f"{tmp_path}/gone.txt: broken symbolic link to nowhere.txt (No such file or directory)",
        f"{tmp_path}/loop1.txt: symbolic link loop", f"{tmp_path}/loop2.txt: symbolic link loop"]
    assert skips(tmp_path / "gone.txt", tmp_path / "loop1.txt") == [
        f"{tmp_path}/gone.txt: broken symbolic link to nowhere.txt (No such file or directory)",
        f"{tmp_path}/loop1.txt: symbolic link loop"]
    summary = tally_of(tmp_path).summary()
    assert summary == "read 1 article from 1 file; skipped 3: 2 symbolic link loops, 1 broken symbolic link"


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
