"""The permission matrix's part for production data: a well with a few days of production and a
unit plan in the plant's area, the sibling plant's area and the outside root; and a daily
production upload of the superuser's and of the plant admin's, which only their uploader sees.

`QUERY_COUNT_LISTS` holds this module's list endpoints in the shape of
tests/test_query_counts_api.py's LISTS, for that test to merge."""
import datetime as dt

from ronghe.production import services
from ronghe.production.models import DailyProduction, ProductionImport, UnitPlan, Well
from tests.test_permission_matrix import Case, in_scope, owned_cases

OWNERS = {"plant": "CY1-A1", "sibling": "CY2-A1", "out": "OUT"}
BODY_VALUES = {"year": 2026}


def build(world):
    org = world.org
    units = {"plant": org.area, "sibling": org.area2, "out": world.out_unit}
    wells, plans = {}, {}
    for key, unit in units.items():
        wells[key] = services.well_create(actor=world.system, code=f"MXD-{key}", unit=unit,
                                          producing_since=dt.date(2020, 1, 1))
        DailyProduction.objects.bulk_create(DailyProduction(well=wells[key], date=dt.date(2026, 1, d), oil_t=d)
                                            for d in range(1, 4))
        plans[key] = UnitPlan.objects.create(unit=unit, year=2026, oil_plan_t=1000)
    jobs = {name: ProductionImport.objects.create(actor=world.users[name], file_name=f"矩阵日产{name}.csv",
                                                  status=ProductionImport.Status.DONE)
            for name in ("superuser", "plant_admin")}
    return {"wells": wells, "plans": plans, "jobs": jobs}


def well_cases(world, persona, kwarg="code"):
    return [Case({kwarg: well.code}, "in" if in_scope(persona, "unit", OWNERS[key]) else "out")
            for key, well in world.production_data["wells"].items()]


def job_cases(world, persona):
    return [Case({"job_id": job.pk}, "in" if name == persona else "out")
            for name, job in world.production_data["jobs"].items()]


def path_cases(operation, world, persona, params):
    if operation.path.startswith("/api/v1/wells/") and params == ("code",):
        return well_cases(world, persona)
    return None


PAGE_RULES = [
    (r"^well_(detail|edit)$", ("code",), lambda w, p: well_cases(w, p)),
    (r"^daily_import_", ("job_id",), job_cases),
]


def _more_wells(org, personas, n):
    start = Well.objects.count()
    Well.objects.bulk_create(Well(code=f"QCD{start + i:05d}", unit=org.area) for i in range(n))


def _more_days(org, personas, n):
    well = Well.objects.filter(code="QCD-DAYS").first() or Well.objects.create(code="QCD-DAYS", unit=org.area)
    start = dt.date(2020, 1, 1) + dt.timedelta(days=well.daily.count())
    DailyProduction.objects.bulk_create(DailyProduction(well=well, date=start + dt.timedelta(days=i), oil_t=1.0)
                                        for i in range(n))


def _more_plans(org, personas, n):
    start = UnitPlan.objects.count()
    UnitPlan.objects.bulk_create(UnitPlan(unit=org.area, year=2000 + (start + i) // 13, month=(start + i) % 13)
                                 for i in range(n))


QUERY_COUNT_LISTS = {
    "wells_list": [(_more_wells, "wells", {}), (_more_wells, "wells", {"unit": "CY1", "sort": "-unit"})],
    "wells_daily": [(_more_days, "wells/QCD-DAYS/daily", {"from": "2020-01-01", "to": "2026-01-01"})],
    "unit_plans_list": [(_more_plans, "unit-plans", {})],
}

__all__ = ["build", "path_cases", "owned_cases"]
