"""The message catalogue: every word graphring shows a reader, in Simplified Chinese and English.

One dict per language (:data:`MESSAGES`) for interface text, and one table per
vocabulary (:data:`SIGNAL_NAMES`, :data:`TYPOLOGY_NAMES`, :data:`KIND_NAMES`,
:data:`LINK_NAMES`, :data:`ROLE_NAMES`, :data:`RELATION_NAMES`,
:data:`EVENT_NAMES`) mapping a machine code to its ``(中文, English)`` names.
Pages, the console table of ``graphring rings`` and the referral pack all take
their words from here; Chinese is the default (:data:`DEFAULT_LANG`), English
is ``--lang en``. Codes (``template_complaint_text``) stay in the outputs as
ids for machines; readers see the human name.

A code without an entry falls back to the code itself (a new signal still shows,
by its code name); :func:`missing_names` lists every signal and typology that
has no name yet, and a test fails on that list.

Examples
--------
>>> signal_name("hub_complaint_phone")
'同一投诉来电代理多人'
>>> signal_name("hub_complaint_phone", "en")
'One complaint number files for many borrowers'
>>> signal_name("a_signal_added_later")
'a_signal_added_later'
>>> typology_name("debt_carrier"), typology_name("debt_carrier", "en")
('职业背债', 'Professional debt carriers')
>>> msg("rings_shown", "zh", n=3, total=5), msg("rings_shown", "en", n=3, total=5)
('显示 3 / 5 个团伙', '3 of 5 rings shown')
>>> check_lang("fr")
Traceback (most recent call last):
...
graphring.errors.LangError: --lang must be zh or en, not 'fr'
"""

from __future__ import annotations

from graphring.errors import LangError
from graphring.score.scoring import TYPOLOGIES
from graphring.signals import SIGNALS

__all__ = ["LANGS", "DEFAULT_LANG", "LangError", "check_lang", "msg", "messages", "signal_name", "typology_name",
           "kind_name", "link_name", "ring_link_name", "role_name", "relation_name", "event_name", "name",
           "missing_names", "SIGNAL_NAMES", "TYPOLOGY_NAMES", "KIND_NAMES", "LINK_NAMES", "RING_LINK_NAMES",
           "ROLE_NAMES", "RELATION_NAMES", "EVENT_NAMES", "MESSAGES", "js_texts", "status_name", "STATUS_NAMES"]

#: Languages of the catalogue; the first is the default.
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


def check_lang(lang) -> str:
    """The language code, checked (``None`` is the default, Chinese)."""
    if lang is None:
        return DEFAULT_LANG
    lang = str(lang).strip().lower()
    if lang in ("zh-cn", "zh_cn", "cn", "中文"):
        lang = "zh"
    if lang not in LANGS:
        raise LangError(f"--lang must be zh or en, not {lang!r}")
    return lang


#: Signal code -> (Chinese name, English name). Every entry of graphring.signals.SIGNALS needs one.
SIGNAL_NAMES: dict[str, tuple[str, str]] = {
    "hub_complaint_phone": ("同一投诉来电代理多人", "One complaint number files for many borrowers"),
    "foreign_complaint_phone": ("投诉来电非本人号码", "Complaint filed from a number not the borrower's"),
    "sim_in_agency_city": ("手机卡出现在代理机构所在城市", "Borrowers' SIMs seen in the agency's city"),
    "unbind_rebind_before_complaint": ("投诉前解绑并换绑手机号", "Account phone unbound and rebound before complaining"),
    "template_complaint_text": ("投诉文书雷同（同一模板）", "Complaint letters written from one template"),
    "shared_attachment": ("不同人提交相同附件", "The same attachment filed for different people"),
    "shared_agent": ("同一代理人代理多人投诉", "One agent represents many borrowers"),
    "fabricated_hardship_claims": ("困难证明材料雷同", "Hardship claims with documents repeated across borrowers"),
    "stop_collection_then_no_repayment": ("要求停催后仍不还款", "'Stop collecting and I will repay', then no repayment"),
    "activity_during_claimed_illness": ("声称住院或身故期间仍有活动", "Activity during a claimed illness or after a claimed death"),
    "escalation_to_petition": ("升级投诉至监管或信访", "Escalation to regulators and petitions"),
    "compensation_close_to_debts": ("索赔金额接近全部欠款", "Compensation claimed close to all debts"),
    "apology_then_compensation": ("先要求道歉公示、后索赔", "Apology and publication first, compensation later"),
    "high_co_debt_then_default": ("多头借贷、违约后投诉", "Many concurrent lenders, default, then complaints"),
    "shells_share_registration": ("空壳企业同一代办、同一注册地址", "Shell companies share a registration agent and address"),
    "recent_incorporation": ("企业在贷款前新近成立", "Companies incorporated just before the loans"),
    "circular_trade_flows": ("企业间资金循环流转", "Money going round among companies"),
    "payroll_to_thin_file": ("白户挂靠小企业代发工资", "Thin-file borrowers put on a small company's payroll"),
    "payroll_before_loan": ("贷款前数月突击代发工资", "Payroll starting a few months before the loan"),
    "counterparty_sister_shell": ("交易对手为关联空壳企业", "The loan's trade counterparty is a sister shell"),
    "officer_concentration": ("集中于同一客户经理", "Applications concentrated on one loan officer"),
    "multi_product_burst": ("短期内集中申请多种贷款", "A burst of applications across loan products"),
    "third_party_repayment": ("第三方代还款", "Third parties repay the first instalments"),
    "shared_broker_device": ("在中介设备上代为申请", "Applications made on the broker's device"),
    "layered_intermediaries": ("多层中介转介", "Layered intermediaries pass carriers along"),
    "default_after_packaging": ("包装后短期内违约", "Fresh packaged loans going bad quickly"),
    "shared_accounts_and_phones": ("非同住成员共用账户或手机号", "Accounts or phones shared by members who live apart"),
    "watchlist_match": ("命中黑名单或观察名单", "Identifier already on a watchlist"),
    "exclusive_controlled_ties": ("成员独占共用设备、账户或号码", "Devices, cards or numbers shared by the ring alone"),
    "demands_interest_waiver": ("诉求为停催并减免息费（仅用于判定类型）", "Demands that interest be waived (names the scheme only)"),
    "demands_apology_or_compensation": ("诉求为道歉公示或索赔（仅用于判定类型）",
                                        "Demands an apology or compensation (names the scheme only)"),
    "self_declared_representation": ("反证：律所或法律援助机构具名代理", "Counter-evidence: a law firm or legal aid names itself"),
    "legitimate_demands": ("反证：诉求为分期或减免本金", "Counter-evidence: asks for instalments or a reduction"),
    "repayment_after_complaint": ("反证：投诉后仍在还款", "Counter-evidence: repayment continues after the complaint"),
    "letters_in_own_words": ("反证：投诉信为本人自述", "Counter-evidence: letters in the writers' own words"),
}

#: Typology code -> (Chinese, English). Every entry of graphring.score.scoring.TYPOLOGIES needs one.
TYPOLOGY_NAMES: dict[str, tuple[str, str]] = {
    "proxy_complaint": ("职业化代理投诉（反催收）", "Anti-collection proxy complaints"),
    "debt_evasion": ("恶意逃废债", "Debt evasion with forged certificates"),
    "malicious_claim": ("恶意索赔", "Extortion by complaint"),
    "shell_company_loan": ("资质包装骗贷", "Shell-company loan packaging"),
    "debt_carrier": ("职业背债", "Professional debt carriers"),
    "mixed": ("混合型", "Mixed"),
    "none": ("未定类型", "No scheme"),
    "unclassified": ("未归类（仅有结构证据）", "Unclassified (structural evidence only)"),
}

#: Entity kind -> (Chinese, English).
KIND_NAMES: dict[str, tuple[str, str]] = {
    "borrower": ("借款人", "borrower"), "complaint": ("投诉", "complaint"), "phone": ("手机号", "phone"),
    "device": ("设备", "device"), "ip": ("IP地址", "IP address"), "account": ("银行账户", "bank account"),
    "company": ("企业", "company"), "address": ("地址", "address"), "loan": ("贷款", "loan"),
    "officer": ("客户经理", "loan officer"), "intermediary": ("中介", "intermediary"),
    "agent": ("投诉代理人", "complaint agent"), "attachment": ("附件", "attachment"),
    "registration_agent": ("工商代办机构", "registration agent"), "person": ("人员", "person"),
    "email": ("邮箱", "e-mail"), "template": ("模板文书", "complaint template"),
    "group": ("折叠组（点击展开）", "folded group (click to expand)"),
    "bgroup": ("借款人组", "borrower group"),
}

#: Projection link kind -> (Chinese, English).
LINK_NAMES: dict[str, tuple[str, str]] = {
    "complaint_phone": ("投诉来电号码", "complaint filed from"), "agent": ("投诉代理人", "complaint represented by"),
    "attachment": ("相同投诉附件", "complaint attaches"), "template": ("雷同投诉文书", "same template"),
    "repayer": ("第三方代还款", "loan repaid by"), "device": ("共用设备", "logged in on"),
    "account": ("共用银行账户", "holds account"), "bound_phone": ("绑定手机号", "phone bound"),
    "counterparty": ("放款流向同一交易对手", "loan proceeds paid to"), "contact_phone": ("紧急联系人电话", "lists contact"),
    "employer": ("同一工作单位", "works for"), "home_address": ("同一住址", "lives at"),
    "company_address": ("企业注册地址", "employer registered at"),
    "company_agent": ("同一工商代办", "employer registered by"), "officer": ("同一客户经理", "loan handled by"),
    "intermediary": ("同一中介", "loan via"), "email": ("同一邮箱", "e-mail"), "ip": ("同一IP地址", "logged in from"),
    "payment_party": ("资金往来", "paid / was paid by"), "paid": ("转账", "paid"), "repaid": ("还款", "repaid"),
    "company_group": ("资金循环的关联企业", "companies paying each other in a cycle"),
    "holds_role": ("任职", "role in"),
}

#: What links two rings one level up (rings.json ``ring_links`` ``kind``) -> (Chinese, English).
RING_LINK_NAMES: dict[str, tuple[str, str]] = {
    "script": ("同一投诉话术（雷同文书）", "one complaint script (near-identical letters)"),
    "attachment": ("同一材料模板（相同附件）", "one document template (identical attachments)"),
    "intermediary": ("同一上游中介", "one upstream broker"),
    "company_agent": ("同一工商代办", "one registration agent"),
    "agent": ("同一投诉代理人", "one complaint agent"),
    "complaint_phone": ("同一投诉来电号码", "one complaint phone number"),
    "counterparty": ("放款流向同一交易对手", "loan proceeds paid to one counterparty"),
}

#: Member role -> (Chinese, English).
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "member": ("成员", "member"), "carrier": ("背债人", "carrier"), "organizer": ("组织者", "organiser"),
    "hub_phone": ("代理投诉号码", "hub complaint phone"), "shared_phone": ("共用手机号", "shared phone"),
    "agent": ("投诉代理人", "agent"), "intermediary": ("中介", "intermediary"), "officer": ("客户经理", "officer"),
    "shared_document": ("共用附件", "shared document"), "registration_agent": ("工商代办", "registration agent"),
    "shared_email": ("共用邮箱", "shared e-mail"), "shared_ip": ("共用IP", "shared IP"),
    "shared_address": ("共用地址", "shared address"), "template_letter": ("模板文书", "template letter"),
    "loan": ("贷款", "loan"), "associate": ("关系人", "associate"), "broker_device": ("中介设备", "broker device"),
    "shared_device": ("共用设备", "shared device"), "broker_account": ("中介账户", "broker account"),
    "shared_account": ("共用账户", "shared account"), "shell": ("空壳企业", "shell company"),
    "company": ("企业", "company"), "shared_template": ("共用模板", "shared template"),
}

#: Input relationship type -> (Chinese, English).
RELATION_NAMES: dict[str, tuple[str, str]] = {
    "HAS_PHONE": ("本人手机号", "own phone"), "HAS_EMAIL": ("邮箱", "e-mail"), "LIVES_AT": ("居住于", "lives at"),
    "HOLDS_ACCOUNT": ("持有账户", "holds account"), "LISTS_CONTACT": ("紧急联系人", "lists contact"),
    "PHONE_EVENT": ("手机号绑定/出现", "phone bind/seen"), "USED_DEVICE": ("登录设备", "logged in on"),
    "LOGGED_IN_FROM": ("登录IP", "logged in from"), "ABOUT": ("投诉涉及", "complaint about"),
    "FILED_FROM": ("投诉来电", "complaint from phone"), "ATTACHES": ("附件", "attaches"),
    "REPRESENTED_BY": ("代理人", "represented by"), "REGISTERED_BY": ("代办机构", "registered by"),
    "REGISTERED_AT": ("注册地址", "registered at"), "HOLDS_ROLE": ("任职", "role in"),
    "HAS_LOAN": ("贷款", "has loan"), "HANDLED_BY": ("经办客户经理", "handled by officer"),
    "VIA": ("经由中介", "via intermediary"), "CLAIMS_EMPLOYER": ("申报工作单位", "claims employer"),
    "PROCEEDS_TO": ("放款流向", "proceeds paid to"), "PAID": ("付款", "paid"), "REPAID": ("还款", "repaid loan"),
    "TEMPLATE": ("同一模板", "same template"), "LINK": ("共用标识", "shared identifier"),
}

#: Timeline event category -> (Chinese, English).
EVENT_NAMES: dict[str, tuple[str, str]] = {
    "complaint": ("投诉", "complaint"), "phone": ("手机号", "phone"), "loan": ("贷款", "loan"),
    "payment": ("付款", "payment"), "overdue": ("逾期", "overdue"),
}

#: History status (graphring.analyse.history) -> (Chinese, English).
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "new": ("新", "new"), "same": ("不变", "same"), "unchanged": ("不变", "unchanged"), "grown": ("扩大", "grown"),
    "shrunk": ("缩小", "shrunk"), "merged": ("合并", "merged"), "split": ("拆分", "split"), "gone": ("消失", "gone"),
    "changed": ("变化", "changed"),
}

_TABLES = {"signal": SIGNAL_NAMES, "typology": TYPOLOGY_NAMES, "kind": KIND_NAMES, "link": LINK_NAMES,
           "ring_link": RING_LINK_NAMES, "role": ROLE_NAMES, "relation": RELATION_NAMES, "event": EVENT_NAMES,
           "status": STATUS_NAMES}


def name(vocabulary: str, code, lang: str = DEFAULT_LANG) -> str:
    """Human name of ``code`` in one vocabulary (``signal``, ``typology``, ``kind``...); the code if none.

    Examples
    --------
    >>> name("kind", "phone"), name("kind", "phone", "en"), name("kind", "spaceship")
    ('手机号', 'phone', 'spaceship')
    """
    entry = _TABLES[vocabulary].get(str(code))
    if entry is None:
        return "" if code is None else str(code)
    return entry[0] if check_lang(lang) == "zh" else entry[1]


def signal_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of a signal (its code when the catalogue has none)."""
    return name("signal", code, lang)


def typology_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of a typology (its code when the catalogue has none)."""
    return name("typology", code, lang)


def kind_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of an entity kind."""
    return name("kind", code, lang)


def link_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of a projection link kind."""
    return name("link", code, lang)


def ring_link_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of what links two rings of one family (``script``, ``intermediary``...).

    Examples
    --------
    >>> ring_link_name("script"), ring_link_name("company_agent", "en")
    ('同一投诉话术（雷同文书）', 'one registration agent')
    """
    return name("ring_link", code, lang)


def role_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of a member role."""
    return name("role", code, lang)


def relation_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of an input relationship type (``FILED_FROM``...)."""
    return name("relation", code, lang)


def event_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of a timeline event category."""
    return name("event", code, lang)


def status_name(code, lang: str = DEFAULT_LANG) -> str:
    """Human name of a ring's history status (新/扩大/缩小/合并/拆分)."""
    return name("status", code, lang)


def missing_names() -> dict[str, list[str]]:
    """Signals and typologies that have no Chinese or English name in the catalogue.

    Examples
    --------
    >>> missing_names()
    {'signals': [], 'typologies': []}
    """

    def lacking(table, codes):
        return sorted(c for c in codes if c not in table or not all(str(x).strip() for x in table[c][:2]))

    return {"signals": lacking(SIGNAL_NAMES, [s.name for s in SIGNALS]),
            "typologies": lacking(TYPOLOGY_NAMES, list(TYPOLOGIES) + ["mixed", "none"])}


#: Interface text, one dict per language (``{name}`` fields filled by :func:`msg`).
MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        # pages, shared
        "masked_note": "标识已脱敏（个人信息保护法）。如需显示完整标识，请加 --reveal 重新生成。",
        "reveal_banner": "已显示完整标识：本页包含未脱敏的个人信息（姓名、手机号、证件号、账号）。请依个人信息保护法处理，不得外传。",
        "index_title": "graphring — 团伙排名",
        "rings_n": "{n} 个团伙",
        "rings_of": "{n} / {total} 个团伙",
        "rings_shown": "显示 {n} / {total} 个团伙",
        "top_note": "（本次运行共 {total} 个团伙，显示前 {n} 个）",
        "filter_placeholder": "筛选：团伙编号、线索、类型…",
        "filter_label": "筛选团伙",
        "typology": "类型",
        "all": "全部",
        "no_rings": "本次运行没有分数超过阈值的团伙。",
        "index_footer": "点击列标题排序，点击一行打开该团伙的关系网络。分数用于排列可疑程度，不构成法律结论。金额单位：人民币元。",
        "col_rank": "#", "col_ring": "团伙", "col_score": "分数", "col_typology": "类型", "col_borrowers": "借款人",
        "col_kinds": "成员构成", "col_outstanding": "欠款余额", "col_loans": "贷款", "col_signals": "主要线索",
        "col_first": "最早活动", "col_last": "最近活动", "col_status": "与上次比较", "col_pack": "移送材料",
        "loans_n": "{n} 笔贷款",
        "pack_link": "移送材料",
        "meta_rings": "{n} 个团伙",
        "meta_algorithm": "算法 {algorithm}，随机种子 {seed}",
        "kinds_item": "{kind} {n}",
        "hubs_title": "作为枢纽排除的标识",
        "hubs_intro": "以下标识被太多借款人共用（超过该类标识的上限），视为公共枢纽（大型单位、公共网络、通用号码等），未用于关联借款人。",
        "hubs_none": "本次运行没有标识因共用过多而被排除。",
        "hub_kind": "标识类型", "hub_value": "标识（已脱敏）", "hub_n": "共用借款人数", "hub_rule": "排除规则",
        "hub_rule_text": "{link}：共用人数 {n} > 上限 {cap}",
        "hubs_more": "另有 {n} 个，完整列表见 rings.json 的 suppressed_hubs。",
        "col_family": "所属链条",
        "family_mates": "同链条：",
        "families_title": "团伙网络（全链条）",
        "families_intro": "以下各链条中的团伙各自独立报告、分别评分，但共用同一上游：同一套投诉话术、同一材料模板、"
                          "同一中介或同一工商代办。共用上游说明它们可能向同一供应商购买服务，并不说明它们是同一个团伙；"
                          "可一并调查整条链。",
        "family_head": "链条 {family}：{n} 个团伙",
        "family_by": "关联方式：{kinds}",
        "family_col_pair": "团伙", "family_col_kind": "关联方式", "family_col_n": "共用数量",
        "family_col_examples": "示例", "family_col_examples_masked": "示例（已脱敏）",
        "family_n_script": "{n} 对雷同投诉信",
        "family_n_ident": "{n} 个共用标识",
        "family_ex_script": "{a} 与 {b} 的投诉信",
        "family_not_shown": "未列入本报告",
        "family_ring_title": "所属链条 {family}",
        "family_ring_intro": "本团伙与以下团伙共用上游（话术、材料模板、中介或工商代办）；它们仍是各自独立的团伙。",
        "family_ring_also": "同链条的其他团伙：",
        "history_title": "与上次运行比较",
        "history_came": "新增成员 {n}",
        "history_went": "离开成员 {n}",
        "history_prev": "上次编号 {ids}",
        "history_gone": "本次消失的团伙：{ids}",
        # ring page
        "ring_title": "团伙 {ring} — {typology}",
        "ring_meta": "分数 {score} · {nb} 名借款人 · {nm} 个成员",
        "back": "← 全部团伙",
        "noscript": "本页用 JavaScript 绘制关系网络，请启用后查看。线索和成员见 rings.json 和 ring_members.csv。",
        "search_placeholder": "搜索姓名、编号、文本…",
        "search_label": "搜索实体",
        "freeze": "冻结布局", "unfreeze": "解除冻结", "fit": "适应窗口",
        "core": "仅核心", "core_title": "只显示团伙借款人、关联实体、投诉及证据涉及的实体", "show_all": "显示全部",
        "expand_groups": "展开全部组", "summary_view": "概要视图", "members_view": "成员视图",
        "network_label": "团伙关系网络",
        "section_ring": "团伙", "section_signals": "线索", "section_timeline": "时间线",
        "details_hint": "点击实体或连线查看属性及其背后的证据行。虚线框为折叠组：点击展开。",
        "all_events": "全部事件", "event_type": "事件类型",
        "sum_score": "分数", "sum_typology": "类型", "sum_members": "成员", "sum_schemes": "各类型得分",
        "sum_robustness": "稳健性", "sum_graph": "关系图",
        "robust_text": "最弱割 {w}（{method}）", "robust_links": "；被割断的关联：{links}",
        "robust_splits": "；将分离 {who}", "robust_more": " 等另 {n} 人",
        "graph_stats": "{nodes} 个实体，{edges} 条关联，{events} 个有日期的事件",
        "graph_groups": "；{n} 个折叠组",
        "path": "证据路径", "path_none": "两者之间没有证据路径",
        "export_png": "导出 PNG", "export_svg": "导出 SVG",
        "selected_two": "选择两个成员（按住 Ctrl 点击）查看最短证据路径",
        "filters": "筛选",
        # console
        "console_title": "排名靠前的团伙（共发现 {n} 个）",
        "c_ring": "团伙", "c_score": "分数", "c_typology": "类型", "c_borrowers": "借款人", "c_entities": "关联实体",
        "c_signals": "主要线索", "c_status": "与上次比较", "c_change": "成员变化",
        "console_wrote": "已写入 {files}",
        "console_gone": "上次有、本次消失的团伙：{ids}",
        "console_hubs": "作为枢纽排除的标识 {n} 个（见 rings.json 的 suppressed_hubs）",
        "console_families": "共用上游（话术、材料模板、中介、工商代办）的团伙网络 {n} 个，涉及 {m} 个团伙"
                            "（见 rings.json 的 ring_links；报告首页按链条分组）",
        "report_wrote": "已写入 {index} 及 {n} 个团伙页面至 {out}（{mb} MB，{s} 秒）；用浏览器打开 index.html（可离线使用）。",
        "report_revealed": "所有页面均显示完整标识（页面有醒目提示）。请将这些文件作为个人信息处理。",
        "report_masked": "标识已脱敏；如需完整标识请加 --reveal。",
        "writing": "正在写入 {what}",
        # graph labels and timeline events
        "ev_bound": "绑定", "ev_unbound": "解绑", "ev_seen_in": "出现于{city}", "ev_phone_event": "手机号事件",
        "ev_repaid_of": "代还 {who} 的贷款", "ev_role": "职务", "ev_role_of": "任{role}", "ev_salary": "，月薪 {sal}",
        "edge_rows": "{name}：{n} 条输入行", "edge_row": "{table} 第 {row} 行", "edge_more": "… 另有 {n} 行",
        "group_tip": "{desc}（点击展开）", "outside_legend": "本团伙以外的借款人",
        "ev_complaint": "投诉", "ev_via": "，渠道 {x}", "ev_demand": "，诉求 {x}", "ev_reason": "，理由 {x}",
        "ev_loan": "申请贷款", "ev_overdue": "首次逾期", "ev_phone_bound": "绑定手机号", "ev_phone_unbound": "解绑手机号",
        "ev_phone_seen": "手机号出现", "ev_phone_other": "手机号 {e}", "ev_in": "于{city}", "ev_paid": "付款",
        "ev_repaid": "还款",
        # printed diagram (graphring/present/diagram.py)
        "summary_group": "{ref} 组：{n} 名借款人", "summary_hub_n": "{n} 人",
        "dg_entities": "节点", "dg_links": "关联（线宽：关联种类数）", "dg_links_summary": "关联（线宽：组内借款人数）",
        "dg_title": "团伙关系图 {ring}", "dg_title_summary": "团伙关系概要图 {ring}",
        "dg_sub": "{typology} · 评分 {score} · {nb} 名借款人，{ne} 个关联要素",
        "dg_run": "运行日期 {date} · 算法 {algorithm}，随机种子 {seed} · 运行 {run}",
        "dg_foot": "标签：材料编号 + 标识；全部关联及来源行见 links.csv",
        "dg_foot_summary": "概要图：枢纽（括号内为关联借款人数）及其关联的借款人组；全部成员见 members.csv，全部关联见 links.csv",
        # ring page script (graphring/present/report/assets/ring.js), keys without "js_"
        "js_entity": "实体", "js_role": "角色", "js_outside": "（本团伙以外的借款人）",
        "js_ev_rows": "{n} 条证据 — 点击查看", "js_folded_tip": "{n} 个折叠实体：双击显示",
        "js_freeze": "冻结布局", "js_unfreeze": "解除冻结", "js_draw_failed": "无法绘制关系图：",
        "js_laying": "正在布局 {n} 个节点…", "js_laying_pct": "正在布局… {p}%",
        "js_settled": "显示 {n} 个节点、{m} 条关联 · 布局已冻结（可拖动节点）",
        "js_core": "仅核心", "js_show_all": "显示全部", "js_core_view": "核心视图：{n} 个实体", "js_n_shown": "显示 {n} 个节点",
        "js_expanded": "已展开 {n} 个实体；显示 {m} 个节点", "js_expanded_n": "已展开 {n} 个实体",
        "js_kind": "类型", "js_id": "编号", "js_role_in_ring": "团伙中角色", "js_note": "备注",
        "js_outside_note": "本团伙以外的借款人", "js_show_folded": "显示 {n} 个折叠实体",
        "js_evidence": "证据（{n}）", "js_signal": "线索", "js_table": "表", "js_row": "行", "js_detail": "说明",
        "js_more": "… 另有 {n} 条", "js_links": "关联（{n}）", "js_from": "起点", "js_to": "终点",
        "js_relationship": "关系", "js_sig_detail": " {c}（强度 {s} × 权重 {w}）· {n} 行", "js_schemes": "类型：",
        "js_borrower": "借款人", "js_key": "键", "js_more_rows": "… 另有 {n} 行，见 rings.json",
        "js_no_signal": "没有线索触发", "js_matches": "{n} 个匹配", "js_entities": "实体", "js_fold_legend": "点击折叠图例",
        "js_member_border": "粗边框：团伙成员", "js_links_legend": "关联", "js_events_n": "{n} / {m} 个事件",
        "js_in_month": "（{m}）", "js_more_events": "… 另有 {n} 个：请在上方选择月份", "js_no_events": "本团伙没有有日期的事件",
        "js_no_events_month": "无事件", "js_path": "证据路径", "js_path_none": "所选两个实体之间没有证据路径",
        "js_path_hint": "按住 Ctrl 点击两个实体，显示它们之间的最短证据路径",
        "js_path_n": "最短证据路径：{n} 跳", "js_summary_view": "概要视图", "js_members_view": "成员视图",
        "js_expand_group": "展开此组（{n} 名借款人）", "js_bgroup": "{n} 名借款人", "js_bgroup_tip": "{n} 名借款人，共同关联：{hubs}（点击展开）",
        "js_filter_kind": "点击图例项可隐藏/显示该类实体或关联", "js_hidden": "（已隐藏）",
        "js_export_png": "导出 PNG", "js_export_svg": "导出 SVG", "js_search_found": "已定位：{label}",
    },
    "en": {
        "masked_note": "Identifiers masked (PIPL). Rerun with --reveal to show them.",
        "reveal_banner": "Identifiers revealed: this page shows unmasked personal data (names, phone, ID and account "
                         "numbers). Handle under PIPL; do not share.",
        "index_title": "graphring — ranked rings",
        "rings_n": "{n} rings",
        "rings_of": "{n} of {total} rings",
        "rings_shown": "{n} of {total} rings shown",
        "top_note": " (top {n} of {total} in this run)",
        "filter_placeholder": "Filter: ring, signal, typology…",
        "filter_label": "Filter rings",
        "typology": "Typology",
        "all": "all",
        "no_rings": "This run found no ring above the score threshold.",
        "index_footer": "Click a column header to sort, a row to open the ring's network. Scores rank suspicion; "
                        "they are not a legal conclusion. Amounts in CNY.",
        "col_rank": "#", "col_ring": "Ring", "col_score": "Score", "col_typology": "Typology", "col_borrowers": "Borrowers",
        "col_kinds": "Members by kind", "col_outstanding": "Outstanding", "col_loans": "Loans",
        "col_signals": "Strongest signals", "col_first": "First activity", "col_last": "Last activity",
        "col_status": "Since last run", "col_pack": "Referral pack",
        "loans_n": "{n} loans",
        "pack_link": "referral pack",
        "meta_rings": "{n} rings",
        "meta_algorithm": "algorithm {algorithm}, seed {seed}",
        "kinds_item": "{n} {kind}",
        "col_family": "Family",
        "family_mates": "with ",
        "families_title": "Networks of rings (whole chain)",
        "families_intro": "The rings of each family below are reported and scored as separate rings, but share one "
                          "upstream supplier: one complaint script, one document template, one broker or one "
                          "registration agent. A shared supplier means they may buy from the same source, not that "
                          "they are one ring; the whole chain can be investigated together.",
        "family_head": "Family {family}: {n} rings",
        "family_by": "linked by: {kinds}",
        "family_col_pair": "Rings", "family_col_kind": "Linked by", "family_col_n": "Shared",
        "family_col_examples": "Examples", "family_col_examples_masked": "Examples (masked)",
        "family_n_script": "near-identical letter pairs: {n}",
        "family_n_ident": "shared identifiers: {n}",
        "family_ex_script": "letters of {a} and {b}",
        "family_not_shown": "not in this report",
        "family_ring_title": "Family {family}",
        "family_ring_intro": "This ring shares an upstream supplier (script, document template, broker or registration "
                             "agent) with the rings below; they remain separate rings.",
        "family_ring_also": "Also in this family: ",
        "hubs_title": "Suppressed as hubs",
        "hubs_intro": "These identifiers were shared by more borrowers than their kind's cap: treated as hubs "
                      "(big employers, public Wi-Fi, common numbers) and not used to link borrowers.",
        "hubs_none": "No identifier was suppressed as a hub in this run.",
        "hub_kind": "Kind", "hub_value": "Identifier (masked)", "hub_n": "Borrowers sharing it", "hub_rule": "Rule",
        "hub_rule_text": "{link}: shared by {n} > cap {cap}",
        "hubs_more": "{n} more: the full list is rings.json suppressed_hubs.",
        "history_title": "Against the previous run",
        "history_came": "{n} came",
        "history_went": "{n} went",
        "history_prev": "previously {ids}",
        "history_gone": "Rings of the previous run that are gone: {ids}",
        "ring_title": "Ring {ring} — {typology}",
        "ring_meta": "score {score} · {nb} borrowers · {nm} members",
        "back": "← all rings",
        "noscript": "This page draws the ring with JavaScript; enable it to see the network. The signals and members "
                    "are in rings.json and ring_members.csv.",
        "search_placeholder": "Search name, id, text…",
        "search_label": "Search entities",
        "freeze": "Freeze layout", "unfreeze": "Unfreeze layout", "fit": "Fit",
        "core": "Core only", "core_title": "Show only the ring's borrowers, its tying entities, complaints and "
                                           "entities named in evidence", "show_all": "Show all",
        "expand_groups": "Expand groups", "summary_view": "Summary view", "members_view": "Members view",
        "network_label": "Network of the ring",
        "section_ring": "Ring", "section_signals": "Signals", "section_timeline": "Timeline",
        "details_hint": "Click an entity or a link to see its properties and the evidence rows behind it. Dashed "
                        "boxes are folded groups: click to expand.",
        "all_events": "all events", "event_type": "Event type",
        "sum_score": "score", "sum_typology": "typology", "sum_members": "members", "sum_schemes": "scheme scores",
        "sum_robustness": "robustness", "sum_graph": "graph",
        "robust_text": "weakest cut {w} ({method})", "robust_links": "; links cut: {links}",
        "robust_splits": "; would split off {who}", "robust_more": " and {n} more",
        "graph_stats": "{nodes} entities, {edges} links, {events} dated events",
        "graph_groups": "; {n} folded groups",
        "path": "Evidence path", "path_none": "no evidence path between them",
        "export_png": "Export PNG", "export_svg": "Export SVG",
        "selected_two": "Select two members (Ctrl-click) for the shortest evidence path",
        "filters": "Filters",
        "console_title": "Top rings ({n} found)",
        "c_ring": "ring", "c_score": "score", "c_typology": "typology", "c_borrowers": "borrowers",
        "c_entities": "entities", "c_signals": "strongest signals", "c_status": "since last run",
        "c_change": "members came/went",
        "console_wrote": "Wrote {files}",
        "console_gone": "Rings of the previous run that are gone: {ids}",
        "console_hubs": "{n} identifiers suppressed as hubs (rings.json suppressed_hubs)",
        "console_families": "Networks of rings sharing a supplier (script, document template, broker, "
                            "registration agent): {n}, with {m} rings (rings.json ring_links; the report index "
                            "groups them)",
        "report_wrote": "Wrote {index} and {n} ring pages to {out} ({mb} MB, {s} s); open index.html in a browser "
                        "(works offline).",
        "report_revealed": "Identifiers are REVEALED on every page (a banner says so). Handle the files as personal data.",
        "report_masked": "Identifiers are masked; use --reveal to show them.",
        "writing": "writing {what}",
        "ev_bound": "bound", "ev_unbound": "unbound", "ev_seen_in": "seen in {city}", "ev_phone_event": "phone event",
        "ev_repaid_of": "repaid loan of {who}", "ev_role": "role", "ev_role_of": "{role} of", "ev_salary": ", {sal}/month",
        "edge_rows": "{name}: {n} input row(s)", "edge_row": "{table} row {row}", "edge_more": "… and {n} more",
        "group_tip": "{desc} (click to expand)", "outside_legend": "borrower outside this ring",
        "ev_complaint": "complaint", "ev_via": " via {x}", "ev_demand": ", demand {x}", "ev_reason": ", reason {x}",
        "ev_loan": "loan applied", "ev_overdue": "first overdue", "ev_phone_bound": "phone bound",
        "ev_phone_unbound": "phone unbound", "ev_phone_seen": "phone seen", "ev_phone_other": "phone {e}",
        "ev_in": " in {city}", "ev_paid": "paid", "ev_repaid": "repaid loan",
        "summary_group": "group {ref}: {n} borrowers", "summary_hub_n": "{n} borrowers",
        "dg_entities": "Entities", "dg_links": "Links (line width: number of link kinds)",
        "dg_links_summary": "Links (line width: borrowers of the group)",
        "dg_title": "Ring diagram {ring}", "dg_title_summary": "Ring summary diagram {ring}",
        "dg_sub": "{typology} · score {score} · {nb} borrowers, {ne} shared entities",
        "dg_run": "run date {date} · algorithm {algorithm}, seed {seed} · run {run}",
        "dg_foot": "labels: pack reference + identifier; full link list with source rows in links.csv",
        "dg_foot_summary": "summary: hubs (borrowers tied, in brackets) and the borrower groups they tie; every member "
                           "in members.csv, every link in links.csv",
        "js_entity": "entity", "js_role": "role", "js_outside": "(borrower outside this ring)",
        "js_ev_rows": "{n} evidence row(s) — click for details", "js_folded_tip": "{n} folded entities: double-click to show them",
        "js_freeze": "Freeze layout", "js_unfreeze": "Unfreeze layout", "js_draw_failed": "the graph could not be drawn: ",
        "js_laying": "laying out {n} nodes…", "js_laying_pct": "laying out… {p}%",
        "js_settled": "{n} nodes, {m} links shown · layout frozen (drag nodes to move them)",
        "js_core": "Core only", "js_show_all": "Show all", "js_core_view": "core view: {n} entities", "js_n_shown": "{n} nodes shown",
        "js_expanded": "expanded {n} entities; {m} nodes shown", "js_expanded_n": "expanded {n} entities",
        "js_kind": "kind", "js_id": "id", "js_role_in_ring": "role in ring", "js_note": "note",
        "js_outside_note": "borrower outside this ring", "js_show_folded": "Show {n} folded entities",
        "js_evidence": "Evidence ({n})", "js_signal": "signal", "js_table": "table", "js_row": "row", "js_detail": "detail",
        "js_more": "… {n} more", "js_links": "Links ({n})", "js_from": "from", "js_to": "to",
        "js_relationship": "relationship", "js_sig_detail": " {c} (strength {s} × weight {w}) · {n} rows", "js_schemes": "schemes: ",
        "js_borrower": "borrower", "js_key": "key", "js_more_rows": "… {n} more rows in rings.json",
        "js_no_signal": "no signal fired", "js_matches": "{n} matches", "js_entities": "Entities", "js_fold_legend": "click to fold the legend",
        "js_member_border": "thick border: ring member", "js_links_legend": "Links", "js_events_n": "{n} of {m} events",
        "js_in_month": " in {m}", "js_more_events": "… {n} more: pick a month above", "js_no_events": "no dated events for this ring",
        "js_no_events_month": "no events", "js_path": "Evidence path", "js_path_none": "no evidence path between the two selected entities",
        "js_path_hint": "Ctrl-click two entities for the shortest evidence path between them",
        "js_path_n": "shortest evidence path: {n} hops", "js_summary_view": "Summary view", "js_members_view": "Members view",
        "js_expand_group": "Expand this group ({n} borrowers)", "js_bgroup": "{n} borrowers", "js_bgroup_tip": "{n} borrowers tied by: {hubs} (click to expand)",
        "js_filter_kind": "click a legend entry to hide or show that kind of entity or link", "js_hidden": " (hidden)",
        "js_export_png": "Export PNG", "js_export_svg": "Export SVG", "js_search_found": "focused: {label}",
    },
}


def messages(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The interface texts of one language (English fills any key Chinese lacks)."""
    lang = check_lang(lang)
    return {**MESSAGES["en"], **MESSAGES[lang]}


def msg(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """One interface text, with ``{name}`` fields filled; the key itself when the catalogue lacks it."""
    text = MESSAGES[check_lang(lang)].get(key) or MESSAGES["en"].get(key) or key
    return text.format(**fields) if fields else text


def js_texts(lang: str = DEFAULT_LANG) -> dict:
    """The texts of the ring page script (keys ``js_*`` without the prefix) and the vocabularies it shows.

    Examples
    --------
    >>> t = js_texts("zh")
    >>> t["freeze"], t["kinds"]["phone"], t["events"]["complaint"]
    ('冻结布局', '手机号', '投诉')
    """
    m = messages(lang)
    out: dict = {k[3:]: v for k, v in m.items() if k.startswith("js_")}
    i = 0 if check_lang(lang) == "zh" else 1
    out["kinds"] = {k: v[i] for k, v in KIND_NAMES.items()}
    out["roles"] = {k: v[i] for k, v in ROLE_NAMES.items()}
    out["events"] = {k: v[i] for k, v in EVENT_NAMES.items()}
    out["relations"] = {k: v[i] for k, v in RELATION_NAMES.items()}
    out["links"] = {k: v[i] for k, v in LINK_NAMES.items()}
    return out


#: Texts of the referral pack (PDF and printable HTML), key -> (中文, English).
REFERRAL_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("刑事移送材料 — 团伙 {ring}", "Referral pack — ring {ring}"),
    "doc_title": ("移送材料 团伙 {ring}", "Referral pack ring {ring}"),
    "no_legal": ("不构成法律结论。", "No legal conclusion."),
    "s1": ("1. 概况", "1. Summary"), "s2": ("2. 关系图", "2. Network diagram"),
    "s3": ("3. 成员与角色", "3. Members and roles"), "s4": ("4. 涉案金额", "4. Amounts involved"),
    "s5": ("5. 时间线", "5. Timeline"), "s6": ("6. 事实与罪名对照", "6. Facts set against the crime table"),
    "s7": ("7. 关联及证据", "7. Links and the evidence rows behind them"), "s8": ("8. 证据清单", "8. Manifest"),
    "k_ring": ("团伙", "ring"), "k_score": ("评分（0–1）", "score (0–1)"), "k_typology": ("类型", "typology"),
    "k_schemes": ("各类型得分", "scheme scores"), "k_members": ("成员", "members"),
    "k_cut": ("最弱关联（最小割）", "weakest link (min cut)"), "k_run_date": ("运行日期", "run date"),
    "k_run": ("运行", "run"), "k_algorithm": ("算法", "algorithm"), "k_version": ("graphring 版本", "graphring"),
    "k_fingerprint": ("运行指纹", "run fingerprint"), "k_run_dir": ("运行目录", "run directory"),
    "k_data_dir": ("数据目录", "data folder"), "k_run_version": ("运行所用 graphring 版本", "graphring version of the run"),
    "k_rings_sha": ("rings.json SHA-256", "rings.json SHA-256"),
    "item": ("项目", "item"), "value": ("内容", "value"),
    "signals_h": ("线索（权重 × 强度 = 贡献）", "Signals (weight × strength = contribution)"),
    "c_signal": ("线索", "signal"), "c_code": ("编号", "code"), "c_weight": ("权重", "weight"),
    "c_strength": ("强度", "strength"), "c_contribution": ("贡献", "contribution"), "c_reason": ("理由", "reason"),
    "c_rows": ("证据行", "rows"),
    "amounts_h": ("涉案金额", "Amounts"), "c_category": ("类别", "category"), "c_count": ("笔数", "count"),
    "c_members": ("人数", "members"), "c_amount": ("金额（元）", "amount CNY"), "c_third": ("第三方代偿", "by third parties"),
    "c_ref": ("编号", "ref"), "c_kind": ("类型", "kind"), "c_identifier": ("标识", "identifier"), "c_role": ("角色", "role"),
    "c_city": ("城市", "city"), "c_member": ("成员", "member"), "c_outstanding": ("欠款余额", "outstanding"),
    "c_loans": ("贷款笔数", "loans"), "c_principal": ("本金", "principal"), "c_repaid": ("已还", "repaid"),
    "c_compensation": ("索赔金额", "compensation claimed"), "c_date": ("日期", "date"), "c_detail": ("说明", "detail"),
    "c_source": ("来源文件", "source file"), "c_row": ("行", "row"), "c_event": ("事件", "event"),
    "c_crime": ("罪名", "crime"), "c_article": ("条文", "article"), "c_threshold": ("立案追诉标准（研究报告所列）", "threshold (as the report quotes it)"),
    "c_figures": ("本团伙数据", "this ring's figures"), "c_signals_found": ("相关线索", "signals found"),
    "c_not_observable": ("数据无法显示", "not in the data"),
    "c_link_id": ("关联编号", "link"), "c_from": ("起点", "from"), "c_to": ("终点", "to"), "c_link": ("关联", "link kind"),
    "c_evidence_id": ("证据编号", "evidence"), "c_borrower": ("借款人", "borrower"), "c_entity": ("关联要素", "entity"),
    "c_complaint": ("投诉", "complaint"), "c_received": ("收到时间", "received"), "c_channel": ("渠道", "channel"),
    "c_demand": ("诉求", "demand"), "c_agent": ("代理人", "agent"), "c_text": ("投诉原文", "text"),
    "c_file": ("文件", "file"), "c_bytes": ("字节", "bytes"), "c_description": ("说明", "description"),
    "notable_h": ("索赔及第三方代偿", "Compensation claimed and third-party repayments"),
    "evidence_h": ("最有力的证据（每条线索最多 {n} 行）", "Strongest evidence (up to {n} rows per signal)"),
    "complaints_h": ("投诉原文（由被调查人撰写，按原文显示）", "Complaint texts (written by the people under investigation; shown as text)"),
    "inputs_h": ("输入文件", "Input files"), "files_h": ("本材料文件", "Files of this pack"),
    "shown_of": ("此处列出 {shown} / {total} 行；完整列表见 {file}（及 XLSX 同名工作表）。",
                 "{shown} of {total} rows shown here; the full list is {file} (and the XLSX sheet of that name)."),
    "amounts_note": ("按成员汇总。每笔金额及其来源行见 amounts.csv（及 XLSX）；运行状态包含放款记录时列出放款。",
                     "Per member. Every amount with its source row is in amounts.csv (and the XLSX); "
                     "disbursements appear when the run state holds the loan-proceeds payments."),
    "timeline_note": ("除借款人本人常规还款外的生命周期事件；所有事件（含还款）及来源行见 timeline.csv。",
                      "Lifecycle events other than routine repayments; every event with its source row, "
                      "repayments included, is in timeline.csv."),
    "diagram_note": ("图中为概要：受控枢纽（电话、代理人、附件、账户、企业等）及其关联的借款人组；全部成员见 members.csv，全部关联见 links.csv。",
                     "A summary: the ring's controlled hubs (phones, agents, attachments, accounts, companies ...) and "
                     "the borrower groups they tie; every member is in members.csv, every link in links.csv."),
    "self_hash": ("本文件、PDF/HTML 副本及上述各文件的 SHA-256 记录在其后写入的 manifest.json 和 SHA256SUMS 中（文件无法包含自身的哈希）。校验：sha256sum -c SHA256SUMS",
                  "The SHA-256 of this document, of the PDF/HTML twin and of every file above are in manifest.json "
                  "and SHA256SUMS, written after it (a document cannot contain its own hash). Check with: "
                  "sha256sum -c SHA256SUMS"),
    "none": ("无", "none"),
    "files_diagram": ("文件：", "Files: "),
}


def ref_text(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """One text of the referral pack in ``lang`` (``{name}`` fields filled).

    Examples
    --------
    >>> ref_text("s1", "zh"), ref_text("s1", "en")
    ('1. 概况', '1. Summary')
    """
    pair = REFERRAL_TEXTS.get(key)
    text = key if pair is None else pair[0 if check_lang(lang) == "zh" else 1]
    return text.format(**fields) if fields else text


__all__ += ["REFERRAL_TEXTS", "ref_text"]
