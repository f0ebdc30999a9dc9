"""Readers: every format, encoding, delimiter and header spelling a bank export arrives in.

Files are built in ``tmp_path``; each test reads the folder with
:func:`graphring.ingest.readers.read_folder` and checks the raw string tables (contract
column names, ``_row`` spreadsheet row numbers, detected encoding) and the problems
met while reading.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from graphring.errors import GraphringError, InputError, MappingError
from graphring.ingest.readers import load_mapping, read_folder

ZH_BORROWERS = "客户号,姓名,手机号,身份证号,欠款金额\nB1,张三,13812345678,11010519491231002X,\"1,234.50\"\nB2,李四,13912345678,,100\n"
EN_BORROWERS = ("borrower_id,name,phone,id_number,outstanding\n"
                "B1,张三,13812345678,11010519491231002X,\"1,234.50\"\nB2,李四,13912345678,,100\n")
EXPECTED = [
    {"_row": 2, "borrower_id": "B1", "name": "张三", "phone": "13812345678", "id_number": "11010519491231002X",
     "outstanding": "1,234.50"},
    {"_row": 3, "borrower_id": "B2", "name": "李四", "phone": "13912345678", "id_number": "", "outstanding": "100"},
]


def records(raw, table: str = "borrowers") -> list[dict]:
    df = raw.tables[table].frame
    return [{k: (int(v) if k == "_row" else v) for k, v in r.items()} for r in df.to_dict("records")]


def codes(raw) -> list[tuple]:
    return [(p.table, p.file, p.row, p.column, p.code) for p in raw.problems]


# --- encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),        # GBK is a subset of GB18030: read as GB18030
    ("utf-16", "utf-16"),      # with BOM
])
@pytest.mark.parametrize("text", [ZH_BORROWERS, EN_BORROWERS], ids=["zh_headers", "en_headers"])
def test_csv_encodings_detected_without_being_told(tmp_path: Path, encoding, detected, text) -> None:
    (tmp_path / "borrowers.csv").write_bytes(text.encode(encoding))
    raw = read_folder(tmp_path)
    t = raw.tables["borrowers"]
    assert t.encoding == detected
    assert records(raw) == EXPECTED
    assert t.read == 2
    assert raw.problems == []


def test_gb18030_with_chinese_headers_and_file_name(tmp_path: Path) -> None:
    (tmp_path / "借款人.csv").write_bytes(ZH_BORROWERS.encode("gb18030"))
    (tmp_path / "联系人.csv").write_bytes("客户号,联系人电话,关系,联系人姓名\nB1,13700000001,friend,王五\n"
                                        .encode("gb18030"))
    raw = read_folder(tmp_path)
    assert sorted(raw.tables) == ["borrowers", "contacts"]
    assert raw.files == {"borrowers": "借款人.csv", "contacts": "联系人.csv"}
    assert records(raw, "contacts") == [{"_row": 2, "borrower_id": "B1", "phone": "13700000001",
                                         "relation": "friend", "name": "王五"}]
    assert raw.tables["borrowers"].headers["客户号"] == "borrower_id"


def test_bom_crlf_and_header_folding(tmp_path: Path) -> None:
    text = " Borrower ID ,PHONE,Id-Number\r\nB1,13812345678,x\r\n"
    (tmp_path / "borrowers.csv").write_bytes(text.encode("utf-8-sig"))
    raw = read_folder(tmp_path)
    assert list(raw.tables["borrowers"].frame.columns) == ["_row", "borrower_id", "phone", "id_number"]
    assert records(raw)[0]["borrower_id"] == "B1"


def test_undecodable_csv_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_bytes(b"borrower_id\nB1\x80\xff\n")
    with pytest.raises(InputError, match="cannot decode"):
        read_folder(tmp_path)


# --- delimiters and quoting ------------------------------------------------------------------

@pytest.mark.parametrize("name, delim", [("borrowers.tsv", "\t"), ("borrowers.csv", "\t"), ("borrowers.txt", "\t"),
                                         ("borrowers.csv", ";"), ("borrowers.csv", "|")])
def test_delimiters_sniffed(tmp_path: Path, name: str, delim: str) -> None:
    text = delim.join(["客户号", "姓名", "手机号"]) + "\n" + delim.join(["B1", "张,三", "13812345678"]) + "\n"
    (tmp_path / name).write_text(text, encoding="utf-8")
    raw = read_folder(tmp_path)
    assert records(raw) == [{"_row": 2, "borrower_id": "B1", "name": "张,三", "phone": "13812345678"}]


def test_quoted_fields_with_commas_newlines_and_quotes(tmp_path: Path) -> None:
    text = ('borrower_id,name,address\n'
            'B1,"Zhang, San","北京市朝阳区\n建国路88号"\n'
            'B2,"say ""hi""",plain\n'
            'B3,,"a,b\r\nc"\n')
    (tmp_path / "borrowers.csv").write_text(text, encoding="utf-8")
    raw = read_folder(tmp_path)
    assert records(raw) == [
        {"_row": 2, "borrower_id": "B1", "name": "Zhang, San", "address": "北京市朝阳区\n建国路88号"},
        {"_row": 3, "borrower_id": "B2", "name": 'say "hi"', "address": "plain"},
        {"_row": 4, "borrower_id": "B3", "name": "", "address": "a,b\r\nc"},
    ]
    assert raw.problems == []


def test_ragged_rows_rejected_with_row_numbers(tmp_path: Path) -> None:
    text = ("borrower_id,name,phone\n"
            "B1,a,13812345678\n"
            "B2,b\n"                        # row 3: too few fields
            "B3,c,13812345679,extra\n"      # row 4: too many
            "B4,\"d, quoted\",13812345670\n")
    (tmp_path / "borrowers.csv").write_text(text, encoding="utf-8")
    raw = read_folder(tmp_path)
    t = raw.tables["borrowers"]
    assert [r["_row"] for r in records(raw)] == [2, 5]
    assert t.ragged_rows == [3, 4]
    assert t.read == 4
    ragged = [p for p in raw.problems if p.code == "ragged_row"]
    assert [(p.file, p.row, p.severity) for p in ragged] == [("borrowers.csv", 3, "error"), ("borrowers.csv", 4, "error")]
    assert "2 fields, the header has 3" in ragged[0].message
    assert "4 fields, the header has 3" in ragged[1].message


def test_first_data_row_too_long_is_ragged_not_truncated(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone\nB1,13812345678,LOST\nB2,13912345678\n")
    raw = read_folder(tmp_path)
    assert raw.tables["borrowers"].ragged_rows == [2]
    assert [r["borrower_id"] for r in records(raw)] == ["B2"]


def test_trailing_delimiter_on_every_line_is_tolerated(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone,\nB1,13812345678,\nB2,13912345678,\n")
    raw = read_folder(tmp_path)
    assert [r["borrower_id"] for r in records(raw)] == ["B1", "B2"]
    assert raw.problems == []


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone\n\nB1,13812345678\n   \nB2,13912345678\n")
    raw = read_folder(tmp_path)
    assert [(r["_row"], r["borrower_id"]) for r in records(raw)] == [(3, "B1"), (5, "B2")]
    assert raw.tables["borrowers"].read == 2


def test_duplicate_headers_in_a_ragged_file(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone,phone\nB1,13812345678,2\nB2,1,2,3\n")
    raw = read_folder(tmp_path)
    assert list(raw.tables["borrowers"].frame.columns) == ["_row", "borrower_id", "phone", "x:phone.1"]
    assert ("borrowers", "borrowers.csv", 3, None, "ragged_row") in codes(raw)


# --- XLSX and Parquet ------------------------------------------------------------------------

def _borrowers_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "客户号": ["B1", "B2"],
        "手机号": [13812345678, 13912345678],                     # numbers, as Excel stores them
        "首次逾期日": [dt.datetime(2025, 3, 14), None],
        "欠款金额": [1234.5, 100.0],
        "逾期天数": [30, 0],
    })


def test_xlsx_one_file_per_table(tmp_path: Path) -> None:
    _borrowers_frame().to_excel(tmp_path / "borrowers.xlsx", index=False)
    pd.DataFrame({"borrower_id": ["B1"], "phone": ["13700000001"]}).to_excel(tmp_path / "联系人.xlsx", index=False)
    raw = read_folder(tmp_path)
    assert raw.files == {"borrowers": "borrowers.xlsx", "contacts": "联系人.xlsx"}
    assert records(raw) == [
        {"_row": 2, "borrower_id": "B1", "phone": "13812345678", "first_overdue_on": "2025-03-14 00:00:00",
         "outstanding": "1234.5", "overdue_days": "30"},
        {"_row": 3, "borrower_id": "B2", "phone": "13912345678", "first_overdue_on": "",
         "outstanding": "100", "overdue_days": "0"},
    ]
    assert records(raw, "contacts") == [{"_row": 2, "borrower_id": "B1", "phone": "13700000001"}]
    assert raw.tables["borrowers"].encoding is None


def test_xlsx_named_after_a_table_uses_its_first_sheet(tmp_path: Path) -> None:
    with pd.ExcelWriter(tmp_path / "borrowers.xlsx") as w:
        pd.DataFrame({"borrower_id": ["B1"]}).to_excel(w, sheet_name="Sheet1", index=False)
        pd.DataFrame({"borrower_id": ["IGNORED"]}).to_excel(w, sheet_name="contacts", index=False)
    raw = read_folder(tmp_path)
    assert sorted(raw.tables) == ["borrowers"]
    assert [r["borrower_id"] for r in records(raw)] == ["B1"]


def test_data_xlsx_workbook_with_a_sheet_per_table(tmp_path: Path) -> None:
    with pd.ExcelWriter(tmp_path / "data.xlsx") as w:
        _borrowers_frame().to_excel(w, sheet_name="借款人", index=False)
        pd.DataFrame({"borrower_id": ["B1"], "phone": ["13700000001"]}).to_excel(w, sheet_name="contacts", index=False)
        pd.DataFrame({"complaint_id": ["C1"], "客户号": ["B2"], "投诉电话": ["13600000001"]}).to_excel(
            w, sheet_name="Complaints", index=False)
        pd.DataFrame({"note": ["not a table"]}).to_excel(w, sheet_name="说明", index=False)
    raw = read_folder(tmp_path)
    assert sorted(raw.tables) == ["borrowers", "complaints", "contacts"]
    assert raw.files == {"borrowers": "data.xlsx[借款人]", "contacts": "data.xlsx[contacts]",
                         "complaints": "data.xlsx[Complaints]"}
    assert records(raw, "complaints") == [{"_row": 2, "complaint_id": "C1", "borrower_id": "B2",
                                           "complainant_phone": "13600000001"}]
    assert [r["phone"] for r in records(raw)] == ["13812345678", "13912345678"]


def test_parquet_typed_columns_become_strings(tmp_path: Path) -> None:
    pd.DataFrame({
        "borrower_id": ["B1", "B2", "B3"],
        "phone": [13812345678.0, None, 13912345678.0],
        "outstanding": [1.5, None, 2.0],
        "first_overdue_on": pd.to_datetime(["2025-03-14 09:30:00", None, "2025-01-01 00:00:00"]),
        "overdue_days": pd.array([3, None, 0], dtype="Int64"),
        "co_debt_lenders": [1, 2, 3],
    }).to_parquet(tmp_path / "borrowers.parquet")
    raw = read_folder(tmp_path)
    assert records(raw) == [
        {"_row": 2, "borrower_id": "B1", "phone": "13812345678", "outstanding": "1.5",
         "first_overdue_on": "2025-03-14 09:30:00", "overdue_days": "3", "co_debt_lenders": "1"},
        {"_row": 3, "borrower_id": "B2", "phone": "", "outstanding": "", "first_overdue_on": "",
         "overdue_days": "", "co_debt_lenders": "2"},
        {"_row": 4, "borrower_id": "B3", "phone": "13912345678", "outstanding": "2",
         "first_overdue_on": "2025-01-01 00:00:00", "overdue_days": "0", "co_debt_lenders": "3"},
    ]


def test_parquet_pq_suffix_and_chinese_headers(tmp_path: Path) -> None:
    pd.DataFrame({"客户号": ["B1"], "手机号": ["13812345678"]}).to_parquet(tmp_path / "借款人.pq")
    raw = read_folder(tmp_path)
    assert records(raw) == [{"_row": 2, "borrower_id": "B1", "phone": "13812345678"}]


def test_mixed_formats_in_one_folder(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_bytes(ZH_BORROWERS.encode("gb18030"))
    pd.DataFrame({"borrower_id": ["B1"], "device_id": ["490154203237518"]}).to_parquet(tmp_path / "devices.parquet")
    pd.DataFrame({"uscc": ["91350100M000100Y43"]}).to_excel(tmp_path / "companies.xlsx", index=False)
    (tmp_path / "loans.tsv").write_text("loan_id\tborrower_id\nL1\tB1\n", encoding="utf-8-sig")
    raw = read_folder(tmp_path)
    assert sorted(raw.tables) == ["borrowers", "companies", "devices", "loans"]
    assert {n: t.read for n, t in raw.tables.items()} == {"borrowers": 2, "companies": 1, "devices": 1, "loans": 1}


# --- which tables -------------------------------------------------------------------------------

def test_only_borrowers_required_absent_tables_absent(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text(EN_BORROWERS, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("anything,at,all\n1,2\n", encoding="utf-8")   # not a table: ignored
    (tmp_path / "README.md").write_text("# hello", encoding="utf-8")
    (tmp_path / ".hidden.csv").write_text("x", encoding="utf-8")
    (tmp_path / "~$borrowers.xlsx").write_bytes(b"lock file")                            # Excel lock file
    (tmp_path / "sub").mkdir()
    raw = read_folder(tmp_path)
    assert list(raw.tables) == ["borrowers"]
    assert raw.problems == []


def test_same_table_twice_keeps_the_first_and_warns(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\nFROM_CSV\n", encoding="utf-8")
    pd.DataFrame({"borrower_id": ["FROM_XLSX"]}).to_excel(tmp_path / "borrowers.xlsx", index=False)
    raw = read_folder(tmp_path)
    assert [r["borrower_id"] for r in records(raw)] == ["FROM_CSV"]
    assert ("borrowers", "borrowers.xlsx", None, None, "duplicate_table") in codes(raw)


def test_header_only_table_reads_zero_rows(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone\n", encoding="utf-8")
    raw = read_folder(tmp_path)
    assert raw.tables["borrowers"].read == 0
    assert len(raw.tables["borrowers"].frame) == 0


# --- unknown columns --------------------------------------------------------------------------

def test_unknown_columns_kept_as_x_props_with_warning(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,风险等级,Branch,\nB1,高,SZ,\n", encoding="utf-8")
    raw = read_folder(tmp_path)
    t = raw.tables["borrowers"]
    assert list(t.frame.columns) == ["_row", "borrower_id", "x:风险等级", "x:Branch"]   # blank header dropped
    assert t.unknown_columns == ["风险等级", "Branch"]
    unknown = [p for p in raw.problems if p.code == "unknown_column"]
    assert [(p.file, p.row, p.column, p.severity) for p in unknown] == [
        ("borrowers.csv", 1, "风险等级", "warning"), ("borrowers.csv", 1, "Branch", "warning")]
    assert "kept as a property" in unknown[0].message
    assert records(raw)[0]["x:风险等级"] == "高"


def test_alias_and_contract_name_both_given(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,手机号,phone\nB1,13812345678,13912345678\n")
    raw = read_folder(tmp_path)
    assert list(raw.tables["borrowers"].frame.columns) == ["_row", "borrower_id", "phone", "x:phone"]
    assert [p.code for p in raw.problems] == ["duplicate_column"]
    assert records(raw)[0]["phone"] == "13812345678"


# --- mapping files ----------------------------------------------------------------------------------

def test_mapping_yaml_renames_their_headers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "borrowers.csv").write_text("CUST_NO,MOBILE_NO,Cust Name,Other\nB1,13812345678,张三,x\n", encoding="utf-8")
    (data / "contacts.csv").write_text("CUST_NO,CONTACT_TEL\nB1,13700000001\n", encoding="utf-8")
    m = tmp_path / "mapping.yaml"
    m.write_text("borrowers:\n  CUST_NO: borrower_id\n  MOBILE_NO: phone\n  cust name: name\n"
                 "联系人:\n  cust_no: borrower_id\n  CONTACT_TEL: phone\n", encoding="utf-8")
    assert load_mapping(m) == {"borrowers": {"cust_no": "borrower_id", "mobile_no": "phone", "cust_name": "name"},
                               "contacts": {"cust_no": "borrower_id", "contact_tel": "phone"}}
    raw = read_folder(data, mapping=m)
    assert records(raw) == [{"_row": 2, "borrower_id": "B1", "phone": "13812345678", "name": "张三",
                             "x:Other": "x"}]
    assert records(raw, "contacts") == [{"_row": 2, "borrower_id": "B1", "phone": "13700000001"}]
    assert raw.tables["borrowers"].headers == {"CUST_NO": "borrower_id", "MOBILE_NO": "phone", "Cust Name": "name"}
    assert [p.column for p in raw.problems] == ["Other"]


def test_mapping_as_dict_and_json(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("ID\nB1\n", encoding="utf-8")
    assert records(read_folder(tmp_path, mapping={"borrowers": {"id": "borrower_id"}}))[0]["borrower_id"] == "B1"
    m = tmp_path / "m.json"
    m.write_text(json.dumps({"borrowers": {"ID": "borrower_id"}}), encoding="utf-8")
    assert records(read_folder(tmp_path, mapping=m))[0]["borrower_id"] == "B1"


def test_mapping_without_it_the_required_column_is_missing(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("CUST_NO\nB1\n", encoding="utf-8")
    with pytest.raises(InputError, match="required column"):
        read_folder(tmp_path)


@pytest.mark.parametrize("content, match", [
    ("nosuchtable:\n  a: b\n", "unknown table 'nosuchtable'"),
    ("borrowers:\n  CUST_NO: customer_number\n", "'customer_number' is not a column of borrowers"),
    ("borrowers: [a, b]\n", "expected a mapping"),
    ("- borrowers\n", "must map table names"),
    ("borrowers: {a: b\n", "not valid YAML"),
    ("bogus:\n  a: b\nborrowers:\n  X: nope\n", r"unknown table 'bogus'.*'nope' is not a column"),
])
def test_bad_mapping_is_a_mapping_error(tmp_path: Path, content: str, match: str) -> None:
    m = tmp_path / "mapping.yaml"
    m.write_text(content, encoding="utf-8")
    with pytest.raises(MappingError, match=match):
        load_mapping(m)
    (tmp_path / "borrowers.csv").write_text("borrower_id\nB1\n", encoding="utf-8")
    with pytest.raises(MappingError):
        read_folder(tmp_path, mapping=m)


def test_missing_or_binary_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="not found"):
        load_mapping(tmp_path / "nope.yaml")
    m = tmp_path / "bin.yaml"
    m.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(MappingError):
        load_mapping(m)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert load_mapping(empty) == {}
    assert load_mapping(None) == {}


# --- fatal problems ---------------------------------------------------------------------------------

def test_not_a_folder_and_missing_folder(tmp_path: Path) -> None:
    f = tmp_path / "borrowers.csv"
    f.write_text("borrower_id\nB1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        read_folder(f)
    with pytest.raises(InputError, match="data folder not found"):
        read_folder(tmp_path / "nope")


def test_no_borrowers_table(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text("borrower_id,phone\nB1,13812345678\n", encoding="utf-8")
    with pytest.raises(InputError, match="no borrowers table"):
        read_folder(tmp_path)


def test_every_fatal_problem_is_listed_at_once(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("name\nx\n", encoding="utf-8")
    (tmp_path / "contacts.csv").write_text("borrower_id\nB1\n", encoding="utf-8")
    (tmp_path / "devices.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "loans.parquet").write_bytes(b"PAR1 nope")
    (tmp_path / "accounts.csv").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError) as ei:
        read_folder(tmp_path)
    msg = str(ei.value)
    assert msg.startswith("the data cannot be used:")
    for part in ("borrowers.csv: required column(s) missing for table borrowers: borrower_id",
                 "contacts.csv: required column(s) missing for table contacts: phone",
                 "devices.xlsx: not a readable XLSX workbook",
                 "loans.parquet: not a readable Parquet file",
                 "accounts.csv: looks like a binary file"):
        assert part in msg
    assert "联系人电话" in msg  # the accepted headers are named
    assert isinstance(ei.value, GraphringError)


def test_unterminated_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text('borrower_id,name\nB1,"abc\nB2,x\n', encoding="utf-8")
    raw = read_folder(tmp_path)
    assert raw.tables["borrowers"].ragged_rows == [2]
    p = [p for p in raw.problems if p.code == "ragged_row"]
    assert [(p[0].row, p[0].message) for _ in p] == [(2, "row could not be parsed; row rejected")]


@pytest.mark.parametrize("line, name", [('B1,5"3', '5"3'), ('B1,"ab"c', "abc"), ('B1,5""3', '5""3')])
def test_stray_quotes_inside_fields_are_kept(tmp_path: Path, line: str, name: str) -> None:
    (tmp_path / "borrowers.csv").write_text(f"borrower_id,name\n{line}\nB2,x\n", encoding="utf-8")
    raw = read_folder(tmp_path)
    assert [(r["borrower_id"], r["name"]) for r in records(raw)] == [("B1", name), ("B2", "x")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_user_column_named_row_is_kept_as_a_property(tmp_path: Path, fmt: str) -> None:
    df = pd.DataFrame({"borrower_id": ["B1", "B2"], "_row": ["7", "9"]})
    if fmt == "csv":
        df.to_csv(tmp_path / "borrowers.csv", index=False)
    elif fmt == "xlsx":
        df.to_excel(tmp_path / "borrowers.xlsx", index=False)
    else:
        df.to_parquet(tmp_path / "borrowers.parquet")
    raw = read_folder(tmp_path)
    assert records(raw) == [{"_row": 2, "borrower_id": "B1", "x:_row.1": "7"},
                            {"_row": 3, "borrower_id": "B2", "x:_row.1": "9"}]


@pytest.mark.parametrize("tail, ragged", [("", []), ("B3\n", [4])], ids=["clean", "ragged"])
def test_a_huge_quoted_field_is_read(tmp_path: Path, tail: str, ragged: list[int]) -> None:
    text = 'borrower_id,name\nB1,"' + "x,\n" * 100_000 + '"\nB2,ok\n' + tail   # 300 000 characters
    (tmp_path / "borrowers.csv").write_text(text, encoding="utf-8")
    raw = read_folder(tmp_path)
    assert [(r["_row"], r["borrower_id"], len(r["name"])) for r in records(raw)] == [(2, "B1", 300_000),
                                                                                     (3, "B2", 2)]
    assert raw.tables["borrowers"].ragged_rows == ragged


def test_one_public_read_table_and_one_key_check(tmp_path):
    """Reading one table is public (issue 15): watchlist and screen read through readers, not its privates;
    whether a key is needed is one check, the same for every case and spacing of ``hmac:``."""
    import ast
    import importlib

    from graphring.ingest.readers import read_table
    from graphring.watch.watchlist import needs_key, read_watchlist

    for mod in ("graphring.watch.watchlist", "graphring.watch.screen", "graphring.cli.rings", "graphring.cli.watch"):
        src = Path(importlib.import_module(mod).__file__).read_text(encoding="utf-8")
        tree = ast.parse(src)
        private = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                   and isinstance(n.value, ast.Name) and n.value.id == "rd" and n.attr.startswith("_")}
        assert not private, (mod, private)
        if mod != "graphring.watch.watchlist":
            assert 'startswith("hmac:")' not in src, mod
    p = tmp_path / "list.csv"
    p.write_text("类型,值\nphone, HMAC:AB12\nphone,13812345678\n", encoding="utf-8")
    df, enc, ragged = read_table(p)
    assert enc == "utf-8" and ragged == [] and list(df.columns) == ["_row", "类型", "值"]
    wl = read_watchlist(p)
    assert needs_key(wl) and not needs_key(wl.iloc[1:])
