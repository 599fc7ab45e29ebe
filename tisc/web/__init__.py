"""The web layer: access decorators, security headers, error pages, Jinja set-up, navigation and
the view helpers (saving, years, ids, downloads). Imported by the views and create_app, never by
services, models or rules (.importlinter).
"""
