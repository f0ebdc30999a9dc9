"""Rebuild the shipped CJK font subset from Noto Sans CJK SC Regular (maintainers only).

``GraphringCJKSans-Regular.otf`` was made with::

    pip download --no-deps -d /tmp/mplf mplfonts==0.0.11      # ships NotoSansCJKsc-Regular.otf 1.004
    unzip -j /tmp/mplf/mplfonts-0.0.11-py3-none-any.whl 'mplfonts/fonts/NotoSansCJKsc-Regular.otf' -d /tmp/mplf
    python -m graphring.present.fonts.build_subset /tmp/mplf/NotoSansCJKsc-Regular.otf graphring/present/fonts/GraphringCJKSans-Regular.otf

It keeps ASCII, Latin-1, GB 2312 (symbols, punctuation, 6,763 Hanzi), general
and CJK punctuation, full-width forms, arrows, enclosed numbers, geometric
shapes, and every CJK character in graphring's own sources; and renames the
family to "Graphring CJK Sans" as the SIL OFL 1.1 asks of a Modified Version.

Examples
--------
>>> cps = wanted_codepoints()
>>> all(ord(c) in cps for c in "诈骗罪贷款移送证据清单，。A¥")
True
"""

from __future__ import annotations

import sys
from pathlib import Path

FAMILY = "Graphring CJK Sans"
PS_NAME = "GraphringCJKSans-Regular"


def wanted_codepoints(source_root: Path | None = None) -> set[int]:
    """Code points the subset keeps."""
    cps = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for a, b in ((0x2000, 0x2070), (0x2100, 0x2200), (0x2460, 0x2500), (0x25A0, 0x2600),
                 (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        cps |= set(range(a, b))
    if source_root is not None:
        for p in sorted(source_root.rglob("*.py")) + sorted(source_root.rglob("*.md")):
            cps |= {ord(ch) for ch in p.read_text(encoding="utf-8", errors="ignore") if ord(ch) >= 0x2E80}
    return cps


def build(src: Path, out: Path, source_root: Path | None = None) -> int:
    """Subset ``src`` into ``out``; return the size in bytes."""
    from fontTools import subset  # lazy: fontTools is needed only to subset the CJK font for a PDF
    from fontTools.ttLib import TTFont  # lazy: fontTools is needed only to subset the CJK font for a PDF

    f = TTFont(src)
    cmap = f.getBestCmap()
    keep = sorted(c for c in wanted_codepoints(source_root) if c in cmap)
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.name_languages = [0x409]
    opts.notdef_outline = True
    opts.hinting = False
    s = subset.Subsetter(opts)
    s.populate(unicodes=keep)
    s.subset(f)
    names = {1: FAMILY, 4: FAMILY + " Regular", 6: PS_NAME, 3: "1.004;graphring-subset;" + PS_NAME}
    for rec in f["name"].names:
        if rec.nameID in names:
            rec.string = names[rec.nameID]
    f["name"].names = [r for r in f["name"].names if r.nameID not in (16, 17)]
    f["name"].setName("Subset of Noto Sans CJK SC Regular 1.004 (GB 2312 + ASCII + CJK punctuation) for graphring",
                      10, 3, 1, 0x409)
    if "CFF " in f:
        cff = f["CFF "].cff
        cff.fontNames = [PS_NAME]
        top = cff.topDictIndex[0]
        top.FullName = FAMILY + " Regular"
        top.FamilyName = FAMILY
    f.save(out)
    return Path(out).stat().st_size


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - maintainer tool
    a = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[2]  # the graphring package
    print(build(Path(a[0]), Path(a[1]), root), "bytes")


if __name__ == "__main__":  # pragma: no cover
    main()
