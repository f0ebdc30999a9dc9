// Read back every relationship of one type with the labels and keys of its ends,
// column by column (one row of lists: much faster to ship than a row per relationship).
// Parameters:
//   $labels  the graphring labels (a node's label among them names its kind)
MATCH (a)-[r:{{type}}]->(b)
RETURN collect([l IN labels(a) WHERE l IN $labels][0]) AS src_labels, collect(a.key) AS src,
       collect([l IN labels(b) WHERE l IN $labels][0]) AS dst_labels, collect(b.key) AS dst,
       collect(properties(r)) AS props
