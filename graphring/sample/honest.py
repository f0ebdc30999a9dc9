"""The honest tables: names, e-mails, accounts, devices, contacts, phone events, employment, loans, repayments.

Returns
-------
_HonestTables
    The mixin of :class:`graphring.sample.world._World` that fills, for every borrower
    (ring members included, before their traces are added), the rows an honest
    customer leaves: names and e-mails (``people``), debit/credit cards and wallets
    (``accounts``), devices and logins with home, CGNAT, public Wi-Fi and IPv6
    addresses (``devices``), emergency contacts (``contacts``), phone bindings and
    locations (``phone_events``), employment roles and salary deposits
    (``employee_roles``), loans with their status and balances (``loans``), and
    repayments, loan proceeds and card spending (``_repayments``).

Examples
--------
>>> from graphring.sample.world import _World
>>> w = _World(300, seed=1, messy=False, progress=lambda msg: None)
>>> w.run(until="loans")
>>> bool(w.n_honest_loans == w.n_loans.sum()), sorted(set(w.acc.finish()["kind"].tolist()))
(True, ['credit', 'debit', 'ewallet'])
"""

from __future__ import annotations

import numpy as np

from graphring.sample.arrays import (CLEARING_ACCOUNT, DAY, EPOCH, SNAP_DAY, _cat, _Rows, _seg_pick, _seg_weighted,
                                     _segments, _zfill)
from graphring.sample.population import _BANKS, _CREDIT_BINS, _EMAIL_DOMAINS, _SURNAME_PY


class _HonestTables:
    """The rows every borrower leaves as an honest customer (a mixin of :class:`_World`)."""

    # ---------------------------------------------------------------- derived honest tables
    def people(self) -> None:
        self.say("names, addresses, e-mails")
        rng, N = self.rng, self.N
        name, _, gpy = self.make_names(self.male, self.surname)
        self.name = name.astype(object)
        self.address = self.addresses(self.home_dist).astype(object)
        for mem in self.families:
            self.address[mem] = self.address[mem[0]]
        sur_py = np.array(_SURNAME_PY)[self.surname]
        style = rng.integers(0, 3, N)
        tail = np.where(style == 0, self.birth_year.astype(str),
                        np.where(style == 1, (self.birth_year % 100 + 100).astype(str),
                                 rng.integers(100, 100000, N).astype(str)))
        tail = np.where(style == 1, np.strings.slice(tail.astype("<U6"), 1, 3), tail)
        dom = np.array(_EMAIL_DOMAINS)[rng.integers(0, len(_EMAIL_DOMAINS), N)]
        sep = np.array(["", "", "_", "."])[rng.integers(0, 4, N)]
        py_mail = _cat(sur_py, sep, gpy, tail, "@", dom)
        qq = _cat(rng.integers(10_000_000, 3_999_999_999, N).astype(str), "@qq.com")
        email = np.where(rng.random(N) < 0.45, qq, py_mail).astype(object)
        seen: dict[str, int] = {}
        for e in email.tolist():
            seen[e] = seen.get(e, 0) + 1
        dup = np.fromiter((seen[e] > 1 for e in email.tolist()), dtype=bool, count=N)
        email[dup | (rng.random(N) > 0.55)] = ""
        self.email = email

    def accounts(self) -> None:
        self.say("accounts")
        rng, N = self.rng, self.N
        self.acc = _Rows({"b": -1, "account": "", "kind": "", "bank": "", "at": -1})
        at = self.onboard * DAY + rng.integers(8 * 3600, 22 * 3600, N)
        b = np.arange(N)
        self.acc.add(N, b=b, account=self.card, kind="debit", bank=self.card_bank, at=at)
        s = np.flatnonzero(rng.random(N) < 0.17)
        cards, bi = self.make_cards(len(s), [(x, 16) for x, _ in _CREDIT_BINS])
        self.acc.add(len(s), b=s, account=cards.astype(object), kind="credit",
                     bank=np.array([x[1] for x in _CREDIT_BINS], dtype=object)[bi], at=at[s] + rng.integers(1, 300, len(s)) * DAY)
        s = np.flatnonzero(rng.random(N) < 0.1)
        wal = _cat("2088", _zfill(rng.integers(0, 10**12, len(s)), 12))
        self.acc.add(len(s), b=s, account=wal.astype(object), kind="ewallet", bank="支付宝", at=at[s])
        s = np.flatnonzero(rng.random(N) < 0.06)
        cards, bi = self.make_cards(len(s), [(x, ln) for x, ln, _ in _BANKS])
        self.acc.add(len(s), b=s, account=cards.astype(object), kind="debit",
                     bank=np.array([x[2] for x in _BANKS], dtype=object)[bi], at=at[s] + rng.integers(1, 500, len(s)) * DAY)

    def login_times(self, b: np.ndarray) -> np.ndarray:
        rng = self.rng
        on = self.onboard[b]
        day = on + (rng.random(len(b)) * (SNAP_DAY - on)).astype(np.int64)
        return day * DAY + rng.integers(6 * 3600, 24 * 3600, len(b))

    def devices(self) -> None:
        self.say("devices and logins")
        rng, N = self.rng, self.N
        self.dev = _Rows({"b": -1, "device": "", "at": -1, "ip": "", "wifi": -1})
        primary = self.make_devices(N).astype(object)
        self.junk_ids = ["000000000000000", "02:00:00:00:00:00", "unknown"]
        self.junk_of = np.full(N, -1)
        for j, jid in enumerate(self.junk_ids):
            sel = np.flatnonzero((rng.random(N) < 0.004) & (self.junk_of < 0))
            primary[sel] = jid
            self.junk_of[sel] = j
        self.primary_dev = primary
        home_ip = self.make_ips(N).astype(object)
        for mem in self.families:
            home_ip[mem] = home_ip[mem[0]]
        self.home_ip = home_ip
        per = np.maximum(2, np.round(self.city_p * N / 3000)).astype(int)
        self.cg_city = np.repeat(np.arange(self.nC), per)
        self.cg_ip = self.make_ips(len(self.cg_city)).astype(object)
        self.cg_start, self.cg_n = _segments(self.cg_city, self.nC)
        self.wifi_ip = self.make_ips(max(3, N // 20000)).astype(object)
        cnt = 1 + (rng.random(N) < 0.3) + (rng.random(N) < 0.06)
        b = np.repeat(np.arange(N), cnt)
        dev = primary[b]
        second = np.flatnonzero(rng.random(N) < 0.12)
        b = np.concatenate([b, second])
        dev = np.concatenate([dev, self.make_devices(len(second)).astype(object)])
        ip, wifi = self.login_ips(b, with_wifi=True)
        self.dev.add(len(b), b=b, device=dev, at=self.login_times(b), ip=ip, wifi=wifi)
        self.fam_device = self.make_devices(len(self.families)).tolist()
        if self.families:
            mm = np.concatenate([np.array(mem) for mem in self.families])
            dd = np.repeat(np.array(self.fam_device, dtype=object), [len(mem) for mem in self.families])
            self.dev.add(len(mm), b=mm, device=dd, at=self.login_times(mm), ip=self.home_ip[mm])

    def login_ips(self, b: np.ndarray, wifi: bool = True, with_wifi: bool = False):
        """IPs of logins: home broadband, carrier CGNAT of the city, public Wi-Fi, IPv6, other."""
        rng, n = self.rng, len(b)
        u = rng.random(n)
        ip = self.home_ip[b].copy()
        s = np.flatnonzero((u >= 0.5) & (u < 0.88))
        ip[s] = self.cg_ip[_seg_pick(rng, self.cg_start, self.cg_n, self.city[b[s]])]
        wk = np.full(n, -1, dtype=np.int64)
        if wifi:
            s = np.flatnonzero((u >= 0.88) & (u < 0.91))
            wk[s] = rng.integers(0, len(self.wifi_ip), len(s))
            ip[s] = self.wifi_ip[wk[s]]
        s = np.flatnonzero((u >= 0.91) & (u < 0.95))
        ip[s] = self.make_ip6(len(s))
        s = np.flatnonzero(u >= 0.95)
        ip[s] = self.make_ips(len(s))
        return (ip, wk) if with_wifi else ip

    def contacts(self) -> None:
        self.say("contacts")
        rng, N = self.rng, self.N
        self.con = _Rows({"b": -1, "phone": 0, "relation": "", "name": ""})
        nc = 1 + (rng.random(N) < 0.28)
        fam = np.zeros(N, dtype=bool)
        for mem in self.families:
            fam[mem] = True
        nc[fam] = 1
        b = np.repeat(np.arange(N), nc)
        first = np.ones(len(b), dtype=bool)
        first[1:] = b[1:] != b[:-1]
        married = (self.age[b] >= 27) & (rng.random(len(b)) < 0.65) & ~fam[b]
        rel2 = np.array(["parent", "sibling", "friend", "colleague", "child", "other"])[
            rng.choice(6, len(b), p=[0.3, 0.25, 0.2, 0.15, 0.05, 0.05])]
        rel = np.where(first, np.where(married, "spouse", "parent"), rel2)
        rel = np.where((rel == "child") & (self.age[b] < 40), "friend", rel)
        cmale = np.where(rel == "spouse", ~self.male[b], rng.random(len(b)) < 0.5)
        same_sur = ((rel == "parent") & cmale) | (rel == "sibling") | (rel == "child")
        sur = np.where(same_sur, self.surname[b], self.draw_surnames(len(b)))
        names, _, _ = self.make_names(cmale, sur)
        cph = self.pool.take(len(b))
        self.con.add(len(b), b=b, phone=cph, relation=rel.astype(object), name=names.astype(object))
        self.first_contact_phone = np.zeros(N, dtype=np.int64)
        self.first_contact_phone[b[first]] = cph[first]
        self.first_contact_name = np.full(N, "", dtype=object)
        self.first_contact_name[b[first]] = names[first]
        rows_b, phones, rels, nms = [], [], [], []
        for mem in self.families:
            h = mem[0]
            rows_b += [h] + mem[1:]
            phones += [int(self.phone[mem[1]])] + [int(self.phone[h])] * (len(mem) - 1)
            rels += ["spouse"] + ["spouse"] + [("parent" if self.age[x] < self.age[h] - 15 else "sibling") for x in mem[2:]]
            nms += [str(self.name[mem[1]])] + [str(self.name[h])] * (len(mem) - 1)
        self.con.add(len(rows_b), b=np.array(rows_b, dtype=np.int64), phone=np.array(phones, dtype=np.int64),
                     relation=rels, name=nms)

    def phone_events(self) -> None:
        self.say("phone events")
        rng, N = self.rng, self.N
        self.ev = _Rows({"b": -1, "phone": 0, "event": "", "at": -1, "city": ""})
        s = np.flatnonzero(rng.random(N) < 0.42)
        self.ev.add(len(s), b=s, phone=self.phone[s], event="bind",
                    at=self.onboard[s] * DAY + rng.integers(8 * 3600, 23 * 3600, len(s)))
        # honest number changes: old number bound, unbound, new number bound
        s = np.flatnonzero((rng.random(N) < 0.025) & (self.group == 0))
        old = self.pool.take(len(s))
        t = self.onboard[s] + (rng.random(len(s)) * (SNAP_DAY - self.onboard[s])).astype(np.int64)
        self.ev.add(len(s), b=s, phone=old, event="bind", at=self.onboard[s] * DAY + 36000)
        ts = t * DAY + rng.integers(9 * 3600, 21 * 3600, len(s))
        self.ev.add(len(s), b=s, phone=old, event="unbind", at=ts)
        self.ev.add(len(s), b=s, phone=self.phone[s], event="bind", at=ts + rng.integers(60, 3 * DAY, len(s)))
        # where the number was seen: own city, sometimes travelling
        k = (rng.random(N) < 0.22).astype(int) + (rng.random(N) < 0.05).astype(int)
        b = np.repeat(np.arange(N), k)
        c = self.city[b].copy()
        trav = rng.random(len(b)) < 0.1
        c[trav] = self.city_by_weight(int(trav.sum()))
        self.ev.add(len(b), b=b, phone=self.phone[b], event="location", at=self.login_times(b),
                    city=self.city_name[c])

    def employee_roles(self) -> None:
        self.say("employment")
        rng, N = self.rng, self.N
        e = np.flatnonzero(self.employer >= 0)
        cw = self.city_p / self.city_p.max()
        sal = 5200 * (0.8 + 0.8 * cw[self.city[e]]) * np.exp(rng.normal(0, 0.42, len(e)))
        self.salary = np.zeros(N, dtype=np.int64)
        self.salary[e] = (np.round(sal / 10) * 10).astype(np.int64) * 100
        si = (rng.random(len(e)) < 0.88).astype(np.int64)
        since = np.maximum(self.onboard[e] - rng.integers(30, 2500, len(e)), -8000)
        self.roles.add(len(e), uscc=self.employer[e], person=self.bid_str(e).astype(object), role="employee",
                       since=since, salary=self.salary[e], si=si)
        self.pay = _Rows({"payer": "", "payee": "", "amount": -1, "at": -1, "purpose": "", "loan": -1, "tag": -1})
        # salary deposits are in the export when the payroll account is with this bank
        k = (rng.random(len(e)) < 0.7).astype(np.int64) * (1 + (rng.random(len(e)) < 0.25))
        be = np.repeat(e, k)
        j = np.arange(len(be)) - np.repeat(np.cumsum(k) - k, k)
        day = int((np.datetime64("2025-11-10") - EPOCH).astype(int)) - 30 * j + rng.integers(-3, 4, len(be))
        self.pay.add(len(be), payer=self.co_ref(self.employer[be]), payee=self.card[be],
                     amount=self.salary[be], at=day * DAY + rng.integers(9 * 3600, 17 * 3600, len(be)),
                     purpose="salary")

    # ---------------------------------------------------------------- loans
    _LOAN_SPEC = {"b": -1, "prod": -1, "amount": -1, "at": -1, "status": -1, "od": -1, "hist": -1, "out": -1,
                  "officer": -1, "inter": -1, "emp": -1, "cp": -1, "tag": -1}

    def loan_amounts(self, prod: np.ndarray) -> np.ndarray:
        rng, L = self.rng, len(prod)
        med = np.array([25000, 200000, 110000, 850000, 15000], dtype=float)[prod]
        sig = np.array([0.75, 0.8, 0.5, 0.5, 0.6])[prod]
        lo = np.array([2000, 30000, 30000, 200000, 2000])[prod]
        hi = np.array([300000, 2000000, 600000, 5000000, 100000])[prod]
        step = np.array([100, 1000, 1000, 10000, 100])[prod]
        a = np.clip(med * np.exp(rng.normal(0, 1, L) * sig), lo, hi)
        return (np.round(a / step) * step).astype(np.int64) * 100

    def loan_terms(self, prod: np.ndarray) -> np.ndarray:
        rng, L = self.rng, len(prod)
        opts = [np.array(x) for x in ([6, 12, 12, 24, 36], [12, 24, 36], [24, 36, 36, 60], [240, 300, 360], [6, 12, 24])]
        out = np.empty(L, dtype=np.int64)
        for p, o in enumerate(opts):
            s = prod == p
            out[s] = o[rng.integers(0, len(o), int(s.sum()))]
        return out

    def loans(self) -> None:
        self.say("loans")
        rng, N = self.rng, self.N
        b = np.repeat(np.arange(N), self.n_loans)
        L = len(b)
        first = np.ones(L, dtype=bool)
        first[1:] = b[1:] != b[:-1]
        prod = rng.choice(5, L, p=[0.55, 0.09, 0.11, 0.08, 0.17])
        prod[(self.legal_co[b] >= 0) & first & (rng.random(L) < 0.6)] = 1
        fo = self.forced_od[b]
        on = self.onboard[b]
        hi = np.where(fo >= 0, fo - 40, SNAP_DAY - 25)
        applied = np.where(first, on + rng.integers(0, 6, L),
                           on + (rng.random(L) * np.maximum(hi - on, 1)).astype(np.int64))
        applied = np.clip(np.minimum(applied, hi), 0, None)
        amount = self.loan_amounts(prod)
        term = self.loan_terms(prod)
        od = np.full(L, -1, dtype=np.int64)
        hon = self.honest_od[b] & first & (fo < 0)
        oh = applied + rng.integers(35, 420, L)
        oh = np.where(oh > SNAP_DAY - 3, SNAP_DAY - rng.integers(3, 90, L), oh)
        hon &= oh > applied + 25
        od[hon] = oh[hon]
        forced = fo >= 0
        od[forced] = np.minimum(fo[forced] + rng.integers(0, 12, int(forced.sum())), SNAP_DAY - 1)
        status = np.zeros(L, dtype=np.int64)     # current
        isod = od >= 0
        status[isod] = 1
        co = isod & (SNAP_DAY - od > 180) & (rng.random(L) < np.where(forced, 0.7, 0.5))
        status[co] = 2
        end = applied + term * 30
        prepaid = (~isod) & np.isin(prod, [0, 4]) & (applied < SNAP_DAY - 150) & (rng.random(L) < 0.18)
        close_day = np.where(prepaid, applied + 60 + (rng.random(L) * np.maximum(SNAP_DAY - applied - 70, 1)).astype(np.int64),
                             np.minimum(end, SNAP_DAY - 10))
        closed = (~isod) & ((end < SNAP_DAY) | prepaid)
        status[closed] = 3
        hist = np.full(L, -1, dtype=np.int64)
        h = (~isod) & (rng.random(L) < 0.04) & (applied + 45 < SNAP_DAY - 10)
        hist[h] = applied[h] + (rng.random(int(h.sum())) * np.minimum(200, SNAP_DAY - 10 - applied[h] - 40)).astype(np.int64) + 40
        ref = np.where(isod, od, SNAP_DAY)
        remain = np.clip(1 - (ref - applied) / 30 / term, 0.05, 1)
        out = np.where(isod, np.round(amount * np.maximum(remain, 0.3) * 1.06),
                       np.where(status == 3, 0, np.round(amount * remain))).astype(np.int64)
        officer = self.officer_in(self.city[b])
        inter = np.full(L, -1, dtype=np.int64)
        pi = np.array([0.06, 0.15, 0.35, 0.45, 0.02])[prod]
        s = np.flatnonzero(rng.random(L) < pi)
        inter[s] = self.br_idx[_seg_weighted(rng, self.br_cum, self.br_before, self.br_tot, self.br_start,
                                             self.br_n, self.city[b[s]])]
        emp = np.where((self.employer[b] >= 0) & (prod != 1) & (rng.random(L) < 0.85), self.employer[b], -1)
        emp = np.where((prod == 1) & (self.legal_co[b] >= 0), self.legal_co[b], emp)
        cp = np.full(L, -1, dtype=np.int64)
        s = np.flatnonzero(rng.random(L) < np.array([0.0, 0.7, 0.5, 0.3, 0.0])[prod])
        cp[s] = self.random_company_in(self.city[b[s]])
        at = applied * DAY + rng.integers(8 * 3600, 22 * 3600, L)
        self.ln = {"b": b, "prod": prod, "amount": amount, "at": at, "status": status, "od": od, "hist": hist,
                   "out": out, "officer": officer, "inter": inter, "emp": emp, "cp": cp, "tag": np.full(L, -1, dtype=np.int64)}
        self.n_honest_loans = L
        self.loan_start = np.concatenate([[0], np.cumsum(self.n_loans)[:-1]])
        self.ln_r = _Rows(dict(self._LOAN_SPEC))
        self.n_ring_loans = 0
        self.ring_first_loan: dict[int, tuple[int, int, int]] = {}
        self.ring_first_od: dict[int, int] = {}
        self._repayments(np.arange(L), b, prod, amount, term, applied, status, od, close_day, prepaid)

    def _repayments(self, li, b, prod, amount, term, applied, status, od, close_day, prepaid) -> None:
        self.say("repayments and loan proceeds")
        rng, L = self.rng, len(li)
        k = np.zeros(L, dtype=np.int64)
        cur, clo, isod = status == 0, status == 3, od >= 0
        k[cur] = 1 + (rng.random(int(cur.sum())) < 0.3)
        k[clo] = 1 + (rng.random(int(clo.sum())) < 0.15)
        mb = (od - applied) // 30
        lh = self.long_hist[b]
        k[isod] = np.where(lh[isod], np.clip(mb[isod], 3, 12), np.clip(mb[isod], 0, 2))
        r = np.repeat(np.arange(L), k)
        j = np.arange(len(r)) - np.repeat(np.cumsum(k) - k, k)
        st = status[r]
        day = np.where(st == 0, SNAP_DAY - 5 - 30 * j - rng.integers(0, 20, len(r)),
                       np.where(st == 3, close_day[r] - 30 * j, applied[r] + 30 * (j + 1) + rng.integers(-3, 3, len(r))))
        ok = (day > applied[r] + 15) & (day < SNAP_DAY)
        ok &= ~(isod[r] & (day >= od[r]))
        r, j, day = r[ok], j[ok], day[ok]
        inst = amount[r] / term[r] * np.where(prod[r] == 3, 1.4, 1.08)
        amt = np.where((status[r] == 3) & (j == 0) & prepaid[r], amount[r] * rng.uniform(0.1, 0.5, len(r)), inst)
        amt = (np.round(amt / 100) * 100).astype(np.int64)
        br = b[r]
        payer = self.card[br].copy()
        fam_head = np.full(self.N, -1, dtype=np.int64)
        for mem in self.families:
            fam_head[mem[1:]] = mem[0]
        s = np.flatnonzero((fam_head[br] >= 0) & (rng.random(len(r)) < 0.25))
        payer[s] = self.card[fam_head[br[s]]]
        s = np.flatnonzero((fam_head[br] < 0) & (rng.random(len(r)) < 0.005) & (self.group[br] == 0))
        payer[s] = self.make_cards(len(s), [(x, ln) for x, ln, _ in _BANKS])[0].astype(object)
        self.pay.add(len(r), payer=payer, payee=CLEARING_ACCOUNT, amount=amt,
                     at=day * DAY + rng.integers(7 * 3600, 23 * 3600, len(r)), purpose="repayment", loan=li[r])
        # loan proceeds
        cp = self.ln["cp"][li]
        s = np.flatnonzero(np.isin(prod, [1, 2, 3]) | ((prod == 0) & (rng.random(L) < 0.15)))
        payee = np.where(cp[s] >= 0, self.co_ref(np.maximum(cp[s], 0)), self.card[b[s]])
        self.pay.add(len(s), payer=CLEARING_ACCOUNT, payee=payee.astype(object), amount=amount[s],
                     at=(applied[s] + rng.integers(0, 4, len(s))) * DAY + rng.integers(9 * 3600, 17 * 3600, len(s)),
                     purpose="loan_proceeds", loan=li[s])
        # everyday spending at merchants (a few borrowers' card flows are in the export)
        N = self.N
        sb = np.flatnonzero(rng.random(N) < 0.04)
        sb = np.repeat(sb, 1 + (rng.random(len(sb)) < 0.5))
        self.pay.add(len(sb), payer=self.card[sb], payee=self.co_ref(self.random_company_in(self.city[sb])).astype(object),
                     amount=rng.integers(50, 3000, len(sb)) * 100, at=self.login_times(sb), purpose="other")
