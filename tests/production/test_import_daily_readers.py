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


def test_a_file_whose_window_holds_no_stored_row_goes_straight_in(org, wells, django_assert_max_num_queries):
    assert DailyImport().run(csv_bytes([row("CY1-201", D2, 1.0)]), "other.csv").ok  # another well, same days
    outcome = DailyImport().run(csv_bytes([row("CY1-101", D1, 3.0), row("CY1-101", D3, 2.0)]), "a.csv")
    assert (outcome.created, outcome.replaced) == (2, 0)
    assert unit_day(org.team, D1) == (3.0, 0, 0, 1)
    assert unit_day(org.plant, D2) == (1.0, 0, 0, 1)


def test_a_file_whose_window_holds_stored_rows_is_merged_with_the_same_result(org, wells, monkeypatch):
    assert DailyImport().run(csv_bytes([row("CY1-101", D2, 1.0), row("CY1-201", D2, 4.0)]), "first.csv").ok
    merged = []
    monkeypatch.setattr(bulk, "merge_stage", lambda cursor, staged, _m=bulk.merge_stage: merged.append(staged)
                        or _m(cursor, staged))
    # CY1-101 has a stored row on D2, between the file's first and last day but not one of its rows.
    outcome = DailyImport().run(csv_bytes([row("CY1-101", D1, 3.0), row("CY1-101", D3, 2.0)]), "b.csv")
    assert merged == [2]
    assert (outcome.created, outcome.replaced) == (2, 0)
    outcome = DailyImport().run(csv_bytes([row("CY1-101", D5, 1.5), row("CY1-201", D5, 0.5)]), "c.csv")
    assert merged == [2]  # nothing stored on D5: straight in
    assert outcome.created == 2
    for unit, day in itertools.product([org.hq, org.plant, org.area, org.team], [D1, D2, D3, D5]):
        assert unit_day(unit, day) == pytest.approx(raw_sums(unit, day)), (unit.code, day)
