"""Reading finance exports (CSV or XLSX) into typed spend lines: pure, no database, no Flask.

table = read_table(data, filename="august.csv")         # RefusedFile if unusable
mapping = guess_mapping(table.columns, table.rows)       # field -> column or None
guess = guess_columns(table.columns, table.rows)         # the same, with why for scored fields
parsed = parse_rows(table, mapping)                      # MappingError if one is missing
parsed.lines, parsed.excluded, parsed.problems
"""

from tisc.documents.spendfiles.columns import (
    FIELD_LABELS,
    FIELDS,
    REQUIRED_FIELDS,
    ColumnGuess,
    column_key,
    find_header_row,
    guess_columns,
    guess_mapping,
    load_aliases,
)
from tisc.documents.spendfiles.dates import iso_dates
from tisc.documents.spendfiles.model import MappingError, ParsedFile, Problem, RawTable, RefusedFile
from tisc.documents.spendfiles.parsing import LINE_COLUMNS, parse_rows
from tisc.documents.spendfiles.reading import read_table

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "LINE_COLUMNS",
    "REQUIRED_FIELDS",
    "ColumnGuess",
    "MappingError",
    "ParsedFile",
    "Problem",
    "RawTable",
    "RefusedFile",
    "column_key",
    "find_header_row",
    "guess_columns",
    "guess_mapping",
    "iso_dates",
    "load_aliases",
    "parse_rows",
    "read_table",
]
