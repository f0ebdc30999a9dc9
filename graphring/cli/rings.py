"""The ring-finding commands: ``validate``, ``sample``, ``rings`` and ``evaluate``.

Each parses its options, calls the library (:func:`graphring.ingest.validate.validate_folder`,
:func:`graphring.sample.generate`, :func:`graphring.pipeline.find_rings` with
:mod:`graphring.analyse.history`, :func:`graphring.analyse.evaluate.evaluate`) and prints a summary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table as RichTable
from rich.text import Text

from graphring.analyse.evaluate import evaluate as evaluate_run, load_truth
from graphring.analyse.history import apply_history, previous_partition, write_history
from graphring.cli.app import (LangOpt, LimitOpt, MappingOpt, NeoDb, NeoPassword, NeoUri, NeoUser, command, console,
                               progress)
from graphring.config import DEFAULTS
from graphring.errors import GraphringError
from graphring.graph.model import build_frames
from graphring.ingest.limits import overridden, parse_overrides
from graphring.ingest.validate import validate_folder
from graphring.pipeline import find_rings
from graphring.present.i18n import check_lang, msg, signal_name, status_name, typology_name
from graphring.present.privacy import mask_entity
from graphring.run import check_out_dir, read_run, write_run
from graphring.sample import VARIATIONS, generate
from graphring.store.neo4j import open_neo4j_store
from graphring.watch.watchlist import watchlist_and_key

__all__ = ["validate", "sample", "rings", "evaluate", "sample_truth_path"]


def _print_validation(v) -> None:
    t = RichTable(title=f"Validation of {v.folder}")
    for c in ("table", "file", "read", "loaded", "rejected", "warnings"):
        t.add_column(c, justify="right" if c in ("read", "loaded", "rejected", "warnings") else "left")
    for r in v.summary_rows():
        t.add_row(r["table"], str(r["file"]), str(r["read"]), str(r["loaded"]), str(r["rejected"]),
                  str(r["warnings"]))
    console.print(t)
    if len(v.problems):
        pc = v.problems.groupby(["table", "severity", "code"]).size().rename("n").reset_index()
        t2 = RichTable(title="Problems by kind")
        for c in ("table", "severity", "code", "n"):
            t2.add_column(c)
        for r in pc.itertuples(index=False):
            t2.add_row(r.table, r.severity, r.code, str(r.n))
        console.print(t2)
        shown = v.problems.head(20)
        for r in shown.itertuples(index=False):
            loc = f"{r.file}" + (f" row {r.row}" if r.row is not None and str(r.row) != "<NA>" else "") + (
                f" column {r.column}" if r.column else "")
            console.print(f"  [{r.severity}] {loc}: {r.message}", markup=False)
        if len(v.problems) > len(shown):
            console.print(f"  ... and {len(v.problems) - len(shown)} more (use --report FILE for all)")


@command()
def validate(
    data_dir: Annotated[Path, typer.Argument(help="Folder of input tables (borrowers.csv, complaints.xlsx, ...).")],
    mapping: MappingOpt = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write every problem to this JSON file.")] = None,
    limit: LimitOpt = None,
):
    """Read and validate a data folder; report every problem with file, row and column."""
    with overridden(parse_overrides(limit)), progress() as p:
        task = p.add_task("reading and validating", total=2)
        v = validate_folder(data_dir, mapping)
        p.advance(task)
        g = build_frames(v.tables)
        p.advance(task)
    _print_validation(v)
    counts = g.counts()
    console.print("Graph: " + ", ".join(f"{k} {n}" for k, n in counts["nodes"].items()) + " nodes; "
                  + f"{sum(counts['relationships'].values())} relationships")
    if report:
        rep = v.report()
        rep["graph"] = counts
        try:
            report.write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        except OSError as exc:
            raise GraphringError(f"cannot write the report to {report}: {exc.strerror or exc}") from None
        console.print(f"Report written to {report}")
    if not v.usable:
        raise GraphringError("no borrower row could be loaded; the data is not usable")


@command()
def sample(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the generated tables into (its truth goes beside it, OUT_DIR_truth.csv).")],
    borrowers: Annotated[int, typer.Option("--borrowers", "-n", min=50, help="Number of borrowers.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 0,
    messy: Annotated[bool, typer.Option("--messy", help="Write as a bank export arrives: GB18030, Chinese headers, mixed formats, a few bad rows.")] = False,
    vary: Annotated[Optional[str], typer.Option("--vary", help="Comma-separated variations: sold_scripts, stock_phrases, law_firm, aid_forms, no_text, few_tables (see graphring.sample.VARIATIONS).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing sample and its truth file.")] = False,
):
    """Generate a synthetic population with planted rings and benign look-alikes."""
    chosen = [v.strip() for v in (vary or "").split(",") if v.strip()]
    bad = sorted(set(chosen) - set(VARIATIONS))
    if bad:
        raise GraphringError(f"unknown variation(s) {', '.join(bad)}: choose from {', '.join(VARIATIONS)}")
    truth = sample_truth_path(out_dir)
    if not force:
        if truth.exists():
            raise GraphringError(f"{truth} exists (the truth of an earlier sample); give another OUT_DIR or --force "
                                 "to replace it")
        if out_dir.is_dir() and any(out_dir.iterdir()):
            raise GraphringError(f"{out_dir} is not empty; give a new folder or --force to replace its tables")
    with progress() as p:
        task = p.add_task("generating", total=None)
        summary = generate(out_dir, borrowers, seed=seed, messy=messy, variations=chosen, truth_path=truth,
                           progress=lambda msg: p.update(task, description=str(msg)))
    console.print(json.dumps(summary, ensure_ascii=False, default=str, indent=1))


def sample_truth_path(out_dir: Path) -> Path:
    """Where ``graphring sample OUT_DIR`` writes the truth: beside the folder, named for it.

    Examples
    --------
    >>> sample_truth_path(Path("out/bank_x")).as_posix()
    'out/bank_x_truth.csv'
    """
    out_dir = Path(out_dir)
    return out_dir.parent / f"{out_dir.name}_truth.csv"


def _print_rings(rings, top: int = 20, lang: str = "zh", history=None) -> None:
    t = RichTable(title=msg("console_title", lang, n=len(rings)))
    st = {} if history is None else {r["ring_id"]: r for r in history.status.to_dict("records")}
    changed = any(h.get("joined") or h.get("left") for h in st.values())
    cols = ["c_ring", "c_score", "c_typology"] + (["c_status"] if history is not None else []) + (
        ["c_change"] if changed else []) + ["c_borrowers", "c_entities", "c_signals"]
    for c in cols:
        t.add_column(msg(c, lang), overflow="fold")
    for r in rings[:top]:
        nb = int((r.members["kind"] == "borrower").sum())
        row = [r.ring_id, f"{r.score:.3f}", typology_name(r.typology, lang)]
        if history is not None:
            h = st.get(r.ring_id, {})
            joined, left = list(h.get("joined") or []), list(h.get("left") or [])
            change = " ".join(["+" + mask_entity("borrower", b) for b in joined[:3]]
                              + (["+…"] if len(joined) > 3 else [])
                              + ["−" + mask_entity("borrower", b) for b in left[:3]] + (["−…"] if len(left) > 3 else []))
            prev = [p for p in str(h.get("previous") or "").split(";") if p and p != r.ring_id]
            row += [status_name(h.get("status"), lang) + (f" ← {', '.join(prev)}" if prev else "")]
            if changed:
                row += [(f"+{len(joined)} −{len(left)} " if (joined or left) else "") + change]
        row += [str(nb), str(len(r.members) - nb), "\n".join(signal_name(s["name"], lang) for s in r.signals[:3])]
        t.add_row(*[Text(str(x)) for x in row])  # plain text: borrower ids come from the input
    console.print(t)
    if history is not None and len(history.gone):
        console.print(msg("console_gone", lang, ids=", ".join(map(str, history.gone["ring_id"]))), markup=False)


@command()
def rings(
    data_dir: Annotated[Path, typer.Argument(help="Input data folder.")],
    out: Annotated[Path, typer.Option("--out", help="Run directory to write ring_members.csv, rings.json, manifest.json into.")] = Path("out"),
    algorithm: Annotated[str, typer.Option("--algorithm", help="leiden, louvain or wcc.")] = DEFAULTS["algorithm"],
    seed: Annotated[int, typer.Option("--seed", help="Seed for community detection and MinHash.")] = DEFAULTS["seed"],
    min_size: Annotated[int, typer.Option("--min-size", min=2, help="Minimum borrowers in a ring.")] = DEFAULTS["min_size"],
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, help="Report rings scoring at least this.")] = DEFAULTS["min_score"],
    mapping: MappingOpt = None,
    watchlist: Annotated[Optional[Path], typer.Option("--watchlist", help="Watchlist CSV (raw or hmac: values) to match.")] = None,
    key_file: Annotated[Optional[Path], typer.Option("--key-file", help="HMAC key file for hmac: watchlist values (or GRAPHRING_HMAC_KEY).")] = None,
    top: Annotated[int, typer.Option("--top", help="Rings to print.")] = 20,
    previous: Annotated[Optional[Path], typer.Option("--previous", help="An earlier run directory: keep its ring ids where a ring persists and mark each ring new/grown/shrunk/merged/split/gone.")] = None,
    backend: Annotated[str, typer.Option("--backend", help="memory (default) or neo4j.")] = "memory",
    neo4j_uri: NeoUri = None,
    database: NeoDb = None,
    user: NeoUser = None,
    password: NeoPassword = None,
    lang: LangOpt = "zh",
    limit: LimitOpt = None,
):
    """Find rings in a data folder and write the ranked rings with their evidence."""
    lang = check_lang(lang)
    limits = parse_overrides(limit)
    check_out_dir(out)

    wl, key = watchlist_and_key(watchlist, key_file)
    store = None
    if backend == "neo4j":
        store = open_neo4j_store(neo4j_uri, database=database, user=user, password=password)
    elif backend != "memory":
        raise GraphringError(f"unknown backend {backend!r}: use memory or neo4j")
    try:
        with overridden(limits), progress() as p:
            task = p.add_task("finding rings", total=None)
            initial = None
            if previous is not None:
                read_run(previous)  # a clear message when it is not a run directory
                initial = previous_partition(previous)
            res = find_rings(data_dir, mapping=mapping, store=store, algorithm=algorithm, seed=seed,
                             min_size=min_size, min_score=min_score, watchlist=wl, hmac_key=key, initial=initial,
                             progress=lambda m: p.update(task, description=m))
            history = None
            if previous is not None:
                history = apply_history(res, previous)
            write_run(res, out, data_dir=data_dir, mapping=mapping)
            if history is not None:
                write_history(out, history)
    finally:
        if store is not None:
            store.close()
    if res.validation is not None:
        v = res.validation
        rej = int(v.counts["rejected"].sum()) if len(v.counts) else 0
        console.print(f"Read {int(v.counts['read'].sum())} rows, loaded {int(v.counts['loaded'].sum())}, "
                      f"rejected {rej} (details: {out / 'problems.csv'} and `graphring validate`)")
    _print_rings(res.rings, top, lang, history)
    hubs = getattr(res.projection, "hubs", None)
    if hubs is not None and len(hubs):
        console.print(msg("console_hubs", lang, n=len(hubs)), markup=False)
    fams = {x.get("family") for x in res.ring_links if x.get("family")}
    if fams:
        linked = {r for x in res.ring_links if x.get("family") for r in x.get("rings") or []}
        console.print(msg("console_families", lang, n=len(fams), m=len(linked)), markup=False)
    console.print(msg("console_wrote", lang, files=f"{out / 'ring_members.csv'}, {out / 'rings.json'}, "
                                                   f"{out / 'manifest.json'}"), markup=False)


@command()
def evaluate(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    truth: Annotated[Path, typer.Option("--truth", help="truth.csv with planted rings (ring_id,typology,kind,id).")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the figures as JSON.")] = None,
):
    """Judge a run against planted truth: ring recall, precision@K, benign in top K, member precision/recall."""
    run = read_run(run_dir)
    r = evaluate_run(run.members, load_truth(truth))
    t = RichTable(title=f"Evaluation of {run_dir}")
    t.add_column("figure")
    t.add_column("value", justify="right")
    for k in ("planted_rings", "reported_rings", "ring_recall", "precision_at_k", "benign_in_top_k",
              "member_precision", "member_recall", "typology_accuracy"):
        t.add_row(k, str(r[k]))
    console.print(t)
    t2 = RichTable(title="Per typology")
    for c in ("typology", "planted", "found", "recall"):
        t2.add_column(c)
    for k, v in r["per_typology"].items():
        t2.add_row(k, str(v["planted"]), str(v["found"]), str(v["recall"]))
    console.print(t2)
    if r["typology_confusion"]:
        seen = sorted({c for row in r["typology_confusion"].values() for c in row})
        t3 = RichTable(title=f"Typology of the rings found (accuracy {r['typology_accuracy']}): planted x reported")
        t3.add_column("planted")
        for c in seen:
            t3.add_column(c, justify="right")
        for k, row in r["typology_confusion"].items():
            t3.add_row(k, *[str(row.get(c, 0)) for c in seen])
        console.print(t3)
    if r["missed"]:
        console.print("missed: " + ", ".join(r["missed"]), markup=False)
    if json_out:
        json_out.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
