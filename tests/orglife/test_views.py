"""The 三会一课 pages: the matrix (lazy rows), records with their form, the gaps with their 通报,
statistics and rules; exports and the import of the ledger."""
import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ronghe.orglife import services
from ronghe.orglife.importers import RecordImporter
from ronghe.orglife.models import Attendance, Record, Rule
from tests import factories as f

D = dt.date


@pytest.fixture
def held(life):
    services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind="committee",
                           held_on=D(2026, 10, 9), topic="十月支委会", host=life.secretary,
                           attendance=[(life.members[0], "present"), (life.members[1], "leave")])
    return life


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_matrix_shows_the_top_rows_and_opens_a_subtree_in_chinese(held, login):
    client = login(held.personas.plant_admin)
    with translation.override("zh-hans"):
        html = page(client, "/orglife/", as_of="2026-11-25")
    assert "一厂党委" in html and "hx-get" in html and "一区党支部" not in html
    rows = page(client, "/orglife/matrix/rows/", party_org="P-CY1", year="2026", as_of="2026-11-25", depth="1")
    assert "一区党支部" in rows and 'data-status="missing"' in rows and 'data-status="held"' in rows
    assert client.get("/orglife/matrix/rows/", {"party_org": "P-CY2"}).status_code == 404


def test_a_record_is_made_on_the_form_with_its_members_listed(held, login):
    client = login(held.personas.plant_admin)
    form = page(client, "/orglife/records/new/", party_org="P-CY1-B1")
    assert all(m.name in form for m in held.members)
    data = {"party_org": "P-CY1-B1", "kind": "general_meeting", "held_on": "2026-11-20", "topic": "民主评议党员",
            "host": held.secretary.employee_no, "location": "会议室", "minutes": "会议记录"}
    for member in held.members + held.group_members:
        data[f"att_{member.pk}"] = "present"
    data[f"att_{held.members[2].pk}"] = "absent"
    data[f"att_{held.members[3].pk}"] = ""
    response = client.post("/orglife/records/new/?party_org=P-CY1-B1", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Record.objects.get(topic="民主评议党员")
    assert record.attendance.count() == len(held.members) + len(held.group_members) - 1
    assert record.attendance.get(person=held.members[2]).status == "absent"
    detail = page(client, f"/orglife/records/{record.pk}/")
    assert "民主评议党员" in detail and held.members[2].name in detail


def test_the_form_shows_a_service_refusal_on_its_field(held, login):
    client = login(held.personas.plant_admin)
    response = client.post("/orglife/records/new/", {"party_org": "P-CY1-B1", "kind": "lesson", "held_on": "2026-11-20",
                                                     "topic": "党课"})
    assert response.status_code == 200 and not Record.objects.filter(topic="党课").exists()
    assert "invalid-feedback" in response.content.decode()


def test_a_record_is_edited_and_removed(held, login):
    client = login(held.personas.plant_admin)
    record = Record.objects.get()
    form = page(client, f"/orglife/records/{record.pk}/edit/")
    assert "十月支委会" in form
    data = {"party_org": "P-CY1-B1", "kind": "committee", "held_on": "2026-10-09", "topic": "十月支委会（补记）",
            f"att_{held.members[0].pk}": "absent"}
    assert client.post(f"/orglife/records/{record.pk}/edit/", data).status_code == 302
    record.refresh_from_db()
    assert record.topic == "十月支委会（补记）"
    assert list(record.attendance.values_list("status", flat=True)) == ["absent"]
    assert client.post(f"/orglife/records/{record.pk}/delete/", {"reason": "录错"}).status_code == 302
    assert not Record.objects.exists()


def test_nobody_reaches_a_record_outside_their_scope(held, login):
    record = Record.objects.get()
    client = login(held.personas.secretary)
    assert client.get(f"/orglife/records/{record.pk}/").status_code == 404
    assert client.post(f"/orglife/records/{record.pk}/delete/").status_code == 404
    assert Record.objects.exists()
    assert "十月支委会" not in page(client, "/orglife/records/")


def test_the_list_filters_sorts_and_exports_what_it_shows_and_the_export_imports_back(held, login):
    client = login(held.personas.plant_admin)
    services.record_create(actor=held.personas.superuser, party_org=held.org.group, kind="group_meeting",
                           held_on=D(2026, 11, 2), topic="小组学习", attendance=[(held.group_members[0], "present")])
    html = page(client, "/orglife/records/", kind="group_meeting", sort="held_on")
    assert "小组学习" in html and "十月支委会" not in html
    response = client.get("/orglife/records/export.xlsx", {"party_org": "P-CY1"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.cell(1, 2).value == "党组织编码*" and sheet.max_row == 3
    result = RecordImporter(actor=held.personas.plant_admin).run_file(response.content, "export.xlsx")
    assert result.as_text_lines() == [] and result.counts["unchanged"] == 2


def test_the_import_creates_and_updates_records_and_reports_every_error(held):
    admin = held.personas.plant_admin
    members = "、".join(m.employee_no for m in held.members[:3])
    rows = [{"党组织编码": "P-CY1-B1", "会议类型": "党课", "召开日期": "2026-11-18", "主题": "弘扬石油精神",
             "授课人工号": held.secretary.employee_no, "出席人员工号": members,
             "请假人员工号": held.members[4].employee_no}]
    result = RecordImporter(actor=admin).run_rows(rows, "ledger.xlsx")
    assert result.as_text_lines() == [] and result.counts["created"] == 1
    update = [{"记录编号": Record.objects.get(kind="committee").pk, "党组织编码": "P-CY1-B1", "会议类型": "支委会",
               "召开日期": "2026-10-09", "主题": "十月支委会（更正）"}]
    result = RecordImporter(actor=admin).run_rows(update, "update.xlsx")
    assert result.as_text_lines() == [] and result.counts["updated"] == 1
    lesson = Record.objects.get(kind="lesson")
    assert lesson.lecturer == held.secretary and lesson.attendance.count() == 4
    assert Record.objects.get(kind="committee").attendance.count() == 2  # attendance columns absent: kept
    bad = [{"党组织编码": "P-CY2-B1", "会议类型": "党课", "召开日期": "2026-11-18", "主题": "越权"},
           {"党组织编码": "P-CY1-B1", "会议类型": "党小组会", "召开日期": "2027-01-01", "主题": "两处错误",
            "出席人员工号": held.org.sib_worker.employee_no}]
    with translation.override("en"):
        lines = RecordImporter(actor=admin).run_rows(bad, "bad.xlsx").as_text_lines()
    assert any("Row 2 [党组织编码]" in line for line in lines), lines
    assert any("Row 3 [会议类型]" in line for line in lines) and any("Row 3 [召开日期]" in line for line in lines)
    assert any("Row 3 [出席人员工号]" in line for line in lines)
    assert Record.objects.count() == 2 and Attendance.objects.filter(record__kind="lesson").count() == 4


def test_the_gaps_page_lists_the_missing_and_hands_out_the_notice(held, login):
    client = login(held.personas.plant_admin)
    with translation.override("zh-hans"):
        html = page(client, "/orglife/gaps/", as_of="2026-11-25")
    assert "一区党支部" in html and "第一党小组" in html
    response = client.get("/orglife/gaps/notice.docx", {"as_of": "2026-11-25"})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    table = docx.Document(io.BytesIO(response.content)).tables[0]
    assert "2026" in text and any("一区党支部" in cell.text for row in table.rows for cell in row.cells)
    pdf = client.get("/orglife/gaps/notice.pdf", {"as_of": "2026-11-25"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/orglife/gaps/export.xlsx", {"as_of": "2026-11-25"}).content)).active
    assert sheet.max_row > 1


def test_the_statistics_and_rules_pages(held, login):
    client = login(held.personas.plant_admin)
    html = page(client, "/orglife/stats/", as_of="2026-11-25")
    assert "chart-months" in html and held.members[0].name in html
    rules_page = page(client, "/orglife/rules/")
    assert "<form" not in rules_page.split('id="rule-list"')[1]
    admin = login(held.personas.superuser)
    rule = Rule.objects.get(org_kind="group")
    response = admin.post(f"/orglife/rules/{rule.pk}/", {f"r{rule.pk}-frequency": "quarter",
                                                        f"r{rule.pk}-min_count": "1", f"r{rule.pk}-active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.frequency == "quarter"
    assert login(held.personas.plant_admin).post(f"/orglife/rules/{rule.pk}/", {}).status_code == 403


def _grow(life, n):
    for i in range(n):
        org = f.party_org(parent=life.org.branch, unit_=life.org.team, kind="group")
        member = f.person(life.org.team, org)
        services.record_create(actor=life.personas.superuser, party_org=org, kind="group_meeting",
                               held_on=D(2026, 1, 5) + dt.timedelta(days=i), topic=f"小组会{i}",
                               attendance=[(member, "present")])


@pytest.mark.parametrize(("url", "params"), [
    ("/orglife/", {"as_of": "2026-11-25"}),
    ("/orglife/matrix/rows/", {"party_org": "P-CY1-B1", "as_of": "2026-11-25"}),
    ("/orglife/records/", {}),
    ("/orglife/gaps/", {"as_of": "2026-11-25"}),
    ("/orglife/stats/", {"as_of": "2026-11-25"}),
])
def test_list_pages_cost_the_same_queries_for_10_rows_and_40(held, login, url, params):
    client = login(held.personas.plant_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page(client, url, **params)
        return len(ctx.captured_queries)

    _grow(held, 10)
    small = count()
    _grow(held, 30)
    assert count() == small
