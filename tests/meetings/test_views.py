"""The meetings pages: list, calendar, a meeting's page with its proposed agenda, decisions
turned into tasks, minutes as docx, series, statistics and the feed address."""
import datetime as dt
import io

import openpyxl
from django.utils import translation
from docx import Document

from ronghe.meetings import services
from ronghe.meetings.models import AgendaItem, Decision, FeedToken, MeetingSeries
from ronghe.tasks.models import Task

D = dt.date


def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def test_the_organiser_sees_the_red_task_proposed_and_closes_the_loop_in_chinese(client, org, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 16))[1]
    zh(client).force_login(reform.chair_user)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "建议列入议程" in page and "压减处级机构" in page and "改革办例会" in page
    assert client.post(f"/meetings/{meeting.pk}/agenda/", {"task": reform.red.pk}).status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    response = client.post(f"/meetings/{meeting.pk}/decide/", {
        "text": "七月底前完成方案审批", "owner": reform.owner.employee_no, "lead_unit": "CY1", "deadline": "2026-07-31",
        "item": item.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    response = client.post(f"/meetings/decisions/{decision.pk}/task/", {})
    assert response.status_code == 302, response.content.decode()
    decision.refresh_from_db()
    assert decision.task.state == Task.State.ISSUED
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "〔2026〕第2期-1" in page and "办理中" in page
    client.force_login(reform.owner_user)
    mine = client.get("/tasks/", {"view": "mine"}).content.decode()
    assert "七月底前完成方案审批" in mine


def test_a_viewer_sees_the_meeting_but_cannot_act_and_outsiders_get_404(client, org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    client.force_login(personas.viewer)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "meeting-edit" not in page and "take-all" not in page
    assert client.post(f"/meetings/{meeting.pk}/agenda/", {"title": "越权"}).status_code == 404
    client.force_login(personas.plant_admin)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert not AgendaItem.objects.exists()


def test_taking_every_proposal_builds_the_agenda(client, org, reform):
    first, second = services.generate_meetings(actor=reform.su, until=D(2026, 6, 16))
    services.decision_create(actor=reform.su, meeting=first, text="上期事项", owner=reform.owner, lead_unit=org.plant,
                             deadline=D(2026, 7, 31))
    client.force_login(reform.chair_user)
    assert client.post(f"/meetings/{second.pk}/agenda/proposed/").status_code == 302
    assert sorted(second.agenda.values_list("source", flat=True)) == ["decision", "task"]


def test_minutes_come_as_a_word_document_in_the_customary_layout(client, org, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    item = services.agenda_item_add(actor=reform.su, meeting=meeting, task=reform.red)
    services.agenda_item_update(actor=reform.su, item=item, discussion="方案审批滞后两个月。", outcome="decided")
    services.decision_create(actor=reform.su, meeting=meeting, item=item, text="七月底前完成方案审批", owner=reform.owner,
                             lead_unit=org.plant, deadline=D(2026, 7, 31))
    row = meeting.attendance.get(person=reform.secretary)
    services.attendance_record(actor=reform.su, attendance=row, status="absent", reason="出差")
    services.minutes_save(actor=reform.su, meeting=meeting, minutes="会议听取了三项制度改革推进情况汇报。")
    client.force_login(reform.chair_user)
    response = client.get(f"/meetings/{meeting.pk}/minutes.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert text[0] == "改革办例会纪要" and text[1] == "〔2026〕第1期"
    body = "\n".join(text)
    assert "主持：改革办主任" in body and "请假：一厂书记（出差）" in body
    assert "一、压减处级机构" in body and "方案审批滞后两个月。" in body
    assert "（一）七月底前完成方案审批" in body and "〔2026〕第1期-1" in body
    assert text[-1] == "2026年6月1日"


def test_the_meeting_list_filters_and_exports_what_it_shows(client, org, reform):
    services.generate_meetings(actor=reform.su, until=D(2026, 7, 31))
    services.meeting_create(actor=reform.su, organiser_unit=org.hq, title="专题协调会", date=D(2026, 7, 3),
                            start_time=dt.time(14), end_time=dt.time(15))
    zh(client).force_login(reform.chair_user)
    page = client.get("/meetings/", {"q": "专题", "date_from": "2026-01-01"}).content.decode()
    assert "专题协调会" in page and "〔2026〕第4期" not in page
    response = client.get("/meetings/export/", {"series": reform.series.pk, "date_from": "2026-01-01"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("期号", "会议名称") and len(rows) == 5
    assert {r[1] for r in rows[1:]} == {"改革办例会"}


def test_the_calendar_shows_a_month_of_meetings(client, org, reform):
    services.generate_meetings(actor=reform.su, until=D(2026, 6, 30))
    zh(client).force_login(reform.chair_user)
    page = client.get("/meetings/calendar/", {"month": "2026-6"}).content.decode()
    assert "2026年6月" in page and page.count("改革办例会") >= 2


def test_decisions_are_listed_and_exported(client, org, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    services.decision_create(actor=reform.su, meeting=meeting, text="报送材料", owner=reform.owner, lead_unit=org.plant,
                             deadline=D(2026, 6, 10))
    zh(client).force_login(reform.chair_user)
    page = client.get("/meetings/decisions/", {"state": "open", "overdue": "1"}).content.decode()
    assert "报送材料" in page and "逾期" in page
    rows = list(openpyxl.load_workbook(io.BytesIO(client.get("/meetings/decisions/export/").content)).active
                .iter_rows(values_only=True))
    assert rows[1][0] == "〔2026〕第1期-1" and rows[1][7] == "办理中"


def test_a_series_is_created_from_its_page_and_generates_meetings(client, org, reform):
    client.force_login(reform.chair_user)
    response = client.post("/meetings/series/new/", {
        "name": "开发会", "kind": "development", "organiser_unit": "HQ", "recurrence": "monthly", "day": "5",
        "month_of_quarter": "1", "holiday_rule": "next", "starts_on": "2026-07-01", "start_time": "14:30",
        "duration_minutes": "90", "chair": reform.chair.employee_no, "invitees": f"{reform.owner.employee_no}\n一厂书记"})
    assert response.status_code == 302, response.content.decode()[:3000]
    series = MeetingSeries.objects.get(name="开发会")
    assert set(series.invitees.all()) == {reform.owner, reform.secretary}
    client.post(f"/meetings/series/{series.pk}/generate/", {"until": "2026-09-30"})
    assert [m.date for m in series.meetings.all()] == [D(2026, 7, 6), D(2026, 8, 5), D(2026, 9, 7)]
    with translation.override("zh-hans"):
        page = zh(client).get(f"/meetings/series/{series.pk}/").content.decode()
    assert "顺延" in page


def test_the_statistics_page_shows_the_secretaries_rate(client, org, reform):
    series = services.series_create(actor=reform.su, name="地质措施论证会", kind="geology_review",
                                    organiser_unit=org.hq, recurrence="quarterly", day=25, starts_on=D(2026, 1, 1),
                                    invitees=[reform.secretary], units=[org.plant])
    q1, _q2 = services.generate_meetings(actor=reform.su, until=D(2026, 6, 30), series=series)
    services.attendance_record(actor=reform.su, attendance=q1.attendance.get(), status="present")
    zh(client).force_login(reform.chair_user)
    page = client.get("/meetings/stats/", {"kind": "geology_review", "date_from": "2026-01-01",
                                           "date_to": "2026-12-31"}).content.decode()
    assert "采油一厂" in page and "一厂书记" in page and "50.0%" in page


def test_the_feed_address_is_shown_once_and_can_be_revoked(client, reform):
    client.force_login(reform.owner_user)
    page = client.post("/meetings/feed/", {"action": "create"}).content.decode()
    assert "/api/v1/meetings/feed/" in page
    assert FeedToken.objects.filter(user=reform.owner_user).exists()
    assert "/api/v1/meetings/feed/" not in client.get("/meetings/feed/").content.decode()
    client.post("/meetings/feed/", {"action": "revoke"})
    assert not FeedToken.objects.exists()


def test_a_lead_unit_sees_its_decisions_but_not_the_meeting_it_cannot_see(client, org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    services.decision_create(actor=reform.su, meeting=meeting, text="一厂落实编制", owner=reform.owner,
                             lead_unit=org.plant, deadline=D(2026, 7, 1))
    client.force_login(personas.plant_admin)
    page = client.get("/meetings/decisions/").content.decode()
    assert "一厂落实编制" in page and f"/meetings/{meeting.pk}/" not in page
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
