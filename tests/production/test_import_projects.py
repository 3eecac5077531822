"""The measures sheet: 井号*, 措施类型*, 计划月份*, 实施日期, 计划增油(t), 费用(万元), 项目组 — all or
nothing, keyed by (well, type, month), within the importer's scope, and an export re-imports
unchanged."""
import datetime as dt

import pytest

from ronghe.core.models import AuditEntry
from ronghe.core.tabular import importer_for
from ronghe.production.exporters_projects import measures_xlsx
from ronghe.production.importers_projects import MeasureImporter, parse_month
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def wells(org, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant)
    ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2026)
    return pf.well(org.area, "CY1-001", producing_since=D(2020, 1, 1)), pf.well(org.area2, "CY2-001")


ROWS = [
    {"井号": "CY1-001", "措施类型": "压裂", "计划月份": "2026-03", "实施日期": "2026-03-18", "计划增油(t)": 300,
     "费用(万元)": 45, "项目组": "压裂上产组"},
    {"井号": "CY1-001", "措施类型": "酸化", "计划月份": "2026年5月", "计划增油(t)": 120},
]


def test_the_measures_importer_is_registered():
    assert importer_for("measures") is MeasureImporter


def test_a_sheet_of_measures_is_imported_and_imported_again_unchanged(wells, personas):
    result = MeasureImporter(actor=personas.plant_admin).run_rows(ROWS, "措施.xlsx")
    assert result.ok, result.as_text_lines()
    assert result.counts["created"] == 2
    frac = Measure.objects.get(kind="fracturing")
    assert (frac.planned_month, frac.done_on, frac.group.name, frac.cost) == (D(2026, 3, 1), D(2026, 3, 18), "压裂上产组",
                                                                               45)
    again = MeasureImporter(actor=personas.plant_admin).run_rows(ROWS, "措施.xlsx")
    assert (again.counts["created"], again.counts["unchanged"]) == (0, 2)
    assert AuditEntry.objects.filter(action="import.measures").count() == 2


def test_a_planned_measure_is_recorded_done_by_importing_it_again_with_its_date(wells, personas):
    MeasureImporter(actor=personas.plant_admin).run_rows(ROWS[1:])
    done = [{**ROWS[1], "实施日期": "2026-05-20"}]
    result = MeasureImporter(actor=personas.plant_admin).run_rows(done)
    assert result.counts["updated"] == 1
    assert Measure.objects.get().done_on == D(2026, 5, 20)


def test_every_error_is_reported_and_nothing_is_written(wells, personas):
    rows = [
        {"井号": "CY2-001", "措施类型": "压裂", "计划月份": "2026-03"},        # outside the plant admin's scope
        {"井号": "NOPE", "措施类型": "压裂", "计划月份": "2026-03"},
        {"井号": "CY1-001", "措施类型": "炸井", "计划月份": "2026-03"},
        {"井号": "CY1-001", "措施类型": "压裂", "计划月份": "2026-13"},
        {"井号": "CY1-001", "措施类型": "压裂", "计划月份": "2026-03", "实施日期": "2026-07-01"},
        {"井号": "CY1-001", "措施类型": "酸化", "计划月份": "2026-03", "项目组": "不存在组"},
        {"井号": "CY1-001", "措施类型": "调参", "计划月份": "2026-03", "计划增油(t)": -5},
        {"井号": "CY1-001", "措施类型": "换泵", "计划月份": "2026-04"},
        {"井号": "CY1-001", "措施类型": "换泵", "计划月份": "2026-04-15"},
    ]
    result = MeasureImporter(actor=personas.plant_admin).run_rows(rows)
    assert not result.ok and not Measure.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert found >= {(2, "井号"), (3, "井号"), (4, "措施类型"), (5, "计划月份"), (6, "实施日期"), (7, "项目组"),
                     (8, "计划增油(t)"), (10, "计划月份")}
    assert result.error_file


def test_an_export_re_imports_unchanged(wells, personas):
    MeasureImporter(actor=personas.plant_admin).run_rows(ROWS)
    rows = list(Measure.objects.select_related("well__unit", "group"))
    content = measures_xlsx(rows, {}, "done", "planned")
    result = MeasureImporter(actor=personas.plant_admin).run_file(content, "export.xlsx")
    assert result.ok, result.as_text_lines()
    assert (result.counts["unchanged"], result.counts["total"]) == (2, 2)


@pytest.mark.parametrize("raw, month", [("2026-03", D(2026, 3, 1)), ("2026/3", D(2026, 3, 1)),
                                        ("2026年3月", D(2026, 3, 1)), ("2026-03-18", D(2026, 3, 1)),
                                        (D(2026, 3, 18), D(2026, 3, 1))])
def test_a_month_is_read_in_the_ways_people_write_it(raw, month):
    assert parse_month(raw) == month
