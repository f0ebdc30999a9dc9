"""Named signals: one small function per trace in DOMAIN.md, each returning evidence rows.

Every signal takes a :class:`SignalContext` (the graph, the candidate rings and
their borrowers) and returns a DataFrame of evidence with the columns of
:data:`EVIDENCE_COLUMNS`: ``ring`` (candidate ring), ``borrower`` (the member it
is about, if any), ``entity`` (``kind:key`` of the identifier involved, if any),
``table`` and ``row`` (the input row that supports it; ``row`` is the
spreadsheet row number in that table's file), ``key`` (the row's own key where
the table has one) and ``detail`` (plain words).

How strongly a signal fires in a ring is derived from its evidence by
:func:`strength`: for member-level traces, the share of the ring's borrowers
showing the trace (half the ring showing it counts as fully present); for
ring-level traces, the number of distinct supporting entities against a
saturation count. Weights and the reasons for them live in :data:`SIGNALS`.

The benign look-alikes are kept low by construction: traces are counted only
where they are *shared* inside the ring (a legal-aid line's clients each write
in their own words, attach nothing in common, and repay), by fractions of the
ring rather than raw counts, and with per-signal rules noted in each docstring.

Modules
-------
============================================  ================================================
:mod:`~graphring.signals.context`             :class:`SignalContext` and the helpers
                                              signals share
:mod:`~graphring.signals.registry`            :class:`Signal`, :data:`SIGNALS` (weights,
                                              order), :func:`run_signals`, :func:`strength`
:mod:`~graphring.signals.proxy_complaint`     proxy complaints (职业化代理投诉)
:mod:`~graphring.signals.debt_evasion`        malicious debt evasion (恶意逃废债)
:mod:`~graphring.signals.malicious_claim`     malicious claims / extortion (恶意索赔)
:mod:`~graphring.signals.shell_company_loan`  qualification packaging, shells (资质包装)
:mod:`~graphring.signals.debt_carrier`        professional debt carriers (职业背债)
:mod:`~graphring.signals.structure`           shared identifiers and watchlists, any data
:mod:`~graphring.signals.counter_evidence`    what honest representation looks like
============================================  ================================================
"""

from __future__ import annotations

from graphring.signals.context import DAY, EVIDENCE_COLUMNS, SCHEME_DEMANDS, SignalContext
from graphring.signals.counter_evidence import (LEGITIMATE_DEMANDS, SELF_DECLARED, legitimate_demands,
                                                letters_in_own_words, repayment_after_complaint,
                                                self_declared_representation)
from graphring.signals.debt_carrier import (default_after_packaging, layered_intermediaries, multi_product_burst,
                                            shared_broker_device, third_party_repayment)
from graphring.signals.debt_evasion import (HARDSHIP, HARDSHIP_SHARE, activity_during_claimed_illness,
                                            fabricated_hardship_claims, stop_collection_then_no_repayment)
from graphring.signals.malicious_claim import (apology_then_compensation, compensation_close_to_debts,
                                               demands_apology_or_compensation, escalation_to_petition,
                                               high_co_debt_then_default)
from graphring.signals.proxy_complaint import (demands_interest_waiver, foreign_complaint_phone, hub_complaint_phone,
                                               shared_agent, shared_attachment, sim_in_agency_city,
                                               template_complaint_text, unbind_rebind_before_complaint)
from graphring.signals.registry import COMPANY_LANE, SIGNALS, run_signals, Signal, strength
from graphring.signals.shell_company_loan import (circular_trade_flows, counterparty_sister_shell,
                                                  officer_concentration, payroll_before_loan, payroll_to_thin_file,
                                                  recent_incorporation, shells_share_registration)
from graphring.signals.structure import (EXCLUSIVE_SHARE, STRUCTURE_FULL_SIZE, STRUCTURE_LINKS,
                                         exclusive_controlled_ties, shared_accounts_and_phones, watchlist_match)

__all__ = [
    "SignalContext", "Signal", "SIGNALS", "EVIDENCE_COLUMNS", "run_signals", "strength",
    # the signals, and the constants they are tuned with
    "legitimate_demands", "letters_in_own_words", "repayment_after_complaint", "self_declared_representation",
    "default_after_packaging", "layered_intermediaries", "multi_product_burst", "shared_broker_device",
    "third_party_repayment", "activity_during_claimed_illness", "fabricated_hardship_claims",
    "stop_collection_then_no_repayment", "apology_then_compensation", "compensation_close_to_debts",
    "demands_apology_or_compensation", "escalation_to_petition", "high_co_debt_then_default",
    "demands_interest_waiver", "foreign_complaint_phone", "hub_complaint_phone", "shared_agent",
    "shared_attachment", "sim_in_agency_city", "template_complaint_text", "unbind_rebind_before_complaint",
    "circular_trade_flows", "counterparty_sister_shell", "officer_concentration", "payroll_before_loan",
    "payroll_to_thin_file", "recent_incorporation", "shells_share_registration", "exclusive_controlled_ties",
    "shared_accounts_and_phones", "watchlist_match",
    "DAY", "SCHEME_DEMANDS", "LEGITIMATE_DEMANDS", "SELF_DECLARED", "HARDSHIP", "HARDSHIP_SHARE", "COMPANY_LANE",
    "EXCLUSIVE_SHARE", "STRUCTURE_FULL_SIZE", "STRUCTURE_LINKS",
]
