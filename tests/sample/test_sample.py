"""Tests of the synthetic population generator (graphring.sample)."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest

from graphring.ingest import checkdigits
from graphring.ingest.schema import TABLES
from graphring.sample import TYPOLOGIES, generate
from graphring.sample.population import _GEO

TABLE_FILES = ["borrowers", "contacts", "phone_events", "devices", "accounts", "complaints", "companies",
               "company_roles", "loans", "payments"]
PHONE_RE = re.compile(r"^\+861[3-9]\d{9}$")


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "bank"
    summary = generate(out, 3000, seed=11)
    return out, summary


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    out = tmp_path_factory.mktemp("messy") / "bank_messy"
    tp = out.parent / "truth_messy.csv"
    summary = generate(out, 2000, seed=5, messy=True, truth_path=tp)
    return out, tp, summary


@pytest.fixture(scope="module")
def tables(clean):
    out, _ = clean
    return {t: read_csv(out / f"{t}.csv") for t in TABLE_FILES}


@pytest.fixture(scope="module")
def truth(clean):
    out, _ = clean
    return read_csv(out.parent / "truth.csv")


def rings_by_id(truth):
    rings: dict[str, dict] = {}
    for r in truth:
        g = rings.setdefault(r["ring_id"], {"typology": r["typology"], "members": {}})
        g["members"].setdefault(r["kind"], set()).add(r["id"])
    return rings


# ---------------------------------------------------------------------------- layout


def test_writes_every_table_and_truth_beside_folder(clean):
    out, summary = clean
    for t in TABLE_FILES:
        assert (out / f"{t}.csv").exists(), t
    assert (out.parent / "truth.csv").exists()
    assert not (out / "truth.csv").exists()
    assert summary["truth"] == str(out.parent / "truth.csv")
    for t in TABLE_FILES:
        with open(out / f"{t}.csv", encoding="utf-8") as f:
            assert sum(1 for _ in csv.reader(f)) - 1 == summary["tables"][t], t


def test_clean_headers_are_contract_names(clean):
    out, _ = clean
    for t in TABLE_FILES:
        with open(out / f"{t}.csv", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert set(header) <= set(TABLES[t].column_names), t
        assert set(TABLES[t].required_columns) <= set(header), t


def test_truth_path_must_not_be_inside_the_folder(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path / "d", 100, seed=0, truth_path=tmp_path / "d" / "truth.csv")


def test_progress_callback_is_called(tmp_path):
    msgs: list[str] = []
    generate(tmp_path / "d", 120, seed=0, progress=msgs.append)
    assert msgs and msgs[-1] == "done"


# ---------------------------------------------------------------------------- determinism


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("messy_mode", [False, True])
def test_same_seed_gives_identical_bytes(tmp_path, messy_mode):
    a, b = tmp_path / "a" / "d", tmp_path / "b" / "d"
    generate(a, 700, seed=3, messy=messy_mode)
    generate(b, 700, seed=3, messy=messy_mode)
    assert _bytes(a) == _bytes(b)
    assert (a.parent / "truth.csv").read_bytes() == (b.parent / "truth.csv").read_bytes()


def test_different_seed_differs(tmp_path):
    generate(tmp_path / "a" / "d", 300, seed=1)
    generate(tmp_path / "b" / "d", 300, seed=2)
    assert (tmp_path / "a/d/borrowers.csv").read_bytes() != (tmp_path / "b/d/borrowers.csv").read_bytes()


# ---------------------------------------------------------------------------- identifiers


def test_resident_ids_are_valid_and_match_province(tables):
    prov_code = {g[0]: g[4][0][0][:2] for g in _GEO}
    ids = [r["id_number"] for r in tables["borrowers"]]
    assert len(set(ids)) == len(ids)
    for r in tables["borrowers"]:
        assert checkdigits.id_ok(r["id_number"]), r["id_number"]
        assert r["id_number"][:2] == prov_code[r["province"]]
    assert checkdigits.id_check_digit("11010519491231002") == "X"


def test_usccs_are_valid(tables):
    codes = {r["uscc"] for r in tables["companies"]}
    assert len(codes) == len(tables["companies"])
    assert all(checkdigits.uscc_ok(c) for c in codes)
    assert checkdigits.uscc_ok("91350100M000100Y43")
    for r in tables["loans"]:
        for col in ("employer_uscc", "counterparty_uscc"):
            if r[col]:
                assert r[col] in codes
    assert {r["uscc"] for r in tables["company_roles"]} <= codes


def test_phones_cards_and_devices(tables):
    for r in tables["borrowers"]:
        assert PHONE_RE.match(r["phone"]), r["phone"]
        assert checkdigits.luhn_ok(r["bank_account"])
    assert len({r["phone"] for r in tables["borrowers"]}) == len(tables["borrowers"])
    for t, col in (("contacts", "phone"), ("phone_events", "phone"), ("complaints", "complainant_phone")):
        assert all(PHONE_RE.match(r[col]) for r in tables[t] if r[col]), t
    imeis = [r["device_id"] for r in tables["devices"] if re.fullmatch(r"\d{15}", r["device_id"])]
    assert imeis and all(checkdigits.luhn_ok(x) for x in imeis)


def test_references_hold(tables):
    bids = {r["borrower_id"] for r in tables["borrowers"]}
    assert len(bids) == len(tables["borrowers"])
    for t in ("contacts", "phone_events", "devices", "accounts", "complaints", "loans"):
        assert {r["borrower_id"] for r in tables[t]} <= bids, t
    loans = {r["loan_id"] for r in tables["loans"]}
    assert len(loans) == len(tables["loans"])
    assert {r["loan_id"] for r in tables["payments"] if r["loan_id"]} <= loans
    cids = [r["complaint_id"] for r in tables["complaints"]]
    assert len(set(cids)) == len(cids)


def test_dates_within_window(tables):
    for t, col in (("loans", "applied_at"), ("payments", "paid_at"), ("complaints", "received_at"),
                   ("devices", "seen_at"), ("phone_events", "at")):
        vals = [r[col] for r in tables[t] if r[col]]
        assert min(vals) >= "2024-01-01" and max(vals) < "2026-01-01", t


# ---------------------------------------------------------------------------- truth


def test_truth_has_all_typologies_and_benign_groups(truth, tables):
    rings = rings_by_id(truth)
    planted = {k: v for k, v in rings.items() if not k.startswith("BENIGN")}
    assert {v["typology"] for v in planted.values()} == set(TYPOLOGIES)
    benign = {k: v for k, v in rings.items() if k.startswith("BENIGN")}
    assert all(v["typology"] == "benign" for v in benign.values())
    kinds = {re.sub(r"-\d+$", "", k) for k in benign}
    assert {"BENIGN-legal-aid", "BENIGN-family", "BENIGN-big-employer", "BENIGN-junk-device",
            "BENIGN-hr-line", "BENIGN-public-wifi"} <= kinds
    allowed = {"borrower", "phone", "device", "ip", "account", "company", "address", "complaint", "loan",
               "officer", "intermediary", "agent", "attachment"}
    assert {r["kind"] for r in truth} <= allowed
    assert all(PHONE_RE.match(r["id"]) for r in truth if r["kind"] == "phone")


def test_truth_members_exist(truth, tables):
    index = {
        "borrower": {r["borrower_id"] for r in tables["borrowers"]},
        "loan": {r["loan_id"] for r in tables["loans"]},
        "complaint": {r["complaint_id"] for r in tables["complaints"]},
        "company": {r["uscc"] for r in tables["companies"]},
        "officer": {r["officer_id"] for r in tables["loans"]},
        "intermediary": {r["intermediary"] for r in tables["loans"]},
        "agent": {r["agent"] for r in tables["complaints"]},
        "device": {r["device_id"] for r in tables["devices"]},
        "ip": {r["ip"] for r in tables["devices"]},
        "address": {r["address"] for r in tables["borrowers"]} | {r["address"] for r in tables["companies"]},
        "attachment": {a for r in tables["complaints"] for a in r["attachments"].split(";") if a},
        "account": ({r["payer"] for r in tables["payments"]} | {r["payee"] for r in tables["payments"]}
                    | {r["account"] for r in tables["accounts"]}),
        "phone": ({r["phone"] for r in tables["contacts"]} | {r["complainant_phone"] for r in tables["complaints"]}
                  | {r["phone"] for r in tables["phone_events"]} | {r["phone"] for r in tables["borrowers"]}),
    }
    for r in truth:
        assert r["id"] in index[r["kind"]], r


def test_rings_do_not_overlap_and_sizes_span(truth, clean):
    _, summary = clean
    rings = rings_by_id(truth)
    planted = [v["members"]["borrower"] for k, v in rings.items() if not k.startswith("BENIGN")]
    for a, b in itertools.combinations(planted, 2):
        assert not a & b
    sizes = sorted(len(p) for p in planted)
    assert sizes[0] >= 5
    assert sizes[-1] >= 40            # a large ring when N allows
    assert summary["ring_count"] == len(planted) >= 5
    ring_b = set().union(*planted)
    assert 0.02 <= len(ring_b) / summary["borrowers"] <= 0.12


def test_ring_count_scales_with_n(tmp_path):
    s = generate(tmp_path / "d", 6000, seed=4)
    assert 10 <= s["ring_count"] <= 14
    assert s["ring_sizes"]["min"] >= 5


#: small sizes, every other ten (50, 70, ... 390) and 60: before the fix 60, 70, 90, 110, 150 and 190 failed for
#: one seed or another (a city with no borrowers at the end of the per-city list broke the companies step)
SMALL_SIZES = sorted(set(range(50, 410, 20)) | {60})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_small_size_generates_and_loads(tmp_path, seed):
    from graphring.ingest.validate import validate_folder

    for n in SMALL_SIZES:
        out = tmp_path / f"n{n}" / "bank"
        s = generate(out, n, seed=seed, messy=n in (60, 150) and seed == 0)
        assert s["borrowers"] == n and s["ring_count"] >= 5, n
        v = validate_folder(out)
        assert (v.counts["loaded"] + v.counts["rejected"] == v.counts["read"]).all(), n
        assert v.counts.loc["borrowers", "loaded"] >= n - 5, n


def test_cli_sample_small_sizes(tmp_path):
    """``graphring sample OUT -n 150`` (and -n 60) failed with an IndexError in the companies step."""
    from typer.testing import CliRunner

    from graphring.cli import app

    for n in (60, 150):
        r = CliRunner().invoke(app, ["sample", str(tmp_path / f"bank{n}"), "-n", str(n)])
        assert r.exit_code == 0, r.output
        assert (tmp_path / f"bank{n}_truth.csv").is_file()


# ---------------------------------------------------------------------------- traces


def _members_of(truth, typology):
    rings = rings_by_id(truth)
    return [(k, v["members"]) for k, v in rings.items() if v["typology"] == typology]


def test_complaint_rings_are_overdue_and_demand_stop(truth, tables):
    borrowers = {r["borrower_id"]: r for r in tables["borrowers"]}
    comp = {}
    for r in tables["complaints"]:
        comp.setdefault(r["borrower_id"], []).append(r)
    for typ in ("proxy_complaint", "debt_evasion"):
        for _, mem in _members_of(truth, typ):
            for b in mem["borrower"]:
                assert int(borrowers[b]["overdue_days"]) > 0
                assert comp[b], b
            demands = [c["demand"] for b in mem["borrower"] for c in comp[b]]
            assert demands.count("stop_collection") + demands.count("waive_interest") >= 0.6 * len(demands)
    for _, mem in _members_of(truth, "debt_evasion"):
        reasons = {c["claimed_reason"] for b in mem["borrower"] for c in comp[b]}
        assert reasons <= {"illness", "death", "pregnancy", "unemployment"}


def test_debt_evasion_never_repays_after_complaining(truth, tables):
    loans_of = {}
    for r in tables["loans"]:
        loans_of.setdefault(r["borrower_id"], set()).add(r["loan_id"])
    first = {}
    for r in tables["complaints"]:
        first[r["borrower_id"]] = min(first.get(r["borrower_id"], "9"), r["received_at"])
    for _, mem in _members_of(truth, "debt_evasion"):
        for b in mem["borrower"]:
            later = [p for p in tables["payments"] if p["purpose"] == "repayment"
                     and p["loan_id"] in loans_of[b] and p["paid_at"] > first[b]]
            assert not later, b


def test_malicious_claims_have_many_creditors(truth, tables):
    borrowers = {r["borrower_id"]: r for r in tables["borrowers"]}
    demands = []
    for _, mem in _members_of(truth, "malicious_claim"):
        for b in mem["borrower"]:
            assert 6 <= int(borrowers[b]["co_debt_lenders"]) <= 15
            assert borrowers[b]["first_overdue_on"] >= "2025-01-01"
        demands += [c["demand"] for c in tables["complaints"] if c["borrower_id"] in mem["borrower"]]
    assert set(demands) <= {"apology", "compensation"}


def test_shell_loans_claim_shell_employers(truth, tables):
    for _, mem in _members_of(truth, "shell_company_loan"):
        shells = mem["company"]
        assert len(shells) >= 3
        ring_loans = [r for r in tables["loans"] if r["loan_id"] in mem["loan"]]
        assert {r["borrower_id"] for r in ring_loans} == mem["borrower"]
        assert all(r["employer_uscc"] in shells for r in ring_loans)


def test_debt_carriers_default_on_burst_loans(truth, tables):
    for _, mem in _members_of(truth, "debt_carrier"):
        ring_loans = [r for r in tables["loans"] if r["loan_id"] in mem["loan"]]
        assert {r["borrower_id"] for r in ring_loans} == mem["borrower"]
        assert all(r["status"] in ("overdue", "charged_off") for r in ring_loans)
        assert mem.get("intermediary") or mem.get("account") or mem.get("device")   # the chain behind them


def test_honest_complaints_are_in_own_words(truth, tables):
    ring_c = {r["id"] for r in truth if r["kind"] == "complaint"}
    honest = [r["text"] for r in tables["complaints"] if r["complaint_id"] not in ring_c]
    assert len(honest) > 50

    def sh(x, k=10):
        return {x[i:i + k] for i in range(len(x) - k + 1)}

    sets = [sh(t) for t in honest]
    worst = max(len(a & b) / len(a | b) for a, b in itertools.combinations(sets, 2) if a and b)
    assert worst < 0.4


def test_templated_ring_letters_are_near_identical(truth, tables):
    text = {r["complaint_id"]: r["text"] for r in tables["complaints"]}

    def sh(x, k=10):
        return {x[i:i + k] for i in range(len(x) - k + 1)}

    best = 0.0
    for k, v in rings_by_id(truth).items():
        ids = sorted(v["members"].get("complaint", ()))[:20]
        if len(ids) < 3:
            continue
        sims = [len(sh(text[a]) & sh(text[b])) / len(sh(text[a]) | sh(text[b])) for a, b in itertools.combinations(ids, 2)]
        best = max(best, sorted(sims)[len(sims) // 2])
    assert best > 0.3


def test_benign_legal_aid_group_shares_one_line_but_not_words(truth, tables):
    rings = rings_by_id(truth)
    la = [v["members"] for k, v in rings.items() if k.startswith("BENIGN-legal-aid")]
    assert la
    for mem in la:
        (line,) = mem["phone"]
        cs = [r for r in tables["complaints"] if r["borrower_id"] in mem["borrower"]]
        assert len(mem["borrower"]) >= 20
        assert all(r["complainant_phone"] == line for r in cs)
        assert len({r["demand"] for r in cs}) >= 3


# ---------------------------------------------------------------------------- messy


def test_messy_files_decode_with_chinese_headers(messy):
    out, tp, summary = messy
    assert tp.exists() and not (out / "truth.csv").exists()
    assert (out / "companies.xlsx").exists()
    for name, info in summary["files"].items():
        if info["encoding"] is None:
            continue
        raw = (out / info["file"]).read_bytes()
        assert info["encoding"] in ("gb18030", "utf-8-sig")
        if info["encoding"] == "utf-8-sig":
            assert raw.startswith(b"\xef\xbb\xbf")
        else:
            assert not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode(info["encoding"])
        header = text.split("\r\n", 1)[0].split(",")
        assert header == [c.aliases[0] for c in TABLES[name].columns if c.aliases[0] in header]
        assert all(re.search(r"[\u4e00-\u9fff]", h) or h == "IP" for h in header), header
    assert sum(1 for i in summary["files"].values() if i["encoding"] == "gb18030") >= 6


def test_messy_xlsx_has_chinese_header(messy):
    openpyxl = pytest.importorskip("openpyxl")
    out, _, _ = messy
    ws = openpyxl.load_workbook(out / "companies.xlsx", read_only=True).active
    header = next(ws.iter_rows(values_only=True))
    assert header[0] == "统一社会信用代码"


def test_messy_formats_and_bad_rows(messy):
    out, _, summary = messy
    text = (out / "borrowers.csv").read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    phones = [r[header.index("手机号")] for r in body if len(r) == len(header)]
    assert any(" " in p for p in phones) and any(p.startswith("+86-") for p in phones)
    assert any(p.startswith("0086") for p in phones) and any("１" in p or "３" in p for p in phones)
    amounts = [r[header.index("欠款金额")] for r in body if len(r) == len(header)]
    assert any(a.startswith("¥") for a in amounts) and any("," in a for a in amounts)
    dates = [r[header.index("首次逾期日")] for r in body if len(r) == len(header)]
    assert any("/" in d for d in dates)
    ids = [r[0] for r in body]
    assert len(ids) > len(set(ids))                           # a duplicate customer number
    assert any(len(r) > len(header) for r in body)            # a ragged row
    bad = [r for r in body if len(r) == len(header) and len(r[2]) == 18 and not checkdigits.id_ok(r[2])]
    assert bad                                                 # a bad check digit
    assert 0 < summary["files"]["borrowers"]["bad_rows"] <= 0.01 * summary["borrowers"] + 5
    loans = (out / "loans.csv").read_bytes().decode("gb18030")
    bids = set(ids)
    lrows = list(csv.reader(io.StringIO(loans)))[1:]
    assert any(r[1] not in bids for r in lrows)               # an unknown borrower reference


def test_messy_truth_uses_normalised_ids(messy):
    out, tp, _ = messy
    truth = read_csv(tp)
    phones = [r["id"] for r in truth if r["kind"] == "phone"]
    assert phones and all(PHONE_RE.match(p) for p in phones)
    text = (out / "borrowers.csv").read_bytes().decode("gb18030")
    bids = {r[0] for r in csv.reader(io.StringIO(text))}
    assert {r["id"] for r in truth if r["kind"] == "borrower"} <= bids
