"""The Neo4j store: the graph in a Neo4j 5 database, detection in GDS when it is there.

:class:`Neo4jStore` implements :class:`graphring.store.base.GraphStore` on a
Neo4j database through the official Python driver. Every statement it runs is
a ``.cypher`` file (see :mod:`graphring.store.cypher`); values always travel as
parameters, labels and relationship types come only from the schema.

- **load** creates the key constraints (``IF NOT EXISTS``), then writes nodes and
  relationships in ``UNWIND $rows`` batches: nodes ``MERGE`` on their key,
  relationships on (their two ends, ``_table``, ``_row``), so loading the same
  folder twice changes nothing and a load that failed half-way can simply be
  run again.
- **fetch_frames** reads nodes and relationships back into the same
  :class:`~graphring.graph.model.GraphFrames` columns the memory store holds, so ring
  finding runs the same projection and signal code on either backend.
- **communities** writes the weighted borrower projection as
  ``(:Borrower)-[:LINKED {weight, links}]->(:Borrower)``, projects it into GDS
  and runs ``gds.leiden`` (modularity) / ``gds.louvain`` / ``gds.wcc``; without
  GDS, or for a setting GDS cannot honour (Leiden with the constant Potts model,
  Louvain at a resolution other than 1), it returns ``None`` and detection runs
  client-side on the fetched graph, exactly as in memory.
- **write_rings** writes ``(:Ring {id, run_id, score, typology, algorithm, seed})``
  with ``(:Ring)-[:HAS_MEMBER {role}]->(member)``, replacing the rings of the same
  ``run_id``.

The store takes a :class:`neo4j.Driver` (and then never closes it) or a URI
and auth (and then closes the driver it opened). It reads no environment
variables: the CLI does (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) and passes plain values to :func:`open_neo4j_store`;
:func:`load_folder` is ``graphring load``.

Examples
--------
>>> from graphring.store.neo4j import Neo4jStore
>>> store = Neo4jStore("bolt://127.0.0.1:7687", auth=None)  # doctest: +SKIP
>>> store.load(frames).counts["nodes"]["Borrower"]           # doctest: +SKIP
2000
>>> from graphring.pipeline import rings_from_store
>>> res = rings_from_store(store)                            # doctest: +SKIP
>>> store.close()                                            # doctest: +SKIP

Passing a driver you manage yourself (it stays open):

>>> import neo4j
>>> driver = neo4j.GraphDatabase.driver("bolt://127.0.0.1:7687")  # doctest: +SKIP
>>> with Neo4jStore(driver, database="neo4j") as store:           # doctest: +SKIP
...     print(store.counts())

Loading a folder, as ``graphring load`` does:

>>> load_folder("sample_data/bank_a", "bolt://127.0.0.1:7687")   # doctest: +SKIP
Validation of sample_data/bank_a: 11 tables, 64,528 rows loaded, 0 rejected
Loaded 64,528 rows into Neo4j at bolt://127.0.0.1:7687 (default database) in 21.3 s (3,030 rows/s)
  Borrower  2,000
  ...
>>> auth_from("neo4j", "secret"), auth_from(None, None) is None
(('neo4j', 'secret'), True)
"""

from __future__ import annotations

import datetime as _dt
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import networkx as nx
import numpy as np
import pandas as pd

from graphring.detect.communities import Partition, split_oversized
from graphring.errors import BackendError, GraphringError, InputError
from graphring.graph.model import RELATIONSHIPS, GraphFrames, build_frames, split_node_id
from graphring.ingest.schema import ENTITY_KINDS, TABLES
from graphring.store import cypher
from graphring.store.base import GraphStore, LoadResult
from graphring.store.memory import frames_to_networkx
from graphring.ingest.validate import validate_folder

__all__ = ["Neo4jStore", "GDS_PROCEDURES", "node_rows", "edge_rows", "auth_from", "open_neo4j_store", "load_folder",
           "format_counts"]

#: GDS procedures graphring calls (all must be present to detect communities in Neo4j).
GDS_PROCEDURES = ("gds.leiden.stream", "gds.louvain.stream", "gds.wcc.stream", "gds.graph.drop")
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_ALGO_FILE = {"leiden": "gds/leiden_stream", "louvain": "gds/louvain_stream", "wcc": "gds/wcc_stream"}
_KIND_OF_LABEL = {label: kind for kind, label in ENTITY_KINDS.items()}
_LABELS = list(cypher.LABELS)
_REL_ORDER = {t: i for i, t in enumerate(cypher.REL_TYPES)}
_TABLE_ORDER = {r.table: i for i, r in enumerate(RELATIONSHIPS)}
_EDGE_PROPS: dict[str, list[str]] = {}
for _r in RELATIONSHIPS:
    _EDGE_PROPS.setdefault(_r.type, [])
    _EDGE_PROPS[_r.type] += [p for p in _r.props if p not in _EDGE_PROPS[_r.type]]
_RESOLVED = {"party": ("borrower", "person", "company", "account"), "person": ("borrower", "person")}
_SRC_KINDS: dict[str, list[str]] = {}
for _r in RELATIONSHIPS:
    for _k in _RESOLVED.get(_r.src_kind, (_r.src_kind,)):
        if _k not in _SRC_KINDS.setdefault(_r.type, []):
            _SRC_KINDS[_r.type].append(_k)
_NODE_COLS: dict[str, list[str]] = {}
for _k, (_t, _c) in {"borrower": ("borrowers", "borrower_id"), "complaint": ("complaints", "complaint_id"),
                     "company": ("companies", "uscc"), "loan": ("loans", "loan_id")}.items():
    _NODE_COLS[_k] = [c for c in TABLES[_t].column_names if c != _c]


# ---------------------------------------------------------------------------------------
# frames <-> parameter rows
# ---------------------------------------------------------------------------------------

def _native(v):
    """A value the driver packs as a Neo4j property (numpy/pandas scalars made plain)."""
    if isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v
    if isinstance(v, (list, tuple)):
        return [_native(x) for x in v]
    return str(v)


def _column(s: pd.Series) -> tuple[list, np.ndarray]:
    """Plain Python values of a column and its not-null mask."""
    mask = s.notna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert(None)
        return list(s.dt.to_pydatetime()), mask
    vals = s.astype(object).tolist() if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.tolist()
    if s.dtype == object:
        vals = [_native(v) if m else None for v, m in zip(vals, mask)]
    return vals, mask


def _props(df: pd.DataFrame, cols: list[str]) -> list[dict]:
    """One ``{column: value}`` dict per row, null values left out."""
    out: list[dict] = [{} for _ in range(len(df))]
    for c in cols:
        vals, mask = _column(df[c])
        for i in np.flatnonzero(mask):
            out[i][c] = vals[i]
    return out


def node_rows(df: pd.DataFrame) -> list[dict]:
    """Parameter rows ``{key, props}`` for ``load/nodes.cypher`` from a node table.

    Examples
    --------
    >>> import pandas as pd
    >>> node_rows(pd.DataFrame({"key": ["B1", "B2"], "city": ["北京", None], "x:备 注": ["a'}", None]}))
    [{'key': 'B1', 'props': {'city': '北京', 'x:备 注': "a'}"}}, {'key': 'B2', 'props': {}}]
    """
    cols = [c for c in df.columns if c != "key"]
    keys = df["key"].astype(str).tolist()
    return [{"key": k, "props": p} for k, p in zip(keys, _props(df, cols))]


def edge_rows(df: pd.DataFrame) -> list[dict]:
    """Parameter rows ``{src, dst, table, row, props}`` for ``load/relationships.cypher``.

    Examples
    --------
    >>> import pandas as pd
    >>> edge_rows(pd.DataFrame({"src": ["B1"], "dst": ["D1"], "_table": ["devices"], "_row": [2],
    ...                         "ip": ["1.2.3.4"]}))
    [{'src': 'B1', 'dst': 'D1', 'table': 'devices', 'row': 2, 'props': {'ip': '1.2.3.4'}}]
    """
    cols = [c for c in df.columns if c not in ("src", "dst", "_table", "_row")]
    rows = pd.to_numeric(df["_row"], errors="coerce").astype("Int64").astype(object).tolist()
    return [{"src": s, "dst": d, "table": t, "row": None if r is pd.NA else int(r), "props": p}
            for s, d, t, r, p in zip(df["src"].astype(str).tolist(), df["dst"].astype(str).tolist(),
                                     df["_table"].astype(str).tolist(), rows, _props(df, cols))]


def _from_neo4j(v):
    if hasattr(v, "to_native"):  # neo4j.time.DateTime / Date / Time / Duration
        return v.to_native()
    return v


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Give columns read from Neo4j the dtypes the memory store has (datetimes, nullable ints)."""
    for c in df.columns:
        s = df[c]
        if s.dtype != object:
            continue
        nn = s[s.notna()]
        if not len(nn):
            continue
        first = nn.iloc[0]
        if hasattr(first, "to_native") or isinstance(first, (_dt.datetime, _dt.date)):
            df[c] = pd.to_datetime(pd.Series([_from_neo4j(v) if v is not None else None for v in s],
                                             index=df.index, dtype=object),
                                   errors="coerce").astype("datetime64[ns]")
        elif isinstance(first, bool) and all(isinstance(v, bool) for v in nn):
            df[c] = s.astype("boolean")
        elif isinstance(first, int) and all(isinstance(v, int) and not isinstance(v, bool) for v in nn):
            df[c] = s.astype("Int64")
        elif isinstance(first, float) and all(isinstance(v, (int, float)) for v in nn):
            df[c] = s.astype("float64")
    return df


def _object_frame(dicts: list[dict]) -> pd.DataFrame:
    """A frame of object columns from property maps (ints stay ints, missing is None)."""
    cols = list(dict.fromkeys(k for d in dicts for k in d))
    return pd.DataFrame({c: pd.Series([d.get(c) for d in dicts], dtype=object) for c in cols},
                        index=pd.RangeIndex(len(dicts)))


def _node_frame(kind: str, records: list) -> pd.DataFrame:
    df = _object_frame([p for _, p in records])
    if "key" not in df.columns:
        df["key"] = pd.Series([k for k, _ in records], dtype=object)
    df = _typed(df)
    known = ["key", "_row"] + _NODE_COLS.get(kind, [])
    order = [c for c in known if c in df.columns]
    order += [c for c in df.columns if c not in order and not c.startswith("x:")]
    order += sorted(c for c in df.columns if c not in order)
    df = df[order]
    if "_row" in df.columns:
        df = df.sort_values(["_row", "key"], na_position="last", kind="stable")
    else:
        df = df.sort_values("key", kind="stable")
    df = df.reset_index(drop=True)
    df["key"] = df["key"].astype("str")
    if "_row" in df.columns and df["_row"].notna().all():
        df["_row"] = df["_row"].astype("int64")
    return df


def _edge_frame(type_: str, rows: list[tuple]) -> pd.DataFrame:
    """Rows of (src, dst, props) of one (type, src kind, dst kind) as an edge table."""
    props = _object_frame([p for _, _, p in rows])
    df = pd.DataFrame({"src": [s for s, _, _ in rows], "dst": [d for _, d, _ in rows]})
    for c in props.columns:
        df[c] = props[c].to_numpy(dtype=object)
    for c in ("_table", "_row"):
        if c not in df.columns:
            df[c] = None
    df = _typed(df)
    order = ["src", "dst", "_table", "_row"] + [p for p in _EDGE_PROPS.get(type_, []) if p in df.columns]
    order += sorted(c for c in df.columns if c not in order)
    df = df[order]
    df["_o"] = df["_table"].map(_TABLE_ORDER).fillna(len(_TABLE_ORDER))
    df = df.sort_values(["_o", "_row", "dst", "src"], kind="stable").drop(columns="_o").reset_index(drop=True)
    if df["_row"].notna().all():
        df["_row"] = df["_row"].astype("int64")
    df["src"] = df["src"].astype("str")
    df["dst"] = df["dst"].astype("str")
    df["_table"] = df["_table"].astype("str")
    return df


def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _values(result) -> list:
    return result.values()


def _consume(result):
    return result.consume()


# ---------------------------------------------------------------------------------------
# the store
# ---------------------------------------------------------------------------------------

class Neo4jStore(GraphStore):
    """A graph in a Neo4j 5 database (community detection in GDS when installed).

    Parameters
    ----------
    uri_or_driver : str or neo4j.Driver
        A Bolt URI (``bolt://host:7687``, ``neo4j://...``): the store opens a
        driver and closes it in :meth:`close`. Or a driver you manage: the store
        uses it and never closes it.
    auth : tuple of (str, str) or None
        ``(user, password)`` when opening from a URI; ``None`` for a server with
        authentication disabled. Ignored when a driver is given.
    database : str, optional
        Database name; ``None`` is the server's default database.
    batch_size : int
        Rows per ``UNWIND $rows`` transaction (default 10,000).
    fetch_size : int
        Nodes per page when reading the graph back (default 100,000).
    gds : {"auto", True, False}
        Run community detection in GDS: when installed (``"auto"``), always
        (``True``: an error when GDS is missing), or never (``False``: detection
        runs client-side on the fetched graph).
    connection_timeout : float
        Seconds to wait for a connection (URI only).
    max_retry_time : float
        Seconds the driver retries a transaction on transient errors (URI only).

    Notes
    -----
    Errors from the driver become :class:`~graphring.errors.BackendError` with
    the URI and what to do: start the server, check ``NEO4J_USER`` /
    ``NEO4J_PASSWORD``, or create the database.

    Examples
    --------
    >>> Neo4jStore("bolt://127.0.0.1:7687").counts()   # doctest: +SKIP
    {'nodes': {'Borrower': 2000, ...}, 'relationships': {...}}
    """

    name = "neo4j"

    def __init__(self, uri_or_driver, auth=None, database: str | None = None, *, batch_size: int = 10_000,
                 fetch_size: int = 100_000, gds="auto", connection_timeout: float = 10.0,
                 max_retry_time: float = 15.0) -> None:
        if batch_size < 1 or fetch_size < 1:
            raise ValueError("batch_size and fetch_size must be >= 1")
        self.fetch_size = int(fetch_size)
        if gds not in ("auto", True, False):
            raise ValueError("gds must be 'auto', True or False")
        self.database = database or None
        self.batch_size = int(batch_size)
        self._gds_mode = gds
        self._gds_ok: bool | None = None
        self._checked = False
        self._last_detection: dict = {}
        if isinstance(uri_or_driver, str):
            import neo4j  # lazy: the Bolt driver is needed only with --backend neo4j

            self.uri = uri_or_driver
            self._user = auth[0] if isinstance(auth, (tuple, list)) and auth else None
            scheme = uri_or_driver.split("://", 1)[0].lower() if "://" in uri_or_driver else ""
            if scheme not in _SCHEMES:
                raise BackendError(
                    f"cannot use Neo4j URI {uri_or_driver!r}: give a Bolt URI such as bolt://127.0.0.1:7687 or "
                    f"neo4j://host:7687 (NEO4J_URI); schemes: {', '.join(_SCHEMES)}")
            try:
                self._driver = neo4j.GraphDatabase.driver(
                    uri_or_driver, auth=tuple(auth) if isinstance(auth, list) else auth,
                    connection_timeout=connection_timeout, max_transaction_retry_time=max_retry_time,
                    notifications_min_severity="OFF")
            except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
                raise BackendError(
                    f"cannot use Neo4j URI {uri_or_driver!r}: {exc}. Give a Bolt URI such as "
                    "bolt://127.0.0.1:7687 or neo4j://host:7687 (NEO4J_URI)") from None
            self._owns = True
        else:
            self._driver = uri_or_driver
            self._owns = False
            self._user = None
            self.uri = _driver_address(uri_or_driver)

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- plumbing ---------------------------------------------------------------------

    @property
    def driver(self):
        """The driver in use (yours, if you passed one)."""
        return self._driver

    def close(self) -> None:
        """Close the driver if this store opened it (a driver passed in stays open)."""
        if self._owns and self._driver is not None:
            self._driver.close()
            self._driver = None

    @property
    def where(self) -> str:
        """``Neo4j at <uri> database '<name>'``, as messages name the store."""
        db = f" database {self.database!r}" if self.database else " (default database)"
        return f"Neo4j at {self.uri}{db}"

    def _error(self, exc: Exception, doing: str, query: str | None = None) -> BackendError:
        """A clear BackendError for a driver exception."""
        import neo4j.exceptions as ne  # lazy: the Bolt driver is needed only with --backend neo4j

        code = getattr(exc, "code", None) or ""
        where = self.where
        q = f" [cypher/{query}.cypher]" if query else ""
        if isinstance(exc, ne.AuthError) or code.startswith("Neo.ClientError.Security.Unauthorized") \
                or code.startswith("Neo.ClientError.Security.AuthenticationRateLimit"):
            who = f" for user {self._user!r}" if self._user else ""
            return BackendError(f"{where} refused the credentials{who} while {doing}: {_msg(exc)}. "
                                "Check NEO4J_USER and NEO4J_PASSWORD (or --user/--password).")
        if code == "Neo.ClientError.Database.DatabaseNotFound" or "DatabaseNotFound" in code:
            return BackendError(f"{where}: the database does not exist ({_msg(exc)}). Create it "
                                f"(CREATE DATABASE {self.database or 'name'} on Enterprise) or choose an existing "
                                "one with NEO4J_DATABASE / --database (Community Edition has only 'neo4j').")
        if isinstance(exc, (ne.ServiceUnavailable, ne.SessionExpired, ne.ConnectionAcquisitionTimeoutError,
                            ne.IncompleteCommit, OSError)) or code.startswith("Neo.TransientError.General"):
            return BackendError(f"cannot reach {where} while {doing}: {_msg(exc)}. Start the server "
                                "(scripts/neo4j-dev start) or point NEO4J_URI at a running one, then run the "
                                "command again.")
        if code.startswith("Neo.ClientError.Procedure.ProcedureNotFound") or "Unknown function 'gds." in str(exc):
            return BackendError(f"{where}: a procedure is missing while {doing}{q}: {_msg(exc)}. Install the "
                                "Graph Data Science plugin, or use gds=False for client-side detection.")
        if isinstance(exc, ne.Neo4jError):
            return BackendError(f"{where}: {doing} failed{q}: {code}: {_msg(exc)}")
        return BackendError(f"{where}: {doing} failed{q}: {type(exc).__name__}: {exc}")

    @contextmanager
    def _guard(self, doing: str, query: str | None = None):
        try:
            yield
        except GraphringError:
            raise
        except Exception as exc:  # driver / network errors get the URI and a next step
            raise self._error(exc, doing, query) from exc

    def _ensure(self) -> None:
        """Fail fast (no retries) when the server, the credentials or the database are wrong."""
        if self._checked:
            return
        if self._driver is None:
            raise BackendError(f"{self.where}: the store is closed")
        with self._guard("connecting"):
            self._driver.verify_connectivity()
        with self._guard("connecting", "admin/ping"):
            with self._driver.session(database=self.database) as s:
                s.run(cypher.render("admin/ping")).consume()
        self._checked = True

    def _run(self, name: str, params: dict | None = None, *, read: bool = False, transformer=_consume,
             doing: str | None = None, **subs):
        """Run one statement of ``cypher/<name>.cypher`` in a managed (retried) transaction."""
        import neo4j  # lazy: the Bolt driver is needed only with --backend neo4j

        self._ensure()
        q = cypher.render(name, **subs)
        with self._guard(doing or f"running {name}", name):
            return self._driver.execute_query(
                q, parameters_=params or {}, database_=self.database,
                routing_=neo4j.RoutingControl.READ if read else neo4j.RoutingControl.WRITE,
                result_transformer_=transformer)

    def _auto(self, name: str, params: dict | None = None, *, doing: str | None = None, **subs) -> None:
        """Run a statement in an auto-commit transaction (needed by ``CALL ... IN TRANSACTIONS``)."""
        self._ensure()
        q = cypher.render(name, **subs)
        with self._guard(doing or f"running {name}", name):
            with self._driver.session(database=self.database) as s:
                s.run(q, params or {}).consume()

    # -- public extras ------------------------------------------------------------------

    def check(self) -> None:
        """Connect now: raise :class:`~graphring.errors.BackendError` if the server, the credentials
        or the database are wrong (otherwise the first operation finds out)."""
        self._ensure()

    def create_schema(self) -> None:
        """Create the key constraints and indexes of ``cypher/schema/constraints.cypher`` (idempotent)."""
        self._ensure()
        for stmt in cypher.statements("schema/constraints"):
            with self._guard("creating constraints", "schema/constraints"):
                self._driver.execute_query(stmt, database_=self.database, result_transformer_=_consume)

    def clear(self) -> None:
        """Delete every node and relationship in the database (destructive; used by tests)."""
        self._auto("admin/clear_database", doing="clearing the database")

    def server_info(self) -> dict:
        """Server name, version, edition, and the GDS version (``None`` when GDS is absent)."""
        rows = self._run("admin/server_info", read=True, transformer=_values, doing="reading the server version")
        name, version, edition = rows[0]
        return {"name": name, "version": version, "edition": edition,
                "gds": self._gds_version() if self.gds_available() else None}

    def gds_available(self) -> bool:
        """Whether the GDS procedures graphring uses are installed (cached)."""
        if self._gds_ok is None:
            rows = self._run("gds/available", {"names": list(GDS_PROCEDURES)}, read=True, transformer=_values,
                             doing="looking for Graph Data Science")
            found = set(rows[0][0]) if rows else set()
            self._gds_ok = found >= set(GDS_PROCEDURES)
        return self._gds_ok

    def _gds_version(self) -> str | None:
        try:
            return str(self._run("gds/version", read=True, transformer=_values)[0][0])
        except BackendError:
            return None

    # -- primitives ---------------------------------------------------------------------

    def _load(self, frames: GraphFrames, progress: Callable[[int], None] | None) -> LoadResult:
        t0 = time.perf_counter()
        self.create_schema()
        total = sum(len(d) for d in frames.nodes.values()) + sum(len(d) for d in frames.edges.values())
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(n)

        try:
            for kind in sorted(frames.nodes, key=lambda k: list(ENTITY_KINDS).index(k)):
                df = frames.nodes[kind]
                if not len(df):
                    continue
                label = ENTITY_KINDS[kind]
                for batch in _batches(node_rows(df), self.batch_size):
                    self._run("load/nodes", {"rows": batch}, label=label, doing=f"loading {label} nodes")
                    step(len(batch))
            for (type_, sk, dk) in sorted(frames.edges, key=lambda k: (_REL_ORDER.get(k[0], 99), k[1], k[2])):
                df = frames.edges[(type_, sk, dk)]
                if not len(df):
                    continue
                for batch in _batches(edge_rows(df), self.batch_size):
                    self._run("load/relationships", {"rows": batch}, type=type_, src_label=ENTITY_KINDS[sk],
                              dst_label=ENTITY_KINDS[dk], doing=f"loading {type_} relationships")
                    step(len(batch))
        except BackendError as exc:
            raise BackendError(f"{exc} (load stopped after {done:,} of {total:,} rows; the rows written are "
                               "kept and loading again MERGEs on keys, so re-running the load completes it "
                               "without duplicates)") from exc.__cause__
        return LoadResult(total, time.perf_counter() - t0, self._counts())

    def _counts(self) -> dict:
        rows = self._run("schema/counts", read=True, transformer=_values, doing="counting nodes and relationships")
        nodes = {label: int(n) for what, label, n in rows if what == "node" and n}
        rels = {t: int(n) for what, t, n in rows if what == "relationship" and n}
        nodes = {ENTITY_KINDS[k]: nodes[ENTITY_KINDS[k]] for k in sorted(ENTITY_KINDS) if ENTITY_KINDS[k] in nodes}
        return {"nodes": nodes, "relationships": dict(sorted(rels.items()))}

    def _pages(self, name: str, params: dict, doing: str, **subs) -> Iterator[list]:
        """Rows of a key-paged ``fetch/*`` query, page after page."""
        after = ""
        while True:
            row = self._run(name, {**params, "after": after, "limit": self.fetch_size}, read=True,
                            transformer=_values, doing=doing, **subs)[0]
            n, last = row[0], row[1]
            yield row[2:]
            if n < self.fetch_size or last is None:
                return
            after = last

    def _fetch_frames(self) -> GraphFrames:
        g = GraphFrames()
        for kind, label in ENTITY_KINDS.items():
            props: list = []
            for (page,) in self._pages("fetch/nodes", {}, f"reading {label} nodes", label=label):
                props += page
            if props:
                g.nodes[kind] = _node_frame(kind, [(p.get("key"), p) for p in props])
        for type_ in cypher.REL_TYPES:
            groups: dict[tuple[str, str], list] = {}
            for src_kind in _SRC_KINDS[type_]:
                for src, dst_labels, dst, props in self._pages(
                        "fetch/relationships", {"labels": _LABELS}, f"reading {type_} relationships",
                        type=type_, src_label=ENTITY_KINDS[src_kind]):
                    for s_, dl, d, p in zip(src, dst_labels, dst, props):
                        if dl in _KIND_OF_LABEL:
                            groups.setdefault((src_kind, _KIND_OF_LABEL[dl]), []).append((s_, d, p))
            for (sk, dk), rows in sorted(groups.items()):
                g.edges[(type_, sk, dk)] = _edge_frame(type_, rows)
        return g

    def _subgraph(self, node_ids: list[str], hops: int) -> nx.MultiDiGraph:
        seen = set(node_ids)
        frontier = set(node_ids)
        for _ in range(hops):
            nxt: set[str] = set()
            for label, keys in _by_label(frontier).items():
                for batch in _batches(keys, self.batch_size):
                    recs = self._run("subgraph/neighbours", {"keys": batch, "labels": _LABELS}, read=True,
                                     transformer=_values, label=label, types=list(cypher.REL_TYPES),
                                     doing="reading a neighbourhood")
                    nxt.update(f"{_KIND_OF_LABEL[lab]}:{key}" for lab, key in recs if lab in _KIND_OF_LABEL)
            frontier = nxt - seen
            seen |= nxt
            if not frontier:
                break
        g = GraphFrames()
        groups: dict[tuple[str, str, str], list] = {}
        for label, keys in _by_label(seen).items():
            kind = _KIND_OF_LABEL[label]
            nrecs: list = []
            for batch in _batches(keys, self.batch_size):
                nrecs += self._run("subgraph/nodes", {"keys": batch}, read=True, transformer=_values, label=label,
                                   doing="reading a neighbourhood")
                for t, s, dl, d, props in self._run(
                        "subgraph/relationships", {"keys": batch, "labels": _LABELS}, read=True,
                        transformer=_values, label=label, types=list(cypher.REL_TYPES),
                        doing="reading a neighbourhood"):
                    if dl in _KIND_OF_LABEL and f"{_KIND_OF_LABEL[dl]}:{d}" in seen:
                        groups.setdefault((t, kind, _KIND_OF_LABEL[dl]), []).append((s, d, props))
            if nrecs:
                g.nodes[kind] = _node_frame(kind, nrecs)
        for k, rows in sorted(groups.items()):
            g.edges[k] = _edge_frame(k[0], rows)
        return frames_to_networkx(g, seen)

    def _communities(self, edges, algorithm: str, seed: int, resolution: float = 1.0, min_size: int = 3,
                     max_size: int = 400, quality: str = "modularity", **options):
        self._last_detection = {"algorithm": algorithm, "seed": seed, "resolution": resolution}
        options.pop("n_iterations", None)  # client-side Leiden passes; GDS Leiden runs its own levels
        if self._gds_mode is False or algorithm not in _ALGO_FILE or edges is None:
            return None
        if options or (algorithm == "leiden" and quality != "modularity"):
            return None  # GDS Leiden optimises modularity only (no CPM): let the client honour the setting
        if algorithm == "louvain" and float(resolution) != 1.0:
            return None  # GDS Louvain has no resolution parameter: let the client honour it
        if not self.gds_available():
            if self._gds_mode is True:
                raise BackendError(f"{self.where}: Graph Data Science is not installed (needs "
                                   f"{', '.join(GDS_PROCEDURES)}); install the GDS plugin or use gds=False")
            return None
        edges = edges() if callable(edges) else edges  # the edge table, read only now that GDS will run
        if not len(edges):
            return None
        self.write_links(edges)
        membership = self._gds_stream(algorithm, seed, resolution, None)
        if algorithm != "wcc":
            # split communities larger than any plausible ring, as the memory detection does
            keys = membership.index.to_numpy()

            def redetect(keep: np.ndarray) -> np.ndarray:
                sub = self._gds_stream(algorithm, seed, resolution * 2, sorted(keys[keep].tolist()))
                # a node without links among the others stays in a piece of its own kind
                return sub.reindex(keys[keep]).fillna(-1).astype("int64").to_numpy() + 1

            membership = pd.Series(split_oversized(membership.to_numpy(), max_size, redetect), index=membership.index)
        first = pd.DataFrame({"lab": membership.to_numpy(), "node": membership.index}).groupby("lab")["node"].min()
        order = {lab: i for i, lab in enumerate(first.sort_values().index)}
        out = membership.map(order).astype("int64").sort_index()
        params = {"resolution": resolution, "min_size": min_size, "max_size": max_size,
                  "backend": "neo4j-gds", "gds_version": self._gds_version(),
                  "procedure": f"gds.{algorithm}.stream"}
        if algorithm == "louvain":
            params["note"] = "GDS Louvain takes no random seed; run with concurrency 1 (deterministic)"
        return Partition(out, algorithm, params, seed)

    def write_links(self, edges: pd.DataFrame) -> int:
        """Replace the ``(:Borrower)-[:LINKED {weight, links}]->(:Borrower)`` projection links.

        Parameters
        ----------
        edges : DataFrame
            ``u``, ``v``, ``weight`` and optionally ``links`` (the projection's edges).

        Returns
        -------
        int
            Links written.
        """
        self._auto("projection/clear_links", doing="clearing old projection links")
        cols = {"u": edges["u"].astype(str).tolist(), "v": edges["v"].astype(str).tolist(),
                "weight": edges["weight"].astype(float).tolist(),
                "links": (edges["links"].astype(str).tolist() if "links" in edges.columns else [""] * len(edges))}
        rows = [{"u": u, "v": v, "weight": w, "links": lk}
                for u, v, w, lk in zip(cols["u"], cols["v"], cols["weight"], cols["links"])]
        for batch in _batches(rows, self.batch_size):
            self._run("projection/write_links", {"rows": batch}, doing="writing projection links")
        return len(rows)

    def _gds_stream(self, algorithm: str, seed: int, resolution: float, keys: list[str] | None) -> pd.Series:
        """Project (all links, or those among ``keys``), run one GDS algorithm, drop the graph."""
        graph = f"graphring_{uuid.uuid4().hex[:12]}"
        try:
            if keys is None:
                self._run("projection/project", {"graph": graph}, doing="projecting the borrower links into GDS")
            else:
                self._run("projection/project_subset", {"graph": graph, "keys": keys},
                          doing="projecting the borrower links into GDS")
            params = {"graph": graph}
            if algorithm == "leiden":
                params.update(seed=int(seed), resolution=float(resolution))
            recs = self._run(_ALGO_FILE[algorithm], params, read=False, transformer=_values,
                             doing=f"running gds.{algorithm}")
        finally:
            try:
                self._run("gds/drop_graph", {"graph": graph}, doing="dropping the GDS graph")
            except BackendError:
                pass
        return pd.Series({k: int(c) for k, c in recs}, dtype="int64").sort_index()

    def _write_rings(self, rings, run_id: str) -> None:
        det = self._last_detection
        ring_rows, members = [], {}
        for r in rings:
            key = f"{run_id}/{r.ring_id}"
            m = r.members
            props = {"id": r.ring_id, "score": float(r.score), "typology": str(r.typology),
                     "algorithm": getattr(r, "algorithm", None) or det.get("algorithm"),
                     "seed": getattr(r, "seed", None) if getattr(r, "seed", None) is not None else det.get("seed"),
                     "borrowers": int((m["kind"] == "borrower").sum()), "members": int(len(m)),
                     "signals": [s["name"] for s in r.signals], "community": int(r.community)}
            ring_rows.append({"key": key, "props": {k: _native(v) for k, v in props.items() if v is not None}})
            for kind, mid, role in m[["kind", "id", "role"]].itertuples(index=False, name=None):
                if kind in ENTITY_KINDS:
                    members.setdefault(ENTITY_KINDS[kind], []).append(
                        {"ring": key, "key": str(mid), "role": None if role is None else str(role)})
        self._ensure()
        clear_q = cypher.render("rings/clear_run")
        rings_q = cypher.render("rings/write_rings")
        member_q = {label: cypher.render("rings/write_members", label=label) for label in members}

        def work(tx):
            tx.run(clear_q, {"run_id": run_id}).consume()
            for batch in _batches(ring_rows, self.batch_size):
                tx.run(rings_q, {"run_id": run_id, "rings": batch}).consume()
            for label, rows in members.items():
                for batch in _batches(rows, self.batch_size):
                    tx.run(member_q[label], {"rows": batch}).consume()

        with self._guard(f"writing the rings of run {run_id!r}", "rings/write_rings"):
            with self._driver.session(database=self.database) as s:
                s.execute_write(work)


def _by_label(ids) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for nid in sorted(ids):
        kind, key = split_node_id(nid)
        if kind in ENTITY_KINDS:
            out.setdefault(ENTITY_KINDS[kind], []).append(key)
    return out


def _msg(exc: Exception) -> str:
    m = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(m).split())


def _driver_address(driver) -> str:
    """Best-effort address of a driver for messages (drivers do not expose their URI)."""
    pool = getattr(driver, "_pool", None)
    addr = getattr(pool, "address", None)
    if addr is not None:
        return f"bolt://{addr}"
    return "the server of the given driver"


# ---------------------------------------------------------------------------------------
# from CLI options: open a store, load a folder (graphring load, rings --backend neo4j)
# ---------------------------------------------------------------------------------------

def auth_from(user: str | None, password: str | None) -> tuple[str, str] | None:
    """Driver auth from CLI options: ``(user, password)``, or ``None`` (no auth) when neither is set.

    A password without a user means the default user ``neo4j``.

    Examples
    --------
    >>> auth_from(None, "pw")
    ('neo4j', 'pw')
    """
    if not user and not password:
        return None
    return (user or "neo4j", password or "")


def open_neo4j_store(neo4j_uri: str | None, database: str | None = None, user: str | None = None,
                     password: str | None = None, **kwargs):
    """A :class:`Neo4jStore` from CLI options (what ``rings --backend neo4j`` needs).

    Parameters
    ----------
    neo4j_uri : str
        Bolt URI (``NEO4J_URI``), e.g. ``bolt://127.0.0.1:7687``.
    database, user, password : str, optional
        ``NEO4J_DATABASE``, ``NEO4J_USER``, ``NEO4J_PASSWORD``.
    **kwargs
        Passed to :class:`Neo4jStore` (``batch_size``, ``gds``).

    Examples
    --------
    >>> open_neo4j_store(None)
    Traceback (most recent call last):
    ...
    graphring.errors.InputError: no Neo4j URI: pass --neo4j-uri or set NEO4J_URI (e.g. bolt://127.0.0.1:7687; scripts/neo4j-dev start prints one)
    """
    if not neo4j_uri:
        raise InputError("no Neo4j URI: pass --neo4j-uri or set NEO4J_URI (e.g. bolt://127.0.0.1:7687; "
                         "scripts/neo4j-dev start prints one)")
    return Neo4jStore(neo4j_uri, auth=auth_from(user, password), database=database or None, **kwargs)


def format_counts(counts: dict) -> list[str]:
    """Lines listing node counts per label and relationship counts per type.

    Examples
    --------
    >>> format_counts({"nodes": {"Borrower": 2000}, "relationships": {"HAS_PHONE": 1990}})
    ['Nodes:', '  Borrower              2,000', 'Relationships:', '  HAS_PHONE             1,990']
    """
    out = ["Nodes:"]
    out += [f"  {k:<18}{v:>9,}" for k, v in counts.get("nodes", {}).items()]
    out.append("Relationships:")
    out += [f"  {k:<18}{v:>9,}" for k, v in counts.get("relationships", {}).items()]
    return out


def load_folder(data_dir: str | Path, neo4j_uri: str | None, database: str | None = None,
                 user: str | None = None, password: str | None = None, mapping=None, *,
                 echo: Callable[[str], None] = print, progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None, batch_size: int = 10_000) -> LoadResult:
    """Validate a data folder and load (merge) its graph into Neo4j; print what is there after.

    Validation is the same as ``graphring validate`` (every problem reported;
    rejected rows are not loaded). Loading is idempotent: the same folder twice
    leaves the same node and relationship counts; a second folder adds to them.

    Parameters
    ----------
    data_dir : path
        Input folder (see DATA_CONTRACT.md).
    neo4j_uri : str
        Bolt URI (the CLI reads ``NEO4J_URI``).
    database : str, optional
        Database name (``NEO4J_DATABASE``); default: the server's default database.
    user, password : str, optional
        Credentials (``NEO4J_USER``, ``NEO4J_PASSWORD``); none for a server without auth.
    mapping : path or dict, optional
        Header mapping (``--mapping``).
    echo : callable
        Where the summary lines go (default ``print``).
    progress : callable, optional
        Called with the number of rows written by each batch.
    on_total : callable, optional
        Called once, before writing, with the number of rows to write (a progress bar's length).
    batch_size : int
        Rows per transaction.

    Returns
    -------
    LoadResult
        Rows sent, seconds, and node/relationship counts after the load.

    Raises
    ------
    GraphringError
        Unusable input (no borrower row could be loaded).
    BackendError
        Unreachable server, refused credentials, missing database, lost connection.
    """
    store = open_neo4j_store(neo4j_uri, database, user, password, batch_size=batch_size)
    try:
        store.check()  # before validating a large folder: an unreachable server fails at once
        v = validate_folder(data_dir, mapping)
        rows = v.summary_rows()
        read = sum(int(r["read"]) for r in rows)
        loaded = sum(int(r["loaded"]) for r in rows)
        echo(f"Validation of {data_dir}: {len(rows)} tables, {loaded:,} of {read:,} rows kept, "
             f"{read - loaded:,} rejected, {len(v.problems):,} problems (see `graphring validate` for each)")
        if not v.usable:
            raise GraphringError(f"{data_dir}: no borrower row could be loaded; nothing to load")
        g = build_frames(v.tables)
        if on_total:
            on_total(sum(len(d) for d in g.nodes.values()) + sum(len(d) for d in g.edges.values()))
        res = store.load(g, progress=progress)
        rate = res.rows / res.seconds if res.seconds > 0 else float("nan")
        echo(f"Loaded {res.rows:,} rows into {store.where} in {res.seconds:.1f} s ({rate:,.0f} rows/s)")
        for line in format_counts(res.counts):
            echo(line)
        return res
    finally:
        store.close()
