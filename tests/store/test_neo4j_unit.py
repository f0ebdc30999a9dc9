"""Unit tier for the Neo4j backend: a recording fake driver, no server.

Every statement the store sends must be the text of a ``cypher/*.cypher`` file
(rendered only with schema labels and types), with every value in the
parameters; errors from the driver become BackendError messages that say what
to do.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import neo4j
import neo4j.exceptions as ne
import numpy as np
import pandas as pd
import pytest

from graphring.store import cypher
from graphring.errors import BackendError, GraphringError
from graphring.graph.model import GraphFrames, build_frames
from graphring.store.base import GraphStore
from graphring.store.neo4j import GDS_PROCEDURES, Neo4jStore, edge_rows, node_rows

REPO = Path(__file__).resolve().parents[2]
HOSTILE = ["O'Brien \"quoted\"", "back`tick`", "}) DETACH DELETE n //", "x'}) MATCH (m) DETACH DELETE m //",
           "$rows", "{{label}}", "换行\n回车\r", "\\'; DROP"]


# ---------------------------------------------------------------------------------------
# the recording fake
# ---------------------------------------------------------------------------------------

class FakeResult:
    def __init__(self, rows):
        self._rows = rows

    def values(self):
        return [list(r) for r in self._rows]

    def consume(self):
        return None


class FakeTx:
    def __init__(self, driver):
        self.driver = driver

    def run(self, query, parameters=None, **kw):
        return self.driver._record("tx", query, parameters or {})


class FakeSession:
    def __init__(self, driver, database):
        self.driver = driver
        self.database = database

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, query, parameters=None, **kw):
        return self.driver._record("auto", query, parameters or {}, self.database)

    def execute_write(self, fn, *a, **k):
        self.driver.calls.append(("begin", None, {}, self.database))
        return fn(FakeTx(self.driver), *a, **k)


class FakeDriver:
    """Records (kind, query, params, database); answers reads from ``responses``."""

    def __init__(self, responses=None, fail=None, connect_error=None):
        self.calls: list[tuple] = []
        self.responses = responses or {}
        self.fail = fail
        self.connect_error = connect_error
        self.closed = False

    def _record(self, kind, query, params, database=None):
        self.calls.append((kind, query, params, database))
        if self.fail is not None:
            exc = self.fail(query, params, len(self.calls))
            if exc is not None:
                raise exc
        for needle, rows in self.responses.items():
            if needle in query:
                return FakeResult(rows(params) if callable(rows) else rows)
        return FakeResult([])

    def verify_connectivity(self, **config):
        if self.connect_error is not None:
            raise self.connect_error

    def execute_query(self, query_, parameters_=None, routing_=None, database_=None, result_transformer_=None,
                      **kw):
        res = self._record("query", query_, parameters_ or {}, database_)
        return result_transformer_(res) if result_transformer_ else res

    def session(self, database=None, **kw):
        return FakeSession(self, database)

    def close(self):
        self.closed = True

    def queries(self):
        return [q for k, q, _, _ in self.calls if q is not None]


def all_rendered() -> set[str]:
    """Every statement graphring can send: each file rendered with every whitelisted name."""
    out: set[str] = set()
    for name in cypher.names():
        ph = cypher.placeholders(name)
        if not ph:
            out.update(cypher.statements(name))
            out.add(cypher.render(name))
            continue
        labels = cypher.LABELS + (cypher.INTERNAL_LABELS if name.startswith("rings/") else ())
        if ph == {"label"}:
            out.update(cypher.render(name, label=lab) for lab in labels)
        elif ph == {"label", "types"}:
            out.update(cypher.render(name, label=lab, types=list(cypher.REL_TYPES)) for lab in labels)
        elif ph == {"type"}:
            out.update(cypher.render(name, type=t) for t in cypher.REL_TYPES)
        elif ph == {"type", "src_label"}:
            out.update(cypher.render(name, type=t, src_label=a) for t in cypher.REL_TYPES for a in cypher.LABELS)
        elif ph == {"type", "src_label", "dst_label"}:
            out.update(cypher.render(name, type=t, src_label=a, dst_label=b)
                       for t in cypher.REL_TYPES for a in cypher.LABELS for b in cypher.LABELS)
        else:  # pragma: no cover - a new template shape must be added here
            raise AssertionError(f"unknown placeholder set {ph} in {name}")
    return out


ALL = None


def assert_all_from_files(driver: FakeDriver) -> None:
    global ALL
    if ALL is None:
        ALL = all_rendered()
    for q in driver.queries():
        assert q in ALL, f"statement not from a cypher/ file:\n{q}"


def frames_small() -> GraphFrames:
    t = {
        "borrowers": pd.DataFrame({"borrower_id": ["B1", "B2", "B3"],
                                   "name": [HOSTILE[0], HOSTILE[2], None],
                                   "phone": ["+8613800000001", "+8613800000001", "+8613800000002"],
                                   "overdue_days": pd.array([0, None, 30], dtype="Int64"),
                                   "outstanding": [1.5, np.nan, 3.0],
                                   "first_overdue_on": pd.to_datetime(["2025-03-01", None, "2025-01-02"]),
                                   "x:备 注": [HOSTILE[1], None, HOSTILE[3]],
                                   "x:a`b} DETACH": ["v", None, None],
                                   "_row": [2, 3, 4]}),
        "devices": pd.DataFrame({"borrower_id": ["B1", "B2"], "device_id": ["D1", "D1"],
                                 "seen_at": pd.to_datetime(["2025-03-01 09:30", "2025-03-02 10:00"]),
                                 "ip": ["1.2.3.4", None], "_row": [2, 3]}),
    }
    return build_frames(t)


# ---------------------------------------------------------------------------------------
# cypher files
# ---------------------------------------------------------------------------------------

def test_generated_schema_files_match_the_schema():
    for rel, body in zip(cypher.GENERATED, (cypher.generate_constraints(), cypher.generate_counts())):
        committed = (REPO / "cypher" / rel).read_text(encoding="utf-8")
        assert committed == body, f"cypher/{rel} is stale: run `python -m graphring.store.cypher`"


def test_constraints_cover_every_label_and_are_idempotent():
    stmts = cypher.statements("schema/constraints")
    for label in cypher.LABELS:
        assert any(f"FOR (n:{label}) REQUIRE n.key IS UNIQUE" in s for s in stmts), label
    assert all("IF NOT EXISTS" in s for s in stmts)
    counts = cypher.render("schema/counts")
    for t in cypher.REL_TYPES:
        assert f"[r:{t}]" in counts


def test_generate_schema_files_writes_where_told(tmp_path):
    paths = cypher.generate_schema_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == list(cypher.GENERATED)
    assert paths[0].read_text(encoding="utf-8") == cypher.generate_constraints()


def test_every_cypher_file_is_commented_and_parameterised():
    for name in cypher.names():
        raw = cypher.text(name)
        assert raw.lstrip().startswith("//"), f"{name}.cypher has no explanatory comment"
        body = cypher.render(name, **{k: ("Borrower" if "label" in k else ["HAS_PHONE"] if k == "types"
                                          else "HAS_PHONE") for k in cypher.placeholders(name)})
        # no string literal holding a value, except in files made of names and fixed words
        assert "{{" not in body
        for lit in re.findall(r"'([^']*)'", body):
            assert re.fullmatch(r"[A-Za-z_*. ]*|x:.*", lit) or name.startswith(("schema/", "analyst/")), \
                (name, lit)


def test_templates_accept_only_whitelisted_names():
    for bad in HOSTILE + ["Borrower:Phone", "Ring) DETACH DELETE (n", "", "borrower"]:
        with pytest.raises(cypher.CypherTemplateError):
            cypher.render("load/nodes", label=bad)
        with pytest.raises(cypher.CypherTemplateError):
            cypher.render("load/relationships", type=bad, src_label="Borrower", dst_label="Phone")
        with pytest.raises(cypher.CypherTemplateError):
            cypher.render("subgraph/neighbours", label="Borrower", types=["HAS_PHONE", bad])
    with pytest.raises(cypher.CypherTemplateError):
        cypher.render("load/nodes")  # missing placeholder
    with pytest.raises(cypher.CypherTemplateError):
        cypher.render("admin/ping", label="Borrower")  # no such placeholder
    with pytest.raises(cypher.CypherTemplateError):
        cypher.text("../pyproject")
    assert issubclass(cypher.CypherTemplateError, GraphringError)


def test_cypher_files_ship_in_the_wheel():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"cypher" = "graphring/cypher"' in pyproject
    assert cypher.cypher_dir() == REPO / "cypher"
    assert "analyst/ring_with_members" in cypher.names()


# ---------------------------------------------------------------------------------------
# parameter rows
# ---------------------------------------------------------------------------------------

def test_rows_are_plain_python_values_without_nulls():
    g = frames_small()
    rows = node_rows(g.nodes["borrower"])
    assert rows[0]["key"] == "B1"
    assert rows[0]["props"]["x:备 注"] == HOSTILE[1]
    assert rows[0]["props"]["x:a`b} DETACH"] == "v"
    assert type(rows[0]["props"]["overdue_days"]) is int
    assert type(rows[0]["props"]["_row"]) is int
    assert rows[0]["props"]["first_overdue_on"].__class__.__name__ == "datetime"
    assert "outstanding" not in rows[1]["props"] and "overdue_days" not in rows[1]["props"]
    e = edge_rows(g.edge_table("USED_DEVICE", "borrower", "device"))
    assert e[0] == {"src": "B1", "dst": "D1", "table": "devices", "row": 2,
                    "props": {"seen_at": e[0]["props"]["seen_at"], "ip": "1.2.3.4"}}
    assert "ip" not in e[1]["props"]


# ---------------------------------------------------------------------------------------
# load
# ---------------------------------------------------------------------------------------

def counts_rows(params):
    return [["node", "Borrower", 3], ["node", "Phone", 2], ["node", "Device", 1], ["node", "IP", 0],
            ["relationship", "HAS_PHONE", 3], ["relationship", "USED_DEVICE", 2]]


def test_load_sends_constraints_then_unwind_merge_batches_from_the_files():
    d = FakeDriver({"'node' AS what": counts_rows})
    store = Neo4jStore(d, database="bank", batch_size=2)
    seen = []
    res = store.load(frames_small(), progress=seen.append)
    assert_all_from_files(d)
    qs = [(k, q) for k, q, _, _ in d.calls]
    assert qs[0][1] == cypher.render("admin/ping")
    n_constraints = len(cypher.statements("schema/constraints"))
    assert [q for _, q in qs[1:1 + n_constraints]] == cypher.statements("schema/constraints")
    node_q = cypher.render("load/nodes", label="Borrower")
    bor = [p for k, q, p, _ in d.calls if q == node_q]
    assert [len(p["rows"]) for p in bor] == [2, 1]  # batch_size=2
    assert {r["key"] for p in bor for r in p["rows"]} == {"B1", "B2", "B3"}
    rel_q = cypher.render("load/relationships", type="USED_DEVICE", src_label="Borrower", dst_label="Device")
    assert "MERGE (a)-[r:USED_DEVICE {_table: row.table, _row: row.row}]->(b)" in rel_q
    assert "UNWIND $rows AS row" in node_q and "SET n += row.props" in node_q
    # nodes before relationships
    first_rel = min(i for i, (_, q) in enumerate(qs) if q.startswith("UNWIND $rows AS row\nMATCH (a:"))
    last_node = max(i for i, (_, q) in enumerate(qs) if q.startswith("UNWIND $rows AS row\nMERGE (n:"))
    assert last_node < first_rel
    assert all(db == "bank" for k, _, _, db in d.calls if k == "query")
    assert sum(seen) == res.rows == sum(len(x) for x in frames_small().nodes.values()) + \
        sum(len(x) for x in frames_small().edges.values())
    assert res.counts == {"nodes": {"Borrower": 3, "Device": 1, "Phone": 2},
                          "relationships": {"HAS_PHONE": 3, "USED_DEVICE": 2}}


def test_hostile_values_and_property_names_travel_only_as_parameters():
    d = FakeDriver({"'node' AS what": counts_rows})
    Neo4jStore(d).load(frames_small())
    assert_all_from_files(d)
    text = "\n".join(d.queries())
    for h in HOSTILE[:4] + ["备 注", "a`b"]:
        assert h not in text
    sent = [r for _, _, p, _ in d.calls for r in p.get("rows", [])]
    names = [r["props"].get("name") for r in sent if "props" in r]
    assert HOSTILE[0] in names and HOSTILE[2] in names
    assert any("x:a`b} DETACH" in r.get("props", {}) for r in sent)


def test_load_error_midway_says_how_far_it_got_and_that_rerunning_is_safe():
    def fail(query, params, n):
        if query.startswith("UNWIND $rows AS row\nMATCH (a:"):
            return ne.ServiceUnavailable("Failed to read from defunct connection")
        return None

    d = FakeDriver(fail=fail)
    store = Neo4jStore(d, batch_size=2)
    with pytest.raises(BackendError) as ei:
        store.load(frames_small())
    msg = str(ei.value)
    assert "cannot reach Neo4j at" in msg and "Start the server" in msg
    assert "load stopped after" in msg and "without duplicates" in msg
    # the second attempt re-sends every batch with MERGE (idempotent), from the start
    d.fail = None
    d.calls.clear()
    d.responses = {"'node' AS what": counts_rows}
    store.load(frames_small())
    merges = [q for q in d.queries() if "MERGE" in q]
    assert merges and all("CREATE (" not in q for q in merges)


@pytest.mark.parametrize("exc, words", [
    (ne.ServiceUnavailable("Couldn't connect to 127.0.0.1:1 (reason [Errno 111] Connection refused)"),
     ["cannot reach Neo4j at bolt://127.0.0.1:1", "Start the server", "NEO4J_URI"]),
    (ne.AuthError("The client is unauthorized due to authentication failure."),
     ["refused the credentials for user 'neo4j'", "NEO4J_USER", "NEO4J_PASSWORD"]),
])
def test_connection_errors_become_clear_backend_errors(monkeypatch, exc, words):
    d = FakeDriver(connect_error=exc)
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, auth=None, **kw: d)
    store = Neo4jStore("bolt://127.0.0.1:1", auth=("neo4j", "wrong"))
    with pytest.raises(BackendError) as ei:
        store.counts()
    for w in words:
        assert w in str(ei.value)
    assert "Traceback" not in str(ei.value)


def test_missing_database_names_it_and_says_create_it():
    err = ne.Neo4jError._hydrate_neo4j(code="Neo.ClientError.Database.DatabaseNotFound",
                                       message="Database does not exist. Database name: 'nosuch'.")
    d = FakeDriver(fail=lambda q, p, n: err if "RETURN 1 AS ok" in q else None)
    store = Neo4jStore(d, database="nosuch")
    with pytest.raises(BackendError) as ei:
        store.load(frames_small())
    msg = str(ei.value)
    assert "database 'nosuch'" in msg and "does not exist" in msg and "CREATE DATABASE nosuch" in msg


def test_bad_uri_is_a_backend_error():
    with pytest.raises(BackendError, match="Bolt URI"):
        Neo4jStore("http://localhost:7474")


def test_other_driver_errors_name_the_cypher_file():
    err = ne.Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError", message="bad")
    d = FakeDriver(fail=lambda q, p, n: err if "'node' AS what" in q else None)
    with pytest.raises(BackendError, match=r"cypher/schema/counts.cypher.*SyntaxError"):
        Neo4jStore(d).counts()


def test_driver_given_is_never_closed_driver_opened_is(monkeypatch):
    d = FakeDriver()
    with Neo4jStore(d) as s:
        assert s.driver is d
    assert not d.closed
    d2 = FakeDriver()
    made = {}

    def make(uri, auth=None, **kw):
        made.update(uri=uri, auth=auth, **kw)
        return d2

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", make)
    with Neo4jStore("bolt://127.0.0.1:7687", auth=("u", "p"), database="neo4j"):
        pass
    assert d2.closed and made["uri"] == "bolt://127.0.0.1:7687" and made["auth"] == ("u", "p")


def test_store_is_a_graphstore_and_detection_code_has_no_backend_branches():
    assert issubclass(Neo4jStore, GraphStore)
    for mod in ("graphring.pipeline", "graphring.detect.communities", "graphring.signals", "graphring.score.scoring",
                "graphring.detect.projection"):
        m = importlib.import_module(mod)
        files = sorted(Path(m.__file__).parent.rglob("*.py")) if hasattr(m, "__path__") else [Path(m.__file__)]
        src = "".join(f.read_text(encoding="utf-8") for f in files)
        assert not re.search(r"backend\s*==|isinstance\([^)]*Neo4jStore|\.name\s*==\s*['\"]neo4j", src), mod


# ---------------------------------------------------------------------------------------
# fetch, counts, subgraph
# ---------------------------------------------------------------------------------------

def test_fetch_frames_rebuilds_memory_columns_and_types():
    from neo4j.time import DateTime

    borrowers = [{"key": "B2", "_row": 3, "phone": "+8613800000001"},
                 {"key": "B1", "_row": 2, "phone": "+8613800000001", "overdue_days": 5, "outstanding": 1.5,
                  "first_overdue_on": DateTime(2025, 3, 1, 0, 0, 0), "x:备 注": HOSTILE[2]}]
    rels = [["Borrower", "B1", "Phone", "+8613800000001", {"_table": "borrowers", "_row": 2}],
            ["Borrower", "B2", "Phone", "+8613800000001", {"_table": "borrowers", "_row": 3}]]

    def nodes(params):
        return [[2, "B2", borrowers]]

    def has_phone(params):
        return [[2, "B2"] + [list(c) for c in zip(*[(r[1], r[2], r[3], r[4]) for r in rels])]]

    d = FakeDriver({"MATCH (n:Borrower)\nWHERE": nodes,
                    "MATCH (n:": [[0, None, []]],
                    "MATCH (a:Borrower)\nWHERE a.key > $after\nWITH a ORDER BY a.key LIMIT $limit\n"
                    "WITH collect(a) AS page\nCALL (page) {\n  UNWIND page AS a\n  MATCH (a)-[r:HAS_PHONE]": has_phone,
                    "collect(properties(r))": [[0, None, [], [], [], []]]})
    g = Neo4jStore(d).fetch_frames()
    assert_all_from_files(d)
    b = g.nodes["borrower"]
    assert b["key"].tolist() == ["B1", "B2"]  # input row order
    assert list(b.columns[:2]) == ["key", "_row"] and b["_row"].dtype == "int64"
    assert str(b["first_overdue_on"].dtype) == "datetime64[ns]"
    assert str(b["overdue_days"].dtype) == "Int64" and b["outstanding"].dtype == "float64"
    assert b.loc[0, "x:备 注"] == HOSTILE[2]
    e = g.edge_table("HAS_PHONE", "borrower", "phone")
    assert e[["src", "dst", "_table", "_row"]].values.tolist() == [["B1", "+8613800000001", "borrowers", 2],
                                                                  ["B2", "+8613800000001", "borrowers", 3]]
    assert set(g.nodes) == {"borrower"}


def test_subgraph_walks_hops_through_loaded_types_only():
    def neighbours(params):
        return [["Phone", "+8613800000001"]] if "B1" in params["keys"] else [["Borrower", "B2"]]

    d = FakeDriver({"RETURN DISTINCT": neighbours,
                    "MATCH (n:Borrower {key: k})": lambda p: [[k, {"key": k}] for k in p["keys"]],
                    "MATCH (n:Phone {key: k})": lambda p: [[k, {"key": k}] for k in p["keys"]],
                    "MATCH (a:Borrower {key: k})-[r:": lambda p: [
                        ["HAS_PHONE", k, "Phone", "+8613800000001", {"_table": "borrowers", "_row": 2}]
                        for k in p["keys"]]})
    G = Neo4jStore(d).subgraph(["borrower:B1"], hops=2)
    assert_all_from_files(d)
    assert sorted(G.nodes) == ["borrower:B1", "borrower:B2", "phone:+8613800000001"]
    assert G.number_of_edges() == 2
    hop_q = [q for q in d.queries() if "RETURN DISTINCT" in q][0]
    assert "HAS_MEMBER" not in hop_q and "LINKED" not in hop_q and "HAS_PHONE|" in hop_q
    with pytest.raises(ValueError):
        Neo4jStore(d).subgraph(["borrower:B1"], hops=-1)


# ---------------------------------------------------------------------------------------
# communities and rings
# ---------------------------------------------------------------------------------------

EDGES = pd.DataFrame({"u": ["a", "a", "b", "d", "d", "e"], "v": ["b", "c", "c", "e", "f", "f"],
                      "weight": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0], "links": ["device"] * 6})


def gds_driver(installed=True):
    stream = [["a", 7], ["b", 7], ["c", 7], ["d", 9], ["e", 9], ["f", 9]]
    return FakeDriver({"SHOW PROCEDURES": [[list(GDS_PROCEDURES) if installed else []]],
                       "gds.version()": [["2.13.9"]],
                       "gds.leiden.stream": stream, "gds.louvain.stream": stream, "gds.wcc.stream": stream})


def test_communities_run_in_gds_with_seed_and_resolution():
    d = gds_driver()
    store = Neo4jStore(d, batch_size=4)
    p = store.communities(EDGES, "leiden", 42, resolution=1.5, min_size=3, max_size=400, quality="modularity")
    assert_all_from_files(d)
    assert p.algorithm == "leiden" and p.seed == 42 and p.params["backend"] == "neo4j-gds"
    assert p.groups() == {0: ["a", "b", "c"], 1: ["d", "e", "f"]}
    links = [p_ for k, q, p_, _ in d.calls if q == cypher.render("projection/write_links")]
    assert sum(len(x["rows"]) for x in links) == 6 and len(links) == 2
    assert links[0]["rows"][0] == {"u": "a", "v": "b", "weight": 1.0, "links": "device"}
    call = [p_ for k, q, p_, _ in d.calls if q == cypher.render("gds/leiden_stream")][0]
    assert call["seed"] == 42 and call["resolution"] == 1.5 and call["graph"].startswith("graphring_")
    dropped = [p_ for k, q, p_, _ in d.calls if q == cypher.render("gds/drop_graph")]
    assert dropped == [{"graph": call["graph"]}]
    assert [k for k, q, _, _ in d.calls if q == cypher.render("projection/clear_links")] == ["auto"]


def test_edges_given_as_a_function_are_read_only_when_gds_runs():
    # rings_from_frames hands the store a function: the controlled view's edge table is cut only for GDS
    from graphring.store.memory import MemoryStore

    reads = []

    def edges():
        reads.append(1)
        return EDGES

    assert MemoryStore().communities(edges, "leiden", 0) is None
    assert Neo4jStore(gds_driver(), gds=False).communities(edges, "leiden", 0) is None
    assert Neo4jStore(gds_driver()).communities(edges, "leiden", 0, quality="cpm") is None
    assert reads == []
    p = Neo4jStore(gds_driver()).communities(edges, "leiden", 42, quality="modularity")
    assert reads == [1] and p.groups() == {0: ["a", "b", "c"], 1: ["d", "e", "f"]}


def test_communities_fall_back_to_client_side_when_gds_cannot():
    d = gds_driver(installed=False)
    assert Neo4jStore(d).communities(EDGES, "leiden", 0) is None
    assert not any("gds." in q and "SHOW" not in q for q in d.queries())
    d2 = gds_driver()
    assert Neo4jStore(d2).communities(EDGES, "louvain", 0, resolution=2.0) is None  # GDS Louvain: no resolution
    assert Neo4jStore(d2).communities(EDGES, "leiden", 0, quality="cpm") is None  # GDS Leiden: modularity only
    assert Neo4jStore(d2, gds=False).communities(EDGES, "leiden", 0) is None
    assert Neo4jStore(d2).communities(EDGES, "nonsense", 0) is None  # the client raises the right error
    with pytest.raises(BackendError, match="Graph Data Science is not installed"):
        Neo4jStore(gds_driver(installed=False), gds=True).communities(EDGES, "leiden", 0)


def test_oversized_communities_are_split_inside_gds():
    calls = {"n": 0}

    def leiden(params):
        calls["n"] += 1
        if calls["n"] == 1:
            return [[k, 1] for k in "abcdef"]
        return [[k, 0 if k in "abc" else 1] for k in "abcdef"]

    d = gds_driver()
    d.responses["gds.leiden.stream"] = leiden
    p = Neo4jStore(d).communities(EDGES, "leiden", 0, max_size=4)
    assert p.groups() == {0: ["a", "b", "c"], 1: ["d", "e", "f"]}
    sub = [p_ for k, q, p_, _ in d.calls if q == cypher.render("projection/project_subset")]
    assert sub and sub[0]["keys"] == list("abcdef")
    second = [p_ for k, q, p_, _ in d.calls if q == cypher.render("gds/leiden_stream")][1]
    assert second["resolution"] == 2.0


def make_ring(rid, members, score=0.9):
    from graphring.pipeline import Ring

    m = pd.DataFrame(members, columns=["kind", "id", "role"])
    return Ring(rid, score, "proxy_complaint", {}, m, [{"name": "shared_complaint_phone"}], {}, 3)


def test_write_rings_replaces_the_run_in_one_transaction():
    d = gds_driver()
    store = Neo4jStore(d)
    store.communities(EDGES, "leiden", 5)
    rings = [make_ring("R0001", [("borrower", "B1", "organizer"), ("borrower", "B2", "member"),
                                 ("phone", "+8613800000001", "hub_phone"), ("weird", "x", "member")])]
    d.calls.clear()
    store.write_rings(rings, "run-7")
    assert_all_from_files(d)
    kinds = [k for k, *_ in d.calls]
    assert kinds[kinds.index("begin"):] == ["begin", "tx", "tx", "tx", "tx"]
    tx = [(q, p) for k, q, p, _ in d.calls if k == "tx"]
    assert tx[0] == (cypher.render("rings/clear_run"), {"run_id": "run-7"})
    ring = tx[1][1]["rings"][0]
    assert ring["key"] == "run-7/R0001"
    assert ring["props"]["algorithm"] == "leiden" and ring["props"]["seed"] == 5
    assert ring["props"]["borrowers"] == 2 and ring["props"]["signals"] == ["shared_complaint_phone"]
    by_label = {q.split("MATCH (m:")[1].split(" ")[0]: p["rows"] for q, p in tx[2:]}
    assert by_label["Borrower"] == [{"ring": "run-7/R0001", "key": "B1", "role": "organizer"},
                                    {"ring": "run-7/R0001", "key": "B2", "role": "member"}]
    assert by_label["Phone"][0]["role"] == "hub_phone"


# ---------------------------------------------------------------------------------------
# load_folder (graphring load)
# ---------------------------------------------------------------------------------------

def test_load_command_validates_loads_and_prints_counts(tmp_path, monkeypatch):
    from graphring.store.neo4j import load_folder as load_command

    (tmp_path / "borrowers.csv").write_text("borrower_id,phone,备注\nB1,13800000001,\"a'}) DETACH DELETE n //\"\n"
                                            "B2,13800000001,x\n", encoding="utf-8")
    d = FakeDriver({"'node' AS what": [["node", "Borrower", 2], ["node", "Phone", 1],
                                       ["relationship", "HAS_PHONE", 2]]})
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, auth=None, **kw: d)
    lines, totals = [], []
    res = load_command(tmp_path, "bolt://127.0.0.1:7687", None, None, None, None, echo=lines.append,
                       on_total=totals.append)
    assert_all_from_files(d)
    assert res.counts["nodes"] == {"Borrower": 2, "Phone": 1}
    assert totals == [res.rows] and d.closed
    out = "\n".join(lines)
    assert "Validation of" in out and "Loaded" in out and "Borrower" in out and "HAS_PHONE" in out
    sent = [r for _, _, p, _ in d.calls for r in p.get("rows", [])]
    assert any(r.get("props", {}).get("x:备注") == "a'}) DETACH DELETE n //" for r in sent)


def test_load_command_needs_a_uri_and_a_usable_folder(tmp_path, monkeypatch):
    from graphring.errors import InputError
    from graphring.store.neo4j import load_folder as load_command

    with pytest.raises(InputError, match="NEO4J_URI"):
        load_command(tmp_path, None)
    (tmp_path / "borrowers.csv").write_text("borrower_id\n\n", encoding="utf-8")
    d = FakeDriver()
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, auth=None, **kw: d)
    with pytest.raises(GraphringError, match="no borrower row"):
        load_command(tmp_path, "bolt://127.0.0.1:7687", echo=lambda s: None)
    assert d.closed


def test_fetch_reads_in_key_pages():
    pages = {"": [2, "B2", [{"key": "B1", "_row": 2}, {"key": "B2", "_row": 3}]],
             "B2": [1, "B3", [{"key": "B3", "_row": 4}]]}
    d = FakeDriver({"MATCH (n:Borrower)\nWHERE": lambda p: [pages[p["after"]]],
                    "MATCH (n:": [[0, None, []]],
                    "collect(properties(r))": [[0, None, [], [], [], []]]})
    g = Neo4jStore(d, fetch_size=2).fetch_frames()
    assert g.nodes["borrower"]["key"].tolist() == ["B1", "B2", "B3"]
    afters = [p["after"] for _, q, p, _ in d.calls if q.startswith("MATCH (n:Borrower)")]
    assert afters == ["", "B2"]
    assert all(p["limit"] == 2 for _, q, p, _ in d.calls if "$limit" in q)
