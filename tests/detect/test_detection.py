"""Ring finding that holds on data it was not tuned on: one regression test per failure mode (issue 13).

Each fixture is a small hand-made data folder showing one case from the domain (DOMAIN.md):
a script sold to two teams, stock-phrase honest letters, representation that names itself,
a bank export without complaint tables, typology named by distinctive evidence.
"""

from __future__ import annotations

import json

import pandas as pd

from graphring.pipeline import find_rings, write_run
from graphring.score.scoring import typology
from graphring.detect.textsim import one_hand, quirks
from helpers import borrowers, write_folder

SCRIPT = ("本人{n}在平台借款，贵司催收人员多次爆力催收，，严重侵犯本人隐私，骚扰本人家人及同事，"
          "依据消费者权益保护法要求贵司立即停止催收并减免全部利息罚息，否则本人将持续投诉。")


def _complaint(i: int, b: dict, phone: str, text: str, demand="stop_collection", agent="", att="") -> dict:
    return {"complaint_id": f"Q{i:04d}", "borrower_id": b["borrower_id"], "complainant_phone": phone,
            "received_at": f"2025-03-{1 + i % 27:02d}", "demand": demand, "claimed_reason": "collection_violation",
            "text": text, "agent": agent, "attachments": att}


def _rings_of(res) -> list[set]:
    return [set(r.borrowers) for r in res.rings]


def test_a_script_sold_to_two_teams_gives_two_rings_linked_one_level_up(tmp_path):
    bs = borrowers(12)
    team_a, team_b = bs[:6], bs[6:]
    rows = [_complaint(i, b, "13800000001", SCRIPT.format(n=b["name"]), att="sha256:aaa") for i, b in enumerate(team_a)]
    rows += [_complaint(10 + i, b, "13800000002", SCRIPT.format(n=b["name"]), att="sha256:bbb")
             for i, b in enumerate(team_b)]
    d = write_folder(tmp_path / "d", {"borrowers": bs, "complaints": rows})
    res = find_rings(d)
    got = _rings_of(res)
    want_a, want_b = {b["borrower_id"] for b in team_a}, {b["borrower_id"] for b in team_b}
    assert want_a in got and want_b in got  # the script did not merge the two teams
    scripts = [x for x in res.ring_links if x["kind"] == "script"]
    assert len(scripts) == 1 and scripts[0]["n"] == 36  # every cross-team letter pair
    out = tmp_path / "run"
    write_run(res, out, data_dir=d)
    written = json.loads((out / "rings.json").read_text(encoding="utf-8"))
    assert written["ring_links"][0]["family"] == "F001"
    assert sorted(written["ring_links"][0]["rings"]) == sorted(r.ring_id for r in res.rings[:2])


def test_a_borrower_with_no_controlled_tie_joins_the_ring_its_letters_point_at(tmp_path):
    bs = borrowers(7)
    rows = [_complaint(i, b, "13800000001", SCRIPT.format(n=b["name"])) for i, b in enumerate(bs[:6])]
    rows.append(_complaint(9, bs[6], bs[6]["phone"], SCRIPT.format(n=bs[6]["name"])))  # from their own phone
    res = find_rings(write_folder(tmp_path / "d", {"borrowers": bs, "complaints": rows}))
    assert {b["borrower_id"] for b in bs} in _rings_of(res)
    assert res.partition.params["attached"] == 1


def test_stock_phrases_are_not_one_hand():
    honest = ["本人因工厂停工，暂时无法按期还款，希望平台能给予延期。申请分期还款，每月可以还一部分。",
              "本人因被公司裁员，暂时无法按期还款，希望平台能给予延期。申请分期还款，每月可以还一部分。"]
    assert quirks(honest[0]) == frozenset()
    assert one_hand(honest, pd.DataFrame({"a": [0], "b": [1]})).tolist() == [False]
    copied = [SCRIPT.format(n="张三"), SCRIPT.format(n="李四")]
    assert one_hand(copied, pd.DataFrame({"a": [0], "b": [1]})).tolist() == [True]


def test_stock_phrase_letters_of_honest_strangers_make_no_ring(tmp_path):
    bs = borrowers(8)
    reasons = ["工厂停工", "被公司裁员", "孩子生病住院", "店铺关门", "生意失败", "父亲做手术", "车祸受伤", "工资被拖欠"]
    rows = [_complaint(i, b, b["phone"], f"本人因{r}，暂时无法按期还款，希望平台能给予延期。申请分期还款，每月可以还一部分。",
                       demand="installment") for i, (b, r) in enumerate(zip(bs, reasons))]
    res = find_rings(write_folder(tmp_path / "d", {"borrowers": bs, "complaints": rows}))
    assert res.rings == []


def test_representation_that_names_itself_scores_lower_with_the_reason_shown(tmp_path):
    bs = borrowers(8)

    def run(agent: str, demand: str):
        rows = [_complaint(i, b, "13800000009", SCRIPT.format(n=b["name"]), demand=demand, agent=agent)
                for i, b in enumerate(bs)]
        return find_rings(write_folder(tmp_path / agent / demand, {"borrowers": bs, "complaints": rows}),
                          min_score=0.0)

    agency = run("王某（委托代理人）", "stop_collection").rings[0]
    aid = run("某市法律援助中心", "installment").rings[0]
    assert aid.score < 0.5 * agency.score
    names = {s["name"] for s in aid.signals}
    assert {"self_declared_representation", "legitimate_demands"} <= names
    ev = next(s for s in aid.signals if s["name"] == "self_declared_representation")["evidence"]
    assert len(ev) == len(bs) and ev[0]["table"] == "complaints"


def test_a_bank_with_only_borrowers_devices_accounts_and_payments_gets_unclassified_rings(tmp_path):
    bs = borrowers(30)
    devices = [{"borrower_id": b["borrower_id"], "device_id": f"86{7000000000000 + i // 10:013d}"}
               for i, b in enumerate(bs)]  # three groups of ten on one device each
    accounts = [{"borrower_id": b["borrower_id"], "account": f"62220200{i // 10:011d}"} for i, b in enumerate(bs)]
    payments = [{"payer": b["borrower_id"], "payee": f"62220200{i // 10:011d}", "amount": 100}
                for i, b in enumerate(bs)]
    d = write_folder(tmp_path / "d", {"borrowers": bs, "devices": devices, "accounts": accounts,
                                      "payments": payments})
    res = find_rings(d)
    assert len(res.rings) == 3
    assert {r.typology for r in res.rings} == {"unclassified"}
    assert all("exclusive_controlled_ties" in {s["name"] for s in r.signals} for r in res.rings)
    m = write_run(res, tmp_path / "run", data_dir=d)
    assert set(m["schemes_not_assessed"]) == {"proxy_complaint", "debt_evasion", "malicious_claim",
                                              "shell_company_loan", "debt_carrier"}
    assert "complaints" in m["schemes_not_assessed"]["proxy_complaint"]


def test_typology_follows_distinctive_evidence_not_shared_agency_traces():
    # an evasion gang uses the agency's services (SIMs in its city, a script) and forges certificates
    st = pd.DataFrame({"sim_in_agency_city": [1.0, 1.0], "template_complaint_text": [1.0, 1.0],
                       "fabricated_hardship_claims": [1.0, 0.0], "activity_during_claimed_illness": [1.0, 0.0]})
    assert typology(st).tolist() == ["debt_evasion", "proxy_complaint"]
    assert typology(pd.DataFrame({"exclusive_controlled_ties": [1.0]})).tolist() == ["unclassified"]


def test_what_complaints_ask_names_the_scheme_but_never_raises_the_score():
    # without letters an agency's ring and an extortion group share their agency traces; what their
    # complaints ask (waive interest / apology, compensation) names the scheme (DOMAIN.md), while honest
    # complainants ask the same, so the ring's score stays what its own evidence makes it
    from graphring.score.scoring import score

    agency = {"shared_attachment": 1.0, "sim_in_agency_city": 1.0, "unbind_rebind_before_complaint": 1.0,
              "fabricated_hardship_claims": 0.4}
    st = pd.DataFrame([agency, {**agency, "demands_interest_waiver": 1.0},
                       {"shared_attachment": 1.0, "hub_complaint_phone": 1.0, "high_co_debt_then_default": 1.0},
                       {"shared_attachment": 1.0, "hub_complaint_phone": 1.0, "high_co_debt_then_default": 1.0,
                        "demands_apology_or_compensation": 1.0}]).fillna(0.0)
    assert typology(st).tolist() == ["debt_evasion", "proxy_complaint", "proxy_complaint", "malicious_claim"]
    sc = score(st).round(9).tolist()
    assert sc[0] == sc[1] and sc[2] == sc[3]
    # alone, what complainants ask is no evidence of a ring
    assert score(pd.DataFrame({"demands_interest_waiver": [1.0], "demands_apology_or_compensation": [1.0]})).tolist() == [0.0]


# --- the generator's variations: one small population per failure mode ---------------------------------

import pytest  # noqa: E402

from graphring.analyse.evaluate import evaluate  # noqa: E402
from graphring.sample import VARIATIONS, generate  # noqa: E402


@pytest.fixture(scope="module")
def plain_figures(tmp_path_factory):
    d = tmp_path_factory.mktemp("plain")
    generate(d / "data", 3000, seed=5, truth_path=d / "truth.csv")
    return evaluate(find_rings(d / "data").members_table(), pd.read_csv(d / "truth.csv", dtype=str))


@pytest.mark.parametrize("variation", ["sold_scripts", "stock_phrases", "law_firm", "aid_forms", "no_text"])
def test_each_variation_finds_the_rings_of_the_plain_population(tmp_path, plain_figures, variation):
    generate(tmp_path / "data", 3000, seed=5, truth_path=tmp_path / "truth.csv", variations=[variation])
    truth = pd.read_csv(tmp_path / "truth.csv", dtype=str)
    r = evaluate(find_rings(tmp_path / "data").members_table(), truth)
    assert r["benign_in_top_k"] == 0
    assert r["ring_recall"] >= plain_figures["ring_recall"] - 1e-9
    assert r["precision_at_k"] >= plain_figures["precision_at_k"] - 1e-9
    if variation == "law_firm":
        assert truth["ring_id"].str.startswith("BENIGN-law-firm").any()


def test_few_tables_still_gives_ranked_unclassified_rings(tmp_path):
    generate(tmp_path / "data", 3000, seed=5, truth_path=tmp_path / "truth.csv", variations=["few_tables"])
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["accounts.csv", "borrowers.csv", "devices.csv",
                                                                     "payments.csv"]
    res = find_rings(tmp_path / "data")
    assert res.rings and {r.typology for r in res.rings} == {"unclassified"}
    assert [r.score for r in res.rings] == sorted((r.score for r in res.rings), reverse=True)


def test_variations_are_named_and_checked(tmp_path):
    assert set(VARIATIONS) == {"sold_scripts", "stock_phrases", "law_firm", "aid_forms", "no_text", "few_tables"}
    with pytest.raises(ValueError, match="unknown variation"):
        generate(tmp_path / "d", 100, variations=["nope"])


def _cells_folder(root, with_own_image: bool):
    """Three handfuls of clients, each filing from its own work phone, every account phone taken over
    shortly before the complaint, all letters one script, in one month."""
    bs = borrowers(12)
    comps, events = [], []
    for i, b in enumerate(bs):
        cell = i // 4
        day = 3 + 2 * (i % 4) + cell  # the cells work side by side
        comps.append(_complaint(i, b, f"1385{cell:03d}2468", SCRIPT.format(n=b["name"]),
                                att=f"sha256:img{cell}" if with_own_image else ""))
        comps[-1]["received_at"] = f"2025-03-{day:02d}"
        events += [{"borrower_id": b["borrower_id"], "phone": b["phone"], "event": "unbind", "at": f"2025-02-{day:02d}"},
                   {"borrower_id": b["borrower_id"], "phone": f"1367{i:03d}5791", "event": "bind",
                    "at": f"2025-02-{day + 1:02d}"}]
    return bs, write_folder(root, {"borrowers": bs, "complaints": comps, "phone_events": events})


def test_cells_of_one_agency_sending_one_script_in_one_campaign_are_one_ring(tmp_path):
    bs, d = _cells_folder(tmp_path / "d", with_own_image=False)
    res = find_rings(d)
    assert {b["borrower_id"] for b in bs} in _rings_of(res)
    assert res.partition.params["script_cells_joined"] == 2


def test_teams_with_an_identity_of_their_own_stay_apart_whatever_script_they_bought(tmp_path):
    bs, d = _cells_folder(tmp_path / "d", with_own_image=True)
    res = find_rings(d)
    assert sorted(len(r) for r in _rings_of(res)) == [4, 4, 4]
    assert res.partition.params["script_cells_joined"] == 0
    assert {x["kind"] for x in res.ring_links} == {"script"}
