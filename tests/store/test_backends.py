"""Behavioural suite run over every backend (memory, Neo4j), each test from an empty store.

The Neo4j server comes from the ``neo4j_uri`` fixture (tests/conftest.py, :func:`neo4j_server.ensure_server`)
(``NEO4J_URI`` if set, else a local server started on demand). Without Java the
Neo4j half is skipped with the reason; with ``GRAPHRING_REQUIRE_NEO4J=1`` it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from graphring.graph.model import build_frames
from graphring.pipeline import find_rings
from graphring.store.memory import MemoryStore
from graphring.ingest.validate import validate_folder
from neo4j_server import driver_auth

HOSTILE = ["O'Brien \"quoted\"", "back`tick`", "}) DETACH DELETE n //", "x'}) MATCH (m) DETACH DELETE m //",
           "$rows {{label}}", "多行\n文本"]
REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------

def _neo4j_store(uri, **kwargs):
    from graphring.store.neo4j import Neo4jStore

    return Neo4jStore(uri, auth=driver_auth(), database=os.environ.get("NEO4J_DATABASE") or None, **kwargs)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request):
    return request.param


@pytest.fixture
def make_store(request, backend):
    """A factory of stores of the test's backend; a Neo4j database is emptied first."""
    made = []
    uri = request.getfixturevalue("neo4j_uri") if backend == "neo4j" else None
    if uri:
        with _neo4j_store(uri) as s:
            s.clear()

    def make(**kwargs):
        s = MemoryStore() if uri is None else _neo4j_store(uri, **kwargs)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture
def store(make_store):
    return make_store()


# ---------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------

def _write(root: Path, tables: dict[str, list[dict]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(root / f"{name}.csv", index=False)
    return root


def folder_a(root: Path) -> Path:
    bs = [{"borrower_id": f"A{i:03d}", "name": f"借款人{i}", "phone": f"1391000{i:04d}",
           "city": "北京", "overdue_days": i % 40, "outstanding": 1000 + i, "first_overdue_on": "2025-03-01"}
          for i in range(12)]
    return _write(root, {
        "borrowers": bs,
        "contacts": [{"borrower_id": f"A{i:03d}", "phone": "13700000001", "relation": "friend"} for i in range(5)],
        "devices": [{"borrower_id": f"A{i:03d}", "device_id": "a1b2c3d4e5f60718", "seen_at": "2025-03-01 09:30",
                     "ip": "10.0.0.1"} for i in range(4)]
        + [{"borrower_id": "A000", "device_id": "a1b2c3d4e5f60718", "seen_at": "2025-03-02 10:00", "ip": "10.0.0.1"}],
        "complaints": [{"complaint_id": f"C{i}", "borrower_id": f"A{i:03d}", "complainant_phone": "13600000009",
                        "channel": "regulator", "received_at": "2025-04-01", "text": "要求停止催收",
                        "attachments": "h1;h2"} for i in range(4)],
        "loans": [{"loan_id": f"L{i}", "borrower_id": f"A{i:03d}", "amount": "5,000", "officer_id": "OF1"}
                  for i in range(6)],
    })


def folder_b(root: Path) -> Path:
    bs = [{"borrower_id": f"B{i:03d}", "phone": f"1392000{i:04d}", "city": "上海"} for i in range(6)]
    bs.append({"borrower_id": "A000", "phone": "13910000000", "city": "北京"})  # seen in A as well
    return _write(root, {
        "borrowers": bs,
        "devices": [{"borrower_id": f"B{i:03d}", "device_id": "a1b2c3d4e5f60718", "seen_at": "2025-05-01"} for i in range(3)],
    })


def frames_of(folder: Path):
    return build_frames(validate_folder(folder).tables)


def nz(counts: dict) -> dict:
    """Counts without empty labels/types (Neo4j has no notion of an empty label)."""
    return {part: {k: v for k, v in d.items() if v} for part, d in counts.items()}


def counts_after(*folders: Path) -> dict:
    m = MemoryStore()
    for f in folders:
        m.load(frames_of(f))
    return nz(m.counts())


# ---------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------

def test_load_counts_match_the_frames(store, tmp_path):
    g = frames_of(folder_a(tmp_path / "a"))
    res = store.load(g)
    assert nz(res.counts) == nz(g.counts()) == nz(store.counts())
    assert res.rows == sum(len(d) for d in g.nodes.values()) + sum(len(d) for d in g.edges.values())


def test_reload_is_idempotent_and_a_second_folder_adds(store, tmp_path):
    a, b = folder_a(tmp_path / "a"), folder_b(tmp_path / "b")
    store.load(frames_of(a))
    once = nz(store.counts())
    store.load(frames_of(a))
    assert nz(store.counts()) == once
    store.load(frames_of(b))
    both = nz(store.counts())
    assert both == counts_after(a, b)
    assert both["nodes"]["Borrower"] == 12 + 6
    assert both["relationships"]["USED_DEVICE"] == once["relationships"]["USED_DEVICE"] + 3
    store.load(frames_of(b))
    assert nz(store.counts()) == both


def test_fetch_frames_round_trips_nodes_edges_and_types(store, tmp_path):
    g = frames_of(folder_a(tmp_path / "a"))
    store.load(g)
    f = store.fetch_frames()
    assert set(f.nodes) == set(g.nodes) and set(f.edges) == set(g.edges)
    for kind, df in g.nodes.items():
        assert sorted(f.nodes[kind]["key"]) == sorted(df["key"]), kind
    for k, df in g.edges.items():
        cols = ["src", "dst", "_table", "_row"]
        got = sorted(map(tuple, f.edges[k][cols].astype(str).values.tolist()))
        assert got == sorted(map(tuple, df[cols].astype(str).values.tolist())), k
    b = f.nodes["borrower"].set_index("key")
    assert b.loc["A003", "overdue_days"] == 3 and b.loc["A003", "outstanding"] == 1003.0
    assert b.loc["A003", "first_overdue_on"] == pd.Timestamp("2025-03-01")
    assert pd.api.types.is_datetime64_any_dtype(f.edge_table("USED_DEVICE", "borrower", "device")["seen_at"])


def test_subgraph_is_the_same_neighbourhood(store, tmp_path):
    g = frames_of(folder_a(tmp_path / "a"))
    store.load(g)
    ref = MemoryStore()
    ref.load(g)
    for ids, hops in ((["borrower:A001"], 1), (["borrower:A001"], 2), (["phone:+8613600000009"], 2),
                      (["borrower:NOPE"], 2), (["borrower:A000", "device:a1b2c3d4e5f60718"], 0)):
        got, want = store.subgraph(ids, hops), ref.subgraph(ids, hops)
        assert sorted(got.nodes) == sorted(want.nodes), (ids, hops)
        assert sorted((u, v, d["type"]) for u, v, d in got.edges(data=True)) == \
            sorted((u, v, d["type"]) for u, v, d in want.edges(data=True)), (ids, hops)
    G = store.subgraph(["borrower:A001"], 1)
    assert G.nodes["borrower:A001"]["kind"] == "borrower"


def test_hostile_values_and_column_names_load_as_data_and_change_nothing_else(store, tmp_path):
    bs = [{"borrower_id": f"H{i}", "name": HOSTILE[i % len(HOSTILE)], "phone": f"1381111{i:04d}",
           "备 注": HOSTILE[(i + 1) % len(HOSTILE)], "note`x} DETACH": HOSTILE[(i + 2) % len(HOSTILE)],
           "with space": "v"} for i in range(len(HOSTILE))]
    bs.append({"borrower_id": HOSTILE[2], "name": "plain", "phone": "13811119999"})
    folder = _write(tmp_path / "h", {"borrowers": bs, "complaints": [
        {"complaint_id": HOSTILE[3], "borrower_id": "H0", "text": HOSTILE[0] + HOSTILE[1], "agent": HOSTILE[2]}]})
    v = validate_folder(folder)
    g = build_frames(v.tables)
    assert "x:备 注" in g.nodes["borrower"].columns and "x:note`x} DETACH" in g.nodes["borrower"].columns
    store.load(g)
    assert nz(store.counts()) == nz(g.counts())
    f = store.fetch_frames()
    b = f.nodes["borrower"].set_index("key")
    want = g.nodes["borrower"].set_index("key")
    for col in ("name", "x:备 注", "x:note`x} DETACH", "x:with space"):
        got_col = b[col].astype(object).where(b[col].notna(), None).to_dict()
        assert got_col == want[col].astype(object).where(want[col].notna(), None).to_dict(), col
    assert HOSTILE[2] in b.index
    assert f.nodes["complaint"]["key"].tolist() == [HOSTILE[3]]
    assert f.nodes["agent"]["key"].tolist() == [HOSTILE[2]]
    # loading more data afterwards still works: nothing was deleted or altered
    store.load(g)
    assert nz(store.counts()) == nz(g.counts())


def sample_folder(tmp_path_factory) -> Path:
    """The bundled sample (sample_data/bank_a) or the same thing generated (2000 borrowers, seed 7)."""
    bundled = REPO / "sample_data" / "bank_a"
    if (bundled / "borrowers.csv").is_file() or any(bundled.glob("borrowers.*")):
        return bundled
    from graphring.sample import generate

    d = tmp_path_factory.mktemp("sample") / "bank_a"
    generate(d, 2000, seed=7)
    return d


@pytest.fixture(scope="module")
def sample_and_baseline(tmp_path_factory):
    folder = sample_folder(tmp_path_factory)
    return folder, find_rings(folder, seed=0)


def match_rings(a, b, threshold=0.9):
    """For each ring of ``a``, the best borrower Jaccard against ``b``."""
    def jac(x, y):
        x, y = set(x), set(y)
        return len(x & y) / len(x | y) if x | y else 1.0

    return {r.ring_id: max((jac(r.borrowers, q.borrowers) for q in b.rings), default=0.0) for r in a.rings}


@pytest.mark.slow
def test_rings_are_the_same_on_every_backend(backend, make_store, sample_and_baseline):
    """find_rings through the store, with default settings (what ``rings --backend`` runs), finds the
    memory rings, each matched with borrower Jaccard >= 0.9."""
    folder, base = sample_and_baseline
    store = make_store()
    res = find_rings(folder, store=store, seed=0)
    assert len(res.rings) == len(base.rings) > 0
    for side in (match_rings(base, res), match_rings(res, base)):
        bad = {k: round(v, 3) for k, v in side.items() if v < 0.9}
        assert not bad, f"rings without a Jaccard >= 0.9 match: {bad}"
    assert [round(r.score, 6) for r in res.rings] == [round(r.score, 6) for r in base.rings]
