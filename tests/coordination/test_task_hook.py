"""A request raised from a task blocks it (yellow), turns it red once the answer is overdue, and
lets it go when answered; the task page shows the task's requests."""
import datetime as dt

import pytest

from ronghe.coordination import services
from ronghe.tasks import selectors as task_selectors
from ronghe.tasks import services as task_services
from ronghe.tasks.rules import Light, Mode, Rule
from tests.tasks.conftest import five_ones  # noqa: F401  (the Five-Ones fixture)

D = dt.date


@pytest.fixture
def under_way(five_ones, personas):  # noqa: F811
    task = task_services.task_issue(actor=personas.superuser, task=five_ones.task, on=D(2026, 3, 2))
    task = task_services.task_acknowledge(actor=five_ones.owner, task=task, on=D(2026, 3, 3))
    task_services.progress_report(actor=five_ones.owner, task=task, percent=50, text="推进中", on=D(2026, 6, 15))
    return five_ones


def _status(task, as_of):
    rows = list(task_selectors.with_facts(type(task).objects.filter(pk=task.pk)))
    return task_selectors.statuses(rows, as_of)[task.pk]


def _blocked_rules(status):
    return [m.rule for m in status.failure_modes if m.code == Mode.BLOCKED]


def _blocked_level(status):
    return next(m.level for m in status.failure_modes if m.code == Mode.BLOCKED)


def test_a_task_with_an_open_request_is_blocked_red_when_overdue_and_free_when_answered(under_way, org, personas):
    task = under_way.task
    assert _blocked_rules(_status(task, D(2026, 6, 22))) == []
    request = services.request_raise(actor=under_way.owner, task=task, title="用地审批", description="请协调。",
                                     to_unit=org.dept, on=D(2026, 6, 22))
    assert request.from_unit == task.lead_unit
    yellow = _status(task, D(2026, 6, 29))
    assert _blocked_rules(yellow) == [Rule.REQUEST_OPEN] and _blocked_level(yellow) == Light.YELLOW
    red = _status(task, D(2026, 6, 30))
    assert _blocked_rules(red) == [Rule.REQUEST_OVERDUE] and _blocked_level(red) == Light.RED == red.light
    services.request_answer(actor=personas.superuser, request=request, answer="已协调。", on=D(2026, 6, 30))
    assert _blocked_rules(_status(task, D(2026, 6, 30))) == []
    # As of a day before the answer the task was still blocked: history is kept.
    assert _blocked_rules(_status(task, D(2026, 6, 29))) == [Rule.REQUEST_OPEN]


def test_the_single_task_fallback_reads_the_same_requests(under_way, org):
    task = under_way.task
    services.request_raise(actor=under_way.owner, task=task, title="用地审批", description="请协调。", to_unit=org.dept,
                           on=D(2026, 6, 22))
    facts = task_selectors.facts_of(type(task).objects.get(pk=task.pk))
    assert [(r.raised_on, r.answered_on) for r in facts.requests] == [(D(2026, 6, 22), None)]


def test_only_the_tasks_owner_raises_from_it(under_way, org, personas):
    from ronghe.core.errors import OutOfScope

    with pytest.raises(OutOfScope):
        services.request_raise(actor=under_way.teammate, task=under_way.task, title="x", description="y",
                               to_unit=org.dept)


def test_a_draft_task_raises_no_request(five_ones, org, personas):  # noqa: F811
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.request_raise(actor=personas.superuser, task=five_ones.task, title="x", description="y",
                               to_unit=org.dept)


def test_the_task_page_lists_its_requests_and_offers_to_raise_one(under_way, org, login):
    request = services.request_raise(actor=under_way.owner, task=under_way.task, title="用地审批协调",
                                     description="请协调。", to_unit=org.dept, on=D(2026, 6, 22))
    page = login(under_way.owner).get(f"/tasks/{under_way.task.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert request.number in html and "用地审批协调" in html
    assert f"/coordination/new/?task={under_way.task.pk}" in html


def test_a_teammate_sees_the_card_without_the_button(under_way, login):
    html = login(under_way.teammate).get(f"/tasks/{under_way.task.pk}/").content.decode()
    assert 'id="task-requests"' in html and "/coordination/new/?task=" not in html


def test_the_task_lights_cost_no_more_queries_with_requests(under_way, org, personas, django_assert_max_num_queries):
    for i in range(15):
        task = task_services.task_create(actor=personas.superuser, plan=under_way.plan, name=f"任务{i}",
                                         leader=under_way.leader.person, lead_unit=org.plant,
                                         responsible=under_way.owner.person, deadline=D(2026, 12, 31))
        task = task_services.task_issue(actor=personas.superuser, task=task, on=D(2026, 6, 1))
        services.request_raise(actor=personas.superuser, task=task, title=f"事项{i}", description="请协调。",
                               to_unit=org.dept, on=D(2026, 6, 22))
    with django_assert_max_num_queries(6):
        rows = list(task_selectors.with_facts(task_selectors.tasks(personas.superuser)))
        found = task_selectors.statuses(rows, D(2026, 6, 30))
    assert sum(Rule.REQUEST_OVERDUE in _blocked_rules(s) for s in found.values()) == 15
