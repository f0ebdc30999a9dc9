"""Terminal escape codes and rich markup from the data are printed as text (issue 19.5)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from graphring.cli import app
from graphring.present.terminal import SafeConsole, clean

runner = CliRunner()

#: Clears the screen, retitles the window, hides what follows, reverses text.
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[8m\u202e"
RAW = ("\x1b", "\u202e", "\x9b")


def _no_raw(text: str) -> None:
    for c in RAW:
        assert c not in text, repr(c)


def test_validate_prints_a_hostile_header_escaped(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "borrowers.csv").write_text(f"borrower_id,{ESCAPES}x\nB1,1\nB2,2\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", str(d)])
    assert r.exit_code == 0, r.output
    _no_raw(r.output)
    assert "\\x1b[2J" in r.output and "\\u202e" in r.output


@pytest.fixture(scope="module")
def hostile_agent_run(tmp_path_factory):
    from demo_data import write_demo_data
    from graphring.pipeline import find_rings, write_run

    root = tmp_path_factory.mktemp("term")
    data = write_demo_data(root / "data")
    c = pd.read_csv(data / "complaints.csv", dtype=str, keep_default_na=False)
    c.loc[c["agent"] != "", "agent"] = ESCAPES + "[link=http://evil.example]陈律师[/link]\x9b31m"
    c.to_csv(data / "complaints.csv", index=False)
    res = find_rings(data, seed=0)
    write_run(res, root / "run", data_dir=data)
    assert res.rings
    return root / "run"


def test_explain_reveal_prints_a_hostile_agent_escaped(hostile_agent_run):
    r = runner.invoke(app, ["explain", str(hostile_agent_run), "R0001", "--reveal", "--lang", "en"])
    assert r.exit_code == 0, r.output
    _no_raw(r.output)
    assert "\\x1b[2J" in r.output
    # rich markup in a value stays text: not turned into a link
    assert "[link=http://evil.example]" in r.output


def test_an_error_message_with_escapes_is_escaped(hostile_agent_run):
    r = runner.invoke(app, ["explain", str(hostile_agent_run), "R0001\x1b[2J"])
    assert r.exit_code == 1
    _no_raw(r.output)


def test_tables_and_rich_styling():
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    con = SafeConsole(file=buf, width=120, force_terminal=True, color_system="standard")
    t = Table(title="x")
    t.add_column("a")
    t.add_row(Text("id" + ESCAPES))
    t.add_row("[bold]not bold[/bold]")
    con.print(t)
    out = buf.getvalue()
    # rich's own styling still uses escape codes (a terminal was forced), the data's do not
    assert "\x1b[" in out and "\x1b[2J" not in out and "\x1b]0;" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "[bold]not bold[/bold]" in out
    assert clean("a\tb\nc") == "a\tb\nc" and clean("\x00\x7f\x85") == "\\x00\\x7f\\x85"
