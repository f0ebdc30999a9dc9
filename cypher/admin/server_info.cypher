// Server name, version and edition (reported by the benchmark and `graphring load`).
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions[0] AS version, edition
