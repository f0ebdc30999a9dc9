"""Runs are evidence: never overwrite one (issue 17)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from graphring.cli import app
from graphring.pipeline import find_rings, write_run

runner = CliRunner()


def test_manifest_records_run_id_backend_and_time(tmp_path):
    from helpers import borrowers, write_folder

    data = write_folder(tmp_path / "d", {"borrowers": borrowers(6)})
    m1 = write_run(find_rings(data), tmp_path / "r1", data_dir=data)
    m2 = write_run(find_rings(data), tmp_path / "r2", data_dir=data)
    for m in (m1, m2):
        assert re.fullmatch(r"run-\d{8}T\d{6}Z-[0-9a-f]{6}", m["run_id"])
        assert m["backend"] == "memory" and m["gds_ran"] is False
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", m["created_at"])
    assert m1["run_id"] != m2["run_id"]
    on_disk = json.loads((tmp_path / "r1" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["run_id"] == m1["run_id"]


def test_sample_truth_beside_the_data_and_never_overwritten(tmp_path):
    a, b = tmp_path / "bank_a", tmp_path / "bank_b"
    r = runner.invoke(app, ["sample", str(a), "-n", "400", "--seed", "1"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "bank_a_truth.csv").is_file() and not (tmp_path / "truth.csv").exists()
    truth_a = (tmp_path / "bank_a_truth.csv").read_bytes()
    # a second sample in the same parent folder keeps the first one's truth
    r = runner.invoke(app, ["sample", str(b), "-n", "400", "--seed", "2"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "bank_a_truth.csv").read_bytes() == truth_a
    assert (tmp_path / "bank_b_truth.csv").read_bytes() != truth_a
    # the same OUT again: refused without --force, replaced with it
    r = runner.invoke(app, ["sample", str(a), "-n", "400", "--seed", "3"])
    assert r.exit_code == 1 and "bank_a_truth.csv exists" in " ".join(r.output.split()) and "--force" in r.output
    assert (tmp_path / "bank_a_truth.csv").read_bytes() == truth_a
    r = runner.invoke(app, ["sample", str(a), "-n", "400", "--seed", "3", "--force"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "bank_a_truth.csv").read_bytes() != truth_a
    # a folder with other files in it is not filled without --force either
    c = tmp_path / "other"
    c.mkdir()
    (c / "keep.txt").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["sample", str(c), "-n", "400"])
    assert r.exit_code == 1 and "not empty" in r.output


def test_an_error_is_one_line_whatever_the_terminal_width(capsys, monkeypatch):
    # a long path in a narrow terminal: the message is not wrapped (logs are grepped by their text)
    from graphring import cli
    from graphring.errors import GraphringError

    monkeypatch.setattr(cli.err, "_width", 30)
    exit_ = cli.fail(GraphringError("/tmp/a/very/long/path/of/a/data/folder is not empty; give a new folder"))
    err = capsys.readouterr().err
    assert exit_.exit_code == 1 and err.count("\n") == 1 and "folder is not empty; give" in err
