"""Request and response shapes of what leaders see of production: dashboards, production by
period, hundred-ton steps, project groups, measures and new wells. Units are named by code, wells
by 井号, people by employee number (工号)."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.core.api_support import page_schema
from ronghe.org.schemas import NodeRef
from ronghe.production.models import Measure

DATE = {"json_schema_extra": {"format": "date"}}
UNIT_QUERY = "Code of the unit (单位编码); default: the highest unit you may see."
AS_OF = "Read the figures as of this day, YYYY-MM-DD; default today (截至日期)."
MeasureKind = Literal[tuple(Measure.Kind.values)]
KINDS = "; ".join(f"{value} = {label}" for value, label in Measure.Kind.choices)


# --- steps ----------------------------------------------------------------------------------------

class StepsQuery(Schema):
    unit: str | None = Field(None, description=UNIT_QUERY)
    base_date: str = Field(..., description="Base date, YYYY-MM-DD: the base level is the mean daily oil of the "
                                            "days before it (基准日期).", **DATE)
    as_of: str | None = Field(None, description=AS_OF, **DATE)
    base_days: int | None = Field(None, ge=1, le=366, description="Days before the base date averaged for the "
                                                                  "base level; default 30 (基准天数).")
    average_days: int | None = Field(None, ge=1, le=90, description="Days of the moving average; default 7 "
                                                                    "(滑动平均天数).")
    hold_days: int | None = Field(None, ge=1, le=366, description="Days the average must stay at a step for it "
                                                                  "to be held; default 30 (稳产天数).")


class StepOut(Schema):
    k: int = Field(..., description="Step number: B + 100·k (台阶序号).")
    level: float = Field(..., description="The step's level, t/day (台阶水平, 吨/日).")
    reached_on: dt.date = Field(..., description="First day the moving average reached the level (上台阶日期).")
    held: bool | None = Field(..., description="Whether the average stayed at the level for the hold days after; "
                                               "null while fewer have passed (是否稳住).")


class WindowsOut(Schema):
    base_days: int = Field(..., description="Days averaged for the base level (基准天数).")
    average_days: int = Field(..., description="Days of the moving average (滑动平均天数).")
    hold_days: int = Field(..., description="Days a step must be held (稳产天数).")
    step_t: float = Field(..., description="Height of a step, t/day (台阶高度).")


class StepsOut(Schema):
    unit: NodeRef | None = Field(..., description="The unit (its whole subtree); null when you may see none.")
    base_date: dt.date = Field(..., description="The base date (基准日期).")
    as_of: dt.date = Field(..., description="The day read up to (截至日期).")
    through: dt.date | None = Field(..., description="The last day with data read (数据截至).")
    base_mean_t: float | None = Field(..., description="Mean daily oil before the base date, t/day (基准均值).")
    base_level_t: float | None = Field(..., description="Base level B, rounded down to 100 t (基准台阶).")
    next_level_t: float | None = Field(..., description="The next step to reach, t/day (下一台阶).")
    windows: WindowsOut = Field(..., description="The windows used (窗口设置).")
    steps: list[StepOut] = Field(..., description="The steps reached, lowest first (已上台阶).")


# --- production by unit ---------------------------------------------------------------------------------

class ProductionQuery(Schema):
    start: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD; default 1 January of the "
                                                              "last day's year (起始日期).", **DATE)
    end: str | None = Field(None, alias="to", description="Last day, YYYY-MM-DD; default today (截止日期).", **DATE)
    group: Literal["day", "month", "year"] = Field("day", description="One row per day, month or year (汇总粒度).")


class PeriodOut(Schema):
    period: dt.date = Field(..., description="The day, or the first day of the month or year (期间).")
    oil_t: float = Field(..., description="Oil, t (产油).")
    liquid_t: float = Field(..., description="Liquid, t (产液).")
    gas_m3: float = Field(..., description="Gas, m³ (产气).")
    days: int = Field(..., description="Days with data in the period (天数).")
    daily_oil_t: float = Field(..., description="Mean daily oil over those days, t/day (日均产油).")
    producing_wells: float = Field(..., description="Producing wells; for a month or year, the daily mean (开井数).")


class ProductionOut(Schema):
    unit: NodeRef = Field(..., description="The unit (its whole subtree).")
    start: dt.date = Field(..., alias="from", description="First day (起始日期).")
    end: dt.date = Field(..., alias="to", description="Last day (截止日期).")
    group: str = Field(..., description="day, month or year (汇总粒度).")
    rows: list[PeriodOut] = Field(..., description="One row per period with data, oldest first.")


# --- dashboard ------------------------------------------------------------------------------------------

class UnitQuery(Schema):
    unit: str | None = Field(None, description=UNIT_QUERY)
    as_of: str | None = Field(None, description=AS_OF, **DATE)


class FiguresOut(Schema):
    ytd_actual_t: float = Field(..., description="Oil from 1 January to the day, t (年累产油).")
    ytd_plan_t: float | None = Field(..., description="Plan for the same days, t (年累计划).")
    ytd_ratio: float | None = Field(..., description="Actual over plan to date (年累完成率).")
    mtd_actual_t: float = Field(..., description="Oil of the month to the day, t (月累产油).")
    mtd_plan_t: float | None = Field(..., description="Plan for the same days, t (月累计划).")
    mtd_ratio: float | None = Field(..., description="Actual over plan, month to date (月累完成率).")
    annual_plan_t: float | None = Field(..., description="The annual oil plan, t (年计划).")
    done_share: float | None = Field(..., description="Share of the annual plan done (任务完成比例).")
    time_share: float = Field(..., description="Share of the year elapsed (时间进度).")
    on_pace: bool | None = Field(..., description="时间过半任务过半: the share done is at least the share of the "
                                                  "year elapsed.")
    profit_actual: float | None = Field(..., description="Profit of the months whose actual is in, 万元 (利润实际).")
    profit_plan: float | None = Field(..., description="Profit plan of the same months, 万元 (利润计划).")
    output_above_plan: bool | None = Field(..., description="Oil above plan to date (产量超计划).")
    profit_above_plan: bool | None = Field(..., description="Profit above plan to date (效益超计划).")
    double_exceed: bool | None = Field(..., description="双超: output and profit both above plan.")


class RankOut(FiguresOut):
    rank: int = Field(..., description="Rank by year-to-date completion of plan (排名).")
    unit: NodeRef = Field(..., description="The child unit (下级单位).")


class CurveOut(Schema):
    """The year's daily curve as columns, one value per day from 1 January to the day."""

    dates: list[dt.date] = Field(..., description="The days (日期).")
    oil_t: list[float] = Field(..., description="Oil of each day, t (日产油).")
    plan_t: list[float | None] = Field(..., description="Each day's share of the plan, t (日计划).")
    average_t: list[float | None] = Field(..., description="7-day moving average, t/day (7日均值).")


class DashboardOut(Schema):
    unit: NodeRef | None = Field(..., description="The unit (its whole subtree); null when you may see none.")
    as_of: dt.date = Field(..., description="The day the figures are read on (截至日期).")
    figures: FiguresOut | None = Field(..., description="The unit's figures (产量指标).")
    curve: CurveOut | None = Field(..., description="The year's daily curve to the day (日产曲线).")
    ranking: list[RankOut] = Field(..., description="Child units ranked by completion of plan (下级单位排名).")


# --- project groups and measures -----------------------------------------------------------------

class GroupFilters(Schema):
    unit: str | None = Field(None, description="Code of a unit: groups of it and the units under it (单位编码).")
    year: int | None = Field(None, description="Year (年度).")
    q: str = Field("", description="Part of the name (名称).")


class PersonRef(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")


class GroupOut(Schema):
    id: int = Field(..., description="Id of the group (项目组编号).")
    name: str = Field(..., description="Name (名称).")
    unit: str = Field(..., description="Code of the unit (单位编码).")
    unit_name: str = Field(..., description="Name of the unit (单位).")
    leader: PersonRef = Field(..., description="The leader, from the unit's leadership (牵头领导).")
    year: int = Field(..., description="Year (年度).")
    target_measures: int | None = Field(..., description="Target measures, 井次 (目标井次).")
    target_increment_t: float | None = Field(..., description="Target incremental oil, t (目标增油).")
    targets: str = Field(..., description="Targets in words (目标).")


GroupPage = page_schema(GroupOut, "GroupPage")


class MeasureFiguresOut(Schema):
    planned: int = Field(..., description="Measures planned to date, 井次 (计划井次).")
    done: int = Field(..., description="Measures done to date, 井次 (实施井次).")
    done_minus_planned: int = Field(..., description="Done minus planned; negative: fewer done (井次差).")
    planned_increment_t: float = Field(..., description="Planned incremental oil of the planned measures, t "
                                                        "(计划增油).")
    actual_increment_t: float = Field(..., description="Actual incremental oil of the measures done, t (实际增油).")
    increment_over_plan_t: float = Field(..., description="Actual minus planned incremental oil, t (超产).")
    cost: float = Field(..., description="Cost of the measures done, 万元 (费用).")
    last_year_done: int = Field(..., description="Measures done in the same period last year (去年同期井次).")
    last_year_increment_t: float = Field(..., description="Their incremental oil to the same day last year, t "
                                                          "(去年同期增油).")
    done_vs_last_year: int = Field(..., description="Done minus last year's, 井次 (同比井次).")
    increment_vs_last_year_t: float = Field(..., description="Incremental oil minus last year's, t (同比增油).")


class GroupDetail(GroupOut):
    members: list[PersonRef] = Field(..., description="Members (成员).")
    wells: list[str] = Field(..., description="Well numbers the group works on (井号).")
    as_of: dt.date = Field(..., description="The day the figures are read on (截至日期).")
    figures: MeasureFiguresOut = Field(..., description="The group's measures this year to date (措施完成情况).")


class MeasureFilters(Schema):
    unit: str | None = Field(None, description="Code of a unit: measures on its wells and those below (单位编码).")
    group: int | None = Field(None, description="Id of a project group (项目组编号).")
    kind: MeasureKind | None = Field(None, description=f"Type (措施类型): {KINDS}.")
    year: int | None = Field(None, description="Planned or done in this year (年度).")
    well: str | None = Field(None, description="Well number (井号).")
    as_of: str | None = Field(None, description=AS_OF, **DATE)


class MeasureOut(Schema):
    id: int = Field(..., description="Id of the measure (措施编号).")
    well: str = Field(..., description="Well number (井号).")
    unit: str = Field(..., description="Code of the well's unit (单位编码).")
    unit_name: str = Field(..., description="Name of the well's unit (单位).")
    group: int | None = Field(..., description="Id of the project group (项目组编号).")
    group_name: str | None = Field(..., description="Name of the project group (项目组).")
    kind: str = Field(..., description=f"Type (措施类型): {KINDS}.")
    planned_month: dt.date = Field(..., description="First day of the planned month (计划月份).")
    done_on: dt.date | None = Field(..., description="Day done (实施日期).")
    planned_increment_t: float | None = Field(..., description="Planned incremental oil, t (计划增油).")
    cost: float | None = Field(..., description="Cost, 万元 (费用).")
    validity_days: int = Field(..., description="Days after the measure its oil counts (有效期天数).")
    baseline_t: float | None = Field(..., description="Baseline: mean daily oil of the 30 producing days before, "
                                                      "t/day (措施前基线).")
    actual_increment_t: float | None = Field(..., description="Actual incremental oil to the day, t; null when not "
                                                              "done (实际增油).")


MeasurePage = page_schema(MeasureOut, "MeasurePage")


class MeasureIn(Schema):
    well: str = Field(..., description="Well number (井号).")
    kind: MeasureKind = Field(..., description=f"Type (措施类型): {KINDS}.")
    planned_month: dt.date = Field(..., description="Any day of the planned month (计划月份).")
    done_on: dt.date | None = Field(None, description="Day done (实施日期).")
    group: int | None = Field(None, description="Id of the project group (项目组编号).")
    planned_increment_t: float | None = Field(None, ge=0, description="Planned incremental oil, t (计划增油).")
    cost: float | None = Field(None, ge=0, description="Cost, 万元 (费用).")
    validity_days: int = Field(365, ge=1, le=3650, description="Days after the measure its oil counts (有效期).")
    note: str = Field("", description="Note (备注).")


class MeasurePatch(Schema):
    kind: MeasureKind | None = Field(None, description=f"Type (措施类型): {KINDS}.")
    planned_month: dt.date | None = Field(None, description="Any day of the planned month (计划月份).")
    done_on: dt.date | None = Field(None, description="Day done (实施日期); send null to clear it.")
    group: int | None = Field(None, description="Id of the project group (项目组编号); send null to clear it.")
    planned_increment_t: float | None = Field(None, ge=0, description="Planned incremental oil, t (计划增油).")
    cost: float | None = Field(None, ge=0, description="Cost, 万元 (费用).")
    validity_days: int | None = Field(None, ge=1, le=3650, description="Days its oil counts (有效期).")
    note: str | None = Field(None, description="Note (备注).")


class SummaryQuery(Schema):
    unit: str | None = Field(None, description=UNIT_QUERY)
    as_of: str | None = Field(None, description=AS_OF, **DATE)


class SummaryRow(MeasureFiguresOut):
    key: int | None = Field(..., description="Id of the group, or null for the unit rows and the total.")
    name: str = Field(..., description="Name of the group or unit (名称).")
    unit: str | None = Field(..., description="Code of the child unit, for the unit rows (单位编码).")


class SummaryOut(Schema):
    unit: NodeRef | None = Field(..., description="The unit (its whole subtree).")
    as_of: dt.date = Field(..., description="Figures to this day (截至日期).")
    last_year_as_of: dt.date = Field(..., description="The same day last year (去年同期).")
    total: MeasureFiguresOut = Field(..., description="All measures of the unit (合计).")
    groups: list[SummaryRow] = Field(..., description="Per project group (按项目组).")
    units: list[SummaryRow] = Field(..., description="Per child unit (按下级单位).")


# --- new wells ------------------------------------------------------------------------------------------

class NewWellsQuery(Schema):
    unit: str | None = Field(None, description=UNIT_QUERY)
    year: int | None = Field(None, ge=1900, le=2200, description="Year; default the year of as_of (年度).")
    as_of: str | None = Field(None, description=AS_OF, **DATE)


class NewWellCounts(Schema):
    plan: int | None = Field(..., description="New wells planned for the year (新井计划).")
    designed: int = Field(..., description="Wells designed in the year (设计).")
    drilled: int = Field(..., description="Wells drilled in the year (完钻).")
    producing: int = Field(..., description="Wells put on production in the year (投产).")


class NewWellsChild(NewWellCounts):
    unit: NodeRef = Field(..., description="The child unit (下级单位).")


class NewWellsDay(Schema):
    date: dt.date = Field(..., description="Day (日期).")
    oil_t: float = Field(..., description="Oil of the year's new wells, t (新井日产油).")
    wells: int = Field(..., description="New wells reporting that day (新井数).")


class NewWellsOut(NewWellCounts):
    unit: NodeRef | None = Field(..., description="The unit (its whole subtree).")
    year: int = Field(..., description="Year (年度).")
    as_of: dt.date = Field(..., description="Counted to this day (截至日期).")
    latest_daily_oil_t: float | None = Field(..., description="The new wells' oil on the last day reported, t/day "
                                                              "(新井日产).")
    children: list[NewWellsChild] = Field(..., description="Per child unit (按下级单位).")
    daily: list[NewWellsDay] = Field(..., description="The new wells' daily oil (新井日产曲线).")


# --- writing project groups -------------------------------------------------------------------------

class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=120, description="Name, unique in the unit and year (名称).")
    unit: str = Field(..., description="Code of a unit you may change (单位编码).")
    leader: str = Field(..., description="Employee number of a member of the unit's leadership (牵头领导工号).")
    year: int = Field(..., ge=2000, le=2100, description="Year (年度).")
    members: list[str] = Field([], description="Employee numbers of the members (成员工号).")
    wells: list[str] = Field([], description="Well numbers of the unit's subtree the group works on (井号).")
    target_measures: int | None = Field(None, ge=0, description="Target measures, 井次 (目标井次).")
    target_increment_t: float | None = Field(None, ge=0, description="Target incremental oil, t (目标增油).")
    targets: str = Field("", description="Targets in words (目标).")


class GroupPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120, description="Name (名称).")
    unit: str | None = Field(None, description="Code of a unit you may change (单位编码); the group's wells must "
                                               "lie within it.")
    leader: str | None = Field(None, description="Employee number of a member of the unit's leadership (牵头领导工号).")
    year: int | None = Field(None, ge=2000, le=2100, description="Year (年度).")
    members: list[str] | None = Field(None, description="Employee numbers of the members: replaces those you may see; members outside your scope stay (成员工号).")
    wells: list[str] | None = Field(None, description="Well numbers of all the group's wells: replaces them (井号).")
    target_measures: int | None = Field(None, ge=0, description="Target measures, 井次 (目标井次); null clears it.")
    target_increment_t: float | None = Field(None, ge=0, description="Target incremental oil, t (目标增油); null "
                                                                     "clears it.")
    targets: str | None = Field(None, description="Targets in words (目标).")
