"""The context every signal reads, and the helpers they share.

:class:`SignalContext` holds the graph, the candidate rings and their borrowers, and
builds (once, cached) the lookups several signals read: the ring members' ties of one
link kind, their borrowers, loans, complaints and repayments, the shell-like companies
and the payroll leads. The helpers turn those into evidence rows with the columns of
:data:`EVIDENCE_COLUMNS` (:func:`_ev`), join and count on integer codes, and pick the
complaints by demand (:func:`_demands_of`, read by scheme signals and counter-evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.detect.projection import trade_groups
from graphring.graph.model import GraphFrames
from graphring.ingest.masks import codes, isin, positions


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
