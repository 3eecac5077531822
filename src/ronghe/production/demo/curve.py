"""The shape of the demo's company output and the daily rows that give it. Pure: plain data in,
plain data out, so the same code fills the demo, the benchmark's reference database and tests.

The company's daily oil is a target curve T(day): flat at B + 50 t before the base date
(B a multiple of 100, so the 30-day average before it rounds down to B), then ten ramps of
100 t, one every STEP_EVERY days, each ending on a plateau 50 t above its step's level, so that
the 7-day moving average reaches B + 100·k during ramp k and stays above it until the next,
which is more than the 30 days a step must be held. Each well gets its weight's share of T
among the wells producing that day, with noise that cancels out over hundreds of wells. A well
given boosts (a measure's uplift) weighs more from the day after each: it takes a larger share
of T, so the company curve keeps its steps while the measured wells gain oil."""
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from random import Random

from ronghe.production.bulk import line

START = dt.date(2025, 1, 1)
BASE_DATE = dt.date(2025, 3, 1)
STEPS = 10
FIRST_RAMP = BASE_DATE + dt.timedelta(days=10)
STEP_EVERY = 45  # days from one ramp's start to the next
RAMP_DAYS = 8
MARGIN = 50.0  # t above a step's level on its plateau
WOBBLE = 8.0  # t, the weekly rhythm of a real field
OUTAGE = 0.01  # share of well-days with no production (maintenance, workovers)
NOISE = 0.08  # ± share of a well's output from day to day


def base_level(oil_wells: int) -> int:
    """B for a field of this many oil wells: about 2.5 t a well a day, in hundreds."""
    return max(1000, int(oil_wells * 2.5) // 100 * 100)


def target(day: dt.date, base: int) -> float:
    """The company's oil on `day`, tons."""
    level = base + MARGIN
    t = (day - FIRST_RAMP).days
    if t >= 0:
        done = min(STEPS, t // STEP_EVERY)  # ramps finished before the current one
        level += 100.0 * done
        if done < STEPS:
            level += 100.0 * min(1.0, (t - done * STEP_EVERY) / RAMP_DAYS)
    return level + WOBBLE * math.sin(2 * math.pi * day.toordinal() / 7)


def step_dates() -> list[dt.date]:
    """The first day of each ramp."""
    return [FIRST_RAMP + dt.timedelta(days=STEP_EVERY * k) for k in range(STEPS)]


@dataclass(frozen=True)
class WellSpec:
    """What the generator needs of a well: its id, relative size, the days it produced (from
    `start`, until `end` inclusive or for ever), its water cut and gas-oil ratio, and its boosts:
    (day, weight added from the next day on)."""

    pk: int
    weight: float
    start: dt.date
    end: dt.date | None
    water_cut: float  # % on the first day generated
    gor: float  # m³ of gas per t of oil
    boosts: tuple[tuple[dt.date, float], ...] = ()


def _boost_steps(spec: WellSpec, first: dt.date, a: int, b: int) -> list[tuple[int, float]]:
    """(day index, added weight) of the spec's boosts that fall within its days [a, b)."""
    out = []
    for day, extra in sorted(spec.boosts):
        i = max(a, (day - first).days + 1)
        if i < b:
            out.append((i, extra))
    return out


def daily_lines(specs: list[WellSpec], first: dt.date, last: dt.date, total, seed: int) -> Iterator[str]:
    """COPY text rows (bulk.line) of every well's days in [first, last], the wells' outputs
    summing to about `total(day)` each day."""
    days = (last - first).days + 1
    if days <= 0 or not specs:
        return
    weights = [0.0] * (days + 1)
    for spec in specs:
        a = max(0, (spec.start - first).days)
        b = days if spec.end is None else min(days, (spec.end - first).days + 1)
        if a < b:
            weights[a] += spec.weight
            weights[b] -= spec.weight
            for i, extra in _boost_steps(spec, first, a, b):
                weights[i] += extra
                weights[b] -= extra
    share, running = [], 0.0
    for i in range(days):
        running += weights[i]
        day = first + dt.timedelta(days=i)
        share.append(total(day) / running / (1 - OUTAGE) if running > 0 else 0.0)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    rng = Random(seed)
    random = rng.random
    for spec in specs:
        a = max(0, (spec.start - first).days)
        b = days if spec.end is None else min(days, (spec.end - first).days + 1)
        weight, gor = spec.weight, spec.gor
        boosts = _boost_steps(spec, first, a, b) if spec.boosts else []
        for i in range(a, b):
            while boosts and boosts[0][0] == i:
                weight += boosts.pop(0)[1]
            if random() < OUTAGE:
                yield line(spec.pk, dates[i], 0.0, 0.0, 0.0, 0.0, None)
                continue
            oil = round(weight * share[i] * (1 + NOISE * (2 * random() - 1)), 2)
            cut = min(98.0, spec.water_cut + i * 0.004)
            hours = 24.0 if random() < 0.9 else float(20 + int(random() * 4))
            yield line(spec.pk, dates[i], hours, round(oil / (1 - cut / 100), 2), oil, round(oil * gor, 1),
                       round(cut, 1))
