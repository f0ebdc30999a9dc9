"""Benchmark `graphring rings` end to end against pandas reading, and a naive baseline.

For each size N (borrowers), generates a data folder once (cached under
``--cache``), then measures, each stage in a fresh subprocess so peak memory is
clean:

- ``pandas_read``: ``pd.read_csv(dtype=str)`` of every input file (the floor);
- ``rings``: ``graphring rings`` end to end (read, validate, graph, projection,
  communities, signals, write), its peak RSS, and the quality figures;
- ``baseline`` (N <= --baseline-max): Louvain (python-louvain) over the raw
  borrower-identifier bipartite graph, communities ranked by size — the naive way.

Prints medians over ``--repeat`` runs and the ratio rings / pandas_read.

Usage::

    python benchmarks/bench_rings.py --sizes 20000 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _child(code: str) -> dict:
    """Run python code in a subprocess; it prints one JSON line; add its peak RSS (MB)."""
    wrapped = code + "\nimport resource, json as _j\nprint('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    p = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-3000:])
    out = {}
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            out.update(json.loads(line[7:]))
        elif line.startswith("PEAK "):
            out["peak_mb"] = int(line.split()[1]) / 1024
    return out


def ensure_data(cache: Path, n: int, seed: int, messy: bool = False) -> Path:
    d = cache / f"n{n}_s{seed}{'_messy' if messy else ''}"
    data = d / "data"
    if not (data / ("borrowers.csv")).exists():
        d.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        _child(f"from graphring.sample import generate; generate({str(data)!r}, {n}, seed={seed}, messy={messy})")
        print(f"  generated N={n} in {time.perf_counter() - t0:.1f}s", flush=True)
    return d


PANDAS = """
import time, json, pandas as pd, pathlib
t0 = time.perf_counter(); rows = 0
for p in sorted(pathlib.Path({data!r}).iterdir()):
    if p.suffix == '.csv':
        try:
            rows += len(pd.read_csv(p, dtype=str, keep_default_na=False, encoding='utf-8', on_bad_lines='skip'))
        except UnicodeDecodeError:
            rows += len(pd.read_csv(p, dtype=str, keep_default_na=False, encoding='gb18030', on_bad_lines='skip'))
print('RESULT ' + json.dumps({{'seconds': time.perf_counter() - t0, 'rows': rows}}))
"""

RINGS = """
import time, json
t0 = time.perf_counter()
from graphring.pipeline import find_rings, write_run
from graphring.analyse.evaluate import evaluate, load_truth
res = find_rings({data!r}, algorithm={algo!r}, seed=0)
man = write_run(res, {out!r}, data_dir={data!r})
sec = time.perf_counter() - t0
ev = evaluate(res.members_table(), load_truth({truth!r}))
print('RESULT ' + json.dumps({{'seconds': sec, 'stages': man['timings_s'], 'eval': ev}}))
"""

BASELINE = """
import time, json
import networkx as nx, pandas as pd, community as community_louvain
from graphring.ingest.validate import validate_folder
from graphring.graph.model import build_frames
from graphring.detect.projection import incidence
from graphring.analyse.evaluate import evaluate, load_truth
t0 = time.perf_counter()
g = build_frames(validate_folder({data!r}).tables)
inc = incidence(g).drop_duplicates(['borrower', 'ident'])
G = nx.Graph()
G.add_edges_from(zip('b:' + inc['borrower'], inc['ident']))
part = community_louvain.best_partition(G, random_state=0)
s = pd.Series(part)
b = s[s.index.str.startswith('b:')]
sizes = b.value_counts()
b = b[b.map(sizes) >= 3]
found = pd.DataFrame({{'ring_id': b.to_numpy(), 'kind': 'borrower', 'id': b.index.str.slice(2)}})
found['score'] = found['ring_id'].map(sizes) / sizes.max()
sec = time.perf_counter() - t0
ev = evaluate(found, load_truth({truth!r}))
print('RESULT ' + json.dumps({{'seconds': sec, 'eval': ev}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--messy", action="store_true")
    ap.add_argument("--algorithm", default="leiden")
    ap.add_argument("--baseline-max", type=int, default=100000,
                    help="run the naive baseline up to this size (python-louvain on the raw graph is slow)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "graphring-bench")
    a = ap.parse_args()
    rows = []
    for n in a.sizes:
        print(f"N={n}", flush=True)
        d = ensure_data(a.cache, n, a.seed, a.messy)
        data, truth = d / "data", d / "truth.csv"
        pr = [_child(PANDAS.format(data=str(data))) for _ in range(a.repeat)]
        rr = [_child(RINGS.format(data=str(data), algo=a.algorithm, out=str(d / "run"), truth=str(truth)))
              for _ in range(a.repeat)]
        pandas_s = statistics.median(x["seconds"] for x in pr)
        rings_s = statistics.median(x["seconds"] for x in rr)
        row = {"N": n, "input_rows": pr[0]["rows"], "pandas_read_s": round(pandas_s, 2),
               "rings_s": round(rings_s, 2), "ratio": round(rings_s / pandas_s, 1),
               "rings_peak_mb": round(max(x["peak_mb"] for x in rr)), "stages": rr[0]["stages"],
               "eval": {k: rr[0]["eval"][k] for k in ("ring_recall", "precision_at_k", "benign_in_top_k",
                                                      "member_precision", "member_recall")}}
        if n <= a.baseline_max:
            br = _child(BASELINE.format(data=str(data), truth=str(truth)))
            row["baseline_s"] = round(br["seconds"], 2)
            row["baseline_peak_mb"] = round(br["peak_mb"])
            row["baseline_eval"] = {k: br["eval"][k] for k in ("ring_recall", "precision_at_k", "benign_in_top_k",
                                                               "member_precision", "member_recall")}
        rows.append(row)
        print(json.dumps(row, indent=1), flush=True)
    print("\nsummary (medians):")
    print(f"{'N':>9} {'rows':>10} {'pandas s':>9} {'rings s':>8} {'ratio':>6} {'peak MB':>8} {'recall':>7} "
          f"{'P@K':>5} {'benign':>6} {'mP':>5} {'mR':>5} {'base s':>7} {'base R':>6} {'base P@K':>8}")
    for r in rows:
        e = r["eval"]
        be = r.get("baseline_eval", {})
        print(f"{r['N']:>9} {r['input_rows']:>10} {r['pandas_read_s']:>9} {r['rings_s']:>8} {r['ratio']:>6} "
              f"{r['rings_peak_mb']:>8} {e['ring_recall']:>7.3f} {e['precision_at_k']:>5.2f} {e['benign_in_top_k']:>6} "
              f"{e['member_precision']:>5.2f} {e['member_recall']:>5.2f} {r.get('baseline_s', '-'):>7} "
              f"{be.get('ring_recall', '-'):>6} {be.get('precision_at_k', '-'):>8}")
    if len(rows) > 1:
        r0 = rows[0]
        print("\ngrowth against N={:,} (x borrowers -> x time, x peak memory):".format(r0["N"]))
        for r in rows[1:]:
            print(f"  N={r['N']:>9,}: x{r['N'] / r0['N']:.0f} borrowers -> x{r['rings_s'] / r0['rings_s']:.1f} time, "
                  f"x{r['rings_peak_mb'] / r0['rings_peak_mb']:.1f} peak memory "
                  f"({1000 * r['rings_s'] / r['N']:.2f} s per 1,000 borrowers)")
    for r in rows:
        print(f"stages at N={r['N']:,}: " + ", ".join(f"{k} {v:.1f}s" for k, v in r["stages"].items()))


if __name__ == "__main__":
    main()
