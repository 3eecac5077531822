"""Changing a task's team (专项领导小组), co-operating units (配合部门) and milestones (节点) after
it was created: the services, the task edit page and the API's PATCH. Today is 2026-06-30."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.tasks import services
from ronghe.tasks.models import Milestone
from tests import factories as f
from tests.api.support import ApiClient, token_for

D = dt.date


def _entry(task, action):
    return AuditEntry.objects.filter(object_type="tasks.task", object_id=str(task.pk), action=action).get()


def _words(person, role=""):
    return f"{person.name}（{person.employee_no}）{role}"


def _first(task):
    return task.milestones.order_by("due").first()


# --- services ------------------------------------------------------------------------------------

def test_setting_the_team_replaces_members_and_audits_them_by_name(five_ones, org):
    task, teammate = five_ones.task, five_ones.teammate.person
    newcomer = f.person(org.plant, name="孙新")
    services.task_set_team(actor=five_ones.leader, task=task, members=[(teammate, "副组长"), (newcomer, "成员")])
    assert sorted(task.team.values_list("person__name", "role")) == [("孙新", "成员"), ("钱组员", "副组长")]
    entry = _entry(task, "task.team")
    assert entry.before == {"team": [_words(teammate, "组员")]}
    assert entry.after == {"team": [_words(teammate, "副组长"), _words(newcomer, "成员")]}


def test_an_unchanged_team_writes_no_audit_entry(five_ones):
    services.task_set_team(actor=five_ones.leader, task=five_ones.task, members=[(five_ones.teammate.person, "组员")])
    assert not AuditEntry.objects.filter(action="task.team").exists()


def test_it_rejects_a_person_sitting_twice_in_the_team(five_ones):
    person = five_ones.teammate.person
    with pytest.raises(ValidationError) as exc:
        services.task_set_team(actor=five_ones.leader, task=five_ones.task, members=[(person, "a"), (person, "b")])
    assert "team" in exc.value.message_dict


def test_only_a_supervisor_changes_the_team_units_or_milestones(five_ones, org, personas):
    task = five_ones.task
    for actor in (five_ones.owner, five_ones.teammate, personas.plant_admin):
        with pytest.raises(OutOfScope):
            services.task_set_team(actor=actor, task=task, members=[])
        with pytest.raises(OutOfScope):
            services.task_set_co_units(actor=actor, task=task, units=[])
        with pytest.raises(OutOfScope):
            services.milestone_add(actor=actor, task=task, due=D(2026, 5, 1), description="x")
        with pytest.raises(OutOfScope):
            services.milestone_update(actor=actor, milestone=_first(task), description="x")
        with pytest.raises(OutOfScope):
            services.milestone_remove(actor=actor, milestone=_first(task))
    assert task.team.count() == 1 and task.milestones.count() == 2 and task.co_units.count() == 1


def test_a_finished_task_keeps_its_team(five_ones, personas):
    task = services.task_cancel(actor=five_ones.leader, task=five_ones.task, reason="合并到其他任务")
    with pytest.raises(ValidationError):
        services.task_set_team(actor=five_ones.leader, task=task, members=[])
    with pytest.raises(ValidationError):
        services.milestone_add(actor=five_ones.leader, task=task, due=D(2026, 5, 1), description="x")


def test_setting_co_units_audits_them_by_name(five_ones, org):
    task = five_ones.task
    services.task_set_co_units(actor=five_ones.leader, task=task, units=[org.area, org.sibling])
    assert set(task.co_units.values_list("code", flat=True)) == {"CY1-A1", "CY2"}
    entry = _entry(task, "task.co_units")
    assert entry.before == {"co_units": ["党委组织部"]}
    assert set(entry.after["co_units"]) == {"作业一区", "采油二厂"}


def test_it_rejects_the_lead_unit_as_a_co_operating_unit(five_ones, org):
    with pytest.raises(ValidationError) as exc:
        services.task_set_co_units(actor=five_ones.leader, task=five_ones.task, units=[org.plant])
    assert "co_units" in exc.value.message_dict
    assert list(five_ones.task.co_units.values_list("code", flat=True)) == ["HQ-ZZB"]


def test_milestones_are_added_edited_and_removed_with_an_audit_in_words(five_ones):
    task, leader = five_ones.task, five_ones.leader
    added = services.milestone_add(actor=leader, task=task, due=D(2026, 6, 30), description="完成人员分流")
    assert _entry(task, "task.milestone_add").after == {"milestone": "2026-06-30 完成人员分流"}
    services.milestone_update(actor=leader, milestone=added, due=D(2026, 7, 15))
    entry = _entry(task, "task.milestone_update")
    assert (entry.before, entry.after) == ({"milestone": "2026-06-30 完成人员分流"},
                                           {"milestone": "2026-07-15 完成人员分流"})
    services.milestone_remove(actor=leader, milestone=added)
    assert not Milestone.objects.filter(pk=added.pk).exists()
    assert _entry(task, "task.milestone_remove").before == {"milestone": "2026-07-15 完成人员分流"}


def test_a_milestone_falls_between_start_and_deadline(five_ones):
    task = five_ones.task
    for due in (D(2026, 2, 28), D(2026, 10, 1)):
        with pytest.raises(ValidationError) as exc:
            services.milestone_add(actor=five_ones.leader, task=task, due=due, description="x")
        assert "due" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.milestone_update(actor=five_ones.leader, milestone=_first(task), due=due)
    assert services.milestone_add(actor=five_ones.leader, task=task, due=D(2026, 9, 30), description="验收").pk


def test_a_done_milestone_keeps_its_done_date_and_cannot_be_removed(five_ones):
    task = five_ones.task
    services.task_issue(actor=five_ones.leader, task=task, on=D(2026, 3, 2))
    services.task_acknowledge(actor=five_ones.owner, task=task, on=D(2026, 3, 3))
    done = services.milestone_done(actor=five_ones.owner, milestone=_first(task), on=D(2026, 4, 28))
    edited = services.milestone_update(actor=five_ones.leader, milestone=done, description="完成方案审批并印发")
    assert edited.done_on == D(2026, 4, 28) and edited.description == "完成方案审批并印发"
    with pytest.raises(ValidationError):
        services.milestone_remove(actor=five_ones.leader, milestone=done)
    assert Milestone.objects.filter(pk=done.pk).exists()


def test_a_whole_edit_is_all_or_nothing(five_ones, org):
    task = five_ones.task
    with pytest.raises(ValidationError):
        services.task_edit(actor=five_ones.leader, task=task, changes={"name": "新名称"}, team=[],
                           co_units=[org.plant])
    task.refresh_from_db()
    assert task.name == "压减处级机构" and task.team.count() == 1


def test_a_co_operating_unit_made_lead_unit_stops_co_operating(five_ones, org):
    task = services.task_edit(actor=five_ones.leader, task=five_ones.task, changes={"lead_unit": org.dept})
    assert task.lead_unit == org.dept and not task.co_units.exists()
    assert _entry(task, "task.co_units").after == {"co_units": []}


# --- the task edit page --------------------------------------------------------------------------

def _form(five_ones, **fields):
    return {"number": "1", "name": "压减处级机构", "leader": "万总", "lead_unit": "CY1", "responsible": "赵责任",
            "start_date": "2026-03-01", "deadline": "2026-09-30", "cycle": "monthly", "priority": "normal",
            "co_units": ["HQ-ZZB"], "team": "钱组员 组员",
            "milestones": "2026-04-30 完成方案审批\n2026-08-31 完成机构调整", **fields}


def test_the_edit_page_shows_the_team_units_and_milestones(login, five_ones):
    page = login(five_ones.leader).get(f"/tasks/{five_ones.task.pk}/edit/").content.decode()
    teammate = five_ones.teammate.person
    assert f"钱组员({teammate.employee_no}) 组员" in page
    assert "2026-04-30 完成方案审批" in page and 'value="HQ-ZZB" selected' in page


def test_the_edit_page_changes_the_team_units_and_milestones(login, five_ones, org, personas):
    task = five_ones.task
    newcomer = f.person(org.plant, name="孙新")
    response = login(personas.superuser).post(f"/tasks/{task.pk}/edit/", _form(
        five_ones, co_units=["CY1-A1"], team=f"钱组员 副组长\n{newcomer.employee_no} 成员",
        milestones="2026-05-15 完成方案审批\n2026-09-15 完成验收"))
    assert response.status_code == 302
    assert sorted(task.team.values_list("person__name", "role")) == [("孙新", "成员"), ("钱组员", "副组长")]
    assert list(task.co_units.values_list("code", flat=True)) == ["CY1-A1"]
    assert list(task.milestones.values_list("due", "description")) == [(D(2026, 5, 15), "完成方案审批"),
                                                                      (D(2026, 9, 15), "完成验收")]
    actions = set(AuditEntry.objects.filter(object_id=str(task.pk)).values_list("action", flat=True))
    assert {"task.team", "task.co_units", "task.milestone_update", "task.milestone_add",
            "task.milestone_remove"} <= actions and "task.update" not in actions


def test_the_edit_page_keeps_a_done_milestone_whose_date_moves(login, five_ones):
    task = five_ones.task
    services.task_issue(actor=five_ones.leader, task=task, on=D(2026, 3, 2))
    services.task_acknowledge(actor=five_ones.owner, task=task, on=D(2026, 3, 3))
    done = services.milestone_done(actor=five_ones.owner, milestone=_first(task), on=D(2026, 4, 28))
    data = _form(five_ones, milestones="2026-04-25 完成方案审批\n2026-08-31 完成机构调整")
    del data["deadline"]
    assert login(five_ones.leader).post(f"/tasks/{task.pk}/edit/", data).status_code == 302
    done.refresh_from_db()
    assert done.due == D(2026, 4, 25) and done.done_on == D(2026, 4, 28)
    data["milestones"] = "2026-08-31 完成机构调整"
    page = login(five_ones.leader).post(f"/tasks/{task.pk}/edit/", data).content.decode()
    assert "invalid-feedback" in page.split('id="id_milestones"')[1]
    assert task.milestones.count() == 2


def test_the_edit_page_refuses_the_lead_unit_as_a_co_operating_unit(login, five_ones):
    page = login(five_ones.leader).post(f"/tasks/{five_ones.task.pk}/edit/", _form(five_ones, co_units=["CY1"]))
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode().split('id="id_co_units"')[1]
    assert list(five_ones.task.co_units.values_list("code", flat=True)) == ["HQ-ZZB"]


def test_the_edit_page_offers_only_people_in_the_editors_scope(login, five_ones, org):
    page = login(five_ones.leader).post(f"/tasks/{five_ones.task.pk}/edit/", _form(
        five_ones, team=f"钱组员 组员\n{org.sib_worker.employee_no} 成员"))
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode().split('id="id_team"')[1]
    assert list(five_ones.task.team.values_list("person__name", flat=True)) == ["钱组员"]


# --- the API -----------------------------------------------------------------------------------------

def api(user):
    return ApiClient(token_for(user))


def test_the_api_replaces_team_units_and_milestones(five_ones, org, personas):
    task = five_ones.task
    kept = _first(task)
    response = api(personas.superuser).patch(f"tasks/{task.pk}", {
        "team": [{"employee_no": five_ones.owner.person.employee_no, "role": "组长"}],
        "co_units": ["CY1-A1", "HQ-ZZB"],
        "milestones": [{"id": kept.pk, "due": "2026-05-10", "description": kept.description},
                       {"due": "2026-09-20", "description": "总结验收"}]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(m["employee_no"], m["role"]) for m in body["team"]] == [(five_ones.owner.person.employee_no, "组长")]
    assert {u["code"] for u in body["co_units"]} == {"CY1-A1", "HQ-ZZB"}
    assert [(m["id"] == kept.pk, m["due"], m["description"]) for m in body["milestones"]] == [
        (True, "2026-05-10", "完成方案审批"), (False, "2026-09-20", "总结验收")]


def test_the_api_leaves_out_what_is_not_sent(five_ones):
    response = api(five_ones.leader).patch(f"tasks/{five_ones.task.pk}", {"name": "压减处级机构（调整）"})
    assert response.status_code == 200
    assert five_ones.task.team.count() == 1 and five_ones.task.milestones.count() == 2


def test_the_api_answers_422_for_bad_members_units_and_milestones(five_ones, org, personas):
    su, task = api(personas.superuser), five_ones.task
    other = services.task_create(actor=personas.superuser, plan=five_ones.plan, name="其他", leader=task.leader,
                                 lead_unit=org.area, responsible=task.responsible, deadline=D(2026, 12, 31),
                                 milestones=[(D(2026, 7, 1), "别的节点")])
    for body, field in [({"team": [{"employee_no": "NOPE"}]}, "team"),
                        ({"co_units": ["NOPE"]}, "co_units"),
                        ({"co_units": ["CY1"]}, "co_units"),
                        ({"milestones": [{"id": _first(other).pk, "due": "2026-07-01", "description": "x"}]},
                         "milestones"),
                        ({"milestones": [{"due": "2027-01-01", "description": "x"}]}, "due")]:
        response = su.patch(f"tasks/{task.pk}", body)
        assert response.status_code == 422 and field in response.json()["details"], (body, response.content)
    assert task.milestones.count() == 2 and task.team.count() == 1


def test_the_api_refuses_others_than_the_supervisors(five_ones, personas):
    for user in (five_ones.owner, personas.plant_admin):
        response = api(user).patch(f"tasks/{five_ones.task.pk}", {"team": []})
        assert response.status_code == 404
    assert five_ones.task.team.count() == 1
