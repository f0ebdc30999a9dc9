"""Path traversal through a tampered run directory (issue 19.3): ring ids read from disk, output paths."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from demo_data import write_demo_data
from typer.testing import CliRunner

from graphring.cli import app
from graphring.errors import GraphringError, RunError
from graphring.files.safepath import check_ring_id, inside

runner = CliRunner()


def _out(r) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(r.output.split())


@pytest.fixture(scope="module")
def demo(demo_run_dir):
    return demo_run_dir


def _tampered(demo, tmp_path, evil: str):
    run = tmp_path / "run"
    shutil.copytree(demo, run)
    for name in ("rings.json", "ring_members.csv"):
        p = run / name
        p.write_text(p.read_text(encoding="utf-8").replace("R0001", evil.replace('"', '\\"') if name == "rings.json"
                                                            else evil), encoding="utf-8")
    return run


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("evil_of", [
    lambda t: "../../../../../../../../../../.." + str(t / "x" / "PWN"),     # the audit's case, inside tmp_path
    lambda t: "../../x/PWN",
    lambda t: str(t / "x" / "PWN"),                                          # absolute
    lambda t: "R0001/../../../x/PWN",
])
def test_tampered_ring_id_is_refused_and_nothing_is_written(demo, tmp_path, evil_of):
    evil = evil_of(tmp_path)
    run = _tampered(demo, tmp_path, evil)
    assert evil in (run / "ring_members.csv").read_text(encoding="utf-8")
    before = _files(tmp_path)
    r = runner.invoke(app, ["referral", str(run), evil])          # default out: RUN/referral-<id>
    assert r.exit_code == 1
    assert "is not a ring id" in _out(r) and "Traceback" not in r.output and _out(r).count("error:") == 1
    r2 = runner.invoke(app, ["referral", str(run), "R0001", "--out", str(tmp_path / "pack")])
    assert r2.exit_code == 1 and "is not a ring id" in _out(r2) and "edited" in _out(r2)
    r3 = runner.invoke(app, ["report", str(run), "--out", str(tmp_path / "rep")])
    assert r3.exit_code == 1 and "is not a ring id" in _out(r3)
    assert _files(tmp_path) == before                              # not one file, in or outside any folder
    assert not (tmp_path / "x").exists()


def test_library_refuses_too(demo, tmp_path):
    from graphring.analyse.history import previous_rings
    from graphring.present.referral import write_referral
    from graphring.run import read_run

    run = _tampered(demo, tmp_path, "../../x/PWN")
    with pytest.raises(RunError, match="ring_members.csv|rings.json"):
        read_run(run)
    with pytest.raises(RunError, match="is not a ring id"):
        write_referral(demo, "../../x/PWN", tmp_path / "pack")
    with pytest.raises(RunError, match="is not a ring id"):
        previous_rings(run)
    assert not (tmp_path / "pack").exists() and not (tmp_path / "x").exists()
    # a ring id in rings.json alone (ring_members.csv untouched)
    run2 = tmp_path / "run2"
    shutil.copytree(demo, run2)
    doc = json.loads((run2 / "rings.json").read_text(encoding="utf-8"))
    doc["rings"][0]["ring_id"] = "..\x1b[31m/evil"
    (run2 / "rings.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(RunError) as ei:
        read_run(run2)
    assert "\x1b" not in str(ei.value) and "\\x1b" in str(ei.value)


def test_rings_previous_with_a_tampered_run_is_an_error(demo, tmp_path):

    run = _tampered(demo, tmp_path, "../../x/PWN")
    data = write_demo_data(tmp_path / "data")
    r = runner.invoke(app, ["rings", str(data), "--out", str(tmp_path / "new"), "--previous", str(run)])
    assert r.exit_code == 1 and "is not a ring id" in _out(r) and "Traceback" not in r.output


def test_untampered_run_still_works(demo, tmp_path):
    r = runner.invoke(app, ["referral", str(demo), "R0001", "--out", str(tmp_path / "pack")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "pack" / "members.csv").is_file() and (tmp_path / "pack" / "referral-R0001.pdf").is_file()


def test_inside_resolves_dots_absolute_paths_and_symlinks(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert inside(out, "a.csv") == out / "a.csv"
    assert inside(out, "sub/../a.csv") == out / "sub/../a.csv"
    for bad in ("../a.csv", "/etc/passwd", str(tmp_path / "a.csv"), ".", "sub/../../a.csv"):
        with pytest.raises(GraphringError, match="outside the output folder"):
            inside(out, bad)
    os.symlink(tmp_path, out / "link")
    with pytest.raises(GraphringError, match="outside the output folder"):
        inside(out, "link/a.csv")
    for good in ("R1", "R0001", "R123456789012"):
        assert check_ring_id(good) == good
    for bad in ("R", "r0001", "R0001 ", "R0001\n", "R-1", "", "R0001/x", "Ｒ0001", "R١٢"):
        with pytest.raises(RunError):
            check_ring_id(bad)
