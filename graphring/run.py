"""The run directory: what ``graphring rings`` writes and every later command reads.

One module owns the folder (cdlib's ``readwrite/io.py`` is the model): :func:`write_run`
writes it, :func:`read_run` reads it back as one typed :class:`Run`, and the names of
its files are defined here once:

* the contract files ``ring_members.csv``, ``rings.json``, ``manifest.json`` (and
  ``problems.csv`` when rows were rejected);
* ``state/`` -- what report, referral, screen, explain and ``rings --previous`` read:
  ``projection_edges.parquet``, ``incidence.parquet``, ``partition.parquet``,
  ``subgraph_edges.parquet``, ``subgraph_nodes.parquet`` and the screening index
  ``screen_index.*`` (written by :mod:`graphring.watch.screen`).

Examples
--------
>>> import tempfile, pathlib
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> run = read_run(demo_run(tempfile.mkdtemp()))
>>> [r["ring_id"] for r in run.ring_list], run.state_path(INCIDENCE).name
(['R0001'], 'incidence.parquet')
>>> sorted(run.read_state(SUBGRAPH_EDGES, columns=["type"])["type"].unique())[:2]
['ABOUT', 'ATTACHES']
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
import json
import secrets
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import graphring
from graphring.files.checksums import sha256_file
from graphring.errors import RunError
from graphring.ingest.masks import isin
from graphring.present.privacy import mask_entity
from graphring.files.safecsv import read_csv, write_csv
from graphring.files.safepath import check_ring_id

if TYPE_CHECKING:  # annotations only: rings imports this module
    from graphring.graph.model import GraphFrames
    from graphring.pipeline import Ring, RingResult

__all__ = ["Run", "read_run", "read_state", "write_run", "check_out_dir", "suppressed_hubs", "new_run_id", "RUN_FILES",
           "STATE_DIR", "PROJECTION_EDGES", "INCIDENCE", "PARTITION", "SUBGRAPH_EDGES", "SUBGRAPH_NODES",
           "SCREEN_INDEX_FILES", "SCREEN_INDEX_META", "SCREEN_INDEX_IDENTS", "SCREEN_INDEX_TEXTS",
           "SCREEN_INDEX_SIG"]

#: The contract files every run directory holds.
RUN_FILES = ("rings.json", "ring_members.csv", "manifest.json")
#: The folder of the state later commands read.
STATE_DIR = "state"
#: Borrower-borrower projection edges (``u``, ``v``, weights per link kind).
PROJECTION_EDGES = "projection_edges.parquet"
#: Borrower-identifier incidence (``borrower``, ``ident``, ``link``, ``table``, ``row`` ...).
INCIDENCE = "incidence.parquet"
#: The community of every borrower (``borrower``, ``community``): ``rings --previous`` warm-starts from it.
PARTITION = "partition.parquet"
#: Input relationships within two hops of ring borrowers (``type``, ``src``, ``dst``, ``_table``, ``_row`` ...).
SUBGRAPH_EDGES = "subgraph_edges.parquet"
#: The nodes of that subgraph with their properties as text (``node``, ``kind``, ``key`` ...).
SUBGRAPH_NODES = "subgraph_nodes.parquet"
#: The screening index (:func:`graphring.watch.screen.build_screen_index`): its meta (written last: its presence
#: marks a complete index), ring identifiers, ring letters and their MinHash signatures.
SCREEN_INDEX_META, SCREEN_INDEX_IDENTS = "screen_index.json", "screen_index.parquet"
SCREEN_INDEX_TEXTS, SCREEN_INDEX_SIG = "screen_index_texts.parquet", "screen_index_sig.npy"
SCREEN_INDEX_FILES = (SCREEN_INDEX_META, SCREEN_INDEX_IDENTS, SCREEN_INDEX_TEXTS, SCREEN_INDEX_SIG)


@dataclass
class Run:
    """A run directory as read back: its folder, ``rings.json``, ``manifest.json`` and ``ring_members.csv``.

    The state tables are read on demand (:meth:`read_state`), so a command reads only what it needs.
    """

    dir: Path
    #: ``rings.json`` as parsed: ``run`` (parameters), ``rings``, ``suppressed_hubs``, ``ring_links``.
    rings: dict
    manifest: dict
    members: pd.DataFrame

    @property
    def ring_list(self) -> list[dict]:
        """The ring records of ``rings.json``, best first."""
        return self.rings.get("rings", [])

    @property
    def state_dir(self) -> Path:
        return self.dir / STATE_DIR

    def state_path(self, name: str) -> Path:
        """The path of one state file (``name`` one of this module's constants)."""
        return self.dir / STATE_DIR / name

    def has_state(self, name: str) -> bool:
        return self.state_path(name).is_file()

    def read_state(self, name: str, columns=None, filters=None, required: bool = True,
                   why: str | None = None) -> pd.DataFrame | None:
        """One state table (:func:`read_state` of this run's folder)."""
        return read_state(self.dir, name, columns=columns, filters=filters, required=required, why=why)


def read_state(run_dir: str | Path, name: str, columns=None, filters=None, required: bool = True,
               why: str | None = None) -> pd.DataFrame | None:
    """Read one state table of a run folder; a missing one is a :class:`RunError` (``None`` if not ``required``).

    Parameters
    ----------
    run_dir : path
    name : str
        One of :data:`PROJECTION_EDGES`, :data:`INCIDENCE`, :data:`PARTITION`, :data:`SUBGRAPH_EDGES`,
        :data:`SUBGRAPH_NODES`.
    columns, filters
        Passed to :func:`pandas.read_parquet` (read only what is needed).
    why : str, optional
        What the table is needed for, added to the message when it is missing.

    Raises
    ------
    RunError
        If the file is missing (and required) or cannot be read.

    Examples
    --------
    >>> read_state("/nonexistent-run", PARTITION, why="needed to warm-start community detection")
    Traceback (most recent call last):
    ...
    graphring.errors.RunError: /nonexistent-run: state/partition.parquet is missing; rerun `graphring rings` to \
write it (needed to warm-start community detection)
    >>> read_state("/nonexistent-run", PARTITION, required=False) is None
    True
    """
    p = Path(run_dir) / STATE_DIR / name
    if not p.is_file():
        if not required:
            return None
        raise RunError(f"{run_dir}: {STATE_DIR}/{name} is missing; rerun `graphring rings` to write it"
                       + (f" ({why})" if why else ""))
    try:
        return pd.read_parquet(p, columns=columns, filters=filters)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds of errors for a damaged file
        raise RunError(f"{p}: cannot read the run state: {exc}") from None


def cyclic_gc_paused(fn):
    """Run ``fn`` with Python's cyclic garbage collector paused (reference counting still frees memory).

    A run holds ~160,000 long-lived Python objects (text columns of the
    validated tables); each full collection walks them all for no garbage
    (the bulk lives in Arrow and NumPy buffers): 0.4 s of a 100k-borrower run.
    """
    @functools.wraps(fn)
    def run(*args, **kwargs):
        was = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was:
                gc.enable()

    return run


def new_run_id() -> str:
    """A fresh run id: UTC time of the run and 6 random hex digits.

    Examples
    --------
    >>> import re
    >>> bool(re.fullmatch(r"run-\\d{8}T\\d{6}Z-[0-9a-f]{6}", new_run_id()))
    True
    """
    return "run-" + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


def _ring_subgraph(g: GraphFrames, ring_nodes: set[str]) -> pd.DataFrame:
    """Edges within two hops of ring borrowers (through their complaints and loans)."""
    parts = []
    frontier: dict[str, set] = {}
    for nid in ring_nodes:
        k, _, key = nid.partition(":")
        frontier.setdefault(k, set()).add(key)
    seen = {k: set(v) for k, v in frontier.items()}
    for _ in range(2):
        new: dict[str, set] = {}
        for (t, sk, dk), df in g.edges.items():
            if not len(df) or (sk not in frontier and dk not in frontier):
                continue
            m = np.zeros(len(df), bool)
            if sk in frontier:
                m |= isin(df["src"], frontier[sk])
            if dk in frontier:
                m |= isin(df["dst"], frontier[dk])
            if not m.any():
                continue
            e = df[m].copy()
            for kind, col in ((sk, "src"), (dk, "dst")):
                if kind in ("complaint", "loan"):
                    new.setdefault(kind, set()).update(e[col].tolist())
            e.insert(0, "type", t)
            e["src"] = sk + ":" + e["src"].astype(str)
            e["dst"] = dk + ":" + e["dst"].astype(str)
            parts.append(e)
        frontier = {k: v - seen.get(k, set()) for k, v in new.items()}
        frontier = {k: v for k, v in frontier.items() if v}
        for k, v in frontier.items():
            seen.setdefault(k, set()).update(v)
        if not frontier:
            break
    if not parts:
        return pd.DataFrame(columns=["type", "src", "dst", "_table", "_row"])
    e = pd.concat(parts, ignore_index=True)
    keep = [c for c in e.columns if c in ("type", "src", "dst", "_table", "_row", "event", "at", "city", "seen_at",
                                          "amount", "paid_at", "purpose", "loan_id", "role", "relation",
                                          "received_at", "monthly_salary", "name")]
    e = e[keep].astype(object)
    return e.drop_duplicates(["type", "src", "dst", "_table", "_row"]).reset_index(drop=True)


def _as_text(d: pd.DataFrame) -> pd.DataFrame:
    """Every column as a string column (missing stays missing), as the state's node table stores them.

    Columns already of the ``str`` dtype are kept; others go through ``str()``.

    Examples
    --------
    >>> _as_text(pd.DataFrame({"a": ["x", None], "b": [1.5, None]})).to_dict("list")
    {'a': ['x', nan], 'b': ['1.5', nan]}
    """
    out = {}
    for c in d.columns:
        col = d[c]
        out[c] = col if col.dtype == "str" else col.astype(object).astype(str).where(col.notna(), None)
    return pd.DataFrame(out, index=d.index)


def check_out_dir(out) -> Path:
    """``--out`` must be a folder or a path that does not exist yet (checked before the work).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = f.write_text("a")
    >>> check_out_dir(f)
    Traceback (most recent call last):
    ...
    graphring.errors.RunError: --out .../x.txt is an existing file, not a folder: give a new or existing run folder
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise RunError(f"--out {out} is an existing file, not a folder: give a new or existing run folder")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise RunError(f"--out {out}: {parent} is a file, not a folder")
    return out


@cyclic_gc_paused
def write_run(res: RingResult, out: str | Path, data_dir: str | Path | None = None, mapping=None) -> dict:
    """Write ``ring_members.csv``, ``rings.json``, ``manifest.json`` and the state later commands read.

    Returns the manifest.
    """
    out = check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    state = out / STATE_DIR
    state.mkdir(exist_ok=True)
    # the big state tables and the input checksums are written on a side thread: Arrow's Parquet
    # writer and hashlib work without the GIL while this thread builds the contract files
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphring-write")
    inc = res.projection.incidence
    jobs = [side.submit(res.projection.edges.to_parquet, state / PROJECTION_EDGES, index=False),
            side.submit(inc.to_parquet, state / INCIDENCE, index=False),
            side.submit(res.partition.membership.rename("community").rename_axis("borrower").reset_index().to_parquet,
                        state / PARTITION, index=False)]
    files = sorted(p for p in Path(data_dir).iterdir() if p.is_file()) if data_dir is not None else []
    hashes = side.submit(lambda: {p.name: sha256_file(p) for p in files})
    members = res.members_table()
    write_csv(members, out / "ring_members.csv")
    run = {"graphring_version": graphring.__version__, **{k: v for k, v in res.params.items()}}

    def ring_record(r: Ring) -> dict:
        kinds, ids, roles = (r.members[c].tolist() for c in ("kind", "id", "role"))
        return {"ring_id": r.ring_id, "score": round(r.score, 6), "typology": r.typology,
                "scheme_scores": r.scheme_scores, "size": dict(sorted(Counter(kinds).items())),
                "members": [{"kind": k, "id": i, "role": o} for k, i, o in zip(kinds, ids, roles)],
                "signals": r.signals, "robustness": r.robustness}

    # one ring per line: readable with `grep`/`jq -c`, and written by json's C encoder (indent= is pure Python)
    enc = json.JSONEncoder(ensure_ascii=False, default=str)
    hubs = suppressed_hubs(res.projection)
    with open(out / "rings.json", "w", encoding="utf-8", newline="\n") as f:
        f.write('{"run": ' + json.dumps(run, ensure_ascii=False, indent=1, default=str) + ',\n "rings": [\n')
        f.write(",\n".join("  " + enc.encode(ring_record(r)) for r in res.rings))
        f.write("\n ],\n \"suppressed_hubs\": [\n")
        f.write(",\n".join("  " + enc.encode(h) for h in hubs))
        f.write("\n ],\n \"ring_links\": [\n")
        f.write(",\n".join("  " + enc.encode(x) for x in res.ring_links))
        f.write("\n ]\n}\n")
    # state for report / screen / explain
    ring_nodes = set("borrower:" + members.loc[members["kind"] == "borrower", "id"])
    sub = _ring_subgraph(res.frames, ring_nodes)
    jobs.append(side.submit(sub.to_parquet, state / SUBGRAPH_EDGES, index=False))
    node_parts = []
    ids = set(sub["src"]) | set(sub["dst"]) | ring_nodes
    for kind, df in res.frames.nodes.items():
        nid = kind + ":" + df["key"].astype(str)
        m = isin(nid, ids)
        if m.any():
            d = df[m].copy()
            d.insert(0, "kind", kind)
            d.insert(0, "node", nid[m].to_numpy())
            node_parts.append(_as_text(d))
    nodes = pd.concat(node_parts, ignore_index=True) if node_parts else pd.DataFrame(columns=["node", "kind", "key"])
    nodes.to_parquet(state / SUBGRAPH_NODES, index=False)
    inputs = hashes.result()
    for j in jobs:
        j.result()  # re-raises a write error here
    side.shutdown()
    manifest = {
        "run_id": res.run_id or new_run_id(),
        "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        **(res.backend or {"backend": "memory", "gds_ran": False}),
        "graphring_version": graphring.__version__,
        "data_dir": str(data_dir) if data_dir is not None else None,
        "mapping": str(mapping) if mapping is not None and not isinstance(mapping, dict) else None,
        "inputs_sha256": inputs,
        "params": run,
        "validation": res.validation.summary_rows() if res.validation is not None else None,
        "graph": res.frames.counts(),
        "n_rings": len(res.rings),
        "suppressed_hubs": {"count": len(hubs), "by_link": dict(sorted(Counter(h["link"] for h in hubs).items())),
                            "where": "rings.json suppressed_hubs"},
        "n_ring_links": len(res.ring_links),
        "schemes_not_assessed": res.params.get("schemes_not_assessed", {}),
        "timings_s": {k: round(v, 3) for k, v in {**res.timings, "write": time.perf_counter() - t0}.items()},
        "outputs": {n: sha256_file(out / n) for n in ("ring_members.csv", "rings.json")},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str) + "\n",
                                       encoding="utf-8")
    if res.validation is not None and len(res.validation.problems):
        write_csv(res.validation.problems, out / "problems.csv")
    return manifest


def suppressed_hubs(projection) -> list[dict]:
    """The identifiers the projection set aside as hubs, for ``rings.json`` (``suppressed_hubs``).

    One record per hub, most-shared first: ``kind`` (entity kind), ``link`` (the
    projection link kind), ``value`` (masked, as every report shows it), ``n``
    (borrowers sharing it), ``cap`` (the link kind's hub cap, ``LINKS``) and
    ``rule`` (in words: why it made no links).

    Examples
    --------
    >>> from graphring.detect.projection import Projection
    >>> p = Projection(pd.DataFrame(), pd.DataFrame(), pd.DataFrame({"link": ["employer"], "ident": ["company:X1"],
    ...                                                             "n": [400], "cap": [50]}))
    >>> suppressed_hubs(p)[0]["rule"]
    'shared by 400 borrowers > cap 50 for employer links: a hub, makes no links'
    """
    h = getattr(projection, "hubs", None)
    if h is None or not len(h):
        return []
    h = h.sort_values(["n", "link", "ident"], ascending=[False, True, True], kind="stable")
    out = []
    for link, ident, n, cap in zip(h["link"], h["ident"], h["n"], h["cap"]):
        kind, _, key = str(ident).partition(":")
        cap = None if cap is None or (isinstance(cap, float) and np.isnan(cap)) else int(cap)
        out.append({"kind": kind, "link": str(link), "value": mask_entity(kind, key), "n": int(n), "cap": cap,
                    "rule": f"shared by {int(n)} borrowers > cap {cap} for {link} links: a hub, makes no links"})
    return out


def read_run(run_dir: str | Path | Run) -> Run:
    """Load a run directory written by :func:`write_run` (rings.json, manifest, members) as a :class:`Run`.

    A :class:`Run` is returned as it is. Ring ids read from disk are checked like typed ones (they end up
    in file names).

    Raises
    ------
    RunError
        If the folder is missing, lacks one of ``rings.json``, ``ring_members.csv``, ``manifest.json``, or
        they cannot be read.

    Examples
    --------
    >>> read_run("/nonexistent-run")
    Traceback (most recent call last):
    ...
    graphring.errors.RunError: run directory not found: /nonexistent-run
    """
    if isinstance(run_dir, Run):
        return run_dir
    d = Path(run_dir)
    if not d.is_dir():
        raise RunError(f"run directory not found: {d}")
    for n in RUN_FILES:
        if not (d / n).is_file():
            raise RunError(f"{d} is not a graphring run directory: {n} is missing (run `graphring rings` first)")
    try:
        rings = json.loads((d / "rings.json").read_text(encoding="utf-8"))
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunError(f"{d}: cannot read run files: {exc}") from None
    members = read_csv(d / "ring_members.csv")
    # ring ids end up in file names (pages, packs): ids read from disk are checked like typed ones
    if not isinstance(rings, dict) or not isinstance(rings.get("rings", []), list):
        raise RunError(f"{d / 'rings.json'}: not a graphring rings file (no list of rings)")
    for r in rings.get("rings", []):
        check_ring_id(r.get("ring_id") if isinstance(r, dict) else r, str(d / "rings.json"))
    for rid in pd.unique(members["ring_id"]) if "ring_id" in members.columns else []:
        check_ring_id(rid, str(d / "ring_members.csv"))
    return Run(dir=d, rings=rings, manifest=manifest, members=members)
