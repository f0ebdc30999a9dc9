"""The referral PDF (fpdf2, A4, the shipped CJK font embedded).

Text is drawn as plain text (no markdown, no HTML), so complaint bodies, names
and agent fields show exactly as written, markup included, and run nothing.
Characters the shipped font lacks are shown as ``〓`` (the Chinese
typesetter's mark for a missing glyph) instead of vanishing. Every page
carries the ring id, the page number and the masking statement.

fpdf2 (``pip install fpdf2``) is needed; without it a
:class:`graphring.errors.MissingExtraError` names what to install.

Examples
--------
>>> printable("张三<script>\\x00😀")
'张三<script>〓'
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pandas as pd

from graphring.errors import require
from graphring.present.fonts import FONT_PATH, _cmap
from graphring.present.i18n import kind_name, ref_text, role_name, signal_name, typology_name
from graphring.present.referral.crimes import disclaimer
from graphring.present.ringdata import masking_statement
from graphring.present.referral.selection import (
    AMOUNT_COLS,
    PDF_ROWS,
    money_cols,
    notable_amounts,
    strongest_evidence,
    telling_events,
)

__all__ = ["write_pdf", "printable", "strongest_evidence", "PDF_ROWS"]

_FAMILY = "graphring-cjk"


def printable(text) -> str:
    """Text the PDF can draw: control characters dropped, glyphs missing from the font replaced by ``〓``."""
    if text is None:
        return ""
    try:
        if pd.isna(text):
            return ""
    except (TypeError, ValueError):
        pass
    cm = _cmap()
    out = []
    for ch in str(text):
        if ch in "\n":
            out.append(ch)
        elif ch in "\t\r":
            out.append(" ")
        elif not ch.isprintable():
            continue
        elif ord(ch) in cm or ch == " ":
            out.append(ch)
        else:
            out.append("〓")
    return "".join(out)


def _pdf_class():
    fpdf = require("fpdf", "fpdf2>=2.7", "The referral PDF")

    class ReferralPDF(fpdf.FPDF):
        ring_id = ""
        statement = ""
        reveal = False

        def footer(self):
            self.set_y(-11)
            self.set_font(_FAMILY, size=7)
            self.set_text_color(176, 0, 32) if self.reveal else self.set_text_color(90, 90, 90)
            self.cell(0, 5, printable(f"{self.ring_id} · {self.statement}"), align="L")
            self.set_text_color(90, 90, 90)
            self.set_x(self.l_margin)
            self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    return ReferralPDF


class _Writer:
    def __init__(self, rd, run_date: str, title: str | None = None):
        cls = _pdf_class()
        self.pdf = pdf = cls(orientation="P", unit="mm", format="A4")
        pdf.ring_id, pdf.reveal = rd.ring_id, rd.reveal
        pdf.statement = masking_statement(rd.reveal, getattr(rd, "lang", "zh"))
        for style in ("", "B", "I", "BI"):
            pdf.add_font(_FAMILY, style, str(FONT_PATH))
        pdf.set_margins(12, 12, 12)
        pdf.set_auto_page_break(True, margin=15)
        pdf.set_title(printable(title or f"Referral pack ring {rd.ring_id}"))
        pdf.set_author("graphring")
        pdf.set_creator("graphring")
        try:
            d = _dt.datetime.strptime(run_date[:10], "%Y-%m-%d").replace(tzinfo=_dt.timezone.utc)
            pdf.set_creation_date(d)
        except ValueError:
            pass

    def page(self, landscape: bool = False):
        self.pdf.add_page(orientation="L" if landscape else "P")
        self.pdf.set_font(_FAMILY, size=9)

    def h1(self, text):
        self.pdf.set_font(_FAMILY, size=17)
        self.pdf.multi_cell(0, 8, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(_FAMILY, size=9)

    def h2(self, text):
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(_FAMILY, size=13)
        pdf.multi_cell(0, 7, printable(text), new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y()
        pdf.set_draw_color(60, 60, 60)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(1.5)
        pdf.set_font(_FAMILY, size=9)

    def para(self, text, size=9, colour=(0, 0, 0), fill=None, border=0):
        pdf = self.pdf
        pdf.set_font(_FAMILY, size=size)
        pdf.set_text_color(*colour)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.multi_cell(0, size * 0.5, printable(text), border=border, fill=bool(fill), new_x="LMARGIN",
                       new_y="NEXT", padding=1.5 if border else 0, align="L")
        pdf.set_text_color(0, 0, 0)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_font(_FAMILY, size=9)
        pdf.ln(1)

    def table(self, df: pd.DataFrame, columns, headers=None, widths=None, size=7):
        from fpdf.fonts import FontFace  # lazy: fpdf2 is needed only to write a referral PDF

        pdf = self.pdf
        pdf.set_font(_FAMILY, size=size)
        heads = headers or columns
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.48, first_row_as_headings=True,
                       headings_style=FontFace(fill_color=(230, 230, 230)), repeat_headings=1,
                       padding=0.8, width=pdf.epw) as t:
            r = t.row()
            for h in heads:
                r.cell(printable(h))
            for rec in df[columns].itertuples(index=False, name=None):
                r = t.row()
                for v in rec:
                    r.cell(printable(v))
        pdf.set_font(_FAMILY, size=9)
        pdf.ln(2)

    def kv(self, pairs, size=8.5, labels=("item 项目", "value 内容")):
        df = pd.DataFrame([(str(k), "" if v is None else str(v)) for k, v in pairs], columns=["k", "v"])
        self.table(df, ["k", "v"], list(labels), widths=(55, 131), size=size)

    def image(self, path: Path, landscape: bool):
        pdf = self.pdf
        w = pdf.epw
        from PIL import Image  # lazy: Pillow is needed only to rasterise a diagram

        with Image.open(path) as im:
            ratio = im.height / im.width
        h = w * ratio
        room = pdf.h - pdf.get_y() - pdf.b_margin - 2
        if h > room:
            h = room
            w = h / ratio
        pdf.image(str(path), x=pdf.l_margin + (pdf.epw - w) / 2, w=w, h=h)
        pdf.ln(2)


def _head(df: pd.DataFrame, n: int) -> pd.DataFrame:
    return df.head(n) if len(df) > n else df


def write_pdf(ctx: dict, path: Path) -> int:
    """Write the referral PDF from the pack context; return the number of pages.

    The PDF holds the summary, the diagram, the amounts, the crime-table figures and the strongest
    evidence; each long table shows its first rows (:data:`PDF_ROWS`) and names the CSV/XLSX annex that
    holds all of them, so a 300-borrower ring stays a document of a few dozen pages.
    """
    rd = ctx["rd"]
    lang = ctx.get("lang", "zh")
    T = lambda k, **f: ref_text(k, lang, **f)  # noqa: E731
    r = rd.ring
    t = ctx["tables"]
    w = _Writer(rd, rd.run_date, T("doc_title", ring=rd.ring_id))
    pdf = w.pdf
    reveal = rd.reveal
    DISCLAIMER = disclaimer(lang)

    def capped(df, n, file, columns, headers, widths, size=7):
        w.table(_head(df, n), columns, headers, widths=widths, size=size)
        if len(df) > n:
            w.para(T("shown_of", shown=n, total=len(df), file=file), size=8, colour=(70, 70, 70))

    w.page()
    w.h1(T("title", ring=rd.ring_id))
    w.para(masking_statement(reveal, lang), size=9, colour=(176, 0, 32) if reveal else (60, 60, 60),
           fill=(253, 231, 234) if reveal else (244, 244, 244), border=1)
    w.para(T("no_legal") + " " + DISCLAIMER, size=8.5, fill=(255, 246, 224), border=1)
    w.h2(T("s1"))
    sep = "，" if lang == "zh" else ", "
    size = sep.join(f"{kind_name(k, lang)} {v}" for k, v in sorted((r.get("size") or {}).items()))
    schemes = sep.join(f"{typology_name(k, lang)} {float(v):.2f}" for k, v in
                       sorted((r.get("scheme_scores") or {}).items(), key=lambda kv: -float(kv[1])))
    rob = r.get("robustness") or {}
    typ = str(r.get("typology", ""))
    w.kv([(T("k_ring"), rd.ring_id), (T("k_score"), f"{float(r.get('score', 0)):.3f}"),
          (T("k_typology"), f"{typology_name(typ, lang)} ({typ})"), (T("k_schemes"), schemes),
          (T("k_members"), size),
          (T("k_cut"), f"{rob.get('min_cut_weight', '')} via {', '.join(rob.get('cut_links', []))}"),
          (T("k_run_date"), rd.run_date), (T("k_run"), f"{rd.run_dir} (fingerprint {ctx['fingerprint']})"),
          (T("k_algorithm"), f"{rd.params.get('algorithm', '')}, seed {rd.params.get('seed', '')}"),
          (T("k_version"), ctx["version"])], labels=(T("item"), T("value")))
    w.para(T("amounts_h"), size=10)
    tot = ctx["totals"].reset_index()
    tot = tot.assign(amount=tot["amount"].map(lambda v: f"{v:,.2f}"),
                     third_party_amount=tot["third_party_amount"].map(lambda v: f"{v:,.2f}"))
    w.table(tot, ["label", "count", "members", "amount", "third_party_amount"],
            [T("c_category"), T("c_count"), T("c_members"), T("c_amount"), T("c_third")],
            widths=(62, 22, 24, 40, 38), size=8)

    w.page(landscape=True)
    w.h2(T("s2"))
    if ctx.get("summary_diagram"):
        w.para(T("diagram_note"), size=8, colour=(70, 70, 70))
    w.image(ctx["diagram_png"], landscape=True)

    w.page()
    sig = pd.DataFrame([{"signal": signal_name(s["name"], lang) + "\n" + s["name"], "weight": s.get("weight"),
                         "strength": round(float(s.get("strength", 0)), 3),
                         "contribution": round(float(s.get("contribution", 0)), 3), "reason": s.get("reason", ""),
                         "rows": len(s.get("evidence") or [])} for s in r.get("signals", [])],
                       columns=["signal", "weight", "strength", "contribution", "reason", "rows"])
    w.para(T("signals_h"), size=10)
    w.table(sig, list(sig.columns), [T("c_signal"), T("c_weight"), T("c_strength"), T("c_contribution"),
                                     T("c_reason"), T("c_rows")], widths=(50, 13, 14, 18, 79, 12))
    w.h2(T("s3"))
    mem = t["members"].copy()
    mem["kind_label"] = mem["kind"].map(lambda k: kind_name(k, lang))
    mem["role"] = mem["role"].map(lambda x: role_name(x, lang))
    mem = pd.concat([mem[mem["kind"] != "borrower"], mem[mem["kind"] == "borrower"]], ignore_index=True)
    capped(mem, PDF_ROWS["members"], "members.csv", ["ref", "kind_label", "label", "role", "city"],
           [T("c_ref"), T("c_kind"), T("c_identifier"), T("c_role"), T("c_city")], (24, 42, 62, 34, 24))
    w.h2(T("s4"))
    w.para(T("amounts_note"), size=8, colour=(70, 70, 70))
    abm = t["amounts_by_member"]
    if "outstanding" in abm.columns:
        abm = abm.sort_values("outstanding", ascending=False, kind="stable")
    capped(money_cols(abm), PDF_ROWS["amounts_by_member"], "amounts_by_member.csv", AMOUNT_COLS,
           [T("c_ref"), T("c_member"), T("c_outstanding"), T("c_loans"), T("c_principal"), T("c_repaid"),
            T("c_third"), T("c_compensation")], (21, 28, 23, 13, 25, 24, 24, 28))
    notable = notable_amounts(t["amounts"])
    if len(notable):
        w.para(T("notable_h"), size=10)
        capped(notable, PDF_ROWS["notable"], "amounts.csv",
               ["category", "member_ref", "member", "amount", "date", "detail", "source_file", "row"],
               [T("c_category"), T("c_ref"), T("c_member"), T("c_amount"), T("c_date"), T("c_detail"),
                T("c_source"), T("c_row")], (21, 21, 28, 21, 19, 42, 24, 10))

    w.page(landscape=True)
    w.h2(T("s5"))
    w.image(ctx["timeline_png"], landscape=True)
    w.page()
    w.para(T("timeline_note"), size=8, colour=(70, 70, 70))
    capped(telling_events(t["timeline"]), PDF_ROWS["timeline"], "timeline.csv",
           ["member_ref", "member", "date", "label", "detail", "source_file", "row"],
           [T("c_ref"), T("c_member"), T("c_date"), T("c_event"), T("c_detail"), T("c_source"), T("c_row")],
           (21, 28, 24, 32, 46, 25, 10))

    w.page(landscape=True)
    w.h2(T("s6"))
    w.para(DISCLAIMER, size=8.5, fill=(255, 246, 224), border=1)
    w.table(t["crime_table"], ["crime", "article", "threshold", "figures", "signals", "not_observable"],
            [T("c_crime"), T("c_article"), T("c_threshold"), T("c_figures"), T("c_signals_found"),
             T("c_not_observable")], widths=(40, 14, 38, 92, 52, 37), size=7.5)

    w.page()
    w.h2(T("s7"))
    n_ev = PDF_ROWS["evidence_per_signal"]
    ev = strongest_evidence(t["evidence"], r.get("signals", []), n_ev)
    ev = ev.assign(signal=ev["signal"].map(lambda x: signal_name(x, lang)))
    w.para(T("evidence_h", n=n_ev), size=10)
    w.table(ev, ["evidence_id", "signal", "borrower_ref", "borrower", "entity", "detail", "source_file", "row"],
            [T("c_evidence_id"), T("c_signal"), T("c_ref"), T("c_borrower"), T("c_entity"), T("c_detail"),
             T("c_source"), T("c_row")], widths=(13, 31, 21, 23, 27, 36, 25, 10))
    if len(t["evidence"]) > len(ev):
        w.para(T("shown_of", shown=len(ev), total=len(t["evidence"]), file="evidence.csv"), size=8,
               colour=(70, 70, 70))
    w.para(T("c_link"), size=10)
    capped(t["links"], PDF_ROWS["links"], "links.csv",
           ["link_id", "from_ref", "from", "to_ref", "to", "link_label", "source_file", "row"],
           [T("c_link_id"), T("c_ref"), T("c_from"), T("c_ref"), T("c_to"), T("c_link"), T("c_source"), T("c_row")],
           (13, 21, 30, 21, 30, 36, 25, 10))
    w.para(T("complaints_h"), size=10)
    capped(t["complaints"], PDF_ROWS["complaints"], "complaints.csv",
           ["complaint", "borrower_ref", "borrower", "received_at", "channel", "demand", "agent", "text", "row"],
           [T("c_complaint"), T("c_ref"), T("c_borrower"), T("c_received"), T("c_channel"), T("c_demand"),
            T("c_agent"), T("c_text"), T("c_row")], (13, 19, 19, 18, 15, 22, 16, 55, 9))

    w.h2(T("s8"))
    m = ctx["run_manifest"]
    w.kv([(T("k_run_dir"), rd.run_dir), (T("k_fingerprint"), ctx["fingerprint"]),
          (T("k_rings_sha"), ctx["run_hashes"].get("rings.json", "")), (T("k_data_dir"), m.get("data_dir", "")),
          (T("k_run_version"), m.get("graphring_version", ""))], size=7.5, labels=(T("item"), T("value")))
    inputs = pd.DataFrame(sorted((m.get("inputs_sha256") or {}).items()), columns=["file", "sha256"])
    w.para(T("inputs_h"), size=10)
    w.table(inputs, ["file", "sha256"], [T("c_file"), "SHA-256"], widths=(50, 136), size=7)
    w.para(T("files_h"), size=10)
    files = pd.DataFrame(ctx["files_so_far"])
    w.table(files, ["name", "bytes", "sha256", "description"], [T("c_file"), T("c_bytes"), "SHA-256",
                                                                 T("c_description")], widths=(36, 13, 92, 45), size=6)
    w.para(T("self_hash"), size=8)
    pdf.output(str(path))
    return pdf.pages_count
