"""Early warning: screen new records against known rings and watchlists.

A full ``graphring rings`` run over a bank's whole book takes minutes. New
complaints, loans, phone bindings and logins arrive every day; screening them
must take seconds. :func:`build_screen_index` condenses a run directory into a
compact index (saved as ``state/screen_index.*`` and built lazily on first use):

* the identifiers of every ring's borrowers (from ``state/incidence.parquet``):
  complaint phones, agents, attachments, devices, accounts, bound and contact
  phones, shells, intermediaries, registration agents..., each with the ring's
  score, how many of the ring's borrowers it ties (``k``), how many borrowers in
  the whole run it ties (``n``) and whether the run suppressed it as a hub;
* the ring members themselves (new activity of a known member is reported);
* MinHash signatures of the ring members' complaint texts, with LSH band keys,
  to catch a new letter written from a ring's template.

:func:`screen` reads a folder of new records (any contract tables; the
``borrowers`` table is optional and references to borrowers not in the folder are
kept), builds their graph, and reports

* **alerts**: every new record tied to a known ring through an identifier, a
  near-duplicate complaint text or a known member, or to a watchlist entry, with
  a score and the evidence (the new record's file and row, the ring's matching
  identifier and the run's input rows behind it);
* **new clusters**: communities found among the new records alone (projection
  and community detection on the new data only) with at least three borrowers
  sharing strong identifiers (link weight >= 0.5), scored by what they share.

Scores
------
One piece of evidence scores ``ring_score * weight * share`` where ``weight`` is
the geometric mean of the :data:`graphring.detect.projection.LINKS` weights of how the new
record uses the identifier and how the ring does (a ring's trade counterparty
named as a new borrower's employer counts less than a new loan paid to it), and
``share = k / n`` (the ring's
share of the identifier's borrowers in the run; times 0.6 when only one ring
member holds it). A near-duplicate letter weighs 0.9 (0.6 when the ring's letter
is not itself shared by two members); a known member 1.0; a watchlist entry 0.6
(the ``watchlist_match`` signal weight). Several pieces of evidence combine as
``1 - prod(1 - s_i)``.

Examples
--------
A run with one five-borrower ring, and a new complaint for a sixth borrower filed
from the ring's phone (spelled differently) in the ring's words:

>>> import tempfile, pathlib
>>> from graphring.analyse.explain import EXAMPLE_LETTER, _example_run
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> data, run = _example_run(root)
>>> (root / "new").mkdir()
>>> pd.DataFrame({"complaint_id": ["C9"], "borrower_id": ["B9"], "complainant_phone": ["139 0000 0001"],
...               "text": [EXAMPLE_LETTER.replace("本人", "本人己")]}).to_csv(root / "new" / "complaints.csv", index=False)
>>> res = screen(root / "new", run)
>>> res.alerts[["ring_id", "borrower", "file", "row", "matches"]].values.tolist()
[['R0001', 'B9', 'complaints.csv', 2, 'identifier;template']]
>>> bool(res.alerts["score"].iloc[0] > 0.9)
True
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import graphring
from graphring.config import SCREEN_MIN_SCORE
from graphring.detect.communities import detect
from graphring.detect.projection import LINKS, build_projection
from graphring.detect.textsim import band_keys, minhash_signatures, normalise_text
from graphring.errors import InputError, RunError
from graphring.files.checksums import sha256_file
from graphring.files.safecsv import read_csv, write_csv
from graphring.graph.model import build_frames
from graphring.ingest import readers as rd
from graphring.ingest.masks import isin
from graphring.ingest.readers import load_mapping
from graphring.ingest.schema import TABLES, table_for_stem
from graphring.ingest.validate import PROBLEM_COLUMNS, ValidatedData, validate_raw
from graphring.run import (
    INCIDENCE,
    SCREEN_INDEX_FILES,
    SCREEN_INDEX_IDENTS,
    SCREEN_INDEX_META,
    SCREEN_INDEX_SIG,
    SCREEN_INDEX_TEXTS,
    STATE_DIR,
    SUBGRAPH_NODES,
)
from graphring.watch.watchlist import check_key, key_for, match_incidence, read_watchlist

__all__ = ["ScreenIndex", "ScreenResult", "build_screen_index", "load_screen_index", "read_new_data", "screen",
           "write_screen", "split_folder", "screen_watchlists", "REL_LINK", "INDEX_FILES"]

#: The screening index files (named once, in :mod:`graphring.run`).
INDEX_FILES = SCREEN_INDEX_FILES
_INDEX_VERSION = 1

#: The link kind a new record's relationship stands for (weights in graphring.detect.projection.LINKS).
REL_LINK = {"FILED_FROM": "complaint_phone", "REPRESENTED_BY": "agent", "ATTACHES": "attachment",
            "USED_DEVICE": "device", "HOLDS_ACCOUNT": "account", "HAS_PHONE": "bound_phone",
            "PHONE_EVENT": "bound_phone", "LISTS_CONTACT": "contact_phone", "VIA": "intermediary",
            "CLAIMS_EMPLOYER": "employer", "PROCEEDS_TO": "counterparty", "HOLDS_ROLE": "employer",
            "PAID": "payment_party", "REPAID": "repayer", "REGISTERED_BY": "company_agent",
            "REGISTERED_AT": "company_address", "HANDLED_BY": "officer", "LOGGED_IN_FROM": "ip",
            "LIVES_AT": "home_address", "HAS_EMAIL": "email"}

#: Links that only count when the identifier ties two or more ring members (weak on their own).
_WEAK_LINKS = frozenset({"ip", "home_address", "officer", "company_address", "company_agent"})
#: Identifier kinds never indexed (records, not identifiers).
_NOT_IDENT = frozenset({"complaint", "loan", "borrower"})
_TEXT = {"k": 5, "num_perm": 128, "bands": 32, "min_chars": 20}
_BUCKET_CAP = 64


@dataclass
class ScreenIndex:
    """What screening needs from a run, small enough to load in a second.

    Attributes
    ----------
    idents : DataFrame
        ``ring_id, ident, link, links, weight, k, n, share, hub, entity, role, ev_table, ev_row, ev_borrower``;
        ring members are rows with ``ident = "borrower:<id>"`` and ``link = "member"``.
    texts : DataFrame
        ``ring_id, complaint, borrower, row, template_size``, aligned with ``sig``.
    sig : ndarray (n_texts, num_perm) uint64
        MinHash signatures of the ring members' complaint texts.
    meta : dict
        Rings (score, typology, borrowers), parameters, build time, the run's hashes.
    """

    idents: pd.DataFrame
    texts: pd.DataFrame
    sig: np.ndarray
    meta: dict = field(default_factory=dict)

    @property
    def rings(self) -> dict:
        return self.meta.get("rings", {})


@dataclass
class ScreenResult:
    """Alerts, their evidence, new clusters and figures of one screening."""

    alerts: pd.DataFrame
    evidence: pd.DataFrame
    clusters: list[dict]
    summary: dict
    timings: dict


# ---------------------------------------------------------------------------------------
# index
# ---------------------------------------------------------------------------------------

def _text_signatures(texts, seed: int) -> tuple[np.ndarray, np.ndarray]:
    norm = [normalise_text(t) if isinstance(t, str) else "" for t in texts]
    norm = [t if len(t) >= _TEXT["min_chars"] else "" for t in norm]
    return minhash_signatures(norm, k=_TEXT["k"], num_perm=_TEXT["num_perm"], seed=seed)


def _run_params(d: Path) -> dict:
    """The run's parameters (seed, text threshold) from manifest.json, without loading rings.json."""
    if not d.is_dir():
        raise RunError(f"run directory not found: {d}")
    for n in ("ring_members.csv", "manifest.json"):
        if not (d / n).is_file():
            raise RunError(f"{d} is not a graphring run directory: {n} is missing (run `graphring rings` first)")
    try:
        man = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunError(f"{d}: cannot read manifest.json: {type(exc).__name__}") from None
    p = man.get("params") or {}
    return p if isinstance(p, dict) else {}


def build_screen_index(run_dir: str | Path) -> ScreenIndex:
    """Build the screening index of a run and save it as ``state/screen_index.*``.

    Parameters
    ----------
    run_dir : path
        Run directory written by ``graphring rings`` (needs ``state/incidence.parquet``;
        complaint texts come from ``state/subgraph_nodes.parquet`` when present).

    Returns
    -------
    ScreenIndex
    """
    t0 = time.perf_counter()
    d = Path(run_dir)
    params = _run_params(d)
    state = d / STATE_DIR
    inc_path = state / INCIDENCE
    if not inc_path.is_file():
        raise RunError(f"{d}: {STATE_DIR}/{INCIDENCE} is missing; rerun `graphring rings` to write it")
    mem = read_csv(d / "ring_members.csv")
    seed = int(params.get("seed", 0) or 0)
    threshold = float(params.get("text_threshold", 0.5) or 0.5)
    mem = mem.assign(score=pd.to_numeric(mem["score"], errors="coerce").fillna(0.0))
    rings_meta = {}
    for rid, g in mem.groupby("ring_id", sort=False):
        rings_meta[rid] = {"score": round(float(g["score"].iloc[0]), 6), "typology": str(g["typology"].iloc[0]),
                           "borrowers": int((g["kind"] == "borrower").sum())}
    bor = mem[mem["kind"] == "borrower"].drop_duplicates("id")
    ring_of = pd.Series(bor["ring_id"].to_numpy(), index=bor["id"].to_numpy())
    ents = mem[mem["kind"] != "borrower"]
    ent_role = dict(zip(ents["ring_id"] + "\x1f" + ents["kind"] + ":" + ents["id"], ents["role"]))
    weight = {k: v.weight for k, v in LINKS.items()}
    cap = {k: v.max_share for k, v in LINKS.items()}
    cols = ["ring_id", "ident", "link", "links", "weight", "k", "n", "share", "hub", "entity", "role", "ev_table",
            "ev_row", "ev_borrower"]
    if len(ring_of):
        inc = pd.read_parquet(inc_path, columns=["borrower", "ident", "link", "table", "row", "n"],
                              filters=[("borrower", "in", sorted(ring_of.index))])
    else:
        inc = pd.DataFrame(columns=["borrower", "ident", "link", "table", "row", "n"])
    inc = inc[inc["link"] != "template"]
    inc = inc[~inc["ident"].str.startswith(tuple(k + ":" for k in sorted(_NOT_IDENT))).to_numpy()]
    inc = inc.assign(ring_id=inc["borrower"].map(ring_of).to_numpy(), w=inc["link"].map(weight).fillna(0.0),
                     hub=(inc["n"] > inc["link"].map(cap).fillna(0)).to_numpy())
    if len(inc):
        inc = inc.sort_values(["ring_id", "ident", "w", "table", "row"], ascending=[True, True, False, True, True],
                              kind="stable")
        grp = inc.groupby(["ring_id", "ident"], sort=False)
        agg = grp.agg(link=("link", "first"), weight=("w", "first"), k=("borrower", "nunique"),
                      hub=("hub", "any"), ev_table=("table", "first"), ev_row=("row", "first"),
                      ev_borrower=("borrower", "first"))
        # the ring's link kinds of each identifier, ";"-joined: OR of one bit per link kind
        names = sorted(set(inc["link"]))
        bit = {n_: 1 << i for i, n_ in enumerate(names)}
        lk = inc[["ring_id", "ident", "link"]].drop_duplicates()
        mask = lk.assign(b=lk["link"].map(bit).astype("int64")).groupby(["ring_id", "ident"], sort=False)["b"].sum()
        joined = {m: ";".join(n_ for n_ in names if m & bit[n_]) for m in pd.unique(mask)}
        agg["links"] = mask.reindex(agg.index).map(joined)
        agg = agg.reset_index()
        # n: distinct borrowers the identifier ties in the whole run
        allinc = pd.read_parquet(inc_path, columns=["borrower", "ident"],
                                 filters=[("ident", "in", sorted(set(agg["ident"])))])
        ntot = allinc.drop_duplicates().groupby("ident")["borrower"].size()
        agg["n"] = agg["ident"].map(ntot).fillna(agg["k"]).astype("int64")
        agg["share"] = (agg["k"] / agg["n"].clip(lower=1)).clip(upper=1.0)
        key = agg["ring_id"] + "\x1f" + agg["ident"]
        agg["entity"] = key.isin(set(ent_role)).to_numpy()
        agg["role"] = key.map(ent_role)
        weak = agg["link"].isin(_WEAK_LINKS) & ~agg["entity"]
        hub_not_ring = agg["hub"] & (agg["share"] < 0.5)
        idents = agg[~weak & ~hub_not_ring]
    else:
        idents = pd.DataFrame(columns=cols)
    members = pd.DataFrame({"ring_id": ring_of.to_numpy(), "ident": "borrower:" + ring_of.index.astype(str),
                            "link": "member", "links": "member", "weight": 1.0, "k": 1, "n": 1, "share": 1.0,
                            "hub": False, "entity": True, "role": "member", "ev_table": None, "ev_row": None,
                            "ev_borrower": ring_of.index.to_numpy()})
    idents = pd.concat([d_ for d_ in (idents[cols], members[cols]) if len(d_)], ignore_index=True) \
        if len(idents) or len(members) else pd.DataFrame(columns=cols)
    idents = idents.astype({"ev_table": object, "role": object, "links": object})
    idents["ev_row"] = pd.to_numeric(idents["ev_row"], errors="coerce").astype("Int64")
    # complaint texts of ring members
    texts = pd.DataFrame(columns=["ring_id", "complaint", "borrower", "row", "template_size"])
    sig = np.zeros((0, _TEXT["num_perm"]), np.uint64)
    nodes_path = state / SUBGRAPH_NODES
    if nodes_path.is_file() and len(ring_of):
        have = set(pq.read_schema(nodes_path).names)
        if {"text", "borrower_id"} <= have:
            c = pd.read_parquet(nodes_path, columns=["kind", "key", "borrower_id", "text", "_row"],
                                filters=[("kind", "==", "complaint")])
            c = c[c["borrower_id"].isin(ring_of.index) & c["text"].notna()]
            if len(c):
                s, has = _text_signatures(c["text"].tolist(), seed)
                c = c[has]
                sig = s[has]
                rowi = pd.to_numeric(c["_row"], errors="coerce").fillna(-1).astype("int64")
                tpl = pd.read_parquet(inc_path, columns=["borrower", "ident", "table", "row"],
                                      filters=[("link", "==", "template")])
                tpl = tpl[tpl["borrower"].isin(ring_of.index)]
                tpl = tpl.assign(ring_id=tpl["borrower"].map(ring_of))
                size = tpl.groupby(["ring_id", "ident"])["borrower"].nunique().rename("size").reset_index()
                tpl = tpl.merge(size, on=["ring_id", "ident"]).drop_duplicates(["table", "row"])
                size_of_row = dict(zip(tpl["row"], tpl["size"]))
                texts = pd.DataFrame({"ring_id": c["borrower_id"].map(ring_of).to_numpy(),
                                      "complaint": c["key"].to_numpy(), "borrower": c["borrower_id"].to_numpy(),
                                      "row": rowi.to_numpy(),
                                      "template_size": rowi.map(size_of_row).fillna(1).astype("int64").to_numpy()})
    meta = {
        "version": _INDEX_VERSION, "graphring_version": graphring.__version__,
        "ring_members_sha256": sha256_file(d / "ring_members.csv"),
        "params": {"seed": seed, "text_threshold": threshold, **_TEXT},
        "rings": rings_meta,
        "counts": {"rings": len(rings_meta), "ring_borrowers": int(len(ring_of)),
                   "identifiers": int((idents["link"] != "member").sum()) if len(idents) else 0,
                   "texts": int(len(texts))},
    }
    idx = ScreenIndex(idents.reset_index(drop=True), texts.reset_index(drop=True), sig, meta)
    meta["build_seconds"] = round(time.perf_counter() - t0, 3)
    _save_index(idx, state)
    return idx


def _save_index(idx: ScreenIndex, state: Path) -> None:
    state.mkdir(parents=True, exist_ok=True)
    idx.idents.to_parquet(state / SCREEN_INDEX_IDENTS, index=False)
    idx.texts.to_parquet(state / SCREEN_INDEX_TEXTS, index=False)
    np.save(state / SCREEN_INDEX_SIG, idx.sig, allow_pickle=False)
    # the JSON last: its presence marks a complete index
    (state / SCREEN_INDEX_META).write_text(json.dumps(idx.meta, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")


def load_screen_index(run_dir: str | Path, build: bool = True) -> ScreenIndex:
    """Load ``state/screen_index.*``; build it first when missing or stale (``build=True``).

    The index is stale when ``ring_members.csv`` changed since it was built.
    """
    d = Path(run_dir)
    state = d / STATE_DIR
    fresh = False
    meta = None
    if all((state / f).is_file() for f in INDEX_FILES) and (d / "ring_members.csv").is_file():
        try:
            meta = json.loads((state / SCREEN_INDEX_META).read_text(encoding="utf-8"))
            fresh = (meta.get("version") == _INDEX_VERSION
                     and meta.get("ring_members_sha256") == sha256_file(d / "ring_members.csv"))
        except (OSError, ValueError):
            fresh = False
    if not fresh:
        if not build:
            raise RunError(f"{d}: no up-to-date screening index (state/screen_index.*); build it first")
        return build_screen_index(d)
    try:
        idents = pd.read_parquet(state / SCREEN_INDEX_IDENTS)
        texts = pd.read_parquet(state / SCREEN_INDEX_TEXTS)
        sig = np.load(state / SCREEN_INDEX_SIG, allow_pickle=False)
    except (OSError, ValueError) as exc:
        if build:
            return build_screen_index(d)
        raise RunError(f"{d}: cannot read the screening index: {type(exc).__name__}") from None
    return ScreenIndex(idents, texts, sig, meta)


# ---------------------------------------------------------------------------------------
# new data
# ---------------------------------------------------------------------------------------

def screen_watchlists(new_data_dir: str | Path, watchlist: str | Path | None = None,
                      key_file: str | Path | None = None) -> tuple[pd.DataFrame | None, list[pd.DataFrame], bytes | None]:
    """The watchlists ``graphring screen`` matches and the HMAC key it matches them with.

    The lists are the ``--watchlist`` file and a ``watchlist`` table inside the
    new data folder; the key is read when a key file is given, a list holds
    ``hmac:`` values or ``GRAPHRING_HMAC_KEY`` is set (:func:`graphring.watch.watchlist.key_for`),
    and checked against each list's key fingerprint.

    Returns
    -------
    tuple
        The ``--watchlist`` table (or ``None``), every list to match, the key (or ``None``).
    """
    lists = []
    wl = None
    if watchlist is not None:
        wl = read_watchlist(watchlist)
        lists.append(wl)
    # a watchlist table inside the new data folder may need the key as well
    folder = Path(new_data_dir)
    if folder.is_dir() and any(table_for_stem(p.stem) == "watchlist" for p in folder.iterdir() if p.is_file()):
        v = read_new_data(folder)
        if "watchlist" in v.tables:
            lists.append(v.tables["watchlist"])
    key = key_for(key_file, lists)
    for w, where in zip(lists, ([str(watchlist)] if watchlist is not None else []) + [f"the watchlist table of {folder}"]):
        check_key(w, key, where)
    return wl, lists, key


def read_new_data(folder: str | Path, mapping=None):
    """Read and validate a folder of new records, each table on its own.

    Unlike :func:`graphring.ingest.validate.validate_folder`, the ``borrowers`` table is
    optional and references to borrowers, loans or companies that are not in the
    folder are kept (new complaints and loans are mostly about existing customers).

    Returns
    -------
    graphring.ingest.validate.ValidatedData
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"new data folder not found: {root}")
    maps = mapping if isinstance(mapping, dict) else load_mapping(mapping)
    found: dict[str, tuple[str, pd.DataFrame, list]] = {}
    notes: dict[str, list] = {}
    fatal: list[str] = []
    for p in rd.folder_entries(root, fatal):
        suffix = p.suffix.lower()
        if suffix not in rd.SUFFIXES:
            continue
        try:
            noted: list = []  # encoding, NUL bytes: kept for the first file of each table
            for name, label, df, _, ragged in rd.file_tables(p, noted, keep_empty=False):
                if name not in found:
                    notes.setdefault(name, []).extend(noted)
                    found[name] = (label, df, ragged)
        except InputError as exc:
            fatal.append(str(exc))
        except Exception as exc:  # hostile bytes stay a clear message
            fatal.append(f"{p}: cannot read ({type(exc).__name__})")
    if not found and not fatal:
        fatal.append(f"{root}: no contract table found (complaints.csv, loans.csv, devices.csv, ...)")
    tables, files, probs, counts = {}, {}, [], []
    for name, (label, df, ragged) in found.items():
        plist: list = list(notes.get(name, []))
        df, unknown, headers = rd.match_headers(name, df, label, maps.get(name, {}), plist)
        missing = [c for c in TABLES[name].required_columns if c not in df.columns]
        if missing:
            fatal.append(f"{label}: required column(s) missing for table {name}: {', '.join(missing)}")
            continue
        rows = [r for r, _ in ragged]
        if rows:
            df = df[~df[rd.ROW_COL].isin(rows)]
        v = validate_raw(rd.RawData(str(root), {name: rd.RawTable(name, label, df.reset_index(drop=True),
                                                                  len(df) + len(rows))}, plist))
        if name in v.tables:
            tables[name] = v.tables[name]
            files[name] = label
        probs.append(v.problems)
        counts.append(v.counts)
    if fatal:
        raise InputError("the new data cannot be used:\n  - " + "\n  - ".join(fatal))
    problems = (pd.concat([p for p in probs if len(p)], ignore_index=True) if any(len(p) for p in probs)
                else pd.DataFrame(columns=PROBLEM_COLUMNS))
    cdf = pd.concat(counts) if counts else pd.DataFrame(columns=["file", "read", "loaded", "rejected", "warnings"])
    return ValidatedData(str(root), tables, files, problems, cdf)


_BORROWER_COL = {"borrowers": "borrower_id", "complaints": "borrower_id", "loans": "borrower_id",
                 "devices": "borrower_id", "accounts": "borrower_id", "contacts": "borrower_id",
                 "phone_events": "borrower_id", "company_roles": "person_id"}
_RECORD_COL = {"complaints": "complaint_id", "loans": "loan_id", "companies": "uscc", "borrowers": "borrower_id"}


def _with_stub_borrowers(tables: dict[str, pd.DataFrame], known: set[str]) -> dict[str, pd.DataFrame]:
    """Add borrower rows (``_row`` 0) for ids referenced by new records but not in a new borrowers table."""
    ids = set()
    for t, c in _BORROWER_COL.items():
        if t in tables and c in tables[t].columns and t != "company_roles":
            ids |= set(tables[t][c].dropna())
    if "payments" in tables:
        for c in ("payer", "payee"):
            ids |= set(tables["payments"][c].dropna()) & known
    if "company_roles" in tables:
        ids |= set(tables["company_roles"]["person_id"].dropna()) & known
    have = set(tables["borrowers"]["borrower_id"].dropna()) if "borrowers" in tables else set()
    stub = sorted(ids - have)
    if not stub:
        return tables
    out = dict(tables)
    s = pd.DataFrame({"borrower_id": stub, "_row": np.zeros(len(stub), np.int64)})
    out["borrowers"] = pd.concat([tables["borrowers"], s], ignore_index=True) if "borrowers" in tables else s
    return out


def _record_ends(g) -> pd.DataFrame:
    """Every identifier at an end of a new edge: ``ident, kind, rel, link, table, row``."""
    parts = []
    for (t, sk, dk), df in g.edges.items():
        if not len(df):
            continue
        for end, kind in (("src", sk), ("dst", dk)):
            if kind in ("complaint", "loan"):
                continue
            parts.append(pd.DataFrame({"ident": (kind + ":" + df[end].astype(str)).to_numpy(), "kind": kind,
                                       "rel": t, "link": REL_LINK.get(t, "other") if kind != "borrower" else
                                       "member", "table": df["_table"].to_numpy(),
                                       "row": pd.to_numeric(df["_row"], errors="coerce").fillna(0)
                                       .astype("int64").to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["ident", "kind", "rel", "link", "table", "row"])
    return pd.concat(parts, ignore_index=True).drop_duplicates(["ident", "table", "row", "link"])


def _record_borrowers(tables: dict[str, pd.DataFrame], borrowers: set[str]) -> pd.DataFrame:
    """``table, row, borrower, record``: the borrower each new record is about."""
    parts = []
    for t, df in tables.items():
        if "_row" not in df.columns or t == "watchlist":
            continue
        rows = df["_row"].astype("int64")
        b = pd.Series([None] * len(df), index=df.index, dtype=object)
        c = _BORROWER_COL.get(t)
        if c and c in df.columns:
            b = df[c].astype(object)
            if t == "company_roles":
                b = b.where(isin(b, borrowers))
        elif t == "payments":
            payer = df["payer"].where(isin(df["payer"], borrowers))
            payee = df["payee"].where(isin(df["payee"], borrowers))
            b = payer.fillna(payee).astype(object)
            if "loan_id" in df.columns and "loans" in tables:
                lo = tables["loans"].drop_duplicates("loan_id").set_index("loan_id")["borrower_id"]
                b = b.fillna(df["loan_id"].map(lo)).astype(object)
        rc = _RECORD_COL.get(t)
        rec = df[rc].astype(object) if rc and rc in df.columns else pd.Series([None] * len(df), index=df.index)
        parts.append(pd.DataFrame({"table": t, "row": rows.to_numpy(), "borrower": b.to_numpy(),
                                   "record": rec.to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["table", "row", "borrower", "record"])
    out = pd.concat(parts, ignore_index=True)
    return out[out["row"] > 0].drop_duplicates(["table", "row"])


def _template_matches(idx: ScreenIndex, comp: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """New complaints near-duplicating a ring member's letter: best match per (complaint, ring)."""
    cols = ["q", "i", "similarity"]
    if not len(comp) or not len(idx.texts):
        return pd.DataFrame(columns=cols)
    seed = int(idx.meta.get("params", {}).get("seed", 0))
    bands = int(idx.meta.get("params", {}).get("bands", _TEXT["bands"]))
    qsig, has = _text_signatures(comp["text"].tolist(), seed)
    qi_all = np.nonzero(has)[0]
    if not len(qi_all):
        return pd.DataFrame(columns=cols)

    qs = qsig[qi_all]
    qk = band_keys(qs, bands)
    ik = band_keys(idx.sig, bands)
    cand = []
    for b in range(bands):
        order = np.argsort(ik[:, b], kind="stable")
        ks = ik[order, b]
        lo = np.searchsorted(ks, qk[:, b], side="left")
        hi = np.searchsorted(ks, qk[:, b], side="right")
        cnt = np.minimum(hi - lo, _BUCKET_CAP)
        hit = np.nonzero(cnt > 0)[0]
        if not len(hit):
            continue
        rep = np.repeat(hit, cnt[hit])
        offs = np.arange(int(cnt[hit].sum())) - np.repeat(np.cumsum(cnt[hit]) - cnt[hit], cnt[hit])
        cand.append(np.stack([rep, order[lo[rep] + offs]], axis=1))
    if not cand:
        return pd.DataFrame(columns=cols)
    c = np.unique(np.concatenate(cand), axis=0)
    sim = (qs[c[:, 0]] == idx.sig[c[:, 1]]).mean(axis=1)
    keep = sim >= threshold
    out = pd.DataFrame({"q": qi_all[c[keep, 0]], "i": c[keep, 1], "similarity": sim[keep]})
    out["ring_id"] = idx.texts["ring_id"].to_numpy()[out["i"].to_numpy()] if len(out) else []
    out = out.sort_values(["q", "ring_id", "similarity", "i"], ascending=[True, True, False, True], kind="stable")
    return out.drop_duplicates(["q", "ring_id"]).drop(columns="ring_id")


#: Links a household shares honestly (device, phones, account, e-mail, home); a small cluster tied only by
#: these is reported with half its score.
_HOUSEHOLD_LINKS = frozenset({"device", "bound_phone", "contact_phone", "account", "email", "home_address", "ip"})


def _new_clusters(g, seed: int, min_size: int, alerts_by_borrower: dict) -> list[dict]:
    """Communities among the new records alone with >= ``min_size`` borrowers tied by strong identifiers.

    Projection and community detection only (no signals): a cluster's ``score`` is
    ``1 - prod(1 - w * min(1, (k - 1) / 2))`` over the strong identifiers (link
    weight >= 0.5) that ``k >= 2`` of its borrowers share, halved for a cluster of at
    most five borrowers tied only by household links.
    """
    if "borrower" not in g.nodes or len(g.nodes["borrower"]) < min_size:
        return []
    proj = build_projection(g, seed=seed)
    if not len(proj.edges):
        return []
    part = detect(proj.edges, algorithm="leiden", seed=seed, min_size=min_size)
    sizes = part.membership.value_counts()
    keep = sizes[sizes >= min_size].index
    mem = part.membership[part.membership.isin(keep)]
    if not len(mem):
        return []
    weight = {k: v.weight for k, v in LINKS.items()}
    cap = {k: v.max_share for k, v in LINKS.items()}
    inc = proj.incidence
    inc = inc[inc["borrower"].isin(mem.index) & (inc["link"].map(weight).fillna(0) >= 0.5)]
    inc = inc.assign(c=inc["borrower"].map(mem).to_numpy()).drop_duplicates(["c", "borrower", "ident", "link"])
    k = inc.groupby(["c", "ident", "link"])["borrower"].transform("nunique")
    sh = inc[(k >= 2) & (inc["n"] <= inc["link"].map(cap).fillna(0))].assign(k=k[k >= 2])
    out = []
    for c, g_ in sh.groupby("c", sort=False):
        tied = sorted(set(g_["borrower"]))
        if len(tied) < min_size:
            continue
        ids = g_.drop_duplicates(["ident", "link"])
        strength = ids["link"].map(weight).to_numpy() * np.minimum(1.0, (ids["k"].to_numpy() - 1) / 2.0)
        score = float(1.0 - np.prod(1.0 - np.clip(strength, 0, 1)))
        household = set(ids["link"]) <= _HOUSEHOLD_LINKS and len(mem[mem == c]) <= 5
        if household:
            score *= 0.5
        bors = sorted(mem.index[mem == c].tolist())
        known = sorted({rid for b in bors for rid in alerts_by_borrower.get(b, ())})
        out.append({"score": round(score, 6), "borrowers": bors, "strongly_tied": len(tied),
                    "links": {lk: int(n) for lk, n in ids["link"].value_counts().sort_index().items()},
                    "entities": sorted(ids["ident"].unique().tolist())[:50], "household_like": bool(household),
                    "known_rings": known})
    out.sort(key=lambda x: (-x["score"], x["borrowers"][0]))
    for i, x in enumerate(out, 1):
        x["cluster_id"] = f"N{i:04d}"
    return [{"cluster_id": x.pop("cluster_id"), **x} for x in out]


def screen(new_data_dir: str | Path, run_dir: str | Path, watchlist: pd.DataFrame | None = None,
           key: bytes | None = None, *, min_score: float = SCREEN_MIN_SCORE, clusters: bool = True, cluster_min_size: int = 3,
           mapping=None, index: ScreenIndex | None = None) -> ScreenResult:
    """Screen a folder of new records against a run's rings and against watchlists.

    Parameters
    ----------
    new_data_dir : path
        Folder of new records in the contract format (any tables; ``borrowers`` optional).
    run_dir : path
        Run directory of ``graphring rings``; its screening index is built on first use.
    watchlist : DataFrame, optional
        ``kind, value[, label, source]`` (raw or ``hmac:`` values). A ``watchlist``
        table inside ``new_data_dir`` is matched too.
    key : bytes, optional
        HMAC key for ``hmac:`` values.
    min_score : float
        Alerts scoring below this are dropped (their evidence too). The default 0.2
        (the same as ``rings --min-score``) alerted, on generated data (10,340 new
        records against a 1,000,000-borrower run, ``benchmarks/bench_screen.py``),
        98 % of the returning ring members and none of 703 honest newcomers; 0.3
        alerted 93 %; 0.05 alerts 3 % of honest newcomers as well.
    clusters : bool
        Also look for new clusters among the new records alone.
    cluster_min_size : int
        Minimum borrowers in a new cluster.
    mapping : path or dict, optional
        Header mapping of the new data.
    index : ScreenIndex, optional
        An index already loaded (otherwise :func:`load_screen_index`).

    Returns
    -------
    ScreenResult
    """
    timings = {}
    t0 = time.perf_counter()
    idx = index if index is not None else load_screen_index(run_dir)
    timings["load_index"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    v = read_new_data(new_data_dir, mapping)
    tables = dict(v.tables)
    lists = [w for w in (watchlist, tables.pop("watchlist", None)) if w is not None and len(w)]
    members = idx.idents[idx.idents["link"] == "member"]
    known_bor = set(members["ident"].str[len("borrower:"):])
    tables = _with_stub_borrowers(tables, known_bor)
    g = build_frames(tables)
    timings["read_new"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    new_bor = set(g.nodes["borrower"]["key"]) if "borrower" in g.nodes else set()
    rec_b = _record_borrowers(tables, new_bor | known_bor)
    ends = _record_ends(g)
    rings = idx.rings
    ring_score = {k: float(v_["score"]) for k, v_ in rings.items()}

    weight = {k: v_.weight for k, v_ in LINKS.items()}
    weight["member"] = 1.0
    ev_parts = []
    # identifiers and known members
    cand = idx.idents[idx.idents["ident"].isin(pd.unique(ends["ident"]))] if len(ends) else idx.idents.iloc[0:0]
    m = ends.merge(cand, on="ident", suffixes=("", "_ring"))
    if len(m):
        is_member = m["link_ring"] == "member"
        w_new = m["link"].map(weight).fillna(0.0)
        w_eff = np.sqrt(w_new.to_numpy() * m["weight"].astype(float).to_numpy())
        single = (m["k"].astype(int) < 2) & ~m["entity"].astype(bool)
        share = m["share"].astype(float).to_numpy() * np.where(single, 0.6, 1.0)
        rs = m["ring_id"].map(ring_score).astype(float).to_numpy()
        ev_parts.append(pd.DataFrame({
            "table": m["table"].to_numpy(), "row": m["row"].to_numpy(), "ring_id": m["ring_id"].to_numpy(),
            "match": np.where(is_member, "member", "identifier"), "identifier": m["ident"].to_numpy(),
            "new_link": np.where(is_member, "member", m["link"]), "ring_link": m["links"].to_numpy(),
            "ring_role": m["role"].to_numpy(), "ring_k": m["k"].astype(int).to_numpy(),
            "ident_n": m["n"].astype(int).to_numpy(),
            "ring_evidence": np.where(m["ev_table"].notna(), m["ev_table"].astype(str) + ":"
                                      + m["ev_row"].astype(str), None),
            "ring_borrower": m["ev_borrower"].to_numpy(), "similarity": np.nan, "label": None, "source": None,
            "evidence_score": np.where(is_member, rs, rs * w_eff * share)}))
    # near-duplicate letters
    comp = g.nodes.get("complaint")
    threshold = float(idx.meta.get("params", {}).get("text_threshold", 0.5))
    if comp is not None and "text" in comp.columns and len(idx.texts):
        c = comp[comp["text"].notna() & comp["_row"].notna()].reset_index(drop=True)
        tm = _template_matches(idx, c, threshold)
        if len(tm):
            ti = idx.texts.iloc[tm["i"].to_numpy()].reset_index(drop=True)
            rs = ti["ring_id"].map(ring_score).astype(float).to_numpy()
            ev_parts.append(pd.DataFrame({
                "table": "complaints", "row": c["_row"].astype("int64").to_numpy()[tm["q"].to_numpy()],
                "ring_id": ti["ring_id"].to_numpy(), "match": "template",
                "identifier": "complaint:" + ti["complaint"].astype(str).to_numpy(), "new_link": "template",
                "ring_link": "template", "ring_role": None, "ring_k": ti["template_size"].to_numpy(),
                "ident_n": ti["template_size"].to_numpy(), "ring_evidence": "complaints:" + ti["row"].astype(str),
                "ring_borrower": ti["borrower"].to_numpy(), "similarity": tm["similarity"].round(4).to_numpy(),
                "label": None, "source": None,
                "evidence_score": rs * 0.9 * np.where(ti["template_size"].to_numpy() >= 2, 1.0, 0.6)}))
    # watchlists
    for wl in lists:
        pseudo = ends[ends["kind"] != "borrower"].assign(borrower=None)
        wm = match_incidence(pseudo[["borrower", "ident", "link", "table", "row"]], wl, key)
        if len(wm):
            src = wm["source"].fillna("").astype(str)
            ev_parts.append(pd.DataFrame({
                "table": wm["table"].to_numpy(), "row": wm["row"].astype("int64").to_numpy(),
                "ring_id": ("watchlist" + np.where(src != "", ":" + src, "")).astype(object),
                "match": "watchlist", "identifier": wm["ident"].to_numpy(), "new_link": wm["link"].to_numpy(),
                "ring_link": None, "ring_role": None, "ring_k": 0, "ident_n": 0,
                "ring_evidence": wm["listed"].to_numpy(), "ring_borrower": None, "similarity": np.nan,
                "label": wm["label"].to_numpy(), "source": wm["source"].to_numpy(), "evidence_score": 0.6}))
    ev_cols = ["table", "row", "ring_id", "match", "identifier", "new_link", "ring_link", "ring_role", "ring_k",
               "ident_n", "ring_evidence", "ring_borrower", "similarity", "label", "source", "evidence_score"]
    ev = (pd.concat([p for p in ev_parts if len(p)], ignore_index=True) if any(len(p) for p in ev_parts)
          else pd.DataFrame(columns=ev_cols))
    ev = ev.drop_duplicates(["table", "row", "ring_id", "identifier"])
    ev = ev.merge(rec_b, on=["table", "row"], how="left")
    ev["file"] = ev["table"].map(v.files)
    timings["match"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # alerts: one per (new record, ring or list)
    if len(ev):
        ev = ev.sort_values(["table", "row", "ring_id", "evidence_score"], ascending=[True, True, True, False],
                            kind="stable")
        gb = ev.groupby(["table", "row", "ring_id"], sort=False)
        al = gb.agg(file=("file", "first"), borrower=("borrower", "first"), record=("record", "first"),
                    match=("match", "first"), identifier=("identifier", "first"), new_link=("new_link", "first"),
                    ring_link=("ring_link", "first"), ring_role=("ring_role", "first"),
                    ring_evidence=("ring_evidence", "first"), similarity=("similarity", "max"),
                    label=("label", "first"), n_evidence=("identifier", "size"))
        # 1 - prod(1 - s): a sum of logs per group
        lg = np.log1p(-np.clip(ev["evidence_score"].to_numpy(dtype=float), 0.0, 1.0 - 1e-12))
        al["score"] = 1.0 - np.exp(pd.Series(lg, index=ev.index).groupby(
            [ev["table"], ev["row"], ev["ring_id"]], sort=False).sum())
        al["matches"] = gb["match"].agg(lambda s: ";".join(sorted(set(s))))
        al = al.reset_index()
        al = al[al["score"] >= min_score]
        al["ring_score"] = al["ring_id"].map(ring_score)
        al["typology"] = al["ring_id"].map({k: v_["typology"] for k, v_ in rings.items()})
        al["known_member"] = isin(al["borrower"], known_bor)
        al = al.sort_values(["score", "table", "row", "ring_id"], ascending=[False, True, True, True], kind="stable")
        al.insert(0, "alert_id", [f"A{i:06d}" for i in range(1, len(al) + 1)])
        keep = set(zip(al["table"], al["row"], al["ring_id"]))
        ev = ev[[k in keep for k in zip(ev["table"], ev["row"], ev["ring_id"])]]
        ev = ev.merge(al[["table", "row", "ring_id", "alert_id"]], on=["table", "row", "ring_id"])
    else:
        al = pd.DataFrame(columns=["alert_id", "table", "row", "ring_id", "score"])
    al_cols = ["alert_id", "score", "ring_id", "ring_score", "typology", "borrower", "known_member", "table", "file",
               "row", "record", "match", "matches", "identifier", "new_link", "ring_link", "ring_role",
               "ring_evidence", "similarity", "label", "n_evidence"]
    al = al.reindex(columns=al_cols).reset_index(drop=True)
    al["score"] = pd.to_numeric(al["score"]).round(6)
    timings["alerts"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    by_b: dict[str, set] = {}
    for b, rid in zip(al["borrower"], al["ring_id"]):
        if isinstance(b, str):
            by_b.setdefault(b, set()).add(rid)
    cl = _new_clusters(g, int(idx.meta.get("params", {}).get("seed", 0)), cluster_min_size, by_b) if clusters else []
    timings["new_clusters"] = time.perf_counter() - t0
    records = int(sum(len(t) for n, t in v.tables.items() if n != "watchlist"))
    alerted = al[al["borrower"].notna()]
    summary = {
        "new_data": str(new_data_dir), "run": str(run_dir), "records": records,
        "tables": {n: int(len(t)) for n, t in sorted(v.tables.items())},
        "rejected_rows": int(v.counts["rejected"].sum()) if len(v.counts) else 0,
        "alerts": int(len(al)), "alerts_by_match": {k: int(n) for k, n in al["match"].value_counts().sort_index().items()},
        "rings_hit": int(al.loc[~al["ring_id"].astype(str).str.startswith("watchlist"), "ring_id"].nunique()),
        "borrowers_alerted": int(alerted["borrower"].nunique()),
        "new_borrowers_alerted": int(alerted.loc[~alerted["known_member"].astype(bool), "borrower"].nunique()),
        "watchlist_alerts": int((al["match"] == "watchlist").sum()), "new_clusters": len(cl),
        "min_score": min_score,
    }
    return ScreenResult(al, ev.reset_index(drop=True), cl, summary, {k: round(t, 4) for k, t in timings.items()})


def _records(df: pd.DataFrame) -> list[dict]:
    d = df.astype(object).where(df.notna(), None)
    return d.to_dict("records")


def write_screen(res: ScreenResult, out: str | Path) -> dict[str, Path]:
    """Write ``alerts.csv``, ``alerts.json`` and ``new_clusters.csv`` into the folder ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"alerts_csv": out / "alerts.csv", "alerts_json": out / "alerts.json",
             "clusters_csv": out / "new_clusters.csv"}
    write_csv(res.alerts, paths["alerts_csv"])
    ev_by = {k: _records(g.drop(columns=["alert_id"])) for k, g in res.evidence.groupby("alert_id")} \
        if len(res.evidence) else {}
    alerts = _records(res.alerts)
    for a in alerts:
        a["evidence"] = ev_by.get(a["alert_id"], [])
    doc = {"screen": {"graphring_version": graphring.__version__, **res.summary, "timings_s": res.timings},
           "alerts": alerts, "new_clusters": res.clusters}
    paths["alerts_json"].write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n",
                                    encoding="utf-8")
    rows = [{"cluster_id": c["cluster_id"], "score": c["score"], "borrower": b,
             "links": ";".join(sorted(c["links"])), "known_rings": ";".join(c["known_rings"])}
            for c in res.clusters for b in c["borrowers"]]
    write_csv(pd.DataFrame(rows, columns=["cluster_id", "score", "borrower", "links", "known_rings"]),
              paths["clusters_csv"])
    return paths


_SPLIT_COLS = {"borrowers": ("borrower_id",), "complaints": ("borrower_id",), "loans": ("borrower_id",),
               "devices": ("borrower_id",), "accounts": ("borrower_id",), "contacts": ("borrower_id",),
               "phone_events": ("borrower_id",), "company_roles": ("person_id",), "payments": ("payer", "payee")}


def split_folder(data_dir: str | Path, new_borrowers, old_out: str | Path, new_out: str | Path) -> dict:
    """Split a data folder of CSV tables (contract headers) into "old" and "new" records.

    Every row about one of ``new_borrowers`` (and payments of their loans) goes to
    ``new_out``; everything else to ``old_out`` (companies stay there). Used to test
    and benchmark screening: run rings on the old part, screen the new part.

    Returns
    -------
    dict
        Rows written per table: ``{table: [old, new]}``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "in").mkdir()
    >>> pd.DataFrame({"borrower_id": ["B1", "B2"]}).to_csv(d / "in" / "borrowers.csv", index=False)
    >>> pd.DataFrame({"complaint_id": ["C1", "C2"], "borrower_id": ["B1", "B2"]}).to_csv(
    ...     d / "in" / "complaints.csv", index=False)
    >>> split_folder(d / "in", ["B2"], d / "old", d / "new")
    {'borrowers': [1, 1], 'complaints': [1, 1]}
    """
    src = Path(data_dir)
    new = set(new_borrowers)
    old_out, new_out = Path(old_out), Path(new_out)
    old_out.mkdir(parents=True, exist_ok=True)
    new_out.mkdir(parents=True, exist_ok=True)
    frames = {}
    for p in sorted(src.glob("*.csv")):
        frames[p.stem] = pd.read_csv(p, dtype=str, keep_default_na=False)
    new_loans = set()
    if "loans" in frames:
        lo = frames["loans"]
        new_loans = set(lo.loc[lo["borrower_id"].isin(new), "loan_id"])
    counts = {}
    for name, df in frames.items():
        mask = pd.Series(False, index=df.index)
        for c in _SPLIT_COLS.get(name, ()):
            if c in df.columns:
                mask |= df[c].isin(new)
        if name == "payments" and "loan_id" in df.columns:
            mask |= df["loan_id"].isin(new_loans)
        # input for graphring: values as given, but a "\r" inside one quoted (it would split the row)
        write_csv(df[~mask], old_out / f"{name}.csv", formulas=False)
        if mask.any():
            write_csv(df[mask], new_out / f"{name}.csv", formulas=False)
        counts[name] = [int((~mask).sum()), int(mask.sum())]
    return counts
