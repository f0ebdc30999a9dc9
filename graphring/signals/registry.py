"""The signal registry: the :class:`Signal` type, :data:`SIGNALS` and running them.

:data:`SIGNALS` lists every signal with its weight, the schemes it points to and the
reason for the weight: the one place scoring is tuned, and the order signals run and
report in. :func:`run_signals` runs them (the company signals in a second lane) and
:func:`strength` measures how strongly one fires in each ring.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from graphring.signals.context import EVIDENCE_COLUMNS, SignalContext
from graphring.signals.counter_evidence import (legitimate_demands, letters_in_own_words, repayment_after_complaint,
                                                self_declared_representation)
from graphring.signals.debt_carrier import (default_after_packaging, layered_intermediaries, multi_product_burst,
                                            shared_broker_device, third_party_repayment)
from graphring.signals.debt_evasion import (activity_during_claimed_illness, fabricated_hardship_claims,
                                            stop_collection_then_no_repayment)
from graphring.signals.malicious_claim import (apology_then_compensation, compensation_close_to_debts,
                                               demands_apology_or_compensation, escalation_to_petition,
                                               high_co_debt_then_default)
from graphring.signals.proxy_complaint import (demands_interest_waiver, foreign_complaint_phone, hub_complaint_phone,
                                               shared_agent, shared_attachment, sim_in_agency_city,
                                               template_complaint_text, unbind_rebind_before_complaint)
from graphring.signals.shell_company_loan import (circular_trade_flows, counterparty_sister_shell,
                                                  officer_concentration, payroll_before_loan, payroll_to_thin_file,
                                                  recent_incorporation, shells_share_registration)
from graphring.signals.structure import (STRUCTURE_FULL_SIZE, exclusive_controlled_ties, shared_accounts_and_phones,
                                         watchlist_match)


@dataclass(frozen=True)
class Signal:
    """A named signal: its function, weight, the schemes it points to, and why.

    ``scope`` says how strength is measured: ``"members"`` (share of the ring's
    borrowers with evidence; ``full_at`` of them counts as fully present) or
    ``"entities"`` (distinct entities in the evidence, ``full_at`` of them counts
    as fully present).

    ``corroborates``: the signal only adds to evidence the ring has of its own
    (its weight is scaled by the score of the other signals, see
    :func:`graphring.score.scoring.score`); alone it scores nothing.
    """

    name: str
    func: Callable[[SignalContext], pd.DataFrame]
    weight: float
    schemes: tuple[str, ...]
    reason: str
    scope: str = "members"
    full_at: float = 0.5
    corroborates: bool = False
    #: counter-evidence: lowers the score (``score * (1 - weight * strength)``) instead of raising it
    counter: bool = False
    #: with ``scope="members"``: a ring counts fully only from this many borrowers on (0: any size)
    size_full: int = 0
    #: names the scheme, not the ring: counts in :func:`graphring.score.scoring.scheme_scores` and the typology,
    #: never in the ring's score (what complainants ask for is asked by honest complainants too)
    types_only: bool = False


#: Every signal, its weight and the reason for it: the one place scoring is tuned.
SIGNALS: tuple[Signal, ...] = (
    Signal("hub_complaint_phone", hub_complaint_phone, 0.30, ("proxy_complaint",),
           "one number filing for many borrowers who then stop repaying (or send its letters) is how an "
           "anti-collection agency works; a legal-aid or HR line's clients keep repaying"),
    Signal("foreign_complaint_phone", foreign_complaint_phone, 0.08, ("proxy_complaint", "debt_evasion"),
           "weak alone: relatives and legal aid call for people too"),
    Signal("sim_in_agency_city", sim_in_agency_city, 0.45, ("proxy_complaint", "debt_evasion"),
           "SIM cards mailed to the agency appear in its city"),
    Signal("unbind_rebind_before_complaint", unbind_rebind_before_complaint, 0.35, ("proxy_complaint", "debt_evasion"),
           "the agency takes over the account phone before complaining"),
    Signal("template_complaint_text", template_complaint_text, 0.60, ("proxy_complaint", "malicious_claim"),
           "letters from one template with the same typos are written by one hand"),
    Signal("shared_attachment", shared_attachment, 0.60, ("proxy_complaint", "debt_evasion"),
           "the same file attached for different people is a forged or template document"),
    Signal("shared_agent", shared_agent, 0.10, ("proxy_complaint", "malicious_claim"),
           "one representative for many borrowers; legal aid also names itself, hence moderate"),
    Signal("fabricated_hardship_claims", fabricated_hardship_claims, 0.45, ("debt_evasion",),
           "hardship claimed with documents that repeat across borrowers (a forger's clients all claim it: "
           "fully present when 80 % of the ring does; an agency's clients cite hardship now and then)",
           "members", 0.8),
    Signal("stop_collection_then_no_repayment", stop_collection_then_no_repayment, 0.25,
           ("debt_evasion", "proxy_complaint"),
           "'stop collecting and I will repay', then no repayment (an evasion gang's demand, and an "
           "anti-collection agency's: stop collection and waive interest)"),
    Signal("activity_during_claimed_illness", activity_during_claimed_illness, 0.35, ("debt_evasion",),
           "life goes on as usual during a claimed hospital stay or after a claimed death"),
    Signal("escalation_to_petition", escalation_to_petition, 0.25, ("malicious_claim",),
           "escalation to higher authorities and petitions is the extortion lever"),
    Signal("compensation_close_to_debts", compensation_close_to_debts, 0.40, ("malicious_claim",),
           "a compensation claim that covers all debts is the goal of a malicious claim"),
    Signal("apology_then_compensation", apology_then_compensation, 0.30, ("malicious_claim",),
           "apology and publication first, compensation later: the coached sequence"),
    Signal("high_co_debt_then_default", high_co_debt_then_default, 0.20, ("malicious_claim",),
           "many concurrent lenders, default, then complaints; common among honest debtors too, hence low"),
    Signal("shells_share_registration", shells_share_registration, 0.45, ("shell_company_loan",),
           "shell factories register their companies through one agent at one address", "entities", 2),
    Signal("recent_incorporation", recent_incorporation, 0.25, ("shell_company_loan",),
           "employers and counterparties created just before the loans", "entities", 2),
    Signal("circular_trade_flows", circular_trade_flows, 0.50, ("shell_company_loan",),
           "money going round among companies inflates turnover", "entities", 2),
    Signal("payroll_to_thin_file", payroll_to_thin_file, 0.35, ("shell_company_loan",),
           "borrowers with no credit history put on a small company's payroll"),
    Signal("payroll_before_loan", payroll_before_loan, 0.35, ("shell_company_loan",),
           "a payroll that starts a few months before the loan is income injected to package the application"),
    Signal("counterparty_sister_shell", counterparty_sister_shell, 0.45, ("shell_company_loan",),
           "the loan's trade counterparty is the employer's sister shell"),
    Signal("officer_concentration", officer_concentration, 0.10, ("shell_company_loan", "debt_carrier"),
           "an insider waving applications through (tested against the officer's share in the ring's own "
           "cities: a branch explains a local group)"),
    Signal("multi_product_burst", multi_product_burst, 0.40, ("debt_carrier",),
           "clean-credit carriers apply for car, mortgage, consumer and business loans at once"),
    Signal("third_party_repayment", third_party_repayment, 0.45, ("debt_carrier",),
           "the intermediary repays the first instalments for the carriers"),
    Signal("shared_broker_device", shared_broker_device, 0.40, ("debt_carrier",),
           "applications made on the broker's device by people living apart"),
    Signal("layered_intermediaries", layered_intermediaries, 0.25, ("debt_carrier",),
           "first-hand and second-hand intermediaries pass carriers along"),
    Signal("default_after_packaging", default_after_packaging, 0.20, ("debt_carrier", "shell_company_loan"),
           "fresh thin-file loans going bad quickly"),
    Signal("shared_accounts_and_phones", shared_accounts_and_phones, 0.20, (),
           "one account or number across several members who do not live together (a family's sharing "
           "at one home address is not counted); structure, not a scheme: it names no typology"),
    Signal("exclusive_controlled_ties", exclusive_controlled_ties, 0.35, (),
           "devices, accounts or numbers an organiser controls, shared by the ring and hardly anyone else "
           "(structure alone: ranks rings where the data holds no trace of a scheme; families share among "
           "2-5, so a group counts fully from ten borrowers on)", size_full=STRUCTURE_FULL_SIZE),
    Signal("demands_interest_waiver", demands_interest_waiver, 0.35, ("proxy_complaint",),
           "an anti-collection agency forces the lender to stop collection and waive interest; honest debtors "
           "ask the same, so it names the scheme and never raises the score", types_only=True),
    Signal("demands_apology_or_compensation", demands_apology_or_compensation, 0.35, ("malicious_claim",),
           "an apology and publication first, compensation later is what an extortion group asks; a wronged "
           "borrower may ask the same, so it names the scheme and never raises the score", types_only=True),
    Signal("self_declared_representation", self_declared_representation, 0.6, (),
           "a law firm or legal-aid centre names itself on the file; an agency hides behind the borrower",
           counter=True),
    Signal("legitimate_demands", legitimate_demands, 0.4, (),
           "instalments or a reduction are what an honest debtor negotiates", counter=True),
    Signal("repayment_after_complaint", repayment_after_complaint, 0.4, (),
           "clients who keep repaying after complaining are not an agency's clients", counter=True),
    Signal("letters_in_own_words", letters_in_own_words, 0.25, (),
           "letters in the writers' own words, not a script", "members", 0.8, counter=True),
    Signal("watchlist_match", watchlist_match, 0.60, (),
           "an identifier already listed by this or another institution corroborates the ring's own evidence "
           "(a list is another party's judgement, not a trace in this data: alone it scores nothing)",
           "entities", 1, corroborates=True),
)


def strength(ev: pd.DataFrame, sizes: pd.Series, signal: Signal) -> pd.Series:
    """Strength in [0, 1] of one signal in each ring, from its evidence.

    Examples
    --------
    >>> ev = pd.DataFrame({"ring": [1, 1, 2], "borrower": ["a", "b", "c"], "entity": [None] * 3})
    >>> s = Signal("x", lambda c: ev, 0.5, (), "", "members", 0.5)
    >>> strength(ev, pd.Series({1: 4, 2: 10}), s).round(2).to_dict()
    {1: 1.0, 2: 0.2}
    """
    if not len(ev):
        return pd.Series(dtype=float)
    if signal.scope == "members":
        covered = ev.dropna(subset=["borrower"]).groupby("ring")["borrower"].nunique()
        n = sizes.reindex(covered.index)
        st = (covered / n / signal.full_at).clip(upper=1.0)
        if signal.size_full:
            st = st * (n / signal.size_full).clip(upper=1.0)
        return st
    n = ev.groupby("ring")["entity"].nunique()
    return (n / signal.full_at).clip(upper=1.0)


#: Signals about companies: they share the shell, payroll and ring-company lookups, so they run together
#: in one lane beside the others (see :func:`run_signals`).
COMPANY_LANE = frozenset({"shells_share_registration", "recent_incorporation", "circular_trade_flows",
                          "payroll_to_thin_file", "payroll_before_loan", "counterparty_sister_shell",
                          "officer_concentration"})


def _run_one(ctx: SignalContext, s: Signal) -> tuple[pd.DataFrame | None, pd.Series | None]:
    """One signal's evidence (tagged with its name) and strength, or (None, None) when it does not fire."""
    ev = s.func(ctx)
    if not len(ev):
        return None, None
    ev = ev.assign(signal=s.name)
    return ev, strength(ev, ctx.size, s)


def run_signals(ctx: SignalContext, signals: tuple[Signal, ...] = SIGNALS,
                threads: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every signal; return (evidence rows, strength table ring x signal).

    With ``threads`` > 1 the company signals (:data:`COMPANY_LANE`) run in a
    second thread beside the others (Arrow, NumPy and much of pandas release
    the GIL); every lookup both lanes read is built first. Results are put
    together in the order of ``signals`` whatever finishes first, so the
    output does not depend on the threads.
    """
    results: list = [None] * len(signals)
    lanes = [[i for i, s in enumerate(signals) if s.name not in COMPANY_LANE],
             [i for i, s in enumerate(signals) if s.name in COMPANY_LANE]]

    def lane(ix: list[int]) -> None:
        for i in ix:
            results[i] = _run_one(ctx, signals[i])

    if threads > 1 and all(lanes):
        ctx.ring_of, ctx.size, ctx.borrowers(), ctx.loans(), ctx.complaints()  # read by both lanes
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphring-signals") as pool:
            side = pool.submit(lane, lanes[1])
            lane(lanes[0])
            side.result()
    else:
        lane(list(range(len(signals))))
    evs = [ev for ev, _ in results if ev is not None]
    strengths = {s.name: st for s, (_, st) in zip(signals, results) if st is not None}
    evidence = pd.concat(evs, ignore_index=True) if evs else pd.DataFrame(columns=EVIDENCE_COLUMNS)
    st = pd.DataFrame(strengths).reindex(ctx.size.index).fillna(0.0)
    for s in signals:
        if s.name not in st.columns:
            st[s.name] = 0.0
    return evidence, st[[s.name for s in signals]]
