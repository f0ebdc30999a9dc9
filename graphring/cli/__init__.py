"""The ``graphring`` command line: a thin Typer layer over the library.

Each command parses its options, calls the library, prints a summary, and
turns a :class:`~graphring.errors.GraphringError` into a clear message and exit
code 1 (:func:`graphring.cli.app.fail`, the one error path). Commands are
documented in README.md (a test checks that).

- :mod:`graphring.cli.app`: the Typer app, the shared options, the error path, the progress bar;
- :mod:`graphring.cli.rings`: ``validate``, ``sample``, ``rings``, ``evaluate``;
- :mod:`graphring.cli.neo4j`: ``load``;
- :mod:`graphring.cli.report`: ``report``;
- :mod:`graphring.cli.referral`: ``referral``;
- :mod:`graphring.cli.watch`: ``watchlist export``, ``screen``, ``explain``.
"""

from graphring.cli.app import app, console, err, fail, main

# the command modules register their commands on `app` when imported, in the order `graphring --help` lists them
from graphring.cli import rings  # noqa: E402,I001
from graphring.cli import neo4j  # noqa: E402
from graphring.cli import report  # noqa: E402
from graphring.cli import referral  # noqa: E402
from graphring.cli import watch  # noqa: E402

__all__ = ["app", "main", "fail", "console", "err", "rings", "neo4j", "report", "referral", "watch"]
