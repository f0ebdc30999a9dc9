"""Ring history: stable ids across runs, statuses, gone rings, warm-started Leiden."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from graphring.errors import RunError
from graphring.analyse.history import (apply_history, assign_ring_ids, previous_partition, match_rings, previous_rings,
                               read_history, write_history)


# --------------------------------------------------------------------------------------- statuses

def test_every_status():
    prev = {"R0001": set("abcdef"), "R0002": set("ghij"), "R0003": set("klmnop"), "R0004": set("qrs"),
            "R0005": set("tuv"), "R0006": set("wxyz"), "R0007": set("ABCDEFGH"), "R0009": set("IJK")}
    cur = [set("abcdef") | {"Z1"},   # grown
           set("ghi"),               # shrunk
           set("klmnop"),            # unchanged
           set("qrstuv"),            # merged R0004 + R0005
           set("ABCD"), set("EFGH"),  # split R0007
           set("wxy") | {"Q"},       # changed: same size, one member swapped
           set("123")]               # new
    h = match_rings(cur, prev, next_id=12)
    st = dict(zip(h.ids, h.status["status"]))
    assert h.ids[:4] == ["R0001", "R0002", "R0003", "R0004"]
    assert [st[i] for i in ("R0001", "R0002", "R0003", "R0004")] == ["grown", "shrunk", "unchanged", "merged"]
    assert h.status.loc[0, "joined"] == ["Z1"] and h.status.loc[1, "left"] == ["j"]
    assert h.status.loc[3, "previous"] == "R0004;R0005"
    assert h.ids[4] == "R0007" and h.status.loc[4, "status"] == "split"
    assert h.ids[5] == "R0012" and h.status.loc[5, "status"] == "split" and h.status.loc[5, "previous"] == "R0007"
    assert h.ids[6] == "R0006" and h.status.loc[6, "status"] == "changed"
    assert h.ids[7] == "R0013" and h.status.loc[7, "status"] == "new"
    gone = dict(zip(h.gone["ring_id"], h.gone["into"]))
    assert gone == {"R0005": "R0004", "R0009": ""}
    assert h.next_id == 14
    assert h.counts() == {"changed": 1, "grown": 1, "merged": 1, "new": 1, "shrunk": 1, "split": 2, "unchanged": 1,
                          "gone": 2}
    assert len(set(h.ids)) == len(h.ids)


def test_small_overlap_is_not_continuity():
    prev = {"R0001": set("abcdefghijklmnopqrst")}
    # 3 of 20 members plus 6 strangers: not the same ring
    h = match_rings([set("abcxyzuvw")], prev)
    assert h.ids == ["R0002"] and h.status["status"].tolist() == ["new"] and h.gone["ring_id"].tolist() == ["R0001"]
    # 5 of 20 and nobody else: the ring shrank
    h = match_rings([set("abcde")], prev)
    assert h.ids == ["R0001"] and h.status["status"].tolist() == ["shrunk"] and len(h.status.loc[0, "left"]) == 15
    # a three-way split
    h = match_rings([set("abcdefg"), set("hijklmn"), set("opqrst")], prev)
    assert h.status["status"].tolist() == ["split"] * 3 and h.ids[0] == "R0001"


def test_ids_never_reused_across_chained_runs(tmp_path):
    def run_dir(name, rings, hist=None):
        d = tmp_path / name
        d.mkdir()
        rows = [{"ring_id": rid, "score": 0.9, "typology": "mixed", "kind": "borrower", "id": b, "role": "member"}
                for rid, bs in rings.items() for b in sorted(bs)]
        pd.DataFrame(rows).to_csv(d / "ring_members.csv", index=False)
        if hist is not None:
            write_history(d, hist)
        return d

    a = run_dir("a", {"R0001": set("abc"), "R0002": set("def"), "R0003": set("ghi")})
    h1 = assign_ring_ids([set("abc"), set("xyz")], a)
    assert h1.ids == ["R0001", "R0004"] and set(h1.gone["ring_id"]) == {"R0002", "R0003"}
    b = run_dir("b", dict(zip(h1.ids, [set("abc"), set("xyz")])), h1)
    assert previous_rings(b)[1] == 5
    assert read_history(b)["counts"]["gone"] == 2
    # R0002 and R0003 are gone: a new ring of their members is not given their old ids
    h2 = assign_ring_ids([set("def"), set("abc")], b)
    assert h2.ids == ["R0005", "R0001"]
    assert assign_ring_ids([set("abc")], None).ids == ["R0001"]
    with pytest.raises(RunError):
        previous_rings(tmp_path / "missing")
    with pytest.raises(RunError):
        read_history(a)


def test_warm_start_membership(tmp_path):
    from graphring.detect.communities import initial_labels

    prev = pd.Series([5, 5, 9, 9], index=["a", "b", "c", "d"])
    # known nodes keep their group (renumbered), new nodes start alone
    assert initial_labels(pd.Index(["c", "a", "x", "b", "d", "y"]), prev) == [1, 0, 2, 0, 1, 3]
    assert initial_labels(pd.Index(["x", "y"]), prev) == [0, 1]
    with pytest.raises(RunError, match="partition.parquet"):
        previous_partition(tmp_path)


def test_warm_start_reaches_detection():
    """A node tied equally to two groups stays on the side the previous run put it (Leiden and Louvain)."""
    from graphring.detect.communities import detect

    e = pd.DataFrame({"u": ["a1", "a1", "a2", "b1", "b1", "b2", "x", "x"],
                      "v": ["a2", "a3", "a3", "b2", "b3", "b3", "a1", "b1"], "weight": [1.0] * 8})
    for algo, opts in (("leiden", {"quality": "cpm", "resolution": 0.3}), ("louvain", {})):
        for side in ("a", "b"):
            init = pd.Series({"a1": 0, "a2": 0, "a3": 0, "b1": 1, "b2": 1, "b3": 1, "x": 0 if side == "a" else 1})
            warm = detect(e, algorithm=algo, seed=0, initial=init, **opts)
            assert warm.params["warm_start"] is True
            assert warm.membership["x"] == warm.membership[f"{side}1"], (algo, side)
            assert warm.membership["a1"] != warm.membership["b1"]


# --------------------------------------------------------------------------------------- two overlapping runs

@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """One population; run A without 5% of borrowers, run B without another 5% (5% added, 5% removed)."""
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate
    from graphring.watch.screen import split_folder

    d = tmp_path_factory.mktemp("hist")
    generate(d / "data", 2000, seed=41)
    bor = pd.read_csv(d / "data" / "borrowers.csv", dtype=str)["borrower_id"].tolist()
    rng = np.random.default_rng(3)
    pick = rng.choice(len(bor), size=200, replace=False)
    x = {bor[i] for i in pick[:100]}
    y = {bor[i] for i in pick[100:]}
    split_folder(d / "data", x, d / "A", d / "A_out")
    split_folder(d / "data", y, d / "B", d / "B_out")
    ra = find_rings(d / "A", seed=0)
    write_run(ra, d / "runA", data_dir=d / "A")
    rb = find_rings(d / "B", seed=0)
    truth = pd.read_csv(d / "truth.csv", dtype=str)
    return {"dir": d, "ra": ra, "rb": rb, "truth": truth}


def _planted_match(rings, truth) -> dict:
    """ring id -> planted ring id (Jaccard >= 0.5 on borrowers)."""
    tb = truth[(truth["kind"] == "borrower") & ~truth["ring_id"].str.startswith("BENIGN")]
    planted = {k: set(g["id"]) for k, g in tb.groupby("ring_id")}
    out = {}
    for r in rings:
        s = set(r.borrowers)
        best = max(planted, key=lambda p: len(s & planted[p]) / len(s | planted[p]))
        if len(s & planted[best]) / len(s | planted[best]) >= 0.5:
            out[r.ring_id] = best
    return out


def test_ring_ids_stable_across_overlapping_runs(two_runs, tmp_path):
    from graphring.pipeline import write_run

    ra, rb, truth = two_runs["ra"], two_runs["rb"], two_runs["truth"]
    before = _planted_match(ra.rings, truth)
    h = apply_history(rb, two_runs["dir"] / "runA")
    after = _planted_match(rb.rings, truth)
    a_of = {p: rid for rid, p in before.items()}
    b_of = {p: rid for rid, p in after.items()}
    common = sorted(set(a_of) & set(b_of))
    same = [p for p in common if a_of[p] == b_of[p]]
    # all rings: share of B's rings that kept an id from A
    kept = sum(1 for s in h.status["status"] if s not in ("new", "split") or False)
    print(f"\nplanted rings found in both runs: {len(common)}, same id: {len(same)}; "
          f"statuses: {h.counts()}; rings in A {len(ra.rings)}, in B {len(rb.rings)}, kept id {kept}")
    assert len(common) >= 3
    assert len(same) / len(common) >= 0.8
    assert kept / len(rb.rings) >= 0.6
    st = set(h.status["status"])
    assert st & {"grown", "shrunk", "changed", "unchanged"}
    # ids are unique and written with the run
    assert len({r.ring_id for r in rb.rings}) == len(rb.rings)
    write_run(rb, tmp_path / "runB", data_dir=two_runs["dir"] / "B")
    write_history(tmp_path / "runB", h)
    doc = json.loads((tmp_path / "runB" / "ring_history.json").read_text(encoding="utf-8"))
    assert doc["previous_run"].endswith("runA") and len(doc["rings"]) == len(rb.rings)
    members = pd.read_csv(tmp_path / "runB" / "ring_members.csv", dtype=str)
    assert set(members["ring_id"]) == {r.ring_id for r in rb.rings}


def test_warm_start_keeps_partition_stable(two_runs):
    from graphring.detect.communities import detect

    ra, rb = two_runs["ra"], two_runs["rb"]
    prev = {r.ring_id: set(r.borrowers) for r in ra.rings}
    edges = rb.projection.edges
    # the same detection parameters as the runs
    res_, q = rb.params.get("resolution", 1.0), rb.params.get("quality") or "modularity"
    opts = {"quality": q} if q != "modularity" else {}
    cold = detect(edges, algorithm="leiden", seed=0, resolution=res_, **opts)
    warm = detect(edges, algorithm="leiden", seed=0, resolution=res_, initial=previous_partition(two_runs["dir"] / "runA"),
                  **opts)

    def stability(part) -> float:
        groups = [set(g) for g in part.groups().values()]
        ok = 0
        for s in prev.values():
            best = max(len(s & g) / len(s | g) for g in groups)
            ok += best >= 0.8
        return ok / len(prev)

    sc, sw = stability(cold), stability(warm)
    print(f"\nA's rings recovered (Jaccard >= 0.8) in B: cold {sc:.3f}, warm-started {sw:.3f}")
    assert warm.params["warm_start"] is True
    assert sw >= sc - 0.05 and sw >= 0.6


def test_console_table_shows_status_and_members_who_came_and_went(two_runs):
    """graphring rings --previous: the console table (Chinese by default) has each ring's status and changes."""
    from graphring import cli
    from graphring.cli.rings import _print_rings
    from graphring.present.i18n import signal_name, status_name

    rb = two_runs["rb"]
    h = apply_history(rb, two_runs["dir"] / "runA")
    cli.console.width = 220
    with cli.console.capture() as cap:
        _print_rings(rb.rings, 200, "zh", h)
    out = cap.get()
    assert "与上次比较" in out and "主要线索" in out
    for status in set(h.status["status"]):
        assert status_name(status, "zh") in out, status
    changed = h.status[h.status["joined"].map(len) + h.status["left"].map(len) > 0]
    if len(changed):
        r = changed.iloc[0]
        assert f"+{len(r['joined'])} −{len(r['left'])}" in out
    assert signal_name(rb.rings[0].signals[0]["name"], "zh") in out
    with cli.console.capture() as cap:
        _print_rings(rb.rings, 5, "en", h)
    assert "since last run" in cap.get()


def test_ring_links_follow_the_stable_ids(tmp_path):
    """rings --previous renames the rings; the links between rings (rings.json ring_links) name the new ids."""
    from types import SimpleNamespace

    d = tmp_path / "prev"
    d.mkdir()
    rows = [{"ring_id": rid, "score": 0.9, "typology": "mixed", "kind": "borrower", "id": b, "role": "member"}
            for rid, bs in {"R0001": "abc", "R0002": "def"}.items() for b in bs]
    pd.DataFrame(rows).to_csv(d / "ring_members.csv", index=False)
    res = SimpleNamespace(rings=[SimpleNamespace(ring_id="R0001", borrowers=list("def")),
                                 SimpleNamespace(ring_id="R0002", borrowers=list("xyz"))],
                          ring_links=[{"rings": ["R0001", "R0002"], "kind": "script", "n": 3, "examples": [],
                                       "family": "F001"}])
    h = apply_history(res, d)
    assert h.ids == ["R0002", "R0003"]
    assert res.ring_links == [{"rings": ["R0002", "R0003"], "kind": "script", "n": 3, "examples": [],
                               "family": "F001"}]
