"""What leaders read: dashboards, steps, production by period, measures and new wells, from the
unit-day totals and plans (and, for measures and new wells, the wells' own rows)."""
import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ronghe.production import selectors
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def plants(org):
    """The plant and its sibling with 2026 totals: the plant 100 t/day, its area 60 t/day; the
    sibling 50 t/day. Plans: the plant 36,500 t a year with February at 3,000 t; the sibling
    18,250 t; the plant's area 18,250 t. Actual profit of the plant above plan in Jan and Feb."""
    days = (D(2026, 3, 1) - D(2026, 1, 1)).days + 1
    pf.unit_days(org.hq, D(2026, 1, 1), [150.0] * days)
    pf.unit_days(org.plant, D(2026, 1, 1), [100.0] * days)
    pf.unit_days(org.area, D(2026, 1, 1), [60.0] * days)
    pf.unit_days(org.sibling, D(2026, 1, 1), [50.0] * days)
    pf.plan(org.plant, 2026, oil_plan_t=36500, profit_plan=1200)
    pf.plan(org.plant, 2026, 2, oil_plan_t=3000, profit_plan=100, profit_actual=110)
    pf.plan(org.plant, 2026, 1, profit_plan=100, profit_actual=105)
    pf.plan(org.sibling, 2026, oil_plan_t=18250)
    pf.plan(org.area, 2026, oil_plan_t=18250)
    return org


def test_the_dashboard_compares_month_and_year_to_date_with_plan(plants, personas):
    board = selectors.dashboard(personas.superuser, plants.plant, D(2026, 2, 14))
    figures = board["figures"]
    assert figures["ytd_actual_t"] == 45 * 100
    assert figures["ytd_plan_t"] == pytest.approx(3100 + 1500)  # January by days, half of February's 3,000
    assert figures["mtd_actual_t"] == 1400
    assert figures["mtd_plan_t"] == pytest.approx(1500)
    assert figures["time_share"] == pytest.approx(45 / 365)
    assert figures["done_share"] == pytest.approx(4500 / 36500)
    assert figures["on_pace"] is True
    assert (figures["profit_actual"], figures["profit_plan"]) == (215, 200)
    assert figures["output_above_plan"] is False and figures["double_exceed"] is False
    assert len(board["days"]) == 45 and board["oil"][0] == 100
    assert board["plan"][0] == pytest.approx(100) and board["plan"][-1] == pytest.approx(3000 / 28)


def test_the_dashboard_ranks_the_child_units_it_may_see(plants, personas):
    board = selectors.dashboard(personas.superuser, plants.hq, D(2026, 2, 28))
    ranked = [(row["rank"], row["unit"].code) for row in board["ranking"]]
    # The sibling at 50 t/day meets its 50 t/day plan; the plant at 100 t/day is below 3,100 + 3,000 t.
    assert ranked[:2] == [(1, "CY2"), (2, "CY1")]
    assert ranked[-1][1] == "HQ-ZZB"  # no plan: ranked last
    admin_board = selectors.dashboard(personas.plant_admin, plants.plant, D(2026, 2, 28))
    assert [row["unit"].code for row in admin_board["ranking"]] == ["CY1-A1"]


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_child_units(plants, personas):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.dashboard(personas.superuser, plants.hq, D(2026, 2, 28))
        return len(ctx.captured_queries)

    few = count()
    for n in range(20):
        child = f.unit(parent=plants.hq)
        pf.unit_days(child, D(2026, 1, 1), [float(n)] * 30)
        pf.plan(child, 2026, oil_plan_t=1000)
    assert count() == few


def test_a_unit_outside_the_scope_is_not_found(plants, personas):
    with pytest.raises(Http404):
        selectors.unit_or_404(personas.plant_admin, "CY2")
    assert selectors.unit_or_404(personas.plant_admin, "CY1-A1") == plants.area


def test_production_is_grouped_by_day_month_and_year(plants):
    by_month = selectors.production(plants.plant, D(2026, 1, 15), D(2026, 2, 10), "month")
    assert [(r["period"], r["oil_t"], r["days"], r["daily_oil_t"]) for r in by_month] == [
        (D(2026, 1, 1), 1700, 17, 100), (D(2026, 2, 1), 1000, 10, 100)]
    assert selectors.production(plants.plant, D(2026, 1, 1), D(2026, 12, 31), "year")[0]["oil_t"] == 6000
    by_day = selectors.production(plants.plant, D(2026, 1, 1), D(2026, 1, 3), "day")
    assert [r["period"] for r in by_day] == [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)]


def test_steps_read_the_unit_totals_with_the_configured_windows(org, settings):
    pf.unit_days(org.plant, D(2026, 1, 1), [250, 250, 260, 300, 320, 300, 300, 420, 400, 380, 500, 600, 600])
    settings.PRODUCTION_STEP_BASE_DAYS, settings.PRODUCTION_STEP_AVERAGE_DAYS = 3, 2
    settings.PRODUCTION_STEP_HOLD_DAYS = 3
    result = selectors.steps(org.plant, D(2026, 1, 4), D(2026, 1, 13))
    assert [(s.k, s.reached_on, s.held) for s in result.steps] == [
        (1, D(2026, 1, 5), True), (2, D(2026, 1, 9), False), (3, D(2026, 1, 12), None), (4, D(2026, 1, 13), None)]
    wider = selectors.steps(org.plant, D(2026, 1, 4), D(2026, 1, 13), selectors.step_windows(hold_days=10))
    assert wider.steps[0].held is None


@pytest.fixture
def measured(org):
    """Two wells of the plant's area at 10 t/day from December 2025; well A rises to 15 t/day
    after a fracturing on 2026-01-10, well B to 12 t/day after an acidizing on 2025-06-10 (last
    year). The group planned three measures this year; two were done."""
    leader = f.person(org.plant, name="邹书记")
    a, b = pf.well(org.area, "A-1"), pf.well(org.area, "B-1")
    pf.daily(a, D(2025, 12, 1), [10.0] * 40 + [15.0] * 90)   # 40 days: Dec 1 .. Jan 9
    pf.daily(b, D(2025, 5, 1), [10.0] * 40 + [12.0] * 200)   # 40 days: May 1 .. Jun 9
    group = ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2026)
    made = [
        Measure.objects.create(group=group, well=a, kind="fracturing", planned_month=D(2026, 1, 1),
                               done_on=D(2026, 1, 9), planned_increment_t=100),
        Measure.objects.create(group=group, well=b, kind="acidizing", planned_month=D(2026, 1, 1),
                               done_on=D(2026, 1, 20), planned_increment_t=50),
        Measure.objects.create(group=group, well=b, kind="workover", planned_month=D(2026, 2, 1),
                               planned_increment_t=80),
        Measure.objects.create(well=b, kind="acidizing", planned_month=D(2025, 6, 1), done_on=D(2025, 6, 9),
                               planned_increment_t=60),
    ]
    return group, made


def test_increments_read_each_measures_well_within_its_window(measured):
    _group, (frac, acid, _planned, last_year) = measured
    found = selectors.increments([frac, acid, _planned, last_year], D(2026, 1, 19))
    assert found[frac.pk].baseline_t == 10 and found[frac.pk].increment_t == 5 * 10  # Jan 10..19
    assert found[acid.pk] is None  # done after as_of
    assert found[_planned.pk] is None
    # Last year's acidizing: 12 t/day against 10 from June 10 up to as_of (224 days of 365).
    assert found[last_year.pk].days_counted == 200 and found[last_year.pk].increment_t == 400


def test_the_measure_summary_compares_plan_and_done_and_the_same_period_last_year(measured, personas, org):
    group, _ = measured
    summary = selectors.measure_summary(personas.superuser, D(2026, 2, 28), root=org.hq)
    total = summary["total"].as_dict()
    assert (total["planned"], total["done"], total["done_minus_planned"]) == (3, 2, -1)
    # Fracturing: 5 t/day × 50 days (Jan 10 .. Feb 28); the acidizing on a well at 12 t/day gains nothing.
    assert total["actual_increment_t"] == 250
    assert (total["planned_increment_t"], total["increment_over_plan_t"]) == (230, 20)
    # Same period last year (to 2025-02-28): nothing done yet.
    assert (total["last_year_done"], total["last_year_increment_t"]) == (0, 0)
    assert [g.name for g in summary["groups"]] == [group.name]
    assert [u.name for u in summary["units"]] == ["采油一厂"]
    later = selectors.measure_summary(personas.superuser, D(2026, 6, 30), root=org.hq)["total"]
    assert (later.last_done, round(later.last_increment_t)) == (1, 2 * 21)  # June 10 .. 30, 2025


def test_the_measure_summary_keeps_to_the_scope(measured, personas, org):
    assert selectors.measure_summary(personas.secretary, D(2026, 2, 28))["total"].planned == 0
    assert selectors.measure_summary(personas.plant_admin, D(2026, 2, 28))["total"].planned == 3


def test_increments_cost_the_same_queries_for_few_and_many_measures(org):
    def count(rows):
        with CaptureQueriesContext(connection) as ctx:
            selectors.increments(rows, D(2026, 6, 30))
        return len(ctx.captured_queries)

    made = []
    for _ in range(30):
        well = pf.well(org.area)
        made.append(Measure.objects.create(well=well, kind="fracturing", planned_month=D(2026, 1, 1),
                                           done_on=D(2026, 1, 5)))
    assert count(made[:3]) == count(made) == 1


def test_new_wells_against_the_plan_and_their_daily_output(org, personas):
    pf.plan(org.plant, 2026, new_wells_plan=5)
    pf.plan(org.area, 2026, new_wells_plan=4)
    fresh = pf.well(org.area, designed_on=D(2025, 11, 1), drilled_on=D(2026, 1, 10), producing_since=D(2026, 2, 1))
    pf.well(org.team, designed_on=D(2026, 3, 1))
    old = pf.well(org.area, producing_since=D(2020, 1, 1))
    pf.daily(fresh, D(2026, 2, 1), [5.0, 6.0, 7.0])
    pf.daily(old, D(2026, 2, 1), [50.0, 50.0, 50.0])
    figures = selectors.new_wells(personas.superuser, org.plant, 2026, D(2026, 11, 25))
    assert (figures["plan"], figures["designed"], figures["drilled"], figures["producing"]) == (5, 1, 1, 1)
    assert [(r["date"], r["oil_t"]) for r in figures["daily"]] == [
        (D(2026, 2, 1), 5), (D(2026, 2, 2), 6), (D(2026, 2, 3), 7)]
    assert figures["latest_daily_oil_t"] == 7
    assert [(r["unit"].code, r["designed"], r["producing"], r["plan"]) for r in figures["children"]] == [
        ("CY1-A1", 1, 1, 4)]


def test_the_dashboards_average_is_of_the_last_seven_days_with_data(org, personas):
    # 70 t for five days, a day without totals, then 140: the average skips the missing day.
    pf.unit_days(org.team, D(2026, 1, 1), [70.0] * 5 + [None] + [140.0] * 10)
    board = selectors.dashboard(personas.superuser, org.team, D(2026, 1, 16))
    assert board["average"][0] == 70
    assert board["average"][6] == pytest.approx((70 * 5 + 140) / 6)   # Jan 7: Jan 1-7 without Jan 6
    assert board["average"][12] == pytest.approx(140)                  # Jan 13: Jan 7-13
    assert board["oil"][5] == 0 and len(board["average"]) == 16
