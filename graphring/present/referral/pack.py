"""Write a referral pack (移送材料) for one ring: the library call behind ``graphring referral``.

The pack is a folder with, for ring ``R0001``::

    referral-R0001.html      printable page (A4): summary, diagram, members, amounts,
                             timeline, facts vs. crime table, links and evidence, manifest
    referral-R0001.pdf       the same as a PDF with the CJK font embedded
    ring-R0001.svg/.png      network diagram
    timeline-R0001.png/.svg  swim lanes along the loan lifecycle
    members.csv links.csv evidence.csv amounts.csv timeline.csv complaints.csv crime_table.csv
    referral-R0001.xlsx      the same tables, one sheet each
    i2_entities.csv i2_links.csv i2_import_spec.md   i2 Analyst's Notebook tabular import
    ring-R0001.graphml ring-R0001.gexf               for Gephi and other graph tools
    manifest.json            证据清单: every file with its SHA-256, every evidence row with
                             its source file, row and the run that produced it
    SHA256SUMS               ``sha256sum -c SHA256SUMS`` checks the pack is unaltered

Identifiers are masked in every file unless ``reveal=True``; every file says
which. The HTML and PDF list the SHA-256 of every file written before them;
``manifest.json`` (written last) and ``SHA256SUMS`` cover all files.

Examples
--------
>>> import tempfile, pathlib
>>> # demo_run: the tiny run of tests/demo_data.py, in the doctest namespace (conftest.py)
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> res = write_referral(demo_run(tmp), "R0001", tmp / "pack")
>>> res["ring_id"], res["reveal"], res["pdf_pages"] > 3
('R0001', False, True)
>>> sorted(res["files"])[:4]
['SHA256SUMS', 'amounts.csv', 'amounts_by_member.csv', 'complaints.csv']
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

import graphring
from graphring.errors import GraphringError
from graphring.files.checksums import sha256_file  # the one file digest; name kept here
from graphring.files.safepath import check_ring_id, inside
from graphring.present.diagram import _pairs, is_summarised, layout, render_diagram
from graphring.present.i18n import check_lang
from graphring.present.referral.amounts import amount_totals, ring_amounts
from graphring.present.referral.crimes import DISCLAIMER, crime_table
from graphring.present.ringdata import dumps, load_ring, masking_statement
from graphring.present.referral.graphs import i2_spec_markdown, i2_tables, ring_graph, write_gexf, write_graphml
from graphring.present.referral.page import render_page
from graphring.present.referral.pdf import write_pdf
from graphring.present.referral.tables import pack_tables, write_csv, write_xlsx
from graphring.present.referral.timeline import render_timeline, ring_events

__all__ = ["write_referral", "sha256_file", "DESCRIPTIONS", "STEPS"]

DESCRIPTIONS = {
    "members.csv": "ring members and roles 成员与角色",
    "links.csv": "every link with the input row behind it 关联及来源行",
    "evidence.csv": "every signal evidence row with its source file, row and run 线索证据",
    "amounts.csv": "balances, loans, payments, compensation claimed, one row each 涉案金额明细",
    "amounts_by_member.csv": "amounts summed per member 按成员汇总金额",
    "timeline.csv": "lifecycle events per borrower 时间线",
    "complaints.csv": "complaint texts (hostile input) 投诉原文",
    "crime_table.csv": "facts beside the crime table; no legal conclusion 事实与罪名对照",
    "i2_entities.csv": "i2 Analyst's Notebook import: entities",
    "i2_links.csv": "i2 Analyst's Notebook import: links",
    "i2_import_spec.md": "i2 import specification",
}


def _file_entry(path: Path, description: str) -> dict:
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": sha256_file(path), "description": description}


#: Steps of :func:`write_referral`, for its progress callback.
STEPS = ("load", "tables", "exports", "diagram", "timeline", "html", "pdf", "manifest")


def write_referral(run_dir, ring_id: str, out_dir, reveal: bool = False, lang: str = "zh",
                   progress=None) -> dict:
    """Write the referral pack of one ring (see the module docstring for its files).

    Parameters
    ----------
    run_dir : path or dict
        A run directory written by ``graphring rings`` (or what
        :func:`graphring.run.read_run` returned).
    ring_id : str
    out_dir : path
        The pack folder (created; files of an earlier pack are overwritten).
    reveal : bool
        Show identifiers in full in every file (each file says so).
    lang : {"zh", "en"}
        Language of the PDF, HTML and diagrams (Simplified Chinese by default).
    progress : callable, optional
        Called as ``progress(step, done, total)`` as each of :data:`STEPS` starts.

    Returns
    -------
    dict
        ``ring_id``, ``out_dir``, ``reveal``, ``files`` (name → SHA-256),
        ``manifest`` (path), ``manifest_sha256``, ``pdf_pages``, ``counts``, ``timings_s``.

    Raises
    ------
    graphring.errors.RunError
        Bad run directory or unknown ring id.
    """
    lang = check_lang(lang)
    say = progress or (lambda step, done, total: None)
    step = iter(range(len(STEPS)))

    def stage(name):
        say(name, next(step), len(STEPS))

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    check_ring_id(ring_id)
    stage("load")
    rd = load_ring(run_dir, ring_id, reveal=reveal, lang=lang)
    check_ring_id(rd.ring_id, "the ring id in the run")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraphringError(f"cannot create the pack folder {out}: {exc}") from None
    run_hashes = {n: sha256_file(rd.run_dir / n) for n in ("manifest.json", "rings.json", "ring_members.csv")
                  if (rd.run_dir / n).is_file()}
    fingerprint = run_hashes.get("manifest.json", "")[:16]
    statement = masking_statement(reveal)
    stage("tables")
    amounts = ring_amounts(rd)
    totals = amount_totals(amounts)
    events = ring_events(rd)
    crimes = crime_table(rd, amounts)
    tables = pack_tables(rd, amounts, events, crimes, fingerprint)
    timings["collect"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    files: list[dict] = []
    for name, df in tables.items():
        p = write_csv(df, inside(out, f"{name}.csv"))
        files.append(_file_entry(p, DESCRIPTIONS.get(p.name, name)))
    title = f"graphring referral pack — ring {rd.ring_id} (run {rd.run_dir.name}, {rd.run_date})"
    p = write_xlsx(tables, inside(out, f"referral-{rd.ring_id}.xlsx"), statement, title)
    files.append(_file_entry(p, "all tables, one sheet each 全部表格"))
    stage("exports")
    ent, lnk = i2_tables(rd)
    for name, df in (("i2_entities.csv", ent), ("i2_links.csv", lnk)):
        p = write_csv(df, inside(out, name))
        files.append(_file_entry(p, DESCRIPTIONS[name]))
    p = inside(out, "i2_import_spec.md")
    p.write_text(i2_spec_markdown(rd), encoding="utf-8")
    files.append(_file_entry(p, DESCRIPTIONS[p.name]))
    pos = layout(list(rd.nodes["node"]), _pairs(rd))
    G = ring_graph(rd, positions=pos)
    p = write_graphml(G, inside(out, f"ring-{rd.ring_id}.graphml"))
    files.append(_file_entry(p, "GraphML for graph tools"))
    p = write_gexf(G, inside(out, f"ring-{rd.ring_id}.gexf"), statement, rd.run_date)
    files.append(_file_entry(p, "GEXF for Gephi (laid out as the diagram)"))
    timings["tables"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    stage("diagram")
    svg, png = render_diagram(rd, rd.ring_id, out, positions=pos)
    stage("timeline")
    files += [_file_entry(svg, "network diagram (vector) 关系图"), _file_entry(png, "network diagram (200 dpi) 关系图")]
    tpng, tsvg = render_timeline(rd, events, out)
    files += [_file_entry(tpng, "timeline swim lanes 时间线"), _file_entry(tsvg, "timeline swim lanes (vector)")]
    timings["figures"] = time.perf_counter() - t0

    ctx = {"rd": rd, "lang": lang, "summary_diagram": is_summarised(rd), "tables": tables, "totals": totals, "diagram_svg": svg, "diagram_png": png,
           "timeline_png": tpng, "fingerprint": fingerprint, "run_hashes": run_hashes,
           "run_manifest": rd.run_manifest, "version": graphring.__version__, "files_so_far": list(files),
           "self_hash_note": "The SHA-256 of this document, of the PDF/HTML twin and of every file above are in "
                             "manifest.json and SHA256SUMS, written after it (a document cannot contain its own "
                             "hash). Check with: sha256sum -c SHA256SUMS"}
    t0 = time.perf_counter()
    stage("html")
    html_path = inside(out, f"referral-{rd.ring_id}.html")
    html_path.write_text(render_page(ctx), encoding="utf-8")
    timings["html"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    stage("pdf")
    pdf_path = inside(out, f"referral-{rd.ring_id}.pdf")
    pages = write_pdf(ctx, pdf_path)
    timings["pdf"] = time.perf_counter() - t0
    files += [_file_entry(html_path, "printable referral page 移送材料（网页）"),
              _file_entry(pdf_path, "referral document 移送材料（PDF）")]

    stage("manifest")
    ev = tables["evidence"]
    lk = tables["links"]
    evidence = ([{"id": r["link_id"], "type": "link", "what": r["link"], "from_ref": r["from_ref"],
                  "to_ref": r["to_ref"], "table": r["table"], "source_file": r["source_file"],
                  "source_sha256": r["source_sha256"], "row": None if pd.isna(r["row"]) else int(r["row"])}
                 for r in lk.to_dict("records")]
                + [{"id": r["evidence_id"], "type": "signal", "what": r["signal"], "from_ref": r["borrower_ref"],
                    "to_ref": r["entity_ref"], "table": r["table"], "source_file": r["source_file"],
                    "source_sha256": r["source_sha256"], "row": None if pd.isna(r["row"]) else int(r["row"])}
                   for r in ev.to_dict("records")])
    m = rd.run_manifest
    manifest = {
        "title": "证据清单 Manifest of the referral pack", "ring_id": rd.ring_id,
        "identifiers": "revealed" if reveal else "masked", "statement": statement, "disclaimer": DISCLAIMER,
        "graphring_version": graphring.__version__,
        "run": {"dir": str(rd.run_dir), "fingerprint": fingerprint, "run_date": rd.run_date,
                "files_sha256": run_hashes, "graphring_version": m.get("graphring_version"),
                "data_dir": m.get("data_dir"), "inputs_sha256": m.get("inputs_sha256") or {},
                "params": m.get("params") or rd.params},
        "ring": {"score": rd.ring.get("score"), "typology": rd.ring.get("typology"), "size": rd.ring.get("size")},
        "files": files,
        "evidence": evidence,
        "check": "sha256sum -c SHA256SUMS (in this folder); or compare each file's SHA-256 with 'files'",
    }
    man_path = inside(out, "manifest.json")
    man_path.write_text(dumps(manifest), encoding="utf-8")
    sums = [f"{f['sha256']}  {f['name']}" for f in files] + [f"{sha256_file(man_path)}  manifest.json"]
    inside(out, "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    all_files = {f["name"]: f["sha256"] for f in files}
    all_files["manifest.json"] = sha256_file(man_path)
    all_files["SHA256SUMS"] = sha256_file(out / "SHA256SUMS")
    say("done", len(STEPS), len(STEPS))
    return {"ring_id": rd.ring_id, "out_dir": str(out), "reveal": reveal, "lang": lang, "files": all_files,
            "manifest": str(man_path), "manifest_sha256": all_files["manifest.json"], "pdf_pages": pages,
            "counts": {"members": int(len(rd.nodes)), "links": int(len(lk)), "evidence": int(len(ev)),
                       "amounts": int(len(amounts)), "events": int(len(events))},
            "timings_s": {k: round(v, 3) for k, v in timings.items()}}
