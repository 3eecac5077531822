"""DailyProduction's monthly partitions on PostgreSQL (production.partitions): every writer
makes the months it writes, a file of older months with no partition yet is loaded all the
same, the migration moves the rows of an unpartitioned table, and making a partition locks no
reader or writer out. The imports' own tests run on both databases; these check what only
PostgreSQL has."""
import datetime as dt
import tempfile

import numpy as np
import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from ronghe.production import bulk, partitions
from ronghe.production.daily_import import DailyImport
from ronghe.production.models import DailyProduction, UnitDay
from tests.production.test_data_factories import csv_bytes, raw_sums, row, unit_day, well

TODAY = dt.date(2026, 3, 10)
postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")


@pytest.fixture(autouse=True)
def _today(settings):
    settings.RONGHE_TODAY = TODAY.isoformat()


def _months():
    with connection.cursor() as cursor:
        return partitions.existing(cursor)


@pytest.mark.parametrize(("first", "last", "expected"), [
    (dt.date(2026, 3, 10), dt.date(2026, 3, 31), ["2026-03-01"]),
    (dt.date(2025, 11, 30), dt.date(2026, 2, 1), ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]),
    (dt.date(2024, 1, 31), dt.date(2024, 3, 1), ["2024-01-01", "2024-02-01", "2024-03-01"]),
    (dt.date(2026, 5, 1), dt.date(2026, 4, 30), []),
])
def test_months_between_counts_the_calendar_months_both_ends_included(first, last, expected):
    assert [m.isoformat() for m in partitions.months_between(first, last)] == expected


def test_an_import_of_months_long_past_loads_them_and_its_totals(org):
    """On PostgreSQL the writer makes every month from the oldest of the first rows to today
    before its COPY opens; on SQLite there is nothing to make."""
    well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    days = [dt.date(2019, 7, 31), dt.date(2019, 8, 1), dt.date(2026, 3, 9)]
    outcome = DailyImport().run(csv_bytes([row("CY1-101", d, 2.0 + i) for i, d in enumerate(days)]), "old.csv")
    assert outcome.ok, outcome.error_lines()
    assert (outcome.created, outcome.replaced) == (3, 0)
    assert list(DailyProduction.objects.order_by("date").values_list("date", flat=True)) == days
    for day in days:
        assert unit_day(org.plant, day) == pytest.approx(raw_sums(org.plant, day))
    if connection.vendor == "postgresql":
        assert {dt.date(2019, 7, 1), dt.date(2019, 8, 1), dt.date(2026, 3, 1)} <= set(_months())


def test_replacing_rows_beside_rows_of_a_month_with_no_partition_yet(org):
    well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    assert DailyImport().run(csv_bytes([row("CY1-101", dt.date(2026, 3, 1), 1.0)]), "a.csv").ok
    outcome = DailyImport().run(csv_bytes([row("CY1-101", dt.date(2026, 3, 1), 5.0),
                                           row("CY1-101", dt.date(2019, 2, 3), 4.0)]), "b.csv")
    assert (outcome.created, outcome.replaced) == (1, 1)
    assert dict(DailyProduction.objects.values_list("date", "oil_t")) == {
        dt.date(2026, 3, 1): 5.0, dt.date(2019, 2, 3): 4.0}
    assert UnitDay.objects.get(unit=org.team, date=dt.date(2019, 2, 3)).oil_t == 4.0


def test_rows_written_through_the_orm_find_their_partitions(org):
    w = well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    DailyProduction.objects.bulk_create([DailyProduction(well=w, date=dt.date(2018, 12, 31), oil_t=1.0),
                                         DailyProduction(well=w, date=dt.date(2019, 1, 1), oil_t=2.0)])
    DailyProduction(well=w, date=dt.date(2017, 6, 5), oil_t=3.0).save()
    assert DailyProduction.objects.count() == 3


@postgres
def test_the_writer_makes_the_months_from_the_newest_partition_to_today(org):
    well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    with connection.cursor() as cursor:
        partitions.ensure(cursor, [dt.date(2025, 12, 24)])
    assert DailyImport().run(csv_bytes([row("CY1-101", dt.date(2026, 3, 2), 1.0)]), "a.csv").ok
    made = [m for m in _months() if m >= dt.date(2025, 12, 1)]
    assert made == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]


def test_older_months_met_after_the_copy_opened_are_made_and_the_file_loaded_again(org):
    """On PostgreSQL the COPY opens with the first rows' months; a row of an older month further
    on fails it only at its end, when the writer makes the months from the file's oldest day to
    today and loads the spool again. SQLite loads the spool once the file is checked."""
    w = well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    days = [dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2025, 10, 9)]
    with tempfile.TemporaryFile("w+b") as spool, transaction.atomic():
        writer = bulk.Writer(spool)
        writer.open()
        for day in days:
            writer.write(bulk.line(w.pk, day, 24.0, None, 2.0, None, None).encode())
        ordinals = np.array([d.toordinal() for d in days])
        plan = bulk.Plan(well_ids=[w.pk], sums=lambda: (np.full(3, org.team.pk), ordinals, np.full(3, 2.0),
                                                         np.zeros(3), np.zeros(3), np.ones(3, dtype=np.int64)))
        merged = writer.close(plan)
    assert (merged.created, merged.replaced) == (3, 0)
    assert sorted(DailyProduction.objects.values_list("date", flat=True)) == sorted(days)
    if connection.vendor == "postgresql":
        made = [m for m in _months() if m >= dt.date(2025, 10, 1)]
        assert made == partitions.months_between(dt.date(2025, 10, 1), TODAY)


@postgres
def test_a_row_of_a_month_with_no_partition_is_refused_by_the_database(org):
    """There is no default partition: what a writer forgot to make fails instead of landing in
    a catch-all table that would block later partitions of its months."""
    w = well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    with pytest.raises(Exception, match="no partition"), connection.cursor() as cursor:
        cursor.execute('INSERT INTO production_dailyproduction (well_id, "date", oil_t) VALUES (%s, %s, 1)',
                       [w.pk, dt.date(2001, 1, 1)])


def test_the_demo_loaders_staged_write_makes_its_months(org):
    w = well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    with tempfile.TemporaryFile("w+b") as spool:
        spool.write(bulk.line(w.pk, dt.date(2020, 5, 6), 24.0, None, 3.0, None, None).encode())
        merged = bulk.write(spool)
    assert (merged.created, merged.replaced) == (1, 0)
    assert DailyProduction.objects.get().oil_t == 3.0
    if connection.vendor == "postgresql":
        assert dt.date(2020, 5, 1) in _months()


@postgres
def test_the_migration_moves_the_rows_into_monthly_partitions_and_back(org):
    w = well(org.team, "CY1-101", since=dt.date(2019, 1, 1))
    executor = MigrationExecutor(connection)
    executor.migrate([("production", "0005_daily_composite_key")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'production_dailyproduction'")
        assert cursor.fetchone()[0] == "r"
        cursor.executemany('INSERT INTO production_dailyproduction (well_id, "date", oil_t) VALUES (%s, %s, %s)',
                           [(w.pk, dt.date(2024, 1, 31), 1.0), (w.pk, dt.date(2024, 3, 1), 2.0)])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("production", "0006_daily_monthly_partitions")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'production_dailyproduction'")
        assert cursor.fetchone()[0] == "p"
    assert _months() == [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)]
    assert list(DailyProduction.objects.values_list("date", "oil_t")) == [
        (dt.date(2024, 1, 31), 1.0), (dt.date(2024, 3, 1), 2.0)]
    executor = MigrationExecutor(connection)
    executor.migrate([("production", "0005_daily_composite_key")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'production_dailyproduction'")
        assert cursor.fetchone()[0] == "r"
        cursor.execute('SELECT "date", oil_t FROM production_dailyproduction ORDER BY "date"')
        assert cursor.fetchall() == [(dt.date(2024, 1, 31), 1.0), (dt.date(2024, 3, 1), 2.0)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("production", "0006_daily_monthly_partitions")])


@postgres
@pytest.mark.django_db(transaction=True)
def test_making_a_partition_in_an_open_import_locks_no_reader_or_writer_out(org):
    """ATTACH locks the parent against other partition changes only; CREATE TABLE … PARTITION
    OF would lock every reader out until the import commits."""
    w = well(org.team, "CY1-101", since=dt.date(1990, 1, 1))
    other = connection.copy()
    try:
        with connection.cursor() as cursor:
            partitions.ensure(cursor, [dt.date(1999, 1, 5)])
        other.set_autocommit(True)
        with transaction.atomic(), connection.cursor() as cursor:
            assert partitions.ensure(cursor, [dt.date(1999, 2, 5)]) == [dt.date(1999, 2, 1)]
            with other.cursor() as elsewhere:
                elsewhere.execute("SET lock_timeout = '2s'")
                elsewhere.execute('INSERT INTO production_dailyproduction (well_id, "date", oil_t) '
                                  "VALUES (%s, '1999-01-06', 2)", [w.pk])
                elsewhere.execute("SELECT COUNT(*) FROM production_dailyproduction WHERE well_id = %s", [w.pk])
                assert elsewhere.fetchone()[0] == 1
    finally:
        other.close()
        with connection.cursor() as cursor:
            for month in (dt.date(1999, 1, 1), dt.date(1999, 2, 1)):
                cursor.execute(f"DROP TABLE IF EXISTS {partitions.name(month)}")
