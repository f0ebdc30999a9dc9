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
    """Algorithms usable here (Leiden needs igraph and leidenalg).

    Examples
    --------
    >>> "wcc" in available_algorithms()
    True
    """
    out = ["wcc", "louvain"]
    try:
        import igraph  # noqa: F401
        import leidenalg  # noqa: F401

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


def leiden(edges: pd.DataFrame, seed: int = 0, resolution: float = 1.0, n_iterations: int = -1,
           quality: str = "modularity") -> Partition:
    """Leiden via igraph + leidenalg: weighted modularity (RB configuration) or CPM.

    With ``quality="cpm"`` (constant Potts model) ``resolution`` is a density: a
    group is a community when its members are tied, on average, more strongly
    than ``resolution``; unlike modularity it has no resolution limit, so a
    small dense ring is not absorbed into a large loose neighbourhood.
    """
    ig = require("igraph", "leiden", "Leiden community detection")
    la = require("leidenalg", "leiden", "Leiden community detection")
    nodes = pd.Index(pd.unique(pd.concat([edges["u"], edges["v"]], ignore_index=True))).sort_values()
    if len(nodes) == 0:
        return Partition(pd.Series([], dtype="int64"), "leiden", {"resolution": resolution}, seed)
    g = ig.Graph(n=len(nodes), edges=np.stack([nodes.get_indexer(edges["u"]),
                                               nodes.get_indexer(edges["v"])], axis=1).tolist())
    g.es["weight"] = edges["weight"].astype(float).tolist()
    cls = la.CPMVertexPartition if quality == "cpm" else la.RBConfigurationVertexPartition
    part = la.find_partition(g, cls, weights="weight", resolution_parameter=resolution,
                             n_iterations=n_iterations, seed=seed)
    return Partition(pd.Series(np.asarray(part.membership), index=nodes), "leiden",
                     {"resolution": resolution, "quality": quality}, seed)


def louvain(edges: pd.DataFrame, seed: int = 0, resolution: float = 1.0) -> Partition:
    """Louvain (python-louvain, seeded, weighted)."""
    import community as community_louvain
    import networkx as nx

    G = nx.Graph()
    G.add_weighted_edges_from(edges[["u", "v", "weight"]].itertuples(index=False, name=None))
    if G.number_of_nodes() == 0:
        return Partition(pd.Series([], dtype="int64"), "louvain", {"resolution": resolution}, seed)
    part = community_louvain.best_partition(G, weight="weight", resolution=resolution, random_state=seed)
    s = pd.Series(part).sort_index()
    return Partition(s, "louvain", {"resolution": resolution}, seed)


_FUNCS = {"leiden": leiden, "louvain": louvain, "wcc": wcc}


def detect(edges: pd.DataFrame, algorithm: str = "leiden", seed: int = 0, resolution: float = 1.0,
           min_size: int = 3, max_size: int = 400, **options) -> Partition:
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
        part = func(sub, seed=seed, resolution=resolution, **options)
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
                                             "max_size": max_size, **options}, seed)
