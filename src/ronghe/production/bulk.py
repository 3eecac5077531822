"""The fast path for daily production: validated rows, spooled to a file in PostgreSQL's COPY
text format (tab-separated; an empty field is NULL), are written to DailyProduction in the
caller's transaction — an import is all or nothing — one of two ways:

- when no stored row lies in the window of the file's wells and days (the common case: the next
  days of production), the rows go straight into the table (COPY on PostgreSQL, batched INSERT
  on SQLite), and the unit-day totals are added to from the importer's tally of the rows, so
  nothing is read back (totals.add_sums);
- otherwise they are loaded into a temporary staging table and merged with one INSERT … ON
  CONFLICT: a stored row equal to its replacement is left alone, the others are replaced, and
  the totals of what they touch are recomputed set-wise (totals.refresh_for_stage).

Production imports take turns (a transaction-level advisory lock on PostgreSQL; SQLite has one
writer at a time anyway), so a window seen empty stays empty until the rows are in."""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from ronghe.production import totals

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
    """What the importer knows of its valid rows: their wells, first and last day (ordinals),
    and `sums()`, their totals per (unit, day) as arrays for totals.add_sums."""

    well_ids: list[int]
    first: int | None
    last: int | None
    sums: Callable[[], tuple]


def _spooled_blocks(spool):
    """The spool from its start in blocks of whole rows."""
    spool.seek(0)
    while True:
        block = spool.read(COPY_BLOCK)
        if not block:
            return
        yield block + spool.readline()


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


def _window_is_empty(cursor, plan: Plan) -> bool:
    """No stored row of the plan's wells between its first and last day; the wells are in the
    WELLS table."""
    cursor.execute(f"""SELECT EXISTS (SELECT 1 FROM {DAILY} d WHERE d.well_id IN (SELECT id FROM {WELLS})
        AND d."date" BETWEEN %s AND %s)""", [dt.date.fromordinal(plan.first), dt.date.fromordinal(plan.last)])
    return not cursor.fetchone()[0]


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
    if connection.vendor == "postgresql":
        # A row the statement inserted has no deleting transaction (xmax 0); one it updated has.
        # Every staged row was either inserted or met its stored one.
        cursor.execute(f"WITH merged AS ({upsert} RETURNING (xmax = 0) AS inserted) "
                       "SELECT COUNT(*) FILTER (WHERE inserted) FROM merged")
        created = cursor.fetchone()[0]
        replaced = staged - created
    else:
        cursor.execute(f"""SELECT COUNT(*) FROM {STAGE} s WHERE EXISTS (
            SELECT 1 FROM {DAILY} d WHERE d.well_id = s.well_id AND d."date" = s."date")""")
        replaced = cursor.fetchone()[0]
        cursor.execute(upsert)
        created = staged - replaced
    unit_days = totals.refresh_for_stage(cursor, STAGE)
    totals.drop(cursor, STAGE)
    return Merged(created=created, replaced=replaced, unit_days=unit_days)


def write(spool, progress: Callable[[int], None] | None = None, plan: Plan | None = None) -> Merged:
    """Write a spool in the current transaction: straight in when the `plan`'s window holds no
    stored row, else staged and merged."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            # Sorting and hashing a million rows in memory instead of in batches on disk; for
            # this transaction only.
            cursor.execute("SET LOCAL work_mem = '128MB'")
        if plan is not None and plan.well_ids:
            _fill_wells(cursor, plan.well_ids)
            try:
                lock_wells(cursor, WELLS, "id")
                if _window_is_empty(cursor, plan):
                    created = _load(cursor, spool, DAILY, progress)
                    return Merged(created=created, replaced=0, unit_days=totals.add_sums(cursor, *plan.sums()))
            finally:
                totals.drop(cursor, WELLS)
        staged = load_stage(cursor, spool, progress)
        return merge_stage(cursor, staged)
