"""The README documents every command, and CI runs exactly the README's test command."""

from pathlib import Path

from graphring.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    assert names
    for n in names:
        assert f"graphring {n}" in readme, n


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    cmd = 'python -m pip install -q -e ".[test]" && python -m pytest'
    assert cmd in readme
    assert cmd in ci


def test_schema_doc_is_generated_from_the_schema_module():
    from graphring.ingest.schema import contract_markdown

    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert doc == contract_markdown() + "\n", "regenerate docs/schema.md from graphring.ingest.schema.contract_markdown()"
