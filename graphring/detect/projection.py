"""The borrower-to-borrower projection: who shares what, weighted by rarity.

Two borrowers are linked when they share an identifier: a complaint phone that
is not their own, an agent, an attachment, a complaint template, a device, an
account, a bound phone, a contact phone, an employer, a shell's registration
agent or address, an intermediary, a loan officer, a third-party repayer, a
payment counterparty, an e-mail, a home address, an IP.

Weights, in one readable place (:data:`LINKS`)
----------------------------------------------
Each kind of link has a base weight for how much sharing it means (a complaint
phone or a forged attachment means far more than an IP) and a hub cap. An
identifier shared by ``n`` borrowers adds ``weight / sqrt(n - 1)`` to each of its
``n (n - 1) / 2`` pairs (``RARITY`` = 0.5): one number shared by three borrowers
ties each pair far more than one shared by a hundred, yet a hundred borrowers
filing through one agency's number stay a dense group. Near-duplicate letters
link their two authors directly, with the template weight times their
similarity (grouping letters first would chain different templates together),
discounted by how widely the authors' letters circulate (:data:`TEXT_RARITY`):
scripts circulate among anti-collection groups online, so sharing a script says
less than sharing a phone, an agent or an attachment.

Hub suppression (documented, data-driven rules, no lists of names)
------------------------------------------------------------------
1. Junk values (all-zero IMEIs, ``02:00:00:00:00:00``, ``unknown``...) never
   reach this module: the normalisers blank them.
2. An identifier shared by more borrowers than its kind's cap
   (``LinkKind.max_share``) is a hub: big employers, public Wi-Fi, popular
   brokers and bookkeeping firms. It makes no links (signals may still use it).
3. An identifier whose borrowers are spread over more than
   ``LinkKind.max_share`` is dropped whatever its kind weight; caps for weak
   kinds (IP, officer, address) are low because honest sharing of those is
   common, caps for complaint traces are high because one agency can file for
   hundreds of borrowers.

The list of suppressed hubs, with their sizes, is part of the result so a
report can say what was ignored and why.

Examples
--------
>>> import pandas as pd
>>> inc = pd.DataFrame({"borrower": ["B1", "B2", "B3", "B1"], "ident": ["phone:1", "phone:1", "phone:1", "ip:9"],
...                     "link": ["complaint_phone"] * 3 + ["ip"], "table": "complaints", "row": [2, 3, 4, 5]})
>>> p = project(inc)
>>> p.edges[["u", "v", "weight"]].round(2).values.tolist()
[['B1', 'B2', 0.71], ['B1', 'B3', 0.71], ['B2', 'B3', 0.71]]
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from graphring.detect.textsim import near_duplicate_pairs, one_hand
from graphring.graph.model import GraphFrames
from graphring.ingest.masks import isin

__all__ = ["LinkKind", "LINKS", "Projection", "incidence", "project", "build_projection"]


@dataclass(frozen=True)
class LinkKind:
    """A kind of shared identifier: its entity kind, weight, hub cap and why."""

    name: str
    entity: str
    weight: float
    max_share: int
    reason: str


LINKS: dict[str, LinkKind] = {k.name: k for k in (
    LinkKind("complaint_phone", "phone", 1.0, 400,
             "complaints filed for several borrowers from one number that is none of theirs: the proxy-agency trace"),
    LinkKind("attachment", "attachment", 1.0, 400,
             "the same attached file (forged certificate, template image) on complaints of several borrowers"),
    LinkKind("template", "template", 0.15, 400,
             "similar complaint letters from different borrowers; a grouping key (the "
             "template_complaint_text signal scores it): coaching scripts circulate between gangs, so "
             "letters of unrelated rings reach the similarity threshold too; each pair is discounted by "
             "how widely its authors' letters circulate (TEXT_RARITY), and phones, agents, attachments "
             "and contacts tie a ring together"),
    LinkKind("repayer", "account", 1.0, 400, "one third party repaying loans of several borrowers"),
    LinkKind("agent", "agent", 0.8, 400, "one named representative on complaints of several borrowers"),
    LinkKind("device", "device", 0.8, 40, "one device used to log in by several borrowers (families share 2-5)"),
    LinkKind("account", "account", 0.8, 40, "one bank account or card held or used by several borrowers"),
    LinkKind("bound_phone", "phone", 0.7, 40, "one phone bound to several borrowers' accounts"),
    LinkKind("counterparty", "company", 0.3, 80,
             "loan proceeds paid to the same trade counterparty; a car dealer or supplier is paid by many "
             "honest borrowers (modest, like an employer); a shell counterparty in a trade cycle also makes "
             "a company_group link"),
    LinkKind("intermediary", "intermediary", 0.5, 400, "loans arranged by the same intermediary"),
    LinkKind("payment_party", "account", 0.5, 40, "money to or from the same non-borrower party"),
    LinkKind("email", "email", 0.5, 10, "the same e-mail address"),
    LinkKind("contact_phone", "phone", 0.4, 400,
             "the same emergency-contact number named by several borrowers; many unrelated borrowers "
             "naming one number is the malicious-claim trace (collectors are steered to call a coached "
             "'relative'), so the cap is that of the complaint traces; rarity keeps a big one weak"),
    LinkKind("company_group", "company", 0.8, 400,
             "employed by (or borrowing against) companies that pay each other in a cycle: one controlled group"),
    LinkKind("employer", "company", 0.3, 80,
             "employed by, or holding a role in, the same company (colleagues are common: modest)"),
    LinkKind("home_address", "address", 0.3, 10, "the same home address"),
    LinkKind("company_agent", "registration_agent", 0.1, 60,
             "their (different) companies were registered by the same registration/bookkeeping agent"),
    LinkKind("company_address", "address", 0.1, 60,
             "their (different) companies are registered at the same address"),
    LinkKind("officer", "officer", 0.0, 60,
             "loans handled by the same loan officer: every officer serves many honest borrowers, so this "
             "makes no link; the officer_concentration signal tests it against the officer's volume"),
    LinkKind("ip", "ip", 0.0, 20,
             "logins from the same IP (NAT, mobile carriers and Wi-Fi share addresses): signals only"),
)}

#: Rarity exponent: an identifier shared by ``n`` borrowers adds ``weight / (n-1)**RARITY`` to each pair.
RARITY = 0.5


@dataclass
class Projection:
    """The weighted borrower graph and what it was built from.

    Attributes
    ----------
    edges : DataFrame
        ``u``, ``v`` (borrower ids, ``u < v``), ``weight``, ``links`` (``;``-joined link kinds),
        ``text_weight`` (the part of ``weight`` that comes from near-duplicate letters: corroborating
        evidence, see :mod:`graphring.detect.detection`).
    incidence : DataFrame
        ``borrower, ident, link, table, row``: every borrower-identifier tie used or
        suppressed, pointing back to its input row; ``n`` is the identifier's share count.
    hubs : DataFrame
        Suppressed identifiers: ``ident, link, n, cap``.
    borrowers : Index
        All borrower ids.
    """

    edges: pd.DataFrame
    incidence: pd.DataFrame
    hubs: pd.DataFrame
    borrowers: pd.Index = field(default_factory=lambda: pd.Index([]))
    params: dict = field(default_factory=dict)
    text_pairs: pd.DataFrame | None = None
    #: ``(nodes, u, v, weight)``: the edges as positions into their sorted borrower ids, as
    #: :func:`graphring.detect.communities.detect` takes them (``codes=``), so they are not factorised twice
    codes: tuple | None = None

    def edge_rows(self, sel) -> pd.DataFrame:
        """The edges at ``sel`` (a boolean mask or positions, row-aligned with :attr:`codes`).

        Examples
        --------
        >>> p = Projection(pd.DataFrame({"u": ["a", "a"], "v": ["b", "c"], "weight": [1.0, 2.0]}), None, None)
        >>> p.edge_rows([1])["v"].tolist(), p.edge_rows([True, False])["v"].tolist()
        (['c'], ['b'])
        """
        sel = np.asarray(sel)
        return self.edges[sel] if sel.dtype == bool else self.edges.iloc[sel]


class ProjectionView(Projection):
    """A projection restricted to some of its parent's edges; the edge table is cut only when read whole.

    Community detection reads the view's :attr:`codes`; border trimming and cell joining read a few of its
    rows (:meth:`edge_rows`), so the parent's string columns are not copied for a view that keeps
    nearly every edge (:func:`graphring.detect.detection.controlled_view`).

    Examples
    --------
    >>> p = Projection(pd.DataFrame({"u": ["a", "a", "b"], "v": ["b", "c", "c"], "weight": [1.0, 2.0, 3.0]}),
    ...                None, None)
    >>> view = ProjectionView(p, np.array([0, 2]))
    >>> view.edge_rows([False, True])["v"].tolist(), view.edges["weight"].tolist()
    (['c'], [1.0, 3.0])
    """

    def __init__(self, parent: Projection, rows: np.ndarray, codes: tuple | None = None):
        self._parent, self._rows, self._edges = parent, np.asarray(rows), None
        super().__init__(None, parent.incidence, parent.hubs, parent.borrowers, dict(parent.params),
                         parent.text_pairs, codes)

    @property
    def edges(self) -> pd.DataFrame:  # noqa: D102 - the parent's edges at the view's rows, cut on first use
        if self._edges is None:
            self._edges = self._parent.edges.iloc[self._rows].reset_index(drop=True)
        return self._edges

    @edges.setter
    def edges(self, value) -> None:
        self._edges = value

    def edge_rows(self, sel) -> pd.DataFrame:  # noqa: D102 - see Projection.edge_rows
        sel = np.asarray(sel)
        return self._parent.edges.iloc[self._rows[sel]].reset_index(drop=True)


def _e(g: GraphFrames, type_: str, sk: str, dk: str, cols=("src", "dst", "_table", "_row")) -> pd.DataFrame:
    df = g.edge_table(type_, sk, dk)
    have = [c for c in cols if c in df.columns]
    return df[have]


def _col(x):
    """A column for an incidence part: Series keep their (Arrow string) dtype, without their index."""
    if isinstance(x, (pd.Series, pd.Index)):
        return pd.Series(x).reset_index(drop=True)
    return x if np.isscalar(x) else pd.Series(np.asarray(x))


def _inc(borrower: pd.Series, ident: pd.Series, link: str, table, row, via=None) -> pd.DataFrame:
    # Arrow strings, not Python objects: at a million borrowers the incidence has ~25 M rows
    return pd.DataFrame({"borrower": _col(borrower), "ident": _col(ident), "link": link, "table": _col(table),
                         "row": np.asarray(row), "via": None if via is None else _col(via)})


def incidence(g: GraphFrames, text_threshold: float = 0.5, seed: int = 0, with_text_pairs: bool = False):
    """Every borrower-identifier tie the projection may use, with its input row.

    Parameters
    ----------
    g : GraphFrames
    text_threshold : float
        MinHash Jaccard threshold for complaint templates.
    seed : int
        Seed of the MinHash permutations.
    with_text_pairs : bool
        Also return the near-duplicate letter pairs (``u, v, similarity, row_u, row_v``).
    """
    parts: list[pd.DataFrame] = []
    text_pairs: list[pd.DataFrame] = []
    comp_b = _e(g, "ABOUT", "complaint", "borrower").drop_duplicates("src").set_index("src")["dst"]
    own = _e(g, "HAS_PHONE", "borrower", "phone")
    # complaint phone that is not the borrower's own ((borrower, phone) pairs compared as joined strings in Arrow)
    f = _e(g, "FILED_FROM", "complaint", "phone")
    if len(f):
        b = f["src"].map(comp_b)
        mine = isin((b.astype("str") + "\x1f" + f["dst"].astype("str")).reset_index(drop=True),
                    own["src"].astype("str") + "\x1f" + own["dst"].astype("str"))
        keep = b.notna() & ~pd.Series(np.asarray(mine, dtype=bool), index=f.index)
        parts.append(_inc(b[keep], "phone:" + f.loc[keep, "dst"], "complaint_phone", f.loc[keep, "_table"],
                          f.loc[keep, "_row"]))
    for t, dk, link in (("REPRESENTED_BY", "agent", "agent"), ("ATTACHES", "attachment", "attachment")):
        e = _e(g, t, "complaint", dk)
        if len(e):
            b = e["src"].map(comp_b)
            k = b.notna()
            parts.append(_inc(b[k], dk + ":" + e.loc[k, "dst"], link, e.loc[k, "_table"], e.loc[k, "_row"]))
    # near-duplicate complaint text: pairs of letters, grouped for the signals. MinHash/LSH runs on a side
    # thread (NumPy releases the GIL) while the other ties are collected; its part keeps this place in the table
    text_at = len(parts)
    text_job = None
    comp = g.nodes.get("complaint")
    if comp is not None and "text" in comp.columns and "borrower_id" in comp.columns:
        c = comp[comp["text"].notna() & comp["borrower_id"].notna()].sort_values("key", kind="stable")
        c = c.reset_index(drop=True)
        if len(c) > 1:
            side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphring-text")
            text_job = side.submit(near_duplicate_pairs, c["text"].tolist(), threshold=text_threshold, seed=seed)
            side.shutdown(wait=False)
    simple = (("USED_DEVICE", "device", "device"), ("LOGGED_IN_FROM", "ip", "ip"),
              ("HOLDS_ACCOUNT", "account", "account"), ("LISTS_CONTACT", "phone", "contact_phone"),
              ("HAS_EMAIL", "email", "email"), ("LIVES_AT", "address", "home_address"),
              ("HAS_PHONE", "phone", "bound_phone"))
    for t, dk, link in simple:
        e = _e(g, t, "borrower", dk)
        if len(e):
            parts.append(_inc(e["src"], dk + ":" + e["dst"], link, e["_table"], e["_row"]))
    pe = g.edge_table("PHONE_EVENT", "borrower", "phone")
    if len(pe) and "event" in pe.columns:
        pe = pe[pe["event"].isin(["bind", "unbind"])]
        parts.append(_inc(pe["src"], "phone:" + pe["dst"], "bound_phone", pe["_table"], pe["_row"]))
    # loans: intermediary, officer, employer claimed, counterparty
    loan_b = _e(g, "HAS_LOAN", "borrower", "loan").drop_duplicates("dst").set_index("dst")["src"]
    companies_of: list[pd.DataFrame] = []
    for t, dk, link in (("VIA", "intermediary", "intermediary"), ("HANDLED_BY", "officer", "officer"),
                        ("CLAIMS_EMPLOYER", "company", "employer"), ("PROCEEDS_TO", "company", "counterparty")):
        e = _e(g, t, "loan", dk)
        if len(e):
            b = e["src"].map(loan_b)
            k = b.notna()
            parts.append(_inc(b[k], dk + ":" + e.loc[k, "dst"], link, e.loc[k, "_table"], e.loc[k, "_row"]))
            if dk == "company":
                companies_of.append(pd.DataFrame({"borrower": b[k].to_numpy(), "company": e.loc[k, "dst"].to_numpy(),
                                                  "table": e.loc[k, "_table"].to_numpy(),
                                                  "row": e.loc[k, "_row"].to_numpy()}))
    e = _e(g, "HOLDS_ROLE", "borrower", "company")
    if len(e):
        parts.append(_inc(e["src"], "company:" + e["dst"], "employer", e["_table"], e["_row"]))
        companies_of.append(pd.DataFrame({"borrower": e["src"].to_numpy(), "company": e["dst"].to_numpy(),
                                          "table": e["_table"].to_numpy(), "row": e["_row"].to_numpy()}))
    # payments: salary from a company is employment; repayments by a third party; other parties
    for (t, sk, dk), p in g.edges_of_type("PAID"):
        if not len(p):
            continue
        purpose = p["purpose"] if "purpose" in p.columns else pd.Series(None, index=p.index)
        if sk == "company" and dk == "borrower":
            k = purpose.eq("salary")
            parts.append(_inc(p.loc[k, "dst"], "company:" + p.loc[k, "src"], "employer", p.loc[k, "_table"],
                              p.loc[k, "_row"]))
            companies_of.append(pd.DataFrame({"borrower": p.loc[k, "dst"].to_numpy(),
                                              "company": p.loc[k, "src"].to_numpy(),
                                              "table": p.loc[k, "_table"].to_numpy(),
                                              "row": p.loc[k, "_row"].to_numpy()}))
        elif sk == "borrower" and dk in ("account", "person"):
            k = ~purpose.eq("repayment")
            parts.append(_inc(p.loc[k, "src"], dk + ":" + p.loc[k, "dst"], "payment_party", p.loc[k, "_table"],
                              p.loc[k, "_row"]))
        elif dk == "borrower" and sk in ("account", "person"):
            parts.append(_inc(p["dst"], sk + ":" + p["src"], "payment_party", p["_table"], p["_row"]))
    for (t, sk, dk), r in g.edges_of_type("REPAID"):
        if not len(r):
            continue
        b = r["dst"].map(loan_b)
        third = b.notna() & ~((sk == "borrower") & (r["src"] == b))
        parts.append(_inc(b[third], sk + ":" + r.loc[third, "src"], "repayer", r.loc[third, "_table"],
                          r.loc[third, "_row"]))
    # the registration agent and registered address of borrowers' companies, and trade groups
    if companies_of:
        co = pd.concat(companies_of, ignore_index=True).drop_duplicates(["borrower", "company"])
        grp = trade_groups(g)
        if len(grp):
            m = co[co["company"].isin(grp.index)]
            parts.append(_inc(m["borrower"], "company_group:G" + m["company"].map(grp).astype(str), "company_group",
                              m["table"], m["row"], via=m["company"]))
        for t, dk, link in (("REGISTERED_BY", "registration_agent", "company_agent"),
                            ("REGISTERED_AT", "address", "company_address")):
            e = _e(g, t, "company", dk)
            if len(e):
                m = co.merge(e.rename(columns={"src": "company", "dst": "via"}), on="company")
                parts.append(_inc(m["borrower"], dk + ":" + m["via"], link, m["table"], m["row"],
                                  via=m["company"]))
    if text_job is not None:
        pairs = text_job.result()
        bo = c["borrower_id"].to_numpy()
        pairs = pairs[bo[pairs["a"]] != bo[pairs["b"]]]
        # one hand, not stock phrases: the two letters make the same writing mistake in the same place
        pairs = pairs[one_hand(c["text"].to_numpy(object), pairs)]
        if len(pairs):
            grp = _pair_groups(len(c), pairs)
            m = grp >= 0
            rows = c["_row"] if "_row" in c.columns else pd.Series(np.zeros(len(c)))
            parts.insert(text_at, _inc(c["borrower_id"][m], "template:T" + pd.Series(grp[m]).astype(str),
                                       "template", "complaints", rows[m]))
            text_pairs.append(pd.DataFrame({"u": bo[pairs["a"]], "v": bo[pairs["b"]],
                                            "similarity": pairs["similarity"].to_numpy(),
                                            "row_u": rows.to_numpy()[pairs["a"]],
                                            "row_v": rows.to_numpy()[pairs["b"]]}))
    nonempty = [p for p in parts if len(p)]
    if not nonempty:
        inc = pd.DataFrame(columns=["borrower", "ident", "link", "table", "row", "via"])
    else:
        inc = pd.concat(nonempty, ignore_index=True)
    inc["row"] = pd.to_numeric(inc["row"], errors="coerce").fillna(0).astype("int64")
    # no global sort: the rows come in table order, which is deterministic, and every consumer groups or
    # sorts what it needs (sorting 16 M rows by identifier cost ~15 s at a million borrowers)
    tp = (pd.concat(text_pairs, ignore_index=True) if text_pairs else
          pd.DataFrame(columns=["u", "v", "similarity", "row_u", "row_v"]))
    return (inc, tp) if with_text_pairs else inc


def trade_groups(g: GraphFrames, max_companies: int | None = 60) -> pd.Series:
    """Companies that pay each other in a cycle (strongly connected trade payments), by group number.

    Money going round among companies is a sign of common control; groups larger
    than ``max_companies`` are ordinary supply chains and are ignored.
    """
    p = g.edge_table("PAID", "company", "company")
    if not len(p):
        return pd.Series(dtype="int64")
    if "purpose" in p.columns:
        p = p[~p["purpose"].isin(["salary", "repayment"])]
    nodes = pd.Index(pd.unique(pd.concat([p["src"], p["dst"]]))).sort_values()
    m = coo_matrix((np.ones(len(p)), (nodes.get_indexer(p["src"]), nodes.get_indexer(p["dst"]))),
                   shape=(len(nodes), len(nodes)))
    _, lab = connected_components(m, directed=True, connection="strong")
    s = pd.Series(lab, index=nodes)
    size = s.map(s.value_counts())
    keep = size >= 2
    if max_companies is not None:
        keep &= size <= max_companies
    return s[keep]


def _pair_groups(n: int, pairs: pd.DataFrame) -> np.ndarray:
    """Connected components of near-duplicate pairs (-1 for texts in no pair), numbered by first text."""
    m = coo_matrix((np.ones(len(pairs)), (pairs["a"], pairs["b"])), shape=(n, n))
    _, lab = connected_components(m, directed=False)
    inpair = np.zeros(n, bool)
    inpair[pairs["a"].to_numpy()] = True
    inpair[pairs["b"].to_numpy()] = True
    out = np.full(n, -1, np.int64)
    labs = lab[inpair]
    _, first = np.unique(labs, return_index=True)
    rank = {lab_: i for i, lab_ in enumerate(np.unique(labs)[np.argsort(first)])}
    out[inpair] = [rank[x] for x in labs.tolist()]
    return out


def _unique(x: np.ndarray, return_inverse: bool = False):
    """Sorted unique int64 values (and the inverse), by sorting: NumPy 2's hash-based
    ``np.unique`` is several times slower on millions of int64 keys."""
    if return_inverse:
        order = np.argsort(x, kind="stable")
        xs = x[order]
        first = np.r_[True, xs[1:] != xs[:-1]] if len(xs) else np.zeros(0, bool)
        inv = np.empty(len(x), np.int64)
        inv[order] = np.cumsum(first) - 1
        return xs[first], inv
    xs = np.sort(x)
    return xs[np.r_[True, xs[1:] != xs[:-1]]] if len(xs) else xs


def _first_seen(key: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct value of ``key``, in input order.

    Examples
    --------
    >>> _first_seen(np.array([7, 3, 7, 5, 3])).tolist()
    [0, 1, 3]
    """
    codes, _ = pd.factorize(key)  # codes number values in order of first appearance
    if not len(codes):
        return np.zeros(0, np.int64)
    return np.flatnonzero(codes == np.maximum.accumulate(np.r_[-1, codes[:-1]]) + 1)


def _take_str(uniques, codes: np.ndarray) -> pd.Series:
    """A string column ``uniques[codes]`` built in Arrow (from Python objects it costs 20x more).

    Examples
    --------
    >>> _take_str(["a", "b"], np.array([1, 1, 0])).tolist()
    ['b', 'b', 'a']
    """
    u = pa.array(np.asarray(uniques, dtype=object), type=pa.large_string())
    return pd.Series(pd.array(u.take(pa.array(np.asarray(codes, dtype=np.int64))), dtype="str"))


def _pairs_within_identifiers(b: np.ndarray, g: np.ndarray, vi: np.ndarray, w: np.ndarray, bitpos: np.ndarray,
                              nb: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Borrower pairs sharing an identifier, summed, as sorted pair keys ``lo * nb + hi``.

    One row per (borrower ``b``, identifier group ``g``, company ``vi``) tie with
    its pair weight ``w`` and the bit position of its link kind. Every pair inside a group is generated
    with NumPy (groups are capped, so a group of ``s`` gives at most ``s(s-1)/2``
    pairs); company-derived ties (``vi >= 0``) do not pair two colleagues of the
    same company; a pair is counted once per identifier.

    Returns
    -------
    keys, weight, mask : ndarrays (mask: OR of the link bits of the pair)
    """
    order = np.lexsort((b, g))
    b, g, vi, w, bitpos = b[order], g[order], vi[order], w[order], bitpos[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    a_parts, c_parts = [], []
    for size in _unique(sizes[sizes >= 2]).tolist():
        st = starts[sizes == size]
        ii, jj = np.triu_indices(size, k=1)
        a_parts.append((st[:, None] + ii[None, :]).ravel())
        c_parts.append((st[:, None] + jj[None, :]).ravel())
    if not a_parts:
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
    ia = np.concatenate(a_parts)
    ic = np.concatenate(c_parts)
    ba, bc = b[ia], b[ic]
    va = vi[ia]
    ok = (ba != bc) & ~((va >= 0) & (va == vi[ic]))
    ia, ba, bc = ia[ok], ba[ok], bc[ok]
    key = np.minimum(ba, bc) * np.int64(nb) + np.maximum(ba, bc)
    # once per identifier: only groups where a borrower has several ties (through two companies) can repeat
    dup_b = np.r_[False, (g[1:] == g[:-1]) & (b[1:] == b[:-1])]
    if dup_b.any():
        rep_g = _unique(g[dup_b])
        inrep = np.isin(g[ia], rep_g)
        sub = np.flatnonzero(inrep)
        o = np.lexsort((key[sub], g[ia][sub]))
        sk, sg = key[sub][o], g[ia][sub][o]
        first = np.r_[True, (sk[1:] != sk[:-1]) | (sg[1:] != sg[:-1])]
        keep = ~inrep
        keep[sub[o][first]] = True
        ia, key = ia[keep], key[keep]
    # one stable sort by pair; link bits OR-ed along each run
    order = np.argsort(key, kind="stable")
    ks = key[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]]) if len(ks) else np.zeros(0, np.int64)
    if not len(starts):
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
    ukey = ks[starts]
    inv = np.empty(len(key), np.int64)
    inv[order] = np.cumsum(np.r_[True, ks[1:] != ks[:-1]]) - 1
    weight = np.bincount(inv, weights=w[ia], minlength=len(ukey))  # sums in input order (reduceat may not)
    mask = np.bitwise_or.reduceat(np.int64(1) << bitpos[ia][order], starts)
    return ukey, weight, mask


def project(inc: pd.DataFrame, links: dict[str, LinkKind] | None = None,
            borrowers: pd.Index | None = None, rarity: float = RARITY,
            text_pairs: pd.DataFrame | None = None, colocated: pd.DataFrame | None = None,
            campaign: pd.Series | None = None) -> Projection:
    """Weighted borrower pairs from an incidence table (see module docstring).

    Works on integer codes throughout: borrowers, identifiers, links and the
    companies behind company-derived ties are factorised once.

    ``colocated`` (:func:`away_cities`) and ``campaign`` (:func:`swap_campaigns`)
    name the letter pairs that :data:`TEXT_RARITY` does not discount.
    """
    links = links or LINKS
    tp = text_pairs
    with_t = tp is not None and len(tp) > 0 and links.get("template") is not None and links["template"].weight > 0
    # borrower codes in id order, so pair keys sort like (u, v) strings
    bser = inc["borrower"]
    if with_t:
        bser = pd.concat([bser, tp["u"], tp["v"]], ignore_index=True)
    bcodes, buniq = pd.factorize(bser, sort=True)
    nb = len(buniq)
    b = bcodes[:len(inc)].astype(np.int64)
    icodes, iuniq = pd.factorize(inc["ident"])
    lcodes, luniq = pd.factorize(inc["link"])
    vcodes = (pd.factorize(inc["via"])[0] if "via" in inc.columns else np.full(len(inc), -1)).astype(np.int64)
    gid, _ = pd.factorize(lcodes.astype(np.int64) * max(1, len(iuniq)) + icodes)
    gid = gid.astype(np.int64)
    ng = int(gid.max()) + 1 if len(gid) else 0
    g_link = np.zeros(ng, np.int64)
    g_link[gid] = lcodes
    g_ident = np.zeros(ng, np.int64)
    g_ident[gid] = icodes
    # one tie per (borrower, identifier, link, via); share counts count borrowers
    gv, _ = pd.factorize(gid * np.int64(int(vcodes.max(initial=-1)) + 2) + (vcodes + 1))
    first = _first_seen(gv.astype(np.int64) * np.int64(max(nb, 1)) + b)
    ties = pd.DataFrame({"b": b[first], "g": gid[first], "v": vcodes[first]})
    n_of_g = np.bincount(ties["g"].to_numpy()[_first_seen(ties["g"].to_numpy() * np.int64(max(nb, 1))
                                                          + ties["b"].to_numpy())], minlength=ng)
    lnames = np.asarray(luniq, dtype=object)
    cap_l = np.array([float(links[x].max_share) if x in links else 0.0 for x in lnames])
    w_l = np.array([float(links[x].weight) if x in links else 0.0 for x in lnames])
    is_hub_g = n_of_g > cap_l[g_link]
    hg = np.flatnonzero(is_hub_g)
    hubs = pd.DataFrame({"link": lnames[g_link[hg]], "ident": np.asarray(iuniq, dtype=object)[g_ident[hg]],
                         "n": n_of_g[hg]})
    hubs = hubs.sort_values(["link", "ident"], kind="stable").reset_index(drop=True)
    hubs["cap"] = hubs["link"].map({k: v.max_share for k, v in links.items()})
    tg = ties["g"].to_numpy()
    n_t = n_of_g[tg]
    w_t = np.where(n_t >= 2, w_l[g_link[tg]] / np.maximum(n_t - 1, 1).astype(float) ** rarity, 0.0)
    # near-duplicate letters link their two authors directly (no group: groups chain templates together)
    is_template = lnames[g_link[tg]] == "template"
    use = ~is_hub_g[tg] & (n_t >= 2) & (w_t > 0) & ~is_template
    # the links behind each pair as a bit mask (one bit per link kind), spelled out once per distinct mask
    names = sorted(set(links) | {"template"} | set(lnames.tolist()))
    bit = {k: np.int64(1) << i for i, k in enumerate(names)}
    pos_l = np.array([names.index(x) for x in lnames], dtype=np.int64)
    keys, weight, mask = _pairs_within_identifiers(ties["b"].to_numpy()[use], tg[use], ties["v"].to_numpy()[use],
                                                   w_t[use], pos_l[g_link[tg[use]]], nb)
    if with_t:
        tu = bcodes[len(inc):len(inc) + len(tp)].astype(np.int64)
        tv = bcodes[len(inc) + len(tp):].astype(np.int64)
        tkey = np.minimum(tu, tv) * np.int64(nb) + np.maximum(tu, tv)
        # letters of two authors whose SIMs were both seen in one city away from home: one agency wrote them
        same = np.zeros(len(tp), bool)
        if colocated is not None and len(colocated):
            k = tp[["u", "v"]].reset_index(drop=True).reset_index()
            hit = (k.merge(colocated.rename(columns={"borrower": "u"}), on="u")
                   .merge(colocated.rename(columns={"borrower": "v"}), on=["v", "city"]))
            same[hit["index"].to_numpy()] = True
        # ... or whose authors both had their account phone swapped before complaining, weeks apart
        if campaign is not None and len(campaign):
            ta = campaign.reindex(tp["u"].to_numpy()).to_numpy()
            tb = campaign.reindex(tp["v"].to_numpy()).to_numpy()
            gap = np.abs(ta - tb)  # NaT where either author is not in a campaign: never <= window
            same |= gap <= np.timedelta64(CAMPAIGN_DAYS, "D")
        tw = pd.Series(_text_pair_weight(tp["similarity"].astype(float).to_numpy(), links["template"].weight,
                                         tkey, nb, undiscounted=same)).groupby(tkey).max()
        allk = np.sort(np.concatenate([keys, tw.index.to_numpy()]), kind="stable")  # two sorted runs: merged
        allk = allk[np.r_[True, allk[1:] != allk[:-1]]] if len(allk) else allk
        wsum = np.zeros(len(allk))
        wsum[np.searchsorted(allk, keys)] = weight
        m = np.zeros(len(allk), np.int64)
        m[np.searchsorted(allk, keys)] = mask
        ti = np.searchsorted(allk, tw.index.to_numpy())
        wsum[ti] = wsum[ti] + tw.to_numpy()
        m[ti] |= bit["template"]
        text_w = np.zeros(len(allk))
        text_w[ti] = tw.to_numpy()
        keys, weight, mask = allk, wsum, m
    else:
        text_w = np.zeros(len(keys))
    mcodes, muniq = pd.factorize(mask)
    spelled = [";".join(x for x in names if mm & bit[x]) for mm in muniq.tolist()]
    lo_c, hi_c = keys // max(nb, 1), keys % max(nb, 1)
    edges = pd.DataFrame({"u": _take_str(buniq, lo_c), "v": _take_str(buniq, hi_c), "weight": weight,
                          "links": _take_str(spelled, mcodes), "text_weight": text_w})
    full = inc.drop(columns="via", errors="ignore").assign(n=n_of_g[gid] if len(gid) else np.zeros(0, np.int64))
    present = np.zeros(nb, bool)  # borrower codes sort like their ids (factorize sort=True)
    present[lo_c] = True
    present[hi_c] = True
    pos = np.cumsum(present) - 1
    codes = (pd.Index(_take_str(buniq, np.flatnonzero(present))), pos[lo_c].astype(np.int64),
             pos[hi_c].astype(np.int64), np.asarray(weight, dtype=float))
    return Projection(edges.reset_index(drop=True), full, hubs,
                      borrowers if borrowers is not None else pd.Index(sorted(inc["borrower"].unique())),
                      {"links": {k: {"weight": v.weight, "max_share": v.max_share} for k, v in links.items()}},
                      codes=codes)


#: Circulation discount of near-duplicate letters: a letter pair adds
#: ``template.weight * similarity / sqrt(d_u * d_v) ** TEXT_RARITY``, where ``d`` counts the
#: distinct borrowers an author's letters are near-duplicates of. Coaching scripts circulate
#: among anti-collection groups online, so a letter that resembles the letters of very many
#: borrowers says less about who wrote it than one that resembles a handful: a script shared
#: by ``d`` borrowers is discounted like any identifier, but gently (the fourth root of ``d``,
#: not the square root of :data:`RARITY`), because a ring's own letters are a closed clique of
#: near-duplicates that must still hold it together. Letter pairs whose authors carry the same
#: agency's trace are not discounted, so a big agency's script is tied together like a small one's,
#: where a script circulating online between unrelated groups is not:
#:
#: - both authors' own SIMs were seen in one city away from home (:func:`away_cities`: where a proxy
#:   agency keeps its clients' cards);
#: - both authors had their account phone unbound and rebound shortly before complaining
#:   (:func:`swap_campaigns`), and their first complaints are at most :data:`CAMPAIGN_DAYS` apart
#:   (two groups using one script months apart stay apart).
TEXT_RARITY = 0.25

#: Letters of two swapped-phone authors are one campaign when their first complaints are this close (days).
CAMPAIGN_DAYS = 45


def _text_pair_weight(sim: np.ndarray, base: float, tkey: np.ndarray, nb: int,
                      undiscounted: np.ndarray | None = None) -> np.ndarray:
    """Weight of each near-duplicate letter pair (``tkey``: ``lo * nb + hi`` of borrower codes).

    See :data:`TEXT_RARITY`.

    Examples
    --------
    >>> # borrowers 0-1 wrote the only similar pair; 2 resembles 3, 4 and 5 (a circulating script)
    >>> keys = np.array([0 * 6 + 1, 2 * 6 + 3, 2 * 6 + 4, 2 * 6 + 5])
    >>> w = _text_pair_weight(np.array([0.8, 0.8, 0.8, 0.8]), 1.0, keys, 6)
    >>> w.round(3).tolist()
    [0.8, 0.697, 0.697, 0.697]
    """
    w = base * np.asarray(sim, dtype=float)
    if TEXT_RARITY > 0 and len(tkey):
        k = _unique(tkey)
        lo, hi = k // nb, k % nb
        keep = lo != hi
        d = np.bincount(np.concatenate([lo[keep], hi[keep]]), minlength=nb).astype(float)
        disc = np.maximum(d[tkey // nb] * d[tkey % nb], 1.0) ** (TEXT_RARITY / 2)
        if undiscounted is not None:
            disc = np.where(undiscounted, 1.0, disc)
        w = w / disc
    return w


def away_from_home(g: GraphFrames) -> pd.DataFrame:
    """Location events of a borrower's own number in a city that is not their home city.

    The ``PHONE_EVENT`` rows (``src`` borrower, ``dst`` phone, ``city``,
    ``_table``, ``_row``) in input order. The SIM cards a proxy agency collects
    from its clients show up in the agency's city (DOMAIN.md, proxy complaints):
    the ``sim_in_agency_city`` signal and :func:`away_cities` both read this (computed once per graph).
    """
    return g.derived("away_from_home", lambda: _away_from_home(g))


def _away_from_home(g: GraphFrames) -> pd.DataFrame:
    pe = g.edge_table("PHONE_EVENT", "borrower", "phone")
    bor = g.nodes.get("borrower")
    if bor is None or not len(pe) or not {"city", "event"} <= set(pe.columns) or not {"phone", "city"} <= set(bor.columns):
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ("src", "dst", "city", "_table")}
                            ).assign(_row=pd.Series(dtype="int64"))
    pe = pe[(pe["event"] == "location") & pe["city"].notna()]
    b = bor.drop_duplicates("key").set_index("key")
    own = b["phone"].reindex(pe["src"]).to_numpy()
    home = b["city"].reindex(pe["src"]).astype(str).to_numpy()
    return pe[(pe["dst"].to_numpy() == own) & (pe["city"].astype(str).to_numpy() != home)]


def away_cities(g: GraphFrames) -> pd.DataFrame:
    """Cities where a borrower's own number was seen away from home: ``borrower, city`` (distinct rows).

    See :func:`away_from_home`.
    """
    pe = away_from_home(g)
    return pd.DataFrame({"borrower": pe["src"].to_numpy(dtype=object), "city": pe["city"].astype(str).to_numpy()}
                        ).drop_duplicates().reset_index(drop=True)


def account_swaps(g: GraphFrames, within_days: int = 60) -> pd.DataFrame:
    """Unbind and bind events of the account phone in the ``within_days`` before a borrower's first complaint.

    The ``PHONE_EVENT`` rows (``src`` borrower, ``dst`` phone, ``event``,
    ``_table``, ``_row``, plus ``t`` the event time and ``tc`` the first
    complaint's) of borrowers who have both an unbind and a bind in that
    window: an agency taking over its client's account (DOMAIN.md, proxy
    complaints). The ``unbind_rebind_before_complaint`` signal and
    :func:`swap_campaigns` both read this (computed once per graph and window).
    """
    return g.derived(("account_swaps", within_days), lambda: _account_swaps(g, within_days))


def _account_swaps(g: GraphFrames, within_days: int) -> pd.DataFrame:
    pe = g.edge_table("PHONE_EVENT", "borrower", "phone")
    comp = g.nodes.get("complaint")
    cols = ["src", "dst", "event", "_table", "_row", "t", "tc"]
    if (comp is None or not len(pe) or not {"event", "at"} <= set(pe.columns)
            or not {"borrower_id", "received_at"} <= set(comp.columns)):
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("t", "tc") else object) for c in cols})
    tc = pd.to_datetime(comp["received_at"], errors="coerce")
    first_c = pd.Series(tc.to_numpy(), index=comp["borrower_id"].to_numpy(object)).dropna()
    first_c = first_c.groupby(level=0).min()
    pe = pe[pe["event"].isin(["bind", "unbind"]) & isin(pe["src"], first_c.index)].copy()
    pe["t"] = pd.to_datetime(pe["at"], errors="coerce")
    pe["tc"] = first_c.reindex(pe["src"].to_numpy(object)).to_numpy()
    pe = pe[pe["tc"].notna() & (pe["t"] <= pe["tc"]) & (pe["t"] >= pe["tc"] - pd.Timedelta(days=within_days))]
    has_both = pe.groupby("src")["event"].transform("nunique") == 2
    return pe[has_both]


def swap_campaigns(g: GraphFrames) -> pd.Series:
    """First complaint time of each borrower in :func:`account_swaps`, by borrower id."""
    sw = account_swaps(g)
    return pd.Series(sw["tc"].to_numpy(), index=sw["src"].to_numpy(object)).groupby(level=0).first()


def build_projection(g: GraphFrames, links: dict[str, LinkKind] | None = None, text_threshold: float = 0.5,
                     seed: int = 0) -> Projection:
    """Incidence then projection, for a whole graph."""
    inc, tp = incidence(g, text_threshold=text_threshold, seed=seed, with_text_pairs=True)
    bor = g.nodes.get("borrower")
    borrowers = pd.Index(bor["key"]) if bor is not None else None
    p = project(inc, links, borrowers, text_pairs=tp, colocated=away_cities(g), campaign=swap_campaigns(g))
    p.text_pairs = tp
    p.params["text_threshold"] = text_threshold
    return p
