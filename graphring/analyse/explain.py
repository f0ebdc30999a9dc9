"""Plain-words explanations of a ring, and evidence paths between two entities.

:func:`explain_ring` summarises one ring of a run directory in Chinese and in
English: who is at the centre (highest weighted degree in the ring's borrower
projection, and the hub entities tying most members), what ties the members
(the top link kinds), the money (outstanding balances, loans, third-party
repayments) and the complaints (how many, channels, demands, reasons, dates).

:func:`explain_path` answers "how are these two connected?": the shortest
evidence paths between two entities (``kind:key``, e.g. ``borrower:B000123`` or
``phone:+8613800000000``) over the run's saved neighbourhood graph
(``state/subgraph_edges.parquet``), each hop with the input rows behind it.
Paths avoid hubs: a hop costs ``1 + log10(degree)`` of its busier end, so two
borrowers are not "connected" through a public Wi-Fi IP when a shared complaint
phone explains them.

Identifiers are masked (:func:`graphring.present.privacy.mask_entity`) unless ``reveal``.

Examples
--------
>>> import tempfile, pathlib
>>> data, run = _example_run(pathlib.Path(tempfile.mkdtemp()))
>>> e = explain_ring(run, "R0001")
>>> e["borrowers"], "团伙 R0001" in e["text_zh"], "At the centre" in e["text_en"]
(5, True, True)
>>> p = explain_path(run, "borrower:B1", "phone:139 0000 0001", reveal=True)
>>> [h["relations"] for h in p["paths"][0]["hops"]]
[['ABOUT'], ['FILED_FROM']]
>>> p["paths"][0]["hops"][1]["rows"]
[{'table': 'complaints', 'file': 'complaints.csv', 'row': 2}]
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphring.detect.projection import LINKS
from graphring.errors import ExplainError, RunError
from graphring.graph.model import RELATION_LABELS, split_node_id
from graphring.ingest.schema import ENTITY_KINDS
from graphring.pipeline import find_rings, write_run
from graphring.present.fmt import money as fmt_money
from graphring.present.i18n import KIND_NAMES, LINK_NAMES, RELATION_NAMES, TYPOLOGY_NAMES
from graphring.present.privacy import mask_entity, mask_text
from graphring.run import INCIDENCE, PROJECTION_EDGES, SUBGRAPH_EDGES, SUBGRAPH_NODES, read_run, read_state
from graphring.watch.watchlist import normalise_value

__all__ = ["explain", "explain_ring", "explain_path", "parse_entity", "ExplainError", "LINK_ZH", "TYPOLOGY_ZH", "KIND_ZH",
           "RELATION_ZH"]


# Chinese names from the one message catalogue (graphring/present/i18n.py); kept under these names for callers.
TYPOLOGY_ZH = {k: v[0] for k, v in TYPOLOGY_NAMES.items()}
LINK_ZH = {k: v[0] for k, v in LINK_NAMES.items()}
KIND_ZH = {k: v[0] for k, v in KIND_NAMES.items()}
RELATION_ZH = {k: v[0] for k, v in RELATION_NAMES.items()}


def _num(s) -> pd.Series:
    return pd.to_numeric(pd.Series(s, dtype=object), errors="coerce")


def _m(kind: str, key, reveal: bool) -> str:
    return mask_entity(kind, key, reveal)


def _top(counts: pd.Series, n: int = 3) -> list[tuple[str, int]]:
    c = counts.dropna()
    c = c[c.astype(str).str.len() > 0].value_counts()
    return [(str(k), int(v)) for k, v in c.head(n).items()]


def explain_ring(run_dir: str | Path, ring_id: str, lang: str = "both", reveal: bool = False) -> dict:
    """Summarise one ring in plain words (Chinese and English).

    Parameters
    ----------
    run_dir : path
        Run directory written by ``graphring rings``.
    ring_id : str
        A ``ring_id`` of ``ring_members.csv``.
    lang : {"both", "zh", "en"}
        Which text(s) ``text`` holds.
    reveal : bool
        Show identifiers unmasked.

    Returns
    -------
    dict
        ``ring_id, score, typology, borrowers, centre, hubs, links, money, complaints,
        signals, text_zh, text_en, text``.
    """
    if lang not in ("both", "zh", "en"):
        raise ExplainError(f"lang must be both, zh or en, not {lang!r}")
    run = read_run(run_dir)
    d = run.dir
    rings = {r["ring_id"]: r for r in run.ring_list}
    if ring_id not in rings:
        known = ", ".join(list(rings)[:10])
        raise ExplainError(f"no ring {ring_id!r} in {d} (rings: {known}{', ...' if len(rings) > 10 else ''})")
    ring = rings[ring_id]
    mem = pd.DataFrame(ring["members"])
    bors = sorted(mem.loc[mem["kind"] == "borrower", "id"].astype(str))
    bset = set(bors)
    nb = len(bors)
    # centre: weighted degree in the ring's projection
    pe = run.read_state(PROJECTION_EDGES, filters=[("u", "in", bors)] if bors else None)
    pe = pe[pe["u"].isin(bset) & pe["v"].isin(bset)]
    wdeg = pd.concat([pe.groupby("u")["weight"].sum(), pe.groupby("v")["weight"].sum()]).groupby(level=0).sum()
    deg = pd.concat([pe.groupby("u").size(), pe.groupby("v").size()]).groupby(level=0).sum()
    centre = [{"borrower": _m("borrower", b, reveal), "weighted_degree": round(float(w), 3),
               "ties": int(deg.get(b, 0))}
              for b, w in wdeg.sort_values(ascending=False, kind="stable").head(3).items()]
    # hub entities and link kinds, from the incidence
    inc = run.read_state(INCIDENCE, columns=["borrower", "ident", "link", "table", "row"],
                 filters=[("borrower", "in", bors)] if bors else None)
    inc = inc[inc["borrower"].isin(bset)]
    ties = inc.drop_duplicates(["borrower", "ident", "link"])
    k = ties.groupby(["ident", "link"])["borrower"].nunique().rename("k").reset_index()
    shared = k[k["k"] >= 2]
    weight = {a: b.weight for a, b in LINKS.items()}
    links = []
    if len(shared):
        sh = ties.merge(shared[["ident", "link"]], on=["ident", "link"])
        for lk, g in sh.groupby("link"):
            links.append({"link": lk, "identifiers": int(g["ident"].nunique()), "borrowers": int(g["borrower"].nunique()),
                          "weight": weight.get(lk, 0.0)})
        links.sort(key=lambda x: (-(x["weight"] * x["borrowers"]), x["link"]))
    roles = dict(zip(mem["kind"].astype(str) + ":" + mem["id"].astype(str), mem["role"]))
    hubs = []
    if len(shared):
        ents = shared[shared["link"] != "template"].assign(w=lambda x: x["link"].map(weight).fillna(0.0))
        ents = ents.sort_values(["k", "w", "ident"], ascending=[False, False, True], kind="stable")
        ents = ents.drop_duplicates("ident")
        ents = ents[ents["w"] > 0].head(5)
        for ident, lk, kk in ents[["ident", "link", "k"]].itertuples(index=False, name=None):
            kind, _, key = ident.partition(":")
            hubs.append({"kind": kind, "id": _m(kind, key, reveal), "link": lk, "borrowers": int(kk),
                         "role": roles.get(ident)})
    templates = shared[shared["link"] == "template"] if len(shared) else shared
    # money and complaints from the saved neighbourhood
    nodes = run.read_state(SUBGRAPH_NODES)
    edges = run.read_state(SUBGRAPH_EDGES, columns=["type", "src", "dst", "_table", "_row"])
    bn = nodes[(nodes["kind"] == "borrower") & nodes["key"].isin(bset)]
    money = {"borrowers": nb}
    if len(bn):
        if "outstanding" in bn.columns:
            money["outstanding"] = round(float(_num(bn["outstanding"]).fillna(0).sum()), 2)
        if "overdue_days" in bn.columns:
            money["overdue_borrowers"] = int((_num(bn["overdue_days"]).fillna(0) > 0).sum())
        if "credit_file" in bn.columns:
            money["thin_file_borrowers"] = int((bn["credit_file"].astype(str) == "thin").sum())
        if "co_debt_lenders" in bn.columns:
            cd = _num(bn["co_debt_lenders"]).dropna()
            money["median_co_debt_lenders"] = float(cd.median()) if len(cd) else None
    bnode = set("borrower:" + pd.Series(bors, dtype=object))
    hl = edges[(edges["type"] == "HAS_LOAN") & edges["src"].isin(bnode)]
    loan_ids = set(hl["dst"])
    ln = nodes[(nodes["kind"] == "loan") & nodes["node"].isin(loan_ids)]
    if len(ln):
        amt = _num(ln["amount"]).fillna(0) if "amount" in ln.columns else pd.Series(0.0, index=ln.index)
        money["loans"] = int(len(ln))
        money["loan_amount"] = round(float(amt.sum()), 2)
        if "status" in ln.columns:
            bad = ln["status"].astype(str).isin(["overdue", "charged_off"]).to_numpy()
            money["bad_loans"] = int(bad.sum())
            money["bad_loan_amount"] = round(float(amt[bad].sum()), 2)
        if "product" in ln.columns:
            money["products"] = dict(_top(ln["product"], 5))
    rp = edges[(edges["type"] == "REPAID") & edges["dst"].isin(loan_ids)]
    if len(rp):
        owner = dict(zip(hl["dst"], hl["src"]))
        ha = edges[(edges["type"] == "HOLDS_ACCOUNT") & edges["src"].isin(bnode)]
        own = set(zip(ha["src"], ha["dst"]))

        def third_party(df: pd.DataFrame) -> pd.Series:
            o = df["dst"].map(owner)
            return pd.Series([s_ != ow and (ow, s_) not in own for s_, ow in zip(df["src"], o)], index=df.index,
                             dtype=bool)

        third = rp[third_party(rp)]
        if len(third):
            full = run.read_state(SUBGRAPH_EDGES)
            full = full[(full["type"] == "REPAID") & full["dst"].isin(loan_ids)]
            full = full[third_party(full)]
            money["third_party_repayments"] = int(len(full))
            money["third_party_amount"] = round(float(_num(full.get("amount", pd.Series(dtype=object)))
                                                      .fillna(0).sum()), 2)
            money["third_party_payers"] = int(full["src"].nunique())
    ab = edges[(edges["type"] == "ABOUT") & edges["dst"].isin(bnode)]
    cn = nodes[(nodes["kind"] == "complaint") & nodes["node"].isin(set(ab["src"]))]
    complaints = {"complaints": int(len(cn))}
    if len(cn):
        for col in ("channel", "demand", "claimed_reason"):
            if col in cn.columns:
                complaints[col] = dict(_top(cn[col], 3))
        if "received_at" in cn.columns:
            ts = pd.to_datetime(cn["received_at"], errors="coerce").dropna()
            if len(ts):
                complaints["first"] = str(ts.min().date())
                complaints["last"] = str(ts.max().date())
        if "complainant_phone" in cn.columns:
            complaints["complainant_phones"] = int(cn["complainant_phone"].dropna().nunique())
        if "agent" in cn.columns:
            complaints["agents"] = int(cn["agent"].dropna().nunique())
        complaints["templates"] = int(templates["ident"].nunique()) if len(templates) else 0
    sigs = [{"name": s["name"], "contribution": s.get("contribution"), "reason": mask_text(s.get("reason"), reveal)}
            for s in ring.get("signals", [])[:3]]
    out = {"ring_id": ring_id, "score": ring.get("score"), "typology": ring.get("typology"), "borrowers": nb,
           "centre": centre, "hubs": hubs, "links": links[:5], "money": money, "complaints": complaints,
           "signals": sigs, "reveal": reveal}
    out["text_en"] = _ring_text_en(out)
    out["text_zh"] = _ring_text_zh(out)
    out["text"] = {"en": out["text_en"], "zh": out["text_zh"]}.get(lang, out["text_zh"] + "\n\n" + out["text_en"])
    return out


def _ring_text_en(e: dict) -> str:
    L = [f"Ring {e['ring_id']} — score {e['score']:.3f}, looks like {e['typology'].replace('_', ' ')}; "
         f"{e['borrowers']} borrowers."]
    if e["centre"]:
        c = e["centre"]
        L.append("At the centre: " + "; ".join(
            f"borrower {x['borrower']} (tied to {x['ties']} members, weighted degree {x['weighted_degree']})"
            for x in c) + ".")
    if e["hubs"]:
        L.append("Hub entities: " + "; ".join(
            f"{h['kind'].replace('_', ' ')} {h['id']} ({h['link'].replace('_', ' ')}) shared by {h['borrowers']} "
            "members" for h in e["hubs"]) + ".")
    if e["links"]:
        L.append("What ties them: " + "; ".join(
            f"{lk['link'].replace('_', ' ')} — {LINKS[lk['link']].reason if lk['link'] in LINKS else ''} "
            f"({lk['identifiers']} shared, {lk['borrowers']} borrowers)" for lk in e["links"][:3]) + ".")
    m = e["money"]
    parts = []
    if "outstanding" in m:
        parts.append(f"{m['borrowers']} borrowers owe {fmt_money(m['outstanding'], symbol='')} CNY outstanding"
                     + (f", {m['overdue_borrowers']} overdue" if "overdue_borrowers" in m else ""))
    if m.get("thin_file_borrowers"):
        parts.append(f"{m['thin_file_borrowers']} had no prior credit (thin file)")
    if m.get("loans"):
        s = f"{m['loans']} loans totalling {fmt_money(m['loan_amount'], symbol='')} CNY"
        if "bad_loans" in m:
            s += f", {m['bad_loans']} overdue or charged off ({fmt_money(m['bad_loan_amount'], symbol='')} CNY)"
        parts.append(s)
    if m.get("third_party_repayments"):
        parts.append(f"{m['third_party_repayments']} repayments by third parties "
                     f"({fmt_money(m['third_party_amount'], symbol='')} CNY from {m['third_party_payers']} payers)")
    if parts:
        L.append("Money: " + "; ".join(parts) + ".")
    c = e["complaints"]
    if c.get("complaints"):
        s = f"Complaints: {c['complaints']}"
        if c.get("first"):
            s += f" from {c['first']} to {c['last']}"
        for col, name in (("channel", "channels"), ("demand", "demands"), ("claimed_reason", "reasons")):
            if c.get(col):
                s += f"; {name}: " + ", ".join(f"{k} {v}" for k, v in c[col].items())
        if c.get("complainant_phones") is not None:
            s += f"; filed from {c['complainant_phones']} distinct phone numbers"
        if c.get("templates"):
            s += f"; {c['templates']} shared letter template(s)"
        L.append(s + ".")
    if e["signals"]:
        L.append("Strongest signals: " + "; ".join(f"{s['name']} ({s['reason']})" for s in e["signals"]) + ".")
    if not e.get("reveal"):
        L.append("(identifiers masked; --reveal shows them)")
    return "\n".join(L)


def _ring_text_zh(e: dict) -> str:
    L = [f"团伙 {e['ring_id']}：可疑度 {e['score']:.3f}，疑似{TYPOLOGY_ZH.get(e['typology'], e['typology'])}，"
         f"涉及借款人 {e['borrowers']} 名。"]
    if e["centre"]:
        L.append("核心人物：" + "；".join(f"借款人 {x['borrower']}（与 {x['ties']} 名成员相连，加权度 {x['weighted_degree']}）"
                                      for x in e["centre"]) + "。")
    if e["hubs"]:
        L.append("关键枢纽：" + "；".join(
            f"{KIND_ZH.get(h['kind'], h['kind'])} {h['id']}（{LINK_ZH.get(h['link'], h['link'])}），"
            f"关联 {h['borrowers']} 名成员" for h in e["hubs"]) + "。")
    if e["links"]:
        L.append("成员之间的关联：" + "；".join(
            f"{LINK_ZH.get(lk['link'], lk['link'])}（{lk['identifiers']} 个共用标识，涉及 {lk['borrowers']} 名借款人）"
            for lk in e["links"][:3]) + "。")
    m = e["money"]
    parts = []
    if "outstanding" in m:
        parts.append(f"{m['borrowers']} 名借款人欠款余额合计 {fmt_money(m['outstanding'], symbol='')} 元"
                     + (f"，其中 {m['overdue_borrowers']} 人逾期" if "overdue_borrowers" in m else ""))
    if m.get("thin_file_borrowers"):
        parts.append(f"{m['thin_file_borrowers']} 人为白户")
    if m.get("loans"):
        s = f"贷款 {m['loans']} 笔，合计 {fmt_money(m['loan_amount'], symbol='')} 元"
        if "bad_loans" in m:
            s += f"，逾期或核销 {m['bad_loans']} 笔（{fmt_money(m['bad_loan_amount'], symbol='')} 元）"
        parts.append(s)
    if m.get("third_party_repayments"):
        parts.append(f"第三方代还款 {m['third_party_repayments']} 笔（{fmt_money(m['third_party_amount'], symbol='')} 元，"
                     f"来自 {m['third_party_payers']} 个付款方）")
    if parts:
        L.append("资金情况：" + "；".join(parts) + "。")
    c = e["complaints"]
    if c.get("complaints"):
        s = f"投诉情况：共 {c['complaints']} 件"
        if c.get("first"):
            s += f"，时间 {c['first']} 至 {c['last']}"
        for col, name in (("channel", "渠道"), ("demand", "诉求"), ("claimed_reason", "理由")):
            if c.get(col):
                s += f"；{name}：" + "、".join(f"{k} {v} 件" for k, v in c[col].items())
        if c.get("complainant_phones") is not None:
            s += f"；来自 {c['complainant_phones']} 个不同的来电号码"
        if c.get("templates"):
            s += f"；{c['templates']} 组雷同投诉文本"
        L.append(s + "。")
    if e["signals"]:
        L.append("主要可疑信号：" + "、".join(s["name"] for s in e["signals"]) + "。")
    if not e.get("reveal"):
        L.append("（标识已脱敏；使用 --reveal 显示）")
    return "\n".join(L)


# ---------------------------------------------------------------------------------------
# evidence paths
# ---------------------------------------------------------------------------------------

def parse_entity(text: str) -> tuple[str, str]:
    """Split ``kind:key`` and normalise the key as the loaders do.

    Examples
    --------
    >>> parse_entity("phone:138 1234 5678")
    ('phone', '+8613812345678')
    >>> parse_entity("borrower:B000123")
    ('borrower', 'B000123')
    >>> parse_entity("B000123")
    Traceback (most recent call last):
    ...
    graphring.errors.ExplainError: entity 'B000123' must be kind:key, e.g. borrower:B000123 or phone:+8613800000000
    """
    s = str(text).strip()
    if ":" not in s:
        raise ExplainError(f"entity {s!r} must be kind:key, e.g. borrower:B000123 or phone:+8613800000000")
    kind, key = split_node_id(s)
    kind = kind.strip().lower()
    key = key.strip()
    if kind not in ENTITY_KINDS:
        raise ExplainError(f"unknown entity kind {kind!r}; one of {', '.join(sorted(ENTITY_KINDS))}")
    if kind in ("phone", "device", "account", "company", "attachment"):
        v = normalise_value(kind, key)
        if v is not None:
            key = v
    return kind, key


def _graph(edges: pd.DataFrame):
    """Undirected graph of the saved edges; each edge keeps its input rows and a hub-avoiding cost."""
    src = edges["src"].astype(str).to_numpy()
    dst = edges["dst"].astype(str).to_numpy()
    lo = np.where(src <= dst, src, dst)
    hi = np.where(src <= dst, dst, src)
    row = pd.to_numeric(edges["_row"], errors="coerce").fillna(-1).astype("int64").to_numpy()
    e = pd.DataFrame({"a": lo, "b": hi, "r": list(zip(edges["_table"].astype(str).to_numpy(), row.tolist(),
                                                      edges["type"].astype(str).to_numpy()))})
    agg = e.groupby(["a", "b"], sort=True)["r"].agg(lambda s: sorted(set(s)))
    G = nx.Graph()
    G.add_edges_from((a, b, {"rows": r}) for (a, b), r in agg.items())
    deg = dict(G.degree())
    for u, v, dd in G.edges(data=True):
        dd["cost"] = 1.0 + math.log10(max(deg[u], deg[v], 1))
    return G


def explain(run_dir: str | Path, a: str, b: str | None = None, lang: str = "both", reveal: bool = False) -> dict:
    """What ``graphring explain`` prints: a ring in plain words (``a`` a ring id), or the evidence paths
    between two entities (``a`` and ``b`` as ``kind:key``).

    Parameters
    ----------
    run_dir : path
        Run directory written by ``graphring rings``.
    a, b : str
        A ring id, or two entities.
    lang : {"both", "zh", "en"}
        Language of ``text``.
    reveal : bool
        Identifiers unmasked.

    Returns
    -------
    dict
        What :func:`explain_ring` or :func:`explain_path` returns, with ``text`` in ``lang``.

    Raises
    ------
    ExplainError
        Unknown ``lang``, ring or entity; one entity where a ring id or two entities are needed.
    """
    if lang not in ("both", "zh", "en"):
        raise ExplainError(f"--lang must be both, zh or en, not {lang!r}")
    if b is None:
        try:
            return explain_ring(run_dir, a, lang=lang, reveal=reveal)
        except ExplainError:
            if ":" in str(a):
                raise ExplainError(f"{a!r} looks like an entity: give two entities (kind:key kind:key) to see "
                                   "the evidence paths between them, or a ring id") from None
            raise
    p = explain_path(run_dir, a, b, reveal=reveal)
    p["text"] = {"en": p["text_en"], "zh": p["text_zh"]}.get(lang, p["text_zh"] + "\n\n" + p["text_en"])
    return p


def explain_path(run_dir: str | Path, a: str, b: str, reveal: bool = False, max_paths: int = 3,
                 max_hops: int = 8) -> dict:
    """Shortest evidence paths between two entities over the run's saved graph.

    Parameters
    ----------
    run_dir : path
        Run directory (``state/subgraph_edges.parquet``: every input relationship
        within two hops of a ring borrower).
    a, b : str
        Entities as ``kind:key`` (``borrower:B000123``, ``phone:13800000000``).
    reveal : bool
        Show identifiers unmasked.
    max_paths : int
        At most this many paths, cheapest first.
    max_hops : int
        Paths longer than this are not reported.

    Returns
    -------
    dict
        ``a, b, paths`` (each ``cost``, ``hops``: ``from, to, relations, rows``) and ``text_en``, ``text_zh``.

    Raises
    ------
    ExplainError
        An entity is malformed or not in the saved graph.
    """
    d = Path(run_dir)
    if not (d / "manifest.json").is_file():
        raise RunError(f"{d} is not a graphring run directory (manifest.json missing)")
    ka, va = parse_entity(a)
    kb, vb = parse_entity(b)
    na, nb_ = f"{ka}:{va}", f"{kb}:{vb}"
    edges = read_state(d, SUBGRAPH_EDGES, columns=["type", "src", "dst", "_table", "_row"])
    G = _graph(edges)
    missing = [(which, raw) for which, n, raw in (("first", na, a), ("second", nb_, b)) if n not in G]
    if missing:
        # what the user typed is theirs: shown as typed, not masked
        what = " and ".join(f"the {which} entity, {raw!r}," for which, raw in missing)
        raise ExplainError(f"{what} {'is' if len(missing) == 1 else 'are'} not in this run's saved graph: explain "
                           "sees only entities within two hops of ring borrowers (state/subgraph_edges.parquet); "
                           "check the kind:key spelling, or the entity is outside every ring")
    files = {}
    try:
        man = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        files = {r["table"]: r["file"] for r in (man.get("validation") or [])}
    except (OSError, ValueError, KeyError, TypeError):
        pass

    def show(n: str) -> str:
        k, key = split_node_id(n)
        return f"{k}:{mask_entity(k, key, reveal)}"

    paths = []
    if na != nb_:
        try:
            gen = nx.shortest_simple_paths(G, na, nb_, weight="cost")
            seen = set()
            for tried, p in enumerate(gen):
                if len(p) - 1 > max_hops or len(paths) >= max_paths or tried >= 50 * max_paths:
                    break
                # paths that differ only by which complaint or loan record they pass are one explanation
                via = tuple(n for n in p if not n.startswith(("complaint:", "loan:")))
                if via in seen:
                    continue
                seen.add(via)
                hops = []
                cost = 0.0
                for u, v in zip(p[:-1], p[1:]):
                    dd = G[u][v]
                    cost += dd["cost"]
                    rels = sorted({r[2] for r in dd["rows"]})
                    hops.append({"from": show(u), "to": show(v), "relations": rels,
                                 "labels": [RELATION_LABELS.get(r, r) for r in rels],
                                 "rows": [{"table": t, "file": files.get(t), "row": r} for t, r, _ in dd["rows"]]})
                paths.append({"cost": round(cost, 3), "length": len(hops), "hops": hops})
        except nx.NetworkXNoPath:
            pass
    out = {"a": show(na), "b": show(nb_), "paths": paths, "reveal": reveal}
    out["text_en"] = _path_text(out, "en")
    out["text_zh"] = _path_text(out, "zh")
    return out


def _path_text(p: dict, lang: str) -> str:
    if not p["paths"]:
        return (f"No evidence path between {p['a']} and {p['b']} in this run's saved graph." if lang == "en" else
                f"在本次运行保存的关系图中，{p['a']} 与 {p['b']} 之间没有证据路径。")
    L = [f"{len(p['paths'])} evidence path(s) between {p['a']} and {p['b']}:" if lang == "en" else
         f"{p['a']} 与 {p['b']} 之间的证据路径（共 {len(p['paths'])} 条）："]
    for i, path in enumerate(p["paths"], 1):
        L.append(f"  {'path' if lang == 'en' else '路径'} {i} ({path['length']} {'hops' if lang == 'en' else '跳'}):")
        for h in path["hops"]:
            rel = (", ".join(RELATION_LABELS.get(r, r) for r in h["relations"]) if lang == "en" else
                   "、".join(RELATION_ZH.get(r, r) for r in h["relations"]))
            rows = "; ".join(f"{r['file'] or r['table']} row {r['row']}" for r in h["rows"][:5])
            more = f" (+{len(h['rows']) - 5})" if len(h["rows"]) > 5 else ""
            L.append(f"    {h['from']} —[{rel}]— {h['to']}    ({rows}{more})")
    if not p.get("reveal"):
        L.append("(identifiers masked; --reveal shows them)" if lang == "en" else "（标识已脱敏；使用 --reveal 显示）")
    return "\n".join(L)


def _example_run(root: Path) -> tuple[Path, Path]:
    """A five-borrower proxy-complaint ring as a data folder and its run directory (for examples and tests).

    Borrowers B1-B5 complain through one phone (``+8613900000001``), one agent and one
    attached file, with one letter template.
    """
    data, run = Path(root) / "data", Path(root) / "run"
    data.mkdir(parents=True, exist_ok=True)
    ids = [f"B{i}" for i in range(1, 6)]
    pd.DataFrame({"borrower_id": ids, "phone": [f"+861380000{i:04d}" for i in range(11, 16)], "overdue_days": 90,
                  "outstanding": 20000}).to_csv(data / "borrowers.csv", index=False)
    text = EXAMPLE_LETTER
    pd.DataFrame({"complaint_id": [f"C{i}" for i in range(1, 6)], "borrower_id": ids,
                  "complainant_phone": "+8613900000001", "agent": "王某", "channel": "regulator",
                  "attachments": "9f2c1a7be3d54e6a8b0c4d2e1f3a5b7c",
                  "text": [text.replace("本人", "本人" + n, 1) for n in "甲乙丙丁戊"]}).to_csv(
        data / "complaints.csv", index=False)
    write_run(find_rings(data, seed=0), run, data_dir=data)
    return data, run


EXAMPLE_LETTER = ("本人因疫情失业，无力偿还贷款，贵司催收人员多次骚扰家人，，要求立即停止催收并减免全部利息，"
                  "否则将向银保监会投诉。")
