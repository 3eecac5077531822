"""The recurrence engine of meeting series: on which dates a series meets. Pure: plain data in,
dates out, with China's working-day calendar (`core.workdays.Calendar`) passed in.

- every half month (每半月): on `day` in the first half of each month (1–15) and `second_day`
  in the second (16–31; 15 days later by default), so a short February still has two (改革办例会:
  the 1st and the 16th, say);
- monthly: on `day` of each month;
- quarterly: on `day` of the `month_of_quarter`-th month of each quarter (地质措施论证会: the
  25th of January, April, July and October);
- ad hoc: never by itself; its meetings are added by hand.

A day past the month's end means the month's last day (the 31st is 29 February in a leap year).
A date that is not a working day (a weekend, a holiday) moves to the next working day, to the
previous one, or stays, as the series says. The rule date, before the move, is what a generated
meeting remembers, so generating twice creates nothing new.
"""
import calendar as gregorian
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dateutil.rrule import MONTHLY, rrule

from ronghe.core.workdays import Calendar


class Recurrence(StrEnum):
    HALF_MONTHLY = "half_monthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    AD_HOC = "ad_hoc"


class HolidayRule(StrEnum):
    NEXT_WORKING_DAY = "next"
    PREVIOUS_WORKING_DAY = "previous"
    KEEP = "keep"


@dataclass(frozen=True, kw_only=True)
class Rule:
    recurrence: Recurrence
    starts_on: dt.date
    day: int = 1
    second_day: int | None = None
    month_of_quarter: int = 1
    holiday_rule: HolidayRule = HolidayRule.NEXT_WORKING_DAY
    ends_on: dt.date | None = None

    def __post_init__(self):
        object.__setattr__(self, "recurrence", Recurrence(self.recurrence))
        object.__setattr__(self, "holiday_rule", HolidayRule(self.holiday_rule))
        if not 1 <= self.day <= 31:
            raise ValueError(f"day must be 1..31, not {self.day}")
        if self.recurrence is Recurrence.HALF_MONTHLY:
            if self.second_day is None:
                object.__setattr__(self, "second_day", self.day + 15)
            if not (self.day <= 15 and 16 <= self.second_day <= 31):
                raise ValueError(f"a half-monthly rule meets on a day of 1..15 and one of 16..31, not {self.day} "
                                 f"and {self.second_day}")
        if not 1 <= self.month_of_quarter <= 3:
            raise ValueError(f"month_of_quarter must be 1..3, not {self.month_of_quarter}")


@dataclass(frozen=True)
class Occurrence:
    scheduled_for: dt.date  # the date the rule gives
    date: dt.date           # the date the meeting is held, after a holiday moved it

    @property
    def moved(self) -> bool:
        return self.date != self.scheduled_for


def _on_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, gregorian.monthrange(year, month)[1]))


def _months(rule: Rule, until: dt.date):
    """The first day of each month the rule meets in, from the month of its first date."""
    first = rule.starts_on.replace(day=1)
    if rule.recurrence is Recurrence.QUARTERLY:
        months = [q + rule.month_of_quarter - 1 for q in (1, 4, 7, 10)]
        return rrule(MONTHLY, dtstart=first, until=until, bymonth=months, bymonthday=1)
    return rrule(MONTHLY, dtstart=first, until=until, bymonthday=1)


def rule_dates(rule: Rule, until: dt.date) -> list[dt.date]:
    """The dates the rule gives from its first date up to `until` (and its last date), both
    included, before any move for holidays."""
    if rule.recurrence is Recurrence.AD_HOC:
        return []
    end = min(until, rule.ends_on) if rule.ends_on else until
    days = (rule.day, rule.second_day) if rule.recurrence is Recurrence.HALF_MONTHLY else (rule.day,)
    out = []
    for month in _months(rule, end):
        for day in days:
            date = _on_day(month.year, month.month, day)
            if rule.starts_on <= date <= end and date not in out:
                out.append(date)
    return out


def move(date: dt.date, holiday_rule: HolidayRule, calendar: Calendar) -> dt.date:
    if holiday_rule is HolidayRule.KEEP or calendar.is_working_day(date):
        return date
    step = dt.timedelta(days=1 if holiday_rule is HolidayRule.NEXT_WORKING_DAY else -1)
    while not calendar.is_working_day(date):
        date += step
    return date


def occurrences(rule: Rule, until: dt.date, calendar: Calendar) -> list[Occurrence]:
    """Each meeting the rule gives up to `until`, with the date it is held on. A moved meeting
    keeps its place in the order: the dates held never run backwards."""
    return [Occurrence(day, move(day, rule.holiday_rule, calendar)) for day in rule_dates(rule, until)]
