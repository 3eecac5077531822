"""What happens to a demo task and when: one profile per situation the status engine tells apart
(on track, due soon, unacknowledged, a report late, far behind, blocked, overdue, done on time
or late, …), turned into dated events relative to today.

Pure: `timeline(profile, today, calendar, rng)` returns the dates; nothing here touches the
database. The dates keep every profile's light on any day of the year, holidays and 调休
included: thresholds counted in working days are placed with the calendar, those counted in
calendar time keep a margin wider than the longest holiday."""
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from random import Random

from ronghe.core.workdays import Calendar
from ronghe.tasks.rules import Cycle, report_due

DAY = dt.timedelta(days=1)


class Profile(StrEnum):
    DRAFT = "draft"                          # grey: not issued yet
    NOT_STARTED = "not_started"              # grey: issued and acknowledged, starts later
    ON_TRACK = "on_track"                    # green
    DUE_SOON = "due_soon"                    # blue: the deadline is near, nearly done
    MILESTONE_SOON = "milestone_soon"        # blue: a node is near
    UNACKNOWLEDGED = "unacknowledged"        # yellow no_response
    IGNORED = "ignored"                      # red no_response
    REPORT_LATE = "report_late"              # yellow no_progress: one cycle without a report
    SILENT = "silent"                        # red no_progress: two cycles without a report
    MILESTONE_MISSED = "milestone_missed"    # red no_progress: a node past and not done
    LAGGING = "lagging"                      # yellow no_progress: 10–30 points behind
    FAR_BEHIND = "far_behind"                # red no_progress: over 30 points behind
    BLOCKED = "blocked"                      # yellow blocked
    OVERDUE = "overdue"                      # red overdue
    EXTENDED = "extended"                    # green after an approved extension
    EXTENSION_PENDING = "extension_pending"  # yellow lag, an extension waiting for a decision
    SUBMITTED = "submitted"                  # green: completion submitted (办结申请)
    RETURNED = "returned"                    # green: the completion was returned (退办)
    DONE_ON_TIME = "done_on_time"            # done, on time
    CLOSED = "closed"                        # done on time and evaluated (评价)
    DONE_LATE = "done_late"                  # done, late
    CANCELLED = "cancelled"                  # cancelled (作废)


@dataclass(frozen=True)
class Report:
    on: dt.date
    percent: int


@dataclass(frozen=True)
class Node:
    due: dt.date
    done_on: dt.date | None = None


@dataclass(frozen=True)
class Timeline:
    """A task's dates. `deadline` is the one the task is created with; an approved extension
    moves it to `extension_deadline` on `extension_decided_on`."""

    profile: Profile
    start: dt.date
    deadline: dt.date
    cycle: Cycle = Cycle.MONTHLY
    issued_on: dt.date | None = None
    acknowledged_on: dt.date | None = None
    reports: tuple[Report, ...] = ()
    nodes: tuple[Node, ...] = ()
    blocked_on: dt.date | None = None
    extension_requested_on: dt.date | None = None
    extension_deadline: dt.date | None = None
    extension_decided_on: dt.date | None = None
    submitted_on: dt.date | None = None
    returned_on: dt.date | None = None
    accepted_on: dt.date | None = None
    evaluated: bool = False
    cancelled_on: dt.date | None = None
    notes: dict = field(default_factory=dict)

    @property
    def current_deadline(self) -> dt.date:
        return self.extension_deadline if self.extension_decided_on else self.deadline


def _elapsed(start, deadline, day) -> int:
    total = (deadline - start).days
    return 100 if total <= 0 else max(0, min(100, 100 * (day - start).days // total))


def _reports(anchor, cycle, first, last, start, deadline, final) -> tuple[Report, ...]:
    """A report shortly before the end of each cycle between `first` and `last`, and one on
    `last`; the percentages rise with the time elapsed and end at `final`."""
    days = []
    k = 1
    while True:
        day = report_due(anchor, cycle, k) - 2 * DAY
        if day >= last:
            break
        if day >= first:
            days.append(day)
        k += 1
    days.append(last)
    reached = max(1, _elapsed(start, deadline, last))
    out, previous = [], 0
    for day in days:
        percent = max(previous, min(final, round(final * _elapsed(start, deadline, day) / reached)))
        out.append(Report(day, percent))
        previous = percent
    return tuple(out)


def _nodes(start, deadline, ack, done_until, horizon, today, *, keep_near=False) -> tuple[Node, ...]:
    """Three nodes at a quarter, a half and most of the way. Those due before `done_until` are
    done the day before they fall due; one due between today and `horizon` (the due-soon
    window) is done early, the day before today, unless the profile wants it near."""
    nodes = []
    span = (deadline - start).days
    for share in (0.25, 0.5, 0.85):
        due = start + dt.timedelta(days=int(span * share))
        done = None
        if done_until is not None and due < done_until:
            done = max(ack, due - DAY)
        elif done_until is not None and due <= horizon and not keep_near:
            done = max(ack, min(due, today) - DAY)
        nodes.append(Node(due, done))
    return tuple(nodes)


def timeline(profile: Profile, today: dt.date, calendar: Calendar, rng: Random,
             cycle: Cycle = Cycle.MONTHLY) -> Timeline:
    T = today

    def W(n):  # noqa: N802  (the working day n away from today, as in the docs of rules)
        return calendar.add_working_days(T, n)

    def days(n):
        return T + dt.timedelta(days=n)

    horizon = W(3)

    def ack_after(issued):
        return min(T, calendar.add_working_days(issued, 1))

    def running(start, deadline, final, *, cycle=cycle, last=None, done_until=None, keep_near=False, **extra):
        """Issued on the start date, acknowledged the next working day, reporting every cycle."""
        issued = start
        ack = ack_after(issued)
        last = last or max(ack, days(-2))
        reports = _reports(max(start, issued), cycle, ack, last, start, deadline, final)
        nodes = _nodes(start, deadline, ack, done_until or T, horizon, T, keep_near=keep_near)
        return Timeline(profile, start, deadline, cycle, issued, ack, reports, nodes, **extra)

    def on_pace(start, deadline, bonus=2):
        return min(99, _elapsed(start, deadline, days(-2)) + bonus)

    if profile is Profile.DRAFT:
        start = days(rng.randint(10, 40))
        deadline = start + dt.timedelta(days=rng.randint(150, 240))
        return Timeline(profile, start, deadline, cycle, nodes=_nodes(start, deadline, T, None, horizon, T))
    if profile is Profile.NOT_STARTED:
        issued, start = W(-2), days(rng.randint(20, 40))
        deadline = start + dt.timedelta(days=rng.randint(150, 240))
        return Timeline(profile, start, deadline, cycle, issued, ack_after(issued),
                        nodes=_nodes(start, deadline, T, None, horizon, T))
    if profile in (Profile.ON_TRACK, Profile.BLOCKED, Profile.MILESTONE_SOON, Profile.MILESTONE_MISSED):
        start, deadline = days(-rng.randint(60, 150)), days(rng.randint(80, 200))
        task = running(start, deadline, on_pace(start, deadline), keep_near=profile is Profile.MILESTONE_SOON)
        if profile is Profile.BLOCKED:
            return _replace(task, blocked_on=days(-4))
        if profile is Profile.MILESTONE_SOON:
            first, _, last = task.nodes
            return _replace(task, nodes=(first, Node(W(2)), last))
        if profile is Profile.MILESTONE_MISSED:
            first, _, last = task.nodes
            return _replace(task, nodes=(first, Node(days(-10)), last))
        return task
    if profile is Profile.DUE_SOON:
        start, deadline = days(-rng.randint(120, 200)), W(2)
        return running(start, deadline, 95)
    if profile in (Profile.UNACKNOWLEDGED, Profile.IGNORED):
        issued = W(-3) if profile is Profile.UNACKNOWLEDGED else W(-7)
        deadline = days(rng.randint(150, 220))
        # Monthly: a week's report would fall due while a long holiday keeps it unacknowledged.
        return Timeline(profile, issued, deadline, Cycle.MONTHLY, issued,
                        nodes=_nodes(issued, deadline, T, None, horizon, T))
    if profile in (Profile.REPORT_LATE, Profile.SILENT):
        # The cycle a report was due in ended three working days ago (grace: two), and the
        # next one ends a month later; a silent task missed the one before as well.
        missed = 1 if profile is Profile.REPORT_LATE else 2
        anchor = report_due(W(-3), Cycle.MONTHLY, -(missed + 1))
        deadline = anchor + dt.timedelta(days=300 + rng.randint(0, 60))
        ack = ack_after(anchor)
        reported = report_due(anchor, Cycle.MONTHLY, 1) - 3 * DAY
        percent = min(99, _elapsed(anchor, deadline, T) + 2)
        nodes = _nodes(anchor, deadline, ack, reported, horizon, T)
        nodes = tuple(n if n.done_on or n.due > horizon else Node(n.due, max(ack, min(n.due, reported)))
                      for n in nodes)
        return Timeline(profile, anchor, deadline, Cycle.MONTHLY, anchor, ack, (Report(reported, percent),), nodes)
    if profile is Profile.LAGGING:
        half = rng.randint(80, 120)
        start, deadline = days(-half), days(half)  # half the time gone
        return running(start, deadline, rng.randint(35, 38))
    if profile is Profile.FAR_BEHIND:
        third = rng.randint(45, 55)
        start, deadline = days(-3 * third), days(third)  # three quarters of the time gone
        return running(start, deadline, rng.randint(30, 40), notes={"problems": True})
    if profile is Profile.OVERDUE:
        start, deadline = days(-rng.randint(200, 240)), days(-rng.randint(10, 20))
        return running(start, deadline, 85, notes={"problems": True})
    if profile is Profile.EXTENDED:
        start, deadline, extended = days(-150), days(-5), days(60)
        task = running(start, extended, on_pace(start, extended))
        return _replace(task, deadline=deadline, extension_requested_on=days(-25), extension_deadline=extended,
                        extension_decided_on=days(-20))
    if profile is Profile.EXTENSION_PENDING:
        start, deadline = days(-120), days(30)
        task = running(start, deadline, rng.randint(58, 62), notes={"problems": True})
        return _replace(task, extension_requested_on=days(-3), extension_deadline=days(90))
    if profile is Profile.SUBMITTED:
        start, deadline = days(-150), days(20)
        task = running(start, deadline, 100, last=days(-3), done_until=days(-2))
        return _replace(task, submitted_on=days(-2))
    if profile is Profile.RETURNED:
        start, deadline = days(-160), days(40)
        # Monthly: the last report, before the completion was submitted, still covers today.
        task = running(start, deadline, 95, cycle=Cycle.MONTHLY, last=days(-22))
        return _replace(task, submitted_on=days(-20), returned_on=days(-15))
    if profile in (Profile.DONE_ON_TIME, Profile.CLOSED):
        start, deadline = days(-rng.randint(190, 230)), days(-20)
        task = running(start, deadline, 100, last=days(-30), done_until=days(-26))
        return _replace(task, submitted_on=days(-25), accepted_on=days(-22), evaluated=profile is Profile.CLOSED)
    if profile is Profile.DONE_LATE:
        start, deadline = days(-rng.randint(200, 240)), days(-40)
        task = running(start, deadline, 100, last=days(-12), done_until=days(-11))
        return _replace(task, submitted_on=days(-10), accepted_on=days(-8))
    if profile is Profile.CANCELLED:
        start, deadline = days(-100), days(100)
        task = running(start, deadline, 20, last=days(-40), done_until=days(-40), keep_near=True)
        return _replace(task, cancelled_on=days(-30))
    raise ValueError(f"unknown profile {profile!r}")


def _replace(task: Timeline, **changes) -> Timeline:
    values = {name: getattr(task, name) for name in Timeline.__dataclass_fields__}
    values.update(changes)
    return Timeline(**values)
