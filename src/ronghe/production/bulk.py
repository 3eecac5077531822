"""The fast path for daily production: validated rows in PostgreSQL's COPY text format
(tab-separated; an empty field is NULL) are written to DailyProduction in the caller's
transaction — an import is all or nothing.

Most files hold only rows not stored yet (the next days of production), so the rows go straight
into the table: on PostgreSQL a COPY is opened before the file is checked and fed as the rows
are cleared (Writer), so that checking and loading run side by side on two cores; on SQLite the
rows are inserted in batches once the file is checked. The unit-day totals are then added to
from the importer's tally, with no row read back (totals.add_sums). A file that meets a stored
row fails that load on the key; it is undone to a savepoint, and the spool — every valid row is
also written to a file — is loaded into a temporary staging table and merged with one INSERT …
ON CONFLICT: a stored row equal to its replacement is left alone, the others are replaced, and
the totals of what they touch are recomputed set-wise (totals.refresh_for_stage).

On PostgreSQL the table is partitioned by month (production.partitions): the Writer makes the
months from its first rows' oldest to today before it opens its COPY; a file with rows of an
older month further on fails that COPY, and is loaded again from the spool once its months are
made.

Production imports take turns (a transaction-level advisory lock on PostgreSQL; SQLite has one
writer at a time anyway)."""
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import psycopg
from django.db import IntegrityError, connection, transaction

from ronghe.core import clock
from ronghe.production import partitions, totals

STAGE = "production_tmp_stage"
WELLS = "production_tmp_wells"
COLUMNS = ("well_id", "date", "hours", "liquid_t", "oil_t", "gas_m3", "water_cut")
NULL = ""
COPY_BLOCK = 1 << 20
SQLITE_BATCH = 20_000
# pg_advisory_xact_lock's key for "a production import is writing" ("RHDP" in ASCII).
IMPORT_LOCK = 0x52484450
_QUOTED = ", ".join(f'"{c}"' for c in COLUMNS)
DAILY = totals.DAILY
_MONTH = re.compile(rb"^\d+\t(\d{4}-\d\d)-", re.MULTILINE)


def number(value) -> str:
    """A float (or None) as a COPY text field."""
    return NULL if value is None else repr(value)


def line(well_id: int, day, hours, liquid, oil, gas, water_cut) -> str:
    """One row in COPY text format; `day` is a date."""
    return (f"{well_id}\t{day.isoformat()}\t{number(hours)}\t{number(liquid)}\t{number(oil)}\t"
            f"{number(gas)}\t{number(water_cut)}\n")


@dataclass
class Merged:
    created: int
    replaced: int
    unit_days: int


@dataclass
class Plan:
    """What the importer knows of its valid rows: their wells, and `sums()`, their totals per
    (unit, day) as arrays for totals.add_sums."""

    well_ids: list[int]
    sums: Callable[[], tuple]

    def days(self) -> list[dt.date]:
        return [dt.date.fromordinal(day) for day in np.unique(self.sums()[1]).tolist()]


def _spooled_blocks(spool):
    """The spool from its start in blocks of whole rows."""
    spool.seek(0)
    while True:
        block = spool.read(COPY_BLOCK)
        if not block:
            return
        yield block + spool.readline()


def _months(rows: bytes) -> set[dt.date]:
    """The months of rows in COPY text format."""
    return {dt.date(int(m[:4]), int(m[5:7]), 1) for m in set(_MONTH.findall(rows))}


def _load(cursor, spool, table: str, progress) -> int:
    """The spooled rows into `table`; returns their number."""
    loaded = 0
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({_QUOTED}) FROM STDIN (NULL '')") as copy:
            for block in _spooled_blocks(spool):
                copy.write(block)
                loaded += block.count(b"\n")
                if progress:
                    progress(loaded)
        return loaded
    sql = f"INSERT INTO {table} ({_QUOTED}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    batch = []
    for text in _spooled_blocks(spool):
        for row in text.decode().splitlines():
            # SQLite's column affinity turns the numeric text into integers and reals.
            batch.append([field or None for field in row.split("\t")])
        if len(batch) >= SQLITE_BATCH:
            cursor.executemany(sql, batch)
            loaded += len(batch)
            batch = []
            if progress:
                progress(loaded)
    if batch:
        cursor.executemany(sql, batch)
        loaded += len(batch)
    if progress:
        progress(loaded)
    return loaded


def load_stage(cursor, spool, progress: Callable[[int], None] | None = None) -> int:
    """Load the spooled rows into a fresh staging table; returns the number of rows. `progress
    (rows so far)` is called now and then."""
    totals.temp_table(cursor, STAGE, 'well_id bigint NOT NULL, "date" date NOT NULL, hours double precision, '
                                     'liquid_t double precision, oil_t double precision NOT NULL, '
                                     'gas_m3 double precision, water_cut double precision')
    loaded = _load(cursor, spool, STAGE, progress)
    totals.analyze(cursor, STAGE)
    return loaded


class WellsGone(Exception):
    """Wells of the file were deleted between its validation and its writing."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


def lock_wells(cursor, table: str = STAGE, column: str = "well_id") -> None:
    """The wells named in `table`.`column`, locked against deletion until the transaction ends:
    what the foreign key's per-row trigger did, in one statement (DailyProduction.well has no
    database constraint). On SQLite the write lock the transaction holds does the same. Raises
    WellsGone when some were deleted since the file was validated."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    cursor.execute(f"""SELECT (SELECT COUNT(DISTINCT {column}) FROM {table}) - COUNT(*) FROM (
        SELECT id FROM {totals.WELL} WHERE id IN (SELECT {column} FROM {table}){lock}) w""")
    missing = cursor.fetchone()[0]
    if missing:
        raise WellsGone(missing)


def _fill_wells(cursor, ids: list[int]) -> None:
    totals.temp_table(cursor, WELLS, "id bigint NOT NULL")
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {WELLS} (id) FROM STDIN") as copy:
            copy.write("".join(f"{i}\n" for i in ids))
    else:
        cursor.executemany(f"INSERT INTO {WELLS} (id) VALUES (%s)", [(i,) for i in ids])
    totals.analyze(cursor, WELLS)


def merge_stage(cursor, staged: int) -> Merged:
    """Insert the `staged` rows, replacing those already there for the same well and date, and
    recompute the totals they touch."""
    lock_wells(cursor)
    cursor.execute(f'SELECT MIN("date"), MAX("date") FROM {STAGE}')
    span = [totals.column_date(day) for day in cursor.fetchone()]
    if staged:
        partitions.ensure(cursor, partitions.months_between(*span))
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in COLUMNS[2:])
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    # A stored row equal to its replacement is left alone: re-uploading a file that overlaps
    # the last one rewrites only the rows that changed (a rewrite costs a new row version and an
    # entry in every index). It still counts as replaced.
    changed = " OR ".join(f'{DAILY}."{c}" {differs} excluded."{c}"' for c in COLUMNS[2:])
    # In key order the unique index is written page after page instead of all over. "WHERE
    # true" keeps SQLite from reading ON CONFLICT as part of a join.
    upsert = (f"INSERT INTO {DAILY} ({_QUOTED}) SELECT {_QUOTED} FROM {STAGE} WHERE true "
              f'ORDER BY well_id, "date" ON CONFLICT (well_id, "date") DO UPDATE SET {updates} WHERE {changed}')
    # The rows created are counted as the growth of the stored rows within the file's dates
    # (imports take turns, so nothing else writes there meanwhile): neither database tells an
    # upsert's inserts from its updates on a partitioned table (PostgreSQL's xmax cannot be read
    # from one), and probing the stored rows once for each staged one cost 2 s a million at the
    # reference scale, 46 s when the planner hashed the whole table.
    stored = f'SELECT COUNT(*) FROM {DAILY} WHERE "date" >= %s AND "date" <= %s'
    cursor.execute(stored, span)
    before = cursor.fetchone()[0]
    cursor.execute(upsert)
    cursor.execute(stored, span)
    created = cursor.fetchone()[0] - before
    replaced = staged - created
    unit_days = totals.refresh_for_stage(cursor, STAGE)
    totals.drop(cursor, STAGE)
    return Merged(created=created, replaced=replaced, unit_days=unit_days)


def write(spool, progress: Callable[[int], None] | None = None) -> Merged:
    """Stage and merge a whole spool in the current transaction (the demo's loader)."""
    with connection.cursor() as cursor:
        _settings(cursor)
        return merge_stage(cursor, load_stage(cursor, spool, progress))


def _settings(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        # Sorting and hashing a million rows in memory instead of in batches on disk; for this
        # transaction only.
        cursor.execute("SET LOCAL work_mem = '128MB'")


class Writer:
    """Where an import's valid rows go while its file is checked: the spool, and on PostgreSQL
    a COPY straight into DailyProduction, opened at once in the caller's transaction (then
    nothing else may use the connection until the file is checked). `write(data)` takes whole
    rows; then `discard()` when the file has errors, `reset()` to start over, or `close(plan)`,
    in a transaction, to finish and get the counts."""

    def __init__(self, spool, progress: Callable[[int], None] | None = None):
        self.spool, self.progress = spool, progress
        self.rows = 0
        self._cursor = self._savepoint = self._copying = self._copy = None
        self._broken: Exception | None = None
        self._started = False
        self._streams = connection.vendor == "postgresql"

    def open(self) -> None:
        if self._streams:
            self._cursor = connection.cursor()
            _settings(self._cursor)
            self._savepoint = transaction.savepoint()
            self._started = False

    def write(self, data: bytes) -> None:
        self.spool.write(data)
        self.rows += data.count(b"\n")
        if self._streams and not self._started:
            self._start(data)
        if self._copy is not None:
            try:
                self._copy.write(data)
            except psycopg.Error as exc:  # the server gave up on the COPY (a key met); see close()
                self._broken, self._copy = exc, None

    def _start(self, first: bytes) -> None:
        """The COPY opens with the first rows, once the months from the oldest of them (or the
        newest partition) to today have partitions: a file in date order or in well order,
        the usual ones, then finds every month it holds — a history's months between hold rows
        too. (The server reports a row it refuses only when the COPY ends, too late to make its
        month and go on.)"""
        self._started = True
        partitions.ensure_through(self._cursor, clock.today(), since=min(_months(first)))
        self._copying = self._cursor.cursor.copy(f"COPY {DAILY} ({_QUOTED}) FROM STDIN (NULL '')")
        self._copy = self._copying.__enter__()

    def _end_copy(self, problem: Exception | None) -> None:
        """End the COPY; with a `problem`, abandon it. Raises what the server said of it."""
        copying, self._copying, self._copy = self._copying, None, None
        if copying is not None:
            copying.__exit__(type(problem) if problem else None, problem, None)

    def discard(self) -> None:
        """Nothing of the file is written."""
        if self._streams:
            self._end_copy(ValueError("the file has errors"))
            transaction.savepoint_rollback(self._savepoint)
            self._cursor.close()

    def reset(self) -> None:
        """Start over: nothing written, the spool emptied."""
        self.discard()
        self.spool.seek(0)
        self.spool.truncate()
        self.rows = 0
        self._broken = None
        self.open()

    def close(self, plan: Plan) -> Merged:
        if self._streams:
            cursor = self._cursor
        else:
            cursor = connection.cursor()
            _settings(cursor)
            self._savepoint = transaction.savepoint()
        try:
            try:
                if self._streams:
                    self._end_copy(None)
                    if self._broken is not None:
                        raise self._broken
                else:
                    _load(cursor, self.spool, DAILY, self.progress)
            except psycopg.errors.CheckViolation:  # a row of a month with no partition yet
                transaction.savepoint_rollback(self._savepoint)
                partitions.ensure(cursor, partitions.months_between(min(plan.days()), clock.today()))
                self._savepoint = transaction.savepoint()
                _load(cursor, self.spool, DAILY, self.progress)
        except (psycopg.errors.UniqueViolation, IntegrityError):
            transaction.savepoint_rollback(self._savepoint)
            with cursor:
                return merge_stage(cursor, load_stage(cursor, self.spool, self.progress))
        transaction.savepoint_commit(self._savepoint)
        if self._streams and self.progress:
            self.progress(self.rows)
        with cursor:
            if plan.well_ids:
                _fill_wells(cursor, plan.well_ids)
                lock_wells(cursor, WELLS, "id")
                totals.drop(cursor, WELLS)
            return Merged(created=self.rows, replaced=0, unit_days=totals.add_sums(cursor, *plan.sums()))
