// Read back every node of one label with all its properties
// (graphring rebuilds its columnar GraphFrames from this).
MATCH (n:{{label}})
RETURN n.key AS key, properties(n) AS props
