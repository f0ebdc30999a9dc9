"""Sub-teams of one proxy agency, joined: a second, coarser level of ring detection.

A big anti-collection agency does not tie all its clients together with one
number. It gives each handful of clients a phone it controls: the account
phone is unbound and the agency's number is bound instead, or the agency files
their complaints from it. Community detection on the projection then finds
each handful as a community of its own. What the handfuls have in common is
the agency itself: the clients' own SIM cards are mailed to it, so their
numbers are seen in the agency's city, a city they do not live in, around the
time their account phone was swapped (DOMAIN.md, professional proxy
complaints).

This module joins such communities ("agency cells") when they point at one
agency. Each condition is one of the scheme's own traces, and all must hold:

1. **Marked members.** A borrower is marked when their own number was seen away
   from home within :data:`NEAR_DAYS` of an unbind of their account phone (and
   they also have a bind). At least :data:`MIN_SHARE` of the community, and at
   least :data:`MIN_MARKED` borrowers, are marked in one and the same city.
2. **A cell, not a ring of its own.** The marked members are tied to each
   other only through agency-controlled phones (:data:`CELL_LINKS`: a bound
   phone or a complaint phone). A community whose members also share a
   script, an agent, an attachment or a device is a ring with its own
   evidence and is left as detection found it: two agencies in one city stay
   two rings.
3. **One city, one time.** Two cells join when their marked members were seen
   in the same city and the central 80 % of their sighting dates (10th to
   90th percentile) overlap.

A city by itself was tried as a projection link and rejected: it merges
different agencies of one city (20k ring recall fell to 0.83-0.88). Requiring
all three conditions keeps those apart (see the note of issue 4).

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"borrower": list("abcdef"),
...                   "city": ["南阳市"] * 6,
...                   "t": pd.to_datetime(["2025-07-01", "2025-07-05", "2025-07-09",
...                                        "2025-07-03", "2025-07-08", "2025-07-12"])})
>>> membership = pd.Series([0, 0, 0, 1, 1, 1], index=list("abcdef"))
>>> edges = pd.DataFrame({"u": list("abde"), "v": list("bcef"), "links": ["bound_phone"] * 4})
>>> joined, joins = join_cells(membership, m, edges, min_size=3, max_size=400)
>>> joined.tolist()
[0, 0, 0, 0, 0, 0]
>>> joins[["community", "into", "city"]].values.tolist()
[[1, 0, '南阳市']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphring.detect.projection import Projection, away_from_home, swap_campaigns
from graphring.graph.model import GraphFrames
from graphring.ingest.masks import isin

__all__ = ["NEAR_DAYS", "MIN_SHARE", "MIN_MARKED", "CELL_LINKS", "agency_markers", "join_cells",
           "join_agency_cells", "script_markers", "join_script_cells", "ORGANISER_LINKS", "WHOLE_SHARE",
           "PIECE_SHARE", "join_organiser_cells"]

#: A sighting away from home counts when it is this close (days) to an unbind of the account phone.
NEAR_DAYS = 60
#: Share of a community's borrowers that must be marked in one city.
MIN_SHARE = 0.6
#: And at least this many borrowers.
MIN_MARKED = 3
#: The links an agency cell's marked members may share: phones the agency controls (and the letters it
#: sends them, which corroborate and tie nobody alone: graphring.detect.detection).
CELL_LINKS = frozenset({"bound_phone", "complaint_phone", "template"})

_NO_MARKS = pd.DataFrame({"borrower": pd.Series(dtype=object), "city": pd.Series(dtype=object),
                          "t": pd.Series(dtype="datetime64[ns]")})


_NO_CELLS = pd.DataFrame(columns=["community", "city", "start", "end", "n"])


def agency_markers(g: GraphFrames) -> pd.DataFrame:
    """Own-number sightings away from home close to an unbind of the account phone.

    Returns
    -------
    DataFrame
        ``borrower, city, t`` (one row per sighting), for borrowers who also
        have a bind event.
    """
    away = away_from_home(g)
    pe = g.edge_table("PHONE_EVENT", "borrower", "phone")
    if not len(away) or not len(pe) or not {"event", "at"} <= set(pe.columns) or "at" not in away.columns:
        return _NO_MARKS.copy()
    unb = pe[pe["event"] == "unbind"]
    binders = pd.Index(pe.loc[pe["event"] == "bind", "src"].unique())
    unb = unb[binders.get_indexer(unb["src"]) >= 0]
    if not len(unb):
        return _NO_MARKS.copy()
    ub = pd.DataFrame({"borrower": unb["src"].to_numpy(object),
                       "tu": pd.to_datetime(unb["at"], errors="coerce").to_numpy()})
    a = pd.DataFrame({"borrower": away["src"].to_numpy(object), "city": away["city"].astype(str).to_numpy(object),
                      "t": pd.to_datetime(away["at"], errors="coerce").to_numpy()})
    a = a[isin(a["borrower"], ub["borrower"])]
    m = a.merge(ub.dropna(), on="borrower")
    m = m[(m["t"] - m["tu"]).abs() <= pd.Timedelta(days=NEAR_DAYS)]
    return m[["borrower", "city", "t"]].drop_duplicates().reset_index(drop=True)


def _cells(membership: pd.Series, markers: pd.DataFrame, edges: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """Communities that are agency cells: ``community, city, start, end, n`` (see the module docstring)."""
    size = membership.value_counts()
    mk = markers[isin(markers["borrower"], membership.index)]
    mk = mk.assign(community=membership.reindex(mk["borrower"]).to_numpy())
    mk = mk[mk["community"].map(size).to_numpy() >= min_size]
    if not len(mk):
        return _NO_CELLS.copy()
    per = mk.groupby(["community", "city"])["borrower"].nunique().reset_index(name="k")
    per["n"] = per["community"].map(size).to_numpy()
    per = per[per["k"] >= np.maximum(MIN_MARKED, MIN_SHARE * per["n"])]
    # one city per community: the one with most marked members (MIN_SHARE > 0.5 makes it unique)
    per = per.sort_values(["community", "k"], ascending=[True, False]).drop_duplicates("community")
    if not len(per):
        return _NO_CELLS.copy()
    # a cell's marked members share only agency phones
    marked = pd.Index(mk["borrower"].unique())
    inside = edges[(marked.get_indexer(edges["u"]) >= 0) & (marked.get_indexer(edges["v"]) >= 0)]
    cu = membership.reindex(inside["u"]).to_numpy()
    inside = inside[cu == membership.reindex(inside["v"]).to_numpy()]
    kinds = inside["links"].astype(str).str.split(";")
    foreign = [not set(k) <= CELL_LINKS for k in kinds.tolist()]
    own_ring = set(membership.reindex(inside["u"][foreign]).tolist())
    per = per[~per["community"].isin(own_ring)]
    if not len(per):
        return _NO_CELLS.copy()
    sights = mk.merge(per[["community", "city"]], on=["community", "city"])
    span = sights.groupby("community")["t"].quantile([0.1, 0.9]).unstack()
    per = per.set_index("community").join(span.rename(columns={0.1: "start", 0.9: "end"}))
    return per.reset_index()[["community", "city", "start", "end", "n"]]


def join_cells(membership: pd.Series, markers: pd.DataFrame, edges: pd.DataFrame, min_size: int,
               max_size: int) -> tuple[pd.Series, pd.DataFrame]:
    """Join agency cells seen in one city at one time (see the module docstring).

    Parameters
    ----------
    membership : Series
        Community label by borrower id.
    markers : DataFrame
        :func:`agency_markers`.
    edges : DataFrame
        Projection edges: ``u``, ``v``, ``links``.
    min_size, max_size : int
        Only communities of ``min_size`` or more borrowers join, and no join
        makes a community larger than ``max_size``.

    Returns
    -------
    membership : Series
        The same index; the cells of one agency take the smallest label among them.
    joins : DataFrame
        ``community, into, city, start, end, n``: one row per cell that was
        relabelled.
    """
    cols = ["community", "into", "city", "start", "end", "n"]
    cells = _cells(membership, markers, edges, min_size)
    if len(cells) < 2:
        return membership, pd.DataFrame(columns=cols)
    cells = cells.sort_values(["city", "start", "community"], kind="stable").reset_index(drop=True)
    parent = list(range(len(cells)))
    total = cells["n"].astype(int).tolist()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    city, start, end = cells["city"].tolist(), cells["start"].tolist(), cells["end"].tolist()
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            if city[j] != city[i] or start[j] > end[i]:
                break  # sorted by city, then start: no later cell overlaps cell i
            a, b = sorted((root(i), root(j)))
            if a != b and total[a] + total[b] <= max_size:
                parent[b] = a
                total[a] += total[b]
    comm = cells["community"].astype(int).to_numpy()
    roots = np.array([root(i) for i in range(len(cells))])
    first = pd.Series(comm).groupby(roots).transform("min").to_numpy()  # a set keeps its smallest label
    cells["into"] = first
    joins = cells[cells["community"].astype(int) != cells["into"]][cols].reset_index(drop=True)
    if not len(joins):
        return membership, joins
    remap = dict(zip(joins["community"].tolist(), joins["into"].tolist()))
    lab = membership.to_numpy().copy()
    hit = pd.Index(list(remap)).get_indexer(lab)
    lab[hit >= 0] = np.array(list(remap.values()), dtype=lab.dtype)[hit[hit >= 0]]
    return pd.Series(lab, index=membership.index, name=membership.name), joins


def join_agency_cells(membership: pd.Series, g: GraphFrames, proj: Projection, min_size: int,
                      max_size: int) -> tuple[pd.Series, pd.DataFrame]:
    """:func:`join_cells` for graph ``g`` and its projection.

    Only the projection edges between two marked borrowers are looked at,
    found through :attr:`Projection.codes` when it is set.
    """
    return _join_marked(membership, agency_markers(g), proj, min_size, max_size)


def _join_marked(membership: pd.Series, markers: pd.DataFrame, proj: Projection, min_size: int,
                 max_size: int) -> tuple[pd.Series, pd.DataFrame]:
    """:func:`join_cells` on the projection edges between marked borrowers (through ``proj.codes`` when set)."""
    if not len(markers):
        # no edge is read (a view's edge table is not cut for an empty frame)
        return join_cells(membership, markers, proj.edge_rows(np.zeros(0, np.int64)), min_size, max_size)
    if proj.codes is not None:
        nodes, eu, ev, _ = proj.codes
        marked = isin(nodes, markers["borrower"].unique())
        edges = proj.edge_rows(marked[eu] & marked[ev])
    else:
        edges = proj.edges
    return join_cells(membership, markers, edges, min_size, max_size)


def script_markers(g: GraphFrames, incidence: pd.DataFrame) -> pd.DataFrame:
    """Borrowers whose account phone was taken over before they complained, by the script of their letter.

    ``borrower, city, t``: ``city`` holds the script (the near-duplicate letter group, ``template:T…``)
    and ``t`` the first complaint, so :func:`join_cells` joins cells of "one script, one time" as it
    joins cells of "one city, one time". The takeover is :func:`graphring.detect.projection.account_swaps`.
    """
    sw = swap_campaigns(g)
    if not len(sw) or not len(incidence):
        return _NO_MARKS.copy()
    tpl = incidence[(incidence["link"] == "template").to_numpy(bool)]
    tpl = tpl[isin(tpl["borrower"], sw.index)]
    if not len(tpl):
        return _NO_MARKS.copy()
    m = pd.DataFrame({"borrower": tpl["borrower"].to_numpy(object), "city": tpl["ident"].astype(str).to_numpy(object)})
    m = m.drop_duplicates().reset_index(drop=True)
    m["t"] = sw.reindex(m["borrower"].to_numpy(object)).to_numpy()
    return m


def join_script_cells(membership: pd.Series, g: GraphFrames, proj: Projection, min_size: int,
                      max_size: int) -> tuple[pd.Series, pd.DataFrame]:
    """Join agency cells that send one script in one campaign, each client's account phone taken over.

    The same agency as :func:`join_agency_cells`, seen through its letters instead of its clients' SIMs:
    each handful of clients filed from its own work phone (a *cell*: tied by nothing but that phone),
    every one of them had the account phone unbound and rebound before complaining, and the cells'
    letters are one script with its mistakes, in overlapping working periods. A group with an identity
    of its own (a shared image, an agent, a device) is not a cell and is never joined: a script sold to
    many teams does not make them one ring (graphring.detect.detection).
    """
    return _join_marked(membership, script_markers(g, proj.incidence), proj, min_size, max_size)


#: Identifier kinds an organiser holds as its own: the accounts it runs and repays from, the devices and
#: phones it binds its clients to, the shell it "employs" its carriers at, a company group paying in a
#: cycle, a mailbox, a flat. Communities that share one of these *whole* are one organisation that
#: detection cut in pieces (DOMAIN.md: what ties a ring is what its organiser controls). Kinds that link
#: rings one level up instead — a broker, a registration agent, a document template, a named agent, a
#: complaint number (:func:`graphring.detect.detection.ring_links`) — and commonplace ones (IP, officer,
#: addresses of companies, letters) never join.
ORGANISER_LINKS = ("account", "device", "bound_phone", "repayer", "payment_party", "employer", "company_group",
                   "email", "home_address")
#: The joined communities hold at least this share of all the borrowers sharing the identifier: a big
#: honest employer or a popular shop has most of its people in no ring, and joins nothing.
WHOLE_SHARE = 0.9
#: Each joined community has at least this share of its members (and :data:`MIN_MARKED`) among them: one
#: member's account does not pull a ring into another.
PIECE_SHARE = 0.5

_NO_ORG_JOINS = pd.DataFrame(columns=["community", "into", "link", "ident", "n"])


def join_organiser_cells(membership: pd.Series, proj: Projection, min_size: int,
                         max_size: int) -> tuple[pd.Series, pd.DataFrame]:
    """Join communities that share one identifier an organiser holds, whole (:data:`ORGANISER_LINKS`).

    Community detection cuts a big organisation along the identifiers it hands out: a carrier packager
    running 300 borrowers gives each block of 75 its own account and handset, and the blocks come out
    as communities of their own. What the blocks still have in common is the organiser's: all 300 are
    "employees" of one shell, repaid from one account. Such an identifier is usually too widely shared
    to make projection links (a hub by count, :data:`graphring.detect.projection.LINKS` caps), but a hub that is
    nobody's but theirs — at least :data:`WHOLE_SHARE` of its sharers in the joined communities, each of
    them at least :data:`PIECE_SHARE` covered — is the organisation's, not a business's. No join makes a
    community larger than ``max_size``; a community with nothing of the kind is left as it was.

    Parameters
    ----------
    membership : Series
        Community label by borrower id.
    proj : Projection
        Its ``incidence`` (``borrower, ident, link, n``; suppressed hubs included) is read.
    min_size, max_size : int
        Only communities of ``min_size`` or more borrowers join, up to ``max_size`` borrowers.

    Returns
    -------
    membership : Series
        The same index; joined communities take the smallest label among them.
    joins : DataFrame
        ``community, into, link, ident, n``: one row per relabelled community, with the identifier that
        joined it and how many borrowers share that identifier.

    Examples
    --------
    >>> from graphring.detect.projection import Projection
    >>> inc = pd.DataFrame({"borrower": list("abcdefg"), "ident": ["company:S"] * 6 + ["company:T"],
    ...                     "link": "employer", "n": [6] * 6 + [1]})
    >>> m = pd.Series([0, 0, 0, 1, 1, 1, 2], index=list("abcdefg"))
    >>> joined, joins = join_organiser_cells(m, Projection(None, inc, None), min_size=3, max_size=400)
    >>> joined.tolist(), joins[["community", "into", "ident"]].values.tolist()
    ([0, 0, 0, 0, 0, 0, 2], [[1, 0, 'company:S']])
    """
    inc = proj.incidence
    if inc is None or not len(inc) or not len(membership):
        return membership, _NO_ORG_JOINS.copy()
    size = membership.value_counts()
    big = size[size >= min_size]
    if len(big) < 2:
        return membership, _NO_ORG_JOINS.copy()
    # an identifier held by two communities has MIN_MARKED sharers in each: most rows (identifiers of one
    # borrower) are dropped on the number, then one column is compared at a time (millions of rows)
    rows = np.flatnonzero(inc["n"].to_numpy() >= 2 * MIN_MARKED)
    rows = rows[isin(inc["link"].iloc[rows], ORGANISER_LINKS)]
    rows = rows[isin(inc["borrower"].iloc[rows], membership.index[isin(membership, big.index)])]
    t = inc[["borrower", "ident", "link", "n"]].iloc[rows]
    if not len(t):
        return membership, _NO_ORG_JOINS.copy()
    t = t.assign(community=membership.reindex(t["borrower"].to_numpy()).to_numpy())
    # one identifier of one kind (its ``n`` is counted per kind: an account held and an account repaying)
    t = t.drop_duplicates(["link", "ident", "borrower"])
    per = t.groupby(["link", "ident", "community"], sort=False).agg(k=("borrower", "size"), n=("n", "max"))
    per = per.reset_index()
    csize = per["community"].map(size).to_numpy()
    per = per[(per["k"].to_numpy() >= np.maximum(MIN_MARKED, PIECE_SHARE * csize))]
    multi = per[per.groupby(["link", "ident"])["community"].transform("size").to_numpy() >= 2]
    if not len(multi):
        return membership, _NO_ORG_JOINS.copy()
    whole = multi.groupby(["link", "ident"]).agg(k=("k", "sum"), n=("n", "max"),
                                                 communities=("community", list))
    whole = whole[whole["k"] >= WHOLE_SHARE * whole["n"].clip(lower=1)]
    if not len(whole):
        return membership, _NO_ORG_JOINS.copy()
    # the most widely shared identifier first (then by name): the same joins on every run
    whole = whole.reset_index().sort_values(["k", "ident", "link"], ascending=[False, True, True], kind="stable")
    parent: dict = {}
    total = {c: int(size[c]) for c in multi["community"].unique().tolist()}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    why: dict = {}
    for ident, link, n, comms in zip(whole["ident"].tolist(), whole["link"].tolist(), whole["n"].tolist(),
                                     whole["communities"].tolist()):
        roots = sorted({root(c) for c in comms})
        if len(roots) < 2 or sum(total[r] for r in roots) > max_size:
            continue
        into = roots[0]
        for r in roots[1:]:
            parent[r] = into
            total[into] += total[r]
            why[r] = (link, ident, int(n))
    if not why:
        return membership, _NO_ORG_JOINS.copy()
    remap = {c: root(c) for c in parent if root(c) != c}
    # every relabelled community was a root once, joined by the identifier recorded then
    rows = [{"community": c, "into": into, "link": why[c][0], "ident": why[c][1], "n": why[c][2]}
            for c, into in sorted(remap.items())]
    joins = pd.DataFrame(rows, columns=_NO_ORG_JOINS.columns)
    lab = membership.to_numpy().copy()
    hit = pd.Index(list(remap)).get_indexer(lab)
    lab[hit >= 0] = np.array(list(remap.values()), dtype=lab.dtype)[hit[hit >= 0]]
    return pd.Series(lab, index=membership.index, name=membership.name), joins
