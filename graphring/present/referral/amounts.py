"""Amounts involved in a ring: balances, loans, money movements and compensation claimed.

:func:`ring_amounts` returns one row per amount with the member it belongs to
and the input row it comes from; :func:`amount_totals` sums them by category.

Categories
----------
``outstanding``      a borrower's outstanding balance (``borrowers.outstanding``)
``loan``             a loan's principal (``loans.amount``), with product and status
``disbursement``     loan proceeds paid to a member (``payments`` with purpose ``loan_proceeds``)
``repayment``        a repayment (``payments`` with a ``loan_id`` or purpose ``repayment``);
                     ``third_party`` is true when the payer is not the loan's borrower
``payment``          any other payment to or from a member (salary, trade, other)
``compensation``     compensation claimed in a complaint (``claimed_amount`` column if the
                     input has one, else the largest ``... 元`` / ``... 万元`` figure in the text)

Examples
--------
>>> claimed_amount("要求赔偿精神损失费共计3.5万元，另加2000元")
35000.0
>>> import tempfile
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> from graphring.present.ringdata import load_ring
>>> rd = load_ring(demo_run(tempfile.mkdtemp()), "R0001")
>>> t = amount_totals(ring_amounts(rd))
>>> float(t.loc["outstanding", "amount"]), int(t.loc["loan", "count"])
(130500.0, 6)
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from graphring.present.fmt import claimed_amount, money  # the one parser and formatter; names kept here
from graphring.present.ringdata import RingData, source_of

__all__ = ["ring_amounts", "amount_totals", "member_amounts", "claimed_amount", "CATEGORIES", "money"]

CATEGORIES = {"outstanding": "欠款余额 outstanding balance", "loan": "贷款金额 loan principal",
              "disbursement": "放款 disbursement", "repayment": "还款 repayment",
              "payment": "其他资金往来 other payment", "compensation": "索赔金额 compensation claimed"}

def _num(v) -> float:
    try:
        return float(str(v).replace(",", "").replace("¥", ""))
    except (TypeError, ValueError):
        return np.nan


def _date(v) -> str:
    if v is None:
        return ""
    t = pd.to_datetime(v, errors="coerce") if not isinstance(v, pd.Timestamp) else v
    return "" if t is None or pd.isna(t) else t.strftime("%Y-%m-%d")


def ring_amounts(rd: RingData) -> pd.DataFrame:
    """One row per amount involving the ring (see the module docstring).

    Columns: ``category, member_ref, member, counterparty, amount, date, detail,
    third_party, table, row, source_file``. Member and counterparty labels are
    masked unless the ring was loaded with ``reveal``.
    """
    props = rd.node_props.drop_duplicates("node").set_index("node") if len(rd.node_props) else pd.DataFrame()
    edges = rd.edges
    members = set(rd.nodes["node"])
    borrowers = set(rd.borrower_nodes()["node"])
    rows: list[dict] = []

    def prop(node, name):
        if node in props.index and name in props.columns:
            v = props.at[node, name]
            return None if v is None or (isinstance(v, float) and np.isnan(v)) else v
        return None

    def add(cat, node, amount, date="", detail="", table=None, row=None, counterparty="", third=False):
        if np.isnan(amount):
            return
        rows.append({"category": cat, "member_ref": rd.ref_of(node) or "", "member": rd.label_of(node),
                     "counterparty": counterparty, "amount": float(amount), "date": date, "detail": rd.masker.text(detail),
                     "third_party": bool(third), "table": table or "",
                     "row": None if row is None or pd.isna(row) else int(row),
                     "source_file": source_of(rd.sources, table)[0]})

    for b in sorted(borrowers):
        add("outstanding", b, _num(prop(b, "outstanding")), _date(prop(b, "first_overdue_on")),
            f"overdue days {prop(b, 'overdue_days') or '?'}", "borrowers", _num(prop(b, "_row")))
    loan_owner: dict[str, str] = {}
    if len(edges):
        hl = edges[(edges["type"] == "HAS_LOAN") & edges["src"].isin(borrowers)]
        for src, dst, row in hl[["src", "dst", "_row"]].itertuples(index=False, name=None):
            loan_owner[dst] = src
            add("loan", src, _num(prop(dst, "amount")), _date(prop(dst, "applied_at")),
                f"{dst.partition(':')[2]} {prop(dst, 'product') or ''} {prop(dst, 'status') or ''}".strip(),
                "loans", _num(prop(dst, "_row")))
        loan_ids = {k.partition(":")[2] for k in loan_owner}
        lid = edges["loan_id"].astype(str) if "loan_id" in edges.columns else pd.Series("", index=edges.index)
        pay = edges[edges["type"].isin(["PAID", "REPAID"]) & (edges["src"].isin(members) | edges["dst"].isin(members)
                                                              | edges["dst"].isin(loan_owner.keys())
                                                              | lid.isin(loan_ids))]
        pay = pay.assign(_pri=(pay["type"] != "PAID").astype(int)).sort_values(["_table", "_row", "_pri"])
        pay = pay.drop_duplicates(["_table", "_row"])
        for rec in pay.to_dict("records"):
            purpose = str(rec.get("purpose") or "")
            purpose = "" if purpose in ("nan", "None", "<NA>") else purpose
            loan = rec.get("loan_id")
            loan = None if loan is None or (isinstance(loan, float) and np.isnan(loan)) else str(loan)
            src, dst = rec["src"], rec["dst"]
            if dst.startswith("loan:"):
                loan = loan or dst.partition(":")[2]
            owner = loan_owner.get(f"loan:{loan}") if loan else None
            if purpose == "loan_proceeds":
                cat, node, other = "disbursement", (owner or dst), src
            elif purpose == "repayment" or rec["type"] == "REPAID":
                cat, node, other = "repayment", (owner or src), src
            else:
                cat, node, other = "payment", (src if src in members else dst), (dst if src in members else src)
            third = cat == "repayment" and owner is not None and not rd.is_own(src, owner)
            add(cat, node, _num(rec.get("amount")), _date(rec.get("paid_at")),
                " ".join(x for x in (purpose, f"loan {loan}" if loan else "",
                                     "paid by a third party" if third else "") if x),
                rec.get("_table"), rec.get("_row"), counterparty=rd.label_of(other) if other != node else "",
                third=third)
        about = edges[(edges["type"] == "ABOUT") & edges["dst"].isin(borrowers)]
        for c, b in about[["src", "dst"]].itertuples(index=False, name=None):
            if str(prop(c, "demand") or "") != "compensation":
                continue
            amt = _num(prop(c, "claimed_amount"))
            if np.isnan(amt):
                amt = _num(prop(c, "x:claimed_amount"))
            how = "claimed_amount column"
            if np.isnan(amt):
                amt, how = claimed_amount(prop(c, "text")), "figure in the complaint text"
            add("compensation", b, amt, _date(prop(c, "received_at")), f"{c.partition(':')[2]} ({how})",
                "complaints", _num(prop(c, "_row")))
    out = pd.DataFrame(rows, columns=["category", "member_ref", "member", "counterparty", "amount", "date", "detail",
                                      "third_party", "table", "row", "source_file"])
    out["row"] = out["row"].astype("Int64")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out = out.assign(_o=out["category"].map(order)).sort_values(["_o", "member_ref", "date", "row"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def amount_totals(amounts: pd.DataFrame) -> pd.DataFrame:
    """Count, sum and members per category (index: category, in :data:`CATEGORIES` order)."""
    g = amounts.groupby("category")
    t = pd.DataFrame({"count": g.size(), "amount": g["amount"].sum().round(2), "members": g["member_ref"].nunique()})
    t = t.reindex(list(CATEGORIES)).fillna(0)
    t["count"] = t["count"].astype(int)
    t["members"] = t["members"].astype(int)
    t.insert(0, "label", [CATEGORIES[c] for c in t.index])
    third = amounts[(amounts["category"] == "repayment") & amounts["third_party"]]
    t.loc["repayment", "third_party_amount"] = round(float(third["amount"].sum()), 2)
    t["third_party_amount"] = t["third_party_amount"].fillna(0.0)
    return t


def member_amounts(amounts: pd.DataFrame) -> pd.DataFrame:
    """One row per member: outstanding, loans (count, principal), disbursed, repaid (all / by third parties),
    compensation claimed -- the printable summary of :func:`ring_amounts`.

    Examples
    --------
    >>> a = pd.DataFrame({"category": ["loan", "loan", "repayment"], "member_ref": ["N1", "N1", "N1"],
    ...                   "member": ["B*1"] * 3, "amount": [100.0, 50.0, 10.0], "third_party": [False, False, True]})
    >>> member_amounts(a)[["member_ref", "loans", "loan", "repayment", "third_party_repayment"]].values.tolist()
    [['N1', 2, 150.0, 10.0, 10.0]]
    """
    cols = ["member_ref", "member", "outstanding", "loans", "loan", "disbursement", "repayment",
            "third_party_repayment", "compensation"]
    if not len(amounts):
        return pd.DataFrame(columns=cols)
    piv = amounts.pivot_table(index=["member_ref", "member"], columns="category", values="amount", aggfunc="sum",
                              fill_value=0.0)
    for c in CATEGORIES:
        if c not in piv.columns:
            piv[c] = 0.0
    out = piv.reset_index()
    n = amounts[amounts["category"] == "loan"].groupby("member_ref").size()
    tp = amounts[(amounts["category"] == "repayment") & amounts["third_party"]].groupby("member_ref")["amount"].sum()
    out["loans"] = out["member_ref"].map(n).fillna(0).astype(int)
    out["third_party_repayment"] = out["member_ref"].map(tp).fillna(0.0)
    return out[cols].sort_values("member_ref", kind="stable").reset_index(drop=True)
