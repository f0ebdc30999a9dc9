"""Neo4j-only behaviour against a real server: GDS detection, ring write-back, analyst
queries, faults (unreachable, missing database, connection lost mid-load) and the
``load`` command. The server comes from the ``neo4j_uri`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import neo4j
import neo4j.exceptions as ne
import pandas as pd
import pytest

from graphring.store import cypher
from graphring.errors import BackendError
from graphring.graph.model import build_frames
from graphring.pipeline import find_rings, rings_from_store
from graphring.store.memory import MemoryStore
from graphring.ingest.validate import validate_folder
from neo4j_server import driver_auth, missing_prerequisites

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]


def auth():
    return driver_auth()


def store_for(uri, **kw):
    from graphring.store.neo4j import Neo4jStore

    return Neo4jStore(uri, auth=auth(), database=os.environ.get("NEO4J_DATABASE") or None, **kw)


def small_folder(root: Path, n: int = 30) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"borrower_id": f"S{i:03d}", "phone": f"1391234{i:04d}", "city": "成都"} for i in range(n)]) \
        .to_csv(root / "borrowers.csv", index=False)
    pd.DataFrame([{"borrower_id": f"S{i:03d}", "phone": "13700000001", "relation": "friend"} for i in range(n)]) \
        .to_csv(root / "contacts.csv", index=False)
    pd.DataFrame([{"complaint_id": f"K{i}", "borrower_id": f"S{i:03d}", "complainant_phone": "13600000009",
                   "text": "停止催收"} for i in range(0, n, 3)]).to_csv(root / "complaints.csv", index=False)
    return root


def duplicates(uri) -> int:
    """Relationships that share type, ends, _table and _row (there must be none)."""
    with neo4j.GraphDatabase.driver(uri, auth=auth()) as d:
        recs, _, _ = d.execute_query(
            "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, r._table AS tb, r._row AS rw, count(*) AS c "
            "WHERE c > 1 RETURN count(*) AS n", database_=os.environ.get("NEO4J_DATABASE") or None)
    return recs[0]["n"]


# ---------------------------------------------------------------------------------------
# faults (first: these tests empty the database)
# ---------------------------------------------------------------------------------------

def test_unreachable_server_fails_fast_with_what_to_do():
    g = build_frames({"borrowers": pd.DataFrame({"borrower_id": ["B1"], "_row": [2]})})
    t0 = time.perf_counter()
    with store_for("bolt://127.0.0.1:1") as s, pytest.raises(BackendError) as ei:
        s.load(g)
    assert time.perf_counter() - t0 < 30
    msg = str(ei.value)
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in msg and "Start the server" in msg


def test_missing_database_is_named(neo4j_uri):
    with store_for(neo4j_uri) as s0:
        s0.counts()
    from graphring.store.neo4j import Neo4jStore

    with Neo4jStore(neo4j_uri, auth=auth(), database="nosuchdb") as s, pytest.raises(BackendError) as ei:
        s.counts()
    msg = str(ei.value)
    assert "'nosuchdb'" in msg and "does not exist" in msg and "NEO4J_DATABASE" in msg


def test_wrong_credentials_say_check_user_and_password(neo4j_uri):
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("the local test server runs without auth; set NEO4J_URI/NEO4J_PASSWORD to a server with auth")
    from graphring.store.neo4j import Neo4jStore

    with Neo4jStore(neo4j_uri, auth=("neo4j", "definitely-wrong")) as s, pytest.raises(BackendError) as ei:
        s.counts()
    assert "NEO4J_USER" in str(ei.value) and "NEO4J_PASSWORD" in str(ei.value)


class FlakyDriver:
    """A real driver that loses the connection on the n-th relationship batch."""

    def __init__(self, driver, fail_at: int):
        self._d = driver
        self.fail_at = fail_at
        self.rel_batches = 0

    def __getattr__(self, name):
        return getattr(self._d, name)

    def execute_query(self, query_, *a, **kw):
        if "MERGE (a)-[r:" in query_:
            self.rel_batches += 1
            if self.rel_batches == self.fail_at:
                raise ne.ServiceUnavailable("Failed to read from defunct connection IPv4Address(('127.0.0.1', 7687))")
        return self._d.execute_query(query_, *a, **kw)


def test_connection_lost_mid_load_then_rerun_completes_without_duplicates(neo4j_uri, tmp_path):
    from graphring.store.neo4j import Neo4jStore

    g = build_frames(validate_folder(small_folder(tmp_path / "s")).tables)
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=auth()) as real:
        db = os.environ.get("NEO4J_DATABASE") or None
        Neo4jStore(real, database=db).clear()
        flaky = FlakyDriver(real, fail_at=3)
        with pytest.raises(BackendError) as ei:
            Neo4jStore(flaky, database=db, batch_size=7).load(g)
        msg = str(ei.value)
        assert "cannot reach" in msg and "load stopped after" in msg and "without duplicates" in msg
        partial = Neo4jStore(real, database=db).counts()
        assert sum(partial["relationships"].values()) < sum(len(e) for e in g.edges.values())
        res = Neo4jStore(real, database=db, batch_size=7).load(g)
        want = MemoryStore()
        want.load(g)
        assert res.counts == {p: {k: v for k, v in d.items() if v} for p, d in want.counts().items()}
        assert duplicates(neo4j_uri) == 0
        # the driver was ours: the stores did not close it
        real.verify_connectivity()


def _neo4j_dev_usable() -> bool:
    return not missing_prerequisites()


@pytest.mark.slow
def test_server_stopped_mid_load(tmp_path):
    """A real server killed during a load: BackendError naming it; after a restart the load completes."""
    if os.environ.get("NEO4J_URI") or not _neo4j_dev_usable():
        pytest.skip("needs scripts/neo4j-dev (Java 17) to run a second, throw-away server")
    from graphring.sample import generate
    from graphring.store.neo4j import Neo4jStore

    env = {**os.environ, "NEO4J_DEV_STATE": str(tmp_path / "state")}
    script = [shutil.which("bash") or "bash", str(REPO / "scripts" / "neo4j-dev")]

    def dev(*args, timeout=600):
        return subprocess.run(script + list(args), env=env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    start = dev("start", "--port", "0", "--data", str(tmp_path / "data"))
    uri = start.stdout.strip().splitlines()[-1] if start.returncode == 0 else ""
    if not uri.startswith("bolt://"):
        pytest.fail(f"could not start a second server: {start.stderr[-2000:]}")
    try:
        folder = REPO / "sample_data" / "bank_a"
        if not any(folder.glob("borrowers.*")):
            folder = tmp_path / "d"
            generate(folder, 2000, seed=7)
        g = build_frames(validate_folder(folder).tables)
        written = []
        stopper = {}

        def progress(n):
            written.append(n)
            if len(written) == 3 and "t" not in stopper:
                stopper["t"] = threading.Thread(target=lambda: dev("stop", timeout=120))
                stopper["t"].start()

        with Neo4jStore(uri, batch_size=500, max_retry_time=5) as s, pytest.raises(BackendError) as ei:
            s.load(g, progress=progress)
        stopper["t"].join()
        msg = str(ei.value)
        assert uri in msg and "cannot reach" in msg and "Start the server" in msg
        restart = dev("start", "--port", "0", "--data", str(tmp_path / "data"))
        uri2 = restart.stdout.strip().splitlines()[-1]
        with Neo4jStore(uri2) as s:
            res = s.load(g)
        want = MemoryStore()
        want.load(g)
        assert res.counts == {p: {k: v for k, v in d.items() if v} for p, d in want.counts().items()}
        assert duplicates(uri2) == 0
    finally:
        dev("stop", timeout=120)


# ---------------------------------------------------------------------------------------
# load command
# ---------------------------------------------------------------------------------------

def test_load_command_is_idempotent_and_a_second_folder_adds(neo4j_uri, tmp_path):
    from graphring.store.neo4j import load_folder as load_command

    with store_for(neo4j_uri) as s:
        s.clear()
    user, password = (auth() or (None, None))
    db = os.environ.get("NEO4J_DATABASE") or None
    a = small_folder(tmp_path / "a", 20)
    lines: list[str] = []
    r1 = load_command(a, neo4j_uri, db, user, password, None, echo=lines.append)
    assert "Loaded" in "\n".join(lines) and "Borrower" in "\n".join(lines)
    r2 = load_command(a, neo4j_uri, db, user, password, None, echo=lambda s: None)
    assert r2.counts == r1.counts
    b = tmp_path / "b"
    b.mkdir()
    pd.DataFrame([{"borrower_id": f"T{i}", "phone": f"1395678{i:04d}"} for i in range(5)]) \
        .to_csv(b / "borrowers.csv", index=False)
    r3 = load_command(b, neo4j_uri, db, user, password, None, echo=lambda s: None)
    assert r3.counts["nodes"]["Borrower"] == r1.counts["nodes"]["Borrower"] + 5
    assert duplicates(neo4j_uri) == 0
    with pytest.raises(BackendError, match="cannot reach"):
        load_command(a, "bolt://127.0.0.1:1", echo=lambda s: None)


# ---------------------------------------------------------------------------------------
# rings through Neo4j (GDS), write-back, analyst queries
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_run(neo4j_uri, tmp_path_factory):
    bundled = REPO / "sample_data" / "bank_a"
    if any(bundled.glob("borrowers.*")):
        folder = bundled
    else:
        from graphring.sample import generate

        folder = tmp_path_factory.mktemp("sample") / "bank_a"
        generate(folder, 2000, seed=7)
    # GDS Leiden optimises modularity: compare with the same quality in memory
    base = find_rings(folder, seed=0, quality="modularity")
    store = store_for(neo4j_uri)
    store.clear()
    res = find_rings(folder, store=store, seed=0, quality="modularity")
    yield folder, base, res, store
    store.close()


def _jaccards(a, b):
    def jac(x, y):
        x, y = set(x), set(y)
        return len(x & y) / len(x | y) if x | y else 1.0

    return [max((jac(r.borrowers, q.borrowers) for q in b.rings), default=0.0) for r in a.rings]


@pytest.mark.slow
def test_rings_with_gds_match_the_memory_rings(sample_run):
    """GDS Leiden is another implementation than igraph's: the same rings, up to borders.

    Two modularity optimisers may place a few borderline borrowers between two
    neighbouring communities differently (on the bundled sample: 14 borrowers
    between an 85- and a 66-member group), and the border pass
    (:mod:`graphring.detect.borders`) then lets go of members who were tied to the ring
    through them (7 more there: Jaccard 0.65 between the two versions of that
    ring). So the check is that the same borrowers are flagged, every ring of one
    backend is found by the other in the judging sense (Jaccard >= 0.5,
    DATA_CONTRACT.md), and most rings are matched almost exactly: at least 70 % at Jaccard
    >= 0.9 (was 75 %; since the controlled level keeps letters on edges an identifier already
    makes, 3043be8, the sample's 66-member extortion group is found whole and 71 % match that
    closely).
    """
    folder, base, res, store = sample_run
    assert res.partition.params.get("backend") == "neo4j-gds"
    assert res.partition.params.get("gds_version", "").startswith("2.")
    forward, backward = _jaccards(base, res), _jaccards(res, base)
    flagged_a = {b for r in base.rings for b in r.borrowers}
    flagged_b = {b for r in res.rings for b in r.borrowers}
    assert len(flagged_a & flagged_b) / len(flagged_a | flagged_b) >= 0.95
    assert min(forward + backward) >= 0.5, "a ring has no counterpart in the other backend"
    share = min(sum(j >= 0.9 for j in forward) / len(forward), sum(j >= 0.9 for j in backward) / len(backward))
    assert share >= 0.70, f"only {share:.0%} of rings matched with Jaccard >= 0.9"
    # the strongest rings are the same
    assert forward[0] >= 0.9


@pytest.mark.slow
def test_gds_detection_is_reproducible(sample_run):
    folder, base, res, store = sample_run
    again = rings_from_store(store, seed=0, quality="modularity")
    assert [r.borrowers for r in again.rings] == [r.borrowers for r in res.rings]


@pytest.mark.slow
def test_rings_are_written_back_idempotently_per_run(sample_run, neo4j_uri):
    folder, base, res, store = sample_run

    def q(text, **params):
        with neo4j.GraphDatabase.driver(neo4j_uri, auth=auth()) as d:
            return d.execute_query(text, params, database_=store.database)[0]

    n_members = sum(len(r.members) for r in res.rings)
    # find_rings wrote the run under its own run id (the manifest's), not a shared "run"
    assert res.run_id and res.run_id.startswith("run-")
    rid = res.run_id
    assert q("MATCH (r:Ring {run_id: $rid}) RETURN count(r) AS n", rid=rid)[0]["n"] == len(res.rings)
    assert q("MATCH (:Ring {run_id: $rid})-[h:HAS_MEMBER]->() RETURN count(h) AS n", rid=rid)[0]["n"] == n_members
    r1 = q("MATCH (r:Ring {id: 'R0001', run_id: $rid}) RETURN r", rid=rid)[0]["r"]
    assert r1["algorithm"] == "leiden" and r1["seed"] == 0 and r1["typology"] == res.rings[0].typology
    store.write_rings(res.rings, rid)
    assert q("MATCH (r:Ring {run_id: $rid}) RETURN count(r) AS n", rid=rid)[0]["n"] == len(res.rings)
    q("MATCH (r:Ring {run_id: $rid}) SET r.run_id = 'run'", rid=rid)  # the rest as before, under 'run'
    store.write_rings(res.rings, "run")
    assert q("MATCH (r:Ring {run_id: 'run'}) RETURN count(r) AS n")[0]["n"] == len(res.rings)
    assert q("MATCH (:Ring {run_id: 'run'})-[h:HAS_MEMBER]->() RETURN count(h) AS n")[0]["n"] == n_members
    store.write_rings(res.rings[:2], "other")
    assert q("MATCH (r:Ring) RETURN count(r) AS n")[0]["n"] == len(res.rings) + 2
    store.write_rings([], "other")
    assert q("MATCH (r:Ring) RETURN count(r) AS n")[0]["n"] == len(res.rings)


@pytest.mark.slow
def test_a_second_run_never_replaces_the_first(sample_run, neo4j_uri, tmp_path):
    """Issue 17: every Ring node had run_id "run", so a second run replaced the first's rings (13 became 12)."""
    folder, base, res, store = sample_run
    from graphring.pipeline import write_run

    def q(text, **params):
        with neo4j.GraphDatabase.driver(neo4j_uri, auth=auth()) as d:
            return d.execute_query(text, params, database_=store.database)[0]

    before = q("MATCH (r:Ring) RETURN count(r) AS n")[0]["n"]
    second = find_rings(folder, store=store, seed=1, quality="modularity")
    assert second.run_id != res.run_id
    m = write_run(second, tmp_path / "run2", data_dir=folder)
    assert m["run_id"] == second.run_id and m["backend"] == "neo4j"
    assert "@" not in (m["neo4j_uri"] or "") and m["neo4j_uri"].split("://")[0] in ("bolt", "neo4j")
    assert "gds_version" in m and isinstance(m["gds_ran"], bool) and m["created_at"]
    by_run = {r["run"]: r["n"] for r in q("MATCH (r:Ring) RETURN r.run_id AS run, count(r) AS n")}
    assert by_run[second.run_id] == len(second.rings)
    assert sum(by_run.values()) == before + len(second.rings)  # the earlier runs are all still there
    recs = q(cypher.render("analyst/rings_of_run"), run_id=second.run_id)
    assert len(recs) == len(second.rings)
    q("MATCH (r:Ring {run_id: $rid}) DETACH DELETE r", rid=second.run_id)


@pytest.mark.slow
def test_analyst_queries_run_and_show_a_ring_with_its_members(sample_run, neo4j_uri):
    folder, base, res, store = sample_run
    ring = res.rings[0]
    b = ring.borrowers[0]
    params = {"ring_id": ring.ring_id, "run_id": "run", "borrower_id": b, "min_borrowers": 3}
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=auth()) as d:
        for name in [n for n in cypher.names() if n.startswith("analyst/")]:
            recs, _, _ = d.execute_query(cypher.render(name), params, database_=store.database)
            if name == "analyst/ring_with_members":
                assert len(recs) == len(ring.members)
            if name == "analyst/ring_members_table":
                got = sorted((r["kind"], r["id"], r["role"]) for r in recs)
                want = sorted((ring_label(k), i, role) for k, i, role in
                              ring.members[["kind", "id", "role"]].itertuples(index=False))
                assert got == want
            if name == "analyst/rings_of_run":
                assert [r["ring"] for r in recs][:1] == [ring.ring_id]
            if name == "analyst/rings_of_borrower":
                assert ring.ring_id in [r["ring"] for r in recs]


def ring_label(kind):
    from graphring.graph.model import label_of

    return label_of(kind)


@pytest.mark.slow
def test_subgraph_of_a_ring_matches_memory(sample_run):
    folder, base, res, store = sample_run
    ids = ["borrower:" + b for b in res.rings[0].borrowers[:5]]
    mem = MemoryStore()
    mem.load(build_frames(validate_folder(folder).tables))
    got, want = store.subgraph(ids, 1), mem.subgraph(ids, 1)
    assert sorted(got.nodes) == sorted(want.nodes)
    assert got.number_of_edges() == want.number_of_edges()
