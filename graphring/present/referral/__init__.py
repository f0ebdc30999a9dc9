"""Referral packs (移送材料) for police liaisons: one ring, every file a referral needs.

The library call is :func:`write_referral` (see :mod:`graphring.present.referral.pack`
for the files of a pack); the ``graphring referral`` command
(:mod:`graphring.cli.referral`) calls it. Static diagrams alone are
:func:`graphring.present.diagram.render_diagram`.

Modules: :mod:`~graphring.present.ringdata` (load and mask one ring),
:mod:`~graphring.present.referral.amounts`, :mod:`~graphring.present.referral.timeline`,
:mod:`~graphring.present.referral.crimes` (facts beside the crime table, never a
conclusion), :mod:`~graphring.present.referral.tables` (CSV/XLSX),
:mod:`~graphring.present.referral.graphs` (i2, GraphML, GEXF),
:mod:`~graphring.present.referral.page` (HTML), :mod:`~graphring.present.referral.pdf`.

Examples
--------
>>> from graphring.present.referral import write_referral, load_ring
>>> callable(write_referral), callable(load_ring)
(True, True)
"""

from graphring.present.ringdata import RingData, load_ring
from graphring.present.referral.pack import write_referral

__all__ = ["write_referral", "load_ring", "RingData"]
