"""Live indicators read from the production module (全员抓产量): output against plan, output
in tons, measures done against plan, and new-well output. Per unit they read the unit-day totals
(`UnitDay`, kept for a unit's whole subtree) and never scan a well's daily rows, except for new
wells, which are few."""
import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from ronghe.competitions import rules
from ronghe.competitions.sources import GROUPS, UNITS, by_subtree, elapsed, register
from ronghe.production import selectors as production_selectors
from ronghe.production.models import DailyProduction, Measure, UnitDay, UnitPlan, Well


def _months(start: dt.date, end: dt.date):
    """(year, month, days of the month inside [start, end], days of the month)."""
    cursor = start.replace(day=1)
    while cursor <= end:
        days = calendar.monthrange(cursor.year, cursor.month)[1]
        last = cursor.replace(day=days)
        yield cursor.year, cursor.month, (min(last, end) - max(cursor, start)).days + 1, days
        cursor = last + dt.timedelta(days=1)


def oil_plans(units, start: dt.date, end: dt.date) -> dict[int, float]:
    """Each unit's oil plan for the days [start, end]: its monthly plans pro rata, a month
    without one taking its share of the annual plan (month 0) by days. A unit missing both for
    any month has no plan."""
    years = {start.year, end.year} | set(range(start.year, end.year + 1))
    rows = UnitPlan.objects.filter(unit__in=units, year__in=years, oil_plan_t__isnull=False).values_list(
        "unit_id", "year", "month", "oil_plan_t")
    plans = {(unit_id, year, month): plan for unit_id, year, month, plan in rows}
    out = {}
    for unit in units:
        total = 0.0
        for year, month, inside, days in _months(start, end):
            if (unit.pk, year, month) in plans:
                total += plans[(unit.pk, year, month)] * inside / days
            elif (unit.pk, year, 0) in plans:
                total += plans[(unit.pk, year, 0)] * inside / (366 if calendar.isleap(year) else 365)
            else:
                break
        else:
            out[unit.pk] = total
    return out


def _oil(participants, start, end):
    units = {p.unit_id for p in participants}
    rows = (UnitDay.objects.filter(unit_id__in=units, date__gte=start, date__lte=end)
            .values("unit_id").annotate(oil=Sum("oil_t")).values_list("unit_id", "oil"))
    return dict(rows)


@register("production.output_vs_plan", label=_("Output against plan (产量完成率)"), unit_label="%", kinds=[UNITS],
          normalisation=rules.Normalisation.RATIO.value,
          help=_("Oil produced by the unit's whole subtree over the period to date, as a percentage of its plan "
                 "for the same days (monthly plans, else the annual plan by days). Score it as a ratio to a "
                 "target of 100."))
def output_vs_plan(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    oil = _oil(participants, period_start, end)
    plans = oil_plans([p.unit for p in participants], period_start, end)
    return {p.pk: oil.get(p.unit_id, 0.0) / plans[p.unit_id] * 100
            for p in participants if plans.get(p.unit_id)}


@register("production.oil_output", label=_("Oil output (产油量)"), unit_label="t", kinds=[UNITS],
          normalisation=rules.Normalisation.RATIO.value,
          help=_("Tons of oil produced by the unit's whole subtree over the period to date, with its plan for "
                 "the same days: as a ratio to plan it measures 超产 (output above plan)."))
def oil_output(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    oil = _oil(participants, period_start, end)
    plans = oil_plans([p.unit for p in participants], period_start, end)
    return {p.pk: rules.Reading(oil.get(p.unit_id, 0.0), plans.get(p.unit_id)) for p in participants}


def _measure_filter(participants):
    groups = [p.project_group_id for p in participants if p.project_group_id]
    if groups:
        return Q(group_id__in=groups)
    q = Q(pk__in=[])
    for p in participants:
        q |= Q(well__unit__path__startswith=p.unit.path)
    return q


def _owners(participants, path, group_id):
    if any(p.project_group_id for p in participants):
        return [p.pk for p in participants if p.project_group_id == group_id]
    return [p.pk for p in participants if path.startswith(p.unit.path)]


@register("production.measures_done", label=_("Measures done against plan (措施完成井次)"), unit_label="井次",
          kinds=[UNITS, GROUPS], normalisation=rules.Normalisation.RATIO.value,
          help=_("Well measures (措施) done in the period to date, with the number planned for the period's "
                 "months as the plan: as a ratio to plan it is measures done against planned."))
def measures_done(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    rows = (Measure.objects.filter(_measure_filter(participants))
            .filter(Q(planned_month__gte=period_start.replace(day=1), planned_month__lte=end)
                    | Q(done_on__gte=period_start, done_on__lte=end))
            .values_list("well__unit__path", "group_id", "planned_month", "done_on"))
    done, planned = defaultdict(int), defaultdict(int)
    for path, group_id, planned_month, done_on in rows:
        for pk in _owners(participants, path, group_id):
            if period_start.replace(day=1) <= planned_month <= end:
                planned[pk] += 1
            if done_on is not None and period_start <= done_on <= end:
                done[pk] += 1
    return {p.pk: rules.Reading(float(done[p.pk]), float(planned[p.pk]) if planned[p.pk] else None)
            for p in participants}


@register("production.new_well_output", label=_("New-well output (新井日产)"), unit_label="t/d",
          kinds=[UNITS, GROUPS],
          help=_("Average daily oil of the wells put on production in the period's year (新井), over the "
                 "period to date: of the unit's subtree, or of the project group's wells."))
def new_well_output(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    days = (end - period_start).days + 1
    new_wells = Well.objects.filter(producing_since__year=period_start.year)
    daily = DailyProduction.objects.filter(date__gte=period_start, date__lte=end)
    groups = [p.project_group_id for p in participants if p.project_group_id]
    if groups:
        rows = (daily.filter(well__in=new_wells.filter(project_groups__in=groups))
                .values("well__project_groups").annotate(oil=Sum("oil_t"))
                .values_list("well__project_groups", "oil"))
        totals = defaultdict(float)
        for group_id, oil in rows:
            for p in participants:
                if p.project_group_id == group_id:
                    totals[p.pk] += oil or 0.0
    else:
        q = Q(pk__in=[])
        for p in participants:
            q |= Q(unit__path__startswith=p.unit.path)
        rows = (daily.filter(well__in=new_wells.filter(q)).values("well__unit__path").annotate(oil=Sum("oil_t"))
                .values_list("well__unit__path", "oil"))
        totals = by_subtree(participants, rows)
    return {p.pk: totals.get(p.pk, 0.0) / days for p in participants}


@register("production.measure_increment", label=_("Incremental oil of measures (措施增油)"), unit_label="t",
          kinds=[UNITS, GROUPS],
          help=_("Oil the well measures in effect added during the period to date, over each well's "
                 "pre-measure baseline (the production module's 措施增油 rule): of the measures on the unit's "
                 "subtree's wells, or of the project group's measures."))
def measure_increment(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    rows = list(Measure.objects.filter(_measure_filter(participants), done_on__isnull=False, done_on__lte=end)
                .values("id", "well_id", "done_on", "validity_days", "well__unit__path", "group_id"))
    # Only measures whose validity window reaches into the period add oil in it.
    rows = [r for r in rows if r["done_on"] + dt.timedelta(days=r["validity_days"]) >= period_start]
    at_end = production_selectors.increments(rows, end)
    before = production_selectors.increments(rows, period_start - dt.timedelta(days=1))
    totals = defaultdict(float)
    for row in rows:
        gained = (at_end[row["id"]].increment_t if at_end[row["id"]] else 0.0) - (
            before[row["id"]].increment_t if before[row["id"]] else 0.0)
        for pk in _owners(participants, row["well__unit__path"], row["group_id"]):
            totals[pk] += gained
    return {p.pk: totals[p.pk] for p in participants}
