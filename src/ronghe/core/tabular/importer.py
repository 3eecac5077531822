"""The declarative importer every module uses.

A subclass declares its `columns` and implements `validate(records)` (row and cross-row
checks, reporting through `self.error`) and `save(records)` (bulk writes, returning counts).
The base class reads the file, maps headers, parses every cell, checks duplicates of the key
column, and writes only when the whole file is free of errors — in one transaction, with one
audit entry for the batch. A dry run does everything and rolls back."""
import hashlib
import json
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import audit
from ronghe.core.tabular import writers
from ronghe.core.tabular.columns import CellError, Column, is_blank, normalise_header, parse_text
from ronghe.core.tabular.readers import XLSX, Source, UnreadableFile, read_rows, sheet_name


@dataclass(frozen=True)
class RowError:
    """One problem: the row number as the user sees it (0 for the file as a whole), the column
    header ("" for the row as a whole) and the reason, in the active language."""

    row: int
    column: str
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Row %(row)d [%(column)s]: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("File: %(message)s") % {"message": self.message}


@dataclass
class ImportResult:
    kind: str
    source_name: str = ""
    sha256: str = ""
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "total": 0})
    errors: list[RowError] = field(default_factory=list)
    error_file: bytes | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_text_lines(self) -> list[str]:
        return [str(error) for error in self.errors]


class Record:
    """One data row: parsed values by column key. Keys whose cell failed to parse are in `bad`
    and hold None, so that row checks can skip them instead of reporting twice."""

    __slots__ = ("row", "values", "bad")

    def __init__(self, row: int):
        self.row = row
        self.values: dict = {}
        self.bad: set = set()

    def __getitem__(self, key):
        return self.values.get(key)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def ok(self, *keys) -> bool:
        return not self.bad.intersection(keys)

    def __repr__(self):
        return f"Record(row={self.row}, {self.values})"


class Importer(ABC):
    kind = ""
    title = ""
    sheet_title = "Sheet1"
    columns: list[Column] = []
    key: str | None = None
    header_search_rows = 10
    audit_object_type = "import"

    def __init__(self, actor=None, dry_run=False):
        self.actor = actor
        self.dry_run = dry_run
        self.errors: list[RowError] = []
        self.present: set[str] = set()
        self._by_key = {c.key: c for c in self.columns}
        self._header_row = 1
        self._header_cells: list = []
        self._file_index: dict[str, int] = {}

    # --- what subclasses implement -----------------------------------------------------------

    def validate(self, records: list[Record]) -> None:  # noqa: B027  (an optional hook)
        """Row and cross-row checks; report each problem with `self.error`."""

    @abstractmethod
    def save(self, records: list[Record]) -> dict:
        """Write every record (bulk) and return counts: created, updated, unchanged."""

    def audit_scope(self) -> dict:
        """The unit / party org the batch's audit entry hangs off (for scoped audit pages)."""
        return {}

    # --- helpers for subclasses --------------------------------------------------------------

    @classmethod
    def column(cls, key) -> Column:
        return next(c for c in cls.columns if c.key == key)

    def error(self, record_or_row, key, message) -> None:
        row = record_or_row.row if isinstance(record_or_row, Record) else record_or_row
        header = self._by_key[key].header if key else ""
        self.errors.append(RowError(row, header, str(message)))

    def has(self, key) -> bool:
        """Whether the file has the column: absent columns leave stored values as they are."""
        return key in self.present

    # --- running -----------------------------------------------------------------------------

    def run_file(self, source, filename=None, sheet=None) -> ImportResult:
        """Import a file (path, bytes or binary file object) in xlsx, xls or csv."""
        try:
            src = Source(source, filename)
        except UnreadableFile as exc:
            return self._result(filename or "", "", [RowError(0, "", str(exc))])
        try:
            result = self._run(read_rows(src, sheet), name=src.name, sha256=src.sha256)
            if result.errors and any(e.row for e in result.errors):
                result.error_file = self._error_file(src, sheet, result.errors)
            return result
        except UnreadableFile as exc:
            return self._result(src.name, src.sha256, [RowError(0, "", str(exc))])
        finally:
            src.close()

    def run_rows(self, rows: Iterable[dict], source_name="") -> ImportResult:
        """Import rows given as dicts {header or alias: raw value}, numbered from 2."""
        rows = list(rows)
        headers = list(dict.fromkeys(h for row in rows for h in row))
        table = [(1, headers)] + [(n, [row.get(h) for h in headers]) for n, row in enumerate(rows, start=2)]
        digest = hashlib.sha256(json.dumps(table, default=str, ensure_ascii=False).encode()).hexdigest()
        result = self._run(iter(table), name=source_name, sha256=digest)
        if result.errors:
            result.error_file = self._rebuilt(iter(table), result.errors)
        return result

    @classmethod
    def template_workbook(cls) -> bytes:
        return writers.template_xlsx(cls.columns, sheet_title=cls.sheet_title)

    @classmethod
    def export_workbook(cls, rows: Iterable[dict]) -> bytes:
        """An xlsx of `rows` (dicts by column key) with this importer's headers: re-importable."""
        return writers.rows_xlsx(cls.columns, rows, sheet_title=cls.sheet_title)

    def _result(self, name, sha256, errors, counts=None) -> ImportResult:
        result = ImportResult(kind=self.kind, source_name=name, sha256=sha256, dry_run=self.dry_run, errors=errors)
        if counts:
            result.counts = counts
        return result

    def _run(self, rows: Iterator[tuple[int, list]], *, name, sha256) -> ImportResult:
        self.errors = []
        if not self._read_header(rows):
            return self._result(name, sha256, self._sorted_errors())
        records = self._parse(rows)
        self._check_duplicates(records)
        self.validate(records)
        if self.errors:
            return self._result(name, sha256, self._sorted_errors(), {
                "created": 0, "updated": 0, "unchanged": 0, "total": len(records)})
        with transaction.atomic():
            counts = {"created": 0, "updated": 0, "unchanged": 0, **self.save(records), "total": len(records)}
            if self.dry_run:
                transaction.set_rollback(True)
            else:
                audit.record(
                    actor=self.actor, action=f"import.{self.kind}", object_type=self.audit_object_type,
                    object_id=sha256[:16], object_repr=name or self.kind,
                    after={"file": name, "sha256": sha256, "counts": counts},
                    message=_("Imported %(total)d rows from %(name)s: %(created)d created, %(updated)d updated, "
                              "%(unchanged)d unchanged.") % {**counts, "name": name or "-"},
                    **self.audit_scope())
        return self._result(name, sha256, [], counts)

    def _read_header(self, rows) -> bool:
        """Find the header row (the first of the top rows that names any of our columns), map
        its cells to columns and report missing required columns, once each."""
        names = {}
        for column in self.columns:
            for name in column.names():
                names.setdefault(name, column)
        header_row, header_cells, first = None, [], None
        for number, cells in rows:
            if first is None and not all(is_blank(c) for c in cells):
                first = (number, cells)
            if any(normalise_header(c) in names for c in cells if not is_blank(c)):
                header_row, header_cells = number, cells
                break
            if number >= self.header_search_rows:
                break
        if header_row is None:
            # No header recognised: report against the first row, and keep the error column
            # of the file handed back clear of its cells.
            header_row, header_cells = first or (1, [])
        self._header_row, self._header_cells = header_row, list(header_cells)
        self._file_index = {}
        unknown = []
        for index, cell in enumerate(header_cells):
            if is_blank(cell):
                continue
            column = names.get(normalise_header(cell))
            if column is None:
                unknown.append(parse_text(cell))
            elif column.key in self._file_index:
                self.errors.append(RowError(self._header_row, column.header, _("This column appears twice.")))
            else:
                self._file_index[column.key] = index
        self.present = set(self._file_index)
        missing = [c for c in self.columns if c.required and c.key not in self._file_index]
        for column in missing:
            message = _("The required column is missing.")
            if unknown:
                message += " " + _("Columns not recognised: %(names)s.") % {"names": "、".join(unknown)}
            self.errors.append(RowError(self._header_row, column.header, message))
        return not self.errors

    def _parse(self, rows) -> list[Record]:
        indexed = [(self._by_key[key], index) for key, index in self._file_index.items()]
        records = []
        for number, cells in rows:
            if all(is_blank(c) for c in cells):
                continue
            record = Record(number)
            width = len(cells)
            for column, index in indexed:
                raw = cells[index] if index < width else None
                try:
                    record.values[column.key] = column.parse(raw)
                except CellError as exc:
                    record.values[column.key] = None
                    record.bad.add(column.key)
                    self.errors.append(RowError(number, column.header, str(exc)))
            records.append(record)
        return records

    def _check_duplicates(self, records):
        if not self.key:
            return
        seen = {}
        for record in records:
            value = record[self.key]
            if not record.ok(self.key) or value in (None, ""):
                continue
            folded = str(value).casefold()
            if folded in seen:
                self.error(record, self.key, _("“%(value)s” appears more than once in the file (also row %(row)d).")
                           % {"value": value, "row": seen[folded]})
            else:
                seen[folded] = record.row

    def _sorted_errors(self):
        order = {c.header: i for i, c in enumerate(self.columns)}
        return sorted(self.errors, key=lambda e: (e.row, order.get(e.column, -1)))

    # --- the user's file back, with an error column ------------------------------------------

    def _marks(self, errors):
        messages, bad_cells = defaultdict(list), defaultdict(set)
        by_header = {c.header: c.key for c in self.columns}
        for error in errors:
            if not error.row:
                continue
            messages[error.row].append(f"[{error.column}] {error.message}" if error.column else error.message)
            index = self._file_index.get(by_header.get(error.column))
            if index is not None and error.row != self._header_row:
                bad_cells[error.row].add(index)
        return {row: "\n".join(lines) for row, lines in messages.items()}, bad_cells

    def _error_file(self, src: Source, sheet, errors) -> bytes:
        messages, bad_cells = self._marks(errors)
        common = {"header_row": self._header_row, "header_cells": self._header_cells,
                  "messages": messages, "bad_cells": bad_cells}
        src.file.seek(0, 2)
        if src.format == XLSX and src.file.tell() <= writers.ANNOTATE_MAX_BYTES:
            return writers.annotated_xlsx(src.rewind(), sheet=sheet_name(src, sheet), **common)
        return writers.rebuilt_xlsx(read_rows(src, sheet), sheet_title=self.sheet_title, **common)

    def _rebuilt(self, rows, errors) -> bytes:
        messages, bad_cells = self._marks(errors)
        return writers.rebuilt_xlsx(rows, header_row=self._header_row, header_cells=self._header_cells,
                                    messages=messages, bad_cells=bad_cells, sheet_title=self.sheet_title)
