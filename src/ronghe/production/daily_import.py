"""Importing daily production (日产): files of millions of rows, all or nothing, in bounded
memory.

Pass one reads the file (csv in UTF-8 or GBK, xlsx, xls) and checks every rule of every row —
unknown well or one outside the importer's scope, the same well and date twice in the file,
negative values, 含水 outside 0–100, 生产时间 over 24 hours, a date in the future or before the
well's 投产日期. A csv is read in blocks checked a column at a time (daily_csv), anything else
row by row; the rows either reader does not clear go through the same row checks. The cross-row
check keeps one bit per (well, day); the valid rows go to the writer (bulk.Writer: a spool file
in COPY text format and, on PostgreSQL, a COPY running alongside), and their sums per (unit,
day) to a tally (daily_checks), not to memory. Pass one runs in the import's transaction: a file
with a single error is undone whole; one without reaches pass two, which finishes the load, adds
to the unit-day totals and writes one audit entry for the batch. Errors are reported as (row,
column, reason) in the active language; the first MAX_ERRORS are kept, all are counted."""
import datetime as dt
import math
import sys
import tempfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ronghe.core import audit, clock
from ronghe.core.scoping import IMPORT
from ronghe.core.tabular import DATE, DECIMAL, TEXT, CellError, Column, RowError
from ronghe.core.tabular.columns import is_blank, normalise_header, parse_text
from ronghe.core.tabular.readers import (
    CSV,
    XLSX,
    Source,
    UnreadableFile,
    csv_delimiter,
    csv_encoding,
    read_rows,
)
from ronghe.core.tabular.writers import template_xlsx
from ronghe.org.models import Unit
from ronghe.production import bulk, daily_csv
from ronghe.production.daily_checks import DaysSeen, ScopeWells, Tally
from ronghe.production.models import Well

KIND = "production"
SHEET_TITLE = "日产"
MAX_ERRORS = 1000
LARGEST = sys.float_info.max  # bounds a number that has no upper limit, so inf is out
PROGRESS_EVERY = 20_000



def _spellings(*names):
    """Headers as typed on Chinese keyboards too: full-width brackets, m3 for m³."""
    out = []
    for name in names:
        out += [name, name.replace("(", "（").replace(")", "）")]
        if "m³" in name:
            out += _spellings(name.replace("m³", "m3"))
    return tuple(dict.fromkeys(out))


COLUMNS = [
    Column("well", "井号", ("well", "well_code"), TEXT, required=True, example="LH-1-101", max_length=40,
           help=gettext_lazy("The well's number; the well must exist and lie within your scope.")),
    Column("date", "日期", ("date",), DATE, required=True, example=dt.date(2026, 3, 5),
           help=gettext_lazy("The production day; not in the future, not before the well's 投产日期.")),
    Column("hours", "生产时间(h)", ("hours", "生产时间", *_spellings("生产时间(h)")), DECIMAL, example=24,
           help=gettext_lazy("Hours the well produced that day, 0 to 24.")),
    Column("liquid_t", "日产液(t)", ("liquid", "liquid_t", "日产液", *_spellings("日产液(t)")), DECIMAL, example=12.5,
           help=gettext_lazy("Liquid (oil and water), tons.")),
    Column("oil_t", "日产油(t)", ("oil", "oil_t", "日产油", *_spellings("日产油(t)")), DECIMAL, required=True, example=3.2,
           help=gettext_lazy("Oil, tons.")),
    Column("gas_m3", "日产气(m³)", ("gas", "gas_m3", "日产气", *_spellings("日产气(m³)")), DECIMAL, example=150,
           help=gettext_lazy("Gas, cubic metres.")),
    Column("water_cut", "含水(%)", ("water_cut", "含水", *_spellings("含水(%)")), DECIMAL, example=74.4,
           help=gettext_lazy("Water cut, percent, 0 to 100.")),
]
BY_KEY = {c.key: c for c in COLUMNS}
NUMBERS = ("hours", "liquid_t", "oil_t", "gas_m3", "water_cut")


def template_workbook() -> bytes:
    return template_xlsx(COLUMNS, sheet_title=SHEET_TITLE)


@dataclass
class Outcome:
    name: str = ""
    sha256: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    replaced: int = 0
    unit_days: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_count

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]


def _float(column: Column, raw):
    """A number cell as a float; the common case (plain text or a number) without Decimal."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = float(column.parse(raw))
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        value = float(column.parse(raw))
    if math.isnan(value) or math.isinf(value):
        raise CellError(_("Not a number."))
    return value


def _date(raw) -> dt.date:
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    elif isinstance(raw, dt.datetime):
        return raw.date()
    return BY_KEY["date"].parse(raw)


class DailyImport:
    """One run over one file. `progress(status, rows_done, rows_total)` is called as it goes,
    with status "validating" or "writing" (rows_total may be None when unknown)."""

    def __init__(self, actor=None, dry_run=False, progress: Callable[[str, int, int | None], None] | None = None,
                 today: dt.date | None = None):
        self.actor = actor
        self.dry_run = dry_run
        self.progress = progress or (lambda status, done, total: None)
        self.today = today or clock.today()
        self.outcome = Outcome(dry_run=dry_run)
        self.total: int | None = None

    # --- reporting ---------------------------------------------------------------------------

    def error(self, row: int, key: str, message) -> None:
        self.outcome.error_count += 1
        if len(self.outcome.errors) < MAX_ERRORS:
            self.outcome.errors.append(RowError(row, BY_KEY[key].header if key else "", str(message)))

    def failed(self) -> bool:
        return bool(self.outcome.error_count)

    # --- running -----------------------------------------------------------------------------

    def run(self, source, filename=None, sheet=None) -> Outcome:
        try:
            src = Source(source, filename)
        except UnreadableFile as exc:
            self.outcome.name = filename or ""
            self.error(0, "", exc)
            return self.outcome
        self.outcome.name, self.outcome.sha256 = src.name, src.sha256
        self._src, self._sheet = src, sheet
        try:
            # On PostgreSQL pass one runs in the import's transaction, its rows loaded as they
            # are cleared (bulk.Writer); on SQLite, which has one writer at a time, only pass two.
            streams = connection.vendor == "postgresql"
            with tempfile.TemporaryFile("w+b") as spool, transaction.atomic() if streams else nullcontext():
                self.total = _estimate_rows(src, sheet)
                # Read before the COPY opens: the connection serves nothing else while it runs.
                self.wells = ScopeWells(self._wells())
                writer = bulk.Writer(spool, lambda done: self.progress("writing", done, self.outcome.rows))
                writer.open()
                self._validate(writer)
                if self.outcome.error_count:
                    writer.discard()
                    self.outcome.errors.sort(key=lambda e: (e.row, _order(e.column)))
                    return self.outcome
                with nullcontext() if streams else transaction.atomic():
                    self._write(writer)
        except UnreadableFile as exc:
            self.error(0, "", exc)
        except bulk.WellsGone as exc:
            self.error(0, "well", ngettext("A well of the file was deleted while it was imported; nothing was written.",
                                           "%(n)d wells of the file were deleted while it was imported; nothing was "
                                           "written.", exc.count) % {"n": exc.count})
        finally:
            src.close()
        return self.outcome

    def _header(self, rows):
        """The header row among the first ten, its number of cells and the index of each known
        column; reports missing required columns."""
        names = {name: column for column in COLUMNS for name in column.names()}
        for number, cells in rows:
            found = {}
            for index, cell in enumerate(cells):
                column = None if is_blank(cell) else names.get(normalise_header(cell))
                if column is not None and column.key not in found:
                    found[column.key] = index
            if found:
                for column in COLUMNS:
                    if column.required and column.key not in found:
                        self.error(number, column.key, _("The required column is missing."))
                return number, len(cells), found
            if number >= 10:
                break
        self.error(0, "", _("No header row: the first rows name none of the columns (井号, 日期, 日产油(t) …)."))
        return None, 0, {}

    def _start(self):
        """Fresh state for a pass over the file."""
        self.outcome.error_count, self.outcome.errors, self.outcome.rows = 0, [], 0
        self.seen, self.tally, self.duplicates = DaysSeen(len(self.wells)), Tally(self.wells), set()

    def _validate(self, writer) -> None:
        """Pass one: every row checked, the valid ones handed to the writer. A csv is read in
        blocks (daily_csv) unless its records do not line up with its header."""
        header_row, width, index = self._header(read_rows(self._src, self._sheet))
        if header_row is None or self.outcome.error_count:
            return
        self._start()
        self._index = index
        if self._src.format == CSV:
            try:
                self._validate_csv(writer, header_row, width, index)
                self._finish(header_row, index)
                return
            except daily_csv.Ragged:
                writer.reset()
                self._start()
        self._validate_rows(writer, header_row, index)
        self._finish(header_row, index)

    def _numbers(self, index):
        """(key, index in the row or None, required, upper bound) of each number, in spool order."""
        return [(key, index.get(key), key == "oil_t", {"hours": 24.0, "water_cut": 100.0}.get(key, LARGEST))
                for key in NUMBERS]

    def _validate_csv(self, writer, header_row, width, index) -> None:
        encoding = csv_encoding(self._src)
        file = self._src.rewind()
        head = file.read(1 << 16)
        quoted = b'"' in head or any(b'"' in block for block in iter(lambda: file.read(1 << 20), b""))
        reader = daily_csv.BatchReader(
            wells=self.wells, seen=self.seen, tally=self.tally, today=self.today, index=index,
            numbers=self._numbers(index), check_row=lambda number, cells: self._check_row(number, cells, len(cells)),
            duplicate=lambda position, ordinal: self.duplicates.add((position, ordinal)), failed=self.failed)
        first_line = head.decode(encoding, "replace").split("\n", 1)[0]
        reader.read(self._src.rewind(), encoding=encoding, delimiter=csv_delimiter(first_line),
                    header_row=header_row, width=width, quoted=quoted, writer=writer,
                    progress=lambda rows: self.progress("validating", rows, self.total))
        self.outcome.rows = reader.rows

    def _validate_rows(self, writer, header_row, index) -> None:
        """The row reader (xlsx, xls, and csv files whose records are ragged). A row of plain text
        cells that is valid takes the fast path: no function calls, its numbers copied to the
        spool as written. Any other row, and any row with a problem, is checked by `_check_row`,
        which reports every problem of the row."""
        exact, since, ids = self.wells.exact, self.wells.since.tolist(), self.wells.ids.tolist()
        i_well, i_date = index["well"], index["date"]
        numbers = [(i, required, upper) for _key, i, required, upper in self._numbers(index)]
        needed = max(i for i, _r, _u in numbers if i is not None)
        needed = max(needed, i_well, i_date) + 1
        today_ordinal, write, mark, tally = self.today.toordinal(), writer.write, self.seen.add, self.tally.add
        fromisoformat = dt.date.fromisoformat
        count = 0
        for number, cells in read_rows(self._src, self._sheet):
            if number <= header_row:
                continue
            width = len(cells)
            if not width or (is_blank(cells[0]) and all(is_blank(c) for c in cells)):
                continue
            count += 1
            if count % PROGRESS_EVERY == 0:
                self.progress("validating", count, self.total)
            if width >= needed:
                code, text = cells[i_well], cells[i_date]
                position = exact.get(code) if code.__class__ is str else None
                if position is not None and text.__class__ is str and len(text) == 10 and text[7] == "-":
                    try:
                        ordinal = fromisoformat(text).toordinal()
                    except ValueError:
                        ordinal = -1
                    if since[position] <= ordinal <= today_ordinal:
                        fields, values = [str(ids[position]), text], []
                        for i, required, upper in numbers:
                            raw = cells[i] if i is not None else ""
                            if raw.__class__ is not str:
                                break
                            if not raw:
                                if required:
                                    break
                                fields.append("")
                                values.append(None)
                                continue
                            try:
                                value = float(raw)
                            except ValueError:
                                break
                            if not 0.0 <= value <= upper or not raw.isascii() or "_" in raw:
                                break
                            fields.append(raw)
                            values.append(value)
                        else:
                            if mark(position, ordinal):
                                self.duplicates.add((position, ordinal))
                            elif not self.outcome.error_count:
                                tally(position, ordinal, values[2], values[1], values[3])
                                write(("\t".join(fields) + "\n").encode())
                            continue
            valid = self._check_row(number, cells, width)
            if valid is not None and not self.outcome.error_count:
                position, ordinal, oil, liquid, gas, line = valid
                tally(position, ordinal, oil, liquid, gas)
                write(line.encode())
        self.outcome.rows = count

    def _finish(self, header_row, index) -> None:
        self.progress("validating", self.outcome.rows, self.outcome.rows)
        if self.duplicates:
            self._report_duplicates(header_row, index)

    def _check_row(self, number, cells, width):
        """Every check of one row, each problem reported; (well position, ordinal, oil, liquid,
        gas, spool line) when it is valid."""
        ok = True
        index = self._index
        i_well, i_date = index["well"], index["date"]
        raw = cells[i_well] if i_well < width else None
        code = (raw.strip() if isinstance(raw, str) else parse_text(raw) if raw is not None else "")
        position = None
        if not code:
            self.error(number, "well", _("A value is required."))
            ok = False
        else:
            position = self.wells.folded.get(code.casefold())
            if position is None:
                self.error(number, "well", _("No well “%(code)s” within your scope.") % {"code": code})
                ok = False
        raw = cells[i_date] if i_date < width else None
        day = None
        try:
            if is_blank(raw):
                raise CellError(_("A value is required."))
            day = _date(raw)
        except CellError as exc:
            self.error(number, "date", exc)
            ok = False
        values = {}
        for key in NUMBERS:
            if key not in index:
                continue
            column, i = BY_KEY[key], index[key]
            try:
                value = values[key] = _float(column, cells[i] if i < width else None)
            except CellError as exc:
                self.error(number, key, exc)
                ok = False
                continue
            if value is None:
                if column.required:
                    self.error(number, key, _("A value is required."))
                    ok = False
                continue
            if value < 0:
                self.error(number, key, _("Must not be negative."))
                ok = False
            elif key == "water_cut" and value > 100:
                self.error(number, key, _("Must be between 0 and 100."))
                ok = False
            elif key == "hours" and value > 24:
                self.error(number, key, _("A day has at most 24 hours."))
                ok = False
        if day is not None:
            since = int(self.wells.since[position]) if position is not None else 0
            if day > self.today:
                self.error(number, "date", _("The date is in the future (today is %(today)s).")
                           % {"today": self.today.isoformat()})
                ok = False
            elif since and day.toordinal() < since:
                self.error(number, "date", _("Before the well was put on production (投产日期 %(date)s).")
                           % {"date": dt.date.fromordinal(since).isoformat()})
                ok = False
            if position is not None and self.seen.add(position, day.toordinal()):
                self.duplicates.add((position, day.toordinal()))
                ok = False
        if not ok:
            return None
        oil, liquid, gas = values["oil_t"], values.get("liquid_t"), values.get("gas_m3")
        return position, day.toordinal(), oil, liquid, gas, bulk.line(
            int(self.wells.ids[position]), day, values.get("hours"), liquid, oil, gas, values.get("water_cut"))

    def _report_duplicates(self, header_row, index):
        """Every row of a (well, day) pair but its first is an error naming the first: found by
        reading the file's key columns once more, only for a file that fails anyway."""
        first: dict = {}
        later: list = []
        i_well, i_date = index["well"], index["date"]
        for number, cells in read_rows(self._src, self._sheet):
            if number <= header_row or max(i_well, i_date) >= len(cells):
                continue
            raw = cells[i_well]
            position = self.wells.folded.get(
                (raw.strip() if isinstance(raw, str) else parse_text(raw) if raw is not None else "").casefold())
            try:
                day = _date(cells[i_date]) if position is not None and not is_blank(cells[i_date]) else None
            except CellError:
                continue
            key = (position, day.toordinal()) if day is not None else None
            if key in self.duplicates:
                if key in first:
                    later.append((number, key))
                else:
                    first[key] = number
        for number, key in later:
            self.error(number, "date", _("This well and date appear more than once in the file (also row %(row)d).")
                       % {"row": first[key]})

    def _wells(self):
        wells = Well.objects.all() if self.actor is None else Well.objects.restrict(self.actor, IMPORT)
        return wells.values_list("pk", "code", "unit_id", "producing_since").iterator(chunk_size=10_000)

    def _write(self, writer) -> None:
        """Pass two, in the transaction of pass one: finish the load, add to the totals, audit."""
        outcome, tally = self.outcome, self.tally
        merged = writer.close(bulk.Plan(well_ids=tally.well_ids(), sums=tally.groups))
        outcome.created, outcome.replaced, outcome.unit_days = merged.created, merged.replaced, merged.unit_days
        if self.dry_run:
            transaction.set_rollback(True)
            return
        audit.record(
            actor=self.actor, action=f"import.{KIND}", object_type="import", object_id=outcome.sha256[:16],
            object_repr=outcome.name or KIND,
            after={"file": outcome.name, "sha256": outcome.sha256,
                   "counts": {"total": outcome.rows, "created": outcome.created, "replaced": outcome.replaced}},
            message=_("Imported %(total)d rows of daily production from %(name)s: %(created)d created, "
                      "%(replaced)d replaced.") % {"total": outcome.rows, "name": outcome.name or "-",
                                                  "created": outcome.created, "replaced": outcome.replaced},
            unit=_common_unit(tally.unit_ids()))


def _order(header: str) -> int:
    return next((i for i, c in enumerate(COLUMNS) if c.header == header), -1)


def _common_unit(unit_ids: set[int]):
    """The lowest unit above all those touched, so that the batch's audit entry is seen by
    whoever's scope covers them all."""
    paths = list(Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True))
    if not paths:
        return None
    parts = [p.strip("/").split("/") for p in paths]
    common = None
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common = segments[0]
    return Unit.objects.filter(pk=int(common)).first() if common else None


def _estimate_rows(src: Source, sheet) -> int | None:
    """The number of rows, for the progress bar: newlines of a csv, the sheet's stored size of
    an xlsx (which most writers keep right); None when unknown."""
    if src.format == XLSX:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(src.rewind(), read_only=True)
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            rows = worksheet.max_row
            workbook.close()
            return max(0, rows - 1) if rows else None
        except (KeyError, ValueError, OSError):
            return None
        finally:
            src.rewind()
    if src.format == "csv":
        file = src.rewind()
        count = sum(block.count(b"\n") for block in iter(lambda: file.read(1 << 20), b""))
        src.rewind()
        return max(0, count - 1)
    return None
