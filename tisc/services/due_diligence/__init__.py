"""Due diligence per supplier and year: records, the tier A and B overview, and the workbook
export.
"""
