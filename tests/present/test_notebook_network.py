"""pyvis, the declared dependency, builds a ring's network for notebooks (issue 15)."""

from __future__ import annotations

import re

from demo_data import demo_run
from graphring.present.report.notebook import ring_network, write_network


def _srcs(html: str) -> list[str]:
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)


def test_ring_network_is_the_ring_page_data_masked_and_offline(tmp_path):
    run = demo_run(tmp_path / "demo")
    net = ring_network(run, "R0001")
    labels = [n["label"] for n in net.nodes]
    assert "王** B***1" in labels and not any("B0001" in x for x in labels)
    assert len(net.edges) > 5 and {"shape", "color", "title"} <= set(net.nodes[0])
    html = write_network(net, tmp_path / "r.html").read_text(encoding="utf-8")
    assert _srcs(html) == [] and "visjs.github.io/vis-network" in html  # our vendored copy, inlined
    revealed = ring_network(run, "R0001", reveal=True)
    assert any("B0001" in n["label"] for n in revealed.nodes)


def test_hostile_label_cannot_end_the_script(tmp_path):
    run = demo_run(tmp_path / "demo")
    net = ring_network(run, "R0001")
    net.add_node("evil", label="</script><img src=x onerror=alert(1)>", title="<!-- x")
    html = write_network(net, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html and "\\u003c/script\\u003e" in html
