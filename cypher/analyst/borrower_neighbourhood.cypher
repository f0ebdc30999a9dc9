// Everything within two hops of one borrower (its identifiers and who else uses them).
// Parameters: $borrower_id (e.g. 'B000123')
MATCH p = (:Borrower {key: $borrower_id})-[*1..2]-()
WHERE none(rel IN relationships(p) WHERE type(rel) IN ['HAS_MEMBER', 'LINKED'])
RETURN p
LIMIT 500
