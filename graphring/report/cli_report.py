"""The ``graphring report`` command, as a plain function the CLI wires in.

``report_command(run_dir, out, top, reveal)`` writes the report folder and
prints a one-line summary per file set; library errors propagate as
:class:`~graphring.errors.GraphringError` (the CLI turns them into a message
and exit code 1).

Wiring in ``graphring/cli.py``::

    @command()
    def report(run_dir: Annotated[Path, typer.Argument(help="Run directory written by `graphring rings`.")],
               out: Annotated[Path, typer.Option("--out", help="Folder for index.html and ring pages.")] = Path("report"),
               top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the top N rings.")] = None,
               reveal: Annotated[bool, typer.Option("--reveal", help="Show identifiers unmasked (stated on every page).")] = False):
        \"\"\"Write self-contained HTML pages: a triage index and one network page per ring.\"\"\"
        from graphring.report.cli_report import report_command
        report_command(run_dir, out, top, reveal)

Examples
--------
>>> import tempfile
>>> from graphring.errors import RunError
>>> try:
...     report_command(tempfile.mkdtemp() + "/none", tempfile.mkdtemp(), None, False)
... except RunError as e:
...     print(type(e).__name__)
RunError
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["report_command"]


def report_command(run_dir, out, top=None, reveal: bool = False, echo=None, lang: str = "zh") -> dict:
    """Write ``OUT/index.html`` and ``OUT/ring-<id>.html`` for a run directory and say what was written.

    Parameters
    ----------
    run_dir : path
        Run directory written by ``graphring rings``.
    out : path
        Output folder.
    top : int or None
        Only the top N rings.
    reveal : bool
        Unmasked identifiers, with a banner on every page.
    echo : callable, optional
        Where messages go (default: ``print``).
    lang : {"zh", "en"}
        Language of the pages and messages.

    Returns
    -------
    dict
        What :func:`graphring.report.write_report` returns.
    """
    from graphring.present.i18n import check_lang, msg
    from graphring.report.writer import write_report

    lang = check_lang(lang)
    say = echo or print
    try:
        from graphring.progress import progress_bar
        from graphring.present.terminal import SafeConsole

        err = SafeConsole(stderr=True)
        if err.is_terminal:
            bar = progress_bar(err)
        else:
            bar = None
    except ImportError:  # pragma: no cover - rich is a core dependency
        bar = None
    if bar is not None:
        with bar:
            task = bar.add_task(msg("writing", lang, what="report"), total=None)

            def progress(what, done, total):
                bar.update(task, description=msg("writing", lang, what=what), completed=done, total=total)

            res = write_report(run_dir, out, top=top, reveal=reveal, progress=progress, lang=lang)
    else:
        res = write_report(run_dir, out, top=top, reveal=reveal, lang=lang)
    mb = res["bytes"] / 1e6
    say(msg("report_wrote", lang, index=res["index"], n=len(res["pages"]), out=Path(out), mb=f"{mb:.1f}",
            s=f"{res['seconds']:.1f}"))
    say(msg("report_revealed", lang) if reveal else msg("report_masked", lang))
    return res
