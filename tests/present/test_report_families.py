"""Networks of rings (全链条, issue 13.2): the report index shows rings linked one level up as families.

The fixture is a real run on a hand-made folder: two teams, each held together by its own complaint
phone and attachment, bought one script (two rings, one family); a third team writes its own script
(a ring in no family).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from graphring.present.privacy import mask_entity
from graphring.present.report import render_index, render_ring, ring_filename, write_report
from graphring.present.report.data import ReportRun
from graphring.present.report.safe import esc
from report_runs import HOSTILE, HOSTILE_NAME
from family_runs import linked_run

@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    return linked_run(tmp_path_factory.mktemp("families"))


def _row(page: str, ring_id: str) -> str:
    m = re.search(rf'<tr data-href="{re.escape(ring_filename(ring_id))}".*?</tr>', page, re.S)
    assert m, ring_id
    return m.group(0)


def _family_block(page: str, family: str) -> str:
    m = re.search(rf'<div class="family" id="family-{family}".*?</table></div>', page, re.S)
    assert m, family
    return m.group(0)


def _visible(page: str) -> str:
    """What a page shows and links: no inlined styles (the embedded font) or scripts."""
    return re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)


def test_the_run_links_the_two_script_rings_in_one_family(linked):
    links = json.loads((linked["run"] / "rings.json").read_text(encoding="utf-8"))["ring_links"]
    assert [(x["rings"], x["kind"], x["family"]) for x in links] == [
        (sorted([linked["a"], linked["b"]]), "script", "F001")]


def test_index_groups_the_family_and_leaves_the_lone_ring_alone(linked):
    page = render_index(linked["run"])
    a, b, lone = linked["a"], linked["b"], linked["lone"]
    assert '<section class="families" id="families"><h2>团伙网络（全链条）</h2>' in page
    fam = _family_block(page, "F001")
    # the family heading: its id, its rings together, what links them and how much they share
    assert "链条 F001：2 个团伙" in fam and "关联方式：同一投诉话术（雷同文书）" in fam
    for rid in (a, b):
        assert f'<a href="{ring_filename(rid)}">{rid}</a>' in fam
    assert lone not in fam
    assert 'data-code="script">同一投诉话术（雷同文书）</td><td class="num">36 对雷同投诉信</td>' in fam
    assert page.count('<div class="family"') == 1
    # each family row says its family and links to its mate; the lone ring's row has an empty family cell
    assert '>所属链条</th>' in page
    for rid, mate in ((a, b), (b, a)):
        row = _row(page, rid)
        assert '<a class="fam" href="#family-F001">F001</a>' in row
        assert f'<span class="mates"><br><span class="muted">同链条：</span><a href="{ring_filename(mate)}">{mate}</a>' \
               in row
    assert '<td class="family" data-sort="~"></td>' in _row(page, lone)
    assert "F001" not in _row(page, lone)


def test_index_in_english(linked):
    page = render_index(linked["run"], lang="en")
    fam = _family_block(page, "F001")
    assert "Networks of rings (whole chain)" in page and ">Family</th>" in page
    assert "Family F001: 2 rings" in fam and "linked by: one complaint script (near-identical letters)" in fam
    assert "near-identical letter pairs: 36" in fam and "Examples (masked)" in fam
    assert "团伙网络" not in page and "同链条" not in page


def test_family_examples_masked_by_default_revealed_on_request(linked):
    links = ReportRun.load(linked["run"]).ring_links
    pairs = [x.split("~") for x in links[0]["examples"]]
    raw = sorted({b for p in pairs for b in p})
    assert len(raw) >= 2
    masked = _visible(render_index(linked["run"]))
    for x in raw:
        assert x not in masked, x
    u, v = pairs[0]
    assert f"{mask_entity('borrower', u)} 与 {mask_entity('borrower', v)} 的投诉信" in masked
    assert "示例（已脱敏）" in masked
    revealed = _visible(render_index(linked["run"], reveal=True))
    assert f"{u} 与 {v} 的投诉信" in revealed and "示例（已脱敏）" not in revealed
    ring = _visible(render_ring(linked["run"], linked["a"]))
    assert not any(x in ring for x in raw)
    assert f"{u} 与 {v} 的投诉信" in _visible(render_ring(linked["run"], linked["a"], reveal=True))


def test_ring_page_lists_its_linked_rings_with_the_evidence(linked):
    a, b = linked["a"], linked["b"]
    page = render_ring(linked["run"], a)
    assert '<h3 id="family" data-family="F001"><a href="index.html#family-F001">所属链条 F001</a></h3>' in page
    item = re.search(r'<ul class="family-links">(.*?)</ul>', page, re.S).group(1)
    assert f'<li data-ring="{b}"><a href="{ring_filename(b)}">{b}</a>' in item
    assert "同一投诉话术（雷同文书），36 对雷同投诉信" in item
    assert a not in item
    en = render_ring(linked["run"], a, lang="en")
    assert "Family F001" in en and "one complaint script (near-identical letters), near-identical letter pairs: 36" in en
    # no back link (a notebook): no link to the index
    assert 'href="index.html#family' not in render_ring(linked["run"], a, back=None)
    # the lone ring's page has no family
    assert 'id="family"' not in render_ring(linked["run"], linked["lone"])


def test_report_with_top_links_only_the_pages_it_wrote(linked, tmp_path):
    rr = ReportRun.load(linked["run"])
    first = rr.rings[0]["ring_id"]
    assert first in (linked["a"], linked["b"])
    mate = linked["b"] if first == linked["a"] else linked["a"]
    res = write_report(rr, tmp_path / "rep", top=1)
    index = res["index"].read_text(encoding="utf-8")
    ring = (tmp_path / "rep" / ring_filename(first)).read_text(encoding="utf-8")
    assert not (tmp_path / "rep" / ring_filename(mate)).exists()
    for page in (index, ring):
        assert f'href="{ring_filename(mate)}"' not in page
        assert f'<span class="muted" title="未列入本报告">{mate}</span>' in page
    assert 'id="family-F001"' in index


def test_hostile_link_examples_are_escaped(linked, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(linked["run"], run)
    doc = json.loads((run / "rings.json").read_text(encoding="utf-8"))
    a, b = doc["ring_links"][0]["rings"]
    doc["ring_links"] = [
        {"rings": [a, b], "kind": "script", "n": 1, "examples": [f"{HOSTILE_NAME}~{HOSTILE}"], "family": "F001"},
        {"rings": [a, b], "kind": "intermediary", "n": 2, "family": "F001",
         "examples": ["intermediary:" + HOSTILE, "agent:" + HOSTILE_NAME + "（<b>苏州</b>）"]},
        {"rings": [a, "<img src=x onerror=alert(9)>"], "kind": "<script>alert(8)</script>", "n": 1,
         "examples": ["x"], "family": "F001"}]
    (run / "rings.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for reveal in (False, True):
        for page, scripts in ((render_index(run, reveal=reveal), 1), (render_ring(run, a, reveal=reveal), 5),
                              (render_ring(run, b, reveal=reveal, lang="en"), 5)):
            assert len(re.findall(r"<script\b", page)) == scripts
            shown = _visible(page)
            assert "<img" not in shown and "<b>" not in shown and "alert(8)</script>" not in page
            assert '"onmouseover="' not in page and "'</script>" not in page   # no quote or tag breaks out
    revealed = render_index(run, reveal=True)
    assert esc(HOSTILE) in revealed and esc(HOSTILE_NAME) in revealed   # shown as text, escaped
    assert "&lt;img src=x onerror=alert(9)&gt;" in revealed
    masked = _visible(render_index(run))
    # masked as the rest of the report masks them (borrower ids and intermediaries generically, agents' names)
    assert esc(HOSTILE_NAME) not in masked and esc(HOSTILE) not in masked
    assert esc(mask_entity("borrower", HOSTILE_NAME)) in masked
    assert esc(mask_entity("intermediary", HOSTILE)) in masked
    assert esc(mask_entity("agent", HOSTILE_NAME + "（<b>苏州</b>）")) in masked


def test_a_run_without_links_has_no_family_column_or_section(linked):
    rr = ReportRun.load(linked["run"])
    rr.ring_links = None
    rr._families = None
    page = render_index(rr)
    assert 'id="families"' not in page and "所属链条" not in page and 'class="family"' not in page


def test_console_says_how_many_families(linked, tmp_path):
    from graphring.cli import app

    out = CliRunner().invoke(app, ["rings", str(linked["data"]), "--out", str(tmp_path / "run")])
    assert out.exit_code == 0, out.output
    flat = re.sub(r"\s+", "", out.output)
    assert "团伙网络1个，涉及2个团伙" in flat
    en = CliRunner().invoke(app, ["rings", str(linked["data"]), "--out", str(tmp_path / "run_en"), "--lang", "en"])
    assert "registrationagent):1,with2rings" in re.sub(r"\s+", "", en.output)
