"""Property tests: hostile bytes never crash the readers, and row accounting always holds.

* Whatever bytes sit in a data folder, reading, validating and building the graph
  either succeed or raise a :class:`~graphring.errors.GraphringError` subclass
  (which the CLI turns into a message and exit code 1) -- never anything else.
* For generated tables mixing valid and invalid identifiers, phones, dates and
  amounts, duplicate keys, unknown references and ragged rows, ``loaded +
  rejected == read`` for every table, and the rejected rows are exactly the rows
  that carry an ``error`` problem (with their row number).
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphring.errors import GraphringError
from graphring.graph.model import build_frames
from graphring.ingest.readers import read_folder
from graphring.ingest.validate import validate_raw

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

GOOD_BORROWERS = "borrower_id,phone\nB1,13812345678\nB2,13912345678\n"


def _fresh_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="graphring-prop-"))


def _read_validate_build(folder: Path) -> None:
    """The whole ingest path; only GraphringError may escape."""
    try:
        raw = read_folder(folder)
    except GraphringError:
        return
    v = validate_raw(raw)
    build_frames(v.tables)
    for name, c in v.counts.iterrows():
        assert c["loaded"] + c["rejected"] == c["read"], name


# --- arbitrary bytes ---------------------------------------------------------------------

# Bytes biased toward what breaks CSV parsers: delimiters, quotes, line ends, NUL,
# BOMs, stray UTF-8 / GB18030 lead bytes, and the start of real headers.
_NASTY = st.sampled_from([
    b",", b"\t", b";", b"|", b'"', b"'", b"\n", b"\r\n", b"\r", b"\x00", b"\xef\xbb\xbf",
    b"\xff\xfe", b"\xfe\xff", b"\x80", b"\xff", b"\xe4\xb8", b"\x81\x30", b"borrower_id",
    "客户号".encode("gb18030"), "客户号".encode(), b"phone", b"B1", b"13812345678", b"=\"",
    b"\\", b" ", b"#N/A", b"PK\x03\x04", b"PAR1",
])
_BYTES = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(_NASTY, st.binary(max_size=8)), max_size=80).map(b"".join),
)


@SETTINGS
@given(data=_BYTES)
def test_arbitrary_bytes_as_borrowers_csv(data: bytes) -> None:
    d = _fresh_dir()
    try:
        (d / "borrowers.csv").write_bytes(data)
        _read_validate_build(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


@SETTINGS
@given(data=_BYTES, name=st.sampled_from(["contacts.csv", "complaints.tsv", "payments.txt", "devices.csv",
                                         "借款人.csv", "loans.csv", "company_roles.csv"]))
def test_arbitrary_bytes_as_other_tables(data: bytes, name: str) -> None:
    d = _fresh_dir()
    try:
        if name != "借款人.csv":
            (d / "borrowers.csv").write_text(GOOD_BORROWERS, encoding="utf-8")
        (d / name).write_bytes(data)
        _read_validate_build(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


@SETTINGS
@given(data=_BYTES, name=st.sampled_from(["borrowers.xlsx", "data.xlsx", "borrowers.parquet",
                                         "contacts.parquet", "complaints.xlsx"]))
def test_arbitrary_bytes_as_xlsx_or_parquet(data: bytes, name: str) -> None:
    d = _fresh_dir()
    try:
        if not name.startswith(("borrowers", "data")):
            (d / "borrowers.csv").write_text(GOOD_BORROWERS, encoding="utf-8")
        (d / name).write_bytes(data)
        _read_validate_build(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# CSV-shaped text: real and junk headers, then cells from a vocabulary of the awkward.
_HEADERS = st.sampled_from([
    "borrower_id", "客户号", "phone", "手机号", "id_number", "outstanding", "first_overdue_on",
    "overdue_days", "email", "address", "bank_account", "credit_file", "x", "", "_row", "phone",
    "Unnamed: 0", "x:phone", " Borrower ID ", "\ufeffborrower_id",
])
_CELLS = st.one_of(
    st.sampled_from(["", " ", "B1", "B1", "B2", "无", "unknown", "N/A", "0", "13812345678", "+86 138 1234 5678",
                     "11010519491231002X", "110105194912310021", "2025-02-30", "2025/3/14", "¥1,234.50",
                     "6.22202E+18", "=\"0012\"", "'13812345678", "a,b", 'say "hi"', "line\nbreak", "\r",
                     "１３８１２３４５６７８", "NaN", "None", "1e400", "-", "\x00"]),
    st.text(max_size=12),
)


@st.composite
def _csv_text(draw) -> str:
    headers = draw(st.lists(_HEADERS, min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(_CELLS, min_size=0, max_size=len(headers) + 2), max_size=8))
    delim = draw(st.sampled_from([",", "\t", ";", "|"]))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue()


@SETTINGS
@given(text=_csv_text(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       name=st.sampled_from(["borrowers.csv", "contacts.csv", "借款人.csv"]))
def test_csv_shaped_text_never_crashes(text: str, encoding: str, name: str) -> None:
    d = _fresh_dir()
    try:
        if name == "contacts.csv":
            (d / "borrowers.csv").write_text(GOOD_BORROWERS, encoding="utf-8")
        (d / name).write_bytes(text.encode(encoding, errors="replace"))
        _read_validate_build(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- row accounting on generated tables ---------------------------------------------------

_IDS = st.sampled_from(["B1", "B2", "B3", "B4", "B5", " B1 ", "Ｂ2", "", "无", "N/A", "B99"])
_PHONES = st.sampled_from(["13812345678", "138-1234-5678", "+8613912345678", "", "unknown", "00000000000",
                           "12345", "13800138000", "1.38123E+10", "(0755)8888 6666", "abc"])
_DATES = st.sampled_from(["2025-03-14", "2025/3/14", "2025-02-30", "20250314", "", "0000-00-00", "yesterday",
                          "45730", "2025年3月14日"])
_AMOUNTS = st.sampled_from(["1,234.50", "¥100", "abc", "", "(500)", "1.2万", "1e999", "-", "0"])
_IDNUMS = st.sampled_from(["11010519491231002X", "110105194912310021", "110105491231002", "12345", "",
                           "110105********002X"])
_DEVICES = st.sampled_from(["490154203237518", "490154203237519", "000000000000000", "02:00:00:00:00:00",
                            "unknown", "9774d56d682e549c", "a1b2c3d4e5f6a7b8", "", "dev-123456"])
_LOANS = st.sampled_from(["L1", "L2", "L3", "", "L1"])


_TABLE_COLUMNS: dict[str, dict[str, st.SearchStrategy]] = {
    "borrowers": {"borrower_id": _IDS, "phone": _PHONES, "id_number": _IDNUMS,
                  "first_overdue_on": _DATES, "outstanding": _AMOUNTS},
    "contacts": {"borrower_id": _IDS, "phone": _PHONES, "relation": st.sampled_from(["friend", "boss", ""])},
    "devices": {"borrower_id": _IDS, "device_id": _DEVICES, "seen_at": _DATES,
                "ip": st.sampled_from(["1.2.3.4", "999.1.1.1", "", "10.0.0.1"])},
    "loans": {"loan_id": _LOANS, "borrower_id": _IDS, "amount": _AMOUNTS, "applied_at": _DATES},
    "payments": {"payer": _IDS, "payee": st.sampled_from(["B2", "6222020000000001", "", "无"]),
                 "amount": _AMOUNTS, "loan_id": _LOANS, "purpose": st.sampled_from(["repayment", "trade", ""])},
}


@st.composite
def _tables(draw) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Some tables (borrowers always), each a header and records, a few of them ragged."""
    out = {}
    for name, cols in _TABLE_COLUMNS.items():
        if name != "borrowers" and not draw(st.booleans()):
            continue
        header = list(cols)
        rows = draw(st.lists(st.fixed_dictionaries(cols), max_size=12))
        records = [[r[h] for h in header] for r in rows]
        if records:
            for i in draw(st.lists(st.integers(0, len(records) - 1), max_size=2, unique=True)):
                records[i] = records[i][:-1] if draw(st.booleans()) else records[i] + ["extra"]
        out[name] = (header, records)
    return out


@SETTINGS
@given(tables=_tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_loaded_plus_rejected_equals_read(tables, encoding) -> None:
    d = _fresh_dir()
    try:
        written: dict[str, int] = {}
        for name, (header, records) in tables.items():
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(header)
            w.writerows(records)
            (d / f"{name}.csv").write_bytes(buf.getvalue().encode(encoding))
            written[name] = len(records)
        v = validate_raw(read_folder(d))
        build_frames(v.tables)
        probs = v.problems
        for name in tables:
            c = v.counts.loc[name]
            assert c["read"] == written[name], name
            assert c["loaded"] + c["rejected"] == c["read"], name
            assert c["loaded"] == len(v.tables[name])
            loaded_rows = set(v.tables[name]["_row"].tolist())
            assert len(loaded_rows) == len(v.tables[name]), "row numbers are unique"
            all_rows = set(range(2, 2 + len(tables[name][1])))
            assert loaded_rows <= all_rows
            errors = probs[(probs["table"] == name) & (probs["severity"] == "error")]
            error_rows = set(int(r) for r in errors["row"].dropna())
            # every rejected row is reported with its row number, and only those
            assert error_rows == all_rows - loaded_rows, name
            assert len(error_rows) == c["rejected"], name
            assert (errors["file"] == f"{name}.csv").all()
        # no warning or error is ever located outside the file's rows
        located = probs["row"].dropna().astype(int)
        assert (located >= 1).all()
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_accounting_example_regression(tmp_path: Path, encoding: str) -> None:
    """A fixed mixed example, so the property's core claim is visible without hypothesis."""
    text = ("borrower_id,phone,outstanding\n"
            "B1,13812345678,1\n"          # 2 ok
            "B1,13812345679,2\n"          # 3 duplicate
            ",13812345670,3\n"            # 4 missing key
            "B3,13812345671\n"            # 5 ragged (short)
            "B4,13812345672,4,5\n"        # 6 ragged (long)
            "B5,abc,xyz\n")               # 7 ok, values blanked with warnings
    (tmp_path / "borrowers.csv").write_bytes(text.encode(encoding))
    v = validate_raw(read_folder(tmp_path))
    c = v.counts.loc["borrowers"]
    assert (c["read"], c["loaded"], c["rejected"]) == (6, 2, 4)
    err = v.problems[v.problems["severity"] == "error"]
    assert sorted(err["row"].astype(int)) == [3, 4, 5, 6]
    assert pd.Series(v.tables["borrowers"]["_row"]).tolist() == [2, 7]
