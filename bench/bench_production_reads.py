"""Benchmark: what leaders read of production at reference scale — 20,000 wells in 2,000 teams
(10 each) under 200 operating areas of 20 plants, three years of unit-day totals for every unit
(about 2.4 million rows) and plans for every unit and month.

Measured, as a superuser, REQUESTS times each after a warm-up: the unit dashboard of the
company (20 plants ranked) and of a plant (10 areas ranked), and the steps endpoint of the
company and of a plant, through the API (the whole request: session, middleware, JSON) and
through the selector the API calls; and the same results computed by hand-written SQL with the
same pure rules (the yardstick). Each line carries its p95 and its ratio to the SQL p95.

The totals are written straight to the table (COPY on PostgreSQL, executemany on SQLite): the
reads are what is measured, and they read these totals only, so wells and daily rows would be
dead weight here. bench/bench_production_import.py measures the import that maintains them."""
import datetime as dt
import io
import math
import statistics
import time
from random import Random

NAME = "production_reads"
PLANTS, AREAS, TEAMS, WELLS_PER_TEAM = 20, 10, 10, 10
AS_OF = dt.date(2026, 11, 25)
FIRST = AS_OF - dt.timedelta(days=3 * 365)
BASE_DATE = dt.date(2025, 3, 1)
REQUESTS = 30
UNITDAY_COLUMNS = ("unit_id", "date", "oil_t", "liquid_t", "gas_m3", "producing_wells")


def _units():
    """(pk, parent pk, code, name, depth) of every unit, parents first."""
    yield 1, None, "HQ", "油田公司", 0
    pk = 1
    for p in range(1, PLANTS + 1):
        pk += 1
        plant = pk
        yield plant, 1, f"CY{p:02d}", f"采油{p}厂", 1
        for a in range(1, AREAS + 1):
            pk += 1
            area = pk
            yield area, plant, f"CY{p:02d}-A{a:02d}", f"采油{p}厂作业{a}区", 2
            for t in range(1, TEAMS + 1):
                pk += 1
                yield pk, area, f"CY{p:02d}-A{a:02d}-T{t:02d}", f"作业{a}区{t}班", 3


def _team_oil(rng, team_index, day_index):
    """A team's oil: 10 wells at about 2.5 t each, rising over the years, with noise."""
    trend = 1 + 0.15 * day_index / 1096 + 0.02 * math.sin(team_index + day_index / 30)
    return WELLS_PER_TEAM * 2.5 * trend * rng.uniform(0.9, 1.1)


def build():
    from django.db import connection

    from ronghe.accounts.models import User
    from ronghe.org.models import Unit
    from ronghe.production.models import UnitPlan

    admin = User.objects.create_superuser("bench", password="bench-pass-123")
    units, paths = [], {}
    for pk, parent, code, name, depth in _units():
        paths[pk] = f"{paths[parent] if parent else ''}{pk}/"
        units.append(Unit(pk=pk, parent_id=parent, code=code, name=name, depth=depth, path=paths[pk],
                          level="division" if depth < 2 else "section", sort_order=pk))
    Unit.objects.bulk_create(units, batch_size=2000)
    parent_of = {u.pk: u.parent_id for u in units}
    teams = [u.pk for u in units if u.depth == 3]
    days = [FIRST + dt.timedelta(days=i) for i in range((AS_OF - FIRST).days + 1)]
    rng = Random(2026)
    rows = []
    for index, day in enumerate(days):
        totals = {}
        for t, team in enumerate(teams):
            oil = _team_oil(rng, t, index)
            node = team
            while node is not None:
                totals[node] = totals.get(node, 0.0) + oil
                node = parent_of[node]
        for unit, oil in totals.items():
            rows.append((unit, day, round(oil, 2), round(oil * 4, 2), round(oil * 30, 1),
                         int(oil / 2.5)))
    rows.sort(key=lambda row: (row[0], row[1]))  # in index order: appended, not scattered
    _write_unit_days(connection, rows)
    teams_under = {}
    for team in teams:
        node = team
        while node is not None:
            teams_under[node] = teams_under.get(node, 0) + 1
            node = parent_of[node]
    plans = []
    for unit in units:
        for year in (AS_OF.year - 2, AS_OF.year - 1, AS_OF.year):
            scale = WELLS_PER_TEAM * 2.5 * teams_under[unit.pk]  # t/day
            plans.append(UnitPlan(unit=unit, year=year, month=0, oil_plan_t=round(scale * 365 * 1.05),
                                  profit_plan=round(scale * 40), new_wells_plan=5))
            for month in range(1, 13):
                actual = round(scale * 3.5 * rng.uniform(0.95, 1.1)) if (year, month) < (AS_OF.year, AS_OF.month) \
                    else None
                plans.append(UnitPlan(unit=unit, year=year, month=month, oil_plan_t=round(scale * 30.5 * 1.05),
                                      profit_plan=round(scale * 3.4), profit_actual=actual))
    UnitPlan.objects.bulk_create(plans, batch_size=5000)
    return admin, len(rows)


def _write_unit_days(connection, rows):
    from django.db import transaction

    table = "production_unitday"
    columns = ", ".join(UNITDAY_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(str(v) for v in row) + "\n")
            buffer.seek(0)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
            cursor.execute(f"ANALYZE {table}")
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(UNITDAY_COLUMNS))})"
            for start in range(0, len(rows), 50_000):
                cursor.executemany(sql, rows[start:start + 50_000])


# --- the yardstick: the same results from hand-written SQL ------------------------------------------

def sql_dashboard(code, as_of):
    """The dashboard's figures, curve and ranking from three hand-written queries."""
    from django.db import connection

    from ronghe.production import rules
    from ronghe.production.selectors import PlanYear

    start, month_start = as_of.replace(month=1, day=1), as_of.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM org_unit WHERE code = %s", [code])
        unit = cursor.fetchone()[0]
        cursor.execute("SELECT date, oil_t FROM production_unitday WHERE unit_id = %s AND date BETWEEN %s AND %s "
                       "ORDER BY date", [unit, start - dt.timedelta(days=6), as_of])
        series = {(d if isinstance(d, dt.date) else dt.date.fromisoformat(d)): oil for d, oil in cursor.fetchall()}
        cursor.execute(
            "SELECT u.id, u.code, u.name, COALESCE(SUM(d.oil_t), 0), "
            "COALESCE(SUM(CASE WHEN d.date >= %s THEN d.oil_t ELSE 0 END), 0) "
            "FROM org_unit u LEFT JOIN production_unitday d ON d.unit_id = u.id AND d.date BETWEEN %s AND %s "
            "WHERE u.parent_id = %s AND u.abolished_on IS NULL GROUP BY u.id, u.code, u.name",
            [month_start, start, as_of, unit])
        children = cursor.fetchall()
        cursor.execute("SELECT unit_id, month, oil_plan_t, profit_plan, profit_actual FROM production_unitplan "
                       "WHERE year = %s AND (unit_id = %s OR unit_id IN (SELECT id FROM org_unit WHERE parent_id = %s))",
                       [as_of.year, unit, unit])
        plans = {}
        for unit_id, month, oil, profit, profit_actual in cursor.fetchall():
            plan = plans.setdefault(unit_id, PlanYear())
            if month == 0:
                plan.annual_oil, plan.annual_profit = oil, profit
            else:
                plan.monthly_oil[month], plan.monthly_profit[month] = oil, profit
                plan.monthly_profit_actual[month] = profit_actual

    def figures(ytd, mtd, plan):
        ytd_plan = plan.oil_to_date(as_of)
        profit_actual, profit_plan = plan.profit_to_date(as_of)
        return {"ytd": ytd, "ytd_plan": ytd_plan, "mtd": mtd,
                "mtd_plan": rules.month_to_date(plan.annual_oil, plan.monthly_oil, as_of),
                "pace": rules.pace(ytd, plan.annual_oil, as_of),
                "double": rules.double_exceed(ytd, ytd_plan, profit_actual, profit_plan)}

    days = [start + dt.timedelta(days=i) for i in range((as_of - start).days + 1)]
    oil = [series.get(d, 0.0) for d in days]
    plan = plans.get(unit, PlanYear())
    curve = [(d, o, rules.daily_plan(plan.annual_oil, plan.monthly_oil, d),
              sum(v for v in (series.get(d - dt.timedelta(days=i)) for i in range(7)) if v is not None) / 7)
             for d, o in zip(days, oil, strict=True)]
    ranking = sorted(({"code": code, **figures(ytd, mtd, plans.get(pk, PlanYear()))}
                      for pk, code, _name, ytd, mtd in children),
                     key=lambda r: -(r["ytd"] / r["ytd_plan"] if r["ytd_plan"] else 0))
    return {"figures": figures(sum(oil), sum(o for d, o in zip(days, oil, strict=True) if d >= month_start), plan),
            "curve": curve, "ranking": ranking}


def sql_steps(code, base_date, as_of):
    from django.db import connection

    from ronghe.production import rules

    windows = rules.StepWindows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT d.date, d.oil_t FROM production_unitday d JOIN org_unit u ON u.id = d.unit_id "
                       "WHERE u.code = %s AND d.date BETWEEN %s AND %s",
                       [code, base_date - dt.timedelta(days=windows.base_days + windows.average_days), as_of])
        series = {(d if isinstance(d, dt.date) else dt.date.fromisoformat(d)): oil for d, oil in cursor.fetchall()}
    return rules.hundred_ton_steps(series, base_date, as_of, windows)


# --- measuring --------------------------------------------------------------------------------------

def _timed(fn, times=REQUESTS):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return seconds, len(queries)


def _p95(seconds):
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1]


def run():
    from django.test import Client

    started = time.perf_counter()
    admin, count = build()
    built = time.perf_counter() - started
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    results = [{"name": "build unit-day totals", "rows": count, "seconds": built}]
    from ronghe.production import selectors

    def by_selector(kind, code):
        def read():
            unit = selectors.unit_or_404(admin, code)
            if kind == "dashboard":
                return selectors.dashboard(admin, unit, AS_OF)
            return selectors.steps(unit, BASE_DATE, AS_OF)
        return read

    cases = [
        ("dashboard HQ", f"/api/v1/production/dashboard?unit=HQ&as_of={AS_OF}", lambda: sql_dashboard("HQ", AS_OF),
         by_selector("dashboard", "HQ")),
        ("dashboard plant", f"/api/v1/production/dashboard?unit=CY07&as_of={AS_OF}",
         lambda: sql_dashboard("CY07", AS_OF), by_selector("dashboard", "CY07")),
        ("steps HQ", f"/api/v1/production/steps?unit=HQ&base_date={BASE_DATE}&as_of={AS_OF}",
         lambda: sql_steps("HQ", BASE_DATE, AS_OF), by_selector("steps", "HQ")),
        ("steps plant", f"/api/v1/production/steps?unit=CY07&base_date={BASE_DATE}&as_of={AS_OF}",
         lambda: sql_steps("CY07", BASE_DATE, AS_OF), by_selector("steps", "CY07")),
    ]
    for label, url, by_sql, selector in cases:
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            return response.json()

        answer = get()
        check = by_sql()
        if label.startswith("dashboard"):
            assert abs(answer["figures"]["ytd_actual_t"] - check["figures"]["ytd"]) < 1e-3 * check["figures"]["ytd"]
            assert [r["unit"]["code"] for r in answer["ranking"]] == [r["code"] for r in check["ranking"]]
        else:
            assert [s["reached_on"] for s in answer["steps"]] == [s.reached_on.isoformat() for s in check.steps]
        api_seconds, api_queries = _timed(get)
        selector_seconds, selector_queries = _timed(selector)
        sql_seconds, sql_queries = _timed(by_sql)
        rows = len(answer["curve"]["dates"]) if "curve" in answer else len(answer["steps"])
        sql_p95 = _p95(sql_seconds)
        results.append({"name": f"{label} API p95 {_p95(api_seconds) / sql_p95:.2f}x ({api_queries}q)",
                        "rows": rows, "seconds": _p95(api_seconds)})
        results.append({"name": f"{label} selector p95 {_p95(selector_seconds) / sql_p95:.2f}x "
                                f"({selector_queries}q)", "rows": rows, "seconds": _p95(selector_seconds)})
        results.append({"name": f"{label} SQL p95 ({sql_queries}q)", "rows": rows, "seconds": sql_p95})
    return results
