"""The Cypher graphring runs: ``.cypher`` files, found, read and rendered.

Every statement the Neo4j backend sends lives in a ``.cypher`` file under the
repository's top-level ``cypher/`` folder, which the wheel ships as
``graphring/cypher/`` (hatch ``force-include``). Analysts can open the same
files in Neo4j Browser or Bloom.

Values always travel as ``$parameters``. A few files are *templates*: one file
per pattern with ``{{label}}``, ``{{src_label}}``, ``{{dst_label}}``,
``{{type}}`` or ``{{types}}`` placeholders, because Cypher cannot take a label
or relationship type as a parameter and still use the key constraint. Those
placeholders are filled by :func:`render` **only** with names from the schema
and model whitelists (:data:`LABELS`, :data:`REL_TYPES`), never from input;
anything else raises :class:`CypherTemplateError`.

``cypher/schema/constraints.cypher`` and ``cypher/schema/counts.cypher`` are
generated from :mod:`graphring.ingest.schema` and :mod:`graphring.graph.model` by
:func:`generate_schema_files` (``python -m graphring.store.cypher`` rewrites them; a
test checks the committed files match).

Examples
--------
>>> from graphring.store import cypher
>>> "MERGE (n:Borrower {key: row.key})" in cypher.render("load/nodes", label="Borrower")
True
>>> cypher.render("load/nodes", label="Borrower`) DETACH DELETE n //")
Traceback (most recent call last):
...
graphring.errors.CypherTemplateError: label 'Borrower`) DETACH DELETE n //' is not a graphring label ...
>>> cypher.statements("schema/constraints")[0].startswith("CREATE CONSTRAINT")
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from graphring.errors import CypherTemplateError
from graphring.graph.model import RELATIONSHIPS
from graphring.ingest.schema import ENTITY_KINDS

__all__ = ["CypherTemplateError", "LABELS", "REL_TYPES", "INTERNAL_LABELS", "INTERNAL_TYPES", "cypher_dir",
           "names", "text", "render", "statements", "generate_constraints", "generate_counts",
           "generate_schema_files", "GENERATED"]


#: Node labels of the loaded graph (from :data:`graphring.ingest.schema.ENTITY_KINDS`).
LABELS: tuple[str, ...] = tuple(ENTITY_KINDS.values())
#: Relationship types of the loaded graph (from :data:`graphring.graph.model.RELATIONSHIPS`).
REL_TYPES: tuple[str, ...] = tuple(dict.fromkeys(r.type for r in RELATIONSHIPS))
#: Labels graphring itself writes (rings found by a run).
INTERNAL_LABELS: tuple[str, ...] = ("Ring",)
#: Relationship types graphring itself writes: ring membership, borrower projection links.
INTERNAL_TYPES: tuple[str, ...] = ("HAS_MEMBER", "LINKED")

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_ALLOWED = {
    "label": LABELS + INTERNAL_LABELS,
    "src_label": LABELS,
    "dst_label": LABELS,
    "type": REL_TYPES + INTERNAL_TYPES,
}

#: Files written by :func:`generate_schema_files` (relative to :func:`cypher_dir`).
GENERATED = ("schema/constraints.cypher", "schema/counts.cypher")


def cypher_dir() -> Path:
    """The folder holding the ``.cypher`` files.

    The installed package's ``graphring/cypher/`` (what the wheel ships) when it
    exists, else the repository's top-level ``cypher/`` (a development checkout).

    Examples
    --------
    >>> (cypher_dir() / "load" / "nodes.cypher").is_file()
    True
    """
    here = Path(__file__).resolve().parents[1]  # the graphring package (this module is graphring/store/cypher.py)
    for cand in (here / "cypher", here.parent / "cypher"):
        if (cand / "load").is_dir():
            return cand
    raise CypherTemplateError(
        f"graphring's .cypher files are missing: looked in {here / 'cypher'} and {here.parent / 'cypher'}; "
        "reinstall graphring (the wheel ships them as graphring/cypher)")


def names() -> list[str]:
    """Every ``.cypher`` file, as a name without the suffix (``"load/nodes"``).

    Examples
    --------
    >>> "rings/write_rings" in names()
    True
    """
    root = cypher_dir()
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.cypher"))


@lru_cache(maxsize=None)
def text(name: str) -> str:
    """The raw text of ``cypher/<name>.cypher`` (comments included).

    Examples
    --------
    >>> text("admin/ping").strip().splitlines()[-1]
    'RETURN 1 AS ok'
    """
    if not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)*", name):
        raise CypherTemplateError(f"bad cypher file name {name!r}")
    path = cypher_dir() / f"{name}.cypher"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CypherTemplateError(f"no such cypher file: {path}") from None


def placeholders(name: str) -> set[str]:
    """Placeholder names a file uses (empty for plain files).

    Examples
    --------
    >>> sorted(placeholders("load/relationships"))
    ['dst_label', 'src_label', 'type']
    """
    return set(_PLACEHOLDER.findall(_strip_comments(text(name))))


def _strip_comments(q: str) -> str:
    return "\n".join(line for line in q.splitlines() if not line.lstrip().startswith("//"))


def _check(kind: str, value) -> str:
    if kind == "types":
        if isinstance(value, str) or not value:
            raise CypherTemplateError("types must be a non-empty list of relationship types")
        return "|".join(_check("type", v) for v in value)
    allowed = _ALLOWED.get(kind)
    if allowed is None:
        raise CypherTemplateError(f"unknown placeholder {{{{{kind}}}}}")
    if not isinstance(value, str) or value not in allowed or not _NAME.match(value):
        raise CypherTemplateError(
            f"{kind.replace('_', ' ')} {value!r} is not a graphring "
            f"{'label' if 'label' in kind else 'relationship type'} (allowed: {', '.join(allowed)})")
    return value


def render(name: str, **subs) -> str:
    """The statement of ``cypher/<name>.cypher``, placeholders filled from the whitelist.

    Comment lines (``//``) are dropped so the text sent matches across files;
    the file itself keeps them for analysts.

    Parameters
    ----------
    name : str
        File name without ``.cypher`` (``"load/nodes"``).
    **subs
        ``label``, ``src_label``, ``dst_label``, ``type`` (one name each) or
        ``types`` (a list): each must be a label or type from the schema/model.

    Returns
    -------
    str

    Examples
    --------
    >>> print(render("load/nodes", label="Phone"))
    UNWIND $rows AS row
    MERGE (n:Phone {key: row.key})
    SET n += row.props
    """
    return _render(name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in subs.items())))


@lru_cache(maxsize=4096)
def _render(name: str, subs: tuple) -> str:
    body = _strip_comments(text(name)).strip()
    given = dict(subs)
    wanted = set(_PLACEHOLDER.findall(body))
    missing = wanted - set(given)
    if missing:
        raise CypherTemplateError(f"{name}.cypher needs {', '.join(sorted(missing))}")
    extra = set(given) - wanted
    if extra:
        raise CypherTemplateError(f"{name}.cypher has no placeholder {', '.join(sorted(extra))}")
    checked = {k: _check(k, list(v) if isinstance(v, tuple) else v) for k, v in given.items()}
    return _PLACEHOLDER.sub(lambda m: checked[m.group(1)], body)


def statements(name: str, **subs) -> list[str]:
    """The statements of a multi-statement file (split on ``;`` at line ends).

    Examples
    --------
    >>> len(statements("schema/constraints")) > len(LABELS)
    True
    """
    body = render(name, **subs)
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


# ---------------------------------------------------------------------------------------
# generated files
# ---------------------------------------------------------------------------------------

_HEADER = "// GENERATED by `python -m graphring.store.cypher` from graphring/ingest/schema.py and graphring/graph/model.py.\n" \
          "// Do not edit: change the schema and regenerate (tests/store/test_neo4j_unit.py checks it matches).\n"


def generate_constraints() -> str:
    """Text of ``cypher/schema/constraints.cypher``: one key constraint per label, ring indexes.

    Every entity label gets a uniqueness constraint on ``key`` (which also
    gives the index that the loader's ``MERGE`` and every lookup by key use).
    All statements use ``IF NOT EXISTS``, so running the file twice is harmless.

    Examples
    --------
    >>> "FOR (n:Borrower) REQUIRE n.key IS UNIQUE" in generate_constraints()
    True
    """
    lines = [_HEADER,
             "// Key constraints: every node graphring loads is identified by its `key` property",
             "// (borrower_id, normalised phone, USCC, ...). Run once per database; safe to re-run.", ""]
    for kind, label in ENTITY_KINDS.items():
        lines.append(f"// {label}: entity kind `{kind}`")
        lines.append(f"CREATE CONSTRAINT graphring_{kind}_key IF NOT EXISTS "
                     f"FOR (n:{label}) REQUIRE n.key IS UNIQUE;")
    lines += ["", "// Rings written back by `graphring rings --backend neo4j`: key = <run_id>/<ring id>.",
              "CREATE CONSTRAINT graphring_ring_key IF NOT EXISTS FOR (r:Ring) REQUIRE r.key IS UNIQUE;",
              "CREATE INDEX graphring_ring_run IF NOT EXISTS FOR (r:Ring) ON (r.run_id);",
              "CREATE INDEX graphring_ring_id IF NOT EXISTS FOR (r:Ring) ON (r.id);", ""]
    return "\n".join(lines)


def generate_counts() -> str:
    """Text of ``cypher/schema/counts.cypher``: node count per label, relationship count per type.

    Every branch is a single-label or single-type count, which Neo4j answers
    from its count store without scanning.

    Examples
    --------
    >>> "MATCH ()-[r:HAS_PHONE]->() RETURN 'relationship' AS what" in generate_counts()
    True
    """
    branches = [f"MATCH (n:{label}) RETURN 'node' AS what, '{label}' AS name, count(n) AS n" for label in LABELS]
    branches += [f"MATCH ()-[r:{t}]->() RETURN 'relationship' AS what, '{t}' AS name, count(r) AS n"
                 for t in REL_TYPES]
    return (_HEADER + "// Node count per label and relationship count per type of the loaded graph\n"
            "// (what `graphring load` prints). Rings and projection links are not counted.\n\n"
            + "\nUNION ALL\n".join(branches) + "\n")


def generate_schema_files(root: Path | None = None) -> list[Path]:
    """Write the generated files under ``root`` (default: :func:`cypher_dir`); return their paths."""
    root = Path(root) if root is not None else cypher_dir()
    out = []
    for rel, body in zip(GENERATED, (generate_constraints(), generate_counts())):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body, encoding="utf-8")
        out.append(p)
    text.cache_clear()
    _render.cache_clear()
    return out


if __name__ == "__main__":  # pragma: no cover - developer tool
    for p in generate_schema_files():
        print(f"wrote {p}")
