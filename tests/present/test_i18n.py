"""The message catalogue: every signal and typology has a Chinese and an English name; lookups fall back."""

from __future__ import annotations

import pytest

from graphring.present import i18n
from graphring.errors import GraphringError
from graphring.score.scoring import TYPOLOGIES
from graphring.signals import SIGNALS


def test_every_signal_and_typology_has_both_names():
    missing = i18n.missing_names()
    assert missing == {"signals": [], "typologies": []}, (
        f"add these to graphring/present/i18n.py (SIGNAL_NAMES / TYPOLOGY_NAMES, a (中文, English) pair each): {missing}")
    for s in SIGNALS:
        zh, en = i18n.signal_name(s.name, "zh"), i18n.signal_name(s.name, "en")
        assert zh != s.name and en != s.name and zh != en
        assert any("\u4e00" <= c <= "\u9fff" for c in zh), zh
    for t in (*TYPOLOGIES, "mixed", "none"):
        assert any("\u4e00" <= c <= "\u9fff" for c in i18n.typology_name(t, "zh"))


def test_missing_names_lists_what_is_missing(monkeypatch):
    monkeypatch.delitem(i18n.SIGNAL_NAMES, "shared_agent")
    monkeypatch.delitem(i18n.TYPOLOGY_NAMES, "debt_carrier")
    assert i18n.missing_names() == {"signals": ["shared_agent"], "typologies": ["debt_carrier"]}
    # a code without a name falls back to the code
    assert i18n.signal_name("shared_agent") == "shared_agent"
    assert i18n.typology_name("unknown_new_typology", "en") == "unknown_new_typology"


def test_both_languages_have_the_same_interface_keys():
    zh, en = set(i18n.MESSAGES["zh"]), set(i18n.MESSAGES["en"])
    assert zh == en, {"only zh": sorted(zh - en), "only en": sorted(en - zh)}
    for key in en:
        # the same {fields} in both languages
        import string

        f = {x[1] for x in string.Formatter().parse(i18n.MESSAGES["en"][key]) if x[1]}
        g = {x[1] for x in string.Formatter().parse(i18n.MESSAGES["zh"][key]) if x[1]}
        assert f == g, key


def test_vocabularies_are_pairs():
    for table in (i18n.KIND_NAMES, i18n.LINK_NAMES, i18n.ROLE_NAMES, i18n.RELATION_NAMES, i18n.EVENT_NAMES,
                  i18n.STATUS_NAMES):
        for code, pair in table.items():
            assert len(pair) == 2 and all(pair), code


def test_check_lang():
    assert i18n.check_lang(None) == "zh" and i18n.check_lang("EN") == "en" and i18n.check_lang("zh-CN") == "zh"
    with pytest.raises(GraphringError, match="--lang must be zh or en"):
        i18n.check_lang("de")


def test_link_kinds_and_roles_named():
    from graphring.detect.projection import LINKS
    from graphring.score.scoring import _ENTITY_ROLES

    assert sorted(set(LINKS) - set(i18n.LINK_NAMES)) == []
    roles = set(_ENTITY_ROLES.values()) | {"hub_phone", "shared_phone", "broker_device", "shared_device",
                                           "broker_account", "shared_account", "shell", "company", "carrier",
                                           "member", "organizer"}
    assert sorted(roles - set(i18n.ROLE_NAMES)) == []
