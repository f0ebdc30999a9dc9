"""The CJK font shipped with graphring, so Chinese renders on a fresh machine.

``GraphringCJKSans-Regular.otf`` is a subset of Noto Sans CJK SC Regular
(SIL Open Font License 1.1, see ``OFL.txt`` beside it): ASCII, Latin-1, the
GB 2312 character set (6,763 Hanzi, which covers the 3,500 common characters),
CJK and general punctuation and full-width forms. Diagrams (matplotlib) and the
referral PDF (fpdf2) use it; nothing depends on fonts installed on the system.

Examples
--------
>>> FONT_PATH.is_file(), FONT_FAMILY
(True, 'Graphring CJK Sans')
>>> covers("移送证据清单：诈骗罪（第266条）")
True
>>> from matplotlib.font_manager import FontProperties, findfont
>>> register_matplotlib() == FONT_FAMILY
True
>>> findfont(FontProperties(family=FONT_FAMILY)) == str(FONT_PATH)
True
>>> css = web_font_css("团伙 ring")
>>> css.startswith("@font-face{font-family:'Graphring CJK Sans';") and "data:font/woff;base64," in css
True
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

__all__ = ["FONT_PATH", "FONT_FAMILY", "LICENSE_PATH", "register_matplotlib", "matplotlib_rc", "covers",
           "web_font_css", "subset_woff"]

FONT_PATH = Path(__file__).resolve().parent / "GraphringCJKSans-Regular.otf"
LICENSE_PATH = Path(__file__).resolve().parent / "OFL.txt"
FONT_FAMILY = "Graphring CJK Sans"


def register_matplotlib() -> str:
    """Add the shipped font to matplotlib's font manager (once) and return its family name."""
    from matplotlib import font_manager  # lazy: matplotlib takes ~1 s to import; only diagrams need it

    if not any(Path(f.fname) == FONT_PATH for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(FONT_PATH))
    return FONT_FAMILY


def matplotlib_rc() -> dict:
    """rcParams that make matplotlib draw text with the shipped font (use in ``rc_context``)."""
    register_matplotlib()
    return {"font.family": "sans-serif", "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
            "axes.unicode_minus": False, "svg.fonttype": "path", "svg.hashsalt": "graphring"}


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # lazy: fontTools is needed only to subset the CJK font for a PDF

    with TTFont(str(FONT_PATH), lazy=True) as f:
        return frozenset(f.getBestCmap())


def covers(text: str) -> bool:
    """True when every printable character of ``text`` has a glyph in the shipped font."""
    cm = _cmap()
    return all(ord(c) in cm for c in str(text) if c.isprintable() and not c.isspace())


@lru_cache(maxsize=64)
def _subset_woff(codepoints: frozenset) -> bytes:
    from fontTools import subset  # lazy: fontTools is needed only to subset the CJK font for a PDF
    from fontTools.ttLib import TTFont  # lazy: fontTools is needed only to subset the CJK font for a PDF

    f = TTFont(str(FONT_PATH), recalcBBoxes=False)
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]      # keeps the licence (OFL) and its URL in the subset
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    s = subset.Subsetter(opts)
    s.populate(unicodes=sorted(codepoints & _cmap()))
    s.subset(f)
    f.flavor = "woff"
    buf = io.BytesIO()
    f.save(buf)
    return buf.getvalue()


def subset_woff(text: str) -> bytes:
    """A WOFF subset of the shipped font with the glyphs of ``text`` (and ASCII), for web pages.

    Subsets are cached by character set (a report's pages often share one).
    """
    cps = frozenset(range(0x20, 0x7F)) | frozenset(ord(c) for c in str(text) if ord(c) >= 0xA0)
    return _subset_woff(cps)


def web_font_css(text: str, family: str = FONT_FAMILY) -> str:
    """An ``@font-face`` rule embedding (as a ``data:`` URI) the shipped font's glyphs for ``text``.

    A page that puts this rule in its ``<style>`` and names ``family`` in its
    font stacks renders its Chinese on a machine with no CJK font installed,
    with no network and no file beside it (its Content-Security-Policy needs
    ``font-src data:``).
    """
    data = base64.b64encode(subset_woff(text)).decode("ascii")
    return (f"@font-face{{font-family:'{family}';src:url(data:font/woff;base64,{data}) format('woff');"
            "font-weight:100 900;font-style:normal;font-display:block;}")
