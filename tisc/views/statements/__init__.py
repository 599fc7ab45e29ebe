"""Statement pages: the partnership's side, each body's side, documents and templates."""
