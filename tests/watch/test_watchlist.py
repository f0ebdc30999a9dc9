"""Shared watchlists: normalisation before hashing, the key, export, cross-bank matching, no leaks."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pandas as pd
import pytest

from graphring.errors import GraphringError
from graphring.watch.watchlist import (HmacKeyError, export_watchlist, load_key, match_incidence, normalise_value,
                                 pseudonymise, pseudonymise_many, read_watchlist, write_watchlist)

KEY = bytes(range(32))

SPELLINGS = ["138 1234 5678", "+86-138-1234-5678", "0086 13812345678", "１３８１２３４５６７８", "(+86) 138.1234.5678",
             "8613812345678", "+86 138 1234 5678", 13812345678, "０086-138-1234-5678", "tel:13812345678"]


# --------------------------------------------------------------------------------------- hashing

@pytest.mark.parametrize("spelling", SPELLINGS)
def test_phone_pseudonym_stable_across_spellings(spelling):
    assert pseudonymise("phone", spelling, KEY) == pseudonymise("phone", "+8613812345678", KEY)


def test_pseudonym_depends_on_key_and_kind():
    a = pseudonymise("phone", "13812345678", KEY)
    assert a != pseudonymise("phone", "13812345678", bytes(reversed(range(32))))
    assert pseudonymise("agent", "13812345678", KEY) != pseudonymise("device", "13812345678", KEY)
    assert re.fullmatch(r"hmac:[0-9a-f]{64}", a)


def test_other_kinds_normalised_before_hashing():
    assert pseudonymise("attachment", "ABCDEF0123456789", KEY) == pseudonymise("attachment", " abcdef0123456789 ", KEY)
    assert pseudonymise("agent", " 张 律师", KEY) == pseudonymise("agent", "张律师", KEY)
    assert pseudonymise("agent", "Ｌａｗ Firm", KEY) == pseudonymise("agent", "Law  Firm", KEY)
    # an intermediary written as a phone number is keyed as that phone, however spelled
    assert pseudonymise("intermediary", "138-1234-5678", KEY) == pseudonymise("intermediary", "+86 13812345678", KEY)
    # junk is never listed
    assert pseudonymise("device", "000000000000000", KEY) is None
    assert pseudonymise("phone", "unknown", KEY) is None


def test_vectorised_equals_scalar():
    kinds = ["phone"] * len(SPELLINGS) + ["agent", "attachment"]
    vals = SPELLINGS + ["张 律师", "ABCDEF0123456789"]
    many = pseudonymise_many(kinds, vals, KEY)
    assert many.tolist() == [pseudonymise(k, v, KEY) for k, v in zip(kinds, vals)]
    assert many.iloc[: len(SPELLINGS)].nunique() == 1


def _list_frame(values):
    return pd.DataFrame({"kind": ["phone"] * len(values) + ["agent"], "value": list(values) + ["张 律师"],
                         "label": "anti-collection agency", "source": "某银行"})


def test_gb18030_file_and_utf8_file_hash_alike(tmp_path):
    # the same list written by two banks: one GB18030 with Chinese headers, one UTF-8 with English headers
    zh = _list_frame(["138 1234 5678", "0086 13900001111"]).rename(
        columns={"kind": "类型", "value": "值", "label": "标签", "source": "来源"})
    (tmp_path / "a.csv").write_bytes(zh.to_csv(index=False).encode("gb18030"))
    en = _list_frame(["+86-138-1234-5678", "１３９００００１１１１"])
    en.to_csv(tmp_path / "b.csv", index=False, encoding="utf-8")
    a, b = read_watchlist(tmp_path / "a.csv"), read_watchlist(tmp_path / "b.csv")
    assert a["label"].iloc[0] == "anti-collection agency" and a["source"].iloc[0] == "某银行"
    ha = pseudonymise_many(a["kind"], a["value"], KEY).tolist()
    hb = pseudonymise_many(b["kind"], b["value"], KEY).tolist()
    assert ha == hb and all(h.startswith("hmac:") for h in ha)


def test_read_watchlist_errors(tmp_path):
    with pytest.raises(GraphringError, match="not found"):
        read_watchlist(tmp_path / "missing.csv")
    (tmp_path / "bad.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(GraphringError, match="kind"):
        read_watchlist(tmp_path / "bad.csv")


# --------------------------------------------------------------------------------------- the key

def test_load_key_from_file_and_env(tmp_path):
    hx = secrets.token_hex(32)
    (tmp_path / "k").write_text(hx + "\n", encoding="ascii")
    assert load_key(tmp_path / "k") == bytes.fromhex(hx)
    assert load_key(environ={"GRAPHRING_HMAC_KEY": hx.upper()}) == bytes.fromhex(hx)
    raw = secrets.token_bytes(32)
    raw = raw if not raw.isascii() else b"\xff" + raw[1:]
    (tmp_path / "bin").write_bytes(raw)
    assert load_key(tmp_path / "bin") == raw
    # the file wins over the environment
    assert load_key(tmp_path / "k", environ={"GRAPHRING_HMAC_KEY": "00" * 32}) == bytes.fromhex(hx)


@pytest.mark.parametrize("content, match", [
    ("ab" * 16, "wrong length: 16 bytes"),
    ("ab" * 65, "wrong length: 65 bytes"),
    ("abc" * 21, "odd number of hex digits"),
    ("this is my secret passphrase, long enough", "not hexadecimal"),
    ("", "empty"),
])
def test_bad_key_files_give_clear_messages_without_the_key(tmp_path, content, match):
    (tmp_path / "k").write_text(content, encoding="ascii")
    with pytest.raises(HmacKeyError, match=match) as ei:
        load_key(tmp_path / "k")
    if content:
        assert content not in str(ei.value)
    assert isinstance(ei.value, GraphringError)


def test_missing_key():
    with pytest.raises(HmacKeyError, match="no HMAC key"):
        load_key(environ={})
    with pytest.raises(HmacKeyError, match="not found"):
        load_key("/nonexistent/key.hex")
    with pytest.raises(HmacKeyError, match="wrong length") as ei:
        load_key(environ={"GRAPHRING_HMAC_KEY": "deadbeef"})
    assert "deadbeef" not in str(ei.value)


# --------------------------------------------------------------------------------------- matching

def _inc():
    return pd.DataFrame({"borrower": ["B1", "B2", "B3", "B4"],
                         "ident": ["phone:+8613812345678", "agent:张律师", "device:abc123456", "intermediary:+8613900001111"],
                         "link": ["complaint_phone", "agent", "device", "intermediary"], "table": "complaints",
                         "row": [2, 3, 4, 5]})


def test_match_raw_and_hashed_values_mixed():
    wl = pd.DataFrame({"kind": ["phone", "agent", "intermediary", "device"],
                       "value": ["138 1234 5678", pseudonymise("agent", "张 律师", KEY),
                                 pseudonymise("intermediary", "139-0000-1111", KEY), "ffffffff"],
                       "label": ["a", "b", "c", "d"]})
    m = match_incidence(_inc(), wl, KEY)
    assert sorted(zip(m["borrower"], m["listed"])) == [("B1", "raw"), ("B2", "hmac"), ("B4", "hmac")]


def test_hashed_list_without_key_is_an_error_not_silence():
    wl = pd.DataFrame({"kind": ["phone"], "value": [pseudonymise("phone", "13812345678", KEY)]})
    with pytest.raises(HmacKeyError, match="hmac"):
        match_incidence(_inc(), wl, None)
    # a wrong key matches nothing
    assert match_incidence(_inc(), wl, bytes(32)).empty


def test_hmac_values_case_insensitive():
    h = pseudonymise("phone", "13812345678", KEY)
    wl = pd.DataFrame({"kind": ["PHONE"], "value": ["HMAC:" + h[5:].upper()]})
    assert match_incidence(_inc(), wl, KEY)["borrower"].tolist() == ["B1"]


# --------------------------------------------------------------------------------------- two banks

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def bank_a(tmp_path_factory):
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate

    d = tmp_path_factory.mktemp("bankA")
    generate(d / "data", 1500, seed=11)
    res = find_rings(d / "data", seed=0)
    write_run(res, d / "run", data_dir=d / "data")
    return d


def test_export_lists_ring_identifiers_hashed_and_no_raw_value(bank_a, tmp_path):
    wl = export_watchlist(bank_a / "run", KEY, source="bank A")
    assert len(wl) and list(wl.columns)[:5] == ["kind", "value", "label", "source", "key_fingerprint"]
    assert wl["value"].str.fullmatch(r"hmac:[0-9a-f]{64}").all()
    assert set(wl["kind"]) <= {"phone", "device", "account", "company", "attachment", "agent", "intermediary"}
    assert (wl["source"] == "bank A").all()
    out = write_watchlist(wl, tmp_path / "list.csv")
    text = out.read_text(encoding="utf-8")
    # no raw identifier of the run crosses: no mobile number, no member id, no raw value of any listed identifier
    assert not MOBILE.search(re.sub(r"hmac:[0-9a-f]{64}", "", text))
    phones = set()
    for name, col in (("borrowers", "phone"), ("complaints", "complainant_phone"), ("contacts", "phone")):
        phones |= set(pd.read_csv(bank_a / "data" / f"{name}.csv", dtype=str)[col].dropna())
    digits = {re.sub(r"\D", "", p)[-11:] for p in phones}
    assert len(digits) > 100 and not any(d in text for d in digits)
    raw = export_watchlist(bank_a / "run", reveal=True)
    assert len(raw) == len(wl)
    for v in raw["value"]:
        assert v not in text
    members = pd.read_csv(bank_a / "run" / "ring_members.csv", dtype=str)
    for v in members.loc[members["kind"].isin(["borrower", "phone", "device", "account"]), "id"]:
        assert v not in text
    # labels say typology and role, e.g. "proxy_complaint hub_phone (complaint_phone)"
    assert wl["label"].str.match(r"^[a-z_]+ [a-z_]+ \(").all()
    # hashing the revealed list gives the shared list
    assert sorted(pseudonymise_many(raw["kind"], raw["value"], KEY)) == sorted(wl["value"])
    # min_score filters rings
    assert len(export_watchlist(bank_a / "run", KEY, min_score=1.01)) == 0
    with pytest.raises(HmacKeyError):
        export_watchlist(bank_a / "run", None)


def test_watchlist_from_bank_a_finds_the_same_agency_at_bank_b(bank_a, tmp_path):
    from graphring.detect.projection import build_projection
    from graphring.graph.model import build_frames
    from graphring.pipeline import find_rings
    from graphring.sample import generate
    from graphring.ingest.validate import validate_folder

    shared = export_watchlist(bank_a / "run", KEY, source="bank A")
    raw = export_watchlist(bank_a / "run", reveal=True)
    # bank A's agency traces: its complaint phone, agent and attachment
    pick = {}
    for kind, needle in (("phone", "complaint_phone"), ("agent", ""), ("attachment", "")):
        rows = raw[(raw["kind"] == kind) & raw["label"].str.contains(needle)]
        if len(rows):
            pick[kind] = rows["value"].iloc[0]
    assert "phone" in pick, "bank A's run should list a complaint phone"
    # bank B: another population; the same agency files for 6 of its borrowers, phone spelled differently
    b = tmp_path / "bankB"
    generate(b / "data", 1200, seed=23)
    bor = pd.read_csv(b / "data" / "borrowers.csv", dtype=str)
    comp = pd.read_csv(b / "data" / "complaints.csv", dtype=str, keep_default_na=False)
    victims = bor["borrower_id"].iloc[[5, 50, 150, 300, 600, 900]].tolist()
    p = pick["phone"][3:]
    spelled = f"0086 {p[:3]}-{p[3:7]}-{p[7:]}"
    rows = [{"complaint_id": f"TSB{i:06d}", "borrower_id": v, "complainant_phone": spelled, "channel": "regulator",
             "received_at": "2025-11-0%d 10:00:00" % (i + 1), "demand": "stop_collection", "claimed_reason": "other",
             "text": f"本人第{i}号，请求停止催收。", "attachments": pick.get("attachment", "").upper(),
             "agent": pick.get("agent", "")} for i, v in enumerate(victims)]
    comp = pd.concat([comp, pd.DataFrame(rows)], ignore_index=True)
    comp.to_csv(b / "data" / "complaints.csv", index=False)
    # bank B matches with the shared key, never seeing bank A's raw values
    list_file = write_watchlist(shared, tmp_path / "from_bank_a.csv")
    assert spelled not in list_file.read_text(encoding="utf-8") and p not in list_file.read_text(encoding="utf-8")
    wl = read_watchlist(list_file)
    g = build_frames(validate_folder(b / "data").tables)
    inc = build_projection(g).incidence
    m = match_incidence(inc, wl, KEY)
    assert set(victims) <= set(m["borrower"])
    hit_kinds = set(m.loc[m["borrower"].isin(victims), "ident"].str.split(":").str[0])
    assert {"phone"} | ({"agent"} if "agent" in pick else set()) <= hit_kinds
    # few of bank B's own borrowers match by chance (different populations)
    assert m["borrower"].nunique() <= len(victims) + 3
    # the list dropped into bank B's data folder as a watchlist table (GB18030, Chinese name and headers)
    zh = shared.rename(columns={"kind": "类型", "value": "值", "label": "标签", "source": "来源"})
    (b / "data" / "名单.csv").write_bytes(zh.to_csv(index=False).encode("gb18030"))
    with pytest.raises(HmacKeyError):
        find_rings(b / "data", seed=0)
    # ring finding at bank B carries the watchlist signal on the planted victims
    res = find_rings(b / "data", hmac_key=KEY, seed=0)
    flagged = {e["borrower"] for r in res.rings for s in r.signals if s["name"] == "watchlist_match"
               for e in s["evidence"]}
    assert set(victims) & flagged
    # without the key, a hashed list is refused with a clear message
    with pytest.raises(HmacKeyError):
        match_incidence(inc, wl, None)
    # the same through the CLI: the key from the environment serves the data folder's own watchlist table
    import json

    from typer.testing import CliRunner

    from graphring.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["rings", str(b / "data"), "--out", str(tmp_path / "runB")],
                      env={"GRAPHRING_HMAC_KEY": ""})
    assert r.exit_code == 1 and "key" in r.output.lower() and "Traceback" not in r.output
    r = runner.invoke(app, ["rings", str(b / "data"), "--out", str(tmp_path / "runB")],
                      env={"GRAPHRING_HMAC_KEY": KEY.hex()})
    assert r.exit_code == 0, r.output
    assert KEY.hex() not in r.output
    doc = json.loads((tmp_path / "runB" / "rings.json").read_text(encoding="utf-8"))
    hits = {e["borrower"] for ring in doc["rings"] for s in ring["signals"] if s["name"] == "watchlist_match"
            for e in s["evidence"]}
    assert set(victims) & hits


# --------------------------------------------------------------------------------------- what is shared (issue 17)

def test_export_defaults_to_what_a_report_shows(bank_a, tmp_path):
    import json

    run = json.loads((bank_a / "run" / "rings.json").read_text(encoding="utf-8"))
    floor = run["run"]["min_score"]
    members = pd.read_csv(bank_a / "run" / "ring_members.csv", dtype=str)
    scores = members.drop_duplicates("ring_id").set_index("ring_id")["score"].astype(float)
    wl = export_watchlist(bank_a / "run", KEY)
    assert len(wl)
    # each entry says its ring, typology, score and the floor; no ring below the run's floor
    assert (wl["min_score"] == f"{floor:.3f}").all()
    assert wl["ring_id"].isin(scores.index).all()
    assert (wl["score"].astype(float) >= floor).all()
    assert all(abs(float(s) - scores[r]) < 1e-3 for r, s in zip(wl["ring_id"], wl["score"]))
    assert wl["typology"].str.fullmatch(r"[a-z_]+").all()
    # commonplace identifiers (employers, registration agents) only when asked
    assert not wl["label"].str.contains(r"\((?:employer|company_agent)\)").any()
    everything = export_watchlist(bank_a / "run", KEY, min_score=0.0, commonplace=True)
    assert len(everything) >= len(wl)
    # the file states the floor and the source on every row and reads back as a watchlist
    back = read_watchlist(write_watchlist(wl, tmp_path / "wl.csv"))
    assert list(back["min_score"].unique()) == [f"{floor:.3f}"] and back["source"].str.startswith("graphring run").all()


def test_a_match_alone_lifts_no_ring_into_the_report(tmp_path):
    """The issue's case: the bundled sample's widest list (floor 0, commonplace too) imported at the same bank."""
    from graphring.pipeline import find_rings, write_run

    data = Path(__file__).resolve().parents[2] / "sample_data" / "bank_a"
    base = find_rings(data)
    write_run(base, tmp_path / "run", data_dir=data)
    wl = export_watchlist(tmp_path / "run", KEY, min_score=0.0, commonplace=True)
    assert len(wl) > 40
    with_list = find_rings(data, watchlist=wl, hmac_key=KEY)
    def key(r):  # a ring by its borrowers (ring ids follow the rank, which the list may change)
        return frozenset(r.members.loc[r.members["kind"] == "borrower", "id"])

    before = {key(r): r.score for r in base.rings}
    after = {key(r): r for r in with_list.rings}
    matched = [r for r in with_list.rings if any(s["name"] == "watchlist_match" for s in r.signals)]
    assert matched, "the list must match"
    # the same rings reported (13 before; 24 with a list that scored alone)
    assert len(after) == len(before) and set(after) == set(before)
    for r in with_list.rings:
        own = [s for s in r.signals if s["name"] != "watchlist_match" and (s.get("contribution") or 0) > 0]
        assert own, f"{r.ring_id} is reported on the match alone"
        assert r.typology not in ("none",)
    # a match corroborates: it adds, never more than its weight times the ring's own score
    for rid, r in after.items():
        b = before.get(rid)
        if b is not None:
            assert b - 1e-9 <= r.score <= b + 0.6 * b * (1 - b) + 1e-9, (rid, b, r.score)


# --------------------------------------------------------------------------------------- no leak of the key

def _all_bytes(root: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in root.rglob("*") if p.is_file()]


def test_key_never_in_outputs_logs_or_errors(bank_a, tmp_path, capsys, monkeypatch):
    from graphring.cli.watch import explain as explain_command, screen as screen_command
    from graphring.cli.watch import watchlist_export as watchlist_export_command

    key = secrets.token_bytes(32)
    hx = key.hex()
    kf = tmp_path / "secret" / "key.hex"
    kf.parent.mkdir()
    kf.write_text(hx + "\n", encoding="ascii")
    out = tmp_path / "out"
    watchlist_export_command(bank_a / "run", kf, out / "list.csv", 0.0, False)
    monkeypatch.setenv("GRAPHRING_HMAC_KEY", hx)
    watchlist_export_command(bank_a / "run", None, out / "list_env.csv", 0.5, False, source="bank A")
    screen_command(bank_a / "data", bank_a / "run", out / "list.csv", None, out / "screen")
    screen_command(bank_a / "data", bank_a / "run", out / "list.csv", kf, out / "screen2")
    rid = pd.read_csv(bank_a / "run" / "ring_members.csv", dtype=str)["ring_id"].iloc[0]
    explain_command(bank_a / "run", rid)
    # errors about the key
    bad = tmp_path / "secret" / "short.hex"
    bad.write_text(hx[:40], encoding="ascii")
    for kfile in (bad,):
        with pytest.raises(HmacKeyError) as ei:
            watchlist_export_command(bank_a / "run", kfile, out / "x.csv", 0.0, False)
        assert hx[:40] not in str(ei.value)
    monkeypatch.setenv("GRAPHRING_HMAC_KEY", hx[:-1])
    with pytest.raises(HmacKeyError) as ei:
        watchlist_export_command(bank_a / "run", None, out / "y.csv", 0.0, False)
    assert hx[:-1] not in str(ei.value)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    needles = [hx, hx.upper(), hx[:16], hx[-16:]]
    for n in needles:
        assert n not in text
    files = _all_bytes(out) + _all_bytes(bank_a / "run")
    assert any(p.name == "alerts.json" for p, _ in files) and any(p.name == "list.csv" for p, _ in files)
    for p, data in files:
        for n in needles:
            assert n.encode() not in data, p
        assert key not in data, p
        assert key[:12] not in data, p
    # the screening found the shared list's entries in the bank's own data
    alerts = pd.read_csv(out / "screen2" / "alerts.csv", dtype=str)
    assert (alerts["match"] == "watchlist").any()


def test_cli_like_export_reveal(bank_a, tmp_path, capsys):
    from graphring.cli.watch import watchlist_export as watchlist_export_command

    r = watchlist_export_command(bank_a / "run", None, tmp_path / "raw.csv", 0.0, True)
    assert r["hashed"] is False and r["rows"] > 0
    assert "RAW identifiers" in capsys.readouterr().out
    raw = pd.read_csv(tmp_path / "raw.csv", dtype=str)
    assert not raw["value"].str.startswith("hmac:").any()


def test_env_key_is_not_required_for_raw_lists(tmp_path):
    wl = pd.DataFrame({"kind": ["phone"], "value": ["13812345678"]})
    assert match_incidence(_inc(), wl, None)["borrower"].tolist() == ["B1"]
    assert normalise_value("phone", "１３８ 1234 5678") == "+8613812345678"


# --------------------------------------------------------------------------------------- key fingerprint (19.4)

def test_wrong_key_is_a_clear_error_not_zero_matches(bank_a, tmp_path):
    """Issue 19.4: `rings --watchlist wl.csv --key-file other.hex` and `screen` with the wrong key exit 1."""
    import json
    import shutil

    from typer.testing import CliRunner

    from graphring.cli import app
    from graphring.watch.watchlist import key_fingerprint

    other = bytes(reversed(range(32)))
    right_f, other_f = tmp_path / "right.hex", tmp_path / "other.hex"
    right_f.write_text(KEY.hex() + "\n")
    other_f.write_text(other.hex() + "\n")
    runner = CliRunner()
    r = runner.invoke(app, ["watchlist", "export", str(bank_a / "run"), "--key-file", str(right_f),
                            "--out", str(tmp_path / "wl.csv")])
    assert r.exit_code == 0, r.output
    listed = read_watchlist(tmp_path / "wl.csv")
    assert len(listed) and (listed["key_fingerprint"] == key_fingerprint(KEY)).all()
    text = (tmp_path / "wl.csv").read_text()
    assert KEY.hex() not in text and other.hex() not in text and key_fingerprint(other) not in text

    def matches(run_dir):
        rings = json.loads((run_dir / "rings.json").read_text(encoding="utf-8"))["rings"]
        return sum(len(s["evidence"]) for g in rings for s in g["signals"] if s["name"] == "watchlist_match")

    ok = runner.invoke(app, ["rings", str(bank_a / "data"), "--out", str(tmp_path / "ok"),
                             "--watchlist", str(tmp_path / "wl.csv"), "--key-file", str(right_f)])
    assert ok.exit_code == 0, ok.output
    assert matches(tmp_path / "ok") > 0
    bad = runner.invoke(app, ["rings", str(bank_a / "data"), "--out", str(tmp_path / "bad"),
                              "--watchlist", str(tmp_path / "wl.csv"), "--key-file", str(other_f)])
    assert bad.exit_code == 1
    assert "another HMAC key" in bad.output and key_fingerprint(other) in bad.output
    assert "Traceback" not in bad.output and other.hex() not in bad.output and KEY.hex() not in bad.output
    assert not (tmp_path / "bad" / "rings.json").exists()   # failed before the run, not after

    s_ok = runner.invoke(app, ["screen", str(bank_a / "data"), "--against", str(bank_a / "run"), "--watchlist",
                               str(tmp_path / "wl.csv"), "--key-file", str(right_f), "--out", str(tmp_path / "s1")])
    assert s_ok.exit_code == 0, s_ok.output
    assert (pd.read_csv(tmp_path / "s1" / "alerts.csv", dtype=str)["match"] == "watchlist").any()
    s_bad = runner.invoke(app, ["screen", str(bank_a / "data"), "--against", str(bank_a / "run"), "--watchlist",
                                str(tmp_path / "wl.csv"), "--key-file", str(other_f), "--out", str(tmp_path / "s2")])
    assert s_bad.exit_code == 1 and "another HMAC key" in s_bad.output and "Traceback" not in s_bad.output

    # the list as a `watchlist` table inside the data folder: the same error
    folder = tmp_path / "with_list"
    shutil.copytree(bank_a / "data", folder)
    shutil.copy(tmp_path / "wl.csv", folder / "watchlist.csv")
    t_bad = runner.invoke(app, ["rings", str(folder), "--out", str(tmp_path / "t"), "--key-file", str(other_f)])
    assert t_bad.exit_code == 1 and "another HMAC key" in t_bad.output and "Traceback" not in t_bad.output


def test_fingerprint_check_in_the_library():
    from graphring.watch.watchlist import check_key, key_fingerprint

    h = pseudonymise("phone", "13812345678", KEY)
    wl = pd.DataFrame({"kind": ["phone"], "value": [h], "key_fingerprint": [key_fingerprint(KEY)]})
    assert match_incidence(_inc(), wl, KEY)["borrower"].tolist() == ["B1"]
    with pytest.raises(HmacKeyError, match="another HMAC key"):
        match_incidence(_inc(), wl, bytes(32))
    # a list without fingerprints (older, or from another tool) still matches
    assert match_incidence(_inc(), wl.drop(columns="key_fingerprint"), KEY)["borrower"].tolist() == ["B1"]
    # raw values never need a key, whatever the fingerprint column says
    check_key(pd.DataFrame({"kind": ["phone"], "value": ["13812345678"], "key_fingerprint": ["kfp:x"]}), None)
    assert key_fingerprint(KEY) != key_fingerprint(bytes(32)) and KEY.hex()[:16] not in key_fingerprint(KEY)
