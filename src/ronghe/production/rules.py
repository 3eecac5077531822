"""The pure rules of what leaders see of production: hundred-ton steps (百吨台阶), the incremental
oil of a measure (措施增油), plans to date, 时间过半任务过半 and 双超. Plain data in, plain data out;
nothing here reads the database or the clock.

Hundred-ton steps (`hundred_ton_steps`), for one unit's daily oil (t) and a base date:

- the base level B is the mean daily oil of the `base_days` (30) days before the base date,
  rounded down to a multiple of `step_t` (100 t);
- the moving average of a day is the mean daily oil of the `average_days` (7) days ending on it;
- step k (k = 1, 2, …) is *reached* on the first day on or after the base date whose moving
  average is ≥ B + 100·k, and *held* if the moving average stays ≥ B + 100·k on each of the
  `hold_days` (30) days after that; while fewer than 30 days have passed and it has not fallen
  below, `held` is None (not known yet). A step is judged on its first reaching only: one lost
  within its 30 days and regained later stays "not held".
- Days are read up to the earlier of `as_of` and the series' last day (data not yet loaded is
  not taken for zero output). Inside the series, a day without a figure counts as 0 t: the
  unit-day totals have a row for every day anything was produced. Days before the series' first
  day or after its last are not counted, so a window that reaches past either end averages the
  days it has; a base window without any day of the series gives no base and no steps.

Incremental oil of a measure (`measure_increment`), for one well's daily rows:

- a *producing day* is a day with oil > 0 or production hours > 0;
- the baseline is the mean daily oil of the `baseline_days` (30) most recent producing days
  before the done date, looked for within `lookback_days` (365) of it. With fewer producing days
  the baseline is the mean of those there are; with none (a well brought back from a long
  shut-in, or a new well) it is 0 and all its oil counts as incremental;
- the increment is Σ (daily oil − baseline) over the producing days after the done date within
  the validity window (done date + `validity_days`, default 365), up to `as_of`. Days without a
  row (gaps in the reports) and shut-in days count neither way; a day below the baseline counts
  negative, so a measure that did not work shows a loss. Two measures on one well are computed
  independently: the later one's baseline already includes the earlier one's effect.

Plans (`month_plan`, `plan_to_date`): a month's plan is its monthly plan when there is one, else
the annual plan shared by the month's days. The plan to date sums the months before `as_of`'s
month and the share of the current month's plan for the days elapsed (as_of included).
时间过半任务过半 (`pace`): the share of the annual plan done against the share of the year elapsed.
双超 (`double_exceed`): output and profit both above their plans to date.
"""
import calendar as gregorian
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
# Sums of tons compared with levels: below a milligram the difference is rounding, not oil.
EPSILON = 1e-6


# --- hundred-ton steps -----------------------------------------------------------------------------

@dataclass(frozen=True)
class StepWindows:
    base_days: int = 30
    average_days: int = 7
    hold_days: int = 30
    step_t: float = 100.0

    def __post_init__(self):
        if min(self.base_days, self.average_days, self.hold_days) < 1 or self.step_t <= 0:
            raise ValueError("window lengths and the step must be positive")


@dataclass(frozen=True)
class Step:
    k: int
    level: float
    reached_on: dt.date
    held: bool | None  # None: not yet `hold_days` days observed since it was reached
    lost_on: dt.date | None  # the first day within the hold window the average fell below


@dataclass(frozen=True)
class Steps:
    base_date: dt.date
    base_mean: float | None  # None: no day of the series lies in the base window
    base_level: float | None
    through: dt.date | None  # the last day read
    steps: tuple[Step, ...]
    averages: tuple[tuple[dt.date, float], ...]  # the moving average from the base date on
    windows: StepWindows

    @property
    def next_level(self) -> float | None:
        if self.base_level is None:
            return None
        return self.base_level + self.windows.step_t * (len(self.steps) + 1)


def _round(value: float) -> float:
    return round(value, 6)


def hundred_ton_steps(daily: Mapping[dt.date, float], base_date: dt.date, as_of: dt.date,
                      windows: StepWindows = StepWindows()) -> Steps:
    """The steps a unit's daily oil (date → t) climbed from `base_date`, read up to `as_of`."""
    empty = Steps(base_date, None, None, None, (), (), windows)
    if not daily:
        return empty
    first, end = min(daily), min(as_of, max(daily))
    base_start = max(base_date - dt.timedelta(days=windows.base_days), first)
    base_end = min(base_date - ONE_DAY, max(daily))
    if base_end < base_start:
        return empty
    last = max(daily)
    # Running sums over every day from the series' first to its last (gaps as 0 t): each window
    # is then a difference of two sums, whatever its length.
    sums = [0.0]
    for i in range((last - first).days + 1):
        sums.append(sums[-1] + daily.get(first + dt.timedelta(days=i), 0.0))

    def total(start, stop):  # days start..stop inclusive, both within the series
        return sums[(stop - first).days + 1] - sums[(start - first).days]

    base_len = (base_end - base_start).days + 1
    base_mean = _round(total(base_start, base_end) / base_len)
    base_level = math.floor(base_mean / windows.step_t + EPSILON) * windows.step_t
    averages = []
    reach = dt.timedelta(days=windows.average_days - 1)
    day = max(base_date, first)
    while day <= end:
        start = max(day - reach, first)
        averages.append((day, _round(total(start, day) / ((day - start).days + 1))))
        day += ONE_DAY
    steps = []
    k = 1
    for index, (_day, average) in enumerate(averages):
        while average + EPSILON >= base_level + windows.step_t * k:
            steps.append(_judge(k, base_level + windows.step_t * k, index, averages, windows.hold_days))
            k += 1
    return Steps(base_date, base_mean, base_level, end, tuple(steps), tuple(averages), windows)


def _judge(k, level, index, averages, hold_days) -> Step:
    reached_on = averages[index][0]
    following = averages[index + 1:index + 1 + hold_days]
    lost = next((day for day, average in following if average + EPSILON < level), None)
    if lost is not None:
        return Step(k, level, reached_on, False, lost)
    return Step(k, level, reached_on, True if len(following) == hold_days else None, None)


# --- incremental oil of a measure ----------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    date: dt.date
    oil_t: float
    hours: float | None = None

    @property
    def producing(self) -> bool:
        return self.oil_t > 0 or (self.hours or 0) > 0


@dataclass(frozen=True)
class Increment:
    baseline_t: float  # t/day
    baseline_days: int  # producing days the baseline was taken over (≤ baseline_days)
    days_counted: int  # producing days after the measure counted
    increment_t: float
    window_end: dt.date  # the last day the increment may count (validity end or as_of)


def measure_window(done_on: dt.date, as_of: dt.date, validity_days: int = 365) -> tuple[dt.date, dt.date]:
    """The days whose oil counts for a measure done on `done_on`: (first, last), inclusive."""
    return done_on + ONE_DAY, min(done_on + dt.timedelta(days=validity_days), as_of)


def measure_increment(days: Iterable[Day], done_on: dt.date | None, as_of: dt.date, *, validity_days: int = 365,
                      baseline_days: int = 30, lookback_days: int = 365) -> Increment | None:
    """The incremental oil of a measure on one well (`days`: that well's rows, any order), or
    None when it is not done by `as_of`."""
    if done_on is None or done_on > as_of:
        return None
    first, last = measure_window(done_on, as_of, validity_days)
    lookback = done_on - dt.timedelta(days=lookback_days)
    before, after = [], []
    for day in days:
        if not day.producing:
            continue
        if lookback <= day.date < done_on:
            before.append(day)
        elif first <= day.date <= last:
            after.append(day)
    before.sort(key=lambda d: d.date)
    used = before[-baseline_days:]
    baseline = _round(sum(d.oil_t for d in used) / len(used)) if used else 0.0
    increment = _round(sum(d.oil_t for d in after) - baseline * len(after))
    return Increment(baseline, len(used), len(after), increment, last)


# --- plans ----------------------------------------------------------------------------------------

def trailing_means(series: Mapping[dt.date, float], first: dt.date, last: dt.date,
                   width: int) -> list[float | None]:
    """For each day from `first` to `last`, the mean of the days with data among the `width`
    days ending on it (None when there are none), kept as a running sum."""
    values = [series.get(first + dt.timedelta(days=i)) for i in range((last - first).days + 1)]
    out, total, known = [], 0.0, 0
    for index, value in enumerate(values):
        if value is not None:
            total, known = total + value, known + 1
        if index >= width and values[index - width] is not None:
            total, known = total - values[index - width], known - 1
        out.append(total / known if known else None)
    return out


def days_in_year(year: int) -> int:
    return 366 if gregorian.isleap(year) else 365


def month_plan(annual: float | None, monthly: Mapping[int, float], year: int, month: int) -> float | None:
    """A month's plan: its own, else the annual plan shared by the month's days."""
    if monthly.get(month) is not None:
        return monthly[month]
    if annual is None:
        return None
    return annual * gregorian.monthrange(year, month)[1] / days_in_year(year)


def daily_plan(annual: float | None, monthly: Mapping[int, float], day: dt.date) -> float | None:
    """The plan of one day: its month's plan shared by the month's days (the chart's plan line)."""
    plan = month_plan(annual, monthly, day.year, day.month)
    return None if plan is None else plan / gregorian.monthrange(day.year, day.month)[1]


def plan_to_date(annual: float | None, monthly: Mapping[int, float], as_of: dt.date) -> float | None:
    """The plan from 1 January to `as_of` (included); None without any plan."""
    if annual is None and not any(v is not None for v in monthly.values()):
        return None
    total = 0.0
    for month in range(1, as_of.month):
        total += month_plan(annual, monthly, as_of.year, month) or 0.0
    current = month_plan(annual, monthly, as_of.year, as_of.month) or 0.0
    return total + current * as_of.day / gregorian.monthrange(as_of.year, as_of.month)[1]


def month_to_date(annual: float | None, monthly: Mapping[int, float], as_of: dt.date) -> float | None:
    """The plan from the 1st of `as_of`'s month to `as_of` (included)."""
    plan = month_plan(annual, monthly, as_of.year, as_of.month)
    return None if plan is None else plan * as_of.day / gregorian.monthrange(as_of.year, as_of.month)[1]


@dataclass(frozen=True)
class Pace:
    done_share: float | None  # share of the annual plan done (None without a plan)
    time_share: float  # share of the year elapsed, as_of included
    on_pace: bool | None  # 任务过半 when 时间过半: done share ≥ time share


def pace(actual_to_date: float, annual_plan: float | None, as_of: dt.date) -> Pace:
    time_share = as_of.timetuple().tm_yday / days_in_year(as_of.year)
    if not annual_plan:
        return Pace(None, time_share, None)
    done_share = actual_to_date / annual_plan
    return Pace(done_share, time_share, done_share + EPSILON >= time_share)


@dataclass(frozen=True)
class DoubleExceed:
    output: bool | None  # None: no plan to compare with
    profit: bool | None
    both: bool | None


def _above(actual, plan) -> bool | None:
    if actual is None or plan is None:
        return None
    return actual > plan + EPSILON


def double_exceed(output_actual: float | None, output_plan: float | None, profit_actual: float | None,
                  profit_plan: float | None) -> DoubleExceed:
    """双超: output and profit both above plan to date (profit may be a loss: -300 beats -500)."""
    output, profit = _above(output_actual, output_plan), _above(profit_actual, profit_plan)
    both = None if output is None or profit is None else output and profit
    return DoubleExceed(output, profit, both)


def profit_to_date(monthly_plan: Mapping[int, float | None], monthly_actual: Mapping[int, float | None],
                   annual_plan: float | None, as_of: dt.date) -> tuple[float | None, float | None]:
    """(actual, plan) of profit over the months up to `as_of`'s whose actual is recorded: profit
    is booked per month, so a month counts once its actual is in."""
    months = [m for m in range(1, as_of.month + 1) if monthly_actual.get(m) is not None]
    if not months:
        return None, None
    plans = [monthly_plan.get(m) if monthly_plan.get(m) is not None
             else (annual_plan / 12 if annual_plan is not None else None) for m in months]
    if any(p is None for p in plans):
        return sum(monthly_actual[m] for m in months), None
    return sum(monthly_actual[m] for m in months), sum(plans)
