"""Report pages in a real headless Chromium, from file:// with every network request blocked.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``apt-get install -y
chromium chromium-driver``) and the Python package ``playwright`` (driving the
system Chromium; no ``playwright install`` download). Without them the tests
skip, unless ``GRAPHRING_REQUIRE_BROWSER=1`` (CI), where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time

import pytest

from graphring.present.report import ring_filename, write_report
from graphring.present.report.data import ReportRun
from report_runs import HOSTILE, hostile_run, large_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")


def _chromium() -> str | None:
    for c in (os.environ.get("GRAPHRING_CHROMIUM"), *CANDIDATES, shutil.which("chromium"),
              shutil.which("chromium-browser")):
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def _need_browser():
    msg = None
    exe = _chromium()
    if importlib.util.find_spec("playwright") is None:
        msg = "the Python package 'playwright' is not installed (pip install playwright)"
    if msg is None and exe is None:
        msg = ("headless Chromium not found: install the Debian packages chromium and chromium-driver "
               "(apt-get install -y chromium chromium-driver)")
    if msg:
        if os.environ.get("GRAPHRING_REQUIRE_BROWSER") == "1":
            pytest.fail(msg + " — required because GRAPHRING_REQUIRE_BROWSER=1")
        pytest.skip(msg)
    return exe


@pytest.fixture(scope="module")
def playwright_driver():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:   # one driver per module: sync_playwright cannot nest
        yield p


@pytest.fixture(scope="module")
def browser(playwright_driver):
    b = playwright_driver.chromium.launch(executable_path=_need_browser(), headless=True,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
    yield b
    b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    info = hostile_run(root, 600, seed=1)
    rr = ReportRun.load(info["run"])
    hostile = [r["ring_id"] for r in rr.rings
               if any(m["kind"] == "borrower" and m["id"] in info["borrowers"] for m in r["members"])]
    assert hostile, "the planted ring with hostile complaints was not found"
    top = max(3, rr.rings.index(rr.ring(hostile[0])) + 1)
    res = write_report(rr, root / "report", top=top)
    return {"dir": root / "report", "hostile": hostile[0], "res": res, "rr": rr}


class Page:
    """A page opened offline, recording console errors, dialogs and attempted requests."""

    def __init__(self, browser, url: str):
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                self.requests.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(url)

    def _dialog(self, d):
        self.dialogs.append(d.message)
        d.dismiss()

    def ready(self, timeout=60000):
        self.page.wait_for_function("() => window.__graphring && window.__graphring.ready === true", timeout=timeout)

    def canvas_pixels(self) -> int:
        """Non-transparent, non-white pixels on the network canvas."""
        return self.page.evaluate("""() => {
            const c = document.querySelector('#network canvas');
            if (!c) return -1;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n++;
            }
            return n;
        }""")

    def clean(self):
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.requests == [], self.requests
        assert self.page.evaluate("() => window.__xss") is None

    def close(self):
        self.ctx.close()


def test_index_offline(browser, report):
    p = Page(browser, (report["dir"] / "index.html").as_uri())
    try:
        pg = p.page
        rows = pg.locator("#rings tbody tr")
        assert rows.count() == report["res"]["rings"]
        # sort by borrowers (click the header twice: descending then ascending)
        col = pg.locator("#rings th").evaluate_all("hs => hs.findIndex(h => h.dataset.col === 'borrowers')")
        pg.click("th[data-col='borrowers']")
        first = int(rows.nth(0).locator("td").nth(col).inner_text())
        pg.click("th[data-col='borrowers']")
        assert int(rows.nth(0).locator("td").nth(col).inner_text()) <= first
        # filter by text and by typology
        pg.fill("#filter", report["hostile"])
        assert pg.locator("#rings tbody tr:visible").count() == 1
        pg.fill("#filter", "")
        typ = report["rr"].ring(report["hostile"])["typology"]
        pg.select_option("#typology", typ)
        n_typ = sum(1 for r in report["rr"].rings[:report["res"]["rings"]] if r["typology"] == typ)
        assert pg.locator("#rings tbody tr:visible").count() == n_typ
        pg.select_option("#typology", "")
        # a row opens its ring page
        pg.locator(f"#rings tbody tr[data-href='{ring_filename(report['hostile'])}'] td").nth(3).click()
        pg.wait_for_url(f"**/{ring_filename(report['hostile'])}")
        p.ready()
        p.clean()
    finally:
        p.close()


def test_ring_page_draws_offline_and_hostile_text_is_inert(browser, report):
    p = Page(browser, (report["dir"] / ring_filename(report["hostile"])).as_uri())
    try:
        p.ready()
        pg = p.page
        assert p.canvas_pixels() > 2000, "the network canvas should have drawn nodes and edges"
        assert pg.evaluate("() => window.__graphring.network.body.data.nodes.length") > 10
        # find the complaint that carries the payload and show it as the details panel does
        pg.fill("#search", "__xss=1")
        pg.press("#search", "Enter")
        found = pg.inner_text("#found")
        assert found and not found.startswith("0"), found
        nid = pg.evaluate("""() => window.__graphring.data.nodes.find(
            n => n.props.some(p => p[0] === 'text' && p[1].includes('__xss=1'))).id""")
        # click the node on the canvas: details panel shows the text as text
        pg.evaluate(f"() => window.__graphring.network.focus('{nid}', {{scale: 1.5}})")
        time.sleep(0.3)
        x, y = pg.evaluate(f"""() => {{
            const g = window.__graphring.network, p = g.canvasToDOM(g.getPositions(['{nid}'])['{nid}']);
            const r = document.getElementById('network').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top]; }}""")
        pg.mouse.move(x, y)
        pg.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        tip = pg.locator("div.vis-tooltip")
        assert tip.locator("img, script").count() == 0
        pg.mouse.click(x, y)
        details = pg.locator("#details")
        details.get_by_text("<script>window.__xss=1", exact=False).first.wait_for(timeout=5000)
        assert HOSTILE.split("\u2028")[0].strip() in details.inner_text()
        assert pg.locator("#details img, #details script, #signals img, #events img").count() == 0
        # open every signal's evidence and hover around: still nothing runs
        for s in pg.locator("details.signal > summary").all():
            s.click()
        pg.locator("#events tr").first.click()
        # core view hides satellites, and back
        pg.click("#core")
        hidden = pg.evaluate("() => window.__graphring.network.body.data.nodes.get({filter: v => v.hidden}).length")
        pg.click("#core")
        assert hidden > 0 and pg.evaluate(
            "() => window.__graphring.network.body.data.nodes.get({filter: v => v.hidden}).length") == 0
        # clicking a folded group node on the canvas expands it
        groups = pg.evaluate("() => window.__graphring.data.groups.filter(g => !g.inline).map(g => g.id)")
        if groups:
            gid = groups[0]
            before = pg.evaluate("() => window.__graphring.network.body.data.nodes.length")
            pg.evaluate(f"() => window.__graphring.network.focus('{gid}', {{scale: 2}})")
            time.sleep(0.3)
            gx, gy = pg.evaluate(f"""() => {{
                const g = window.__graphring.network, p = g.canvasToDOM(g.getPositions(['{gid}'])['{gid}']);
                const r = document.getElementById('network').getBoundingClientRect();
                return [p.x + r.left, p.y + r.top]; }}""")
            pg.mouse.click(gx, gy)
            pg.wait_for_function(f"() => window.__graphring.network.body.data.nodes.length > {before}", timeout=5000)
        pg.click("#freeze")
        assert pg.evaluate("() => window.__graphring.network.physics.physicsEnabled") is True
        pg.click("#freeze")
        time.sleep(0.5)
        p.clean()
    finally:
        p.close()


def test_large_ring_stays_responsive(browser, tmp_path):
    d = large_run(tmp_path / "run", n_borrowers=400, leaves=4)  # 2,802 entities
    res = write_report(d, tmp_path / "rep")
    p = Page(browser, res["pages"][0].as_uri())
    try:
        t0 = time.monotonic()
        p.ready(timeout=90000)
        settle = time.monotonic() - t0
        assert p.canvas_pixels() > 2000
        assert p.page.evaluate("() => window.__graphring.network.physics.physicsEnabled") is False
        # expanding a folded borrower and redrawing stays quick once physics is off
        t1 = time.monotonic()
        p.page.evaluate("""() => { const g = window.__graphring;
            g.network.redraw(); g.network.fit(); }""")
        # a big ring opens on its summary: the members view has the folded groups to expand
        assert p.page.evaluate("() => !!window.__graphring.data.summary")
        p.page.click("#view")
        p.page.wait_for_function("() => window.__graphring.network.body.data.nodes.length > 1000", timeout=20000)
        p.page.click("#expand-all")
        p.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        redraw = time.monotonic() - t1
        assert p.page.evaluate("() => window.__graphring.network.body.data.nodes.length") > 2500
        assert redraw < 15, redraw
        assert settle < 80, settle
        p.clean()
    finally:
        p.close()


_NO_CJK_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture(scope="module")
def browser_without_cjk(tmp_path_factory, playwright_driver):
    """Chromium whose fontconfig sees DejaVu only: no system font has Chinese glyphs."""
    import subprocess

    exe = _need_browser()
    d = tmp_path_factory.mktemp("fonts")
    conf = d / "fonts.conf"
    conf.write_text(_NO_CJK_FONTS_CONF.format(cache=d / "cache"), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    if shutil.which("fc-list"):
        han = subprocess.run(["fc-list", ":charset=4e2d"], env=env, capture_output=True, text=True).stdout.strip()
        assert han == "", f"a system font with Chinese glyphs is visible to the test browser: {han}"
    b = playwright_driver.chromium.launch(executable_path=exe, headless=True, env=env,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
    yield b
    b.close()


_GLYPHS = """(family) => {
    /* draw two different Chinese characters in the given font stack: a real font draws two different
       shapes, a missing glyph draws the same empty box (tofu) twice */
    function ink(ch) {
        const c = document.createElement('canvas'); c.width = 64; c.height = 64;
        const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 64, 64);
        g.fillStyle = '#000'; g.font = '48px ' + family; g.textBaseline = 'top'; g.fillText(ch, 4, 4);
        const d = g.getImageData(0, 0, 64, 64).data, out = [];
        for (let i = 0; i < d.length; i += 4) out.push(d[i] < 128 ? 1 : 0);
        return out;
    }
    const a = ink('\u56e2'), b = ink('\u4f19');   /* 团 伙 */
    let diff = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) { diff += a[i] !== b[i]; na += a[i]; nb += b[i]; }
    return {diff: diff, inkA: na, inkB: nb,
            width: (() => { const g = document.createElement('canvas').getContext('2d'); g.font = '48px ' + family;
                            return [g.measureText('\u56e2\u4f19\u6392\u540d').width, g.measureText('\u25a1').width]; })()};
}"""


def test_chinese_renders_without_system_cjk_fonts(browser_without_cjk, report):
    """Chinese glyphs draw from the font embedded in each page, on a browser that has no CJK font."""
    pages = [report["dir"] / "index.html", report["dir"] / ring_filename(report["hostile"])]
    for f in pages:
        p = Page(browser_without_cjk, f.as_uri())
        try:
            if f.name != "index.html":
                p.ready()
            pg = p.page
            pg.evaluate("() => document.fonts.ready")
            assert pg.evaluate("() => document.documentElement.lang") == "zh-CN"
            body_font = pg.evaluate("() => getComputedStyle(document.body).fontFamily")
            assert "Graphring CJK Sans" in body_font
            pg.evaluate("() => document.fonts.load(\"48px 'Graphring CJK Sans'\", '\u56e2\u4f19')")
            real = pg.evaluate(_GLYPHS, body_font)
            # the control: the system fonts alone draw both characters as the same box
            tofu = pg.evaluate(_GLYPHS, "'DejaVu Sans'")
            assert tofu["diff"] == 0, tofu
            assert real["inkA"] > 100 and real["inkB"] > 100 and real["diff"] > 150, real
            # the page's own text is drawn with that font too
            assert pg.evaluate("() => document.fonts.check(\"13px 'Graphring CJK Sans'\", '\u56e2\u4f19')")
            p.clean()
        finally:
            p.close()


def _canvas_xy(pg, nid):
    return pg.evaluate(f"""() => {{
        const g = window.__graphring.network, p = g.canvasToDOM(g.getPositions(['{nid}'])['{nid}']);
        const r = document.getElementById('network').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }}""")


def _action(pg, name, before):
    pg.wait_for_function(f"() => (window.__graphring.actions || 0) > {before}", timeout=20000)
    return pg.evaluate(f"() => window.__graphring.timings['{name}']")


def test_big_ring_opens_on_its_summary_and_stays_responsive(browser, tmp_path, record_property):
    """2,002 entities: the page opens on hubs and borrower groups; a filter click and an expand click are timed."""
    d = large_run(tmp_path / "run", n_borrowers=400, leaves=2)      # 400 x (1 + 2 + complaint + loan) + 2
    res = write_report(d, tmp_path / "rep")
    p = Page(browser, res["pages"][0].as_uri())
    try:
        pg = p.page
        p.ready(timeout=90000)
        data_n = pg.evaluate("() => window.__graphring.data.nodes.length")
        assert data_n == 2002
        shown = pg.evaluate("() => window.__graphring.network.body.data.nodes.length")
        groups = pg.evaluate("() => window.__graphring.data.summary.groups.map(g => [g.id, g.count])")
        assert shown < 20 and sum(c for _, c in groups) == 400, (shown, groups)
        # filter click: hide the phones (legend entry), measured from the click to the next frame
        n0 = pg.evaluate("() => window.__graphring.actions || 0")
        t0 = time.monotonic()
        pg.click("#legend .item[data-kind='phone']")
        filter_ms = _action(pg, "filter", n0)
        filter_wall = time.monotonic() - t0
        assert pg.evaluate("() => window.__graphring.network.body.data.nodes.get({filter: v => v.hidden}).length") == 1
        pg.click("#legend .item[data-kind='phone']")
        # expand click on the group node on the canvas
        gid = groups[0][0]
        x, y = _canvas_xy(pg, gid)
        n0 = pg.evaluate("() => window.__graphring.actions || 0")
        t0 = time.monotonic()
        pg.mouse.click(x, y)
        expand_ms = _action(pg, "expand", n0)
        expand_wall = time.monotonic() - t0
        assert pg.evaluate("() => window.__graphring.network.body.data.nodes.length") >= 400
        # the members view with every entity, and a filter click there
        pg.click("#view")
        pg.wait_for_function("() => window.__graphring.network.body.data.nodes.length > 1000", timeout=20000)
        pg.wait_for_function("() => window.__graphring.network.physics.physicsEnabled === false", timeout=60000)
        n0 = pg.evaluate("() => window.__graphring.actions || 0")
        t0 = time.monotonic()
        pg.click("#legend .item[data-kind='borrower']")
        full_filter_ms = _action(pg, "filter", n0)
        full_filter_wall = time.monotonic() - t0
        assert pg.evaluate("() => window.__graphring.network.body.data.nodes.get({filter: v => v.hidden}).length") >= 400
        record_property("timings_ms", {"filter_summary": filter_ms, "expand": expand_ms, "filter_2000": full_filter_ms,
                                       "wall_s": [round(filter_wall, 3), round(expand_wall, 3),
                                                  round(full_filter_wall, 3)]})
        print(f"\nbig ring timings (ms): summary filter {filter_ms}, expand {expand_ms}, 2,000-entity filter "
              f"{full_filter_ms}; wall clock (s) {filter_wall:.3f} {expand_wall:.3f} {full_filter_wall:.3f}")
        # the issue asks for under 1 s per interaction; asserted loosely for a shared 2-core machine
        assert filter_ms < 3000 and expand_ms < 3000 and full_filter_ms < 3000
        p.clean()
    finally:
        p.close()


def test_workbench_search_path_and_export(browser, report):
    p = Page(browser, (report["dir"] / ring_filename(report["hostile"])).as_uri())
    try:
        pg = p.page
        p.ready()
        # shortest evidence path between two ring borrowers (as explain A B)
        ids = pg.evaluate("() => window.__graphring.data.nodes.filter(n => n.ring).map(n => n.id)")
        a, b = ids[0], ids[-1]
        path = pg.evaluate(f"() => window.__graphring.shortestPath('{a}', '{b}')")
        assert path["nodes"][0] == a and path["nodes"][-1] == b and len(path["edges"]) == len(path["nodes"]) - 1
        # each step is an edge of the graph between consecutive nodes
        for (u, v), e in zip(zip(path["nodes"], path["nodes"][1:]), path["edges"]):
            assert {e["from"], e["to"]} == {u, v}
        # select the two on the canvas with Ctrl held: the details panel shows the path
        pg.evaluate(f"() => window.__graphring.network.fit({{nodes: ['{a}', '{b}']}})")
        time.sleep(0.3)
        x1, y1 = _canvas_xy(pg, a)
        x2, y2 = _canvas_xy(pg, b)
        pg.mouse.click(x1, y1)
        pg.keyboard.down("Control")
        pg.mouse.click(x2, y2)
        pg.keyboard.up("Control")
        sel = pg.evaluate("() => window.__graphring.network.getSelectedNodes()")
        assert a in sel and b in sel and len(sel) == len(path["nodes"]), sel      # the path is selected
        pg.locator("#details ol.path").wait_for(timeout=5000)
        assert "证据路径" in pg.inner_text("#details")
        # legend: a link-type entry hides those links
        t = pg.evaluate("() => window.__graphring.data.links_legend[0].type")
        pg.click(f"#legend .item[data-type='{t}']")
        hidden = pg.evaluate("() => window.__graphring.network.body.data.edges.get({filter: e => e.hidden}).length")
        assert hidden == pg.evaluate("() => window.__graphring.data.links_legend[0].count")
        # search finds and focuses a member
        key = pg.evaluate(f"() => window.__graphring.data.nodes.find(n => n.id === '{a}').key")
        pg.fill("#search", key)
        pg.press("#search", "Enter")
        assert a in pg.evaluate("() => window.__graphring.network.getSelectedNodes()")
        # export the view
        with pg.expect_download() as dl:
            pg.click("#export-png")
        assert dl.value.suggested_filename.endswith(".png")
        assert pg.evaluate("() => window.__graphring.lastExport.type") == "png"
        with pg.expect_download() as dl:
            pg.click("#export-svg")
        svg = pg.evaluate("() => window.__graphring.lastExport.text")
        assert svg.startswith("<svg") and "<script" not in svg and "<img" not in svg and "<text" in svg
        import xml.etree.ElementTree as ET
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg") and len(root) > 20
        p.clean()
    finally:
        p.close()


def test_revealed_page_shows_banner(browser, report, tmp_path):
    res = write_report(report["rr"], tmp_path / "rev", top=1, reveal=True)
    for f in (res["index"], res["pages"][0]):
        p = Page(browser, f.as_uri())
        try:
            if f.name != "index.html":
                p.ready()
            banner = p.page.locator("#reveal-banner")
            assert banner.is_visible() and "已显示完整标识" in banner.inner_text()
            p.clean()
        finally:
            p.close()


def test_index_families_filter_and_family_link(browser, tmp_path):
    """Two rings sharing a script: each row links to its family; filtering by one ring's id still finds one row."""
    from family_runs import linked_run

    info = linked_run(tmp_path)
    res = write_report(info["run"], tmp_path / "rep")
    p = Page(browser, res["index"].as_uri())
    try:
        pg = p.page
        assert pg.locator("#families div.family").count() == 1
        assert pg.locator("#family-F001 table.family-rings tbody tr").count() == 2
        pg.fill("#filter", info["a"])   # the mate's row names it among its family-mates: not a match
        assert pg.locator("#rings tbody tr:visible").count() == 1
        pg.fill("#filter", "F001")      # the family id finds both rows
        assert pg.locator("#rings tbody tr:visible").count() == 2
        pg.fill("#filter", "")
        # the family link of a row goes to the family (and does not open the ring page)
        pg.locator(f"#rings tbody tr[data-href='{ring_filename(info['a'])}'] a.fam").click()
        pg.wait_for_url("**/index.html#family-F001")
        assert pg.evaluate("() => document.querySelector(':target').id") == "family-F001"
        # a family-mate link opens that ring's page
        pg.locator(f"#rings tbody tr[data-href='{ring_filename(info['a'])}'] .mates a").click()
        pg.wait_for_url(f"**/{ring_filename(info['b'])}")
        p.ready()
        assert pg.locator("#family a").inner_text() == "所属链条 F001"
        p.clean()
    finally:
        p.close()
