"""Storage backends behind one contract: :class:`graphring.store.base.GraphStore`.

The in-memory store (:class:`MemoryStore`) is the default and needs no server;
the Neo4j store lives in :mod:`graphring.store.neo4j` and is imported lazily.
"""

from graphring.store.base import GraphStore, LoadResult
from graphring.store.memory import MemoryStore

__all__ = ["GraphStore", "LoadResult", "MemoryStore", "open_store"]


def open_store(uri: str | None = None, **kwargs) -> GraphStore:
    """Open a store: memory when ``uri`` is None, Neo4j for ``bolt://`` / ``neo4j://`` URIs.

    Examples
    --------
    >>> type(open_store()).__name__
    'MemoryStore'
    """
    if uri is None or uri == "memory":
        return MemoryStore()
    from graphring.store.neo4j import Neo4jStore  # lazy: needs the neo4j driver only here

    return Neo4jStore(uri, **kwargs)
