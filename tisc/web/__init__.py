"""The web layer: access decorators, security headers, error pages and Jinja set-up. Imported by
views only.
"""
