"""The scoring engine of labour competitions (劳动竞赛): plain data in, plain data out.

Each indicator turns the participants' readings into points on a 0–100 scale by its
normalisation, then weighs them: an indicator's weight is its full marks (满分), so a participant
earns ``weight × points / 100`` from it. Bonus and deduction items (加分/扣分, each with its reason)
are added to that base. Participants are ranked by total, higher first; a tie is broken by the
competition's tie-break indicator (its reading, better first); those still level share a rank
(1, 2, 2, 4).

Normalisations:
- ratio to plan (与计划之比): reading ÷ plan (the participant's own plan, else the indicator's
  target) × 100, capped at ``ratio_cap`` × 100 so that overshooting one indicator cannot buy a
  whole ranking; for a lower-is-better indicator, plan ÷ reading. No plan, no points.
- rank points (名次分): the best reading gets 100, the worst 0, evenly spaced by rank; ties share
  the better rank's points. A lone participant gets 100.
- min–max (极差法): (reading − worst) ÷ (best − worst) × 100; all equal gives everyone 100.
A participant without a reading scores 0 on that indicator and is marked as missing.

The engine is monotone: improving one participant's reading never lowers its points and never
raises anyone else's, so it never costs that participant a rank (tests/competitions).
"""
import calendar
import datetime as dt
import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field


class Normalisation(enum.StrEnum):
    RATIO = "ratio"
    RANK = "rank"
    MIN_MAX = "min_max"


class Cadence(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


FULL = 100.0


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: float
    normalisation: Normalisation
    higher_is_better: bool = True
    target: float | None = None
    ratio_cap: float = 1.2


@dataclass(frozen=True)
class Reading:
    value: float
    plan: float | None = None


@dataclass(frozen=True)
class Adjustment:
    participant: Hashable
    points: float  # positive: bonus (加分); negative: deduction (扣分)
    reason: str


@dataclass(frozen=True)
class Line:
    """What one indicator gave one participant."""

    indicator: str
    value: float | None
    plan: float | None
    points: float  # 0–100 (up to ratio_cap × 100 for ratio to plan)
    score: float  # weight × points / 100
    missing: bool


@dataclass(frozen=True)
class Standing:
    participant: Hashable
    rank: int
    total: float
    base: float
    adjustment: float
    lines: tuple[Line, ...]
    adjustments: tuple[Adjustment, ...] = field(default=())
    tie_value: float | None = None


def _better_key(spec: IndicatorSpec, value: float) -> float:
    """A key where larger is better, whatever the indicator's direction."""
    return value if spec.higher_is_better else -value


def _ratio_points(spec: IndicatorSpec, reading: Reading) -> float:
    plan = reading.plan if reading.plan is not None else spec.target
    cap = spec.ratio_cap * FULL
    if plan is None or plan <= 0:
        return 0.0
    if spec.higher_is_better:
        return min(cap, max(0.0, reading.value) / plan * FULL)
    if reading.value <= 0:
        return cap
    return min(cap, plan / reading.value * FULL)


def _rank_points(spec: IndicatorSpec, readings: Mapping[Hashable, Reading]) -> dict[Hashable, float]:
    keys = {p: _better_key(spec, r.value) for p, r in readings.items()}
    n = len(keys)
    if n == 1:
        return {p: FULL for p in keys}
    out = {}
    for p, key in keys.items():
        better = sum(1 for other in keys.values() if other > key)
        out[p] = FULL * (n - 1 - better) / (n - 1)
    return out


def _min_max_points(spec: IndicatorSpec, readings: Mapping[Hashable, Reading]) -> dict[Hashable, float]:
    keys = {p: _better_key(spec, r.value) for p, r in readings.items()}
    worst, best = min(keys.values()), max(keys.values())
    if best == worst:
        return {p: FULL for p in keys}
    return {p: (key - worst) / (best - worst) * FULL for p, key in keys.items()}


def indicator_points(spec: IndicatorSpec, readings: Mapping[Hashable, Reading]) -> dict[Hashable, float]:
    """Points (0–100, ratio up to its cap) of every participant that has a reading."""
    if not readings:
        return {}
    if spec.normalisation == Normalisation.RATIO:
        return {p: _ratio_points(spec, r) for p, r in readings.items()}
    if spec.normalisation == Normalisation.RANK:
        return _rank_points(spec, readings)
    return _min_max_points(spec, readings)


def score(participants: Sequence[Hashable], indicators: Sequence[IndicatorSpec],
          readings: Mapping[tuple[str, Hashable], Reading], adjustments: Sequence[Adjustment] = (),
          tie_breaker: str | None = None) -> list[Standing]:
    """The standings of `participants`, best first. `readings` maps (indicator code,
    participant) to a reading; readings of others are ignored."""
    members = list(dict.fromkeys(participants))
    lines: dict[Hashable, list[Line]] = {p: [] for p in members}
    for spec in indicators:
        mine = {p: readings[(spec.code, p)] for p in members if (spec.code, p) in readings}
        points = indicator_points(spec, mine)
        for p in members:
            reading = mine.get(p)
            earned = points.get(p, 0.0)
            lines[p].append(Line(spec.code, reading.value if reading else None,
                                 reading.plan if reading else None, earned, spec.weight * earned / FULL,
                                 reading is None))
    extra: dict[Hashable, list[Adjustment]] = {p: [] for p in members}
    for item in adjustments:
        if item.participant in extra:
            extra[item.participant].append(item)
    tie_spec = next((s for s in indicators if s.code == tie_breaker), None)

    def tie_value(p):
        if tie_spec is None or (tie_spec.code, p) not in readings:
            return None
        return readings[(tie_spec.code, p)].value

    def order_key(p):
        value = tie_value(p)
        # A participant without the tie-break reading comes after those with one.
        return (totals[p], value is not None, _better_key(tie_spec, value) if value is not None else 0.0)

    totals = {}
    for p in members:
        base = sum(line.score for line in lines[p])
        totals[p] = round(base + sum(a.points for a in extra[p]), 6)
    ordered = sorted(members, key=order_key, reverse=True)
    out = []
    for index, p in enumerate(ordered):
        if index and order_key(ordered[index - 1]) == order_key(p):
            rank = out[-1].rank
        else:
            rank = index + 1
        base = round(sum(line.score for line in lines[p]), 6)
        adjustment = round(sum(a.points for a in extra[p]), 6)
        out.append(Standing(p, rank, totals[p], base, adjustment, tuple(lines[p]), tuple(extra[p]), tie_value(p)))
    return out


def rank_changes(current: Mapping[Hashable, int], previous: Mapping[Hashable, int]) -> dict[Hashable, int | None]:
    """Places gained (positive) or lost (negative) since the previous period; None for a
    participant that had no rank then."""
    return {p: (previous[p] - rank if p in previous else None) for p, rank in current.items()}


# --- scoring periods -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def elapsed_end(self, as_of: dt.date) -> dt.date | None:
        """The last day of the period that has happened by `as_of`; None before it starts."""
        if as_of < self.start:
            return None
        return min(self.end, as_of)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def periods(start: dt.date, end: dt.date, cadence: Cadence) -> list[Period]:
    """The scoring periods of a competition running from `start` to `end`: calendar months or
    quarters, the first and last clipped to the competition's own dates."""
    step = 1 if cadence == Cadence.MONTHLY else 3
    out = []
    month = start.month if step == 1 else (start.month - 1) // 3 * 3 + 1
    cursor = dt.date(start.year, month, 1)
    while cursor <= end:
        last_month = cursor.month + step - 1
        period_end = _month_end(dt.date(cursor.year, last_month, 1))
        out.append(Period(max(cursor, start), min(period_end, end)))
        following = period_end + dt.timedelta(days=1)
        cursor = following
    return out


def period_of(day: dt.date, all_periods: Sequence[Period]) -> Period | None:
    return next((p for p in all_periods if p.start <= day <= p.end), None)
