"""Load a run directory for reporting: rings plus the state subgraph, and the ring events.

:class:`ReportRun` is a view of the :class:`graphring.run.Run` that
:func:`graphring.run.read_run` returns, with the ring subgraph of its state
(nodes, edges, incidence) loaded and indexed for rendering. It is what
:func:`graphring.present.report.render_index` and :func:`graphring.present.report.render_ring`
accept (they also take a run directory or a ``Run``).

:func:`events_frame` turns nodes and edges into dated events (complaints,
phone binds and unbinds, loans, payments, first overdue), each anchored on a
borrower; the index uses it for first and last activity, the ring page for its
timeline.

Examples
--------
>>> import pandas as pd
>>> nodes = pd.DataFrame({"node": ["borrower:B1", "complaint:C1"], "kind": ["borrower", "complaint"],
...                       "key": ["B1", "C1"], "received_at": [None, "2025-03-14 09:30:00"]})
>>> edges = pd.DataFrame({"type": ["ABOUT"], "src": ["complaint:C1"], "dst": ["borrower:B1"],
...                       "_table": ["complaints"], "_row": [2]})
>>> ev = events_frame(nodes, edges)
>>> ev[["date", "category", "borrower"]].values.tolist()
[['2025-03-14', 'complaint', 'borrower:B1']]
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from graphring.errors import RunError
from graphring.present.i18n import msg
from graphring.present.privacy import Masker
from graphring.present.report.families import family_of, links_by_ring, ring_families
from graphring.run import INCIDENCE, STATE_DIR, SUBGRAPH_EDGES, SUBGRAPH_NODES, read_run

__all__ = ["ReportRun", "events_frame", "to_dates", "to_amounts", "EVENT_CATEGORIES"]

#: Event categories on the timeline, in legend order, with their colours.
EVENT_CATEGORIES = {"complaint": "#d62728", "phone": "#ff7f0e", "loan": "#17becf", "payment": "#2ca02c",
                    "overdue": "#7f7f7f"}


def to_dates(values) -> pd.Series:
    """Parse a column of dates/datetimes given as text or timestamps (bad values become NaT).

    Examples
    --------
    >>> to_dates(pd.Series(["2025-03-14", "2025/3/4 10:00", "x", None])).dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-14', '2025-03-04', nan, nan]
    """
    s = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s
    else:
        out = pd.to_datetime(s.astype(object).where(s.notna(), None), errors="coerce", format="mixed")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out


def to_amounts(values) -> pd.Series:
    """Parse amounts given as text (``1,234.50``, ``¥800``) or numbers; bad values become NaN.

    Examples
    --------
    >>> to_amounts(pd.Series(["1,234.5", "¥800", None, "x"])).tolist()
    [1234.5, 800.0, nan, nan]
    """
    s = pd.Series(values).astype(object)
    s = s.where(s.notna(), None).map(lambda v: str(v).replace(",", "").replace("¥", "").strip()
                                     if v is not None else None)
    return pd.to_numeric(s, errors="coerce")


def _t(v):
    """Text of a value, or None when missing.

    Examples
    --------
    >>> _t(float("nan")), _t(None), _t(" "), _t("x")
    (None, None, None, 'x')
    """
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    s = str(v).strip()
    return s if s and s not in ("nan", "NaT", "None", "<NA>") else None


def _texts(s: pd.Series) -> list:
    """Text or None for each value (a list: ``Series.map`` would turn None back into NaN)."""
    return [_t(v) for v in s]


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)


def events_frame(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Dated events of a subgraph, each anchored on a borrower.

    Parameters
    ----------
    nodes : DataFrame
        ``node``, ``kind``, ``key`` and properties (``received_at``, ``applied_at``,
        ``first_overdue_on``, ``channel``, ``demand``, ``product``, ``amount``...).
    edges : DataFrame
        ``type``, ``src``, ``dst`` and properties (``event``, ``at``, ``city``,
        ``paid_at``, ``amount``, ``purpose``).
    lang : {"zh", "en"}
        Language of ``what``.

    Returns
    -------
    DataFrame
        ``date`` (``YYYY-MM-DD``), ``at`` (timestamp), ``category`` (a key of
        :data:`EVENT_CATEGORIES`), ``what`` (short plain text), ``borrower``
        (anchor node id), ``nodes`` (tuple of node ids involved), ``amount``,
        ``detail`` (dict of raw fields, unmasked).
    """
    cols = ["date", "at", "category", "what", "borrower", "nodes", "amount", "detail"]
    parts: list[pd.DataFrame] = []
    etype = _col(edges, "type")

    def add(at, category, what, borrower, nodes_, amount, detail):
        at = to_dates(at)
        df = pd.DataFrame({"at": at.to_numpy(), "category": category, "what": list(what), "borrower": list(borrower),
                           "nodes": list(nodes_), "amount": list(amount), "detail": list(detail)})
        parts.append(df[df["at"].notna() & df["borrower"].notna()])

    about = edges[etype.eq("ABOUT")]
    comp_b = dict(zip(about["src"], about["dst"]))
    has_loan = edges[etype.eq("HAS_LOAN")]
    loan_b = dict(zip(has_loan["dst"], has_loan["src"]))
    kind = _col(nodes, "kind")

    c = nodes[kind.eq("complaint")]
    if len(c):
        ch, dm, rs = _col(c, "channel"), _col(c, "demand"), _col(c, "claimed_reason")
        what = [msg("ev_complaint", lang) + (msg("ev_via", lang, x=a) if a else "")
                + (msg("ev_demand", lang, x=b) if b else "") + (msg("ev_reason", lang, x=r) if r else "")
                for a, b, r in zip(_texts(ch), _texts(dm), _texts(rs))]
        bs = [comp_b.get(n) for n in c["node"]]
        add(_col(c, "received_at"), "complaint", what, bs, [(n, b) for n, b in zip(c["node"], bs)],
            [None] * len(c), [{"complaint": n} for n in c["node"]])
    ln = nodes[kind.eq("loan")]
    if len(ln):
        am = to_amounts(_col(ln, "amount"))
        what = [msg("ev_loan", lang) + (": " + p if p else "") for p in _texts(_col(ln, "product"))]
        bs = [loan_b.get(n) for n in ln["node"]]
        add(_col(ln, "applied_at"), "loan", what, bs, [(n, b) for n, b in zip(ln["node"], bs)], am.tolist(),
            [{"loan": n} for n in ln["node"]])
    b = nodes[kind.eq("borrower")]
    if len(b) and "first_overdue_on" in b.columns:
        add(b["first_overdue_on"], "overdue", [msg("ev_overdue", lang)] * len(b), b["node"].tolist(),
            [(n,) for n in b["node"]], [None] * len(b), [{}] * len(b))
    pe = edges[etype.eq("PHONE_EVENT")]
    if len(pe):
        ev, city = _texts(_col(pe, "event")), _texts(_col(pe, "city"))
        words = {"bind": msg("ev_phone_bound", lang), "unbind": msg("ev_phone_unbound", lang),
                 "location": msg("ev_phone_seen", lang)}
        what = [words.get(str(e), msg("ev_phone_other", lang, e=e)) + (msg("ev_in", lang, city=ct) if ct else "")
                for e, ct in zip(ev, city)]
        add(_col(pe, "at"), "phone", what, pe["src"].tolist(), list(zip(pe["src"], pe["dst"])), [None] * len(pe),
            [{"event": e} for e in ev])
    for t in ("PAID", "REPAID"):
        p = edges[etype.eq(t)]
        if not len(p):
            continue
        am = to_amounts(_col(p, "amount"))
        if t == "PAID":
            what = [msg("ev_paid", lang) + (" " + x if x else "") for x in _texts(_col(p, "purpose"))]
            anchor = [s if str(s).startswith("borrower:") else (d if str(d).startswith("borrower:") else None)
                      for s, d in zip(p["src"], p["dst"])]
        else:
            what = [msg("ev_repaid", lang)] * len(p)
            anchor = [loan_b.get(d) or (s if str(s).startswith("borrower:") else None)
                      for s, d in zip(p["src"], p["dst"])]
        add(_col(p, "paid_at"), "payment", what, anchor, list(zip(p["src"], p["dst"])), am.tolist(),
            [{"type": t}] * len(p))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if out is None:
        return pd.DataFrame(columns=cols)
    out["date"] = out["at"].dt.strftime("%Y-%m-%d")
    return out.sort_values(["at", "category", "what"], kind="stable").reset_index(drop=True)[cols]


class ReportRun:
    """A run directory loaded for reporting.

    Attributes
    ----------
    dir : Path or None
    rings : list of dict
        The rings of ``rings.json`` in rank order.
    params : dict
        The run parameters (``rings.json`` ``run``).
    manifest : dict
    nodes : DataFrame
        ``state/subgraph_nodes.parquet`` (``node``, ``kind``, ``key``, properties as text).
    edges : DataFrame
        ``state/subgraph_edges.parquet`` (``type``, ``src``, ``dst``, ``_table``, ``_row``, properties).
    incidence : DataFrame
        ``state/incidence.parquet`` (``borrower``, ``ident``, ``link``, ``table``, ``row``...), may be empty.
    ring_links : list or None
        ``rings.json`` ``ring_links``; :meth:`families` groups them.
    """

    def __init__(self, rings: dict, manifest: dict, nodes: pd.DataFrame, edges: pd.DataFrame,
                 incidence: pd.DataFrame | None = None, directory: Path | None = None):
        self.dir = directory
        self.params = dict(rings.get("run", {}))
        self.rings = list(rings.get("rings", []))
        self.manifest = manifest or {}
        # plain object columns: row takes and to_numpy on Arrow-backed strings are slow per ring
        self.nodes = nodes.astype(object).reset_index(drop=True)
        self.edges = edges.astype(object).reset_index(drop=True)
        self.incidence = incidence if incidence is not None else pd.DataFrame(
            columns=["borrower", "ident", "link", "table", "row"])
        self._by_id = {r["ring_id"]: r for r in self.rings}
        self._node_index: pd.DataFrame | None = None
        self._edge_pos: dict | None = None
        self._inc_pos: dict | None = None
        self._tpl_pos = None
        self._node_pos: dict | None = None
        #: ``ring_history.json`` of the run (``graphring rings --previous``), or None.
        self.history: dict | None = None
        #: Suppressed hubs of ``rings.json`` (``suppressed_hubs``), or None for a run written before they were.
        self.hubs: list | None = rings.get("suppressed_hubs")
        #: Links between rings one level up (``rings.json`` ``ring_links``), or None for a run written before them.
        self.ring_links: list | None = rings.get("ring_links")
        self._families: dict | None = None
        self._maskers: dict = {}

    def families(self) -> dict:
        """Families of linked rings (:func:`~graphring.present.report.families.ring_families`; rings in rank order; built once)."""
        if self._families is None:
            self._families = ring_families(self.ring_links, [r["ring_id"] for r in self.rings])
            self._family_of = family_of(self._families)
            self._links_by_ring = links_by_ring(self._families)
        return self._families

    def ring_family(self, ring_id: str) -> tuple[str | None, list]:
        """A ring's family id (None when it is in none) and its links (see ``families.links_by_ring``)."""
        self.families()
        rid = str(ring_id)
        return self._family_of.get(rid), self._links_by_ring.get(rid, [])

    def masker(self, reveal: bool = False):
        """The run's :class:`graphring.present.privacy.Masker` (knows every personal name of the saved subgraph)."""
        if reveal not in self._maskers:
            self._maskers[reveal] = Masker.for_state(self.nodes, self.edges, reveal)
        return self._maskers[reveal]

    @classmethod
    def load(cls, run) -> "ReportRun":
        """A :class:`ReportRun` from a run directory, a :class:`graphring.run.Run`, or a ReportRun.

        Raises
        ------
        RunError
            If the directory is not a complete run (``state/`` missing included).
        """
        if isinstance(run, ReportRun):
            return run
        info = read_run(run)
        d = info.dir
        nodes = info.read_state(SUBGRAPH_NODES)
        edges = info.read_state(SUBGRAPH_EDGES)
        inc = info.read_state(INCIDENCE, required=False)
        for c in ("node", "kind", "key"):
            if c not in nodes.columns:
                raise RunError(f"{d}: {STATE_DIR}/{SUBGRAPH_NODES} has no column {c!r}")
        for c in ("type", "src", "dst"):
            if c not in edges.columns:
                raise RunError(f"{d}: {STATE_DIR}/{SUBGRAPH_EDGES} has no column {c!r}")
        edges = edges.astype({"src": str, "dst": str, "type": str})
        nodes = nodes.drop_duplicates("node").reset_index(drop=True)
        rr = cls(info.rings, info.manifest, nodes, edges, inc, d)
        hp = d / "ring_history.json"
        if hp.is_file():
            try:
                rr.history = json.loads(hp.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise RunError(f"{hp}: cannot read: {exc}") from None
        return rr

    def ring(self, ring_id: str) -> dict:
        """The ring dict of ``rings.json`` with this id.

        Raises
        ------
        RunError
            If the run has no such ring.
        """
        try:
            return self._by_id[ring_id]
        except KeyError:
            raise RunError(f"no ring {ring_id!r} in this run (it has {len(self.rings)} rings)") from None

    @property
    def node_table(self) -> pd.DataFrame:
        """Nodes indexed by node id."""
        if self._node_index is None:
            self._node_index = self.nodes.set_index("node", drop=False)
        return self._node_index

    @property
    def node_set(self) -> set:
        """Ids of the nodes with properties in the state (built once)."""
        if getattr(self, "_node_set", None) is None:
            self._node_set = set(self.nodes["node"])
        return self._node_set

    def node_positions(self) -> dict:
        """Node id -> row position in :attr:`nodes` (built once)."""
        if self._node_pos is None:
            self._node_pos = {n: i for i, n in enumerate(self.nodes["node"])}
        return self._node_pos

    def template_positions(self):
        """Row positions in :attr:`incidence` of complaint-template ties (built once)."""
        if self._tpl_pos is None:
            inc = self.incidence
            if len(inc) and "link" in inc.columns:
                self._tpl_pos = np.flatnonzero((inc["link"] == "template").to_numpy())
            else:
                self._tpl_pos = np.zeros(0, dtype=np.int64)
        return self._tpl_pos

    def edge_positions(self) -> dict:
        """Node id -> array of row positions in :attr:`edges` of the edges touching it (built once)."""
        if self._edge_pos is None:
            e = self.edges
            n = len(e)
            ends = np.concatenate([e["src"].to_numpy(dtype=object), e["dst"].to_numpy(dtype=object)])
            codes, uniq = pd.factorize(ends)
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(len(uniq) + 1))
            rows = order % n if n else order
            self._edge_pos = {k: rows[bounds[i]:bounds[i + 1]] for i, k in enumerate(uniq)}
        return self._edge_pos

    def incidence_positions(self) -> dict:
        """Identifier (``kind:key``) -> array of row positions in :attr:`incidence` (built once)."""
        if self._inc_pos is None:
            inc = self.incidence
            if len(inc) and "ident" in inc.columns:
                codes, uniq = pd.factorize(inc["ident"].astype(str).to_numpy(dtype=object))
                order = np.argsort(codes, kind="stable")
                bounds = np.searchsorted(codes[order], np.arange(len(uniq) + 1))
                self._inc_pos = {k: order[bounds[i]:bounds[i + 1]] for i, k in enumerate(uniq)}
            else:
                self._inc_pos = {}
        return self._inc_pos

    def ring_borrowers(self) -> pd.Series:
        """Borrower node id -> ring id, over all rings."""
        pairs = [("borrower:" + str(m["id"]), r["ring_id"]) for r in self.rings for m in r.get("members", [])
                 if m.get("kind") == "borrower"]
        s = pd.Series(dict(pairs), dtype=object)
        return s

    def summaries(self) -> pd.DataFrame:
        """Per ring: total outstanding, loan count and amount, first and last activity, events.

        Computed for all rings at once with vectorised operations.
        """
        ring_of = self.ring_borrowers()
        ids = [r["ring_id"] for r in self.rings]
        out = pd.DataFrame(index=pd.Index(ids, name="ring_id"))
        n = self.nodes
        b = n[n["kind"].eq("borrower") & n["node"].isin(ring_of.index)]
        if len(b) and "outstanding" in b.columns:
            out["outstanding"] = to_amounts(b["outstanding"]).groupby(b["node"].map(ring_of).to_numpy()).sum()
        e = self.edges
        hl = e[e["type"].eq("HAS_LOAN") & e["src"].isin(ring_of.index)]
        if len(hl):
            loans = n[n["kind"].eq("loan")].set_index("node")
            amt = to_amounts(_col(loans, "amount")) if len(loans) else pd.Series(dtype=float)
            la = hl.assign(ring=hl["src"].map(ring_of), amount=hl["dst"].map(amt)).drop_duplicates("dst")
            out["loans"] = la.groupby("ring")["dst"].nunique()
            out["loan_amount"] = la.groupby("ring")["amount"].sum(min_count=1)
        ev = events_frame(n, e)
        if len(ev):
            ev = ev.assign(ring=ev["borrower"].map(ring_of)).dropna(subset=["ring"])
            g = ev.groupby("ring")["at"]
            out["first_activity"] = g.min().dt.strftime("%Y-%m-%d")
            out["last_activity"] = g.max().dt.strftime("%Y-%m-%d")
            out["events"] = g.size()
        for c, v in (("outstanding", 0.0), ("loans", 0), ("loan_amount", 0.0), ("events", 0)):
            out[c] = out[c].fillna(v) if c in out.columns else v
        for c in ("first_activity", "last_activity"):
            if c not in out.columns:
                out[c] = None
        out["loans"] = out["loans"].astype(int)
        out["events"] = out["events"].astype(int)
        return out
