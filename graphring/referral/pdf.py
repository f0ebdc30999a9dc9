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

__all__ = ["write_pdf", "printable"]

_FAMILY = "graphring-cjk"


def printable(text) -> str:
    """Text the PDF can draw: control characters dropped, glyphs missing from the font replaced by ``〓``."""
    from graphring.fonts import _cmap

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
    fpdf = require("fpdf", "pdf", "The referral PDF")

    class ReferralPDF(fpdf.FPDF):
        ring_id = ""
        statement = ""
        reveal = False

        def footer(self):
            self.set_y(-11)
            self.set_font(_FAMILY, size=7)
            self.set_text_color(176, 0, 32) if self.reveal else self.set_text_color(90, 90, 90)
            self.cell(0, 5, printable(f"Ring {self.ring_id} · {self.statement}"), align="L")
            self.set_text_color(90, 90, 90)
            self.set_x(self.l_margin)
            self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    return ReferralPDF


class _Writer:
    def __init__(self, rd, run_date: str):
        from graphring.fonts import FONT_PATH
        from graphring.referral.data import masking_statement

        cls = _pdf_class()
        self.pdf = pdf = cls(orientation="P", unit="mm", format="A4")
        pdf.ring_id, pdf.reveal, pdf.statement = rd.ring_id, rd.reveal, masking_statement(rd.reveal)
        for style in ("", "B", "I", "BI"):
            pdf.add_font(_FAMILY, style, str(FONT_PATH))
        pdf.set_margins(12, 12, 12)
        pdf.set_auto_page_break(True, margin=15)
        pdf.set_title(printable(f"Referral pack ring {rd.ring_id}"))
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
        from fpdf.fonts import FontFace

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

    def kv(self, pairs, size=8.5):
        df = pd.DataFrame([(str(k), "" if v is None else str(v)) for k, v in pairs], columns=["k", "v"])
        self.table(df, ["k", "v"], ["item 项目", "value 内容"], widths=(55, 131), size=size)

    def image(self, path: Path, landscape: bool):
        pdf = self.pdf
        w = pdf.epw
        from PIL import Image

        with Image.open(path) as im:
            ratio = im.height / im.width
        h = w * ratio
        room = pdf.h - pdf.get_y() - pdf.b_margin - 2
        if h > room:
            h = room
            w = h / ratio
        pdf.image(str(path), x=pdf.l_margin + (pdf.epw - w) / 2, w=w, h=h)
        pdf.ln(2)


def write_pdf(ctx: dict, path: Path) -> int:
    """Write the referral PDF from the pack context; return the number of pages."""
    from graphring.referral.crimes import DISCLAIMER
    from graphring.referral.data import masking_statement
    from graphring.referral.page import (AMOUNT_COLS, AMOUNT_HEADS, AMOUNTS_NOTE, TIMELINE_NOTE, money_cols,
                                         notable_amounts, telling_events)

    rd = ctx["rd"]
    r = rd.ring
    t = ctx["tables"]
    w = _Writer(rd, rd.run_date)
    pdf = w.pdf
    reveal = rd.reveal

    w.page()
    w.h1(f"刑事移送材料 Referral pack — 团伙 ring {rd.ring_id}")
    w.para(masking_statement(reveal), size=9, colour=(176, 0, 32) if reveal else (60, 60, 60),
           fill=(253, 231, 234) if reveal else (244, 244, 244), border=1)
    w.para("不构成法律结论 No legal conclusion. " + DISCLAIMER, size=8.5, fill=(255, 246, 224), border=1)
    w.h2("1. 概况 Summary")
    size = ", ".join(f"{k} {v}" for k, v in sorted((r.get("size") or {}).items()))
    schemes = ", ".join(f"{k} {float(v):.2f}" for k, v in sorted((r.get("scheme_scores") or {}).items(),
                                                                  key=lambda kv: -float(kv[1])))
    rob = r.get("robustness") or {}
    w.kv([("ring 团伙", rd.ring_id), ("score 评分 (0–1)", f"{float(r.get('score', 0)):.3f}"),
          ("typology 类型", r.get("typology", "")), ("scheme scores", schemes), ("members 成员", size),
          ("weakest link (min cut)", f"{rob.get('min_cut_weight', '')} via {', '.join(rob.get('cut_links', []))}"),
          ("run date 运行日期", rd.run_date), ("run 运行", f"{rd.run_dir} (fingerprint {ctx['fingerprint']})"),
          ("algorithm", f"{rd.params.get('algorithm', '')}, seed {rd.params.get('seed', '')}"),
          ("graphring", ctx["version"])])
    sig = pd.DataFrame([{"signal": s["name"], "weight": s.get("weight"), "strength": round(float(s.get("strength", 0)), 3),
                         "contribution": round(float(s.get("contribution", 0)), 3), "reason": s.get("reason", ""),
                         "rows": len(s.get("evidence") or [])} for s in r.get("signals", [])],
                       columns=["signal", "weight", "strength", "contribution", "reason", "rows"])
    w.para("Signals 线索 (weight × strength = contribution)", size=10)
    w.table(sig, list(sig.columns), widths=(44, 13, 14, 18, 85, 12))
    w.para("Amounts 涉案金额", size=10)
    tot = ctx["totals"].reset_index()
    tot = tot.assign(amount=tot["amount"].map(lambda v: f"{v:,.2f}"),
                     third_party_amount=tot["third_party_amount"].map(lambda v: f"{v:,.2f}"))
    w.table(tot, ["label", "count", "members", "amount", "third_party_amount"],
            ["category 类别", "count 笔数", "members 人数", "amount CNY 金额", "by third parties 代偿"],
            widths=(62, 22, 24, 40, 38), size=8)

    w.page(landscape=True)
    w.h2("2. 关系图 Network diagram")
    w.image(ctx["diagram_png"], landscape=True)

    w.page()
    w.h2("3. 成员与角色 Members and roles")
    w.table(t["members"], ["ref", "kind_label", "label", "role", "city"],
            ["ref 编号", "kind 类型", "identifier 标识", "role 角色", "city 城市"], widths=(24, 42, 62, 34, 24))
    w.h2("4. 涉案金额 Amounts involved")
    w.para(AMOUNTS_NOTE, size=8, colour=(70, 70, 70))
    w.table(money_cols(t["amounts_by_member"]), AMOUNT_COLS, AMOUNT_HEADS, widths=(21, 28, 23, 13, 25, 24, 24, 28))
    notable = notable_amounts(t["amounts"])
    if len(notable):
        w.para("Compensation claimed and third-party repayments 索赔及代偿", size=10)
        w.table(notable, ["category", "member_ref", "member", "amount", "date", "detail", "source_file", "row"],
                widths=(21, 21, 28, 21, 19, 42, 24, 10))

    w.page(landscape=True)
    w.h2("5. 时间线 Timeline")
    w.image(ctx["timeline_png"], landscape=True)
    w.page()
    w.para(TIMELINE_NOTE, size=8, colour=(70, 70, 70))
    w.table(telling_events(t["timeline"]), ["member_ref", "member", "date", "label", "detail", "source_file", "row"],
            widths=(21, 28, 24, 32, 46, 25, 10))

    w.page(landscape=True)
    w.h2("6. 事实与罪名对照 Facts set against the crime table")
    w.para(DISCLAIMER, size=8.5, fill=(255, 246, 224), border=1)
    w.table(t["crime_table"], ["crime", "article", "threshold", "figures", "signals", "not_observable"],
            ["crime 罪名", "article 条文", "threshold in the report 报告所列标准", "this ring's figures 本团伙数据",
             "signals found 线索", "not in the data 数据无法显示"], widths=(40, 14, 38, 92, 52, 37), size=7.5)

    w.page()
    w.h2("7. 关联及证据 Links and the evidence rows behind them")
    w.table(t["links"], ["link_id", "from_ref", "from", "to_ref", "to", "link_label", "source_file", "row"],
            widths=(13, 21, 30, 21, 30, 36, 25, 10))
    w.para("Signal evidence 线索证据", size=10)
    w.table(t["evidence"], ["evidence_id", "signal", "borrower_ref", "borrower", "entity", "detail", "source_file",
                            "row"], widths=(13, 31, 21, 23, 27, 36, 25, 10))
    w.para("Complaint texts 投诉原文 (written by the people under investigation; shown as text)", size=10)
    w.table(t["complaints"], ["complaint", "borrower_ref", "borrower", "received_at", "channel", "demand", "agent",
                              "text", "row"], widths=(13, 19, 19, 18, 15, 22, 16, 55, 9))

    w.page()
    w.h2("8. 证据清单 Manifest")
    m = ctx["run_manifest"]
    w.kv([("run directory", rd.run_dir), ("run fingerprint", ctx["fingerprint"]),
          ("rings.json SHA-256", ctx["run_hashes"].get("rings.json", "")), ("data folder", m.get("data_dir", "")),
          ("graphring version of the run", m.get("graphring_version", ""))], size=7.5)
    inputs = pd.DataFrame(sorted((m.get("inputs_sha256") or {}).items()), columns=["file", "sha256"])
    w.para("Input files 输入文件", size=10)
    w.table(inputs, ["file", "sha256"], widths=(50, 136), size=7)
    w.para("Files of this pack 本材料文件", size=10)
    files = pd.DataFrame(ctx["files_so_far"])
    w.table(files, ["name", "bytes", "sha256", "description"], widths=(36, 13, 92, 45), size=6)
    w.para(ctx["self_hash_note"], size=8)
    pdf.output(str(path))
    return pdf.pages_count
