"""China's working-day calendar: official holidays and 调休 make-up days.

The `chinesecalendar` library knows each year once the State Council has published it. For a
year it does not know yet we fall back to Monday–Friday minus the fixed-date statutory
holidays, and administrators enter the official schedule as CalendarDay overrides, which
always win."""
import datetime as dt
from functools import lru_cache

import chinese_calendar

# Statutory holidays on fixed Gregorian dates (元旦, 劳动节, 国庆节); lunar ones need the
# published schedule and come from overrides.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


@lru_cache(maxsize=1)
def _library_years() -> tuple[int, int]:
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


# chinese_calendar scans its whole table on each call; dates repeat endlessly across tasks.
@lru_cache(maxsize=8192)
def _base_is_working_day(day: dt.date) -> bool:
    first, last = _library_years()
    if first <= day.year <= last:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


class Calendar:
    """A working-day calendar with its overrides loaded once; cheap to query in loops."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self.overrides = overrides if overrides is not None else _load_overrides()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _base_is_working_day(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The date `n` working days after `day` (before it for negative n)."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_working_day(start + dt.timedelta(days=i)))

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


def _load_overrides() -> dict[dt.date, bool]:
    from ronghe.core.models import CalendarDay

    return dict(CalendarDay.objects.values_list("date", "is_working_day"))


def calendar() -> Calendar:
    return Calendar()
