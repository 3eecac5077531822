"""The Five-Ones API: plans, tasks with their lights as of a date, and every step of a task's life.
Today is frozen at 2026-06-30 by the `five_ones` fixture."""
import datetime as dt

import pytest

from ronghe.core.models import AuditEntry
from ronghe.tasks import services
from ronghe.tasks.models import Extension, Plan, Task
from tests import factories as f
from tests.api.support import ApiClient, token_for

D = dt.date
END_OF_YEAR = D(2026, 12, 31)


def api(user):
    return ApiClient(token_for(user))


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def ids(response):
    return [row["id"] for row in ok(response)["items"]]


def make_task(five_ones, actor, name, *, issued=None, acknowledged=None, deadline=END_OF_YEAR, parent=None,
              lead_unit=None, leader=None, responsible=None, **fields):
    """A task of the fixture's plan, issued and acknowledged on the dates given."""
    task = services.task_create(
        actor=actor, plan=five_ones.plan, parent=parent, name=name, leader=leader or five_ones.leader.person,
        lead_unit=lead_unit or five_ones.task.lead_unit, responsible=responsible or five_ones.owner.person,
        deadline=deadline, **fields)
    if issued:
        task = services.task_issue(actor=actor, task=task, on=issued)
    if acknowledged:
        task = services.task_acknowledge(actor=actor, task=task, on=acknowledged)
    return task


@pytest.fixture
def su(personas):
    return api(personas.superuser)


@pytest.fixture
def lights(five_ones, personas):
    """As of today (2026-06-30): one task red for want of acknowledgement, one yellow for it, one
    acknowledged but overdue; the fixture's task is still a draft."""
    root = personas.superuser
    return {
        "silent_red": make_task(five_ones, root, "无回音红", issued=D(2026, 6, 1)),
        "silent_yellow": make_task(five_ones, root, "无回音黄", issued=D(2026, 6, 24)),
        "overdue": make_task(five_ones, root, "逾期", issued=D(2026, 3, 2), acknowledged=D(2026, 3, 3),
                             start_date=D(2026, 3, 1), deadline=D(2026, 6, 15)),
        "draft": five_ones.task,
    }


# --- plans ---------------------------------------------------------------------------------------

def test_plans_are_listed_within_the_scope_of_their_unit(five_ones, personas, org, su):
    plant_plan = services.plan_create(actor=personas.superuser, name="一厂子方案", unit=org.plant, kind=Plan.Kind.SUB,
                                      parent_task=five_ones.task, year=2026)
    assert set(ids(su.get("plans"))) == {five_ones.plan.pk, plant_plan.pk}
    assert ids(api(personas.plant_admin).get("plans")) == [plant_plan.pk]
    assert ids(api(personas.secretary).get("plans")) == []
    row = ok(su.get(f"plans/{plant_plan.pk}"))
    assert row["unit"] == "CY1" and row["kind"] == "sub" and row["parent_task"] == five_ones.task.pk
    assert row["thresholds"] == {"ack_yellow_days": 2, "ack_red_days": 5, "report_grace_days": 2,
                                 "lag_yellow_points": 10, "lag_red_points": 30, "due_soon_days": 3}


def test_plans_are_filtered_by_unit_subtree_year_kind_and_text(five_ones, personas, org, su):
    old = services.plan_create(actor=personas.superuser, name="油公司模式改革总方案", unit=org.plant, year=2025)
    archived = services.plan_create(actor=personas.superuser, name="旧方案", unit=org.plant, year=2024)
    services.plan_update(actor=personas.superuser, plan=archived, archived=True)
    assert ids(su.get("plans", unit="CY1")) == [old.pk]
    assert set(ids(su.get("plans", unit_subtree="HQ"))) == {five_ones.plan.pk, old.pk}
    assert ids(su.get("plans", unit_subtree="NOPE")) == []
    assert ids(su.get("plans", year=2025)) == [old.pk]
    assert ids(su.get("plans", kind="sub")) == []
    assert ids(su.get("plans", q="油公司")) == [old.pk]
    assert archived.pk in ids(su.get("plans", include_archived=True))


def test_a_plan_counts_its_tasks_by_light_and_failure_mode_as_of_a_date(five_ones, lights, su):
    body = ok(su.get(f"plans/{five_ones.plan.pk}"))
    assert body["as_of"] == "2026-06-30" and body["task_count"] == 4
    assert body["lights"] == {"grey": 1, "green": 0, "blue": 0, "yellow": 1, "red": 2, "done": 0, "cancelled": 0}
    assert body["failure_modes"]["no_response"] == 2 and body["failure_modes"]["overdue"] == 1
    early = ok(su.get(f"plans/{five_ones.plan.pk}", as_of="2026-06-02"))
    assert early["lights"]["red"] == 1 and early["failure_modes"]["no_response"] == 0  # the overdue one unreported


def test_a_plan_outside_the_scope_answers_404(five_ones, personas):
    assert api(personas.plant_admin).get(f"plans/{five_ones.plan.pk}").status_code == 404
    assert api(personas.plant_admin).patch(f"plans/{five_ones.plan.pk}", {"name": "x"}).status_code == 404


def test_a_plan_is_created_in_a_unit_within_the_scope(org, personas):
    client = api(personas.plant_admin)
    body = ok(client.post("plans", {"name": "一厂提质增效方案", "unit": "CY1", "year": 2026,
                                    "thresholds": {"ack_yellow_days": 1, "ack_red_days": 3}}), 201)
    plan = Plan.objects.get(pk=body["id"])
    assert plan.unit == org.plant and plan.ack_yellow_days == 1 and plan.ack_red_days == 3
    assert plan.lag_red_points == 30
    assert AuditEntry.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()
    refused = client.post("plans", {"name": "越权方案", "unit": "CY2"})
    assert refused.status_code == 422 and "unit" in refused.json()["details"]
    assert api(personas.viewer).post("plans", {"name": "只读", "unit": "CY1"}).status_code == 403


def test_thresholds_of_a_plan_cannot_put_red_below_yellow(five_ones, su):
    bad = su.post("plans", {"name": "错阈值", "unit": "HQ", "thresholds": {"lag_yellow_points": 40}})
    assert bad.status_code == 422 and "thresholds.lag_red_points" in bad.json()["details"]
    bad = su.patch(f"plans/{five_ones.plan.pk}", {"thresholds": {"ack_red_days": 1}})
    assert bad.status_code == 422 and "thresholds.ack_red_days" in bad.json()["details"]
    assert Plan.objects.get(pk=five_ones.plan.pk).ack_red_days == 5


def test_changing_the_thresholds_of_a_plan_changes_its_lights(five_ones, lights, su):
    task = lights["silent_yellow"]
    assert ok(su.get(f"tasks/{task.pk}"))["light"] == "yellow"
    body = ok(su.patch(f"plans/{five_ones.plan.pk}", {"name": "三项制度改革总方案（修订）",
                                                      "thresholds": {"ack_yellow_days": 4, "ack_red_days": 8}}))
    assert body["name"] == "三项制度改革总方案（修订）" and body["thresholds"]["ack_yellow_days"] == 4
    assert body["thresholds"]["due_soon_days"] == 3
    assert ok(su.get(f"tasks/{task.pk}"))["light"] == "green"


# --- task lists and lights ------------------------------------------------------------------------

def test_every_listed_task_carries_its_status_as_of_the_date(five_ones, lights, su):
    rows = {row["id"]: row for row in ok(su.get("tasks"))["items"]}
    red = rows[lights["silent_red"].pk]
    assert red["light"] == "red" and red["failure_modes"] == ["no_response", "no_progress"]
    assert red["failures"][0] == {"code": "no_response", "level": "red", "rule": "not_acknowledged",
                                  "date": "2026-06-03", "ref": None, "value": 20}
    assert red["acknowledge_by"] == "2026-06-03" and red["phase"] == "issued"
    overdue = rows[lights["overdue"].pk]
    assert overdue["light"] == "red" and overdue["failure_modes"] == ["no_progress", "overdue"]
    assert overdue["deadline"] == overdue["baseline_deadline"] == "2026-06-15"
    assert overdue["schedule_lag"] == 100 and overdue["percent_complete"] == 0
    assert overdue["next_report_due"] == "2026-04-02" and overdue["completion"] is None
    assert rows[five_ones.task.pk]["light"] == "grey" and rows[five_ones.task.pk]["failure_modes"] == []
    for key in ("leader", "leader_name", "lead_unit", "responsible", "plan_name", "has_children", "subtree"):
        assert key in red


def test_the_light_of_a_task_changes_with_as_of(lights, su):
    task = lights["silent_red"]
    early = ok(su.get("tasks", as_of="2026-06-02"))
    assert early["as_of"] == "2026-06-02"
    assert next(r for r in early["items"] if r["id"] == task.pk)["light"] == "green"
    assert ok(su.get(f"tasks/{task.pk}", as_of="2026-06-05"))["light"] == "yellow"
    assert ok(su.get(f"tasks/{task.pk}"))["light"] == "red"
    assert ok(su.get(f"tasks/{task.pk}", as_of="2026-05-01"))["light"] == "grey"


def test_the_light_and_failure_mode_filters_apply_to_the_status_as_of_the_date(lights, su):
    body = ok(su.get("tasks", as_of="2026-06-30", light="red", failure_mode="no_response"))
    assert [r["id"] for r in body["items"]] == [lights["silent_red"].pk] and body["count"] == 1
    assert set(ids(su.get("tasks", light="red"))) == {lights["silent_red"].pk, lights["overdue"].pk}
    assert set(ids(su.get("tasks", failure_mode="no_response"))) == {lights["silent_red"].pk,
                                                                     lights["silent_yellow"].pk}
    assert ids(su.get("tasks", light="grey")) == [lights["draft"].pk]
    assert ids(su.get("tasks", as_of="2026-07-10", light="yellow")) == []
    assert ids(su.get("tasks", as_of="2026-06-02", failure_mode="no_response")) == []


def test_unknown_lights_failure_modes_and_dates_are_refused(su, five_ones):
    for query in ({"light": "purple"}, {"failure_mode": "lazy"}, {"as_of": "30/06/2026"}, {"due_before": "x"}):
        response = su.get("tasks", **query)
        assert response.status_code == 422 and set(query) <= set(response.json()["details"]), query
    assert su.get(f"tasks/{five_ones.task.pk}", as_of="tomorrow").status_code == 422


def test_the_due_window_reads_the_deadline_in_force_on_the_date(five_ones, lights, personas, su):
    task = lights["overdue"]
    extension = services.extension_request(actor=personas.superuser, task=task, reason="等待批复",
                                           new_deadline=D(2026, 9, 30), percent=60, on=D(2026, 6, 10))
    services.extension_decide(actor=personas.superuser, extension=extension, approve=True, on=D(2026, 6, 12))
    assert ids(su.get("tasks", due_before="2026-07-01")) == []
    assert ids(su.get("tasks", due_before="2026-07-01", as_of="2026-06-11")) == [task.pk]
    assert set(ids(su.get("tasks", due_after="2026-09-01", due_before="2026-09-30"))) == {task.pk, five_ones.task.pk}
    assert set(ids(su.get("tasks", due_after="2026-10-01"))) == {lights["silent_red"].pk,
                                                                  lights["silent_yellow"].pk}


def test_tasks_are_filtered_by_plan_unit_people_state_and_text(five_ones, lights, personas, org, su):
    other_leader = f.person(org.hq, name="孙副总")
    by_dept = make_task(five_ones, personas.superuser, "机关处室整合", lead_unit=org.dept, leader=other_leader,
                        responsible=org.worker, number="2")
    other_plan = services.plan_create(actor=personas.superuser, name="另一方案", unit=org.hq)
    assert five_ones.task.pk in ids(su.get("tasks", plan=five_ones.plan.pk))
    assert ids(su.get("tasks", plan=other_plan.pk)) == []
    assert ids(su.get("tasks", lead_unit="HQ-ZZB")) == [by_dept.pk]
    assert by_dept.pk not in ids(su.get("tasks", lead_unit_subtree="CY1"))
    assert len(ids(su.get("tasks", lead_unit_subtree="HQ"))) == 5
    assert ids(su.get("tasks", leader=other_leader.employee_no)) == [by_dept.pk]
    assert ids(su.get("tasks", responsible=org.worker.employee_no)) == [by_dept.pk]
    assert set(ids(su.get("tasks", state="issued"))) == {lights["silent_red"].pk, lights["silent_yellow"].pk}
    assert ids(su.get("tasks", q="处室")) == [by_dept.pk]
    assert ids(su.get("tasks", q="2")) == [by_dept.pk]


def test_mine_lists_the_tasks_i_lead_own_or_am_on_the_team_of(five_ones, lights, personas, org):
    other_leader = f.person(org.hq, name="孙副总")
    not_mine = make_task(five_ones, personas.superuser, "别人的任务", leader=other_leader, responsible=org.worker)
    leader = api(five_ones.leader)
    assert not_mine.pk in ids(leader.get("tasks"))  # his unit's subtree
    assert not_mine.pk not in ids(leader.get("tasks", mine=True))
    assert set(ids(leader.get("tasks", mine=True))) == {t.pk for t in lights.values()}
    assert ids(api(five_ones.teammate).get("tasks", mine=True)) == [five_ones.task.pk]
    assert ids(api(personas.superuser).get("tasks", mine=True)) == []


def test_the_list_views_and_the_person_filter_are_those_of_the_task_list(five_ones, lights, personas, org):
    not_led = make_task(five_ones, personas.superuser, "别人分管的任务", leader=f.person(org.hq, name="孙副总"),
                        responsible=five_ones.leader.person)
    leader = api(five_ones.leader)
    assert set(ids(leader.get("tasks", view="lead"))) == {t.pk for t in lights.values()}
    assert ids(leader.get("tasks", view="mine")) == [not_led.pk]
    assert ids(api(five_ones.teammate).get("tasks", view="team")) == [five_ones.task.pk]
    assert ids(api(personas.superuser).get("tasks", view="lead")) == []
    su = api(personas.superuser)
    assert ids(su.get("tasks", person=five_ones.teammate.person.employee_no)) == [five_ones.task.pk]
    assert ids(su.get("tasks", person=five_ones.leader.person.employee_no)) == [not_led.pk]
    assert su.get("tasks", view="theirs").status_code == 422


def test_the_task_list_is_paginated_after_the_light_filter(five_ones, personas, su):
    made = [make_task(five_ones, personas.superuser, f"任务{i}", issued=D(2026, 6, 1)) for i in range(5)]
    first = ok(su.get("tasks", light="red", page_size=2))
    third = ok(su.get("tasks", light="red", page_size=2, page=3))
    assert first["count"] == third["count"] == 5
    assert len(first["items"]) == 2 and len(third["items"]) == 1
    everything = ids(su.get("tasks", light="red"))
    assert set(everything) == {t.pk for t in made}
    assert [r["id"] for r in first["items"]] == everything[:2]


def test_a_parent_task_shows_its_own_light_and_the_lights_of_its_subtree(five_ones, personas, org, su):
    child = make_task(five_ones, personas.superuser, "子任务", parent=five_ones.task, lead_unit=org.dept,
                      responsible=org.worker, issued=D(2026, 6, 1))
    grandchild = make_task(five_ones, personas.superuser, "孙任务", parent=child, lead_unit=org.dept,
                           responsible=org.worker)
    rows = {r["id"]: r for r in ok(su.get("tasks"))["items"]}
    parent = rows[five_ones.task.pk]
    assert parent["light"] == "grey" and parent["has_children"]
    assert parent["subtree"]["red"] == 1 and parent["subtree"]["grey"] == 1 and sum(parent["subtree"].values()) == 2
    assert rows[child.pk]["subtree"]["grey"] == 1 and rows[grandchild.pk]["subtree"] is None
    only_children = ok(su.get("tasks", parent=five_ones.task.pk))["items"]
    assert [r["id"] for r in only_children] == [child.pk] and only_children[0]["has_children"]
    detail = ok(su.get(f"tasks/{five_ones.task.pk}"))
    assert [c["id"] for c in detail["children"]] == [child.pk]
    assert detail["children"][0]["light"] == "red" and detail["children"][0]["subtree"]["grey"] == 1
    assert detail["subtree"]["red"] == 1
    # The responsible person of the parent sees neither sub-task, so no roll-up either.
    mine = ok(api(five_ones.owner).get(f"tasks/{five_ones.task.pk}"))
    assert mine["has_children"] is False and mine["subtree"] is None and mine["children"] == []


# --- scope -----------------------------------------------------------------------------------------

def test_a_sibling_plants_admin_sees_nothing_of_the_plants_tasks(five_ones, lights, org):
    sibling_admin = f.user("sibadmin")
    f.grant(sibling_admin, f.ROLE.ADMIN, org.sibling)
    client = api(sibling_admin)
    assert ids(client.get("tasks")) == []
    assert ids(client.get("tasks", light="red")) == []
    assert client.get(f"tasks/{five_ones.task.pk}").status_code == 404
    assert client.get(f"tasks/{five_ones.task.pk}/reports").status_code == 404
    assert client.post(f"tasks/{five_ones.task.pk}/issue").status_code == 404
    assert Task.objects.get(pk=five_ones.task.pk).state == Task.State.DRAFT


def test_the_responsible_person_without_any_role_sees_their_task(five_ones, lights):
    client = api(five_ones.owner)
    assert set(ids(client.get("tasks"))) == {t.pk for t in lights.values()}
    body = ok(client.get(f"tasks/{five_ones.task.pk}"))
    assert body["responsible_name"] == "赵责任"
    assert client.get(f"plans/{five_ones.plan.pk}").status_code == 404  # the plan is HQ's


# --- one task ----------------------------------------------------------------------------------------

def test_a_task_shows_its_team_co_units_milestones_reports_and_extensions(five_ones, su):
    task = five_ones.task
    services.task_issue(actor=five_ones.leader, task=task, on=D(2026, 3, 2))
    services.task_acknowledge(actor=five_ones.owner, task=task, on=D(2026, 3, 3))
    services.progress_report(actor=five_ones.teammate, task=task, percent=40, text="方案已报批", problems="编制紧张",
                             on=D(2026, 4, 1))
    services.extension_request(actor=five_ones.owner, task=task, reason="等待批复", new_deadline=D(2026, 11, 30),
                               percent=40, on=D(2026, 6, 1))
    body = ok(su.get(f"tasks/{task.pk}"))
    assert body["co_units"] == [{"code": "HQ-ZZB", "name": "党委组织部"}]
    assert body["team"] == [{"employee_no": five_ones.teammate.person.employee_no, "name": "钱组员", "role": "组员"}]
    assert [(m["due"], m["description"], m["done_on"]) for m in body["milestones"]] == [
        ("2026-04-30", "完成方案审批", None), ("2026-08-31", "完成机构调整", None)]
    assert body["reports"][0]["percent"] == 40 and body["reports"][0]["reported_by"] == "teammate"
    assert body["reports"][0]["problems"] == "编制紧张"
    assert body["extensions"][0]["status"] == "pending" and body["extensions"][0]["new_deadline"] == "2026-11-30"
    assert body["acknowledged_by"] == "owner" and body["percent_complete"] == 40
    milestone_missed = next(m for m in body["failures"] if m["rule"] == "milestone_missed")
    assert milestone_missed["ref"] == body["milestones"][0]["id"] and milestone_missed["date"] == "2026-04-30"


def test_a_task_outside_the_scope_answers_404(five_ones, personas):
    assert api(personas.secretary).get(f"tasks/{five_ones.task.pk}").status_code == 404
    assert api(personas.outsider).get(f"tasks/{five_ones.task.pk}/extensions").status_code == 404
    assert api(personas.outsider).get("tasks/999999").status_code == 404


def _task_body(five_ones, org, **extra):
    return {"plan": five_ones.plan.pk, "number": "3", "name": "建立经理层任期制", "leader": five_ones.leader.person.employee_no,
            "lead_unit": "CY1-A1", "co_units": ["CY1-A1-T1"], "responsible": org.worker.employee_no,
            "start_date": "2026-07-01", "deadline": "2026-12-31", "cycle": "half_monthly",
            "team": [{"employee_no": org.worker.employee_no, "role": "组长"}],
            "milestones": [{"due": "2026-09-30", "description": "完成契约签订"}], **extra}


def test_a_task_is_created_with_its_team_and_milestones(five_ones, org, su):
    body = ok(su.post("tasks", _task_body(five_ones, org)), 201)
    task = Task.objects.get(pk=body["id"])
    assert task.state == Task.State.DRAFT and task.cycle == "half_monthly" and task.path == f"{task.pk}/"
    assert body["light"] == "grey" and body["lead_unit"] == "CY1-A1" and body["co_units"][0]["code"] == "CY1-A1-T1"
    assert body["team"] == [{"employee_no": org.worker.employee_no, "name": "王铁人", "role": "组长"}]
    assert [m["description"] for m in body["milestones"]] == ["完成契约签订"]
    child = ok(su.post("tasks", _task_body(five_ones, org, parent=task.pk, team=[], name="子任务")), 201)
    assert child["parent"] == task.pk and Task.objects.get(pk=child["id"]).path == f"{task.pk}/{child['id']}/"


def test_creating_a_task_refuses_references_outside_the_scope(five_ones, org, personas):
    plant_plan = services.plan_create(actor=personas.superuser, name="一厂方案", unit=org.plant)
    client = api(personas.plant_admin)
    good = _task_body(five_ones, org, plan=plant_plan.pk, leader=org.worker.employee_no)
    assert ok(client.post("tasks", good), 201)["plan"] == plant_plan.pk
    for field, value in (("plan", five_ones.plan.pk), ("lead_unit", "CY2-A1"), ("co_units", ["HQ-ZZB"]),
                         ("leader", five_ones.leader.person.employee_no), ("responsible", org.sib_worker.employee_no),
                         ("team", [{"employee_no": org.sib_worker.employee_no}]), ("parent", five_ones.task.pk)):
        response = client.post("tasks", {**good, field: value})
        assert response.status_code == 422 and field in response.json()["details"], (field, response.content)
    assert Task.objects.filter(plan=plant_plan).count() == 1
    assert api(personas.viewer).post("tasks", good).status_code == 403


def test_creating_a_task_reports_invalid_data_by_field(five_ones, org, su):
    twice = [{"employee_no": org.worker.employee_no}, {"employee_no": org.worker.employee_no, "role": "副组长"}]
    response = su.post("tasks", _task_body(five_ones, org, team=twice))
    assert response.status_code == 422 and "team" in response.json()["details"]
    response = su.post("tasks", _task_body(five_ones, org, start_date="2027-01-31"))
    assert response.status_code == 422 and "deadline" in response.json()["details"]
    other = services.plan_create(actor=f.system_user(), name="另一方案", unit=org.hq)
    response = su.post("tasks", _task_body(five_ones, org, plan=other.pk, parent=five_ones.task.pk))
    assert response.status_code == 422 and "parent" in response.json()["details"]
    response = su.post("tasks", {"plan": five_ones.plan.pk})
    assert response.status_code == 422 and {"name", "deadline", "leader"} <= set(response.json()["details"])


def test_a_task_is_edited_by_its_leader_and_not_by_its_owner(five_ones, org):
    body = ok(api(five_ones.leader).patch(f"tasks/{five_ones.task.pk}", {"name": "压减处级机构（调整）",
                                                                         "deadline": "2026-10-31"}))
    assert body["name"] == "压减处级机构（调整）" and body["deadline"] == "2026-10-31"
    assert api(five_ones.owner).patch(f"tasks/{five_ones.task.pk}", {"name": "x"}).status_code == 404
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 6, 1))
    response = api(five_ones.leader).patch(f"tasks/{five_ones.task.pk}", {"deadline": "2026-12-31"})
    assert response.status_code == 422 and "deadline" in response.json()["message"]
    su = api(f.user("root2", superuser=True))
    response = su.patch(f"tasks/{five_ones.task.pk}", {"lead_unit": "NOPE"})
    assert response.status_code == 422 and "lead_unit" in response.json()["details"]
    assert ok(su.patch(f"tasks/{five_ones.task.pk}", {"lead_unit": "HQ-ZZB"}))["lead_unit"] == "HQ-ZZB"


# --- the life of a task ------------------------------------------------------------------------------

def test_a_task_goes_from_issue_to_evaluation_through_the_api(five_ones):
    path = f"tasks/{five_ones.task.pk}"
    leader, owner, teammate = api(five_ones.leader), api(five_ones.owner), api(five_ones.teammate)
    body = ok(leader.post(f"{path}/issue", {"on": "2026-03-02"}))
    assert body["state"] == "issued" and body["baseline_deadline"] == "2026-09-30"
    assert ok(owner.post(f"{path}/acknowledge", {"on": "2026-03-03"}))["state"] == "acknowledged"
    report = ok(teammate.post(f"{path}/reports", {"percent": 30, "text": "方案已报批", "on": "2026-04-01"}), 201)
    assert report["percent"] == 30 and report["reported_by"] == "teammate"
    milestone = five_ones.task.milestones.first()
    body = ok(owner.post(f"{path}/milestones/{milestone.pk}/done", {"evidence": "批复文件", "on": "2026-04-28"}))
    assert body["milestones"][0]["done_on"] == "2026-04-28" and body["milestones"][0]["evidence"] == "批复文件"
    body = ok(owner.post(f"{path}/block", {"reason": "等待总部批复编制"}))
    assert body["blocked_since"] == "2026-06-30" and "blocked" in body["failure_modes"]
    assert "blocked" not in ok(owner.post(f"{path}/unblock"))["failure_modes"]
    assert ok(owner.post(f"{path}/completion", {"evidence": "机构调整文件"}))["state"] == "completion_submitted"
    body = ok(leader.post(f"{path}/completion/return", {"reason": "缺少人员安置方案"}))
    assert body["state"] == "returned" and body["return_reason"] == "缺少人员安置方案"
    ok(owner.post(f"{path}/completion", {"evidence": "补充安置方案"}))
    body = ok(leader.post(f"{path}/completion/accept"))
    assert body["state"] == "completed" and body["light"] == "done" and body["completion"] == "on_time"
    body = ok(leader.post(f"{path}/evaluate", {"evaluation": "excellent", "note": "成效明显"}))
    assert body["state"] == "closed" and body["evaluation"] == "excellent" and body["evaluation_note"] == "成效明显"
    actions = list(AuditEntry.objects.filter(object_type="tasks.task", object_id=str(five_ones.task.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions[1:] == ["task.issue", "task.acknowledge", "task.report", "task.milestone_done", "task.block",
                           "task.unblock", "task.submit_completion", "task.return", "task.submit_completion",
                           "task.complete", "task.evaluate"]


def test_reports_are_listed_newest_first(five_ones):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 3, 2))
    services.task_acknowledge(actor=five_ones.owner, task=five_ones.task, on=D(2026, 3, 3))
    owner = api(five_ones.owner)
    for day, percent in (("2026-04-01", 20), ("2026-05-01", 45)):
        ok(owner.post(f"tasks/{five_ones.task.pk}/reports", {"percent": percent, "text": "推进中", "on": day}), 201)
    body = ok(owner.get(f"tasks/{five_ones.task.pk}/reports"))
    assert body["count"] == 2 and [r["percent"] for r in body["items"]] == [45, 20]


def test_actions_default_to_today(five_ones):
    body = ok(api(five_ones.leader).post(f"tasks/{five_ones.task.pk}/issue"))
    assert body["issued_on"] == "2026-06-30" and body["acknowledge_by"] == "2026-07-02"


def test_a_step_out_of_order_or_with_bad_data_answers_422_with_details(five_ones):
    path = f"tasks/{five_ones.task.pk}"
    owner, leader = api(five_ones.owner), api(five_ones.leader)
    response = owner.post(f"{path}/acknowledge")
    assert response.status_code == 422 and response.json()["code"] == "invalid" and response.json()["message"]
    response = leader.post(f"{path}/issue", {"on": "2026-07-01"})
    assert response.status_code == 422 and "on" in response.json()["details"]
    ok(leader.post(f"{path}/issue", {"on": "2026-06-01"}))
    ok(owner.post(f"{path}/acknowledge", {"on": "2026-06-02"}))
    response = owner.post(f"{path}/reports", {"percent": 150, "text": "超额"})
    assert response.status_code == 422 and "percent" in response.json()["details"]
    response = owner.post(f"{path}/reports", {"percent": 10, "text": "早了", "on": "2026-06-01"})
    assert response.status_code == 422 and "on" in response.json()["details"]
    response = owner.post(f"{path}/block", {"reason": " "})
    assert response.status_code == 422 and "reason" in response.json()["details"]
    response = owner.post(f"{path}/completion", {"evidence": ""})
    assert response.status_code == 422 and "evidence" in response.json()["details"]
    response = leader.post(f"{path}/evaluate", {"evaluation": "brilliant"})
    assert response.status_code == 422 and "evaluation" in response.json()["details"]
    assert leader.post(f"{path}/evaluate", {"evaluation": "good"}).status_code == 422  # not completed


def test_steps_are_refused_to_whoever_may_not_take_them(five_ones, personas, org):
    path = f"tasks/{five_ones.task.pk}"
    owner, teammate = api(five_ones.owner), api(five_ones.teammate)
    assert owner.post(f"{path}/issue").status_code == 404
    ok(api(five_ones.leader).post(f"{path}/issue", {"on": "2026-06-01"}))
    assert teammate.post(f"{path}/acknowledge").status_code == 404
    assert api(personas.viewer).post(f"{path}/acknowledge").status_code == 404
    assert owner.post(f"{path}/cancel", {"reason": "不想做"}).status_code == 404
    assert Task.objects.get(pk=five_ones.task.pk).state == Task.State.ISSUED


def test_a_milestone_of_another_task_answers_404(five_ones, personas):
    other = make_task(five_ones, personas.superuser, "其他任务", milestones=[(D(2026, 9, 1), "节点")])
    milestone = other.milestones.get()
    response = api(personas.superuser).post(f"tasks/{five_ones.task.pk}/milestones/{milestone.pk}/done")
    assert response.status_code == 404


def test_an_extension_is_requested_listed_and_approved_keeping_the_baseline(five_ones):
    path = f"tasks/{five_ones.task.pk}"
    owner, leader = api(five_ones.owner), api(five_ones.leader)
    ok(leader.post(f"{path}/issue", {"on": "2026-03-02"}))
    ok(owner.post(f"{path}/acknowledge", {"on": "2026-03-03"}))
    body = ok(owner.post(f"{path}/extensions", {"reason": "审批延迟", "new_deadline": "2026-11-30", "percent": 50}), 201)
    assert body["status"] == "pending" and body["requested_by"] == "owner" and body["requested_on"] == "2026-06-30"
    again = owner.post(f"{path}/extensions", {"reason": "再次", "new_deadline": "2026-12-31", "percent": 50})
    assert again.status_code == 422
    assert ok(owner.get(f"{path}/extensions"))["count"] == 1
    assert owner.post(f"{path}/extensions/{body['id']}/decide", {"decision": "approved"}).status_code == 404
    decided = ok(leader.post(f"{path}/extensions/{body['id']}/decide", {"decision": "approved", "note": "同意"}))
    assert decided["status"] == "approved" and decided["decided_by"] == "leader" and decided["decision_note"] == "同意"
    task = ok(leader.get(path))
    assert task["deadline"] == "2026-11-30" and task["baseline_deadline"] == "2026-09-30"
    assert ok(leader.get(path, as_of="2026-06-29"))["deadline"] == "2026-09-30"
    response = leader.post(f"{path}/extensions/{body['id']}/decide", {"decision": "rejected"})
    assert response.status_code == 422 and response.json()["details"]["__all__"]


def test_a_rejected_extension_leaves_the_deadline(five_ones):
    path = f"tasks/{five_ones.task.pk}"
    ok(api(five_ones.leader).post(f"{path}/issue", {"on": "2026-03-02"}))
    body = ok(api(five_ones.owner).post(f"{path}/extensions", {"reason": "x", "new_deadline": "2026-10-31",
                                                                "percent": 10, "on": "2026-06-01"}), 201)
    decided = ok(api(five_ones.leader).post(f"{path}/extensions/{body['id']}/decide", {"decision": "rejected"}))
    assert decided["status"] == "rejected" and Extension.objects.get().decided_on == D(2026, 6, 30)
    assert ok(api(five_ones.leader).get(path))["deadline"] == "2026-09-30"
    response = api(five_ones.leader).post(f"{path}/extensions/{body['id']}/decide", {"decision": "maybe"})
    assert response.status_code == 422 and "decision" in response.json()["details"]


def test_a_cancelled_task_is_neither_red_nor_green(five_ones, lights):
    path = f"tasks/{lights['silent_red'].pk}"
    assert api(five_ones.owner).post(f"{path}/cancel", {"reason": "并入其他任务"}).status_code == 404
    response = api(five_ones.leader).post(f"{path}/cancel", {"reason": ""})
    assert response.status_code == 422 and "reason" in response.json()["details"]
    body = ok(api(five_ones.leader).post(f"{path}/cancel", {"reason": "并入其他任务"}))
    assert body["state"] == "cancelled" and body["light"] == "cancelled" and body["cancel_reason"] == "并入其他任务"
    assert body["failure_modes"] == []


def test_the_schema_documents_the_operations_in_the_mechanisms_terms(db):
    from ronghe.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    summaries = {op["operationId"]: op["summary"] for ops in schema["paths"].values() for op in ops.values()}
    for op, term in (("tasks_issue", "下达"), ("tasks_acknowledge", "签收"), ("tasks_report", "进展反馈"),
                     ("tasks_submit_completion", "办结申请"), ("tasks_return_completion", "退办"),
                     ("tasks_request_extension", "延期申请"), ("tasks_cancel", "作废"), ("tasks_evaluate", "评价")):
        assert term in summaries[op], op
    listing = schema["paths"]["/api/v1/tasks"]["get"]
    assert "scoped result" in listing["description"]
    assert {t["name"] for t in schema["tags"]} >= {"plans", "tasks"}
