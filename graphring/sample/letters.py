"""Complaint letter text: borrowers' own words, agency templates, typos, stock phrases and form letters.

Pure functions of a :class:`random.Random` (no world state): the same draws give the
same letter.

Returns
-------
_own_words
    A complaint in a borrower's own words: fragments, order, punctuation and wording vary.
_ring_template, _vary, _apply_typos
    One agency's letter template (one alternative per sentence slot, plus its own
    typos), and the small per-letter edits it makes.
_stock_letter, _FIRM_FORM, _AID_FORM
    The letters of the variations ``stock_phrases``, ``law_firm`` and ``aid_forms``.
_Lazy
    A ``format_map`` mapping that fills each slot on first use.
_PLATFORMS, _BANK_PRODUCTS, _PRODUCT_ZH, _HOSPITALS, _ILLNESS, _ILLNESS_F
    What letters name: lenders and products, hospitals, illnesses.

Examples
--------
>>> print(_own_words(random.Random(0), name="王芳", city="武汉市", platform="安心借", amount=30000,
...                  demand="installment", reason="illness", prod="消费贷", loan_day=400, day=600))
我想反映个情况，我有一笔消费贷，本金30000，2025年2月借的。征信上多了一条逾期记录，我不认可。我会想办法还的。我自己身体也不好，一直在吃药，每个月还有一笔服务费，借的时候根本没说，逾期罚息一天就9十块，能不能先只还本金，分开还。拜托了
>>> _amt_words(random.Random(3), 30000)
'3万'
"""

from __future__ import annotations

import datetime
import random
import re

from graphring.sample.arrays import _DATE0

#: what letters name: products, lenders, hospitals, illnesses
_PRODUCT_ZH = {"consumer": "消费贷", "business": "经营贷", "car": "车贷", "mortgage": "房贷", "credit_card": "信用卡分期"}
_BANK_PRODUCTS = {1: ["众联银行", "众联经营贷", "众联银行普惠金融部"], 2: ["众联银行", "众联车贷"], 3: ["众联银行", "众联银行个人住房贷款"]}
_PLATFORMS = ["众联银行", "众联e贷", "安心借", "随心贷", "惠民消费金融", "鑫融小额贷款",
              "易借钱", "速享贷", "乐分期", "诚易花", "星火借条"]
_ILLNESS = ["急性胰腺炎", "脑出血", "重度抑郁症", "股骨骨折", "肾衰竭", "急性心肌梗死", "肺结核", "甲状腺癌",
            "腰椎间盘突出", "急性白血病", "胃癌", "肝硬化"]
_ILLNESS_F = ["乳腺癌", "宫颈癌", "卵巢囊肿破裂"]
_HOSPITALS = ["{c}第一人民医院", "{c}中心医院", "{c}中医院", "{p}省人民医院", "{c}第三人民医院",
              "{p}医科大学附属医院"]


# ------------------------------------------------------------------------------------
# Complaint text: honest borrowers' own words (many small fragments, recombined)
# ------------------------------------------------------------------------------------

_OWN_OPEN = ["您好，", "你好，", "你们好，", "领导您好：", "客服你好，", "我要投诉，", "我想反映个情况，",
             "麻烦帮我看一下，", "本人{name}，", "我叫{name}，", "我是你们的客户{name}，", "我是{city}的{name}，",
             "你好 我是{name} ", "打扰了，", "", "", "", "请问一下，", "我想问问，", "有个事情想反映一下。"]
_OWN_BG = ["{when}在{platform}借了{amt}", "我{when}办了一笔{prod}，借了{amt}", "{when}用手机APP申请了{amt}的贷款",
           "我在你们这有一笔{amt}的借款", "借款是{when}借的，金额{amt}，分了{term}期", "{when}贷了{amt}，之前一直按时还的",
           "{when}在{platform}上借过{amt}块钱", "我的{prod}是{when}办的，一共{amt}", "{when}为了周转借了{amt}",
           "我{when}在网上申请了{platform}的{prod}，额度{amt}", "之前借了你们{amt}", "{when}开始用{platform}，现在欠{amt}",
           "我有一笔{prod}，本金{amt}，{when}借的", "{when}办的{prod}，{amt}", "{when}在你们银行贷了{amt}"]
_OWN_HARD = ["{hm}公司裁员，我失业了", "后来工作丢了，一直没找到合适的", "家里老人生病住院，花了不少钱",
             "我{rel}做手术花了{n}万多", "生意不好，店开不下去了", "工资降了一半，每个月就{n}千多",
             "孩子上学加上房贷，压力太大", "工地上拖欠工资，好几个月没发", "我自己身体也不好，一直在吃药",
             "老婆生孩子，开销一下子大了", "跑外卖收入不稳定", "被朋友借钱没还，现在手头很紧",
             "厂里停工了{n}个月", "养殖亏了，欠了一屁股债", "单位效益不好，{hm}开始只发基本工资",
             "离婚以后一个人带孩子", "出了车祸在家休养了{n}个月", "开网店赔了", "父亲去世办丧事借了不少钱"]
_OWN_ISSUE = ["催收一天给我打{n}个电话", "催收人员说话很难听，还骂人", "晚上{h}点多还在打电话催",
              "给我{rel}和同事打电话，搞得我在单位抬不起头", "催收说要上门，还说要起诉我",
              "打电话给我{rel}，{rel}年纪大了被吓到了", "有人冒充律师发短信吓唬我", "把我欠钱的事告诉了我朋友",
              "利息太高了，算下来年化超过{r}%", "每个月还有一笔服务费，借的时候根本没说", "提前还款还要收违约金，不合理",
              "扣了我{n}百多的担保费，我都不知道", "逾期罚息一天就{n}十块", "自动扣款失败了却算我逾期",
              "我明明还了，系统显示还没还", "征信上多了一条逾期记录，我不认可", "APP里查不到还款计划",
              "客服电话一直打不通", "想协商还款，客服说没有办法", "催收短信发到我老家村里去了",
              "周末也不停地打，连孩子都接到过", "还款日前三天就开始催", "会员费是默认勾选的，我没同意过",
              "合同里写的利率和宣传的不一样"]
_OWN_DEMAND = {
    "installment": ["希望能重新分期，我每个月能还{n}千左右", "能不能让我分{k}期慢慢还", "请求延期{k}个月还款",
                    "想申请个性化分期", "能不能先只还本金，分开还"],
    "reduce_principal": ["希望能减免一部分本金", "本金能不能少一点，我一次性结清", "请求打个折一次结清"],
    "waive_interest": ["希望能减免一部分利息", "罚息能不能免掉", "本金我会还，利息希望减一点", "请退还多收的服务费"],
    "stop_collection": ["请让催收别再打我家人电话了", "希望规范催收，不要再骚扰我", "请不要再联系我的同事",
                        "催收能不能只联系我本人"],
    "credit_repair": ["请帮我把征信更正一下", "希望消除这条不良记录", "请核实后修改征信"],
    "other": ["请给个说法", "希望尽快处理", "请给我一个合理的解释", "希望有人联系我"],
    "apology": ["要求催收公司给我道歉", "希望你们对催收人员的态度道个歉"],
    "compensation": ["多扣的钱要退给我", "要求赔偿我的损失"],
}
_OWN_WILL = ["我不是不还，是真的没钱", "我会想办法还的", "等我找到工作就还", "钱我肯定会还", "我也想早点还清",
             "我一直在努力还", "不是故意拖欠的", "能还的时候一定还"]
_OWN_CLOSE = ["谢谢！", "麻烦尽快回复。", "希望能理解。", "谢谢了", "请尽快处理，谢谢。", "盼复。", "", "", "拜托了",
              "急！", "谢谢你们"]
_OWN_FILL = ["真的", "实在", "现在", "其实", "说实话", "唉，", "而且", "另外", "还有就是", "然后"]
_OWN_SYN = [("催收", ("催收", "催债的", "催款的", "催收员")), ("电话", ("电话", "电话", "来电")),
            ("利息", ("利息", "息费", "利息")), ("我", ("我", "我", "本人")), ("还款", ("还款", "还钱", "还款")),
            ("希望", ("希望", "想", "请求", "恳请")), ("不合理", ("不合理", "太离谱了", "说不过去")),
            ("家人", ("家人", "家里人", "亲属")), ("同事", ("同事", "领导", "单位的人"))]
_REL_ZH = ["父母", "老婆", "老公", "爸", "妈", "孩子", "哥哥", "姐姐"]
_CN_NUM = "零一二三四五六七八九十"

# ------------------------------------------------------------------------------------
# Ring letters: section grammars (an agency picks one alternative per sentence and
# adds its own typos; every letter of the ring is that template with slots filled)
# ------------------------------------------------------------------------------------

_T_SALUTE = ["尊敬的{regulator}领导：\n", "{regulator}：\n", "致{regulator}：\n", "尊敬的监管部门领导：\n",
             "尊敬的{regulator}消费者权益保护处：\n", "尊敬的领导您好：\n"]
_T_IDENT = ["本人{name}，身份证号码尾号{id_tail}，于{loan_date}在{platform}申请借款人民币{amount}元。",
            "投诉人{name}（身份证尾号{id_tail}），{loan_date}通过{platform}借款{amount}元。",
            "我叫{name}，身份证后四位{id_tail}，{loan_date}在{platform}办理了一笔{amount}元的贷款。",
            "本人{name}，系{platform}借款用户，借款时间为{loan_date}，借款金额{amount}元，身份证尾号{id_tail}。",
            "投诉人：{name}，身份证尾号{id_tail}。投诉对象：{platform}。借款日期{loan_date}，本金{amount}元。"]
_T_HARD = ["因近期收入大幅减少，家庭出现重大变故，导致暂时无法按期还款。",
           "由于工作不稳定，收入锐减，本人已逾期{od_days}天。",
           "因本人失业在家，又要照顾生病的父母，经济陷入困境，不得已出现逾期。",
           "近年来经营失败，负债累累，目前确实没有能力一次性偿还。",
           "因家中突发变故，资金周转困难，本人目前已逾期{od_days}天，实属无奈。"]
_T_ABUSE = ["逾期后，{platform}及其委托的第三方催收机构多次采用暴力催收手段，每天频繁拨打本人及家人、同事电话，言语辱骂、威胁恐吓，严重影响了本人及家人的正常生活。",
            "逾期期间，催收人员多次在非工作时间拨打电话，并向本人通讯录中的亲友、同事发送短信，泄露本人的债务信息，对本人造成了极大的精神压力。",
            "催收人员冒充律师和公检法人员，扬言要上门催收、起诉本人并通知村委会，已经严重侵犯了本人的合法权益和个人隐私。",
            "该平台的催收人员态度恶劣，多次对本人进行人身攻击和侮辱，还骚扰本人的紧急联系人，导致本人工作受到严重影响。",
            "自逾期以来，催收方每天拨打电话数十次，还通过短信威胁要曝光本人信息，已经严重干扰本人及家人的生活安宁。"]
_T_LAW = ["根据《中华人民共和国消费者权益保护法》第二十九条和《个人信息保护法》的相关规定，{platform}的上述行为已严重违法违规。",
          "上述行为违反了《互联网金融逾期债务催收自律公约》以及监管部门关于规范催收行为的相关要求。",
          "依据《民法典》第一千零三十二条，自然人享有隐私权，任何组织不得以电话、短信等方式侵扰他人的私人生活安宁。",
          "另外，{platform}在放款时收取高额服务费、担保费，综合年化利率远超国家规定的24%，属于变相高利贷。",
          "{platform}的做法严重违反了《商业银行互联网贷款管理暂行办法》的规定，损害了金融消费者的合法权益。"]
_T_DEMAND = ["恳请贵局督促{platform}立即停止一切催收行为，减免逾期产生的全部罚息、违约金及利息，并为本人办理个性化分期还款。",
             "现本人要求{platform}：一、立即停止对本人及家人的一切催收；二、免除全部利息和罚息；三、协商本金分期偿还。",
             "请贵局责令{platform}停止催收，并依法减免不合理的息费，给予本人停息挂账的还款方案。",
             "希望贵局能够督促平台停止骚扰，免息还本，本人会在能力范围内分期偿还本金。",
             "特向贵局投诉，要求{platform}停止一切催收，退还已收取的不合理费用，并减免全部利息。"]
_T_CLOSE = ["附件为催收通话录音及短信截图，请贵局核实处理。", "相关证据（通话录音、截图）已附后，望贵局予以受理。",
            "随附证据材料若干，恳请领导尽快处理，还我一个公道。", "以上情况属实，本人愿意承担相应的法律责任，请予以核查。",
            "请贵局依法处理，并将处理结果书面告知本人。"]
_T_SIGN = ["\n投诉人：{name}\n{date}", "\n此致\n敬礼！\n{name}\n{date}", "\n投诉人：{name}\n联系电话：{phone}\n{date}",
           "\n具状人：{name}\n{date}", "\n{name}\n{date}"]

_T_EV_REASON = {
    "illness": ["本人于{stay_from}突发{illness}，在{hospital}住院治疗至{stay_to}，目前仍需长期服药复查，已丧失劳动能力。",
                "{stay_from}本人被确诊为{illness}，随即在{hospital}住院，{stay_to}才出院，后续治疗费用巨大。",
                "本人因{illness}于{stay_from}至{stay_to}在{hospital}住院治疗，医生要求出院后继续休养，无法工作。"],
    "pregnancy": ["本人目前怀孕{preg}个月，属于高危妊娠，{stay_from}至{stay_to}在{hospital}住院保胎，医生要求卧床静养。",
                  "本人孕期出现先兆流产，于{stay_from}入住{hospital}保胎治疗至{stay_to}，目前仍需卧床。"],
    "death": ["借款人{name}已于{stay_from}因{illness}在{hospital}抢救无效去世，家中只剩老人孩子，无力偿还。",
              "我是借款人{name}的家属，借款人于{stay_from}在{hospital}因{illness}离世，家里已经没有任何收入。"],
    "unemployment": ["本人于{stay_from}被单位辞退，失业后一直没有收入，且因焦虑症于{stay_from}至{stay_to}在{hospital}住院治疗。",
                     "本人所在公司{stay_from}倒闭，本人失业至今，期间因抑郁在{hospital}住院（{stay_from}至{stay_to}）。"],
}
_T_EV_CERT = ["现提供{hospital}出具的诊断证明书、住院病历及医疗费用收据，证明本人确因不可抗力导致逾期。",
              "附件为医院诊断证明和出院小结，请平台核实。",
              "相关证明材料（诊断证明、检查报告、缴费单据）已随附。",
              "现附上医院证明及相关材料，足以证明逾期并非本人主观恶意。"]
_T_EV_WILL = ["本人并非恶意逃避债务，待身体康复后一定会积极还款，但目前恳请{platform}立即停止一切催收行为，不要再打扰本人及家人。",
              "本人有还款意愿，只是暂时没有还款能力，请{platform}停止催收，等情况稳定后再协商还款。",
              "我们不是不还，是真的还不上，请平台出于人道主义停止催收，给我们一段时间。",
              "本人承诺会还款，现阶段要求平台停止电话催收，停止联系家人。"]

_T_MC = {
    1: ["我是{name}，你们的催收人员{coll_date}打电话给我{rel}，把我欠款的事情告诉了{rel}，还说了很多难听的话，全程我都有录音。我要求你们公开道歉，并书面说明情况。",
        "{platform}的催收员在{coll_date}多次骚扰我的{rel}和单位同事，泄露我的个人信息，我已经录音取证。要求平台向我书面道歉，登报致歉，消除影响。",
        "本人{name}，{coll_date}贵司催收人员违规联系我{rel}，透露债务信息，言语侮辱，全程录音。要求贵司公开认错，向本人赔礼道歉。"],
    2: ["本人{name}，身份证尾号{id_tail}。{platform}委托的催收机构于{coll_date}违规联系本人{rel}、同事及村委会，泄露本人债务信息，严重侵害本人隐私权、名誉权，全程有通话录音为证。本人此前已向平台反映，平台至今未予处理。现要求：一、平台公开认错并登报致歉；二、公示涉事催收机构信息；三、全面消除对本人的不良影响。",
        "投诉人{name}（身份证尾号{id_tail}）反映：{platform}在催收过程中多次联系与债务无关的第三人，包括本人{rel}和工作单位，造成本人名誉受损。向平台投诉后无果，特向贵局反映，要求平台公开道歉、公示催收公司名称并消除影响。",
        "本人在{platform}的借款逾期后，催收方于{coll_date}起多次拨打本人{rel}及单位电话，散布本人欠债信息，录音证据齐全。要求{platform}书面道歉、在媒体上公开致歉，并对涉事催收人员依法处理。"],
    3: ["本人{name}因{platform}违规催收，精神受到严重损害，已无法正常工作生活，现要求{platform}赔偿本人精神损失费、误工费等共计人民币{claim}元，否则本人将继续向上级部门信访并向媒体曝光。",
        "关于{platform}暴力催收一事，本人已多次投诉未果。本人因此失去工作、家庭关系破裂，要求{platform}一次性赔偿各项损失合计{claim}元，并消除本人在各平台的全部债务影响。",
        "信访事项：{platform}违规催收侵害本人名誉权、隐私权。诉求：一、赔偿本人经济损失及精神损害抚慰金共{claim}元；二、公开道歉；三、追究相关人员责任。"],
}

#: (correct, typo) pairs an agency's letters repeat; applied to one occurrence
_TYPOS = [("暴力", "爆力"), ("严重影响", "以严重影响"), ("已经", "以经"), ("的合法权益", "得合法权益"),
          ("罚息", "发息"), ("核实", "和实"), ("受理", "受里"), ("恳请", "肯请"), ("骚扰", "搔扰"),
          ("威胁", "威协"), ("辱骂", "侮骂"), ("处理", "处里"), ("规定", "规订"), ("按期", "安期"),
          ("一次性", "一此性"), ("态度恶劣", "态度恶略"), ("精神压力", "精神压历"), ("侵犯", "浸犯"),
          ("违约金", "违约经"), ("诊断证明", "诊段证明"), ("住院", "主院"), ("停止", "停至"), ("道歉", "到歉"),
          ("赔偿", "陪偿"), ("录音", "路音"), ("联系", "联络"), ("泄露", "泄漏"), ("名誉", "明誉")]
_PUNCT_TYPOS = [("。", "。。"), ("，", ","), ("，", "，，"), ("。", "，"), ("：", ":"), ("、", "，"), ("；", ";")]


# ------------------------------------------------------------------------------------
# Complaint text builders
# ------------------------------------------------------------------------------------


class _Lazy(dict):
    """A format_map mapping that computes each slot on first use (and keeps it)."""

    def __init__(self, fns):
        super().__init__()
        self.fns = fns

    def __missing__(self, key):
        v = self[key] = self.fns[key]()
        return v


def _amt_words(r: random.Random, a: int) -> str:
    u = r.random()
    if a >= 10000 and a % 1000 == 0 and u < 0.35:
        w = a / 10000
        if a % 10000 == 0 and a < 100000 and r.random() < 0.5:
            return _CN_NUM[a // 10000] + "万"
        return f"{w:g}万"
    if u < 0.6:
        return f"{a}元"
    if u < 0.8:
        return f"{a}块"
    return f"{a}"


def _when(r: random.Random, loan_day: int, day: int) -> str:
    """How a borrower says when they borrowed, relative to the day they complain."""
    lo = _DATE0 + datetime.timedelta(days=int(loan_day))
    d = _DATE0 + datetime.timedelta(days=int(day))
    opts = [f"{lo.year}年{lo.month}月"]
    if lo.year == d.year:
        opts += [f"今年{lo.month}月", f"{lo.month}月份"] + (["今年年初", "年初"] if lo.month <= 2 else [])
    elif lo.year == d.year - 1:
        opts += [f"去年{lo.month}月", "去年", f"去年{lo.month}月份"] + (["去年下半年"] if lo.month >= 7 else []) + \
            ([f"{lo.year}年底", "去年年底"] if lo.month >= 11 else [])
    else:
        opts += ["前年", f"{lo.year}年"]
    gap = day - loan_day
    if 0 <= gap < 120:
        opts.append("前几个月" if gap > 60 else ("上个月" if gap > 25 else "前段时间"))
    return r.choice(opts)


def _month_phrase(r: random.Random, event_day: int, day: int) -> str:
    e = _DATE0 + datetime.timedelta(days=int(event_day))
    d = _DATE0 + datetime.timedelta(days=int(day))
    if e.year == d.year:
        return r.choice([f"今年{e.month}月", f"{e.month}月份", f"{e.month}月"])
    return r.choice([f"去年{e.month}月", f"{e.year}年{e.month}月"])


def _own_words(r: random.Random, *, name: str, city: str, platform: str, amount: int, demand: str,
               reason: str, prod: str, loan_day: int = 0, day: int = 365) -> str:
    """A complaint in a borrower's own words: fragments, order, punctuation and wording vary."""
    m = r.randint(1, 12)
    fns = {"name": lambda: name, "city": lambda: city, "platform": lambda: platform,
           "amt": lambda: _amt_words(r, amount), "prod": lambda: prod, "term": lambda: r.choice([6, 12, 24, 36]),
           "when": lambda: _when(r, loan_day, day), "m": lambda: m,
           "hm": lambda: _month_phrase(r, max(loan_day, day - r.randint(20, 240)), day),
           "n": lambda: r.randint(2, 9), "h": lambda: r.choice([9, 10, 11]), "rel": lambda: r.choice(_REL_ZH),
           "r": lambda: r.choice([24, 30, 36, 40]), "k": lambda: r.choice([3, 6, 12, 24])}

    def fill(s: str) -> str:
        return s.format_map(_Lazy(fns)) if "{" in s else s

    sents = [fill(r.choice(_OWN_BG))]
    middle = []
    if reason in ("illness", "unemployment") or r.random() < 0.6:
        pool = _OWN_HARD
        if reason == "illness":
            pool = [s for s in _OWN_HARD if any(k in s for k in ("生病", "手术", "身体", "车祸", "生孩子"))]
        elif reason == "unemployment":
            pool = [s for s in _OWN_HARD if any(k in s for k in ("失业", "工作", "裁员", "停工", "工资", "效益"))]
        middle.append(fill(r.choice(pool)))
    issues = r.sample(_OWN_ISSUE, r.choice([1, 1, 2, 2, 3]))
    middle += [fill(s) for s in issues]
    r.shuffle(middle)
    sents += middle
    sents.append(fill(r.choice(_OWN_DEMAND.get(demand, _OWN_DEMAND["other"]))))
    if r.random() < 0.45:
        sents.insert(r.randint(1, len(sents)), fill(r.choice(_OWN_WILL)))
    for i in range(1, len(sents)):
        if r.random() < 0.22:
            sents[i] = r.choice(_OWN_FILL) + sents[i]
    style = r.random()
    out = []
    for s in sents:
        out.append(s)
        if style < 0.45:
            out.append("，" if r.random() < 0.6 else "。")
        elif style < 0.65:
            out.append("。")
        elif style < 0.8:
            out.append(" ")
        elif style < 0.9:
            out.append(",")
        else:
            out.append(r.choice(["！", "，", "。。", "!"]))
    text = "".join(out).rstrip("，, ")
    if not text.endswith(("。", "！", "!")):
        text += r.choice(["。", "", "！"])
    opening = fill(r.choice(_OWN_OPEN))
    closing = fill(r.choice(_OWN_CLOSE))
    text = opening + text + closing
    for w, alts in _OWN_SYN:
        if w in text and r.random() < 0.35:
            alt = r.choice(alts)
            text = re.sub("我(?!本人|们)", alt, text) if w == "我" else text.replace(w, alt)
    return text


def _apply_typos(r: random.Random, t: str, k: int) -> str:
    cands = [p for p in _TYPOS if p[0] in t]
    r.shuffle(cands)
    for a, b in cands[:k]:
        occ = [mm.start() for mm in re.finditer(re.escape(a), t)]
        i = r.choice(occ)
        t = t[:i] + b + t[i + len(a):]
    for _ in range(r.randint(1, 3)):
        a, b = r.choice(_PUNCT_TYPOS)
        occ = [mm.start() for mm in re.finditer(re.escape(a), t)]
        if occ:
            i = r.choice(occ)
            t = t[:i] + b + t[i + len(a):]
    return t


_STOCK_OPEN = ["本人因{r}，", "我去年{r}，", "由于{r}，目前", "近期家里{r}，", "本人{r}以后"]
_STOCK_REASON = ["生意失败收入下降", "工厂停工", "孩子生病住院", "父亲做手术", "被公司裁员", "一直没找到工作",
                 "离婚后独自抚养孩子", "车祸受伤休养", "店铺关门", "工资被拖欠三个月"]
_STOCK_ASK = ["暂时无法按期还款，希望平台能给予延期。", "申请分期还款，每月可以还一部分。", "希望减免部分罚息，本金我会想办法还清。",
              "请求催收人员不要再给我的家人打电话。", "我愿意还款但需要一些时间，请理解。", "希望平台规范催收，不要辱骂。",
              "请平台核实我的还款记录。"]


def _stock_letter(r: random.Random, city: str) -> str:
    """An honest letter put together from the stock phrases everybody uses (variation ``stock_phrases``)."""
    t = r.choice(_STOCK_OPEN).format(r=r.choice(_STOCK_REASON))
    t += r.choice(["我在{c}打工，", "我家住{c}，", "目前在{c}租房，", ""]).format(c=city)
    return t + "".join(r.sample(_STOCK_ASK, r.randint(1, 3)))


#: The standard engagement letter of a law firm (variation ``law_firm``): one form, the firm's own slip
#: (a doubled comma) on every copy, names and amounts filled in.
_FIRM_FORM = ("{firm}受当事人{n}委托，就其在贵司的借款纠纷提出如下意见：当事人目前收入下降，，确有还款困难，"
              "但愿意继续履行还款义务，特申请按月分期归还欠款，请贵司依法依规处理。代理律师：{lawyer}")
#: A legal-aid centre's standard form (variation ``aid_forms``).
_AID_FORM = ("{c}接到当事人{n}的求助申请。经初步了解，当事人因家庭困难暂时无法足额还款，本中心建议双方协商"
             "分期还款方案，请贵司予以考虑并规范催收行为。")


def _ring_template(r: random.Random, typology: str, stage: int = 0, reason: str = "illness") -> str:
    """One agency's letter: an alternative per sentence slot, plus its own typos."""
    if typology == "debt_evasion":
        body = [r.choice(_T_SALUTE), r.choice(_T_IDENT), r.choice(_T_EV_REASON[reason]), r.choice(_T_EV_CERT),
                r.choice(_T_EV_WILL), r.choice(_T_CLOSE), r.choice(_T_SIGN)]
    elif typology == "malicious_claim":
        body = [r.choice(_T_SALUTE) if stage >= 2 else "", r.choice(_T_MC[stage]),
                r.choice(_T_LAW) if stage >= 2 and r.random() < 0.7 else "",
                r.choice(_T_CLOSE) if stage >= 2 else "", r.choice(_T_SIGN) if stage >= 2 else ""]
    else:
        body = [r.choice(_T_SALUTE), r.choice(_T_IDENT), r.choice(_T_HARD), r.choice(_T_ABUSE)]
        if r.random() < 0.7:
            body.append(r.choice(_T_LAW))
        body += [r.choice(_T_DEMAND), r.choice(_T_CLOSE), r.choice(_T_SIGN)]
    return _apply_typos(r, "".join(body), r.randint(2, 4))


def _vary(r: random.Random, text: str, allow_drop: bool = True) -> str:
    """Small per-letter edits an agency makes (drop or add a sentence)."""
    u = r.random()
    if u < 0.1 and allow_drop:
        parts = text.split("。")
        if len(parts) > 4:
            del parts[r.randint(1, len(parts) - 3)]
            return "。".join(parts)
    elif u < 0.18:
        extra = r.choice(["本人多次联系平台协商未果。", "望领导重视。", "本人情况属实。", "请尽快给予答复。"])
        i = text.find("。")
        if i > 0:
            return text[:i + 1] + extra + text[i + 1:]
    return text
