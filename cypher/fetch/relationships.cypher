// Read back every relationship of one type with the labels and keys of its ends.
// Parameters:
//   $labels  the graphring labels (a node's label among them names its kind)
MATCH (a)-[r:{{type}}]->(b)
RETURN [l IN labels(a) WHERE l IN $labels][0] AS src_label, a.key AS src,
       [l IN labels(b) WHERE l IN $labels][0] AS dst_label, b.key AS dst,
       properties(r) AS props
