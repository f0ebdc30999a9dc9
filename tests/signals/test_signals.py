"""Each signal on small hand-made cases: fires on its trace, silent on its benign look-alike."""

from __future__ import annotations

import pandas as pd
import pytest

from graphring import signals as S
from helpers import borrowers, context

TEMPLATE = ("尊敬的领导：本人{name}于{date}在贵平台借款{amt}元，因催收人员暴力催收，严重影响本人及家人正常生活，"
            "现要求贵司立即停止一切催收行为，并减免全部罚息，否则本人将向银保监会进一步投诉！！望贵司重视。")
OWN_WORDS = [
    "我最近生病住院了，工资也停发了，实在没办法按时还，希望能宽限几个月。",
    "催收的人天天打我单位电话，同事都知道了，我很难受，请你们不要再打了。",
    "家里老人摔伤了花了很多钱，这个月的款能不能晚点还，我一定会还的。",
    "利息太高了，我算了一下年化超过了百分之三十，要求你们重新计算。",
    "我的身份证被别人冒用了，这笔贷款不是我借的，请你们核查。",
]


def _complaints(ids, phone=None, texts=None, **kw):
    rows = []
    for i, b in enumerate(ids):
        r = {"complaint_id": f"C{b}", "borrower_id": b, "received_at": f"2025-03-{10 + i % 15:02d}",
             "channel": "regulator", "demand": "stop_collection", **kw}
        if phone:
            r["complainant_phone"] = phone
        if texts is not None:
            r["text"] = texts[i]
        rows.append(r)
    return rows


def _fired(ev: pd.DataFrame, ring: int) -> set:
    return set(ev.loc[ev["ring"] == ring, "borrower"].dropna())


def test_hub_complaint_phone_fires_on_agency_and_not_on_own_phone(tmp_path):
    b = borrowers(10)
    for x in b[:6]:
        x["overdue_days"] = 120  # the agency's clients stop repaying
    ring = [x["borrower_id"] for x in b[:6]]
    honest = [x["borrower_id"] for x in b[6:]]
    comp = _complaints(ring, phone="13512345678") + [
        {"complaint_id": f"C{x['borrower_id']}", "borrower_id": x["borrower_id"], "complainant_phone": x["phone"]}
        for x in b[6:]]
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp}, {1: ring, 2: honest})
    ev = S.hub_complaint_phone(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()
    # every evidence row points back to a complaint row in the input
    assert set(ev["table"]) == {"complaints"} and ev["row"].min() >= 2


def test_hub_complaint_phone_silent_on_legal_aid_line_whose_clients_keep_repaying(tmp_path):
    """Same hotline for everyone, own words, nothing shared: the agency trace needs clients who stop paying."""
    b = borrowers(12)
    agency = [x["borrower_id"] for x in b[:6]]
    aid = [x["borrower_id"] for x in b[6:]]
    for x in b[:6]:
        x["overdue_days"] = 90
    loans = [{"loan_id": f"L{x['borrower_id']}", "borrower_id": x["borrower_id"], "amount": 8000,
              "status": "overdue" if i < 6 else "current"} for i, x in enumerate(b)]
    # legal-aid clients repay after the centre calls for them; the agency's clients never do
    pays = [{"payer": f"62220200000000{i:05d}", "payee": "91350100M000100Y43", "amount": 700,
             "paid_at": "2025-04-28", "purpose": "repayment", "loan_id": f"L{h}"} for i, h in enumerate(aid)]
    texts = OWN_WORDS + ["我想申请分期还款，请给我一个方案。"]
    comp = _complaints(agency, phone="13512345678", texts=texts) + \
        [dict(r, complaint_id="A" + r["complaint_id"]) for r in _complaints(aid, phone="01012348888", texts=texts)]
    ctx = context(tmp_path, {"borrowers": b, "loans": loans, "payments": pays, "complaints": comp},
                  {1: agency, 2: aid})
    ev = S.hub_complaint_phone(ctx)
    assert _fired(ev, 1) == set(agency)
    assert _fired(ev, 2) == set()
    assert S.foreign_complaint_phone(ctx).query("ring == 2").shape[0] == 6  # the weak trace is still recorded


def test_officer_concentration_is_tested_against_the_local_branch(tmp_path):
    """An insider handling a ring recruited across cities fires; a local group served by its city's officer does not."""
    cities = ["北京", "上海", "广州", "成都", "西安", "武汉"]
    b = borrowers(6, prefix="R")  # the ring: one borrower in each of six cities
    for i, x in enumerate(b):
        x["city"] = cities[i]
    local = borrowers(6, prefix="H")  # six neighbours in one town with one branch
    for x in local:
        x["city"] = "兰州"
    rest = borrowers(72, prefix="X")  # the rest of the portfolio: ten other loans per city, other officers
    for i, x in enumerate(rest):
        x["city"] = (cities + ["兰州"])[i % 7] if i < 70 else "兰州"
    loans = [{"loan_id": f"L{x['borrower_id']}", "borrower_id": x["borrower_id"], "amount": 50000,
              "officer_id": "E-INSIDER"} for x in b]
    loans += [{"loan_id": f"L{x['borrower_id']}", "borrower_id": x["borrower_id"], "amount": 5000,
               "officer_id": "E-LZ"} for x in local]
    loans += [{"loan_id": f"L{x['borrower_id']}", "borrower_id": x["borrower_id"], "amount": 5000,
               "officer_id": "E-LZ" if x["city"] == "兰州" else f"E-{x['city']}"} for x in rest]
    ring, town = [x["borrower_id"] for x in b], [x["borrower_id"] for x in local]
    ctx = context(tmp_path, {"borrowers": b + local + rest, "loans": loans}, {1: ring, 2: town})
    ev = S.officer_concentration(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()  # the Lanzhou officer handles every Lanzhou loan: no surprise
    assert set(ev["table"]) == {"loans"} and ev["key"].notna().all()


def test_template_text_fires_on_template_and_not_on_own_words(tmp_path):
    b = borrowers(10)
    ring = [x["borrower_id"] for x in b[:5]]
    honest = [x["borrower_id"] for x in b[5:]]
    texts = [TEMPLATE.format(name=x["name"], date=f"2024年{i + 1}月3日", amt=3000 + 1117 * i) for i, x in enumerate(b[:5])]
    comp = _complaints(ring, texts=texts) + _complaints(honest, texts=OWN_WORDS)
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp}, {1: ring, 2: honest})
    ev = S.template_complaint_text(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()


def test_template_text_needs_three_letter_writers(tmp_path):
    # two members of a family (and a friend) sent the same letter: a couple copying each other is not a script
    b = borrowers(6)
    pair = [x["borrower_id"] for x in b[:3]]
    three = [x["borrower_id"] for x in b[3:]]
    texts = [TEMPLATE.format(name=x["name"], date=f"2024年{i + 1}月3日", amt=3000 + 1117 * i) for i, x in enumerate(b)]
    comp = _complaints(pair[:2], texts=texts[:2]) + _complaints(three, texts=texts[3:])
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp}, {1: pair, 2: three})
    ev = S.template_complaint_text(ctx)
    assert _fired(ev, 1) == set()  # silent on two letters
    assert _fired(ev, 2) == set(three)  # fires on three


def test_shared_attachment_and_agent(tmp_path):
    b = borrowers(8)
    ring = [x["borrower_id"] for x in b[:4]]
    honest = [x["borrower_id"] for x in b[4:]]
    comp = _complaints(ring, attachments="ab12cd34ef;99ff", agent="王律师") + [
        {"complaint_id": f"C{h}", "borrower_id": h, "attachments": f"{i:08x}"} for i, h in enumerate(honest)]
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp}, {1: ring, 2: honest})
    assert _fired(S.shared_attachment(ctx), 1) == set(ring)
    assert _fired(S.shared_attachment(ctx), 2) == set()
    assert _fired(S.shared_agent(ctx), 1) == set(ring)


def test_sim_in_agency_city_needs_several_members_in_one_foreign_city(tmp_path):
    b = borrowers(8)
    ring = [x["borrower_id"] for x in b[:4]]
    honest = [x["borrower_id"] for x in b[4:]]
    ev_rows = [{"borrower_id": x["borrower_id"], "phone": x["phone"], "event": "location",
                "at": "2025-02-01 10:00:00", "city": "莆田"} for x in b[:4]]
    # one honest traveller: alone in his city, never a trace
    ev_rows.append({"borrower_id": b[4]["borrower_id"], "phone": b[4]["phone"], "event": "location",
                    "at": "2025-02-01", "city": "三亚"})
    ctx = context(tmp_path, {"borrowers": b, "phone_events": ev_rows}, {1: ring, 2: honest})
    ev = S.sim_in_agency_city(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()


def test_unbind_rebind_before_complaint(tmp_path):
    b = borrowers(6)
    ring = [x["borrower_id"] for x in b[:3]]
    honest = [x["borrower_id"] for x in b[3:]]
    pe = []
    for x in b[:3]:
        pe += [{"borrower_id": x["borrower_id"], "phone": x["phone"], "event": "unbind", "at": "2025-03-01"},
               {"borrower_id": x["borrower_id"], "phone": "13700000001", "event": "bind", "at": "2025-03-02"}]
    # an honest number change a year before any complaint
    pe += [{"borrower_id": b[3]["borrower_id"], "phone": b[3]["phone"], "event": "unbind", "at": "2024-01-01"},
           {"borrower_id": b[3]["borrower_id"], "phone": "13700000009", "event": "bind", "at": "2024-01-02"}]
    comp = _complaints(ring + honest)
    ctx = context(tmp_path, {"borrowers": b, "phone_events": pe, "complaints": comp}, {1: ring, 2: honest})
    ev = S.unbind_rebind_before_complaint(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()


def test_stop_collection_then_no_repayment_silent_when_repaid(tmp_path):
    b = borrowers(6)
    for x in b[:3]:
        x["overdue_days"] = 90
    ring = [x["borrower_id"] for x in b[:3]]
    honest = [x["borrower_id"] for x in b[3:]]
    loans = [{"loan_id": f"L{x['borrower_id']}", "borrower_id": x["borrower_id"], "amount": 5000,
              "status": "overdue" if i < 3 else "current"} for i, x in enumerate(b)]
    pays = [{"payer": h, "payee": "91350100M000100Y43", "amount": 500, "paid_at": "2025-04-20",
             "purpose": "repayment", "loan_id": f"L{h}"} for h in honest]
    ctx = context(tmp_path, {"borrowers": b, "complaints": _complaints(ring + honest), "loans": loans,
                             "payments": pays}, {1: ring, 2: honest})
    ev = S.stop_collection_then_no_repayment(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()


def test_activity_during_claimed_illness(tmp_path):
    b = borrowers(4)
    ring = [x["borrower_id"] for x in b[:2]]
    honest = [x["borrower_id"] for x in b[2:]]
    comp = _complaints(ring + honest, claimed_reason="illness")
    dev = [{"borrower_id": r, "device_id": f"dev-{r}", "seen_at": "2025-03-12 20:00:00"} for r in ring]
    dev += [{"borrower_id": h, "device_id": f"dev-{h}", "seen_at": "2024-06-01 20:00:00"} for h in honest]
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp, "devices": dev}, {1: ring, 2: honest})
    ev = S.activity_during_claimed_illness(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()


def test_malicious_claim_signals(tmp_path):
    b = borrowers(6)
    for x in b:
        x["co_debt_lenders"] = 9
        x["first_overdue_on"] = "2025-01-05"
        x["outstanding"] = 120000
    ring = [x["borrower_id"] for x in b[:3]]
    honest = [x["borrower_id"] for x in b[3:]]
    comp = []
    for r in ring:
        comp += [{"complaint_id": f"A{r}", "borrower_id": r, "channel": "hotline", "demand": "apology",
                  "received_at": "2025-02-01"},
                 {"complaint_id": f"B{r}", "borrower_id": r, "channel": "petition", "demand": "compensation",
                  "received_at": "2025-03-01", "text": "要求赔偿精神损失费共计125,000元"}]
    for h in honest:
        comp.append({"complaint_id": f"H{h}", "borrower_id": h, "channel": "hotline", "demand": "installment",
                     "received_at": "2025-02-01"})
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp}, {1: ring, 2: honest})
    assert _fired(S.escalation_to_petition(ctx), 1) == set(ring)
    assert _fired(S.compensation_close_to_debts(ctx), 1) == set(ring)
    assert _fired(S.apology_then_compensation(ctx), 1) == set(ring)
    for f in (S.escalation_to_petition, S.compensation_close_to_debts, S.apology_then_compensation):
        assert _fired(f(ctx), 2) == set()


def _uscc(body: str) -> str:
    from graphring.normalize import uscc_check_char

    return body + uscc_check_char(body)


def _shell_case(tmp_path, **extra):
    """Five thin-file staff of three shells that pay each other in a circle; five staff of a big employer.

    ``extra`` tables are added to the input (``complaints=[...]``).
    """
    b = borrowers(10, credit_file="thin")
    for x in b[5:]:
        x["credit_file"] = "normal"  # a real employer's staff: not all thin-file
    ring = [x["borrower_id"] for x in b[:5]]
    honest = [x["borrower_id"] for x in b[5:]]
    s1, s2, s3 = _uscc("91440300MA5F00001"), _uscc("91440300MA5F00002"), _uscc("91440300MA5F00003")
    big = _uscc("91110000100000000")
    companies = [{"uscc": s, "name": f"壳公司{i}", "address": "深圳市福田区某大厦1808", "incorporated_on": "2024-11-01",
                  "registration_agent": "速达代账"} for i, s in enumerate((s1, s2, s3))]
    companies.append({"uscc": big, "name": "大型国企", "address": "北京市西城区", "incorporated_on": "1995-01-01",
                      "registration_agent": "普华会计"})
    roles = [{"uscc": s1 if i % 2 else s2, "person_id": r, "role": "employee", "monthly_salary": 8000,
              "social_insurance": "true"} for i, r in enumerate(ring)]
    roles += [{"uscc": big, "person_id": h, "role": "employee", "monthly_salary": 9000} for h in honest]
    loans = [{"loan_id": f"L{r}", "borrower_id": r, "amount": 300000, "applied_at": "2025-03-01",
              "employer_uscc": s1, "counterparty_uscc": s3, "officer_id": "OFF1"} for r in ring]
    loans += [{"loan_id": f"L{h}", "borrower_id": h, "amount": 50000, "applied_at": "2025-03-01",
               "employer_uscc": big, "officer_id": f"OFF{i + 2}"} for i, h in enumerate(honest)]
    loans += [{"loan_id": f"X{i}", "borrower_id": honest[i % 5], "amount": 1000, "officer_id": f"OFF{10 + i}"}
              for i in range(40)]
    pays = [{"payer": s1, "payee": s2, "amount": 100000, "paid_at": "2025-01-01", "purpose": "trade"},
            {"payer": s2, "payee": s3, "amount": 99000, "paid_at": "2025-01-02", "purpose": "trade"},
            {"payer": s3, "payee": s1, "amount": 98000, "paid_at": "2025-01-03", "purpose": "trade"}]
    ctx = context(tmp_path, {"borrowers": b, "companies": companies, "company_roles": roles, "loans": loans,
                             "payments": pays, **extra}, {1: ring, 2: honest})
    return ctx, ring, honest


def test_shell_company_signals(tmp_path):
    ctx, ring, honest = _shell_case(tmp_path)
    assert len(S.shells_share_registration(ctx).query("ring == 1")) >= 2
    assert len(S.recent_incorporation(ctx).query("ring == 1")) >= 1
    assert len(S.circular_trade_flows(ctx).query("ring == 1")) == 3
    assert _fired(S.payroll_to_thin_file(ctx), 1) == set(ring)
    assert _fired(S.counterparty_sister_shell(ctx), 1) == set(ring)
    assert _fired(S.officer_concentration(ctx), 1) == set(ring)
    for f in (S.shells_share_registration, S.recent_incorporation, S.circular_trade_flows,
              S.payroll_to_thin_file, S.counterparty_sister_shell, S.officer_concentration):
        assert len(f(ctx).query("ring == 2")) == 0, f.__name__


def test_debt_carrier_signals_and_family_device_is_silent(tmp_path):
    b = borrowers(9, credit_file="thin")
    carriers = [x["borrower_id"] for x in b[:4]]
    family = [x["borrower_id"] for x in b[4:7]]
    for x in b[4:7]:
        x["city"] = "杭州"  # a family lives together
    loans, pays, dev = [], [], []
    for r in carriers:
        for j, prod in enumerate(("car", "mortgage", "consumer", "business")):
            loans.append({"loan_id": f"L{r}{j}", "borrower_id": r, "product": prod, "amount": 100000,
                          "applied_at": f"2025-05-0{j + 1}", "status": "charged_off", "intermediary": "老刘"})
        pays.append({"payer": "6222020000000000001", "payee": "91350100M000100Y43", "amount": 3000,
                     "paid_at": "2025-06-01", "purpose": "repayment", "loan_id": f"L{r}0"})
        dev.append({"borrower_id": r, "device_id": "490154203237518", "seen_at": "2025-05-01"})
    for f in family:
        dev.append({"borrower_id": f, "device_id": "356938035643809", "seen_at": "2025-05-01"})
        loans.append({"loan_id": f"L{f}", "borrower_id": f, "product": "consumer", "amount": 5000,
                      "applied_at": "2025-01-01", "status": "current"})
    ctx = context(tmp_path, {"borrowers": b, "loans": loans, "payments": pays, "devices": dev},
                  {1: carriers, 2: family})
    assert _fired(S.multi_product_burst(ctx), 1) == set(carriers)
    assert _fired(S.third_party_repayment(ctx), 1) == set(carriers)
    assert _fired(S.shared_broker_device(ctx), 1) == set(carriers)
    assert _fired(S.default_after_packaging(ctx), 1) == set(carriers)
    for f in (S.multi_product_burst, S.third_party_repayment, S.shared_broker_device, S.default_after_packaging):
        assert _fired(f(ctx), 2) == set(), f.__name__


def test_run_signals_same_with_and_without_the_second_thread(tmp_path):
    """The company lane runs beside the others; the evidence and strengths do not depend on it."""
    ring = [x["borrower_id"] for x in borrowers(5)]
    texts = [TEMPLATE.format(name=r, date="2024年5月1日", amt=2000 + 999 * i) for i, r in enumerate(ring)]
    comp = _complaints(ring, phone="13512345678", texts=texts, attachments="deadbeef01")
    runs = []
    for threads in (1, 2):
        ctx, _, _ = _shell_case(tmp_path / f"t{threads}", complaints=comp)
        runs.append(S.run_signals(ctx, threads=threads))
    (ev1, st1), (ev2, st2) = runs
    assert len(ev1) and set(ev1["signal"]) & S.COMPANY_LANE and set(ev1["signal"]) - S.COMPANY_LANE
    pd.testing.assert_frame_equal(ev1, ev2, check_exact=True)
    pd.testing.assert_frame_equal(st1, st2, check_exact=True)


def test_legal_aid_line_scores_low_and_agency_high(tmp_path):
    """The benign look-alike: one hotline for many, but own words, nothing shared, repaid."""
    from graphring.score.scoring import score
    from graphring.signals import run_signals

    b = borrowers(12)
    agency = [x["borrower_id"] for x in b[:6]]
    aid = [x["borrower_id"] for x in b[6:]]
    texts = [TEMPLATE.format(name=x["name"], date="2024年5月1日", amt=2000 + 999 * i) for i, x in enumerate(b[:6])]
    comp = _complaints(agency, phone="13512345678", texts=texts, attachments="deadbeef01") + \
        _complaints(aid, phone="01012348888", texts=OWN_WORDS + ["我想申请分期还款，请给我一个方案。"])
    ctx = context(tmp_path, {"borrowers": b, "complaints": comp}, {1: agency, 2: aid})
    ev, st = run_signals(ctx)
    sc = score(st)
    assert sc[1] > 0.8
    assert sc[2] < 0.5
    assert sc[1] > sc[2] + 0.3


def test_score_is_monotonic_in_evidence():
    from graphring.score.scoring import score

    base = pd.DataFrame({"hub_complaint_phone": [0.5], "template_complaint_text": [0.0]})
    more = pd.DataFrame({"hub_complaint_phone": [0.5], "template_complaint_text": [0.4]})
    most = pd.DataFrame({"hub_complaint_phone": [1.0], "template_complaint_text": [0.4]})
    s = [float(score(x).iloc[0]) for x in (base, more, most)]
    assert 0 <= s[0] < s[1] < s[2] <= 1


@pytest.mark.parametrize("sig", S.SIGNALS, ids=lambda s: s.name)
def test_every_signal_returns_evidence_columns_on_empty_graph(tmp_path, sig):
    ctx = context(tmp_path, {"borrowers": borrowers(3)}, {1: ["B000", "B001", "B002"]})
    ev = sig.func(ctx)
    assert list(ev.columns) == S.EVIDENCE_COLUMNS
    assert len(ev) == 0


def test_payroll_before_loan_unlocks_shells_without_trade_cycles(tmp_path):
    """Packaged shells need not trade in circles: a payroll started months before the loans is the trace.

    Ring 1: two young shells at one agent and address pay their "staff" from two months before
    each applies; the staff have normal credit files. Ring 2: an established employer has paid its
    staff for two years, and one new hire applies three months after joining.
    """
    b = borrowers(10)
    ring = [x["borrower_id"] for x in b[:5]]
    honest = [x["borrower_id"] for x in b[5:]]
    s1, s2 = _uscc("91440300MA5F00011"), _uscc("91440300MA5F00012")
    firm = _uscc("91440300MA5F00013")
    companies = [{"uscc": s, "name": f"壳公司{i}", "address": "深圳市福田区某大厦1808", "incorporated_on": "2024-11-01",
                  "registration_agent": "速达代账"} for i, s in enumerate((s1, s2))]
    companies.append({"uscc": firm, "name": "老牌制造厂", "address": "东莞市长安镇工业路8号", "incorporated_on": "2009-05-01",
                      "registration_agent": "东莞财税"})
    loans, pays, accts = [], [], []
    for i, r in enumerate(ring):
        co = s1 if i % 2 else s2
        acct = f"62220200000000{i:05d}"
        accts.append({"borrower_id": r, "account": acct})
        loans.append({"loan_id": f"L{r}", "borrower_id": r, "amount": 200000, "applied_at": "2025-04-20",
                      "employer_uscc": co})
        for m in (2, 3, 4):
            pays.append({"payer": co, "payee": acct, "amount": 15000, "paid_at": f"2025-0{m}-10", "purpose": "salary"})
    for i, h in enumerate(honest):
        acct = f"62220200000000{50 + i:05d}"
        accts.append({"borrower_id": h, "account": acct})
        loans.append({"loan_id": f"L{h}", "borrower_id": h, "amount": 30000, "applied_at": "2025-04-20",
                      "employer_uscc": firm})
        start = "2025-01-10" if i == 0 else "2023-03-10"  # one new hire, the rest paid for two years
        pays.append({"payer": firm, "payee": acct, "amount": 6000, "paid_at": start, "purpose": "salary"})
        pays.append({"payer": firm, "payee": acct, "amount": 6000, "paid_at": "2025-04-10", "purpose": "salary"})
    ctx = context(tmp_path, {"borrowers": b, "companies": companies, "loans": loans, "payments": pays,
                             "accounts": accts}, {1: ring, 2: honest})
    ev = S.payroll_before_loan(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()
    assert set(ev["table"]) == {"loans"} and ev["key"].notna().all()
    # with the payroll trace the young sister shells count as shells: their shared registration fires
    assert {s1, s2} <= ctx.shell_like() and firm not in ctx.shell_like()
    assert len(S.shells_share_registration(ctx).query("ring == 1")) >= 2
    assert len(S.shells_share_registration(ctx).query("ring == 2")) == 0


def test_member_roles_organiser_only_in_own_ring():
    """A borrower who repays for others organises the ring where that evidence is, not another one."""
    from graphring.score.scoring import member_roles

    members = pd.DataFrame({"ring": [1, 1, 1, 2, 2], "kind": ["borrower", "borrower", "phone", "borrower", "borrower"],
                            "id": ["A", "B", "+8613512345678", "C", "A2"],
                            "link": [None, None, "complaint_phone", None, None]})
    typ = pd.Series({1: "debt_carrier", 2: "proxy_complaint"})
    ev = pd.DataFrame({"ring": [1, 2], "signal": ["third_party_repayment"] * 2, "borrower": ["B", "C"],
                       "entity": ["borrower:A", "borrower:B"]})  # B appears in ring 2's evidence, but is in ring 1
    roles = member_roles(members, typ, ev).tolist()
    assert roles == ["organizer", "carrier", "hub_phone", "member", "member"]


def test_shared_accounts_and_phones_fires_across_homes_and_not_inside_one_household(tmp_path):
    """One contact number named by three members living apart is a trace; a family's own number at one home is not."""
    b = borrowers(6)
    for i, x in enumerate(b[:3]):
        x["address"] = f"南宁市青秀区民族大道{10 + i}号"  # three homes
    for x in b[3:]:
        x["address"] = "昆明市五华区人民中路8号3栋201室"  # one family
    contacts = ([{"borrower_id": x["borrower_id"], "phone": "13652018421", "relation": "friend"} for x in b[:3]]
                + [{"borrower_id": x["borrower_id"], "phone": "13652028421", "relation": "parent"} for x in b[3:]])
    ring = [x["borrower_id"] for x in b[:3]]
    family = [x["borrower_id"] for x in b[3:]]
    ctx = context(tmp_path, {"borrowers": b, "contacts": contacts}, {1: ring, 2: family})
    ev = S.shared_accounts_and_phones(ctx)
    assert _fired(ev, 1) == set(ring)
    assert _fired(ev, 2) == set()
