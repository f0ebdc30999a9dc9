"""One ring of a run, ready to render: nodes with masked labels, links and evidence rows.

:func:`load_ring` reads a run directory (``rings.json``, ``manifest.json``,
``state/*.parquet``) and returns a :class:`RingData`:

* ``nodes``: one row per ring member (borrowers first) plus one pseudo-node per
  complaint template shared by two or more of its borrowers; each has a
  pack-local reference ``ref`` (``R0001-N001`` ...: unique, stable for the same
  run, and carrying no personal data) and a display ``label`` masked by default;
* ``links``: every tie between two nodes with the input row behind it
  (``table``, ``row``, ``source_file``) -- from the projection incidence (a
  borrower and the identifier it shares) and from input relationships between
  two members (payments, roles);
* ``evidence``: every evidence row of every signal, flattened.

Masking (PIPL) happens here, once, through :mod:`graphring.present.privacy`: ``label``
and the ``*_label`` columns are masked unless ``reveal``; ``RingData.masker``
(a :class:`graphring.present.privacy.Masker` knowing the names of the run's borrowers,
contacts and agents) masks every free text the pack writes; raw keys stay in
``node``/``key`` for joins and are never written by the pack in masked mode.

Examples
--------
>>> import tempfile
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> run_dir = demo_run(tempfile.mkdtemp())
>>> rd = load_ring(run_dir, "R0001")
>>> rd.nodes[["ref", "kind", "label"]].head(2).values.tolist()
[['R0001-N001', 'borrower', 'B***1 王**'], ['R0001-N002', 'borrower', 'B***2 -******']]
>>> {"complaint_phone", "agent", "attachment"} <= set(rd.links["link"])
True
>>> load_ring(run_dir, "R9999")
Traceback (most recent call last):
...
graphring.errors.RunError: ring R9999 is not in run ...: rings are R0001
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphring.detect.projection import LINKS
from graphring.errors import RunError
from graphring.graph.model import RELATION_LABELS
from graphring.present.i18n import check_lang
from graphring.present.privacy import Masker, mask_entity, mask_key, mask_node, mask_prop, mask_text
from graphring.run import INCIDENCE, SUBGRAPH_EDGES, SUBGRAPH_NODES, read_run

__all__ = ["RingData", "load_ring", "mask_node", "mask_free", "mask_prop", "KIND_LABELS", "LINK_LABELS",
           "masking_statement"]

#: Entity kinds with a Chinese name, for legends and tables.
KIND_LABELS = {
    "borrower": "借款人 borrower", "phone": "电话 phone", "device": "设备 device", "ip": "IP",
    "account": "账户 account", "company": "企业 company", "address": "地址 address",
    "complaint": "投诉 complaint", "loan": "贷款 loan", "officer": "客户经理 officer",
    "intermediary": "中介 intermediary", "agent": "代理人 agent", "attachment": "附件 attachment",
    "registration_agent": "代办机构 registration agent", "person": "人员 person", "email": "邮箱 e-mail",
    "template": "模板文书 template letter",
}

#: Projection link kinds (and member-to-member relations) with a Chinese name.
LINK_LABELS = {
    "complaint_phone": "投诉来电 complaint phone", "agent": "同一代理人 same agent",
    "attachment": "相同附件 same attachment", "template": "雷同文书 template letter",
    "repayer": "代偿还款 third-party repayment", "device": "共用设备 shared device",
    "account": "共用账户 shared account", "bound_phone": "绑定手机 bound phone",
    "counterparty": "交易对手 trade counterparty", "intermediary": "同一中介 same intermediary",
    "payment_party": "资金往来 payment party", "contact_phone": "紧急联系人 contact phone",
    "employer": "任职单位 employer", "email": "同一邮箱 same e-mail",
    "company_agent": "同一代办 same registration agent", "company_address": "注册地址 company address",
    "home_address": "同一住址 same home", "officer": "同一客户经理 same officer", "ip": "同一IP same IP",
    "paid": "转账 paid", "repaid": "还款 repaid", "holds_role": "任职 role in",
}

_PUBLIC_TABLE_KEYS = {"complaints", "loans", "companies"}


def masking_statement(reveal: bool, lang: str | None = None) -> str:
    """The sentence every output carries about masking (both languages, or one with ``lang``).

    Examples
    --------
    >>> masking_statement(False)
    '标识已脱敏 Identifiers masked (PIPL); full values only with --reveal'
    >>> masking_statement(False, "zh")
    '标识已脱敏（个人信息保护法）；仅在使用 --reveal 时显示完整标识'
    """
    if lang == "zh":
        return ("已显示完整标识（--reveal）：含敏感个人信息，请依个人信息保护法处理" if reveal
                else "标识已脱敏（个人信息保护法）；仅在使用 --reveal 时显示完整标识")
    if lang == "en":
        return ("IDENTIFIERS REVEALED (--reveal): sensitive personal information, handle under PIPL" if reveal
                else "Identifiers masked (PIPL); full values only with --reveal")
    if reveal:
        return "已显示完整标识 IDENTIFIERS REVEALED (--reveal): sensitive personal information, handle under PIPL"
    return "标识已脱敏 Identifiers masked (PIPL); full values only with --reveal"


#: Masking is :mod:`graphring.present.privacy`'s; these names stay for the modules that import them from here.
mask_free = mask_text


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if v is pd.NaT:
        return None
    s = str(v)
    return None if s in ("", "nan", "NaT", "None", "<NA>") else s


@dataclass
class RingData:
    """Everything the pack renders for one ring (see the module docstring)."""

    run_dir: Path
    ring: dict
    params: dict
    run_manifest: dict
    reveal: bool
    nodes: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame
    node_props: pd.DataFrame
    edges: pd.DataFrame
    run_date: str
    sources: dict = field(default_factory=dict)
    lang: str = "zh"
    masker: Masker | None = None

    @property
    def ring_id(self) -> str:
        return self.ring["ring_id"]

    def borrower_nodes(self) -> pd.DataFrame:
        """Rows of ``nodes`` that are borrowers."""
        return self.nodes[self.nodes["kind"] == "borrower"]

    def label_of(self, node: str) -> str:
        """Display label of a node id (masked unless ``reveal``); unknown nodes are masked by kind."""
        lab = self._labels.get(node)
        return lab if lab is not None else mask_node(node, self.reveal)

    def ref_of(self, node: str) -> str | None:
        """Pack-local reference of a node id, or ``None`` for a node outside the ring."""
        return self._refs.get(node)

    def holders(self) -> dict[str, set[str]]:
        """``account:X`` → borrower nodes holding it (``HOLDS_ACCOUNT`` edges of the run state)."""
        if self._holders is None:
            e = self.edges
            h: dict[str, set[str]] = {}
            if len(e):
                ha = e[e["type"] == "HOLDS_ACCOUNT"]
                for b, a in ha[["src", "dst"]].itertuples(index=False, name=None):
                    h.setdefault(a, set()).add(b)
            self._holders = h
        return self._holders

    def is_own(self, payer: str, borrower: str) -> bool:
        """True when ``payer`` is ``borrower`` or an account ``borrower`` holds."""
        return payer == borrower or borrower in self.holders().get(payer, ())

    def __post_init__(self):
        self._holders = None
        if self.masker is None:
            self.masker = Masker.for_state(self.node_props, self.edges, self.reveal)
        self._labels = dict(zip(self.nodes["node"], self.nodes["label"]))
        self._refs = dict(zip(self.nodes["node"], self.nodes["ref"]))


def _source_files(manifest: dict) -> dict[str, dict]:
    """``table -> {file, sha256}`` from the inputs listed in the run manifest."""
    out: dict[str, dict] = {}
    inputs = manifest.get("inputs_sha256") or {}
    for name, sha in sorted(inputs.items()):
        stem = Path(name).stem.lower()
        out.setdefault(stem, {"file": name, "sha256": sha})
    for name, sha in sorted(inputs.items()):
        if Path(name).stem.lower() == "data" and Path(name).suffix.lower() in (".xlsx", ".xls"):
            out["__workbook__"] = {"file": name, "sha256": sha}
    return out


def source_of(sources: dict, table) -> tuple[str, str]:
    """Input file and its SHA-256 for a table (``data.xlsx#table`` for a one-workbook folder)."""
    if table is None:
        return "", ""
    s = sources.get(str(table).lower())
    if s:
        return s["file"], s["sha256"]
    wb = sources.get("__workbook__")
    if wb:
        return f"{wb['file']}#{table}", wb["sha256"]
    return "", ""


def _run_date(d: Path, manifest: dict) -> str:
    for k in ("created_at", "run_at", "started_at", "finished_at"):
        if manifest.get(k):
            return str(manifest[k])[:10]
    ts = (d / "rings.json").stat().st_mtime
    return _dt.datetime.fromtimestamp(ts, tz=_dt.timezone.utc).strftime("%Y-%m-%d")


def _node_label(kind: str, key: str, props: dict, reveal: bool) -> str:
    base = mask_entity(kind, key, reveal) if kind != "template" else key
    if kind == "borrower":
        name = _clean(props.get("name"))
        if name:
            base += " " + mask_prop("name", name, reveal)
    return base


def load_ring(run, ring_id: str, reveal: bool = False, lang: str = "zh") -> RingData:
    """Load one ring of a run directory for rendering.

    Parameters
    ----------
    run : path or Run
        A run directory written by ``graphring rings`` or the :class:`graphring.run.Run`
        :func:`graphring.run.read_run` returned for it.
    ring_id : str
        E.g. ``"R0001"``.
    reveal : bool
        Show identifiers in full (default: masked).
    lang : {"zh", "en"}
        Language of the pack's words (Simplified Chinese by default).

    Raises
    ------
    RunError
        The directory is not a run, its state is missing, or the ring is unknown.
    """
    r = read_run(run)
    d = r.dir
    rings = r.ring_list
    ring = next((x for x in rings if x.get("ring_id") == ring_id), None)
    if ring is None:
        ids = ", ".join(x.get("ring_id", "?") for x in rings[:10]) or "none"
        more = " ..." if len(rings) > 10 else ""
        raise RunError(f"ring {ring_id} is not in run {d}: rings are {ids}{more}")
    props = r.read_state(SUBGRAPH_NODES)
    edges = r.read_state(SUBGRAPH_EDGES)
    inc = r.read_state(INCIDENCE)
    manifest = r.manifest
    sources = _source_files(manifest)

    members = pd.DataFrame(ring.get("members", []), columns=["kind", "id", "role"]).astype(str)
    members["node"] = members["kind"] + ":" + members["id"]
    borrowers = set(members.loc[members["kind"] == "borrower", "id"])
    member_nodes = set(members["node"])

    # projection ties of ring borrowers to member entities and to shared templates
    inc = inc[inc["borrower"].astype(str).isin(borrowers)].copy()
    inc["ident"] = inc["ident"].astype(str)
    tmpl = inc[inc["link"] == "template"]
    tcount = tmpl.groupby("ident")["borrower"].nunique()
    templates = sorted(tcount[tcount >= 2].index)
    tie = inc[inc["ident"].isin(member_nodes) | inc["ident"].isin(templates)]
    tie = tie.drop_duplicates(["borrower", "ident", "link", "table", "row"])

    nodes = members[["node", "kind", "id", "role"]].rename(columns={"id": "key"})
    if templates:
        t = pd.DataFrame({"node": templates, "kind": "template",
                          "key": [x.partition(":")[2] for x in templates], "role": "shared_template"})
        nodes = pd.concat([nodes, t], ignore_index=True)
    nodes = nodes.reset_index(drop=True)
    nodes.insert(0, "ref", [f"{ring_id}-N{i + 1:03d}" for i in range(len(nodes))])
    pmap = {}
    if len(props):
        p = props.drop_duplicates("node").set_index("node")
        pmap = {n: {k: v for k, v in p.loc[n].items()} for n in nodes["node"] if n in p.index}
    nodes["label"] = [_node_label(k, key, pmap.get(n, {}), reveal)
                      for n, k, key in nodes[["node", "kind", "key"]].itertuples(index=False, name=None)]
    nodes["kind_label"] = nodes["kind"].map(KIND_LABELS).fillna(nodes["kind"])
    nodes["city"] = [_clean(pmap.get(n, {}).get("city")) or "" for n in nodes["node"]]

    links = pd.DataFrame({"src": "borrower:" + tie["borrower"].astype(str), "dst": tie["ident"].to_numpy(),
                          "link": tie["link"].astype(str).to_numpy(), "table": tie["table"].astype(str).to_numpy(),
                          "row": tie["row"].to_numpy()})
    # input relationships between two ring members (payments between borrowers or companies, roles ...)
    if len(edges):
        e = edges[edges["src"].isin(member_nodes) & edges["dst"].isin(member_nodes)]
        e = e[~(e["src"].str.startswith("borrower:") ^ e["dst"].str.startswith("borrower:"))
              | e["type"].isin(["PAID", "REPAID"])]
        if len(e):
            extra = pd.DataFrame({"src": e["src"].to_numpy(), "dst": e["dst"].to_numpy(),
                                  "link": e["type"].str.lower().to_numpy(), "table": e["_table"].astype(str).to_numpy(),
                                  "row": e["_row"].to_numpy()})
            links = pd.concat([links, extra], ignore_index=True)
    links = links.drop_duplicates(["src", "dst", "link", "table", "row"])
    links["row"] = pd.to_numeric(links["row"], errors="coerce").astype("Int64")
    links = links.sort_values(["src", "dst", "link", "table", "row"], kind="stable").reset_index(drop=True)

    links["link_label"] = links["link"].map(LINK_LABELS).fillna(links["link"])
    links["meaning"] = links["link"].map({k: getattr(v, "reason", "") for k, v in LINKS.items()}).fillna(
        links["link"].str.upper().map(RELATION_LABELS)).fillna("")
    sf = [source_of(sources, t) for t in links["table"]]
    links["source_file"] = [a for a, _ in sf]
    links["source_sha256"] = [b for _, b in sf]

    ev_rows = []
    for s in ring.get("signals", []):
        for e in s.get("evidence", []) or []:
            ev_rows.append({"signal": s.get("name"), "weight": s.get("weight"), "strength": s.get("strength"),
                            "contribution": s.get("contribution"), "reason": s.get("reason", ""),
                            "borrower": _clean(e.get("borrower")), "entity": _clean(e.get("entity")),
                            "table": _clean(e.get("table")), "row": e.get("row"), "key": _clean(e.get("key")),
                            "detail": _clean(e.get("detail")) or ""})
    evidence = pd.DataFrame(ev_rows, columns=["signal", "weight", "strength", "contribution", "reason", "borrower",
                                              "entity", "table", "row", "key", "detail"])
    evidence["row"] = pd.to_numeric(evidence["row"], errors="coerce").astype("Int64")
    sf = [source_of(sources, t) for t in evidence["table"]]
    evidence["source_file"] = [a for a, _ in sf]
    evidence["source_sha256"] = [b for _, b in sf]

    rd = RingData(run_dir=d, ring=ring, params=r.rings.get("run", {}), run_manifest=manifest, reveal=reveal,
                  nodes=nodes, links=links, evidence=evidence, node_props=props, edges=edges,
                  run_date=_run_date(d, manifest), sources=sources, lang=check_lang(lang))
    return rd


def display_evidence(rd: RingData) -> pd.DataFrame:
    """The evidence rows as shown in the pack: borrower, entity and key masked unless ``reveal``.

    Examples
    --------
    >>> import tempfile
    >>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
    >>> rd = load_ring(demo_run(tempfile.mkdtemp()), "R0001")
    >>> display_evidence(rd).columns.tolist()[:4]
    ['signal', 'borrower_ref', 'borrower', 'entity_ref']
    """
    ev = rd.evidence
    rv = rd.reveal
    b = ("borrower:" + ev["borrower"].astype(str)).where(ev["borrower"].notna(), None)
    out = pd.DataFrame({
        "signal": ev["signal"], "borrower_ref": [rd.ref_of(x) or "" if x else "" for x in b],
        "borrower": [rd.label_of(x) if x else "" for x in b],
        "entity_ref": [rd.ref_of(x) or "" if x else "" for x in ev["entity"]],
        "entity": [mask_node(x, rv) if x else "" for x in ev["entity"]],
        "table": ev["table"].fillna(""), "row": ev["row"],
        "key": [mask_key(t, k, rv) or "" for t, k in zip(ev["table"], ev["key"])],
        "detail": [rd.masker.text(x) for x in ev["detail"]],
        "weight": ev["weight"], "strength": ev["strength"],
        "source_file": ev["source_file"], "source_sha256": ev["source_sha256"],
    })
    return out


def display_links(rd: RingData) -> pd.DataFrame:
    """The links as shown in the pack: both ends by reference and masked label."""
    lk = rd.links
    return pd.DataFrame({
        "from_ref": [rd.ref_of(x) or "" for x in lk["src"]], "from": [rd.label_of(x) for x in lk["src"]],
        "to_ref": [rd.ref_of(x) or "" for x in lk["dst"]], "to": [rd.label_of(x) for x in lk["dst"]],
        "link": lk["link"], "link_label": lk["link_label"], "meaning": lk["meaning"],
        "table": lk["table"], "row": lk["row"], "source_file": lk["source_file"],
        "source_sha256": lk["source_sha256"],
    })


def json_default(o):
    """``json.dumps`` default for numpy and pandas scalars."""
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if o is pd.NA or o is pd.NaT:
        return None
    return str(o)


def dumps(obj) -> str:
    """Stable, readable JSON (sorted keys, UTF-8 kept)."""
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True, default=json_default) + "\n"
