// Project only the links among the given borrowers (used to split a community
// that is larger than the biggest plausible ring, at a higher resolution).
// Rows are sorted by key so the in-memory graph (and so a seeded result) does
// not depend on the order the database happens to store nodes in.
// Parameters:
//   $graph  name of the in-memory graph to create (dropped after use)
//   $keys   borrower keys
UNWIND $keys AS k
MATCH (u:Borrower {key: k})-[l:LINKED]->(v:Borrower)
WHERE v.key IN $keys
WITH u, l, v ORDER BY u.key, v.key
WITH gds.graph.project($graph, u, v,
       {relationshipProperties: {weight: l.weight}},
       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
