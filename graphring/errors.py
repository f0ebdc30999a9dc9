"""Errors raised by graphring.

Every error graphring raises on purpose derives from :class:`GraphringError`, so
callers (and the CLI) can catch one class and turn it into a clear message. Every
error class is defined here (the modules that raise them import them from here and
keep their names importable, e.g. ``graphring.watch.watchlist.HmacKeyError``).

Examples
--------
>>> from graphring.errors import GraphringError, InputError
>>> issubclass(InputError, GraphringError)
True
"""

from __future__ import annotations

import importlib


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


class LimitError(InputError):
    """An input file is beyond one of the limits (the message names the file, the limit and how to raise it)."""


class LangError(GraphringError):
    """A language code that the catalogue does not have."""


class CypherTemplateError(GraphringError):
    """A ``.cypher`` file is missing, or a placeholder got a name outside the whitelist."""


class ExplainError(GraphringError):
    """An entity or ring to explain is malformed or not in the run."""


class HmacKeyError(GraphringError):
    """The HMAC key is missing or unusable (the message never contains the key)."""


def require(module: str, package: str, purpose: str):
    """Import a module graphring depends on, or raise :class:`MissingExtraError` naming what to install.

    Parameters
    ----------
    module : str
        Module to import, e.g. ``"igraph"``.
    package : str
        The pip package that provides it, e.g. ``"igraph>=0.11"`` (a dependency of graphring: a
        broken or partial install is the only way it can be missing).
    purpose : str
        What the module is needed for, used in the message.

    Examples
    --------
    >>> require("json", "json", "tests").__name__
    'json'
    >>> require("no_such_module_x", "no-such-package", "The test")
    Traceback (most recent call last):
    ...
    graphring.errors.MissingExtraError: The test needs the Python package 'no_such_module_x'. Install it with: pip install 'no-such-package'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{purpose} needs the Python package '{module}'. "
            f"Install it with: pip install '{package}'"
        ) from exc
