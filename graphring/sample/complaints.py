"""The complaints table: shared machinery, the benign groups' complaints and honest borrowers' own-words complaints.

Returns
-------
_Complaints
    The mixin of :class:`graphring.sample.world._World` that writes complaint rows
    (``add_complaint``/``flush_complaints``), fills a letter's slots from the
    borrower's first loan (``letter_slots``, ``own_words``), and makes the complaints
    legal-aid centres and HR lines call in for many people (``benign_complaints``)
    and those honest borrowers write themselves (``honest_complaints``).

Examples
--------
>>> from graphring.sample.world import _World
>>> w = _World(300, seed=1, messy=False, progress=lambda msg: None)
>>> w.run(until="benign_complaints")
>>> [group for group, _ in w.benign], len(w.cmp)
(['BENIGN-legal-aid-1', 'BENIGN-hr-line-1'], 13)
"""

from __future__ import annotations

import random

import numpy as np

from graphring.sample.arrays import CLEARING_ACCOUNT, DAY, SNAP_DAY, _day_str, _e164, _Rows
from graphring.sample.letters import (_AID_FORM, _BANK_PRODUCTS, _FIRM_FORM, _HOSPITALS, _PLATFORMS, _PRODUCT_ZH,
                                      _own_words, _stock_letter)
from graphring.sample.population import _PRODUCTS


class _Complaints:
    """Complaint rows and the letters of benign groups and honest borrowers (a mixin of :class:`_World`)."""

    # ---------------------------------------------------------------- complaints: shared machinery
    _CMP_SPEC = {"b": -1, "phone": 0, "channel": "", "at": -1, "demand": "", "reason": "", "text": "", "att": "",
                 "agent": "", "tag": -1}

    def add_complaint(self, b: int, phone: int, channel: str, day: int, demand: str, reason: str, text: str,
                      att: str = "", agent: str = "", tag: int = -1) -> None:
        sec = int(day) * DAY + int(self.rng.integers(8 * 3600, 22 * 3600))
        self._cmp_buf.append((int(b), int(phone), channel, sec, demand, reason, text, att, agent, int(tag)))

    def flush_complaints(self) -> None:
        if not self._cmp_buf:
            return
        cols = list(zip(*self._cmp_buf))
        n = len(self._cmp_buf)
        self.cmp.add(n, b=np.array(cols[0], dtype=np.int64), phone=np.array(cols[1], dtype=np.int64),
                     channel=list(cols[2]), at=np.array(cols[3], dtype=np.int64), demand=list(cols[4]),
                     reason=list(cols[5]), text=list(cols[6]), att=list(cols[7]), agent=list(cols[8]),
                     tag=np.array(cols[9], dtype=np.int64))
        self._cmp_buf = []

    def hashes(self, k: int) -> list[str]:
        """Content hashes (MD5-like) of k new attachments."""
        return [f"{self.pyr.getrandbits(128):032x}" for _ in range(k)]

    def first_loan(self, b: int) -> tuple[int, int, int]:
        """(amount in yuan, applied day, product) of the borrower's first loan."""
        if self.n_loans[b] == 0:
            return self.ring_first_loan[b]
        i = int(self.loan_start[b])
        return int(self.ln["amount"][i] // 100), int(self.ln["at"][i] // DAY), int(self.ln["prod"][i])

    def platform_of(self, r: random.Random, prod: int, b: int | None = None) -> str:
        """The lender or product the borrower names (stable per borrower when ``b`` is given)."""
        if prod == 4:
            return "众联银行信用卡"
        pool = _PLATFORMS if prod == 0 else _BANK_PRODUCTS[prod]
        if b is not None:
            return pool[(int(b) * 7919 + prod) % len(pool)]
        return r.choice(pool)

    def hospital(self, r: random.Random, b: int, maternity: bool = False) -> str:
        c, p = int(self.city[b]), int(self.prov[b])
        h = "{c}妇幼保健院" if maternity and r.random() < 0.6 else r.choice(_HOSPITALS)
        if "{p}" in h and not str(self.prov_name[p]).endswith("省"):
            h = "{c}人民医院"
        return h.format(c=self.city_name[c], p=self.prov_short[p])

    def letter_slots(self, r: random.Random, b: int, day: int, phone: int, amount_fmt: int = 0, **extra) -> dict:
        amt, applied, prod = self.first_loan(b)
        od = int(self.forced_od[b]) if self.forced_od[b] >= 0 else self.ring_first_od.get(int(b), day - 30)
        a = f"{amt:,}.00" if amount_fmt == 1 else (f"{amt}" if amount_fmt == 0 else f"{amt / 10000:g}万")
        slots = {"name": str(self.name[b]), "id_tail": str(self.id_number[b])[-4:], "loan_date": _day_str(applied),
                 "platform": self.platform_of(r, prod, b), "amount": a, "od_days": max(day - od, 1),
                 "regulator": f"国家金融监督管理总局{self.prov_short[self.prov[b]]}监管局", "date": _day_str(day),
                 "phone": str(phone)}
        slots.update(extra)
        return slots

    def own_words(self, r: random.Random, b: int, day: int, demand: str, reason: str) -> str:
        """A complaint about borrower ``b``'s first loan, in their own words, written on ``day``."""
        amt, applied, prod = self.first_loan(b)
        return _own_words(r, name=str(self.name[b]), city=str(self.city_name[self.city[b]]),
                          platform=self.platform_of(r, prod, b), amount=amt, demand=demand, reason=reason,
                          prod=_PRODUCT_ZH[_PRODUCTS[prod]], loan_day=applied, day=int(day))

    # ---------------------------------------------------------------- benign complaints
    def benign_complaints(self) -> None:
        self.say("legal-aid and HR complaints")
        rng = self.rng
        self.cmp = _Rows(dict(self._CMP_SPEC))
        self._cmp_buf: list[tuple] = []
        self.benign: list[tuple[str, list[tuple[str, str]]]] = []
        r = random.Random(int(rng.integers(0, 2**62)))
        for k, la in enumerate(self.legal_aid, 1):
            c = la["city"]
            firm = k == 1 and "law_firm" in self.vary
            center = f"{self.city_short[c]}{self.brand()}律师事务所" if firm else f"{self.city_short[c]}市法律援助中心"
            hotline = self.pool.one()
            staff = [self.unique_label(lambda: f"{self.name_one()}（{center}）") for _ in range(r.randint(2, 4))]
            rows = []
            for b, day in zip(la["members"].tolist(), la["days"].tolist()):
                demand = r.choice(["installment", "installment", "reduce_principal", "waive_interest",
                                   "credit_repair", "stop_collection", "other"])
                reason = r.choice(["unemployment", "illness", "collection_violation", "other", "unemployment"])
                own = self.own_words(r, b, day, demand, reason)
                pre = r.choice(["（{c}代为转述）", "{c}受理当事人{n}的求助，现反映如下：", "我们是{c}，当事人{n}委托我们反映：",
                                "来电人为{c}工作人员，代{n}反映情况：", "当事人{n}经{c}转来，", "{c}援助律师代当事人{n}反映：",
                                "受{n}委托，", ""]).format(c=center, n=self.name[b])
                agent = r.choice(staff)
                text = pre + own
                if firm:
                    demand, text = "installment", _FIRM_FORM.format(firm=center, n=self.name[b], lawyer=agent)
                elif "aid_forms" in self.vary:
                    text = _AID_FORM.format(c=center, n=self.name[b])
                self.add_complaint(b, hotline, r.choice(["hotline", "hotline", "letter", "regulator"]), day, demand,
                                   reason, text, ";".join(self.hashes(r.randint(0, 2))), agent)
                rows.append(("borrower", self.bid(b)))
                # afterwards they repay normally from their own card
                i = int(self.loan_start[b])
                if self.ln["status"][i] in (0, 3):
                    k_rep = r.randint(1, 3)
                    for j in range(k_rep):
                        d = day + 20 + 30 * j
                        if d < SNAP_DAY:
                            self.pay.add(1, payer=self.card[b:b + 1], payee=CLEARING_ACCOUNT,
                                         amount=np.array([max(int(self.ln["amount"][i]) // 12 // 100 * 100, 10000)]),
                                         at=np.array([d * DAY + 40000]), purpose="repayment", loan=np.array([i]))
            rows += [("phone", _e164(hotline))] + [("agent", a) for a in staff]
            self.benign.append((f"BENIGN-{'law-firm' if firm else 'legal-aid'}-{k}", rows))
        for k, hr in enumerate(self.hr_lines, 1):
            co = hr["company"]
            cname = str(self.co_name_of(co))
            line = self.pool.one()
            staff = [self.unique_label(lambda: f"{self.name_one()}（{cname}人力资源部）") for _ in range(r.randint(1, 2))]
            rows = []
            for b, day in zip(hr["members"].tolist(), hr["days"].tolist()):
                demand = r.choice(["stop_collection", "stop_collection", "installment", "other", "waive_interest"])
                reason = r.choice(["collection_violation", "collection_violation", "other", "illness"])
                own = self.own_words(r, b, day, demand, reason)
                pre = r.choice(["我是{c}人事部的，我们单位员工{n}反映：", "{c}人力资源部代员工{n}来电：", "员工{n}让我帮忙反映一下，",
                                "（{c}HR代为反映）", "我们公司的{n}最近老接到催收电话，他说：", "{c}行政部来电，员工{n}：",
                                ""]).format(c=cname, n=self.name[b])
                self.add_complaint(b, line, r.choice(["hotline", "hotline", "app"]), day, demand, reason, pre + own,
                                   ";".join(self.hashes(r.randint(0, 1))), r.choice(staff))
                rows.append(("borrower", self.bid(b)))
            rows += [("phone", _e164(line)), ("company", str(self.co_ref(np.array([co]))[0]))] + [("agent", a) for a in staff]
            self.benign.append((f"BENIGN-hr-line-{k}", rows))
        self.flush_complaints()

    def co_name_of(self, co: int) -> str:
        names = self.co_parts["name"]
        if len(names) > 1:
            self.co_parts["name"] = [np.concatenate(names)]
        return str(self.co_parts["name"][0][co])

    def honest_complaints(self) -> None:
        self.say("honest complaints (own words)")
        rng, N = self.rng, self.N
        r = random.Random(int(rng.integers(0, 2**62)))
        first = self.loan_start
        free = (self.group == 0) | (self.group == 1)
        # borrowers without loans point one past the end; they are masked out below
        od = self.ln["od"][np.minimum(first, len(self.ln["od"]) - 1)]
        p = np.where(od >= 0, 0.15, 0.02)
        who = np.flatnonzero(free & (self.n_loans > 0) & (rng.random(N) < p))
        ch_p = [0.45, 0.25, 0.2, 0.07, 0.03]
        channels = ["hotline", "app", "regulator", "letter", "petition"]
        dem_od = (["installment", "waive_interest", "stop_collection", "reduce_principal", "credit_repair", "other"],
                  [0.3, 0.2, 0.2, 0.1, 0.05, 0.15])
        dem_cur = (["other", "waive_interest", "credit_repair", "stop_collection", "installment", "compensation", "apology"],
                   [0.35, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05])
        reasons = (["collection_violation", "other", "unemployment", "illness", "identity_theft", "pregnancy"],
                   [0.36, 0.3, 0.15, 0.12, 0.04, 0.03])
        for b in who.tolist():
            i = int(first[b])
            applied = int(self.ln["at"][i] // DAY)
            o = int(self.ln["od"][i])
            base = o + r.randint(5, 120) if o >= 0 else applied + r.randint(20, 500)
            day = min(base, SNAP_DAY - 1)
            n_c = 2 if r.random() < 0.12 else 1
            for k in range(n_c):
                dd = min(day + k * r.randint(10, 60), SNAP_DAY - 1)
                u = r.random()
                phone = int(self.phone[b]) if u < 0.85 else (int(self.first_contact_phone[b]) if u < 0.95 else self.pool.one())
                dm = dem_od if o >= 0 else dem_cur
                demand = r.choices(dm[0], dm[1])[0]
                reason = r.choices(*reasons)[0]
                ch = r.choices(channels, ch_p)[0] if k == 0 else r.choice(["regulator", "regulator", "petition"])
                text = (_stock_letter(r, str(self.city_name[self.city[b]])) if "stock_phrases" in self.vary
                        else self.own_words(r, b, dd, demand, reason))
                att = ";".join(self.hashes(r.choice([0, 0, 0, 1, 1, 2])))
                agent = str(self.first_contact_name[b]) if r.random() < 0.04 else ""
                self.add_complaint(b, phone, ch, dd, demand, reason, text, att, agent)
        self.flush_complaints()
