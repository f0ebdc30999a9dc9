"""The pack's tables (members, links, evidence, amounts, timeline, complaints) and their CSV/XLSX files.

Every table is already masked (unless ``reveal``) and carries an
``identifiers`` column saying ``masked`` or ``revealed``, so that a file cut
from the pack still states it. Cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR, and not a plain
number such as ``+8613800000000``) are prefixed with ``'`` in CSV and stored
as text in XLSX: the complaint text and agent fields come from the people
under investigation.

Examples
--------
>>> defuse("=HYPERLINK(\\"http://x\\")"), defuse("+8613800000000"), defuse("-12.5"), defuse("@SUM(A1)")
('\\'=HYPERLINK("http://x")', '+8613800000000', '-12.5', "'@SUM(A1)")
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphring.files.safecsv import defuse
from graphring.files.safecsv import write_csv as safe_write_csv
from graphring.present.referral.amounts import member_amounts
from graphring.present.ringdata import RingData, display_evidence, display_links, source_of

__all__ = ["members_table", "complaints_table", "pack_tables", "write_csv", "write_xlsx", "defuse"]



def members_table(rd: RingData) -> pd.DataFrame:
    """Ring members (and shared templates): reference, kind, masked label, role, city."""
    n = rd.nodes
    return pd.DataFrame({"ref": n["ref"], "kind": n["kind"], "kind_label": n["kind_label"], "label": n["label"],
                         "role": n["role"], "city": n["city"]})


def complaints_table(rd: RingData) -> pd.DataFrame:
    """Complaints about the ring's borrowers with their text (hostile input: masked numbers, never markup)."""
    edges = rd.edges
    props = rd.node_props.drop_duplicates("node").set_index("node") if len(rd.node_props) else pd.DataFrame()
    borrowers = set(rd.borrower_nodes()["node"])
    cols = ["complaint", "borrower_ref", "borrower", "received_at", "channel", "demand", "claimed_reason", "agent",
            "complainant_phone", "text", "table", "row", "source_file"]
    if not len(edges):
        return pd.DataFrame(columns=cols)
    about = edges[(edges["type"] == "ABOUT") & edges["dst"].isin(borrowers)].drop_duplicates("src")

    def p(node, name):
        if node in props.index and name in props.columns:
            v = props.at[node, name]
            if v is None or (isinstance(v, float) and pd.isna(v)) or str(v) in ("nan", "None", "NaT"):
                return ""
            return str(v)
        return ""

    rows = []
    for c, b in about[["src", "dst"]].itertuples(index=False, name=None):
        rows.append({"complaint": c.partition(":")[2], "borrower_ref": rd.ref_of(b) or "", "borrower": rd.label_of(b),
                     "received_at": p(c, "received_at")[:19], "channel": p(c, "channel"), "demand": p(c, "demand"),
                     "claimed_reason": p(c, "claimed_reason"), "agent": rd.masker.prop("agent", p(c, "agent")) or "",
                     "complainant_phone": rd.masker.prop("phone", p(c, "complainant_phone")) or "",
                     "text": rd.masker.text(p(c, "text")), "table": "complaints",
                     "row": pd.to_numeric(p(c, "_row"), errors="coerce"),
                     "source_file": source_of(rd.sources, "complaints")[0]})
    out = pd.DataFrame(rows, columns=cols)
    out["row"] = out["row"].astype("Int64")
    return out.sort_values(["borrower_ref", "received_at", "complaint"], kind="stable").reset_index(drop=True)


def pack_tables(rd: RingData, amounts: pd.DataFrame, events: pd.DataFrame, crimes: pd.DataFrame,
                run_fingerprint: str) -> dict[str, pd.DataFrame]:
    """All tables of the pack, by file stem, each with an ``identifiers`` column."""
    ev = display_evidence(rd)
    ev.insert(0, "evidence_id", [f"E{i + 1:04d}" for i in range(len(ev))])
    ev["run"] = run_fingerprint
    lk = display_links(rd)
    lk.insert(0, "link_id", [f"L{i + 1:04d}" for i in range(len(lk))])
    lk["run"] = run_fingerprint
    tl = events.copy()
    tl["date"] = pd.to_datetime(tl["date"]).dt.strftime("%Y-%m-%d %H:%M").str.replace(" 00:00", "", regex=False)

    tables = {"members": members_table(rd), "links": lk, "evidence": ev, "amounts": amounts,
              "amounts_by_member": member_amounts(amounts), "timeline": tl,
              "complaints": complaints_table(rd), "crime_table": crimes}
    state = "revealed" if rd.reveal else "masked"
    for t in tables.values():
        t["identifiers"] = state
    return tables


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 with BOM (Excel opens Chinese correctly), LF line ends, formulas defused."""
    return safe_write_csv(df, path, bom=True)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path, statement: str, title: str) -> Path:
    """One workbook: a README sheet (title, masking statement), then one sheet per table; text stays text."""
    from openpyxl import Workbook  # lazy: openpyxl is needed only for .xlsx inputs and outputs
    from openpyxl.styles import Font  # lazy: openpyxl is needed only for .xlsx inputs and outputs

    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    for line in (title, statement, "Every sheet has an 'identifiers' column saying masked or revealed.",
                 "Source rows: table + row point into the input files listed in manifest.json."):
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=13)
    for name, df in sheets.items():
        sh = wb.create_sheet(name[:31])
        sh.append([str(c) for c in df.columns])
        for c in sh[1]:
            c.font = Font(bold=True)
        for rec in df.itertuples(index=False, name=None):
            vals = []
            for v in rec:
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    vals.append(None)
                elif hasattr(v, "item"):
                    vals.append(v.item())
                else:
                    vals.append(v)
            sh.append(vals)
        for row in sh.iter_rows(min_row=2):
            for c in row:
                if c.data_type == "f":          # a string that starts with "=": keep it as text
                    c.data_type = "s"
        sh.freeze_panes = "A2"
    wb.properties.creator = "graphring"
    wb.save(path)
    return path
