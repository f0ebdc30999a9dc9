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

import time
from pathlib import Path
from typing import Callable

from graphring.errors import RunError
from graphring.report.data import ReportRun
from graphring.report.html import render_index, render_ring, ring_filename
from graphring.safepath import inside

__all__ = ["write_report"]


def write_report(run_dir, out_dir, top: int | None = None, reveal: bool = False,
                 progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Write ``index.html`` and ``ring-<id>.html`` for the ranked rings of a run.

    Parameters
    ----------
    run_dir : path, dict or ReportRun
        A run directory written by ``graphring rings`` (or what ``read_run`` returns).
    out_dir : path
        Folder to write into (created if needed).
    top : int, optional
        Only the ``top`` highest-ranked rings (index and pages).
    reveal : bool
        Show identifiers unmasked; every page then carries a visible banner.
    progress : callable, optional
        Called as ``progress(message, done, total)`` after each page.

    Returns
    -------
    dict
        ``index`` (path), ``pages`` (list of paths), ``rings`` (count),
        ``bytes`` (total size), ``seconds``, ``reveal``.

    Raises
    ------
    RunError
        If ``run_dir`` is not a complete run directory.
    """
    t0 = time.perf_counter()
    rr = ReportRun.load(run_dir)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise RunError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    rings = rr.rings[:top] if top else rr.rings
    say = progress or (lambda msg, done, total: None)
    total = len(rings) + 1
    index = out / "index.html"
    index.write_text(render_index(rr, top=top, reveal=reveal), encoding="utf-8")
    say("index.html", 1, total)
    pages = []
    size = index.stat().st_size
    for i, r in enumerate(rings, start=2):
        p = inside(out, ring_filename(r["ring_id"]))
        p.write_text(render_ring(rr, r["ring_id"], reveal=reveal), encoding="utf-8")
        pages.append(p)
        size += p.stat().st_size
        say(p.name, i, total)
    return {"index": index, "pages": pages, "rings": len(rings), "bytes": size,
            "seconds": round(time.perf_counter() - t0, 3), "reveal": bool(reveal)}
