// Weakly connected components of a projected graph (no seed needed: deterministic).
// Parameters:
//   $graph  the in-memory graph (projection/project.cypher)
CALL gds.wcc.stream($graph, {concurrency: 1})
YIELD nodeId, componentId
RETURN gds.util.asNode(nodeId).key AS key, componentId AS community
