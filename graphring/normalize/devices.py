"""Device and network identifiers: IMEI/MEID, Android ids, UUIDs, MACs and IP addresses.

:func:`normalize_device_id` and :func:`normalize_imei` (IMEIs Luhn-checked with
:mod:`graphring.ingest.checkdigits`; ids many devices share are junk,
:data:`JUNK_DEVICE_IDS`); :func:`normalize_ip` (IPv4/IPv6, private ranges flagged).
"""

from __future__ import annotations

import ipaddress
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.ingest.checkdigits import luhn_ok_many as _luhn_ok
from graphring.normalize.core import (BAD_CHECK, _HEX_RE, INVALID, JUNK, OK, _STR, _TEXT_SPEC, _all_same_char, _b,
                                      _by_unique, _finish, _float_artefacts, _fm, _mt, _normaliser, _np_str, _o,
                                      _ofull, _pa_match, _per_unique, _pick, _rx, _same_chars, _slow_rest, _start, _sub)

#: Device identifiers that many unrelated devices report (compared lowercased, with
#: separators kept as written below). All-same-character ids (``000000000000000``,
#: the all-zero UUID) are junk by rule as well.
JUNK_DEVICE_IDS = frozenset({
    "9774d56d682e549c",    # Android ID shared by many Android 2.2 devices (well-known bug)
    "02:00:00:00:00:00",   # MAC address Android 6+ returns to apps
    "00:00:00:00:00:00",
    "ff:ff:ff:ff:ff:ff",
    "358240051111110",     # IMEI of the Android SDK emulator
    "123456789012345",
    "012345678912345",
})

_DEVICE_LABEL_RE = re.compile(r"^(?:imei|meid|android_?id|idfa|idfv|oaid|device_?id|设备号)\s*[:=：]\s*", re.I)
_UUID_RE = _rx(r"^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$")
_MAC_RE = _rx(r"^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}$")


def _device_slow(t: pd.Series) -> dict:
    """Every rule, for ids that are not already canonical (index 0..k-1)."""
    n = len(t)
    t = t.str.replace(_DEVICE_LABEL_RE, "", regex=True)
    low = t.str.casefold()
    status = _ofull(n, OK)
    kind = _ofull(n, "other")
    # default: opaque id (fingerprints may be case-sensitive); pure hex is lowercased
    hexy = _mt(low, _HEX_RE)
    value = np.where(hexy, _o(low), _o(t)).astype(object)

    dig, lossy = _float_artefacts(t.str.replace(_rx(r"[\s\-/]"), "", regex=True))
    digits = _fm(dig, _rx(r"\d+"))
    dlen = dig.str.len().to_numpy()
    dvals = _o(dig)

    def put(mask, vals, k):
        value[mask] = vals[mask]
        kind[mask] = k

    put(digits, dvals, "other")
    hexlen = low.str.len().to_numpy()
    put(hexy & ~digits & np.isin(hexlen, (15, 16)), _o(low), "android_id")
    put(hexy & ~digits & (hexlen == 14), _o(low), "meid")
    u = low.str.extract(_UUID_RE)
    put(_b(u[0].notna()), _o(u[0] + "-" + u[1] + "-" + u[2] + "-" + u[3] + "-" + u[4]), "uuid")
    put(_mt(low, _MAC_RE), _o(low.str.replace("-", ":", regex=False)), "mac")
    put(digits & (dlen == 14), dvals, "meid")
    put(digits & (dlen == 16), dvals, "imeisv")
    put(digits & (dlen == 15), dvals, "imei")

    too_short = np.array([v is None or len(v) < 6 for v in value], dtype=bool)
    bad = too_short | lossy
    status[bad] = INVALID
    value[bad] = None
    kind[bad] = None
    return {"value": value, "status": status, "kind": kind}


# already canonical: 15-digit IMEI, lowercase 15/16-hex Android ID, lowercase dashed UUID
_DEVICE_FAST_RE = _rx(r"\d{15}|[0-9a-f]{15,16}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def _device_fast(arr) -> tuple[np.ndarray, dict]:
    """IMEIs, Android ids and dashed UUIDs (hex in either case: the canonical form is lower)."""
    mask = _pa_match(arr, r"^(?:[0-9]{15}|[0-9a-fA-F]{15,16}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$")
    idx = np.flatnonzero(mask)
    x = _np_str(pc.ascii_lower(arr.filter(mask)))
    good = ~np.isin(x, list(JUNK_DEVICE_IDS)) & ~_same_chars([v.replace("-", "") for v in x])
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[good]] = True
    x = x[good].astype(object)
    k = len(x)
    isdig = np.fromiter((v.isdigit() for v in x), dtype=bool, count=k)
    flen = np.fromiter((len(v) for v in x), dtype=np.int64, count=k)
    kind = np.select([isdig & (flen == 15), isdig & (flen == 16), flen == 36],
                     ["imei", "imeisv", "uuid"], "android_id").astype(object)
    status = _ofull(k, OK)
    imei = np.flatnonzero(kind == "imei")
    if len(imei):
        status[imei] = np.where(_luhn_ok(x[imei]), OK, BAD_CHECK)
    return mask, {"value": x, "status": status, "kind": kind}


@_per_unique({**_TEXT_SPEC, "kind": (_STR, None)}, fast=_device_fast)
def _device_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    fast = _fm(t, _DEVICE_FAST_RE) & ~blank & ~junk
    ft = t[fast]
    isdig = _b(ft.str.isdigit())
    flen = ft.str.len().to_numpy()
    fkind = np.select([isdig & (flen == 15), isdig & (flen == 16), flen == 36],
                      ["imei", "imeisv", "uuid"], "android_id").astype(object)
    res = {"value": _ofull(n, None), "status": _ofull(n, OK),
           "kind": _ofull(n, None)}
    res["value"][fast] = _o(ft)
    res["kind"][fast] = fkind
    value, status, kind = _slow_rest(res, ~fast & ~blank & ~junk, _device_slow, t, junk)
    imei = np.flatnonzero(kind == "imei")
    if len(imei):
        status[imei] = np.where(_luhn_ok(value[imei]), OK, BAD_CHECK)
    v = pd.Series(value, dtype=object)
    junk |= _b(v.isin(JUNK_DEVICE_IDS)) | _b(low.isin(JUNK_DEVICE_IDS))
    compact = v.fillna("").str.replace("-", "", regex=False).str.replace(":", "", regex=False)
    junk |= _all_same_char(compact, 2)
    _finish(n, blank, junk, status, value, kind)
    return {"value": value, "status": status, "kind": kind}


@_normaliser("Raw device identifiers.",
             "``value``, ``status`` (``ok``, ``bad_check``, ``invalid``, ``junk``,\n"
             "``missing``), ``kind`` (``imei``, ``meid``, ``imeisv``, ``android_id``,\n"
             "``uuid``, ``mac``, ``other`` or NA).")
def normalize_device_id(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise device identifiers (IMEI, MEID, Android ID, IDFV/IDFA/OAID, MAC, fingerprint).

    Rules (``kind`` in brackets)
    ----------------------------
    * labels such as ``IMEI:`` are dropped; digits may carry spaces, dashes or a
      float ``.0``;
    * 15 digits [``imei``]: Luhn-checked, ``bad_check`` when it fails (value kept);
      14 digits or 14 hex [``meid``] (IMEI without check digit / MEID): ok;
      16 digits [``imeisv``]: ok;
    * 15-16 hex characters with a letter [``android_id``], lowercased;
    * UUID with or without dashes [``uuid``] -> lowercase 8-4-4-4-12;
    * MAC ``aa:bb:cc:dd:ee:ff`` or with dashes [``mac``] -> lowercase, colons;
    * anything else [``other``]: trimmed, lowercased when pure hex, case kept otherwise;
      fewer than 6 characters -> ``invalid``;
    * **junk**: :data:`JUNK_TOKENS`, :data:`JUNK_DEVICE_IDS` (buggy Android ID
      ``9774d56d682e549c``, the ``02:00:00:00:00:00`` MAC, the emulator IMEI ...) and
      ids of one repeated character (all-zero IMEI, all-zero UUID).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_device_id(pd.Series(["49-015420-323751-8", "490154203237519",
    ...     "E2B0F9A1-1C2D-4E5F-8A9B-0C1D2E3F4A5B", "9774d56d682e549c",
    ...     "000000000000000", "a1b2c3d4e5f60718"]))
                                      value     status        kind
    0                       490154203237518         ok        imei
    1                       490154203237519  bad_check        imei
    2  e2b0f9a1-1c2d-4e5f-8a9b-0c1d2e3f4a5b         ok        uuid
    3                                   NaN       junk         NaN
    4                                   NaN       junk         NaN
    5                      a1b2c3d4e5f60718         ok  android_id
    """
    return _by_unique(s, _device_core)


@_normaliser("Raw IMEIs.",
             "``value``, ``status`` (``ok``, ``bad_check``, ``invalid``, ``junk``,\n"
             "``missing``), ``kind`` (``imei``, ``meid``, ``imeisv`` or NA).")
def normalize_imei(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise IMEI numbers; like :func:`normalize_device_id` but only IMEI-shaped ids are valid.

    15 digits are Luhn-checked (``bad_check`` when wrong), 14 digits (IMEI without
    check digit / decimal MEID) and 16 digits (IMEISV) are ``ok``; any other
    non-junk value is ``invalid``.

    Examples
    --------
    >>> normalize_imei("49 015420 323751 8")
    {'value': '490154203237518', 'status': 'ok', 'kind': 'imei'}
    >>> normalize_imei("a1b2c3d4e5f60718")["status"]
    'invalid'
    """
    r = normalize_device_id(s)
    digits_only = r["value"].str.fullmatch(r"[0-9]{14,16}").fillna(False).astype(bool)
    bad = r["value"].notna() & ~(digits_only & r["kind"].isin(["imei", "meid", "imeisv"]))
    r.loc[bad, "status"] = INVALID
    r.loc[bad, ["value", "kind"]] = np.nan
    return r


def _v4_ranges(spec) -> np.ndarray:
    out = []
    for net in spec:
        nw = ipaddress.IPv4Network(net)
        out.append((int(nw.network_address), int(nw.broadcast_address)))
    return np.array(out, dtype=np.int64)


#: IPv4 ranges that are junk (this-network, loopback, multicast, broadcast).
_V4_JUNK = _v4_ranges(["0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32"])

#: IPv4 ranges that are private: RFC 1918, CGNAT (RFC 6598), link-local. Weak evidence.
_V4_PRIVATE = _v4_ranges(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                          "169.254.0.0/16"])
_V6_PRIVATE = (ipaddress.IPv6Network("fc00::/7"), ipaddress.IPv6Network("fe80::/10"))


def _in_ranges(ints: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    out = np.zeros(len(ints), dtype=bool)
    for lo, hi in ranges:
        out |= (ints >= lo) & (ints <= hi)
    return out


def _ip6_one(text: str):
    """(value, status, private) for one IPv6 candidate (IPv4-mapped -> IPv4 text)."""
    try:
        a = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return None, INVALID, False
    if a.ipv4_mapped is not None:
        return str(a.ipv4_mapped), "v4", False
    if a.is_unspecified or a.is_loopback or a.is_multicast:
        return None, JUNK, False
    return a.compressed, OK, any(a in nw for nw in _V6_PRIVATE)


_V4_RE = _rx(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")


def _ipv4_block(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, status, private) for dotted-quad strings, vectorised with pyarrow."""
    octs = (pc.cast(pc.split_pattern(pa.array(strings, type=pa.string()), ".").flatten(), pa.int64())
            .to_numpy().reshape(-1, 4))
    good = (octs <= 255).all(axis=1)
    ints = octs @ np.array([1 << 24, 1 << 16, 1 << 8, 1], dtype=np.int64)
    value = np.where(good, strings, None).astype(object)
    # leading zeros ("010.001.2.3" is read as decimal): rebuild the text of those only
    ndig = np.where(octs >= 100, 3, np.where(octs >= 10, 2, 1)).sum(axis=1) + 3
    lens = np.fromiter((len(x) for x in strings), dtype=np.int64, count=len(strings))
    for i in np.flatnonzero(good & (ndig != lens)):
        value[i] = ".".join(str(o) for o in octs[i])
    status = _pick(good, OK, INVALID)
    status[good & _in_ranges(ints, _V4_JUNK)] = JUNK
    private = good & _in_ranges(ints, _V4_PRIVATE)
    return value, status, private


def _ip_fast(arr) -> tuple[np.ndarray, dict]:
    mask = _pa_match(arr, r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$")
    x = _np_str(arr.filter(mask)).astype(object)
    if not len(x):
        return mask, {}
    value, status, private = _ipv4_block(x)
    value[status == JUNK] = None
    private[status != OK] = False
    return mask, {"value": value, "status": status, "private": private}


@_per_unique({**_TEXT_SPEC, "private": (bool, False)}, fast=_ip_fast)
def _ip_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    private = np.zeros(n, dtype=bool)
    xv = _o(low)
    is4 = _fm(low, _V4_RE)

    rest = np.flatnonzero(~is4 & ~blank & ~junk)
    if len(rest):
        # first address of an X-Forwarded-For list; brackets and ports removed
        x = _sub(low, ~is4 & ~blank & ~junk).str.split(_rx(r"\s*[,;]\s*|\s+"), n=1, regex=True).str[0]
        x = x.str.replace(_rx(r"^\[([0-9a-f:.%a-z]+)\](?::\d+)?$"), r"\1", regex=True)
        x = x.str.replace(_rx(r"^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$"), r"\1", regex=True)
        xr = _o(x)
        # IPv6, per distinct value; IPv4-mapped addresses come back as IPv4 text
        for j in np.flatnonzero(_b(x.str.contains(":", regex=False))):
            i = rest[j]
            val, st, priv = _ip6_one(xr[j])
            if st == "v4":
                xr[j] = val
            else:
                value[i], status[i], private[i] = val, st, priv
        xv[rest] = xr
        is4[rest] = _fm(pd.Series(xr, dtype=object), _V4_RE)

    idx = np.flatnonzero(is4 & ~blank & ~junk)
    if len(idx):
        value[idx], status[idx], private[idx] = _ipv4_block(xv[idx])
    value[status == JUNK] = None
    private[status != OK] = False
    _finish(n, blank, junk, status, value)
    private[blank | junk] = False
    return {"value": value, "status": status, "private": private}


@_normaliser("Raw addresses.",
             "``value``, ``status`` (``ok``, ``invalid``, ``junk``, ``missing``),\n"
             "``private`` (bool; False unless ``ok``).")
def normalize_ip(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise IPv4 / IPv6 addresses.

    Rules
    -----
    * canonical text: IPv4 dotted decimal without leading zeros, IPv6 compressed
      lowercase; IPv4-mapped IPv6 (``::ffff:1.2.3.4``) becomes IPv4; a port
      (``1.2.3.4:8080``, ``[2001:db8::1]:443``) is dropped; of a list
      (``X-Forwarded-For``) the first address is kept;
    * **junk**: unspecified (``0.0.0.0/8``, ``::``), loopback (``127.0.0.0/8``,
      ``::1``), multicast, ``255.255.255.255`` and :data:`JUNK_TOKENS`;
    * ``private`` is True for RFC 1918, CGNAT ``100.64.0.0/10``, link-local and IPv6
      ULA/link-local addresses: shared by many users, so weak evidence.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_ip(pd.Series(["223.104.003.7", "192.168.1.20", "2001:DB8:0:0::1",
    ...                         "127.0.0.1", "::ffff:8.8.8.8", "999.1.1.1"]))
              value   status  private
    0   223.104.3.7       ok    False
    1  192.168.1.20       ok     True
    2   2001:db8::1       ok    False
    3           NaN     junk    False
    4       8.8.8.8       ok    False
    5           NaN  invalid    False
    """
    return _by_unique(s, _ip_core)
