"""Table tests of the 三会一课 compliance engine, from the Party's rules: a branch owes a
支部党员大会 and a 党课 every quarter and a 支委会 every month (not when it has fewer than seven
members), a 党小组 a 党小组会 every month."""
import datetime as dt

import pytest

from ronghe.core.workdays import Calendar
from ronghe.orglife.rules import (
    Frequency,
    Meeting,
    Org,
    Period,
    Rule,
    Status,
    evaluate,
    judge,
    period_of,
    periods_of_year,
    rates,
    reminder_due,
    tally,
)

D = dt.date
GENERAL = Rule(1, "branch", "general_meeting", Frequency.QUARTER)
LESSON = Rule(2, "branch", "lesson", Frequency.QUARTER)
COMMITTEE = Rule(3, "branch", "committee", Frequency.MONTH, exempt_below_members=7)
GROUP = Rule(4, "group", "group_meeting", Frequency.MONTH)
TWICE = Rule(5, "branch", "theme_day", Frequency.MONTH, min_count=2)
BRANCH = Org(10, "branch", members=12)
SMALL = Org(11, "branch", members=5)
GROUP_ORG = Org(12, "group", members=4)
MARCH = period_of(D(2026, 3, 10), Frequency.MONTH)
Q1 = period_of(D(2026, 2, 1), Frequency.QUARTER)


def status(rule, org, period, as_of, *meetings):
    return judge(rule, org, period, as_of, tally(meetings, as_of)).status


def test_periods_are_months_and_quarters_of_the_calendar():
    assert period_of(D(2026, 2, 14), Frequency.MONTH) == Period(D(2026, 2, 1), D(2026, 2, 28), Frequency.MONTH)
    assert period_of(D(2028, 2, 14), Frequency.MONTH).end == D(2028, 2, 29)
    assert period_of(D(2026, 12, 31), Frequency.MONTH).end == D(2026, 12, 31)
    assert period_of(D(2026, 5, 31), Frequency.QUARTER) == Period(D(2026, 4, 1), D(2026, 6, 30), Frequency.QUARTER)
    assert [p.key for p in periods_of_year(2026, Frequency.QUARTER)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert len(periods_of_year(2026, Frequency.MONTH)) == 12 and MARCH.key == "2026-03"


@pytest.mark.parametrize(("as_of", "meetings", "expected"), [
    # held inside the month: green, whenever we look
    (D(2026, 3, 20), [Meeting(10, "committee", D(2026, 3, 5))], Status.HELD),
    (D(2026, 6, 1), [Meeting(10, "committee", D(2026, 3, 31))], Status.HELD),
    # the month is under way and nothing held yet: pending, not missing
    (D(2026, 3, 31), [], Status.PENDING),
    (D(2026, 3, 1), [], Status.PENDING),
    # the month ended without one: missing from its next day
    (D(2026, 4, 1), [], Status.MISSING),
    # a meeting of another kind or another organisation does not count
    (D(2026, 4, 1), [Meeting(10, "general_meeting", D(2026, 3, 5)), Meeting(99, "committee", D(2026, 3, 5))],
     Status.MISSING),
    # held in April without saying it makes up for March: it is April's, March stays missing
    (D(2026, 4, 20), [Meeting(10, "committee", D(2026, 4, 8))], Status.MISSING),
    # a make-up for March held in April: March is late (amber), not green
    (D(2026, 4, 20), [Meeting(10, "committee", D(2026, 4, 8), makeup_for=D(2026, 3, 1))], Status.LATE),
    # … but not before the make-up was held
    (D(2026, 4, 5), [Meeting(10, "committee", D(2026, 4, 8), makeup_for=D(2026, 3, 1))], Status.MISSING),
    # a meeting dated after as_of is not known yet
    (D(2026, 3, 20), [Meeting(10, "committee", D(2026, 3, 25))], Status.PENDING),
    # before the month begins
    (D(2026, 2, 20), [], Status.FUTURE),
])
def test_a_monthly_committee_meeting(as_of, meetings, expected):
    assert status(COMMITTEE, BRANCH, MARCH, as_of, *meetings) == expected


def test_a_make_up_counts_for_its_period_only_not_for_the_one_it_was_held_in():
    makeup = Meeting(10, "committee", D(2026, 4, 8), makeup_for=D(2026, 3, 15))
    april = period_of(D(2026, 4, 1), Frequency.MONTH)
    assert status(COMMITTEE, BRANCH, MARCH, D(2026, 5, 2), makeup) == Status.LATE
    assert status(COMMITTEE, BRANCH, april, D(2026, 5, 2), makeup) == Status.MISSING


def test_a_make_up_dated_inside_its_own_period_is_an_ordinary_meeting_of_it():
    meeting = Meeting(10, "committee", D(2026, 3, 20), makeup_for=D(2026, 3, 2))
    assert status(COMMITTEE, BRANCH, MARCH, D(2026, 4, 2), meeting) == Status.HELD


def test_a_quarterly_general_meeting_and_lesson():
    held = [Meeting(10, "general_meeting", D(2026, 2, 26))]
    assert status(GENERAL, BRANCH, Q1, D(2026, 4, 1), *held) == Status.HELD
    assert status(LESSON, BRANCH, Q1, D(2026, 4, 1), *held) == Status.MISSING
    assert status(LESSON, BRANCH, Q1, D(2026, 3, 31), *held) == Status.PENDING


def test_a_branch_of_fewer_than_seven_members_owes_no_committee_meeting_but_still_its_lessons():
    assert status(COMMITTEE, SMALL, MARCH, D(2026, 6, 1)) == Status.EXEMPT
    assert status(LESSON, SMALL, Q1, D(2026, 6, 1)) == Status.MISSING
    seven = Org(13, "branch", members=7)
    assert status(COMMITTEE, seven, MARCH, D(2026, 6, 1)) == Status.MISSING


def test_a_rule_asking_for_two_meetings_is_met_only_by_two():
    one = [Meeting(10, "theme_day", D(2026, 3, 3))]
    two = [*one, Meeting(10, "theme_day", D(2026, 3, 23))]
    assert status(TWICE, BRANCH, MARCH, D(2026, 4, 1), *one) == Status.MISSING
    assert status(TWICE, BRANCH, MARCH, D(2026, 3, 10), *one) == Status.PENDING
    assert status(TWICE, BRANCH, MARCH, D(2026, 4, 1), *two) == Status.HELD
    made_up = [*one, Meeting(10, "theme_day", D(2026, 4, 2), makeup_for=D(2026, 3, 31))]
    assert status(TWICE, BRANCH, MARCH, D(2026, 4, 3), *made_up) == Status.LATE


@pytest.mark.parametrize(("established", "abolished", "expected"), [
    (None, None, Status.MISSING),
    (D(2026, 3, 1), None, Status.MISSING),       # from the month's first day: owed
    (D(2026, 3, 2), None, Status.INACTIVE),      # set up during the month: its first month is April
    (D(2026, 4, 1), None, Status.INACTIVE),
    (None, D(2026, 4, 1), Status.MISSING),       # existed the whole of March
    (None, D(2026, 3, 31), Status.INACTIVE),     # ended on the month's last day
    (None, D(2026, 2, 1), Status.INACTIVE),
])
def test_only_whole_periods_of_an_organisations_life_are_owed(established, abolished, expected):
    org = Org(10, "branch", members=12, established_on=established, abolished_on=abolished)
    assert status(COMMITTEE, org, MARCH, D(2026, 5, 1)) == expected


def test_evaluate_gives_each_organisation_the_requirements_of_its_kind_for_the_year():
    cells = evaluate([BRANCH, SMALL, GROUP_ORG, Org(14, "committee")], [GENERAL, LESSON, COMMITTEE, GROUP], [],
                     2026, D(2026, 7, 15))
    per_org = {org_id: sum(1 for c in cells if c.org_id == org_id) for org_id in (10, 11, 12, 14)}
    assert per_org == {10: 4 + 4 + 12, 11: 4 + 4 + 12, 12: 12, 14: 0}
    mine = {(c.meeting_kind, c.period.key): c.status for c in cells if c.org_id == 10}
    assert mine[("committee", "2026-06")] == Status.MISSING
    assert mine[("committee", "2026-07")] == Status.PENDING
    assert mine[("committee", "2026-08")] == Status.FUTURE
    assert mine[("general_meeting", "2026-Q3")] == Status.PENDING
    assert {c.status for c in cells if c.org_id == 11 and c.meeting_kind == "committee"} == {Status.EXEMPT}


def test_rates_count_only_what_is_owed_and_late_is_completed_but_not_compliant():
    meetings = [Meeting(10, "committee", D(2026, 1, 5)),
                Meeting(10, "committee", D(2026, 3, 2), makeup_for=D(2026, 2, 10))]
    cells = evaluate([BRANCH], [COMMITTEE], meetings, 2026, D(2026, 4, 15))
    r = rates(cells)
    assert (r.counts[Status.HELD], r.counts[Status.LATE], r.counts[Status.MISSING]) == (1, 1, 1)
    assert r.counts[Status.PENDING] == 1 and r.counts[Status.FUTURE] == 8
    assert r.due == 3
    assert r.compliance_rate == pytest.approx(1 / 3) and r.completion_rate == pytest.approx(2 / 3)
    assert rates([]).compliance_rate is None


def test_a_requirement_met_early_is_owed_and_counted_held():
    cells = evaluate([BRANCH], [GENERAL], [Meeting(10, "general_meeting", D(2026, 1, 9))], 2026, D(2026, 1, 10))
    r = rates(cells)
    assert (r.due, r.compliance_rate) == (1, 1.0)


# September 2026: Sunday 09-20 is a working day (调休), Friday 09-25 is 中秋; the working days
# after Mon 09-21 are 22, 23, 24, 28, 29, 30.
@pytest.mark.parametrize(("as_of", "expected"), [
    (D(2026, 9, 21), False),  # six working days left
    (D(2026, 9, 22), True),   # five: 23, 24, 28, 29, 30
    (D(2026, 9, 26), True),   # a holiday inside the window
    (D(2026, 9, 30), True),   # the last day itself
    (D(2026, 10, 1), False),  # another period
])
def test_a_reminder_is_due_within_the_last_five_working_days(as_of, expected):
    calendar = Calendar(overrides={})
    september = period_of(D(2026, 9, 1), Frequency.MONTH)
    assert reminder_due(september, as_of, calendar) is expected
