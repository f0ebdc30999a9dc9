"""Named signals: one small function per trace in DOMAIN.md, each returning evidence rows.

Every signal takes a :class:`SignalContext` (the graph, the candidate rings and
their borrowers) and returns a DataFrame of evidence with the columns of
:data:`EVIDENCE_COLUMNS`: ``ring`` (candidate ring), ``borrower`` (the member it
is about, if any), ``entity`` (``kind:key`` of the identifier involved, if any),
``table`` and ``row`` (the input row that supports it; ``row`` is the
spreadsheet row number in that table's file), ``key`` (the row's own key where
the table has one) and ``detail`` (plain words).

How strongly a signal fires in a ring is derived from its evidence by
:func:`strength`: for member-level traces, the share of the ring's borrowers
showing the trace (half the ring showing it counts as fully present); for
ring-level traces, the number of distinct supporting entities against a
saturation count. Weights and the reasons for them live in :data:`SIGNALS`.

The benign look-alikes are kept low by construction: traces are counted only
where they are *shared* inside the ring (a legal-aid line's clients each write
in their own words, attach nothing in common, and repay), by fractions of the
ring rather than raw counts, and with per-signal rules noted in each docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from graphring.present.fmt import claimed_amount as _claimed_amount
from graphring.ingest.masks import codes, isin, positions
from graphring.graph.model import GraphFrames

__all__ = ["SignalContext", "Signal", "SIGNALS", "EVIDENCE_COLUMNS", "run_signals", "strength"]

EVIDENCE_COLUMNS = ["ring", "signal", "borrower", "entity", "table", "row", "key", "detail"]
DAY = pd.Timedelta(days=1)


@dataclass
class SignalContext:
    """What every signal reads: the graph, the candidate rings, lookups.

    Attributes
    ----------
    g : GraphFrames
    members : DataFrame
        ``ring``, ``borrower``: the borrowers of each candidate ring.
    incidence : DataFrame
        The projection's borrower-identifier ties (with share count ``n``).
    watchlist : DataFrame or None
        ``kind, value, label, source`` rows to match (raw values or ``hmac:`` hashes).
    hmac_key : bytes or None
        Key for matching ``hmac:`` watchlist values.
    """

    g: GraphFrames
    members: pd.DataFrame
    incidence: pd.DataFrame
    watchlist: pd.DataFrame | None = None
    hmac_key: bytes | None = None
    _cache: dict = field(default_factory=dict)

    @property
    def ring_of(self) -> pd.Series:
        """Ring of each member borrower."""
        if "ring_of" not in self._cache:
            self._cache["ring_of"] = self.members.drop_duplicates("borrower").set_index("borrower")["ring"]
        return self._cache["ring_of"]

    @property
    def size(self) -> pd.Series:
        """Number of borrowers of each ring."""
        if "size" not in self._cache:
            self._cache["size"] = self.members.groupby("ring").size()
        return self._cache["size"]

    def link_rows(self, link: str) -> np.ndarray:
        """Positions (ascending) of the incidence rows of one link kind (all borrowers, not only ring members).

        The projection builds the incidence one link kind after another, so an
        Arrow chunk of ``link`` usually holds one kind: such a chunk is taken
        as a range of rows without comparing its strings; any other chunk is
        encoded. Cached.
        """
        if "links" not in self._cache:
            self._cache["links"] = _rows_by_value(self.incidence["link"])
        return self._cache["links"].get(link, np.zeros(0, np.int64))

    def link_incidence(self, link: str) -> pd.DataFrame:
        """The incidence rows of one link kind (all borrowers), cached: ``incidence[incidence["link"] == link]``."""
        got = self._cache.setdefault("link_inc", {})
        if link not in got:
            got[link] = _irows(self.incidence, self.link_rows(link))
        return got[link]

    def employer_codes(self) -> tuple[pd.DataFrame, np.ndarray, pd.Index, np.ndarray]:
        """The employer ties of the whole incidence, with integer codes. Cached.

        Returns ``(ties, ident_code, idents, borrower_code)``: ``ties`` are the
        incidence rows of link kind ``employer``; ``idents`` the distinct
        employer identifiers (``company:...``) that ``ident_code`` numbers;
        codes are -1 for missing values.
        """
        if "emp_codes" not in self._cache:
            e = self.link_incidence("employer")
            ic, idents = codes(e["ident"])
            bc, _ = codes(e["borrower"])
            self._cache["emp_codes"] = (e, ic, idents, bc)
        return self._cache["emp_codes"]

    def _tie_rows(self, link: str, min_n: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Incidence row positions of one link kind for ring members, and each one's member position.

        The member position indexes :attr:`ring_of`. With ``min_n``, only ties
        whose identifier is shared by at least ``min_n`` borrowers in all (the
        incidence's share count ``n``) are kept: an identifier shared by fewer
        cannot be shared by that many in one ring. Cached.
        """
        got = self._cache.setdefault("tie_rows", {})
        inc = self.incidence
        if "n" not in inc.columns:
            min_n = 0
        if (link, min_n) not in got:
            if (link, 0) in got:
                rows, pos = got[link, 0]
            else:
                rows = self.link_rows(link)
                pos = None
            if min_n > 1:
                at = inc["n"].to_numpy()[rows] >= min_n
                rows, pos = rows[at], (pos[at] if pos is not None else None)
            if pos is None:
                pos = self.member_pos(_irows(inc["borrower"], rows))
                at = pos >= 0
                rows, pos = rows[at], pos[at]
            got[link, min_n] = (rows, pos)
        return got[link, min_n]

    def ring_ties(self, link: str) -> pd.DataFrame:
        """Incidence rows of one link kind for ring members, with their ``ring`` (cached per link)."""
        ties = self._cache.setdefault("ties", {})
        if link not in ties:
            rows, pos = self._tie_rows(link)
            ties[link] = _irows(self.incidence, rows).assign(ring=self.ring_of.to_numpy()[pos])
        return ties[link]

    def shared_ties(self, link: str, min_borrowers: int = 2) -> pd.DataFrame:
        """Rows of :meth:`ring_ties` (``link``) whose identifier ties ``min_borrowers`` or more of the ring's borrowers.

        ``m[m.groupby(["ring", "ident"])["borrower"].transform("nunique") >= min_borrowers]``
        on integer codes, over the ties whose identifier is shared widely
        enough in the whole portfolio to qualify. Cached.
        """
        got = self._cache.setdefault("shared", {})
        if (link, min_borrowers) not in got:
            rows, pos = self._tie_rows(link, min_borrowers)
            k = np.zeros(len(rows), np.int64)
            if len(rows):
                ic, idents = codes(_irows(self.incidence["ident"], rows))
                ok = ic >= 0
                g, grp = pd.factorize(self._ring_codes()[pos[ok]] * len(idents) + ic[ok])
                nm = len(self.ring_of)
                pairs = pd.unique(g * nm + pos[ok])
                k[ok] = np.bincount(pairs // nm, minlength=len(grp))[g]
            at = k >= min_borrowers
            got[link, min_borrowers] = _irows(self.incidence, rows[at]).assign(ring=self.ring_of.to_numpy()[pos[at]])
        return got[link, min_borrowers]

    def _ring_codes(self) -> np.ndarray:
        """Integer code of each member's ring, aligned with :attr:`ring_of`."""
        if "ring_codes" not in self._cache:
            self._cache["ring_codes"] = pd.factorize(self.ring_of.to_numpy())[0]
        return self._cache["ring_codes"]

    def nodes(self, kind: str) -> pd.DataFrame:
        """Node table of a kind (empty frame with ``key`` when absent)."""
        return self.g.nodes.get(kind, pd.DataFrame(columns=["key", "_row"]))

    def col(self, kind: str, name: str) -> pd.Series:
        """One property of a node kind, indexed by key (NaN when the column is absent). Cached."""
        got = self._cache.setdefault("col", {})
        if (kind, name) not in got:
            df = self.nodes(kind)
            if name in df.columns:
                got[kind, name] = df[name].set_axis(self.node_keys(kind))
            else:
                got[kind, name] = pd.Series(np.nan, index=self.node_keys(kind), dtype=object)
        return got[kind, name]

    def node_keys(self, kind: str) -> pd.Index:
        """Keys of a node kind, one Index shared by every :meth:`col` of the kind. Cached."""
        got = self._cache.setdefault("keys", {})
        if kind not in got:
            got[kind] = pd.Index(self.nodes(kind)["key"])
        return got[kind]

    def node_pos(self, kind: str, s: pd.Series) -> np.ndarray:
        """Position of each value of ``s`` among the keys of a node kind (-1 when absent), for :func:`_lookup`."""
        return positions(s, self.node_keys(kind))

    def member_pos(self, s: pd.Series) -> np.ndarray:
        """Position in :attr:`ring_of` of each borrower id in ``s`` (-1 for non-members)."""
        return positions(s, self.ring_of.index)

    def _ring_rows(self, df: pd.DataFrame, col: str, name: str | None = None) -> pd.DataFrame:
        """Rows of ``df`` whose ``col`` is a ring member, with their ``ring`` (a copy).

        With ``name``, the positions of the rows kept are cached as ``name``.
        """
        pos = self.member_pos(df[col])
        keep = pos >= 0
        if name:
            self._cache[name] = np.flatnonzero(keep)
        df = df[keep].copy()
        df["ring"] = self.ring_of.to_numpy()[pos[keep]]
        return df

    def borrowers(self) -> pd.DataFrame:
        """Borrower nodes of ring members with their ring."""
        if "bor" not in self._cache:
            b = self.nodes("borrower")
            b = self._ring_rows(b, "key")
            for c in ("overdue_days", "co_debt_lenders", "outstanding"):
                if c in b.columns:
                    b[c] = pd.to_numeric(b[c], errors="coerce")
            self._cache["bor"] = b
        return self._cache["bor"]

    def complaints(self) -> pd.DataFrame:
        """Complaints about ring members, with ring and parsed time."""
        if "comp" not in self._cache:
            c = self.nodes("complaint")
            if "borrower_id" in c.columns:
                c = self._ring_rows(c, "borrower_id")
            else:
                c = c.iloc[0:0].assign(ring=pd.Series(dtype=object), borrower_id=pd.Series(dtype=object))
            c["t"] = pd.to_datetime(c["received_at"], errors="coerce") if "received_at" in c.columns else pd.NaT
            self._cache["comp"] = c
        return self._cache["comp"]

    def loans(self) -> pd.DataFrame:
        """Loans of ring members, with ring and parsed time."""
        if "loans" not in self._cache:
            lo = self.nodes("loan")
            if "borrower_id" in lo.columns:
                lo = self._ring_rows(lo, "borrower_id", "loan_rows")
            else:
                lo = lo.iloc[0:0].assign(ring=pd.Series(dtype=object), borrower_id=pd.Series(dtype=object))
            lo["t"] = pd.to_datetime(lo["applied_at"], errors="coerce") if "applied_at" in lo.columns else pd.NaT
            if "amount" in lo.columns:
                lo["amount"] = pd.to_numeric(lo["amount"], errors="coerce")
            self._cache["loans"] = lo
        return self._cache["loans"]

    def ring_repayments(self) -> pd.DataFrame:
        """Repayments of ring members' loans: ``borrower``, ``t`` (parsed ``paid_at``), cached."""
        if "repay" not in self._cache:
            lo = self.loans()
            loan_b = lo.set_index("key")["borrower_id"] if len(lo) else pd.Series(dtype=object)
            parts = []
            for _, r in self.g.edges_of_type("REPAID"):
                if len(r) and "paid_at" in r.columns and len(loan_b):
                    pos = positions(r["dst"], loan_b.index)
                    r = r[pos >= 0]
                    parts.append(pd.DataFrame({"borrower": loan_b.to_numpy()[pos[pos >= 0]],
                                               "t": pd.to_datetime(r["paid_at"], errors="coerce").to_numpy()}))
            self._cache["repay"] = (pd.concat(parts, ignore_index=True) if parts else
                                    pd.DataFrame({"borrower": pd.Series(dtype=object),
                                                  "t": pd.Series(dtype="datetime64[ns]")}))
        return self._cache["repay"]

    def loan_rows(self) -> np.ndarray | None:
        """Positions in :meth:`all_loans` of the rows of :meth:`loans` (None when it has no borrowers)."""
        self.loans()
        return self._cache.get("loan_rows")

    def all_loans(self) -> pd.DataFrame:
        """All loans in the portfolio (for significance tests)."""
        return self.nodes("loan")

    def edges(self, type_: str, sk: str, dk: str) -> pd.DataFrame:
        return self.g.edge_table(type_, sk, dk)

    def payroll_leads(self, window_days: int = 180) -> pd.DataFrame:
        """Loans naming an employer that paid the borrower a salary, with how long the payroll ran before.

        Returns ``company, borrower, loan, table, row, first_salary, applied_at,
        lead_days, fresh`` for every loan (whole portfolio) whose ``employer_uscc``
        paid its borrower a salary (to the borrower, or to an account they hold);
        ``fresh`` is True when the first salary came within ``window_days``
        before the application. Cached.
        """
        if "payroll" in self._cache:
            return self._cache["payroll"]
        cols = ["company", "borrower", "loan", "table", "row", "first_salary", "applied_at", "lead_days", "fresh"]
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        lo = self.all_loans()
        parts = []
        for (_, sk, dk), p in self.g.edges_of_type("PAID"):
            if sk != "company" or dk not in ("account", "borrower") or not len(p) or "purpose" not in p.columns \
                    or "paid_at" not in p.columns:  # optional column: no date, no payroll lead
                continue
            p = p[p["purpose"].eq("salary").fillna(False).to_numpy()]
            t = pd.to_datetime(p["paid_at"], errors="coerce").to_numpy()
            if dk == "account":
                # to each holder of the account (an inner join on the account, done on integer codes)
                acc = self.edges("HOLDS_ACCOUNT", "borrower", "account")
                pi, ai = _join_rows(p["dst"], acc["dst"])
                parts.append(pd.DataFrame({"company": p["src"].array.take(pi), "borrower": acc["src"].array.take(ai),
                                           "t": t[pi]}))
            else:
                parts.append(pd.DataFrame({"company": p["src"].array, "borrower": p["dst"].array, "t": t}))
        if parts and {"employer_uscc", "applied_at", "borrower_id"} <= set(lo.columns):
            sal = pd.concat(parts, ignore_index=True).dropna()
            applied = pd.to_datetime(lo["applied_at"], errors="coerce").to_numpy()
            # first salary per (company, borrower), looked up for each loan (with an employer and a date), on
            # integer codes
            cc, _ = codes(pd.concat([sal["company"], lo["employer_uscc"]], ignore_index=True))
            bc, bu = codes(pd.concat([sal["borrower"], lo["borrower_id"]], ignore_index=True))
            key = cc * (len(bu) + 1) + (bc + 1)
            first = pd.Series(sal["t"].to_numpy()).groupby(key[:len(sal)]).min()
            at = first.index.get_indexer(key[len(sal):])
            rows = np.flatnonzero((at >= 0) & (cc[len(sal):] >= 0) & ~pd.isna(applied))
            m = pd.DataFrame({"company": lo["employer_uscc"].iloc[rows].to_numpy(),
                              "borrower": lo["borrower_id"].iloc[rows].to_numpy(), "loan": lo["key"].iloc[rows].to_numpy(),
                              "table": "loans", "row": lo["_row"].to_numpy()[rows], "applied_at": applied[rows],
                              "first_salary": first.to_numpy()[at[rows]]})
            m["lead_days"] = (m["applied_at"] - m["first_salary"]).dt.days
            m["fresh"] = (m["lead_days"] >= 0) & (m["lead_days"] <= window_days)
            out = m[cols]
        self._cache["payroll"] = out
        return out

    def shell_like(self) -> set:
        """Companies that look like shells, whatever ring they are in.

        A company is shell-like when it shows an *operating* trace — it is in a
        cycle of trade payments among companies, most of its borrower staff
        are thin-file (白户), or most of its salaried loan applicants were first
        paid by it shortly before applying (a payroll set up for the loans) —
        together with a *formation* trace — it was
        incorporated within a year before a loan naming it, or it shares its
        registration agent or address with another company showing an
        operating trace. Honest local firms share bookkeepers and are young,
        but they do not pay each other in circles or employ only people with
        no credit history.
        """
        if "shell" in self._cache:
            return self._cache["shell"]
        from graphring.detect.projection import trade_groups

        comp = self.nodes("company")
        keys = pd.Index(comp["key"])
        op = pd.Series(False, index=keys)
        op[isin(op.index, trade_groups(self.g, max_companies=None).index)] = True
        e, ic, idents, bc = self.employer_codes()
        cf = self.col("borrower", "credit_file")
        if len(e) and cf.notna().any():
            # share of thin-file borrowers among each employer's distinct staff (a missing borrower counts once)
            _, first = np.unique((ic + 1) * (bc.max(initial=-1) + 2) + (bc + 1), return_index=True)
            first = first[ic[first] >= 0]
            pos = positions(e["borrower"], cf.index)
            t = np.zeros(len(e), bool)
            t[pos >= 0] = cf.to_numpy()[pos[pos >= 0]] == "thin"
            size = np.bincount(ic[first], minlength=len(idents))
            n_thin = np.bincount(ic[first], weights=t[first], minlength=len(idents))
            with np.errstate(invalid="ignore", divide="ignore"):
                thin = (size >= 2) & (n_thin / size >= 0.6)
            op[isin(op.index, idents[thin].str.slice(len("company:")))] = True
        # a payroll set up for the loans: most of the company's salaried applicants were first paid by it
        # shortly before applying (honest staff have paid months or years behind them)
        pl = self.payroll_leads()
        if len(pl):
            per = pl.drop_duplicates(["company", "borrower"]).groupby("company")["fresh"].agg(["mean", "sum"])
            op[isin(op.index, per[(per["mean"] >= 0.6) & (per["sum"] >= 2)].index)] = True
        form = pd.Series(False, index=keys)
        if "incorporated_on" in comp.columns:
            inc_on = pd.to_datetime(comp.set_index("key")["incorporated_on"], errors="coerce")
            lo = self.all_loans()
            if "applied_at" in lo.columns:
                t = pd.to_datetime(lo["applied_at"], errors="coerce")
                for c in ("employer_uscc", "counterparty_uscc"):
                    if c in lo.columns:
                        first = pd.DataFrame({"c": lo[c], "t": t}).dropna().groupby("c")["t"].min()
                        age = (first - inc_on.reindex(first.index)).dt.days
                        young = age[(age >= 0) & (age <= 365)].index
                        form[isin(form.index, young)] = True
        opk = set(op[op].index)
        for t, dk in (("REGISTERED_BY", "registration_agent"), ("REGISTERED_AT", "address")):
            e = self.edges(t, "company", dk)
            if len(e):
                with_op = e[isin(e["src"], opk)].groupby("dst")["src"].nunique()
                sis = e[isin(e["dst"], with_op[with_op >= 1].index)]
                # a sister: another company at the same agent/address shows an operating trace
                cnt = sis.assign(o=isin(sis["src"], opk)).groupby("dst")["o"].transform("sum")
                has_other = (cnt - isin(sis["src"], opk).astype(int)) >= 1
                form[isin(form.index, sis.loc[has_other, "src"])] = True
        shells = set(keys[(op & form).to_numpy()])
        self._cache["shell"] = shells
        return shells

    def ring_companies(self) -> pd.DataFrame:
        """Companies tied to a ring: employer, role, salary payer, counterparty. ``ring, company, how, table, row``."""
        if "rc" not in self._cache:
            # in incidence order, as the ties came
            m = pd.concat([self.ring_ties("employer"), self.ring_ties("counterparty")]).sort_index(kind="stable")
            m = m.reset_index(drop=True)
            rc = pd.DataFrame({"ring": m["ring"], "borrower": _plain(m["borrower"]),
                               "company": _plain(m["ident"].str.slice(len("company:"))), "how": _plain(m["link"]),
                               "table": _plain(m["table"]), "row": m["row"]})
            self._cache["rc"] = rc
        return self._cache["rc"]


def _irows(df: pd.DataFrame | pd.Series, rows: np.ndarray) -> pd.DataFrame | pd.Series:
    """``df.iloc[rows]``, taken from the stretch of rows they span only.

    Arrow's take on a column of many chunks joins all the chunks first; the
    incidence is concatenated from one part per link kind, and the rows of
    one kind lie in one or two of them.
    """
    if not len(rows):
        return df.iloc[rows]
    a, b = int(rows.min()), int(rows.max()) + 1
    return df.iloc[a:b].iloc[rows - a]


def _rows_by_value(s: pd.Series) -> dict:
    """Row positions (ascending) of each distinct value of a column with few distinct values (missing left out).

    An Arrow chunk holding one value throughout is a range of rows (found by
    comparing it to its first value); other chunks are encoded.

    Examples
    --------
    >>> {k: v.tolist() for k, v in _rows_by_value(pd.Series(["a", "b", "a", None], dtype="str")).items()}
    {'a': [0, 2], 'b': [1]}
    """
    arr = s.array
    data = arr.__arrow_array__() if hasattr(arr, "__arrow_array__") else None
    parts: dict = {}
    if data is None:
        c, names = codes(s)
        for i, x in enumerate(names.tolist()):
            parts.setdefault(x, []).append(np.flatnonzero(c == i))
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        off = 0
        for ch in (data.chunks if isinstance(data, pa.ChunkedArray) else [data]):
            n = len(ch)
            one = None
            if n and ch.null_count == 0 and pc.all(pc.equal(ch, ch[0])).as_py():
                one = ch[0].as_py()
            if one is not None:
                parts.setdefault(one, []).append(np.arange(off, off + n, dtype=np.int64))
            elif n:
                enc = pc.dictionary_encode(ch)
                idx = np.asarray(enc.indices.fill_null(-1), dtype=np.int64)
                for i, x in enumerate(enc.dictionary.to_pylist()):
                    parts.setdefault(x, []).append(np.flatnonzero(idx == i) + off)
            off += n
    return {k: np.concatenate(v).astype(np.int64) for k, v in parts.items()}


def _plain(s: pd.Series) -> pd.Series | np.ndarray:
    """A column for a new frame: a Series of the ``str`` dtype as it is (no round trip through Python
    strings), anything else as a NumPy array (whose dtype the frame infers)."""
    return s if s.dtype == "str" else s.to_numpy()


def _lookup(keys: pd.Series, s: pd.Series, pos: np.ndarray | None = None) -> pd.Series:
    """``keys.map(s)`` for a uniquely indexed ``s``, through one Arrow lookup (index of ``keys``).

    ``pos`` are the positions of ``keys`` in ``s.index`` when already known
    (:meth:`SignalContext.node_pos`).

    Examples
    --------
    >>> _lookup(pd.Series(["b", "x"], dtype="str"), pd.Series([1, 2], index=pd.Index(["a", "b"], dtype="str"))).tolist()
    [2.0, nan]
    """
    if not len(s):
        return keys.map(s)
    if pos is None:
        pos = positions(keys, s.index)
    found = pos >= 0
    out = s.iloc[np.where(found, pos, 0)]
    if not found.all():
        out = out.where(found)
    return out.set_axis(keys.index)


def _count_at(keys: np.ndarray, at: np.ndarray) -> np.ndarray:
    """How often each value of ``at`` occurs in ``keys`` (int64 arrays).

    Examples
    --------
    >>> _count_at(np.array([3, 1, 3]), np.array([3, 2, 1])).tolist()
    [2, 0, 1]
    """
    u, n = np.unique(keys, return_counts=True)
    i = np.searchsorted(u, at)
    hit = i < len(u)
    hit[hit] = u[i[hit]] == at[hit]
    return np.where(hit, n[np.minimum(i, len(u) - 1)], 0) if len(u) else np.zeros(len(at), np.int64)


def _join_rows(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the inner join ``left == right`` (missing matches missing, as in ``merge``).

    Pairs come in left order, each left row's matches in right order.

    Examples
    --------
    >>> _join_rows(pd.Series(["a", "b", "c"]), pd.Series(["b", "a", "b"]))
    (array([0, 1, 1]), array([1, 0, 2]))
    >>> _join_rows(pd.Series(["a", None, "x"], dtype="str"), pd.Series([None, "a", "y"], dtype="str"))
    (array([0, 1]), array([1, 0]))
    """
    lc, lu = codes(left)
    rc = positions(right, lu)
    # missing matches missing: one more code for it on both sides
    lc = np.where(lc < 0, len(lu), lc)
    rc = np.where(right.isna().to_numpy(), len(lu), rc)
    order = np.argsort(rc, kind="stable")
    lo_ = np.searchsorted(rc[order], lc, "left")
    n = np.searchsorted(rc[order], lc, "right") - lo_
    li = np.repeat(np.arange(len(left)), n)
    start = np.repeat(lo_ - np.cumsum(n) + n, n)  # each pair's offset into the sorted right side
    return li, order[start + np.arange(len(li))]


def _ev(ring, signal, borrower=None, entity=None, table=None, row=None, key=None, detail=None) -> pd.DataFrame:
    n = len(ring)
    def col(x):
        if x is None:
            return [None] * n
        return np.asarray(x, dtype=object) if not np.isscalar(x) else [x] * n
    return pd.DataFrame({"ring": np.asarray(ring), "signal": signal, "borrower": col(borrower),
                         "entity": col(entity), "table": col(table), "row": col(row), "key": col(key),
                         "detail": col(detail)}, columns=EVIDENCE_COLUMNS)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=EVIDENCE_COLUMNS)


def _shared_in_ring(ctx: SignalContext, link: str, min_borrowers: int = 2) -> pd.DataFrame:
    """Incidence rows of one link kind whose identifier ties ``min_borrowers`` or more borrowers of the same ring."""
    return ctx.shared_ties(link, min_borrowers)


def _defaulted_unpaid(ctx: SignalContext, since: pd.Series) -> set:
    """Ring borrowers in default (overdue, or a loan overdue or charged off) with no repayment after ``since``.

    ``since`` maps borrower to a time (their first complaint, say); a borrower
    without a time counts as not having repaid after it.
    """
    bor = ctx.borrowers().set_index("key")
    od = bor["overdue_days"].fillna(0) > 0 if "overdue_days" in bor.columns else pd.Series(False, index=bor.index)
    lo = ctx.loans()
    if "status" in lo.columns:
        od = od | isin(bor.index, lo.loc[lo["status"].isin(["overdue", "charged_off"]), "borrower_id"])
    rp = ctx.ring_repayments()
    paid_after: set = set()
    if len(rp) and len(since):  # (pandas cannot map an empty Series through an empty datetime one)
        paid_after = set(rp.loc[(rp["t"] > _lookup(rp["borrower"], since)).to_numpy(), "borrower"])
    return set(od[od].index) - paid_after


# ---------------------------------------------------------------------------------------
# proxy complaints (职业化代理投诉)
# ---------------------------------------------------------------------------------------

def foreign_complaint_phone(ctx: SignalContext) -> pd.DataFrame:
    """A complaint filed from a number that is not the borrower's own.

    Alone this is weak: a spouse, a legal-aid line or HR may call. Strength is the
    share of the ring's borrowers with such a complaint.
    """
    m = ctx.ring_ties("complaint_phone")
    return _ev(m["ring"], "foreign_complaint_phone", m["borrower"], m["ident"],
               m["table"], m["row"], None, "complaint filed from a number that is not the borrower's own")


def hub_complaint_phone(ctx: SignalContext) -> pd.DataFrame:
    """One complaint number filing for several borrowers of the ring, whose clients behave like an agency's.

    A number filing for at least three of the ring's borrowers is the agency
    trace, but a legal-aid hotline or an employer's HR line files for many
    people too. What tells them apart is what happens around the letter: an
    anti-collection agency's clients stop repaying (the agency tells them to),
    and its letters are written from one template or carry the same
    attachments; a legal-aid line's clients write in their own words and keep
    repaying. A borrower counts only when they are in default with no repayment
    since their first complaint, or their letter shares a template or an
    attachment with another ring member's.
    """
    m = _shared_in_ring(ctx, "complaint_phone", 3)
    if not len(m):
        return _empty()
    first_c = ctx.complaints().dropna(subset=["t"]).groupby("borrower_id")["t"].min()
    unpaid = _defaulted_unpaid(ctx, first_c)
    shared = set(_shared_in_ring(ctx, "template")["borrower"]) | set(_shared_in_ring(ctx, "attachment")["borrower"])
    m = m[isin(m["borrower"], unpaid | shared)]
    why = np.where(isin(m["borrower"], shared), "letter shares a template or attachment in the ring",
                   "client in default and not repaying since the complaint")
    return _ev(m["ring"], "hub_complaint_phone", m["borrower"], m["ident"], m["table"], m["row"], None,
               "complaint number shared by " + m["n"].astype(str) + " borrowers; " + pd.Series(why, index=m.index))


def sim_in_agency_city(ctx: SignalContext) -> pd.DataFrame:
    """The borrower's own number seen in another city, the same city for several members.

    SIM cards mailed to an agency show up in the agency's city. One borrower
    travelling is nothing; several members' own numbers seen in one city they do
    not live in is the trace.
    """
    from graphring.detect.projection import away_from_home

    away = away_from_home(ctx.g)
    away = away[isin(away["src"], ctx.ring_of.index)].copy()
    if not len(away):
        return _empty()
    away["ring"] = away["src"].map(ctx.ring_of)
    k = away.groupby(["ring", "city"])["src"].transform("nunique")
    away = away[k >= 2]
    return _ev(away["ring"], "sim_in_agency_city", away["src"], "phone:" + away["dst"], away["_table"],
               away["_row"], None, "own number seen in " + away["city"].astype(str) + ", not the home city")


def unbind_rebind_before_complaint(ctx: SignalContext, within_days: int = 60) -> pd.DataFrame:
    """The account phone unbound and a number bound within ``within_days`` before a complaint."""
    from graphring.detect.projection import account_swaps

    pe = account_swaps(ctx.g, within_days)
    pe = pe[isin(pe["src"], ctx.ring_of.index)]
    if not len(pe):
        return _empty()
    return _ev(pe["src"].map(ctx.ring_of), "unbind_rebind_before_complaint", pe["src"], "phone:" + pe["dst"],
               pe["_table"], pe["_row"], None, pe["event"] + " of the account phone shortly before a complaint")


def template_complaint_text(ctx: SignalContext) -> pd.DataFrame:
    """Near-identical letters (same wording, typos, punctuation) from three or more ring members.

    A script is the trace of a group writing for its clients; two similar
    letters alone are as likely a couple, or two people who copied the same
    stock phrases, so (as for a complaint number) three letter writers are needed.
    """
    m = _shared_in_ring(ctx, "template", 3)
    return _ev(m["ring"], "template_complaint_text", m["borrower"], None, m["table"], m["row"], None,
               "letter from template " + m["ident"].str.slice(len("template:")) + " shared by "
               + m["n"].astype(str) + " borrowers")


def shared_attachment(ctx: SignalContext) -> pd.DataFrame:
    """The same attached file (certificate, image) on complaints of several ring members."""
    m = _shared_in_ring(ctx, "attachment")
    return _ev(m["ring"], "shared_attachment", m["borrower"], m["ident"], m["table"], m["row"], None,
               "same attachment on complaints of " + m["n"].astype(str) + " borrowers")


def shared_agent(ctx: SignalContext) -> pd.DataFrame:
    """One named representative on complaints of several ring members."""
    m = _shared_in_ring(ctx, "agent")
    return _ev(m["ring"], "shared_agent", m["borrower"], m["ident"], m["table"], m["row"], None,
               "same agent for " + m["n"].astype(str) + " borrowers")


# ---------------------------------------------------------------------------------------
# malicious debt evasion (恶意逃废债)
# ---------------------------------------------------------------------------------------

HARDSHIP = ("illness", "death", "pregnancy", "unemployment")


#: A hardship claim repeats when at least this share of a ring's complainants (three or more) make it.
HARDSHIP_SHARE = 0.8


def fabricated_hardship_claims(ctx: SignalContext) -> pd.DataFrame:
    """Hardship (illness, death, pregnancy, unemployment) claimed with a document shared in the ring.

    A forged certificate made by a third party repeats across borrowers; one
    person's genuine certificate does not appear in another's complaint. Where the
    export carries no letters or attachments, the claim itself repeating is the trace:
    at least :data:`HARDSHIP_SHARE` of the ring's complainants claim a hardship.
    """
    c = ctx.complaints()
    if "claimed_reason" not in c.columns:
        return _empty()
    att = _shared_in_ring(ctx, "attachment")
    tpl = _shared_in_ring(ctx, "template")
    linked = set(att["borrower"]) | set(tpl["borrower"])
    hard = c["claimed_reason"].isin(HARDSHIP)
    # or the claim itself repeats: (nearly) every complainant of the ring claims a hardship, as a forger's
    # clients do; this is what an export without letters or attachments still shows
    writers = c.groupby("ring")["borrower_id"].nunique()
    claimers = c[hard].groupby("ring")["borrower_id"].nunique()
    share = (claimers / writers.reindex(claimers.index)).where(writers.reindex(claimers.index) >= 3, 0.0)
    repeated = c["ring"].map(share).fillna(0.0).to_numpy() >= HARDSHIP_SHARE
    m = c[hard & (isin(c["borrower_id"], linked) | repeated)]
    return _ev(m["ring"], "fabricated_hardship_claims", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "claims " + m["claimed_reason"].astype(str) + " with a document or letter shared in the ring")


def stop_collection_then_no_repayment(ctx: SignalContext) -> pd.DataFrame:
    """Demands that collection stop, then no repayment follows and the debt stays overdue."""
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    c = c[c["demand"].eq("stop_collection")]
    if not len(c):
        return _empty()
    unpaid = _defaulted_unpaid(ctx, c.groupby("borrower_id")["t"].min())
    m = c[isin(c["borrower_id"], unpaid)]
    return _ev(m["ring"], "stop_collection_then_no_repayment", m["borrower_id"], None, "complaints", m["_row"],
               m["key"], "asked to stop collection; no repayment since and still overdue")


def activity_during_claimed_illness(ctx: SignalContext, window_days: int = 30) -> pd.DataFrame:
    """Logins or spending during a claimed hospital stay or after a claimed death.

    The claimed period is taken as ``window_days`` either side of the complaint
    (any time after it for a claimed death).
    """
    c = ctx.complaints()
    if "claimed_reason" not in c.columns:
        return _empty()
    c = c[c["claimed_reason"].isin(["illness", "death"]) & c["t"].notna()]
    if not len(c):
        return _empty()
    claims = c.groupby("borrower_id").agg(t=("t", "min"), reason=("claimed_reason", "first"))
    parts = []
    dev = ctx.edges("USED_DEVICE", "borrower", "device")
    if len(dev) and "seen_at" in dev.columns:
        d = dev[isin(dev["src"], claims.index)].copy()
        d["t"] = pd.to_datetime(d["seen_at"], errors="coerce")
        parts.append(d.rename(columns={"src": "b"})[["b", "t", "_table", "_row"]].assign(what="login"))
    for (_, sk, dk), p in ctx.g.edges_of_type("PAID"):
        if sk == "borrower" and len(p) and "paid_at" in p.columns:
            q = p[isin(p["src"], claims.index)].copy()
            if "purpose" in q.columns:
                q = q[~q["purpose"].eq("repayment")]
            q["t"] = pd.to_datetime(q["paid_at"], errors="coerce")
            parts.append(q.rename(columns={"src": "b"})[["b", "t", "_table", "_row"]].assign(what="payment"))
    if not parts:
        return _empty()
    a = pd.concat(parts, ignore_index=True).dropna(subset=["t"])
    tc = a["b"].map(claims["t"])
    death = a["b"].map(claims["reason"]).eq("death")
    inside = ((a["t"] >= tc - window_days * DAY) & (a["t"] <= tc + window_days * DAY)) | (death & (a["t"] > tc))
    a = a[inside]
    return _ev(a["b"].map(ctx.ring_of), "activity_during_claimed_illness", a["b"], None, a["_table"], a["_row"],
               None, a["what"] + " while claiming illness or death")


# ---------------------------------------------------------------------------------------
# malicious claims / extortion (恶意索赔)
# ---------------------------------------------------------------------------------------

def escalation_to_petition(ctx: SignalContext) -> pd.DataFrame:
    """Complaints escalated through channels up to a petition (信访) or the regulator."""
    c = ctx.complaints()
    if "channel" not in c.columns:
        return _empty()
    c = c.sort_values(["borrower_id", "t"], kind="stable")
    nch = c.groupby("borrower_id")["channel"].transform("nunique")
    top = c["channel"].eq("petition").fillna(False).groupby(c["borrower_id"]).transform("any")
    m = c[(nch >= 2) & top.astype(bool)]
    return _ev(m["ring"], "escalation_to_petition", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "complaint via " + m["channel"].astype(str) + " in an escalation up to a petition")


def compensation_close_to_debts(ctx: SignalContext, tolerance: float = 0.35) -> pd.DataFrame:
    """Compensation demanded that roughly covers all the borrower's debts.

    The amount is the largest ``... 元`` figure in a complaint that demands
    compensation (an extra ``claimed_amount`` column is used when the input has
    one); it is compared to the outstanding balance and loan amounts.
    """
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    c = c[c["demand"].eq("compensation")].copy()
    if not len(c):
        return _empty()
    if "x:claimed_amount" in c.columns:
        c["claim"] = pd.to_numeric(c["x:claimed_amount"], errors="coerce")
    else:
        c["claim"] = c["text"].map(_claimed_amount) if "text" in c.columns else np.nan
    bor = ctx.borrowers().set_index("key")
    debt = bor["outstanding"] if "outstanding" in bor.columns else pd.Series(np.nan, index=bor.index)
    lo = ctx.loans()
    if "amount" in lo.columns:
        debt = debt.fillna(lo.groupby("borrower_id")["amount"].sum().reindex(debt.index))
    c["debt"] = c["borrower_id"].map(debt)
    close = (c["claim"] > 0) & (c["debt"] > 0) & ((c["claim"] / c["debt"] - 1).abs() <= tolerance)
    m = c[close]
    return _ev(m["ring"], "compensation_close_to_debts", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "compensation claimed " + m["claim"].round(0).astype(str) + " against debts of "
               + m["debt"].round(0).astype(str))


def apology_then_compensation(ctx: SignalContext) -> pd.DataFrame:
    """First an apology is demanded, later compensation (the extortion sequence)."""
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    a = c[c["demand"].eq("apology")].groupby("borrower_id")["t"].min()
    comp = c[c["demand"].eq("compensation")]
    if not len(a) or not len(comp):
        return _empty()
    ta = pd.to_datetime(comp["borrower_id"].map(a), errors="coerce")
    m = comp[comp["borrower_id"].isin(a.index) & (comp["t"] >= ta)]
    return _ev(m["ring"], "apology_then_compensation", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "compensation demanded after an apology demand")


def high_co_debt_then_default(ctx: SignalContext, min_lenders: int = 5) -> pd.DataFrame:
    """Many concurrent lenders (共债), then default, and a complaint."""
    b = ctx.borrowers()
    if "co_debt_lenders" not in b.columns:
        return _empty()
    od = b["overdue_days"].fillna(0) > 0 if "overdue_days" in b.columns else pd.Series(False, index=b.index)
    if "first_overdue_on" in b.columns:
        od = od | b["first_overdue_on"].notna()
    complained = isin(b["key"], ctx.complaints()["borrower_id"])
    m = b[(b["co_debt_lenders"] >= min_lenders) & od & complained]
    return _ev(m["ring"], "high_co_debt_then_default", m["key"], None, "borrowers", m["_row"], m["key"],
               "owes " + m["co_debt_lenders"].astype(int).astype(str) + " lenders, defaulted, then complained")


# ---------------------------------------------------------------------------------------
# loan fraud by qualification packaging (资质包装)
# ---------------------------------------------------------------------------------------

def shells_share_registration(ctx: SignalContext, min_share: float = 0.5) -> pd.DataFrame:
    """The ring's companies sharing a registration agent or registered address.

    A ring company ties at least two of the ring's borrowers (employer,
    payroll, role or loan counterparty). A popular bookkeeping firm serves
    hundreds of unrelated companies; a shell factory's agent serves a handful
    that all tie to one ring. Counted when at least two ring companies share the
    agent or address and at least ``min_share`` of all the companies it serves
    in the data are ring companies.
    """
    rc = ctx.ring_companies()
    if not len(rc):
        return _empty()
    rc = rc[isin(rc["company"], ctx.shell_like())][["ring", "company"]].drop_duplicates()
    out = []
    for t, dk in (("REGISTERED_BY", "registration_agent"), ("REGISTERED_AT", "address")):
        e = ctx.edges(t, "company", dk)
        if not len(e):
            continue
        total = e.groupby("dst")["src"].nunique()
        m = rc.merge(e.rename(columns={"src": "company", "dst": "via"}), on="company")
        if not len(m):  # (an empty map would keep the ids' string dtype)
            continue
        k = m.groupby(["ring", "via"])["company"].transform("nunique")
        share = k / m["via"].map(total)
        m = m[(k >= 2) & (share >= min_share)]
        if len(m):
            out.append(_ev(m["ring"], "shells_share_registration", None, "company:" + m["company"], m["_table"],
                           m["_row"], m["company"], "company shares " + dk.replace("_", " ") + " "
                           + m["via"].astype(str) + " with " + (k[m.index] - 1).astype(str) + " others in the ring"))
    return pd.concat(out, ignore_index=True) if out else _empty()


def recent_incorporation(ctx: SignalContext, days: int = 365) -> pd.DataFrame:
    """Employer or counterparty incorporated less than ``days`` before the ring's loans."""
    rc = ctx.ring_companies()
    comp = ctx.nodes("company")
    if not len(rc) or "incorporated_on" not in comp.columns:
        return _empty()
    inc_on = pd.to_datetime(comp.set_index("key")["incorporated_on"], errors="coerce")
    lo = ctx.loans()
    first_loan = lo.dropna(subset=["t"]).groupby("ring")["t"].min()
    m = rc[isin(rc["company"], ctx.shell_like())].drop_duplicates(["ring", "company"]).copy()
    m["inc"] = m["company"].map(inc_on)
    if not len(first_loan):  # no loans table, or no applied_at: no first loan to date a company against
        return _empty()
    m["first"] = m["ring"].map(first_loan)
    m = m[m["inc"].notna() & m["first"].notna() & (m["first"] - m["inc"] <= days * DAY) & (m["first"] >= m["inc"])]
    crow = comp.set_index("key")["_row"] if "_row" in comp.columns else pd.Series(dtype=object)
    return _ev(m["ring"], "recent_incorporation", None, "company:" + m["company"], "companies",
               m["company"].map(crow), m["company"],
               "incorporated " + ((m["first"] - m["inc"]).dt.days).astype(str) + " days before the ring's first loan")


def circular_trade_flows(ctx: SignalContext) -> pd.DataFrame:
    """Trade payments that go round among the ring's companies (A→B→…→A)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    p = ctx.edges("PAID", "company", "company")
    rc = ctx.ring_companies()[["ring", "company"]].drop_duplicates()
    if not len(p) or not len(rc):
        return _empty()
    if "purpose" in p.columns:
        p = p[p["purpose"].isin(["trade", "other"]) | p["purpose"].isna()]
    ring_of_co = rc.drop_duplicates("company").set_index("company")["ring"]
    p = p[isin(p["src"], ring_of_co.index) | isin(p["dst"], ring_of_co.index)]
    if not len(p):
        return _empty()
    nodes = pd.Index(pd.unique(pd.concat([p["src"], p["dst"]]))).sort_values()
    m = coo_matrix((np.ones(len(p)), (nodes.get_indexer(p["src"]), nodes.get_indexer(p["dst"]))),
                   shape=(len(nodes), len(nodes)))
    _, lab = connected_components(m, directed=True, connection="strong")
    scc = pd.Series(lab, index=nodes)
    big = scc.map(scc.value_counts()) >= 2
    cyc = p[p["src"].map(big) & p["dst"].map(big) & (p["src"].map(scc) == p["dst"].map(scc))]
    ring = cyc["src"].map(ring_of_co).fillna(cyc["dst"].map(ring_of_co))
    return _ev(ring, "circular_trade_flows", None, "company:" + cyc["src"], cyc["_table"], cyc["_row"], None,
               "trade payment in a cycle among the ring's companies")


def payroll_to_thin_file(ctx: SignalContext) -> pd.DataFrame:
    """Thin-file borrowers (白户) on the payroll of a small company tied to the ring."""
    b = ctx.borrowers()
    if "credit_file" not in b.columns:
        return _empty()
    thin = set(b[b["credit_file"].eq("thin")]["key"])
    rc = ctx.ring_companies()
    if not len(rc):
        return _empty()
    emp = rc[rc["how"].eq("employer") & isin(rc["borrower"], thin)]
    e, ic, idents, bc = ctx.employer_codes()
    at = positions("company:" + emp["company"], idents)
    # distinct staff of each employer identifier
    ok = (ic >= 0) & (bc >= 0)
    nb = bc.max(initial=-1) + 1
    size = np.bincount(np.unique(ic[ok] * nb + bc[ok]) // max(nb, 1), minlength=len(idents))
    keep = np.where(at >= 0, size[at], 0) <= 60
    emp, at = emp[keep], at[keep]
    # a real employer's staff is mostly not thin-file; a shell's "payroll" is
    ok = ic >= 0
    n = np.bincount(ic[ok], minlength=len(idents))
    n_thin = np.bincount(ic[ok], weights=isin(e["borrower"], thin)[ok], minlength=len(idents))
    with np.errstate(invalid="ignore", divide="ignore"):
        thin_share = n_thin / n
    emp = emp[np.where(at >= 0, thin_share[at], 0) >= 0.6]
    k = emp.groupby(["ring", "company"])["borrower"].transform("nunique")
    emp = emp[k >= 2]
    return _ev(emp["ring"], "payroll_to_thin_file", emp["borrower"], "company:" + emp["company"], emp["table"],
               emp["row"], None, "thin-file borrower on the payroll of a small company")


def payroll_before_loan(ctx: SignalContext, min_share: float = 0.6) -> pd.DataFrame:
    """Ring borrowers put on a payroll shortly before a loan naming that employer.

    Packagers "inject cash flow": a shell starts paying salaries to the people it
    will present as staff a few months before they apply, so that the loan file
    shows income. Counted for a ring when at least two of its borrowers got their
    first salary from the employer within 180 days before applying, and most
    (``min_share``) of that employer's salaried applicants in the whole
    portfolio did the same. A real employer's new hire applying soon after
    joining is one person among colleagues with long payroll histories.
    """
    pl = ctx.payroll_leads()
    if not len(pl):
        return _empty()
    per = pl.drop_duplicates(["company", "borrower"]).groupby("company")["fresh"].mean()
    m = pl[pl["fresh"] & isin(pl["borrower"], ctx.ring_of.index)]
    m = m[m["company"].map(per).fillna(0).to_numpy() >= min_share]
    m = m.assign(ring=m["borrower"].map(ctx.ring_of).to_numpy())
    k = m.groupby(["ring", "company"])["borrower"].transform("nunique")
    m = m[k >= 2]
    return _ev(m["ring"], "payroll_before_loan", m["borrower"], "company:" + m["company"], m["table"], m["row"],
               m["loan"], "first salary from the employer " + m["lead_days"].astype(int).astype(str)
               + " days before the loan application naming it")


def counterparty_sister_shell(ctx: SignalContext) -> pd.DataFrame:
    """Loan proceeds paid to a sister of the borrower's own employer.

    An honest business loan pays an outside supplier; a packaged loan pays a
    company the same people control: one that trades with the borrower's
    employer, or was registered by the same agent or at the same address.
    """
    rc = ctx.ring_companies()
    if not len(rc):
        return _empty()
    how = rc["how"].to_numpy()
    cp = rc[how == "counterparty"]
    emp = rc[how == "employer"][["borrower", "company"]]
    if not len(cp) or not len(emp):
        return _empty()
    # (borrower, employer) once each, first seen first; then every counterparty tie against each employer of
    # its borrower, on integer codes (a merge of the two in the order merge gives)
    b, _ = codes(emp["borrower"])
    c, cu = codes(emp["company"])
    _, first = np.unique((b + 1) * (len(cu) + 1) + (c + 1), return_index=True)
    emp = emp.iloc[np.sort(first)]
    li, ri = _join_rows(cp["borrower"], emp["borrower"])
    pairs = cp.iloc[li].reset_index(drop=True).assign(employer=emp["company"].array.take(ri))
    pairs = pairs[pairs["company"] != pairs["employer"]]
    # related companies (trading partners, sisters by agent or address) as pairs of integer codes
    left, right = [], []
    p = ctx.edges("PAID", "company", "company")
    if len(p):
        left += [p["src"], p["dst"]]
        right += [p["dst"], p["src"]]
    for t, dk in (("REGISTERED_BY", "registration_agent"), ("REGISTERED_AT", "address")):
        e = ctx.edges(t, "company", dk)
        if len(e):
            total = e.groupby("dst")["src"].nunique()
            e = e[e["dst"].map(total) <= 20]  # a popular firm's clients are not sisters
            sis = e.merge(e, on="dst")
            left.append(sis["src_x"])
            right.append(sis["src_y"])
    n = len(pairs)
    allc, u = codes(pd.concat([pairs["company"], pairs["employer"]] + left + right, ignore_index=True))
    allc = allc + 1  # missing is a value too, as in a set of tuples
    key = allc * (len(u) + 1)
    half = (len(allc) - 2 * n) // 2
    rel = key[2 * n:2 * n + half] + allc[2 * n + half:]
    keep = np.isin(key[:n] + allc[n:2 * n], rel)
    m = pairs[keep].drop_duplicates(["ring", "borrower", "company", "table", "row"])
    return _ev(m["ring"], "counterparty_sister_shell", m["borrower"], "company:" + m["company"], m["table"],
               m["row"], None, "loan proceeds paid to a sister company of the borrower's employer")


def officer_concentration(ctx: SignalContext, alpha: float = 1e-4, min_share: float = 0.5,
                          prior: float = 5.0) -> pd.DataFrame:
    """One loan officer handling most of a ring's loans, more than their local share explains.

    Officers serve a branch, so borrowers of one city share officers: a local
    group (a legal-aid centre's clients, one employer's staff, a family) is
    handled by few officers for no bad reason. The officer's expected share of
    each ring loan is therefore their share of the *other* loans (the ring's
    own left out) to borrowers of the same city, shrunk towards their share of
    all other loans by ``prior`` pseudo-loans (a city with few loans says
    little). One-sided binomial test: k of the ring's n loans are the
    officer's, against the mean p of those expected shares; fires when
    P(X >= k) < ``alpha``, k >= 3 and k >= ``min_share`` n. An insider waving
    through a ring recruited across cities handles far more of its loans than
    any branch explains.
    """
    from scipy.special import bdtrc  # binom.sf(k - 1, n, p); scipy.stats costs 0.4 s to import

    lo = ctx.loans()
    allo = ctx.all_loans()
    if "officer_id" not in lo.columns or not len(lo) or "borrower_id" not in allo.columns:
        return _empty()
    city = ctx.col("borrower", "city").astype(object)
    city = city[~city.index.duplicated()].fillna("?")
    # integer codes for officers and cities (a borrower not found has city "?", like a missing one)
    cc, _ = pd.factorize(np.append(city.to_numpy(), "?"))
    ocode, _ = codes(pd.concat([allo["officer_id"], lo["officer_id"]], ignore_index=True))

    def city_code(bids: pd.Series) -> np.ndarray:
        i = positions(bids, city.index)
        return np.where(i >= 0, cc[:-1][i], cc[-1])

    c_all = city_code(allo["borrower_id"])
    lrows = ctx.loan_rows()
    c_lo = c_all[lrows] if lrows is not None and len(lrows) == len(lo) else city_code(lo["borrower_id"])
    a = pd.DataFrame({"o": ocode[:len(allo)], "c": c_all})
    a = a[a["o"].to_numpy() >= 0]
    lo = lo.assign(_o=ocode[len(allo):])
    r = pd.DataFrame({"ring": lo["ring"].to_numpy(), "o": lo["_o"].to_numpy(), "c": c_lo})
    r_off = r[r["o"].to_numpy() >= 0]
    k = r_off.groupby(["ring", "o"]).size().rename("k").reset_index()
    if not len(k):
        return _empty()
    n_all = float(len(a))
    # every ring loan against every officer tested in that ring (the ring's loans in order), with the loan
    # counts the expected share is made of, all on integer keys
    xi, xj = _join_rows(r["ring"], k["ring"])
    c_r, o_k = r["c"].to_numpy(), k["o"].to_numpy()
    xc, xo = c_r[xi], o_k[xj]
    ao, co = a["o"].to_numpy(), a["c"].to_numpy()
    off = r["o"].to_numpy() >= 0
    ro, rco = r["o"].to_numpy()[off], c_r[off]
    nc = int(max(co.max(initial=0), c_r.max(initial=0))) + 1
    no = int(max(ao.max(initial=0), o_k.max(initial=0))) + 1
    rg = pd.factorize(r["ring"].to_numpy())[0].astype(np.int64)
    rgr = rg[off]
    a_co = (np.bincount(co * no + ao, minlength=nc * no)[xc * no + xo] if nc * no <= 1 << 24
            else _count_at(co * no + ao, xc * no + xo))
    a_c = np.bincount(co, minlength=nc)[xc]
    a_o = np.bincount(ao, minlength=no)[xo]
    r_co = _count_at((rgr * nc + rco) * no + ro, (rg[xi] * nc + xc) * no + xo)
    r_c = _count_at(rgr * nc + rco, rg * nc + c_r)[xi]
    r_o = k["k"].to_numpy()[xj]
    n_r = np.bincount(rgr, minlength=len(rg))[rg][xi]
    glob = np.clip((a_o - r_o) / np.maximum(n_all - n_r.astype(float), 1.0), 0.0, 1.0)
    p = ((a_co - r_co) + prior * glob) / ((a_c - r_c) + prior)
    # mean over the ring's loans, summed in loan order as pandas does
    k["p"] = pd.Series(p).groupby(xj).mean().reindex(np.arange(len(k))).to_numpy()
    k["n"] = k["ring"].map(lo.groupby("ring")["key"].size()).astype(float)
    pval = bdtrc(k["k"].to_numpy(np.int64) - 1, k["n"].to_numpy(np.int64), k["p"].clip(1e-9, 1.0).to_numpy())
    k["pval"] = np.where(pval < np.finfo(float).tiny, 0.0, pval)  # bdtrc ends in subnormals where binom.sf says 0
    sig = k[(k["k"] >= 3) & (k["pval"] < alpha) & (k["k"] >= min_share * k["n"])]
    m = lo.merge(sig.rename(columns={"o": "_o"})[["ring", "_o", "k", "n", "p", "pval"]], on=["ring", "_o"])
    if not len(m):
        return _empty()
    return _ev(m["ring"], "officer_concentration", m["borrower_id"], "officer:" + m["officer_id"].astype(str),
               "loans", m["_row"], m["key"],
               "officer handled " + m["k"].astype(int).astype(str) + " of the ring's " + m["n"].astype(int).astype(str)
               + " loans against a local share of " + (100 * m["p"]).round(1).astype(str) + "% (p="
               + m["pval"].map(lambda v: f"{v:.1e}") + ")")


# ---------------------------------------------------------------------------------------
# professional debt carriers (职业背债)
# ---------------------------------------------------------------------------------------

def multi_product_burst(ctx: SignalContext, days: int = 30, min_loans: int = 3) -> pd.DataFrame:
    """Thin-file borrowers applying for several products (car, mortgage, consumer, business) within days."""
    lo = ctx.loans()
    if not len(lo) or "product" not in lo.columns:
        return _empty()
    b = ctx.borrowers()
    thin = set(b[b["credit_file"].eq("thin")]["key"]) if "credit_file" in b.columns else set(b["key"])
    lo = lo[isin(lo["borrower_id"], thin) & lo["t"].notna()]
    g = lo.groupby("borrower_id").agg(n=("key", "size"), nprod=("product", "nunique"), t0=("t", "min"),
                                      t1=("t", "max"))
    burst = g[(g["n"] >= min_loans) & (g["nprod"] >= 2) & ((g["t1"] - g["t0"]) <= days * DAY)]
    m = lo[isin(lo["borrower_id"], burst.index)]
    return _ev(m["ring"], "multi_product_burst", m["borrower_id"], None, "loans", m["_row"], m["key"],
               "thin-file borrower: " + m["borrower_id"].map(burst["n"]).astype(str)
               + " applications within " + str(days) + " days")


def third_party_repayment(ctx: SignalContext) -> pd.DataFrame:
    """Loans repaid by someone else, the same payer for several ring members (前期代偿).

    A parent repaying two children's loans is not an intermediary: a payer
    repaying at most five borrowers who all share one surname, one home
    address or one home city is treated as family and not counted.
    """
    m = _shared_in_ring(ctx, "repayer", 2)
    if not len(m):
        return _empty()
    at = ctx.node_pos("borrower", m["borrower"])

    def of(name: str) -> pd.Series:
        return _lookup(m["borrower"], ctx.col("borrower", name), at).astype(str)

    fam = m.assign(sn=of("name").str.slice(0, 1), c=of("city"), a=of("address_key"))
    g = fam.groupby(["ring", "ident"]).agg(sn=("sn", "nunique"), c=("c", "nunique"), a=("a", "nunique"),
                                           nb=("borrower", "nunique"))
    family = g[(g["nb"] <= 5) & ((g["sn"] == 1) | (g["c"] == 1) | (g["a"] == 1))].index
    m = m[~pd.MultiIndex.from_arrays([m["ring"], m["ident"]]).isin(family)]
    return _ev(m["ring"], "third_party_repayment", m["borrower"], m["ident"], m["table"], m["row"], None,
               "loan repaid by a third party who repays " + m["n"].astype(str) + " borrowers")


def shared_broker_device(ctx: SignalContext, min_borrowers: int = 3) -> pd.DataFrame:
    """A device used by several ring members who live in different cities (families share at home)."""
    m = _shared_in_ring(ctx, "device", min_borrowers)
    if not len(m):
        return _empty()
    city = ctx.col("borrower", "city")
    m = m.assign(city=_lookup(m["borrower"], city).astype(str))
    ncity = m.groupby(["ring", "ident"])["city"].transform("nunique")
    m = m[ncity >= 2]
    return _ev(m["ring"], "shared_broker_device", m["borrower"], m["ident"], m["table"], m["row"], None,
               "device used by " + m["n"].astype(str) + " borrowers in different cities")


def layered_intermediaries(ctx: SignalContext) -> pd.DataFrame:
    """Two or more intermediaries each arranging loans for several ring members (一手/二手中介)."""
    m = _shared_in_ring(ctx, "intermediary", 2)
    if not len(m):
        return _empty()
    nint = m.groupby("ring")["ident"].transform("nunique")
    m = m[nint >= 2]
    return _ev(m["ring"], "layered_intermediaries", m["borrower"], m["ident"], m["table"], m["row"], None,
               "one of " + nint[m.index].astype(str) + " intermediaries working the ring")


def default_after_packaging(ctx: SignalContext, days: int = 240) -> pd.DataFrame:
    """Thin-file borrowers whose fresh loans go bad soon after application."""
    lo = ctx.loans()
    if not len(lo) or "status" not in lo.columns:
        return _empty()
    b = ctx.borrowers()
    if "credit_file" not in b.columns:
        return _empty()
    thin = set(b[b["credit_file"].eq("thin")]["key"])
    fo = pd.to_datetime(ctx.col("borrower", "first_overdue_on"), errors="coerce")
    m = lo[isin(lo["borrower_id"], thin) & lo["status"].isin(["overdue", "charged_off"])].copy()
    m["fo"] = _lookup(m["borrower_id"], fo)
    m = m[m["fo"].isna() | ((m["fo"] - m["t"]) <= days * DAY)]
    return _ev(m["ring"], "default_after_packaging", m["borrower_id"], None, "loans", m["_row"], m["key"],
               "thin-file borrower's loan went " + m["status"].astype(str) + " soon after application")


# ---------------------------------------------------------------------------------------
# shared identifiers and lists
# ---------------------------------------------------------------------------------------

def _one_household(ctx: SignalContext, m: pd.DataFrame) -> np.ndarray:
    """Rows of shared ties (``ring, borrower, ident``) whose sharers in the ring all live at one home address."""
    if not len(m):
        return np.zeros(0, bool)
    addr = ctx._cache.get("home_of")
    if addr is None:  # each ring member's home address, once for every structural signal (a race only recomputes it)
        home = ctx.ring_ties("home_address")
        addr = pd.Series(home["ident"].to_numpy(object), index=home["borrower"].to_numpy(object))
        addr = ctx._cache["home_of"] = addr[~addr.index.duplicated()]
    if not len(addr):
        return np.zeros(len(m), bool)
    a = addr.reindex(m["borrower"].to_numpy(object)).to_numpy(object)
    grp = pd.factorize(pd.MultiIndex.from_arrays([m["ring"].to_numpy(), m["ident"].to_numpy(object)]))[0]
    g = pd.DataFrame({"g": grp, "a": a, "missing": pd.isna(a)})
    one = g.groupby("g")["a"].transform("nunique").to_numpy() == 1
    all_known = ~g.groupby("g")["missing"].transform("any").to_numpy(bool)
    return one & all_known


def shared_accounts_and_phones(ctx: SignalContext) -> pd.DataFrame:
    """Bank accounts, bound phones or contact numbers shared by three or more ring members.

    Sharing inside one household is the families' look-alike (a tablet, a
    contact number, the parents' account): an identifier whose sharers in the
    ring all live at one home address is not evidence.
    """
    out = []
    for link in ("account", "bound_phone", "contact_phone", "payment_party"):
        m = _shared_in_ring(ctx, link, 3)
        m = m[~_one_household(ctx, m)]
        if len(m):
            out.append(_ev(m["ring"], "shared_accounts_and_phones", m["borrower"], m["ident"], m["table"], m["row"],
                           None, link.replace("_", " ") + " shared by " + m["n"].astype(str) + " borrowers"))
    return pd.concat(out, ignore_index=True) if out else _empty()


def watchlist_match(ctx: SignalContext) -> pd.DataFrame:
    """An identifier of the ring is on a watchlist (raw value or ``hmac:`` pseudonym)."""
    wl = ctx.watchlist
    if wl is None or not len(wl):
        return _empty()
    from graphring.watch.watchlist import match_incidence

    m = match_incidence(ctx.incidence[isin(ctx.incidence["borrower"], ctx.ring_of.index)], wl, ctx.hmac_key)
    if not len(m):
        return _empty()
    return _ev(m["borrower"].map(ctx.ring_of), "watchlist_match", m["borrower"], m["ident"], m["table"], m["row"],
               None, "on watchlist: " + m["label"].fillna("").astype(str) + " (" + m["source"].fillna("").astype(str)
               + ")")


# ---------------------------------------------------------------------------------------
# structure: what any data with shared identifiers shows, whatever the scheme
# ---------------------------------------------------------------------------------------

#: The identities an organiser holds for its people (DOMAIN.md: their phones, cards, devices, documents,
#: money). A broker, an agent or a complaint line also serves honest clients by the dozen (popular legal
#: brokers are a benign look-alike), so those count only through the scheme signals.
STRUCTURE_LINKS = ("bound_phone", "contact_phone", "device", "account", "repayer", "payment_party", "attachment",
                   "email")
#: A shared identifier is the ring's own when at least this share of all its sharers are in the ring.
EXCLUSIVE_SHARE = 0.8
#: Families share a device or a number among 2-5 people (DOMAIN.md): a group counts fully from this size on.
STRUCTURE_FULL_SIZE = 10


def exclusive_controlled_ties(ctx: SignalContext) -> pd.DataFrame:
    """Members tied by identifiers an organiser controls, each shared by three or more of them and hardly anyone outside.

    Structural evidence for banks whose exports have no complaint, loan or company table: a device, an
    account or a number shared among the ring's borrowers and (almost) nobody else. Sharing inside one
    household is not counted, and strength grows with the group's size up to
    :data:`STRUCTURE_FULL_SIZE` (a family of four sharing a tablet stays low).
    """
    out = []
    for link in STRUCTURE_LINKS:
        m = _shared_in_ring(ctx, link, 3)
        if not len(m):
            continue
        m = m[~_one_household(ctx, m)]
        if not len(m):
            continue
        inside = m.groupby(["ring", "ident"])["borrower"].transform("nunique")
        m = m[(inside / m["n"].clip(lower=1)).to_numpy() >= EXCLUSIVE_SHARE]
        if len(m):
            out.append(_ev(m["ring"], "exclusive_controlled_ties", m["borrower"], m["ident"], m["table"], m["row"],
                           None, link.replace("_", " ") + " shared by " + m["n"].astype(str)
                           + " borrowers, nearly all in this ring"))
    return pd.concat(out, ignore_index=True) if out else _empty()


# ---------------------------------------------------------------------------------------
# counter-evidence: what honest representation and honest debtors look like
# ---------------------------------------------------------------------------------------

#: Representation that names itself: a licensed law firm, a legal-aid centre, a legal service office.
SELF_DECLARED = re.compile(r"律师事务所|律所|法律援助|援助中心|法律服务所|公益法律")
#: Demands an honest debtor makes (DOMAIN.md: evasion asks to stop collection, "not a reduction").
LEGITIMATE_DEMANDS = ("installment", "reduce_principal")


def self_declared_representation(ctx: SignalContext) -> pd.DataFrame:
    """Complaints filed by a representative that names itself as a law firm or legal-aid centre.

    A legal-aid hotline or a licensed law firm files for many clients and its name is on the file; an
    anti-collection agency hides behind the borrower (DOMAIN.md, benign look-alikes). Counter-evidence.
    """
    c = ctx.complaints()
    if "agent" not in c.columns:
        return _empty()
    m = c[c["agent"].astype(str).str.contains(SELF_DECLARED, na=False)]
    return _ev(m["ring"], "self_declared_representation", m["borrower_id"], "agent:" + m["agent"].astype(str),
               "complaints", m["_row"], m["key"], "filed by a representative naming itself: " + m["agent"].astype(str))


def legitimate_demands(ctx: SignalContext) -> pd.DataFrame:
    """Complaints asking for instalments or a reduction of principal: what an honest debtor negotiates.

    Counter-evidence: an evasion gang demands that collection stop, an extortion group compensation.
    """
    return _demands_of(ctx, LEGITIMATE_DEMANDS, "legitimate_demands")


#: What each scheme's complaints ask for (DOMAIN.md): an anti-collection agency forces the lender to stop
#: collection *and waive interest*; an extortion group asks an apology and publication, then compensation.
#: (An evasion gang asks that collection stop, "not a reduction": its trace is the forged hardship.)
SCHEME_DEMANDS = {"proxy_complaint": ("waive_interest",), "malicious_claim": ("apology", "compensation")}


def _demands_of(ctx: SignalContext, demands: tuple[str, ...], name: str) -> pd.DataFrame:
    """Evidence rows ``name`` of the ring members' complaints whose demand is one of ``demands``."""
    c = ctx.complaints()
    if "demand" not in c.columns:
        return _empty()
    m = c[c["demand"].isin(demands)]
    return _ev(m["ring"], name, m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "asks for " + m["demand"].astype(str))


def demands_interest_waiver(ctx: SignalContext) -> pd.DataFrame:
    """Complaints demanding that interest be waived: what an anti-collection agency extracts.

    Names the scheme, not the ring (:attr:`Signal.types_only`): honest debtors ask the same.
    """
    return _demands_of(ctx, SCHEME_DEMANDS["proxy_complaint"], "demands_interest_waiver")


def demands_apology_or_compensation(ctx: SignalContext) -> pd.DataFrame:
    """Complaints demanding an apology, publication or compensation: the extortion sequence's demands.

    Names the scheme, not the ring (:attr:`Signal.types_only`): a wronged borrower may ask the same.
    """
    return _demands_of(ctx, SCHEME_DEMANDS["malicious_claim"], "demands_apology_or_compensation")


def repayment_after_complaint(ctx: SignalContext) -> pd.DataFrame:
    """Complainants whose loans are still being repaid after their first complaint.

    Counter-evidence: an agency tells its clients to stop paying; a legal-aid or law-firm client keeps
    paying (DOMAIN.md).
    """
    c = ctx.complaints().dropna(subset=["t"])
    rp = ctx.ring_repayments()
    if not len(c) or not len(rp):
        return _empty()
    first = c.groupby("borrower_id")["t"].min()
    rp = rp[isin(rp["borrower"], first.index)]
    after = rp[(rp["t"] > _lookup(rp["borrower"], first)).to_numpy()]
    if not len(after):
        return _empty()
    b = pd.Index(after["borrower"].unique())
    return _ev(ctx.ring_of.reindex(b).to_numpy(), "repayment_after_complaint", b.to_numpy(), None, "payments",
               None, None, "repayment received after the borrower's first complaint")


def letters_in_own_words(ctx: SignalContext) -> pd.DataFrame:
    """Letter writers of the ring whose letters resemble no other member's (by :func:`graphring.detect.textsim.one_hand`).

    Counter-evidence in a ring of at least three letter writers: clients of a legal-aid line write in
    their own words; an agency's clients send its script.
    """
    c = ctx.complaints()
    if "text" not in c.columns:
        return _empty()
    c = c[c["text"].notna() & (c["text"].astype(str).str.len() > 0)]
    writers = c.groupby("ring")["borrower_id"].nunique()
    c = c[c["ring"].map(writers).to_numpy() >= 3]
    if not len(c):
        return _empty()
    alike = set(_shared_in_ring(ctx, "template", 2)["borrower"])
    m = c[~isin(c["borrower_id"], alike)].drop_duplicates("borrower_id")
    return _ev(m["ring"], "letters_in_own_words", m["borrower_id"], None, "complaints", m["_row"], m["key"],
               "letter resembles no other member's")


@dataclass(frozen=True)
class Signal:
    """A named signal: its function, weight, the schemes it points to, and why.

    ``scope`` says how strength is measured: ``"members"`` (share of the ring's
    borrowers with evidence; ``full_at`` of them counts as fully present) or
    ``"entities"`` (distinct entities in the evidence, ``full_at`` of them counts
    as fully present).

    ``corroborates``: the signal only adds to evidence the ring has of its own
    (its weight is scaled by the score of the other signals, see
    :func:`graphring.score.scoring.score`); alone it scores nothing.
    """

    name: str
    func: Callable[[SignalContext], pd.DataFrame]
    weight: float
    schemes: tuple[str, ...]
    reason: str
    scope: str = "members"
    full_at: float = 0.5
    corroborates: bool = False
    #: counter-evidence: lowers the score (``score * (1 - weight * strength)``) instead of raising it
    counter: bool = False
    #: with ``scope="members"``: a ring counts fully only from this many borrowers on (0: any size)
    size_full: int = 0
    #: names the scheme, not the ring: counts in :func:`graphring.score.scoring.scheme_scores` and the typology,
    #: never in the ring's score (what complainants ask for is asked by honest complainants too)
    types_only: bool = False


#: Every signal, its weight and the reason for it: the one place scoring is tuned.
SIGNALS: tuple[Signal, ...] = (
    Signal("hub_complaint_phone", hub_complaint_phone, 0.30, ("proxy_complaint",),
           "one number filing for many borrowers who then stop repaying (or send its letters) is how an "
           "anti-collection agency works; a legal-aid or HR line's clients keep repaying"),
    Signal("foreign_complaint_phone", foreign_complaint_phone, 0.08, ("proxy_complaint", "debt_evasion"),
           "weak alone: relatives and legal aid call for people too"),
    Signal("sim_in_agency_city", sim_in_agency_city, 0.45, ("proxy_complaint", "debt_evasion"),
           "SIM cards mailed to the agency appear in its city"),
    Signal("unbind_rebind_before_complaint", unbind_rebind_before_complaint, 0.35, ("proxy_complaint", "debt_evasion"),
           "the agency takes over the account phone before complaining"),
    Signal("template_complaint_text", template_complaint_text, 0.60, ("proxy_complaint", "malicious_claim"),
           "letters from one template with the same typos are written by one hand"),
    Signal("shared_attachment", shared_attachment, 0.60, ("proxy_complaint", "debt_evasion"),
           "the same file attached for different people is a forged or template document"),
    Signal("shared_agent", shared_agent, 0.10, ("proxy_complaint", "malicious_claim"),
           "one representative for many borrowers; legal aid also names itself, hence moderate"),
    Signal("fabricated_hardship_claims", fabricated_hardship_claims, 0.45, ("debt_evasion",),
           "hardship claimed with documents that repeat across borrowers (a forger's clients all claim it: "
           "fully present when 80 % of the ring does; an agency's clients cite hardship now and then)",
           "members", 0.8),
    Signal("stop_collection_then_no_repayment", stop_collection_then_no_repayment, 0.25,
           ("debt_evasion", "proxy_complaint"),
           "'stop collecting and I will repay', then no repayment (an evasion gang's demand, and an "
           "anti-collection agency's: stop collection and waive interest)"),
    Signal("activity_during_claimed_illness", activity_during_claimed_illness, 0.35, ("debt_evasion",),
           "life goes on as usual during a claimed hospital stay or after a claimed death"),
    Signal("escalation_to_petition", escalation_to_petition, 0.25, ("malicious_claim",),
           "escalation to higher authorities and petitions is the extortion lever"),
    Signal("compensation_close_to_debts", compensation_close_to_debts, 0.40, ("malicious_claim",),
           "a compensation claim that covers all debts is the goal of a malicious claim"),
    Signal("apology_then_compensation", apology_then_compensation, 0.30, ("malicious_claim",),
           "apology and publication first, compensation later: the coached sequence"),
    Signal("high_co_debt_then_default", high_co_debt_then_default, 0.20, ("malicious_claim",),
           "many concurrent lenders, default, then complaints; common among honest debtors too, hence low"),
    Signal("shells_share_registration", shells_share_registration, 0.45, ("shell_company_loan",),
           "shell factories register their companies through one agent at one address", "entities", 2),
    Signal("recent_incorporation", recent_incorporation, 0.25, ("shell_company_loan",),
           "employers and counterparties created just before the loans", "entities", 2),
    Signal("circular_trade_flows", circular_trade_flows, 0.50, ("shell_company_loan",),
           "money going round among companies inflates turnover", "entities", 2),
    Signal("payroll_to_thin_file", payroll_to_thin_file, 0.35, ("shell_company_loan",),
           "borrowers with no credit history put on a small company's payroll"),
    Signal("payroll_before_loan", payroll_before_loan, 0.35, ("shell_company_loan",),
           "a payroll that starts a few months before the loan is income injected to package the application"),
    Signal("counterparty_sister_shell", counterparty_sister_shell, 0.45, ("shell_company_loan",),
           "the loan's trade counterparty is the employer's sister shell"),
    Signal("officer_concentration", officer_concentration, 0.10, ("shell_company_loan", "debt_carrier"),
           "an insider waving applications through (tested against the officer's share in the ring's own "
           "cities: a branch explains a local group)"),
    Signal("multi_product_burst", multi_product_burst, 0.40, ("debt_carrier",),
           "clean-credit carriers apply for car, mortgage, consumer and business loans at once"),
    Signal("third_party_repayment", third_party_repayment, 0.45, ("debt_carrier",),
           "the intermediary repays the first instalments for the carriers"),
    Signal("shared_broker_device", shared_broker_device, 0.40, ("debt_carrier",),
           "applications made on the broker's device by people living apart"),
    Signal("layered_intermediaries", layered_intermediaries, 0.25, ("debt_carrier",),
           "first-hand and second-hand intermediaries pass carriers along"),
    Signal("default_after_packaging", default_after_packaging, 0.20, ("debt_carrier", "shell_company_loan"),
           "fresh thin-file loans going bad quickly"),
    Signal("shared_accounts_and_phones", shared_accounts_and_phones, 0.20, (),
           "one account or number across several members who do not live together (a family's sharing "
           "at one home address is not counted); structure, not a scheme: it names no typology"),
    Signal("exclusive_controlled_ties", exclusive_controlled_ties, 0.35, (),
           "devices, accounts or numbers an organiser controls, shared by the ring and hardly anyone else "
           "(structure alone: ranks rings where the data holds no trace of a scheme; families share among "
           "2-5, so a group counts fully from ten borrowers on)", size_full=STRUCTURE_FULL_SIZE),
    Signal("demands_interest_waiver", demands_interest_waiver, 0.35, ("proxy_complaint",),
           "an anti-collection agency forces the lender to stop collection and waive interest; honest debtors "
           "ask the same, so it names the scheme and never raises the score", types_only=True),
    Signal("demands_apology_or_compensation", demands_apology_or_compensation, 0.35, ("malicious_claim",),
           "an apology and publication first, compensation later is what an extortion group asks; a wronged "
           "borrower may ask the same, so it names the scheme and never raises the score", types_only=True),
    Signal("self_declared_representation", self_declared_representation, 0.6, (),
           "a law firm or legal-aid centre names itself on the file; an agency hides behind the borrower",
           counter=True),
    Signal("legitimate_demands", legitimate_demands, 0.4, (),
           "instalments or a reduction are what an honest debtor negotiates", counter=True),
    Signal("repayment_after_complaint", repayment_after_complaint, 0.4, (),
           "clients who keep repaying after complaining are not an agency's clients", counter=True),
    Signal("letters_in_own_words", letters_in_own_words, 0.25, (),
           "letters in the writers' own words, not a script", "members", 0.8, counter=True),
    Signal("watchlist_match", watchlist_match, 0.60, (),
           "an identifier already listed by this or another institution corroborates the ring's own evidence "
           "(a list is another party's judgement, not a trace in this data: alone it scores nothing)",
           "entities", 1, corroborates=True),
)


def strength(ev: pd.DataFrame, sizes: pd.Series, signal: Signal) -> pd.Series:
    """Strength in [0, 1] of one signal in each ring, from its evidence.

    Examples
    --------
    >>> ev = pd.DataFrame({"ring": [1, 1, 2], "borrower": ["a", "b", "c"], "entity": [None] * 3})
    >>> s = Signal("x", lambda c: ev, 0.5, (), "", "members", 0.5)
    >>> strength(ev, pd.Series({1: 4, 2: 10}), s).round(2).to_dict()
    {1: 1.0, 2: 0.2}
    """
    if not len(ev):
        return pd.Series(dtype=float)
    if signal.scope == "members":
        covered = ev.dropna(subset=["borrower"]).groupby("ring")["borrower"].nunique()
        n = sizes.reindex(covered.index)
        st = (covered / n / signal.full_at).clip(upper=1.0)
        if signal.size_full:
            st = st * (n / signal.size_full).clip(upper=1.0)
        return st
    n = ev.groupby("ring")["entity"].nunique()
    return (n / signal.full_at).clip(upper=1.0)


#: Signals about companies: they share the shell, payroll and ring-company lookups, so they run together
#: in one lane beside the others (see :func:`run_signals`).
COMPANY_LANE = frozenset({"shells_share_registration", "recent_incorporation", "circular_trade_flows",
                          "payroll_to_thin_file", "payroll_before_loan", "counterparty_sister_shell",
                          "officer_concentration"})


def _run_one(ctx: SignalContext, s: Signal) -> tuple[pd.DataFrame | None, pd.Series | None]:
    """One signal's evidence (tagged with its name) and strength, or (None, None) when it does not fire."""
    ev = s.func(ctx)
    if not len(ev):
        return None, None
    ev = ev.assign(signal=s.name)
    return ev, strength(ev, ctx.size, s)


def run_signals(ctx: SignalContext, signals: tuple[Signal, ...] = SIGNALS,
                threads: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every signal; return (evidence rows, strength table ring x signal).

    With ``threads`` > 1 the company signals (:data:`COMPANY_LANE`) run in a
    second thread beside the others (Arrow, NumPy and much of pandas release
    the GIL); every lookup both lanes read is built first. Results are put
    together in the order of ``signals`` whatever finishes first, so the
    output does not depend on the threads.
    """
    results: list = [None] * len(signals)
    lanes = [[i for i, s in enumerate(signals) if s.name not in COMPANY_LANE],
             [i for i, s in enumerate(signals) if s.name in COMPANY_LANE]]

    def lane(ix: list[int]) -> None:
        for i in ix:
            results[i] = _run_one(ctx, signals[i])

    if threads > 1 and all(lanes):
        from concurrent.futures import ThreadPoolExecutor

        ctx.ring_of, ctx.size, ctx.borrowers(), ctx.loans(), ctx.complaints()  # read by both lanes
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphring-signals") as pool:
            side = pool.submit(lane, lanes[1])
            lane(lanes[0])
            side.result()
    else:
        lane(list(range(len(signals))))
    evs = [ev for ev, _ in results if ev is not None]
    strengths = {s.name: st for s, (_, st) in zip(signals, results) if st is not None}
    evidence = pd.concat(evs, ignore_index=True) if evs else pd.DataFrame(columns=EVIDENCE_COLUMNS)
    st = pd.DataFrame(strengths).reindex(ctx.size.index).fillna(0.0)
    for s in signals:
        if s.name not in st.columns:
            st[s.name] = 0.0
    return evidence, st[[s.name for s in signals]]
