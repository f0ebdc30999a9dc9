"""HTML reports: escaping of hostile text, masking, no external resources, index and files written."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from graphring.errors import GraphringError, RunError
from graphring.present.report import REVEAL_BANNER, render_index, render_ring, ring_filename, write_report
from graphring.cli import console
from graphring.cli.report import report as report_command
from graphring.present.report.data import ReportRun
from graphring.present.report.graph import BIG_GRAPH, ring_graph, vis_options
from graphring.present.report.safe import NameScrubber, esc, inline_code, mask_free_text, script_json
from report_runs import HOSTILE, HOSTILE_NAME, hostile_run, large_run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real run (600 generated borrowers) with hostile text planted before ring finding."""
    root = tmp_path_factory.mktemp("report")
    info = hostile_run(root, 600, seed=1)
    rr = ReportRun.load(info["run"])
    hostile_rings = [r["ring_id"] for r in rr.rings
                     if any(m["kind"] == "borrower" and m["id"] in info["borrowers"] for m in r["members"])]
    assert hostile_rings, "the planted ring with hostile complaints was not found"
    info["rr"] = rr
    with_name = [r for r in hostile_rings if any(m["id"] == info["named"] for m in rr.ring(r)["members"])]
    info["ring"] = (with_name or hostile_rings)[0]
    info["named_in_ring"] = bool(with_name)
    return info


def _json_block(page: str, block_id: str):
    m = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S)
    assert m, block_id
    return json.loads(m.group(1))


def _script_bodies(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)


# ---------------------------------------------------------------------------------------------
# escaping
# ---------------------------------------------------------------------------------------------

def test_script_json_cannot_break_out():
    s = script_json({"t": HOSTILE})
    assert "<" not in s and ">" not in s and "&" not in s
    assert "\u2028" not in s and "\u2029" not in s
    assert json.loads(s) == {"t": HOSTILE}


def test_esc_and_inline_code():
    assert esc('"onmouseover=alert(1)') == "&quot;onmouseover=alert(1)"
    assert "<" not in esc(HOSTILE)
    with pytest.raises(GraphringError):
        inline_code("var a = '</script>';", "script")


def test_hostile_complaint_is_data_not_markup(built):
    for reveal in (False, True):
        page = render_ring(built["rr"], built["ring"], reveal=reveal)
        # the page has exactly its own script elements: three JSON blocks (data, options, texts), vis-network,
        # the page script
        assert len(re.findall(r"<script\b", page)) == 5
        assert "<script>window.__xss" not in page
        assert "<img src=x" not in page
        assert 'onerror="window' not in page
        assert "\u2028" not in page and "\u2029" not in page
        data = _json_block(page, "ring-data")
        texts = [v for n in data["nodes"] for k, v in n["props"] if k == "text"]
        assert any(HOSTILE in t for t in texts), "the hostile text should reach the page as data"


def test_hostile_name_escaped_when_revealed(built):
    if not built["named_in_ring"]:
        pytest.skip("the borrower with the hostile name is in no reported ring")
    page = render_ring(built["rr"], built["ring"], reveal=True)
    assert HOSTILE_NAME not in page  # only escaped forms
    data = _json_block(page, "ring-data")
    assert any(HOSTILE_NAME in n["label"] for n in data["nodes"])
    masked = _json_block(render_ring(built["rr"], built["ring"]), "ring-data")
    assert not any("onerror" in n["label"] for n in masked["nodes"])


def test_index_escapes_everything(built):
    page = render_index(built["rr"])
    assert "<script>window" not in page and "<img" not in page
    assert len(re.findall(r"<script\b", page)) == 1


def test_csp_allows_only_own_scripts(built):
    import base64
    import hashlib

    page = render_ring(built["rr"], built["ring"])
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(
        "style-src")[0]
    for body in _script_bodies(page):
        if body.startswith("{"):  # JSON data blocks are not executed
            continue
        h = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{h}'" in csp


# ---------------------------------------------------------------------------------------------
# masking
# ---------------------------------------------------------------------------------------------

def test_masked_by_default_revealed_on_request(built, tmp_path):
    rr = built["rr"]
    ring = rr.ring(built["ring"])
    bids = [m["id"] for m in ring["members"] if m["kind"] == "borrower"]
    b = rr.nodes[rr.nodes["node"].isin(["borrower:" + x for x in bids])]
    phones = [p for p in b["phone"].dropna() if p]
    idns = [p for p in b.get("id_number", pd.Series(dtype=object)).dropna() if p]
    assert phones
    masked = render_ring(rr, built["ring"], lang="en")
    revealed = render_ring(rr, built["ring"], reveal=True, lang="en")
    for raw in bids + phones + idns:
        assert raw not in masked, raw
    assert any(x in revealed for x in bids)
    assert any(p in revealed for p in phones)
    assert "Identifiers masked" in masked and REVEAL_BANNER not in masked
    assert 'id="reveal-banner"' in revealed and "Identifiers revealed" in revealed
    # Chinese (the default) states it in Chinese
    assert "标识已脱敏" in render_ring(rr, built["ring"]) and "已显示完整标识" in render_ring(rr, built["ring"], reveal=True)
    # every written page states reveal
    res = write_report(rr, tmp_path / "rev", top=3, reveal=True)
    for p in [res["index"], *res["pages"]]:
        assert 'id="reveal-banner"' in p.read_text(encoding="utf-8"), p
    res = write_report(rr, tmp_path / "mask", top=3)
    for p in [res["index"], *res["pages"]]:
        text = p.read_text(encoding="utf-8")
        assert 'id="reveal-banner"' not in text and "标识已脱敏" in text


def test_names_and_e164_numbers_masked_in_free_text():
    assert mask_free_text("代理 +8613812345678") == "代理 +86 138****5678"
    assert NameScrubber(["罗晨"])("本人罗晨，罗晨") == "本人罗*，罗*"


def test_complaint_text_names_masked(built):
    rr = built["rr"]
    data = _json_block(render_ring(rr, built["ring"]), "ring-data")
    ring = rr.ring(built["ring"])
    names = rr.nodes[rr.nodes["node"].isin(["borrower:" + m["id"] for m in ring["members"]
                                             if m["kind"] == "borrower"])]["name"].dropna()
    blob = json.dumps(data, ensure_ascii=False)
    for n in names:
        if len(n) >= 2:
            assert n not in blob, n


# ---------------------------------------------------------------------------------------------
# no external resources
# ---------------------------------------------------------------------------------------------

_EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|data|poster)\s*=\s*["']?\s*(?:https?:)?//)"""
                       r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""", re.I)


def test_no_external_resources(built, tmp_path):
    res = write_report(built["rr"], tmp_path / "rep", top=5)
    for p in [res["index"], *res["pages"]]:
        text = p.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(text), (p.name, _EXTERNAL.search(text))
        low = text.lower()
        assert not any(host in low for host in ("unpkg.com", "jsdelivr", "cdnjs", "cdn.", "googleapis"))
        assert "<link" not in text and "<iframe" not in text


# ---------------------------------------------------------------------------------------------
# index, ring pages, files
# ---------------------------------------------------------------------------------------------

def test_index_lists_rings(built):
    rr = built["rr"]
    page = render_index(rr, lang="en")
    for r in rr.rings:
        assert f'href="{ring_filename(r["ring_id"])}"' in page
        assert f">{r['ring_id']}</a>" in page
    for col in ("Score", "Typology", "Outstanding", "Loans", "Strongest signals", "First activity", "Last activity"):
        assert col in page
    zh = render_index(rr)
    for col in ("分数", "类型", "欠款余额", "贷款", "主要线索", "最早活动", "最近活动"):
        assert f">{col}</th>" in zh
    top2 = render_index(rr, top=2)
    assert top2.count("<tr data-href=") == 2
    assert 'id="filter"' in page and 'id="typology"' in page


def test_index_summaries(built):
    s = built["rr"].summaries()
    assert list(s.index) == [r["ring_id"] for r in built["rr"].rings]
    assert (s["outstanding"] > 0).any() and (s["loans"] > 0).any()
    ok = s.dropna(subset=["first_activity"])
    assert len(ok) and (ok["first_activity"] <= ok["last_activity"]).all()


def test_ring_page_content(built):
    rr = built["rr"]
    g = ring_graph(rr, built["ring"], lang="en")
    kinds = {n["kind"] for n in g["nodes"]}
    assert {"borrower", "complaint"} <= kinds
    labels = {e["label"] for e in g["edges"]}
    assert any("complaint from phone" in x for x in labels)
    assert any(x.startswith("repaid loan") or x.startswith("paid") for x in labels)
    zh = ring_graph(rr, built["ring"])
    assert any("投诉来电" in e["label"] for e in zh["edges"])
    assert any(e["label"].startswith(("还款", "代还", "付款")) for e in zh["edges"])
    assert g["events"] and all(a["date"] <= b["date"] for a, b in zip(g["events"], g["events"][1:]))
    assert {e["cat"] for e in g["events"]} >= {"complaint", "loan"}
    assert g["signals"] and any(s["evidence"] for s in g["signals"])
    assert any(n["ev"] for n in g["nodes"]), "evidence rows should be linked to nodes"
    ids = {n["id"] for n in g["nodes"]}
    assert all(re.fullmatch(r"n\d+", i) for i in ids), "node ids must be opaque"
    assert all(e["from"] in ids and e["to"] in ids for e in g["edges"])
    page = render_ring(rr, built["ring"])
    for needle in ('id="search"', 'id="freeze"', 'id="legend"', 'id="signals"', 'id="events"', "vis.Network"):
        assert needle in page


def test_unknown_ring_and_bad_run(built, tmp_path):
    with pytest.raises(RunError):
        render_ring(built["rr"], "R9999")
    with pytest.raises(RunError):
        render_index(tmp_path / "nothing")
    # a run without its state
    d = tmp_path / "nostate"
    d.mkdir()
    for n in ("rings.json", "ring_members.csv", "manifest.json"):
        (Path(built["run"]) / n).is_file() and (d / n).write_bytes((Path(built["run"]) / n).read_bytes())
    with pytest.raises(RunError, match="state"):
        write_report(d, tmp_path / "out")


def test_files_written(built, tmp_path):
    calls = []
    res = write_report(built["run"], tmp_path / "rep", top=3, progress=lambda m, d, t: calls.append((m, d, t)))
    assert res["index"].name == "index.html" and res["index"].is_file()
    assert [p.name for p in res["pages"]] == [ring_filename(r["ring_id"]) for r in built["rr"].rings[:3]]
    assert all(p.stat().st_size > 100_000 for p in res["pages"])  # vis-network is inlined
    assert res["bytes"] == sum(p.stat().st_size for p in [res["index"], *res["pages"]])
    assert calls[-1][1] == calls[-1][2] == 4


def test_report_command(built, tmp_path):
    def said(*args, **kw):
        with console.capture() as cap:
            res = report_command(*args, **kw)
        return res, " ".join(cap.get().split())

    res, out = said(built["run"], tmp_path / "r", 2, False, lang="en")
    assert len(res["pages"]) == 2 and "index.html" in out and "masked" in out
    _, out = said(built["run"], tmp_path / "r2", 1, True, lang="en")
    assert "REVEALED" in out
    _, out = said(built["run"], tmp_path / "r3", 1, False)
    assert "index.html" in out and "已脱敏" in out
    with pytest.raises(GraphringError, match="--lang"):
        report_command(built["run"], tmp_path / "r4", 1, False, lang="fr")


def test_ring_filename_is_safe():
    assert ring_filename("R0001") == "ring-R0001.html"
    for bad in ("../../etc/passwd", "a/b", "<x>", "", ".hidden"):
        name = ring_filename(bad)
        assert re.fullmatch(r"ring-[A-Za-z0-9_.-]+\.html", name) and "/" not in name and ".." not in name


# ---------------------------------------------------------------------------------------------
# large rings
# ---------------------------------------------------------------------------------------------

def test_large_ring_is_folded(tmp_path):
    d = large_run(tmp_path / "big", n_borrowers=400, leaves=4)  # 2,802 entities
    rr = ReportRun.load(d)
    g = ring_graph(rr, "R0001")
    assert g["stats"]["nodes"] > 2000
    assert g["stats"]["visible"] < 0.5 * g["stats"]["nodes"]
    assert g["groups"] and sum(x["count"] for x in g["groups"]) == 1600
    assert all("x" in n for n in g["nodes"] if "group" not in n), "big graphs get seeded positions"
    opts = vis_options(g["stats"]["visible"])
    assert opts["layout"]["improvedLayout"] is False and opts["interaction"]["hideEdgesOnDrag"] is True
    assert opts["physics"]["stabilization"]["enabled"] is True
    assert g["stats"]["visible"] >= BIG_GRAPH


def test_assets_ship_in_package():
    assets = resources.files("graphring.present.report").joinpath("assets")
    vis = assets.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    assert "vis-network" in vis[:300] and len(vis) > 300_000
    assert "MIT" in assets.joinpath("LICENSE-vis-network.txt").read_text(encoding="utf-8")
    for t in ("index.html", "ring.html"):
        assert resources.files("graphring.present.report").joinpath("templates", t).is_file()


def test_minimal_and_empty_runs():
    rings = {"run": {}, "rings": [{"ring_id": "R0001", "score": 0.5, "typology": "mixed", "signals": [],
                                   "members": [{"kind": "borrower", "id": "B1", "role": "member"},
                                               {"kind": "borrower", "id": "B2", "role": "member"}]}]}
    nodes = pd.DataFrame(columns=["node", "kind", "key"])
    edges = pd.DataFrame(columns=["type", "src", "dst", "_table", "_row"])
    rr = ReportRun(rings, {}, nodes, edges)
    data = _json_block(render_ring(rr, "R0001"), "ring-data")
    assert len(data["nodes"]) == 2 and data["edges"] == [] and data["events"] == []
    assert "R0001" in render_index(rr)
    assert "no ring above" in render_index(ReportRun({"run": {}, "rings": []}, {}, nodes, edges), lang="en")
    assert "没有分数超过阈值的团伙" in render_index(ReportRun({"run": {}, "rings": []}, {}, nodes, edges))


def test_iframe_for_notebooks(built):
    from graphring.present.report import as_iframe

    frame = as_iframe(render_ring(built["rr"], built["ring"]))
    assert frame.startswith("<iframe") and frame.count("<") == 2 and 'sandbox="allow-scripts"' in frame


# ---------------------------------------------------------------------------------------------
# language and fonts
# ---------------------------------------------------------------------------------------------

def test_pages_chinese_by_default_with_signal_names_and_codes(built):
    from graphring.present.i18n import signal_name, typology_name

    rr = built["rr"]
    ring = rr.ring(built["ring"])
    page = render_ring(rr, built["ring"])
    assert '<html lang="zh-CN">' in page
    data = _json_block(page, "ring-data")
    texts = _json_block(page, "ring-i18n")
    assert texts["freeze"] == "冻结布局" and texts["kinds"]["phone"] == "手机号"
    for s, sig in zip(data["signals"], ring["signals"]):
        # the human name for readers, the code kept as the id
        assert s["name"] == sig["name"] and s["title"] == signal_name(sig["name"], "zh") != sig["name"]
    assert typology_name(ring["typology"], "zh") in page
    idx = render_index(rr)
    top = ring["signals"][0]["name"]
    assert f'data-code="{top}">{signal_name(top, "zh")}</span>' in idx
    en = render_ring(rr, built["ring"], lang="en")
    assert '<html lang="en">' in en and _json_block(en, "ring-i18n")["freeze"] == "Freeze layout"


def test_pages_embed_the_cjk_glyphs_they_use(built):
    import base64
    import io

    from fontTools.ttLib import TTFont

    rr = built["rr"]
    for page in (render_ring(rr, built["ring"]), render_index(rr)):
        m = re.search(r"@font-face\{font-family:'Graphring CJK Sans';src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)",
                      page)
        assert m, "no embedded font"
        cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap()
        # every character the page shows: its text and JSON data (not the code of the inlined libraries)
        shown = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
        han = {c for c in shown if "\u4e00" <= c <= "\u9fff"}
        assert len(han) > 50
        from graphring.present.fonts import covers

        missing = {c for c in han if ord(c) not in cmap and covers(c)}
        assert not missing, sorted(missing)[:20]
        assert "font-src data:" in page
        # a subset, not the whole 3 MB font
        assert len(m.group(1)) < 1_000_000


# ---------------------------------------------------------------------------------------------
# what was set aside (suppressed hubs) and history
# ---------------------------------------------------------------------------------------------

def test_suppressed_hubs_in_rings_json_manifest_and_index(tmp_path, monkeypatch):
    """A real run where employers shared by more than 3 borrowers are hubs: listed with kind, masked value,
    count and rule in rings.json, counted in the manifest, shown on the index page."""
    import dataclasses

    from graphring.detect import projection
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate

    data = tmp_path / "data"
    generate(data, 400, seed=3)
    monkeypatch.setitem(projection.LINKS, "employer", dataclasses.replace(projection.LINKS["employer"], max_share=3))
    res = find_rings(data, seed=0)
    write_run(res, tmp_path / "run", data_dir=data)
    rings = json.loads((tmp_path / "run" / "rings.json").read_text(encoding="utf-8"))
    hubs = rings["suppressed_hubs"]
    emp = [h for h in hubs if h["link"] == "employer"]
    assert emp and all(h["n"] > 3 and h["cap"] == 3 and h["kind"] == "company" for h in emp)
    assert [h["n"] for h in hubs] == sorted((h["n"] for h in hubs), reverse=True)
    assert set(hubs[0]) == {"kind", "link", "value", "n", "cap", "rule"}
    assert len(hubs) == len(res.projection.hubs)
    phones = [h for h in hubs if h["kind"] == "phone"]
    assert all("****" in h["value"] for h in phones)          # masked like every report
    man = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert man["suppressed_hubs"]["count"] == len(hubs) and man["suppressed_hubs"]["by_link"]["employer"] == len(emp)
    page = render_index(tmp_path / "run")
    assert 'id="hubs"' in page and "作为枢纽排除的标识" in page
    assert f'>{esc(emp[0]["value"])}</td><td class="num">{emp[0]["n"]}</td>' in page
    assert "共用人数" in page and "上限 3" in page
    assert "Suppressed as hubs" in render_index(tmp_path / "run", lang="en")


def test_index_shows_history_status_and_members_who_came_and_went(built, tmp_path):
    import shutil

    from graphring.analyse.history import match_rings, write_history

    run = tmp_path / "run"
    shutil.copytree(built["run"], run)
    rr = ReportRun.load(run)
    cur = [{m["id"] for m in r["members"] if m["kind"] == "borrower"} for r in rr.rings]
    # the previous run: ring 1 had two more borrowers, ring 2 one fewer, a ring that is gone
    prev = {r["ring_id"]: set(c) for r, c in zip(rr.rings, cur)}
    r1, r2 = rr.rings[0]["ring_id"], rr.rings[1]["ring_id"]
    prev[r1] |= {"GONE1", "GONE2"}
    prev[r2] -= {sorted(prev[r2])[0]}
    prev["R0999"] = {"X1", "X2", "X3"}
    h = match_rings(cur, prev, next_id=1000)
    h.status["ring_id"] = [r["ring_id"] for r in rr.rings]
    write_history(run, h)
    page = render_index(run)
    assert ">与上次比较</th>" in page
    assert 'data-code="shrunk">缩小</span>' in page and 'data-code="grown">扩大</span>' in page
    assert "离开成员 2" in page and "新增成员 1" in page
    assert 'id="gone"' in page and "R0999" in page
    en = render_index(run, lang="en")
    assert "2 went" in en and "1 came" in en
    # without a previous run there is no such column
    assert "与上次比较" not in render_index(built["run"])


def test_index_links_referral_packs(built, tmp_path):
    from graphring.present.report.writer import write_report

    rid = built["rr"].rings[0]["ring_id"]
    out = tmp_path / "rep"
    (out / f"referral-{rid}").mkdir(parents=True)
    (out / f"referral-{rid}" / f"referral-{rid}.pdf").write_bytes(b"%PDF-1.4")
    res = write_report(built["rr"], out, top=2)
    assert res["packs"] == {rid: f"referral-{rid}/referral-{rid}.pdf"}
    page = res["index"].read_text(encoding="utf-8")
    assert f'<a class="pack" href="referral-{rid}/referral-{rid}.pdf">移送材料</a>' in page
    assert page.count('class="pack"') == 1
