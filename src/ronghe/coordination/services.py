"""Every write of coordination requests: raise (from a unit, a task or a meeting), edit, attach,
answer, forward, accept and close, reopen, escalate. One transaction each, validated, audited,
recorded on the request's timeline, and announced through core.notifications: the addressee
hears of a new request, the raiser of its answer, the next level of an escalation."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from ronghe.accounts.models import RoleAssignment
from ronghe.coordination import rules
from ronghe.coordination.models import Attachment, Event, Request
from ronghe.core import attachments, audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.locking import lock_row
from ronghe.core.notifications.categories import COORDINATION
from ronghe.core.notifications.services import notify
from ronghe.core.scoping import CHANGE, VIEW, allows
from ronghe.core.workdays import Calendar
from ronghe.org.models import Position, Unit

S = Request.State
AUDIT_FIELDS = [
    "number", "title", "description", "category", "raised_by", "raised_by_person", "from_unit", "task", "to_unit",
    "to_person", "handling_unit", "raised_on", "answer_due", "state", "answer", "answered_by", "answered_by_unit",
    "answered_on", "forwarded_to", "forwarded_on", "escalation_level", "escalated_to_unit", "escalated_on",
    "closed_on", "closed_by", "reopen_reason", "reopened_on", "reopen_count",
]
EDITABLE = ["title", "description", "category", "to_person", "answer_due"]
OPEN_TASK_STATES = ("issued", "acknowledged", "in_progress", "returned")


def _text(message, **params):
    """A message (marked with gettext_noop) each recipient reads in their own language."""
    return lazy(lambda: gettext(message) % params, str)()


# --- who may do what ----------------------------------------------------------------------------

def _person_id(actor):
    return getattr(actor, "person_id", None)


def can_raise_from(actor, unit) -> bool:
    return allows(actor, CHANGE, unit)


def can_raise_from_task(actor, task) -> bool:
    """The task's responsible person and whoever may change its lead unit raise requests
    from it (the same people who may mark it blocked)."""
    from ronghe.tasks.services import can_own

    return can_own(actor, task)


def is_raiser(actor, request) -> bool:
    """The raising side: who raised it, the person named as raiser, or whoever may change the
    raising unit. They edit, accept, reopen and escalate."""
    if getattr(actor, "pk", None) is not None and actor.pk == request.raised_by_id:
        return True
    if _person_id(actor) and _person_id(actor) == request.raised_by_person_id:
        return True
    return allows(actor, CHANGE, request.from_unit)


def is_addressee(actor, request) -> bool:
    """The answering side: the person it is addressed to, or whoever may change the unit now
    handling it (which includes the levels above it). They answer and forward."""
    if _person_id(actor) and _person_id(actor) == request.to_person_id:
        return True
    return allows(actor, CHANGE, request.handling_unit)


def _need(check, actor, request):
    if not check(actor, request):
        raise OutOfScope()


def _need_state(request, *states):
    if request.state not in states:
        raise ValidationError(_("This cannot be done to a request that is “%(state)s”.") % {
            "state": request.get_state_display()})


def _on(day):
    today = clock.today()
    day = day or today
    if day > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    return day


def _lock(request):
    return lock_row(request, "from_unit", "to_unit", "handling_unit", "to_person", "raised_by", "raised_by_person",
                    "task")


def _still_visible(actor, request):
    """Nobody moves a request out of their own reach (scope checked after the write)."""
    if actor is not None and not Request.objects.restrict(actor, VIEW).filter(pk=request.pk).exists():
        raise ValidationError(_("After this change the request would be outside your scope."))


def _record(actor, action, request, before, message=""):
    audit.record(actor=actor, action=f"coordination.{action}", obj=request, before=before,
                 after=audit.snapshot(request, AUDIT_FIELDS), message=message[:500], unit=request.from_unit)


def _event(request, kind, on, actor, unit=None, text=""):
    return Event.objects.create(request=request, kind=kind, on=on, actor=actor if getattr(actor, "pk", None) else None,
                                unit=unit, text=text)


# --- who hears of it ------------------------------------------------------------------------------

def unit_contacts(unit) -> list:
    """Whom a unit is reached through: its heads, else the users who administer it exactly."""
    heads = [p.person for p in Position.objects.filter(unit=unit, kind=Position.Kind.HEAD).select_related("person")]
    if heads:
        return heads
    return [a.user for a in RoleAssignment.objects.filter(unit=unit, role__in=("admin", "secretary"),
                                                          user__is_active=True).select_related("user")]


def addressees(request) -> list:
    if request.to_person_id and request.handling_unit_id == request.to_unit_id:
        return [request.to_person]
    return unit_contacts(request.handling_unit)


def raisers(request) -> list:
    return [r for r in (request.raised_by, request.raised_by_person) if r is not None]


def _notify(request, rule, recipients, title, body, day):
    recipients = [r for r in recipients if r is not None]
    if recipients:
        notify(rule=rule, obj=request, day=day, recipients=recipients, title=title, body=body,
               link=reverse("coordination_detail", args=[request.pk]), category=COORDINATION,
               units_for_webhooks=[request.handling_unit] if rule == "coordination.escalated" else ())


# --- raising and editing ----------------------------------------------------------------------------

def _next_number(year) -> str:
    prefix = f"XT{year}-"
    last = (Request.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    return f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:04d}"


@transaction.atomic
def request_raise(*, actor, title, description, to_unit, from_unit=None, task=None, to_person=None,
                  category="other", answer_due=None, on=None, raised_by_person=None) -> Request:
    """提出 a request to `to_unit` (and optionally a person there), from a unit the actor may
    change, or from a task the actor owns (its lead unit raises it, and the task is blocked
    until the answer). The answer is due in 5 working days unless a date is given."""
    if task is not None:
        # The task as it stands now, not as the caller last read it.
        task = type(task).objects.select_related("lead_unit").get(pk=task.pk)
        if not can_raise_from_task(actor, task):
            raise OutOfScope()
        if task.state not in OPEN_TASK_STATES:
            raise ValidationError({"task": _("Requests are raised only from tasks under way.")})
        from_unit = from_unit or task.lead_unit
        if from_unit.pk != task.lead_unit_id and not can_raise_from(actor, from_unit):
            raise ValidationError({"from_unit": _("No such unit within your scope.")})
    elif from_unit is None or not can_raise_from(actor, from_unit):
        raise ValidationError({"from_unit": _("No such unit within your scope.")})
    if to_unit.abolished_on is not None:
        raise ValidationError({"to_unit": _("This unit has been abolished.")})
    if to_person is not None and to_person.unit_id != to_unit.pk:
        raise ValidationError({"to_person": _("The person addressed works in another unit.")})
    on = _on(on)
    request = Request(title=title, description=description, category=category, raised_by=actor,
                      raised_by_person=raised_by_person or getattr(actor, "person", None), from_unit=from_unit,
                      task=task, to_unit=to_unit, to_person=to_person, handling_unit=to_unit, raised_on=on,
                      answer_due=answer_due or rules.default_answer_due(on, Calendar()))
    request.full_clean(exclude=["number"])
    for _attempt in range(5):
        request.number = _next_number(on.year)
        try:
            with transaction.atomic():
                request.save()
            break
        except IntegrityError:
            # Another request took the number between reading it and saving: take the next.
            request.pk = None
    else:
        raise ValidationError(_("Could not number the request; try again."))
    _event(request, Event.Kind.RAISED, on, actor, unit=to_unit, text=description)
    _record(actor, "raise", request, None)
    _still_visible(actor, request)
    _notify(request, "coordination.raised", addressees(request),
            _text(gettext_noop("New coordination request %(number)s: %(title)s"), number=request.number, title=title),
            _text(gettext_noop("%(unit)s asks for an answer by %(due)s: %(title)s"), unit=from_unit.name,
                  due=request.answer_due.isoformat(), title=title), on)
    return request


@transaction.atomic
def request_update(*, actor, request, **changes) -> Request:
    """The raiser corrects what the request says while it awaits its first answer."""
    request = _lock(request)
    _need(is_raiser, actor, request)
    _need_state(request, S.OPEN, S.FORWARDED, S.ESCALATED, S.REOPENED)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = audit.snapshot(request, AUDIT_FIELDS)
    for name, value in changes.items():
        setattr(request, name, value)
    if request.to_person is not None and request.to_person.unit_id != request.to_unit_id:
        raise ValidationError({"to_person": _("The person addressed works in another unit.")})
    request.full_clean()
    changed = [name for name in changes if before[name] != audit.snapshot(request, [name])[name]]
    if not changed:
        return request
    request.save(update_fields=changed)
    _event(request, Event.Kind.EDITED, clock.today(), actor)
    _record(actor, "update", request, before)
    return request


@transaction.atomic
def attachment_add(*, actor, request, file, name="") -> Attachment:
    """Either side may attach a file (a report, a photo, a scanned document)."""
    request = _lock(request)
    if not (is_raiser(actor, request) or is_addressee(actor, request)):
        raise OutOfScope()
    attachment = Attachment(request=request, uploaded_by=actor)
    stored = attachments.store(attachment, file, name)
    _event(request, Event.Kind.ATTACHED, clock.today(), actor, text=attachment.name)
    audit.record(actor=actor, action="coordination.attach", obj=request, after=stored, unit=request.from_unit)
    return attachment


# --- answering ------------------------------------------------------------------------------------

@transaction.atomic
def request_answer(*, actor, request, answer, on=None) -> Request:
    """明确答复: the handling side answers; the raiser is told, and a task raised from is no
    longer blocked by it."""
    request = _lock(request)
    _need(is_addressee, actor, request)
    _need_state(request, *Request.AWAITING_ANSWER)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    on = _on(on)
    if on < request.raised_on:
        raise ValidationError({"on": _("A request cannot be answered before it was raised.")})
    before = audit.snapshot(request, AUDIT_FIELDS)
    request.state, request.answer, request.answered_by, request.answered_on = S.ANSWERED, answer, actor, on
    request.answered_by_unit = request.handling_unit
    request.full_clean()
    request.save(update_fields=["state", "answer", "answered_by", "answered_on", "answered_by_unit"])
    _event(request, Event.Kind.ANSWERED, on, actor, unit=request.handling_unit, text=answer)
    _record(actor, "answer", request, before, answer)
    _still_visible(actor, request)
    _notify(request, "coordination.answered", raisers(request),
            _text(gettext_noop("Answered: %(number)s %(title)s"), number=request.number, title=request.title),
            _text(gettext_noop("%(unit)s answered: %(answer)s"), unit=request.handling_unit.name, answer=answer), on)
    return request


@transaction.atomic
def request_forward(*, actor, request, to_unit, note="", on=None) -> Request:
    """转办: the handling side passes the request to the unit that can answer it; the answer
    date stays."""
    request = _lock(request)
    _need(is_addressee, actor, request)
    _need_state(request, *Request.AWAITING_ANSWER)
    if to_unit.pk in (request.handling_unit_id, request.from_unit_id):
        raise ValidationError({"to_unit": _("Forward the request to another unit.")})
    if to_unit.abolished_on is not None:
        raise ValidationError({"to_unit": _("This unit has been abolished.")})
    on = _on(on)
    before = audit.snapshot(request, AUDIT_FIELDS)
    request.state, request.forwarded_to, request.forwarded_on, request.handling_unit = S.FORWARDED, to_unit, on, to_unit
    request.full_clean()
    request.save(update_fields=["state", "forwarded_to", "forwarded_on", "handling_unit"])
    _event(request, Event.Kind.FORWARDED, on, actor, unit=to_unit, text=note)
    _record(actor, "forward", request, before, note)
    _notify(request, "coordination.forwarded", unit_contacts(to_unit),
            _text(gettext_noop("Forwarded to you: %(number)s %(title)s"), number=request.number, title=request.title),
            _text(gettext_noop("%(unit)s asks for an answer by %(due)s: %(title)s"), unit=request.from_unit.name,
                  due=request.answer_due.isoformat(), title=request.title), on)
    return request


# --- the raiser's side ---------------------------------------------------------------------------

@transaction.atomic
def request_close(*, actor, request, note="", on=None) -> Request:
    """The raiser accepts the answer (确认办结)."""
    request = _lock(request)
    _need(is_raiser, actor, request)
    _need_state(request, S.ANSWERED)
    on = _on(on)
    before = audit.snapshot(request, AUDIT_FIELDS)
    request.state, request.closed_on, request.closed_by = S.CLOSED, max(on, request.answered_on), actor
    request.save(update_fields=["state", "closed_on", "closed_by"])
    _event(request, Event.Kind.CLOSED, request.closed_on, actor, text=note)
    _record(actor, "close", request, before, note)
    return request


@transaction.atomic
def request_reopen(*, actor, request, reason, answer_due=None, on=None) -> Request:
    """The raiser is not satisfied: the request goes back to the unit that answered, with a
    reason and a new answer date (5 working days unless given). The old answer stays on the
    timeline."""
    request = _lock(request)
    _need(is_raiser, actor, request)
    _need_state(request, S.ANSWERED, S.CLOSED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is reopened.")})
    on = _on(on)
    before = audit.snapshot(request, AUDIT_FIELDS)
    request.state, request.reopen_reason, request.reopened_on = S.REOPENED, reason, on
    request.reopen_count += 1
    request.answer, request.answered_by, request.answered_on, request.answered_by_unit = "", None, None, None
    request.closed_on, request.closed_by = None, None
    request.answer_due = answer_due or rules.default_answer_due(on, Calendar())
    request.full_clean()
    request.save(update_fields=["state", "reopen_reason", "reopened_on", "reopen_count", "answer", "answered_by",
                                "answered_on", "answered_by_unit", "closed_on", "closed_by", "answer_due"])
    _event(request, Event.Kind.REOPENED, on, actor, unit=request.handling_unit, text=reason)
    _record(actor, "reopen", request, before, reason)
    _notify(request, "coordination.reopened", addressees(request),
            _text(gettext_noop("Reopened: %(number)s %(title)s"), number=request.number, title=request.title),
            _text(gettext_noop("The raiser is not satisfied with the answer: %(reason)s"), reason=reason), on)
    return request


# --- escalation ---------------------------------------------------------------------------------

def next_level(unit) -> Unit | None:
    """Where an unanswered request goes next: the handling unit's parent, if active."""
    if unit.parent_id is None:
        return None
    parent = Unit.objects.get(pk=unit.parent_id)
    return parent if parent.abolished_on is None else None


def _escalate(actor, request, on, calendar, note=""):
    target = next_level(request.handling_unit)
    if target is None:
        raise ValidationError(_("%(unit)s has no higher level to escalate to.") % {
            "unit": request.handling_unit.name})
    before = audit.snapshot(request, AUDIT_FIELDS)
    request.state, request.escalated_to_unit, request.escalated_on = S.ESCALATED, target, on
    request.handling_unit = target
    request.escalation_level += 1
    request.full_clean()
    request.save(update_fields=["state", "escalated_to_unit", "escalated_on", "handling_unit", "escalation_level"])
    due = rules.current_due(request.answer_due, on, calendar)
    _event(request, Event.Kind.ESCALATED, on, actor, unit=target, text=note)
    _record(actor, "escalate", request, before, note)
    _notify(request, "coordination.escalated", unit_contacts(target),
            _text(gettext_noop("Escalated: %(number)s %(title)s is unanswered"), number=request.number,
                  title=request.title),
            _text(gettext_noop("The request of %(unit)s was due for an answer on %(due)s and is now yours to "
                               "answer by %(new_due)s: %(title)s"),
                  unit=request.from_unit.name, due=request.answer_due.isoformat(), new_due=due.isoformat(),
                  title=request.title), on)
    return request


@transaction.atomic
def request_escalate(*, actor, request, note="", on=None) -> Request:
    """The raiser takes an overdue request to the next level (上报) without waiting for the
    scheduler."""
    request = _lock(request)
    _need(is_raiser, actor, request)
    _need_state(request, *Request.AWAITING_ANSWER)
    on = _on(on)
    calendar = Calendar()
    if not rules.escalation_due(awaiting_answer=True, answer_due=request.answer_due,
                                escalated_on=request.escalated_on, as_of=on, calendar=calendar):
        raise ValidationError(_("The answer is not overdue yet: it is due on %(due)s.") % {
            "due": rules.current_due(request.answer_due, request.escalated_on, calendar).isoformat()})
    return _escalate(actor, request, on, calendar, note)


def escalate_overdue(*, as_of: dt.date, dry_run=False) -> list[Request]:
    """The scheduler's escalation: every unanswered request whose answer is overdue on `as_of`
    goes one level up, once (the new level gets a fresh period, so a second run the same day
    finds nothing). A request already at the top stays there; reminders keep going."""
    calendar = Calendar()
    candidates = (Request.objects.filter(state__in=Request.AWAITING_ANSWER, raised_on__lte=as_of)
                  .select_related("handling_unit", "from_unit").order_by("id"))
    escalated = []
    for request in candidates:
        if not rules.escalation_due(awaiting_answer=True, answer_due=request.answer_due,
                                    escalated_on=request.escalated_on, as_of=as_of, calendar=calendar):
            continue
        if next_level(request.handling_unit) is None:
            continue
        if dry_run:
            escalated.append(request)
            continue
        with transaction.atomic():
            locked = _lock(request)
            if rules.escalation_due(awaiting_answer=locked.awaiting_answer, answer_due=locked.answer_due,
                                    escalated_on=locked.escalated_on, as_of=as_of, calendar=calendar):
                escalated.append(_escalate(None, locked, as_of, calendar))
    return escalated
