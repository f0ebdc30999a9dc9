"""Graph exports of a ring: i2 Analyst's Notebook tabular import, GraphML and GEXF (Gephi).

i2 Analyst's Notebook import specification
------------------------------------------
Two CSV files (UTF-8 with BOM, comma-separated, first row = column names),
imported with Analyst's Notebook's *Import Data* using a tabular import
specification: first ``i2_entities.csv`` as an entity-only import, then
``i2_links.csv`` as a link import whose two ends are matched on ``Identity``.

``i2_entities.csv``: one row per entity

=================  ==========================================================
column             meaning
=================  ==========================================================
Identity           **identity column**: pack-local reference (``R0001-N001``),
                   unique, stable for the same run, no personal data
Entity Type        i2 entity type (see below)
Label              label to show (identifiers masked unless ``--reveal``)
Kind               graphring entity kind (``borrower``, ``phone`` ...)
Role               role in the ring (``hub_phone``, ``shared_account``, ``member`` ...)
Ring               ring id
City               borrower's city of residence, if known
Description        kind and role in Chinese and English
Identifiers        ``masked`` or ``revealed``
=================  ==========================================================

``i2_links.csv``: one row per (entity pair, link type)

=================  ==========================================================
column             meaning
=================  ==========================================================
Link ID            unique link reference (``R0001-K0001``)
From Identity      ``Identity`` of the first end (a borrower for shared identifiers)
From Type          i2 entity type of the first end
To Identity        ``Identity`` of the second end
To Type            i2 entity type of the second end
Link Type          what ties them (``Complaint phone``, ``Same agent`` ...)
Label              link type in Chinese and English
Direction          ``None``; ``Forward`` for payments (from payer to payee)
Evidence Count     number of input rows behind the link
Source Rows        ``file:row`` of every input row behind it, ``;``-separated
Identifiers        ``masked`` or ``revealed``
=================  ==========================================================

Entity types: borrower and person → ``Person``; phone → ``Telephone``;
device → ``Mobile Device``; ip → ``IP Address``; account → ``Account``;
company and registration_agent → ``Organisation``; address → ``Address``;
attachment and template → ``Document``; complaint → ``Complaint``;
loan → ``Loan``; officer → ``Bank Officer``; intermediary → ``Intermediary``;
agent → ``Agent``; email → ``Email Address``. Types that the import
specification does not know are created by Analyst's Notebook on import or
mapped to an icon in the specification.

GraphML and GEXF
----------------
The same nodes (id = ``Identity``) and edges, with attributes ``label``,
``kind``, ``role``, ``ring``, ``city`` on nodes and ``link``, ``links``,
``evidence_count``, ``source_rows`` on edges; the graph carries ``ring_id``,
``identifiers`` and ``run_date``. GEXF nodes also carry the diagram's
position and colour (``viz``) so Gephi opens them laid out.

Examples
--------
>>> I2_ENTITY_COLUMNS[:2], I2_LINK_COLUMNS[1:5]
(['Identity', 'Entity Type'], ['From Identity', 'From Type', 'To Identity', 'To Type'])
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
import pandas as pd

from graphring.present.diagram import KIND_STYLE
from graphring.present.ringdata import KIND_LABELS, LINK_LABELS, RingData

__all__ = ["I2_ENTITY_COLUMNS", "I2_LINK_COLUMNS", "I2_TYPES", "i2_tables", "i2_spec_markdown", "ring_graph",
           "write_graphml", "write_gexf"]

I2_ENTITY_COLUMNS = ["Identity", "Entity Type", "Label", "Kind", "Role", "Ring", "City", "Description", "Identifiers"]
I2_LINK_COLUMNS = ["Link ID", "From Identity", "From Type", "To Identity", "To Type", "Link Type", "Label",
                   "Direction", "Evidence Count", "Source Rows", "Identifiers"]
I2_TYPES = {"borrower": "Person", "person": "Person", "phone": "Telephone", "device": "Mobile Device",
            "ip": "IP Address", "account": "Account", "company": "Organisation", "registration_agent": "Organisation",
            "address": "Address", "attachment": "Document", "template": "Document", "complaint": "Complaint",
            "loan": "Loan", "officer": "Bank Officer", "intermediary": "Intermediary", "agent": "Agent",
            "email": "Email Address"}


def _link_type(link: str) -> str:
    lab = LINK_LABELS.get(link, link)
    eng = re.sub(r"^[^\x00-\x7f]+\s*", "", lab)
    return (eng or link).capitalize()


def _edge_rows(rd: RingData) -> pd.DataFrame:
    """One row per (src, dst, link) with its evidence rows."""
    lk = rd.links.copy()
    lk["src_ref"] = lk["src"].map(rd.ref_of)
    lk["dst_ref"] = lk["dst"].map(rd.ref_of)
    lk = lk[lk["src_ref"].notna() & lk["dst_ref"].notna()]
    lk["where"] = lk["source_file"].where(lk["source_file"] != "", lk["table"]) + ":" + lk["row"].astype(str)
    g = lk.groupby(["src_ref", "dst_ref", "link"], sort=True)
    out = g.agg(src=("src", "first"), dst=("dst", "first"), n=("row", "size"),
                rows=("where", lambda s: ";".join(dict.fromkeys(s)))).reset_index()
    return out


def i2_tables(rd: RingData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The i2 entities and links tables (see the module docstring for the columns)."""
    state = "revealed" if rd.reveal else "masked"
    n = rd.nodes
    ent = pd.DataFrame({
        "Identity": n["ref"], "Entity Type": n["kind"].map(I2_TYPES).fillna("Entity"), "Label": n["label"],
        "Kind": n["kind"], "Role": n["role"], "Ring": rd.ring_id, "City": n["city"],
        "Description": n["kind"].map(KIND_LABELS).fillna(n["kind"]) + " · " + n["role"], "Identifiers": state})
    e = _edge_rows(rd)
    kind_of = dict(zip(n["ref"], n["kind"]))
    links = pd.DataFrame({
        "Link ID": [f"{rd.ring_id}-K{i + 1:04d}" for i in range(len(e))],
        "From Identity": e["src_ref"], "From Type": e["src_ref"].map(kind_of).map(I2_TYPES).fillna("Entity"),
        "To Identity": e["dst_ref"], "To Type": e["dst_ref"].map(kind_of).map(I2_TYPES).fillna("Entity"),
        "Link Type": e["link"].map(_link_type), "Label": e["link"].map(LINK_LABELS).fillna(e["link"]),
        "Direction": e["link"].isin(["paid", "repaid"]).map({True: "Forward", False: "None"}),
        "Evidence Count": e["n"].astype(int), "Source Rows": e["rows"], "Identifiers": state})
    return ent[I2_ENTITY_COLUMNS], links[I2_LINK_COLUMNS]


def _rst_tables(doc: str) -> list[list[tuple[str, str]]]:
    """The two-column reST tables of a docstring as lists of (column, meaning) rows (continuation lines joined)."""
    tables, rows, inside = [], [], 0
    for line in doc.splitlines():
        if line.startswith("====="):
            inside += 1
            if inside == 3:
                tables.append(rows)
                rows, inside = [], 0
            continue
        if inside == 2 and line.strip():
            name, meaning = line[:19].strip(), line[19:].strip()
            if name:
                rows.append((name, meaning))
            elif rows:
                rows[-1] = (rows[-1][0], rows[-1][1] + " " + meaning)
    return tables


def _md_table(rows: list[tuple[str, str]]) -> str:
    return "| column | meaning |\n|---|---|\n" + "\n".join(f"| `{c}` | {m.replace('|', '/')} |" for c, m in rows)


def i2_spec_markdown(rd: RingData) -> str:
    """``i2_import_spec.md``: how to import the two files into Analyst's Notebook (Markdown throughout)."""
    doc = __doc__.split("i2 Analyst's Notebook import specification\n------------------------------------------\n")[1]
    doc = doc.split("\nGraphML and GEXF")[0]
    ent_rows, link_rows = _rst_tables(doc)
    roles = sorted(set(rd.nodes["role"].astype(str)))
    ent_rows = [(c, (f"role in the ring: {', '.join('`' + r + '`' for r in roles)}" if c == "Role" else m))
                for c, m in ent_rows]
    types = doc.split("Entity types:", 1)[1].strip() if "Entity types:" in doc else ""
    md = lambda t: re.sub(r"``([^`]+)``", r"`\1`", t)  # noqa: E731
    return (f"# i2 Analyst's Notebook import specification — ring {rd.ring_id}\n\n"
            f"{'Identifiers REVEALED (--reveal).' if rd.reveal else 'Identifiers masked (PIPL).'}\n\n"
            "Files: `i2_entities.csv`, `i2_links.csv` (UTF-8 with BOM, comma-separated, first row = column names).\n\n"
            "Steps: *Import Data* → select `i2_entities.csv` → design: entity-only, identity column `Identity`, "
            "type column `Entity Type`, label `Label`, attributes: the other columns. Then import "
            "`i2_links.csv` with a link design: end 1 identity `From Identity` (type `From Type`), end 2 identity "
            "`To Identity` (type `To Type`), link type `Link Type`, label `Label`, direction `Direction`, "
            "attributes `Evidence Count` and `Source Rows`. Entities are merged on `Identity`.\n\n"
            "## `i2_entities.csv`: one row per entity\n\n" + md(_md_table(ent_rows)) + "\n\n"
            "## `i2_links.csv`: one row per (entity pair, link type)\n\n" + md(_md_table(link_rows)) + "\n\n"
            "## Entity types\n\n" + md(" ".join(types.split())) + "\n")


def ring_graph(rd: RingData, positions: dict | None = None):
    """A ``networkx.Graph`` of the ring: node ids are pack references, attributes are strings and ints."""
    G = nx.Graph(ring_id=rd.ring_id, identifiers="revealed" if rd.reveal else "masked", run_date=rd.run_date,
                 typology=str(rd.ring.get("typology", "")), score=float(rd.ring.get("score", 0.0)))
    for ref, node, kind, label, role, city in rd.nodes[["ref", "node", "kind", "label", "role",
                                                        "city"]].itertuples(index=False, name=None):
        attrs = {"label": label, "kind": kind, "role": role, "ring": rd.ring_id, "city": city or ""}
        if positions is not None and node in positions:
            colour = KIND_STYLE.get(kind, ("o", "#999999"))[1].lstrip("#")
            x, y = positions[node]
            attrs["viz"] = {"position": {"x": round(float(x) * 1000, 2), "y": round(float(y) * 1000, 2), "z": 0.0},
                            "color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16),
                                      "b": int(colour[4:6], 16), "a": 1.0},
                            "size": 12.0 if kind == "borrower" else 20.0}
        G.add_node(ref, **attrs)
    for rec in _edge_rows(rd).to_dict("records"):
        u, v = rec["src_ref"], rec["dst_ref"]
        if G.has_edge(u, v):
            d = G.edges[u, v]
            d["links"] += ";" + rec["link"]
            d["evidence_count"] += int(rec["n"])
            d["source_rows"] += ";" + rec["rows"]
        else:
            G.add_edge(u, v, link=rec["link"], links=rec["link"], label=LINK_LABELS.get(rec["link"], rec["link"]),
                       evidence_count=int(rec["n"]), source_rows=rec["rows"])
    return G


def write_graphml(G, path: Path) -> Path:
    """GraphML (loads back with ``networkx.read_graphml``); ``viz`` attributes are left out."""
    H = G.copy()
    for _, d in H.nodes(data=True):
        d.pop("viz", None)
    nx.write_graphml(H, path, encoding="utf-8", prettyprint=True)
    return path


def write_gexf(G, path: Path, statement: str, run_date: str) -> Path:
    """GEXF 1.2 for Gephi with a ``<description>`` stating the masking, dated with the run date."""
    nx.write_gexf(G, path, encoding="utf-8", prettyprint=True, version="1.2draft")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{html.escape(run_date, quote=True)}"', text,
                  count=1)
    text = text.replace("</meta>", f"  <description>{html.escape(statement)}</description>\n    </meta>", 1)
    path.write_text(text, encoding="utf-8")
    return path
