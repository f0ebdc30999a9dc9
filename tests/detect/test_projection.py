"""The borrower projection on hand-made incidence tables: rarity, hubs, company-derived ties, templates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphring.detect.projection import LINKS, TEXT_RARITY, LinkKind, project


def _inc(rows):
    df = pd.DataFrame(rows, columns=["borrower", "ident", "link", "via"])
    return df.assign(table="t", row=np.arange(2, len(df) + 2))[["borrower", "ident", "link", "table", "row", "via"]]


def _w(edges, u, v):
    e = edges[(edges["u"] == u) & (edges["v"] == v)]
    return float(e["weight"].iloc[0]) if len(e) else 0.0


def test_rarity_weights_pairs_by_share_count():
    inc = _inc([("a", "phone:1", "complaint_phone", None), ("b", "phone:1", "complaint_phone", None),
                ("c", "phone:2", "complaint_phone", None), ("d", "phone:2", "complaint_phone", None),
                ("e", "phone:2", "complaint_phone", None)])
    p = project(inc)
    w = LINKS["complaint_phone"].weight
    assert _w(p.edges, "a", "b") == pytest.approx(w / 1 ** 0.5)
    assert _w(p.edges, "c", "d") == pytest.approx(w / 2 ** 0.5)  # shared by three: weaker per pair
    assert _w(p.edges, "a", "c") == 0.0
    assert list(p.edges.columns) == ["u", "v", "weight", "links", "text_weight"]
    assert (p.edges["text_weight"] == 0).all()  # no letters: nothing corroborating
    assert (p.edges["u"] < p.edges["v"]).all()
    # every incidence row keeps its input row and gets the share count
    assert p.incidence["n"].tolist() == [2, 2, 3, 3, 3]


def test_hubs_are_suppressed_and_listed():
    links = {**LINKS, "ip": LinkKind("ip", "ip", 0.5, 3, "test")}
    rows = [(b, "ip:10.0.0.1", "ip", None) for b in "abcd"] + [("a", "ip:10.0.0.2", "ip", None),
                                                             ("b", "ip:10.0.0.2", "ip", None)]
    p = project(_inc(rows), links)
    assert p.hubs[["ident", "n", "cap"]].values.tolist() == [["ip:10.0.0.1", 4, 3]]
    assert p.edges[["u", "v"]].values.tolist() == [["a", "b"]]  # only the non-hub address ties them


def test_company_ties_link_different_companies_only_and_once():
    ra = "registration_agent:X"
    inc = _inc([("a", ra, "company_agent", "co1"), ("b", ra, "company_agent", "co1"),  # colleagues: no tie
                ("c", ra, "company_agent", "co2"),                                   # other company: tie
                ("d", ra, "company_agent", "co1"), ("d", ra, "company_agent", "co3")])  # d: two companies
    p = project(inc)
    e = p.edges
    assert _w(e, "a", "b") == 0.0
    n = 4  # borrowers sharing the agent
    w = LINKS["company_agent"].weight / (n - 1) ** 0.5
    assert _w(e, "a", "c") == pytest.approx(w)
    # d reaches a through co3 (not the same company), counted once though it has two ties
    assert _w(e, "a", "d") == pytest.approx(w)
    assert set(e["links"]) == {"company_agent"}


def test_template_pairs_link_authors_directly_and_add_up():
    inc = _inc([("a", "agent:Z", "agent", None), ("b", "agent:Z", "agent", None),
                ("a", "template:T0", "template", None), ("b", "template:T0", "template", None),
                ("c", "template:T0", "template", None)])
    tp = pd.DataFrame({"u": ["b", "a", "c"], "v": ["a", "b", "a"], "similarity": [0.8, 0.9, 0.6],
                       "row_u": [2, 3, 4], "row_v": [3, 2, 2]})
    p = project(inc, text_pairs=tp)
    # a's letters resemble those of two borrowers (b, c), b's and c's one each: the circulation discount
    t = LINKS["template"].weight / (2 * 1) ** (TEXT_RARITY / 2)
    # a-b: the agent plus the best of their two letter pairs; the template group itself adds nothing
    assert _w(p.edges, "a", "b") == pytest.approx(LINKS["agent"].weight + t * 0.9)
    assert _w(p.edges, "a", "c") == pytest.approx(t * 0.6)
    assert _w(p.edges, "b", "c") == 0.0  # no letter pair between b and c: groups do not chain
    links = dict(zip(zip(p.edges["u"], p.edges["v"]), p.edges["links"]))
    assert links[("a", "b")] == "agent;template" and links[("a", "c")] == "template"


def _letters(pairs):
    u, v, sim = zip(*pairs)
    return pd.DataFrame({"u": u, "v": v, "similarity": sim, "row_u": 2, "row_v": 3})


def test_circulating_script_links_weaker_than_a_pair_of_one_hand():
    # x-y: two letters that resemble only each other; a-b: the same similarity, but a's and b's
    # letters also resemble those of ten other borrowers (a script passed around)
    others = [f"o{i}" for i in range(10)]
    tp = _letters([("x", "y", 0.8), ("a", "b", 0.8)] + [(w, o, 0.8) for w in "ab" for o in others])
    p = project(_inc([]), text_pairs=tp)
    alone, circulating = _w(p.edges, "x", "y"), _w(p.edges, "a", "b")
    assert alone == pytest.approx(LINKS["template"].weight * 0.8)  # silent on a private pair
    assert circulating == pytest.approx(alone / 11 ** TEXT_RARITY)  # fires on a circulating script
    assert circulating < alone


def test_script_letters_of_clients_seen_in_one_city_are_not_discounted():
    # the same circulating script as above; a's and b's own SIMs were both seen in one city that is not
    # their home (an agency's city), o0's in another: a-b keeps the full letter weight, a-o0 does not
    others = [f"o{i}" for i in range(10)]
    tp = _letters([("a", "b", 0.8)] + [(w, o, 0.8) for w in "ab" for o in others])
    away = pd.DataFrame({"borrower": ["a", "b", "o0"], "city": ["南阳市", "南阳市", "上海市"]})
    p = project(_inc([]), text_pairs=tp, colocated=away)
    q = project(_inc([]), text_pairs=tp)
    assert _w(p.edges, "a", "b") == pytest.approx(LINKS["template"].weight * 0.8)  # fires: one agency's city
    assert _w(q.edges, "a", "b") < _w(p.edges, "a", "b")
    assert _w(p.edges, "a", "o0") == pytest.approx(_w(q.edges, "a", "o0"))  # silent: different cities


def test_script_letters_of_one_phone_swap_campaign_are_not_discounted():
    # the same circulating script; a, b and o0 had their account phones swapped before complaining.
    # a and b complained three weeks apart (one campaign), o0 five months later (another group using
    # the script): a-b keeps the full letter weight, a-o0 is discounted like any circulating script
    others = [f"o{i}" for i in range(10)]
    tp = _letters([("a", "b", 0.8)] + [(w, o, 0.8) for w in "ab" for o in others])
    campaign = pd.Series(pd.to_datetime(["2025-03-01", "2025-03-22", "2025-08-01"]), index=["a", "b", "o0"])
    p = project(_inc([]), text_pairs=tp, campaign=campaign)
    q = project(_inc([]), text_pairs=tp)
    assert _w(p.edges, "a", "b") == pytest.approx(LINKS["template"].weight * 0.8)  # fires: one campaign
    assert _w(q.edges, "a", "b") < _w(p.edges, "a", "b")
    assert _w(p.edges, "a", "o0") == pytest.approx(_w(q.edges, "a", "o0"))  # silent: months apart
    assert _w(p.edges, "a", "o1") == pytest.approx(_w(q.edges, "a", "o1"))  # silent: o1 swapped nothing


def test_account_swaps_are_the_unbind_and_bind_just_before_the_first_complaint(tmp_path):
    from graphring.detect.projection import account_swaps, swap_campaigns
    from helpers import borrowers, graph_of

    b = borrowers(3)
    ids = [x["borrower_id"] for x in b]
    pe = [{"borrower_id": ids[0], "phone": b[0]["phone"], "event": "unbind", "at": "2025-03-01"},
          {"borrower_id": ids[0], "phone": "13752018421", "event": "bind", "at": "2025-03-02"},
          # an honest number change a year before the complaint
          {"borrower_id": ids[1], "phone": b[1]["phone"], "event": "unbind", "at": "2024-03-01"},
          {"borrower_id": ids[1], "phone": "13752028421", "event": "bind", "at": "2024-03-02"},
          # a bind alone (a new account) is no swap
          {"borrower_id": ids[2], "phone": b[2]["phone"], "event": "bind", "at": "2025-03-02"}]
    comp = [{"complaint_id": f"C{i}", "borrower_id": x, "received_at": "2025-03-20", "channel": "regulator"}
            for i, x in enumerate(ids)]
    g = graph_of(tmp_path, {"borrowers": b, "phone_events": pe, "complaints": comp})
    sw = account_swaps(g)
    assert set(sw["src"]) == {ids[0]} and sorted(sw["event"]) == ["bind", "unbind"]
    assert swap_campaigns(g).to_dict() == {ids[0]: pd.Timestamp("2025-03-20")}


def test_contact_number_named_by_many_borrowers_links_them():
    # one emergency-contact number named by 100 unrelated borrowers is the malicious-claim trace: a link
    n = 100
    p = project(_inc([(f"b{i:03d}", "phone:1", "contact_phone", None) for i in range(n)]))
    assert len(p.hubs) == 0 and len(p.edges) == n * (n - 1) // 2
    assert _w(p.edges, "b000", "b001") == pytest.approx(LINKS["contact_phone"].weight / (n - 1) ** 0.5)
    # beyond the cap it is a hub (a switchboard named by thousands) and makes no link
    m = LINKS["contact_phone"].max_share + 1
    p = project(_inc([(f"b{i:04d}", "phone:2", "contact_phone", None) for i in range(m)]))
    assert len(p.edges) == 0 and p.hubs["ident"].tolist() == ["phone:2"]


def test_empty_incidence():
    p = project(_inc([]))
    assert len(p.edges) == 0 and len(p.hubs) == 0
