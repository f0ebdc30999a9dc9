"""HTML reports of a run: a triage index of the ranked rings and one network page per ring.

Every page is self-contained (vis-network, styles and scripts inlined; no
network access, works from ``file://``), masks identifiers unless ``reveal``
(then a banner on the page says so), and treats complaint text, names and
agent fields as hostile input (escaped in HTML, escaped JSON in scripts,
plain-text tooltips, a Content-Security-Policy allowing only the page's own
scripts).

* :func:`render_index` / :func:`render_ring` return HTML strings; in a notebook,
  ``IPython.display.HTML(as_iframe(render_ring(run_dir, "R0001")))`` shows one.
* :func:`write_report` writes ``index.html`` and ``ring-R0001.html``... to a folder.

Examples
--------
>>> from graphring.present.report import render_index, render_ring, write_report
>>> callable(render_index) and callable(render_ring) and callable(write_report)
True
"""

from graphring.present.report.data import ReportRun
from graphring.present.report.html import REVEAL_BANNER, as_iframe, render_index, render_ring, ring_filename
from graphring.present.report.writer import write_report

__all__ = ["render_index", "render_ring", "write_report", "ring_filename", "as_iframe", "ReportRun", "REVEAL_BANNER"]
