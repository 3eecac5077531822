"""Readers for xlsx, xls and csv. Each yields (row number as the user sees it, list of cell
values) one row at a time; dates come out as datetime objects whatever the format."""
import codecs
import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

XLSX, XLS, CSV = "xlsx", "xls", "csv"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 16


class UnreadableFile(ValueError):
    """The file is not a spreadsheet we can read; the message is user-facing."""


class Source:
    """A seekable binary copy of what the user gave (path, bytes or file object), its name,
    format and SHA-256."""

    def __init__(self, source, filename=None):
        if isinstance(source, (str, os.PathLike)):
            filename = filename or os.path.basename(os.fspath(source))
            self.file = open(source, "rb")  # noqa: SIM115  (closed by close())
            self._owned = True
        elif isinstance(source, (bytes, bytearray)):
            self.file, self._owned = io.BytesIO(source), True
        else:
            self.file, self._owned = source, False
            if not (hasattr(source, "seekable") and source.seekable()):
                spooled = tempfile.SpooledTemporaryFile(max_size=16 << 20)
                for chunk in iter(lambda: source.read(_CHUNK), b""):
                    spooled.write(chunk)
                self.file, self._owned = spooled, True
            filename = filename or getattr(source, "name", "") or ""
        self.name = os.path.basename(str(filename or ""))
        self.file.seek(0)
        digest = hashlib.sha256()
        head = b""
        for chunk in iter(lambda: self.file.read(_CHUNK), b""):
            if not head:
                head = chunk[:8]
            digest.update(chunk)
        self.sha256 = digest.hexdigest()
        self.format = _detect_format(head, self.name)
        self.rewind()

    def rewind(self):
        self.file.seek(0)
        return self.file

    def read_bytes(self) -> bytes:
        return self.rewind().read()

    def close(self):
        if self._owned:
            self.file.close()


def _detect_format(head: bytes, name: str) -> str:
    """By content first: a file saved as .xls that is really xlsx (or the reverse) is common."""
    if head.startswith(_ZIP_MAGIC):
        return XLSX
    if head.startswith(_OLE_MAGIC):
        return XLS
    ext = os.path.splitext(name)[1].lower()
    if ext in (".xlsx", ".xlsm", ".xls"):
        raise UnreadableFile(_("The file is not a valid Excel workbook."))
    if ext in ("", ".csv", ".txt", ".tsv"):
        return CSV
    raise UnreadableFile(_("Unsupported file type “%(ext)s”: use xlsx, xls or csv.") % {"ext": ext})


def read_rows(source: Source, sheet=None) -> Iterator[tuple[int, list]]:
    """Every row of the sheet (the first, or the one named), numbered from 1."""
    reader = {XLSX: _xlsx_rows, XLS: _xls_rows, CSV: _csv_rows}[source.format]
    return reader(source, sheet)


def sheet_name(source: Source, sheet=None) -> str | None:
    if source.format != XLSX:
        return None
    import openpyxl

    workbook = openpyxl.load_workbook(source.rewind(), read_only=True)
    try:
        return _pick_sheet(workbook.sheetnames, sheet)
    finally:
        workbook.close()


def _pick_sheet(names, sheet):
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    raise UnreadableFile(_("The workbook has no sheet named “%(name)s”.") % {"name": sheet})


def _xlsx_rows(source, sheet):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(source.rewind(), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(_("The file is not a valid Excel workbook.")) from exc
    try:
        worksheet = workbook[_pick_sheet(workbook.sheetnames, sheet)]
        # Writers other than Excel often store a wrong sheet size; without it every cell is read.
        worksheet.reset_dimensions()
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _xls_rows(source, sheet):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=source.read_bytes(), on_demand=True)
    except xlrd.XLRDError as exc:
        raise UnreadableFile(_("The file is not a valid Excel workbook.")) from exc
    try:
        worksheet = book.sheet_by_name(_pick_sheet(book.sheet_names(), sheet))
        for index in range(worksheet.nrows):
            cells = []
            for cell in worksheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    cells.append(bool(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    cells.append(None)
                else:
                    cells.append(cell.value)
            yield index + 1, cells
    finally:
        book.release_resources()


def csv_encoding(source: Source) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else GB18030 (a superset
    of GBK, which Excel on Chinese Windows writes)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file = source.rewind()
    try:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def csv_delimiter(first_line: str) -> str:
    """Tab for a tab-separated file (as Excel saves "Unicode text"), else comma."""
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _csv_rows(source, sheet):
    encoding = csv_encoding(source)
    text = io.TextIOWrapper(source.rewind(), encoding=encoding, errors="replace", newline="")
    try:
        delimiter = csv_delimiter(text.readline())
        text.seek(0)
        yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
    finally:
        text.detach()
