"""Issue 19.7: an uncertain encoding is named, symbolic links out of the folder are refused, NUL bytes are reported."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from typer.testing import CliRunner

from graphring.cli import app
from graphring.ingest.validate import validate_folder

runner = CliRunner()


def _out(r) -> str:
    """The output with every space and line break removed (rich wraps long paths anywhere)."""
    return "".join(r.output.split())


def _has(r, needle: str) -> bool:
    return "".join(needle.split()) in _out(r)


def _borrowers(n: int, name: str = "王建国") -> str:
    return "客户号,姓名,城市,地址\n" + "".join(f"C{i:06d},{name}{i},苏州市,江苏省苏州市姑苏区人民路{i}号\n"
                                             for i in range(n))


# --------------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding,text,named", [
    ("shift_jis", "顧客番号,氏名,都市,住所\n" + "".join(f"C{i:06d},山田太郎{i},東京都,東京都千代田区丸の内{i}丁目\n"
                                                   for i in range(200)), "Shift-JIS"),
    ("big5", "客戶號,姓名,城市,地址\n" + "".join(f"C{i:06d},陳大文{i},臺北市,臺北市中正區重慶南路{i}號\n"
                                            for i in range(200)), "Big5"),
])
def test_shift_jis_and_big5_are_read_with_a_warning_naming_the_encoding(tmp_path, encoding, text, named):
    d = tmp_path / "d"
    d.mkdir()
    data = text.replace(text.split("\n", 1)[0], "borrower_id,name,city,address").encode(encoding)
    data.decode("gb18030")   # they decode as GB18030 without an error: garbled, not refused
    (d / "borrowers.csv").write_bytes(data)
    v = validate_folder(d)
    p = v.problems[v.problems["code"] == "uncertain_encoding"]
    assert len(p) == 1 and named in p["message"].iloc[0] and "GB18030" in p["message"].iloc[0]
    assert p["file"].iloc[0] == "borrowers.csv" and p["severity"].iloc[0] == "warning"
    r = runner.invoke(app, ["validate", str(d)])
    assert r.exit_code == 0 and _has(r, "uncertain") and named in _out(r)


def test_genuine_gb18030_files_get_no_encoding_warning(tmp_path):
    from graphring.sample import generate

    generate(tmp_path / "utf8", 600, seed=5)
    gb = tmp_path / "gb"
    gb.mkdir()
    for p in sorted((tmp_path / "utf8").glob("*.csv")):
        (gb / p.name).write_bytes(p.read_text(encoding="utf-8").encode("gb18030"))
    v = validate_folder(gb)
    assert set(v.tables) >= {"borrowers", "complaints", "phone_events", "contacts"}
    assert not (v.problems["code"] == "uncertain_encoding").any(), \
        v.problems.loc[v.problems["code"] == "uncertain_encoding", ["file", "message"]].values.tolist()


# --------------------------------------------------------------------------------------- symbolic links

def test_symlink_to_a_file_outside_the_folder_is_refused_naming_the_target(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "borrowers.csv").write_text("borrower_id\nB1\nB2\n", encoding="utf-8")
    secret = tmp_path / "elsewhere" / "secret_loans.csv"
    secret.parent.mkdir()
    secret.write_text("loan_id,borrower_id,amount\nL1,B1,100\n", encoding="utf-8")
    os.symlink(secret, d / "loans.csv")
    for cmd in (["validate", str(d)], ["rings", str(d), "--out", str(tmp_path / "run")]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 1, r.output
        assert _has(r, "symbolic link") and _has(r, "secret_loans.csv") and _has(r, "outside the data folder")
        assert "Traceback" not in r.output


@pytest.mark.parametrize("target", ["missing.csv", "loop"])
def test_dangling_or_looping_symlink_is_a_clear_error(tmp_path, target):
    d = tmp_path / "d"
    d.mkdir()
    (d / "borrowers.csv").write_text("borrower_id\nB1\n", encoding="utf-8")
    if target == "loop":
        os.symlink(d / "loans.csv", d / "loans.csv")
    else:
        os.symlink(d / target, d / "loans.csv")
    r = runner.invoke(app, ["rings", str(d), "--out", str(tmp_path / "run")])
    assert r.exit_code == 1 and _has(r, "points nowhere or loops") and "Traceback" not in r.output


def test_symlink_inside_the_folder_is_followed(tmp_path):
    d = tmp_path / "d"
    (d / "exports").mkdir(parents=True)
    (d / "exports" / "b.csv").write_text("borrower_id\nB1\nB2\n", encoding="utf-8")
    os.symlink(d / "exports" / "b.csv", d / "borrowers.csv")
    v = validate_folder(d)
    assert len(v.tables["borrowers"]) == 2


# --------------------------------------------------------------------------------------- NUL bytes

@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "ragged"])
def test_nul_bytes_after_the_first_4_kib_are_a_problem_row(tmp_path, encoding):
    d = tmp_path / "d"
    d.mkdir()
    text = "borrower_id,name,city\n" + "".join(f"C{i:06d},王建国{i},苏州市\n" for i in range(300))
    text += "C999999,张\x00\x00三,苏州\x00市\n"
    if encoding == "ragged":  # the csv-module path
        text += "C888888,x,y,z\n"
    data = text.encode("utf-8" if encoding == "ragged" else encoding)
    assert data.index(b"\x00") > 4096
    (d / "borrowers.csv").write_bytes(data)
    v = validate_folder(d)
    p = v.problems[v.problems["code"] == "nul_byte"]
    assert sorted(p["column"]) == ["city", "name"] and set(p["row"]) == {302} and (p["file"] == "borrowers.csv").all()
    b = v.tables["borrowers"]
    row = b[b["borrower_id"] == "C999999"]
    assert row["name"].iloc[0] == "张三" and row["city"].iloc[0] == "苏州市"
    c = v.counts.loc["borrowers"]
    assert c["loaded"] + c["rejected"] == c["read"]
    r = runner.invoke(app, ["validate", str(d)])
    assert r.exit_code == 0 and _has(r, "NUL")
    assert not any("\x00" in str(x) for x in pd.Series(b.astype(str).to_numpy().ravel()))


def test_screen_reports_nul_bytes_in_new_records_too(tmp_path):
    from graphring.watch.screen import read_new_data

    d = tmp_path / "new"
    d.mkdir()
    text = "complaint_id,borrower_id,text\n" + "".join(f"T{i:05d},C{i:06d},请停止催收{i}\n" for i in range(400))
    text += "T99999,C999999,我要\x00投诉\n"
    (d / "complaints.csv").write_bytes(text.encode("utf-8"))
    v = read_new_data(d)
    p = v.problems[v.problems["code"] == "nul_byte"]
    assert p[["file", "row", "column"]].values.tolist() == [["complaints.csv", 402, "text"]]
    assert "我要投诉" in set(v.tables["complaints"]["text"])
