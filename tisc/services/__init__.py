"""Use-cases. The only code that queries the database; views and CLI commands call these."""
