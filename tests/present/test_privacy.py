"""Masked by default means every output (issue 17, PIPL).

Report pages, referral packs (HTML, PDF, CSV, XLSX, SVG, i2, GraphML, GEXF),
``explain`` and ``watchlist export`` are built from the bundled sample and from
a messy generated set whose complaint letters were given every spelling of the
writers' own names, contacts, phones (``+86``, spaced, hyphenated, full-width),
resident IDs, card numbers and addresses; every output file is searched for
every personal value of the input (``privacy_scan``). None may be found
without ``--reveal``; with ``--reveal`` they are (so the search can find them).
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from graphring.analyse.explain import explain_ring
from graphring.present.privacy import Masker, mask_address, mask_text
from graphring.present.referral.pack import write_referral
from graphring.present.report.writer import write_report
from graphring.pipeline import find_rings, write_run
from graphring.sample import generate
from graphring.watch.watchlist import export_watchlist, write_watchlist
from privacy_scan import personal_values, scan

ROOT = Path(__file__).resolve().parents[2]
FW = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def _spellings(phone: str, idn: str, account: str, address: str, contact: str, name: str, i: int) -> str:
    """A sentence carrying one person's values in one of several spellings."""
    d = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))[-11:]
    ph = [f"+86 {d[:3]}-{d[3:7]}-{d[7:]}", f"{d[:3]} {d[3:7]} {d[7:]}", d.translate(FW),
          f"（+86）{d}", f"0086-{d}"][i % 5]
    idn_s = [f"{idn[:6]} {idn[6:14]} {idn[14:]}", "-".join(idn[j:j + 4] for j in range(0, len(idn), 4)),
             idn.translate(FW)][i % 3]
    acct = " ".join(account[j:j + 4] for j in range(0, len(account), 4))
    return (f"本人{name}，身份证{idn_s}，住{address}，银行卡{acct}。紧急联系人{contact}知情，"
            f"联系电话{ph}。投诉人：{name}")


def _hostile_messy(root: Path) -> Path:
    """A messy generated set whose letters carry their writers' personal values in many spellings."""
    data = root / "bank"
    generate(data, 2000, seed=5, messy=True)
    enc = "gb18030"
    b = pd.read_csv(data / "borrowers.csv", dtype=str, keep_default_na=False, encoding=enc, on_bad_lines="skip")
    c = pd.read_csv(data / "complaints.csv", dtype=str, keep_default_na=False, encoding=enc, on_bad_lines="skip")
    ct = pd.read_csv(data / "contacts.csv", dtype=str, keep_default_na=False, encoding=enc, on_bad_lines="skip")
    bid, text = "客户号", "投诉内容"
    bi = b.drop_duplicates(bid).set_index(bid)
    cn = ct.drop_duplicates("客户号").set_index("客户号")["联系人姓名"]
    rng = random.Random(5)
    texts = []
    for i, (who, t) in enumerate(zip(c[bid], c[text])):
        if who in bi.index and rng.random() < 0.7:
            r = bi.loc[who]
            texts.append(t + _spellings(r["手机号"], r["身份证号"], r["银行卡号"], r["地址"],
                                        cn.get(who, "王某"), r["姓名"], i))
        else:
            texts.append(t)
    c[text] = texts
    c.to_csv(data / "complaints.csv", index=False, encoding=enc)
    return data


def _outputs(data: Path, out: Path, reveal: bool = False, rings: int = 1) -> list[Path]:
    """Every writer's output for ``data`` (run, then report, referrals, explain, watchlist) under ``out``."""
    run = out / "run"
    res = find_rings(data)
    write_run(res, run, data_dir=data)
    ids = [r["ring_id"] for r in json.loads((run / "rings.json").read_text(encoding="utf-8"))["rings"]][:rings]
    assert ids, "the set must give rings to report"
    write_report(run, out / "report", top=5, reveal=reveal)
    for rid in ids:
        write_referral(run, rid, out / f"referral-{rid}", reveal=reveal)
    ex = out / "explain"
    ex.mkdir()
    for rid in ids + [r["ring_id"] for r in json.loads((run / "rings.json").read_text(encoding="utf-8"))["rings"][1:3]]:
        (ex / f"{rid}.txt").write_text(explain_ring(run, rid, reveal=reveal)["text"], encoding="utf-8")
    wl = out / "watchlist"
    wl.mkdir()
    write_watchlist(export_watchlist(run, key=bytes(range(32)), min_score=0.0, reveal=reveal), wl / "list.csv")
    return [out / "report", *[out / f"referral-{r}" for r in ids], ex, wl]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return _hostile_messy(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("which", ["bundled", "messy"])
def test_no_personal_value_in_any_output(which, hostile, tmp_path, record_property):
    data = ROOT / "sample_data" / "bank_a" if which == "bundled" else hostile
    vals = personal_values(data)
    assert vals.counts()["name"] > 1000 and vals.counts()["phone"] > 1000
    roots = _outputs(data, tmp_path / "out")
    s = scan(roots, vals)
    kinds = {Path(f).suffix for f in s.files}
    assert {".html", ".csv", ".xlsx", ".pdf", ".svg", ".graphml", ".gexf", ".json", ".txt"} <= kinds
    if which == "messy":  # the planted spellings reached the pages (masked)
        pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "report").glob("ring-*.html"))
        assert pages.count("紧急联系人") > 10, "the hostile letters must be on the ring pages"
    print(f"{which}: {s.summary()}")
    record_property("scan", s.summary())
    assert not s.hits, s.summary()


def test_reveal_shows_them_so_the_search_can_find_them(tmp_path):
    data = ROOT / "sample_data" / "bank_a"
    vals = personal_values(data)
    out = tmp_path / "out"
    run = out / "run"
    write_run(find_rings(data), run, data_dir=data)
    write_report(run, out / "report", top=2, reveal=True)
    s = scan([out / "report"], vals)
    cats = {c for _, c, _ in s.hits}
    assert {"name", "phone", "id_number", "address"} <= cats, s.summary()


def test_letter_spellings_are_masked():
    m = Masker(["蒋林嘉", "王月瑶"])
    letter = _spellings("+8615695666422", "36070219901004479X", "6217995337491304033",
                        "江西省南昌市东湖区复兴路298号大唐苑30栋6单元3002室", "王月瑶", "蒋林嘉", 0)
    for i in range(5):
        t = m.text(_spellings("+8615695666422", "36070219901004479X", "6217995337491304033",
                              "江西省南昌市东湖区复兴路298号大唐苑30栋6单元3002室", "王月瑶", "蒋林嘉", i))
        for leak in ("蒋林嘉", "王月瑶", "5666422", "95666", "1004479", "74913", "复兴路", "3002室",
                     "５６６６"):
            assert leak not in t, (leak, t)
        assert "江西省南昌市东湖区****" in t and "156****6422" in t
    assert Masker([], reveal=True).text(letter) == letter


def test_free_text_keeps_dates_amounts_and_public_ids():
    t = "2024-01-06 至 2024-02-06 借款159,000.00元，投诉编号TS20240725000001，统一社会信用代码91330302MA8G7D4K2X"
    assert mask_text(t) == t


def test_address_to_district():
    assert mask_address("江苏省苏州市姑苏区人民路100号") == "江苏省苏州市姑苏区****"
    assert mask_address("内蒙古自治区呼和浩特市新城区海拉尔东路5号") == "内蒙古自治区呼和浩特市新城区****"
    assert mask_address("北京市东城区") == "北京市东城区"


def test_report_and_referral_share_one_masking_pass():
    import graphring.present.privacy as p
    import graphring.present.ringdata as rd
    import graphring.present.report.safe as safe

    assert safe.mask_prop is p.mask_prop and rd.mask_prop is p.mask_prop
    assert safe.mask_free_text is p.mask_text and rd.mask_free is p.mask_text
    assert safe.PROP_MASKS is p.PROP_MASKS and rd.mask_node is p.mask_node
    for mod in (safe, rd):
        assert not hasattr(mod, "_E164_CN") and not hasattr(mod, "_PROP_MASKS")


def test_referral_never_shows_an_unmasked_address_key_or_key(tmp_path):
    """The drifted referral copy left ``address_key`` and ``key`` raw (issue 15): one rule now masks both."""
    import csv

    import graphring.present.ringdata as rd
    import graphring.present.report.safe as safe
    from demo_data import demo_run
    from graphring.present.referral.pack import write_referral

    addr = "江苏省苏州市姑苏区人民路100号"
    for mod in (rd, safe):
        assert mod.mask_prop("address_key", addr) == "江苏省苏州市姑苏区****"
        assert mod.mask_prop("key", "B000123") == "B*****3"
        assert mod.mask_prop("address_key", addr, reveal=True) == addr
    run = demo_run(tmp_path / "demo")

    def keys(reveal):
        write_referral(run, "R0001", tmp_path / f"pack{reveal}", reveal=reveal)
        with open(tmp_path / f"pack{reveal}" / "evidence.csv", encoding="utf-8-sig", newline="") as f:
            return [r["key"] for r in csv.DictReader(f) if r["table"] == "borrowers"]

    masked, raw = keys(False), keys(True)
    assert masked and len(masked) == len(raw)
    for m, r in zip(masked, raw):
        assert "*" not in r and m != r and m[0] == r[0] and m[-1] == r[-1] and "*" in m, (m, r)
