"""The ``graphring report`` command: the triage page and one offline ring page per ring.

It calls :func:`graphring.present.report.writer.write_report` with a progress bar and
prints where the pages went and whether identifiers are masked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from graphring.cli.app import LangOpt, command, console, progress
from graphring.present.i18n import check_lang, msg
from graphring.present.report.writer import write_report

__all__ = ["report"]


@command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for index.html and one page per ring.")],
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the top N rings.")] = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked (stated on every page).")] = False,
    lang: LangOpt = "zh",
) -> dict:
    """Write the triage page and one interactive, offline ring page per ring."""
    lang = check_lang(lang)
    with progress() as bar:
        task = bar.add_task(msg("writing", lang, what="report"), total=None)

        def step(what, done, total):
            bar.update(task, description=msg("writing", lang, what=what), completed=done, total=total)

        res = write_report(run_dir, out, top=top, reveal=reveal, progress=step, lang=lang)
    mb = res["bytes"] / 1e6
    say = lambda m: console.print(m, markup=False)  # noqa: E731
    say(msg("report_wrote", lang, index=res["index"], n=len(res["pages"]), out=Path(out), mb=f"{mb:.1f}",
            s=f"{res['seconds']:.1f}"))
    say(msg("report_revealed", lang) if reveal else msg("report_masked", lang))
    return res
