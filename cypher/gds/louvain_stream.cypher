// Louvain community detection (modularity, weighted) on a projected graph.
// GDS Louvain takes no random seed and no resolution: with concurrency 1 it is
// deterministic (graphring still records the seed it was asked for).
// Parameters:
//   $graph  the in-memory graph (projection/project.cypher)
CALL gds.louvain.stream($graph, {
  relationshipWeightProperty: 'weight',
  concurrency: 1
})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).key AS key, communityId AS community
