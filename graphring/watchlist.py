"""Watchlists shared between institutions without sharing personal data.

Values are normalised first (so two banks' spellings of one phone give one
value) and pseudonymised as ``hmac:<hex>``: HMAC-SHA256 under a key the
participating institutions share, over ``kind|normalised value``. The key is
read from a file or an environment variable by the caller and never printed or
written.

Examples
--------
>>> key = bytes(range(32))
>>> a = pseudonymise("phone", "138 1234 5678", key)
>>> b = pseudonymise("phone", "+86-138-1234-5678", key)
>>> a == b and a.startswith("hmac:")
True
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import pandas as pd

from graphring.errors import GraphringError

__all__ = ["load_key", "normalise_value", "pseudonymise", "match_incidence", "KIND_OF_ENTITY", "MIN_KEY_BYTES"]

MIN_KEY_BYTES = 32

#: Watchlist kind of each entity kind (the contract's watchlist kinds).
KIND_OF_ENTITY = {"phone": "phone", "device": "device", "account": "account", "company": "company",
                  "borrower": "person", "person": "person", "attachment": "attachment", "agent": "agent",
                  "intermediary": "intermediary"}


class KeyError_(GraphringError):
    """The HMAC key is missing or unusable."""


def load_key(key_file: str | Path | None = None, env: str = "GRAPHRING_HMAC_KEY") -> bytes:
    """Read the shared HMAC key from a file, or from the environment variable ``env``.

    The key is hex (64+ hex digits) or raw bytes of at least 32 bytes. The error
    messages never contain the key.
    """
    raw: bytes | None = None
    if key_file is not None:
        p = Path(key_file)
        if not p.is_file():
            raise KeyError_(f"key file not found: {p}")
        raw = p.read_bytes().strip()
    elif os.environ.get(env):
        raw = os.environ[env].encode().strip()
    if not raw:
        raise KeyError_(f"no HMAC key: give --key-file FILE or set {env} (32 random bytes, e.g. 64 hex digits)")
    try:
        txt = raw.decode("ascii")
        if all(c in "0123456789abcdefABCDEF" for c in txt) and len(txt) % 2 == 0:
            raw = bytes.fromhex(txt)
    except UnicodeDecodeError:
        pass
    if len(raw) < MIN_KEY_BYTES:
        raise KeyError_(f"the HMAC key is too short: {len(raw)} bytes, need at least {MIN_KEY_BYTES} "
                        "(64 hex digits)")
    return raw


def normalise_value(kind: str, value) -> str | None:
    """Normalise one watchlist value as the loaders normalise that kind of identifier.

    Examples
    --------
    >>> normalise_value("phone", "0086 138-1234-5678")
    '+8613812345678'
    """
    from graphring import normalize as nz

    s = pd.Series([value], dtype=object)
    fn = {"phone": nz.normalize_phone, "device": nz.normalize_device_id, "account": nz.normalize_account,
          "company": nz.normalize_uscc}.get(kind, nz.normalize_text_key)
    r = fn(s)
    v = r["value"].iloc[0]
    st = r["status"].iloc[0]
    if st not in ("ok", "bad_check") or v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    v = str(v)
    return v.lower() if kind == "attachment" else v


def pseudonymise(kind: str, value, key: bytes) -> str | None:
    """``hmac:<hex>`` of a normalised value (None for junk or empty values)."""
    v = normalise_value(kind, value)
    if v is None:
        return None
    return "hmac:" + hmac.new(key, f"{kind}|{v}".encode("utf-8"), hashlib.sha256).hexdigest()


def _hash_series(kind: pd.Series, value: pd.Series, key: bytes) -> pd.Series:
    pairs = pd.unique(kind.astype(str) + "|" + value.astype(str))
    m = {p: "hmac:" + hmac.new(key, p.encode("utf-8"), hashlib.sha256).hexdigest() for p in pairs}
    return (kind.astype(str) + "|" + value.astype(str)).map(m)


def match_incidence(inc: pd.DataFrame, wl: pd.DataFrame, key: bytes | None) -> pd.DataFrame:
    """Incidence rows whose identifier is on the watchlist (raw or hashed).

    Returns the matching incidence rows with ``label`` and ``source`` of the list entry.
    """
    if not len(inc) or not len(wl):
        return inc.iloc[0:0].assign(label=pd.Series(dtype=object), source=pd.Series(dtype=object))
    kind = inc["ident"].str.split(":", n=1).str[0]
    val = inc["ident"].str.split(":", n=1).str[1]
    wkind = kind.map(KIND_OF_ENTITY)
    inc = inc.assign(_wk=wkind, _v=val)
    inc = inc[inc["_wk"].notna()]
    wl = wl.copy()
    wl["label"] = wl["label"] if "label" in wl.columns else None
    wl["source"] = wl["source"] if "source" in wl.columns else None
    hashed = wl["value"].astype(str).str.startswith("hmac:")
    raw = wl[~hashed].copy()
    raw["_v"] = [normalise_value(k, v) for k, v in zip(raw["kind"], raw["value"])]
    raw = raw.dropna(subset=["_v"]).rename(columns={"kind": "_wk"})
    out = [inc.merge(raw[["_wk", "_v", "label", "source"]], on=["_wk", "_v"])]
    if key is not None and hashed.any():
        h = wl[hashed].rename(columns={"kind": "_wk", "value": "_h"})
        inc2 = inc.assign(_h=_hash_series(inc["_wk"], inc["_v"], key))
        out.append(inc2.merge(h[["_wk", "_h", "label", "source"]], on=["_wk", "_h"]).drop(columns="_h"))
    m = pd.concat(out, ignore_index=True)
    return m.drop(columns=["_wk", "_v"]).drop_duplicates(["borrower", "ident", "table", "row"])
