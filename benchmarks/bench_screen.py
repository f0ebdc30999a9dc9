"""Benchmark early-warning screening: new records against a big run, and alert quality.

For each size N (borrowers), generates a data folder once (cached under
``--cache``), holds out the records of some borrowers as "new data" (a share of
planted ring members and honest borrowers, about ``--new-records`` rows in all),
runs ``graphring rings`` on the rest (cached), then measures:

- ``index_s``: building the screening index from the run directory (once per run);
- ``screen_s``: screening the new records with the index loaded (median of
  ``--repeat``), with and without the new-cluster search;
- alert quality against the planted truth, by borrower: of the held-out borrowers
  alerted at or above a score, how many are planted ring members (precision),
  and how many held-out ring members are alerted (recall); honest newcomers alerted.

With ``--tile K`` the run is also tiled K times (borrower and identifier keys of
copies 2..K suffixed, ring ids prefixed) into a run directory with the state of a
K-times larger book, to measure index build and screening against a run of
K x N borrowers when producing that run itself is too slow (``graphring rings`` on
1,000,000 borrowers takes hours on a 2-vCPU machine): screening cost depends on
the index (ring identifiers, letters) and the new records, not on how the rings
were found.

Usage::

    python benchmarks/bench_screen.py --sizes 20000 100000 --new-records 10000
    python benchmarks/bench_screen.py --sizes 100000 --tile 10 --new-records 10000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from graphring.watch.screen import build_screen_index, load_screen_index, screen, split_folder  # noqa: E402

THRESHOLDS = (0.05, 0.2, 0.3, 0.5, 0.7)


def tile_run(run: Path, out: Path, k: int) -> Path:
    """A run directory holding ``k`` copies of ``run``'s rings (copy 0 unchanged)."""
    import shutil

    if (out / "manifest.json").exists():
        return out
    (out / "state").mkdir(parents=True, exist_ok=True)
    mem = pd.read_csv(run / "ring_members.csv", dtype=str, keep_default_na=False)
    inc = pd.read_parquet(run / "state" / "incidence.parquet")
    nodes = pd.read_parquet(run / "state" / "subgraph_nodes.parquet",
                            columns=["node", "kind", "key", "borrower_id", "text", "_row"],
                            filters=[("kind", "==", "complaint")])
    ms, incs, ns = [], [], []
    for i in range(k):
        sfx = "" if i == 0 else f"~{i}"
        m = mem.copy()
        if i:
            m["ring_id"] = f"T{i}" + m["ring_id"]
            m["id"] = m["id"] + sfx
        ms.append(m)
        c = inc.copy()
        c["borrower"] = c["borrower"] + sfx
        c["ident"] = c["ident"] + sfx
        incs.append(c)
        n = nodes.copy()
        n["key"] = n["key"] + sfx
        n["node"] = n["node"] + sfx
        n["borrower_id"] = n["borrower_id"] + sfx
        ns.append(n)
    pd.concat(ms).to_csv(out / "ring_members.csv", index=False, lineterminator="\n")
    pd.concat(incs, ignore_index=True).to_parquet(out / "state" / "incidence.parquet", index=False)
    pd.concat(ns, ignore_index=True).to_parquet(out / "state" / "subgraph_nodes.parquet", index=False)
    rj = json.loads((run / "rings.json").read_text(encoding="utf-8"))
    (out / "rings.json").write_text(json.dumps({"run": rj.get("run", {}), "rings": []}), encoding="utf-8")
    shutil.copy(run / "manifest.json", out / "manifest.json")
    return out


def hold_out(data: Path, truth: Path, new_records: int, ring_share: float, seed: int) -> tuple[set, set]:
    """Pick borrowers to hold out: ``ring_share`` of them planted ring members, the rest honest."""
    t = pd.read_csv(truth, dtype=str)
    tb = t[t["kind"] == "borrower"]
    ring = sorted(set(tb.loc[~tb["ring_id"].str.startswith("BENIGN"), "id"]))
    everyone = pd.read_csv(data / "borrowers.csv", dtype=str, usecols=["borrower_id"])["borrower_id"]
    honest = sorted(set(everyone) - set(tb["id"]))
    rows = sum(max(0, sum(1 for _ in open(p, encoding="utf-8")) - 1) for p in data.glob("*.csv"))
    per_borrower = rows / max(1, len(everyone))
    n_new = max(10, int(round(new_records / per_borrower)))
    rng = np.random.default_rng(seed)
    n_ring = min(len(ring) // 5, int(n_new * ring_share))
    new_ring = set(rng.choice(ring, size=n_ring, replace=False).tolist()) if n_ring else set()
    new_honest = set(rng.choice(honest, size=min(len(honest), n_new - n_ring), replace=False).tolist())
    return new_ring, new_honest


def quality(alerts: pd.DataFrame, new_ring: set, new_honest: set, thresholds=THRESHOLDS) -> list[dict]:
    """Borrower-level precision and recall of alerts on held-out borrowers.

    Examples
    --------
    >>> a = pd.DataFrame({"borrower": ["r1", "h1", "r2"], "score": [0.9, 0.1, 0.6], "known_member": False})
    >>> quality(a, {"r1", "r2", "r3"}, {"h1", "h2"}, thresholds=(0.5,))
    [{'min_score': 0.5, 'alerted': 2, 'true': 2, 'precision': 1.0, 'recall': 0.667, 'honest_alerted': 0, 'honest_alert_rate': 0.0}]
    """
    out = []
    for th in thresholds:
        a = alerts[(alerts["score"] >= th) & alerts["borrower"].isin(new_ring | new_honest)]
        b = set(a["borrower"])
        tp = len(b & new_ring)
        out.append({"min_score": th, "alerted": len(b), "true": tp,
                    "precision": round(tp / len(b), 3) if b else None,
                    "recall": round(tp / len(new_ring), 3) if new_ring else None,
                    "honest_alerted": len(b & new_honest),
                    "honest_alert_rate": round(len(b & new_honest) / max(1, len(new_honest)), 4)})
    return out


def scenario(cache: Path, n: int, new_records: int, seed: int, ring_share: float) -> dict:
    from graphring.sample import generate

    d = cache / f"screen_n{n}_s{seed}_r{new_records}"
    data = d / "data"
    info: dict = {"n": n, "seed": seed}
    if not (data / "borrowers.csv").exists():
        t0 = time.perf_counter()
        generate(data, n, seed=seed)
        info["generate_s"] = round(time.perf_counter() - t0, 1)
        print(f"  generated N={n} in {info['generate_s']}s", flush=True)
    old, new = d / "old", d / "new"
    sel = d / "held_out.json"
    if not sel.exists():
        new_ring, new_honest = hold_out(data, d / "truth.csv", new_records, ring_share, seed)
        counts = split_folder(data, new_ring | new_honest, old, new)
        sel.write_text(json.dumps({"ring": sorted(new_ring), "honest": sorted(new_honest), "counts": counts}))
    s = json.loads(sel.read_text())
    info["new_records"] = int(sum(v[1] for v in s["counts"].values()))
    info["held_out"] = {"ring_members": len(s["ring"]), "honest": len(s["honest"])}
    run = d / "run"
    if not (run / "manifest.json").exists():
        from graphring.pipeline import find_rings, write_run

        t0 = time.perf_counter()
        res = find_rings(old, seed=0)
        write_run(res, run, data_dir=old)
        info["rings_s"] = round(time.perf_counter() - t0, 1)
        print(f"  rings on {n - len(s['ring']) - len(s['honest'])} borrowers in {info['rings_s']}s", flush=True)
    info["paths"] = {"new": str(new), "run": str(run)}
    return {**info, "_ring": set(s["ring"]), "_honest": set(s["honest"])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000])
    ap.add_argument("--new-records", type=int, default=10000)
    ap.add_argument("--ring-share", type=float, default=0.2, help="share of held-out borrowers that are ring members")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/graphring-bench"))
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--tile", type=int, default=1, help="screen against the run tiled this many times")
    args = ap.parse_args(argv)
    results = []
    for n in args.sizes:
        print(f"N={n}" + (f" tiled x{args.tile}" if args.tile > 1 else ""), flush=True)
        sc = scenario(args.cache, n, args.new_records, args.seed, args.ring_share)
        run, new = Path(sc["paths"]["run"]), Path(sc["paths"]["new"])
        if args.tile > 1:
            t0 = time.perf_counter()
            run = tile_run(run, run.parent / f"run_x{args.tile}", args.tile)
            sc["tile"] = args.tile
            sc["tile_s"] = round(time.perf_counter() - t0, 1)
            sc["paths"]["run"] = str(run)
        for f in run.glob("state/screen_index*"):
            f.unlink()
        t0, c0 = time.perf_counter(), time.process_time()
        idx = build_screen_index(run)
        sc["index_s"] = round(time.perf_counter() - t0, 2)
        sc["index_cpu_s"] = round(time.process_time() - c0, 2)
        sc["index"] = idx.meta["counts"]
        t0 = time.perf_counter()
        idx = load_screen_index(run)
        sc["index_load_s"] = round(time.perf_counter() - t0, 3)
        times, times_nc, cpu = [], [], []
        res = None
        screen(new, run, index=load_screen_index(run), min_score=0.05)  # warm imports
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            res = screen(new, run, index=load_screen_index(run), min_score=0.05)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            t0 = time.perf_counter()
            screen(new, run, index=load_screen_index(run), min_score=0.05, clusters=False)
            times_nc.append(time.perf_counter() - t0)
        sc["screen_s"] = round(statistics.median(times), 2)
        sc["screen_cpu_s"] = round(statistics.median(cpu), 2)
        sc["screen_no_clusters_s"] = round(statistics.median(times_nc), 2)
        sc["stage_s"] = res.timings
        sc["summary"] = {k: res.summary[k] for k in ("records", "alerts", "rings_hit", "new_borrowers_alerted",
                                                     "new_clusters")}
        sc["quality"] = quality(res.alerts, sc.pop("_ring"), sc.pop("_honest"))
        results.append(sc)
        print(json.dumps(sc, ensure_ascii=False, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
