"""Blank what legitimately differs between two runs of the same code in a check_identical.sh tree.

Used by ``scripts/check_identical.sh`` (issue 15: the layout redesign must not change outputs).
Rewrites the tree in place, so ``diff -r BEFORE AFTER`` shows only real differences:

* the source tree's path (the sample data is read from it) -> ``<SRC>``;
* the output folder's own path (both trees must be the same length, e.g. /tmp/layout-before and
  /tmp/layout-after0, so that rich wraps terminal lines alike) -> ``<OUT>``;
* run ids (``run-YYYYMMDDTHHMMSSZ-xxxxxx``) -> ``<RUN_ID>``; ISO times of today (``created_at``,
  pack ``generated_at``) -> ``<NOW>``;
* sizes in referral pack manifests (``bytes``: the files carry the run id);
* timings: JSON keys ``timings_s``, ``timings``, ``build_seconds``, ``seconds`` -> 0, and in terminal
  text ``in 0.6s`` / ``2.9 秒`` -> ``<T>s``;
* sha-256 digests inside referral packs and their stdout (they hash files that carry the run id)
  -> ``<SHA>``; the run's own ``inputs_sha256`` and ``outputs`` digests are kept;
* the run fingerprint of referral packs (sha-256 of the run manifest, 16 hex digits) -> ``<RUN_FP>``;
* PDF -> its text (pypdf, page by page); XLSX -> its cells (openpyxl, sheet by sheet); PNG kept as bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

TEXT = {".txt", ".json", ".csv", ".html", ".md", ".svg", ".graphml", ".gexf", ""}
TIMING_KEYS = {"timings_s", "timings", "build_seconds", "seconds"}
RUN_ID = re.compile(r"run-\d{8}T\d{6}Z-[0-9a-f]{6}")
SECS = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(\s?)(s|秒)(?![A-Za-z])")
SHA = re.compile(r"\b[0-9a-f]{64}\b")


def _blank_timings(o, keys=TIMING_KEYS):
    if isinstance(o, dict):
        return {k: (0 if k in keys else _blank_timings(v, keys)) for k, v in o.items()}
    if isinstance(o, list):
        return [_blank_timings(v, keys) for v in o]
    return o


FINGERPRINTS: list[str] = []


SRC: list[str] = []


def normalise_text(t: str, out: str, in_pack: bool, is_stdout: bool) -> str:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    t = t.replace(out, "<OUT>")
    for s in SRC:
        t = t.replace(s, "<SRC>")
    t = RUN_ID.sub("<RUN_ID>", t)
    t = re.sub(today + r"[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:\+00:00|Z)?", "<NOW>", t)
    if is_stdout:
        t = SECS.sub(r"<T>\1\2", t)
    if in_pack:
        t = SHA.sub("<SHA>", t)
    for fp in FINGERPRINTS:
        t = t.replace(fp, "<RUN_FP>")
    return t


def normalise(root: Path, out: str | None = None) -> None:
    out = out or str(root.resolve())
    import hashlib

    # a referral pack names its run by the first 16 hex digits of the run manifest's sha-256
    FINGERPRINTS[:] = [hashlib.sha256(m.read_bytes()).hexdigest()[:16] for m in root.glob("*/run*/manifest.json")]
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        in_pack = any(part.startswith("referral-") for part in p.relative_to(root).parts)
        is_stdout = p.name.endswith(".stdout.txt") or p.name.endswith(".stderr.txt") or p.parent == root
        if p.suffix == ".pdf":
            from pypdf import PdfReader

            text = "\n=== page ===\n".join(pg.extract_text() or "" for pg in PdfReader(str(p)).pages)
            p.with_suffix(".pdf.txt").write_text(normalise_text(text, out, True, False), encoding="utf-8")
            p.unlink()
        elif p.suffix == ".xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(p, read_only=True)
            lines = []
            for ws in wb.worksheets:
                lines.append(f"## {ws.title}")
                for row in ws.iter_rows(values_only=True):
                    lines.append("\t".join("" if v is None else str(v) for v in row))
            p.with_suffix(".xlsx.txt").write_text(normalise_text("\n".join(lines), out, True, False), encoding="utf-8")
            p.unlink()
        elif p.suffix in TEXT or p.name == "SHA256SUMS":
            try:
                t = p.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                continue
            if p.suffix == ".json":
                try:
                    keys = TIMING_KEYS | ({"bytes"} if in_pack else set())  # sizes of files that carry the run id
                    t = json.dumps(_blank_timings(json.loads(t), keys), ensure_ascii=False, indent=1)
                except ValueError:
                    pass
            p.write_text(normalise_text(t, out, in_pack, is_stdout or p.suffix == ".txt"), encoding="utf-8")


if __name__ == "__main__":
    SRC[:] = sys.argv[3:4]
    normalise(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
