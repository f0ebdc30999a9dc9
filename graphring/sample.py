"""Synthetic bank exports with planted fraud rings and benign look-alikes.

:func:`generate` writes a data folder in the contract format (``borrowers.csv``,
``contacts.csv``, ... ``payments.csv``) describing a realistic population of a
Chinese consumer lender, and ``truth.csv`` *beside* the folder listing every
planted ring member (``ring_id,typology,kind,id``) and every benign look-alike
group (``ring_id`` starting with ``BENIGN``).

The population
--------------
* Honest borrowers (about 90-95 %): Chinese names, valid 18-digit resident IDs
  (GB 11643 check digit, area code of a district in the borrower's province),
  mobiles, homes in 68 cities, employers with valid USCCs (GB 32100), salaries,
  social insurance, loans handled by hundreds of loan officers, popular brokers,
  devices and logins (carrier CGNAT and public Wi-Fi IPs shared by many), bank
  cards, emergency contacts, phone binding history and complaints written in the
  borrower's own words.
* Benign look-alikes: families sharing a device, home and contact phone; legal-aid
  centre hotlines and employers' HR lines calling in complaints for many people
  (each complaint in different words); a nationwide employer with ~4 % of all
  borrowers; junk device identifiers shared by thousands; public Wi-Fi; popular
  brokers and bookkeeping firms.
* Planted rings of the five schemes of ``DOMAIN.md`` (``proxy_complaint``,
  ``debt_evasion``, ``malicious_claim``, ``shell_company_loan``, ``debt_carrier``),
  about one per 500 borrowers (at least five), heavy-tailed sizes from 5 to a few
  hundred borrowers, with varied stealth: each ring keeps each optional trace
  with a ring-specific probability.

Everything is vectorised with numpy (one :class:`numpy.random.Generator`); Python
loops run per ring, per benign group and per complaint text only, so a million
borrowers take a few minutes. The same ``seed`` and ``n_borrowers`` give
byte-identical files.

``messy=True`` writes the folder the way a bank export arrives: GB18030 CSV
(two tables UTF-8 with BOM), Chinese headers, CRLF line ends, mixed phone,
amount and date formats, ``companies`` as an XLSX workbook, and about 0.2 % bad
rows (duplicate customer numbers, unknown borrower references, bad ID check
digits, unparseable dates and amounts, ragged rows). Truth keeps normalised ids.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "bank"
>>> s = generate(d, 300, seed=1)
>>> (d / "borrowers.csv").exists(), (d.parent / "truth.csv").exists()
(True, True)
>>> s["tables"]["borrowers"]
300
>>> sorted(s["rings"])
['debt_carrier', 'debt_evasion', 'malicious_claim', 'proxy_complaint', 'shell_company_loan']
"""

from __future__ import annotations

import bisect
import datetime
import io
import itertools
import random
import zlib
import re
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

from graphring.ingest.checkdigits import (ID_CHECK_CHARS as _ID_CHECK, ID_WEIGHTS as _ID_W, ORG_WEIGHTS as _ORG_W,
                                   USCC_CHARSET as _USCC_CS, USCC_WEIGHTS as _USCC_W, luhn_digits as _luhn_digits)
from graphring.config import TYPOLOGIES

__all__ = ["generate", "TYPOLOGIES"]

DAY = 86400
EPOCH = np.datetime64("2024-01-01", "D")
_EPOCH_S = np.datetime64("2024-01-01T00:00:00", "s")
SNAP_DAY = int((np.datetime64("2025-12-15") - EPOCH).astype(int))   # export date
END_DAY = int((np.datetime64("2025-12-31") - EPOCH).astype(int))
CLEARING_ACCOUNT = "9100000000000001"                               # the bank's loan clearing account

# ------------------------------------------------------------------------------------
# Vocabulary
# ------------------------------------------------------------------------------------

#: province, short province, city, weight, districts (code, name)
_GEO = [
    ("北京市", "北京", "北京市", 60, [("110101", "东城区"), ("110102", "西城区"), ("110105", "朝阳区"), ("110106", "丰台区"), ("110108", "海淀区"), ("110114", "昌平区")]),
    ("天津市", "天津", "天津市", 28, [("120101", "和平区"), ("120104", "南开区"), ("120116", "滨海新区")]),
    ("河北省", "河北", "石家庄市", 22, [("130102", "长安区"), ("130104", "桥西区")]),
    ("河北省", "河北", "唐山市", 14, [("130202", "路南区"), ("130203", "路北区")]),
    ("河北省", "河北", "邯郸市", 14, [("130402", "邯山区"), ("130403", "丛台区")]),
    ("河北省", "河北", "保定市", 16, [("130602", "竞秀区"), ("130606", "莲池区")]),
    ("山西省", "山西", "太原市", 16, [("140105", "小店区"), ("140106", "迎泽区")]),
    ("山西省", "山西", "大同市", 7, [("140213", "平城区")]),
    ("内蒙古自治区", "内蒙古", "呼和浩特市", 9, [("150102", "新城区"), ("150105", "赛罕区")]),
    ("内蒙古自治区", "内蒙古", "包头市", 7, [("150203", "昆都仑区")]),
    ("辽宁省", "辽宁", "沈阳市", 22, [("210102", "和平区"), ("210103", "沈河区")]),
    ("辽宁省", "辽宁", "大连市", 18, [("210202", "中山区"), ("210204", "沙河口区")]),
    ("吉林省", "吉林", "长春市", 18, [("220102", "南关区"), ("220104", "朝阳区")]),
    ("吉林省", "吉林", "吉林市", 8, [("220202", "昌邑区")]),
    ("黑龙江省", "黑龙江", "哈尔滨市", 22, [("230102", "道里区"), ("230103", "南岗区")]),
    ("上海市", "上海", "上海市", 62, [("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310112", "闵行区"), ("310115", "浦东新区")]),
    ("江苏省", "江苏", "南京市", 26, [("320102", "玄武区"), ("320105", "建邺区"), ("320106", "鼓楼区")]),
    ("江苏省", "江苏", "无锡市", 15, [("320213", "梁溪区")]),
    ("江苏省", "江苏", "徐州市", 18, [("320302", "鼓楼区")]),
    ("江苏省", "江苏", "苏州市", 28, [("320505", "虎丘区"), ("320506", "吴中区"), ("320508", "姑苏区")]),
    ("江苏省", "江苏", "南通市", 15, [("320602", "崇川区")]),
    ("浙江省", "浙江", "杭州市", 34, [("330102", "上城区"), ("330106", "西湖区"), ("330108", "滨江区")]),
    ("浙江省", "浙江", "宁波市", 20, [("330203", "海曙区"), ("330212", "鄞州区")]),
    ("浙江省", "浙江", "温州市", 19, [("330302", "鹿城区")]),
    ("浙江省", "浙江", "金华市", 14, [("330702", "婺城区")]),
    ("安徽省", "安徽", "合肥市", 25, [("340102", "瑶海区"), ("340104", "蜀山区")]),
    ("安徽省", "安徽", "阜阳市", 16, [("341202", "颍州区")]),
    ("福建省", "福建", "福州市", 19, [("350102", "鼓楼区"), ("350104", "仓山区")]),
    ("福建省", "福建", "厦门市", 14, [("350203", "思明区"), ("350206", "湖里区")]),
    ("福建省", "福建", "泉州市", 18, [("350502", "鲤城区")]),
    ("江西省", "江西", "南昌市", 17, [("360102", "东湖区"), ("360111", "青山湖区")]),
    ("江西省", "江西", "赣州市", 17, [("360702", "章贡区")]),
    ("山东省", "山东", "济南市", 24, [("370102", "历下区"), ("370103", "市中区")]),
    ("山东省", "山东", "青岛市", 25, [("370202", "市南区"), ("370212", "崂山区")]),
    ("山东省", "山东", "潍坊市", 18, [("370702", "潍城区")]),
    ("山东省", "山东", "临沂市", 20, [("371302", "兰山区")]),
    ("河南省", "河南", "郑州市", 32, [("410102", "中原区"), ("410105", "金水区")]),
    ("河南省", "河南", "洛阳市", 14, [("410302", "老城区"), ("410311", "洛龙区")]),
    ("河南省", "河南", "南阳市", 19, [("411302", "宛城区")]),
    ("河南省", "河南", "周口市", 17, [("411602", "川汇区")]),
    ("湖北省", "湖北", "武汉市", 32, [("420102", "江岸区"), ("420106", "武昌区"), ("420111", "洪山区")]),
    ("湖北省", "湖北", "宜昌市", 10, [("420502", "西陵区")]),
    ("湖北省", "湖北", "襄阳市", 12, [("420602", "襄城区")]),
    ("湖南省", "湖南", "长沙市", 26, [("430102", "芙蓉区"), ("430104", "岳麓区")]),
    ("湖南省", "湖南", "岳阳市", 12, [("430602", "岳阳楼区")]),
    ("广东省", "广东", "广州市", 48, [("440103", "荔湾区"), ("440104", "越秀区"), ("440106", "天河区"), ("440111", "白云区")]),
    ("广东省", "广东", "深圳市", 46, [("440303", "罗湖区"), ("440304", "福田区"), ("440305", "南山区"), ("440306", "宝安区"), ("440307", "龙岗区")]),
    ("广东省", "广东", "佛山市", 24, [("440604", "禅城区"), ("440606", "顺德区")]),
    ("广东省", "广东", "惠州市", 15, [("441302", "惠城区")]),
    ("广东省", "广东", "东莞市", 27, [("441900", "南城街道")]),
    ("广西壮族自治区", "广西", "南宁市", 22, [("450102", "兴宁区"), ("450103", "青秀区")]),
    ("广西壮族自治区", "广西", "柳州市", 10, [("450202", "城中区")]),
    ("广西壮族自治区", "广西", "桂林市", 10, [("450302", "秀峰区")]),
    ("海南省", "海南", "海口市", 10, [("460105", "秀英区"), ("460106", "龙华区")]),
    ("海南省", "海南", "三亚市", 4, [("460202", "海棠区")]),
    ("重庆市", "重庆", "重庆市", 40, [("500103", "渝中区"), ("500105", "江北区"), ("500106", "沙坪坝区"), ("500112", "渝北区")]),
    ("四川省", "四川", "成都市", 40, [("510104", "锦江区"), ("510105", "青羊区"), ("510107", "武侯区")]),
    ("四川省", "四川", "绵阳市", 10, [("510703", "涪城区")]),
    ("四川省", "四川", "南充市", 11, [("511302", "顺庆区")]),
    ("贵州省", "贵州", "贵阳市", 12, [("520102", "南明区"), ("520103", "云岩区")]),
    ("贵州省", "贵州", "遵义市", 13, [("520302", "红花岗区")]),
    ("云南省", "云南", "昆明市", 17, [("530102", "五华区"), ("530103", "盘龙区")]),
    ("西藏自治区", "西藏", "拉萨市", 2, [("540102", "城关区")]),
    ("陕西省", "陕西", "西安市", 26, [("610102", "新城区"), ("610103", "碑林区"), ("610113", "雁塔区")]),
    ("陕西省", "陕西", "宝鸡市", 7, [("610302", "渭滨区")]),
    ("甘肃省", "甘肃", "兰州市", 9, [("620102", "城关区")]),
    ("青海省", "青海", "西宁市", 5, [("630102", "城东区")]),
    ("宁夏回族自治区", "宁夏", "银川市", 5, [("640104", "兴庆区")]),
    ("新疆维吾尔自治区", "新疆", "乌鲁木齐市", 9, [("650102", "天山区"), ("650104", "新市区")]),
]

_SURNAMES = ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
             "彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 "
             "石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 "
             "万 钱 严 覃 武 戴 莫 孔 向 汤 欧阳 上官 司马 诸葛").split()
_SURNAME_PY = ("wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng "
               "liang xie song tang xu han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai yu du "
               "ye cheng su wei lv ding ren shen yao lu jiang cui zhong tan lu wang fan jin shi liao jia xia "
               "wei fu fang bai zou meng xiong qin qiu jiang yin xue yan duan lei hou long shi tao li he gu "
               "mao hao gong shao wan qian yan qin wu dai mo kong xiang tang ouyang shangguan sima zhuge").split()
assert len(_SURNAMES) == len(_SURNAME_PY)
_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文东海亮成博晨阳振德永春家子毅昊天泽嘉睿铭轩"
_MALE_PY = "wqljyyjtmcgphphfxbbyhkjjfsxnllfjgzwdhlcbcyzdycjzyhtzjrmx"
_FEMALE = "芳娜敏静丽艳娟霞秀英玲婷雪慧燕红梅琳欣颖倩丹萍佳晶莉月瑶怡婧雯思悦蕾璐琪淑萌凤兰晓雅桂云诗梦欢"
_FEMALE_PY = "fnmjlyjxxyltxhyhmlxyqdpjjlyyyjwsyllqsmflxygysmh"
assert len(_MALE) == len(_MALE_PY) and len(_FEMALE) == len(_FEMALE_PY)

_ROADS = ("人民路 解放路 中山路 建设路 和平路 新华路 胜利路 长江路 黄河路 光明路 文化路 青年路 朝阳路 东风路 "
          "迎宾大道 建国路 友谊路 幸福路 南京路 北京路 延安路 复兴路 滨江路 学府路 科技路 工业大道 世纪大道 "
          "湖滨路 环城路 振兴路 金桥路 花园路 育才路 红旗路 公园路 车站路 锦绣路 长安街 新城大道 创业路").split()
_COMMUNITY_A = "阳光 金色 翠湖 锦绣 幸福 和谐 碧水 万家 东方 世纪 名仕 金桂 银杏 书香 凤凰 紫荆 丽景 绿洲 泰和 中天 盛世 龙湖 滨江 枫林 香榭 金地 华府 融城 新城 御景".split()
_COMMUNITY_B = "花园 家园 小区 新村 公寓 雅苑 华庭 名都 佳园 苑 城 府 湾 天地 国际".split()
_BRAND = "华信达瑞鑫宏泰恒盛源丰隆祥安康顺通利兴荣辉博润凯嘉诚德腾飞宇航星远景明阳光汇众合创新天昊海峰金银富联立正东方中亿佳美晟弘昌禾益卓越智优锦程尚铭川茂盈"
_INDUSTRY = [("科技", 12), ("贸易", 10), ("商贸", 8), ("建筑工程", 6), ("餐饮管理", 6), ("物流", 6), ("电子", 5),
             ("信息技术", 6), ("供应链管理", 4), ("实业", 5), ("劳务派遣", 3), ("装饰工程", 4), ("汽车销售服务", 3),
             ("房地产开发", 2), ("医药", 3), ("服装", 4), ("食品", 4), ("机械设备", 4), ("文化传媒", 4),
             ("教育咨询", 3), ("物业管理", 3), ("电子商务", 4)]
_BANKS = [("622202", 19, "中国工商银行"), ("622848", 19, "中国农业银行"), ("621700", 19, "中国建设银行"),
          ("621661", 19, "中国银行"), ("622262", 19, "交通银行"), ("622588", 16, "招商银行"),
          ("621799", 19, "中国邮政储蓄银行")]
_CREDIT_BINS = [("625965", "招商银行"), ("628288", "中信银行"), ("625906", "中国工商银行"), ("622836", "中国农业银行")]
_PHONE_PREFIX = [130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 153, 155, 156, 157,
                 158, 159, 166, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189,
                 191, 198, 199]
_TACS = ["35391110", "35823909", "86914503", "86445204", "35674108", "86769304", "35205411", "86817003",
         "35961210", "86240305", "35332911", "86007105"]
_IP_FIRST = [36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121,
             122, 123, 124, 125, 171, 175, 180, 182, 183, 202, 210, 211, 218, 219, 220, 221, 222, 223]
_EMAIL_DOMAINS = ["163.com", "126.com", "sina.com", "foxmail.com", "hotmail.com", "gmail.com", "139.com", "sohu.com"]
_PRODUCTS = ("consumer", "business", "car", "mortgage", "credit_card")
_PRODUCT_ZH = {"consumer": "消费贷", "business": "经营贷", "car": "车贷", "mortgage": "房贷", "credit_card": "信用卡分期"}
_STATUSES = ("current", "overdue", "charged_off", "closed")
_BANK_PRODUCTS = {1: ["众联银行", "众联经营贷", "众联银行普惠金融部"], 2: ["众联银行", "众联车贷"], 3: ["众联银行", "众联银行个人住房贷款"]}
_PLATFORMS = ["众联银行", "众联e贷", "安心借", "随心贷", "惠民消费金融", "鑫融小额贷款",
              "易借钱", "速享贷", "乐分期", "诚易花", "星火借条"]
_ILLNESS = ["急性胰腺炎", "脑出血", "重度抑郁症", "股骨骨折", "肾衰竭", "急性心肌梗死", "肺结核", "甲状腺癌",
            "腰椎间盘突出", "急性白血病", "胃癌", "肝硬化"]
_ILLNESS_F = ["乳腺癌", "宫颈癌", "卵巢囊肿破裂"]
_HOSPITALS = ["{c}第一人民医院", "{c}中心医院", "{c}中医院", "{p}省人民医院", "{c}第三人民医院",
              "{p}医科大学附属医院"]
_SPECIAL_CITIES = ("北京市", "上海市", "天津市", "重庆市")

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


def _noop(_msg: str) -> None:
    return None


# ------------------------------------------------------------------------------------
# Small vectorised helpers
# ------------------------------------------------------------------------------------

_DIG = np.array(list("0123456789"))
_HEX2 = np.array([f"{i:02x}" for i in range(256)])
_HEX2U = np.array([f"{i:02X}" for i in range(256)])
_USCC_ARR = np.array(list(_USCC_CS))
_ORG_VAL = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in _USCC_CS], dtype=np.int64)


def _as_strs(p, n: int):
    if isinstance(p, str):
        return itertools.repeat(p, n)
    a = np.asarray(p)
    if a.dtype.kind in "iu":
        return map(str, a.tolist())
    return a.tolist()


def _cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays (str or int) and str scalars; an object array."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    return np.array(list(map("".join, zip(*(_as_strs(p, n) for p in parts)))), dtype=object)


def _uniq(a: np.ndarray) -> np.ndarray:
    """Sorted unique values (sort-based; numpy's hash path is slow on large int arrays)."""
    a = np.sort(np.asarray(a))
    return a[np.concatenate([[True], a[1:] != a[:-1]])] if len(a) else a


def _dups(a: np.ndarray) -> np.ndarray:
    """Mask of the elements equal to an earlier element (sort-based, for large arrays)."""
    a = np.asarray(a)
    order = np.argsort(a, kind="stable")
    sa = a[order]
    d = np.zeros(len(a), dtype=bool)
    d[order[1:][sa[1:] == sa[:-1]]] = True
    return d


def _digits_str(m: np.ndarray) -> np.ndarray:
    """Digit matrix (n, k) -> array of k-char strings."""
    k = m.shape[1]
    return np.ascontiguousarray(_DIG[m]).view(f"<U{k}").ravel()


def _hex(rng: np.random.Generator, n: int, nbytes: int, upper: bool = False) -> np.ndarray:
    b = rng.integers(0, 256, size=(n, nbytes))
    return np.ascontiguousarray((_HEX2U if upper else _HEX2)[b]).view(f"<U{2 * nbytes}").ravel()


def _int_digits(x: np.ndarray, k: int) -> np.ndarray:
    """Non-negative ints -> digit matrix (n, k), most significant first."""
    out = np.empty((len(x), k), dtype=np.int64)
    v = x.astype(np.int64).copy()
    for i in range(k - 1, -1, -1):
        out[:, i] = v % 10
        v //= 10
    return out


def _zfill(x: np.ndarray, k: int) -> np.ndarray:
    return _digits_str(_int_digits(x, k))


def _seg_pick(rng, seg_start, seg_len, keys):
    """A uniform random position inside segment ``keys`` (segments must be non-empty)."""
    return seg_start[keys] + (rng.random(len(keys)) * seg_len[keys]).astype(np.int64)


def _seg_weighted(rng, cum, seg_before, seg_total, seg_start, seg_len, keys):
    """A position inside segment ``keys`` with probability proportional to weight."""
    u = seg_before[keys] + rng.random(len(keys)) * seg_total[keys]
    idx = np.searchsorted(cum, u, side="right")
    return np.clip(idx, seg_start[keys], seg_start[keys] + seg_len[keys] - 1)


def _segments(keys: np.ndarray, n_keys: int):
    """For items sorted by key: (start, length) per key."""
    cnt = np.bincount(keys, minlength=n_keys)
    start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    return start, cnt


_DATE0 = datetime.date(2024, 1, 1)


def _day_str(day: int) -> str:
    d = _DATE0 + datetime.timedelta(days=int(day))
    return f"{d.year}年{d.month}月{d.day}日"


class _Rows:
    """Column chunks appended over time, concatenated once."""

    def __init__(self, spec: dict[str, object]):
        self.spec = spec          # column -> blank value (defines dtype family)
        self.parts: list[tuple[int, dict]] = []

    def add(self, n: int, **cols) -> None:
        if n <= 0:
            return
        for k in cols:
            if k not in self.spec:
                raise KeyError(k)
        self.parts.append((n, cols))

    def __len__(self) -> int:
        return sum(n for n, _ in self.parts)

    def finish(self) -> dict[str, np.ndarray]:
        out = {}
        for col, blank in self.spec.items():
            arrs = []
            for n, cols in self.parts:
                v = cols.get(col, blank)
                if isinstance(v, np.ndarray):
                    if len(v) != n:
                        raise ValueError(f"{col}: {len(v)} != {n}")
                    arrs.append(v)
                elif isinstance(v, (list, tuple)):
                    if len(v) != n:
                        raise ValueError(f"{col}: {len(v)} != {n}")
                    arrs.append(np.array(v, dtype=object if isinstance(blank, str) else np.int64))
                else:
                    arrs.append(np.full(n, v, dtype=object) if isinstance(blank, str) else np.full(n, v, dtype=np.int64))
            if arrs:
                a = np.concatenate(arrs)
                out[col] = a if isinstance(blank, str) else a.astype(np.int64)
            else:
                out[col] = np.empty(0, dtype=object if isinstance(blank, str) else np.int64)
        self.parts = []
        return out


class _PhonePool:
    """Unique random mobile numbers (11 digits, 1[3-9]x), handed out in order."""

    def __init__(self, rng: np.random.Generator, n: int):
        pre = np.array(_PHONE_PREFIX, dtype=np.int64)
        got = np.empty(0, dtype=np.int64)
        while len(got) < n:
            k = int((n - len(got)) * 1.05) + 64
            cand = pre[rng.integers(0, len(pre), k)] * 100_000_000 + rng.integers(0, 100_000_000, k)
            last8 = cand % 100_000_000
            cand = cand[(last8 % 11_111_111 != 0) & (cand != 13800138000)]
            got = np.sort(np.concatenate([got, cand]))
            got = got[np.concatenate([[True], got[1:] != got[:-1]])]
        self.nums = rng.permutation(got)[:n]
        self.pos = 0

    def take(self, k: int) -> np.ndarray:
        if self.pos + k > len(self.nums):
            raise RuntimeError("phone pool exhausted")
        out = self.nums[self.pos:self.pos + k]
        self.pos += k
        return out

    def one(self) -> int:
        return int(self.take(1)[0])


def _e164(n: int) -> str:
    return f"+86{int(n)}"


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


# ------------------------------------------------------------------------------------
# The world
# ------------------------------------------------------------------------------------

class _World:
    """All arrays of one synthetic population (indices, not strings, until writing)."""

    def __init__(self, n: int, seed: int, messy: bool, progress: Callable[[str], None]):
        if n < 50:
            raise ValueError("n_borrowers must be at least 50")
        self.N = int(n)
        self.seed = int(seed)
        self.vary: frozenset = frozenset()
        self.messy = messy
        self.say = progress
        self.rng = np.random.default_rng([self.seed, self.N, 20251215])
        self.pyr = random.Random(int(self.rng.integers(0, 2**62)))
        self.ring_firms: set[str] = set()
        self.used_names: set[str] = set()
        self._geo()

    # ---------------------------------------------------------------- geography
    def _geo(self) -> None:
        prov_names: list[str] = []
        self.city_name = np.array([g[2] for g in _GEO], dtype=object)
        city_prov = []
        for g in _GEO:
            if g[0] not in prov_names:
                prov_names.append(g[0])
            city_prov.append(prov_names.index(g[0]))
        self.prov_name = np.array(prov_names, dtype=object)
        self.prov_short = np.array([next(g[1] for g in _GEO if g[0] == p) for p in prov_names], dtype=object)
        self.city_prov = np.array(city_prov)
        self.nC, self.nP = len(_GEO), len(prov_names)
        w = np.array([g[3] for g in _GEO], dtype=float)
        self.city_p = w / w.sum()
        codes, names, dcity = [], [], []
        for ci, g in enumerate(_GEO):
            for code, nm in g[4]:
                codes.append(int(code))
                names.append(nm)
                dcity.append(ci)
        self.dist_code = np.array(codes, dtype=np.int64)
        self.dist_name = np.array(names, dtype=object)
        self.dist_city = np.array(dcity)
        self.city_dstart, self.city_dn = _segments(self.dist_city, self.nC)
        self.prov_cstart, self.prov_cn = _segments(self.city_prov, self.nP)
        # address prefix: "湖北省武汉市" or "北京市"
        self.city_prefix = np.array([g[2] if g[2] in _SPECIAL_CITIES else g[0] + g[2] for g in _GEO], dtype=object)
        self.city_short = np.array([g[2][:-1] if g[2].endswith("市") else g[2] for g in _GEO], dtype=object)

    def pick_district(self, city: np.ndarray) -> np.ndarray:
        return _seg_pick(self.rng, self.city_dstart, self.city_dn, city)

    def city_by_weight(self, k: int) -> np.ndarray:
        return self.rng.choice(self.nC, k, p=self.city_p)

    # ---------------------------------------------------------------- names
    def make_names(self, male: np.ndarray, surname: np.ndarray | None = None):
        rng, n = self.rng, len(male)
        if surname is None:
            surname = self.draw_surnames(n)
        sn = np.array(_SURNAMES)[surname]
        mc, fc = np.array(list(_MALE)), np.array(list(_FEMALE))
        mp, fp = np.array(list(_MALE_PY)), np.array(list(_FEMALE_PY))
        i1 = rng.integers(0, 10**6, n)
        i2 = rng.integers(0, 10**6, n)
        c1 = np.where(male, mc[i1 % len(mc)], fc[i1 % len(fc)])
        c2 = np.where(male, mc[i2 % len(mc)], fc[i2 % len(fc)])
        p1 = np.where(male, mp[i1 % len(mp)], fp[i1 % len(fp)])
        p2 = np.where(male, mp[i2 % len(mp)], fp[i2 % len(fp)])
        two = rng.random(n) < 0.72
        c2 = np.where(two, c2, "")
        p2 = np.where(two, p2, "")
        return _cat(sn, c1, c2), surname, _cat(p1, p2)

    def draw_surnames(self, n: int) -> np.ndarray:
        k = len(_SURNAMES)
        w = 1.0 / np.arange(1, k + 1) ** 0.9
        w[:5] *= 1.6
        return self.rng.choice(k, n, p=w / w.sum())

    def name_one(self) -> str:
        r = self.pyr
        if not hasattr(self, "_sur_cum"):
            k = len(_SURNAMES)
            w = 1.0 / np.arange(1, k + 1) ** 0.9
            w[:5] *= 1.6
            self._sur_cum = np.cumsum(w / w.sum()).tolist()
        sn = _SURNAMES[min(bisect.bisect(self._sur_cum, r.random()), len(_SURNAMES) - 1)]
        chars = _MALE if r.random() < 0.6 else _FEMALE
        return sn + r.choice(chars) + (r.choice(chars) if r.random() < 0.72 else "")

    def unique_label(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            s = make()
            if s not in self.used_names:
                self.used_names.add(s)
                return s
        raise RuntimeError("cannot make a unique label")

    def brand(self, k: int = 2) -> str:
        return "".join(self.pyr.choice(_BRAND) for _ in range(k))

    # ---------------------------------------------------------------- ids and cards
    def make_ids(self, city: np.ndarray, prov: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
        """GB 11643 resident IDs: area of a district in the same province, birth date, sex, check."""
        rng, n = self.rng, len(city)
        home_city = city.copy()
        alt = rng.random(n) < 0.15
        home_city[alt] = _seg_pick(rng, self.prov_cstart, self.prov_cn, prov[alt])
        area = self.dist_code[self.pick_district(home_city)]
        b = birth.astype("datetime64[D]")
        y = b.astype("datetime64[Y]").astype(np.int64) + 1970
        mo = b.astype("datetime64[M]").astype(np.int64) % 12 + 1
        d = (b - b.astype("datetime64[M]")).astype(np.int64) + 1
        ymd = y * 10000 + mo * 100 + d
        seq = rng.integers(0, 500, n) * 2 + male.astype(np.int64)
        body = area * 10**11 + ymd * 1000 + seq
        for _ in range(50):   # make unique
            dup = _dups(body)
            if not dup.any():
                break
            seq = rng.integers(0, 500, int(dup.sum())) * 2 + male[dup].astype(np.int64)
            body[dup] = area[dup] * 10**11 + ymd[dup] * 1000 + seq
        m = _int_digits(body, 17)
        chk = (m @ _ID_W) % 11
        m2 = np.concatenate([m, np.full((n, 1), 10)], axis=1)
        out = np.ascontiguousarray(np.array(list("0123456789X"))[m2]).view("<U18").ravel().copy()
        out_v = out.view("<U1").reshape(-1, 18)
        out_v[:, 17] = np.array(list(_ID_CHECK))[chk]
        return out

    def make_cards(self, n: int, bins: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Luhn-valid card numbers; returns (numbers, bin index)."""
        rng = self.rng
        bi = rng.integers(0, len(bins), n)
        out = np.empty(n, dtype="<U19")
        for j, (bn, ln) in enumerate(bins):
            sel = np.flatnonzero(bi == j)
            if not len(sel):
                continue
            r = rng.integers(0, 10 ** (ln - 7), len(sel))
            for _ in range(20):      # unique within the call (cross-call collisions are ~1e-6)
                d = _dups(r)
                if not d.any():
                    break
                r[d] = rng.integers(0, 10 ** (ln - 7), int(d.sum()))
            pay = np.concatenate([np.tile([int(c) for c in bn], (len(sel), 1)), _int_digits(r, ln - 7)], axis=1)
            m = np.concatenate([pay, _luhn_digits(pay)[:, None]], axis=1)
            out[sel] = _digits_str(m)
        return out, bi
        return out, bi

    def make_uscc(self, dist: np.ndarray, new_style: np.ndarray) -> np.ndarray:
        rng, n = self.rng, len(dist)
        m = np.zeros((n, 18), dtype=np.int64)
        m[:, 0], m[:, 1] = 9, 1
        m[:, 2:8] = _int_digits(self.dist_code[dist], 6)
        old = rng.integers(0, 10, (n, 8))
        old[:, 0] = rng.integers(5, 8, n)
        new = rng.integers(0, 31, (n, 8))
        new[:, 0], new[:, 1] = _USCC_CS.index("M"), _USCC_CS.index("A")
        new[:, 2] = rng.integers(1, 10, n)
        m[:, 8:16] = np.where(new_style[:, None], new, old)
        c = 11 - (_ORG_VAL[m[:, 8:16]] @ _ORG_W) % 11
        m[:, 16] = np.where(c == 10, _USCC_CS.index("X"), np.where(c == 11, 0, c))
        m[:, 17] = (31 - (m[:, :17] @ _USCC_W) % 31) % 31
        return np.ascontiguousarray(_USCC_ARR[m]).view("<U18").ravel()

    def make_imei(self, n: int) -> np.ndarray:
        rng = self.rng
        tac = np.array([[int(c) for c in t] for t in _TACS])[rng.integers(0, len(_TACS), n)]
        pay = np.concatenate([tac[:, :2], rng.integers(0, 10, (n, 12))], axis=1)
        return _digits_str(np.concatenate([pay, _luhn_digits(pay)[:, None]], axis=1))

    def make_devices(self, n: int) -> np.ndarray:
        """IMEI (Luhn), Android ID (16 hex) or IDFV (UUID), mixed."""
        rng = self.rng
        kind = rng.choice(3, n, p=[0.45, 0.35, 0.20])
        out = np.empty(n, dtype="<U36")
        s = kind == 0
        out[s] = self.make_imei(int(s.sum()))
        s = kind == 1
        out[s] = _hex(rng, int(s.sum()), 8)
        s = np.flatnonzero(kind == 2)
        h = _hex(rng, len(s), 16, upper=True)
        out[s] = _cat(np.strings.slice(h, 0, 8), "-", np.strings.slice(h, 8, 12), "-",
                      np.strings.slice(h, 12, 16), "-", np.strings.slice(h, 16, 20), "-", np.strings.slice(h, 20, 32))
        return out

    def make_ips(self, n: int) -> np.ndarray:
        rng = self.rng
        a = np.array(_IP_FIRST)[rng.integers(0, len(_IP_FIRST), n)]
        b, c, d = rng.integers(0, 256, n), rng.integers(0, 256, n), rng.integers(1, 255, n)
        return _cat(a.astype(str), ".", b.astype(str), ".", c.astype(str), ".", d.astype(str))

    def make_ip6(self, n: int) -> np.ndarray:
        h = _hex(self.rng, n, 6)
        return _cat("2409:8a", np.strings.slice(h, 0, 2), ":", np.strings.slice(h, 2, 6), ":",
                    np.strings.slice(h, 6, 10), "::", np.strings.slice(h, 10, 12))

    def addresses(self, dist: np.ndarray, home: bool = True) -> np.ndarray:
        rng, n = self.rng, len(dist)
        city = self.dist_city[dist]
        road = np.array(_ROADS)[rng.integers(0, len(_ROADS), n)]
        num = rng.integers(1, 399, n)
        base = _cat(self.city_prefix[city], self.dist_name[dist], road, num, "号")
        if home:
            comm = _cat(np.array(_COMMUNITY_A)[rng.integers(0, len(_COMMUNITY_A), n)],
                        np.array(_COMMUNITY_B)[rng.integers(0, len(_COMMUNITY_B), n)])
            floor = rng.integers(1, 33, n)
            room = floor * 100 + rng.integers(1, 5, n)
            return _cat(base, comm, rng.integers(1, 31, n), "栋", rng.integers(1, 7, n), "单元", room, "室")
        tower = np.where(rng.random(n) < 0.5, "", _cat(np.array(list(_BRAND))[rng.integers(0, len(_BRAND), n)],
                                                        np.array(list(_BRAND))[rng.integers(0, len(_BRAND), n)],
                                                        "大厦", (rng.integers(1, 30, n) * 100
                                                                 + rng.integers(1, 20, n)).astype(str), "室"))
        return _cat(base, tower)

    def bid_str(self, idx: np.ndarray) -> np.ndarray:
        return _cat("C", (np.asarray(idx, dtype=np.int64) + 10_000_000).astype(str))

    def bid(self, i: int) -> str:
        return f"C{int(i) + 10_000_000}"

    # ---------------------------------------------------------------- borrowers
    def borrowers(self) -> None:
        self.say("borrowers")
        rng, N = self.rng, self.N
        city = np.sort(self.city_by_weight(N))
        city = city[rng.permutation(N)]
        self.city = city
        self.prov = self.city_prov[city]
        self.male = rng.random(N) < 0.57
        age_days = ((20 + np.clip(rng.gamma(2.4, 5.5, N), 0, 42)) * 365.25).astype(np.int64)
        self.age = age_days / 365.25
        birth = np.datetime64("2025-12-15") - age_days.astype("timedelta64[D]")
        self.birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
        self.pool = _PhonePool(rng, int(N * 2.7) + 5000)
        self.phone = self.pool.take(N).copy()
        self.id_number = self.make_ids(city, self.prov, birth, self.male)
        self.surname = self.draw_surnames(N)
        self.home_dist = self.pick_district(city)
        self.thin = rng.random(N) < np.where(self.age < 25, 0.35, 0.12)
        self.co_debt = np.where(self.thin, rng.poisson(0.3, N), 1 + rng.poisson(1.2, N)).clip(0, 8)
        self.employer = np.full(N, -1, dtype=np.int64)
        self.legal_co = np.full(N, -1, dtype=np.int64)
        self.n_loans = rng.choice([1, 2, 3], N, p=[0.70, 0.25, 0.05])
        self.forced_od = np.full(N, -1, dtype=np.int64)
        self.long_hist = np.zeros(N, dtype=bool)
        self.hist_od = np.full(N, -1, dtype=np.int64)
        self.honest_od = rng.random(N) < 0.065
        self.group = np.zeros(N, dtype=np.int8)     # 0 free, 1 family, 2 legal aid, 3 HR line, 9 ring
        self.ring_of = np.full(N, -1, dtype=np.int64)
        self.onboard = (rng.random(N) ** 0.8 * (SNAP_DAY - 40)).astype(np.int64)
        card, bi = self.make_cards(N, [(b, ln) for b, ln, _ in _BANKS])
        self.card = card.astype(object)
        self.card_bank = np.array([b[2] for b in _BANKS], dtype=object)[bi]
        # per-city shuffled borrower lists (for picking neighbours)
        order = np.argsort(city, kind="stable")
        self.by_city = order
        self.by_city_start, self.by_city_n = _segments(city[order], self.nC)
        self.next_pid = int(rng.integers(10_000_000, 20_000_000))

    def person_ids(self, k: int) -> np.ndarray:
        out = _cat("P", (np.arange(self.next_pid, self.next_pid + k)).astype(str))
        self.next_pid += k
        return out.astype(object)

    # ---------------------------------------------------------------- companies
    def _co_init(self) -> None:
        self.co_parts: dict[str, list] = {k: [] for k in ("uscc", "name", "addr", "inc", "agent", "status", "city")}
        self.co_city_list: list[int] = []
        self.uscc_seen: set[str] = set()
        self.n_co = 0

    def add_companies(self, city, inc, names=None, addr=None, agent=None, status=None, dist=None) -> np.ndarray:
        rng, n = self.rng, len(city)
        city = np.asarray(city, dtype=np.int64)
        if dist is None:
            dist = self.pick_district(city)
        uscc = self.make_uscc(dist, np.asarray(inc) >= -3000).astype(object)
        for _ in range(20):     # a registry key: unique
            bad = np.flatnonzero(_dups(uscc.astype(str)) | np.fromiter((u in self.uscc_seen for u in uscc.tolist()),
                                                                       dtype=bool, count=n))
            if not len(bad):
                break
            uscc[bad] = self.make_uscc(dist[bad], np.asarray(inc)[bad] >= -3000)
        self.uscc_seen.update(uscc.tolist())
        if names is None:
            names = self.company_names(city)
        if addr is None:
            addr = self.addresses(dist, home=False)
        if agent is None:
            agent = np.full(n, "", dtype=object)
        if status is None:
            status = np.where(rng.random(n) < 0.86, "存续", "在业")
        for k, v in (("uscc", uscc), ("name", names), ("addr", addr), ("inc", np.asarray(inc, dtype=np.int64)),
                     ("agent", agent), ("status", status), ("city", city)):
            self.co_parts[k].append(np.asarray(v, dtype=object) if k not in ("inc", "city") else v)
        idx = np.arange(self.n_co, self.n_co + n)
        self.co_city_list.extend(city.tolist())
        self.n_co += n
        return idx

    def company_names(self, city: np.ndarray, industry: list[str] | None = None) -> np.ndarray:
        rng, n = self.rng, len(city)
        inds = [i for i, _ in _INDUSTRY]
        w = np.array([w for _, w in _INDUSTRY], dtype=float)
        ind = np.array(inds)[rng.choice(len(inds), n, p=w / w.sum())] if industry is None else \
            np.array(industry)[rng.integers(0, len(industry), n)]
        bc = np.array(list(_BRAND))
        names = _cat(self.city_short[city].astype(str), bc[rng.integers(0, len(bc), n)],
                     bc[rng.integers(0, len(bc), n)], ind, "有限公司").astype(object)
        out = []
        for i, nm in enumerate(names):    # names are unique in a registry
            while nm in self.used_names:
                nm = f"{self.city_short[city[i]]}{self.brand(3)}{ind[i]}有限公司"
            self.used_names.add(nm)
            out.append(nm)
        return np.array(out, dtype=object)

    def companies(self) -> None:
        self.say("companies and employers")
        rng, N = self.rng, self.N
        self._co_init()
        # bookkeeping / registration agencies, per city, Zipf popularity
        per_city = np.maximum(1, np.round(self.city_p * N / 5000)).astype(int)
        self.bk_name, self.bk_city, bw = [], [], []
        for c in range(self.nC):
            for j in range(per_city[c]):
                suffix = self.pyr.choice(["财务咨询", "代理记账", "企业服务", "财税服务", "企业管理咨询"])
                self.bk_name.append(self.unique_label(lambda: f"{self.city_short[c]}{self.brand()}{suffix}有限公司"))
                self.bk_city.append(c)
                bw.append(1.0 / (j + 1) ** 1.1)
        self.bk_name = np.array(self.bk_name, dtype=object)
        self.bk_city = np.array(self.bk_city)
        bstart, blen = _segments(self.bk_city, self.nC)
        bcum = np.cumsum(bw)
        bbefore = bcum[bstart] - np.array(bw)[bstart]
        btot = np.add.reduceat(np.array(bw), bstart)
        # honest companies
        nco = max(3 * self.nC, N // 16)
        city = np.sort(np.concatenate([np.repeat(np.arange(self.nC), 3), self.city_by_weight(nco - 3 * self.nC)]))
        inc = -np.clip(rng.exponential(2600, nco), 30, 10000).astype(np.int64)
        recent = rng.random(nco) < 0.07
        inc[recent] = rng.integers(0, 640, int(recent.sum()))
        has_agent = rng.random(nco) < 0.55
        agent = np.full(nco, "", dtype=object)
        hi = np.flatnonzero(has_agent)
        agent[hi] = self.bk_name[_seg_weighted(rng, bcum, bbefore, btot, bstart, blen, city[hi])]
        idx = self.add_companies(city, inc, agent=agent)
        self.co_honest = idx
        # employers by size weight within the city
        size_w = rng.pareto(1.1, nco) + 1
        cum = np.cumsum(size_w)
        cstart, clen = _segments(city, self.nC)
        before = cum[cstart] - size_w[cstart]
        tot = np.add.reduceat(size_w, cstart)
        employed = rng.random(N) < 0.63
        e = np.flatnonzero(employed)
        self.employer[e] = idx[_seg_weighted(rng, cum, before, tot, cstart, clen, self.city[e])]
        self.co_city_start, self.co_city_n = cstart, clen      # honest companies by city
        # the nationwide employer
        bc = int(self.rng.choice([self.city_name.tolist().index("深圳市"), self.city_name.tolist().index("上海市")]))
        nm = self.unique_label(lambda: f"{self.brand()}{self.pyr.choice(['物流', '电器连锁', '快递', '餐饮连锁'])}股份有限公司")
        self.big_co = int(self.add_companies(np.array([bc]), np.array([-6200]), names=np.array([nm], dtype=object),
                                             status=np.array(["存续"], dtype=object))[0])
        big_n = int(round(N * rng.uniform(0.03, 0.05)))
        self.employer[rng.choice(e, min(big_n, len(e)), replace=False)] = self.big_co
        # legal representatives and shareholders of honest companies
        n = len(idx)
        is_b = rng.random(n) < 0.08
        ccity = city
        reps = self.person_ids(n)
        bsel = np.flatnonzero(is_b)
        bpick = self.by_city[_seg_pick(rng, self.by_city_start, np.maximum(self.by_city_n, 1), ccity[bsel])]
        okc = self.by_city_n[ccity[bsel]] > 0
        bsel, bpick = bsel[okc], bpick[okc]
        reps[bsel] = self.bid_str(bpick)
        self.legal_co[bpick] = idx[bsel]
        since = np.maximum(inc, -9000) + rng.integers(0, 200, n)
        self.roles = _Rows({"uscc": -1, "person": "", "role": "", "since": -1, "salary": -1, "si": -1, "tag": -1})
        self.roles.add(n, uscc=idx, person=reps, role="legal_rep", since=since)
        sh = np.flatnonzero(rng.random(n) < 0.35)
        self.roles.add(len(sh), uscc=idx[sh], person=reps[sh], role="shareholder", since=since[sh])
        sh2 = np.flatnonzero(rng.random(n) < 0.25)
        self.roles.add(len(sh2), uscc=idx[sh2], person=self.person_ids(len(sh2)), role="shareholder",
                       since=since[sh2] + rng.integers(0, 900, len(sh2)))
        dr = np.flatnonzero(rng.random(n) < 0.1)
        self.roles.add(len(dr), uscc=idx[dr], person=self.person_ids(len(dr)), role="director",
                       since=since[dr] + rng.integers(0, 900, len(dr)))

    def random_company_in(self, cities: np.ndarray) -> np.ndarray:
        return self.co_honest[_seg_pick(self.rng, self.co_city_start, self.co_city_n, cities)]

    # ---------------------------------------------------------------- officers and brokers
    def staff(self) -> None:
        self.say("loan officers and brokers")
        rng, N = self.rng, self.N
        n_off = max(20, N // 2500)
        per = np.maximum(1, np.round(self.city_p * n_off)).astype(int)
        ids, oc = [], []
        for c in range(self.nC):
            c4 = str(self.dist_code[self.city_dstart[c]])[:4]
            seqs = sorted(self.pyr.sample(range(1, 999), per[c]))
            ids += [f"KJ{c4}{s:03d}" for s in seqs]
            oc += [c] * per[c]
        self.off_id = np.array(ids, dtype=object)
        self.off_city = np.array(oc)
        self.off_start, self.off_n = _segments(self.off_city, self.nC)
        # intermediaries: index into inter_name
        self.inter_name: list[str] = []
        n_br = max(8, N // 4000)
        per = np.maximum(1, np.round(self.city_p * n_br)).astype(int)
        bw, bcity, bidx = [], [], []
        for c in range(self.nC):
            for j in range(per[c]):
                suf = self.pyr.choice(["金融服务有限公司", "贷款咨询服务部", "融资顾问有限公司", "信息咨询有限公司",
                                       "汽车金融服务中心", "房产经纪有限公司", "助贷服务中心"])
                self.inter_name.append(self.unique_label(lambda: f"{self.city_short[c]}{self.brand()}{suf}"))
                bidx.append(len(self.inter_name) - 1)
                bcity.append(c)
                bw.append(1.0 / (j + 1) ** 1.1)
        bw = np.array(bw)
        self.br_idx = np.array(bidx)
        self.br_start, self.br_n = _segments(np.array(bcity), self.nC)
        self.br_cum = np.cumsum(bw)
        self.br_before = self.br_cum[self.br_start] - bw[self.br_start]
        self.br_tot = np.add.reduceat(bw, self.br_start)

    def officer_in(self, cities: np.ndarray) -> np.ndarray:
        return _seg_pick(self.rng, self.off_start, self.off_n, np.asarray(cities))

    def new_intermediary(self, label: str) -> int:
        self.inter_name.append(label)
        return len(self.inter_name) - 1

    # ---------------------------------------------------------------- benign groups (selection)
    def take_free_in_city(self, c: int, k: int, ptr: dict) -> list[int]:
        """Up to ``k`` borrowers of city ``c`` not yet in any group."""
        out = []
        s, n = int(self.by_city_start[c]), int(self.by_city_n[c])
        p = ptr.get(c, 0)
        while len(out) < k and p < n:
            b = int(self.by_city[s + p])
            p += 1
            if self.group[b] == 0:
                out.append(b)
        ptr[c] = p
        return out

    def benign_groups(self) -> None:
        self.say("benign look-alike groups")
        rng, N = self.rng, self.N
        ptr: dict[int, int] = {}
        # families: 2-5 people sharing home, a tablet and contact phones
        self.families: list[list[int]] = []
        target = int(N * 0.015)
        heads = rng.permutation(N)
        hp, total = 0, 0
        while total < target and hp < N:
            h = int(heads[hp])
            hp += 1
            if self.group[h]:
                continue
            size = int(rng.choice([2, 3, 4, 5], p=[0.55, 0.25, 0.12, 0.08]))
            self.group[h] = 1
            mem = [h] + self.take_free_in_city(int(self.city[h]), size - 1, ptr)
            if len(mem) < 2:
                self.group[h] = 0
                continue
            for b in mem:
                self.group[b] = 1
            self.families.append(mem)
            total += len(mem)
        for mem in self.families:
            h = mem[0]
            self.home_dist[mem] = self.home_dist[h]
            if len(mem) > 2:
                self.surname[mem[2:]] = self.surname[h]
        # legal-aid centres: one hotline calls in complaints for many local borrowers
        self.legal_aid: list[dict] = []
        for k in range(max(1, round(N / 40000))):
            c = int(self.city_by_weight(1)[0])
            size = int(rng.integers(20, 61))
            size = min(size, max(8, N // 60))
            mem = self.take_free_in_city(c, size, ptr)
            if len(mem) < size:
                mem += self.take_free_any(size - len(mem))
            for b in mem:
                self.group[b] = 2
            c0 = int(rng.integers(150, SNAP_DAY - 330))
            days = c0 + rng.integers(0, 300, len(mem))
            self.hist_od[mem] = days - rng.integers(20, 90, len(mem))
            self.honest_od[mem] = False
            self.onboard[mem] = np.clip(np.minimum(self.onboard[mem], self.hist_od[mem] - 60), 0, None)
            self.legal_aid.append({"city": c, "members": np.array(mem), "days": days})
        # employers' HR lines
        self.hr_lines: list[dict] = []
        cands = self.co_honest[rng.permutation(len(self.co_honest))]
        ci = 0
        for k in range(max(1, round(N / 60000))):
            co = int(cands[ci % len(cands)])
            ci += 1
            c = int(self.co_city(co))
            size = int(rng.integers(6, 21))
            size = min(size, max(5, N // 100))
            emp = [int(b) for b in np.flatnonzero(self.employer == co) if self.group[b] == 0][:size]
            if len(emp) < size:
                emp += self.take_free_in_city(c, size - len(emp), ptr)
            for b in emp:
                self.group[b] = 3
                self.employer[b] = co
            c0 = int(rng.integers(150, SNAP_DAY - 200))
            days = c0 + rng.integers(0, 180, len(emp))
            self.hr_lines.append({"company": co, "members": np.array(emp), "days": days})

    def co_city(self, co: int) -> int:
        return int(self.co_city_list[co])

    def take_free_any(self, k: int) -> list[int]:
        """Up to ``k`` borrowers anywhere not yet in any group."""
        if not hasattr(self, "_free_perm"):
            self._free_perm, self._free_ptr = self.rng.permutation(self.N), 0
        out = []
        while len(out) < k and self._free_ptr < self.N:
            b = int(self._free_perm[self._free_ptr])
            self._free_ptr += 1
            if self.group[b] == 0:
                out.append(b)
        return out

    # ---------------------------------------------------------------- rings, phase A (who, when)
    _TRACES = {
        "proxy_complaint": ["hub", "sim_location", "rebind", "template", "attach", "agent"],
        "debt_evasion": ["hub", "sim_location", "rebind", "template", "forged", "life", "agent"],
        "malicious_claim": ["agent", "contact", "template", "escalate", "attach", "hub", "lost_contact"],
        "shell_company_loan": ["shell_addr", "reg_agent", "recent", "circle", "counterparty", "payroll", "officer",
                               "intermediary", "thin"],
        "debt_carrier": ["burst", "intermediary", "device", "thirdparty", "hold", "package", "officer", "account",
                         "complaints"],
    }

    def plan_rings(self) -> None:
        self.say("planting rings")
        rng, N = self.rng, self.N
        n_r = max(5, int(round(N / 500)))
        typs = list(rng.permutation(TYPOLOGIES)) + \
            list(rng.choice(TYPOLOGIES, n_r - 5, p=[0.3, 0.2, 0.15, 0.15, 0.2]))
        cap = max(8, min(300, N // 15))
        sizes = np.clip(np.round(5 * (1 + rng.pareto(1.2, n_r))), 5, cap).astype(int)
        if n_r <= 10:
            j = int(np.argmax(sizes))
            sizes[j] = max(sizes[j], min(cap, max(40, N // 30)))
        budget = max(25, int(0.12 * N))
        if sizes.sum() > budget:
            sizes = np.maximum(5, (sizes * budget / sizes.sum()).astype(int))
        self.rings: list[dict] = []
        # the first ring of each scheme: mostly loud, one stealthier; later rings: any stealth
        first_keep = rng.permutation([0.95, 0.9, 0.85, 0.75, 0.6]).tolist()
        for r, (typ, s) in enumerate(zip(typs, sizes)):
            hub_city = int(self.city_by_weight(1)[0])
            mem: list[int] = []
            while len(mem) < s:
                got = self.take_free_any(1)
                if not got:
                    break
                b = got[0]
                if self.city[b] == hub_city:
                    continue     # skipped now, not lost: still free for benign or others
                mem.append(b)
                self.group[b] = 9
            if len(mem) < 5:
                self.group[mem] = 0
                break
            m = np.array(mem)
            self.ring_of[m] = len(self.rings)
            keep_p = first_keep[r] if r < 5 else float(rng.choice([0.95, 0.75, 0.55], p=[0.35, 0.4, 0.25]))
            names = self._TRACES[typ]
            traces = {t: bool(rng.random() < keep_p) for t in names}
            if sum(traces.values()) < 2:
                for t in rng.choice(names, 2, replace=False):
                    traces[str(t)] = True
            ring = {"i": len(self.rings), "id": f"RING-{len(self.rings) + 1:04d}", "typ": str(typ), "members": m,
                    "city": hub_city, "traces": traces, "keep_p": keep_p,
                    "seed": int(rng.integers(0, 2**62))}
            getattr(self, f"_plan_{typ}")(ring)
            self.rings.append(ring)

    def _campaign_days(self, s: int) -> np.ndarray:
        rng = self.rng
        c0 = int(rng.integers(170, SNAP_DAY - 90))
        spread = int(rng.integers(20, 120))
        return np.minimum(c0 + rng.integers(0, spread, s), SNAP_DAY - 2)

    def _plan_proxy_complaint(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        ring["days"] = self._campaign_days(s)
        self.forced_od[m] = np.maximum(ring["days"] - rng.integers(20, 150, s), 75)
        self.onboard[m] = np.clip(np.minimum(self.onboard[m], self.forced_od[m] - rng.integers(60, 450, s)), 0, None)
        self.co_debt[m] = rng.integers(2, 8, s)

    def _plan_debt_evasion(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        days = self._campaign_days(s)
        ring["days"] = days
        od = np.maximum(days - rng.integers(8, 45, s), 75)
        self.forced_od[m] = od
        self.onboard[m] = np.clip(np.minimum(self.onboard[m], od - rng.integers(60, 450, s)), 0, None)
        ring["stay_from"] = od - rng.integers(3, 20, s)
        ring["stay_to"] = np.maximum(days - rng.integers(2, 12, s), ring["stay_from"] + 6)
        ring["days"] = np.maximum(days, ring["stay_to"] + 1)
        self.co_debt[m] = rng.integers(1, 6, s)

    def _plan_malicious_claim(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        self.forced_od[m] = SNAP_DAY - rng.integers(100, 260, s)
        self.onboard[m] = np.clip(np.minimum(self.onboard[m], self.forced_od[m] - rng.integers(200, 420, s)), 0, None)
        self.long_hist[m] = True
        self.co_debt[m] = rng.integers(6, 16, s)

    def _plan_shell_company_loan(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        self.n_loans[m] = 0
        self.employer[m] = -1
        self.legal_co[m] = -1
        if ring["traces"]["thin"]:
            self.thin[m] = rng.random(s) < 0.85
        self.co_debt[m] = rng.integers(0, 2, s)
        ring["w0"] = int(rng.integers(260, SNAP_DAY - 200))

    def _plan_debt_carrier(self, ring: dict) -> None:
        rng, m = self.rng, ring["members"]
        s = len(m)
        self.n_loans[m] = 0
        self.employer[m[rng.random(s) < 0.7]] = -1
        self.legal_co[m] = -1
        self.thin[m] = rng.random(s) < 0.9
        self.co_debt[m] = 0
        ring["t0"] = int(rng.integers(200, SNAP_DAY - 170))

    # ---------------------------------------------------------------- derived honest tables
    def people(self) -> None:
        self.say("names, addresses, e-mails")
        rng, N = self.rng, self.N
        name, _, gpy = self.make_names(self.male, self.surname)
        self.name = name.astype(object)
        self.address = self.addresses(self.home_dist).astype(object)
        for mem in self.families:
            self.address[mem] = self.address[mem[0]]
        sur_py = np.array(_SURNAME_PY)[self.surname]
        style = rng.integers(0, 3, N)
        tail = np.where(style == 0, self.birth_year.astype(str),
                        np.where(style == 1, (self.birth_year % 100 + 100).astype(str),
                                 rng.integers(100, 100000, N).astype(str)))
        tail = np.where(style == 1, np.strings.slice(tail.astype("<U6"), 1, 3), tail)
        dom = np.array(_EMAIL_DOMAINS)[rng.integers(0, len(_EMAIL_DOMAINS), N)]
        sep = np.array(["", "", "_", "."])[rng.integers(0, 4, N)]
        py_mail = _cat(sur_py, sep, gpy, tail, "@", dom)
        qq = _cat(rng.integers(10_000_000, 3_999_999_999, N).astype(str), "@qq.com")
        email = np.where(rng.random(N) < 0.45, qq, py_mail).astype(object)
        seen: dict[str, int] = {}
        for e in email.tolist():
            seen[e] = seen.get(e, 0) + 1
        dup = np.fromiter((seen[e] > 1 for e in email.tolist()), dtype=bool, count=N)
        email[dup | (rng.random(N) > 0.55)] = ""
        self.email = email

    def accounts(self) -> None:
        self.say("accounts")
        rng, N = self.rng, self.N
        self.acc = _Rows({"b": -1, "account": "", "kind": "", "bank": "", "at": -1})
        at = self.onboard * DAY + rng.integers(8 * 3600, 22 * 3600, N)
        b = np.arange(N)
        self.acc.add(N, b=b, account=self.card, kind="debit", bank=self.card_bank, at=at)
        s = np.flatnonzero(rng.random(N) < 0.17)
        cards, bi = self.make_cards(len(s), [(x, 16) for x, _ in _CREDIT_BINS])
        self.acc.add(len(s), b=s, account=cards.astype(object), kind="credit",
                     bank=np.array([x[1] for x in _CREDIT_BINS], dtype=object)[bi], at=at[s] + rng.integers(1, 300, len(s)) * DAY)
        s = np.flatnonzero(rng.random(N) < 0.1)
        wal = _cat("2088", _zfill(rng.integers(0, 10**12, len(s)), 12))
        self.acc.add(len(s), b=s, account=wal.astype(object), kind="ewallet", bank="支付宝", at=at[s])
        s = np.flatnonzero(rng.random(N) < 0.06)
        cards, bi = self.make_cards(len(s), [(x, ln) for x, ln, _ in _BANKS])
        self.acc.add(len(s), b=s, account=cards.astype(object), kind="debit",
                     bank=np.array([x[2] for x in _BANKS], dtype=object)[bi], at=at[s] + rng.integers(1, 500, len(s)) * DAY)

    def login_times(self, b: np.ndarray) -> np.ndarray:
        rng = self.rng
        on = self.onboard[b]
        day = on + (rng.random(len(b)) * (SNAP_DAY - on)).astype(np.int64)
        return day * DAY + rng.integers(6 * 3600, 24 * 3600, len(b))

    def devices(self) -> None:
        self.say("devices and logins")
        rng, N = self.rng, self.N
        self.dev = _Rows({"b": -1, "device": "", "at": -1, "ip": "", "wifi": -1})
        primary = self.make_devices(N).astype(object)
        self.junk_ids = ["000000000000000", "02:00:00:00:00:00", "unknown"]
        self.junk_of = np.full(N, -1)
        for j, jid in enumerate(self.junk_ids):
            sel = np.flatnonzero((rng.random(N) < 0.004) & (self.junk_of < 0))
            primary[sel] = jid
            self.junk_of[sel] = j
        self.primary_dev = primary
        home_ip = self.make_ips(N).astype(object)
        for mem in self.families:
            home_ip[mem] = home_ip[mem[0]]
        self.home_ip = home_ip
        per = np.maximum(2, np.round(self.city_p * N / 3000)).astype(int)
        self.cg_city = np.repeat(np.arange(self.nC), per)
        self.cg_ip = self.make_ips(len(self.cg_city)).astype(object)
        self.cg_start, self.cg_n = _segments(self.cg_city, self.nC)
        self.wifi_ip = self.make_ips(max(3, N // 20000)).astype(object)
        cnt = 1 + (rng.random(N) < 0.3) + (rng.random(N) < 0.06)
        b = np.repeat(np.arange(N), cnt)
        dev = primary[b]
        second = np.flatnonzero(rng.random(N) < 0.12)
        b = np.concatenate([b, second])
        dev = np.concatenate([dev, self.make_devices(len(second)).astype(object)])
        ip, wifi = self.login_ips(b, with_wifi=True)
        self.dev.add(len(b), b=b, device=dev, at=self.login_times(b), ip=ip, wifi=wifi)
        self.fam_device = self.make_devices(len(self.families)).tolist()
        if self.families:
            mm = np.concatenate([np.array(mem) for mem in self.families])
            dd = np.repeat(np.array(self.fam_device, dtype=object), [len(mem) for mem in self.families])
            self.dev.add(len(mm), b=mm, device=dd, at=self.login_times(mm), ip=self.home_ip[mm])

    def login_ips(self, b: np.ndarray, wifi: bool = True, with_wifi: bool = False):
        """IPs of logins: home broadband, carrier CGNAT of the city, public Wi-Fi, IPv6, other."""
        rng, n = self.rng, len(b)
        u = rng.random(n)
        ip = self.home_ip[b].copy()
        s = np.flatnonzero((u >= 0.5) & (u < 0.88))
        ip[s] = self.cg_ip[_seg_pick(rng, self.cg_start, self.cg_n, self.city[b[s]])]
        wk = np.full(n, -1, dtype=np.int64)
        if wifi:
            s = np.flatnonzero((u >= 0.88) & (u < 0.91))
            wk[s] = rng.integers(0, len(self.wifi_ip), len(s))
            ip[s] = self.wifi_ip[wk[s]]
        s = np.flatnonzero((u >= 0.91) & (u < 0.95))
        ip[s] = self.make_ip6(len(s))
        s = np.flatnonzero(u >= 0.95)
        ip[s] = self.make_ips(len(s))
        return (ip, wk) if with_wifi else ip

    def contacts(self) -> None:
        self.say("contacts")
        rng, N = self.rng, self.N
        self.con = _Rows({"b": -1, "phone": 0, "relation": "", "name": ""})
        nc = 1 + (rng.random(N) < 0.28)
        fam = np.zeros(N, dtype=bool)
        for mem in self.families:
            fam[mem] = True
        nc[fam] = 1
        b = np.repeat(np.arange(N), nc)
        first = np.ones(len(b), dtype=bool)
        first[1:] = b[1:] != b[:-1]
        married = (self.age[b] >= 27) & (rng.random(len(b)) < 0.65) & ~fam[b]
        rel2 = np.array(["parent", "sibling", "friend", "colleague", "child", "other"])[
            rng.choice(6, len(b), p=[0.3, 0.25, 0.2, 0.15, 0.05, 0.05])]
        rel = np.where(first, np.where(married, "spouse", "parent"), rel2)
        rel = np.where((rel == "child") & (self.age[b] < 40), "friend", rel)
        cmale = np.where(rel == "spouse", ~self.male[b], rng.random(len(b)) < 0.5)
        same_sur = ((rel == "parent") & cmale) | (rel == "sibling") | (rel == "child")
        sur = np.where(same_sur, self.surname[b], self.draw_surnames(len(b)))
        names, _, _ = self.make_names(cmale, sur)
        cph = self.pool.take(len(b))
        self.con.add(len(b), b=b, phone=cph, relation=rel.astype(object), name=names.astype(object))
        self.first_contact_phone = np.zeros(N, dtype=np.int64)
        self.first_contact_phone[b[first]] = cph[first]
        self.first_contact_name = np.full(N, "", dtype=object)
        self.first_contact_name[b[first]] = names[first]
        rows_b, phones, rels, nms = [], [], [], []
        for mem in self.families:
            h = mem[0]
            rows_b += [h] + mem[1:]
            phones += [int(self.phone[mem[1]])] + [int(self.phone[h])] * (len(mem) - 1)
            rels += ["spouse"] + ["spouse"] + [("parent" if self.age[x] < self.age[h] - 15 else "sibling") for x in mem[2:]]
            nms += [str(self.name[mem[1]])] + [str(self.name[h])] * (len(mem) - 1)
        self.con.add(len(rows_b), b=np.array(rows_b, dtype=np.int64), phone=np.array(phones, dtype=np.int64),
                     relation=rels, name=nms)

    def phone_events(self) -> None:
        self.say("phone events")
        rng, N = self.rng, self.N
        self.ev = _Rows({"b": -1, "phone": 0, "event": "", "at": -1, "city": ""})
        s = np.flatnonzero(rng.random(N) < 0.42)
        self.ev.add(len(s), b=s, phone=self.phone[s], event="bind",
                    at=self.onboard[s] * DAY + rng.integers(8 * 3600, 23 * 3600, len(s)))
        # honest number changes: old number bound, unbound, new number bound
        s = np.flatnonzero((rng.random(N) < 0.025) & (self.group == 0))
        old = self.pool.take(len(s))
        t = self.onboard[s] + (rng.random(len(s)) * (SNAP_DAY - self.onboard[s])).astype(np.int64)
        self.ev.add(len(s), b=s, phone=old, event="bind", at=self.onboard[s] * DAY + 36000)
        ts = t * DAY + rng.integers(9 * 3600, 21 * 3600, len(s))
        self.ev.add(len(s), b=s, phone=old, event="unbind", at=ts)
        self.ev.add(len(s), b=s, phone=self.phone[s], event="bind", at=ts + rng.integers(60, 3 * DAY, len(s)))
        # where the number was seen: own city, sometimes travelling
        k = (rng.random(N) < 0.22).astype(int) + (rng.random(N) < 0.05).astype(int)
        b = np.repeat(np.arange(N), k)
        c = self.city[b].copy()
        trav = rng.random(len(b)) < 0.1
        c[trav] = self.city_by_weight(int(trav.sum()))
        self.ev.add(len(b), b=b, phone=self.phone[b], event="location", at=self.login_times(b),
                    city=self.city_name[c])

    def employee_roles(self) -> None:
        self.say("employment")
        rng, N = self.rng, self.N
        e = np.flatnonzero(self.employer >= 0)
        cw = self.city_p / self.city_p.max()
        sal = 5200 * (0.8 + 0.8 * cw[self.city[e]]) * np.exp(rng.normal(0, 0.42, len(e)))
        self.salary = np.zeros(N, dtype=np.int64)
        self.salary[e] = (np.round(sal / 10) * 10).astype(np.int64) * 100
        si = (rng.random(len(e)) < 0.88).astype(np.int64)
        since = np.maximum(self.onboard[e] - rng.integers(30, 2500, len(e)), -8000)
        self.roles.add(len(e), uscc=self.employer[e], person=self.bid_str(e).astype(object), role="employee",
                       since=since, salary=self.salary[e], si=si)
        self.pay = _Rows({"payer": "", "payee": "", "amount": -1, "at": -1, "purpose": "", "loan": -1, "tag": -1})
        # salary deposits are in the export when the payroll account is with this bank
        k = (rng.random(len(e)) < 0.7).astype(np.int64) * (1 + (rng.random(len(e)) < 0.25))
        be = np.repeat(e, k)
        j = np.arange(len(be)) - np.repeat(np.cumsum(k) - k, k)
        day = int((np.datetime64("2025-11-10") - EPOCH).astype(int)) - 30 * j + rng.integers(-3, 4, len(be))
        self.pay.add(len(be), payer=self.co_ref(self.employer[be]), payee=self.card[be],
                     amount=self.salary[be], at=day * DAY + rng.integers(9 * 3600, 17 * 3600, len(be)),
                     purpose="salary")

    def co_ref(self, co: np.ndarray) -> np.ndarray:
        """USCC strings for company indices (valid once companies exist)."""
        allu = np.concatenate(self.co_parts["uscc"]) if len(self.co_parts["uscc"]) > 1 else self.co_parts["uscc"][0]
        if len(self.co_parts["uscc"]) > 1:
            self.co_parts["uscc"] = [allu]
        return allu[np.asarray(co, dtype=np.int64)]

    # ---------------------------------------------------------------- loans
    _LOAN_SPEC = {"b": -1, "prod": -1, "amount": -1, "at": -1, "status": -1, "od": -1, "hist": -1, "out": -1,
                  "officer": -1, "inter": -1, "emp": -1, "cp": -1, "tag": -1}

    def loan_amounts(self, prod: np.ndarray) -> np.ndarray:
        rng, L = self.rng, len(prod)
        med = np.array([25000, 200000, 110000, 850000, 15000], dtype=float)[prod]
        sig = np.array([0.75, 0.8, 0.5, 0.5, 0.6])[prod]
        lo = np.array([2000, 30000, 30000, 200000, 2000])[prod]
        hi = np.array([300000, 2000000, 600000, 5000000, 100000])[prod]
        step = np.array([100, 1000, 1000, 10000, 100])[prod]
        a = np.clip(med * np.exp(rng.normal(0, 1, L) * sig), lo, hi)
        return (np.round(a / step) * step).astype(np.int64) * 100

    def loan_terms(self, prod: np.ndarray) -> np.ndarray:
        rng, L = self.rng, len(prod)
        opts = [np.array(x) for x in ([6, 12, 12, 24, 36], [12, 24, 36], [24, 36, 36, 60], [240, 300, 360], [6, 12, 24])]
        out = np.empty(L, dtype=np.int64)
        for p, o in enumerate(opts):
            s = prod == p
            out[s] = o[rng.integers(0, len(o), int(s.sum()))]
        return out

    def loans(self) -> None:
        self.say("loans")
        rng, N = self.rng, self.N
        b = np.repeat(np.arange(N), self.n_loans)
        L = len(b)
        first = np.ones(L, dtype=bool)
        first[1:] = b[1:] != b[:-1]
        prod = rng.choice(5, L, p=[0.55, 0.09, 0.11, 0.08, 0.17])
        prod[(self.legal_co[b] >= 0) & first & (rng.random(L) < 0.6)] = 1
        fo = self.forced_od[b]
        on = self.onboard[b]
        hi = np.where(fo >= 0, fo - 40, SNAP_DAY - 25)
        applied = np.where(first, on + rng.integers(0, 6, L),
                           on + (rng.random(L) * np.maximum(hi - on, 1)).astype(np.int64))
        applied = np.clip(np.minimum(applied, hi), 0, None)
        amount = self.loan_amounts(prod)
        term = self.loan_terms(prod)
        od = np.full(L, -1, dtype=np.int64)
        hon = self.honest_od[b] & first & (fo < 0)
        oh = applied + rng.integers(35, 420, L)
        oh = np.where(oh > SNAP_DAY - 3, SNAP_DAY - rng.integers(3, 90, L), oh)
        hon &= oh > applied + 25
        od[hon] = oh[hon]
        forced = fo >= 0
        od[forced] = np.minimum(fo[forced] + rng.integers(0, 12, int(forced.sum())), SNAP_DAY - 1)
        status = np.zeros(L, dtype=np.int64)     # current
        isod = od >= 0
        status[isod] = 1
        co = isod & (SNAP_DAY - od > 180) & (rng.random(L) < np.where(forced, 0.7, 0.5))
        status[co] = 2
        end = applied + term * 30
        prepaid = (~isod) & np.isin(prod, [0, 4]) & (applied < SNAP_DAY - 150) & (rng.random(L) < 0.18)
        close_day = np.where(prepaid, applied + 60 + (rng.random(L) * np.maximum(SNAP_DAY - applied - 70, 1)).astype(np.int64),
                             np.minimum(end, SNAP_DAY - 10))
        closed = (~isod) & ((end < SNAP_DAY) | prepaid)
        status[closed] = 3
        hist = np.full(L, -1, dtype=np.int64)
        h = (~isod) & (rng.random(L) < 0.04) & (applied + 45 < SNAP_DAY - 10)
        hist[h] = applied[h] + (rng.random(int(h.sum())) * np.minimum(200, SNAP_DAY - 10 - applied[h] - 40)).astype(np.int64) + 40
        ref = np.where(isod, od, SNAP_DAY)
        remain = np.clip(1 - (ref - applied) / 30 / term, 0.05, 1)
        out = np.where(isod, np.round(amount * np.maximum(remain, 0.3) * 1.06),
                       np.where(status == 3, 0, np.round(amount * remain))).astype(np.int64)
        officer = self.officer_in(self.city[b])
        inter = np.full(L, -1, dtype=np.int64)
        pi = np.array([0.06, 0.15, 0.35, 0.45, 0.02])[prod]
        s = np.flatnonzero(rng.random(L) < pi)
        inter[s] = self.br_idx[_seg_weighted(rng, self.br_cum, self.br_before, self.br_tot, self.br_start,
                                             self.br_n, self.city[b[s]])]
        emp = np.where((self.employer[b] >= 0) & (prod != 1) & (rng.random(L) < 0.85), self.employer[b], -1)
        emp = np.where((prod == 1) & (self.legal_co[b] >= 0), self.legal_co[b], emp)
        cp = np.full(L, -1, dtype=np.int64)
        s = np.flatnonzero(rng.random(L) < np.array([0.0, 0.7, 0.5, 0.3, 0.0])[prod])
        cp[s] = self.random_company_in(self.city[b[s]])
        at = applied * DAY + rng.integers(8 * 3600, 22 * 3600, L)
        self.ln = {"b": b, "prod": prod, "amount": amount, "at": at, "status": status, "od": od, "hist": hist,
                   "out": out, "officer": officer, "inter": inter, "emp": emp, "cp": cp, "tag": np.full(L, -1, dtype=np.int64)}
        self.n_honest_loans = L
        self.loan_start = np.concatenate([[0], np.cumsum(self.n_loans)[:-1]])
        self.ln_r = _Rows(dict(self._LOAN_SPEC))
        self.n_ring_loans = 0
        self.ring_first_loan: dict[int, tuple[int, int, int]] = {}
        self.ring_first_od: dict[int, int] = {}
        self._repayments(np.arange(L), b, prod, amount, term, applied, status, od, close_day, prepaid)

    def _repayments(self, li, b, prod, amount, term, applied, status, od, close_day, prepaid) -> None:
        self.say("repayments and loan proceeds")
        rng, L = self.rng, len(li)
        k = np.zeros(L, dtype=np.int64)
        cur, clo, isod = status == 0, status == 3, od >= 0
        k[cur] = 1 + (rng.random(int(cur.sum())) < 0.3)
        k[clo] = 1 + (rng.random(int(clo.sum())) < 0.15)
        mb = (od - applied) // 30
        lh = self.long_hist[b]
        k[isod] = np.where(lh[isod], np.clip(mb[isod], 3, 12), np.clip(mb[isod], 0, 2))
        r = np.repeat(np.arange(L), k)
        j = np.arange(len(r)) - np.repeat(np.cumsum(k) - k, k)
        st = status[r]
        day = np.where(st == 0, SNAP_DAY - 5 - 30 * j - rng.integers(0, 20, len(r)),
                       np.where(st == 3, close_day[r] - 30 * j, applied[r] + 30 * (j + 1) + rng.integers(-3, 3, len(r))))
        ok = (day > applied[r] + 15) & (day < SNAP_DAY)
        ok &= ~(isod[r] & (day >= od[r]))
        r, j, day = r[ok], j[ok], day[ok]
        inst = amount[r] / term[r] * np.where(prod[r] == 3, 1.4, 1.08)
        amt = np.where((status[r] == 3) & (j == 0) & prepaid[r], amount[r] * rng.uniform(0.1, 0.5, len(r)), inst)
        amt = (np.round(amt / 100) * 100).astype(np.int64)
        br = b[r]
        payer = self.card[br].copy()
        fam_head = np.full(self.N, -1, dtype=np.int64)
        for mem in self.families:
            fam_head[mem[1:]] = mem[0]
        s = np.flatnonzero((fam_head[br] >= 0) & (rng.random(len(r)) < 0.25))
        payer[s] = self.card[fam_head[br[s]]]
        s = np.flatnonzero((fam_head[br] < 0) & (rng.random(len(r)) < 0.005) & (self.group[br] == 0))
        payer[s] = self.make_cards(len(s), [(x, ln) for x, ln, _ in _BANKS])[0].astype(object)
        self.pay.add(len(r), payer=payer, payee=CLEARING_ACCOUNT, amount=amt,
                     at=day * DAY + rng.integers(7 * 3600, 23 * 3600, len(r)), purpose="repayment", loan=li[r])
        # loan proceeds
        cp = self.ln["cp"][li]
        s = np.flatnonzero(np.isin(prod, [1, 2, 3]) | ((prod == 0) & (rng.random(L) < 0.15)))
        payee = np.where(cp[s] >= 0, self.co_ref(np.maximum(cp[s], 0)), self.card[b[s]])
        self.pay.add(len(s), payer=CLEARING_ACCOUNT, payee=payee.astype(object), amount=amount[s],
                     at=(applied[s] + rng.integers(0, 4, len(s))) * DAY + rng.integers(9 * 3600, 17 * 3600, len(s)),
                     purpose="loan_proceeds", loan=li[s])
        # everyday spending at merchants (a few borrowers' card flows are in the export)
        N = self.N
        sb = np.flatnonzero(rng.random(N) < 0.04)
        sb = np.repeat(sb, 1 + (rng.random(len(sb)) < 0.5))
        self.pay.add(len(sb), payer=self.card[sb], payee=self.co_ref(self.random_company_in(self.city[sb])).astype(object),
                     amount=rng.integers(50, 3000, len(sb)) * 100, at=self.login_times(sb), purpose="other")

    # ---------------------------------------------------------------- complaints: shared machinery
    _CMP_SPEC = {"b": -1, "phone": 0, "channel": "", "at": -1, "demand": "", "reason": "", "text": "", "att": "",
                 "agent": "", "tag": -1}

    def add_complaint(self, b: int, phone: int, channel: str, day: int, demand: str, reason: str, text: str,
                      att: str = "", agent: str = "", tag: int = -1) -> None:
        sec = int(day) * DAY + int(self.rng.integers(8 * 3600, 22 * 3600))
        self._cmp_buf.append((int(b), int(phone), channel, sec, demand, reason, text, att, agent, int(tag)))

    def flush_complaints(self) -> None:
        if not self._cmp_buf:
            return
        cols = list(zip(*self._cmp_buf))
        n = len(self._cmp_buf)
        self.cmp.add(n, b=np.array(cols[0], dtype=np.int64), phone=np.array(cols[1], dtype=np.int64),
                     channel=list(cols[2]), at=np.array(cols[3], dtype=np.int64), demand=list(cols[4]),
                     reason=list(cols[5]), text=list(cols[6]), att=list(cols[7]), agent=list(cols[8]),
                     tag=np.array(cols[9], dtype=np.int64))
        self._cmp_buf = []

    def hashes(self, k: int) -> list[str]:
        """Content hashes (MD5-like) of k new attachments."""
        return [f"{self.pyr.getrandbits(128):032x}" for _ in range(k)]

    def first_loan(self, b: int) -> tuple[int, int, int]:
        """(amount in yuan, applied day, product) of the borrower's first loan."""
        if self.n_loans[b] == 0:
            return self.ring_first_loan[b]
        i = int(self.loan_start[b])
        return int(self.ln["amount"][i] // 100), int(self.ln["at"][i] // DAY), int(self.ln["prod"][i])

    def platform_of(self, r: random.Random, prod: int, b: int | None = None) -> str:
        """The lender or product the borrower names (stable per borrower when ``b`` is given)."""
        if prod == 4:
            return "众联银行信用卡"
        pool = _PLATFORMS if prod == 0 else _BANK_PRODUCTS[prod]
        if b is not None:
            return pool[(int(b) * 7919 + prod) % len(pool)]
        return r.choice(pool)

    def hospital(self, r: random.Random, b: int, maternity: bool = False) -> str:
        c, p = int(self.city[b]), int(self.prov[b])
        h = "{c}妇幼保健院" if maternity and r.random() < 0.6 else r.choice(_HOSPITALS)
        if "{p}" in h and not str(self.prov_name[p]).endswith("省"):
            h = "{c}人民医院"
        return h.format(c=self.city_name[c], p=self.prov_short[p])

    def letter_slots(self, r: random.Random, b: int, day: int, phone: int, amount_fmt: int = 0, **extra) -> dict:
        amt, applied, prod = self.first_loan(b)
        od = int(self.forced_od[b]) if self.forced_od[b] >= 0 else self.ring_first_od.get(int(b), day - 30)
        a = f"{amt:,}.00" if amount_fmt == 1 else (f"{amt}" if amount_fmt == 0 else f"{amt / 10000:g}万")
        slots = {"name": str(self.name[b]), "id_tail": str(self.id_number[b])[-4:], "loan_date": _day_str(applied),
                 "platform": self.platform_of(r, prod, b), "amount": a, "od_days": max(day - od, 1),
                 "regulator": f"国家金融监督管理总局{self.prov_short[self.prov[b]]}监管局", "date": _day_str(day),
                 "phone": str(phone)}
        slots.update(extra)
        return slots

    def own_words(self, r: random.Random, b: int, day: int, demand: str, reason: str) -> str:
        """A complaint about borrower ``b``'s first loan, in their own words, written on ``day``."""
        amt, applied, prod = self.first_loan(b)
        return _own_words(r, name=str(self.name[b]), city=str(self.city_name[self.city[b]]),
                          platform=self.platform_of(r, prod, b), amount=amt, demand=demand, reason=reason,
                          prod=_PRODUCT_ZH[_PRODUCTS[prod]], loan_day=applied, day=int(day))

    # ---------------------------------------------------------------- benign complaints
    def benign_complaints(self) -> None:
        self.say("legal-aid and HR complaints")
        rng = self.rng
        self.cmp = _Rows(dict(self._CMP_SPEC))
        self._cmp_buf: list[tuple] = []
        self.benign: list[tuple[str, list[tuple[str, str]]]] = []
        r = random.Random(int(rng.integers(0, 2**62)))
        for k, la in enumerate(self.legal_aid, 1):
            c = la["city"]
            firm = k == 1 and "law_firm" in self.vary
            center = f"{self.city_short[c]}{self.brand()}律师事务所" if firm else f"{self.city_short[c]}市法律援助中心"
            hotline = self.pool.one()
            staff = [self.unique_label(lambda: f"{self.name_one()}（{center}）") for _ in range(r.randint(2, 4))]
            rows = []
            for b, day in zip(la["members"].tolist(), la["days"].tolist()):
                amt, _, prod = self.first_loan(b)
                demand = r.choice(["installment", "installment", "reduce_principal", "waive_interest",
                                   "credit_repair", "stop_collection", "other"])
                reason = r.choice(["unemployment", "illness", "collection_violation", "other", "unemployment"])
                own = self.own_words(r, b, day, demand, reason)
                pre = r.choice(["（{c}代为转述）", "{c}受理当事人{n}的求助，现反映如下：", "我们是{c}，当事人{n}委托我们反映：",
                                "来电人为{c}工作人员，代{n}反映情况：", "当事人{n}经{c}转来，", "{c}援助律师代当事人{n}反映：",
                                "受{n}委托，", ""]).format(c=center, n=self.name[b])
                agent = r.choice(staff)
                text = pre + own
                if firm:
                    demand, text = "installment", _FIRM_FORM.format(firm=center, n=self.name[b], lawyer=agent)
                elif "aid_forms" in self.vary:
                    text = _AID_FORM.format(c=center, n=self.name[b])
                self.add_complaint(b, hotline, r.choice(["hotline", "hotline", "letter", "regulator"]), day, demand,
                                   reason, text, ";".join(self.hashes(r.randint(0, 2))), agent)
                rows.append(("borrower", self.bid(b)))
                # afterwards they repay normally from their own card
                i = int(self.loan_start[b])
                if self.ln["status"][i] in (0, 3):
                    k_rep = r.randint(1, 3)
                    for j in range(k_rep):
                        d = day + 20 + 30 * j
                        if d < SNAP_DAY:
                            self.pay.add(1, payer=self.card[b:b + 1], payee=CLEARING_ACCOUNT,
                                         amount=np.array([max(int(self.ln["amount"][i]) // 12 // 100 * 100, 10000)]),
                                         at=np.array([d * DAY + 40000]), purpose="repayment", loan=np.array([i]))
            rows += [("phone", _e164(hotline))] + [("agent", a) for a in staff]
            self.benign.append((f"BENIGN-{'law-firm' if firm else 'legal-aid'}-{k}", rows))
        for k, hr in enumerate(self.hr_lines, 1):
            co = hr["company"]
            cname = str(self.co_name_of(co))
            line = self.pool.one()
            staff = [self.unique_label(lambda: f"{self.name_one()}（{cname}人力资源部）") for _ in range(r.randint(1, 2))]
            rows = []
            for b, day in zip(hr["members"].tolist(), hr["days"].tolist()):
                amt, _, prod = self.first_loan(b)
                demand = r.choice(["stop_collection", "stop_collection", "installment", "other", "waive_interest"])
                reason = r.choice(["collection_violation", "collection_violation", "other", "illness"])
                own = self.own_words(r, b, day, demand, reason)
                pre = r.choice(["我是{c}人事部的，我们单位员工{n}反映：", "{c}人力资源部代员工{n}来电：", "员工{n}让我帮忙反映一下，",
                                "（{c}HR代为反映）", "我们公司的{n}最近老接到催收电话，他说：", "{c}行政部来电，员工{n}：",
                                ""]).format(c=cname, n=self.name[b])
                self.add_complaint(b, line, r.choice(["hotline", "hotline", "app"]), day, demand, reason, pre + own,
                                   ";".join(self.hashes(r.randint(0, 1))), r.choice(staff))
                rows.append(("borrower", self.bid(b)))
            rows += [("phone", _e164(line)), ("company", str(self.co_ref(np.array([co]))[0]))] + [("agent", a) for a in staff]
            self.benign.append((f"BENIGN-hr-line-{k}", rows))
        self.flush_complaints()

    def co_name_of(self, co: int) -> str:
        names = self.co_parts["name"]
        if len(names) > 1:
            self.co_parts["name"] = [np.concatenate(names)]
        return str(self.co_parts["name"][0][co])

    def honest_complaints(self) -> None:
        self.say("honest complaints (own words)")
        rng, N = self.rng, self.N
        r = random.Random(int(rng.integers(0, 2**62)))
        first = self.loan_start
        free = (self.group == 0) | (self.group == 1)
        # borrowers without loans point one past the end; they are masked out below
        od = self.ln["od"][np.minimum(first, len(self.ln["od"]) - 1)]
        p = np.where(od >= 0, 0.15, 0.02)
        who = np.flatnonzero(free & (self.n_loans > 0) & (rng.random(N) < p))
        ch_p = [0.45, 0.25, 0.2, 0.07, 0.03]
        channels = ["hotline", "app", "regulator", "letter", "petition"]
        dem_od = (["installment", "waive_interest", "stop_collection", "reduce_principal", "credit_repair", "other"],
                  [0.3, 0.2, 0.2, 0.1, 0.05, 0.15])
        dem_cur = (["other", "waive_interest", "credit_repair", "stop_collection", "installment", "compensation", "apology"],
                   [0.35, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05])
        reasons = (["collection_violation", "other", "unemployment", "illness", "identity_theft", "pregnancy"],
                   [0.36, 0.3, 0.15, 0.12, 0.04, 0.03])
        for b in who.tolist():
            i = int(first[b])
            amt, applied, prod = int(self.ln["amount"][i] // 100), int(self.ln["at"][i] // DAY), int(self.ln["prod"][i])
            o = int(self.ln["od"][i])
            base = o + r.randint(5, 120) if o >= 0 else applied + r.randint(20, 500)
            day = min(base, SNAP_DAY - 1)
            n_c = 2 if r.random() < 0.12 else 1
            for k in range(n_c):
                dd = min(day + k * r.randint(10, 60), SNAP_DAY - 1)
                u = r.random()
                phone = int(self.phone[b]) if u < 0.85 else (int(self.first_contact_phone[b]) if u < 0.95 else self.pool.one())
                dm = dem_od if o >= 0 else dem_cur
                demand = r.choices(dm[0], dm[1])[0]
                reason = r.choices(*reasons)[0]
                ch = r.choices(channels, ch_p)[0] if k == 0 else r.choice(["regulator", "regulator", "petition"])
                text = (_stock_letter(r, str(self.city_name[self.city[b]])) if "stock_phrases" in self.vary
                        else self.own_words(r, b, dd, demand, reason))
                att = ";".join(self.hashes(r.choice([0, 0, 0, 1, 1, 2])))
                agent = str(self.first_contact_name[b]) if r.random() < 0.04 else ""
                self.add_complaint(b, phone, ch, dd, demand, reason, text, att, agent)
        self.flush_complaints()

    # ---------------------------------------------------------------- rings, phase B (the traces)
    def build_rings(self) -> None:
        self.say(f"building traces of {len(self.rings)} rings")
        self.ring_truth: list[list[tuple[str, str]]] = []
        for ring in self.rings:
            rows = [("borrower", self.bid(b)) for b in ring["members"].tolist()]
            self.ring_truth.append(rows)
            getattr(self, f"_build_{ring['typ']}")(ring, random.Random(ring["seed"]), rows)
            self.flush_complaints()

    def add_ring_loans(self, ring: dict, b, prod, amount, applied_day, status, od, out, officer, inter, emp, cp) -> np.ndarray:
        n = len(b)
        at = np.asarray(applied_day, dtype=np.int64) * DAY + self.rng.integers(8 * 3600, 20 * 3600, n)
        self.ln_r.add(n, b=np.asarray(b), prod=np.asarray(prod), amount=np.asarray(amount), at=at,
                      status=np.asarray(status), od=np.asarray(od), hist=-1, out=np.asarray(out),
                      officer=np.asarray(officer), inter=np.asarray(inter), emp=np.asarray(emp), cp=np.asarray(cp),
                      tag=ring["i"])
        idx = self.n_honest_loans + self.n_ring_loans + np.arange(n)
        self.n_ring_loans += n
        for bb, a, d, p, o in zip(np.asarray(b).tolist(), np.asarray(amount).tolist(),
                                  np.asarray(applied_day).tolist(), np.asarray(prod).tolist(), np.asarray(od).tolist()):
            self.ring_first_loan.setdefault(bb, (int(a) // 100, int(d), int(p)))
            if o >= 0:
                self.ring_first_od[bb] = min(self.ring_first_od.get(bb, o), o)
        return idx

    def add_pay(self, payer, payee, amount, day, purpose, loan=-1) -> None:
        day = np.atleast_1d(np.asarray(day, dtype=np.int64))
        n = len(day)
        def arr(v):
            return np.asarray(v, dtype=object) if isinstance(v, (list, np.ndarray)) else v
        self.pay.add(n, payer=arr(payer), payee=arr(payee), amount=np.broadcast_to(np.asarray(amount, dtype=np.int64), (n,)).copy(),
                     at=day * DAY + self.rng.integers(8 * 3600, 21 * 3600, n), purpose=purpose,
                     loan=np.broadcast_to(np.asarray(loan, dtype=np.int64), (n,)).copy())

    def sim_and_rebind(self, ring: dict, r: random.Random, days: np.ndarray, rows: list) -> None:
        """The borrower's own SIM is mailed to the agency; the account phone is unbound and rebound."""
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s = len(m)
        agency_city = self.city_name[ring["city"]]
        if tr.get("sim_location"):
            self.ev.add(s, b=m, phone=self.phone[m], event="location",
                        at=(days - rng.integers(40, 120, s)) * DAY + rng.integers(9 * 3600, 20 * 3600, s),
                        city=self.city_name[self.city[m]])
            k = 1 + (rng.random(s) < 0.5)
            mm = np.repeat(m, k)
            dd = np.repeat(days, k) - rng.integers(1, 25, len(mm))
            self.ev.add(len(mm), b=mm, phone=self.phone[mm], event="location",
                        at=dd * DAY + rng.integers(9 * 3600, 22 * 3600, len(mm)), city=agency_city)
        if tr.get("rebind"):
            shared = r.random() < 0.5
            if shared:
                pool = self.pool.take(max(1, s // 6))
                new = pool[rng.permutation(s) % len(pool)]
                rows += [("phone", _e164(x)) for x in pool.tolist()]
            else:
                new = self.pool.take(s)
            t = (days - rng.integers(2, 11, s)) * DAY + rng.integers(9 * 3600, 20 * 3600, s)
            self.ev.add(s, b=m, phone=self.phone[m], event="unbind", at=t)
            self.ev.add(s, b=m, phone=new, event="bind", at=t + rng.integers(300, DAY, s))

    def _anti_collection_letters(self, ring, r, rows, members, days, hubs, template, agents, shared_att,
                                 typ_demand=("stop_collection", "waive_interest")) -> None:
        fmt = r.randint(0, 2)
        order = list(range(len(members)))
        r.shuffle(order)
        for i, b in enumerate(members.tolist()):
            n_c = 2 if r.random() < 0.3 else 1
            hub = int(hubs[order[i] % len(hubs)]) if hubs is not None else int(self.phone[b])
            for k in range(n_c):
                day = min(int(days[i]) + k * r.randint(14, 40), SNAP_DAY - 1)
                if template:
                    text = _vary(r, template.format_map(self.letter_slots(r, b, day, hub, fmt)))
                else:
                    text = self.own_words(r, b, day, "stop_collection", "collection_violation")
                att = r.sample(shared_att, r.randint(1, len(shared_att))) if shared_att else []
                att += self.hashes(r.choice([0, 0, 1]))
                demand = typ_demand[0] if r.random() < 0.6 else typ_demand[1]
                reason = "collection_violation" if r.random() < 0.75 else r.choice(["other", "unemployment"])
                ch = "regulator" if r.random() < 0.85 else "hotline"
                self.add_complaint(b, hub, ch, day, demand, reason, text, ";".join(att),
                                   r.choice(agents) if agents else "", ring["i"])

    def script(self, r: random.Random, typology: str, **kw) -> str:
        """A ring's letter template: its own, or (variation ``sold_scripts``) one of a supplier's two scripts."""
        if "sold_scripts" not in self.vary:
            return _ring_template(r, typology, **kw)
        pool = self.__dict__.setdefault("_scripts", {})
        key = (typology, tuple(sorted(kw.items())))
        if key not in pool:
            sr = random.Random(zlib.crc32(repr((self.seed, self.N, key)).encode()))
            pool[key] = [_ring_template(sr, typology, **kw) for _ in range(2)]
        return r.choice(pool[key])

    def _agency(self, r: random.Random, city: int) -> str:
        return self.unique_label(lambda: f"{self.city_short[city]}{self.brand()}"
                                         f"{r.choice(['法务咨询', '信用管理', '债务优化', '法律咨询服务', '金融咨询', '信息咨询'])}")

    def _build_proxy_complaint(self, ring: dict, r: random.Random, rows: list) -> None:
        m, tr, days = ring["members"], ring["traces"], ring["days"]
        agency = self._agency(r, ring["city"])
        hubs = self.pool.take(min(1 if r.random() < 0.5 else r.randint(3, 8), max(1, len(m) // 2))) if tr["hub"] else None
        self.sim_and_rebind(ring, r, days, rows)
        template = self.script(r, "proxy_complaint") if tr["template"] else None
        agents = [self.unique_label(lambda: f"{self.name_one()}（{agency}）") for _ in range(r.choice([1, 1, 2]))] \
            if tr["agent"] else []
        shared = self.hashes(r.randint(1, 3)) if tr["attach"] else []
        self._anti_collection_letters(ring, r, rows, m, days, hubs, template, agents, shared)
        rows += [("phone", _e164(x)) for x in (hubs.tolist() if hubs is not None else [])]
        rows += [("agent", a) for a in agents] + [("attachment", h) for h in shared]

    def _build_debt_evasion(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr, days = self.rng, ring["members"], ring["traces"], ring["days"]
        s = len(m)
        agency = self._agency(r, ring["city"])
        hubs = self.pool.take(min(1 if r.random() < 0.5 else r.randint(3, 8), max(1, len(m) // 2))) if tr["hub"] else None
        self.sim_and_rebind(ring, r, days, rows)
        main = r.choice(["illness", "illness", "illness", "pregnancy", "death", "unemployment"])
        reasons = [main if r.random() < 0.8 else r.choice(["illness", "unemployment"]) for _ in range(s)]
        reasons = ["illness" if x == "pregnancy" and self.male[b] else x for x, b in zip(reasons, m.tolist())]
        templates = {x: self.script(r, "debt_evasion", reason=x) for x in dict.fromkeys(reasons)} if tr["template"] else {}
        forged = self.hashes(r.randint(1, 2)) if tr["forged"] else []
        agents = [self.unique_label(lambda: f"{self.name_one()}（{agency}）")] if tr["agent"] else []
        fmt = r.randint(0, 2)
        sf, st = ring["stay_from"], ring["stay_to"]
        order = list(range(s))
        r.shuffle(order)
        for i, b in enumerate(m.tolist()):
            day = int(days[i])
            hub = int(hubs[order[i] % len(hubs)]) if hubs is not None else int(self.phone[b])
            reason = reasons[i]
            hosp = self.hospital(r, b, maternity=reason == "pregnancy")
            ill = r.choice(_ILLNESS + ([] if self.male[b] else _ILLNESS_F)) if reason != "pregnancy" else "先兆流产"
            if reasons[i] in templates:
                slots = self.letter_slots(r, b, day, hub, fmt, stay_from=_day_str(int(sf[i])), stay_to=_day_str(int(st[i])),
                                          hospital=hosp, illness=ill, preg=r.randint(3, 8))
                text = _vary(r, templates[reasons[i]].format_map(slots))
            else:
                text = (f"本人于{_day_str(int(sf[i]))}至{_day_str(int(st[i]))}在{hosp}住院。" +
                        self.own_words(r, b, day, "stop_collection", "illness"))
            att = ([r.choice(forged)] if forged else []) + self.hashes(r.choice([0, 1, 1]))
            self.add_complaint(b, hub, "regulator" if r.random() < 0.7 else "hotline", day,
                               "stop_collection" if r.random() < 0.95 else "installment", reason, text,
                               ";".join(att), r.choice(agents) if agents else "", ring["i"])
        if tr["life"]:
            # life goes on during the claimed hospital stay: logins, spending
            k = rng.integers(2, 5, s)
            mm = np.repeat(np.arange(s), k)
            b = m[mm]
            d = sf[mm] + (rng.random(len(mm)) * (st[mm] - sf[mm])).astype(np.int64)
            self.dev.add(len(mm), b=b, device=self.primary_dev[b], at=d * DAY + rng.integers(7 * 3600, 23 * 3600, len(mm)),
                         ip=self.login_ips(b, wifi=False))
            k = rng.integers(1, 4, s)
            mm = np.repeat(np.arange(s), k)
            b = m[mm]
            d = sf[mm] + (rng.random(len(mm)) * (st[mm] - sf[mm])).astype(np.int64)
            self.add_pay(self.card[b], self.co_ref(self.random_company_in(self.city[b])), rng.integers(80, 2500, len(mm)) * 100,
                         d, "other")
        rows += [("phone", _e164(x)) for x in (hubs.tolist() if hubs is not None else [])]
        rows += [("agent", a) for a in agents] + [("attachment", h) for h in forged]

    def _build_malicious_claim(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s = len(m)
        coach = self.unique_label(self.name_one)
        coach_phones = self.pool.take(r.choice([1, 1, 2]))
        agents = [coach] if tr["agent"] else []
        used_phones: list[int] = []
        if tr["contact"]:
            ph = coach_phones[rng.permutation(s) % len(coach_phones)]
            used_phones += coach_phones.tolist()
            nick = [r.choice([coach, coach[0] + "哥", coach[0] + "老师", coach[0] + "姐", coach]) for _ in range(s)]
            self.con.add(s, b=m, phone=ph, relation=[r.choice(["friend", "other", "colleague"]) for _ in range(s)], name=nick)
        if tr["lost_contact"]:
            od = self.forced_od[m]
            self.ev.add(s, b=m, phone=self.phone[m], event="unbind",
                        at=(od - rng.integers(3, 30, s)) * DAY + rng.integers(9 * 3600, 21 * 3600, s))
        templates = {st: self.script(r, "malicious_claim", stage=st) for st in (1, 2, 3)} if tr["template"] else {}
        shared = self.hashes(1) if tr["attach"] else []
        fmt = r.randint(0, 2)
        for i, b in enumerate(m.tolist()):
            od = int(self.forced_od[b])
            d1 = od + r.randint(20, 70)
            stage_days = {1: d1, 2: d1 + r.randint(10, 40)}
            stage_days[3] = stage_days[2] + r.randint(20, 60)
            if tr["escalate"]:
                stages = r.choice([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2], [2, 3]])
            else:
                stages = [r.choice([2, 3])]
            start = stage_days[stages[0]]
            claim_base = int(self.ln["out"][self.loan_start[b]:self.loan_start[b] + self.n_loans[b]].sum() // 100)
            claim = int(round(claim_base * r.uniform(0.95, 1.2), -2))
            for stg in stages:
                day = min(stage_days[stg] - (stage_days[stages[0]] - start), SNAP_DAY - 1)
                if day >= SNAP_DAY - 1 and stg != stages[0]:
                    continue
                phone = int(self.phone[b])
                if tr["hub"] and r.random() < 0.4:
                    phone = int(coach_phones[0])
                    used_phones.append(phone)
                coll = _day_str(max(od + r.randint(3, 15), 0))
                rel = r.choice(["父母", "妻子", "丈夫", "同事", "领导", "哥哥", "村委会"])
                if stg in templates:
                    text = templates[stg].format_map(self.letter_slots(r, b, day, phone, fmt, claim=f"{claim:,}",
                                                                       coll_date=coll, rel=rel))
                    text = _vary(r, text, allow_drop=stg != 3)
                else:
                    text = self.own_words(r, b, day, "compensation" if stg == 3 else "apology", "collection_violation")
                    if stg == 3:
                        text += f"要求赔偿{claim}元。"
                att = shared + self.hashes(1)
                self.add_complaint(b, phone, {1: "hotline", 2: "regulator", 3: "petition"}[stg], day,
                                   {1: "apology", 2: "apology", 3: "compensation"}[stg], "collection_violation", text,
                                   ";".join(att), r.choice(agents) if agents else "", ring["i"])
        rows += [("agent", a) for a in agents] + [("attachment", h) for h in shared]
        rows += [("phone", _e164(x)) for x in dict.fromkeys(used_phones)]

    def _default_schedule(self, applied: np.ndarray, lo: int, hi: int, p_default: float):
        """(status, od) for ring loans: most default some months after applying."""
        rng, n = self.rng, len(applied)
        od = applied + rng.integers(lo, hi, n)
        dflt = (rng.random(n) < p_default) & (od < SNAP_DAY - 5)
        od = np.where(dflt, od, -1)
        status = np.where(dflt, np.where((SNAP_DAY - od > 180) & (rng.random(n) < 0.6), 2, 1), 0)
        return status, od

    def _outstanding(self, amount, applied, od, term=36):
        ref = np.where(od >= 0, od, SNAP_DAY)
        remain = np.clip(1 - (ref - applied) / 30 / term, 0.3, 1)
        return np.round(amount * remain * np.where(od >= 0, 1.06, 1.0)).astype(np.int64)

    def _build_shell_company_loan(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s, c, w0 = len(m), ring["city"], ring["w0"]
        inter_name = self.unique_label(lambda: f"{self.city_short[c]}{self.brand()}"
                                               f"{r.choice(['融资顾问', '金融服务', '企业管理咨询', '财务顾问', '商务咨询'])}")
        inter = self.new_intermediary(inter_name)
        inter_acct = str(self.make_cards(1, [(x, ln) for x, ln, _ in _BANKS])[0][0])
        n_sh = int(np.clip(s // 4, 3, 12))
        if tr["recent"]:
            inc = w0 - rng.integers(120, 500, n_sh)
        else:
            inc = -rng.integers(1500, 5000, n_sh)
        dist = self.pick_district(np.full(n_sh, c))
        addr = self.addresses(dist, home=False).astype(object)
        if tr["shell_addr"]:
            shared = self.addresses(dist[:2], home=False).astype(object)
            shared = np.array([str(x) + ("" if x.endswith("室") else f"{r.randint(5, 28)}楼{r.randint(1, 20):02d}室") for x in shared],
                              dtype=object)
            addr = shared[rng.integers(0, 1 + (n_sh > 5), n_sh)]
            rows += [("address", a) for a in sorted(set(addr.tolist()))]
        if tr["reg_agent"]:
            firm = self.unique_label(lambda: f"{self.city_short[c]}{self.brand()}"
                                             f"{r.choice(['代理记账', '工商代办', '企业服务', '财税咨询'])}有限公司")
            agent = np.full(n_sh, firm, dtype=object)
            self.ring_firms.add(firm)
            # the same firm also keeps the books of some honest companies
            hon = self.random_company_in(np.full(r.randint(2, 6), c))
            self.co_parts["agent"][0][hon] = firm
        else:
            agent = self.bk_name[_seg_pick(rng, *_segments(self.bk_city, self.nC), np.full(n_sh, c))]
        names = self.company_names(np.full(n_sh, c), ["贸易", "商贸", "供应链管理", "科技", "实业", "电子商务", "建材"])
        shells = self.add_companies(np.full(n_sh, c), inc, names=names, addr=addr, agent=agent,
                                    status=np.full(n_sh, "存续", dtype=object), dist=dist)
        suscc = self.co_ref(shells)
        rows += [("company", u) for u in suscc.tolist()]
        # nominal legal reps (some of the borrowers), a nominee shareholder, recent equity transfers
        n_rep = min(n_sh, max(1, s // 3))
        reps = self.person_ids(n_sh)
        reps[:n_rep] = self.bid_str(m[:n_rep])
        since = np.where(tr["recent"], inc, w0 - rng.integers(60, 300, n_sh))
        self.roles.add(n_sh, uscc=shells, person=reps, role="legal_rep", since=since)
        nominee = self.person_ids(1)[0]
        self.roles.add(n_sh, uscc=shells, person=nominee, role="shareholder", since=since + rng.integers(0, 30, n_sh))
        shell_of = shells[np.arange(s) % n_sh]
        if tr["payroll"]:
            sal = rng.integers(16, 41, s) * 50000
            since_e = w0 - rng.integers(90, 300, s)
            self.roles.add(s, uscc=shell_of, person=self.bid_str(m).astype(object), role="employee", since=since_e,
                           salary=sal, si=1)
            for j in range(3):
                self.add_pay(self.co_ref(shell_of), self.card[m], sal, w0 - 30 * j - rng.integers(5, 12, s), "salary")
        if tr["circle"]:
            months = r.randint(4, 10)
            base = r.randint(20, 120) * 10000 * 100
            for mo in range(months):
                day = w0 - 30 * (months - mo) + r.randint(0, 25)
                amts = (base * (1 + rng.uniform(-0.03, 0.03, n_sh))).astype(np.int64) // 100 * 100
                self.add_pay(suscc, np.roll(suscc, -1), amts, np.full(n_sh, day) + rng.integers(0, 3, n_sh), "trade")
                self.add_pay(inter_acct, suscc[:1], base, day - 1, "other")
            rows.append(("account", inter_acct))
        # the loans
        nl = 1 + (rng.random(s) < 0.3)
        lb = np.repeat(np.arange(s), nl)
        b = m[lb]
        is_rep = lb < n_rep
        prod = np.where(is_rep & (rng.random(len(lb)) < 0.8), 1, 0)
        amount = np.where(prod == 1, rng.integers(30, 101, len(lb)) * 1000000, rng.integers(10, 31, len(lb)) * 1000000)
        applied = w0 + rng.integers(0, 90, len(lb))
        status, od = self._default_schedule(applied, 90, 300, 0.75)
        insider = int(self.officer_in(np.array([c]))[0])
        officer = self.officer_in(np.full(len(lb), c))
        if tr["officer"]:
            officer = np.where(rng.random(len(lb)) < 0.85, insider, officer)
            rows.append(("officer", str(self.off_id[insider])))
        inter_col = np.where(rng.random(len(lb)) < 0.9, inter, -1) if tr["intermediary"] else np.full(len(lb), -1)
        if tr["intermediary"]:
            rows.append(("intermediary", inter_name))
        emp = shell_of[lb]
        cp = np.where(prod == 1, -1, -1)
        if tr["counterparty"]:
            other = shells[(np.arange(s) % n_sh + 1 + rng.integers(0, max(1, n_sh - 1), s)) % n_sh]
            cp = np.where(prod == 1, other[lb], -1)
        else:
            cp = np.where(prod == 1, self.random_company_in(np.full(len(lb), c)), -1)
        out = self._outstanding(amount, applied, od)
        li = self.add_ring_loans(ring, b, prod, amount, applied, status, od, out, officer, inter_col, emp, cp)
        rows += [("loan", f"#loan:{x}") for x in li.tolist()]
        # proceeds: business loans go to the counterparty shell; consumer loans to the borrower, then to the intermediary
        payee = np.where(cp >= 0, self.co_ref(np.maximum(cp, 0)), self.card[b]).astype(object)
        self.add_pay(CLEARING_ACCOUNT, payee, amount, applied + rng.integers(0, 3, len(lb)), "loan_proceeds", li)
        cons = np.flatnonzero(prod == 0)
        if len(cons):
            self.add_pay(self.card[b[cons]], inter_acct, (amount[cons] * 0.9).astype(np.int64) // 100 * 100,
                         applied[cons] + rng.integers(1, 4, len(cons)), "other")
            if ("account", inter_acct) not in rows:
                rows.append(("account", inter_acct))
        # a few instalments from the borrower's card before default
        k = np.where(od >= 0, np.clip((od - applied) // 30, 0, 6), np.clip((SNAP_DAY - applied) // 30, 0, 6))
        rr = np.repeat(np.arange(len(lb)), k)
        j = np.arange(len(rr)) - np.repeat(np.cumsum(k) - k, k)
        if len(rr):
            self.add_pay(self.card[b[rr]], CLEARING_ACCOUNT, (amount[rr] // 36) // 100 * 100, applied[rr] + 30 * (j + 1),
                         "repayment", li[rr])

    def _build_debt_carrier(self, ring: dict, r: random.Random, rows: list) -> None:
        rng, m, tr = self.rng, ring["members"], ring["traces"]
        s, c, t0 = len(m), ring["city"], ring["t0"]
        cs = self.city_short[c]
        up_name = self.unique_label(lambda: f"{self.brand()}{r.choice(['资本', '资产管理', '投资控股', '产业服务'])}")
        first_name = self.unique_label(lambda: f"{cs}{self.brand()}{r.choice(['金融服务', '融资顾问', '信息咨询', '助贷服务'])}")
        k2 = int(np.clip(s // 8, 1, 4))
        second_names = [self.unique_label(lambda: f"{self.name_one()}（{cs}{r.choice(['贷款中介', '助贷', '信贷员', '渠道'])}）")
                        for _ in range(k2)]
        up_i, first_i = self.new_intermediary(up_name), self.new_intermediary(first_name)
        second_i = [self.new_intermediary(x) for x in second_names]
        accts = self.make_cards(2 + k2, [(x, ln) for x, ln, _ in _BANKS])[0].tolist()
        up_acct, first_acct, second_acct = accts[0], accts[1], accts[2:]
        dev = self.make_devices(k2).tolist()
        office_ip = self.make_ips(k2).tolist()
        sec_of = rng.permutation(s) % k2
        used_acct: list[str] = []
        start = t0 + rng.integers(0, 60, s)
        if tr["package"]:
            pk = self.add_companies(np.array([c]), np.array([t0 - r.randint(100, 400)]),
                                    names=self.company_names(np.array([c]), ["商贸", "科技", "劳务派遣", "实业"]))
            sal = rng.integers(16, 31, s) * 50000
            self.roles.add(s, uscc=np.full(s, pk[0]), person=self.bid_str(m).astype(object), role="employee",
                           since=start - rng.integers(60, 200, s), salary=sal, si=1)
            for j in range(2):
                self.add_pay(self.co_ref(np.full(s, pk[0])), self.card[m], sal, start - 30 * j - 10, "salary")
            self.ev.add(s, b=m, phone=self.phone[m], event="location",
                        at=(start - rng.integers(3, 40, s)) * DAY + rng.integers(9 * 3600, 21 * 3600, s),
                        city=self.city_name[c])
            rows.append(("company", str(self.co_ref(pk)[0])))
            emp_of = np.full(s, pk[0])
        else:
            emp_of = np.full(s, -1)
        # loans: car + mortgage + consumer + business within days (or a thinner pattern)
        lb, prods = [], []
        for i in range(s):
            if tr["burst"]:
                ps = r.sample([2, 3, 0, 1, 4], r.randint(3, 5))
                if 2 not in ps and 3 not in ps:
                    ps[0] = r.choice([2, 3])
            else:
                ps = r.sample([0, 2, 1], r.randint(1, 2))
            lb += [i] * len(ps)
            prods += ps
        lb, prod = np.array(lb), np.array(prods)
        b = m[lb]
        nL = len(lb)
        spread = 10 if tr["burst"] else 150
        applied = start[lb] + rng.integers(0, spread, nL)
        amt_lo = np.array([50, 200, 120, 600, 50])[prod]
        amt_hi = np.array([300, 800, 350, 2500, 100])[prod]
        amount = (amt_lo + (rng.random(nL) * (amt_hi - amt_lo)).astype(np.int64)) * 1000 * 100
        insider = int(self.officer_in(np.array([c]))[0])
        officer = self.officer_in(np.full(nL, c))
        if tr["officer"]:
            officer = np.where(rng.random(nL) < 0.8, insider, officer)
            rows.append(("officer", str(self.off_id[insider])))
        sec_i = np.array(second_i)[sec_of[lb]]
        inter = np.where(rng.random(nL) < 0.8, sec_i, first_i) if tr["intermediary"] else np.full(nL, -1)
        rows += [("intermediary", self.inter_name[i]) for i in _uniq(inter[inter >= 0]).tolist()]
        cp = np.where(np.isin(prod, [1, 2, 3]), self.random_company_in(np.full(nL, c)), -1)
        # first instalments paid by the intermediary, then default
        k_rep = rng.integers(1, 4, nL)
        od = np.minimum(applied + 30 * (k_rep + 1) + rng.integers(0, 20, nL), SNAP_DAY - 3)
        od = np.maximum(od, applied + 31)
        status = np.where((SNAP_DAY - od > 180) & (rng.random(nL) < 0.6), 2, 1)
        out = self._outstanding(amount, applied, od, term=60)
        li = self.add_ring_loans(ring, b, prod, amount, applied, status, od, out, officer, inter, emp_of[lb], cp)
        rows += [("loan", f"#loan:{x}") for x in li.tolist()]
        rr = np.repeat(np.arange(nL), k_rep)
        j = np.arange(len(rr)) - np.repeat(np.cumsum(k_rep) - k_rep, k_rep)
        ok = applied[rr] + 30 * (j + 1) < od[rr]
        rr, j = rr[ok], j[ok]
        sec_acct = np.array(second_acct, dtype=object)[sec_of[lb]]
        if tr["thirdparty"]:
            payer = np.where(rng.random(len(rr)) < 0.8, sec_acct[rr], first_acct).astype(object)
            used_acct += sorted(set(payer.tolist()))
        else:
            payer = self.card[b[rr]]
        inst = (amount[rr] // np.where(prod[rr] == 3, 240, 36) * 1.1).astype(np.int64) // 100 * 100
        self.add_pay(payer, CLEARING_ACCOUNT, inst, applied[rr] + 30 * (j + 1) + rng.integers(-2, 2, len(rr)),
                     "repayment", li[rr])
        # proceeds, then the intermediary holds the money
        payee = np.where(cp >= 0, self.co_ref(np.maximum(cp, 0)), self.card[b]).astype(object)
        self.add_pay(CLEARING_ACCOUNT, payee, amount, applied + rng.integers(0, 3, nL), "loan_proceeds", li)
        if tr["hold"]:
            to_card = np.flatnonzero(cp < 0)
            self.add_pay(self.card[b[to_card]], sec_acct[to_card], (amount[to_card] * 0.92).astype(np.int64) // 100 * 100,
                         applied[to_card] + rng.integers(1, 3, len(to_card)), "other")
            tot = int(amount.sum() * 0.5) // 100 * 100
            for j2, acct in enumerate(second_acct):
                self.add_pay(acct, first_acct, tot // k2, t0 + 65 + j2, "other")
            self.add_pay(first_acct, up_acct, int(tot * 0.7) // 100 * 100, t0 + 70, "other")
            used_acct += second_acct + [first_acct, up_acct]
        if tr["device"]:
            rows += [("device", d) for d in dev] + [("ip", x) for x in office_ip]
            k = 1 + (rng.random(nL) < 0.3)
            lr = np.repeat(np.arange(nL), k)
            si = sec_of[lb[lr]]
            self.dev.add(len(lr), b=b[lr], device=np.array(dev, dtype=object)[si],
                         at=applied[lr] * DAY - rng.integers(600, 5 * 3600, len(lr)), ip=np.array(office_ip, dtype=object)[si])
        if tr["account"]:
            self.acc.add(s, b=m, account=np.array(second_acct, dtype=object)[sec_of], kind="debit",
                         bank="", at=(start - rng.integers(1, 20, s)) * DAY + 36000)
            used_acct += second_acct
        rows += [("account", a) for a in dict.fromkeys(used_acct)]
        if tr["complaints"]:
            who = np.flatnonzero(rng.random(s) < r.uniform(0.5, 0.85))
            if len(who):
                hubs = self.pool.take(min(r.randint(1, 3), max(1, len(who) // 2)))
                first_od = np.array([od[lb == i].min() for i in who])
                days = np.minimum(first_od + rng.integers(20, 90, len(who)), SNAP_DAY - 1)
                template = self.script(r, "proxy_complaint")
                self.sim_and_rebind({"members": m[who], "traces": {"sim_location": False, "rebind": r.random() < 0.5},
                                     "city": ring["city"]}, r, days, rows)
                self._anti_collection_letters(ring, r, rows, m[who], days, hubs, template, [], [])
                rows += [("phone", _e164(x)) for x in hubs.tolist()]

    # ---------------------------------------------------------------- finalise ids, balances, truth
    def finalize(self) -> None:
        self.say("finalising ids, balances and truth")
        N = self.N
        lr = self.ln_r.finish()
        ln = {k: np.concatenate([self.ln[k], lr[k]]) for k in self.ln}
        L = len(ln["b"])
        order = np.lexsort((np.arange(L), ln["at"]))
        rank = np.empty(L, dtype=np.int64)
        rank[order] = np.arange(L)
        y, mo, dd = _ymd_parts(ln["at"] // DAY)
        ln["id"] = _fixed(L, "LN", (y, 4), (mo, 2), (dd, 2), (rank + 1, 7)).astype(object)
        ln["order"] = order
        self.L = ln
        b = ln["b"]
        self.outstanding = np.bincount(b, weights=ln["out"].astype(float), minlength=N).round().astype(np.int64)
        isod = np.isin(ln["status"], [1, 2])
        self.overdue_days = np.zeros(N, dtype=np.int64)
        np.maximum.at(self.overdue_days, b[isod], SNAP_DAY - ln["od"][isod])
        fo = np.full(N, 10**9, dtype=np.int64)
        for col in ("od", "hist"):
            s = ln[col] >= 0
            np.minimum.at(fo, b[s], ln[col][s])
        s = self.hist_od >= 0
        fo[s] = np.minimum(fo[s], self.hist_od[s])
        self.first_od = np.where(fo < 10**9, fo, -1)
        c = self.cmp.finish()
        C = len(c["b"])
        order = np.lexsort((np.arange(C), c["at"]))
        rank = np.empty(C, dtype=np.int64)
        rank[order] = np.arange(C)
        y, mo, dd = _ymd_parts(c["at"] // DAY)
        c["id"] = _fixed(C, "TS", (y, 4), (mo, 2), (dd, 2), (rank + 1, 6)).astype(object)
        c["order"] = order
        self.C = c
        for rows in self.ring_truth:
            rows[:] = [(k, str(ln["id"][int(v[6:])]) if v.startswith("#loan:") else v) for k, v in rows]
        for j in np.flatnonzero(c["tag"] >= 0).tolist():
            self.ring_truth[int(c["tag"][j])].append(("complaint", str(c["id"][j])))
        self.D, self.E, self.A = self.dev.finish(), self.ev.finish(), self.acc.finish()
        self.K, self.R, self.P = self.con.finish(), self.roles.finish(), self.pay.finish()
        self.CO = {k: (np.concatenate(v) if len(v) > 1 else v[0]) for k, v in self.co_parts.items()}
        self.benign_truth()

    def benign_truth(self) -> None:
        N = self.N
        in_ring = self.ring_of >= 0
        self.in_truth = in_ring.copy()
        for _, rows in self.benign:
            for k, v in rows:
                if k == "borrower":
                    self.in_truth[int(v[1:]) - 10_000_000] = True

        def bl(idx) -> list[tuple[str, str]]:
            idx = np.asarray(idx, dtype=np.int64)
            idx = _uniq(idx[~in_ring[idx]])
            self.in_truth[idx] = True
            return [("borrower", x) for x in self.bid_str(idx).tolist()]

        for k, mem in enumerate(self.families, 1):
            h = mem[0]
            rows = bl(mem) + [("device", self.fam_device[k - 1]), ("address", str(self.address[h])),
                              ("phone", _e164(self.phone[h])), ("ip", str(self.home_ip[h]))]
            self.benign.append((f"BENIGN-family-{k}", rows))
        emp = np.flatnonzero(self.employer == self.big_co)
        self.benign.append(("BENIGN-big-employer-1", [("company", str(self.CO["uscc"][self.big_co]))] + bl(emp)))
        for j, jid in enumerate(self.junk_ids, 1):
            self.benign.append((f"BENIGN-junk-device-{j}", [("device", jid)] + bl(np.flatnonzero(self.junk_of == j - 1))))
        kk = self.D["wifi"]
        for k, ip in enumerate(self.wifi_ip.tolist()):
            users = self.D["b"][kk == k]
            if len(users) >= 3:
                self.benign.append((f"BENIGN-public-wifi-{k + 1}", [("ip", ip)] + bl(users)))
        hl = self.n_honest_loans
        inter, lb = self.L["inter"][:hl], self.L["b"][:hl]
        s = inter >= 0
        if s.any():
            code = _uniq(inter[s] * N + lb[s])
            pairs = np.stack([code // N, code % N], axis=1)
            cnt = np.bincount(pairs[:, 0], minlength=len(self.inter_name))
            top = np.argsort(-cnt, kind="stable")[:5]
            for k, t in enumerate([t for t in top.tolist() if cnt[t] >= max(10, N // 2000)], 1):
                self.benign.append((f"BENIGN-broker-{k}", [("intermediary", self.inter_name[t])] + bl(pairs[pairs[:, 0] == t, 1])))
        hon = np.asarray(self.CO["agent"][: len(self.co_honest)], dtype=object)
        firms, inv, cnt = np.unique(hon.astype(str), return_inverse=True, return_counts=True)
        cnt = np.where((firms == "") | np.isin(firms, sorted(self.ring_firms)), 0, cnt)
        top = np.argsort(-cnt, kind="stable")[:3]
        for k, t in enumerate([t for t in top.tolist() if cnt[t] >= 5], 1):
            cos = np.flatnonzero(inv == t)
            self.benign.append((f"BENIGN-bookkeeping-{k}", [("company", str(u)) for u in self.CO["uscc"][cos].tolist()]))


# ------------------------------------------------------------------------------------
# Formatting (clean and messy) and writing
# ------------------------------------------------------------------------------------

def _ymd(day: np.ndarray) -> np.ndarray:
    d = (EPOCH + np.asarray(day, dtype=np.int64).astype("timedelta64[D]")).astype("<U10")
    v = np.ascontiguousarray(d).view("<U1").reshape(-1, 10)
    return np.ascontiguousarray(v[:, [0, 1, 2, 3, 5, 6, 8, 9]]).view("<U8").ravel()


def _ymd_parts(day: np.ndarray):
    d = EPOCH + np.asarray(day, dtype=np.int64).astype("timedelta64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    mo = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, mo, dd


NODATE = -(10**9)


def _fixed(n: int, *parts) -> np.ndarray:
    """Fixed-width strings built from literals and zero-padded ints, as a char matrix (fast)."""
    cols = []
    for p in parts:
        if isinstance(p, str):
            cols.append(np.broadcast_to(np.array([ord(c) for c in p], dtype=np.uint32), (n, len(p))))
        else:
            arr, width = p
            cols.append((_int_digits(np.asarray(arr), width) + 48).astype(np.uint32))
    m = np.ascontiguousarray(np.concatenate(cols, axis=1), dtype=np.uint32)
    return m.view(f"<U{m.shape[1]}").ravel()


def _f_date(day: np.ndarray, messy: bool, rng) -> list[str]:
    day = np.asarray(day, dtype=np.int64)
    blank = day <= NODATE
    y, mo, dd = _ymd_parts(np.where(blank, 0, day))
    out = _fixed(len(day), (y, 4), "-", (mo, 2), "-", (dd, 2)).tolist()
    if messy:
        alt = np.flatnonzero(rng.random(len(day)) < 0.5)
        for i, a, b, c in zip(alt.tolist(), y[alt].tolist(), mo[alt].tolist(), dd[alt].tolist()):
            out[i] = f"{a}/{b}/{c}"
    for i in np.flatnonzero(blank).tolist():
        out[i] = ""
    return out


def _f_dt(sec: np.ndarray, messy: bool, rng) -> list[str]:
    sec = np.asarray(sec, dtype=np.int64)
    blank = sec < 0
    sec = np.where(blank, 0, sec)
    y, mo, dd = _ymd_parts(sec // DAY)
    hh, mi, ss = (sec % DAY) // 3600, (sec % 3600) // 60, sec % 60
    out = _fixed(len(sec), (y, 4), "-", (mo, 2), "-", (dd, 2), " ", (hh, 2), ":", (mi, 2), ":", (ss, 2)).tolist()
    if messy:
        alt = np.flatnonzero(rng.random(len(sec)) < 0.5)
        for i, a, b, c, h, m in zip(alt.tolist(), y[alt].tolist(), mo[alt].tolist(), dd[alt].tolist(),
                                    hh[alt].tolist(), mi[alt].tolist()):
            out[i] = f"{a}/{b}/{c} {h}:{m:02d}"
    for i in np.flatnonzero(blank).tolist():
        out[i] = ""
    return out


def _f_amt(c: np.ndarray, messy: bool, rng) -> list[str]:
    c = np.asarray(c, dtype=np.int64)
    yuan = (c / 100).tolist()
    if messy:
        fm = ("{:.2f}".format, "¥{:,.2f}".format, "{:,.2f}".format)
        st = rng.integers(0, 3, len(c)).tolist()
        out = [fm[k](v) for k, v in zip(st, yuan)]
    else:
        out = list(map("{:.2f}".format, yuan))
    for i in np.flatnonzero(c < 0).tolist():
        out[i] = ""
    return out


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _f_phone(n: np.ndarray, messy: bool, rng) -> list[str]:
    n = np.asarray(n, dtype=np.int64)
    blank = n <= 0
    if not messy:
        out = _fixed(len(n), "+86", (np.where(blank, 0, n), 11)).tolist()
    else:
        s = _fixed(len(n), (np.where(blank, 0, n), 11)).tolist()
        st = rng.choice(6, len(n), p=[0.35, 0.15, 0.15, 0.15, 0.1, 0.1]).tolist()
        fm = (lambda x: x, lambda x: "+86" + x, lambda x: f"{x[:3]} {x[3:7]} {x[7:]}",
              lambda x: f"+86-{x[:3]}-{x[3:7]}-{x[7:]}", lambda x: "0086" + x, lambda x: x.translate(_FULLWIDTH))
        out = [fm[k](x) for k, x in zip(st, s)]
    for i in np.flatnonzero(blank).tolist():
        out[i] = ""
    return out


def _f_int(x: np.ndarray) -> list[str]:
    return [str(v) if v >= 0 else "" for v in np.asarray(x, dtype=np.int64).tolist()]


def _f_bool(x: np.ndarray, messy: bool) -> list[str]:
    t, f = ("是", "否") if messy else ("true", "false")
    return [("" if v < 0 else (t if v > 0 else f)) for v in np.asarray(x, dtype=np.int64).tolist()]


def _quote(vals: list[str]) -> list[str]:
    return [('"' + v.replace('"', '""') + '"') if ("," in v or '"' in v or "\n" in v or "\r" in v) else v
            for v in vals]


_BAD_DATES = ["2025-13-45", "2025/02/30", "20251345", "2025-0A-12", "32/13/2025"]
_BAD_AMOUNTS = ["1.234.56", "¥12,3a4.00", "约三千", "12..50", "1,2,3"]
_RAGGED_EXTRA = ["备注：核对中", "待补录", "已核实", "人工补录"]

_TABLE_NO = {"borrowers": 1, "companies": 2, "company_roles": 3, "loans": 4, "payments": 5, "contacts": 6,
             "phone_events": 7, "devices": 8, "accounts": 9, "complaints": 10}


def _pick(names, idx: np.ndarray) -> np.ndarray:
    idx = np.asarray(idx, dtype=np.int64)
    arr = np.asarray(names, dtype=object)
    if len(arr) == 0:
        return np.full(len(idx), "", dtype=object)
    out = arr[np.maximum(idx, 0)].copy()
    out[idx < 0] = ""
    return out


def _xlsx_deterministic(data: bytes) -> bytes:
    """Rewrite an XLSX so that the same content gives the same bytes (no timestamps)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>2025-12-15T00:00:00Z\g<3>", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 12, 15, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return buf.getvalue()


class _Writer:
    """Writes the world's tables in the contract format (clean or messy)."""

    def __init__(self, w: _World, out: Path):
        self.w, self.out, self.messy = w, out, w.messy
        self.files: dict[str, dict] = {}

    def fmt(self, kind: str, arr: np.ndarray, rng) -> list[str]:
        m, w = self.messy, self.w
        if kind == "bid":
            return _fixed(len(arr), "C", (np.asarray(arr, dtype=np.int64) + 10_000_000, 8)).tolist()
        if kind == "phone":
            return _f_phone(arr, m, rng)
        if kind == "dt":
            return _f_dt(arr, m, rng)
        if kind == "date":
            return _f_date(arr, m, rng)
        if kind == "amt":
            return _f_amt(arr, m, rng)
        if kind == "int":
            return _f_int(arr)
        if kind == "bool":
            return _f_bool(arr, m)
        if kind == "id" and m:
            v = [str(x) for x in np.asarray(arr, dtype=object).tolist()]
            u = rng.random(len(v))
            return [x[:-1] + "x" if x.endswith("X") and u[i] < 0.3 else x for i, x in enumerate(v)]
        return np.asarray(arr).tolist()

    def table(self, name: str, cols: list[tuple[str, str, np.ndarray]], order: np.ndarray, plain: np.ndarray,
              bad: tuple = (), key: str | None = None) -> int:
        from graphring.ingest.schema import TABLES
        w, messy = self.w, self.messy
        rng = np.random.default_rng([w.seed, w.N, 777, _TABLE_NO[name]])
        t = TABLES[name]
        header = [t.column(c).aliases[0] if messy else c for c, _, _ in cols]
        ci = {c: i for i, (c, _, _) in enumerate(cols)}
        n = len(order)
        mods: dict[int, list[tuple[int, str]]] = {}
        ragged: dict[int, str] = {}
        extras: list[tuple[int, str]] = []
        if messy and n:
            ppos = rng.permutation(np.flatnonzero(np.asarray(plain)[order]))
            k = max(1, int(round(n * 0.0004)))
            p = 0
            for action, col in bad:
                cnt = max(1, k // 2) if action == "ragged" else k
                for pos in ppos[p:p + cnt].tolist():
                    if action == "ragged":
                        ragged[pos] = _RAGGED_EXTRA[pos % len(_RAGGED_EXTRA)]
                    elif action in ("dup", "unknown"):
                        extras.append((pos, action))
                    else:
                        mods.setdefault(pos, []).append((ci[col], action))
                p += cnt
        enc = "gb18030"
        if messy and name in ("devices", "accounts"):
            enc = "utf-8-sig"
        elif not messy:
            enc = "utf-8"
        nl = "\r\n" if messy else "\n"
        quote_cols = [i for i, (_, k, _) in enumerate(cols) if k == "text" or (messy and k == "amt")]
        mod_cols = sorted({c for v in mods.values() for c, _ in v})
        path = self.out / f"{name}.csv"
        codec = "utf-8" if enc == "utf-8-sig" else enc
        CH = 200_000
        mod_pos = sorted(mods)
        rag_pos = sorted(ragged)

        def render(idx: np.ndarray, start: int) -> list[str]:
            vals = [self.fmt(kind, arr[idx], rng) for _, kind, arr in cols]
            for pos in mod_pos:
                if start <= pos < start + len(idx):
                    for c, action in mods[pos]:
                        v = vals[c][pos - start]
                        if action == "badcheck" and len(v) == 18:
                            good = v[17].upper()
                            vals[c][pos - start] = v[:17] + next(x for x in "7X0315" if x != good)
                        elif action == "baddate":
                            vals[c][pos - start] = _BAD_DATES[pos % len(_BAD_DATES)]
                        elif action == "badamt":
                            vals[c][pos - start] = _BAD_AMOUNTS[pos % len(_BAD_AMOUNTS)]
            for c in set(quote_cols) | set(mod_cols):
                vals[c] = _quote(vals[c])
            lines = list(map(",".join, zip(*vals)))
            for pos in rag_pos:
                if start <= pos < start + len(idx):
                    lines[pos - start] += "," + ragged[pos]
            return lines

        with open(path, "wb") as f:
            if enc == "utf-8-sig":
                f.write(b"\xef\xbb\xbf")
            f.write((",".join(header) + nl).encode(codec))
            for s in range(0, n, CH):
                lines = render(order[s:s + CH], s)
                f.write((nl.join(lines) + nl).encode(codec))
            extra_lines = []
            for j, (pos, action) in enumerate(sorted(extras)):
                vals = [self.fmt(kind, arr[order[pos:pos + 1]], rng) for _, kind, arr in cols]
                if action == "unknown":
                    vals[ci["borrower_id"]] = [f"C{w.N + 10_000_000 + 1 + j + 1000 * _TABLE_NO[name]}"]
                    if key:
                        vals[ci[key]] = [vals[ci[key]][0] + "R"]
                elif action == "dup" and "phone" in ci:
                    vals[ci["phone"]] = _f_phone(w.pool.take(1), True, rng)
                for c in set(quote_cols):
                    vals[c] = _quote(vals[c])
                extra_lines.append(",".join(v[0] for v in vals))
            if extra_lines:
                f.write((nl.join(extra_lines) + nl).encode(codec))
        self.files[name] = {"file": path.name, "encoding": enc, "rows": n + len(extras),
                            "bad_rows": len(mods) + len(ragged) + len(extras)}
        return n

    def companies_xlsx(self, cols, order) -> int:
        from openpyxl import Workbook
        from graphring.ingest.schema import TABLES
        rng = np.random.default_rng([self.w.seed, self.w.N, 777, _TABLE_NO["companies"]])
        t = TABLES["companies"]
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(t.zh)
        ws.append([t.column(c).aliases[0] for c, _, _ in cols])
        vals = [self.fmt(kind, arr[order], rng) for _, kind, arr in cols]
        for row in zip(*vals):
            ws.append(list(row))
        buf = io.BytesIO()
        wb.save(buf)
        path = self.out / "companies.xlsx"
        path.write_bytes(_xlsx_deterministic(buf.getvalue()))
        self.files["companies"] = {"file": path.name, "encoding": None, "rows": len(order), "bad_rows": 0}
        return len(order)


def _write_world(w: _World, out: Path, truth_path: Path) -> dict:
    w.say("writing tables")
    out.mkdir(parents=True, exist_ok=True)
    for name in _TABLE_NO:
        for ext in (".csv", ".xlsx"):
            p = out / f"{name}{ext}"
            if p.exists():
                p.unlink()
    wr = _Writer(w, out)
    N = w.N
    not_truth = ~w.in_truth
    co_debt = np.where(w.outstanding > 0, np.maximum(w.co_debt, 1), w.co_debt)
    wr.table("borrowers", [
        ("borrower_id", "bid", np.arange(N)), ("name", "str", w.name), ("id_number", "id", w.id_number.astype(object)),
        ("phone", "phone", w.phone), ("province", "str", w.prov_name[w.prov]), ("city", "str", w.city_name[w.city]),
        ("credit_file", "str", np.where(w.thin, "thin", "normal").astype(object)), ("overdue_days", "int", w.overdue_days),
        ("outstanding", "amt", w.outstanding), ("co_debt_lenders", "int", co_debt),
        ("first_overdue_on", "date", np.where(w.first_od >= 0, w.first_od, NODATE)), ("email", "str", w.email),
        ("address", "str", w.address), ("bank_account", "str", w.card)],
        np.arange(N), not_truth,
        bad=(("badcheck", "id_number"), ("baddate", "first_overdue_on"), ("badamt", "outstanding"), ("ragged", None),
             ("dup", None)))
    w.say("writing companies")
    CO = w.CO
    nco = len(CO["uscc"])
    co_cols = [("uscc", "str", CO["uscc"]), ("name", "str", CO["name"]), ("address", "str", CO["addr"]),
               ("incorporated_on", "date", CO["inc"]), ("registration_agent", "str", CO["agent"]),
               ("status", "str", CO["status"])]
    co_order = np.argsort(CO["uscc"].astype(str), kind="stable")
    if w.messy:
        wr.companies_xlsx(co_cols, co_order)
    else:
        wr.table("companies", co_cols, co_order, np.ones(nco, dtype=bool))
    R = w.R
    wr.table("company_roles", [
        ("uscc", "str", _pick(CO["uscc"], R["uscc"])), ("person_id", "str", R["person"]), ("role", "str", R["role"]),
        ("since", "date", R["since"]), ("monthly_salary", "amt", R["salary"]), ("social_insurance", "bool", R["si"])],
        np.argsort(R["uscc"], kind="stable"), (np.arange(len(R["uscc"])) < w.n_before["roles"]) & (R["salary"] >= 0),
        bad=(("badamt", "monthly_salary"), ("ragged", None)))
    w.say("writing loans")
    L = w.L
    wr.table("loans", [
        ("loan_id", "str", L["id"]), ("borrower_id", "bid", L["b"]), ("product", "str", _pick(_PRODUCTS, L["prod"])),
        ("amount", "amt", L["amount"]), ("applied_at", "dt", L["at"]), ("status", "str", _pick(_STATUSES, L["status"])),
        ("officer_id", "str", _pick(w.off_id, L["officer"])), ("intermediary", "str", _pick(w.inter_name, L["inter"])),
        ("employer_uscc", "str", _pick(CO["uscc"], L["emp"])), ("counterparty_uscc", "str", _pick(CO["uscc"], L["cp"]))],
        L["order"], (L["tag"] < 0) & not_truth[L["b"]],
        bad=(("baddate", "applied_at"), ("badamt", "amount"), ("ragged", None), ("unknown", None)), key="loan_id")
    w.say("writing payments")
    P = w.P
    wr.table("payments", [
        ("payer", "str", P["payer"]), ("payee", "str", P["payee"]), ("amount", "amt", P["amount"]),
        ("paid_at", "dt", P["at"]), ("purpose", "str", P["purpose"]), ("loan_id", "str", _pick(L["id"], P["loan"]))],
        np.lexsort((np.arange(len(P["at"])), P["at"])), np.arange(len(P["at"])) < w.n_before["pay"],
        bad=(("badamt", "amount"), ("baddate", "paid_at"), ("ragged", None)))
    w.say("writing contacts, phone events, devices, accounts")
    K = w.K
    wr.table("contacts", [("borrower_id", "bid", K["b"]), ("phone", "phone", K["phone"]),
                          ("relation", "str", K["relation"]), ("name", "str", K["name"])],
             np.argsort(K["b"], kind="stable"), not_truth[K["b"]] & (np.arange(len(K["b"])) < w.n_before["con"]),
             bad=(("ragged", None), ("unknown", None)))
    E = w.E
    wr.table("phone_events", [("borrower_id", "bid", E["b"]), ("phone", "phone", E["phone"]), ("event", "str", E["event"]),
                              ("at", "dt", E["at"]), ("city", "str", E["city"])],
             np.lexsort((np.arange(len(E["at"])), E["at"])),
             not_truth[E["b"]] & (np.arange(len(E["b"])) < w.n_before["ev"]),
             bad=(("baddate", "at"), ("ragged", None), ("unknown", None)))
    D = w.D
    wr.table("devices", [("borrower_id", "bid", D["b"]), ("device_id", "str", D["device"]), ("seen_at", "dt", D["at"]),
                         ("ip", "str", D["ip"])],
             np.lexsort((np.arange(len(D["at"])), D["at"])),
             not_truth[D["b"]] & (np.arange(len(D["b"])) < w.n_before["dev"]),
             bad=(("baddate", "seen_at"), ("ragged", None), ("unknown", None)))
    A = w.A
    wr.table("accounts", [("borrower_id", "bid", A["b"]), ("account", "str", A["account"]), ("kind", "str", A["kind"]),
                          ("bank", "str", A["bank"]), ("seen_at", "dt", A["at"])],
             np.argsort(A["b"], kind="stable"), not_truth[A["b"]] & (np.arange(len(A["b"])) < w.n_before["acc"]),
             bad=(("ragged", None), ("unknown", None)))
    C = w.C
    wr.table("complaints", [
        ("complaint_id", "str", C["id"]), ("borrower_id", "bid", C["b"]), ("complainant_phone", "phone", C["phone"]),
        ("channel", "str", C["channel"]), ("received_at", "dt", C["at"]), ("demand", "str", C["demand"]),
        ("claimed_reason", "str", C["reason"])] + ([] if "no_text" in w.vary else [("text", "text", C["text"])]) + [
        ("attachments", "str", C["att"]), ("agent", "str", C["agent"])],
        C["order"], (C["tag"] < 0) & not_truth[C["b"]], bad=(("baddate", "received_at"),))
    # truth, beside the data folder
    w.say("writing truth")
    lines = ["ring_id,typology,kind,id"]
    n_truth = {}
    for ring, rows in zip(w.rings, w.ring_truth):
        for k, v in dict.fromkeys(rows):
            lines.append(f"{ring['id']},{ring['typ']},{k},{_quote([v])[0]}")
    for gid, rows in w.benign:
        for k, v in dict.fromkeys(rows):
            lines.append(f"{gid},benign,{k},{_quote([v])[0]}")
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rings: dict[str, int] = {}
    for ring in w.rings:
        rings[str(ring["typ"])] = rings.get(str(ring["typ"]), 0) + 1
    sizes = [len(r["members"]) for r in w.rings]
    traces_kept: dict[str, dict[str, int]] = {}
    for ring in w.rings:
        d = traces_kept.setdefault(ring["typ"], {t: 0 for t in w._TRACES[ring["typ"]]})
        for t, on in ring["traces"].items():
            d[t] += int(on)
    benign_kinds: dict[str, int] = {}
    for gid, _ in w.benign:
        kind = re.sub(r"-\d+$", "", gid[len("BENIGN-"):])
        benign_kinds[kind] = benign_kinds.get(kind, 0) + 1
    return {
        "out_dir": str(out), "truth": str(truth_path), "seed": w.seed, "messy": w.messy,
        "borrowers": N,
        "tables": {k: v["rows"] for k, v in wr.files.items()},
        "files": wr.files,
        "rings": dict(sorted(rings.items())),
        "ring_count": len(w.rings),
        "ring_borrowers": int(sum(sizes)),
        "ring_sizes": {"min": int(min(sizes)), "max": int(max(sizes)), "median": float(np.median(sizes))},
        "benign_groups": dict(sorted(benign_kinds.items())),
        "truth_rows": len(lines) - 1,
        "traces_kept": traces_kept,
    }


#: Variations the domain allows, each switchable (``generate(..., variations=...)``, ``graphring sample --vary``),
#: so tests and benchmarks can pin every failure mode ring finding met on data it was not tuned on.
VARIATIONS = {
    "sold_scripts": "complaint scripts made once by a supplier and sold to many teams: rings of one scheme "
                    "draw their letter from two scripts instead of writing their own",
    "stock_phrases": "honest borrowers write from the same handful of stock phrases (near-duplicate letters "
                     "in correct Chinese, no shared mistakes)",
    "law_firm": "the first legal-aid group is a licensed law firm instead, filing a standard engagement "
                "letter (one form, with the firm's own slip) for clients who keep repaying",
    "aid_forms": "legal-aid centres file one standard form letter for every client instead of their words",
    "no_text": "complaints exported without the letter text",
    "few_tables": "a bank with only borrowers, devices, accounts and payments",
}
_FEW_TABLES = ("borrowers", "devices", "accounts", "payments")


def generate(out_dir, n_borrowers: int = 2000, seed: int = 0, messy: bool = False,
             progress: Callable[[str], None] | None = None, truth_path=None, variations=()) -> dict:
    """Write a synthetic bank export with planted fraud rings and benign look-alikes.

    Parameters
    ----------
    out_dir : str or Path
        The data folder to write (created if needed): one CSV per table
        (``companies.xlsx`` instead of ``companies.csv`` when ``messy``).
    n_borrowers : int
        Number of borrowers (at least 50). A million takes a few minutes.
    seed : int
        Random seed; the same seed and ``n_borrowers`` give byte-identical files.
    messy : bool
        Write as a bank export arrives: GB18030 (two tables UTF-8 with BOM), Chinese
        headers, CRLF, mixed phone/amount/date formats and ~0.2 % bad rows.
    progress : callable, optional
        Called with a short message at each stage.
    truth_path : str or Path, optional
        Where to write the ground truth; default ``Path(out_dir).parent / "truth.csv"``
        (beside the data folder, never inside it).
    variations : iterable of str
        Names from :data:`VARIATIONS`; none by default (then the files are those of earlier versions).

    Returns
    -------
    dict
        Summary: rows per table, files and encodings, rings per typology, ring sizes,
        benign groups, truth location.
    """
    out = Path(out_dir)
    tp = Path(truth_path) if truth_path is not None else out.parent / "truth.csv"
    if tp.resolve().parent == out.resolve():
        raise ValueError("truth.csv must not be written inside the data folder")
    unknown = set(variations) - set(VARIATIONS)
    if unknown:
        raise ValueError(f"unknown variation(s) {', '.join(sorted(unknown))}; choose from {', '.join(VARIATIONS)}")
    w = _World(n_borrowers, seed, messy, progress or _noop)
    w.vary = frozenset(variations)
    w.borrowers()
    w.companies()
    w.staff()
    w.benign_groups()
    w.plan_rings()
    w.people()
    w.accounts()
    w.devices()
    w.contacts()
    w.phone_events()
    w.employee_roles()
    w.loans()
    w.benign_complaints()
    w.n_before = {"roles": len(w.roles), "pay": len(w.pay), "con": len(w.con), "ev": len(w.ev),
                  "dev": len(w.dev), "acc": len(w.acc)}
    w.build_rings()
    w.honest_complaints()
    w.finalize()
    summary = _write_world(w, out, tp)
    if "few_tables" in w.vary:
        for f in out.iterdir():
            if f.is_file() and f.name.split(".")[0] not in _FEW_TABLES:
                f.unlink()
    summary["variations"] = sorted(w.vary)
    w.say("done")
    return summary
