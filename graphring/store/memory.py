"""The in-memory store: GraphFrames held as they are, networkx views on demand.

Holding the columnar frames (not a networkx graph of every row) keeps a million
borrowers within memory; a networkx :class:`~networkx.MultiDiGraph` is built for
the parts a caller asks for (a ring's neighbourhood) or for the whole graph on
small data.

Examples
--------
>>> import pandas as pd
>>> from graphring.graph.model import build_frames
>>> from graphring.store.memory import MemoryStore
>>> t = {"borrowers": pd.DataFrame({"borrower_id": ["B1", "B2"],
...                                  "phone": ["+8613800000001", "+8613800000001"], "_row": [2, 3]})}
>>> s = MemoryStore()
>>> _ = s.load(build_frames(t))
>>> sorted(s.subgraph(["borrower:B1"], hops=2).nodes)
['borrower:B1', 'borrower:B2', 'phone:+8613800000001']
"""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pandas as pd

from graphring.graph.model import GraphFrames
from graphring.store.base import GraphStore, LoadResult

__all__ = ["MemoryStore", "frames_to_networkx"]


def _merge_frames(a: GraphFrames, b: GraphFrames) -> GraphFrames:
    out = GraphFrames(dict(a.nodes), dict(a.edges), dict(a.tables))
    for k, df in b.nodes.items():
        out.nodes[k] = (pd.concat([out.nodes[k], df], ignore_index=True).drop_duplicates("key", keep="last")
                        if k in out.nodes else df)
    for k, df in b.edges.items():
        if k in out.edges:
            cols = ["src", "dst", "_table", "_row"]
            out.edges[k] = pd.concat([out.edges[k], df], ignore_index=True).drop_duplicates(cols, keep="last")
        else:
            out.edges[k] = df
    for k, df in b.tables.items():
        out.tables[k] = (pd.concat([out.tables[k], df], ignore_index=True).drop_duplicates(ignore_index=True)
                         if k in out.tables else df)
    return out


def frames_to_networkx(g: GraphFrames, node_filter: set[str] | None = None) -> nx.MultiDiGraph:
    """Build a networkx MultiDiGraph (``kind:key`` node ids) from frames.

    Parameters
    ----------
    g : GraphFrames
    node_filter : set of str, optional
        Keep only edges whose both ends are in this set of node ids.
    """
    G = nx.MultiDiGraph()
    for (t, sk, dk), df in g.edges.items():
        if not len(df):
            continue
        src = sk + ":" + df["src"].astype(str)
        dst = dk + ":" + df["dst"].astype(str)
        keep = np.ones(len(df), bool)
        if node_filter is not None:
            keep = src.isin(node_filter).to_numpy() & dst.isin(node_filter).to_numpy()
        props = df.drop(columns=["src", "dst"])[keep]
        recs = props.astype(object).where(props.notna(), None).to_dict("records")
        for s, d, r in zip(src[keep], dst[keep], recs):
            G.add_edge(s, d, type=t, **r)
    for kind, df in g.nodes.items():
        ids = kind + ":" + df["key"].astype(str)
        keep = ids.isin(node_filter) if node_filter is not None else pd.Series(True, index=df.index)
        if not keep.any():
            continue
        props = df[keep.to_numpy()]
        recs = props.astype(object).where(props.notna(), None).to_dict("records")
        for nid, r in zip(ids[keep], recs):
            G.add_node(nid, kind=kind, **r)
    return G


class MemoryStore(GraphStore):
    """Default backend: everything in this process, no server."""

    name = "memory"

    def __init__(self) -> None:
        self._g = GraphFrames()

    def _load(self, frames: GraphFrames, progress) -> LoadResult:
        t0 = time.perf_counter()
        self._g = _merge_frames(self._g, frames) if self._g.nodes else frames
        rows = sum(len(d) for d in frames.nodes.values()) + sum(len(d) for d in frames.edges.values())
        if progress:
            progress(rows)
        return LoadResult(rows, time.perf_counter() - t0, self._g.counts())

    def _fetch_frames(self) -> GraphFrames:
        return self._g

    def _counts(self) -> dict:
        return self._g.counts()

    def _subgraph(self, node_ids: list[str], hops: int) -> nx.MultiDiGraph:
        frontier = set(node_ids)
        seen = set(frontier)
        for _ in range(hops):
            nxt: set[str] = set()
            for (t, sk, dk), df in self._g.edges.items():
                src = sk + ":" + df["src"].astype(str)
                dst = dk + ":" + df["dst"].astype(str)
                m1 = src.isin(frontier).to_numpy()
                m2 = dst.isin(frontier).to_numpy()
                nxt.update(dst[m1].tolist())
                nxt.update(src[m2].tolist())
            frontier = nxt - seen
            seen |= nxt
            if not frontier:
                break
        return frames_to_networkx(self._g, seen)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph as networkx (fine for samples; heavy past ~10^6 edges)."""
        return frames_to_networkx(self._g)
