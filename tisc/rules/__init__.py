"""Pure domain rules: no database, no Flask. Most unit tests live against these."""
