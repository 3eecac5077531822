"""The coordination API (协调事项): requests, each step of their life, and the statistics of
answers. Thin: reads start from coordination.selectors (already scoped), writes go through
coordination.services, which decide who may do what; a request outside the caller's scope
answers 404."""
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from ronghe.coordination import rules, selectors, services
from ronghe.coordination import schemas as s
from ronghe.coordination.models import Category, Request
from ronghe.coordination.views import headline, period_from
from ronghe.core import clock
from ronghe.core.api_support import PageQuery, get_or_404, invalid, named, paginate, require_any, responses
from ronghe.core.scoping import CHANGE
from ronghe.core.workdays import Calendar
from ronghe.org.models import Person, Unit
from ronghe.tasks import selectors as task_selectors

router = Router(tags=["coordination"])
RequestIdPath = Annotated[int, Path(description="Id of the request (协调事项编号).")]
DETAIL = responses({200: s.RequestDetail})


def _code(obj, attribute="code"):
    return getattr(obj, attribute) if obj is not None else None


def _row(r: Request, today, calendar) -> dict:
    due = rules.current_due(r.answer_due, r.escalated_on, calendar)
    return {
        "id": r.pk, "number": r.number, "title": r.title, "description": r.description, "category": r.category,
        "state": r.state, "from_unit": r.from_unit.code, "from_unit_name": r.from_unit.name,
        "raised_by": r.raised_by.get_username() if r.raised_by_id else None,
        "raised_by_person": _code(r.raised_by_person, "employee_no"), "task": r.task_id,
        "to_unit": r.to_unit.code, "to_unit_name": r.to_unit.name, "to_person": _code(r.to_person, "employee_no"),
        "handling_unit": r.handling_unit.code, "raised_on": r.raised_on, "answer_due": r.answer_due,
        "current_due": due, "overdue": r.awaiting_answer and today > due, "answer": r.answer,
        "answered_by": r.answered_by.get_username() if r.answered_by_id else None,
        "answered_by_unit": _code(r.answered_by_unit), "answered_on": r.answered_on,
        "answered_on_time": (r.answered_on <= r.answer_due) if r.answered_on else None,
        "forwarded_to": _code(r.forwarded_to), "forwarded_on": r.forwarded_on,
        "escalation_level": r.escalation_level, "escalated_to_unit": _code(r.escalated_to_unit),
        "escalated_on": r.escalated_on, "closed_on": r.closed_on, "reopen_reason": r.reopen_reason,
        "reopened_on": r.reopened_on, "reopen_count": r.reopen_count,
    }


def _detail(user, pk) -> dict:
    r = selectors.request_for(user, pk)
    row = _row(r, clock.today(), Calendar())
    row["events"] = [{"kind": e.kind, "on": e.on, "actor": e.actor.get_username() if e.actor_id else None,
                      "unit": _code(e.unit), "text": e.text} for e in selectors.timeline(r)]
    row["attachments"] = [{"id": a.pk, "name": a.name, "size": a.size,
                           "url": reverse("coordination_attachment", args=[r.pk, a.pk])}
                          for a in selectors.attachments(r)]
    return row


def _request_or_404(user, pk) -> Request:
    return get_or_404(selectors.requests(user), pk=pk)


def _unit(code, field) -> Unit:
    """Any active unit by code: requests are addressed beyond one's own scope (upward)."""
    unit = Unit.objects.filter(code=code, abolished_on=None).first() if code else None
    if unit is None:
        raise invalid(field, _("No unit with code “%(code)s”.") % {"code": code or ""})
    return unit


def _person_of(unit, employee_no, field):
    person = Person.objects.filter(employee_no=employee_no, unit=unit, is_active=True).first()
    if person is None:
        raise invalid(field, _("No person with employee number “%(no)s” in %(unit)s.") % {
            "no": employee_no, "unit": unit.name})
    return person


def _category(value, field="category"):
    if value not in Category.values:
        raise invalid(field, _("“%(value)s” is not a category.") % {"value": value})
    return value


@router.get("", response=responses({200: s.RequestPage}), **named("coordination_list"),
            summary="List coordination requests")
def coordination_list(request, filters: Query[s.RequestFilters], page: Query[PageQuery]):
    """Requests raised by or addressed to the units within your scope, and those you raised or
    that are addressed to you by name; with the list page's filters."""
    user = request.auth
    f = selectors.Filters(**filters.dict())
    qs = selectors.filtered(selectors.requests(user), f, user)
    today, calendar = clock.today(), Calendar()
    return paginate(qs, page, lambda chunk: [_row(r, today, calendar) for r in chunk])


@router.post("", response=responses({201: s.RequestDetail}), **named("coordination_create"),
             summary="Raise a coordination request (提出)")
def coordination_create(request, payload: s.RequestIn):
    """提出: from a unit you may change, or from a task you own (which is blocked until the
    answer), to any unit and optionally a person there. The addressee is notified."""
    user = request.auth
    require_any(user, CHANGE)
    task = None
    if payload.task is not None:
        task = task_selectors.tasks(user).filter(pk=payload.task).first()
        if task is None:
            raise invalid("task", _("No task %(id)s within your scope.") % {"id": payload.task})
    from_unit = None
    if payload.from_unit:
        from_unit = Unit.objects.filter(code=payload.from_unit).first()
        if from_unit is None:
            raise invalid("from_unit", _("No unit with code “%(code)s”.") % {"code": payload.from_unit})
    to_unit = _unit(payload.to_unit, "to_unit")
    raised = services.request_raise(
        actor=user, title=payload.title, description=payload.description, category=_category(payload.category),
        from_unit=from_unit, task=task, to_unit=to_unit,
        to_person=_person_of(to_unit, payload.to_person, "to_person") if payload.to_person else None,
        answer_due=payload.answer_due, on=payload.on)
    return Status(201, _detail(user, raised.pk))


@router.get("/stats", response=responses({200: s.RequestStatsOut}), **named("coordination_stats"),
            summary="Statistics of answers (统计)")
def coordination_stats(request, start: str | None = Query(None, description="First day (YYYY-MM-DD); default "
                                                                          "1 January of this year."),
                       end: str | None = Query(None, description="Last day (YYYY-MM-DD); default today."),
                       from_unit: str = Query("", description="Code of a raising unit; its subtree is included."),
                       to_unit: str = Query("", description="Code of an addressed unit; its subtree is included.")):
    """Raised, answered, answered on time, open, overdue and average answer time (working days)
    of the requests raised in the period, as they stood on its last day: in all and by raising
    unit, addressed unit and addressee."""
    for name, value in (("start", start), ("end", end)):
        if value:
            try:
                clock.parse_as_of(value)
            except clock.BadDate as exc:
                raise invalid(name, str(exc)) from exc
    first, last = period_from({"start": start or "", "end": end or ""}, clock.today())
    found = selectors.statistics(request.auth, start=first, end=last,
                                 filters=selectors.Filters(from_unit=from_unit, to_unit=to_unit))

    def figures(key, name, f: rules.Figures):
        return {"key": key, "name": name, "raised": f.raised, "answered": f.answered,
                "answered_on_time": f.answered_on_time, "open": f.open, "overdue": f.overdue,
                "average_answer_days": f.average_answer_days, "answer_rate": f.answer_rate,
                "on_time_rate": f.on_time_rate, "all_answered": f.all_answered}

    out = {"start": first, "end": last, "headline": headline(found.total, first, last),
           "total": figures(None, _("All"), found.total)}
    for group, rows in found.groups.items():
        out[group] = [figures(row.code, row.name, row.figures) for row in rows]
    return out


@router.get("/{pk}", response=DETAIL, **named("coordination_detail"), summary="A coordination request")
def coordination_detail(request, pk: RequestIdPath):
    """The request with its timeline and attachments."""
    return _detail(request.auth, _request_or_404(request.auth, pk).pk)


@router.patch("/{pk}", response=DETAIL, **named("coordination_update"), summary="Edit a coordination request")
def coordination_update(request, pk: RequestIdPath, payload: s.RequestPatch):
    """The raiser corrects the title, description, category, person addressed or answer date
    while the request awaits its answer."""
    user = request.auth
    r = _request_or_404(user, pk)
    changes = {name: value for name, value in payload.dict(exclude_unset=True).items()
               if name != "to_person" and value is not None}
    if "category" in changes:
        _category(changes["category"])
    if "to_person" in payload.dict(exclude_unset=True):
        no = payload.to_person
        changes["to_person"] = _person_of(r.to_unit, no, "to_person") if no else None
    services.request_update(actor=user, request=r, **changes)
    return _detail(user, pk)


@router.post("/{pk}/answer", response=DETAIL, **named("coordination_answer"), summary="Answer (明确答复)")
def coordination_answer(request, pk: RequestIdPath, payload: s.AnswerIn):
    """明确答复 by the side that owes it (the unit handling it, the levels above, or the person
    addressed); the raiser is notified and a task raised from is no longer blocked by it."""
    r = _request_or_404(request.auth, pk)
    services.request_answer(actor=request.auth, request=r, answer=payload.answer, on=payload.on)
    return _detail(request.auth, pk)


@router.post("/{pk}/forward", response=DETAIL, **named("coordination_forward"), summary="Forward (转办)")
def coordination_forward(request, pk: RequestIdPath, payload: s.ForwardIn):
    """转办 to the unit that can answer; the answer date stays."""
    r = _request_or_404(request.auth, pk)
    services.request_forward(actor=request.auth, request=r, to_unit=_unit(payload.to_unit, "to_unit"),
                             note=payload.note, on=payload.on)
    return _detail(request.auth, pk)


@router.post("/{pk}/close", response=DETAIL, **named("coordination_close"), summary="Accept and close (确认办结)")
def coordination_close(request, pk: RequestIdPath, payload: s.NoteIn):
    """The raiser accepts the answer."""
    r = _request_or_404(request.auth, pk)
    services.request_close(actor=request.auth, request=r, note=payload.note, on=payload.on)
    return _detail(request.auth, pk)


@router.post("/{pk}/reopen", response=DETAIL, **named("coordination_reopen"), summary="Reopen (重新办理)")
def coordination_reopen(request, pk: RequestIdPath, payload: s.ReopenIn):
    """The raiser is not satisfied: back to the unit that answered, with a reason and a new date."""
    r = _request_or_404(request.auth, pk)
    services.request_reopen(actor=request.auth, request=r, reason=payload.reason, answer_due=payload.answer_due,
                            on=payload.on)
    return _detail(request.auth, pk)


@router.post("/{pk}/escalate", response=DETAIL, **named("coordination_escalate"), summary="Escalate (上报)")
def coordination_escalate(request, pk: RequestIdPath, payload: s.NoteIn):
    """The raiser takes an overdue request to the next level (the parent of the unit handling
    it), which is notified. The scheduler does the same every morning."""
    r = _request_or_404(request.auth, pk)
    services.request_escalate(actor=request.auth, request=r, note=payload.note, on=payload.on)
    return _detail(request.auth, pk)
