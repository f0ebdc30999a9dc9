// Load (merge) one batch of nodes of one label.
//
// {{label}} is filled by graphring only with a label from graphring/ingest/schema.py
// (ENTITY_KINDS); in Neo4j Browser replace it by hand, e.g. Borrower.
// Parameters:
//   $rows  list of {key: <string>, props: {<property>: <value>, ...}}
//          props holds every non-empty column of the input row, including
//          unknown columns kept as `x:<header>` properties.
// MERGE on the constrained key makes a re-load idempotent: loading the same
// rows again updates properties and creates nothing.
UNWIND $rows AS row
MERGE (n:{{label}} {key: row.key})
SET n += row.props
