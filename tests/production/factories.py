"""Production test data written straight to the tables (bulk_create): wells, daily rows and the
unit-day totals the importer keeps, so that the reads are tested on their own."""
import datetime as dt
import itertools
from collections import defaultdict

from ronghe.org.models import Unit
from ronghe.production.models import DailyProduction, UnitDay, UnitPlan, Well

_seq = itertools.count(1)


def well(unit, code=None, **fields):
    return Well.objects.create(unit=unit, code=code or f"W{next(_seq):05d}", **fields)


def daily(well_, start, values, hours=24.0):
    """Daily rows of one well from `start`, one per value (None: no row that day)."""
    rows = [DailyProduction(well=well_, date=start + dt.timedelta(days=i), oil_t=v, hours=hours if v else 0.0,
                            liquid_t=v * 2 if v else 0.0)
            for i, v in enumerate(values) if v is not None]
    DailyProduction.objects.bulk_create(rows)
    return rows


def unit_days(unit, start, values, wells=10):
    """UnitDay rows of one unit from `start` (None: no row that day)."""
    UnitDay.objects.bulk_create(
        UnitDay(unit=unit, date=start + dt.timedelta(days=i), oil_t=v, liquid_t=v * 3, gas_m3=v * 10,
                producing_wells=wells) for i, v in enumerate(values) if v is not None)


def rebuild_unit_days():
    """The totals of every unit's subtree from the raw rows, as the importer keeps them."""
    UnitDay.objects.all().delete()
    units = list(Unit.objects.all())
    sums = defaultdict(lambda: [0.0, 0.0, 0])
    for path, day, oil, liquid in DailyProduction.objects.values_list("well__unit__path", "date", "oil_t",
                                                                       "liquid_t"):
        for unit in units:
            if path.startswith(unit.path):
                total = sums[(unit.pk, day)]
                total[0] += oil
                total[1] += liquid or 0
                total[2] += 1 if oil > 0 else 0
    UnitDay.objects.bulk_create(UnitDay(unit_id=pk, date=day, oil_t=oil, liquid_t=liquid, producing_wells=n)
                                for (pk, day), (oil, liquid, n) in sums.items())


def plan(unit, year, month=0, **fields):
    return UnitPlan.objects.create(unit=unit, year=year, month=month, **fields)
