"""Reading and writing files: spend files in, spreadsheets out, Word templates checked, zips
checked first. No database.
"""
