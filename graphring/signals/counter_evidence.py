"""Counter-evidence: what honest representation and honest debtors look like.

A law firm or legal-aid centre that names itself, demands for instalments or a
reduction, repayment after the complaint, letters in the writers' own words. These
signals lower a ring's score (:attr:`~graphring.signals.registry.Signal.counter`).
"""

from __future__ import annotations

import re

import pandas as pd

from graphring.ingest.masks import isin
from graphring.signals.context import SignalContext, _demands_of, _empty, _ev, _lookup, _shared_in_ring


#: Representation that names itself: a licensed law firm, a legal-aid centre, a legal service office.
SELF_DECLARED = re.compile(r"律师事务所|律所|法律援助|援助中心|法律服务所|公益法律")
#: Demands an honest debtor makes (DOMAIN.md: evasion asks to stop collection, "not a reduction").
LEGITIMATE_DEMANDS = ("installment", "reduce_principal")


def self_declared_representation(ctx: SignalContext) -> pd.DataFrame:
    """Complaints filed by a representative that names itself as a law firm or legal-aid centre.

    A legal-aid hotline or a licensed law firm files for many clients and its name is on the file; an
    anti-collection agency hides behind the borrower (DOMAIN.md, benign look-alikes). Counter-evidence.
    """
    c = ctx.complaints()
    if "agent" not in c.columns:
        return _empty()
    m = c[c["agent"].astype(str).str.contains(SELF_DECLARED, na=False)]
    return _ev(m["ring"], "self_declared_representation", m["borrower_id"], "agent:" + m["agent"].astype(str),
               "complaints", m["_row"], m["key"], "filed by a representative naming itself: " + m["agent"].astype(str))


def legitimate_demands(ctx: SignalContext) -> pd.DataFrame:
    """Complaints asking for instalments or a reduction of principal: what an honest debtor negotiates.

    Counter-evidence: an evasion gang demands that collection stop, an extortion group compensation.
    """
    return _demands_of(ctx, LEGITIMATE_DEMANDS, "legitimate_demands")


def repayment_after_complaint(ctx: SignalContext) -> pd.DataFrame:
    """Complainants whose loans are still being repaid after their first complaint.

    Counter-evidence: an agency tells its clients to stop paying; a legal-aid or law-firm client keeps
    paying (DOMAIN.md).
    """
    c = ctx.complaints().dropna(subset=["t"])
    rp = ctx.ring_repayments()
    if not len(c) or not len(rp):
        return _empty()
    first = c.groupby("borrower_id")["t"].min()
    rp = rp[isin(rp["borrower"], first.index)]
    after = rp[(rp["t"] > _lookup(rp["borrower"], first)).to_numpy()]
    if not len(after):
        return _empty()
    b = pd.Index(after["borrower"].unique())
    return _ev(ctx.ring_of.reindex(b).to_numpy(), "repayment_after_complaint", b.to_numpy(), None, "payments",
               None, None, "repayment received after the borrower's first complaint")


def letters_in_own_words(ctx: SignalContext) -> pd.DataFrame:
    """Letter writers of the ring whose letters resemble no other member's (by :func:`graphring.detect.textsim.one_hand`).

    Counter-evidence in a ring of at least three letter writers: clients of a legal-aid line write in
    their own words; an agency's clients send its script.
    """
    c = ctx.complaints()
    if "text" not in c.columns:
        return _empty()
    c = c[c["text"].notna() & (c["text"].astype(str).str.len() > 0)]
    writers = c.groupby("ring")["borrower_id"].nunique()
    c = c[c["ring"].map(writers).to_numpy() >= 3]
    if not len(c):
        return _empty()
    alike = set(_shared_in_ring(ctx, "template", 2)["borrower"])
    m = c[~isin(c["borrower_id"], alike)].drop_duplicates("borrower_id")
    return _ev(m["ring"], "letters_in_own_words", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "letter resembles no other member's")
