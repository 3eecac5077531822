"""The fast statistics give the answers of the straightforward computation.

`stats.compute` reads only the facts that can still matter from the trend's first Monday on
(`selectors.engine_rows(since=...)`) and takes each task's lights with `rules.light_on`, skipping
weeks where a light cannot change. Here the same figures are computed the plain way — every
fact read, `rules.evaluate` on the day asked and on each Monday, every task every time — over
random task histories written to the database, and the two must be equal."""
import datetime as dt
import random

import pytest
from bench.bench_tasks import straightforward_stats
from hypothesis import given, settings

from ronghe.core.workdays import Calendar
from ronghe.tasks import rules, selectors, stats
from ronghe.tasks.models import Cycle, Extension, Milestone, ProgressReport, Task
from tests.tasks.test_rules_properties import cal, scenarios, thresholds

D = dt.date
TODAY = D(2026, 6, 30)
AS_OF_DATES = (TODAY, D(2026, 5, 7), D(2026, 9, 14))


def _day(rng, low, high):
    return low + dt.timedelta(days=rng.randrange((high - low).days + 1))


def _histories(five_ones, org, rng, count):
    """`count` tasks in every state, with reports (several a day at times, some after today),
    milestones done before, during and after the trend's weeks, and extensions approved or not;
    written directly, as the bench does, since the services are not what is compared."""
    S = Task.State
    units = [org.plant, org.area, org.dept]
    tasks = []
    for n in range(count):
        issued = _day(rng, D(2025, 12, 1), D(2026, 8, 31))
        start = rng.choice([None, issued - dt.timedelta(days=rng.randrange(30)), issued + dt.timedelta(days=20)])
        deadline = _day(rng, issued, D(2026, 12, 31))
        fields = {"state": rng.choice([s for s in S if s != S.RETURNED]), "issued_on": issued}
        if fields["state"] == S.DRAFT:
            fields["issued_on"] = None
        else:
            fields["acknowledged_on"] = rng.choice([None, issued + dt.timedelta(days=rng.randrange(10))])
            submitted = _day(rng, issued, D(2026, 10, 31))
            if fields["state"] in (S.COMPLETION_SUBMITTED, S.COMPLETED, S.CLOSED, S.CANCELLED):
                fields["completion_submitted_on"] = rng.choice([submitted, None])
            if fields["state"] in (S.COMPLETED, S.CLOSED):
                fields["completed_on"] = submitted + dt.timedelta(days=rng.randrange(10))
            if fields["state"] == S.CANCELLED:
                fields["cancelled_on"] = _day(rng, issued, D(2026, 10, 31))
            if rng.random() < 0.2:
                fields["blocked_since"] = _day(rng, issued, D(2026, 9, 30))
        tasks.append(Task(
            plan=five_ones.plan, number=f"R{n}", sort_order=n, name=f"随机任务{n}", leader=five_ones.leader.person,
            lead_unit=rng.choice(units), responsible=five_ones.owner.person, start_date=start, deadline=deadline,
            baseline_deadline=deadline, cycle=rng.choice(list(Cycle)), **fields))
    tasks = Task.objects.bulk_create(tasks)
    reports, milestones, extensions = [], [], []
    for task in tasks:
        if task.issued_on is None:
            continue
        for _ in range(rng.randrange(12)):
            on = _day(rng, task.issued_on, D(2026, 9, 30))
            for _ in range(rng.choice([1, 1, 1, 2])):   # now and then two reports the same day
                reports.append(ProgressReport(task=task, reported_on=on, percent=rng.randrange(101), text="进展"))
        for _ in range(rng.randrange(4)):
            due = _day(rng, task.issued_on, D(2026, 12, 31))
            milestones.append(Milestone(task=task, due=due, description="节点",
                                        done_on=rng.choice([None, _day(rng, task.issued_on, D(2026, 10, 31))])))
        for _ in range(rng.choice([0, 0, 1, 2])):
            decided = _day(rng, task.issued_on, D(2026, 10, 31))
            extensions.append(Extension(
                task=task, requested_on=decided - dt.timedelta(days=2), reason="延期", percent=40,
                new_deadline=task.deadline + dt.timedelta(days=rng.randrange(1, 90)), decided_on=decided,
                status=rng.choice([Extension.Status.APPROVED, Extension.Status.APPROVED, Extension.Status.REJECTED])))
    ProgressReport.objects.bulk_create(reports)
    Milestone.objects.bulk_create(milestones)
    Extension.objects.bulk_create(extensions)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_statistics_equal_the_straightforward_computation_on_random_histories(five_ones, org, personas, seed):
    _histories(five_ones, org, random.Random(seed), 60)
    tasks = selectors.with_facts(selectors.tasks(personas.superuser))
    calendar = Calendar()
    for as_of in AS_OF_DATES:
        fast, plain = stats.compute(tasks, as_of, calendar), straightforward_stats(tasks, as_of, calendar)
        assert fast == plain, as_of
    assert sum(fast.overall.lights.values()) == 61


@pytest.mark.parametrize("seed", [4, 5])
def test_facts_read_since_a_date_give_every_later_date_the_same_status(five_ones, org, personas, seed):
    _histories(five_ones, org, random.Random(seed), 40)
    tasks = selectors.tasks(personas.superuser)
    since = D(2026, 4, 13)
    recent = {row.pk: row for row in selectors.engine_rows(tasks, since=since)}
    everything = selectors.engine_rows(tasks)
    assert list(recent) == [row.pk for row in everything]
    calendar = Calendar()
    for row in everything:
        for day in (since + dt.timedelta(days=n) for n in range(0, 200, 3)):
            assert (rules.evaluate(recent[row.pk].facts, day, calendar, row.thresholds)
                    == rules.evaluate(row.facts, day, calendar, row.thresholds)), (row.pk, day)


def test_reports_and_milestones_that_no_longer_matter_are_not_read(five_ones, personas):
    task = five_ones.task
    Task.objects.filter(pk=task.pk).update(state=Task.State.IN_PROGRESS, issued_on=D(2026, 2, 2),
                                           acknowledged_on=D(2026, 2, 3))
    for on, percent in ((D(2026, 3, 2), 10), (D(2026, 4, 6), 20), (D(2026, 4, 6), 30), (D(2026, 4, 20), 40)):
        ProgressReport.objects.create(task=task, reported_on=on, percent=percent, text="进展")
    done, open_ = task.milestones.order_by("due")
    Milestone.objects.filter(pk=done.pk).update(done_on=D(2026, 4, 1))
    (row,) = selectors.engine_rows(selectors.tasks(personas.superuser), since=D(2026, 4, 13))
    # The latest day on or before 13 April (both its reports) and what came after it.
    assert row.facts.reports == (rules.Report(D(2026, 4, 6), 20), rules.Report(D(2026, 4, 6), 30),
                                 rules.Report(D(2026, 4, 20), 40))
    assert [m.key for m in row.facts.milestones] == [open_.pk]
    (full,) = selectors.engine_rows(selectors.tasks(personas.superuser))
    assert len(full.facts.reports) == 4 and len(full.facts.milestones) == 2


@settings(max_examples=300, deadline=None)
@given(scenarios(), thresholds)
def test_light_on_is_the_light_of_evaluate(scenario, limits):
    facts, as_of = scenario
    assert rules.light_on(facts, as_of, cal, limits) == rules.evaluate(facts, as_of, cal, limits).light
