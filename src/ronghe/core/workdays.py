"""China's working-day calendar: official holidays and 调休 make-up days.

The `chinesecalendar` library knows each year once the State Council has published it. For a
year it does not know yet we fall back to Monday–Friday minus the fixed-date statutory
holidays, and administrators enter the official schedule as CalendarDay overrides, which
always win.

Counting and adding working days is done on a table: the ordinals of the working days of the
years asked about so far, in order, so both are a binary search instead of a walk day by day
(the status engine asks thousands of times per page)."""
import datetime as dt
from bisect import bisect_left, bisect_right
from functools import lru_cache

import chinese_calendar

# Statutory holidays on fixed Gregorian dates (元旦, 劳动节, 国庆节); lunar ones need the
# published schedule and come from overrides.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


@lru_cache(maxsize=1)
def _library_years() -> tuple[int, int]:
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


def _base_is_working_day(day: dt.date) -> bool:
    first, last = _library_years()
    if first <= day.year <= last:
        # chinese_calendar.is_workday's own rule, read from its tables directly: the function
        # scans the whole table to validate each date it is given.
        return day in chinese_calendar.workdays or (day.weekday() < 5 and day not in chinese_calendar.holidays)
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


@lru_cache(maxsize=512)
def _base_working_ordinals(year: int) -> tuple[int, ...]:
    """The ordinals of the working days of `year` without overrides, in order."""
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year, 12, 31).toordinal()
    return tuple(o for o in range(first, last + 1) if _base_is_working_day(dt.date.fromordinal(o)))


class Calendar:
    """A working-day calendar with its overrides loaded once; cheap to query in loops."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self.overrides = overrides if overrides is not None else _load_overrides()
        # The working days of the years first_year..last_year (none yet), as ordinals in order.
        self._first_year = self._last_year = None
        self._working: list[int] = []
        # Answers of add_working_days: the engine asks the same few (date, n) for every task.
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _base_is_working_day(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The date `n` working days after `day` (before it for negative n)."""
        found = self._added.get((day, n))
        if found is None:
            found = self._added[day, n] = self._add(day, n)
        return found

    def _add(self, day: dt.date, n: int) -> dt.date:
        if n == 0:
            return day
        ordinal = day.toordinal()
        self._cover(day.year)
        while True:
            if n > 0:
                index = bisect_right(self._working, ordinal) + n - 1
                if index < len(self._working):
                    return dt.date.fromordinal(self._working[index])
                self._cover(self._last_year + 1)
            else:
                index = bisect_left(self._working, ordinal) + n
                if index >= 0:
                    return dt.date.fromordinal(self._working[index])
                self._cover(self._first_year - 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        self._cover(start.year)
        self._cover(end.year)
        return bisect_right(self._working, end.toordinal()) - bisect_right(self._working, start.toordinal())

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def _cover(self, year: int) -> None:
        """Extend the table so that it holds every year from its first to `year` (or back)."""
        if self._first_year is None:
            self._first_year = self._last_year = year
            self._working = self._year(year)
            return
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            raise OverflowError("date value out of range")
        while year > self._last_year:
            self._last_year += 1
            self._working.extend(self._year(self._last_year))
        if year < self._first_year:
            earlier = []
            for y in range(year, self._first_year):
                earlier.extend(self._year(y))
            self._working[:0] = earlier
            self._first_year = year

    def _year(self, year: int) -> list[int]:
        base = _base_working_ordinals(year)
        changed = {day: working for day, working in self.overrides.items() if day.year == year}
        if not changed:
            return list(base)
        days = set(base)
        for day, working in changed.items():
            (days.add if working else days.discard)(day.toordinal())
        return sorted(days)


def _load_overrides() -> dict[dt.date, bool]:
    from ronghe.core.models import CalendarDay

    return dict(CalendarDay.objects.values_list("date", "is_working_day"))


def calendar() -> Calendar:
    return Calendar()
