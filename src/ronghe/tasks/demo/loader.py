"""Load the Five-Ones demo into the demo oilfield: the master plans, their key tasks, the
sub-plans and sub-tasks, and each task's life so far — issue, acknowledgement, reports, nodes
done, blocks, extensions, completions, returns, evaluations, cancellations — all through the task
services as the `system` user, in date order, in one transaction."""
import time
from dataclasses import dataclass, field
from random import Random

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import clock
from ronghe.core.workdays import Calendar
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import Position, Unit
from ronghe.tasks import rules, selectors, services
from ronghe.tasks.demo import content
from ronghe.tasks.demo.timelines import Timeline, timeline
from ronghe.tasks.models import Chase, Plan, Task

SEED = 2026
DEMO_CHASES = 2
# Same-day events happen in the order of a task's life.
STEPS = ("issue", "acknowledge", "report", "node", "block", "extension_request", "extension_decide", "submit",
         "return", "accept", "evaluate", "cancel")


@dataclass
class TasksDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_loaded() -> bool:
    return Plan.objects.filter(name=content.THREE_SYSTEMS, unit__code=content.REFORM_OFFICE).exists()


def load_tasks_demo() -> TasksDemoReport:
    """Idempotent: nothing happens when the plans are there already, or when the demo
    oilfield is not (its units and leaders are what the tasks are assigned to)."""
    if is_loaded():
        return TasksDemoReport(False, _("The Five-Ones demo plans are already loaded; nothing changed."))
    if not Unit.objects.filter(code=content.REFORM_OFFICE, abolished_on=None).exists():
        return TasksDemoReport(False, _("The demo oilfield is not loaded, so neither are the Five-Ones demo plans."))
    started = time.monotonic()
    with transaction.atomic():
        _Loader(system_actor(), clock.today(), Calendar()).load()
    counts = {
        "plans": Plan.objects.count(),
        "sub_plans": Plan.objects.filter(kind=Plan.Kind.SUB).count(),
        "tasks": Task.objects.count(),
        "chases": Chase.objects.count(),
    }
    return TasksDemoReport(True, _("The Five-Ones demo plans are loaded."), counts, time.monotonic() - started)


class _Loader:
    def __init__(self, actor, today, calendar):
        self.actor, self.today, self.calendar = actor, today, calendar
        self.rng = Random(SEED)
        self.units = {u.code: u for u in Unit.objects.filter(abolished_on=None)}
        self.heads, self.in_charge = {}, {}
        for position in Position.objects.filter(unit__isnull=False, kind__in=["head", "in_charge"]).select_related(
                "person").order_by("sort_order", "id"):
            people = self.heads if position.kind == "head" else self.in_charge
            people.setdefault(position.unit_id, position.person)

    def unit(self, code):
        return self.units[code]

    def head(self, code):
        return self.heads[self.unit(code).pk]

    def leader_of(self, code):
        return self.in_charge[self.unit(code).pk]

    def load(self):
        for master in content.MASTER_PLANS:
            office = self.unit(content.REFORM_OFFICE)
            plan = services.plan_create(actor=self.actor, name=master.name, unit=office,
                                        leader=self.leader_of(content.REFORM_OFFICE), year=self.today.year,
                                        description=master.description)
            for number, key in enumerate(master.tasks, start=1):
                self.key_task(plan, number, key)
        self.chase_red()

    def chase_red(self):
        """The reform office chases the first red key tasks by hand today (督办单), so the demo
        shows notices next to the automatic reminders."""
        rows = list(selectors.with_facts(Task.objects.filter(plan__kind=Plan.Kind.MASTER, parent=None)
                                         .select_related("plan", "lead_unit", "responsible", "leader")
                                         .order_by("plan_id", "sort_order", "pk")))
        statuses = selectors.statuses(rows, self.today, self.calendar)
        red = [task for task in rows if statuses[task.pk].light == rules.Light.RED
               and task.state in services.CHASE_STATES][:DEMO_CHASES]
        reply_by = self.calendar.add_working_days(self.today, 3)
        for task in red:
            services.task_chase(actor=self.actor, task=task, to_heads=True, on=self.today, reply_by=reply_by,
                                message=f"该任务已亮红灯，请于{reply_by.month}月{reply_by.day}日前书面报送存在问题、"
                                        "整改措施及完成时间。")

    def key_task(self, plan, number, key):
        leader = self.leader_of(key.lead)
        responsible = self.head(key.responsible or key.lead)
        team = [(leader, "组长"), (self.head(key.lead), "副组长")]
        team += [(self.head(code), "成员") for code in key.co if self.head(code) not in {p for p, _ in team}]
        if responsible not in {p for p, _ in team}:
            team.append((responsible, "成员"))
        task = self.create(plan, str(number), key.name, leader, key.lead, responsible, key.profile, key.nodes,
                           cycle=key.cycle, goal=key.goal, measures=key.measures, co_units=key.co, team=team)
        for index, sub in enumerate(key.children, start=1):
            self.sub_task(plan, f"{number}.{index}", sub, leader, parent=task)
        if key.sub_plan is not None:
            organisation = self.unit(content.ORGANISATION_DEPT)
            sub_plan = services.plan_create(actor=self.actor, name=key.sub_plan.name, unit=organisation,
                                            kind=Plan.Kind.SUB, parent_task=task, year=self.today.year,
                                            leader=self.leader_of(content.ORGANISATION_DEPT))
            for index, sub in enumerate(key.sub_plan.tasks, start=1):
                self.sub_task(sub_plan, str(index), sub, self.head(content.ORGANISATION_DEPT))

    def sub_task(self, plan, number, sub, leader, parent=None):
        responsible = self.head(sub.lead)
        team = [(leader, "组长")] + ([(responsible, "成员")] if responsible != leader else [])
        self.create(plan, number, sub.name, leader, sub.lead, responsible, sub.profile, sub.nodes, parent=parent,
                    team=team)

    def create(self, plan, number, name, leader, lead, responsible, profile, node_names, *, parent=None,
               cycle=None, goal="", measures="", co_units=(), team=()):
        line = timeline(profile, self.today, self.calendar, self.rng, cycle or content.Cycle.MONTHLY)
        task = services.task_create(
            actor=self.actor, plan=plan, parent=parent, number=number, name=name, leader=leader,
            lead_unit=self.unit(lead), responsible=responsible, start_date=line.start, deadline=line.deadline,
            cycle=line.cycle, goal=goal, measures=measures, co_units=[self.unit(c) for c in co_units], team=team,
            milestones=[(node.due, text) for node, text in zip(line.nodes, node_names, strict=True)],
            sort_order=int(number.rsplit(".", 1)[-1]))
        self.live(task, line)
        return task

    def live(self, task, line: Timeline):
        """Play the task's life in date order."""
        a = self.actor
        milestones = list(task.milestones.order_by("due", "id"))
        events = []
        if line.issued_on:
            events.append((line.issued_on, "issue", lambda: services.task_issue(actor=a, task=task, on=line.issued_on)))
        if line.acknowledged_on:
            events.append((line.acknowledged_on, "acknowledge",
                           lambda: services.task_acknowledge(actor=a, task=task, on=line.acknowledged_on)))
        for report in line.reports:
            events.append((report.on, "report", lambda r=report: services.progress_report(
                actor=a, task=task, percent=r.percent, text=_progress_text(r.percent),
                problems=_problems(line, r.percent), on=r.on)))
        nodes = sorted(line.nodes, key=lambda n: n.due)
        for node, milestone in zip(nodes, milestones, strict=True):
            if node.done_on:
                events.append((node.done_on, "node", lambda m=milestone, d=node.done_on: services.milestone_done(
                    actor=a, milestone=m, evidence="会议纪要、印发文件已归档", on=d)))
        if line.blocked_on:
            events.append((line.blocked_on, "block", lambda: services.task_mark_blocked(
                actor=a, task=task, reason="配套政策待集团公司批复，需改革办协调", on=line.blocked_on)))
        if line.extension_requested_on:
            last = max((r.percent for r in line.reports if r.on <= line.extension_requested_on), default=0)
            events.append((line.extension_requested_on, "extension_request", lambda: services.extension_request(
                actor=a, task=task, reason="涉及多家单位协调，原定时限内难以完成", new_deadline=line.extension_deadline,
                percent=last, on=line.extension_requested_on)))
        if line.extension_decided_on:
            events.append((line.extension_decided_on, "extension_decide", lambda: services.extension_decide(
                actor=a, extension=task.extensions.get(), approve=True, note="同意延期，按新时限推进",
                on=line.extension_decided_on)))
        if line.submitted_on:
            events.append((line.submitted_on, "submit", lambda: services.completion_submit(
                actor=a, task=task, evidence="工作总结、印发文件及验收材料", on=line.submitted_on)))
        if line.returned_on:
            events.append((line.returned_on, "return", lambda: services.completion_return(
                actor=a, task=task, reason="验收材料不完整，请补充试点成效评估", on=line.returned_on)))
        if line.accepted_on:
            events.append((line.accepted_on, "accept", lambda: services.completion_accept(
                actor=a, task=task, on=line.accepted_on)))
        if line.evaluated:
            events.append((line.accepted_on, "evaluate", lambda: services.task_evaluate(
                actor=a, task=task, evaluation=Task.Evaluation.EXCELLENT, note="按期高质量完成")))
        if line.cancelled_on:
            events.append((line.cancelled_on, "cancel", lambda: services.task_cancel(
                actor=a, task=task, reason="工作内容调整，并入相关任务统筹推进", on=line.cancelled_on)))
        for _day, _step, run in sorted(events, key=lambda e: (e[0], STEPS.index(e[1]))):
            run()


def _progress_text(percent: int) -> str:
    if percent >= 100:
        return "各项工作全部完成，正在整理验收材料"
    if percent >= 70:
        return "主体工作基本完成，正在巩固提升"
    if percent >= 30:
        return "按方案组织实施，各项工作有序推进"
    return "完成调研摸底，实施方案已上报审批"


def _problems(line: Timeline, percent: int) -> str:
    if line.notes.get("problems") and percent < 100:
        return "部分单位配套措施落实不到位，进度滞后"
    return ""
