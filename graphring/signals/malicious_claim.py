"""Malicious claims / extortion (恶意索赔): DOMAIN.md scheme 3.

Borrowers with many concurrent debts default, complain, escalate to petitions; an
apology and publication are asked first, later a compensation that covers the debts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.ingest.masks import isin
from graphring.present.fmt import claimed_amount as _claimed_amount
from graphring.signals.context import SCHEME_DEMANDS, SignalContext, _demands_of, _empty, _ev


def escalation_to_petition(ctx: SignalContext) -> pd.DataFrame:
    """Complaints escalated through channels up to a petition (信访) or the regulator."""
    c = ctx.complaints()
    if "channel" not in c.columns:
        return _empty()
    c = c.sort_values(["borrower_id", "t"], kind="stable")
    nch = c.groupby("borrower_id")["channel"].transform("nunique")
    top = c["channel"].eq("petition").fillna(False).groupby(c["borrower_id"]).transform("any")
    m = c[(nch >= 2) & top.astype(bool)]
    return _ev(m["ring"], "escalation_to_petition", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "complaint via " + m["channel"].astype(str) + " in an escalation up to a petition")


def compensation_close_to_debts(ctx: SignalContext, tolerance: float = 0.35) -> pd.DataFrame:
    """Compensation demanded that roughly covers all the borrower's debts.

    The amount is the largest ``... 元`` figure in a complaint that demands
    compensation (an extra ``claimed_amount`` column is used when the input has
    one); it is compared to the outstanding balance and loan amounts.
    """
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    c = c[c["demand"].eq("compensation")].copy()
    if not len(c):
        return _empty()
    if "x:claimed_amount" in c.columns:
        c["claim"] = pd.to_numeric(c["x:claimed_amount"], errors="coerce")
    else:
        c["claim"] = c["text"].map(_claimed_amount) if "text" in c.columns else np.nan
    bor = ctx.borrowers().set_index("key")
    debt = bor["outstanding"] if "outstanding" in bor.columns else pd.Series(np.nan, index=bor.index)
    lo = ctx.loans()
    if "amount" in lo.columns:
        debt = debt.fillna(lo.groupby("borrower_id")["amount"].sum().reindex(debt.index))
    c["debt"] = c["borrower_id"].map(debt)
    close = (c["claim"] > 0) & (c["debt"] > 0) & ((c["claim"] / c["debt"] - 1).abs() <= tolerance)
    m = c[close]
    return _ev(m["ring"], "compensation_close_to_debts", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "compensation claimed " + m["claim"].round(0).astype(str) + " against debts of "
               + m["debt"].round(0).astype(str))


def apology_then_compensation(ctx: SignalContext) -> pd.DataFrame:
    """First an apology is demanded, later compensation (the extortion sequence)."""
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    a = c[c["demand"].eq("apology")].groupby("borrower_id")["t"].min()
    comp = c[c["demand"].eq("compensation")]
    if not len(a) or not len(comp):
        return _empty()
    ta = pd.to_datetime(comp["borrower_id"].map(a), errors="coerce")
    m = comp[comp["borrower_id"].isin(a.index) & (comp["t"] >= ta)]
    return _ev(m["ring"], "apology_then_compensation", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "compensation demanded after an apology demand")


def high_co_debt_then_default(ctx: SignalContext, min_lenders: int = 5) -> pd.DataFrame:
    """Many concurrent lenders (共债), then default, and a complaint."""
    b = ctx.borrowers()
    if "co_debt_lenders" not in b.columns:
        return _empty()
    od = b["overdue_days"].fillna(0) > 0 if "overdue_days" in b.columns else pd.Series(False, index=b.index)
    if "first_overdue_on" in b.columns:
        od = od | b["first_overdue_on"].notna()
    complained = isin(b["key"], ctx.complaints()["borrower_id"])
    m = b[(b["co_debt_lenders"] >= min_lenders) & od & complained]
    return _ev(m["ring"], "high_co_debt_then_default", m["key"], None, "borrowers", m["_row"], m["key"],
               "owes " + m["co_debt_lenders"].astype(int).astype(str) + " lenders, defaulted, then complained")


def demands_apology_or_compensation(ctx: SignalContext) -> pd.DataFrame:
    """Complaints demanding an apology, publication or compensation: the extortion sequence's demands.

    Names the scheme, not the ring (:attr:`Signal.types_only`): a wronged borrower may ask the same.
    """
    return _demands_of(ctx, SCHEME_DEMANDS["malicious_claim"], "demands_apology_or_compensation")
