"""pytest set-up for the package's doctests: the tiny demo run of ``tests/demo_data.py`` is ``demo_run``.

Test scaffolding stays out of the wheel (issue 15); the doctests of ``graphring/``
that need a run directory call ``demo_run(folder)`` from this namespace.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from demo_data import demo_run  # noqa: E402  (tests/ is put on sys.path just above)


@pytest.fixture(autouse=True, scope="session")
def _demo_run_in_doctests(doctest_namespace):
    doctest_namespace["demo_run"] = demo_run
