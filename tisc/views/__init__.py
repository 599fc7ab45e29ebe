"""Blueprints, one module per area. Views are thin: load, check, call a service, commit."""
