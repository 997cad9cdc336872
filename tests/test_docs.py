"""The command-line reference is generated from the code: it must be complete and fresh."""
from pathlib import Path

from quotetrail.cli import main
from quotetrail.cli.docs import reference

ROOT = Path(__file__).resolve().parents[1]


def test_docs_cli_md_is_up_to_date():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/cli.md is stale: run `make docs`"


def test_every_command_is_documented_with_an_example():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        assert command.name == name  # the group's table names each command as the command does
        assert f"## quotetrail {name}\n" in written, f"{name} is missing from docs/cli.md"
        assert "Examples:" in (command.help or ""), f"`quotetrail {name} --help` has no example"


def test_readme_points_to_the_reference():
    assert "docs/cli.md" in (ROOT / "README.md").read_text(encoding="utf-8")

