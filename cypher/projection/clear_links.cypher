// Remove the borrower projection links (:Borrower)-[:LINKED]->(:Borrower) of a
// previous run before writing the current ones. Auto-commit, batched.
MATCH (:Borrower)-[r:LINKED]->(:Borrower)
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
