"""Judge found rings against planted truth, exactly as DATA_CONTRACT.md defines.

Judging uses borrowers only. A planted ring is *found* when some reported
ring's borrower set has Jaccard similarity >= 0.5 with it. Reported rings are
ranked by their highest member score; the top K (K = number of planted rings)
are judged:

- ring recall: planted rings found (by any reported ring) / planted rings, also per typology;
- ring precision@K: top-K rings matching a planted ring / K;
- benign in top K: top-K rings with at least half of their borrowers in one BENIGN group;
- member precision and recall: borrowers of the top-K rings against all planted borrowers;
- typology accuracy: of the planted rings found, the share whose best-matching reported ring (highest
  Jaccard) carries the planted typology (``mixed`` and ``unclassified`` count as wrong), with the
  confusion table planted typology x reported typology.

Examples
--------
>>> import pandas as pd
>>> truth = pd.DataFrame({"ring_id": ["P1"] * 3 + ["P2"] * 2 + ["BENIGN-1"] * 3, "typology": ["proxy_complaint"] * 3
...                       + ["debt_carrier"] * 2 + ["benign"] * 3, "kind": "borrower",
...                       "id": ["a", "b", "c", "d", "e", "x", "y", "z"]})
>>> found = pd.DataFrame({"ring_id": ["R1"] * 3 + ["R2"] * 3, "score": [0.9] * 3 + [0.8] * 3, "kind": "borrower",
...                       "id": ["a", "b", "q", "x", "y", "z"]})
>>> r = evaluate(found, truth)
>>> (r["ring_recall"], r["precision_at_k"], r["benign_in_top_k"], r["member_precision"], r["member_recall"])
(0.5, 0.5, 1, 0.333333, 0.4)
>>> found["typology"] = "proxy_complaint"
>>> r = evaluate(found, truth)
>>> r["typology_accuracy"], r["typology_confusion"]
(1.0, {'proxy_complaint': {'proxy_complaint': 1}})
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphring.errors import InputError

__all__ = ["evaluate", "load_truth", "jaccard"]


def jaccard(a: set, b: set) -> float:
    """Jaccard similarity of two sets (0 for two empty sets).

    Examples
    --------
    >>> jaccard({1, 2}, {2, 3})
    0.3333333333333333
    """
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def load_truth(path: str | Path) -> pd.DataFrame:
    """Read ``truth.csv`` (``ring_id,typology,kind,id``)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"truth file not found: {p}")
    try:
        t = pd.read_csv(p, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise InputError(f"cannot read truth file {p}: {exc}") from None
    missing = {"ring_id", "typology", "kind", "id"} - set(t.columns)
    if missing:
        raise InputError(f"truth file {p} lacks column(s): {', '.join(sorted(missing))}")
    return t


def evaluate(found: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """Judging figures for reported rings (``ring_members.csv`` rows) against truth rows."""
    fb = found[found["kind"] == "borrower"]
    tb = truth[truth["kind"] == "borrower"]
    benign = tb[tb["ring_id"].astype(str).str.startswith("BENIGN")]
    planted = tb[~tb["ring_id"].astype(str).str.startswith("BENIGN")]
    planted_sets = {r: set(g["id"]) for r, g in planted.groupby("ring_id")}
    planted_typ = planted.groupby("ring_id")["typology"].first().to_dict()
    benign_sets = [set(g["id"]) for _, g in benign.groupby("ring_id")]
    found_sets = {r: set(g["id"]) for r, g in fb.groupby("ring_id")}
    scores = pd.to_numeric(found["score"], errors="coerce").groupby(found["ring_id"]).max()
    ranked = sorted(found_sets, key=lambda r: (-scores.get(r, 0.0), str(r)))
    k = len(planted_sets)
    top = ranked[:k]

    def best_match(fs: set) -> tuple[str | None, float]:
        best, bj = None, 0.0
        for pr, ps in planted_sets.items():
            j = jaccard(fs, ps)
            if j > bj:
                best, bj = pr, j
        return best, bj

    found_planted = set()
    for r in ranked:
        p, j = best_match(found_sets[r])
        if j >= 0.5:
            found_planted.add(p)
        # a reported ring can also match more than one planted ring only if sets overlap; check all
        for pr, ps in planted_sets.items():
            if jaccard(found_sets[r], ps) >= 0.5:
                found_planted.add(pr)
    # typology of the best-matching reported ring of each planted ring found
    typ_of = (found.drop_duplicates("ring_id").set_index("ring_id")["typology"].astype(str).to_dict()
              if "typology" in found.columns else {})
    confusion: dict[str, dict[str, int]] = {}
    right = judged = 0
    if typ_of:
        for pr, ps in planted_sets.items():
            if pr not in found_planted:
                continue
            best = max(ranked, key=lambda r: (jaccard(found_sets[r], ps), -ranked.index(r)))
            got = typ_of.get(best, "none")
            row = confusion.setdefault(planted_typ[pr], {})
            row[got] = row.get(got, 0) + 1
            judged += 1
            right += got == planted_typ[pr]
    top_match = [r for r in top if any(jaccard(found_sets[r], ps) >= 0.5 for ps in planted_sets.values())]
    benign_top = [r for r in top if any(len(found_sets[r] & bs) >= 0.5 * len(found_sets[r]) for bs in benign_sets)]
    top_b = set().union(*[found_sets[r] for r in top]) if top else set()
    all_planted = set().union(*planted_sets.values()) if planted_sets else set()
    per_typ = {}
    for t in sorted(set(planted_typ.values())):
        rs = [r for r, tt in planted_typ.items() if tt == t]
        per_typ[t] = {"planted": len(rs), "found": sum(r in found_planted for r in rs),
                      "recall": round(sum(r in found_planted for r in rs) / len(rs), 6)}
    return {
        "planted_rings": k,
        "reported_rings": len(found_sets),
        "ring_recall": round(len(found_planted) / k, 6) if k else 0.0,
        "precision_at_k": round(len(top_match) / k, 6) if k else 0.0,
        "benign_in_top_k": len(benign_top),
        "member_precision": round(len(top_b & all_planted) / len(top_b), 6) if top_b else 0.0,
        "member_recall": round(len(top_b & all_planted) / len(all_planted), 6) if all_planted else 0.0,
        "per_typology": per_typ,
        "typology_accuracy": round(right / judged, 6) if judged else None,
        "typology_confusion": {k: dict(sorted(v.items())) for k, v in sorted(confusion.items())},
        "missed": sorted(set(planted_sets) - found_planted),
        "benign_top_k_rings": benign_top,
    }
