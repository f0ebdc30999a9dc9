"""Defaults every command and the library share: one place, read by the CLI and the library alike.

Examples
--------
>>> DEFAULTS["algorithm"], DEFAULTS["min_score"], SCREEN_MIN_SCORE
('leiden', 0.2, 0.2)
"""

from __future__ import annotations

__all__ = ["DEFAULTS", "SCREEN_MIN_SCORE", "TYPOLOGIES"]

#: Ring finding defaults, chosen by evaluation on generated data (see README "Ring finding").
DEFAULTS = {"algorithm": "leiden", "seed": 0, "min_size": 3, "max_size": 400, "resolution": 0.03,
            "quality": "cpm", "min_score": 0.2, "text_threshold": 0.5, "n_iterations": 2}

#: The five schemes a ring can be (scoring names them; the sample generator plants them).
TYPOLOGIES = ("proxy_complaint", "debt_evasion", "malicious_claim", "shell_company_loan", "debt_carrier")

#: The lowest alert score ``graphring screen`` reports by default.
SCREEN_MIN_SCORE = 0.2
