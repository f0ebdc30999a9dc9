// The version of the Graph Data Science library on this server.
RETURN gds.version() AS version
