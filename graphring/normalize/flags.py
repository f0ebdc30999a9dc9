"""Yes/no flags in English and Chinese (``是``/``否``, ``已缴``/``未缴`` ...).

:func:`parse_bool`.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from graphring.normalize.core import (INVALID, MISSING, OK, _STR, _b, _by_unique, _finish, _normaliser, _ofull,
                                      _per_unique, _start)

_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0", "是", "有", "对", "真", "√", "✓", "✔",
                   "已缴", "已缴纳", "已参保", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0", "否", "无", "没有", "错", "假", "×",
                    "✗", "✘", "未缴", "未缴纳", "未参保", "不是", "off"})


@_per_unique({"value": ("boolean", None), "status": (_STR, MISSING)})
def _bool_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    is_t = _b(low.isin(_TRUE))
    is_f = _b(low.isin(_FALSE))
    value = _ofull(n, None)
    value[is_t] = True
    value[is_f] = False
    status = np.where(is_t | is_f, OK, INVALID).astype(object)
    _finish(n, blank, junk & ~(is_t | is_f), status, value)
    return {"value": value, "status": status}


@_normaliser("Raw flags.",
             "``value`` (nullable boolean), ``status`` (``ok``, ``invalid``, ``junk``,\n"
             "``missing``).")
def parse_bool(s: pd.Series) -> pd.DataFrame | dict:
    """Parse yes/no flags.

    True: ``true t yes y 1 是 有 对 真 √ ✓ 已缴 已缴纳 已参保 on``; False: ``false f no n
    0 否 无 没有 错 假 × 未缴 未缴纳 未参保 不是 off`` (case-insensitive). Bool Series
    pass through.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_bool(pd.Series(["是", "否", "TRUE", "0", "未知", "maybe", None]))
       value   status
    0   True       ok
    1  False       ok
    2   True       ok
    3  False       ok
    4   <NA>     junk
    5   <NA>  invalid
    6   <NA>  missing
    """
    if pd.api.types.is_bool_dtype(s.dtype):
        v = s.astype("boolean")
        st = pd.Series(np.where(v.isna(), MISSING, OK), index=s.index, dtype=_STR)
        return pd.DataFrame({"value": v, "status": st})
    return _by_unique(s, _bool_core)
