"""The five fraud ring typologies: planting them in the population and building their traces.

Returns
-------
_Schemes
    The mixin of :class:`graphring.sample.world._World` that plants rings
    (``plan_rings``: how many, which scheme, who, when, which optional traces each
    keeps, with ``_plan_<typology>`` shaping the members' histories before the
    honest tables are drawn) and then builds their traces (``build_rings``, with
    ``_build_<typology>`` for ``proxy_complaint``, ``debt_evasion``,
    ``malicious_claim``, ``shell_company_loan`` and ``debt_carrier``): hub phones,
    SIM moves and rebinds, templated letters, forged attachments, shell companies,
    circular trade, insider officers, intermediaries, carrier devices and accounts.
_TRACES
    (class attribute) the optional traces of each scheme, in the order they are drawn.

Examples
--------
>>> from graphring.sample.world import _World
>>> w = _World(300, seed=1, messy=False, progress=lambda msg: None)
>>> w.run(until="plan_rings")
>>> sorted(r["typ"] for r in w.rings) == sorted(TYPOLOGIES), w.rings[0]["id"]
(True, 'RING-0001')
"""

from __future__ import annotations

import random
import zlib

import numpy as np

from graphring.config import TYPOLOGIES
from graphring.sample.arrays import CLEARING_ACCOUNT, DAY, SNAP_DAY, _day_str, _e164, _seg_pick, _segments, _uniq
from graphring.sample.letters import _ILLNESS, _ILLNESS_F, _ring_template, _vary
from graphring.sample.population import _BANKS


class _Schemes:
    """Planting the five ring typologies and building their traces (a mixin of :class:`_World`)."""

    # ---------------------------------------------------------------- rings, phase A (who, when)
    _TRACES = {
        "proxy_complaint": ["hub", "sim_location", "rebind", "template", "attach", "agent"],
        "debt_evasion": ["hub", "sim_location", "rebind", "template", "forged", "life", "agent"],
        "malicious_claim": ["agent", "contact", "template", "escalate", "attach", "hub", "lost_contact"],
        "shell_company_loan": ["shell_addr", "reg_agent", "recent", "circle", "counterparty", "payroll", "officer",
                               "intermediary", "thin"],
        "debt_carrier": ["burst", "intermediary", "device", "thirdparty", "hold", "package", "officer", "account",
                         "complaints"],
    }

    def plan_rings(self) -> None:
        self.say("planting rings")
        rng, N = self.rng, self.N
        n_r = max(5, int(round(N / 500)))
        typs = list(rng.permutation(TYPOLOGIES)) + \
            list(rng.choice(TYPOLOGIES, n_r - 5, p=[0.3, 0.2, 0.15, 0.15, 0.2]))
        cap = max(8, min(300, N // 15))
        sizes = np.clip(np.round(5 * (1 + rng.pareto(1.2, n_r))), 5, cap).astype(int)
        if n_r <= 10:
            j = int(np.argmax(sizes))
            sizes[j] = max(sizes[j], min(cap, max(40, N // 30)))
        budget = max(25, int(0.12 * N))
        if sizes.sum() > budget:
            sizes = np.maximum(5, (sizes * budget / sizes.sum()).astype(int))
        self.rings: list[dict] = []
        # the first ring of each scheme: mostly loud, one stealthier; later rings: any stealth
        first_keep = rng.permutation([0.95, 0.9, 0.85, 0.75, 0.6]).tolist()
        for r, (typ, s) in enumerate(zip(typs, sizes)):
            hub_city = int(self.city_by_weight(1)[0])
            mem: list[int] = []
            while len(mem) < s:
                got = self.take_free_any(1)
                if not got:
                    break
                b = got[0]
                if self.city[b] == hub_city:
                    continue     # skipped now, not lost: still free for benign or others
                mem.append(b)
                self.group[b] = 9
            if len(mem) < 5:
                self.group[mem] = 0
                break
            m = np.array(mem)
            self.ring_of[m] = len(self.rings)
            keep_p = first_keep[r] if r < 5 else float(rng.choice([0.95, 0.75, 0.55], p=[0.35, 0.4, 0.25]))
            names = self._TRACES[typ]
            traces = {t: bool(rng.random() < keep_p) for t in names}
            if sum(traces.values()) < 2:
                for t in rng.choice(names, 2, replace=False):
                    traces[str(t)] = True
            ring = {"i": len(self.rings), "id": f"RING-{len(self.rings) + 1:04d}", "typ": str(typ), "members": m,
                    "city": hub_city, "traces": traces, "keep_p": keep_p,
                    "seed": int(rng.integers(0, 2**62))}
            getattr(self, f"_plan_{typ}")(ring)
            self.rings.append(ring)

    def _campaign_days(self, s: int) -> np.ndarray:
        rng = self.rng
        c0 = int(rng.integers(170, SNAP_DAY - 90))
        spread = int(rng.integers(20, 120))
        return np.minimum(c0 + rng.integers(0, spread, s), SNAP_DAY - 2)

    def _plan_proxy_complaint(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        ring["days"] = self._campaign_days(s)
        self.forced_od[m] = np.maximum(ring["days"] - rng.integers(20, 150, s), 75)
        self.onboard[m] = np.clip(np.minimum(self.onboard[m], self.forced_od[m] - rng.integers(60, 450, s)), 0, None)
        self.co_debt[m] = rng.integers(2, 8, s)

    def _plan_debt_evasion(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        days = self._campaign_days(s)
        ring["days"] = days
        od = np.maximum(days - rng.integers(8, 45, s), 75)
        self.forced_od[m] = od
        self.onboard[m] = np.clip(np.minimum(self.onboard[m], od - rng.integers(60, 450, s)), 0, None)
        ring["stay_from"] = od - rng.integers(3, 20, s)
        ring["stay_to"] = np.maximum(days - rng.integers(2, 12, s), ring["stay_from"] + 6)
        ring["days"] = np.maximum(days, ring["stay_to"] + 1)
        self.co_debt[m] = rng.integers(1, 6, s)

    def _plan_malicious_claim(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        self.forced_od[m] = SNAP_DAY - rng.integers(100, 260, s)
        self.onboard[m] = np.clip(np.minimum(self.onboard[m], self.forced_od[m] - rng.integers(200, 420, s)), 0, None)
        self.long_hist[m] = True
        self.co_debt[m] = rng.integers(6, 16, s)

    def _plan_shell_company_loan(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        self.n_loans[m] = 0
        self.employer[m] = -1
        self.legal_co[m] = -1
        if ring["traces"]["thin"]:
            self.thin[m] = rng.random(s) < 0.85
        self.co_debt[m] = rng.integers(0, 2, s)
        ring["w0"] = int(rng.integers(260, SNAP_DAY - 200))

    def _plan_debt_carrier(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        self.n_loans[m] = 0
        self.employer[m[rng.random(s) < 0.7]] = -1
        self.legal_co[m] = -1
        self.thin[m] = rng.random(s) < 0.9
        self.co_debt[m] = 0
        ring["t0"] = int(rng.integers(200, SNAP_DAY - 170))

    # ---------------------------------------------------------------- rings, phase B (the traces)
    def build_rings(self) -> None:
        self.say(f"building traces of {len(self.rings)} rings")
        self.ring_truth: list[list[tuple[str, str]]] = []
        for ring in self.rings:
            rows = [("borrower", self.bid(b)) for b in ring["members"].tolist()]
            self.ring_truth.append(rows)
            getattr(self, f"_build_{ring['typ']}")(ring, random.Random(ring["seed"]), rows)
            self.flush_complaints()

    def add_ring_loans(self, ring: dict, b, prod, amount, applied_day, status, od, out, officer, inter, emp, cp) -> np.ndarray:
        n = len(b)
        at = np.asarray(applied_day, dtype=np.int64) * DAY + self.rng.integers(8 * 3600, 20 * 3600, n)
        self.ln_r.add(n, b=np.asarray(b), prod=np.asarray(prod), amount=np.asarray(amount), at=at,
                      status=np.asarray(status), od=np.asarray(od), hist=-1, out=np.asarray(out),
                      officer=np.asarray(officer), inter=np.asarray(inter), emp=np.asarray(emp), cp=np.asarray(cp),
                      tag=ring["i"])
        idx = self.n_honest_loans + self.n_ring_loans + np.arange(n)
        self.n_ring_loans += n
        for bb, a, d, p, o in zip(np.asarray(b).tolist(), np.asarray(amount).tolist(),
                                  np.asarray(applied_day).tolist(), np.asarray(prod).tolist(), np.asarray(od).tolist()):
            self.ring_first_loan.setdefault(bb, (int(a) // 100, int(d), int(p)))
            if o >= 0:
                self.ring_first_od[bb] = min(self.ring_first_od.get(bb, o), o)
        return idx

    def add_pay(self, payer, payee, amount, day, purpose, loan=-1) -> None:
        day = np.atleast_1d(np.asarray(day, dtype=np.int64))
        n = len(day)
        def arr(v):
            return np.asarray(v, dtype=object) if isinstance(v, (list, np.ndarray)) else v
        self.pay.add(n, payer=arr(payer), payee=arr(payee), amount=np.broadcast_to(np.asarray(amount, dtype=np.int64), (n,)).copy(),
                     at=day * DAY + self.rng.integers(8 * 3600, 21 * 3600, n), purpose=purpose,
                     loan=np.broadcast_to(np.asarray(loan, dtype=np.int64), (n,)).copy())

    def sim_and_rebind(self, ring: dict, r: random.Random, days: np.ndarray, rows: list) -> None:
        """The borrower's own SIM is mailed to the agency; the account phone is unbound and rebound."""
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s = len(m)
        agency_city = self.city_name[ring["city"]]
        if tr.get("sim_location"):
            self.ev.add(s, b=m, phone=self.phone[m], event="location",
                        at=(days - rng.integers(40, 120, s)) * DAY + rng.integers(9 * 3600, 20 * 3600, s),
                        city=self.city_name[self.city[m]])
            k = 1 + (rng.random(s) < 0.5)
            mm = np.repeat(m, k)
            dd = np.repeat(days, k) - rng.integers(1, 25, len(mm))
            self.ev.add(len(mm), b=mm, phone=self.phone[mm], event="location",
                        at=dd * DAY + rng.integers(9 * 3600, 22 * 3600, len(mm)), city=agency_city)
        if tr.get("rebind"):
            shared = r.random() < 0.5
            if shared:
                pool = self.pool.take(max(1, s // 6))
                new = pool[rng.permutation(s) % len(pool)]
                rows += [("phone", _e164(x)) for x in pool.tolist()]
            else:
                new = self.pool.take(s)
            t = (days - rng.integers(2, 11, s)) * DAY + rng.integers(9 * 3600, 20 * 3600, s)
            self.ev.add(s, b=m, phone=self.phone[m], event="unbind", at=t)
            self.ev.add(s, b=m, phone=new, event="bind", at=t + rng.integers(300, DAY, s))

    def _anti_collection_letters(self, ring, r, rows, members, days, hubs, template, agents, shared_att,
                                 typ_demand=("stop_collection", "waive_interest")) -> None:
        fmt = r.randint(0, 2)
        order = list(range(len(members)))
        r.shuffle(order)
        for i, b in enumerate(members.tolist()):
            n_c = 2 if r.random() < 0.3 else 1
            hub = int(hubs[order[i] % len(hubs)]) if hubs is not None else int(self.phone[b])
            for k in range(n_c):
                day = min(int(days[i]) + k * r.randint(14, 40), SNAP_DAY - 1)
                if template:
                    text = _vary(r, template.format_map(self.letter_slots(r, b, day, hub, fmt)))
                else:
                    text = self.own_words(r, b, day, "stop_collection", "collection_violation")
                att = r.sample(shared_att, r.randint(1, len(shared_att))) if shared_att else []
                att += self.hashes(r.choice([0, 0, 1]))
                demand = typ_demand[0] if r.random() < 0.6 else typ_demand[1]
                reason = "collection_violation" if r.random() < 0.75 else r.choice(["other", "unemployment"])
                ch = "regulator" if r.random() < 0.85 else "hotline"
                self.add_complaint(b, hub, ch, day, demand, reason, text, ";".join(att),
                                   r.choice(agents) if agents else "", ring["i"])

    def script(self, r: random.Random, typology: str, **kw) -> str:
        """A ring's letter template: its own, or (variation ``sold_scripts``) one of a supplier's two scripts."""
        if "sold_scripts" not in self.vary:
            return _ring_template(r, typology, **kw)
        pool = self.__dict__.setdefault("_scripts", {})
        key = (typology, tuple(sorted(kw.items())))
        if key not in pool:
            sr = random.Random(zlib.crc32(repr((self.seed, self.N, key)).encode()))
            pool[key] = [_ring_template(sr, typology, **kw) for _ in range(2)]
        return r.choice(pool[key])

    def _agency(self, r: random.Random, city: int) -> str:
        return self.unique_label(lambda: f"{self.city_short[city]}{self.brand()}"
                                         f"{r.choice(['法务咨询', '信用管理', '债务优化', '法律咨询服务', '金融咨询', '信息咨询'])}")

    def _build_proxy_complaint(self, ring: dict, r: random.Random, rows: list) -> None:
        m, tr, days = ring["members"], ring["traces"], ring["days"]
        agency = self._agency(r, ring["city"])
        hubs = self.pool.take(min(1 if r.random() < 0.5 else r.randint(3, 8), max(1, len(m) // 2))) if tr["hub"] else None
        self.sim_and_rebind(ring, r, days, rows)
        template = self.script(r, "proxy_complaint") if tr["template"] else None
        agents = [self.unique_label(lambda: f"{self.name_one()}（{agency}）") for _ in range(r.choice([1, 1, 2]))] \
            if tr["agent"] else []
        shared = self.hashes(r.randint(1, 3)) if tr["attach"] else []
        self._anti_collection_letters(ring, r, rows, m, days, hubs, template, agents, shared)
        rows += [("phone", _e164(x)) for x in (hubs.tolist() if hubs is not None else [])]
        rows += [("agent", a) for a in agents] + [("attachment", h) for h in shared]

    def _build_debt_evasion(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr, days = self.rng, ring["members"], ring["traces"], ring["days"]
        s = len(m)
        agency = self._agency(r, ring["city"])
        hubs = self.pool.take(min(1 if r.random() < 0.5 else r.randint(3, 8), max(1, len(m) // 2))) if tr["hub"] else None
        self.sim_and_rebind(ring, r, days, rows)
        main = r.choice(["illness", "illness", "illness", "pregnancy", "death", "unemployment"])
        reasons = [main if r.random() < 0.8 else r.choice(["illness", "unemployment"]) for _ in range(s)]
        reasons = ["illness" if x == "pregnancy" and self.male[b] else x for x, b in zip(reasons, m.tolist())]
        templates = {x: self.script(r, "debt_evasion", reason=x) for x in dict.fromkeys(reasons)} if tr["template"] else {}
        forged = self.hashes(r.randint(1, 2)) if tr["forged"] else []
        agents = [self.unique_label(lambda: f"{self.name_one()}（{agency}）")] if tr["agent"] else []
        fmt = r.randint(0, 2)
        sf, st = ring["stay_from"], ring["stay_to"]
        order = list(range(s))
        r.shuffle(order)
        for i, b in enumerate(m.tolist()):
            day = int(days[i])
            hub = int(hubs[order[i] % len(hubs)]) if hubs is not None else int(self.phone[b])
            reason = reasons[i]
            hosp = self.hospital(r, b, maternity=reason == "pregnancy")
            ill = r.choice(_ILLNESS + ([] if self.male[b] else _ILLNESS_F)) if reason != "pregnancy" else "先兆流产"
            if reasons[i] in templates:
                slots = self.letter_slots(r, b, day, hub, fmt, stay_from=_day_str(int(sf[i])), stay_to=_day_str(int(st[i])),
                                          hospital=hosp, illness=ill, preg=r.randint(3, 8))
                text = _vary(r, templates[reasons[i]].format_map(slots))
            else:
                text = (f"本人于{_day_str(int(sf[i]))}至{_day_str(int(st[i]))}在{hosp}住院。" +
                        self.own_words(r, b, day, "stop_collection", "illness"))
            att = ([r.choice(forged)] if forged else []) + self.hashes(r.choice([0, 1, 1]))
            self.add_complaint(b, hub, "regulator" if r.random() < 0.7 else "hotline", day,
                               "stop_collection" if r.random() < 0.95 else "installment", reason, text,
                               ";".join(att), r.choice(agents) if agents else "", ring["i"])
        if tr["life"]:
            # life goes on during the claimed hospital stay: logins, spending
            k = rng.integers(2, 5, s)
            mm = np.repeat(np.arange(s), k)
            b = m[mm]
            d = sf[mm] + (rng.random(len(mm)) * (st[mm] - sf[mm])).astype(np.int64)
            self.dev.add(len(mm), b=b, device=self.primary_dev[b], at=d * DAY + rng.integers(7 * 3600, 23 * 3600, len(mm)),
                         ip=self.login_ips(b, wifi=False))
            k = rng.integers(1, 4, s)
            mm = np.repeat(np.arange(s), k)
            b = m[mm]
            d = sf[mm] + (rng.random(len(mm)) * (st[mm] - sf[mm])).astype(np.int64)
            self.add_pay(self.card[b], self.co_ref(self.random_company_in(self.city[b])), rng.integers(80, 2500, len(mm)) * 100,
                         d, "other")
        rows += [("phone", _e164(x)) for x in (hubs.tolist() if hubs is not None else [])]
        rows += [("agent", a) for a in agents] + [("attachment", h) for h in forged]

    def _build_malicious_claim(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s = len(m)
        coach = self.unique_label(self.name_one)
        coach_phones = self.pool.take(r.choice([1, 1, 2]))
        agents = [coach] if tr["agent"] else []
        used_phones: list[int] = []
        if tr["contact"]:
            ph = coach_phones[rng.permutation(s) % len(coach_phones)]
            used_phones += coach_phones.tolist()
            nick = [r.choice([coach, coach[0] + "哥", coach[0] + "老师", coach[0] + "姐", coach]) for _ in range(s)]
            self.con.add(s, b=m, phone=ph, relation=[r.choice(["friend", "other", "colleague"]) for _ in range(s)], name=nick)
        if tr["lost_contact"]:
            od = self.forced_od[m]
            self.ev.add(s, b=m, phone=self.phone[m], event="unbind",
                        at=(od - rng.integers(3, 30, s)) * DAY + rng.integers(9 * 3600, 21 * 3600, s))
        templates = {st: self.script(r, "malicious_claim", stage=st) for st in (1, 2, 3)} if tr["template"] else {}
        shared = self.hashes(1) if tr["attach"] else []
        fmt = r.randint(0, 2)
        for i, b in enumerate(m.tolist()):
            od = int(self.forced_od[b])
            d1 = od + r.randint(20, 70)
            stage_days = {1: d1, 2: d1 + r.randint(10, 40)}
            stage_days[3] = stage_days[2] + r.randint(20, 60)
            if tr["escalate"]:
                stages = r.choice([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2], [2, 3]])
            else:
                stages = [r.choice([2, 3])]
            start = stage_days[stages[0]]
            claim_base = int(self.ln["out"][self.loan_start[b]:self.loan_start[b] + self.n_loans[b]].sum() // 100)
            claim = int(round(claim_base * r.uniform(0.95, 1.2), -2))
            for stg in stages:
                day = min(stage_days[stg] - (stage_days[stages[0]] - start), SNAP_DAY - 1)
                if day >= SNAP_DAY - 1 and stg != stages[0]:
                    continue
                phone = int(self.phone[b])
                if tr["hub"] and r.random() < 0.4:
                    phone = int(coach_phones[0])
                    used_phones.append(phone)
                coll = _day_str(max(od + r.randint(3, 15), 0))
                rel = r.choice(["父母", "妻子", "丈夫", "同事", "领导", "哥哥", "村委会"])
                if stg in templates:
                    text = templates[stg].format_map(self.letter_slots(r, b, day, phone, fmt, claim=f"{claim:,}",
                                                                       coll_date=coll, rel=rel))
                    text = _vary(r, text, allow_drop=stg != 3)
                else:
                    text = self.own_words(r, b, day, "compensation" if stg == 3 else "apology", "collection_violation")
                    if stg == 3:
                        text += f"要求赔偿{claim}元。"
                att = shared + self.hashes(1)
                self.add_complaint(b, phone, {1: "hotline", 2: "regulator", 3: "petition"}[stg], day,
                                   {1: "apology", 2: "apology", 3: "compensation"}[stg], "collection_violation", text,
                                   ";".join(att), r.choice(agents) if agents else "", ring["i"])
        rows += [("agent", a) for a in agents] + [("attachment", h) for h in shared]
        rows += [("phone", _e164(x)) for x in dict.fromkeys(used_phones)]

    def _default_schedule(self, applied: np.ndarray, lo: int, hi: int, p_default: float):
        """(status, od) for ring loans: most default some months after applying."""
        rng, n = self.rng, len(applied)
        od = applied + rng.integers(lo, hi, n)
        dflt = (rng.random(n) < p_default) & (od < SNAP_DAY - 5)
        od = np.where(dflt, od, -1)
        status = np.where(dflt, np.where((SNAP_DAY - od > 180) & (rng.random(n) < 0.6), 2, 1), 0)
        return status, od

    def _outstanding(self, amount, applied, od, term=36):
        ref = np.where(od >= 0, od, SNAP_DAY)
        remain = np.clip(1 - (ref - applied) / 30 / term, 0.3, 1)
        return np.round(amount * remain * np.where(od >= 0, 1.06, 1.0)).astype(np.int64)

    def _build_shell_company_loan(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s, c, w0 = len(m), ring["city"], ring["w0"]
        inter_name = self.unique_label(lambda: f"{self.city_short[c]}{self.brand()}"
                                               f"{r.choice(['融资顾问', '金融服务', '企业管理咨询', '财务顾问', '商务咨询'])}")
        inter = self.new_intermediary(inter_name)
        inter_acct = str(self.make_cards(1, [(x, ln) for x, ln, _ in _BANKS])[0][0])
        n_sh = int(np.clip(s // 4, 3, 12))
        if tr["recent"]:
            inc = w0 - rng.integers(120, 500, n_sh)
        else:
            inc = -rng.integers(1500, 5000, n_sh)
        dist = self.pick_district(np.full(n_sh, c))
        addr = self.addresses(dist, home=False).astype(object)
        if tr["shell_addr"]:
            shared = self.addresses(dist[:2], home=False).astype(object)
            shared = np.array([str(x) + ("" if x.endswith("室") else f"{r.randint(5, 28)}楼{r.randint(1, 20):02d}室") for x in shared],
                              dtype=object)
            addr = shared[rng.integers(0, 1 + (n_sh > 5), n_sh)]
            rows += [("address", a) for a in sorted(set(addr.tolist()))]
        if tr["reg_agent"]:
            firm = self.unique_label(lambda: f"{self.city_short[c]}{self.brand()}"
                                             f"{r.choice(['代理记账', '工商代办', '企业服务', '财税咨询'])}有限公司")
            agent = np.full(n_sh, firm, dtype=object)
            self.ring_firms.add(firm)
            # the same firm also keeps the books of some honest companies
            hon = self.random_company_in(np.full(r.randint(2, 6), c))
            self.co_parts["agent"][0][hon] = firm
        else:
            agent = self.bk_name[_seg_pick(rng, *_segments(self.bk_city, self.nC), np.full(n_sh, c))]
        names = self.company_names(np.full(n_sh, c), ["贸易", "商贸", "供应链管理", "科技", "实业", "电子商务", "建材"])
        shells = self.add_companies(np.full(n_sh, c), inc, names=names, addr=addr, agent=agent,
                                    status=np.full(n_sh, "存续", dtype=object), dist=dist)
        suscc = self.co_ref(shells)
        rows += [("company", u) for u in suscc.tolist()]
        # nominal legal reps (some of the borrowers), a nominee shareholder, recent equity transfers
        n_rep = min(n_sh, max(1, s // 3))
        reps = self.person_ids(n_sh)
        reps[:n_rep] = self.bid_str(m[:n_rep])
        since = np.where(tr["recent"], inc, w0 - rng.integers(60, 300, n_sh))
        self.roles.add(n_sh, uscc=shells, person=reps, role="legal_rep", since=since)
        nominee = self.person_ids(1)[0]
        self.roles.add(n_sh, uscc=shells, person=nominee, role="shareholder", since=since + rng.integers(0, 30, n_sh))
        shell_of = shells[np.arange(s) % n_sh]
        if tr["payroll"]:
            sal = rng.integers(16, 41, s) * 50000
            since_e = w0 - rng.integers(90, 300, s)
            self.roles.add(s, uscc=shell_of, person=self.bid_str(m).astype(object), role="employee", since=since_e,
                           salary=sal, si=1)
            for j in range(3):
                self.add_pay(self.co_ref(shell_of), self.card[m], sal, w0 - 30 * j - rng.integers(5, 12, s), "salary")
        if tr["circle"]:
            months = r.randint(4, 10)
            base = r.randint(20, 120) * 10000 * 100
            for mo in range(months):
                day = w0 - 30 * (months - mo) + r.randint(0, 25)
                amts = (base * (1 + rng.uniform(-0.03, 0.03, n_sh))).astype(np.int64) // 100 * 100
                self.add_pay(suscc, np.roll(suscc, -1), amts, np.full(n_sh, day) + rng.integers(0, 3, n_sh), "trade")
                self.add_pay(inter_acct, suscc[:1], base, day - 1, "other")
            rows.append(("account", inter_acct))
        # the loans
        nl = 1 + (rng.random(s) < 0.3)
        lb = np.repeat(np.arange(s), nl)
        b = m[lb]
        is_rep = lb < n_rep
        prod = np.where(is_rep & (rng.random(len(lb)) < 0.8), 1, 0)
        amount = np.where(prod == 1, rng.integers(30, 101, len(lb)) * 1000000, rng.integers(10, 31, len(lb)) * 1000000)
        applied = w0 + rng.integers(0, 90, len(lb))
        status, od = self._default_schedule(applied, 90, 300, 0.75)
        insider = int(self.officer_in(np.array([c]))[0])
        officer = self.officer_in(np.full(len(lb), c))
        if tr["officer"]:
            officer = np.where(rng.random(len(lb)) < 0.85, insider, officer)
            rows.append(("officer", str(self.off_id[insider])))
        inter_col = np.where(rng.random(len(lb)) < 0.9, inter, -1) if tr["intermediary"] else np.full(len(lb), -1)
        if tr["intermediary"]:
            rows.append(("intermediary", inter_name))
        emp = shell_of[lb]
        cp = np.where(prod == 1, -1, -1)
        if tr["counterparty"]:
            other = shells[(np.arange(s) % n_sh + 1 + rng.integers(0, max(1, n_sh - 1), s)) % n_sh]
            cp = np.where(prod == 1, other[lb], -1)
        else:
            cp = np.where(prod == 1, self.random_company_in(np.full(len(lb), c)), -1)
        out = self._outstanding(amount, applied, od)
        li = self.add_ring_loans(ring, b, prod, amount, applied, status, od, out, officer, inter_col, emp, cp)
        rows += [("loan", f"#loan:{x}") for x in li.tolist()]
        # proceeds: business loans go to the counterparty shell; consumer loans to the borrower, then to the intermediary
        payee = np.where(cp >= 0, self.co_ref(np.maximum(cp, 0)), self.card[b]).astype(object)
        self.add_pay(CLEARING_ACCOUNT, payee, amount, applied + rng.integers(0, 3, len(lb)), "loan_proceeds", li)
        cons = np.flatnonzero(prod == 0)
        if len(cons):
            self.add_pay(self.card[b[cons]], inter_acct, (amount[cons] * 0.9).astype(np.int64) // 100 * 100,
                         applied[cons] + rng.integers(1, 4, len(cons)), "other")
            if ("account", inter_acct) not in rows:
                rows.append(("account", inter_acct))
        # a few instalments from the borrower's card before default
        k = np.where(od >= 0, np.clip((od - applied) // 30, 0, 6), np.clip((SNAP_DAY - applied) // 30, 0, 6))
        rr = np.repeat(np.arange(len(lb)), k)
        j = np.arange(len(rr)) - np.repeat(np.cumsum(k) - k, k)
        if len(rr):
            self.add_pay(self.card[b[rr]], CLEARING_ACCOUNT, (amount[rr] // 36) // 100 * 100, applied[rr] + 30 * (j + 1),
                         "repayment", li[rr])

    def _build_debt_carrier(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s, c, t0 = len(m), ring["city"], ring["t0"]
        cs = self.city_short[c]
        up_name = self.unique_label(lambda: f"{self.brand()}{r.choice(['资本', '资产管理', '投资控股', '产业服务'])}")
        first_name = self.unique_label(lambda: f"{cs}{self.brand()}{r.choice(['金融服务', '融资顾问', '信息咨询', '助贷服务'])}")
        k2 = int(np.clip(s // 8, 1, 4))
        second_names = [self.unique_label(lambda: f"{self.name_one()}（{cs}{r.choice(['贷款中介', '助贷', '信贷员', '渠道'])}）")
                        for _ in range(k2)]
        self.new_intermediary(up_name)
        first_i = self.new_intermediary(first_name)
        second_i = [self.new_intermediary(x) for x in second_names]
        accts = self.make_cards(2 + k2, [(x, ln) for x, ln, _ in _BANKS])[0].tolist()
        up_acct, first_acct, second_acct = accts[0], accts[1], accts[2:]
        dev = self.make_devices(k2).tolist()
        office_ip = self.make_ips(k2).tolist()
        sec_of = rng.permutation(s) % k2
        used_acct: list[str] = []
        start = t0 + rng.integers(0, 60, s)
        if tr["package"]:
            pk = self.add_companies(np.array([c]), np.array([t0 - r.randint(100, 400)]),
                                    names=self.company_names(np.array([c]), ["商贸", "科技", "劳务派遣", "实业"]))
            sal = rng.integers(16, 31, s) * 50000
            self.roles.add(s, uscc=np.full(s, pk[0]), person=self.bid_str(m).astype(object), role="employee",
                           since=start - rng.integers(60, 200, s), salary=sal, si=1)
            for j in range(2):
                self.add_pay(self.co_ref(np.full(s, pk[0])), self.card[m], sal, start - 30 * j - 10, "salary")
            self.ev.add(s, b=m, phone=self.phone[m], event="location",
                        at=(start - rng.integers(3, 40, s)) * DAY + rng.integers(9 * 3600, 21 * 3600, s),
                        city=self.city_name[c])
            rows.append(("company", str(self.co_ref(pk)[0])))
            emp_of = np.full(s, pk[0])
        else:
            emp_of = np.full(s, -1)
        # loans: car + mortgage + consumer + business within days (or a thinner pattern)
        lb, prods = [], []
        for i in range(s):
            if tr["burst"]:
                ps = r.sample([2, 3, 0, 1, 4], r.randint(3, 5))
                if 2 not in ps and 3 not in ps:
                    ps[0] = r.choice([2, 3])
            else:
                ps = r.sample([0, 2, 1], r.randint(1, 2))
            lb += [i] * len(ps)
            prods += ps
        lb, prod = np.array(lb), np.array(prods)
        b = m[lb]
        nL = len(lb)
        spread = 10 if tr["burst"] else 150
        applied = start[lb] + rng.integers(0, spread, nL)
        amt_lo = np.array([50, 200, 120, 600, 50])[prod]
        amt_hi = np.array([300, 800, 350, 2500, 100])[prod]
        amount = (amt_lo + (rng.random(nL) * (amt_hi - amt_lo)).astype(np.int64)) * 1000 * 100
        insider = int(self.officer_in(np.array([c]))[0])
        officer = self.officer_in(np.full(nL, c))
        if tr["officer"]:
            officer = np.where(rng.random(nL) < 0.8, insider, officer)
            rows.append(("officer", str(self.off_id[insider])))
        sec_i = np.array(second_i)[sec_of[lb]]
        inter = np.where(rng.random(nL) < 0.8, sec_i, first_i) if tr["intermediary"] else np.full(nL, -1)
        rows += [("intermediary", self.inter_name[i]) for i in _uniq(inter[inter >= 0]).tolist()]
        cp = np.where(np.isin(prod, [1, 2, 3]), self.random_company_in(np.full(nL, c)), -1)
        # first instalments paid by the intermediary, then default
        k_rep = rng.integers(1, 4, nL)
        od = np.minimum(applied + 30 * (k_rep + 1) + rng.integers(0, 20, nL), SNAP_DAY - 3)
        od = np.maximum(od, applied + 31)
        status = np.where((SNAP_DAY - od > 180) & (rng.random(nL) < 0.6), 2, 1)
        out = self._outstanding(amount, applied, od, term=60)
        li = self.add_ring_loans(ring, b, prod, amount, applied, status, od, out, officer, inter, emp_of[lb], cp)
        rows += [("loan", f"#loan:{x}") for x in li.tolist()]
        rr = np.repeat(np.arange(nL), k_rep)
        j = np.arange(len(rr)) - np.repeat(np.cumsum(k_rep) - k_rep, k_rep)
        ok = applied[rr] + 30 * (j + 1) < od[rr]
        rr, j = rr[ok], j[ok]
        sec_acct = np.array(second_acct, dtype=object)[sec_of[lb]]
        if tr["thirdparty"]:
            payer = np.where(rng.random(len(rr)) < 0.8, sec_acct[rr], first_acct).astype(object)
            used_acct += sorted(set(payer.tolist()))
        else:
            payer = self.card[b[rr]]
        inst = (amount[rr] // np.where(prod[rr] == 3, 240, 36) * 1.1).astype(np.int64) // 100 * 100
        self.add_pay(payer, CLEARING_ACCOUNT, inst, applied[rr] + 30 * (j + 1) + rng.integers(-2, 2, len(rr)),
                     "repayment", li[rr])
        # proceeds, then the intermediary holds the money
        payee = np.where(cp >= 0, self.co_ref(np.maximum(cp, 0)), self.card[b]).astype(object)
        self.add_pay(CLEARING_ACCOUNT, payee, amount, applied + rng.integers(0, 3, nL), "loan_proceeds", li)
        if tr["hold"]:
            to_card = np.flatnonzero(cp < 0)
            self.add_pay(self.card[b[to_card]], sec_acct[to_card], (amount[to_card] * 0.92).astype(np.int64) // 100 * 100,
                         applied[to_card] + rng.integers(1, 3, len(to_card)), "other")
            tot = int(amount.sum() * 0.5) // 100 * 100
            for j2, acct in enumerate(second_acct):
                self.add_pay(acct, first_acct, tot // k2, t0 + 65 + j2, "other")
            self.add_pay(first_acct, up_acct, int(tot * 0.7) // 100 * 100, t0 + 70, "other")
            used_acct += second_acct + [first_acct, up_acct]
        if tr["device"]:
            rows += [("device", d) for d in dev] + [("ip", x) for x in office_ip]
            k = 1 + (rng.random(nL) < 0.3)
            lr = np.repeat(np.arange(nL), k)
            si = sec_of[lb[lr]]
            self.dev.add(len(lr), b=b[lr], device=np.array(dev, dtype=object)[si],
                         at=applied[lr] * DAY - rng.integers(600, 5 * 3600, len(lr)), ip=np.array(office_ip, dtype=object)[si])
        if tr["account"]:
            self.acc.add(s, b=m, account=np.array(second_acct, dtype=object)[sec_of], kind="debit",
                         bank="", at=(start - rng.integers(1, 20, s)) * DAY + 36000)
            used_acct += second_acct
        rows += [("account", a) for a in dict.fromkeys(used_acct)]
        if tr["complaints"]:
            who = np.flatnonzero(rng.random(s) < r.uniform(0.5, 0.85))
            if len(who):
                hubs = self.pool.take(min(r.randint(1, 3), max(1, len(who) // 2)))
                first_od = np.array([od[lb == i].min() for i in who])
                days = np.minimum(first_od + rng.integers(20, 90, len(who)), SNAP_DAY - 1)
                template = self.script(r, "proxy_complaint")
                self.sim_and_rebind({"members": m[who], "traces": {"sim_location": False, "rebind": r.random() < 0.5},
                                     "city": ring["city"]}, r, days, rows)
                self._anti_collection_letters(ring, r, rows, m[who], days, hubs, template, [], [])
                rows += [("phone", _e164(x)) for x in hubs.tolist()]
