"""The production pages: a unit's dashboard, steps, periods, measures against plan and new wells;
project groups and measures (list, create, edit, delete), each table exported to xlsx."""
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ronghe.core.models import AuditEntry
from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def data(org, settings):
    settings.RONGHE_TODAY = "2026-02-14"
    days = (D(2026, 2, 14) - D(2025, 12, 1)).days + 1
    for unit, level in ((org.hq, 150.0), (org.plant, 100.0), (org.area, 60.0), (org.sibling, 50.0)):
        pf.unit_days(unit, D(2025, 12, 1), [level] * days)
    pf.plan(org.plant, 2026, oil_plan_t=36500, profit_plan=1200)
    pf.plan(org.plant, 2026, 1, profit_plan=100, profit_actual=120)
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    well = pf.well(org.area, "CY1-001", producing_since=D(2020, 1, 1), drilled_on=D(2019, 12, 1))
    pf.daily(well, D(2025, 12, 1), [10.0] * 40 + [16.0] * 36)
    group = ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2026)
    measure = Measure.objects.create(group=group, well=well, kind="fracturing", planned_month=D(2026, 1, 1),
                                     done_on=D(2026, 1, 9), planned_increment_t=200, cost=80)
    return group, well, measure


def _book(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_the_dashboard_shows_figures_chart_data_and_ranking_in_chinese(login, personas, data):
    client = login(personas.superuser)
    with translation.override("zh-hans"):
        page = client.get("/production/units/HQ/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="dashboard-chart"' in html and 'id="dashboard-data"' in html
    assert "采油一厂" in html and "双超" in html
    sheet = _book(client.get("/production/units/HQ/", {"export": "xlsx"}))
    assert [c.value for c in sheet[1]][:3] == ["排名", "单位", "年累产油(t)"]
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} >= {"采油一厂", "采油二厂"}


def test_home_opens_the_highest_unit_one_may_see(login, personas, data):
    assert "采油一厂" in login(personas.plant_admin).get("/production/").content.decode()
    assert login(personas.secretary).get("/production/").status_code == 200


def test_unit_pages_outside_the_scope_are_not_found(login, personas, data):
    client = login(personas.plant_admin)
    for page in ("", "steps/", "periods/", "measures/", "new-wells/"):
        assert client.get(f"/production/units/CY2/{page}").status_code == 404
        assert client.get(f"/production/units/CY1/{page}").status_code == 200


def test_the_steps_page_lists_the_steps_and_exports_them(login, personas, org, data):
    pf.unit_days(org.team, D(2026, 1, 1), [100.0] * 30 + [205.0] * 20)
    client = login(personas.superuser)
    page = client.get("/production/units/CY1-A1-T1/steps/", {"base_date": "2026-01-31", "as_of": "2026-02-19"})
    assert 'id="steps-chart"' in page.content.decode()
    assert page.context["result"].base_level == 100 and len(page.context["result"].steps) == 1
    sheet = _book(client.get("/production/units/CY1-A1-T1/steps/", {"base_date": "2026-01-31", "export": "xlsx"}))
    assert [c.value for c in sheet[2]][:2] == [1, 200]


def test_production_by_period_exports_what_it_shows(login, personas, data):
    client = login(personas.superuser)
    page = client.get("/production/units/CY1/periods/", {"from": "2026-01-01", "to": "2026-02-14", "group": "month"})
    assert [r["oil_t"] for r in page.context["rows"]] == [3100, 1400]
    sheet = _book(client.get("/production/units/CY1/periods/", {"from": "2026-01-01", "to": "2026-02-14",
                                                                "group": "month", "export": "xlsx"}))
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2)] == [("2026-01", 3100), ("2026-02", 1400)]


def test_the_measures_summary_and_new_wells_pages(login, personas, data):
    client = login(personas.superuser)
    page = client.get("/production/units/HQ/measures/")
    assert page.context["total"]["actual_increment_t"] == 6 * 36 and "压裂上产组" in page.content.decode()
    assert _book(client.get("/production/units/HQ/measures/", {"export": "xlsx"}))["A2"].value == "压裂上产组"
    assert client.get("/production/units/HQ/new-wells/", {"year": "2019"}).context["figures"]["drilled"] == 1
    assert _book(client.get("/production/units/CY1/new-wells/", {"export": "xlsx"}))["A2"].value == "作业一区"


def test_a_project_group_is_created_and_edited_on_its_pages(login, personas, org, data):
    client = login(personas.plant_admin)
    leader = data[0].leader
    response = client.post("/production/groups/new/", {"name": "稠油组", "unit": "CY1", "leader": leader.employee_no,
                                                       "year": 2026, "members": org.worker.employee_no,
                                                       "wells": "CY1-001"})
    assert response.status_code == 302, response.context["form"].errors
    group = ProjectGroup.objects.get(name="稠油组")
    assert list(group.wells.values_list("code", flat=True)) == ["CY1-001"]
    wrong = client.post(f"/production/groups/{group.pk}/edit/", {"name": "稠油组", "unit": "CY1",
                                                                  "leader": org.worker.employee_no, "year": 2026})
    assert wrong.status_code == 200 and "leader" in wrong.context["form"].errors
    assert client.get(f"/production/groups/{group.pk}/").status_code == 200
    assert login(personas.secretary).get(f"/production/groups/{group.pk}/").status_code == 404


def test_a_measure_is_entered_done_and_deleted_on_its_pages(login, personas, data):
    client = login(personas.plant_admin)
    response = client.post("/production/measures/new/", {"well": "CY1-001", "kind": "acidizing",
                                                         "planned_month": "2026-02", "validity_days": 365})
    assert response.status_code == 302, response.context["form"].errors
    measure = Measure.objects.get(kind="acidizing")
    assert measure.planned_month == D(2026, 2, 1)
    future = client.post(f"/production/measures/{measure.pk}/edit/", {
        "well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02", "done_on": "2026-03-01",
        "validity_days": 365})
    assert "done_on" in future.context["form"].errors
    assert client.post(f"/production/measures/{measure.pk}/delete/").status_code == 302
    assert AuditEntry.objects.filter(action__in=["measure.create", "measure.delete"]).count() == 2


def test_the_measure_list_filters_and_exports_a_re_importable_sheet(login, personas, data):
    client = login(personas.superuser)
    page = client.get("/production/measures/", {"kind": "fracturing", "as_of": "2026-02-14"})
    assert [m.increment.increment_t for m in page.context["measures"]] == [6 * 36]
    assert client.get("/production/measures/", {"kind": "acidizing"}).context["measures"] == []
    sheet = _book(client.get("/production/measures/", {"export": "xlsx"}))
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["井号*", "措施类型*", "计划月份*", "实施日期", "计划增油(t)", "费用(万元)", "项目组"]
    assert [c.value for c in sheet[2]][:3] == ["CY1-001", "压裂", "2026-01"]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/production/groups/", "/production/measures/", "/production/units/CY1/",
                                 "/production/units/CY1/measures/"])
def test_list_pages_cost_the_same_queries_for_10_rows_and_200(login, personas, org, data, url):
    client = login(personas.plant_admin)
    leader = data[0].leader

    def grow(n):
        for i in range(n):
            well = pf.well(org.area)
            unit = f.unit(parent=org.plant) if url == "/production/units/CY1/" else None
            if unit:
                pf.unit_days(unit, D(2026, 1, 1), [float(i)] * 10)
            group = ProjectGroup.objects.create(name=f"组{well.code}", unit=org.plant, leader=leader, year=2026)
            Measure.objects.create(group=group, well=well, kind="fracturing", planned_month=D(2026, 1, 1),
                                   done_on=D(2026, 1, 2))

    grow(10)
    small = _count(client, url)
    grow(190)
    assert _count(client, url) == small


def test_a_project_group_without_measures_is_deleted_on_its_page(login, personas, org, data):
    client = login(personas.plant_admin)
    group, _well, _measure = data
    kept = client.post(f"/production/groups/{group.pk}/delete/", follow=True)
    assert ProjectGroup.objects.filter(pk=group.pk).exists() and "不能删除" in kept.content.decode()
    empty = ProjectGroup.objects.create(name="空组", unit=org.plant, leader=group.leader, year=2026)
    assert client.post(f"/production/groups/{empty.pk}/delete/").status_code == 302
    assert not ProjectGroup.objects.filter(pk=empty.pk).exists()
    assert login(personas.secretary).post(f"/production/groups/{group.pk}/delete/").status_code == 404
