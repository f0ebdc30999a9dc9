"""Ingest: read a data folder, check it against the contract, normalise values into typed tables."""
