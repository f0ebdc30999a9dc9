"""The network of one ring as vis-network data: nodes, labelled edges, groups, events.

:func:`ring_graph` selects a ring's part of the run subgraph — its borrowers,
everything they touch, and what their complaints and loans touch (the phone a
complaint came from, the account that repaid a loan) — and returns plain dicts
ready to be embedded as JSON in a ring page. Every label, tooltip and property
is masked here unless ``reveal``; node ids are opaque (``n0``, ``n1``...) so no
raw identifier reaches the page.

Large rings: leaf entities (non-borrower nodes with one neighbour that are not
ring members, e.g. each borrower's own device or e-mail) are folded into one
counted group node per neighbour once the ring has more than
:data:`COLLAPSE_AT` nodes; a click on the group expands it. Past
:data:`FOLD_INLINE_AT` visible nodes the groups fold into their parent node
(label ``(+k)``, double-click or the details panel expands them). From
:data:`BIG_GRAPH` visible nodes the nodes get cheap deterministic start
positions (:func:`seed_layout`), physics runs fewer stabilisation
iterations, and edges are hidden while dragging or zooming; vis-network's
"improved layout" (slow, Kamada-Kawai) is used only up to 100 nodes. The page
script switches physics off once the layout has settled ("Freeze layout"
toggles it).

Examples
--------
>>> style_of("borrower")["shape"], style_of("no-such-kind")["shape"]
('dot', 'dot')
>>> money(1234567.8)
'¥1,234,568'
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from graphring.present.i18n import kind_name, link_name, msg, relation_name, signal_name
from graphring.present.fmt import money as fmt_money
from graphring.present.privacy import mask_entity, mask_key, mask_prop
from graphring.present.report.data import EVENT_CATEGORIES, ReportRun, events_frame

__all__ = ["KIND_STYLES", "style_of", "ring_graph", "vis_options", "seed_layout", "money", "COLLAPSE_AT",
           "summary_graph", "SUMMARY_AT",
           "FOLD_INLINE_AT", "BIG_GRAPH", "LINK_LABELS"]

#: Fold leaf entities into group nodes when a ring graph has more nodes than this.
COLLAPSE_AT = 120
#: Past this many visible nodes, groups are folded into their parent (label ``+k``) instead of group nodes.
FOLD_INLINE_AT = 700
#: From this many visible nodes: seeded start positions, edges hidden on drag/zoom, fewer iterations.
BIG_GRAPH = 300

#: Shape and colour of each entity kind (shape and colour together are unique).
KIND_STYLES: dict[str, dict] = {
    "borrower": {"shape": "dot", "color": "#1f77b4", "label": "borrower"},
    "complaint": {"shape": "diamond", "color": "#d62728", "label": "complaint"},
    "phone": {"shape": "triangle", "color": "#ff7f0e", "label": "phone"},
    "device": {"shape": "square", "color": "#9467bd", "label": "device"},
    "ip": {"shape": "triangleDown", "color": "#8c564b", "label": "IP address"},
    "account": {"shape": "hexagon", "color": "#2ca02c", "label": "bank account"},
    "company": {"shape": "star", "color": "#e377c2", "label": "company"},
    "address": {"shape": "triangle", "color": "#bcbd22", "label": "address"},
    "loan": {"shape": "hexagon", "color": "#17becf", "label": "loan"},
    "officer": {"shape": "star", "color": "#7f7f7f", "label": "loan officer"},
    "intermediary": {"shape": "diamond", "color": "#8c564b", "label": "intermediary"},
    "agent": {"shape": "star", "color": "#d62728", "label": "complaint agent"},
    "attachment": {"shape": "square", "color": "#ff9896", "label": "attachment"},
    "registration_agent": {"shape": "triangleDown", "color": "#2ca02c", "label": "registration agent"},
    "person": {"shape": "dot", "color": "#aec7e8", "label": "person"},
    "email": {"shape": "triangleDown", "color": "#c5b0d5", "label": "e-mail"},
    "template": {"shape": "square", "color": "#393b79", "label": "complaint template"},
    "group": {"shape": "box", "color": "#eeeeee", "label": "folded group (click to expand)"},
}
_DEFAULT_STYLE = {"shape": "dot", "color": "#999999", "label": "other"}


def style_of(kind: str) -> dict:
    """Shape, colour and legend label of an entity kind."""
    return KIND_STYLES.get(kind, _DEFAULT_STYLE)


def money(v) -> str:
    """Format a CNY amount for a ring page, in whole yuan (``""`` when missing): :func:`graphring.present.fmt.money`.

    Examples
    --------
    >>> money(None), money(float("nan")), money(800)
    ('', '', '¥800')
    """
    return fmt_money(v, decimals=0)


def _s(v):
    """Text of a value, or None for missing ones."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    s = str(v)
    return s if s not in ("", "nan", "NaT", "None", "<NA>") else None


def _num(v):
    """A number from an amount value (``"1,234.5"``, ``"¥800"``, 800), or None.

    Examples
    --------
    >>> _num("¥1,234.5"), _num(None), _num("x"), _num(float("nan"))
    (1234.5, None, None, None)
    """
    s = _s(v)
    if s is None:
        return None
    try:
        f = float(s.replace(",", "").replace("¥", "").strip())
    except ValueError:
        return None
    return None if np.isnan(f) else f


_HIDDEN_PROPS = {"node", "kind", "key"}
_PROP_LABELS = {"_row": "input row", "_table": "input table"}


def _node_label(kind: str, key: str, props: dict, reveal: bool, lang: str = "zh") -> str:
    k = mask_entity(kind, key, reveal)
    if kind == "borrower":
        name = _s(props.get("name"))
        return f"{mask_prop('name', name, reveal)} {k}" if name else k
    if kind == "company":
        name = _s(props.get("name"))
        return (name[:16] + "…" if len(name) > 17 else name) if name else k
    if kind == "loan":
        amt = money(_num(props.get("amount")))
        return f"{kind_name('loan', lang)} {k} {amt}".strip()
    if kind == "complaint":
        return f"{kind_name('complaint', lang)} {k}"
    if kind in ("attachment",) and len(k) > 14:
        return k[:12] + "…"
    if kind == "template":
        return f"{kind_name('template', lang)} {key}"
    return k


def _edge_label(t: str, rows: list[dict], loan_owner: dict, reveal: bool, lang: str = "zh") -> str:
    """Plain words for one aggregated edge (all input rows of one type between two nodes)."""
    n = len(rows)
    times = f" ×{n}" if n > 1 else ""
    if t == "PHONE_EVENT":
        words = []
        for r in rows:
            e = _s(r.get("event"))
            w = {"bind": msg("ev_bound", lang), "unbind": msg("ev_unbound", lang)}.get(e or "", None)
            if w is None:
                city = _s(r.get("city"))
                w = msg("ev_seen_in", lang, city=city) if city else (e or msg("ev_phone_event", lang))
            if w not in words:
                words.append(w)
        return ", ".join(words[:3]) + (f" (+{len(words) - 3})" if len(words) > 3 else "") + times
    if t in ("PAID", "REPAID"):
        vals = [_num(r.get("amount")) for r in rows]
        vals = [v for v in vals if v is not None]
        amount = money(sum(vals)) if vals else ""
        if t == "REPAID":
            owner = loan_owner.get(rows[0].get("_dst"))
            base = msg("ev_repaid_of", lang, who=owner) if owner else relation_name("REPAID", lang)
            return f"{base}{times} {amount}".strip()
        purposes = sorted({_s(r.get("purpose")) or "" for r in rows} - {""})
        p = " " + "/".join(purposes) if purposes else ""
        return f"{relation_name('PAID', lang)}{p}{times} {amount}".strip()
    if t == "HOLDS_ROLE":
        role = _s(rows[0].get("role")) or msg("ev_role", lang)
        sal = money(_num(rows[0].get("monthly_salary")))
        return msg("ev_role_of", lang, role=role) + (msg("ev_salary", lang, sal=sal) if sal else "")
    if t == "LISTS_CONTACT":
        rel = _s(rows[0].get("relation"))
        return relation_name("LISTS_CONTACT", lang) + (f" ({rel})" if rel else "") + times
    if t == "TEMPLATE":
        return relation_name("TEMPLATE", lang)
    if t == "LINK":
        links = sorted({_s(r.get("link")) or "" for r in rows} - {""})
        return " / ".join(link_name(x, lang) for x in links) or relation_name("LINK", lang)
    return relation_name(t, lang) + times


def _edge_title(t: str, rows: list[dict], reveal: bool, masker=None, lang: str = "zh") -> str:
    """Plain-text tooltip of an aggregated edge: the input rows behind it."""
    lines = [msg("edge_rows", lang, name=relation_name(t, lang), n=len(rows))]
    for r in rows[:12]:
        bits = [msg("edge_row", lang, table=r.get("_table"), row=r.get("_row"))] if _s(r.get("_table")) else []
        for k, v in r.items():
            if k.startswith("_") or _s(v) is None:
                continue
            bits.append(f"{k}={masker.prop(k, _s(v)) if masker is not None else mask_prop(k, _s(v), reveal)}")
        lines.append(" · ".join(bits))
    if len(rows) > 12:
        lines.append(msg("edge_more", lang, n=len(rows) - 12))
    return "\n".join(lines)


def _select(rr: ReportRun, ring: dict) -> tuple[set, pd.DataFrame]:
    """Node ids and edges of the ring's part of the run subgraph.

    The ring's borrowers and members, everything they touch, and what the
    complaints and loans among those touch; plus the edges between any two
    selected nodes.
    """
    e = rr.edges
    idx = rr.edge_positions()
    borrowers = {"borrower:" + str(m["id"]) for m in ring.get("members", []) if m.get("kind") == "borrower"}
    members = {f"{m['kind']}:{m['id']}" for m in ring.get("members", []) if m.get("kind") != "borrower"}
    src, dst = e["src"].to_numpy(dtype=object), e["dst"].to_numpy(dtype=object)

    def rows_of(nodes_):
        parts = [idx[n] for n in nodes_ if n in idx]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    r1 = rows_of(borrowers)
    n1 = set(src[r1]) | set(dst[r1])
    hop = {n for n in n1 if n.startswith(("complaint:", "loan:"))} | members
    r2 = np.union1d(r1, rows_of(hop))
    nodes = set(src[r2]) | set(dst[r2]) | borrowers | members
    # edges between two selected nodes (e.g. a payment between two shells of the ring)
    cand = rows_of(nodes - n1 - hop) if len(nodes) < 20000 else np.zeros(0, dtype=np.int64)
    if len(cand):
        both = np.fromiter((s_ in nodes and d_ in nodes for s_, d_ in zip(src[cand], dst[cand])), dtype=bool,
                           count=len(cand))
        r2 = np.union1d(r2, cand[both])
    return nodes, e.iloc[r2]


#: Plain words for projection links, used on edges derived from the incidence table.
LINK_LABELS = {
    "complaint_phone": "complaint filed from", "agent": "complaint represented by", "attachment": "complaint attaches",
    "template": "same template", "repayer": "loan repaid by", "device": "logged in on", "account": "holds account",
    "bound_phone": "phone bound", "counterparty": "loan proceeds paid to", "contact_phone": "lists contact",
    "employer": "works for", "home_address": "lives at", "company_address": "employer registered at",
    "company_agent": "employer registered by", "officer": "loan handled by", "intermediary": "loan via",
    "email": "e-mail", "ip": "logged in from", "payment_party": "paid / was paid by",
}


def _link_unconnected_members(rr: ReportRun, agg: dict, borrowers: set, roles: dict, node_ids: set) -> None:
    """Tie ring members that no subgraph edge reaches (a shell's registration agent, its address)
    to the ring's borrowers through the projection's incidence rows (edge type ``LINK``)."""
    inc = rr.incidence
    if not len(inc) or "ident" not in inc.columns:
        return
    touched = {s for s, _d, _t in agg} | {d for _s, d, _t in agg}
    missing = {m for m in roles if m not in borrowers and m not in touched}
    if not missing:
        return
    pos = rr.incidence_positions()
    rows = [pos[m] for m in sorted(missing) if m in pos]
    if not rows:
        return
    m = inc.iloc[np.concatenate(rows)]
    m = m[("borrower:" + m["borrower"].astype(str)).isin(borrowers)]
    for b, ident, link, table, row in zip(m["borrower"], m["ident"], m["link"], m.get("table", [None] * len(m)),
                                          m.get("row", [None] * len(m))):
        agg[("borrower:" + str(b), ident, "LINK")].append({"_table": table, "_row": row, "link": link,
                                                           "_dst": ident})
        node_ids.add(ident)


def _row_key(v) -> str | None:
    """A row number as text (``2``, ``2.0`` and ``"2"`` agree).

    Examples
    --------
    >>> _row_key(2.0), _row_key("2"), _row_key("x"), _row_key(None)
    ('2', '2', 'x', None)
    """
    s = _s(v)
    if s is None:
        return None
    try:
        return str(int(float(s)))
    except ValueError:
        return s


def _templates(rr: ReportRun, borrowers: set, complaints: pd.DataFrame) -> list[tuple[str, str, dict]]:
    """(template node, complaint node, row) for complaints of ring borrowers sharing a text template."""
    inc = rr.incidence
    if not len(inc) or "link" not in inc.columns or not len(complaints) or "_row" not in complaints.columns:
        return []
    tpl = rr.template_positions()
    if not len(tpl):
        return []
    t = inc.iloc[tpl]
    t = t[("borrower:" + t["borrower"].astype(str)).isin(borrowers)]
    if not len(t):
        return []
    by_row = {_row_key(r): n for r, n in zip(complaints["_row"], complaints["node"])}
    out = []
    for ident, row in zip(t["ident"], t["row"]):
        c = by_row.get(_row_key(row))
        if c:
            out.append(("template:" + str(ident).split(":", 1)[1], c, {"_table": "complaints", "_row": row}))
    counts = defaultdict(set)
    for tn, c, _ in out:
        counts[tn].add(c)
    return [x for x in out if len(counts[x[0]]) >= 2]


def seed_layout(ids: list[str], adj: dict[str, set], anchors: list[str], spacing: float = 60.0) -> dict:
    """Cheap deterministic start positions so physics settles in few iterations on big graphs.

    Anchors (the ring's borrowers) go on a sunflower spiral; every other node
    goes to the mean position of its placed neighbours (hubs land in the middle
    of the borrowers they tie), nudged by a small deterministic offset.

    Examples
    --------
    >>> pos = seed_layout(["a", "b", "h"], {"h": {"a", "b"}, "a": {"h"}, "b": {"h"}}, ["a", "b"])
    >>> sorted(pos), all(len(p) == 2 for p in pos.values())
    (['a', 'b', 'h'], True)
    """
    golden = np.pi * (3 - np.sqrt(5))
    idset = set(ids)
    pos: dict[str, tuple[float, float]] = {}
    for i, a in enumerate(x for x in anchors if x in idset):
        r = spacing * np.sqrt(i + 0.5) * 1.6
        pos[a] = (float(r * np.cos(i * golden)), float(r * np.sin(i * golden)))
    rest = [x for x in ids if x not in pos]
    for _ in range(3):
        left = []
        for j, n in enumerate(rest):
            placed = [pos[m] for m in adj.get(n, ()) if m in pos]
            if not placed:
                left.append(n)
                continue
            cx = sum(p[0] for p in placed) / len(placed)
            cy = sum(p[1] for p in placed) / len(placed)
            a = j * golden
            off = spacing * (0.6 if len(placed) == 1 else 0.25)
            pos[n] = (float(cx + off * np.cos(a)), float(cy + off * np.sin(a)))
        rest = left
        if not rest:
            break
    for j, n in enumerate(rest):
        r = spacing * np.sqrt(len(pos) + j + 0.5) * 1.6
        pos[n] = (float(r * np.cos(j * golden)), float(r * np.sin(j * golden)))
    return {k: (round(v[0], 1), round(v[1], 1)) for k, v in pos.items()}


def ring_graph(rr: ReportRun, ring_id: str, reveal: bool = False, collapse_at: int = COLLAPSE_AT,
               fold_inline_at: int = FOLD_INLINE_AT, lang: str = "zh") -> dict:
    """The vis-network data of one ring, masked unless ``reveal``.

    Parameters
    ----------
    rr : ReportRun
    ring_id : str
    reveal : bool
        Show identifiers unmasked.
    collapse_at : int
        Fold leaf entities into groups when the ring graph has more nodes than this.
    fold_inline_at : int
        Past this many visible nodes, fold the groups into their parent nodes.
    lang : {"zh", "en"}
        Language of labels, tooltips and events (signal codes stay as ids).

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``groups``, ``events``, ``signals``, ``legend``,
        ``stats`` — plain data for the page script.
    """
    ring = rr.ring(ring_id)
    node_ids, edges = _select(rr, ring)
    npos = rr.node_positions()
    known = rr.nodes.iloc[sorted(npos[n] for n in node_ids if n in npos)].set_index("node", drop=False)
    borrowers = {"borrower:" + str(m["id"]) for m in ring.get("members", []) if m.get("kind") == "borrower"}
    roles = {f"{m['kind']}:{m['id']}": m.get("role") for m in ring.get("members", [])}

    # edges aggregated per (src, dst, type), with their input rows
    prop_cols = [c for c in edges.columns if c not in ("type", "src", "dst")]
    agg: dict[tuple, list[dict]] = defaultdict(list)
    recs = edges[["type", "src", "dst"] + prop_cols].astype(object)
    recs = recs.where(recs.notna(), None)
    for rec in recs.to_dict("records"):
        t, s, d = rec.pop("type"), rec.pop("src"), rec.pop("dst")
        rec["_dst"] = d
        agg[(s, d, t)].append(rec)
    _link_unconnected_members(rr, agg, borrowers, roles, node_ids)
    comp_nodes = known[known["kind"] == "complaint"].reset_index(drop=True)
    for tn, c, row in _templates(rr, borrowers, comp_nodes):
        node_ids.add(tn)
        agg[(c, tn, "TEMPLATE")].append(dict(row))

    # node ids: ring borrowers first, then members, then the rest, stable by kind and key
    def order(n):
        kind, _, key = n.partition(":")
        return (0 if n in borrowers else 1 if n in roles else 2, kind, key)

    all_nodes = sorted(node_ids, key=order)
    vid = {n: f"n{i}" for i, n in enumerate(all_nodes)}
    loan_owner = {}
    for (s, d, t) in agg:
        if t == "HAS_LOAN":
            k, _, key = s.partition(":")
            loan_owner[d] = mask_entity(k, key, reveal)

    nodes = []
    kn = known.astype(object)
    known_recs = dict(zip(kn.index, kn.to_dict("records")))
    masker = rr.masker(reveal)
    scrub = masker.text

    for n in all_nodes:
        kind, _, key = n.partition(":")
        rec = known_recs.get(n, {})
        p = {c: _s(v) for c, v in rec.items() if c not in _HIDDEN_PROPS and _s(v) is not None}
        shown = [[_PROP_LABELS.get(c, c), str(masker.prop(c, v, kind=kind))] for c, v in p.items()]
        label = _node_label(kind, key, p, reveal, lang)
        node = {"id": vid[n], "kind": kind, "label": label, "key": mask_entity(kind, key, reveal),
                "props": shown, "role": roles.get(n), "ring": n in borrowers,
                "member": n in roles, "outside": kind == "borrower" and n not in borrowers, "ev": []}
        nodes.append(node)
    by_vid = {x["id"]: x for x in nodes}

    # degree over distinct neighbours
    nbrs: dict[str, set] = defaultdict(set)
    for (s, d, _t) in agg:
        if s in vid and d in vid and s != d:
            nbrs[s].add(d)
            nbrs[d].add(s)

    out_edges = []
    for i, ((s, d, t), rows) in enumerate(sorted(agg.items(), key=lambda kv: (order(kv[0][0]), order(kv[0][1]),
                                                                             kv[0][2]))):
        if s not in vid or d not in vid:
            continue
        out_edges.append({"id": f"e{i}", "from": vid[s], "to": vid[d], "type": t, "n": len(rows),
                          "label": _edge_label(t, rows, loan_owner, reveal, lang),
                          "title": _edge_title(t, rows, reveal, masker, lang)})

    # fold leaves into groups
    groups = []
    if len(all_nodes) > collapse_at:
        leaves_of: dict[str, list[str]] = defaultdict(list)
        for n in all_nodes:
            if n in borrowers or n in roles or n.startswith(("borrower:", "template:")):
                continue
            if len(nbrs[n]) == 1:
                leaves_of[next(iter(nbrs[n]))].append(n)
        for parent in sorted(leaves_of, key=order):
            leaves = leaves_of[parent]
            if len(leaves) < 2:
                continue
            gid = f"g{len(groups)}"
            kinds = defaultdict(int)
            for x in leaves:
                kinds[x.partition(":")[0]] += 1
            desc = ", ".join(f"{c} {kind_name(k, lang)}" for k, c in sorted(kinds.items()))
            groups.append({"id": gid, "parent": vid[parent], "count": len(leaves),
                           "label": f"+{len(leaves)}", "title": msg("group_tip", lang, desc=desc),
                           "nodes": [vid[x] for x in leaves]})
            for x in leaves:
                by_vid[vid[x]]["group"] = gid
    visible_ids = [x["id"] for x in nodes if "group" not in x]
    if len(visible_ids) + len(groups) > fold_inline_at:
        # too many group nodes: fold them into their parents (label "+k", expand from the details panel)
        for gr in groups:
            gr["inline"] = True
            by_vid[gr["parent"]].setdefault("folded", []).append(gr["id"])
    else:
        visible_ids += [gr["id"] for gr in groups]
    if len(visible_ids) >= BIG_GRAPH:
        adj: dict[str, set] = defaultdict(set)
        for e in out_edges:
            adj[e["from"]].add(e["to"])
            adj[e["to"]].add(e["from"])
        for gr in groups:
            if not gr.get("inline"):
                adj[gr["id"]].add(gr["parent"])
                adj[gr["parent"]].add(gr["id"])
        pos = seed_layout(visible_ids, adj, [vid[b] for b in all_nodes if b in borrowers])
        for x in nodes:
            if x["id"] in pos:
                x["x"], x["y"] = pos[x["id"]]
        for gr in groups:
            if gr["id"] in pos:
                gr["x"], gr["y"] = pos[gr["id"]]

    # events (timeline), masked
    sub_nodes = known.reset_index(drop=True)
    ev_edges = edges
    events = []
    evf = events_frame(sub_nodes, ev_edges, lang=lang)
    for r in evf.itertuples(index=False):
        involved = [vid[x] for x in r.nodes if x in vid]
        who = by_vid[vid[r.borrower]]["label"] if r.borrower in vid else ""
        what = r.what
        if r.category == "phone":
            ph = [x for x in r.nodes if str(x).startswith("phone:")]
            if ph:
                what += " " + mask_entity("phone", ph[0].partition(":")[2], reveal)
        amount = money(r.amount)
        events.append({"date": r.date, "time": r.at.strftime("%H:%M") if r.at.hour or r.at.minute else "",
                       "cat": r.category, "what": scrub(what) + (f" {amount}" if amount else ""),
                       "who": who, "nodes": involved})

    # signals with evidence linked to nodes
    signals = []
    for si, sg in enumerate(ring.get("signals", [])):
        evs = []
        for ei, e in enumerate(sg.get("evidence", [])):
            refs = []
            b = _s(e.get("borrower"))
            if b and "borrower:" + b in vid:
                refs.append(vid["borrower:" + b])
            ent = _s(e.get("entity"))
            if ent and ent in vid:
                refs.append(vid[ent])
            key, table = _s(e.get("key")), _s(e.get("table"))
            kn = {"complaints": "complaint:", "loans": "loan:", "companies": "company:"}.get(table or "")
            if kn and key and kn + key in vid:
                refs.append(vid[kn + key])
            refs = list(dict.fromkeys(refs))
            for r_ in refs:
                by_vid[r_]["ev"].append([si, ei])
            ek, _, ekey = (ent or "").partition(":")
            evs.append({"borrower": mask_entity("borrower", b, reveal) if b else "",
                        "entity": (f"{ek}:{mask_entity(ek, ekey, reveal)}" if ent else ""),
                        "table": table or "", "row": "" if _s(e.get("row")) is None else str(e.get("row")),
                        "key": mask_key(table, key, reveal) or "", "detail": scrub(_s(e.get("detail")) or ""),
                        "nodes": refs})
        signals.append({"name": str(sg.get("name")), "title": signal_name(sg.get("name"), lang), "weight": sg.get("weight"), "strength": sg.get("strength"),
                        "contribution": sg.get("contribution"), "schemes": list(sg.get("schemes") or []),
                        "reason": str(sg.get("reason") or ""), "evidence": evs})

    for x in nodes:
        x["core"] = bool(x["ring"] or x["member"] or x["ev"] or x["kind"] in ("complaint", "template"))
    kinds_present = defaultdict(int)
    outside = 0
    for x in nodes:
        if x["outside"]:
            outside += 1
        else:
            kinds_present[x["kind"]] += 1
    if groups and not groups[0].get("inline"):
        kinds_present["group"] = len(groups)
    legend = [{"kind": k, **style_of(k), "label": kind_name(k, lang), "count": kinds_present[k]}
              for k in KIND_STYLES if k in kinds_present]
    legend += [{"kind": k, **_DEFAULT_STYLE, "label": kind_name(k, lang), "count": c} for k, c in kinds_present.items()
               if k not in KIND_STYLES]
    if outside:
        legend.insert(1, {"kind": "borrower", "shape": "dot", "color": "#a5c9e1",
                          "label": msg("outside_legend", lang), "count": outside, "outside": True})
    visible = len(visible_ids)
    summary = summary_graph(nodes, out_edges, lang) if sum(1 for x in nodes if x["ring"]) >= SUMMARY_AT else None
    link_types = defaultdict(int)
    for e in out_edges:
        link_types[e["type"]] += 1
    links_legend = [{"type": t, "label": relation_name(t, lang), "count": c} for t, c in sorted(link_types.items())]
    return {"nodes": nodes, "edges": out_edges, "groups": groups, "events": events, "signals": signals,
            "summary": summary, "links_legend": links_legend, "ring_id": str(ring_id),
            "legend": legend, "styles": {k: {"shape": v["shape"], "color": v["color"]} for k, v in KIND_STYLES.items()},
            "categories": EVENT_CATEGORIES,
            "stats": {"nodes": len(nodes), "edges": len(out_edges), "visible": visible, "groups": len(groups),
                      "seeded": visible >= BIG_GRAPH,
                      "events": len(events)}}


#: From this many ring borrowers a ring page opens on its summary graph (hubs and the borrower groups they tie).
SUMMARY_AT = 60
#: At most this many borrower groups in the summary (more: borrowers grouped by their most-shared hub).
SUMMARY_GROUPS = 24


def summary_graph(nodes: list[dict], edges: list[dict], lang: str = "zh", max_groups: int = SUMMARY_GROUPS) -> dict:
    """The summary of a ring page: its controlled hubs and the groups of borrowers that share the same hubs.

    Hubs are the ring's non-borrower members (phones, agents, attachments, accounts, shells ...) and
    shared templates. A borrower ties to a hub directly or through one of its complaints or loans
    (a complaint filed from the hub phone, a loan repaid from the hub account). Borrowers tied to the
    same hubs form a group; past ``max_groups`` groups, borrowers are grouped by their most-shared hub.

    Returns
    -------
    dict
        ``hubs`` (node ids with ``n``, the ring borrowers tied to each), ``groups`` (``id``, ``label``,
        ``count``, ``borrowers``, ``hubs``: ``[hub id, borrowers of the group tied to it]``).

    Examples
    --------
    >>> ns = [{"id": "b1", "kind": "borrower", "ring": True, "member": True},
    ...       {"id": "b2", "kind": "borrower", "ring": True, "member": True},
    ...       {"id": "c1", "kind": "complaint", "ring": False, "member": False},
    ...       {"id": "h", "kind": "phone", "ring": False, "member": True}]
    >>> es = [{"from": "c1", "to": "b1"}, {"from": "c1", "to": "h"}, {"from": "b2", "to": "h"}]
    >>> s = summary_graph(ns, es, "en")
    >>> [(g["count"], g["hubs"]) for g in s["groups"]], s["hubs"]
    ([(2, [['h', 2]])], [['h', 2]])
    """
    kind = {x["id"]: x["kind"] for x in nodes}
    ring = [x["id"] for x in nodes if x["ring"]]
    hubs = [x["id"] for x in nodes if (x["member"] and x["kind"] != "borrower") or x["kind"] == "template"]
    hub_set, ring_set = set(hubs), set(ring)
    adj: dict[str, set] = defaultdict(set)
    for e in edges:
        adj[e["from"]].add(e["to"])
        adj[e["to"]].add(e["from"])
    ties: dict[str, set] = {}
    for b in ring:
        t = {x for x in adj[b] if x in hub_set}
        for mid in adj[b]:
            if kind.get(mid) in ("complaint", "loan"):
                t |= {x for x in adj[mid] if x in hub_set}
        ties[b] = t
    hub_n = defaultdict(int)
    for t in ties.values():
        for h in t:
            hub_n[h] += 1
    sig = {b: tuple(sorted(t)) for b, t in ties.items()}
    if len(set(sig.values())) > max_groups:
        sig = {b: ((max(t, key=lambda h: (hub_n[h], h)),) if t else ()) for b, t in ties.items()}
    by_sig: dict[tuple, list] = defaultdict(list)
    for b in ring:
        by_sig[sig[b]].append(b)
    groups = []
    for i, (key, members) in enumerate(sorted(by_sig.items(), key=lambda kv: (-len(kv[1]), kv[0]))):
        tied = defaultdict(int)
        for b in members:
            for h in ties[b]:
                tied[h] += 1
        groups.append({"id": f"s{i}", "label": msg("summary_group", lang, ref=f"G{i + 1:02d}", n=len(members)),
                       "count": len(members), "borrowers": members,
                       "hubs": sorted(([h, n] for h, n in tied.items()), key=lambda x: (-x[1], x[0]))})
    return {"hubs": sorted(([h, hub_n[h]] for h in hubs), key=lambda x: (-x[1], x[0])), "groups": groups}


_FONT = ("'Graphring CJK Sans', system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', "
         "'WenQuanYi Micro Hei', sans-serif")


def vis_options(visible: int) -> dict:
    """vis-network options: physics that stabilises, then is switched off by the page script.

    Examples
    --------
    >>> vis_options(50)["layout"]["improvedLayout"], vis_options(2000)["layout"]["improvedLayout"]
    (True, False)
    """
    big = visible >= BIG_GRAPH
    return {
        "autoResize": True,
        "layout": {"improvedLayout": visible <= 100, "randomSeed": 7},
        "nodes": {"font": {"size": 12, "face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1, "size": 12},
        "edges": {"width": 1, "smooth": False, "color": {"color": "#b0b0b0", "highlight": "#333333",
                                                         "hover": "#555555"},
                  "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}},
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -4000 if not big else -2500, "centralGravity": 0.25,
                                  "springLength": 110, "springConstant": 0.04, "damping": 0.35, "avoidOverlap": 0.05},
                    "stabilization": {"enabled": True, "iterations": int(min(300, max(60, 40000 / max(visible, 1)))),
                                      "updateInterval": 10,
                                      "fit": True},
                    "maxVelocity": 40, "minVelocity": 1.0, "timestep": 0.5},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": True, "navigationButtons": False, "keyboard": False},
    }
