"""Normalisers for identifiers, dates, amounts and flags: the one place where the rules live.

Every ``normalize_*`` / ``parse_*`` function takes a pandas Series of raw values
(strings as read from CSV/XLSX, but also floats, ints, datetimes or ``None``/NaN)
and returns a DataFrame aligned on the input index with at least

``value``
    the normalised value, or NA when there is none to use;
``status``
    one of the statuses below.

Each function also accepts a single value and then returns a plain ``dict`` of
that row (``None`` for NA), e.g. ``normalize_phone("138 1234 5678")["value"]``.

Statuses
--------
=============  ==================================================================
``ok``         a valid value; ``value`` is its normal form
``bad_check``  right shape, wrong check digit/character; ``value`` is still the
               normal form (ID numbers, USCC, IMEI) so callers may keep and flag it
``invalid``    not a value of this type (wrong shape, impossible date, lossy
               spreadsheet number such as ``6.22202E+18``); ``value`` is NA
``junk``       a placeholder (``unknown``, ``无``, ``00000000000``, the buggy
               Android ID ...); ``value`` is NA and it must never become a link
``missing``    null or blank; ``value`` is NA
=============  ==================================================================

Common cleaning (all functions)
-------------------------------
* Unicode NFKC (full-width ``１３８``, ``＋８６``, ``（０７５５）``, ``￥`` become ASCII),
  zero-width characters and BOMs removed, whitespace collapsed and stripped;
* spreadsheet artefacts: an Excel text prefix ``'13812345678``, the ``="..."``
  export form, surrounding quotes; numbers that pandas read as floats
  (``13812345678.0``) lose the ``.0``; scientific notation is only accepted when it
  is exact (``1.3812345678E+10``) and is ``invalid`` when digits were lost
  (``1.38123E+10``) so a mangled number never links two people by accident;
* placeholder tokens (:data:`JUNK_TOKENS`, compared case-insensitively) are ``junk``.

Speed
-----
The work is done once per *distinct* raw value (``pd.factorize``) with pandas
``.str`` regex methods and numpy (check digits are computed on digit matrices),
then broadcast back to the rows, so a million rows of repeated phones cost little.

Examples
--------
>>> import pandas as pd
>>> from graphring.normalize import normalize_phone
>>> normalize_phone(pd.Series(["138-1234-5678", "+86 (0)21 6666 8888", "unknown", None]))
            value   status    kind
0  +8613812345678       ok  mobile
1  +86-21-66668888      ok   fixed
2             NaN     junk     NaN
3             NaN  missing     NaN
"""

from __future__ import annotations

import datetime as _dt
import functools
import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd

from graphring.ingest.checkdigits import ID_CHECK_CHARS, ID_WEIGHTS as _ID_WEIGHTS, USCC_CHARSET, USCC_WEIGHTS as _USCC_WEIGHTS
from graphring.ingest.checkdigits import USCC_LUT as _USCC_LUT, id_check_chars as _id_check_chars
from graphring.ingest.checkdigits import id_check_digit, luhn_ok, uscc_check_char  # public here too (normalize.__all__)
from graphring.ingest.checkdigits import luhn_ok_many as _luhn_ok, luhn_ok_matrix as _luhn_ok_matrix
from graphring.ingest.checkdigits import uscc_check_chars as _uscc_check_chars

__all__ = [
    "OK",
    "BAD_CHECK",
    "INVALID",
    "JUNK",
    "MISSING",
    "STATUSES",
    "JUNK_TOKENS",
    "PLACEHOLDER_PHONES",
    "JUNK_DEVICE_IDS",
    "EMPTY_FILE_HASHES",
    "ID_PROVINCES",
    "USCC_CHARSET",
    "is_junk",
    "normalize_phone",
    "normalize_id_number",
    "normalize_uscc",
    "normalize_device_id",
    "normalize_imei",
    "normalize_ip",
    "normalize_account",
    "normalize_text_key",
    "normalize_address_key",
    "parse_date",
    "parse_datetime",
    "parse_amount",
    "parse_int",
    "parse_bool",
    "id_check_digit",
    "uscc_check_char",
    "luhn_ok",
]

# --------------------------------------------------------------------------------------
# Statuses and junk vocabulary
# --------------------------------------------------------------------------------------

OK = "ok"
BAD_CHECK = "bad_check"
INVALID = "invalid"
JUNK = "junk"
MISSING = "missing"
#: Every status a normaliser may return.
STATUSES = (OK, BAD_CHECK, INVALID, JUNK, MISSING)

#: Placeholder tokens that mean "no value". Compared after NFKC, stripping,
#: collapsing whitespace and case folding. Numeric parsers (:func:`parse_amount`,
#: :func:`parse_int`, :func:`parse_bool`) read ``0`` as a number before looking here,
#: and :func:`parse_bool` reads ``无``/``没有`` as False.
JUNK_TOKENS = frozenset({
    # punctuation-only placeholders
    "-", "--", "---", "----", "—", "——", "–", "_", "__", "/", "//", "\\", ".", "..", "...",
    "?", "??", "???", "*", "**", "***", "#", "0", "00", "000",
    # English / spreadsheet / database nulls
    "nan", "none", "null", "nil", "na", "n/a", "n.a.", "n.a", "#n/a", "#na", "#null!",
    "#value!", "#ref!", "nat", "<na>", "unknown", "unk", "undefined", "(null)", "<null>",
    "[null]", "{}", "[]", "empty", "blank", "missing", "not available", "not applicable",
    "no data", "not provided",
    # Chinese placeholders
    "无", "未知", "不详", "不明", "空", "暂无", "没有", "缺失", "未填", "未填写", "不知道",
    "无数据", "未提供", "待定", "待补充", "空白", "略", "无效",
})

#: Mobile numbers used as placeholders (besides the pattern rule: a mobile whose
#: last eight digits are one repeated digit, such as ``13800000000``).
#: ``13800138000`` is China Mobile's public sample number.
PLACEHOLDER_PHONES = frozenset({"13800138000"})

#: Device identifiers that many unrelated devices report (compared lowercased, with
#: separators kept as written below). All-same-character ids (``000000000000000``,
#: the all-zero UUID) are junk by rule as well.
JUNK_DEVICE_IDS = frozenset({
    "9774d56d682e549c",    # Android ID shared by many Android 2.2 devices (well-known bug)
    "02:00:00:00:00:00",   # MAC address Android 6+ returns to apps
    "00:00:00:00:00:00",
    "ff:ff:ff:ff:ff:ff",
    "358240051111110",     # IMEI of the Android SDK emulator
    "123456789012345",
    "012345678912345",
})

#: Content hashes of an empty file (MD5, SHA-1, SHA-256): an "attachment" with this
#: hash is nothing, and would otherwise link every complaint with an empty upload.
EMPTY_FILE_HASHES = frozenset({
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
})

# --------------------------------------------------------------------------------------
# Plumbing: scalar/list support, unique-value evaluation, common cleaning
# --------------------------------------------------------------------------------------

try:  # pandas >= 2.3: the NaN-backed string dtype ("str" in pandas 3)
    _STR: object = pd.StringDtype(na_value=np.nan)
except TypeError:  # pragma: no cover - older pandas
    _STR = object

_A = re.ASCII  # digit classes must not match Arabic-Indic or other non-ASCII digits


def _rx(pattern: str, flags: int = _A) -> re.Pattern:
    return re.compile(pattern, flags)


def _is_scalar(x) -> bool:
    return x is None or pd.api.types.is_scalar(x)


def _to_series(x) -> pd.Series:
    if isinstance(x, pd.Series):
        return x
    if isinstance(x, pd.Index):
        return pd.Series(x, index=range(len(x)))
    return pd.Series(list(x) if not isinstance(x, np.ndarray) else x, dtype=object)


def _py(v):
    """NA -> None and numpy scalars -> Python scalars (for single-value results)."""
    if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def _accepts_scalar(func: Callable) -> Callable:
    """Let a Series function also take one value (-> dict / scalar) or a list."""

    @functools.wraps(func)
    def wrapper(s, *args, **kwargs):
        if _is_scalar(s):
            out = func(pd.Series([s], dtype=object), *args, **kwargs)
            if isinstance(out, pd.DataFrame):
                return {c: _py(out[c].iloc[0]) for c in out.columns}
            return _py(out.iloc[0])
        return func(_to_series(s), *args, **kwargs)

    return wrapper


def _one_text(v) -> str:
    """Text of one raw non-null value, without float artefacts where exact."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if np.isfinite(f) and f.is_integer() and abs(f) < 2**53:
            return str(int(f))
        return repr(f)  # e.g. '1.1010519491231e+17': recognisably lossy
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        return v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    return str(v)


def _texts(uniques) -> pd.Series:
    """Object Series of ``str`` for an array of distinct non-null raw values."""
    arr = np.asarray(uniques, dtype=object)
    if len(arr) and pd.api.types.infer_dtype(arr, skipna=False) != "string":
        arr = np.array([_one_text(v) for v in arr], dtype=object)
    return pd.Series(arr, dtype=object)


_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_EXCEL_FORMULA_RE = re.compile(r'^\s*="(.*)"\s*$')
_WS_RE = re.compile(r"\s+")


# printable ASCII without quotes/backticks, single inner spaces: nothing for _clean to do
_PLAIN_RE = re.compile(r"[!#-&(-_a-~]+(?: [!#-&(-_a-~]+)*")


def _clean(t: pd.Series) -> pd.Series:
    """NFKC, drop invisible characters and spreadsheet wrappers, collapse whitespace."""
    if not len(t):
        return t
    todo = ~_fm(t, _PLAIN_RE)  # the common, already-clean values are skipped
    if not todo.any():
        return t
    u = t[todo]
    u = u.str.normalize("NFKC").str.replace(_INVISIBLE_RE, "", regex=True)
    u = u.str.replace(_EXCEL_FORMULA_RE, r"\1", regex=True)
    u = u.str.replace(_WS_RE, " ", regex=True).str.strip()
    # Excel text prefix (') or backtick, and quotes around the whole value
    u = u.str.replace(r"^['`]+|^\"(.*)\"$", r"\1", regex=True).str.strip()
    t = t.copy()
    t[todo] = u
    return t


def _sub(x: pd.Series, mask: np.ndarray) -> pd.Series:
    """Rows of ``x`` where ``mask``, re-indexed 0..k-1 (for the slow paths)."""
    return x[mask].reset_index(drop=True)


def _scatter(dst: dict, mask: np.ndarray, src: dict) -> None:
    """Write the arrays of a subset result ``src`` into ``dst`` at ``mask``."""
    for k, v in src.items():
        dst[k][mask] = v


def _junk_mask(low: pd.Series) -> np.ndarray:
    return _b(low.isin(JUNK_TOKENS))


def _blank_mask(t: pd.Series) -> np.ndarray:
    return _b(t == "")


def _b(x) -> np.ndarray:
    """Writable boolean numpy array from a bool Series (NA -> False)."""
    if isinstance(x, pd.Series):
        return x.fillna(False).to_numpy(dtype=bool, copy=True)
    return np.array(x, dtype=bool)


def _fm(x: pd.Series, rx) -> np.ndarray:
    """``x.str.fullmatch(rx)`` as a bool array, without pandas' per-element overhead.

    ``x`` holds only ``str`` (the distinct raw texts or strings derived from them).
    """
    f = (rx if isinstance(rx, re.Pattern) else re.compile(rx)).fullmatch
    return np.fromiter((f(v) is not None for v in x.to_numpy(dtype=object)), dtype=bool, count=len(x))


def _mt(x: pd.Series, rx) -> np.ndarray:
    """``x.str.match(rx)`` (anchored at the start) as a bool array; see :func:`_fm`."""
    f = (rx if isinstance(rx, re.Pattern) else re.compile(rx)).match
    return np.fromiter((f(v) is not None for v in x.to_numpy(dtype=object)), dtype=bool, count=len(x))


def _ofull(n: int, value) -> np.ndarray:
    """``np.full(n, value, dtype=object)``, filled in place (``np.full`` takes a slow
    per-element path for object arrays)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _pick(cond, yes: str, no: str) -> np.ndarray:
    """``np.where(cond, yes, no).astype(object)`` for two strings, without making a
    string object per element."""
    cond = np.asarray(cond, dtype=bool)
    out = _ofull(len(cond), no)
    out[cond] = yes
    return out


def _o(x) -> np.ndarray:
    """Writable object numpy array (NA -> None) from a Series."""
    a = x.to_numpy(dtype=object, copy=True)
    a[pd.isna(a)] = None
    return a


def _by_unique(s: pd.Series, core: Callable[[pd.Series], dict], spec: dict[str, tuple],
               rowwise: bool | None = None) -> pd.DataFrame:
    """Evaluate ``core`` once per distinct non-null value and broadcast to the rows.

    ``core`` gets an object Series of raw text (one row per distinct value) and returns
    a dict of numpy arrays; ``spec`` maps each output column to ``(dtype, fill)`` where
    ``fill`` is the value used for null rows (their status is ``missing``).
    ``rowwise`` (default: ``core`` in :data:`_ROWWISE`) runs the fast path on every
    row of an Arrow string column instead of hashing it first; the rest still goes
    through ``core`` once per distinct value. The result is the same.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True).startswith("mixed"):
        # factorize treats False == 0 and True == 1: give booleans their own text first
        arr = s.to_numpy(dtype=object, copy=True)
        bools = np.fromiter((isinstance(v, (bool, np.bool_)) for v in arr), dtype=bool, count=len(arr))
        if bools.any():
            arr[bools] = ["true" if v else "false" for v in arr[bools]]
            s = pd.Series(arr, index=s.index, dtype=object)
    key = getattr(core, "func", core)
    rowwise = key in _ROWWISE if rowwise is None else rowwise
    enc = _arrow_factorize(s, rowwise) if _FAST.get(key) is not None else None
    if enc is not None:  # Arrow strings: the distinct values stay in Arrow for the fast path
        codes, uniques = enc
    else:
        rowwise = False
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques):
        cols = _run_core(core, _texts(uniques) if enc is None else None, spec, uniques if enc is not None else None,
                         distinct=not rowwise)
    else:
        cols = {c: np.array([], dtype=object if d in (_STR, "boolean", "Int64") else d)
                for c, (d, _) in spec.items()}
    n = len(uniques)
    codes = np.where(codes < 0, n, codes)
    out = {}
    for c, (dtype, fill) in spec.items():
        if dtype is _STR and fill is None and _is_arrow(cols[c]):
            strings = _take_arrow_strings(cols[c], codes)
            if strings is not None:
                out[c] = pd.Series(strings, index=s.index)
                continue
        col = np.asarray(cols[c])
        if col.dtype != object:  # typed column (float, bool, datetime64): stay typed
            arr = np.concatenate([col, np.array([fill], dtype=col.dtype)])
        else:
            arr = np.empty(n + 1, dtype=object)
            arr[:n] = col
            arr[n] = fill
        if dtype is _STR and _STR is not object and arr.dtype == object:
            strings = _take_strings(arr, codes)
            if strings is not None:
                out[c] = pd.Series(strings, index=s.index)
                continue
        taken = arr.take(codes)
        if dtype == "boolean" or dtype == "Int64":
            taken[pd.isna(taken)] = None  # nullable dtypes want None, not NaN
        out[c] = pd.Series(taken, index=s.index, dtype=dtype)
    return pd.DataFrame(out, index=s.index)


def _arrow_factorize(s: pd.Series, rowwise: bool = False):
    """``pd.factorize(s)`` for Arrow-backed strings as (codes, distinct values as a
    null-free ``pa.string`` array), in the same order; None for other Series.

    With ``rowwise`` every non-null row is its own "distinct" value (for cores whose
    fast path costs less per row than hashing the column would).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        return None
    arr = s.array.__arrow_array__()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if rowwise:
        if arr.null_count:
            valid = arr.is_valid().to_numpy(zero_copy_only=False)
            codes = np.full(len(arr), -1, dtype=np.intp)
            codes[valid] = np.arange(int(valid.sum()), dtype=np.intp)
            uniques = arr.drop_null()
        else:
            codes = np.arange(len(arr), dtype=np.intp)
            uniques = arr
    else:
        enc = pc.dictionary_encode(arr)
        codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
        uniques = enc.dictionary
    if uniques.type != pa.string():
        try:
            uniques = uniques.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # over 2 GiB of text
            return None
    return codes, uniques


def _is_arrow(x) -> bool:
    import pyarrow as pa

    return isinstance(x, pa.Array)


def _take_arrow_strings(col, codes: np.ndarray):
    """As :func:`_take_strings` for distinct values already in a pyarrow string array
    (code ``len(col)`` is a null row); None when Arrow-backed strings are not in use."""
    import pyarrow as pa

    if _STR is object or _STR.storage != "pyarrow":
        return None
    uniq = pa.concat_arrays([col.cast(pa.large_string()), pa.nulls(1, type=pa.large_string())])
    return pd.array(uniq.take(pa.array(codes)), dtype=_STR)


def _arrow_texts(arr) -> pd.Series:
    """Object Series of ``str`` from a null-free pyarrow string array (as :func:`_texts`)."""
    return pd.Series(np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object), dtype=object)


def _take_strings(arr: np.ndarray, codes: np.ndarray):
    """``pd.array(arr.take(codes), dtype=_STR)`` built in Arrow from the distinct strings
    (``None``/NaN are nulls); None when ``arr`` holds anything but strings and nulls."""
    import pyarrow as pa

    if _STR.storage != "pyarrow":
        return None
    try:
        uniq = pa.array(arr, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None
    return pd.array(uniq.take(pa.array(codes)), dtype=_STR)


_TEXT_SPEC = {"value": (_STR, None), "status": (_STR, MISSING)}


# --------------------------------------------------------------------------------------
# Fast paths: the canonical forms most values take, recognised and normalised with
# pyarrow (RE2 regular expressions, vectorised string kernels). Each gives exactly what
# its core gives for the values it takes (the tests compare them); the core does the rest.
# --------------------------------------------------------------------------------------

def _pa_strings(t: pd.Series):
    import pyarrow as pa

    return pa.array(t.to_numpy(dtype=object), type=pa.string())


def _pa_match(arr, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False).astype(bool)


def _np_str(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def _same_chars(vals) -> np.ndarray:
    """True where a string is one character repeated (at least twice)."""
    return np.fromiter((len(v) >= 2 and v.count(v[0]) == len(v) for v in vals), dtype=bool, count=len(vals))


def _run_core(core: Callable, texts: pd.Series | None, spec: dict, arr=None, distinct: bool = True) -> dict:
    """``core(texts)``, with the values a fast path takes done by that fast path.

    The distinct texts come as an object Series ``texts`` or as a null-free pyarrow
    string array ``arr`` (then only the values the fast path leaves become Python
    strings). ``distinct=False``: ``arr`` may repeat values (a fast path in
    :data:`_ROWWISE`); the core then gets the distinct ones it is left, in order of
    first appearance, as it would from distinct input.
    """
    import pyarrow as pa

    if texts is None:
        texts_of = functools.partial(_arrow_texts, arr)
        n = len(arr)
    else:
        texts_of = functools.partial(lambda t: t, texts)
        n = len(texts)
    key = getattr(core, "func", core)
    fast = _FAST.get(key)
    kwargs = getattr(core, "keywords", {}) or {}
    if not distinct:
        core = functools.partial(_core_distinct, core)
    if fast is None or n < 64:
        return core(texts_of())
    if arr is None:
        arr = _pa_strings(texts)
    mask, fcols = fast(arr, **kwargs)
    if not mask.any():
        return core(texts_of())
    if mask.all():
        return fcols
    rest = core(_sub(texts, ~mask) if texts is not None else _arrow_texts(arr.filter(pa.array(~mask))))
    out = {}
    for c in spec:
        f = np.asarray(fcols[c])
        r = np.asarray(rest[c])
        dtype = f.dtype if f.dtype == r.dtype else object
        a = np.empty(n, dtype=dtype)
        a[mask] = f
        a[~mask] = r
        out[c] = a
    return out


def _core_distinct(core: Callable, texts: pd.Series) -> dict:
    """``core`` on the distinct values of ``texts`` (in order of first appearance),
    broadcast back to every row of ``texts``."""
    codes, uniques = pd.factorize(texts)
    return {c: np.asarray(v)[codes] for c, v in core(_texts(uniques)).items()}


def _float_artefacts(x: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Undo ``123.0`` and exact scientific notation; flag lossy scientific notation."""
    x = x.str.replace(_rx(r"^(\+?\d+)\.0+$"), r"\1", regex=True)
    sci = x.str.extract(_rx(r"^(\d)(?:\.(\d+))?e\+?(\d{1,2})$", _A | re.I))
    has = _b(sci[0].notna())
    lossy = np.zeros(len(x), dtype=bool)
    if has.any():
        frac = sci[1].fillna("")
        exp = pd.to_numeric(sci[2], errors="coerce").fillna(-1).to_numpy()
        exact = has & (frac.str.len().to_numpy() == exp)
        x = x.where(~exact, sci[0] + frac)
        lossy = has & ~exact
    return x, lossy


def _all_same_char(x: pd.Series, min_len: int = 2) -> np.ndarray:
    return _fm(x, r"(.)\1+") & (x.str.len().to_numpy() >= min_len)


# --------------------------------------------------------------------------------------
# Check digits (vectorised over equal-length ASCII strings)
# --------------------------------------------------------------------------------------

# the check digits themselves live in graphring/ingest/checkdigits.py (sample.py makes valid ones with them)


# --------------------------------------------------------------------------------------
# Junk
# --------------------------------------------------------------------------------------

@_accepts_scalar
def is_junk(s: pd.Series) -> pd.Series | bool:
    """True where a value carries no information: null, blank or a placeholder token.

    Parameters
    ----------
    s : Series or scalar
        Raw values.

    Returns
    -------
    Series of bool (or bool for a single value)
        True for nulls, blank strings and :data:`JUNK_TOKENS` (case-insensitive,
        after NFKC and stripping).

    Examples
    --------
    >>> import pandas as pd
    >>> is_junk(pd.Series(["N/A", " 未知 ", "张三", None, "", "0"])).tolist()
    [True, True, False, True, True, True]
    >>> is_junk("NULL")
    True
    """

    def core(t: pd.Series) -> dict:
        t = _clean(t)
        return {"j": _blank_mask(t) | _junk_mask(t.str.casefold())}

    return _by_unique(s, core, {"j": (bool, True)})["j"]


def _start(t: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """Clean, casefold and classify blank/junk: (clean, low, blank, junk)."""
    t = _clean(t)
    low = t.str.casefold()
    return t, low, _blank_mask(t), _junk_mask(low)


def _finish(n: int, blank: np.ndarray, junk: np.ndarray, status: np.ndarray, *cols: np.ndarray) -> None:
    """Apply junk and missing (highest priority): blank values of every other column."""
    for mask, st in ((junk, JUNK), (blank, MISSING)):
        status[mask] = st
        for c in cols:
            c[mask] = None


# --------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------

_PHONE_LABEL_RE = re.compile(r"^(?:tel|phone|mobile|电话|手机|手机号|手机号码|联系电话|座机)\s*[:：]?\s*")
_PHONE_EXT_RE = _rx(r"\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6}$")
_PHONE_SEP_RE = _rx(r"[\s\-.()\[\]]")
_MOBILE_RE = _rx(r"^0?(1[3-9]\d{9})$")
_FIXED_TRUNK_RE = _rx(r"^0(?:(10|2\d)([1-9]\d{7})|([3-9]\d{2})([1-9]\d{6,7}))$")
_FIXED_BARE_RE = _rx(r"^0?(?:(10|2\d)([1-9]\d{7})|([3-9]\d{2})([1-9]\d{6,7}))$")
_SVC_400_RE = _rx(r"^([48]00)(\d{7})$")
_SVC_SHORT_RE = _rx(r"^(95\d{3}(?:\d{3})?|1[02]\d{3}|96\d{3,4})$")


def _phone_slow(low: pd.Series) -> dict:
    """Every rule, for values that are not a bare 11-digit mobile (index 0..k-1)."""
    n = len(low)
    x = low.str.replace(_PHONE_LABEL_RE, "", regex=True).str.replace(_PHONE_EXT_RE, "", regex=True)
    x, lossy = _float_artefacts(x)
    x = x.str.replace(_PHONE_SEP_RE, "", regex=True)
    shape = _fm(x, _rx(r"\+?\d+"))
    digits = x.str.lstrip("+")
    junk = shape & _all_same_char(digits, 1)

    plus = _b(x.str.startswith("+"))
    intl00 = ~plus & _b(digits.str.startswith("00"))
    intl = plus | intl00
    d_intl = digits.where(~intl00, digits.str[2:])
    cc86 = intl & _b(d_intl.str.startswith("86"))
    bare86 = ~intl & _fm(digits, _rx(r"86(?:0?1[3-9]\d{9}|0\d{9,11})"))
    cn_prefixed = cc86 | bare86
    nat = digits.where(~cc86, d_intl.str[2:]).where(~bare86, digits.str[2:])
    domestic = shape & ~(intl & ~cc86)
    junk |= shape & _all_same_char(nat, 2)  # +86 00000000000

    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    kind = _ofull(n, None)

    def put(mask, vals, k):
        status[mask] = OK
        value[mask] = vals[mask]
        kind[mask] = k

    # lowest priority first; later assignments win
    foreign = shape & intl & ~cc86 & _fm(d_intl, _rx(r"[1-9]\d{6,14}"))
    put(foreign, _o("+" + d_intl), "foreign")

    for rx, allowed in ((_FIXED_TRUNK_RE, domestic), (_FIXED_BARE_RE, domestic & cn_prefixed)):
        f = nat.str.extract(rx)
        ok = allowed & _b(f[0].notna() | f[2].notna())
        area = f[0].fillna(f[2])
        sub = f[1].fillna(f[3])
        put(ok, _o("+86-" + area + "-" + sub), "fixed")

    s400 = nat.str.extract(_SVC_400_RE)
    put(domestic & _b(s400[0].notna()), _o("+86-" + s400[0] + "-" + s400[1]), "service")
    short = nat.str.extract(_SVC_SHORT_RE)[0]
    put(domestic & _b(short.notna()), _o("+86-" + short), "service")

    put(domestic & _fm(nat, _MOBILE_RE), _o("+86" + nat.str[-11:]), "mobile")

    status[lossy] = INVALID
    value[lossy] = None
    kind[lossy] = None
    return {"value": value, "status": status, "kind": kind, "junk": junk}


_SAME8 = frozenset(str(d) * 8 for d in range(10))


def _phone_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    # fast path: the bare 11-digit mobile most rows carry
    fast = _fm(low, _rx(r"1[3-9]\d{9}"))
    res = {"value": _ofull(n, None), "status": _ofull(n, OK),
           "kind": _ofull(n, "mobile")}
    res["value"][fast] = _o("+86" + low[fast])
    slow = ~fast & ~blank & ~junk
    if slow.any():
        sub = _phone_slow(_sub(low, slow))
        junk[slow] = sub.pop("junk")
        _scatter(res, slow, sub)
    value, status, kind = res["value"], res["status"], res["kind"]
    # placeholder mobiles: a listed sample number, or the last eight digits all one digit
    mob = np.flatnonzero((kind == "mobile") & (status == OK))
    if len(mob):
        v = pd.Series(value[mob], dtype=object).str[3:]
        junk[mob] |= _b(v.isin(PLACEHOLDER_PHONES)) | _b(v.str[-8:].isin(_SAME8))
    _finish(n, blank, junk, status, value, kind)
    return {"value": value, "status": status, "kind": kind}


@_accepts_scalar
def normalize_phone(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise phone numbers to E.164-style keys.

    Rules
    -----
    * separators (spaces, ``-``, ``.``, parentheses), ``tel:``/``手机:`` labels and
      extensions (``转123``, ``ext 12``) are dropped; ``+86``, ``0086`` and a bare
      ``86`` before a mobile are understood; other ``+cc``/``00cc`` prefixes are foreign;
    * **mobile** (11 digits ``1[3-9]xxxxxxxxx``, an extra leading trunk ``0`` tolerated)
      -> ``+8613812345678``;
    * **fixed** line (trunk ``0`` + area code ``10``/``2x``/3 digits + 7-8 digit
      subscriber; the trunk may be omitted after ``+86``) -> ``+86-<area>-<subscriber>``,
      e.g. ``+86-755-88886666``;
    * **service** numbers -> ``+86-400-1234567`` (400/800), ``+86-95555`` (95xxx,
      95xxxxxx), ``+86-12378`` (10xxx/12xxx), ``+86-96111`` (96xxx);
    * **foreign** (country code other than 86, 7-15 digits in all) -> ``+85291234567``;
    * **junk**: :data:`JUNK_TOKENS`, one repeated digit (``00000000000``), placeholder
      mobiles (:data:`PLACEHOLDER_PHONES`, or a mobile whose last eight digits are one
      repeated digit such as ``13800000000``);
    * anything else (local numbers without area code, several numbers in one cell,
      letters) is **invalid**.

    Parameters
    ----------
    s : Series or scalar
        Raw phone numbers (strings, floats, ints; NaN/None allowed).

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (str or NA), ``status`` (``ok``, ``missing``, ``junk``, ``invalid``),
        ``kind`` (``mobile``, ``fixed``, ``service``, ``foreign`` or NA).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_phone(pd.Series(["０086 138.1234.5678", "(0755)8888 6666", "400-123-4567",
    ...                            "+852 9123 4567", 13812345678.0, "11111111111", "5551234"]))
                  value   status     kind
    0    +8613812345678       ok   mobile
    1  +86-755-88886666       ok    fixed
    2   +86-400-1234567       ok  service
    3      +85291234567       ok  foreign
    4    +8613812345678       ok   mobile
    5               NaN     junk      NaN
    6               NaN  invalid      NaN
    >>> normalize_phone("010-12345678")
    {'value': '+86-10-12345678', 'status': 'ok', 'kind': 'fixed'}
    """
    return _by_unique(s, _phone_core, {**_TEXT_SPEC, "kind": (_STR, None)})


# --------------------------------------------------------------------------------------
# PRC resident identity numbers (GB 11643-1999)
# --------------------------------------------------------------------------------------

#: First two digits of valid resident-ID numbers (provinces; 71/81/82/83 Taiwan, Hong
#: Kong, Macao residence permits; 91 foreigners' permanent residence ID cards).
ID_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83", "91",
})


def _birth_ok(bodies: pd.Series) -> np.ndarray:
    """True where characters 7-14 of a 17-char body are a real, past birth date."""
    d = pd.to_datetime(bodies.str[6:14], format="%Y%m%d", errors="coerce")
    today = pd.Timestamp.today().normalize()
    return _b(d.notna() & (d >= pd.Timestamp("1800-01-01")) & (d <= today))


def _id_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    x = t.str.upper().str.replace(_rx(r"[\s\-]"), "", regex=True)
    x, lossy = _float_artefacts(x)
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    flag = _ofull(n, None)

    s18 = _fm(x, _rx(r"\d{17}[\dX]"))
    s15 = _fm(x, _rx(r"\d{15}"))
    body = pd.Series(np.where(s15, x.str[:6] + "19" + x.str[6:], x.str[:17]), dtype=object)
    shape = (s18 | s15) & _b(body.str[:2].isin(ID_PROVINCES)) & _birth_ok(body)
    idx = np.flatnonzero(shape)
    if len(idx):
        bodies = body.to_numpy(dtype=object)[idx]
        check = _id_check_chars(bodies)
        full = np.array([b + c for b, c in zip(bodies, check)], dtype=object)
        given = x.to_numpy(dtype=object)[idx]
        ok = np.array([g[17:] == c if len(g) == 18 else True for g, c in zip(given, check)])
        value[idx] = np.where(s15[idx], full, given)
        status[idx] = np.where(ok, OK, BAD_CHECK)
    flag[shape & s15] = "legacy15"
    flag[_b(x.str.contains("*", regex=False))] = "masked"
    junk |= _all_same_char(x, 2)
    status[lossy] = INVALID
    value[lossy] = None
    _finish(n, blank, junk, status, value)
    return {"value": value, "status": status, "flag": flag}


@_accepts_scalar
def normalize_id_number(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise PRC resident identity numbers (居民身份证号, GB 11643-1999).

    Rules
    -----
    * spaces and dashes removed, full-width characters folded, ``x`` upper-cased;
    * 18 characters: 17 digits + check character (weights 7,9,10,5,8,4,2,1,6,3,7,9,10,
      5,8,4,2; sum mod 11 indexes ``"10X98765432"``);
    * 15-digit legacy numbers are upgraded: ``19`` inserted after the 6-digit area code
      and the check character computed (``flag`` = ``legacy15``);
    * the province code (first two digits, :data:`ID_PROVINCES`) must exist and the
      birth date (characters 7-14) must be a real date between 1800 and today;
    * masked numbers (``110105********002X``) are ``invalid`` with ``flag`` = ``masked``.

    Parameters
    ----------
    s : Series or scalar
        Raw ID numbers.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (18-character normal form, also for ``bad_check``), ``status``
        (``ok``, ``bad_check``, ``invalid``, ``junk``, ``missing``), ``flag``
        (``legacy15``, ``masked`` or NA).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_id_number(pd.Series(["11010519491231002x", "110105194912310021",
    ...                                "110105491231002", "110105194902300020", None]))
                    value     status      flag
    0  11010519491231002X         ok       NaN
    1  110105194912310021  bad_check       NaN
    2  11010519491231002X         ok  legacy15
    3                 NaN    invalid       NaN
    4                 NaN    missing       NaN
    """
    return _by_unique(s, _id_core, {**_TEXT_SPEC, "flag": (_STR, None)})


# --------------------------------------------------------------------------------------
# Unified social credit codes (GB 32100-2015)
# --------------------------------------------------------------------------------------

def _uscc_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    x = t.str.upper().str.replace(_rx(r"[\s\-]"), "", regex=True)
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    shape = _fm(x, _rx("[%s]{18}" % USCC_CHARSET))
    idx = np.flatnonzero(shape)
    if len(idx):
        codes = x.to_numpy(dtype=object)[idx]
        check = _uscc_check_chars([c[:17] for c in codes])
        ok = np.array([c[17] for c in codes]) == check
        value[idx] = codes
        status[idx] = np.where(ok, OK, BAD_CHECK)
    junk |= _all_same_char(x, 2)
    _finish(n, blank, junk, status, value)
    return {"value": value, "status": status}


@_accepts_scalar
def normalize_uscc(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise unified social credit codes (统一社会信用代码, GB 32100-2015).

    Rules
    -----
    * spaces and dashes removed, full-width folded, upper-cased;
    * 18 characters from :data:`USCC_CHARSET` (digits and letters without I, O, S,
      V, Z); the last is the check character: with weights ``3**i mod 31``
      (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28) it is
      ``USCC_CHARSET[(31 - sum % 31) % 31]``;
    * right shape, wrong check character -> ``bad_check`` (value kept); anything else
      (legacy 15-digit registration numbers, 9-character organisation codes, letters
      outside the charset) -> ``invalid``.

    Parameters
    ----------
    s : Series or scalar
        Raw codes.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (18-character code or NA), ``status`` (``ok``, ``bad_check``,
        ``invalid``, ``junk``, ``missing``).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_uscc(pd.Series(["91350100m000100y43", "91350100M000100Y44",
    ...                           "9135 0100 M000 100Y 4O", "无"]))
                    value     status
    0  91350100M000100Y43         ok
    1  91350100M000100Y44  bad_check
    2                 NaN    invalid
    3                 NaN       junk
    """
    return _by_unique(s, _uscc_core, _TEXT_SPEC)


# --------------------------------------------------------------------------------------
# Devices
# --------------------------------------------------------------------------------------

_DEVICE_LABEL_RE = re.compile(r"^(?:imei|meid|android_?id|idfa|idfv|oaid|device_?id|设备号)\s*[:=：]\s*", re.I)
_UUID_RE = _rx(r"^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$")
_MAC_RE = _rx(r"^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}$")
_HEX_RE = _rx(r"^[0-9a-f]+$")


def _device_slow(t: pd.Series) -> dict:
    """Every rule, for ids that are not already canonical (index 0..k-1)."""
    n = len(t)
    t = t.str.replace(_DEVICE_LABEL_RE, "", regex=True)
    low = t.str.casefold()
    status = _ofull(n, OK)
    kind = _ofull(n, "other")
    # default: opaque id (fingerprints may be case-sensitive); pure hex is lowercased
    hexy = _mt(low, _HEX_RE)
    value = np.where(hexy, _o(low), _o(t)).astype(object)

    dig, lossy = _float_artefacts(t.str.replace(_rx(r"[\s\-/]"), "", regex=True))
    digits = _fm(dig, _rx(r"\d+"))
    dlen = dig.str.len().to_numpy()
    dvals = _o(dig)

    def put(mask, vals, k):
        value[mask] = vals[mask]
        kind[mask] = k

    put(digits, dvals, "other")
    hexlen = low.str.len().to_numpy()
    put(hexy & ~digits & np.isin(hexlen, (15, 16)), _o(low), "android_id")
    put(hexy & ~digits & (hexlen == 14), _o(low), "meid")
    u = low.str.extract(_UUID_RE)
    put(_b(u[0].notna()), _o(u[0] + "-" + u[1] + "-" + u[2] + "-" + u[3] + "-" + u[4]), "uuid")
    put(_mt(low, _MAC_RE), _o(low.str.replace("-", ":", regex=False)), "mac")
    put(digits & (dlen == 14), dvals, "meid")
    put(digits & (dlen == 16), dvals, "imeisv")
    put(digits & (dlen == 15), dvals, "imei")

    too_short = np.array([v is None or len(v) < 6 for v in value], dtype=bool)
    bad = too_short | lossy
    status[bad] = INVALID
    value[bad] = None
    kind[bad] = None
    return {"value": value, "status": status, "kind": kind}


# already canonical: 15-digit IMEI, lowercase 15/16-hex Android ID, lowercase dashed UUID
_DEVICE_FAST_RE = _rx(r"\d{15}|[0-9a-f]{15,16}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def _device_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    fast = _fm(t, _DEVICE_FAST_RE) & ~blank & ~junk
    ft = t[fast]
    isdig = _b(ft.str.isdigit())
    flen = ft.str.len().to_numpy()
    fkind = np.select([isdig & (flen == 15), isdig & (flen == 16), flen == 36],
                      ["imei", "imeisv", "uuid"], "android_id").astype(object)
    res = {"value": _ofull(n, None), "status": _ofull(n, OK),
           "kind": _ofull(n, None)}
    res["value"][fast] = _o(ft)
    res["kind"][fast] = fkind
    slow = ~fast & ~blank & ~junk
    if slow.any():
        _scatter(res, slow, _device_slow(_sub(t, slow)))
    value, status, kind = res["value"], res["status"], res["kind"]
    imei = np.flatnonzero(kind == "imei")
    if len(imei):
        status[imei] = np.where(_luhn_ok(value[imei]), OK, BAD_CHECK)
    v = pd.Series(value, dtype=object)
    junk |= _b(v.isin(JUNK_DEVICE_IDS)) | _b(low.isin(JUNK_DEVICE_IDS))
    compact = v.fillna("").str.replace("-", "", regex=False).str.replace(":", "", regex=False)
    junk |= _all_same_char(compact, 2)
    _finish(n, blank, junk, status, value, kind)
    return {"value": value, "status": status, "kind": kind}


@_accepts_scalar
def normalize_device_id(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise device identifiers (IMEI, MEID, Android ID, IDFV/IDFA/OAID, MAC, fingerprint).

    Rules (``kind`` in brackets)
    ----------------------------
    * labels such as ``IMEI:`` are dropped; digits may carry spaces, dashes or a
      float ``.0``;
    * 15 digits [``imei``]: Luhn-checked, ``bad_check`` when it fails (value kept);
      14 digits or 14 hex [``meid``] (IMEI without check digit / MEID): ok;
      16 digits [``imeisv``]: ok;
    * 15-16 hex characters with a letter [``android_id``], lowercased;
    * UUID with or without dashes [``uuid``] -> lowercase 8-4-4-4-12;
    * MAC ``aa:bb:cc:dd:ee:ff`` or with dashes [``mac``] -> lowercase, colons;
    * anything else [``other``]: trimmed, lowercased when pure hex, case kept otherwise;
      fewer than 6 characters -> ``invalid``;
    * **junk**: :data:`JUNK_TOKENS`, :data:`JUNK_DEVICE_IDS` (buggy Android ID
      ``9774d56d682e549c``, the ``02:00:00:00:00:00`` MAC, the emulator IMEI ...) and
      ids of one repeated character (all-zero IMEI, all-zero UUID).

    Parameters
    ----------
    s : Series or scalar
        Raw device identifiers.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value``, ``status`` (``ok``, ``bad_check``, ``invalid``, ``junk``,
        ``missing``), ``kind`` (``imei``, ``meid``, ``imeisv``, ``android_id``,
        ``uuid``, ``mac``, ``other`` or NA).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_device_id(pd.Series(["49-015420-323751-8", "490154203237519",
    ...     "E2B0F9A1-1C2D-4E5F-8A9B-0C1D2E3F4A5B", "9774d56d682e549c",
    ...     "000000000000000", "a1b2c3d4e5f60718"]))
                                      value     status        kind
    0                       490154203237518         ok        imei
    1                       490154203237519  bad_check        imei
    2  e2b0f9a1-1c2d-4e5f-8a9b-0c1d2e3f4a5b         ok        uuid
    3                                   NaN       junk         NaN
    4                                   NaN       junk         NaN
    5                      a1b2c3d4e5f60718         ok  android_id
    """
    return _by_unique(s, _device_core, {**_TEXT_SPEC, "kind": (_STR, None)})


@_accepts_scalar
def normalize_imei(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise IMEI numbers; like :func:`normalize_device_id` but only IMEI-shaped ids are valid.

    15 digits are Luhn-checked (``bad_check`` when wrong), 14 digits (IMEI without
    check digit / decimal MEID) and 16 digits (IMEISV) are ``ok``; any other
    non-junk value is ``invalid``.

    Parameters
    ----------
    s : Series or scalar
        Raw IMEIs.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value``, ``status`` (``ok``, ``bad_check``, ``invalid``, ``junk``,
        ``missing``), ``kind`` (``imei``, ``meid``, ``imeisv`` or NA).

    Examples
    --------
    >>> normalize_imei("49 015420 323751 8")
    {'value': '490154203237518', 'status': 'ok', 'kind': 'imei'}
    >>> normalize_imei("a1b2c3d4e5f60718")["status"]
    'invalid'
    """
    r = normalize_device_id(s)
    digits_only = r["value"].str.fullmatch(r"[0-9]{14,16}").fillna(False).astype(bool)
    bad = r["value"].notna() & ~(digits_only & r["kind"].isin(["imei", "meid", "imeisv"]))
    r.loc[bad, "status"] = INVALID
    r.loc[bad, ["value", "kind"]] = np.nan
    return r


# --------------------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------------------

def _v4_ranges(spec) -> np.ndarray:
    out = []
    for net in spec:
        nw = ipaddress.IPv4Network(net)
        out.append((int(nw.network_address), int(nw.broadcast_address)))
    return np.array(out, dtype=np.int64)


#: IPv4 ranges that are junk (this-network, loopback, multicast, broadcast).
_V4_JUNK = _v4_ranges(["0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32"])
#: IPv4 ranges that are private: RFC 1918, CGNAT (RFC 6598), link-local. Weak evidence.
_V4_PRIVATE = _v4_ranges(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                          "169.254.0.0/16"])
_V6_PRIVATE = (ipaddress.IPv6Network("fc00::/7"), ipaddress.IPv6Network("fe80::/10"))


def _in_ranges(ints: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    out = np.zeros(len(ints), dtype=bool)
    for lo, hi in ranges:
        out |= (ints >= lo) & (ints <= hi)
    return out


def _ip6_one(text: str):
    """(value, status, private) for one IPv6 candidate (IPv4-mapped -> IPv4 text)."""
    try:
        a = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return None, INVALID, False
    if a.ipv4_mapped is not None:
        return str(a.ipv4_mapped), "v4", False
    if a.is_unspecified or a.is_loopback or a.is_multicast:
        return None, JUNK, False
    return a.compressed, OK, any(a in nw for nw in _V6_PRIVATE)


_V4_RE = _rx(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")


def _ipv4_block(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, status, private) for dotted-quad strings, vectorised with pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    octs = (pc.cast(pc.split_pattern(pa.array(strings, type=pa.string()), ".").flatten(), pa.int64())
            .to_numpy().reshape(-1, 4))
    good = (octs <= 255).all(axis=1)
    ints = octs @ np.array([1 << 24, 1 << 16, 1 << 8, 1], dtype=np.int64)
    value = np.where(good, strings, None).astype(object)
    # leading zeros ("010.001.2.3" is read as decimal): rebuild the text of those only
    ndig = np.where(octs >= 100, 3, np.where(octs >= 10, 2, 1)).sum(axis=1) + 3
    lens = np.fromiter((len(x) for x in strings), dtype=np.int64, count=len(strings))
    for i in np.flatnonzero(good & (ndig != lens)):
        value[i] = ".".join(str(o) for o in octs[i])
    status = _pick(good, OK, INVALID)
    status[good & _in_ranges(ints, _V4_JUNK)] = JUNK
    private = good & _in_ranges(ints, _V4_PRIVATE)
    return value, status, private


def _ip_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    private = np.zeros(n, dtype=bool)
    xv = _o(low)
    is4 = _fm(low, _V4_RE)

    rest = np.flatnonzero(~is4 & ~blank & ~junk)
    if len(rest):
        # first address of an X-Forwarded-For list; brackets and ports removed
        x = _sub(low, ~is4 & ~blank & ~junk).str.split(_rx(r"\s*[,;]\s*|\s+"), n=1, regex=True).str[0]
        x = x.str.replace(_rx(r"^\[([0-9a-f:.%a-z]+)\](?::\d+)?$"), r"\1", regex=True)
        x = x.str.replace(_rx(r"^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$"), r"\1", regex=True)
        xr = _o(x)
        # IPv6, per distinct value; IPv4-mapped addresses come back as IPv4 text
        for j in np.flatnonzero(_b(x.str.contains(":", regex=False))):
            i = rest[j]
            val, st, priv = _ip6_one(xr[j])
            if st == "v4":
                xr[j] = val
            else:
                value[i], status[i], private[i] = val, st, priv
        xv[rest] = xr
        is4[rest] = _fm(pd.Series(xr, dtype=object), _V4_RE)

    idx = np.flatnonzero(is4 & ~blank & ~junk)
    if len(idx):
        value[idx], status[idx], private[idx] = _ipv4_block(xv[idx])
    value[status == JUNK] = None
    private[status != OK] = False
    _finish(n, blank, junk, status, value)
    private[blank | junk] = False
    return {"value": value, "status": status, "private": private}


@_accepts_scalar
def normalize_ip(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise IPv4 / IPv6 addresses.

    Rules
    -----
    * canonical text: IPv4 dotted decimal without leading zeros, IPv6 compressed
      lowercase; IPv4-mapped IPv6 (``::ffff:1.2.3.4``) becomes IPv4; a port
      (``1.2.3.4:8080``, ``[2001:db8::1]:443``) is dropped; of a list
      (``X-Forwarded-For``) the first address is kept;
    * **junk**: unspecified (``0.0.0.0/8``, ``::``), loopback (``127.0.0.0/8``,
      ``::1``), multicast, ``255.255.255.255`` and :data:`JUNK_TOKENS`;
    * ``private`` is True for RFC 1918, CGNAT ``100.64.0.0/10``, link-local and IPv6
      ULA/link-local addresses: shared by many users, so weak evidence.

    Parameters
    ----------
    s : Series or scalar
        Raw addresses.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value``, ``status`` (``ok``, ``invalid``, ``junk``, ``missing``),
        ``private`` (bool; False unless ``ok``).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_ip(pd.Series(["223.104.003.7", "192.168.1.20", "2001:DB8:0:0::1",
    ...                         "127.0.0.1", "::ffff:8.8.8.8", "999.1.1.1"]))
              value   status  private
    0   223.104.3.7       ok    False
    1  192.168.1.20       ok     True
    2   2001:db8::1       ok    False
    3           NaN     junk    False
    4       8.8.8.8       ok    False
    5           NaN  invalid    False
    """
    return _by_unique(s, _ip_core, {**_TEXT_SPEC, "private": (bool, False)})


# --------------------------------------------------------------------------------------
# Bank accounts and e-wallets
# --------------------------------------------------------------------------------------

_WALLET_LABEL_RE = re.compile(r"^(?:支付宝|微信|财付通|alipay|wechat|weixin|wx|qq)\s*[:：]\s*", re.I)
_EMAIL_RE = _rx(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}$")
_WALLET_RE = _rx(r"^[a-z0-9_.\-@+]{3,64}$")
_MOBILE_ACCOUNT_RE = _rx(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")


def _account_slow(low: pd.Series) -> dict:
    """Every rule, for values that are not a bare 8-30 digit number (index 0..k-1)."""
    n = len(low)
    labelled = _mt(low, _WALLET_LABEL_RE)
    low = low.str.replace(_WALLET_LABEL_RE, "", regex=True)
    dig, lossy = _float_artefacts(low.str.replace(_rx(r"(?<=\d)[\s\-]+(?=\d)"), "", regex=True))
    digits = _fm(dig, _rx(r"\d+"))
    dlen = dig.str.len().to_numpy()
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    kind = _ofull(n, None)

    def put(mask, vals, k):
        status[mask] = OK
        value[mask] = vals[mask]
        kind[mask] = k

    put(_mt(dig, _WALLET_RE) & (~digits | labelled), _o(dig), "ewallet")
    put(digits & ~labelled & (dlen >= 8) & (dlen <= 30), _o(dig), "bank")
    put(_mt(dig, _EMAIL_RE), _o(dig), "email")
    mob = dig.str.replace(_rx(r"[\s\-()]"), "", regex=True).str.extract(_MOBILE_ACCOUNT_RE)[0]
    put(_b(mob.notna()), _o("+86" + mob), "phone")
    junk = digits & _all_same_char(dig, 2)
    for m in (lossy, _b(dig.str.contains(_rx(r"\d[*]+|[*]+\d")))):  # lossy or masked (6222****1234)
        status[m] = INVALID
        value[m] = None
        kind[m] = None
    return {"value": value, "status": status, "kind": kind, "junk": junk}


def _account_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    # fast paths: a bare 8-30 digit number, of which an 11-digit mobile is a phone
    fast = _fm(low, _rx(r"\d{8,30}"))
    phone = np.zeros(n, dtype=bool)
    phone[fast] = _fm(low[fast], _rx(r"1[3-9]\d{9}"))
    res = {"value": _ofull(n, None), "status": _ofull(n, OK),
           "kind": _ofull(n, None)}
    res["value"][fast] = _o(low[fast])
    res["kind"][fast] = "bank"
    res["value"][phone] = _o("+86" + low[phone])
    res["kind"][phone] = "phone"
    junk[fast] |= _all_same_char(low[fast], 2)
    slow = ~fast & ~blank & ~junk
    if slow.any():
        sub = _account_slow(_sub(low, slow))
        junk[slow] = sub.pop("junk")
        _scatter(res, slow, sub)
    value, status, kind = res["value"], res["status"], res["kind"]
    luhn = _ofull(n, None)
    bank = np.flatnonzero((kind == "bank") & (status == OK))
    if len(bank):
        lens = np.fromiter((len(v) for v in value[bank]), dtype=np.int64, count=len(bank))
        card = bank[(lens >= 16) & (lens <= 19)]
        luhn[card] = _luhn_ok(value[card])
    _finish(n, blank, junk, status, value, kind, luhn)
    return {"value": value, "status": status, "kind": kind, "luhn": luhn}


@_accepts_scalar
def normalize_account(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise bank card / account numbers and e-wallet ids.

    Rules (``kind`` in brackets)
    ----------------------------
    * spaces and dashes between digits, full-width characters and a float ``.0`` are
      removed; lossy scientific notation (``6.22202E+18``) and masked numbers
      (``6222****1234``) are ``invalid``;
    * a mobile number (optionally ``+86``) [``phone``] -> ``+8613812345678``, so
      wallets registered on a phone link to that phone;
    * 8-30 digits [``bank``]; for 16-19 digits ``luhn`` tells whether the Luhn check
      passes -- informational only, many Chinese account numbers do not use it;
    * e-mail addresses [``email``] and other wallet ids (letters, digits, ``_.-@+``,
      3-64 characters, or anything labelled ``支付宝:``/``微信:``/``QQ:``) [``ewallet``]
      are lowercased;
    * one repeated digit and :data:`JUNK_TOKENS` are ``junk``.

    Parameters
    ----------
    s : Series or scalar
        Raw account identifiers.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value``, ``status`` (``ok``, ``invalid``, ``junk``, ``missing``), ``kind``
        (``bank``, ``phone``, ``email``, ``ewallet`` or NA), ``luhn`` (nullable bool,
        set for 16-19 digit bank numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_account(pd.Series(["6222 0212 3456 7890 129", "Zhang.San@QQ.com",
    ...                              "支付宝:138-1234-5678", "6.22202E+18", "0000000000"]))
                     value   status   kind   luhn
    0  6222021234567890129       ok   bank  False
    1     zhang.san@qq.com       ok  email   <NA>
    2       +8613812345678       ok  phone   <NA>
    3                  NaN  invalid    NaN   <NA>
    4                  NaN     junk    NaN   <NA>
    """
    return _by_unique(s, _account_core,
                      {**_TEXT_SPEC, "kind": (_STR, None), "luhn": ("boolean", None)})


# --------------------------------------------------------------------------------------
# Generic keys, hashes, addresses
# --------------------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_PUNCT_RE = re.compile(r"[\W_]+")
_HASH_PREFIX_RE = _rx(r"^(?:md5|sha1|sha-1|sha256|sha-256)\s*[:=]\s*", re.I)


def _text_key_core(raw: pd.Series, kind: str) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    if kind == "text":
        v = t.str.replace(_CJK_SPACE_RE, "", regex=True)
    elif kind == "hash":
        v = low.str.replace(_HASH_PREFIX_RE, "", regex=True).str.replace(_WS_RE, "", regex=True)
        junk |= _b(v.isin(EMPTY_FILE_HASHES)) | (_fm(v, _HEX_RE) & _all_same_char(v, 2))
    else:  # address
        v = low.str.replace(_PUNCT_RE, "", regex=True)
        blank |= _b(v == "") & ~junk
    value = _o(v)
    status = _ofull(n, OK)
    _finish(n, blank, junk, status, value)
    return {"value": value, "status": status}


@_accepts_scalar
def normalize_text_key(s: pd.Series, kind: str = "text") -> pd.DataFrame | dict:
    """Normalise a generic identifier (agent, intermediary, officer, registration agent, hash).

    Rules
    -----
    * always: NFKC, invisible characters dropped, whitespace collapsed and stripped;
      :data:`JUNK_TOKENS` -> ``junk``, blank -> ``missing``;
    * ``kind="text"`` (default): case kept (ids are reported as given), spaces next to
      Chinese characters removed (``张 三`` -> ``张三``);
    * ``kind="hash"``: lowercased, whitespace and an ``md5:``/``sha256:`` prefix
      removed; hashes of the empty file (:data:`EMPTY_FILE_HASHES`) and all-zero
      hashes are ``junk``;
    * ``kind="address"``: a comparison key -- case folded, all whitespace and
      punctuation removed (see :func:`normalize_address_key`).

    Parameters
    ----------
    s : Series or scalar
        Raw values.
    kind : {"text", "hash", "address"}
        Which rules to apply.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value``, ``status`` (``ok``, ``junk``, ``missing``).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_text_key(pd.Series(["  张 律师 ", "Ｌａｗ  Firm", "未知", ""]))
          value   status
    0      张律师       ok
    1  Law Firm       ok
    2       NaN     junk
    3       NaN  missing
    >>> normalize_text_key("SHA256: E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
    ...                    kind="hash")["status"]
    'junk'
    """
    if kind not in ("text", "hash", "address"):
        raise ValueError(f"kind must be 'text', 'hash' or 'address', not {kind!r}")
    return _by_unique(s, functools.partial(_text_key_core, kind=kind), _TEXT_SPEC)


@_accepts_scalar
def normalize_address_key(s: pd.Series) -> pd.Series | str | None:
    """Comparable key of a free-text address (NA when missing or junk).

    NFKC, case folded, whitespace and all punctuation removed, so
    ``"北京市 朝阳区，建国路88号"`` and ``"北京市朝阳区建国路８８号"`` get the same key.

    Parameters
    ----------
    s : Series or scalar
        Raw addresses.

    Returns
    -------
    Series of str (or str/None for a single value)

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_address_key(pd.Series(["北京市 朝阳区，建国路88号", "北京市朝阳区建国路８８号", "无"])).tolist()
    ['北京市朝阳区建国路88号', '北京市朝阳区建国路88号', nan]
    """
    return normalize_text_key(s, kind="address")["value"]


# --------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------

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
    return _by_unique(s, _datetime_core, {"value": ("datetime64[ns]", None), "status": (_STR, MISSING)})


@_accepts_scalar
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

    Parameters
    ----------
    s : Series or scalar
        Raw date-times.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (datetime64[ns], NaT when not ok), ``status`` (``ok``, ``invalid``,
        ``junk``, ``missing``).

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


@_accepts_scalar
def parse_date(s: pd.Series) -> pd.DataFrame | dict:
    """Parse dates; like :func:`parse_datetime` with the time of day dropped.

    Parameters
    ----------
    s : Series or scalar
        Raw dates (any form :func:`parse_datetime` accepts).

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (datetime64[ns] at midnight, NaT when not ok), ``status`` (``ok``,
        ``invalid``, ``junk``, ``missing``).

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


# --------------------------------------------------------------------------------------
# Numbers and booleans
# --------------------------------------------------------------------------------------

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
    return _by_unique(s, functools.partial(_number_core, units=units),
                      {"value": (float, np.nan), "status": (_STR, MISSING)})


@_accepts_scalar
def parse_amount(s: pd.Series) -> pd.DataFrame | dict:
    """Parse CNY amounts.

    Accepted: thousands separators (``1,234.50``), ``¥``/``￥``/``CNY``/``RMB``/
    ``人民币`` and ``元``/``元整``, full-width digits, a sign (``-``, ``−``, trailing
    ``-``), accounting parentheses ``(1,234.50)`` = -1234.5, multipliers ``万``/``w``
    (x 10 000), ``亿`` (x 10^8), ``千``/``k`` (x 1000). Numeric Series pass through.

    Parameters
    ----------
    s : Series or scalar
        Raw amounts.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (float, NaN when not ok), ``status`` (``ok``, ``invalid``, ``junk``,
        ``missing``).

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


@_accepts_scalar
def parse_int(s: pd.Series) -> pd.DataFrame | dict:
    """Parse integers (counts, days past due).

    Like :func:`parse_amount` (separators, full-width digits, ``万``), plus a trailing
    unit ``天/日/个/家/次/人/笔/岁`` (``30天``, ``5家``); the number must be whole
    (``12.0`` is fine, ``12.5`` is ``invalid``).

    Parameters
    ----------
    s : Series or scalar
        Raw integers.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (nullable Int64), ``status`` (``ok``, ``invalid``, ``junk``,
        ``missing``).

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


_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0", "是", "有", "对", "真", "√", "✓", "✔",
                   "已缴", "已缴纳", "已参保", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0", "否", "无", "没有", "错", "假", "×",
                    "✗", "✘", "未缴", "未缴纳", "未参保", "不是", "off"})


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


@_accepts_scalar
def parse_bool(s: pd.Series) -> pd.DataFrame | dict:
    """Parse yes/no flags.

    True: ``true t yes y 1 是 有 对 真 √ ✓ 已缴 已缴纳 已参保 on``; False: ``false f no n
    0 否 无 没有 错 假 × 未缴 未缴纳 未参保 不是 off`` (case-insensitive). Bool Series
    pass through.

    Parameters
    ----------
    s : Series or scalar
        Raw flags.

    Returns
    -------
    DataFrame (or dict for a single value)
        ``value`` (nullable boolean), ``status`` (``ok``, ``invalid``, ``junk``,
        ``missing``).

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
    return _by_unique(s, _bool_core, {"value": ("boolean", None), "status": (_STR, MISSING)})


# --------------------------------------------------------------------------------------
# Fast paths (see _run_core)
# --------------------------------------------------------------------------------------

def _phone_fast(arr) -> tuple[np.ndarray, dict]:
    """Bare or +86-prefixed 11-digit mobiles."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = _pa_match(arr, r"^(?:\+86)?1[3-9][0-9]{9}$")
    nat = pc.utf8_slice_codeunits(arr.filter(pa.array(mask)), -11)
    b = _fixed_width_bytes(nat, 11)
    k = len(b)
    # a listed placeholder, or the last eight digits one repeated digit (_SAME8)
    junk = _same_bytes(b[:, 3:])
    for p in PLACEHOLDER_PHONES:
        junk |= (b == np.frombuffer(p.encode("ascii"), dtype=np.uint8)).all(axis=1)
    value = pc.if_else(pa.array(junk), pa.scalar(None, type=nat.type),
                       pc.binary_join_element_wise("+86", nat, ""))
    status = _ofull(k, OK)
    kind = _ofull(k, "mobile")
    status[junk] = JUNK
    kind[junk] = None
    return mask, {"value": value, "status": status, "kind": kind}


def _check_char_fast(arr, pattern: str, plausible, check_bytes) -> tuple[np.ndarray, object, np.ndarray]:
    """18-character codes matching ``pattern`` and ``plausible``, with OK or BAD_CHECK by their check char.

    ``pattern`` admits only 18 ASCII characters, so the values are read as an
    ``(n, 18)`` byte matrix: ``plausible`` gets it and returns a row mask,
    ``check_bytes`` gets the 17-byte bodies and returns the check character's byte.
    Returns the mask of values taken, those values (a pyarrow array), and their status.
    """
    import pyarrow as pa

    mask = _pa_match(arr, pattern)
    idx = np.flatnonzero(mask)
    sub = arr.filter(pa.array(mask))
    b = _fixed_width_bytes(sub, 18)
    good = plausible(b)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[good]] = True
    b = b[good]
    ok = check_bytes(b[:, :17]) == b[:, 17]
    return mask, sub.filter(pa.array(good)), _pick(ok, OK, BAD_CHECK)


def _same_bytes(b: np.ndarray) -> np.ndarray:
    """Rows of a byte matrix that are one character repeated (:func:`_same_chars`)."""
    return (b == b[:, :1]).all(axis=1)


_ID_PROVINCE_CODES = np.array(sorted(int(p) for p in ID_PROVINCES))
_ID_CHECK_BYTES = np.frombuffer(ID_CHECK_CHARS.encode("ascii"), dtype=np.uint8)
_USCC_BYTES = np.frombuffer(USCC_CHARSET.encode("ascii"), dtype=np.uint8)


def _digits(b: np.ndarray, a: int, z: int) -> np.ndarray:
    """The number written by byte columns ``a:z`` (ASCII digits) of each row."""
    out = b[:, a].astype(np.int64) - 48
    for j in range(a + 1, z):
        out = out * 10 + (b[:, j].astype(np.int64) - 48)
    return out


def _id_plausible(b: np.ndarray) -> np.ndarray:
    """Known province, real birth date (1800-01-01 to today) and not one repeated digit,
    as ``ID_PROVINCES``, :func:`_birth_ok` and :func:`_same_chars` decide."""
    ok = np.isin(_digits(b, 0, 2), _ID_PROVINCE_CODES) & ~_same_bytes(b)
    year, month, day = _digits(b, 6, 10), _digits(b, 10, 12), _digits(b, 12, 14)
    ok &= (year >= 1800) & (month >= 1) & (month <= 12) & (day >= 1)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    ok &= day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    today = np.datetime64(pd.Timestamp.today().normalize().date(), "D")
    ok &= (first + np.where(ok, day - 1, 0)) <= today
    return ok


def _id_check_bytes(bodies: np.ndarray) -> np.ndarray:
    """Check character bytes of 17-digit ID bodies (byte rows), as :func:`_id_check_chars`."""
    return _ID_CHECK_BYTES[((bodies.astype(np.int64) - 48) @ _ID_WEIGHTS) % 11]


def _uscc_check_bytes(bodies: np.ndarray) -> np.ndarray:
    """Check character bytes of 17-character USCC bodies, as :func:`_uscc_check_chars`."""
    return _USCC_BYTES[(31 - (_USCC_LUT[bodies] @ _USCC_WEIGHTS) % 31) % 31]


def _id_fast(arr) -> tuple[np.ndarray, dict]:
    """18-character IDs of a known province and a real birth date."""
    mask, value, status = _check_char_fast(arr, r"^[0-9]{17}[0-9X]$", _id_plausible, _id_check_bytes)
    return mask, {"value": value, "status": status, "flag": _ofull(len(value), None)}


def _uscc_fast(arr) -> tuple[np.ndarray, dict]:
    mask, value, status = _check_char_fast(arr, "^[%s]{18}$" % USCC_CHARSET, lambda b: ~_same_bytes(b),
                                           _uscc_check_bytes)
    return mask, {"value": value, "status": status}


def _device_fast(arr) -> tuple[np.ndarray, dict]:
    """IMEIs, Android ids and dashed UUIDs (hex in either case: the canonical form is lower)."""
    import pyarrow.compute as pc

    mask = _pa_match(arr, r"^(?:[0-9]{15}|[0-9a-fA-F]{15,16}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$")
    idx = np.flatnonzero(mask)
    x = _np_str(pc.ascii_lower(arr.filter(mask)))
    good = ~np.isin(x, list(JUNK_DEVICE_IDS)) & ~_same_chars([v.replace("-", "") for v in x])
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[good]] = True
    x = x[good].astype(object)
    k = len(x)
    isdig = np.fromiter((v.isdigit() for v in x), dtype=bool, count=k)
    flen = np.fromiter((len(v) for v in x), dtype=np.int64, count=k)
    kind = np.select([isdig & (flen == 15), isdig & (flen == 16), flen == 36],
                     ["imei", "imeisv", "uuid"], "android_id").astype(object)
    status = _ofull(k, OK)
    imei = np.flatnonzero(kind == "imei")
    if len(imei):
        status[imei] = np.where(_luhn_ok(x[imei]), OK, BAD_CHECK)
    return mask, {"value": x, "status": status, "kind": kind}


def _ip_fast(arr) -> tuple[np.ndarray, dict]:
    mask = _pa_match(arr, r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$")
    x = _np_str(arr.filter(mask)).astype(object)
    if not len(x):
        return mask, {}
    value, status, private = _ipv4_block(x)
    value[status == JUNK] = None
    private[status != OK] = False
    return mask, {"value": value, "status": status, "private": private}


def _account_fast(arr) -> tuple[np.ndarray, dict]:
    """Bare 8-30 digit numbers (an 11-digit mobile among them is a phone)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = _pa_match(arr, r"^[0-9]{8,30}$")
    idx = np.flatnonzero(mask)
    sub = arr.filter(pa.array(mask))
    lens = np.asarray(pc.binary_length(sub).to_numpy(zero_copy_only=False), dtype=np.int64)
    good = np.ones(len(sub), dtype=bool)
    phone = np.zeros(len(sub), dtype=bool)
    card_ok = np.zeros(len(sub), dtype=bool)
    # one byte matrix per length: repeated digit, bare mobile (1[3-9] + 9 digits), Luhn
    for n in np.unique(lens):
        at = np.flatnonzero(lens == n)
        b = _fixed_width_bytes(sub.filter(pa.array(lens == n)), int(n))
        good[at] = ~_same_bytes(b)
        if n == 11:
            phone[at] = (b[:, 0] == 49) & (b[:, 1] >= 51) & (b[:, 1] <= 57)
        elif 16 <= n <= 19:
            card_ok[at] = _luhn_ok_matrix(b)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[good]] = True
    sub = sub.filter(pa.array(good))
    phone, card_ok, lens = phone[good], card_ok[good], lens[good]
    k = len(sub)
    value = pc.if_else(pa.array(phone), pc.binary_join_element_wise("+86", sub, ""), sub)
    kind = _ofull(k, "bank")
    kind[phone] = "phone"
    luhn = _ofull(k, None)
    card = np.flatnonzero(~phone & (lens >= 16) & (lens <= 19))
    if len(card):
        luhn[card] = card_ok[card]
    return mask, {"value": value, "status": _ofull(k, OK), "kind": kind, "luhn": luhn}


_MOBILE_BARE_RE = _rx(r"1[3-9]\d{9}")
# printable ASCII without quotes/backticks, and CJK unified ideographs: NFKC-stable
# characters that no cleaning rule touches
_SIMPLE_NOSPACE_RE = r"^[!#-&(-_a-~\x{4e00}-\x{9fef}]+$"


def _text_key_fast(arr, kind: str) -> tuple[np.ndarray, dict]:
    """Values that cleaning leaves alone (plain ASCII, or ASCII and CJK without spaces)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "hash":
        return np.zeros(len(arr), dtype=bool), {}
    if kind == "text":  # spaces only between ASCII words: nothing next to a CJK character
        mask = _pa_match(arr, r"^[!#-&(-_a-~]+(?: [!#-&(-_a-~]+)*$") | _pa_match(arr, _SIMPLE_NOSPACE_RE)
    else:
        mask = _pa_match(arr, _SIMPLE_NOSPACE_RE)
    sub = arr.filter(mask)
    low = pc.utf8_lower(sub)
    junk = pc.is_in(low, value_set=pa.array(sorted(JUNK_TOKENS), type=pa.string())).to_numpy(
        zero_copy_only=False).astype(bool)
    if kind == "address":
        v = pc.replace_substring_regex(low, r"[^0-9a-z\x{4e00}-\x{9fef}]+", "")
        empty = _np_str(pc.equal(v, "")).astype(bool)
        bad = junk | empty
    else:
        v = sub
        bad = junk
    idx = np.flatnonzero(mask)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[~bad]] = True
    value = v.filter(pa.array(~bad))  # stays in Arrow (see _by_unique)
    return mask, {"value": value, "status": _ofull(len(value), OK)}


def _fixed_width_bytes(arr, width: int) -> np.ndarray:
    """The bytes of a null-free pyarrow string array whose values all have ``width`` bytes,
    as a ``(len, width)`` uint8 matrix (read from the Arrow buffers, no Python strings)."""
    import pyarrow as pa

    k = len(arr)
    if not k:
        return np.zeros((0, width), dtype=np.uint8)
    big = pa.types.is_large_string(arr.type)
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int64 if big else np.int32)[arr.offset:arr.offset + k + 1]
    if offs[-1] - offs[0] != k * width:
        raise ValueError("values of unequal width")
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return data[offs[0]:offs[-1]].reshape(k, width)


def _iso_datetimes(m: np.ndarray) -> np.ndarray:
    """datetime64[ns] of ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` byte rows (digits where
    the form has digits, year 0001-9999), as ``pd.to_datetime(..., format=...)`` then
    ``.to_numpy(dtype="datetime64[ns]")`` give them: NaT for an impossible date or time,
    and nanoseconds computed in int64 (a year beyond 2262 wraps around as it does there;
    the plausibility window applies afterwards)."""
    def num(a: int, b: int) -> np.ndarray:
        out = m[:, a].astype(np.int64) - 48
        for j in range(a + 1, b):
            out *= 10
            out += m[:, j]
            out -= 48
        return out

    year, month, day = num(0, 4), num(5, 7), num(8, 10)
    if m.shape[1] > 10:
        hour, minute, second = num(11, 13), num(14, 16), num(17, 19)
    else:
        hour = minute = second = np.zeros(len(m), dtype=np.int64)
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (hour < 24) & (minute < 60) & (second < 60)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    ok &= day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    secs = (first.astype(np.int64) + np.where(ok, day - 1, 0)) * 86400 + hour * 3600 + minute * 60 + second
    with np.errstate(over="ignore"):
        out = (secs * np.int64(1_000_000_000)).astype("datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    return out


def _datetime_fast(arr) -> tuple[np.ndarray, dict]:
    """ISO ``YYYY-MM-DD`` and ``YYYY-MM-DD HH:MM:SS`` (a 61st second and year 0000 excluded)."""
    import pyarrow as pa
    import pyarrow.compute as pc

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


def _number_fast(arr, units: bool = False) -> tuple[np.ndarray, dict]:
    """Plain numbers: ``1234.5``, ``-12``, ``1,234.50``."""
    import pyarrow.compute as pc

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


_FAST: dict = {
    _phone_core: _phone_fast,
    _id_core: _id_fast,
    _uscc_core: _uscc_fast,
    _device_core: _device_fast,
    _ip_core: _ip_fast,
    _account_core: _account_fast,
    _text_key_core: _text_key_fast,
    _datetime_core: _datetime_fast,
    _number_core: _number_fast,
}

#: Cores whose fast path runs on every row: cheaper than hashing a column whose values
#: are mostly distinct (time stamps, one person's phone, ID or account); the fast path
#: is vectorised, and the rest is still done once per distinct value.
_ROWWISE = frozenset({_datetime_core, _phone_core, _id_core, _account_core})
