"""Scoring: signal strengths into a ring's score, typology and member roles."""
