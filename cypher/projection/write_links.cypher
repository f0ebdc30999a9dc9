// Write one batch of the rarity-weighted borrower projection: two borrowers are
// linked when they share identifiers (complaint phone, device, attachment,
// near-identical complaint text, shell employer, ...). `weight` is the summed
// rarity weight, `links` the kinds of identifier shared (`;`-separated).
// Parameters:
//   $rows  list of {u: <borrower key>, v: <borrower key>, weight: <float>, links: <string>}
// Community detection (GDS) projects these; analysts can also look at them:
//   MATCH p = (:Borrower {key: 'B000123'})-[:LINKED]-(:Borrower) RETURN p
UNWIND $rows AS row
MATCH (u:Borrower {key: row.u})
MATCH (v:Borrower {key: row.v})
MERGE (u)-[l:LINKED]->(v)
SET l.weight = row.weight, l.links = row.links
