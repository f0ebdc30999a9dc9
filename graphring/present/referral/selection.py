"""What a referral pack shows of a ring's tables: row caps, the strongest evidence, amounts and events worth printing.

The HTML page and the PDF print the same selection; both read it from here.

Examples
--------
>>> import pandas as pd
>>> telling_events(pd.DataFrame({"stage": ["repayment", "complaint"], "detail": ["", "x"]}))["stage"].tolist()
['complaint']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["AMOUNT_COLS", "PDF_ROWS", "money_cols", "notable_amounts", "telling_events", "strongest_evidence"]

AMOUNT_COLS = ["member_ref", "member", "outstanding", "loans", "loan", "repayment", "third_party_repayment",
               "compensation"]

#: Rows each PDF table shows at most; the full tables are the pack's CSV/XLSX annexes it names.
PDF_ROWS = {"members": 60, "amounts_by_member": 40, "notable": 30, "timeline": 60, "links": 60,
            "evidence_per_signal": 8, "complaints": 12}


def strongest_evidence(evidence: pd.DataFrame, signals: list, per_signal: int) -> pd.DataFrame:
    """Up to ``per_signal`` evidence rows of each signal, strongest signals first.

    Examples
    --------
    >>> ev = pd.DataFrame({"signal": ["a", "a", "a", "b"], "row": [1, 2, 3, 4]})
    >>> strongest_evidence(ev, [{"name": "b", "contribution": 0.9}, {"name": "a", "contribution": 0.1}], 2)["row"].tolist()
    [4, 1, 2]
    """
    order = [s["name"] for s in sorted(signals, key=lambda s: -float(s.get("contribution") or 0))]
    parts = [evidence[evidence["signal"] == name].head(per_signal) for name in order]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else evidence.head(0)


def money_cols(df: pd.DataFrame) -> pd.DataFrame:
    """Amount columns formatted as ``12,345.00`` for printing."""
    out = df.copy()
    for c in ("outstanding", "loan", "disbursement", "repayment", "third_party_repayment", "compensation", "amount"):
        if c in out.columns:
            out[c] = out[c].map(lambda v: f"{float(v):,.2f}" if pd.notna(v) else "")
    return out


def notable_amounts(amounts: pd.DataFrame) -> pd.DataFrame:
    """Compensation claims and repayments by third parties, one row each, formatted for printing."""
    m = (amounts["category"] == "compensation") | ((amounts["category"] == "repayment") & amounts["third_party"])
    return money_cols(amounts[m])


def telling_events(timeline: pd.DataFrame) -> pd.DataFrame:
    """Timeline events without routine repayments (those by the borrower)."""
    routine = (timeline["stage"] == "repayment") & ~timeline["detail"].astype(str).str.contains("third party")
    return timeline[~routine]
