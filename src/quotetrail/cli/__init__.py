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

Only the commands that extract load spaCy, and only `serve` loads the web stack (FastAPI, uvicorn),
each when it runs: `quotetrail --help`, `--version` and the database reads start in a fraction of a second.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from .corrections import corrections_cmd, fix_cmd, speakers_cmd
from .database import delete_cmd, export_cmd, ingest_cmd, search_cmd, show_cmd, stats_cmd
from .output import ClosedStdout, QuotetrailError, output_errors
from .read import eval_cmd, extract_cmd
from .serve import serve_cmd
from .spark import import_cmd, spark_group
from .trail import clusters_cmd, eval_links_cmd, link_cmd


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
    """The group of commands, listed in the order they were added; errors in one shape."""

    def main(self, *args, **kwargs):
        if sys.stdout is None:  # started with stdout closed
            sys.stdout = ClosedStdout()
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

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


for command in (extract_cmd, eval_cmd, ingest_cmd, search_cmd, speakers_cmd, show_cmd, stats_cmd, export_cmd,
                delete_cmd, link_cmd, clusters_cmd, eval_links_cmd, fix_cmd, corrections_cmd, spark_group,
                import_cmd, serve_cmd):
    main.add_command(command)
