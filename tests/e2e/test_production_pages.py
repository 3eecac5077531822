"""What leaders see of production in a real browser: the plant's dashboard draws its daily curve
with the plan line, the step chart marks its steps, the measures page compares the groups with
their plan. Screenshots go to docs/screenshots/ with `make screenshots`."""
import datetime as dt
import math

import pytest

from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def served(page):
    """The live server's first answer imports every module's pages, which on a busy machine
    takes longer than a page is otherwise given."""
    page.goto("/accounts/login/", timeout=120_000)


@pytest.fixture
def plant(org, personas, settings, served):
    """采油一厂 in 2026 to 25 November: climbing from 1,050 t/day by 100 t steps every 45 days from
    March 2025, its areas' share, plans, and a project group with measures on climbing wells."""
    settings.RONGHE_TODAY = "2026-11-25"
    start, end = D(2025, 1, 1), D(2026, 11, 25)
    days = (end - start).days + 1
    curve = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        done = max(0, min(10, (day - D(2025, 3, 11)).days // 45 + 1)) if day >= D(2025, 3, 11) else 0
        curve.append(1050 + 100 * done + 12 * math.sin(i / 3))
    pf.unit_days(org.plant, start, curve)
    pf.unit_days(org.area, start, [v * 0.6 for v in curve])
    pf.unit_days(org.hq, start, [v * 1.5 for v in curve])
    pf.unit_days(org.sibling, start, [v * 0.5 for v in curve])
    for unit, annual in ((org.plant, 700_000), (org.area, 420_000), (org.sibling, 380_000)):
        pf.plan(unit, 2026, oil_plan_t=annual, profit_plan=annual * 0.12)
        for month in range(1, 11):
            pf.plan(unit, 2026, month, oil_plan_t=annual / 12 * (0.9 + month / 50), profit_plan=annual * 0.01,
                    profit_actual=annual * 0.0105)
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    group = ProjectGroup.objects.create(name="稠油热采上产项目组", unit=org.plant, leader=leader, year=2026)
    for n in range(6):
        well = pf.well(org.area, f"CYT-{n + 1:03d}", producing_since=D(2020, 1, 1))
        pf.daily(well, D(2026, 1, 1), [8.0] * 60 + [11.0 + n] * 269)
        Measure.objects.create(group=group, well=well, kind=["fracturing", "acidizing", "workover"][n % 3],
                               planned_month=D(2026, 2, 1), done_on=D(2026, 3, 1), planned_increment_t=500, cost=40)
    user = f.user("leader")
    f.grant(user, f.ROLE.ADMIN, org.hq)
    return user


def test_the_dashboard_draws_its_curve_and_ranks_the_units(plant, logged_in_page, screenshot):
    page = logged_in_page(plant)
    page.click('#sidebar-nav >> text="生产"')
    page.wait_for_selector("#dashboard-chart[data-drawn] canvas")
    assert "产量完成情况" in page.inner_text("h2.page-title")
    assert "时间过半任务过半" in page.inner_text("#pace")
    page.goto("/production/units/CY1/")
    page.wait_for_selector("#dashboard-chart[data-drawn] canvas")
    assert page.inner_text("#ranking").count("作业一区") == 1
    screenshot(page, "production-dashboard")


def test_the_step_chart_marks_ten_steps_with_their_dates(plant, logged_in_page, screenshot):
    page = logged_in_page(plant)
    page.goto("/production/units/CY1/steps/?base_date=2025-03-01")
    page.wait_for_selector("#steps-chart[data-drawn] canvas")
    assert page.inner_text("#steps-reached") == "10"
    assert page.locator("#steps-table tr[data-step]").count() == 10
    assert "2025年" in page.inner_text("#steps-table")
    screenshot(page, "production-steps")


def test_the_measures_page_compares_the_groups_with_their_plan(plant, logged_in_page, screenshot):
    page = logged_in_page(plant)
    page.goto("/production/units/CY1/measures/")
    page.wait_for_selector("#summary-chart[data-drawn] canvas")
    assert "稠油热采上产项目组" in page.inner_text("#summary-groups")
    screenshot(page, "production-measures")
    page.click("#summary-groups >> text=稠油热采上产项目组")
    page.wait_for_selector("#group-measures")
    assert page.locator("#group-measures tr[data-measure]").count() == 6
    screenshot(page, "production-group")
