"""Importing finance exports: uploads waiting for their columns, the import itself and bulk spend
lines.
"""
