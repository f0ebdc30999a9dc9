"""The progress bar every long command shows (rich, on stderr, hidden when not a terminal).

Its count reads ``3/8`` when the total is known and ``3`` while it is not (never ``0/None``).

Examples
--------
>>> from rich.progress import Progress
>>> p = Progress(CountColumn())
>>> t = p.add_task("x", total=None)
>>> str(CountColumn().render(p.tasks[0]))
'0'
>>> p.update(t, total=8, completed=3)
>>> str(CountColumn().render(p.tasks[0]))
'3/8'
"""

from __future__ import annotations

from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

__all__ = ["CountColumn", "progress_bar"]


class CountColumn(ProgressColumn):
    """``done/total``, or ``done`` alone while the total is unknown."""

    def render(self, task) -> Text:
        done = int(task.completed)
        return Text(f"{done}/{int(task.total)}" if task.total is not None else f"{done}")


def progress_bar(console, transient: bool = True) -> Progress:
    """A progress bar on ``console`` (disabled when it is not a terminal)."""
    return Progress(TextColumn("{task.description}"), BarColumn(), CountColumn(), TimeElapsedColumn(),
                    console=console, transient=transient, disable=not console.is_terminal)
