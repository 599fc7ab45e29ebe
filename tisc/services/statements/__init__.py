"""Modern slavery statements: records, access, sign-off, text, figures, templates, documents and
the registry.
"""
