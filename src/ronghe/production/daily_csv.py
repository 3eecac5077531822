"""The fast reader of csv files of daily production: Arrow parses the file in blocks of about a
megabyte, and each block's rows are checked a column at a time. A row these checks do not clear
— any problem, a blank cell where a value is needed, a number or a date written another way
than plain digits and YYYY-MM-DD — goes to the row checks (`check_row`), which report every
problem of the row or accept it; so both readers accept and refuse exactly the same rows.

Rows are numbered as the row reader numbers them (one per csv record, blank lines included),
which holds as long as every record has the header's number of cells: a ragged file raises
Ragged and is read row by row instead."""
import datetime as dt
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from ronghe.production.daily_checks import EPOCH_ORDINAL, DaysSeen, ScopeWells, Tally

BLOCK_BYTES = 1 << 20
# Plain digits with an optional fraction: what Python's float() and PostgreSQL's float8 read
# alike, so the text can go to COPY as written. Other spellings take the row checks.
NUMBER = r"^([0-9]{1,20}(\.[0-9]{0,15})?|\.[0-9]{1,15})$"
WRITE = pv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")


class Ragged(Exception):
    """A record of the file has more or fewer cells than its header row."""


class BatchReader:
    """Reads the data rows after `header_row` (1-based, as numbered by the row reader) of a csv
    whose header has `width` cells. `numbers` lists (key, cell index or None, required, upper
    bound) of each number column, in spool order; `check_row(number, cells)` is the row
    checks, returning (well position, ordinal, oil, liquid, gas, spool line) for a valid row
    and None otherwise; `duplicate(position, ordinal)` records a (well, day) met twice."""

    def __init__(self, *, wells: ScopeWells, seen: DaysSeen, tally: Tally, today: dt.date, index: dict,
                 numbers: list, check_row: Callable, duplicate: Callable, failed: Callable[[], bool]):
        self.wells, self.seen, self.tally = wells, seen, tally
        self.today_ordinal = today.toordinal()
        self.index, self.numbers = index, numbers
        self.check_row, self.duplicate, self.failed = check_row, duplicate, failed
        self._codes = pa.array(wells.codes, type=pa.string())
        # One spare entry, read for the rows of unknown wells (position null, filled as 0).
        self._since = np.append(wells.since, 0)
        self.rows = 0

    def read(self, file, *, encoding: str, delimiter: str, header_row: int, width: int, quoted: bool, writer,
             progress: Callable[[int], None]) -> None:
        names = [f"c{i}" for i in range(width)]
        options = {
            "read_options": pv.ReadOptions(skip_rows=header_row, column_names=names, block_size=BLOCK_BYTES,
                                           encoding="utf8" if encoding.startswith("utf-8") else encoding),
            # Quoted line breaks need the slower serial split; most files have no quotes at all.
            "parse_options": pv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=quoted),
            "convert_options": pv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        }
        number = header_row + 1
        try:
            reader = pv.open_csv(file, **options)
            for batch in reader:
                self._check(batch, number, writer)
                number += batch.num_rows
                progress(self.rows)
        except pa.ArrowInvalid as exc:
            raise Ragged(str(exc)) from exc

    def _check(self, batch: pa.RecordBatch, first: int, writer) -> None:
        size = batch.num_rows
        columns = batch.columns
        blank = np.ones(size, dtype=bool)
        for column in columns:
            blank &= _array(pc.equal(column, ""))
        self.rows += size - int(blank.sum())
        positions = pc.index_in(columns[self.index["well"]], value_set=self._codes)
        ok = _array(pc.is_valid(positions)) & ~blank
        position = _array(positions.fill_null(0)).astype(np.int64)
        text = columns[self.index["date"]]
        try:
            days = pc.cast(text, pa.date32())
        except pa.ArrowInvalid:
            days = _dates_one_by_one(text)
        ok &= _array(pc.is_valid(days))
        ordinal = _array(pc.cast(days, pa.int32()).fill_null(0)).astype(np.int64) + EPOCH_ORDINAL
        ok &= (ordinal >= self._since[position]) & (ordinal <= self.today_ordinal)
        cells, values = [], {}
        for key, i, required, upper in self.numbers:
            if i is None:
                cells.append(pa.nulls(size, pa.string()))
                continue
            column = columns[i]
            plain = _array(pc.match_substring_regex(column, NUMBER))
            value = _array(pc.cast(pc.if_else(pa.array(plain), column, "0"), pa.float64()))
            ok &= (plain & (value <= upper)) | (~plain & _array(pc.equal(column, "")) & (not required))
            values[key] = np.where(plain, value, 0.0)
            cells.append(column)
        fast = np.flatnonzero(ok)
        again = self.seen.add_many(position[fast], ordinal[fast])
        for row in fast[again]:
            self.duplicate(int(position[row]), int(ordinal[row]))
        fast = fast[~again]
        if len(fast) and not self.failed():
            zeros = np.zeros(len(fast))
            self.tally.add_rows(position[fast], ordinal[fast], values["oil_t"][fast],
                                values["liquid_t"][fast] if "liquid_t" in values else zeros,
                                values["gas_m3"][fast] if "gas_m3" in values else zeros)
            take = pa.array(fast)
            table = pa.table([pa.array(self.wells.ids[position[fast]]), text.take(take),
                              *(c.take(take) for c in cells)], names=["well", "date", *(k for k, *_r in self.numbers)])
            out = pa.BufferOutputStream()
            pv.write_csv(table, out, WRITE)
            writer.write(out.getvalue().to_pybytes())
        for row in np.flatnonzero(~ok & ~blank):
            cells = [column[row].as_py() for column in columns]
            valid = self.check_row(first + int(row), cells)
            if valid is not None and not self.failed():
                row_position, row_ordinal, oil, liquid, gas, line = valid
                self.tally.add(row_position, row_ordinal, oil, liquid, gas)
                writer.write(line.encode())

def _dates_one_by_one(text: pa.Array) -> pa.Array:
    """The YYYY-MM-DD dates of a column some of whose cells are not one (null there). Slower than
    the cast, which refuses the whole column for one such cell; strptime rolls 2026-02-30 over
    into March, so only a date that prints back as written counts."""
    stamps = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    exact = pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), text).fill_null(False)
    return pc.if_else(exact, pc.cast(stamps, pa.date32()), pa.scalar(None, pa.date32()))


def _array(values) -> np.ndarray:
    """A boolean or number Arrow array as numpy (null-free by the time it gets here)."""
    return values.to_numpy(zero_copy_only=False)
