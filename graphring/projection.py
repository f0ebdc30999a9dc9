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
similarity (grouping letters first would chain different templates together).

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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphring.model import GraphFrames
from graphring.textsim import near_duplicate_pairs

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
    LinkKind("template", "template", 0.07, 400,
             "similar complaint letters from different borrowers; a grouping key only (the "
             "template_complaint_text signal scores it): coaching scripts circulate between gangs, so "
             "letters of unrelated rings reach the similarity threshold too, and a heavier weight glues "
             "separate rings into one; phones, agents, attachments and contacts tie a ring together"),
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
    LinkKind("contact_phone", "phone", 0.4, 40, "the same emergency-contact number named by several borrowers"),
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
        ``u``, ``v`` (borrower ids, ``u < v``), ``weight``, ``links`` (``;``-joined link kinds).
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
    borrowers: pd.Index = field(default_factory=pd.Index)
    params: dict = field(default_factory=dict)
    text_pairs: pd.DataFrame | None = None


def _e(g: GraphFrames, type_: str, sk: str, dk: str, cols=("src", "dst", "_table", "_row")) -> pd.DataFrame:
    df = g.edge_table(type_, sk, dk)
    have = [c for c in cols if c in df.columns]
    return df[have]


def _inc(borrower: pd.Series, ident: pd.Series, link: str, table, row, via=None) -> pd.DataFrame:
    return pd.DataFrame({"borrower": np.asarray(borrower, dtype=object), "ident": np.asarray(ident, dtype=object),
                         "link": link, "table": table if np.isscalar(table) else np.asarray(table, dtype=object),
                         "row": np.asarray(row), "via": None if via is None else np.asarray(via, dtype=object)})


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
    own_set = set(zip(own["src"], own["dst"]))
    # complaint phone that is not the borrower's own
    f = _e(g, "FILED_FROM", "complaint", "phone")
    if len(f):
        b = f["src"].map(comp_b)
        keep = b.notna() & ~pd.Series([(x, y) in own_set for x, y in zip(b, f["dst"])], index=f.index, dtype=bool)
        parts.append(_inc(b[keep], "phone:" + f.loc[keep, "dst"], "complaint_phone", f.loc[keep, "_table"],
                          f.loc[keep, "_row"]))
    for t, dk, link in (("REPRESENTED_BY", "agent", "agent"), ("ATTACHES", "attachment", "attachment")):
        e = _e(g, t, "complaint", dk)
        if len(e):
            b = e["src"].map(comp_b)
            k = b.notna()
            parts.append(_inc(b[k], dk + ":" + e.loc[k, "dst"], link, e.loc[k, "_table"], e.loc[k, "_row"]))
    # near-duplicate complaint text: pairs of letters, grouped for the signals
    comp = g.nodes.get("complaint")
    if comp is not None and "text" in comp.columns and "borrower_id" in comp.columns:
        c = comp[comp["text"].notna() & comp["borrower_id"].notna()].sort_values("key", kind="stable")
        c = c.reset_index(drop=True)
        if len(c) > 1:
            pairs = near_duplicate_pairs(c["text"].tolist(), threshold=text_threshold, seed=seed)
            bo = c["borrower_id"].to_numpy()
            pairs = pairs[bo[pairs["a"]] != bo[pairs["b"]]]
            if len(pairs):
                grp = _pair_groups(len(c), pairs)
                m = grp >= 0
                rows = c["_row"] if "_row" in c.columns else pd.Series(np.zeros(len(c)))
                parts.append(_inc(c["borrower_id"][m], "template:T" + pd.Series(grp[m]).astype(str),
                                  "template", "complaints", rows[m]))
                text_pairs.append(pd.DataFrame({"u": bo[pairs["a"]], "v": bo[pairs["b"]],
                                                "similarity": pairs["similarity"].to_numpy(),
                                                "row_u": rows.to_numpy()[pairs["a"]],
                                                "row_v": rows.to_numpy()[pairs["b"]]}))
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
    nonempty = [p for p in parts if len(p)]
    if not nonempty:
        inc = pd.DataFrame(columns=["borrower", "ident", "link", "table", "row", "via"])
    else:
        inc = pd.concat(nonempty, ignore_index=True)
    inc["row"] = pd.to_numeric(inc["row"], errors="coerce").fillna(0).astype("int64")
    inc = inc.sort_values(["link", "ident", "borrower", "table", "row"], kind="stable").reset_index(drop=True)
    tp = (pd.concat(text_pairs, ignore_index=True) if text_pairs else
          pd.DataFrame(columns=["u", "v", "similarity", "row_u", "row_v"]))
    return (inc, tp) if with_text_pairs else inc


def trade_groups(g: GraphFrames, max_companies: int | None = 60) -> pd.Series:
    """Companies that pay each other in a cycle (strongly connected trade payments), by group number.

    Money going round among companies is a sign of common control; groups larger
    than ``max_companies`` are ordinary supply chains and are ignored.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

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
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

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


def project(inc: pd.DataFrame, links: dict[str, LinkKind] | None = None,
            borrowers: pd.Index | None = None, rarity: float = RARITY,
            text_pairs: pd.DataFrame | None = None) -> Projection:
    """Weighted borrower pairs from an incidence table (see module docstring)."""
    links = links or LINKS
    if "via" not in inc.columns:
        inc = inc.assign(via=None)
    # one tie per (borrower, identifier, link, via); share counts count borrowers
    ties = inc.drop_duplicates(["borrower", "ident", "link", "via"])[["borrower", "ident", "link", "via"]]
    n = ties.groupby(["link", "ident"], sort=False)["borrower"].transform("nunique")
    ties = ties.assign(n=n.to_numpy())
    caps = ties["link"].map({k: v.max_share for k, v in links.items()}).astype(float).fillna(0.0)
    is_hub = ties["n"] > caps
    hubs = (ties[is_hub].groupby(["link", "ident"], sort=True)["n"].first().reset_index()
            .assign(cap=lambda d: d["link"].map({k: v.max_share for k, v in links.items()})))
    use = ties[~is_hub & (ties["n"] >= 2)]
    wk = use["link"].map({k: v.weight for k, v in links.items()}).astype(float).fillna(0.0)
    use = use.assign(w=wk / (use["n"].astype(float) - 1) ** rarity)
    use = use[use["w"] > 0]
    # near-duplicate letters link their two authors directly (no group: groups chain templates together)
    use = use[use["link"] != "template"]
    tp = text_pairs
    direct = None
    if tp is not None and len(tp) and links.get("template") and links["template"].weight > 0:
        a = np.where(tp["u"] < tp["v"], tp["u"], tp["v"])
        b = np.where(tp["u"] < tp["v"], tp["v"], tp["u"])
        direct = (pd.DataFrame({"u": a, "v": b, "w": links["template"].weight * tp["similarity"].to_numpy()})
                  .groupby(["u", "v"], sort=True)["w"].max().reset_index())
    # the links behind each pair as a bit mask (one bit per link kind), spelled out once per distinct mask
    names = sorted(set(links) | {"template"})
    bit = {k: np.int64(1) << i for i, k in enumerate(names)}
    if len(use):
        codes, uniq = pd.factorize(use["borrower"], sort=True)
        use = use.assign(b=codes.astype(np.int64))
        pairs = use[["ident", "link", "b", "w", "via"]].merge(use[["ident", "link", "b", "via"]],
                                                               on=["ident", "link"], suffixes=("", "2"))
        # company-derived ties (shared agent/address) link colleagues of *different* companies only:
        # colleagues are already linked by their employer, and must not be counted three times
        same_co = pairs["via"].notna().to_numpy() & (pairs["via"] == pairs["via2"]).fillna(False).to_numpy()
        pairs = pairs[(pairs["b"].to_numpy() < pairs["b2"].to_numpy()) & ~same_co]
        pairs = pairs.drop_duplicates(["ident", "link", "b", "b2"])
        key = pairs["b"].to_numpy() * np.int64(len(uniq)) + pairs["b2"].to_numpy()
        lk = pairs["link"].map(bit).astype("int64").to_numpy()
        wsum = pd.Series(pairs["w"].astype(float).to_numpy()).groupby(key, sort=True).sum()
        # OR of the bits = sum over distinct (pair, link)
        kl = pd.DataFrame({"k": key, "l": lk}).drop_duplicates()
        mask = kl.groupby("k", sort=True)["l"].sum()
        k = wsum.index.to_numpy()
        edges = pd.DataFrame({"u": uniq[k // len(uniq)], "v": uniq[k % len(uniq)],
                              "weight": wsum.to_numpy(), "_m": mask.reindex(wsum.index).to_numpy()})
    else:
        edges = pd.DataFrame({"u": pd.Series(dtype=object), "v": pd.Series(dtype=object),
                              "weight": pd.Series(dtype=float), "_m": pd.Series(dtype="int64")})
    if direct is not None:
        both = edges.merge(direct, on=["u", "v"], how="outer")
        has_t = both["w"].notna().to_numpy()
        both["weight"] = both["weight"].astype(float).fillna(0.0) + both["w"].astype(float).fillna(0.0)
        both["_m"] = both["_m"].fillna(0).astype("int64") | np.where(has_t, bit["template"], 0)
        edges = both.drop(columns="w").sort_values(["u", "v"], kind="stable")
    spelled = {m: ";".join(n for n in names if m & bit[n]) for m in pd.unique(edges["_m"]).tolist()}
    edges["links"] = edges["_m"].map(spelled).astype(object)
    edges = edges.drop(columns="_m")
    full = inc.drop(columns="via").merge(ties[["ident", "link", "n"]].drop_duplicates(["ident", "link"]), on=["ident", "link"],
                     how="left")
    return Projection(edges.reset_index(drop=True), full, hubs,
                      borrowers if borrowers is not None else pd.Index(sorted(inc["borrower"].unique())),
                      {"links": {k: {"weight": v.weight, "max_share": v.max_share} for k, v in links.items()}})


def build_projection(g: GraphFrames, links: dict[str, LinkKind] | None = None, text_threshold: float = 0.5,
                     seed: int = 0) -> Projection:
    """Incidence then projection, for a whole graph."""
    inc, tp = incidence(g, text_threshold=text_threshold, seed=seed, with_text_pairs=True)
    bor = g.nodes.get("borrower")
    borrowers = pd.Index(bor["key"]) if bor is not None else None
    p = project(inc, links, borrowers, text_pairs=tp)
    p.text_pairs = tp
    p.params["text_threshold"] = text_threshold
    return p
