"""Write a report folder: ``index.html`` plus one self-contained page per ring.

Examples
--------
>>> import tempfile
>>> try:
...     write_report(tempfile.mkdtemp() + "/missing", tempfile.mkdtemp())
... except RunError as e:
...     print("RunError")
RunError
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable

from graphring.errors import RunError
from graphring.present.report.data import ReportRun
from graphring.present.i18n import check_lang
from graphring.present.report.html import render_index, render_ring, ring_filename
from graphring.files.safepath import inside

_PLAIN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

__all__ = ["write_report", "find_packs"]


def write_report(run_dir, out_dir, top: int | None = None, reveal: bool = False,
                 progress: Callable[[str, int, int], None] | None = None, lang: str = "zh") -> dict:
    """Write ``index.html`` and ``ring-<id>.html`` for the ranked rings of a run.

    Parameters
    ----------
    run_dir : path, dict or ReportRun
        A run directory written by ``graphring rings`` (or the :class:`graphring.run.Run` ``read_run`` returns).
    out_dir : path
        Folder to write into (created if needed).
    top : int, optional
        Only the ``top`` highest-ranked rings (index and pages).
    reveal : bool
        Show identifiers unmasked; every page then carries a visible banner.
    progress : callable, optional
        Called as ``progress(message, done, total)`` after each page.
    lang : {"zh", "en"}
        Language of the pages (Simplified Chinese by default).

    Returns
    -------
    dict
        ``index`` (path), ``pages`` (list of paths), ``rings`` (count),
        ``bytes`` (total size), ``seconds``, ``reveal``, ``lang``, ``packs`` (ring id -> linked referral pack).

    Raises
    ------
    RunError
        If ``run_dir`` is not a complete run directory.
    """
    t0 = time.perf_counter()
    lang = check_lang(lang)
    rr = ReportRun.load(run_dir)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise RunError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    rings = rr.rings[:top] if top else rr.rings
    say = progress or (lambda msg, done, total: None)
    total = len(rings) + 1
    index = out / "index.html"
    packs = find_packs(rr, out, rings)
    index.write_text(render_index(rr, top=top, reveal=reveal, lang=lang, packs=packs), encoding="utf-8")
    say("index.html", 1, total)
    pages = []
    size = index.stat().st_size
    written = {str(r["ring_id"]) for r in rings}
    for i, r in enumerate(rings, start=2):
        p = inside(out, ring_filename(r["ring_id"]))
        p.write_text(render_ring(rr, r["ring_id"], reveal=reveal, lang=lang, pages=written), encoding="utf-8")
        pages.append(p)
        size += p.stat().st_size
        say(p.name, i, total)
    return {"index": index, "pages": pages, "rings": len(rings), "bytes": size,
            "seconds": round(time.perf_counter() - t0, 3), "reveal": bool(reveal), "lang": lang, "packs": packs}


def find_packs(rr: ReportRun, out: Path, rings: list) -> dict:
    """Ring id -> link (relative to ``out``) of its referral pack, for rings that have one.

    A pack is ``referral-<id>/referral-<id>.pdf`` (or ``.html``) in the report folder or in the run
    directory (where ``graphring referral`` writes it by default).
    """
    found = {}
    roots = [out] + ([rr.dir] if rr.dir is not None else [])
    for r in rings:
        rid = str(r["ring_id"])
        if not _PLAIN.match(rid):
            continue
        for root in roots:
            hit = next((root / f"referral-{rid}" / f"referral-{rid}{ext}" for ext in (".html", ".pdf")
                        if (root / f"referral-{rid}" / f"referral-{rid}{ext}").is_file()), None)
            if hit is not None:
                found[rid] = Path(os.path.relpath(hit.resolve(), out.resolve())).as_posix()
                break
    return found
