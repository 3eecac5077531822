"""Reads of the Five-Ones mechanism: scoped task lists with everything the status engine needs
fetched in a fixed number of queries, and their lights as of any date."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Max, Prefetch, Q, Value, Window
from django.db.models.functions import Coalesce
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
    """Task rows with the engine's reports, approved extensions and coordination requests
    attached: one values query each for all the rows (per chunk under `.iterator()`). Tens of
    thousands of reports come back as plain tuples, not model instances, which is where a
    prefetch spent its time."""

    def __iter__(self):
        batch = []
        for task in super().__iter__():
            batch.append(task)
            if self.chunked_fetch and len(batch) >= self.chunk_size:
                yield from _attach_facts(batch, self.queryset.db, ("reports", "extensions", "requests"))
                batch = []
        if batch:
            yield from _attach_facts(batch, self.queryset.db, ("reports", "extensions", "requests"))


# The engine's facts kept in other tables: how each is read for many tasks at once, in the
# order `facts_of` gives them, and the relation whose prefetched objects can stand in for it.
# With `since`, only the facts that can still matter on that date and after are read (for
# `engine_rows(since=...)`).
def _report_facts(tasks, db, since=None):
    rows = ProgressReport.objects.using(db).filter(task_id__in=tasks)
    if since is not None:
        # From `since` on the engine reads the latest report on or before the date it is asked
        # about: reports before the task's latest one on or before `since` are never that.
        latest = Window(Max("reported_on", filter=Q(reported_on__lte=since)), partition_by=[F("task_id")])
        rows = rows.filter(reported_on__gte=Coalesce(latest, Value(since)))
    rows = rows.order_by("task_id", "reported_on", "id").values_list("task_id", "reported_on", "percent")
    # Reports are values: the same day and percent is one object however many tasks share it.
    reports: dict[tuple, rules.Report] = {}
    for task_id, on, percent in rows:
        report = reports.get((on, percent))
        if report is None:
            report = reports[on, percent] = rules.Report(on, percent)
        yield task_id, report


def _extension_facts(tasks, db, since=None):
    rows = (Extension.objects.using(db)
            .filter(task_id__in=tasks, status=Extension.Status.APPROVED, decided_on__isnull=False)
            .order_by("task_id", "requested_on", "id").values_list("task_id", "decided_on", "new_deadline"))
    return ((task_id, rules.Extension(decided_on, new_deadline)) for task_id, decided_on, new_deadline in rows)


def _request_facts(tasks, db, since=None):
    from ronghe.coordination.models import Request as CoordinationRequest

    rows = (CoordinationRequest.objects.using(db).filter(task_id__in=tasks).order_by("task_id", "raised_on", "id")
            .values_list("task_id", "id", "raised_on", "answer_due", "answered_on"))
    return ((task_id, rules.CoordinationRequest(key, raised_on, answer_due, answered_on))
            for task_id, key, raised_on, answer_due, answered_on in rows)


def _milestone_facts(tasks, db, since=None):
    rows = Milestone.objects.using(db).filter(task_id__in=tasks)
    if since is not None:   # one done by `since` is passed over on every date from then on
        rows = rows.filter(Q(done_on__isnull=True) | Q(done_on__gt=since))
    rows = rows.order_by("task_id", "due", "id").values_list("task_id", "id", "due", "done_on")
    return ((task_id, rules.Milestone(key, due, done_on)) for task_id, key, due, done_on in rows)


_FACT_TABLES = {
    "reports": (_report_facts, "reports"),
    "extensions": (_extension_facts, "extensions"),
    "requests": (_request_facts, "coordination_requests"),
    "milestones": (_milestone_facts, "milestones"),
}


def _attach_facts(tasks, db, kinds):
    """Read the facts of `kinds` for all `tasks` at once, one query a kind, into `_fact_<kind>`."""
    by_pk = {task.pk: task for task in tasks}
    for kind in kinds:
        found = {pk: [] for pk in by_pk}
        for task_id, fact in _FACT_TABLES[kind][0](list(by_pk), db):
            found[task_id].append(fact)
        for pk, facts in found.items():
            setattr(by_pk[pk], f"_fact_{kind}", facts)
    return tasks


def _attach_missing_facts(tasks) -> None:
    """Give rows that were not read through `with_facts` their facts in one query a kind, so a
    list of tasks never costs a query per task; relations prefetched as objects are used as
    they are."""
    for kind, (_, relation) in _FACT_TABLES.items():
        missing = [task for task in tasks if not hasattr(task, f"_fact_{kind}")
                   and relation not in getattr(task, "_prefetched_objects_cache", {})]
        if missing:
            _attach_facts(missing, missing[0]._state.db, (kind,))


def with_facts(queryset):
    """Load with the rows what `facts_of` reads: reports, milestones, approved extensions and
    coordination requests, in a fixed number of queries. Milestones are prefetched as objects,
    as pages show them."""
    queryset = queryset.prefetch_related(Prefetch("milestones", queryset=Milestone.objects.all()))
    queryset._iterable_class = _FactsIterable
    return queryset


# The plan's fields behind its thresholds, in the order `_thresholds` takes them.
_THRESHOLD_FIELDS = ("ack_yellow_days", "ack_red_days", "report_grace_days", "lag_yellow_points", "lag_red_points",
                     "due_soon_days")


def thresholds_of(plan: Plan) -> rules.Thresholds:
    return _thresholds(*(getattr(plan, name) for name in _THRESHOLD_FIELDS))


def _thresholds(ack_yellow, ack_red, report_grace, lag_yellow, lag_red, due_soon) -> rules.Thresholds:
    return rules.Thresholds(
        acknowledge_yellow_days=ack_yellow, acknowledge_red_days=ack_red, report_grace_days=report_grace,
        lag_yellow_points=lag_yellow, lag_red_points=lag_red, due_soon_days=due_soon)


_TASK_FACT_FIELDS = ("state", "deadline", "baseline_deadline", "start_date", "issued_on", "acknowledged_on",
                     "completion_submitted_on", "completed_on", "cancelled_on", "cycle", "blocked_since")


def facts_of(task: Task) -> rules.TaskFacts:
    """The engine's view of a task: from the facts `with_facts` (or `statuses`) attached, else
    from prefetched objects, else read for this task alone."""
    fields = {name: getattr(task, name) for name in _TASK_FACT_FIELDS}
    fields["baseline_deadline"] = task.baseline_deadline or task.deadline
    return rules.TaskFacts(
        **fields,
        reports=_facts(task, "reports", lambda r: rules.Report(r.reported_on, r.percent)),
        milestones=_facts(task, "milestones", lambda m: rules.Milestone(m.pk, m.due, m.done_on)),
        extensions=_facts(task, "extensions", lambda e: rules.Extension(e.decided_on, e.new_deadline)
                          if e.status == Extension.Status.APPROVED and e.decided_on else None),
        # Coordination requests raised from the task (协调事项): unanswered ones block it.
        requests=_facts(task, "requests", lambda r: rules.CoordinationRequest(r.pk, r.raised_on, r.answer_due,
                                                                               r.answered_on)),
    )


def _facts(task, kind, from_object):
    attached = getattr(task, f"_fact_{kind}", None)
    if attached is not None:
        return attached
    relation = _FACT_TABLES[kind][1]
    if relation in getattr(task, "_prefetched_objects_cache", {}):
        objects = getattr(task, relation).all()
        if kind == "requests":   # the request model has its own order; the engine's is by date
            objects = sorted(objects, key=lambda r: (r.raised_on, r.pk))
        return [fact for o in objects if (fact := from_object(o)) is not None]
    return [fact for _, fact in _FACT_TABLES[kind][0]([task.pk], task._state.db)]


def statuses(task_rows, as_of: dt.date | None = None, calendar: Calendar | None = None) -> dict[int, rules.Status]:
    """The status of each task on `as_of`, default today (rows from `with_facts` cost no query;
    others cost one per kind of fact, whatever their number)."""
    as_of = as_of or clock.today()
    calendar = calendar or Calendar()
    return {pk: rules.evaluate(facts, as_of, calendar, thresholds)
            for pk, (facts, thresholds) in engine_inputs(task_rows).items()}


def engine_inputs(task_rows) -> dict[int, tuple[rules.TaskFacts, rules.Thresholds]]:
    """Each task's facts and its plan's thresholds, for evaluating the tasks on many dates."""
    task_rows = list(task_rows)
    _attach_missing_facts(task_rows)
    thresholds: dict[int, rules.Thresholds] = {}
    out = {}
    for task in task_rows:
        if task.plan_id not in thresholds:
            thresholds[task.plan_id] = thresholds_of(task.plan)
        out[task.pk] = (facts_of(task), thresholds[task.plan_id])
    return out


@dataclass(frozen=True, slots=True)
class Named:
    """A plan, unit or person by key and name, shared by the rows that name it."""

    pk: int | None
    name: str


@dataclass(slots=True)
class EngineRow:
    """A task read for figures over many tasks, without a model instance: the keys and names it
    is grouped by, the dates the figures read, its facts and its plan's thresholds."""

    pk: int
    plan_id: int
    plan: Named
    lead_unit_id: int
    lead_unit: Named
    leader_id: int | None
    leader: Named | None
    issued_on: dt.date | None
    acknowledged_on: dt.date | None
    facts: rules.TaskFacts
    thresholds: rules.Thresholds


def engine_rows(queryset, since: dt.date | None = None) -> list[EngineRow]:
    """The tasks of `queryset` as `EngineRow`s, for statistics over thousands of tasks: one
    query for the tasks with their names and plans' thresholds, and one per kind of fact (each
    selecting by the task query itself), all read as plain values.

    With `since`, the facts are those that can still matter on that date and after (reports from
    the latest one on or before it, milestones not done by then): the rows' facts then answer
    for `since` and later dates only, as the statistics ask, and older history is not read."""
    queryset = queryset.prefetch_related(None)
    keys = ("pk", "plan_id", "plan__name", "lead_unit_id", "lead_unit__name", "leader_id", "leader__name")
    tasks = list(queryset.values_list(*keys, *(f"plan__{name}" for name in _THRESHOLD_FIELDS), *_TASK_FACT_FIELDS))
    facts = {kind: defaultdict(list) for kind in _FACT_TABLES}
    for kind, (read, _) in _FACT_TABLES.items():
        for task_id, fact in read(queryset.values("pk"), queryset.db, since):
            facts[kind][task_id].append(fact)
    thresholds: dict[int, rules.Thresholds] = {}
    names: dict[tuple, Named] = {}

    def named(kind, pk, name):
        if pk is None:
            return None
        if (kind, pk) not in names:
            names[kind, pk] = Named(pk, name)
        return names[kind, pk]

    out = []
    for pk, plan_id, plan_name, unit_id, unit_name, leader_id, leader_name, *values in tasks:
        if plan_id not in thresholds:
            thresholds[plan_id] = _thresholds(*values[:len(_THRESHOLD_FIELDS)])
        fields = dict(zip(_TASK_FACT_FIELDS, values[len(_THRESHOLD_FIELDS):], strict=True))
        fields["baseline_deadline"] = fields["baseline_deadline"] or fields["deadline"]
        task_facts = rules.TaskFacts(**fields, **{kind: found.get(pk, ()) for kind, found in facts.items()})
        out.append(EngineRow(
            pk=pk, plan_id=plan_id, plan=named("plan", plan_id, plan_name), lead_unit_id=unit_id,
            lead_unit=named("unit", unit_id, unit_name), leader_id=leader_id,
            leader=named("person", leader_id, leader_name), issued_on=fields["issued_on"],
            acknowledged_on=fields["acknowledged_on"], facts=task_facts, thresholds=thresholds[plan_id]))
    return out


def matching(task_rows, status_by_task, *, light=None, failure_mode=None):
    """Tasks whose status has the light and/or the failure mode asked for."""
    return [t for t in task_rows
            if (not light or status_by_task[t.pk].light == light)
            and (not failure_mode or failure_mode in status_by_task[t.pk].codes)]
