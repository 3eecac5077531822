"""Properties of the status engine over generated tasks.

Dates run from August to December 2026, across 中秋, 国庆 and their 调休 working weekends.
"""
import dataclasses
import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ronghe.core.workdays import Calendar
from ronghe.tasks import stats
from ronghe.tasks.rules import (
    SEVERITY,
    CoordinationRequest,
    Cycle,
    Extension,
    Light,
    Milestone,
    Phase,
    Report,
    State,
    TaskFacts,
    Thresholds,
    evaluate,
    lights,
    red_since,
    report_due,
    rollup,
    worst,
)
from ronghe.tasks.rules import _first_cycle_ending_on_or_after as first_cycle_ending

D = dt.date
cal = Calendar(overrides={})
FIRST, LAST = D(2026, 8, 1), D(2026, 12, 31)
ONE_DAY = dt.timedelta(days=1)

engine = settings(max_examples=200, deadline=None)


def dates(low=FIRST, high=LAST):
    return st.dates(min_value=low, max_value=max(low, high))


def maybe(strategy):
    return st.none() | strategy


thresholds = st.builds(
    lambda ack, extra, grace, cycles, lag, lag_extra, soon: Thresholds(
        acknowledge_yellow_days=ack, acknowledge_red_days=ack + extra, report_grace_days=grace,
        report_red_cycles=cycles, lag_yellow_points=lag, lag_red_points=lag + lag_extra, due_soon_days=soon),
    st.integers(0, 6), st.integers(0, 6), st.integers(0, 6), st.integers(1, 3),
    st.integers(0, 40), st.integers(0, 40), st.integers(0, 6),
)


@st.composite
def task_facts(draw, facts_until=LAST, issued_by=LAST):
    """A consistent task whose dated facts all fall on or before `facts_until`.

    Most tasks are issued by `issued_by`, so that an as_of there sees them under way. Start,
    deadlines, milestones and answer dates may fall anywhere; the facts follow the life cycle in
    order, and reported percentages hover around the elapsed share of time so every light shows.
    """
    def fact(after=FIRST, until=facts_until):
        return dates(after, until) if after <= until else st.nothing()

    state = draw(st.sampled_from(State))
    issued_on = None
    if state is not State.DRAFT:
        issued_on = draw(fact(until=min(issued_by, facts_until)) | fact())
    after_issue = issued_on or FIRST
    acknowledged_on = submitted_on = completed_on = cancelled_on = None
    if state is State.CANCELLED:
        cancelled_on = draw(fact(after_issue))
        facts_until = cancelled_on   # nothing happens to a task after it is cancelled
    if issued_on and state not in (State.ISSUED, State.CANCELLED):
        acknowledged_on = draw(fact(after_issue))
    if state is State.CANCELLED:
        acknowledged_on = draw(maybe(fact(after_issue)))
    if acknowledged_on and state in (State.COMPLETION_SUBMITTED, State.COMPLETED, State.CLOSED):
        submitted_on = draw(fact(acknowledged_on))
    if acknowledged_on and state is State.CANCELLED:
        submitted_on = draw(maybe(fact(acknowledged_on)))
    if state in (State.COMPLETED, State.CLOSED):
        completed_on = draw(fact(submitted_on))

    start_date = draw(maybe(dates(after_issue - dt.timedelta(days=20), after_issue + dt.timedelta(days=30))))
    start = start_date or after_issue
    baseline = draw(dates(start, start + dt.timedelta(days=draw(st.sampled_from([5, 30, 120, 400])))))
    extensions = draw(st.lists(st.builds(Extension, fact(after_issue), dates(baseline, baseline + dt.timedelta(days=90))),
                               max_size=2) if issued_on else st.just([]))
    extensions.sort(key=lambda e: e.approved_on)
    deadline = extensions[-1].deadline if extensions else baseline

    def report(on):
        elapsed = 100 * max(0, (on - start).days) // max(1, (deadline - start).days)
        return Report(on, max(0, min(100, elapsed + draw(st.integers(-40, 25)))))

    reports = [report(on) for on in draw(st.lists(fact(after_issue), max_size=8))] if issued_on else []
    milestones = draw(st.lists(
        st.builds(Milestone, st.integers(), dates(start, deadline), maybe(fact(after_issue))), max_size=3))
    requests = []
    if issued_on:
        for raised_on in draw(st.lists(fact(after_issue), max_size=2)):
            answered = draw(maybe(fact(raised_on)))
            answer_due = draw(dates(raised_on, raised_on + dt.timedelta(days=20)))
            requests.append(CoordinationRequest(len(requests), raised_on, answer_due, answered))
    blocked_since = draw(maybe(fact(after_issue))) if issued_on else None
    return TaskFacts(
        state=state, deadline=deadline, baseline_deadline=baseline, start_date=start_date, issued_on=issued_on,
        acknowledged_on=acknowledged_on, completion_submitted_on=submitted_on, completed_on=completed_on,
        cancelled_on=cancelled_on, cycle=draw(st.sampled_from(Cycle)), reports=reports, milestones=milestones,
        blocked_since=blocked_since, requests=requests, extensions=extensions,
    )


@st.composite
def scenarios(draw):
    """A task and a date to look at it on: mostly issued by then, with or without later facts."""
    as_of = draw(dates())
    facts_until = draw(st.sampled_from([as_of, LAST]))
    return draw(task_facts(facts_until=facts_until, issued_by=as_of)), as_of


def light(facts, as_of, limits):
    return evaluate(facts, as_of, cal, limits).light


@engine
@given(scenarios(), thresholds)
def test_evaluate_never_raises_and_its_light_is_the_worst_failure_mode(scenario, limits):
    facts, as_of = scenario
    result = evaluate(facts, as_of, cal, limits)
    assert result.as_of == as_of
    levels = [mode.level for mode in result.failure_modes]
    assert all(level in (Light.BLUE, Light.YELLOW, Light.RED) for level in levels)
    if result.phase in (Phase.DRAFT, Phase.CANCELLED, Phase.DONE):
        assert levels == []
        assert result.light is {Phase.DRAFT: Light.GREY, Phase.CANCELLED: Light.CANCELLED,
                                Phase.DONE: Light.DONE}[result.phase]
    elif levels:
        assert result.light is worst(levels)
    else:
        assert result.light in (Light.GREY, Light.GREEN)
    assert (result.completion is not None) == (result.phase is Phase.DONE)
    assert [SEVERITY[level] for level in levels] == sorted((SEVERITY[level] for level in levels), reverse=True)


@engine
@given(st.data(), scenarios(), thresholds)
def test_reporting_never_makes_the_light_worse(data, scenario, limits):
    facts, as_of = scenario
    before = evaluate(facts, as_of, cal, limits)
    new = Report(data.draw(dates(high=as_of)), data.draw(st.integers(before.percent_complete, 100)))
    after = evaluate(dataclasses.replace(facts, reports=(*facts.reports, new)), as_of, cal, limits)
    assert SEVERITY[after.light] <= SEVERITY[before.light]


@engine
@given(st.data(), dates(), dates(), thresholds)
def test_a_later_date_without_new_facts_never_makes_the_light_better(data, one, other, limits):
    earlier, later = sorted((one, other))
    facts = data.draw(task_facts(facts_until=earlier, issued_by=earlier))
    assert SEVERITY[light(facts, later, limits)] >= SEVERITY[light(facts, earlier, limits)]


@engine
@given(st.data(), scenarios(), thresholds)
def test_facts_dated_after_as_of_change_nothing(data, scenario, limits):
    facts, as_of = scenario
    assume(as_of < LAST)
    future = dates(as_of + ONE_DAY)
    extended = dataclasses.replace(
        facts,
        reports=(*facts.reports, Report(data.draw(future), data.draw(st.integers(0, 100)))),
        milestones=tuple(dataclasses.replace(m, done_on=m.done_on or data.draw(future)) for m in facts.milestones),
        requests=(*facts.requests, CoordinationRequest("later", data.draw(future), data.draw(dates()))),
        extensions=(*facts.extensions, Extension(data.draw(future), data.draw(dates()))),
        blocked_since=facts.blocked_since or data.draw(maybe(future)),
    )
    assert evaluate(extended, as_of, cal, limits) == evaluate(facts, as_of, cal, limits)


@engine
@given(scenarios(), thresholds)
def test_red_since_starts_the_unbroken_red_run_that_reaches_as_of(scenario, limits):
    facts, as_of = scenario
    since = red_since(facts, as_of, cal, limits)
    if since is None:
        assert light(facts, as_of, limits) is not Light.RED
        return
    assert since <= as_of
    day = since
    while day <= as_of:
        assert light(facts, day, limits) is Light.RED, day
        day += ONE_DAY
    assert light(facts, since - ONE_DAY, limits) is not Light.RED


@engine
@given(dates(), st.sampled_from(Cycle), dates(D(2026, 1, 1), D(2030, 12, 31)))
def test_the_reporting_grid_finds_the_cycle_a_day_falls_in(anchor, cycle, day):
    k = first_cycle_ending(anchor, cycle, day)
    assert report_due(anchor, cycle, k) >= day
    assert k == 0 or report_due(anchor, cycle, k - 1) < day


@engine
@given(dates(), st.sampled_from(Cycle), st.integers(0, 60))
def test_report_due_dates_strictly_increase(anchor, cycle, k):
    assert report_due(anchor, cycle, k) < report_due(anchor, cycle, k + 1)


@engine
@given(st.lists(task_facts(), max_size=8), dates())
def test_rollup_counts_every_status_once(tasks, as_of):
    statuses = [evaluate(facts, as_of, cal) for facts in tasks]
    counts = rollup(statuses)
    assert sum(counts.values()) == len(statuses)
    assert all(counts[s.light] >= 1 for s in statuses)


@engine
@given(scenarios(), thresholds, st.lists(dates(), max_size=14))
def test_lights_on_many_dates_are_those_of_evaluate_on_each(scenario, limits, days):
    facts, as_of = scenario
    for asked in (sorted([*days, as_of]), [as_of, *days]):   # in order, and in any order
        assert lights(facts, asked, cal, limits) == [light(facts, day, limits) for day in asked]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(task_facts(), thresholds), max_size=12), dates(D(2026, 9, 1)))
def test_the_batched_trend_equals_rolling_up_each_week(tasks, as_of):
    per_week = []
    for monday in stats.trend_mondays(as_of):
        counts = rollup(evaluate(facts, monday, cal, limits) for facts, limits in tasks)
        per_week.append({"week": monday, **{light.value: counts[light] for light in stats.TREND_LIGHTS}})
    assert stats.trend_of(tasks, as_of, cal) == per_week
