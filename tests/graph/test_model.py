"""The graph model: node and edge tables from validated data; junk never becomes a link;
the in-memory store loads idempotently and answers neighbourhood queries.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphring.graph.model import RELATIONSHIPS, GraphFrames, build_frames, label_of, node_id, split_node_id
from graphring.normalize import JUNK_DEVICE_IDS
from graphring.ingest.schema import ENTITY_KINDS
from graphring.store.memory import MemoryStore
from graphring.ingest.validate import validate_folder

FILES = {
    "borrowers.csv": ("borrower_id,phone,email,address,bank_account\n"
                      "B1,13812345678,a@x.com,北京市朝阳区建国路88号,6222020000000001\n"
                      "B2,138-1234-5678,无,\"北京市 朝阳区，建国路８８号\",\n"
                      "B3,13912345678,,不详,0000000000000000\n"),
    "contacts.csv": ("borrower_id,phone,relation\n"
                     "B1,13700000001,friend\nB2,13700000001,friend\nB3,00000000000,friend\n"),
    "phone_events.csv": "borrower_id,phone,event,at\nB1,13812345678,bind,2025-01-01\n",
    "devices.csv": ("borrower_id,device_id,ip\n"
                    "B1,490154203237518,1.2.3.4\n"
                    "B2,490154203237518,1.2.3.4\n"
                    "B3,000000000000000,5.6.7.8\n"
                    "B1,02:00:00:00:00:00,\n"
                    "B2,unknown,\n"
                    "B3,9774d56d682e549c,\n"
                    "B3,a1b2c3d4e5f6a7b8,0.0.0.0\n"),
    "accounts.csv": "borrower_id,account,kind\nB1,6222020000000002,debit\n",
    "complaints.csv": ("complaint_id,borrower_id,complainant_phone,attachments,agent\n"
                       "C1,B1,13700000001,abc;def,张律师\n"
                       "C2,B2,13800138000,abc;d41d8cd98f00b204e9800998ecf8427e,无\n"),
    "companies.csv": "uscc,name,address,registration_agent\n91350100M000100Y43,A,北京市朝阳区建国路88号,代账1\n",
    "company_roles.csv": ("uscc,person_id,role\n91350100M000100Y43,B1,legal_rep\n"
                          "91350100M000100Y43,P1,shareholder\n91350100M000100Y43,unknown,employee\n"),
    "loans.csv": ("loan_id,borrower_id,amount,officer_id,intermediary,employer_uscc,counterparty_uscc\n"
                  "L1,B1,1000,O1,中介A,91350100M000100Y43,91350100M000100Y43\n"
                  "L2,B2,500,unknown,无,,\n"),
    "payments.csv": ("payer,payee,amount,purpose,loan_id\n"
                     "B2,6222020000000009,100,repayment,L1\n"
                     "91350100M000100Y43,B1,5000,salary,\n"
                     "P1,6222020000000001,1,trade,\n"),
}

EXPECTED_NODES = {
    "account": ["6222020000000001", "6222020000000002", "6222020000000009"],
    "address": ["北京市朝阳区建国路88号"],
    "agent": ["张律师"],
    "attachment": ["abc", "def"],
    "borrower": ["B1", "B2", "B3"],
    "company": ["91350100M000100Y43"],
    "complaint": ["C1", "C2"],
    "device": ["490154203237518", "a1b2c3d4e5f6a7b8"],
    "email": ["a@x.com"],
    "intermediary": ["中介A"],
    "ip": ["1.2.3.4"],
    "loan": ["L1", "L2"],
    "officer": ["O1"],
    "person": ["P1"],
    "phone": ["+8613700000001", "+8613812345678", "+8613912345678"],
    "registration_agent": ["代账1"],
}

EXPECTED_EDGES = {
    ("ABOUT", "complaint", "borrower"): [("C1", "B1", "complaints", 2), ("C2", "B2", "complaints", 3)],
    ("ATTACHES", "complaint", "attachment"): [("C1", "abc", "complaints", 2), ("C1", "def", "complaints", 2),
                                              ("C2", "abc", "complaints", 3)],
    ("CLAIMS_EMPLOYER", "loan", "company"): [("L1", "91350100M000100Y43", "loans", 2)],
    ("FILED_FROM", "complaint", "phone"): [("C1", "+8613700000001", "complaints", 2)],
    ("HANDLED_BY", "loan", "officer"): [("L1", "O1", "loans", 2)],
    ("HAS_EMAIL", "borrower", "email"): [("B1", "a@x.com", "borrowers", 2)],
    ("HAS_LOAN", "borrower", "loan"): [("B1", "L1", "loans", 2), ("B2", "L2", "loans", 3)],
    ("HAS_PHONE", "borrower", "phone"): [("B1", "+8613812345678", "borrowers", 2),
                                         ("B2", "+8613812345678", "borrowers", 3),
                                         ("B3", "+8613912345678", "borrowers", 4)],
    ("HOLDS_ACCOUNT", "borrower", "account"): [("B1", "6222020000000001", "borrowers", 2),
                                               ("B1", "6222020000000002", "accounts", 2)],
    ("HOLDS_ROLE", "borrower", "company"): [("B1", "91350100M000100Y43", "company_roles", 2)],
    ("HOLDS_ROLE", "person", "company"): [("P1", "91350100M000100Y43", "company_roles", 3)],
    ("LISTS_CONTACT", "borrower", "phone"): [("B1", "+8613700000001", "contacts", 2),
                                             ("B2", "+8613700000001", "contacts", 3)],
    ("LIVES_AT", "borrower", "address"): [("B1", "北京市朝阳区建国路88号", "borrowers", 2),
                                          ("B2", "北京市朝阳区建国路88号", "borrowers", 3)],
    ("LOGGED_IN_FROM", "borrower", "ip"): [("B1", "1.2.3.4", "devices", 2), ("B2", "1.2.3.4", "devices", 3)],
    ("PAID", "borrower", "account"): [("B2", "6222020000000009", "payments", 2)],
    ("PAID", "company", "borrower"): [("91350100M000100Y43", "B1", "payments", 3)],
    ("PAID", "person", "account"): [("P1", "6222020000000001", "payments", 4)],
    ("PHONE_EVENT", "borrower", "phone"): [("B1", "+8613812345678", "phone_events", 2)],
    ("PROCEEDS_TO", "loan", "company"): [("L1", "91350100M000100Y43", "loans", 2)],
    ("REGISTERED_AT", "company", "address"): [("91350100M000100Y43", "北京市朝阳区建国路88号", "companies", 2)],
    ("REGISTERED_BY", "company", "registration_agent"): [("91350100M000100Y43", "代账1", "companies", 2)],
    ("REPAID", "borrower", "loan"): [("B2", "L1", "payments", 2)],
    ("REPRESENTED_BY", "complaint", "agent"): [("C1", "张律师", "complaints", 2)],
    ("USED_DEVICE", "borrower", "device"): [("B1", "490154203237518", "devices", 2),
                                            ("B2", "490154203237518", "devices", 3),
                                            ("B3", "a1b2c3d4e5f6a7b8", "devices", 8)],
    ("VIA", "loan", "intermediary"): [("L1", "中介A", "loans", 2)],
}

JUNK = {"000000000000000", "02:00:00:00:00:00", "unknown", "9774d56d682e549c", "0.0.0.0", "00000000000",
        "+8600000000000", "13800138000", "+8613800138000", "d41d8cd98f00b204e9800998ecf8427e", "无", "不详",
        "0000000000000000"}


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    return validate_folder(_write(tmp_path_factory.mktemp("bank"), FILES))


@pytest.fixture(scope="module")
def g(validated) -> GraphFrames:
    return build_frames(validated.tables)


def test_node_table_per_kind(g) -> None:
    assert {k: sorted(df["key"].tolist()) for k, df in g.nodes.items()} == EXPECTED_NODES
    for kind, df in g.nodes.items():
        assert df["key"].is_unique, kind
        assert df["key"].notna().all() and (df["key"].astype(str).str.strip() != "").all(), kind
        assert kind in ENTITY_KINDS


def test_edge_table_per_type_and_kinds_pointing_back_to_input_rows(g) -> None:
    got = {k: sorted(map(tuple, df[["src", "dst", "_table", "_row"]].astype(object).values.tolist()))
           for k, df in g.edges.items()}
    assert got == {k: sorted(v) for k, v in EXPECTED_EDGES.items()}
    # every edge end is a node
    for (t, sk, dk), df in g.edges.items():
        assert set(df["src"]) <= set(g.nodes[sk]["key"]), t
        assert set(df["dst"]) <= set(g.nodes[dk]["key"]), t


def test_counts_use_labels(g) -> None:
    c = g.counts()
    assert c["nodes"]["Borrower"] == 3 and c["nodes"]["RegistrationAgent"] == 1
    assert c["relationships"]["PAID"] == 3
    assert c["relationships"]["HOLDS_ROLE"] == 2
    assert sum(c["relationships"].values()) == sum(len(v) for v in EXPECTED_EDGES.values())
    assert set(c["nodes"]) == {label_of(k) for k in EXPECTED_NODES}


def test_edge_properties_carried(g) -> None:
    e = g.edge_table("LISTS_CONTACT", "borrower", "phone")
    assert e["relation"].tolist() == ["friend", "friend"]
    e = g.edge_table("PAID", "company", "borrower")
    assert e["amount"].tolist() == [5000.0] and e["purpose"].tolist() == ["salary"]
    assert g.edge_table("HAS_PHONE", "nobody", "nothing").empty


def test_entity_nodes_carry_their_row_properties(g) -> None:
    b = g.nodes["borrower"].set_index("key")
    assert b.loc["B1", "phone"] == "+8613812345678"
    assert b.loc["B1", "_row"] == 2
    ph = g.nodes["phone"].set_index("key")
    assert ph.loc["+8613812345678", "phone_kind"] == "mobile"
    assert g.nodes["address"].set_index("key").loc["北京市朝阳区建国路88号", "text"] == "北京市朝阳区建国路88号"


def test_junk_identifiers_never_become_nodes_or_edges(g) -> None:
    for kind, df in g.nodes.items():
        assert not (set(df["key"].astype(str)) & JUNK), kind
    for k, df in g.edges.items():
        ends = set(df["src"].astype(str)) | set(df["dst"].astype(str))
        assert not (ends & JUNK), k
    assert "B3" not in set(g.edge_table("LISTS_CONTACT", "borrower", "phone")["src"])
    assert "C2" not in set(g.edge_table("FILED_FROM", "complaint", "phone")["src"])


@pytest.mark.parametrize("device", sorted(JUNK_DEVICE_IDS) + [
    "000000000000000", "00000000-0000-0000-0000-000000000000", "unknown", "未知", "N/A", "-", "0", "null",
    "ffffffffffffffff", "IMEI:000000000000000", "０００００００００００００００"])
def test_each_junk_device_id_never_a_node(tmp_path: Path, device: str) -> None:
    _write(tmp_path, {"borrowers.csv": "borrower_id\nB1\nB2\n",
                      "devices.csv": f"borrower_id,device_id\nB1,{device}\nB2,{device}\n"})
    v = validate_folder(tmp_path)
    g = build_frames(v.tables)
    assert "device" not in g.nodes or g.nodes["device"].empty
    assert not any(k[0] == "USED_DEVICE" and len(df) for k, df in g.edges.items())
    assert v.counts.loc["devices", "rejected"] == 2
    assert set(v.problems["code"]) == {"junk_identifier"}


def test_shared_real_device_links_two_borrowers(tmp_path: Path) -> None:
    _write(tmp_path, {"borrowers.csv": "borrower_id\nB1\nB2\n",
                      "devices.csv": "borrower_id,device_id\nB1,IMEI: 4901 5420 3237 518\nB2,490154203237518\n"})
    g = build_frames(validate_folder(tmp_path).tables)
    assert g.nodes["device"]["key"].tolist() == ["490154203237518"]
    assert len(g.edge_table("USED_DEVICE", "borrower", "device")) == 2


def test_build_frames_on_borrowers_only_and_empty() -> None:
    t = {"borrowers": pd.DataFrame({"borrower_id": ["B1"], "phone": [None], "_row": [2]})}
    g = build_frames(t)
    assert g.nodes["borrower"]["key"].tolist() == ["B1"]
    assert all(df.empty for k, df in g.nodes.items() if k != "borrower")
    assert all(df.empty for df in g.edges.values())
    assert g.counts()["nodes"]["Borrower"] == 1
    g = build_frames({})
    assert g.nodes == {} and g.edges == {}
    assert g.counts() == {"nodes": {}, "relationships": {}}


def test_relationship_catalogue_is_consistent() -> None:
    kinds = set(ENTITY_KINDS) | {"party"}
    for rel in RELATIONSHIPS:
        assert rel.src_kind in kinds and rel.dst_kind in kinds, rel
    assert split_node_id(node_id("ip", "2001:db8::1")) == ("ip", "2001:db8::1")


# --- the in-memory store --------------------------------------------------------------------------

def test_memory_store_load_then_subgraph(g) -> None:
    s = MemoryStore()
    res = s.load(g)
    assert res.counts == g.counts()
    assert res.rows == sum(len(d) for d in g.nodes.values()) + sum(len(d) for d in g.edges.values())
    sub = s.subgraph(["borrower:B3"], hops=2)
    assert sorted(sub.nodes) == ["borrower:B3", "device:a1b2c3d4e5f6a7b8", "phone:+8613912345678"]
    sub = s.subgraph(["borrower:B2"], hops=2)
    # B2 shares a phone, an address, a device and an IP with B1, and a contact phone
    assert "borrower:B1" in sub.nodes
    assert sub.nodes["borrower:B1"]["kind"] == "borrower"
    types = {d["type"] for _, _, d in sub.edges(data=True)}
    assert {"HAS_PHONE", "USED_DEVICE", "LIVES_AT", "LOGGED_IN_FROM", "LISTS_CONTACT"} <= types
    for u, v, d in sub.edges(data=True):
        assert d["_table"] and d["_row"] >= 2           # evidence points back to an input row
    only = s.subgraph(["borrower:B1"], hops=0)
    assert list(only.nodes) == ["borrower:B1"] and only.number_of_edges() == 0
    with pytest.raises(ValueError):
        s.subgraph(["borrower:B1"], hops=-1)
    assert s.subgraph(["borrower:NOPE"], hops=3).number_of_nodes() == 0


def test_loading_twice_leaves_the_same_counts(validated) -> None:
    s = MemoryStore()
    s.load(build_frames(validated.tables))
    first = s.counts()
    second = s.load(build_frames(validated.tables)).counts
    assert second == first == s.counts()
    assert s.to_networkx().number_of_edges() == sum(first["relationships"].values())
    assert s.to_networkx().number_of_nodes() == sum(first["nodes"].values())


def test_loading_twice_leaves_the_same_tables(validated) -> None:
    s = MemoryStore()
    s.load(build_frames(validated.tables))
    before = {k: len(t) for k, t in s.fetch_frames().tables.items()}
    s.load(build_frames(validated.tables))
    assert {k: len(t) for k, t in s.fetch_frames().tables.items()} == before


def test_loading_more_data_merges(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    _write(a, {"borrowers.csv": "borrower_id,phone\nB1,13812345678\n"})
    _write(b, {"borrowers.csv": "borrower_id,phone\nB2,13812345678\n"})
    s = MemoryStore()
    s.load(build_frames(validate_folder(a).tables))
    s.load(build_frames(validate_folder(b).tables))
    assert s.counts()["nodes"] == {"Borrower": 2, "Phone": 1}
    # both rows are row 2 of borrowers, of different borrowers: both edges kept
    assert s.counts()["relationships"] == {"HAS_PHONE": 2}
    assert sorted(s.subgraph(["borrower:B1"], hops=2).nodes) == ["borrower:B1", "borrower:B2",
                                                                 "phone:+8613812345678"]


def _strs(values) -> pd.Series:
    return pd.Series(pd.array(values, dtype="str"))


@pytest.mark.parametrize("known", [None, [], ["z"], ["a"], ["b", "a", "c", "d"]])
def test_sorted_distinct_is_the_pandas_unique_sort_and_difference(known) -> None:
    from graphring.graph.model import _sorted_distinct

    series = [_strs(["b", "a", "c"]), _strs(["c", "e"])]
    keys = pd.Index(pd.unique(pd.concat(series, ignore_index=True)))
    want = keys.sort_values() if known is None else keys.difference(pd.Index(_strs(known)))
    got = _sorted_distinct(series, None if known is None else _strs(known))
    assert got.equals(want) and got.dtype == want.dtype


def test_left_join_first_is_the_merge_on_first_rows() -> None:
    from graphring.graph.model import _left_join_first

    nodes = pd.DataFrame({"key": _strs(["a", "b", "c"]), "n": [1, 2, 3]})
    props = pd.DataFrame({"key": _strs(["b", "x", "b", "a"]),
                          "kind": _strs(["first", "x", "second", "other"]),
                          "text": pd.Series(["t1", "tx", "t2", None], dtype=object)})
    want = nodes.merge(props.drop_duplicates("key"), on="key", how="left")
    pd.testing.assert_frame_equal(_left_join_first(nodes, props), want, check_exact=True)
