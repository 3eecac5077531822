"""The bulletin (通报) of the Five-Ones mechanism for a period: what the reform office (改革办) or
the Organisation Department (党委组织部) issues about the key tasks — the figures as of the last
day of the period, the red, overdue and returned (退办) tasks, and a ranking of the lead units.

Everything is read from the same statuses as the pages (`selectors.statuses` on `date_to`), so
a bulletin of 30 June shows the tasks as they stood on 30 June, whenever it is printed.

- Figures: those of `stats.Figures` (tasks by light and phase, on-time completion rate,
  acknowledgement time, reports on time) as of `date_to`, plus the period's own counts: tasks
  issued, completed (and of those on time against the original deadline) and returned between
  `date_from` and `date_to`, both days included.
- Red tasks: those whose light is red on `date_to`; overdue: those with the `overdue` failure
  mode then (past the deadline in force and not completed). Worst first: most failure modes,
  then earliest deadline.
- Returned: every 退办 dated within the period, with its reason, in date order.
- Ranking of the lead units (牵头部门), by a score out of 100 from four rates, each over the
  unit's own tasks as of `date_to`:

      on-time completion      40   tasks done on or before their original deadline / tasks done
      free of red             30   1 − red tasks / live tasks (issued, under way or submitted)
      reports on time         20   tasks under way without a missed reporting cycle / tasks under way
      prompt acknowledgement  10   tasks acknowledged within the plan's yellow threshold (2 working
                                   days by default) / tasks acknowledged, plus those still awaiting
                                   acknowledgement past it

  A rate with nothing to count (no task done yet, say) is left out and the weights of the
  others are scaled up to 100, so a unit is judged on what it has. A unit with none of the four
  has no score and is listed last, unranked. Equal scores are ordered by fewer red tasks, then
  by more tasks, then by name; equal scores share a rank.
"""
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ronghe.core.workdays import Calendar
from ronghe.tasks import rules, selectors, stats
from ronghe.tasks.models import CompletionReturn
from ronghe.tasks.rules import Light, Mode, Phase

WEIGHTS = {"on_time": 40, "free_of_red": 30, "reporting": 20, "acknowledging": 10}
LIVE_PHASES = (Phase.ISSUED, Phase.IN_PROGRESS, Phase.SUBMITTED)


@dataclass
class Line:
    """A task as the bulletin lists it."""

    task: object
    status: rules.Status


@dataclass
class Returned:
    task: object
    returned_on: dt.date
    reason: str
    submitted_on: dt.date | None


@dataclass
class Rank:
    """A lead unit's place in the ranking, with the rates its score is made of."""

    unit: object
    figures: stats.Figures
    live: int = 0
    red: int = 0
    acknowledged_promptly: int = 0
    acknowledgement_due: int = 0
    rank: int | None = None

    @property
    def rates(self) -> dict[str, float | None]:
        f = self.figures
        return {
            "on_time": f.on_time_rate,
            "free_of_red": round(1 - self.red / self.live, 4) if self.live else None,
            "reporting": f.reporting_rate,
            "acknowledging": (round(self.acknowledged_promptly / self.acknowledgement_due, 4)
                              if self.acknowledgement_due else None),
        }

    @property
    def score(self) -> float | None:
        return score(self.rates)


def score(rates: dict[str, float | None]) -> float | None:
    """The weighted score out of 100 of the rates that have something to count."""
    counted = {name: rate for name, rate in rates.items() if rate is not None}
    if not counted:
        return None
    weight = sum(WEIGHTS[name] for name in counted)
    return round(100 * sum(WEIGHTS[name] * rate for name, rate in counted.items()) / weight, 1)


@dataclass
class Period:
    issued: int = 0
    completed: int = 0
    completed_on_time: int = 0
    returned: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.completed_on_time / self.completed, 4) if self.completed else None


@dataclass
class Bulletin:
    title: str
    issuer: str
    date_from: dt.date
    date_to: dt.date
    plan: object | None
    unit: object | None
    figures: stats.Figures
    period: Period
    red: list[Line] = field(default_factory=list)
    overdue: list[Line] = field(default_factory=list)
    returned: list[Returned] = field(default_factory=list)
    ranking: list[Rank] = field(default_factory=list)

    @property
    def as_of(self) -> dt.date:
        return self.date_to


def _worst_first(lines):
    return sorted(lines, key=lambda line: (-len(line.status.failure_modes), line.status.deadline,
                                           line.task.number, line.task.pk))


def _within(day, date_from, date_to) -> bool:
    return day is not None and date_from <= day <= date_to


def _prompt(task, status, date_to, calendar) -> tuple[int, int]:
    """(acknowledged within the plan's yellow threshold, counted at all) for one task."""
    limit = task.plan.ack_yellow_days
    if task.issued_on and task.acknowledged_on and task.acknowledged_on <= date_to:
        return int(calendar.working_days_between(task.issued_on, task.acknowledged_on) <= limit), 1
    if Mode.NO_RESPONSE in status.codes:
        return 0, 1
    return 0, 0


def rank_units(rows, statuses, date_to, calendar) -> list[Rank]:
    """The lead units of `rows` ranked by their score (see the module's docstring)."""
    ranks: dict[int, Rank] = {}
    for task in rows:
        status = statuses[task.pk]
        rank = ranks.setdefault(task.lead_unit_id, Rank(task.lead_unit, stats.Figures(task.lead_unit_id,
                                                                                      task.lead_unit.name)))
        rank.figures.add(task, status, date_to, calendar)
        if status.phase in LIVE_PHASES:
            rank.live += 1
            rank.red += status.light is Light.RED
        prompt, due = _prompt(task, status, date_to, calendar)
        rank.acknowledged_promptly += prompt
        rank.acknowledgement_due += due
    ordered = sorted(ranks.values(), key=lambda r: (r.score is None, -(r.score or 0), r.red, -r.figures.total,
                                                    r.figures.name))
    previous, place = None, 0
    for index, rank in enumerate(ordered, start=1):
        if rank.score is None:
            break
        if rank.score != previous:
            place, previous = index, rank.score
        rank.rank = place
    return ordered


def compose(rows, returns, *, date_from, date_to, title, issuer, plan=None, unit=None,
            calendar: Calendar | None = None) -> Bulletin:
    """The bulletin of task `rows` (from `selectors.with_facts`, plan and lead unit selected)
    for the period; `returns` are the CompletionReturn rows of those tasks (any date)."""
    calendar = calendar or Calendar()
    rows = list(rows)
    statuses = selectors.statuses(rows, date_to, calendar)
    summary = stats.summarize(rows, statuses, date_to, calendar)
    period = Period()
    for task in rows:
        period.issued += _within(task.issued_on, date_from, date_to)
        status = statuses[task.pk]
        if status.phase is Phase.DONE and _within(task.completed_on, date_from, date_to):
            period.completed += 1
            period.completed_on_time += status.completion is rules.Completion.ON_TIME
    by_pk = {task.pk: task for task in rows}
    returned = [Returned(by_pk[r.task_id], r.returned_on, r.reason, r.submitted_on) for r in returns
                if r.task_id in by_pk and _within(r.returned_on, date_from, date_to)]
    returned.sort(key=lambda r: (r.returned_on, r.task.pk))
    period.returned = len(returned)
    lines = [Line(task, statuses[task.pk]) for task in rows]
    return Bulletin(
        title=title, issuer=issuer, date_from=date_from, date_to=date_to, plan=plan, unit=unit,
        figures=summary.overall, period=period,
        red=_worst_first(line for line in lines if line.status.light is Light.RED),
        overdue=_worst_first(line for line in lines if Mode.OVERDUE in line.status.codes),
        returned=returned, ranking=rank_units(rows, statuses, date_to, calendar))


def default_period(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The month so far: bulletins follow the reform office's monthly round."""
    return as_of.replace(day=1), as_of



def for_user(user, *, date_from, date_to, title=None, issuer=None, plan=None, unit=None) -> Bulletin:
    """The bulletin of the tasks `user` may see, of one plan and/or under one lead unit's subtree
    when given; without a title or issuer, the defaults above."""
    tasks = selectors.tasks(user)
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    if unit is not None:
        tasks = tasks.filter(lead_unit__path__startswith=unit.path)
    rows = list(selectors.with_facts(tasks.select_related("plan__unit")))
    returns = CompletionReturn.objects.filter(task__in=tasks.values("pk"), returned_on__gte=date_from,
                                              returned_on__lte=date_to)
    return compose(rows, returns, date_from=date_from, date_to=date_to, title=title or default_title(plan),
                   issuer=issuer or default_issuer(user, plan, rows), plan=plan, unit=unit)


def default_title(plan=None) -> str:
    if plan is not None:
        return _("Bulletin on the progress of the key tasks of “%(plan)s”") % {"plan": plan.name}
    return _("Bulletin on the progress of the key tasks")


def default_issuer(user, plan=None, rows=()) -> str:
    """The unit that owns the plan — the reform office for a master plan, the Organisation
    Department for its sub-plans — else the user's own unit, else the unit owning the plans of
    most of the tasks."""
    if plan is not None:
        return plan.unit.name
    person = getattr(user, "person", None)
    if person is not None:
        return person.unit.name
    owners = Counter(task.plan.unit.name for task in rows)
    return owners.most_common(1)[0][0] if owners else ""
