"""Who lives in the synthetic world: geography, names, identifiers, borrowers, companies, staff, benign groups.

Returns
-------
_Population
    The mixin of :class:`graphring.sample.world._World` that draws the people and
    firms: provinces, cities and districts (``_geo``); Chinese names; valid resident
    IDs (GB 11643), bank cards (Luhn), USCCs (GB 32100), device ids and IPs;
    addresses; the borrowers (``borrowers``), companies, bookkeeping agencies and
    the nationwide employer (``companies``), loan officers and brokers (``staff``),
    and the benign look-alike groups (families, legal-aid centres, HR lines:
    ``benign_groups``), plus the free-borrower pickers the ring planting uses.
_PhonePool
    Unique mobile numbers handed out in order.
_GEO, _BANKS, _CREDIT_BINS, _PRODUCTS, _STATUSES, ...
    The vocabulary: 68 cities with district codes, surnames and given-name
    characters, roads, brands, industries, bank BINs, phone prefixes, device TACs,
    IP ranges, e-mail domains, loan products and statuses.

Examples
--------
>>> from graphring.ingest import checkdigits
>>> from graphring.sample.world import _World
>>> w = _World(300, seed=1, messy=False, progress=lambda msg: None)
>>> w.run(until="benign_groups")
>>> all(checkdigits.id_ok(x) for x in w.id_number), all(checkdigits.luhn_ok(x) for x in w.card)
(True, True)
>>> w.bid(0), len(w.families), len(w.legal_aid), len(w.hr_lines)
('C10000000', 1, 1, 1)
"""

from __future__ import annotations

import bisect
from typing import Callable

import numpy as np

from graphring.ingest.checkdigits import ID_CHECK_CHARS as _ID_CHECK
from graphring.ingest.checkdigits import USCC_CHARSET as _USCC_CS
from graphring.ingest.checkdigits import id_check_index, org_check_index, uscc_check_index
from graphring.ingest.checkdigits import luhn_digits as _luhn_digits
from graphring.sample.arrays import (SNAP_DAY, _cat, _digits_str, _dups, _hex, _int_digits, _Rows, _seg_pick,
                                     _seg_weighted, _segments)

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
#: loan products and statuses (the codes the loans table stores)
_PRODUCTS = ("consumer", "business", "car", "mortgage", "credit_card")
_STATUSES = ("current", "overdue", "charged_off", "closed")

_SPECIAL_CITIES = ("北京市", "上海市", "天津市", "重庆市")
_USCC_ARR = np.array(list(_USCC_CS))
_ORG_VAL = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in _USCC_CS], dtype=np.int64)


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


class _Population:
    """Geography, names, identifiers, borrowers, companies, staff and benign groups of a :class:`_World`."""

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
        chk = id_check_index(m)
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
        m[:, 16] = org_check_index(_ORG_VAL[m[:, 8:16]])
        m[:, 17] = uscc_check_index(m[:, :17])
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
        # a city without borrowers has an empty segment (at the end of by_city for the last such city): its
        # position is clipped into range, and the pick is discarded (okc); the draws are the same either way
        pos = _seg_pick(rng, self.by_city_start, np.maximum(self.by_city_n, 1), ccity[bsel])
        bpick = self.by_city[np.minimum(pos, len(self.by_city) - 1)]
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
        N = self.N
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

    def co_ref(self, co: np.ndarray) -> np.ndarray:
        """USCC strings for company indices (valid once companies exist)."""
        allu = np.concatenate(self.co_parts["uscc"]) if len(self.co_parts["uscc"]) > 1 else self.co_parts["uscc"][0]
        if len(self.co_parts["uscc"]) > 1:
            self.co_parts["uscc"] = [allu]
        return allu[np.asarray(co, dtype=np.int64)]
