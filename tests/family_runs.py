"""Test scaffolding: a run with a ring family — two teams that bought one script, a third with its own.

Used by ``tests/present/test_report_families.py`` and the browser test of the families filter; each team is
held together by its own complaint phone and attachment, so the script links them one level up, never merges.
"""

from __future__ import annotations

from pathlib import Path

from helpers import borrowers, write_folder

from graphring.pipeline import find_rings, write_run

SCRIPT = ("本人{n}在平台借款，贵司催收人员多次爆力催收，，严重侵犯本人隐私，骚扰本人家人及同事，"
          "依据消费者权益保护法要求贵司立即停止催收并减免全部利息罚息，否则本人将持续投诉。")
OTHER = ("致贵公司法务部：当事人{n}因疫情导至收入锐减！！贵司委外人员冒充公检法恐吓当事人，已构成软暴力；"
         "现正式通知贵司停止一切催收行为，并于七日内出具书面答复，逾期我方将向银保监会及人民银行实名举报。")


def _complaint(i: int, b: dict, phone: str, text: str, att: str) -> dict:
    return {"complaint_id": f"Q{i:04d}", "borrower_id": b["borrower_id"], "complainant_phone": phone,
            "received_at": f"2025-03-{1 + i % 27:02d}", "demand": "stop_collection",
            "claimed_reason": "collection_violation", "text": text, "agent": "", "attachments": att}


def linked_folder(root: Path) -> tuple[Path, list[list[str]]]:
    """Three teams of six: A and B send one bought script, C its own; each has its own phone and image."""
    bs = borrowers(18, prefix="KH7")
    teams = [bs[:6], bs[6:12], bs[12:]]
    rows = []
    for t, (team, phone, text) in enumerate(zip(teams, ("13800000001", "13800000002", "13800000003"),
                                                (SCRIPT, SCRIPT, OTHER))):
        rows += [_complaint(10 * t + i, b, phone, text.format(n=b["name"]), att=f"sha256:team{t}")
                 for i, b in enumerate(team)]
    return write_folder(root, {"borrowers": bs, "complaints": rows}), [[b["borrower_id"] for b in t] for t in teams]


def linked_run(root: Path) -> dict:
    """Find and write the rings of :func:`linked_folder`; ``a``, ``b``: the family's ring ids, ``lone``: the other."""
    data, teams = linked_folder(Path(root) / "data")
    res = find_rings(data)
    write_run(res, Path(root) / "run", data_dir=data)
    of = {frozenset(r.borrowers): r.ring_id for r in res.rings}
    ids = [of.get(frozenset(t)) for t in teams]
    assert None not in ids, f"each team should be one ring: {[sorted(r.borrowers) for r in res.rings]}"
    return {"run": Path(root) / "run", "data": data, "a": ids[0], "b": ids[1], "lone": ids[2], "teams": teams,
            "res": res}
