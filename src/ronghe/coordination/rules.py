"""The pure engine of coordination requests: when an answer is due, when an unanswered request
escalates, which reminder it earns on a day, and the statistics of a period (raised, answered,
answered on time, average answer time in working days). Plain data in, plain data out, dates
counted in China working days through a `core.workdays.Calendar`."""
import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum

ANSWER_WORKING_DAYS = 5        # default time to answer (明确答复) from the day a request is raised
ESCALATION_WORKING_DAYS = 5    # time each higher level has to answer before the next escalation
DUE_SOON_WORKING_DAYS = 1      # the addressee is reminded this many working days before the due date


def default_answer_due(raised_on: dt.date, calendar) -> dt.date:
    return calendar.add_working_days(raised_on, ANSWER_WORKING_DAYS)


def current_due(answer_due: dt.date, escalated_on: dt.date | None, calendar) -> dt.date:
    """The day by which the unit now handling the request must answer: the answer date, or,
    once escalated, a fresh period for the level it went to — whichever is later (a request
    reopened after an escalation gets its own new answer date)."""
    if escalated_on is None:
        return answer_due
    return max(answer_due, calendar.add_working_days(escalated_on, ESCALATION_WORKING_DAYS))


def escalation_due(*, awaiting_answer: bool, answer_due: dt.date, escalated_on: dt.date | None, as_of: dt.date,
                   calendar) -> bool:
    """Whether an unanswered request escalates on `as_of`: its current due date has passed.
    Escalating sets `escalated_on` to `as_of`, which moves the due date on, so a second run on
    the same day finds nothing to do."""
    return awaiting_answer and as_of > current_due(answer_due, escalated_on, calendar)


class Reminder(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def reminder(*, awaiting_answer: bool, answer_due: dt.date, escalated_on: dt.date | None, as_of: dt.date,
             calendar) -> Reminder | None:
    """The reminder an unanswered request earns on `as_of`, if any."""
    if not awaiting_answer:
        return None
    due = current_due(answer_due, escalated_on, calendar)
    if as_of > due:
        return Reminder.OVERDUE
    if due <= calendar.add_working_days(as_of, DUE_SOON_WORKING_DAYS):
        return Reminder.DUE_SOON
    return None


def answer_days(raised_on: dt.date, answered_on: dt.date, calendar) -> int:
    """Working days taken to answer (0 when answered the day it was raised)."""
    return max(0, calendar.working_days_between(raised_on, answered_on))


@dataclass(frozen=True)
class Facts:
    """What the statistics read of one request. `group` is what it is counted under (a unit,
    a person); `answered_on` is the date of its current answer, None while it has none."""

    group: Hashable
    raised_on: dt.date
    answer_due: dt.date
    answered_on: dt.date | None = None


@dataclass(frozen=True)
class Figures:
    raised: int = 0
    answered: int = 0
    answered_on_time: int = 0
    open: int = 0
    overdue: int = 0
    total_answer_days: int = 0

    @property
    def average_answer_days(self) -> float | None:
        return round(self.total_answer_days / self.answered, 1) if self.answered else None

    @property
    def answer_rate(self) -> float | None:
        """Percentage of the raised requests that have an answer."""
        return round(100 * self.answered / self.raised, 1) if self.raised else None

    @property
    def on_time_rate(self) -> float | None:
        """Percentage of the answered requests that were answered by their due date."""
        return round(100 * self.answered_on_time / self.answered, 1) if self.answered else None

    @property
    def all_answered(self) -> bool:
        return self.raised > 0 and self.answered == self.raised

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self):
        return (self.raised, self.answered, self.answered_on_time, self.open, self.overdue, self.total_answer_days)


def figures_of(facts: Facts, as_of: dt.date, calendar) -> Figures:
    """One request's contribution to the figures as they stood on `as_of`: an answer given
    after `as_of` is not yet an answer."""
    if facts.raised_on > as_of:
        return Figures()
    if facts.answered_on is not None and facts.answered_on <= as_of:
        days = answer_days(facts.raised_on, facts.answered_on, calendar)
        return Figures(raised=1, answered=1, answered_on_time=int(facts.answered_on <= facts.answer_due),
                       total_answer_days=days)
    return Figures(raised=1, open=1, overdue=int(as_of > facts.answer_due))


def statistics(facts: Iterable[Facts], *, start: dt.date, end: dt.date, calendar) -> tuple[dict, Figures]:
    """Figures per group and in all, for the requests raised in [start, end], as of `end`."""
    groups: dict = {}
    total = Figures()
    for one in facts:
        if not start <= one.raised_on <= end:
            continue
        figures = figures_of(one, end, calendar)
        groups[one.group] = groups.get(one.group, Figures()) + figures
        total = total + figures
    return groups, total
