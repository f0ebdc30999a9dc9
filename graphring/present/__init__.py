"""Presentation: masking, formats, the message catalogue, diagrams, HTML reports and referral packs."""
