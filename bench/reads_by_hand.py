"""The yardstick of the production reads benchmark, written by hand: the unit dashboard and the
hundred-ton steps computed by hand-written SQL and the same pure rules (production.rules, and
selectors.figures, which only arranges their answers), first as bare computations, then served
as hand-written endpoints that answer exactly what the API answers.

A hand-written endpoint checks the bearer token with one hand-written query, reads its
parameters from the query string and writes its answer with the same JSON writer as the API;
no API framework, no ORM, no selectors, no scope rules (it serves a superuser only, who is
who the benchmark reads as, and answers 403 to anyone else). It runs behind the same Django
request handling and middleware as the API: the benchmark mounts it with `urlpatterns` below,
ahead of the platform's own URLs (so that it is found at least as fast as any API path), under
/api/, which the login middleware leaves to the endpoint's own authentication as it does the API's."""
import datetime as dt

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from pydantic_core import to_json

from ronghe.accounts.models import ApiToken
from ronghe.production import rules
from ronghe.production.selectors import PlanYear, figures, step_windows
from ronghe.urls import urlpatterns as platform_urlpatterns


def _day(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _in(values) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _rank_key(row):
    return row["ytd_ratio"] is None, -(row["ytd_ratio"] or 0), -row["ytd_actual_t"]


# --- the computations ---------------------------------------------------------------------------------

def sql_dashboard(code, as_of):
    """The dashboard of the unit of `code` on `as_of`, in four hand-written queries: the unit and
    its children, their plans, the unit's daily oil, the children's sums to date."""
    start, month_start = as_of.replace(month=1, day=1), as_of.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, name FROM org_unit WHERE code = %s OR parent_id = "
                       "(SELECT id FROM org_unit WHERE code = %s) AND abolished_on IS NULL "
                       "ORDER BY sort_order, code", [code, code])
        units = {pk: {"code": c, "name": name} for pk, c, name in cursor.fetchall()}
        unit = next((pk for pk, node in units.items() if node["code"] == code), None)
        if unit is None:
            return None
        children = [pk for pk in units if pk != unit]
        cursor.execute("SELECT unit_id, month, oil_plan_t, profit_plan, profit_actual FROM production_unitplan "
                       f"WHERE year = %s AND unit_id IN {_in(units)}", [as_of.year, *units])
        plans = {pk: PlanYear() for pk in units}
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
        sums = {}
        if children:
            cursor.execute("SELECT unit_id, SUM(oil_t), SUM(CASE WHEN date >= %s THEN oil_t ELSE 0 END) "
                           f"FROM production_unitday WHERE unit_id IN {_in(children)} AND date BETWEEN %s AND %s "
                           "GROUP BY unit_id", [month_start, *children, start, as_of])
            sums = {pk: (ytd, mtd) for pk, ytd, mtd in cursor.fetchall()}
    days = [start + dt.timedelta(days=i) for i in range((as_of - start).days + 1)]
    oil = [series.get(d, 0.0) for d in days]
    plan = plans[unit]
    month_plans = {m: rules.daily_plan(plan.annual_oil, plan.monthly_oil, dt.date(as_of.year, m, 1))
                   for m in range(1, as_of.month + 1)}
    ranking = sorted(({**figures(*sums.get(pk, (0.0, 0.0)), plans[pk], as_of), "unit": units[pk]}
                      for pk in children), key=_rank_key)
    for rank, row in enumerate(ranking, start=1):
        row["rank"] = rank
    mtd = sum(o for d, o in zip(days, oil, strict=True) if d >= month_start)
    return {"unit": units[unit], "as_of": as_of, "figures": figures(sum(oil), mtd, plan, as_of),
            "curve": {"dates": days, "oil_t": oil, "plan_t": [month_plans[d.month] for d in days],
                      "average_t": rules.trailing_means(series, start - dt.timedelta(days=6), as_of, 7)[6:]},
            "ranking": ranking}


def sql_steps(code, base_date, as_of, windows=None):
    """The steps of the unit of `code` from one hand-written query of its daily oil."""
    windows = windows or rules.StepWindows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT d.date, d.oil_t FROM production_unitday d JOIN org_unit u ON u.id = d.unit_id "
                       "WHERE u.code = %s AND d.date BETWEEN %s AND %s",
                       [code, base_date - dt.timedelta(days=windows.base_days + windows.average_days), as_of])
        series = {_day(d): oil for d, oil in cursor.fetchall()}
    return rules.hundred_ton_steps(series, base_date, as_of, windows)


def _steps_answer(code, base_date, as_of, windows):
    """The steps endpoint's answer: the unit, then its days by id (two queries)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM org_unit WHERE code = %s", [code])
        found = cursor.fetchone()
        if found is None:
            return None
        cursor.execute("SELECT date, oil_t FROM production_unitday WHERE unit_id = %s AND date BETWEEN %s AND %s",
                       [found[0], base_date - dt.timedelta(days=windows.base_days + windows.average_days), as_of])
        series = {_day(d): oil for d, oil in cursor.fetchall()}
    result = rules.hundred_ton_steps(series, base_date, as_of, windows)
    return {"unit": {"code": code, "name": found[1]}, "base_date": base_date, "as_of": as_of,
            "through": result.through, "base_mean_t": result.base_mean, "base_level_t": result.base_level,
            "next_level_t": result.next_level,
            "windows": {"base_days": windows.base_days, "average_days": windows.average_days,
                        "hold_days": windows.hold_days, "step_t": windows.step_t},
            "steps": [{"k": s.k, "level": s.level, "reached_on": s.reached_on, "held": s.held}
                      for s in result.steps]}


# --- the endpoints ------------------------------------------------------------------------------------

def _superuser(request) -> bool:
    """Whether the bearer token is a live one of an active superuser (one query)."""
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT u.is_superuser FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "
                       "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active "
                       "AND (t.expires_at IS NULL OR t.expires_at > %s)", [ApiToken.hash(key), timezone.now()])
        row = cursor.fetchone()
    return bool(row and row[0])


def _answer(request, compute):
    if not _superuser(request):
        return HttpResponse(status=403)
    answer = compute(request.GET)
    if answer is None:
        return HttpResponse(status=404)
    return HttpResponse(to_json(answer), content_type="application/json")


def dashboard_view(request):
    return _answer(request, lambda q: sql_dashboard(q["unit"], dt.date.fromisoformat(q["as_of"])))


def steps_view(request):
    return _answer(request, lambda q: _steps_answer(q["unit"], dt.date.fromisoformat(q["base_date"]),
                                                    dt.date.fromisoformat(q["as_of"]), step_windows()))


urlpatterns = [
    path("api/by-hand/production/dashboard", dashboard_view),
    path("api/by-hand/production/steps", steps_view),
    *platform_urlpatterns,
]
