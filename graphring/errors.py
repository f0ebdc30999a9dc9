"""Errors raised by graphring.

Every error graphring raises on purpose derives from :class:`GraphringError`, so
callers (and the CLI) can catch one class and turn it into a clear message.

Examples
--------
>>> from graphring.errors import GraphringError, InputError
>>> issubclass(InputError, GraphringError)
True
"""

from __future__ import annotations


class GraphringError(Exception):
    """Root of every error graphring raises on purpose."""


class InputError(GraphringError):
    """The input data cannot be used (missing table, missing column, unreadable file)."""


class MappingError(InputError):
    """A ``--mapping`` file is malformed."""


class MissingExtraError(GraphringError):
    """An optional dependency is not installed; the message names what to install."""


class BackendError(GraphringError):
    """A storage backend failed (unreachable Neo4j, wrong credentials, missing database)."""


class RunError(GraphringError):
    """A run directory is missing, incomplete or from an incompatible version."""


class PartitionError(GraphringError):
    """Community detection got an invalid partition or unknown algorithm."""


def require(module: str, extra: str, purpose: str):
    """Import an optional module or raise :class:`MissingExtraError`.

    Parameters
    ----------
    module : str
        Module to import, e.g. ``"igraph"``.
    extra : str
        The graphring extra that provides it, e.g. ``"leiden"``.
    purpose : str
        What the module is needed for, used in the message.

    Examples
    --------
    >>> require("json", "none", "tests").__name__
    'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on environment
        raise MissingExtraError(
            f"{purpose} needs the Python package '{module}'. "
            f"Install it with: pip install 'graphring[{extra}]'"
        ) from exc
