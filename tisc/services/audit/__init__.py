"""The audit trail: the hash chain, capturing every change, which records it follows, and reading
it.
"""
