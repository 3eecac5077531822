"""Exports of production data with the importers' headers, so that an exported file
re-imports unchanged: wells, unit plans, and a well's daily production."""
from ronghe.core.tabular.writers import rows_xlsx
from ronghe.production import daily_import
from ronghe.production.importers import UnitPlanImporter, WellImporter


def wells_xlsx(wells) -> bytes:
    """`wells`: a queryset with the unit selected."""
    return WellImporter.export_workbook(
        {"code": w.code, "unit": w.unit.code, "kind": w.kind, "status": w.status, "block": w.block,
         "producing_since": w.producing_since, "designed_on": w.designed_on, "drilled_on": w.drilled_on}
        for w in wells.iterator(chunk_size=2000))


def unit_plans_xlsx(plans) -> bytes:
    return UnitPlanImporter.export_workbook(
        {"unit": p.unit.code, "year": p.year, "month": p.month, "oil_plan_t": p.oil_plan_t,
         "profit_plan": p.profit_plan, "profit_actual": p.profit_actual, "new_wells_plan": p.new_wells_plan}
        for p in plans.iterator(chunk_size=2000))


def daily_xlsx(well, rows) -> bytes:
    """A well's days in the daily production import format."""
    return rows_xlsx(daily_import.COLUMNS, (
        {"well": well.code, "date": r.date, "hours": r.hours, "liquid_t": r.liquid_t, "oil_t": r.oil_t,
         "gas_m3": r.gas_m3, "water_cut": r.water_cut} for r in rows), sheet_title=daily_import.SHEET_TITLE)
