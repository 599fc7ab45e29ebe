"""A body's incident and remediation log (indicators of forced labour found, referrals made,
remediation taken), open only to its statement and procurement leads and administrators, and
the counts, never the details, the board and the statement read.
"""
