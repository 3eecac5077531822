"""Pages of the Five-Ones mechanism: plans and their task trees, the chart, the task list and
board, the task page and its steps; scope, as-of dates, forms and their errors."""
import datetime as dt
import json
import re

import pytest

from ronghe.core.models import AuditEntry
from ronghe.tasks import services
from ronghe.tasks.models import Extension, Milestone, Plan, ProgressReport, Task
from tests import factories as f

D = dt.date


def text(response):
    return response.content.decode()


def rows_of(page, attribute="data-task"):
    return re.findall(rf'<tr {attribute}="(\d+)"', page)


@pytest.fixture
def tree(five_ones, org, personas):
    """The plan of `five_ones` as of 2026-06-30 with a light of every kind:
    1 压减处级机构 (red: a milestone missed), 1.1 (yellow: not acknowledged in time),
    1.2 (grey: a draft), 2 (blue: due soon), 3 (done on time)."""
    root = personas.superuser
    plan, owner, leader = five_ones.plan, five_ones.owner, five_ones.leader
    key = five_ones.task
    services.task_issue(actor=root, task=key, on=D(2026, 3, 2))
    services.task_acknowledge(actor=owner, task=key, on=D(2026, 3, 3))
    services.progress_report(actor=owner, task=key, percent=40, text="方案已起草", on=D(2026, 6, 15))
    common = {"actor": root, "plan": plan, "leader": leader.person, "responsible": owner.person}
    sub1 = services.task_create(**common, parent=key, number="1.1", name="制定机构调整方案", lead_unit=org.area,
                                start_date=D(2026, 6, 25), deadline=D(2026, 8, 31))
    services.task_issue(actor=root, task=sub1, on=D(2026, 6, 25))
    sub2 = services.task_create(**common, parent=key, number="1.2", name="人员分流安置", lead_unit=org.area,
                                deadline=D(2026, 9, 30))
    due = services.task_create(**common, number="2", name="三项制度改革宣传", lead_unit=org.plant,
                               start_date=D(2026, 5, 1), deadline=D(2026, 7, 2))
    services.task_issue(actor=root, task=due, on=D(2026, 5, 6))
    services.task_acknowledge(actor=owner, task=due, on=D(2026, 5, 6))
    services.progress_report(actor=owner, task=due, percent=90, text="基本完成", on=D(2026, 6, 20))
    done = services.task_create(**common, number="3", name="完成绩效考核", lead_unit=org.plant,
                                start_date=D(2026, 3, 1), deadline=D(2026, 6, 1))
    services.task_issue(actor=root, task=done, on=D(2026, 3, 2))
    services.task_acknowledge(actor=owner, task=done, on=D(2026, 3, 2))
    services.completion_submit(actor=owner, task=done, evidence="考核办法已印发", on=D(2026, 5, 28))
    services.completion_accept(actor=root, task=done)
    return type("Tree", (), {"plan": plan, "key": key, "sub1": sub1, "sub2": sub2, "due": due, "done": done})


# --- navigation and scope ------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_the_login_page(client, five_ones):
    task, plan = five_ones.task, five_ones.plan
    for url in ["/tasks/", "/tasks/board/", "/tasks/plans/", f"/tasks/plans/{plan.pk}/",
                f"/tasks/plans/{plan.pk}/chart/", f"/tasks/{task.pk}/", f"/tasks/{task.pk}/issue/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_every_logged_in_user_finds_key_tasks_in_the_sidebar(login, org, personas):
    page = text(login(personas.outsider).get("/"))
    assert 'href="/tasks/"' in page and "重点任务" in page


def test_plans_and_tasks_outside_the_scope_answer_404(login, five_ones, personas):
    client = login(personas.secretary)
    task, plan = five_ones.task, five_ones.plan
    for url in [f"/tasks/plans/{plan.pk}/", f"/tasks/plans/{plan.pk}/chart/", f"/tasks/plans/{plan.pk}/edit/",
                f"/tasks/plans/{plan.pk}/tasks/new/", f"/tasks/{task.pk}/", f"/tasks/{task.pk}/edit/",
                f"/tasks/{task.pk}/issue/"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "name": "x"}).status_code == 404, url
    assert Task.objects.get(pk=task.pk).state == Task.State.DRAFT


def test_the_responsible_person_reaches_the_plan_of_their_task_and_sees_only_their_tasks(login, tree, five_ones,
                                                                                       org, personas):
    other = f.person(org.sibling, name="孙外人")
    services.task_create(actor=personas.superuser, plan=tree.plan, number="4", name="别人的任务",
                         leader=five_ones.leader.person, lead_unit=org.area2, responsible=other,
                         deadline=D(2026, 12, 31))
    page = text(login(five_ones.owner).get(f"/tasks/plans/{tree.plan.pk}/"))
    assert "压减处级机构" in page and "别人的任务" not in page
    assert 'href="/tasks/plans/new/"' not in page


# --- plans ---------------------------------------------------------------------------------------

def test_the_plan_list_counts_each_plans_tasks_by_light(login, tree, personas):
    page = text(login(personas.viewer).get("/tasks/plans/"))
    row = page.split(f'data-plan="{tree.plan.pk}"')[1].split("</tr>")[0]
    assert "三项制度改革总方案" in row
    counts = dict(re.findall(r'data-light-count="(\w+)"><span[^>]*></span>(\d+)<', row))
    assert counts == {"red": "1", "yellow": "1", "blue": "1", "grey": "1", "done": "1"}


def test_the_plan_list_shows_nothing_to_an_outsider(login, tree, personas):
    page = text(login(personas.outsider).get("/tasks/plans/"))
    assert "三项制度改革总方案" not in page and 'id="plan-create"' not in page


def test_the_plan_page_shows_the_task_tree_with_lights_and_subtree_counts(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/plans/{tree.plan.pk}/"))
    assert rows_of(page) == [str(t.pk) for t in (tree.key, tree.sub1, tree.sub2, tree.due, tree.done)]
    key_row = page.split(f'<tr data-task="{tree.key.pk}"')[1].split("</tr>")[0]
    assert 'data-depth="0"' in key_row and 'data-light="red"' in key_row
    assert 'data-rollup="yellow"' in key_row and 'data-rollup="grey"' in key_row and 'data-mode="no_progress"' in key_row
    sub_row = page.split(f'<tr data-task="{tree.sub1.pk}"')[1].split("</tr>")[0]
    assert f'data-ancestors="{tree.key.pk}"' in sub_row and 'data-light="yellow"' in sub_row
    assert 'id="thresholds"' in page and "data-tree-level" in page


def test_the_plan_page_can_be_seen_as_of_an_earlier_date(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/plans/{tree.plan.pk}/", {"as_of": "2026-03-02"}))
    key_row = page.split(f'<tr data-task="{tree.key.pk}"')[1].split("</tr>")[0]
    assert 'data-light="green"' in key_row
    assert "2026年3月2日" in page


def test_a_bad_as_of_date_is_reported_and_today_is_shown(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/plans/{tree.plan.pk}/", {"as_of": "yesterday"}))
    assert "alert-danger" in page and 'data-light="red"' in page


def test_the_chart_embeds_bars_baselines_and_milestones(login, tree, five_ones, personas):
    services.extension_request(actor=five_ones.owner, task=tree.key, reason="机构调整需报批",
                               new_deadline=D(2026, 11, 30), percent=40, on=D(2026, 6, 20))
    services.extension_decide(actor=five_ones.leader, extension=tree.key.extensions.get(), approve=True,
                              on=D(2026, 6, 22))
    page = text(login(personas.viewer).get(f"/tasks/plans/{tree.plan.pk}/chart/"))
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert data["asOf"] == "2026-06-30"
    rows = {row["id"]: row for row in data["rows"]}
    assert list(rows) == [tree.key.pk, tree.sub1.pk, tree.sub2.pk, tree.due.pk, tree.done.pk]
    key = rows[tree.key.pk]
    assert key["start"] == "2026-03-01" and key["end"] == "2026-11-30" and key["baseline"] == "2026-09-30"
    assert key["light"] == "red" and key["hasChildren"] and key["percent"] == 40
    assert [m["done"] for m in key["milestones"]] == [False, False] and key["milestones"][0]["missed"]
    assert rows[tree.sub1.pk]["parent"] == tree.key.pk and rows[tree.sub1.pk]["depth"] == 1
    assert rows[tree.due.pk]["baseline"] is None
    assert "tasks-print.css" in page and "echarts.min.js" in page


def test_the_print_stylesheet_prints_a3_landscape(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("ronghe/tasks-print.css")).read()
    assert "size: A3 landscape" in css


def test_creating_a_plan_calls_the_service_and_opens_the_plan(login, org, personas):
    response = login(personas.plant_admin).post("/tasks/plans/new/", {
        "name": "一厂提质增效方案", "kind": "master", "unit": "CY1", "year": "2026", "ack_yellow_days": "1",
        "ack_red_days": "3", "report_grace_days": "2", "lag_yellow_points": "10", "lag_red_points": "30",
        "due_soon_days": "3"})
    plan = Plan.objects.get(name="一厂提质增效方案")
    assert response.status_code == 302 and response["Location"] == f"/tasks/plans/{plan.pk}/"
    assert plan.unit == org.plant and plan.ack_yellow_days == 1
    assert AuditEntry.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()


def test_a_plan_cannot_be_created_for_a_unit_outside_the_scope(login, org, personas):
    page = text(login(personas.plant_admin).post("/tasks/plans/new/", {
        "name": "越权方案", "kind": "master", "unit": "CY2", "ack_yellow_days": "2", "ack_red_days": "5",
        "report_grace_days": "2", "lag_yellow_points": "10", "lag_red_points": "30", "due_soon_days": "3"}))
    assert "invalid-feedback" in page and not Plan.objects.filter(name="越权方案").exists()


def test_thresholds_that_contradict_each_other_are_refused(login, org, personas):
    page = text(login(personas.superuser).post("/tasks/plans/new/", {
        "name": "阈值错乱", "kind": "master", "unit": "CY1", "ack_yellow_days": "5", "ack_red_days": "2",
        "report_grace_days": "2", "lag_yellow_points": "40", "lag_red_points": "30", "due_soon_days": "3"}))
    assert "invalid-feedback" in page.split('id="id_ack_red_days"')[1].split('<div class="mb-3">')[0]
    assert "invalid-feedback" in page.split('id="id_lag_red_points"')[1].split('<div class="mb-3">')[0]
    assert not Plan.objects.filter(name="阈值错乱").exists()


def test_a_sub_plan_decomposes_a_task(login, five_ones, org, personas):
    client = login(personas.superuser)
    form = text(client.get("/tasks/plans/new/", {"parent_task": five_ones.task.pk}))
    assert 'value="sub" selected' in form
    response = client.post("/tasks/plans/new/", {
        "name": "机构改革子方案", "kind": "master", "unit": "HQ-ZZB", "parent_task": five_ones.task.pk,
        "ack_yellow_days": "2", "ack_red_days": "5", "report_grace_days": "2", "lag_yellow_points": "10",
        "lag_red_points": "30", "due_soon_days": "3"})
    assert response.status_code == 200
    assert "invalid-feedback" in text(response).split('id="id_kind"')[1].split('<div class="mb-3">')[0]
    response = client.post("/tasks/plans/new/", {
        "name": "机构改革子方案", "kind": "sub", "unit": "HQ-ZZB", "parent_task": five_ones.task.pk,
        "ack_yellow_days": "2", "ack_red_days": "5", "report_grace_days": "2", "lag_yellow_points": "10",
        "lag_red_points": "30", "due_soon_days": "3"})
    sub = Plan.objects.get(name="机构改革子方案")
    assert response.status_code == 302 and sub.parent_task == five_ones.task
    assert "机构改革子方案" in text(client.get(f"/tasks/{five_ones.task.pk}/"))


def test_a_viewer_cannot_open_the_plan_forms(login, five_ones, personas):
    client = login(personas.viewer)
    assert client.get("/tasks/plans/new/").status_code == 404
    assert client.get(f"/tasks/plans/{five_ones.plan.pk}/edit/").status_code == 404
    assert client.get(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/").status_code == 404


def test_editing_a_plan_changes_its_thresholds_and_is_audited(login, five_ones, personas):
    client = login(personas.superuser)
    plan = five_ones.plan
    response = client.post(f"/tasks/plans/{plan.pk}/edit/", {
        "name": plan.name, "kind": "master", "unit": "HQ", "leader": "万总", "year": "2026",
        "ack_yellow_days": "1", "ack_red_days": "4", "report_grace_days": "2", "lag_yellow_points": "10",
        "lag_red_points": "30", "due_soon_days": "5"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.ack_yellow_days, plan.ack_red_days, plan.due_soon_days) == (1, 4, 5)
    entry = AuditEntry.objects.get(action="plan.update", object_id=str(plan.pk))
    assert set(entry.after) >= {"ack_yellow_days"} and entry.before["ack_yellow_days"] == 2


# --- tasks: create and edit ----------------------------------------------------------------------

def task_data(**changes):
    data = {"number": "5", "name": "建立市场化用工机制", "goal": "全员劳动合同管理", "measures": "修订制度",
            "leader": "万总", "lead_unit": "CY1-A1", "co_units": ["HQ-ZZB"], "responsible": "赵责任",
            "team": "钱组员 组长", "start_date": "2026-07-01", "deadline": "2026-12-31", "cycle": "monthly",
            "milestones": "2026-09-30 完成制度修订\n2026-11-30 全面推行", "priority": "high", "source": "改革例会"}
    return {**data, **changes}


def test_creating_a_task_saves_its_team_milestones_and_co_units(login, five_ones, org, personas):
    response = login(personas.superuser).post(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/", task_data())
    task = Task.objects.get(name="建立市场化用工机制")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert task.state == Task.State.DRAFT and task.leader == five_ones.leader.person
    assert list(task.co_units.all()) == [org.dept]
    assert [(m.person.name, m.role) for m in task.team.all()] == [("钱组员", "组长")]
    assert [(m.due, m.description) for m in task.milestones.all()] == [
        (D(2026, 9, 30), "完成制度修订"), (D(2026, 11, 30), "全面推行")]
    assert AuditEntry.objects.filter(action="task.create", object_id=str(task.pk)).exists()


def test_people_can_be_named_by_employee_number_or_name_with_number(login, five_ones, personas):
    owner = five_ones.owner.person
    data = task_data(responsible=f"{owner.name}（{owner.employee_no}）", leader=five_ones.leader.person.employee_no)
    assert login(personas.superuser).post(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/", data).status_code == 302
    assert Task.objects.get(name="建立市场化用工机制").responsible == owner


def test_task_form_errors_are_shown_line_by_line(login, five_ones, org, personas):
    f.person(org.team, name="赵责任")  # a namesake makes the bare name ambiguous
    page = text(login(personas.superuser).post(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/", task_data(
        milestones="2026-09-30 完成制度修订\n九月底 全面推行", team="无此人 组员")))
    assert page.count("invalid-feedback") >= 3
    assert "2" in page.split('id="id_milestones"')[1] and "无此人" in page
    assert not Task.objects.filter(name="建立市场化用工机制").exists()


def test_a_person_named_twice_in_the_team_is_refused_on_the_form(login, five_ones, personas):
    page = text(login(personas.superuser).post(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/", task_data(
        team="钱组员 组长\n钱组员 组员")))
    assert "invalid-feedback" in page.split('id="id_team"')[1].split('<div class="mb-3">')[0]
    assert not Task.objects.filter(name="建立市场化用工机制").exists()


def test_the_model_rules_of_a_task_show_on_its_form(login, five_ones, personas):
    page = text(login(personas.superuser).post(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/", task_data(
        start_date="2027-01-01")))
    deadline = page.split('id="id_deadline"')[1].split('<div class="mb-3">')[0]
    assert "invalid-feedback" in deadline
    assert not Task.objects.filter(name="建立市场化用工机制").exists()


def test_a_new_sub_task_starts_from_its_parent(login, five_ones, personas):
    page = text(login(personas.superuser).get(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/",
                                              {"parent": five_ones.task.pk}))
    assert 'name="number" value="1.1"' in page
    assert f'<option value="{five_ones.task.pk}" selected>' in page


def test_the_plant_admin_cannot_add_tasks_to_the_headquarters_plan(login, five_ones, personas):
    response = login(personas.plant_admin).post(f"/tasks/plans/{five_ones.plan.pk}/tasks/new/", task_data())
    assert response.status_code == 404 and not Task.objects.filter(name="建立市场化用工机制").exists()


def test_editing_a_draft_task_may_move_its_deadline(login, five_ones):
    task = five_ones.task
    client = login(five_ones.leader)
    assert 'name="deadline"' in text(client.get(f"/tasks/{task.pk}/edit/"))
    data = {"number": "1", "name": "压减处级机构（修订）", "leader": "万总", "lead_unit": "CY1",
            "responsible": "赵责任", "start_date": "2026-03-01", "deadline": "2026-10-31", "cycle": "monthly",
            "priority": "normal"}
    response = client.post(f"/tasks/{task.pk}/edit/", data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.name == "压减处级机构（修订）" and task.deadline == D(2026, 10, 31)
    entry = AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).get()
    assert set(entry.after) >= {"name", "deadline"} and entry.before["name"] == "压减处级机构"


def test_the_lead_unit_can_only_move_within_the_editors_scope(login, five_ones):
    data = {"name": "压减处级机构", "leader": "万总", "lead_unit": "CY2", "responsible": "赵责任",
            "deadline": "2026-09-30", "cycle": "monthly", "priority": "normal"}
    page = text(login(five_ones.leader).post(f"/tasks/{five_ones.task.pk}/edit/", data))
    assert "invalid-feedback" in page.split('id="id_lead_unit"')[1].split('<div class="mb-3">')[0]
    five_ones.task.refresh_from_db()
    assert five_ones.task.lead_unit.code == "CY1"


def test_an_issued_task_has_no_deadline_field_to_edit(login, five_ones, personas):
    services.task_issue(actor=personas.superuser, task=five_ones.task)
    assert 'name="deadline"' not in text(login(personas.superuser).get(f"/tasks/{five_ones.task.pk}/edit/"))


def test_only_a_supervisor_may_edit_a_task(login, five_ones):
    assert login(five_ones.owner).get(f"/tasks/{five_ones.task.pk}/edit/").status_code == 404


def test_people_suggestions_stay_within_the_scope(login, five_ones, org, personas):
    page = text(login(personas.plant_admin).get("/tasks/people/", {"q": "赵"}))
    assert "赵责任(" in page
    assert text(login(personas.plant_admin).get("/tasks/people/", {"q": "李"})).strip() == ""  # the sibling plant's
    assert text(login(personas.plant_admin).get("/tasks/people/")).strip() == ""


# --- the task list and the board -----------------------------------------------------------------

def test_the_list_shows_the_lights_worst_first(login, tree, personas):
    page = text(login(personas.viewer).get("/tasks/"))
    assert rows_of(page) == [str(t.pk) for t in (tree.key, tree.sub1, tree.due, tree.sub2, tree.done)]
    counts = dict(re.findall(r'data-light-count="(\w+)">.*?<span class="badge[^"]*">(\d+)<', page, re.S))
    assert counts["red"] == "1" and counts["green"] == "0" and counts["done"] == "1"


@pytest.mark.parametrize(("query", "expected"), [
    ({"light": "yellow"}, ["sub1"]),
    ({"failure_mode": "due_soon"}, ["due"]),
    ({"failure_mode": "no_response"}, ["sub1"]),
    ({"state": "draft"}, ["sub2"]),
    ({"state": "open", "sort": "number"}, ["key", "sub1", "sub2", "due"]),
    ({"q": "宣传"}, ["due"]),
    ({"unit": "CY1-A1", "sort": "number"}, ["sub1", "sub2"]),
    ({"due_from": "2026-06-01", "due_to": "2026-07-31", "sort": "deadline"}, ["done", "due"]),
    ({"sort": "-deadline"}, ["sub2", "key", "sub1", "due", "done"]),
    ({"sort": "-percent"}, ["done", "due", "key", "sub1", "sub2"]),
])
def test_the_list_filters_and_sorts(login, tree, personas, query, expected):
    page = text(login(personas.viewer).get("/tasks/", query))
    got = rows_of(page)
    if query.get("sort") == "-percent":
        got = got[:2]
        expected = expected[:2]
    assert got == [str(getattr(tree, name).pk) for name in expected]


def test_the_list_filters_by_plan_leader_and_person(login, tree, five_ones, org, personas):
    other_plan = services.plan_create(actor=personas.superuser, name="油公司模式改革总方案", unit=org.hq)
    stranger = f.person(org.plant, name="周主任")
    services.task_create(actor=personas.superuser, plan=other_plan, name="另一方案的任务", leader=stranger,
                         lead_unit=org.plant, responsible=stranger, deadline=D(2026, 12, 31))
    client = login(personas.viewer)
    assert len(rows_of(text(client.get("/tasks/", {"plan": tree.plan.pk})))) == 5
    assert len(rows_of(text(client.get("/tasks/", {"leader": stranger.pk})))) == 1
    assert len(rows_of(text(client.get("/tasks/", {"person": "周主任"})))) == 1
    services.task_create(actor=personas.superuser, plan=tree.plan, name="小组任务", leader=stranger,
                         lead_unit=org.plant, responsible=stranger, deadline=D(2026, 12, 31),
                         team=[(five_ones.teammate.person, "组员")])
    by_team = rows_of(text(client.get("/tasks/", {"person": five_ones.teammate.person.employee_no})))
    assert len(by_team) == 2  # the key task's team and the new one's


def test_an_unknown_unit_in_the_filter_is_said_so(login, tree, personas):
    page = text(login(personas.plant_admin).get("/tasks/", {"unit": "CY2"}))
    assert rows_of(page) == [] and "text-danger" in page


def test_saved_views_show_my_tasks_my_teams_tasks_and_those_i_lead(login, tree, five_ones, org, personas):
    services.task_create(actor=personas.superuser, plan=tree.plan, name="小组任务", leader=five_ones.owner.person,
                         lead_unit=org.plant, responsible=five_ones.leader.person, deadline=D(2026, 12, 31),
                         team=[(five_ones.teammate.person, "组员")])
    owner = login(five_ones.owner)
    assert len(rows_of(text(owner.get("/tasks/", {"view": "mine"})))) == 5
    assert len(rows_of(text(owner.get("/tasks/", {"view": "lead"})))) == 1
    teammate = login(five_ones.teammate)
    page = text(teammate.get("/tasks/", {"view": "team"}))
    assert len(rows_of(page)) == 2 and 'id="saved-views"' in page  # the key task's team and the new one's


def test_the_list_as_of_a_later_date_turns_an_unreported_task_red(login, tree, personas):
    client = login(personas.viewer)
    assert 'data-light="blue"' in text(client.get("/tasks/", {"q": "宣传"}))
    assert 'data-light="red"' in text(client.get("/tasks/", {"q": "宣传", "as_of": "2026-07-10"}))


def test_the_list_paginates(login, five_ones, org, personas):
    for i in range(55):
        services.task_create(actor=personas.superuser, plan=five_ones.plan, name=f"批量任务{i}",
                             leader=five_ones.leader.person, lead_unit=org.plant,
                             responsible=five_ones.owner.person, deadline=D(2026, 12, 31))
    client = login(personas.viewer)
    assert len(rows_of(text(client.get("/tasks/")))) == 50
    assert len(rows_of(text(client.get("/tasks/", {"page": 2})))) == 6


def test_the_board_puts_each_task_in_the_column_of_its_light(login, tree, personas):
    page = text(login(personas.viewer).get("/tasks/board/"))
    columns = dict(re.findall(r'data-column="(\w+)">(.*?)</section>', page, re.S))
    assert list(columns) == ["red", "yellow", "blue", "green", "grey", "done"]
    for name, light in [("key", "red"), ("sub1", "yellow"), ("due", "blue"), ("sub2", "grey"), ("done", "done")]:
        assert f'data-task="{getattr(tree, name).pk}"' in columns[light], name
    assert "data-task" not in columns["green"]


# --- the task page -------------------------------------------------------------------------------

def test_the_task_page_explains_each_failure_mode_in_words(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/{tree.sub1.pk}/"))
    assert 'data-light="yellow"' in page
    assert "签收已逾期 1 个工作日" in page
    key = text(login(personas.viewer).get(f"/tasks/{tree.key.pk}/"))
    assert "完成方案审批" in key.split('id="failure-modes"')[1].split("</div>\n      {% ")[0]
    assert 'id="sub-tasks"' in key and "钱组员" in key.split('id="team"')[1]


def test_the_task_page_shows_everything_about_the_task(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/{tree.key.pk}/"))
    for part in ["压减处级机构", "万总", "采油一厂", "党委组织部", "赵责任", "2026年9月30日", "方案已起草",
                 'id="milestones"', 'id="reports"', 'id="extensions"', 'id="audit-trail"', 'id="team"']:
        assert part in page, part


def test_a_viewer_is_offered_no_step(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/{tree.sub1.pk}/"))
    assert 'id="task-steps"' not in page and f'href="/tasks/{tree.sub1.pk}/edit/"' not in page


def test_the_steps_offered_follow_the_viewers_part_and_the_state(login, tree, five_ones):
    steps = lambda user, task: re.findall(r'data-step="(\w+)"', text(login(user).get(f"/tasks/{task.pk}/")))  # noqa: E731
    assert steps(five_ones.owner, tree.sub1) == ["acknowledge", "block", "extend"]
    assert steps(five_ones.leader, tree.sub1) == ["chase", "cancel"]
    assert steps(five_ones.leader, tree.sub2) == ["issue", "cancel"]
    assert steps(five_ones.owner, tree.key) == ["report", "milestone", "submit", "block", "extend"]
    assert steps(five_ones.teammate, tree.key) == ["report", "milestone"]
    assert steps(five_ones.leader, tree.done) == ["evaluate"]


def test_the_task_page_can_be_seen_as_of_a_date(login, tree, personas):
    page = text(login(personas.viewer).get(f"/tasks/{tree.done.pk}/", {"as_of": "2026-03-02"}))
    assert 'data-light="green"' in page.split('id="task-status"')[1]


# --- the steps of a task's life ------------------------------------------------------------------

def post(client, task, step, **data):
    return client.post(f"/tasks/{task.pk}/{step}/", data)


def test_the_leader_issues_and_the_owner_acknowledges_reports_and_completes(login, five_ones):
    task = five_ones.task
    leader, owner = login(five_ones.leader), None
    response = post(leader, task, "issue")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    task.refresh_from_db()
    assert task.state == Task.State.ISSUED and task.issued_on == D(2026, 6, 30)
    owner = login(five_ones.owner)
    assert post(owner, task, "acknowledge").status_code == 302
    assert post(owner, task, "report", percent="30", text="已完成调研", problems="编制待批").status_code == 302
    report = ProgressReport.objects.get(task=task)
    assert (report.percent, report.problems, report.reported_by) == (30, "编制待批", five_ones.owner)
    milestone = task.milestones.first()
    assert post(owner, task, "milestone", milestone=milestone.pk, evidence="批复文件").status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == D(2026, 6, 30) and milestone.evidence == "批复文件"
    assert post(owner, task, "submit", evidence="机构调整文件已印发").status_code == 302
    leader = login(five_ones.leader)
    assert post(leader, task, "return", reason="缺少人员安置材料").status_code == 302
    task.refresh_from_db()
    assert task.state == Task.State.RETURNED and task.return_reason == "缺少人员安置材料"
    owner = login(five_ones.owner)
    assert post(owner, task, "submit", evidence="补充材料").status_code == 302
    leader = login(five_ones.leader)
    assert post(leader, task, "accept").status_code == 302
    assert post(leader, task, "evaluate", evaluation="good", note="按期完成").status_code == 302
    task.refresh_from_db()
    assert task.state == Task.State.CLOSED and task.evaluation == "good"
    actions = list(AuditEntry.objects.filter(object_id=str(task.pk), object_type="tasks.task")
                   .order_by("pk").values_list("action", flat=True))
    assert actions[1:] == ["task.issue", "task.acknowledge", "task.report", "task.milestone_done",
                           "task.submit_completion", "task.return", "task.submit_completion", "task.complete",
                           "task.evaluate"]


def test_blocking_unblocking_and_extensions(login, five_ones):
    task = five_ones.task
    services.task_issue(actor=five_ones.leader.person and five_ones.leader, task=task, on=D(2026, 6, 1))
    owner = login(five_ones.owner)
    assert post(owner, task, "block", reason="编制指标未下达").status_code == 302
    task.refresh_from_db()
    assert task.blocked_since == D(2026, 6, 30)
    page = text(owner.get(f"/tasks/{task.pk}/"))
    assert 'data-mode="blocked"' in page and "编制指标未下达" in page
    assert post(owner, task, "unblock").status_code == 302
    task.refresh_from_db()
    assert task.blocked_since is None
    assert post(owner, task, "extend", new_deadline="2026-12-31", percent="20", reason="等待批复").status_code == 302
    leader = login(five_ones.leader)
    assert 'data-step="decide"' in text(leader.get(f"/tasks/{task.pk}/"))
    assert post(leader, task, "decide", decision="approve", note="同意").status_code == 302
    task.refresh_from_db()
    assert task.deadline == D(2026, 12, 31) and task.baseline_deadline == D(2026, 9, 30)
    assert Extension.objects.get(task=task).status == Extension.Status.APPROVED


def test_cancelling_needs_a_reason(login, five_ones):
    leader = login(five_ones.leader)
    page = text(post(leader, five_ones.task, "cancel", reason=""))
    assert "invalid-feedback" in page
    assert post(leader, five_ones.task, "cancel", reason="并入其他任务").status_code == 302
    five_ones.task.refresh_from_db()
    assert five_ones.task.state == Task.State.CANCELLED


def test_a_service_refusal_shows_on_the_step_form(login, five_ones):
    services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 6, 10))
    owner = login(five_ones.owner)
    page = text(post(owner, five_ones.task, "acknowledge", on="2026-06-01"))
    on_field = page.split('id="id_on"')[1].split('<div class="mb-3">')[0]
    assert "invalid-feedback" in on_field
    page = text(post(owner, five_ones.task, "report", percent="30", text="x"))
    assert "alert-danger" in page  # not acknowledged yet: the state forbids it
    assert not ProgressReport.objects.exists()


def test_form_errors_show_on_the_step_form(login, five_ones):
    services.task_issue(actor=five_ones.leader, task=five_ones.task)
    services.task_acknowledge(actor=five_ones.owner, task=five_ones.task)
    page = text(post(login(five_ones.owner), five_ones.task, "report", percent="120", text=""))
    assert page.count("invalid-feedback") == 2 and not ProgressReport.objects.exists()
    page = text(post(login(five_ones.owner), five_ones.task, "extend", new_deadline="2026-01-01", percent="10",
                     reason="x"))
    assert "invalid-feedback" in page.split('id="id_new_deadline"')[1].split('<div class="mb-3">')[0]


def test_a_step_outside_ones_part_answers_404_and_changes_nothing(login, five_ones, personas):
    task = five_ones.task
    assert post(login(five_ones.owner), task, "issue").status_code == 404
    assert post(login(five_ones.teammate), task, "cancel", reason="x").status_code == 404
    assert post(login(personas.viewer), task, "issue").status_code == 404
    task.refresh_from_db()
    assert task.state == Task.State.DRAFT


def test_a_step_not_possible_now_sends_back_to_the_task_with_a_warning(login, five_ones):
    response = login(five_ones.leader).get(f"/tasks/{five_ones.task.pk}/accept/", follow=True)
    assert response.redirect_chain[-1][0] == f"/tasks/{five_ones.task.pk}/"
    assert "alert-warning" in text(response)


def test_a_step_page_offers_its_form_on_its_own(login, five_ones):
    page = text(login(five_ones.leader).get(f"/tasks/{five_ones.task.pk}/issue/"))
    assert 'id="step-form"' in page and 'name="on"' in page


def test_the_milestone_form_offers_only_the_tasks_open_milestones(login, five_ones, org, personas):
    services.task_issue(actor=five_ones.leader, task=five_ones.task)
    services.task_acknowledge(actor=five_ones.owner, task=five_ones.task)
    other = services.task_create(actor=personas.superuser, plan=five_ones.plan, name="别的", leader=five_ones.leader.person,
                                 lead_unit=org.plant, responsible=five_ones.owner.person, deadline=D(2026, 12, 31),
                                 milestones=[(D(2026, 7, 1), "别的节点")])
    foreign = Milestone.objects.get(task=other)
    page = text(post(login(five_ones.owner), five_ones.task, "milestone", milestone=foreign.pk))
    assert "invalid-feedback" in page
    foreign.refresh_from_db()
    assert foreign.done_on is None
