"""Explanations: a ring in plain words (zh/en), and evidence paths between two entities."""

from __future__ import annotations

import pandas as pd
import pytest

from graphring.errors import GraphringError
from graphring.analyse.explain import ExplainError, explain_path, explain_ring, parse_entity


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate

    d = tmp_path_factory.mktemp("explain")
    generate(d / "data", 1200, seed=17)
    res = find_rings(d / "data", seed=0)
    write_run(res, d / "run", data_dir=d / "data")
    top = max(res.rings, key=lambda r: (len(r.borrowers) >= 5, r.score))
    return {"dir": d, "run": d / "run", "data": d / "data", "res": res, "ring": top}


def test_ring_summary_both_languages_and_figures(run):
    r = run["ring"]
    e = explain_ring(run["run"], r.ring_id)
    assert e["ring_id"] == r.ring_id and e["borrowers"] == len(r.borrowers)
    assert e["typology"] == r.typology and abs(e["score"] - r.score) < 1e-5
    # who is at the centre: the highest weighted degree inside the ring's projection
    edges = pd.read_parquet(run["run"] / "state" / "projection_edges.parquet")
    s = set(r.borrowers)
    sub = edges[edges["u"].isin(s) & edges["v"].isin(s)]
    wd = pd.concat([sub.groupby("u")["weight"].sum(), sub.groupby("v")["weight"].sum()]).groupby(level=0).sum()
    assert e["centre"][0]["weighted_degree"] == pytest.approx(wd.max(), abs=1e-3)
    assert e["links"] and e["links"][0]["borrowers"] >= 2
    # money from the saved neighbourhood: loans of the ring's borrowers
    loans = pd.read_csv(run["data"] / "loans.csv", dtype=str)
    mine = loans[loans["borrower_id"].isin(s)]
    if len(mine):
        assert e["money"]["loans"] == len(mine)
        assert e["money"]["loan_amount"] == pytest.approx(pd.to_numeric(mine["amount"]).sum(), rel=1e-6)
    bor = pd.read_csv(run["data"] / "borrowers.csv", dtype=str)
    assert e["money"]["outstanding"] == pytest.approx(
        pd.to_numeric(bor.loc[bor["borrower_id"].isin(s), "outstanding"]).fillna(0).sum(), rel=1e-6)
    comp = pd.read_csv(run["data"] / "complaints.csv", dtype=str)
    assert e["complaints"]["complaints"] == int(comp["borrower_id"].isin(s).sum())
    # plain words in both languages, masked by default
    assert "团伙" in e["text_zh"] and "核心人物" in e["text_zh"] and "借款人" in e["text_zh"]
    assert "Ring" in e["text_en"] and "At the centre" in e["text_en"] and "What ties them" in e["text_en"]
    for b in r.borrowers:
        assert b not in e["text"]
    rev = explain_ring(run["run"], r.ring_id, lang="en", reveal=True)
    assert any(b in rev["text"] for b in r.borrowers) and "团伙" not in rev["text"]
    assert explain_ring(run["run"], r.ring_id, lang="zh")["text"] == e["text_zh"]


def test_unknown_ring_and_bad_lang(run):
    with pytest.raises(ExplainError, match="no ring"):
        explain_ring(run["run"], "R9999")
    with pytest.raises(ExplainError):
        explain_ring(run["run"], run["ring"].ring_id, lang="fr")
    with pytest.raises(GraphringError):
        explain_ring(run["dir"] / "nowhere", "R0001")


def test_parse_entity():
    assert parse_entity("phone:0086 138-1234-5678") == ("phone", "+8613812345678")
    assert parse_entity("Borrower:B000123") == ("borrower", "B000123")
    assert parse_entity("ip:2001:db8::1") == ("ip", "2001:db8::1")
    with pytest.raises(ExplainError, match="kind:key"):
        parse_entity("B000123")
    with pytest.raises(ExplainError, match="unknown entity kind"):
        parse_entity("planet:mars")


def test_paths_between_two_ring_borrowers_with_input_rows(run):
    r = run["ring"]
    a, b = r.borrowers[0], r.borrowers[-1]
    p = explain_path(run["run"], f"borrower:{a}", f"borrower:{b}", max_paths=3)
    assert 1 <= len(p["paths"]) <= 3
    costs = [x["cost"] for x in p["paths"]]
    assert costs == sorted(costs)
    first = p["paths"][0]
    assert first["hops"][0]["from"].startswith("borrower:") and first["hops"][-1]["to"].startswith("borrower:")
    # each hop carries the input rows behind it, and they are real rows of the named file
    data = run["data"]
    for hop in first["hops"]:
        assert hop["rows"]
        for row in hop["rows"]:
            df = pd.read_csv(data / row["file"], dtype=str, keep_default_na=False)
            assert 2 <= row["row"] <= len(df) + 1
    # the hop's entities appear in the row it cites (complaint ids, borrower ids)
    hop = first["hops"][0]
    row = hop["rows"][0]
    line = pd.read_csv(data / row["file"], dtype=str, keep_default_na=False).iloc[row["row"] - 2].tolist()
    assert a in line
    # masked by default, revealed on request
    assert a not in p["text_en"] and a not in p["text_zh"]
    rv = explain_path(run["run"], f"borrower:{a}", f"borrower:{b}", reveal=True)
    assert a in rv["text_en"] and "证据路径" in rv["text_zh"]


def test_path_to_a_phone_in_any_spelling(run):
    r = run["ring"]
    m = r.members
    phones = m.loc[m["kind"] == "phone", "id"].tolist()
    if not phones:
        pytest.skip("ring has no phone entity")
    ph = phones[0]
    digits = ph[3:]
    spelled = f"phone:+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    p = explain_path(run["run"], f"borrower:{r.borrowers[0]}", spelled)
    assert p["paths"] and p["paths"][0]["hops"][-1]["to"].startswith("phone:")


def test_entity_not_in_graph(run):
    with pytest.raises(ExplainError, match="not in this run"):
        explain_path(run["run"], "borrower:NOPE", f"borrower:{run['ring'].borrowers[0]}")


def test_explain_command(run, capsys):
    from graphring.cli.watch import explain as explain_command

    r = run["ring"]
    explain_command(run["run"], r.ring_id)
    out = capsys.readouterr().out
    assert "团伙" in out and "Ring" in out
    explain_command(run["run"], f"borrower:{r.borrowers[0]}", f"borrower:{r.borrowers[1]}", lang="en")
    out = capsys.readouterr().out
    assert "evidence path" in out and r.borrowers[0] not in out
    with pytest.raises(ExplainError, match="two entities"):
        explain_command(run["run"], f"borrower:{r.borrowers[0]}")


def test_not_found_names_which_and_shows_what_was_typed(run):
    """Issue 17: ``explain RUN phone:123 borrower:C…`` said "*** is not in this run's saved graph"."""
    b = f"borrower:{run['ring'].borrowers[0]}"
    with pytest.raises(ExplainError) as e:
        explain_path(run["run"], "phone:123", b)
    msg = str(e.value)
    assert "the first entity, 'phone:123'," in msg and "second" not in msg and "***" not in msg
    assert "within two hops of ring borrowers" in msg
    with pytest.raises(ExplainError) as e:
        explain_path(run["run"], b, "borrower:NOPE")
    assert "the second entity, 'borrower:NOPE'," in str(e.value)
    with pytest.raises(ExplainError) as e:
        explain_path(run["run"], "phone:123", "borrower:NOPE")
    assert "'phone:123'" in str(e.value) and "'borrower:NOPE'" in str(e.value) and " are not " in str(e.value)
