"""Search every file an output folder holds for the personal values of its input.

Used by the masking tests (issue 17): the personal values of a data folder
(names, resident IDs, phones, addresses, bank accounts, e-mails, device ids of
borrowers, contacts and agents) are collected from the raw files and from
the validated tables, and every output file is turned into text -- HTML, CSV,
JSON, GraphML/GEXF and SVG as text, XLSX cell by cell, PDF through pypdf,
PNG not at all (pixels) -- and searched for each value.

Text is compared after NFKC (full-width digits become ASCII) and, for values
made of digits (phones, IDs, accounts), after removing spaces, hyphens and
dots between digits, so ``+86 138-1234-5678`` in a letter counts as the phone
``13812345678``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graphring.ingest.readers import read_folder
from graphring.ingest.validate import validate_folder

#: (table, column) -> category of personal value
PERSONAL = {
    ("borrowers", "name"): "name", ("contacts", "name"): "name", ("complaints", "agent"): "name",
    ("borrowers", "id_number"): "id_number",
    ("borrowers", "phone"): "phone", ("contacts", "phone"): "phone", ("phone_events", "phone"): "phone",
    ("complaints", "complainant_phone"): "phone",
    ("borrowers", "address"): "address",
    ("borrowers", "bank_account"): "account", ("accounts", "account"): "account",
    ("borrowers", "email"): "email",
    ("devices", "device_id"): "device", ("loans", "intermediary"): "intermediary",
}

#: (table, column) of public values a personal name may be part of (a person called 金华 and the city)
PUBLIC = {("borrowers", "province"), ("borrowers", "city"), ("phone_events", "city"), ("companies", "name"),
          ("companies", "registration_agent")}

_SEP = re.compile(r"(?<=[0-9])[\s\-.]+(?=[0-9])")


def norm_text(s: str) -> str:
    """NFKC and no whitespace (addresses and names are compared without spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)))


def norm_digits(s: str) -> str:
    """NFKC, separators between digits removed, X upper-cased."""
    return _SEP.sub("", unicodedata.normalize("NFKC", str(s))).upper()


#: placeholders that are nobody's data
_JUNK = {"nan", "none", "null", "-", "unknown", "n/a", "na", "0", "无", "未知", "<na>"}


def _variants(cat: str, v: str) -> set[str]:
    v = unicodedata.normalize("NFKC", str(v)).strip()
    if not v or v.lower() in _JUNK:
        return set()
    if cat == "phone":
        d = re.sub(r"\D", "", v)
        if d.startswith("86") and len(d) == 13:
            d = d[2:]
        if d.startswith("0086") and len(d) == 15:
            d = d[4:]
        return {d} if len(d) >= 7 else set()
    if cat in ("id_number", "account"):
        d = re.sub(r"[\s\-]", "", v).upper()
        return {d} if len(d) >= 8 else set()
    if cat == "name":
        n = norm_text(v)
        return {n} if len(n) >= 2 else set()
    if cat == "address":
        a = norm_text(v)
        out = {a} if len(a) >= 6 else set()
        # the part below the district (street, building, room) must not appear either
        m = re.search(r"(?:区|县|旗)(.{4,})$", a)
        if m:
            out.add(m.group(1))
        return out
    if cat == "email":
        return {v.lower()} if "@" in v else set()
    if cat == "intermediary":
        # only the person in "name（channel）"; a firm's name is no personal data
        m = re.match(r"^\s*([^()（）]{2,}?)\s*[(（]", v)
        return {norm_text(m.group(1))} if m else set()
    return {v} if len(v) >= 6 else set()


@dataclass
class Values:
    """The personal values of a data folder, by category."""

    by_cat: dict[str, set[str]] = field(default_factory=dict)
    public: set[str] = field(default_factory=set)

    def add(self, cat: str, v) -> None:
        for x in _variants(cat, v):
            self.by_cat.setdefault(cat, set()).add(x)

    def counts(self) -> dict[str, int]:
        return {c: len(s) for c, s in sorted(self.by_cat.items())}


def personal_values(data_dir: Path) -> Values:
    """Every personal value of ``data_dir``, raw spellings and normalised values."""
    vals = Values()
    raw = read_folder(data_dir)
    for name, t in raw.tables.items():
        for (tab, col), cat in PERSONAL.items():
            if tab == name and col in t.frame.columns:
                for v in t.frame[col].dropna().unique():
                    vals.add(cat, v)
    v = validate_folder(data_dir)
    for name, df in v.tables.items():
        for tab, col in PUBLIC:
            if tab == name and col in df.columns:
                vals.public.update(norm_text(x) for x in pd.unique(df[col].dropna().astype(str)) if len(x) >= 2)
        for (tab, col), cat in PERSONAL.items():
            if tab == name and col in df.columns:
                for x in pd.unique(df[col].dropna().astype(str)):
                    vals.add(cat, x)
    return vals


def file_texts(root: Path) -> dict[str, str]:
    """Every file under ``root`` as text (relative path -> text); PNG images are skipped."""
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = str(p.relative_to(root))
        suf = p.suffix.lower()
        if suf == ".png":
            continue
        if suf == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(p, read_only=True)
            cells = []
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    cells.extend(str(c) for c in row if c is not None)
            wb.close()
            out[rel] = "\n".join(cells)
        elif suf == ".pdf":
            import pypdf

            out[rel] = "\n".join(pg.extract_text() or "" for pg in pypdf.PdfReader(p).pages)
        else:
            out[rel] = p.read_bytes().decode("utf-8", errors="replace")
    return out


def _trie_regex(words) -> re.Pattern:
    """One regex matching any of ``words`` (a trie, so thousands of words match fast)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if end else body

    return re.compile(build(trie))


def _overlapping(rx: re.Pattern, text: str):
    """The words of ``rx`` found in ``text`` (the longest at each place; one found is enough to fail)."""
    for m in rx.finditer(text):
        yield m.group(0)


@dataclass
class Scan:
    """What a search found: ``hits`` are (file, category, value) triples."""

    files: dict[str, int]
    searched: dict[str, int]
    hits: list[tuple[str, str, str]]

    def summary(self) -> str:
        return (f"{len(self.files)} files, values searched {self.searched}, "
                f"{len(self.hits)} found: {self.hits[:10]}")


def scan(roots: list[Path], vals: Values) -> Scan:
    """Search every file under ``roots`` for every value in ``vals``.

    ``vals.public`` holds public strings (cities, company names ...) that a
    personal name may be part of; a name found only inside one of them is no leak.
    """
    texts: dict[str, str] = {}
    for r in roots:
        for rel, t in file_texts(Path(r)).items():
            texts[f"{Path(r).name}/{rel}"] = t
    pats = {cat: _trie_regex(vs) for cat, vs in vals.by_cat.items() if vs}
    publics = _trie_regex(vals.public) if vals.public else None
    hits = set()
    for f, t in texts.items():
        tt = norm_text(t)
        td = norm_digits(t)
        tp = publics.sub("\x00", tt) if publics is not None else tt
        for cat, rx in pats.items():
            hay = td if cat in ("phone", "id_number", "account") else (tp if cat in ("name", "intermediary") else tt)
            if cat == "email":
                hay = t.lower()
            hits.update((f, cat, m) for m in _overlapping(rx, hay))
    return Scan({f: len(t) for f, t in texts.items()}, vals.counts(), sorted(hits))
