"""The two readers of daily production files accept and refuse exactly the same rows: the csv
batch reader (Arrow, a column at a time, daily_csv) and the row reader (xlsx, xls, ragged csv);
and the two ways of writing (straight in when the file's window holds no stored row, merged
otherwise) give the same rows and totals."""
import datetime as dt
import io
import itertools

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe.production import bulk
from ronghe.production.daily_import import DailyImport
from ronghe.production.models import DailyProduction, UnitDay
from tests.production.test_data_factories import HEADER, csv_bytes, raw_sums, row, unit_day, well

TODAY = dt.date(2026, 3, 10)
D1, D2, D3, D5 = (dt.date(2026, 3, d) for d in (1, 2, 3, 5))

# Spellings of each cell, valid and not, plain and not: the batch reader clears the plain valid
# ones itself and hands every other row to the row checks.
CELLS = {
    "well": ["CY1-101", "CY1-102", "cy1-101", " CY1-201 ", "NOPE", ""],
    "date": ["2026-03-01", "2026-03-02", "2026/03/03", "2026-02-30", "2026-03-20", "2026-3-4", "x", ""],
    "hours": ["24", "", "25", "-1", "1e1", " 8 ", "abc", "24.0"],
    "liquid": ["10", "", "1,000.5", "-3", "nan", "7.25"],
    "oil": ["3.5", "", "0", "-1", "1_000", "３", ".5", "5.", "2"],
    "gas": ["100", "", "inf", "12.5"],
    "water_cut": ["65", "", "100.1", "100", "0"],
}
A_ROW = st.tuples(*(st.sampled_from(values) for values in CELLS.values()))
BLANK = ("",) * len(HEADER)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.RONGHE_TODAY = TODAY.isoformat()


@pytest.fixture
def wells(org):
    return [well(org.team, "CY1-101"), well(org.team, "CY1-102", since=D2), well(org.area, "CY1-201")]


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for cells in rows:
        sheet.append([cell if cell != "" else None for cell in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored():
    return (sorted(DailyProduction.objects.values_list("well_id", "date", "hours", "liquid_t", "oil_t", "gas_m3",
                                                       "water_cut")),
            sorted(UnitDay.objects.values_list("unit_id", "date", "oil_t", "liquid_t", "gas_m3", "producing_wells")))


def imported(content, name):
    """The outcome of importing `content` and what it stored, then undone."""
    with transaction.atomic():
        outcome = DailyImport().run(content, name)
        result = ((outcome.ok, outcome.rows, outcome.created, outcome.replaced),
                  [(e.row, e.column, e.message) for e in outcome.errors], stored())
        transaction.set_rollback(True)
    return result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(A_ROW, st.just(BLANK)), min_size=1, max_size=12))
def test_the_csv_batch_reader_and_the_row_reader_agree_on_every_row(wells, rows):
    by_batches = imported(csv_bytes(rows), "daily.csv")
    by_rows = imported(xlsx_bytes(rows), "daily.xlsx")
    assert by_batches[:2] == by_rows[:2]
    assert by_batches[2][0] == by_rows[2][0]
    for a, b in zip(by_batches[2][1], by_rows[2][1], strict=True):
        assert a[:2] == b[:2] and a[2:5] == pytest.approx(b[2:5]) and a[5] == b[5]


def test_a_ragged_csv_is_read_row_by_row_with_the_same_row_numbers(org, wells):
    content = (",".join(HEADER) + "\n"
               "CY1-101,2026-03-01,24,10,3.5,,\n"
               "CY1-101,2026-03-02,24,10,3.5,,,extra\n"
               "\n"
               "CY1-101,2026-03-02,24,10,-1,,\n").encode()
    outcome = DailyImport().run(content, "ragged.csv")
    assert [(e.row, e.column) for e in outcome.errors] == [(5, "日期"), (5, "日产油(t)")]
    outcome = DailyImport().run(content.replace(b"10,-1,", b"10,2,"), "ragged.csv")
    assert [(e.row, e.column) for e in outcome.errors] == [(5, "日期")]
    assert "3" in outcome.errors[0].message  # names the row it repeats


def test_a_quoted_csv_with_a_line_break_in_a_cell_is_numbered_by_record(org, wells):
    content = (",".join(HEADER) + "\n"
               '"CY1-101","2026-03-01","24","1,000.5","3.5","",""\n'
               '"CY1-101\nB","2026-03-02","24","10","3.5","",""\n'
               '"CY1-101","2026-03-03","24","10","-2","",""\n').encode()
    outcome = DailyImport().run(content, "quoted.csv")
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "井号"), (4, "日产油(t)")]


@pytest.fixture
def merges(monkeypatch):
    """The number of rows of each staged merge the imports make."""
    staged = []
    merge = bulk.merge_stage
    monkeypatch.setattr(bulk, "merge_stage", lambda cursor, rows: staged.append(rows) or merge(cursor, rows))
    return staged


def test_a_file_of_rows_not_stored_yet_goes_straight_in(org, wells, merges):
    assert DailyImport().run(csv_bytes([row("CY1-201", D2, 1.0)]), "other.csv").ok
    outcome = DailyImport().run(csv_bytes([row("CY1-101", D1, 3.0), row("CY1-101", D3, 2.0),
                                           row("CY1-201", D3, 0.5)]), "a.csv")
    assert (outcome.created, outcome.replaced) == (3, 0)
    assert merges == []
    assert unit_day(org.team, D1) == (3.0, 0, 0, 1)
    assert unit_day(org.plant, D3) == (2.5, 0, 0, 2)
    assert unit_day(org.plant, D2) == (1.0, 0, 0, 1)


def test_a_file_that_meets_a_stored_row_is_merged_instead_with_nothing_left_of_the_first_try(org, wells, merges):
    assert DailyImport().run(csv_bytes([row("CY1-101", D2, 1.0), row("CY1-201", D2, 4.0)]), "first.csv").ok
    # The stored row comes after rows the straight load had already written.
    rows = [row("CY1-101", D1, 3.0), row("CY1-201", D1, 1.0), row("CY1-101", D2, 2.0), row("CY1-101", D3, 2.0)]
    outcome = DailyImport().run(csv_bytes(rows), "b.csv")
    assert merges == [4]
    assert (outcome.created, outcome.replaced) == (3, 1)
    assert DailyProduction.objects.count() == 5
    assert DailyProduction.objects.get(well__code="CY1-101", date=D2).oil_t == 2.0
    for unit, day in itertools.product([org.hq, org.plant, org.area, org.team], [D1, D2, D3]):
        assert unit_day(unit, day) == pytest.approx(raw_sums(unit, day)), (unit.code, day)
