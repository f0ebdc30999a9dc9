// Leiden community detection (modularity, weighted) on a projected graph.
// Parameters:
//   $graph       the in-memory graph (projection/project.cypher)
//   $seed        random seed (randomSeed: same seed, same communities)
//   $resolution  modularity resolution (gamma); higher gives smaller communities
// concurrency 1 keeps the result reproducible.
CALL gds.leiden.stream($graph, {
  relationshipWeightProperty: 'weight',
  gamma: $resolution,
  randomSeed: $seed,
  concurrency: 1
})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).key AS key, communityId AS community
