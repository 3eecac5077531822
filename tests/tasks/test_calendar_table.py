"""The working-day table the status engine counts with gives the same answers as walking the
calendar day by day, across years, holidays, 调休 and administrators' overrides."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.core.workdays import Calendar

D = dt.date
ONE_DAY = dt.timedelta(days=1)
days = st.dates(min_value=D(2025, 6, 1), max_value=D(2027, 6, 30))
overrides = st.dictionaries(days, st.booleans(), max_size=12)


def walk_add(calendar, day, n):
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def walk_between(calendar, start, end):
    if end < start:
        return -walk_between(calendar, end, start)
    return sum(calendar.is_working_day(start + ONE_DAY * i) for i in range(1, (end - start).days + 1))


@settings(max_examples=150, deadline=None)
@given(overrides, days, days, st.integers(-250, 250))
def test_the_table_answers_as_a_walk_day_by_day(changes, one, other, n):
    # A fresh calendar per question, and one asked everything, so the table grows both ways.
    assert Calendar(changes).add_working_days(one, n) == walk_add(Calendar(changes), one, n)
    assert Calendar(changes).working_days_between(one, other) == walk_between(Calendar(changes), one, other)
    shared = Calendar(changes)
    for day in (one, other):
        assert shared.add_working_days(day, n) == walk_add(shared, day, n)
        assert shared.add_working_days(day, -n) == walk_add(shared, day, -n)
        assert shared.next_working_day(day) == walk_add(shared, day - ONE_DAY, 1)
    assert shared.working_days_between(one, other) == walk_between(shared, one, other)


def test_an_override_moves_the_count():
    plain, holiday = Calendar({}), Calendar({D(2027, 3, 3): False, D(2027, 3, 6): True})
    assert plain.working_days_between(D(2027, 3, 1), D(2027, 3, 8)) == 5
    assert holiday.working_days_between(D(2027, 3, 1), D(2027, 3, 8)) == 5   # one lost, one made up
    assert holiday.add_working_days(D(2027, 3, 2), 1) == D(2027, 3, 4)
    assert holiday.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 6)
