"""A tiny hand-made data folder with one proxy-complaint ring, for the tests and the package's doctests.

The ring is six overdue borrowers in six cities whose complaints were all filed
from one agency number, name one agent, attach one forged certificate and read
alike; their SIMs are later seen in the agency's city. Complaint bodies, one
name and the agent field carry hostile markup (``<script>``, ``<img onerror>``,
``"onmouseover=``) so that every renderer can be checked for escaping. Twelve
honest borrowers surround the ring.

Test scaffolding, not in the wheel: ``tests/conftest.py`` makes ``demo_run_dir``
a fixture, and the root ``conftest.py`` puts :func:`demo_run` into the namespace
of the package's doctests.

Examples
--------
>>> import tempfile, pathlib
>>> d = write_demo_data(pathlib.Path(tempfile.mkdtemp()) / "demo")
>>> sorted(p.name for p in d.iterdir())[:3]
['borrowers.csv', 'complaints.csv', 'contacts.csv']
>>> DEMO_RAW_PHONE in (d / "borrowers.csv").read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphring.pipeline import find_rings
from graphring.run import write_run

__all__ = ["write_demo_data", "demo_run", "DEMO_RAW_PHONE", "DEMO_AGENCY_PHONE", "HOSTILE"]

#: A borrower's own mobile, raw: must never appear in a masked output.
DEMO_RAW_PHONE = "13912345678"
#: The agency number every ring complaint came from.
DEMO_AGENCY_PHONE = "13700001111"
#: Hostile fragments planted in names, agent and complaint bodies.
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '-->$x$ "onmouseover=alert(3)')

_CITIES = ["北京", "上海", "广州", "成都", "西安", "武汉", "沈阳", "昆明", "南宁", "兰州", "杭州", "长沙",
           "郑州", "济南", "太原", "贵阳", "福州", "合肥"]
_NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴芳", "徐强", "孙丽",
          "马超", "朱红", "胡军", "郭霞", "何平", "高峰"]


#: Honest complaints, each in its own words.
_HONEST = ["工资晚发了几天，想问能不能把这期还款往后挪一周。", "孩子住院花了不少钱，申请分期。",
           "你们的APP扣款失败两次，请核实一下是不是系统问题。", "我已经提前还清了，为什么还在收利息？",
           "催收电话打到我单位了，请注意方式。", "想咨询一下逾期会不会影响征信，我下个月一定还。",
           "账单金额和合同对不上，麻烦给个明细。", "疫情期间店铺关门，收入减少，请求减免部分罚息。",
           "银行卡换了，怎么更改自动还款账户？", "客服一直打不通，只好在这里留言。",
           "我母亲生病需要照顾，这个月晚几天还可以吗？", "利率比当初说的高，希望给个解释。"]


def _phone(i: int) -> str:
    return DEMO_RAW_PHONE if i == 0 else f"139{10000000 + 7919 * i:08d}"


def write_demo_data(folder: str | Path) -> Path:
    """Write the demo tables as UTF-8 CSV files into ``folder`` and return it."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    n_ring, n = 6, 18
    bor, comp, ev, loans, pay, dev, contacts = [], [], [], [], [], [], []
    for i in range(n):
        ring = i < n_ring
        bid = f"B{i + 1:04d}"
        name = _NAMES[i] if i != 1 else HOSTILE[2] + " 李秀英"
        bor.append({"borrower_id": bid, "name": name, "phone": _phone(i), "province": "", "city": _CITIES[i],
                    "credit_file": "normal", "overdue_days": 120 if ring else 0,
                    "outstanding": 18000 + 1500 * i if ring else 3000 + 100 * i,
                    "co_debt_lenders": 6 if ring else 1,
                    "first_overdue_on": f"2025-0{3 + i % 3}-1{i % 9}" if ring else ""})
        loans.append({"loan_id": f"L{i + 1:04d}", "borrower_id": bid, "product": "consumer",
                      "amount": 20000 + 2000 * i if ring else 5000, "applied_at": f"2024-0{1 + i % 8}-0{1 + i % 9}",
                      "status": "overdue" if ring else "current"})
        bank = f"91000000000{i:05d}"                      # each loan through its own branch account
        pay.append({"payer": bank, "payee": bid, "amount": 20000 + 2000 * i if ring else 5000,
                    "paid_at": f"2024-0{1 + i % 8}-1{i % 9}", "purpose": "loan_proceeds", "loan_id": f"L{i + 1:04d}"})
        pay.append({"payer": bid, "payee": bank, "amount": 900 + 10 * i,
                    "paid_at": f"2024-0{2 + i % 7}-1{i % 9}", "purpose": "repayment", "loan_id": f"L{i + 1:04d}"})
        dev.append({"borrower_id": bid, "device_id": f"86{i:04d}0{i:08d}", "seen_at": "2025-01-05 10:00:00",
                    "ip": f"10.{i}.0.1"})
        contacts.append({"borrower_id": bid, "phone": f"138{20000000 + 31 * i:08d}", "relation": "parent"})
        if ring:
            ev += [{"borrower_id": bid, "phone": _phone(i), "event": "unbind", "at": "2025-05-01 09:00:00"},
                   {"borrower_id": bid, "phone": f"137{30000000 + i:08d}", "event": "bind", "at": "2025-05-02 09:00:00"},
                   {"borrower_id": bid, "phone": _phone(i), "event": "location", "at": "2025-05-20 09:00:00",
                    "city": "深圳"}]
            body = ("本人因疫情失业，收入中断，现无力偿还，贵司催收人员多次暴力催收，严重影响本人生活，"
                    "要求立即停止催收并减免全部利息罚息，否则将向银保监会和人民银行投诉。"
                    + HOSTILE[i % 3] + f" 联系电话{DEMO_RAW_PHONE}"
                    + ("。另要求赔偿精神损失及误工费共计3.5万元。" if i == 5 else ""))
            comp.append({"complaint_id": f"C{i + 1:04d}", "borrower_id": bid,
                         "complainant_phone": DEMO_AGENCY_PHONE, "channel": "regulator" if i % 2 else "petition",
                         "received_at": f"2025-06-0{1 + i} 10:00:00", "demand": "compensation" if i == 5 else "stop_collection",
                         "claimed_reason": "unemployment", "text": body,
                         "attachments": "sha1:aa11bb22cc33", "agent": HOSTILE[1] + "陈律师"})
        else:
            comp.append({"complaint_id": f"C{i + 1:04d}", "borrower_id": bid, "complainant_phone": _phone(i),
                         "channel": "hotline", "received_at": f"2025-04-{10 + i} 10:00:00",
                         "demand": "installment", "claimed_reason": "other",
                         "text": _HONEST[i - n_ring], "attachments": "",
                         "agent": ""})
    tables = {"borrowers": bor, "complaints": comp, "phone_events": ev, "loans": loans, "payments": pay,
              "devices": dev, "contacts": contacts}
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(d / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    return d


def demo_run(root: str | Path) -> Path:
    """Write the demo data under ``root/data``, find rings, write the run to ``root/run``; return the run dir."""
    root = Path(root)
    data = write_demo_data(root / "data")
    res = find_rings(data, seed=0)
    write_run(res, root / "run", data_dir=data)
    return root / "run"
