"""Reads of production data for pages, API and exports: wells, a well's days and unit plans,
scoped first and filtered the same way everywhere."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from ronghe.core import clock
from ronghe.core.scoping import VIEW
from ronghe.org.models import Unit
from ronghe.production.models import DailyProduction, UnitPlan, Well

WELL_SORTS = {"code": "code", "-code": "-code", "unit": "unit__path", "-unit": "-unit__path",
              "producing_since": "producing_since", "-producing_since": "-producing_since",
              "block": "block", "-block": "-block", "status": "status", "-status": "-status"}
PLAN_SORTS = {"unit": "unit__path", "-unit": "-unit__path", "year": "year", "-year": "-year"}
DEFAULT_DAYS = 90


def wells(user, action=VIEW):
    return Well.objects.restrict(user, action).select_related("unit")


def unit_plans(user, action=VIEW):
    return UnitPlan.objects.restrict(user, action).select_related("unit")


def visible_unit(user, code: str):
    """The unit with `code` if the user may see it, else None."""
    return Unit.objects.restrict(user).filter(code=code.strip()).first() if code and code.strip() else None


@dataclass
class WellFilters:
    q: str = ""
    unit: str = ""  # code: the unit's whole subtree
    kind: str = ""
    status: str = ""
    block: str = ""
    new_in: int | None = None  # year of 投产日期
    sort: str = "code"


def filter_wells(user, filters: WellFilters, action=VIEW):
    """The user's wells narrowed by `filters`; a unit the user cannot see matches nothing."""
    qs = wells(user, action)
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q.strip()) | Q(block__icontains=filters.q.strip()))
    if filters.unit:
        unit = visible_unit(user, filters.unit)
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if filters.kind in Well.Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.status in Well.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.block:
        qs = qs.filter(block=filters.block.strip())
    if filters.new_in:
        qs = qs.filter(producing_since__year=filters.new_in)
    return qs.order_by(WELL_SORTS.get(filters.sort, "code"), "pk")


def filter_plans(user, *, unit="", year=None, month=None, sort="unit"):
    qs = unit_plans(user)
    if unit:
        found = visible_unit(user, unit)
        qs = qs.filter(unit__path__startswith=found.path) if found else qs.none()
    if year:
        qs = qs.filter(year=year)
    if month is not None:
        qs = qs.filter(month=month)
    return qs.order_by(PLAN_SORTS.get(sort, "unit__path"), "year", "month", "pk")


def date_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """A well's days to show: up to `end` (default today), from `start` (default 90 days
    before)."""
    end = end or clock.today()
    return start or end - dt.timedelta(days=DEFAULT_DAYS - 1), end


def well_days(well, start: dt.date, end: dt.date):
    return DailyProduction.objects.filter(well=well, date__gte=start, date__lte=end).order_by("date")


def well_series(well, start, end) -> dict:
    """The well's daily curve for a chart: dates, oil, liquid and water cut, as plain lists."""
    rows = list(well_days(well, start, end).values_list("date", "oil_t", "liquid_t", "water_cut"))
    return {"dates": [d.isoformat() for d, *_ in rows], "oil": [o for _d, o, _l, _w in rows],
            "liquid": [liquid for _d, _o, liquid, _w in rows], "water_cut": [w for *_x, w in rows]}
