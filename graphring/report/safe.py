"""Escaping and masking for HTML reports: every value that reaches a page goes through here.

Complaint texts, names and agent fields are written by the people under
investigation, so the report treats every data value as hostile:

* text placed in HTML goes through :func:`esc` (``html.escape`` with quotes);
* data placed in a ``<script>`` goes through :func:`script_json`, which escapes
  ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\uXXXX`` so that no value can
  close the script element or start an HTML comment;
* code we inline (vis-network, our own scripts and styles) goes through
  :func:`inline_code`, which refuses anything that would end its element;
* personal identifiers are masked by :func:`mask_prop` and
  :func:`mask_free_text` unless ``reveal`` is set.

Examples
--------
>>> esc('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> script_json({"t": "</script><script>alert(1)</script>"})
'{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
>>> mask_free_text("代理电话 +8613812345678，本人 13900001111")
'代理电话 +86 138****5678，本人 139****1111'
>>> mask_prop("name", "张三丰", reveal=False), mask_prop("name", "张三丰", reveal=True)
('张**', '张三丰')
"""

from __future__ import annotations

import html
import json
import re

from graphring.errors import GraphringError
from graphring.privacy import mask_generic, mask_id_number, mask_name, mask_phone, mask_text

__all__ = ["esc", "script_json", "inline_code", "mask_free_text", "mask_prop", "mask_key", "NameScrubber"]


def esc(value) -> str:
    """Escape any value for HTML text or a quoted attribute (``None`` becomes ``""``).

    Examples
    --------
    >>> esc(None), esc(3), esc('"onmouseover=alert(1)')
    ('', '3', '&quot;onmouseover=alert(1)')
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_RE = re.compile("[<>&\u2028\u2029]")


def script_json(obj) -> str:
    """JSON text that is safe inside ``<script>`` (no ``</script>``, ``<!--``, or line separators).

    The output is still valid JSON: ``JSON.parse`` and ``json.loads`` give the
    original values back.

    Examples
    --------
    >>> s = script_json(["a\\u2028b", "x&y"])
    >>> "\\u2028" in s, "&" in s, json.loads(s)
    (False, False, ['a\\u2028b', 'x&y'])
    """
    text = json.dumps(obj, ensure_ascii=False, default=str, allow_nan=False)
    return _SCRIPT_RE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def inline_code(code: str, element: str) -> str:
    """Check that code we ship can be inlined in ``<script>``/``<style>`` unchanged.

    Raises
    ------
    GraphringError
        If the code contains the element's closing tag or ``<!--``.

    Examples
    --------
    >>> inline_code("var a = 1 < 2;", "script")
    'var a = 1 < 2;'
    """
    low = code.lower()
    if f"</{element}" in low or "<!--" in low:
        raise GraphringError(f"cannot inline code containing </{element} or <!--")
    return code


_E164_CN = re.compile(r"\+86[ -]?(1[3-9]\d{9})(?!\d)")


def mask_free_text(text, reveal: bool = False):
    """Mask phone and resident-ID numbers inside free text (complaints, evidence details).

    Adds ``+86`` numbers to what :func:`graphring.privacy.mask_text` masks.

    Examples
    --------
    >>> mask_free_text("身份证420102199003071234")
    '身份证4201**********1234'
    >>> mask_free_text("+8613812345678", reveal=True)
    '+8613812345678'
    """
    if text is None or reveal:
        return text
    s = _E164_CN.sub(lambda m: "+86 " + mask_phone(m.group(1)), str(text))
    return mask_text(s)


def _mask_email(v: str) -> str:
    user, at, dom = v.partition("@")
    return mask_generic(user) + "@" + dom if at else mask_generic(v)


#: How each node or edge property is masked by default (anything else: :func:`mask_free_text`).
PROP_MASKS = {
    "name": mask_name, "agent": mask_name, "contact_name": mask_name,
    "phone": mask_phone, "complainant_phone": mask_phone,
    "id_number": mask_id_number,
    "email": _mask_email,
    "address": mask_generic, "address_key": mask_generic,
    "bank_account": mask_generic, "account": mask_generic, "device_id": mask_generic, "ip": mask_generic,
    "borrower_id": mask_generic, "person_id": mask_generic, "payer": mask_generic, "payee": mask_generic,
    "key": mask_generic, "intermediary": mask_generic,
}


def mask_prop(name: str, value, reveal: bool = False):
    """Mask one property value for display according to its column name.

    Examples
    --------
    >>> mask_prop("phone", "+8613812345678")
    '138****5678'
    >>> mask_prop("text", "请打13812345678")
    '请打138****5678'
    >>> mask_prop("amount", "5000.0")
    '5000.0'
    """
    if value is None or reveal:
        return value
    s = str(value)
    if not s:
        return s
    f = PROP_MASKS.get(name)
    return f(s) if f is not None else mask_free_text(s)


#: Tables whose own key is a public (non-personal) identifier.
_PUBLIC_KEY_TABLES = {"complaints": "complaint", "loans": "loan", "companies": "company"}


def mask_key(table, key, reveal: bool = False):
    """Mask the row key of an evidence row (borrower ids masked; complaint, loan, company ids kept).

    Examples
    --------
    >>> mask_key("complaints", "C0001"), mask_key("borrowers", "B000123")
    ('C0001', 'B*****3')
    """
    if key is None or reveal:
        return key
    if table in _PUBLIC_KEY_TABLES:
        return str(key)
    return mask_generic(str(key))


class NameScrubber:
    """Mask known personal names wherever they appear inside free text.

    Complaint letters name the borrower ("本人罗晨…"); :func:`mask_free_text`
    cannot know which characters are a name, but the report knows the names of
    the people in the ring (borrowers, contacts, agents), so it masks those.

    Examples
    --------
    >>> s = NameScrubber(["罗晨", "王大锤", "x"])
    >>> s("本人罗晨，委托王大锤代理")
    '本人罗*，委托王**代理'
    >>> NameScrubber(["罗晨"], reveal=True)("本人罗晨")
    '本人罗晨'
    """

    def __init__(self, names, reveal: bool = False):
        uniq = sorted({str(n).strip() for n in names if n is not None and len(str(n).strip()) >= 2},
                      key=lambda n: (-len(n), n))
        self._re = None if reveal or not uniq else re.compile("|".join(re.escape(n) for n in uniq))

    def __call__(self, text):
        if self._re is None or text is None:
            return text
        return self._re.sub(lambda m: mask_name(m.group(0)), str(text))
