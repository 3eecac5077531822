"""Properties of the step detection and of a measure's incremental oil over generated series."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.production.rules import (
    Day,
    StepWindows,
    hundred_ton_steps,
    measure_increment,
    plan_to_date,
    trailing_means,
)

D = dt.date
START = D(2026, 1, 1)
engine = settings(max_examples=150, deadline=None)

windows = st.builds(StepWindows, base_days=st.integers(1, 10), average_days=st.integers(1, 7),
                    hold_days=st.integers(1, 10))
levels = st.lists(st.floats(0, 2000, allow_nan=False), min_size=2, max_size=80)


def as_series(values):
    return {START + dt.timedelta(days=i): v for i, v in enumerate(values)}


@engine
@given(levels, windows, st.integers(1, 60), st.integers(0, 90))
def test_every_step_is_first_reached_where_the_average_first_reaches_its_level(values, w, base_offset, as_of_offset):
    base = START + dt.timedelta(days=base_offset)
    result = hundred_ton_steps(as_series(values), base, base + dt.timedelta(days=as_of_offset), w)
    averages = dict(result.averages)
    for number, step in enumerate(result.steps, start=1):
        assert step.k == number
        assert step.level == result.base_level + w.step_t * number
        assert averages[step.reached_on] + 1e-6 >= step.level
        assert all(a + 1e-6 < step.level for day, a in result.averages if day < step.reached_on)
        held_window = [a for day, a in result.averages
                       if step.reached_on < day <= step.reached_on + dt.timedelta(days=w.hold_days)]
        if step.held:
            assert len(held_window) == w.hold_days and min(held_window) + 1e-6 >= step.level
        if step.held is False:
            assert min(held_window) + 1e-6 < step.level
    reached = [s.reached_on for s in result.steps]
    assert reached == sorted(reached)


@engine
@given(levels, windows, st.integers(1, 60), st.integers(0, 20))
def test_adding_whole_steps_to_every_day_moves_the_levels_not_the_dates(values, w, base_offset, lift):
    base = START + dt.timedelta(days=base_offset)
    as_of = START + dt.timedelta(days=200)
    low = hundred_ton_steps(as_series(values), base, as_of, w)
    high = hundred_ton_steps(as_series([v + lift * w.step_t for v in values]), base, as_of, w)
    assert [(s.k, s.reached_on, s.held) for s in high.steps] == [(s.k, s.reached_on, s.held) for s in low.steps]
    if low.base_level is not None:
        assert high.base_level == low.base_level + lift * w.step_t


@engine
@given(levels, windows, st.integers(1, 40), st.integers(0, 60), st.integers(0, 60))
def test_a_later_as_of_keeps_what_was_reached_and_only_settles_what_was_open(values, w, base_offset, early, extra):
    base = START + dt.timedelta(days=base_offset)
    before = hundred_ton_steps(as_series(values), base, base + dt.timedelta(days=early), w)
    after = hundred_ton_steps(as_series(values), base, base + dt.timedelta(days=early + extra), w)
    assert len(after.steps) >= len(before.steps)
    for old, new in zip(before.steps, after.steps, strict=False):
        assert (old.k, old.reached_on) == (new.k, new.reached_on)
        if old.held is not None:
            assert new.held == old.held


days = st.lists(st.tuples(st.integers(0, 120), st.floats(0, 50, allow_nan=False), st.sampled_from([None, 0, 12, 24])),
                max_size=80, unique_by=lambda t: t[0])


def as_days(rows):
    return [Day(START + dt.timedelta(days=offset), oil, hours) for offset, oil, hours in rows]


@engine
@given(days, st.integers(1, 119), st.floats(0.5, 20), st.integers(1, 60))
def test_more_oil_every_day_after_the_measure_adds_that_much_per_day_counted(rows, done, extra, validity):
    done_on, as_of = START + dt.timedelta(days=done), START + dt.timedelta(days=150)
    plain = measure_increment(as_days(rows), done_on, as_of, validity_days=validity)
    lifted = [Day(d.date, d.oil_t + extra if d.date > done_on and d.producing else d.oil_t, d.hours)
              for d in as_days(rows)]
    more = measure_increment(lifted, done_on, as_of, validity_days=validity)
    assert more.days_counted == plain.days_counted
    assert abs(more.increment_t - plain.increment_t - extra * plain.days_counted) < 1e-3


@engine
@given(st.floats(0.5, 50), st.integers(5, 60), st.integers(1, 40))
def test_a_well_that_keeps_producing_as_before_gains_nothing(level, done, validity):
    rows = [Day(START + dt.timedelta(days=i), level, 24) for i in range(100)]
    result = measure_increment(rows, START + dt.timedelta(days=done), START + dt.timedelta(days=99),
                               validity_days=validity)
    assert abs(result.increment_t) < 1e-3


@engine
@given(days, st.integers(1, 119))
def test_rows_outside_the_lookback_and_the_window_do_not_matter(rows, done):
    done_on, as_of = START + dt.timedelta(days=done), START + dt.timedelta(days=150)
    inside = measure_increment(as_days(rows), done_on, as_of, validity_days=10, lookback_days=20)
    noise = [Day(done_on - dt.timedelta(days=30), 500, 24), Day(done_on + dt.timedelta(days=11), 500, 24)]
    assert measure_increment(as_days(rows) + noise, done_on, as_of, validity_days=10, lookback_days=20) == inside


@engine
@given(st.floats(0, 1e6), st.dictionaries(st.integers(1, 12), st.floats(0, 1e5), max_size=12),
       st.integers(0, 363), st.integers(1, 300))
def test_the_plan_to_date_never_falls_as_the_year_goes_on(annual, monthly, start, step):
    first = D(2026, 1, 1) + dt.timedelta(days=start)
    later = min(first + dt.timedelta(days=step), D(2026, 12, 31))
    assert plan_to_date(annual, monthly, later) + 1e-6 >= plan_to_date(annual, monthly, first)


gappy = st.lists(st.one_of(st.none(), st.floats(0, 2000, allow_nan=False)), min_size=1, max_size=60)


@engine
@given(gappy, st.integers(1, 10))
def test_a_trailing_mean_is_the_mean_of_the_days_with_data_in_its_window(values, width):
    series = {START + dt.timedelta(days=i): v for i, v in enumerate(values) if v is not None}
    means = trailing_means(series, START, START + dt.timedelta(days=len(values) - 1), width)
    for i, mean in enumerate(means):
        window = [v for v in values[max(0, i - width + 1):i + 1] if v is not None]
        if window:
            assert abs(mean - sum(window) / len(window)) <= 1e-9 * max(1.0, *window)
        else:
            assert mean is None


def test_trailing_means_by_hand():
    series = {START: 10.0, START + dt.timedelta(days=1): 20.0, START + dt.timedelta(days=3): 60.0}
    assert trailing_means(series, START, START + dt.timedelta(days=6), 3) == [10.0, 15.0, 15.0, 40.0, 60.0, 60.0, None]
