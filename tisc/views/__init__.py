"""Blueprints, one module per area. Views are thin: load, check, call a service, commit.

What views share (access rules, years, downloads, saving) is the web layer's, tisc.web.
"""

# The statement views still import it from here; it lives with the access rules.
from tisc.web.access import signed_in_user

__all__ = ["signed_in_user"]
