"""Benchmark ingestion: read, validate and build the graph, against pandas merely reading.

Generates a synthetic data folder once with :func:`graphring.sample.generate`
(cached under ``--cache``, shared with ``bench_rings.py``), then measures each
stage in a fresh subprocess, ``--repeat`` times, and prints the medians:

``pandas_read``
    ``pd.read_csv(dtype=str)`` of every CSV in the folder: the floor any reader pays.
``read``
    :func:`graphring.ingest.readers.read_folder` (encoding and delimiter detection, header
    matching, ragged-row checks).
``validate``
    :func:`graphring.ingest.validate.validate_raw` on the tables read (typing, normalisation,
    keys, references, the problem report).
``build``
    :func:`graphring.graph.model.build_frames` on the validated tables (node and edge tables).
``ingest``
    the three together, as ``graphring validate`` runs them.

Throughput is input rows per second (rows read for ``pandas_read``/``read``/
``validate``/``ingest``; rows loaded for ``build``). Memory: ``peak MB`` is the
subprocess's peak RSS (it includes what the stage needs in memory as input);
``stage MB`` is the rise of the peak during the stage alone (the peak is reset with
``/proc/self/clear_refs`` just before it, where Linux allows; otherwise blank).

Usage::

    python benchmarks/bench_ingest.py --borrowers 100000
    python benchmarks/bench_ingest.py --borrowers 100000 --messy --repeat 3 --json out.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # this checkout, not whatever an editable install points at
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}

# Code run in a child process: it prints "RESULT {json}". STAGE_START marks the
# beginning of the measured part (peak memory reset, clock started).
PRELUDE = r"""
import json, os, resource, time
def _status(key):
    try:
        for line in open('/proc/self/status'):
            if line.startswith(key + ':'):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
def stage_start():
    global _T0, _RSS0, _RESET
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        _RESET = True
    except OSError:
        _RESET = False
    _RSS0 = _status('VmRSS')
    _T0 = time.perf_counter()
def stage_end(rows, **extra):
    sec = time.perf_counter() - _T0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hwm = _status('VmHWM') if _RESET else None
    out = dict(seconds=sec, rows=int(rows), peak_mb=peak,
               stage_mb=(hwm - _RSS0) if (hwm is not None and _RSS0 is not None) else None, **extra)
    print('RESULT ' + json.dumps(out))
"""

STAGES = {
    "pandas_read": r"""
import pandas as pd, pathlib
files = sorted(p for p in pathlib.Path(DATA).iterdir() if p.suffix.lower() == '.csv')
stage_start()
rows = 0
for p in files:
    try:
        rows += len(pd.read_csv(p, dtype=str, keep_default_na=False, encoding='utf-8-sig', on_bad_lines='skip'))
    except UnicodeDecodeError:
        rows += len(pd.read_csv(p, dtype=str, keep_default_na=False, encoding='gb18030', on_bad_lines='skip'))
stage_end(rows, files=len(files))
""",
    "read": r"""
from graphring.ingest.readers import read_folder
stage_start()
raw = read_folder(DATA)
stage_end(sum(t.read for t in raw.tables.values()), tables=len(raw.tables))
""",
    "validate": r"""
from graphring.ingest.readers import read_folder
from graphring.ingest.validate import validate_raw
raw = read_folder(DATA)
stage_start()
v = validate_raw(raw)
stage_end(int(v.counts['read'].sum()), loaded=int(v.counts['loaded'].sum()),
          rejected=int(v.counts['rejected'].sum()), problems=len(v.problems))
""",
    "build": r"""
from graphring.ingest.validate import validate_folder
from graphring.graph.model import build_frames
v = validate_folder(DATA)
stage_start()
g = build_frames(v.tables)
c = g.counts()
stage_end(int(v.counts['loaded'].sum()), nodes=sum(c['nodes'].values()),
          relationships=sum(c['relationships'].values()))
""",
    "ingest": r"""
from graphring.ingest.readers import read_folder
from graphring.ingest.validate import validate_raw
from graphring.graph.model import build_frames
stage_start()
v = validate_raw(read_folder(DATA))
g = build_frames(v.tables)
stage_end(int(v.counts['read'].sum()))
""",
}


def run_stage(name: str, data: Path) -> dict:
    """Run one stage in a fresh interpreter and return its RESULT."""
    code = PRELUDE + f"DATA = {str(data)!r}\n" + STAGES[name]
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=ENV)
    if p.returncode != 0:
        raise RuntimeError(f"stage {name} failed:\n{p.stderr[-3000:]}")
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"stage {name} printed no result:\n{p.stdout[-2000:]}")


def wait_for_sample(timeout: float, poll: float = 15.0) -> None:
    """Wait until graphring.sample.generate exists (it is written by another engineer)."""
    deadline = time.monotonic() + timeout
    while True:
        spec = importlib.util.find_spec("graphring.sample")
        if spec is not None and spec.origin and "def generate(" in Path(spec.origin).read_text(encoding="utf-8"):
            return
        if time.monotonic() > deadline:
            sys.exit("graphring.sample with generate() did not appear; cannot generate data")
        print("  waiting for graphring.sample ...", flush=True)
        time.sleep(poll)


def ensure_data(cache: Path, n: int, seed: int, messy: bool) -> Path:
    """The cached data folder for (n, seed, messy), generated once (atomically)."""
    d = cache / f"n{n}_s{seed}{'_messy' if messy else ''}"
    data = d / "data"
    if (data / "borrowers.csv").exists() and (d / "truth.csv").exists():
        return data
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=d.name + ".tmp-", dir=cache))
    t0 = time.perf_counter()
    code = (f"from graphring.sample import generate; "
            f"generate({str(tmp / 'data')!r}, {n}, seed={seed}, messy={messy})")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=ENV)
    if p.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"generating data failed:\n{p.stderr[-3000:]}")
    try:
        if d.exists():
            shutil.rmtree(d)   # an incomplete earlier folder
        os.replace(tmp, d)
    except OSError:            # someone else finished first
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"  generated N={n} ({'messy' if messy else 'clean'}) in {time.perf_counter() - t0:.1f}s -> {data}",
          flush=True)
    return data


def _fmt(x, spec: str) -> str:
    return "" if x is None else format(x, spec)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--borrowers", "-n", type=int, default=100_000, help="borrowers to generate (default 100000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--messy", action="store_true", help="GB18030, Chinese headers, mixed formats, bad rows")
    ap.add_argument("--repeat", type=int, default=3, help="runs per stage; the median is reported (default 3)")
    ap.add_argument("--stages", nargs="+", choices=list(STAGES), default=list(STAGES))
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "graphring-bench")
    ap.add_argument("--wait", type=float, default=3600, help="seconds to wait for graphring.sample")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    a = ap.parse_args(argv)

    wait_for_sample(a.wait)
    data = ensure_data(a.cache, a.borrowers, a.seed, a.messy)
    size_mb = sum(p.stat().st_size for p in data.iterdir() if p.is_file()) / 2**20
    print(f"data: {data} ({size_mb:.0f} MB, {len(list(data.iterdir()))} files)", flush=True)

    results: dict[str, dict] = {}
    for name in a.stages:
        runs = []
        for i in range(a.repeat):
            runs.append(run_stage(name, data))
            print(f"  {name} run {i + 1}: {runs[-1]['seconds']:.2f}s", flush=True)
        med = statistics.median(r["seconds"] for r in runs)
        r0 = runs[0]
        results[name] = {
            **{k: v for k, v in r0.items() if k not in ("seconds", "peak_mb", "stage_mb")},
            "seconds": med,
            "seconds_runs": [r["seconds"] for r in runs],
            "rows_per_s": r0["rows"] / med if med > 0 else None,
            "peak_mb": max(r["peak_mb"] for r in runs),
            "stage_mb": (max(r["stage_mb"] for r in runs) if all(r["stage_mb"] is not None for r in runs)
                         else None),
        }

    base = results.get("pandas_read", {}).get("seconds")
    title = (f"Ingestion, N={a.borrowers} borrowers ({'messy' if a.messy else 'clean'}), "
             f"median of {a.repeat}, {size_mb:.0f} MB of input")
    print("\n" + title)
    head = f"{'stage':<12} {'rows':>10} {'seconds':>9} {'rows/s':>11} {'x pandas':>9} {'peak MB':>9} {'stage MB':>9}"
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        ratio = r["seconds"] / base if base else None
        print(f"{name:<12} {r['rows']:>10} {r['seconds']:>9.2f} {_fmt(r['rows_per_s'], ',.0f'):>11} "
              f"{_fmt(ratio, '.2f'):>9} {r['peak_mb']:>9.0f} {_fmt(r['stage_mb'], '.0f'):>9}")
    extra = []
    if "validate" in results:
        v = results["validate"]
        extra.append(f"validate: {v['loaded']} loaded, {v['rejected']} rejected, {v['problems']} problems")
    if "build" in results:
        b = results["build"]
        extra.append(f"graph: {b['nodes']} nodes, {b['relationships']} relationships")
    for line in extra:
        print(line)
    out = {"borrowers": a.borrowers, "seed": a.seed, "messy": a.messy, "repeat": a.repeat,
           "input_mb": size_mb, "python": sys.version.split()[0], "stages": results}
    if a.json:
        a.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
