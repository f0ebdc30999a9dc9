"""Score, typology and roles from signal strengths.

Score
-----
A ring's score combines its signals as a noisy-OR::

    score = 1 - prod_s (1 - weight_s * strength_s)

so it lies in [0, 1], never falls when evidence is added (monotonic), and one
strong trace counts for more than several weak ones. Weights and their reasons
are in :data:`graphring.signals.SIGNALS`.

Typology
--------
The same noisy-OR restricted to each scheme's signals gives a per-scheme score;
the typology is named by each scheme's distinctive evidence (see :func:`typology`).

Examples
--------
>>> import pandas as pd
>>> st = pd.DataFrame({"hub_complaint_phone": [1.0, 0.0], "template_complaint_text": [1.0, 0.0]}, index=[1, 2])
>>> score(st).round(3).tolist()
[0.72, 0.0]
>>> typology(st).tolist()
['proxy_complaint', 'unclassified']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.config import TYPOLOGIES
from graphring.signals import SIGNALS, Signal

__all__ = ["score", "scheme_scores", "typology", "SCHEME_NEEDS", "unassessed_schemes", "TYPOLOGIES", "MIXED_MIN", "MIXED_GAP", "DISTINCT_MIN",
           "member_roles"]

MIXED_MIN = 0.5
MIXED_GAP = 0.05
#: Distinctive evidence counts for the typology from this noisy-OR on (one weak signal alone does not).
DISTINCT_MIN = 0.3


def _by_name(signals) -> dict[str, Signal]:
    return {s.name: s for s in signals}


def score(strengths: pd.DataFrame, signals=SIGNALS, weights: dict[str, float] | None = None,
          types: bool = False) -> pd.Series:
    """Noisy-OR score of each ring (rows) from signal strengths (columns), scaled down by counter-evidence.

    ``score = (1 - prod_s (1 - w_s x_s)) * prod_c (1 - w_c x_c)`` over evidence signals ``s`` and
    counter-evidence signals ``c`` (:attr:`graphring.signals.Signal.counter`). A corroborating signal
    (``Signal.corroborates``: a watchlist match) adds ``weight x strength x base`` to the noisy-OR, where
    ``base`` is the score of the ring's own evidence: it strengthens that evidence and alone scores 0.
    A signal that only names the scheme (``Signal.types_only``: what complainants ask for) counts only
    with ``types=True``, as :func:`scheme_scores` asks.

    Examples
    --------
    >>> st = pd.DataFrame({"hub_complaint_phone": [1.0, 1.0], "legitimate_demands": [0.0, 1.0]})
    >>> score(st).round(3).tolist()
    [0.3, 0.18]
    >>> st = pd.DataFrame({"watchlist_match": [1.0, 1.0], "hub_complaint_phone": [0.0, 1.0]})
    >>> score(st).round(3).tolist()
    [0.0, 0.426]
    >>> st = pd.DataFrame({"hub_complaint_phone": [1.0], "demands_interest_waiver": [1.0]})
    >>> score(st).round(3).tolist(), score(st, types=True).round(3).tolist()
    ([0.3], [0.545])
    """
    sig = _by_name(signals)
    w = pd.Series({k: (weights or {}).get(k, sig[k].weight if k in sig else 0.0) for k in strengths.columns},
                  dtype=float)
    corr = [k for k in strengths.columns if k in sig and sig[k].corroborates]
    counter = [k for k in strengths.columns if k in sig and sig[k].counter]
    typing = set() if types else {k for k in strengths.columns if k in sig and sig[k].types_only}
    own = [k for k in strengths.columns if k not in corr and k not in counter and k not in typing]
    keep = 1.0 - strengths[own].mul(w[own]).clip(0, 1)
    base = 1.0 - keep.prod(axis=1)
    for k in corr:
        base = 1.0 - (1.0 - base) * (1.0 - (strengths[k] * w[k]).clip(0, 1) * base)
    if counter:
        base = base * (1.0 - strengths[counter].mul(w[counter]).clip(0, 1)).prod(axis=1)
    return base


def scheme_scores(strengths: pd.DataFrame, signals=SIGNALS, weights=None) -> pd.DataFrame:
    """Per-scheme noisy-OR scores (rings x typologies)."""
    sig = _by_name(signals)
    out = {}
    for t in TYPOLOGIES:
        cols = [c for c in strengths.columns if c in sig and t in sig[c].schemes]
        out[t] = score(strengths[cols], signals, weights, types=True) if cols else pd.Series(0.0, index=strengths.index)
    return pd.DataFrame(out, index=strengths.index)


def _best(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(-arr, axis=1, kind="stable")
    rows = np.arange(len(arr))
    return order[:, 0], arr[rows, order[:, 0]], arr[rows, order[:, 1]]


def typology(strengths: pd.DataFrame, signals=SIGNALS, weights=None, unassessed=()) -> pd.Series:
    """Best-guess scheme of each ring: one of :data:`TYPOLOGIES`, ``mixed`` or ``unclassified``.

    The schemes are links of one chain (DOMAIN.md): an evasion gang or a debt-carrier broker hires the
    same anti-collection services, so complaint-agency traces (a work phone, SIMs in the agency's city,
    a script) show in all of them. What names the scheme is its *distinctive* evidence: the signals that
    point to that scheme alone (forged hardship, a compensation claim, packaged shells, carriers'
    loan bursts). A scheme whose distinctive signals reach :data:`DISTINCT_MIN` wins by their noisy-OR;
    without any, the best scheme over all signals; ``mixed`` when two distinctive scores are both at
    least :data:`MIXED_MIN` and within :data:`MIXED_GAP`; ``unclassified`` when no scheme has evidence
    (a ring held together by structure alone: the data has no table that could show its scheme).
    A scheme in ``unassessed`` (:func:`unassessed_schemes`: the data lacks what would show it) is never
    named: a device shared across cities says "broker" only where there are loans to look at.
    """
    never = [t for t in TYPOLOGIES if t in set(unassessed)]
    ss = scheme_scores(strengths, signals, weights)
    ss.loc[:, never] = 0.0
    if not len(ss):
        return pd.Series([], dtype=object)
    only = [s for s in signals if len(s.schemes) == 1]
    ex = scheme_scores(strengths[[c for c in strengths.columns if c in {s.name for s in only}]], only, weights)
    ex = ex.where(ex >= DISTINCT_MIN, 0.0)
    ex.loc[:, never] = 0.0
    names = np.array(TYPOLOGIES, dtype=object)
    bi, best, _ = _best(ss.to_numpy())
    ei, ebest, esecond = _best(ex.to_numpy())
    out = np.where(ebest > 0, names[ei], np.where(best > 0, names[bi], "unclassified"))
    mixed = (esecond >= MIXED_MIN) & (ebest - esecond <= MIXED_GAP)
    out = np.where(mixed, "mixed", out)
    return pd.Series(out, index=ss.index, dtype=object)


#: Role of a non-borrower member by entity kind (and the ring's typology where it matters).
_ENTITY_ROLES = {
    "agent": "agent", "intermediary": "intermediary", "officer": "officer", "attachment": "shared_document",
    "registration_agent": "registration_agent", "email": "shared_email", "ip": "shared_ip",
    "address": "shared_address", "complaint": "template_letter", "loan": "loan", "person": "associate",
}


def member_roles(members: pd.DataFrame, typ: pd.Series, evidence: pd.DataFrame) -> pd.Series:
    """Role of each ring member.

    Parameters
    ----------
    members : DataFrame
        ``ring, kind, id, link`` (``link`` is the projection link that tied a
        non-borrower entity to the ring).
    typ : Series
        Typology by ring.
    evidence : DataFrame
        Signal evidence (for organisers: a borrower who is also a repayer or payer).
        With a ``ring`` column in both, a borrower organises only in their own ring.

    Returns
    -------
    Series aligned with ``members``.
    """
    kind = members["kind"]
    link = members.get("link", pd.Series(None, index=members.index))
    t = members["ring"].map(typ)
    role = kind.map(_ENTITY_ROLES).astype(object)
    phone = kind.eq("phone")
    role[phone & link.eq("complaint_phone")] = "hub_phone"
    role[phone & ~link.eq("complaint_phone")] = "shared_phone"
    role[kind.eq("device")] = np.where(t[kind.eq("device")].eq("debt_carrier"), "broker_device", "shared_device")
    acct = kind.eq("account")
    role[acct] = np.where(link[acct].isin(["repayer", "payment_party"]), "broker_account", "shared_account")
    comp = kind.eq("company")
    role[comp] = np.where(t[comp].isin(["shell_company_loan", "mixed"]), "shell", "company")
    bor = kind.eq("borrower")
    role[bor] = np.where(t[bor].eq("debt_carrier"), "carrier", "member")
    # organisers: borrowers who appear as the entity of their own ring's evidence (pay or repay for others)
    if len(evidence):
        ev = evidence[evidence["entity"].astype(str).str.startswith("borrower:")]
        ids = ev["entity"].astype(str).str.slice(len("borrower:"))
        if "ring" in ev.columns and "ring" in members.columns:
            org = set(zip(ev["ring"].tolist(), ids.tolist()))
            hit = np.fromiter(((r, i) in org for r, i in zip(members["ring"].tolist(), members["id"].tolist())),
                              dtype=bool, count=len(members))
        else:
            hit = members["id"].isin(set(ids)).to_numpy()
        role[bor.to_numpy() & hit] = "organizer"
    role[role.isna()] = "member"
    return role


#: What each scheme's signals read: ``(node kind or edge type, column or None)``; a scheme can be
#: assessed when at least one of them is in the data (edge types are written in capitals).
SCHEME_NEEDS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "proxy_complaint": (("complaint", "complainant_phone"), ("PHONE_EVENT", "event"), ("complaint", "text")),
    "debt_evasion": (("complaint", "claimed_reason"), ("complaint", "attachments")),
    "malicious_claim": (("complaint", "demand"), ("complaint", "channel")),
    "shell_company_loan": (("company", None), ("HOLDS_ROLE", None)),
    "debt_carrier": (("loan", "applied_at"), ("loan", "borrower_id")),
}

#: How a user supplies what a scheme needs, in the data contract's words.
_NEEDS_TEXT = {
    "proxy_complaint": "complaints (complainant_phone, text) or phone_events",
    "debt_evasion": "complaints (claimed_reason, attachments)",
    "malicious_claim": "complaints (demand, channel)",
    "shell_company_loan": "companies and company_roles",
    "debt_carrier": "loans (borrower_id, applied_at, intermediary) and repayments in payments",
}


def unassessed_schemes(g) -> dict[str, str]:
    """Schemes the data cannot show, and the tables or columns that would let graphring assess them.

    Examples
    --------
    >>> from graphring.graph.model import GraphFrames
    >>> sorted(unassessed_schemes(GraphFrames()))[:2]
    ['debt_carrier', 'debt_evasion']
    """
    def has(kind: str, col: str | None) -> bool:
        if kind.isupper():
            tables = [df for (t, _, _), df in g.edges_of_type(kind)] if hasattr(g, "edges_of_type") else []
        else:
            tables = [g.nodes[kind]] if kind in g.nodes else []
        for df in tables:
            if len(df) and (col is None or (col in df.columns and df[col].notna().any())):
                return True
        return False

    return {t: _NEEDS_TEXT[t] for t, needs in SCHEME_NEEDS.items() if not any(has(k, c) for k, c in needs)}
