// Phones that filed complaints about several different borrowers: the classic
// trace of an anti-collection ("debt relief") agency complaining on behalf of clients.
// Parameters: $min_borrowers (e.g. 3)
MATCH (c:Complaint)-[:FILED_FROM]->(p:Phone), (c)-[:ABOUT]->(b:Borrower)
WITH p, count(DISTINCT b) AS borrowers, count(c) AS complaints, collect(DISTINCT b.key)[..20] AS sample
WHERE borrowers >= $min_borrowers
RETURN p.key AS phone, borrowers, complaints, sample
ORDER BY borrowers DESC
