"""Professional proxy complaints (职业化代理投诉, "anti-collection" 反催收): DOMAIN.md scheme 1.

An agency files regulator complaints for many overdue borrowers to force lenders to stop
collection and waive interest. Its traces: complaints from numbers that are not the
borrower's own, one number for many borrowers, SIMs mailed to the agency's city, the
account phone unbound and rebound, letters from one template, the same attachments, one
representative; and the demand to waive interest (which names the scheme only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.detect.projection import account_swaps, away_from_home
from graphring.ingest.masks import isin
from graphring.signals.context import (SCHEME_DEMANDS, SignalContext, _defaulted_unpaid, _demands_of, _empty, _ev,
                                       _shared_in_ring)


def foreign_complaint_phone(ctx: SignalContext) -> pd.DataFrame:
    """A complaint filed from a number that is not the borrower's own.

    Alone this is weak: a spouse, a legal-aid line or HR may call. Strength is the
    share of the ring's borrowers with such a complaint.
    """
    m = ctx.ring_ties("complaint_phone")
    return _ev(m["ring"], "foreign_complaint_phone", m["borrower"], m["ident"],
               m["table"], m["row"], None, "complaint filed from a number that is not the borrower's own")


def hub_complaint_phone(ctx: SignalContext) -> pd.DataFrame:
    """One complaint number filing for several borrowers of the ring, whose clients behave like an agency's.

    A number filing for at least three of the ring's borrowers is the agency
    trace, but a legal-aid hotline or an employer's HR line files for many
    people too. What tells them apart is what happens around the letter: an
    anti-collection agency's clients stop repaying (the agency tells them to),
    and its letters are written from one template or carry the same
    attachments; a legal-aid line's clients write in their own words and keep
    repaying. A borrower counts only when they are in default with no repayment
    since their first complaint, or their letter shares a template or an
    attachment with another ring member's.
    """
    m = _shared_in_ring(ctx, "complaint_phone", 3)
    if not len(m):
        return _empty()
    first_c = ctx.complaints().dropna(subset=["t"]).groupby("borrower_id")["t"].min()
    unpaid = _defaulted_unpaid(ctx, first_c)
    shared = set(_shared_in_ring(ctx, "template")["borrower"]) | set(_shared_in_ring(ctx, "attachment")["borrower"])
    m = m[isin(m["borrower"], unpaid | shared)]
    why = np.where(isin(m["borrower"], shared), "letter shares a template or attachment in the ring",
                   "client in default and not repaying since the complaint")
    return _ev(m["ring"], "hub_complaint_phone", m["borrower"], m["ident"], m["table"], m["row"], None,
               "complaint number shared by " + m["n"].astype(str) + " borrowers; " + pd.Series(why, index=m.index))


def sim_in_agency_city(ctx: SignalContext) -> pd.DataFrame:
    """The borrower's own number seen in another city, the same city for several members.

    SIM cards mailed to an agency show up in the agency's city. One borrower
    travelling is nothing; several members' own numbers seen in one city they do
    not live in is the trace.
    """
    away = away_from_home(ctx.g)
    away = away[isin(away["src"], ctx.ring_of.index)].copy()
    if not len(away):
        return _empty()
    away["ring"] = away["src"].map(ctx.ring_of)
    k = away.groupby(["ring", "city"])["src"].transform("nunique")
    away = away[k >= 2]
    return _ev(away["ring"], "sim_in_agency_city", away["src"], "phone:" + away["dst"], away["_table"],
               away["_row"], None, "own number seen in " + away["city"].astype(str) + ", not the home city")


def unbind_rebind_before_complaint(ctx: SignalContext, within_days: int = 60) -> pd.DataFrame:
    """The account phone unbound and a number bound within ``within_days`` before a complaint."""
    pe = account_swaps(ctx.g, within_days)
    pe = pe[isin(pe["src"], ctx.ring_of.index)]
    if not len(pe):
        return _empty()
    return _ev(pe["src"].map(ctx.ring_of), "unbind_rebind_before_complaint", pe["src"], "phone:" + pe["dst"],
               pe["_table"], pe["_row"], None, pe["event"] + " of the account phone shortly before a complaint")


def template_complaint_text(ctx: SignalContext) -> pd.DataFrame:
    """Near-identical letters (same wording, typos, punctuation) from three or more ring members.

    A script is the trace of a group writing for its clients; two similar
    letters alone are as likely a couple, or two people who copied the same
    stock phrases, so (as for a complaint number) three letter writers are needed.
    """
    m = _shared_in_ring(ctx, "template", 3)
    return _ev(m["ring"], "template_complaint_text", m["borrower"], None, m["table"], m["row"], None,
               "letter from template " + m["ident"].str.slice(len("template:")) + " shared by "
               + m["n"].astype(str) + " borrowers")


def shared_attachment(ctx: SignalContext) -> pd.DataFrame:
    """The same attached file (certificate, image) on complaints of several ring members."""
    m = _shared_in_ring(ctx, "attachment")
    return _ev(m["ring"], "shared_attachment", m["borrower"], m["ident"], m["table"], m["row"], None,
               "same attachment on complaints of " + m["n"].astype(str) + " borrowers")


def shared_agent(ctx: SignalContext) -> pd.DataFrame:
    """One named representative on complaints of several ring members."""
    m = _shared_in_ring(ctx, "agent")
    return _ev(m["ring"], "shared_agent", m["borrower"], m["ident"], m["table"], m["row"], None,
               "same agent for " + m["n"].astype(str) + " borrowers")


def demands_interest_waiver(ctx: SignalContext) -> pd.DataFrame:
    """Complaints demanding that interest be waived: what an anti-collection agency extracts.

    Names the scheme, not the ring (:attr:`Signal.types_only`): honest debtors ask the same.
    """
    return _demands_of(ctx, SCHEME_DEMANDS["proxy_complaint"], "demands_interest_waiver")
