"""Malicious debt evasion (恶意逃废债): DOMAIN.md scheme 2.

Fabricated death, illness or unemployment with forged certificates that repeat across
borrowers; "stop collecting and I will repay", then no repayment; life going on as usual
during a claimed hospital stay.
"""

from __future__ import annotations

import pandas as pd

from graphring.ingest.masks import isin
from graphring.signals.context import DAY, SignalContext, _defaulted_unpaid, _empty, _ev, _shared_in_ring


HARDSHIP = ("illness", "death", "pregnancy", "unemployment")
#: A hardship claim repeats when at least this share of a ring's complainants (three or more) make it.
HARDSHIP_SHARE = 0.8


def fabricated_hardship_claims(ctx: SignalContext) -> pd.DataFrame:
    """Hardship (illness, death, pregnancy, unemployment) claimed with a document shared in the ring.

    A forged certificate made by a third party repeats across borrowers; one
    person's genuine certificate does not appear in another's complaint. Where the
    export carries no letters or attachments, the claim itself repeating is the trace:
    at least :data:`HARDSHIP_SHARE` of the ring's complainants claim a hardship.
    """
    c = ctx.complaints()
    if "claimed_reason" not in c.columns:
        return _empty()
    att = _shared_in_ring(ctx, "attachment")
    tpl = _shared_in_ring(ctx, "template")
    linked = set(att["borrower"]) | set(tpl["borrower"])
    hard = c["claimed_reason"].isin(HARDSHIP)
    # or the claim itself repeats: (nearly) every complainant of the ring claims a hardship, as a forger's
    # clients do; this is what an export without letters or attachments still shows
    writers = c.groupby("ring")["borrower_id"].nunique()
    claimers = c[hard].groupby("ring")["borrower_id"].nunique()
    share = (claimers / writers.reindex(claimers.index)).where(writers.reindex(claimers.index) >= 3, 0.0)
    repeated = c["ring"].map(share).fillna(0.0).to_numpy() >= HARDSHIP_SHARE
    m = c[hard & (isin(c["borrower_id"], linked) | repeated)]
    return _ev(m["ring"], "fabricated_hardship_claims", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "claims " + m["claimed_reason"].astype(str) + " with a document or letter shared in the ring")


def stop_collection_then_no_repayment(ctx: SignalContext) -> pd.DataFrame:
    """Demands that collection stop, then no repayment follows and the debt stays overdue."""
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    c = c[c["demand"].eq("stop_collection")]
    if not len(c):
        return _empty()
    unpaid = _defaulted_unpaid(ctx, c.groupby("borrower_id")["t"].min())
    m = c[isin(c["borrower_id"], unpaid)]
    return _ev(m["ring"], "stop_collection_then_no_repayment", m["borrower_id"], None, "complaints", m["_row"],
               m["key"], "asked to stop collection; no repayment since and still overdue")


def activity_during_claimed_illness(ctx: SignalContext, window_days: int = 30) -> pd.DataFrame:
    """Logins or spending during a claimed hospital stay or after a claimed death.

    The claimed period is taken as ``window_days`` either side of the complaint
    (any time after it for a claimed death).
    """
    c = ctx.complaints()
    if "claimed_reason" not in c.columns:
        return _empty()
    c = c[c["claimed_reason"].isin(["illness", "death"]) & c["t"].notna()]
    if not len(c):
        return _empty()
    claims = c.groupby("borrower_id").agg(t=("t", "min"), reason=("claimed_reason", "first"))
    parts = []
    dev = ctx.edges("USED_DEVICE", "borrower", "device")
    if len(dev) and "seen_at" in dev.columns:
        d = dev[isin(dev["src"], claims.index)].copy()
        d["t"] = pd.to_datetime(d["seen_at"], errors="coerce")
        parts.append(d.rename(columns={"src": "b"})[["b", "t", "_table", "_row"]].assign(what="login"))
    for (_, sk, dk), p in ctx.g.edges_of_type("PAID"):
        if sk == "borrower" and len(p) and "paid_at" in p.columns:
            q = p[isin(p["src"], claims.index)].copy()
            if "purpose" in q.columns:
                q = q[~q["purpose"].eq("repayment")]
            q["t"] = pd.to_datetime(q["paid_at"], errors="coerce")
            parts.append(q.rename(columns={"src": "b"})[["b", "t", "_table", "_row"]].assign(what="payment"))
    if not parts:
        return _empty()
    a = pd.concat(parts, ignore_index=True).dropna(subset=["t"])
    tc = a["b"].map(claims["t"])
    death = a["b"].map(claims["reason"]).eq("death")
    inside = ((a["t"] >= tc - window_days * DAY) & (a["t"] <= tc + window_days * DAY)) | (death & (a["t"] > tc))
    a = a[inside]
    return _ev(a["b"].map(ctx.ring_of), "activity_during_claimed_illness", a["b"], None, a["_table"], a["_row"],
               None, a["what"] + " while claiming illness or death")
