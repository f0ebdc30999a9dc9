"""Check digits and characters of Chinese identifiers: one implementation for reading and for generating.

* resident identity numbers, GB 11643-1999 (mod 11-2, check ``0-9`` or ``X``);
* unified social credit codes, GB 32100-2015 (mod 31 over 31 characters) with the
  organisation code inside, GB 11714 (mod 11);
* bank cards and IMEIs, Luhn (mod 10).

:mod:`graphring.normalize` checks the values of an export with the vectorised
forms (over equal-length ASCII strings or their byte matrices); :mod:`graphring.sample` makes valid ones
with the same weights.

Examples
--------
>>> id_check_digit("11010519491231002"), uscc_check_char("91350100M000100Y4"), luhn_ok("490154203237518")
('X', '3', True)
>>> import numpy as np
>>> luhn_digits(np.array([[4, 9, 0, 1, 5, 4, 2, 0, 3, 2, 3, 7, 5, 1]])).tolist()
[8]
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["ID_WEIGHTS", "ID_CHECK_CHARS", "USCC_CHARSET", "USCC_WEIGHTS", "ORG_WEIGHTS", "id_check_digit",
           "uscc_check_char", "luhn_ok", "id_ok", "uscc_ok", "id_check_chars", "uscc_check_chars", "luhn_ok_many",
           "luhn_ok_matrix", "luhn_digits", "char_matrix", "USCC_LUT", "id_check_index", "uscc_check_index",
           "id_check_bytes", "uscc_check_bytes"]

#: GB 11643 weights of the 17 body digits, and the check character of each remainder mod 11.
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK_CHARS = "10X98765432"
#: GB 32100-2015 code characters (31: digits and letters without I, O, S, V, Z).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)  # 1, 3, 9, 27, 19, 26, ...
#: GB 11714 weights of the 8 organisation-code characters (the USCC's characters 9-16).
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)

_ID_CHECK = np.array(list(ID_CHECK_CHARS))
_ID_CHECK_BYTES = np.frombuffer(ID_CHECK_CHARS.encode("ascii"), dtype=np.uint8)
_USCC_BYTES = np.frombuffer(USCC_CHARSET.encode("ascii"), dtype=np.uint8)
#: Byte -> position in :data:`USCC_CHARSET` (-1 for any other byte).
USCC_LUT = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_CHARSET):
    USCC_LUT[ord(_c)] = _i


def char_matrix(strings, width: int) -> np.ndarray:
    strings = list(strings)
    if not strings:
        return np.zeros((0, width), dtype=np.uint8)
    buf = "".join(strings).encode("ascii")
    return np.frombuffer(buf, dtype=np.uint8).reshape(-1, width)


def id_check_index(digits: np.ndarray) -> np.ndarray:
    """Position in :data:`ID_CHECK_CHARS` of the check character of each row of 17 body digits (0-9)."""
    return (digits @ ID_WEIGHTS) % 11


def uscc_check_index(values: np.ndarray) -> np.ndarray:
    """Position in :data:`USCC_CHARSET` of the check character of each row of 17 character positions."""
    return (31 - (values @ USCC_WEIGHTS) % 31) % 31


def org_check_index(values: np.ndarray) -> np.ndarray:
    """Position in :data:`USCC_CHARSET` of the GB 11714 organisation-code check of each row of 8 positions.

    Examples
    --------
    >>> USCC_CHARSET[int(org_check_index(USCC_LUT[char_matrix(["M000100Y"], 8)])[0])]  # 91350100M000100Y43
    '4'
    """
    c = 11 - (values @ ORG_WEIGHTS) % 11
    return np.where(c == 10, USCC_CHARSET.index("X"), np.where(c == 11, 0, c))


def id_check_chars(bodies) -> np.ndarray:
    """Check characters for 17-digit ID bodies (array of str)."""
    m = char_matrix(bodies, 17).astype(np.int64) - 48
    return _ID_CHECK[id_check_index(m)]


def uscc_check_chars(bodies) -> np.ndarray:
    """Check characters for 17-character USCC bodies (must be in the charset)."""
    v = USCC_LUT[char_matrix(bodies, 17)]
    return np.array(list(USCC_CHARSET))[uscc_check_index(v)]


def id_check_bytes(bodies: np.ndarray) -> np.ndarray:
    """Check character bytes of 17-digit ID bodies given as an ``(n, 17)`` ASCII byte matrix."""
    return _ID_CHECK_BYTES[id_check_index(bodies.astype(np.int64) - 48)]


def uscc_check_bytes(bodies: np.ndarray) -> np.ndarray:
    """Check character bytes of 17-character USCC bodies given as an ``(n, 17)`` ASCII byte matrix."""
    return _USCC_BYTES[uscc_check_index(USCC_LUT[bodies])]


def _luhn_ok_same_len(strings) -> np.ndarray:
    m = char_matrix(strings, len(strings[0])).astype(np.int64) - 48 if len(strings) else None
    if m is None:
        return np.zeros(0, dtype=bool)
    m = m[:, ::-1].copy()
    d = m[:, 1::2] * 2
    m[:, 1::2] = np.where(d > 9, d - 9, d)
    return m.sum(axis=1) % 10 == 0


def luhn_ok_matrix(b: np.ndarray) -> np.ndarray:
    """Luhn check of equal-length ASCII digit strings given as a byte matrix."""
    m = b[:, ::-1].astype(np.int64) - 48
    d = m[:, 1::2] * 2
    m[:, 1::2] = np.where(d > 9, d - 9, d)
    return m.sum(axis=1) % 10 == 0


def luhn_ok_many(strings: np.ndarray) -> np.ndarray:
    """Luhn check for an array of digit strings of any lengths."""
    strings = np.asarray(strings, dtype=object)
    out = np.zeros(len(strings), dtype=bool)
    if not len(strings):
        return out
    lens = np.fromiter((len(x) for x in strings), dtype=np.int64, count=len(strings))
    for n in np.unique(lens):
        idx = np.flatnonzero(lens == n)
        out[idx] = _luhn_ok_same_len(list(strings[idx]))
    return out


def id_check_digit(body: str) -> str:
    """GB 11643 check character of a 17-digit resident-ID body.

    Examples
    --------
    >>> id_check_digit("11010519491231002")
    'X'
    """
    if not re.fullmatch(r"[0-9]{17}", body):
        raise ValueError(f"not a 17-digit ID body: {body!r}")
    return str(id_check_chars([body])[0])


def uscc_check_char(body: str) -> str:
    """GB 32100 check character of a 17-character USCC body.

    Examples
    --------
    >>> uscc_check_char("91350100M000100Y4")
    '3'
    """
    if len(body) != 17 or any(c not in USCC_CHARSET for c in body):
        raise ValueError(f"not a 17-character USCC body: {body!r}")
    return str(uscc_check_chars([body])[0])


def luhn_ok(number: str) -> bool:
    """True when a digit string passes the Luhn (mod 10) check.

    Examples
    --------
    >>> luhn_ok("490154203237518"), luhn_ok("490154203237519")
    (True, False)
    """
    if not re.fullmatch(r"[0-9]+", number):
        return False
    return bool(_luhn_ok_same_len([number])[0])


def id_ok(idn: str) -> bool:
    """True when ``idn`` is 18 characters with a correct GB 11643 check character (``x`` read as ``X``).

    Examples
    --------
    >>> id_ok("11010519491231002X"), id_ok("110105194912310021")
    (True, False)
    """
    return len(idn) == 18 and idn[:17].isdigit() and id_check_digit(idn[:17]) == idn[17].upper()


def uscc_ok(code: str) -> bool:
    """True when ``code`` is a well-formed USCC with a correct check character.

    Examples
    --------
    >>> uscc_ok("91350100M000100Y43"), uscc_ok("91350100M000100Y44")
    (True, False)
    """
    return (len(code) == 18 and all(c in USCC_CHARSET for c in code)
            and uscc_check_char(code[:17]) == code[17])


def luhn_digits(m: np.ndarray) -> np.ndarray:
    """Luhn check digit for each row of a digit matrix (payload without check)."""
    rev = m[:, ::-1]
    dbl = rev[:, 0::2] * 2
    dbl = np.where(dbl > 9, dbl - 9, dbl)
    s = dbl.sum(axis=1) + rev[:, 1::2].sum(axis=1)
    return (10 - s % 10) % 10
