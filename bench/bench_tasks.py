"""Benchmark: the Five-Ones lights at reference scale — 2,000 tasks in four plans (a three-level
tree under each), 20 progress reports and 3 milestones each, in every state. Measures the lights
of all tasks (selectors.with_facts + statuses), the same with the reports, milestones and
extensions prefetched as model objects (the loading with_facts replaced, kept as the yardstick;
the coordination requests it leaves out are read in one query, not one per task), then the task
list page and `GET /api/v1/tasks?light=red` as a superuser: p50 and p95 over REQUESTS requests.

Then the statistics, at 2,000 tasks and again after growing the fixture to 10,000 (a large
enterprise): the weekly trend the way it is computed (each task's facts read once, its 12
Mondays evaluated together) beside the way it was (`selectors.statuses` on each Monday, facts
rebuilt and every task evaluated anew), in the same process, with the ratio; likewise the whole
of `stats.compute` (only the facts that can matter from the first Monday on, lights without
statuses) beside the straightforward computation (every fact read, every task evaluated in full
on each date), checked to give the same answer first; the statistics page and
`GET /api/v1/tasks/stats`, p50 and p95 over STATS_REQUESTS requests. The query count of each is
part of its name, so a change shows in the table.

The rows are written with bulk_create, not through the services: this is a fixture, and the
services (audit, notifications, validation) are not what is measured."""
import datetime as dt
import statistics
import time

NAME = "tasks"
PLANS, ROOTS, CHILDREN, GRANDCHILDREN = 4, 20, 4, 5   # 4 × (20 + 80 + 400) = 2,000 tasks
LARGE_PLANS = 20                                         # 10,000 tasks
REPORTS, MILESTONES, REQUESTS = 20, 3, 20
STATS_REQUESTS = 10  # each evaluates every task on as_of and 12 Mondays
AS_OF = dt.date(2026, 6, 30)
START = dt.date(2026, 2, 9)


def _tree():
    """(number, parent number) of each task of one plan, parents first."""
    for r in range(1, ROOTS + 1):
        yield f"{r}", None
    for r in range(1, ROOTS + 1):
        for c in range(1, CHILDREN + 1):
            yield f"{r}.{c}", f"{r}"
    for r in range(1, ROOTS + 1):
        for c in range(1, CHILDREN + 1):
            for g in range(1, GRANDCHILDREN + 1):
                yield f"{r}.{c}.{g}", f"{r}.{c}"


def _state_fields(i, S):
    """A realistic mix: most tasks under way (some lagging, some silent), some unacknowledged,
    blocked, submitted, completed or cancelled."""
    issued = START - dt.timedelta(days=3)
    kind = i % 20
    if kind == 0:
        return {"state": S.ISSUED, "issued_on": AS_OF - dt.timedelta(days=10 + i % 5)}
    fields = {"issued_on": issued, "acknowledged_on": issued + dt.timedelta(days=1 + i % 4)}
    if kind == 1:
        return {**fields, "state": S.IN_PROGRESS, "blocked_since": dt.date(2026, 5, 1)}
    if kind == 2:
        return {**fields, "state": S.COMPLETION_SUBMITTED, "completion_submitted_on": dt.date(2026, 6, 20)}
    if kind in (3, 4):
        return {**fields, "state": S.COMPLETED, "completion_submitted_on": dt.date(2026, 5, 20),
                "completed_on": dt.date(2026, 5, 25)}
    if kind == 5:
        return {**fields, "state": S.CANCELLED, "cancelled_on": dt.date(2026, 4, 1)}
    if kind == 6:
        return {**fields, "state": S.ACKNOWLEDGED}
    return {**fields, "state": S.IN_PROGRESS}


def build():
    """Write the fixture; return the superuser, the people and units to add plans with, and the
    number of tasks."""
    from ronghe.accounts.models import User
    from ronghe.org import services as org
    from ronghe.org.models import Unit

    admin = User.objects.create_superuser("bench", password="bench-pass-123")
    epoch = dt.date(2020, 1, 1)
    hq = org.unit_create(actor=admin, code="HQ", name="总部", level=Unit.Level.DIVISION, effective_date=epoch)
    units = [org.unit_create(actor=admin, code=f"CY{u:02d}", name=f"采油{u}厂", parent=hq, effective_date=epoch)
             for u in range(1, 11)]
    people = [org.person_create(actor=admin, employee_no=f"E{p:05d}", name=f"员工{p}", unit=units[p % len(units)])
              for p in range(1, 41)]
    count = add_plans(hq, units, people, range(PLANS))
    return admin, (hq, units, people), count


def add_plans(hq, units, people, numbers) -> int:
    """Add a plan of ROOTS × CHILDREN × GRANDCHILDREN tasks for each of `numbers`, with their
    reports, milestones and extensions; return the number of tasks there are now."""
    from ronghe.tasks.models import Extension, Milestone, Plan, ProgressReport, Task

    S = Task.State
    plans = Plan.objects.bulk_create(Plan(name=f"方案{p}", unit=hq, leader=people[p % len(people)], year=2026)
                                     for p in numbers)
    tasks, pk = [], Task.objects.count()
    for plan in plans:
        by_number = {}
        for number, parent in _tree():
            pk += 1
            up = by_number.get(parent)
            deadline = dt.date(2026, 5 if pk % 10 == 0 else 7 + pk % 6, 1 + pk % 28)
            task = Task(pk=pk, plan=plan, parent=up, path=f"{up.path if up else ''}{pk}/", number=number,
                        sort_order=pk, name=f"任务{number}", leader=people[pk % 7], lead_unit=units[pk % len(units)],
                        responsible=people[7 + pk % 33], start_date=START, deadline=deadline,
                        baseline_deadline=deadline, **_state_fields(pk, S))
            by_number[number] = task
            tasks.append(task)
    Task.objects.bulk_create(tasks, batch_size=500)
    reports, milestones, extensions = [], [], []
    for task in tasks:
        # Some tasks report steadily, some lag, some fall silent from April.
        pace = (5, 5, 4, 3)[task.pk % 4]
        silent_from = 12 if task.pk % 9 == 0 else REPORTS
        for n in range(REPORTS):
            week = n if n < silent_from else silent_from - 1
            reports.append(ProgressReport(task=task, reported_on=START + dt.timedelta(weeks=week),
                                          percent=min(100, pace * (n + 1)), text=f"第{n + 1}次进展"))
        for m in range(MILESTONES):
            due = START + dt.timedelta(days=60 * (m + 1))
            milestones.append(Milestone(task=task, due=due, description=f"节点{m + 1}",
                                        done_on=None if due > AS_OF or (m == 1 and task.pk % 8 == 0) else due))
        if task.pk % 25 == 0:
            extensions.append(Extension(task=task, requested_on=dt.date(2026, 4, 1), reason="延期",
                                        new_deadline=task.deadline + dt.timedelta(days=60), percent=40,
                                        status=Extension.Status.APPROVED, decided_on=dt.date(2026, 4, 3)))
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    Extension.objects.bulk_create(extensions, batch_size=2000)
    return pk


def _objects_prefetched(queryset):
    """The yardstick: reports, milestones and approved extensions prefetched as model objects."""
    from django.db.models import Prefetch

    from ronghe.tasks.models import Extension, Milestone, ProgressReport

    return queryset.prefetch_related(
        Prefetch("reports", queryset=ProgressReport.objects.only("task_id", "reported_on", "percent")),
        Prefetch("milestones", queryset=Milestone.objects.all()),
        Prefetch("extensions", queryset=Extension.objects.filter(status=Extension.Status.APPROVED)))


def _timed(fn, times):
    """Seconds of each of `times` calls of fn (after one warm-up call) and the queries of one."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return seconds, len(queries)


def _p95(seconds):
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1]


def _trend_per_week(rows, calendar):
    """The trend as it was computed before: `selectors.statuses` on each Monday, every task's
    facts rebuilt and the task evaluated anew each time."""
    from ronghe.tasks import rules, selectors, stats

    out = []
    for monday in stats.trend_mondays(AS_OF):
        counts = rules.rollup(selectors.statuses(rows, monday, calendar).values())
        out.append({"week": monday, **{light.value: counts[light] for light in stats.TREND_LIGHTS}})
    return out


def straightforward_stats(tasks, as_of, calendar):
    """The statistics the plain way: every fact read, every task evaluated in full on `as_of` and
    on each Monday (tests/tasks/test_stats_equivalence.py holds stats.compute to it too)."""
    from ronghe.tasks import rules, selectors, stats

    rows = selectors.engine_rows(tasks)
    status_by_task = {row.pk: rules.evaluate(row.facts, as_of, calendar, row.thresholds) for row in rows}
    trend = []
    for monday in stats.trend_mondays(as_of):
        counts = rules.rollup(rules.evaluate(row.facts, monday, calendar, row.thresholds) for row in rows)
        trend.append({"week": monday, **{light.value: counts[light] for light in stats.TREND_LIGHTS}})
    return stats.summarize(rows, status_by_task, as_of, calendar, trend)


def _statistics(client, admin, count, calendar):
    """The trend and the whole computation each both ways with their ratio, then the statistics
    page and API."""
    from ronghe.tasks import selectors, stats

    rows = list(selectors.with_facts(selectors.tasks(admin)))
    assert stats.weekly_trend(rows, AS_OF, calendar) == _trend_per_week(rows, calendar)
    tasks = selectors.with_facts(selectors.tasks(admin))
    assert stats.compute(tasks, AS_OF, calendar) == straightforward_stats(tasks, AS_OF, calendar)
    weeks = count * stats.TREND_WEEKS
    results = []
    for label, before, after in (
            ("trend", lambda: _trend_per_week(rows, calendar), lambda: stats.weekly_trend(rows, AS_OF, calendar)),
            ("stats", lambda: straightforward_stats(tasks, AS_OF, calendar), lambda: stats.compute(tasks, AS_OF, calendar))):
        old, old_queries = _timed(before, 1 if count > 5000 else 3)
        new, new_queries = _timed(after, 3)
        old, new = statistics.median(old), statistics.median(new)
        results.append({"name": f"{label} plain ({old_queries}q) {count / 1000:g}k", "rows": weeks, "seconds": old})
        results.append({"name": f"{label} fast ({new_queries}q) {count / 1000:g}k ×{old / new:.1f}", "rows": weeks,
                        "seconds": new})
    for label, url in (("page /tasks/stats/", f"/tasks/stats/?as_of={AS_OF}"),
                       ("API tasks/stats", f"/api/v1/tasks/stats?as_of={AS_OF}")):
        seconds, queries = _timed(_get(client, url), STATS_REQUESTS)
        results.append({"name": f"{label} p50 ({queries}q) {count / 1000:g}k", "rows": count,
                        "seconds": statistics.median(seconds)})
        results.append({"name": f"{label} p95 {count / 1000:g}k", "rows": count, "seconds": _p95(seconds)})
    return results


def _get(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return get


def run():
    from django.test import Client

    from ronghe.core.workdays import Calendar
    from ronghe.tasks import rules, selectors

    admin, (hq, units, people), count = build()
    calendar = Calendar()

    def lights(load):
        def measure():
            rows = list(load(selectors.tasks(admin)))
            found = selectors.statuses(rows, AS_OF, calendar)
            assert len(found) == count
            return found
        return measure

    red = sum(1 for s in lights(selectors.with_facts)().values() if s.light == rules.Light.RED)
    assert red, "the fixture has no red task"
    assert lights(_objects_prefetched)() == lights(selectors.with_facts)()
    results = []
    for label, load in (("lights", selectors.with_facts), ("lights, as objects", _objects_prefetched)):
        seconds, queries = _timed(lights(load), 5)
        results.append({"name": f"{label} ({queries}q)", "rows": count, "seconds": statistics.median(seconds)})

    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    for label, url, rows in (("page /tasks/", f"/tasks/?as_of={AS_OF}", count),
                             ("API light=red", f"/api/v1/tasks?light=red&as_of={AS_OF}", red)):
        seconds, queries = _timed(_get(client, url), REQUESTS)
        results.append({"name": f"{label} p50 ({queries}q)", "rows": rows, "seconds": statistics.median(seconds)})
        results.append({"name": f"{label} p95", "rows": rows, "seconds": _p95(seconds)})

    results += _statistics(client, admin, count, calendar)
    count = add_plans(hq, units, people, range(PLANS, LARGE_PLANS))
    results += _statistics(client, admin, count, calendar)
    return results
