// One hop out from a set of nodes of one label, through the loaded
// relationship types only (not rings, not projection links).
// Parameters:
//   $keys    keys of the starting nodes
//   $labels  the graphring labels
MATCH (n:{{label}})-[:{{types}}]-(m)
WHERE n.key IN $keys
RETURN DISTINCT [l IN labels(m) WHERE l IN $labels][0] AS label, m.key AS key
