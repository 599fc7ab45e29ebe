"""The collaboration board: the partnership dashboard and the board report."""
