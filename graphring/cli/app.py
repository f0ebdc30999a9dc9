"""The Typer app every command registers on, with what the commands share.

One error path: a command registered with :func:`command` turns a
:class:`~graphring.errors.GraphringError` into :func:`fail` (one line on
stderr, exit code 1); :func:`main`, the console entry point, does the same for
anything that escapes. The option types several commands take (Neo4j
connection, ``--limit``, ``--mapping``, ``--lang``) are defined once here, and
so is the progress bar every long command shows (:func:`progress`).

Its count reads ``3/8`` when the total is known and ``3`` while it is not (never ``0/None``).

Examples
--------
>>> from rich.progress import Progress
>>> p = Progress(CountColumn())
>>> t = p.add_task("x", total=None)
>>> str(CountColumn().render(p.tasks[0]))
'0'
>>> p.update(t, total=8, completed=3)
>>> str(CountColumn().render(p.tasks[0]))
'3/8'
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

import graphring
from graphring.errors import GraphringError
from graphring.present.terminal import SafeConsole

__all__ = ["app", "console", "err", "fail", "command", "progress", "CountColumn", "main", "NeoUri", "NeoDb",
           "NeoUser", "NeoPassword", "LimitOpt", "MappingOpt", "LangOpt"]

app = typer.Typer(
    name="graphring",
    help="Find fraud rings (proxy complaints, debt evasion, malicious claims, shell-company loans, "
         "debt carriers) in consumer-lending exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# every line printed goes through SafeConsole: values from the data print as text, control codes escaped
console = SafeConsole(stderr=False, highlight=False)
err = SafeConsole(stderr=True, highlight=False)

NeoUri = Annotated[Optional[str], typer.Option("--neo4j-uri", envvar="NEO4J_URI", help="Bolt URI of the Neo4j server.")]
NeoDb = Annotated[Optional[str], typer.Option("--database", envvar="NEO4J_DATABASE", help="Neo4j database name.")]
NeoUser = Annotated[Optional[str], typer.Option("--user", envvar="NEO4J_USER", help="Neo4j user.")]
NeoPassword = Annotated[Optional[str], typer.Option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password.")]
LimitOpt = Annotated[Optional[list[str]], typer.Option(
    "--limit", help="Raise an input limit for this run, NAME=N (repeatable): mapping_bytes, yaml_aliases, xlsx_bytes, "
                    "xlsx_ratio, rows, columns, field_chars (see graphring/ingest/limits.py).")]
MappingOpt = Annotated[Optional[Path], typer.Option("--mapping", help="YAML file {table: {their_header: contract_name}}.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of what is shown: zh (Simplified Chinese, default) or en.")]


def fail(exc: GraphringError) -> typer.Exit:
    """The one error path: a :class:`GraphringError` printed as one line on stderr, exit code 1."""
    err.print(f"error: {exc}", markup=False, soft_wrap=True)  # one line whatever the terminal width
    return typer.Exit(1)


def command(*args, on: typer.Typer | None = None, **kwargs):
    """Register a command (on ``app``, or the sub-app ``on``) whose :class:`GraphringError` goes to :func:`fail`.

    The function itself is returned unchanged: called from Python it raises the library's error.
    """

    def deco(f):
        @functools.wraps(f)
        def wrapper(*a, **k):
            try:
                return f(*a, **k)
            except GraphringError as exc:
                raise fail(exc) from None

        (on or app).command(*args, **kwargs)(wrapper)
        return f

    return deco


class CountColumn(ProgressColumn):
    """``done/total``, or ``done`` alone while the total is unknown."""

    def render(self, task) -> Text:
        done = int(task.completed)
        return Text(f"{done}/{int(task.total)}" if task.total is not None else f"{done}")


def progress(transient: bool = True) -> Progress:
    """A rich progress bar on stderr (hidden when not a terminal or under CI)."""
    return Progress(TextColumn("{task.description}"), BarColumn(), CountColumn(), TimeElapsedColumn(),
                    console=err, transient=transient, disable=not err.is_terminal)


def _version(value: bool):
    if value:
        console.print(f"graphring {graphring.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
):
    """graphring: evidence-backed fraud-ring discovery for lenders' anti-fraud teams."""


def main() -> None:
    """Console entry point: run the app, turning library errors into exit code 1."""
    try:
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except GraphringError as exc:
        sys.exit(fail(exc).exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and anything unexpected: never a traceback
        # click usage errors (typer may bundle its own click: match by shape, not class)
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("GRAPHRING_DEBUG"):
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc}\n"
                  "(this is a bug in graphring; rerun with GRAPHRING_DEBUG=1 for the traceback and report it)",
                  markup=False)
        sys.exit(1)
