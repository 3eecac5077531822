"""Pages of production data: the well list with filters, sorting and export, a well's page with
its curve, the well form, the daily production upload with its progress, and the unit plans;
all within the viewer's scope and at a fixed number of queries."""
import datetime as dt
import io
import itertools

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ronghe.production import jobs, services
from ronghe.production.daily_import import DailyImport
from ronghe.production.models import DailyProduction, ProductionImport, Well
from tests import factories as f
from tests.production.test_data_factories import csv_bytes, row, unit_day, well

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _setup(settings, monkeypatch, tmp_path):
    settings.RONGHE_TODAY = "2026-03-10"
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(jobs, "BACKGROUND", False)


@pytest.fixture
def wells(org):
    made = {"t1": well(org.team, "CY1-101", since=dt.date(2026, 1, 5), block="兴隆台"),
            "a1": well(org.area, "CY1-201", kind="gas"), "s1": well(org.area2, "CY2-301")}
    assert DailyImport().run(csv_bytes([row("CY1-101", dt.date(2026, 3, d), d + 0.5, water_cut=70)
                                        for d in range(1, 9)]), "d.csv").ok
    return made


def rows_of(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_well_list_filters_sorts_and_exports_what_it_shows(login, personas, wells):
    client = login(personas.plant_admin)
    page = client.get(reverse("well_list")).content.decode()
    assert "CY1-101" in page and "CY1-201" in page and "CY2-301" not in page
    page = client.get(reverse("well_list"), {"kind": "gas"}).content.decode()
    assert "CY1-201" in page and "CY1-101" not in page
    page = client.get(reverse("well_list"), {"new_in": "2026", "sort": "-producing_since"}).content.decode()
    assert "CY1-101" in page and "CY1-201" not in page
    exported = client.get(reverse("well_list"), {"unit": "CY1-A1-T1", "export": "xlsx"})
    table = rows_of(exported.content)
    assert table[0][:2] == ["井号*", "单位编码*"]
    assert [r[0] for r in table[1:]] == ["CY1-101"]


def test_a_wells_page_shows_its_curve_and_days_and_answers_404_outside_the_scope(login, personas, wells):
    client = login(personas.plant_admin)
    response = client.get(reverse("well_detail", args=["CY1-101"]), {"from": "2026-03-01", "to": "2026-03-05"})
    assert response.status_code == 200
    series = response.context["series"]
    assert series["dates"][0] == "2026-03-01" and series["oil"] == [1.5, 2.5, 3.5, 4.5, 5.5]
    assert 'id="well-chart"' in response.content.decode()
    exported = rows_of(client.get(reverse("well_detail", args=["CY1-101"]), {"export": "xlsx"}).content)
    assert exported[0][0] == "井号*" and len(exported) == 9
    assert client.get(reverse("well_detail", args=["CY2-301"])).status_code == 404
    assert client.get(reverse("well_edit", args=["CY2-301"])).status_code == 404


def test_a_well_is_created_and_moved_from_its_form(login, personas, org, wells):
    client = login(personas.plant_admin)
    response = client.post(reverse("well_create"), {"code": "CY1-900", "unit": "CY1-A1", "kind": "oil",
                                                    "status": "open", "producing_since": "2026-02-01"})
    assert response.status_code == 302, response.context["form"].errors
    assert Well.objects.get(code="CY1-900").unit == org.area
    refused = client.post(reverse("well_create"), {"code": "CY1-901", "unit": "CY2-A1", "kind": "oil",
                                                   "status": "open"})
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors
    moved = client.post(reverse("well_edit", args=["CY1-101"]), {"unit": "CY1-A1", "kind": "oil", "status": "shut",
                                                                 "producing_since": "2026-01-05"})
    assert moved.status_code == 302
    assert unit_day(org.area, dt.date(2026, 3, 2))[0] == 2.5
    assert client.get(reverse("well_create")).status_code == 200
    assert login(personas.viewer).get(reverse("well_create")).status_code == 404


def test_an_upload_runs_as_a_job_whose_page_shows_its_progress_and_result(login, personas, org, wells):
    client = login(personas.plant_admin)
    assert client.get(reverse("daily_upload")).status_code == 200
    content = csv_bytes([row("CY1-101", dt.date(2026, 3, 1), 9), row("CY1-201", dt.date(2026, 3, 9), 2)])
    response = client.post(reverse("daily_upload"), {"file": SimpleUploadedFile("三月.csv", content)})
    job = ProductionImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("daily_import_detail", args=[job.pk])
    assert (job.status, job.rows_total, job.created, job.replaced, job.percent) == ("done", 2, 1, 1, 100)
    assert DailyProduction.objects.get(well=wells["t1"], date=dt.date(2026, 3, 1)).oil_t == 9
    progress = client.get(reverse("daily_import_progress", args=[job.pk])).content.decode()
    assert 'data-status="done"' in progress and "hx-trigger" not in progress
    assert not list(jobs.upload_dir().iterdir())  # the stored file is gone
    assert login(personas.superuser).get(reverse("daily_import_detail", args=[job.pk])).status_code == 404


def test_a_failed_upload_lists_its_errors_in_chinese_and_writes_nothing(login, personas, wells):
    client = login(personas.plant_admin)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    content = csv_bytes([row("CY2-301", dt.date(2026, 3, 1), 9), row("CY1-101", dt.date(2026, 3, 2), -1)])
    client.post(reverse("daily_upload"), {"file": SimpleUploadedFile("bad.csv", content)})
    job = ProductionImport.objects.get()
    assert (job.status, job.error_count) == ("failed", 2)
    page = client.get(reverse("daily_import_detail", args=[job.pk])).content.decode()
    assert "您的权限范围内没有井号为“CY2-301”的井" in page and "不能为负数" in page
    assert DailyProduction.objects.get(well=wells["t1"], date=dt.date(2026, 3, 2)).oil_t == 2.5


def test_the_upload_pages_are_for_importers_only(login, personas):
    assert login(personas.viewer).get(reverse("daily_upload")).status_code == 404
    assert login(personas.viewer).get(reverse("daily_template")).status_code == 404
    template = login(personas.plant_admin).get(reverse("daily_template"))
    assert rows_of(template.content)[0] == ["井号*", "日期*", "生产时间(h)", "日产液(t)", "日产油(t)*", "日产气(m³)", "含水(%)"]


def test_the_unit_plans_page_lists_filters_and_exports_within_scope(login, personas, org):
    system = f.system_user()
    services.unit_plan_save(actor=system, unit=org.plant, year=2026, oil_plan_t=120000)
    services.unit_plan_save(actor=system, unit=org.plant, year=2026, month=3, oil_plan_t=10000)
    services.unit_plan_save(actor=system, unit=org.sibling, year=2026, oil_plan_t=50000)
    client = login(personas.plant_admin)
    page = client.get(reverse("unit_plan_list")).content.decode()
    assert "采油一厂" in page and "采油二厂" not in page
    exported = rows_of(client.get(reverse("unit_plan_list"), {"month": "3", "export": "xlsx"}).content)
    assert exported[0][0] == "单位编码*" and [r[2] for r in exported[1:]] == [3]


def _grow_wells(org, n):
    Well.objects.bulk_create([Well(code=f"QP-{next(_seq)}", unit=org.team) for _ in range(n)])


def _grow_plans(org, n):
    for _ in range(n):
        services.unit_plan_save(actor=f.system_user(), unit=org.area, year=2000 + next(_seq) % 90,
                                month=next(_seq) % 13, oil_plan_t=1)


def _grow_jobs(org, n, user):
    ProductionImport.objects.bulk_create([ProductionImport(actor=user, file_name=f"{i}.csv") for i in range(n)])


@pytest.mark.parametrize("name,grow", [("well_list", _grow_wells), ("unit_plan_list", _grow_plans),
                                       ("daily_upload", _grow_jobs)])
def test_a_list_page_costs_the_same_queries_for_10_rows_and_200(login, personas, org, name, grow):
    client = login(personas.plant_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    extra = (personas.plant_admin,) if grow is _grow_jobs else ()
    grow(org, 10, *extra)
    small = count()
    grow(org, 190, *extra)
    assert count() == small
