"""Boolean masks over large string columns, fast.

pandas 3 stores text as Arrow strings; ``Series.isin`` on them converts every
lookup value to an Arrow scalar one at a time, which costs seconds when the
lookup set holds a hundred thousand ids and the call sits in a loop.
:func:`isin` hands the whole set to Arrow's ``is_in`` kernel in one go, or,
for a short column against a big set (new records against a million known
borrowers), looks each value up in the set. :func:`positions` and
:func:`codes` do the same for lookups and factorizing: one Arrow hash pass
instead of a string ``map`` or ``groupby``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["isin", "positions", "codes"]


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

    vals = np.asarray(list(values) if isinstance(values, (set, frozenset, dict)) else values, dtype=object)
    try:
        data = arr.__arrow_array__()
        vs = pa.array(vals, type=data.type, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return np.asarray(pd.Series(s).isin(list(vals)), dtype=bool)
    out = pc.is_in(data, value_set=vs)
    return np.asarray(out.fill_null(False), dtype=bool)


def _arrow(s: pd.Series | pd.Index):
    """The Arrow data of an Arrow-backed string column, or None."""
    arr = s.array if hasattr(s, "array") else pd.array(s)
    if hasattr(arr, "__arrow_array__") and pd.api.types.is_string_dtype(arr.dtype):
        return arr.__arrow_array__()
    return None


def positions(s: pd.Series | pd.Index, keys: pd.Index) -> np.ndarray:
    """Position of each value of ``s`` in the unique index ``keys``; -1 where absent or missing.

    ``keys.get_indexer(s)``, through Arrow's ``index_in`` kernel for string
    columns (a string ``get_indexer`` or ``map`` hashes in Python objects).

    Parameters
    ----------
    s : Series or Index
        Values to look up.
    keys : Index
        Unique lookup keys.

    Returns
    -------
    ndarray of int64

    Examples
    --------
    >>> positions(pd.Series(["b", None, "x", "a"], dtype="str"), pd.Index(["a", "b"], dtype="str")).tolist()
    [1, -1, -1, 0]
    >>> positions(pd.Series([3, 1]), pd.Index([1, 2])).tolist()
    [-1, 0]
    """
    data = _arrow(s)
    if data is not None and len(keys):
        try:
            vs = _arrow(keys)
            vs = (pa.array(np.asarray(keys, dtype=object), type=data.type, from_pandas=True) if vs is None else
                  vs.cast(data.type))
            if isinstance(vs, pa.ChunkedArray):
                vs = vs.combine_chunks()
            out = pc.index_in(data, value_set=vs)
            return np.asarray(out.fill_null(-1), dtype=np.int64)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
            pass
    return np.asarray(keys.get_indexer(pd.Index(s)), dtype=np.int64)


def codes(s: pd.Series | pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of the values of ``s`` (-1 for missing) and the distinct values they stand for.

    Codes number the distinct values in order of first appearance, like
    :func:`pandas.factorize`, through Arrow's ``dictionary_encode`` for
    string columns.

    Examples
    --------
    >>> c, u = codes(pd.Series(["b", None, "a", "b"], dtype="str"))
    >>> c.tolist(), u.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    >>> c, u = codes(pd.Series([5, 5, 7]))
    >>> c.tolist(), u.tolist()
    ([0, 0, 1], [5, 7])
    """
    data = _arrow(s)
    if data is not None:
        if isinstance(data, pa.ChunkedArray):
            data = data.combine_chunks()
        enc = pc.dictionary_encode(data)
        # the distinct values stay in Arrow (no Python strings)
        uniques = pd.Index(pd.array(enc.dictionary, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
        return np.asarray(enc.indices.fill_null(-1), dtype=np.int64), uniques
    c, u = pd.factorize(s)
    return np.asarray(c, dtype=np.int64), pd.Index(u)
