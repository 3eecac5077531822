"""The permission matrix's part for what leaders see of production: a project group and a
measure on a well of the plant's area, of the sibling plant's area and of the outside root, and
unit-day totals for each, so that dashboards, steps and summaries have something to show.

`QUERY_COUNT_LISTS` holds this module's list endpoints in the shape of
tests/test_query_counts_api.py's LISTS, for that test to merge."""
import datetime as dt

from ronghe.production.models import Measure, ProjectGroup, UnitDay, Well
from tests.test_permission_matrix import Case, in_scope, node_cases, owned_cases, page_ref

OWNERS = {"plant": "CY1-A1", "sibling": "CY2-A1", "out": "OUT"}
QUERY_VALUES = {"base_date": "2025-03-01"}
BODY_VALUES = {"planned_month": "2026-03-01", "year": 2026}
# A project group's body names its leader and members by employee number and its wells by 井号.
REF_FIELDS = {"/api/v1/production": {"well": "well", "group": "group", "leader": "person", "members": "people",
                                     "wells": "wells"}}


def build(world):
    org = world.org
    units = {"plant": org.area, "sibling": org.area2, "out": world.out_unit}
    leaders = {"plant": world.people["worker"], "sibling": world.people["sib_worker"], "out": world.people["out_worker"]}
    wells, groups, measures = {}, {}, {}
    for key, unit in units.items():
        wells[key] = Well.objects.create(code=f"MXW-{key}", unit=unit, producing_since=dt.date(2020, 1, 1))
        groups[key] = ProjectGroup.objects.create(name=f"矩阵项目组{key}", unit=unit, leader=leaders[key], year=2026)
        groups[key].wells.add(wells[key])
        measures[key] = Measure.objects.create(group=groups[key], well=wells[key], kind="fracturing",
                                               planned_month=dt.date(2026, 3, 1), done_on=dt.date(2026, 3, 5),
                                               planned_increment_t=100)
        for owner in (unit, unit.parent) if unit.parent_id else (unit,):
            UnitDay.objects.bulk_create(UnitDay(unit=owner, date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                                                oil_t=100.0 + i, producing_wells=1) for i in range(120))
    return {"wells": wells, "groups": groups, "measures": measures}


def path_cases(operation, world, persona, params):
    if not operation.path.startswith("/api/v1/production"):
        return None
    if params == ("code",):
        return node_cases(world, persona, "unit")
    if params == ("group_id",):
        return owned_cases(persona, "group_id", world.production["groups"], OWNERS)
    if params == ("measure_id",):
        return owned_cases(persona, "measure_id", world.production["measures"], OWNERS)
    return None


def ref_value(world, persona, kind, inside):
    if kind == "people":
        number = page_ref(world, persona, "person", inside)
        return [number] if number else ""
    if kind == "wells":
        code = ref_value(world, persona, "well", inside)
        return [code] if code else ""
    if kind not in ("well", "group"):
        return None
    wanted = [key for key, unit in OWNERS.items() if in_scope(persona, "unit", unit) == inside]
    if not wanted:
        return ""  # none to name (not None, which would hand the kind to the main module)
    if kind == "well":
        return world.production["wells"][wanted[0]].code
    return world.production["groups"][wanted[0]].pk


PAGE_RULES = [
    (r"^production_(dashboard|steps|units|new_wells|measure_summary)$", ("code",),
     lambda w, p: node_cases(w, p, "unit")),
    (r"^production_group_", ("group_id",),
     lambda w, p: owned_cases(p, "group_id", w.production["groups"], OWNERS)),
    (r"^production_measure_", ("measure_id",),
     lambda w, p: owned_cases(p, "measure_id", w.production["measures"], OWNERS)),
]


def _more_groups(org, personas, n):
    from ronghe.org import services as org_services
    from tests import factories as f

    if not hasattr(org, "qc_leader"):
        org.qc_leader = f.person(org.area)
        org_services.position_assign(actor=f.system_user(), person=org.qc_leader, kind="head", unit=org.area)
    start = ProjectGroup.objects.count()
    for i in range(n):
        ProjectGroup.objects.create(name=f"质控组{start + i}", unit=org.area, leader=org.qc_leader, year=2026)


def _more_measures(org, personas, n):
    for _ in range(n):
        well = Well.objects.create(code=f"QCW{Well.objects.count():05d}", unit=org.area)
        Measure.objects.create(well=well, kind="acidizing", planned_month=dt.date(2026, 1, 1),
                               done_on=dt.date(2026, 1, 5))


QUERY_COUNT_LISTS = {
    "production_groups_list": [(_more_groups, "production/groups", {})],
    "production_measures_list": [(_more_measures, "production/measures", {"as_of": "2026-06-30"})],
}


def item_in_scope(operation, item, persona, world):
    if operation.path.startswith("/api/v1/production") and "unit" in item:
        return in_scope(persona, "unit", item["unit"]) or persona == "superuser"
    return None


__all__ = ["Case", "build", "path_cases", "ref_value", "item_in_scope"]
