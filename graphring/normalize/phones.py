"""Phone numbers: mobiles, fixed lines, service and foreign numbers as E.164-style keys.

:func:`normalize_phone` reads ``+86``/``0086``/``86`` prefixes, separators, labels
and extensions; placeholder mobiles (:data:`PLACEHOLDER_PHONES`, one repeated
digit) are junk.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.normalize.core import (INVALID, JUNK, _MOBILE_BARE_RE, OK, _STR, _TEXT_SPEC, _all_same_char, _b,
                                      _by_unique, _finish, _fixed_width_bytes, _float_artefacts, _fm, _kinds,
                                      _normaliser, _o, _ofull, _pa_match, _per_unique, _rx, _same_bytes, _slow_rest,
                                      _start)

#: Mobile numbers used as placeholders (besides the pattern rule: a mobile whose
#: last eight digits are one repeated digit, such as ``13800000000``).
#: ``13800138000`` is China Mobile's public sample number.
PLACEHOLDER_PHONES = frozenset({"13800138000"})

_PHONE_LABEL_RE = re.compile(r"^(?:tel|phone|mobile|电话|手机|手机号|手机号码|联系电话|座机)\s*[:：]?\s*")
_PHONE_EXT_RE = _rx(r"\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6}$")
_PHONE_SEP_RE = _rx(r"[\s\-.()\[\]]")
_MOBILE_RE = _rx(r"^0?(1[3-9]\d{9})$")
_FIXED_TRUNK_RE = _rx(r"^0(?:(10|2\d)([1-9]\d{7})|([3-9]\d{2})([1-9]\d{6,7}))$")
_FIXED_BARE_RE = _rx(r"^0?(?:(10|2\d)([1-9]\d{7})|([3-9]\d{2})([1-9]\d{6,7}))$")
_SVC_400_RE = _rx(r"^([48]00)(\d{7})$")
_SVC_SHORT_RE = _rx(r"^(95\d{3}(?:\d{3})?|1[02]\d{3}|96\d{3,4})$")


def _phone_slow(low: pd.Series) -> dict:
    """Every rule, for values that are not a bare 11-digit mobile (index 0..k-1)."""
    n = len(low)
    x = low.str.replace(_PHONE_LABEL_RE, "", regex=True).str.replace(_PHONE_EXT_RE, "", regex=True)
    x, lossy = _float_artefacts(x)
    x = x.str.replace(_PHONE_SEP_RE, "", regex=True)
    shape = _fm(x, _rx(r"\+?\d+"))
    digits = x.str.lstrip("+")
    junk = shape & _all_same_char(digits, 1)

    plus = _b(x.str.startswith("+"))
    intl00 = ~plus & _b(digits.str.startswith("00"))
    intl = plus | intl00
    d_intl = digits.where(~intl00, digits.str[2:])
    cc86 = intl & _b(d_intl.str.startswith("86"))
    bare86 = ~intl & _fm(digits, _rx(r"86(?:0?1[3-9]\d{9}|0\d{9,11})"))
    cn_prefixed = cc86 | bare86
    nat = digits.where(~cc86, d_intl.str[2:]).where(~bare86, digits.str[2:])
    domestic = shape & ~(intl & ~cc86)
    junk |= shape & _all_same_char(nat, 2)  # +86 00000000000

    status, value, kind, put = _kinds(n)

    # lowest priority first; later assignments win
    foreign = shape & intl & ~cc86 & _fm(d_intl, _rx(r"[1-9]\d{6,14}"))
    put(foreign, _o("+" + d_intl), "foreign")

    for rx, allowed in ((_FIXED_TRUNK_RE, domestic), (_FIXED_BARE_RE, domestic & cn_prefixed)):
        f = nat.str.extract(rx)
        ok = allowed & _b(f[0].notna() | f[2].notna())
        area = f[0].fillna(f[2])
        sub = f[1].fillna(f[3])
        put(ok, _o("+86-" + area + "-" + sub), "fixed")

    s400 = nat.str.extract(_SVC_400_RE)
    put(domestic & _b(s400[0].notna()), _o("+86-" + s400[0] + "-" + s400[1]), "service")
    short = nat.str.extract(_SVC_SHORT_RE)[0]
    put(domestic & _b(short.notna()), _o("+86-" + short), "service")

    put(domestic & _fm(nat, _MOBILE_RE), _o("+86" + nat.str[-11:]), "mobile")

    status[lossy] = INVALID
    value[lossy] = None
    kind[lossy] = None
    return {"value": value, "status": status, "kind": kind, "junk": junk}


_SAME8 = frozenset(str(d) * 8 for d in range(10))


def _phone_fast(arr) -> tuple[np.ndarray, dict]:
    """Bare or +86-prefixed 11-digit mobiles."""
    mask = _pa_match(arr, r"^(?:\+86)?1[3-9][0-9]{9}$")
    nat = pc.utf8_slice_codeunits(arr.filter(pa.array(mask)), -11)
    b = _fixed_width_bytes(nat, 11)
    k = len(b)
    # a listed placeholder, or the last eight digits one repeated digit (_SAME8)
    junk = _same_bytes(b[:, 3:])
    for p in PLACEHOLDER_PHONES:
        junk |= (b == np.frombuffer(p.encode("ascii"), dtype=np.uint8)).all(axis=1)
    value = pc.if_else(pa.array(junk), pa.scalar(None, type=nat.type),
                       pc.binary_join_element_wise("+86", nat, ""))
    status = _ofull(k, OK)
    kind = _ofull(k, "mobile")
    status[junk] = JUNK
    kind[junk] = None
    return mask, {"value": value, "status": status, "kind": kind}


@_per_unique({**_TEXT_SPEC, "kind": (_STR, None)}, fast=_phone_fast, rowwise=True)
def _phone_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    # fast path: the bare 11-digit mobile most rows carry
    fast = _fm(low, _MOBILE_BARE_RE)
    res = {"value": _ofull(n, None), "status": _ofull(n, OK),
           "kind": _ofull(n, "mobile")}
    res["value"][fast] = _o("+86" + low[fast])
    value, status, kind = _slow_rest(res, ~fast & ~blank & ~junk, _phone_slow, low, junk)
    # placeholder mobiles: a listed sample number, or the last eight digits all one digit
    mob = np.flatnonzero((kind == "mobile") & (status == OK))
    if len(mob):
        v = pd.Series(value[mob], dtype=object).str[3:]
        junk[mob] |= _b(v.isin(PLACEHOLDER_PHONES)) | _b(v.str[-8:].isin(_SAME8))
    _finish(n, blank, junk, status, value, kind)
    return {"value": value, "status": status, "kind": kind}


@_normaliser("Raw phone numbers (strings, floats, ints; NaN/None allowed).",
             "``value`` (str or NA), ``status`` (``ok``, ``missing``, ``junk``, ``invalid``),\n"
             "``kind`` (``mobile``, ``fixed``, ``service``, ``foreign`` or NA).")
def normalize_phone(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise phone numbers to E.164-style keys.

    Rules
    -----
    * separators (spaces, ``-``, ``.``, parentheses), ``tel:``/``手机:`` labels and
      extensions (``转123``, ``ext 12``) are dropped; ``+86``, ``0086`` and a bare
      ``86`` before a mobile are understood; other ``+cc``/``00cc`` prefixes are foreign;
    * **mobile** (11 digits ``1[3-9]xxxxxxxxx``, an extra leading trunk ``0`` tolerated)
      -> ``+8613812345678``;
    * **fixed** line (trunk ``0`` + area code ``10``/``2x``/3 digits + 7-8 digit
      subscriber; the trunk may be omitted after ``+86``) -> ``+86-<area>-<subscriber>``,
      e.g. ``+86-755-88886666``;
    * **service** numbers -> ``+86-400-1234567`` (400/800), ``+86-95555`` (95xxx,
      95xxxxxx), ``+86-12378`` (10xxx/12xxx), ``+86-96111`` (96xxx);
    * **foreign** (country code other than 86, 7-15 digits in all) -> ``+85291234567``;
    * **junk**: :data:`JUNK_TOKENS`, one repeated digit (``00000000000``), placeholder
      mobiles (:data:`PLACEHOLDER_PHONES`, or a mobile whose last eight digits are one
      repeated digit such as ``13800000000``);
    * anything else (local numbers without area code, several numbers in one cell,
      letters) is **invalid**.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_phone(pd.Series(["０086 138.1234.5678", "(0755)8888 6666", "400-123-4567",
    ...                            "+852 9123 4567", 13812345678.0, "11111111111", "5551234"]))
                  value   status     kind
    0    +8613812345678       ok   mobile
    1  +86-755-88886666       ok    fixed
    2   +86-400-1234567       ok  service
    3      +85291234567       ok  foreign
    4    +8613812345678       ok   mobile
    5               NaN     junk      NaN
    6               NaN  invalid      NaN
    >>> normalize_phone("010-12345678")
    {'value': '+86-10-12345678', 'status': 'ok', 'kind': 'fixed'}
    """
    return _by_unique(s, _phone_core)
