"""What graphring writes to a terminal: no control characters from the data, no markup from the data.

Column headers, agent names, complaint texts and file names come from the
people under investigation; printed raw, ``\\x1b]0;…\\x07`` retitles the
window, ``\\x1b[2J`` clears the screen, a carriage return overwrites what was
printed, and a right-to-left override (U+202E) reverses what follows.
:class:`SafeConsole` is the rich console every command prints through: rich
markup and emoji codes are off (``[link=…]`` in a value stays text), and every
control character of the text printed (C0 but line feed and tab, DEL, C1, and
the bidirectional controls) is shown escaped (``\\x1b``, ``\\u202e``). Rich's own
styling (bold table headers, the progress bar) is untouched.

Examples
--------
>>> clean("agent\\x1b[31mRED\\x1b]0;pwn\\x07 \\u202eabc\\r\\nnext")
'agent\\\\x1b[31mRED\\\\x1b]0;pwn\\\\x07 \\\\u202eabc\\\\x0d\\nnext'
>>> import io
>>> buf = io.StringIO()
>>> SafeConsole(file=buf, width=80).print("[bold]x[/bold] :smile: \\x1b[2J")
>>> buf.getvalue()
'[bold]x[/bold] :smile: \\\\x1b[2J\\n'
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.segment import Segment

__all__ = ["SafeConsole", "clean"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def clean(text: str) -> str:
    """``text`` with every control character (but ``\\n`` and ``\\t``) written as an escape."""
    return _CONTROL.sub(_shown, text) if _CONTROL.search(text) else text


class SafeConsole(Console):
    """A rich :class:`~rich.console.Console` that prints data as text: no markup, no emoji, no control codes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(*args, **kwargs)

    def _render_buffer(self, buffer) -> str:
        # the text of every segment, tables and progress descriptions included; control segments
        # (rich's own cursor movements) pass as they are
        return super()._render_buffer(
            s if s.control or not s.text else Segment(clean(s.text), s.style, s.control) for s in buffer)
