"""The production data API: wells (油井) with their daily production (日产), and unit plans
(产量/利润计划). Thin: reads start from selectors_data (scoped), writes go through services. Wells
are named by 井号 and units by 单位编码; what lies outside the caller's scope answers like what
does not exist."""
import datetime as dt
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from ronghe.core.api_support import (
    PageQuery,
    get_or_404,
    invalid,
    named,
    page_schema,
    paginate,
    parse_date,
    require_any,
    responses,
)
from ronghe.core.scoping import CHANGE
from ronghe.production import selectors_data as sel
from ronghe.production import services
from ronghe.production.models import Well

wells_router = Router(tags=["wells"])
plans_router = Router(tags=["unit-plans"])

WellCode = Annotated[str, Path(description="The well's number (井号).")]
Kind = Literal[tuple(Well.Kind.values)]
Status_ = Literal[tuple(Well.Status.values)]
KINDS = "; ".join(f"{v} = {label}" for v, label in Well.Kind.choices)
STATUSES = "; ".join(f"{v} = {label}" for v, label in Well.Status.choices)


# --- schemas -----------------------------------------------------------------------------------

class WellFilters(Schema):
    q: str = Field("", description="Part of the well number or block (井号或区块).")
    unit: str = Field("", description="Code of a unit: its wells and those of every unit under it (单位编码, 含下级).")
    kind: Kind | None = Field(None, description=f"Well type (井别): {KINDS}.")
    status: Status_ | None = Field(None, description=f"Status (状态): {STATUSES}.")
    block: str = Field("", description="Block (区块), exactly.")
    new_in: int | None = Field(None, description="Only wells put on production in this year: new wells (新井).")
    sort: Literal[tuple(sel.WELL_SORTS)] = Field("code", description="Order: code, unit, producing_since, block, "
                                                                     "status; a leading minus reverses it.")


class WellOut(Schema):
    code: str = Field(..., description="Well number (井号).")
    unit: str = Field(..., description="Code of the producing unit (单位编码).")
    unit_name: str = Field(..., description="Name of the producing unit (单位).")
    kind: str = Field(..., description=f"Well type (井别): {KINDS}.")
    status: str = Field(..., description=f"Status (状态): {STATUSES}.")
    block: str = Field(..., description="Block (区块).")
    producing_since: dt.date | None = Field(None, description="Put on production (投产日期).")
    designed_on: dt.date | None = Field(None, description="Designed (设计日期).")
    drilled_on: dt.date | None = Field(None, description="Drilled (完钻日期).")


class WellDetail(WellOut):
    last_day: dt.date | None = Field(None, description="The latest day with production (最近生产日).")
    last_oil_t: float | None = Field(None, description="Oil on that day, tons (最近日产油).")


class WellIn(Schema):
    code: str = Field(..., max_length=40, description="Well number (井号), unique.")
    unit: str = Field(..., description="Code of the producing unit (单位编码), one you may change.")
    kind: Kind = Field("oil", description=f"Well type (井别): {KINDS}.")
    status: Status_ = Field("open", description=f"Status (状态): {STATUSES}.")
    block: str = Field("", max_length=60, description="Block (区块).")
    producing_since: dt.date | None = Field(None, description="Put on production (投产日期).")
    designed_on: dt.date | None = Field(None, description="Designed (设计日期).")
    drilled_on: dt.date | None = Field(None, description="Drilled (完钻日期).")


class WellPatch(Schema):
    unit: str | None = Field(None, description="Code of the new producing unit (单位编码); its production moves "
                                               "with it in the unit totals.")
    kind: Kind | None = Field(None, description=f"Well type (井别): {KINDS}.")
    status: Status_ | None = Field(None, description=f"Status (状态): {STATUSES}.")
    block: str | None = Field(None, max_length=60, description="Block (区块).")
    producing_since: dt.date | None = Field(None, description="Put on production (投产日期).")
    designed_on: dt.date | None = Field(None, description="Designed (设计日期).")
    drilled_on: dt.date | None = Field(None, description="Drilled (完钻日期).")


class DailyQuery(Schema):
    from_: str | None = Field(None, alias="from", description="First day (YYYY-MM-DD); default 90 days before `to`.")
    to: str | None = Field(None, description="Last day (YYYY-MM-DD); default today.")


class DayOut(Schema):
    date: dt.date = Field(..., description="Day (日期).")
    hours: float | None = Field(None, description="Production time, hours (生产时间).")
    liquid_t: float | None = Field(None, description="Liquid, tons (日产液).")
    oil_t: float = Field(..., description="Oil, tons (日产油).")
    gas_m3: float | None = Field(None, description="Gas, cubic metres (日产气).")
    water_cut: float | None = Field(None, description="Water cut, percent (含水).")


class PlanFilters(Schema):
    unit: str = Field("", description="Code of a unit: its plans and those of every unit under it (含下级).")
    year: int | None = Field(None, description="Year (年度).")
    month: int | None = Field(None, ge=0, le=12, description="Month 1–12, or 0 for the annual plans (全年).")
    sort: Literal[tuple(sel.PLAN_SORTS)] = Field("unit", description="Order: unit or year; a leading minus "
                                                                     "reverses it.")


class UnitPlanOut(Schema):
    unit: str = Field(..., description="Code of the unit (单位编码).")
    unit_name: str = Field(..., description="Name of the unit (单位).")
    year: int = Field(..., description="Year (年度).")
    month: int = Field(..., description="Month 1–12; 0 is the whole year (月份, 0 = 全年).")
    oil_plan_t: float | None = Field(None, description="Oil output plan, tons (原油计划).")
    profit_plan: float | None = Field(None, description="Profit plan, 10,000 yuan (利润计划, 万元).")
    profit_actual: float | None = Field(None, description="Actual profit, 10,000 yuan (利润实际, 万元).")
    new_wells_plan: int | None = Field(None, description="New wells planned (新井计划, 口).")


class UnitPlanIn(Schema):
    unit: str = Field(..., description="Code of the unit (单位编码), one you may change.")
    year: int = Field(..., ge=2000, le=2100, description="Year (年度).")
    month: int = Field(0, ge=0, le=12, description="Month 1–12, or 0 for the whole year (月份, 0 = 全年).")
    oil_plan_t: float | None = Field(None, ge=0, description="Oil output plan, tons (原油计划).")
    profit_plan: float | None = Field(None, description="Profit plan, 10,000 yuan (利润计划, 万元).")
    profit_actual: float | None = Field(None, description="Actual profit, 10,000 yuan (利润实际, 万元).")
    new_wells_plan: int | None = Field(None, ge=0, description="New wells planned (新井计划, 口).")


WellPage = page_schema(WellOut, "WellPage")
DayPage = page_schema(DayOut, "DayPage")
UnitPlanPage = page_schema(UnitPlanOut, "UnitPlanPage")


# --- helpers -----------------------------------------------------------------------------------

def _well_row(well) -> dict:
    return {"code": well.code, "unit": well.unit.code, "unit_name": well.unit.name, "kind": well.kind,
            "status": well.status, "block": well.block, "producing_since": well.producing_since,
            "designed_on": well.designed_on, "drilled_on": well.drilled_on}


def _well_detail(well) -> dict:
    last = well.daily.order_by("-date").values_list("date", "oil_t").first()
    return {**_well_row(well), "last_day": last[0] if last else None, "last_oil_t": last[1] if last else None}


def _unit(user, code, field):
    from ronghe.org.models import Unit

    unit = Unit.objects.restrict(user, CHANGE).filter(code=code).first() if code else None
    if unit is None:
        raise invalid(field, _("No unit with code “%(code)s” within your scope.") % {"code": code or ""})
    return unit


def _plan_row(plan) -> dict:
    return {"unit": plan.unit.code, "unit_name": plan.unit.name, "year": plan.year, "month": plan.month,
            "oil_plan_t": plan.oil_plan_t, "profit_plan": plan.profit_plan, "profit_actual": plan.profit_actual,
            "new_wells_plan": plan.new_wells_plan}


# --- wells -------------------------------------------------------------------------------------

@wells_router.get("", response=responses({200: WellPage}), **named("wells_list"), summary="List wells")
def wells_list(request, filters: Query[WellFilters], page: Query[PageQuery]):
    """The wells of the units within your scope (油井台账)."""
    qs = sel.filter_wells(request.auth, sel.WellFilters(
        q=filters.q, unit=filters.unit, kind=filters.kind or "", status=filters.status or "", block=filters.block,
        new_in=filters.new_in, sort=filters.sort))
    return paginate(qs, page, lambda chunk: [_well_row(w) for w in chunk])


@wells_router.post("", response=responses({201: WellDetail}), **named("wells_create"), summary="Create a well")
def wells_create(request, payload: WellIn):
    """A new well of a unit you may change."""
    user = request.auth
    require_any(user, CHANGE)
    data = payload.dict()
    data["unit"] = _unit(user, data["unit"], "unit")
    well = services.well_create(actor=user, **data)
    return Status(201, _well_detail(well))


@wells_router.get("/{code}", response=responses({200: WellDetail}), **named("wells_get"), summary="Get a well")
def wells_get(request, code: WellCode):
    """One well and its latest day of production."""
    return _well_detail(get_or_404(sel.wells(request.auth), code=code))


@wells_router.patch("/{code}", response=responses({200: WellDetail}), **named("wells_update"),
                    summary="Edit a well")
def wells_update(request, code: WellCode, payload: WellPatch):
    """Change the fields sent. A new unit moves the well's production in the unit totals."""
    user = request.auth
    require_any(user, CHANGE)
    well = get_or_404(sel.wells(user, CHANGE), code=code)
    changes = payload.dict(exclude_unset=True)
    if "unit" in changes:
        changes["unit"] = _unit(user, changes["unit"], "unit")
    for name in ("kind", "status", "block"):
        if name in changes and changes[name] is None:
            changes.pop(name)
    well = services.well_update(actor=user, well=well, **changes)
    return _well_detail(well)


@wells_router.get("/{code}/daily", response=responses({200: DayPage}), **named("wells_daily"),
                  summary="A well's daily production")
def wells_daily(request, code: WellCode, query: Query[DailyQuery], page: Query[PageQuery]):
    """The well's days between `from` and `to`, oldest first (单井日产)."""
    well = get_or_404(sel.wells(request.auth), code=code)
    start, end = sel.date_range(parse_date(query.from_, "from"), parse_date(query.to, "to"))
    if start > end:
        raise invalid("from", _("The first day is after the last."))
    rows = sel.well_days(well, start, end).values("date", "hours", "liquid_t", "oil_t", "gas_m3", "water_cut")
    return paginate(rows, page)


# --- unit plans --------------------------------------------------------------------------------

@plans_router.get("", response=responses({200: UnitPlanPage}), **named("unit_plans_list"), summary="List unit plans")
def unit_plans_list(request, filters: Query[PlanFilters], page: Query[PageQuery]):
    """Annual (month 0) and monthly plans of the units within your scope, with actual profit."""
    qs = sel.filter_plans(request.auth, unit=filters.unit, year=filters.year, month=filters.month, sort=filters.sort)
    return paginate(qs, page, lambda chunk: [_plan_row(p) for p in chunk])


@plans_router.post("", response=responses({200: UnitPlanOut}), **named("unit_plans_save"), summary="Save a unit plan")
def unit_plans_save(request, payload: UnitPlanIn):
    """Create or replace the plan of a unit for a year (month 0) or a month; fields not sent are
    left empty."""
    user = request.auth
    require_any(user, CHANGE)
    data = payload.dict()
    unit = _unit(user, data.pop("unit"), "unit")
    plan = services.unit_plan_save(actor=user, unit=unit, **data)
    return _plan_row(plan)
