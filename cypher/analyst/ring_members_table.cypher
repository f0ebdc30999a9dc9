// One ring's members as a table: kind (label), key and role, organisers first.
// Parameters: $ring_id (e.g. 'R0001'), $run_id (the run's manifest.json run_id, e.g. 'run-20261203T145500Z-3f2a9c')
MATCH (r:Ring {id: $ring_id, run_id: $run_id})-[h:HAS_MEMBER]->(m)
RETURN r.id AS ring, r.score AS score, r.typology AS typology,
       labels(m)[0] AS kind, m.key AS id, h.role AS role
ORDER BY CASE h.role WHEN 'organizer' THEN 0 WHEN 'member' THEN 2 ELSE 1 END, kind, id
