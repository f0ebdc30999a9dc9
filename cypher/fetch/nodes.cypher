// Read back every node of one label with all its properties (key included);
// graphring rebuilds its columnar GraphFrames from this. One row holding a list
// is much faster to ship to Python than one row per node.
MATCH (n:{{label}})
RETURN collect(properties(n)) AS props
