"""Coordination requests in a real browser, in Chinese: a task's owner raises a request from the
task page, the department answers it, the raiser accepts it; the statistics show all twelve
requests answered with the chart drawn. Screenshots of the list, the request page and the
statistics go to docs/screenshots/ with `make screenshots`."""
import datetime as dt

import pytest

from ronghe.coordination import services
from ronghe.coordination.models import Request
from ronghe.org.models import Position
from ronghe.tasks import services as task_services
from tests import factories as f

D = dt.date


@pytest.fixture
def world(org, personas, settings, tmp_path):
    settings.RONGHE_TODAY = "2026-06-30"
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = f.user("owner", person_=f.person(org.plant, name="赵责任", post="作业区经理"))
    f.grant(owner, f.ROLE.ADMIN, org.plant)
    dept = f.user("dept", person_=f.person(org.dept, name="吴部长", post="部长"))
    f.grant(dept, f.ROLE.ADMIN, org.dept)
    Position.objects.create(person=dept.person, unit=org.dept, kind=Position.Kind.HEAD)
    plan = task_services.plan_create(actor=personas.superuser, name="三项制度改革总方案", unit=org.hq, year=2026)
    task = task_services.task_create(actor=personas.superuser, plan=plan, number="1", name="压减处级机构",
                                     leader=dept.person, lead_unit=org.plant, responsible=owner.person,
                                     start_date=D(2026, 3, 1), deadline=D(2026, 9, 30))
    task = task_services.task_issue(actor=personas.superuser, task=task, on=D(2026, 3, 2))
    task_services.task_acknowledge(actor=owner, task=task, on=D(2026, 3, 3))
    for i, title in enumerate(["申请将油区道路维修纳入内部市场", "请求协调拖欠工程款结算", "申请富余人员转岗培训支持",
                               "请求调整设备更新投资", "协调外部市场资质办理", "明确安全标准化验收标准",
                               "申请承接设备大修业务", "明确内部关联交易定价办法", "明确危废处置费用标准",
                               "申请污水处理新工艺立项", "提供措施作业工作量计划", "降低内部资金占用费率"]):
        request = services.request_raise(actor=owner, title=title, description="请协调解决。", from_unit=org.plant,
                                         to_unit=org.dept, category="market", on=D(2026, 3, 2 + i))
        services.request_answer(actor=dept, request=request, answer="经研究同意，已落实。", on=D(2026, 3, 4 + i))
        services.request_close(actor=owner, request=request, on=D(2026, 3, 6 + i))
    return type("World", (), {"owner": owner, "dept": dept, "task": task})


def test_a_request_raised_from_a_task_is_answered_and_accepted(world, logged_in_page, browser, live_server,
                                                               screenshot):
    page = logged_in_page(world.owner)
    page.goto(f"/tasks/{world.task.pk}/")
    page.click("#task-raise-request")
    page.fill("#id_title", "请求协调机构调整方案会签")
    page.fill("#id_description", "机构调整方案需组织部会签，请协调加快。")
    page.fill("#id_to_unit", "HQ-ZZB")
    page.select_option("#id_category", "staffing")
    page.click("#coordination-form button[type=submit]")
    page.wait_for_selector("#request-timeline")
    assert "待答复" in page.inner_text("#request-state")
    raised = Request.objects.get(title="请求协调机构调整方案会签")
    assert raised.task_id == world.task.pk and raised.answer_due == D(2026, 7, 7)
    page.goto(f"/tasks/{world.task.pk}/")
    card = page.inner_text("#task-requests")
    assert raised.number in card and "待答复" in card
    assert page.locator("#task-status [data-mode=blocked]").count() >= 1

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1440, "height": 900})
    other = context.new_page()
    other.goto("/accounts/login/")
    other.fill("#id_username", world.dept.username)
    other.fill("#id_password", "pass-word-123")
    other.click("form[action='/accounts/login/'] button[type=submit]")
    other.wait_for_selector("#sidebar-nav", state="attached")
    other.goto("/coordination/?mine=to_me&state=awaiting")
    assert "请求协调机构调整方案会签" in other.inner_text("#coordination-list")
    screenshot(other, "coordination-list")
    other.click(f"tr[data-request='{raised.pk}'] a")
    other.click("#step-button-answer")
    other.fill("#id_answer-answer", "组织部已安排专人会签，三个工作日内完成。")
    other.click("#step-answer button[type=submit]")
    other.wait_for_selector("#request-answer")
    assert "已答复" in other.inner_text("#request-state")
    context.close()

    page.goto(f"/coordination/{raised.pk}/")
    page.click("#step-button-close")
    page.click("#step-close button[type=submit]")
    page.wait_for_selector("#request-answer")
    assert "已办结" in page.inner_text("#request-state")
    timeline = page.inner_text("#request-timeline")
    assert "提出" in timeline and "答复" in timeline and "确认办结" in timeline and "2026年6月30日" in timeline
    screenshot(page, "coordination-request")


def test_the_statistics_show_all_twelve_answered_and_draw_the_chart(world, logged_in_page, screenshot):
    page = logged_in_page(world.owner)
    page.goto("/coordination/stats/?start=2026-01-01&end=2026-06-30")
    assert page.inner_text("#figure-raised") == "12" and page.inner_text("#figure-answered") == "12"
    headline = page.inner_text("#stats-headline")
    assert "12 项全部得到明确答复" in headline and "2026年1月1日" in headline
    page.wait_for_selector("#stats-chart canvas")
    screenshot(page, "coordination-stats")
