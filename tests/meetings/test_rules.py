"""The recurrence engine: on which dates a series meets, across month and year ends, leap years
and holidays."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.core.workdays import Calendar
from ronghe.meetings.rules import HolidayRule, Recurrence, Rule, move, occurrences, rule_dates

D = dt.date
# Years the bundled calendar does not know: Monday–Friday minus 元旦, 劳动节 and 国庆节, plus the
# overrides a test gives, so the expectations below do not depend on a published schedule.
FUTURE = Calendar(overrides={})


def test_half_monthly_meets_on_both_days_of_every_month_across_the_year_end():
    rule = Rule(recurrence=Recurrence.HALF_MONTHLY, starts_on=D(2030, 11, 1), day=1, second_day=16,
                holiday_rule=HolidayRule.KEEP)
    assert rule_dates(rule, D(2031, 2, 1)) == [D(2030, 11, 1), D(2030, 11, 16), D(2030, 12, 1), D(2030, 12, 16),
                                               D(2031, 1, 1), D(2031, 1, 16), D(2031, 2, 1)]


def test_the_second_half_month_defaults_to_fifteen_days_after_the_first():
    assert Rule(recurrence=Recurrence.HALF_MONTHLY, starts_on=D(2030, 1, 1), day=10).second_day == 25
    assert Rule(recurrence=Recurrence.HALF_MONTHLY, starts_on=D(2030, 1, 1), day=15).second_day == 30


def test_a_day_past_the_months_end_is_its_last_day_in_leap_and_common_years():
    rule = Rule(recurrence=Recurrence.MONTHLY, starts_on=D(2031, 12, 1), day=31, holiday_rule=HolidayRule.KEEP)
    assert rule_dates(rule, D(2032, 4, 30)) == [D(2031, 12, 31), D(2032, 1, 31), D(2032, 2, 29), D(2032, 3, 31),
                                                D(2032, 4, 30)]
    half = Rule(recurrence=Recurrence.HALF_MONTHLY, starts_on=D(2031, 2, 1), day=14, second_day=30,
                holiday_rule=HolidayRule.KEEP)
    assert rule_dates(half, D(2031, 3, 1)) == [D(2031, 2, 14), D(2031, 2, 28)]
    assert rule_dates(half.__class__(**{**half.__dict__, "starts_on": D(2032, 2, 1)}), D(2032, 3, 1)) == [
        D(2032, 2, 14), D(2032, 2, 29)]


def test_quarterly_meets_on_the_25th_of_each_quarters_first_month():
    rule = Rule(recurrence=Recurrence.QUARTERLY, starts_on=D(2030, 5, 1), day=25, month_of_quarter=1,
                holiday_rule=HolidayRule.KEEP)
    assert rule_dates(rule, D(2031, 4, 30)) == [D(2030, 7, 25), D(2030, 10, 25), D(2031, 1, 25), D(2031, 4, 25)]


def test_quarterly_may_meet_in_the_last_month_of_the_quarter():
    rule = Rule(recurrence=Recurrence.QUARTERLY, starts_on=D(2030, 1, 1), day=20, month_of_quarter=3,
                holiday_rule=HolidayRule.KEEP)
    assert rule_dates(rule, D(2030, 12, 31)) == [D(2030, 3, 20), D(2030, 6, 20), D(2030, 9, 20), D(2030, 12, 20)]


def test_dates_outside_the_series_first_and_last_date_are_not_given():
    rule = Rule(recurrence=Recurrence.MONTHLY, starts_on=D(2030, 1, 15), day=10, ends_on=D(2030, 4, 9),
                holiday_rule=HolidayRule.KEEP)
    assert rule_dates(rule, D(2030, 12, 31)) == [D(2030, 2, 10), D(2030, 3, 10)]


def test_ad_hoc_series_never_meet_by_themselves():
    assert rule_dates(Rule(recurrence=Recurrence.AD_HOC, starts_on=D(2030, 1, 1)), D(2031, 1, 1)) == []


@pytest.mark.parametrize(("day", "holiday_rule", "held"), [
    (D(2030, 6, 3), HolidayRule.NEXT_WORKING_DAY, D(2030, 6, 3)),      # a Monday stays
    (D(2030, 6, 1), HolidayRule.NEXT_WORKING_DAY, D(2030, 6, 3)),      # Saturday → Monday
    (D(2030, 6, 1), HolidayRule.PREVIOUS_WORKING_DAY, D(2030, 5, 31)),  # Saturday → Friday
    (D(2030, 6, 1), HolidayRule.KEEP, D(2030, 6, 1)),
    (D(2031, 1, 1), HolidayRule.NEXT_WORKING_DAY, D(2031, 1, 2)),      # 元旦 across the year end
    (D(2030, 12, 31), HolidayRule.NEXT_WORKING_DAY, D(2030, 12, 31)),
    (D(2030, 10, 1), HolidayRule.NEXT_WORKING_DAY, D(2030, 10, 4)),    # 国庆 1–3 October
    (D(2030, 10, 1), HolidayRule.PREVIOUS_WORKING_DAY, D(2030, 9, 30)),
])
def test_a_meeting_that_falls_on_a_day_off_moves_as_the_series_says(day, holiday_rule, held):
    assert move(day, holiday_rule, FUTURE) == held


def test_the_official_calendar_moves_the_geology_review_past_the_weekend():
    rule = Rule(recurrence=Recurrence.QUARTERLY, starts_on=D(2026, 1, 1), day=25)
    held = occurrences(rule, D(2026, 12, 31), Calendar(overrides={}))
    # 2026: 25 January is a Sunday, 25 April and 25 July Saturdays, 25 October a Sunday.
    assert [o.scheduled_for for o in held] == [D(2026, 1, 25), D(2026, 4, 25), D(2026, 7, 25), D(2026, 10, 25)]
    assert [o.date for o in held] == [D(2026, 1, 26), D(2026, 4, 27), D(2026, 7, 27), D(2026, 10, 26)]
    assert all(o.moved for o in held)


def test_a_half_monthly_meeting_on_national_day_moves_past_the_golden_week():
    rule = Rule(recurrence=Recurrence.HALF_MONTHLY, starts_on=D(2026, 10, 1), day=1, second_day=16)
    held = occurrences(rule, D(2026, 10, 31), Calendar(overrides={}))
    assert [(o.scheduled_for, o.date) for o in held] == [(D(2026, 10, 1), D(2026, 10, 8)),
                                                         (D(2026, 10, 16), D(2026, 10, 16))]


def test_an_override_of_the_calendar_moves_a_meeting_too():
    calendar = Calendar(overrides={D(2030, 6, 3): False})
    assert move(D(2030, 6, 1), HolidayRule.NEXT_WORKING_DAY, calendar) == D(2030, 6, 4)


@pytest.mark.parametrize("kwargs", [
    {"recurrence": "monthly", "day": 0}, {"recurrence": "monthly", "day": 32},
    {"recurrence": "half_monthly", "day": 16, "second_day": 30}, {"recurrence": "half_monthly", "day": 1,
                                                                  "second_day": 15},
    {"recurrence": "quarterly", "month_of_quarter": 4},
])
def test_impossible_rules_are_refused(kwargs):
    with pytest.raises(ValueError):
        Rule(starts_on=D(2030, 1, 1), **kwargs)


# --- properties ----------------------------------------------------------------------------------

recurrences = st.sampled_from([Recurrence.HALF_MONTHLY, Recurrence.MONTHLY, Recurrence.QUARTERLY])
holiday_rules = st.sampled_from(list(HolidayRule))
starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2034, 12, 31))


@st.composite
def rules(draw):
    recurrence = draw(recurrences)
    day = draw(st.integers(1, 15 if recurrence is Recurrence.HALF_MONTHLY else 31))
    second = draw(st.integers(16, 31)) if recurrence is Recurrence.HALF_MONTHLY else None
    return Rule(recurrence=recurrence, starts_on=draw(starts), day=day, second_day=second,
                month_of_quarter=draw(st.integers(1, 3)), holiday_rule=draw(holiday_rules))


CALENDAR = Calendar(overrides={})


@settings(max_examples=150, deadline=None)
@given(rules(), st.integers(0, 800))
def test_rule_dates_are_increasing_within_the_window_and_count_as_the_rule_says(rule, days):
    until = rule.starts_on + dt.timedelta(days=days)
    dates = rule_dates(rule, until)
    assert dates == sorted(set(dates))
    assert all(rule.starts_on <= d <= until for d in dates)
    per_year = {Recurrence.HALF_MONTHLY: 24, Recurrence.MONTHLY: 12, Recurrence.QUARTERLY: 4}[rule.recurrence]
    # Over a window of whole years each year holds exactly its number of meetings.
    if days >= 366:
        year = rule.starts_on.year + 1
        in_year = [d for d in dates if d.year == year]
        if until >= D(year, 12, 31):
            assert len(in_year) == per_year


@settings(max_examples=150, deadline=None)
@given(rules(), st.integers(0, 800))
def test_moved_meetings_fall_on_working_days_near_their_rule_date_and_keep_their_order(rule, days):
    held = occurrences(rule, rule.starts_on + dt.timedelta(days=days), CALENDAR)
    for o in held:
        if rule.holiday_rule is HolidayRule.KEEP:
            assert o.date == o.scheduled_for
            continue
        assert CALENDAR.is_working_day(o.date)
        assert abs((o.date - o.scheduled_for).days) <= 12  # the longest break, Spring Festival, is shorter
        if CALENDAR.is_working_day(o.scheduled_for):
            assert o.date == o.scheduled_for
        elif rule.holiday_rule is HolidayRule.NEXT_WORKING_DAY:
            assert o.date > o.scheduled_for
        else:
            assert o.date < o.scheduled_for
    dates = [o.date for o in held]
    assert dates == sorted(dates)


@settings(max_examples=100, deadline=None)
@given(rules(), st.integers(0, 400), st.integers(0, 400))
def test_a_later_horizon_only_adds_meetings_after_the_earlier_one(rule, first, more):
    early = rule_dates(rule, rule.starts_on + dt.timedelta(days=first))
    late = rule_dates(rule, rule.starts_on + dt.timedelta(days=first + more))
    assert late[:len(early)] == early
