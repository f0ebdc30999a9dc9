"""Runs for testing reports: a real pipeline run with hostile complaint text, and a synthetic large ring.

:func:`hostile_run` generates a small sample population, plants
:data:`HOSTILE` into complaint texts (and a borrower name) of one planted ring
*before* ring finding, so the payload flows through the real pipeline into the
run directory. :func:`large_run` writes a run directory with one ring of about
``n_entities`` entities directly, to check that pages stay responsive.
Test scaffolding, not in the wheel (``tests/present/test_report_html.py``, ``tests/present/test_browser.py``).

Examples
--------
>>> import tempfile, pathlib
>>> d = large_run(pathlib.Path(tempfile.mkdtemp()) / "run", n_borrowers=20, leaves=3)
>>> from graphring.present.report.data import ReportRun
>>> rr = ReportRun.load(d)
>>> rr.rings[0]["ring_id"], len(rr.nodes) > 20
('R0001', True)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from graphring.pipeline import find_rings
from graphring.run import STATE_DIR, SUBGRAPH_EDGES, SUBGRAPH_NODES, write_run
from graphring.sample import generate

__all__ = ["HOSTILE", "HOSTILE_NAME", "hostile_run", "large_run"]

#: Hostile complaint text: would run script, open a dialog, or break out of a <script> if not escaped.
HOSTILE = ("<script>window.__xss=1;alert(1)</script><img src=x onerror=\"window.__xss=2;alert(2)\">"
           "\"onmouseover=\"window.__xss=3\" '</script><!-- \u2028\u2029 &amp; ${x} {{x}}")
#: Hostile borrower name (shown unmasked only with reveal).
HOSTILE_NAME = "<img src=x onerror=window.__xss=4>张三"


def hostile_run(root: str | Path, n_borrowers: int = 600, seed: int = 1) -> dict:
    """Generate data, plant :data:`HOSTILE` in one planted ring's complaints, find rings, write the run.

    Parameters
    ----------
    root : path
        Working folder: ``root/data`` (input) and ``root/run`` (run directory).
    n_borrowers, seed : int
        Passed to :func:`graphring.sample.generate`.

    Returns
    -------
    dict
        ``run`` (run directory), ``data`` (data folder), ``borrowers`` (ids whose
        complaints carry the payload), ``named`` (borrower id with the hostile
        name), ``complaints`` (ids of the planted complaints).
    """
    root = Path(root)
    data = root / "data"
    generate(data, n_borrowers, seed=seed)
    truth = pd.read_csv(data.parent / "truth.csv", dtype=str)
    comp = pd.read_csv(data / "complaints.csv", dtype=str, keep_default_na=False)
    planted = truth[~truth["ring_id"].str.startswith("BENIGN") & (truth["kind"] == "borrower")]
    chosen: list[str] = []
    for _, grp in planted.groupby("ring_id", sort=True):
        ids = set(grp["id"])
        if comp["borrower_id"].isin(ids).sum() >= 3:
            chosen = sorted(ids)
            break
    if not chosen:
        raise AssertionError("the generated sample has no planted ring with complaints")
    m = comp["borrower_id"].isin(chosen)
    comp.loc[m, "text"] = comp.loc[m, "text"] + HOSTILE
    comp.to_csv(data / "complaints.csv", index=False)
    bor = pd.read_csv(data / "borrowers.csv", dtype=str, keep_default_na=False)
    with_c = sorted(set(comp.loc[m, "borrower_id"]))
    named = with_c[0]
    bor.loc[bor["borrower_id"] == named, "name"] = HOSTILE_NAME
    bor.to_csv(data / "borrowers.csv", index=False)
    res = find_rings(data, seed=0)
    write_run(res, root / "run", data_dir=data)
    return {"run": root / "run", "data": data, "borrowers": with_c, "named": named,
            "complaints": sorted(comp.loc[m, "complaint_id"])}


def large_run(run_dir: str | Path, n_borrowers: int = 400, leaves: int = 4) -> Path:
    """Write a run directory with one ring of ``n_borrowers * (leaves + 2) + 2`` entities.

    Every borrower has ``leaves`` identifiers of its own (devices, e-mails...),
    one complaint filed from a shared agency phone, and one loan handled by a
    shared officer.
    """
    d = Path(run_dir)
    (d / STATE_DIR).mkdir(parents=True, exist_ok=True)
    kinds = ["device", "email", "ip", "account", "address"]
    nodes, edges, members = [], [], []
    hub, officer = "phone:+8613700001111", "officer:E1"
    nodes += [{"node": hub, "kind": "phone", "key": hub[6:]}, {"node": officer, "kind": "officer", "key": "E1"}]
    members += [{"kind": "phone", "id": hub[6:], "role": "hub_phone"}, {"kind": "officer", "id": "E1", "role": "member"}]
    for i in range(n_borrowers):
        b = f"B{i:05d}"
        bn = "borrower:" + b
        nodes.append({"node": bn, "kind": "borrower", "key": b, "name": f"王{i}", "outstanding": "1000",
                      "phone": f"+86139{i:08d}"})
        members.append({"kind": "borrower", "id": b, "role": "member"})
        for j in range(leaves):
            k = kinds[j % len(kinds)]
            nid = f"{k}:{k[0]}{i}-{j}"
            nodes.append({"node": nid, "kind": k, "key": nid.split(":", 1)[1]})
            edges.append({"type": "USED_DEVICE", "src": bn, "dst": nid, "_table": "devices", "_row": i * 10 + j})
        c, ln = f"complaint:C{i:05d}", f"loan:L{i:05d}"
        nodes.append({"node": c, "kind": "complaint", "key": c[10:], "text": "请停止催收",
                      "received_at": f"2025-{1 + i % 12:02d}-10 10:00:00"})
        nodes.append({"node": ln, "kind": "loan", "key": ln[5:], "amount": "50000",
                      "applied_at": f"2024-{1 + i % 12:02d}-01"})
        edges += [{"type": "ABOUT", "src": c, "dst": bn, "_table": "complaints", "_row": i + 2},
                  {"type": "FILED_FROM", "src": c, "dst": hub, "_table": "complaints", "_row": i + 2},
                  {"type": "HAS_LOAN", "src": bn, "dst": ln, "_table": "loans", "_row": i + 2},
                  {"type": "HANDLED_BY", "src": ln, "dst": officer, "_table": "loans", "_row": i + 2}]
    pd.DataFrame(nodes).astype(object).to_parquet(d / STATE_DIR / SUBGRAPH_NODES, index=False)
    pd.DataFrame(edges).to_parquet(d / STATE_DIR / SUBGRAPH_EDGES, index=False)
    ev = [{"borrower": f"B{i:05d}", "entity": hub, "table": "complaints", "row": i + 2, "key": f"C{i:05d}",
           "detail": "complaint filed from a number that is not the borrower's"} for i in range(n_borrowers)]
    ring = {"ring_id": "R0001", "score": 0.9, "typology": "proxy_complaint", "scheme_scores": {"proxy_complaint": 0.9},
            "size": {"borrower": n_borrowers, "phone": 1, "officer": 1}, "members": members,
            "signals": [{"name": "hub_complaint_phone", "weight": 1.0, "strength": 1.0, "contribution": 1.0,
                         "schemes": ["proxy_complaint"], "reason": "one number files for many", "evidence": ev}],
            "robustness": {}}
    (d / "rings.json").write_text(json.dumps({"run": {"algorithm": "synthetic"}, "rings": [ring]}), encoding="utf-8")
    (d / "manifest.json").write_text(json.dumps({"n_rings": 1}), encoding="utf-8")
    pd.DataFrame([{"ring_id": "R0001", "score": 0.9, "typology": "proxy_complaint", **m} for m in members]).to_csv(
        d / "ring_members.csv", index=False)
    return d
