"""Daily production import (日产导入): all or nothing, rows replaced and counted, errors per row
and column, scope, audit, and unit-day totals that always equal the sums of the raw rows."""
import datetime as dt
import io
import itertools

import numpy as np
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.core.models import AuditEntry
from ronghe.production import services, totals
from ronghe.production.daily_checks import DaysSeen
from ronghe.production.daily_import import DailyImport
from ronghe.production.models import DailyProduction, UnitDay
from tests import factories as f
from tests.production.test_data_factories import HEADER, csv_bytes, raw_sums, row, unit_day, well

TODAY = dt.date(2026, 3, 10)
D1, D2, D3 = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.RONGHE_TODAY = TODAY.isoformat()


@pytest.fixture
def wells(org):
    return {
        "t1": well(org.team, "CY1-101"),
        "t2": well(org.team, "CY1-102", since=D2),
        "a1": well(org.area, "CY1-201"),
        "s1": well(org.area2, "CY2-301"),
    }


def run(content, actor=None, name="daily.csv", **kwargs):
    return DailyImport(actor=actor, **kwargs).run(content, name)


def assert_totals_match(org, days):
    units = [org.hq, org.plant, org.area, org.team, org.sibling, org.area2, org.dept]
    for unit, day in itertools.product(units, days):
        assert unit_day(unit, day) == pytest.approx(raw_sums(unit, day)), (unit.code, day)


def test_a_file_is_imported_and_every_unit_above_its_wells_gets_the_days_totals(org, wells):
    outcome = run(csv_bytes([row("CY1-101", D1, 3.5, liquid=10, gas=100, water_cut=65),
                             row("CY1-201", D1, 2.0, liquid=8), row("CY2-301", D1, 4.0),
                             row("CY1-101", D2, 3.0), row("CY1-102", D2, 0, hours=0)]))
    assert outcome.ok, outcome.error_lines()
    assert (outcome.rows, outcome.created, outcome.replaced) == (5, 5, 0)
    assert DailyProduction.objects.count() == 5
    assert unit_day(org.hq, D1) == (9.5, 18, 100, 3)
    assert unit_day(org.plant, D1) == (5.5, 18, 100, 2)
    assert unit_day(org.team, D2) == (3.0, 0, 0, 1)  # a well giving no oil is not producing
    assert unit_day(org.sibling, D2) == (0, 0, 0, 0)
    assert_totals_match(org, [D1, D2])


def test_rows_for_an_existing_well_and_date_replace_it_and_are_counted_as_replaced(org, wells):
    assert run(csv_bytes([row("CY1-101", D1, 3.5), row("CY1-201", D1, 2.0), row("CY2-301", D2, 1.0)])).ok
    outcome = run(csv_bytes([row("CY1-101", D1, 1.5, water_cut=80), row("CY1-101", D3, 2.5)]))
    assert outcome.ok
    assert (outcome.created, outcome.replaced) == (1, 1)
    replaced = DailyProduction.objects.get(well=wells["t1"], date=D1)
    assert (replaced.oil_t, replaced.water_cut) == (1.5, 80)
    assert unit_day(org.hq, D1)[0] == pytest.approx(3.5)
    assert_totals_match(org, [D1, D2, D3])


def test_one_bad_row_writes_nothing_and_every_problem_is_reported_by_row_and_column(org, wells):
    outcome = run(csv_bytes([
        row("CY1-101", D1, 3.5),             # 2: fine
        row("NO-SUCH", D1, 1.0),             # 3: unknown well
        row("CY1-101", D1, 2.0),             # 4: same well and date as row 2
        row("CY1-201", D1, -1.0),            # 5: negative oil
        row("CY1-201", D2, 1.0, water_cut=101),  # 6: water cut over 100
        row("CY1-201", D3, 1.0, hours=25),   # 7: more than a day
        row("CY1-201", dt.date(2026, 3, 11), 1.0),  # 8: the future
        row("CY1-102", D1, 1.0),             # 9: before 投产日期
        row("CY1-201", "2026-02-30", 1.0),   # 10: no such date
        row("CY1-201", dt.date(2026, 2, 1), ""),  # 11: oil missing
    ]))
    assert not outcome.ok
    found = {(e.row, e.column) for e in outcome.errors}
    assert found == {(3, "井号"), (4, "日期"), (5, "日产油(t)"), (6, "含水(%)"), (7, "生产时间(h)"), (8, "日期"),
                     (9, "日期"), (10, "日期"), (11, "日产油(t)")}
    assert outcome.error_count == 9
    duplicate = next(e for e in outcome.errors if e.row == 4)
    assert "2" in duplicate.message
    assert not DailyProduction.objects.exists() and not UnitDay.objects.exists()
    assert not AuditEntry.objects.filter(action="import.production").exists()


def test_errors_are_in_chinese_for_a_chinese_user(org, wells):
    from django.utils import translation

    with translation.override("zh-hans"):
        outcome = run(csv_bytes([row("NO-SUCH", D1, 1.0), row("CY1-101", D1, -2)]))
        lines = outcome.error_lines()
    assert any("NO-SUCH" in line and "第2行" in line for line in lines), lines
    assert all(not any(word in line for word in ("Row", "Must", "within")) for line in lines), lines


def test_an_importer_reaches_only_the_wells_in_their_scope(org, wells, personas):
    outcome = run(csv_bytes([row("CY1-101", D1, 1.0), row("CY2-301", D1, 2.0)]), actor=personas.plant_admin)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "井号")]
    assert not DailyProduction.objects.exists()
    assert run(csv_bytes([row("CY1-101", D1, 1.0)]), actor=personas.plant_admin).ok
    assert not run(csv_bytes([row("CY1-101", D1, 1.0)]), actor=personas.viewer).ok  # viewers import nothing


def test_a_batch_is_audited_once_and_hangs_off_the_unit_above_the_wells_it_touched(org, wells, personas):
    assert run(csv_bytes([row("CY1-101", D1, 1.0), row("CY1-201", D1, 2.0)]), actor=personas.plant_admin,
               name="三月.csv").ok
    entry = AuditEntry.objects.get(action="import.production")
    assert entry.unit == org.area
    assert entry.after["counts"] == {"total": 2, "created": 2, "replaced": 0}
    assert entry.object_repr == "三月.csv"


def test_a_dry_run_counts_and_writes_nothing(org, wells):
    run(csv_bytes([row("CY1-101", D1, 1.0)]))
    outcome = run(csv_bytes([row("CY1-101", D1, 2.0), row("CY1-101", D2, 2.0)]), dry_run=True)
    assert (outcome.created, outcome.replaced) == (1, 1)
    assert DailyProduction.objects.get().oil_t == 1.0
    assert AuditEntry.objects.filter(action="import.production").count() == 1


def test_gbk_csv_and_xlsx_files_are_read_alike(org, wells):
    gbk_header = [h.replace("m³", "m3").replace("(", "（").replace(")", "）") for h in HEADER]
    gbk = csv_bytes([row("CY1-101", D1, 1.0)], header=gbk_header, encoding="gbk")
    assert run(gbk).ok
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日产数据"])  # a title above the header
    sheet.append(HEADER)
    sheet.append(["CY1-101", dt.datetime(2026, 3, 2), 24, 10.5, 2.5, None, 76.2])
    sheet.append([])
    sheet.append(["CY1-201", "2026年3月2日", "24", "1,200", "3", "", ""])
    out = io.BytesIO()
    book.save(out)
    outcome = run(out.getvalue(), name="daily.xlsx")
    assert outcome.ok, outcome.error_lines()
    assert outcome.rows == 2
    assert DailyProduction.objects.get(well=wells["a1"]).liquid_t == 1200
    assert unit_day(org.plant, D2)[0] == pytest.approx(5.5)


def test_a_file_without_the_required_columns_is_refused(org, wells):
    outcome = run(csv_bytes([["CY1-101", D1.isoformat()]], header=["井号", "日期"]))
    assert [(e.row, e.column) for e in outcome.errors] == [(1, "日产油(t)")]


def test_totals_follow_a_well_that_changes_unit(org, wells):
    assert run(csv_bytes([row("CY1-101", D1, 3.0), row("CY1-101", D2, 4.0), row("CY1-201", D1, 1.0),
                          row("CY2-301", D1, 5.0)])).ok
    services.well_update(actor=f.system_user(), well=wells["t1"], unit=org.area2)
    assert_totals_match(org, [D1, D2])
    assert unit_day(org.team, D1) == (0, 0, 0, 0)
    assert unit_day(org.sibling, D1)[0] == pytest.approx(8.0)
    assert unit_day(org.hq, D1)[0] == pytest.approx(9.0)


def test_rebuild_unit_days_recomputes_every_total_from_the_raw_rows(org, wells):
    assert run(csv_bytes([row("CY1-101", D1, 3.0), row("CY2-301", D2, 5.0)])).ok
    UnitDay.objects.update(oil_t=0)
    UnitDay.objects.filter(unit=org.team).delete()
    call_command("rebuild_unit_days", stdout=io.StringIO())
    assert_totals_match(org, [D1, D2])
    assert totals.rebuild_all(since=D2) > 0
    assert_totals_match(org, [D1, D2])


def test_the_command_imports_a_file_and_fails_with_one_line_per_error(org, wells, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row("CY1-101", D1, 3.0)]))
    out = io.StringIO()
    call_command("import_production", str(good), stdout=out)
    assert "1" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row("NOPE", D1, 3.0)]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_production", str(bad), stderr=err)
    assert "NOPE" in err.getvalue()
    dry = io.StringIO()
    call_command("import_production", str(good), "--dry-run", stdout=dry)
    assert DailyProduction.objects.count() == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-5000, 5000)), max_size=300))
def test_the_days_seen_bitmap_remembers_exactly_the_pairs_it_was_given(pairs):
    seen, plain = DaysSeen(5), set()
    base = dt.date(2025, 1, 1).toordinal()
    for position, offset in pairs:
        assert seen.add(position, base + offset) == ((position, offset) in plain)
        plain.add((position, offset))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 4), st.integers(-600, 600)), max_size=80), max_size=5))
def test_marking_pairs_in_batches_says_what_marking_them_one_by_one_says(batches):
    together, one_by_one = DaysSeen(5), DaysSeen(5)
    base = dt.date(2025, 1, 1).toordinal()
    for batch in batches:
        positions = np.array([p for p, _o in batch], dtype=np.int64)
        ordinals = np.array([base + o for _p, o in batch], dtype=np.int64)
        expected = [one_by_one.add(p, base + o) for p, o in batch]
        assert together.add_many(positions, ordinals).tolist() == expected


def test_numbers_and_dates_written_in_other_ways_are_read_alike(org, wells):
    outcome = run(csv_bytes([
        ["CY1-101", "2026-03-01", " 24 ", "1_000", "３", "", "inf"],  # 含水 infinite: refused
        ["CY1-101", "2026-W10-1", 24, 10, 3, "", ""],  # an ISO week date is a date too
        ["CY1-201", "2026/03/01", "24", "1,000.5", " 2.5 ", "1e2", "50"],
    ]))
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "含水(%)")]
    outcome = run(csv_bytes([
        ["CY1-101", "2026-03-01", " 24 ", "1_000", "３", "", "nan"],
        ["CY1-201", "2026/03/01", "24", "1,000.5", " 2.5 ", "1e2", "50"],
    ]))
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "含水(%)")]
    assert run(csv_bytes([["CY1-101", "2026-03-01", " 24 ", "1_000", "３", "", ""],
                          ["CY1-201", "2026/03/01", "24", "1,000.5", " 2.5 ", "1e2", "50"]])).ok
    first = DailyProduction.objects.get(well=wells["t1"], date=D1)
    assert (first.hours, first.liquid_t, first.oil_t, first.water_cut) == (24, 1000, 3, None)
    second = DailyProduction.objects.get(well=wells["a1"], date=D1)
    assert (second.liquid_t, second.oil_t, second.gas_m3, second.water_cut) == (1000.5, 2.5, 100, 50)
    assert unit_day(org.plant, D1)[0] == pytest.approx(5.5)
