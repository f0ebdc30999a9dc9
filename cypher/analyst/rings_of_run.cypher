// All rings of a run, most suspicious first, with their size.
// Parameters: $run_id (the run's manifest.json run_id, e.g. 'run-20261203T145500Z-3f2a9c')
MATCH (r:Ring {run_id: $run_id})
OPTIONAL MATCH (r)-[:HAS_MEMBER]->(b:Borrower)
RETURN r.id AS ring, r.score AS score, r.typology AS typology, r.algorithm AS algorithm,
       r.seed AS seed, count(b) AS borrowers
ORDER BY score DESC, ring
