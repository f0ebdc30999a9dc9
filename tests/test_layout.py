"""The package's layout (issue 15): every module imports alone, no import cycle, twins written once."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import graphring

PKG = Path(graphring.__file__).parent


def _modules() -> list[str]:
    out = []
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append(".".join(parts))
    return out


def _top_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """graphring modules a module imports when it is imported (not inside functions, not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(stmts):
        for st in stmts:
            if isinstance(st, ast.If) and "TYPE_CHECKING" in ast.unparse(st.test):
                visit(st.orelse)
                continue
            if isinstance(st, (ast.If, ast.Try, ast.With)):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for sub in getattr(st, field, []) or []:
                        visit(sub.body if isinstance(sub, ast.ExceptHandler) else [sub])
                continue
            if isinstance(st, ast.Import):
                found.update(a.name for a in st.names)
            elif isinstance(st, ast.ImportFrom):
                base = st.module or ""
                if st.level:
                    up = pkg.split(".")[: len(pkg.split(".")) - st.level + 1]
                    base = ".".join(up + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{a.name}" for a in st.names)

    visit(tree.body)
    # importing a.b.c first runs the package a.b (its __init__): that import counts too
    for m in list(found):
        parts = m.split(".")
        found.update(".".join(parts[:i]) for i in range(2, len(parts)))
    own_packages = {".".join(name.split(".")[:i]) for i in range(1, len(name.split(".")) + 1)}
    return {m for m in found if m in known and m not in own_packages}


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    paths = {}
    for p in PKG.rglob("*.py"):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        paths[".".join(parts)] = p
    return {m: _top_level_imports(paths[m], m, known) for m in mods}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = dfs(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = dfs(n)
            if c:
                return c
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_package_import_graph_is_acyclic():
    g = import_graph()
    assert len(g) > 60 and "graphring.run" in g["graphring.watch.watchlist"]
    assert find_cycle(g) is None, " -> ".join(find_cycle(g))


def test_every_module_imports_in_a_fresh_interpreter():
    mods = [m for m in _modules()]
    code = ("import importlib, sys\nbad = []\nfor m in sys.argv[1:]:\n"
            "    try:\n        importlib.import_module(m)\n"
            "    except Exception as e:\n        bad.append(f'{m}: {type(e).__name__}: {e}')\n"
            "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n")
    # each module first in its own interpreter would take minutes; one interpreter per module group
    # still catches a module that only imports after another one was imported: each runs in a fresh one
    for m in mods:
        r = subprocess.run([sys.executable, "-c", code, m], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr


def test_error_classes_live_in_errors():
    import importlib

    from graphring import errors

    outside = []
    for m in _modules():
        mod = importlib.import_module(m)
        for name, obj in vars(mod).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == m and m != errors.__name__:
                outside.append(f"{m}.{name}")
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__.startswith("graphring"):
                assert issubclass(obj, errors.GraphringError), f"{m}.{name}"
    assert outside == []


def test_twins_are_written_once():
    from graphring import run, sample, signals
    from graphring.present import referral
    from graphring.present import report
    from graphring.files import checksums
    from graphring.present import fmt
    from graphring.score import scoring
    from graphring.watch import screen
    from graphring.present.referral import amounts, pack
    from graphring.present.report import graph

    assert sample.TYPOLOGIES is scoring.TYPOLOGIES
    assert amounts.money is fmt.money and amounts.claimed_amount is fmt.claimed_amount
    assert signals.malicious_claim._claimed_amount is fmt.claimed_amount
    assert pack.sha256_file is checksums.sha256_file and not hasattr(run, "_sha256") and not hasattr(screen, "_sha256")
    # each output keeps its format: the referral pack with fen, the ring page in whole yuan, explain without ¥
    assert amounts.money(12345.5) == "¥12,345.50" and graph.money(12345.5) == "¥12,346"
    assert fmt.money(12345.5, symbol="") == "12,345.50" and graph.money(float("nan")) == ""
    assert referral and report


def test_check_digits_once():
    from graphring import normalize
    from graphring.ingest import checkdigits
    from graphring.sample import population

    src = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(population.__file__).parent.glob("*.py")))
    src += "".join(p.read_text(encoding="utf-8") for p in sorted(Path(normalize.__file__).parent.glob("*.py")))
    assert "[7, 9, 10, 5, 8, 4, 2, 1, 6, 3" not in src and "pow(3, i, 31)" not in src
    assert "@ _ID_WEIGHTS" not in src and "@ _USCC_WEIGHTS" not in src  # the byte-matrix forms are checkdigits' too
    # the generator computes no check character itself: GB 11643, GB 32100 and GB 11714 all come from checkdigits
    gen = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(population.__file__).parent.glob("*.py")))
    assert not re.search(r"_W\b|WEIGHTS|% 11\b|% 31\b", gen), re.search(r"_W\b|WEIGHTS|% 11\b|% 31\b", gen)
    assert normalize.id_check_digit is checkdigits.id_check_digit and population._luhn_digits is checkdigits.luhn_digits
    assert checkdigits.id_ok("11010519491231002X") and not checkdigits.uscc_ok("91350100M000100Y44")


def test_cli_one_error_path_and_defaults_from_config(tmp_path):
    from typer.testing import CliRunner

    from graphring import cli
    from graphring.cli import watch
    from graphring.watch import screen
    from graphring.config import DEFAULTS, SCREEN_MIN_SCORE

    # the CLI is one package: the app, its one error path and progress bar in app.py, a module per command group
    assert not any((PKG / f).exists() for f in ("cli.py", "watch_cli.py", "neo4j_cli.py", "progress.py",
                                                "report/cli_report.py", "referral/cli_referral.py"))
    src = "".join(p.read_text(encoding="utf-8") for p in sorted((PKG / "cli").glob("*.py")))
    assert src.count('err.print(f"error: {exc}"') == 1 and src.count("typer.Exit(1)") == 1
    assert src.count("Progress(TextColumn") == 1 and "progress_bar" not in src
    assert "= 0.2" not in src
    assert inspect.signature(screen.screen).parameters["min_score"].default == SCREEN_MIN_SCORE
    assert inspect.signature(watch.screen).parameters["min_score"].default == SCREEN_MIN_SCORE
    params = {p.name: p.default for p in __import__("typer").main.get_command(cli.app).commands["rings"].params}
    assert params["min_score"] == DEFAULTS["min_score"] and params["algorithm"] == DEFAULTS["algorithm"]
    # the watchlist sub-command goes through the same path: one line, exit 1, no traceback
    r = CliRunner().invoke(cli.app, ["watchlist", "export", str(tmp_path / "nowhere")], env={"GRAPHRING_HMAC_KEY": "ab" * 32})
    assert r.exit_code == 1 and "error: run directory not found" in r.output and "Traceback" not in r.output


def test_no_test_scaffolding_in_the_package():
    """The Neo4j test server, the report test runs and the demo run live under tests/, not in the wheel."""
    gone = ("testing_neo4j.py", "report/testing.py", "referral/demo.py")
    assert not any((PKG / f).exists() for f in gone)
    tests = PKG.parent / "tests"
    assert all((tests / f).is_file() for f in ("conftest.py", "neo4j_server.py", "report_runs.py", "demo_data.py"))
    src = "".join(p.read_text(encoding="utf-8") for p in PKG.rglob("*.py"))
    assert "graphring.testing_neo4j" not in src and "graphring.present.referral.demo" not in src and "report.testing" not in src


def test_no_extra_repeats_a_core_dependency():
    import tomllib

    meta = tomllib.loads((PKG.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {d.split(">")[0].split("=")[0].strip() for d in meta["dependencies"]}
    extras = {k: v for k, v in meta["optional-dependencies"].items() if k != "test"}
    assert not any(d.split(">")[0].strip() in core for v in extras.values() for d in v), extras
    assert "pyvis" in core and (PKG / "present" / "report" / "notebook.py").is_file()
    src = "".join(p.read_text(encoding="utf-8") for p in PKG.rglob("*.py"))
    assert "graphring[leiden]" not in src and "graphring[pdf]" not in src
