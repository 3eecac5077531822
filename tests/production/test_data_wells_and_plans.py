"""Wells and unit plans: services with scope and audit, spreadsheet import and export with the
exact headers, and a well that moves taking its production with it."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.production import exporters, services
from ronghe.production.daily_import import DailyImport
from ronghe.production.importers import UnitPlanImporter, WellImporter
from ronghe.production.models import UnitPlan, Well
from tests.production.test_data_factories import csv_bytes, raw_sums, row, unit_day, well

WELL_HEADERS = ["井号*", "单位编码*", "井别", "状态", "投产日期", "设计日期", "完钻日期", "区块"]
PLAN_HEADERS = ["单位编码*", "年度*", "月份", "原油计划(t)", "利润计划(万元)", "利润实际(万元)", "新井计划(口)"]


def headers(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [c for c in next(sheet.iter_rows(values_only=True))]


def test_a_well_is_created_and_changed_within_scope_and_audited(org, personas):
    created = services.well_create(actor=personas.plant_admin, code=" CY1-9 ", unit=org.team,
                                   producing_since=dt.date(2026, 1, 5))
    assert created.code == "CY1-9"
    assert AuditEntry.objects.get(action="well.create").unit == org.team
    services.well_update(actor=personas.plant_admin, well=created, status=Well.Status.SHUT, block="兴隆台")
    entry = AuditEntry.objects.get(action="well.update")
    assert (entry.before["status"], entry.after["status"]) == ("open", "shut")
    with pytest.raises(ValidationError):
        services.well_create(actor=personas.plant_admin, code="CY2-9", unit=org.area2)
    with pytest.raises(ValidationError):
        services.well_update(actor=personas.plant_admin, well=created, unit=org.area2)
    with pytest.raises(OutOfScope):
        services.well_update(actor=personas.secretary, well=created, block="x")
    with pytest.raises(ValidationError):
        services.well_create(actor=personas.plant_admin, code="CY1-10", unit=org.team,
                             drilled_on=dt.date(2026, 2, 1), producing_since=dt.date(2026, 1, 1))
    assert Well.objects.get(pk=created.pk).unit == org.team


def test_unit_plans_are_saved_once_per_unit_year_and_month(org, personas):
    plan = services.unit_plan_save(actor=personas.plant_admin, unit=org.plant, year=2026, oil_plan_t=120000)
    again = services.unit_plan_save(actor=personas.plant_admin, unit=org.plant, year=2026, profit_actual=12.5)
    assert plan.pk == again.pk and (again.oil_plan_t, again.profit_actual) == (120000, 12.5)
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="unit_plan").order_by("id")] == [
        "unit_plan.create", "unit_plan.update"]
    with pytest.raises(ValidationError):
        services.unit_plan_save(actor=personas.plant_admin, unit=org.sibling, year=2026, oil_plan_t=1)
    with pytest.raises(ValidationError):
        services.unit_plan_save(actor=personas.plant_admin, unit=org.plant, year=2026, month=13, oil_plan_t=1)


def test_wells_import_creates_and_updates_by_well_number_and_exports_the_same_headers(org):
    existing = well(org.team, "CY1-1")
    result = WellImporter().run_rows([
        {"井号": "CY1-1", "单位编码": "CY1-A1-T1", "井别": "油井", "状态": "关井", "区块": "兴隆台"},
        {"井号": "CY1-2", "单位编码": "CY1-A1", "井别": "注水井", "投产日期": "2026-03-05", "设计日期": "2025-10-01",
         "完钻日期": "2026-01-20"},
    ])
    assert result.ok, result.as_text_lines()
    assert (result.counts["created"], result.counts["updated"]) == (1, 1)
    existing.refresh_from_db()
    assert (existing.status, existing.block) == ("shut", "兴隆台")
    new = Well.objects.get(code="CY1-2")
    assert (new.kind, new.unit, new.producing_since) == ("injection", org.area, dt.date(2026, 3, 5))
    content = exporters.wells_xlsx(Well.objects.select_related("unit").order_by("code"))
    assert headers(content) == WELL_HEADERS
    again = WellImporter().run_file(content, "wells.xlsx")
    assert again.ok and again.counts["unchanged"] == 2


def test_wells_import_refuses_units_and_wells_outside_the_importers_scope(org, personas):
    well(org.area2, "CY2-1")
    result = WellImporter(actor=personas.plant_admin).run_rows([
        {"井号": "CY1-5", "单位编码": "CY2-A1"},
        {"井号": "CY2-1", "单位编码": "CY1-A1"},
        {"井号": "CY1-6", "单位编码": "CY1-A1", "投产日期": "2026-01-01", "完钻日期": "2026-02-01"},
        {"井号": "CY1-7", "单位编码": "CY1-A1", "井别": "水井"},
    ])
    assert {(e.row, e.column) for e in result.errors} == {(2, "单位编码"), (3, "井号"), (4, "投产日期"), (5, "井别")}
    assert not Well.objects.filter(code__startswith="CY1-").exists()


def test_a_well_moved_by_import_moves_its_totals(org, settings):
    settings.RONGHE_TODAY = "2026-03-10"
    well(org.team, "CY1-1")
    day = dt.date(2026, 3, 1)
    assert DailyImport().run(csv_bytes([row("CY1-1", day, 4.0)]), "d.csv").ok
    assert WellImporter().run_rows([{"井号": "CY1-1", "单位编码": "CY2-A1"}]).ok
    for unit in (org.hq, org.plant, org.team, org.sibling, org.area2):
        assert unit_day(unit, day) == pytest.approx(raw_sums(unit, day))
    assert unit_day(org.area2, day)[0] == 4.0


def test_unit_plans_import_and_export_round_trip_and_refuse_a_repeated_month(org, personas):
    result = UnitPlanImporter(actor=personas.plant_admin).run_rows([
        {"单位编码": "CY1", "年度": 2026, "月份": "", "原油计划(t)": 120000, "利润计划(万元)": 35000, "新井计划(口)": 90},
        {"单位编码": "CY1", "年度": 2026, "月份": 3, "原油计划(t)": 10000, "利润实际(万元)": 2900.5},
    ])
    assert result.ok, result.as_text_lines()
    year = UnitPlan.objects.get(unit=org.plant, month=0)
    assert (year.oil_plan_t, year.new_wells_plan) == (120000, 90)
    content = exporters.unit_plans_xlsx(UnitPlan.objects.select_related("unit"))
    assert headers(content) == PLAN_HEADERS
    assert UnitPlanImporter().run_file(content, "plans.xlsx").counts["unchanged"] == 2
    bad = UnitPlanImporter(actor=personas.plant_admin).run_rows([
        {"单位编码": "CY1", "年度": 2026, "月份": 4}, {"单位编码": "CY1", "年度": 2026, "月份": 4},
        {"单位编码": "CY2", "年度": 2026}, {"单位编码": "CY1", "年度": 2026, "月份": 13},
    ])
    assert {(e.row, e.column) for e in bad.errors} == {(3, "月份"), (4, "单位编码"), (5, "月份")}


def test_the_import_wells_command_has_a_dry_run(org, tmp_path):
    path = tmp_path / "wells.csv"
    path.write_bytes(csv_bytes([["CY1-1", "CY1-A1-T1", "油井", "开井", "2026-01-01", "", "", ""]],
                               header=WELL_HEADERS))
    out = io.StringIO()
    call_command("import_wells", str(path), "--dry-run", stdout=out)
    assert not Well.objects.exists()
    call_command("import_wells", str(path), stdout=out)
    assert Well.objects.get().unit == org.team
    path.write_bytes(csv_bytes([["CY1-1", "NOPE"]], header=WELL_HEADERS[:2]))
    with pytest.raises(CommandError):
        call_command("import_wells", str(path), stdout=out, stderr=io.StringIO())
