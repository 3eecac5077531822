"""Daily production import, the writing side: the wells of a file are locked and checked in one
statement instead of a per-row foreign key, and the totals follow replaced rows."""
import datetime as dt

import pytest
from django.db import connection
from django.utils import translation

from ronghe.core.models import AuditEntry
from ronghe.production.daily_import import DailyImport
from ronghe.production.models import DailyProduction, UnitDay, Well
from tests.production.test_data_factories import csv_bytes, raw_sums, row, unit_day, well

TODAY = dt.date(2026, 3, 10)
D1, D2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.RONGHE_TODAY = TODAY.isoformat()


def test_a_well_deleted_between_validation_and_writing_fails_the_whole_file(org):
    well(org.team, "CY1-101")
    doomed = well(org.area, "CY1-201")

    def progress(status, done, total):
        # As another transaction would, once its own PROTECT check found no committed rows: the
        # rows are loaded by then (word of writing comes before their wells are locked).
        if status == "writing" and Well.objects.filter(pk=doomed.pk).exists():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM production_well WHERE id = %s", [doomed.pk])

    with translation.override("en"):
        outcome = DailyImport(progress=progress).run(
            csv_bytes([row("CY1-101", D1, 3.0), row("CY1-201", D1, 2.0), row("CY1-201", D2, 1.0)]), "daily.csv")
    assert [(e.row, e.column) for e in outcome.errors] == [(0, "井号")]
    assert "deleted" in outcome.errors[0].message
    assert not DailyProduction.objects.exists() and not UnitDay.objects.exists()
    assert not AuditEntry.objects.filter(action="import.production").exists()


def test_replacing_rows_of_some_wells_keeps_the_other_wells_in_the_totals(org):
    well(org.team, "CY1-101")
    well(org.team, "CY1-102")
    well(org.sibling, "CY1-301")
    assert DailyImport().run(csv_bytes([row("CY1-101", D1, 3.0), row("CY1-102", D1, 2.0),
                                        row("CY1-301", D1, 1.0), row("CY1-101", D2, 4.0)]), "a.csv").ok
    outcome = DailyImport().run(csv_bytes([row("CY1-102", D1, 0.5), row("CY1-102", D2, 1.5)]), "b.csv")
    assert (outcome.created, outcome.replaced) == (1, 1)
    for unit in (org.hq, org.plant, org.area, org.team, org.sibling):
        for day in (D1, D2):
            assert unit_day(unit, day) == pytest.approx(raw_sums(unit, day)), (unit.code, day)
    assert unit_day(org.team, D1) == (3.5, 0, 0, 2)


def test_daily_production_has_no_index_or_constraint_that_no_read_needs(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, DailyProduction._meta.db_table)
    by_columns = sorted(tuple(c["columns"]) for c in constraints.values()
                        if c["index"] or c["unique"] or c["primary_key"] or c["foreign_key"])
    assert by_columns == [("well_id", "date")]
    assert any(c["primary_key"] and c["columns"] == ["well_id", "date"] for c in constraints.values())
    assert not any(c["foreign_key"] for c in constraints.values())


def test_rows_equal_to_the_stored_ones_count_as_replaced_and_a_blank_that_gains_a_value_is_rewritten(org):
    well(org.team, "CY1-101")
    well(org.team, "CY1-102")
    first = csv_bytes([row("CY1-101", D1, 3.0, water_cut=70), row("CY1-102", D1, 2.0)])
    assert DailyImport().run(first, "a.csv").ok
    again = DailyImport().run(first, "a.csv")
    assert (again.created, again.replaced) == (0, 2)
    changed = DailyImport().run(csv_bytes([row("CY1-101", D1, 3.0, water_cut=70), row("CY1-102", D1, 2.0, gas=5),
                                           row("CY1-102", D2, 1.0)]), "b.csv")
    assert (changed.created, changed.replaced) == (1, 2)
    assert DailyProduction.objects.get(well__code="CY1-102", date=D1).gas_m3 == 5
    assert DailyProduction.objects.get(well__code="CY1-101", date=D1).water_cut == 70
    assert unit_day(org.team, D1) == (5.0, 0, 5, 2)
