"""Ring history: stable ring ids across runs, and what happened to each ring.

Run ids (``R0001``...) are ranks within one run. An investigator who opened a
case on ``R0007`` last week needs to find it again this week, grown by five
borrowers, or learn that it merged into another ring. :func:`assign_ring_ids`
matches this run's rings to the previous run's by membership and

* keeps the previous id where a ring persists (one-to-one, best Jaccard first);
* gives never-used ids to new rings (the id counter survives gone rings);
* marks each ring ``new``, ``unchanged``, ``grown``, ``shrunk``, ``changed``
  (same size, members swapped), ``merged`` (took in at least half of two or more
  previous rings) or ``split`` (one of several rings that each took a good part of
  one previous ring), with the members that joined and left;
* lists the previous rings that are ``gone`` (and into which rings their members
  went, if any).

:func:`previous_partition` reads the previous run's partition; given as
``initial`` to :func:`graphring.pipeline.rings_from_frames` (``graphring rings
--previous``) it warm-starts Leiden or Louvain, so that small data changes do not
reshuffle the communities.

Examples
--------
>>> prev = {"R0001": {"a", "b", "c", "d"}, "R0002": {"e", "f", "g"}, "R0003": {"x", "y", "z"}}
>>> h = match_rings([{"a", "b", "c", "d", "h"}, {"e", "f", "g"}, {"p", "q", "r"}], prev, next_id=4)
>>> h.ids
['R0001', 'R0002', 'R0004']
>>> h.status["status"].tolist()
['grown', 'unchanged', 'new']
>>> h.gone["ring_id"].tolist()
['R0003']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graphring.errors import RunError
from graphring.files.safecsv import read_csv
from graphring.files.safepath import check_ring_id
from graphring.run import PARTITION, read_state

__all__ = ["RingHistory", "match_rings", "assign_ring_ids", "apply_history", "write_history", "read_history",
           "previous_rings", "previous_partition", "HISTORY_FILE"]

HISTORY_FILE = "ring_history.json"
_NUM = re.compile(r"(\d+)$")


@dataclass
class RingHistory:
    """Ids and fate of this run's rings relative to a previous run.

    Attributes
    ----------
    ids : list of str
        Ring id of each current ring, aligned with the input.
    status : DataFrame
        One row per current ring: ``ring_id, status, previous`` (previous ids it
        continues, ``;``-joined), ``jaccard`` (with the ring whose id it kept),
        ``size, previous_size, joined, left`` (member lists).
    gone : DataFrame
        Previous rings with no successor: ``ring_id, size, into`` (current rings that
        took some of their members), ``members``.
    next_id : int
        Next unused ring number.
    previous_run : str or None
    """

    ids: list[str]
    status: pd.DataFrame
    gone: pd.DataFrame
    next_id: int
    previous_run: str | None = None
    params: dict = field(default_factory=dict)

    def counts(self) -> dict:
        """Rings per status, gone included.

        Examples
        --------
        >>> match_rings([{"a", "b", "c"}], {}, next_id=1).counts()
        {'new': 1, 'gone': 0}
        """
        c = {k: int(v) for k, v in self.status["status"].value_counts().sort_index().items()}
        c["gone"] = int(len(self.gone))
        return c

    def to_dict(self) -> dict:
        st = self.status.astype(object).where(self.status.notna(), None)
        return {"previous_run": self.previous_run, "next_id": self.next_id, "params": self.params,
                "counts": self.counts(), "rings": st.to_dict("records"),
                "gone": self.gone.astype(object).to_dict("records")}


def _num(rid: str) -> int:
    m = _NUM.search(str(rid))
    return int(m.group(1)) if m else 0


def match_rings(current: list, previous: dict[str, set], next_id: int | None = None, *, min_share: float = 0.5,
                split_share: float = 0.2, prefix: str = "R", width: int = 4) -> RingHistory:
    """Match rings (sets of borrowers) to previous rings by membership.

    Parameters
    ----------
    current : list of sets
        Borrower sets of this run's rings, in this run's order.
    previous : dict of ring id to set
        Previous rings.
    next_id : int, optional
        First number for new ids (default: one above the largest previous number).
    min_share : float
        A previous ring ``P`` and a current ring ``C`` are related when they share
        at least two borrowers (one when either has fewer than three) and the shared
        borrowers are at least this share of ``P`` or of ``C``. Only related rings
        pass on ids.
    split_share : float
        ``P`` split when two or more related current rings each took at least
        this share of its members.
    prefix, width : str, int
        New ids are ``prefix`` + number zero-padded to ``width``.

    Returns
    -------
    RingHistory

    Examples
    --------
    A ring splits in two, two rings merge:

    >>> prev = {"R0001": set("abcdefgh"), "R0002": set("pqr"), "R0003": set("stu")}
    >>> h = match_rings([set("abcd"), set("efgh"), set("pqrstu")], prev)
    >>> list(zip(h.ids, h.status["status"]))
    [('R0001', 'split'), ('R0004', 'split'), ('R0002', 'merged')]
    >>> h.gone[["ring_id", "into"]].values.tolist()
    [['R0003', 'R0002']]
    """
    cur = [set(map(str, c)) for c in current]
    prev = {str(k): set(map(str, v)) for k, v in previous.items()}
    if next_id is None:
        next_id = max((_num(k) for k in prev), default=0) + 1
    owner: dict[str, list[str]] = {}
    for pid, mem in prev.items():
        for b in mem:
            owner.setdefault(b, []).append(pid)
    pairs = []  # (i, pid, overlap, jaccard)
    for i, c in enumerate(cur):
        cnt: dict[str, int] = {}
        for b in c:
            for pid in owner.get(b, ()):
                cnt[pid] = cnt.get(pid, 0) + 1
        for pid, ov in cnt.items():
            p = prev[pid]
            need = 1 if min(len(p), len(c)) < 3 else 2
            if ov >= need and (ov / len(p) >= min_share or ov / len(c) >= min_share):
                pairs.append((i, pid, ov, ov / (len(c) + len(p) - ov)))
    # one-to-one id inheritance, best Jaccard first (ties: larger overlap, older id, earlier ring)
    pairs.sort(key=lambda t: (-t[3], -t[2], _num(t[1]), t[1], t[0]))
    heir: dict[int, str] = {}
    used: set[str] = set()
    for i, pid, ov, jac in pairs:
        if i in heir or pid in used:
            continue
        heir[i] = pid
        used.add(pid)
    rel_c: dict[int, list[tuple]] = {}
    rel_p: dict[str, list[tuple]] = {}
    for t in pairs:
        rel_c.setdefault(t[0], []).append(t)
        rel_p.setdefault(t[1], []).append(t)
    # previous rings that split: >= 2 current rings each took >= split_share of them
    split_of = {pid for pid, ts in rel_p.items()
                if sum(1 for (_, _, ov, _) in ts if ov / len(prev[pid]) >= split_share) >= 2}
    ids, rows = [], []
    nid = next_id
    for i, c in enumerate(cur):
        rel = rel_c.get(i, [])
        took = sorted([pid for (_, pid, ov, _) in rel if ov / len(prev[pid]) >= 0.5], key=lambda p: (_num(p), p))
        if i in heir:
            rid = heir[i]
        else:
            rid = f"{prefix}{nid:0{width}d}"
            nid += 1
        ids.append(rid)
        base_ids = sorted({pid for (_, pid, _, _) in rel}, key=lambda p: (_num(p), p))
        if len(took) >= 2:
            status = "merged"
            base = set().union(*(prev[p] for p in took))
        elif not rel:
            status = "new"
            base = set()
        elif i not in heir or heir[i] in split_of:
            status = "split"
            base = prev[heir[i]] if i in heir else set().union(*(prev[p] for p in base_ids))
        else:
            base = prev[heir[i]]
            if c == base:
                status = "unchanged"
            elif len(c) > len(base):
                status = "grown"
            elif len(c) < len(base):
                status = "shrunk"
            else:
                status = "changed"
        jac = next((round(j, 4) for (ii, pid, _, j) in rel if pid == heir.get(i)), None)
        rows.append({"ring_id": rid, "status": status, "previous": ";".join(base_ids), "jaccard": jac,
                     "size": len(c), "previous_size": len(prev[heir[i]]) if i in heir else None,
                     "joined": sorted(c - base) if base else [], "left": sorted(base - c) if base else []})
    status = pd.DataFrame(rows, columns=["ring_id", "status", "previous", "jaccard", "size", "previous_size",
                                         "joined", "left"])
    gone_rows = []
    for pid in sorted(set(prev) - used, key=lambda p: (_num(p), p)):
        into = sorted({ids[i] for (i, _, _, _) in rel_p.get(pid, [])}, key=lambda p: (_num(p), p))
        gone_rows.append({"ring_id": pid, "size": len(prev[pid]), "into": ";".join(into),
                          "members": sorted(prev[pid])})
    gone = pd.DataFrame(gone_rows, columns=["ring_id", "size", "into", "members"])
    return RingHistory(ids, status, gone, nid, None, {"min_share": min_share, "split_share": split_share})


def previous_rings(run_dir: str | Path) -> tuple[dict[str, set], int]:
    """Borrower sets of a run's rings and the next unused ring number (from its history, if any)."""
    d = Path(run_dir)
    p = d / "ring_members.csv"
    if not p.is_file():
        raise RunError(f"previous run not found: {p} is missing")
    m = read_csv(p)

    for rid in pd.unique(m["ring_id"]) if "ring_id" in m.columns else []:
        check_ring_id(rid, str(p))
    b = m[m["kind"] == "borrower"]
    rings = {rid: set(g["id"]) for rid, g in b.groupby("ring_id", sort=False)}
    nxt = max((_num(r) for r in m["ring_id"].unique()), default=0) + 1
    h = d / HISTORY_FILE
    if h.is_file():
        try:
            nxt = max(nxt, int(json.loads(h.read_text(encoding="utf-8")).get("next_id", 0)))
        except (OSError, ValueError):
            pass
    return rings, nxt


def assign_ring_ids(current: list, previous_run_dir: str | Path | None, **kw) -> RingHistory:
    """Ring ids and status for this run's communities, matched against a previous run directory.

    Parameters
    ----------
    current : list of sets
        Borrower sets of this run's rings (communities kept as rings), in output order.
    previous_run_dir : path or None
        Run directory of the previous run (``ring_members.csv``, and
        ``ring_history.json`` for the id counter). None: every ring is new,
        numbered ``R0001``... in order.
    **kw
        Passed to :func:`match_rings` (``min_share``, ``prefix``, ``width``).

    Returns
    -------
    RingHistory
    """
    if previous_run_dir is None:
        return match_rings(current, {}, 1, **kw)
    prev, nxt = previous_rings(previous_run_dir)
    h = match_rings(current, prev, nxt, **kw)
    h.previous_run = str(previous_run_dir)
    return h


def apply_history(res, previous_run_dir: str | Path | None, **kw) -> RingHistory:
    """Rename the rings of a :class:`graphring.pipeline.RingResult` in place to their stable ids.

    The rings keep their order (score descending); only ``ring_id`` changes, also in the links
    between rings (``res.ring_links``: their families keep their numbers).
    Returns the :class:`RingHistory` (write it with :func:`write_history`).
    """
    h = assign_ring_ids([set(r.borrowers) for r in res.rings], previous_run_dir, **kw)
    new_id = {}
    for r, rid in zip(res.rings, h.ids):
        new_id[r.ring_id] = rid
        r.ring_id = rid
    links = getattr(res, "ring_links", None)
    if links:
        for x in links:
            x["rings"] = sorted(new_id.get(r, r) for r in x.get("rings") or [])
        links.sort(key=lambda x: (str(x.get("family") or ""), x["rings"], str(x.get("kind") or "")))
    return h


def write_history(out: str | Path, history: RingHistory) -> Path:
    """Write ``ring_history.json`` into a run directory."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    p = out / HISTORY_FILE
    p.write_text(json.dumps(history.to_dict(), ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return p


def read_history(run_dir: str | Path) -> dict:
    """The ``ring_history.json`` of a run (RunError when absent)."""
    p = Path(run_dir) / HISTORY_FILE
    if not p.is_file():
        raise RunError(f"{run_dir}: no {HISTORY_FILE} (the run was not made with a previous run)")
    return json.loads(p.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# warm start
# ---------------------------------------------------------------------------------------

def previous_partition(previous) -> pd.Series:
    """A previous run's community of every borrower, to warm-start detection.

    Parameters
    ----------
    previous : path or Series
        Previous run directory (its ``state/partition.parquet``), or a
        membership Series (borrower -> community), returned as is.

    Returns
    -------
    Series
        Community label indexed by borrower id: pass it as ``initial`` to
        :func:`graphring.detect.communities.detect` or
        :func:`graphring.pipeline.rings_from_frames`.

    Examples
    --------
    >>> previous_partition(pd.Series([7, 7, 3], index=["a", "b", "c"])).tolist()
    [7, 7, 3]
    """
    if isinstance(previous, pd.Series):
        return previous
    df = read_state(previous, PARTITION, why="needed to warm-start community detection")
    return pd.Series(df["community"].to_numpy(), index=df["borrower"].astype(str).to_numpy())
