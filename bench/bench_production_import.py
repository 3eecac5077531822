"""Benchmark: importing daily production through `import_production`'s real path (a csv of
20,000 wells × 50 days = 1,000,000 rows on PostgreSQL; 4,000 wells × 50 days on SQLite): read,
validated row by row, loaded, merged, unit-day totals recomputed, audited. Then the same file
with every oil value changed, every row replacing one stored (a row equal to the stored one is
not rewritten, so an identical file would measure less). Then the same file loaded by hand-written SQL (COPY on
PostgreSQL, executemany on SQLite, into a bare table of the same shape and unique key, joined
to the wells by code), in the same run: the real import's rows/s divided by this one's is the
price of validation, all-or-nothing and totals. Last, the floor: the bare load of the file
(COPY on PostgreSQL) into a logged table without an index, key or join — no import of the same
rows into a durable table can be faster on the same machine. The target is ≥ 200,000 rows/s on PostgreSQL.

BENCH_PRODUCTION_WELLS and BENCH_PRODUCTION_DAYS change the file's size; BENCH_PRODUCTION_HISTORY
(days, default 0) first fills the table with that much earlier production, e.g. 1095 for the
reference 22 million rows (bench/production_data.py)."""
import datetime as dt
import os
import tempfile
import time

NAME = "production_import"


def _sizes(vendor):
    wells = int(os.environ.get("BENCH_PRODUCTION_WELLS", 20_000 if vendor == "postgresql" else 4_000))
    days = int(os.environ.get("BENCH_PRODUCTION_DAYS", 50))
    history = int(os.environ.get("BENCH_PRODUCTION_HISTORY", 0))
    return wells, days, history


def _load_raw(path, cursor, vendor, table) -> None:
    """The csv as it is, into a fresh table without an index or key: COPY on PostgreSQL,
    executemany on SQLite."""
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f'CREATE TABLE {table} (code varchar(40), "date" date, hours double precision, '
                   'liquid_t double precision, oil_t double precision, gas_m3 double precision, '
                   'water_cut double precision)')
    if vendor == "postgresql":
        with open(path, encoding="utf-8") as source, cursor.cursor.copy(
                f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while block := source.read(1 << 20):
                copy.write(block)
        return
    import csv

    sql = f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s, %s)"
    with open(path, encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        batch = []
        for row in reader:
            batch.append([value or None for value in row])
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)


def _hand_written(path, cursor, vendor) -> int:
    cursor.execute("DROP TABLE IF EXISTS bench_daily")
    if vendor == "postgresql":
        cursor.execute("CREATE TABLE bench_daily (LIKE production_dailyproduction INCLUDING ALL)")
    else:
        cursor.execute('CREATE TABLE bench_daily AS SELECT * FROM production_dailyproduction WHERE 0')
        cursor.execute('CREATE UNIQUE INDEX bench_daily_key ON bench_daily (well_id, "date")')
    _load_raw(path, cursor, vendor, "bench_raw")
    cursor.execute('INSERT INTO bench_daily (well_id, "date", hours, liquid_t, oil_t, gas_m3, water_cut) '
                   'SELECT w.id, r."date", r.hours, r.liquid_t, r.oil_t, r.gas_m3, r.water_cut '
                   'FROM bench_raw r JOIN production_well w ON w.code = r.code')
    return cursor.rowcount


def _bare(path, cursor, vendor) -> int:
    _load_raw(path, cursor, vendor, "bench_bare")
    cursor.execute("SELECT COUNT(*) FROM bench_bare")
    return cursor.fetchone()[0]


def _changed(path):
    """A copy of the csv with every row's oil (the fifth column) one digit longer."""
    out = tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".csv", newline="")  # noqa: SIM115
    with open(path, encoding="utf-8", newline="") as source:
        out.write(source.readline())
        for text in source:
            cells = text.rstrip("\n").split(",")
            cells[4] += "1" if "." in cells[4] else ".1"
            out.write(",".join(cells) + "\n")
    out.flush()
    return out


def run():
    from django.db import connection, transaction

    from bench.production_data import ensure_wells, fill, import_file
    from ronghe.core import clock
    from ronghe.production.daily_import import DailyImport

    vendor = connection.vendor
    wells, days, history = _sizes(vendor)
    last = clock.today()
    first = last - dt.timedelta(days=days - 1)
    if history:
        fill(wells=wells, days=history, end=first - dt.timedelta(days=1))
    ids = ensure_wells(wells)
    source, rows = import_file(wells, first, last, ids)
    results = []
    with source, _changed(source.name) as changed:
        for name, path in (("import_production", source.name), ("import_production replace", changed.name)):
            started = time.perf_counter()
            outcome = DailyImport(actor=None).run(path, "bench.csv")
            seconds = time.perf_counter() - started
            if not outcome.ok:
                raise SystemExit("\n".join(outcome.error_lines()[:20]))
            assert outcome.rows == rows and outcome.created + outcome.replaced == rows
            results.append({"name": name, "rows": rows, "seconds": seconds})
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            loaded = _hand_written(source.name, cursor, vendor)
        seconds = time.perf_counter() - started
        assert loaded == rows, (loaded, rows)
        results.append({"name": "hand-written load", "rows": rows, "seconds": seconds})
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            loaded = _bare(source.name, cursor, vendor)
        seconds = time.perf_counter() - started
        assert loaded == rows, (loaded, rows)
        results.append({"name": "bare load (floor)", "rows": rows, "seconds": seconds})
    return results
