"""Statistics of the Five-Ones mechanism: pure computations over task rows and their statuses.

Everything is read as of one date, from the same statuses the pages and reminders use:

- counts by light (`rules.rollup`) and by phase, the life-cycle state the task stood in on `as_of`;
- on-time completion rate: tasks done (completed or closed) by `as_of` whose completion fell on or
  before the baseline (original) deadline, over all tasks done; an approved extension does not
  make a late completion on time;
- acknowledgement time: the average, over tasks acknowledged by `as_of`, of the working days
  from issue to acknowledgement (`Calendar.working_days_between`, so the same day counts 0);
- reports on time: tasks in progress on `as_of` without a missed reporting cycle (no
  `report_missing` failure), over all tasks in progress.

A rate or average with nothing to count is None, not zero: a plan with no finished task has no
completion rate yet. The weekly trend evaluates the same facts on each of the last 12 Mondays.
"""
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ronghe.core.workdays import Calendar
from ronghe.tasks import rules, selectors

TREND_WEEKS = 12
TREND_LIGHTS = (rules.Light.RED, rules.Light.YELLOW, rules.Light.BLUE, rules.Light.GREEN)


_LIGHT_KEYS = tuple(light.value for light in rules.Light)
_PHASE_KEYS = tuple(phase.value for phase in rules.Phase)


@dataclass
class Figures:
    """The figures of one group of tasks (a plan, a lead unit, a leader, or all of them)."""

    key: int | None
    name: str
    total: int = 0
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_LIGHT_KEYS, 0))
    phases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_PHASE_KEYS, 0))
    done: int = 0
    done_on_time: int = 0
    acknowledged: int = 0
    acknowledge_days: int = 0
    in_progress: int = 0
    reporting_on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.done_on_time, self.done)

    @property
    def acknowledge_days_avg(self) -> float | None:
        return round(self.acknowledge_days / self.acknowledged, 1) if self.acknowledged else None

    @property
    def reporting_rate(self) -> float | None:
        return _ratio(self.reporting_on_time, self.in_progress)

    def add(self, task, status: rules.Status, as_of: dt.date, calendar: Calendar) -> None:
        self.count(share(task, status, as_of, calendar))

    def count(self, task_share: tuple) -> None:
        """Count one task's `share`."""
        light, phase, done, on_time, acknowledged, acknowledge_days, in_progress, reporting = task_share
        self.total += 1
        self.lights[light] += 1
        self.phases[phase] += 1
        self.done += done
        self.done_on_time += on_time
        self.acknowledged += acknowledged
        self.acknowledge_days += acknowledge_days
        self.in_progress += in_progress
        self.reporting_on_time += reporting

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "total": self.total, "lights": self.lights,
                "phases": self.phases, "done": self.done, "done_on_time": self.done_on_time,
                "on_time_rate": self.on_time_rate, "acknowledged": self.acknowledged,
                "acknowledge_days_avg": self.acknowledge_days_avg, "in_progress": self.in_progress,
                "reporting_on_time": self.reporting_on_time, "reporting_rate": self.reporting_rate}


def share(task, status: rules.Status, as_of: dt.date, calendar: Calendar) -> tuple:
    """What one task adds to the figures of each group it is in, worked out once for all of
    them: its light and phase (StrEnums, so the keys' strings), and its counts of done, done on
    time, acknowledged, acknowledgement working days, in progress and reporting on time."""
    done = status.phase is rules.Phase.DONE
    acknowledged = bool(task.issued_on and task.acknowledged_on and task.acknowledged_on <= as_of)
    in_progress = status.phase is rules.Phase.IN_PROGRESS
    return (status.light, status.phase, done, done and status.completion is rules.Completion.ON_TIME,
            acknowledged, calendar.working_days_between(task.issued_on, task.acknowledged_on) if acknowledged else 0,
            in_progress,
            in_progress and not any(mode.rule is rules.Rule.REPORT_MISSING for mode in status.failure_modes))


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


GROUPINGS: dict[str, Callable] = {
    "plan": lambda task: (task.plan_id, task.plan.name),
    "lead_unit": lambda task: (task.lead_unit_id, task.lead_unit.name),
    "leader": lambda task: (task.leader_id, task.leader.name if task.leader_id else ""),
}


@dataclass
class Summary:
    as_of: dt.date
    overall: Figures
    groups: dict[str, list[Figures]]
    trend: list[dict]


def summarize(rows: Iterable, status_by_task: dict[int, rules.Status], as_of: dt.date, calendar: Calendar,
              trend: list[dict] | None = None) -> Summary:
    """The figures of all `rows` and of each plan, lead unit and leader (largest group first)."""
    overall = Figures(None, "")
    groups: dict[str, dict] = {name: {} for name in GROUPINGS}
    for task in rows:
        task_share = share(task, status_by_task[task.pk], as_of, calendar)
        overall.count(task_share)
        for name, key_of in GROUPINGS.items():
            key, label = key_of(task)
            if key not in groups[name]:
                groups[name][key] = Figures(key, label)
            groups[name][key].count(task_share)
    ordered = {name: sorted(found.values(), key=lambda g: (-g.total, g.name)) for name, found in groups.items()}
    return Summary(as_of=as_of, overall=overall, groups=ordered, trend=trend or [])


def trend_mondays(as_of: dt.date, weeks: int = TREND_WEEKS) -> list[dt.date]:
    """The last `weeks` Mondays on or before `as_of`, oldest first."""
    last = as_of - dt.timedelta(days=as_of.weekday())
    return [last - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def trend_of(inputs: Iterable[tuple[rules.TaskFacts, rules.Thresholds]], as_of: dt.date, calendar: Calendar,
             weeks: int = TREND_WEEKS) -> list[dict]:
    """For each Monday of `trend_mondays`, how many of the tasks (facts and thresholds) showed
    each light of TREND_LIGHTS. Each task's facts are read once and it is evaluated on all the
    Mondays together (`rules.lights`), which skips the weeks where its light cannot change."""
    mondays = trend_mondays(as_of, weeks)
    tallies = [dict.fromkeys(TREND_LIGHTS, 0) for _ in mondays]
    for facts, thresholds in inputs:
        for tally, light in zip(tallies, rules.lights(facts, mondays, calendar, thresholds), strict=True):
            if light in tally:
                tally[light] += 1
    return [{"week": monday, **{light.value: tally[light] for light in TREND_LIGHTS}}
            for monday, tally in zip(mondays, tallies, strict=True)]


def weekly_trend(rows: list, as_of: dt.date, calendar: Calendar, weeks: int = TREND_WEEKS) -> list[dict]:
    """The trend (`trend_of`) of task rows (from `selectors.with_facts`)."""
    return trend_of(selectors.engine_inputs(rows).values(), as_of, calendar, weeks)


def compute(tasks, as_of: dt.date, calendar: Calendar | None = None) -> Summary:
    """Statuses, figures and weekly trend of a task queryset, read as plain values
    (`selectors.engine_rows`) and evaluated from the same facts on as_of and each Monday; no
    fact that can no longer matter on the first Monday is read."""
    calendar = calendar or Calendar()
    rows = selectors.engine_rows(tasks, since=trend_mondays(as_of)[0])
    status_by_task = {row.pk: rules.evaluate(row.facts, as_of, calendar, row.thresholds) for row in rows}
    trend = trend_of(((row.facts, row.thresholds) for row in rows), as_of, calendar)
    return summarize(rows, status_by_task, as_of, calendar, trend)
