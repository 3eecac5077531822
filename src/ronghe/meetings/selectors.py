"""Reads of the meetings module: scoped lists, the agenda proposed to the organiser, open
decisions, a person's meetings and the attendance of production units' Party secretaries."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from ronghe.core import clock
from ronghe.core.scoping import VIEW
from ronghe.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingSeries
from ronghe.org.models import PartyOrg, Position, Unit
from ronghe.tasks import selectors as task_selectors
from ronghe.tasks.models import Task
from ronghe.tasks.rules import Light, Mode

FINISHED_TASK_STATES = (Task.State.COMPLETED, Task.State.CLOSED, Task.State.CANCELLED)


def series_list(user, action=VIEW):
    return (MeetingSeries.objects.restrict(user, action).select_related("organiser_unit", "chair", "task_plan")
            .annotate(meeting_count=Count("meetings", distinct=True)))


def meetings(user, action=VIEW):
    return Meeting.objects.restrict(user, action).select_related("series", "organiser_unit", "chair")


def with_counts(qs):
    """Meetings with the numbers their lists show, in the same query."""
    return qs.annotate(
        invited=Count("attendance", distinct=True),
        present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT), distinct=True),
        items=Count("agenda", distinct=True),
        decision_count=Count("decisions", distinct=True))


def open_q(prefix="") -> Q:
    """Decisions not yet done: open, and — when followed through a task — the task not finished."""
    return Q(**{f"{prefix}state": Decision.State.OPEN}) & (
        Q(**{f"{prefix}task__isnull": True}) | ~Q(**{f"{prefix}task__state__in": FINISHED_TASK_STATES}))


def decisions(user, action=VIEW):
    return Decision.objects.restrict(user, action).select_related(
        "meeting", "meeting__organiser_unit", "meeting__series", "owner", "lead_unit", "task", "item")


def decisions_of(meeting):
    return (meeting.decisions.select_related("meeting", "owner", "lead_unit", "task", "item").order_by("seq"))


def decisions_in_state(qs, state):
    """Decisions whose state, read from their task when they have one, is `state`."""
    done_task = Q(task__state__in=(Task.State.COMPLETED, Task.State.CLOSED))
    if state == Decision.State.OPEN:
        return qs.filter(open_q())
    if state == Decision.State.DONE:
        return qs.filter(Q(state=Decision.State.DONE) | Q(state=Decision.State.OPEN) & done_task)
    return qs.filter(Q(state=Decision.State.DROPPED) | Q(state=Decision.State.OPEN, task__state=Task.State.CANCELLED))


def decision_state(decision) -> str:
    """open, done or dropped: a decision followed through a task takes the task's end."""
    if decision.state != Decision.State.OPEN or decision.task_id is None:
        return decision.state
    if decision.task.state in (Task.State.COMPLETED, Task.State.CLOSED):
        return Decision.State.DONE
    if decision.task.state == Task.State.CANCELLED:
        return Decision.State.DROPPED
    return Decision.State.OPEN


def earlier_open_decisions(meeting):
    """Open decisions of the series' earlier meetings: they come back until done."""
    if meeting.series_id is None:
        return Decision.objects.none()
    return (Decision.objects.filter(open_q(), meeting__series_id=meeting.series_id)
            .filter(Q(meeting__date__lt=meeting.date) | Q(meeting__date=meeting.date, meeting__start_time__lt=
                                                             meeting.start_time))
            .exclude(meeting__state=Meeting.State.CANCELLED)
            .select_related("meeting", "owner", "lead_unit", "task").order_by("meeting__date", "seq"))


@dataclass
class Proposal:
    """An item the agenda could take: a stuck task, an open request or an open decision."""

    source: str
    title: str
    reason: str
    task: Task | None = None
    request: object | None = None
    decision: Decision | None = None
    light: str = ""
    codes: list = field(default_factory=list)


def _review_day(meeting) -> dt.date:
    # A meeting ahead looks at the tasks as they stand today; one past, as they stood on its day.
    return min(meeting.date, clock.today())


def stuck_tasks(meeting, user):
    """Red or blocked tasks of the series' plans that the viewer may see, worst first."""
    if meeting.series_id is None:
        return []
    plan_ids = list(meeting.series.plans.values_list("pk", flat=True))
    if not plan_ids:
        return []
    day = _review_day(meeting)
    rows = task_selectors.tasks(user).filter(plan_id__in=plan_ids).exclude(state=Task.State.DRAFT)
    if day >= clock.today():
        rows = rows.exclude(state__in=FINISHED_TASK_STATES)
    # A past meeting saw the tasks as they stood on its day, finished since or not.
    rows = list(task_selectors.with_facts(rows))
    found = task_selectors.statuses(rows, day)
    out = []
    for task in rows:
        status = found[task.pk]
        if status.light == Light.RED or Mode.BLOCKED in status.codes:
            task.status = status
            out.append(task)
    out.sort(key=lambda t: (t.status.light != Light.RED, t.status.deadline, t.pk))
    return out


def open_requests_to(meeting, user):
    """Coordination requests awaiting an answer that are addressed to the organiser unit or were
    raised by the series' earlier meetings, visible to the viewer."""
    from ronghe.coordination.models import Request

    handling = Q(to_unit=meeting.organiser_unit) | Q(forwarded_to=meeting.organiser_unit) | Q(
        escalated_to_unit=meeting.organiser_unit)
    if meeting.series_id:
        # Requests the series' earlier meetings raised come back until they are answered.
        handling |= Q(pk__in=AgendaItem.objects.filter(meeting__series_id=meeting.series_id, request__isnull=False)
                      .exclude(meeting=meeting).values("request_id"))
    return (Request.objects.restrict(user).filter(handling, state__in=Request.AWAITING_ANSWER)
            .select_related("from_unit", "to_unit", "task").order_by("answer_due", "pk"))


def proposals(meeting, user) -> list[Proposal]:
    """What the organiser may put on the agenda and has not yet: the red and blocked tasks of
    the series' plans, open requests addressed to the organiser unit, and open decisions of the
    series' earlier meetings."""
    from ronghe.tasks.wording import LIGHT_LABELS, MODE_LABELS

    on_agenda = meeting.agenda.all()
    tasks_on = {i.task_id for i in on_agenda if i.task_id}
    requests_on = {i.request_id for i in on_agenda if i.request_id}
    decisions_on = {i.decision_id for i in on_agenda if i.decision_id}
    out = []
    for task in stuck_tasks(meeting, user):
        if task.pk in tasks_on:
            continue
        reason = "、".join([str(LIGHT_LABELS[task.status.light])] + [str(MODE_LABELS[c]) for c in task.status.codes])
        out.append(Proposal(AgendaItem.Source.TASK, str(task), reason, task=task, light=str(task.status.light),
                            codes=[str(c) for c in task.status.codes]))
    for request in open_requests_to(meeting, user):
        if request.pk in requests_on:
            continue
        out.append(Proposal(AgendaItem.Source.REQUEST, f"{request.number} {request.title}",
                            f"{request.from_unit.name} → {request.to_unit.name}", request=request))
    for decision in earlier_open_decisions(meeting):
        if decision.pk in decisions_on:
            continue
        out.append(Proposal(AgendaItem.Source.DECISION, f"{decision.number} {decision.text}",
                            f"{decision.owner.name} · {decision.deadline.isoformat()}", decision=decision))
    return out


def agenda(meeting):
    return (meeting.agenda.select_related("presenter", "task", "decision__meeting", "request")
            .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related(
                "owner", "lead_unit", "task", "meeting").order_by("seq"))).order_by("position", "pk"))


def attendance(meeting):
    return meeting.attendance.select_related("person__unit", "substitute").order_by("pk")


def person_meetings(user):
    """The meetings a user chairs or is invited to: what their calendar feed shows."""
    if not getattr(user, "person_id", None):
        return Meeting.objects.none()
    invited = Attendance.objects.filter(meeting=OuterRef("pk"), person_id=user.person_id)
    return (Meeting.objects.filter(Q(chair_id=user.person_id) | Exists(invited))
            .exclude(state=Meeting.State.CANCELLED).select_related("organiser_unit", "chair", "series"))


# --- attendance of the production units' Party secretaries ---------------------------------------

def production_units(series_of_kind):
    """The production units the statistics count: the attending units named by the series of the
    kind, else every active secondary unit (二级单位) with a Party committee of its own."""
    named = Unit.objects.filter(pk__in=MeetingSeries.units.through.objects.filter(
        meetingseries__in=series_of_kind).values("unit_id"), abolished_on=None)
    if named.exists():
        return list(named.order_by("sort_order", "path"))
    return list(Unit.objects.filter(kind=Unit.Kind.SECONDARY, abolished_on=None, party_orgs__kind__in=[
        PartyOrg.Kind.COMMITTEE, PartyOrg.Kind.GENERAL_BRANCH]).distinct().order_by("sort_order", "path"))


def secretaries_of(units) -> dict[int, list]:
    """Unit id → the people holding the secretary position (书记) of the unit's own Party
    committee or general branch."""
    out = defaultdict(list)
    positions = (Position.objects.filter(kind=Position.Kind.SECRETARY, party_org__unit__in=units,
                                         party_org__kind__in=[PartyOrg.Kind.COMMITTEE, PartyOrg.Kind.GENERAL_BRANCH],
                                         party_org__abolished_on=None)
                 .select_related("person", "party_org").order_by("sort_order", "pk"))
    for position in positions:
        out[position.party_org.unit_id].append(position.person)
    return out


@dataclass
class UnitAttendance:
    unit: Unit
    secretaries: list
    expected: int = 0
    present: int = 0
    substitute: int = 0
    absent: int = 0
    rows: list = field(default_factory=list)  # (meeting, status) per meeting

    @property
    def rate(self):
        return self.present / self.expected if self.expected else None

    @property
    def percent(self) -> str:
        return _percent(self.rate)


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class AttendanceStats:
    kind: str
    start: dt.date
    end: dt.date
    meetings: list
    units: list
    expected: int = 0
    present: int = 0

    @property
    def rate(self):
        return self.present / self.expected if self.expected else None

    @property
    def percent(self) -> str:
        return _percent(self.rate)


def secretary_attendance(user, *, kind, start, end) -> AttendanceStats:
    """For the meetings of `kind` held in [start, end] that the user may see: how often each
    production unit's Party secretary was there in person. A meeting counts for a unit when its
    secretary was invited; present counts as attended, a substitute or an absence does not."""
    held = list(meetings(user).filter(kind=kind, date__gte=start, date__lte=end)
                .exclude(state=Meeting.State.CANCELLED).order_by("date", "start_time", "pk"))
    series_of_kind = MeetingSeries.objects.filter(kind=kind)
    # Only the units the viewer may see are counted, so that the table shows nothing from outside.
    visible = set(Unit.objects.restrict(user).values_list("pk", flat=True))
    units = [u for u in production_units(series_of_kind) if u.pk in visible]
    secretaries = secretaries_of(units)
    marks = {(meeting_id, person_id): status for meeting_id, person_id, status in Attendance.objects.filter(
        meeting__in=held).values_list("meeting_id", "person_id", "status")}
    stats = AttendanceStats(kind, start, end, held, [])
    for unit in units:
        line = UnitAttendance(unit, secretaries.get(unit.pk, []))
        for meeting in held:
            invited = [marks[(meeting.pk, p.pk)] for p in line.secretaries if (meeting.pk, p.pk) in marks]
            if not invited:
                line.rows.append((meeting, None))
                continue
            status = (Attendance.Status.PRESENT if Attendance.Status.PRESENT in invited
                      else Attendance.Status.SUBSTITUTE if Attendance.Status.SUBSTITUTE in invited
                      else invited[0])
            line.rows.append((meeting, status))
            line.expected += 1
            line.present += status == Attendance.Status.PRESENT
            line.substitute += status == Attendance.Status.SUBSTITUTE
            line.absent += status == Attendance.Status.ABSENT
        stats.units.append(line)
        stats.expected += line.expected
        stats.present += line.present
    return stats
