"""Families of rings (全链条) for the report: which rings one supplier links, and the evidence of each link.

``rings.json`` ``ring_links`` holds one record per pair of rings and kind of link
(``rings``, ``kind``: ``script`` or the link kind of a shared identifier, ``n``,
``examples``, ``family``). :func:`ring_families` groups them by family,
:func:`link_examples` turns a link's examples into masked display text (the
examples are borrower ids and identifiers from the input: masked unless
``reveal``, and escaped by whoever renders them).

Examples
--------
>>> links = [{"rings": ["R0001", "R0003"], "kind": "script", "n": 4, "examples": ["B0001~B0107"], "family": "F001"},
...          {"rings": ["R0003", "R0004"], "kind": "intermediary", "n": 1,
...           "examples": ["intermediary:上海辉博助贷服务中心"], "family": "F001"}]
>>> fams = ring_families(links, order=["R0001", "R0002", "R0003", "R0004"])
>>> fams["F001"]["rings"], fams["F001"]["kinds"]
(['R0001', 'R0003', 'R0004'], ['script', 'intermediary'])
>>> family_of(fams)
{'R0001': 'F001', 'R0003': 'F001', 'R0004': 'F001'}
>>> from graphring.present.privacy import Masker
>>> link_examples(links[0], Masker()), link_examples(links[1], Masker(), "en")
(['B***1 与 B***7 的投诉信'], ['intermediary 上海******中心'])
>>> link_examples(links[1], Masker(reveal=True))
['中介 上海辉博助贷服务中心']
"""

from __future__ import annotations

from graphring.present.i18n import kind_name, msg

__all__ = ["ring_families", "family_of", "link_examples", "links_by_ring"]


def ring_families(ring_links, order=()) -> dict[str, dict]:
    """Family id -> ``rings`` (in ``order``, the run's rank order, then by id), ``links``, ``kinds``.

    Parameters
    ----------
    ring_links : list of dict or None
        ``rings.json`` ``ring_links`` (None for a run written before links existed).
    order : sequence of str
        Ring ids in rank order (rings not in it come last, by id).

    Returns
    -------
    dict
        Families sorted by id; ``kinds`` lists each kind of link once, the most frequent first (ties in
        the order they come).
        Records without a family or without two rings are left out.
    """
    rank = {str(r): i for i, r in enumerate(order)}
    fams: dict[str, dict] = {}
    for rec in ring_links or []:
        if not isinstance(rec, dict):
            continue
        fid, pair = rec.get("family"), [str(x) for x in (rec.get("rings") or [])]
        if not fid or len(pair) < 2:
            continue
        f = fams.setdefault(str(fid), {"rings": set(), "links": [], "count": {}})
        f["rings"].update(pair)
        f["links"].append(rec)
        k = str(rec.get("kind") or "")
        f["count"][k] = f["count"].get(k, 0) + 1
    out = {}
    for fid in sorted(fams):
        f = fams[fid]
        out[fid] = {"rings": sorted(f["rings"], key=lambda r: (rank.get(r, len(rank)), r)), "links": f["links"],
                    "kinds": sorted(f["count"], key=lambda k: -f["count"][k])}
    return out


def family_of(families: dict) -> dict[str, str]:
    """Ring id -> its family id (rings in no family are absent)."""
    return {r: fid for fid, f in families.items() for r in f["rings"]}


def links_by_ring(families: dict) -> dict[str, list[dict]]:
    """Ring id -> its links, each naming the other ring as ``other``, by other ring then most shared first.

    Examples
    --------
    >>> f = ring_families([{"rings": ["R1", "R2"], "kind": "script", "n": 2, "examples": [], "family": "F001"}])
    >>> [(x["other"], x["kind"]) for x in links_by_ring(f)["R2"]]
    [('R1', 'script')]
    """
    out: dict[str, list[dict]] = {}
    for f in families.values():
        for rec in f["links"]:
            pair = [str(x) for x in rec.get("rings") or []]
            for i, rid in enumerate(pair[:2]):
                out.setdefault(rid, []).append({**rec, "other": pair[1 - i]})
    for v in out.values():
        v.sort(key=lambda x: (x["other"], -int(x.get("n") or 0), str(x.get("kind"))))
    return out


def link_examples(link: dict, masker, lang: str = "zh") -> list[str]:
    """A link's examples as plain text for readers, masked by ``masker`` (a :class:`graphring.present.privacy.Masker`).

    A ``script`` example is a pair of borrowers whose letters are near-identical (``u~v``); any
    other is a shared identifier ``kind:key``.
    """
    out = []
    for ex in link.get("examples") or []:
        s = str(ex)
        if link.get("kind") == "script" and "~" in s:
            a, _, b = s.partition("~")
            out.append(msg("family_ex_script", lang, a=masker.entity("borrower", a), b=masker.entity("borrower", b)))
        elif ":" in s:
            kind, _, key = s.partition(":")
            out.append(f"{kind_name(kind, lang)} {masker.entity(kind, key)}")
        else:
            out.append(masker.entity("identifier", s))
    return out
