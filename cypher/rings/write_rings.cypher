// Write the rings of one run.
// Parameters:
//   $run_id  the run
//   $rings   list of {key: <run_id>/<ring id>, props: {id, score, typology, algorithm,
//            seed, size, signals, ...}}
UNWIND $rings AS ring
MERGE (r:Ring {key: ring.key})
SET r += ring.props, r.run_id = $run_id
