// Devices that several borrowers logged in on.
// Parameters: $min_borrowers (e.g. 3)
MATCH (b:Borrower)-[:USED_DEVICE]->(d:Device)
WITH d, count(DISTINCT b) AS borrowers, collect(DISTINCT b.key)[..20] AS sample
WHERE borrowers >= $min_borrowers
RETURN d.key AS device, borrowers, sample
ORDER BY borrowers DESC
