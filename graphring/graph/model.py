"""The property-graph model: entity kinds, relationship types, and GraphFrames.

Labels and relationship types are defined here once. :func:`build_frames` turns
validated tables into :class:`GraphFrames` — one node table per entity kind and
one edge table per (relationship type, source kind, target kind) — with pandas
operations only, no Python loop per input row. Backends (memory, Neo4j) load
GraphFrames; detection reads them.

Node tables have a ``key`` column (the entity's identifier as normalised) and
properties. Edge tables have ``src`` and ``dst`` (keys), ``_table`` and
``_row`` (the input row that created the edge), and properties.

Relationship types
------------------
=================  ====================  ====================  ==========================
type               from                  to                    input
=================  ====================  ====================  ==========================
HAS_PHONE          Borrower              Phone                 borrowers.phone
HAS_EMAIL          Borrower              Email                 borrowers.email
LIVES_AT           Borrower              Address               borrowers.address
HOLDS_ACCOUNT      Borrower              Account               borrowers.bank_account, accounts
LISTS_CONTACT      Borrower              Phone                 contacts
PHONE_EVENT        Borrower              Phone                 phone_events (bind/unbind/location)
USED_DEVICE        Borrower              Device                devices
LOGGED_IN_FROM     Borrower              IP                    devices.ip
ABOUT              Complaint             Borrower              complaints.borrower_id
FILED_FROM         Complaint             Phone                 complaints.complainant_phone
ATTACHES           Complaint             Attachment            complaints.attachments
REPRESENTED_BY     Complaint             Agent                 complaints.agent
REGISTERED_BY      Company               RegistrationAgent     companies.registration_agent
REGISTERED_AT      Company               Address               companies.address
HOLDS_ROLE         Borrower / Person     Company               company_roles
HAS_LOAN           Borrower              Loan                  loans.borrower_id
HANDLED_BY         Loan                  Officer               loans.officer_id
VIA                Loan                  Intermediary          loans.intermediary
CLAIMS_EMPLOYER    Loan                  Company               loans.employer_uscc
PROCEEDS_TO        Loan                  Company               loans.counterparty_uscc
PAID               party                 party                 payments (party: Borrower,
                                                               Person, Company or Account)
REPAID             party                 Loan                  payments with a loan_id
=================  ====================  ====================  ==========================

Examples
--------
>>> import pandas as pd
>>> from graphring.graph.model import build_frames
>>> t = {"borrowers": pd.DataFrame({"borrower_id": ["B1", "B2"], "phone": ["+8613800000001", None],
...                                  "_row": [2, 3]})}
>>> g = build_frames(t)
>>> sorted(g.nodes)
['borrower', 'phone']
>>> g.edge_table("HAS_PHONE", "borrower", "phone")[["src", "dst", "_table", "_row"]].values.tolist()
[['B1', '+8613800000001', 'borrowers', 2]]
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.ingest.schema import ENTITY_KINDS

__all__ = ["Rel", "RELATIONSHIPS", "GraphFrames", "build_frames", "label_of", "node_id", "split_node_id",
           "RELATION_LABELS"]

ROW = "_row"


def label_of(kind: str) -> str:
    """Graph label of an entity kind.

    Examples
    --------
    >>> label_of("registration_agent")
    'RegistrationAgent'
    """
    return ENTITY_KINDS[kind]


def node_id(kind: str, key: str) -> str:
    """The id of a node in the in-memory graph: ``kind:key``.

    Examples
    --------
    >>> node_id("phone", "+8613800000001")
    'phone:+8613800000001'
    >>> split_node_id("ip:2001:db8::1")
    ('ip', '2001:db8::1')
    """
    return f"{kind}:{key}"


def split_node_id(nid: str) -> tuple[str, str]:
    """Inverse of :func:`node_id`."""
    kind, _, key = nid.partition(":")
    return kind, key


@dataclass(frozen=True)
class Rel:
    """How one relationship type is built from one input table.

    ``src_kind`` / ``dst_kind`` may be ``"party"`` (payments) or ``"person"``
    (company roles): the kind is then resolved per row.
    """

    type: str
    src_kind: str
    dst_kind: str
    table: str
    src: str
    dst: str
    props: tuple[str, ...] = ()
    where: tuple[str, tuple[str, ...]] | None = None
    doc: str = ""


RELATIONSHIPS: tuple[Rel, ...] = (
    Rel("HAS_PHONE", "borrower", "phone", "borrowers", "borrower_id", "phone", doc="own registered mobile"),
    Rel("HAS_EMAIL", "borrower", "email", "borrowers", "borrower_id", "email"),
    Rel("LIVES_AT", "borrower", "address", "borrowers", "borrower_id", "address_key"),
    Rel("HOLDS_ACCOUNT", "borrower", "account", "borrowers", "borrower_id", "bank_account",
        doc="own repayment account"),
    Rel("HOLDS_ACCOUNT", "borrower", "account", "accounts", "borrower_id", "account", ("kind", "bank", "seen_at")),
    Rel("LISTS_CONTACT", "borrower", "phone", "contacts", "borrower_id", "phone", ("relation", "name")),
    Rel("PHONE_EVENT", "borrower", "phone", "phone_events", "borrower_id", "phone", ("event", "at", "city")),
    Rel("USED_DEVICE", "borrower", "device", "devices", "borrower_id", "device_id", ("seen_at", "ip")),
    Rel("LOGGED_IN_FROM", "borrower", "ip", "devices", "borrower_id", "ip", ("seen_at",)),
    Rel("ABOUT", "complaint", "borrower", "complaints", "complaint_id", "borrower_id"),
    Rel("FILED_FROM", "complaint", "phone", "complaints", "complaint_id", "complainant_phone",
        ("received_at",)),
    Rel("ATTACHES", "complaint", "attachment", "complaints", "complaint_id", "attachments"),
    Rel("REPRESENTED_BY", "complaint", "agent", "complaints", "complaint_id", "agent"),
    Rel("REGISTERED_BY", "company", "registration_agent", "companies", "uscc", "registration_agent"),
    Rel("REGISTERED_AT", "company", "address", "companies", "uscc", "address_key"),
    Rel("HOLDS_ROLE", "person", "company", "company_roles", "person_id", "uscc",
        ("role", "since", "monthly_salary", "social_insurance")),
    Rel("HAS_LOAN", "borrower", "loan", "loans", "borrower_id", "loan_id"),
    Rel("HANDLED_BY", "loan", "officer", "loans", "loan_id", "officer_id"),
    Rel("VIA", "loan", "intermediary", "loans", "loan_id", "intermediary"),
    Rel("CLAIMS_EMPLOYER", "loan", "company", "loans", "loan_id", "employer_uscc"),
    Rel("PROCEEDS_TO", "loan", "company", "loans", "loan_id", "counterparty_uscc"),
    Rel("PAID", "party", "party", "payments", "payer", "payee", ("amount", "paid_at", "purpose", "loan_id")),
    Rel("REPAID", "party", "loan", "payments", "payer", "loan_id", ("amount", "paid_at")),
)

#: Plain-words labels of each relationship, used on edges in reports.
RELATION_LABELS: dict[str, str] = {
    "HAS_PHONE": "own phone", "HAS_EMAIL": "e-mail", "LIVES_AT": "lives at",
    "HOLDS_ACCOUNT": "holds account", "LISTS_CONTACT": "lists contact", "PHONE_EVENT": "phone bind/seen",
    "USED_DEVICE": "logged in on", "LOGGED_IN_FROM": "logged in from", "ABOUT": "complaint about",
    "FILED_FROM": "complaint from phone", "ATTACHES": "attaches", "REPRESENTED_BY": "represented by",
    "REGISTERED_BY": "registered by", "REGISTERED_AT": "registered at", "HOLDS_ROLE": "role in",
    "HAS_LOAN": "has loan", "HANDLED_BY": "handled by officer", "VIA": "via intermediary",
    "CLAIMS_EMPLOYER": "claims employer", "PROCEEDS_TO": "proceeds paid to", "PAID": "paid",
    "REPAID": "repaid loan",
}

#: Node tables whose rows come from an input table keyed by this column.
ENTITY_TABLES = {"borrower": ("borrowers", "borrower_id"), "complaint": ("complaints", "complaint_id"),
                 "company": ("companies", "uscc"), "loan": ("loans", "loan_id")}


@dataclass
class GraphFrames:
    """A property graph as columnar tables: the backend-neutral form.

    Attributes
    ----------
    nodes : dict of kind to DataFrame
        ``key`` plus properties; one table per entity kind.
    edges : dict of (type, src_kind, dst_kind) to DataFrame
        ``src``, ``dst``, ``_table``, ``_row`` plus properties.
    tables : dict of str to DataFrame
        The validated input tables the graph was built from (signals read them).
    """

    nodes: dict[str, pd.DataFrame] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], pd.DataFrame] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: frames computed from the graph once and kept (:meth:`derived`)
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key, build):
        """``build()``, computed once per graph and kept under ``key``.

        A graph is not changed once built, so a frame several stages read (the phone events away from
        home, the account takeovers) is computed once. Callers must not modify what they get.

        Examples
        --------
        >>> g = GraphFrames()
        >>> calls = []
        >>> g.derived("x", lambda: calls.append(1) or 42), g.derived("x", lambda: calls.append(1) or 42), calls
        (42, 42, [1])
        """
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def edge_table(self, type_: str, src_kind: str, dst_kind: str) -> pd.DataFrame:
        """Edges of one type between two kinds (empty frame when there are none)."""
        return self.edges.get((type_, src_kind, dst_kind),
                              pd.DataFrame(columns=["src", "dst", "_table", ROW]))

    def edges_of_type(self, type_: str) -> list[tuple[tuple[str, str, str], pd.DataFrame]]:
        """All edge tables of one relationship type."""
        return [(k, v) for k, v in self.edges.items() if k[0] == type_]

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and edge counts per relationship type.

        Examples
        --------
        >>> GraphFrames().counts()
        {'nodes': {}, 'relationships': {}}
        """
        rel: dict[str, int] = {}
        for (t, _, _), df in self.edges.items():
            rel[t] = rel.get(t, 0) + len(df)
        return {"nodes": {label_of(k): len(v) for k, v in sorted(self.nodes.items())},
                "relationships": dict(sorted(rel.items()))}


def _isin(values: pd.Series, lookup: pd.Series, memo: dict | None = None) -> pd.Series:
    """``values.isin(lookup)`` for string keys through pyarrow's hash set (pandas' isin on
    arrow strings walks the lookup values in Python). ``memo`` keeps the distinct lookup
    values between calls (keyed by the lookup's name)."""
    try:
        if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
            arr = values.array.__arrow_array__()  # zero-copy
        else:
            arr = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.string())
        key = (lookup.name, str(arr.type))
        vs = memo.get(key) if memo is not None else None
        if vs is None:
            vs = pa.array(pd.unique(lookup.to_numpy(dtype=object, na_value=None)), type=arr.type)
            if memo is not None:
                memo[key] = vs
        hit = pc.is_in(arr, value_set=vs, skip_nulls=False).to_numpy(zero_copy_only=False).astype(bool)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return values.isin(lookup)
    return pd.Series(hit, index=values.index)


def _resolve_party(values: pd.Series, tables: dict[str, pd.DataFrame], memo: dict | None = None) -> pd.Series:
    """Kind of each payments party: borrower, company, person or account."""
    kinds = pd.Series("account", index=values.index, dtype=object)
    persons = tables.get("company_roles", pd.DataFrame(columns=["person_id"]))["person_id"]
    kinds[_isin(values, persons.rename("company_roles.person_id"), memo)] = "person"
    comp = tables.get("companies", pd.DataFrame(columns=["uscc"]))["uscc"]
    uscc_like = values.str.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", na=False)
    kinds[_isin(values, comp.rename("companies.uscc"), memo) | uscc_like] = "company"
    bor = tables.get("borrowers", pd.DataFrame(columns=["borrower_id"]))["borrower_id"]
    kinds[_isin(values, bor.rename("borrowers.borrower_id"), memo)] = "borrower"
    return kinds


def _resolve_person(values: pd.Series, tables: dict[str, pd.DataFrame], memo: dict | None = None) -> pd.Series:
    bor = tables.get("borrowers", pd.DataFrame(columns=["borrower_id"]))["borrower_id"]
    hit = _isin(values, bor.rename("borrowers.borrower_id"), memo)
    return pd.Series(np.where(hit, "borrower", "person"), index=values.index, dtype=object)


def _column_kinds(resolve, df: pd.DataFrame, column: str, tables: dict[str, pd.DataFrame],
                  memo: dict) -> np.ndarray:
    """``resolve(df[column], tables, memo)`` as an object array, with ``resolve`` run
    once per distinct value of the column."""
    values = df[column]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    u = pd.Series(uniques, dtype=values.dtype)
    per = resolve(u, tables, memo).to_numpy(dtype=object)
    return np.append(per, None)[np.where(codes < 0, len(per), codes)]


def _row_kinds(resolve, df: pd.DataFrame, column: str, rows: pd.Index, tables: dict[str, pd.DataFrame],
               memo: dict) -> pd.Series:
    """``resolve(df.loc[rows, column], tables, memo)``, from the kinds of the whole
    column (:func:`_column_kinds`), kept in ``memo`` for the next relationship that
    reads the same column, as PAID and REPAID both read ``payer`` (a future there is
    one being computed on a worker thread)."""
    key = (resolve.__name__, id(df), column)
    kinds = memo.get(key)
    if kinds is None:
        kinds = memo[key] = _column_kinds(resolve, df, column, tables, memo)
    elif not isinstance(kinds, np.ndarray):
        kinds = memo[key] = kinds.result()
    pos = df.index.get_indexer(rows)
    return pd.Series(kinds[pos], index=rows, dtype=object)


def _arrow_strings(s: pd.Series):
    """The pyarrow array behind an Arrow-backed string Series (zero-copy), else None."""
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        return None
    arr = s.array.__arrow_array__()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    return arr


def _sorted_distinct(series: list[pd.Series], known: pd.Series | None = None) -> pd.Index:
    """``pd.Index(pd.unique(pd.concat(series))).sort_values()``, or with ``known`` node
    keys ``pd.Index(pd.unique(pd.concat(series))).difference(pd.Index(known))`` (the
    keys not yet nodes, sorted), in Arrow when every Series holds Arrow strings of one
    dtype (no nulls: these are edge ends)."""
    arrs = [_arrow_strings(x) for x in series]
    dtypes = {x.dtype for x in series}
    kn = None
    if known is not None:
        kn = _arrow_strings(known)
        if kn is None or known.dtype not in dtypes or kn.null_count:
            kn = False
    if len(dtypes) == 1 and kn is not False and all(a is not None and a.null_count == 0 for a in arrs):
        try:
            u = pc.unique(pa.chunked_array(arrs))
            if kn is not None:
                u = u.filter(pc.invert(pc.is_in(u, value_set=kn.cast(u.type))))
            if kn is None or len(kn):  # Index.difference leaves the order as is when nothing is removed
                u = u.take(pc.array_sort_indices(u))
            return pd.Index(pd.array(u, dtype=series[0].dtype))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass
    keys = pd.Index(pd.unique(pd.concat(series, ignore_index=True)))
    if known is not None:
        return keys.difference(pd.Index(known))
    return keys.sort_values()


def _left_join_first(nodes: pd.DataFrame, props: pd.DataFrame) -> pd.DataFrame:
    """``nodes.merge(props.drop_duplicates("key"), on="key", how="left")``: each node
    takes the first ``props`` row of its key (through Arrow when the keys are distinct
    non-null Arrow strings and the properties strings, else by that merge)."""
    keys, pkeys = _arrow_strings(nodes["key"]), _arrow_strings(props["key"])
    if (keys is None or pkeys is None or nodes["key"].dtype != props["key"].dtype
            or keys.null_count or pkeys.null_count
            or not all(props[c].dtype == object or isinstance(props[c].dtype, pd.StringDtype)
                       for c in props.columns)):
        return nodes.merge(props.drop_duplicates("key"), on="key", how="left")
    n = len(keys)
    # one hash pass over node keys then property keys: node i gets code i when the
    # node keys are distinct (checked), a property row the code of its node if any
    both = pa.concat_arrays([keys, pkeys.cast(keys.type)])
    codes = pc.dictionary_encode(both).indices.to_numpy(zero_copy_only=False)
    if not np.array_equal(codes[:n], np.arange(n)):
        return nodes.merge(props.drop_duplicates("key"), on="key", how="left")
    uc, first = np.unique(codes[n:], return_index=True)
    rows = np.full(n, -1, dtype=np.intp)
    on_node = uc < n
    rows[uc[on_node]] = first[on_node]
    out = nodes.reset_index(drop=True)
    out = out.copy() if out is nodes else out
    for c in props.columns:
        if c != "key":
            out[c] = pd.Series(props[c].array.take(rows, allow_fill=True), index=out.index, dtype=props[c].dtype)
    return out


def build_frames(tables: dict[str, pd.DataFrame]) -> GraphFrames:
    """Build :class:`GraphFrames` from validated tables.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Tables as returned in :attr:`graphring.ingest.validate.ValidatedData.tables`.

    Returns
    -------
    GraphFrames
    """
    # a second thread (Arrow and numpy work without the GIL) takes the payment/role
    # party kinds, the distinct node keys and the node property joins; results are
    # collected in a fixed order
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphring-graph") as ex:
        return _build_frames(tables, ex)


def _build_frames(tables: dict[str, pd.DataFrame], ex) -> GraphFrames:
    g = GraphFrames(tables=tables)
    memo: dict = {}  # distinct lookup keys, shared by the kind resolutions
    for rel in RELATIONSHIPS:
        df = tables.get(rel.table)
        if df is None or rel.src not in df.columns or rel.dst not in df.columns:
            continue
        for kind, col in ((rel.src_kind, rel.src), (rel.dst_kind, rel.dst)):
            resolve = _resolve_party if kind == "party" else _resolve_person if kind == "person" else None
            key = resolve and (resolve.__name__, id(df), col)
            if resolve is not None and key not in memo:
                memo[key] = ex.submit(_column_kinds, resolve, df, col, tables, memo)
    # entity tables first: their rows carry properties
    for kind, (tname, kcol) in ENTITY_TABLES.items():
        if tname in tables:
            df = tables[tname]
            props = df.drop(columns=[c for c in df.columns if c == kcol])
            nodes = props.copy()
            nodes.insert(0, "key", df[kcol].to_numpy())
            g.nodes[kind] = nodes.rename(columns={ROW: "_row"})
    edges: dict[tuple[str, str, str], list[pd.DataFrame]] = {}
    for rel in RELATIONSHIPS:
        df = tables.get(rel.table)
        if df is None or rel.src not in df.columns or rel.dst not in df.columns:
            continue
        cols = [rel.src, rel.dst, ROW] + [p for p in rel.props if p in df.columns]
        e = df[cols]
        e = e[e[rel.src].notna() & e[rel.dst].notna()]
        if rel.dst == "attachments":
            e = e.assign(attachments=e["attachments"].str.split(";")).explode("attachments")
        e = e.rename(columns={rel.src: "src", rel.dst: "dst"})
        e.insert(2, "_table", rel.table)
        if rel.type == "REPAID":
            e = e[df.loc[e.index, "purpose"].eq("repayment")] if "purpose" in df.columns else e
        src_kinds = (_row_kinds(_resolve_party, df, rel.src, e.index, tables, memo) if rel.src_kind == "party"
                     else _row_kinds(_resolve_person, df, rel.src, e.index, tables, memo)
                     if rel.src_kind == "person" else None)
        dst_kinds = (_row_kinds(_resolve_party, df, rel.dst, e.index, tables, memo) if rel.dst_kind == "party"
                     else None)
        if src_kinds is None and dst_kinds is None:
            groups = [((rel.src_kind, rel.dst_kind), e)]
        else:
            sk = src_kinds if src_kinds is not None else pd.Series(rel.src_kind, index=e.index)
            dk = dst_kinds if dst_kinds is not None else pd.Series(rel.dst_kind, index=e.index)
            groups = list(e.groupby([sk, dk], sort=True))
        for (sk_, dk_), part in groups:
            edges.setdefault((rel.type, sk_, dk_), []).append(part.reset_index(drop=True))
    for k, parts in edges.items():
        g.edges[k] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    # nodes for every identifier seen on an edge end
    ends: dict[str, list[pd.Series]] = {}
    for (_, sk, dk), df in g.edges.items():
        ends.setdefault(sk, []).append(df["src"])
        ends.setdefault(dk, []).append(df["dst"])
    # the distinct keys of each kind, then the node tables in the usual order
    found = {kind: ex.submit(_sorted_distinct, series, g.nodes[kind]["key"] if kind in g.nodes else None)
             for kind, series in ends.items()}
    found = {kind: f.result() for kind, f in found.items()}
    for kind, keys in found.items():
        if kind in g.nodes:
            if len(keys):
                g.nodes[kind] = pd.concat([g.nodes[kind], pd.DataFrame({"key": keys})], ignore_index=True)
        else:
            g.nodes[kind] = pd.DataFrame({"key": keys})
    # identifier nodes get useful properties where the input has them
    joins: dict = {}
    if "phone" in g.nodes:
        kinds = []
        for t, c in (("borrowers", "phone"), ("complaints", "complainant_phone"), ("contacts", "phone"),
                     ("phone_events", "phone")):
            if t in tables and f"{c}_kind" in tables[t].columns:
                kinds.append(tables[t][[c, f"{c}_kind"]].dropna().set_axis(["key", "phone_kind"], axis=1))
        if kinds:
            joins["phone"] = ex.submit(_left_join_first, g.nodes["phone"], pd.concat(kinds))
    if "address" in g.nodes:
        disp = []
        for t in ("borrowers", "companies"):
            if t in tables and "address_key" in tables[t].columns:
                disp.append(tables[t][["address_key", "address"]].dropna()
                            .set_axis(["key", "text"], axis=1))
        if disp:
            joins["address"] = ex.submit(_left_join_first, g.nodes["address"], pd.concat(disp))
    for kind, f in joins.items():
        g.nodes[kind] = f.result()
    return g
