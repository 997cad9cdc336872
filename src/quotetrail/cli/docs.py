"""`docs/cli.md`, the command-line reference, written from the commands' own help (`make docs`).

Run as `python -m quotetrail.cli.docs > docs/cli.md`; a test fails when the file is stale or a
command is missing from it, so the reference never drifts from the code.
"""
from __future__ import annotations

import click

from . import main

WIDTH = 100
HEADER = """# quotetrail command line

Generated from the commands' `--help` by `make docs` (`python -m quotetrail.cli.docs`); do not edit
by hand. Every command takes `-h`/`--help`. Errors are one line, `quotetrail: error: …`, with exit
code 2; a command that skipped a bad input exits with 1.
"""


def reference() -> str:
    """The whole reference: the group's help, then one section per command in the order of `main`
    (and per subcommand after its command), each as `quotetrail … --help` prints it at WIDTH columns."""
    root = click.Context(main, info_name="quotetrail", terminal_width=WIDTH, max_content_width=WIDTH,
                         **main.context_settings)
    parts = [HEADER, "## quotetrail\n", "```", main.get_help(root), "```\n"]
    for name in main.list_commands(root):
        parts += _sections(main.get_command(root, name), name, root)
    return "\n".join(parts)


def _sections(command: click.Command, name: str, parent: click.Context) -> list[str]:
    """A command's section, then one for each of its subcommands (`quotetrail speakers merge`)."""
    with click.Context(command, info_name=name, parent=parent) as ctx:
        parts = [f"## {ctx.command_path}\n", "```", command.get_help(ctx), "```\n"]
        for sub_name, sub in getattr(command, "commands", {}).items():
            parts += _sections(sub, sub_name, ctx)
    return parts


if __name__ == "__main__":
    click.echo(reference(), nl=False)
