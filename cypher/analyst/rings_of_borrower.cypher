// Which rings (of any run) a borrower was found in.
// Parameters: $borrower_id (e.g. 'B000123')
MATCH (r:Ring)-[h:HAS_MEMBER]->(:Borrower {key: $borrower_id})
RETURN r.run_id AS run, r.id AS ring, r.score AS score, r.typology AS typology, h.role AS role
ORDER BY score DESC
