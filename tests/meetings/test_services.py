"""Series, generated meetings, attendance, the agenda and decisions that become tasks."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry, Notification
from ronghe.meetings import selectors, services
from ronghe.meetings.models import AgendaItem, Attendance, Decision, Meeting
from ronghe.tasks import services as task_services
from ronghe.tasks.models import Task

D = dt.date


JULY_END = D(2026, 7, 31)


def generate(reform, until=JULY_END):
    return services.generate_meetings(actor=reform.su, until=until)


def test_generating_creates_the_series_meetings_with_their_invitees_once(reform):
    made = generate(reform)
    assert [(m.scheduled_for, m.date) for m in made] == [
        (D(2026, 6, 1), D(2026, 6, 1)), (D(2026, 6, 16), D(2026, 6, 16)),
        (D(2026, 7, 1), D(2026, 7, 1)), (D(2026, 7, 16), D(2026, 7, 16))]
    assert [m.issue for m in made] == ["〔2026〕第1期", "〔2026〕第2期", "〔2026〕第3期", "〔2026〕第4期"]
    assert {a.person for a in made[0].attendance.all()} == {reform.chair, reform.owner, reform.secretary}
    assert made[0].chair == reform.chair and made[0].place == "机关301会议室"
    assert generate(reform) == []
    assert Meeting.objects.count() == 4
    assert AuditEntry.objects.filter(action="meeting.create").count() == 4


def test_a_meeting_moved_or_cancelled_is_not_made_again(reform):
    first = generate(reform, D(2026, 6, 1))[0]
    services.meeting_update(actor=reform.su, meeting=first, date=D(2026, 6, 2))
    services.meeting_set_state(actor=reform.su, meeting=first, state="cancelled", reason="与党委会冲突")
    assert generate(reform, D(2026, 6, 1)) == []


def test_a_meeting_on_a_holiday_moves_to_the_next_working_day_and_says_so(reform):
    services.series_update(actor=reform.su, series=reform.series, starts_on=D(2026, 9, 20))
    made = generate(reform, D(2026, 10, 31))
    assert [(m.scheduled_for, m.date) for m in made] == [(D(2026, 10, 1), D(2026, 10, 8)),
                                                         (D(2026, 10, 16), D(2026, 10, 16))]
    entry = AuditEntry.objects.filter(action="meeting.create", object_id=str(made[0].pk)).get()
    assert "2026-10-01" in entry.message


def test_numbers_start_again_each_year(reform):
    services.series_update(actor=reform.su, series=reform.series, starts_on=D(2026, 12, 1))
    made = generate(reform, D(2027, 1, 31))
    assert [m.issue for m in made] == ["〔2026〕第1期", "〔2026〕第2期", "〔2027〕第1期", "〔2027〕第2期"]


def test_nobody_creates_a_series_for_a_unit_outside_their_scope(reform, org, personas):
    with pytest.raises(ValidationError):
        services.series_create(actor=personas.plant_admin, name="越权", organiser_unit=org.sibling,
                               starts_on=D(2026, 1, 1))
    with pytest.raises(OutOfScope):
        services.series_update(actor=personas.plant_admin, series=reform.series, name="改名")


def test_half_monthly_series_need_a_day_in_each_half(org, personas):
    with pytest.raises(ValidationError) as error:
        services.series_create(actor=personas.superuser, name="坏规则", organiser_unit=org.hq,
                               recurrence="half_monthly", day=20, starts_on=D(2026, 1, 1))
    assert "day" in error.value.message_dict


def test_attendance_needs_a_reason_for_an_absence_and_a_name_for_a_substitute(reform, org):
    meeting = generate(reform, D(2026, 6, 16))[1]
    row = meeting.attendance.get(person=reform.secretary)
    with pytest.raises(ValidationError):
        services.attendance_record(actor=reform.su, attendance=row, status="absent")
    with pytest.raises(ValidationError):
        services.attendance_record(actor=reform.su, attendance=row, status="substitute", reason="出差")
    deputy = reform.owner
    services.attendance_record(actor=reform.su, attendance=row, status="substitute", reason="出差", substitute=deputy)
    row.refresh_from_db()
    assert (row.status, row.reason, row.substitute) == ("substitute", "出差", deputy)
    services.attendance_record(actor=reform.su, attendance=row, status="present", reason="ignored")
    row.refresh_from_db()
    assert (row.status, row.reason, row.substitute) == ("present", "", None)
    assert AuditEntry.objects.filter(action="attendance.update").count() == 2


def test_the_agenda_proposes_the_red_task_of_the_series_plan_not_the_green_one(reform, personas):
    meeting = generate(reform, D(2026, 6, 16))[1]
    proposed = selectors.proposals(meeting, personas.superuser)
    assert [p.task for p in proposed if p.task] == [reform.red]
    assert proposed[0].light == "red"


def test_a_blocked_task_is_proposed_too(reform, personas):
    task_services.task_mark_blocked(actor=reform.su, task=reform.green, reason="缺编制", on=D(2026, 6, 10))
    meeting = generate(reform, D(2026, 6, 16))[1]
    assert {p.task for p in selectors.proposals(meeting, personas.superuser) if p.task} == {reform.red, reform.green}


def test_a_task_put_on_the_agenda_is_no_longer_proposed_and_cannot_go_on_twice(reform, personas):
    meeting = generate(reform, D(2026, 6, 16))[1]
    item = services.agenda_item_add(actor=reform.su, meeting=meeting, task=reform.red)
    assert item.source == "task" and item.title == str(reform.red) and item.presenter == reform.owner
    assert not [p for p in selectors.proposals(meeting, personas.superuser) if p.task]
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=reform.su, meeting=meeting, task=reform.red)


def test_a_decision_becomes_an_issued_task_of_its_owner_in_one_step(reform, org):
    meeting = generate(reform, D(2026, 6, 16))[1]
    item = services.agenda_item_add(actor=reform.su, meeting=meeting, task=reform.red)
    decision = services.decision_create(actor=reform.su, meeting=meeting, item=item, text="组织部牵头七月底前完成方案审批",
                                        owner=reform.owner, lead_unit=org.plant, deadline=D(2026, 7, 31))
    assert decision.number == "〔2026〕第2期-1"
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.DECIDED
    task = services.decision_create_task(actor=reform.su, decision=decision)
    assert (task.state, task.responsible, task.lead_unit, task.deadline, task.leader) == (
        Task.State.ISSUED, reform.owner, org.plant, D(2026, 7, 31), reform.chair)
    assert task.number == "〔2026〕第2期-1" and "改革办例会" in task.source
    assert task.issued_on == D(2026, 6, 16)
    decision.refresh_from_db()
    assert decision.task == task and task.meeting_decision == decision
    assert task.plan.unit == org.hq and "改革办例会" in task.plan.name
    assert Task.objects.filter(responsible=reform.owner, pk=task.pk).exists()
    assert Notification.objects.filter(recipient=reform.owner_user, category="meetings").exists()
    with pytest.raises(ValidationError):
        services.decision_create_task(actor=reform.su, decision=decision)


def test_decision_tasks_of_one_series_and_year_share_one_plan(reform, org):
    meeting = generate(reform, D(2026, 6, 16))[1]
    tasks = [services.decision_create_task(actor=reform.su, decision=services.decision_create(
        actor=reform.su, meeting=meeting, text=f"事项{i}", owner=reform.owner, lead_unit=org.plant,
        deadline=D(2026, 8, 31))) for i in range(2)]
    assert tasks[0].plan == tasks[1].plan
    assert [t.number for t in tasks] == ["〔2026〕第2期-1", "〔2026〕第2期-2"]


def test_open_decisions_come_back_on_later_agendas_until_their_task_is_done(reform, org, personas):
    first, second, third = generate(reform, D(2026, 7, 1))[:3]
    decision = services.decision_create(actor=reform.su, meeting=first, text="补充编制方案", owner=reform.owner,
                                        lead_unit=org.plant, deadline=D(2026, 6, 30))
    task = services.decision_create_task(actor=reform.su, decision=decision)
    assert [p.decision for p in selectors.proposals(second, personas.superuser) if p.decision] == [decision]
    assert [p.decision for p in selectors.proposals(first, personas.superuser) if p.decision] == []
    task_services.task_acknowledge(actor=reform.su, task=task, on=D(2026, 6, 2))
    task_services.completion_submit(actor=reform.su, task=task, evidence="已印发", on=D(2026, 6, 20))
    task_services.completion_accept(actor=reform.su, task=task)
    assert [p.decision for p in selectors.proposals(third, personas.superuser) if p.decision] == []
    decision.refresh_from_db()
    assert selectors.decision_state(decision) == Decision.State.DONE


def test_a_decision_without_a_task_is_closed_by_hand_and_dropping_needs_a_reason(reform, org):
    meeting = generate(reform, D(2026, 6, 1))[0]
    decision = services.decision_create(actor=reform.su, meeting=meeting, text="请各单位报送材料", owner=reform.owner,
                                        lead_unit=org.plant, deadline=D(2026, 6, 10))
    with pytest.raises(ValidationError):
        services.decision_close(actor=reform.su, decision=decision, state="dropped")
    services.decision_close(actor=reform.su, decision=decision, state="done", note="已报送")
    decision.refresh_from_db()
    assert (decision.state, decision.closed_on) == ("done", D(2026, 6, 30))
    assert not Decision.objects.filter(selectors.open_q()).exists()


def test_a_decision_cannot_be_due_before_its_meeting(reform, org):
    meeting = generate(reform, D(2026, 6, 16))[1]
    with pytest.raises(ValidationError):
        services.decision_create(actor=reform.su, meeting=meeting, text="x", owner=reform.owner, lead_unit=org.plant,
                                 deadline=D(2026, 6, 1))


def test_only_the_organiser_side_changes_a_meeting(reform, org, personas):
    meeting = generate(reform, D(2026, 6, 1))[0]
    for actor in (personas.plant_admin, personas.viewer, personas.secretary):
        with pytest.raises(OutOfScope):
            services.agenda_item_add(actor=actor, meeting=meeting, title="越权议题")
        with pytest.raises(OutOfScope):
            services.decision_create(actor=actor, meeting=meeting, text="x", owner=reform.owner,
                                     lead_unit=org.plant, deadline=D(2026, 7, 1))
    assert services.agenda_item_add(actor=reform.chair_user, meeting=meeting, title="研究三季度重点工作")


def test_invitees_see_their_meetings_outside_their_scope(reform, org, personas):
    meeting = generate(reform, D(2026, 6, 1))[0]
    assert selectors.meetings(reform.owner_user).filter(pk=meeting.pk).exists()
    assert not selectors.meetings(personas.plant_admin).filter(pk=meeting.pk).exists()
    assert selectors.meetings(personas.viewer).filter(pk=meeting.pk).exists()


def test_a_notice_goes_once_to_the_chair_and_every_invitee(reform):
    meeting = generate(reform, D(2026, 7, 1))[2]
    sent = services.meeting_send_notice(actor=reform.su, meeting=meeting)
    assert sent >= 2  # the two with a login get it in their inbox
    notice = Notification.objects.filter(recipient=reform.owner_user, category="meetings").get()
    assert "改革办例会" in notice.title
    assert services.meeting_send_notice(actor=reform.su, meeting=meeting) == 0


def test_a_meeting_is_not_held_before_its_date_nor_cancelled_without_a_reason(reform):
    later = generate(reform, D(2026, 7, 16))[-1]
    with pytest.raises(ValidationError):
        services.meeting_set_state(actor=reform.su, meeting=later, state="held")
    with pytest.raises(ValidationError):
        services.meeting_set_state(actor=reform.su, meeting=later, state="cancelled")


def test_minutes_are_saved_and_audited(reform):
    meeting = generate(reform, D(2026, 6, 1))[0]
    services.minutes_save(actor=reform.su, meeting=meeting, minutes="会议听取了各单位汇报。")
    meeting.refresh_from_db()
    assert meeting.minutes == "会议听取了各单位汇报。"
    assert AuditEntry.objects.filter(action="meeting.update", object_id=str(meeting.pk)).count() == 1


def test_every_service_writes_an_audit_entry(reform, org):
    counts = AuditEntry.objects.count()
    meeting = services.meeting_create(actor=reform.su, organiser_unit=org.hq, title="专题协调会", date=D(2026, 6, 20),
                                      start_time=dt.time(14), end_time=dt.time(16), invitees=[reform.owner])
    assert meeting.issue == "〔2026〕第1期" and meeting.series is None
    item = services.agenda_item_add(actor=reform.su, meeting=meeting, title="议题")
    services.agenda_item_update(actor=reform.su, item=item, discussion="讨论", outcome="noted")
    services.attendance_invite(actor=reform.su, meeting=meeting, people=[reform.secretary])
    row = meeting.attendance.get(person=reform.secretary)
    services.attendance_remove(actor=reform.su, attendance=row)
    services.agenda_item_remove(actor=reform.su, item=item)
    assert AuditEntry.objects.count() == counts + 6
    assert not Attendance.objects.filter(meeting=meeting, person=reform.secretary).exists()
