"""The ring's timeline: one swim lane per borrower along the loan lifecycle.

:func:`ring_events` lists dated events of each ring borrower, each with the
input row behind it; :func:`render_timeline` draws them as a swim-lane chart
(matplotlib, the shipped CJK font) to PNG and SVG.

Stages, in lifecycle order
--------------------------
``application``   loan applied for (``loans.applied_at``)
``disbursement``  loan proceeds paid out (``payments``, purpose ``loan_proceeds``)
``repayment``     a repayment (``payments`` with a ``loan_id``); by a third party if the payer is not the borrower
``first_overdue`` first day past due (``borrowers.first_overdue_on``)
``binding``       account phone bound or unbound (``phone_events``); ``seen`` when the number is seen in a city
``complaint``     a complaint about the borrower (``complaints.received_at``)
``escalation``    a complaint through a higher channel than the borrower's previous one, or a petition (信访)

Examples
--------
>>> import tempfile
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> from graphring.present.ringdata import load_ring
>>> rd = load_ring(demo_run(tempfile.mkdtemp()), "R0001")
>>> ev = ring_events(rd)
>>> sorted(set(ev["stage"]))
['application', 'binding', 'complaint', 'disbursement', 'escalation', 'first_overdue', 'repayment', 'seen']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from graphring.files.safepath import inside
from graphring.present.fonts import matplotlib_rc
from graphring.present.ringdata import RingData, masking_statement, source_of

__all__ = ["ring_events", "render_timeline", "STAGES", "MAX_LANES"]

#: Stage → (label, marker, colour), in lifecycle order.
STAGES = {
    "application": ("申请 application", "^", "#1f77b4"),
    "disbursement": ("放款 disbursement", "v", "#17becf"),
    "repayment": ("还款 repayment", ".", "#2ca02c"),
    "first_overdue": ("首次逾期 first overdue", "X", "#7f7f7f"),
    "binding": ("换绑 phone bind/unbind", "s", "#ff7f0e"),
    "seen": ("号码异地出现 number seen in city", "D", "#e377c2"),
    "complaint": ("投诉 complaint", "o", "#d62728"),
    "escalation": ("升级/信访 escalation", "*", "#8c1a1a"),
}
#: At most this many lanes are drawn; the CSV has all of them.
MAX_LANES = 40
_CHANNEL_RANK = {"app": 1, "hotline": 1, "letter": 2, "regulator": 3, "petition": 4}


def _ts(v):
    if v is None:
        return pd.NaT
    t = pd.to_datetime(v, errors="coerce")
    if isinstance(t, pd.Timestamp) and t.tzinfo is not None:
        t = t.tz_localize(None)
    return t


def ring_events(rd: RingData) -> pd.DataFrame:
    """Dated lifecycle events of the ring's borrowers (columns: ``member_ref, member, date, stage, label,
    detail, table, row, source_file``), sorted by member then date."""
    props = rd.node_props.drop_duplicates("node").set_index("node") if len(rd.node_props) else pd.DataFrame()
    edges = rd.edges
    bor = rd.borrower_nodes()
    borrowers = set(bor["node"])
    rows: list[dict] = []

    def prop(node, name):
        if node in props.index and name in props.columns:
            v = props.at[node, name]
            return None if v is None or (isinstance(v, float) and np.isnan(v)) else v
        return None

    def add(node, when, stage, detail, table, row):
        t = _ts(when)
        if t is None or pd.isna(t):
            return
        rows.append({"member_ref": rd.ref_of(node) or "", "member": rd.label_of(node), "date": t, "stage": stage,
                     "label": STAGES[stage][0], "detail": rd.masker.text(detail), "table": table,
                     "row": None if row is None or pd.isna(row) else int(float(row)),
                     "source_file": source_of(rd.sources, table)[0]})

    for b in sorted(borrowers):
        add(b, prop(b, "first_overdue_on"), "first_overdue", f"overdue days now {prop(b, 'overdue_days') or '?'}",
            "borrowers", prop(b, "_row"))
    if len(edges):
        loans = edges[(edges["type"] == "HAS_LOAN") & edges["src"].isin(borrowers)]
        owner = dict(zip(loans["dst"], loans["src"]))
        for loan, b in owner.items():
            add(b, prop(loan, "applied_at"), "application",
                f"{loan.partition(':')[2]} {prop(loan, 'product') or ''} {prop(loan, 'amount') or ''}".strip(),
                "loans", prop(loan, "_row"))
        pay = edges[edges["type"].isin(["PAID", "REPAID"])]
        pay = pay.assign(_pri=(pay["type"] != "REPAID").astype(int)).sort_values(["_table", "_row", "_pri"])
        pay = pay.drop_duplicates(["_table", "_row"])
        for rec in pay.to_dict("records"):
            purpose = str(rec.get("purpose") or "")
            src, dst = rec["src"], rec["dst"]
            loan = rec.get("loan_id")
            loan = f"loan:{loan}" if isinstance(loan, str) and loan else (dst if dst.startswith("loan:") else None)
            if purpose == "loan_proceeds" and (dst in borrowers or loan in owner):
                add(owner.get(loan, dst), rec.get("paid_at"), "disbursement",
                    f"{rec.get('amount')} loan {(loan or '').partition(':')[2]}", rec.get("_table"), rec.get("_row"))
            elif rec["type"] == "REPAID" and dst in owner:
                b = owner[dst]
                who = "by the borrower" if rd.is_own(src, b) else f"by third party {rd.label_of(src)}"
                add(b, rec.get("paid_at"), "repayment", f"{rec.get('amount')} {who}", rec.get("_table"),
                    rec.get("_row"))
        pe = edges[(edges["type"] == "PHONE_EVENT") & edges["src"].isin(borrowers)]
        for rec in pe.to_dict("records"):
            ev = str(rec.get("event") or "")
            phone = rd.label_of(rec["dst"])
            if ev == "location":
                add(rec["src"], rec.get("at"), "seen", f"{phone} seen in {rec.get('city') or '?'}",
                    rec.get("_table"), rec.get("_row"))
            elif ev in ("bind", "unbind"):
                add(rec["src"], rec.get("at"), "binding", f"{ev} {phone}", rec.get("_table"), rec.get("_row"))
        about = edges[(edges["type"] == "ABOUT") & edges["dst"].isin(borrowers)]
        comp = []
        for c, b in about[["src", "dst"]].itertuples(index=False, name=None):
            comp.append((b, _ts(prop(c, "received_at")), c, str(prop(c, "channel") or ""), prop(c, "_row"),
                         str(prop(c, "demand") or "")))
        comp.sort(key=lambda x: (x[0], x[1] if not pd.isna(x[1]) else pd.Timestamp.max, x[2]))
        last: dict[str, int] = {}
        for b, t, c, ch, row, demand in comp:
            rank = _CHANNEL_RANK.get(ch, 1)
            esc = ch == "petition" or (b in last and rank > last[b])
            last[b] = max(rank, last.get(b, 0))
            add(b, t, "escalation" if esc else "complaint",
                f"{c.partition(':')[2]} via {ch or '?'}, demand {demand or '?'}", "complaints", row)
    out = pd.DataFrame(rows, columns=["member_ref", "member", "date", "stage", "label", "detail", "table", "row",
                                      "source_file"])
    out["row"] = out["row"].astype("Int64")
    order = {s: i for i, s in enumerate(STAGES)}
    out = out.assign(_o=out["stage"].map(order)).sort_values(["member_ref", "date", "_o"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def render_timeline(rd: RingData, events: pd.DataFrame, out_dir: str | Path, stem: str | None = None
                    ) -> tuple[Path, Path]:
    """Draw the swim lanes to ``timeline-<ring>.png`` and ``.svg`` (A4 landscape width); return both paths."""
    import matplotlib  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt  # lazy: matplotlib takes ~1 s to import; only diagrams need it
    from matplotlib import dates as mdates  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or f"timeline-{rd.ring_id}"
    lanes = list(dict.fromkeys(rd.borrower_nodes()["ref"]))
    first = events.groupby("member_ref")["date"].min()
    telling = events[~events["stage"].isin(["repayment"])].groupby("member_ref").size()
    hidden = max(0, len(lanes) - MAX_LANES)
    if hidden:      # keep the lanes with the most telling events (complaints, binds, overdue ...)
        lanes = sorted(lanes, key=lambda r: (-int(telling.get(r, 0)), r))[:MAX_LANES]
    lanes.sort(key=lambda r: (first.get(r, pd.Timestamp.max), r))
    label = dict(zip(rd.nodes["ref"], rd.nodes["label"]))
    ev = events[events["member_ref"].isin(lanes)]
    y = {r: i for i, r in enumerate(lanes)}
    h = min(7.6, 1.9 + 0.34 * max(len(lanes), 3))
    with plt.rc_context(matplotlib_rc()):
        fig, ax = plt.subplots(figsize=(11.69, h))
        for i in range(len(lanes)):
            if i % 2 == 0:
                ax.axhspan(i - 0.5, i + 0.5, color="#f3f3f3", zorder=0, lw=0)
        for stage, (lab, marker, colour) in STAGES.items():
            s = ev[ev["stage"] == stage]
            ax.scatter(s["date"].to_numpy(), s["member_ref"].map(y).to_numpy(), marker=marker, color=colour,
                       s=70 if marker != "." else 40, label=lab, zorder=2 if marker == "." else 3,
                       alpha=0.55 if marker == "." else 1.0,
                       edgecolors="black" if marker == "*" else "none", linewidths=0.4)
        ax.set_yticks(range(len(lanes)))
        ax.set_yticklabels([f"{r.rsplit('-', 1)[-1]}  {label.get(r, '')}" for r in lanes], fontsize=8)
        for t in ax.get_yticklabels():
            t.set_parse_math(False)
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=12))
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="#dddddd", lw=0.6, zorder=1)
        for sp in ("top", "right"):
            ax.spines[sp].set_visible(False)
        ax.set_title(f"{rd.ring_id} 时间线 timeline — one lane per borrower along the loan lifecycle",
                     fontsize=11, loc="left", parse_math=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False, title="stage 阶段",
                  title_fontsize=8)
        note = masking_statement(rd.reveal)
        if hidden:
            note += (f"  ·  {MAX_LANES} of {MAX_LANES + hidden} borrowers shown (most lifecycle events); "
                     f"all in timeline.csv")
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555", parse_math=False)
        fig.tight_layout(rect=(0, 0.03, 1, 1))

        png = inside(out_dir, f"{stem}.png")
        svg = inside(out_dir, f"{stem}.svg")
        fig.savefig(png, dpi=150, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None, "Creator": None})
        plt.close(fig)
    return png, svg
