"""Masking of personal information in every output (PIPL: sensitive personal information).

This module is the one place where graphring decides what a reader may see.
Every writer -- report pages, referral packs (HTML, PDF, CSV, XLSX, i2,
GraphML, GEXF, diagrams), ``explain``, ``watchlist export`` -- masks through
it; revealing is an explicit choice (``--reveal``) that the output states on
itself.

* one function per identifier shape (:func:`mask_phone`, :func:`mask_id_number`,
  :func:`mask_name`, :func:`mask_address`, :func:`mask_email`, :func:`mask_generic`);
* :func:`mask_entity` chooses by entity kind, :func:`mask_prop` by column name,
  :func:`mask_key` by table, :func:`mask_node` for ``kind:key`` node ids;
* :func:`mask_text` masks free text (complaint letters, evidence details): phone
  numbers in any spelling (``+86``, ``0086``, spaced, hyphenated, full-width
  digits), resident IDs and card/account numbers, landlines, e-mail addresses,
  street addresses below the district, and names after a label (``投诉人：``);
* :class:`Masker` adds what only the run knows: the names of ring members,
  contacts and agents, masked wherever they occur in text.
  :meth:`Masker.for_state` builds it from a run's saved subgraph.

Runs of more than six ``*`` are shortened to six, so a masked value does not
tell its length.

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
>>> mask_address("江苏省苏州市姑苏区人民路100号3栋2单元501室")
'江苏省苏州市姑苏区****'
>>> m = Masker(names=["蒋林嘉"])
>>> m.text("投诉人：蒋林嘉，电话＋８６ １５６-９５６６-６４２２，住江苏省苏州市姑苏区人民路100号")
'投诉人：蒋**，电话+86 156****6422，住江苏省苏州市姑苏区****'
"""

from __future__ import annotations

import re

__all__ = ["mask_phone", "mask_id_number", "mask_name", "mask_generic", "mask_address", "mask_email",
           "mask_agent", "mask_intermediary", "mask_entity", "mask_text", "mask_prop", "mask_key", "mask_node", "Masker",
           "NameScrubber", "PUBLIC_KINDS", "PROP_MASKS"]

#: Entity kinds that are not personal data (companies are public registry facts;
#: officers are the lender's own staff ids; attachments are content hashes).
PUBLIC_KINDS = frozenset({"company", "officer", "attachment", "complaint", "loan", "registration_agent"})

_STARS = re.compile(r"\*{7,}")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _short(s: str) -> str:
    """Runs of more than six ``*`` become six (a masked value does not tell its length)."""
    return _STARS.sub("******", s)


def mask_phone(v: str) -> str:
    """``+8613812345678`` → ``138****5678``; other numbers keep 3 first and 4 last digits.

    Examples
    --------
    >>> mask_phone("0512-68881234"), mask_phone("１３８１２３４５６７８")
    ('051*****1234', '138****5678')
    """
    s = str(v).translate(_HALF)
    digits = re.sub(r"\D", "", s)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
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
    if _CJK.search(s):
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


def mask_email(v: str) -> str:
    """The part before ``@`` masked, the domain kept.

    Examples
    --------
    >>> mask_email("zhang.san@qq.com")
    'zh*****an@qq.com'
    """
    user, at, dom = str(v).partition("@")
    return mask_generic(user) + "@" + dom if at else mask_generic(v)


_ADMIN = re.compile(r"^\s*((?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区))?"
                    r"(?:[\u4e00-\u9fff]{1,9}?(?:市|自治州|地区|盟))?"
                    r"(?:[\u4e00-\u9fff]{1,7}?(?:区|县|旗|市))?)")


def mask_address(v: str) -> str:
    """An address down to its district (区/县/旗/县级市); everything below becomes ``****``.

    Examples
    --------
    >>> mask_address("上海市浦东新区胜利路206号名仕家园17栋2单元204室")
    '上海市浦东新区****'
    >>> mask_address("湖北省襄阳市襄城区建设路328号"), mask_address("建设路328号")
    ('湖北省襄阳市襄城区****', '****')
    >>> mask_address("广东省深圳市")
    '广东省深圳市'
    """
    s = str(v).strip()
    keep = _ADMIN.match(s).group(1)
    return keep + "****" if len(keep) < len(s) else keep


_AGENT = re.compile(r"^\s*([^()（）]+?)\s*([(（].*[)）])\s*$")


def mask_agent(v: str) -> str:
    """An agent field ``name（organisation）``: the person's name masked, the organisation kept.

    Examples
    --------
    >>> mask_agent("刘龙宇（苏州德荣债务优化）"), mask_agent("马磊")
    ('刘**（苏州德荣债务优化）', '马*')
    """
    s = str(v)
    m = _AGENT.match(s)
    if m:
        return mask_name(m.group(1)) + m.group(2)
    return mask_name(s)


def mask_intermediary(v: str) -> str:
    """A loan intermediary: ``name（channel）`` masks the person's name; a firm's name is masked generically.

    Examples
    --------
    >>> mask_intermediary("李蕾(温州渠道)"), mask_intermediary("上海辉博助贷服务中心")
    ('李*(温州渠道)', '上海******中心')
    """
    s = str(v)
    return mask_agent(s) if _AGENT.match(s) else mask_generic(s)


def mask_entity(kind: str, v, reveal: bool = False) -> str:
    """Mask a member id for display according to its kind (unchanged when ``reveal``).

    Examples
    --------
    >>> mask_entity("address", "北京市东城区北京路71号"), mask_entity("id_number", "420102199003071234")
    ('北京市东城区****', '4201******1234')
    """
    if v is None:
        return ""
    s = str(v)
    if reveal or kind in PUBLIC_KINDS:
        return s
    if kind == "phone":
        out = mask_phone(s)
    elif kind == "id_number":
        out = mask_id_number(s)
    elif kind == "address":
        out = mask_address(s)
    elif kind == "agent":
        out = mask_agent(s)
    elif kind == "intermediary":
        out = mask_intermediary(s)
    elif kind == "name" and _CJK.search(s):
        out = mask_name(s)
    elif kind == "email" and "@" in s:
        out = mask_email(s)
    else:
        out = mask_generic(s)
    return _short(out)


# --- free text ------------------------------------------------------------------------

#: full-width digits, plus, hyphen, space and X as ASCII (one character for one: positions stay)
_HALF = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "＋": "+", "－": "-", "\u3000": " ",
                       "Ｘ": "X", "ｘ": "x", "（": "(", "）": ")"})
_SEPC = r"[ \-.\u00a0]"
# a mainland mobile with or without +86 / 0086 / (+86), digits grouped by spaces, hyphens or dots anyhow
_PHONE_IN_TEXT = re.compile(
    r"(?<![\d+])(?<!\d" + _SEPC + r")"
    r"((?:\(\+?86\)|\+\s?86|0086|86)" + _SEPC + r"?)?"
    r"(1[3-9]\d)((?:" + _SEPC + r"?\d){8})(?!" + _SEPC + r"?\d)")
# long digit runs: resident IDs (also 15-digit), bank cards and accounts, in groups or not
_LONG_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?<![0-9][ \-])(\d{2,}(?:[ \-]?\d{2,})*[Xx]?)(?![0-9A-Za-z])")
_DATES = re.compile(r"(?:\d{4}-\d{1,2}-\d{1,2}\s*)+")
_LANDLINE_IN_TEXT = re.compile(r"(?<![\d+])(?<!\d" + _SEPC + r")(0\d{2,3})(" + _SEPC + r"?)(\d{3,4})"
                               r"(" + _SEPC + r"?)(\d{4})(?!" + _SEPC + r"?\d)")
_EMAIL_IN_TEXT = re.compile(r"([A-Za-z0-9._%+\-]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
# a street address: ... district (区/县/旗/市/镇/乡) then a road and a house number, then building/unit/room
_ADDRESS_IN_TEXT = re.compile(
    r"(?<=[区县旗市镇乡])((?:(?![区县旗市省])[\u4e00-\u9fff]){1,12}?(?:路|街|大道|道|巷|弄|胡同|里|村)\s*\d+\s*(?:号|弄|组)"
    r"(?:[\u4e00-\u9fffA-Za-z]{0,10}?\d+\s*(?:号楼|栋|幢|座|楼|单元|室|层|号|-|#)+)*(?:\d+)?)")
_ROAD_IN_TEXT = re.compile(r"([\u4e00-\u9fff]{1,8}(?:路|街|大道|巷|弄|胡同)\s*\d+\s*号"
                           r"(?:[\u4e00-\u9fffA-Za-z]{0,10}?\d+\s*(?:号楼|栋|幢|座|楼|单元|室|层|号|-|#)+)*(?:\d+)?)")
_LABELLED_NAME = re.compile(r"((?:投诉人|委托人|代理人|联系人|申请人|借款人|当事人|紧急联系人|姓名|户主|签名)"
                            r"\s*[:：]?\s*)([\u4e00-\u9fff]{2,3})(?=[\s,，。;；:：()（）、]|$|身份|电话|手机|联系)")


def _long_number(m: re.Match) -> str:
    s = m.group(1)
    digits = re.sub(r"[ \-]", "", s)
    if len(digits) < 12 or _DATES.fullmatch(s):
        return s
    return digits[:4] + "******" + digits[-4:]


def _phone(m: re.Match) -> str:
    pre = m.group(1) or ""
    return (pre + " " if pre == "+86" else pre) + m.group(2) + "****" + re.sub(r"\D", "", m.group(3))[-4:]


def mask_text(text, reveal: bool = False):
    """Mask the personal numbers, e-mails, street addresses and labelled names inside free text.

    Phones in any spelling keep their prefix, 3 first and 4 last digits; IDs,
    cards and accounts (12 digits or more) keep 4 and 4; an address keeps its
    district; a name after ``投诉人：`` and the like keeps its surname.
    Full-width digits are read as digits (and written as ASCII where masked).

    Examples
    --------
    >>> mask_text("请联系13812345678，身份证420102199003071234")
    '请联系138****5678，身份证4201******1234'
    >>> mask_text("电话+86 138-1234-5678 或 008613912345678 或 139 1234 5678 或 （+86）139.1234.5678")
    '电话+86 138****5678 或 0086139****5678 或 139****5678 或 (+86)139****5678'
    >>> mask_text("卡号 6228 4808 3674 0715 278，座机0512-68881234，邮箱 li.ming@qq.com")
    '卡号 6228******5278，座机0512-****1234，邮箱 l*****g@qq.com'
    >>> mask_text("2024-01-06 2024-02-06 借款159,000.00元 投诉人:王小明 身份证尾号8537")
    '2024-01-06 2024-02-06 借款159,000.00元 投诉人:王** 身份证尾号8537'
    >>> mask_text("13812345678", reveal=True)
    '13812345678'
    """
    if reveal or text is None:
        return text
    t = str(text).translate(_HALF)
    t = _PHONE_IN_TEXT.sub(_phone, t)
    t = _LANDLINE_IN_TEXT.sub(lambda m: m.group(1) + (m.group(2) or m.group(4) or "") + "****" + m.group(5), t)
    t = _LONG_IN_TEXT.sub(_long_number, t)
    t = _EMAIL_IN_TEXT.sub(lambda m: _short(mask_generic(m.group(1))) + "@" + m.group(2), t)
    t = _ADDRESS_IN_TEXT.sub("****", t)
    t = _ROAD_IN_TEXT.sub("****", t)
    t = _LABELLED_NAME.sub(lambda m: m.group(1) + mask_name(m.group(2)), t)
    return _short(t)


# --- properties, keys, nodes ------------------------------------------------------------

#: How each node or edge property is masked by default (anything else: :func:`mask_text`).
PROP_MASKS = {
    "name": mask_name, "contact_name": mask_name, "agent": mask_agent,
    "phone": mask_phone, "complainant_phone": mask_phone,
    "id_number": mask_id_number,
    "email": mask_email,
    "address": mask_address, "address_key": mask_address, "text_address": mask_address,
    "bank_account": mask_generic, "account": mask_generic, "device_id": mask_generic, "ip": mask_generic,
    "borrower_id": mask_generic, "person_id": mask_generic, "payer": mask_generic, "payee": mask_generic,
    "key": mask_generic, "intermediary": mask_intermediary,
}


def mask_prop(name: str, value, reveal: bool = False, kind: str | None = None):
    """Mask one property value for display according to its column name (and its node's kind).

    ``kind="address"`` masks an address node's ``text`` as an address.

    Examples
    --------
    >>> mask_prop("phone", "+8613812345678")
    '138****5678'
    >>> mask_prop("text", "请打13812345678")
    '请打138****5678'
    >>> mask_prop("amount", "5000.0"), mask_prop("name", "张三丰", reveal=True)
    ('5000.0', '张三丰')
    >>> mask_prop("text", "北京市东城区北京路71号", kind="address")
    '北京市东城区****'
    """
    if value is None or reveal:
        return value
    s = str(value)
    if not s:
        return s
    f = mask_address if kind == "address" and name in ("text", "key") else PROP_MASKS.get(name)
    return _short(f(s)) if f is not None else mask_text(s)


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
    return _short(mask_generic(str(key)))


def mask_node(node, reveal: bool = False) -> str:
    """Mask a ``kind:key`` node id for display (``kind:masked``).

    Examples
    --------
    >>> mask_node("phone:+8613812345678"), mask_node("complaint:C0001"), mask_node(None)
    ('phone:138****5678', 'complaint:C0001', '')
    """
    if node is None or (isinstance(node, float) and node != node):
        return ""
    kind, _, key = str(node).partition(":")
    if kind == "template" or reveal:
        return str(node)
    return f"{kind}:{mask_entity(kind, key)}"


# --- names the run knows ------------------------------------------------------------------

def _person_names(v, person_part_only: bool = False) -> list[str]:
    """The personal names in a name or agent field (``刘龙宇（苏州德荣债务优化）`` → ``刘龙宇``)."""
    if v is None or (isinstance(v, float) and v != v):
        return []
    s = str(v).strip()
    if s in ("", "nan", "None", "<NA>"):
        return []
    m = _AGENT.match(s)
    if person_part_only and not m:
        return []
    out = [m.group(1).strip()] if m else [s]
    return [n for n in out if len(n) >= 2 and (_CJK.search(n) or len(n) >= 5)]


class Masker:
    """The masking pass of one run: known names masked in text, then :func:`mask_text`.

    Parameters
    ----------
    names : iterable of str
        Personal names that may occur in free text (ring members, contacts,
        agents); agent fields ``name（organisation）`` give their name.
    reveal : bool
        Leave everything as it is (``--reveal``).

    Examples
    --------
    >>> m = Masker(["罗晨", "王大锤", "x", "刘龙宇（苏州德荣债务优化）"])
    >>> m.text("本人罗晨，委托王大锤和刘龙宇代理，电话13812345678")
    '本人罗*，委托王**和刘**代理，电话138****5678'
    >>> m.prop("name", "罗晨"), m.prop("detail", "罗晨 shares a phone"), m.node("borrower:C10000001")
    ('罗*', '罗* shares a phone', 'borrower:C1*****01')
    >>> Masker(["罗晨"], reveal=True).text("本人罗晨")
    '本人罗晨'
    """

    def __init__(self, names=(), reveal: bool = False, intermediaries=()):
        self.reveal = bool(reveal)
        uniq = {n for v in names for n in _person_names(v)}
        uniq |= {n for v in intermediaries for n in _person_names(v, person_part_only=True)}
        self._names = frozenset(uniq)
        self._lengths = sorted({len(n) for n in uniq}, reverse=True)
        firsts = sorted({n[0] for n in uniq})
        self._first = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None

    @property
    def names(self) -> frozenset:
        """The personal names this masker looks for in text."""
        return self._names

    @classmethod
    def for_state(cls, nodes=None, edges=None, reveal: bool = False) -> Masker:
        """A masker knowing every personal name of a run's saved subgraph.

        Names come from borrower and person ``name`` properties, complaint
        ``agent`` fields, agent nodes and contact names on ``LISTS_CONTACT`` edges.
        """
        names: list = []
        inter: list = []
        if not reveal:
            for df, cols in ((nodes, ("name", "agent", "contact_name")), (edges, ("name", "contact_name"))):
                if df is None or not len(df):
                    continue
                for c in cols:
                    if c in df.columns:
                        if c == "name" and "kind" in df.columns:
                            vals = df.loc[df["kind"].isin(["borrower", "person"]), c]
                        else:
                            vals = df[c]
                        names.extend(vals.dropna().astype(str).unique().tolist())
                if "intermediary" in df.columns:
                    inter.extend(df["intermediary"].dropna().astype(str).unique().tolist())
                if "kind" in df.columns and "key" in df.columns:
                    names.extend(df.loc[df["kind"] == "agent", "key"].dropna().astype(str).tolist())
                    inter.extend(df.loc[df["kind"] == "intermediary", "key"].dropna().astype(str).tolist())
        return cls(names, reveal=reveal, intermediaries=inter)

    def names_in(self, text: str) -> str:
        """Mask the known names inside ``text`` (longest name first at each place)."""
        if self._first is None:
            return text
        out, i, n = [], 0, len(text)
        for m in self._first.finditer(text):
            j = m.start()
            if j < i:
                continue
            for ln in self._lengths:
                w = text[j:j + ln]
                if len(w) == ln and w in self._names:
                    out.append(text[i:j])
                    out.append(mask_name(w))
                    i = j + ln
                    break
        out.append(text[i:n])
        return "".join(out)

    def text(self, text):
        """Free text masked: known names, then numbers, addresses and labelled names."""
        if text is None or self.reveal:
            return text
        return mask_text(self.names_in(str(text)))

    def prop(self, name: str, value, kind: str | None = None):
        """One property masked by its column name; free-text columns also lose known names."""
        if value is None or self.reveal:
            return value
        f = mask_address if kind == "address" and name in ("text", "key") else PROP_MASKS.get(name)
        if f is not None:
            return mask_prop(name, value, kind=kind)
        return self.text(value)

    def entity(self, kind: str, key) -> str:
        """A node key masked by its kind."""
        return mask_entity(kind, key, self.reveal)

    def node(self, node) -> str:
        """A ``kind:key`` node id masked."""
        return mask_node(node, self.reveal)

    def key(self, table, key):
        """An evidence row key masked by its table."""
        return mask_key(table, key, self.reveal)


class NameScrubber(Masker):
    """Known names masked inside free text, nothing else (what the report used before :class:`Masker`).

    Examples
    --------
    >>> NameScrubber(["罗晨"])("本人罗晨，罗晨")
    '本人罗*，罗*'
    """

    def __call__(self, text):
        if text is None or self.reveal:
            return text
        return self.names_in(str(text))
