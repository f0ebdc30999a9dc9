"""The one backend contract every store implements.

A store holds a property graph built from :class:`graphring.graph.model.GraphFrames`.
Detection and scoring talk only to this interface, never to a backend by name.
The public methods are final: they wrap the one primitive each backend supplies
(``_load``, ``_fetch_frames``, ``_subgraph``, ``_communities``, ``_write_rings``)
with argument checks and error context.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # networkx costs ~0.1 s to import; `rings` never needs it
    import networkx as nx

from graphring.errors import BackendError, GraphringError
from graphring.graph.model import GraphFrames

__all__ = ["GraphStore", "LoadResult"]


@dataclass
class LoadResult:
    """What a load wrote: rows sent per table and node/relationship counts after."""

    rows: int = 0
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


class GraphStore(ABC):
    """Abstract store. Subclasses implement the underscored primitives."""

    name = "abstract"

    def load(self, frames: GraphFrames, progress: Callable[[int], None] | None = None) -> LoadResult:
        """Load (merge) a graph into the store; loading the same frames twice changes nothing."""
        try:
            return self._load(frames, progress)
        except GraphringError:
            raise
        except Exception as exc:  # driver errors get context
            raise BackendError(f"{self.name}: load failed: {type(exc).__name__}: {exc}") from exc

    def fetch_frames(self) -> GraphFrames:
        """Return the stored graph as GraphFrames (what projection and signals read)."""
        return self._fetch_frames()

    def subgraph(self, node_ids: list[str], hops: int = 1) -> nx.MultiDiGraph:
        """The neighbourhood of ``node_ids`` (``kind:key`` ids) up to ``hops`` away."""
        if hops < 0:
            raise ValueError("hops must be >= 0")
        return self._subgraph(list(node_ids), hops)

    def communities(self, edges, algorithm: str, seed: int, **params):
        """Run community detection in the backend when it can; ``None`` means "do it client-side".

        ``edges`` is the projection's edge table, or a function returning it: a backend reads it only
        when it runs detection itself (the memory store never does, so a view's edges are never cut).
        """
        return self._communities(edges, algorithm, seed, **params)

    def write_rings(self, rings, run_id: str) -> None:
        """Persist found rings where the backend can (Neo4j writes ``:Ring`` nodes)."""
        self._write_rings(rings, run_id)

    def counts(self) -> dict:
        """Node counts per label and relationship counts per type."""
        return self._counts()

    def close(self) -> None:
        """Release what the store opened (never what it was given)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @abstractmethod
    def _load(self, frames: GraphFrames, progress) -> LoadResult: ...

    @abstractmethod
    def _fetch_frames(self) -> GraphFrames: ...

    @abstractmethod
    def _subgraph(self, node_ids: list[str], hops: int) -> nx.MultiDiGraph: ...

    @abstractmethod
    def _counts(self) -> dict: ...

    def _communities(self, edges, algorithm: str, seed: int, **params):
        return None

    def _write_rings(self, rings, run_id: str) -> None:
        return None
