"""Self-contained HTML pages: the triage index of ranked rings and one network page per ring.

Pages have no external resource at all: the vis-network standalone build
shipped in ``graphring/report/assets`` (vis-network 10.1.5, Apache-2.0 OR MIT),
our styles and scripts are inlined, so a page works from ``file://`` with no
network, and a notebook can display the returned string. A
Content-Security-Policy meta tag forbids every fetch and allows only the
page's own scripts (by SHA-256 hash), so even a value that escaped escaping
could not run or load anything.

Why not pyvis' HTML: pyvis' ``cdn_resources="in_line"``/``"local"`` still
reference CDN files (pyvis issues #159, #228) and its template writes node
titles as HTML. The pages here build vis-network data directly
(:mod:`graphring.report.graph`).

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
from graphring.report.data import ReportRun
from graphring.report.graph import money, ring_graph, vis_options
from graphring.report.safe import esc, inline_code, mask_free_text, script_json
from graphring.privacy import mask_entity

__all__ = ["render_index", "render_ring", "ring_filename", "REVEAL_BANNER", "render_page_skeleton", "as_iframe"]

#: Text of the banner on every page written with ``reveal=True``.
REVEAL_BANNER = ("Identifiers revealed: this page shows unmasked personal data (names, phone, ID and account "
                 "numbers). Handle under PIPL; do not share.")
MASKED_NOTE = "Identifiers masked (PIPL). Rerun with --reveal to show them."


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("graphring.report").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    return Template(resources.files("graphring.report").joinpath("templates", name).read_text(encoding="utf-8"))


def _sha(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def _with_csp(page: str, scripts: list[str]) -> str:
    """Replace the template's script-src with the hashes of the page's own inline scripts."""
    hashes = " ".join(_sha("\n" + s + "\n") for s in scripts)
    return re.sub(r"script-src [^;]*;", f"script-src {hashes};", page, count=1)


def _banner(reveal: bool) -> str:
    if reveal:
        return f'<div class="banner revealed" role="alert" id="reveal-banner">&#9888; {esc(REVEAL_BANNER)}</div>'
    return f'<div class="banner masked" id="masked-note">{esc(MASKED_NOTE)}</div>'


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


def _run_meta(rr: ReportRun) -> str:
    p = rr.params
    bits = [f"graphring {p.get('graphring_version', graphring.__version__)}"]
    if p.get("algorithm"):
        bits.append(f"algorithm {p.get('algorithm')}, seed {p.get('seed')}")
    bits.append(f"{len(rr.rings)} rings")
    return " · ".join(esc(b) for b in bits)


def _kinds_text(size: dict) -> str:
    order = sorted(size.items(), key=lambda kv: (kv[0] != "borrower", -int(kv[1]), kv[0]))
    return ", ".join(f"{int(n)} {k}" for k, n in order)


def render_index(run, top: int | None = None, reveal: bool = False) -> str:
    """The triage page of the ranked rings as one self-contained HTML string.

    Parameters
    ----------
    run : path, dict or ReportRun
        A run directory written by ``graphring rings``, the dict of
        :func:`graphring.rings.read_run`, or a loaded :class:`ReportRun`.
    top : int, optional
        Only the ``top`` highest-ranked rings.
    reveal : bool
        Show identifiers unmasked (the page then carries a visible banner).

    Returns
    -------
    str
        HTML; each row links to ``ring-<id>.html`` beside it.
    """
    rr = ReportRun.load(run)
    rings = rr.rings[:top] if top else rr.rings
    summ = rr.summaries()
    rows = []
    for rank, r in enumerate(rings, start=1):
        rid = str(r["ring_id"])
        s = summ.loc[rid] if rid in summ.index else None
        size = r.get("size") or {}
        sigs = [x for x in r.get("signals", [])][:3]
        sig_html = "<br>".join(
            f'<span title="{esc(x.get("reason"))}">{esc(x.get("name"))}</span> '
            f'<span class="muted">{float(x.get("contribution") or 0):.3f}</span>' for x in sigs)
        score = float(r.get("score") or 0)
        out = float(s["outstanding"]) if s is not None else 0.0
        la = float(s["loan_amount"]) if s is not None else 0.0
        nl = int(s["loans"]) if s is not None else 0
        first = s["first_activity"] if s is not None and isinstance(s["first_activity"], str) else ""
        last = s["last_activity"] if s is not None and isinstance(s["last_activity"], str) else ""
        typ = str(r.get("typology") or "")
        href = ring_filename(rid)
        rows.append(
            f'<tr data-href="{esc(href)}" data-typology="{esc(typ)}">'
            f'<td class="num" data-sort="{rank}">{rank}</td>'
            f'<td><a href="{esc(href)}">{esc(rid)}</a></td>'
            f'<td class="num" data-sort="{score:.6f}">{score:.3f}'
            f'<span class="score-bar" style="width:{int(40 * min(max(score, 0), 1))}px"></span></td>'
            f'<td class="typ">{esc(typ)}</td>'
            f'<td class="num" data-sort="{int(size.get("borrower", 0))}">{int(size.get("borrower", 0))}</td>'
            f'<td class="kinds">{esc(_kinds_text(size))}</td>'
            f'<td class="num" data-sort="{out:.2f}">{esc(money(out))}</td>'
            f'<td class="num" data-sort="{la:.2f}">{esc(money(la))}<br><span class="muted">{nl} loans</span></td>'
            f'<td class="sig">{sig_html}</td>'
            f'<td data-sort="{esc(first)}">{esc(first)}</td>'
            f'<td data-sort="{esc(last)}">{esc(last)}</td></tr>')
    heads = [("#", "num"), ("Ring", "str"), ("Score", "num"), ("Typology", "str"), ("Borrowers", "num"),
             ("Members by kind", "str"), ("Outstanding", "num"), ("Loans", "num"), ("Strongest signals", "str"),
             ("First activity", "str"), ("Last activity", "str")]
    if rows:
        table = ('<table class="rings" id="rings"><thead><tr>'
                 + "".join(f'<th scope="col" data-type="{t}">{esc(h)}</th>' for h, t in heads)
                 + "</tr></thead><tbody>" + "\n".join(rows) + "</tbody></table>")
    else:
        table = '<p class="empty">This run found no ring above the score threshold.</p>'
    typs = sorted({str(r.get("typology") or "") for r in rings} - {""})
    shown = f"{len(rings)} of {len(rr.rings)} rings" if top and len(rings) < len(rr.rings) else f"{len(rings)} rings"
    js = inline_code(_asset("index.js"), "script")
    page = _template("index.html").substitute(
        version=esc(graphring.__version__), title=esc("graphring — ranked rings"),
        css=inline_code(_asset("report.css"), "style"),
        meta=_run_meta(rr), banner=_banner(reveal),
        typology_options="".join(f'<option value="{esc(t)}">{esc(t)}</option>' for t in typs),
        count_text=esc(shown), table=table,
        count_note=esc(f" (top {len(rings)} of {len(rr.rings)} in this run)" if len(rings) < len(rr.rings) else ""),
        footer=esc("Click a column header to sort, a row to open the ring's network. Scores rank suspicion; "
                   "they are not a legal conclusion. Amounts in CNY."),
        js=js)
    return _with_csp(page, [js])


def _ring_summary(r: dict, g: dict, reveal: bool) -> str:
    size = r.get("size") or {}
    rob = r.get("robustness") or {}
    rows = [("score", f"{float(r.get('score') or 0):.3f}"), ("typology", str(r.get("typology") or "")),
            ("members", _kinds_text(size))]
    ss = r.get("scheme_scores") or {}
    if ss:
        rows.append(("scheme scores", ", ".join(f"{k} {float(v):.2f}" for k, v in
                                                 sorted(ss.items(), key=lambda kv: -float(kv[1] or 0)) if v)))
    if rob:
        splits = rob.get("splits_off") or []
        w = rob.get("min_cut_weight")
        txt = f"weakest cut {w} ({rob.get('method', '')})"
        if rob.get("cut_links"):
            txt += "; links cut: " + ", ".join(map(str, rob["cut_links"]))
        if splits:
            txt += "; would split off " + ", ".join(mask_entity("borrower", b, reveal) for b in splits[:5])
            if len(splits) > 5:
                txt += f" and {len(splits) - 5} more"
        rows.append(("robustness", txt))
    st = g["stats"]
    rows.append(("graph", f"{st['nodes']} entities, {st['edges']} links, {st['events']} dated events"
                 + (f"; {st['groups']} folded groups" if st["groups"] else "")))
    body = "".join(f"<tr><td>{esc(k)}</td><td>{esc(mask_free_text(v, reveal))}</td></tr>" for k, v in rows)
    return f'<table class="kv"><tbody>{body}</tbody></table>'


def render_ring(run, ring_id: str, reveal: bool = False, back: str | None = "index.html") -> str:
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

    Raises
    ------
    RunError
        If the run has no such ring or its state is missing.
    """
    rr = ReportRun.load(run)
    r = rr.ring(ring_id)
    g = ring_graph(rr, ring_id, reveal=reveal)
    opts = vis_options(g["stats"]["visible"])
    vis = inline_code(_asset("vis-network.min.js"), "script")
    js = inline_code(_asset("ring.js"), "script")
    nb = int((r.get("size") or {}).get("borrower", 0))
    title = f"Ring {ring_id} — {r.get('typology', '')}"
    page = _template("ring.html").substitute(
        version=esc(graphring.__version__), title=esc(title), css=inline_code(_asset("report.css"), "style"),
        meta=esc(f"score {float(r.get('score') or 0):.3f} · {nb} borrowers · {len(r.get('members', []))} members")
        + " · " + _run_meta(rr),
        back=f'<a href="{esc(back)}">&larr; all rings</a>' if back else "",
        banner=_banner(reveal), summary=_ring_summary(r, g, reveal),
        expand_hidden="" if g["groups"] else " hidden",
        data=script_json({k: v for k, v in g.items()}), options=script_json(opts), vis=vis, js=js)
    return _with_csp(page, [vis, js])



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
