"""Limits on input files that a bank's real exports never reach and an attack always does.

Each limit is checked before the expensive work (parsing, decompressing,
expanding) and breaks with one clear line naming the file and the limit
(:class:`LimitError`, exit code 1). Every limit can be raised for one run:
``--limit NAME=VALUE`` on ``validate`` and ``rings`` (or :func:`overridden`
in code).

========================  ===============  ==============================================
limit                     default          what it bounds
========================  ===============  ==============================================
``mapping_bytes``         1,000,000        size of a ``--mapping`` YAML/JSON file
``yaml_aliases``          0                YAML aliases (``*a``) in a mapping file
``xlsx_bytes``            1,000,000,000    declared uncompressed size of an XLSX workbook
``xlsx_ratio``            200              uncompressed / compressed size of an XLSX part
``rows``                  1,048,576        rows of one XLSX sheet (Excel's own maximum)
``columns``               1,000            columns of one table (CSV header, sheet, Parquet)
``field_chars``           1,000,000        characters in one field (a complaint letter is ~1,000)
========================  ===============  ==============================================

Examples
--------
>>> limit("columns")
1000
>>> with overridden({"columns": 5}):
...     limit("columns")
5
>>> parse_overrides(["columns=20000", "field_chars=1e6"])
{'columns': 20000, 'field_chars': 1000000}
>>> parse_overrides(["colums=3"])
Traceback (most recent call last):
...
graphring.errors.LimitError: unknown limit 'colums' in --limit colums=3 (limits: columns, field_chars, mapping_bytes, rows, xlsx_bytes, xlsx_ratio, yaml_aliases)
"""

from __future__ import annotations

import contextlib
import contextvars

from graphring.errors import LimitError

__all__ = ["DEFAULTS", "LimitError", "limit", "overridden", "parse_overrides", "exceeded"]

DEFAULTS = {
    "mapping_bytes": 1_000_000,
    "yaml_aliases": 0,
    "xlsx_bytes": 1_000_000_000,
    "xlsx_ratio": 200,
    "rows": 1_048_576,
    "columns": 1_000,
    "field_chars": 1_000_000,
}

_CURRENT: contextvars.ContextVar[dict] = contextvars.ContextVar("graphring_limits", default={})


def limit(name: str) -> int:
    """The value of a limit for the current run."""
    return int(_CURRENT.get().get(name, DEFAULTS[name]))


@contextlib.contextmanager
def overridden(values: dict | None):
    """Run a block with some limits changed (``{name: value}``)."""
    token = _CURRENT.set({**_CURRENT.get(), **(values or {})})
    try:
        yield
    finally:
        _CURRENT.reset(token)


def parse_overrides(items) -> dict:
    """``["columns=20000", ...]`` (the ``--limit`` options) as ``{name: int}``."""
    out = {}
    for item in items or []:
        name, eq, val = str(item).partition("=")
        name = name.strip()
        if name not in DEFAULTS:
            raise LimitError(f"unknown limit {name!r} in --limit {item} (limits: {', '.join(sorted(DEFAULTS))})")
        try:
            v = int(float(val.replace(",", "").replace("_", ""))) if eq else None
        except ValueError:
            v = None
        if v is None or v < 0:
            raise LimitError(f"--limit {item}: give NAME=NUMBER, e.g. --limit {name}={DEFAULTS[name]}")
        out[name] = v
    return out


def exceeded(file, name: str, what: str) -> LimitError:
    """The error for ``file`` being beyond limit ``name`` (``what`` says by how much)."""
    return LimitError(f"{file}: {what}, beyond the limit {name}={limit(name):,}; if the file is genuine, "
                      f"raise it with --limit {name}=N")
