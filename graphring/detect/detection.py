"""Rings held by what their organiser controls; corroborating evidence attaches, never merges.

What ties a ring in life is what its organiser controls: the work phones it files from or binds, the
accounts and devices it runs, the forged documents and images it attaches, its named agent, its shells
and intermediaries. A complaint *script* is different: the chain splits into separate links — false
advertising, "anti-collection" tutorials, a unified script (定制统一话术), forged certificates — and one
script is made once and sold to many teams (DOMAIN.md; seeds/000). A shared script ties a team to a
supplier, not two teams into one ring. So community detection runs in two levels:

1. **Controlled ties.** Communities are found on the projection without the edges that near-duplicate
   letters alone make (``Projection.edges.text_weight`` is all of their weight): every edge left has an
   identifier an organiser controls (or a commonplace one, which :mod:`graphring.detect.borders` keeps from
   holding a border alone); letters add to a tie such an identifier makes, they never make one.
   Ring borders are drawn again (:func:`graphring.detect.borders.trim_borders`) and the cells of one agency —
   handfuls of clients tied by nothing but the work phone the agency gave them — joined where the
   clients' SIMs sit in one city in one period (:func:`graphring.detect.agencies.join_agency_cells`), or where
   every client's account phone was taken over and the cells send one script in one period
   (:func:`graphring.detect.agencies.join_script_cells`). A group with an identity of its own (an image, an
   agent, a device) is not a cell and is never joined by those. Pieces that share, whole, an identifier
   the organiser holds — the shell its carriers are "employed" at, the account it repays from — are
   one organisation cut by detection and are joined (:func:`graphring.detect.agencies.join_organiser_cells`);
   a shared broker, registration agent, document template or agent links rings one level up instead.
2. **Corroboration.** Letters then do what corroborating evidence may do:

   - a borrower with no controlled tie to any ring (not in a community of ``min_size``) whose
     near-duplicate letters point at one ring — at least :data:`ATTACH_MIN` of that ring's members,
     and at least :data:`ATTACH_SHARE` of the borrower's letter ties — joins that ring;
   - borrowers still without a ring form rings among themselves on all their ties, letters included
     (a group that only a script and its traces hold together, such as an agency whose clients keep
     their own phones, is still found).

   Two communities each held together by their own controlled identifiers are never merged by a
   script, however many letters they share: :func:`ring_links` reports them as separate rings linked
   one level up (a network of rings, 全链条).

Examples
--------
>>> import pandas as pd
>>> from graphring.detect.projection import Projection
>>> # two teams (own phones a-b-c, d-e-f) using one script; x wrote the script and has no phone in common
>>> e = pd.DataFrame({"u": list("abdeaxxx"), "v": list("bcefdabc"),
...                   "weight": [1, 1, 1, 1, .2, .2, .2, .2], "text_weight": [0, 0, 0, 0, .2, .2, .2, .2],
...                   "links": ["bound_phone"] * 4 + ["template"] * 4})
>>> m, info = corroborate(pd.Series([0, 0, 0, 1, 1, 1], index=list("abcdef")), e, min_size=3)
>>> m.sort_index().tolist(), info
([0, 0, 0, 1, 1, 1, 0], {'attached': 1, 'script_groups': 0})
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.detect.communities import detect
from graphring.detect.projection import ProjectionView
from graphring.ingest.masks import isin

__all__ = ["ATTACH_MIN", "ATTACH_SHARE", "controlled_view", "corroborate", "ring_links"]

#: A borrower with no controlled tie joins a ring when its letters resemble this many of the ring's members ...
ATTACH_MIN = 2
#: ... and that ring holds at least this share of the borrower's letter ties (a script sold to many
#: teams points at several rings at once: then the borrower joins none).
ATTACH_SHARE = 0.5


def controlled_view(proj):
    """The projection as the controlled level sees it: edges held by letters alone are dropped.

    An edge that also carries a controlled tie keeps its whole weight, letters included: a script
    strengthens a tie an organiser's identifier already makes (a coached contact number shared by a
    whole extortion group is weak by rarity alone), and never creates one. Returns a
    :class:`graphring.detect.projection.ProjectionView` sharing ``incidence`` and ``hubs`` with ``proj``; its
    ``edges`` (cut from ``proj.edges`` when first read whole) and ``codes`` are row-aligned, as
    :func:`graphring.detect.borders.trim_borders` and :func:`graphring.detect.agencies.join_agency_cells` expect.

    Examples
    --------
    >>> from graphring.detect.projection import Projection
    >>> e = pd.DataFrame({"u": ["a", "a"], "v": ["b", "c"], "weight": [1.2, 0.2], "text_weight": [0.2, 0.2],
    ...                   "links": ["device;template", "template"]})
    >>> controlled_view(Projection(e, None, None)).edges[["u", "v", "weight"]].values.tolist()
    [['a', 'b', 1.2]]
    """
    e = proj.edges
    if "text_weight" not in e.columns:
        return proj
    w = e["weight"].to_numpy(float)
    keep = (w - e["text_weight"].to_numpy(float)) > 1e-12
    if keep.all():
        return proj
    rows = np.flatnonzero(keep)
    codes = None
    if proj.codes is not None:
        nodes, cu, cv, _ = proj.codes
        codes = (nodes, cu[rows], cv[rows], w[rows])
    return ProjectionView(proj, rows, codes=codes)


def corroborate(membership: pd.Series, edges: pd.DataFrame, min_size: int, seed: int = 0,
                resolution: float = 0.03, max_size: int = 400, codes: tuple | None = None,
                **options) -> tuple[pd.Series, dict]:
    """Attach letter-only borrowers to the ring their letters point at; group the rest (module docstring).

    Parameters
    ----------
    membership : Series
        Community label by borrower after the controlled level.
    edges : DataFrame
        The full projection edges (``u, v, weight, text_weight``).
    min_size : int
        Borrowers a community needs to be a ring.
    seed, resolution, max_size, **options
        For the community detection among borrowers still without a ring (:func:`graphring.detect.communities.detect`).
    codes : tuple, optional
        ``(nodes, u, v, weight)`` row-aligned with ``edges`` (:attr:`graphring.detect.projection.Projection.codes`):
        no borrower id is looked up again.

    Returns
    -------
    membership : Series
        Every borrower of ``membership`` and of ``edges``; new groups take labels above the old ones.
    info : dict
        ``attached`` (borrowers joined to a ring by their letters), ``script_groups`` (rings formed
        among borrowers without a ring).
    """
    lab = None
    if codes is not None and len(codes[0]) == len(membership) and membership.index.is_unique:
        # the codes' nodes are the membership's borrowers (same count, each found): no second lookup
        lab = membership.reindex(codes[0])
        if lab.notna().all():
            nodes, u, v, _ = codes
        else:
            lab = None
    if lab is None:
        nodes = pd.Index(pd.unique(pd.concat([pd.Series(membership.index, dtype=object),
                                              edges["u"].astype(object), edges["v"].astype(object)]))).sort_values()
        u = v = None
        lab = membership.reindex(nodes)
    nxt = int(membership.max()) + 1 if len(membership) else 0
    missing = lab.isna().to_numpy()
    lab = lab.to_numpy(dtype=float, copy=True)
    lab[missing] = nxt + np.arange(int(missing.sum()))
    lab = lab.astype(np.int64)
    sizes = np.bincount(lab)
    in_ring = sizes[lab] >= min_size
    info = {"attached": 0, "script_groups": 0}
    if not len(edges):
        return pd.Series(lab, index=nodes), info
    if u is None:
        u = nodes.get_indexer(edges["u"])
        v = nodes.get_indexer(edges["v"])
    tw = edges["text_weight"].to_numpy(float) if "text_weight" in edges.columns else np.zeros(len(edges))
    t = tw > 0
    # letter ties of borrowers without a ring: to which rings, how strongly
    a_free = t & ~in_ring[u]
    b_free = t & ~in_ring[v]
    x = np.concatenate([u[a_free], v[b_free]])
    y = np.concatenate([v[a_free], u[b_free]])
    w = np.concatenate([tw[a_free], tw[b_free]])
    if len(x):
        ties = pd.DataFrame({"x": x, "ring": np.where(in_ring[y], lab[y], -1), "w": w})
        total = ties.groupby("x")["w"].sum()
        to = ties[ties["ring"] >= 0].groupby(["x", "ring"]).agg(w=("w", "sum"), n=("w", "size")).reset_index()
        to = to.sort_values(["x", "w", "ring"], ascending=[True, False, True], kind="stable").drop_duplicates("x")
        ok = (to["n"].to_numpy() >= ATTACH_MIN) & (to["w"].to_numpy() >= ATTACH_SHARE * total.reindex(to["x"]).to_numpy())
        hit = to[ok]
        lab[hit["x"].to_numpy()] = hit["ring"].to_numpy()
        in_ring[hit["x"].to_numpy()] = True
        info["attached"] = int(len(hit))
    # borrowers still without a ring: rings among themselves, on every tie they have (letters included)
    free = ~in_ring
    ef = free[u] & free[v]
    if ef.sum() >= min_size - 1:
        sub = edges.loc[ef, ["u", "v", "weight"]]
        keep = np.zeros(len(nodes), bool)
        keep[u[ef]] = True
        keep[v[ef]] = True
        pos = np.cumsum(keep) - 1  # positions among the free nodes (sorted like nodes, as detect wants)
        sub_codes = (nodes[keep], pos[u[ef]], pos[v[ef]], edges["weight"].to_numpy(float)[ef])
        part = detect(sub, algorithm="leiden", seed=seed, resolution=resolution, min_size=min_size,
                      max_size=max_size, codes=sub_codes, **options)
        got = part.membership
        cnt = got.value_counts()
        big = got[got.map(cnt) >= min_size]
        if len(big):
            base = int(lab.max()) + 1
            pos = nodes.get_indexer(big.index)
            lab[pos] = base + pd.factorize(big.to_numpy())[0]
            info["script_groups"] = int(big.nunique())
    return pd.Series(lab, index=nodes), info


def ring_links(members: pd.DataFrame, edges: pd.DataFrame, incidence: pd.DataFrame,
               shared_links: tuple[str, ...] = ("attachment", "intermediary", "company_agent", "agent",
                                                "complaint_phone", "counterparty")) -> pd.DataFrame:
    """Links between rings one level up: a shared script, document, broker or registration agent.

    Parameters
    ----------
    members : DataFrame
        ``ring, borrower`` of the reported rings.
    edges : DataFrame
        Projection edges (near-duplicate letters are those with ``text_weight > 0``).
    incidence : DataFrame
        The projection's ``borrower, ident, link, table, row, n`` (``n``: borrowers sharing the identifier).
        An identifier links rings only when at least half of its sharers are in reported rings.

    Returns
    -------
    DataFrame
        ``a, b`` (ring labels, ``a < b``), ``kind`` (``script`` or a link kind), ``n`` (letter pairs or
        shared identifiers), ``examples`` (up to three identifiers or letter-pair borrowers).
    """
    cols = ["a", "b", "kind", "n", "examples"]
    if not len(members):
        return pd.DataFrame(columns=cols)
    ring_of = members.drop_duplicates("borrower").set_index("borrower")["ring"]
    out = []
    if len(edges) and "text_weight" in edges.columns:
        t = edges.loc[edges["text_weight"].to_numpy(float) > 0, ["u", "v"]]
        ra, rb = ring_of.reindex(t["u"].to_numpy()).to_numpy(), ring_of.reindex(t["v"].to_numpy()).to_numpy()
        ok = pd.notna(ra) & pd.notna(rb)
        ok[ok] = ra[ok] != rb[ok]
        if ok.any():
            lo = np.minimum(ra[ok].astype(np.int64), rb[ok].astype(np.int64))
            hi = np.maximum(ra[ok].astype(np.int64), rb[ok].astype(np.int64))
            d = pd.DataFrame({"a": lo, "b": hi, "ex": t["u"].to_numpy()[ok] + "~" + t["v"].to_numpy()[ok]})
            g = d.groupby(["a", "b"])["ex"].agg(n="size", examples=lambda s: sorted(s)[:3]).reset_index()
            out.append(g.assign(kind="script"))
    if len(incidence):
        # only the ties of ring members through the shared kinds (a few rows of millions) are read
        # (one column at a time, on the rows still in question: the table has millions of rows)
        rows = np.flatnonzero(isin(incidence["borrower"], ring_of.index))
        rows = rows[isin(incidence["link"].iloc[rows], shared_links)]
        inc = incidence[["borrower", "ident", "link", "n"]].iloc[rows]
        inc = inc.assign(ring=ring_of.reindex(inc["borrower"].to_numpy()).to_numpy())
        # an identifier links rings only when it is an organiser's, not a popular business's: at least
        # half of all the borrowers sharing it are in reported rings
        inring = inc.drop_duplicates(["ident", "borrower"]).groupby("ident")["borrower"].size()
        share = inring / inc.groupby("ident")["n"].max().clip(lower=1)
        inc = inc[isin(inc["ident"], share.index[share >= 0.5])]
        per = inc.drop_duplicates(["ident", "ring"])[["ident", "link", "ring"]]
        multi = per[per.groupby("ident")["ring"].transform("size") >= 2]
        if len(multi):
            pairs = multi.merge(multi, on=["ident", "link"])
            pairs = pairs[pairs["ring_x"].astype(np.int64) < pairs["ring_y"].astype(np.int64)]
            if len(pairs):
                g = (pairs.groupby(["ring_x", "ring_y", "link"])["ident"]
                     .agg(n="size", examples=lambda s: sorted(s)[:3]).reset_index()
                     .rename(columns={"ring_x": "a", "ring_y": "b", "link": "kind"}))
                out.append(g)
    if not out:
        return pd.DataFrame(columns=cols)
    res = pd.concat(out, ignore_index=True)[cols]
    return res.sort_values(["a", "b", "kind"], kind="stable").reset_index(drop=True)
