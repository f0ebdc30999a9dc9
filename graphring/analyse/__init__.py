"""Analysis of finished runs: ring history across runs, explanations, evaluation against truth."""
