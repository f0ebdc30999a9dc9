"""Read a data folder into raw string tables, one per contract table.

A data folder holds one file per table, named after the table in English or
Chinese (``borrowers.csv``, ``借款人.xlsx``, ``payments.parquet``), or one
workbook ``data.xlsx`` with a sheet per table. CSV encodings (UTF-8, UTF-8 with
BOM, UTF-16 with BOM, GB18030/GBK) and delimiters (comma, tab, semicolon, pipe)
are detected. Headers are matched against the contract names and Chinese
aliases of :mod:`graphring.ingest.schema`, after a user mapping if one is given.

Every value is read as a string; typing and normalisation are the job of
:mod:`graphring.ingest.validate`. Each row keeps ``_row``, its row number as a
spreadsheet shows it (the header is row 1, the first data row is row 2).

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "借款人.csv").write_bytes("客户号,手机号\\nB1,13812345678\\n".encode("gb18030"))
>>> raw = read_folder(d)
>>> raw.tables["borrowers"].frame[["borrower_id", "phone", "_row"]].values.tolist()
[['B1', '13812345678', 2]]
>>> raw.tables["borrowers"].encoding
'gb18030'
"""

from __future__ import annotations

import contextvars
import csv
import io
import os
import re
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import charset_normalizer as cn
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from graphring.errors import InputError, MappingError, MissingExtraError
from graphring.files.safecsv import restore_frame
from graphring.ingest.limits import LimitError, exceeded, limit
from graphring.ingest.schema import TABLES, fold_header, table_for_stem

__all__ = ["RawTable", "RawData", "Problem", "read_folder", "read_table", "read_sheets", "file_tables", "match_headers",
           "read_notes", "load_mapping", "SUFFIXES", "ROW_COL"]

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")
ROW_COL = "_row"

# The csv module refuses fields over 128 KiB by default; a long complaint text is not an
# error (pandas reads it). Only ever raised, never lowered.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


@dataclass
class Problem:
    """One problem found in the input, located by file, row and column.

    ``severity`` is ``"fatal"`` (the data cannot be used), ``"error"`` (the row
    is rejected) or ``"warning"`` (the row is kept; the value may be blanked).
    """

    table: str
    file: str
    row: int | None
    column: str | None
    code: str
    severity: str
    message: str
    value: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RawTable:
    """One table as read: string columns named by contract name, plus ``_row``."""

    name: str
    file: str
    frame: pd.DataFrame
    read: int
    encoding: str | None = None
    unknown_columns: list[str] = field(default_factory=list)
    ragged_rows: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RawData:
    """All tables found in a folder, and the problems met while reading."""

    folder: str
    tables: dict[str, RawTable]
    problems: list[Problem]
    files: dict[str, str] = field(default_factory=dict)


def load_mapping(path: str | Path | None) -> dict[str, dict[str, str]]:
    """Load a header mapping file ``{table: {their_header: contract_name}}``.

    YAML or JSON. Unknown tables or contract names are a :class:`MappingError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.yaml"
    >>> _ = p.write_text("borrowers:\\n  CUST_NO: borrower_id\\n", encoding="utf-8")
    >>> load_mapping(p)
    {'borrowers': {'cust_no': 'borrower_id'}}
    """
    if path is None:
        return {}
    p = Path(path)
    if not p.is_file():
        raise MappingError(f"mapping file not found: {p}")

    size = p.stat().st_size
    if size > limit("mapping_bytes"):
        raise exceeded(p, "mapping_bytes", f"mapping file of {size:,} bytes")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"cannot read mapping file {p}: {exc}") from None
    try:
        data = _safe_yaml(text, p)
    except (MappingError, LimitError):
        raise
    except Exception as exc:  # yaml.YAMLError and friends
        raise MappingError(f"mapping file {p} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MappingError(f"mapping file {p} must map table names to {{their_header: contract_name}}")
    out: dict[str, dict[str, str]] = {}
    errors = []
    for tname, cols in data.items():
        name = table_for_stem(str(tname))
        if name is None:
            errors.append(f"unknown table {tname!r}")
            continue
        if not isinstance(cols, dict):
            errors.append(f"{tname}: expected a mapping of their_header: contract_name")
            continue
        valid = set(TABLES[name].column_names)
        for theirs, ours in cols.items():
            if str(ours) not in valid:
                errors.append(f"{tname}.{theirs}: {ours!r} is not a column of {name} "
                              f"(columns: {', '.join(sorted(valid))})")
                continue
            out.setdefault(name, {})[fold_header(str(theirs))] = str(ours)
    if errors:
        raise MappingError(f"mapping file {p}: " + "; ".join(errors))
    return out


def _safe_yaml(text: str, path: Path):
    """``yaml.safe_load`` that counts aliases (``*a``) and refuses more than the ``yaml_aliases`` limit.

    A header mapping never needs an alias; a "billion laughs" file is nothing else.
    """
    cap = limit("yaml_aliases")

    class Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                Loader.aliases += 1
                if Loader.aliases > cap:
                    raise exceeded(path, "yaml_aliases", "mapping file uses YAML aliases (*name)")
            return super().compose_node(parent, index)

    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def _decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes, detecting BOMs, UTF-8 and GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode("gb18030"), "gb18030"


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _is_blank(rec: list[str]) -> bool:
    """A record pandas skips as a blank line (no field, or one whitespace-only field)."""
    return len(rec) == 0 or (len(rec) == 1 and not rec[0].strip())


def _fitting_rows(text: str, delim: str) -> np.ndarray | None:
    """Row numbers of the non-blank data records when every one fits the header, else None.

    A record fits when it has as many fields as the header, or one more that is empty
    (a trailing delimiter). Rows count every record, blank ones too, from 1 (the
    header), as a spreadsheet numbers them. ``None`` also when the csv module cannot
    split the text.
    """
    body = text.replace("\r\n", "\n")
    if '"' not in body and "\r" not in body:  # no quoting: one record per line, vectorised
        lines = body.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        seps = np.fromiter((line.count(delim) for line in lines), dtype=np.int64, count=len(lines))
        keep = np.ones(len(lines), dtype=bool)
        for i in np.flatnonzero(seps == 0):
            keep[i] = bool(lines[i].strip())
        idx = np.flatnonzero(keep)
        if not len(idx):
            return np.zeros(0, dtype=np.int64)
        n = seps[idx[0]]
        data = idx[1:]
        for i in data[seps[data] != n]:
            if seps[i] != n + 1 or lines[i].rsplit(delim, 1)[-1].strip():
                return None
        return data + 1
    rows: list[int] = []
    n = -1
    try:
        for i, rec in enumerate(csv.reader(io.StringIO(text), delimiter=delim, strict=_odd_quotes(text)), 1):
            k = len(rec)
            if k == n:
                rows.append(i)
            elif _is_blank(rec):
                continue
            elif n < 0:
                n = k
            elif k == n + 1 and not rec[-1].strip():
                rows.append(i)
            else:
                return None
    except csv.Error:
        return None
    return np.array(rows, dtype=np.int64)


def _odd_quotes(text: str) -> bool:
    """An odd number of ``"``: some quoted field never closes. The csv module then runs
    strict, so the record is reported as unparseable instead of silently swallowing
    the rest of the file into one field."""
    return text.count('"') % 2 == 1


def _with_rows(df: pd.DataFrame, rows) -> pd.DataFrame:
    """Insert the ``_row`` column; a user column of that name is kept as ``_row.1``."""
    if ROW_COL in df.columns:
        df = df.set_axis(_unique_headers([ROW_COL, *map(str, df.columns)])[1:], axis=1)
    df.insert(0, ROW_COL, rows)
    return df


def _unique_headers(header: list[str]) -> list[str]:
    """Header names as pandas gives them: blanks ``Unnamed: i``, repeats ``name.1``."""
    out: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        h = str(h) if str(h).strip() else f"Unnamed: {i}"
        base, k = h, 0
        while h in seen:
            k += 1
            h = f"{base}.{k}"
        seen.add(h)
        out.append(h)
    return out


def _quotes_well_formed(buf: np.ndarray, quotes: np.ndarray, delim: int) -> bool:
    """True when every ``"`` in the bytes opens or closes a quoted field, or is a doubled
    ``""`` inside one (RFC 4180), so every CSV parser splits the records alike.

    The quotes toggle "inside a quoted field": an opening toggle must follow a
    delimiter, a line end or the start (or directly a closing toggle: an escaped
    quote), a closing toggle must precede a delimiter, a line end or the end (or
    directly an opening toggle).
    """
    if len(quotes) % 2:
        return False
    opens, closes = quotes[0::2], quotes[1::2]
    n = len(buf)
    before = np.where(opens > 0, buf[np.maximum(opens - 1, 0)], 10)
    ok_open = np.isin(before, (delim, 10, 13))
    ok_open[1:] |= opens[1:] - 1 == closes[:-1]
    after = np.where(closes + 1 < n, buf[np.minimum(closes + 1, n - 1)], 10)
    ok_close = np.isin(after, (delim, 10, 13))
    ok_close[:-1] |= closes[:-1] + 1 == opens[1:]
    return bool(ok_open.all() and ok_close.all())


def arrow_owned(data: bytes):
    """``data`` copied into memory Arrow allocated: a ``pyarrow.Buffer`` that holds no Python object.

    Arrow's threaded CSV reader drops its last reference to its input on one of
    Arrow's own threads, a moment after ``read_csv`` has returned. A buffer made by
    ``pa.py_buffer(data)`` then has to take the GIL to release ``data``; if the
    interpreter is already shutting down (a run that stops on an error right after
    reading), Python ends that thread with ``pthread_exit``, which cannot unwind
    through Arrow's C++ frames: ``terminate called without an active exception``
    and exit code 134 after the right error line. A buffer Arrow owns is freed
    without Python.

    Examples
    --------
    >>> buf = arrow_owned(b"a,b\\n1,2\\n")
    >>> buf.to_pybytes()
    b'a,b\\n1,2\\n'
    >>> buf.is_mutable  # allocated by Arrow, not a view of the bytes object
    True
    """
    buf = pa.allocate_buffer(len(data))
    np.frombuffer(buf, dtype=np.uint8)[:] = np.frombuffer(data, dtype=np.uint8)
    return buf


def _read_csv_arrow(data: bytes, delim: str) -> tuple[pd.DataFrame, list[tuple[int, int]]] | None:
    """Read well-formed UTF-8 CSV bytes (no BOM) with pyarrow, or None to use the general path.

    Used only where it gives exactly what the general path gives: no NUL, no lone
    ``\r``, no empty line, well-formed quoting, unique non-blank headers and at least
    two columns. Records that do not fit the header are handled as the general path
    does (a trailing empty field is dropped; other ragged rows are reported), located
    by pyarrow's record numbers.
    """
    if len(delim) != 1 or not data or data[:1] in (b"\n", b"\r") or b"\x00" in data:
        return None
    if b"\n\n" in data:
        return None
    cr = data.count(b"\r")
    if cr and (cr != data.count(b"\r\n") or b"\n\r\n" in data):
        return None
    quoted = b'"' in data
    if quoted:
        buf = np.frombuffer(data, dtype=np.uint8)
        if not _quotes_well_formed(buf, np.flatnonzero(buf == 34), ord(delim)):
            return None
        del buf
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    if b'"' in first:
        return None  # a quoted header: the general path
    try:
        header = first.decode("utf-8").split(delim)
    except UnicodeDecodeError:
        return None
    n = len(header)
    if n < 2 or len(set(header)) != n or any(not h.strip() for h in header):
        return None
    bad: list[tuple[int, str]] = []

    def invalid(row) -> str:
        bad.append((row.number, row.text))
        return "skip"

    src = arrow_owned(data)  # not pa.py_buffer(data): see arrow_owned

    def read(threads: bool):
        return pacsv.read_csv(
            src,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, use_threads=threads,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delim, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=quoted,
                                             ignore_empty_lines=True,
                                             invalid_row_handler=None if threads else invalid),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 null_values=[], strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, check_utf8=True))

    try:
        try:
            table = read(True)
        except pa.ArrowInvalid as exc:
            if "columns, got" not in str(exc):
                return None
            try:  # the invalid-row handler needs UTF-8 text: check it all first
                pa.array([data], type=pa.large_binary()).cast(pa.large_string())
            except (pa.ArrowInvalid, pa.ArrowException):
                return None
            table = read(False)  # records of the wrong length: single-threaded, to number them
    except (pa.ArrowException, ValueError):
        return None
    if not bad:
        df = table.to_pandas()
        del table
        return _with_rows(df, np.arange(2, len(df) + 2, dtype=np.int64)), []
    # what the general path does with records that do not fit the header
    if any(num is None for num, _ in bad):
        return None
    ragged: list[tuple[int, int]] = []
    extra_rows: list[int] = []
    extra_recs: list[list[str]] = []
    skipped: list[int] = []
    for num, text in bad:
        try:
            recs = list(csv.reader(io.StringIO(text), delimiter=delim, strict=True))
        except csv.Error:
            return None
        if len(recs) > 1:
            return None
        rec = recs[0] if recs else []
        if _is_blank(rec):
            skipped.append(num)
        elif len(rec) == n + 1 and not rec[-1].strip():
            extra_rows.append(num)
            extra_recs.append(rec[:n])
        elif len(rec) == n:
            return None  # pyarrow and the csv module disagree: the general path
        else:
            ragged.append((num, len(rec)))
    total = 1 + table.num_rows + len(bad)
    others = np.array([num for num, _ in bad], dtype=np.int64)
    valid_rows = np.setdiff1d(np.arange(2, total + 1, dtype=np.int64), others, assume_unique=True)
    if len(valid_rows) != table.num_rows:
        return None
    if not ragged:
        # only trailing delimiters: the general path gives pandas' reading of them
        return None
    rows = np.concatenate([valid_rows, np.array(extra_rows, dtype=np.int64)])
    order = np.argsort(rows, kind="stable")
    cols = {}
    extra = np.array(extra_recs, dtype=object).reshape(len(extra_recs), n)
    for j, h in enumerate(header):
        vals = np.concatenate([table.column(j).to_numpy(zero_copy_only=False).astype(object), extra[:, j]])
        cols[h] = vals[order]
    del table
    rows = rows[order]
    # as the csv-module path builds it: object columns, ragged rows kept out
    df = pd.DataFrame(cols, columns=header, dtype=object)
    return _with_rows(df, pd.array(rows, dtype="int64")), ragged


#: Encodings charset-normalizer may name that are GB18030 (or a subset of it).
_GB = frozenset({"gb18030", "gbk", "gb2312", "ascii"})


def _encoding_doubt(data: bytes, sample: int = 1 << 16) -> str | None:
    """Why bytes read as GB18030 may be another encoding (Shift-JIS, Big5, ...), or None when GB18030 fits.

    charset-normalizer judges the first ``sample`` bytes (cut at a line end);
    only a clearly better guess than GB18030 is reported.

    Examples
    --------
    >>> text = "顧客番号,氏名,住所\\n" + "".join(f"C{i},山田太郎{i},東京都千代田区丸の内{i}丁目\\n" for i in range(100))
    >>> _encoding_doubt(text.encode("shift_jis"))
    'the encoding is uncertain: read as GB18030, but the bytes look like cp932 (Shift-JIS), 100% clean, Japanese ...'
    >>> _encoding_doubt("客户号,姓名\\nC1,王建国\\n".encode("gb18030")) is None
    True
    """
    s = data[:sample]
    if len(data) > sample and b"\n" in s:
        s = s.rsplit(b"\n", 1)[0]
    found = list(cn.from_bytes(s))
    if not found:
        return "the encoding is uncertain: read as GB18030, but no encoding fits the bytes well (garbled text likely)"
    best = found[0]
    if best.encoding in _GB:
        return None
    gb = next((m for m in found if m.encoding in _GB), None)
    if gb is not None and best.chaos > gb.chaos - 0.05 and best.coherence < gb.coherence + 0.1:
        return None  # GB18030 fits as well
    names = {"cp932": "Shift-JIS", "shift_jis": "Shift-JIS", "big5": "Big5", "big5hkscs": "Big5-HKSCS",
             "euc_jp": "EUC-JP", "euc_kr": "EUC-KR", "cp949": "EUC-KR/CP949"}
    label = best.encoding + (f" ({names[best.encoding]})" if best.encoding in names else "")
    langs = ", ".join(best.languages[:2]) if best.languages else "unknown language"
    return (f"the encoding is uncertain: read as GB18030, but the bytes look like {label}, "
            f"{100 * (1 - best.chaos):.0f}% clean, {langs} (charset-normalizer); Chinese text may be garbled: "
            "save the file as UTF-8 or GB18030")


def _strip_nul(df: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int | None, str]]]:
    """The frame with NUL characters removed, and the (row, column) of every cell that held one."""
    cells: list[tuple[int | None, str]] = []
    cols = []
    for c in df.columns:
        cols.append(c.replace("\x00", "") if isinstance(c, str) else c)
        if isinstance(c, str) and "\x00" in c:
            cells.append((1, cols[-1]))
    df = df.set_axis(cols, axis=1)
    rows = df[ROW_COL].tolist() if ROW_COL in df.columns else [None] * len(df)
    for j, c in enumerate(df.columns):
        if c == ROW_COL:
            continue
        s = df.iloc[:, j]
        hit = s.map(lambda v: isinstance(v, str) and "\x00" in v).to_numpy(bool)
        if hit.any():
            for i in np.flatnonzero(hit):
                cells.append((rows[i], c))
            col = s.astype(object)
            col[hit] = [v.replace("\x00", "") for v in s[hit]]
            df.isetitem(j, col)
    return df, cells


def _read_csv(path: Path) -> tuple[pd.DataFrame, str, list[tuple[int, int]]]:
    """Return (frame of strings, encoding, ragged rows as (row, n_fields)).

    NUL characters are removed from the values; the frame's ``attrs`` say where
    (``nul_cells``: (row, column) pairs), and ``encoding_note`` says why a file
    read as GB18030 may be in another encoding. :func:`read_folder` reports both.
    """
    data = path.read_bytes()
    df, enc, ragged = _parse_csv(path, data)
    if enc == "gb18030":
        note = _encoding_doubt(data)
        if note:
            df.attrs["encoding_note"] = note
    if b"\x00" in data:
        df, cells = _strip_nul(df)
        if cells:
            df.attrs["nul_cells"] = cells
    return df, enc, ragged


def read_table(path: str | Path) -> tuple[pd.DataFrame, str | None, list[tuple[int, int]]]:
    """Read one table file: CSV/TSV/TXT (encoding sniffed), XLSX (its first sheet) or Parquet.

    Every value becomes a string (missing stays missing) and the frame gets the
    input row numbers (``ROW_COL``: the header is row 1). Headers are not matched
    yet (:func:`match_headers`); CSV notes (uncertain encoding, NUL bytes) stay on
    the frame's ``attrs`` for :func:`read_notes`.

    Returns
    -------
    (frame, encoding or None, ragged rows as (row, n_fields))

    Raises
    ------
    InputError
        An unreadable or oversized file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "watchlist.csv"
    >>> _ = p.write_text("kind,value\\nphone,13812345678\\nphone,1,2\\n", encoding="utf-8")
    >>> df, enc, ragged = read_table(p)
    >>> df.to_dict("records")[0], enc, ragged
    ({'_row': 2, 'kind': 'phone', 'value': '13812345678'}, 'utf-8', [(3, 3)])
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return _read_parquet(p), None, []
    if suffix in (".xlsx", ".xlsm"):
        sheets = read_sheets(p)
        return (next(iter(sheets.values())) if sheets else pd.DataFrame(columns=[ROW_COL])), None, []
    return _read_csv(p)


def file_tables(p: Path, problems: list, csv=None, keep_empty: bool = True) -> list[tuple]:
    """The contract tables one file of a data folder holds, as ``(table, label, frame, encoding, ragged)``.

    A file named for a table holds that table (an XLSX its first sheet); a
    workbook named otherwise holds one table per sheet named for one. CSV notes
    go to ``problems``; a ``watchlist`` CSV (one graphring wrote) has its
    spreadsheet escaping undone. ``csv``: the result of :func:`read_table`
    already read for this file; ``keep_empty=False`` skips a workbook without sheets.
    """
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets = read_sheets(p)
        single = table_for_stem(p.stem)
        if single is not None:
            if not sheets and not keep_empty:
                return []
            first = next(iter(sheets.values())) if sheets else pd.DataFrame(columns=[ROW_COL])
            return [(single, p.name, first, None, [])]
        return [(t, f"{p.name}[{sname}]", df, None, []) for sname, df in sheets.items()
                if (t := table_for_stem(sname)) is not None]
    name = table_for_stem(p.stem)
    if name is None:
        return []
    if suffix in (".parquet", ".pq"):
        return [(name, p.name, _read_parquet(p), None, [])]
    df, enc, ragged = csv if csv is not None else _read_csv(p)
    read_notes(name, p.name, df, problems)
    if name == "watchlist":  # a list graphring wrote: undo its spreadsheet escaping
        df = restore_frame(df)
    return [(name, p.name, df, enc, ragged)]


def _parse_csv(path: Path, data: bytes) -> tuple[pd.DataFrame, str, list[tuple[int, int]]]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: looks like a binary file, not CSV text")
    _check_csv_header(path, data)
    # fast path: well-formed UTF-8 (with or without BOM) or GB18030 through pyarrow
    fast = None
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        body, enc = (data[3:], "utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else (data, "utf-8")
        first = body.split(b"\n", 1)[0]
        try:
            first_text = first.decode("utf-8")
        except UnicodeDecodeError:
            first_text = None
        if first_text is not None:
            fast = _read_csv_arrow(body, _sniff_delimiter(first_text))
        if fast is None and enc == "utf-8" and b"\x00" not in data:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                try:  # GB18030: transcode once, then the same fast path
                    text = data.decode("gb18030")
                except UnicodeDecodeError:
                    text = None
                if text is not None:
                    fast = _read_csv_arrow(text.encode("utf-8"), _sniff_delimiter(text.split("\n", 1)[0]))
                    enc = "gb18030"
                    del text
        if fast is not None:
            return fast[0], enc, fast[1]
    try:
        text, enc = _decode(data)
    except UnicodeError:
        raise InputError(f"{path}: cannot decode as UTF-8, UTF-16 or GB18030 text") from None
    first = text.split("\n", 1)[0]
    delim = _sniff_delimiter(first)
    ragged: list[tuple[int, int]] = []
    rows = _fitting_rows(text, delim)
    try:
        if rows is None:  # ragged: straight to the csv module
            raise ValueError("ragged rows")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pd.read_csv(io.StringIO(text), sep=delim, dtype=str, keep_default_na=False,
                             na_values=[], index_col=False, engine="c", skip_blank_lines=True)
        df.columns = [str(c) for c in df.columns]
        # pandas pads short rows with "" and silently cuts extra fields off the first data
        # row: trust its frame only when the csv module sees every record fit the header.
        if rows is None or len(rows) != len(df):
            raise ValueError("ragged rows")
        df = _with_rows(df, rows)
        return df, enc, ragged
    except (pd.errors.ParserError, ValueError, csv.Error):
        pass
    # Slow path for ragged files (rows with too few or too many fields): the csv module.
    reader = csv.reader(io.StringIO(text), delimiter=delim, strict=_odd_quotes(text))
    row = 0
    try:
        header: list[str] = []
        while _is_blank(header):
            header = next(reader)
            row += 1
    except StopIteration:
        return pd.DataFrame(columns=[ROW_COL]), enc, []
    except csv.Error as exc:
        raise InputError(f"{path}: cannot parse the header line: {exc}") from None
    n = len(header)
    good, good_rows = [], []
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error:
            row += 1
            ragged.append((row, -1))
            continue
        row += 1
        if _is_blank(rec):
            continue
        if len(rec) == n + 1 and not rec[-1].strip():
            rec = rec[:n]  # a trailing delimiter, as many exports write
        if len(rec) != n:
            ragged.append((row, len(rec)))
            continue
        good.append(rec)
        good_rows.append(row)
    df = pd.DataFrame(good, columns=_unique_headers(header), dtype=object)
    df = _with_rows(df, pd.array(good_rows, dtype="int64"))
    return df, enc, ragged


def _check_csv_header(path: Path, data: bytes) -> None:
    """The header line's field count against the ``columns`` limit, before any parsing."""
    cap = limit("columns")
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    if len(first) <= cap:  # fewer bytes than the limit: cannot hold more fields
        return
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        first = first.replace(b"\x00", b"")
    n = max(first.count(d) for d in (b",", b"\t", b";", b"|")) + 1
    if n > cap:
        raise exceeded(path, "columns", f"header of {n:,} columns")


def check_frame(label: str, df: pd.DataFrame) -> None:
    """A table as read against the ``columns`` and ``field_chars`` limits.

    Examples
    --------
    >>> check_frame("t.csv", pd.DataFrame({"a": ["x" * 10]}))
    >>> from graphring.ingest.limits import overridden
    >>> with overridden({"field_chars": 5}):
    ...     check_frame("t.csv", pd.DataFrame({"a": ["ok", "x" * 10]}))
    Traceback (most recent call last):
    ...
    graphring.errors.LimitError: t.csv: column a holds a field of 10 characters, beyond the limit field_chars=5; if the file is genuine, raise it with --limit field_chars=N
    """
    ncols = len([c for c in df.columns if c != ROW_COL])
    if ncols > limit("columns"):
        raise exceeded(label, "columns", f"table of {ncols:,} columns")
    cap = limit("field_chars")
    for c in df.columns:
        if c == ROW_COL:
            continue
        s = df[c]
        if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object) or not len(s):
            continue
        try:
            arr = pa.array(s.array) if not hasattr(s.array, "__arrow_array__") else s.array.__arrow_array__()
            m = pc.max(pc.utf8_length(arr)).as_py()
        except Exception:  # noqa: BLE001 - mixed objects: measure in Python
            m = s.map(lambda x: len(x) if isinstance(x, str) else 0).max()
        if m is not None and m > cap:
            raise exceeded(label, "field_chars", f"column {c} holds a field of {int(m):,} characters")


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _check_xlsx(path: Path) -> None:
    """An XLSX workbook's declared sizes, compression ratio and sheet dimensions, before opening it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > limit("xlsx_bytes"):
            raise exceeded(path, "xlsx_bytes", f"workbook declares {total:,} bytes uncompressed")
        for i in infos:
            if i.file_size > 50_000_000 and i.file_size > limit("xlsx_ratio") * max(i.compress_size, 1):
                raise exceeded(path, "xlsx_ratio", f"part {i.filename} expands {i.file_size // max(i.compress_size, 1):,}"
                               f"-fold ({i.compress_size:,} to {i.file_size:,} bytes)")
        for i in infos:
            if not (i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")):
                continue
            with zf.open(i) as f:
                first = f.read(4096)
                head = first.decode("utf-8", errors="replace")
                # count the rows as the part streams by (a dimension can lie or be missing)
                n, tail, chunk = 0, b"", first
                while chunk:
                    buf = tail + chunk
                    n += len(_ROW_TAG.findall(buf)) - len(_ROW_TAG.findall(tail))
                    if n - 1 > limit("rows"):
                        raise exceeded(path, "rows", f"sheet {i.filename} holds more than {limit('rows'):,} rows")
                    tail = buf[-16:]
                    chunk = f.read(1 << 22)
            m = re.search(r'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"', head)
            if m:
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                if int(m.group(2)) - 1 > limit("rows"):
                    raise exceeded(path, "rows", f"sheet {i.filename} declares {int(m.group(2)):,} rows")
                if col > limit("columns"):
                    raise exceeded(path, "columns", f"sheet {i.filename} declares {col:,} columns")


def _stringify(df: pd.DataFrame) -> pd.DataFrame:
    """Turn typed columns (Excel, Parquet) into strings as a CSV would carry them."""
    out = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[str(c)] = s.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        elif pd.api.types.is_float_dtype(s):
            # integral floats (Excel numbers) lose their ".0"
            vals = s.astype(object)
            mask = s.notna() & (s % 1 == 0) & (s.abs() < 1e17)
            vals[mask] = s[mask].astype("int64").astype(str)
            vals[~mask & s.notna()] = s[~mask & s.notna()].astype(str)
            out[str(c)] = vals.where(s.notna(), "")
        else:
            out[str(c)] = s.astype(object).where(s.notna(), "").map(str)
    return pd.DataFrame(out, index=df.index)


def read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    _check_xlsx(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False,
                                   na_values=[], engine="openpyxl", nrows=limit("rows") + 1)
    except ImportError:
        raise MissingExtraError("reading XLSX needs openpyxl: pip install openpyxl") from None
    except Exception as exc:
        raise InputError(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    out = {}
    for name, df in sheets.items():
        if len(df) > limit("rows"):
            raise exceeded(f"{path}[{name}]", "rows", f"sheet of more than {limit('rows'):,} rows")
        df = _stringify(df)
        df = _with_rows(df, pd.RangeIndex(2, len(df) + 2))
        out[str(name)] = df
    return out


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        ncols = pq.ParquetFile(path).metadata.num_columns
    except Exception:  # noqa: BLE001 - an unreadable file is reported by read_parquet below
        ncols = 0
    if ncols > limit("columns"):
        raise exceeded(path, "columns", f"Parquet file of {ncols:,} columns")
    try:
        df = pd.read_parquet(path)
    except ImportError:
        raise MissingExtraError("reading Parquet needs pyarrow: pip install pyarrow") from None
    except Exception as exc:
        raise InputError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None
    df = _stringify(df.reset_index(drop=True))
    df = _with_rows(df, pd.RangeIndex(2, len(df) + 2))
    return df


def match_headers(name: str, df: pd.DataFrame, file: str, mapping: dict[str, str],
                   problems: list[Problem]) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    lookup = TABLES[name].header_lookup()
    rename: dict[str, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    dup_cols: set[str] = set()
    for col in df.columns:
        if col == ROW_COL:
            continue
        f = fold_header(col)
        target = mapping.get(f) or lookup.get(f)
        if target is None:
            unknown.append(col)
            continue
        if target in seen:
            problems.append(Problem(name, file, 1, col, "duplicate_column", "warning",
                                    f"header {col!r} maps to {target!r}, already given by "
                                    f"{seen[target]!r}; this column is kept as an extra property"))
            unknown.append(col)
            dup_cols.add(col)
            continue
        seen[target] = col
        rename[col] = target
    for col in unknown:
        if fold_header(col) == "" or col.startswith("Unnamed:") or col in dup_cols:
            continue
        problems.append(Problem(name, file, 1, col, "unknown_column", "warning",
                                f"column {col!r} is not in the contract for {name}; kept as a property"))
    # unknown columns are kept under a prefixed name so they can never clash; renamed by
    # position, as a contract name given by an alias may also be an unknown header's name
    extra = {c: f"x:{c}" for c in unknown}
    df = df.set_axis([rename.get(c) or extra.get(c) or c for c in df.columns], axis=1)
    drop = [c for c in df.columns if c.startswith("x:") and (c == "x:" or c.startswith("x:Unnamed:"))]
    df = df.drop(columns=drop)
    return df, [c for c in unknown if c not in [d[2:] for d in drop]], rename


def folder_entries(root: Path, fatal: list[str]) -> list[Path]:
    """The files of a data folder that may hold tables, sorted; symbolic links checked.

    A table file that is a symbolic link to a file outside the folder, or a
    link that points nowhere or loops, is refused: a line for ``fatal`` names
    the link and its target (reading it would take data from elsewhere without
    a word). Links inside the folder are followed.

    Examples
    --------
    >>> import tempfile, os, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "borrowers.csv").write_text("borrower_id\\nB1\\n")
    >>> os.symlink("/etc/hostname", d / "loans.csv")
    >>> fatal = []
    >>> [p.name for p in folder_entries(d, fatal)], fatal[0].split(": ")[1][:30]
    (['borrowers.csv'], 'a symbolic link to /etc/hostna')
    """
    try:
        names = sorted(root.iterdir())
    except OSError as exc:
        raise InputError(f"cannot list data folder {root}: {exc}") from None
    base = root.resolve()
    out = []
    for p in names:
        if p.name.startswith((".", "~$")):
            continue
        if p.is_symlink() and p.suffix.lower() in SUFFIXES and (
                p.suffix.lower() in (".xlsx", ".xlsm") or table_for_stem(p.stem) is not None):
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError):
                try:
                    where = os.readlink(p)
                except OSError:
                    where = "?"
                fatal.append(f"{p}: a symbolic link that points nowhere or loops (to {where}); refused")
                continue
            if base not in target.parents:
                fatal.append(f"{p}: a symbolic link to {target}, outside the data folder; refused "
                             "(copy the file into the folder to read it)")
                continue
        if p.is_file():
            out.append(p)
    return out


def read_notes(name: str, label: str, df: pd.DataFrame, problems: list) -> None:
    """Problems :func:`read_table` noted on the frame: an uncertain encoding, NUL bytes removed."""
    note = df.attrs.pop("encoding_note", None)
    if note:
        problems.append(Problem(name, label, None, None, "uncertain_encoding", "warning", note))
    for row, col in df.attrs.pop("nul_cells", []):
        problems.append(Problem(name, label, row, col, "nul_byte", "warning",
                                "NUL byte(s) in the value (binary junk or a broken export); removed, the row is kept"))


def _prefetch_csv(entries: list[Path], workers: int = 2) -> dict:
    """Start reading the folder's CSV tables on ``workers`` threads (pyarrow parses
    without the GIL): path -> future of :func:`read_table`. The caller takes the results
    in its own order, so problems and errors come out as from a sequential read."""
    csvs = [p for p in entries if p.suffix.lower() in (".csv", ".tsv", ".txt") and table_for_stem(p.stem)]
    if workers < 2 or len(csvs) < 2:
        return {}

    ex = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphring-read")
    # largest first, so the threads finish together
    def size(p: Path) -> int:
        try:
            return p.stat().st_size
        except OSError:
            return 0

    order = sorted(csvs, key=lambda p: -size(p))

    # each read sees this run's limits (graphring.ingest.limits keeps them in a context variable)
    futs = {p: ex.submit(contextvars.copy_context().run, _read_csv, p) for p in order}
    ex.shutdown(wait=False)
    return futs


def read_folder(folder: str | Path, mapping: str | Path | dict | None = None) -> RawData:
    """Read every contract table found in ``folder``.

    Parameters
    ----------
    folder : path
        The data folder.
    mapping : path or dict, optional
        Header mapping ``{table: {their_header: contract_name}}`` or a YAML file.

    Returns
    -------
    RawData
        Tables by contract name, and problems met while reading (ragged rows,
        unknown columns). Fatal problems (not a folder, no borrowers table,
        unreadable file) raise :class:`InputError` listing all of them.
    """
    root = Path(folder)
    if not root.exists():
        raise InputError(f"data folder not found: {root}")
    if not root.is_dir():
        raise InputError(f"not a folder: {root} (give the folder that holds borrowers.csv and the other tables)")
    maps = mapping if isinstance(mapping, dict) else load_mapping(mapping)
    problems: list[Problem] = []
    fatal: list[str] = []
    found: dict[str, tuple[str, pd.DataFrame, str | None, list]] = {}

    def add(name: str, label: str, df: pd.DataFrame, enc: str | None, ragged: list) -> None:
        check_frame(label, df)
        if name in found:
            problems.append(Problem(name, label, None, None, "duplicate_table", "warning",
                                    f"table {name} is also in {found[name][0]}; {label} is ignored"))
            return
        found[name] = (label, df, enc, ragged)

    entries = folder_entries(root, fatal)
    pending = _prefetch_csv(entries)
    for p in entries:
        suffix = p.suffix.lower()
        if suffix not in SUFFIXES:
            continue
        try:
            for t in file_tables(p, problems, pending.pop(p).result() if p in pending else None):
                add(*t)
        except LimitError:
            # one line naming the file and the limit; the other reads finish first (a thread
            # still parsing when the interpreter exits can abort it)

            wait(list(pending.values()))
            raise
        except InputError as exc:
            fatal.append(str(exc))
        except (OSError, MemoryError) as exc:
            fatal.append(f"{p}: cannot read ({type(exc).__name__}: {exc})")
        except Exception as exc:  # any parser failure on hostile bytes must stay a clear message
            fatal.append(f"{p}: cannot parse ({type(exc).__name__}: {exc})")
    if "borrowers" not in found and not fatal:
        fatal.append(f"{root}: no borrowers table (borrowers.csv / 借款人.csv / .xlsx / .parquet); "
                     "it is the one required table")
    tables: dict[str, RawTable] = {}
    for name, (label, df, enc, ragged) in found.items():
        df, unknown, headers = match_headers(name, df, label, maps.get(name, {}), problems)
        missing = [c for c in TABLES[name].required_columns if c not in df.columns]
        if missing:
            fatal.append(f"{label}: required column(s) missing for table {name}: {', '.join(missing)} "
                         f"(accepted headers: " + "; ".join(
                             f"{c}: {', '.join((c,) + TABLES[name].column(c).aliases)}" for c in missing)
                         + ")")
        ragged_rows = []
        for row, nf in ragged:
            ragged_rows.append(row)
            msg = ("row could not be parsed" if nf < 0 else
                   f"row has {nf} fields, the header has {len(df.columns) - 1}")
            problems.append(Problem(name, label, row, None, "ragged_row", "error", msg + "; row rejected"))
        if ragged_rows and ROW_COL in df.columns:
            df = df[~df[ROW_COL].isin(ragged_rows)]
        read = len(df) + len(ragged_rows)
        tables[name] = RawTable(name, label, df.reset_index(drop=True), read, enc, unknown, ragged_rows, headers)
    if fatal:
        raise InputError("the data cannot be used:\n  - " + "\n  - ".join(fatal))
    return RawData(str(root), tables, problems, {n: t.file for n, t in tables.items()})
