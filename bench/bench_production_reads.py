"""Benchmark: what leaders read of production at the reference scale — 20,000 wells on 1,000
teams under 200 operating areas of 20 plants, three years of their daily production (about 22
million rows, bench/production_data.fill) with the unit-day totals the import keeps, and plans
for every unit and month. SQLite fills 1,000 wells, one a team (1.1 million daily rows): its
unit-day totals, which are all these reads touch, are as many as PostgreSQL's.

Measured, as a superuser with a personal API token, REQUESTS times each after a warm-up, the
four ways taking turns so that the machine's load weighs on each alike: the unit dashboard of
the company (20 plants ranked) and of a plant (10 areas ranked), and the steps endpoint of the
company and of a plant,

- through the API: the whole request (token, middleware, routing, the JSON answer written; the
  test client's parsing of it back is no part of the request and is not timed);
- through the endpoint written by hand (bench/reads_by_hand.py): the same answer, checked
  equal member by member, from a hand-written token query, hand-written SQL and the same pure
  rules, behind the same request handling — the yardstick of the issue's "≤ 1.3× the same
  result computed by hand-written SQL";
- through the selector the API calls;
- by the bare hand-written SQL and rules alone, with no request around them.

Each line carries its p95 and its ratios (target: p95 < 300 ms and ≤ 1.3×), and the queries
one call makes; the progress lines add the medians. A first line gives the request floor: the
p95 of /healthz (one `SELECT 1`) through the same client, what any request costs before it
computes anything.

    BENCH_READS_WELLS=N        wells to fill (default 20,000 on PostgreSQL, 1,000 on SQLite)
    BENCH_KEEP_DB=1            reuse the data already in the database when it is there (wells,
                               unit-day totals and plans of this benchmark), else fill it; for
                               iterating, run the module on a database of your own:
        DATABASE_URL=postgres://ronghe:ronghe@127.0.0.1:5432/bench_reads BENCH_KEEP_DB=1 \\
            .venv/bin/python -m bench.bench_production_reads
"""
import datetime as dt
import json
import math
import os
import statistics
import sys
import time

from pydantic_core import to_json

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


# --- checking the answers equal -----------------------------------------------------------------------

def _same(a, b, where):
    """Equal, floats to 1e-9 relative (sums in another order differ in the last bits)."""
    if isinstance(a, float) or isinstance(b, float):
        ok = a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    else:
        ok = a == b
    if not ok:
        raise AssertionError(f"the API and the yardstick differ at {where}: {a!r} != {b!r}")


def same_json(a, b, where="answer"):
    """Two JSON answers equal, member by member."""
    if isinstance(a, dict) and isinstance(b, dict):
        _same(sorted(a), sorted(b), f"{where} keys")
        for key in a:
            same_json(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        _same(len(a), len(b), f"{where} length")
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_json(x, y, f"{where}[{i}]")
    else:
        _same(a, b, where)


def check_steps(answer, bare):
    """The steps answer against the bare computation's."""
    _same(answer["through"], bare.through.isoformat() if bare.through else None, "through")
    _same(answer["base_mean_t"], bare.base_mean, "base_mean_t")
    _same(answer["base_level_t"], bare.base_level, "base_level_t")
    _same([(s["k"], s["level"], s["reached_on"], s["held"]) for s in answer["steps"]],
          [(s.k, s.level, s.reached_on.isoformat(), s.held) for s in bare.steps], "steps")


def check_dashboard(answer, bare):
    """The dashboard answer against the bare computation's."""
    same_json(answer, json.loads(to_json(bare)))


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
    from django.test import Client, override_settings

    from bench.reads_by_hand import sql_dashboard, sql_steps
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
    windows = selectors.step_windows()
    query = {"dashboard": f"as_of={AS_OF}", "steps": f"base_date={BASE_DATE}&as_of={AS_OF}"}

    def by_selector(kind, code):
        if kind == "dashboard":
            return lambda: selectors.dashboard(admin, code, AS_OF)
        return lambda: selectors.steps_of(admin, code, BASE_DATE, AS_OF, windows)

    def bare(kind, code):
        if kind == "dashboard":
            return lambda: sql_dashboard(code, AS_OF)
        return lambda: sql_steps(code, BASE_DATE, AS_OF, windows)

    def get(url):
        def read():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            return response
        return read

    with override_settings(ROOT_URLCONF="bench.reads_by_hand"):
        floor = get("/healthz")
        for _ in range(20):
            floor()
        results.append({"name": "request floor: /healthz p95 (1q)", "rows": 1,
                        "seconds": _p95(_interleaved([floor])[0])})
        for label, kind, code in (("dashboard HQ", "dashboard", "HQ"), ("dashboard plant", "dashboard", "CY07"),
                                  ("steps HQ", "steps", "HQ"), ("steps plant", "steps", "CY07")):
            api = get(f"/api/v1/production/{kind}?unit={code}&{query[kind]}")
            by_hand = get(f"/api/by-hand/production/{kind}?unit={code}&{query[kind]}")
            answer = api().json()
            same_json(answer, by_hand().json())
            (check_dashboard if kind == "dashboard" else check_steps)(answer, bare(kind, code)())
            rows = len(answer["curve"]["dates"]) if kind == "dashboard" else len(answer["steps"])
            fns = [api, by_hand, by_selector(kind, code), bare(kind, code)]
            queries = [_count_queries(fn) for fn in fns]
            timed = _interleaved(fns)
            api_s, hand_s, selector_s, sql_s = (_p95(s) for s in timed)
            medians = ", ".join(f"{statistics.median(s) * 1000:.1f}" for s in timed)
            say(f"{label}: p95 API {api_s * 1000:.1f} ms, by hand {hand_s * 1000:.1f} ms, selector "
                f"{selector_s * 1000:.1f} ms, SQL {sql_s * 1000:.1f} ms; medians {medians} ms")
            results += [
                {"name": f"{label} API p95 {api_s / hand_s:.2f}x by hand, {api_s / sql_s:.2f}x SQL "
                         f"({queries[0]}q, {scale})", "rows": rows, "seconds": api_s},
                {"name": f"{label} endpoint by hand p95 ({queries[1]}q)", "rows": rows, "seconds": hand_s},
                {"name": f"{label} selector p95 {selector_s / sql_s:.2f}x SQL ({queries[2]}q)", "rows": rows,
                 "seconds": selector_s},
                {"name": f"{label} SQL p95 ({queries[3]}q)", "rows": rows, "seconds": sql_s}]
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
