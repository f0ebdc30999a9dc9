// Which of the GDS procedures graphring uses are installed on this server.
// Parameters:
//   $names  procedure names, e.g. ['gds.leiden.stream', 'gds.louvain.stream']
SHOW PROCEDURES YIELD name
WHERE name IN $names
RETURN collect(name) AS names
