"""Writing a world to a data folder in the contract format (clean or messy) and its truth beside it.

Returns
-------
_write_world
    Writes every table of a :class:`~graphring.sample.world._World` and the truth
    file; returns the summary :func:`graphring.sample.generate` returns.
_Writer
    One table at a time: header (contract names, or Chinese aliases when messy),
    encoding and line ends, the formatted columns, and the planted bad rows.
_xlsx_deterministic
    Rewrites an XLSX so the same content gives the same bytes (no timestamps).

Examples
--------
>>> import tempfile
>>> from graphring.sample.world import _World
>>> w = _World(300, seed=1, messy=False, progress=lambda msg: None)
>>> w.run()
>>> d = Path(tempfile.mkdtemp())
>>> s = _write_world(w, d / "bank", d / "truth.csv")
>>> s["tables"]["borrowers"], (d / "truth.csv").read_text(encoding="utf-8").splitlines()[0]
(300, 'ring_id,typology,kind,id')
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from graphring.ingest.schema import TABLES
from graphring.sample.arrays import NODATE, _fixed
from graphring.sample.messy import (_BAD_AMOUNTS, _BAD_DATES, _RAGGED_EXTRA, _f_amt, _f_bool, _f_date, _f_dt, _f_int,
                                    _f_phone, _quote)
from graphring.sample.population import _PRODUCTS, _STATUSES

if TYPE_CHECKING:    # annotations only: the world module does not need the writer
    from graphring.sample.world import _World

_TABLE_NO = {"borrowers": 1, "companies": 2, "company_roles": 3, "loans": 4, "payments": 5, "contacts": 6,
             "phone_events": 7, "devices": 8, "accounts": 9, "complaints": 10}


def _pick(names, idx: np.ndarray) -> np.ndarray:
    idx = np.asarray(idx, dtype=np.int64)
    arr = np.asarray(names, dtype=object)
    if len(arr) == 0:
        return np.full(len(idx), "", dtype=object)
    out = arr[np.maximum(idx, 0)].copy()
    out[idx < 0] = ""
    return out


def _xlsx_deterministic(data: bytes) -> bytes:
    """Rewrite an XLSX so that the same content gives the same bytes (no timestamps)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>2025-12-15T00:00:00Z\g<3>", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 12, 15, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return buf.getvalue()


class _Writer:
    """Writes the world's tables in the contract format (clean or messy)."""

    def __init__(self, w: _World, out: Path):
        self.w, self.out, self.messy = w, out, w.messy
        self.files: dict[str, dict] = {}

    def fmt(self, kind: str, arr: np.ndarray, rng) -> list[str]:
        m = self.messy
        if kind == "bid":
            return _fixed(len(arr), "C", (np.asarray(arr, dtype=np.int64) + 10_000_000, 8)).tolist()
        if kind == "phone":
            return _f_phone(arr, m, rng)
        if kind == "dt":
            return _f_dt(arr, m, rng)
        if kind == "date":
            return _f_date(arr, m, rng)
        if kind == "amt":
            return _f_amt(arr, m, rng)
        if kind == "int":
            return _f_int(arr)
        if kind == "bool":
            return _f_bool(arr, m)
        if kind == "id" and m:
            v = [str(x) for x in np.asarray(arr, dtype=object).tolist()]
            u = rng.random(len(v))
            return [x[:-1] + "x" if x.endswith("X") and u[i] < 0.3 else x for i, x in enumerate(v)]
        return np.asarray(arr).tolist()

    def table(self, name: str, cols: list[tuple[str, str, np.ndarray]], order: np.ndarray, plain: np.ndarray,
              bad: tuple = (), key: str | None = None) -> int:
        w, messy = self.w, self.messy
        rng = np.random.default_rng([w.seed, w.N, 777, _TABLE_NO[name]])
        t = TABLES[name]
        header = [t.column(c).aliases[0] if messy else c for c, _, _ in cols]
        ci = {c: i for i, (c, _, _) in enumerate(cols)}
        n = len(order)
        mods: dict[int, list[tuple[int, str]]] = {}
        ragged: dict[int, str] = {}
        extras: list[tuple[int, str]] = []
        if messy and n:
            ppos = rng.permutation(np.flatnonzero(np.asarray(plain)[order]))
            k = max(1, int(round(n * 0.0004)))
            p = 0
            for action, col in bad:
                cnt = max(1, k // 2) if action == "ragged" else k
                for pos in ppos[p:p + cnt].tolist():
                    if action == "ragged":
                        ragged[pos] = _RAGGED_EXTRA[pos % len(_RAGGED_EXTRA)]
                    elif action in ("dup", "unknown"):
                        extras.append((pos, action))
                    else:
                        mods.setdefault(pos, []).append((ci[col], action))
                p += cnt
        enc = "gb18030"
        if messy and name in ("devices", "accounts"):
            enc = "utf-8-sig"
        elif not messy:
            enc = "utf-8"
        nl = "\r\n" if messy else "\n"
        quote_cols = [i for i, (_, k, _) in enumerate(cols) if k == "text" or (messy and k == "amt")]
        mod_cols = sorted({c for v in mods.values() for c, _ in v})
        path = self.out / f"{name}.csv"
        codec = "utf-8" if enc == "utf-8-sig" else enc
        CH = 200_000
        mod_pos = sorted(mods)
        rag_pos = sorted(ragged)

        def render(idx: np.ndarray, start: int) -> list[str]:
            vals = [self.fmt(kind, arr[idx], rng) for _, kind, arr in cols]
            for pos in mod_pos:
                if start <= pos < start + len(idx):
                    for c, action in mods[pos]:
                        v = vals[c][pos - start]
                        if action == "badcheck" and len(v) == 18:
                            good = v[17].upper()
                            vals[c][pos - start] = v[:17] + next(x for x in "7X0315" if x != good)
                        elif action == "baddate":
                            vals[c][pos - start] = _BAD_DATES[pos % len(_BAD_DATES)]
                        elif action == "badamt":
                            vals[c][pos - start] = _BAD_AMOUNTS[pos % len(_BAD_AMOUNTS)]
            for c in set(quote_cols) | set(mod_cols):
                vals[c] = _quote(vals[c])
            lines = list(map(",".join, zip(*vals)))
            for pos in rag_pos:
                if start <= pos < start + len(idx):
                    lines[pos - start] += "," + ragged[pos]
            return lines

        with open(path, "wb") as f:
            if enc == "utf-8-sig":
                f.write(b"\xef\xbb\xbf")
            f.write((",".join(header) + nl).encode(codec))
            for s in range(0, n, CH):
                lines = render(order[s:s + CH], s)
                f.write((nl.join(lines) + nl).encode(codec))
            extra_lines = []
            for j, (pos, action) in enumerate(sorted(extras)):
                vals = [self.fmt(kind, arr[order[pos:pos + 1]], rng) for _, kind, arr in cols]
                if action == "unknown":
                    vals[ci["borrower_id"]] = [f"C{w.N + 10_000_000 + 1 + j + 1000 * _TABLE_NO[name]}"]
                    if key:
                        vals[ci[key]] = [vals[ci[key]][0] + "R"]
                elif action == "dup" and "phone" in ci:
                    vals[ci["phone"]] = _f_phone(w.pool.take(1), True, rng)
                for c in set(quote_cols):
                    vals[c] = _quote(vals[c])
                extra_lines.append(",".join(v[0] for v in vals))
            if extra_lines:
                f.write((nl.join(extra_lines) + nl).encode(codec))
        self.files[name] = {"file": path.name, "encoding": enc, "rows": n + len(extras),
                            "bad_rows": len(mods) + len(ragged) + len(extras)}
        return n

    def companies_xlsx(self, cols, order) -> int:
        from openpyxl import Workbook    # lazily: only messy exports write XLSX, and openpyxl is slow to import
        rng = np.random.default_rng([self.w.seed, self.w.N, 777, _TABLE_NO["companies"]])
        t = TABLES["companies"]
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(t.zh)
        ws.append([t.column(c).aliases[0] for c, _, _ in cols])
        vals = [self.fmt(kind, arr[order], rng) for _, kind, arr in cols]
        for row in zip(*vals):
            ws.append(list(row))
        buf = io.BytesIO()
        wb.save(buf)
        path = self.out / "companies.xlsx"
        path.write_bytes(_xlsx_deterministic(buf.getvalue()))
        self.files["companies"] = {"file": path.name, "encoding": None, "rows": len(order), "bad_rows": 0}
        return len(order)


def _write_world(w: _World, out: Path, truth_path: Path) -> dict:
    w.say("writing tables")
    out.mkdir(parents=True, exist_ok=True)
    for name in _TABLE_NO:
        for ext in (".csv", ".xlsx"):
            p = out / f"{name}{ext}"
            if p.exists():
                p.unlink()
    wr = _Writer(w, out)
    N = w.N
    not_truth = ~w.in_truth
    co_debt = np.where(w.outstanding > 0, np.maximum(w.co_debt, 1), w.co_debt)
    wr.table("borrowers", [
        ("borrower_id", "bid", np.arange(N)), ("name", "str", w.name), ("id_number", "id", w.id_number.astype(object)),
        ("phone", "phone", w.phone), ("province", "str", w.prov_name[w.prov]), ("city", "str", w.city_name[w.city]),
        ("credit_file", "str", np.where(w.thin, "thin", "normal").astype(object)), ("overdue_days", "int", w.overdue_days),
        ("outstanding", "amt", w.outstanding), ("co_debt_lenders", "int", co_debt),
        ("first_overdue_on", "date", np.where(w.first_od >= 0, w.first_od, NODATE)), ("email", "str", w.email),
        ("address", "str", w.address), ("bank_account", "str", w.card)],
        np.arange(N), not_truth,
        bad=(("badcheck", "id_number"), ("baddate", "first_overdue_on"), ("badamt", "outstanding"), ("ragged", None),
             ("dup", None)))
    w.say("writing companies")
    CO = w.CO
    nco = len(CO["uscc"])
    co_cols = [("uscc", "str", CO["uscc"]), ("name", "str", CO["name"]), ("address", "str", CO["addr"]),
               ("incorporated_on", "date", CO["inc"]), ("registration_agent", "str", CO["agent"]),
               ("status", "str", CO["status"])]
    co_order = np.argsort(CO["uscc"].astype(str), kind="stable")
    if w.messy:
        wr.companies_xlsx(co_cols, co_order)
    else:
        wr.table("companies", co_cols, co_order, np.ones(nco, dtype=bool))
    R = w.R
    wr.table("company_roles", [
        ("uscc", "str", _pick(CO["uscc"], R["uscc"])), ("person_id", "str", R["person"]), ("role", "str", R["role"]),
        ("since", "date", R["since"]), ("monthly_salary", "amt", R["salary"]), ("social_insurance", "bool", R["si"])],
        np.argsort(R["uscc"], kind="stable"), (np.arange(len(R["uscc"])) < w.n_before["roles"]) & (R["salary"] >= 0),
        bad=(("badamt", "monthly_salary"), ("ragged", None)))
    w.say("writing loans")
    L = w.L
    wr.table("loans", [
        ("loan_id", "str", L["id"]), ("borrower_id", "bid", L["b"]), ("product", "str", _pick(_PRODUCTS, L["prod"])),
        ("amount", "amt", L["amount"]), ("applied_at", "dt", L["at"]), ("status", "str", _pick(_STATUSES, L["status"])),
        ("officer_id", "str", _pick(w.off_id, L["officer"])), ("intermediary", "str", _pick(w.inter_name, L["inter"])),
        ("employer_uscc", "str", _pick(CO["uscc"], L["emp"])), ("counterparty_uscc", "str", _pick(CO["uscc"], L["cp"]))],
        L["order"], (L["tag"] < 0) & not_truth[L["b"]],
        bad=(("baddate", "applied_at"), ("badamt", "amount"), ("ragged", None), ("unknown", None)), key="loan_id")
    w.say("writing payments")
    P = w.P
    wr.table("payments", [
        ("payer", "str", P["payer"]), ("payee", "str", P["payee"]), ("amount", "amt", P["amount"]),
        ("paid_at", "dt", P["at"]), ("purpose", "str", P["purpose"]), ("loan_id", "str", _pick(L["id"], P["loan"]))],
        np.lexsort((np.arange(len(P["at"])), P["at"])), np.arange(len(P["at"])) < w.n_before["pay"],
        bad=(("badamt", "amount"), ("baddate", "paid_at"), ("ragged", None)))
    w.say("writing contacts, phone events, devices, accounts")
    K = w.K
    wr.table("contacts", [("borrower_id", "bid", K["b"]), ("phone", "phone", K["phone"]),
                          ("relation", "str", K["relation"]), ("name", "str", K["name"])],
             np.argsort(K["b"], kind="stable"), not_truth[K["b"]] & (np.arange(len(K["b"])) < w.n_before["con"]),
             bad=(("ragged", None), ("unknown", None)))
    E = w.E
    wr.table("phone_events", [("borrower_id", "bid", E["b"]), ("phone", "phone", E["phone"]), ("event", "str", E["event"]),
                              ("at", "dt", E["at"]), ("city", "str", E["city"])],
             np.lexsort((np.arange(len(E["at"])), E["at"])),
             not_truth[E["b"]] & (np.arange(len(E["b"])) < w.n_before["ev"]),
             bad=(("baddate", "at"), ("ragged", None), ("unknown", None)))
    D = w.D
    wr.table("devices", [("borrower_id", "bid", D["b"]), ("device_id", "str", D["device"]), ("seen_at", "dt", D["at"]),
                         ("ip", "str", D["ip"])],
             np.lexsort((np.arange(len(D["at"])), D["at"])),
             not_truth[D["b"]] & (np.arange(len(D["b"])) < w.n_before["dev"]),
             bad=(("baddate", "seen_at"), ("ragged", None), ("unknown", None)))
    A = w.A
    wr.table("accounts", [("borrower_id", "bid", A["b"]), ("account", "str", A["account"]), ("kind", "str", A["kind"]),
                          ("bank", "str", A["bank"]), ("seen_at", "dt", A["at"])],
             np.argsort(A["b"], kind="stable"), not_truth[A["b"]] & (np.arange(len(A["b"])) < w.n_before["acc"]),
             bad=(("ragged", None), ("unknown", None)))
    C = w.C
    wr.table("complaints", [
        ("complaint_id", "str", C["id"]), ("borrower_id", "bid", C["b"]), ("complainant_phone", "phone", C["phone"]),
        ("channel", "str", C["channel"]), ("received_at", "dt", C["at"]), ("demand", "str", C["demand"]),
        ("claimed_reason", "str", C["reason"])] + ([] if "no_text" in w.vary else [("text", "text", C["text"])]) + [
        ("attachments", "str", C["att"]), ("agent", "str", C["agent"])],
        C["order"], (C["tag"] < 0) & not_truth[C["b"]], bad=(("baddate", "received_at"),))
    # truth, beside the data folder
    w.say("writing truth")
    lines = ["ring_id,typology,kind,id"]
    for ring, rows in zip(w.rings, w.ring_truth):
        for k, v in dict.fromkeys(rows):
            lines.append(f"{ring['id']},{ring['typ']},{k},{_quote([v])[0]}")
    for gid, rows in w.benign:
        for k, v in dict.fromkeys(rows):
            lines.append(f"{gid},benign,{k},{_quote([v])[0]}")
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rings: dict[str, int] = {}
    for ring in w.rings:
        rings[str(ring["typ"])] = rings.get(str(ring["typ"]), 0) + 1
    sizes = [len(r["members"]) for r in w.rings]
    traces_kept: dict[str, dict[str, int]] = {}
    for ring in w.rings:
        d = traces_kept.setdefault(ring["typ"], {t: 0 for t in w._TRACES[ring["typ"]]})
        for t, on in ring["traces"].items():
            d[t] += int(on)
    benign_kinds: dict[str, int] = {}
    for gid, _ in w.benign:
        kind = re.sub(r"-\d+$", "", gid[len("BENIGN-"):])
        benign_kinds[kind] = benign_kinds.get(kind, 0) + 1
    return {
        "out_dir": str(out), "truth": str(truth_path), "seed": w.seed, "messy": w.messy,
        "borrowers": N,
        "tables": {k: v["rows"] for k, v in wr.files.items()},
        "files": wr.files,
        "rings": dict(sorted(rings.items())),
        "ring_count": len(w.rings),
        "ring_borrowers": int(sum(sizes)),
        "ring_sizes": {"min": int(min(sizes)), "max": int(max(sizes)), "median": float(np.median(sizes))},
        "benign_groups": dict(sorted(benign_kinds.items())),
        "truth_rows": len(lines) - 1,
        "traces_kept": traces_kept,
    }
