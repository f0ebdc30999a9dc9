"""The ring's facts set beside the crimes and thresholds of DOMAIN.md (report section 四).

:func:`crime_table` returns one row per crime: article, the threshold the
report quotes, the figures computed from this ring, the ring's signals that
bear on it, and what the input data cannot show. It never says whether a
threshold is met or an offence made out: that is for the police,
procuratorate and courts, and every rendering carries :data:`DISCLAIMER`.

Examples
--------
>>> [c["article"] for c in CRIMES]
['266', '175-1', '193', '274', '253-1', '293', '280']
>>> import tempfile
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> from graphring.present.ringdata import load_ring
>>> from graphring.present.referral.amounts import ring_amounts
>>> rd = load_ring(demo_run(tempfile.mkdtemp()), "R0001")
>>> t = crime_table(rd, ring_amounts(rd))
>>> t.loc[t["article"] == "274", "figures"].iloc[0].splitlines()[0]
'compensation claimed 索赔: ¥35,000.00 in 1 complaint(s)'
>>> any(w in " ".join(t["figures"]) for w in ("meets", "exceeds", "构成", "guilty"))
False
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.present.referral.amounts import money
from graphring.present.ringdata import RingData

__all__ = ["CRIMES", "DISCLAIMER", "disclaimer", "crime_table", "complaint_stats"]

_DISCLAIMER_ZH = ("本表只把本团伙的数据事实与立案追诉标准并列，供办案人员参考。标准列于本表“立案追诉标准”一栏，"
                  "摘自2025年银行、法学院研究所与律师事务所联合发布的消费金融黑灰产研究报告第四部分（该报告不在本材料内）。"
                  "graphring 不作任何法律结论，是否构成犯罪由公安机关、检察机关和人民法院依法认定。")
_DISCLAIMER_EN = ("This table sets the ring's figures beside thresholds for opening a case, for the reader. The "
                  "thresholds are in this table's threshold column, as quoted in section 4 (第四部分) of the 2025 "
                  "research report on the consumer-finance black and grey industry by a bank, a law-school institute "
                  "and a law firm (not part of this pack). graphring draws NO legal conclusion: whether any offence is "
                  "made out is for the police, the procuratorate and the courts.")
#: Shown on every page that shows the crime table (both languages; :func:`disclaimer` gives one).
DISCLAIMER = _DISCLAIMER_ZH + " " + _DISCLAIMER_EN


def disclaimer(lang: str | None = None) -> str:
    """The disclaimer in one language (``None``: both).

    Examples
    --------
    >>> "第四部分" in disclaimer("zh") and "section 4" in disclaimer("en") and "threshold column" in DISCLAIMER
    True
    """
    return {"zh": _DISCLAIMER_ZH, "en": _DISCLAIMER_EN}.get(lang, DISCLAIMER)

#: The crime table of DOMAIN.md, with the signals that bear on each crime.
CRIMES = [
    {"crime": "诈骗罪 fraud", "article": "266", "threshold": "3,000–10,000 CNY (varies by region)",
     "typical": "forged certificates to make a lender waive a debt; agency takes fees for services never given",
     "signals": ["fabricated_hardship_claims", "shared_attachment", "stop_collection_then_no_repayment",
                 "activity_during_claimed_illness", "template_complaint_text"],
     "not_observable": "agency fees paid by borrowers; whether the claimed hardship is false"},
    {"crime": "骗取贷款罪 loan obtained by deception", "article": "175-1",
     "threshold": "direct loss ≥ 500,000 CNY, or other serious circumstances (repeated)",
     "typical": "packaged qualifications without intent to keep the money",
     "signals": ["payroll_to_thin_file", "payroll_before_loan", "counterparty_sister_shell", "circular_trade_flows",
                 "shells_share_registration", "recent_incorporation", "officer_concentration",
                 "default_after_packaging", "multi_product_burst"],
     "not_observable": "the lender's final loss after recovery; falsity of application documents"},
    {"crime": "贷款诈骗罪 loan fraud", "article": "193", "threshold": "≥ 50,000 CNY with intent to possess",
     "typical": "debt carriers, fake contracts and certificates",
     "signals": ["third_party_repayment", "multi_product_burst", "shared_broker_device", "layered_intermediaries",
                 "default_after_packaging", "payroll_to_thin_file"],
     "not_observable": "intent to possess (非法占有目的); where the proceeds went beyond the listed payments"},
    {"crime": "敲诈勒索罪 extortion", "article": "274", "threshold": "2,000–5,000 CNY, or repeated (多次)",
     "typical": "threats of complaints to extract waivers or compensation",
     "signals": ["compensation_close_to_debts", "apology_then_compensation", "escalation_to_petition",
                 "high_co_debt_then_default", "shared_agent"],
     "not_observable": "threats made outside the complaint records; amounts actually waived or paid"},
    {"crime": "侵犯公民个人信息罪 infringing personal information", "article": "253-1",
     "threshold": "serious circumstances (quantity of records)",
     "typical": "agencies collecting borrowers' data",
     "signals": ["hub_complaint_phone", "shared_agent", "sim_in_agency_city", "unbind_rebind_before_complaint",
                 "foreign_complaint_phone"],
     "not_observable": "the agency's own records; how the data was obtained"},
    {"crime": "寻衅滋事罪 picking quarrels", "article": "293", "threshold": "serious disorder, incl. online",
     "typical": "organised online incitement to evade debts",
     "signals": ["escalation_to_petition", "template_complaint_text", "hub_complaint_phone"],
     "not_observable": "online posts and incitement (not in lending data)"},
    {"crime": "伪造、变造、买卖国家机关公文、证件、印章罪 forging official documents and seals", "article": "280",
     "threshold": "no amount; a danger offence",
     "typical": "forged hospital/agency seals, fake police filing notices",
     "signals": ["shared_attachment", "fabricated_hardship_claims"],
     "not_observable": "the documents themselves (only their content hashes are in the data)"},
]


def complaint_stats(rd: RingData) -> dict:
    """Counts over the complaints about the ring's borrowers (channels, demands, reasons)."""
    edges = rd.edges
    props = rd.node_props.drop_duplicates("node").set_index("node") if len(rd.node_props) else pd.DataFrame()
    borrowers = set(rd.borrower_nodes()["node"])
    if not len(edges):
        return {"n": 0, "borrowers": 0, "max_per_borrower": 0, "channel": {}, "demand": {}, "reason": {}}
    about = edges[(edges["type"] == "ABOUT") & edges["dst"].isin(borrowers)].drop_duplicates(["src"])

    def col(name):
        if name not in props.columns:
            return pd.Series([""] * len(about), dtype=object)
        return about["src"].map(props[name]).fillna("").astype(str)

    per = about.groupby("dst").size()
    return {"n": int(len(about)), "borrowers": int(about["dst"].nunique()),
            "max_per_borrower": int(per.max()) if len(per) else 0,
            "channel": col("channel").value_counts().to_dict(), "demand": col("demand").value_counts().to_dict(),
            "reason": col("claimed_reason").value_counts().to_dict()}


def _fmt_counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: (-kv[1], kv[0])) if k) or "none"


def crime_table(rd: RingData, amounts: pd.DataFrame) -> pd.DataFrame:
    """One row per crime of :data:`CRIMES` with this ring's figures (no conclusion drawn)."""
    sig = {s["name"]: s for s in rd.ring.get("signals", [])}
    ev = rd.evidence
    cs = complaint_stats(rd)
    a = amounts
    nb = len(rd.borrower_nodes())

    def total(cat, mask=None):
        s = a[a["category"] == cat]
        if mask is not None:
            s = s[mask(s).astype(bool).to_numpy()]  # an empty object mask would select columns
        return float(s["amount"].sum()), int(len(s)), int(s["member_ref"].nunique())

    def nev(name):
        return int((ev["signal"] == name).sum()), int(ev.loc[ev["signal"] == name, "borrower"].nunique())

    bad = a["detail"].str.contains("overdue|charged_off", regex=True, na=False)
    loans = a[a["category"] == "loan"]
    defaulted = loans[bad.reindex(loans.index, fill_value=False)]
    per_b = defaulted.groupby("member_ref")["amount"].sum()
    out_total, _, out_n = total("outstanding")
    loan_total, loan_n, loan_b = total("loan")
    comp_total, comp_n, _ = total("compensation")
    third_total, third_n, third_b = total("repayment", lambda s: s["third_party"])
    demand = cs["demand"]
    waive = sum(demand.get(k, 0) for k in ("stop_collection", "waive_interest", "reduce_principal"))
    hard_n, hard_b = nev("fabricated_hardship_claims")
    att = rd.nodes[rd.nodes["kind"] == "attachment"]
    att_b = rd.links[rd.links["link"] == "attachment"]["src"].nunique()
    hub = rd.links[rd.links["link"].isin(["complaint_phone", "agent"])]
    hub_b = hub["src"].nunique()
    sim_n, sim_b = nev("sim_in_agency_city")
    rebind_n, rebind_b = nev("unbind_rebind_before_complaint")
    petitions = cs["channel"].get("petition", 0)
    esc_n, esc_b = nev("escalation_to_petition")
    tmpl_b = rd.links[rd.links["link"] == "template"]["src"].nunique()

    figures = {
        "266": [f"outstanding balances 欠款余额: {money(out_total)} across {out_n} borrower(s)",
                f"complaints demanding stop collection / waiver / reduction 停催减免诉求: {waive} of {cs['n']}",
                f"hardship claims backed by a shared document or letter: {hard_n} ({hard_b} borrowers); "
                f"reasons: {_fmt_counts(cs['reason'])}"],
        "175-1": [f"loan principal 贷款本金: {money(loan_total)} in {loan_n} loan(s) of {loan_b} borrower(s)",
                  f"principal of loans now overdue or charged off: {money(defaulted['amount'].sum())} "
                  f"in {len(defaulted)} loan(s)",
                  f"outstanding balances 欠款余额: {money(out_total)}"],
        "193": [f"principal of loans now overdue or charged off: {money(defaulted['amount'].sum())}",
                f"largest such principal of one borrower: {money(per_b.max() if len(per_b) else np.nan) or '—'}",
                f"repayments by third parties 代偿: {money(third_total) or '¥0.00'} in {third_n} payment(s) "
                f"for {third_b} borrower(s)"],
        "274": [f"compensation claimed 索赔: {money(comp_total) or '¥0.00'} in {comp_n} complaint(s)",
                f"complaints 投诉: {cs['n']} about {cs['borrowers']} borrower(s), at most {cs['max_per_borrower']} "
                f"per borrower; demands: {_fmt_counts(demand)}",
                f"escalations to petition 信访升级: {esc_n} evidence row(s), {petitions} petition(s)"],
        "253-1": [f"borrowers whose complaints came through one shared number or agent: {hub_b} of {nb}",
                  f"borrowers' own numbers seen in the agency's city: {sim_b}; phones unbound and rebound "
                  f"before a complaint: {rebind_b}",
                  f"complaint channels: {_fmt_counts(cs['channel'])}"],
        "293": [f"complaints through regulator or petition channels: "
                f"{cs['channel'].get('regulator', 0) + petitions} of {cs['n']}",
                f"borrowers sending near-identical letters 雷同文书: {tmpl_b}",
                f"escalations to petition: {esc_b} borrower(s)"],
        "280": [f"identical attachments across borrowers 相同附件: {len(att)} document(s) on complaints of "
                f"{att_b} borrower(s)",
                f"hardship claims backed by a shared document: {hard_n}; reasons: {_fmt_counts(cs['reason'])}"],
    }
    rows = []
    for c in CRIMES:
        found = [f"{s} ({sig[s]['strength']:.2f})" for s in c["signals"] if s in sig]
        rows.append({"crime": c["crime"], "article": c["article"], "threshold": c["threshold"],
                     "figures": "\n".join(figures[c["article"]]), "signals": ", ".join(found) or "none in this ring",
                     "typical": c["typical"], "not_observable": c["not_observable"]})
    return pd.DataFrame(rows)
