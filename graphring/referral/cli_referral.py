"""``graphring referral RUN_DIR RING_ID --out DIR [--reveal]``: the command's plain function.

The integrator wires :func:`referral_command` into ``graphring/cli.py``; it
calls :func:`graphring.referral.write_referral`, prints what it wrote, and
lets :class:`graphring.errors.GraphringError` through for the CLI to turn
into a message and exit code 1.

Examples
--------
>>> import tempfile, pathlib
>>> from graphring.referral.demo import demo_run
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> lines = []
>>> res = referral_command(demo_run(tmp), "R0001", tmp / "pack", False, echo=lines.append)
>>> lines[0].startswith("referral pack for ring R0001")
True
>>> referral_command(tmp / "missing", "R0001", tmp / "p2", False)
Traceback (most recent call last):
...
graphring.errors.RunError: run directory not found: ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

__all__ = ["referral_command"]


def referral_command(run_dir, ring_id: str, out=None, reveal: bool = False,
                     echo: Callable[[str], None] | None = print, lang: str = "zh") -> dict:
    """Write the referral pack of ``ring_id`` from ``run_dir`` into ``out`` and report it.

    Parameters
    ----------
    run_dir : path
        Output folder of ``graphring rings``.
    ring_id : str
        E.g. ``R0001`` (see ``ring_members.csv``).
    out : path, optional
        Pack folder; default ``RUN_DIR/referral-<ring_id>``.
    reveal : bool
        Show identifiers in full (stated on every output). Default: masked.
    echo : callable, optional
        Where to print the summary (``None``: silent).
    lang : {"zh", "en"}
        Language of the pack (Simplified Chinese by default).

    Returns
    -------
    dict
        What :func:`graphring.referral.write_referral` returned.
    """
    from graphring.referral.pack import STEPS, write_referral
    from graphring.files.safepath import check_ring_id

    check_ring_id(ring_id)
    out = Path(out) if out is not None else Path(run_dir) / f"referral-{ring_id}"
    from graphring.progress import progress_bar
    from graphring.present.terminal import SafeConsole

    with progress_bar(SafeConsole(stderr=True)) as bar:
        task = bar.add_task("referral", total=len(STEPS))
        res = write_referral(run_dir, ring_id, out, reveal=reveal, lang=lang,
                             progress=lambda step, done, total: bar.update(task, description=f"referral {ring_id}: {step}",
                                                                           completed=done))
    if echo is not None:
        c = res["counts"]
        echo(f"referral pack for ring {res['ring_id']} written to {res['out_dir']}")
        echo(f"  {c['members']} members, {c['links']} links, {c['evidence']} evidence rows, "
             f"{c['amounts']} amounts, {c['events']} timeline events; PDF {res['pdf_pages']} pages")
        echo(f"  identifiers: {'REVEALED (--reveal)' if res['reveal'] else 'masked'}")
        echo(f"  manifest.json SHA-256 {res['manifest_sha256']}  (check the pack: sha256sum -c SHA256SUMS)")
    return res
