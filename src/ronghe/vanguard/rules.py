"""The pure rules of carriers and the problem ledger: how a problem's status may move, which
dates each status needs, reporting periods, and the figures of any set of carriers or problems
over any period. Plain data in, plain data out; no database.

Problems: open → tackling → solved → verified by the unit (or back to tackling when the unit
does not accept the solution); open or tackling → closed unsolved with a reason; closed →
open again. A problem counts as
- raised in a period when its `raised_on` falls in it;
- solved in a period when its `solved_on` does and it still stands solved or verified (a
  rejected solution loses its date);
- verified in a period when its `verified_on` does;
and the benefit of a period is that of the problems solved in it.

Carriers count on a day when they were established on or before it and not retired by then.
Members covered is the share of all Party members (of the scope looked at) who sit on at least
one carrier counted."""
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

OPEN, TACKLING, SOLVED, VERIFIED, CLOSED = "open", "tackling", "solved", "verified", "closed"
STATUSES = (OPEN, TACKLING, SOLVED, VERIFIED, CLOSED)

# step → (statuses it starts from, status it leads to)
STEPS = {
    "start": ((OPEN,), TACKLING),
    "solve": ((OPEN, TACKLING), SOLVED),
    "verify": ((SOLVED,), VERIFIED),
    "reject": ((SOLVED,), TACKLING),
    "close": ((OPEN, TACKLING), CLOSED),
    "reopen": ((CLOSED,), OPEN),
}


def steps_from(status: str) -> list[str]:
    """The steps a problem in `status` can take, in the order of STEPS."""
    return [step for step, (sources, _target) in STEPS.items() if status in sources]


def target_of(step: str, status: str) -> str | None:
    """Where `step` takes a problem in `status`; None when it cannot be taken from there."""
    sources, target = STEPS[step]
    return target if status in sources else None


def reachable(status: str) -> set[str]:
    """Every status reachable from `status` by any number of steps (itself included)."""
    seen, todo = {status}, [status]
    while todo:
        current = todo.pop()
        for step in steps_from(current):
            nxt = STEPS[step][1]
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


# --- dates each status needs ---------------------------------------------------------------------

@dataclass(frozen=True)
class ProblemDates:
    status: str
    raised_on: dt.date | None
    started_on: dt.date | None = None
    solved_on: dt.date | None = None
    verified_on: dt.date | None = None
    closed_on: dt.date | None = None


NEEDED = {
    OPEN: (),
    TACKLING: ("started_on",),
    SOLVED: ("solved_on",),
    VERIFIED: ("solved_on", "verified_on"),
    CLOSED: ("closed_on",),
}
ALLOWED = {
    OPEN: (),
    TACKLING: ("started_on",),
    SOLVED: ("started_on", "solved_on"),
    VERIFIED: ("started_on", "solved_on", "verified_on"),
    CLOSED: ("started_on", "closed_on"),
}
DATE_FIELDS = ("started_on", "solved_on", "verified_on", "closed_on")


def problem_date_errors(dates: ProblemDates) -> dict[str, str]:
    """{field: message} for every date a problem in its status lacks, should not have, or has
    out of order (raised ≤ started ≤ solved ≤ verified; raised ≤ started ≤ closed)."""
    errors: dict[str, str] = {}
    if dates.status not in STATUSES:
        return {"status": _("Unknown status.")}
    for name in NEEDED[dates.status]:
        if getattr(dates, name) is None:
            errors[name] = _("A problem with this status needs this date.")
    for name in DATE_FIELDS:
        if name not in ALLOWED[dates.status] and getattr(dates, name) is not None:
            errors[name] = _("A problem with this status has no such date.")
    chains = (("raised_on", "started_on", "solved_on", "verified_on"), ("raised_on", "started_on", "closed_on"),
              ("raised_on", "solved_on"), ("raised_on", "closed_on"))
    for chain in chains:
        values = [(name, getattr(dates, name)) for name in chain if getattr(dates, name) is not None]
        for (before, first), (after, second) in zip(values, values[1:], strict=False):
            if second < first and after not in errors:
                errors[after] = _("This date cannot be before the %(before)s.") % {"before": LABELS[before]}
    return errors


LABELS = {"raised_on": _("date raised"), "started_on": _("date tackling began"), "solved_on": _("date solved"),
          "verified_on": _("date verified"), "closed_on": _("date closed")}


# --- periods -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def __contains__(self, day) -> bool:
        return day is not None and self.start <= day <= self.end


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31))


def half(y: int, which: int) -> Period:
    """The first (1) or second (2) half of year `y`."""
    return Period(dt.date(y, 1, 1), dt.date(y, 6, 30)) if which == 1 else Period(dt.date(y, 7, 1), dt.date(y, 12, 31))


def quarter(y: int, q: int) -> Period:
    start = dt.date(y, 3 * q - 2, 1)
    end = dt.date(y, 12, 31) if q == 4 else dt.date(y, 3 * q + 1, 1) - dt.timedelta(days=1)
    return Period(start, end)


def month_starts(period: Period) -> list[dt.date]:
    """The first day of every month the period touches."""
    out, day = [], period.start.replace(day=1)
    while day <= period.end:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# --- problem figures -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProblemFacts:
    id: int
    status: str
    category: str
    carrier_id: int | None
    unit_id: int
    raised_on: dt.date
    solved_on: dt.date | None = None
    verified_on: dt.date | None = None
    closed_on: dt.date | None = None
    oil_t: Decimal = Decimal(0)
    gas_m3: Decimal = Decimal(0)
    cost_saved: Decimal = Decimal(0)

    @property
    def stands_solved(self) -> bool:
        return self.status in (SOLVED, VERIFIED) and self.solved_on is not None


@dataclass
class ProblemFigures:
    raised: int = 0
    solved: int = 0
    verified: int = 0
    closed: int = 0
    oil_t: Decimal = Decimal(0)
    gas_m3: Decimal = Decimal(0)
    cost_saved: Decimal = Decimal(0)

    def add(self, p: ProblemFacts, period: Period) -> None:
        if p.raised_on in period:
            self.raised += 1
        if p.stands_solved and p.solved_on in period:
            self.solved += 1
            self.oil_t += p.oil_t
            self.gas_m3 += p.gas_m3
            self.cost_saved += p.cost_saved
        if p.status == VERIFIED and p.verified_on in period:
            self.verified += 1
        if p.status == CLOSED and p.closed_on in period:
            self.closed += 1

    @property
    def touched(self) -> bool:
        return bool(self.raised or self.solved or self.verified or self.closed)

    def as_dict(self) -> dict:
        return {"raised": self.raised, "solved": self.solved, "verified": self.verified, "closed": self.closed,
                "oil_t": self.oil_t, "gas_m3": self.gas_m3, "cost_saved": self.cost_saved}


@dataclass
class ProblemSummary:
    period: Period
    total: ProblemFigures
    by_category: dict[str, ProblemFigures]
    by_carrier: dict[int | None, ProblemFigures]
    by_unit: dict[int, ProblemFigures]
    open_at_end: int
    monthly: list[dict] = field(default_factory=list)


def problem_summary(rows: Iterable[ProblemFacts], period: Period) -> ProblemSummary:
    """Raised, solved, verified and closed in `period`, with the benefit of those solved, in
    total and by category, carrier and unit (groups with nothing in the period left out), the
    problems still open or being tackled at its end, and the same figures month by month."""
    rows = list(rows)
    total = ProblemFigures()
    groups: dict[str, dict] = {"category": defaultdict(ProblemFigures), "carrier": defaultdict(ProblemFigures),
                               "unit": defaultdict(ProblemFigures)}
    open_at_end = 0
    for p in rows:
        total.add(p, period)
        groups["category"][p.category].add(p, period)
        groups["carrier"][p.carrier_id].add(p, period)
        groups["unit"][p.unit_id].add(p, period)
        if p.raised_on <= period.end and not _finished_by(p, period.end):
            open_at_end += 1
    kept = {name: {k: v for k, v in found.items() if v.touched} for name, found in groups.items()}
    monthly = []
    for first in month_starts(period):
        month = Period(max(first, period.start), min(month_end(first), period.end))
        figures = ProblemFigures()
        for p in rows:
            figures.add(p, month)
        monthly.append({"month": first, **figures.as_dict()})
    return ProblemSummary(period, total, kept["category"], kept["carrier"], kept["unit"], open_at_end, monthly)


def _finished_by(p: ProblemFacts, day: dt.date) -> bool:
    """Whether the problem was solved or closed by `day`, as far as its present dates tell."""
    return (p.stands_solved and p.solved_on <= day) or (p.status == CLOSED and p.closed_on is not None
                                                        and p.closed_on <= day)


# --- carrier figures -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CarrierFacts:
    id: int
    kind: str
    category: str
    production_related: bool
    established_on: dt.date
    retired_on: dt.date | None
    member_ids: frozenset = frozenset()
    lead_id: int | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.established_on <= day and (self.retired_on is None or self.retired_on > day)


@dataclass
class CarrierSummary:
    as_of: dt.date
    total: int
    by_kind: dict[str, int]
    by_category: dict[str, int]
    production_related: int
    established_in_period: int
    party_members: int
    members_covered: int
    without_members: list[int]
    without_lead: list[int]

    @property
    def production_share(self) -> float | None:
        return _ratio(self.production_related, self.total)

    @property
    def coverage(self) -> float | None:
        return _ratio(self.members_covered, self.party_members)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def carrier_summary(rows: Iterable[CarrierFacts], period: Period, party_member_ids: Iterable[int]) -> CarrierSummary:
    """The carriers standing at the end of `period`: counts by kind and category, how many are
    tied to production, how many were established within the period, which have no members or
    no lead, and how many of `party_member_ids` sit on at least one of them."""
    day = period.end
    members = set(party_member_ids)
    standing = [c for c in rows if c.active_on(day)]
    by_kind: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    covered: set[int] = set()
    for c in standing:
        by_kind[c.kind] += 1
        by_category[c.category] += 1
        covered |= c.member_ids
    return CarrierSummary(
        as_of=day, total=len(standing), by_kind=dict(by_kind), by_category=dict(by_category),
        production_related=sum(1 for c in standing if c.production_related),
        established_in_period=sum(1 for c in standing if c.established_on in period),
        party_members=len(members), members_covered=len(covered & members),
        without_members=sorted(c.id for c in standing if not c.member_ids),
        without_lead=sorted(c.id for c in standing if c.member_ids and c.lead_id is None),
    )


def standing_by_month(rows: Iterable[CarrierFacts], period: Period, kinds: Iterable[str]) -> list[dict]:
    """For the last day of each month of `period`: the carriers standing, by kind."""
    rows = list(rows)
    out = []
    for first in month_starts(period):
        day = min(month_end(first), period.end)
        counts = {kind: 0 for kind in kinds}
        for c in rows:
            if c.active_on(day):
                counts[c.kind] = counts.get(c.kind, 0) + 1
        out.append({"month": first, **counts})
    return out
