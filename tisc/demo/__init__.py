"""Demo data for `flask --app tisc seed-demo`: a partnership of 14 bodies with a history. Built on
the services.
"""
