"""Loan fraud by qualification packaging (资质包装): DOMAIN.md scheme 4.

Shell companies registered through one agent at one address, incorporated just before
the loans, trading in circles and acting as each other's counterparty; thin-file
borrowers put on a payroll that starts shortly before the loan; an insider waving
applications through. These signals run in one lane (:data:`~graphring.signals.registry.COMPANY_LANE`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from graphring.ingest.masks import codes, isin, positions
from graphring.signals.context import DAY, SignalContext, _count_at, _empty, _ev, _join_rows


def shells_share_registration(ctx: SignalContext, min_share: float = 0.5) -> pd.DataFrame:
    """The ring's companies sharing a registration agent or registered address.

    A ring company ties at least two of the ring's borrowers (employer,
    payroll, role or loan counterparty). A popular bookkeeping firm serves
    hundreds of unrelated companies; a shell factory's agent serves a handful
    that all tie to one ring. Counted when at least two ring companies share the
    agent or address and at least ``min_share`` of all the companies it serves
    in the data are ring companies.
    """
    rc = ctx.ring_companies()
    if not len(rc):
        return _empty()
    rc = rc[isin(rc["company"], ctx.shell_like())][["ring", "company"]].drop_duplicates()
    out = []
    for t, dk in (("REGISTERED_BY", "registration_agent"), ("REGISTERED_AT", "address")):
        e = ctx.edges(t, "company", dk)
        if not len(e):
            continue
        total = e.groupby("dst")["src"].nunique()
        m = rc.merge(e.rename(columns={"src": "company", "dst": "via"}), on="company")
        if not len(m):  # (an empty map would keep the ids' string dtype)
            continue
        k = m.groupby(["ring", "via"])["company"].transform("nunique")
        share = k / m["via"].map(total)
        m = m[(k >= 2) & (share >= min_share)]
        if len(m):
            out.append(_ev(m["ring"], "shells_share_registration", None, "company:" + m["company"], m["_table"],
                           m["_row"], m["company"], "company shares " + dk.replace("_", " ") + " "
                           + m["via"].astype(str) + " with " + (k[m.index] - 1).astype(str) + " others in the ring"))
    return pd.concat(out, ignore_index=True) if out else _empty()


def recent_incorporation(ctx: SignalContext, days: int = 365) -> pd.DataFrame:
    """Employer or counterparty incorporated less than ``days`` before the ring's loans."""
    rc = ctx.ring_companies()
    comp = ctx.nodes("company")
    if not len(rc) or "incorporated_on" not in comp.columns:
        return _empty()
    inc_on = pd.to_datetime(comp.set_index("key")["incorporated_on"], errors="coerce")
    lo = ctx.loans()
    first_loan = lo.dropna(subset=["t"]).groupby("ring")["t"].min()
    m = rc[isin(rc["company"], ctx.shell_like())].drop_duplicates(["ring", "company"]).copy()
    m["inc"] = m["company"].map(inc_on)
    if not len(first_loan):  # no loans table, or no applied_at: no first loan to date a company against
        return _empty()
    m["first"] = m["ring"].map(first_loan)
    m = m[m["inc"].notna() & m["first"].notna() & (m["first"] - m["inc"] <= days * DAY) & (m["first"] >= m["inc"])]
    crow = comp.set_index("key")["_row"] if "_row" in comp.columns else pd.Series(dtype=object)
    return _ev(m["ring"], "recent_incorporation", None, "company:" + m["company"], "companies",
               m["company"].map(crow), m["company"],
               "incorporated " + ((m["first"] - m["inc"]).dt.days).astype(str) + " days before the ring's first loan")


def circular_trade_flows(ctx: SignalContext) -> pd.DataFrame:
    """Trade payments that go round among the ring's companies (A→B→…→A)."""
    p = ctx.edges("PAID", "company", "company")
    rc = ctx.ring_companies()[["ring", "company"]].drop_duplicates()
    if not len(p) or not len(rc):
        return _empty()
    if "purpose" in p.columns:
        p = p[p["purpose"].isin(["trade", "other"]) | p["purpose"].isna()]
    ring_of_co = rc.drop_duplicates("company").set_index("company")["ring"]
    p = p[isin(p["src"], ring_of_co.index) | isin(p["dst"], ring_of_co.index)]
    if not len(p):
        return _empty()
    nodes = pd.Index(pd.unique(pd.concat([p["src"], p["dst"]]))).sort_values()
    m = coo_matrix((np.ones(len(p)), (nodes.get_indexer(p["src"]), nodes.get_indexer(p["dst"]))),
                   shape=(len(nodes), len(nodes)))
    _, lab = connected_components(m, directed=True, connection="strong")
    scc = pd.Series(lab, index=nodes)
    big = scc.map(scc.value_counts()) >= 2
    cyc = p[p["src"].map(big) & p["dst"].map(big) & (p["src"].map(scc) == p["dst"].map(scc))]
    ring = cyc["src"].map(ring_of_co).fillna(cyc["dst"].map(ring_of_co))
    return _ev(ring, "circular_trade_flows", None, "company:" + cyc["src"], cyc["_table"], cyc["_row"], None,
               "trade payment in a cycle among the ring's companies")


def payroll_to_thin_file(ctx: SignalContext) -> pd.DataFrame:
    """Thin-file borrowers (白户) on the payroll of a small company tied to the ring."""
    b = ctx.borrowers()
    if "credit_file" not in b.columns:
        return _empty()
    thin = set(b[b["credit_file"].eq("thin")]["key"])
    rc = ctx.ring_companies()
    if not len(rc):
        return _empty()
    emp = rc[rc["how"].eq("employer") & isin(rc["borrower"], thin)]
    e, ic, idents, bc = ctx.employer_codes()
    at = positions("company:" + emp["company"], idents)
    # distinct staff of each employer identifier
    ok = (ic >= 0) & (bc >= 0)
    nb = bc.max(initial=-1) + 1
    size = np.bincount(np.unique(ic[ok] * nb + bc[ok]) // max(nb, 1), minlength=len(idents))
    keep = np.where(at >= 0, size[at], 0) <= 60
    emp, at = emp[keep], at[keep]
    # a real employer's staff is mostly not thin-file; a shell's "payroll" is
    ok = ic >= 0
    n = np.bincount(ic[ok], minlength=len(idents))
    n_thin = np.bincount(ic[ok], weights=isin(e["borrower"], thin)[ok], minlength=len(idents))
    with np.errstate(invalid="ignore", divide="ignore"):
        thin_share = n_thin / n
    emp = emp[np.where(at >= 0, thin_share[at], 0) >= 0.6]
    k = emp.groupby(["ring", "company"])["borrower"].transform("nunique")
    emp = emp[k >= 2]
    return _ev(emp["ring"], "payroll_to_thin_file", emp["borrower"], "company:" + emp["company"], emp["table"],
               emp["row"], None, "thin-file borrower on the payroll of a small company")


def payroll_before_loan(ctx: SignalContext, min_share: float = 0.6) -> pd.DataFrame:
    """Ring borrowers put on a payroll shortly before a loan naming that employer.

    Packagers "inject cash flow": a shell starts paying salaries to the people it
    will present as staff a few months before they apply, so that the loan file
    shows income. Counted for a ring when at least two of its borrowers got their
    first salary from the employer within 180 days before applying, and most
    (``min_share``) of that employer's salaried applicants in the whole
    portfolio did the same. A real employer's new hire applying soon after
    joining is one person among colleagues with long payroll histories.
    """
    pl = ctx.payroll_leads()
    if not len(pl):
        return _empty()
    per = pl.drop_duplicates(["company", "borrower"]).groupby("company")["fresh"].mean()
    m = pl[pl["fresh"] & isin(pl["borrower"], ctx.ring_of.index)]
    m = m[m["company"].map(per).fillna(0).to_numpy() >= min_share]
    m = m.assign(ring=m["borrower"].map(ctx.ring_of).to_numpy())
    k = m.groupby(["ring", "company"])["borrower"].transform("nunique")
    m = m[k >= 2]
    return _ev(m["ring"], "payroll_before_loan", m["borrower"], "company:" + m["company"], m["table"], m["row"],
               m["loan"], "first salary from the employer " + m["lead_days"].astype(int).astype(str)
               + " days before the loan application naming it")


def counterparty_sister_shell(ctx: SignalContext) -> pd.DataFrame:
    """Loan proceeds paid to a sister of the borrower's own employer.

    An honest business loan pays an outside supplier; a packaged loan pays a
    company the same people control: one that trades with the borrower's
    employer, or was registered by the same agent or at the same address.
    """
    rc = ctx.ring_companies()
    if not len(rc):
        return _empty()
    how = rc["how"].to_numpy()
    cp = rc[how == "counterparty"]
    emp = rc[how == "employer"][["borrower", "company"]]
    if not len(cp) or not len(emp):
        return _empty()
    # (borrower, employer) once each, first seen first; then every counterparty tie against each employer of
    # its borrower, on integer codes (a merge of the two in the order merge gives)
    b, _ = codes(emp["borrower"])
    c, cu = codes(emp["company"])
    _, first = np.unique((b + 1) * (len(cu) + 1) + (c + 1), return_index=True)
    emp = emp.iloc[np.sort(first)]
    li, ri = _join_rows(cp["borrower"], emp["borrower"])
    pairs = cp.iloc[li].reset_index(drop=True).assign(employer=emp["company"].array.take(ri))
    pairs = pairs[pairs["company"] != pairs["employer"]]
    # related companies (trading partners, sisters by agent or address) as pairs of integer codes
    left, right = [], []
    p = ctx.edges("PAID", "company", "company")
    if len(p):
        left += [p["src"], p["dst"]]
        right += [p["dst"], p["src"]]
    for t, dk in (("REGISTERED_BY", "registration_agent"), ("REGISTERED_AT", "address")):
        e = ctx.edges(t, "company", dk)
        if len(e):
            total = e.groupby("dst")["src"].nunique()
            e = e[e["dst"].map(total) <= 20]  # a popular firm's clients are not sisters
            sis = e.merge(e, on="dst")
            left.append(sis["src_x"])
            right.append(sis["src_y"])
    n = len(pairs)
    allc, u = codes(pd.concat([pairs["company"], pairs["employer"]] + left + right, ignore_index=True))
    allc = allc + 1  # missing is a value too, as in a set of tuples
    key = allc * (len(u) + 1)
    half = (len(allc) - 2 * n) // 2
    rel = key[2 * n:2 * n + half] + allc[2 * n + half:]
    keep = np.isin(key[:n] + allc[n:2 * n], rel)
    m = pairs[keep].drop_duplicates(["ring", "borrower", "company", "table", "row"])
    return _ev(m["ring"], "counterparty_sister_shell", m["borrower"], "company:" + m["company"], m["table"],
               m["row"], None, "loan proceeds paid to a sister company of the borrower's employer")


def officer_concentration(ctx: SignalContext, alpha: float = 1e-4, min_share: float = 0.5,
                          prior: float = 5.0) -> pd.DataFrame:
    """One loan officer handling most of a ring's loans, more than their local share explains.

    Officers serve a branch, so borrowers of one city share officers: a local
    group (a legal-aid centre's clients, one employer's staff, a family) is
    handled by few officers for no bad reason. The officer's expected share of
    each ring loan is therefore their share of the *other* loans (the ring's
    own left out) to borrowers of the same city, shrunk towards their share of
    all other loans by ``prior`` pseudo-loans (a city with few loans says
    little). One-sided binomial test: k of the ring's n loans are the
    officer's, against the mean p of those expected shares; fires when
    P(X >= k) < ``alpha``, k >= 3 and k >= ``min_share`` n. An insider waving
    through a ring recruited across cities handles far more of its loans than
    any branch explains.
    """
    from scipy.special import bdtrc  # binom.sf(k - 1, n, p); scipy.stats costs 0.4 s to import

    lo = ctx.loans()
    allo = ctx.all_loans()
    if "officer_id" not in lo.columns or not len(lo) or "borrower_id" not in allo.columns:
        return _empty()
    city = ctx.col("borrower", "city").astype(object)
    city = city[~city.index.duplicated()].fillna("?")
    # integer codes for officers and cities (a borrower not found has city "?", like a missing one)
    cc, _ = pd.factorize(np.append(city.to_numpy(), "?"))
    ocode, _ = codes(pd.concat([allo["officer_id"], lo["officer_id"]], ignore_index=True))

    def city_code(bids: pd.Series) -> np.ndarray:
        i = positions(bids, city.index)
        return np.where(i >= 0, cc[:-1][i], cc[-1])

    c_all = city_code(allo["borrower_id"])
    lrows = ctx.loan_rows()
    c_lo = c_all[lrows] if lrows is not None and len(lrows) == len(lo) else city_code(lo["borrower_id"])
    a = pd.DataFrame({"o": ocode[:len(allo)], "c": c_all})
    a = a[a["o"].to_numpy() >= 0]
    lo = lo.assign(_o=ocode[len(allo):])
    r = pd.DataFrame({"ring": lo["ring"].to_numpy(), "o": lo["_o"].to_numpy(), "c": c_lo})
    r_off = r[r["o"].to_numpy() >= 0]
    k = r_off.groupby(["ring", "o"]).size().rename("k").reset_index()
    if not len(k):
        return _empty()
    n_all = float(len(a))
    # every ring loan against every officer tested in that ring (the ring's loans in order), with the loan
    # counts the expected share is made of, all on integer keys
    xi, xj = _join_rows(r["ring"], k["ring"])
    c_r, o_k = r["c"].to_numpy(), k["o"].to_numpy()
    xc, xo = c_r[xi], o_k[xj]
    ao, co = a["o"].to_numpy(), a["c"].to_numpy()
    off = r["o"].to_numpy() >= 0
    ro, rco = r["o"].to_numpy()[off], c_r[off]
    nc = int(max(co.max(initial=0), c_r.max(initial=0))) + 1
    no = int(max(ao.max(initial=0), o_k.max(initial=0))) + 1
    rg = pd.factorize(r["ring"].to_numpy())[0].astype(np.int64)
    rgr = rg[off]
    a_co = (np.bincount(co * no + ao, minlength=nc * no)[xc * no + xo] if nc * no <= 1 << 24
            else _count_at(co * no + ao, xc * no + xo))
    a_c = np.bincount(co, minlength=nc)[xc]
    a_o = np.bincount(ao, minlength=no)[xo]
    r_co = _count_at((rgr * nc + rco) * no + ro, (rg[xi] * nc + xc) * no + xo)
    r_c = _count_at(rgr * nc + rco, rg * nc + c_r)[xi]
    r_o = k["k"].to_numpy()[xj]
    n_r = np.bincount(rgr, minlength=len(rg))[rg][xi]
    glob = np.clip((a_o - r_o) / np.maximum(n_all - n_r.astype(float), 1.0), 0.0, 1.0)
    p = ((a_co - r_co) + prior * glob) / ((a_c - r_c) + prior)
    # mean over the ring's loans, summed in loan order as pandas does
    k["p"] = pd.Series(p).groupby(xj).mean().reindex(np.arange(len(k))).to_numpy()
    k["n"] = k["ring"].map(lo.groupby("ring")["key"].size()).astype(float)
    pval = bdtrc(k["k"].to_numpy(np.int64) - 1, k["n"].to_numpy(np.int64), k["p"].clip(1e-9, 1.0).to_numpy())
    k["pval"] = np.where(pval < np.finfo(float).tiny, 0.0, pval)  # bdtrc ends in subnormals where binom.sf says 0
    sig = k[(k["k"] >= 3) & (k["pval"] < alpha) & (k["k"] >= min_share * k["n"])]
    m = lo.merge(sig.rename(columns={"o": "_o"})[["ring", "_o", "k", "n", "p", "pval"]], on=["ring", "_o"])
    if not len(m):
        return _empty()
    return _ev(m["ring"], "officer_concentration", m["borrower_id"], "officer:" + m["officer_id"].astype(str),
               "loans", m["_row"], m["key"],
               "officer handled " + m["k"].astype(int).astype(str) + " of the ring's " + m["n"].astype(int).astype(str)
               + " loans against a local share of " + (100 * m["p"]).round(1).astype(str) + "% (p="
               + m["pval"].map(lambda v: f"{v:.1e}") + ")")
