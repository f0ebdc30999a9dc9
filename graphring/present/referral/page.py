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
import re
from pathlib import Path

import pandas as pd

from graphring.present.fonts import web_font_css
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

__all__ = ["esc", "table_html", "render_page", "money_cols", "notable_amounts", "telling_events"]

AMOUNT_HEADS = ["ref 编号", "member 成员", "outstanding 欠款余额", "loans 笔数", "principal 本金", "repaid 已还",
                "by third parties 代偿", "compensation claimed 索赔"]
AMOUNTS_NOTE = ("Per member. Every amount with its source row is in amounts.csv (and the XLSX); "
                "disbursements appear when the run state holds the loan-proceeds payments.")
TIMELINE_NOTE = ("Lifecycle events other than routine repayments; every event with its source row, "
                 "repayments included, is in timeline.csv.")


_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
body { font-family: "Graphring CJK Sans", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
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
    """The full HTML page from the pack context built by :func:`graphring.present.referral.pack.write_referral`.

    The same content as the PDF (long tables show their first rows and name the CSV annex with all of
    them), in ``ctx["lang"]``, with the shipped CJK font's glyphs embedded so it prints on any machine.
    """
    rd = ctx["rd"]
    r = rd.ring
    t = ctx["tables"]
    lang = ctx.get("lang", "zh")
    T = lambda k, **f: ref_text(k, lang, **f)  # noqa: E731
    DISCLAIMER = disclaimer(lang)
    reveal = rd.reveal

    def capped(df, n, file, columns, headers):
        out = table_html(df.head(n), columns, headers)
        if len(df) > n:
            out += f"<p class='small'>{esc(T('shown_of', shown=n, total=len(df), file=file))}</p>"
        return out

    parts = [f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>",
             "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; img-src data:; "
             "style-src 'unsafe-inline'; font-src data:\">",
             f"<title>{esc(T('doc_title', ring=rd.ring_id))}</title><style>/*font*/{_CSS}</style></head><body>"]
    parts.append(f"<h1>{esc(T('title', ring=rd.ring_id))}</h1>")
    parts.append(f"<div class='banner{' reveal' if reveal else ''}'>{esc(masking_statement(reveal, lang))}</div>")
    parts.append(f"<div class='disclaimer'><b>{esc(T('no_legal'))}</b> {esc(DISCLAIMER)}</div>")

    # 1 summary
    sep = "，" if lang == "zh" else ", "
    size = sep.join(f"{kind_name(k, lang)} {v}" for k, v in sorted((r.get("size") or {}).items()))
    schemes = sep.join(f"{typology_name(k, lang)} {float(v):.2f}" for k, v in
                       sorted((r.get("scheme_scores") or {}).items(), key=lambda kv: -float(kv[1])))
    rob = r.get("robustness") or {}
    typ = str(r.get("typology", ""))
    parts.append(f"<h2>{esc(T('s1'))}</h2>")
    parts.append(_kv([(T("k_ring"), rd.ring_id), (T("k_score"), f"{float(r.get('score', 0)):.3f}"),
                      (T("k_typology"), f"{typology_name(typ, lang)} ({typ})"), (T("k_schemes"), schemes),
                      (T("k_members"), size),
                      (T("k_cut"), f"{rob.get('min_cut_weight', '')} via {', '.join(rob.get('cut_links', []))}"),
                      (T("k_run_date"), rd.run_date), (T("k_run"), f"{rd.run_dir} (fingerprint {ctx['fingerprint']})"),
                      (T("k_algorithm"), f"{rd.params.get('algorithm', '')}, seed {rd.params.get('seed', '')}, "
                                         f"resolution {rd.params.get('resolution', '')}"),
                      (T("k_version"), ctx["version"])]))
    parts.append(f"<h3>{esc(T('signals_h'))}</h3>")
    sig = pd.DataFrame([{"signal": signal_name(s["name"], lang), "code": s["name"], "weight": s.get("weight"),
                         "strength": round(float(s.get("strength", 0)), 3),
                         "contribution": round(float(s.get("contribution", 0)), 3),
                         "schemes": ", ".join(typology_name(x, lang) for x in s.get("schemes", [])),
                         "reason": s.get("reason", ""), "rows": len(s.get("evidence") or [])}
                        for s in r.get("signals", [])])
    parts.append(table_html(sig, list(sig.columns), [T("c_signal"), T("c_code"), T("c_weight"), T("c_strength"),
                                                     T("c_contribution"), T("k_typology"), T("c_reason"), T("c_rows")])
                 if len(sig) else f"<p>{esc(T('none'))}</p>")
    parts.append(f"<h3>{esc(T('amounts_h'))}</h3>")
    parts.append(table_html(money_cols(ctx["totals"].reset_index().rename(columns={"third_party_amount": "third_party_repayment"})),
                            ["label", "count", "members", "amount", "third_party_repayment"],
                            [T("c_category"), T("c_count"), T("c_members"), T("c_amount"), T("c_third")]))

    # 2 diagram
    parts.append(f"<h2 class='pagebreak'>{esc(T('s2'))}</h2>")
    if ctx.get("summary_diagram"):
        parts.append(f"<p class='small'>{esc(T('diagram_note'))}</p>")
    parts.append(f"<img class='figure' alt='ring diagram' src='{_data_uri(ctx['diagram_svg'], 'image/svg+xml')}'>")
    parts.append(f"<p class='small'>{esc(T('files_diagram') + ctx['diagram_svg'].name + ', ' + ctx['diagram_png'].name)}</p>")

    # 3 members
    parts.append(f"<h2>{esc(T('s3'))}</h2>")
    mem = t["members"].copy()
    mem["kind_label"] = mem["kind"].map(lambda k: kind_name(k, lang))
    mem["role"] = mem["role"].map(lambda x: role_name(x, lang))
    mem = pd.concat([mem[mem["kind"] != "borrower"], mem[mem["kind"] == "borrower"]], ignore_index=True)
    parts.append(capped(mem, PDF_ROWS["members"], "members.csv", ["ref", "kind_label", "label", "role", "city"],
                        [T("c_ref"), T("c_kind"), T("c_identifier"), T("c_role"), T("c_city")]))

    # 4 amounts
    parts.append(f"<h2>{esc(T('s4'))}</h2>")
    parts.append(f"<p class='small'>{esc(T('amounts_note'))}</p>")
    abm = t["amounts_by_member"]
    if "outstanding" in abm.columns:
        abm = abm.sort_values("outstanding", ascending=False, kind="stable")
    parts.append(capped(money_cols(abm), PDF_ROWS["amounts_by_member"], "amounts_by_member.csv", AMOUNT_COLS,
                        [T("c_ref"), T("c_member"), T("c_outstanding"), T("c_loans"), T("c_principal"),
                         T("c_repaid"), T("c_third"), T("c_compensation")]))
    notable = notable_amounts(t["amounts"])
    if len(notable):
        parts.append(f"<h3>{esc(T('notable_h'))}</h3>")
        parts.append(capped(notable, PDF_ROWS["notable"], "amounts.csv",
                            ["category", "member_ref", "member", "amount", "date", "detail", "counterparty",
                             "source_file", "row"],
                            [T("c_category"), T("c_ref"), T("c_member"), T("c_amount"), T("c_date"), T("c_detail"),
                             T("c_to"), T("c_source"), T("c_row")]))

    # 5 timeline
    parts.append(f"<h2 class='pagebreak'>{esc(T('s5'))}</h2>")
    parts.append(f"<img class='figure' alt='timeline' src='{_data_uri(ctx['timeline_png'], 'image/png')}'>")
    parts.append(f"<p class='small'>{esc(T('timeline_note'))}</p>")
    parts.append(capped(telling_events(t["timeline"]), PDF_ROWS["timeline"], "timeline.csv",
                        ["member_ref", "member", "date", "label", "detail", "source_file", "row"],
                        [T("c_ref"), T("c_member"), T("c_date"), T("c_event"), T("c_detail"), T("c_source"),
                         T("c_row")]))

    # 6 crimes
    parts.append(f"<h2 class='pagebreak'>{esc(T('s6'))}</h2>")
    parts.append(f"<div class='disclaimer'>{esc(DISCLAIMER)}</div>")
    parts.append(table_html(t["crime_table"], ["crime", "article", "threshold", "figures", "signals", "not_observable"],
                            [T("c_crime"), T("c_article"), T("c_threshold"), T("c_figures"), T("c_signals_found"),
                             T("c_not_observable")]))

    # 7 evidence and links
    parts.append(f"<h2 class='pagebreak'>{esc(T('s7'))}</h2>")
    n_ev = PDF_ROWS["evidence_per_signal"]
    ev = strongest_evidence(t["evidence"], r.get("signals", []), n_ev)
    ev = ev.assign(signal=ev["signal"].map(lambda x: signal_name(x, lang)))
    parts.append(f"<h3>{esc(T('evidence_h', n=n_ev))}</h3>")
    parts.append(table_html(ev, ["evidence_id", "signal", "borrower_ref", "borrower", "entity", "key", "detail",
                                 "source_file", "row"],
                            [T("c_evidence_id"), T("c_signal"), T("c_ref"), T("c_borrower"), T("c_entity"),
                             T("c_code"), T("c_detail"), T("c_source"), T("c_row")]))
    if len(t["evidence"]) > len(ev):
        parts.append(f"<p class='small'>{esc(T('shown_of', shown=len(ev), total=len(t['evidence']), file='evidence.csv'))}</p>")
    parts.append(f"<h3>{esc(T('c_link'))}</h3>")
    parts.append(capped(t["links"], PDF_ROWS["links"], "links.csv",
                        ["link_id", "from_ref", "from", "to_ref", "to", "link_label", "meaning", "source_file", "row"],
                        [T("c_link_id"), T("c_ref"), T("c_from"), T("c_ref"), T("c_to"), T("c_link"), T("c_reason"),
                         T("c_source"), T("c_row")]))
    parts.append(f"<h3>{esc(T('complaints_h'))}</h3>")
    parts.append(capped(t["complaints"], PDF_ROWS["complaints"], "complaints.csv",
                        ["complaint", "borrower_ref", "borrower", "received_at", "channel", "demand", "claimed_reason",
                         "agent", "complainant_phone", "text", "source_file", "row"],
                        [T("c_complaint"), T("c_ref"), T("c_borrower"), T("c_received"), T("c_channel"),
                         T("c_demand"), T("c_reason"), T("c_agent"), T("c_from"), T("c_text"), T("c_source"),
                         T("c_row")]))

    # 8 manifest
    parts.append(f"<h2 class='pagebreak'>{esc(T('s8'))}</h2>")
    m = ctx["run_manifest"]
    parts.append(_kv([(T("k_run_dir"), rd.run_dir), (T("k_fingerprint"), ctx["fingerprint"]),
                      (T("k_rings_sha"), ctx["run_hashes"].get("rings.json", "")),
                      (T("k_data_dir"), m.get("data_dir", "")), (T("k_run_version"), m.get("graphring_version", ""))]))
    parts.append(f"<h3>{esc(T('inputs_h'))}</h3>")
    inputs = pd.DataFrame(sorted((m.get("inputs_sha256") or {}).items()), columns=["file", "sha256"])
    parts.append(table_html(inputs, ["file", "sha256"], [T("c_file"), "SHA-256"]))
    parts.append(f"<h3>{esc(T('files_h'))}</h3>")
    parts.append(table_html(pd.DataFrame(ctx["files_so_far"]), ["name", "bytes", "sha256", "description"],
                            [T("c_file"), T("c_bytes"), "SHA-256", T("c_description")]))
    parts.append(f"<p class='small'>{esc(T('self_hash'))}</p>")
    parts.append(f"<p class='small'>{esc(masking_statement(reveal, lang))} · graphring {esc(ctx['version'])}</p>")
    parts.append("</body></html>\n")
    page = "".join(parts)
    # glyphs for the text only: the embedded images carry their own
    text = re.sub(r"src='data:[^']*'", "", page)
    return page.replace("/*font*/", web_font_css(text), 1)
