"""Structural signals: what any table of shared identifiers shows, whatever the scheme.

Accounts, phones and devices an organiser controls, shared by the ring and hardly
anyone else (families sharing at one home address are not counted), and identifiers
already on a watchlist. They need no complaint, loan or company table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.ingest.masks import isin
from graphring.signals.context import SignalContext, _empty, _ev, _shared_in_ring
from graphring.watch.watchlist import match_incidence


def _one_household(ctx: SignalContext, m: pd.DataFrame) -> np.ndarray:
    """Rows of shared ties (``ring, borrower, ident``) whose sharers in the ring all live at one home address."""
    if not len(m):
        return np.zeros(0, bool)
    addr = ctx._cache.get("home_of")
    if addr is None:  # each ring member's home address, once for every structural signal (a race only recomputes it)
        home = ctx.ring_ties("home_address")
        addr = pd.Series(home["ident"].to_numpy(object), index=home["borrower"].to_numpy(object))
        addr = ctx._cache["home_of"] = addr[~addr.index.duplicated()]
    if not len(addr):
        return np.zeros(len(m), bool)
    a = addr.reindex(m["borrower"].to_numpy(object)).to_numpy(object)
    grp = pd.factorize(pd.MultiIndex.from_arrays([m["ring"].to_numpy(), m["ident"].to_numpy(object)]))[0]
    g = pd.DataFrame({"g": grp, "a": a, "missing": pd.isna(a)})
    one = g.groupby("g")["a"].transform("nunique").to_numpy() == 1
    all_known = ~g.groupby("g")["missing"].transform("any").to_numpy(bool)
    return one & all_known


def shared_accounts_and_phones(ctx: SignalContext) -> pd.DataFrame:
    """Bank accounts, bound phones or contact numbers shared by three or more ring members.

    Sharing inside one household is the families' look-alike (a tablet, a
    contact number, the parents' account): an identifier whose sharers in the
    ring all live at one home address is not evidence.
    """
    out = []
    for link in ("account", "bound_phone", "contact_phone", "payment_party"):
        m = _shared_in_ring(ctx, link, 3)
        m = m[~_one_household(ctx, m)]
        if len(m):
            out.append(_ev(m["ring"], "shared_accounts_and_phones", m["borrower"], m["ident"], m["table"], m["row"],
                           None, link.replace("_", " ") + " shared by " + m["n"].astype(str) + " borrowers"))
    return pd.concat(out, ignore_index=True) if out else _empty()


def watchlist_match(ctx: SignalContext) -> pd.DataFrame:
    """An identifier of the ring is on a watchlist (raw value or ``hmac:`` pseudonym)."""
    wl = ctx.watchlist
    if wl is None or not len(wl):
        return _empty()
    m = match_incidence(ctx.incidence[isin(ctx.incidence["borrower"], ctx.ring_of.index)], wl, ctx.hmac_key)
    if not len(m):
        return _empty()
    return _ev(m["borrower"].map(ctx.ring_of), "watchlist_match", m["borrower"], m["ident"], m["table"], m["row"],
               None, "on watchlist: " + m["label"].fillna("").astype(str) + " (" + m["source"].fillna("").astype(str)
               + ")")


#: The identities an organiser holds for its people (DOMAIN.md: their phones, cards, devices, documents,
#: money). A broker, an agent or a complaint line also serves honest clients by the dozen (popular legal
#: brokers are a benign look-alike), so those count only through the scheme signals.
STRUCTURE_LINKS = ("bound_phone", "contact_phone", "device", "account", "repayer", "payment_party", "attachment",
                   "email")
#: A shared identifier is the ring's own when at least this share of all its sharers are in the ring.
EXCLUSIVE_SHARE = 0.8
#: Families share a device or a number among 2-5 people (DOMAIN.md): a group counts fully from this size on.
STRUCTURE_FULL_SIZE = 10


def exclusive_controlled_ties(ctx: SignalContext) -> pd.DataFrame:
    """Members tied by identifiers an organiser controls, each shared by three or more of them and hardly anyone outside.

    Structural evidence for banks whose exports have no complaint, loan or company table: a device, an
    account or a number shared among the ring's borrowers and (almost) nobody else. Sharing inside one
    household is not counted, and strength grows with the group's size up to
    :data:`STRUCTURE_FULL_SIZE` (a family of four sharing a tablet stays low).
    """
    out = []
    for link in STRUCTURE_LINKS:
        m = _shared_in_ring(ctx, link, 3)
        if not len(m):
            continue
        m = m[~_one_household(ctx, m)]
        if not len(m):
            continue
        inside = m.groupby(["ring", "ident"])["borrower"].transform("nunique")
        m = m[(inside / m["n"].clip(lower=1)).to_numpy() >= EXCLUSIVE_SHARE]
        if len(m):
            out.append(_ev(m["ring"], "exclusive_controlled_ties", m["borrower"], m["ident"], m["table"], m["row"],
                           None, link.replace("_", " ") + " shared by " + m["n"].astype(str)
                           + " borrowers, nearly all in this ring"))
    return pd.concat(out, ignore_index=True) if out else _empty()
