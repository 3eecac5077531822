import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.tasks import services
from ronghe.tasks.models import Extension, Task

D = dt.date
S = Task.State


def _issued_and_acknowledged(five_ones):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    return services.task_acknowledge(actor=five_ones.owner, task=five_ones.task, on=D(2026, 3, 3))


def test_issuing_keeps_the_deadline_as_the_baseline(five_ones):
    task = services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    assert task.state == S.ISSUED and task.baseline_deadline == D(2026, 9, 30)


def test_the_whole_life_of_a_task_is_audited_step_by_step(five_ones):
    task = _issued_and_acknowledged(five_ones)
    services.progress_report(actor=five_ones.teammate, task=task, percent=40, text="方案已报批", on=D(2026, 4, 1))
    services.milestone_done(actor=five_ones.owner, milestone=task.milestones.first(), on=D(2026, 4, 28))
    services.completion_submit(actor=five_ones.owner, task=task, evidence="机构调整文件", on=D(2026, 6, 1))
    services.completion_return(actor=five_ones.leader, task=task, reason="缺少人员安置方案")
    services.completion_submit(actor=five_ones.owner, task=task, evidence="补充安置方案", on=D(2026, 6, 10))
    services.completion_accept(actor=five_ones.leader, task=task)
    task = services.task_evaluate(actor=five_ones.leader, task=task, evaluation=Task.Evaluation.EXCELLENT)
    assert task.state == S.CLOSED and task.completed_on == D(2026, 6, 10)
    actions = list(AuditEntry.objects.filter(object_type="tasks.task", object_id=str(task.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["task.create", "task.issue", "task.acknowledge", "task.report", "task.milestone_done",
                       "task.submit_completion", "task.return", "task.submit_completion", "task.complete",
                       "task.evaluate"]


def test_only_the_responsible_side_acknowledges(five_ones, personas):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    with pytest.raises(OutOfScope):
        services.task_acknowledge(actor=five_ones.teammate, task=five_ones.task)
    with pytest.raises(OutOfScope):
        services.task_acknowledge(actor=personas.secretary, task=five_ones.task)
    assert services.task_acknowledge(actor=personas.plant_admin, task=five_ones.task).state == S.ACKNOWLEDGED


def test_only_the_supervisor_accepts_completion(five_ones):
    task = _issued_and_acknowledged(five_ones)
    services.completion_submit(actor=five_ones.owner, task=task, evidence="文件")
    with pytest.raises(OutOfScope):
        services.completion_accept(actor=five_ones.owner, task=task)


def test_a_step_out_of_order_is_refused(five_ones):
    with pytest.raises(ValidationError):
        services.task_acknowledge(actor=five_ones.owner, task=five_ones.task)
    with pytest.raises(ValidationError):
        services.progress_report(actor=five_ones.owner, task=five_ones.task, percent=10, text="x")


def test_an_approved_extension_moves_the_deadline_and_keeps_the_baseline(five_ones):
    task = _issued_and_acknowledged(five_ones)
    extension = services.extension_request(actor=five_ones.owner, task=task, reason="审批延迟",
                                           new_deadline=D(2026, 11, 30), percent=50, on=D(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.extension_request(actor=five_ones.owner, task=task, reason="再次", new_deadline=D(2026, 12, 31),
                                   percent=50)
    services.extension_decide(actor=five_ones.leader, extension=extension, approve=True, note="同意")
    task.refresh_from_db()
    assert task.deadline == D(2026, 11, 30) and task.baseline_deadline == D(2026, 9, 30)
    assert Extension.objects.get().status == Extension.Status.APPROVED


def test_an_extension_must_push_the_deadline_later(five_ones):
    task = _issued_and_acknowledged(five_ones)
    with pytest.raises(ValidationError):
        services.extension_request(actor=five_ones.owner, task=task, reason="x", new_deadline=D(2026, 9, 1), percent=1)


def test_the_deadline_of_an_issued_task_changes_only_by_extension(five_ones):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    with pytest.raises(ValidationError):
        services.task_update(actor=five_ones.leader, task=five_ones.task, deadline=D(2026, 12, 31))


def test_blocking_needs_a_reason_and_completion_clears_it(five_ones):
    task = _issued_and_acknowledged(five_ones)
    with pytest.raises(ValidationError):
        services.task_mark_blocked(actor=five_ones.owner, task=task, reason=" ")
    task = services.task_mark_blocked(actor=five_ones.owner, task=task, reason="等待总部批复编制")
    assert task.blocked_since == D(2026, 6, 30)
    services.completion_submit(actor=five_ones.owner, task=task, evidence="完成")
    assert services.completion_accept(actor=five_ones.leader, task=task).blocked_since is None


def test_cancelling_needs_a_reason(five_ones):
    with pytest.raises(ValidationError):
        services.task_cancel(actor=five_ones.leader, task=five_ones.task, reason="")
    assert services.task_cancel(actor=five_ones.leader, task=five_ones.task, reason="并入其他任务").state == S.CANCELLED


def test_dates_in_the_future_are_refused(five_ones):
    with pytest.raises(ValidationError):
        services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 7, 1))


def test_people_see_tasks_they_lead_own_or_work_on_and_those_of_their_unit(five_ones, personas, org):
    from tests import factories as f

    for user in (five_ones.leader, five_ones.owner, five_ones.teammate, personas.plant_admin, personas.viewer):
        assert Task.objects.restrict(user).filter(pk=five_ones.task.pk).exists(), user
    colleague = f.user("colleague", person_=f.person(org.plant))
    assert Task.objects.restrict(colleague).exists()  # the lead unit is the colleague's own unit
    below = f.user("below", person_=f.person(org.team))
    assert not Task.objects.restrict(below).exists()  # a team does not see its plant's tasks
    stranger = f.user("stranger", person_=f.person(org.area2))
    assert not Task.objects.restrict(stranger).exists()
    assert not Task.objects.restrict(personas.secretary).exists()


def test_sub_tasks_keep_a_path_under_their_parent(five_ones, personas, org):
    child = services.task_create(actor=personas.superuser, plan=five_ones.plan, parent=five_ones.task, number="1.1",
                                 name="机关处室整合", leader=five_ones.leader.person, lead_unit=org.dept,
                                 responsible=five_ones.owner.person, deadline=D(2026, 8, 31))
    assert child.path == f"{five_ones.task.pk}/{child.pk}/"
    assert set(Task.objects.filter(path__startswith=five_ones.task.path)) == {five_ones.task, child}


def test_red_thresholds_cannot_come_before_yellow(five_ones, personas):
    with pytest.raises(ValidationError):
        services.plan_update(actor=personas.superuser, plan=five_ones.plan, ack_yellow_days=5, ack_red_days=2)


def test_a_person_sits_in_a_team_once(five_ones, personas, org):
    mate = five_ones.teammate.person
    with pytest.raises(ValidationError):
        services.task_create(actor=personas.superuser, plan=five_ones.plan, name="重复组员",
                             leader=five_ones.leader.person, lead_unit=org.plant, responsible=mate,
                             deadline=D(2026, 12, 31), team=[(mate, "组长"), (mate, "组员")])


def test_a_plan_under_a_task_is_a_sub_plan(five_ones, personas, org):
    with pytest.raises(ValidationError):
        services.plan_create(actor=personas.superuser, name="子方案", unit=org.hq, parent_task=five_ones.task,
                             kind="master")
