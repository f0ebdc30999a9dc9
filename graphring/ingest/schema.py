"""The data contract as code: every input table, column, alias, type and key.

This module is the single source of truth for the input format described in
``DATA_CONTRACT.md``. Readers (header matching), validation (types, required
columns, keys, references), the graph model (which columns become which
entities), the Neo4j constraints and the generated documentation all read it;
no other module lists the columns by hand.

Column types
------------
``str``         free identifier-like string, stripped
``text``        free text (complaint bodies, names); kept verbatim, never a link
``phone``       normalised to +86 E.164 (:func:`graphring.normalize.normalize_phone`)
``id_number``   PRC resident ID, GB 11643 check digit
``uscc``        unified social credit code, GB 32100 check character
``device``      IMEI / Android ID / IDFV / fingerprint (IMEI Luhn-checked)
``ip``          IPv4 / IPv6
``account``     bank card, account number or e-wallet id
``key``         generic identifier (agent, intermediary, officer, attachment hash)
``address``     free-text address, compared on a normalised key
``attachments`` ``;``-separated list of content hashes
``date`` / ``datetime``, ``amount`` (CNY), ``int``, ``bool``, ``enum``

Check-digit policy
------------------
A value of the right shape whose check digit is wrong (``bad_check``) is **kept**
and the row is flagged (a warning problem naming file, row and column): bank
exports often carry typos in ID numbers, and dropping the whole borrower would
lose more than it protects. A value of the wrong shape in a *key or required*
column rejects the row; in an optional column it is blanked and reported.

Examples
--------
>>> from graphring.ingest.schema import TABLES, table
>>> table("borrowers").key
('borrower_id',)
>>> table("complaints").column("complainant_phone").type
'phone'
>>> "投诉电话" in table("complaints").column("complainant_phone").aliases
True
>>> sorted(TABLES)[:3]
['accounts', 'borrowers', 'companies']
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "table",
    "ENTITY_KINDS",
    "contract_markdown",
]


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    Attributes
    ----------
    name : str
        Contract (English) name.
    type : str
        One of the column types in the module docstring.
    aliases : tuple of str
        Chinese (and other) header spellings accepted for this column.
    required : bool
        The column must be present in the file and non-empty in every row.
    ref : str or None
        ``"table.column"`` this column must refer to (e.g. a borrower).
    entity : str or None
        Kind of graph entity this column's values become (``"phone"``, ...).
    choices : tuple of str
        Allowed values for ``enum`` columns (others are kept, with a warning).
    doc : str
        Meaning, as in the contract.
    """

    name: str
    type: str = "str"
    aliases: tuple[str, ...] = ()
    required: bool = False
    ref: str | None = None
    entity: str | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One input table: its file name, Chinese name, columns and key."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    doc: str = ""
    required: bool = False
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        """Return the column called ``name`` (contract name)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        """Contract names of all columns, in contract order."""
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        """Names of the columns that must be present."""
        return [c.name for c in self.columns if c.required]

    def header_lookup(self) -> dict[str, str]:
        """Map every accepted header spelling (folded) to its contract name."""
        out: dict[str, str] = {}
        for col in self.columns:
            for spelling in (col.name, *col.aliases):
                out[fold_header(spelling)] = col.name
        return out


def fold_header(h: str) -> str:
    """Fold a header for matching: NFKC, strip, lower case, no spaces or BOM.

    Examples
    --------
    >>> fold_header("  Borrower ID ")
    'borrower_id'
    >>> fold_header("\\ufeff客户号")
    '客户号'
    """
    h = unicodedata.normalize("NFKC", str(h)).replace("\ufeff", "").strip().lower()
    for ch in (" ", "-", "."):
        h = h.replace(ch, "_")
    return h.strip("_")


C = Column

ENUM_CHANNEL = ("regulator", "hotline", "letter", "app", "petition")
ENUM_DEMAND = ("stop_collection", "waive_interest", "reduce_principal", "installment",
               "compensation", "apology", "credit_repair", "other")
ENUM_REASON = ("illness", "death", "pregnancy", "unemployment", "collection_violation",
               "identity_theft", "other")

TABLES: dict[str, Table] = {}


def _add(t: Table) -> None:
    TABLES[t.name] = t


_add(Table(
    "borrowers", "借款人", required=True, key=("borrower_id",),
    doc="One row per borrower; the only required table.",
    columns=(
        C("borrower_id", "str", ("客户号", "客户编号", "借款人编号"), required=True, entity="borrower",
          doc="lender's customer number; unique"),
        C("name", "text", ("姓名", "客户姓名"), doc="full name"),
        C("id_number", "id_number", ("身份证号", "身份证号码", "证件号码"),
          doc="PRC resident ID, 18 chars, GB 11643 check digit"),
        C("phone", "phone", ("手机号", "手机号码", "联系电话"), entity="phone",
          doc="the borrower's own registered mobile"),
        C("province", "str", ("省份", "省"), doc="residence province"),
        C("city", "str", ("城市", "市"), doc="residence city"),
        C("credit_file", "enum", ("征信状态",), choices=("thin", "normal"),
          doc="`thin` (白户) or `normal`"),
        C("overdue_days", "int", ("逾期天数",), doc="current days past due"),
        C("outstanding", "amount", ("欠款金额", "未还金额", "欠款余额"), doc="outstanding balance, CNY"),
        C("co_debt_lenders", "int", ("共债机构数",), doc="number of lenders currently owed"),
        C("first_overdue_on", "date", ("首次逾期日", "首次逾期日期"), doc="date"),
        C("email", "key", ("邮箱", "电子邮箱"), entity="email", doc="e-mail address"),
        C("address", "address", ("地址", "家庭住址", "居住地址"), entity="address",
          doc="home address, free text"),
        C("bank_account", "account", ("银行卡号", "还款卡号"), entity="account",
          doc="the borrower's own repayment account"),
    ),
))

_add(Table(
    "contacts", "联系人", doc="Emergency and third-party contacts given at application.",
    columns=(
        C("borrower_id", "str", ("客户号",), required=True, ref="borrowers.borrower_id"),
        C("phone", "phone", ("联系人电话", "联系人手机"), required=True, entity="phone",
          doc="the contact's number"),
        C("relation", "enum", ("关系", "与本人关系"),
          choices=("spouse", "parent", "child", "sibling", "friend", "colleague", "other")),
        C("name", "text", ("联系人姓名",)),
    ),
))

_add(Table(
    "phone_events", "手机号事件", doc="Binding history and location of a borrower's phones.",
    columns=(
        C("borrower_id", "str", ("客户号",), required=True, ref="borrowers.borrower_id"),
        C("phone", "phone", ("手机号",), required=True, entity="phone"),
        C("event", "enum", ("事件", "事件类型"), required=True, choices=("bind", "unbind", "location")),
        C("at", "datetime", ("时间", "事件时间"), required=True),
        C("city", "str", ("城市",), doc="for `location`: city where the number was seen"),
    ),
))

_add(Table(
    "devices", "设备", doc="Device logins.",
    columns=(
        C("borrower_id", "str", ("客户号",), required=True, ref="borrowers.borrower_id"),
        C("device_id", "device", ("设备号", "设备ID", "设备指纹"), required=True, entity="device"),
        C("seen_at", "datetime", ("时间", "登录时间")),
        C("ip", "ip", ("IP", "IP地址", "登录IP"), entity="ip"),
    ),
))

_add(Table(
    "accounts", "账户", doc="Bank cards and accounts a borrower holds or uses.",
    columns=(
        C("borrower_id", "str", ("客户号",), required=True, ref="borrowers.borrower_id"),
        C("account", "account", ("卡号", "账号", "银行账号"), required=True, entity="account"),
        C("kind", "str", ("类型", "账户类型")),
        C("bank", "str", ("开户行", "银行")),
        C("seen_at", "datetime", ("时间",)),
    ),
))

_add(Table(
    "complaints", "投诉", key=("complaint_id",),
    doc="Complaints and claims filed about a borrower's debt.",
    columns=(
        C("complaint_id", "str", ("投诉编号", "工单号"), required=True, entity="complaint"),
        C("borrower_id", "str", ("客户号",), required=True, ref="borrowers.borrower_id"),
        C("complainant_phone", "phone", ("投诉电话", "来电号码", "投诉人电话"), entity="phone"),
        C("channel", "enum", ("渠道", "投诉渠道"), choices=ENUM_CHANNEL),
        C("received_at", "datetime", ("投诉时间", "受理时间")),
        C("demand", "enum", ("诉求",), choices=ENUM_DEMAND),
        C("claimed_reason", "enum", ("理由", "投诉理由"), choices=ENUM_REASON),
        C("text", "text", ("投诉内容", "内容")),
        C("attachments", "attachments", ("附件",), entity="attachment"),
        C("agent", "key", ("代理人", "委托代理人"), entity="agent"),
    ),
))

_add(Table(
    "companies", "企业", key=("uscc",), doc="Companies (employers, shells, counterparties).",
    columns=(
        C("uscc", "uscc", ("统一社会信用代码", "信用代码"), required=True, entity="company"),
        C("name", "text", ("企业名称", "公司名称")),
        C("address", "address", ("注册地址", "地址"), entity="address"),
        C("incorporated_on", "date", ("成立日期",)),
        C("registration_agent", "key", ("代办机构", "代理记账机构"), entity="registration_agent"),
        C("status", "str", ("状态", "经营状态")),
    ),
))

_add(Table(
    "company_roles", "任职", doc="People and companies.",
    columns=(
        C("uscc", "uscc", ("统一社会信用代码", "信用代码"), required=True, entity="company"),
        C("person_id", "str", ("人员编号", "客户号"), required=True, entity="person"),
        C("role", "enum", ("角色", "职务"), required=True,
          choices=("employee", "legal_rep", "shareholder", "director")),
        C("since", "date", ("起始日", "起始日期")),
        C("monthly_salary", "amount", ("月薪",)),
        C("social_insurance", "bool", ("社保",)),
    ),
))

_add(Table(
    "loans", "贷款", key=("loan_id",), doc="Loans and applications.",
    columns=(
        C("loan_id", "str", ("借据号", "贷款编号"), required=True, entity="loan"),
        C("borrower_id", "str", ("客户号",), required=True, ref="borrowers.borrower_id"),
        C("product", "enum", ("产品", "产品类型"),
          choices=("consumer", "business", "car", "mortgage", "credit_card")),
        C("amount", "amount", ("金额", "贷款金额")),
        C("applied_at", "datetime", ("申请时间",)),
        C("status", "enum", ("状态", "贷款状态"), choices=("current", "overdue", "charged_off", "closed")),
        C("officer_id", "key", ("客户经理",), entity="officer"),
        C("intermediary", "key", ("中介",), entity="intermediary"),
        C("employer_uscc", "uscc", ("单位", "工作单位"), entity="company"),
        C("counterparty_uscc", "uscc", ("交易对手",), entity="company"),
    ),
))

_add(Table(
    "payments", "流水", doc="Money movements between parties.",
    columns=(
        C("payer", "key", ("付款方",), required=True, entity="party"),
        C("payee", "key", ("收款方",), required=True, entity="party"),
        C("amount", "amount", ("金额", "交易金额"), required=True),
        C("paid_at", "datetime", ("交易时间", "付款时间")),
        C("purpose", "enum", ("用途",), choices=("salary", "trade", "loan_proceeds", "repayment", "other")),
        C("loan_id", "str", ("借据号",), ref="loans.loan_id"),
    ),
))

_add(Table(
    "watchlist", "名单", doc="Known bad identifiers, shared or internal.",
    columns=(
        C("kind", "enum", ("类型",), required=True,
          choices=("phone", "device", "account", "company", "person", "attachment", "agent", "intermediary")),
        C("value", "str", ("值",), required=True),
        C("label", "text", ("标签",)),
        C("source", "text", ("来源",)),
        C("key_fingerprint", "str", ("密钥指纹",),
          doc="`kfp:<hex>` of the HMAC key the `hmac:` values were made with (an HMAC of a fixed label, never "
              "the key): matching with another key is an error"),
        C("ring_id", "str", ("团伙编号",), doc="ring of the exporting run the entry comes from"),
        C("typology", "str", ("类型判断",), doc="that ring's typology"),
        C("score", "text", ("评分",), doc="that ring's score"),
        C("min_score", "text", ("评分下限",), doc="the score floor the list was exported at"),
    ),
))

#: Tables in load order (referenced tables first).
TABLE_ORDER: tuple[str, ...] = (
    "borrowers", "companies", "loans", "contacts", "phone_events", "devices",
    "accounts", "complaints", "company_roles", "payments", "watchlist",
)
assert set(TABLE_ORDER) == set(TABLES)

#: Entity kinds used in outputs (``ring_members.csv`` ``kind`` column) and their
#: graph labels. Defined once; :mod:`graphring.graph.model` builds the graph from it.
ENTITY_KINDS: dict[str, str] = {
    "borrower": "Borrower",
    "phone": "Phone",
    "device": "Device",
    "ip": "IP",
    "account": "Account",
    "company": "Company",
    "address": "Address",
    "complaint": "Complaint",
    "loan": "Loan",
    "officer": "Officer",
    "intermediary": "Intermediary",
    "agent": "Agent",
    "attachment": "Attachment",
    "registration_agent": "RegistrationAgent",
    "person": "Person",
    "email": "Email",
}


def table(name: str) -> Table:
    """Return the :class:`Table` called ``name``.

    Examples
    --------
    >>> table("loans").zh
    '贷款'
    """
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLE_ORDER)}") from None


def table_for_stem(stem: str) -> str | None:
    """Map a file or sheet name (English or Chinese) to a table name.

    Examples
    --------
    >>> table_for_stem("借款人")
    'borrowers'
    >>> table_for_stem("Complaints")
    'complaints'
    >>> table_for_stem("notes") is None
    True
    """
    s = fold_header(stem)
    for t in TABLES.values():
        if s == t.name or s == fold_header(t.zh) or s in {fold_header(a) for a in t.aliases}:
            return t.name
    return None


def contract_markdown() -> str:
    """Render the input contract as Markdown (used for ``docs/schema.md``).

    Examples
    --------
    >>> "| borrower_id |" in contract_markdown()
    True
    """
    lines = ["# Input tables (generated from graphring/ingest/schema.py)", ""]
    for name in TABLE_ORDER:
        t = TABLES[name]
        lines += [f"## {t.name} ({t.zh}){' — required' if t.required else ''}", "", t.doc, ""]
        if t.key:
            lines += [f"Key: `{', '.join(t.key)}`", ""]
        lines += ["| column | aliases | type | required | entity | meaning |", "|---|---|---|---|---|---|"]
        for c in t.columns:
            extra = f" (one of: {', '.join(c.choices)})" if c.choices else ""
            ref = f" → `{c.ref}`" if c.ref else ""
            lines.append(
                f"| {c.name} | {', '.join(c.aliases)} | {c.type}{ref} | {'yes' if c.required else ''} "
                f"| {c.entity or ''} | {c.doc}{extra} |"
            )
        lines.append("")
    return "\n".join(lines)
