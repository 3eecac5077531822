"""Hand-computed tables for the rules leaders read: hundred-ton steps, a measure's incremental oil,
plans to date, 时间过半任务过半 and 双超."""
import datetime as dt

import pytest

from ronghe.production.rules import (
    Day,
    StepWindows,
    daily_plan,
    double_exceed,
    hundred_ton_steps,
    measure_increment,
    month_plan,
    month_to_date,
    pace,
    plan_to_date,
    profit_to_date,
)

D = dt.date
SMALL = StepWindows(base_days=3, average_days=2, hold_days=3)


def series(start, values):
    return {start + dt.timedelta(days=i): v for i, v in enumerate(values) if v is not None}


def test_steps_are_reached_on_the_first_day_the_moving_average_reaches_them_and_held_or_lost():
    # Jan 1-3 average 253.3 → B = 200. Two-day averages from Jan 4: 280, 310, 310, 300, 360, 410, 390,
    # 440, 550, 600.
    daily = series(D(2026, 1, 1), [250, 250, 260, 300, 320, 300, 300, 420, 400, 380, 500, 600, 600])
    result = hundred_ton_steps(daily, D(2026, 1, 4), D(2026, 1, 13), SMALL)
    assert result.base_mean == pytest.approx(253.333333)
    assert result.base_level == 200
    assert [(s.k, s.level, s.reached_on, s.held, s.lost_on) for s in result.steps] == [
        (1, 300, D(2026, 1, 5), True, None),          # 310, 300, 360 after it: never below 300
        (2, 400, D(2026, 1, 9), False, D(2026, 1, 10)),  # 390 the next day
        (3, 500, D(2026, 1, 12), None, None),         # one day seen of three
        (4, 600, D(2026, 1, 13), None, None),
    ]
    assert result.next_level == 700
    assert result.through == D(2026, 1, 13)


def test_a_jump_of_two_hundred_tons_reaches_two_steps_on_one_day():
    daily = series(D(2026, 1, 1), [100, 100, 100, 300, 300, 300, 300, 300])
    result = hundred_ton_steps(daily, D(2026, 1, 4), D(2026, 1, 31), SMALL)
    assert [(s.k, s.reached_on, s.held) for s in result.steps] == [
        (1, D(2026, 1, 4), True), (2, D(2026, 1, 5), True)]


def test_the_default_windows_thirty_days_base_seven_day_average_thirty_days_held():
    base = D(2026, 3, 1)
    daily = {base - dt.timedelta(days=i): 1050.0 for i in range(1, 31)}
    daily.update({base + dt.timedelta(days=i): 1100.0 for i in range(0, 40)})
    result = hundred_ton_steps(daily, base, D(2026, 12, 31))
    assert result.base_level == 1000
    # (6 × 1050 + 1100) / 7 < 1100 on the base date; the seventh day is all at 1100.
    assert [(s.k, s.reached_on, s.held) for s in result.steps] == [(1, base + dt.timedelta(days=6), True)]
    assert result.through == base + dt.timedelta(days=39)


def test_data_not_yet_loaded_is_not_taken_for_zero_but_a_gap_inside_the_series_is():
    daily = series(D(2026, 1, 1), [200, 200, 200, 300, 300, None, 300, 300])
    result = hundred_ton_steps(daily, D(2026, 1, 4), D(2026, 2, 1), SMALL)
    step = result.steps[0]
    assert (step.reached_on, step.held, step.lost_on) == (D(2026, 1, 5), False, D(2026, 1, 6))  # (300 + 0) / 2
    assert result.through == D(2026, 1, 8)


def test_the_base_counts_only_days_of_the_series_and_without_any_there_is_no_base():
    daily = series(D(2026, 1, 3), [150, 300, 300])
    assert hundred_ton_steps(daily, D(2026, 1, 4), D(2026, 1, 5), SMALL).base_level == 100  # one day: 150
    assert hundred_ton_steps(daily, D(2026, 1, 3), D(2026, 1, 5), SMALL).base_level is None
    assert hundred_ton_steps({}, D(2026, 1, 3), D(2026, 1, 5), SMALL).steps == ()


def test_as_of_cuts_the_reading_short():
    daily = series(D(2026, 1, 1), [100, 100, 100, 200, 200, 200, 200, 200])
    result = hundred_ton_steps(daily, D(2026, 1, 4), D(2026, 1, 5), SMALL)
    assert [(s.reached_on, s.held) for s in result.steps] == [(D(2026, 1, 5), None)]


@pytest.mark.parametrize("windows", [{"base_days": 0}, {"average_days": 0}, {"hold_days": 0}, {"step_t": 0}])
def test_windows_must_be_positive(windows):
    with pytest.raises(ValueError):
        StepWindows(**windows)


# --- incremental oil ----------------------------------------------------------------------------------

WELL = [
    Day(D(2026, 1, 5), 99, 24),     # the 4th producing day before: outside a 3-day baseline
    Day(D(2026, 1, 6), 10, 24),
    Day(D(2026, 1, 7), 0, 0),       # shut in: not a producing day
    Day(D(2026, 1, 8), 12, 24),
    Day(D(2026, 1, 9), 14, None),
    Day(D(2026, 1, 10), 50, 24),    # the done date itself counts neither way
    Day(D(2026, 1, 11), 20, 24),    # +8
    # 12 January: no row
    Day(D(2026, 1, 13), 0, 0),      # shut in after the measure: not counted
    Day(D(2026, 1, 14), 10, 24),    # -2
    Day(D(2026, 1, 15), 30, 24),    # +18
    Day(D(2026, 1, 16), 40, 24),    # after the 5-day validity window
]


def test_increment_is_oil_above_the_baseline_of_the_last_producing_days_within_the_window():
    result = measure_increment(WELL, D(2026, 1, 10), D(2026, 1, 31), validity_days=5, baseline_days=3)
    assert (result.baseline_t, result.baseline_days) == (12, 3)
    assert (result.increment_t, result.days_counted, result.window_end) == (24, 3, D(2026, 1, 15))


def test_increment_counts_up_to_as_of_only():
    result = measure_increment(WELL, D(2026, 1, 10), D(2026, 1, 14), validity_days=5, baseline_days=3)
    assert (result.increment_t, result.days_counted, result.window_end) == (6, 2, D(2026, 1, 14))


def test_a_day_with_hours_but_no_oil_counts_against_the_measure():
    rows = [Day(D(2026, 1, 1), 10, 24), Day(D(2026, 1, 3), 0, 12), Day(D(2026, 1, 4), 25, 24)]
    result = measure_increment(rows, D(2026, 1, 2), D(2026, 1, 31))
    assert (result.baseline_t, result.increment_t, result.days_counted) == (10, 5, 2)


def test_fewer_producing_days_than_the_baseline_asks_average_those_there_are():
    rows = [Day(D(2026, 1, 1), 6, 24), Day(D(2026, 1, 2), 8, 24), Day(D(2026, 1, 4), 17, 24)]
    result = measure_increment(rows, D(2026, 1, 3), D(2026, 1, 31))
    assert (result.baseline_t, result.baseline_days, result.increment_t) == (7, 2, 10)


def test_without_a_producing_day_before_the_baseline_is_zero():
    rows = [Day(D(2025, 1, 1), 30, 24), Day(D(2026, 1, 4), 17, 24), Day(D(2026, 1, 5), 3, 24)]
    result = measure_increment(rows, D(2026, 1, 3), D(2026, 1, 31), lookback_days=365)
    assert (result.baseline_t, result.baseline_days, result.increment_t) == (0, 0, 20)


def test_a_measure_not_done_by_as_of_has_no_increment():
    assert measure_increment(WELL, None, D(2026, 1, 31)) is None
    assert measure_increment(WELL, D(2026, 2, 1), D(2026, 1, 31)) is None


def test_a_measure_that_did_not_work_shows_a_loss():
    rows = [Day(D(2026, 1, 1), 10, 24), Day(D(2026, 1, 3), 4, 24)]
    assert measure_increment(rows, D(2026, 1, 2), D(2026, 1, 31)).increment_t == -6


# --- plans --------------------------------------------------------------------------------------------

def test_a_month_without_its_own_plan_takes_the_annual_plan_by_its_days():
    assert month_plan(36500, {}, 2026, 2) == pytest.approx(2800)
    assert month_plan(36500, {2: 3000}, 2026, 2) == 3000
    assert month_plan(None, {}, 2026, 2) is None
    assert daily_plan(36500, {2: 2800}, D(2026, 2, 10)) == pytest.approx(100)


def test_plan_to_date_sums_past_months_and_the_elapsed_share_of_this_one():
    monthly = {1: 3100, 2: 2800}
    assert plan_to_date(None, monthly, D(2026, 2, 14)) == pytest.approx(3100 + 1400)
    assert plan_to_date(36500, {}, D(2026, 12, 31)) == pytest.approx(36500)
    assert plan_to_date(36500, {1: 3000}, D(2026, 2, 1)) == pytest.approx(3000 + 100)
    assert plan_to_date(None, {}, D(2026, 2, 1)) is None
    assert month_to_date(None, monthly, D(2026, 2, 14)) == pytest.approx(1400)


def test_time_half_gone_task_half_done():
    # 2026-07-02 is day 183 of 365: just over half the year.
    assert pace(18000, 36500, D(2026, 7, 2)).on_pace is False
    result = pace(18300, 36500, D(2026, 7, 2))
    assert result.on_pace is True
    assert result.time_share == pytest.approx(183 / 365)
    assert result.done_share == pytest.approx(18300 / 36500)
    assert pace(100, None, D(2026, 7, 2)).on_pace is None


def test_double_exceed_needs_output_and_profit_both_above_plan():
    assert double_exceed(101, 100, 51, 50).both is True
    assert double_exceed(101, 100, 50, 50).both is False
    assert double_exceed(99, 100, 60, 50) == double_exceed(99, 100, 60, 50)
    assert double_exceed(99, 100, 60, 50).output is False
    assert double_exceed(101, 100, None, None).both is None
    assert double_exceed(101, 100, -300, -500).both is True  # a smaller loss than planned


def test_profit_to_date_counts_the_months_whose_actual_is_in():
    plan, actual = {1: 100, 2: 100, 3: 100}, {1: 120, 2: 90}
    assert profit_to_date(plan, actual, None, D(2026, 3, 15)) == (210, 200)
    assert profit_to_date({}, actual, 1200, D(2026, 3, 15)) == (210, 200)
    assert profit_to_date(plan, {}, 1200, D(2026, 3, 15)) == (None, None)
    assert profit_to_date({}, actual, None, D(2026, 3, 15)) == (210, None)
