// Read back one page of the nodes of one label, with all their properties (key
// included); graphring rebuilds its columnar GraphFrames from this. Pages follow
// the key order (the key constraint's index gives it without sorting), so a large
// database is read in bounded pieces; one row holding lists is much faster to ship
// to Python than one row per node.
// Parameters:
//   $after  the last key of the previous page ('' for the first page)
//   $limit  page size
MATCH (n:{{label}})
WHERE n.key > $after
WITH n ORDER BY n.key LIMIT $limit
WITH collect(n) AS page
RETURN size(page) AS n, CASE WHEN size(page) > 0 THEN page[-1].key END AS last,
       [m IN page | properties(m)] AS props
