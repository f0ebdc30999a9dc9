"""The printable HTML page of a referral pack (A4, self-contained, no script).

Every data value goes through :func:`esc` (``html.escape`` with quotes): the
complaint text, names and agent fields are written by the people under
investigation. Images are embedded as ``data:`` URIs (the diagram as SVG in
an ``<img>``, where no script can run), and a Content-Security-Policy allows
nothing else, so the page works offline and executes nothing.

Examples
--------
>>> esc('<img src=x onerror=alert(1)>')
'&lt;img src=x onerror=alert(1)&gt;'
>>> table_html(pd.DataFrame({"a": ['"onmouseover=alert(1)']}))
'<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&quot;onmouseover=alert(1)</td></tr></tbody></table>'
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

__all__ = ["esc", "table_html", "render_page", "money_cols", "notable_amounts", "telling_events"]

AMOUNT_COLS = ["member_ref", "member", "outstanding", "loans", "loan", "repayment", "third_party_repayment",
               "compensation"]
AMOUNT_HEADS = ["ref 编号", "member 成员", "outstanding 欠款余额", "loans 笔数", "principal 本金", "repaid 已还",
                "by third parties 代偿", "compensation claimed 索赔"]
AMOUNTS_NOTE = ("Per member. Every amount with its source row is in amounts.csv (and the XLSX); "
                "disbursements appear when the run state holds the loan-proceeds payments.")
TIMELINE_NOTE = ("Lifecycle events other than routine repayments; every event with its source row, "
                 "repayments included, is in timeline.csv.")


def money_cols(df: pd.DataFrame) -> pd.DataFrame:
    """Amount columns formatted as ``12,345.00`` for printing."""
    out = df.copy()
    for c in ("outstanding", "loan", "disbursement", "repayment", "third_party_repayment", "compensation", "amount"):
        if c in out.columns:
            out[c] = out[c].map(lambda v: f"{float(v):,.2f}" if pd.notna(v) else "")
    return out


def notable_amounts(amounts: pd.DataFrame) -> pd.DataFrame:
    """Compensation claims and repayments by third parties, one row each, formatted for printing."""
    m = (amounts["category"] == "compensation") | ((amounts["category"] == "repayment") & amounts["third_party"])
    return money_cols(amounts[m])


def telling_events(timeline: pd.DataFrame) -> pd.DataFrame:
    """Timeline events without routine repayments (those by the borrower)."""
    routine = (timeline["stage"] == "repayment") & ~timeline["detail"].astype(str).str.contains("third party")
    return timeline[~routine]

_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
       sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 17pt; margin: 0 0 4pt 0; } h2 { font-size: 13pt; margin: 14pt 0 4pt 0;
     border-bottom: 1.5pt solid #333; page-break-after: avoid; } h3 { font-size: 11pt; margin: 8pt 0 3pt 0; }
.banner { padding: 4pt 6pt; margin: 6pt 0; border: 1pt solid #888; background: #f4f4f4; }
.banner.reveal { border-color: #b00020; background: #fde7ea; color: #b00020; font-weight: bold; }
.disclaimer { padding: 5pt 7pt; margin: 6pt 0; border: 1.5pt solid #b36b00; background: #fff6e0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; font-size: 8pt; page-break-inside: auto; }
th, td { border: 0.5pt solid #999; padding: 2pt 3pt; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; white-space: pre-wrap; }
th { background: #e8e8e8; } tr { page-break-inside: avoid; } thead { display: table-header-group; }
img.figure { width: 100%; border: 0.5pt solid #ccc; } .small { font-size: 8pt; color: #444; }
.kv td:first-child { width: 32%; background: #f6f6f6; } code { font-size: 8pt; overflow-wrap: anywhere; }
.pagebreak { page-break-before: always; }
"""


def esc(value) -> str:
    """HTML-escape any value (``None`` and NaN become ``""``)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def table_html(df: pd.DataFrame, columns: list[str] | None = None, headers: list[str] | None = None) -> str:
    """An escaped HTML table of a DataFrame."""
    cols = columns or list(df.columns)
    heads = headers or cols
    out = ["<table><thead><tr>", "".join(f"<th>{esc(h)}</th>" for h in heads), "</tr></thead><tbody>"]
    for rec in df[cols].itertuples(index=False, name=None):
        out.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in rec) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _kv(pairs) -> str:
    return "<table class='kv'><tbody>" + "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>"
                                                  for k, v in pairs) + "</tbody></table>"


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def render_page(ctx: dict) -> str:
    """The full HTML page from the pack context built by :func:`graphring.referral.pack.write_referral`."""
    rd = ctx["rd"]
    r = rd.ring
    t = ctx["tables"]
    from graphring.referral.crimes import DISCLAIMER
    from graphring.referral.data import masking_statement

    reveal = rd.reveal
    parts = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
             "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; img-src data:; "
             "style-src 'unsafe-inline'\">",
             f"<title>{esc('移送材料 Referral pack — ring ' + rd.ring_id)}</title><style>{_CSS}</style></head><body>"]
    parts.append(f"<h1>{esc('刑事移送材料 Referral pack — 团伙 ring ' + rd.ring_id)}</h1>")
    parts.append(f"<div class='banner{' reveal' if reveal else ''}'>{esc(masking_statement(reveal))}</div>")
    parts.append(f"<div class='disclaimer'><b>{esc('不构成法律结论 No legal conclusion.')}</b> {esc(DISCLAIMER)}</div>")

    # 1 summary
    size = ", ".join(f"{k} {v}" for k, v in sorted((r.get("size") or {}).items()))
    schemes = ", ".join(f"{k} {float(v):.2f}" for k, v in sorted((r.get("scheme_scores") or {}).items(),
                                                                  key=lambda kv: -float(kv[1])))
    rob = r.get("robustness") or {}
    parts.append("<h2>1. 概况 Summary</h2>")
    parts.append(_kv([("ring 团伙", rd.ring_id), ("score 评分 (0–1)", f"{float(r.get('score', 0)):.3f}"),
                      ("typology 类型", r.get("typology", "")), ("scheme scores", schemes), ("members 成员", size),
                      ("weakest link (min cut)", f"{rob.get('min_cut_weight', '')} via {', '.join(rob.get('cut_links', []))}"),
                      ("run date 运行日期", rd.run_date), ("run 运行", f"{rd.run_dir} (fingerprint {ctx['fingerprint']})"),
                      ("algorithm", f"{rd.params.get('algorithm', '')}, seed {rd.params.get('seed', '')}, "
                                    f"resolution {rd.params.get('resolution', '')}"),
                      ("graphring", ctx["version"])]))
    parts.append("<h3>Signals 线索 (weight × strength = contribution)</h3>")
    sig = pd.DataFrame([{"signal": s["name"], "weight": s.get("weight"), "strength": round(float(s.get("strength", 0)), 3),
                         "contribution": round(float(s.get("contribution", 0)), 3),
                         "schemes": ", ".join(s.get("schemes", [])),
                         "reason": s.get("reason", ""), "evidence rows": len(s.get("evidence") or [])}
                        for s in r.get("signals", [])])
    parts.append(table_html(sig) if len(sig) else "<p>none</p>")
    parts.append("<h3>Amounts 涉案金额</h3>")
    parts.append(table_html(money_cols(ctx["totals"].reset_index().rename(columns={"third_party_amount": "third_party_repayment"})),
                            ["label", "count", "members", "amount", "third_party_repayment"],
                            ["category 类别", "count 笔数", "members 人数", "amount CNY 金额", "by third parties 代偿"]))

    # 2 diagram
    parts.append("<h2 class='pagebreak'>2. 关系图 Network diagram</h2>")
    parts.append(f"<img class='figure' alt='ring diagram' src='{_data_uri(ctx['diagram_svg'], 'image/svg+xml')}'>")
    parts.append(f"<p class='small'>{esc('Files: ' + ctx['diagram_svg'].name + ', ' + ctx['diagram_png'].name)}</p>")

    # 3 members
    parts.append("<h2>3. 成员与角色 Members and roles</h2>")
    parts.append(table_html(t["members"], ["ref", "kind_label", "label", "role", "city"],
                            ["ref 编号", "kind 类型", "identifier 标识", "role 角色", "city 城市"]))

    # 4 amounts
    parts.append("<h2>4. 涉案金额明细 Amounts involved</h2>")
    parts.append(f"<p class='small'>{esc(AMOUNTS_NOTE)}</p>")
    parts.append(table_html(money_cols(t["amounts_by_member"]), AMOUNT_COLS, AMOUNT_HEADS))
    notable = notable_amounts(t["amounts"])
    if len(notable):
        parts.append("<h3>Compensation claimed and third-party repayments 索赔及代偿</h3>")
        parts.append(table_html(notable, ["category", "member_ref", "member", "amount", "date", "detail",
                                          "counterparty", "source_file", "row"]))

    # 5 timeline
    parts.append("<h2 class='pagebreak'>5. 时间线 Timeline</h2>")
    parts.append(f"<img class='figure' alt='timeline' src='{_data_uri(ctx['timeline_png'], 'image/png')}'>")
    parts.append(f"<p class='small'>{esc(TIMELINE_NOTE)}</p>")
    parts.append(table_html(telling_events(t["timeline"]), ["member_ref", "member", "date", "label", "detail",
                                                            "source_file", "row"]))

    # 6 crimes
    parts.append("<h2 class='pagebreak'>6. 事实与罪名对照 Facts set against the crime table</h2>")
    parts.append(f"<div class='disclaimer'>{esc(DISCLAIMER)}</div>")
    parts.append(table_html(t["crime_table"], ["crime", "article", "threshold", "figures", "signals", "not_observable"],
                            ["crime 罪名", "article 条文", "threshold in the report 报告所列标准",
                             "this ring's figures 本团伙数据", "signals found 线索", "not in the data 数据无法显示"]))

    # 7 links and evidence
    parts.append("<h2 class='pagebreak'>7. 关联及证据 Links and the evidence rows behind them</h2>")
    parts.append(table_html(t["links"], ["link_id", "from_ref", "from", "to_ref", "to", "link_label", "meaning",
                                         "source_file", "row"]))
    parts.append("<h3>Signal evidence 线索证据</h3>")
    parts.append(table_html(t["evidence"], ["evidence_id", "signal", "borrower_ref", "borrower", "entity", "key",
                                            "detail", "source_file", "row"]))
    parts.append("<h3>Complaint texts 投诉原文 (written by the people under investigation; shown as text)</h3>")
    parts.append(table_html(t["complaints"], ["complaint", "borrower_ref", "borrower", "received_at", "channel",
                                              "demand", "claimed_reason", "agent", "complainant_phone", "text",
                                              "source_file", "row"]))

    # 8 manifest
    parts.append("<h2 class='pagebreak'>8. 证据清单 Manifest</h2>")
    m = ctx["run_manifest"]
    parts.append(_kv([("run directory", rd.run_dir), ("run fingerprint (SHA-256 of run manifest.json, first 16)",
                                                       ctx["fingerprint"]),
                      ("rings.json SHA-256", ctx["run_hashes"].get("rings.json", "")),
                      ("data folder", m.get("data_dir", "")), ("graphring version of the run",
                                                               m.get("graphring_version", ""))]))
    parts.append("<h3>Input files 输入文件</h3>")
    inputs = pd.DataFrame(sorted((m.get("inputs_sha256") or {}).items()), columns=["file", "sha256"])
    parts.append(table_html(inputs))
    parts.append("<h3>Files of this pack 本材料文件</h3>")
    parts.append(table_html(pd.DataFrame(ctx["files_so_far"]), ["name", "bytes", "sha256", "description"]))
    parts.append(f"<p class='small'>{esc(ctx['self_hash_note'])}</p>")
    parts.append(f"<p class='small'>{esc(masking_statement(reveal))} · graphring {esc(ctx['version'])}</p>")
    parts.append("</body></html>\n")
    return "".join(parts)
