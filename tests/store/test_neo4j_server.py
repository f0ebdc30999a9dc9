"""The real Neo4j test server: Bolt answers, GDS 2.13 and APOC are loaded.

The server comes from :func:`neo4j_server.ensure_server` (tests/neo4j_server.py) (started by
``scripts/neo4j-dev`` unless ``NEO4J_URI`` is set).  Without Java 17 and Maven
the tests skip, unless ``GRAPHRING_REQUIRE_NEO4J=1`` asks for a failure instead.
"""

from __future__ import annotations

import os

import pytest

import neo4j_server as testing_neo4j
from neo4j_server import Neo4jServerUnavailable, driver_auth, ensure_server, stop_server

GRAPH_NAME = "graphring_test_two_triangles"
LABEL = "GraphringTestTwoTriangles"


@pytest.fixture(scope="module")
def neo4j_driver():
    """A driver connected to the test server (skips, or fails if required)."""
    try:
        uri = ensure_server()
    except Neo4jServerUnavailable as exc:
        if os.environ.get("GRAPHRING_REQUIRE_NEO4J") == "1":
            pytest.fail(f"GRAPHRING_REQUIRE_NEO4J=1 but no Neo4j server: {exc}", pytrace=False)
        pytest.skip(str(exc))
    neo4j = pytest.importorskip("neo4j")
    driver = neo4j.GraphDatabase.driver(uri, auth=driver_auth())
    try:
        yield driver
    finally:
        driver.close()
        stop_server()


def _single(driver, query, **params):
    records, _, _ = driver.execute_query(query, params)
    assert len(records) == 1, records
    return records[0]


@pytest.mark.neo4j
def test_return_1(neo4j_driver):
    assert _single(neo4j_driver, "RETURN 1 AS x")["x"] == 1


@pytest.mark.neo4j
def test_gds_version_is_2_13(neo4j_driver):
    version = _single(neo4j_driver, "CALL gds.version() YIELD gdsVersion RETURN gdsVersion")["gdsVersion"]
    assert version.startswith("2.13."), version


@pytest.mark.neo4j
def test_apoc_version(neo4j_driver):
    version = _single(neo4j_driver, "RETURN apoc.version() AS v")["v"]
    assert version.startswith("5."), version


@pytest.mark.neo4j
def test_louvain_finds_two_triangles(neo4j_driver):
    d = neo4j_driver
    d.execute_query(f"MATCH (n:{LABEL}) DETACH DELETE n")
    d.execute_query(f"UNWIND range(0, 5) AS i CREATE (:{LABEL} {{id: i}})")
    d.execute_query(
        f"""
        UNWIND [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3]] AS e
        MATCH (a:{LABEL} {{id: e[0]}}), (b:{LABEL} {{id: e[1]}})
        CREATE (a)-[:LINK]->(b)
        """
    )
    try:
        projected = _single(
            d,
            f"""
            CALL gds.graph.project($name, '{LABEL}', {{LINK: {{orientation: 'UNDIRECTED'}}}})
            YIELD nodeCount, relationshipCount
            RETURN nodeCount, relationshipCount
            """,
            name=GRAPH_NAME,
        )
        assert projected["nodeCount"] == 6
        assert projected["relationshipCount"] == 12
        records, _, _ = d.execute_query(
            """
            CALL gds.louvain.stream($name) YIELD nodeId, communityId
            RETURN gds.util.asNode(nodeId).id AS id, communityId
            ORDER BY id
            """,
            {"name": GRAPH_NAME},
        )
        community = {r["id"]: r["communityId"] for r in records}
        assert sorted(community) == [0, 1, 2, 3, 4, 5]
        assert len(set(community.values())) == 2
        assert community[0] == community[1] == community[2]
        assert community[3] == community[4] == community[5]
        assert community[0] != community[3]

        # Write-back (GDS open-write-services) lands on the nodes.
        written = _single(
            d,
            "CALL gds.louvain.write($name, {writeProperty: 'community'}) "
            "YIELD communityCount, nodePropertiesWritten RETURN communityCount, nodePropertiesWritten",
            name=GRAPH_NAME,
        )
        assert written["communityCount"] == 2
        assert written["nodePropertiesWritten"] == 6
        stored = _single(d, f"MATCH (n:{LABEL}) RETURN count(DISTINCT n.community) AS c")["c"]
        assert stored == 2
    finally:
        d.execute_query("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", {"name": GRAPH_NAME})
        d.execute_query(f"MATCH (n:{LABEL}) DETACH DELETE n")


def test_stop_server_stops_after_last_user(monkeypatch):
    """No server needed: the start/stop bookkeeping of ensure_server/stop_server."""
    calls = []

    def fake_run(*args, timeout, env=None):
        calls.append(args[0])
        out = "not running" if args[0] == "status" else "bolt://127.0.0.1:1"
        return testing_neo4j.subprocess.CompletedProcess(args, 3 if args[0] == "status" else 0, out + "\n", "")

    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setattr(testing_neo4j, "_state", {"uri": None, "started": False, "users": 0})
    monkeypatch.setattr(testing_neo4j, "missing_prerequisites", lambda: [])
    monkeypatch.setattr(testing_neo4j, "wait_for_bolt", lambda *a, **k: None)
    monkeypatch.setattr(testing_neo4j, "_run_script", fake_run)
    monkeypatch.setattr(testing_neo4j.atexit, "register", lambda *a, **k: None)

    assert testing_neo4j.ensure_server() == "bolt://127.0.0.1:1"
    assert testing_neo4j.ensure_server() == "bolt://127.0.0.1:1"
    assert calls == ["status", "start"]
    testing_neo4j.stop_server()
    assert calls == ["status", "start"]  # one user left
    testing_neo4j.stop_server()
    assert calls == ["status", "start", "stop"]
    testing_neo4j.stop_server()  # idempotent
    assert calls == ["status", "start", "stop"]


def test_missing_prerequisites_name_java_and_maven(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setattr(testing_neo4j, "_state", {"uri": None, "started": False, "users": 0})
    monkeypatch.setattr(testing_neo4j, "missing_prerequisites", lambda: ["Java 17", "Maven"])
    with pytest.raises(Neo4jServerUnavailable, match="Java 17 and Maven"):
        testing_neo4j.ensure_server()
