"""Ring borders: colleagues riding on one member are let go; what a ring holds by evidence stays."""

from __future__ import annotations

import pandas as pd

from graphring.detect.borders import trim_borders
from graphring.detect.projection import Projection


def _proj(edges) -> Projection:
    e = pd.DataFrame(edges, columns=["u", "v", "links"]).assign(weight=1.0)
    return Projection(e, pd.DataFrame(), pd.DataFrame(), pd.Index(sorted(set(e["u"]) | set(e["v"]))))


def _clique(names, links):
    return [(a, b, links) for i, a in enumerate(names) for b in names[i + 1:]]


RING = ["r1", "r2", "r3", "r4"]
COLLEAGUES = ["w1", "w2", "w3", "w4"]


def test_colleagues_of_one_member_leave_the_ring():
    # the ring shares a bound phone; r2's four colleagues share only their employer with r2 and each other
    edges = _clique(RING, "bound_phone") + _clique(["r2"] + COLLEAGUES, "employer")
    membership = pd.Series(0, index=RING + COLLEAGUES)
    out, moved = trim_borders(membership, _proj(edges), min_size=3)
    assert moved == 4
    assert out[RING].tolist() == [0] * 4
    assert out[COLLEAGUES].nunique() == 1 and out["w1"] != 0


def test_a_block_tied_to_several_ring_members_stays():
    # a shell's fake payroll: the employer ties the new staff to three ring members, not one
    edges = _clique(RING, "bound_phone") + _clique(["r1", "r2", "r3"] + COLLEAGUES, "employer")
    membership = pd.Series(0, index=RING + COLLEAGUES)
    out, moved = trim_borders(membership, _proj(edges), min_size=3)
    assert moved == 0 and out.equals(membership)


def test_members_tied_by_evidence_are_core_whatever_else_they_share():
    # w1..w4 share a complaint agent with the ring: evidence, so they are core
    edges = (_clique(RING, "bound_phone") + _clique(["r2"] + COLLEAGUES, "employer")
             + [(w, "r1", "agent") for w in COLLEAGUES])
    membership = pd.Series(0, index=RING + COLLEAGUES)
    out, moved = trim_borders(membership, _proj(edges), min_size=3)
    assert moved == 0


def test_no_border_without_a_core_of_min_size():
    # an employer-only community (a company's staff): no evidence core, left as detection found it
    edges = _clique(COLLEAGUES, "employer")
    membership = pd.Series(0, index=COLLEAGUES)
    out, moved = trim_borders(membership, _proj(edges), min_size=3)
    assert moved == 0 and out.equals(membership)


def test_other_communities_and_unlinked_borrowers_keep_their_labels():
    edges = _clique(RING, "bound_phone") + _clique(["r2"] + COLLEAGUES, "employer") + _clique(["x1", "x2", "x3"],
                                                                                           "device")
    membership = pd.Series([0] * 8 + [1] * 3 + [2], index=RING + COLLEAGUES + ["x1", "x2", "x3", "lonely"])
    out, moved = trim_borders(membership, _proj(edges), min_size=3)
    assert moved == 4
    assert out[["x1", "x2", "x3"]].tolist() == [1, 1, 1] and out["lonely"] == 2
    assert out[COLLEAGUES].nunique() == 1 and out["w1"] not in (0, 1, 2)
