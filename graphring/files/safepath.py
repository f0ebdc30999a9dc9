"""Ring ids and output paths that cannot leave the output folder.

A run directory is a set of files anyone can edit: a ring id read from
``rings.json`` or ``ring_members.csv`` is checked as strictly as one typed on
the command line (:func:`check_ring_id`: ``R`` and digits, as
:func:`graphring.pipeline.rings_from_frames` numbers them), and every file a
command writes for a ring is resolved and checked to stay inside its output
folder (:func:`inside`).

Examples
--------
>>> check_ring_id("R0001")
'R0001'
>>> check_ring_id("../../../../../tmp/x/PWN", "rings.json")
Traceback (most recent call last):
...
graphring.errors.RunError: rings.json: '../../../../../tmp/x/PWN' is not a ring id (R and digits, e.g. R0001); ...
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> inside(out, "members.csv") == out / "members.csv"
True
>>> inside(out, "../members.csv")
Traceback (most recent call last):
...
graphring.errors.GraphringError: refusing to write '../members.csv' outside the output folder ...
"""

from __future__ import annotations

import re
from pathlib import Path

from graphring.errors import GraphringError, RunError

__all__ = ["RING_ID", "check_ring_id", "inside"]

#: What a ring id looks like: ``R`` and 1 to 12 digits.
RING_ID = re.compile(r"R[0-9]{1,12}")


def check_ring_id(ring_id, where: str = "the ring id given") -> str:
    """``ring_id`` when it is a ring id, else :class:`RunError` naming where it came from."""
    rid = ring_id if isinstance(ring_id, str) else str(ring_id)
    if RING_ID.fullmatch(rid):
        return rid
    shown = repr(rid if len(rid) <= 80 else rid[:80] + "…")   # repr: control characters shown escaped
    raise RunError(f"{where}: {shown} is not a ring id (R and digits, e.g. R0001); "
                   "if it was read from a run directory, that directory was edited: rerun `graphring rings`")


def inside(root: str | Path, name: str | Path) -> Path:
    """``root / name``, or :class:`GraphringError` when, resolved (``..``, symlinks), it lies outside ``root``."""
    base = Path(root).resolve()
    p = (base / name).resolve()
    if p == base or base not in p.parents:
        raise GraphringError(f"refusing to write {str(name)!r} outside the output folder {base}")
    return Path(root) / name
