"""Find rings: the library call behind ``graphring rings``.

:func:`find_rings` goes from a data folder (or a store) to a typed
:class:`RingResult`: validated input, the graph, the rarity-weighted borrower
projection, communities, and for every community of at least ``min_size``
borrowers its tying entities, signals with evidence, score, typology, member
roles and robustness. :func:`write_run` writes the contract's output files.

Examples
--------
>>> import tempfile, pathlib
>>> from graphring.sample import generate
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = generate(d / "data", 600, seed=3)
>>> res = find_rings(d / "data", seed=0)
>>> res.rings[0].score >= res.rings[-1].score
True
"""

from __future__ import annotations

import functools
import gc
import hashlib
import datetime as _dt
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

import graphring
from graphring.agencies import join_agency_cells, join_script_cells
from graphring.borders import trim_borders
from graphring.communities import Partition, detect, igraph_module
from graphring.detection import controlled_view, corroborate, ring_links
from graphring.errors import GraphringError, RunError
from graphring.masks import isin
from graphring.model import GraphFrames, build_frames
from graphring.projection import LINKS, Projection, build_projection
from graphring.safecsv import read_csv, write_csv
from graphring.scoring import member_roles, scheme_scores, score, typology, unassessed_schemes
from graphring.signals import SIGNALS, SignalContext, run_signals
from graphring.store.base import GraphStore
from graphring.store.memory import MemoryStore
from graphring.validate import ValidatedData, validate_folder

__all__ = ["Ring", "RingResult", "find_rings", "rings_from_store", "write_run", "read_run", "suppressed_hubs", "DEFAULTS",
           "CONTRACT_KINDS"]

#: Defaults chosen by evaluation on generated data (see README "Ring finding").
DEFAULTS = {"algorithm": "leiden", "seed": 0, "min_size": 3, "max_size": 400, "resolution": 0.03,
            "quality": "cpm", "min_score": 0.2, "text_threshold": 0.5, "n_iterations": 2}

CONTRACT_KINDS = ("borrower", "phone", "device", "ip", "account", "company", "address", "complaint", "loan",
                  "officer", "intermediary", "agent", "attachment")
_KIND_ORDER = {k: i for i, k in enumerate(CONTRACT_KINDS + ("registration_agent", "person", "email"))}


@dataclass
class Ring:
    """One ring: members, score, typology, signals with evidence, robustness."""

    ring_id: str
    score: float
    typology: str
    scheme_scores: dict
    members: pd.DataFrame          # kind, id, role, link
    signals: list[dict]            # name, weight, strength, reason, evidence (records)
    robustness: dict
    community: int

    @property
    def borrowers(self) -> list[str]:
        return sorted(self.members.loc[self.members["kind"] == "borrower", "id"].tolist())


@dataclass
class RingResult:
    """Everything one run found, and how."""

    rings: list[Ring]
    params: dict
    timings: dict
    validation: ValidatedData | None
    projection: Projection
    partition: Partition
    frames: GraphFrames
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: links between reported rings one level up (a shared script, document, broker, registration agent):
    #: ``rings`` (two ring ids), ``kind``, ``n``, ``examples``, ``family``
    ring_links: list = field(default_factory=list)
    #: This run's id (``manifest.json`` ``run_id``; Neo4j Ring nodes carry it) and the backend it ran on.
    run_id: str | None = None
    backend: dict = field(default_factory=dict)

    def members_table(self) -> pd.DataFrame:
        """``ring_members.csv`` as a DataFrame (contract columns first)."""
        cols = ["ring_id", "score", "typology", "kind", "id", "role"]
        if not self.rings:
            return pd.DataFrame(columns=cols)
        n = [len(r.members) for r in self.rings]
        # one frame from column arrays: a concat of per-ring frames costs ~1 ms a ring
        return pd.DataFrame({
            "ring_id": np.repeat(np.array([r.ring_id for r in self.rings], dtype=object), n),
            "score": np.repeat(np.array([round(r.score, 6) for r in self.rings]), n),
            "typology": np.repeat(np.array([r.typology for r in self.rings], dtype=object), n),
            **{c: np.concatenate([r.members[c].to_numpy(dtype=object) for r in self.rings]) for c in cols[3:]}})


def _ring_entities(members: pd.DataFrame, proj: Projection) -> pd.DataFrame:
    """Non-borrower entities tying each ring: shared by >= 2 of its borrowers and mostly its own."""
    inc = proj.incidence
    ring_of = members.set_index("borrower")["ring"]
    m = inc[isin(inc["borrower"], ring_of.index) & ~isin(inc["link"], ["template", "company_group"])]
    if not len(m):
        return pd.DataFrame(columns=["ring", "kind", "id", "link"])
    m = m.drop_duplicates(["borrower", "ident", "link"]).assign(ring=lambda d: d["borrower"].map(ring_of))
    k = m.groupby(["ring", "ident"])["borrower"].transform("nunique")
    hub = m["n"] > m["link"].map({a: b.max_share for a, b in LINKS.items()}).fillna(0)
    m = m[(k >= 2) & (k >= 0.5 * m["n"]) & ~hub]
    kind = m["ident"].str.split(":", n=1).str[0]
    ident = m["ident"].str.split(":", n=1).str[1]
    out = pd.DataFrame({"ring": m["ring"].to_numpy(), "kind": kind.to_numpy(), "id": ident.to_numpy(),
                        "link": m["link"].to_numpy()})
    # one row per entity, the strongest link first
    out["w"] = out["link"].map({a: b.weight for a, b in LINKS.items()})
    out = out.sort_values(["ring", "kind", "id", "w"], ascending=[True, True, True, False], kind="stable")
    return out.drop_duplicates(["ring", "kind", "id"]).drop(columns="w")


def _robustness(borrowers: list[str], edges: pd.DataFrame, exact_max: int = 150) -> dict:
    """The weakest link of a ring: the minimum weighted cut of its projection subgraph.

    Exact (Stoer-Wagner, igraph's C implementation) up to ``exact_max``
    borrowers; above, the weakest member's total tie weight (an upper bound of
    the cut: Stoer-Wagner on a 400-member ring takes a second). A ring whose
    projection is not connected has cut 0 and names its smallest piece.

    Examples
    --------
    >>> e = pd.DataFrame({"u": ["a", "a", "b", "c", "d", "d"], "v": ["b", "c", "c", "d", "e", "f"],
    ...                   "weight": [1, 1, 1, 0.25, 1, 1], "links": ["agent"] * 3 + ["employer"] + ["device"] * 2})
    >>> r = _robustness(list("abcdef"), e)
    >>> r["min_cut_weight"], r["cut_links"], r["cut_edges"]
    (0.25, ['employer'], 1)
    >>> big = _robustness(list("abcdef"), e, exact_max=3)
    >>> big["method"], big["min_cut_weight"], big["splits_off"]
    ('min_weighted_degree (upper bound)', 1.0, ['e'])
    """
    ig = igraph_module()
    names = sorted(set(borrowers))
    n = len(names)
    if n < 2:
        return {"min_cut_weight": 0.0, "method": "single borrower", "cut_links": [], "splits_off": [],
                "connected": True}
    # plain lists: most rings are a handful of borrowers, where pandas' per-call overhead dominates
    pos = {b: i for i, b in enumerate(names)}
    eu, ev = edges["u"].tolist(), edges["v"].tolist()
    ew, el = edges["weight"].astype(float).tolist(), edges["links"].tolist()
    keep = [i for i, (a, b) in enumerate(zip(eu, ev)) if a in pos and b in pos]
    u = [pos[eu[i]] for i in keep]
    v = [pos[ev[i]] for i in keep]
    wts = [ew[i] for i in keep]
    lks = [el[i] for i in keep]
    g = ig.Graph(n=n, edges=list(zip(u, v)))
    comps = g.connected_components()
    if len(comps) > 1:
        smallest = min(comps, key=lambda c: (len(c), min(names[i] for i in c)))
        return {"min_cut_weight": 0.0, "method": "components", "cut_links": [],
                "splits_off": sorted(names[i] for i in smallest)[:20], "connected": False}

    def spelled(idx) -> list[str]:
        return sorted({lk for i in idx for lk in str(lks[i]).split(";")})

    if n > exact_max:
        uu, vv = np.asarray(u), np.asarray(v)
        deg = np.bincount(uu, weights=wts, minlength=n) + np.bincount(vv, weights=wts, minlength=n)
        weakest = int(np.argmin(deg))
        at = np.flatnonzero((uu == weakest) | (vv == weakest)).tolist()
        return {"min_cut_weight": round(float(deg[weakest]), 6), "method": "min_weighted_degree (upper bound)",
                "cut_links": spelled(at), "splits_off": [str(names[weakest])], "cut_edges": len(at),
                "connected": True}
    cut = g.mincut(capacity=wts)
    a, b = cut.partition
    small = a if (len(a), min(names[i] for i in a)) <= (len(b), min(names[i] for i in b)) else b
    crossing = list(cut.cut)
    return {"min_cut_weight": round(float(cut.value), 6), "method": "stoer_wagner", "cut_links": spelled(crossing),
            "splits_off": sorted(names[i] for i in small)[:20], "cut_edges": len(crossing), "connected": True}


def _evidence_records(ev: pd.DataFrame) -> list[dict]:
    """Evidence rows as JSON-ready dicts (missing values ``None``, input rows as ``int``), built column-wise.

    Examples
    --------
    >>> ev = pd.DataFrame({"ring": [1, 1], "signal": ["s", "s"], "borrower": ["a", None], "row": [3.0, None]})
    >>> _evidence_records(ev)
    [{'borrower': 'a', 'row': 3}, {'borrower': None, 'row': None}]
    """
    cols = [c for c in ev.columns if c not in ("ring", "signal")]
    lists = []
    for c in cols:
        s = ev[c]
        vals = s.astype(object).where(s.notna(), None).tolist()
        if c == "row":
            vals = [_as_int(x) for x in vals]
        lists.append(vals)
    return [dict(zip(cols, t)) for t in zip(*lists)]


def _as_int(x):
    if x is None:
        return None
    try:
        return int(x)
    except (TypeError, ValueError):
        return x


def rings_from_frames(g: GraphFrames, *, algorithm: str = DEFAULTS["algorithm"], seed: int = DEFAULTS["seed"],
                      min_size: int = DEFAULTS["min_size"], max_size: int = DEFAULTS["max_size"],
                      resolution: float | None = None, quality: str = DEFAULTS["quality"],
                      min_score: float = DEFAULTS["min_score"],
                      text_threshold: float = DEFAULTS["text_threshold"], watchlist: pd.DataFrame | None = None,
                      hmac_key: bytes | None = None, store: GraphStore | None = None,
                      weights: dict[str, float] | None = None, robust_top: int = 500,
                      initial: pd.Series | None = None, progress: Callable[[str], None] | None = None) -> RingResult:
    """Rings from GraphFrames (the backend-neutral core of :func:`find_rings`).

    ``initial`` is a previous run's partition (see
    :func:`graphring.history.previous_partition`): community detection starts
    from it (warm start) instead of from singletons.
    """
    say = progress or (lambda msg: None)
    if resolution is None:  # CPM takes a density; modularity a multiplier
        resolution = DEFAULTS["resolution"] if (algorithm == "leiden" and quality == "cpm") else 1.0
    # Leiden passes: 2 (igraph's default) finds the same rings as iterating to convergence at 100k
    # (benchmarks/bench_rings.py) and is ~4x faster at 1M
    opts = {"quality": quality, "n_iterations": DEFAULTS["n_iterations"]} if algorithm == "leiden" else {}
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    say("projecting borrowers")
    proj = build_projection(g, text_threshold=text_threshold, seed=seed)
    timings["projection"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    say(f"community detection ({algorithm})")
    # level 1 on controlled ties only (graphring.detection): a shared script never merges two groups
    ctrl = controlled_view(proj)
    part = None
    if store is not None and initial is None:
        part = store.communities(ctrl.edges, algorithm, seed, resolution=resolution, min_size=min_size,
                                 max_size=max_size, **opts)
    if part is None:
        part = detect(ctrl.edges, algorithm=algorithm, seed=seed, resolution=resolution, min_size=min_size,
                      max_size=max_size, initial=initial, codes=ctrl.codes, **opts)
    # on any backend's partition: ring borders drawn again (graphring.borders), then the sub-teams of
    # one agency joined (graphring.agencies), then letters attach and group what has no ring
    trimmed, moved = trim_borders(part.membership, ctrl, min_size)
    joined, joins = join_agency_cells(trimmed, g, ctrl, min_size, max_size)
    joined, sjoins = join_script_cells(joined, g, ctrl, min_size, max_size)
    final, corr = corroborate(joined, proj.edges, min_size, seed=seed, resolution=resolution, max_size=max_size,
                              codes=proj.codes, **opts)
    part = Partition(final, part.algorithm, {**part.params, "border_members_moved": moved,
                                             "agency_cells_joined": len(joins),
                                             "script_cells_joined": len(sjoins), **corr}, part.seed)
    timings["communities"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    say("signals and scoring")
    sizes = part.membership.value_counts()
    keep = sizes[sizes >= min_size].index
    mem = part.membership[part.membership.isin(keep)]
    members = pd.DataFrame({"ring": mem.to_numpy(), "borrower": mem.index.to_numpy()})
    ctx = SignalContext(g, members, proj.incidence, watchlist=watchlist, hmac_key=hmac_key)
    evidence, st = run_signals(ctx)
    sc = score(st, weights=weights)
    not_assessed = unassessed_schemes(g)
    typ = typology(st, weights=weights, unassessed=tuple(not_assessed))
    ss = scheme_scores(st, weights=weights)
    timings["signals"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cand = sc[sc >= min_score].index if len(sc) else pd.Index([])
    cmem = members[members["ring"].isin(cand)]
    ents = _ring_entities(cmem, proj)
    sigmap = {s.name: s for s in SIGNALS}
    # order: score desc, then smallest borrower id (deterministic)
    first_b = members.groupby("ring")["borrower"].min()
    order = sorted(cand, key=lambda r: (-round(float(sc[r]), 9), first_b[r]))
    # every member of every reported ring at once: borrowers, then the entities tying them
    allm = pd.concat([pd.DataFrame({"ring": cmem["ring"].to_numpy(), "kind": "borrower",
                                    "id": cmem["borrower"].to_numpy(), "link": None}),
                      ents[["ring", "kind", "id", "link"]]], ignore_index=True)
    ev_c = evidence[evidence["ring"].isin(cand)] if len(evidence) else evidence
    allm["role"] = member_roles(allm, typ, ev_c).to_numpy()
    allm = allm.assign(_o=allm["kind"].map(_KIND_ORDER).fillna(99))
    allm = allm.sort_values(["ring", "_o", "id"], kind="stable").drop(columns="_o")
    ring_col = allm["ring"].to_numpy()
    body = allm.drop(columns="ring").reset_index(drop=True)
    cuts = np.flatnonzero(np.r_[True, ring_col[1:] != ring_col[:-1], True]) if len(ring_col) else np.zeros(1, int)
    mem_by_ring = {ring_col[a]: body.iloc[a:b].reset_index(drop=True) for a, b in zip(cuts[:-1], cuts[1:])}
    bors_of = cmem.groupby("ring")["borrower"].agg(list).to_dict()
    # evidence records per (ring, signal), sorted once
    ev_recs: dict = {}
    if len(ev_c):
        evs = ev_c.sort_values(["ring", "signal", "table", "row", "borrower", "entity"], kind="stable",
                               na_position="last")
        keys = list(zip(evs["ring"].tolist(), evs["signal"].tolist()))
        recs = _evidence_records(evs)
        for k, rec in zip(keys, recs):
            ev_recs.setdefault(k, []).append(rec)
    rings: list[Ring] = []
    # projection edges inside each reported ring (for robustness), found among the rings' borrowers only
    comm_of = part.membership
    robust = set(order[:robust_top])
    rb = cmem.loc[cmem["ring"].isin(robust), "borrower"]
    pe = proj.edges
    nodes, eu, ev_, _ = proj.codes  # the edges as positions into their borrowers: no string lookups
    inr = nodes.isin(rb)
    keep = inr[eu] & inr[ev_]
    memb = comm_of.reindex(nodes).to_numpy()
    pe = pe[keep]
    cu, cv = memb[eu[keep]], memb[ev_[keep]]
    same = cu == cv
    pe_in = pe[same]
    edges_by_ring = dict(tuple(pe_in.groupby(cu[same]))) if len(pe_in) else {}
    st_c = st.loc[list(order)] if len(order) else st
    for i, r in enumerate(order, start=1):
        rid = f"R{i:04d}"
        m = mem_by_ring[r]
        bors = bors_of.get(r, [])
        sigs = []
        for name, v in st_c.loc[r].items():
            v = float(v)
            if v <= 0:
                continue
            w = (weights or {}).get(name, sigmap[name].weight)
            sigs.append({"name": name, "weight": w, "strength": round(v, 6),
                         "contribution": round(w * v, 6), "schemes": list(sigmap[name].schemes),
                         "reason": sigmap[name].reason, "evidence": ev_recs.get((r, name), [])})
        sigs.sort(key=lambda s: (-s["contribution"], s["name"]))
        rob = (_robustness(bors, edges_by_ring.get(r, proj.edges.iloc[0:0])) if i <= robust_top
               else {"method": "not computed (ranked below --robust-top)"})
        rings.append(Ring(rid, float(sc[r]), str(typ[r]), {k: round(float(v), 6) for k, v in ss.loc[r].items()},
                          m, sigs, rob, int(r)))
    links = _ring_link_records(cmem, {r: f"R{i:04d}" for i, r in enumerate(order, start=1)}, proj)
    timings["rings"] = time.perf_counter() - t0
    params = {"schemes_not_assessed": not_assessed, "algorithm": part.algorithm, "seed": seed, "min_size": min_size, "max_size": max_size,
              "resolution": resolution, "quality": quality if algorithm == "leiden" else None, "min_score": min_score, "text_threshold": text_threshold,
              "partition_params": part.params, "weights": {s.name: (weights or {}).get(s.name, s.weight)
                                                           for s in SIGNALS},
              "links": proj.params.get("links")}
    return RingResult(rings, params, timings, None, proj, part, g, evidence, links)


def _ring_link_records(cmem: pd.DataFrame, rid_of: dict, proj: Projection) -> list[dict]:
    """:func:`graphring.detection.ring_links` between reported rings, by ring id, with a family number each.

    A family is a connected set of linked rings (one supplier's script, one forger's template, one
    broker): the whole-chain view (全链条) the seeds ask for. Families are numbered by their first ring.
    """
    lk = ring_links(cmem, proj.edges, proj.incidence)
    if not len(lk):
        return []
    a = lk["a"].map(rid_of).to_numpy(object)
    b = lk["b"].map(rid_of).to_numpy(object)
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in zip(a.tolist(), b.tolist()):
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    fam = {r: i for i, r in enumerate(sorted({root(x) for x in parent}), start=1)}
    recs = [{"rings": sorted([x, y]), "kind": k, "n": int(n), "examples": list(ex), "family": f"F{fam[root(x)]:03d}"}
            for x, y, k, n, ex in zip(a.tolist(), b.tolist(), lk["kind"].tolist(), lk["n"].tolist(),
                                      lk["examples"].tolist())]
    return sorted(recs, key=lambda r: (r["family"], r["rings"], r["kind"]))


def _cyclic_gc_paused(fn):
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


@_cyclic_gc_paused
def find_rings(data_dir: str | Path, *, mapping=None, store: GraphStore | None = None,
               progress: Callable[[str], None] | None = None, **kwargs) -> RingResult:
    """Validate a data folder, load it into a store, and find rings.

    Parameters
    ----------
    data_dir : path
        Input folder (see ``DATA_CONTRACT.md``).
    mapping : path or dict, optional
        Header mapping.
    store : GraphStore, optional
        Where the graph lives (default: a new :class:`MemoryStore`). Detection
        reads the graph back from the store, so every backend runs the same code.
    **kwargs
        ``algorithm``, ``seed``, ``min_size``, ``max_size``, ``resolution``,
        ``min_score``, ``text_threshold``, ``watchlist``, ``hmac_key``, ``weights``.

    Returns
    -------
    RingResult
    """
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    say("reading and validating")
    v = validate_folder(data_dir, mapping)
    if not v.usable:
        raise GraphringError(f"{data_dir}: no borrower row could be loaded; nothing to analyse")
    t1 = time.perf_counter()
    say("building the graph")
    g = build_frames(v.tables)
    st = store or MemoryStore()
    st.load(g)
    g2 = st.fetch_frames()
    t2 = time.perf_counter()
    run_id = kwargs.pop("run_id", None)
    wl = kwargs.pop("watchlist", None)
    if wl is None and "watchlist" in v.tables:
        wl = v.tables["watchlist"]
    res = rings_from_frames(g2, store=st, progress=progress, watchlist=wl, **kwargs)
    res.validation = v
    res.timings = {"read_validate": t1 - t0, "graph": t2 - t1, **res.timings}
    res.run_id = run_id or new_run_id()
    res.backend = backend_info(st, res.partition)
    if store is not None:
        # each run its own Ring nodes: an earlier run's stay queryable under its own run id
        store.write_rings(res.rings, res.run_id)
    return res


def new_run_id() -> str:
    """A fresh run id: UTC time of the run and 6 random hex digits.

    Examples
    --------
    >>> import re
    >>> bool(re.fullmatch(r"run-\\d{8}T\\d{6}Z-[0-9a-f]{6}", new_run_id()))
    True
    """
    import secrets

    return "run-" + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


def _no_credentials(uri) -> str | None:
    """A URI without any ``user:password@`` part.

    Examples
    --------
    >>> _no_credentials("neo4j://neo4j:secret@db.example:7687"), _no_credentials("bolt://localhost:7687")
    ('neo4j://db.example:7687', 'bolt://localhost:7687')
    """
    if uri is None:
        return None
    from urllib.parse import urlsplit, urlunsplit

    u = urlsplit(str(uri))
    if u.username is None and u.password is None:
        return str(uri)
    host = u.hostname or ""
    return urlunsplit((u.scheme, host + (f":{u.port}" if u.port else ""), u.path, u.query, u.fragment))


def backend_info(store, partition=None) -> dict:
    """What ``manifest.json`` records of the backend: its name, a Neo4j URI without credentials, the GDS
    version and whether GDS ran the community detection."""
    kind = getattr(store, "backend_name", None) or ("neo4j" if type(store).__name__ == "Neo4jStore" else "memory")
    out = {"backend": kind}
    if kind == "neo4j":
        out["neo4j_uri"] = _no_credentials(getattr(store, "uri", None))
        out["database"] = getattr(store, "database", None)
        try:
            out["gds_version"] = store.server_info().get("gds")
        except Exception:  # noqa: BLE001 - the manifest says unknown rather than failing a finished run
            out["gds_version"] = None
    pp = getattr(partition, "params", None) or {}
    out["gds_ran"] = pp.get("backend") == "neo4j-gds"
    return out


def rings_from_store(store: GraphStore, **kwargs) -> RingResult:
    """Find rings in what a store already holds (e.g. a Neo4j database)."""
    return rings_from_frames(store.fetch_frames(), store=store, **kwargs)


# ---------------------------------------------------------------------------------------
# run directory
# ---------------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


@_cyclic_gc_paused
def write_run(res: RingResult, out: str | Path, data_dir: str | Path | None = None, mapping=None) -> dict:
    """Write ``ring_members.csv``, ``rings.json``, ``manifest.json`` and the state later commands read.

    Returns the manifest.
    """
    out = check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    state = out / "state"
    state.mkdir(exist_ok=True)
    # the big state tables and the input checksums are written on a side thread: Arrow's Parquet
    # writer and hashlib work without the GIL while this thread builds the contract files
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphring-write")
    inc = res.projection.incidence
    jobs = [side.submit(res.projection.edges.to_parquet, state / "projection_edges.parquet", index=False),
            side.submit(inc.to_parquet, state / "incidence.parquet", index=False),
            side.submit(res.partition.membership.rename("community").rename_axis("borrower").reset_index().to_parquet,
                        state / "partition.parquet", index=False)]
    files = sorted(p for p in Path(data_dir).iterdir() if p.is_file()) if data_dir is not None else []
    hashes = side.submit(lambda: {p.name: _sha256(p) for p in files})
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
    jobs.append(side.submit(sub.to_parquet, state / "subgraph_edges.parquet", index=False))
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
    nodes.to_parquet(state / "subgraph_nodes.parquet", index=False)
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
        "outputs": {n: _sha256(out / n) for n in ("ring_members.csv", "rings.json")},
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
    >>> p = Projection(pd.DataFrame(), pd.DataFrame(), pd.DataFrame({"link": ["employer"], "ident": ["company:X1"],
    ...                                                             "n": [400], "cap": [50]}))
    >>> suppressed_hubs(p)[0]["rule"]
    'shared by 400 borrowers > cap 50 for employer links: a hub, makes no links'
    """
    from graphring.privacy import mask_entity

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


def read_run(run_dir: str | Path) -> dict:
    """Load a run directory written by :func:`write_run` (rings.json, manifest, members)."""
    d = Path(run_dir)
    if not d.is_dir():
        raise RunError(f"run directory not found: {d}")
    for n in ("rings.json", "ring_members.csv", "manifest.json"):
        if not (d / n).is_file():
            raise RunError(f"{d} is not a graphring run directory: {n} is missing (run `graphring rings` first)")
    try:
        rings = json.loads((d / "rings.json").read_text(encoding="utf-8"))
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunError(f"{d}: cannot read run files: {exc}") from None
    members = read_csv(d / "ring_members.csv")
    # ring ids end up in file names (pages, packs): ids read from disk are checked like typed ones
    from graphring.safepath import check_ring_id

    if not isinstance(rings, dict) or not isinstance(rings.get("rings", []), list):
        raise RunError(f"{d / 'rings.json'}: not a graphring rings file (no list of rings)")
    for r in rings.get("rings", []):
        check_ring_id(r.get("ring_id") if isinstance(r, dict) else r, str(d / "rings.json"))
    for rid in pd.unique(members["ring_id"]) if "ring_id" in members.columns else []:
        check_ring_id(rid, str(d / "ring_members.csv"))
    return {"dir": d, "rings": rings, "manifest": manifest, "members": members}
