"""Library functions behind the Neo4j commands of the CLI (``graphring load``, ``rings --backend neo4j``).

The CLI layer reads ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE`` (Typer ``envvar=``) and passes plain values here; this module
reads no environment variable. Errors are :class:`~graphring.errors.GraphringError`
(a :class:`~graphring.errors.BackendError` for the server), which the CLI's
``command()`` decorator turns into a one-line message and exit code 1.

Examples
--------
>>> from graphring.neo4j_cli import auth_from
>>> auth_from("neo4j", "secret")
('neo4j', 'secret')
>>> auth_from(None, None) is None
True
>>> from graphring.neo4j_cli import load_command
>>> load_command("sample_data/bank_a", "bolt://127.0.0.1:7687")   # doctest: +SKIP
Validation of sample_data/bank_a: 11 tables, 64,528 rows loaded, 0 rejected
Loaded 64,528 rows into Neo4j at bolt://127.0.0.1:7687 (default database) in 21.3 s (3,030 rows/s)
  Borrower  2,000
  ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from graphring.errors import GraphringError, InputError
from graphring.store.base import LoadResult

__all__ = ["auth_from", "open_neo4j_store", "load_command", "format_counts"]


def auth_from(user: str | None, password: str | None) -> tuple[str, str] | None:
    """Driver auth from CLI options: ``(user, password)``, or ``None`` (no auth) when neither is set.

    A password without a user means the default user ``neo4j``.

    Examples
    --------
    >>> auth_from(None, "pw")
    ('neo4j', 'pw')
    """
    if not user and not password:
        return None
    return (user or "neo4j", password or "")


def open_neo4j_store(neo4j_uri: str | None, database: str | None = None, user: str | None = None,
                     password: str | None = None, **kwargs):
    """A :class:`~graphring.store.neo4j.Neo4jStore` from CLI options (what ``rings --backend neo4j`` needs).

    Parameters
    ----------
    neo4j_uri : str
        Bolt URI (``NEO4J_URI``), e.g. ``bolt://127.0.0.1:7687``.
    database, user, password : str, optional
        ``NEO4J_DATABASE``, ``NEO4J_USER``, ``NEO4J_PASSWORD``.
    **kwargs
        Passed to :class:`~graphring.store.neo4j.Neo4jStore` (``batch_size``, ``gds``).

    Examples
    --------
    >>> open_neo4j_store(None)
    Traceback (most recent call last):
    ...
    graphring.errors.InputError: no Neo4j URI: pass --neo4j-uri or set NEO4J_URI (e.g. bolt://127.0.0.1:7687; scripts/neo4j-dev start prints one)
    """
    if not neo4j_uri:
        raise InputError("no Neo4j URI: pass --neo4j-uri or set NEO4J_URI (e.g. bolt://127.0.0.1:7687; "
                         "scripts/neo4j-dev start prints one)")
    from graphring.store.neo4j import Neo4jStore

    return Neo4jStore(neo4j_uri, auth=auth_from(user, password), database=database or None, **kwargs)


def format_counts(counts: dict) -> list[str]:
    """Lines listing node counts per label and relationship counts per type.

    Examples
    --------
    >>> format_counts({"nodes": {"Borrower": 2000}, "relationships": {"HAS_PHONE": 1990}})
    ['Nodes:', '  Borrower              2,000', 'Relationships:', '  HAS_PHONE             1,990']
    """
    out = ["Nodes:"]
    out += [f"  {k:<18}{v:>9,}" for k, v in counts.get("nodes", {}).items()]
    out.append("Relationships:")
    out += [f"  {k:<18}{v:>9,}" for k, v in counts.get("relationships", {}).items()]
    return out


def load_command(data_dir: str | Path, neo4j_uri: str | None, database: str | None = None,
                 user: str | None = None, password: str | None = None, mapping=None, *,
                 echo: Callable[[str], None] = print, progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None, batch_size: int = 10_000) -> LoadResult:
    """Validate a data folder and load (merge) its graph into Neo4j; print what is there after.

    Validation is the same as ``graphring validate`` (every problem reported;
    rejected rows are not loaded). Loading is idempotent: the same folder twice
    leaves the same node and relationship counts; a second folder adds to them.

    Parameters
    ----------
    data_dir : path
        Input folder (see DATA_CONTRACT.md).
    neo4j_uri : str
        Bolt URI (the CLI reads ``NEO4J_URI``).
    database : str, optional
        Database name (``NEO4J_DATABASE``); default: the server's default database.
    user, password : str, optional
        Credentials (``NEO4J_USER``, ``NEO4J_PASSWORD``); none for a server without auth.
    mapping : path or dict, optional
        Header mapping (``--mapping``).
    echo : callable
        Where the summary lines go (default ``print``).
    progress : callable, optional
        Called with the number of rows written by each batch.
    on_total : callable, optional
        Called once, before writing, with the number of rows to write (a progress bar's length).
    batch_size : int
        Rows per transaction.

    Returns
    -------
    LoadResult
        Rows sent, seconds, and node/relationship counts after the load.

    Raises
    ------
    GraphringError
        Unusable input (no borrower row could be loaded).
    BackendError
        Unreachable server, refused credentials, missing database, lost connection.
    """
    from graphring.graph.model import build_frames
    from graphring.ingest.validate import validate_folder

    store = open_neo4j_store(neo4j_uri, database, user, password, batch_size=batch_size)
    try:
        store.check()  # before validating a large folder: an unreachable server fails at once
        v = validate_folder(data_dir, mapping)
        rows = v.summary_rows()
        read = sum(int(r["read"]) for r in rows)
        loaded = sum(int(r["loaded"]) for r in rows)
        echo(f"Validation of {data_dir}: {len(rows)} tables, {loaded:,} of {read:,} rows kept, "
             f"{read - loaded:,} rejected, {len(v.problems):,} problems (see `graphring validate` for each)")
        if not v.usable:
            raise GraphringError(f"{data_dir}: no borrower row could be loaded; nothing to load")
        g = build_frames(v.tables)
        if on_total:
            on_total(sum(len(d) for d in g.nodes.values()) + sum(len(d) for d in g.edges.values()))
        res = store.load(g, progress=progress)
        rate = res.rows / res.seconds if res.seconds > 0 else float("nan")
        echo(f"Loaded {res.rows:,} rows into {store.where} in {res.seconds:.1f} s ({rate:,.0f} rows/s)")
        for line in format_counts(res.counts):
            echo(line)
        return res
    finally:
        store.close()
