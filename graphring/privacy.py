"""Masking of personal identifiers in every output (PIPL: sensitive personal information).

Reports mask by default; revealing is an explicit choice (``--reveal``) that the
output states on itself. One function per identifier shape, and
:func:`mask_entity` choosing by entity kind.

Examples
--------
>>> mask_phone("+8613812345678")
'138****5678'
>>> mask_id_number("420102199003071234")
'4201**********1234'
>>> mask_name("张三丰")
'张**'
>>> mask_entity("borrower", "B000123")
'B*****3'
>>> mask_entity("company", "91350100M000100Y43")
'91350100M000100Y43'
"""

from __future__ import annotations

import re

__all__ = ["mask_phone", "mask_id_number", "mask_name", "mask_generic", "mask_entity", "mask_text",
           "PUBLIC_KINDS"]

#: Entity kinds that are not personal data (companies are public registry facts;
#: officers are the lender's own staff ids; attachments are content hashes).
PUBLIC_KINDS = frozenset({"company", "officer", "attachment", "complaint", "loan", "registration_agent"})


def mask_phone(v: str) -> str:
    """``+8613812345678`` → ``138****5678``; other numbers keep 3 first and 4 last digits."""
    s = str(v)
    digits = re.sub(r"\D", "", s)
    if s.startswith("+86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return mask_generic(s)


def mask_id_number(v: str) -> str:
    """Resident ID: first 4 and last 4 characters kept."""
    s = str(v)
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def mask_name(v: str) -> str:
    """Chinese names keep the surname (``张*``); others keep the first letter of each word."""
    s = str(v).strip()
    if not s:
        return s
    if re.search(r"[\u4e00-\u9fff]", s):
        return s[0] + "*" * max(1, len(s) - 1)
    return " ".join(w[0] + "*" * (len(w) - 1) for w in s.split())


def mask_generic(v: str) -> str:
    """Keep about a quarter of the characters at each end."""
    s = str(v)
    n = len(s)
    if n <= 3:
        return "*" * n
    keep = max(1, n // 4)
    return s[:keep] + "*" * (n - 2 * keep) + s[-keep:]


def mask_entity(kind: str, v, reveal: bool = False) -> str:
    """Mask a member id for display according to its kind (unchanged when ``reveal``)."""
    if v is None:
        return ""
    s = str(v)
    if reveal or kind in PUBLIC_KINDS:
        return s
    if kind == "phone":
        return mask_phone(s)
    if kind == "id_number":
        return mask_id_number(s)
    if kind in ("name", "agent", "intermediary") and re.search(r"[\u4e00-\u9fff]", s):
        return mask_name(s)
    if kind == "email" and "@" in s:
        user, _, dom = s.partition("@")
        return mask_generic(user) + "@" + dom
    return mask_generic(s)


# a mainland mobile, with or without +86 / 0086, digits grouped by spaces or hyphens or not
_PHONE_IN_TEXT = re.compile(r"(?<![\d+])((?:\+86|0086|86)[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_text(text: str, reveal: bool = False) -> str:
    """Mask mobile and ID numbers inside free text (complaint bodies).

    Examples
    --------
    >>> mask_text("请联系13812345678，身份证420102199003071234")
    '请联系138****5678，身份证4201**********1234'
    >>> mask_text("电话+86 138-1234-5678 或 008613912345678 或 139 1234 5678")
    '电话+86 138****5678 或 0086139****5678 或 139****5678'
    """
    if reveal or text is None:
        return text
    t = _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), str(text))
    return _PHONE_IN_TEXT.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(4), t)
