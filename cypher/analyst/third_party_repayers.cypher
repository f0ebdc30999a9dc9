// Loans repaid by someone other than their borrower (a debt-carrier trace).
MATCH (payer)-[p:REPAID]->(l:Loan)<-[:HAS_LOAN]-(b:Borrower)
WHERE payer <> b
RETURN l.key AS loan, b.key AS borrower, labels(payer)[0] AS payer_kind, payer.key AS payer,
       p.amount AS amount, p.paid_at AS paid_at
ORDER BY loan
