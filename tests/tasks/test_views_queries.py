"""Every page of the key tasks takes the same number of queries with 5 rows as with 40."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.tasks import services
from ronghe.tasks.models import ProgressReport
from tests import factories as f
from tests.growth import FEW, MORE

D = dt.date
_n = itertools.count()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _tasks(world, n, parent=None):
    """n issued tasks with a team member, a co-operating unit, two milestones and two reports."""
    root = world.personas.superuser
    made = []
    for _ in range(n):
        i = next(_n)
        task = services.task_create(
            actor=root, plan=world.plan, parent=parent, number=f"9.{i}", name=f"批量任务{i}",
            leader=world.leader, lead_unit=world.org.plant, responsible=world.owner, start_date=D(2026, 3, 1),
            deadline=D(2026, 6, 11) + dt.timedelta(days=i % 40), co_units=[world.org.dept], team=[(world.teammate, "组员")],
            milestones=[(D(2026, 4, 30), "节点一"), (D(2026, 7, 1), "节点二")])
        services.task_issue(actor=root, task=task, on=D(2026, 3, 2))
        made.append(task)
    ProgressReport.objects.bulk_create([
        ProgressReport(task=task, reported_on=day, percent=percent, text="进展")
        for task in made for day, percent in ((D(2026, 4, 1), 20), (D(2026, 6, 1), 50))])
    return made


@pytest.fixture
def world(five_ones, org, personas):
    return type("World", (), {"plan": five_ones.plan, "org": org, "personas": personas,
                              "leader": five_ones.leader.person, "owner": five_ones.owner.person,
                              "teammate": five_ones.teammate.person, "key": five_ones.task,
                              "leader_user": five_ones.leader})


def _more_plans(world, n):
    for _ in range(n):
        plan = services.plan_create(actor=world.personas.superuser, name=f"批量方案{next(_n)}", unit=world.org.plant)
        services.task_create(actor=world.personas.superuser, plan=plan, name="任务", leader=world.leader,
                             lead_unit=world.org.plant, responsible=world.owner, deadline=D(2026, 12, 31))


def _subtasks(world, n):
    _tasks(world, n, parent=world.key)


CASES = [
    ("viewer", "/tasks/", _tasks),
    ("viewer", "/tasks/?light=red&sort=number", _tasks),
    ("viewer", "/tasks/?failure_mode=overdue&unit=CY1&person=赵责任&as_of=2026-07-10", _tasks),
    ("leader", "/tasks/?view=lead", _tasks),
    ("viewer", "/tasks/board/", _tasks),
    ("viewer", "/tasks/plans/", _more_plans),
    ("viewer", "/tasks/plans/{plan}/", _tasks),
    ("viewer", "/tasks/plans/{plan}/chart/", _tasks),
    ("leader", "/tasks/{key}/", _subtasks),
]


@pytest.mark.parametrize(("persona", "url", "grow"), CASES, ids=[c[1] for c in CASES])
def test_a_page_takes_the_same_number_of_queries_for_few_rows_and_many(client, world, persona, url, grow):
    user = world.leader_user if persona == "leader" else getattr(world.personas, persona)
    client.force_login(user)
    url = url.format(plan=world.plan.pk, key=world.key.pk)
    grow(world, FEW)
    few = _queries(client, url)
    grow(world, MORE - FEW)
    assert _queries(client, url) == few


def test_the_task_page_takes_the_same_number_of_queries_whatever_its_history(client, world):
    client.force_login(world.leader_user)
    task = world.key
    services.task_issue(actor=world.leader_user, task=task, on=D(2026, 3, 2))
    services.task_acknowledge(actor=f.system_user(), task=task, on=D(2026, 3, 3))
    url = f"/tasks/{task.pk}/"
    few = _queries(client, url)
    for i in range(20):
        services.progress_report(actor=f.system_user(), task=task, percent=i, text=f"第{i}次", on=D(2026, 3, 4))
    assert _queries(client, url) == few
