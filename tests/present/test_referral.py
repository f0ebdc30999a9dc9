"""Referral packs: PDF, graph exports, i2 import files, manifest, masking and hostile text."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from demo_data import DEMO_AGENCY_PHONE, DEMO_RAW_PHONE, HOSTILE

from graphring.errors import RunError
from graphring.present.referral import write_referral
from graphring.cli import console
from graphring.cli.referral import referral as referral_command
from graphring.present.referral.crimes import CRIMES
from graphring.present.referral.graphs import I2_ENTITY_COLUMNS, I2_LINK_COLUMNS
from graphring.present.referral.tables import defuse, write_xlsx

RAW = (DEMO_RAW_PHONE, DEMO_AGENCY_PHONE, "王建国", "陈律师")


@pytest.fixture(scope="module")
def run_dir(demo_run_dir):
    return demo_run_dir


@pytest.fixture(scope="module")
def pack(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    return write_referral(run_dir, "R0001", out), out


@pytest.fixture(scope="module")
def revealed(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack_reveal")
    return write_referral(run_dir, "R0001", out, reveal=True), out


def _pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    # pypdf reads fpdf2's CID font text with a NUL before each character (and garbles some CJK): drop the NULs
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages).replace("\x00", "")


def _pdf_text(path: Path) -> str:
    """Text of a PDF as a reader sees it: poppler's pdftotext when installed (exact), else pypdf."""
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    if exe is None:
        return _pypdf_text(path)
    return subprocess.run([exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()


def _need_pdftotext():
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed: pypdf garbles some CJK text of CID fonts")


def _file_text(path: Path) -> str:
    """Everything a reader of the file could see, as text."""
    if path.suffix == ".pdf":
        return _pdf_text(path)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".png":
        return ""
    return path.read_text(encoding="utf-8-sig")


def test_pack_has_every_file(pack):
    res, out = pack
    names = set(res["files"])
    for n in ("referral-R0001.html", "referral-R0001.pdf", "ring-R0001.svg", "ring-R0001.png",
              "timeline-R0001.png", "members.csv", "links.csv", "evidence.csv", "amounts.csv",
              "referral-R0001.xlsx", "i2_entities.csv", "i2_links.csv", "i2_import_spec.md",
              "ring-R0001.graphml", "ring-R0001.gexf", "manifest.json", "SHA256SUMS"):
        assert n in names and (out / n).is_file(), n
    assert set(p.name for p in out.iterdir()) == names


def test_pdf_parses_with_ring_id_chinese_and_embedded_font(pack):
    from pypdf import PdfReader

    res, out = pack
    reader = PdfReader(str(out / "referral-R0001.pdf"))
    assert len(reader.pages) == res["pdf_pages"] >= 6
    assert "R0001" in _pypdf_text(out / "referral-R0001.pdf")
    _need_pdftotext()
    text = _pdf_text(out / "referral-R0001.pdf")
    for zh in ("移送材料", "诈骗罪", "敲诈勒索罪", "证据清单", "标识已脱敏"):
        assert zh in text, zh
    assert "不作任何法律结论" in text.replace("\n", "")
    font = reader.pages[0]["/Resources"]["/Font"]
    f = next(iter(font.values())).get_object()
    desc = f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))   # embedded, not referenced
    assert "GraphringCJKSans" in str(f["/BaseFont"])


def test_graphml_and_gexf_load(pack):
    res, out = pack
    members = pd.read_csv(out / "members.csv", encoding="utf-8-sig")
    g = nx.read_graphml(out / "ring-R0001.graphml")
    assert set(g.nodes) == set(members["ref"])
    assert g.graph["identifiers"] == "masked" and g.graph["ring_id"] == "R0001"
    assert g.number_of_edges() > 0
    kinds = nx.get_node_attributes(g, "kind")
    assert sorted(set(kinds.values())) == sorted(set(members["kind"]))
    x = nx.read_gexf(out / "ring-R0001.gexf")
    assert set(x.nodes) == set(g.nodes) and x.number_of_edges() == g.number_of_edges()
    assert "Identifiers masked" in (out / "ring-R0001.gexf").read_text(encoding="utf-8")


def test_i2_files_follow_the_documented_spec(pack):
    res, out = pack
    ent = pd.read_csv(out / "i2_entities.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    lnk = pd.read_csv(out / "i2_links.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(ent.columns) == I2_ENTITY_COLUMNS
    assert list(lnk.columns) == I2_LINK_COLUMNS
    assert ent["Identity"].is_unique and lnk["Link ID"].is_unique
    ids = set(ent["Identity"])
    assert set(lnk["From Identity"]) <= ids and set(lnk["To Identity"]) <= ids
    types = dict(zip(ent["Identity"], ent["Entity Type"]))
    assert all(types[a] == t for a, t in zip(lnk["From Identity"], lnk["From Type"]))
    assert (lnk["Source Rows"].str.len() > 0).all()
    spec = (out / "i2_import_spec.md").read_text(encoding="utf-8")
    for c in I2_ENTITY_COLUMNS + I2_LINK_COLUMNS:
        assert c in spec, c
    import graphring.present.referral.graphs as g

    for c in I2_ENTITY_COLUMNS + I2_LINK_COLUMNS:
        assert c in g.__doc__


def test_manifest_hashes_match_files(pack):
    res, out = pack
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["name"]: f["sha256"] for f in man["files"]}
    on_disk = {p.name for p in out.iterdir()} - {"manifest.json", "SHA256SUMS"}
    assert set(listed) == on_disk
    for name, sha in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
    sums = dict(reversed(line.split("  ", 1)) for line in (out / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == on_disk | {"manifest.json"}
    for name, sha in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
    assert res["manifest_sha256"] == hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    # every piece of evidence: its source file, row and the run that produced it
    run = man["run"]
    assert run["inputs_sha256"] and run["fingerprint"] and run["params"]["seed"] == 0
    assert man["evidence"]
    for e in man["evidence"]:
        assert e["source_file"] and e["row"] is not None, e
        assert run["inputs_sha256"][e["source_file"]] == e["source_sha256"]
    ev = pd.read_csv(out / "evidence.csv", encoding="utf-8-sig")
    assert (ev["run"] == run["fingerprint"]).all()
    # the printable manifest lists the files written before it
    html = (out / "referral-R0001.html").read_text(encoding="utf-8")
    assert listed["evidence.csv"] in html and listed["ring-R0001.svg"] in html


def test_masked_by_default_in_every_file(pack):
    res, out = pack
    for p in sorted(out.iterdir()):
        text = _file_text(p)
        for raw in RAW:
            assert raw not in text, (p.name, raw)
    for name in ("members.csv", "links.csv", "evidence.csv", "amounts.csv", "i2_entities.csv", "i2_links.csv"):
        df = pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        col = "identifiers" if "identifiers" in df.columns else "Identifiers"
        assert set(df[col]) == {"masked"}, name
    assert "标识已脱敏" in (out / "referral-R0001.html").read_text(encoding="utf-8")


def test_reveal_is_stated_on_the_outputs(revealed):
    res, out = revealed
    assert res["reveal"] is True
    html = (out / "referral-R0001.html").read_text(encoding="utf-8")
    assert "已显示完整标识" in html and DEMO_AGENCY_PHONE in html
    _need_pdftotext()
    assert "已显示完整标识" in _pdf_text(out / "referral-R0001.pdf")
    ent = pd.read_csv(out / "i2_entities.csv", encoding="utf-8-sig", dtype=str)
    assert set(ent["Identifiers"]) == {"revealed"}
    assert nx.read_graphml(out / "ring-R0001.graphml").graph["identifiers"] == "revealed"
    assert "REVEALED" in (out / "ring-R0001.gexf").read_text(encoding="utf-8")


def test_english_pack_on_request(run_dir, tmp_path):
    from graphring.present.i18n import signal_name

    res = write_referral(run_dir, "R0001", tmp_path / "en", lang="en")
    assert res["lang"] == "en"
    html = (tmp_path / "en" / "referral-R0001.html").read_text(encoding="utf-8")
    assert "<html lang='en'>" in html and "1. Summary" in html and "NO legal conclusion" in html
    assert "概况" not in html
    _need_pdftotext()
    text = _pdf_text(tmp_path / "en" / "referral-R0001.pdf").replace("\n", " ")
    assert "Referral pack" in text and "NO legal conclusion" in text and "Identifiers masked" in text
    write_referral(run_dir, "R0001", tmp_path / "zh")
    zh = (tmp_path / "zh" / "referral-R0001.html").read_text(encoding="utf-8")
    ring = json.loads((Path(run_dir) / "rings.json").read_text(encoding="utf-8"))["rings"][0]
    top = ring["signals"][0]["name"]
    assert signal_name(top, "zh") in zh and top in zh          # the human name, and the code as id
    assert "@font-face{font-family:'Graphring CJK Sans'" in zh and "font-src data:" in zh


def test_referral_progress_and_the_disclaimer_names_its_source(run_dir, tmp_path):
    from graphring.present.referral.crimes import DISCLAIMER
    from graphring.present.referral.pack import STEPS

    calls = []
    write_referral(run_dir, "R0001", tmp_path / "p", progress=lambda step, done, total: calls.append((step, done, total)))
    assert [c[0] for c in calls] == [*STEPS, "done"] and all(c[2] == len(STEPS) for c in calls)
    assert [c[1] for c in calls] == list(range(len(STEPS) + 1))
    # the thresholds are said to be in the table itself, quoted from the research report (not "the report, section 4")
    assert "threshold column" in DISCLAIMER and "not part of this pack" in DISCLAIMER


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [a for a, _ in attrs]


@pytest.mark.parametrize("which", ["pack", "revealed"])
def test_hostile_text_escaped_in_html(which, request):
    res, out = request.getfixturevalue(which)
    html = (out / "referral-R0001.html").read_text(encoding="utf-8")
    p = _Tags()
    p.feed(html)
    assert "script" not in p.tags
    assert not [a for a in p.attrs if a.lower().startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html          # complaint bodies, shown as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&quot;onmouseover=alert(3)" in html
    assert "<img src=x" not in html and "<script" not in html.lower()


def test_hostile_text_shown_as_text_in_pdf(pack):
    res, out = pack
    _need_pdftotext()
    text = _pdf_text(out / "referral-R0001.pdf")
    assert "<script>alert(1)" in text                 # drawn as text (wrapped inside its table cell)
    assert "onerror=alert(2)" in text.replace("\n", "")


def test_crime_table_sets_figures_beside_thresholds_without_conclusion(pack):
    res, out = pack
    ct = pd.read_csv(out / "crime_table.csv", encoding="utf-8-sig", dtype=str)
    assert list(ct["article"]) == [c["article"] for c in CRIMES]
    assert ct["threshold"].str.len().min() > 5 and ct["figures"].str.len().min() > 10
    joined = " ".join(ct["figures"]).lower()
    for word in ("meets", "exceeds", "guilty", "constitutes", "构成犯罪"):
        assert word not in joined
    assert "¥35,000.00" in ct.loc[ct["article"] == "274", "figures"].iloc[0]     # compensation claimed


def test_amounts_and_timeline(pack):
    res, out = pack
    a = pd.read_csv(out / "amounts.csv", encoding="utf-8-sig")
    assert set(a["category"]) >= {"outstanding", "loan", "disbursement", "repayment", "compensation"}
    assert a.loc[a["category"] == "outstanding", "amount"].sum() == 130500.0
    tl = pd.read_csv(out / "timeline.csv", encoding="utf-8-sig")
    assert {"application", "disbursement", "first_overdue", "binding", "complaint", "escalation"} <= set(tl["stage"])


def test_csv_and_xlsx_defuse_formulas(tmp_path):
    assert defuse("=cmd|' /C calc'!A0").startswith("'=")
    assert defuse("+8613800000000") == "+8613800000000"
    p = write_xlsx({"t": pd.DataFrame({"x": ["=1+1", "text"]})}, tmp_path / "t.xlsx", "masked", "title")
    from openpyxl import load_workbook

    ws = load_workbook(p)["t"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    rows = list(csv.reader(io.StringIO("a\n")))
    assert rows == [["a"]]


def test_errors_and_command(run_dir, tmp_path):
    with pytest.raises(RunError, match="R9999"):
        write_referral(run_dir, "R9999", tmp_path / "x")
    with pytest.raises(RunError):
        write_referral(tmp_path / "missing", "R0001", tmp_path / "y")
    with console.capture() as cap:
        res = referral_command(run_dir, "R0001", tmp_path / "cmd", False)
    said = cap.get()
    assert res["ring_id"] == "R0001" and "manifest.json SHA-256" in " ".join(said.split())
    assert HOSTILE[0] not in said


def test_long_tables_are_cut_in_the_pdf_and_name_their_annex(run_dir, tmp_path, monkeypatch):
    from graphring.present.referral import pdf as pdf_mod

    monkeypatch.setitem(pdf_mod.PDF_ROWS, "members", 2)
    monkeypatch.setitem(pdf_mod.PDF_ROWS, "links", 3)
    res = write_referral(run_dir, "R0001", tmp_path / "cut")
    members = pd.read_csv(tmp_path / "cut" / "members.csv", encoding="utf-8-sig")
    assert len(members) > 2                      # the annex keeps every row
    _need_pdftotext()
    text = _pdf_text(tmp_path / "cut" / "referral-R0001.pdf").replace("\n", "")
    assert f"此处列出 2 / {len(members)} 行；完整列表见 members.csv" in text
    assert "完整列表见 links.csv" in text
    html = (tmp_path / "cut" / "referral-R0001.html").read_text(encoding="utf-8")
    assert f"此处列出 2 / {len(members)} 行" in html


def test_i2_spec_is_markdown_and_names_the_roles_of_this_ring(pack):
    res, out = pack
    spec = (out / "i2_import_spec.md").read_text(encoding="utf-8")
    assert "=====" not in spec and "``" not in spec          # no reST left
    assert spec.count("| column | meaning |") == 2
    ent = pd.read_csv(out / "i2_entities.csv", encoding="utf-8-sig", dtype=str)
    role_line = next(line for line in spec.splitlines() if line.startswith("| `Role` |"))
    for role in set(ent["Role"]):
        assert f"`{role}`" in role_line
    assert "organizer" not in role_line or "organizer" in set(ent["Role"])
