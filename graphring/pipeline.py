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

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

from graphring.config import DEFAULTS
from graphring.detect.agencies import join_agency_cells, join_organiser_cells, join_script_cells
from graphring.detect.borders import trim_borders
from graphring.detect.communities import Partition, detect, igraph_module
from graphring.detect.detection import controlled_view, corroborate, ring_links
from graphring.detect.projection import LINKS, Projection, build_projection
from graphring.errors import GraphringError
from graphring.graph.model import GraphFrames, build_frames
from graphring.ingest.masks import isin
from graphring.ingest.validate import ValidatedData, validate_folder
from graphring.run import check_out_dir, cyclic_gc_paused, new_run_id, read_run, suppressed_hubs, write_run
from graphring.score.scoring import member_roles, scheme_scores, score, typology, unassessed_schemes
from graphring.signals import SIGNALS, SignalContext, run_signals
from graphring.store.base import GraphStore
from graphring.store.memory import MemoryStore

#: ``write_run``, ``read_run``, ``check_out_dir``, ``suppressed_hubs``, ``new_run_id`` live in :mod:`graphring.run`
#: (the run directory's module) and stay importable from here.
__all__ = ["Ring", "RingResult", "find_rings", "rings_from_store", "write_run", "read_run", "suppressed_hubs", "DEFAULTS",
           "CONTRACT_KINDS", "check_out_dir", "new_run_id"]

#: Defaults chosen by evaluation on generated data (see README "Ring finding"): :mod:`graphring.config`.

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
    # (one column at a time, on the rows still in question: the table has millions of rows)
    rows = np.flatnonzero(isin(inc["borrower"], ring_of.index))
    rows = rows[~isin(inc["link"].iloc[rows], ["template", "company_group"])]
    m = inc.iloc[rows]
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
    :func:`graphring.analyse.history.previous_partition`): community detection starts
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
    # level 1 on controlled ties only (graphring.detect.detection): a shared script never merges two groups
    ctrl = controlled_view(proj)
    part = None
    if store is not None and initial is None:
        part = store.communities(lambda: ctrl.edges, algorithm, seed, resolution=resolution, min_size=min_size,
                                 max_size=max_size, **opts)
    if part is None:
        part = detect(ctrl.edges, algorithm=algorithm, seed=seed, resolution=resolution, min_size=min_size,
                      max_size=max_size, initial=initial, codes=ctrl.codes, **opts)
    # on any backend's partition: ring borders drawn again (graphring.detect.borders), then the sub-teams of
    # one agency joined (graphring.detect.agencies), then letters attach and group what has no ring
    trimmed, moved = trim_borders(part.membership, ctrl, min_size)
    joined, joins = join_agency_cells(trimmed, g, ctrl, min_size, max_size)
    joined, sjoins = join_script_cells(joined, g, ctrl, min_size, max_size)
    joined, ojoins = join_organiser_cells(joined, ctrl, min_size, max_size)
    final, corr = corroborate(joined, proj.edges, min_size, seed=seed, resolution=resolution, max_size=max_size,
                              codes=proj.codes, **opts)
    part = Partition(final, part.algorithm, {**part.params, "border_members_moved": moved,
                                             "agency_cells_joined": len(joins),
                                             "script_cells_joined": len(sjoins),
                                             "organiser_cells_joined": len(ojoins), **corr}, part.seed)
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
    """:func:`graphring.detect.detection.ring_links` between reported rings, by ring id, with a family number each.

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


@cyclic_gc_paused
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


def _no_credentials(uri) -> str | None:
    """A URI without any ``user:password@`` part.

    Examples
    --------
    >>> _no_credentials("neo4j://neo4j:secret@db.example:7687"), _no_credentials("bolt://localhost:7687")
    ('neo4j://db.example:7687', 'bolt://localhost:7687')
    """
    if uri is None:
        return None

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
