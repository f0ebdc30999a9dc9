// Properties of the nodes of one label with the given keys.
// Parameters:
//   $keys  node keys
UNWIND $keys AS k
MATCH (n:{{label}} {key: k})
RETURN n.key AS key, properties(n) AS props
