"""A body's supplier register: suppliers, categories, contracts, payees, matching, merging and
reading rows, summaries and exports.
"""
