"""Reads of the Five-Ones mechanism: scoped task lists with everything the status engine needs
fetched in a fixed number of queries, and their lights as of any date."""
import datetime as dt

from django.db.models import Prefetch

from ronghe.core import clock
from ronghe.core.scoping import VIEW
from ronghe.core.workdays import Calendar
from ronghe.tasks import rules
from ronghe.tasks.models import Extension, Milestone, Plan, ProgressReport, Task


def plans(user, action=VIEW):
    return Plan.objects.restrict(user, action).select_related("unit", "leader", "parent_task")


def tasks(user, action=VIEW):
    return Task.objects.restrict(user, action).select_related("plan", "leader", "lead_unit", "responsible")


def with_facts(queryset):
    """Prefetch what `facts_of` reads: reports, milestones and approved extensions."""
    return queryset.prefetch_related(
        Prefetch("reports", queryset=ProgressReport.objects.only("task_id", "reported_on", "percent")),
        Prefetch("milestones", queryset=Milestone.objects.all()),
        Prefetch("extensions", queryset=Extension.objects.filter(status=Extension.Status.APPROVED),
                 to_attr="approved_extensions"),
    )


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
        reports=[rules.Report(r.reported_on, r.percent) for r in task.reports.all()],
        milestones=[rules.Milestone(m.pk, m.due, m.done_on) for m in task.milestones.all()],
        extensions=[rules.Extension(e.decided_on, e.new_deadline) for e in getattr(task, "approved_extensions", [])
                    if e.decided_on],
    )


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
