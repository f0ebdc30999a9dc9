"""Benchmark referral packs and ring pages at ring sizes readers meet: time, PDF pages, page weight.

Generates a population (``graphring sample``, cached under ``--cache``), finds its rings, and for
the biggest ring and a ring of about ``--small`` borrowers measures:

- ``pack_s``: ``write_referral`` end to end (median of ``--repeat``), with its step timings;
- ``pdf_pages``: pages of the referral PDF (the issue's bar: a 300-borrower ring under 60 s and a
  PDF a reader can read, about 40 pages at most);
- ``page_s`` / ``page_mb``: the ring's report page (summary view for big rings).

Usage::

    python benchmarks/bench_referral.py --borrowers 20000 --seed 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--borrowers", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--small", type=int, default=10, help="Borrowers of the small ring to measure.")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--lang", default="zh")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "graphring-bench-referral")
    a = ap.parse_args(argv)

    from graphring.present.referral import write_referral
    from graphring.present.report.html import render_ring
    from graphring.pipeline import find_rings, read_run, write_run
    from graphring.sample import generate

    base = a.cache / f"n{a.borrowers}-s{a.seed}"
    data, run = base / "data", base / "run"
    if not (data / "borrowers.csv").is_file():
        generate(data, a.borrowers, seed=a.seed)
    if not (run / "rings.json").is_file():
        write_run(find_rings(data, seed=0), run, data_dir=data)
    rings = read_run(run).ring_list
    nb = lambda r: int((r.get("size") or {}).get("borrower", 0))  # noqa: E731
    big = max(rings, key=nb)
    small = min(rings, key=lambda r: (abs(nb(r) - a.small), r["ring_id"]))
    out = {}
    for label, ring in (("biggest", big), ("small", small)):
        rid = ring["ring_id"]
        times, res = [], None
        for i in range(a.repeat):
            t0 = time.perf_counter()
            res = write_referral(run, rid, base / f"pack-{rid}-{i}", lang=a.lang)
            times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        page = render_ring(run, rid, lang=a.lang)
        page_s = time.perf_counter() - t0
        out[label] = {"ring_id": rid, "borrowers": nb(ring), "entities": len(ring.get("members", [])),
                      "pack_s": round(statistics.median(times), 2), "pdf_pages": res["pdf_pages"],
                      "steps_s": res["timings_s"], "page_s": round(page_s, 2),
                      "page_mb": round(len(page.encode("utf-8")) / 1e6, 2)}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
