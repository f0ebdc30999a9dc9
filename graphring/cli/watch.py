"""The early-warning commands: ``watchlist export``, ``screen`` and ``explain``.

``watchlist export`` writes the identifiers of a run's rings as a shareable list
(:func:`graphring.watch.watchlist.export_watchlist`, values ``hmac:`` under the shared key);
``screen`` checks new records against a run's rings and watchlists
(:mod:`graphring.watch.screen`); ``explain`` says a ring in plain words or the evidence
paths between two entities (:func:`graphring.analyse.explain.explain`). The HMAC key
(``--key-file`` or ``GRAPHRING_HMAC_KEY``) is never printed or written.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from graphring.analyse.explain import explain as explain_run
from graphring.cli.app import app, command, console
from graphring.config import SCREEN_MIN_SCORE
from graphring.present.privacy import mask_entity
from graphring.run import STATE_DIR
from graphring.watch.screen import INDEX_FILES, load_screen_index, screen as screen_run, screen_watchlists, write_screen
from graphring.watch.watchlist import export_watchlist, list_summary, load_key, write_watchlist

__all__ = ["watchlist_app", "watchlist_export", "screen", "explain"]

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
) -> dict:
    """Export the identifiers of found rings as a watchlist another institution can match."""
    key = None if reveal else load_key(key_file)
    wl = export_watchlist(run_dir, key, min_score=min_score, reveal=reveal, source=source, commonplace=commonplace)
    p = write_watchlist(wl, out)
    by_kind = list_summary(wl)
    floor = wl["min_score"].iloc[0] if len(wl) else (f"{min_score:.3f}" if min_score is not None else "the run's")
    console.print(f"Wrote {len(wl)} identifiers to {p}"
                  + (" (" + ", ".join(f"{k} {n}" for k, n in by_kind.items()) + ")" if by_kind else "")
                  + f" from {wl['ring_id'].nunique() if len(wl) else 0} rings scoring at least {floor}"
                  + ("" if commonplace else "; employers and registration agents left out (--include-commonplace)"),
                  markup=False)
    if reveal:
        console.print("warning: --reveal wrote RAW identifiers (personal data under PIPL); do not share this file "
                      "outside your institution", markup=False)
    else:
        console.print("Values are HMAC-SHA256 pseudonyms under the shared key: only institutions holding the same "
                      "key can match them; no raw value is in the file.", markup=False)
    return {"out": str(p), "rows": int(len(wl)), "by_kind": by_kind, "hashed": not reveal}


@command()
def screen(
    new_data_dir: Annotated[Path, typer.Argument(help="Folder of new records (same format as the input).")],
    against: Annotated[Path, typer.Option("--against", help="Run directory of the known rings.")],
    watchlist: Annotated[Optional[Path], typer.Option("--watchlist", help="Watchlist CSV to match as well.")] = None,
    key_file: Annotated[Optional[Path], typer.Option("--key-file", help="HMAC key for hmac: watchlist values.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for alerts.csv / alerts.json.")] = Path("screen_out"),
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, help="Report alerts scoring at least this.")] = SCREEN_MIN_SCORE,
    top: Annotated[int, typer.Option("--top", help="Alerts to print.")] = 20,
) -> dict:
    """Early warning: check new complaints, loans, bindings and logins against known rings and watchlists."""
    wl, lists, key = screen_watchlists(new_data_dir, watchlist, key_file)
    state = Path(against) / STATE_DIR
    t0 = time.perf_counter()
    had = all((state / f).is_file() for f in INDEX_FILES)
    idx = load_screen_index(against)
    t_index = time.perf_counter() - t0
    if not had:
        console.print(f"Built the screening index of {against} in {t_index:.1f}s "
                      f"({idx.meta['counts']['rings']} rings, {idx.meta['counts']['identifiers']} identifiers, "
                      f"{idx.meta['counts']['texts']} letters)", markup=False)
    t0 = time.perf_counter()
    res = screen_run(new_data_dir, against, wl, key, min_score=min_score, index=idx)
    t_screen = time.perf_counter() - t0
    paths = write_screen(res, out)
    s = res.summary
    console.print(f"Screened {s['records']} new records in {t_screen:.1f}s against {len(idx.rings)} rings"
                  + (f" and {len(lists)} watchlist(s)" if lists else ""), markup=False)
    console.print(f"{s['alerts']} alerts ({', '.join(f'{k} {n}' for k, n in s['alerts_by_match'].items()) or 'none'}); "
                  f"{s['rings_hit']} rings hit; {s['new_borrowers_alerted']} borrowers not yet in a ring; "
                  f"{s['new_clusters']} new clusters among the new records", markup=False)
    if len(res.alerts):
        t = Table(title=f"Top alerts (of {len(res.alerts)})")
        for c in ("score", "ring", "borrower", "record", "match", "evidence"):
            t.add_column(c)
        for a in res.alerts.head(top).itertuples(index=False):
            kind, _, key_ = str(a.identifier).partition(":")
            ev = f"{a.new_link} {kind}:{mask_entity(kind, key_)}"
            if a.match == "template" and a.similarity == a.similarity:
                ev = f"letter {a.similarity:.2f} like ring letter"
            t.add_row(f"{a.score:.3f}", escape(str(a.ring_id)),
                      escape(mask_entity("borrower", a.borrower) if isinstance(a.borrower, str) else "-"),
                      escape(f"{a.file or a.table} row {a.row}"), escape(str(a.matches)), escape(ev))
        console.print(t)
    for c in res.clusters[:10]:
        console.print(f"new cluster {c['cluster_id']}: {len(c['borrowers'])} borrowers, score {c['score']:.3f}, "
                      f"tied by {', '.join(sorted(c['links']))}" + (" (household-like)" if c["household_like"] else "")
                      + (f"; also alerts on {', '.join(c['known_rings'][:5])}" if c["known_rings"] else ""),
                      markup=False)
    console.print(f"Wrote {paths['alerts_csv']}, {paths['alerts_json']}, {paths['clusters_csv']}", markup=False)
    return {"summary": s, "paths": {k: str(v) for k, v in paths.items()},
            "timings": {"index_s": round(t_index, 3), "screen_s": round(t_screen, 3), **res.timings}}


@command()
def explain(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    a: Annotated[str, typer.Argument(help="A ring id (R0001), or an entity as kind:key.")],
    b: Annotated[Optional[str], typer.Argument(help="Second entity (kind:key) for the evidence paths between two.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh, en or both.")] = "both",
    reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked.")] = False,
) -> dict:
    """Explain a ring in plain words, or the shortest evidence paths between two entities."""
    r = explain_run(run_dir, a, b, lang=lang, reveal=reveal)
    console.print(r["text"], markup=False)
    return r
