"""A real Neo4j server for the tests: start it on demand, stop it afterwards (test scaffolding, not in the wheel).

The server is Neo4j Community 5.26 with Bolt, Graph Data Science 2.13 and APOC
core, run by ``scripts/neo4j-dev`` from jars that Maven fetches once into
``scripts/neo4j/lib``.  It needs Java 17 (or 21) and Maven; auth is disabled
and Bolt listens on 127.0.0.1 only.

The ``neo4j_uri`` fixture of ``tests/conftest.py`` uses it: a skip when no
server can be had, a failure under ``GRAPHRING_REQUIRE_NEO4J=1`` (CI).

Set ``NEO4J_URI`` (and ``NEO4J_USER`` / ``NEO4J_PASSWORD`` if that server
needs auth) to use a server that is already running instead.

Examples
--------
>>> isinstance(missing_prerequisites(), list)
True
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

from graphring.errors import BackendError

__all__ = [
    "INSTALL_HINT",
    "Neo4jServerUnavailable",
    "driver_auth",
    "ensure_server",
    "missing_prerequisites",
    "stop_server",
    "wait_for_bolt",
]


class Neo4jServerUnavailable(BackendError):
    """No Neo4j server can be had for the tests: prerequisites missing or start-up failed.

    The message says what to install or where the server log is; tests turn it into a skip or a failure.
    """


REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "neo4j-dev"
LIB_DIR = REPO_ROOT / "scripts" / "neo4j" / "lib"
INSTALL_HINT = (
    "Java 17 and Maven are needed to run the Neo4j test server "
    "(Debian: apt-get install -y openjdk-17-jdk-headless maven)"
)

_lock = threading.Lock()
_state: dict[str, object] = {"uri": None, "started": False, "users": 0}


def driver_auth() -> tuple[str, str] | None:
    """Return the auth tuple for the driver, from the environment.

    Returns
    -------
    tuple of (str, str) or None
        ``(NEO4J_USER, NEO4J_PASSWORD)`` when ``NEO4J_PASSWORD`` is set (the
        user defaults to ``neo4j``), otherwise ``None``: the server started by
        :func:`ensure_server` has auth disabled.
    """
    password = os.environ.get("NEO4J_PASSWORD")
    if not password:
        return None
    return (os.environ.get("NEO4J_USER", "neo4j"), password)


def _java_major(java: str) -> int | None:
    """Return the major version of a ``java`` binary, or None if unknown."""
    try:
        out = subprocess.run(
            [java, "-XshowSettings:properties", "-version"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"java\.specification\.version = (\d+)", out.stderr + out.stdout)
    return int(m.group(1)) if m else None


def _find_java() -> str | None:
    """Return a Java 17 or 21 binary, searched as ``scripts/neo4j-dev`` does."""
    candidates: list[str] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(on_path)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        for pattern in ("java-17-openjdk-*", "temurin-17*", "java-21-openjdk-*", "temurin-21*"):
            candidates.extend(str(p / "bin" / "java") for p in sorted(jvm.glob(pattern)))
    for cand in candidates:
        if os.access(cand, os.X_OK) and _java_major(cand) in (17, 21):
            return cand
    return None


def missing_prerequisites() -> list[str]:
    """List what is missing to start the Neo4j test server here.

    Returns
    -------
    list of str
        Empty when the server can be started.  Otherwise human-readable items
        such as ``"Java 17"``, ``"Maven"`` or ``"the neo4j Python driver"``.
        Maven is only needed until ``scripts/neo4j/lib`` has been built.
    """
    missing: list[str] = []
    if not SCRIPT.is_file():
        missing.append(f"{SCRIPT} (not in this checkout)")
    if _find_java() is None:
        missing.append("Java 17")
    built = (LIB_DIR / "graphring-neo4j-launcher.jar").is_file() and (LIB_DIR / "plugins").is_dir()
    if not built and shutil.which("mvn") is None:
        missing.append("Maven")
    if shutil.which("bash") is None:
        missing.append("bash")
    try:
        import neo4j  # noqa: F401  # lazy: probes whether the driver is installed
    except ImportError:
        missing.append("the neo4j Python driver (pip install neo4j)")
    return missing


def wait_for_bolt(uri: str, timeout: float = 60.0, auth: tuple[str, str] | None = None) -> None:
    """Wait until a Bolt server answers a query.

    Parameters
    ----------
    uri : str
        Bolt URI, e.g. ``bolt://127.0.0.1:7687``.
    timeout : float, default 60.0
        Seconds to keep trying.
    auth : tuple of (str, str), optional
        Driver auth; ``None`` for a server without auth.

    Raises
    ------
    Neo4jServerUnavailable
        The server did not answer ``RETURN 1`` within ``timeout`` seconds.
    """
    try:
        from neo4j import GraphDatabase  # lazy: a missing driver is a skip, not an import error of conftest
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise Neo4jServerUnavailable("the neo4j Python driver is missing: pip install neo4j") from exc
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while True:
        try:
            with GraphDatabase.driver(uri, auth=auth, connection_timeout=5) as driver:
                driver.verify_connectivity()
                records, _, _ = driver.execute_query("RETURN 1 AS ok")
                if records and records[0]["ok"] == 1:
                    return
        except Exception as exc:  # noqa: BLE001 - any driver error means "not yet"
            last = exc
        if time.monotonic() >= deadline:
            raise Neo4jServerUnavailable(f"Neo4j at {uri} did not answer within {timeout:.0f}s: {last}")
        time.sleep(0.5)


def _run_script(*args: str, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(REPO_ROOT),
        stdin=subprocess.DEVNULL,
        env=env,
    )


def ensure_server(timeout: float = 600.0, fast_start: bool = True) -> str:
    """Return the Bolt URI of a running Neo4j server, starting one if needed.

    In order:

    1. ``NEO4J_URI`` set: wait until that server answers and return it.
    2. A server started earlier by this process: return its URI.
    3. A server already started with ``scripts/neo4j-dev start`` for this
       checkout: reuse it (it is left running by :func:`stop_server`).
    4. Otherwise run ``scripts/neo4j-dev start --port 0 --temp``: a free port
       and a throw-away database, built with Maven first if needed (the first
       build downloads ~130 MB of jars; later ones work offline).

    Parameters
    ----------
    timeout : float, default 600.0
        Seconds allowed for the build plus start-up.
    fast_start : bool, default True
        Run the JVM with the C1 compiler only (``-XX:TieredStopAtLevel=1``):
        it starts about a third faster on a busy 2-core machine, but runs
        algorithms on large graphs more slowly.  Ignored when
        ``NEO4J_DEV_JAVA_OPTS`` is set or when a server is reused.

    Returns
    -------
    str
        The Bolt URI, e.g. ``bolt://127.0.0.1:40123``.  Connect with
        ``auth=driver_auth()`` (``None`` for the started server).

    Raises
    ------
    Neo4jServerUnavailable
        Java 17 / Maven / the driver are missing (the message names what to
        install: "Java 17 and Maven"), or the server failed to start (the
        message carries the end of its log).
    """
    env_uri = os.environ.get("NEO4J_URI")
    if env_uri:
        wait_for_bolt(env_uri, timeout=min(timeout, 120.0), auth=driver_auth())
        return env_uri
    with _lock:
        if _state["uri"]:
            _state["users"] = int(_state["users"]) + 1
            return str(_state["uri"])
        missing = missing_prerequisites()
        if missing:
            raise Neo4jServerUnavailable(f"{INSTALL_HINT}; missing here: {', '.join(missing)}")
        started = False
        status = _run_script("status", timeout=60)
        uri = status.stdout.strip().split()[-1] if status.returncode == 0 and status.stdout.strip() else ""
        if not uri.startswith("bolt://"):
            try:
                env = dict(os.environ)
                if fast_start and "NEO4J_DEV_JAVA_OPTS" not in env:
                    env["NEO4J_DEV_JAVA_OPTS"] = "-XX:TieredStopAtLevel=1"
                proc = _run_script(
                    "start", "--port", "0", "--temp", "--timeout", str(int(timeout)), timeout=timeout + 60, env=env
                )
            except subprocess.TimeoutExpired as exc:
                raise Neo4jServerUnavailable(f"scripts/neo4j-dev start took more than {timeout:.0f}s") from exc
            lines = proc.stdout.strip().splitlines()
            uri = lines[-1].strip() if lines else ""
            if proc.returncode != 0 or not uri.startswith("bolt://"):
                raise Neo4jServerUnavailable(
                    f"scripts/neo4j-dev start failed (exit {proc.returncode}):\n{proc.stderr.strip()[-4000:]}"
                )
            started = True
            atexit.register(stop_server, force=True)
        try:
            wait_for_bolt(uri, timeout=120.0)
        except Neo4jServerUnavailable:
            if started:
                _run_script("stop", timeout=120)
            raise
        _state["uri"] = uri
        _state["started"] = started
        _state["users"] = 1
        return uri


def stop_server(force: bool = False) -> None:
    """Release the server from :func:`ensure_server`; stop it after the last user.

    Each :func:`ensure_server` call (outside ``NEO4J_URI``) counts as a user,
    so fixtures in several test modules can each pair ``ensure_server`` with
    ``stop_server``: the server stops when the last one releases it (and at
    interpreter exit in any case).  Only a server that this process started is
    stopped; one given by ``NEO4J_URI`` or started beforehand with
    ``scripts/neo4j-dev start`` is left running.  Safe to call repeatedly.

    Parameters
    ----------
    force : bool, default False
        Stop now, whatever the number of users.
    """
    with _lock:
        if not _state["uri"]:
            return
        users = max(0, int(_state["users"]) - 1)
        _state["users"] = users
        if users and not force:
            return
        started = bool(_state["started"])
        _state["uri"] = None
        _state["started"] = False
        _state["users"] = 0
        if started:
            try:
                _run_script("stop", timeout=120)
            except (OSError, subprocess.SubprocessError):
                pass
