// Relationships leaving nodes of one label with the given keys, with the
// label and key of the other end (the caller keeps those inside the subgraph).
// Parameters:
//   $keys    keys of the source nodes
//   $labels  the graphring labels
UNWIND $keys AS k
MATCH (a:{{label}} {key: k})-[r:{{types}}]->(b)
RETURN type(r) AS type, a.key AS src, [l IN labels(b) WHERE l IN $labels][0] AS dst_label, b.key AS dst,
       properties(r) AS props
