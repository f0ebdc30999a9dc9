"""``graphring validate``: a summary table and exit 0 when the data is usable, a clear
message and exit 1 when it is not -- and never a traceback, whatever the bytes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import graphring
from graphring.cli import app

runner = CliRunner()

GOOD = ("borrower_id,name,phone,outstanding\n"
        "B1,张三,13812345678,\"1,234.50\"\n"
        "B2,李四,unknown,abc\n"
        "B1,dup,13912345678,1\n"
        "B3,short\n")


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    """Output with all whitespace removed (rich wraps long lines at the terminal width)."""
    return "".join(text.split())


def table_rows(text: str) -> list[list[str]]:
    """Cells of every body row of the rich tables in ``text``."""
    return [[c.strip() for c in line.strip().strip("│").split("│")]
            for line in text.splitlines() if line.startswith("│")]


def assert_clean_failure(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error:" in result.output
    for f in fragments:
        assert flat(f) in flat(result.output), (f, result.output)


# --- usable data -----------------------------------------------------------------------------

def test_usable_data_prints_summary_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "contacts.csv").write_text("borrower_id,phone\nB1,13700000001\nB9,13700000002\n", encoding="utf-8")
    r = invoke("validate", tmp_path)
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Validation of" in out
    for header in ("table", "file", "read", "loaded", "rejected", "warnings"):
        assert header in out
    rows = table_rows(out)
    assert ["borrowers", "borrowers.csv", "4", "2", "2", "2"] in rows
    assert ["contacts", "contacts.csv", "2", "1", "1", "0"] in rows
    assert ["borrowers", "error", "duplicate_key", "1"] in rows      # problems by kind
    assert "Problems by kind" in out
    assert flat("[error] borrowers.csv row 4 column borrower_id: duplicate borrower_id; first seen on row 2; "
                "row rejected") in flat(out)
    assert flat("[error] borrowers.csv row 5: row has 2 fields, the header has 4; row rejected") in flat(out)
    assert flat("[error] contacts.csv row 3 column borrower_id: refers to a borrower not loaded") in flat(out)
    assert "Graph: Borrower 2" in out
    assert "Traceback" not in out


def test_report_json_has_every_problem(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    lines = ["borrower_id,phone,first_overdue_on"] + [f"B{i},bad{i},2025-02-30" for i in range(30)]
    (data / "borrowers.csv").write_text("\n".join(lines) + "\nB0,13812345678,\n", encoding="utf-8")
    report = tmp_path / "report.json"
    r = invoke("validate", data, "--report", report)
    assert r.exit_code == 0, r.output
    assert "... and 41 more (use --report FILE for all)" in r.output   # 61 problems, 20 shown
    assert "Report written to" in r.output
    rep = json.loads(report.read_text(encoding="utf-8"))
    assert rep["usable"] is True
    assert rep["tables"] == [{"table": "borrowers", "file": "borrowers.csv", "read": 31, "loaded": 30,
                              "rejected": 1, "warnings": 60}]
    assert len(rep["problems"]) == 61
    dup = [p for p in rep["problems"] if p["code"] == "duplicate_key"]
    assert dup == [{"table": "borrowers", "file": "borrowers.csv", "row": 32, "column": "borrower_id",
                    "code": "duplicate_key", "severity": "error",
                    "message": "duplicate borrower_id; first seen on row 2; row rejected", "value": "B0"}]
    assert {(p["row"], p["column"]) for p in rep["problems"] if p["code"] == "invalid_value"} == {
        (row, col) for row in range(2, 32) for col in ("phone", "first_overdue_on")}
    assert rep["graph"]["nodes"]["Borrower"] == 30
    assert {(c["code"], c["n"]) for c in rep["problem_counts"]} == {("duplicate_key", 1), ("invalid_value", 60)}


def test_mapping_option(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "borrowers.csv").write_text("CUST_NO,MOBILE\nB1,13812345678\n", encoding="utf-8")
    m = tmp_path / "mapping.yaml"
    m.write_text("borrowers:\n  CUST_NO: borrower_id\n  MOBILE: phone\n", encoding="utf-8")
    r = invoke("validate", data, "--mapping", m)
    assert r.exit_code == 0, r.output
    assert "Graph: Borrower 1, Phone 1 nodes; 1 relationships" in r.output
    r = invoke("validate", data)
    assert_clean_failure(r, "required column(s) missing for table borrowers: borrower_id")


def test_chinese_gb18030_xlsx_and_parquet_folder(tmp_path: Path) -> None:
    (tmp_path / "借款人.csv").write_bytes("客户号,手机号\nB1,13812345678\nB2,13912345678\n".encode("gb18030"))
    pd.DataFrame({"客户号": ["B1"], "设备号": ["490154203237518"]}).to_excel(tmp_path / "设备.xlsx", index=False)
    pd.DataFrame({"borrower_id": ["B2"], "account": ["6222020000000001"]}).to_parquet(tmp_path / "accounts.parquet")
    r = invoke("validate", tmp_path)
    assert r.exit_code == 0, r.output
    assert "借款人.csv" in r.output and "设备.xlsx" in r.output and "accounts.parquet" in r.output


# --- unusable data: exit 1, a clear message, no traceback ------------------------------------------

def test_path_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "borrowers.csv"
    f.write_text(GOOD, encoding="utf-8")
    assert_clean_failure(invoke("validate", f), "not a folder", "give the folder that holds borrowers.csv")


def test_path_does_not_exist(tmp_path: Path) -> None:
    assert_clean_failure(invoke("validate", tmp_path / "nope"), "data folder not found")


def test_no_borrowers_table(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text("borrower_id,phone\nB1,13812345678\n", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("hello", encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path), "the data cannot be used", "no borrowers table",
                         "it is the one required table")


def test_empty_folder(tmp_path: Path) -> None:
    assert_clean_failure(invoke("validate", tmp_path), "no borrowers table")


def test_required_column_missing(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("name,phone\n张三,13812345678\n", encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path),
                         "borrowers.csv: required column(s) missing for table borrowers: borrower_id",
                         "accepted headers: borrower_id: borrower_id, 客户号, 客户编号, 借款人编号")


def test_required_column_missing_in_an_optional_table(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "devices.csv").write_text("borrower_id,ip\nB1,1.2.3.4\n", encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path), "devices.csv: required column(s) missing for table "
                                                       "devices: device_id")


def test_binary_garbage_named_borrowers_csv(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_bytes(random.Random(1).randbytes(5000))
    assert_clean_failure(invoke("validate", tmp_path), "borrowers.csv")


def test_garbage_without_nul_bytes(tmp_path: Path) -> None:
    # no NUL (so not "binary"), not valid UTF-8 nor GB18030
    (tmp_path / "borrowers.csv").write_bytes(b"borrower_id\n" + bytes(range(0x80, 0x100)) * 4)
    assert_clean_failure(invoke("validate", tmp_path), "cannot decode as UTF-8, UTF-16 or GB18030 text")


def test_garbage_xlsx(tmp_path: Path) -> None:
    (tmp_path / "borrowers.xlsx").write_bytes(b"PK\x03\x04" + random.Random(2).randbytes(2000))
    assert_clean_failure(invoke("validate", tmp_path), "borrowers.xlsx: not a readable XLSX workbook")


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    (tmp_path / "data.xlsx").write_text(GOOD, encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path), "data.xlsx: not a readable XLSX workbook")


def test_garbage_parquet(tmp_path: Path) -> None:
    (tmp_path / "borrowers.parquet").write_bytes(b"PAR1" + random.Random(3).randbytes(2000) + b"PAR1")
    assert_clean_failure(invoke("validate", tmp_path), "borrowers.parquet: not a readable Parquet file")


def test_truncated_parquet(tmp_path: Path) -> None:
    p = tmp_path / "borrowers.parquet"
    pd.DataFrame({"borrower_id": [f"B{i}" for i in range(100)]}).to_parquet(p)
    p.write_bytes(p.read_bytes()[:-40])
    assert_clean_failure(invoke("validate", tmp_path), "borrowers.parquet: not a readable Parquet file")


def test_every_fatal_problem_in_one_message(tmp_path: Path) -> None:
    (tmp_path / "borrowers.xlsx").write_bytes(b"garbage")
    (tmp_path / "contacts.csv").write_text("borrower_id\nB1\n", encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path), "borrowers.xlsx: not a readable XLSX workbook",
                         "contacts.csv: required column(s) missing for table contacts: phone")


def test_no_borrower_row_loaded(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id,phone\n,13812345678\n", encoding="utf-8")
    r = invoke("validate", tmp_path)
    assert_clean_failure(r, "no borrower row could be loaded; the data is not usable")
    assert "Validation of" in r.output   # the summary is still printed, so the user sees why


def test_header_only_borrowers(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text("borrower_id\n", encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path), "no borrower row could be loaded")


def test_bad_mapping_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "borrowers.csv").write_text(GOOD, encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("loanz:\n  a: b\nborrowers:\n  X: nope\n", encoding="utf-8")
    assert_clean_failure(invoke("validate", tmp_path / "data", "--mapping", m),
                         "unknown table 'loanz'", "'nope' is not a column of borrowers")
    assert_clean_failure(invoke("validate", tmp_path / "data", "--mapping", tmp_path / "missing.yaml"),
                         "mapping file not found")


def test_report_to_an_unwritable_place_is_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text(GOOD, encoding="utf-8")
    r = invoke("validate", tmp_path, "--report", tmp_path / "no" / "such" / "dir" / "r.json")
    assert_clean_failure(r, "r.json")


def test_report_to_an_unwritable_place_has_no_traceback_from_the_console(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_text(GOOD, encoding="utf-8")
    r = _entry("validate", str(tmp_path), "--report", str(tmp_path / "no" / "such" / "dir" / "r.json"))
    assert "Traceback" not in r.stderr + r.stdout
    assert "r.json" in flat(r.stderr)


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_in_every_format(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for name in ("borrowers.csv", "contacts.tsv", "devices.xlsx", "loans.parquet", "data.xlsx"):
        (tmp_path / name).write_bytes(rnd.randbytes(rnd.randint(0, 3000)))
    r = invoke("validate", tmp_path)
    assert r.exit_code in (0, 1)
    assert "Traceback" not in r.output
    assert not (r.exception and not isinstance(r.exception, SystemExit)), r.exception


# --- the real console entry point -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
# this checkout first, whatever an editable install elsewhere points the `graphring` script at
ENV = {**os.environ, "GRAPHRING_DEBUG": "",
       "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def _entry(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("graphring")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "graphring.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)


def test_console_entry_bad_input_has_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "borrowers.csv").write_bytes(b"\x00\x01\x02\xff" * 100)
    r = subprocess.run([sys.executable, "-m", "graphring.cli", "validate", str(tmp_path)],
                       capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert "error: the data cannot be used" in r.stderr
    assert flat("looks like a binary file, not CSV text") in flat(r.stderr)
    r = _entry("validate", str(tmp_path / "missing"))
    assert "Traceback" not in r.stderr
    assert "error: data folder not found" in r.stderr


def test_console_entry_exit_code_is_1_on_bad_input(tmp_path: Path) -> None:
    r = _entry("validate", str(tmp_path / "missing"))
    assert r.returncode == 1


def test_console_entry_usage_error_is_a_usage_message(tmp_path: Path) -> None:
    r = _entry("validate")
    assert r.returncode == 2
    assert "internal error" not in r.stderr
    assert "Missing" in r.stderr


def test_help_lists_commands() -> None:
    r = invoke("--help")
    assert r.exit_code == 0
    for c in ("validate", "sample", "rings", "evaluate"):
        assert c in r.output
    r = invoke("validate", "--help")
    assert r.exit_code == 0
    assert "--mapping" in r.output and "--report" in r.output


def test_no_arguments_shows_help() -> None:
    r = invoke()
    assert "Usage" in r.output
    assert "Traceback" not in r.output


def test_version() -> None:
    r = invoke("--version")
    assert r.exit_code == 0
    assert r.output.strip() == f"graphring {graphring.__version__}"
    p = _entry("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"graphring {graphring.__version__}"
    assert p.stderr == ""
