"""Every optional table and every optional column, removed one at a time, leaves rings, report and referral working.

Issue 19.1: ``rm loans.csv`` (or dropping ``applied_at``) on a generated folder
made ``rings`` end in "internal error: TypeError: Cannot cast DatetimeArray to
dtype float64" in ``signals.recent_incorporation`` while ``validate`` said 0.
The cases are read from the schema (``graphring.ingest.schema.TABLES``): every table
but ``borrowers`` that the generator writes, and every optional column of every
table it writes. One 300-borrower folder is generated per session; each case
copies it, removes one thing, and runs validation, ring finding, the run
directory, a report page and a referral pack in-process. The referral PDF is
rendered for the table cases, of the top ring (it is built from the same
tables as the HTML page, which every case renders); column cases refer the
smallest ring and replace the PDF step by a one-page placeholder, to keep the
test fast.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from graphring.ingest.schema import TABLES

N_BORROWERS = 300


def _cases() -> list[tuple[str, str | None]]:
    from graphring.sample import generate
    import tempfile
    from pathlib import Path

    # the generator's tables and headers (a tiny folder: the headers do not depend on the size)
    d = Path(tempfile.mkdtemp()) / "h"
    generate(d, 60, seed=5)
    out = []
    for name, t in TABLES.items():
        f = d / f"{name}.csv"
        if not f.exists():
            continue
        if name != "borrowers":
            out.append((name, None))
        header = set(pd.read_csv(f, nrows=0).columns)
        out += [(name, c.name) for c in t.columns if not c.required and c.name in header]
    shutil.rmtree(d.parent, ignore_errors=True)
    return out


CASES = _cases()


@pytest.fixture(scope="session")
def folder(tmp_path_factory):
    from graphring.sample import generate

    d = tmp_path_factory.mktemp("optional") / "data"
    generate(d, N_BORROWERS, seed=5)
    return d


def test_the_schema_gives_enough_cases():
    tables = {t for t, c in CASES if c is None}
    assert {"loans", "payments", "complaints", "companies"} <= tables
    assert ("loans", "applied_at") in CASES and ("payments", "paid_at") in CASES
    assert len(CASES) >= 50, len(CASES)


@pytest.mark.parametrize("table,column", CASES, ids=[f"{t}-{c or 'table'}" for t, c in CASES])
def test_optional_input_removed(folder, tmp_path, monkeypatch, table, column):
    from graphring.present.referral import write_referral
    from graphring.present.report import write_report
    from graphring.pipeline import find_rings, read_run, write_run

    data = tmp_path / "data"
    shutil.copytree(folder, data)
    f = data / f"{table}.csv"
    if column is None:
        f.unlink()
    else:
        t = pd.read_csv(f, dtype=str, keep_default_na=False)
        t.drop(columns=[column]).to_csv(f, index=False)
        assert column not in pd.read_csv(f, nrows=0).columns
    res = find_rings(data, seed=0)
    v = res.validation
    assert (v.counts["loaded"] + v.counts["rejected"] == v.counts["read"]).all()
    assert (table in v.tables) == (column is not None)
    write_run(res, tmp_path / "run", data_dir=data)
    run = read_run(tmp_path / "run")
    assert len(run.ring_list) == len(res.rings)
    rep = write_report(tmp_path / "run", tmp_path / "report", top=1)
    assert rep["index"].is_file() and len(rep["pages"]) == min(1, len(res.rings))
    if not res.rings:  # nothing to refer; rings and report still worked
        return
    if column is not None:
        import graphring.present.referral.pdf as pdf

        def placeholder(ctx, path):
            path.write_bytes(b"%PDF-1.4\n% placeholder (tests/ingest/test_optional_inputs.py)\n")
            return 1

        monkeypatch.setattr(pdf, "write_pdf", placeholder)
    # the table cases refer the top ring; column cases the smallest (its figures draw fastest)
    ring = res.rings[0] if column is None else min(res.rings, key=lambda r: (len(r.members), r.ring_id))
    pack = write_referral(tmp_path / "run", ring.ring_id, tmp_path / "pack")
    assert pack["counts"]["members"] > 0
    for name in ("members.csv", "evidence.csv", "amounts.csv", "timeline.csv", "complaints.csv",
                 f"referral-{ring.ring_id}.html", f"referral-{ring.ring_id}.pdf", "manifest.json"):
        assert (tmp_path / "pack" / name).is_file(), name
    if column is None:
        assert pack["pdf_pages"] >= 2
