"""Real spreadsheet files for the import tests, written the way users' tools write them."""
import csv
import io
from pathlib import Path

import openpyxl

from tests.data.make_xls import write_xls

HERE = Path(__file__).parent


def xlsx(path, rows, sheet="Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)
    return Path(path)


def csv_file(path, rows, encoding="utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out).writerows(["" if v is None else v for v in row] for row in rows)
    Path(path).write_bytes(out.getvalue().encode(encoding))
    return Path(path)


def xls(path, rows, sheet="Sheet1") -> Path:
    write_xls(path, rows, sheet)
    return Path(path)


def read_xlsx(content: bytes, sheet=None):
    """All rows of a workbook's sheet as lists of values, and the workbook itself."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    return [list(row) for row in worksheet.iter_rows(values_only=True)], workbook
