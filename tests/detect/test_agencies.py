"""Agency cells: sub-teams of one proxy agency joined, and what keeps different rings apart."""

from __future__ import annotations

import pandas as pd

from graphring.detect.agencies import agency_markers, join_cells
from graphring.pipeline import rings_from_frames
from helpers import borrowers, graph_of


def _markers(groups: dict[str, tuple[list[str], str]]) -> pd.DataFrame:
    """Sightings: month -> (borrowers, city); each borrower on one of four days, a few days apart."""
    rows = []
    for month, (bs, city) in groups.items():
        for i, b in enumerate(bs):
            rows.append((b, city, pd.Timestamp(f"2025-{month}-{1 + 3 * (i % 4):02d}")))
    return pd.DataFrame(rows, columns=["borrower", "city", "t"])


def _chain(bs: list[str], links: str = "bound_phone") -> list[tuple[str, str, str]]:
    return [(a, b, links) for a, b in zip(bs, bs[1:])]


def _edges(*chains) -> pd.DataFrame:
    return pd.DataFrame([e for c in chains for e in c], columns=["u", "v", "links"])


A, B, C = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]
MEMBERSHIP = pd.Series([0] * 4 + [1] * 3 + [2] * 3, index=A + B + C)


def test_cells_seen_in_one_city_at_one_time_join():
    mk = _markers({"07": (A + B, "南阳市")})
    out, joins = join_cells(MEMBERSHIP, mk, _edges(_chain(A), _chain(B)), min_size=3, max_size=400)
    assert out[A + B].tolist() == [0] * 7  # the joined cells keep the smaller label
    assert out[C].tolist() == [2, 2, 2]
    assert joins[["community", "into", "city"]].values.tolist() == [[1, 0, "南阳市"]]


def test_cells_in_different_cities_stay_apart():
    mk = pd.concat([_markers({"07": (A, "南阳市")}), _markers({"07": (B, "郑州市")})])
    out, joins = join_cells(MEMBERSHIP, mk, _edges(_chain(A), _chain(B)), min_size=3, max_size=400)
    assert out.equals(MEMBERSHIP) and joins.empty


def test_cells_months_apart_stay_apart():
    mk = pd.concat([_markers({"03": (A, "南阳市")}), _markers({"09": (B, "南阳市")})])
    out, joins = join_cells(MEMBERSHIP, mk, _edges(_chain(A), _chain(B)), min_size=3, max_size=400)
    assert out.equals(MEMBERSHIP) and joins.empty


def test_a_community_with_its_own_script_or_agent_is_a_ring_not_a_cell():
    """Two agencies in one city, one with its own agent: detection's borders are kept."""
    mk = _markers({"07": (A + B, "南阳市")})
    edges = _edges(_chain(A, "agent;bound_phone"), _chain(B))
    out, joins = join_cells(MEMBERSHIP, mk, edges, min_size=3, max_size=400)
    assert out.equals(MEMBERSHIP) and joins.empty


def test_too_few_marked_members_is_no_cell():
    mk = _markers({"07": (A[:2] + B, "南阳市")})  # 2 of 4 in community 0: under MIN_SHARE
    out, _ = join_cells(MEMBERSHIP, mk, _edges(_chain(A), _chain(B)), min_size=3, max_size=400)
    assert out.equals(MEMBERSHIP)


def test_no_join_beyond_max_size():
    mk = _markers({"07": (A + B + C, "南阳市")})
    out, joins = join_cells(MEMBERSHIP, mk, _edges(_chain(A), _chain(B), _chain(C)), min_size=3, max_size=7)
    assert out.value_counts().max() <= 7
    assert len(joins) == 1


def _agency_tables(n_cells: int = 2, per_cell: int = 4, city: str = "南阳", months=("07", "07")):
    b = borrowers(n_cells * per_cell)
    pe = []
    for k in range(n_cells):
        agency_phone = f"13752{k:02d}8421"  # one phone the agency controls per cell
        for i, x in enumerate(b[k * per_cell:(k + 1) * per_cell]):
            day = f"2025-{months[k]}-{5 + 4 * i + k:02d}"  # the agency collects its clients' SIMs over weeks
            pe += [{"borrower_id": x["borrower_id"], "phone": x["phone"], "event": "location",
                    "at": f"{day} 10:00:00", "city": city},
                   {"borrower_id": x["borrower_id"], "phone": x["phone"], "event": "unbind", "at": f"{day} 12:00:00"},
                   {"borrower_id": x["borrower_id"], "phone": agency_phone, "event": "bind", "at": f"{day} 13:00:00"}]
    return {"borrowers": b, "phone_events": pe}


def test_agency_markers_need_a_sighting_near_an_unbind_and_a_bind(tmp_path):
    t = _agency_tables(1, 3)
    b = t["borrowers"]
    # a traveller: seen away, never swapped the account phone
    t["phone_events"].append({"borrower_id": "X1", "phone": "13911112222", "event": "location",
                              "at": "2025-07-10 10:00:00", "city": "南阳"})
    t["borrowers"] = b + borrowers(1, prefix="X", phone="13911112222")
    t["borrowers"][-1]["borrower_id"] = "X1"
    # a phone changed a year before the trip
    extra = borrowers(1, prefix="Y")[0] | {"borrower_id": "Y1", "phone": "13922223333"}
    t["borrowers"].append(extra)
    t["phone_events"] += [{"borrower_id": "Y1", "phone": "13922223333", "event": "unbind", "at": "2024-06-01"},
                          {"borrower_id": "Y1", "phone": "13700009999", "event": "bind", "at": "2024-06-02"},
                          {"borrower_id": "Y1", "phone": "13922223333", "event": "location",
                           "at": "2025-07-10 10:00:00", "city": "南阳"}]
    mk = agency_markers(graph_of(tmp_path, t))
    assert set(mk["borrower"]) == {x["borrower_id"] for x in b}


def test_rings_join_the_cells_of_one_agency(tmp_path):
    g = graph_of(tmp_path, _agency_tables(2, 4))
    res = rings_from_frames(g, min_score=0.0)
    found = [set(r.borrowers) for r in res.rings]
    assert {f"B{i:03d}" for i in range(8)} in found
    assert res.partition.params["agency_cells_joined"] == 1


def test_rings_keep_cells_of_different_months_apart(tmp_path):
    g = graph_of(tmp_path, _agency_tables(2, 4, months=("03", "09")))
    res = rings_from_frames(g, min_score=0.0)
    found = [set(r.borrowers) for r in res.rings]
    assert {f"B{i:03d}" for i in range(4)} in found and {f"B{i:03d}" for i in range(4, 8)} in found
    assert res.partition.params["agency_cells_joined"] == 0


# --- one organiser's identifier held whole: the pieces detection cut are joined (join_organiser_cells) ---

from graphring.detect.agencies import join_organiser_cells  # noqa: E402
from graphring.ingest.checkdigits import uscc_check_char  # noqa: E402
from graphring.detect.projection import Projection  # noqa: E402


def _uscc(i: int) -> str:
    body = f"91370202MA8U{i:04d}L"
    return body + uscc_check_char(body)


def _packager_tables(blocks: int, per: int, honest_staff: int = 0) -> dict[str, list[dict]]:
    """A carrier packager: blocks of ``per`` borrowers, each block on one account the packager runs, all
    of them "employees" of one shell (plus ``honest_staff`` real employees who share nothing else)."""
    n = blocks * per
    b = borrowers(n + honest_staff)
    acc = [{"borrower_id": f"B{i:03d}", "account": f"62220200000{i // per:05d}", "kind": "debit"} for i in range(n)]
    roles = [{"uscc": _uscc(1), "person_id": f"B{i:03d}", "role": "employee"} for i in range(n + honest_staff)]
    return {"borrowers": b, "accounts": acc, "company_roles": roles,
            "companies": [{"uscc": _uscc(1), "name": "青岛某某科技有限公司", "address": "青岛市市南区北京路95号"}]}


def test_pieces_of_one_organisation_sharing_its_shell_whole_are_one_ring(tmp_path):
    # 4 blocks of 25 on their own accounts; the shell "employs" all 100 (a hub by count: no projection link)
    g = graph_of(tmp_path, _packager_tables(4, 25))
    res = rings_from_frames(g, min_score=0.0)
    found = [set(r.borrowers) for r in res.rings]
    assert {f"B{i:03d}" for i in range(100)} in found
    assert res.partition.params["organiser_cells_joined"] == 3


def test_blocks_inside_a_big_honest_employer_stay_apart(tmp_path):
    # the same blocks, but the company employs 300 more people who are in no ring: a business, not a shell
    g = graph_of(tmp_path, _packager_tables(4, 25, honest_staff=300))
    res = rings_from_frames(g, min_score=0.0)
    found = [set(r.borrowers) for r in res.rings]
    assert all({f"B{i:03d}" for i in range(25 * k, 25 * k + 25)} in found for k in range(4))
    assert res.partition.params["organiser_cells_joined"] == 0


def _inc(rows):
    return Projection(None, pd.DataFrame(rows, columns=["borrower", "ident", "link", "n"]), None)


M6 = pd.Series([0, 0, 0, 1, 1, 1], index=list("abcdef"))


def test_a_broker_or_agent_shared_whole_links_rings_but_never_joins_them():
    for link in ("intermediary", "company_agent", "agent", "complaint_phone", "attachment", "ip"):
        out, joins = join_organiser_cells(M6, _inc([(x, "k:1", link, 6) for x in "abcdef"]), 3, 400)
        assert out.tolist() == M6.tolist() and not len(joins), link


def test_one_members_account_does_not_pull_a_ring_into_another():
    # the account is shared by 4 borrowers, all in the two communities, but covers 1 of community 1's 3
    rows = [(x, "account:9", "account", 4) for x in "abcd"]
    out, joins = join_organiser_cells(M6, _inc(rows), 3, 400)
    assert out.tolist() == M6.tolist() and not len(joins)
    # covering two of three (>= PIECE_SHARE, but fewer than MIN_MARKED borrowers) does not either
    out, _ = join_organiser_cells(M6, _inc([(x, "account:9", "account", 5) for x in "abcde"]), 3, 400)
    assert out.tolist() == M6.tolist()


def test_organiser_joins_stop_at_max_size():
    rows = [(x, "company:S", "employer", 6) for x in "abcdef"]
    out, joins = join_organiser_cells(M6, _inc(rows), 3, 5)
    assert out.tolist() == M6.tolist() and not len(joins)
    out, joins = join_organiser_cells(M6, _inc(rows), 3, 6)
    assert out.tolist() == [0] * 6 and joins[["community", "into", "link", "n"]].values.tolist() == [[1, 0, "employer", 6]]
