// Show one ring with its members (Browser / Bloom).
// Parameters (in Browser: `:param ring_id => 'R0001'` and `:param run_id => 'run-20261203T145500Z-3f2a9c'`):
//   $ring_id  ring id as in ring_members.csv, e.g. 'R0001'
//   $run_id   the run that found it (manifest.json run_id of the run directory)
MATCH p = (r:Ring {id: $ring_id, run_id: $run_id})-[:HAS_MEMBER]->(m)
RETURN p
