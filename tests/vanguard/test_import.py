"""The carrier register and the problem ledger from spreadsheets: every row validated, errors by
row and column, all or nothing, the commands with --dry-run."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ronghe.core.models import AuditEntry
from ronghe.vanguard.importers import CarrierImporter, ProblemImporter
from ronghe.vanguard.models import Carrier, CarrierMember, Problem
from tests import factories as f
from tests.vanguard import factories as vf


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def carrier_row(org, **values):
    row = {"载体名称": "采油一班先锋岗", "载体类型": "共产党员先锋岗", "单位编码": "CY1-A1-T1", "党组织编码": "P-CY1-B1",
           "负责人工号": org.worker.employee_no, "成员工号": "", "类别": "生产", "是否生产相关": "是",
           "承诺": "不让一口井带病生产", "设立日期": "2025-03-01"}
    row.update(values)
    return row


def test_carriers_are_created_with_their_members_in_one_batch(org, personas):
    second = f.person(org.team, org.branch)
    result = CarrierImporter(actor=personas.plant_admin).run_rows([
        carrier_row(org, 成员工号=second.employee_no),
        carrier_row(org, 载体名称="作业区责任区", 载体类型="责任区", 单位编码="CY1-A1", 类别="服务", 是否生产相关=""),
    ], source_name="载体.xlsx")
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "total": 2}
    post = Carrier.objects.get(name="采油一班先锋岗")
    assert set(post.members.values_list("person_id", "is_lead")) == {(org.worker.pk, True), (second.pk, False)}
    zone = Carrier.objects.get(name="作业区责任区")
    assert (zone.kind, zone.category, zone.production_related) == ("zone", "service", False)
    entry = AuditEntry.objects.get(action="import.carriers")
    assert entry.after["counts"]["created"] == 2 and entry.unit == org.area


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(org, personas):
    masses = f.person(org.team, name="群众乙")
    result = CarrierImporter(actor=personas.plant_admin).run_rows([
        carrier_row(org, 载体类型="先进岗"),
        carrier_row(org, 载体名称="二", 单位编码="CY2-A1"),
        carrier_row(org, 载体名称="三", 党组织编码="P-CY2-B1"),
        carrier_row(org, 载体名称="四", 负责人工号=masses.employee_no),
        carrier_row(org, 载体名称="五", 设立日期="2025-02-30"),
        carrier_row(org, 载体名称="六", 单位编码="CY1", 党组织编码="P-CY1-B1"),
        carrier_row(org, 载体名称="七"), carrier_row(org, 载体名称="七"),
    ])
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "载体类型"), (3, "单位编码"), (4, "党组织编码"), (5, "负责人工号"), (6, "设立日期"), (7, "党组织编码"),
            (9, "载体名称")} <= found, result.as_text_lines()
    assert "不是在册党员" in " ".join(result.as_text_lines())
    assert result.error_file and not Carrier.objects.exists()


def test_a_stored_carrier_is_updated_and_its_members_replaced(org, personas):
    carrier = vf.carrier(org.team, org.branch, name="采油一班先锋岗", lead=org.worker)
    other = f.person(org.team, org.branch)
    result = CarrierImporter(actor=personas.plant_admin).run_rows([
        carrier_row(org, 负责人工号=other.employee_no, 成员工号=org.worker.employee_no, 承诺="新承诺")])
    assert result.ok, result.as_text_lines()
    assert result.counts["updated"] == 1
    carrier.refresh_from_db()
    assert carrier.commitment == "新承诺"
    assert set(CarrierMember.objects.filter(carrier=carrier).values_list("person_id", "is_lead")) == {
        (other.pk, True), (org.worker.pk, False)}


def test_the_template_carries_the_issues_headers(org):
    sheet = openpyxl.load_workbook(io.BytesIO(CarrierImporter.template_workbook())).active
    headers = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    assert headers == ["载体名称*", "载体类型*", "单位编码*", "党组织编码*", "负责人工号*", "成员工号", "类别", "是否生产相关",
                       "承诺", "设立日期"]


def problem_row(org, **values):
    row = {"难题名称": "抽油机井频繁躺井", "单位编码": "CY1-A1-T1", "提出人工号": org.worker.employee_no,
           "提出日期": "2026-01-08", "类别": "设备", "状态": "已解决", "攻关日期": "2026-01-10",
           "解决措施": "调整平衡块", "解决日期": "2026-03-02", "增油(吨)": 12.5, "节约成本(元)": 36000}
    row.update(values)
    return row


def test_the_problem_ledger_imports_with_its_carrier_and_benefit(org, personas):
    carrier = vf.carrier(org.team, org.branch, name="采油一班先锋岗", lead=org.worker)
    result = ProblemImporter(actor=personas.plant_admin).run_rows([
        problem_row(org, 载体名称="采油一班先锋岗", 攻关人员工号=org.worker.employee_no),
        problem_row(org, 难题名称="登记的难题", 状态="", 攻关日期="", 解决措施="", 解决日期="", **{"增油(吨)": ""}),
    ])
    assert result.ok, result.as_text_lines()
    solved = Problem.objects.get(title="抽油机井频繁躺井")
    assert (solved.carrier, solved.status, solved.oil_t, solved.solved_on) == (
        carrier, Problem.Status.SOLVED, 12.5, dt.date(2026, 3, 2))
    assert list(solved.workers.all()) == [org.worker]
    assert Problem.objects.get(title="登记的难题").status == Problem.Status.OPEN


def test_a_ledger_row_must_hold_together_as_the_status_flow_says(org, personas):
    vf.carrier(org.area2, org.sib_branch, name="二厂先锋岗")
    result = ProblemImporter(actor=personas.plant_admin).run_rows([
        problem_row(org, 解决措施=""),
        problem_row(org, 解决日期="2025-12-31"),
        problem_row(org, 状态="未解决关闭", 解决措施="", 解决日期=""),
        problem_row(org, 状态="已验收"),
        problem_row(org, 载体名称="二厂先锋岗"),
        problem_row(org, 提出日期="2027-01-01", 攻关日期="", 解决日期="", 状态="", 解决措施=""),
        problem_row(org, 单位编码="CY2-A1"),
    ])
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "解决措施"), (3, "解决日期"), (4, "关闭日期"), (4, "关闭原因"), (5, "验收日期"), (6, "载体名称"),
            (7, "提出日期"), (8, "单位编码")} <= found, result.as_text_lines()
    assert not Problem.objects.exists()


def test_the_commands_import_and_validate_only_with_dry_run(org, personas, tmp_path):
    path = tmp_path / "carriers.xlsx"
    path.write_bytes(CarrierImporter.export_workbook([{
        "name": "命令导入的岗", "kind": "post", "unit": "CY1-A1-T1", "party_org": "P-CY1-B1",
        "lead": org.worker.employee_no, "category": "production", "production_related": True}]))
    out = io.StringIO()
    call_command("import_carriers", str(path), "--dry-run", stdout=out)
    assert "1" in out.getvalue() and not Carrier.objects.exists()
    call_command("import_carriers", str(path), stdout=io.StringIO())
    assert Carrier.objects.filter(name="命令导入的岗").exists()
    bad = tmp_path / "problems.xlsx"
    bad.write_bytes(ProblemImporter.export_workbook([{"title": "缺提出人", "unit": "CY1", "raised_on": dt.date(2026, 1, 1),
                                                      "category": "technical"}]))
    with pytest.raises(CommandError):
        call_command("import_problems", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
