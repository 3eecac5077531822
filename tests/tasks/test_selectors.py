import datetime as dt

import pytest

from ronghe.tasks import rules, selectors, services

D = dt.date


def test_the_light_of_a_task_changes_with_the_date_it_is_seen_on(five_ones, settings):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    rows = list(selectors.with_facts(selectors.tasks(five_ones.leader)))
    early = selectors.statuses(rows, D(2026, 3, 3))[five_ones.task.pk]
    late = selectors.statuses(rows, D(2026, 3, 20))[five_ones.task.pk]
    assert early.light == rules.Light.GREEN
    assert late.light == rules.Light.RED and rules.Mode.NO_RESPONSE in late.codes


def test_an_approved_extension_reaches_the_engine_with_its_date(five_ones):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    services.task_acknowledge(actor=five_ones.owner, task=five_ones.task, on=D(2026, 3, 2))
    ext = services.extension_request(actor=five_ones.owner, task=five_ones.task, reason="x",
                                     new_deadline=D(2026, 12, 31), percent=30, on=D(2026, 6, 1))
    services.extension_decide(actor=five_ones.leader, extension=ext, approve=True, on=D(2026, 6, 2))
    task = selectors.with_facts(selectors.tasks(five_ones.leader)).get()
    facts = selectors.facts_of(task)
    assert facts.baseline_deadline == D(2026, 9, 30) and facts.deadline == D(2026, 12, 31)
    assert facts.extensions == (rules.Extension(D(2026, 6, 2), D(2026, 12, 31)),)


def test_plan_thresholds_reach_the_engine(five_ones, personas):
    from ronghe.tasks import services as s

    s.plan_update(actor=personas.superuser, plan=five_ones.plan, ack_yellow_days=1, ack_red_days=3)
    thresholds = selectors.thresholds_of(five_ones.plan)
    assert thresholds.acknowledge_yellow_days == 1 and thresholds.acknowledge_red_days == 3


def test_statuses_take_a_fixed_number_of_queries(five_ones, personas, django_assert_max_num_queries):
    for i in range(20):
        services.task_create(actor=personas.superuser, plan=five_ones.plan, name=f"任务{i}",
                             leader=five_ones.leader.person, lead_unit=five_ones.task.lead_unit,
                             responsible=five_ones.owner.person, deadline=D(2026, 12, 31),
                             milestones=[(D(2026, 9, 1), "节点")])
    with django_assert_max_num_queries(6):
        rows = list(selectors.with_facts(selectors.tasks(personas.superuser)))
        selectors.statuses(rows, D(2026, 6, 30))
    assert len(rows) == 21


def _tasks_with_history(five_ones, superuser, n):
    """`n` more tasks of the plan, each with reports, milestones and a decided extension."""
    from ronghe.tasks.models import Extension, ProgressReport

    created = [services.task_create(actor=superuser, plan=five_ones.plan, name=f"任务{i}",
                                    leader=five_ones.leader.person, lead_unit=five_ones.task.lead_unit,
                                    responsible=five_ones.owner.person, deadline=D(2026, 12, 31),
                                    milestones=[(D(2026, 5, 1), "节点一"), (D(2026, 9, 1), "节点二")])
               for i in range(n)]
    ProgressReport.objects.bulk_create(
        ProgressReport(task=task, reported_on=D(2026, 3, day), percent=day, text="进展")
        for task in created for day in (20, 5, 12))
    Extension.objects.bulk_create(
        Extension(task=task, requested_on=D(2026, 4, 1), reason="延期", new_deadline=D(2027, 3, 31), percent=20,
                  status=status, decided_on=D(2026, 4, 2))
        for task in created for status in (Extension.Status.APPROVED, Extension.Status.REJECTED))
    return created


def _count_lights(user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        rows = list(selectors.with_facts(selectors.tasks(user)))
        selectors.statuses(rows, D(2026, 6, 30))
    return len(rows), len(captured.captured_queries)


def test_lights_take_as_many_queries_for_200_tasks_as_for_10(five_ones, personas):
    _tasks_with_history(five_ones, personas.superuser, 9)
    small = _count_lights(personas.superuser)
    _tasks_with_history(five_ones, personas.superuser, 190)
    large = _count_lights(personas.superuser)
    assert (small[0], large[0]) == (10, 200)
    assert large[1] == small[1]


def test_loaded_facts_are_those_of_the_task_read_alone(five_ones, personas):
    from ronghe.tasks.models import Task

    _tasks_with_history(five_ones, personas.superuser, 3)
    loaded = {t.pk: selectors.facts_of(t) for t in selectors.with_facts(selectors.tasks(personas.superuser))}
    alone = {t.pk: selectors.facts_of(t) for t in Task.objects.all()}
    assert loaded == alone
    some = next(facts for facts in loaded.values() if facts.reports)
    assert [r.on for r in some.reports] == [D(2026, 3, 5), D(2026, 3, 12), D(2026, 3, 20)]
    assert some.extensions == (rules.Extension(D(2026, 4, 2), D(2027, 3, 31)),)


def test_rows_read_in_chunks_carry_their_facts(five_ones, personas):
    _tasks_with_history(five_ones, personas.superuser, 4)
    qs = selectors.with_facts(selectors.tasks(personas.superuser))
    chunked = {t.pk: selectors.facts_of(t) for t in qs.iterator(chunk_size=2)}
    assert chunked == {t.pk: selectors.facts_of(t) for t in qs}
    assert len(chunked) == 5


def _with_requests(five_ones, org, superuser, n):
    """`n` issued tasks with history, each with a coordination request raised from it."""
    from ronghe.coordination import services as coordination

    created = _tasks_with_history(five_ones, superuser, n)
    for i, task in enumerate(created):
        task = services.task_issue(actor=superuser, task=task, on=D(2026, 3, 2))
        coordination.request_raise(actor=superuser, title=f"协调{i}", description="需配合", to_unit=org.dept,
                                   task=task, on=D(2026, 3, 10 + i % 5))
    return created


def _objects_prefetched(queryset):
    """The yardstick of bench_tasks: facts prefetched as model objects, coordination requests not."""
    from django.db.models import Prefetch

    from ronghe.tasks.models import Extension, Milestone, ProgressReport

    return queryset.prefetch_related(
        Prefetch("reports", queryset=ProgressReport.objects.only("task_id", "reported_on", "percent")),
        Prefetch("milestones", queryset=Milestone.objects.all()),
        Prefetch("extensions", queryset=Extension.objects.filter(status=Extension.Status.APPROVED)))


def _statuses_counted(rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        rows = list(rows)
        found = selectors.statuses(rows, D(2026, 6, 30))
    return found, len(captured.captured_queries)


@pytest.mark.parametrize("load", [lambda qs: qs, _objects_prefetched], ids=["plain rows", "objects prefetched"])
def test_statuses_of_rows_not_read_with_facts_take_no_query_per_task(five_ones, org, personas, load):
    superuser = personas.superuser
    _with_requests(five_ones, org, superuser, 9)
    small, small_queries = _statuses_counted(load(selectors.tasks(superuser)))
    _with_requests(five_ones, org, superuser, 40)
    large, large_queries = _statuses_counted(load(selectors.tasks(superuser)))
    assert (len(small), len(large)) == (10, 50)
    assert large_queries == small_queries
    assert large == selectors.statuses(list(selectors.with_facts(selectors.tasks(superuser))), D(2026, 6, 30))
    assert sum(rules.Mode.BLOCKED in status.codes for status in large.values()) == 49


def test_engine_rows_carry_the_facts_of_the_loaded_rows_in_a_fixed_number_of_queries(five_ones, org, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    superuser = personas.superuser
    _with_requests(five_ones, org, superuser, 3)
    with CaptureQueriesContext(connection) as small:
        selectors.engine_rows(selectors.tasks(superuser))
    _with_requests(five_ones, org, superuser, 30)
    with CaptureQueriesContext(connection) as large:
        rows = selectors.engine_rows(selectors.with_facts(selectors.tasks(superuser)))
    assert len(large.captured_queries) == len(small.captured_queries) == 5
    loaded = {t.pk: t for t in selectors.with_facts(selectors.tasks(superuser))}
    assert [row.pk for row in rows] == list(loaded)
    for row in rows:
        task = loaded[row.pk]
        assert row.facts == selectors.facts_of(task)
        assert row.thresholds == selectors.thresholds_of(task.plan)
        assert (row.plan.name, row.lead_unit.name, row.leader.name) == (
            task.plan.name, task.lead_unit.name, task.leader.name)
        assert (row.issued_on, row.acknowledged_on) == (task.issued_on, task.acknowledged_on)
