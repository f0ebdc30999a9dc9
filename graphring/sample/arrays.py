"""The generator's calendar and the vectorised helpers every part of it uses.

Everything the generator builds is a numpy array of indices or strings until the
writer formats it; this module holds the small tools for that.

Returns
-------
DAY, EPOCH, SNAP_DAY, NODATE, CLEARING_ACCOUNT
    The time frame (days since 2024-01-01; the export is taken on ``SNAP_DAY``) and
    the bank's own loan clearing account.
_cat, _uniq, _dups, _digits_str, _hex, _int_digits, _zfill, _fixed
    Element-wise string building and sort-based set operations on large arrays.
_seg_pick, _seg_weighted, _segments
    Picking a random item inside a segment of a key-sorted array (a city's borrowers,
    a city's companies), uniformly or by weight.
_day_str, _ymd_parts, _e164
    Dates as a Chinese letter writes them, year/month/day columns, +86 phone numbers.
_Rows
    A table built from column chunks appended over time, concatenated once.

Examples
--------
>>> _fixed(2, "LN", (np.array([7, 42]), 3)).tolist()
['LN007', 'LN042']
>>> _day_str(SNAP_DAY)
'2025年12月15日'
>>> start, n = _segments(np.array([0, 0, 2]), 3)     # key 1 has no items: an empty segment at 2
>>> start.tolist(), n.tolist()
([0, 2, 2], [2, 0, 1])
"""

from __future__ import annotations

import datetime
import itertools

import numpy as np

DAY = 86400
EPOCH = np.datetime64("2024-01-01", "D")
SNAP_DAY = int((np.datetime64("2025-12-15") - EPOCH).astype(int))   # export date
CLEARING_ACCOUNT = "9100000000000001"                               # the bank's loan clearing account


_DIG = np.array(list("0123456789"))
_HEX2 = np.array([f"{i:02x}" for i in range(256)])
_HEX2U = np.array([f"{i:02X}" for i in range(256)])


def _as_strs(p, n: int):
    if isinstance(p, str):
        return itertools.repeat(p, n)
    a = np.asarray(p)
    if a.dtype.kind in "iu":
        return map(str, a.tolist())
    return a.tolist()


def _cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays (str or int) and str scalars; an object array."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    return np.array(list(map("".join, zip(*(_as_strs(p, n) for p in parts)))), dtype=object)


def _uniq(a: np.ndarray) -> np.ndarray:
    """Sorted unique values (sort-based; numpy's hash path is slow on large int arrays)."""
    a = np.sort(np.asarray(a))
    return a[np.concatenate([[True], a[1:] != a[:-1]])] if len(a) else a


def _dups(a: np.ndarray) -> np.ndarray:
    """Mask of the elements equal to an earlier element (sort-based, for large arrays)."""
    a = np.asarray(a)
    order = np.argsort(a, kind="stable")
    sa = a[order]
    d = np.zeros(len(a), dtype=bool)
    d[order[1:][sa[1:] == sa[:-1]]] = True
    return d


def _digits_str(m: np.ndarray) -> np.ndarray:
    """Digit matrix (n, k) -> array of k-char strings."""
    k = m.shape[1]
    return np.ascontiguousarray(_DIG[m]).view(f"<U{k}").ravel()


def _hex(rng: np.random.Generator, n: int, nbytes: int, upper: bool = False) -> np.ndarray:
    b = rng.integers(0, 256, size=(n, nbytes))
    return np.ascontiguousarray((_HEX2U if upper else _HEX2)[b]).view(f"<U{2 * nbytes}").ravel()


def _int_digits(x: np.ndarray, k: int) -> np.ndarray:
    """Non-negative ints -> digit matrix (n, k), most significant first."""
    out = np.empty((len(x), k), dtype=np.int64)
    v = x.astype(np.int64).copy()
    for i in range(k - 1, -1, -1):
        out[:, i] = v % 10
        v //= 10
    return out


def _zfill(x: np.ndarray, k: int) -> np.ndarray:
    return _digits_str(_int_digits(x, k))


def _seg_pick(rng, seg_start, seg_len, keys):
    """A uniform random position inside segment ``keys`` (segments must be non-empty)."""
    return seg_start[keys] + (rng.random(len(keys)) * seg_len[keys]).astype(np.int64)


def _seg_weighted(rng, cum, seg_before, seg_total, seg_start, seg_len, keys):
    """A position inside segment ``keys`` with probability proportional to weight."""
    u = seg_before[keys] + rng.random(len(keys)) * seg_total[keys]
    idx = np.searchsorted(cum, u, side="right")
    return np.clip(idx, seg_start[keys], seg_start[keys] + seg_len[keys] - 1)


def _segments(keys: np.ndarray, n_keys: int):
    """For items sorted by key: (start, length) per key."""
    cnt = np.bincount(keys, minlength=n_keys)
    start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    return start, cnt


_DATE0 = datetime.date(2024, 1, 1)


def _day_str(day: int) -> str:
    d = _DATE0 + datetime.timedelta(days=int(day))
    return f"{d.year}年{d.month}月{d.day}日"


class _Rows:
    """Column chunks appended over time, concatenated once."""

    def __init__(self, spec: dict[str, object]):
        self.spec = spec          # column -> blank value (defines dtype family)
        self.parts: list[tuple[int, dict]] = []

    def add(self, n: int, **cols) -> None:
        if n <= 0:
            return
        for k in cols:
            if k not in self.spec:
                raise KeyError(k)
        self.parts.append((n, cols))

    def __len__(self) -> int:
        return sum(n for n, _ in self.parts)

    def finish(self) -> dict[str, np.ndarray]:
        out = {}
        for col, blank in self.spec.items():
            arrs = []
            for n, cols in self.parts:
                v = cols.get(col, blank)
                if isinstance(v, np.ndarray):
                    if len(v) != n:
                        raise ValueError(f"{col}: {len(v)} != {n}")
                    arrs.append(v)
                elif isinstance(v, (list, tuple)):
                    if len(v) != n:
                        raise ValueError(f"{col}: {len(v)} != {n}")
                    arrs.append(np.array(v, dtype=object if isinstance(blank, str) else np.int64))
                else:
                    arrs.append(np.full(n, v, dtype=object) if isinstance(blank, str) else np.full(n, v, dtype=np.int64))
            if arrs:
                a = np.concatenate(arrs)
                out[col] = a if isinstance(blank, str) else a.astype(np.int64)
            else:
                out[col] = np.empty(0, dtype=object if isinstance(blank, str) else np.int64)
        self.parts = []
        return out


def _e164(n: int) -> str:
    return f"+86{int(n)}"


def _ymd_parts(day: np.ndarray):
    d = EPOCH + np.asarray(day, dtype=np.int64).astype("timedelta64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    mo = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, mo, dd


NODATE = -(10**9)


def _fixed(n: int, *parts) -> np.ndarray:
    """Fixed-width strings built from literals and zero-padded ints, as a char matrix (fast)."""
    cols = []
    for p in parts:
        if isinstance(p, str):
            cols.append(np.broadcast_to(np.array([ord(c) for c in p], dtype=np.uint32), (n, len(p))))
        else:
            arr, width = p
            cols.append((_int_digits(np.asarray(arr), width) + 48).astype(np.uint32))
    m = np.ascontiguousarray(np.concatenate(cols, axis=1), dtype=np.uint32)
    return m.view(f"<U{m.shape[1]}").ravel()
