// Load (merge) one batch of relationships of one type between two labels.
//
// {{type}}, {{src_label}}, {{dst_label}} come only from graphring/graph/model.py
// (RELATIONSHIPS) and graphring/ingest/schema.py; e.g. HAS_PHONE, Borrower, Phone.
// Parameters:
//   $rows  list of {src: <key>, dst: <key>, table: <input table>, row: <row number>,
//                   props: {<property>: <value>, ...}}
// A relationship is identified by its two ends and the input row that made it
// (_table, _row), so re-loading the same folder creates no duplicates while two
// rows linking the same pair stay two relationships (two logins, two payments).
// Both end nodes exist already: nodes are loaded before relationships.
UNWIND $rows AS row
MATCH (a:{{src_label}} {key: row.src})
MATCH (b:{{dst_label}} {key: row.dst})
MERGE (a)-[r:{{type}} {_table: row.table, _row: row.row}]->(b)
SET r += row.props
