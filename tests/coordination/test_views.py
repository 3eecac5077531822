"""The pages: list with filters, sorting, pagination and export; raising (from a unit and from a
task); the request page with each side's steps; statistics; flat query counts."""
import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ronghe.coordination import services
from ronghe.coordination.models import Request

D = dt.date


def test_the_list_shows_both_sides_and_filters(coord, raise_one, login, personas):
    late = raise_one(title="超期事项", on=D(2026, 6, 15))
    raise_one(title="新事项")
    page = login(coord.dept_admin).get("/coordination/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "超期事项" in html and "新事项" in html
    html = login(coord.dept_admin).get("/coordination/?state=overdue").content.decode()
    assert "超期事项" in html and "新事项" not in html
    assert late.number in login(coord.raiser).get("/coordination/?mine=raised&sort=number").content.decode()
    assert "超期事项" not in login(personas.secretary).get("/coordination/").content.decode()


def test_the_list_speaks_chinese(coord, raise_one, client):
    raise_one(on=D(2026, 6, 15))
    client.force_login(coord.raiser)
    with translation.override("zh-hans"):
        html = client.get("/coordination/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2026年6月15日" in html


def test_raising_from_the_form_with_an_attachment(coord, org, login, media):
    client = login(coord.raiser)
    assert client.get("/coordination/new/").status_code == 200
    response = client.post("/coordination/new/", {
        "title": "请求协调用电", "description": "新井用电报装。", "category": "production", "from_unit": "CY1",
        "to_unit": "HQ-ZZB", "to_person_text": coord.dept_head.person.name, "answer_due": "",
        "attachment": SimpleUploadedFile("说明.txt", b"abc")})
    assert response.status_code == 302, response.content.decode()[:2000]
    request = Request.objects.get(title="请求协调用电")
    assert request.to_person == coord.dept_head.person and request.attachments.count() == 1
    download = client.get(f"/coordination/{request.pk}/files/{request.attachments.get().pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"abc"


def test_the_form_reports_an_unknown_person(coord, login):
    response = login(coord.raiser).post("/coordination/new/", {
        "title": "x", "description": "y", "category": "other", "from_unit": "CY1", "to_unit": "HQ-ZZB",
        "to_person_text": "无此人"})
    assert response.status_code == 200 and Request.objects.count() == 0


def test_someone_who_can_raise_nothing_gets_404(personas, login):
    assert login(personas.outsider).get("/coordination/new/").status_code == 404


def test_each_side_sees_its_own_steps_and_takes_them(coord, raise_one, login):
    request = raise_one(on=D(2026, 6, 15))
    raiser_html = login(coord.raiser).get(f"/coordination/{request.pk}/").content.decode()
    assert 'id="step-button-escalate"' in raiser_html and 'id="step-button-answer"' not in raiser_html
    answerer = login(coord.dept_admin)
    html = answerer.get(f"/coordination/{request.pk}/").content.decode()
    assert 'id="step-button-answer"' in html and 'id="step-button-escalate"' not in html
    assert answerer.post(f"/coordination/{request.pk}/answer/", {"answer-answer": "已协调。"}).status_code == 302
    request.refresh_from_db()
    assert request.state == "answered"
    assert login(coord.raiser).post(f"/coordination/{request.pk}/close/", {"close-note": ""}).status_code == 302
    request.refresh_from_db()
    assert request.state == "closed"


def test_a_step_the_user_may_not_take_answers_404_and_a_bad_form_400(coord, raise_one, login, personas):
    request = raise_one()
    assert login(coord.raiser).post(f"/coordination/{request.pk}/answer/", {"answer-answer": "x"}).status_code == 404
    assert login(coord.dept_admin).post(f"/coordination/{request.pk}/answer/", {"answer-answer": ""}).status_code == 400
    assert login(personas.outsider).get(f"/coordination/{request.pk}/").status_code == 404


def test_the_raiser_edits_while_unanswered(coord, raise_one, login):
    request = raise_one()
    client = login(coord.raiser)
    assert client.get(f"/coordination/{request.pk}/edit/").status_code == 200
    response = client.post(f"/coordination/{request.pk}/edit/", {
        "title": "改后的标题", "description": request.description, "category": "policy", "to_person_text": "",
        "answer_due": "2026-07-10"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.title == "改后的标题" and request.answer_due == D(2026, 7, 10)
    assert login(coord.dept_admin).get(f"/coordination/{request.pk}/edit/").status_code == 404


def test_the_ledger_exports_what_the_list_shows(coord, raise_one, login):
    raise_one(title="甲事项", on=D(2026, 6, 15))
    answered = raise_one(title="乙事项")
    services.request_answer(actor=coord.dept_admin, request=answered, answer="已办。")
    response = login(coord.raiser).get("/coordination/export/?state=answered")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("编号", "事项", "类别") and len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["事项"] == "乙事项" and record["状态"] == "已答复" and record["按时答复"] == "是"
    assert record["答复用时（工作日）"] == 0


def test_the_statistics_page_shows_all_twelve_answered(coord, raise_one, login):
    for i in range(12):
        request = raise_one(title=f"事项{i}", on=D(2026, 3, 2))
        services.request_answer(actor=coord.dept_admin, request=request, answer="已答复。", on=D(2026, 3, 4))
    with translation.override("zh-hans"):
        html = login(coord.raiser).get("/coordination/stats/?start=2026-01-01&end=2026-06-30",
                                       HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="figure-raised">12<' in html and 'id="figure-answered">12<' in html
    assert "stats-chart-data" in html


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(coord, org, n, start):
    first = Request.objects.first()
    Request.objects.bulk_create([
        Request(number=f"XT2026-8{start + i:03d}", title="批量", description="x", from_unit=org.plant, to_unit=org.dept,
                handling_unit=org.dept, raised_by=coord.raiser, raised_by_person=coord.raiser.person,
                raised_on=first.raised_on, answer_due=first.answer_due) for i in range(n)])


def test_list_export_and_statistics_cost_the_same_queries_for_10_and_200_rows(coord, org, raise_one, login):
    raise_one()
    _grow(coord, org, 9, 0)
    client = login(coord.raiser)
    urls = ["/coordination/", "/coordination/export/", "/coordination/stats/?start=2026-01-01"]
    small = [_count(client, url) for url in urls]
    _grow(coord, org, 190, 100)
    assert [_count(client, url) for url in urls] == small
