"""The pure engine: answer dates, escalation, reminders and the statistics of a period."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.coordination import rules
from ronghe.coordination.rules import Facts, Figures, Reminder
from ronghe.core.workdays import Calendar

D = dt.date
CAL = Calendar(overrides={})


@pytest.mark.parametrize(("raised", "due"), [
    (D(2026, 6, 22), D(2026, 6, 29)),   # Monday → next Monday
    (D(2026, 6, 15), D(2026, 6, 23)),   # 端午 (19 June) is skipped
    (D(2026, 9, 28), D(2026, 10, 10)),  # 国庆 off, the make-up Saturday (调休) works
    (D(2026, 12, 29), D(2027, 1, 6)),   # across the year end, 元旦 off
])
def test_the_answer_is_due_five_working_days_after_raising(raised, due):
    assert rules.default_answer_due(raised, CAL) == due


@pytest.mark.parametrize(("as_of", "escalated_on", "expected"), [
    (D(2026, 6, 29), None, False),           # due day itself
    (D(2026, 6, 30), None, True),            # the day after
    (D(2026, 6, 30), D(2026, 6, 30), False), # escalated today: a fresh period
    (D(2026, 7, 7), D(2026, 6, 30), False),  # 5 working days later, still in time
    (D(2026, 7, 8), D(2026, 6, 30), True),   # the next level is late too
])
def test_escalation_comes_when_the_current_due_date_has_passed(as_of, escalated_on, expected):
    assert rules.escalation_due(awaiting_answer=True, answer_due=D(2026, 6, 29), escalated_on=escalated_on,
                                as_of=as_of, calendar=CAL) is expected


def test_an_answered_request_never_escalates_nor_is_reminded():
    assert not rules.escalation_due(awaiting_answer=False, answer_due=D(2026, 1, 5), escalated_on=None,
                                    as_of=D(2026, 6, 30), calendar=CAL)
    assert rules.reminder(awaiting_answer=False, answer_due=D(2026, 1, 5), escalated_on=None, as_of=D(2026, 6, 30),
                          calendar=CAL) is None


@pytest.mark.parametrize(("as_of", "expected"), [
    (D(2026, 6, 24), None),
    (D(2026, 6, 26), Reminder.DUE_SOON),   # Friday: the next working day is the due Monday
    (D(2026, 6, 29), Reminder.DUE_SOON),
    (D(2026, 6, 30), Reminder.OVERDUE),
])
def test_reminders_come_the_working_day_before_and_daily_once_overdue(as_of, expected):
    assert rules.reminder(awaiting_answer=True, answer_due=D(2026, 6, 29), escalated_on=None, as_of=as_of,
                          calendar=CAL) == expected


def test_twelve_requests_all_answered_is_a_figure():
    facts = [Facts("筑路公司", D(2026, 3, 2 + i), D(2026, 3, 9 + i), D(2026, 3, 4 + i)) for i in range(12)]
    groups, total = rules.statistics(facts, start=D(2026, 1, 1), end=D(2026, 6, 30), calendar=CAL)
    assert total.raised == total.answered == 12 and total.all_answered
    assert groups["筑路公司"] == total
    assert total.answer_rate == 100.0 and total.on_time_rate == 100.0


def test_statistics_count_on_time_late_open_and_overdue_as_of_the_end():
    facts = [
        Facts("a", D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 3)),    # on time, 2 working days
        Facts("a", D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 10)),   # late, 7 working days
        Facts("b", D(2026, 6, 22), D(2026, 6, 29), None),            # open and overdue on 30 June
        Facts("b", D(2026, 6, 29), D(2026, 7, 6), None),             # open, not yet due
        Facts("b", D(2026, 6, 25), D(2026, 7, 2), D(2026, 7, 1)),    # answered after the end: still open
        Facts("c", D(2026, 7, 1), D(2026, 7, 8), None),              # outside the period
    ]
    groups, total = rules.statistics(facts, start=D(2026, 6, 1), end=D(2026, 6, 30), calendar=CAL)
    assert set(groups) == {"a", "b"}
    assert groups["a"] == Figures(raised=2, answered=2, answered_on_time=1, total_answer_days=9)
    assert groups["a"].average_answer_days == 4.5 and groups["a"].on_time_rate == 50.0
    assert groups["b"] == Figures(raised=3, open=3, overdue=1)
    assert total.raised == 5 and not total.all_answered
    assert Figures().average_answer_days is None and Figures().answer_rate is None


days = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


@st.composite
def request_facts(draw):
    raised = draw(days)
    due = raised + dt.timedelta(days=draw(st.integers(0, 20)))
    answered = draw(st.none() | st.integers(0, 60).map(lambda n: raised + dt.timedelta(days=n)))
    return Facts(draw(st.sampled_from("xyz")), raised, due, answered)


@settings(max_examples=60, deadline=None)
@given(st.lists(request_facts(), max_size=15), days)
def test_figures_are_consistent_and_groups_add_up_to_the_total(facts, end):
    start = D(2025, 1, 1)
    groups, total = rules.statistics(facts, start=start, end=end, calendar=CAL)
    assert total.answered_on_time <= total.answered <= total.raised
    assert total.answered + total.open == total.raised and total.overdue <= total.open
    summed = Figures()
    for figures in groups.values():
        summed = summed + figures
    assert summed == total


@settings(max_examples=60, deadline=None)
@given(days, st.integers(0, 15), days)
def test_escalating_on_a_day_stops_escalation_that_day(raised, wait, as_of):
    due = raised + dt.timedelta(days=wait)
    if rules.escalation_due(awaiting_answer=True, answer_due=due, escalated_on=None, as_of=as_of, calendar=CAL):
        assert not rules.escalation_due(awaiting_answer=True, answer_due=due, escalated_on=as_of, as_of=as_of,
                                        calendar=CAL)


@settings(max_examples=60, deadline=None)
@given(st.lists(request_facts(), min_size=1, max_size=10), days, st.integers(1, 60))
def test_a_later_end_never_answers_fewer(facts, end, more):
    start = D(2025, 1, 1)
    _g, earlier = rules.statistics(facts, start=start, end=end, calendar=CAL)
    later_facts = [f for f in facts if f.raised_on <= end]
    _g, later = rules.statistics(later_facts, start=start, end=end + dt.timedelta(days=more), calendar=CAL)
    assert later.answered >= earlier.answered and later.raised == earlier.raised
