"""The ``graphring`` command line: a thin Typer layer over the library.

Each command parses its options, calls one library function, prints a summary,
and turns a :class:`~graphring.errors.GraphringError` into a clear message and
exit code 1. Commands are documented in README.md (a test checks that).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable

import graphring
from graphring.errors import GraphringError

app = typer.Typer(
    name="graphring",
    help="Find fraud rings (proxy complaints, debt evasion, malicious claims, shell-company loans, "
         "debt carriers) in consumer-lending exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=False, highlight=False)
err = Console(stderr=True, highlight=False)

MappingOpt = Annotated[Optional[Path], typer.Option("--mapping", help="YAML file {table: {their_header: contract_name}}.")]


def command(*args, **kwargs):
    """Register a command whose :class:`GraphringError` becomes a message and exit code 1."""
    import functools

    def deco(f):
        @functools.wraps(f)
        def wrapper(*a, **k):
            try:
                return f(*a, **k)
            except GraphringError as exc:
                err.print(f"error: {exc}", markup=False)
                raise typer.Exit(1) from None

        return app.command(*args, **kwargs)(wrapper)

    return deco


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


def _progress():
    """A rich progress bar on stderr (hidden when not a terminal or under CI)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=err, transient=True,
                    disable=not err.is_terminal)


def _print_validation(v) -> None:
    t = RichTable(title=f"Validation of {v.folder}")
    for c in ("table", "file", "read", "loaded", "rejected", "warnings"):
        t.add_column(c, justify="right" if c in ("read", "loaded", "rejected", "warnings") else "left")
    for r in v.summary_rows():
        t.add_row(r["table"], str(r["file"]), str(r["read"]), str(r["loaded"]), str(r["rejected"]),
                  str(r["warnings"]))
    console.print(t)
    if len(v.problems):
        pc = v.problems.groupby(["table", "severity", "code"]).size().rename("n").reset_index()
        t2 = RichTable(title="Problems by kind")
        for c in ("table", "severity", "code", "n"):
            t2.add_column(c)
        for r in pc.itertuples(index=False):
            t2.add_row(r.table, r.severity, r.code, str(r.n))
        console.print(t2)
        shown = v.problems.head(20)
        for r in shown.itertuples(index=False):
            loc = f"{r.file}" + (f" row {r.row}" if r.row is not None and str(r.row) != "<NA>" else "") + (
                f" column {r.column}" if r.column else "")
            console.print(f"  [{r.severity}] {loc}: {r.message}", markup=False)
        if len(v.problems) > len(shown):
            console.print(f"  ... and {len(v.problems) - len(shown)} more (use --report FILE for all)")


@command()
def validate(
    data_dir: Annotated[Path, typer.Argument(help="Folder of input tables (borrowers.csv, complaints.xlsx, ...).")],
    mapping: MappingOpt = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write every problem to this JSON file.")] = None,
):
    """Read and validate a data folder; report every problem with file, row and column."""
    from graphring.model import build_frames
    from graphring.validate import validate_folder

    with _progress() as p:
        task = p.add_task("reading and validating", total=2)
        v = validate_folder(data_dir, mapping)
        p.advance(task)
        g = build_frames(v.tables)
        p.advance(task)
    _print_validation(v)
    counts = g.counts()
    console.print("Graph: " + ", ".join(f"{k} {n}" for k, n in counts["nodes"].items()) + " nodes; "
                  + f"{sum(counts['relationships'].values())} relationships")
    if report:
        rep = v.report()
        rep["graph"] = counts
        report.write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        console.print(f"Report written to {report}")
    if not v.usable:
        err.print("error: no borrower row could be loaded; the data is not usable")
        raise typer.Exit(1)


@command()
def sample(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the generated tables into (truth.csv goes beside it).")],
    borrowers: Annotated[int, typer.Option("--borrowers", "-n", min=50, help="Number of borrowers.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 0,
    messy: Annotated[bool, typer.Option("--messy", help="Write as a bank export arrives: GB18030, Chinese headers, mixed formats, a few bad rows.")] = False,
):
    """Generate a synthetic population with planted rings and benign look-alikes."""
    from graphring.sample import generate

    with _progress() as p:
        task = p.add_task("generating", total=None)
        summary = generate(out_dir, borrowers, seed=seed, messy=messy,
                           progress=lambda msg: p.update(task, description=str(msg)))
    console.print(json.dumps(summary, ensure_ascii=False, default=str, indent=1))


def main() -> None:
    """Console entry point: run the app, turning library errors into exit code 1."""
    try:
        app(standalone_mode=False)
    except GraphringError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
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
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("GRAPHRING_DEBUG"):
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc}\n"
                  "(this is a bug in graphring; rerun with GRAPHRING_DEBUG=1 for the traceback and report it)",
                  markup=False)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
