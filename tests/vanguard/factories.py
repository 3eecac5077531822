"""Carriers and problems for tests, made through the services as the system user."""
import datetime as dt
import itertools

from ronghe.vanguard import services
from ronghe.vanguard.models import Carrier, Problem
from tests import factories as f

_seq = itertools.count(1)
ESTABLISHED = dt.date(2024, 3, 1)


def carrier(unit, party_org, *, lead=None, members=(), name=None, kind=Carrier.Kind.POST,
            category=Carrier.Category.PRODUCTION, production_related=True, established_on=ESTABLISHED, **fields):
    return services.carrier_create(actor=f.system_user(), name=name or f"先锋岗{next(_seq)}", kind=kind, unit=unit,
                                   party_org=party_org, category=category, production_related=production_related,
                                   established_on=established_on, lead=lead, members=members, **fields)


def problem(unit, raised_by, *, carrier=None, title=None, category=Problem.Category.TECHNICAL,
            raised_on=dt.date(2026, 1, 10), **fields):
    return services.problem_create(actor=f.system_user(), title=title or f"难题{next(_seq)}", unit=unit,
                                   raised_by=raised_by, category=category, raised_on=raised_on, carrier=carrier,
                                   **fields)


def solved(unit, raised_by, *, on=dt.date(2026, 3, 1), oil_t=10, gas_m3=1000, cost_saved=5000, verify_on=None,
           **fields):
    system = f.system_user()
    p = problem(unit, raised_by, **fields)
    p = services.problem_start(actor=system, problem=p, on=p.raised_on)
    p = services.problem_solve(actor=system, problem=p, solution="改进工艺", on=on, oil_t=oil_t, gas_m3=gas_m3,
                               cost_saved=cost_saved)
    if verify_on:
        p = services.problem_verify(actor=system, problem=p, on=verify_on, note="效果属实")
    return p
