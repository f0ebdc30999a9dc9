"""Boolean masks over large string columns, fast.

pandas 3 stores text as Arrow strings; ``Series.isin`` on them converts every
lookup value to an Arrow scalar one at a time, which costs seconds when the
lookup set holds a hundred thousand ids and the call sits in a loop.
:func:`isin` hands the whole set to Arrow's ``is_in`` kernel in one go, or,
for a short column against a big set (new records against a million known
borrowers), looks each value up in the set.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["isin"]


def isin(s: pd.Series | pd.Index, values: Iterable) -> np.ndarray:
    """``s.isin(values)`` as a NumPy bool array; missing values are never in.

    Parameters
    ----------
    s : Series or Index
        Usually a string column.
    values : iterable
        The lookup set (set, list, Series, Index...).

    Returns
    -------
    ndarray of bool

    Examples
    --------
    >>> isin(pd.Series(["a", "b", None, "d"], dtype="str"), {"a", "d", "x"}).tolist()
    [True, False, False, True]
    >>> isin(pd.Series([1, 2, 3]), [2]).tolist()
    [False, True, False]
    >>> isin(pd.Series(["b", None]), {"a", "b", "c", "d", "e", "f", "g", "h", "i"}).tolist()
    [True, False]
    """
    if isinstance(values, (set, frozenset)) and len(values) > 4 * len(s):
        # a short column against a big set: look each value up, do not convert the set
        return np.fromiter((v in values for v in s.tolist()), dtype=bool, count=len(s))
    arr = s.array if hasattr(s, "array") else pd.array(s)
    if not hasattr(arr, "__arrow_array__") or not pd.api.types.is_string_dtype(arr.dtype):
        return np.asarray(pd.Series(s).isin(values if not isinstance(values, (set, frozenset)) else list(values)),
                          dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    vals = np.asarray(list(values) if isinstance(values, (set, frozenset, dict)) else values, dtype=object)
    try:
        data = arr.__arrow_array__()
        vs = pa.array(vals, type=data.type, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return np.asarray(pd.Series(s).isin(list(vals)), dtype=bool)
    out = pc.is_in(data, value_set=vs)
    return np.asarray(out.fill_null(False), dtype=bool)
