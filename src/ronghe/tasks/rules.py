"""The status engine of the Five-Ones mechanism (五个一): a task's light and failure modes on a date.

A pure function of plain data: `evaluate(task, as_of, calendar, thresholds)` reads a `TaskFacts`
and returns a `Status`. Nothing here touches the database or the clock, so the reminder job, the
pages, the API and "what did it look like on 30 June" all ask the same question the same way.

Reading the facts as of a date: every fact carries the date it happened (issue, acknowledgement,
report, milestone done, completion submitted, completed, cancelled, blocked, request raised or
answered, extension approved). Facts dated after `as_of` are ignored, so a task completed on
10 July was still in progress on 30 June. Working days are China's (holidays and 调休), from
`ronghe.core.workdays.Calendar`.

The failure modes, with the default thresholds of `Thresholds`:

- `no_response` (有部署无回音): issued and not acknowledged by the end of the 2nd working day
  after issue → yellow; by the end of the 5th → red.
- `no_progress` (有计划无进展): progress reports are due on a grid of cycles counted from the
  anchor, the later of the start date and the issue date: weekly = every 7 days, monthly and
  quarterly = the same day of the month 1 or 3 months on (the 31st falls back to the month's last
  day), half-monthly = the anchor's day of each month and 15 days after it. A report covers the
  cycle it falls in, a cycle being (previous due date, due date]. The next report is due at the
  end of the cycle after the latest report's (the first cycle when there is none). A cycle is
  missed once its due date plus 2 working days of grace has passed with no report: one missed
  cycle → yellow, two → red. A milestone past its date and not done → red. Schedule lag = the
  share of calendar time from start to the current deadline that has elapsed (whole points)
  minus the latest reported percent complete: 10 to 30 points → yellow, over 30 → red.
- `blocked` (有安排实施不了): the owner marked the task blocked, or a coordination request raised
  from it is open → yellow; a request whose answer is overdue → red.
- `overdue`: past the current deadline and not completed → red.
- `due_soon`: the current deadline or an open milestone within 3 working days → blue.

The light is the worst level among the failure modes; without one it is green, or grey before the
start date. Drafts are grey; cancelled tasks are `cancelled`; completed and closed tasks are
`done` with their completion on time or late against the baseline (original) deadline, which an
approved extension does not move. After a completion is submitted (办结申请) the owner has nothing
left to report: only a submission made after the deadline keeps the task overdue.
"""
import calendar as gregorian
import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from ronghe.core.workdays import Calendar

ONE_DAY = dt.timedelta(days=1)


class State(StrEnum):
    """The task's life-cycle state today (the model's choices use the same values)."""

    DRAFT = "draft"
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    COMPLETION_SUBMITTED = "completion_submitted"
    COMPLETED = "completed"
    RETURNED = "returned"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Phase(StrEnum):
    """Where the task stood on `as_of`, read from the dated facts."""

    DRAFT = "draft"
    ISSUED = "issued"                # issued, awaiting acknowledgement
    IN_PROGRESS = "in_progress"      # acknowledged (also after a return)
    SUBMITTED = "submitted"          # completion submitted, awaiting approval
    DONE = "done"                    # completed or closed
    CANCELLED = "cancelled"


class Cycle(StrEnum):
    WEEKLY = "weekly"
    HALF_MONTHLY = "half_monthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Light(StrEnum):
    GREY = "grey"
    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"
    CANCELLED = "cancelled"


class Mode(StrEnum):
    """The failure modes a task is checked for; the API filters on these codes."""

    NO_RESPONSE = "no_response"
    NO_PROGRESS = "no_progress"
    BLOCKED = "blocked"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


class Rule(StrEnum):
    """Which check raised a failure mode: reminders name it and are sent once per rule, task and day."""

    NOT_ACKNOWLEDGED = "not_acknowledged"    # no_response
    REPORT_MISSING = "report_missing"        # no_progress
    MILESTONE_MISSED = "milestone_missed"    # no_progress
    SCHEDULE_LAG = "schedule_lag"            # no_progress
    MARKED_BLOCKED = "marked_blocked"        # blocked
    REQUEST_OPEN = "request_open"            # blocked
    REQUEST_OVERDUE = "request_overdue"      # blocked
    PAST_DEADLINE = "past_deadline"          # overdue
    DEADLINE_NEAR = "deadline_near"          # due_soon
    MILESTONE_NEAR = "milestone_near"        # due_soon


class Completion(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"


# Finished work is never a concern, so done and cancelled sort below grey.
SEVERITY = MappingProxyType({
    Light.CANCELLED: 0,
    Light.DONE: 1,
    Light.GREY: 2,
    Light.GREEN: 3,
    Light.BLUE: 4,
    Light.YELLOW: 5,
    Light.RED: 6,
})


def severity(light: str) -> int:
    return SEVERITY[Light(light)]


def worst(lights: Iterable[str], default: Light = Light.GREEN) -> Light:
    return max((Light(light) for light in lights), key=severity, default=default)


# The order failure modes of the same level are listed in.
_MODE_ORDER = MappingProxyType({mode: index for index, mode in enumerate(Mode)})


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """A plan's settings for the failure modes; the defaults are the mechanism's own."""

    acknowledge_yellow_days: int = 2   # working days after issue
    acknowledge_red_days: int = 5
    report_grace_days: int = 2         # working days after a report's due date
    report_red_cycles: int = 2         # missed cycles that make the task red (one makes it yellow)
    lag_yellow_points: int = 10        # yellow from this lag on
    lag_red_points: int = 30           # red above this lag
    due_soon_days: int = 3             # working days before a deadline or milestone

    def __post_init__(self):
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number not below 0, not {value!r}")
        if self.acknowledge_red_days < self.acknowledge_yellow_days:
            raise ValueError("acknowledge_red_days must not be below acknowledge_yellow_days")
        if self.report_red_cycles < 1:
            raise ValueError("report_red_cycles must be at least 1")
        if self.lag_red_points < self.lag_yellow_points:
            raise ValueError("lag_red_points must not be below lag_yellow_points")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Report:
    on: dt.date
    percent: int

    def __post_init__(self):
        if not 0 <= self.percent <= 100:
            raise ValueError(f"percent complete must be 0..100, not {self.percent}")


@dataclass(frozen=True)
class Milestone:
    key: Hashable   # the caller's identifier, handed back in failure modes
    due: dt.date
    done_on: dt.date | None = None


@dataclass(frozen=True)
class CoordinationRequest:
    key: Hashable
    raised_on: dt.date
    answer_due: dt.date
    answered_on: dt.date | None = None


@dataclass(frozen=True)
class Extension:
    """An approved deadline extension (延期): from `approved_on` the deadline is `deadline`."""

    approved_on: dt.date
    deadline: dt.date


@dataclass(frozen=True, kw_only=True)
class TaskFacts:
    """Everything the engine knows about one task.

    `deadline` is the current deadline and `baseline_deadline` the original one (defaults to
    `deadline`). `extensions` lets the engine know the deadline before an extension was
    approved; without them `deadline` holds on every date. `start_date` defaults to the issue
    date. `completion_submitted_on` is the date of the pending or approved 办结申请, and is read
    only in the states that follow one (completion_submitted, completed, closed, cancelled);
    `completed_on` only when completed or closed; `cancelled_on` only when cancelled.
    `blocked_since` is set while the owner marks the task blocked.
    """

    state: State
    deadline: dt.date
    baseline_deadline: dt.date | None = None
    start_date: dt.date | None = None
    issued_on: dt.date | None = None
    acknowledged_on: dt.date | None = None
    completion_submitted_on: dt.date | None = None
    completed_on: dt.date | None = None
    cancelled_on: dt.date | None = None
    cycle: Cycle = Cycle.MONTHLY
    reports: tuple[Report, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    blocked_since: dt.date | None = None
    requests: tuple[CoordinationRequest, ...] = ()
    extensions: tuple[Extension, ...] = ()
    # Derived once, as a task is evaluated on many dates: the days reports were made on, in
    # order, with the highest percent reported each day; the milestones by due date.
    _report_days: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)
    _report_percents: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _milestones_by_due: tuple[Milestone, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Accept the model's plain strings and any iterables, keep the facts immutable.
        object.__setattr__(self, "state", _STATES.get(self.state) or State(self.state))
        object.__setattr__(self, "cycle", _CYCLES.get(self.cycle) or Cycle(self.cycle))
        if self.baseline_deadline is None:
            object.__setattr__(self, "baseline_deadline", self.deadline)
        for name in ("reports", "milestones", "requests", "extensions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        best: dict[dt.date, int] = {}
        for report in self.reports:
            if best.get(report.on, -1) < report.percent:
                best[report.on] = report.percent
        days = sorted(best)
        object.__setattr__(self, "_report_days", tuple(days))
        object.__setattr__(self, "_report_percents", tuple(best[day] for day in days))
        object.__setattr__(self, "_milestones_by_due", tuple(sorted(self.milestones, key=lambda m: m.due)))


# The members by value (a member is its own value's key), looked up without the enum's call:
# statistics build thousands of facts from the database's strings.
_STATES = MappingProxyType({state.value: state for state in State})
_CYCLES = MappingProxyType({cycle.value: cycle for cycle in Cycle})


@dataclass(frozen=True)
class FailureMode:
    """One failure found: its code and level, the rule behind it and what it is about.

    `date` is the date in question: the acknowledgement or report that was due, the milestone,
    the request's answer date, the deadline, or the day the owner marked the task blocked.
    `ref` is the milestone's or request's key. `value` is a count: working days since issue
    (not_acknowledged), cycles missed (report_missing), points of lag (schedule_lag), working
    days past the deadline (past_deadline) or left before it (deadline_near, milestone_near).
    """

    code: Mode
    level: Light
    rule: Rule
    date: dt.date | None = None
    ref: Hashable | None = None
    value: int | None = None


@dataclass(frozen=True, kw_only=True)
class Status:
    as_of: dt.date
    phase: Phase
    light: Light
    failure_modes: tuple[FailureMode, ...] = ()
    deadline: dt.date                           # the deadline in force on as_of
    percent_complete: int = 0                   # from the latest report on or before as_of
    last_report_on: dt.date | None = None
    next_report_due: dt.date | None = None      # while a report can be due (issued, in progress)
    acknowledge_by: dt.date | None = None       # while awaiting acknowledgement
    schedule_lag: int | None = None             # points; once started, until submitted
    completion: Completion | None = None        # for done tasks, against the baseline deadline

    @property
    def codes(self) -> tuple[Mode, ...]:
        """The failure-mode codes present, worst first, each once."""
        return tuple(dict.fromkeys(mode.code for mode in self.failure_modes))


# ---------------------------------------------------------------------------------------------
# Reading the facts as of a date

def phase_as_of(task: TaskFacts, as_of: dt.date) -> Phase:
    # Identity tests on the members: the statistics ask this for every task on many dates.
    state = task.state
    if state is State.CANCELLED and _on_or_before(task.cancelled_on, as_of):
        return Phase.CANCELLED
    if state is State.DRAFT or task.issued_on is None or task.issued_on > as_of:
        return Phase.DRAFT
    finished = state is State.COMPLETED or state is State.CLOSED
    if finished and _on_or_before(task.completed_on, as_of):
        return Phase.DONE
    if ((finished or state is State.COMPLETION_SUBMITTED or state is State.CANCELLED)
            and _on_or_before(task.completion_submitted_on, as_of)):
        return Phase.SUBMITTED
    acknowledged_on = task.acknowledged_on
    return Phase.IN_PROGRESS if acknowledged_on is not None and acknowledged_on <= as_of else Phase.ISSUED


def deadline_as_of(task: TaskFacts, as_of: dt.date) -> dt.date:
    """The deadline in force on `as_of`: extensions approved later had not moved it yet."""
    if not task.extensions or all(extension.approved_on <= as_of for extension in task.extensions):
        return task.deadline
    approved = sorted((e for e in task.extensions if e.approved_on <= as_of), key=lambda e: e.approved_on)
    return approved[-1].deadline if approved else task.baseline_deadline


def _on_or_before(day: dt.date | None, as_of: dt.date) -> bool:
    return day is not None and day <= as_of


def _latest_report(task: TaskFacts, as_of: dt.date) -> tuple[dt.date | None, int]:
    """The latest report's date and percent; of several that day, the highest percent."""
    index = bisect_right(task._report_days, as_of)
    if not index:
        return None, 0
    return task._report_days[index - 1], task._report_percents[index - 1]


# ---------------------------------------------------------------------------------------------
# The reporting grid

def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day.day <= 28:   # every month has it; only later days need the month's length
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


# The grid is a pure function of its arguments, and tasks issued together share their anchor:
# the pages and the statistics ask the same few questions for thousands of tasks.
@lru_cache(maxsize=1 << 16)
def report_due(anchor: dt.date, cycle: Cycle, k: int) -> dt.date:
    """The end of the k-th reporting cycle counted from `anchor` (k = 0 is the anchor itself)."""
    if cycle is Cycle.WEEKLY:
        return anchor + dt.timedelta(days=7 * k)
    if cycle is Cycle.HALF_MONTHLY:
        return _add_months(anchor, k // 2) + dt.timedelta(days=15 * (k % 2))
    if cycle is Cycle.MONTHLY:
        return _add_months(anchor, k)
    return _add_months(anchor, 3 * k)


@lru_cache(maxsize=1 << 16)
def _first_cycle_ending_on_or_after(anchor: dt.date, cycle: Cycle, day: dt.date) -> int:
    """The smallest k >= 0 with report_due(anchor, cycle, k) >= day, found in a few steps."""
    if day <= anchor:
        return 0
    if cycle is Cycle.WEEKLY:
        return -(-(day - anchor).days // 7)
    # Start from the first cycle that can end in `day`'s month (the one before it ends in an
    # earlier month), then step forward: at most a step or two.
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    if cycle is Cycle.HALF_MONTHLY:
        k = max(0, 2 * months - 1)
    elif cycle is Cycle.MONTHLY:
        k = months
    else:
        k = months // 3
    while report_due(anchor, cycle, k) < day:
        k += 1
    return k


# ---------------------------------------------------------------------------------------------
# The engine

def evaluate(
    task: TaskFacts,
    as_of: dt.date,
    calendar: Calendar,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Status:
    """The task's light, failure modes and due dates as they stood on `as_of`."""
    phase = phase_as_of(task, as_of)
    deadline = deadline_as_of(task, as_of)
    last_report_on, percent = _latest_report(task, as_of)
    common = {
        "as_of": as_of, "phase": phase, "deadline": deadline,
        "percent_complete": percent, "last_report_on": last_report_on,
    }
    if phase is Phase.DRAFT:
        return Status(light=Light.GREY, **common)
    if phase is Phase.CANCELLED:
        return Status(light=Light.CANCELLED, **common)
    if phase is Phase.DONE:
        on_time = task.completed_on <= task.baseline_deadline
        return Status(light=Light.DONE, completion=Completion.ON_TIME if on_time else Completion.LATE, **common)
    if phase is Phase.SUBMITTED:
        if task.completion_submitted_on <= deadline:
            return Status(light=Light.GREEN, **common)
        late = FailureMode(Mode.OVERDUE, Light.RED, Rule.PAST_DEADLINE, deadline,
                           value=calendar.working_days_between(deadline, task.completion_submitted_on))
        return Status(light=Light.RED, failure_modes=(late,), **common)

    findings, next_report_due, acknowledge_by, lag = _live(task, phase, deadline, last_report_on, percent, as_of,
                                                           calendar, thresholds)
    findings.sort(key=lambda f: (-SEVERITY[f[0]], _MODE_ORDER[f[1]]))
    return Status(
        light=findings[0][0] if findings else _untroubled(task, as_of),
        failure_modes=tuple(FailureMode(code, level, rule, date, ref, value)
                            for level, code, rule, date, ref, value in findings),
        next_report_due=next_report_due,
        acknowledge_by=acknowledge_by,
        schedule_lag=lag,
        **common,
    )


def light_on(
    task: TaskFacts,
    as_of: dt.date,
    calendar: Calendar,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Light:
    """`evaluate(task, as_of, ...).light`, from the same checks without building the status and
    its failure modes: the statistics ask it for every task on a dozen dates."""
    phase = phase_as_of(task, as_of)
    if phase is Phase.DRAFT:
        return Light.GREY
    if phase is Phase.CANCELLED:
        return Light.CANCELLED
    if phase is Phase.DONE:
        return Light.DONE
    deadline = deadline_as_of(task, as_of)
    if phase is Phase.SUBMITTED:
        return Light.GREEN if task.completion_submitted_on <= deadline else Light.RED
    last_report_on, percent = _latest_report(task, as_of)
    findings = _live(task, phase, deadline, last_report_on, percent, as_of, calendar, thresholds)[0]
    if not findings:
        return _untroubled(task, as_of)
    return max((finding[0] for finding in findings), key=SEVERITY.__getitem__)


def _untroubled(task: TaskFacts, as_of: dt.date) -> Light:
    return Light.GREY if as_of < (task.start_date or task.issued_on) else Light.GREEN


# A failure found by a check, as a plain tuple (evaluate turns them into FailureModes, in this
# field order after the level): (level, code, rule, date, ref, value).
Finding = tuple[Light, Mode, Rule, dt.date | None, Hashable | None, int | None]


def _live(task, phase, deadline, last_report_on, percent, as_of, calendar, thresholds):
    """The checks of a task issued or in progress: its findings, in the order the checks run,
    the next report's due date, the acknowledgement date and the schedule lag."""
    start = task.start_date or task.issued_on
    findings: list[Finding] = []
    acknowledge_by = None
    if phase is Phase.ISSUED:
        acknowledge_by = calendar.add_working_days(task.issued_on, thresholds.acknowledge_yellow_days)
        findings += _no_response(task, as_of, calendar, thresholds, acknowledge_by)
    next_report_due, report_findings = _reports(task, start, last_report_on, as_of, calendar, thresholds)
    findings += report_findings
    if task.milestones:
        findings += _milestones(task, as_of, calendar, thresholds)
    lag = None
    if as_of >= start:
        lag = _elapsed_points(start, deadline, as_of) - percent
        findings += _lag(lag, thresholds)
    if task.blocked_since is not None or task.requests:
        findings += _blocked(task, as_of)
    findings += _deadline(deadline, as_of, calendar, thresholds)
    return findings, next_report_due, acknowledge_by, lag


def _no_response(task, as_of, calendar, thresholds, acknowledge_by) -> list[Finding]:
    if as_of <= acknowledge_by:
        return []
    red_after = calendar.add_working_days(task.issued_on, thresholds.acknowledge_red_days)
    level = Light.RED if as_of > red_after else Light.YELLOW
    waited = calendar.working_days_between(task.issued_on, as_of)
    return [(level, Mode.NO_RESPONSE, Rule.NOT_ACKNOWLEDGED, acknowledge_by, None, waited)]


def _reports(task, start, last_report_on, as_of, calendar, thresholds):
    """The next report's due date, and the report_missing finding when cycles have been missed."""
    anchor = max(start, task.issued_on)
    cycle = task.cycle
    first_due = 1
    if last_report_on is not None:
        first_due = _first_cycle_ending_on_or_after(anchor, cycle, last_report_on) + 1
    next_due = report_due(anchor, cycle, first_due)
    # The missed cycles are first_due..k for the largest such k; only cycles ended before
    # as_of can be missed, and the grace spares just the last few of them.
    grace = thresholds.report_grace_days
    k = _first_cycle_ending_on_or_after(anchor, cycle, as_of) - 1
    while k >= first_due and as_of <= calendar.add_working_days(report_due(anchor, cycle, k), grace):
        k -= 1
    count = k - first_due + 1
    if count <= 0:
        return next_due, []
    level = Light.RED if count >= thresholds.report_red_cycles else Light.YELLOW
    return next_due, [(level, Mode.NO_PROGRESS, Rule.REPORT_MISSING, next_due, None, count)]


def _milestones(task, as_of, calendar, thresholds) -> list[Finding]:
    horizon = None
    findings = []
    for milestone in task._milestones_by_due:
        if milestone.done_on is not None and milestone.done_on <= as_of:
            continue
        if milestone.due < as_of:
            findings.append((Light.RED, Mode.NO_PROGRESS, Rule.MILESTONE_MISSED, milestone.due, milestone.key, None))
            continue
        if horizon is None:
            horizon = calendar.add_working_days(as_of, thresholds.due_soon_days)
        if milestone.due <= horizon:
            findings.append((Light.BLUE, Mode.DUE_SOON, Rule.MILESTONE_NEAR, milestone.due, milestone.key,
                             calendar.working_days_between(as_of, milestone.due)))
    return findings


def _elapsed_points(start: dt.date, deadline: dt.date, as_of: dt.date) -> int:
    """Whole points (0..100) of the calendar time from start to deadline elapsed on as_of."""
    total = (deadline - start).days
    if total <= 0:
        return 100
    return min(100, 100 * (as_of - start).days // total)


def _lag(lag: int, thresholds: Thresholds) -> list[Finding]:
    if lag > thresholds.lag_red_points:
        level = Light.RED
    elif lag >= thresholds.lag_yellow_points:
        level = Light.YELLOW
    else:
        return []
    return [(level, Mode.NO_PROGRESS, Rule.SCHEDULE_LAG, None, None, lag)]


def _blocked(task, as_of) -> list[Finding]:
    findings = []
    if _on_or_before(task.blocked_since, as_of):
        findings.append((Light.YELLOW, Mode.BLOCKED, Rule.MARKED_BLOCKED, task.blocked_since, None, None))
    for request in sorted(task.requests, key=lambda r: (r.answer_due, r.raised_on)):
        if request.raised_on > as_of or _on_or_before(request.answered_on, as_of):
            continue
        overdue = as_of > request.answer_due
        findings.append((Light.RED if overdue else Light.YELLOW, Mode.BLOCKED,
                         Rule.REQUEST_OVERDUE if overdue else Rule.REQUEST_OPEN, request.answer_due, request.key, None))
    return findings


def _deadline(deadline, as_of, calendar, thresholds) -> list[Finding]:
    if as_of > deadline:
        return [(Light.RED, Mode.OVERDUE, Rule.PAST_DEADLINE, deadline, None,
                 calendar.working_days_between(deadline, as_of))]
    if deadline <= calendar.add_working_days(as_of, thresholds.due_soon_days):
        return [(Light.BLUE, Mode.DUE_SOON, Rule.DEADLINE_NEAR, deadline, None,
                 calendar.working_days_between(as_of, deadline))]
    return []


# ---------------------------------------------------------------------------------------------
# Escalation and roll-up

def _fact_dates(task: TaskFacts) -> set[dt.date]:
    """Every date on which a fact appears; between two of them the facts read the same."""
    days = {task.issued_on, task.acknowledged_on, task.completion_submitted_on, task.completed_on,
            task.cancelled_on, task.blocked_since}
    days.update(report.on for report in task.reports)
    days.update(milestone.done_on for milestone in task.milestones)
    days.update(request.raised_on for request in task.requests)
    days.update(request.answered_on for request in task.requests)
    days.update(extension.approved_on for extension in task.extensions)
    days.discard(None)
    return days


def red_since(
    task: TaskFacts,
    as_of: dt.date,
    calendar: Calendar,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dt.date | None:
    """The first day of the unbroken red run that includes `as_of`; None when not red on as_of.

    Between two fact dates the facts read the same and the light only gets worse with time, so
    each such stretch is red from some day to its end: the run is found stretch by stretch,
    with a binary search inside the stretch where it starts. The work is bounded by the number
    of facts, not by the length of the run.
    """

    def red(day: dt.date) -> bool:
        return light_on(task, day, calendar, thresholds) is Light.RED

    if not red(as_of):
        return None
    changes = _fact_dates(task)
    end = as_of
    while True:
        # Red needs the issue to be visible, so a fact date on or before `end` exists.
        stretch_start = max(day for day in changes if day <= end)
        if not red(stretch_start):
            return _first_true(red, stretch_start, end)
        before = stretch_start - ONE_DAY
        if not red(before):
            return stretch_start
        end = before


def _first_true(predicate: Callable[[dt.date], bool], low: dt.date, high: dt.date) -> dt.date:
    """The first day in (low, high] where a predicate false on low and true on high turns true."""
    while (high - low).days > 1:
        middle = low + (high - low) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle
    return high


def lights(
    task: TaskFacts,
    dates: Iterable[dt.date],
    calendar: Calendar,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Light]:
    """`evaluate(task, day, ...).light` for each of `dates`, evaluating only where the light can
    have changed since the date before (dates in ascending order skip the most).

    Done and cancelled last for good. Between two fact dates the light only gets worse with
    time (the reasoning of `red_since`), so a task red on one date stays red until its next
    fact.
    """
    changes = None   # the fact dates, sorted: read the first time the task is red
    out: list[Light] = []
    previous_day = light = None
    for day in dates:
        if previous_day is not None and day >= previous_day:
            if light is Light.DONE or light is Light.CANCELLED:
                out.append(light)
                continue
            if light is Light.RED:
                if changes is None:
                    changes = sorted(_fact_dates(task))
                if bisect_right(changes, previous_day) == bisect_right(changes, day):
                    out.append(light)
                    continue
        light = light_on(task, day, calendar, thresholds)
        previous_day = day
        out.append(light)
    return out


def rollup(statuses: Iterable[Status]) -> dict[Light, int]:
    """Counts by light, every light present (zero when none), e.g. for a parent task's subtree."""
    counts = dict.fromkeys(Light, 0)
    for status in statuses:
        counts[status.light] += 1
    return counts

