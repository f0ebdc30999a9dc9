"""Synthetic bank exports with planted fraud rings and benign look-alikes.

:func:`generate` writes a data folder in the contract format (``borrowers.csv``,
``contacts.csv``, ... ``payments.csv``) describing a realistic population of a
Chinese consumer lender, and ``truth.csv`` *beside* the folder listing every
planted ring member (``ring_id,typology,kind,id``) and every benign look-alike
group (``ring_id`` starting with ``BENIGN``).

The population
--------------
* Honest borrowers (about 90-95 %): Chinese names, valid 18-digit resident IDs
  (GB 11643 check digit, area code of a district in the borrower's province),
  mobiles, homes in 68 cities, employers with valid USCCs (GB 32100), salaries,
  social insurance, loans handled by hundreds of loan officers, popular brokers,
  devices and logins (carrier CGNAT and public Wi-Fi IPs shared by many), bank
  cards, emergency contacts, phone binding history and complaints written in the
  borrower's own words.
* Benign look-alikes: families sharing a device, home and contact phone; legal-aid
  centre hotlines and employers' HR lines calling in complaints for many people
  (each complaint in different words); a nationwide employer with ~4 % of all
  borrowers; junk device identifiers shared by thousands; public Wi-Fi; popular
  brokers and bookkeeping firms.
* Planted rings of the five schemes of ``DOMAIN.md`` (``proxy_complaint``,
  ``debt_evasion``, ``malicious_claim``, ``shell_company_loan``, ``debt_carrier``),
  about one per 500 borrowers (at least five), heavy-tailed sizes from 5 to a few
  hundred borrowers, with varied stealth: each ring keeps each optional trace
  with a ring-specific probability.

Everything is vectorised with numpy (one :class:`numpy.random.Generator`); Python
loops run per ring, per benign group and per complaint text only, so a million
borrowers take a few minutes. The same ``seed`` and ``n_borrowers`` give
byte-identical files.

``messy=True`` writes the folder the way a bank export arrives: GB18030 CSV
(two tables UTF-8 with BOM), Chinese headers, CRLF line ends, mixed phone,
amount and date formats, ``companies`` as an XLSX workbook, and about 0.2 % bad
rows (duplicate customer numbers, unknown borrower references, bad ID check
digits, unparseable dates and amounts, ragged rows). Truth keeps normalised ids.

The package
-----------
:func:`generate` runs the stages of one :class:`~graphring.sample.world._World` in a
fixed order (every random draw comes from the world's generators in that order) and
hands it to the writer:

* ``population``: geography, names, identifiers, borrowers, companies, staff, benign groups;
* ``honest``: the tables every borrower fills as an honest customer (accounts, devices,
  contacts, phone events, employment, loans, repayments);
* ``complaints`` and ``letters``: the complaints table and the letter text in it;
* ``schemes``: planting the five ring typologies and building their traces;
* ``world``: the mixins combined, ids, balances and truth;
* ``messy`` and ``writer``: formatting each field (clean or as a bank export arrives)
  and writing the folder and its truth.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "bank"
>>> s = generate(d, 300, seed=1)
>>> (d / "borrowers.csv").exists(), (d.parent / "truth.csv").exists()
(True, True)
>>> s["tables"]["borrowers"]
300
>>> sorted(s["rings"])
['debt_carrier', 'debt_evasion', 'malicious_claim', 'proxy_complaint', 'shell_company_loan']
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from graphring.config import TYPOLOGIES
from graphring.sample.world import _World
from graphring.sample.writer import _write_world

__all__ = ["generate", "TYPOLOGIES"]


def _noop(_msg: str) -> None:
    return None


#: Variations the domain allows, each switchable (``generate(..., variations=...)``, ``graphring sample --vary``),
#: so tests and benchmarks can pin every failure mode ring finding met on data it was not tuned on.
VARIATIONS = {
    "sold_scripts": "complaint scripts made once by a supplier and sold to many teams: rings of one scheme "
                    "draw their letter from two scripts instead of writing their own",
    "stock_phrases": "honest borrowers write from the same handful of stock phrases (near-duplicate letters "
                     "in correct Chinese, no shared mistakes)",
    "law_firm": "the first legal-aid group is a licensed law firm instead, filing a standard engagement "
                "letter (one form, with the firm's own slip) for clients who keep repaying",
    "aid_forms": "legal-aid centres file one standard form letter for every client instead of their words",
    "no_text": "complaints exported without the letter text",
    "few_tables": "a bank with only borrowers, devices, accounts and payments",
}
_FEW_TABLES = ("borrowers", "devices", "accounts", "payments")


def generate(out_dir, n_borrowers: int = 2000, seed: int = 0, messy: bool = False,
             progress: Callable[[str], None] | None = None, truth_path=None, variations=()) -> dict:
    """Write a synthetic bank export with planted fraud rings and benign look-alikes.

    Parameters
    ----------
    out_dir : str or Path
        The data folder to write (created if needed): one CSV per table
        (``companies.xlsx`` instead of ``companies.csv`` when ``messy``).
    n_borrowers : int
        Number of borrowers (at least 50). A million takes a few minutes.
    seed : int
        Random seed; the same seed and ``n_borrowers`` give byte-identical files.
    messy : bool
        Write as a bank export arrives: GB18030 (two tables UTF-8 with BOM), Chinese
        headers, CRLF, mixed phone/amount/date formats and ~0.2 % bad rows.
    progress : callable, optional
        Called with a short message at each stage.
    truth_path : str or Path, optional
        Where to write the ground truth; default ``Path(out_dir).parent / "truth.csv"``
        (beside the data folder, never inside it).
    variations : iterable of str
        Names from :data:`VARIATIONS`; none by default (then the files are those of earlier versions).

    Returns
    -------
    dict
        Summary: rows per table, files and encodings, rings per typology, ring sizes,
        benign groups, truth location.
    """
    out = Path(out_dir)
    tp = Path(truth_path) if truth_path is not None else out.parent / "truth.csv"
    if tp.resolve().parent == out.resolve():
        raise ValueError("truth.csv must not be written inside the data folder")
    unknown = set(variations) - set(VARIATIONS)
    if unknown:
        raise ValueError(f"unknown variation(s) {', '.join(sorted(unknown))}; choose from {', '.join(VARIATIONS)}")
    w = _World(n_borrowers, seed, messy, progress or _noop)
    w.vary = frozenset(variations)
    w.run()
    summary = _write_world(w, out, tp)
    if "few_tables" in w.vary:
        for f in out.iterdir():
            if f.is_file() and f.name.split(".")[0] not in _FEW_TABLES:
                f.unlink()
    summary["variations"] = sorted(w.vary)
    w.say("done")
    return summary
