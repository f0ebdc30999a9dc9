"""Command functions behind ``graphring watchlist export``, ``graphring screen`` and ``graphring explain``.

Plain functions the Typer layer (:mod:`graphring.cli`) wires to commands: each
parses nothing itself, calls the library, prints a summary and returns a small
result for tests. Library errors (:class:`~graphring.errors.GraphringError`)
propagate to the CLI wrapper, which prints them. The HMAC key is read here
(``--key-file`` or ``GRAPHRING_HMAC_KEY``) and is never printed or written.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graphring.config import SCREEN_MIN_SCORE
from graphring.present.privacy import mask_entity
from graphring.run import STATE_DIR

__all__ = ["watchlist_export_command", "screen_command", "explain_command", "KEY_ENV"]

KEY_ENV = "GRAPHRING_HMAC_KEY"


def _console(console: Console | None) -> Console:
    from graphring.present.terminal import SafeConsole

    return console or SafeConsole(highlight=False, soft_wrap=True)


def watchlist_export_command(run_dir, key_file=None, out="watchlist.csv", min_score: float | None = None,
                             reveal: bool = False, source: str | None = None,
                             console: Console | None = None, commonplace: bool = False) -> dict:
    """``graphring watchlist export RUN_DIR --key-file KEY --out list.csv [--min-score S] [--reveal] [--source S]``.

    Writes the identifiers of the run's rings (complaint phones, agents, devices,
    attachment hashes, shells, intermediaries, broker accounts) in the contract's
    watchlist format, values ``hmac:<hex>`` under the shared key; raw values only
    with ``reveal``.

    Returns
    -------
    dict
        ``out``, ``rows``, ``by_kind``, ``hashed``.
    """
    from graphring.watch.watchlist import export_watchlist, list_summary, load_key, write_watchlist

    con = _console(console)
    key = None if reveal else load_key(key_file)
    wl = export_watchlist(run_dir, key, min_score=min_score, reveal=reveal, source=source, commonplace=commonplace)
    p = write_watchlist(wl, out)
    by_kind = list_summary(wl)
    floor = wl["min_score"].iloc[0] if len(wl) else (f"{min_score:.3f}" if min_score is not None else "the run's")
    con.print(f"Wrote {len(wl)} identifiers to {p}"
              + (" (" + ", ".join(f"{k} {n}" for k, n in by_kind.items()) + ")" if by_kind else "")
              + f" from {wl['ring_id'].nunique() if len(wl) else 0} rings scoring at least {floor}"
              + ("" if commonplace else "; employers and registration agents left out (--include-commonplace)"),
              markup=False)
    if reveal:
        con.print("warning: --reveal wrote RAW identifiers (personal data under PIPL); do not share this file "
                  "outside your institution", markup=False)
    else:
        con.print("Values are HMAC-SHA256 pseudonyms under the shared key: only institutions holding the same key "
                  "can match them; no raw value is in the file.", markup=False)
    return {"out": str(p), "rows": int(len(wl)), "by_kind": by_kind, "hashed": not reveal}


def _key_for(key_file, lists) -> bytes | None:
    from graphring.watch.watchlist import load_key, needs_key

    if key_file is not None or any(needs_key(w) for w in lists):
        return load_key(key_file)
    if os.environ.get(KEY_ENV):
        return load_key(None)
    return None


def screen_command(new_data_dir, against, watchlist=None, key_file=None, out="screen_out",
                   min_score: float = SCREEN_MIN_SCORE, top: int = 20, console: Console | None = None) -> dict:
    """``graphring screen NEW_DATA_DIR --against RUN_DIR [--watchlist F] [--key-file KEY] --out DIR``.

    Builds the run's screening index on first use (``state/screen_index.*``),
    screens the new records, writes ``alerts.csv``, ``alerts.json`` and
    ``new_clusters.csv`` into ``out`` and prints a summary (identifiers masked).

    Returns
    -------
    dict
        The summary, the paths written and the timings.
    """
    from graphring.watch.screen import INDEX_FILES, load_screen_index, read_new_data, screen, write_screen
    from graphring.watch.watchlist import read_watchlist

    con = _console(console)
    lists = []
    wl = None
    if watchlist is not None:
        wl = read_watchlist(watchlist)
        lists.append(wl)
    # a watchlist table inside the new data folder may need the key as well
    from graphring.ingest.schema import table_for_stem

    folder = Path(new_data_dir)
    if folder.is_dir() and any(table_for_stem(p.stem) == "watchlist" for p in folder.iterdir() if p.is_file()):
        v = read_new_data(folder)
        if "watchlist" in v.tables:
            lists.append(v.tables["watchlist"])
    key = _key_for(key_file, lists)
    from graphring.watch.watchlist import check_key

    for w, where in zip(lists, ([str(watchlist)] if watchlist is not None else []) + [f"the watchlist table of {folder}"]):
        check_key(w, key, where)
    state = Path(against) / STATE_DIR
    t0 = time.perf_counter()
    had = all((state / f).is_file() for f in INDEX_FILES)
    idx = load_screen_index(against)
    t_index = time.perf_counter() - t0
    if not had:
        con.print(f"Built the screening index of {against} in {t_index:.1f}s "
                  f"({idx.meta['counts']['rings']} rings, {idx.meta['counts']['identifiers']} identifiers, "
                  f"{idx.meta['counts']['texts']} letters)", markup=False)
    t0 = time.perf_counter()
    res = screen(new_data_dir, against, wl, key, min_score=min_score, index=idx)
    t_screen = time.perf_counter() - t0
    paths = write_screen(res, out)
    s = res.summary
    con.print(f"Screened {s['records']} new records in {t_screen:.1f}s against {len(idx.rings)} rings"
              + (f" and {len(lists)} watchlist(s)" if lists else ""), markup=False)
    con.print(f"{s['alerts']} alerts ({', '.join(f'{k} {n}' for k, n in s['alerts_by_match'].items()) or 'none'}); "
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
        con.print(t)
    for c in res.clusters[:10]:
        con.print(f"new cluster {c['cluster_id']}: {len(c['borrowers'])} borrowers, score {c['score']:.3f}, "
                  f"tied by {', '.join(sorted(c['links']))}" + (" (household-like)" if c["household_like"] else "")
                  + (f"; also alerts on {', '.join(c['known_rings'][:5])}" if c["known_rings"] else ""), markup=False)
    con.print(f"Wrote {paths['alerts_csv']}, {paths['alerts_json']}, {paths['clusters_csv']}", markup=False)
    return {"summary": s, "paths": {k: str(v) for k, v in paths.items()},
            "timings": {"index_s": round(t_index, 3), "screen_s": round(t_screen, 3), **res.timings}}


def explain_command(run_dir, a, b=None, lang: str = "both", reveal: bool = False,
                    console: Console | None = None) -> dict:
    """``graphring explain RUN_DIR RING_ID`` or ``graphring explain RUN_DIR ENTITY_A ENTITY_B``.

    With one argument: a plain-words summary of the ring (Chinese and English, or
    ``lang`` ``zh``/``en``). With two entities (``kind:key``): the shortest evidence
    paths between them, each hop with its input rows. Identifiers masked unless ``reveal``.
    """
    from graphring.analyse.explain import ExplainError, explain_path, explain_ring

    con = _console(console)
    if lang not in ("both", "zh", "en"):
        raise ExplainError(f"--lang must be both, zh or en, not {lang!r}")
    if b is None:
        try:
            r = explain_ring(run_dir, a, lang=lang, reveal=reveal)
        except ExplainError:
            if ":" in str(a):
                raise ExplainError(f"{a!r} looks like an entity: give two entities (kind:key kind:key) to see "
                                   "the evidence paths between them, or a ring id") from None
            raise
        con.print(r["text"], markup=False)
        return r
    p = explain_path(run_dir, a, b, reveal=reveal)
    text = {"en": p["text_en"], "zh": p["text_zh"]}.get(lang, p["text_zh"] + "\n\n" + p["text_en"])
    con.print(text, markup=False)
    return p
