"""The run directory has one owner, graphring/run.py (issue 15): one typed Run, state file names once."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import graphring
import graphring.run as run_mod
from graphring.errors import RunError
from demo_data import demo_run
from graphring.run import INCIDENCE, PARTITION, SUBGRAPH_NODES, Run, read_run

PKG = Path(graphring.__file__).parent
STATE_NAMES = {run_mod.PROJECTION_EDGES, run_mod.INCIDENCE, run_mod.PARTITION, run_mod.SUBGRAPH_EDGES,
               run_mod.SUBGRAPH_NODES, *run_mod.SCREEN_INDEX_FILES}


def _string_literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_state_file_names_are_written_once():
    where = {}
    for p in PKG.rglob("*.py"):
        for name in _string_literals(p) & (STATE_NAMES | {"state"}):
            where.setdefault(name, []).append(str(p.relative_to(PKG)))
    # "state" is also a word in messages; as a bare literal it names the run's folder only in run.py
    assert {n: w for n, w in where.items() if w != ["run.py"]} == {}


def test_read_run_returns_one_typed_run(tmp_path):
    d = demo_run(tmp_path)
    run = read_run(d)
    assert isinstance(run, Run) and read_run(run) is run
    assert run.dir == Path(d) and [r["ring_id"] for r in run.ring_list] == ["R0001"]
    assert isinstance(run.members, pd.DataFrame) and set(run.members["ring_id"]) == {"R0001"}
    assert run.manifest["n_rings"] == 1
    inc = run.read_state(INCIDENCE, columns=["borrower", "link"])
    assert list(inc.columns) == ["borrower", "link"] and len(inc)
    assert run.has_state(SUBGRAPH_NODES)
    # the report and the referral read the same Run
    from graphring.present.ringdata import load_ring
    from graphring.present.report.data import ReportRun

    assert ReportRun.load(run).rings == run.ring_list
    assert load_ring(run, "R0001").ring["ring_id"] == "R0001"


def test_missing_state_is_one_clear_error(tmp_path):
    d = demo_run(tmp_path)
    (Path(d) / "state" / PARTITION).unlink()
    with pytest.raises(RunError, match=r"state/partition.parquet is missing; rerun `graphring rings`"):
        read_run(d).read_state(PARTITION)
    assert read_run(d).read_state(PARTITION, required=False) is None
    (Path(d) / "state" / INCIDENCE).write_bytes(b"not parquet")
    with pytest.raises(RunError, match="cannot read the run state"):
        read_run(d).read_state(INCIDENCE)


def test_watchlist_no_longer_imports_rings():
    """The cycle rings -> signals -> watchlist -> rings (read_run) is gone: watchlist reads runs via run.py."""
    from graphring.watch import watchlist

    src = Path(watchlist.__file__).read_text(encoding="utf-8")
    mods = {n.module for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
    assert "graphring.run" in mods and "graphring.pipeline" not in mods
