"""Every write of the meetings module: series, the meetings their rule gives (idempotently),
attendance, the agenda, minutes, notices and the decisions that become tasks in one step.
One transaction each, validated and audited, the actor's scope checked before and after."""
import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.locking import lock_row
from ronghe.core.notifications import categories
from ronghe.core.notifications.services import notify
from ronghe.core.scoping import CHANGE, allows
from ronghe.core.workdays import Calendar
from ronghe.meetings import rules
from ronghe.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    FeedToken,
    Meeting,
    MeetingSeries,
    Recurrence,
)
from ronghe.tasks import services as task_services
from ronghe.tasks.models import Plan, Task

SERIES_FIELDS = ["name", "kind", "organiser_unit", "recurrence", "day", "second_day", "month_of_quarter",
                 "holiday_rule", "starts_on", "ends_on", "start_time", "duration_minutes", "place", "chair",
                 "task_plan", "active"]
SERIES_RELATIONS = ("invitees", "units", "plans")
MEETING_FIELDS = ["series", "kind", "organiser_unit", "title", "year", "number", "scheduled_for", "date",
                  "start_time", "end_time", "place", "chair", "state", "cancel_reason"]
MEETING_EDITABLE = {"title", "kind", "date", "start_time", "end_time", "place", "chair", "organiser_unit"}
ITEM_FIELDS = ["position", "source", "title", "presenter", "task", "request", "decision", "discussion", "outcome",
               "outcome_note"]
ITEM_EDITABLE = {"position", "title", "presenter", "discussion", "outcome", "outcome_note"}
DECISION_FIELDS = ["meeting", "item", "seq", "text", "owner", "lead_unit", "deadline", "task", "state", "closed_on",
                   "close_note"]
ATTENDANCE_FIELDS = ["meeting", "person", "status", "reason", "substitute"]
DECISION_EDITABLE = {"text", "owner", "lead_unit", "deadline", "item"}
FINISHED_TASK_STATES = (Task.State.COMPLETED, Task.State.CLOSED, Task.State.CANCELLED)


# --- who may do what ----------------------------------------------------------------------------

def can_manage(actor, obj) -> bool:
    """A series or meeting is managed by whoever may change its organiser unit."""
    return allows(actor, CHANGE, obj.organiser_unit)


def _need(actor, obj):
    if not can_manage(actor, obj):
        raise OutOfScope()


def _need_unit(actor, unit):
    if unit is None or not allows(actor, CHANGE, unit):
        raise ValidationError({"organiser_unit": _("No such unit within your scope.")})


def _record(actor, action, obj, before, after, unit, message=""):
    audit.record(actor=actor, action=action, obj=obj, before=before, after=after, unit=unit, message=message)


def _snap(obj, fields) -> dict:
    """audit.snapshot with times of day as HH:MM, which the audit's JSON does not take as they are."""
    return {k: (v.strftime("%H:%M") if isinstance(v, dt.time) else v)
            for k, v in audit.snapshot(obj, fields).items()}


def _names(people) -> list[str]:
    return [f"{p.name}（{p.employee_no}）" for p in people]


# --- series --------------------------------------------------------------------------------------

def _series_state(series) -> dict:
    state = _snap(series, SERIES_FIELDS)
    if series.pk:
        state["invitees"] = _names(series.invitees.order_by("employee_no"))
        state["units"] = [u.name for u in series.units.order_by("path")]
        state["plans"] = [p.name for p in series.plans.order_by("pk")]
    return state


@transaction.atomic
def series_create(*, actor, name, organiser_unit, starts_on, kind="other", recurrence=Recurrence.MONTHLY, day=1,
                  second_day=None, month_of_quarter=1, holiday_rule="next", ends_on=None, start_time=dt.time(9),
                  duration_minutes=120, place="", chair=None, task_plan=None, invitees=(), units=(),
                  plans=()) -> MeetingSeries:
    _need_unit(actor, organiser_unit)
    series = MeetingSeries(name=name, kind=kind, organiser_unit=organiser_unit, recurrence=recurrence, day=day,
                           second_day=second_day, month_of_quarter=month_of_quarter, holiday_rule=holiday_rule,
                           starts_on=starts_on, ends_on=ends_on, start_time=start_time,
                           duration_minutes=duration_minutes, place=place, chair=chair, task_plan=task_plan)
    series.full_clean()
    series.save()
    series.invitees.set(invitees)
    series.units.set(units)
    series.plans.set(plans)
    _record(actor, "meeting_series.create", series, None, _series_state(series), organiser_unit)
    return series


@transaction.atomic
def series_update(*, actor, series, **changes) -> MeetingSeries:
    """Change what the series says; meetings already generated keep their dates and people."""
    _need(actor, series)
    unknown = set(changes) - set(SERIES_FIELDS) - set(SERIES_RELATIONS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "organiser_unit" in changes:
        _need_unit(actor, changes["organiser_unit"])
    before = _series_state(series)
    for name, value in changes.items():
        if name not in SERIES_RELATIONS:
            setattr(series, name, value)
    series.full_clean()
    series.save()
    for name in SERIES_RELATIONS:
        if name in changes:
            getattr(series, name).set(changes[name])
    after = _series_state(series)
    if after != before:
        _record(actor, "meeting_series.update", series, before, after, series.organiser_unit)
    return series


def rule_of(series) -> rules.Rule:
    return rules.Rule(recurrence=series.recurrence, starts_on=series.starts_on, day=series.day,
                      second_day=series.second_day, month_of_quarter=series.month_of_quarter,
                      holiday_rule=series.holiday_rule, ends_on=series.ends_on)


def _end_time(start: dt.time, minutes: int) -> dt.time:
    end = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
    # A meeting does not run past midnight; a long one ends at the day's last minute.
    return end.time() if end.date() == dt.date(2000, 1, 1) else dt.time(23, 59)


def _next_number(series, organiser_unit, year) -> int:
    meetings = Meeting.objects.filter(year=year)
    meetings = meetings.filter(series=series) if series else meetings.filter(series=None,
                                                                             organiser_unit=organiser_unit)
    return (meetings.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def generate_meetings(*, actor, until, series=None, calendar=None) -> list[Meeting]:
    """Create the meetings that the rules of the active series (or of `series`) give up to
    `until` and that do not exist yet, with the series' invitees. Idempotent: a meeting is
    remembered by its rule date, so one moved, edited or cancelled is never made again."""
    calendar = calendar or Calendar()
    chosen = [series] if series is not None else list(
        MeetingSeries.objects.filter(active=True).exclude(recurrence=Recurrence.AD_HOC)
        .select_related("organiser_unit").prefetch_related("invitees").order_by("pk"))
    created = []
    for one in chosen:
        if series is not None:
            _need(actor, one)
        known = set(Meeting.objects.filter(series=one).values_list("scheduled_for", flat=True))
        invitees = list(one.invitees.all())
        for occurrence in rules.occurrences(rule_of(one), until, calendar):
            if occurrence.scheduled_for in known:
                continue
            meeting = Meeting(series=one, kind=one.kind, organiser_unit=one.organiser_unit,
                              title=one.name, year=occurrence.date.year,
                              number=_next_number(one, one.organiser_unit, occurrence.date.year),
                              scheduled_for=occurrence.scheduled_for, date=occurrence.date,
                              start_time=one.start_time, end_time=_end_time(one.start_time, one.duration_minutes),
                              place=one.place, chair=one.chair)
            meeting.full_clean()
            try:
                with transaction.atomic():
                    meeting.save()
            except IntegrityError:
                # Another run made it a moment ago: the rule date is unique per series.
                continue
            Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p) for p in invitees])
            message = _("Made by the rule of %(series)s.") % {"series": one.name}
            if occurrence.moved:
                message += " " + _("Moved from %(date)s, not a working day.") % {
                    "date": occurrence.scheduled_for.isoformat()}
            _record(actor, "meeting.create", meeting, None, _snap(meeting, MEETING_FIELDS),
                    one.organiser_unit, message)
            created.append(meeting)
    return created


# --- meetings ------------------------------------------------------------------------------------

@transaction.atomic
def meeting_create(*, actor, organiser_unit, title, date, start_time, end_time, kind="other", series=None,
                   place="", chair=None, invitees=()) -> Meeting:
    """A meeting added by hand: an ad hoc one, or an extra one of a series."""
    _need_unit(actor, organiser_unit)
    if series is not None:
        _need(actor, series)
    meeting = Meeting(series=series, kind=series.kind if series else kind, organiser_unit=organiser_unit,
                      title=title, year=date.year, number=_next_number(series, organiser_unit, date.year),
                      date=date, start_time=start_time, end_time=end_time, place=place, chair=chair)
    meeting.full_clean()
    meeting.save()
    people = list({p.pk: p for p in invitees}.values())
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p) for p in people])
    _record(actor, "meeting.create", meeting, None,
            {**_snap(meeting, MEETING_FIELDS), "invitees": _names(people)}, organiser_unit)
    return meeting


def _lock(meeting) -> Meeting:
    return lock_row(meeting, "organiser_unit", "series")


@transaction.atomic
def meeting_update(*, actor, meeting, **changes) -> Meeting:
    meeting = _lock(meeting)
    _need(actor, meeting)
    unknown = set(changes) - MEETING_EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "organiser_unit" in changes:
        _need_unit(actor, changes["organiser_unit"])
    before = _snap(meeting, MEETING_FIELDS)
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save(update_fields=list(changes))
    after = _snap(meeting, MEETING_FIELDS)
    if after != before:
        _record(actor, "meeting.update", meeting, before, after, meeting.organiser_unit)
    return meeting


@transaction.atomic
def meeting_set_state(*, actor, meeting, state, reason="") -> Meeting:
    """Mark a meeting held, cancelled (with a reason) or planned again."""
    meeting = _lock(meeting)
    _need(actor, meeting)
    if state not in Meeting.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    if state == Meeting.State.CANCELLED and not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    if state == Meeting.State.HELD and meeting.date > clock.today():
        raise ValidationError({"state": _("A meeting cannot be held before its date.")})
    if state == Meeting.State.CANCELLED and meeting.decisions.exists():
        raise ValidationError({"state": _("A meeting that made decisions cannot be cancelled.")})
    before = _snap(meeting, MEETING_FIELDS)
    meeting.state = state
    meeting.cancel_reason = reason.strip() if state == Meeting.State.CANCELLED else ""
    meeting.save(update_fields=["state", "cancel_reason"])
    _record(actor, "meeting.update", meeting, before, _snap(meeting, MEETING_FIELDS),
            meeting.organiser_unit, reason)
    return meeting


@transaction.atomic
def minutes_save(*, actor, meeting, minutes) -> Meeting:
    meeting = _lock(meeting)
    _need(actor, meeting)
    if meeting.minutes == minutes:
        return meeting
    before = {"minutes": meeting.minutes}
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    _record(actor, "meeting.update", meeting, before, {"minutes": minutes}, meeting.organiser_unit)
    return meeting


def _notice_words(meeting):
    from ronghe.core.templatetags.ronghe import cndate

    when = f"{cndate(meeting.date)} {meeting.start_time:%H:%M}"
    return {"title": meeting.title, "issue": meeting.issue, "when": when, "place": meeting.place or "—",
            "unit": meeting.organiser_unit.name}


class _Lazy:
    """Text formatted in each recipient's language when notify reads it."""

    def __init__(self, template, words):
        self.template, self.words = template, words

    def __str__(self):
        return str(self.template) % self.words


NOTICE_TITLE = gettext_lazy("Meeting notice: %(title)s %(issue)s")
NOTICE_BODY = gettext_lazy("%(unit)s holds %(title)s %(issue)s on %(when)s at %(place)s. Please attend on time; "
                           "if you cannot, tell the organiser and name who comes in your place.")
CANCEL_TITLE = gettext_lazy("Meeting cancelled: %(title)s %(issue)s")


@transaction.atomic
def meeting_send_notice(*, actor, meeting) -> int:
    """会议通知 to the chair and every invited person, through their inbox, email and the
    organiser unit's group robots; once per meeting and person (a second call sends nothing new
    to those already told). The number of messages sent."""
    meeting = _lock(meeting)
    _need(actor, meeting)
    if meeting.state != Meeting.State.PLANNED:
        raise ValidationError(_("Only a planned meeting is announced."))
    people = [a.person for a in meeting.attendance.select_related("person")]
    if meeting.chair_id:
        people.append(meeting.chair)
    words = _notice_words(meeting)
    result = notify(rule="meetings.notice", obj=meeting, day=meeting.date, recipients=people,
                    title=_Lazy(NOTICE_TITLE, words), body=_Lazy(NOTICE_BODY, words),
                    link=reverse("meeting_detail", args=[meeting.pk]), category=categories.MEETINGS,
                    units_for_webhooks=[meeting.organiser_unit])
    if not result.messages:
        return 0
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["notice_sent_at"])
    _record(actor, "meeting.notice", meeting, None, {"recipients": _names(people), "messages": len(result.messages)},
            meeting.organiser_unit)
    return len(result.messages)


# --- attendance ----------------------------------------------------------------------------------

@transaction.atomic
def attendance_invite(*, actor, meeting, people) -> list[Attendance]:
    """Invite more people; those already invited stay as they are."""
    meeting = _lock(meeting)
    _need(actor, meeting)
    known = set(meeting.attendance.values_list("person_id", flat=True))
    fresh = [p for p in {p.pk: p for p in people}.values() if p.pk not in known]
    rows = Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p) for p in fresh])
    for row in rows:
        _record(actor, "attendance.create", row, None, _snap(row, ATTENDANCE_FIELDS), meeting.organiser_unit)
    return rows


@transaction.atomic
def attendance_record(*, actor, attendance, status, reason="", substitute=None) -> Attendance:
    """Present, absent with a reason, or a substitute sent (with a reason and who came)."""
    meeting = _lock(attendance.meeting)
    _need(actor, meeting)
    attendance = lock_row(attendance, "person")
    before = _snap(attendance, ["status", "reason", "substitute"])
    attendance.status, attendance.reason, attendance.substitute = status, reason.strip(), substitute
    if status in (Attendance.Status.PRESENT, Attendance.Status.INVITED):
        attendance.reason = ""
    attendance.full_clean()
    attendance.save(update_fields=["status", "reason", "substitute"])
    after = _snap(attendance, ["status", "reason", "substitute"])
    if after != before:
        _record(actor, "attendance.update", attendance, before, after, meeting.organiser_unit)
    return attendance


@transaction.atomic
def attendance_remove(*, actor, attendance) -> None:
    meeting = _lock(attendance.meeting)
    _need(actor, meeting)
    before = _snap(attendance, ATTENDANCE_FIELDS)
    _record(actor, "attendance.remove", attendance, before, None, meeting.organiser_unit)
    attendance.delete()


# --- the agenda ----------------------------------------------------------------------------------

@transaction.atomic
def agenda_item_add(*, actor, meeting, title="", source=AgendaItem.Source.MANUAL, task=None, request=None,
                    decision=None, presenter=None, position=None) -> AgendaItem:
    """An item on the agenda: a stuck task, an open coordination request, an open decision of an
    earlier meeting, or one the organiser writes. An item about a task, request or decision
    takes its name unless given one."""
    meeting = _lock(meeting)
    _need(actor, meeting)
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no agenda."))
    if task is not None:
        source, title = AgendaItem.Source.TASK, title or str(task)
        presenter = presenter or task.responsible
        if meeting.agenda.filter(task=task).exists():
            raise ValidationError({"task": _("This task is on the agenda already.")})
    if request is not None:
        source, title = AgendaItem.Source.REQUEST, title or f"{request.number} {request.title}"
        presenter = presenter or request.raised_by_person
        if meeting.agenda.filter(request=request).exists():
            raise ValidationError({"request": _("This request is on the agenda already.")})
    if decision is not None:
        source, title = AgendaItem.Source.DECISION, title or f"{decision.number} {decision.text}"
        presenter = presenter or decision.owner
        if decision.meeting_id == meeting.pk:
            raise ValidationError({"decision": _("A decision comes back on a later meeting's agenda.")})
        if meeting.agenda.filter(decision=decision).exists():
            raise ValidationError({"decision": _("This decision is on the agenda already.")})
    if position is None:
        position = (meeting.agenda.aggregate(n=Max("position"))["n"] or 0) + 1
    item = AgendaItem(meeting=meeting, position=position, source=source, title=title[:300], presenter=presenter,
                      task=task, request=request, decision=decision)
    item.full_clean()
    item.save()
    _record(actor, "agenda_item.create", item, None, _snap(item, ITEM_FIELDS), meeting.organiser_unit)
    return item


@transaction.atomic
def agenda_item_update(*, actor, item, **changes) -> AgendaItem:
    """The discussion note and outcome of an item, or its title, presenter and order."""
    meeting = _lock(item.meeting)
    _need(actor, meeting)
    unknown = set(changes) - ITEM_EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    item = lock_row(item)
    before = _snap(item, ITEM_FIELDS)
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    item.save(update_fields=list(changes))
    after = _snap(item, ITEM_FIELDS)
    if after != before:
        _record(actor, "agenda_item.update", item, before, after, meeting.organiser_unit)
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item) -> None:
    meeting = _lock(item.meeting)
    _need(actor, meeting)
    if item.decisions.exists():
        raise ValidationError(_("An item that led to decisions stays on the agenda."))
    before = _snap(item, ITEM_FIELDS)
    _record(actor, "agenda_item.remove", item, before, None, meeting.organiser_unit)
    item.delete()


@transaction.atomic
def agenda_item_raise_request(*, actor, item, to_unit, title, description, to_person=None, answer_due=None):
    """The meeting asks another unit for a clear answer (协调事项): a request from the organiser
    unit, linked to the item, so that its answer comes back on the agenda while it is open."""
    from ronghe.coordination import services as coordination_services

    meeting = _lock(item.meeting)
    _need(actor, meeting)
    item = lock_row(item)
    if item.request_id:
        raise ValidationError(_("This item has raised a request already."))
    words = _("Raised at %(meeting)s, item “%(item)s”.") % {"meeting": str(meeting), "item": item.title}
    request = coordination_services.request_raise(
        actor=actor, title=title, description=f"{description.strip()}\n{words}".strip(), to_unit=to_unit,
        from_unit=meeting.organiser_unit, to_person=to_person, answer_due=answer_due,
        on=min(clock.today(), meeting.date))
    item.request = request
    item.save(update_fields=["request"])
    _record(actor, "agenda_item.update", item, {"request": None}, {"request": request.pk}, meeting.organiser_unit,
            f"{request.number} {request.title}")
    return request


# --- decisions -----------------------------------------------------------------------------------

@transaction.atomic
def decision_create(*, actor, meeting, text, owner, lead_unit, deadline, item=None) -> Decision:
    """议定事项 numbered within the meeting (〔2026〕第5期-3); its item's outcome becomes
    “decided”."""
    meeting = _lock(meeting)
    _need(actor, meeting)
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("A cancelled meeting makes no decisions."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("The agenda item belongs to another meeting.")})
    if deadline < meeting.date:
        raise ValidationError({"deadline": _("The deadline cannot be before the meeting.")})
    seq = (meeting.decisions.aggregate(n=Max("seq"))["n"] or 0) + 1
    decision = Decision(meeting=meeting, item=item, seq=seq, text=text.strip(), owner=owner, lead_unit=lead_unit,
                        deadline=deadline)
    decision.full_clean()
    decision.save()
    if item is not None and item.outcome != AgendaItem.Outcome.DECIDED:
        item.outcome = AgendaItem.Outcome.DECIDED
        item.save(update_fields=["outcome"])
    _record(actor, "decision.create", decision, None, _snap(decision, DECISION_FIELDS), meeting.organiser_unit)
    return decision


def _lock_decision(decision) -> Decision:
    return lock_row(decision, "meeting__organiser_unit", "meeting__series", "meeting__chair", "owner", "lead_unit")


@transaction.atomic
def decision_update(*, actor, decision, **changes) -> Decision:
    """Change an open decision not yet turned into a task (once it is a task, the task is where
    it changes)."""
    decision = _lock_decision(decision)
    _need(actor, decision.meeting)
    unknown = set(changes) - DECISION_EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if decision.task_id:
        raise ValidationError(_("This decision is a task now; change the task instead."))
    before = _snap(decision, DECISION_FIELDS)
    for name, value in changes.items():
        setattr(decision, name, value)
    if decision.item_id and decision.item.meeting_id != decision.meeting_id:
        raise ValidationError({"item": _("The agenda item belongs to another meeting.")})
    decision.full_clean()
    decision.save(update_fields=list(changes))
    after = _snap(decision, DECISION_FIELDS)
    if after != before:
        _record(actor, "decision.update", decision, before, after, decision.meeting.organiser_unit)
    return decision


def _decision_plan(actor, meeting) -> Plan:
    """The plan a decision's task belongs to: the series' own, else one plan of decisions per
    organiser, series and year, made on first use."""
    series = meeting.series
    if series is not None and series.task_plan_id:
        return series.task_plan
    name = _("%(name)s decisions (议定事项)") % {"name": series.name if series else meeting.organiser_unit.name}
    plan = Plan.objects.filter(unit=meeting.organiser_unit, year=meeting.year, name=name, archived=False).first()
    if plan is None:
        plan = task_services.plan_create(
            actor=actor, name=name, unit=meeting.organiser_unit, year=meeting.year, leader=meeting.chair,
            description=_("The decisions of %(name)s followed through as tasks.") % {"name": name})
    return plan


TASK_NOTICE_TITLE = gettext_lazy("A meeting decision is your task: %(number)s")
TASK_NOTICE_BODY = gettext_lazy("%(meeting)s decided: %(text)s. Deadline %(deadline)s. Acknowledge it under "
                                "“My tasks”.")


@transaction.atomic
def decision_create_task(*, actor, decision, leader=None, on=None) -> Task:
    """The decision becomes a task in one step: issued to its owner (responsible) and lead unit
    with its deadline, led by the chair unless another leader is named, numbered like the
    decision and linked back to its meeting and agenda item."""
    decision = _lock_decision(decision)
    meeting = decision.meeting
    _need(actor, meeting)
    if decision.task_id:
        raise ValidationError(_("This decision is a task already."))
    if decision.state != Decision.State.OPEN:
        raise ValidationError(_("Only an open decision becomes a task."))
    leader = leader or meeting.chair or decision.owner
    plan = _decision_plan(actor, meeting)
    source = _("%(meeting)s, decision %(number)s") % {"meeting": meeting.title, "number": decision.number}
    if decision.item_id:
        source = f"{source}（{decision.item.title}）"
    task = task_services.task_create(
        actor=actor, plan=plan, name=decision.text[:300], leader=leader, lead_unit=decision.lead_unit,
        responsible=decision.owner, deadline=decision.deadline, number=decision.number, source=source[:300],
        start_date=min(meeting.date, decision.deadline), measures=decision.text)
    task = task_services.task_issue(actor=actor, task=task, on=on or min(clock.today(), meeting.date))
    decision.task = task
    decision.save(update_fields=["task"])
    _record(actor, "decision.update", decision, {"task": None}, {"task": task.pk}, meeting.organiser_unit,
            _("Turned into a task."))
    words = {"number": decision.number, "meeting": str(meeting), "text": decision.text[:200],
             "deadline": decision.deadline.isoformat()}
    notify(rule="meetings.decision_task", obj=decision, day=clock.today(), recipients=[decision.owner],
           title=_Lazy(TASK_NOTICE_TITLE, words), body=_Lazy(TASK_NOTICE_BODY, words),
           link=reverse("task_detail", args=[task.pk]), category=categories.MEETINGS)
    return task


@transaction.atomic
def decision_close(*, actor, decision, state, note="", on=None) -> Decision:
    """Close a decision followed without a task: done, or dropped with a reason. One that is a
    task is done when its task is."""
    decision = _lock_decision(decision)
    _need(actor, decision.meeting)
    if state not in (Decision.State.DONE, Decision.State.DROPPED):
        raise ValidationError({"state": _("A decision is closed as done or dropped.")})
    if decision.task_id and decision.task.state not in FINISHED_TASK_STATES:
        raise ValidationError(_("This decision is followed through its task; it is done when the task is."))
    if decision.state != Decision.State.OPEN:
        raise ValidationError(_("This decision is closed already."))
    if state == Decision.State.DROPPED and not note.strip():
        raise ValidationError({"note": _("Say why the decision is dropped.")})
    on = on or clock.today()
    if on > clock.today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    before = _snap(decision, DECISION_FIELDS)
    decision.state, decision.closed_on, decision.close_note = state, on, note.strip()
    decision.save(update_fields=["state", "closed_on", "close_note"])
    _record(actor, "decision.update", decision, before, _snap(decision, DECISION_FIELDS),
            decision.meeting.organiser_unit)
    return decision


# --- the iCal feed -------------------------------------------------------------------------------

@transaction.atomic
def feed_token_create(*, actor) -> str:
    """A new secret address for the actor's calendar feed; the old one stops working. The key
    is shown once: only its hash is kept."""
    key = secrets.token_urlsafe(32)
    FeedToken.objects.filter(user=actor).delete()
    FeedToken.objects.create(user=actor, key_hash=FeedToken.hash(key))
    audit.record(actor=actor, action="meeting_feed.create", object_type="meetings.feedtoken",
                 object_id=str(actor.pk), object_repr=str(actor))
    return key


@transaction.atomic
def feed_token_revoke(*, actor) -> bool:
    deleted, _rows = FeedToken.objects.filter(user=actor).delete()
    if deleted:
        audit.record(actor=actor, action="meeting_feed.revoke", object_type="meetings.feedtoken",
                     object_id=str(actor.pk), object_repr=str(actor))
    return bool(deleted)


def feed_user(key: str):
    """The user whose feed `key` opens, or None."""
    if not key:
        return None
    token = FeedToken.objects.select_related("user", "user__person").filter(key_hash=FeedToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
