"""The ``graphring`` command line: a thin Typer layer over the library.

Each command parses its options, calls one library function, prints a summary,
and turns a :class:`~graphring.errors.GraphringError` into a clear message and
exit code 1. Commands are documented in README.md (a test checks that).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table as RichTable

import graphring
from graphring.config import DEFAULTS, SCREEN_MIN_SCORE
from graphring.errors import GraphringError
from graphring.present.terminal import SafeConsole

app = typer.Typer(
    name="graphring",
    help="Find fraud rings (proxy complaints, debt evasion, malicious claims, shell-company loans, "
         "debt carriers) in consumer-lending exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# every line printed goes through SafeConsole: values from the data print as text, control codes escaped
console = SafeConsole(stderr=False, highlight=False)
err = SafeConsole(stderr=True, highlight=False)

NeoUri = Annotated[Optional[str], typer.Option("--neo4j-uri", envvar="NEO4J_URI", help="Bolt URI of the Neo4j server.")]
NeoDb = Annotated[Optional[str], typer.Option("--database", envvar="NEO4J_DATABASE", help="Neo4j database name.")]
NeoUser = Annotated[Optional[str], typer.Option("--user", envvar="NEO4J_USER", help="Neo4j user.")]
NeoPassword = Annotated[Optional[str], typer.Option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password.")]
LimitOpt = Annotated[Optional[list[str]], typer.Option(
    "--limit", help="Raise an input limit for this run, NAME=N (repeatable): mapping_bytes, yaml_aliases, xlsx_bytes, "
                    "xlsx_ratio, rows, columns, field_chars (see graphring/ingest/limits.py).")]
MappingOpt = Annotated[Optional[Path], typer.Option("--mapping", help="YAML file {table: {their_header: contract_name}}.")]


def fail(exc: GraphringError) -> typer.Exit:
    """The one error path: a :class:`GraphringError` printed as one line on stderr, exit code 1."""
    err.print(f"error: {exc}", markup=False, soft_wrap=True)  # one line whatever the terminal width
    return typer.Exit(1)


def command(*args, on: typer.Typer | None = None, **kwargs):
    """Register a command (on ``app``, or the sub-app ``on``) whose :class:`GraphringError` goes to :func:`fail`."""

    def deco(f):
        @functools.wraps(f)
        def wrapper(*a, **k):
            try:
                return f(*a, **k)
            except GraphringError as exc:
                raise fail(exc) from None

        return (on or app).command(*args, **kwargs)(wrapper)

    return deco


def _version(value: bool):
    if value:
        console.print(f"graphring {graphring.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
):
    """graphring: evidence-backed fraud-ring discovery for lenders' anti-fraud teams."""


def _progress():
    """A rich progress bar on stderr (hidden when not a terminal or under CI)."""
    from graphring.progress import progress_bar

    return progress_bar(err)


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
    from graphring.ingest.limits import overridden, parse_overrides
    from graphring.graph.model import build_frames
    from graphring.ingest.validate import validate_folder

    with overridden(parse_overrides(limit)), _progress() as p:
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
    from graphring.sample import VARIATIONS, generate

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
    with _progress() as p:
        task = p.add_task("generating", total=None)
        summary = generate(out_dir, borrowers, seed=seed, messy=messy, variations=chosen, truth_path=truth,
                           progress=lambda msg: p.update(task, description=str(msg)))
    console.print(json.dumps(summary, ensure_ascii=False, default=str, indent=1))


LangOpt = Annotated[str, typer.Option("--lang", help="Language of what is shown: zh (Simplified Chinese, default) or en.")]


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
    from graphring.present.i18n import msg, signal_name, status_name, typology_name
    from graphring.present.privacy import mask_entity
    from rich.text import Text

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
    from graphring.present.i18n import check_lang, msg
    from graphring.ingest.limits import overridden, parse_overrides
    from graphring.pipeline import find_rings
    from graphring.run import check_out_dir, write_run

    lang = check_lang(lang)
    limits = parse_overrides(limit)
    check_out_dir(out)

    wl, key = _watchlist_args(watchlist, key_file)
    store = None
    if backend == "neo4j":
        from graphring.neo4j_cli import open_neo4j_store

        store = open_neo4j_store(neo4j_uri, database=database, user=user, password=password)
    elif backend != "memory":
        raise GraphringError(f"unknown backend {backend!r}: use memory or neo4j")
    try:
        with overridden(limits), _progress() as p:
            task = p.add_task("finding rings", total=None)
            initial = None
            if previous is not None:
                from graphring.analyse.history import previous_partition
                from graphring.run import read_run

                read_run(previous)  # a clear message when it is not a run directory
                initial = previous_partition(previous)
            res = find_rings(data_dir, mapping=mapping, store=store, algorithm=algorithm, seed=seed,
                             min_size=min_size, min_score=min_score, watchlist=wl, hmac_key=key, initial=initial,
                             progress=lambda m: p.update(task, description=m))
            history = None
            if previous is not None:
                from graphring.analyse.history import apply_history

                history = apply_history(res, previous)
            write_run(res, out, data_dir=data_dir, mapping=mapping)
            if history is not None:
                from graphring.analyse.history import write_history

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


def _watchlist_args(watchlist: Optional[Path], key_file: Optional[Path]):
    if watchlist is None:
        # a `watchlist` table inside the data folder may hold hmac: values: its key comes from here too
        if key_file is not None or os.environ.get("GRAPHRING_HMAC_KEY"):
            from graphring.watch.watchlist import load_key

            return None, load_key(key_file)
        return None, None
    from graphring.watch.watchlist import check_key, load_key, needs_key, read_watchlist

    wl = read_watchlist(watchlist)  # graphring.ingest.readers.read_table, headers matched, rows validated
    key = load_key(key_file) if key_file is not None or needs_key(wl) else None
    check_key(wl, key, str(watchlist))  # before the run: a list made with another key is an error, not 0 matches
    return wl, key


@command()
def evaluate(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    truth: Annotated[Path, typer.Option("--truth", help="truth.csv with planted rings (ring_id,typology,kind,id).")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the figures as JSON.")] = None,
):
    """Judge a run against planted truth: ring recall, precision@K, benign in top K, member precision/recall."""
    from graphring.analyse.evaluate import evaluate as _evaluate, load_truth
    from graphring.run import read_run

    run = read_run(run_dir)
    r = _evaluate(run.members, load_truth(truth))
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


@command()
def load(
    data_dir: Annotated[Path, typer.Argument(help="Input data folder.")],
    neo4j_uri: NeoUri = None,
    database: NeoDb = None,
    user: NeoUser = None,
    password: NeoPassword = None,
    mapping: MappingOpt = None,
):
    """Validate a data folder and load it into Neo4j (idempotent MERGE in UNWIND batches)."""
    from graphring.neo4j_cli import load_command

    with _progress() as p:
        task = p.add_task("loading into Neo4j", total=None)
        load_command(data_dir, neo4j_uri, database=database, user=user, password=password, mapping=mapping,
                     echo=lambda m: console.print(m, markup=False),
                     progress=lambda n: p.advance(task, n), on_total=lambda t: p.update(task, total=t))


@command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for index.html and one page per ring.")],
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the top N rings.")] = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked (stated on every page).")] = False,
    lang: LangOpt = "zh",
):
    """Write the triage page and one interactive, offline ring page per ring."""
    from graphring.report.cli_report import report_command

    report_command(run_dir, out, top=top, reveal=reveal, echo=lambda m: console.print(m, markup=False), lang=lang)


@command()
def referral(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    ring_id: Annotated[str, typer.Argument(help="Ring id, e.g. R0001.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Pack folder (default RUN_DIR/referral-<ring>).")] = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked (stated on every output).")] = False,
    lang: LangOpt = "zh",
):
    """Write a referral pack: HTML + PDF, diagram, evidence, timeline, figures vs thresholds, exports, manifest."""
    from graphring.referral.cli_referral import referral_command

    referral_command(run_dir, ring_id, out=out, reveal=reveal, echo=lambda m: console.print(m, markup=False),
                     lang=lang)


watchlist_app = typer.Typer(help="Shareable watchlists of ring identifiers (HMAC-pseudonymised).",
                            no_args_is_help=True)
app.add_typer(watchlist_app, name="watchlist")


@command("export", on=watchlist_app)
def watchlist_export(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    key_file: Annotated[Optional[Path], typer.Option("--key-file", help="Shared HMAC key file (or GRAPHRING_HMAC_KEY).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Watchlist CSV to write.")] = Path("watchlist.csv"),
    min_score: Annotated[Optional[float], typer.Option("--min-score", help="Only rings scoring at least this (default: the run's --min-score, the rings its report shows).")] = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Write raw values instead of hmac: pseudonyms.")] = False,
    source: Annotated[Optional[str], typer.Option("--source", help="Source column value (your institution).")] = None,
    commonplace: Annotated[bool, typer.Option("--include-commonplace", help="Also export employers and registration agents (commonplace: they serve honest people too).")] = False,
):
    """Export the identifiers of found rings as a watchlist another institution can match."""
    from graphring.watch_cli import watchlist_export_command

    watchlist_export_command(run_dir, key_file=key_file, out=out, min_score=min_score, reveal=reveal,
                             source=source, console=console, commonplace=commonplace)


@command()
def screen(
    new_data_dir: Annotated[Path, typer.Argument(help="Folder of new records (same format as the input).")],
    against: Annotated[Path, typer.Option("--against", help="Run directory of the known rings.")],
    watchlist: Annotated[Optional[Path], typer.Option("--watchlist", help="Watchlist CSV to match as well.")] = None,
    key_file: Annotated[Optional[Path], typer.Option("--key-file", help="HMAC key for hmac: watchlist values.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for alerts.csv / alerts.json.")] = Path("screen_out"),
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, help="Report alerts scoring at least this.")] = SCREEN_MIN_SCORE,
    top: Annotated[int, typer.Option("--top", help="Alerts to print.")] = 20,
):
    """Early warning: check new complaints, loans, bindings and logins against known rings and watchlists."""
    from graphring.watch_cli import screen_command

    screen_command(new_data_dir, against, watchlist=watchlist, key_file=key_file, out=out, min_score=min_score,
                   top=top, console=console)


@command()
def explain(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    a: Annotated[str, typer.Argument(help="A ring id (R0001), or an entity as kind:key.")],
    b: Annotated[Optional[str], typer.Argument(help="Second entity (kind:key) for the evidence paths between two.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh, en or both.")] = "both",
    reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked.")] = False,
):
    """Explain a ring in plain words, or the shortest evidence paths between two entities."""
    from graphring.watch_cli import explain_command

    explain_command(run_dir, a, b, lang=lang, reveal=reveal, console=console)


def main() -> None:
    """Console entry point: run the app, turning library errors into exit code 1."""
    try:
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except GraphringError as exc:
        sys.exit(fail(exc).exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and anything unexpected: never a traceback
        # click usage errors (typer may bundle its own click: match by shape, not class)
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("GRAPHRING_DEBUG"):
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc}\n"
                  "(this is a bug in graphring; rerun with GRAPHRING_DEBUG=1 for the traceback and report it)",
                  markup=False)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
