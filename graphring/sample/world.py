"""One synthetic population as arrays: the :class:`_World` the stages fill and the writer reads.

Returns
-------
_World
    All arrays of one population (indices, not strings, until writing), made of
    the concerns' mixins: :class:`~graphring.sample.population._Population`,
    :class:`~graphring.sample.honest._HonestTables`,
    :class:`~graphring.sample.complaints._Complaints` and
    :class:`~graphring.sample.schemes._Schemes`. One :class:`numpy.random.Generator`
    (``rng``) and one :class:`random.Random` (``pyr``) draw everything, in the order
    :func:`graphring.sample.generate` calls the stages. ``finalize`` gives loans and
    complaints their ids, sums balances and completes the truth (``benign_truth``).

Examples
--------
>>> w = _World(300, seed=1, messy=False, progress=lambda msg: None)
>>> w.run()
>>> len(w.L["id"]) == w.n_honest_loans + w.n_ring_loans, str(w.L["id"][0])[:2], str(w.C["id"][0])[:2]
(True, 'LN', 'TS')
"""

from __future__ import annotations

import random
from typing import Callable

import numpy as np

from graphring.sample.arrays import DAY, SNAP_DAY, _e164, _fixed, _uniq, _ymd_parts
from graphring.sample.complaints import _Complaints
from graphring.sample.honest import _HonestTables
from graphring.sample.population import _Population
from graphring.sample.schemes import _Schemes


class _World(_Population, _HonestTables, _Complaints, _Schemes):
    """All arrays of one synthetic population (indices, not strings, until writing)."""

    def __init__(self, n: int, seed: int, messy: bool, progress: Callable[[str], None]):
        if n < 50:
            raise ValueError("n_borrowers must be at least 50")
        self.N = int(n)
        self.seed = int(seed)
        self.vary: frozenset = frozenset()
        self.messy = messy
        self.say = progress
        self.rng = np.random.default_rng([self.seed, self.N, 20251215])
        self.pyr = random.Random(int(self.rng.integers(0, 2**62)))
        self.ring_firms: set[str] = set()
        self.used_names: set[str] = set()
        self._geo()

    #: The stages in the order they draw from the generators (changing it changes every file).
    STAGES = ("borrowers", "companies", "staff", "benign_groups", "plan_rings", "people", "accounts", "devices",
              "contacts", "phone_events", "employee_roles", "loans", "benign_complaints", "count_honest_rows",
              "build_rings", "honest_complaints", "finalize")

    def run(self, until: str | None = None) -> None:
        """Run :attr:`STAGES` in order (up to and including ``until``)."""
        for stage in self.STAGES:
            getattr(self, stage)()
            if stage == until:
                return

    def count_honest_rows(self) -> None:
        """Rows per table before the rings' traces are added (the messy writer spoils only those)."""
        self.n_before = {"roles": len(self.roles), "pay": len(self.pay), "con": len(self.con), "ev": len(self.ev),
                         "dev": len(self.dev), "acc": len(self.acc)}

    # ---------------------------------------------------------------- finalise ids, balances, truth
    def finalize(self) -> None:
        self.say("finalising ids, balances and truth")
        N = self.N
        lr = self.ln_r.finish()
        ln = {k: np.concatenate([self.ln[k], lr[k]]) for k in self.ln}
        L = len(ln["b"])
        order = np.lexsort((np.arange(L), ln["at"]))
        rank = np.empty(L, dtype=np.int64)
        rank[order] = np.arange(L)
        y, mo, dd = _ymd_parts(ln["at"] // DAY)
        ln["id"] = _fixed(L, "LN", (y, 4), (mo, 2), (dd, 2), (rank + 1, 7)).astype(object)
        ln["order"] = order
        self.L = ln
        b = ln["b"]
        self.outstanding = np.bincount(b, weights=ln["out"].astype(float), minlength=N).round().astype(np.int64)
        isod = np.isin(ln["status"], [1, 2])
        self.overdue_days = np.zeros(N, dtype=np.int64)
        np.maximum.at(self.overdue_days, b[isod], SNAP_DAY - ln["od"][isod])
        fo = np.full(N, 10**9, dtype=np.int64)
        for col in ("od", "hist"):
            s = ln[col] >= 0
            np.minimum.at(fo, b[s], ln[col][s])
        s = self.hist_od >= 0
        fo[s] = np.minimum(fo[s], self.hist_od[s])
        self.first_od = np.where(fo < 10**9, fo, -1)
        c = self.cmp.finish()
        C = len(c["b"])
        order = np.lexsort((np.arange(C), c["at"]))
        rank = np.empty(C, dtype=np.int64)
        rank[order] = np.arange(C)
        y, mo, dd = _ymd_parts(c["at"] // DAY)
        c["id"] = _fixed(C, "TS", (y, 4), (mo, 2), (dd, 2), (rank + 1, 6)).astype(object)
        c["order"] = order
        self.C = c
        for rows in self.ring_truth:
            rows[:] = [(k, str(ln["id"][int(v[6:])]) if v.startswith("#loan:") else v) for k, v in rows]
        for j in np.flatnonzero(c["tag"] >= 0).tolist():
            self.ring_truth[int(c["tag"][j])].append(("complaint", str(c["id"][j])))
        self.D, self.E, self.A = self.dev.finish(), self.ev.finish(), self.acc.finish()
        self.K, self.R, self.P = self.con.finish(), self.roles.finish(), self.pay.finish()
        self.CO = {k: (np.concatenate(v) if len(v) > 1 else v[0]) for k, v in self.co_parts.items()}
        self.benign_truth()

    def benign_truth(self) -> None:
        N = self.N
        in_ring = self.ring_of >= 0
        self.in_truth = in_ring.copy()
        for _, rows in self.benign:
            for k, v in rows:
                if k == "borrower":
                    self.in_truth[int(v[1:]) - 10_000_000] = True

        def bl(idx) -> list[tuple[str, str]]:
            idx = np.asarray(idx, dtype=np.int64)
            idx = _uniq(idx[~in_ring[idx]])
            self.in_truth[idx] = True
            return [("borrower", x) for x in self.bid_str(idx).tolist()]

        for k, mem in enumerate(self.families, 1):
            h = mem[0]
            rows = bl(mem) + [("device", self.fam_device[k - 1]), ("address", str(self.address[h])),
                              ("phone", _e164(self.phone[h])), ("ip", str(self.home_ip[h]))]
            self.benign.append((f"BENIGN-family-{k}", rows))
        emp = np.flatnonzero(self.employer == self.big_co)
        self.benign.append(("BENIGN-big-employer-1", [("company", str(self.CO["uscc"][self.big_co]))] + bl(emp)))
        for j, jid in enumerate(self.junk_ids, 1):
            self.benign.append((f"BENIGN-junk-device-{j}", [("device", jid)] + bl(np.flatnonzero(self.junk_of == j - 1))))
        kk = self.D["wifi"]
        for k, ip in enumerate(self.wifi_ip.tolist()):
            users = self.D["b"][kk == k]
            if len(users) >= 3:
                self.benign.append((f"BENIGN-public-wifi-{k + 1}", [("ip", ip)] + bl(users)))
        hl = self.n_honest_loans
        inter, lb = self.L["inter"][:hl], self.L["b"][:hl]
        s = inter >= 0
        if s.any():
            code = _uniq(inter[s] * N + lb[s])
            pairs = np.stack([code // N, code % N], axis=1)
            cnt = np.bincount(pairs[:, 0], minlength=len(self.inter_name))
            top = np.argsort(-cnt, kind="stable")[:5]
            for k, t in enumerate([t for t in top.tolist() if cnt[t] >= max(10, N // 2000)], 1):
                self.benign.append((f"BENIGN-broker-{k}", [("intermediary", self.inter_name[t])] + bl(pairs[pairs[:, 0] == t, 1])))
        hon = np.asarray(self.CO["agent"][: len(self.co_honest)], dtype=object)
        firms, inv, cnt = np.unique(hon.astype(str), return_inverse=True, return_counts=True)
        cnt = np.where((firms == "") | np.isin(firms, sorted(self.ring_firms)), 0, cnt)
        top = np.argsort(-cnt, kind="stable")[:3]
        for k, t in enumerate([t for t in top.tolist() if cnt[t] >= 5], 1):
            cos = np.flatnonzero(inv == t)
            self.benign.append((f"BENIGN-bookkeeping-{k}", [("company", str(u)) for u in self.CO["uscc"][cos].tolist()]))
