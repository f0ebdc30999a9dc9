"""Ring borders: members who hang on one ring member by commonplace ties are let go.

Community detection with the constant Potts model keeps a group whenever its
ties are denser than the resolution. A small honest company's staff (five
colleagues, each pair tied by the employer link) is dense enough to ride along
with a ring that employs one of them: the four colleagues join the ring through
that one member, and the ring's borrower set is then half strangers (on
generated data: a planted five-member ring reported as nine, so it was not
found).

This module draws the border again, after detection. In each community:

1. The **core** is the largest group of members tied together by evidence
   links: any link kind but the :data:`COMMONPLACE` ones (an employer, a trade
   counterparty, a home address, a company's registration agent or address:
   ties that honest people share every day). It must have at least
   ``min_size`` borrowers, or the community is left alone.
2. The other members fall into **blocks**: groups tied to each other (by any
   link) outside the core.
3. A block whose ties into the core all end at **one** core member is that
   member's colleagues, family or neighbours, not the ring's: it leaves the
   community and becomes a community of its own (scored like any other).
   A block tied to two or more core members stays: a shell's fake payroll ties
   every carrier it pays, where one member's colleagues or neighbours are tied
   to that member alone. (A device, an account or a phone is evidence, so
   whoever shares one with the ring is core, not a block.)

Examples
--------
>>> import pandas as pd
>>> from graphring.detect.projection import Projection
>>> # a, b, c share a device; c's colleagues x, y, z share nothing with the ring but their employer
>>> e = pd.DataFrame({"u": ["a", "a", "b", "c", "c", "c", "x", "x", "y"],
...                   "v": ["b", "c", "c", "x", "y", "z", "y", "z", "z"], "weight": 1.0,
...                   "links": ["device"] * 3 + ["employer"] * 6})
>>> membership = pd.Series(0, index=list("abcxyz"))
>>> out, moved = trim_borders(membership, Projection(e, pd.DataFrame(), pd.DataFrame()), min_size=3)
>>> out.tolist(), moved
([0, 0, 0, 1, 1, 1], 3)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from graphring.detect.communities import _codes
from graphring.ingest.masks import codes
from graphring.detect.projection import Projection

__all__ = ["COMMONPLACE", "trim_borders"]

#: Link kinds honest people share every day: they hold a ring's border only together with evidence.
COMMONPLACE = frozenset({"employer", "counterparty", "home_address", "company_agent", "company_address"})


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    g = coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    return connected_components(g, directed=False)[1]


def trim_borders(membership: pd.Series, proj: Projection, min_size: int) -> tuple[pd.Series, int]:
    """Move blocks tied to one core member only out of their community (see the module docstring).

    Parameters
    ----------
    membership : Series
        Community label (int) by borrower id.
    proj : Projection
        The projection the communities were found on (``edges`` with ``links``;
        :attr:`Projection.codes` is used when set).
    min_size : int
        Smallest core worth drawing a border around.

    Returns
    -------
    membership : Series
        Same index; a moved block takes a new label (above every old one).
    moved : int
        How many borrowers moved.
    """
    nodes, eu, ev, _ = proj.codes if proj.codes is not None else _codes(proj.edges)
    n = len(nodes)
    if not n or not len(membership):
        return membership, 0
    lab = membership.reindex(nodes)
    known = lab.notna().to_numpy()
    memb = np.where(known, lab.fillna(-1).to_numpy(), -1).astype(np.int64)
    same = (memb[eu] == memb[ev]) & known[eu]
    # the link kinds of the edges inside communities, spelled once per distinct combination
    inside = np.flatnonzero(same)
    kc, kinds = codes(proj.edge_rows(inside)["links"])
    commonplace = np.array([set(str(k).split(";")) <= COMMONPLACE for k in kinds.tolist()] + [False])[kc]
    ev_edge = np.zeros(len(eu), bool)
    ev_edge[inside[~commonplace]] = True
    comp = _components(n, eu[ev_edge], ev[ev_edge])
    # each community's core: its largest evidence component (ties: the smallest component number)
    cs = pd.DataFrame({"m": memb[known], "c": comp[known]}).value_counts().reset_index(name="k")
    cs = cs.sort_values(["m", "k", "c"], ascending=[True, False, True], kind="stable").drop_duplicates("m")
    cs = cs[cs["k"] >= min_size]
    core_c = np.full(int(memb.max()) + 1, -1, np.int64)
    core_c[cs["m"].to_numpy()] = cs["c"].to_numpy()
    has_core = known & (core_c[np.maximum(memb, 0)] >= 0)
    in_core = has_core & (comp == core_c[np.maximum(memb, 0)])
    outside = has_core & ~in_core
    if not outside.any():
        return membership, 0
    # blocks: outside members tied to each other (any link) within their community
    sub = same & outside[eu] & outside[ev]
    blk = _components(n, eu[sub], ev[sub])
    # the core members each block is tied to
    a = same & ((outside[eu] & in_core[ev]) | (outside[ev] & in_core[eu]))
    o = np.where(outside[eu[a]], eu[a], ev[a])
    c = np.where(outside[eu[a]], ev[a], eu[a])
    att = pd.DataFrame({"b": blk[o], "core": c}).drop_duplicates()
    n_att = att.groupby("b")["core"].size()
    cut = outside & np.isin(blk, n_att[n_att == 1].index.to_numpy())
    if not cut.any():
        return membership, 0
    new = memb.copy()
    new[cut] = int(max(memb.max(), membership.max())) + 1 + pd.factorize(blk[cut])[0]
    out = pd.Series(new, index=nodes)
    moved = membership.copy()
    hit = out.index[cut]
    moved.loc[hit] = out.loc[hit].to_numpy()
    return moved, int(cut.sum())
