// Link rings to their members of one label, with the member's role
// (organizer, hub_phone, carrier, member, ...).
// {{label}} is a graphring label (Borrower, Phone, Device, Company, ...).
// Parameters:
//   $rows  list of {ring: <ring key>, key: <member key>, role: <role>}
UNWIND $rows AS row
MATCH (r:Ring {key: row.ring})
MATCH (m:{{label}} {key: row.key})
MERGE (r)-[h:HAS_MEMBER]->(m)
SET h.role = row.role
RETURN count(h) AS written
