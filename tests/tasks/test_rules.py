"""Table tests of the status engine, straight from the mechanism's rules.

The dates sit around the 2026 National Day holiday: 中秋 Fri 09-25, 国庆 10-01..10-07 (Thu–Wed),
and Saturday 10-10 is a 调休 working day. Working days there: Mon 09-28, Tue 09-29, Wed 09-30,
Thu 10-08, Fri 10-09, Sat 10-10, Mon 10-12, Tue 10-13 …
"""
import dataclasses
import datetime as dt

import pytest

from ronghe.core.workdays import Calendar
from ronghe.tasks.rules import (
    DEFAULT_THRESHOLDS,
    SEVERITY,
    Completion,
    CoordinationRequest,
    Cycle,
    Extension,
    Light,
    Milestone,
    Mode,
    Phase,
    Report,
    Rule,
    State,
    TaskFacts,
    Thresholds,
    evaluate,
    red_since,
    report_due,
    rollup,
    severity,
    worst,
)

D = dt.date
cal = Calendar(overrides={})


def task(**changes) -> TaskFacts:
    """An acknowledged task started 2026-09-01 that is fine through the autumn unless told otherwise.

    The deadline is far enough away that the schedule lag stays under 10 points until November,
    and quarterly reports are first due on 12-01.
    """
    facts = {
        "state": State.IN_PROGRESS,
        "issued_on": D(2026, 9, 1),
        "acknowledged_on": D(2026, 9, 1),
        "start_date": D(2026, 9, 1),
        "deadline": D(2028, 12, 31),
        "cycle": Cycle.QUARTERLY,
    }
    facts.update(changes)
    return TaskFacts(**facts)


def status(facts, as_of, **thresholds):
    return evaluate(facts, as_of, cal, Thresholds(**thresholds) if thresholds else DEFAULT_THRESHOLDS)


def modes(facts, as_of):
    return {(m.code, m.level) for m in status(facts, as_of).failure_modes}


# --- no_response 有部署无回音 ---------------------------------------------------------------

UNACKNOWLEDGED = {"state": State.ISSUED, "issued_on": D(2026, 9, 29), "acknowledged_on": None,
                  "start_date": D(2026, 9, 29)}


@pytest.mark.parametrize(
    ("as_of", "light"),
    [
        (D(2026, 9, 30), Light.GREEN),    # 1 working day after issue
        (D(2026, 10, 7), Light.GREEN),    # 8 calendar days, still 1 working day: 国庆
        (D(2026, 10, 8), Light.GREEN),    # the 2nd working day: still within the limit
        (D(2026, 10, 9), Light.YELLOW),   # the limit has passed
        (D(2026, 10, 12), Light.YELLOW),  # the 5th working day (Sat 10-10 was the 4th)
        (D(2026, 10, 13), Light.RED),
    ],
)
def test_an_unacknowledged_task_turns_yellow_after_2_working_days_and_red_after_5(as_of, light):
    result = status(task(**UNACKNOWLEDGED), as_of)
    assert result.light is light
    assert result.codes == (() if light is Light.GREEN else (Mode.NO_RESPONSE,))
    assert result.acknowledge_by == D(2026, 10, 8)


def test_no_response_names_the_working_days_waited():
    (mode,) = status(task(**UNACKNOWLEDGED), D(2026, 10, 13)).failure_modes
    assert (mode.rule, mode.date, mode.value) == (Rule.NOT_ACKNOWLEDGED, D(2026, 10, 8), 6)


def test_an_acknowledged_task_has_no_response_problem():
    facts = task(**{**UNACKNOWLEDGED, "state": State.ACKNOWLEDGED, "acknowledged_on": D(2026, 10, 12)})
    assert status(facts, D(2026, 10, 9)).light is Light.YELLOW    # not yet acknowledged then
    later = status(facts, D(2026, 10, 13))
    assert (later.light, later.phase, later.acknowledge_by) == (Light.GREEN, Phase.IN_PROGRESS, None)


def test_acknowledgement_thresholds_come_from_the_plan():
    facts = task(**UNACKNOWLEDGED)
    assert status(facts, D(2026, 10, 9), acknowledge_yellow_days=3, acknowledge_red_days=3).light is Light.GREEN
    assert status(facts, D(2026, 10, 12), acknowledge_yellow_days=3, acknowledge_red_days=3).light is Light.RED


# --- no_progress 有计划无进展: the reporting cycle ---------------------------------------------

WEEKLY = {"cycle": Cycle.WEEKLY, "issued_on": D(2026, 9, 21), "acknowledged_on": D(2026, 9, 21),
          "start_date": D(2026, 9, 21)}


@pytest.mark.parametrize(
    ("as_of", "light"),
    [
        (D(2026, 9, 28), Light.GREEN),    # the first weekly report is due (Mon)
        (D(2026, 9, 30), Light.GREEN),    # 2 working days of grace
        (D(2026, 10, 1), Light.YELLOW),   # one cycle missed
        (D(2026, 10, 9), Light.YELLOW),   # 2nd report due 10-05, a holiday: grace runs to 10-09
        (D(2026, 10, 10), Light.RED),     # two cycles missed
    ],
)
def test_a_task_without_reports_turns_yellow_after_one_missed_cycle_and_red_after_two(as_of, light):
    result = status(task(**WEEKLY), as_of)
    assert result.light is light
    assert result.next_report_due == D(2026, 9, 28)
    if light is not Light.GREEN:
        (mode,) = result.failure_modes
        assert (mode.code, mode.rule, mode.date) == (Mode.NO_PROGRESS, Rule.REPORT_MISSING, D(2026, 9, 28))
        assert mode.value == (1 if light is Light.YELLOW else 2)


@pytest.mark.parametrize(
    ("reported_on", "next_due", "first_yellow"),
    [
        (D(2026, 9, 28), D(2026, 10, 5), D(2026, 10, 10)),    # on the due date: covers cycle 1
        (D(2026, 9, 29), D(2026, 10, 12), D(2026, 10, 15)),   # early in cycle 2: covers it
    ],
)
def test_a_report_covers_the_cycle_it_falls_in(reported_on, next_due, first_yellow):
    facts = task(**WEEKLY, reports=[Report(reported_on, 5)])
    assert status(facts, first_yellow - dt.timedelta(days=1)).light is Light.GREEN
    result = status(facts, first_yellow)
    assert (result.light, result.next_report_due, result.codes) == (Light.YELLOW, next_due, (Mode.NO_PROGRESS,))


def test_a_report_dated_after_as_of_does_not_count_yet():
    facts = task(**WEEKLY, reports=[Report(D(2026, 10, 12), 20)])
    before = status(facts, D(2026, 10, 10))
    assert (before.light, before.percent_complete, before.last_report_on) == (Light.RED, 0, None)
    assert status(facts, D(2026, 10, 12)).light is Light.GREEN


def test_reports_are_counted_from_the_start_when_it_follows_the_issue():
    facts = task(**{**WEEKLY, "start_date": D(2026, 10, 8)})
    result = status(facts, D(2026, 10, 9))
    assert (result.light, result.next_report_due) == (Light.GREEN, D(2026, 10, 15))


@pytest.mark.parametrize(
    ("cycle", "anchor", "dues"),
    [
        (Cycle.WEEKLY, D(2026, 9, 21), [D(2026, 9, 28), D(2026, 10, 5)]),
        (Cycle.HALF_MONTHLY, D(2026, 1, 20), [D(2026, 2, 4), D(2026, 2, 20), D(2026, 3, 7), D(2026, 3, 20)]),
        (Cycle.MONTHLY, D(2026, 1, 31), [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]),
        (Cycle.QUARTERLY, D(2026, 11, 30), [D(2027, 2, 28), D(2027, 5, 30)]),
    ],
)
def test_report_due_dates_follow_the_cycle_from_the_anchor(cycle, anchor, dues):
    assert [report_due(anchor, cycle, k) for k in range(1, len(dues) + 1)] == dues


# --- no_progress: milestones and schedule lag ---------------------------------------------------

MILESTONE = Milestone("m1", D(2026, 10, 9))


@pytest.mark.parametrize(
    ("as_of", "light", "rule"),
    [
        (D(2026, 9, 28), Light.GREEN, None),                 # 10-09 is 4 working days away
        (D(2026, 9, 29), Light.BLUE, Rule.MILESTONE_NEAR),   # 3 working days, 10 calendar days
        (D(2026, 10, 9), Light.BLUE, Rule.MILESTONE_NEAR),   # its own day
        (D(2026, 10, 10), Light.RED, Rule.MILESTONE_MISSED),
    ],
)
def test_an_open_milestone_is_due_soon_then_missed(as_of, light, rule):
    result = status(task(milestones=[MILESTONE]), as_of)
    assert result.light is light
    assert [(m.rule, m.ref, m.date) for m in result.failure_modes] == ([] if rule is None else [(rule, "m1", MILESTONE.due)])


def test_a_milestone_done_late_is_red_until_it_is_done():
    facts = task(milestones=[dataclasses.replace(MILESTONE, done_on=D(2026, 10, 12))])
    assert modes(facts, D(2026, 10, 11)) == {(Mode.NO_PROGRESS, Light.RED)}
    assert status(facts, D(2026, 10, 12)).light is Light.GREEN


def test_a_milestone_done_in_time_is_never_due_soon_after():
    facts = task(milestones=[dataclasses.replace(MILESTONE, done_on=D(2026, 9, 30))])
    assert status(facts, D(2026, 9, 29)).light is Light.BLUE
    assert status(facts, D(2026, 9, 30)).light is Light.GREEN


# Start 2026-01-01, deadline 100 days later: on 02-10 forty points of the time have elapsed.
LAGGING = {"issued_on": D(2026, 1, 1), "acknowledged_on": D(2026, 1, 1), "start_date": D(2026, 1, 1),
           "deadline": D(2026, 4, 11), "cycle": Cycle.WEEKLY}


@pytest.mark.parametrize(
    ("percent", "lag", "light"),
    [(31, 9, Light.GREEN), (30, 10, Light.YELLOW), (10, 30, Light.YELLOW), (9, 31, Light.RED)],
)
def test_schedule_lag_is_yellow_from_10_points_and_red_over_30(percent, lag, light):
    result = status(task(**LAGGING, reports=[Report(D(2026, 2, 10), percent)]), D(2026, 2, 10))
    assert (result.schedule_lag, result.light) == (lag, light)
    if light is not Light.GREEN:
        assert [(m.rule, m.value) for m in result.failure_modes] == [(Rule.SCHEDULE_LAG, lag)]


def test_schedule_lag_uses_the_latest_report_not_the_best():
    reports = [Report(D(2026, 2, 3), 60), Report(D(2026, 2, 10), 20), Report(D(2026, 2, 10), 25)]
    result = status(task(**LAGGING, reports=reports), D(2026, 2, 10))
    assert (result.percent_complete, result.schedule_lag) == (25, 15)


def test_schedule_lag_is_not_measured_before_the_start():
    result = status(task(**{**LAGGING, "start_date": D(2026, 3, 1)}), D(2026, 2, 10))
    assert (result.schedule_lag, result.light) == (None, Light.GREY)


# --- blocked 有安排实施不了 --------------------------------------------------------------------

def test_a_task_the_owner_marks_blocked_is_yellow_from_that_day():
    facts = task(blocked_since=D(2026, 10, 8))
    assert status(facts, D(2026, 10, 7)).light is Light.GREEN
    result = status(facts, D(2026, 10, 30))
    assert (result.light, result.codes) == (Light.YELLOW, (Mode.BLOCKED,))
    assert result.failure_modes[0].rule is Rule.MARKED_BLOCKED


REQUEST = CoordinationRequest(key=7, raised_on=D(2026, 9, 28), answer_due=D(2026, 10, 9))


@pytest.mark.parametrize(
    ("as_of", "light", "rule"),
    [
        (D(2026, 9, 27), Light.GREEN, None),               # not raised yet
        (D(2026, 9, 28), Light.YELLOW, Rule.REQUEST_OPEN),
        (D(2026, 10, 9), Light.YELLOW, Rule.REQUEST_OPEN),  # answer due today
        (D(2026, 10, 10), Light.RED, Rule.REQUEST_OVERDUE),
    ],
)
def test_an_open_coordination_request_is_yellow_and_red_once_its_answer_is_overdue(as_of, light, rule):
    result = status(task(requests=[REQUEST]), as_of)
    assert result.light is light
    assert [(m.code, m.rule, m.ref) for m in result.failure_modes] == (
        [] if rule is None else [(Mode.BLOCKED, rule, 7)])


def test_an_answered_request_no_longer_blocks():
    facts = task(requests=[dataclasses.replace(REQUEST, answered_on=D(2026, 10, 12))])
    assert status(facts, D(2026, 10, 10)).light is Light.RED
    assert status(facts, D(2026, 10, 12)).light is Light.GREEN


def test_a_blocked_flag_stays_yellow_where_an_overdue_request_is_red():
    facts = task(blocked_since=D(2026, 9, 1), requests=[REQUEST])
    assert modes(facts, D(2026, 10, 12)) == {(Mode.BLOCKED, Light.YELLOW), (Mode.BLOCKED, Light.RED)}
    assert status(facts, D(2026, 10, 12)).light is Light.RED


# --- overdue and due_soon -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("as_of", "light", "code", "value"),
    [
        (D(2026, 9, 28), Light.GREEN, None, None),
        (D(2026, 9, 29), Light.BLUE, Mode.DUE_SOON, 3),   # 3 working days left, across 国庆
        (D(2026, 10, 9), Light.BLUE, Mode.DUE_SOON, 0),
        (D(2026, 10, 10), Light.RED, Mode.OVERDUE, 1),    # the 调休 Saturday counts
        (D(2026, 10, 11), Light.RED, Mode.OVERDUE, 1),
    ],
)
def test_a_task_is_due_soon_within_3_working_days_and_overdue_after_its_deadline(as_of, light, code, value):
    facts = task(deadline=D(2026, 10, 9), reports=[Report(D(2026, 9, 1), 100)])
    result = status(facts, as_of)
    assert result.light is light
    assert [(m.code, m.value) for m in result.failure_modes if m.code in (Mode.DUE_SOON, Mode.OVERDUE)] == (
        [] if code is None else [(code, value)])


def test_failure_modes_come_worst_first():
    facts = task(deadline=D(2026, 10, 9), blocked_since=D(2026, 9, 1), milestones=[Milestone("late", D(2026, 9, 2))],
                 reports=[Report(D(2026, 9, 1), 100)])
    result = status(facts, D(2026, 10, 8))
    assert [m.level for m in result.failure_modes] == [Light.RED, Light.YELLOW, Light.BLUE]
    assert result.codes == (Mode.NO_PROGRESS, Mode.BLOCKED, Mode.DUE_SOON)


# --- extensions, completion, cancellation -----------------------------------------------------

EXTENDED = {"baseline_deadline": D(2026, 10, 9), "deadline": D(2026, 10, 30),
            "extensions": [Extension(approved_on=D(2026, 10, 8), deadline=D(2026, 10, 30))],
            "reports": [Report(D(2026, 9, 1), 100)]}


def test_an_extension_moves_the_deadline_from_the_day_it_is_approved():
    facts = task(**EXTENDED)
    before = status(facts, D(2026, 10, 7))
    assert (before.deadline, before.light) == (D(2026, 10, 9), Light.BLUE)
    after = status(facts, D(2026, 10, 15))
    assert (after.deadline, after.light) == (D(2026, 10, 30), Light.GREEN)


@pytest.mark.parametrize(
    ("completed_on", "completion"),
    [(D(2026, 10, 9), Completion.ON_TIME), (D(2026, 10, 10), Completion.LATE), (D(2026, 10, 20), Completion.LATE)],
)
def test_completion_is_judged_against_the_baseline_deadline_even_after_an_extension(completed_on, completion):
    facts = task(**EXTENDED, state=State.COMPLETED, completion_submitted_on=completed_on, completed_on=completed_on)
    result = status(facts, D(2026, 11, 30))
    assert (result.phase, result.light, result.completion, result.failure_modes) == (
        Phase.DONE, Light.DONE, completion, ())


def test_a_closed_task_is_done_too():
    facts = task(state=State.CLOSED, deadline=D(2026, 10, 9), completion_submitted_on=D(2026, 10, 8),
                 completed_on=D(2026, 10, 9))
    assert status(facts, D(2026, 10, 9)).completion is Completion.ON_TIME
    assert status(facts, D(2026, 10, 8)).phase is Phase.SUBMITTED


def test_a_completion_submitted_in_time_waits_for_approval_without_turning_red():
    facts = task(state=State.COMPLETION_SUBMITTED, deadline=D(2026, 10, 9), completion_submitted_on=D(2026, 10, 8))
    result = status(facts, D(2026, 10, 30))
    assert (result.phase, result.light, result.failure_modes) == (Phase.SUBMITTED, Light.GREEN, ())


def test_a_completion_submitted_after_the_deadline_stays_overdue():
    facts = task(state=State.COMPLETION_SUBMITTED, deadline=D(2026, 9, 30), completion_submitted_on=D(2026, 10, 12))
    result = status(facts, D(2026, 10, 30))
    assert (result.light, result.codes, result.failure_modes[0].value) == (Light.RED, (Mode.OVERDUE,), 4)


def test_a_returned_task_is_back_in_progress():
    facts = task(state=State.RETURNED, deadline=D(2026, 9, 30), completion_submitted_on=D(2026, 9, 29),
                 reports=[Report(D(2026, 9, 29), 100)])
    result = status(facts, D(2026, 10, 12))
    assert (result.phase, result.light, result.codes) == (Phase.IN_PROGRESS, Light.RED, (Mode.OVERDUE,))


def test_a_cancelled_task_has_its_own_light_and_no_failure_modes():
    facts = task(**{**UNACKNOWLEDGED, "state": State.CANCELLED}, cancelled_on=D(2026, 10, 20))
    assert status(facts, D(2026, 10, 19)).light is Light.RED
    result = status(facts, D(2026, 10, 20))
    assert (result.phase, result.light, result.failure_modes) == (Phase.CANCELLED, Light.CANCELLED, ())


# --- grey: drafts and tasks not started ---------------------------------------------------------

def test_a_draft_is_grey_whatever_its_dates():
    facts = task(state=State.DRAFT, issued_on=None, acknowledged_on=None, deadline=D(2026, 9, 2))
    result = status(facts, D(2026, 12, 1))
    assert (result.phase, result.light, result.failure_modes) == (Phase.DRAFT, Light.GREY, ())


def test_a_task_is_grey_before_it_is_issued():
    assert status(task(**UNACKNOWLEDGED), D(2026, 9, 28)).phase is Phase.DRAFT


def test_a_task_not_yet_started_is_grey_then_green():
    facts = task(start_date=D(2026, 10, 8))
    assert status(facts, D(2026, 10, 7)).light is Light.GREY
    assert status(facts, D(2026, 10, 8)).light is Light.GREEN


def test_a_task_not_started_still_has_to_be_acknowledged():
    facts = task(**{**UNACKNOWLEDGED, "start_date": D(2026, 12, 1)})
    assert status(facts, D(2026, 10, 9)).light is Light.YELLOW


# --- red_since, severity, rollup, thresholds ----------------------------------------------------

def test_red_since_is_the_first_day_of_the_red_run():
    facts = task(**UNACKNOWLEDGED)
    assert red_since(facts, D(2026, 10, 12), cal) is None
    assert red_since(facts, D(2026, 10, 13), cal) == D(2026, 10, 13)
    assert red_since(facts, D(2026, 12, 1), cal) == D(2026, 10, 13)


def test_red_since_restarts_after_a_report_breaks_the_run():
    # Weekly reports missed twice (red from 10-10); a report on 10-12 clears it; red again later.
    facts = task(**WEEKLY, reports=[Report(D(2026, 10, 12), 10)])
    assert red_since(facts, D(2026, 10, 11), cal) == D(2026, 10, 10)
    assert red_since(facts, D(2026, 10, 12), cal) is None
    since = red_since(facts, D(2026, 11, 30), cal)
    # Next due 10-19 and 10-26; the second missed cycle's grace ends 10-28.
    assert since == D(2026, 10, 29)


def test_red_since_reaches_back_across_changes_that_keep_it_red():
    facts = task(milestones=[Milestone("m", D(2026, 9, 10))], reports=[Report(D(2026, 9, 20), 5)],
                 blocked_since=D(2026, 9, 25))
    assert red_since(facts, D(2026, 10, 12), cal) == D(2026, 9, 11)


def test_lights_are_ordered_by_severity():
    ordered = [Light.CANCELLED, Light.DONE, Light.GREY, Light.GREEN, Light.BLUE, Light.YELLOW, Light.RED]
    assert sorted(Light, key=severity) == ordered
    assert [SEVERITY[light] for light in ordered] == sorted(SEVERITY.values())
    assert worst(["green", "red", "blue"]) is Light.RED
    assert worst([]) is Light.GREEN


def test_rollup_counts_a_subtree_by_light():
    facts = [task(), task(**UNACKNOWLEDGED), task(state=State.DRAFT, issued_on=None)]
    counts = rollup(evaluate(f, D(2026, 10, 13), cal) for f in facts)
    assert counts == {**dict.fromkeys(Light, 0), Light.GREEN: 1, Light.RED: 1, Light.GREY: 1}


@pytest.mark.parametrize(
    "wrong",
    [{"acknowledge_yellow_days": -1}, {"acknowledge_yellow_days": 5, "acknowledge_red_days": 4},
     {"lag_yellow_points": 40}, {"report_red_cycles": 0}, {"due_soon_days": 1.5}],
)
def test_it_rejects_inconsistent_thresholds(wrong):
    with pytest.raises(ValueError):
        Thresholds(**wrong)


def test_facts_accept_the_models_plain_strings():
    facts = TaskFacts(state="in_progress", cycle="weekly", deadline=D(2026, 12, 31), issued_on=D(2026, 9, 1),
                      acknowledged_on=D(2026, 9, 1), reports=[Report(D(2026, 9, 2), 1)])
    assert (facts.state, facts.cycle, facts.baseline_deadline) == (State.IN_PROGRESS, Cycle.WEEKLY, D(2026, 12, 31))
    assert isinstance(facts.reports, tuple)
