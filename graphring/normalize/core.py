"""The machinery every normaliser shares: statuses, junk, cleaning, once per distinct value.

A normaliser is written as a *core*, a function from the distinct raw texts of a
column (an object Series, index ``0..k-1``) to a dict of numpy arrays, one per
output column. :func:`_per_unique` registers a core with its output columns, its
fast path (the canonical forms most values take, done in pyarrow) and whether that
fast path runs on every row; :func:`_by_unique` then evaluates a Series: each
distinct value once, broadcast back to the rows. :func:`_normaliser` makes the
public function of a core take one value, a list or a Series, and writes the
Parameters and Returns sections its docstring shares with every other normaliser.

The kind modules (:mod:`~graphring.normalize.phones`, :mod:`~graphring.normalize.ids`,
:mod:`~graphring.normalize.devices`, :mod:`~graphring.normalize.text`,
:mod:`~graphring.normalize.dates`, :mod:`~graphring.normalize.numbers`,
:mod:`~graphring.normalize.flags`) use these helpers; the underscore names are
private to the package.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


#: What a normaliser returns (the Returns section of most docstrings).
_FRAME = "DataFrame (or dict for a single value)"


def _normaliser(raw: str, returns: str | None, result: str = _FRAME, params: str = "") -> Callable:
    """Decorator of a public normaliser: :func:`_accepts_scalar`, and the docstring's
    Parameters and Returns sections (every normaliser takes ``s``, a Series or scalar).

    Parameters
    ----------
    raw : str
        What ``s`` holds (``"Raw phone numbers."``); ``"\\n"`` breaks the line.
    returns : str or None
        The description of the result, or None for none.
    result : str
        The type of the result.
    params : str
        Further parameters, as numpydoc lines (``"kind : {...}\\n    Which rules."``).

    Returns
    -------
    callable
        The decorator; the sections go before the docstring's Examples.
    """
    def lines(text: str | None, indent: int) -> list[str]:
        return [" " * indent + t if t else "" for t in text.split("\n")] if text else []

    def decorate(func: Callable) -> Callable:
        head, examples, tail = func.__doc__.partition("    Examples\n")
        if not examples:
            raise ValueError(f"{func.__name__}: no Examples section to put Parameters before")
        sections = ["    Parameters", "    ----------", "    s : Series or scalar", *lines(raw, 8),
                    *lines(params, 4), "", "    Returns", "    -------", *lines(result, 4), *lines(returns, 8), "", ""]
        func.__doc__ = head + "\n".join(sections) + examples + tail
        return _accepts_scalar(func)

    return decorate


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

_HEX_RE = _rx(r"^[0-9a-f]+$")

_MOBILE_BARE_RE = _rx(r"1[3-9]\d{9}")


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


def _slow_rest(res: dict, todo: np.ndarray, slow: Callable, x: pd.Series, junk: np.ndarray) -> tuple:
    """The rows ``todo`` of a core's result ``res`` (``value``, ``status``, ``kind``) done by its slow path.

    ``slow(x[todo])`` (index 0..k-1) is written into ``res`` at ``todo``, and the
    ``junk`` mask it may return into ``junk``. Returns ``res``'s value, status and kind.
    """
    if todo.any():
        sub = slow(_sub(x, todo))
        if "junk" in sub:
            junk[todo] = sub.pop("junk")
        for k, v in sub.items():
            res[k][todo] = v
    return res["value"], res["status"], res["kind"]


def _kinds(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, Callable]:
    """``status`` (``invalid``), ``value`` and ``kind`` (None) for ``n`` values of a slow path, and
    ``put(mask, vals, k)``: the rows of ``mask`` are ``ok`` with ``vals[mask]`` of kind ``k`` (later calls win)."""
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    kind = _ofull(n, None)

    def put(mask, vals, k):
        status[mask] = OK
        value[mask] = vals[mask]
        kind[mask] = k

    return status, value, kind, put


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


_TEXT_SPEC = {"value": (_STR, None), "status": (_STR, MISSING)}


#: The output columns of each registered core, its fast path (see :func:`_run_core`), and
#: the cores whose fast path runs on every row: cheaper than hashing a column whose values
#: are mostly distinct (time stamps, one person's phone, ID or account); the fast path
#: is vectorised, and the rest is still done once per distinct value.
_SPECS: dict[Callable, dict[str, tuple]] = {}
_FAST: dict[Callable, Callable] = {}
_ROWWISE: set[Callable] = set()


def _per_unique(spec: dict[str, tuple], fast: Callable | None = None, rowwise: bool = False) -> Callable:
    """Register a core for :func:`_by_unique`: its output columns, fast path and row-wise flag.

    Parameters
    ----------
    spec : dict
        Output column -> ``(dtype, fill)``; ``fill`` is the value of null rows.
    fast : callable, optional
        ``fast(arr, **kwargs) -> (mask, columns)`` for a null-free pyarrow string array:
        the values it takes (``mask``) and their columns, exactly as the core gives them.
    rowwise : bool
        Run the fast path on every row of an Arrow string column (see :func:`_by_unique`).

    Returns
    -------
    callable
        A decorator that returns the core unchanged.
    """
    def register(core: Callable) -> Callable:
        _SPECS[core] = spec
        if fast is not None:
            _FAST[core] = fast
        if rowwise:
            _ROWWISE.add(core)
        return core

    return register


def _by_unique(s: pd.Series, core: Callable[[pd.Series], dict], spec: dict[str, tuple] | None = None,
               rowwise: bool | None = None) -> pd.DataFrame:
    """Evaluate ``core`` once per distinct non-null value and broadcast to the rows.

    ``core`` gets an object Series of raw text (one row per distinct value) and returns
    a dict of numpy arrays; ``spec`` (default: the one ``core`` was registered with,
    see :func:`_per_unique`) maps each output column to ``(dtype, fill)`` where
    ``fill`` is the value used for null rows (their status is ``missing``).
    ``rowwise`` (default: as registered) runs the fast path on every
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
    spec = _SPECS[key] if spec is None else spec
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
    return isinstance(x, pa.Array)


def _take_arrow_strings(col, codes: np.ndarray):
    """As :func:`_take_strings` for distinct values already in a pyarrow string array
    (code ``len(col)`` is a null row); None when Arrow-backed strings are not in use."""
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
    if _STR.storage != "pyarrow":
        return None
    try:
        uniq = pa.array(arr, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None
    return pd.array(uniq.take(pa.array(codes)), dtype=_STR)


def _run_core(core: Callable, texts: pd.Series | None, spec: dict, arr=None, distinct: bool = True) -> dict:
    """``core(texts)``, with the values a fast path takes done by that fast path.

    The distinct texts come as an object Series ``texts`` or as a null-free pyarrow
    string array ``arr`` (then only the values the fast path leaves become Python
    strings). ``distinct=False``: ``arr`` may repeat values (a fast path in
    :data:`_ROWWISE`); the core then gets the distinct ones it is left, in order of
    first appearance, as it would from distinct input.
    """
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


def _pa_strings(t: pd.Series):
    return pa.array(t.to_numpy(dtype=object), type=pa.string())


def _pa_match(arr, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False).astype(bool)


def _np_str(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def _same_chars(vals) -> np.ndarray:
    """True where a string is one character repeated (at least twice)."""
    return np.fromiter((len(v) >= 2 and v.count(v[0]) == len(v) for v in vals), dtype=bool, count=len(vals))


def _same_bytes(b: np.ndarray) -> np.ndarray:
    """Rows of a byte matrix that are one character repeated (:func:`_same_chars`)."""
    return (b == b[:, :1]).all(axis=1)


def _digits(b: np.ndarray, a: int, z: int) -> np.ndarray:
    """The number written by byte columns ``a:z`` (ASCII digits) of each row."""
    out = b[:, a].astype(np.int64) - 48
    for j in range(a + 1, z):
        out = out * 10 + (b[:, j].astype(np.int64) - 48)
    return out


def _day_in_month(year: np.ndarray, month: np.ndarray, day: np.ndarray,
                  ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``ok`` and ``day`` within its month (``month`` 1-12 where ``ok``), and the first day
    of each month as datetime64[D] (1970-01-01 where not ``ok``)."""
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    return ok & (day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)), first


def _fixed_width_bytes(arr, width: int) -> np.ndarray:
    """The bytes of a null-free pyarrow string array whose values all have ``width`` bytes,
    as a ``(len, width)`` uint8 matrix (read from the Arrow buffers, no Python strings)."""
    k = len(arr)
    if not k:
        return np.zeros((0, width), dtype=np.uint8)
    big = pa.types.is_large_string(arr.type)
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int64 if big else np.int32)[arr.offset:arr.offset + k + 1]
    if offs[-1] - offs[0] != k * width:
        raise ValueError("values of unequal width")
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return data[offs[0]:offs[-1]].reshape(k, width)


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


@_normaliser("Raw values.",
             "True for nulls, blank strings and :data:`JUNK_TOKENS` (case-insensitive,\n"
             "after NFKC and stripping).",
             result="Series of bool (or bool for a single value)")
def is_junk(s: pd.Series) -> pd.Series | bool:
    """True where a value carries no information: null, blank or a placeholder token.

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
