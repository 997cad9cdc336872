"""The `quotetrail` command line: thin click commands over the Python API.

| module | job |
| --- | --- |
| `options` | the options shared by commands (`--db`, inputs, `-j`, `--format`, `--limit`), as decorators |
| `output` | the one output path (`emit`: table, jsonl, json, csv), progress, messages, `QuotetrailError` |
| `render` | tables fitted to the terminal, the trail of a cluster, a quote in context, evaluation reports |
| `read` | `extract`, `eval` |
| `database` | `ingest`, `search`, `show`, `stats`, `export`, `delete` |
| `corrections` | `fix`, `speakers` (list, merge, split, rename), `corrections` (list, undo, apply) |
| `trail` | `link`, `clusters`, `eval-links` |
| `serve` | `serve`: the web page over the database (`quotetrail.web`, loaded when it runs) |
| `spark` | `spark extract`, `spark link` (Spark jobs), `import` (their Parquet into a database) |
| `docs` | `docs/cli.md` written from the commands' own help |

A command's module is imported when the command runs (`COMMANDS`), so `extract` reads neither the
database's commands nor the linker. Only the commands that extract load spaCy, and only `serve` loads
the web stack (FastAPI, uvicorn), each when it runs: `quotetrail --help`, `--version` and the
database reads start in a fraction of a second.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from importlib import import_module

import click

from .output import ClosedStdout, QuotetrailError, output_errors

# Every command, in the order of `--help`: its module in this package and its name there.
COMMANDS = {
    "extract": ("read", "extract_cmd"),
    "eval": ("read", "eval_cmd"),
    "ingest": ("database", "ingest_cmd"),
    "search": ("database", "search_cmd"),
    "speakers": ("corrections", "speakers_cmd"),
    "show": ("database", "show_cmd"),
    "stats": ("database", "stats_cmd"),
    "export": ("database", "export_cmd"),
    "delete": ("database", "delete_cmd"),
    "link": ("trail", "link_cmd"),
    "clusters": ("trail", "clusters_cmd"),
    "eval-links": ("trail", "eval_links_cmd"),
    "fix": ("corrections", "fix_cmd"),
    "corrections": ("corrections", "corrections_cmd"),
    "spark": ("spark", "spark_group"),
    "import": ("spark", "import_cmd"),
    "serve": ("serve", "serve_cmd"),
}


@contextmanager
def _one_shape():
    """click's own errors (bad option values, missing arguments, unknown commands) in the one
    shape of `QuotetrailError`, with a pointer to the help of the command."""
    try:
        yield
    except QuotetrailError:
        raise
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "quotetrail"
        raise QuotetrailError(f"{exc.format_message()} (see '{where} --help')") from None


class Commands(click.Group):
    """The group of `COMMANDS`, each imported when it is asked for; errors in one shape."""

    def main(self, *args, **kwargs):
        if sys.stdout is None:  # started with stdout closed
            sys.stdout = ClosedStdout()
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, command = COMMANDS[name]
        return getattr(import_module(f".{module}", __name__), command)

    def make_context(self, *args, **kwargs) -> click.Context:
        with _one_shape():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with _one_shape(), output_errors():
            return super().invoke(ctx)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quotetrail")
def main() -> None:
    """Who said what, where and when: find and attribute quotations in news articles, store them
    in a quote database, search it, and follow each quote's trail across outlets.

    \b
    Examples:
      quotetrail extract article.txt
      quotetrail ingest examples/articles --db quotes.db
      quotetrail search money --db quotes.db
      quotetrail show c2 --db quotes.db
    """
