"""Numbers: CNY amounts and whole counts.

:func:`parse_amount` (separators, currency marks, accounting parentheses, ``万``/
``亿``/``千`` multipliers) and :func:`parse_int` (the same plus a trailing unit such
as ``天`` or ``家``; the number must be whole).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from graphring.normalize.core import (INVALID, MISSING, OK, _STR, _b, _by_unique, _finish, _fm, _normaliser, _np_str,
                                      _pa_match, _per_unique, _pick, _rx, _start, _sub)

_CURRENCY_RE = re.compile(r"人民币|cny|rmb|¥|元整|元|圆整|圆|整$")
_AMOUNT_RE = _rx(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$")
_MULTIPLIERS = {"万": 1e4, "w": 1e4, "亿": 1e8, "千": 1e3, "k": 1e3}
_INT_UNITS_RE = re.compile(r"(?<=\d)\s*(?:天|日|个|家|次|人|笔|岁)$")


def _number_slow(low: pd.Series, units: bool) -> np.ndarray:
    """Float values (NaN when unparseable) for the non-plain numbers (index 0..k-1)."""
    n = len(low)
    x = low.str.replace("\u2212", "-", regex=False)  # MINUS SIGN
    if units:
        x = x.str.replace(_INT_UNITS_RE, "", regex=True)
    x = x.str.replace(_CURRENCY_RE, "", regex=True).str.replace(_rx(r"[\s,']"), "", regex=True)
    paren = _fm(x, r"\(.*\)")
    x = x.where(~paren, x.str[1:-1])
    trailing_minus = _fm(x, _rx(r"\d[\d.]*-"))
    x = x.where(~trailing_minus, "-" + x.str[:-1])
    x = x.str.replace(_rx(r"^([+-]?)(?:¥|\$)?"), r"\1", regex=True)
    mult = np.ones(n)
    for suffix, factor in _MULTIPLIERS.items():
        m = _b(x.str.endswith(suffix)) & _b(x.str.len() > 1)
        mult[m] = factor
        x = x.where(~m, x.str[:-1])
    good = _fm(x, _AMOUNT_RE)
    num = pd.to_numeric(x.where(good), errors="coerce").to_numpy(dtype=float)
    return np.where(paren & (num > 0), -num, num) * mult


_PLAIN_NUMBER_RE = _rx(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")


def _number_fast(arr, units: bool = False) -> tuple[np.ndarray, dict]:
    """Plain numbers: ``1234.5``, ``-12``, ``1,234.50``."""
    mask = _pa_match(arr, r"^-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?$")
    x = _np_str(pc.replace_substring(arr.filter(mask), ",", ""))
    # at most 14 digits: parsed exactly whichever way pandas reads the batch
    short = np.fromiter((len(v) <= 15 for v in x), dtype=bool, count=len(x))
    idx = np.flatnonzero(mask)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[short]] = True
    x = x[short]
    num = pd.to_numeric(pd.Series(x, dtype=object)).to_numpy(dtype=float) if len(x) else np.zeros(0)
    ok = np.isfinite(num)
    return mask, {"value": np.where(ok, num, np.nan), "status": _pick(ok, OK, INVALID)}


@_per_unique({"value": (float, np.nan), "status": (_STR, MISSING)}, fast=_number_fast)
def _number_core(raw: pd.Series, units: bool = False) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    num = np.full(n, np.nan)
    fast = _fm(low, _PLAIN_NUMBER_RE)  # 1234.5, -12, 1,234.50
    if fast.any():
        num[fast] = pd.to_numeric(low[fast].str.replace(",", "", regex=False)).to_numpy(dtype=float)
    slow = ~fast & ~blank
    if slow.any():
        num[slow] = _number_slow(_sub(low, slow), units)
    ok = np.isfinite(num)
    value = np.where(ok, num, np.nan)  # float: _finish's None becomes NaN
    status = _pick(ok, OK, INVALID)
    _finish(n, blank & ~ok, junk & ~ok, status, value)  # "0" is a number here, not junk
    return {"value": value, "status": status}


def _numeric_frame(s: pd.Series, units: bool) -> pd.DataFrame:
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        v = s.astype(float)
        ok = np.isfinite(v.to_numpy(dtype=float, na_value=np.nan))
        status = np.where(v.isna(), MISSING, np.where(ok, OK, INVALID))
        return pd.DataFrame({"value": v.where(ok), "status": pd.Series(status, index=s.index, dtype=_STR)})
    return _by_unique(s, functools.partial(_number_core, units=units))


@_normaliser("Raw amounts.",
             "``value`` (float, NaN when not ok), ``status`` (``ok``, ``invalid``, ``junk``,\n"
             "``missing``).")
def parse_amount(s: pd.Series) -> pd.DataFrame | dict:
    """Parse CNY amounts.

    Accepted: thousands separators (``1,234.50``), ``¥``/``￥``/``CNY``/``RMB``/
    ``人民币`` and ``元``/``元整``, full-width digits, a sign (``-``, ``−``, trailing
    ``-``), accounting parentheses ``(1,234.50)`` = -1234.5, multipliers ``万``/``w``
    (x 10 000), ``亿`` (x 10^8), ``千``/``k`` (x 1000). Numeric Series pass through.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_amount(pd.Series(["¥1,234.50", "CNY 100", "1234元", "１.２万", "(500)", "0", "abc"]))
         value   status
    0   1234.5       ok
    1    100.0       ok
    2   1234.0       ok
    3  12000.0       ok
    4   -500.0       ok
    5      0.0       ok
    6      NaN  invalid
    """
    return _numeric_frame(s, units=False)


@_normaliser("Raw integers.",
             "``value`` (nullable Int64), ``status`` (``ok``, ``invalid``, ``junk``,\n"
             "``missing``).")
def parse_int(s: pd.Series) -> pd.DataFrame | dict:
    """Parse integers (counts, days past due).

    Like :func:`parse_amount` (separators, full-width digits, ``万``), plus a trailing
    unit ``天/日/个/家/次/人/笔/岁`` (``30天``, ``5家``); the number must be whole
    (``12.0`` is fine, ``12.5`` is ``invalid``).

    Examples
    --------
    >>> import pandas as pd
    >>> parse_int(pd.Series(["30天", "1,200", "12.0", "12.5", "5家", None]))
       value   status
    0     30       ok
    1   1200       ok
    2     12       ok
    3   <NA>  invalid
    4      5       ok
    5   <NA>  missing
    """
    r = _numeric_frame(s, units=True)
    v = r["value"].to_numpy(dtype=float)
    whole = np.isfinite(v) & (np.floor(v) == v) & (np.abs(v) < 2**63)
    bad = r["value"].notna().to_numpy() & ~whole
    status = r["status"].to_numpy(dtype=object, copy=True)
    status[bad] = INVALID
    out = pd.Series(np.where(whole, v, np.nan), index=s.index).astype("Int64")
    return pd.DataFrame({"value": out, "status": pd.Series(status, index=s.index, dtype=_STR)})
