"""Debarment and exclusions (Procurement Act 2023): the central debarment list, who on it is a
supplier of ours (or connected to one), exclusion decisions and the export of matches."""
