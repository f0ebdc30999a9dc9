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
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["FONT_PATH", "FONT_FAMILY", "LICENSE_PATH", "register_matplotlib", "matplotlib_rc", "covers"]

FONT_PATH = Path(__file__).resolve().parent / "GraphringCJKSans-Regular.otf"
LICENSE_PATH = Path(__file__).resolve().parent / "OFL.txt"
FONT_FAMILY = "Graphring CJK Sans"


def register_matplotlib() -> str:
    """Add the shipped font to matplotlib's font manager (once) and return its family name."""
    from matplotlib import font_manager

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
    from fontTools.ttLib import TTFont

    with TTFont(str(FONT_PATH), lazy=True) as f:
        return frozenset(f.getBestCmap())


def covers(text: str) -> bool:
    """True when every printable character of ``text`` has a glyph in the shipped font."""
    cm = _cmap()
    return all(ord(c) in cm for c in str(text) if c.isprintable() and not c.isspace())
