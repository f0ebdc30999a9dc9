"""Static ring diagrams (SVG and PNG) for documents: printable on A4, Chinese rendered, deterministic.

:func:`render_diagram` draws one ring of a run directory as ``ring-<id>.svg``
and ``ring-<id>.png``: the ring's borrowers and the identifiers they share
(phones, agents, attachments, devices, companies ...) plus shared complaint
templates, joined by the links found in the input. Shapes and colours follow
the entity kind, line colours the kind of link; a legend, the title (ring,
typology, score), the run date and the masking statement are on the page.

* Fonts: the CJK subset shipped in :mod:`graphring.present.fonts` is registered with
  matplotlib, so Chinese labels render on a machine without CJK fonts.
* Determinism: Kamada-Kawai layout (no randomness) up to 200 nodes, seeded
  spring layout beyond; ``svg.hashsalt`` fixed, no date in the SVG or PNG
  metadata: the same run gives byte-identical files.
* Safety: labels are data written by the people under investigation.
  matplotlib writes text as escaped XML (here, as glyph paths); mathtext is
  switched off for every data label so ``$...$`` is shown, not interpreted.
* Privacy: identifiers are masked unless ``reveal=True``; the page says which.

Examples
--------
>>> import tempfile, pathlib
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> svg, png = render_diagram(demo_run(tmp), "R0001", tmp / "out")
>>> svg.name, png.name
('ring-R0001.svg', 'ring-R0001.png')
>>> import xml.etree.ElementTree as ET
>>> ET.parse(svg).getroot().tag
'{http://www.w3.org/2000/svg}svg'
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import graphring
from graphring.files.safepath import inside
from graphring.present.fonts import matplotlib_rc
from graphring.present.i18n import kind_name, link_name, msg, typology_name
from graphring.present.ringdata import RingData, load_ring, masking_statement

__all__ = ["render_diagram", "diagram_figure", "KIND_STYLE", "LINK_COLOURS", "layout", "summary_view", "is_summarised",
           "summary_layout",
           "SUMMARY_AT"]

#: Entity kind → (matplotlib marker, face colour).
KIND_STYLE = {
    "borrower": ("o", "#4e79a7"), "phone": ("^", "#f28e2b"), "device": ("s", "#59a14f"), "ip": ("d", "#bab0ac"),
    "account": ("p", "#b07aa1"), "company": ("s", "#9c755f"), "address": ("h", "#76b7b2"),
    "complaint": ("v", "#e15759"), "loan": ("D", "#17becf"), "officer": ("*", "#edc948"),
    "intermediary": ("P", "#ff9da7"), "agent": ("X", "#d62728"), "attachment": ("D", "#8c564b"),
    "registration_agent": ("8", "#7f7f7f"), "person": ("o", "#aec7e8"), "email": (">", "#c49c94"),
    "template": ("H", "#e377c2"), "bgroup": ("o", "#a9c4e0"),
}
#: Link kind → line colour (others grey).
LINK_COLOURS = {
    "complaint_phone": "#f28e2b", "agent": "#d62728", "attachment": "#8c564b", "template": "#e377c2",
    "repayer": "#2ca02c", "device": "#59a14f", "account": "#b07aa1", "bound_phone": "#ffbe7d",
    "counterparty": "#9c755f", "intermediary": "#ff9da7", "payment_party": "#98df8a", "contact_phone": "#fdd0a2",
    "employer": "#c49c94", "email": "#c49c94", "company_agent": "#7f7f7f", "company_address": "#76b7b2",
    "home_address": "#76b7b2", "officer": "#edc948", "ip": "#cccccc", "paid": "#2ca02c", "repaid": "#2ca02c",
}
_LINK_ORDER = list(LINK_COLOURS)
#: Kamada-Kawai (no randomness, slower) up to this many nodes; seeded spring layout beyond.
KK_MAX = 200
#: From this many borrowers the printed diagram is the ring's summary (:func:`summary_view`).
SUMMARY_AT = 60
#: At most this many borrower groups in a summary (more: borrowers grouped by their main hub).
MAX_GROUPS = 24


def _ring_data(run, ring_id, reveal):
    if isinstance(run, RingData):
        return run
    return load_ring(run, ring_id, reveal=reveal)


def _pairs(rd) -> pd.DataFrame:
    """One row per connected node pair: strongest link kind first, all kinds, evidence row count."""
    lk = rd.links
    if not len(lk):
        return pd.DataFrame(columns=["src", "dst", "link", "links", "rows"])
    a = lk[["src", "dst"]].min(axis=1)
    b = lk[["src", "dst"]].max(axis=1)
    d = lk.assign(u=a, v=b, o=lk["link"].map({k: i for i, k in enumerate(_LINK_ORDER)}).fillna(99))
    d = d.sort_values(["u", "v", "o", "link"], kind="stable")
    g = d.groupby(["u", "v"], sort=True)
    out = pd.DataFrame({"link": g["link"].first(), "links": g["link"].agg(lambda s: ";".join(dict.fromkeys(s))),
                        "rows": g.size()}).reset_index().rename(columns={"u": "src", "v": "dst"})
    return out


def summary_view(rd, max_groups: int = MAX_GROUPS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A big ring as structure: its hubs, and the borrower groups they tie, instead of every borrower.

    Hubs are the ring's non-borrower members (phones, agents, attachments, accounts, companies ...)
    and shared templates. Borrowers that tie to the same set of hubs form one group (when there are
    more than ``max_groups`` such sets, borrowers are grouped by their most-shared hub). Returns
    ``(nodes, pairs)`` like the full diagram's, with a ``count`` column on nodes (borrowers in a
    group, borrowers tied to a hub) and group nodes of kind ``bgroup``.

    Examples
    --------
    >>> import tempfile
    >>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
    >>> from graphring.present.ringdata import load_ring
    >>> nodes, pairs = summary_view(load_ring(demo_run(tempfile.mkdtemp()), "R0001"))
    >>> int(nodes.loc[nodes["kind"] == "bgroup", "count"].sum()) == len(load_ring(demo_run(tempfile.mkdtemp()), "R0001").borrower_nodes())
    True
    """
    lang = getattr(rd, "lang", "zh")
    nodes = rd.nodes
    pairs = _pairs(rd)
    is_b = nodes["kind"].eq("borrower")
    borrowers = list(nodes.loc[is_b, "node"])
    hubs = nodes[~is_b]
    hub_set = set(hubs["node"])
    bset = set(borrowers)
    # borrower -> hubs it ties to (either direction), and the strongest link kind of each tie
    ab = pairs[(pairs["src"].isin(bset) & pairs["dst"].isin(hub_set)) | (pairs["dst"].isin(bset) & pairs["src"].isin(hub_set))]
    b_col = np.where(ab["src"].isin(bset), ab["src"], ab["dst"])
    h_col = np.where(ab["src"].isin(bset), ab["dst"], ab["src"])
    ties = pd.DataFrame({"b": b_col, "h": h_col, "link": ab["link"].to_numpy()})
    hub_n = ties.groupby("h")["b"].nunique()
    sig = ties.groupby("b")["h"].agg(lambda x: tuple(sorted(set(x))))
    sig = sig.reindex(borrowers).map(lambda v: v if isinstance(v, tuple) else ())
    if sig.nunique() > max_groups:
        main = ties.assign(n=ties["h"].map(hub_n)).sort_values(["b", "n", "h"], ascending=[True, False, True])
        main = main.drop_duplicates("b").set_index("b")["h"]
        sig = pd.Series([(main[b],) if b in main.index else () for b in borrowers], index=borrowers)
    groups = sig.groupby(sig).groups                      # signature -> borrower index
    order = sorted(groups, key=lambda k: (-len(groups[k]), k))
    rows, gpairs = [], []
    gid_of = {}
    for i, key in enumerate(order, start=1):
        members = list(groups[key])
        gid = f"group:G{i:02d}"
        for b in members:
            gid_of[b] = gid
        rows.append({"node": gid, "kind": "bgroup", "role": "borrower_group", "count": len(members),
                     "ref": f"G{i:02d}", "label": msg("summary_group", lang, ref=f"G{i:02d}", n=len(members))})
    t = ties.assign(g=ties["b"].map(gid_of))
    for (g, h), sub in t.groupby(["g", "h"], sort=True):
        link = sub["link"].value_counts().index[0]
        gpairs.append({"src": g, "dst": h, "link": link, "links": ";".join(dict.fromkeys(sub["link"])),
                       "rows": int(sub["b"].nunique())})
    hn = hubs.assign(count=hubs["node"].map(hub_n).fillna(0).astype(int))
    out_nodes = pd.concat([hn, pd.DataFrame(rows)], ignore_index=True)
    hh = pairs[pairs["src"].isin(hub_set) & pairs["dst"].isin(hub_set)]
    out_pairs = pd.concat([hh, pd.DataFrame(gpairs, columns=["src", "dst", "link", "links", "rows"])],
                          ignore_index=True)
    return out_nodes.reset_index(drop=True), out_pairs.reset_index(drop=True)


def summary_layout(nodes: pd.DataFrame, pairs: pd.DataFrame) -> dict[str, np.ndarray]:
    """Positions for a summary: borrower groups on an inner circle, hubs evenly on an outer one (two
    staggered rings when there are many), each hub placed in the order of the groups it ties, so that
    labels keep apart (the ring page's summary uses the same layout).

    Examples
    --------
    >>> n = pd.DataFrame({"node": ["group:G01", "group:G02", "phone:a", "agent:b"],
    ...                   "kind": ["bgroup", "bgroup", "phone", "agent"], "count": [3, 2, 5, 1]})
    >>> e = pd.DataFrame({"src": ["group:G01", "group:G02"], "dst": ["phone:a", "agent:b"], "rows": [3, 1]})
    >>> p = summary_layout(n, e)
    >>> sorted(p) == sorted(n["node"]), bool(np.linalg.norm(p["phone:a"]) > np.linalg.norm(p["group:G01"]))
    (True, True)
    """
    groups = list(nodes.loc[nodes["kind"] == "bgroup", "node"])
    hubs = list(nodes.loc[nodes["kind"] != "bgroup", "node"])
    ng, nh = len(groups), len(hubs)
    rg = 0.0 if ng <= 1 else 0.35
    rh = 1.0
    ang = {g: 2 * np.pi * i / max(ng, 1) for i, g in enumerate(groups)}
    pos = {g: np.array([rg * np.cos(a), rg * np.sin(a)]) for g, a in ang.items()}
    want = {h: np.zeros(2) for h in hubs}
    for src, dst, rows in pairs[["src", "dst", "rows"]].itertuples(index=False, name=None):
        g, h = (src, dst) if src in ang else (dst, src) if dst in ang else (None, None)
        if g is not None and h in want:
            want[h] = want[h] + float(rows) * np.array([np.cos(ang[g]), np.sin(ang[g])])
    order = sorted(hubs, key=lambda h: (float(np.arctan2(want[h][1], want[h][0])) if want[h].any() else 9.0, h))
    for i, h in enumerate(order):
        a = 2 * np.pi * i / max(nh, 1)
        r = rh + (0.22 if nh > 16 and i % 2 else 0.0)
        pos[h] = np.array([r * np.cos(a), r * np.sin(a)])
    return {k: np.round(v, 6) for k, v in pos.items()}


def is_summarised(rd) -> bool:
    """True when the printed diagram of this ring is its summary (:data:`SUMMARY_AT` borrowers or more)."""
    return len(rd.borrower_nodes()) >= SUMMARY_AT


def layout(nodes: list[str], pairs: pd.DataFrame, seed: int = 0) -> dict[str, np.ndarray]:
    """Deterministic positions: Kamada-Kawai up to :data:`KK_MAX` nodes, seeded spring layout beyond.

    Examples
    --------
    >>> e = pd.DataFrame({"src": ["a", "b"], "dst": ["b", "c"]})
    >>> p, q = layout(["a", "b", "c"], e), layout(["a", "b", "c"], e)
    >>> all((p[k] == q[k]).all() for k in p)
    True
    """
    G = nx.Graph()
    G.add_nodes_from(nodes)
    G.add_edges_from(zip(pairs["src"], pairs["dst"]))
    if len(G) == 0:
        return {}
    if len(G) == 1:
        return {nodes[0]: np.zeros(2)}
    if len(G) <= KK_MAX:
        pos = nx.kamada_kawai_layout(G)
    else:
        pos = nx.spring_layout(G, seed=seed, iterations=150, k=1.6 / np.sqrt(len(G)))
    return {k: np.round(np.asarray(v, dtype=float), 6) for k, v in pos.items()}


def _short(label: str, n: int = 28) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _place_labels(fig, ax, items, fs) -> None:
    """Annotate each point with its text at the first offset whose box overlaps no earlier label."""
    renderer = fig.canvas.get_renderer()
    d = fs * 1.1
    offsets = [(0, -d), (0, d), (d, 0), (-d, 0), (0, -2.6 * d), (0, 2.6 * d), (d, -d * 1.6), (-d, -d * 1.6),
               (d, d * 1.6), (-d, d * 1.6)]
    align = {(0, -1): ("center", "top"), (0, 1): ("center", "bottom"), (1, 0): ("left", "center"),
             (-1, 0): ("right", "center")}
    from matplotlib.transforms import Bbox  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    r = 7 * fig.dpi / 72                      # node markers are obstacles too (about 14 pt across)
    placed = [Bbox.from_extents(x - r, y - r, x + r, y + r)
              for x, y in (ax.transData.transform((p[0], p[1])) for p, _ in items)]
    for xy, text in items:
        best, best_overlap = None, None
        for dx, dy in offsets:
            key = (int(np.sign(dx)) if abs(dx) >= abs(dy) else 0, int(np.sign(dy)) if abs(dy) > abs(dx) else 0)
            ha, va = align.get(key, ("left" if dx > 0 else "right", "top" if dy < 0 else "bottom"))
            t = ax.annotate(text, xy=(xy[0], xy[1]), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                            fontsize=fs, zorder=4, color="#111111", annotation_clip=False,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
            t.set_parse_math(False)
            bb = t.get_window_extent(renderer).expanded(1.04, 1.1)
            overlap = sum(max(0.0, min(bb.x1, o.x1) - max(bb.x0, o.x0)) * max(0.0, min(bb.y1, o.y1) - max(bb.y0, o.y0))
                          for o in placed)
            if best is None or overlap < best_overlap:
                if best is not None:
                    best[0].remove()
                best, best_overlap = (t, bb), overlap
            else:
                t.remove()
            if overlap == 0:
                break
        placed.append(best[1])


def diagram_figure(rd, positions: dict | None = None):
    """The diagram of a loaded ring (:class:`graphring.present.ringdata.RingData`) as a matplotlib Figure.

    The caller closes it (``matplotlib.pyplot.close(fig)``). Must be called
    inside ``matplotlib.rc_context(graphring.present.fonts.matplotlib_rc())`` for the
    CJK font, as :func:`render_diagram` does.
    """
    import matplotlib.pyplot as plt  # lazy: matplotlib takes ~1 s to import; only diagrams need it
    from matplotlib.lines import Line2D  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    lang = getattr(rd, "lang", "zh")
    summary = is_summarised(rd)
    if summary:
        nodes, pairs = summary_view(rd)
        positions = None
    else:
        nodes = rd.nodes
        pairs = _pairs(rd)
    order = list(nodes["node"])
    if summary:
        pos = summary_layout(nodes, pairs)
    else:
        pos = positions if positions is not None and all(x in positions for x in order) else layout(order, pairs)
    n = len(order)
    fs = 8 if n <= 30 else 7 if n <= 60 else 6 if n <= 120 else 5
    label_borrowers = n <= 120
    fig = plt.figure(figsize=(11.69, 8.27))      # A4 landscape, inches
    ax = fig.add_axes((0.02, 0.07, 0.70, 0.80))
    ax.set_axis_off()
    # links
    for src, dst, link, links, rows in pairs[["src", "dst", "link", "links", "rows"]].itertuples(index=False, name=None):
        p, q = pos[src], pos[dst]
        w = 0.8 + 0.6 * (len(links.split(";")) - 1)
        if summary and str(src).startswith("group:"):
            w = 0.8 + 0.9 * np.log2(max(int(rows), 1))      # width: borrowers of the group tied to the hub
        ax.plot([p[0], q[0]], [p[1], q[1]], color=LINK_COLOURS.get(link, "#999999"), lw=min(w, 3.5), alpha=0.8,
                zorder=1, solid_capstyle="round")
    # nodes by kind
    kinds = list(dict.fromkeys(nodes["kind"]))
    for kind in kinds:
        sub = nodes[nodes["kind"] == kind]
        marker, colour = KIND_STYLE.get(kind, ("o", "#999999"))
        xy = np.array([pos[x] for x in sub["node"]])
        size = 170 if kind == "borrower" else 330
        if n > 120:
            size = size * 0.5
        if kind == "bgroup":
            size = (120 + 45 * np.sqrt(sub["count"].astype(float))).to_numpy()
        ax.scatter(xy[:, 0], xy[:, 1], s=size, marker=marker, c=colour, edgecolors="#222222", linewidths=0.6,
                   zorder=3)
    # labels (data: no mathtext), placed around their node so that they do not overlap
    if pos:
        xs0 = np.array([p[0] for p in pos.values()])
        ys0 = np.array([p[1] for p in pos.values()])
        px = (0.30 if summary else 0.12) * (xs0.max() - xs0.min() or 1.0)
        py = 0.10 * (ys0.max() - ys0.min() or 1.0)
        ax.set_xlim(xs0.min() - px, xs0.max() + px)
        ax.set_ylim(ys0.min() - py * 1.4, ys0.max() + py)
    items = [(node, kind, label, ref) for node, kind, label, ref
             in nodes[["node", "kind", "label", "ref"]].itertuples(index=False, name=None)
             if kind != "borrower" or label_borrowers]
    items.sort(key=lambda t: t[1] == "borrower")      # shared entities first: they matter most
    def text_of(kind, label, ref, count):
        if kind == "bgroup":
            return label
        t = f"{ref.rsplit('-', 1)[-1]} {_short(label)}"
        return t + (f" ({msg('summary_hub_n', lang, n=int(count))})" if summary and count else "")

    counts_of = dict(zip(nodes["node"], nodes["count"])) if "count" in nodes.columns else {}
    _place_labels(fig, ax, [(pos[node], text_of(kind, label, ref, counts_of.get(node)))
                            for node, kind, label, ref in items], fs if not summary else 7)
    # legend: kinds and links
    counts = nodes["kind"].value_counts()
    kind_handles = [Line2D([], [], ls="", marker=KIND_STYLE.get(k, ("o",))[0], markersize=9,
                           markerfacecolor=KIND_STYLE.get(k, ("o", "#999999"))[1], markeredgecolor="#222222",
                           label=f"{kind_name(k, lang)} ({counts[k]})") for k in kinds]
    present = list(dict.fromkeys(pairs["link"])) if len(pairs) else []
    present.sort(key=lambda k: _LINK_ORDER.index(k) if k in _LINK_ORDER else 99)
    link_handles = [Line2D([], [], color=LINK_COLOURS.get(k, "#999999"), lw=2.2, label=link_name(k, lang))
                    for k in present]
    leg1 = fig.legend(handles=kind_handles, loc="upper left", bbox_to_anchor=(0.74, 0.86), frameon=False,
                      fontsize=8, title=msg("dg_entities", lang), title_fontsize=9, alignment="left")
    fig.add_artist(leg1)
    if link_handles:
        fig.legend(handles=link_handles, loc="upper left", bbox_to_anchor=(0.74, 0.86 - 0.032 * (len(kinds) + 2)),
                   frameon=False, fontsize=8, title=msg("dg_links_summary" if summary else "dg_links", lang),
                   title_fontsize=9, alignment="left")
    # title, run, footer
    r = rd.ring
    nb = len(rd.borrower_nodes())
    n_ent = int((~rd.nodes["kind"].eq("borrower")).sum())
    fig.text(0.02, 0.955, msg("dg_title_summary" if summary else "dg_title", lang, ring=rd.ring_id), fontsize=17,
             parse_math=False)
    fig.text(0.02, 0.915, msg("dg_sub", lang, typology=typology_name(r.get("typology", "?"), lang),
                              score=f"{float(r.get('score', 0)):.3f}", nb=nb, ne=n_ent), fontsize=10,
             parse_math=False)
    params = rd.params
    fig.text(0.02, 0.885, msg("dg_run", lang, date=rd.run_date, algorithm=params.get("algorithm", "?"),
                              seed=params.get("seed", "?"), run=rd.run_dir.name), fontsize=8.5, color="#444444",
             parse_math=False)
    fig.text(0.02, 0.025, masking_statement(rd.reveal, lang), fontsize=8,
             color="#b00020" if rd.reveal else "#444444", parse_math=False)
    fig.text(0.98, 0.025, f"graphring {graphring.__version__} · " + msg("dg_foot_summary" if summary else "dg_foot",
                                                                         lang), fontsize=7, color="#666666",
             ha="right", parse_math=False)
    return fig


def render_diagram(run, ring_id: str, out_dir, reveal: bool = False,
                   positions: dict | None = None) -> tuple[Path, Path]:
    """Write ``ring-<id>.svg`` and ``ring-<id>.png`` for one ring of a run.

    Parameters
    ----------
    run : path, Run or RingData
        A run directory, what :func:`graphring.run.read_run` returned, or a
        ring already loaded with :func:`graphring.present.ringdata.load_ring`.
    ring_id : str
    out_dir : path
        Created if missing.
    reveal : bool
        Show identifiers in full (the diagram then says so in red).
    positions : dict, optional
        ``node -> (x, y)`` from :func:`layout` when already computed.

    Returns
    -------
    (svg_path, png_path)

    Raises
    ------
    graphring.errors.RunError
        Bad run directory or unknown ring id.
    """
    import matplotlib  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    rd = _ring_data(run, ring_id, reveal)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    svg = inside(out, f"ring-{rd.ring_id}.svg")
    png = inside(out, f"ring-{rd.ring_id}.png")
    with matplotlib.rc_context(matplotlib_rc()):
        fig = diagram_figure(rd, positions)
        try:
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
            fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
        finally:
            plt.close(fig)
    return svg, png
