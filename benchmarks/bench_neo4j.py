"""Benchmark the Neo4j backend: server start, batched load vs one statement per row, rings end to end.

Measures, at N borrowers (default 200,000):

- ``server_start_s``: ``scripts/neo4j-dev start`` of a fresh, throw-away server
  (skipped when ``--uri``/``NEO4J_URI`` names a running one);
- ``load``: :meth:`Neo4jStore.load` of the generated folder into an empty
  database: ``UNWIND $rows`` batches with ``MERGE`` on constrained keys. Reported
  as input rows/s (rows of the validated input tables) and graph rows/s (nodes +
  relationships written);
- ``naive``: the same kind of statements sent one row per statement
  (``MERGE (n:Label {key: $key}) SET n += $props``, and the relationship MERGE
  with ``$src``, ``$dst``), each its own auto-commit transaction — the way a
  first script usually does it. It is **measured on a sample** (the first
  ``--naive-rows`` graph rows, default 20,000, taken from every node and
  relationship table in proportion) **and extrapolated** to the whole load;
- ``ratio``: batched graph rows/s divided by naive graph rows/s;
- ``rings``: :func:`graphring.pipeline.rings_from_store` on the loaded database
  (fetch the graph, projection, GDS Leiden, signals, scoring) and the ring
  write-back, with the number of rings found.

Usage::

    python benchmarks/bench_neo4j.py --borrowers 200000
    python benchmarks/bench_neo4j.py --borrowers 20000 --uri bolt://127.0.0.1:7687 --json out.json

The database at ``--uri`` is **emptied**. Run on a quiet machine: every figure is
wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def start_server(state: Path) -> tuple[str, float]:
    """Start a throw-away server with its own state dir; return (uri, seconds)."""
    env = {**os.environ, "NEO4J_DEV_STATE": str(state)}
    t0 = time.perf_counter()
    p = subprocess.run(["bash", str(ROOT / "scripts" / "neo4j-dev"), "start", "--port", "0", "--temp"], env=env,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=1800)
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"scripts/neo4j-dev start failed:\n{p.stderr[-3000:]}")
    return p.stdout.strip().splitlines()[-1], secs


def stop_server(state: Path) -> None:
    env = {**os.environ, "NEO4J_DEV_STATE": str(state)}
    subprocess.run(["bash", str(ROOT / "scripts" / "neo4j-dev"), "stop"], env=env, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=300)


NAIVE_NODE = "MERGE (n:`{label}` {{key: $key}}) SET n += $props"
NAIVE_REL = ("MATCH (a:`{src}` {{key: $src}}) MATCH (b:`{dst}` {{key: $dst}}) "
             "MERGE (a)-[r:`{type}` {{_table: $table, _row: $row}}]->(b) SET r += $props")


def naive_sample(g, n_rows: int) -> list[tuple[str, dict]]:
    """The first rows of every node and relationship table, in proportion, as one statement each."""
    from graphring.graph.model import label_of
    from graphring.store.neo4j import edge_rows, node_rows

    total = sum(len(d) for d in g.nodes.values()) + sum(len(d) for d in g.edges.values())
    share = min(1.0, n_rows / total)
    out = []
    for kind, df in g.nodes.items():
        k = max(1, round(len(df) * share)) if len(df) else 0
        q = NAIVE_NODE.format(label=label_of(kind))
        out += [(q, r) for r in node_rows(df.head(k))]
    for (t, sk, dk), df in g.edges.items():
        k = max(1, round(len(df) * share)) if len(df) else 0
        q = NAIVE_REL.format(src=label_of(sk), dst=label_of(dk), type=t)
        out += [(q, r) for r in edge_rows(df.head(k))]
    return out


def run_naive(driver, database, stmts) -> float:
    t0 = time.perf_counter()
    for q, r in stmts:
        params = {"key": r["key"], "props": r["props"]} if "key" in r else \
            {"src": r["src"], "dst": r["dst"], "table": r["table"], "row": r["row"], "props": r["props"]}
        driver.execute_query(q, params, database_=database)
    return time.perf_counter() - t0


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--borrowers", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--naive-rows", type=int, default=20_000)
    ap.add_argument("--batch-size", type=int, default=10_000)
    ap.add_argument("--uri", default=os.environ.get("NEO4J_URI"))
    ap.add_argument("--database", default=os.environ.get("NEO4J_DATABASE"))
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "graphring-bench")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--skip-rings", action="store_true")
    ap.add_argument("--gds", action="store_true",
                    help="also time rings with quality=modularity, where community detection runs in GDS")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-reload", action="store_true")
    args = ap.parse_args(argv)

    import neo4j

    from graphring.graph.model import build_frames
    from graphring.pipeline import rings_from_store
    from graphring.sample import generate
    from graphring.store.neo4j import Neo4jStore
    from graphring.ingest.validate import validate_folder

    out: dict = {"borrowers": args.borrowers, "batch_size": args.batch_size, "python_driver": neo4j.__version__}
    state = None
    uri = args.uri
    if not uri:
        state = Path(tempfile.mkdtemp(prefix="graphring-bench-neo4j-"))
        uri, out["server_start_s"] = start_server(state)
        print(f"server started in {out['server_start_s']:.1f}s at {uri}", flush=True)
    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"]) \
        if os.environ.get("NEO4J_PASSWORD") else None
    try:
        data = args.cache / f"n{args.borrowers}_s{args.seed}" / "data"
        if not (data / "borrowers.csv").exists():
            t0 = time.perf_counter()
            generate(data, args.borrowers, seed=args.seed)
            print(f"generated {args.borrowers:,} borrowers in {time.perf_counter() - t0:.0f}s", flush=True)
        t0 = time.perf_counter()
        v = validate_folder(data)
        g = build_frames(v.tables)
        out["validate_and_graph_s"] = round(time.perf_counter() - t0, 2)
        input_rows = int(sum(int(r["loaded"]) for r in v.summary_rows()))
        graph_rows = sum(len(d) for d in g.nodes.values()) + sum(len(d) for d in g.edges.values())
        out.update(input_rows=input_rows, graph_rows=graph_rows)
        print(f"{input_rows:,} input rows -> {graph_rows:,} graph rows (nodes + relationships)", flush=True)

        store = Neo4jStore(uri, auth=auth, database=args.database, batch_size=args.batch_size)
        out["server"] = store.server_info()
        store.clear()
        store.create_schema()

        # naive: one statement per row on a sample, on an empty database
        stmts = naive_sample(g, args.naive_rows if not args.skip_naive else 200)
        secs = run_naive(store.driver, store.database, stmts)
        naive_rate = len(stmts) / secs
        out["naive"] = {"sample_rows": len(stmts), "sample_s": round(secs, 2),
                        "graph_rows_per_s": round(naive_rate, 1),
                        "extrapolated_full_load_s": round(graph_rows / naive_rate, 1),
                        "note": "measured on the first rows of every table (in proportion) and extrapolated"}
        print(f"naive: {len(stmts):,} rows in {secs:.1f}s = {naive_rate:,.0f} rows/s "
              f"(extrapolated full load {graph_rows / naive_rate / 60:.1f} min)", flush=True)
        store.clear()

        # batched load into an empty database
        res = store.load(g)
        out["load"] = {"seconds": round(res.seconds, 2),
                       "input_rows_per_s": round(input_rows / res.seconds, 1),
                       "graph_rows_per_s": round(graph_rows / res.seconds, 1),
                       "counts": res.counts}
        out["ratio_batched_over_naive"] = round((graph_rows / res.seconds) / naive_rate, 1)
        print(f"batched load: {res.seconds:.1f}s = {input_rows / res.seconds:,.0f} input rows/s, "
              f"{graph_rows / res.seconds:,.0f} graph rows/s; {out['ratio_batched_over_naive']}x naive", flush=True)
        if not args.skip_reload:
            t0 = time.perf_counter()
            again = store.load(g)
            out["reload_s"] = round(time.perf_counter() - t0, 2)
            out["reload_same_counts"] = again.counts == res.counts
            print(f"reload (idempotent MERGE): {out['reload_s']:.1f}s, same counts: {out['reload_same_counts']}",
                  flush=True)

        if not args.skip_rings:
            t0 = time.perf_counter()
            rr = rings_from_store(store, seed=0)
            t1 = time.perf_counter()
            store.write_rings(rr.rings, "bench")
            t2 = time.perf_counter()
            out["rings"] = {"seconds": round(t1 - t0, 2), "write_back_s": round(t2 - t1, 2),
                            "n_rings": len(rr.rings), "timings": {k: round(v, 2) for k, v in rr.timings.items()},
                            "partition": rr.partition.params}
            print(f"rings through Neo4j: {t1 - t0:.1f}s, {len(rr.rings)} rings; write-back {t2 - t1:.1f}s",
                  flush=True)
        if args.gds:
            t0 = time.perf_counter()
            rg = rings_from_store(store, seed=0, quality="modularity")
            out["rings_gds"] = {"seconds": round(time.perf_counter() - t0, 2), "n_rings": len(rg.rings),
                                "timings": {k: round(v, 2) for k, v in rg.timings.items()},
                                "partition": rg.partition.params}
            print(f"rings through Neo4j with GDS Leiden (modularity): {out['rings_gds']['seconds']:.1f}s, "
                  f"{len(rg.rings)} rings", flush=True)
        store.close()
    finally:
        if state is not None:
            stop_server(state)
    print(json.dumps(out, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
