"""Spreadsheets of what leaders see of production. The measures sheet carries the importer's
columns first (so it re-imports unchanged) and then what is computed (单位, 基线, 实际增油), which
the importer ignores; every other table of the pages exports as shown through `table_xlsx`."""
import io
from collections.abc import Iterable

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ronghe.core.tabular import DECIMAL, TEXT, Column, rows_xlsx
from ronghe.production.importers_projects import MeasureImporter, month_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMPUTED = [
    Column("unit", "单位"),
    Column("baseline_t", "措施前日产(t)", type=DECIMAL),
    Column("days_counted", "有效天数", type=DECIMAL),
    Column("actual_increment_t", "实际增油(t)", type=DECIMAL),
    Column("state", "状态", type=TEXT),
]


def measures_xlsx(measures: Iterable, increments: dict, done_label: str, planned_label: str) -> bytes:
    """The measures (rows of `selectors.measures`) with their increments from `selectors.increments`."""
    def rows():
        for m in measures:
            inc = increments.get(m.pk)
            yield {"well": m.well.code, "kind": m.kind, "planned_month": month_cell(m.planned_month),
                   "done_on": m.done_on, "planned_increment_t": m.planned_increment_t, "cost": m.cost,
                   "group": m.group.name if m.group_id else "", "unit": m.well.unit.name,
                   "baseline_t": round(inc.baseline_t, 2) if inc else None,
                   "days_counted": inc.days_counted if inc else None,
                   "actual_increment_t": round(inc.increment_t, 1) if inc else None,
                   "state": done_label if m.done_on else planned_label}

    return rows_xlsx(MeasureImporter.columns + COMPUTED, rows(), sheet_title=MeasureImporter.sheet_title)


def table_xlsx(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    """One sheet: a bold header row and the rows as they are (numbers, dates, text)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(30, len(header) * 2 + 4))
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
