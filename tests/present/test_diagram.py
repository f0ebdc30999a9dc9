"""Static ring diagrams: well-formed SVG, CJK with the shipped font, deterministic bytes, masking, hostile labels."""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from demo_data import DEMO_AGENCY_PHONE, DEMO_RAW_PHONE, demo_run

from graphring.present.diagram import render_diagram
from graphring.errors import GraphringError, RunError
from graphring.present.fonts import FONT_FAMILY, FONT_PATH, LICENSE_PATH, covers, matplotlib_rc

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def run_dir(demo_run_dir):
    return demo_run_dir


@pytest.fixture(scope="module")
def masked(run_dir, tmp_path_factory):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg, png = render_diagram(run_dir, "R0001", tmp_path_factory.mktemp("masked"))
    return svg, png, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def revealed(run_dir, tmp_path_factory):
    return render_diagram(run_dir, "R0001", tmp_path_factory.mktemp("revealed"), reveal=True)


def test_files_named_after_the_ring(masked):
    svg, png, _ = masked
    assert svg.name == "ring-R0001.svg" and png.name == "ring-R0001.png"


def test_svg_is_well_formed_xml(masked, revealed):
    for svg in (masked[0], revealed[0]):
        root = ET.parse(svg).getroot()
        assert root.tag == SVG_NS + "svg"


def test_png_is_a4_landscape_and_inked(masked):
    from PIL import Image

    with Image.open(masked[1]) as im:
        w, h = im.size
        a = np.asarray(im.convert("L"))
    assert abs(w / h - 297 / 210) < 0.01          # A4 landscape
    assert w >= 2000                               # 200 dpi: legible in print
    assert (a < 128).mean() > 0.005                # lines, nodes and text were drawn


def test_shipped_font_is_used_and_covers_the_labels(masked):
    from matplotlib.font_manager import FontProperties, findfont

    assert FONT_PATH.is_file() and LICENSE_PATH.is_file()
    assert "SIL Open Font License" in LICENSE_PATH.read_text(encoding="utf-8")
    assert 200_000 < FONT_PATH.stat().st_size < 6_000_000
    matplotlib_rc()
    assert findfont(FontProperties(family=FONT_FAMILY), fallback_to_default=False) == str(FONT_PATH)
    assert covers("团伙关系图 借款人 电话 代理人 附件 模板文书 王建国 李秀英 张伟 深圳 运行日期 标识已脱敏")
    # no glyph was missing while drawing the diagram (matplotlib warns "Glyph ... missing from font")
    assert not [m for m in masked[2] if "missing from" in m], masked[2]


def test_cjk_label_renders_with_ink():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(matplotlib_rc()):
        fig = plt.figure(figsize=(2, 1), dpi=100)
        with warnings.catch_warnings():
            warnings.simplefilter("error")                    # a missing glyph would raise here
            t = fig.text(0.05, 0.3, "诈骗罪移送", fontsize=20)
            fig.canvas.draw()
        assert t.get_fontproperties().get_family() == ["sans-serif"]
        from matplotlib.font_manager import findfont

        assert findfont(t.get_fontproperties()) == str(FONT_PATH)
        a = np.asarray(fig.canvas.buffer_rgba())[..., 0]
        plt.close(fig)
    assert (a < 100).sum() > 200                              # real glyphs, not empty boxes only


def test_deterministic_svg_and_png(run_dir, masked, tmp_path):
    svg2, png2 = render_diagram(run_dir, "R0001", tmp_path)
    assert svg2.read_bytes() == masked[0].read_bytes()
    assert png2.read_bytes() == masked[1].read_bytes()
    assert b"<dc:date>" not in svg2.read_bytes()


def test_masked_by_default_and_reveal_stated(masked, revealed):
    m = masked[0].read_text(encoding="utf-8")
    r = revealed[0].read_text(encoding="utf-8")
    for raw in (DEMO_RAW_PHONE, DEMO_AGENCY_PHONE, "王建国", "陈律师"):
        assert raw not in m
    assert "137****1111" in m                      # matplotlib keeps each text as an escaped comment
    assert DEMO_AGENCY_PHONE in r and "王建国" in r


def test_hostile_labels_escaped_in_svg(revealed):
    text = revealed[0].read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert not [e for e in root.iter() if e.tag.lower().endswith("script")]
    attrs = {a.lower() for e in root.iter() for a in e.attrib}
    assert not [a for a in attrs if a.startswith("on")]
    assert "<img" not in text and "<script" not in text
    assert "&lt;img src=x onerror=alert(2)" in text           # the agent label, escaped
    assert "-->$x$" not in text                                 # cannot close matplotlib's text comment


def test_unknown_ring_and_bad_run(run_dir, tmp_path):
    with pytest.raises(RunError, match="R9999"):
        render_diagram(run_dir, "R9999", tmp_path)
    with pytest.raises(RunError):
        render_diagram(tmp_path / "nope", "R0001", tmp_path)
    assert issubclass(RunError, GraphringError)


def test_big_ring_diagram_is_its_summary(tmp_path, monkeypatch):
    """From SUMMARY_AT borrowers the printed diagram shows hubs and borrower groups, every borrower counted once."""
    from graphring.present import diagram
    from graphring.present.ringdata import load_ring

    run = demo_run(tmp_path)
    rd = load_ring(run, "R0001")
    nodes, pairs = diagram.summary_view(rd)
    groups = nodes[nodes["kind"] == "bgroup"]
    assert int(groups["count"].sum()) == len(rd.borrower_nodes())
    assert set(nodes.loc[nodes["kind"] != "bgroup", "node"]) == set(rd.nodes.loc[rd.nodes["kind"] != "borrower", "node"])
    assert set(pairs["src"]) | set(pairs["dst"]) <= set(nodes["node"])
    hubs = nodes[nodes["kind"] != "bgroup"]
    assert (hubs["count"] >= 0).all() and hubs["count"].max() >= 2
    # with one group per hub at most, when the signatures are too many
    n2, _ = diagram.summary_view(rd, max_groups=1)
    assert int(n2.loc[n2["kind"] == "bgroup", "count"].sum()) == len(rd.borrower_nodes())
    monkeypatch.setattr(diagram, "SUMMARY_AT", 2)
    assert diagram.is_summarised(rd)
    svg, png = diagram.render_diagram(rd, "R0001", tmp_path / "sum")
    from PIL import Image

    with Image.open(png) as im:
        assert im.size[0] > im.size[1] > 1000            # A4 landscape at 200 dpi
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from graphring.present.fonts import matplotlib_rc

    with matplotlib.rc_context(matplotlib_rc()):
        fig = diagram.diagram_figure(rd)
        texts = [t.get_text() for t in fig.texts] + [t.get_text() for a in fig.axes for t in a.texts]
        plt.close(fig)
    assert any("团伙关系概要图" in t for t in texts)
    assert sum("组：" in t and "名借款人" in t for t in texts) == len(groups)
