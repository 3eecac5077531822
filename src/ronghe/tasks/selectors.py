"""Reads of the Five-Ones mechanism: scoped task lists with everything the status engine needs
fetched in a fixed number of queries, and their lights as of any date."""
import datetime as dt

from django.db.models import Prefetch
from django.db.models.query import ModelIterable

from ronghe.core import clock
from ronghe.core.scoping import VIEW
from ronghe.core.workdays import Calendar
from ronghe.tasks import rules
from ronghe.tasks.models import Extension, Milestone, Plan, ProgressReport, Task


def plans(user, action=VIEW):
    return Plan.objects.restrict(user, action).select_related("unit", "leader", "parent_task")


def tasks(user, action=VIEW):
    return Task.objects.restrict(user, action).select_related("plan", "leader", "lead_unit", "responsible")


class _FactsIterable(ModelIterable):
    """Task rows with the engine's reports and approved extensions attached: one values query
    each for all the rows (per chunk under `.iterator()`). Tens of thousands of reports come back
    as plain tuples, not model instances, which is where a prefetch spent its time."""

    def __iter__(self):
        batch = []
        for task in super().__iter__():
            batch.append(task)
            if self.chunked_fetch and len(batch) >= self.chunk_size:
                yield from _attach_facts(batch, self.queryset.db)
                batch = []
        if batch:
            yield from _attach_facts(batch, self.queryset.db)


def _attach_facts(tasks, db):
    from ronghe.coordination.models import Request as CoordinationRequest

    by_pk = {task.pk: task for task in tasks}
    for task in tasks:
        task._fact_reports, task._fact_extensions, task._fact_requests = [], [], []
    reports = (ProgressReport.objects.using(db).filter(task_id__in=by_pk).order_by("task_id", "reported_on", "id")
               .values_list("task_id", "reported_on", "percent"))
    for task_id, reported_on, percent in reports:
        by_pk[task_id]._fact_reports.append(rules.Report(reported_on, percent))
    extensions = (Extension.objects.using(db)
                  .filter(task_id__in=by_pk, status=Extension.Status.APPROVED, decided_on__isnull=False)
                  .order_by("task_id", "requested_on", "id").values_list("task_id", "decided_on", "new_deadline"))
    for task_id, decided_on, new_deadline in extensions:
        by_pk[task_id]._fact_extensions.append(rules.Extension(decided_on, new_deadline))
    requests = (CoordinationRequest.objects.using(db).filter(task_id__in=by_pk).order_by("task_id", "raised_on", "id")
                .values_list("task_id", "id", "raised_on", "answer_due", "answered_on"))
    for task_id, key, raised_on, answer_due, answered_on in requests:
        by_pk[task_id]._fact_requests.append(rules.CoordinationRequest(key, raised_on, answer_due, answered_on))
    return tasks


def with_facts(queryset):
    """Load with the rows what `facts_of` reads: reports, milestones and approved extensions,
    in a fixed number of queries. Milestones are prefetched as objects, as pages show them."""
    queryset = queryset.prefetch_related(Prefetch("milestones", queryset=Milestone.objects.all()))
    queryset._iterable_class = _FactsIterable
    return queryset


def thresholds_of(plan: Plan) -> rules.Thresholds:
    return rules.Thresholds(
        acknowledge_yellow_days=plan.ack_yellow_days, acknowledge_red_days=plan.ack_red_days,
        report_grace_days=plan.report_grace_days, lag_yellow_points=plan.lag_yellow_points,
        lag_red_points=plan.lag_red_points, due_soon_days=plan.due_soon_days)


def facts_of(task: Task) -> rules.TaskFacts:
    """The engine's view of a task (call on rows from `with_facts`)."""
    return rules.TaskFacts(
        state=task.state, deadline=task.deadline, baseline_deadline=task.baseline_deadline or task.deadline,
        start_date=task.start_date, issued_on=task.issued_on, acknowledged_on=task.acknowledged_on,
        completion_submitted_on=task.completion_submitted_on, completed_on=task.completed_on,
        cancelled_on=task.cancelled_on, cycle=task.cycle, blocked_since=task.blocked_since,
        reports=_reports_of(task),
        milestones=[rules.Milestone(m.pk, m.due, m.done_on) for m in task.milestones.all()],
        extensions=_extensions_of(task),
        # Coordination requests raised from the task (协调事项): unanswered ones block it.
        requests=(task._fact_requests if hasattr(task, "_fact_requests") else
                  [rules.CoordinationRequest(r.pk, r.raised_on, r.answer_due, r.answered_on)
                   for r in task.coordination_requests.order_by("raised_on", "id")]),
    )


def _reports_of(task):
    if hasattr(task, "_fact_reports"):
        return task._fact_reports
    return [rules.Report(r.reported_on, r.percent) for r in task.reports.all()]


def _extensions_of(task):
    if hasattr(task, "_fact_extensions"):
        return task._fact_extensions
    return [rules.Extension(e.decided_on, e.new_deadline) for e in task.extensions.all()
            if e.status == Extension.Status.APPROVED and e.decided_on]


def statuses(task_rows, as_of: dt.date | None = None, calendar: Calendar | None = None) -> dict[int, rules.Status]:
    """The status of each task (rows from `with_facts`) on `as_of`, default today."""
    as_of = as_of or clock.today()
    calendar = calendar or Calendar()
    thresholds: dict[int, rules.Thresholds] = {}
    out = {}
    for task in task_rows:
        if task.plan_id not in thresholds:
            thresholds[task.plan_id] = thresholds_of(task.plan)
        out[task.pk] = rules.evaluate(facts_of(task), as_of, calendar, thresholds[task.plan_id])
    return out


def matching(task_rows, status_by_task, *, light=None, failure_mode=None):
    """Tasks whose status has the light and/or the failure mode asked for."""
    return [t for t in task_rows
            if (not light or status_by_task[t.pk].light == light)
            and (not failure_mode or failure_mode in status_by_task[t.pk].codes)]
