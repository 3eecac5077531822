"""Carriers and the problem ledger in a real browser: a branch secretary registers a problem on
their carrier and records its solution; the plant's admin verifies it for the unit; the ledger's
first-half button and the statistics' charts show it. Screenshots of the register, the cards,
the problem page and the statistics go to docs/screenshots/ with `make screenshots`."""
import datetime as dt

import pytest

from ronghe.vanguard.models import Problem
from tests import factories as f
from tests.vanguard import factories as vf

D = dt.date


@pytest.fixture
def plant(org, personas, settings):
    """The plant's branch with two carriers and a few problems of the first half of 2026."""
    settings.RONGHE_TODAY = "2026-07-15"
    secretary_person = f.person(org.team, org.branch, name="孙书记")
    secretary = f.user("branch_secretary", person_=secretary_person)
    f.grant(secretary, f.ROLE.SECRETARY, org.branch)
    admin = f.user("plant_admin_e2e")
    f.grant(admin, f.ROLE.ADMIN, org.plant)
    helper = f.person(org.team, org.branch, name="周师傅")
    post = vf.carrier(org.team, org.branch, name="采油一班“油井管护”共产党员先锋岗", lead=org.worker,
                      members=[helper], commitment="不让一口井带病生产", established_on=D(2024, 3, 1))
    vf.carrier(org.area, org.branch, name="作业一区东部井组党员责任区", kind="zone", members=[helper],
               established_on=D(2025, 5, 1))
    vf.carrier(org.area, org.branch, name="作业一区“注水提质”党员先锋工程", kind="project",
               established_on=D(2026, 2, 1))
    for month, oil in ((2, 12), (3, 30), (5, 8)):
        vf.solved(org.team, org.worker, carrier=post, title=f"兴{month}-{oil}井结蜡严重", on=D(2026, month, 20),
                  raised_on=D(2026, month, 1), oil_t=oil, cost_saved=oil * 1000, verify_on=D(2026, month, 28))
    vf.problem(org.team, org.worker, carrier=post, title="集输回压偏高", raised_on=D(2026, 6, 2))
    return type("Plant", (), {"secretary": secretary, "admin": admin, "post": post})


def test_a_problem_is_registered_solved_and_verified(page, logged_in_page, screenshot, plant, org):
    logged_in_page(plant.secretary)
    page.goto("/vanguard/")
    page.wait_for_selector("#carrier-list")
    assert "采油一班“油井管护”共产党员先锋岗" in page.inner_text("#carrier-list")
    assert page.locator("[data-flag='no_members']").count() == 1  # the project has nobody yet
    screenshot(page, "vanguard-carriers")

    page.goto("/vanguard/cards/")
    page.wait_for_selector("#carrier-cards")
    assert "不让一口井带病生产" in page.inner_text("#carrier-cards")
    screenshot(page, "vanguard-cards")

    page.goto(f"/vanguard/carriers/{plant.post.pk}/")
    page.click("#problem-create")
    page.fill("#id_title", "抽油机频繁停机")
    page.select_option("#id_category", "equipment")
    page.fill("#id_raised_on", "2026-07-01")
    page.fill("#id_description", "平衡率低，月均停机4次")
    page.click("#vanguard-submit")
    page.wait_for_selector("#problem-status")
    assert page.inner_text("#problem-status") == "已登记"
    problem = Problem.objects.get(title="抽油机频繁停机")
    assert problem.carrier == plant.post and problem.unit == org.team

    page.click("#step-start")
    page.fill("#id_on", "2026-07-02")
    page.click("#vanguard-submit")
    page.wait_for_selector("#problem-status")
    assert page.inner_text("#problem-status") == "攻关中"
    page.click("#step-solve")
    page.fill("#id_solution", "调整平衡块，更换电机控制柜")
    page.fill("#id_on", "2026-07-10")
    page.fill("#id_oil_t", "6.5")
    page.fill("#id_cost_saved", "42000")
    page.click("#vanguard-submit")
    page.wait_for_selector("#problem-status")
    assert page.inner_text("#problem-status") == "已解决"
    assert "待所在单位验收" in page.inner_text("body")
    assert page.locator("#step-verify").count() == 0  # the unit verifies, not the branch

    page.context.clear_cookies()
    logged_in_page(plant.admin)
    page.goto(f"/vanguard/problems/{problem.pk}/")
    page.click("#step-verify")
    page.fill("#id_note", "停机次数降为零，效益属实")
    page.click("#vanguard-submit")
    page.wait_for_selector("#problem-status")
    assert page.inner_text("#problem-status") == "已验收"
    assert "2026年7月10日" in page.inner_text("#problem-progress")
    screenshot(page, "vanguard-problem")

    page.goto("/vanguard/problems/")
    page.click("#solved-h1")
    page.wait_for_selector("#problem-list")
    rows = page.locator("#problem-list tbody tr[data-problem]")
    assert rows.count() == 3 and page.inner_text("[data-total='oil']") == "50.0"
    screenshot(page, "vanguard-ledger")

    page.goto("/vanguard/stats/?preset=year&year=2026")
    page.wait_for_selector("#chart-problems canvas")
    page.wait_for_selector("#chart-kinds canvas")
    assert page.inner_text("[data-kpi='solved']") == "4" and page.inner_text("[data-kpi='carriers']") == "3"
    assert "生产相关" in page.inner_text("#carrier-kpis")
    screenshot(page, "vanguard-stats")


def test_the_carrier_is_picked_by_typing_part_of_its_name(page, logged_in_page, plant, org):
    for n in range(30):
        vf.carrier(org.team, org.branch, name=f"采油一班第{n:02d}号岗")
    logged_in_page(plant.admin)
    page.goto("/vanguard/problems/new/")
    assert page.locator("#carrier-options option").count() == 0  # nothing offered before typing
    page.locator("#id_carrier").press_sequentially("注水", delay=50)
    page.wait_for_function("document.querySelectorAll('#carrier-options option').length > 0")
    offered = page.locator("#carrier-options option")
    assert offered.count() == 1
    choice = offered.first.get_attribute("value")
    assert choice.startswith("作业一区“注水提质”党员先锋工程（作业一区）#")
    page.fill("#id_carrier", choice)  # what picking the suggestion puts in the field
    page.fill("#id_title", "注水井欠注")
    page.fill("#id_raised_by", org.worker.employee_no)
    page.fill("#id_raised_on", "2026-07-10")
    page.click("#vanguard-submit")
    page.wait_for_selector("#problem-status")
    assert Problem.objects.get(title="注水井欠注").carrier.name == "作业一区“注水提质”党员先锋工程"

    page.goto("/vanguard/problems/new/")
    page.locator("#id_carrier").press_sequentially("CY1-A1-T1", delay=30)
    page.wait_for_function("document.querySelectorAll('#carrier-options option').length > 0")
    assert page.locator("#carrier-options option").count() == 20
    page.screenshot(path="/tmp/h6/vanguard-carrier-picker.png")
    page.fill("#id_carrier", "没有这个载体")
    page.fill("#id_title", "无载体")
    page.fill("#id_raised_by", org.worker.employee_no)
    page.fill("#id_raised_on", "2026-07-10")
    page.click("#vanguard-submit")
    page.wait_for_selector(".invalid-feedback, .errorlist, .is-invalid")
    assert not Problem.objects.filter(title="无载体").exists()
