"""Validation: every problem reported at once, located by file, row and column.

One realistic folder exercises every problem kind; the tests assert the exact
problem list, the per-table accounting ``loaded + rejected == read``, and what
happens to each value (kept, flagged, blanked or the row rejected).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import graphring.ingest.validate as validate_mod
from graphring.ingest.readers import read_folder
from graphring.ingest.validate import PROBLEM_COLUMNS, validate_folder, validate_raw

FILES = {
    "borrowers.csv": (
        "borrower_id,name,id_number,phone,email,address,bank_account,credit_file,overdue_days,outstanding,"
        "first_overdue_on,风险等级\n"
        "B1,张三,11010519491231002X,13812345678,a@x.com,北京市朝阳区建国路88号,6222020000000001,thin,30,"
        "\"¥1,234.50\",2025-03-14,高\n"                                                              # row 2: clean
        "B2,李四,110105194912310021,unknown,无,不详,0000000000000000,weird,12.5,abc,2025-02-30,低\n"  # row 3
        "B3,王五,,13800000000,,,,normal,,,,\n"                                                        # row 4
        "B1,dup,,13912345678,,,,,,,,\n"                                                               # row 5
        ",no key,,13912345670,,,,,,,,\n"                                                               # row 6
        "B4,short row\n"                                                                              # row 7
        "B5,ok,,+86 139 1234 5671,,,,,0,0,2025/3/14,\n"                                               # row 8
    ),
    "companies.csv": (
        "uscc,name,registration_agent\n"
        "91350100M000100Y43,A公司,代账1\n"          # 2 ok
        "91350100M000100Y44,B公司,无\n"             # 3 bad check char (kept), junk agent
        "91350100M000100Y43,dup,\n"                 # 4 duplicate
        "BADUSCC,C,\n"                              # 5 invalid key
    ),
    "loans.csv": (
        "loan_id,borrower_id,amount,employer_uscc,officer_id\n"
        "L1,B1,1000,91350100M000100Y43,O1\n"        # 2 ok
        "L2,B9,5,,\n"                               # 3 unknown borrower
        "L1,B2,6,,\n"                               # 4 duplicate loan_id
        "L3,B2,xx,12345,unknown\n"                  # 5 warnings only
    ),
    "contacts.csv": (
        "borrower_id,phone,relation\n"
        "B1,13700000001,friend\n"                   # 2 ok
        "B9,13700000002,parent\n"                   # 3 unknown borrower
        "B2,,spouse\n"                              # 4 required phone missing
        "B3,000,boss\n"                             # 5 junk required phone; unknown relation
        "Ｂ5,13700000003,sibling\n"                 # 6 full-width key still matches B5
    ),
    "devices.csv": (
        "borrower_id,device_id,seen_at,ip\n"
        "B1,490154203237518,2025-01-01,1.2.3.4\n"   # 2 ok
        "B2,490154203237519,,999.1.1.1\n"           # 3 bad IMEI check digit (kept); bad ip blanked
        "B1,000000000000000,,\n"                    # 4 junk device
        "B3,02:00:00:00:00:00,,\n"                  # 5 junk device (Android MAC placeholder)
        "B3,unknown,,\n"                            # 6 junk device
    ),
    "complaints.csv": (
        "complaint_id,borrower_id,complainant_phone,channel,received_at,attachments,agent\n"
        "C1,B1,13700000001,hotline,2025-03-14 09:30,d41d8cd98f00b204e9800998ecf8427e;ABC123DEF,张律师\n"
        "C2,B9,13700000001,app,,,\n"                # 3 unknown borrower
        "C3,B2,13700000001,,notadate,d41d8cd98f00b204e9800998ecf8427e,无\n"   # 4 empty-file hash, junk agent
    ),
    "payments.csv": (
        "payer,payee,amount,purpose,loan_id\n"
        "B1,91350100M000100Y43,100,repayment,L1\n"  # 2 ok
        "B2,B1,abc,,\n"                             # 3 required amount invalid
        "B2,B1,5,repayment,L9\n"                    # 4 unknown loan: blanked
        "无,B1,5,,\n"                               # 5 junk payer
    ),
}

EXPECTED_PROBLEMS = [
    # (table, file, row, column, code, severity)
    ("borrowers", "borrowers.csv", 1, "风险等级", "unknown_column", "warning"),
    ("borrowers", "borrowers.csv", 3, "address", "junk_identifier", "warning"),
    ("borrowers", "borrowers.csv", 3, "bank_account", "junk_identifier", "warning"),
    ("borrowers", "borrowers.csv", 3, "credit_file", "unknown_choice", "warning"),
    ("borrowers", "borrowers.csv", 3, "email", "junk_identifier", "warning"),
    ("borrowers", "borrowers.csv", 3, "first_overdue_on", "invalid_value", "warning"),
    ("borrowers", "borrowers.csv", 3, "id_number", "bad_check_digit", "warning"),
    ("borrowers", "borrowers.csv", 3, "outstanding", "invalid_value", "warning"),
    ("borrowers", "borrowers.csv", 3, "overdue_days", "invalid_value", "warning"),
    ("borrowers", "borrowers.csv", 3, "phone", "junk_identifier", "warning"),
    ("borrowers", "borrowers.csv", 4, "phone", "junk_identifier", "warning"),
    ("borrowers", "borrowers.csv", 5, "borrower_id", "duplicate_key", "error"),
    ("borrowers", "borrowers.csv", 6, "borrower_id", "missing_value", "error"),
    ("borrowers", "borrowers.csv", 7, None, "ragged_row", "error"),
    ("companies", "companies.csv", 3, "registration_agent", "junk_identifier", "warning"),
    ("companies", "companies.csv", 3, "uscc", "bad_check_digit", "warning"),
    ("companies", "companies.csv", 4, "uscc", "duplicate_key", "error"),
    ("companies", "companies.csv", 5, "uscc", "invalid_value", "error"),
    ("complaints", "complaints.csv", 3, "borrower_id", "unknown_reference", "error"),
    ("complaints", "complaints.csv", 4, "agent", "junk_identifier", "warning"),
    ("complaints", "complaints.csv", 4, "attachments", "junk_identifier", "warning"),
    ("complaints", "complaints.csv", 4, "received_at", "invalid_value", "warning"),
    ("contacts", "contacts.csv", 3, "borrower_id", "unknown_reference", "error"),
    ("contacts", "contacts.csv", 4, "phone", "missing_value", "error"),
    ("contacts", "contacts.csv", 5, "phone", "junk_identifier", "error"),
    ("contacts", "contacts.csv", 5, "relation", "unknown_choice", "warning"),
    ("devices", "devices.csv", 3, "device_id", "bad_check_digit", "warning"),
    ("devices", "devices.csv", 3, "ip", "invalid_value", "warning"),
    ("devices", "devices.csv", 4, "device_id", "junk_identifier", "error"),
    ("devices", "devices.csv", 5, "device_id", "junk_identifier", "error"),
    ("devices", "devices.csv", 6, "device_id", "junk_identifier", "error"),
    ("loans", "loans.csv", 3, "borrower_id", "unknown_reference", "error"),
    ("loans", "loans.csv", 4, "loan_id", "duplicate_key", "error"),
    ("loans", "loans.csv", 5, "amount", "invalid_value", "warning"),
    ("loans", "loans.csv", 5, "employer_uscc", "invalid_value", "warning"),
    ("loans", "loans.csv", 5, "officer_id", "junk_identifier", "warning"),
    ("payments", "payments.csv", 3, "amount", "invalid_value", "error"),
    ("payments", "payments.csv", 4, "loan_id", "unknown_reference", "warning"),
    ("payments", "payments.csv", 5, "payer", "junk_identifier", "error"),
]

EXPECTED_COUNTS = {  # read, loaded, rejected
    "borrowers": (7, 4, 3),
    "companies": (4, 2, 2),
    "loans": (4, 2, 2),
    "contacts": (5, 2, 3),
    "devices": (5, 2, 3),
    "complaints": (3, 2, 1),
    "payments": (4, 2, 2),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bank")
    for name, text in FILES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def v(folder):
    return validate_folder(folder)


def rows_of(df: pd.DataFrame) -> list[int]:
    return [int(r) for r in df["_row"]]


def problem_tuples(problems: pd.DataFrame) -> list[tuple]:
    out = []
    for r in problems.itertuples(index=False):
        row = None if pd.isna(r.row) else int(r.row)
        col = None if r.column is None or (isinstance(r.column, float) and pd.isna(r.column)) else r.column
        out.append((r.table, r.file, row, col, r.code, r.severity))
    return out


# --- the whole report at once ---------------------------------------------------------------

def test_every_problem_reported_at_once_with_file_row_column(v) -> None:
    assert list(v.problems.columns) == PROBLEM_COLUMNS
    assert problem_tuples(v.problems) == EXPECTED_PROBLEMS


def test_loaded_plus_rejected_equals_read_for_every_table(v) -> None:
    assert set(v.counts.index) == set(EXPECTED_COUNTS)
    for name, (read, loaded, rejected) in EXPECTED_COUNTS.items():
        c = v.counts.loc[name]
        assert (c["read"], c["loaded"], c["rejected"]) == (read, loaded, rejected), name
        assert c["loaded"] + c["rejected"] == c["read"]
        assert len(v.tables[name]) == loaded
        errors = v.problems[(v.problems["table"] == name) & (v.problems["severity"] == "error")]
        assert errors["row"].nunique() == rejected, name
        warnings = v.problems[(v.problems["table"] == name) & (v.problems["severity"] == "warning")]
        assert c["warnings"] == len(warnings)


def test_rejected_rows_are_gone_and_kept_rows_keep_their_row_numbers(v) -> None:
    assert rows_of(v.tables["borrowers"]) == [2, 3, 4, 8]
    assert rows_of(v.tables["companies"]) == [2, 3]
    assert rows_of(v.tables["loans"]) == [2, 5]
    assert rows_of(v.tables["contacts"]) == [2, 6]
    assert rows_of(v.tables["devices"]) == [2, 3]
    assert rows_of(v.tables["complaints"]) == [2, 4]
    assert rows_of(v.tables["payments"]) == [2, 4]
    assert v.files["borrowers"] == "borrowers.csv"


def test_values_are_typed_and_normalised(v) -> None:
    b = v.tables["borrowers"].set_index("borrower_id")
    assert b.loc["B1", "phone"] == "+8613812345678"
    assert b.loc["B1", "outstanding"] == 1234.5
    assert b.loc["B1", "first_overdue_on"] == pd.Timestamp("2025-03-14")
    assert b.loc["B1", "overdue_days"] == 30
    assert b.loc["B5", "phone"] == "+8613912345671"
    assert b.loc["B5", "first_overdue_on"] == pd.Timestamp("2025-03-14")
    assert b.loc["B5", "outstanding"] == 0.0
    assert b.loc["B1", "x:风险等级"] == "高"           # unknown column kept as a property
    assert v.tables["contacts"].set_index("_row").loc[6, "borrower_id"] == "B5"


# --- each kind, value by value ------------------------------------------------------------------

def test_bad_check_digit_is_kept_and_flagged(v) -> None:
    b = v.tables["borrowers"].set_index("borrower_id")
    assert b.loc["B2", "id_number"] == "110105194912310021"
    assert not b.loc["B2", "id_number_check_ok"]
    assert b.loc["B1", "id_number_check_ok"]
    c = v.tables["companies"].set_index("_row")
    assert c.loc[3, "uscc"] == "91350100M000100Y44" and not c.loc[3, "uscc_check_ok"]
    d = v.tables["devices"].set_index("_row")
    assert d.loc[3, "device_id"] == "490154203237519" and not d.loc[3, "device_id_check_ok"]
    msg = v.problems[v.problems["code"] == "bad_check_digit"]["message"]
    assert msg.str.contains("kept and flagged").all()


def test_check_digit_policy_is_documented_in_the_module_docstring() -> None:
    doc = validate_mod.__doc__
    assert "bad check digit" in doc
    line = next(ln for ln in doc.splitlines() if ln.startswith("bad check digit"))
    assert "warning" in line and "kept" in line and "flagged" in line
    assert "loaded + rejected == read" in doc


def test_junk_identifiers_are_blanked_never_links(v) -> None:
    b = v.tables["borrowers"].set_index("borrower_id")
    for col in ("phone", "email", "address", "bank_account"):
        assert pd.isna(b.loc["B2", col]), col
    assert pd.isna(b.loc["B2", "address_key"])
    assert pd.isna(b.loc["B3", "phone"])                      # 13800000000: placeholder mobile
    assert pd.isna(v.tables["companies"].set_index("_row").loc[3, "registration_agent"])
    comp = v.tables["complaints"].set_index("complaint_id")
    assert comp.loc["C1", "attachments"] == "abc123def"      # the empty-file hash is dropped
    assert pd.isna(comp.loc["C3", "attachments"])
    assert pd.isna(comp.loc["C3", "agent"])
    assert pd.isna(v.tables["loans"].set_index("loan_id").loc["L3", "officer_id"])
    assert set(v.tables["devices"]["device_id"]) == {"490154203237518", "490154203237519"}


def test_unknown_borrower_reference_rejects_the_row(v) -> None:
    for table in ("contacts", "loans", "complaints"):
        p = v.problems[(v.problems["table"] == table) & (v.problems["code"] == "unknown_reference")]
        assert p["value"].tolist() == ["B9"]
        assert (p["severity"] == "error").all()
        assert p["message"].str.contains("row rejected").all()
        assert "B9" not in set(v.tables[table]["borrower_id"])


def test_unknown_optional_reference_is_blanked(v) -> None:
    pay = v.tables["payments"].set_index("_row")
    assert pay.loc[2, "loan_id"] == "L1"
    assert pd.isna(pay.loc[4, "loan_id"])


def test_duplicate_keys_keep_the_first(v) -> None:
    p = v.problems[v.problems["code"] == "duplicate_key"].set_index("table")
    assert p.loc["borrowers", "message"] == "duplicate borrower_id; first seen on row 2; row rejected"
    assert p.loc["loans", "message"] == "duplicate loan_id; first seen on row 2; row rejected"
    assert p.loc["companies", "value"] == "91350100M000100Y43"
    assert v.tables["borrowers"].set_index("borrower_id").loc["B1", "name"] == "张三"


def test_unparseable_values(v) -> None:
    p = v.problems[v.problems["code"] == "invalid_value"]
    got = {(r.table, int(r.row), r.column): (r.severity, r.value) for r in p.itertuples()}
    assert got[("borrowers", 3, "first_overdue_on")] == ("warning", "2025-02-30")
    assert got[("borrowers", 3, "outstanding")] == ("warning", "abc")
    assert got[("borrowers", 3, "overdue_days")] == ("warning", "12.5")
    assert got[("complaints", 4, "received_at")] == ("warning", "notadate")
    assert got[("payments", 3, "amount")] == ("error", "abc")   # required: row rejected
    assert got[("companies", 5, "uscc")] == ("error", "BADUSCC")


def test_ragged_row_reported_and_rejected(v) -> None:
    p = v.problems[v.problems["code"] == "ragged_row"]
    assert problem_tuples(p) == [("borrowers", "borrowers.csv", 7, None, "ragged_row", "error")]
    assert p["message"].iloc[0] == "row has 2 fields, the header has 12; row rejected"
    assert "B4" not in set(v.tables["borrowers"]["borrower_id"])


def test_report_is_json_ready_and_complete(v) -> None:
    rep = json.loads(json.dumps(v.report(), default=str))
    assert rep["usable"] is True
    assert len(rep["problems"]) == len(EXPECTED_PROBLEMS)
    assert {t["table"]: (t["read"], t["loaded"], t["rejected"]) for t in rep["tables"]} == EXPECTED_COUNTS
    first = rep["problems"][0]
    assert set(first) == set(PROBLEM_COLUMNS)
    assert sum(pc["n"] for pc in rep["problem_counts"]) == len(EXPECTED_PROBLEMS)


# --- smaller cases --------------------------------------------------------------------------------

def test_validate_raw_equals_validate_folder(folder, v) -> None:
    v2 = validate_raw(read_folder(folder))
    assert problem_tuples(v2.problems) == problem_tuples(v.problems)
    pd.testing.assert_frame_equal(v2.counts, v.counts)


def test_references_follow_normalisation(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\n B1 \nＢ2\n", encoding="utf-8")
    (tmp_path / "contacts.csv").write_text("borrower_id,phone\nB1,13700000001\nB2 ,13700000002\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert v.tables["borrowers"]["borrower_id"].tolist() == ["B1", "B2"]
    assert len(v.tables["contacts"]) == 2 and len(v.problems) == 0


def test_whitespace_variants_of_a_key_are_duplicates(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\nB1\n B1\nＢ1\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert v.counts.loc["borrowers", ["read", "loaded", "rejected"]].tolist() == [3, 1, 2]
    assert v.problems["row"].tolist() == [3, 4]


def test_duplicate_key_when_the_first_row_was_rejected(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\nB1\n", encoding="utf-8")
    (tmp_path / "loans.csv").write_text("loan_id,borrower_id\nL1,B9\nL1,B1\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert rows_of(v.tables["loans"]) == [3]       # the second L1 is the first one loaded
    assert v.problems["code"].tolist() == ["unknown_reference"]


def test_every_borrower_rejected_is_not_usable(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone\n,13812345678\nN/A,13912345678\n", encoding="utf-8")
    (tmp_path / "contacts.csv").write_text("borrower_id,phone\nB1,13700000001\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert not v.usable
    assert v.counts.loc["borrowers", "rejected"] == 2
    assert v.counts.loc["contacts", "rejected"] == 1       # no borrower to refer to
    assert v.problems["code"].tolist() == ["missing_value", "junk_identifier", "unknown_reference"]
    assert v.problems["severity"].tolist() == ["error", "error", "error"]


def test_placeholder_identifiers_never_become_keys(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\nB1\n无\n", encoding="utf-8")
    (tmp_path / "company_roles.csv").write_text(
        "uscc,person_id,role\n91350100M000100Y43,unknown,employee\n91350100M000100Y43,P1,employee\n"
        "91350100M000100Y43,未知,employee\n", encoding="utf-8")
    (tmp_path / "payments.csv").write_text("payer,payee,amount,loan_id\nB1,P1,5,N/A\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert problem_tuples(v.problems) == [
        ("borrowers", "borrowers.csv", 3, "borrower_id", "junk_identifier", "error"),
        ("company_roles", "company_roles.csv", 2, "person_id", "junk_identifier", "error"),
        ("company_roles", "company_roles.csv", 4, "person_id", "junk_identifier", "error"),
        ("payments", "payments.csv", 2, "loan_id", "junk_identifier", "warning"),
    ]
    assert v.tables["company_roles"]["person_id"].tolist() == ["P1"]
    assert v.tables["payments"]["loan_id"].isna().all()


def test_several_problems_in_one_row_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text(
        "borrower_id,phone,outstanding,first_overdue_on,id_number\nB1,5551234,abc,someday,12345\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert problem_tuples(v.problems) == [
        ("borrowers", "borrowers.csv", 2, c, "invalid_value", "warning")
        for c in ("first_overdue_on", "id_number", "outstanding", "phone")]
    assert v.counts.loc["borrowers", "loaded"] == 1


def test_xlsx_problems_name_the_workbook_and_sheet(tmp_path: Path) -> None:
    with pd.ExcelWriter(tmp_path / "data.xlsx") as w:
        pd.DataFrame({"客户号": ["B1", "B1"], "手机号": ["13812345678", "bad"]}).to_excel(w, sheet_name="借款人",
                                                                                    index=False)
    v = validate_folder(tmp_path)
    assert problem_tuples(v.problems) == [
        ("borrowers", "data.xlsx[借款人]", 3, "borrower_id", "duplicate_key", "error"),
        ("borrowers", "data.xlsx[借款人]", 3, "phone", "invalid_value", "warning"),
    ]


def test_empty_borrowers_table(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\n", encoding="utf-8")
    v = validate_folder(tmp_path)
    assert not v.usable
    assert v.counts.loc["borrowers", ["read", "loaded", "rejected"]].tolist() == [0, 0, 0]
    assert len(v.problems) == 0


def _str_column_reference(s: pd.Series, ident: bool):
    """The plain-string rule value by value: strip, NFKC, placeholders are junk."""
    import unicodedata

    from graphring import normalize as nz

    vals, status = [], []
    for x in s:
        y = None if pd.isna(x) or str(x).strip() == "" else unicodedata.normalize("NFKC", str(x).strip())
        if y is not None and ident and nz.is_junk(y):
            vals.append(None)
            status.append("junk")
        else:
            vals.append(y)
            status.append("missing" if y is None else "ok")
    return vals, status


@pytest.mark.parametrize("dtype", ["str", object])
def test_plain_string_columns_match_the_value_by_value_rule(dtype) -> None:
    # enough distinct values for the pyarrow path, with plain ASCII, junk tokens, quoted
    # placeholders, spaces, full-width and invisible characters among them
    from graphring.ingest.schema import Column

    pieces = ["B1", "b 2", " B3 ", "N/A", "n/a", "NULL", "无", "'x'", '"N/A"', "a  b", "ｂ１２", "\u200bB4",
              "0", "00", "-", "", " ", "\tq\t", "A`", "x'y", "Z\u00a0", "é", "null ", "Unknown", "#N/A"]
    raw = [p + str(i % 7) if i % 3 else p for i in range(200) for p in pieces[i % len(pieces):][:1]] + [None]
    s = pd.Series(raw * 2, dtype=dtype)
    for col, ident in ((Column("borrower_id", "str", required=True), True), (Column("note", "str"), False)):
        values, status, _ = validate_mod._normalise_column(col, s)
        want_v, want_s = _str_column_reference(s, ident)
        assert [None if pd.isna(x) else x for x in values] == want_v
        assert status.tolist() == want_s


def test_attachments_are_distinct_sorted_and_joined_per_row() -> None:
    h1, h2, h3 = "0a" * 16, "1b" * 15 + "cd", "0123456789abcdef" * 2
    s = pd.Series([f"{h2};{h1.upper()}；{h2}", None, "", f"{h3}", "d41d8cd98f00b204e9800998ecf8427e"],
                  index=[5, 6, 7, 8, 9], dtype="str")
    v, status, _ = validate_mod._attachments(s)
    assert v.index.tolist() == [5, 6, 7, 8, 9]
    assert [None if pd.isna(x) else x for x in v] == [f"{h1};{h2}", None, None, h3, None]
    assert status.tolist() == ["ok", "missing", "missing", "ok", "junk"]
