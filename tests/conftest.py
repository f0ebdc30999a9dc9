"""Shared pytest set-up: tests/ importable (helpers.py, demo_data.py, neo4j_server.py, report_runs.py), shared fixtures.

Fixtures
--------
neo4j_uri
    Bolt URI of a real Neo4j server (:func:`neo4j_server.ensure_server` starts one on a free port):
    a skip when none can be had, a failure under ``GRAPHRING_REQUIRE_NEO4J=1`` (CI).
demo_run_dir
    The run directory of the tiny demo ring (:func:`demo_data.demo_run`), one per test module.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_data import demo_run  # noqa: E402  (tests/ is put on sys.path just above)
from neo4j_server import Neo4jServerUnavailable, ensure_server  # noqa: E402


@pytest.fixture(scope="session")
def neo4j_uri():
    """Bolt URI of a running Neo4j (skip, or fail under GRAPHRING_REQUIRE_NEO4J=1, when none can be had)."""
    try:
        return ensure_server()
    except Neo4jServerUnavailable as exc:
        if os.environ.get("GRAPHRING_REQUIRE_NEO4J") == "1":
            pytest.fail(f"GRAPHRING_REQUIRE_NEO4J=1 but no Neo4j server: {exc}")
        pytest.skip(f"no Neo4j server: {exc}")


@pytest.fixture(scope="module")
def demo_run_dir(tmp_path_factory):
    """The demo ring's run directory (written once per test module: a module may add files to it)."""
    return demo_run(tmp_path_factory.mktemp("demo"))
