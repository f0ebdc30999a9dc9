"""Identifiers with a check digit or a fixed shape: resident IDs, USCC, bank cards and wallets.

* :func:`normalize_id_number`: PRC resident identity numbers (GB 11643-1999), 15-digit
  legacy numbers upgraded;
* :func:`normalize_uscc`: unified social credit codes (GB 32100-2015);
* :func:`normalize_account`: bank card / account numbers (Luhn noted), e-mail and
  e-wallet ids, phones used as wallets.

The check digits themselves are :mod:`graphring.ingest.checkdigits` (the sample generator
makes valid ones with the same functions).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.ingest.checkdigits import USCC_CHARSET, id_check_bytes, uscc_check_bytes
from graphring.ingest.checkdigits import id_check_chars as _id_check_chars, uscc_check_chars as _uscc_check_chars
from graphring.ingest.checkdigits import luhn_ok_many as _luhn_ok, luhn_ok_matrix as _luhn_ok_matrix
from graphring.normalize.core import (BAD_CHECK, INVALID, _MOBILE_BARE_RE, OK, _STR, _TEXT_SPEC, _all_same_char, _b,
                                      _by_unique, _day_in_month, _digits, _finish, _fixed_width_bytes,
                                      _float_artefacts, _fm, _kinds, _mt, _normaliser, _o, _ofull, _pa_match,
                                      _per_unique, _pick, _rx, _same_bytes, _slow_rest, _start)

#: First two digits of valid resident-ID numbers (provinces; 71/81/82/83 Taiwan, Hong
#: Kong, Macao residence permits; 91 foreigners' permanent residence ID cards).
ID_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83", "91",
})

_ID_PROVINCE_CODES = np.array(sorted(int(p) for p in ID_PROVINCES))


def _birth_ok(bodies: pd.Series) -> np.ndarray:
    """True where characters 7-14 of a 17-char body are a real, past birth date."""
    d = pd.to_datetime(bodies.str[6:14], format="%Y%m%d", errors="coerce")
    today = pd.Timestamp.today().normalize()
    return _b(d.notna() & (d >= pd.Timestamp("1800-01-01")) & (d <= today))


def _id_plausible(b: np.ndarray) -> np.ndarray:
    """Known province, real birth date (1800-01-01 to today) and not one repeated digit,
    as ``ID_PROVINCES``, :func:`_birth_ok` and :func:`_same_chars` decide."""
    ok = np.isin(_digits(b, 0, 2), _ID_PROVINCE_CODES) & ~_same_bytes(b)
    year, month, day = _digits(b, 6, 10), _digits(b, 10, 12), _digits(b, 12, 14)
    ok &= (year >= 1800) & (month >= 1) & (month <= 12) & (day >= 1)
    ok, first = _day_in_month(year, month, day, ok)
    today = np.datetime64(pd.Timestamp.today().normalize().date(), "D")
    ok &= (first + np.where(ok, day - 1, 0)) <= today
    return ok


def _check_char_fast(arr, pattern: str, plausible, check_bytes) -> tuple[np.ndarray, object, np.ndarray]:
    """18-character codes matching ``pattern`` and ``plausible``, with OK or BAD_CHECK by their check char.

    ``pattern`` admits only 18 ASCII characters, so the values are read as an
    ``(n, 18)`` byte matrix: ``plausible`` gets it and returns a row mask,
    ``check_bytes`` gets the 17-byte bodies and returns the check character's byte.
    Returns the mask of values taken, those values (a pyarrow array), and their status.
    """
    mask = _pa_match(arr, pattern)
    idx = np.flatnonzero(mask)
    sub = arr.filter(pa.array(mask))
    b = _fixed_width_bytes(sub, 18)
    good = plausible(b)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[good]] = True
    b = b[good]
    ok = check_bytes(b[:, :17]) == b[:, 17]
    return mask, sub.filter(pa.array(good)), _pick(ok, OK, BAD_CHECK)


def _id_fast(arr) -> tuple[np.ndarray, dict]:
    """18-character IDs of a known province and a real birth date."""
    mask, value, status = _check_char_fast(arr, r"^[0-9]{17}[0-9X]$", _id_plausible, id_check_bytes)
    return mask, {"value": value, "status": status, "flag": _ofull(len(value), None)}


@_per_unique({**_TEXT_SPEC, "flag": (_STR, None)}, fast=_id_fast, rowwise=True)
def _id_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    x = t.str.upper().str.replace(_rx(r"[\s\-]"), "", regex=True)
    x, lossy = _float_artefacts(x)
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    flag = _ofull(n, None)

    s18 = _fm(x, _rx(r"\d{17}[\dX]"))
    s15 = _fm(x, _rx(r"\d{15}"))
    body = pd.Series(np.where(s15, x.str[:6] + "19" + x.str[6:], x.str[:17]), dtype=object)
    shape = (s18 | s15) & _b(body.str[:2].isin(ID_PROVINCES)) & _birth_ok(body)
    idx = np.flatnonzero(shape)
    if len(idx):
        bodies = body.to_numpy(dtype=object)[idx]
        check = _id_check_chars(bodies)
        full = np.array([b + c for b, c in zip(bodies, check)], dtype=object)
        given = x.to_numpy(dtype=object)[idx]
        ok = np.array([g[17:] == c if len(g) == 18 else True for g, c in zip(given, check)])
        value[idx] = np.where(s15[idx], full, given)
        status[idx] = np.where(ok, OK, BAD_CHECK)
    flag[shape & s15] = "legacy15"
    flag[_b(x.str.contains("*", regex=False))] = "masked"
    junk |= _all_same_char(x, 2)
    status[lossy] = INVALID
    value[lossy] = None
    _finish(n, blank, junk, status, value)
    return {"value": value, "status": status, "flag": flag}


@_normaliser("Raw ID numbers.",
             "``value`` (18-character normal form, also for ``bad_check``), ``status``\n"
             "(``ok``, ``bad_check``, ``invalid``, ``junk``, ``missing``), ``flag``\n"
             "(``legacy15``, ``masked`` or NA).")
def normalize_id_number(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise PRC resident identity numbers (居民身份证号, GB 11643-1999).

    Rules
    -----
    * spaces and dashes removed, full-width characters folded, ``x`` upper-cased;
    * 18 characters: 17 digits + check character (weights 7,9,10,5,8,4,2,1,6,3,7,9,10,
      5,8,4,2; sum mod 11 indexes ``"10X98765432"``);
    * 15-digit legacy numbers are upgraded: ``19`` inserted after the 6-digit area code
      and the check character computed (``flag`` = ``legacy15``);
    * the province code (first two digits, :data:`ID_PROVINCES`) must exist and the
      birth date (characters 7-14) must be a real date between 1800 and today;
    * masked numbers (``110105********002X``) are ``invalid`` with ``flag`` = ``masked``.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_id_number(pd.Series(["11010519491231002x", "110105194912310021",
    ...                                "110105491231002", "110105194902300020", None]))
                    value     status      flag
    0  11010519491231002X         ok       NaN
    1  110105194912310021  bad_check       NaN
    2  11010519491231002X         ok  legacy15
    3                 NaN    invalid       NaN
    4                 NaN    missing       NaN
    """
    return _by_unique(s, _id_core)


def _uscc_fast(arr) -> tuple[np.ndarray, dict]:
    mask, value, status = _check_char_fast(arr, "^[%s]{18}$" % USCC_CHARSET, lambda b: ~_same_bytes(b),
                                           uscc_check_bytes)
    return mask, {"value": value, "status": status}


@_per_unique(_TEXT_SPEC, fast=_uscc_fast)
def _uscc_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    x = t.str.upper().str.replace(_rx(r"[\s\-]"), "", regex=True)
    status = _ofull(n, INVALID)
    value = _ofull(n, None)
    shape = _fm(x, _rx("[%s]{18}" % USCC_CHARSET))
    idx = np.flatnonzero(shape)
    if len(idx):
        codes = x.to_numpy(dtype=object)[idx]
        check = _uscc_check_chars([c[:17] for c in codes])
        ok = np.array([c[17] for c in codes]) == check
        value[idx] = codes
        status[idx] = np.where(ok, OK, BAD_CHECK)
    junk |= _all_same_char(x, 2)
    _finish(n, blank, junk, status, value)
    return {"value": value, "status": status}


@_normaliser("Raw codes.",
             "``value`` (18-character code or NA), ``status`` (``ok``, ``bad_check``,\n"
             "``invalid``, ``junk``, ``missing``).")
def normalize_uscc(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise unified social credit codes (统一社会信用代码, GB 32100-2015).

    Rules
    -----
    * spaces and dashes removed, full-width folded, upper-cased;
    * 18 characters from :data:`USCC_CHARSET` (digits and letters without I, O, S,
      V, Z); the last is the check character: with weights ``3**i mod 31``
      (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28) it is
      ``USCC_CHARSET[(31 - sum % 31) % 31]``;
    * right shape, wrong check character -> ``bad_check`` (value kept); anything else
      (legacy 15-digit registration numbers, 9-character organisation codes, letters
      outside the charset) -> ``invalid``.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_uscc(pd.Series(["91350100m000100y43", "91350100M000100Y44",
    ...                           "9135 0100 M000 100Y 4O", "无"]))
                    value     status
    0  91350100M000100Y43         ok
    1  91350100M000100Y44  bad_check
    2                 NaN    invalid
    3                 NaN       junk
    """
    return _by_unique(s, _uscc_core)


_WALLET_LABEL_RE = re.compile(r"^(?:支付宝|微信|财付通|alipay|wechat|weixin|wx|qq)\s*[:：]\s*", re.I)
_EMAIL_RE = _rx(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}$")
_WALLET_RE = _rx(r"^[a-z0-9_.\-@+]{3,64}$")
_MOBILE_ACCOUNT_RE = _rx(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")


def _account_slow(low: pd.Series) -> dict:
    """Every rule, for values that are not a bare 8-30 digit number (index 0..k-1)."""
    n = len(low)
    labelled = _mt(low, _WALLET_LABEL_RE)
    low = low.str.replace(_WALLET_LABEL_RE, "", regex=True)
    dig, lossy = _float_artefacts(low.str.replace(_rx(r"(?<=\d)[\s\-]+(?=\d)"), "", regex=True))
    digits = _fm(dig, _rx(r"\d+"))
    dlen = dig.str.len().to_numpy()
    status, value, kind, put = _kinds(n)

    put(_mt(dig, _WALLET_RE) & (~digits | labelled), _o(dig), "ewallet")
    put(digits & ~labelled & (dlen >= 8) & (dlen <= 30), _o(dig), "bank")
    put(_mt(dig, _EMAIL_RE), _o(dig), "email")
    mob = dig.str.replace(_rx(r"[\s\-()]"), "", regex=True).str.extract(_MOBILE_ACCOUNT_RE)[0]
    put(_b(mob.notna()), _o("+86" + mob), "phone")
    junk = digits & _all_same_char(dig, 2)
    for m in (lossy, _b(dig.str.contains(_rx(r"\d[*]+|[*]+\d")))):  # lossy or masked (6222****1234)
        status[m] = INVALID
        value[m] = None
        kind[m] = None
    return {"value": value, "status": status, "kind": kind, "junk": junk}


def _account_fast(arr) -> tuple[np.ndarray, dict]:
    """Bare 8-30 digit numbers (an 11-digit mobile among them is a phone)."""
    mask = _pa_match(arr, r"^[0-9]{8,30}$")
    idx = np.flatnonzero(mask)
    sub = arr.filter(pa.array(mask))
    lens = np.asarray(pc.binary_length(sub).to_numpy(zero_copy_only=False), dtype=np.int64)
    good = np.ones(len(sub), dtype=bool)
    phone = np.zeros(len(sub), dtype=bool)
    card_ok = np.zeros(len(sub), dtype=bool)
    # one byte matrix per length: repeated digit, bare mobile (1[3-9] + 9 digits), Luhn
    for n in np.unique(lens):
        at = np.flatnonzero(lens == n)
        b = _fixed_width_bytes(sub.filter(pa.array(lens == n)), int(n))
        good[at] = ~_same_bytes(b)
        if n == 11:
            phone[at] = (b[:, 0] == 49) & (b[:, 1] >= 51) & (b[:, 1] <= 57)
        elif 16 <= n <= 19:
            card_ok[at] = _luhn_ok_matrix(b)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[good]] = True
    sub = sub.filter(pa.array(good))
    phone, card_ok, lens = phone[good], card_ok[good], lens[good]
    k = len(sub)
    value = pc.if_else(pa.array(phone), pc.binary_join_element_wise("+86", sub, ""), sub)
    kind = _ofull(k, "bank")
    kind[phone] = "phone"
    luhn = _ofull(k, None)
    card = np.flatnonzero(~phone & (lens >= 16) & (lens <= 19))
    if len(card):
        luhn[card] = card_ok[card]
    return mask, {"value": value, "status": _ofull(k, OK), "kind": kind, "luhn": luhn}


@_per_unique({**_TEXT_SPEC, "kind": (_STR, None), "luhn": ("boolean", None)}, fast=_account_fast,
             rowwise=True)
def _account_core(raw: pd.Series) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    # fast paths: a bare 8-30 digit number, of which an 11-digit mobile is a phone
    fast = _fm(low, _rx(r"\d{8,30}"))
    phone = np.zeros(n, dtype=bool)
    phone[fast] = _fm(low[fast], _MOBILE_BARE_RE)
    res = {"value": _ofull(n, None), "status": _ofull(n, OK),
           "kind": _ofull(n, None)}
    res["value"][fast] = _o(low[fast])
    res["kind"][fast] = "bank"
    res["value"][phone] = _o("+86" + low[phone])
    res["kind"][phone] = "phone"
    junk[fast] |= _all_same_char(low[fast], 2)
    value, status, kind = _slow_rest(res, ~fast & ~blank & ~junk, _account_slow, low, junk)
    luhn = _ofull(n, None)
    bank = np.flatnonzero((kind == "bank") & (status == OK))
    if len(bank):
        lens = np.fromiter((len(v) for v in value[bank]), dtype=np.int64, count=len(bank))
        card = bank[(lens >= 16) & (lens <= 19)]
        luhn[card] = _luhn_ok(value[card])
    _finish(n, blank, junk, status, value, kind, luhn)
    return {"value": value, "status": status, "kind": kind, "luhn": luhn}


@_normaliser("Raw account identifiers.",
             "``value``, ``status`` (``ok``, ``invalid``, ``junk``, ``missing``), ``kind``\n"
             "(``bank``, ``phone``, ``email``, ``ewallet`` or NA), ``luhn`` (nullable bool,\n"
             "set for 16-19 digit bank numbers).")
def normalize_account(s: pd.Series) -> pd.DataFrame | dict:
    """Normalise bank card / account numbers and e-wallet ids.

    Rules (``kind`` in brackets)
    ----------------------------
    * spaces and dashes between digits, full-width characters and a float ``.0`` are
      removed; lossy scientific notation (``6.22202E+18``) and masked numbers
      (``6222****1234``) are ``invalid``;
    * a mobile number (optionally ``+86``) [``phone``] -> ``+8613812345678``, so
      wallets registered on a phone link to that phone;
    * 8-30 digits [``bank``]; for 16-19 digits ``luhn`` tells whether the Luhn check
      passes -- informational only, many Chinese account numbers do not use it;
    * e-mail addresses [``email``] and other wallet ids (letters, digits, ``_.-@+``,
      3-64 characters, or anything labelled ``支付宝:``/``微信:``/``QQ:``) [``ewallet``]
      are lowercased;
    * one repeated digit and :data:`JUNK_TOKENS` are ``junk``.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_account(pd.Series(["6222 0212 3456 7890 129", "Zhang.San@QQ.com",
    ...                              "支付宝:138-1234-5678", "6.22202E+18", "0000000000"]))
                     value   status   kind   luhn
    0  6222021234567890129       ok   bank  False
    1     zhang.san@qq.com       ok  email   <NA>
    2       +8613812345678       ok  phone   <NA>
    3                  NaN  invalid    NaN   <NA>
    4                  NaN     junk    NaN   <NA>
    """
    return _by_unique(s, _account_core)
