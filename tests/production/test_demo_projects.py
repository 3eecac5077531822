"""The demo's project groups and measures at 茨榆坨采油厂, on the production demo's data: the
report's "39 fewer operations, 6,400 t more oil" and ten hundred-ton steps read from live data,
the measures' oil being in the wells' daily rows (their uplift from the day after each)."""
import datetime as dt

import pytest

from ronghe.org.demo.loader import load_demo
from ronghe.org.models import Unit
from ronghe.production import services_projects
from ronghe.production.demo.loader import load_production_demo
from ronghe.production.demo_projects import (
    FEWER_OPERATIONS,
    MORE_OIL_T,
    PLANT_CODE,
    load_projects_demo,
    measure_plan,
    plant_uplifts,
)
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.api.support import ApiClient, token_for

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo(db, settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    assert load_demo(size="small").loaded
    assert load_production_demo().loaded  # which loads the project groups too


def test_eight_groups_each_led_by_a_member_of_the_plants_leadership(demo):
    groups = list(ProjectGroup.objects.select_related("unit", "leader"))
    assert len(groups) == 8 and {g.unit.code for g in groups} == {PLANT_CODE}
    assert all(services_projects.is_unit_leader(g.leader, g.unit) for g in groups)
    assert all(g.measures.exists() and g.wells.exists() for g in groups)
    assert Measure.objects.filter(group=None, done_on__year=TODAY.year - 1).exists()  # last year's, before the groups


def test_the_secretarys_group_did_39_fewer_operations_and_6400_t_more_oil_by_30_june(demo):
    group = ProjectGroup.objects.order_by("id").first()
    assert group.leader.positions.filter(kind="secretary").exists()
    client = ApiClient(token_for(f.user(superuser=True)))
    body = client.get(f"production/groups/{group.pk}", as_of="2026-06-30").json()["figures"]
    assert body["done_minus_planned"] == -FEWER_OPERATIONS
    assert body["increment_over_plan_t"] == MORE_OIL_T


def test_the_plants_totals_read_the_same_and_the_measures_oil_is_in_the_daily_rows(demo):
    client = ApiClient(token_for(f.user(superuser=True)))
    body = client.get("production/measures/summary", unit=PLANT_CODE, as_of="2026-06-30").json()
    assert body["total"]["done_minus_planned"] == -FEWER_OPERATIONS
    assert body["total"]["increment_over_plan_t"] == MORE_OIL_T
    others = [g for g in body["groups"] if g["done_minus_planned"] == 0]
    assert len(others) == 7 and any(g["increment_over_plan_t"] > 0 for g in others) and any(
        g["increment_over_plan_t"] < 0 for g in others)
    # the plan is no paper figure: most done measures added oil, and the plan is most of what they added
    done = [m for m in client.get("production/measures", unit=PLANT_CODE, year=2026, as_of="2026-06-30",
                                  page_size=500).json()["items"] if m["done_on"] and m["done_on"] <= "2026-06-30"]
    assert sum(m["actual_increment_t"] > 0 for m in done) > 0.8 * len(done)
    assert body["total"]["planned_increment_t"] > 2 * MORE_OIL_T


def test_the_measures_are_planned_the_same_on_every_call(demo):
    plant = Unit.objects.get(code=PLANT_CODE)
    first, second = measure_plan(plant, TODAY), measure_plan(plant, TODAY)
    assert [(r["well"].code, r["kind"], r["month"], r["done_on"]) for r in first] == [
        (r["well"].code, r["kind"], r["month"], r["done_on"]) for r in second]
    uplifts = plant_uplifts(TODAY)
    well, boosts = next(iter(uplifts.items()))
    assert all(share > 0 for _day, share in boosts)
    assert Measure.objects.filter(well_id=well, done_on__in=[day for day, _share in boosts]).count() == len(boosts)


def test_the_company_climbed_ten_hundred_ton_steps_from_march_2025(demo):
    client = ApiClient(token_for(f.user(superuser=True)))
    body = client.get("production/steps", unit="LH", base_date="2025-03-01").json()
    assert len(body["steps"]) >= 10 and all(step["held"] for step in body["steps"][:10])


def test_loading_again_changes_nothing(demo):
    count = Measure.objects.count()
    assert not load_projects_demo().loaded
    assert Measure.objects.count() == count


def test_without_the_production_demo_nothing_is_loaded(db):
    assert not load_projects_demo().loaded and not ProjectGroup.objects.exists()
