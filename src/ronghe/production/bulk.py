"""The fast path for daily production: validated rows, spooled to a file in PostgreSQL's COPY
text format, are loaded into a temporary staging table (COPY on PostgreSQL, batched
executemany on SQLite), then merged into DailyProduction with one INSERT … ON CONFLICT, and the
unit-day totals of what they touched are recomputed set-wise (totals.refresh_for_stage).

Everything here runs inside the caller's transaction: an import is all or nothing."""
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from ronghe.production import totals

STAGE = "production_tmp_stage"
COLUMNS = ("well_id", "date", "hours", "liquid_t", "oil_t", "gas_m3", "water_cut")
NULL = "\\N"
COPY_BLOCK = 1 << 20
SQLITE_BATCH = 20_000
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


def load_stage(cursor, spool, progress: Callable[[int], None] | None = None) -> int:
    """Load the spooled rows (a text file positioned anywhere) into a fresh staging table;
    returns the number of rows. `progress(rows so far)` is called now and then."""
    totals.temp_table(cursor, STAGE, 'well_id bigint NOT NULL, "date" date NOT NULL, hours double precision, '
                                     'liquid_t double precision, oil_t double precision NOT NULL, '
                                     'gas_m3 double precision, water_cut double precision')
    spool.seek(0)
    if connection.vendor == "postgresql":
        loaded = _copy(cursor, spool, progress)
    else:
        loaded = _insert_batches(cursor, spool, progress)
    totals.analyze(cursor, STAGE)
    return loaded


def _copy(cursor, spool, progress) -> int:
    loaded = 0
    raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
    with raw.copy(f"COPY {STAGE} ({_QUOTED}) FROM STDIN") as copy:
        while True:
            block = spool.read(COPY_BLOCK)
            if not block:
                break
            rest = spool.readline()  # end the block on a whole row, for the count
            block += rest
            copy.write(block)
            loaded += block.count("\n")
            if progress:
                progress(loaded)
    return loaded


def _insert_batches(cursor, spool, progress) -> int:
    sql = f"INSERT INTO {STAGE} ({_QUOTED}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    loaded, batch = 0, []
    for text in spool:
        # SQLite's column affinity turns the numeric text into integers and reals.
        batch.append([None if field == NULL else field for field in text.rstrip("\n").split("\t")])
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


class WellsGone(Exception):
    """Wells of the file were deleted between its validation and its writing."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


def lock_wells(cursor) -> None:
    """The wells of the staged rows, locked against deletion until the transaction ends: what
    the foreign key's per-row trigger did, in one statement (DailyProduction.well has no
    database constraint). On SQLite the write lock the transaction holds does the same. Raises
    WellsGone when some were deleted since the file was validated."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    cursor.execute(f"""SELECT (SELECT COUNT(DISTINCT well_id) FROM {STAGE}) - COUNT(*) FROM (
        SELECT id FROM {totals.WELL} WHERE id IN (SELECT well_id FROM {STAGE}){lock}) w""")
    missing = cursor.fetchone()[0]
    if missing:
        raise WellsGone(missing)


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


def write(spool, progress: Callable[[int], None] | None = None) -> Merged:
    """Load and merge a spool in the current transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Sorting and hashing a million rows in memory instead of in batches on disk; for
            # this transaction only.
            cursor.execute("SET LOCAL work_mem = '128MB'")
        staged = load_stage(cursor, spool, progress)
        return merge_stage(cursor, staged)
