"""The meetings API: series, generation, meetings, agenda, attendance, decisions → tasks, the
secretaries' attendance statistics and the iCal feed."""
import datetime as dt

from icalendar import Calendar as ICalendar

from ronghe.meetings import services
from ronghe.meetings.models import Decision, Meeting
from ronghe.tasks.models import Task
from tests.api.support import ApiClient, token_for

D = dt.date


def client_of(user):
    return ApiClient(token_for(user))


def test_a_series_is_created_and_generates_its_meetings_once(org, personas, reform):
    api = client_of(personas.superuser)
    response = api.post("meeting-series", {
        "name": "地质措施论证会", "kind": "geology_review", "organiser_unit": "HQ", "recurrence": "quarterly",
        "day": 25, "starts_on": "2026-01-01", "chair": reform.chair.employee_no,
        "invitees": [reform.secretary.employee_no], "units": ["CY1", "CY2"]})
    assert response.status_code == 201, response.content
    series = response.json()
    assert series["units"] == [{"code": "CY1", "name": "采油一厂"}, {"code": "CY2", "name": "采油二厂"}]
    made = api.post(f"meeting-series/{series['id']}/generate", {"until": "2026-12-31"}).json()["created"]
    assert len(made) == 4
    assert api.post(f"meeting-series/{series['id']}/generate", {"until": "2026-12-31"}).json()["created"] == []
    first = api.get(f"meetings/{made[0]}").json()
    assert (first["date"], first["scheduled_for"], first["issue"]) == ("2026-01-26", "2026-01-25", "〔2026〕第1期")
    assert [a["person"]["employee_no"] for a in first["attendance"]] == [reform.secretary.employee_no]


def test_the_organiser_records_the_meeting_and_turns_a_decision_into_a_task(org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 16))[1]
    api = client_of(reform.chair_user)
    proposals = api.get(f"meetings/{meeting.pk}/proposals").json()
    assert [(p["source"], p["task"]) for p in proposals] == [("task", reform.red.pk)]
    item = api.post(f"meetings/{meeting.pk}/agenda", {"task": reform.red.pk})
    assert item.status_code == 201, item.content
    item_id = item.json()["id"]
    patched = api.patch(f"meetings/{meeting.pk}/agenda/{item_id}", {"discussion": "方案审批滞后", "outcome": "decided"})
    assert patched.json()["discussion"] == "方案审批滞后"
    row = next(a for a in api.get(f"meetings/{meeting.pk}").json()["attendance"]
               if a["person"]["employee_no"] == reform.secretary.employee_no)
    absent = api.patch(f"meetings/{meeting.pk}/attendance/{row['id']}", {"status": "absent"})
    assert absent.status_code == 422 and "reason" in absent.json()["details"]
    assert api.patch(f"meetings/{meeting.pk}/attendance/{row['id']}",
                     {"status": "absent", "reason": "出差"}).json()["status"] == "absent"
    decision = api.post(f"meetings/{meeting.pk}/decisions", {
        "text": "七月底前完成方案审批", "owner": reform.owner.employee_no, "lead_unit": "CY1",
        "deadline": "2026-07-31", "item": item_id})
    assert decision.status_code == 201, decision.content
    assert decision.json()["number"] == "〔2026〕第2期-1"
    made = api.post(f"meeting-decisions/{decision.json()['id']}/create-task", {})
    assert made.status_code == 201, made.content
    task = Task.objects.get(pk=made.json()["task"])
    assert (task.responsible, task.state) == (reform.owner, Task.State.ISSUED)
    assert made.json()["decision"]["task"] == task.pk
    mine = client_of(reform.owner_user).get("tasks", mine=True).json()
    assert task.pk in [t["id"] for t in mine["items"]]
    again = api.post(f"meeting-decisions/{decision.json()['id']}/create-task", {})
    assert again.status_code == 422


def test_decisions_list_filters_open_ones(org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    open_one = services.decision_create(actor=reform.su, meeting=meeting, text="甲", owner=reform.owner,
                                        lead_unit=org.plant, deadline=D(2026, 7, 1))
    done = services.decision_create(actor=reform.su, meeting=meeting, text="乙", owner=reform.owner,
                                    lead_unit=org.plant, deadline=D(2026, 7, 1))
    services.decision_close(actor=reform.su, decision=done, state="done")
    api = client_of(personas.superuser)
    assert [d["id"] for d in api.get("meeting-decisions", state="open").json()["items"]] == [open_one.pk]
    assert [d["id"] for d in api.get("meeting-decisions", state="done").json()["items"]] == [done.pk]


def test_outsiders_of_the_organiser_cannot_change_the_meeting(org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    assert client_of(personas.plant_admin).get(f"meetings/{meeting.pk}").status_code == 404
    viewer = client_of(personas.viewer)
    assert viewer.get(f"meetings/{meeting.pk}").status_code == 200
    assert viewer.post(f"meetings/{meeting.pk}/agenda", {"title": "x"}).status_code == 403
    invitee = client_of(reform.owner_user)
    assert invitee.get(f"meetings/{meeting.pk}").status_code == 200
    assert invitee.post(f"meetings/{meeting.pk}/agenda", {"title": "x"}).status_code in (403, 404)
    assert not Meeting.objects.get(pk=meeting.pk).agenda.exists()


def test_the_secretaries_attendance_rate_counts_presence_in_person(org, personas, reform):
    series = services.series_create(actor=reform.su, name="地质措施论证会", kind="geology_review",
                                    organiser_unit=org.hq, recurrence="quarterly", day=25,
                                    starts_on=D(2026, 1, 1), invitees=[reform.secretary], units=[org.plant])
    q1, q2 = services.generate_meetings(actor=reform.su, until=D(2026, 6, 30), series=series)
    services.attendance_record(actor=reform.su, attendance=q1.attendance.get(), status="present")
    services.attendance_record(actor=reform.su, attendance=q2.attendance.get(), status="substitute", reason="出差",
                               substitute=reform.owner)
    stats = client_of(personas.superuser).get("meetings/attendance-stats", kind="geology_review",
                                              date_from="2026-01-01", date_to="2026-06-30").json()
    assert (stats["meetings"], stats["expected"], stats["present"], stats["rate"]) == (2, 2, 1, 0.5)
    line = stats["units"][0]
    assert (line["unit"]["code"], line["present"], line["substitute"]) == ("CY1", 1, 1)
    assert line["secretaries"][0]["name"] == "一厂书记"


def test_the_ical_feed_opens_with_its_secret_only_and_lists_ones_own_meetings(client, org, reform):
    mine = services.generate_meetings(actor=reform.su, until=D(2026, 7, 1))
    services.meeting_create(actor=reform.su, organiser_unit=org.hq, title="不相干的会", date=D(2026, 6, 20),
                            start_time=dt.time(9), end_time=dt.time(10))
    key = services.feed_token_create(actor=reform.owner_user)
    response = client.get(f"/api/v1/meetings/feed/{key}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [e for e in ICalendar.from_ical(response.content).walk("VEVENT")]
    assert sorted(str(e["summary"]) for e in events) == sorted(f"{m.title}{m.issue}" for m in mine)
    assert events[0]["location"] == "机关301会议室"
    assert client.get("/api/v1/meetings/feed/not-the-key").status_code == 401
    services.feed_token_create(actor=reform.owner_user)
    assert client.get(f"/api/v1/meetings/feed/{key}").status_code == 401


def test_a_decision_turned_into_a_task_can_no_longer_be_edited_here(org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 1))[0]
    decision = services.decision_create(actor=reform.su, meeting=meeting, text="甲", owner=reform.owner,
                                        lead_unit=org.plant, deadline=D(2026, 7, 1))
    api = client_of(personas.superuser)
    assert api.patch(f"meeting-decisions/{decision.pk}", {"text": "甲乙"}).json()["text"] == "甲乙"
    services.decision_create_task(actor=reform.su, decision=decision)
    assert api.patch(f"meeting-decisions/{decision.pk}", {"text": "丙"}).status_code == 422
    assert Decision.objects.get(pk=decision.pk).text == "甲乙"
