"""The task ledger (督办台账): lights in colour, problems in words, the list's filters, and a file
that imports back as a decomposition table."""
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ronghe.core.workdays import Calendar
from ronghe.tasks import exporters, selectors, services
from ronghe.tasks.importers import TaskImporter
from ronghe.tasks.models import Plan, Task
from ronghe.tasks.rules import Light
from tests import factories as f
from tests.data.import_support import import_env  # noqa: F401

D = dt.date
URL = "/tasks/ledger/"


@pytest.fixture
def ledger(five_ones, org, personas):
    """Beside five_ones' task (issued on 06-01 and never acknowledged: red on 06-30), a
    sub-task due soon, a blocked one and a cancelled draft."""
    su, t = personas.superuser, five_ones.task
    services.task_issue(actor=su, task=t, on=D(2026, 6, 1))
    soon = services.task_create(actor=su, plan=five_ones.plan, parent=t, number="1.1", name="试点先行",
                                leader=t.leader, lead_unit=org.area, responsible=t.responsible,
                                start_date=D(2026, 6, 1), deadline=D(2026, 7, 2), co_units=[org.plant, org.dept],
                                milestones=[(D(2026, 6, 20), "完成试点方案")])
    services.task_issue(actor=su, task=soon, on=D(2026, 6, 1))
    services.task_acknowledge(actor=su, task=soon, on=D(2026, 6, 2))
    services.progress_report(actor=su, task=soon, percent=96, text="基本完成", on=D(2026, 6, 29))
    services.milestone_done(actor=su, milestone=soon.milestones.get(), on=D(2026, 6, 19))
    stuck = services.task_create(actor=su, plan=five_ones.plan, number="2", name="推行契约化管理", leader=t.leader,
                                 lead_unit=org.plant, responsible=t.responsible, start_date=D(2026, 6, 25),
                                 deadline=D(2026, 12, 31))
    services.task_issue(actor=su, task=stuck, on=D(2026, 6, 25))
    services.task_acknowledge(actor=su, task=stuck, on=D(2026, 6, 26))
    services.task_mark_blocked(actor=su, task=stuck, reason="待集团批复", on=D(2026, 6, 29))
    dropped = services.task_create(actor=su, plan=five_ones.plan, number="10", name="已并入第2项", leader=t.leader,
                                   lead_unit=org.plant, responsible=t.responsible, deadline=D(2026, 12, 31))
    services.task_cancel(actor=su, task=dropped, reason="并入第2项", on=D(2026, 6, 10))
    return five_ones


def sheet_of(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return workbook["督办台账"]


def table(sheet):
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[1]
    return [dict(zip(header, r, strict=True)) for r in rows[2:]]


def export(user, **query):
    rows = list(selectors.with_facts(selectors.tasks(user)))
    statuses = selectors.statuses(rows, D(2026, 6, 30), Calendar())
    rows = selectors.matching(rows, statuses, **query)
    return exporters.ledger_xlsx(rows, statuses, user)


def test_the_ledger_lists_tasks_in_plan_and_number_order_with_lights_and_problems(ledger, personas):
    sheet = sheet_of(export(personas.superuser))
    assert "2026-06-30" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == exporters.HEADERS
    assert sheet.freeze_panes == "D3" and sheet.auto_filter.ref == "A2:Q6"
    rows = table(sheet)
    assert [r["序号"] for r in rows] == ["1", "1.1", "2", "10"]
    one, soon, stuck, dropped = rows
    leader, owner = ledger.task.leader, ledger.task.responsible
    assert one["分管领导"] == f"万总（{leader.employee_no}）" and one["责任人"] == f"赵责任（{owner.employee_no}）"
    assert one["所属方案"] == "三项制度改革总方案" and one["牵头部门"] == "采油一厂" and one["配合部门"] == "党委组织部"
    assert one["灯"] == "Red (红灯)" and one["状态"] == "Issued (已下达)"
    assert one["问题"].splitlines()[0] == "No response (有部署无回音)：not acknowledged 20 working days after issue"
    assert "No progress (有计划无进展)：the node of 2026-04-30 is not done" in one["问题"]
    assert one["节点"] == "2026-04-30 完成方案审批\n2026-08-31 完成机构调整"
    assert one["原定时限"] == dt.datetime(2026, 9, 30)
    assert soon["灯"] == "Blue (蓝灯)" and soon["完成进度"] == 0.96
    assert soon["问题"] == "Due soon (临近到期)：deadline 2026-07-02, 2 working days away"
    assert soon["节点"] == "✓ 2026-06-20 完成试点方案" and soon["配合部门"] == "采油一厂、党委组织部"
    assert soon["最近反馈"] == dt.datetime(2026, 6, 29) and soon["下次反馈"] == dt.datetime(2026, 8, 1)
    assert stuck["灯"] == "Yellow (黄灯)" and stuck["问题"] == "Blocked (有安排实施不了)：blocked since 2026-06-29（待集团批复）"
    assert dropped["灯"] == "Cancelled (已作废)" and dropped["问题"] is None


def test_the_light_cells_are_filled_in_their_colours(ledger, personas):
    sheet = sheet_of(export(personas.superuser))
    column = exporters.HEADERS.index("灯") + 1
    fills = [sheet.cell(row=r, column=column).fill.fgColor.rgb[-6:] for r in range(3, 7)]
    assert fills == [exporters.LIGHT_STYLE[light][0] for light in (Light.RED, Light.BLUE, Light.YELLOW,
                                                                    Light.CANCELLED)]


def test_done_tasks_say_whether_they_were_on_time(five_ones, personas):
    su, task = personas.superuser, five_ones.task
    services.task_issue(actor=su, task=task, on=D(2026, 3, 1))
    services.task_acknowledge(actor=su, task=task, on=D(2026, 3, 2))
    services.completion_submit(actor=su, task=task, evidence="材料齐全", on=D(2026, 6, 1))
    services.completion_accept(actor=su, task=task, on=D(2026, 6, 2))
    row = table(sheet_of(export(su)))[0]
    assert row["灯"] == "Done on time (按期办结)" and row["状态"] == "Completed (已办结)"


def test_only_what_the_user_may_see_is_written_whatever_the_caller_passes(ledger, personas, org):
    outsider_plan = services.plan_create(actor=personas.superuser, name="二厂方案", unit=org.sibling)
    services.task_create(actor=personas.superuser, plan=outsider_plan, number="1", name="二厂任务",
                         leader=ledger.task.leader, lead_unit=org.area2, responsible=ledger.task.responsible,
                         deadline=D(2026, 12, 31))
    rows = list(selectors.with_facts(Task.objects.select_related("plan", "leader", "lead_unit", "responsible")))
    statuses = selectors.statuses(rows, D(2026, 6, 30), Calendar())
    names = [r["任务名称"] for r in table(sheet_of(exporters.ledger_xlsx(rows, statuses, personas.plant_admin)))]
    assert "二厂任务" not in names and "压减处级机构" in names


def test_the_ledger_imports_back_unchanged_and_into_a_new_plan(ledger, personas, tmp_path):
    content = export(personas.superuser)
    result = TaskImporter(actor=personas.superuser).run_file(content, "ledger.xlsx")
    assert result.as_text_lines() == []
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 4, "total": 4}
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["督办台账"]
    for row in sheet.iter_rows(min_row=3):
        row[1].value = "三项制度改革总方案（2027）"
    out = tmp_path / "copy.xlsx"
    workbook.save(out)
    result = TaskImporter(actor=None).run_file(out)
    assert result.as_text_lines() == [] and result.counts["created"] == 4
    copy = Plan.objects.get(name="三项制度改革总方案（2027）")
    copied = {t.number: t for t in copy.tasks.all()}
    assert copied["1.1"].parent == copied["1"] and copied["1.1"].co_units.count() == 2
    assert copied["1.1"].milestones.get().description == "完成试点方案" and copied["1.1"].milestones.get().done_on is None
    assert all(t.state == Task.State.DRAFT for t in copied.values())


def test_a_unit_name_shared_by_several_units_is_written_as_its_code(ledger, personas, org):
    f.unit("采油一厂", parent=org.sibling, code="CY2-X")
    row = table(sheet_of(export(personas.superuser)))[0]
    assert row["牵头部门"] == "CY1"


# --- the export URL --------------------------------------------------------------------------------

def test_the_url_takes_the_list_filters(ledger, client, personas):
    client.cookies["django_language"] = "en"
    client.force_login(personas.superuser)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="ledger-2026-06-30.xlsx"' in response["Content-Disposition"]
    assert len(table(sheet_of(response.content))) == 3  # like the list: cancelled tasks only when asked

    def numbers(**query):
        return [r["序号"] for r in table(sheet_of(client.get(URL, query).content))]

    assert numbers(light="red") == ["1"]
    assert numbers(failure_mode="blocked") == ["2"]
    assert numbers(failure_mode="no_response", as_of="2026-06-02") == []
    assert numbers(light="grey", as_of="2026-05-01", state="all") == ["1", "1.1", "2", "10"]  # 10 was a draft
    assert numbers(q="试点") == ["1.1"]
    assert numbers(q="1.") == ["1.1"]
    assert numbers(plan=str(ledger.plan.pk)) == ["1", "1.1", "2"]
    assert numbers(state="cancelled") == ["10"]
    assert numbers(unit="CY1-A1") == ["1.1"]
    assert numbers(person=ledger.owner.person.name, due_to="2026-09-30") == ["1", "1.1"]
    assert numbers(view="lead") == []  # the superuser leads nothing
    assert numbers(leader=str(ledger.task.leader_id), light="blue") == ["1.1"]
    assert numbers(plan="999999") == []
    for bad in ({"as_of": "yesterday"}, {"light": "purple"}, {"failure_mode": "lazy"}, {"plan": "x"},
                {"state": "lost"}, {"view": "theirs"}, {"due_from": "soon"}):
        assert client.get(URL, bad).status_code == 400, bad
    assert client.post(URL).status_code == 405


def test_the_url_lists_only_the_users_tasks(ledger, client, personas, org):
    client.force_login(personas.secretary)
    assert table(sheet_of(client.get(URL).content)) == []
    client.force_login(ledger.owner)  # the responsible person sees what they own
    assert len(table(sheet_of(client.get(URL, {"state": "all"}).content))) == 4


def test_the_export_takes_the_same_number_of_queries_for_10_or_200_tasks(five_ones, client, personas, org):
    su, task = personas.superuser, five_ones.task

    def add(n):
        for i in range(n):
            child = services.task_create(actor=su, plan=five_ones.plan, parent=task, number=f"1.{Task.objects.count()}",
                                         name=f"子任务{i}", leader=task.leader, lead_unit=org.area,
                                         responsible=task.responsible, deadline=D(2026, 9, 30), co_units=[org.dept],
                                         milestones=[(D(2026, 8, 1), "节点")])
            services.task_issue(actor=su, task=child, on=D(2026, 6, 1))

    client.force_login(personas.viewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    add(9)
    few = count()
    add(190)
    assert count() == few
    assert reverse("task_ledger_export") == URL
