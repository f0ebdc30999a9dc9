"""Money as people read it, and money as complaint letters write it: one place for both.

:func:`money` formats an amount in yuan the way each output shows it (the
referral pack with fen, the ring page in whole yuan, explain's plain figures);
:func:`claimed_amount` reads the largest ``N 元`` / ``N 万元`` figure a letter
demands (signals and the referral pack read letters alike).

Examples
--------
>>> money(12345.5), money(12345.5, decimals=0), money(12345.5, symbol="")
('¥12,345.50', '¥12,346', '12,345.50')
>>> claimed_amount("要求赔偿精神损失费共计3.5万元，另加2000元")
35000.0
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["money", "claimed_amount"]


def money(v, decimals: int = 2, symbol: str = "¥") -> str:
    """Format an amount in yuan with thousands separators; ``""`` when missing or not finite.

    Parameters
    ----------
    v : number or text
    decimals : int
        2 in referral packs and explain (fen), 0 on ring pages (whole yuan).
    symbol : str
        ``"¥"``, or ``""`` where the unit is said in words (explain).

    Examples
    --------
    >>> money(None), money(float("nan")), money(float("inf")), money("800", decimals=0)
    ('', '', '', '¥800')
    """
    try:
        f = float(v)
    except (TypeError, ValueError):
        return ""
    if not np.isfinite(f):  # NaN, and never "¥inf"
        return ""
    return f"{symbol}{f:,.{decimals}f}"


_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万)?\s*元")


def claimed_amount(text) -> float:
    """Largest ``N 元`` or ``N 万元`` figure in a text (NaN if none).

    Examples
    --------
    >>> claimed_amount("赔偿50,000元"), bool(np.isnan(claimed_amount("没有金额"))), bool(np.isnan(claimed_amount(None)))
    (50000.0, True, True)
    """
    best = np.nan
    for num, wan in _AMOUNT.findall(str(text or "")):
        try:
            v = float(num.replace(",", "")) * (10000 if wan else 1)
        except ValueError:
            continue
        if np.isnan(best) or v > best:
            best = v
    return best
