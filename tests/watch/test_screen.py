"""Early warning: screening new records against a run's rings, templates and watchlists."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from graphring.errors import GraphringError
from graphring.watch.screen import (INDEX_FILES, load_screen_index, read_new_data, screen,
                              split_folder, write_screen)


@pytest.fixture(scope="module")
def scen(tmp_path_factory):
    """2,500 borrowers; the records of 15% of planted ring members and 200 honest borrowers held out as new."""
    from graphring.pipeline import find_rings, write_run
    from graphring.sample import generate

    d = tmp_path_factory.mktemp("screen")
    generate(d / "data", 2500, seed=31)
    truth = pd.read_csv(d / "truth.csv", dtype=str)
    tb = truth[truth["kind"] == "borrower"]
    ring = sorted(set(tb.loc[~tb["ring_id"].str.startswith("BENIGN"), "id"]))
    everyone = pd.read_csv(d / "data" / "borrowers.csv", dtype=str)["borrower_id"]
    honest = sorted(set(everyone) - set(tb["id"]))
    rng = np.random.default_rng(1)
    new_ring = set(rng.choice(ring, size=max(8, int(0.15 * len(ring))), replace=False).tolist())
    new_honest = set(rng.choice(honest, size=200, replace=False).tolist())
    split_folder(d / "data", new_ring | new_honest, d / "old", d / "new")
    res = find_rings(d / "old", seed=0)
    write_run(res, d / "run", data_dir=d / "old")
    return {"dir": d, "run": d / "run", "new": d / "new", "old": d / "old", "ring": new_ring, "honest": new_honest,
            "ring_of": dict(zip(tb["id"], tb["ring_id"]))}


@pytest.fixture(scope="module")
def result(scen):
    return screen(scen["new"], scen["run"], min_score=0.05)


def test_split_folder_keeps_every_row_once(scen):
    for p in (scen["dir"] / "data").glob("*.csv"):
        n = len(pd.read_csv(p, dtype=str))
        old = len(pd.read_csv(scen["old"] / p.name, dtype=str))
        new = len(pd.read_csv(scen["new"] / p.name, dtype=str)) if (scen["new"] / p.name).exists() else 0
        assert old + new == n, p.name


def test_index_is_built_lazily_saved_and_rebuilt_when_stale(scen, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(scen["run"], run)
    for f in INDEX_FILES:
        (run / "state" / f).unlink(missing_ok=True)
    with pytest.raises(GraphringError, match="screening index"):
        load_screen_index(run, build=False)
    idx = load_screen_index(run)
    assert all((run / "state" / f).is_file() for f in INDEX_FILES)
    meta = json.loads((run / "state" / "screen_index.json").read_text(encoding="utf-8"))
    assert meta["counts"]["rings"] == len(idx.rings) > 0
    assert idx.sig.shape == (len(idx.texts), meta["params"]["num_perm"])
    # compact: only ring members' identifiers, never the whole incidence
    inc = pd.read_parquet(run / "state" / "incidence.parquet")
    assert len(idx.idents) < len(inc)
    members = pd.read_csv(run / "ring_members.csv", dtype=str)
    assert set(idx.idents.loc[idx.idents["link"] == "member", "ident"].str[9:]) == set(
        members.loc[members["kind"] == "borrower", "id"])
    # loading again reads the saved index
    again = load_screen_index(run, build=False)
    assert len(again.idents) == len(idx.idents)
    # a changed run makes the index stale
    members.iloc[: len(members) // 2].to_csv(run / "ring_members.csv", index=False)
    with pytest.raises(GraphringError):
        load_screen_index(run, build=False)
    assert len(load_screen_index(run).rings) <= len(idx.rings)


def test_screening_finds_new_members_and_stays_quiet_on_honest_newcomers(scen, result):
    al = result.alerts
    assert len(al) and {"alert_id", "score", "ring_id", "borrower", "file", "row", "identifier", "ring_link",
                        "ring_evidence"} <= set(al.columns)
    rows = []
    for th in (0.05, 0.3, 0.5, 0.7):
        a = al[(al["score"] >= th) & al["borrower"].isin(scen["ring"] | scen["honest"])]
        b = set(a["borrower"])
        tp = len(b & scen["ring"])
        rows.append((th, len(b), tp / max(1, len(b)), tp / len(scen["ring"]),
                     len(b & scen["honest"]) / len(scen["honest"])))
    print("\nmin_score alerted precision recall honest_alert_rate")
    for r in rows:
        print("  %.2f %4d %.3f %.3f %.3f" % r)
    by = {r[0]: r for r in rows}
    # planted ring members coming back are caught
    assert by[0.05][3] >= 0.9
    assert by[0.5][3] >= 0.6
    # honest newcomers are mostly left alone at a working threshold, and alerts there are mostly right
    assert by[0.5][4] <= 0.1
    assert by[0.5][2] >= 0.7
    assert by[0.7][2] >= by[0.05][2]


def test_alert_evidence_points_to_the_new_row_and_the_ring_identifier(scen, result):
    al = result.alerts
    a = al[al["match"] == "identifier"].iloc[0]
    src = pd.read_csv(scen["new"] / a["file"], dtype=str, keep_default_na=False)
    row = src.iloc[int(a["row"]) - 2]            # spreadsheet row: header is row 1
    kind, _, key = a["identifier"].partition(":")
    from graphring.watch.watchlist import normalise_values

    cells = [normalise_values([kind if kind in ("phone", "device", "account", "company") else "agent"], [v]).iloc[0]
             for v in row.tolist()]
    assert key in cells or key in row.tolist() or any(key in str(v).lower() for v in row.tolist())
    # the ring side: the identifier belongs to the ring in the run's incidence
    inc = pd.read_parquet(scen["run"] / "state" / "incidence.parquet", filters=[("ident", "==", a["identifier"])])
    members = pd.read_csv(scen["run"] / "ring_members.csv", dtype=str)
    ring_b = set(members.loc[(members["ring_id"] == a["ring_id"]) & (members["kind"] == "borrower"), "id"])
    assert set(inc["borrower"]) & ring_b
    t, r = a["ring_evidence"].split(":")
    assert int(r) in set(inc.loc[inc["table"] == t, "row"])
    ev = result.evidence[result.evidence["alert_id"] == a["alert_id"]]
    assert len(ev) == a["n_evidence"] and (ev["file"] == a["file"]).all()


def test_template_letter_is_matched(scen, tmp_path):
    """A new complaint written from a ring's template (names and amounts swapped) is an alert."""
    idx = load_screen_index(scen["run"])
    tt = idx.texts.sort_values("template_size", ascending=False).iloc[0]
    old = pd.read_csv(scen["old"] / "complaints.csv", dtype=str, keep_default_na=False)
    text = old.loc[old["complaint_id"] == tt["complaint"], "text"].iloc[0]
    new_text = text.replace("本人", "我本人", 1) + "谢谢。"
    d = tmp_path / "new"
    d.mkdir()
    pd.DataFrame([{"complaint_id": "NEW000001", "borrower_id": "ZZ0001", "complainant_phone": "+8613511112222",
                   "channel": "letter", "text": new_text}]).to_csv(d / "complaints.csv", index=False)
    res = screen(d, scen["run"], clusters=False)
    t = res.alerts[res.alerts["matches"].str.contains("template")]
    assert len(t) and t["ring_id"].iloc[0] == tt["ring_id"] and t["similarity"].iloc[0] >= 0.5
    assert t["borrower"].iloc[0] == "ZZ0001" and t["file"].iloc[0] == "complaints.csv" and t["row"].iloc[0] == 2
    # an honest letter in one's own words is not
    pd.DataFrame([{"complaint_id": "NEW000002", "borrower_id": "ZZ0002",
                   "text": "你好，我上个月工资晚发了几天，还款晚了三天，能不能帮我把逾期记录处理一下，以后一定按时还。"}]
                 ).to_csv(d / "complaints.csv", index=False)
    assert screen(d, scen["run"], clusters=False).alerts.empty


def test_new_records_without_borrowers_table_and_known_members(scen, tmp_path):
    members = pd.read_csv(scen["run"] / "ring_members.csv", dtype=str)
    top = members[members["kind"] == "borrower"].iloc[0]
    d = tmp_path / "new"
    d.mkdir()
    pd.DataFrame([{"loan_id": "LNNEW1", "borrower_id": top["id"], "product": "consumer", "amount": "5000"},
                  {"loan_id": "LNNEW2", "borrower_id": "UNKNOWN1", "product": "consumer", "amount": "5000"}]
                 ).to_csv(d / "loans.csv", index=False)
    v = read_new_data(d)
    assert "borrowers" not in v.tables and len(v.tables["loans"]) == 2
    res = screen(d, scen["run"], clusters=False)
    m = res.alerts[res.alerts["match"] == "member"]
    assert m["borrower"].tolist() == [top["id"]] and m["known_member"].all() and m["ring_id"].iloc[0] == top["ring_id"]
    with pytest.raises(GraphringError):
        read_new_data(tmp_path / "nope")


def test_new_cluster_among_new_records_alone(scen, tmp_path):
    """Four new borrowers sharing a never-seen complaint phone and agent form a new cluster; honest ones do not."""
    d = tmp_path / "new"
    d.mkdir()
    bor = [f"NB{i:03d}" for i in range(6)]
    pd.DataFrame({"borrower_id": bor, "phone": [f"+86137{i:08d}" for i in range(11, 17)]}).to_csv(
        d / "borrowers.csv", index=False)
    rows = [{"complaint_id": f"NC{i}", "borrower_id": b, "complainant_phone": "+8617099990000", "agent": "新代理人甲",
             "channel": "regulator", "text": f"第{i}封"} for i, b in enumerate(bor[:4])]
    rows += [{"complaint_id": "NC9", "borrower_id": bor[4], "complainant_phone": "+8613700000099", "text": "x"}]
    pd.DataFrame(rows).to_csv(d / "complaints.csv", index=False)
    res = screen(d, scen["run"])
    assert len(res.clusters) == 1
    c = res.clusters[0]
    assert c["borrowers"] == bor[:4] and {"complaint_phone", "agent"} <= set(c["links"]) and c["score"] > 0.5
    assert not c["household_like"]


def test_watchlist_and_outputs(scen, result, tmp_path):
    from graphring.watch.watchlist import export_watchlist

    key = bytes(range(32))
    wl = export_watchlist(scen["run"], key, min_score=0.5, source="bank A")
    res = screen(scen["new"], scen["run"], watchlist=wl, key=key)
    w = res.alerts[res.alerts["match"] == "watchlist"]
    assert len(w) and w["ring_id"].str.startswith("watchlist:bank A").all() and w["label"].notna().all()
    with pytest.raises(GraphringError, match="hmac"):
        screen(scen["new"], scen["run"], watchlist=wl, key=None)
    paths = write_screen(res, tmp_path / "out")
    csv = pd.read_csv(paths["alerts_csv"], dtype=str)
    doc = json.loads(paths["alerts_json"].read_text(encoding="utf-8"))
    assert len(csv) == len(doc["alerts"]) == len(res.alerts)
    a = doc["alerts"][0]
    assert a["evidence"] and {"table", "row", "file", "identifier", "ring_evidence"} <= set(a["evidence"][0])
    assert doc["screen"]["records"] == res.summary["records"] and "new_clusters" in doc
    assert paths["clusters_csv"].is_file()


def test_screen_command_prints_masked_summary(scen, tmp_path, capsys):
    from graphring.cli.watch import screen as screen_command

    r = screen_command(scen["new"], scen["run"], None, None, tmp_path / "out")
    out = capsys.readouterr().out
    assert "alerts" in out and "Screened" in out
    assert r["summary"]["alerts"] > 0 and (tmp_path / "out" / "alerts.json").is_file()
    # borrower ids are masked in the printed table
    top = pd.read_csv(tmp_path / "out" / "alerts.csv", dtype=str).dropna(subset=["borrower"])["borrower"].iloc[0]
    assert top not in out
