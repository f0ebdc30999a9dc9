// Drop an in-memory graph (no error when it is already gone).
// Parameters:
//   $graph  graph name
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
