"""Tests for graphring.normalize: real-format values, edge cases and "never raises" properties."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphring import normalize as nz

# --------------------------------------------------------------------------------------
# Independent reference implementations (written from the standards, not from the module)
# --------------------------------------------------------------------------------------

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: 31 characters, no I O S V Z


def ref_id_check(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS)) % 11]


def ref_uscc_check(body17: str) -> str:
    total = sum(USCC_CHARS.index(c) * (3**i % 31) for i, c in enumerate(body17))
    return USCC_CHARS[(31 - total % 31) % 31]


def ref_luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ref_luhn_complete(partial: str) -> str:
    return next(partial + str(d) for d in range(10) if ref_luhn_ok(partial + str(d)))


def rows(df: pd.DataFrame) -> list[dict]:
    """DataFrame -> list of dicts with NA as None (easy to compare)."""
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in df.to_dict("records")]


def test_reference_samples_are_what_the_brief_says():
    assert ref_id_check("11010519491231002") == "X"
    assert ref_uscc_check("91350100M000100Y4") == "3"
    assert ref_luhn_ok("490154203237518")


# --------------------------------------------------------------------------------------
# Common behaviour
# --------------------------------------------------------------------------------------

FRAME_FUNCS = [
    nz.normalize_phone, nz.normalize_id_number, nz.normalize_uscc, nz.normalize_device_id,
    nz.normalize_imei, nz.normalize_ip, nz.normalize_account, nz.normalize_text_key,
    nz.parse_date, nz.parse_datetime, nz.parse_amount, nz.parse_int, nz.parse_bool,
]


@pytest.mark.parametrize("func", FRAME_FUNCS, ids=lambda f: f.__name__)
def test_index_preserved_and_missing(func):
    s = pd.Series(["x", None, np.nan, "", "  ", "N/A"], index=[10, 11, 12, 13, 14, 15], dtype=object)
    r = func(s)
    assert isinstance(r, pd.DataFrame)
    assert list(r.index) == [10, 11, 12, 13, 14, 15]
    assert {"value", "status"} <= set(r.columns)
    assert r["status"].tolist()[1:5] == ["missing"] * 4
    assert r["status"].iloc[5] in ("junk", "invalid")
    assert r["value"].iloc[1:].isna().all()


@pytest.mark.parametrize("func", FRAME_FUNCS, ids=lambda f: f.__name__)
def test_empty_series(func):
    r = func(pd.Series([], dtype=object))
    assert len(r) == 0 and {"value", "status"} <= set(r.columns)


@pytest.mark.parametrize("func", FRAME_FUNCS, ids=lambda f: f.__name__)
def test_scalar_returns_dict_and_list_accepted(func):
    one = func(None)
    assert isinstance(one, dict) and one["status"] == "missing" and one["value"] is None
    assert len(func(["a", None])) == 2


def test_repeated_values_broadcast_consistently():
    s = pd.Series(["138 1234 5678", "13812345678", None, "138 1234 5678"] * 3)
    r = nz.normalize_phone(s)
    assert r["value"].tolist()[:4] == ["+8613812345678", "+8613812345678", np.nan, "+8613812345678"]
    assert r["status"].tolist() == ["ok", "ok", "missing", "ok"] * 3


def test_categorical_and_string_dtypes():
    cat = pd.Series(["13812345678", None, "13812345678"], dtype="category")
    assert nz.normalize_phone(cat)["status"].tolist() == ["ok", "missing", "ok"]
    st_ = pd.Series(["13812345678", None], dtype="string")
    assert nz.normalize_phone(st_)["status"].tolist() == ["ok", "missing"]


# --------------------------------------------------------------------------------------
# is_junk / JUNK_TOKENS
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("v", ["", "  ", None, np.nan, "null", "NULL", "None", "nan", "N/A", "n/a", "#N/A",
                               "-", "--", "—", "unknown", "Unknown", "无", "未知", "不详", "暂无", " 无 ",
                               "０", "0", "ｎｕｌｌ"])
def test_is_junk_true(v):
    assert nz.is_junk(v) is True


@pytest.mark.parametrize("v", ["张三", "13812345678", "a", "1", "x-y", 5, "null island"])
def test_is_junk_false(v):
    assert nz.is_junk(v) is False


def test_is_junk_series():
    r = nz.is_junk(pd.Series(["N/A", "ok", None], index=["a", "b", "c"]))
    assert r.dtype == bool and r.to_dict() == {"a": True, "b": False, "c": True}


def test_junk_tokens_are_normalised_forms():
    for tok in nz.JUNK_TOKENS:
        assert tok == tok.strip().casefold(), tok


# --------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------

MOBILE = "+8613812345678"


@pytest.mark.parametrize("raw", [
    "13812345678", " 13812345678 ", "138 1234 5678", "138-1234-5678", "138.1234.5678", "(138)12345678",
    "+8613812345678", "+86 138 1234 5678", "+86-138-1234-5678", "8613812345678", "0086 13812345678",
    "0086-138-1234-5678", "１３８１２３４５６７８", "＋８６ １３８ １２３４ ５６７８", "13812345678.0",
    13812345678.0, 13812345678, np.int64(13812345678), "1.3812345678E+10", "'13812345678",
    '="13812345678"', "tel:13812345678", "手机：138 1234 5678", "013812345678", "\u200b13812345678\ufeff",
])
def test_phone_mobile_forms(raw):
    assert nz.normalize_phone(raw) == {"value": MOBILE, "status": "ok", "kind": "mobile"}


@pytest.mark.parametrize("raw,value", [
    ("010-12345678", "+86-10-12345678"),
    ("(010)12345678", "+86-10-12345678"),
    ("+86 10 1234 5678", "+86-10-12345678"),
    ("021-66668888", "+86-21-66668888"),
    ("+86 21 6666 8888", "+86-21-66668888"),
    ("+86 (0)21 6666 8888", "+86-21-66668888"),
    ("0086-21-66668888", "+86-21-66668888"),
    ("(0755)8888 6666", "+86-755-88886666"),
    ("0755-88886666", "+86-755-88886666"),
    ("0755-88886666转123", "+86-755-88886666"),
    ("0755-88886666 ext. 12", "+86-755-88886666"),
    ("0571-8765432", "+86-571-8765432"),
    ("（０２０）８７６５４３２１", "+86-20-87654321"),
])
def test_phone_fixed_line(raw, value):
    assert nz.normalize_phone(raw) == {"value": value, "status": "ok", "kind": "fixed"}


@pytest.mark.parametrize("raw,value", [
    ("400-123-4567", "+86-400-1234567"),
    ("4001234567", "+86-400-1234567"),
    ("400 123 4567", "+86-400-1234567"),
    ("800-810-8888", "+86-800-8108888"),
    ("95555", "+86-95555"),
    ("95588", "+86-95588"),
    ("12378", "+86-12378"),  # banking & insurance regulator complaint line
    ("12315", "+86-12315"),
    ("10086", "+86-10086"),
])
def test_phone_service(raw, value):
    assert nz.normalize_phone(raw) == {"value": value, "status": "ok", "kind": "service"}


@pytest.mark.parametrize("raw,value", [
    ("+852 9123 4567", "+85291234567"),
    ("00852 9123 4567", "+85291234567"),
    ("+1 (415) 555-0100", "+14155550100"),
    ("+63 917 123 4567", "+639171234567"),
    ("+63-9171234567", "+639171234567"),
    ("+886 912 345 678", "+886912345678"),
])
def test_phone_foreign(raw, value):
    assert nz.normalize_phone(raw) == {"value": value, "status": "ok", "kind": "foreign"}


@pytest.mark.parametrize("raw", [
    "unknown", "UNKNOWN", "null", "none", "nan", "-", "--", "N/A", "无", "未知", "0",
    "00000000000", "11111111111", "13800000000", "13888888888", "13800138000", "+86 00000000000",
    "888-8888-8888", "0000",
])
def test_phone_junk(raw):
    assert nz.normalize_phone(raw) == {"value": None, "status": "junk", "kind": None}


@pytest.mark.parametrize("raw", [
    "12345678901",             # 12x is not a mobile prefix
    "1381234567",              # 10 digits
    "138123456789",            # 12 digits
    "88886666",                # local number without area code
    "13812345678/13987654321",  # two numbers in a cell
    "abc", "138abc45678", "1.38123E+10",  # lossy scientific notation must never link
    "+0123456", "++8613812345678", "010-0123456",
])
def test_phone_invalid(raw):
    assert nz.normalize_phone(raw) == {"value": None, "status": "invalid", "kind": None}


def test_phone_float_series():
    s = pd.Series([13812345678.0, np.nan, 2166668888.0])
    r = nz.normalize_phone(s)
    assert rows(r) == [
        {"value": MOBILE, "status": "ok", "kind": "mobile"},
        {"value": None, "status": "missing", "kind": None},
        {"value": None, "status": "invalid", "kind": None},  # no trunk 0 and no +86: not guessed
    ]


def test_phone_real_numbers_not_junk():
    # only clear placeholders are junk; ordinary numbers with repeated digits are fine
    for raw in ["13900000001", "13812345678", "18688886666", "010-88888888"]:
        assert nz.normalize_phone(raw)["status"] == "ok", raw


# --------------------------------------------------------------------------------------
# Resident ID numbers
# --------------------------------------------------------------------------------------

VALID_ID = "11010519491231002X"


@pytest.mark.parametrize("raw", [
    "11010519491231002X", "11010519491231002x", " 11010519491231002X ", "110105 19491231 002X",
    "110105-19491231-002X", "１１０１０５１９４９１２３１００２Ｘ", "'11010519491231002X",
])
def test_id_valid_forms(raw):
    assert nz.normalize_id_number(raw) == {"value": VALID_ID, "status": "ok", "flag": None}


@pytest.mark.parametrize("raw", ["110105491231002", "110105491231002.0", 110105491231002, 110105491231002.0])
def test_id_legacy_15_upgraded(raw):
    assert nz.normalize_id_number(raw) == {"value": VALID_ID, "status": "ok", "flag": "legacy15"}


def test_id_more_real_samples():
    # classic textbook samples, validated with the reference implementation
    for body in ["44052418800101001", "32010619900307352", "51010119991231123", "65010220000229001"]:
        full = body + ref_id_check(body)
        assert nz.normalize_id_number(full) == {"value": full, "status": "ok", "flag": None}


def test_id_bad_check_keeps_value():
    wrong = "110105194912310021"
    assert nz.normalize_id_number(wrong) == {"value": wrong, "status": "bad_check", "flag": None}
    r = nz.normalize_id_number("11010519491231002y")  # y is no check character at all
    assert r["status"] == "invalid"


@pytest.mark.parametrize("raw", [
    "110105194902300020",    # 30 February
    "110105194913010020",    # month 13
    "110105299912310020",    # born in the future
    "990105194912310020",    # no province 99
    "1101051949123100",      # 16 digits
    "11010519491231002XX",
    "1.10105194912310E+17",  # lossy float
    1.1010519491231002e17,
    "ABCDEFGHIJKLMNOPQR",
])
def test_id_invalid(raw):
    assert nz.normalize_id_number(raw)["status"] == "invalid"
    assert nz.normalize_id_number(raw)["value"] is None


def test_id_masked_and_junk():
    assert nz.normalize_id_number("110105********002X") == {"value": None, "status": "invalid", "flag": "masked"}
    assert nz.normalize_id_number("111111111111111111")["status"] == "junk"
    assert nz.normalize_id_number("未知")["status"] == "junk"


@settings(max_examples=40, deadline=None)
@given(
    area=st.sampled_from(["110105", "310104", "440305", "510107", "330106", "650102", "810000"]),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2010, 12, 31)),
    seq=st.integers(0, 999),
    bad=st.integers(1, 10),
)
def test_id_property_reference_agreement(area, birth, seq, bad):
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    check = ref_id_check(body)
    assert nz.normalize_id_number(body + check.lower())["value"] == body + check
    assert nz.normalize_id_number(body + check)["status"] == "ok"
    wrong = "10X98765432"[("10X98765432".index(check) + bad) % 11]
    assert nz.normalize_id_number(body + wrong) == {"value": body + wrong, "status": "bad_check", "flag": None}
    if birth.year < 2000:  # legacy 15-digit form of the same person
        legacy = f"{area}{birth:%y%m%d}{seq:03d}"
        assert nz.normalize_id_number(legacy)["value"] == body[:6] + f"{birth:%Y%m%d}{seq:03d}" + check


def test_id_check_digit_helper():
    assert nz.id_check_digit("11010519491231002") == "X"
    with pytest.raises(ValueError):
        nz.id_check_digit("123")


# --------------------------------------------------------------------------------------
# Unified social credit codes
# --------------------------------------------------------------------------------------

VALID_USCC = "91350100M000100Y43"


@pytest.mark.parametrize("raw", [
    "91350100M000100Y43", "91350100m000100y43", " 91350100M000100Y43 ", "91350100 M000100Y4 3",
    "９１３５０１００Ｍ０００１００Ｙ４３", "9135-0100-M000-100Y-43",
])
def test_uscc_valid_forms(raw):
    assert nz.normalize_uscc(raw) == {"value": VALID_USCC, "status": "ok"}


def test_uscc_charset_includes_m_and_excludes_iosvz():
    assert len(nz.USCC_CHARSET) == 31
    assert "M" in nz.USCC_CHARSET and not set("IOSVZ") & set(nz.USCC_CHARSET)
    assert nz.USCC_CHARSET == USCC_CHARS


def test_uscc_bad_check():
    assert nz.normalize_uscc("91350100M000100Y44") == {"value": "91350100M000100Y44", "status": "bad_check"}


@pytest.mark.parametrize("raw", [
    "91350100M000100Y4I",  # I is not in the charset
    "91350100O000100Y43",  # O neither
    "91350100S000100Y43",
    "91350100M000100Y4",   # 17 characters
    "110108000000016",     # legacy 15-digit business registration number
    "M0001004-3",          # 9-character organisation code
    "中国公司",
])
def test_uscc_invalid(raw):
    assert nz.normalize_uscc(raw) == {"value": None, "status": "invalid"}


def test_uscc_junk():
    assert nz.normalize_uscc("000000000000000000")["status"] == "junk"
    assert nz.normalize_uscc("无")["status"] == "junk"


@settings(max_examples=40, deadline=None)
@given(body=st.text(alphabet=USCC_CHARS, min_size=17, max_size=17))
def test_uscc_property_reference_agreement(body):
    code = body + ref_uscc_check(body)
    r = nz.normalize_uscc(code.lower())
    if len(set(code)) == 1:
        assert r["status"] == "junk"
        return
    assert r == {"value": code, "status": "ok"}
    wrong = body + USCC_CHARS[(USCC_CHARS.index(code[-1]) + 1) % 31]
    assert nz.normalize_uscc(wrong)["status"] == "bad_check"
    assert nz.uscc_check_char(body) == code[-1]


# --------------------------------------------------------------------------------------
# Devices
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["490154203237518", "49-015420-323751-8", "49 015420 323751 8",
                                 "IMEI:490154203237518", 490154203237518, 490154203237518.0,
                                 "490154203237518.0", "４９０１５４２０３２３７５１８"])
def test_device_imei_ok(raw):
    assert nz.normalize_device_id(raw) == {"value": "490154203237518", "status": "ok", "kind": "imei"}


def test_device_imei_bad_check_kept():
    assert nz.normalize_device_id("490154203237519") == {
        "value": "490154203237519", "status": "bad_check", "kind": "imei"}


@pytest.mark.parametrize("raw,value,kind", [
    ("49015420323751", "49015420323751", "meid"),          # IMEI without check digit
    ("A1000012345678", "a1000012345678", "meid"),          # hex MEID
    ("4901542032375101", "4901542032375101", "imeisv"),
    ("a1b2c3d4e5f60718", "a1b2c3d4e5f60718", "android_id"),
    ("A1B2C3D4E5F60718", "a1b2c3d4e5f60718", "android_id"),
    ("E2B0F9A1-1C2D-4E5F-8A9B-0C1D2E3F4A5B", "e2b0f9a1-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "uuid"),
    ("e2b0f9a11c2d4e5f8a9b0c1d2e3f4a5b", "e2b0f9a1-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "uuid"),
    ("AA-BB-CC-DD-EE-01", "aa:bb:cc:dd:ee:01", "mac"),
    ("  fp_AbC123xyz  ", "fp_AbC123xyz", "other"),  # opaque fingerprints keep their case
])
def test_device_kinds(raw, value, kind):
    assert nz.normalize_device_id(raw) == {"value": value, "status": "ok", "kind": kind}


@pytest.mark.parametrize("raw", [
    "000000000000000", "00000000000000", "02:00:00:00:00:00", "00:00:00:00:00:00",
    "9774d56d682e549c", "9774D56D682E549C", "00000000-0000-0000-0000-000000000000",
    "ffffffffffffffff", "unknown", "null", "none", "-", "358240051111110", "aaaaaaaa",
])
def test_device_junk(raw):
    assert nz.normalize_device_id(raw) == {"value": None, "status": "junk", "kind": None}


def test_device_too_short_invalid():
    assert nz.normalize_device_id("abc")["status"] == "invalid"


def test_imei_only_accepts_imei_shapes():
    assert nz.normalize_imei("490154203237518")["status"] == "ok"
    assert nz.normalize_imei("490154203237519")["status"] == "bad_check"
    assert nz.normalize_imei("49015420323751")["status"] == "ok"
    assert nz.normalize_imei("e2b0f9a1-1c2d-4e5f-8a9b-0c1d2e3f4a5b")["status"] == "invalid"
    assert nz.normalize_imei("000000000000000")["status"] == "junk"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_imei_property_luhn(partial):
    imei = ref_luhn_complete(partial)
    r = nz.normalize_device_id(imei)
    if len(set(imei)) == 1 or imei in nz.JUNK_DEVICE_IDS:
        assert r["status"] == "junk"
    else:
        assert r == {"value": imei, "status": "ok", "kind": "imei"}
        broken = imei[:-1] + str((int(imei[-1]) + 1) % 10)
        assert nz.normalize_device_id(broken)["status"] == "bad_check"


# --------------------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,value,private", [
    ("223.104.3.7", "223.104.3.7", False),
    (" 223.104.003.007 ", "223.104.3.7", False),
    ("１２３．４５．６７．８９", "123.45.67.89", False),
    ("1.2.3.4:8080", "1.2.3.4", False),
    ("10.0.0.1, 8.8.8.8", "10.0.0.1", True),
    ("192.168.1.20", "192.168.1.20", True),
    ("172.16.5.4", "172.16.5.4", True),
    ("172.32.0.1", "172.32.0.1", False),
    ("100.64.1.1", "100.64.1.1", True),       # CGNAT
    ("169.254.1.1", "169.254.1.1", True),
    ("2001:DB8:0:0::1", "2001:db8::1", False),
    ("[2001:db8::1]:443", "2001:db8::1", False),
    ("240E:0:0:0:0:0:0:1", "240e::1", False),
    ("fd00::1", "fd00::1", True),
    ("fe80::1%eth0", "fe80::1", True),
    ("::ffff:8.8.8.8", "8.8.8.8", False),
    ("::ffff:192.168.0.1", "192.168.0.1", True),
])
def test_ip_ok(raw, value, private):
    assert nz.normalize_ip(raw) == {"value": value, "status": "ok", "private": private}


@pytest.mark.parametrize("raw", ["0.0.0.0", "127.0.0.1", "127.1.2.3", "255.255.255.255", "224.0.0.1",
                                 "::1", "::", "unknown", "null", "-"])
def test_ip_junk(raw):
    assert nz.normalize_ip(raw) == {"value": None, "status": "junk", "private": False}


@pytest.mark.parametrize("raw", ["999.1.1.1", "1.2.3", "1.2.3.4.5", "abc", "2001:db8:::1", "1.2.3.4/24"])
def test_ip_invalid(raw):
    assert nz.normalize_ip(raw) == {"value": None, "status": "invalid", "private": False}


def test_ip_private_column_is_bool():
    r = nz.normalize_ip(pd.Series(["10.1.1.1", None, "8.8.8.8"]))
    assert r["private"].dtype == bool and r["private"].tolist() == [True, False, False]


# --------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------

CARD = ref_luhn_complete("622202123456789012")  # 19-digit card that passes Luhn


@pytest.mark.parametrize("raw", [CARD, " ".join([CARD[:4], CARD[4:8], CARD[8:12], CARD[12:16], CARD[16:]]),
                                 "-".join([CARD[:6], CARD[6:]]), "＇" + CARD, CARD + ".0"])
def test_account_card_forms(raw):
    assert nz.normalize_account(raw) == {"value": CARD, "status": "ok", "kind": "bank", "luhn": True}


def test_account_luhn_is_a_flag_not_a_rejection():
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert nz.normalize_account(wrong) == {"value": wrong, "status": "ok", "kind": "bank", "luhn": False}
    # 8-15 and 20-30 digit accounts carry no Luhn flag
    assert nz.normalize_account("12345678") == {"value": "12345678", "status": "ok", "kind": "bank", "luhn": None}
    long_acct = "1" + "234567890" * 2 + "12"
    assert nz.normalize_account(long_acct)["luhn"] is None


@pytest.mark.parametrize("raw,value,kind", [
    ("13812345678", "+8613812345678", "phone"),
    ("+86 138-1234-5678", "+8613812345678", "phone"),
    ("支付宝:13812345678", "+8613812345678", "phone"),
    ("Zhang.San@QQ.com", "zhang.san@qq.com", "email"),
    ("wxid_AbC123", "wxid_abc123", "ewallet"),
    ("微信：ZhangSan_88", "zhangsan_88", "ewallet"),
    ("QQ:123456", "123456", "ewallet"),
])
def test_account_wallets(raw, value, kind):
    assert nz.normalize_account(raw) == {"value": value, "status": "ok", "kind": kind, "luhn": None}


@pytest.mark.parametrize("raw", ["1234567", "6222****1234", "6222 **** **** 1234", "6.22202E+18",
                                 6.222021234567890e18, "张三的卡", "1" * 31 + "2"])
def test_account_invalid(raw):
    assert nz.normalize_account(raw)["status"] == "invalid"


@pytest.mark.parametrize("raw", ["0000000000000000", "11111111", "无", "N/A", "--"])
def test_account_junk(raw):
    assert nz.normalize_account(raw) == {"value": None, "status": "junk", "kind": None, "luhn": None}


def test_account_luhn_dtype():
    r = nz.normalize_account(pd.Series([CARD, "12345678", None]))
    assert str(r["luhn"].dtype) == "boolean"


# --------------------------------------------------------------------------------------
# Text keys, hashes, addresses
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,value", [
    ("  张 律师 ", "张律师"),
    ("王 小 明", "王小明"),
    ("Ｌａｗ  Firm", "Law Firm"),
    ("ABC Legal\tServices", "ABC Legal Services"),
    ("E001", "E001"),  # case kept: ids are reported as given
    ("abc\u200bdef", "abcdef"),
])
def test_text_key(raw, value):
    assert nz.normalize_text_key(raw) == {"value": value, "status": "ok"}


@pytest.mark.parametrize("raw", ["无", "未知", "null", "—", "N/A"])
def test_text_key_junk(raw):
    assert nz.normalize_text_key(raw) == {"value": None, "status": "junk"}


def test_text_key_hash_mode():
    h = "9E107D9D372BB6826BD81D3542A419D6"
    assert nz.normalize_text_key(h, kind="hash") == {"value": h.lower(), "status": "ok"}
    assert nz.normalize_text_key("md5: " + h, kind="hash")["value"] == h.lower()
    for empty in nz.EMPTY_FILE_HASHES:
        assert nz.normalize_text_key(empty.upper(), kind="hash")["status"] == "junk"
    assert nz.normalize_text_key("0" * 32, kind="hash")["status"] == "junk"


def test_text_key_unknown_kind():
    with pytest.raises(ValueError):
        nz.normalize_text_key("x", kind="nope")


def test_address_key():
    a = nz.normalize_address_key(pd.Series(["北京市 朝阳区，建国路88号", "北京市朝阳区建国路８８号",
                                            "北京市朝阳区建国路88号（东门）", "无", None, "，。"]))
    assert a.iloc[0] == a.iloc[1] == "北京市朝阳区建国路88号"
    assert a.iloc[2] == "北京市朝阳区建国路88号东门"
    assert a.iloc[3:].isna().all()
    assert nz.normalize_address_key("Room 5, No.8 Road") == "room5no8road"
    assert nz.normalize_text_key("，。", kind="address")["status"] == "missing"


# --------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------

T = pd.Timestamp("2025-03-14 09:30:00")
D = pd.Timestamp("2025-03-14")


@pytest.mark.parametrize("raw,expected", [
    ("2025-03-14", D),
    ("2025-03-14 09:30:00", T),
    ("2025-03-14T09:30:00", T),
    ("2025-03-14T09:30", T),
    ("2025-03-14 09:30:00.250", T + pd.Timedelta(milliseconds=250)),
    ("2025/3/14", D),
    ("2025/03/14", D),
    ("2025/3/14 9:30", T),
    ("2025.3.14", D),
    ("2025-3-14 9:30:00", T),
    ("20250314", D),
    ("202503140930", T),
    ("20250314093000", T),
    ("2025年3月14日", D),
    ("2025年03月14日 09:30", T),
    ("2025年3月14日9时30分", T),
    ("２０２５－０３－１４", D),
    ("2025-03-14T01:30:00Z", T),          # UTC -> China Standard Time
    ("2025-03-14T09:30:00+08:00", T),
    ("2025-03-14T02:30:00+01:00", T),
    ("45730", D),                          # Excel serial day
    (45730, D),
    (45730.395833333336, T),
    ("1741915800", T),                     # Unix epoch seconds (UTC)
    ("1741915800000", T),                  # epoch milliseconds
    (dt.datetime(2025, 3, 14, 9, 30), T),
    (dt.date(2025, 3, 14), D),
    (pd.Timestamp("2025-03-14 01:30", tz="UTC"), T),
])
def test_parse_datetime_forms(raw, expected):
    r = nz.parse_datetime(raw)
    assert r["status"] == "ok", raw
    assert r["value"] == expected


@pytest.mark.parametrize("raw", ["2025-02-30", "2025-13-01", "2025-03-14 25:00", "14/03/2025", "03/14/2025",
                                 "abc", "2025", "1899-12-31", "2101-01-01", "12345", "2025-03-14 09:30:61"])
def test_parse_datetime_invalid(raw):
    assert nz.parse_datetime(raw) == {"value": None, "status": "invalid"}


@pytest.mark.parametrize("raw", ["0000-00-00", "0000-00-00 00:00:00", "null", "-", "未知"])
def test_parse_datetime_junk(raw):
    assert nz.parse_datetime(raw)["status"] == "junk"


def test_parse_datetime_dtype_and_passthrough():
    r = nz.parse_datetime(pd.Series(["2025-03-14 09:30:00", None, "x"]))
    assert str(r["value"].dtype) == "datetime64[ns]"
    assert r["status"].tolist() == ["ok", "missing", "invalid"]
    s = pd.Series(pd.to_datetime(["2025-03-14 09:30", None]))
    r = nz.parse_datetime(s)
    assert r["value"].iloc[0] == T and r["status"].tolist() == ["ok", "missing"]
    aware = pd.Series(pd.to_datetime(["2025-03-14 01:30"]).tz_localize("UTC"))
    assert nz.parse_datetime(aware)["value"].iloc[0] == T


def test_parse_date_drops_time():
    r = nz.parse_date(pd.Series(["2025-03-14 09:30:00", "2025/3/14 23:59", "20250314", "x", None]))
    assert r["value"].iloc[:3].tolist() == [D, D, D]
    assert r["status"].tolist() == ["ok", "ok", "ok", "invalid", "missing"]
    assert str(r["value"].dtype) == "datetime64[ns]"


# --------------------------------------------------------------------------------------
# Amounts, integers, booleans
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,value", [
    ("1234.50", 1234.5), ("1,234.50", 1234.5), ("¥1,234.50", 1234.5), ("￥1,234.50", 1234.5),
    ("¥ 1,234.50", 1234.5), ("CNY 100", 100.0), ("RMB100", 100.0), ("1234元", 1234.0),
    ("人民币1234元整", 1234.0), ("１，２３４．５０", 1234.5), ("1.2万", 12000.0), ("1.5w", 15000.0),
    ("3亿", 3e8), ("2k", 2000.0), ("-100", -100.0), ("−100", -100.0), ("(1,234.50)", -1234.5),
    ("100-", -100.0), ("-¥5", -5.0), ("¥-5", -5.0), ("0", 0.0), ("0.00", 0.0), (".5", 0.5),
    (12.5, 12.5), (7, 7.0), ("+3", 3.0),
])
def test_parse_amount(raw, value):
    r = nz.parse_amount(raw)
    assert r["status"] == "ok", raw
    assert math.isclose(r["value"], value)


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "万", "12abc", "$", "1,23,4x"])
def test_parse_amount_invalid(raw):
    assert nz.parse_amount(raw) == {"value": None, "status": "invalid"}


def test_parse_amount_numeric_series_passthrough():
    r = nz.parse_amount(pd.Series([1.5, np.nan, np.inf, 3]))
    assert r["status"].tolist() == ["ok", "missing", "invalid", "ok"]
    assert r["value"].dtype == float and r["value"].iloc[0] == 1.5


@pytest.mark.parametrize("raw,value", [("30", 30), ("30天", 30), ("5家", 5), ("1,200", 1200), ("12.0", 12),
                                       ("-3", -3), ("1.5万", 15000), (3.0, 3), ("０", 0)])
def test_parse_int(raw, value):
    assert nz.parse_int(raw) == {"value": value, "status": "ok"}


def test_parse_int_invalid_and_dtype():
    r = nz.parse_int(pd.Series(["12.5", "abc", None, "无", "7"]))
    assert r["status"].tolist() == ["invalid", "invalid", "missing", "junk", "ok"]
    assert str(r["value"].dtype) == "Int64" and r["value"].iloc[4] == 7


@pytest.mark.parametrize("raw,value", [
    ("true", True), ("TRUE", True), ("t", True), ("yes", True), ("Y", True), ("1", True), (1, True),
    (1.0, True), (True, True), ("是", True), ("有", True), ("√", True), ("已缴纳", True),
    ("false", False), ("F", False), ("no", False), ("N", False), ("0", False), (0, False),
    (False, False), ("否", False), ("无", False), ("没有", False), ("×", False), ("未缴", False),
])
def test_parse_bool(raw, value):
    assert nz.parse_bool(raw) == {"value": value, "status": "ok"}


def test_parse_bool_other_statuses_and_dtype():
    r = nz.parse_bool(pd.Series(["是", "未知", "maybe", None]))
    assert r["status"].tolist() == ["ok", "junk", "invalid", "missing"]
    assert str(r["value"].dtype) == "boolean"
    b = nz.parse_bool(pd.Series([True, False]))
    assert b["value"].tolist() == [True, False] and b["status"].tolist() == ["ok", "ok"]


# --------------------------------------------------------------------------------------
# Properties: never raises on arbitrary input, statuses are consistent, idempotent values
# --------------------------------------------------------------------------------------

raw_values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 +-().:/xX*年月日万元¥,，０１２３４５６７８９＋", max_size=30),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.sampled_from(sorted(nz.JUNK_TOKENS)),
)

STATUS_OF = {
    nz.normalize_phone: {"ok", "missing", "junk", "invalid"},
    nz.normalize_id_number: {"ok", "bad_check", "missing", "junk", "invalid"},
    nz.normalize_uscc: {"ok", "bad_check", "missing", "junk", "invalid"},
    nz.normalize_device_id: {"ok", "bad_check", "missing", "junk", "invalid"},
    nz.normalize_imei: {"ok", "bad_check", "missing", "junk", "invalid"},
    nz.normalize_ip: {"ok", "missing", "junk", "invalid"},
    nz.normalize_account: {"ok", "missing", "junk", "invalid"},
    nz.normalize_text_key: {"ok", "missing", "junk"},
    nz.parse_date: {"ok", "missing", "junk", "invalid"},
    nz.parse_datetime: {"ok", "missing", "junk", "invalid"},
    nz.parse_amount: {"ok", "missing", "junk", "invalid"},
    nz.parse_int: {"ok", "missing", "junk", "invalid"},
    nz.parse_bool: {"ok", "missing", "junk", "invalid"},
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(raw_values, max_size=12))
@pytest.mark.parametrize("func", list(STATUS_OF), ids=lambda f: f.__name__)
def test_property_never_raises_and_consistent(func, values):
    s = pd.Series(values, dtype=object, index=range(100, 100 + len(values)))
    r = func(s)
    assert list(r.index) == list(s.index)
    assert set(r["status"]) <= STATUS_OF[func]
    usable = r["status"].isin(["ok", "bad_check"])
    assert r.loc[usable, "value"].notna().all()
    assert r.loc[~usable, "value"].isna().all()
    assert (r.loc[s.isna(), "status"] == "missing").all()
    # row-by-row evaluation agrees with the vectorised one (a few rows: scalar calls are slow)
    for i, v in list(zip(s.index, values))[:3]:
        one = func(v)
        assert one["status"] == r.at[i, "status"]


@settings(max_examples=50, deadline=None)
@given(st.lists(raw_values, max_size=12))
def test_property_is_junk_never_raises(values):
    r = nz.is_junk(pd.Series(values, dtype=object))
    assert r.dtype == bool and len(r) == len(values)


IDEMPOTENT = [nz.normalize_phone, nz.normalize_id_number, nz.normalize_uscc, nz.normalize_device_id,
              nz.normalize_ip, nz.normalize_account, nz.normalize_text_key]


@settings(max_examples=30, deadline=None)
@given(values=st.lists(raw_values, max_size=12))
@pytest.mark.parametrize("func", IDEMPOTENT, ids=lambda f: f.__name__)
def test_property_normal_form_is_fixed_point(func, values):
    r = func(pd.Series(values, dtype=object))
    ok = r[r["status"] == "ok"]
    again = func(ok["value"])
    assert again["value"].tolist() == ok["value"].tolist()
    assert (again["status"] == "ok").all()


@settings(max_examples=50, deadline=None)
@given(
    prefix=st.sampled_from(["13", "14", "15", "16", "17", "18", "19"]),
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
    fmt=st.sampled_from(["{}", "+86{}", "+86 {}", "0086{}", "86{}", "{a}-{b}-{c}", "{a} {b} {c}",
                         "+86 ({a}) {b}-{c}", "{}.0"]),
)
def test_property_mobile_formats(prefix, rest, fmt):
    number = prefix + rest
    raw = fmt.format(number, a=number[:3], b=number[3:7], c=number[7:])
    r = nz.normalize_phone(raw)
    if r["status"] == "junk":  # placeholder pattern, e.g. 13900000000
        assert len(set(number[3:])) == 1 or number in nz.PLACEHOLDER_PHONES
    else:
        assert r == {"value": "+86" + number, "status": "ok", "kind": "mobile"}


def test_device_ids_in_capitals_take_the_fast_path_with_the_same_result():
    # upper-case iOS UUIDs and Android ids: enough distinct values for the pyarrow path
    vals = [f"{i:08X}-EF91-2703-4053-A68228D8FE{i % 100:02d}" for i in range(100)]
    vals += [f"9774D56D682E{i:04X}" for i in range(100)]
    vals += ["FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "AAAAAAAAAAAAAAAA", "00000000-0000-0000-0000-000000000000"]
    s = pd.Series(vals)
    fast = nz.normalize_device_id(s)
    rows = [nz.normalize_device_id(v) for v in vals]  # one value: the full rules
    def plain(col):
        return [None if pd.isna(x) else x for x in fast[col]]

    for col in ("value", "status", "kind"):
        assert plain(col) == [r[col] for r in rows]
    assert fast["value"].iloc[0] == "00000000-ef91-2703-4053-a68228d8fe00"
    assert fast["status"].iloc[-1] == "junk"
