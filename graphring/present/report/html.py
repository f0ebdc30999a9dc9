"""Self-contained HTML pages: the triage index of ranked rings and one network page per ring.

Pages have no external resource at all: the vis-network standalone build
shipped in ``graphring/present/report/assets`` (vis-network 10.1.5, Apache-2.0 OR MIT),
our styles and scripts are inlined, so a page works from ``file://`` with no
network, and a notebook can display the returned string. A
Content-Security-Policy meta tag forbids every fetch and allows only the
page's own scripts (by SHA-256 hash), so even a value that escaped escaping
could not run or load anything.

Why not pyvis' HTML: pyvis' ``cdn_resources="in_line"``/``"local"`` still
reference CDN files (pyvis issues #159, #228) and its template writes node
titles as HTML. The pages here build vis-network data directly
(:mod:`graphring.present.report.graph`).

Examples
--------
>>> page = render_page_skeleton("x <y>")
>>> "<title>x &lt;y&gt;</title>" in page and "https://" not in page
True
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources
from string import Template

import graphring
from graphring.present.fonts import web_font_css
from graphring.present.i18n import (
    MESSAGES,
    check_lang,
    js_texts,
    kind_name,
    link_name,
    msg,
    ring_link_name,
    signal_name,
    status_name,
    typology_name,
)
from graphring.present.privacy import Masker, mask_entity
from graphring.present.report.data import ReportRun
from graphring.present.report.families import family_of, link_examples
from graphring.present.report.graph import money, ring_graph, vis_options
from graphring.present.report.safe import esc, inline_code, mask_free_text, script_json

__all__ = ["render_index", "render_ring", "ring_filename", "REVEAL_BANNER", "render_page_skeleton", "as_iframe"]

#: Text of the banner on every page written with ``reveal=True`` (English; the pages use :mod:`graphring.present.i18n`).
REVEAL_BANNER = MESSAGES["en"]["reveal_banner"]
MASKED_NOTE = MESSAGES["en"]["masked_note"]


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("graphring.present.report").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    return Template(resources.files("graphring.present.report").joinpath("templates", name).read_text(encoding="utf-8"))


def _sha(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def _with_csp(page: str, scripts: list[str]) -> str:
    """Replace the template's script-src with the hashes of the page's own inline scripts."""
    hashes = " ".join(_sha("\n" + s + "\n") for s in scripts)
    return re.sub(r"script-src [^;]*;", f"script-src {hashes};", page, count=1)


def _banner(reveal: bool, lang: str = "zh") -> str:
    if reveal:
        return (f'<div class="banner revealed" role="alert" id="reveal-banner">&#9888; '
                f'{esc(msg("reveal_banner", lang))}</div>')
    return f'<div class="banner masked" id="masked-note">{esc(msg("masked_note", lang))}</div>'


_FONT_SLOT = "/*graphring-font-face*/"


def _with_font(page: str, skip: tuple[str, ...] = ()) -> str:
    """Embed the shipped CJK font's glyphs for every character of the page (but the ``skip`` code)."""
    text = page
    for code in skip:
        text = text.replace(code, "")
    return page.replace(_FONT_SLOT, web_font_css(text), 1)


_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def ring_filename(ring_id: str) -> str:
    """File name of a ring page (ids that are not plain are hashed).

    Examples
    --------
    >>> ring_filename("R0001")
    'ring-R0001.html'
    >>> ring_filename("../x")[:5], ring_filename("../x")[-5:]
    ('ring-', '.html')
    """
    rid = str(ring_id)
    if not _SAFE_ID.match(rid) or rid.startswith("."):
        rid = "x" + hashlib.sha256(rid.encode("utf-8")).hexdigest()[:16]
    return f"ring-{rid}.html"


def render_page_skeleton(title: str) -> str:
    """A minimal page with the report styles (used by doctests and error pages)."""
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title><style>"
            + inline_code(_asset("report.css"), "style") + "</style></head><body></body></html>")


def _run_meta(rr: ReportRun, lang: str = "zh") -> str:
    p = rr.params
    bits = [f"graphring {p.get('graphring_version', graphring.__version__)}"]
    if p.get("algorithm"):
        bits.append(msg("meta_algorithm", lang, algorithm=p.get("algorithm"), seed=p.get("seed")))
    bits.append(msg("meta_rings", lang, n=len(rr.rings)))
    return " · ".join(esc(b) for b in bits)


def _kinds_text(size: dict, lang: str = "zh") -> str:
    order = sorted(size.items(), key=lambda kv: (kv[0] != "borrower", -int(kv[1]), kv[0]))
    sep = "，" if lang == "zh" else ", "
    return sep.join(msg("kinds_item", lang, n=int(n), kind=kind_name(k, lang)) for k, n in order)


def render_index(run, top: int | None = None, reveal: bool = False, lang: str = "zh",
                 packs: dict | None = None) -> str:
    """The triage page of the ranked rings as one self-contained HTML string.

    Parameters
    ----------
    run : path, dict or ReportRun
        A run directory written by ``graphring rings``, the dict of
        :func:`graphring.run.read_run`, or a loaded :class:`ReportRun`.
    top : int, optional
        Only the ``top`` highest-ranked rings.
    reveal : bool
        Show identifiers unmasked (the page then carries a visible banner).
    lang : {"zh", "en"}
        Language of the page (Simplified Chinese by default).
    packs : dict, optional
        Ring id -> relative link of its referral pack (the index links each ring that has one).

    Returns
    -------
    str
        HTML; each row links to ``ring-<id>.html`` beside it.
    """
    lang = check_lang(lang)
    rr = ReportRun.load(run)
    rings = rr.rings[:top] if top else rr.rings
    summ = rr.summaries()
    packs = packs or {}
    hist = _history(rr)
    shown_ids = {str(r["ring_id"]) for r in rings}
    fams = {fid: f for fid, f in rr.families().items() if shown_ids.intersection(f["rings"])}
    fam_of = family_of(fams)
    rows = []
    for rank, r in enumerate(rings, start=1):
        rid = str(r["ring_id"])
        s = summ.loc[rid] if rid in summ.index else None
        size = r.get("size") or {}
        sigs = [x for x in r.get("signals", [])][:3]
        sig_html = "<br>".join(
            f'<span title="{esc(x.get("reason"))}" data-code="{esc(x.get("name"))}">'
            f'{esc(signal_name(x.get("name"), lang))}</span> '
            f'<span class="muted">{float(x.get("contribution") or 0):.3f}</span>' for x in sigs)
        score = float(r.get("score") or 0)
        out = float(s["outstanding"]) if s is not None else 0.0
        la = float(s["loan_amount"]) if s is not None else 0.0
        nl = int(s["loans"]) if s is not None else 0
        first = s["first_activity"] if s is not None and isinstance(s["first_activity"], str) else ""
        last = s["last_activity"] if s is not None and isinstance(s["last_activity"], str) else ""
        typ = str(r.get("typology") or "")
        href = ring_filename(rid)
        pack = packs.get(rid)
        pack_html = f' <a class="pack" href="{esc(pack)}">{esc(msg("pack_link", lang))}</a>' if pack else ""
        status_cell = f'<td class="status">{_status_html(hist.get(rid), lang, reveal)}</td>' if hist is not None else ""
        family_cell = _family_cell(rid, fam_of, fams, shown_ids, lang) if fams else ""
        rows.append(
            f'<tr data-href="{esc(href)}" data-typology="{esc(typ)}">'
            f'<td class="num" data-sort="{rank}">{rank}</td>'
            f'<td><a href="{esc(href)}">{esc(rid)}</a>{pack_html}</td>'
            f'<td class="num" data-sort="{score:.6f}">{score:.3f}'
            f'<span class="score-bar" style="width:{int(40 * min(max(score, 0), 1))}px"></span></td>'
            f'<td class="typ" data-code="{esc(typ)}">{esc(typology_name(typ, lang))}</td>'
            + status_cell + family_cell +
            f'<td class="num" data-sort="{int(size.get("borrower", 0))}">{int(size.get("borrower", 0))}</td>'
            f'<td class="kinds">{esc(_kinds_text(size, lang))}</td>'
            f'<td class="num" data-sort="{out:.2f}">{esc(money(out))}</td>'
            f'<td class="num" data-sort="{la:.2f}">{esc(money(la))}<br><span class="muted">'
            f'{esc(msg("loans_n", lang, n=nl))}</span></td>'
            f'<td class="sig">{sig_html}</td>'
            f'<td class="date" data-sort="{esc(first)}">{esc(first)}</td>'
            f'<td class="date" data-sort="{esc(last)}">{esc(last)}</td></tr>')
    heads = [("col_rank", "num", "rank"), ("col_ring", "str", "ring"), ("col_score", "num", "score"),
             ("col_typology", "str", "typology")]
    if hist is not None:
        heads.append(("col_status", "str", "status"))
    if fams:
        heads.append(("col_family", "str", "family"))
    heads += [("col_borrowers", "num", "borrowers"), ("col_kinds", "str", "kinds"),
              ("col_outstanding", "num", "outstanding"), ("col_loans", "num", "loans"),
              ("col_signals", "str", "signals"), ("col_first", "str", "first"), ("col_last", "str", "last")]
    if rows:
        table = ('<table class="rings" id="rings"><thead><tr>'
                 + "".join(f'<th scope="col" data-type="{t}" data-col="{c}">{esc(msg(h, lang))}</th>'
                           for h, t, c in heads)
                 + "</tr></thead><tbody>" + "\n".join(rows) + "</tbody></table>")
    else:
        table = f'<p class="empty">{esc(msg("no_rings", lang))}</p>'
    typs = sorted({str(r.get("typology") or "") for r in rings} - {""})
    shown = (msg("rings_of", lang, n=len(rings), total=len(rr.rings)) if top and len(rings) < len(rr.rings)
             else msg("rings_n", lang, n=len(rings)))
    js = inline_code(_asset("index.js"), "script")
    extra = _history_gone_html(hist, rr, lang) + _families_html(rr, fams, shown_ids, reveal, lang) + _hubs_html(
        rr, lang, reveal)
    page = _template("index.html").substitute(
        lang="zh-CN" if lang == "zh" else "en",
        version=esc(graphring.__version__), title=esc(msg("index_title", lang)),
        fontcss=_FONT_SLOT, css=inline_code(_asset("report.css"), "style"),
        meta=_run_meta(rr, lang), banner=_banner(reveal, lang),
        filter_placeholder=esc(msg("filter_placeholder", lang)), filter_label=esc(msg("filter_label", lang)),
        typology_label=esc(msg("typology", lang)), all=esc(msg("all", lang)),
        typology_options="".join(f'<option value="{esc(t)}">{esc(typology_name(t, lang))}</option>' for t in typs),
        count_text=esc(shown), table=table, extra=extra,
        shown_tpl=esc(msg("rings_shown", lang, n="{n}", total="{total}")),
        count_note=esc(msg("top_note", lang, n=len(rings), total=len(rr.rings)) if len(rings) < len(rr.rings) else ""),
        footer=esc(msg("index_footer", lang)),
        js=js)
    return _with_font(_with_csp(page, [js]), (js,))


def _history(rr: ReportRun) -> dict | None:
    """Ring id -> its entry of ``ring_history.json`` (None when the run was not compared with a previous one)."""
    h = getattr(rr, "history", None)
    if not h:
        return None
    return {str(x.get("ring_id")): x for x in h.get("rings", []) if x.get("ring_id")}


def _status_html(entry: dict | None, lang: str, reveal: bool = False) -> str:
    if not entry:
        return ""
    status = str(entry.get("status") or "")
    bits = [f'<span class="hstatus hs-{esc(status)}" data-code="{esc(status)}">{esc(status_name(status, lang))}</span>']
    came, went = list(entry.get("joined") or []), list(entry.get("left") or [])
    change = []
    if came:
        change.append(msg("history_came", lang, n=len(came)))
    if went:
        change.append(msg("history_went", lang, n=len(went)))
    if change:
        who = []
        for sign, ids in (("+", came), ("−", went)):
            who += [sign + mask_entity("borrower", b, reveal) for b in ids[:8]]
        bits.append(f'<span class="muted" title="{esc(" ".join(who))}">{esc(" · ".join(change))}</span>')
    prev = [p for p in str(entry.get("previous") or "").split(";") if p and p != str(entry.get("ring_id"))]
    if prev:
        bits.append(f'<span class="muted">{esc(msg("history_prev", lang, ids=", ".join(prev)))}</span>')
    return "<br>".join(bits)


def _history_gone_html(hist: dict | None, rr: ReportRun, lang: str) -> str:
    h = getattr(rr, "history", None) or {}
    gone = [str(x.get("ring_id")) for x in h.get("gone", [])]
    if hist is None or not gone:
        return ""
    return f'<p class="gone" id="gone">{esc(msg("history_gone", lang, ids=", ".join(gone)))}</p>'


def _family_anchor(family) -> str:
    return "family-" + str(family)


def _ring_refs(ids, shown, lang: str) -> str:
    """Ring ids as links to their pages (plain, marked, for rings without a page in this report)."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(f'<a href="{esc(ring_filename(r))}">{esc(r)}</a>' if r in shown else
                    f'<span class="muted" title="{esc(msg("family_not_shown", lang))}">{esc(r)}</span>' for r in ids)


def _family_cell(rid: str, fam_of: dict, fams: dict, shown: set, lang: str) -> str:
    """The index row's family: its id (a link to the family below the table) and links to its family-mates.

    The mates sit in ``span.mates``, which the filter leaves out (filtering by a ring id finds that ring).
    """
    fid = fam_of.get(rid)
    if fid is None:
        return '<td class="family" data-sort="~"></td>'
    mates = [r for r in fams[fid]["rings"] if r != rid]
    return (f'<td class="family" data-sort="{esc(fid)}">'
            f'<a class="fam" href="#{esc(_family_anchor(fid))}">{esc(fid)}</a>'
            f'<span class="mates"><br><span class="muted">{esc(msg("family_mates", lang))}</span>'
            f'{_ring_refs(mates, shown, lang)}</span></td>')


def _link_n(rec: dict, lang: str) -> str:
    n = int(rec.get("n") or 0)
    return msg("family_n_script" if rec.get("kind") == "script" else "family_n_ident", lang, n=n)


def _examples_html(rec: dict, masker, lang: str) -> str:
    return "<br>".join(esc(x) for x in link_examples(rec, masker, lang))


def _families_html(rr: ReportRun, fams: dict, shown: set, reveal: bool, lang: str) -> str:
    """The families of linked rings (全链条): each family's rings together, and what links them."""
    if not fams:
        return ""
    masker = Masker(reveal=reveal)  # examples are identifiers: masked by kind (no free text, no names to find)
    sep = "、" if lang == "zh" else "; "
    rank = {str(r["ring_id"]): i for i, r in enumerate(rr.rings, start=1)}
    ring_heads = "".join(f'<th scope="col">{esc(msg(k, lang))}</th>'
                         for k in ("col_rank", "col_ring", "col_score", "col_typology", "col_borrowers"))
    link_heads = "".join(f'<th scope="col">{esc(msg(k, lang))}</th>' for k in (
        "family_col_pair", "family_col_kind", "family_col_n",
        "family_col_examples" if reveal else "family_col_examples_masked"))
    out = [f'<section class="families" id="families"><h2>{esc(msg("families_title", lang))}</h2>'
           f'<p class="muted">{esc(msg("families_intro", lang))}</p>']
    for fid, f in fams.items():
        kinds = sep.join(ring_link_name(k, lang) for k in f["kinds"])
        rows = []
        for rid in f["rings"]:
            r = rr._by_id.get(rid) or {}
            typ = str(r.get("typology") or "")
            nb = int((r.get("size") or {}).get("borrower", 0))
            rows.append(f'<tr data-ring="{esc(rid)}"><td class="num">{esc(rank.get(rid, ""))}</td>'
                        f'<td>{_ring_refs([rid], shown, lang)}</td>'
                        f'<td class="num">{float(r.get("score") or 0):.3f}</td>'
                        f'<td class="typ" data-code="{esc(typ)}">{esc(typology_name(typ, lang))}</td>'
                        f'<td class="num">{nb}</td></tr>')
        links = []
        for rec in f["links"]:
            pair = [str(x) for x in rec.get("rings") or []]
            kind = str(rec.get("kind") or "")
            links.append(f'<tr><td>{_ring_refs(pair, shown, lang)}</td>'
                         f'<td data-code="{esc(kind)}">{esc(ring_link_name(kind, lang))}</td>'
                         f'<td class="num">{esc(_link_n(rec, lang))}</td>'
                         f'<td class="examples">{_examples_html(rec, masker, lang)}</td></tr>')
        out.append(f'<div class="family" id="{esc(_family_anchor(fid))}" data-family="{esc(fid)}">'
                   f'<h3>{esc(msg("family_head", lang, family=fid, n=len(f["rings"])))}</h3>'
                   f'<p class="muted">{esc(msg("family_by", lang, kinds=kinds))}</p>'
                   f'<table class="rings family-rings"><thead><tr>{ring_heads}</tr></thead><tbody>{"".join(rows)}'
                   f'</tbody></table><table class="rings family-links"><thead><tr>{link_heads}</tr></thead>'
                   f'<tbody>{"".join(links)}</tbody></table></div>')
    return "".join(out) + "</section>"


def _ring_family_html(rr: ReportRun, ring_id: str, reveal: bool, lang: str, pages=None,
                      back: str | None = None) -> str:
    """A ring page's family: the rings it is linked to, with the evidence of each link (empty if none)."""
    fams = rr.families()
    fid, links = rr.ring_family(ring_id)
    if fid is None:
        return ""
    shown = {r for r in fams[fid]["rings"] if r in rr._by_id} if pages is None else {str(p) for p in pages}
    masker = Masker(reveal=reveal)  # examples are identifiers: masked by kind (no free text, no names to find)
    comma = "，" if lang == "zh" else ", "
    by_other: dict = {}
    for rec in links:
        by_other.setdefault(rec["other"], []).append(rec)
    items = []
    for other, recs in by_other.items():
        typ = str((rr._by_id.get(other) or {}).get("typology") or "")
        lines = []
        for rec in recs:
            ex = _examples_html(rec, masker, lang)
            lines.append(f'<div data-code="{esc(rec.get("kind"))}">{esc(ring_link_name(rec.get("kind"), lang))}{comma}'
                         f'{esc(_link_n(rec, lang))}' + (f'<br><span class="examples">{ex}</span>' if ex else "")
                         + "</div>")
        items.append(f'<li data-ring="{esc(other)}">{_ring_refs([other], shown, lang)} '
                     f'<span class="muted">{esc(typology_name(typ, lang))}</span>{"".join(lines)}</li>')
    also = [r for r in fams[fid]["rings"] if r != str(ring_id) and r not in by_other]
    title = esc(msg("family_ring_title", lang, family=fid))
    if back:
        title = f'<a href="{esc(back)}#{esc(_family_anchor(fid))}">{title}</a>'
    return (f'<h3 id="family" data-family="{esc(fid)}">{title}</h3>'
            f'<p class="muted">{esc(msg("family_ring_intro", lang))}</p><ul class="family-links">{"".join(items)}</ul>'
            + (f'<p class="muted">{esc(msg("family_ring_also", lang))}{_ring_refs(also, shown, lang)}</p>'
               if also else ""))


#: Hubs listed on the index page (all of them are in rings.json).
HUBS_SHOWN = 200


def _hubs_html(rr: ReportRun, lang: str, reveal: bool) -> str:
    hubs = getattr(rr, "hubs", None)
    if hubs is None:
        return ""
    head = f'<section class="hubs" id="hubs"><h2>{esc(msg("hubs_title", lang))}</h2>'
    if not hubs:
        return head + f'<p class="muted">{esc(msg("hubs_none", lang))}</p></section>'
    rows = []
    for h in hubs[:HUBS_SHOWN]:
        rule = msg("hub_rule_text", lang, link=link_name(h.get("link"), lang), n=h.get("n"), cap=h.get("cap"))
        rows.append(f'<tr><td data-code="{esc(h.get("kind"))}">{esc(kind_name(h.get("kind"), lang))}</td>'
                    f'<td>{esc(h.get("value"))}</td><td class="num">{int(h.get("n") or 0)}</td>'
                    f'<td data-code="{esc(h.get("link"))}">{esc(rule)}</td></tr>')
    more = (f'<p class="muted">{esc(msg("hubs_more", lang, n=len(hubs) - HUBS_SHOWN))}</p>'
            if len(hubs) > HUBS_SHOWN else "")
    return (head + f'<p class="muted">{esc(msg("hubs_intro", lang))}</p><table class="rings hubs"><thead><tr>'
            + "".join(f'<th scope="col">{esc(msg(k, lang))}</th>' for k in ("hub_kind", "hub_value", "hub_n", "hub_rule"))
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + more + "</section>")


def _ring_summary(r: dict, g: dict, reveal: bool, lang: str = "zh") -> str:
    size = r.get("size") or {}
    rob = r.get("robustness") or {}
    typ = str(r.get("typology") or "")
    rows = [(msg("sum_score", lang), f"{float(r.get('score') or 0):.3f}"),
            (msg("sum_typology", lang), f"{typology_name(typ, lang)} ({typ})" if typ else ""),
            (msg("sum_members", lang), _kinds_text(size, lang))]
    ss = r.get("scheme_scores") or {}
    if ss:
        rows.append((msg("sum_schemes", lang), ", ".join(f"{typology_name(k, lang)} {float(v):.2f}" for k, v in
                                                          sorted(ss.items(), key=lambda kv: -float(kv[1] or 0)) if v)))
    if rob:
        splits = rob.get("splits_off") or []
        w = rob.get("min_cut_weight")
        txt = msg("robust_text", lang, w=w, method=rob.get("method", ""))
        if rob.get("cut_links"):
            txt += msg("robust_links", lang, links=", ".join(link_name(x, lang) for x in rob["cut_links"]))
        if splits:
            who = ", ".join(mask_entity("borrower", b, reveal) for b in splits[:5])
            if len(splits) > 5:
                who += msg("robust_more", lang, n=len(splits) - 5)
            txt += msg("robust_splits", lang, who=who)
        rows.append((msg("sum_robustness", lang), txt))
    st = g["stats"]
    rows.append((msg("sum_graph", lang), msg("graph_stats", lang, nodes=st["nodes"], edges=st["edges"], events=st["events"])
                 + (msg("graph_groups", lang, n=st["groups"]) if st["groups"] else "")))
    body = "".join(f"<tr><td>{esc(k)}</td><td>{esc(mask_free_text(v, reveal))}</td></tr>" for k, v in rows)
    return f'<table class="kv"><tbody>{body}</tbody></table>'


def render_ring(run, ring_id: str, reveal: bool = False, back: str | None = "index.html", lang: str = "zh",
                pages=None) -> str:
    """The network page of one ring as one self-contained HTML string.

    Parameters
    ----------
    run : path, dict or ReportRun
    ring_id : str
        E.g. ``"R0001"``.
    reveal : bool
        Show identifiers unmasked (the page then carries a visible banner).
    back : str or None
        Link back to the index (``None``: no link, e.g. in a notebook).
    lang : {"zh", "en"}
        Language of the page (Simplified Chinese by default).
    pages : iterable of str, optional
        Ids of the rings that have a page beside this one (links to the others are plain text);
        ``None``: every ring of the run.

    Raises
    ------
    RunError
        If the run has no such ring or its state is missing.
    """
    lang = check_lang(lang)
    rr = ReportRun.load(run)
    r = rr.ring(ring_id)
    g = ring_graph(rr, ring_id, reveal=reveal, lang=lang)
    opts = vis_options(g["stats"]["visible"])
    vis = inline_code(_asset("vis-network.min.js"), "script")
    js = inline_code(_asset("ring.js"), "script")
    nb = int((r.get("size") or {}).get("borrower", 0))
    typ = str(r.get("typology", "") or "")
    title = msg("ring_title", lang, ring=ring_id, typology=typology_name(typ, lang))
    m = lambda k: esc(msg(k, lang))  # noqa: E731
    page = _template("ring.html").substitute(
        lang="zh-CN" if lang == "zh" else "en",
        version=esc(graphring.__version__), title=esc(title), fontcss=_FONT_SLOT,
        css=inline_code(_asset("report.css"), "style"),
        meta=esc(msg("ring_meta", lang, score=f"{float(r.get('score') or 0):.3f}", nb=nb, nm=len(r.get("members", []))))
        + " · " + _run_meta(rr, lang),
        back=f'<a href="{esc(back)}">{m("back")}</a>' if back else "",
        banner=_banner(reveal, lang),
        summary=_ring_summary(r, g, reveal, lang) + _ring_family_html(rr, ring_id, reveal, lang, pages, back),
        expand_hidden="" if g["groups"] else " hidden",
        view_hidden="" if g.get("summary") else " hidden", view_label=m("members_view"),
        export_png=m("export_png"), export_svg=m("export_svg"),
        noscript=m("noscript"), search_placeholder=m("search_placeholder"), search_label=m("search_label"),
        freeze=m("freeze"), fit=m("fit"), core_title=m("core_title"), core=m("core"),
        expand_groups=m("expand_groups"), network_label=m("network_label"), section_ring=m("section_ring"),
        details_hint=m("details_hint"), section_signals=m("section_signals"),
        section_timeline=m("section_timeline"), event_type=m("event_type"), all_events=m("all_events"),
        data=script_json({k: v for k, v in g.items()}), options=script_json(opts),
        i18n=script_json(js_texts(lang)), vis=vis, js=js)
    return _with_font(_with_csp(page, [vis, js]), (vis, js))


def as_iframe(page: str, height: int = 820) -> str:
    """Wrap a page in an ``<iframe srcdoc>`` so a notebook shows it isolated from its own styles.

    In Jupyter: ``IPython.display.HTML(as_iframe(render_ring(run_dir, "R0001")))``.

    Examples
    --------
    >>> as_iframe('<p title="x">a & b</p>', 300)
    '<iframe sandbox="allow-scripts" style="width:100%;height:300px;border:1px solid #ddd" srcdoc="&lt;p title=&quot;x&quot;&gt;a &amp; b&lt;/p&gt;"></iframe>'
    """
    return (f'<iframe sandbox="allow-scripts" style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
            f'srcdoc="{esc(page)}"></iframe>')
