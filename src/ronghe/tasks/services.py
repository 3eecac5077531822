"""Every write of the Five-Ones mechanism: plans, tasks and each step of a task's life
(issue → acknowledge → report → submit completion → complete or return → evaluate; extensions,
blocking, cancelling). One transaction each, validated and audited."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.notifications.services import notify
from ronghe.core.scoping import CHANGE, allows
from ronghe.org.models import Position
from ronghe.tasks.models import (
    Chase,
    CompletionReturn,
    Cycle,
    Extension,
    Milestone,
    Plan,
    ProgressReport,
    Task,
    TeamMember,
)
from ronghe.tasks.wording import reader_text

S = Task.State
TASK_AUDIT_FIELDS = [
    "plan", "parent", "number", "name", "goal", "measures", "source", "priority", "leader", "lead_unit",
    "responsible", "start_date", "deadline", "baseline_deadline", "cycle", "state", "issued_on", "acknowledged_on",
    "completion_submitted_on", "completed_on", "return_reason", "evaluation", "cancelled_on", "cancel_reason",
    "blocked_since", "blocked_reason",
]
PLAN_AUDIT_FIELDS = ["name", "kind", "parent_task", "unit", "leader", "description", "year", "archived",
                     "ack_yellow_days", "ack_red_days", "report_grace_days", "lag_yellow_points", "lag_red_points",
                     "due_soon_days"]


# --- who may do what ----------------------------------------------------------------------------

def _person_id(actor):
    return getattr(actor, "person_id", None)


def can_manage_plan(actor, plan) -> bool:
    return allows(actor, CHANGE, plan.unit)


def can_supervise(actor, task) -> bool:
    """The leader in charge and whoever manages the plan issue, accept, return, evaluate,
    decide extensions and cancel."""
    return _person_id(actor) == task.leader_id or can_manage_plan(actor, task.plan)


def can_own(actor, task) -> bool:
    """The responsible person and whoever may change the lead unit acknowledge, report, mark
    blocked and submit completion; team members may report too."""
    return _person_id(actor) == task.responsible_id or allows(actor, CHANGE, task.lead_unit)


def can_report(actor, task) -> bool:
    return can_own(actor, task) or task.team.filter(person_id=_person_id(actor)).exists()


def _need(check, actor, task):
    if not check(actor, task):
        raise OutOfScope()


def _need_state(task, *states):
    if task.state not in states:
        raise ValidationError(_("This cannot be done to a task that is “%(state)s”.") % {
            "state": task.get_state_display()})


def _on(day):
    day = day or clock.today()
    if day > clock.today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    return day


def _lock(task):
    return Task.objects.select_for_update().select_related("plan", "plan__unit", "lead_unit").get(pk=task.pk)


def _record(actor, action, task, before, message=""):
    audit.record(actor=actor, action=f"task.{action}", obj=task, before=before,
                 after=audit.snapshot(task, TASK_AUDIT_FIELDS), message=message, unit=task.lead_unit)


def _save_transition(actor, action, task, before, fields, message=""):
    task.full_clean()
    task.save(update_fields=fields)
    _record(actor, action, task, before, message)
    return task


# --- plans and tasks ----------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor, name, unit, kind=Plan.Kind.MASTER, leader=None, parent_task=None, year=None,
                description="", **thresholds) -> Plan:
    if not allows(actor, CHANGE, unit):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    plan = Plan(name=name, unit=unit, kind=kind, leader=leader, parent_task=parent_task,
                year=year or clock.today().year, description=description, **thresholds)
    plan.full_clean()
    plan.save()
    audit.record(actor=actor, action="plan.create", obj=plan, after=audit.snapshot(plan, PLAN_AUDIT_FIELDS),
                 unit=unit)
    return plan


@transaction.atomic
def plan_update(*, actor, plan, **changes) -> Plan:
    if not can_manage_plan(actor, plan):
        raise OutOfScope()
    before = audit.snapshot(plan, PLAN_AUDIT_FIELDS)
    for name, value in changes.items():
        if name not in PLAN_AUDIT_FIELDS:
            raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": name})
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    if "unit" in changes and not can_manage_plan(actor, plan):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    audit.record(actor=actor, action="plan.update", obj=plan, before=before,
                 after=audit.snapshot(plan, PLAN_AUDIT_FIELDS), unit=plan.unit)
    return plan


def _set_path(task):
    task.path = f"{task.parent.path if task.parent_id else ''}{task.pk}/"
    Task.objects.filter(pk=task.pk).update(path=task.path)


@transaction.atomic
def task_create(*, actor, plan, name, leader, lead_unit, responsible, deadline, parent=None, number="",
                start_date=None, cycle=Cycle.MONTHLY, goal="", measures="", source="",
                priority=Task.Priority.NORMAL, co_units=(), team=(), milestones=(), sort_order=0) -> Task:
    """A draft task with its team (person, role) and milestones (due, description)."""
    if not can_manage_plan(actor, plan):
        raise OutOfScope()
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": _("The parent task belongs to another plan.")})
    task = Task(plan=plan, parent=parent, number=number, name=name, leader=leader, lead_unit=lead_unit,
                responsible=responsible, deadline=deadline, start_date=start_date, cycle=cycle, goal=goal,
                measures=measures, source=source, priority=priority, sort_order=sort_order)
    task.full_clean(exclude=["path"])
    members = [p.pk for p, _role in team]
    if len(members) != len(set(members)):
        raise ValidationError({"team": _("Each person sits in the team once.")})
    task.save()
    _set_path(task)
    task.co_units.set(co_units)
    TeamMember.objects.bulk_create([TeamMember(task=task, person=p, role=role) for p, role in team])
    for due, description in milestones:
        Milestone(task=task, due=due, description=description).full_clean()
    Milestone.objects.bulk_create([Milestone(task=task, due=due, description=d) for due, d in milestones])
    audit.record(actor=actor, action="task.create", obj=task, after={
        **audit.snapshot(task, TASK_AUDIT_FIELDS), "co_units": [u.code for u in co_units],
        "team": [_member_words(p, role) for p, role in team],
        "milestones": [_milestone_words(due, d) for due, d in milestones]}, unit=task.lead_unit)
    return task


EDITABLE = ["name", "goal", "measures", "source", "priority", "leader", "lead_unit", "responsible", "start_date",
            "cycle", "number", "sort_order"]


@transaction.atomic
def task_update(*, actor, task, **changes) -> Task:
    """Edit what a task says. The deadline changes only through an approved extension once
    the task is issued, so the baseline stays meaningful."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, S.DRAFT, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)
    allowed = EDITABLE + (["deadline"] if task.state == S.DRAFT else [])
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    for name, value in changes.items():
        setattr(task, name, value)
    return _save_transition(actor, "update", task, before, list(changes))


@transaction.atomic
def task_issue(*, actor, task, on=None) -> Task:
    """下达: the task goes to its responsible side; its deadline becomes the baseline."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, S.DRAFT)
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.state, task.issued_on, task.baseline_deadline = S.ISSUED, _on(on), task.deadline
    return _save_transition(actor, "issue", task, before, ["state", "issued_on", "baseline_deadline"])


@transaction.atomic
def task_acknowledge(*, actor, task, on=None) -> Task:
    """签收 by the responsible person or the lead unit."""
    task = _lock(task)
    _need(can_own, actor, task)
    _need_state(task, S.ISSUED)
    on = _on(on)
    if on < task.issued_on:
        raise ValidationError({"on": _("A task cannot be acknowledged before it was issued.")})
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.state, task.acknowledged_on, task.acknowledged_by = S.ACKNOWLEDGED, on, actor
    return _save_transition(actor, "acknowledge", task, before, ["state", "acknowledged_on", "acknowledged_by"])


@transaction.atomic
def progress_report(*, actor, task, percent, text, problems="", on=None) -> ProgressReport:
    """进展反馈: text, percent complete and problems; the task is then in progress."""
    task = _lock(task)
    _need(can_report, actor, task)
    _need_state(task, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)
    on = _on(on)
    if task.acknowledged_on and on < task.acknowledged_on:
        raise ValidationError({"on": _("A report cannot be dated before the task was acknowledged.")})
    report = ProgressReport(task=task, reported_on=on, reported_by=actor, percent=percent, text=text,
                            problems=problems)
    report.full_clean()
    report.save()
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    if task.state != S.IN_PROGRESS:
        task.state = S.IN_PROGRESS
        task.save(update_fields=["state"])
    _record(actor, "report", task, before, message=f"{percent}% {text}"[:500])
    return report


@transaction.atomic
def milestone_done(*, actor, milestone, evidence="", on=None) -> Milestone:
    task = _lock(milestone.task)
    _need(can_report, actor, task)
    _need_state(task, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED, S.COMPLETION_SUBMITTED)
    milestone.done_on, milestone.evidence = _on(on), evidence
    milestone.save(update_fields=["done_on", "evidence"])
    audit.record(actor=actor, action="task.milestone_done", obj=task, after={
        "milestone": milestone.description, "due": milestone.due.isoformat(), "done_on": milestone.done_on.isoformat(),
        "evidence": evidence}, unit=task.lead_unit)
    return milestone


@transaction.atomic
def task_mark_blocked(*, actor, task, reason, on=None) -> Task:
    """有安排实施不了: the owner says the task is stuck and why."""
    task = _lock(task)
    _need(can_own, actor, task)
    _need_state(task, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task is blocked.")})
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.blocked_since, task.blocked_reason = _on(on), reason
    return _save_transition(actor, "block", task, before, ["blocked_since", "blocked_reason"])


@transaction.atomic
def task_unblock(*, actor, task) -> Task:
    task = _lock(task)
    _need(can_own, actor, task)
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.blocked_since, task.blocked_reason = None, ""
    return _save_transition(actor, "unblock", task, before, ["blocked_since", "blocked_reason"])


@transaction.atomic
def completion_submit(*, actor, task, evidence, on=None) -> Task:
    """办结申请 with evidence."""
    task = _lock(task)
    _need(can_own, actor, task)
    _need_state(task, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)
    if not evidence.strip():
        raise ValidationError({"evidence": _("Describe the evidence of completion.")})
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.state, task.completion_submitted_on, task.completion_evidence = S.COMPLETION_SUBMITTED, _on(on), evidence
    return _save_transition(actor, "submit_completion", task, before,
                            ["state", "completion_submitted_on", "completion_evidence"])


@transaction.atomic
def completion_accept(*, actor, task, on=None) -> Task:
    """The supervisor accepts: the task is complete as of the day completion was submitted."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, S.COMPLETION_SUBMITTED)
    _on(on)
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.state, task.completed_on = S.COMPLETED, task.completion_submitted_on
    task.blocked_since, task.blocked_reason = None, ""
    return _save_transition(actor, "complete", task, before, ["state", "completed_on", "blocked_since",
                                                              "blocked_reason"])


@transaction.atomic
def completion_return(*, actor, task, reason, on=None) -> Task:
    """退办: the supervisor sends the completion back with a reason."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, S.COMPLETION_SUBMITTED)
    on = _on(on)
    if on < task.completion_submitted_on:
        raise ValidationError({"on": _("A completion cannot be returned before it was submitted.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the completion is returned.")})
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    CompletionReturn.objects.create(task=task, returned_on=on, returned_by=actor,
                                    submitted_on=task.completion_submitted_on, reason=reason)
    task.state, task.return_reason, task.completion_submitted_on = S.RETURNED, reason, None
    return _save_transition(actor, "return", task, before, ["state", "return_reason", "completion_submitted_on"])


@transaction.atomic
def task_evaluate(*, actor, task, evaluation, note="") -> Task:
    """评价 (优/良/中/差) closes a completed task."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, S.COMPLETED)
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.state, task.evaluation, task.evaluation_note = S.CLOSED, evaluation, note
    return _save_transition(actor, "evaluate", task, before, ["state", "evaluation", "evaluation_note"])


@transaction.atomic
def task_cancel(*, actor, task, reason, on=None) -> Task:
    """作废 with a reason; the task leaves every count of open work."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, S.DRAFT, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED, S.COMPLETION_SUBMITTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    task.state, task.cancelled_on, task.cancel_reason = S.CANCELLED, _on(on), reason
    return _save_transition(actor, "cancel", task, before, ["state", "cancelled_on", "cancel_reason"])


@transaction.atomic
def extension_request(*, actor, task, reason, new_deadline, percent, on=None) -> Extension:
    """延期申请: reason, new date and current progress, for the leader in charge to decide."""
    task = _lock(task)
    _need(can_own, actor, task)
    _need_state(task, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)
    if new_deadline <= task.deadline:
        raise ValidationError({"new_deadline": _("The new deadline must be later than the current one.")})
    if task.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError(_("An extension request of this task is already waiting for a decision."))
    extension = Extension(task=task, requested_on=_on(on), requested_by=actor, reason=reason,
                          new_deadline=new_deadline, percent=percent)
    extension.full_clean()
    extension.save()
    audit.record(actor=actor, action="task.extension_request", obj=task, after={
        "new_deadline": new_deadline.isoformat(), "percent": percent, "reason": reason}, unit=task.lead_unit)
    return extension


@transaction.atomic
def extension_decide(*, actor, extension, approve: bool, note="", on=None) -> Extension:
    """The leader in charge approves (the deadline moves, the baseline stays) or rejects."""
    task = _lock(extension.task)
    _need(can_supervise, actor, task)
    if extension.status != Extension.Status.PENDING:
        raise ValidationError(_("This extension request has already been decided."))
    before = audit.snapshot(task, TASK_AUDIT_FIELDS)
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    extension.decided_on, extension.decided_by, extension.decision_note = _on(on), actor, note
    extension.save(update_fields=["status", "decided_on", "decided_by", "decision_note"])
    if approve:
        task.deadline = extension.new_deadline
        task.save(update_fields=["deadline"])
    _record(actor, "extension_approve" if approve else "extension_reject", task, before, note)
    return extension


# --- the team, co-operating units and milestones of an existing task -----------------------------

EDITABLE_STATES = (S.DRAFT, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)


def _lock_editable(actor, task):
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, *EDITABLE_STATES)
    return task


def _person_words(person) -> str:
    return f"{person.name}（{person.employee_no}）"


def _member_words(person, role) -> str:
    return f"{_person_words(person)}{role}"


def _milestone_words(due, description) -> str:
    return f"{due.isoformat()} {description}"


def _check_due(task, due):
    if task.start_date and task.deadline and not task.start_date <= due <= task.deadline:
        raise ValidationError({"due": _("A milestone falls between the start date (%(start)s) and the deadline "
                                        "(%(deadline)s).") % {"start": task.start_date.isoformat(),
                                                              "deadline": task.deadline.isoformat()}})


@transaction.atomic
def task_set_team(*, actor, task, members) -> Task:
    """The special leading group (专项领导小组) becomes `members`, [(person, role)]: who left
    goes, who stays keeps the seat with the role given, who is new joins."""
    task = _lock_editable(actor, task)
    members = list(members)
    people = [p.pk for p, _role in members]
    if len(people) != len(set(people)):
        raise ValidationError({"team": _("Each person sits in the team once.")})
    for person, role in members:
        TeamMember(task=task, person=person, role=role).full_clean(validate_constraints=False)
    seats = {m.person_id: m for m in task.team.select_related("person").order_by("pk")}
    wanted = dict((p.pk, role) for p, role in members)
    if {pk: m.role for pk, m in seats.items()} == wanted:
        return task
    before = [_member_words(m.person, m.role) for m in seats.values()]
    task.team.exclude(person_id__in=people).delete()
    for person, role in members:
        seat = seats.get(person.pk)
        if seat is None:
            TeamMember.objects.create(task=task, person=person, role=role)
        elif seat.role != role:
            seat.role = role
            seat.save(update_fields=["role"])
    audit.record(actor=actor, action="task.team", obj=task, before={"team": before},
                 after={"team": [_member_words(p, role) for p, role in members]}, unit=task.lead_unit)
    return task


@transaction.atomic
def task_set_co_units(*, actor, task, units) -> Task:
    """The co-operating units (配合部门) become `units`; the lead unit is not one of them."""
    task = _lock_editable(actor, task)
    units = list({u.pk: u for u in units}.values())
    if any(u.pk == task.lead_unit_id for u in units):
        raise ValidationError({"co_units": _("The lead unit cannot also be a co-operating unit.")})
    current = list(task.co_units.order_by("path"))
    if {u.pk for u in current} == {u.pk for u in units}:
        return task
    task.co_units.set(units)
    audit.record(actor=actor, action="task.co_units", obj=task, before={"co_units": [u.name for u in current]},
                 after={"co_units": [u.name for u in sorted(units, key=lambda u: u.path)]}, unit=task.lead_unit)
    return task


@transaction.atomic
def milestone_add(*, actor, task, due, description) -> Milestone:
    task = _lock_editable(actor, task)
    milestone = Milestone(task=task, due=due, description=description)
    milestone.full_clean()
    _check_due(task, due)
    milestone.save()
    audit.record(actor=actor, action="task.milestone_add", obj=task, before={"milestone": None},
                 after={"milestone": _milestone_words(due, description)}, unit=task.lead_unit)
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone, due=None, description=None) -> Milestone:
    """A new date or wording; a milestone already done keeps the day it was done."""
    task = _lock_editable(actor, milestone.task)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    before = _milestone_words(milestone.due, milestone.description)
    if due is not None:
        milestone.due = due
    if description is not None:
        milestone.description = description
    milestone.full_clean()
    after = _milestone_words(milestone.due, milestone.description)
    if after == before:
        return milestone
    _check_due(task, milestone.due)
    milestone.save(update_fields=["due", "description"])
    audit.record(actor=actor, action="task.milestone_update", obj=task, before={"milestone": before},
                 after={"milestone": after}, unit=task.lead_unit)
    return milestone


@transaction.atomic
def milestone_remove(*, actor, milestone) -> None:
    """Only a milestone not yet done goes: one that is done is part of the task's record."""
    task = _lock_editable(actor, milestone.task)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise ValidationError({"milestones": _("“%(milestone)s” is done and cannot be removed.") % {
            "milestone": _milestone_words(milestone.due, milestone.description)}})
    words = _milestone_words(milestone.due, milestone.description)
    milestone.delete()
    audit.record(actor=actor, action="task.milestone_remove", obj=task, before={"milestone": words},
                 after={"milestone": None}, unit=task.lead_unit)


@transaction.atomic
def task_edit(*, actor, task, changes=None, team=None, co_units=None, milestones=None) -> Task:
    """The whole edit of a task at once, all or nothing: its fields (`task_update`), then, when
    given, its team [(person, role)], co-operating units and milestones [(milestone or None, due,
    description)] — a milestone of the task left out of that list is removed, None adds one.
    A new lead unit that was a co-operating unit leaves the co-operating units."""
    task = _lock_editable(actor, task)
    if changes:
        task = task_update(actor=actor, task=task, **changes)
    if team is not None:
        task_set_team(actor=actor, task=task, members=team)
    if co_units is not None:
        task_set_co_units(actor=actor, task=task, units=co_units)
    elif "lead_unit" in (changes or {}) and task.co_units.filter(pk=task.lead_unit_id).exists():
        # A co-operating unit promoted to lead unit stops co-operating; the change is audited.
        task_set_co_units(actor=actor, task=task, units=task.co_units.exclude(pk=task.lead_unit_id))
    if milestones is not None:
        _set_milestones(actor, task, milestones)
    return task


def _set_milestones(actor, task, milestones):
    existing = {m.pk: m for m in task.milestones.all()}
    kept = {m.pk for m, _due, _text in milestones if m is not None}
    if kept - set(existing):
        raise ValidationError({"milestones": _("A milestone of another task cannot be edited here.")})
    for pk, milestone in existing.items():
        if pk not in kept:
            milestone_remove(actor=actor, milestone=milestone)
    for milestone, due, description in milestones:
        if milestone is None:
            milestone_add(actor=actor, task=task, due=due, description=description)
        elif (existing[milestone.pk].due, existing[milestone.pk].description) != (due, description):
            milestone_update(actor=actor, milestone=existing[milestone.pk], due=due, description=description)


# --- chasing by hand (催办) and the supervision notice (督办单) ---------------------------------------

CHASE_STATES = (S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED, S.COMPLETION_SUBMITTED)
_NUMBER_TRIES = 5


def chase_recipients(task, *, to_heads=False, to_leader=False) -> list:
    """The responsible person; the heads of the lead unit and the leader in charge when asked.
    Each person once, in that order."""
    people = [task.responsible]
    if to_heads:
        people += [p.person for p in Position.objects.filter(unit_id=task.lead_unit_id, kind=Position.Kind.HEAD)
                   .select_related("person").order_by("sort_order", "pk")]
    if to_leader:
        people.append(task.leader)
    return list({person.pk: person for person in people}.values())


def _save_numbered(chase):
    """The next number of the year; a number taken meanwhile by another chase is taken again."""
    for attempt in range(_NUMBER_TRIES):
        last = Chase.objects.filter(year=chase.year).aggregate(last=Max("serial"))["last"] or 0
        chase.serial = last + 1
        try:
            with transaction.atomic():
                chase.save()
            return chase
        except IntegrityError:
            if attempt == _NUMBER_TRIES - 1:
                raise
    return chase


@transaction.atomic
def task_chase(*, actor, task, message, reply_by, to_heads=False, to_leader=False, on=None) -> Chase:
    """催办 by hand: a supervisor tells the responsible person — and, when asked, the lead unit's
    head and the leader in charge — what is required and by when, through every channel (inbox,
    email, the lead unit's group robots). The chase is numbered 督办〔year〕第N号 and issued in the
    name of the unit that owns the plan, as a supervision notice (督办单) that can be printed."""
    task = _lock(task)
    _need(can_supervise, actor, task)
    _need_state(task, *CHASE_STATES)
    on = _on(on)
    if not message.strip():
        raise ValidationError({"message": _("Say what is required.")})
    chase = Chase(task=task, year=on.year, serial=0, issued_on=on, issued_by=actor, issuer=task.plan.unit,
                  message=message.strip(), reply_by=reply_by)
    chase.full_clean(exclude=["serial"], validate_constraints=False)
    _save_numbered(chase)
    recipients = chase_recipients(task, to_heads=to_heads, to_leader=to_leader)
    chase.recipients.set(recipients)
    # Each chase is its own rule, so a second chase on the same day is sent too.
    notify(rule=f"tasks.chase.{chase.pk}", obj=task, day=on, recipients=recipients,
           title=reader_text(gettext_noop("Supervision notice %(number)s: %(task)s"), number=chase.number,
                             task=task.name),
           body=reader_text(gettext_noop("%(message)s\nReply by %(date)s. Issued by %(issuer)s."),
                            message=chase.message, date=reply_by.isoformat(), issuer=chase.issuer.name),
           link=reverse("task_detail", args=[task.pk]), category="tasks", units_for_webhooks=[task.lead_unit])
    audit.record(actor=actor, action="task.chase", obj=task, after={
        "number": chase.number, "message": chase.message, "reply_by": reply_by.isoformat(),
        "sent_to": [_person_words(p) for p in recipients]}, message=f"{chase.number} {chase.message}"[:500],
        unit=task.lead_unit)
    return chase
