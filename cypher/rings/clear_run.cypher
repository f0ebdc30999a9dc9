// Remove the rings of one run (and their HAS_MEMBER relationships) so that
// writing a run again replaces it instead of adding to it.
// Parameters:
//   $run_id  the run
MATCH (r:Ring {run_id: $run_id})
DETACH DELETE r
