"""Blueprints, one module per area. Views are thin: load, check, call a service, commit.

What views share (access rules, years, downloads, saving) is the web layer's, tisc.web.
"""
