import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ronghe.core.models import CalendarDay
from ronghe.core.workdays import Calendar, calendar

D = dt.date
cal = Calendar(overrides={})


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 10, 1), False),   # 国庆节
        (D(2026, 10, 10), True),   # Saturday, 调休 make-up working day
        (D(2026, 2, 17), False),   # 春节
        (D(2026, 3, 2), True),     # an ordinary Monday
        (D(2026, 3, 7), False),    # an ordinary Saturday
        (D(2027, 1, 1), False),    # a year the library does not know yet: 元旦 by rule
        (D(2027, 3, 1), True),
        (D(2027, 3, 6), False),
    ],
)
def test_it_knows_china_working_days(day, working):
    assert cal.is_working_day(day) is working


def test_adding_working_days_skips_the_national_day_holiday():
    # 2026-09-30 (Wed) + 1 working day: the holiday runs 10-01..10-07
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_working_days_between_counts_the_open_closed_interval():
    assert cal.working_days_between(D(2026, 3, 2), D(2026, 3, 9)) == 5
    assert cal.working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == -5


def test_overrides_from_the_database_win(db):
    CalendarDay.objects.create(date=D(2027, 2, 8), is_working_day=False, note="春节")
    assert calendar().is_working_day(D(2027, 2, 8)) is False


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31)), st.integers(min_value=0, max_value=60))
def test_adding_then_counting_working_days_round_trips(day, n):
    later = cal.add_working_days(day, n)
    assert cal.working_days_between(day, later) == n
    assert n == 0 or cal.is_working_day(later)
