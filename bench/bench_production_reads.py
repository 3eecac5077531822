"""Benchmark: what leaders read of production at the reference scale — 20,000 wells on 1,000
teams under 200 operating areas of 20 plants, three years of their daily production (about 22
million rows, bench/production_data.fill) with the unit-day totals the import keeps, and plans
for every unit and month. SQLite fills 1,000 wells, one a team (1.1 million daily rows): its
unit-day totals, which are all these reads touch, are as many as PostgreSQL's.

Measured, as a superuser with a personal API token, REQUESTS times each after a warm-up, the three ways taking turns so
that the machine's load weighs on each alike: the unit dashboard of the company (20 plants
ranked) and of a plant (10 areas ranked), and the steps endpoint of the company and of a plant,

- through the API: the whole request (token, middleware, routing, the JSON answer written; the
  test client's parsing of it back is no part of the request and is not timed);
- through the selector the API calls;
- by the yardstick: the same result from straightforward hand-written SQL and the same pure
  rules (production.rules, and selectors.figures that only arranges their answers), checked
  equal to the API's answer, figure by figure, before anything is timed.

Each line carries its p95 and its ratio to the yardstick's p95 (target: p95 < 300 ms and
≤ 1.3×), and the queries one call makes; the progress lines add the medians.

    BENCH_READS_WELLS=N        wells to fill (default 20,000 on PostgreSQL, 1,000 on SQLite)
    BENCH_KEEP_DB=1            reuse the data already in the database when it is there (wells,
                               unit-day totals and plans of this benchmark), else fill it; for
                               iterating, run the module on a database of your own:
        DATABASE_URL=postgres://ronghe:ronghe@127.0.0.1:5432/bench_reads BENCH_KEEP_DB=1 \\
            .venv/bin/python -m bench.bench_production_reads
"""
import datetime as dt
import math
import os
import statistics
import sys
import time

NAME = "production_reads"
AS_OF = dt.date(2026, 11, 25)
DAYS = 3 * 365
BASE_DATE = dt.date(2025, 3, 1)  # the demo curve's base date: ten steps follow
# Enough rounds that the p95 is not one or two stalls of a loaded machine (at 60 it moved by a
# third from one run to the next).
REQUESTS = 200
TONS_PER_WELL = 2.5  # a well's daily oil in the generated field, for plans of about its size


def _wells(vendor):
    return int(os.environ.get("BENCH_READS_WELLS", 20_000 if vendor == "postgresql" else 1_000))


def _filled(wells) -> bool:
    from ronghe.production.models import UnitDay, Well

    return Well.objects.filter(code__startswith="W").count() == wells and UnitDay.objects.filter(date=AS_OF).exists()


def build(say):
    """The data (kept when BENCH_KEEP_DB is set and it is there) and the superuser who reads."""
    from django.db import connection

    from bench.production_data import fill
    from ronghe.accounts.models import User
    from ronghe.production.models import UnitPlan

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", password="bench-pass-123")
    wells = _wells(connection.vendor)
    counts = None
    if os.environ.get("BENCH_KEEP_DB") and _filled(wells):
        say("reusing the wells, daily rows and unit-day totals in the database")
    else:
        started = time.perf_counter()
        counts = fill(wells=wells, days=DAYS, end=AS_OF, say=say)
        counts["seconds"] = time.perf_counter() - started
    if not UnitPlan.objects.filter(year=AS_OF.year).exists():
        _plans()
    return admin, counts


def _plans():
    """Annual and monthly plans of every unit for the three years, about 5 % above a field of
    its wells' size, and the actual profit of the months past."""
    from random import Random

    from django.db.models import Count

    from ronghe.org.models import Unit
    from ronghe.production.models import UnitPlan, Well

    per_unit = dict(Well.objects.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))
    units = list(Unit.objects.values_list("pk", "path"))
    under = {pk: 0 for pk, _path in units}
    path_of = dict(units)
    for unit_id, n in per_unit.items():
        for ancestor in path_of[unit_id].strip("/").split("/"):
            under[int(ancestor)] += n
    rng = Random(2026)
    plans = []
    for pk, _path in units:
        scale = under[pk] * TONS_PER_WELL  # t/day
        for year in (AS_OF.year - 2, AS_OF.year - 1, AS_OF.year):
            plans.append(UnitPlan(unit_id=pk, year=year, month=0, oil_plan_t=round(scale * 365 * 1.05),
                                  profit_plan=round(scale * 40), new_wells_plan=5))
            for month in range(1, 13):
                past = (year, month) < (AS_OF.year, AS_OF.month)
                plans.append(UnitPlan(unit_id=pk, year=year, month=month, oil_plan_t=round(scale * 30.5 * 1.05),
                                      profit_plan=round(scale * 3.4),
                                      profit_actual=round(scale * 3.5 * rng.uniform(0.95, 1.1)) if past else None))
    UnitPlan.objects.bulk_create(plans, batch_size=5000)


# --- the yardstick: the same results from hand-written SQL ------------------------------------------

def _day(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def sql_dashboard(code, as_of):
    """The dashboard from three hand-written queries: the unit's and its children's ids, the
    plans of them all, and the daily oil of the unit with its children's sums to date."""
    from django.db import connection

    from ronghe.production import rules
    from ronghe.production.selectors import PlanYear, figures

    start, month_start = as_of.replace(month=1, day=1), as_of.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code FROM org_unit WHERE code = %s OR parent_id = "
                       "(SELECT id FROM org_unit WHERE code = %s) AND abolished_on IS NULL ORDER BY sort_order, code", [code, code])
        codes = dict(cursor.fetchall())
        unit = next(pk for pk, c in codes.items() if c == code)
        cursor.execute("SELECT unit_id, month, oil_plan_t, profit_plan, profit_actual FROM production_unitplan "
                       "WHERE year = %s AND unit_id IN (" + ", ".join(["%s"] * len(codes)) + ")",
                       [as_of.year, *codes])
        plans = {pk: PlanYear() for pk in codes}
        for unit_id, month, oil, profit, profit_actual in cursor.fetchall():
            plan = plans[unit_id]
            if month == 0:
                plan.annual_oil, plan.annual_profit = oil, profit
            else:
                plan.monthly_oil[month], plan.monthly_profit[month] = oil, profit
                plan.monthly_profit_actual[month] = profit_actual
        cursor.execute("SELECT date, oil_t FROM production_unitday WHERE unit_id = %s AND date BETWEEN %s AND %s",
                       [unit, start - dt.timedelta(days=6), as_of])
        series = {_day(d): oil for d, oil in cursor.fetchall()}
        cursor.execute("SELECT unit_id, SUM(oil_t), SUM(CASE WHEN date >= %s THEN oil_t ELSE 0 END) "
                       "FROM production_unitday WHERE unit_id IN (" + ", ".join(["%s"] * (len(codes) - 1)) + ") "
                       "AND date BETWEEN %s AND %s GROUP BY unit_id",
                       [month_start, *(pk for pk in codes if pk != unit), start, as_of])
        sums = {pk: (ytd, mtd) for pk, ytd, mtd in cursor.fetchall()}
    days = [start + dt.timedelta(days=i) for i in range((as_of - start).days + 1)]
    oil = [series.get(d, 0.0) for d in days]
    plan = plans[unit]
    average = []
    for d in days:
        window = [v for v in (series.get(d - dt.timedelta(days=i)) for i in range(7)) if v is not None]
        average.append(sum(window) / len(window) if window else None)
    ranking = sorted(({"code": codes[pk], **figures(*sums.get(pk, (0.0, 0.0)), plans[pk], as_of)}
                      for pk in codes if pk != unit),
                     key=lambda r: (r["ytd_ratio"] is None, -(r["ytd_ratio"] or 0), -r["ytd_actual_t"]))
    return {"figures": figures(sum(oil), sum(o for d, o in zip(days, oil, strict=True) if d >= month_start), plan,
                               as_of),
            "curve": {"dates": days, "oil_t": oil, "average_t": average,
                      "plan_t": [rules.daily_plan(plan.annual_oil, plan.monthly_oil, d) for d in days]},
            "ranking": ranking}


def sql_steps(code, base_date, as_of):
    """The steps from one hand-written query of the unit's daily oil and the same rule."""
    from django.db import connection

    from ronghe.production import rules

    windows = rules.StepWindows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT d.date, d.oil_t FROM production_unitday d JOIN org_unit u ON u.id = d.unit_id "
                       "WHERE u.code = %s AND d.date BETWEEN %s AND %s",
                       [code, base_date - dt.timedelta(days=windows.base_days + windows.average_days), as_of])
        series = {_day(d): oil for d, oil in cursor.fetchall()}
    return rules.hundred_ton_steps(series, base_date, as_of, windows)


# --- checking the answers equal -----------------------------------------------------------------------

def _same(a, b, where):
    """Equal, floats to 1e-9 relative (sums in another order differ in the last bits)."""
    if isinstance(a, float) or isinstance(b, float):
        ok = a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    else:
        ok = a == b
    if not ok:
        raise AssertionError(f"the API and the yardstick differ at {where}: {a!r} != {b!r}")


def check_dashboard(answer, expected):
    for key, value in expected["figures"].items():
        _same(answer["figures"][key], value, f"figures.{key}")
    curve = answer["curve"]
    _same(curve["dates"], [d.isoformat() for d in expected["curve"]["dates"]], "curve.dates")
    for key in ("oil_t", "plan_t", "average_t"):
        _same(len(curve[key]), len(expected["curve"][key]), f"curve.{key}")
        for i, (a, b) in enumerate(zip(curve[key], expected["curve"][key], strict=True)):
            _same(a, b, f"curve.{key}[{i}]")
    _same([r["unit"]["code"] for r in answer["ranking"]], [r["code"] for r in expected["ranking"]], "ranking")
    for row, want in zip(answer["ranking"], expected["ranking"], strict=True):
        for key, value in want.items():
            if key != "code":
                _same(row[key], value, f"ranking[{want['code']}].{key}")


def check_steps(answer, expected):
    _same(answer["through"], expected.through.isoformat() if expected.through else None, "through")
    _same(answer["base_mean_t"], expected.base_mean, "base_mean_t")
    _same(answer["base_level_t"], expected.base_level, "base_level_t")
    _same([(s["k"], s["level"], s["reached_on"], s["held"]) for s in answer["steps"]],
          [(s.k, s.level, s.reached_on.isoformat(), s.held) for s in expected.steps], "steps")


# --- measuring --------------------------------------------------------------------------------------

def _count_queries(fn):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    return len(queries)


def _p95(seconds):
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1]


def _interleaved(fns, times=REQUESTS):
    """Seconds of each function over `times` rounds, each round calling them all in turn."""
    seconds = [[] for _ in fns]
    for _ in range(times):
        for fn, out in zip(fns, seconds, strict=True):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
    return seconds


def run(say=lambda text: None):
    from django.db import connection
    from django.test import Client

    from ronghe.accounts.services import api_token_create
    from ronghe.production import selectors

    admin, counts = build(say)
    # As a program reads the API: with a personal token (a browser's session costs one query more).
    _token, key = api_token_create(actor=admin, user=admin, name="bench")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    results = []
    if counts:
        say(f"filled: {counts}")
        results.append({"name": f"fill {counts['wells']} wells x {DAYS} d", "rows": counts["daily_rows"],
                        "seconds": counts["seconds"]})
    scale = f"{_wells(connection.vendor):,} wells"

    def by_selector(kind, code):
        def read():
            if kind == "dashboard":
                return selectors.dashboard(admin, code, AS_OF)
            return selectors.steps_of(admin, code, BASE_DATE, AS_OF, selectors.step_windows())
        return read

    cases = [
        ("dashboard HQ", f"/api/v1/production/dashboard?unit=HQ&as_of={AS_OF}", lambda: sql_dashboard("HQ", AS_OF),
         by_selector("dashboard", "HQ"), check_dashboard),
        ("dashboard plant", f"/api/v1/production/dashboard?unit=CY07&as_of={AS_OF}",
         lambda: sql_dashboard("CY07", AS_OF), by_selector("dashboard", "CY07"), check_dashboard),
        ("steps HQ", f"/api/v1/production/steps?unit=HQ&base_date={BASE_DATE}&as_of={AS_OF}",
         lambda: sql_steps("HQ", BASE_DATE, AS_OF), by_selector("steps", "HQ"), check_steps),
        ("steps plant", f"/api/v1/production/steps?unit=CY07&base_date={BASE_DATE}&as_of={AS_OF}",
         lambda: sql_steps("CY07", BASE_DATE, AS_OF), by_selector("steps", "CY07"), check_steps),
    ]
    for label, url, by_sql, selector, check in cases:
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            return response

        answer = get().json()
        check(answer, by_sql())
        rows = len(answer["curve"]["dates"]) if "curve" in answer else len(answer["steps"])
        queries = [_count_queries(fn) for fn in (get, selector, by_sql)]
        timed = _interleaved([get, selector, by_sql])
        api, chosen, sql = (_p95(s) for s in timed)
        medians = ", ".join(f"{statistics.median(s) * 1000:.1f}" for s in timed)
        say(f"{label}: p95 API {api * 1000:.1f} ms, selector {chosen * 1000:.1f} ms, SQL {sql * 1000:.1f} ms; "
            f"medians {medians} ms")
        results.append({"name": f"{label} API p95 {api / sql:.2f}x ({queries[0]}q, {scale})", "rows": rows,
                        "seconds": api})
        results.append({"name": f"{label} selector p95 {chosen / sql:.2f}x ({queries[1]}q)", "rows": rows,
                        "seconds": chosen})
        results.append({"name": f"{label} SQL p95 ({queries[2]}q)", "rows": rows, "seconds": sql})
    return results


if __name__ == "__main__":
    sys.path[:0] = [os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    for result in run(say=lambda text: print(f"{time.perf_counter() - started:8.1f} s  {text}", flush=True)):
        print(f"{result['name']:<52}{result['seconds'] * 1000:>10.1f} ms")
