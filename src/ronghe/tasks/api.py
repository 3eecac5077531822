"""The Five-Ones API (五个一工作机制): plans, key tasks and every step of a task's life. Thin:
reads start from tasks.selectors (already scoped) and take their lights from the status engine
as of `as_of`; writes go through tasks.services, which decide who may do what. Every id, code
and employee number the caller names is looked up inside the caller's scope, so that what lies
outside answers like what does not exist."""
import base64
import datetime as dt
from typing import Annotated

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from ronghe.core import clock
from ronghe.core.api_support import (
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    parse_date,
    require_any,
    responses,
)
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.core.workdays import Calendar
from ronghe.org import selectors as org_selectors
from ronghe.org.models import Person, Unit
from ronghe.tasks import bulletin, documents, rules, selectors, services, stats
from ronghe.tasks import schemas as s
from ronghe.tasks.exporters import problem_text
from ronghe.tasks.models import Chase, Extension, Milestone, Plan, ProgressReport, Task, TeamMember

THRESHOLD_FIELDS = tuple(s.Thresholds.model_fields)
PlanIdPath = Annotated[int, Path(description="Id of the plan (方案编号).")]
TaskIdPath = Annotated[int, Path(description="Id of the task (任务编号).")]
MilestoneIdPath = Annotated[int, Path(description="Id of the milestone (节点编号).")]
ExtensionIdPath = Annotated[int, Path(description="Id of the extension request (延期申请编号).")]
ChaseIdPath = Annotated[int, Path(description="Id of the chase (催办编号).")]


# --- look-ups ------------------------------------------------------------------------------------

def _person(user, employee_no: str | None, field: str) -> Person:
    person = Person.objects.restrict(user, VIEW).filter(employee_no=employee_no).first() if employee_no else None
    if person is None:
        raise invalid(field, _("No person with employee number “%(no)s” within your scope.") % {
            "no": employee_no or ""})
    return person


def _unit(user, code: str | None, field: str) -> Unit:
    unit = Unit.objects.restrict(user, VIEW).filter(code=code).first() if code else None
    if unit is None:
        raise invalid(field, _("No unit with code “%(code)s” within your scope.") % {"code": code or ""})
    return unit


def _plan_ref(user, plan_id: int, field: str) -> Plan:
    plan = selectors.plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise invalid(field, _("No plan %(id)s within your scope.") % {"id": plan_id})
    return plan


def _task_ref(user, task_id: int, field: str) -> Task:
    task = selectors.tasks(user).filter(pk=task_id).first()
    if task is None:
        raise invalid(field, _("No task %(id)s within your scope.") % {"id": task_id})
    return task


def _task_or_404(user, task_id: int) -> Task:
    return get_or_404(selectors.tasks(user), pk=task_id)


# --- plans -----------------------------------------------------------------------------------------

plans_router = Router(tags=["plans"])


def _plan_row(plan: Plan) -> dict:
    return {"id": plan.pk, "name": plan.name, "kind": plan.kind, "unit": plan.unit.code, "unit_name": plan.unit.name,
            "leader": plan.leader.employee_no if plan.leader_id else None,
            "leader_name": plan.leader.name if plan.leader_id else None, "parent_task": plan.parent_task_id,
            "description": plan.description, "year": plan.year, "archived": plan.archived,
            "thresholds": {name: getattr(plan, name) for name in THRESHOLD_FIELDS}, "created_at": plan.created_at}


def _check_thresholds(values: dict) -> None:
    """The engine refuses a red threshold below its yellow one; say so before anything is saved."""
    for yellow, red in (("ack_yellow_days", "ack_red_days"), ("lag_yellow_points", "lag_red_points")):
        if values[red] < values[yellow]:
            raise invalid(f"thresholds.{red}", _("The red threshold cannot be below the yellow one (%(yellow)s).")
                          % {"yellow": values[yellow]})


def _light_counts(statuses) -> dict:
    return {light.value: n for light, n in rules.rollup(statuses).items()}


@plans_router.get("", response=responses({200: s.PlanPage}), **named("plans_list"), summary="List plans")
def plans_list(request, filters: Query[s.TaskPlanFilters], page: Query[PageQuery]):
    """Master plans (总方案) and sub-plans (子方案) of the units within your scope, newest year first."""
    qs = selectors.plans(request.auth)
    if not filters.include_archived:
        qs = qs.filter(archived=False)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    if filters.unit_subtree:
        qs = org_selectors.in_unit_subtree(qs, "unit", filters.unit_subtree)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return paginate(qs, page, lambda chunk: [_plan_row(p) for p in chunk])


@plans_router.get("/{plan_id}", response=responses({200: s.PlanDetail}), **named("plans_get"), summary="Get a plan")
def plans_get(request, plan_id: PlanIdPath, query: Query[s.TaskAsOfQuery]):
    """One plan with the counts of its tasks (at every level, those you may see) by light and by
    failure mode on `as_of` (红黄蓝绿灯统计)."""
    user = request.auth
    as_of = parse_date(query.as_of, "as_of") or clock.today()
    plan = get_or_404(selectors.plans(user), pk=plan_id)
    statuses = list(selectors.statuses(selectors.with_facts(selectors.tasks(user).filter(plan=plan)), as_of).values())
    modes = {mode.value: sum(1 for st in statuses if mode in st.codes) for mode in rules.Mode}
    return {**_plan_row(plan), "as_of": as_of, "task_count": len(statuses), "lights": _light_counts(statuses),
            "failure_modes": modes}


def _plan_out(user, plan) -> dict:
    return _plan_row(selectors.plans(user).get(pk=plan.pk))


@plans_router.post("", response=responses({201: s.PlanOut}), **named("plans_create"), summary="Create a plan")
def plans_create(request, payload: s.PlanIn):
    """A master plan (总方案), or a sub-plan (子方案) decomposing a task, owned by a unit you may
    change, with the thresholds of its lights."""
    user = request.auth
    require_any(user, CHANGE)
    thresholds = (payload.thresholds or s.Thresholds()).dict()
    _check_thresholds(thresholds)
    plan = services.plan_create(
        actor=user, name=payload.name, unit=_unit(user, payload.unit, "unit"), kind=payload.kind,
        leader=_person(user, payload.leader, "leader") if payload.leader else None,
        parent_task=_task_ref(user, payload.parent_task, "parent_task") if payload.parent_task else None,
        year=payload.year, description=payload.description, **thresholds)
    return Status(201, _plan_out(user, plan))


@plans_router.patch("/{plan_id}", response=responses({200: s.PlanOut}), **named("plans_update"),
                    summary="Edit a plan")
def plans_update(request, plan_id: PlanIdPath, payload: s.PlanPatch):
    """Change the fields sent, thresholds included (预警阈值); only the thresholds sent change."""
    user = request.auth
    require_any(user, CHANGE)
    plan = get_or_404(selectors.plans(user), pk=plan_id)
    changes = payload.dict(exclude_unset=True)
    if "unit" in changes:
        changes["unit"] = _unit(user, changes["unit"], "unit")
    if "leader" in changes:
        changes["leader"] = _person(user, changes["leader"], "leader") if changes["leader"] else None
    if "parent_task" in changes:
        task_id = changes["parent_task"]
        changes["parent_task"] = _task_ref(user, task_id, "parent_task") if task_id else None
    thresholds = changes.pop("thresholds", None) or {}
    thresholds = {name: value for name, value in thresholds.items() if value is not None}
    if thresholds:
        _check_thresholds({**{name: getattr(plan, name) for name in THRESHOLD_FIELDS}, **thresholds})
    plan = services.plan_update(actor=user, plan=plan, **changes, **thresholds)
    return _plan_out(user, plan)


# --- tasks: rows with their status ---------------------------------------------------------------------

tasks_router = Router(tags=["tasks"])


def _status_fields(status: rules.Status) -> dict:
    return {
        "phase": status.phase.value, "light": status.light.value,
        "failure_modes": [code.value for code in status.codes],
        "failures": [{"code": m.code.value, "level": m.level.value, "rule": m.rule.value, "date": m.date,
                      "ref": m.ref, "value": m.value} for m in status.failure_modes],
        "deadline": status.deadline, "percent_complete": status.percent_complete,
        "last_report_on": status.last_report_on, "schedule_lag": status.schedule_lag,
        "next_report_due": status.next_report_due, "acknowledge_by": status.acknowledge_by,
        "completion": status.completion.value if status.completion else None,
    }


def _task_row(task: Task, status: rules.Status, subtree: list[rules.Status]) -> dict:
    return {
        "id": task.pk, "plan": task.plan_id, "plan_name": task.plan.name, "parent": task.parent_id,
        "number": task.number, "name": task.name, "priority": task.priority, "state": task.state,
        "cycle": task.cycle, "leader": task.leader.employee_no, "leader_name": task.leader.name,
        "lead_unit": task.lead_unit.code, "lead_unit_name": task.lead_unit.name,
        "responsible": task.responsible.employee_no, "responsible_name": task.responsible.name,
        "start_date": task.start_date, "issued_on": task.issued_on, "acknowledged_on": task.acknowledged_on,
        "completion_submitted_on": task.completion_submitted_on, "completed_on": task.completed_on,
        "cancelled_on": task.cancelled_on, "blocked_since": task.blocked_since, "blocked_reason": task.blocked_reason,
        "evaluation": task.evaluation, "baseline_deadline": task.baseline_deadline or task.deadline,
        **_status_fields(status),
        "has_children": bool(subtree), "subtree": _light_counts(subtree) if subtree else None,
    }


def _ancestor_ids(task: Task) -> list[int]:
    """The ids above a task, read from its materialized path ("1/5/23/")."""
    return [int(part) for part in task.path.split("/")[:-2]]


def _descendants(user, roots) -> list[Task]:
    """The tasks the user may see under any of `roots` (at every level), with their facts."""
    if not roots:
        return []
    under = Q()
    for root in roots:
        under |= Q(path__startswith=root.path)
    ids = {root.pk for root in roots}
    return [t for t in selectors.with_facts(selectors.tasks(user).filter(under)) if t.pk not in ids
            or set(_ancestor_ids(t)) & ids]


def _subtree_statuses(tasks, statuses) -> dict[int, list[rules.Status]]:
    """For every task that has any of `tasks` under it: their statuses."""
    out: dict[int, list[rules.Status]] = {}
    for task in tasks:
        for ancestor_id in _ancestor_ids(task):
            out.setdefault(ancestor_id, []).append(statuses[task.pk])
    return out


def _task_rows(user, chunk, statuses, as_of, calendar) -> list[dict]:
    """Output rows of a page of tasks (rows from `with_facts`), with the roll-up of the subtree of
    each parent among them, fetched for the whole page at once."""
    below = _descendants(user, [t for t in chunk if t.has_children])
    below_statuses = selectors.statuses(below, as_of, calendar)
    subtrees = _subtree_statuses(below, below_statuses)
    return [_task_row(t, statuses[t.pk], subtrees.get(t.pk, [])) for t in chunk]


def _filtered_tasks(user, filters: s.TaskFilters, due_after, due_before):
    qs = selectors.tasks(user).annotate(has_children=Exists(Task.objects.filter(parent_id=OuterRef("pk"))))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(number=filters.q))
    if filters.plan:
        qs = qs.filter(plan_id=filters.plan)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.lead_unit:
        qs = qs.filter(lead_unit__code=filters.lead_unit)
    if filters.lead_unit_subtree:
        qs = org_selectors.in_unit_subtree(qs, "lead_unit", filters.lead_unit_subtree)
    if filters.leader:
        qs = qs.filter(leader__employee_no=filters.leader)
    if filters.responsible:
        qs = qs.filter(responsible__employee_no=filters.responsible)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.mine:
        person_id = user.person_id
        mine = Q(leader_id=person_id) | Q(responsible_id=person_id) | Q(team__person_id=person_id)
        qs = qs.filter(pk__in=Task.objects.filter(mine).values("pk")) if person_id else qs.none()
    if filters.view:
        person_id = user.person_id
        own = {"mine": Q(responsible_id=person_id), "lead": Q(leader_id=person_id),
               "team": Q(team__person_id=person_id)}[filters.view]
        qs = qs.filter(pk__in=Task.objects.filter(own).values("pk")) if person_id else qs.none()
    if filters.person:
        named = Q(responsible__employee_no=filters.person) | Q(team__person__employee_no=filters.person)
        qs = qs.filter(pk__in=Task.objects.filter(named).values("pk"))
    # The deadline in force on any date lies between the original one and today's, since an
    # extension only ever moves it later: narrow here, decide on each task's status below.
    if due_after:
        qs = qs.filter(deadline__gte=due_after)
    if due_before:
        qs = qs.filter(Q(baseline_deadline__lte=due_before) | Q(baseline_deadline=None, deadline__lte=due_before))
    return qs


@tasks_router.get("", response=responses({200: s.TaskPage}), **named("tasks_list"), summary="List tasks")
def tasks_list(request, filters: Query[s.TaskFilters], page: Query[PageQuery]):
    """The key tasks you may see — those of your units' subtree and those you lead, own or are on
    the team of — each with its light (灯色), failure modes (问题类型: 有部署无回音, 有计划无进展,
    有安排实施不了, overdue, due soon) and due dates as of `as_of` (default today).

    `light`, `failure_mode`, `due_after` and `due_before` are decided on each task's status on
    `as_of`: they apply to the scoped result of the other filters, and `count` is the number
    of tasks that pass them all. A parent task carries its own light and, in `subtree`, the
    counts of the tasks under it by light."""
    user = request.auth
    as_of = parse_date(filters.as_of, "as_of") or clock.today()
    due_after, due_before = parse_date(filters.due_after, "due_after"), parse_date(filters.due_before, "due_before")
    qs = selectors.with_facts(_filtered_tasks(user, filters, due_after, due_before))
    calendar = Calendar()
    statuses = None
    if filters.light or filters.failure_mode or due_after or due_before:
        rows = list(qs)
        statuses = selectors.statuses(rows, as_of, calendar)
        rows = [t for t in selectors.matching(rows, statuses, light=filters.light, failure_mode=filters.failure_mode)
                if (not due_after or statuses[t.pk].deadline >= due_after)
                and (not due_before or statuses[t.pk].deadline <= due_before)]
    else:
        rows = qs

    def build(chunk):
        return _task_rows(user, chunk, statuses or selectors.statuses(chunk, as_of, calendar), as_of, calendar)

    return {**paginate(rows, page, build), "as_of": as_of}


# --- tasks: one task ------------------------------------------------------------------------------

def _detail_queryset(qs):
    return selectors.with_facts(qs.select_related("plan", "leader", "lead_unit", "responsible", "acknowledged_by")
                                .prefetch_related("co_units", Prefetch("team", TeamMember.objects.select_related(
                                    "person").order_by("id"))))


def _username(user):
    return user.username if user is not None else None


def _report_row(report: ProgressReport) -> dict:
    return {"id": report.pk, "reported_on": report.reported_on, "reported_by": _username(report.reported_by),
            "percent": report.percent, "text": report.text, "problems": report.problems,
            "created_at": report.created_at}


def _extension_row(e: Extension) -> dict:
    return {"id": e.pk, "requested_on": e.requested_on, "requested_by": _username(e.requested_by), "reason": e.reason,
            "new_deadline": e.new_deadline, "percent": e.percent, "status": e.status, "decided_on": e.decided_on,
            "decided_by": _username(e.decided_by), "decision_note": e.decision_note}


def _extensions(task):
    return Extension.objects.filter(task=task).select_related("requested_by", "decided_by").order_by("requested_on",
                                                                                                      "id")


def _reports(task):
    return ProgressReport.objects.filter(task=task).select_related("reported_by").order_by("-reported_on", "-id")


def _detail(user, task: Task, as_of: dt.date | None = None) -> dict:
    """Everything about one task (a row of `_detail_queryset`): its status and its visible
    sub-tasks' on `as_of`, its team, chart, reports and extensions."""
    as_of = as_of or clock.today()
    calendar = Calendar()
    below = _descendants(user, [task])
    statuses = selectors.statuses([task, *below], as_of, calendar)
    subtrees = _subtree_statuses(below, statuses)
    children = [t for t in below if t.parent_id == task.pk]
    return {
        **_task_row(task, statuses[task.pk], subtrees.get(task.pk, [])),
        "as_of": as_of, "goal": task.goal, "measures": task.measures, "source": task.source,
        "sort_order": task.sort_order,
        "co_units": [{"code": u.code, "name": u.name} for u in task.co_units.all()],
        "team": [{"employee_no": m.person.employee_no, "name": m.person.name, "role": m.role} for m in task.team.all()],
        "milestones": [{"id": m.pk, "due": m.due, "description": m.description, "done_on": m.done_on,
                        "evidence": m.evidence} for m in task.milestones.all()],
        "reports": [_report_row(r) for r in _reports(task)],
        "extensions": [_extension_row(e) for e in _extensions(task)],
        "children": [_task_row(c, statuses[c.pk], subtrees.get(c.pk, [])) for c in children],
        "acknowledged_by": _username(task.acknowledged_by), "completion_evidence": task.completion_evidence,
        "return_reason": task.return_reason, "evaluation_note": task.evaluation_note,
        "cancel_reason": task.cancel_reason,
        "chases": [_chase_row(c) for c in _chases(task)],
    }


def _chases(task):
    return (Chase.objects.filter(task=task).select_related("issuer", "issued_by")
            .prefetch_related(Prefetch("recipients", Person.objects.order_by("pk"))).order_by("issued_on", "id"))


def _chase_row(chase: Chase) -> dict:
    return {"id": chase.pk, "number": chase.number, "issued_on": chase.issued_on,
            "issued_by": _username(chase.issued_by), "issuer": chase.issuer.code, "issuer_name": chase.issuer.name,
            "message": chase.message, "reply_by": chase.reply_by,
            "recipients": [{"employee_no": p.employee_no, "name": p.name} for p in chase.recipients.all()]}


def _after(user, task) -> dict:
    """The task as it stands after a write the user was allowed to make: read back by id, since
    the write itself may have taken it out of the user's view (a new lead unit, say)."""
    return _detail(user, _detail_queryset(Task.objects.all()).get(pk=task.pk))


@tasks_router.get("/stats", response=responses({200: s.StatsOut}), **named("tasks_stats"), summary="Task statistics")
def tasks_stats(request, query: Query[s.StatsQuery]):
    """For the tasks you may see (optionally one plan's), as of `as_of`: counts by light and phase,
    on-time completion rate (按期办结率), average acknowledgement time in working days, share of
    tasks in progress reporting on time — in total and per plan, lead unit and leader in charge —
    and the lights on each of the last 12 Mondays."""
    as_of = parse_date(query.as_of, "as_of") or clock.today()
    rows = selectors.with_facts(selectors.tasks(request.auth))
    if query.plan:
        rows = rows.filter(plan_id=query.plan)
    summary = stats.compute(rows, as_of, Calendar())
    return {"as_of": as_of, "overall": summary.overall.as_dict(),
            **{f"by_{name}": [g.as_dict() for g in groups] for name, groups in summary.groups.items()},
            "trend": summary.trend}


def _bulletin(user, query: s.BulletinQuery):
    as_of = parse_date(query.as_of, "as_of") or clock.today()
    date_from = parse_date(query.date_from, "date_from") or bulletin.default_period(as_of)[0]
    if date_from > as_of:
        raise invalid("date_from", _("The period cannot start after it ends."))
    plan = None
    if query.plan:
        # A plan is named by whoever sees one of its tasks, as on the pages.
        plan = (Plan.objects.filter(Q(pk__in=selectors.plans(user).values("pk"))
                                    | Q(pk__in=selectors.tasks(user).values("plan_id")))
                .select_related("unit").filter(pk=query.plan).first())
        if plan is None:
            raise invalid("plan", _("No plan %(id)s within your scope.") % {"id": query.plan})
    unit = None
    if query.lead_unit_subtree:
        unit = (Unit.objects.filter(Q(pk__in=Unit.objects.restrict(user, VIEW).values("pk"))
                                    | Q(pk__in=selectors.tasks(user).values("lead_unit_id")))
                .filter(code=query.lead_unit_subtree).first())
        if unit is None:
            raise invalid("lead_unit_subtree", _("No unit with code “%(code)s” within your scope.") % {
                "code": query.lead_unit_subtree})
    return bulletin.for_user(user, date_from=date_from, date_to=as_of, plan=plan, unit=unit, title=query.title,
                             issuer=query.issuer)


def _bulletin_task(line) -> dict:
    task, status = line.task, line.status
    return {"id": task.pk, "number": task.number, "name": task.name, "plan": task.plan_id,
            "lead_unit": task.lead_unit.code, "lead_unit_name": task.lead_unit.name,
            "responsible": task.responsible.employee_no, "responsible_name": task.responsible.name,
            "light": status.light.value, "failure_modes": [code.value for code in status.codes],
            "problems": [problem_text(mode, task) for mode in status.failure_modes], "deadline": status.deadline,
            "baseline_deadline": task.baseline_deadline or task.deadline, "percent_complete": status.percent_complete}


def _rank_row(rank) -> dict:
    rates = rank.rates
    return {"rank": rank.rank, "unit": rank.unit.code, "unit_name": rank.unit.name, "total": rank.figures.total,
            "live": rank.live, "red": rank.red, "on_time_rate": rates["on_time"],
            "free_of_red_rate": rates["free_of_red"], "reporting_rate": rates["reporting"],
            "acknowledging_rate": rates["acknowledging"], "score": rank.score}


@tasks_router.get("/bulletin", response=responses({200: s.BulletinOut}), **named("tasks_bulletin"),
                  summary="Bulletin of a period (通报)")
def tasks_bulletin(request, query: Query[s.BulletinQuery]):
    """The bulletin (通报) of the tasks you may see — optionally one plan's, or those led within a
    unit's subtree — for the period from `date_from` to `as_of`: figures on `as_of`, what was
    issued, completed and returned within the period, the red and overdue tasks, and the lead
    units ranked by a weighted score (see `scoring`)."""
    found = _bulletin(request.auth, query)
    period = found.period
    return {
        "title": found.title, "issuer": found.issuer, "date_from": found.date_from, "as_of": found.date_to,
        "plan": found.plan.pk if found.plan else None,
        "lead_unit_subtree": found.unit.code if found.unit else None, "figures": found.figures.as_dict(),
        "period": {"issued": period.issued, "completed": period.completed,
                   "completed_on_time": period.completed_on_time, "on_time_rate": period.on_time_rate,
                   "returned": period.returned},
        "red": [_bulletin_task(line) for line in found.red],
        "overdue": [_bulletin_task(line) for line in found.overdue],
        "returned": [{"task": r.task.pk, "number": r.task.number, "name": r.task.name,
                      "lead_unit": r.task.lead_unit.code, "lead_unit_name": r.task.lead_unit.name,
                      "returned_on": r.returned_on, "submitted_on": r.submitted_on, "reason": r.reason}
                     for r in found.returned],
        "ranking": [_rank_row(rank) for rank in found.ranking],
        "scoring": documents.score_note(),
    }


def _file(content: bytes, content_type: str, filename: str) -> dict:
    return {"filename": filename, "content_type": content_type, "content": base64.b64encode(content).decode()}


@tasks_router.get("/bulletin/file", response=responses({200: s.FileOut}), **named("tasks_bulletin_file"),
                  summary="Bulletin as Word or PDF (通报文件)")
def tasks_bulletin_file(request, query: Query[s.BulletinFileQuery]):
    """The same bulletin as a document to print or send: Word (docx, 黑体 headings, 仿宋 text,
    tables with borders) or PDF (A4), base64-encoded."""
    layout = documents.bulletin_layout(_bulletin(request.auth, query))
    day = parse_date(query.as_of, "as_of") or clock.today()
    if query.format == "docx":
        return _file(documents.bulletin_docx(layout), documents.DOCX, f"bulletin-{day.isoformat()}.docx")
    return _file(documents.bulletin_pdf(layout), documents.PDF, f"bulletin-{day.isoformat()}.pdf")


@tasks_router.get("/{task_id}", response=responses({200: s.TaskDetail}), **named("tasks_get"),
                  summary="Get a task")
def tasks_get(request, task_id: TaskIdPath, query: Query[s.TaskAsOfQuery]):
    """One task with its light on `as_of`, team (专项领导小组), co-operating units (配合部门),
    milestones (节点), progress reports (进展反馈), extension requests (延期申请) and sub-tasks."""
    user = request.auth
    as_of = parse_date(query.as_of, "as_of")
    return _detail(user, get_or_404(_detail_queryset(selectors.tasks(user)), pk=task_id), as_of)


@tasks_router.post("", response=responses({201: s.TaskDetail}), **named("tasks_create"), summary="Create a task")
def tasks_create(request, payload: s.TaskIn):
    """A draft task in a plan you manage, with its team and milestones. It reaches the responsible
    side when issued (下达)."""
    user = request.auth
    require_any(user, CHANGE)
    plan = _plan_ref(user, payload.plan, "plan")
    team_numbers = [m.employee_no for m in payload.team]
    if len(set(team_numbers)) != len(team_numbers):
        raise invalid("team", _("A person can hold only one seat in the team."))
    task = services.task_create(
        actor=user, plan=plan, parent=_task_ref(user, payload.parent, "parent") if payload.parent else None,
        number=payload.number, name=payload.name, goal=payload.goal, measures=payload.measures, source=payload.source,
        priority=payload.priority, leader=_person(user, payload.leader, "leader"),
        lead_unit=_unit(user, payload.lead_unit, "lead_unit"),
        co_units=[_unit(user, code, "co_units") for code in payload.co_units],
        responsible=_person(user, payload.responsible, "responsible"), start_date=payload.start_date,
        deadline=payload.deadline, cycle=payload.cycle,
        team=[(_person(user, m.employee_no, "team"), m.role) for m in payload.team],
        milestones=[(m.due, m.description) for m in payload.milestones], sort_order=payload.sort_order)
    return Status(201, _after(user, task))


@tasks_router.patch("/{task_id}", response=responses({200: s.TaskDetail}), **named("tasks_update"),
                    summary="Edit a task")
def tasks_update(request, task_id: TaskIdPath, payload: s.TaskPatch):
    """Change the fields sent; for the leader in charge and whoever manages the plan. Once issued,
    the deadline moves only through an approved extension (延期申请)."""
    user = request.auth
    task = _task_or_404(user, task_id)
    # Before the references are looked up, so that someone who may not edit the task learns
    # nothing from which of them exist.
    if not services.can_supervise(user, task):
        raise OutOfScope()
    changes = payload.dict(exclude_unset=True)
    team, co_units, milestones = (changes.pop(name, None) for name in ("team", "co_units", "milestones"))
    for field in ("leader", "responsible"):
        if field in changes:
            changes[field] = _person(user, changes[field], field)
    if "lead_unit" in changes:
        changes["lead_unit"] = _unit(user, changes["lead_unit"], "lead_unit")
    task = services.task_edit(actor=user, task=task, changes=changes, team=_team(user, task, team),
                              co_units=_co_units(user, task, co_units), milestones=_milestones(task, milestones))
    return _after(user, task)


def _team(user, task, members):
    """The members named, looked up in the caller's scope or among the current team, whose
    members stay nameable even when they lie outside it."""
    if members is None:
        return None
    numbers = [m["employee_no"] for m in members]
    if len(set(numbers)) != len(numbers):
        raise invalid("team", _("A person can hold only one seat in the team."))
    people = {p.employee_no: p for p in (Person.objects.restrict(user, VIEW)
                                         | Person.objects.filter(task_teams__task=task)).filter(
                                             employee_no__in=numbers).distinct()}
    for no in numbers:
        if no not in people:
            raise invalid("team", _("No person with employee number “%(no)s” within your scope.") % {"no": no})
    # Nested fields left out are unset: a member sent without a role has none.
    return [(people[m["employee_no"]], m.get("role", "")) for m in members]


def _co_units(user, task, codes):
    if codes is None:
        return None
    units = {u.code: u for u in (Unit.objects.restrict(user, VIEW) | Unit.objects.filter(tasks_supported=task))
             .filter(code__in=codes).distinct()}
    for code in codes:
        if code not in units:
            raise invalid("co_units", _("No unit with code “%(code)s” within your scope.") % {"code": code})
    return [units[code] for code in codes]


def _milestones(task, items):
    if items is None:
        return None
    existing = {m.pk: m for m in task.milestones.all()}
    for item in items:
        if item.get("id") is not None and item["id"] not in existing:
            raise invalid("milestones", _("No milestone %(id)s in this task.") % {"id": item["id"]})
    return [(existing.get(item.get("id")), item["due"], item["description"]) for item in items]


# --- tasks: the steps of a task's life ------------------------------------------------------------

DETAIL = responses({200: s.TaskDetail})


@tasks_router.post("/{task_id}/issue", response=DETAIL, **named("tasks_issue"), summary="Issue a task (下达)")
def tasks_issue(request, task_id: TaskIdPath, payload: s.OnIn):
    """下达: a draft goes to its responsible person and lead unit, who must acknowledge it; its
    deadline becomes the baseline. For the leader in charge and whoever manages the plan."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.task_issue(actor=request.auth, task=task, on=payload.on))


@tasks_router.post("/{task_id}/acknowledge", response=DETAIL, **named("tasks_acknowledge"),
                   summary="Acknowledge a task (签收)")
def tasks_acknowledge(request, task_id: TaskIdPath, payload: s.OnIn):
    """签收 by the responsible person or whoever may change the lead unit; until then the task
    shows 有部署无回音 after the plan's threshold."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.task_acknowledge(actor=request.auth, task=task, on=payload.on))


@tasks_router.get("/{task_id}/reports", response=responses({200: s.ReportPage}), **named("tasks_reports"),
                  summary="Progress reports of a task (进展反馈)")
def tasks_reports(request, task_id: TaskIdPath, page: Query[PageQuery]):
    """Its progress reports, newest first."""
    task = _task_or_404(request.auth, task_id)
    return paginate(_reports(task), page, lambda chunk: [_report_row(r) for r in chunk])


@tasks_router.post("/{task_id}/reports", response=responses({201: s.ReportOut}), **named("tasks_report"),
                   summary="Report progress (进展反馈)")
def tasks_report(request, task_id: TaskIdPath, payload: s.ReportIn):
    """进展反馈: progress, percent complete and problems, by the responsible side or a team
    member, once the task is acknowledged. One report a cycle keeps 有计划无进展 away."""
    task = _task_or_404(request.auth, task_id)
    report = services.progress_report(actor=request.auth, task=task, percent=payload.percent, text=payload.text,
                                      problems=payload.problems, on=payload.on)
    return Status(201, _report_row(report))


@tasks_router.post("/{task_id}/milestones/{milestone_id}/done", response=DETAIL, **named("tasks_milestone_done"),
                   summary="Mark a milestone done (节点完成)")
def tasks_milestone_done(request, task_id: TaskIdPath, milestone_id: MilestoneIdPath, payload: s.MilestoneDoneIn):
    """A milestone of the chart is reached, with its evidence; by whoever may report."""
    task = _task_or_404(request.auth, task_id)
    milestone = get_or_404(Milestone.objects.filter(task=task), pk=milestone_id)
    services.milestone_done(actor=request.auth, milestone=milestone, evidence=payload.evidence, on=payload.on)
    return _after(request.auth, task)


@tasks_router.post("/{task_id}/block", response=DETAIL, **named("tasks_block"), summary="Mark a task blocked")
def tasks_block(request, task_id: TaskIdPath, payload: s.ReasonIn):
    """有安排实施不了: the responsible side says the task is stuck and why; it shows yellow."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.task_mark_blocked(actor=request.auth, task=task, reason=payload.reason,
                                                           on=payload.on))


@tasks_router.post("/{task_id}/unblock", response=DETAIL, **named("tasks_unblock"), summary="Clear the blocked mark")
def tasks_unblock(request, task_id: TaskIdPath):
    """The responsible side says the task can go on."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.task_unblock(actor=request.auth, task=task))


@tasks_router.post("/{task_id}/completion", response=DETAIL, **named("tasks_submit_completion"),
                   summary="Submit completion (办结申请)")
def tasks_submit_completion(request, task_id: TaskIdPath, payload: s.CompletionIn):
    """办结申请 with evidence, by the responsible side; the supervisor then accepts or returns it."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.completion_submit(actor=request.auth, task=task, evidence=payload.evidence,
                                                           on=payload.on))


@tasks_router.post("/{task_id}/completion/accept", response=DETAIL, **named("tasks_accept_completion"),
                   summary="Accept completion (办结)")
def tasks_accept_completion(request, task_id: TaskIdPath, payload: s.OnIn):
    """The leader in charge or whoever manages the plan accepts: the task is completed as of the
    day completion was submitted, on time or late against the original deadline."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.completion_accept(actor=request.auth, task=task, on=payload.on))


@tasks_router.post("/{task_id}/completion/return", response=DETAIL, **named("tasks_return_completion"),
                   summary="Return completion (退办)")
def tasks_return_completion(request, task_id: TaskIdPath, payload: s.ReasonIn):
    """退办: the supervisor sends the completion back with a reason; the task is under way again."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.completion_return(actor=request.auth, task=task, reason=payload.reason,
                                                           on=payload.on))


@tasks_router.post("/{task_id}/evaluate", response=DETAIL, **named("tasks_evaluate"),
                   summary="Evaluate a task (评价)")
def tasks_evaluate(request, task_id: TaskIdPath, payload: s.EvaluationIn):
    """评价 (优/良/中/差) by the supervisor closes a completed task."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.task_evaluate(actor=request.auth, task=task, evaluation=payload.evaluation,
                                                       note=payload.note))


@tasks_router.post("/{task_id}/cancel", response=DETAIL, **named("tasks_cancel"), summary="Cancel a task (作废)")
def tasks_cancel(request, task_id: TaskIdPath, payload: s.ReasonIn):
    """作废 with a reason, by the supervisor; the task leaves every count of open work."""
    task = _task_or_404(request.auth, task_id)
    return _after(request.auth, services.task_cancel(actor=request.auth, task=task, reason=payload.reason,
                                                     on=payload.on))


@tasks_router.get("/{task_id}/extensions", response=responses({200: s.ExtensionPage}), **named("tasks_extensions"),
                  summary="Extension requests of a task (延期申请)")
def tasks_extensions(request, task_id: TaskIdPath, page: Query[PageQuery]):
    """Its deadline extension requests, oldest first, with their decisions."""
    task = _task_or_404(request.auth, task_id)
    return paginate(_extensions(task), page, lambda chunk: [_extension_row(e) for e in chunk])


@tasks_router.post("/{task_id}/extensions", response=responses({201: s.ExtensionOut}),
                   **named("tasks_request_extension"), summary="Request an extension (延期申请)")
def tasks_request_extension(request, task_id: TaskIdPath, payload: s.ExtensionIn):
    """延期申请 by the responsible side: reason, new deadline and current progress, for the leader
    in charge to decide. One request at a time."""
    task = _task_or_404(request.auth, task_id)
    extension = services.extension_request(actor=request.auth, task=task, reason=payload.reason,
                                           new_deadline=payload.new_deadline, percent=payload.percent, on=payload.on)
    return Status(201, _extension_row(_extensions(task).get(pk=extension.pk)))


@tasks_router.post("/{task_id}/extensions/{extension_id}/decide", response=responses({200: s.ExtensionOut}),
                   **named("tasks_decide_extension"), summary="Decide an extension request (延期审批)")
def tasks_decide_extension(request, task_id: TaskIdPath, extension_id: ExtensionIdPath, payload: s.DecisionIn):
    """The leader in charge or whoever manages the plan approves — the deadline moves, the original
    stays the baseline that assessment sees — or rejects."""
    task = _task_or_404(request.auth, task_id)
    extension = get_or_404(Extension.objects.filter(task=task), pk=extension_id)
    services.extension_decide(actor=request.auth, extension=extension,
                              approve=payload.decision == Extension.Status.APPROVED, note=payload.note, on=payload.on)
    return _extension_row(_extensions(task).get(pk=extension.pk))


@tasks_router.post("/{task_id}/chases", response=responses({201: s.ChaseOut}), **named("tasks_chase"),
                   summary="Chase a task by hand (催办)")
def tasks_chase(request, task_id: TaskIdPath, payload: s.ChaseIn):
    """催办 by the leader in charge or whoever manages the plan: the message goes to the
    responsible person — and, when asked, the lead unit's head and the leader in charge — by
    inbox, email and the lead unit's group robots; it is numbered as a supervision notice
    (督办〔年〕第N号), which `GET …/chases/{chase_id}/notice` prints."""
    task = _task_or_404(request.auth, task_id)
    chase = services.task_chase(actor=request.auth, task=task, message=payload.message, reply_by=payload.reply_by,
                                to_heads=payload.to_heads, to_leader=payload.to_leader, on=payload.on)
    return Status(201, _chase_row(_chases(task).get(pk=chase.pk)))


@tasks_router.get("/{task_id}/chases/{chase_id}/notice", response=responses({200: s.FileOut}),
                  **named("tasks_chase_notice"), summary="Supervision notice of a chase (督办单)")
def tasks_chase_notice(request, task_id: TaskIdPath, chase_id: ChaseIdPath):
    """The supervision notice (督办单) of a chase as PDF, base64-encoded: number, task, goal, lead
    unit, responsible person, deadline, light and failure modes on the day of the chase, what
    is required and by when, the issuing unit and the date."""
    task = get_or_404(selectors.with_facts(selectors.tasks(request.auth)), pk=task_id)
    chase = get_or_404(_chases(task), pk=chase_id)
    status = selectors.statuses([task], chase.issued_on)[task.pk]
    return _file(documents.chase_pdf(chase, task, status), documents.PDF, f"chase-{chase.year}-{chase.serial}.pdf")
