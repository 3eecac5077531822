"""The 三会一课 compliance engine: party organisations × periods → a status per requirement, as
of a date. Pure: it takes plain data (organisations, rules, meetings) and returns plain data,
so pages, the API, reminders, the 通报 and `check_orglife` all judge alike.

A requirement is a rule applied to one organisation in one period (a month or a quarter):
"支部 X holds at least one 支委会 in March". Its status on `as_of`:

- ``held``    (green)  enough meetings of the kind were held inside the period;
- ``late``    (amber)  the period ended short, and make-up meetings (补开) recorded for it,
                       held after it ended, brought it up to the count;
- ``missing`` (red)    the period ended (its last day is before `as_of`) short of the count;
- ``pending`` (open)   the period is under way (`as_of` within it) and not yet satisfied;
- ``future``           the period starts after `as_of`;
- ``exempt``           the rule exempts the organisation (a branch of fewer than seven
                       members has no branch committee, so it owes no 支委会);
- ``inactive``         the organisation did not exist for the whole period (established
                       after its first day, or abolished on or before its last day): only
                       whole periods are owed, so a branch set up on 20 March owes its first
                       支委会 in April.

A meeting counts once: for the period of its date, or — when it is recorded as a make-up
(``makeup_for``, a date in an earlier period) — for that earlier period only, where it makes
the period ``late`` rather than ``held``. Meetings dated after `as_of` are ignored, so "what did
it look like on 30 June" is the same call with another date."""
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field


class Status(enum.StrEnum):
    HELD = "held"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"
    FUTURE = "future"
    EXEMPT = "exempt"
    INACTIVE = "inactive"


class Frequency(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


# Statuses of requirements that are owed by `as_of`: the period ended, or it was met already.
DUE = (Status.HELD, Status.LATE, Status.MISSING)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    frequency: Frequency = field(compare=False)

    @property
    def key(self) -> str:
        """"2026-03" for a month, "2026-Q1" for a quarter."""
        if self.frequency == Frequency.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def period_of(day: dt.date, frequency: Frequency) -> Period:
    if frequency == Frequency.MONTH:
        return Period(day.replace(day=1), _month_end(day.year, day.month), frequency)
    first = (day.month - 1) // 3 * 3 + 1
    return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2), frequency)


def periods_of_year(year: int, frequency: Frequency) -> list[Period]:
    step = 1 if frequency == Frequency.MONTH else 3
    return [period_of(dt.date(year, month, 1), frequency) for month in range(1, 13, step)]


@dataclass(frozen=True)
class Rule:
    """At least `min_count` meetings of `meeting_kind` per `frequency`, owed by every active
    organisation of `org_kind`; organisations of fewer than `exempt_below_members` members
    (when set) are exempt."""

    id: int
    org_kind: str
    meeting_kind: str
    frequency: Frequency
    min_count: int = 1
    exempt_below_members: int | None = None


@dataclass(frozen=True)
class Org:
    id: int
    kind: str
    members: int = 0
    established_on: dt.date | None = None
    abolished_on: dt.date | None = None


@dataclass(frozen=True)
class Meeting:
    org_id: int
    kind: str
    held_on: dt.date
    makeup_for: dt.date | None = None


@dataclass(frozen=True)
class Cell:
    org_id: int
    rule_id: int
    meeting_kind: str
    period: Period
    status: Status
    held: int = 0       # meetings held inside the period (on or before as_of)
    made_up: int = 0    # make-up meetings held after the period for it


def applies(rule: Rule, org: Org) -> bool:
    return rule.org_kind == org.kind


def exempt(rule: Rule, org: Org) -> bool:
    return rule.exempt_below_members is not None and org.members < rule.exempt_below_members


def _active_in(org: Org, period: Period) -> bool:
    if org.established_on is not None and org.established_on > period.start:
        return False
    return not (org.abolished_on is not None and org.abolished_on <= period.end)


def tally(meetings: Iterable[Meeting], as_of: dt.date) -> dict:
    """(org id, kind) → (on-time dates, make-ups as (period day, held on)) of the meetings held
    on or before `as_of`; the index `evaluate` reads."""
    index: dict = defaultdict(lambda: ([], []))
    for m in meetings:
        if m.held_on > as_of:
            continue
        on_time, makeups = index[(m.org_id, m.kind)]
        if m.makeup_for is not None and m.makeup_for < m.held_on:
            makeups.append((m.makeup_for, m.held_on))
        else:
            on_time.append(m.held_on)
    return index


def judge(rule: Rule, org: Org, period: Period, as_of: dt.date, index: dict) -> Cell:
    """The status of one requirement (see the module's docstring)."""
    def cell(status, held=0, made_up=0):
        return Cell(org.id, rule.id, rule.meeting_kind, period, status, held, made_up)

    if not _active_in(org, period):
        return cell(Status.INACTIVE)
    if exempt(rule, org):
        return cell(Status.EXEMPT)
    on_time, makeups = index.get((org.id, rule.meeting_kind), ((), ()))
    held = sum(1 for day in on_time if day in period)
    made_up = sum(1 for day, held_on in makeups if day in period and held_on > period.end)
    # A make-up dated inside its own period is simply a meeting of that period.
    held += sum(1 for day, held_on in makeups if day in period and held_on <= period.end)
    if held >= rule.min_count:
        return cell(Status.HELD, held, made_up)
    if as_of < period.start:
        return cell(Status.FUTURE, held, made_up)
    if as_of <= period.end:
        return cell(Status.PENDING, held, made_up)
    if held + made_up >= rule.min_count:
        return cell(Status.LATE, held, made_up)
    return cell(Status.MISSING, held, made_up)


def evaluate(orgs: Iterable[Org], rules: Iterable[Rule], meetings: Iterable[Meeting], year: int,
             as_of: dt.date) -> list[Cell]:
    """Every requirement of `year` for every organisation a rule applies to, judged on `as_of`."""
    rules = list(rules)
    index = tally(meetings, as_of)
    periods = {f: periods_of_year(year, f) for f in Frequency}
    cells = []
    for org in orgs:
        for rule in rules:
            if applies(rule, org):
                cells.extend(judge(rule, org, period, as_of, index) for period in periods[rule.frequency])
    return cells


@dataclass
class Rates:
    """Counts of requirements by status and the rates built on them: `due` are those owed by
    `as_of` (held, late or missing); the compliance rate counts only those held on time, the
    completion rate make-ups too."""

    counts: dict = field(default_factory=lambda: {s: 0 for s in Status})

    def add(self, status: Status, n: int = 1):
        self.counts[status] += n

    @property
    def due(self) -> int:
        return sum(self.counts[s] for s in DUE)

    @property
    def compliance_rate(self) -> float | None:
        return self.counts[Status.HELD] / self.due if self.due else None

    @property
    def completion_rate(self) -> float | None:
        return (self.counts[Status.HELD] + self.counts[Status.LATE]) / self.due if self.due else None


def rates(cells: Iterable[Cell]) -> Rates:
    out = Rates()
    for c in cells:
        out.add(c.status)
    return out


def reminder_due(period: Period, as_of: dt.date, calendar, lead_working_days: int = 5) -> bool:
    """Whether `as_of` lies within the period and no more than `lead_working_days` working days
    before its end (counting the working days after `as_of` up to and including the last day),
    when a meeting still missing is worth a reminder."""
    if as_of not in period:
        return False
    return calendar.working_days_between(as_of, period.end) <= lead_working_days
