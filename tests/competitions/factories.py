"""Rows for competition tests: production data written with the ORM (the production module's
importer is another's), competitions through the services."""
import datetime as dt
import itertools

from ronghe.competitions import services
from ronghe.production.models import DailyProduction, Measure, ProjectGroup, UnitDay, UnitPlan, Well
from tests import factories as f

D = dt.date
_seq = itertools.count(1)


def unit_days(unit, start, end, oil_t):
    """UnitDay rows of `unit` with `oil_t` tons a day from start to end."""
    rows, day = [], start
    while day <= end:
        rows.append(UnitDay(unit=unit, date=day, oil_t=oil_t))
        day += dt.timedelta(days=1)
    UnitDay.objects.bulk_create(rows)


def plan(unit, year, month, oil_plan_t):
    return UnitPlan.objects.create(unit=unit, year=year, month=month, oil_plan_t=oil_plan_t)


def well(unit, producing_since=None, code=None):
    return Well.objects.create(code=code or f"W{next(_seq):05d}", unit=unit, producing_since=producing_since,
                               drilled_on=producing_since)


def daily(well_, start, end, oil_t):
    rows, day = [], start
    while day <= end:
        rows.append(DailyProduction(well=well_, date=day, oil_t=oil_t))
        day += dt.timedelta(days=1)
    DailyProduction.objects.bulk_create(rows)


def group(unit, name=None, year=2026, wells=()):
    g = ProjectGroup.objects.create(name=name or f"上产项目组{next(_seq)}", unit=unit, leader=f.person(unit), year=year)
    g.wells.set(wells)
    return g


def measure(well_, planned_month, done_on=None, group_=None, kind=Measure.Kind.FRACTURING):
    return Measure.objects.create(well=well_, planned_month=planned_month, done_on=done_on, group=group_, kind=kind)


YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)


def competition(actor, organiser, *, name=None, starts_on=YEAR_START, ends_on=YEAR_END, **fields):
    return services.competition_create(actor=actor, name=name or f"劳动竞赛{next(_seq)}", organiser=organiser,
                                       starts_on=starts_on, ends_on=ends_on, **fields)


def carrier(unit, party_org, name=None, kind="post"):
    from ronghe.vanguard.models import Carrier

    return Carrier.objects.create(name=name or f"共产党员先锋岗{next(_seq)}", kind=kind, unit=unit, party_org=party_org,
                                  established_on=D(2025, 1, 1))
