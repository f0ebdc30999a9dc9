"""A ring's network as a :class:`pyvis.network.Network`, for a notebook or a quick look.

pyvis builds the network and its options from Python, so an analyst in a
notebook can take one ring of a run, adjust it (``net.toggle_physics(False)``,
add a node) and ``show()`` it. The data are the ring page's (:func:`graphring.present.report.graph.ring_graph`:
masked unless ``reveal``, the same labels, tooltips and vis-network options);
:func:`write_network` writes a page that works offline with graphring's vendored
vis-network inlined (no CDN).

Examples
--------
>>> import tempfile, pathlib
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> run = demo_run(tempfile.mkdtemp())
>>> net = ring_network(run, "R0001")
>>> len(net.nodes) > 5, net.nodes[0]["label"]
(True, '王** B***1')
>>> page = write_network(net, pathlib.Path(tempfile.mkdtemp()) / "r.html")
>>> html = page.read_text(encoding="utf-8")
>>> "cdnjs" in html, "cdn.jsdelivr" in html, "B0001" in html
(False, False, False)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graphring.present.report.data import ReportRun
from graphring.present.report.graph import ring_graph, style_of, vis_options
from graphring.present.report.safe import inline_code

__all__ = ["ring_network", "write_network"]

_CDN_TAG = re.compile(r"<(?:link|script)\b[^>]*\b(?:href|src)=\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?")
_ASSETS = Path(__file__).parent / "assets"  # the report's vendored vis-network (LICENSE-vis-network.txt)


def ring_network(run, ring_id: str, reveal: bool = False, lang: str = "zh", notebook: bool = False):
    """One ring as a pyvis ``Network`` (nodes, edges, tooltips and options as on the ring page).

    Parameters
    ----------
    run : path, Run or ReportRun
        A run directory written by ``graphring rings``.
    ring_id : str
    reveal : bool
        Show identifiers unmasked (default: masked, as every output).
    lang : {"zh", "en"}
    notebook : bool
        Passed to pyvis: ``net.show("ring.html")`` then displays inline in Jupyter.

    Returns
    -------
    pyvis.network.Network
    """
    from pyvis.network import Network  # lazy: pyvis pulls in jinja2 and IPython helpers; only notebooks need it

    rr = ReportRun.load(run)
    g = ring_graph(rr, ring_id, reveal=reveal, lang=lang)
    net = Network(height="720px", width="100%", directed=True, notebook=notebook, cdn_resources="in_line",
                  heading="")
    for n in g["nodes"]:
        st = style_of(n["kind"])
        title = "\n".join(f"{k}: {v}" for k, v in n.get("props", []))
        # no pyvis group: pyvis drops a node's colour when it has one
        net.add_node(n["id"], label=n["label"], title=title or n["label"], shape=st["shape"], color=st["color"],
                     kind=n["kind"])
    for e in g["edges"]:
        net.add_edge(e["from"], e["to"], title=e.get("title", ""), label=e.get("label", ""))
    net.set_options(json.dumps(vis_options(len(g["nodes"]))))
    return net


def write_network(net, path) -> Path:
    """Write ``net`` as one offline HTML page with graphring's vendored vis-network inlined.

    Data reach the page through pyvis's ``tojson`` (``<``, ``>``, ``&`` escaped), so no hostile label or
    tooltip can end the script element.
    """
    import pyvis  # lazily, as in ring_network  # lazy: pyvis is needed only for the notebook network view

    html = net.generate_html()
    theirs = (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js")
    ours = inline_code((_ASSETS / "vis-network.min.js").read_text(encoding="utf-8"), "script")
    if theirs.is_file():
        html = html.replace(theirs.read_text(encoding="utf-8"), ours)
    # pyvis's template also fetches Bootstrap from a CDN for its frame: an offline page fetches nothing
    html = _CDN_TAG.sub("", html)
    p = Path(path)
    p.write_text(html, encoding="utf-8")
    return p
