"""The Neo4j command: ``graphring load`` (``rings --backend neo4j`` is in :mod:`graphring.cli.rings`).

The connection options read ``NEO4J_URI``, ``NEO4J_DATABASE``, ``NEO4J_USER`` and
``NEO4J_PASSWORD`` (Typer ``envvar=``) and pass plain values to
:func:`graphring.store.neo4j.load_folder`, which validates the folder and merges it in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphring.cli.app import MappingOpt, NeoDb, NeoPassword, NeoUri, NeoUser, command, console, progress
from graphring.store.neo4j import load_folder

__all__ = ["load"]


@command()
def load(
    data_dir: Annotated[Path, typer.Argument(help="Input data folder.")],
    neo4j_uri: NeoUri = None,
    database: NeoDb = None,
    user: NeoUser = None,
    password: NeoPassword = None,
    mapping: MappingOpt = None,
):
    """Validate a data folder and load it into Neo4j (idempotent MERGE in UNWIND batches)."""
    with progress() as p:
        task = p.add_task("loading into Neo4j", total=None)
        load_folder(data_dir, neo4j_uri, database=database, user=user, password=password, mapping=mapping,
                    echo=lambda m: console.print(m, markup=False),
                    progress=lambda n: p.advance(task, n), on_total=lambda t: p.update(task, total=t))
