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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphring.errors import PartitionError, require

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
        import igraph  # noqa: F401

        out.insert(0, "leiden")
    except ImportError:
        pass
    return out


def _components(edges: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = pd.Index(pd.unique(pd.concat([edges["u"], edges["v"]], ignore_index=True))).sort_values()
    if len(nodes) == 0:
        return nodes, np.zeros(0, np.int64)
    u = nodes.get_indexer(edges["u"])
    v = nodes.get_indexer(edges["v"])
    m = coo_matrix((np.ones(len(u)), (u, v)), shape=(len(nodes), len(nodes)))
    _, lab = connected_components(m, directed=False)
    return nodes, lab


def wcc(edges: pd.DataFrame, seed: int = 0, **_) -> Partition:
    """Weakly connected components of the projection."""
    nodes, lab = _components(edges)
    return Partition(pd.Series(lab, index=nodes), "wcc", {}, seed)


def _rng(seed: int):
    """igraph draws from a global generator: give it a seeded one, restore the default after."""
    import contextlib
    import random

    import igraph as ig

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
    prev = pd.Series(initial).reindex(nodes)
    codes, _ = pd.factorize(prev, sort=True)  # missing -> -1
    codes = codes.astype(np.int64)
    fresh = codes < 0
    codes[fresh] = codes.max(initial=-1) + 1 + np.arange(int(fresh.sum()))
    return codes.tolist()


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
    ig = require("igraph", "leiden", "Leiden community detection")
    nodes = pd.Index(pd.unique(pd.concat([edges["u"], edges["v"]], ignore_index=True))).sort_values()
    params = {"resolution": resolution, "quality": quality, "n_iterations": n_iterations}
    if initial is not None:
        params["warm_start"] = True
    if len(nodes) == 0:
        return Partition(pd.Series([], dtype="int64"), "leiden", params, seed)
    g = ig.Graph(n=len(nodes), edges=np.stack([nodes.get_indexer(edges["u"]),
                                               nodes.get_indexer(edges["v"])], axis=1))
    w = edges["weight"].astype(float).to_numpy()
    objective = "CPM" if quality == "cpm" else "modularity"
    if quality not in ("cpm", "modularity"):
        raise PartitionError(f"unknown Leiden quality {quality!r}: use cpm or modularity")
    with _rng(seed):
        c = g.community_leiden(objective_function=objective, weights=w.tolist(), resolution=resolution,
                               n_iterations=n_iterations, initial_membership=initial_labels(nodes, initial))
    return Partition(pd.Series(np.asarray(c.membership, dtype=np.int64), index=nodes), "leiden", params, seed)


def louvain(edges: pd.DataFrame, seed: int = 0, resolution: float = 1.0,
            initial: pd.Series | None = None) -> Partition:
    """Louvain (python-louvain, seeded, weighted); ``initial`` warm-starts it from a previous membership."""
    import community as community_louvain
    import networkx as nx

    G = nx.Graph()
    G.add_weighted_edges_from(edges[["u", "v", "weight"]].itertuples(index=False, name=None))
    if G.number_of_nodes() == 0:
        return Partition(pd.Series([], dtype="int64"), "louvain", {"resolution": resolution}, seed)
    start = None
    if initial is not None:
        nodes = pd.Index(sorted(G.nodes()))
        start = dict(zip(nodes, initial_labels(nodes, initial)))
    part = community_louvain.best_partition(G, partition=start, weight="weight", resolution=resolution,
                                            random_state=seed)
    s = pd.Series(part).sort_index()
    return Partition(s, "louvain", {"resolution": resolution, **({"warm_start": True} if start else {})}, seed)


_FUNCS = {"leiden": leiden, "louvain": louvain, "wcc": wcc}


def detect(edges: pd.DataFrame, algorithm: str = "leiden", seed: int = 0, resolution: float = 1.0,
           min_size: int = 3, max_size: int = 400, initial: pd.Series | None = None, **options) -> Partition:
    """Community detection per connected component, oversized communities split.

    Parameters
    ----------
    edges : DataFrame
        ``u``, ``v``, ``weight``.
    algorithm : {"leiden", "louvain", "wcc"}
    seed : int
    resolution : float
        Modularity resolution (ignored by wcc).
    min_size : int
        Components with fewer nodes are labelled but not partitioned further.
    max_size : int
        Communities larger than this are split by re-running at doubled
        resolution inside them (up to four times).
    initial : Series, optional
        A previous run's membership (community label by node id): Leiden and
        Louvain start from it (warm start), so ring borders stay put where the
        data did not change. Ignored by wcc.

    Returns
    -------
    Partition
        Labels are 0..k-1, numbered by each community's smallest node id, so
        the same input and seed give the same labels.
    """
    if algorithm not in _FUNCS:
        raise PartitionError(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
    nodes, comp = _components(edges)
    if len(nodes) == 0:
        return Partition(pd.Series([], dtype="int64"), algorithm, {"resolution": resolution,
                                                                   "min_size": min_size, "max_size": max_size}, seed)
    labels = pd.Series(comp, index=nodes).astype(object)
    sizes = pd.Series(comp).value_counts()
    big = set(sizes[sizes >= min_size].index.tolist())
    out = pd.Series(index=nodes, dtype=object)
    small = ~pd.Series(comp, index=nodes).isin(big)
    out[small] = "c" + pd.Series(comp[small.to_numpy()], index=nodes[small.to_numpy()]).astype(str)
    func = _FUNCS[algorithm]
    if algorithm == "wcc":
        out[~small] = "c" + pd.Series(comp[~small.to_numpy()], index=nodes[~small.to_numpy()]).astype(str)
    else:
        # one call over all components that can hold a ring (modularity is additive over components)
        sub = edges[edges["u"].map(labels).isin(big)]
        part = func(sub, seed=seed, resolution=resolution, **options,
                    **({"initial": initial} if initial is not None else {}))
        out[part.membership.index] = "p" + part.membership.astype(str)
    # split oversized communities
    for _ in range(4):
        counts = out.value_counts()
        over = counts[counts > max_size].index.tolist()
        if not over or algorithm == "wcc":
            break
        for lab in over:
            members = out.index[out == lab]
            mset = set(members)
            sub = edges[edges["u"].isin(mset) & edges["v"].isin(mset)]
            r = resolution * 2
            part = func(sub, seed=seed, resolution=r, **options)
            out[part.membership.index] = lab + "." + part.membership.astype(str)
    # deterministic relabelling: by smallest member id
    first = pd.DataFrame({"lab": out.to_numpy(), "node": out.index}).groupby("lab")["node"].min()
    order = {lab: i for i, lab in enumerate(first.sort_values().index)}
    membership = out.map(order).astype("int64")
    return Partition(membership, algorithm, {"resolution": resolution, "min_size": min_size,
                                             "max_size": max_size, **options,
                                             **({"warm_start": True} if initial is not None and algorithm != "wcc"
                                                else {})}, seed)
