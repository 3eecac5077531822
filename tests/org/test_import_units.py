import datetime as dt

import pytest

from ronghe.core import clock
from ronghe.core.models import AuditEntry
from ronghe.org import selectors
from ronghe.org.importers import UnitImporter
from ronghe.org.models import OrgChange, Unit
from tests.data import files
from tests.data.import_support import UNIT_HEADER, errors_of, import_env, nothing_written  # noqa: F401

D = dt.date




def run(actor, rows, **kwargs):
    return UnitImporter(actor=actor, **kwargs).run_rows(rows, source_name="units.xlsx")


def test_a_good_xlsx_file_creates_a_subtree_whatever_the_order_of_its_rows(org, personas, tmp_path):
    path = files.xlsx(tmp_path / "units.xlsx", [
        UNIT_HEADER,
        ["CY3-A1-T1", "三厂一班", "CY3-A1", "其他", "班组", None, "2024/3/5", None, 2],
        ["CY3-A1", "三厂一区", "CY3", "科级", "基层单位", 5, D(2024, 3, 1), None, 1],
        ["CY3", "采油三厂", "HQ", "处级", "二级单位", 40, "2024年1月1日", None, 3],
    ])
    result = UnitImporter(actor=personas.superuser).run_file(path)
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 3, "updated": 0, "unchanged": 0, "total": 3}
    plant, area, team = (Unit.objects.get(code=c) for c in ("CY3", "CY3-A1", "CY3-A1-T1"))
    assert team.path == f"{org.hq.pk}/{plant.pk}/{area.pk}/{team.pk}/" and team.depth == 3
    assert (plant.level, plant.kind, plant.staffing, plant.sort_order) == ("division", "secondary", 40, 3)
    establish = OrgChange.objects.get(unit=area)
    assert establish.kind == "establish" and establish.effective_date == D(2024, 3, 1)
    assert establish.state["parent"] == plant.pk and establish.state["name"] == "三厂一区"
    assert selectors.states_as_of(Unit, D(2024, 2, 1)).get(area.pk) is None
    assert selectors.states_as_of(Unit, D(2024, 3, 5))[team.pk]["parent"] == area.pk
    entry = AuditEntry.objects.get(action="import.units")
    assert entry.actor == personas.superuser and entry.after["counts"]["created"] == 3
    assert entry.unit == plant


def test_a_unit_without_establishment_date_is_established_today(org, personas):
    assert run(personas.superuser, [{"单位编码": "N1", "单位名称": "新", "上级单位编码": "CY1", "机构级别": "科级"}]).ok
    assert OrgChange.objects.get(unit__code="N1").effective_date == clock.today()


def test_an_abolition_date_records_an_abolish_change(org, personas):
    result = run(personas.superuser, [{"单位编码": "OLD", "单位名称": "旧单位", "上级单位编码": "CY1", "机构级别": "科级",
                                       "成立日期": "2021-01-01", "撤销日期": "2024-06-30"}])
    assert result.ok, result.as_text_lines()
    changes = list(OrgChange.objects.filter(unit__code="OLD").values_list("kind", "effective_date"))
    assert changes == [("establish", D(2021, 1, 1)), ("abolish", D(2024, 6, 30))]
    assert Unit.objects.get(code="OLD").abolished_on == D(2024, 6, 30)
    assert selectors.states_as_of(Unit, D(2024, 7, 1))[Unit.objects.get(code="OLD").pk]["ended"]


def test_existing_codes_are_updated_renamed_and_moved_and_unchanged_rows_counted(org, personas):
    rows = [
        {"单位编码": "CY1-A1", "单位名称": "第一作业区", "上级单位编码": "CY2", "机构级别": "科级", "单位类型": "基层单位"},
        {"单位编码": "CY1-A1-T1", "单位名称": "采油一班", "上级单位编码": "CY1-A1", "机构级别": "科级", "单位类型": "班组"},
        {"单位编码": "CY2-A1", "单位名称": "二厂作业区", "上级单位编码": "CY2", "机构级别": "处级", "单位类型": "基层单位"},
    ]
    result = run(personas.superuser, rows)
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 0, "updated": 2, "unchanged": 1, "total": 3}
    org.team.refresh_from_db()
    assert org.team.path == f"{org.hq.pk}/{org.sibling.pk}/{org.area.pk}/{org.team.pk}/"
    kinds = list(OrgChange.objects.filter(unit=org.area).order_by("id").values_list("kind", flat=True))
    assert kinds == ["establish", "rename", "move"]
    move = OrgChange.objects.filter(unit=org.area).latest("id")
    assert move.before["parent"] == org.plant.pk and move.state["parent"] == org.sibling.pk
    assert move.state["name"] == "第一作业区" and move.effective_date == clock.today()
    assert OrgChange.objects.filter(unit=org.area2).latest("id").kind == "edit"
    assert not OrgChange.objects.filter(unit=org.team).exclude(kind="establish").exists()


def test_columns_absent_from_the_file_keep_their_stored_values(org, personas):
    Unit.objects.filter(pk=org.plant.pk).update(staffing=30)
    assert run(personas.superuser, [{"单位编码": "CY1", "单位名称": "采油一厂", "机构级别": "处级"}]).counts["unchanged"] == 1
    org.plant.refresh_from_db()
    assert org.plant.staffing == 30 and org.plant.parent == org.hq


@pytest.mark.parametrize("rows,expected,reason", [
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "B", "机构级别": "科级"},
      {"单位编码": "B", "单位名称": "b", "上级单位编码": "A", "机构级别": "科级"}],
     [(2, "上级单位编码"), (3, "上级单位编码")], "cycle"),
    ([{"单位编码": "CY1", "单位名称": "采油一厂", "上级单位编码": "CY1-A1-T1", "机构级别": "处级"}],
     [(2, "上级单位编码")], "cycle: CY1 → CY1-A1-T1 → CY1-A1 → CY1"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "A", "机构级别": "科级"}], [(2, "上级单位编码")], "own parent"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级"},
      {"单位编码": "A", "单位名称": "a2", "上级单位编码": "CY1", "机构级别": "科级"}], [(3, "单位编码")], "more than once"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "NOWHERE", "机构级别": "科级"}], [(2, "上级单位编码")],
     "Unknown unit code “NOWHERE”"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "厅级"}], [(2, "机构级别")], "not one of"),
    ([{"单位编码": "A", "单位名称": "", "上级单位编码": "CY1", "机构级别": "科级"}], [(2, "单位名称")], "required"),
    ([{"单位编码": "A 1", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级"}], [(2, "单位编码")], "code may hold"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级", "成立日期": "2999-01-01"}],
     [(2, "成立日期")], "future"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级", "成立日期": "2020-13-01"}],
     [(2, "成立日期")], "Not a valid date"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级", "管理人员编制": "-3"}],
     [(2, "管理人员编制")], "at least 0"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级", "成立日期": "2019-01-01"}],
     [(2, "成立日期")], "only established on 2020-01-01"),
    ([{"单位编码": "CY1-A1-T1", "单位名称": "采油一班", "上级单位编码": "CY1-A1", "机构级别": "科级",
       "撤销日期": "2025-01-01"}], [(2, "撤销日期"), (2, "撤销日期")], "still has people"),
    ([{"单位编码": "CY1-A1", "单位名称": "作业一区", "上级单位编码": "CY1", "机构级别": "科级", "撤销日期": "2025-01-01"}],
     [(2, "撤销日期"), (2, "撤销日期")], "sub-organisations"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "CY1", "机构级别": "科级", "成立日期": "2024-01-01",
       "撤销日期": "2023-01-01"}], [(2, "撤销日期")], "before the establishment"),
    ([{"单位编码": "A", "单位名称": "a", "上级单位编码": "B", "机构级别": "科级", "成立日期": "2024-01-01"},
      {"单位编码": "B", "单位名称": "b", "上级单位编码": "CY1", "机构级别": "科级", "成立日期": "2023-01-01",
       "撤销日期": "2023-06-01"}], [(2, "上级单位编码"), (3, "撤销日期")], "“B” is abolished"),
])
def test_each_kind_of_error_is_a_row_error_naming_the_column_and_nothing_is_written(org, personas, rows, expected,
                                                                                      reason):
    with nothing_written():
        result = run(personas.superuser, rows)
    assert errors_of(result) == expected, result.as_text_lines()
    assert reason in " ".join(e.message for e in result.errors) or reason in " ".join(result.as_text_lines())


def test_a_file_with_errors_and_good_rows_writes_none_of_them(org, personas, tmp_path):
    path = files.xlsx(tmp_path / "u.xlsx", [UNIT_HEADER, ["GOOD", "好", "CY1", "科级"], ["BAD", "坏", "NOPE", "科级"]])
    with nothing_written():
        result = UnitImporter(actor=personas.superuser).run_file(path)
    assert errors_of(result) == [(3, "上级单位编码")]
    rows, _ = files.read_xlsx(result.error_file)
    assert rows[0][-1] == "错误/Errors" and rows[2][-1] == "[上级单位编码] Unknown unit code “NOPE”."


def test_a_missing_required_column_is_one_error(org, personas, tmp_path):
    path = files.xlsx(tmp_path / "u.xlsx", [["单位编码", "单位名称", "上级单位"], *[[f"A{i}", "a", "CY1"] for i in range(20)]])
    result = UnitImporter(actor=personas.superuser).run_file(path)
    assert errors_of(result) == [(1, "机构级别")]
    assert "上级单位" in result.errors[0].message


def test_a_plant_admin_imports_inside_the_plant(org, personas):
    result = run(personas.plant_admin, [
        {"单位编码": "CY1-A2", "单位名称": "作业二区", "上级单位编码": "CY1", "机构级别": "科级"},
        {"单位编码": "CY1", "单位名称": "采油一厂", "上级单位编码": "HQ", "机构级别": "处级"},
    ])
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 1, "updated": 0, "unchanged": 1, "total": 2}
    assert AuditEntry.objects.get(action="import.units").unit == org.plant


def test_a_plant_admin_cannot_import_into_a_sibling_plant(org, personas):
    with nothing_written():
        result = run(personas.plant_admin, [
            {"单位编码": "CY2-A2", "单位名称": "二厂二区", "上级单位编码": "CY2", "机构级别": "科级"},
            {"单位编码": "CY1-A2", "单位名称": "作业二区", "上级单位编码": "NOPE", "机构级别": "科级"},
            {"单位编码": "CY2-A1", "单位名称": "改名", "上级单位编码": "CY2", "机构级别": "科级"},
            {"单位编码": "CY1-A1", "单位名称": "作业一区", "上级单位编码": "CY2", "机构级别": "科级"},
            {"单位编码": "TOP", "单位名称": "顶层", "上级单位编码": "", "机构级别": "处级"},
        ])
    assert errors_of(result) == [(2, "上级单位编码"), (3, "上级单位编码"), (4, "单位编码"), (5, "上级单位编码"),
                                 (6, "上级单位编码")]
    messages = [e.message for e in result.errors]
    assert messages[0] == "Unknown unit code “CY2”." and messages[1] == "Unknown unit code “NOPE”."
    assert "within your scope" in messages[2]


def test_a_dry_run_reports_counts_and_writes_nothing(org, personas):
    with nothing_written():
        result = run(personas.superuser, [{"单位编码": "N1", "单位名称": "新", "上级单位编码": "CY1", "机构级别": "科级"}],
                     dry_run=True)
    assert result.ok and result.counts["created"] == 1


def test_an_existing_unit_moves_under_a_unit_created_in_the_same_file(org, personas):
    result = run(personas.superuser, [
        {"单位编码": "CY1-A1", "单位名称": "作业一区", "上级单位编码": "CY1-NEW", "机构级别": "科级", "单位类型": "基层单位"},
        {"单位编码": "CY1-NEW", "单位名称": "新作业部", "上级单位编码": "CY1", "机构级别": "科级"},
    ])
    assert result.ok, result.as_text_lines()
    new = Unit.objects.get(code="CY1-NEW")
    org.team.refresh_from_db()
    assert org.team.path == f"{org.hq.pk}/{org.plant.pk}/{new.pk}/{org.area.pk}/{org.team.pk}/"
    assert org.team.depth == 4
    assert OrgChange.objects.filter(unit=org.area).latest("id").kind == "move"


def test_an_empty_unit_is_renamed_and_abolished_on_its_abolition_date(org, personas):
    result = run(personas.superuser, [{"单位编码": "HQ-ZZB", "单位名称": "原组织部", "上级单位编码": "HQ", "机构级别": "科级",
                                       "单位类型": "机关部门", "撤销日期": "2025-06-30"}])
    assert result.ok, result.as_text_lines()
    changes = list(OrgChange.objects.filter(unit=org.dept).order_by("id").values_list("kind", "effective_date"))
    assert changes == [("establish", D(2020, 1, 1)), ("rename", D(2025, 6, 30)), ("abolish", D(2025, 6, 30))]
    assert selectors.states_as_of(Unit, D(2025, 7, 1))[org.dept.pk]["ended"]
    again = run(personas.superuser, [{"单位编码": "HQ-ZZB", "单位名称": "原组织部", "上级单位编码": "HQ", "机构级别": "科级",
                                      "单位类型": "机关部门", "撤销日期": "2025-07-31"}])
    assert errors_of(again) == [(2, "撤销日期")] and "was abolished on 2025-06-30" in again.errors[0].message
