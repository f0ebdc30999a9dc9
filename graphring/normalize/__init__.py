"""Normalisers for identifiers, dates, amounts and flags: the one place where the rules live.

Every ``normalize_*`` / ``parse_*`` function takes a pandas Series of raw values
(strings as read from CSV/XLSX, but also floats, ints, datetimes or ``None``/NaN)
and returns a DataFrame aligned on the input index with at least

``value``
    the normalised value, or NA when there is none to use;
``status``
    one of the statuses below.

Each function also accepts a single value and then returns a plain ``dict`` of
that row (``None`` for NA), e.g. ``normalize_phone("138 1234 5678")["value"]``.

Statuses
--------
=============  ==================================================================
``ok``         a valid value; ``value`` is its normal form
``bad_check``  right shape, wrong check digit/character; ``value`` is still the
               normal form (ID numbers, USCC, IMEI) so callers may keep and flag it
``invalid``    not a value of this type (wrong shape, impossible date, lossy
               spreadsheet number such as ``6.22202E+18``); ``value`` is NA
``junk``       a placeholder (``unknown``, ``无``, ``00000000000``, the buggy
               Android ID ...); ``value`` is NA and it must never become a link
``missing``    null or blank; ``value`` is NA
=============  ==================================================================

Common cleaning (all functions)
-------------------------------
* Unicode NFKC (full-width ``１３８``, ``＋８６``, ``（０７５５）``, ``￥`` become ASCII),
  zero-width characters and BOMs removed, whitespace collapsed and stripped;
* spreadsheet artefacts: an Excel text prefix ``'13812345678``, the ``="..."``
  export form, surrounding quotes; numbers that pandas read as floats
  (``13812345678.0``) lose the ``.0``; scientific notation is only accepted when it
  is exact (``1.3812345678E+10``) and is ``invalid`` when digits were lost
  (``1.38123E+10``) so a mangled number never links two people by accident;
* placeholder tokens (:data:`JUNK_TOKENS`, compared case-insensitively) are ``junk``.

Speed
-----
The work is done once per *distinct* raw value (``pd.factorize``) with pandas
``.str`` regex methods and numpy (check digits are computed on digit matrices),
then broadcast back to the rows, so a million rows of repeated phones cost little.

Modules
-------
One module a kind of value, on a shared core:

=====================================  ===============================================
:mod:`~graphring.normalize.core`       statuses, junk, cleaning, the per-distinct-value
                                       machinery (:func:`is_junk`)
:mod:`~graphring.normalize.phones`     :func:`normalize_phone`
:mod:`~graphring.normalize.ids`        :func:`normalize_id_number`, :func:`normalize_uscc`,
                                       :func:`normalize_account`
:mod:`~graphring.normalize.devices`    :func:`normalize_device_id`, :func:`normalize_imei`,
                                       :func:`normalize_ip`
:mod:`~graphring.normalize.text`       :func:`normalize_text_key`, :func:`normalize_address_key`
:mod:`~graphring.normalize.dates`      :func:`parse_datetime`, :func:`parse_date`
:mod:`~graphring.normalize.numbers`    :func:`parse_amount`, :func:`parse_int`
:mod:`~graphring.normalize.flags`      :func:`parse_bool`
=====================================  ===============================================

Check digits are :mod:`graphring.ingest.checkdigits` (shared with the sample generator).

Examples
--------
>>> import pandas as pd
>>> from graphring.normalize import normalize_phone
>>> normalize_phone(pd.Series(["138-1234-5678", "+86 (0)21 6666 8888", "unknown", None]))
            value   status    kind
0  +8613812345678       ok  mobile
1  +86-21-66668888      ok   fixed
2             NaN     junk     NaN
3             NaN  missing     NaN
"""


from __future__ import annotations

from graphring.ingest.checkdigits import USCC_CHARSET, id_check_digit, luhn_ok, uscc_check_char
from graphring.normalize.core import BAD_CHECK, INVALID, JUNK, JUNK_TOKENS, MISSING, OK, STATUSES, is_junk
from graphring.normalize.dates import parse_date, parse_datetime
from graphring.normalize.devices import JUNK_DEVICE_IDS, normalize_device_id, normalize_imei, normalize_ip
from graphring.normalize.flags import parse_bool
from graphring.normalize.ids import ID_PROVINCES, normalize_account, normalize_id_number, normalize_uscc
from graphring.normalize.numbers import parse_amount, parse_int
from graphring.normalize.phones import PLACEHOLDER_PHONES, normalize_phone
from graphring.normalize.text import EMPTY_FILE_HASHES, normalize_address_key, normalize_text_key

__all__ = [
    "OK",
    "BAD_CHECK",
    "INVALID",
    "JUNK",
    "MISSING",
    "STATUSES",
    "JUNK_TOKENS",
    "PLACEHOLDER_PHONES",
    "JUNK_DEVICE_IDS",
    "EMPTY_FILE_HASHES",
    "ID_PROVINCES",
    "USCC_CHARSET",
    "is_junk",
    "normalize_phone",
    "normalize_id_number",
    "normalize_uscc",
    "normalize_device_id",
    "normalize_imei",
    "normalize_ip",
    "normalize_account",
    "normalize_text_key",
    "normalize_address_key",
    "parse_date",
    "parse_datetime",
    "parse_amount",
    "parse_int",
    "parse_bool",
    "id_check_digit",
    "uscc_check_char",
    "luhn_ok",
]
