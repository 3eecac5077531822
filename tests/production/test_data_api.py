"""The production data API: wells, a well's days and unit plans, within the caller's scope,
with a fixed number of queries whatever the number of rows."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.core.models import AuditEntry
from ronghe.production import services
from ronghe.production.daily_import import DailyImport
from ronghe.production.models import UnitPlan, Well
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production.test_data_factories import csv_bytes, row, unit_day, well

_seq = itertools.count(1)


@pytest.fixture
def admin(personas):
    return ApiClient(token_for(personas.plant_admin))


@pytest.fixture
def wells(org, settings):
    settings.RONGHE_TODAY = "2026-03-10"
    made = {"t1": well(org.team, "CY1-101", since=dt.date(2026, 1, 5), block="兴隆台"),
            "a1": well(org.area, "CY1-201", kind="gas"), "s1": well(org.area2, "CY2-301")}
    assert DailyImport().run(csv_bytes([row("CY1-101", dt.date(2026, 3, d), d, water_cut=70) for d in range(1, 9)]
                                       + [row("CY2-301", dt.date(2026, 3, 1), 9)]), "d.csv").ok
    return made


def test_wells_are_listed_within_scope_and_filtered(admin, wells):
    body = admin.get("wells").json()
    assert [w["code"] for w in body["items"]] == ["CY1-101", "CY1-201"]
    assert body["items"][0]["unit"] == "CY1-A1-T1"
    assert [w["code"] for w in admin.get("wells", kind="gas").json()["items"]] == ["CY1-201"]
    assert [w["code"] for w in admin.get("wells", new_in=2026).json()["items"]] == ["CY1-101"]
    assert [w["code"] for w in admin.get("wells", unit="CY1-A1-T1").json()["items"]] == ["CY1-101"]
    assert admin.get("wells", unit="CY2").json()["count"] == 0
    assert [w["code"] for w in admin.get("wells", sort="-code").json()["items"]] == ["CY1-201", "CY1-101"]


def test_a_well_and_its_days_answer_404_outside_the_scope(admin, wells):
    assert admin.get("wells/CY1-101").json()["last_oil_t"] == 8
    assert admin.get("wells/CY2-301").status_code == 404
    assert admin.get("wells/CY2-301/daily").status_code == 404
    days = admin.get("wells/CY1-101/daily", **{"from": "2026-03-02", "to": "2026-03-04"}).json()
    assert [(d["date"], d["oil_t"], d["water_cut"]) for d in days["items"]] == [
        ("2026-03-02", 2, 70), ("2026-03-03", 3, 70), ("2026-03-04", 4, 70)]
    assert admin.get("wells/CY1-101/daily").json()["count"] == 8  # the last 90 days by default
    assert admin.get("wells/CY1-101/daily", **{"from": "2026-03-05", "to": "2026-03-01"}).status_code == 422
    assert admin.get("wells/CY1-101/daily", **{"from": "March"}).status_code == 422


def test_wells_are_created_and_moved_through_the_api_with_their_totals(admin, org, wells):
    response = admin.post("wells", {"code": "CY1-300", "unit": "CY1-A1", "producing_since": "2026-02-01"})
    assert response.status_code == 201, response.content
    assert admin.post("wells", {"code": "CY1-301", "unit": "CY2-A1"}).status_code == 422
    assert admin.post("wells", {"code": "CY1-300", "unit": "CY1-A1"}).status_code == 422
    moved = admin.patch("wells/CY1-101", {"unit": "CY1-A1", "status": "shut"})
    assert moved.status_code == 200 and moved.json()["unit"] == "CY1-A1"
    assert unit_day(org.team, dt.date(2026, 3, 1)) == (0, 0, 0, 0)
    assert unit_day(org.area, dt.date(2026, 3, 1))[0] == 1
    assert admin.patch("wells/CY1-101", {"unit": "CY2-A1"}).status_code == 422
    assert admin.patch("wells/CY2-301", {"block": "x"}).status_code == 404
    assert AuditEntry.objects.filter(action__startswith="well.").count() == 3 + 2  # fixtures' wells included


def test_viewers_cannot_write(personas, wells):
    viewer = ApiClient(token_for(personas.viewer))
    assert viewer.get("wells").json()["count"] == 3
    assert viewer.post("wells", {"code": "X-1", "unit": "CY1-A1"}).status_code == 403
    assert viewer.patch("wells/CY1-101", {"block": "x"}).status_code == 403
    assert viewer.post("unit-plans", {"unit": "CY1", "year": 2026}).status_code == 403


def test_unit_plans_are_listed_and_saved_within_scope(admin, org):
    system = f.system_user()
    services.unit_plan_save(actor=system, unit=org.plant, year=2026, oil_plan_t=1000)
    services.unit_plan_save(actor=system, unit=org.sibling, year=2026, oil_plan_t=2000)
    assert [p["unit"] for p in admin.get("unit-plans").json()["items"]] == ["CY1"]
    saved = admin.post("unit-plans", {"unit": "CY1-A1", "year": 2026, "month": 3, "oil_plan_t": 80,
                                      "profit_actual": 3.5})
    assert saved.status_code == 200, saved.content
    assert UnitPlan.objects.get(unit=org.area, month=3).profit_actual == 3.5
    assert [p["month"] for p in admin.get("unit-plans", month=3).json()["items"]] == [3]
    assert admin.post("unit-plans", {"unit": "CY2", "year": 2026}).status_code == 422


# --- the same number of queries for 10 rows and 200 ---------------------------------------------

def more_wells(org, n):
    Well.objects.bulk_create([Well(code=f"QC-{next(_seq)}", unit=org.team if i % 2 else org.area) for i in range(n)])


def more_days(org, n):
    days = Well.objects.filter(code="QC-DAYS").first() or well(org.team, "QC-DAYS", since=dt.date(2020, 1, 1))
    start = dt.date(2021, 1, 1) + dt.timedelta(days=days.daily.count())
    assert DailyImport(today=dt.date(2026, 1, 1)).run(
        csv_bytes([row("QC-DAYS", start + dt.timedelta(days=i), 1.5) for i in range(n)]), "d.csv").ok


def more_plans(org, n):
    for _ in range(n):
        services.unit_plan_save(actor=f.system_user(), unit=org.area, year=2000 + next(_seq) % 100,
                                month=next(_seq) % 13, oil_plan_t=1)


def queries(client, path, **query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, page_size=500, **query)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("grow,path,query", [
    (more_wells, "wells", {}), (more_wells, "wells", {"unit": "CY1-A1", "sort": "-unit"}),
    (more_days, "wells/QC-DAYS/daily", {"from": "2020-01-01", "to": "2099-01-01"}),
    (more_plans, "unit-plans", {}),
], ids=["wells_list", "wells_list_filtered", "wells_daily", "unit_plans_list"])
def test_a_list_endpoint_costs_the_same_queries_for_10_rows_and_200(org, personas, admin, grow, path, query):
    admin.get("me")
    grow(org, 10)
    small, small_rows = queries(admin, path, **query)
    grow(org, 190)
    large, large_rows = queries(admin, path, **query)
    assert large_rows >= small_rows + 190
    assert large == small
