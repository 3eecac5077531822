"""Writing workbooks: exports (streamed), templates (with drop-downs and a 说明 sheet) and the
user's own file handed back with an error column."""
import io
from collections.abc import Iterable

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ronghe.core.tabular.columns import BOOL, CHOICE, DATE, TYPE_LABELS, Column

ERROR_HEADER = "错误/Errors"
NOTES_SHEET = "说明"
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TEMPLATE_ROWS = 5000  # how far down the template's drop-downs reach
# Larger files are handed back rebuilt row by row rather than loaded whole to keep formatting.
ANNOTATE_MAX_BYTES = 2 << 20


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _width(column: Column) -> int:
    return max(10, min(40, len(column.template_header) * 2 + 4))


def rows_xlsx(columns: list[Column], rows: Iterable[dict], *, sheet_title: str) -> bytes:
    """An xlsx of `rows` (dicts by column key), headers as in the template. Written in
    openpyxl's write-only mode, so memory stays flat for large lists."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.template_header)
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([column.cell(row.get(column.key)) for column in columns])
    return _save(workbook)


def template_xlsx(columns: list[Column], *, sheet_title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _width(column)
        head = sheet.cell(row=1, column=index, value=column.template_header)
        head.font = REQUIRED_FONT if column.required else HEADER_FONT
        head.fill = HEADER_FILL
        if column.help:
            head.comment = Comment(str(column.help), "Ronghe")
        example = sheet.cell(row=2, column=index, value=column.example)
        if column.type == DATE:
            example.number_format = "yyyy-mm-dd"
        if column.type in (CHOICE, BOOL):
            labels = ",".join(column.choice_labels())
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required,
                                        showErrorMessage=True)
            validation.error = _("Choose one of: %(choices)s") % {"choices": labels}
            validation.add(f"{letter}2:{letter}{_TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append([_("Column"), _("Required"), _("Format"), _("Allowed values"), _("Description")])
    for cell in notes[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for column in columns:
        notes.append([
            column.header,
            _("yes") if column.required else _("no"),
            str(TYPE_LABELS[column.type]),
            "、".join(column.choice_labels()),
            str(column.help or ""),
        ])
    for letter, width in zip("ABCDE", (18, 8, 24, 40, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[4].alignment = Alignment(wrap_text=True, vertical="top")
    return _save(workbook)


def _error_column(header_cells) -> int:
    """0-based index of the error column: the one already there (a file handed back before and
    uploaded again), else the first after the last header."""
    for index, value in enumerate(header_cells):
        if isinstance(value, str) and value.strip().startswith(ERROR_HEADER):
            return index
    last = max((i for i, v in enumerate(header_cells) if v not in (None, "")), default=-1)
    return last + 1


def _error_header(messages, header_row) -> str:
    """The error column's header; problems with the header row itself (a missing column) are
    written under it, since they belong to no data row."""
    return f"{ERROR_HEADER}\n{messages[header_row]}" if header_row in messages else ERROR_HEADER


def annotated_xlsx(file, *, sheet, header_row, header_cells, messages, bad_cells) -> bytes:
    """The user's own xlsx with the error column filled in and the bad cells highlighted.
    `messages` maps row number → text; `bad_cells` maps row number → 0-based column indexes."""
    workbook = openpyxl.load_workbook(file)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    target = _error_column(header_cells) + 1
    head = worksheet.cell(row=header_row, column=target, value=_error_header(messages, header_row))
    head.font = Font(bold=True, color="9C0006")
    worksheet.column_dimensions[get_column_letter(target)].width = 60
    for row in range(header_row + 1, worksheet.max_row + 1):
        cell = worksheet.cell(row=row, column=target)
        cell.value = messages.get(row)
        if row in messages:
            cell.font = ERROR_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row, indexes in bad_cells.items():
        for index in indexes:
            worksheet.cell(row=row, column=index + 1).fill = BAD_FILL
    return _save(workbook)


def rebuilt_xlsx(rows, *, header_row, header_cells, messages, bad_cells, sheet_title="Sheet1") -> bytes:
    """The same rows as an xlsx, written as a stream, with the error column and highlights:
    for csv and xls input, and for xlsx files too large to load whole."""
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_title)
    target = _error_column(header_cells)
    worksheet.column_dimensions[get_column_letter(target + 1)].width = 60
    for number, cells in rows:
        cells = list(cells) + [None] * max(0, target + 1 - len(cells))
        bad = bad_cells.get(number, ())
        out = []
        for index, value in enumerate(cells):
            if index == target:
                value = _error_header(messages, header_row) if number == header_row else messages.get(number)
            if index in bad or (index == target and (number in messages or number == header_row)):
                cell = WriteOnlyCell(worksheet, value=value)
                if index in bad:
                    cell.fill = BAD_FILL
                else:
                    cell.font = ERROR_FONT
                out.append(cell)
            else:
                out.append(value)
        worksheet.append(out)
    return _save(workbook)
