"""Dates and date-times, read into naive China Standard Time (UTC+8) timestamps.

:func:`parse_datetime` (ISO 8601, ``2025/3/14 9:30``, ``2025年3月14日``, compact
``20250314``, Excel serial days, Unix epochs) and :func:`parse_date` (the day only).
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.normalize.core import (INVALID, MISSING, OK, _STR, _b, _by_unique, _day_in_month, _digits, _finish,
                                      _fixed_width_bytes, _fm, _mt, _normaliser, _per_unique, _pick, _rx, _start, _sub)

_CST = _dt.timezone(_dt.timedelta(hours=8))  # China Standard Time, no tz database needed
_DATE_CN_RE = re.compile(r"(?<=\d)\s*[年月]\s*(?=\d)")
_DATE_TIME_CN = [(re.compile(r"(?<=\d)\s*[日号]\s*"), " "), (re.compile(r"(?<=\d)\s*[时点]\s*(?=\d)"), ":"),
                 (re.compile(r"(?<=\d)\s*分\s*(?=\d)"), ":"), (re.compile(r"(?<=\d)\s*[分秒]\s*$"), "")]
_DT_RE = _rx(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
             r"(?:[ t]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?"
             r" ?(z|[+-]\d{2}:?\d{2})?$")
_DT_COMPACT_RE = _rx(r"^(\d{4})(\d{2})(\d{2})(?:[ t]?(\d{2})(\d{2})(\d{2})?)?$")
_ZERO_DATE_RE = _rx(r"^0{4}[-/.]?0{1,2}[-/.]?0{1,2}(?:[ t].*)?$")
_NUMBER_RE = _rx(r"^\d+(?:\.\d+)?$")


def _components_to_ts(p: pd.DataFrame) -> pd.Series:
    """datetime64 from string columns year..second (NA -> NaT for invalid dates)."""
    parts = {k: pd.to_numeric(p[k], errors="coerce") for k in ("year", "month", "day")}
    for k in ("hour", "minute", "second"):
        parts[k] = pd.to_numeric(p[k], errors="coerce").fillna(0)
    df = pd.DataFrame(parts)
    good = ((df["year"] >= 1900) & (df["year"] <= 2100) & (df["hour"] < 24) & (df["minute"] < 60)
            & (df["second"] < 60))
    out = pd.Series(pd.NaT, index=p.index, dtype="datetime64[ns]")
    if good.any():
        ts = pd.to_datetime(df[good], errors="coerce")
        out[good] = ts.astype("datetime64[ns]")
    return out


def _datetime_slow(low: pd.Series) -> np.ndarray:
    """datetime64[ns] (NaT when unparseable) for the non-ISO forms (index 0..k-1)."""
    n = len(low)
    x = low.str.replace(_DATE_CN_RE, "-", regex=True)
    for rx, rep in _DATE_TIME_CN:
        x = x.str.replace(rx, rep, regex=True)
    x = x.str.replace(_rx(r"\s*([-/:])\s*"), r"\1", regex=True).str.strip()
    x = x.str.replace(_rx(r"(?<=\d)t(?=\d)"), " ", regex=True)
    value = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")

    # ISO-like: 2025-03-14[ 09:30[:00[.123]]][Z|+08:00], / and . as date separators
    m = x.str.extract(_DT_RE)
    m.columns = ["year", "month", "day", "hour", "minute", "second", "frac", "tz"]
    hit = _b(m["year"].notna())
    if hit.any():
        mm = m[hit]
        ts = _components_to_ts(mm)
        frac = mm["frac"].fillna("").str.ljust(9, "0")
        ts = ts + pd.to_timedelta(pd.to_numeric(frac.where(frac != "000000000", "0")), unit="ns")
        tz = mm["tz"]
        has_tz = tz.notna()
        if has_tz.any():
            z = tz[has_tz].str.replace(":", "", regex=False)
            sign = np.where(z.str[0] == "-", -1, 1)
            mins = np.where(z == "z", 0, sign * (pd.to_numeric(z.str[1:3], errors="coerce").fillna(0) * 60
                                                 + pd.to_numeric(z.str[3:5], errors="coerce").fillna(0)))
            ts[has_tz] = ts[has_tz] + pd.to_timedelta(480 - mins, unit="m")  # to UTC+8
        value[hit] = ts.to_numpy()

    # compact: 20250314, 20250314 0930, 20250314093000
    c = x.str.extract(_DT_COMPACT_RE)
    c.columns = ["year", "month", "day", "hour", "minute", "second"]
    chit = _b(c["year"].notna()) & ~hit
    if chit.any():
        value[chit] = _components_to_ts(c[chit]).to_numpy()

    # numbers: Excel serial days (1954-2119), Unix epoch seconds (10 digits) / ms (13)
    num = _mt(x, _NUMBER_RE) & ~hit & ~chit
    if num.any():
        xs = x[num]
        f = pd.to_numeric(xs, errors="coerce")
        intlen = xs.str.split(".", n=1, regex=False).str[0].str.len()
        excel = (f >= 20000) & (f < 80000)
        whole = ~xs.str.contains(".", regex=False)
        epoch_s = (intlen == 10) & whole & (f < 4_102_444_800)  # up to 2100-01-01
        epoch_ms = (intlen == 13) & whole & (f < 4_102_444_800_000)
        out = pd.Series(pd.NaT, index=xs.index, dtype="datetime64[ns]")
        if excel.any():
            out[excel] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(f[excel], unit="D")).dt.round("s")
        for mask, unit in ((epoch_s, "s"), (epoch_ms, "ms")):
            if mask.any():
                out[mask] = pd.to_datetime(f[mask].astype(np.int64), unit=unit) + pd.Timedelta(hours=8)
        value[num] = out.to_numpy()

    return value.to_numpy(dtype="datetime64[ns]", copy=True)


_ISO_DATE_RE = _rx(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME_RE = _rx(r"\d{4}-\d{2}-\d{2}[ t]\d{2}:\d{2}:\d{2}")


def _iso_datetimes(m: np.ndarray) -> np.ndarray:
    """datetime64[ns] of ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` byte rows (digits where
    the form has digits, year 0001-9999), as ``pd.to_datetime(..., format=...)`` then
    ``.to_numpy(dtype="datetime64[ns]")`` give them: NaT for an impossible date or time,
    and nanoseconds computed in int64 (a year beyond 2262 wraps around as it does there;
    the plausibility window applies afterwards)."""
    year, month, day = _digits(m, 0, 4), _digits(m, 5, 7), _digits(m, 8, 10)
    if m.shape[1] > 10:
        hour, minute, second = _digits(m, 11, 13), _digits(m, 14, 16), _digits(m, 17, 19)
    else:
        hour = minute = second = np.zeros(len(m), dtype=np.int64)
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (hour < 24) & (minute < 60) & (second < 60)
    ok, first = _day_in_month(year, month, day, ok)
    secs = (first.astype(np.int64) + np.where(ok, day - 1, 0)) * 86400 + hour * 3600 + minute * 60 + second
    with np.errstate(over="ignore"):
        out = (secs * np.int64(1_000_000_000)).astype("datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    return out


def _datetime_fast(arr) -> tuple[np.ndarray, dict]:
    """ISO ``YYYY-MM-DD`` and ``YYYY-MM-DD HH:MM:SS`` (a 61st second and year 0000 excluded)."""
    out_mask = np.zeros(len(arr), dtype=bool)
    vals = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[ns]")
    nbytes = np.asarray(pc.fill_null(pc.binary_length(arr), 0).to_numpy(zero_copy_only=False))
    # the forms ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ and ^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-5][0-9]$
    # checked byte by byte on the values of their length (year 0000 excluded)
    for form in ("dddd-dd-dd", "dddd-dd-dd dd:dd:5d"):
        width = len(form)
        idx = np.flatnonzero(nbytes == width)
        if not len(idx):
            continue
        b = _fixed_width_bytes(arr.filter(pa.array(nbytes == width)), width)
        ok = ~(b[:, :4] == 48).all(axis=1)
        for j, f in enumerate(form):
            if f == "d":
                ok &= (b[:, j] >= 48) & (b[:, j] <= 57)
            elif f == "5":
                ok &= (b[:, j] >= 48) & (b[:, j] <= 53)
            else:
                ok &= b[:, j] == ord(f)
        if ok.any():
            m = np.zeros(len(arr), dtype=bool)
            m[idx[ok]] = True
            vals[m] = _iso_datetimes(b[ok])
            out_mask |= m
    v = vals[out_mask]
    v[(v < np.datetime64("1900-01-01")) | (v >= np.datetime64("2101-01-01"))] = np.datetime64("NaT")
    status = _pick(np.isnat(v), INVALID, OK)
    return out_mask, {"value": v, "status": status}


@_per_unique({"value": ("datetime64[ns]", None), "status": (_STR, MISSING)}, fast=_datetime_fast, rowwise=True)
def _datetime_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    junk |= _mt(low, _ZERO_DATE_RE)
    vals = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    done = blank | junk
    # fast paths: exact ISO forms through pandas' C parser
    for rx, fmt in ((_ISO_DATE_RE, "%Y-%m-%d"), (_ISO_DATETIME_RE, "%Y-%m-%d %H:%M:%S")):
        m = _fm(low, rx) & ~done
        if fmt.endswith("%S"):
            m[m] = _b(low[m].str[17:19] < "60")  # strptime would accept a 61st second
        if m.any():
            iso = low[m].str.replace("t", " ", regex=False)
            vals[m] = pd.to_datetime(iso, format=fmt, errors="coerce").to_numpy(dtype="datetime64[ns]")
            done |= m
    if (~done).any():
        vals[~done] = _datetime_slow(_sub(low, ~done))
    # plausibility window for every route
    vals[(vals < np.datetime64("1900-01-01")) | (vals >= np.datetime64("2101-01-01"))] = np.datetime64("NaT")
    status = _pick(np.isnat(vals), INVALID, OK)
    _finish(n, blank, junk, status, vals)  # _finish's None becomes NaT
    return {"value": vals, "status": status}


def _datetime_frame(s: pd.Series) -> pd.DataFrame:
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = s
        if getattr(v.dt, "tz", None) is not None:
            v = v.dt.tz_convert(_CST).dt.tz_localize(None)
        v = v.astype("datetime64[ns]")
        status = pd.Series(np.where(v.notna(), OK, MISSING), index=s.index, dtype=_STR)
        return pd.DataFrame({"value": v, "status": status}, index=s.index)
    return _by_unique(s, _datetime_core)


@_normaliser("Raw date-times.",
             "``value`` (datetime64[ns], NaT when not ok), ``status`` (``ok``, ``invalid``,\n"
             "``junk``, ``missing``).")
def parse_datetime(s: pd.Series) -> pd.DataFrame | dict:
    """Parse date-times into naive China Standard Time (UTC+8) timestamps.

    Accepted
    --------
    * ISO 8601 ``2025-03-14``, ``2025-03-14 09:30:00``, ``2025-03-14T09:30:00.123``,
      with ``/`` or ``.`` as date separator and optional ``Z``/``+08:00`` offset
      (converted to UTC+8 and made naive);
    * ``2025/3/14``, ``2025/3/14 9:30``, ``2025年3月14日``, ``2025年3月14日 9时30分``;
    * compact ``20250314``, ``202503140930``, ``20250314093000``;
    * Excel serial day numbers 20000-79999 (``45730`` = 2025-03-14, fractions are
      the time of day); Unix epoch seconds (10 digits) and milliseconds (13 digits),
      read as UTC and shown in UTC+8;
    * datetime/Timestamp objects and datetime64 Series.

    Impossible dates (``2025-02-30``) and years outside 1900-2100 are ``invalid``;
    ``0000-00-00`` and :data:`JUNK_TOKENS` are ``junk``. Day-first forms
    (``14/03/2025``) are deliberately not guessed and are ``invalid``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_datetime(pd.Series(["2025-03-14T09:30:00", "2025/3/14 9:30", "2025年3月14日",
    ...                           "2025-03-14T01:30:00Z", "45730.5", "2025-02-30", None]))
                    value   status
    0 2025-03-14 09:30:00       ok
    1 2025-03-14 09:30:00       ok
    2 2025-03-14 00:00:00       ok
    3 2025-03-14 09:30:00       ok
    4 2025-03-14 12:00:00       ok
    5                 NaT  invalid
    6                 NaT  missing
    """
    return _datetime_frame(s)


@_normaliser("Raw dates (any form :func:`parse_datetime` accepts).",
             "``value`` (datetime64[ns] at midnight, NaT when not ok), ``status`` (``ok``,\n"
             "``invalid``, ``junk``, ``missing``).")
def parse_date(s: pd.Series) -> pd.DataFrame | dict:
    """Parse dates; like :func:`parse_datetime` with the time of day dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_date(pd.Series(["2025-03-14 09:30:00", "20250314", "2025.3.14", "14/03/2025", "-"]))
           value   status
    0 2025-03-14       ok
    1 2025-03-14       ok
    2 2025-03-14       ok
    3        NaT  invalid
    4        NaT     junk
    >>> parse_date("2025年3月14日")["value"]
    Timestamp('2025-03-14 00:00:00')
    """
    r = _datetime_frame(s)
    r["value"] = r["value"].dt.normalize()
    return r
