"""The decomposition table (重点任务分解表): files in, draft task trees out, every bad row named."""
import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ronghe.core.models import AuditEntry
from ronghe.org import services as org_services
from ronghe.tasks import services
from ronghe.tasks.importers import TaskImporter, canonical_number, parse_nodes
from ronghe.tasks.models import Milestone, Plan, Task, TeamMember
from tests import factories as f
from tests.data import files
from tests.data.import_support import import_env  # noqa: F401

D = dt.date
HEADER = ["序号*", "所属方案*", "任务名称*", "工作目标", "主要措施", "分管领导*", "牵头部门*", "配合部门", "责任人*",
          "专项领导小组成员", "开始日期", "完成时限*", "节点", "汇报周期"]
PLAN = "三项制度改革总方案"


@pytest.fixture
def table(org, personas, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    people = SimpleNamespace(
        leader=f.person(org.hq, name="万总"),
        owner=f.person(org.dept, name="赵责任"),
        member=f.person(org.area, name="钱组员"),
        twin_a=f.person(org.plant, name="王伟"),
        twin_b=f.person(org.sibling, name="王伟"),
    )
    f.unit("综合科", parent=org.plant, code="CY1-ZH")
    f.unit("综合科", parent=org.sibling, code="CY2-ZH")
    plan = services.plan_create(actor=personas.superuser, name=PLAN, unit=org.hq, leader=people.leader, year=2026)
    return SimpleNamespace(org=org, personas=personas, people=people, plan=plan)


def row(number, name, **overrides):
    values = {"序号*": number, "所属方案*": PLAN, "任务名称*": name, "工作目标": "", "主要措施": "",
              "分管领导*": "万总", "牵头部门*": "HQ-ZZB", "配合部门": "", "责任人*": "赵责任", "专项领导小组成员": "",
              "开始日期": D(2026, 3, 1), "完成时限*": D(2026, 12, 31), "节点": "", "汇报周期": "每月"}
    values.update(overrides)
    return [values[h] for h in HEADER]


def good_rows(t):
    return [
        HEADER,
        row("1", "优化机构设置", **{"工作目标": "机构压减20%", "主要措施": "分批实施", "配合部门": "采油一厂、CY2",
                                 "专项领导小组成员": "组长：万总；副组长：赵责任、钱组员",
                                 "节点": "2026-03-31 完成方案审批\n2026/6/30 完成机构调整"}),
        row("1.1", "压减二级单位机构", **{"分管领导*": f"万总({t.people.leader.employee_no})",
                                   "责任人*": t.people.owner.employee_no, "汇报周期": "每半月"}),
        row("1.1.1", "试点单位先行", **{"牵头部门*": "作业一区", "完成时限*": D(2026, 9, 30)}),
        row("2", "推行任期制和契约化管理", **{"开始日期": None, "汇报周期": ""}),
    ]


def run(actor, rows, dry_run=False):
    return TaskImporter(actor=actor, dry_run=dry_run).run_rows(
        [dict(zip(rows[0], r, strict=True)) for r in rows[1:]], source_name="分解表.xlsx")


def lines(result):
    return result.as_text_lines()


def test_it_creates_the_task_tree_as_drafts_with_team_units_and_milestones(table, tmp_path):
    path = files.xlsx(tmp_path / "分解表.xlsx", good_rows(table))
    result = TaskImporter(actor=table.personas.superuser).run_file(path)
    assert lines(result) == []
    assert result.counts == {"created": 4, "updated": 0, "unchanged": 0, "total": 4}
    tasks = {t.number: t for t in Task.objects.filter(plan=table.plan)}
    assert set(tasks) == {"1", "1.1", "1.1.1", "2"}
    assert all(t.state == Task.State.DRAFT for t in tasks.values())
    one, sub, leaf = tasks["1"], tasks["1.1"], tasks["1.1.1"]
    assert sub.parent == one and leaf.parent == sub and tasks["2"].parent is None
    assert leaf.path == f"{one.pk}/{sub.pk}/{leaf.pk}/"
    assert one.goal == "机构压减20%" and one.measures == "分批实施"
    assert set(one.co_units.values_list("code", flat=True)) == {"CY1", "CY2"}
    assert set(one.team.values_list("person__name", "role")) == {("万总", "组长"), ("赵责任", "副组长"), ("钱组员", "")}
    assert list(one.milestones.values_list("due", "description")) == [(D(2026, 3, 31), "完成方案审批"),
                                                                      (D(2026, 6, 30), "完成机构调整")]
    assert sub.cycle == "half_monthly" and tasks["2"].cycle == "monthly" and tasks["2"].start_date is None
    assert sub.leader == table.people.leader and sub.responsible == table.people.owner
    assert leaf.lead_unit == table.org.area and leaf.deadline == D(2026, 9, 30)


def test_one_batch_audit_entry_records_the_import(table):
    run(table.personas.superuser, good_rows(table))
    entry = AuditEntry.objects.get(action="import.tasks")
    assert entry.actor == table.personas.superuser and entry.unit == table.org.hq
    assert entry.after["counts"]["created"] == 4
    assert not AuditEntry.objects.filter(action="task.create").exists()


def test_a_csv_in_gbk_and_an_xls_import_alike(table, tmp_path):
    rows = [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in good_rows(table)]
    result = TaskImporter(actor=table.personas.superuser, dry_run=True).run_file(
        files.csv_file(tmp_path / "t.csv", rows, "gbk"))
    assert lines(result) == [] and result.counts["created"] == 4
    result = TaskImporter(actor=table.personas.superuser).run_file(files.xls(tmp_path / "t.xls", rows))
    assert lines(result) == [] and Task.objects.filter(plan=table.plan).count() == 4


def test_a_dry_run_writes_nothing(table):
    result = run(table.personas.superuser, good_rows(table), dry_run=True)
    assert result.ok and result.counts["created"] == 4
    assert not Task.objects.exists() and not AuditEntry.objects.filter(action="import.tasks").exists()


def test_importing_the_same_file_again_changes_nothing(table):
    run(table.personas.superuser, good_rows(table))
    result = run(table.personas.superuser, good_rows(table))
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 4, "total": 4}
    assert Task.objects.count() == 4 and TeamMember.objects.count() == 3 and Milestone.objects.count() == 2


def test_a_changed_file_updates_the_drafts_by_plan_and_number(table):
    run(table.personas.superuser, good_rows(table))
    rows = good_rows(table)
    rows[1] = row("1", "优化机关机构设置", **{"配合部门": "CY2", "专项领导小组成员": "组长：万总",
                                       "节点": "2026-04-30 完成方案审批"})
    rows.append(row("2.1", "制定契约化管理办法", **{"开始日期": None}))
    result = run(table.personas.superuser, rows)
    assert lines(result) == []
    assert result.counts == {"created": 1, "updated": 1, "unchanged": 3, "total": 5}
    one = Task.objects.get(plan=table.plan, number="1")
    assert one.name == "优化机关机构设置" and one.goal == ""
    assert list(one.co_units.values_list("code", flat=True)) == ["CY2"]
    assert list(one.team.values_list("person__name", "role")) == [("万总", "组长")]
    assert list(one.milestones.values_list("due", flat=True)) == [D(2026, 4, 30)]
    assert Task.objects.get(number="2.1").parent == Task.objects.get(plan=table.plan, number="2")
    assert Task.objects.count() == 5


def test_absent_columns_leave_stored_values_alone(table):
    run(table.personas.superuser, good_rows(table))
    short = ["序号", "所属方案", "任务名称", "分管领导", "牵头部门", "责任人", "完成时限"]
    rows = [short, ["1", PLAN, "优化机构设置（修订）", "万总", "HQ-ZZB", "赵责任", D(2026, 12, 31)]]
    result = run(table.personas.superuser, rows)
    assert lines(result) == [] and result.counts["updated"] == 1
    one = Task.objects.get(plan=table.plan, number="1")
    assert one.name == "优化机构设置（修订）" and one.goal == "机构压减20%" and one.milestones.count() == 2
    assert one.team.count() == 3 and one.co_units.count() == 2


def test_an_issued_task_is_unchanged_by_the_same_row_and_refuses_a_different_one(table):
    run(table.personas.superuser, good_rows(table))
    services.task_issue(actor=table.personas.superuser, task=Task.objects.get(plan=table.plan, number="2"))
    assert run(table.personas.superuser, good_rows(table)).counts["unchanged"] == 4
    rows = good_rows(table)
    rows[4] = row("2", "推行任期制", **{"开始日期": None, "汇报周期": "", "完成时限*": D(2027, 3, 31)})
    result = run(table.personas.superuser, rows)
    assert lines(result) == ["Row 5: The task “2” is “Issued (已下达)”: an import changes drafts only "
                             "(here: 任务名称、完成时限)."]
    assert Task.objects.get(plan=table.plan, number="2").name == "推行任期制和契约化管理"


def test_every_bad_row_is_named_and_nothing_is_written(table):
    w = table.people
    rows = [
        HEADER,
        row("1", "好任务"),
        row("1", "重复序号"),
        row("3.1", "没有上级"),
        row("4", "时限早于开始", **{"完成时限*": D(2026, 2, 1)}),
        row("5", "节点超出", **{"节点": "2026-02-01 太早；2026-05-01 正常"}),
        row("6", "周期不对", **{"汇报周期": "每年"}),
        row("7", "无此人", **{"责任人*": "查无此人"}),
        row("8", "重名", **{"责任人*": "王伟"}),
        row("9", "工号不符", **{"分管领导*": f"李四({w.twin_a.employee_no})"}),
        row("10", "部门重名", **{"牵头部门*": "综合科", "配合部门": "无此部门"}),
        row("11", "序号不对", **{"序号*": "一"}),
        row("12", "节点无内容", **{"节点": "2026-05-01"}),
    ]
    before = Task.objects.count()
    result = run(table.personas.superuser, rows)
    assert lines(result) == [
        "Row 3 [序号]: “1” appears more than once in the plan “三项制度改革总方案” (also row 2).",
        "Row 4 [序号]: Its parent “3” is neither in the file nor in the plan.",
        "Row 5 [完成时限]: The deadline cannot be before the start date.",
        "Row 6 [节点]: The node of 2026-02-01 lies outside the task's dates (2026-03-01 – 2026-12-31).",
        "Row 7 [汇报周期]: “每年” is not one of: 每周、每半月、每月、每季度.",
        "Row 8 [责任人]: No person “查无此人”: write an employee number (工号) or a name.",
        f"Row 9 [责任人]: “王伟” could be 王伟（{w.twin_a.employee_no}，采油一厂）、王伟（{w.twin_b.employee_no}，"
        "采油二厂）: write 姓名(工号).",
        f"Row 10 [分管领导]: {w.twin_a.employee_no} is 王伟, not 李四.",
        "Row 11 [牵头部门]: “综合科” could be 综合科（CY1-ZH，采油一厂）、综合科（CY2-ZH，采油二厂）: write the unit's code.",
        "Row 11 [配合部门]: No unit “无此部门”: write its code or name.",
        "Row 12 [序号]: Write the number as 1, 1.1, 1.1.2 …",
        "Row 13 [节点]: “2026-05-01”: say what is due on that date.",
    ]
    assert Task.objects.count() == before and result.error_file


def test_an_abolished_unit_and_the_lead_unit_among_co_units_are_errors(table):
    gone = f.unit("撤销科", parent=table.org.plant, code="CY1-GONE")
    org_services.node_abolish(actor=f.system_user(), node=gone, effective_date=D(2026, 6, 1))
    rows = [HEADER, row("1", "任务", **{"牵头部门*": "CY1-GONE"}), row("2", "任务", **{"配合部门": "HQ-ZZB"})]
    assert lines(run(table.personas.superuser, rows)) == [
        "Row 2 [牵头部门]: “CY1-GONE” is abolished.", "Row 3 [配合部门]: “HQ-ZZB” is the lead unit."]


def test_numbers_are_read_as_written_in_excel_or_by_hand():
    assert canonical_number("1.02") == "1.2"
    assert canonical_number("２．１") == "2.1"
    assert canonical_number("3、") == "3"
    assert parse_nodes("✓ 2026-03-31 完成方案审批；2026年6月30日：完成调整") == [
        (D(2026, 3, 31), "完成方案审批"), (D(2026, 6, 30), "完成调整")]


def test_a_sub_task_may_hang_under_a_stored_task(table):
    run(table.personas.superuser, good_rows(table))
    result = run(table.personas.superuser, [HEADER, row("1.2", "新增子任务")])
    assert lines(result) == [] and Task.objects.get(number="1.2").parent.number == "1"


# --- which plan ----------------------------------------------------------------------------------

def test_a_plan_outside_the_actors_reach_is_not_found_and_no_owner_is_guessed(table):
    admin = table.personas.plant_admin  # admin of the plant, no person: no unit of their own
    result = run(admin, [HEADER, row("1", "任务")])
    assert lines(result) == ["Row 2 [所属方案]: There is no plan “三项制度改革总方案” that you may manage, and a new "
                             "plan would have no clear owner unit: create the plan first."]


def test_a_missing_plan_is_created_in_the_actors_own_unit(table):
    person = f.person(table.org.area, name="厂管理员")
    admin = table.personas.plant_admin
    admin.person = person
    admin.save()
    result = run(admin, [HEADER, row("1", "厂内任务", **{"所属方案*": "一厂提质增效方案", "牵头部门*": "CY1-A1"})])
    assert lines(result) == []
    plan = Plan.objects.get(name="一厂提质增效方案")
    assert plan.unit == table.org.area and plan.kind == Plan.Kind.MASTER and plan.year == 2026
    assert AuditEntry.objects.filter(action="plan.create", object_id=str(plan.pk), actor=admin).exists()
    assert plan.tasks.get().name == "厂内任务"


def test_the_system_creates_a_missing_plan_at_the_single_top_unit(table):
    result = run(None, [HEADER, row("1", "任务", **{"所属方案*": "新总方案"})])
    assert lines(result) == [] and Plan.objects.get(name="新总方案").unit == table.org.hq


def test_two_manageable_plans_of_the_same_name_are_ambiguous(table):
    services.plan_create(actor=table.personas.superuser, name=PLAN, unit=table.org.plant, year=2025)
    result = run(table.personas.superuser, [HEADER, row("1", "任务")])
    assert lines(result) == ["Row 2 [所属方案]: Several plans you may manage are called “三项制度改革总方案”: "
                             "总部 2026、采油一厂 2025. Rename one of them first."]


# --- the command and the pages --------------------------------------------------------------------

def test_the_command_prints_counts_errors_and_exits_1_on_bad_input(table, tmp_path, capsys):
    good = files.xlsx(tmp_path / "good.xlsx", good_rows(table))
    call_command("import_tasks", str(good), "--dry-run")
    assert "4 rows: 4 created, 0 updated, 0 unchanged. (dry run: nothing was written)" in capsys.readouterr().out
    call_command("import_tasks", str(good), "--user", table.personas.superuser.username)
    assert Task.objects.count() == 4
    bad = files.xlsx(tmp_path / "bad.xlsx", [HEADER, row("9.1", "孤儿")])
    with pytest.raises(CommandError, match="1 error; nothing was written"):
        call_command("import_tasks", str(bad))
    assert capsys.readouterr().err.strip() == "Row 2 [序号]: Its parent “9” is neither in the file nor in the plan."


def test_the_import_page_offers_the_decomposition_table(table, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(table.personas.superuser)
    assert reverse("import_upload", args=["tasks"]) in client.get(reverse("import_index")).content.decode()
    template = client.get(reverse("import_template", args=["tasks"]))
    header, _ = files.read_xlsx(template.content)
    assert header[0] == HEADER
    bad = files.xlsx(tmp_path / "bad.xlsx", [HEADER, row("1", "任务", **{"责任人*": "查无此人"})])
    with open(bad, "rb") as fh:
        page = client.post(reverse("import_upload", args=["tasks"]),
                           {"file": SimpleUploadedFile("bad.xlsx", fh.read())})
    assert "查无此人" in page.content.decode()
    token = page.context["error_token"]
    back, _ = files.read_xlsx(client.get(reverse("import_error_file", args=[token])).getvalue())
    assert "No person “查无此人”" in back[1][-1]
