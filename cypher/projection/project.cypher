// Project the borrower links into a GDS in-memory graph (Cypher projection:
// the gds.graph.project aggregation function), undirected and weighted.
// Rows are sorted by key so the in-memory graph (and so a seeded result) does
// not depend on the order the database happens to store nodes in.
// Parameters:
//   $graph  name of the in-memory graph to create (dropped after use)
MATCH (u:Borrower)-[l:LINKED]->(v:Borrower)
WITH u, l, v ORDER BY u.key, v.key
WITH gds.graph.project($graph, u, v,
       {relationshipProperties: {weight: l.weight}},
       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
