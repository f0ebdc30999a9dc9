"""Ring finding on data it was not tuned on: both generators, several seeds, the worst case.

Populations (20,000 borrowers by default, each generated once and cached under ``--cache``):

- ``own``: graphring's generator (:func:`graphring.sample.generate`), clean and ``--messy``;
- ``own-notext``: graphring's generator with the ``no_text`` variation (complaints without letter text);
- ``own-vary``: graphring's generator with :data:`VARY` (scripts sold to many teams, stock phrases, forms);
- ``ind``: the independent scenario generator in ``../shared/eval/independent_scenario.py`` (written
  from the domain documents separately from graphring's), clean and ``--native`` (GB18030, Chinese
  headers, messy phones);
- ``ind-notext``: the independent clean folder without complaint text.

For each population it runs ``graphring rings`` (the CLI, in a subprocess, defaults), judges it with
:func:`graphring.analyse.evaluate.evaluate` (the data contract's rules, the same as ``../shared/eval/score.py``),
and — unless ``--no-baseline`` — the naive baseline ``../shared/eval/baseline.py --method louvain``
(Louvain over the raw borrower-identifier graph, ranked by size; its result is cached). The baseline
reads clean UTF-8 CSVs only, so for the messy and native twins it is given the clean files of the same
population (its best case; the truth is the same). It prints one
line per population, then the worst case of every figure and whether graphring is ahead of the
baseline on ring recall and P@K everywhere, and the typology accuracy of matched rings.

Usage::

    python benchmarks/bench_robustness.py --seeds 1 2 3 4 5 --borrowers 20000
    python benchmarks/bench_robustness.py --seeds 1 --kinds ind ind-notext --no-baseline   # quick look
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL = ROOT.parent / "shared" / "eval"
KINDS = ("own", "own-messy", "own-notext", "own-vary", "ind", "ind-native", "ind-notext")
#: own-vary: graphring's generator with the variations that fooled ring finding before (scripts sold to many
#: teams, stock-phrase honest letters, a law firm's and legal aid's standard forms)
VARY = ("sold_scripts", "stock_phrases", "law_firm", "aid_forms")


def _eval_dir(arg: str | None) -> Path:
    for p in ([Path(arg)] if arg else []) + [EVAL, ROOT.parent.parent / "shared" / "eval", Path("../shared/eval")]:
        if (p / "independent_scenario.py").is_file():
            return p.resolve()
    raise SystemExit("cannot find ../shared/eval/independent_scenario.py (give --eval-dir)")


def _drop_text(src: Path, dst: Path, truth_src: Path, truth_dst: Path) -> None:
    """A copy of a data folder whose complaints have no letter text (as some bank exports come)."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.name.startswith("complaints."):
            df = pd.read_csv(f, dtype=str, keep_default_na=False)
            for col in ("text", "投诉内容"):
                if col in df.columns:
                    df = df.drop(columns=col)
            df.to_csv(dst / "complaints.csv", index=False)
        else:
            shutil.copy(f, dst / f.name)
    shutil.copy(truth_src, truth_dst)


def population(cache: Path, kind: str, seed: int, n: int, eval_dir: Path) -> tuple[Path, Path]:
    """(data folder, truth.csv) of one population, generated on first use."""
    d = cache / f"{kind}_n{n}_s{seed}"
    data, truth = d / "data", d / "truth.csv"
    if (data / "borrowers.csv").exists() and truth.exists():
        return data, truth
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    t0 = time.perf_counter()
    if kind in ("own-notext", "own-vary"):
        from graphring.sample import generate

        generate(data, n, seed=seed, truth_path=truth, variations=("no_text",) if kind == "own-notext" else VARY)
    elif kind.endswith("-notext"):
        src, src_truth = population(cache, kind.split("-")[0], seed, n, eval_dir)
        _drop_text(src, data, src_truth, truth)
    elif kind.startswith("own"):
        from graphring.sample import generate

        generate(data, n, seed=seed, messy=kind == "own-messy", truth_path=truth)
    else:
        args = [sys.executable, str(eval_dir / "independent_scenario.py"), str(data), "--borrowers", str(n),
                "--seed", str(seed)] + (["--native"] if kind == "ind-native" else [])
        subprocess.run(args, check=True, capture_output=True)
        shutil.move(str(data) + "_truth/truth.csv", truth)
        shutil.rmtree(str(data) + "_truth")
    print(f"  generated {kind} seed {seed} in {time.perf_counter() - t0:.1f}s", file=sys.stderr, flush=True)
    return data, truth


def judge(members_csv: Path, truth: Path) -> dict:
    from graphring.analyse.evaluate import evaluate

    found = pd.read_csv(members_csv, dtype=str, keep_default_na=False)
    return evaluate(found, pd.read_csv(truth, dtype=str, keep_default_na=False))


def run_graphring(data: Path, out: Path, extra: list[str]) -> float:
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "graphring.cli", "rings", str(data), "--out", str(out), *extra],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(f"graphring rings {data} failed:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    return time.perf_counter() - t0


def run_baseline(data: Path, out: Path, eval_dir: Path) -> Path:
    members = out / "ring_members.csv"
    if not members.exists():
        subprocess.run([sys.executable, str(eval_dir / "baseline.py"), str(data), str(out), "--method", "louvain"],
                       check=True, capture_output=True)
    return members


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    ap.add_argument("--borrowers", type=int, default=20_000)
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/graphring-robustness"))
    ap.add_argument("--runs", type=Path, default=None, help="where the runs go (default: CACHE/runs)")
    ap.add_argument("--eval-dir", default=None)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    ap.add_argument("rings_args", nargs="*", help="extra arguments for graphring rings (after --)")
    a = ap.parse_args(argv)
    eval_dir = _eval_dir(a.eval_dir)
    rows = []
    head = (f"{'population':<22}{'recall':>7}{'P@K':>7}{'benign':>7}{'mem_P':>7}{'mem_R':>7}{'typ_acc':>8}"
            f"{'secs':>6} | {'base_rec':>8}{'base_P@K':>9}")
    print(head)
    for kind in a.kinds:
        for seed in a.seeds:
            data, truth = population(a.cache, kind, seed, a.borrowers, eval_dir)
            out = (a.runs or a.cache / "runs") / f"{kind}_n{a.borrowers}_s{seed}"
            secs = run_graphring(data, out, a.rings_args)
            r = judge(out / "ring_members.csv", truth)
            row = dict(population=f"{kind} s{seed}", kind=kind, seed=seed, secs=round(secs, 1),
                       **{k: r[k] for k in ("ring_recall", "precision_at_k", "benign_in_top_k", "member_precision",
                                            "member_recall")},
                       typology_accuracy=r.get("typology_accuracy"))
            if not a.no_baseline:
                # the naive baseline reads clean UTF-8 CSVs only: for a bank-export twin (GB18030, Chinese
                # headers, ragged rows) it gets the clean files of the same population (same truth)
                twin = {"own-messy": "own", "ind-native": "ind"}.get(kind, kind)
                bdata = population(a.cache, twin, seed, a.borrowers, eval_dir)[0] if twin != kind else data
                b = judge(run_baseline(bdata, a.cache / "baseline" / f"{twin}_n{a.borrowers}_s{seed}", eval_dir), truth)
                row.update(base_recall=b["ring_recall"], base_pak=b["precision_at_k"])
            rows.append(row)
            ta = row["typology_accuracy"]
            print(f"{row['population']:<22}{row['ring_recall']:>7.3f}{row['precision_at_k']:>7.3f}"
                  f"{row['benign_in_top_k']:>7d}{row['member_precision']:>7.3f}{row['member_recall']:>7.3f}"
                  f"{(f'{ta:.3f}' if ta is not None else '-'):>8}{secs:>6.1f} | "
                  f"{row.get('base_recall', float('nan')):>8.3f}{row.get('base_pak', float('nan')):>9.3f}", flush=True)
    df = pd.DataFrame(rows)
    print("\nworst case over", len(df), "populations:")
    print(f"  ring recall {df.ring_recall.min():.3f} (target >= 0.95)   P@K {df.precision_at_k.min():.3f} (>= 0.90)   "
          f"benign in top K max {df.benign_in_top_k.max()} (0)")
    print(f"  member precision {df.member_precision.min():.3f}   member recall {df.member_recall.min():.3f} (>= 0.85)")
    if df.typology_accuracy.notna().any():
        for g, part in df.groupby(df.kind.str.split("-").str[0]):
            print(f"  typology accuracy ({g} generator) worst {part.typology_accuracy.min():.3f} (>= 0.90)")
    if "base_recall" in df:
        ahead = (df.ring_recall > df.base_recall) & (df.precision_at_k > df.base_pak)
        print(f"  ahead of the naive baseline on recall and P@K: {int(ahead.sum())}/{len(df)} populations; "
              f"baseline best recall {df.base_recall.max():.3f}, best P@K {df.base_pak.max():.3f}")
        for _, r in df[~ahead].iterrows():
            print(f"    not ahead: {r.population} recall {r.ring_recall:.3f} vs {r.base_recall:.3f}, "
                  f"P@K {r.precision_at_k:.3f} vs {r.base_pak:.3f}")
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
