// Read back the relationships of one type leaving one page of source nodes of one
// label, with the label and key of the other end, column by column. Pages follow
// the key order of the source label (index-backed), so memory stays bounded.
// {{type}} / {{src_label}} come only from graphring/graph/model.py and schema.py.
// Parameters:
//   $after   the last source key of the previous page ('' for the first page)
//   $limit   page size (source nodes)
//   $labels  the graphring labels (a node's label among them names its kind)
MATCH (a:{{src_label}})
WHERE a.key > $after
WITH a ORDER BY a.key LIMIT $limit
WITH collect(a) AS page
CALL (page) {
  UNWIND page AS a
  MATCH (a)-[r:{{type}}]->(b)
  RETURN collect(a.key) AS src, collect([l IN labels(b) WHERE l IN $labels][0]) AS dst_labels,
         collect(b.key) AS dst, collect(properties(r)) AS props
}
RETURN size(page) AS n, CASE WHEN size(page) > 0 THEN page[-1].key END AS last,
       src, dst_labels, dst, props
