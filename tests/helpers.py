"""Helpers for tests: write hand-made tables as a data folder and build the graph."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphring.graph.model import build_frames
from graphring.detect.projection import build_projection
from graphring.signals import SignalContext
from graphring.ingest.validate import validate_folder


def write_folder(root: Path, tables: dict[str, list[dict]]) -> Path:
    """Write each table as a UTF-8 CSV in ``root`` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(root / f"{name}.csv", index=False)
    return root


def graph_of(root: Path, tables: dict[str, list[dict]]):
    """Validated graph frames of hand-made tables."""
    v = validate_folder(write_folder(root, tables))
    return build_frames(v.tables)


def context(root: Path, tables: dict[str, list[dict]], rings: dict[int, list[str]]) -> SignalContext:
    """A signal context with the given rings (ring number -> borrower ids)."""
    g = graph_of(root, tables)
    p = build_projection(g)
    members = pd.DataFrame([(r, b) for r, bs in rings.items() for b in bs], columns=["ring", "borrower"])
    return SignalContext(g, members, p.incidence)


def borrowers(n: int, prefix: str = "B", **extra) -> list[dict]:
    """``n`` plain borrowers with distinct valid mobiles in different cities."""
    cities = ["北京", "上海", "广州", "成都", "西安", "武汉", "沈阳", "昆明", "南宁", "兰州"]
    return [{"borrower_id": f"{prefix}{i:03d}", "name": "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"[i % 20] + "测试", "phone": f"139{i + 1000:04d}{7000 + 3 * i:04d}",
             "city": cities[i % len(cities)], "credit_file": "normal", "overdue_days": 0,
             "outstanding": 10000 + i, **extra} for i in range(n)]
