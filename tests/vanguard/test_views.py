"""The carrier and problem-ledger pages: what a person sees and does, in Chinese."""
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from ronghe.vanguard.models import Carrier, Problem
from tests import factories as f
from tests.vanguard import factories as vf

CARRIER_HEADERS = ["载体名称*", "载体类型*", "单位编码*", "党组织编码*", "负责人工号*", "成员工号", "类别", "是否生产相关",
                   "承诺", "设立日期"]


@pytest.fixture
def zh(client):
    client.cookies["django_language"] = "zh-hans"
    with translation.override("zh-hans"):
        yield


def test_the_register_lists_flags_and_filters_carriers(org, personas, login, zh):
    vf.carrier(org.team, org.branch, name="采油一班先锋岗", lead=org.worker)
    vf.carrier(org.team, org.branch, name="无人责任区", kind=Carrier.Kind.ZONE)
    vf.carrier(org.area2, org.sib_branch, name="二厂先锋岗")
    client = login(personas.plant_admin)
    page = client.get("/vanguard/").content.decode()
    assert "采油一班先锋岗" in page and "无人责任区" in page and "二厂先锋岗" not in page
    assert "无成员" in page and "共产党员先锋岗" in page
    page = client.get("/vanguard/", {"kind": "zone"}).content.decode()
    assert "无人责任区" in page and "采油一班先锋岗" not in page


def test_the_export_carries_the_issues_headers_and_reimports_unchanged(org, personas, login):
    vf.carrier(org.team, org.branch, name="采油一班先锋岗", lead=org.worker, commitment="不让一口井带病生产")
    response = login(personas.plant_admin).get("/vanguard/carriers/export/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == CARRIER_HEADERS
    assert rows[1][:5] == ("采油一班先锋岗", "共产党员先锋岗", "CY1-A1-T1", "P-CY1-B1", org.worker.employee_no)
    from ronghe.vanguard.importers import CarrierImporter

    result = CarrierImporter(actor=personas.plant_admin).run_file(io.BytesIO(response.content), "carriers.xlsx")
    assert result.ok, result.as_text_lines()
    assert result.counts["unchanged"] == 1


def test_a_carrier_is_created_on_its_page_and_shown_with_its_members(org, personas, login, zh):
    client = login(personas.plant_admin)
    response = client.post("/vanguard/carriers/new/", {
        "name": "注水先锋岗", "kind": "post", "party_org": "P-CY1-B1", "unit": "CY1-A1-T1", "category": "production",
        "production_related": "on", "established_on": "2025-04-01", "lead": org.worker.employee_no, "members": ""})
    carrier = Carrier.objects.get(name="注水先锋岗")
    assert response.status_code == 302 and response["Location"] == f"/vanguard/carriers/{carrier.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "王铁人" in page and "负责人" in page and "2025年4月1日" in page


def test_a_branch_secretary_cannot_open_another_branchs_carrier(org, personas, login):
    carrier = vf.carrier(org.team, org.branch)
    client = login(personas.secretary)
    assert client.get(f"/vanguard/carriers/{carrier.pk}/").status_code == 404
    assert client.get(f"/vanguard/carriers/{carrier.pk}/edit/").status_code == 404


def test_a_problem_is_solved_and_verified_through_its_pages(org, personas, login, zh):
    problem = vf.problem(org.team, org.worker, title="套管漏失", raised_on=dt.date(2026, 2, 1))
    client = login(personas.plant_admin)
    page = client.get(f"/vanguard/problems/{problem.pk}/").content.decode()
    assert "套管漏失" in page and "已登记" in page and "开始攻关" in page
    response = client.post(f"/vanguard/problems/{problem.pk}/solve/", {
        "solution": "下入补贴管", "on": "2026-03-02", "oil_t": "8.5", "gas_m3": "0", "cost_saved": "120000"})
    assert response.status_code == 302
    response = client.post(f"/vanguard/problems/{problem.pk}/verify/", {"on": "2026-03-09", "note": "效果良好"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Problem.Status.VERIFIED and problem.verified_on == dt.date(2026, 3, 9)
    page = client.get(f"/vanguard/problems/{problem.pk}/").content.decode()
    assert "已验收" in page and "2026年3月9日" in page and "120000" in page


def test_a_step_that_breaks_a_rule_shows_the_reason_on_its_form(org, personas, login, zh):
    problem = vf.problem(org.team, org.worker, raised_on=dt.date(2026, 3, 1))
    response = login(personas.plant_admin).post(f"/vanguard/problems/{problem.pk}/start/", {"on": "2026-02-01"})
    assert response.status_code == 200 and "不能早于" in response.content.decode()


def test_the_first_half_is_one_click_on_the_ledger(org, personas, login, zh):
    vf.solved(org.team, org.worker, title="上半年解决的难题", on=dt.date(2026, 5, 5), cost_saved=30000)
    vf.solved(org.team, org.worker, title="下半年解决的难题", on=dt.date(2026, 8, 5))
    client = login(personas.viewer)
    page = client.get("/vanguard/problems/").content.decode()
    assert "?solved_in=h1" in page.replace("&amp;", "&")
    page = client.get("/vanguard/problems/", {"solved_in": "h1", "year": "2026"}).content.decode()
    assert "上半年解决的难题" in page and "下半年解决的难题" not in page
    assert "2026年1月1日" in page and "2026年6月30日" in page


def test_the_statistics_page_shows_the_figures_and_chart_data(org, personas, login, zh):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    vf.carrier(org.team, org.branch, name="无成员的岗")
    vf.solved(org.team, org.worker, carrier=carrier, on=dt.date(2026, 3, 1), oil_t=12, cost_saved=50000)
    response = login(personas.plant_admin).get("/vanguard/stats/", {"preset": "h1", "year": "2026"})
    page = response.content.decode()
    assert "vanguard-chart-data" in page and "2026年1月1日" in page
    assert 'data-kpi="carriers">2<' in page and "无成员的岗" in page
    chart = response.context["chart"]
    assert chart["months"][2] == "2026年3月"
    assert [s["data"] for s in chart["problems"] if s["key"] == "solved"] == [[0, 0, 1, 0, 0, 0]]


def test_the_problem_export_reimports_unchanged(org, personas, login):
    vf.solved(org.team, org.worker, title="导出的难题", workers=[org.worker], verify_on=dt.date(2026, 3, 3))
    response = login(personas.plant_admin).get("/vanguard/problems/export/")
    from ronghe.vanguard.importers import ProblemImporter

    result = ProblemImporter(actor=personas.plant_admin).run_file(io.BytesIO(response.content), "problems.xlsx")
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 1, "total": 1}


def test_attachments_are_uploaded_downloaded_and_removed_on_the_problem_page(org, personas, login, settings,
                                                                            tmp_path):
    settings.MEDIA_ROOT = tmp_path
    problem = vf.problem(org.team, org.worker)
    client = login(personas.plant_admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/vanguard/problems/{problem.pk}/attachments/", {"file": SimpleUploadedFile("照片.jpg", b"jpeg")})
    attachment = problem.attachments.get()
    response = client.get(f"/vanguard/problems/{problem.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"jpeg"
    assert login(f.user()).get(f"/vanguard/problems/{problem.pk}/attachments/{attachment.pk}/").status_code == 404
    client = login(personas.plant_admin)
    client.post(f"/vanguard/problems/{problem.pk}/attachments/{attachment.pk}/delete/")
    assert not problem.attachments.exists()


def test_a_branch_secretary_edits_and_reviews_their_carrier_on_its_pages(org, personas, login, zh):
    carrier = vf.carrier(org.area2, org.sib_branch, name="二厂先锋岗", lead=org.sib_worker)
    client = login(personas.secretary)
    form = client.get(f"/vanguard/carriers/{carrier.pk}/edit/").content.decode()
    assert 'value="CY2-A1"' not in form  # the branch reaches the carrier, not its unit
    response = client.post(f"/vanguard/carriers/{carrier.pk}/edit/", {
        "name": "二厂“注水”先锋岗", "kind": "post", "party_org": "P-CY2-B1", "unit": "",
        "category": "production", "production_related": "on", "established_on": "2024-03-01",
        "commitment": "注水合格率95%", "targets": ""})
    assert response.status_code == 302, response.content.decode()[-2000:]
    response = client.post(f"/vanguard/carriers/{carrier.pk}/review/", {
        "year": "2025", "rating": "excellent", "comment": "成效显著", "on": "2026-01-15"})
    assert response.status_code == 302
    carrier.refresh_from_db()
    assert carrier.name == "二厂“注水”先锋岗" and carrier.unit == org.area2
    assert carrier.reviews.get().rating == "excellent"
    page = client.get(f"/vanguard/carriers/{carrier.pk}/").content.decode()
    assert "优秀" in page and "注水合格率95%" in page


def test_the_carrier_picker_suggests_at_most_twenty_active_carriers_in_reach(org, personas, login,
                                                                               django_assert_max_num_queries):
    for n in range(25):
        vf.carrier(org.team, org.branch, name=f"注水先锋岗{n:02d}")
    retired = vf.carrier(org.team, org.branch, name="注水先锋岗已撤销")
    Carrier.objects.filter(pk=retired.pk).update(status=Carrier.Status.RETIRED)
    vf.carrier(org.area2, org.sib_branch, name="二厂注水先锋岗")
    client = login(personas.plant_admin)
    with django_assert_max_num_queries(8):
        page = client.get("/vanguard/problems/carriers/", {"carrier": "注水"}).content.decode()
    assert page.count("<option") == 20 and "已撤销" not in page and "二厂" not in page
    assert 'value="注水先锋岗00（采油一班）#' in page
    by_unit = client.get("/vanguard/problems/carriers/", {"carrier": "CY1-A1-T1"}).content.decode()
    assert by_unit.count("<option") == 20
    assert client.get("/vanguard/problems/carriers/", {"carrier": "二厂"}).content.decode().strip() == ""


def test_a_problem_takes_the_carrier_chosen_typed_by_name_or_refuses_one_out_of_reach(org, personas, login):
    post = vf.carrier(org.team, org.branch, name="采油一班先锋岗", lead=org.worker)
    other = vf.carrier(org.area2, org.sib_branch, name="二厂先锋岗")
    client = login(personas.plant_admin)
    form = {"title": "抽油机振动", "category": "technical", "difficulty": "ordinary",
            "raised_by": org.worker.employee_no, "raised_on": "2026-11-20"}
    chosen = client.post("/vanguard/problems/new/", {**form, "carrier": f"采油一班先锋岗（采油一班）#{post.pk}"})
    assert chosen.status_code == 302 and Problem.objects.get(title="抽油机振动").carrier == post
    typed = client.post("/vanguard/problems/new/", {**form, "title": "回压高", "carrier": "采油一班先锋岗"})
    assert typed.status_code == 302 and Problem.objects.get(title="回压高").carrier == post
    refused = client.post("/vanguard/problems/new/", {**form, "title": "越权", "carrier": f"二厂先锋岗#{other.pk}"})
    assert refused.status_code == 200 and not Problem.objects.filter(title="越权").exists()
    assert "请从提示中选择" in refused.content.decode()
    problem = Problem.objects.get(title="回压高")
    edit = client.get(f"/vanguard/problems/{problem.pk}/edit/").content.decode()
    assert f'value="采油一班先锋岗（采油一班）#{post.pk}"' in edit and 'list="carrier-options"' in edit
