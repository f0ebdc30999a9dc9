"""Near-duplicate complaint letters: one template with details swapped links; own words do not."""

from __future__ import annotations

import numpy as np

from graphring.detect.textsim import near_duplicate_pairs, template_groups

TEMPLATE = ("本人{name}，身份证号码{id}，于{date}在贵司借款{amt}元。因贵司催收人员多次暴力催收，严重影响本人及家人的正常生活，"
            "本人已向银保监会投诉。现要求贵司立即停止一切催收行为，减免全部罚息和违约金，并协商停息挂账分60期还款，"
            "否则本人将继续向人民银行、12378和信访部门反映，由此产生的一切后果由贵司承担。")
OWN_WORDS = [
    "我因为去年生病住院花了很多钱，现在实在还不上，希望银行能给我延期几个月，我一定会想办法还清的，谢谢。",
    "家里老人过世，丧事用了不少钱，这个月的还款可能要晚几天，请不要给我单位打电话，我不会赖账。",
    "公司裁员我失业了三个月，新工作下个月才发工资，能不能先只还利息，本金等我稳定后再慢慢还。",
    "孩子上学学费刚交完，手头很紧，申请本期账单分期，我的收入可以按时还分期款，请帮忙处理。",
]


def _letters(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    names = ["张伟", "王芳", "李娜", "刘洋", "陈杰", "杨敏", "赵磊", "黄静", "周强", "吴婷"]
    out = []
    for i in range(n):
        t = TEMPLATE.format(name=names[i % len(names)], id=f"11010119{80 + i:02d}0101{1000 + i}",
                            date=f"2024年{1 + i % 12}月{1 + i % 28}日", amt=int(rng.integers(5000, 90000)))
        if i % 3 == 0:  # the same typo kept, a clause dropped now and then
            t = t.replace("停息挂账", "停息刮账")
        out.append(t)
    return out


def test_template_letters_pair_up_and_own_words_do_not():
    letters = _letters(8)
    texts = letters + OWN_WORDS
    pairs = near_duplicate_pairs(texts, threshold=0.5, seed=0)
    got = {(a, b) for a, b in zip(pairs["a"], pairs["b"])}
    # every template letter is tied to at least one other, all within the template
    tied = {x for p in got for x in p}
    assert set(range(8)) <= tied
    assert all(a < 8 and b < 8 for a, b in got)
    assert (pairs["a"] < pairs["b"]).all() and (pairs["similarity"] >= 0.5).all()
    groups = template_groups(texts, threshold=0.5, seed=0)
    assert groups[:8].nunique() == 1 and groups[:8].iloc[0] >= 0
    assert (groups[8:] == -1).all()


def test_short_phrases_are_never_linked_and_results_are_seeded():
    short = ["要求停止催收"] * 5
    assert len(near_duplicate_pairs(short, threshold=0.5)) == 0
    texts = _letters(6) + OWN_WORDS
    a = near_duplicate_pairs(texts, seed=3)
    b = near_duplicate_pairs(texts, seed=3)
    assert a.equals(b)
