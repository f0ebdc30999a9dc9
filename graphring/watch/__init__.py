"""Watching: watchlists shared between institutions, and screening new records against known rings."""
