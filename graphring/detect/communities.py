"""Community detection on the borrower projection: Leiden, Louvain, connected components.

One function per algorithm family, graph first, ``seed`` argument, each returning
a :class:`Partition` that remembers how it was made. :func:`detect` chooses by
name, runs per connected component (components smaller than the minimum ring
size are skipped: they cannot be rings), and splits oversized communities by
re-running at a higher resolution inside them.

References
----------
.. [1] V. D. Blondel et al., "Fast unfolding of communities in large networks", 2008 (Louvain).
.. [2] V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing
       well-connected communities", Sci. Rep. 9, 5233 (2019).

Examples
--------
>>> import pandas as pd
>>> e = pd.DataFrame({"u": ["a", "a", "b", "d", "d", "e"], "v": ["b", "c", "c", "e", "f", "f"],
...                   "weight": [1.0] * 6})
>>> p = detect(e, algorithm="wcc", seed=0)
>>> sorted(p.groups().values(), key=len)
[['a', 'b', 'c'], ['d', 'e', 'f']]
"""

from __future__ import annotations

import contextlib
import random
import sys
from dataclasses import dataclass, field
from typing import Callable

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from graphring.errors import MissingExtraError, PartitionError, require

__all__ = ["Partition", "ALGORITHMS", "detect", "louvain", "leiden", "wcc", "available_algorithms"]

ALGORITHMS = ("leiden", "louvain", "wcc")


@dataclass
class Partition:
    """Community of every node, and how it was found.

    Attributes
    ----------
    membership : Series
        Community label (int) indexed by node id.
    algorithm : str
    params : dict
    seed : int
    """

    membership: pd.Series
    algorithm: str
    params: dict = field(default_factory=dict)
    seed: int = 0

    def groups(self) -> dict[int, list[str]]:
        """Node ids by community, each list sorted."""
        return {int(k): sorted(v.index.tolist()) for k, v in self.membership.groupby(self.membership)}


def available_algorithms() -> list[str]:
    """Algorithms usable here (Leiden needs igraph).

    Examples
    --------
    >>> "wcc" in available_algorithms()
    True
    """
    out = ["wcc", "louvain"]
    try:
        igraph_module()
        out.insert(0, "leiden")
    except MissingExtraError:
        pass
    return out


def _codes(edges: pd.DataFrame) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted node ids and the edges as integer positions into them, with float weights."""
    u_codes, u_uniq = pd.factorize(edges["u"], sort=False)
    v_codes, v_uniq = pd.factorize(edges["v"], sort=False)
    nodes = pd.Index(pd.unique(np.concatenate([np.asarray(u_uniq, dtype=object),
                                               np.asarray(v_uniq, dtype=object)]))).sort_values()
    u = nodes.get_indexer(u_uniq)[u_codes] if len(edges) else np.zeros(0, np.int64)
    v = nodes.get_indexer(v_uniq)[v_codes] if len(edges) else np.zeros(0, np.int64)
    w = (edges["weight"].astype(float).to_numpy() if "weight" in edges.columns else np.ones(len(edges)))
    return nodes, np.asarray(u, np.int64), np.asarray(v, np.int64), w


def _components(edges: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    nodes, u, v, _ = _codes(edges)
    return nodes, _components_codes(len(nodes), u, v)


def _components_codes(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    if n == 0:
        return np.zeros(0, np.int64)
    m = coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    _, lab = connected_components(m, directed=False)
    return lab.astype(np.int64)


def wcc(edges: pd.DataFrame, seed: int = 0, **_) -> Partition:
    """Weakly connected components of the projection."""
    nodes, lab = _components(edges)
    return Partition(pd.Series(lab, index=nodes), "wcc", {}, seed)


def igraph_module():
    """igraph, imported without its matplotlib plotting.

    When matplotlib is installed, ``import igraph`` imports ``matplotlib.pyplot``
    for igraph's own plotting (0.4 s of a 100k run). graphring never plots with
    igraph (:mod:`graphring.present.diagram` uses matplotlib directly), so unless
    matplotlib is already loaded it is hidden while igraph is imported: igraph
    then falls back to its stand-in for a missing matplotlib, and matplotlib
    imports normally afterwards.

    Examples
    --------
    >>> ig = igraph_module()
    >>> ig.Graph(n=3, edges=[(0, 1)]).ecount()
    1
    >>> import matplotlib  # still importable
    """
    if sys.modules.get("igraph") is not None:
        return sys.modules["igraph"]
    hide = "matplotlib" not in sys.modules
    if hide:
        sys.modules["matplotlib"] = None  # import matplotlib now raises ImportError
    try:
        igraph = require("igraph", "igraph>=0.11", "Leiden community detection")
    finally:
        if hide and "matplotlib" in sys.modules and sys.modules["matplotlib"] is None:
            del sys.modules["matplotlib"]
    return igraph


def _rng(seed: int):
    """igraph draws from a global generator: give it a seeded one, restore the default after."""
    ig = igraph_module()

    @contextlib.contextmanager
    def ctx():
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)

    return ctx()


def initial_labels(nodes: pd.Index, initial: pd.Series | None) -> list[int] | None:
    """Integer start labels for ``nodes`` from a previous membership (warm start).

    Nodes the previous partition knew keep its community; new nodes start
    alone (a fresh label each).

    Examples
    --------
    >>> initial_labels(pd.Index(["a", "b", "c", "z"]), pd.Series([5, 5, 7], index=["a", "b", "c"]))
    [0, 0, 1, 2]
    """
    if initial is None:
        return None
    prev = pd.Series(initial)
    prev = prev[~prev.index.duplicated()].reindex(nodes)
    codes, _ = pd.factorize(prev, sort=True)  # missing -> -1
    codes = codes.astype(np.int64)
    fresh = codes < 0
    codes[fresh] = codes.max(initial=-1) + 1 + np.arange(int(fresh.sum()))
    return codes.tolist()


def _leiden_codes(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int, resolution: float,
                  quality: str, n_iterations: int, initial: list[int] | None) -> np.ndarray:
    ig = igraph_module()
    if quality not in ("cpm", "modularity"):
        raise PartitionError(f"unknown Leiden quality {quality!r}: use cpm or modularity")
    g = ig.Graph(n=n)
    if len(u):
        g.add_edges(np.stack([u, v], axis=1))  # half the time of Graph(edges=...) on millions of edges
    with _rng(seed):
        c = g.community_leiden(objective_function="CPM" if quality == "cpm" else "modularity",
                               weights=w.tolist(), resolution=resolution, n_iterations=n_iterations,
                               initial_membership=initial)
    return np.asarray(c.membership, dtype=np.int64)


def leiden(edges: pd.DataFrame, seed: int = 0, resolution: float = 1.0, n_iterations: int = -1,
           quality: str = "modularity", initial: pd.Series | None = None) -> Partition:
    """Leiden (igraph's C implementation): weighted modularity or CPM.

    With ``quality="cpm"`` (constant Potts model) ``resolution`` is a density: a
    group is a community when its members are tied, on average, more strongly
    than ``resolution``; unlike modularity it has no resolution limit, so a
    small dense ring is not absorbed into a large loose neighbourhood.
    ``n_iterations=-1`` iterates until the partition is stable. ``initial``
    (a previous membership indexed by node) warm-starts the optimisation, so a
    small change in the data does not reshuffle every community.

    igraph's ``community_leiden`` optimises the same CPM quality as
    ``leidenalg.CPMVertexPartition`` (unit node sizes) and is 10-15x faster on
    the projection (``benchmarks/bench_rings.py``); leidenalg is not needed.

    Examples
    --------
    >>> e = pd.DataFrame({"u": ["a", "a", "b", "d", "d", "e", "c"], "v": ["b", "c", "c", "e", "f", "f", "d"],
    ...                   "weight": [1.0] * 6 + [0.05]})
    >>> leiden(e, quality="cpm", resolution=0.2).membership.tolist()
    [0, 0, 0, 1, 1, 1]
    """
    nodes, u, v, w = _codes(edges)
    params = {"resolution": resolution, "quality": quality, "n_iterations": n_iterations}
    if initial is not None:
        params["warm_start"] = True
    if len(nodes) == 0:
        return Partition(pd.Series([], dtype="int64"), "leiden", params, seed)
    lab = _leiden_codes(len(nodes), u, v, w, seed, resolution, quality, n_iterations, initial_labels(nodes, initial))
    return Partition(pd.Series(lab, index=nodes), "leiden", params, seed)


def _louvain_codes(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int, resolution: float,
                   initial: list[int] | None) -> np.ndarray:
    import community as community_louvain  # lazy: python-louvain is needed only with --algorithm louvain

    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist()))
    start = dict(enumerate(initial)) if initial is not None else None
    part = community_louvain.best_partition(G, partition=start, weight="weight", resolution=resolution,
                                            random_state=seed)
    return np.fromiter((part[i] for i in range(n)), dtype=np.int64, count=n)


def louvain(edges: pd.DataFrame, seed: int = 0, resolution: float = 1.0,
            initial: pd.Series | None = None) -> Partition:
    """Louvain (python-louvain, seeded, weighted); ``initial`` warm-starts it from a previous membership.

    Examples
    --------
    >>> e = pd.DataFrame({"u": ["a", "a", "b", "d", "d", "e", "c"], "v": ["b", "c", "c", "e", "f", "f", "d"],
    ...                   "weight": [1.0] * 6 + [0.05]})
    >>> sorted(louvain(e).groups().values())
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    """
    nodes, u, v, w = _codes(edges)
    params = {"resolution": resolution, **({"warm_start": True} if initial is not None else {})}
    if len(nodes) == 0:
        return Partition(pd.Series([], dtype="int64"), "louvain", params, seed)
    lab = _louvain_codes(len(nodes), u, v, w, seed, resolution, initial_labels(nodes, initial))
    return Partition(pd.Series(lab, index=nodes), "louvain", params, seed)


def split_oversized(lab: np.ndarray, max_size: int, redetect: Callable[[np.ndarray], np.ndarray],
                    rounds: int = 4) -> np.ndarray:
    """Split every community larger than ``max_size`` by detecting communities again inside it.

    No ring is that large (DOMAIN.md: agencies file for tens to a few hundred clients), so an oversized
    community is several groups the first pass could not tell apart. Every backend splits the same way:
    the memory detection passes its igraph run, the Neo4j store its GDS run.

    Parameters
    ----------
    lab : ndarray of int
        A community label per node.
    max_size : int
        The largest community kept whole.
    redetect : callable
        ``redetect(keep)`` -> labels (ints >= 0, local to the nodes) of the nodes in the boolean mask ``keep``.
    rounds : int
        Split at most this many times (a round that splits nothing ends it).

    Returns
    -------
    ndarray of int
        Labels with every split community's pieces numbered apart.

    Examples
    --------
    >>> halves = lambda keep: (np.arange(int(keep.sum())) % 2)
    >>> split_oversized(np.array([0, 0, 0, 0, 1]), 3, halves).tolist()
    [0, 1, 0, 1, 2]
    """
    lab = np.asarray(lab)
    for _ in range(rounds):
        lab = pd.factorize(lab)[0].astype(np.int64)
        over = np.nonzero(np.bincount(lab) > max_size)[0]
        if not len(over):
            break
        changed = False
        for L in over.tolist():
            keep = lab == L
            sub = np.asarray(redetect(keep), dtype=np.int64)
            changed |= len(np.unique(sub)) > 1
            lab[keep] = int(lab.max()) + 1 + sub
        if not changed:
            break
    return lab


def detect(edges: pd.DataFrame, algorithm: str = "leiden", seed: int = 0, resolution: float = 1.0,
           min_size: int = 3, max_size: int = 400, initial: pd.Series | None = None, codes: tuple | None = None,
           **options) -> Partition:
    """Community detection per connected component, oversized communities split.

    Parameters
    ----------
    edges : DataFrame
        ``u``, ``v``, ``weight``.
    algorithm : {"leiden", "louvain", "wcc"}
    seed : int
    resolution : float
        Modularity resolution, or CPM density with ``quality="cpm"`` (ignored by wcc).
    min_size : int
        Components with fewer nodes are labelled but not partitioned further.
    max_size : int
        Communities larger than this are split by re-running at doubled
        resolution inside them (up to four times).
    initial : Series, optional
        A previous run's membership (community label by node id): Leiden and
        Louvain start from it (warm start), so ring borders stay put where the
        data did not change. Ignored by wcc.
    codes : tuple, optional
        ``(nodes, u, v, weight)`` for ``edges`` when the caller has them
        (:attr:`graphring.detect.projection.Projection.codes`): sorted node ids and
        each edge's end points as positions into them.
    **options
        ``quality`` ("modularity" or "cpm") and ``n_iterations`` for Leiden.

    Returns
    -------
    Partition
        Labels are 0..k-1, numbered by each community's smallest node id, so
        the same input and seed give the same labels.
    """
    if algorithm not in ALGORITHMS:
        raise PartitionError(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
    params = {"resolution": resolution, "min_size": min_size, "max_size": max_size, **options,
              **({"warm_start": True} if initial is not None and algorithm != "wcc" else {})}
    nodes, u, v, w = codes if codes is not None else _codes(edges)
    n = len(nodes)
    if n == 0:
        return Partition(pd.Series([], dtype="int64"), algorithm, params, seed)
    comp = _components_codes(n, u, v)
    if algorithm == "wcc":
        lab = comp
    else:
        quality = options.get("quality", "modularity")
        n_iter = options.get("n_iterations", -1)

        def run(keep: np.ndarray, res: float, init: pd.Series | None) -> np.ndarray:
            """Communities of the nodes in ``keep`` (bool mask), as labels local to them."""
            pos = np.cumsum(keep) - 1
            em = keep[u] & keep[v]
            su, sv, sw = pos[u[em]], pos[v[em]], w[em]
            k = int(keep.sum())
            start = initial_labels(nodes[keep], init) if init is not None else None
            if algorithm == "leiden":
                return _leiden_codes(k, su, sv, sw, seed, res, quality, n_iter, start)
            return _louvain_codes(k, su, sv, sw, seed, res, start)

        sizes = np.bincount(comp)
        big = sizes[comp] >= min_size
        # one call over all components that can hold a ring (the quality is additive over components)
        lab = comp.copy()  # small components keep their component number
        nxt = int(comp.max()) + 1
        if big.any():
            lab[big] = nxt + run(big, resolution, initial)
        lab = split_oversized(lab, max_size, lambda keep: run(keep, resolution * 2, None))
    # deterministic relabelling: by smallest member id (nodes are sorted, so by smallest position)
    lab = pd.factorize(lab)[0]  # factorize numbers labels by first appearance = smallest member position
    return Partition(pd.Series(lab.astype(np.int64), index=nodes), algorithm, params, seed)
