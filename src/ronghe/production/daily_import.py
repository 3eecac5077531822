"""Importing daily production (日产): files of millions of rows, all or nothing, in bounded
memory.

Pass one streams the file (csv in UTF-8 or GBK, xlsx, xls) row by row: every cell is parsed and
every rule checked — unknown well or one outside the importer's scope, the same well and date
twice in the file, negative values, 含水 outside 0–100, 生产时间 over 24 hours, a date in the
future or before the well's 投产日期. What the cross-row check needs is one bit per (well, day)
in a bitmap per well; the valid rows go to a spool file in COPY text format, not to memory.
Only a file without a single error reaches pass two, which loads the spool and merges it in one
transaction (bulk.write) with one audit entry for the batch. Errors are reported as (row,
column, reason) in the active language; the first MAX_ERRORS are kept, all are counted."""
import datetime as dt
import math
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ronghe.core import audit, clock
from ronghe.core.scoping import IMPORT
from ronghe.core.tabular import DATE, DECIMAL, TEXT, CellError, Column, RowError
from ronghe.core.tabular.columns import is_blank, normalise_header, parse_text
from ronghe.core.tabular.readers import XLSX, Source, UnreadableFile, read_rows
from ronghe.core.tabular.writers import template_xlsx
from ronghe.org.models import Unit
from ronghe.production import bulk
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


class DaysSeen:
    """Which (well, day) pairs the file has had so far: one bit per day in a bytearray per
    well, grown as dates appear, so a million rows cost kilobytes, not a set of tuples."""

    SPAN = 2048  # days a well's bitmap starts with, centred on its first date
    SLACK = 64  # bytes added beyond what a date outside the bitmap needs

    def __init__(self):
        self._wells: dict[int, list] = {}

    def add(self, well_id: int, ordinal: int) -> bool:
        """Mark the pair; True when it was marked already."""
        entry = self._wells.get(well_id)
        if entry is None:
            origin = ordinal - ordinal % 8 - self.SPAN // 2
            entry = self._wells[well_id] = [origin, bytearray(self.SPAN // 8)]
        origin, bits = entry
        index = ordinal - origin
        if index < 0:
            grow = (-index + 7) // 8 + self.SLACK
            entry[0] = origin = origin - grow * 8
            entry[1] = bits = bytearray(grow) + bits
            index = ordinal - origin
        elif index >= len(bits) * 8:
            bits.extend(bytearray(index // 8 + 1 - len(bits) + self.SLACK))
        byte, mask = index >> 3, 1 << (index & 7)
        if bits[byte] & mask:
            return True
        bits[byte] |= mask
        return False


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
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spool:
                self.total = _estimate_rows(src, sheet)
                units = self._validate(read_rows(src, sheet), spool)
                if self.outcome.error_count:
                    self.outcome.errors.sort(key=lambda e: (e.row, _order(e.column)))
                    return self.outcome
                self._write(spool, units)
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
        """The header row among the first ten and the index of each known column; reports
        missing required columns."""
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
                return number, found
            if number >= 10:
                break
        self.error(0, "", _("No header row: the first rows name none of the columns (井号, 日期, 日产油(t) …)."))
        return None, {}

    def _validate(self, rows, spool) -> set[int]:
        """Pass one. Returns the ids of the units whose wells have rows.

        A row of plain text cells that is valid takes the fast path: no function calls, its
        numbers copied to the spool as written. Any other row, and any row with a problem, is
        checked by `_check_row`, which reports every problem of the row."""
        header_row, index = self._header(rows)
        if header_row is None or self.outcome.error_count:
            return set()
        exact, folded = {}, {}
        for pk, code, unit_id, since in self._wells():
            exact[code] = folded[code.casefold()] = (pk, unit_id, since.toordinal() if since else 0)
        seen, duplicates = DaysSeen(), {}
        units: set[int] = set()
        i_well, i_date = index["well"], index["date"]
        # (index in the row or None, required, upper bound) of each number, in spool order.
        numbers = [(index.get(key), key == "oil_t", {"hours": 24.0, "water_cut": 100.0}.get(key, LARGEST))
                   for key in NUMBERS]
        needed = max(i for i, _r, _u in numbers if i is not None)
        needed = max(needed, i_well, i_date) + 1
        today, today_ordinal, write, mark = self.today, self.today.toordinal(), spool.write, seen.add
        fromisoformat, null = dt.date.fromisoformat, bulk.NULL
        count = 0
        for number, cells in rows:
            width = len(cells)
            if not width or (is_blank(cells[0]) and all(is_blank(c) for c in cells)):
                continue
            count += 1
            if count % PROGRESS_EVERY == 0:
                self.progress("validating", count, self.total)
            if width >= needed:
                code, text = cells[i_well], cells[i_date]
                well = exact.get(code) if code.__class__ is str else None
                if well is not None and text.__class__ is str and len(text) == 10 and text[7] == "-":
                    try:
                        ordinal = fromisoformat(text).toordinal()
                    except ValueError:
                        ordinal = -1
                    if well[2] <= ordinal <= today_ordinal:
                        fields = [str(well[0]), text]
                        for i, required, upper in numbers:
                            raw = cells[i] if i is not None else ""
                            if raw.__class__ is not str:
                                break
                            if not raw:
                                if required:
                                    break
                                fields.append(null)
                                continue
                            try:
                                value = float(raw)
                            except ValueError:
                                break
                            if not 0.0 <= value <= upper or not raw.isascii() or "_" in raw:
                                break
                            fields.append(raw)
                        else:
                            if not mark(well[0], ordinal):
                                if not self.outcome.error_count:
                                    units.add(well[1])
                                    write("\t".join(fields) + "\n")
                                continue
                            duplicates[(well[0], fromisoformat(text))] = number
                            continue
            spooled = self._check_row(number, cells, width, folded, index, seen, duplicates, today)
            if spooled is not None and not self.outcome.error_count:
                units.add(spooled[0])
                write(spooled[1])
        self.outcome.rows = count
        self.progress("validating", count, count)
        if duplicates:
            self._report_duplicates(duplicates, folded, header_row, index)
        return units

    def _check_row(self, number, cells, width, wells, index, seen, duplicates, today):
        """Every check of one row, each problem reported; (unit id, spool line) when it is valid."""
        ok = True
        i_well, i_date = index["well"], index["date"]
        raw = cells[i_well] if i_well < width else None
        code = (raw.strip() if isinstance(raw, str) else parse_text(raw) if raw is not None else "")
        well = None
        if not code:
            self.error(number, "well", _("A value is required."))
            ok = False
        else:
            well = wells.get(code.casefold())
            if well is None:
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
            if day > today:
                self.error(number, "date", _("The date is in the future (today is %(today)s).")
                           % {"today": today.isoformat()})
                ok = False
            elif well is not None and well[2] and day.toordinal() < well[2]:
                self.error(number, "date", _("Before the well was put on production (投产日期 %(date)s).")
                           % {"date": dt.date.fromordinal(well[2]).isoformat()})
                ok = False
            if well is not None and seen.add(well[0], day.toordinal()):
                duplicates[(well[0], day)] = number
                ok = False
        if not ok:
            return None
        return well[1], bulk.line(well[0], day, values.get("hours"), values.get("liquid_t"), values["oil_t"],
                                  values.get("gas_m3"), values.get("water_cut"))

    def _report_duplicates(self, duplicates, wells, header_row, index):
        """The second and later rows of a (well, day) pair are errors naming the first: found
        by reading the file's key columns once more, only for a file that fails anyway."""
        first: dict = {}
        i_well, i_date = index["well"], index["date"]
        for number, cells in self._rows_again():
            if number <= header_row or max(i_well, i_date) >= len(cells):
                continue
            raw = cells[i_well]
            well = wells.get((raw.strip() if isinstance(raw, str) else parse_text(raw) if raw is not None else "")
                             .casefold())
            try:
                day = _date(cells[i_date]) if well is not None and not is_blank(cells[i_date]) else None
            except CellError:
                continue
            key = (well[0], day) if day is not None else None
            if key in duplicates and key not in first:
                first[key] = number
        for key, number in duplicates.items():
            self.error(number, "date", _("This well and date appear more than once in the file (also row %(row)d).")
                       % {"row": first.get(key, 0)})

    def _rows_again(self):
        return read_rows(self._src, self._sheet)

    def _wells(self):
        wells = Well.objects.all() if self.actor is None else Well.objects.restrict(self.actor, IMPORT)
        return wells.values_list("pk", "code", "unit_id", "producing_since").iterator(chunk_size=10_000)

    def _write(self, spool, units: set[int]) -> None:
        """Pass two, in one transaction: load, merge, recompute totals, audit."""
        outcome = self.outcome
        self.progress("writing", 0, outcome.rows)
        with transaction.atomic():
            merged = bulk.write(spool, lambda done: self.progress("writing", done, outcome.rows))
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
                unit=_common_unit(units))


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
