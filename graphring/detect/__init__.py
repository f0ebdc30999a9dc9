"""Detection: the borrower projection, communities, ring borders and agency cells."""
