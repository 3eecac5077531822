"""Every read of what leaders see of production, scoped, in a fixed number of queries.

Unit figures (dashboards, steps, production by period, rankings) read `UnitDay` and `UnitPlan`
only: a unit's row already holds its whole subtree, so no read here scans the raw daily rows.
The incremental oil of measures and the new wells' output read `DailyProduction`, for the wells
concerned only and within bounded date windows."""
import calendar as gregorian
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.http import Http404

from ronghe.core.scoping import VIEW, scope_for
from ronghe.org.models import Person, Unit
from ronghe.production import rules, totals
from ronghe.production.models import DailyProduction, Measure, ProjectGroup, UnitDay, UnitPlan, Well

GROUPINGS = ("day", "month", "year")
# Wells per DailyProduction query when measures are evaluated: each adds a row of three
# parameters to the query.
WELLS_PER_QUERY = 300


# --- settings ---------------------------------------------------------------------------------------

def step_windows(**overrides) -> rules.StepWindows:
    """The step windows: the PRODUCTION_STEP_* settings, any of them overridden for one call."""
    values = {"base_days": getattr(settings, "PRODUCTION_STEP_BASE_DAYS", 30),
              "average_days": getattr(settings, "PRODUCTION_STEP_AVERAGE_DAYS", 7),
              "hold_days": getattr(settings, "PRODUCTION_STEP_HOLD_DAYS", 30),
              "step_t": getattr(settings, "PRODUCTION_STEP_T", 100.0)}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return rules.StepWindows(**values)


def baseline_days() -> int:
    return getattr(settings, "PRODUCTION_BASELINE_DAYS", 30)


def baseline_lookback_days() -> int:
    """How far before a measure its baseline's producing days are looked for."""
    return getattr(settings, "PRODUCTION_BASELINE_LOOKBACK_DAYS", 180)


# --- units --------------------------------------------------------------------------------------------

def units(user, action=VIEW):
    return Unit.objects.restrict(user, action).filter(abolished_on=None)


def unit_or_404(user, code: str) -> Unit:
    unit = Unit.objects.restrict(user, VIEW).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def default_unit(user) -> Unit | None:
    """The unit a dashboard opens on: the highest one the user may see."""
    return units(user).order_by("depth", "sort_order", "code").first()


def visible_children(user, unit):
    return list(units(user).filter(parent=unit).order_by("sort_order", "code"))


# --- the totals, read by hand-written SQL ---------------------------------------------------------
# The dashboards and the steps read their units and a few hundred UnitDay and UnitPlan rows in
# fixed queries. Building them through the ORM took longer than the database took to answer them
# (about 0.5 to 1 ms a query against 0.3 to 1.4 ms; bench/bench_production_reads.py), so they are
# written out, in SQL that PostgreSQL and SQLite read alike. The units are read under the scope's
# own condition (_in_scope); the totals take the ids of those units.

def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _placeholders(values) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _in_scope(user) -> tuple[str, list]:
    """A condition keeping the units `u` the user may see, as SQL and its parameters, written by
    the same scope rules as Unit.objects.restrict: none for a user who sees everything; a user
    who sees nothing is told 404."""
    scope = scope_for(user, VIEW)
    if scope.empty:
        raise Http404
    if scope.everything:
        return "", []
    sql, params = Unit.objects.restrict(user, VIEW).order_by().values("pk").query.sql_with_params()
    return f" AND u.id IN ({sql})", list(params)


# --- series -------------------------------------------------------------------------------------------

def oil_series(unit, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    """The unit's (a Unit or its id) daily oil from `start` to `end`, date → t."""
    rows = _rows(f"SELECT date, oil_t FROM {UnitDay._meta.db_table} WHERE unit_id = %s AND date BETWEEN %s AND %s",
                 [getattr(unit, "pk", unit), start, end])
    return {totals.column_date(day): oil for day, oil in rows}


def steps(unit, base_date: dt.date, as_of: dt.date, windows: rules.StepWindows | None = None) -> rules.Steps:
    """The hundred-ton steps of a unit's subtree from `base_date`, read up to `as_of`."""
    windows = windows or step_windows()
    return rules.hundred_ton_steps(oil_series(unit, _steps_start(base_date, windows), as_of), base_date, as_of,
                                   windows)


def _steps_start(base_date, windows):
    return base_date - dt.timedelta(days=windows.base_days + windows.average_days)


class NamedUnit(NamedTuple):
    """A unit by what an answer names it by."""

    pk: int
    code: str
    name: str


def steps_of(user, code: str, base_date: dt.date, as_of: dt.date,
             windows: rules.StepWindows | None = None) -> tuple[NamedUnit, rules.Steps]:
    """The unit of `code` in the user's scope (404 outside) and its steps, in two queries: the
    unit's id and name, then its days by the unit's id. (Reading the days with the unit's name
    joined cost more than the second query: the name came with every one of some 700 rows.)"""
    scope, scope_params = _in_scope(user)
    found = _rows(f"SELECT u.id, u.name FROM {Unit._meta.db_table} u WHERE u.code = %s{scope}", [code, *scope_params])
    if not found:
        raise Http404
    unit = NamedUnit(found[0][0], code, found[0][1])
    return unit, steps(unit, base_date, as_of, windows)


def _period_start(day: dt.date, group: str) -> dt.date:
    if group == "year":
        return day.replace(month=1, day=1)
    if group == "month":
        return day.replace(day=1)
    return day


def production(unit, start: dt.date, end: dt.date, group: str = "day") -> list[dict]:
    """The unit's subtree's oil, liquid and gas per day, month or year from `start` to `end`,
    with the days reported and the mean daily oil and producing wells of each period."""
    rows = UnitDay.objects.filter(unit=unit, date__gte=start, date__lte=end).order_by()
    if group == "day":
        return [{"period": day, "oil_t": oil, "liquid_t": liquid, "gas_m3": gas, "days": 1,
                 "daily_oil_t": oil, "producing_wells": float(wells)}
                for day, oil, liquid, gas, wells in rows.order_by("date").values_list(
                    "date", "oil_t", "liquid_t", "gas_m3", "producing_wells")]
    trunc = TruncMonth("date") if group == "month" else TruncYear("date")
    out = []
    for row in (rows.annotate(period=trunc).values("period").order_by("period")
                .annotate(oil=Sum("oil_t"), liquid=Sum("liquid_t"), gas=Sum("gas_m3"), days=Count("id"),
                          wells=Avg("producing_wells"))):
        period = row["period"]
        period = period.date() if isinstance(period, dt.datetime) else period
        out.append({"period": period, "oil_t": row["oil"], "liquid_t": row["liquid"], "gas_m3": row["gas"],
                    "days": row["days"], "daily_oil_t": row["oil"] / row["days"],
                    "producing_wells": round(row["wells"], 1)})
    return out


# --- plans ----------------------------------------------------------------------------------------

@dataclass
class PlanYear:
    """A unit's plans for a year: annual figures (month 0) and monthly ones."""

    annual_oil: float | None = None
    annual_profit: float | None = None
    new_wells: int | None = None
    monthly_oil: dict = field(default_factory=dict)
    monthly_profit: dict = field(default_factory=dict)
    monthly_profit_actual: dict = field(default_factory=dict)

    def oil_to_date(self, as_of):
        return rules.plan_to_date(self.annual_oil, self.monthly_oil, as_of)

    def profit_to_date(self, as_of):
        return rules.profit_to_date(self.monthly_profit, self.monthly_profit_actual, self.annual_profit, as_of)


def plan_years(unit_ids, year: int) -> dict[int, PlanYear]:
    """The plans of each unit for `year` (one query)."""
    out = {pk: PlanYear() for pk in unit_ids}
    rows = _rows(f"SELECT unit_id, month, oil_plan_t, profit_plan, profit_actual, new_wells_plan "
                 f"FROM {UnitPlan._meta.db_table} WHERE year = %s AND unit_id IN {_placeholders(out)}", [year, *out])
    for unit_id, month, oil, profit, profit_actual, new_wells in rows:
        plan = out[unit_id]
        if month == 0:
            plan.annual_oil, plan.annual_profit, plan.new_wells = oil, profit, new_wells
        else:
            plan.monthly_oil[month], plan.monthly_profit[month] = oil, profit
            plan.monthly_profit_actual[month] = profit_actual
    return out


# --- dashboard ------------------------------------------------------------------------------------------

def _ratio(actual, plan):
    return actual / plan if plan else None


def figures(actual_ytd: float, actual_mtd: float, plan: PlanYear, as_of: dt.date) -> dict:
    """The figures of one unit on `as_of`: month and year to date against plan, pace and 双超."""
    ytd_plan, mtd_plan = plan.oil_to_date(as_of), rules.month_to_date(plan.annual_oil, plan.monthly_oil, as_of)
    profit_actual, profit_plan = plan.profit_to_date(as_of)
    pace = rules.pace(actual_ytd, plan.annual_oil, as_of)
    double = rules.double_exceed(actual_ytd, ytd_plan, profit_actual, profit_plan)
    return {"ytd_actual_t": actual_ytd, "ytd_plan_t": ytd_plan, "ytd_ratio": _ratio(actual_ytd, ytd_plan),
            "mtd_actual_t": actual_mtd, "mtd_plan_t": mtd_plan, "mtd_ratio": _ratio(actual_mtd, mtd_plan),
            "annual_plan_t": plan.annual_oil, "done_share": pace.done_share, "time_share": pace.time_share,
            "on_pace": pace.on_pace, "profit_actual": profit_actual, "profit_plan": profit_plan,
            "output_above_plan": double.output, "profit_above_plan": double.profit, "double_exceed": double.both}


def _family(user, unit, start: dt.date, month_start: dt.date, as_of: dt.date):
    """The unit (a Unit, kept as it is, or its code: a NamedUnit; 404 outside the scope), its
    visible children (NamedUnits), and each one's oil from `start` and from `month_start` to
    `as_of` by id. Two queries: the units, then their sums grouped by unit, read from the (unit,
    date, oil_t) index alone. (One query with the sums as correlated subqueries ran as fast on
    the server but took longer to build than the second query costs.)"""
    scope, scope_params = _in_scope(user)
    if isinstance(unit, str):
        # The parent's id as a scalar subquery, not a join: both sides of the OR stay on an index.
        own = f"u.code = %s OR u.parent_id = (SELECT id FROM {Unit._meta.db_table} WHERE code = %s)"
        own_params = [unit, unit]
    else:
        own, own_params = "u.id = %s OR u.parent_id = %s", [unit.pk, unit.pk]
    rows = [NamedUnit(*row) for row in _rows(
        f"SELECT u.id, u.code, u.name FROM {Unit._meta.db_table} u WHERE ({own} AND u.abolished_on IS NULL){scope} "
        "ORDER BY u.sort_order, u.code", [*own_params, *scope_params])]
    found = next((row for row in rows if (row.code == unit if isinstance(unit, str) else row.pk == unit.pk)), None)
    if found is None:
        raise Http404
    ids = [row.pk for row in rows]
    sums = {pk: (ytd, mtd) for pk, ytd, mtd in _rows(
        f"SELECT unit_id, SUM(oil_t), SUM(CASE WHEN date >= %s THEN oil_t ELSE 0 END) FROM {UnitDay._meta.db_table} "
        f"WHERE unit_id IN {_placeholders(ids)} AND date BETWEEN %s AND %s GROUP BY unit_id",
        [month_start, *ids, start, as_of])}
    return (found if isinstance(unit, str) else unit), [row for row in rows if row is not found], sums


def dashboard(user, unit, as_of: dt.date) -> dict:
    """The dashboard on `as_of` of `unit` (a Unit, or its code: 404 outside the scope): the
    year's daily curve with its plan line and 7-day average, its figures, and the ranking of its
    child units. Four queries: the unit and its children, their sums, their plans, the unit's
    days."""
    start, month_start = as_of.replace(month=1, day=1), as_of.replace(day=1)
    unit, children, sums = _family(user, unit, start, month_start, as_of)
    plans = plan_years([unit.pk, *(c.pk for c in children)], as_of.year)
    series = oil_series(unit, start - dt.timedelta(days=6), as_of)
    days = [start + dt.timedelta(days=i) for i in range((as_of - start).days + 1)]
    plan = plans[unit.pk]
    # A day's plan is its month's: computed once a month.
    month_plans = {m: rules.daily_plan(plan.annual_oil, plan.monthly_oil, dt.date(as_of.year, m, 1))
                   for m in range(1, as_of.month + 1)}
    ranking = [{"unit": child, **figures(*sums.get(child.pk, (0.0, 0.0)), plans[child.pk], as_of)}
               for child in children]
    ranking.sort(key=lambda r: (r["ytd_ratio"] is None, -(r["ytd_ratio"] or 0), -r["ytd_actual_t"]))
    for rank, row in enumerate(ranking, start=1):
        row["rank"] = rank
    return {"unit": unit, "as_of": as_of, "figures": figures(*sums.get(unit.pk, (0.0, 0.0)), plan, as_of),
            "days": days, "oil": [series.get(day, 0.0) for day in days],
            "plan": [month_plans[day.month] for day in days],
            "average": rules.trailing_means(series, start - dt.timedelta(days=6), as_of, 7)[6:], "ranking": ranking}


# --- project groups and measures ------------------------------------------------------------------

def groups(user, action=VIEW):
    return ProjectGroup.objects.restrict(user, action).select_related("unit", "leader")


def measures(user, action=VIEW):
    return Measure.objects.restrict(user, action).select_related("well", "well__unit", "group")


def people(user, action=VIEW):
    return Person.objects.restrict(user, action)


def wells(user, action=VIEW):
    return Well.objects.restrict(user, action).select_related("unit")


def increments(rows, as_of: dt.date) -> dict[int, rules.Increment | None]:
    """The incremental oil of each measure (`rows`: Measure objects or dicts with id, well_id,
    done_on, validity_days) on `as_of`. Reads the daily rows of the measures' wells only, each
    well within its measures' windows: one query per WELLS_PER_QUERY wells."""
    lookback, base_days = baseline_lookback_days(), baseline_days()
    done = []
    out = {}
    for m in rows:
        get = m.get if isinstance(m, dict) else lambda name, m=m: getattr(m, name)
        if get("done_on") is None or get("done_on") > as_of:
            out[get("id")] = None
        else:
            done.append((get("id"), get("well_id"), get("done_on"), get("validity_days")))
    spans: dict[int, list] = {}
    for _pk, well_id, done_on, validity in done:
        first = done_on - dt.timedelta(days=lookback)
        last = rules.measure_window(done_on, as_of, validity)[1]
        span = spans.setdefault(well_id, [first, last])
        span[0], span[1] = min(span[0], first), max(span[1], last)
    by_well: dict[int, list] = defaultdict(list)
    well_ids = list(spans)
    for start in range(0, len(well_ids), WELLS_PER_QUERY):
        chunk = well_ids[start:start + WELLS_PER_QUERY]
        # The spans joined as a table of values: each is one index range scan, of only the
        # partitions it spans. As an OR of ranges the planner crossed every range with every
        # partition (8× slower at the reference scale, 2× on one table).
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [value for pk in chunk for value in (pk, *spans[pk])]
        for well_id, day, oil, hours in _rows(
                f"""WITH s (well_id, day_from, day_to) AS (VALUES {values})
                    SELECT d.well_id, d."date", d.oil_t, d.hours FROM s JOIN {DailyProduction._meta.db_table} d
                      ON d.well_id = s.well_id AND d."date" >= s.day_from AND d."date" <= s.day_to
                    ORDER BY d.well_id, d."date" """, params):
            by_well[well_id].append(rules.Day(totals.column_date(day), oil, hours))
    for pk, well_id, done_on, validity in done:
        out[pk] = rules.measure_increment(by_well[well_id], done_on, as_of, validity_days=validity,
                                          baseline_days=base_days, lookback_days=lookback)
    return out


@dataclass
class MeasureFigures:
    """Planned against done measures (井次) and planned against actual incremental oil, this year
    to date and in the same period of last year (同比)."""

    key: object
    name: str
    planned: int = 0
    done: int = 0
    planned_increment_t: float = 0.0
    actual_increment_t: float = 0.0
    cost: float = 0.0
    last_done: int = 0
    last_increment_t: float = 0.0

    @property
    def done_minus_planned(self):
        return self.done - self.planned

    @property
    def increment_over_plan_t(self):
        return self.actual_increment_t - self.planned_increment_t

    @property
    def done_vs_last_year(self):
        return self.done - self.last_done

    @property
    def increment_vs_last_year_t(self):
        return self.actual_increment_t - self.last_increment_t

    def as_dict(self) -> dict:
        return {"planned": self.planned, "done": self.done, "done_minus_planned": self.done_minus_planned,
                "planned_increment_t": round(self.planned_increment_t, 1),
                "actual_increment_t": round(self.actual_increment_t, 1),
                "increment_over_plan_t": round(self.increment_over_plan_t, 1), "cost": round(self.cost, 2),
                "last_year_done": self.last_done, "last_year_increment_t": round(self.last_increment_t, 1),
                "done_vs_last_year": self.done_vs_last_year,
                "increment_vs_last_year_t": round(self.increment_vs_last_year_t, 1)}


def same_day_last_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def measure_summary(user, as_of: dt.date, *, root=None, group=None) -> dict:
    """Measures of the year of `as_of` up to that day, per project group and per child unit of
    `root` (the well's unit's branch under it), with totals:

    - planned: measures whose planned month began by `as_of`; their planned incremental oil;
    - done: measures done in the year by `as_of`; their actual incremental oil up to `as_of`;
    - last year: measures done in the same period of last year, their increment up to the same
      day of last year (同比)."""
    last_as_of = same_day_last_year(as_of)
    year_start, last_start = as_of.replace(month=1, day=1), last_as_of.replace(month=1, day=1)
    qs = Measure.objects.restrict(user, VIEW)
    if root is not None:
        qs = qs.filter(well__unit__path__startswith=root.path)
    if group is not None:
        qs = qs.filter(group=group)
    this_year = Q(planned_month__gte=year_start, planned_month__lte=as_of) | Q(done_on__gte=year_start,
                                                                                   done_on__lte=as_of)
    last_year = Q(done_on__gte=last_start, done_on__lte=last_as_of)
    rows = list(qs.filter(this_year | last_year).values(
        "id", "well_id", "done_on", "validity_days", "planned_month", "planned_increment_t", "cost", "group_id",
        "group__name", "well__unit__path"))
    now = increments([r for r in rows if r["done_on"] and r["done_on"] >= year_start], as_of)
    before = increments([r for r in rows if r["done_on"] and r["done_on"] < year_start], last_as_of)
    children = []
    if root is not None:
        children = list(units(user).filter(parent=root).order_by("sort_order", "code").values_list(
            "pk", "name", "path"))
    total = MeasureFigures(None, "")
    by_group: dict = {}
    by_unit: dict = {}
    for row in rows:
        buckets = [total]
        if row["group_id"]:
            buckets.append(by_group.setdefault(row["group_id"], MeasureFigures(row["group_id"], row["group__name"])))
        branch = next((c for c in children if row["well__unit__path"].startswith(c[2])), None)
        if branch:
            buckets.append(by_unit.setdefault(branch[0], MeasureFigures(branch[0], branch[1])))
        for bucket in buckets:
            _count(bucket, row, year_start, as_of, now, before)
    return {"as_of": as_of, "last_as_of": last_as_of, "total": total,
            "groups": sorted(by_group.values(), key=lambda g: g.name),
            "units": [by_unit[c[0]] for c in children if c[0] in by_unit]}


def _count(bucket, row, year_start, as_of, now, before):
    if year_start <= row["planned_month"] <= as_of:
        bucket.planned += 1
        bucket.planned_increment_t += row["planned_increment_t"] or 0.0
    done_on = row["done_on"]
    if done_on and year_start <= done_on <= as_of:
        bucket.done += 1
        bucket.cost += row["cost"] or 0.0
        bucket.actual_increment_t += now[row["id"]].increment_t
    elif done_on and done_on < year_start:
        bucket.last_done += 1
        bucket.last_increment_t += before[row["id"]].increment_t


# --- new wells ---------------------------------------------------------------------------------------

def new_wells(user, unit, year: int, as_of: dt.date) -> dict:
    """Wells of the unit's subtree designed, drilled and put on production in `year` (by `as_of`)
    against the annual new-well plan, per child unit too, and the daily oil of the wells put on
    production that year. The output reads the new wells' own daily rows only."""
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    children = visible_children(user, unit)
    plans = plan_years([unit.pk, *(c.pk for c in children)], year)
    in_year = {"designed": Q(designed_on__gte=start, designed_on__lte=end),
               "drilled": Q(drilled_on__gte=start, drilled_on__lte=end),
               "producing": Q(producing_since__gte=start, producing_since__lte=end)}
    subtree = Well.objects.filter(unit__path__startswith=unit.path)
    counts = subtree.aggregate(**{k: Count("id", filter=q) for k, q in in_year.items()})
    by_child = []
    if children:
        whens = {k: Count("id", filter=q) for k, q in in_year.items()}
        paths = {c.pk: c.path for c in children}
        per_path = subtree.values("unit__path").annotate(**whens)
        totals = {c.pk: {k: 0 for k in in_year} for c in children}
        for row in per_path:
            owner = next((pk for pk, path in paths.items() if row["unit__path"].startswith(path)), None)
            if owner:
                for k in in_year:
                    totals[owner][k] += row[k]
        by_child = [{"unit": c, **totals[c.pk], "plan": plans[c.pk].new_wells} for c in children]
    daily = list(DailyProduction.objects.filter(
        well__in=subtree.filter(in_year["producing"]), date__gte=start, date__lte=end)
        .values("date").order_by("date").annotate(oil=Sum("oil_t"), wells=Count("well_id")))
    latest = daily[-1] if daily else None
    return {"unit": unit, "year": year, "as_of": end, "plan": plans[unit.pk].new_wells, **counts,
            "children": by_child, "daily": [{"date": r["date"], "oil_t": r["oil"], "wells": r["wells"]}
                                            for r in daily],
            "latest_daily_oil_t": latest["oil"] if latest else None, "latest_date": latest["date"] if latest else None}


def data_span(unit) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of the unit's totals."""
    span = UnitDay.objects.filter(unit=unit).aggregate(first=Min("date"), last=Max("date"))
    return span["first"], span["last"]


def month_days(year: int, month: int) -> int:
    return gregorian.monthrange(year, month)[1]
