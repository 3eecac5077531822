"""The meetings API (会议): series and their rule, meetings with their agenda, attendance and
minutes, decisions and the one step that turns a decision into a task, the Party secretaries'
attendance statistics, and each user's iCal feed. Thin: reads start from meetings.selectors
(scoped), writes go through meetings.services. Every id, code and employee number a caller
names is looked up inside the caller's scope."""
import datetime as dt
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from ronghe.core.api_support import (
    ApiError,
    ErrorOut,
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    parse_date,
    people_in,
    person_in,
    require_any,
    responses,
    unit_in,
)
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.meetings import ical, selectors, services
from ronghe.meetings import schemas as s
from ronghe.meetings.models import AgendaItem, Attendance, Decision, Meeting
from ronghe.org.models import Person, Unit
from ronghe.tasks import selectors as task_selectors

SeriesIdPath = Annotated[int, Path(description="Id of the meeting series (系列编号).")]
MeetingIdPath = Annotated[int, Path(description="Id of the meeting (会议编号).")]
ItemIdPath = Annotated[int, Path(description="Id of the agenda item (议题编号).")]
AttendanceIdPath = Annotated[int, Path(description="Id of the attendance row (参会记录编号).")]
DecisionIdPath = Annotated[int, Path(description="Id of the decision (议定事项编号).")]


# --- look-ups ------------------------------------------------------------------------------------

def _person(user, employee_no, field) -> Person:
    return person_in(Person.objects.restrict(user, VIEW), employee_no, field)


def _people(user, numbers, field) -> list[Person]:
    return people_in(Person.objects.restrict(user, VIEW), numbers, field)


def _unit(user, code, field, action=VIEW) -> Unit:
    return unit_in(Unit.objects.restrict(user, action), code, field)


def _units(user, codes, field) -> list[Unit]:
    return [_unit(user, code, field) for code in dict.fromkeys(codes)]


def _plans(user, ids, field):
    found = {p.pk: p for p in task_selectors.plans(user).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise invalid(field, _("No plan %(id)s within your scope.") % {"id": missing[0]})
    return [found[i] for i in dict.fromkeys(ids)]


def _time(value, field) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise invalid(field, _("“%(value)s” is not a time of the form HH:MM.") % {"value": value}) from exc


def _person_out(person):
    return {"employee_no": person.employee_no, "name": person.name} if person is not None else None


def _unit_out(unit):
    return {"code": unit.code, "name": unit.name}


def _hhmm(value) -> str:
    return value.strftime("%H:%M")


# --- series --------------------------------------------------------------------------------------

series_router = Router(tags=["meeting-series"])


def _series_row(series) -> dict:
    return {"id": series.pk, "name": series.name, "kind": series.kind, "organiser_unit": _unit_out(series.organiser_unit),
            "recurrence": series.recurrence, "day": series.day, "second_day": series.second_day,
            "month_of_quarter": series.month_of_quarter, "holiday_rule": series.holiday_rule,
            "starts_on": series.starts_on, "ends_on": series.ends_on, "start_time": _hhmm(series.start_time),
            "duration_minutes": series.duration_minutes, "place": series.place, "chair": _person_out(series.chair),
            "task_plan": series.task_plan_id, "active": series.active, "meeting_count": series.meeting_count}


def _series_detail(user, series_id) -> dict:
    series = get_or_404(selectors.series_list(user), pk=series_id)
    return {**_series_row(series), "invitees": [_person_out(p) for p in series.invitees.order_by("employee_no")],
            "units": [_unit_out(u) for u in series.units.order_by("path")],
            "plans": list(series.plans.order_by("pk").values_list("pk", flat=True))}


def _series_values(user, data: dict) -> dict:
    out = dict(data)
    if out.get("organiser_unit") is not None:
        out["organiser_unit"] = _unit(user, out["organiser_unit"], "organiser_unit", CHANGE)
    if "chair" in out:
        out["chair"] = _person(user, out["chair"], "chair") if out["chair"] else None
    if out.get("invitees") is not None:
        out["invitees"] = _people(user, out["invitees"], "invitees")
    if out.get("units") is not None:
        out["units"] = _units(user, out["units"], "units")
    if out.get("plans") is not None:
        out["plans"] = _plans(user, out["plans"], "plans")
    if "task_plan" in out:
        out["task_plan"] = _plans(user, [out["task_plan"]], "task_plan")[0] if out["task_plan"] else None
    if out.get("start_time") is not None:
        out["start_time"] = _time(out["start_time"], "start_time")
    return out


@series_router.get("", response=responses({200: s.MeetingSeriesPage}), **named("meeting_series_list"),
                   summary="List meeting series")
def series_list(request, filters: Query[s.MeetingSeriesFilters], page: Query[PageQuery]):
    """The standing meetings (例会) of the units within your scope."""
    qs = selectors.series_list(request.auth)
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.unit:
        qs = qs.filter(organiser_unit__code=filters.unit)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return paginate(qs, page, lambda chunk: [_series_row(x) for x in chunk])


@series_router.get("/{series_id}", response=responses({200: s.MeetingSeriesDetail}), **named("meeting_series_get"),
                   summary="Get a meeting series")
def series_get(request, series_id: SeriesIdPath):
    """One series with its invitees, attending units and the plans it reviews."""
    return _series_detail(request.auth, series_id)


@series_router.post("", response=responses({201: s.MeetingSeriesDetail}), **named("meeting_series_create"),
                    summary="Create a meeting series")
def series_create(request, payload: s.MeetingSeriesIn):
    """A standing meeting with its recurrence rule (每半月, 每月, 每季度, 不定期) for a unit you
    may change. Its meetings are made by `POST …/generate` or the nightly `generate_meetings`."""
    user = request.auth
    require_any(user, CHANGE)
    series = services.series_create(actor=user, **_series_values(user, payload.dict()))
    return Status(201, _series_detail(user, series.pk))


@series_router.patch("/{series_id}", response=responses({200: s.MeetingSeriesDetail}), **named("meeting_series_update"),
                     summary="Edit a meeting series")
def series_update(request, series_id: SeriesIdPath, payload: s.MeetingSeriesPatch):
    """Change the fields sent; meetings already made keep their dates and people."""
    user = request.auth
    require_any(user, CHANGE)
    series = get_or_404(selectors.series_list(user), pk=series_id)
    services.series_update(actor=user, series=series, **_series_values(user, payload.dict(exclude_unset=True)))
    return _series_detail(user, series.pk)


@series_router.post("/{series_id}/generate", response=responses({200: s.MeetingGenerateOut}),
                    **named("meeting_series_generate"), summary="Generate the meetings of a series")
def series_generate(request, series_id: SeriesIdPath, payload: s.MeetingGenerateIn):
    """Create the meetings the series' rule gives up to `until` that do not exist yet
    (idempotent); a date that is not a working day moves as the series says."""
    user = request.auth
    require_any(user, CHANGE)
    series = get_or_404(selectors.series_list(user), pk=series_id)
    if payload.until > series.starts_on.replace(year=series.starts_on.year + 3, day=1):
        raise invalid("until", _("Generate at most three years ahead."))
    return {"created": [m.pk for m in services.generate_meetings(actor=user, until=payload.until, series=series)]}


# --- meetings ------------------------------------------------------------------------------------

meetings_router = Router(tags=["meetings"])


def _meeting_row(m) -> dict:
    return {"id": m.pk, "series": m.series_id, "kind": m.kind, "title": m.title, "issue": m.issue,
            "organiser_unit": _unit_out(m.organiser_unit), "date": m.date, "scheduled_for": m.scheduled_for,
            "start_time": _hhmm(m.start_time), "end_time": _hhmm(m.end_time), "place": m.place,
            "chair": _person_out(m.chair), "state": m.state, "invited": m.invited, "present": m.present,
            "item_count": m.items, "decision_count": m.decision_count}


def decision_row(d) -> dict:
    return {"id": d.pk, "number": d.number, "meeting": d.meeting_id, "meeting_title": d.meeting.title,
            "meeting_date": d.meeting.date, "item": d.item_id, "text": d.text, "owner": _person_out(d.owner),
            "lead_unit": _unit_out(d.lead_unit), "deadline": d.deadline, "task": d.task_id,
            "task_state": d.task.state if d.task_id else None, "state": selectors.decision_state(d),
            "closed_on": d.closed_on, "close_note": d.close_note}


def _item_row(item) -> dict:
    return {"id": item.pk, "position": item.position, "source": item.source, "title": item.title,
            "presenter": _person_out(item.presenter), "task": item.task_id, "request": item.request_id,
            "decision": item.decision_id, "discussion": item.discussion, "outcome": item.outcome,
            "outcome_note": item.outcome_note, "decisions": [d.pk for d in item.decisions.all()]}


def _attendance_row(a) -> dict:
    return {"id": a.pk, "person": _person_out(a.person), "unit": a.person.unit.name, "status": a.status,
            "reason": a.reason, "substitute": _person_out(a.substitute)}


def _meeting(user, meeting_id, action=VIEW) -> Meeting:
    return get_or_404(selectors.with_counts(selectors.meetings(user, action)), pk=meeting_id)


def _meeting_detail(user, meeting_id) -> dict:
    meeting = _meeting(user, meeting_id)
    decisions = selectors.decisions_of(meeting)
    return {**_meeting_row(meeting), "minutes": meeting.minutes, "notice_sent_at": meeting.notice_sent_at,
            "cancel_reason": meeting.cancel_reason, "agenda": [_item_row(i) for i in selectors.agenda(meeting)],
            "attendance": [_attendance_row(a) for a in selectors.attendance(meeting)],
            "decisions": [decision_row(d) for d in decisions]}


def _managed(user, meeting_id) -> Meeting:
    """A meeting the user may see; one they may see but not change is refused with 404 by the
    service, like one outside their scope."""
    require_any(user, CHANGE)
    return get_or_404(selectors.meetings(user), pk=meeting_id)


@meetings_router.get("", response=responses({200: s.MeetingPage}), **named("meetings_list"), summary="List meetings")
def meetings_list(request, filters: Query[s.MeetingFilters], page: Query[PageQuery]):
    """Meetings of the units within your scope and those you chair or are invited to, by date."""
    user = request.auth
    qs = selectors.meetings(user)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    if filters.series:
        qs = qs.filter(series_id=filters.series)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit:
        qs = qs.filter(organiser_unit__code=filters.unit)
    if filters.state:
        qs = qs.filter(state=filters.state)
    start, end = parse_date(filters.date_from, "date_from"), parse_date(filters.date_to, "date_to")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if filters.mine:
        qs = qs.filter(pk__in=selectors.person_meetings(user).values("pk"))
    qs = selectors.with_counts(qs).order_by("date", "start_time", "pk")
    return paginate(qs, page, lambda chunk: [_meeting_row(m) for m in chunk])


@meetings_router.get("/attendance-stats", response=responses({200: s.MeetingAttendanceStatsOut}),
                     **named("meetings_attendance_stats"), summary="Party secretaries' attendance")
def attendance_stats(request, query: Query[s.MeetingAttendanceStatsQuery]):
    """For a kind of meeting and a period: how often the Party secretaries of the production
    units attended in person (书记参会率), over the meetings you may see."""
    start, end = parse_date(query.date_from, "date_from"), parse_date(query.date_to, "date_to")
    if end < start:
        raise invalid("date_to", _("The period ends before it starts."))
    stats = selectors.secretary_attendance(request.auth, kind=query.kind, start=start, end=end)
    return {"kind": stats.kind, "date_from": start, "date_to": end, "meetings": len(stats.meetings),
            "expected": stats.expected, "present": stats.present, "rate": stats.rate,
            "units": [{"unit": _unit_out(line.unit),
                       "secretaries": [_person_out(p) for p in line.secretaries],
                       "expected": line.expected, "present": line.present, "substitute": line.substitute,
                       "absent": line.absent, "rate": line.rate} for line in stats.units]}


@meetings_router.get("/{meeting_id}", response=responses({200: s.MeetingDetail}), **named("meetings_get"),
                     summary="Get a meeting")
def meetings_get(request, meeting_id: MeetingIdPath):
    """One meeting with its agenda, attendance, decisions and minutes."""
    return _meeting_detail(request.auth, meeting_id)


@meetings_router.post("", response=responses({201: s.MeetingDetail}), **named("meetings_create"),
                      summary="Create a meeting")
def meetings_create(request, payload: s.MeetingIn):
    """An ad hoc meeting (专题会), or an extra meeting of a series, of a unit you may change."""
    user = request.auth
    require_any(user, CHANGE)
    series = get_or_404(selectors.series_list(user), pk=payload.series) if payload.series else None
    meeting = services.meeting_create(
        actor=user, organiser_unit=_unit(user, payload.organiser_unit, "organiser_unit", CHANGE), title=payload.title,
        date=payload.date, start_time=_time(payload.start_time, "start_time"),
        end_time=_time(payload.end_time, "end_time"), kind=payload.kind, series=series, place=payload.place,
        chair=_person(user, payload.chair, "chair") if payload.chair else None,
        invitees=_people(user, payload.invitees, "invitees"))
    return Status(201, _meeting_detail(user, meeting.pk))


@meetings_router.patch("/{meeting_id}", response=responses({200: s.MeetingDetail}), **named("meetings_update"),
                       summary="Edit a meeting")
def meetings_update(request, meeting_id: MeetingIdPath, payload: s.MeetingPatch):
    """Move it, change its place, chair or title, or write its minutes (会议纪要)."""
    user = request.auth
    meeting = _managed(user, meeting_id)
    changes = payload.dict(exclude_unset=True)
    minutes = changes.pop("minutes", None)
    if "organiser_unit" in changes:
        changes["organiser_unit"] = _unit(user, changes["organiser_unit"], "organiser_unit", CHANGE)
    if "chair" in changes:
        changes["chair"] = _person(user, changes["chair"], "chair") if changes["chair"] else None
    for name in ("start_time", "end_time"):
        if name in changes:
            changes[name] = _time(changes[name], name)
    if changes:
        services.meeting_update(actor=user, meeting=meeting, **changes)
    if minutes is not None:
        services.minutes_save(actor=user, meeting=meeting, minutes=minutes)
    return _meeting_detail(user, meeting_id)


@meetings_router.post("/{meeting_id}/state", response=responses({200: s.MeetingDetail}), **named("meetings_state"),
                      summary="Mark a meeting held or cancelled")
def meetings_state(request, meeting_id: MeetingIdPath, payload: s.MeetingStateIn):
    """已召开 once its date has come, 已取消 with a reason, or 待召开 again."""
    user = request.auth
    services.meeting_set_state(actor=user, meeting=_managed(user, meeting_id), state=payload.state,
                               reason=payload.reason)
    return _meeting_detail(user, meeting_id)


@meetings_router.post("/{meeting_id}/notice", response=responses({200: s.MeetingNoticeOut}), **named("meetings_notice"),
                      summary="Send the meeting notice")
def meetings_notice(request, meeting_id: MeetingIdPath):
    """会议通知 to the chair and every invitee (inbox, email, the organiser's group robots); those
    already told are not told again."""
    user = request.auth
    return {"sent": services.meeting_send_notice(actor=user, meeting=_managed(user, meeting_id))}


@meetings_router.get("/{meeting_id}/proposals", response=responses({200: list[s.MeetingProposalOut]}),
                     **named("meetings_proposals"), summary="Proposed agenda items")
def meetings_proposals(request, meeting_id: MeetingIdPath):
    """What the agenda could take and does not yet: the red and blocked tasks of the series'
    plans, open coordination requests addressed to the organiser unit, and open decisions of
    the series' earlier meetings."""
    meeting = _meeting(request.auth, meeting_id)
    return [{"source": p.source, "title": p.title, "reason": p.reason, "task": p.task.pk if p.task else None,
             "request": p.request.pk if p.request else None, "decision": p.decision.pk if p.decision else None}
            for p in selectors.proposals(meeting, request.auth)]


@meetings_router.post("/{meeting_id}/agenda", response=responses({201: s.MeetingAgendaItemOut}),
                      **named("meetings_agenda_add"), summary="Add an agenda item")
def agenda_add(request, meeting_id: MeetingIdPath, payload: s.MeetingAgendaItemIn):
    """An item about a task, a coordination request or an earlier decision, or one written here."""
    user = request.auth
    meeting = _managed(user, meeting_id)
    task = task_selectors.tasks(user).filter(pk=payload.task).first() if payload.task else None
    if payload.task and task is None:
        raise invalid("task", _("No task %(id)s within your scope.") % {"id": payload.task})
    request_obj = None
    if payload.request:
        from ronghe.coordination.models import Request

        request_obj = Request.objects.restrict(user).filter(pk=payload.request).first()
        if request_obj is None:
            raise invalid("request", _("No coordination request %(id)s within your scope.") % {"id": payload.request})
    decision = selectors.decisions(user).filter(pk=payload.decision).first() if payload.decision else None
    if payload.decision and decision is None:
        raise invalid("decision", _("No decision %(id)s within your scope.") % {"id": payload.decision})
    if not (payload.title.strip() or task or request_obj or decision):
        raise invalid("title", _("Name the item, or the task, request or decision it is about."))
    item = services.agenda_item_add(actor=user, meeting=meeting, title=payload.title.strip(), task=task,
                                    request=request_obj, decision=decision,
                                    presenter=_person(user, payload.presenter, "presenter") if payload.presenter
                                    else None)
    return Status(201, _item_row(selectors.agenda(meeting).get(pk=item.pk)))


def _item(user, meeting_id, item_id) -> AgendaItem:
    meeting = _managed(user, meeting_id)
    return get_or_404(AgendaItem.objects.filter(meeting=meeting).select_related("meeting"), pk=item_id)


@meetings_router.patch("/{meeting_id}/agenda/{item_id}", response=responses({200: s.MeetingAgendaItemOut}),
                       **named("meetings_agenda_update"), summary="Record an agenda item's discussion and outcome")
def agenda_update(request, meeting_id: MeetingIdPath, item_id: ItemIdPath, payload: s.MeetingAgendaItemPatch):
    """The discussion note (讨论情况) and outcome (结果), or the item's wording, order and presenter."""
    user = request.auth
    item = _item(user, meeting_id, item_id)
    changes = payload.dict(exclude_unset=True)
    if "presenter" in changes:
        changes["presenter"] = _person(user, changes["presenter"], "presenter") if changes["presenter"] else None
    services.agenda_item_update(actor=user, item=item, **changes)
    return _item_row(selectors.agenda(item.meeting).get(pk=item.pk))


@meetings_router.delete("/{meeting_id}/agenda/{item_id}", response=responses({204: None}),
                        **named("meetings_agenda_remove"), summary="Remove an agenda item")
def agenda_remove(request, meeting_id: MeetingIdPath, item_id: ItemIdPath):
    """An item that led to decisions stays."""
    user = request.auth
    services.agenda_item_remove(actor=user, item=_item(user, meeting_id, item_id))
    return Status(204, None)


@meetings_router.post("/{meeting_id}/agenda/{item_id}/raise-request", response=responses({201: s.MeetingRequestOut}),
                      **named("meetings_agenda_raise_request"), summary="Raise a coordination request from an item")
def agenda_raise_request(request, meeting_id: MeetingIdPath, item_id: ItemIdPath, payload: s.MeetingRaiseRequestIn):
    """The meeting asks a unit for a clear answer (协调事项), raised by the organiser unit and
    linked to the item; it comes back on the series' agenda until answered."""
    user = request.auth
    item = _item(user, meeting_id, item_id)
    raised = services.agenda_item_raise_request(
        actor=user, item=item, to_unit=_unit(user, payload.to_unit, "to_unit"),
        to_person=_person(user, payload.to_person, "to_person") if payload.to_person else None, title=payload.title,
        description=payload.description, answer_due=payload.answer_due)
    return Status(201, {"item": item.pk, "request": raised.pk, "number": raised.number})


@meetings_router.post("/{meeting_id}/attendance", response=responses({200: list[s.MeetingAttendanceOut]}),
                      **named("meetings_invite"), summary="Invite people")
def attendance_invite(request, meeting_id: MeetingIdPath, payload: s.MeetingInviteIn):
    """Add people to the invitees; those already invited stay as they are. Answers the whole list."""
    user = request.auth
    meeting = _managed(user, meeting_id)
    services.attendance_invite(actor=user, meeting=meeting, people=_people(user, payload.people, "people"))
    return [_attendance_row(a) for a in selectors.attendance(meeting)]


@meetings_router.patch("/{meeting_id}/attendance/{attendance_id}", response=responses({200: s.MeetingAttendanceOut}),
                       **named("meetings_attendance"), summary="Record attendance")
def attendance_record(request, meeting_id: MeetingIdPath, attendance_id: AttendanceIdPath, payload: s.MeetingAttendanceIn):
    """出席, 缺席 with a reason, or 委托参会 with a reason and who came instead."""
    user = request.auth
    meeting = _managed(user, meeting_id)
    row = get_or_404(Attendance.objects.filter(meeting=meeting).select_related("meeting"), pk=attendance_id)
    substitute = _person(user, payload.substitute, "substitute") if payload.substitute else None
    services.attendance_record(actor=user, attendance=row, status=payload.status, reason=payload.reason,
                               substitute=substitute)
    return _attendance_row(selectors.attendance(meeting).get(pk=row.pk))


@meetings_router.post("/{meeting_id}/decisions", response=responses({201: s.MeetingDecisionOut}),
                      **named("meetings_decide"), summary="Record a decision")
def decision_add(request, meeting_id: MeetingIdPath, payload: s.MeetingDecisionIn):
    """议定事项 with an owner, a lead unit and a deadline, numbered 〔年〕第N期-n; turn it into a
    task with `POST /meeting-decisions/{id}/create-task`."""
    user = request.auth
    meeting = _managed(user, meeting_id)
    item = None
    if payload.item:
        item = AgendaItem.objects.filter(meeting=meeting, pk=payload.item).first()
        if item is None:
            raise invalid("item", _("No agenda item %(id)s on this meeting.") % {"id": payload.item})
    decision = services.decision_create(actor=user, meeting=meeting, text=payload.text,
                                        owner=_person(user, payload.owner, "owner"),
                                        lead_unit=_unit(user, payload.lead_unit, "lead_unit"),
                                        deadline=payload.deadline, item=item)
    return Status(201, decision_row(selectors.decisions(user).get(pk=decision.pk)))


@meetings_router.get("/feed/{key}", auth=None, response={200: None, 401: ErrorOut}, **named("meetings_feed"),
                     summary="iCal feed of a user's meetings")
def feed(request, key: Annotated[str, Path(description="The secret key of the feed (订阅密钥).")]):
    """The meetings you chair or are invited to as an iCalendar file, for calendar clients that
    cannot log in: the address itself is the credential and opens that one feed only. Create or
    renew it on the meetings calendar page; an unknown key answers 401."""
    user = services.feed_user(key)
    if user is None:
        raise ApiError(401, "unauthorized", _("Unknown or revoked calendar feed."))
    response = HttpResponse(ical.feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


# --- decisions -----------------------------------------------------------------------------------

decisions_router = Router(tags=["meeting-decisions"])


@decisions_router.get("", response=responses({200: s.MeetingDecisionPage}), **named("meeting_decisions_list"),
                      summary="List decisions")
def decisions_list(request, filters: Query[s.MeetingDecisionFilters], page: Query[PageQuery]):
    """议定事项 of the meetings within your scope and those led by your units, oldest meeting first."""
    user = request.auth
    qs = selectors.decisions(user)
    if filters.q:
        qs = qs.filter(text__icontains=filters.q)
    if filters.meeting:
        qs = qs.filter(meeting_id=filters.meeting)
    if filters.series:
        qs = qs.filter(meeting__series_id=filters.series)
    if filters.owner:
        qs = qs.filter(owner__employee_no=filters.owner)
    if filters.lead_unit:
        qs = qs.filter(lead_unit__code=filters.lead_unit)
    if filters.state:
        qs = selectors.decisions_in_state(qs, filters.state)
    return paginate(qs.order_by("meeting__date", "meeting_id", "seq"), page,
                    lambda chunk: [decision_row(d) for d in chunk])


@decisions_router.get("/{decision_id}", response=responses({200: s.MeetingDecisionOut}), **named("meeting_decisions_get"),
                      summary="Get a decision")
def decisions_get(request, decision_id: DecisionIdPath):
    """One decision, with the task it became and its state."""
    return decision_row(get_or_404(selectors.decisions(request.auth), pk=decision_id))


def _decision(user, decision_id) -> Decision:
    require_any(user, CHANGE)
    return get_or_404(selectors.decisions(user), pk=decision_id)


@decisions_router.patch("/{decision_id}", response=responses({200: s.MeetingDecisionOut}),
                        **named("meeting_decisions_update"), summary="Edit a decision")
def decisions_update(request, decision_id: DecisionIdPath, payload: s.MeetingDecisionPatch):
    """Change an open decision not yet turned into a task."""
    user = request.auth
    decision = _decision(user, decision_id)
    changes = payload.dict(exclude_unset=True)
    if "owner" in changes:
        changes["owner"] = _person(user, changes["owner"], "owner")
    if "lead_unit" in changes:
        changes["lead_unit"] = _unit(user, changes["lead_unit"], "lead_unit")
    services.decision_update(actor=user, decision=decision, **changes)
    return decision_row(selectors.decisions(user).get(pk=decision.pk))


@decisions_router.post("/{decision_id}/create-task", response=responses({201: s.MeetingTaskCreatedOut}),
                       **named("meeting_decisions_create_task"), summary="Turn a decision into a task")
def decisions_create_task(request, decision_id: DecisionIdPath, payload: s.MeetingCreateTaskIn):
    """One step: a task issued to the decision's owner and lead unit with its deadline, led by
    the chair unless `leader` names someone, numbered like the decision and linked back to its
    meeting and agenda item. The owner finds it under “My tasks”."""
    user = request.auth
    decision = _decision(user, decision_id)
    leader = _person(user, payload.leader, "leader") if payload.leader else None
    task = services.decision_create_task(actor=user, decision=decision, leader=leader)
    return Status(201, {"decision": decision_row(selectors.decisions(user).get(pk=decision.pk)), "task": task.pk})


@decisions_router.post("/{decision_id}/close", response=responses({200: s.MeetingDecisionOut}),
                       **named("meeting_decisions_close"), summary="Close a decision")
def decisions_close(request, decision_id: DecisionIdPath, payload: s.MeetingCloseIn):
    """Done (已办结), or dropped (已撤销) with a reason, for a decision followed without a task."""
    user = request.auth
    decision = _decision(user, decision_id)
    services.decision_close(actor=user, decision=decision, state=payload.state, note=payload.note)
    return decision_row(selectors.decisions(user).get(pk=decision.pk))

