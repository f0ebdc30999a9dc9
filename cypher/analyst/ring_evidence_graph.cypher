// A ring's borrowers and everything they share: phones, devices, accounts,
// complaints (with the phones they were filed from and their attachments),
// loans (with officer, intermediary and employer). Good first view in Bloom.
// Parameters: $ring_id (e.g. 'R0001'), $run_id (the run's manifest.json run_id, e.g. 'run-20261203T145500Z-3f2a9c')
MATCH (r:Ring {id: $ring_id, run_id: $run_id})-[:HAS_MEMBER]->(b:Borrower)
OPTIONAL MATCH p1 = (b)-[:HAS_PHONE|LISTS_CONTACT|USED_DEVICE|LOGGED_IN_FROM|HOLDS_ACCOUNT|LIVES_AT|HAS_EMAIL]->()
OPTIONAL MATCH p2 = (b)<-[:ABOUT]-(:Complaint)-[:FILED_FROM|ATTACHES|REPRESENTED_BY]->()
OPTIONAL MATCH p3 = (b)-[:HAS_LOAN]->(:Loan)-[:HANDLED_BY|VIA|CLAIMS_EMPLOYER|PROCEEDS_TO]->()
RETURN r, b, collect(DISTINCT p1) AS own, collect(DISTINCT p2) AS complaints, collect(DISTINCT p3) AS loans
