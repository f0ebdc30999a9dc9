// The weighted projection links of one borrower (written when community
// detection ran in Neo4j): who it is tied to, how strongly and through what.
// Parameters: $borrower_id (e.g. 'B000123')
MATCH (:Borrower {key: $borrower_id})-[l:LINKED]-(o:Borrower)
RETURN o.key AS borrower, l.weight AS weight, l.links AS through
ORDER BY weight DESC
