"""Professional debt carriers (职业背债): DOMAIN.md scheme 5.

Clean-credit carriers apply for several loan products at once on the broker's device,
the intermediary repays the first instalments, intermediaries pass carriers along, and
the fresh loans go bad quickly.
"""

from __future__ import annotations

import pandas as pd

from graphring.ingest.masks import isin
from graphring.signals.context import DAY, SignalContext, _empty, _ev, _lookup, _shared_in_ring


def multi_product_burst(ctx: SignalContext, days: int = 30, min_loans: int = 3) -> pd.DataFrame:
    """Thin-file borrowers applying for several products (car, mortgage, consumer, business) within days."""
    lo = ctx.loans()
    if not len(lo) or "product" not in lo.columns:
        return _empty()
    b = ctx.borrowers()
    thin = set(b[b["credit_file"].eq("thin")]["key"]) if "credit_file" in b.columns else set(b["key"])
    lo = lo[isin(lo["borrower_id"], thin) & lo["t"].notna()]
    g = lo.groupby("borrower_id").agg(n=("key", "size"), nprod=("product", "nunique"), t0=("t", "min"),
                                      t1=("t", "max"))
    burst = g[(g["n"] >= min_loans) & (g["nprod"] >= 2) & ((g["t1"] - g["t0"]) <= days * DAY)]
    m = lo[isin(lo["borrower_id"], burst.index)]
    return _ev(m["ring"], "multi_product_burst", m["borrower_id"], None, "loans", m["_row"], m["key"],
               "thin-file borrower: " + m["borrower_id"].map(burst["n"]).astype(str)
               + " applications within " + str(days) + " days")


def third_party_repayment(ctx: SignalContext) -> pd.DataFrame:
    """Loans repaid by someone else, the same payer for several ring members (前期代偿).

    A parent repaying two children's loans is not an intermediary: a payer
    repaying at most five borrowers who all share one surname, one home
    address or one home city is treated as family and not counted.
    """
    m = _shared_in_ring(ctx, "repayer", 2)
    if not len(m):
        return _empty()
    at = ctx.node_pos("borrower", m["borrower"])

    def of(name: str) -> pd.Series:
        return _lookup(m["borrower"], ctx.col("borrower", name), at).astype(str)

    fam = m.assign(sn=of("name").str.slice(0, 1), c=of("city"), a=of("address_key"))
    g = fam.groupby(["ring", "ident"]).agg(sn=("sn", "nunique"), c=("c", "nunique"), a=("a", "nunique"),
                                           nb=("borrower", "nunique"))
    family = g[(g["nb"] <= 5) & ((g["sn"] == 1) | (g["c"] == 1) | (g["a"] == 1))].index
    m = m[~pd.MultiIndex.from_arrays([m["ring"], m["ident"]]).isin(family)]
    return _ev(m["ring"], "third_party_repayment", m["borrower"], m["ident"], m["table"], m["row"], None,
               "loan repaid by a third party who repays " + m["n"].astype(str) + " borrowers")


def shared_broker_device(ctx: SignalContext, min_borrowers: int = 3) -> pd.DataFrame:
    """A device used by several ring members who live in different cities (families share at home)."""
    m = _shared_in_ring(ctx, "device", min_borrowers)
    if not len(m):
        return _empty()
    city = ctx.col("borrower", "city")
    m = m.assign(city=_lookup(m["borrower"], city).astype(str))
    ncity = m.groupby(["ring", "ident"])["city"].transform("nunique")
    m = m[ncity >= 2]
    return _ev(m["ring"], "shared_broker_device", m["borrower"], m["ident"], m["table"], m["row"], None,
               "device used by " + m["n"].astype(str) + " borrowers in different cities")


def layered_intermediaries(ctx: SignalContext) -> pd.DataFrame:
    """Two or more intermediaries each arranging loans for several ring members (一手/二手中介)."""
    m = _shared_in_ring(ctx, "intermediary", 2)
    if not len(m):
        return _empty()
    nint = m.groupby("ring")["ident"].transform("nunique")
    m = m[nint >= 2]
    return _ev(m["ring"], "layered_intermediaries", m["borrower"], m["ident"], m["table"], m["row"], None,
               "one of " + nint[m.index].astype(str) + " intermediaries working the ring")


def default_after_packaging(ctx: SignalContext, days: int = 240) -> pd.DataFrame:
    """Thin-file borrowers whose fresh loans go bad soon after application."""
    lo = ctx.loans()
    if not len(lo) or "status" not in lo.columns:
        return _empty()
    b = ctx.borrowers()
    if "credit_file" not in b.columns:
        return _empty()
    thin = set(b[b["credit_file"].eq("thin")]["key"])
    fo = pd.to_datetime(ctx.col("borrower", "first_overdue_on"), errors="coerce")
    m = lo[isin(lo["borrower_id"], thin) & lo["status"].isin(["overdue", "charged_off"])].copy()
    m["fo"] = _lookup(m["borrower_id"], fo)
    m = m[m["fo"].isna() | ((m["fo"] - m["t"]) <= days * DAY)]
    return _ev(m["ring"], "default_after_packaging", m["borrower_id"], None, "loans", m["_row"], m["key"],
               "thin-file borrower's loan went " + m["status"].astype(str) + " soon after application")
