"""Project groups (上产项目组) and their measures (措施), as an API: part of /production, mounted
by production.api. Reads come from production.selectors and selectors_projects (scoped, the
lists filtered as the pages filter them), writes go through production.services_projects, which
also looks up the units, people, wells and groups a body names, as the pages' forms do; a group,
measure or well outside the caller's scope answers 404 in the path and 422 in a body."""
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from ronghe.core import clock
from ronghe.core.api_support import (
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    require_any,
    responses,
)
from ronghe.core.scoping import CHANGE
from ronghe.production import schemas as s
from ronghe.production import selectors, selectors_projects, services_projects
from ronghe.production.api_common import as_of as _as_of
from ronghe.production.api_common import node as _node
from ronghe.production.api_common import unit as _unit

router = Router(tags=["production"])
GroupIdPath = Annotated[int, Path(description="Id of the project group (项目组编号).")]
MeasureIdPath = Annotated[int, Path(description="Id of the measure (措施编号).")]


# --- project groups -----------------------------------------------------------------------------------

def _person(person):
    return {"employee_no": person.employee_no, "name": person.name}


def _group_row(group) -> dict:
    return {"id": group.pk, "name": group.name, "unit": group.unit.code, "unit_name": group.unit.name,
            "leader": _person(group.leader), "year": group.year, "target_measures": group.target_measures,
            "target_increment_t": group.target_increment_t, "targets": group.targets}


@router.get("/groups", response=responses({200: s.GroupPage}), **named("production_groups_list"),
            summary="List project groups")
def groups_list(request, filters: Query[s.GroupFilters], page: Query[PageQuery]):
    """Output project groups (上产项目组) of the units within your scope."""
    qs = selectors_projects.filter_groups(request.auth, unit=filters.unit, year=filters.year, q=filters.q)
    return paginate(qs.order_by(*selectors_projects.GROUP_ORDER), page, lambda chunk: [_group_row(g) for g in chunk])


@router.get("/groups/{group_id}", response=responses({200: s.GroupDetail}), **named("production_groups_get"),
            summary="Get a project group")
def groups_get(request, group_id: GroupIdPath, query: Query[s.UnitQuery]):
    """A project group with its members, wells and its measures of the year to `as_of`: planned
    and done (井次), planned and actual incremental oil, and the same period of last year."""
    user, as_of = request.auth, _as_of(query.as_of)
    return _group_detail(user, get_or_404(selectors.groups(user), pk=group_id), as_of)


def _group_detail(user, group, as_of) -> dict:
    summary = selectors.measure_summary(user, as_of, group=group)
    return {**_group_row(group), "members": [_person(p) for p in selectors_projects.group_members(user, group)],
            "wells": list(selectors_projects.group_wells(user, group).values_list("code", flat=True)),
            "as_of": as_of, "figures": summary["total"].as_dict()}


def _group_refs(user, values: dict) -> dict:
    """The service's arguments for a group's fields as sent: units by code, people by employee
    number and wells by 井号, each looked up within the caller's scope."""
    for name in ("name", "unit", "leader", "year"):
        if name in values and values[name] is None:
            raise invalid(name, _("A value is required."))
    out = dict(values)
    if "unit" in values:
        out["unit"] = services_projects.unit_by_code(user, values["unit"])
    if "leader" in values:
        out["leader"] = services_projects.person_by_number(user, values["leader"])
    if values.get("members") is not None:
        out["members"] = services_projects.people_by_numbers(user, values["members"])
    if values.get("wells") is not None:
        out["wells"] = services_projects.wells_by_codes(user, values["wells"])
    return out


@router.post("/groups", response=responses({201: s.GroupDetail}), **named("production_groups_create"),
             summary="Create a project group")
def groups_create(request, payload: s.GroupIn):
    """A project group of a unit you may change, led by a member of that unit's leadership (a
    position in the unit or in a Party organisation attached to it), with its members and the
    wells of the unit's subtree it works on. Errors name the field (422)."""
    user = request.auth
    require_any(user, CHANGE)
    group = services_projects.project_group_create(actor=user, **_group_refs(user, payload.dict()))
    return Status(201, _group_detail(user, selectors.groups(user).get(pk=group.pk), clock.today()))


@router.patch("/groups/{group_id}", response=responses({200: s.GroupDetail}), **named("production_groups_update"),
              summary="Change a project group")
def groups_update(request, group_id: GroupIdPath, payload: s.GroupPatch):
    """Change what is sent; `members` and `wells`, when sent, replace the lists. A new unit or
    leader is checked as on creation, and the group's wells must lie within its unit."""
    user = request.auth
    require_any(user, CHANGE)
    group = get_or_404(selectors.groups(user), pk=group_id)
    services_projects.project_group_update(actor=user, group=group,
                                           **_group_refs(user, payload.dict(exclude_unset=True)))
    return _group_detail(user, selectors.groups(user).get(pk=group.pk), clock.today())


@router.delete("/groups/{group_id}", response=responses({204: None}), **named("production_groups_delete"),
               summary="Delete a project group")
def groups_delete(request, group_id: GroupIdPath):
    """Delete a group without measures (audited); one with measures keeps its history (422)."""
    user = request.auth
    require_any(user, CHANGE)
    group = get_or_404(selectors.groups(user), pk=group_id)
    services_projects.project_group_delete(actor=user, group=group)
    return Status(204, None)


# --- measures -----------------------------------------------------------------------------------------

def _measure_rows(chunk, as_of):
    found = selectors.increments(chunk, as_of)
    out = []
    for m in chunk:
        inc = found[m.pk]
        out.append({"id": m.pk, "well": m.well.code, "unit": m.well.unit.code, "unit_name": m.well.unit.name,
                    "group": m.group_id, "group_name": m.group.name if m.group_id else None, "kind": m.kind,
                    "planned_month": m.planned_month, "done_on": m.done_on,
                    "planned_increment_t": m.planned_increment_t, "cost": m.cost, "validity_days": m.validity_days,
                    "baseline_t": inc.baseline_t if inc else None,
                    "actual_increment_t": inc.increment_t if inc else None})
    return out


@router.get("/measures", response=responses({200: s.MeasurePage}), **named("production_measures_list"),
            summary="List measures")
def measures_list(request, filters: Query[s.MeasureFilters], page: Query[PageQuery]):
    """Well measures (措施) on the wells within your scope, with each one's baseline and actual
    incremental oil on `as_of` (from the well's own daily rows in the measure's window)."""
    as_of = _as_of(filters.as_of)
    qs = selectors_projects.filter_measures(request.auth, unit=filters.unit, group=filters.group, kind=filters.kind,
                                            year=filters.year, well=filters.well)
    return paginate(qs.order_by(*selectors_projects.MEASURE_ORDER), page, lambda chunk: _measure_rows(chunk, as_of))


@router.get("/measures/summary", response=responses({200: s.SummaryOut}), **named("production_measures_summary"),
            summary="Measures against plan and last year")
def measures_summary(request, query: Query[s.SummaryQuery]):
    """The measures of the unit's subtree this year to `as_of`, in total, per project group and per
    child unit: planned against done (井次) and planned against actual incremental oil, with the
    same period of last year (同比). The report's "39 fewer operations, 6,400 t more oil" is
    `done_minus_planned` and `increment_over_plan_t` of a group."""
    user, as_of = request.auth, _as_of(query.as_of)
    unit = _unit(user, query.unit)
    summary = selectors.measure_summary(user, as_of, root=unit) if unit else None
    if summary is None:
        empty = selectors.MeasureFigures(None, "").as_dict()
        return {"unit": None, "as_of": as_of, "last_year_as_of": selectors.same_day_last_year(as_of),
                "total": empty, "groups": [], "units": []}
    codes = dict(selectors.units(user).filter(parent=unit).values_list("pk", "code"))
    return {"unit": _node(unit), "as_of": as_of, "last_year_as_of": summary["last_as_of"],
            "total": summary["total"].as_dict(),
            "groups": [{"key": g.key, "name": g.name, "unit": None, **g.as_dict()} for g in summary["groups"]],
            "units": [{"key": None, "name": u.name, "unit": codes[u.key], **u.as_dict()} for u in summary["units"]]}


@router.get("/measures/{measure_id}", response=responses({200: s.MeasureOut}), **named("production_measures_get"),
            summary="Get a measure")
def measures_get(request, measure_id: MeasureIdPath, query: Query[s.UnitQuery]):
    """One measure with its baseline and actual incremental oil on `as_of`."""
    measure = get_or_404(selectors.measures(request.auth), pk=measure_id)
    return _measure_rows([measure], _as_of(query.as_of))[0]


@router.post("/measures", response=responses({201: s.MeasureOut}), **named("production_measures_create"),
             summary="Create a measure")
def measures_create(request, payload: s.MeasureIn):
    """A measure planned for a month (and done on a day, if it is) on a well you may change,
    optionally in a project group of the well's unit."""
    user = request.auth
    require_any(user, CHANGE)
    measure = services_projects.measure_create(
        actor=user, well=services_projects.well_by_code(user, payload.well), kind=payload.kind,
        planned_month=payload.planned_month, done_on=payload.done_on, group=services_projects.group_by_id(user, payload.group),
        planned_increment_t=payload.planned_increment_t, cost=payload.cost, validity_days=payload.validity_days,
        note=payload.note)
    return Status(201, _measure_rows([selectors.measures(user).get(pk=measure.pk)], clock.today())[0])


@router.patch("/measures/{measure_id}", response=responses({200: s.MeasureOut}),
              **named("production_measures_update"), summary="Change a measure")
def measures_update(request, measure_id: MeasureIdPath, payload: s.MeasurePatch):
    """Change what is sent: record the day it was done, move it to a group, correct its plan."""
    user = request.auth
    require_any(user, CHANGE)
    measure = get_or_404(selectors.measures(user), pk=measure_id)
    changes = payload.dict(exclude_unset=True)
    if "group" in changes:
        changes["group"] = services_projects.group_by_id(user, changes["group"])
    for name in ("kind", "planned_month", "validity_days", "note"):
        if name in changes and changes[name] is None:
            raise invalid(name, _("A value is required."))
    services_projects.measure_update(actor=user, measure=measure, **changes)
    return _measure_rows([selectors.measures(user).get(pk=measure.pk)], clock.today())[0]


@router.delete("/measures/{measure_id}", response=responses({204: None}), **named("production_measures_delete"),
               summary="Delete a measure")
def measures_delete(request, measure_id: MeasureIdPath):
    """Delete a measure entered by mistake (audited)."""
    user = request.auth
    require_any(user, CHANGE)
    measure = get_or_404(selectors.measures(user), pk=measure_id)
    services_projects.measure_delete(actor=user, measure=measure)
    return Status(204, None)
