"""Reminders and escalation (催办) of the Five-Ones mechanism, run daily by the scheduler.

For each open task, from its status on `as_of`:
- due soon (blue)            → the responsible person
- yellow                     → the responsible person
- red                        → the responsible person and the head of the lead unit
- red for 3 working days     → the leader in charge (分管领导) as well
and every Monday a digest to each leader in charge of their tasks by light.
Sending goes through core.notifications.notify, whose key (rule, task, recipient, day) makes a
second run on the same day send nothing."""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_noop

from ronghe.core.notifications.services import notify
from ronghe.core.workdays import Calendar
from ronghe.org.models import Person, Position
from ronghe.tasks import rules, selectors
from ronghe.tasks.exporters import problem_text
from ronghe.tasks.models import Task
from ronghe.tasks.wording import reader_text

ESCALATE_AFTER_WORKING_DAYS = 3
DIGEST_WEEKDAY = 0  # Monday
OPEN_STATES = (Task.State.ISSUED, Task.State.ACKNOWLEDGED, Task.State.IN_PROGRESS, Task.State.RETURNED)


@dataclass
class Run:
    as_of: dt.date
    dry_run: bool
    sent: Counter = field(default_factory=Counter)      # rule → messages sent (or to send)
    skipped: Counter = field(default_factory=Counter)   # rule → already sent today

    def count(self, rule, result):
        self.sent[rule] += len(result.messages)
        self.skipped[rule] += len(result.skipped)


def _problems(status, task):
    """The failure modes in words, in the reader's language."""
    return lazy(lambda: "；".join(problem_text(mode, task) for mode in status.failure_modes), str)()


def _send(run, rule, task, recipients, title, body):
    recipients = [r for r in recipients if r is not None]
    if not recipients:
        return
    result = notify(rule=rule, obj=task, day=run.as_of, recipients=recipients, title=title, body=body,
                    link=reverse("task_detail", args=[task.pk]), category="tasks",
                    units_for_webhooks=[task.lead_unit] if rule in ("tasks.red", "tasks.escalation") else (),
                    dry_run=run.dry_run)
    run.count(rule, result)


def send_reminders(*, as_of: dt.date, dry_run=False) -> Run:
    run = Run(as_of=as_of, dry_run=dry_run)
    calendar = Calendar()
    tasks = list(selectors.with_facts(
        Task.objects.filter(state__in=OPEN_STATES).select_related("plan", "leader", "lead_unit", "responsible")))
    statuses = selectors.statuses(tasks, as_of, calendar)
    heads = defaultdict(list)
    for position in Position.objects.filter(unit__in={t.lead_unit_id for t in tasks}, kind=Position.Kind.HEAD
                                            ).select_related("person"):
        heads[position.unit_id].append(position.person)

    with transaction.atomic():
        for task in tasks:
            status = statuses[task.pk]
            name, deadline = task.name, status.deadline.isoformat()
            if status.light == rules.Light.BLUE:
                _send(run, "tasks.due_soon", task, [task.responsible],
                      reader_text(gettext_noop("Due soon: %(task)s"), task=name),
                      reader_text(gettext_noop("The task “%(task)s” is due on %(deadline)s."), task=name, deadline=deadline))
            elif status.light == rules.Light.YELLOW:
                _send(run, "tasks.yellow", task, [task.responsible],
                      reader_text(gettext_noop("Yellow light: %(task)s"), task=name),
                      reader_text(gettext_noop("The task “%(task)s” needs attention: %(problems)s."), task=name,
                            problems=_problems(status, task)))
            elif status.light == rules.Light.RED:
                _send(run, "tasks.red", task, [task.responsible, *heads[task.lead_unit_id]],
                      reader_text(gettext_noop("Red light: %(task)s"), task=name),
                      reader_text(gettext_noop("The task “%(task)s” is red: %(problems)s. Deadline %(deadline)s."), task=name,
                            problems=_problems(status, task), deadline=deadline))
                since = rules.red_since(selectors.facts_of(task), as_of, calendar, selectors.thresholds_of(task.plan))
                if since is not None and calendar.working_days_between(since, as_of) >= ESCALATE_AFTER_WORKING_DAYS:
                    _send(run, "tasks.escalation", task, [task.leader],
                          reader_text(gettext_noop("Escalation: %(task)s has been red since %(since)s"), task=name,
                                since=since.isoformat()),
                          reader_text(gettext_noop("The task “%(task)s” led by %(unit)s has been red since %(since)s: %(problems)s."),
                                task=name, unit=task.lead_unit.name, since=since.isoformat(),
                                problems=_problems(status, task)))
        if as_of.weekday() == DIGEST_WEEKDAY:
            _digests(run, tasks, statuses)
    return run


def _digests(run, tasks, statuses):
    by_leader = defaultdict(list)
    for task in tasks:
        by_leader[task.leader_id].append(task)
    leaders = Person.objects.in_bulk(list(by_leader))
    for leader_id, led in by_leader.items():
        counts = rules.rollup(statuses[t.pk] for t in led)
        summary = ", ".join(f"{light}: {n}" for light, n in counts.items() if n)
        worst = sorted(led, key=lambda t: -rules.severity(statuses[t.pk].light))[:10]
        lines = "\n".join(f"- [{statuses[t.pk].light}] {t.name} ({statuses[t.pk].deadline.isoformat()})" for t in worst)
        result = notify(rule="tasks.digest", obj=leaders[leader_id], day=run.as_of, recipients=[leaders[leader_id]],
                        title=reader_text(gettext_noop("Weekly digest: %(n)d tasks you lead"), n=len(led)),
                        body=reader_text(gettext_noop("By light: %(summary)s\n%(lines)s"), summary=summary, lines=lines),
                        link=reverse("task_list") + "?view=lead", category="tasks", dry_run=run.dry_run)
        run.count("tasks.digest", result)
