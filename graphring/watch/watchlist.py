"""Watchlists shared between institutions without sharing personal data.

Values are normalised first (so two banks' spellings of one phone give one
value) and pseudonymised as ``hmac:<hex>``: HMAC-SHA256 under a key the
participating institutions share, over ``kind|normalised value``. The key is
read from a file or an environment variable by the caller and is never printed,
logged, written to a file or put into an exception message.

What is exported (:func:`export_watchlist`): the identifiers that tie a found
ring together and belong to the organisers rather than to one victim — complaint
phones, agents, devices, attachment hashes, shell companies, intermediaries and
registration agents, broker and repayer accounts, phones bound or named as contact
by several members. Borrower ids (meaningless at another lender), IPs, home
addresses, e-mails and the lender's own officers are never exported.

A list of ``hmac:`` values carries the key's fingerprint (:func:`key_fingerprint`,
column ``key_fingerprint``): an HMAC of a fixed label under the key, which tells
whether two parties hold the same key and nothing about the key. Matching a list
with a key of another fingerprint is an error (:func:`check_key`), not zero matches.

A watchlist is matched (:func:`match_incidence`) against borrower-identifier ties
by raw value (normalised the same way) and by ``hmac:`` value (hashed with the
key); the two can be mixed in one list.

Examples
--------
>>> key = bytes(range(32))
>>> a = pseudonymise("phone", "138 1234 5678", key)
>>> b = pseudonymise("phone", "+86-138-1234-5678", key)
>>> a == b and a.startswith("hmac:")
True
>>> pseudonymise("phone", "０086 13812345678", key) == a
True
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from graphring import normalize as nz
from graphring.config import DEFAULTS
from graphring.detect.projection import LINKS
from graphring.errors import HmacKeyError, InputError
from graphring.files.safecsv import restore_frame, write_csv
from graphring.ingest import readers as rd
from graphring.ingest.validate import validate_raw
from graphring.run import INCIDENCE, read_run

__all__ = ["load_key", "normalise_value", "normalise_values", "pseudonymise", "pseudonymise_many",
           "match_incidence", "read_watchlist", "export_watchlist", "write_watchlist", "list_summary", "HmacKeyError",
           "KIND_OF_ENTITY", "EXPORT_LINKS", "COMMONPLACE_LINKS", "WATCHLIST_COLUMNS", "MIN_KEY_BYTES", "MAX_KEY_BYTES",
           "key_fingerprint", "check_key", "FINGERPRINT_LABEL", "watchlist_and_key", "key_for"]

MIN_KEY_BYTES = 32
MAX_KEY_BYTES = 64
WATCHLIST_COLUMNS = ["kind", "value", "label", "source", "key_fingerprint", "ring_id", "typology", "score",
                     "min_score"]

#: Link kinds whose identifiers are commonplace (an employer, a registration agent, an
#: address serves many honest people too): exported only when asked (``commonplace=True``).
COMMONPLACE_LINKS = frozenset({"employer", "company_agent", "company_address", "home_address"})
#: The fixed message whose HMAC under the shared key is the key's fingerprint.
FINGERPRINT_LABEL = b"graphring watchlist key fingerprint v1"

#: Watchlist kind of each entity kind (the contract's watchlist kinds). Registration
#: agents (代理记账/工商代办) are intermediary institutions, listed as ``intermediary``.
KIND_OF_ENTITY = {"phone": "phone", "device": "device", "account": "account", "company": "company",
                  "borrower": "person", "person": "person", "attachment": "attachment", "agent": "agent",
                  "intermediary": "intermediary", "registration_agent": "intermediary"}

#: Link kinds (see :data:`graphring.detect.projection.LINKS`) whose shared identifiers are
#: exported: the traces an agency, intermediary or shell leaves, not a victim's own data.
EXPORT_LINKS = frozenset({"complaint_phone", "agent", "attachment", "device", "account", "repayer",
                          "payment_party", "bound_phone", "contact_phone", "intermediary", "counterparty",
                          "employer", "company_agent"})

_HEX = re.compile(r"^[0-9a-fA-F]+$")


KeyError_ = HmacKeyError  # backwards-compatible name


def _parse_key(raw: bytes, where: str) -> bytes:
    """Key bytes from file or environment content: hex text, or raw random bytes."""
    text = None
    try:
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        pass
    if text is not None and text and all(32 <= ord(c) < 127 for c in text):
        if not _HEX.match(text):
            raise HmacKeyError(f"the HMAC key in {where} is not hexadecimal: write {MIN_KEY_BYTES} random bytes "
                               f"as {2 * MIN_KEY_BYTES} hex digits (e.g. `python -c \"import secrets; "
                               f"print(secrets.token_hex(32))\"`)")
        if len(text) % 2:
            raise HmacKeyError(f"the HMAC key in {where} has an odd number of hex digits ({len(text)}); "
                               f"it must be {2 * MIN_KEY_BYTES} to {2 * MAX_KEY_BYTES} hex digits")
        key = bytes.fromhex(text)
    else:
        if where.startswith("environment"):
            raise HmacKeyError(f"the HMAC key in {where} must be hex digits")
        key = raw
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise HmacKeyError(f"the HMAC key in {where} has the wrong length: {len(key)} bytes, need "
                           f"{MIN_KEY_BYTES} to {MAX_KEY_BYTES} ({2 * MIN_KEY_BYTES} to {2 * MAX_KEY_BYTES} hex "
                           "digits); every participating institution must use the same key")
    return key


def load_key(key_file: str | Path | None = None, env: str = "GRAPHRING_HMAC_KEY",
             environ: dict | None = None) -> bytes:
    """Read the shared HMAC key from a file, or else from the environment variable ``env``.

    The key is hex text (64 to 128 hex digits, surrounding whitespace ignored) or
    a binary file of 32 to 64 random bytes. Error messages name where the key
    was looked for, never its content.

    Parameters
    ----------
    key_file : path, optional
        File holding the key. Takes precedence over the environment.
    env : str
        Name of the environment variable read when no file is given.
    environ : mapping, optional
        Environment to read (default ``os.environ``).

    Returns
    -------
    bytes

    Raises
    ------
    HmacKeyError
        No key, unreadable file, not hex, or wrong length.

    Examples
    --------
    >>> len(load_key(environ={"GRAPHRING_HMAC_KEY": "ab" * 32}))
    32
    >>> load_key(environ={})
    Traceback (most recent call last):
    ...
    graphring.errors.HmacKeyError: no HMAC key: give --key-file FILE or set GRAPHRING_HMAC_KEY ...
    >>> load_key(environ={"GRAPHRING_HMAC_KEY": "ab" * 8})
    Traceback (most recent call last):
    ...
    graphring.errors.HmacKeyError: the HMAC key in environment variable GRAPHRING_HMAC_KEY has the wrong length: 8 bytes, ...
    """
    environ = os.environ if environ is None else environ
    if key_file is not None:
        p = Path(key_file)
        if not p.is_file():
            raise HmacKeyError(f"key file not found: {p}")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise HmacKeyError(f"cannot read key file {p}: {type(exc).__name__}") from None
        if not raw.strip():
            raise HmacKeyError(f"key file {p} is empty")
        return _parse_key(raw, f"key file {p}")
    val = environ.get(env)
    if not val or not str(val).strip():
        raise HmacKeyError(f"no HMAC key: give --key-file FILE or set {env} (32 random bytes as 64 hex digits, "
                           "the same key at every participating institution)")
    return _parse_key(str(val).encode("utf-8", "replace"), f"environment variable {env}")


# ---------------------------------------------------------------------------------------
# normalisation and pseudonymisation
# ---------------------------------------------------------------------------------------

def _normalise_kind(kind: str, s: pd.Series) -> pd.Series:
    """Normalised values of one watchlist kind (NA for junk, missing or invalid)."""
    if kind in ("agent", "intermediary"):
        # an agent or intermediary given as a phone number is keyed as that phone
        txt = nz.normalize_text_key(s)
        ph = nz.normalize_phone(s)
        v = txt["value"].where(txt["status"] == "ok")
        is_phone = (ph["status"] == "ok").to_numpy() & ph["kind"].isin(["mobile", "fixed"]).to_numpy()
        v = v.where(~is_phone, ph["value"])
        v.index = s.index
        return v.astype(object)
    fn = {"phone": nz.normalize_phone, "device": nz.normalize_device_id, "account": nz.normalize_account,
          "company": nz.normalize_uscc}.get(kind, nz.normalize_text_key)
    r = fn(s)
    v = r["value"].where(r["status"].isin(["ok", "bad_check"]))
    v.index = s.index
    v = v.astype(object)
    if kind == "attachment":
        v = v.str.lower()
    return v


def normalise_values(kinds, values) -> pd.Series:
    """Vectorised :func:`normalise_value` over aligned kinds and values.

    Examples
    --------
    >>> normalise_values(["phone", "agent", "device"], ["0086 138-1234-5678", " 张 律师", "000000000000000"]).tolist()
    ['+8613812345678', '张律师', None]
    """
    k = pd.Series(list(kinds), dtype=object).astype(str).str.strip().str.lower()
    v = pd.Series(list(values), dtype=object)
    out = pd.Series([None] * len(v), index=v.index, dtype=object)
    for kind, idx in k.groupby(k).groups.items():
        sub = v.loc[idx]
        if not len(sub):
            continue
        # normalise each distinct value once
        u = pd.Series(pd.unique(sub.astype(object)), dtype=object)
        nu = _normalise_kind(kind, u)
        m = dict(zip(u.tolist(), nu.tolist()))
        out.loc[idx] = sub.map(lambda x: m.get(x)).to_numpy()
    return out.where(out.notna(), None)


def normalise_value(kind: str, value) -> str | None:
    """Normalise one watchlist value as the loaders normalise that kind of identifier.

    Examples
    --------
    >>> normalise_value("phone", "0086 138-1234-5678")
    '+8613812345678'
    >>> normalise_value("attachment", "ABCDEF0123456789")
    'abcdef0123456789'
    >>> normalise_value("intermediary", "138 1234 5678")
    '+8613812345678'
    >>> normalise_value("device", "unknown") is None
    True
    """
    return normalise_values([kind], [value]).iloc[0]


def _digest(key: bytes, kind: str, v: str) -> str:
    return "hmac:" + hmac.new(key, f"{kind}|{v}".encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonymise(kind: str, value, key: bytes) -> str | None:
    """``hmac:<hex>`` of a normalised value (None for junk or empty values).

    Examples
    --------
    >>> pseudonymise("device", "unknown", bytes(32)) is None
    True
    """
    v = normalise_value(kind, value)
    if v is None:
        return None
    return _digest(key, kind, v)


def pseudonymise_many(kinds, values, key: bytes, normalised: bool = False) -> pd.Series:
    """``hmac:<hex>`` of many values (None where a value is junk or empty).

    Parameters
    ----------
    kinds, values : sequences
        Watchlist kinds and values, aligned.
    key : bytes
    normalised : bool
        True when values are already normalised (skips normalisation).

    Examples
    --------
    >>> k = bytes(range(32))
    >>> h = pseudonymise_many(["phone", "phone"], ["13812345678", "+86 138 1234 5678"], k)
    >>> h.iloc[0] == h.iloc[1] == pseudonymise("phone", "138-1234-5678", k)
    True
    """
    kinds = pd.Series(list(kinds), dtype=object).astype(str).str.strip().str.lower()
    vals = pd.Series(list(values), dtype=object) if normalised else normalise_values(kinds, values)
    ok = vals.notna()
    pairs = kinds[ok] + "|" + vals[ok].astype(str)
    uniq = pd.unique(pairs)
    m = {p: "hmac:" + hmac.new(key, p.encode("utf-8"), hashlib.sha256).hexdigest() for p in uniq}
    out = pd.Series([None] * len(vals), index=vals.index, dtype=object)
    out[ok] = pairs.map(m)
    return out


def key_fingerprint(key: bytes) -> str:
    """``kfp:<16 hex>``: HMAC-SHA256 of :data:`FINGERPRINT_LABEL` under ``key`` (never the key itself).

    Two institutions holding the same key get the same fingerprint; the
    fingerprint does not help to find the key or to hash any identifier.

    Examples
    --------
    >>> key_fingerprint(bytes(range(32))) == key_fingerprint(bytes(range(32)))
    True
    >>> key_fingerprint(bytes(range(32))) != key_fingerprint(bytes(32)), key_fingerprint(bytes(32))[:4]
    (True, 'kfp:')
    """
    return "kfp:" + hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def hashed_values(wl: pd.DataFrame | None) -> pd.Series:
    """Which values of a list are ``hmac:`` pseudonyms (any case, surrounding spaces allowed).

    Examples
    --------
    >>> hashed_values(pd.DataFrame({"value": ["hmac:ab", " HMAC:cd", "13812345678", None]})).tolist()
    [True, True, False, False]
    """
    if wl is None or not len(wl) or "value" not in wl.columns:
        return pd.Series(dtype=bool)
    v = wl["value"]
    return v.notna() & v.astype(str).str.strip().str.lower().str.startswith("hmac:")


def needs_key(wl: pd.DataFrame | None) -> bool:
    """Whether matching a list needs the shared HMAC key: it holds ``hmac:`` values (the one check).

    Examples
    --------
    >>> needs_key(pd.DataFrame({"value": ["HMAC:ab"]})), needs_key(pd.DataFrame({"value": ["1"]})), needs_key(None)
    (True, False, False)
    """
    return bool(hashed_values(wl).any())


def check_key(wl: pd.DataFrame | None, key: bytes | None, where: str = "the watchlist") -> None:
    """Raise :class:`HmacKeyError` when a list's ``hmac:`` values were made with another key than ``key``.

    Lists without a ``key_fingerprint`` column (made before graphring wrote
    one, or by another tool) cannot be checked and pass.

    Examples
    --------
    >>> k = bytes(range(32))
    >>> wl = pd.DataFrame({"kind": ["phone"], "value": ["hmac:ab"], "key_fingerprint": [key_fingerprint(k)]})
    >>> check_key(wl, k)
    >>> check_key(wl, bytes(32), "list.csv")
    Traceback (most recent call last):
    ...
    graphring.errors.HmacKeyError: list.csv was pseudonymised with another HMAC key (key fingerprint kfp:..., ...
    """
    if wl is None or not len(wl) or "key_fingerprint" not in wl.columns or "value" not in wl.columns:
        return
    hashed = hashed_values(wl)
    fps = sorted({str(f).strip() for f in wl.loc[hashed, "key_fingerprint"] if isinstance(f, str) and f.strip()})
    if not fps:
        return
    if key is None:
        raise HmacKeyError(f"{where} holds hmac: values: give the shared key (--key-file FILE or "
                           "GRAPHRING_HMAC_KEY) to match them")
    mine = key_fingerprint(key)
    other = [f for f in fps if f != mine]
    if other:
        n = int(wl.loc[hashed, "key_fingerprint"].astype(str).str.strip().isin(other).sum())
        raise HmacKeyError(f"{where} was pseudonymised with another HMAC key (key fingerprint {', '.join(other)}, "
                           f"{n} value(s)); the key given has fingerprint {mine}: matching would find nothing. "
                           "Use the key the list was made with")



def watchlist_and_key(watchlist: str | Path | None, key_file: str | Path | None) -> tuple[pd.DataFrame | None, bytes | None]:
    """The watchlist and HMAC key ``graphring rings --watchlist F [--key-file K]`` matches with.

    Without a list, the key is still read when a key file is given or ``GRAPHRING_HMAC_KEY`` is set
    (a ``watchlist`` table inside the data folder may hold ``hmac:`` values). With a list, the key is
    read when a key file is given or the list needs one, and checked against the list's key
    fingerprint before the run: a list made with another key is an error, not zero matches.
    """
    if watchlist is None:
        if key_file is not None or os.environ.get("GRAPHRING_HMAC_KEY"):
            return None, load_key(key_file)
        return None, None
    wl = read_watchlist(watchlist)  # graphring.ingest.readers.read_table, headers matched, rows validated
    key = load_key(key_file) if key_file is not None or needs_key(wl) else None
    check_key(wl, key, str(watchlist))
    return wl, key


def key_for(key_file: str | Path | None, lists: list[pd.DataFrame]) -> bytes | None:
    """The HMAC key ``graphring screen`` matches ``lists`` with: read when a key file is given, a list
    needs it, or ``GRAPHRING_HMAC_KEY`` is set; ``None`` otherwise.
    """
    if key_file is not None or any(needs_key(w) for w in lists):
        return load_key(key_file)
    if os.environ.get("GRAPHRING_HMAC_KEY"):
        return load_key(None)
    return None

# ---------------------------------------------------------------------------------------
# matching
# ---------------------------------------------------------------------------------------

def _prepare_list(wl: pd.DataFrame) -> pd.DataFrame:
    if "kind" not in wl.columns or "value" not in wl.columns:
        raise InputError("a watchlist needs the columns kind and value (and optionally label, source)")
    wl = wl.copy()
    for c in ("label", "source", "key_fingerprint"):
        if c not in wl.columns:
            wl[c] = None
    wl = wl[wl["kind"].notna() & wl["value"].notna()]
    wl["kind"] = wl["kind"].astype(str).str.strip().str.lower()
    wl["value"] = wl["value"].astype(str).str.strip()
    return wl


def match_incidence(inc: pd.DataFrame, wl: pd.DataFrame, key: bytes | None) -> pd.DataFrame:
    """Incidence rows whose identifier is on the watchlist (raw or hashed).

    Parameters
    ----------
    inc : DataFrame
        ``borrower, ident, link, table, row`` (``ident`` is ``kind:key``), as
        :func:`graphring.detect.projection.incidence` returns.
    wl : DataFrame
        ``kind, value[, label, source]``; values raw or ``hmac:<hex>``.
    key : bytes or None
        Needed when the list holds ``hmac:`` values.

    Returns
    -------
    DataFrame
        The matching incidence rows with ``label``, ``source`` of the list entry
        and ``listed`` (``raw`` or ``hmac``).

    Raises
    ------
    HmacKeyError
        The list holds ``hmac:`` values and no key was given (silently matching
        nothing would hide every shared entry).

    Examples
    --------
    >>> k = bytes(range(32))
    >>> inc = pd.DataFrame({"borrower": ["B1", "B2"], "ident": ["phone:+8613812345678", "device:abc123"],
    ...                     "link": ["complaint_phone", "device"], "table": "complaints", "row": [2, 3]})
    >>> wl = pd.DataFrame({"kind": ["phone"], "value": [pseudonymise("phone", "138 1234 5678", k)],
    ...                    "label": ["agency"]})
    >>> match_incidence(inc, wl, k)[["borrower", "label", "listed"]].values.tolist()
    [['B1', 'agency', 'hmac']]
    >>> wl2 = pd.DataFrame({"kind": ["device"], "value": ["ABC123"]})
    >>> match_incidence(inc, wl2, None)["borrower"].tolist()
    ['B2']
    """
    empty = inc.iloc[0:0].assign(label=pd.Series(dtype=object), source=pd.Series(dtype=object),
                                 listed=pd.Series(dtype=object))
    if wl is None or not len(wl):
        return empty
    wl = _prepare_list(wl)
    hashed = hashed_values(wl)
    if hashed.any() and key is None:
        raise HmacKeyError(f"the watchlist holds {int(hashed.sum())} hmac: value(s): give the shared key "
                           "(--key-file FILE or GRAPHRING_HMAC_KEY) to match them")
    check_key(wl, key)
    if not len(inc):
        return empty
    parts = inc["ident"].astype(str).str.split(":", n=1)
    kind = parts.str[0]
    val = parts.str[1]
    wkind = kind.map(KIND_OF_ENTITY)
    keep = wkind.notna().to_numpy()
    inc = inc[keep].assign(_wk=wkind[keep].to_numpy(), _v=val[keep].to_numpy())
    if not len(inc):
        return empty
    # agents and intermediaries given as phone numbers: key them as phones on both sides
    ai = inc["_wk"].isin(["agent", "intermediary"])
    if ai.any():
        orig = inc.loc[ai, "_v"].to_numpy()
        nv = normalise_values(inc.loc[ai, "_wk"], orig).to_numpy()
        inc.loc[ai, "_v"] = np.where(pd.isna(nv), orig, nv)
    out = []
    raw = wl[~hashed].copy()
    if len(raw):
        raw["_v"] = normalise_values(raw["kind"], raw["value"]).to_numpy()
        raw = raw.dropna(subset=["_v"]).rename(columns={"kind": "_wk"})
        raw = raw.drop_duplicates(["_wk", "_v"])
        out.append(inc.merge(raw[["_wk", "_v", "label", "source"]], on=["_wk", "_v"]).assign(listed="raw"))
    if hashed.any():
        h = wl[hashed].assign(_h=lambda d: "hmac:" + d["value"].str[5:].str.lower())
        h = h.rename(columns={"kind": "_wk"}).drop_duplicates(["_wk", "_h"])
        kinds_listed = set(h["_wk"])
        sub = inc[inc["_wk"].isin(kinds_listed)]
        if len(sub):
            sub = sub.assign(_h=pseudonymise_many(sub["_wk"], sub["_v"], key, normalised=True).to_numpy())
            out.append(sub.merge(h[["_wk", "_h", "label", "source"]], on=["_wk", "_h"]).drop(columns="_h")
                       .assign(listed="hmac"))
    if not out:
        return empty
    m = pd.concat(out, ignore_index=True)
    return m.drop(columns=["_wk", "_v"]).drop_duplicates(["borrower", "ident", "table", "row"]).reset_index(drop=True)


def read_watchlist(path: str | Path) -> pd.DataFrame:
    """Read and validate a watchlist file (CSV in UTF-8/GB18030, XLSX or Parquet; English or Chinese headers).

    Returns the validated table (``kind, value, label, source, _row``).

    Raises
    ------
    InputError
        Missing file or missing required columns.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"watchlist file not found: {p}")
    try:
        df, enc, _ = rd.read_table(p)
        if enc is not None:
            df = restore_frame(df)  # a CSV: undo the spreadsheet escaping of write_watchlist
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{p}: cannot read the watchlist ({type(exc).__name__})") from None
    probs: list = []
    df, _, _ = rd.match_headers("watchlist", df, str(p), {}, probs)
    missing = [c for c in ("kind", "value") if c not in df.columns]
    if missing:
        raise InputError(f"{p}: watchlist column(s) missing: {', '.join(missing)} (need kind,value[,label,source])")
    v = validate_raw(rd.RawData(str(p), {"watchlist": rd.RawTable("watchlist", p.name, df, len(df))}, probs))
    return v.tables.get("watchlist", pd.DataFrame(columns=WATCHLIST_COLUMNS))


# ---------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------

def _run_source(run_dir: Path) -> str:
    h = hashlib.sha256((run_dir / "rings.json").read_bytes()).hexdigest()[:12]
    return f"graphring run {h}"


def export_watchlist(run_dir: str | Path, key: bytes | None = None, min_score: float | None = None,
                     reveal: bool = False, source: str | None = None, commonplace: bool = False) -> pd.DataFrame:
    """The identifiers of the rings a report would show, as a watchlist table.

    Columns ``kind, value, label, source, key_fingerprint`` and, for each entry,
    the ring it comes from (``ring_id``, ``typology``, ``score``) and the floor
    the list was cut at (``min_score``), so a receiver sees what the list rests on.

    Parameters
    ----------
    run_dir : path
        Run directory written by ``graphring rings``.
    key : bytes, optional
        Shared HMAC key; values become ``hmac:<hex>``. Required unless ``reveal``.
    min_score : float, optional
        Only rings scoring at least this; default the run's own ``min_score``
        (the rings its report shows).
    reveal : bool
        Write raw (normalised) values instead of pseudonyms. For internal lists only.
    source : str, optional
        The ``source`` column (default: ``graphring run <hash of rings.json>``).
    commonplace : bool
        Also export identifiers tied only by commonplace links (employers,
        registration agents, addresses: :data:`COMMONPLACE_LINKS`).

    Returns
    -------
    DataFrame
        One row per identifier (the highest-scoring ring's label when an identifier
        ties several rings), sorted by kind then value.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "state").mkdir()
    >>> for name in ("rings.json", "manifest.json"):
    ...     _ = (d / name).write_text(json.dumps({"run": {}, "rings": []}))
    >>> pd.DataFrame({"ring_id": ["R0001"] * 4, "score": [0.9] * 4, "typology": ["proxy_complaint"] * 4,
    ...               "kind": ["borrower", "borrower", "phone", "ip"], "id": ["B1", "B2", "+8613812345678", "1.2.3.4"],
    ...               "role": ["member", "member", "hub_phone", "member"]}).to_csv(d / "ring_members.csv", index=False)
    >>> pd.DataFrame({"borrower": ["B1", "B2", "B1", "B2"], "ident": ["phone:+8613812345678"] * 2 + ["ip:1.2.3.4"] * 2,
    ...               "link": ["complaint_phone"] * 2 + ["ip"] * 2, "table": "complaints", "row": [2, 3, 4, 5],
    ...               "n": 2}).to_parquet(d / "state" / "incidence.parquet")
    >>> wl = export_watchlist(d, bytes(range(32)), source="bank A")
    >>> wl[["kind", "label", "source", "ring_id", "score", "min_score"]].values.tolist()
    [['phone', 'proxy_complaint hub_phone (complaint_phone)', 'bank A', 'R0001', '0.900', '0.200']]
    >>> len(export_watchlist(d, bytes(range(32)), min_score=0.95))
    0
    >>> wl["value"].iloc[0] == pseudonymise("phone", "13812345678", bytes(range(32)))
    True
    """
    if key is None and not reveal:
        raise HmacKeyError("exporting a shareable watchlist needs the shared HMAC key (--key-file FILE or "
                           "GRAPHRING_HMAC_KEY); raw values are written only with --reveal")
    run = read_run(run_dir)
    d = run.dir
    if min_score is None:
        min_score = float((run.rings.get("run") or {}).get("min_score", DEFAULTS["min_score"]))
    mem = run.members
    if not len(mem):
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    mem = mem.assign(score=pd.to_numeric(mem["score"], errors="coerce").fillna(0.0))
    mem = mem[mem["score"] >= min_score]
    ents = mem[mem["kind"].isin([k for k in KIND_OF_ENTITY if k not in ("borrower", "person")])]
    if not len(ents):
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    bor = mem[mem["kind"] == "borrower"][["ring_id", "id"]].rename(columns={"id": "borrower"})
    ident = ents["kind"] + ":" + ents["id"]
    inc = run.read_state(INCIDENCE, columns=["borrower", "ident", "link"], filters=[("ident", "in", sorted(set(ident)))])
    # link kinds by which each entity ties members of *its* ring
    inc = inc.merge(bor, on="borrower")
    e = ents.assign(ident=ident.to_numpy())[["ring_id", "score", "typology", "kind", "id", "role", "ident"]]
    e = e.merge(inc[["ring_id", "ident", "link"]].drop_duplicates(), on=["ring_id", "ident"])
    e = e[e["link"].isin(EXPORT_LINKS if commonplace else EXPORT_LINKS - COMMONPLACE_LINKS)]
    if not len(e):
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    e = e.assign(w=e["link"].map({k: v.weight for k, v in LINKS.items()}).fillna(0.0))
    links = (e.sort_values(["w", "link"], ascending=[False, True]).groupby(["ring_id", "ident"], sort=False)["link"]
             .agg(lambda s: "/".join(dict.fromkeys(s))))
    e = e.drop_duplicates(["ring_id", "ident"]).merge(links.rename("links").reset_index(), on=["ring_id", "ident"])
    e = e.sort_values(["score", "ring_id"], ascending=[False, True], kind="stable")
    e["wkind"] = e["kind"].map(KIND_OF_ENTITY)
    e["norm"] = normalise_values(e["wkind"], e["id"]).to_numpy()
    e = e[e["norm"].notna()].drop_duplicates(["wkind", "norm"])
    src = source if source is not None else _run_source(d)
    out = pd.DataFrame({
        "kind": e["wkind"].to_numpy(),
        "value": (e["norm"].to_numpy() if reveal else
                  pseudonymise_many(e["wkind"], e["norm"], key, normalised=True).to_numpy()),
        "label": (e["typology"] + " " + np.where(e["kind"] == "registration_agent", "registration_agent",
                                                 e["role"].fillna("member")) + " (" + e["links"] + ")").to_numpy(),
        "source": src,
        "key_fingerprint": "" if reveal else key_fingerprint(key),
        "ring_id": e["ring_id"].astype(str).to_numpy(),
        "typology": e["typology"].astype(str).to_numpy(),
        "score": [f"{x:.3f}" for x in e["score"]],
        "min_score": f"{float(min_score):.3f}",
    })
    return out.sort_values(["kind", "value"], kind="stable").reset_index(drop=True)


def write_watchlist(wl: pd.DataFrame, out: str | Path) -> Path:
    """Write a watchlist table as UTF-8 CSV (:data:`WATCHLIST_COLUMNS`) and return the path."""
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    wl = wl.assign(**{c: "" for c in WATCHLIST_COLUMNS if c not in wl.columns})
    write_csv(wl[WATCHLIST_COLUMNS], out)
    return out


def list_summary(wl: pd.DataFrame) -> dict:
    """Counts by kind (for printing; never the values).

    Examples
    --------
    >>> list_summary(pd.DataFrame({"kind": ["phone", "phone", "agent"], "value": ["a", "b", "c"]}))
    {'agent': 1, 'phone': 2}
    """
    return {str(k): int(v) for k, v in wl["kind"].value_counts().sort_index().items()}
