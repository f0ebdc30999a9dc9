"""Free-text keys: agent and intermediary names, file hashes and address keys.

:func:`normalize_text_key` (``kind`` ``text``, ``hash`` or ``address``) and
:func:`normalize_address_key`; hashes of the empty file (:data:`EMPTY_FILE_HASHES`)
are junk.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphring.normalize.core import (_HEX_RE, JUNK_TOKENS, OK, _TEXT_SPEC, _WS_RE, _all_same_char, _b, _by_unique,
                                      _finish, _fm, _normaliser, _np_str, _o, _ofull, _pa_match, _per_unique, _rx,
                                      _start)

#: Content hashes of an empty file (MD5, SHA-1, SHA-256): an "attachment" with this
#: hash is nothing, and would otherwise link every complaint with an empty upload.
EMPTY_FILE_HASHES = frozenset({
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
})

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_PUNCT_RE = re.compile(r"[\W_]+")
_HASH_PREFIX_RE = _rx(r"^(?:md5|sha1|sha-1|sha256|sha-256)\s*[:=]\s*", re.I)

# printable ASCII without quotes/backticks, and CJK unified ideographs: NFKC-stable
# characters that no cleaning rule touches
_SIMPLE_NOSPACE_RE = r"^[!#-&(-_a-~\x{4e00}-\x{9fef}]+$"


def _text_key_fast(arr, kind: str) -> tuple[np.ndarray, dict]:
    """Values that cleaning leaves alone (plain ASCII, or ASCII and CJK without spaces)."""
    if kind == "hash":
        return np.zeros(len(arr), dtype=bool), {}
    if kind == "text":  # spaces only between ASCII words: nothing next to a CJK character
        mask = _pa_match(arr, r"^[!#-&(-_a-~]+(?: [!#-&(-_a-~]+)*$") | _pa_match(arr, _SIMPLE_NOSPACE_RE)
    else:
        mask = _pa_match(arr, _SIMPLE_NOSPACE_RE)
    sub = arr.filter(mask)
    low = pc.utf8_lower(sub)
    junk = pc.is_in(low, value_set=pa.array(sorted(JUNK_TOKENS), type=pa.string())).to_numpy(
        zero_copy_only=False).astype(bool)
    if kind == "address":
        v = pc.replace_substring_regex(low, r"[^0-9a-z\x{4e00}-\x{9fef}]+", "")
        empty = _np_str(pc.equal(v, "")).astype(bool)
        bad = junk | empty
    else:
        v = sub
        bad = junk
    idx = np.flatnonzero(mask)
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx[~bad]] = True
    value = v.filter(pa.array(~bad))  # stays in Arrow (see _by_unique)
    return mask, {"value": value, "status": _ofull(len(value), OK)}


@_per_unique(_TEXT_SPEC, fast=_text_key_fast)
def _text_key_core(raw: pd.Series, kind: str) -> dict:
    n = len(raw)
    t, low, blank, junk = _start(raw)
    if kind == "text":
        v = t.str.replace(_CJK_SPACE_RE, "", regex=True)
    elif kind == "hash":
        v = low.str.replace(_HASH_PREFIX_RE, "", regex=True).str.replace(_WS_RE, "", regex=True)
        junk |= _b(v.isin(EMPTY_FILE_HASHES)) | (_fm(v, _HEX_RE) & _all_same_char(v, 2))
    else:  # address
        v = low.str.replace(_PUNCT_RE, "", regex=True)
        blank |= _b(v == "") & ~junk
    value = _o(v)
    status = _ofull(n, OK)
    _finish(n, blank, junk, status, value)
    return {"value": value, "status": status}


@_normaliser("Raw values.",
             "``value``, ``status`` (``ok``, ``junk``, ``missing``).",
             params='kind : {"text", "hash", "address"}\n'
             "    Which rules to apply.")
def normalize_text_key(s: pd.Series, kind: str = "text") -> pd.DataFrame | dict:
    """Normalise a generic identifier (agent, intermediary, officer, registration agent, hash).

    Rules
    -----
    * always: NFKC, invisible characters dropped, whitespace collapsed and stripped;
      :data:`JUNK_TOKENS` -> ``junk``, blank -> ``missing``;
    * ``kind="text"`` (default): case kept (ids are reported as given), spaces next to
      Chinese characters removed (``张 三`` -> ``张三``);
    * ``kind="hash"``: lowercased, whitespace and an ``md5:``/``sha256:`` prefix
      removed; hashes of the empty file (:data:`EMPTY_FILE_HASHES`) and all-zero
      hashes are ``junk``;
    * ``kind="address"``: a comparison key -- case folded, all whitespace and
      punctuation removed (see :func:`normalize_address_key`).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_text_key(pd.Series(["  张 律师 ", "Ｌａｗ  Firm", "未知", ""]))
          value   status
    0      张律师       ok
    1  Law Firm       ok
    2       NaN     junk
    3       NaN  missing
    >>> normalize_text_key("SHA256: E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
    ...                    kind="hash")["status"]
    'junk'
    """
    if kind not in ("text", "hash", "address"):
        raise ValueError(f"kind must be 'text', 'hash' or 'address', not {kind!r}")
    return _by_unique(s, functools.partial(_text_key_core, kind=kind))


@_normaliser("Raw addresses.",
             None,
             result="Series of str (or str/None for a single value)")
def normalize_address_key(s: pd.Series) -> pd.Series | str | None:
    """Comparable key of a free-text address (NA when missing or junk).

    NFKC, case folded, whitespace and all punctuation removed, so
    ``"北京市 朝阳区，建国路88号"`` and ``"北京市朝阳区建国路８８号"`` get the same key.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_address_key(pd.Series(["北京市 朝阳区，建国路88号", "北京市朝阳区建国路８８号", "无"])).tolist()
    ['北京市朝阳区建国路88号', '北京市朝阳区建国路88号', nan]
    """
    return normalize_text_key(s, kind="address")["value"]
