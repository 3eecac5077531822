"""The production demo: wells in the demo plants, daily production whose company-level curve
climbs ten hundred-ton steps from 2025-03-01, every plant's plans; deterministic, idempotent,
and loaded by `load_demo` with the rest."""
import datetime as dt
import io

import pytest
from django.core.management import call_command

from ronghe.core.models import AuditEntry
from ronghe.org.models import Unit
from ronghe.production.demo import curve
from ronghe.production.demo.loader import load_production_demo
from ronghe.production.models import DailyProduction, UnitDay, UnitPlan, Well
from tests.once import DemoLoadedOnce

TODAY = dt.date(2026, 11, 25)


def moving_average(series: dict, day: dt.date, window=7) -> float:
    return sum(series.get(day - dt.timedelta(days=i), 0.0) for i in range(window)) / window


def steps(series: dict, base_date: dt.date):
    """(k, level, reached, held) by the issue's rule, computed here by hand."""
    before = [series.get(base_date - dt.timedelta(days=i), 0.0) for i in range(1, 31)]
    base = int(sum(before) / 30 // 100 * 100)
    days = sorted(d for d in series if d >= base_date)
    out = []
    for k in range(1, 12):
        level = base + 100 * k
        reached = next((d for d in days if moving_average(series, d) >= level), None)
        held = reached is not None and reached + dt.timedelta(days=30) <= days[-1] and all(
            moving_average(series, reached + dt.timedelta(days=i)) >= level for i in range(1, 31))
        out.append((k, level, reached, held))
    return base, out


def test_the_target_curve_rounds_down_to_its_base_and_climbs_ten_steps():
    series = {curve.START + dt.timedelta(days=i): curve.target(curve.START + dt.timedelta(days=i), 4800)
              for i in range((TODAY - curve.START).days + 1)}
    base, found = steps(series, curve.BASE_DATE)
    assert base == 4800
    assert [k for k, _level, reached, held in found if reached and held] == list(range(1, 11))
    assert found[10][2] is None  # no eleventh step
    assert [reached for _k, _l, reached, _h in found[:10]] == sorted(r for _k, _l, r, _h in found[:10])


def test_generated_rows_are_deterministic_and_sum_to_the_target():
    specs = [curve.WellSpec(i, 1.0 + i % 3, curve.START, None, 70.0, 50.0) for i in range(1, 301)]
    first, last = dt.date(2025, 2, 1), dt.date(2025, 2, 28)
    lines = list(curve.daily_lines(specs, first, last, lambda d: 900.0, seed=7))
    assert lines == list(curve.daily_lines(specs, first, last, lambda d: 900.0, seed=7))
    assert len(lines) == 300 * 28
    by_day = {}
    for text in lines:
        _pk, day, _h, _l, oil, _g, _w = text.rstrip("\n").split("\t")
        by_day[day] = by_day.get(day, 0.0) + float(oil)
    assert all(abs(total - 900) < 40 for total in by_day.values()), by_day


def test_a_boosted_well_takes_a_larger_share_from_the_day_after_and_the_total_stays_on_target():
    first, last = dt.date(2025, 2, 1), dt.date(2025, 2, 28)
    boost_day = dt.date(2025, 2, 10)
    specs = [curve.WellSpec(i, 1.0, curve.START, None, 70.0, 50.0) for i in range(1, 201)]
    specs[0] = curve.WellSpec(1, 1.0, curve.START, None, 70.0, 50.0, boosts=((boost_day, 1.0),))
    by_day, boosted = {}, {}
    for text in curve.daily_lines(specs, first, last, lambda d: 900.0, seed=3):
        pk, day, _h, _l, oil, _g, _w = text.rstrip("\n").split("\t")
        by_day[day] = by_day.get(day, 0.0) + float(oil)
        if pk == "1" and float(oil) > 0:
            boosted[dt.date.fromisoformat(day)] = float(oil)
    assert all(abs(total - 900) < 40 for total in by_day.values()), by_day
    before = [oil for day, oil in boosted.items() if day <= boost_day]
    after = [oil for day, oil in boosted.items() if day > boost_day]
    # a share of 900 t among 200 wells is 4.5 t; doubled from the day after the boost
    assert 3.9 < sum(before) / len(before) < 5.1 and 8.0 < sum(after) / len(after) < 10.0


def _load():
    call_command("load_demo", "--size", "small", stdout=io.StringIO())


class TestTheLoadedDemo(DemoLoadedOnce):
    """What `load_demo` brings of production; it is loaded once for these tests (tests.once):
    loading it takes half a minute."""

    load, today = _load, TODAY

    def test_the_company_curve_runs_from_the_first_day_to_today_and_climbs_ten_steps(self, demo):
        series = dict(UnitDay.objects.filter(unit__code="LH").values_list("date", "oil_t"))
        assert min(series) == curve.START and max(series) == TODAY
        _base, found = steps(series, curve.BASE_DATE)
        assert [k for k, _level, reached, held in found if reached and held] == list(range(1, 11))

    def test_the_wells_stand_in_the_three_plants_some_new_this_year_and_some_only_designed(self, demo):
        plants = {w.unit.path.split("/")[1] for w in Well.objects.select_related("unit")}
        assert len(plants) == 3  # the small demo's three plants
        new = Well.objects.filter(producing_since__year=TODAY.year)
        assert new.exists() and DailyProduction.objects.filter(well__in=new).exists()
        assert Well.objects.filter(producing_since=None, designed_on__year=TODAY.year).exists()
        assert AuditEntry.objects.filter(action="import.wells").count() == 1

    def test_every_plant_and_the_company_have_their_plans(self, demo):
        for plant in Unit.objects.filter(code__in=["XLT", "SG", "CYT"]):
            assert UnitPlan.objects.filter(unit=plant, year=TODAY.year, month=0, new_wells_plan__gt=0).exists()
            assert UnitPlan.objects.filter(unit=plant, year=TODAY.year, month=10, profit_actual__isnull=False).exists()
            assert UnitPlan.objects.filter(unit=plant, year=TODAY.year - 1).count() == 13
        assert UnitPlan.objects.filter(unit__code="LH", month=0, year=TODAY.year).exists()

    def test_a_units_day_adds_up_its_wells_days_at_every_level(self, demo):
        day = dt.date(2026, 3, 1)
        for unit in Unit.objects.filter(code__in=["LH", "XLT", "XLT-Z1", "XLT-Z1-B1"]):
            raw = sum(DailyProduction.objects.filter(well__unit__path__startswith=unit.path, date=day)
                      .values_list("oil_t", flat=True))
            assert UnitDay.objects.get(unit=unit, date=day).oil_t == pytest.approx(raw)

    def test_loading_again_changes_nothing(self, demo):
        count = DailyProduction.objects.count()
        assert not load_production_demo().loaded
        call_command("load_production_demo", stdout=io.StringIO())
        assert DailyProduction.objects.count() == count


def test_without_the_demo_oilfield_nothing_is_loaded(db):
    report = load_production_demo()
    assert not report.loaded and not Well.objects.exists()
