"""The ``graphring referral RUN_DIR RING_ID`` command: one ring's referral pack.

It checks the ring id, calls :func:`graphring.present.referral.pack.write_referral`
with a progress bar (one step per file set) and prints what it wrote and the
manifest's SHA-256.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from graphring.cli.app import LangOpt, command, console, progress
from graphring.files.safepath import check_ring_id
from graphring.present.referral.pack import STEPS, write_referral

__all__ = ["referral"]


@command()
def referral(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    ring_id: Annotated[str, typer.Argument(help="Ring id, e.g. R0001.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Pack folder (default RUN_DIR/referral-<ring>).")] = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked (stated on every output).")] = False,
    lang: LangOpt = "zh",
) -> dict:
    """Write a referral pack: HTML + PDF, diagram, evidence, timeline, figures vs thresholds, exports, manifest."""
    check_ring_id(ring_id)
    out = Path(out) if out is not None else Path(run_dir) / f"referral-{ring_id}"
    with progress() as bar:
        task = bar.add_task("referral", total=len(STEPS))
        res = write_referral(run_dir, ring_id, out, reveal=reveal, lang=lang,
                             progress=lambda step, done, total: bar.update(task, description=f"referral {ring_id}: {step}",
                                                                           completed=done))
    c = res["counts"]
    for line in (f"referral pack for ring {res['ring_id']} written to {res['out_dir']}",
                 f"  {c['members']} members, {c['links']} links, {c['evidence']} evidence rows, "
                 f"{c['amounts']} amounts, {c['events']} timeline events; PDF {res['pdf_pages']} pages",
                 f"  identifiers: {'REVEALED (--reveal)' if res['reveal'] else 'masked'}",
                 f"  manifest.json SHA-256 {res['manifest_sha256']}  (check the pack: sha256sum -c SHA256SUMS)"):
        console.print(line, markup=False)
    return res
