"""Helpers of the production data tests: wells under the shared organisation and daily
production files built in memory."""
import csv
import datetime as dt
import io

from ronghe.production import services
from ronghe.production.models import DailyProduction, UnitDay
from tests import factories as f

HEADER = ["井号*", "日期*", "生产时间(h)", "日产液(t)", "日产油(t)*", "日产气(m³)", "含水(%)"]


def well(unit, code, since=dt.date(2020, 1, 1), **fields):
    return services.well_create(actor=f.system_user(), code=code, unit=unit, producing_since=since, **fields)


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row(code, day, oil, hours=24, liquid=None, gas=None, water_cut=None):
    return [code, day.isoformat() if isinstance(day, dt.date) else day, hours, liquid, oil, gas, water_cut]


def raw_sums(unit, day):
    """Oil, liquid, gas and producing wells of `unit`'s subtree on `day`, from the raw rows."""
    rows = DailyProduction.objects.filter(well__unit__path__startswith=unit.path, date=day)
    oil = sum(r.oil_t for r in rows)
    return (oil, sum(r.liquid_t or 0 for r in rows), sum(r.gas_m3 or 0 for r in rows),
            sum(1 for r in rows if r.oil_t > 0))


def unit_day(unit, day):
    found = UnitDay.objects.filter(unit=unit, date=day).first()
    if found is None:
        return (0, 0, 0, 0)
    return (found.oil_t, found.liquid_t, found.gas_m3, found.producing_wells)
