"""Validate raw tables into typed, normalised tables and a full problem report.

Every problem is reported at once, with table, file, row and column. Rules, all
driven by :mod:`graphring.ingest.schema`:

========================  ===========  ==================================================
problem                   severity     what happens to the row
========================  ===========  ==================================================
ragged row                error        rejected (wrong number of fields)
required value missing    error        rejected
required value invalid    error        rejected (unparseable date, amount, identifier)
duplicate key             error        later duplicates rejected, the first kept
unknown borrower          error        rejected (reference to a borrower not loaded)
bad check digit           warning      kept, value kept and flagged (ID, USCC, IMEI)
optional value invalid    warning      kept, that value blanked
junk identifier           warning      kept, that identifier blanked (never a link)
unknown enum value        warning      kept as given
unknown loan reference    warning      kept, ``loan_id`` blanked
========================  ===========  ==================================================

For every table ``loaded + rejected == read``.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "borrowers.csv").write_text(
...     "borrower_id,phone,outstanding\\nB1,138-1234-5678,\\"¥1,234.50\\"\\nB1,13900000001,5\\n",
...     encoding="utf-8")
>>> v = validate_folder(d)
>>> v.tables["borrowers"][["borrower_id", "phone", "outstanding"]].values.tolist()
[['B1', '+8613812345678', 1234.5]]
>>> v.counts.loc["borrowers", ["read", "loaded", "rejected"]].tolist()
[2, 1, 1]
>>> v.problems["code"].tolist()
['duplicate_key']
"""

from __future__ import annotations

import functools
import itertools
import operator
import os
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring import normalize as nz
from graphring.errors import InputError
from graphring.ingest.readers import ROW_COL, Problem, RawData, RawTable, read_folder
from graphring.ingest.schema import TABLE_ORDER, TABLES, Column
from graphring.normalize.core import _STR, _arrow_factorize, _by_unique, _pick
from graphring.normalize.text import _text_key_core

__all__ = ["ValidatedData", "validate_folder", "validate_raw", "PROBLEM_COLUMNS", "MAX_AMOUNT", "max_amount"]

#: The plausible ceiling of one amount, CNY (1 trillion: no loan, balance or payment of a bank's
#: customers comes near; 1e30 or 1e308 is an attack or a broken export). Override with the
#: environment variable ``GRAPHRING_MAX_AMOUNT``.
MAX_AMOUNT = 1e12

PROBLEM_COLUMNS = ["table", "file", "row", "column", "code", "severity", "message", "value"]


@dataclass
class ValidatedData:
    """Typed, normalised tables and everything that was found wrong.

    Attributes
    ----------
    folder : str
        The data folder read.
    tables : dict of str to DataFrame
        Clean tables by contract name; each keeps ``_row`` (spreadsheet row
        number in its file) so evidence can point back to the input.
    files : dict of str to str
        The file (or ``workbook[sheet]``) each table came from.
    problems : DataFrame
        One row per problem: ``table, file, row, column, code, severity, message, value``.
    counts : DataFrame
        Indexed by table: ``file, read, loaded, rejected, warnings``.
    """

    folder: str
    tables: dict[str, pd.DataFrame]
    files: dict[str, str]
    problems: pd.DataFrame
    counts: pd.DataFrame

    @property
    def usable(self) -> bool:
        """True when borrowers were loaded."""
        return "borrowers" in self.tables and len(self.tables["borrowers"]) > 0

    def summary_rows(self) -> list[dict]:
        """Counts per table as plain records (for printing and JSON)."""
        return [dict(table=t, **{k: (int(v) if k != "file" else v) for k, v in r.items()})
                for t, r in self.counts.iterrows()]

    def report(self) -> dict:
        """The whole validation result as a JSON-ready dict."""
        probs = self.problems.astype(object).where(self.problems.notna(), None)
        return {
            "folder": self.folder,
            "usable": self.usable,
            "tables": self.summary_rows(),
            "problem_counts": (self.problems.groupby(["table", "code", "severity"]).size()
                               .rename("n").reset_index().to_dict("records")),
            "problems": probs.to_dict("records"),
        }


# --- column typing -------------------------------------------------------------------

def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype(str).str.strip() == "")


def _per_unique(s: pd.Series, func) -> pd.Series:
    """``func(s)`` for an element-wise ``func``, evaluated once per distinct value.

    The distinct values keep the dtype of ``s`` (pandas string methods differ a little
    between object and arrow strings), and nulls go through ``func`` too.
    """
    if len(s) == 0 or isinstance(s.dtype, pd.CategoricalDtype):
        return func(s)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) * 2 > len(s):
        return func(s)  # mostly distinct: nothing to gain
    u = pd.Series(uniques, dtype=s.dtype)
    if (codes < 0).any():
        u = pd.concat([u, pd.Series([s[s.isna()].iloc[0]], dtype=s.dtype)], ignore_index=True)
        codes = np.where(codes < 0, len(uniques), codes)
    r = func(u)
    out = r.take(codes)
    out.index = s.index
    return out


def _isin(s: pd.Series, values) -> np.ndarray:
    """``s.isin(values)`` as a bool array, for strings through pyarrow's hash set."""
    try:
        arr = _pa_strings(s)
        if arr is None:
            raise TypeError
        if isinstance(values, pa.Array):  # a key set from _key_set
            vs = values if values.type == arr.type else values.cast(arr.type)
        else:
            vs = pa.array(np.asarray(pd.Index(values).dropna(), dtype=object), type=arr.type)
        return np.asarray(pc.is_in(arr, value_set=vs, skip_nulls=True).to_numpy(zero_copy_only=False),
                          dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        if isinstance(values, pa.Array):
            values = values.to_pandas(types_mapper=None).to_numpy(dtype=object)
        return s.isin(values).to_numpy(dtype=bool)


def _key_set(s: pd.Series):
    """The distinct non-null values of a key column, for :func:`_isin`: a pyarrow
    array (built once, not once per referring column) or, for non-strings, an Index."""
    arr = _pa_strings(s)
    if arr is None:
        return pd.Index(s.dropna())
    return pc.unique(arr.drop_null())


# printable ASCII, no quotes/backticks, single inner spaces (normalize's _PLAIN_RE): strip
# and NFKC leave it as it is, and only its lower-case form can make it a junk token
_PLAIN_PATTERN = r"^[!#-&(-_a-~]+(?: [!#-&(-_a-~]+)*$"
_ASCII_JUNK = sorted(t for t in nz.JUNK_TOKENS if t.isascii())


def _pa_strings(s: pd.Series):
    """``s`` as a pyarrow string array (zero-copy for Arrow-backed strings), or None."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return s.array.__arrow_array__()
    try:
        return pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None


def _norm_str_uniques(u: pd.Series, norm, ident: bool) -> tuple[pd.Series, np.ndarray | None]:
    """``norm(u)`` and (for identifiers) its junk mask, for distinct raw values ``u``.

    Plain printable-ASCII values (most identifiers) are their own normal form and are
    junk only as a lower-cased :data:`~graphring.normalize.JUNK_TOKENS` entry: pyarrow
    finds them; ``norm`` and :func:`~graphring.normalize.is_junk` run on the rest.
    """

    def slow(x: pd.Series) -> tuple[pd.Series, np.ndarray | None]:
        xv = norm(x)
        xj = (xv.notna() & nz.is_junk(xv).astype(bool)).to_numpy() if ident else None
        return xv, xj

    if len(u) < 64 or not (isinstance(u.dtype, pd.StringDtype) and u.dtype.storage == "pyarrow"):
        return slow(u)
    arr = _pa_strings(u)
    plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_PATTERN), False)
    plain = np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool)
    if not plain.any():
        return slow(u)
    vals = u.to_numpy(dtype=object)
    uj = None
    if ident:
        low = pc.ascii_lower(pc.filter(arr, pa.array(plain)))
        uj = np.zeros(len(u), dtype=bool)
        uj[plain] = pc.is_in(low, value_set=pa.array(_ASCII_JUNK, type=low.type)).to_numpy(
            zero_copy_only=False).astype(bool)
    rest = ~plain
    if rest.any():
        rv, rj = slow(u[rest].reset_index(drop=True))
        vals[rest] = rv.to_numpy(dtype=object)
        if ident:
            uj[rest] = rj
    return pd.Series(vals, dtype=object), uj


def _str_column_arrow(s: pd.Series, norm, ident: bool) -> tuple[pd.Series, pd.Series | None] | None:
    """The ``str`` column path of :func:`_normalise_column` for Arrow-backed strings, in
    Arrow: plain values (see :func:`_norm_str_uniques`) are their own normal form, so
    only the other distinct values go through ``norm``. Returns (values, junk mask or
    None, (codes, distinct normalised values) with ``values == distinct[codes]`` before
    junk is blanked), or None where the general path is needed (few or no plain
    values, no value).
    """
    enc = _arrow_factorize(s)
    if enc is None:
        return None
    codes, uarr = enc
    k = len(uarr)
    if k + int((codes < 0).any()) < 64:
        return None
    plain = np.asarray(pc.fill_null(pc.match_substring_regex(uarr, _PLAIN_PATTERN), False)
                       .to_numpy(zero_copy_only=False), dtype=bool)
    if not plain.any():
        return None
    uj = np.zeros(k + 1, dtype=bool)  # the last slot: null rows (never junk)
    if ident:
        low = pc.ascii_lower(uarr.filter(pa.array(plain)))
        uj[:k][plain] = np.asarray(pc.is_in(low, value_set=pa.array(_ASCII_JUNK, type=low.type))
                                   .to_numpy(zero_copy_only=False), dtype=bool)
    rest = ~plain
    uvals = uarr.cast(pa.large_string())
    if rest.any():
        xv = norm(pd.Series(pd.array(uarr.filter(pa.array(rest)), dtype=s.dtype)))
        if ident:
            uj[:k][rest] = (xv.notna() & nz.is_junk(xv).astype(bool)).to_numpy()
        vals = np.asarray(uarr.to_numpy(zero_copy_only=False), dtype=object)
        vals[rest] = xv.to_numpy(dtype=object)
        try:
            uvals = pa.array(vals, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return None
    codes = np.where(codes < 0, k, codes)
    taken = pa.concat_arrays([uvals, pa.nulls(1, type=pa.large_string())]).take(pa.array(codes))
    if taken.null_count == len(taken):
        return None  # no value at all: the general path gives its object dtype
    v = pd.Series(pd.array(taken, dtype=_STR), index=s.index)
    distinct = pa.concat_arrays([uvals, pa.nulls(1, type=pa.large_string())])
    return v, (pd.Series(uj[codes], index=s.index) if ident else None), (codes, distinct)


def _normalise_column(col: Column, s: pd.Series,
                      info: dict | None = None) -> tuple[pd.Series, pd.Series, pd.DataFrame | None]:
    """Return (values, status, extra columns) for one column.

    ``info``, if given, receives ``"factor"``: (codes, distinct values as a pyarrow
    array) with ``values == distinct[codes]`` wherever ``values`` is not null, when the
    column was normalised that way (reference checks then look up distinct values only).

    status is one of ok, missing, junk, invalid, bad_check, unknown_choice.
    """
    t = col.type
    extra = None
    if t == "phone":
        r = nz.normalize_phone(s)
        extra = pd.DataFrame({f"{col.name}_kind": r["kind"]})
    elif t == "id_number":
        r = nz.normalize_id_number(s)
    elif t == "uscc":
        r = nz.normalize_uscc(s)
    elif t == "device":
        r = nz.normalize_device_id(s)
    elif t == "ip":
        r = nz.normalize_ip(s)
        if "private" in r:
            extra = pd.DataFrame({f"{col.name}_private": r["private"]})
    elif t == "account":
        r = nz.normalize_account(s)
    elif t == "key":
        r = nz.normalize_text_key(s)
    elif t == "address":
        # as normalize_text_key(s) and normalize_address_key(s); addresses are mostly
        # distinct, so the fast paths run on every row instead of hashing the column
        r = _by_unique(s, functools.partial(_text_key_core, kind="text"), rowwise=True)
        # the displayable address keeps its own spelling; the key is for linking
        key = _by_unique(s, functools.partial(_text_key_core, kind="address"), rowwise=True)
        extra = pd.DataFrame({f"{col.name}_key": key["value"]})
        r = pd.DataFrame({"value": s.where(~_blank(s)).astype(object).str.strip(), "status": r["status"]})
    elif t == "attachments":
        return _attachments(s)
    elif t == "date":
        r = nz.parse_date(s)
    elif t == "datetime":
        r = nz.parse_datetime(s)
    elif t == "amount":
        r = nz.parse_amount(s)
        # every amount of the contract is a size (balance, loan, salary, payment): never negative or infinite
        v = pd.to_numeric(r["value"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        # (beyond the ceiling, either sign, is max_amount's implausible_amount, flagged after this)
        bad = (v < 0) & (np.abs(v) <= max_amount())
        if bad.any():
            r = pd.DataFrame({"value": np.where(bad, np.nan, v), "status": np.where(bad, "invalid", r["status"])})
    elif t == "int":
        r = nz.parse_int(s)
    elif t == "bool":
        r = nz.parse_bool(s)
    elif t == "enum":
        v = _per_unique(s, lambda x: x.astype(object).where(~_blank(x)).str.strip().str.lower())
        status = pd.Series(_pick(v.isna(), "missing", "ok"), index=s.index, dtype=object)
        if col.choices:
            status[v.notna().to_numpy() & ~_isin(v, col.choices)] = "unknown_choice"
        return v, status, None
    elif t == "text":
        v = s.astype(object).where(~_per_unique(s, _blank))
        return v, pd.Series(_pick(v.isna(), "missing", "ok"), index=s.index, dtype=object), None
    else:  # "str"

        def norm(x: pd.Series) -> pd.Series:
            v = x.astype(object).where(~_blank(x)).str.strip()
            if v.notna().any():
                u = pd.unique(v.dropna())
                m = {y: unicodedata.normalize("NFKC", y) for y in u}
                v = v.map(m)
            return v

        ident = bool(col.required or col.ref or col.entity)
        if isinstance(s.dtype, pd.CategoricalDtype) or len(s) == 0:
            v = norm(s)
            junk = (v.notna() & nz.is_junk(v).astype(bool)) if ident else None
        elif (fast := _str_column_arrow(s, norm, ident)) is not None:
            v, junk, factor = fast
            if info is not None:
                info["factor"] = factor
        else:  # once per distinct raw value
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
            u = pd.Series(uniques, dtype=s.dtype)
            if (codes < 0).any():
                u = pd.concat([u, pd.Series([s[s.isna()].iloc[0]], dtype=s.dtype)], ignore_index=True)
                codes = np.where(codes < 0, len(uniques), codes)
            uv, uj = _norm_str_uniques(u, norm, ident)
            if ident:
                junk = pd.Series(uj.take(codes), index=s.index)
            v = pd.Series(uv.array.take(codes), index=s.index)  # the dtype norm() gives
        status = pd.Series(_pick(v.isna(), "missing", "ok"), index=s.index, dtype=object)
        if ident:
            # an identifier: a placeholder (无, N/A, unknown) never becomes a key or a link
            if junk.any():
                status[junk] = "junk"
                v = v.where(~junk)
        return v, status, None
    r.index = s.index
    if extra is not None:
        extra.index = s.index
    return r["value"], r["status"], extra


def _attachments(s: pd.Series) -> tuple[pd.Series, pd.Series, None]:
    """Split ``;``-separated hashes, normalise each, rejoin sorted with ``;``."""
    blank = _blank(s)
    parts = (s.where(~blank).astype(object).str.replace(r"[，,；、|\s]+", ";", regex=True)
             .str.split(";").explode())
    parts = parts[parts.notna() & (parts != "")]
    if len(parts):
        r = nz.normalize_text_key(parts.astype(str), kind="hash")  # empty-file hashes are junk
        r.index = parts.index
        ok = r[r["status"] == "ok"]["value"].str.lower()
        # per row: its distinct hashes, sorted, joined with ";" (one sort for all rows)
        pairs = sorted(set(zip(ok.index.tolist(), ok.to_numpy(dtype=object).tolist())))
        rows, texts = [], []
        for row, grp in itertools.groupby(pairs, key=operator.itemgetter(0)):
            rows.append(row)
            texts.append(";".join(h for _, h in grp))
        joined = pd.Series(texts, index=pd.Index(rows, dtype=ok.index.dtype), dtype=object)
        v = pd.Series(joined, index=s.index, dtype=object)
    else:
        v = pd.Series(np.nan, index=s.index, dtype=object)
    status = pd.Series(_pick(v.isna(), "missing", "ok"), index=s.index, dtype=object)
    status[~blank & v.isna()] = "junk"
    return v, status, None


# --- validation ------------------------------------------------------------------------

def _problems(name: str, raw: RawTable, mask: pd.Series, frame: pd.DataFrame, column: str | None,
              code: str, severity: str, message: str, values: pd.Series | None = None) -> pd.DataFrame:
    idx = mask[mask].index
    vals = None
    if values is not None:
        vals = values.loc[idx].astype(str).str.slice(0, 60).to_numpy()
    return pd.DataFrame({
        "table": name, "file": raw.file, "row": frame.loc[idx, ROW_COL].to_numpy(),
        "column": column, "code": code, "severity": severity, "message": message,
        "value": vals if vals is not None else None,
    })


def _column_jobs(raw: RawTable) -> list[tuple[str, object, pd.Series]]:
    """The per-column work of one table, as ``(name, column spec or None, raw values)``.

    ``None`` stands for an extra (``x:``) column, which is only blanked.
    """
    df = raw.frame
    jobs = [(col.name, col, df[col.name]) for col in TABLES[raw.name].columns if col.name in df.columns]
    jobs += [(c, None, df[c]) for c in df.columns if c.startswith("x:")]
    return jobs


def _run_job(col: Column | None, s: pd.Series):
    """One column's normalisation, with its status factorised: ``(values, status, extra,
    status codes, {status: code}, factorisation or None)`` (see :func:`_normalise_column`);
    an extra column's blanked values. No shared state: safe on a worker thread."""
    if col is None:
        return s.where(~_per_unique(s, _blank))
    info: dict = {}
    values, status, extra = _normalise_column(col, s, info)
    st_codes, st_names = pd.factorize(status, use_na_sentinel=True)
    st_index = {str(name): i for i, name in enumerate(st_names) if isinstance(name, str)}
    return values, status, extra, np.asarray(st_codes), st_index, info.get("factor")


def max_amount(environ: dict | None = None) -> float:
    """The amount ceiling: ``GRAPHRING_MAX_AMOUNT`` when set (a positive number), else :data:`MAX_AMOUNT`.

    Examples
    --------
    >>> max_amount({}), max_amount({"GRAPHRING_MAX_AMOUNT": "5e9"})
    (1000000000000.0, 5000000000.0)
    >>> max_amount({"GRAPHRING_MAX_AMOUNT": "lots"})
    Traceback (most recent call last):
    ...
    graphring.errors.InputError: GRAPHRING_MAX_AMOUNT must be a positive number of CNY (e.g. 1e12), not 'lots'
    """
    env = os.environ if environ is None else environ
    raw = env.get("GRAPHRING_MAX_AMOUNT")
    if raw is None or not str(raw).strip():
        return float(MAX_AMOUNT)
    try:
        v = float(raw)
    except ValueError:
        v = float("nan")
    if not np.isfinite(v) or v <= 0:
        raise InputError(f"GRAPHRING_MAX_AMOUNT must be a positive number of CNY (e.g. 1e12), not {str(raw)[:40]!r}")
    return v


def _validate_table(raw: RawTable, loaded_keys: dict[str, object],
                    done: dict[str, object] | None = None) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    name = raw.name
    spec = TABLES[name]
    df = raw.frame
    if done is None:
        done = {c: _run_job(col, s) for c, col, s in _column_jobs(raw)}
    out = pd.DataFrame({ROW_COL: df[ROW_COL].astype("int64").to_numpy()}, index=df.index)
    reject = pd.Series(False, index=df.index)
    probs: list[pd.DataFrame] = []
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        values, status, extra, st_codes, st_index, _ = done[col.name]

        def status_is(name: str, _c=st_codes, _i=st_index) -> pd.Series:
            return pd.Series(_c == _i.get(name, -2), index=df.index)

        out[col.name] = values
        if extra is not None:
            for c in extra.columns:
                out[c] = extra[c]
        if col.required:
            bad = status_is("missing") | status_is("junk") | status_is("invalid")
            for st, code, what in (("missing", "missing_value", "required value missing"),
                                   ("junk", "junk_identifier", "required value is a junk identifier"),
                                   ("invalid", "invalid_value", f"not a valid {col.type}")):
                m = status_is(st)
                if m.any():
                    probs.append(_problems(name, raw, m, df, col.name, code, "error",
                                           f"{what}; row rejected", s if st != "missing" else None))
            reject |= bad
        else:
            m = status_is("invalid")
            if m.any():
                probs.append(_problems(name, raw, m, df, col.name, "invalid_value", "warning",
                                       f"not a valid {col.type}; value blanked", s))
                out.loc[m, col.name] = None
            m = status_is("junk")
            if m.any():
                probs.append(_problems(name, raw, m, df, col.name, "junk_identifier", "warning",
                                       "junk identifier; blanked, never a link", s))
                out.loc[m, col.name] = None
        if col.type == "amount":  # finite but implausible (1e30, 1e308): flagged per row, never summed to inf
            ceiling = max_amount()
            amt = pd.to_numeric(pd.Series(out[col.name].to_numpy(), index=df.index), errors="coerce")
            m = amt.abs() > ceiling
            if m.any():
                what = f"amount above the plausible ceiling of ¥{ceiling:,.0f} (GRAPHRING_MAX_AMOUNT)"
                if col.required:
                    probs.append(_problems(name, raw, m, df, col.name, "implausible_amount", "error",
                                           f"{what}; row rejected", s))
                    reject |= m
                else:
                    probs.append(_problems(name, raw, m, df, col.name, "implausible_amount", "warning",
                                           f"{what}; value blanked", s))
                    out.loc[m, col.name] = None
        m = status_is("bad_check")
        if m.any():
            probs.append(_problems(name, raw, m, df, col.name, "bad_check_digit", "warning",
                                   f"{col.type} check digit/character is wrong; kept and flagged", s))
            out[f"{col.name}_check_ok"] = ~m
        m = status_is("unknown_choice")
        if m.any():
            probs.append(_problems(name, raw, m, df, col.name, "unknown_choice", "warning",
                                   f"not one of {', '.join(col.choices)}; kept as given", s))
    for c in df.columns:
        if c.startswith("x:"):
            out[c] = done[c]
    # references (only to tables validated before this one)
    for col in spec.columns:
        if not col.ref or col.name not in out.columns:
            continue
        rt, rc = col.ref.split(".")
        if rt not in loaded_keys:
            if col.required and rt == "borrowers":
                continue
            continue
        present = out[col.name].notna() & ~reject
        factor = done[col.name][5]
        if factor is not None and isinstance(loaded_keys[rt], pa.Array):
            # present values are the column's distinct normalised values: look those up
            codes, distinct = factor
            keys = loaded_keys[rt]
            hit = np.asarray(pc.is_in(distinct, value_set=keys.cast(distinct.type), skip_nulls=True)
                             .to_numpy(zero_copy_only=False), dtype=bool)[codes]
        else:
            hit = _isin(out[col.name], loaded_keys[rt])
        unknown = present & ~pd.Series(hit, index=out.index)
        if unknown.any():
            if col.required:
                probs.append(_problems(name, raw, unknown, df, col.name, "unknown_reference", "error",
                                       f"refers to a {rt[:-1]} not loaded; row rejected", out[col.name]))
                reject |= unknown
            else:
                probs.append(_problems(name, raw, unknown, df, col.name, "unknown_reference", "warning",
                                       f"refers to a {rt[:-1]} not loaded; value blanked", out[col.name]))
                out.loc[unknown, col.name] = None
    # duplicate keys: first occurrence kept
    if spec.key:
        k = spec.key[0]
        dup = out[k].notna() & ~reject & out[k].where(~reject).duplicated(keep="first")
        if dup.any():
            first_row = out[~reject].drop_duplicates(k).set_index(k)[ROW_COL]
            msg_rows = out.loc[dup, k].map(first_row)
            p = _problems(name, raw, dup, df, k, "duplicate_key", "error", "", out[k])
            p["message"] = ("duplicate " + k + "; first seen on row " + msg_rows.astype(str).to_numpy()
                            + "; row rejected")
            probs.append(p)
            reject |= dup
    clean = out[~reject].reset_index(drop=True)
    return clean, probs


def _normalise_all(tables: list[RawTable], workers: int = 2) -> dict[str, dict[str, object]]:
    """Every column of every table normalised, on ``workers`` threads.

    The columns are independent and most of the work (pyarrow kernels, numpy, pandas'
    hashing) runs without the GIL. Results are collected by table and column, so
    they do not depend on which thread ran what.
    """
    jobs = [(t.name, c, col, s) for t in tables for c, col, s in _column_jobs(t)]
    out: dict[str, dict[str, object]] = {t.name: {} for t in tables}
    total = sum(len(s) for *_, s in jobs)
    if workers < 2 or len(jobs) < 2 or total < 20000:
        for t, c, col, s in jobs:
            out[t][c] = _run_job(col, s)
        return out

    # longest first, so the two threads finish together
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][3]))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphring-validate") as ex:
        futs = {i: ex.submit(_run_job, jobs[i][2], jobs[i][3]) for i in order}
        for i, (t, c, _, _) in enumerate(jobs):
            out[t][c] = futs[i].result()
    return out


def validate_raw(raw: RawData) -> ValidatedData:
    """Validate tables already read by :func:`graphring.ingest.readers.read_folder`."""
    tables: dict[str, pd.DataFrame] = {}
    keys: dict[str, object] = {}
    probs: list[pd.DataFrame] = []
    if raw.problems:
        probs.append(pd.DataFrame([p.as_dict() for p in raw.problems], columns=PROBLEM_COLUMNS))
    counts = {}
    names = [n for n in TABLE_ORDER if n in raw.tables]
    done = _normalise_all([raw.tables[n] for n in names])
    for name in names:
        rt = raw.tables[name]
        clean, p = _validate_table(rt, keys, done[name])
        tables[name] = clean
        probs.extend(p)
        spec = TABLES[name]
        if spec.key:
            keys[name] = _key_set(clean[spec.key[0]])
        counts[name] = {"file": rt.file, "read": rt.read, "loaded": len(clean),
                        "rejected": rt.read - len(clean)}
    problems = (pd.concat([p for p in probs if len(p)], ignore_index=True) if any(len(p) for p in probs)
                else pd.DataFrame(columns=PROBLEM_COLUMNS))
    problems = problems[PROBLEM_COLUMNS]
    problems["row"] = problems["row"].astype("Int64")
    problems = problems.sort_values(["table", "row", "column"], kind="stable", na_position="first")
    problems = problems.reset_index(drop=True)
    cdf = pd.DataFrame.from_dict(counts, orient="index")
    if len(cdf):
        warn = problems[problems["severity"] == "warning"].groupby("table").size()
        cdf["warnings"] = warn.reindex(cdf.index).fillna(0).astype(int)
    else:
        cdf = pd.DataFrame(columns=["file", "read", "loaded", "rejected", "warnings"])
    return ValidatedData(raw.folder, tables, dict(raw.files), problems, cdf)


def validate_folder(folder: str | Path, mapping=None) -> ValidatedData:
    """Read and validate a data folder.

    Parameters
    ----------
    folder : path
        The data folder (see ``DATA_CONTRACT.md``).
    mapping : path or dict, optional
        Header mapping file ``{table: {their_header: contract_name}}``.

    Returns
    -------
    ValidatedData

    Raises
    ------
    graphring.errors.InputError
        When the data cannot be used at all (not a folder, no borrowers table,
        a required column missing, an unreadable file); the message lists every
        such problem.
    """
    return validate_raw(read_folder(folder, mapping))
