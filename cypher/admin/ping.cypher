// Connectivity check: graphring runs this first on the chosen database, so an
// unreachable server, refused credentials or a missing database fail fast with
// a clear message instead of in the middle of a load.
RETURN 1 AS ok
