"""Implausible amounts (1e308, 1e30) are flagged per row and never summed to "¥inf" (issue 19.6)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from graphring.cli import app
from graphring.ingest.validate import MAX_AMOUNT, validate_folder

runner = CliRunner()
#: "inf" as a number prints it ("¥inf", "inf", "1e+308"), not inside words such as "information"
INF = re.compile(r"(?<![A-Za-z])(?:inf|infinity)(?![A-Za-z])|e\+30[0-9]", re.IGNORECASE)
AMOUNTS = {"borrowers": "outstanding", "loans": "amount", "payments": "amount", "company_roles": "monthly_salary"}


def test_implausible_amounts_are_flagged_per_row(tmp_path, monkeypatch):
    d = tmp_path / "d"
    d.mkdir()
    (d / "borrowers.csv").write_text("borrower_id,outstanding\nB1,1e308\nB2,1e30\nB3,\"1,234.50\"\nB4,2e12\n",
                                     encoding="utf-8")
    (d / "payments.csv").write_text("payer,payee,amount\nB1,B2,1e308\nB2,B3,800\n", encoding="utf-8")
    v = validate_folder(d)
    p = v.problems[v.problems["code"] == "implausible_amount"]
    assert sorted(zip(p["file"], p["row"], p["column"], p["severity"])) == [
        ("borrowers.csv", 2, "outstanding", "warning"), ("borrowers.csv", 3, "outstanding", "warning"),
        ("borrowers.csv", 5, "outstanding", "warning"), ("payments.csv", 2, "amount", "error")]
    assert p["message"].str.contains("GRAPHRING_MAX_AMOUNT").all()
    b = v.tables["borrowers"].set_index("borrower_id")["outstanding"]
    assert b[["B1", "B2", "B4"]].isna().all() and b["B3"] == 1234.5
    assert len(v.tables["payments"]) == 1
    assert (v.counts["loaded"] + v.counts["rejected"] == v.counts["read"]).all()
    # the ceiling is configurable
    monkeypatch.setenv("GRAPHRING_MAX_AMOUNT", "1e31")
    v2 = validate_folder(d)
    p2 = v2.problems[v2.problems["code"] == "implausible_amount"]
    assert sorted(p2["row"].tolist()) == [2, 2]
    monkeypatch.setenv("GRAPHRING_MAX_AMOUNT", "-1")
    r = runner.invoke(app, ["validate", str(d)])
    assert r.exit_code == 1 and "GRAPHRING_MAX_AMOUNT" in r.output and "Traceback" not in r.output
    assert MAX_AMOUNT == 1e12


def test_every_amount_at_1e308_never_prints_inf(tmp_path):
    from graphring.present.referral import write_referral
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate

    data = tmp_path / "data"
    generate(data, 400, seed=5)
    for table, col in AMOUNTS.items():
        f = data / f"{table}.csv"
        t = pd.read_csv(f, dtype=str, keep_default_na=False)
        t[col] = "1e308"
        t.to_csv(f, index=False)
    res = find_rings(data, seed=0)
    p = res.validation.problems
    assert (p["code"] == "implausible_amount").sum() >= sum(
        len(pd.read_csv(data / f"{t}.csv")) for t in ("borrowers", "loans"))
    write_run(res, tmp_path / "run", data_dir=data)
    assert res.rings
    pack = write_referral(tmp_path / "run", res.rings[0].ring_id, tmp_path / "pack", lang="en")
    assert pack["pdf_pages"] >= 1
    for f in sorted((tmp_path / "pack").iterdir()):
        if f.suffix in (".csv", ".html", ".json", ".md", ".svg"):
            text = f.read_text(encoding="utf-8-sig")
            assert not INF.search(text), (f.name, INF.search(text))
    crimes = pd.read_csv(tmp_path / "pack" / "crime_table.csv", dtype=str, keep_default_na=False)
    assert not crimes.apply(lambda c: c.str.contains(INF)).to_numpy().any()
