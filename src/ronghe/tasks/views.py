"""Pages of the Five-Ones mechanism (五个一): plans with their task trees, the chart (挂图作战),
the task list and the board by light, the task page with every step of a task's life, and the
forms. Thin: reads start from tasks.selectors, writes go through tasks.services; a plan or task
outside the viewer's scope answers 404. Every page can be seen as of a date (`?as_of=`)."""
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE
from ronghe.core.templatetags.ronghe import cndate
from ronghe.core.views import with_diffs
from ronghe.core.workdays import Calendar
from ronghe.org.models import Person, Unit
from ronghe.tasks import bulletin, documents, forms, selectors, services, stats
from ronghe.tasks.models import Chase, Extension, Plan, ProgressReport, Task
from ronghe.tasks.rules import Completion, Light, Mode, Phase, Rule, severity
from ronghe.tasks.wording import LIGHT_LABELS, MODE_LABELS

PAGE_SIZE = 50
BOARD_LIMIT = 40
PEOPLE_SUGGESTIONS = 20
S = Task.State


# --- how lights and failure modes look -----------------------------------------------------------

@dataclass(frozen=True)
class Look:
    code: str
    label: Promise
    badge: str    # CSS classes of the light's badge
    chip: str     # CSS classes of a lighter chip (failure modes, counts)
    colour: str   # the chart's colour


LIGHTS = {look.code: look for look in [
    Look(Light.RED, LIGHT_LABELS[Light.RED], "bg-red text-red-fg", "bg-red-lt", "#d63939"),
    Look(Light.YELLOW, LIGHT_LABELS[Light.YELLOW], "bg-yellow text-yellow-fg", "bg-yellow-lt", "#f59f00"),
    Look(Light.BLUE, LIGHT_LABELS[Light.BLUE], "bg-blue text-blue-fg", "bg-blue-lt", "#206bc4"),
    Look(Light.GREEN, LIGHT_LABELS[Light.GREEN], "bg-green text-green-fg", "bg-green-lt", "#2fb344"),
    Look(Light.GREY, LIGHT_LABELS[Light.GREY], "bg-secondary text-secondary-fg", "bg-secondary-lt",
         "#9ba3af"),
    Look(Light.DONE, LIGHT_LABELS[Light.DONE], "bg-teal text-teal-fg", "bg-teal-lt", "#0ca678"),
    Look(Light.CANCELLED, LIGHT_LABELS[Light.CANCELLED], "bg-dark-lt", "bg-dark-lt", "#ced4da"),
]}
BOARD = [Light.RED, Light.YELLOW, Light.BLUE, Light.GREEN, Light.GREY, Light.DONE]


def describe(mode, task, status, calendar) -> str:
    """One failure mode in words, e.g. “签收已超期 3 个工作日”."""
    day = cndate(mode.date)
    rule = mode.rule
    if rule is Rule.NOT_ACKNOWLEDGED:
        late = calendar.working_days_between(mode.date, status.as_of)
        if late < 1:
            return _("Not acknowledged by %(date)s as required") % {"date": day}
        return ngettext("Acknowledgement overdue by %(days)s working day (due %(date)s)",
                        "Acknowledgement overdue by %(days)s working days (due %(date)s)", late) % {
            "days": late, "date": day}
    if rule is Rule.REPORT_MISSING:
        return ngettext("No progress report since one was due on %(date)s (%(count)s cycle missed)",
                        "No progress report since one was due on %(date)s (%(count)s cycles missed)",
                        mode.value) % {"date": day, "count": mode.value}
    milestone = next((m.description for m in task.milestones.all() if m.pk == mode.ref), "")
    if rule is Rule.MILESTONE_MISSED:
        return _("Milestone “%(milestone)s” was due on %(date)s and is not done") % {
            "milestone": milestone, "date": day}
    if rule is Rule.MILESTONE_NEAR:
        return ngettext("Milestone “%(milestone)s” is due on %(date)s (%(days)s working day left)",
                        "Milestone “%(milestone)s” is due on %(date)s (%(days)s working days left)", mode.value) % {
            "milestone": milestone, "date": day, "days": mode.value}
    if rule is Rule.SCHEDULE_LAG:
        return _("Behind schedule by %(points)s points: %(elapsed)s%% of the time has passed, %(percent)s%% is "
                 "done") % {"points": mode.value, "elapsed": mode.value + status.percent_complete,
                            "percent": status.percent_complete}
    if rule is Rule.MARKED_BLOCKED:
        return _("Marked blocked since %(date)s: %(reason)s") % {"date": day, "reason": task.blocked_reason}
    if rule is Rule.REQUEST_OPEN:
        return _("A coordination request is open; its answer is due on %(date)s") % {"date": day}
    if rule is Rule.REQUEST_OVERDUE:
        return _("The answer to a coordination request was due on %(date)s and is overdue") % {"date": day}
    if rule is Rule.PAST_DEADLINE:
        if status.phase is Phase.SUBMITTED:
            return ngettext("Completion submitted %(days)s working day after the deadline of %(date)s",
                            "Completion submitted %(days)s working days after the deadline of %(date)s",
                            mode.value) % {"days": mode.value, "date": day}
        if mode.value < 1:
            return _("Past its deadline of %(date)s") % {"date": day}
        return ngettext("Overdue by %(days)s working day (deadline %(date)s)",
                        "Overdue by %(days)s working days (deadline %(date)s)", mode.value) % {
            "days": mode.value, "date": day}
    if mode.value < 1:
        return _("Due today (%(date)s)") % {"date": day}
    return ngettext("Deadline %(date)s: %(days)s working day left", "Deadline %(date)s: %(days)s working days left",
                    mode.value) % {"date": day, "days": mode.value}


def completion_text(task, status) -> str:
    if status.completion is Completion.ON_TIME:
        return _("Completed on time on %(date)s") % {"date": cndate(task.completed_on)}
    return _("Completed late on %(date)s (original deadline %(deadline)s)") % {
        "date": cndate(task.completed_on), "deadline": cndate(task.baseline_deadline)}


def _present(tasks, as_of, calendar):
    """Attach to each task (rows from selectors.with_facts) its status on `as_of` and how it
    looks: `look` (the light), `chips` (one per failure mode, worst level, explained)."""
    found = selectors.statuses(tasks, as_of, calendar)
    for task in tasks:
        status = task.status = found[task.pk]
        task.look = LIGHTS[status.light]
        chips = {}
        for mode in status.failure_modes:
            chip = chips.setdefault(mode.code, {"code": mode.code, "label": MODE_LABELS[mode.code],
                                                "css": LIGHTS[mode.level].chip, "texts": []})
            chip["texts"].append(describe(mode, task, status, calendar))
        task.chips = list(chips.values())
        task.depth = task.path.count("/") - 1
        # A task accepted as complete is whole, whatever its last report said.
        task.percent = 100 if status.light is Light.DONE else status.percent_complete
        task.completion_text = completion_text(task, status) if status.completion else ""
    return found


def light_counts(statuses) -> list[dict]:
    """How many tasks show each light of the board, in the board's order."""
    counts = defaultdict(int)
    for status in statuses:
        counts[status.light] += 1
    return [{"look": LIGHTS[light], "count": counts[light]} for light in BOARD]


def number_key(number: str):
    """1.2 before 1.10: the parts of a 序号 compared as numbers where they are."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.．\-、]", number or "") if part)


def _as_of(request):
    try:
        return clock.parse_as_of(request.GET.get("as_of"))
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _visible_plans(user):
    """The plans in the user's scope, and those holding a task the user can see: a responsible
    person reaches the plan of their task though the plan's unit is not theirs."""
    return (Plan.objects.filter(Q(pk__in=selectors.plans(user).values("pk"))
                                | Q(pk__in=selectors.tasks(user).values("plan_id")))
            .select_related("unit", "leader", "parent_task"))


def _run(form, call, field_map=None):
    """Call a service with the form's data; its ValidationError goes onto the form."""
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


# --- plans ---------------------------------------------------------------------------------------

def plan_list(request):
    user = request.user
    as_of = _as_of(request)
    params = request.GET
    qs = _visible_plans(user)
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    if _int(params.get("year")):
        qs = qs.filter(year=_int(params["year"]))
    if params.get("kind") in Plan.Kind.values:
        qs = qs.filter(kind=params["kind"])
    if params.get("archived") != "1":
        qs = qs.filter(archived=False)
    page = Paginator(qs.order_by("-year", "kind", "name", "pk"), PAGE_SIZE).get_page(params.get("page"))
    plans = list(page.object_list)
    rows = list(selectors.with_facts(selectors.tasks(user).filter(plan__in=plans)))
    found = _present(rows, as_of or clock.today(), Calendar())
    by_plan = defaultdict(list)
    for task in rows:
        by_plan[task.plan_id].append(found[task.pk])
    parents_visible = set(selectors.tasks(user).filter(pk__in=[p.parent_task_id for p in plans if p.parent_task_id])
                          .values_list("pk", flat=True))
    for plan in plans:
        plan.parent_visible = plan.parent_task_id in parents_visible
        plan.task_count = len(by_plan[plan.pk])
        plan.counts = light_counts(by_plan[plan.pk])
    return render(request, "tasks/plan_list.html", {
        "page_obj": page, "plans": plans, "as_of": as_of, "kinds": Plan.Kind.choices,
        "can_create": Unit.objects.restrict(user, CHANGE).exists(),
    })


def _tree(tasks):
    """The plan's visible tasks in tree order, each with `depth`, `ancestors`, `kids` and
    `rollup` (the lights of its subtree). A task whose parent the viewer cannot see is a root."""
    by_id = {task.pk: task for task in tasks}
    children = defaultdict(list)
    for task in tasks:
        children[task.parent_id if task.parent_id in by_id else None].append(task)

    def order(task):
        return task.sort_order, number_key(task.number), task.pk

    out = []

    def walk(task, depth, ancestors):
        task.depth, task.ancestors = depth, ancestors
        task.kids = sorted(children[task.pk], key=order)
        out.append(task)
        below = []
        for kid in task.kids:
            below.append(kid.status)
            below += walk(kid, depth + 1, [*ancestors, task.pk])
        task.rollup = [c for c in light_counts(below) if c["count"]] if task.kids else []
        return below

    for root in sorted(children[None], key=order):
        walk(root, 0, [])
    return out


def _plan_tasks(user, plan, day, calendar):
    tasks = list(selectors.with_facts(selectors.tasks(user).filter(plan=plan)))
    found = _present(tasks, day, calendar)
    return _tree(tasks), found


def _plan_context(request, plan_id):
    user = request.user
    plan = get_object_or_404(_visible_plans(user), pk=plan_id)
    as_of = _as_of(request)
    day = as_of or clock.today()
    rows, found = _plan_tasks(user, plan, day, Calendar())
    return {
        "plan": plan, "rows": rows, "as_of": as_of, "day": day,
        "counts": light_counts(found.values()), "total": len(rows),
        "max_depth": max((row.depth for row in rows), default=0),
        "can_manage": services.can_manage_plan(user, plan),
        "parent_visible": plan.parent_task_id is not None
        and selectors.tasks(user).filter(pk=plan.parent_task_id).exists(),
    }


def plan_detail(request, plan_id):
    context = _plan_context(request, plan_id)
    plan = context["plan"]
    context["sub_plans"] = _visible_plans(request.user).filter(parent_task__plan=plan).order_by("name")
    context["thresholds"] = [(plan._meta.get_field(name).verbose_name, getattr(plan, name))
                             for name in forms.THRESHOLD_FIELDS]
    context["audit_trail"] = with_diffs(audit.history(plan).restrict(request.user)[:50], request.user)
    return render(request, "tasks/plan_detail.html", context)


def plan_chart(request, plan_id):
    """挂图作战: the plan's tasks as a Gantt chart drawn from live data."""
    context = _plan_context(request, plan_id)
    day = context["day"]
    visible = {row.pk for row in context["rows"]}
    context["chart"] = {
        "asOf": day.isoformat(),
        "rows": [_chart_row(row, day, visible) for row in context["rows"]],
        "text": {
            "today": _("Today") if context["as_of"] is None else _("As of %(date)s") % {"date": cndate(day)},
            "start": _("Start"), "deadline": _("Deadline"), "baseline": _("Original deadline"),
            "responsible": _("Responsible"), "leadUnit": _("Lead unit"), "leader": _("Leader in charge"),
            "percent": _("Percent complete"), "milestone": _("Milestone"), "done": _("done"),
            "open": _("open"), "missed": _("missed"), "state": _("State"), "light": _("Light"),
        },
    }
    return render(request, "tasks/plan_chart.html", context)


def _chart_row(task, day, visible):
    status = task.status
    end = status.deadline
    # A draft without a start date is drawn from the day the chart is seen on.
    start = min(task.start_date or task.issued_on or day, end)
    baseline = task.baseline_deadline if task.baseline_deadline and task.baseline_deadline != end else None
    milestones = []
    for m in task.milestones.all():
        done = m.done_on is not None and m.done_on <= day
        milestones.append({"due": m.due.isoformat(), "text": m.description, "done": done,
                           "missed": not done and m.due < day})
    return {
        "id": task.pk, "parent": task.parent_id if task.parent_id in visible else None,
        "depth": task.depth, "hasChildren": bool(task.kids), "label": str(task),
        "url": reverse("task_detail", args=[task.pk]),
        "start": start.isoformat(), "end": end.isoformat(), "baseline": baseline.isoformat() if baseline else None,
        "light": str(status.light), "colour": task.look.colour, "lightLabel": str(task.look.label),
        "percent": task.percent, "state": task.get_state_display(),
        "responsible": task.responsible.name, "leader": task.leader.name, "leadUnit": task.lead_unit.name,
        "modes": [text for chip in task.chips for text in chip["texts"]] or ([task.completion_text]
                                                                              if task.completion_text else []),
        "milestones": milestones,
    }


def _plan_form_page(request, plan=None):
    user = request.user
    initial = {}
    if plan is None:
        initial = {"parent_task": request.GET.get("parent_task") or None}
        if request.GET.get("parent_task"):
            initial["kind"] = Plan.Kind.SUB
    form = forms.PlanForm(request.POST if request.method == "POST" else None, user=user, plan=plan,
                          tasks=selectors.tasks(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        if plan is None:
            done = _run(form, lambda: services.plan_create(actor=user, **data))
        else:
            changes = {name: value for name, value in data.items() if getattr(plan, name) != value}
            done = _run(form, lambda: services.plan_update(actor=user, plan=plan, **changes)) if changes else plan
        if done is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": done.name})
            return redirect("plan_detail", done.pk)
    title = _("New plan") if plan is None else _("Edit · %(name)s") % {"name": plan.name}
    return render(request, "tasks/plan_form.html", {"form": form, "plan": plan, "title": title})


def plan_create(request):
    if not Unit.objects.restrict(request.user, CHANGE).exists():
        raise Http404
    return _plan_form_page(request)


def plan_edit(request, plan_id):
    plan = get_object_or_404(selectors.plans(request.user, CHANGE), pk=plan_id)
    return _plan_form_page(request, plan)


# --- task list and board -------------------------------------------------------------------------

SORTS = {
    "light": (lambda t: (-severity(t.status.light), t.status.deadline, t.pk), False),
    "deadline": (lambda t: (t.status.deadline, t.pk), False),
    "-deadline": (lambda t: (t.status.deadline, t.pk), True),
    "number": (lambda t: (t.plan_id, number_key(t.number), t.pk), False),
    "percent": (lambda t: (t.percent, t.pk), False),
    "-percent": (lambda t: (t.percent, t.pk), True),
    "name": (lambda t: (t.name, t.pk), False),
}
VIEWS = {
    "mine": gettext_lazy("My tasks"),
    "team": gettext_lazy("My team's tasks"),
    "lead": gettext_lazy("Tasks I lead"),
}
FINISHED = (S.COMPLETED, S.CLOSED, S.CANCELLED)


def _known_units(user):
    """Units a filter may name: those in scope and those leading a task the user can see."""
    return Unit.objects.filter(Q(pk__in=Unit.objects.restrict(user).values("pk"))
                               | Q(pk__in=selectors.tasks(user).values("lead_unit_id")))


def _person_filter(text):
    match = forms.NAME_AND_NUMBER.match(text)
    if match:
        people = Q(employee_no=match["no"])
    else:
        people = Q(employee_no=text) | Q(name=text)
    ids = Person.objects.filter(people).values("pk")
    return Q(responsible__in=ids) | Q(pk__in=Task.objects.filter(team__person__in=ids).values("pk"))


def _filtered_tasks(request):
    """The tasks the list and the board show, with their statuses, and what the filters chose."""
    user = request.user
    params = request.GET
    as_of = _as_of(request)
    day = as_of or clock.today()
    qs = selectors.tasks(user)
    chosen = {}
    if _int(params.get("plan")):
        qs = qs.filter(plan_id=_int(params["plan"]))
    if _int(params.get("leader")):
        qs = qs.filter(leader_id=_int(params["leader"]))
    if params.get("unit", "").strip():
        chosen["unit"] = _known_units(user).filter(code=params["unit"].strip()).first()
        qs = qs.filter(lead_unit__path__startswith=chosen["unit"].path) if chosen["unit"] else qs.none()
    person = params.get("person", "").strip()
    if person:
        qs = qs.filter(_person_filter(person))
    state = params.get("state", "")
    if state in S.values:
        qs = qs.filter(state=state)
    elif state == "open":
        qs = qs.exclude(state__in=FINISHED)
    elif state != "all":
        qs = qs.exclude(state=S.CANCELLED)
    q = params.get("q", "").strip()
    if q:
        # A 序号 finds its task and those under it ("1": 1, 1.1, 1.2.1 …); "1." only those under it.
        numbers = Q(number__startswith=q) if q.endswith(".") else Q(number=q) | Q(number__startswith=f"{q}.")
        qs = qs.filter(Q(name__icontains=q) | numbers | Q(goal__icontains=q) | Q(measures__icontains=q)
                       | Q(source__icontains=q))
    for name, lookup in (("due_from", "deadline__gte"), ("due_to", "deadline__lte")):
        try:
            day_given = clock.parse_as_of(params.get(name))
        except clock.BadDate as exc:
            messages.error(request, str(exc))
            day_given = None
        if day_given:
            qs = qs.filter(**{lookup: day_given})
    view = params.get("view", "")
    if view in VIEWS:
        person_id = user.person_id
        qs = qs.filter({"mine": Q(responsible_id=person_id), "lead": Q(leader_id=person_id),
                        "team": Q(pk__in=Task.objects.filter(team__person_id=person_id).values("pk"))}[view])
    rows = list(selectors.with_facts(qs))
    found = _present(rows, day, Calendar())
    counts = light_counts(found.values())
    light = params.get("light") if params.get("light") in {light.value for light in Light} else None
    mode = params.get("failure_mode") if params.get("failure_mode") in {mode.value for mode in Mode} else None
    rows = selectors.matching(rows, found, light=light, failure_mode=mode)
    return rows, {"as_of": as_of, "counts": counts, "chosen": chosen, "view": view, "light": light, "mode": mode}


def _filter_options(user):
    return {
        "plans": _visible_plans(user).order_by("-year", "name"),
        "leaders": Person.objects.filter(pk__in=selectors.tasks(user).values("leader_id")).order_by("name"),
        "lead_units": Unit.objects.filter(pk__in=selectors.tasks(user).values("lead_unit_id")).order_by("path"),
        "states": [("open", _("Open (not finished)")), ("all", _("All, cancelled included")), *S.choices],
        "lights": [LIGHTS[light] for light in [*BOARD, Light.CANCELLED]],
        "modes": list(MODE_LABELS.items()),
        "views": list(VIEWS.items()),
    }


def task_list(request):
    rows, context = _filtered_tasks(request)
    sort = request.GET.get("sort", "light")
    key, reverse_order = SORTS.get(sort, SORTS["light"])
    rows.sort(key=key, reverse=reverse_order)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {**context, **_filter_options(request.user), "page_obj": page,
                                                    "sort": sort if sort in SORTS else "light"})


def task_board(request):
    """The board by light: a column per light, the worst-placed tasks of each first."""
    rows, context = _filtered_tasks(request)
    rows.sort(key=SORTS["deadline"][0])
    columns = {light: [] for light in BOARD}
    for task in rows:
        if task.status.light in columns:
            columns[task.status.light].append(task)
    board = [{"look": LIGHTS[light], "tasks": tasks[:BOARD_LIMIT], "more": max(0, len(tasks) - BOARD_LIMIT),
              "count": len(tasks)} for light, tasks in columns.items()]
    return render(request, "tasks/task_board.html", {**context, **_filter_options(request.user), "board": board})


@require_GET
def people_options(request):
    """Suggestions for a person field: active people in scope whose name or number starts so."""
    q = request.GET.get("q", "").strip()
    people = []
    if q:
        people = (Person.objects.restrict(request.user).filter(is_active=True)
                  .filter(Q(name__startswith=q) | Q(employee_no__startswith=q))
                  .select_related("unit").order_by("name", "employee_no")[:PEOPLE_SUGGESTIONS])
    return render(request, "tasks/_people_options.html", {"people": people})


# --- the task page and its steps -----------------------------------------------------------------

def _task(user, task_id):
    return get_object_or_404(selectors.with_facts(selectors.tasks(user)).select_related(
        "plan__unit", "plan__leader", "parent", "acknowledged_by"), pk=task_id)


@dataclass(frozen=True)
class Step:
    """One step of a task's life as the task page offers it."""

    name: str
    label: Promise
    icon: str
    who: str                  # "supervise", "own" or "report": services.can_<who>
    states: tuple | None      # the states it applies to; None: any
    form: type
    run: object               # (actor, task, cleaned data, pending extension) -> result
    done: Promise
    primary: bool = False
    danger: bool = False
    when: object = None       # (task, pending extension) -> bool, beyond the state

    def applies(self, task, pending) -> bool:
        return (self.states is None or task.state in self.states) and (self.when is None or self.when(task, pending))


WHO = {"supervise": services.can_supervise, "own": services.can_own, "report": services.can_report}
WORKING = (S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)
REPORTING = (S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)

STEPS = {step.name: step for step in [
    Step("issue", gettext_lazy("Issue (下达)"), "send", "supervise", (S.DRAFT,), forms.DatedForm,
         lambda u, t, d, e: services.task_issue(actor=u, task=t, on=d["on"]),
         gettext_lazy("The task was issued."), primary=True),
    Step("acknowledge", gettext_lazy("Acknowledge (签收)"), "signature", "own", (S.ISSUED,), forms.DatedForm,
         lambda u, t, d, e: services.task_acknowledge(actor=u, task=t, on=d["on"]),
         gettext_lazy("The task was acknowledged."), primary=True),
    Step("report", gettext_lazy("Report progress (进展反馈)"), "message-report", "report", REPORTING, forms.ReportForm,
         lambda u, t, d, e: services.progress_report(actor=u, task=t, percent=d["percent"], text=d["text"],
                                                     problems=d["problems"], on=d["on"]),
         gettext_lazy("The progress report was recorded."), primary=True),
    Step("milestone", gettext_lazy("Milestone done (节点完成)"), "flag-check", "report", (*REPORTING,
         S.COMPLETION_SUBMITTED), forms.MilestoneDoneForm,
         lambda u, t, d, e: services.milestone_done(actor=u, milestone=d["milestone"], evidence=d["evidence"],
                                                    on=d["on"]),
         gettext_lazy("The milestone was marked done."),
         when=lambda t, e: any(m.done_on is None for m in t.milestones.all())),
    Step("submit", gettext_lazy("Submit completion (办结申请)"), "circle-check", "own", REPORTING,
         forms.CompletionForm,
         lambda u, t, d, e: services.completion_submit(actor=u, task=t, evidence=d["evidence"], on=d["on"]),
         gettext_lazy("Completion was submitted."), primary=True),
    Step("accept", gettext_lazy("Accept completion (同意办结)"), "checks", "supervise", (S.COMPLETION_SUBMITTED,),
         forms.ConfirmForm, lambda u, t, d, e: services.completion_accept(actor=u, task=t),
         gettext_lazy("The task is complete."), primary=True),
    Step("return", gettext_lazy("Return (退办)"), "arrow-back-up", "supervise", (S.COMPLETION_SUBMITTED,),
         forms.ReturnForm, lambda u, t, d, e: services.completion_return(actor=u, task=t, reason=d["reason"]),
         gettext_lazy("The completion was returned."), danger=True),
    Step("evaluate", gettext_lazy("Evaluate (评价)"), "star", "supervise", (S.COMPLETED,), forms.EvaluateForm,
         lambda u, t, d, e: services.task_evaluate(actor=u, task=t, evaluation=d["evaluation"], note=d["note"]),
         gettext_lazy("The task was evaluated and closed."), primary=True),
    Step("block", gettext_lazy("Mark blocked (标记受阻)"), "barrier-block", "own", WORKING, forms.ReasonForm,
         lambda u, t, d, e: services.task_mark_blocked(actor=u, task=t, reason=d["reason"], on=d["on"]),
         gettext_lazy("The task is marked blocked."), when=lambda t, e: t.blocked_since is None),
    Step("unblock", gettext_lazy("Unblock (解除受阻)"), "lock-open", "own", None, forms.ConfirmForm,
         lambda u, t, d, e: services.task_unblock(actor=u, task=t),
         gettext_lazy("The task is no longer marked blocked."), when=lambda t, e: t.blocked_since is not None),
    Step("extend", gettext_lazy("Request extension (延期申请)"), "calendar-plus", "own", WORKING,
         forms.ExtensionRequestForm,
         lambda u, t, d, e: services.extension_request(actor=u, task=t, reason=d["reason"],
                                                       new_deadline=d["new_deadline"], percent=d["percent"],
                                                       on=d["on"]),
         gettext_lazy("The extension request was sent to the leader in charge."), when=lambda t, e: e is None),
    Step("decide", gettext_lazy("Decide extension (延期审批)"), "calendar-check", "supervise", None,
         forms.ExtensionDecideForm,
         lambda u, t, d, e: services.extension_decide(actor=u, extension=e, approve=d["decision"] == "approve",
                                                      note=d["note"], on=d["on"]),
         gettext_lazy("The extension request was decided."), primary=True, when=lambda t, e: e is not None),
    Step("chase", gettext_lazy("Chase (催办)"), "bell-ringing", "supervise", services.CHASE_STATES, forms.ChaseForm,
         lambda u, t, d, e: services.task_chase(actor=u, task=t, message=d["message"], reply_by=d["reply_by"],
                                                to_heads=d["to_heads"], to_leader=d["to_leader"]),
         gettext_lazy("The chase was sent; its supervision notice (督办单) can be printed."), danger=True),
    Step("cancel", gettext_lazy("Cancel (作废)"), "trash", "supervise", (S.DRAFT, *WORKING, S.COMPLETION_SUBMITTED),
         forms.ReasonForm, lambda u, t, d, e: services.task_cancel(actor=u, task=t, reason=d["reason"], on=d["on"]),
         gettext_lazy("The task was cancelled."), danger=True),
]}


def _pending(task):
    return Extension.objects.filter(task=task, status=Extension.Status.PENDING).first()


def task_detail(request, task_id):
    user = request.user
    task = _task(user, task_id)
    as_of = _as_of(request)
    day = as_of or clock.today()
    calendar = Calendar()
    _present([task], day, calendar)
    kids = list(selectors.with_facts(selectors.tasks(user).filter(parent=task)))
    _present(kids, day, calendar)
    kids.sort(key=lambda t: (t.sort_order, number_key(t.number), t.pk))
    extensions = list(Extension.objects.filter(task=task).select_related("requested_by", "decided_by"))
    pending = next((e for e in extensions if e.status == Extension.Status.PENDING), None)
    may = {who: check(user, task) for who, check in WHO.items()}
    steps = [step for step in STEPS.values() if may[step.who] and step.applies(task, pending)]
    today = clock.today()
    status = selectors.statuses([task], today, calendar)[task.pk] if as_of else task.status
    # Each step's dialog has its own field ids, so labels point at their own inputs.
    step_forms = [(step, step.form(task=task, status=status, auto_id=f"id_{step.name}_%s")) for step in steps]
    return render(request, "tasks/task_detail.html", {
        "task": task, "status": task.status, "as_of": as_of, "day": day, "kids": kids,
        "rollup": [c for c in light_counts(k.status for k in kids) if c["count"]],
        "team": task.team.select_related("person__unit"),
        "co_units": task.co_units.order_by("path"),
        "milestones": [(m, m.done_on is not None and m.done_on <= day) for m in task.milestones.all()],
        "reports": ProgressReport.objects.filter(task=task).select_related("reported_by").order_by(
            "-reported_on", "-pk"),
        "extensions": extensions, "pending": pending,
        "chases": Chase.objects.filter(task=task).select_related("issuer", "issued_by").prefetch_related(
            "recipients").order_by("-issued_on", "-pk"),
        "sub_plans": _visible_plans(user).filter(parent_task=task).order_by("name"),
        "plan_visible": _visible_plans(user).filter(pk=task.plan_id).exists(),
        "parent_visible": task.parent_id is not None and selectors.tasks(user).filter(pk=task.parent_id).exists(),
        "step_forms": step_forms,
        "can_edit": may["supervise"] and task.state in EDITABLE_STATES,
        "can_add_child": services.can_manage_plan(user, task.plan) and task.state not in FINISHED,
        "can_add_plan": Unit.objects.restrict(user, CHANGE).exists(),
        # Whoever sees the task sees what happened to it; names in the diffs stay scoped.
        "audit_trail": with_diffs(audit.history(task)[:50], user),
    })


EDITABLE_STATES = (S.DRAFT, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)


def task_step(request, task_id, step):
    """A step of the task's life: its form (also offered in a dialog on the task page), and on
    POST the service that takes it."""
    user = request.user
    step = STEPS[step]
    task = _task(user, task_id)
    if not WHO[step.who](user, task):
        raise Http404
    pending = _pending(task)
    if request.method != "POST" and not step.applies(task, pending):
        messages.warning(request, _("“%(step)s” is not possible now: the task is “%(state)s”.") % {
            "step": step.label, "state": task.get_state_display()})
        return redirect("task_detail", task.pk)
    status = selectors.statuses([task], clock.today())[task.pk]
    form = step.form(request.POST if request.method == "POST" else None, task=task, status=status)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: step.run(user, task, form.cleaned_data, pending),
                field_map={"due": "milestone", "done_on": "on"}) is not None:
            messages.success(request, step.done)
            return redirect("task_detail", task.pk)
    return render(request, "tasks/task_step.html", {"task": task, "step": step, "form": form, "status": status,
                                                    "pending": pending})


def task_create(request, plan_id):
    user = request.user
    plan = get_object_or_404(_visible_plans(user), pk=plan_id)
    if not services.can_manage_plan(user, plan):
        raise Http404
    initial = {}
    parent = selectors.tasks(user).filter(plan=plan, pk=_int(request.GET.get("parent"))).first()
    if parent is not None:
        siblings = parent.children.count()
        initial = {"parent": parent.pk, "leader": parent.leader, "lead_unit": parent.lead_unit.code,
                   "number": f"{parent.number}.{siblings + 1}" if parent.number else "", "cycle": parent.cycle}
    form = forms.TaskForm(request.POST if request.method == "POST" else None, user=user, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        task = _run(form, lambda: services.task_create(actor=user, plan=plan, **form.service_kwargs()),
                    field_map={"due": "milestones", "description": "milestones", "person": "team"})
        if task is not None:
            messages.success(request, _("“%(name)s” was created as a draft; issue it when it is ready.") % {
                "name": task.name})
            return redirect("task_detail", task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "plan": plan, "task": None, "parent": parent,
                                                    "title": _("New task")})


def task_edit(request, task_id):
    user = request.user
    task = _task(user, task_id)
    if not services.can_supervise(user, task):
        raise Http404
    form = forms.TaskEditForm(request.POST if request.method == "POST" else None, user=user, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(form, lambda: services.task_edit(
            actor=user, task=task, changes=form.changes(), team=data["team"], co_units=list(data["co_units"]),
            milestones=form.milestone_plan()), field_map={"due": "milestones", "description": "milestones",
                                                          "person": "team", "role": "team"})
        if done is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": done.name})
            return redirect("task_detail", task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "plan": task.plan, "task": task,
                                                    "title": _("Edit · %(name)s") % {"name": task.name}})


# --- statistics ----------------------------------------------------------------------------------

PHASE_LABELS = {
    Phase.DRAFT: gettext_lazy("Draft"), Phase.ISSUED: gettext_lazy("Awaiting acknowledgement"),
    Phase.IN_PROGRESS: gettext_lazy("In progress"), Phase.SUBMITTED: gettext_lazy("Completion pending"),
    Phase.DONE: gettext_lazy("Done"), Phase.CANCELLED: gettext_lazy("Cancelled"),
}
STATS_GROUPS = {
    "plan": gettext_lazy("By plan"), "lead_unit": gettext_lazy("By lead unit"),
    "leader": gettext_lazy("By leader in charge"),
}


def task_stats(request):
    """Statistics: counts by light and phase, on-time completion, acknowledgement time and
    reports on time per plan, lead unit and leader, with a weekly trend of the lights."""
    as_of = _as_of(request)
    day = as_of or clock.today()
    rows = selectors.with_facts(selectors.tasks(request.user))
    plan_id = _int(request.GET.get("plan"))
    if plan_id:
        rows = rows.filter(plan_id=plan_id)
    summary = stats.compute(rows, day)
    trend_lights = [LIGHTS[light] for light in stats.TREND_LIGHTS]
    chart = {
        "weeks": [cndate(point["week"]) for point in summary.trend],
        "series": [{"name": str(look.label), "colour": look.colour,
                    "data": [point[look.code] for point in summary.trend]} for look in trend_lights],
    }
    # Done, cancelled and draft tasks are counted by phase; the lights say how live tasks stand.
    lights = [LIGHTS[light] for light in (Light.RED, Light.YELLOW, Light.BLUE, Light.GREEN, Light.GREY)]

    def line(figures):
        return {"figures": figures, "lights": [figures.lights[look.code] for look in lights],
                "phases": [figures.phases[phase] for phase in PHASE_LABELS],
                "on_time_rate": _percent(figures.on_time_rate), "reporting_rate": _percent(figures.reporting_rate)}

    return render(request, "tasks/stats.html", {
        "as_of": as_of, "day": day, "chart": chart, "lights": lights, "phases": PHASE_LABELS.values(),
        "overall": line(summary.overall),
        "groups": [(name, label, [line(g) for g in summary.groups[name]]) for name, label in STATS_GROUPS.items()],
        "plans": _visible_plans(request.user).order_by("-year", "name"), "plan_id": plan_id,
        "bulletin_query": urlencode({name: value for name, value in (
            ("plan", plan_id), ("as_of", as_of.isoformat() if as_of else None)) if value}),
    })


def _percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _download(content, content_type, filename, inline=False):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


# --- the supervision notice (督办单) of a chase ------------------------------------------------------

@require_GET
def task_chase_notice(request, task_id, chase_id):
    """The supervision notice of one chase as PDF, showing the task as it stood that day."""
    task = _task(request.user, task_id)
    chase = get_object_or_404(Chase.objects.filter(task=task).select_related("issuer").prefetch_related(
        "recipients"), pk=chase_id)
    status = selectors.statuses([task], chase.issued_on)[task.pk]
    return _download(documents.chase_pdf(chase, task, status), documents.PDF,
                     f"chase-{chase.year}-{chase.serial}.pdf", inline=True)


# --- the bulletin (通报) --------------------------------------------------------------------------

def _bulletin(request):
    """The bulletin the GET parameters ask for, and its form; no bulletin when the form is wrong."""
    user = request.user
    form = forms.BulletinForm(request.GET, plans=_visible_plans(user).order_by("-year", "name"),
                              units=_known_units(user))
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    as_of = data["as_of"] or clock.today()
    plan = data["plan"]
    found = bulletin.for_user(
        user, date_from=data["date_from"] or bulletin.default_period(as_of)[0], date_to=as_of, title=data["title"],
        issuer=data["issuer"], plan=plan, unit=data["unit"])
    return form, found


@require_GET
def task_bulletin(request):
    """The bulletin on the page, with what it covers and its downloads (Word, PDF)."""
    form, found = _bulletin(request)
    return render(request, "tasks/bulletin.html", {
        "form": form, "bulletin": found, "doc": documents.bulletin_layout(found) if found else None,
        "query": request.GET.urlencode()})


@require_GET
def task_bulletin_docx(request):
    form, found = _bulletin(request)
    if found is None:
        return HttpResponseBadRequest(form.errors.as_text())
    return _download(documents.bulletin_docx(documents.bulletin_layout(found)), documents.DOCX,
                     f"bulletin-{found.date_to.isoformat()}.docx")


@require_GET
def task_bulletin_pdf(request):
    form, found = _bulletin(request)
    if found is None:
        return HttpResponseBadRequest(form.errors.as_text())
    return _download(documents.bulletin_pdf(documents.bulletin_layout(found)), documents.PDF,
                     f"bulletin-{found.date_to.isoformat()}.pdf", inline=True)
