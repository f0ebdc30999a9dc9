"""Field formatters, clean and messy: dates, timestamps, amounts, phones, integers, booleans, CSV quoting.

Each ``_f_*`` takes an array of internal values (days, seconds, fen, phone numbers)
and returns the strings written to the CSV: the contract format when ``messy`` is
false, a mix of the formats a bank export arrives in when it is true (drawing from
the table's own ``rng``).

Returns
-------
_f_date, _f_dt, _f_amt, _f_phone, _f_int, _f_bool
    Formatters per value kind (negative or blank values give ``""``).
_quote
    CSV quoting of values with commas, quotes or line ends.
_BAD_DATES, _BAD_AMOUNTS, _RAGGED_EXTRA
    What the ~0.2 % bad rows of a messy export hold.

Examples
--------
>>> _f_date(np.array([0, NODATE]), False, None), _f_amt(np.array([123456, -1]), False, None)
(['2024-01-01', ''], ['1234.56', ''])
>>> _f_phone(np.array([13800001111] * 4), True, np.random.default_rng(0))
['138 0000 1111', '13800001111', '13800001111', '13800001111']
>>> _quote(["a,b", "c"])
['"a,b"', 'c']
"""

from __future__ import annotations

import numpy as np

from graphring.sample.arrays import DAY, NODATE, _fixed, _ymd_parts


def _f_date(day: np.ndarray, messy: bool, rng) -> list[str]:
    day = np.asarray(day, dtype=np.int64)
    blank = day <= NODATE
    y, mo, dd = _ymd_parts(np.where(blank, 0, day))
    out = _fixed(len(day), (y, 4), "-", (mo, 2), "-", (dd, 2)).tolist()
    if messy:
        alt = np.flatnonzero(rng.random(len(day)) < 0.5)
        for i, a, b, c in zip(alt.tolist(), y[alt].tolist(), mo[alt].tolist(), dd[alt].tolist()):
            out[i] = f"{a}/{b}/{c}"
    for i in np.flatnonzero(blank).tolist():
        out[i] = ""
    return out


def _f_dt(sec: np.ndarray, messy: bool, rng) -> list[str]:
    sec = np.asarray(sec, dtype=np.int64)
    blank = sec < 0
    sec = np.where(blank, 0, sec)
    y, mo, dd = _ymd_parts(sec // DAY)
    hh, mi, ss = (sec % DAY) // 3600, (sec % 3600) // 60, sec % 60
    out = _fixed(len(sec), (y, 4), "-", (mo, 2), "-", (dd, 2), " ", (hh, 2), ":", (mi, 2), ":", (ss, 2)).tolist()
    if messy:
        alt = np.flatnonzero(rng.random(len(sec)) < 0.5)
        for i, a, b, c, h, m in zip(alt.tolist(), y[alt].tolist(), mo[alt].tolist(), dd[alt].tolist(),
                                    hh[alt].tolist(), mi[alt].tolist()):
            out[i] = f"{a}/{b}/{c} {h}:{m:02d}"
    for i in np.flatnonzero(blank).tolist():
        out[i] = ""
    return out


def _f_amt(c: np.ndarray, messy: bool, rng) -> list[str]:
    c = np.asarray(c, dtype=np.int64)
    yuan = (c / 100).tolist()
    if messy:
        fm = ("{:.2f}".format, "¥{:,.2f}".format, "{:,.2f}".format)
        st = rng.integers(0, 3, len(c)).tolist()
        out = [fm[k](v) for k, v in zip(st, yuan)]
    else:
        out = list(map("{:.2f}".format, yuan))
    for i in np.flatnonzero(c < 0).tolist():
        out[i] = ""
    return out


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _f_phone(n: np.ndarray, messy: bool, rng) -> list[str]:
    n = np.asarray(n, dtype=np.int64)
    blank = n <= 0
    if not messy:
        out = _fixed(len(n), "+86", (np.where(blank, 0, n), 11)).tolist()
    else:
        s = _fixed(len(n), (np.where(blank, 0, n), 11)).tolist()
        st = rng.choice(6, len(n), p=[0.35, 0.15, 0.15, 0.15, 0.1, 0.1]).tolist()
        fm = (lambda x: x, lambda x: "+86" + x, lambda x: f"{x[:3]} {x[3:7]} {x[7:]}",
              lambda x: f"+86-{x[:3]}-{x[3:7]}-{x[7:]}", lambda x: "0086" + x, lambda x: x.translate(_FULLWIDTH))
        out = [fm[k](x) for k, x in zip(st, s)]
    for i in np.flatnonzero(blank).tolist():
        out[i] = ""
    return out


def _f_int(x: np.ndarray) -> list[str]:
    return [str(v) if v >= 0 else "" for v in np.asarray(x, dtype=np.int64).tolist()]


def _f_bool(x: np.ndarray, messy: bool) -> list[str]:
    t, f = ("是", "否") if messy else ("true", "false")
    return [("" if v < 0 else (t if v > 0 else f)) for v in np.asarray(x, dtype=np.int64).tolist()]


def _quote(vals: list[str]) -> list[str]:
    return [('"' + v.replace('"', '""') + '"') if ("," in v or '"' in v or "\n" in v or "\r" in v) else v
            for v in vals]


_BAD_DATES = ["2025-13-45", "2025/02/30", "20251345", "2025-0A-12", "32/13/2025"]
_BAD_AMOUNTS = ["1.234.56", "¥12,3a4.00", "约三千", "12..50", "1,2,3"]
_RAGGED_EXTRA = ["备注：核对中", "待补录", "已核实", "人工补录"]
