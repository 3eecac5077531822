"""Statistics of the key tasks: figures per plan, lead unit and leader, the weekly trend, the
page and the API. Today is frozen at 2026-06-30 (a Tuesday) by the `five_ones` fixture."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ronghe.core.workdays import Calendar
from ronghe.tasks import selectors, services, stats
from ronghe.tasks.models import Cycle
from tests import factories as f
from tests.api.support import ApiClient, token_for

D = dt.date
END_OF_YEAR = D(2026, 12, 31)
TODAY = D(2026, 6, 30)
_n = itertools.count()


def _task(five_ones, root, name, *, lead_unit=None, deadline=END_OF_YEAR, issued=None, acknowledged=None,
          cycle=Cycle.MONTHLY, reports=(), completed=None):
    task = services.task_create(actor=root, plan=five_ones.plan, name=name, leader=five_ones.leader.person,
                                lead_unit=lead_unit or five_ones.task.lead_unit, responsible=five_ones.owner.person,
                                deadline=deadline, cycle=cycle)
    if issued:
        task = services.task_issue(actor=root, task=task, on=issued)
    if acknowledged:
        task = services.task_acknowledge(actor=root, task=task, on=acknowledged)
    for on in reports:
        services.progress_report(actor=root, task=task, percent=50, text="进展", on=on)
    if completed:
        task = services.completion_submit(actor=root, task=task, evidence="材料", on=completed)
        task = services.completion_accept(actor=root, task=task, on=completed)
    return task


@pytest.fixture
def mix(five_ones, org, personas):
    """Besides the fixture's draft: one task done on time, one done late, two in progress (one
    reporting, one silent) and one awaiting acknowledgement in another lead unit."""
    root = personas.superuser
    _task(five_ones, root, "按期办结", issued=D(2026, 6, 1), acknowledged=D(2026, 6, 3), completed=D(2026, 6, 10))
    _task(five_ones, root, "逾期办结", deadline=D(2026, 6, 5), issued=D(2026, 6, 1), acknowledged=D(2026, 6, 2),
          completed=D(2026, 6, 20))
    _task(five_ones, root, "按时反馈", cycle=Cycle.WEEKLY, issued=D(2026, 6, 1), acknowledged=D(2026, 6, 8),
          reports=[D(2026, 6, 29)])
    _task(five_ones, root, "无进展", cycle=Cycle.WEEKLY, issued=D(2026, 6, 1), acknowledged=D(2026, 6, 1))
    _task(five_ones, root, "待签收", lead_unit=org.area, issued=D(2026, 6, 29))
    return five_ones


def _summary(user, as_of=TODAY):
    return stats.compute(selectors.with_facts(selectors.tasks(user)), as_of, Calendar())


def test_it_computes_the_rates_on_a_hand_made_set(mix, personas):
    overall = _summary(personas.plant_admin).overall
    assert overall.total == 6
    assert (overall.done, overall.done_on_time, overall.on_time_rate) == (2, 1, 0.5)
    # working days issue → acknowledgement: 2, 1, 5 and 0
    assert (overall.acknowledged, overall.acknowledge_days_avg) == (4, 2.0)
    assert (overall.in_progress, overall.reporting_on_time, overall.reporting_rate) == (2, 1, 0.5)
    assert overall.phases == {"draft": 1, "issued": 1, "in_progress": 2, "submitted": 0, "done": 2, "cancelled": 0}
    assert overall.lights["done"] == 2 and overall.lights["grey"] == 1
    assert sum(overall.lights.values()) == 6


def test_it_groups_by_plan_lead_unit_and_leader(mix, org, personas):
    groups = _summary(personas.plant_admin).groups
    assert [(g.name, g.total) for g in groups["plan"]] == [(mix.plan.name, 6)]
    assert [(g.key, g.total) for g in groups["lead_unit"]] == [(org.plant.pk, 5), (org.area.pk, 1)]
    assert [(g.name, g.total) for g in groups["leader"]] == [(mix.leader.person.name, 6)]
    area = groups["lead_unit"][1]
    assert (area.phases["issued"], area.on_time_rate, area.acknowledge_days_avg, area.reporting_rate) == (
        1, None, None, None)


def test_it_reads_the_facts_as_of_the_date_asked(mix, personas):
    overall = _summary(personas.plant_admin, as_of=D(2026, 6, 15)).overall
    assert (overall.done, overall.on_time_rate) == (1, 1.0)
    assert overall.phases["issued"] == 0 and overall.phases["draft"] == 2


def test_the_weekly_trend_counts_the_lights_on_each_of_the_last_twelve_mondays(mix, personas):
    rows = list(selectors.with_facts(selectors.tasks(personas.plant_admin)))
    trend = _summary(personas.plant_admin).trend
    assert [p["week"] for p in trend] == [D(2026, 4, 13) + dt.timedelta(weeks=n) for n in range(12)]
    assert trend[0] == {"week": D(2026, 4, 13), "red": 0, "yellow": 0, "blue": 0, "green": 0}
    on_29 = [s.light for s in selectors.statuses(rows, D(2026, 6, 29), Calendar()).values()]
    assert {k: v for k, v in trend[-1].items() if k != "week"} == {
        light: on_29.count(light) for light in ("red", "yellow", "blue", "green")}
    assert sum(trend[-1][light] for light in ("red", "yellow", "blue", "green")) == 3


def test_it_counts_nothing_for_a_sibling_plants_admin(mix, org):
    sibling_admin = f.user("sibadmin")
    f.grant(sibling_admin, f.ROLE.ADMIN, org.sibling)
    summary = _summary(sibling_admin)
    assert summary.overall.total == 0 and all(not groups for groups in summary.groups.values())
    body = ApiClient(token_for(sibling_admin)).get("/api/v1/tasks/stats").json()
    assert body["overall"]["total"] == 0 and body["by_plan"] == []


def test_the_page_shows_the_tables_and_the_chart_data(mix, client, personas):
    client.force_login(personas.plant_admin)
    response = client.get(reverse("task_stats"))
    assert response.status_code == 200
    assert response.context["overall"]["on_time_rate"] == "50.0%"
    assert response.context["chart"]["weeks"][-1] and len(response.context["chart"]["series"]) == 4
    html = response.content.decode()
    assert 'id="stats-trend-data"' in html and "echarts.min.js" in html
    assert 'id="stats-lead_unit"' in html and mix.plan.name in html
    assert reverse("task_stats") in client.get(reverse("task_list")).content.decode()


def test_the_page_filters_by_plan(mix, client, personas):
    other = services.plan_create(actor=personas.superuser, name="另一方案", unit=mix.plan.unit,
                                 leader=mix.leader.person, year=2026)
    client.force_login(personas.plant_admin)
    response = client.get(reverse("task_stats"), {"plan": other.pk})
    assert response.context["overall"]["figures"].total == 0


def test_the_api_returns_the_same_figures(mix, personas):
    body = ApiClient(token_for(personas.plant_admin)).get("/api/v1/tasks/stats", as_of="2026-06-30")
    assert body.status_code == 200, body.content
    data = body.json()
    summary = _summary(personas.plant_admin)
    assert data["overall"] == summary.overall.as_dict()
    assert data["by_lead_unit"] == [g.as_dict() for g in summary.groups["lead_unit"]]
    assert len(data["trend"]) == 12 and data["trend"][-1]["week"] == "2026-06-29"
    assert data["trend"][-1]["red"] == summary.trend[-1]["red"]


def test_the_api_answers_a_bad_date_with_422(mix, personas):
    response = ApiClient(token_for(personas.plant_admin)).get("/api/v1/tasks/stats", as_of="June")
    assert response.status_code == 422


def _more(five_ones, org, root, n):
    for _ in range(n):
        i = next(_n)
        _task(five_ones, root, f"任务{i}", lead_unit=org.area if i % 2 else org.plant, cycle=Cycle.WEEKLY,
              issued=D(2026, 6, 1), acknowledged=D(2026, 6, 2), reports=[D(2026, 6, 8), D(2026, 6, 22)])


def _count(call):
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_tasks(five_ones, org, client, personas):
    client.force_login(personas.plant_admin)
    api = ApiClient(token_for(personas.plant_admin))
    _more(five_ones, org, personas.superuser, 3)
    api.get("/api/v1/tasks/stats")  # the token's first use of the day is recorded once
    page, endpoint = _count(lambda: client.get(reverse("task_stats"))), _count(lambda: api.get("/api/v1/tasks/stats"))
    _more(five_ones, org, personas.superuser, 30)
    assert _count(lambda: client.get(reverse("task_stats"))) == page
    assert _count(lambda: api.get("/api/v1/tasks/stats")) == endpoint
