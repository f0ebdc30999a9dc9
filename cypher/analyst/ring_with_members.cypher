// Show one ring with its members (Browser / Bloom).
// Parameters (in Browser: `:param ring_id => 'R0001'` and `:param run_id => 'run'`):
//   $ring_id  ring id as in ring_members.csv, e.g. 'R0001'
//   $run_id   the run that found it (graphring's default run id is 'run')
MATCH p = (r:Ring {id: $ring_id, run_id: $run_id})-[:HAS_MEMBER]->(m)
RETURN p
