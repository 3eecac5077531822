"""The production API leaders read: steps, production by unit and period, dashboard, groups,
measures (with their incremental oil) and new wells; scoped, and flat in queries."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.core.models import AuditEntry
from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def api(personas):
    return {name: ApiClient(token_for(getattr(personas, name)))
            for name in ("superuser", "viewer", "plant_admin", "secretary", "outsider")}


@pytest.fixture
def data(org, settings):
    settings.RONGHE_TODAY = "2026-02-14"
    pf.unit_days(org.plant, D(2026, 1, 1), [250, 250, 260, 300, 320, 300, 300, 420, 400, 380, 500, 600, 600])
    pf.unit_days(org.sibling, D(2026, 1, 1), [50.0] * 40)
    pf.plan(org.plant, 2026, oil_plan_t=36500)
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    well = pf.well(org.area, "CY1-001", producing_since=D(2020, 1, 1))
    pf.daily(well, D(2025, 12, 1), [10.0] * 40 + [16.0] * 36)
    group = ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2026)
    measure = Measure.objects.create(group=group, well=well, kind="fracturing", planned_month=D(2026, 1, 1),
                                     done_on=D(2026, 1, 9), planned_increment_t=200, cost=80)
    return group, well, measure


def test_steps_answer_k_level_reached_on_and_held(api, data):
    answer = api["superuser"].get("production/steps", unit="CY1", base_date="2026-01-04", as_of="2026-01-13",
                                  base_days=3, average_days=2, hold_days=3)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["steps"] == [
        {"k": 1, "level": 300.0, "reached_on": "2026-01-05", "held": True},
        {"k": 2, "level": 400.0, "reached_on": "2026-01-09", "held": False},
        {"k": 3, "level": 500.0, "reached_on": "2026-01-12", "held": None},
        {"k": 4, "level": 600.0, "reached_on": "2026-01-13", "held": None}]
    assert (body["base_level_t"], body["next_level_t"], body["unit"]["code"]) == (200.0, 700.0, "CY1")
    assert body["windows"] == {"base_days": 3, "average_days": 2, "hold_days": 3, "step_t": 100.0}


def test_steps_of_a_unit_outside_the_scope_are_not_found_and_a_bad_date_is_named(api, data):
    assert api["plant_admin"].get("production/steps", unit="CY2", base_date="2026-01-04").status_code == 404
    bad = api["superuser"].get("production/steps", unit="CY1", base_date="2026-13-01")
    assert bad.status_code == 422 and "base_date" in bad.json()["details"]
    assert api["outsider"].get("production/steps", base_date="2026-01-04").json()["unit"] is None


def test_production_by_unit_groups_by_month(api, data):
    body = api["viewer"].get("production/units/CY2", **{"from": "2026-01-01", "to": "2026-02-28",
                                                        "group": "month"}).json()
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-02-28")
    assert [(r["period"], r["oil_t"], r["days"]) for r in body["rows"]] == [
        ("2026-01-01", 1550.0, 31), ("2026-02-01", 450.0, 9)]
    assert api["plant_admin"].get("production/units/CY2").status_code == 404


def test_the_dashboard_answers_figures_curve_and_ranking(api, data, org):
    body = api["superuser"].get("production/dashboard", unit="HQ", as_of="2026-01-13").json()
    assert body["figures"]["ytd_actual_t"] == 0  # HQ has no totals of its own here
    assert [r["unit"]["code"] for r in body["ranking"]][:1] == ["CY1"]
    plant = api["plant_admin"].get("production/dashboard", as_of="2026-01-13").json()
    assert plant["unit"]["code"] == "CY1" and len(plant["curve"]["dates"]) == 13
    assert plant["curve"]["plan_t"][0] == pytest.approx(100) and plant["curve"]["oil_t"][0] == 250
    assert api["secretary"].get("production/dashboard").json()["unit"] is None


def test_measures_carry_their_incremental_oil_and_keep_to_the_scope(api, data):
    _group, _well, measure = data
    body = api["plant_admin"].get("production/measures", as_of="2026-01-14").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["well"], row["baseline_t"], row["actual_increment_t"]) == ("CY1-001", 10.0, 30.0)
    assert api["secretary"].get("production/measures").json()["count"] == 0
    assert api["secretary"].get(f"production/measures/{measure.pk}").status_code == 404


def test_the_summary_shows_plan_against_done_and_last_year(api, data):
    body = api["superuser"].get("production/measures/summary", unit="HQ", as_of="2026-02-14").json()
    total = body["total"]
    assert (total["planned"], total["done"], total["actual_increment_t"]) == (1, 1, 6 * 36)
    assert total["increment_over_plan_t"] == 6 * 36 - 200
    assert body["groups"][0]["name"] == "压裂上产组" and body["units"][0]["unit"] == "CY1"
    group = api["superuser"].get(f"production/groups/{data[0].pk}", as_of="2026-02-14").json()
    assert group["figures"]["done"] == 1 and group["leader"]["name"] == "邹君"


def test_a_measure_is_created_done_and_deleted_through_the_api(api, data):
    client = api["plant_admin"]
    made = client.post("production/measures", {"well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02-10",
                                               "planned_increment_t": 120})
    assert made.status_code == 201, made.content
    assert made.json()["planned_month"] == "2026-02-01"
    pk = made.json()["id"]
    done = client.patch(f"production/measures/{pk}", {"done_on": "2026-02-12"})
    assert done.status_code == 200 and done.json()["done_on"] == "2026-02-12"
    future = client.patch(f"production/measures/{pk}", {"done_on": "2026-03-01"})
    assert future.status_code == 422 and "done_on" in future.json()["details"]
    assert client.delete(f"production/measures/{pk}").status_code == 204
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="measure.").order_by("id")] == [
        "measure.create", "measure.update", "measure.delete"]
    assert api["viewer"].post("production/measures", {"well": "CY1-001", "kind": "other",
                                                      "planned_month": "2026-02-01"}).status_code == 403
    assert api["superuser"].post("production/measures", {"well": "NOPE", "kind": "other",
                                                         "planned_month": "2026-02-01"}).status_code == 422


def test_new_wells_against_the_plan(api, org, settings):
    settings.RONGHE_TODAY = "2026-11-25"
    pf.plan(org.plant, 2026, new_wells_plan=3)
    fresh = pf.well(org.area, drilled_on=D(2026, 1, 10), producing_since=D(2026, 2, 1))
    pf.daily(fresh, D(2026, 2, 1), [5.0, 6.0])
    body = api["plant_admin"].get("production/new-wells").json()
    assert (body["plan"], body["drilled"], body["producing"], body["latest_daily_oil_t"]) == (3, 1, 1, 6.0)
    assert body["children"][0]["unit"]["code"] == "CY1-A1"


def _queries(client, path, **query):
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get(path, page_size=500, **query)
    assert answer.status_code == 200, answer.content
    return len(ctx.captured_queries), answer.json()["count"]


def _grow_groups(org, leader, n):
    for _ in range(n):
        ProjectGroup.objects.create(name=f"组{ProjectGroup.objects.count()}", unit=org.area, leader=leader, year=2026)


def _grow_measures(org, n):
    for i in range(n):
        well = pf.well(org.area)
        pf.daily(well, D(2026, 1, 1), [10.0, 12.0])
        Measure.objects.create(well=well, kind="fracturing", planned_month=D(2026, 1, 1),
                               done_on=D(2026, 1, 1) if i % 2 else None)


@pytest.mark.parametrize("path, grow", [("production/groups", "groups"), ("production/measures", "measures")])
def test_list_endpoints_cost_the_same_queries_for_10_rows_and_200(api, data, org, path, grow):
    client = api["plant_admin"]
    client.get("me")
    leader = data[0].leader

    def more(n):
        _grow_groups(org, leader, n) if grow == "groups" else _grow_measures(org, n)

    more(10)
    small, small_rows = _queries(client, path)
    more(190)
    large, large_rows = _queries(client, path)
    assert large_rows >= small_rows + 190
    assert large == small
