// Delete every node and relationship of the current database, in batches so a
// large database does not need one huge transaction. Used by the test suite
// between tests; destructive - never run it on a database you want to keep.
// Must run in an auto-commit transaction (CALL ... IN TRANSACTIONS).
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
