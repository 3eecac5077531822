"""Spreadsheet import and export for every module: declarative importers (columns with
Chinese headers, English aliases and types), readers for xlsx / xls / csv, templates, exports and
the user's file handed back with an error column. See importer.Importer."""
from ronghe.core.tabular.columns import BOOL, CHOICE, DATE, DECIMAL, INT, TEXT, CellError, Column, Masked
from ronghe.core.tabular.importer import Importer, ImportResult, Record, RowError
from ronghe.core.tabular.registry import all_importers, importer_for, register
from ronghe.core.tabular.writers import ERROR_HEADER, rows_xlsx

__all__ = [
    "BOOL", "CHOICE", "DATE", "DECIMAL", "INT", "TEXT", "ERROR_HEADER",
    "CellError", "Column", "Importer", "ImportResult", "Masked", "Record", "RowError",
    "all_importers", "importer_for", "register", "rows_xlsx",
]
