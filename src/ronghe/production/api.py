"""What leaders see of production, as an API: dashboards, production by unit and period,
hundred-ton steps and new wells; project groups and measures come from production.api_projects,
mounted here. Thin: reads come from production.selectors (scoped). A unit outside the caller's
scope answers 404 like one that does not exist."""
import datetime as dt
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic_core import to_json

from ronghe.core import clock
from ronghe.core.api_support import invalid, named, parse_date, responses
from ronghe.production import schemas as s
from ronghe.production import selectors
from ronghe.production.api_common import as_of as _as_of
from ronghe.production.api_common import node as _node
from ronghe.production.api_common import unit as _unit
from ronghe.production.api_projects import router as projects_router

router = Router(tags=["production"])
router.add_router("", projects_router)
CodePath = Annotated[str, Path(description="Code of the unit (单位编码).")]


def _json(data):
    """`data`, built by the view in its response schema's shape, written by pydantic's JSON
    serialiser and answered as it is: Ninja passes an HttpResponse through without validating it
    against the schema again. Validating the dashboard (its curve is four columns of up to 366
    values, its ranking a row of figures per child unit) took longer than reading it, and
    Django's JSON encoder writes dates and floats several times slower.
    tests/production/test_reads_shape.py keeps each such answer equal to what its schema gives."""
    return HttpResponse(to_json(data), content_type="application/json")


# --- dashboard, production, steps --------------------------------------------------------------

@router.get("/dashboard", response=responses({200: s.DashboardOut}), **named("production_dashboard"),
            summary="Output dashboard of a unit")
def dashboard(request, query: Query[s.UnitQuery]):
    """A unit's (whole subtree's) output on `as_of`: the year's daily curve with the plan line and
    7-day average, month and year to date against plan, 时间过半任务过半, 双超, and its child units
    ranked by completion of plan. Reads the unit-day totals and plans only."""
    user, as_of = request.auth, _as_of(query.as_of)
    # A unit named is looked up with its children (one query); else the user's highest.
    unit = query.unit or selectors.default_unit(user)
    if unit is None:
        return {"unit": None, "as_of": as_of, "figures": None, "curve": None, "ranking": []}
    board = selectors.dashboard(user, unit, as_of)
    curve = {"dates": board["days"], "oil_t": board["oil"], "plan_t": board["plan"], "average_t": board["average"]}
    ranking = [{**row, "unit": _node(row["unit"])} for row in board["ranking"]]
    return _json({"unit": _node(board["unit"]), "as_of": as_of, "figures": board["figures"], "curve": curve,
                  "ranking": ranking})


@router.get("/units/{code}", response=responses({200: s.ProductionOut}), **named("production_by_unit"),
            summary="Production of a unit by day, month or year", by_alias=True)
def production_by_unit(request, code: CodePath, query: Query[s.ProductionQuery]):
    """Oil, liquid and gas of the unit's whole subtree from `from` to `to`, one row per day, month
    or year (`group`), with the mean daily oil and producing wells of each period."""
    unit = selectors.unit_or_404(request.auth, code)
    end = parse_date(query.end, "to") or clock.today()
    start = parse_date(query.start, "from") or end.replace(month=1, day=1)
    if start > end:
        raise invalid("from", _("The start date must not be after the end date."))
    return {"unit": _node(unit), "from": start, "to": end, "group": query.group,
            "rows": selectors.production(unit, start, end, query.group)}


@router.get("/steps", response=responses({200: s.StepsOut}), **named("production_steps"),
            summary="Hundred-ton steps (百吨台阶) of a unit")
def steps(request, query: Query[s.StepsQuery]):
    """The hundred-ton steps the unit's daily oil climbed from `base_date`: the base level B (mean
    of the 30 days before, rounded down to 100 t), then each step k reached on the first day the
    7-day moving average is ≥ B + 100·k, and held if it stays there for the next 30 days. The
    window lengths default to the settings and may be given per call."""
    user, as_of = request.auth, _as_of(query.as_of)
    base_date = parse_date(query.base_date, "base_date")
    windows = selectors.step_windows(base_days=query.base_days, average_days=query.average_days,
                                     hold_days=query.hold_days)
    if query.unit:
        unit, result = selectors.steps_of(user, query.unit, base_date, as_of, windows)
    else:
        unit = selectors.default_unit(user)
        result = selectors.steps(unit, base_date, as_of, windows) if unit else None
    return _json({"unit": _node(unit), "base_date": base_date, "as_of": as_of,
                  "through": result.through if result else None,
                  "base_mean_t": result.base_mean if result else None,
                  "base_level_t": result.base_level if result else None,
                  "next_level_t": result.next_level if result else None,
                  "windows": {"base_days": windows.base_days, "average_days": windows.average_days,
                              "hold_days": windows.hold_days, "step_t": windows.step_t},
                  "steps": [{"k": st.k, "level": st.level, "reached_on": st.reached_on, "held": st.held}
                            for st in (result.steps if result else ())]})

# --- new wells ----------------------------------------------------------------------------------------

@router.get("/new-wells", response=responses({200: s.NewWellsOut}), **named("production_new_wells"),
            summary="New wells against plan")
def new_wells(request, query: Query[s.NewWellsQuery]):
    """Wells of the unit's subtree designed, drilled and put on production in the year against the
    annual new-well plan, per child unit too, and the daily oil of the year's new wells."""
    user, as_of = request.auth, _as_of(query.as_of)
    year = query.year or as_of.year
    unit = _unit(user, query.unit)
    if unit is None:
        return {"unit": None, "year": year, "as_of": min(as_of, dt.date(year, 12, 31)), "plan": None,
                "designed": 0, "drilled": 0, "producing": 0, "latest_daily_oil_t": None, "children": [],
                "daily": []}
    figures = selectors.new_wells(user, unit, year, as_of)
    return {**figures, "unit": _node(unit),
            "children": [{**row, "unit": _node(row["unit"])} for row in figures["children"]]}
