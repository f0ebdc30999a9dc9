"""Escaping and masking for HTML reports: every value that reaches a page goes through here.

Complaint texts, names and agent fields are written by the people under
investigation, so the report treats every data value as hostile:

* text placed in HTML goes through :func:`esc` (``html.escape`` with quotes);
* data placed in a ``<script>`` goes through :func:`script_json`, which escapes
  ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\uXXXX`` so that no value can
  close the script element or start an HTML comment;
* code we inline (vis-network, our own scripts and styles) goes through
  :func:`inline_code`, which refuses anything that would end its element;
* personal identifiers are masked by :mod:`graphring.present.privacy` (re-exported
  here as :func:`mask_prop`, :func:`mask_free_text`, :class:`Masker`) unless
  ``reveal`` is set.

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
from graphring.present.privacy import PROP_MASKS, Masker, NameScrubber, mask_key, mask_prop, mask_text

__all__ = ["esc", "script_json", "inline_code", "mask_free_text", "mask_prop", "mask_key", "NameScrubber", "Masker",
           "PROP_MASKS"]


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


#: Masking is :mod:`graphring.present.privacy`'s (one pass for every output); the report's names for it.
mask_free_text = mask_text
