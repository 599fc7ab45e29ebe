"""Action plans: the partnership's commitments, each body's plan, training records and KPIs."""
