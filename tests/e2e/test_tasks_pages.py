"""The Five-Ones pages in a real browser: a leader creates and issues a task, the responsible
person acknowledges it and reports progress, a supervisor sees it turn red when time passes,
and the chart (挂图作战) draws its bars and prints on A3 landscape. Screenshots of the plan, the
chart, the list, the board and the task page go to docs/screenshots/ with `make screenshots`."""
import datetime as dt
import re

import pytest
from django.utils import translation

from ronghe.tasks import documents, selectors, services
from ronghe.tasks.models import Chase
from tests import factories as f
from tests.e2e.conftest import SCREENSHOTS

D = dt.date
A3_LANDSCAPE_POINTS = (1190.55, 841.89)


@pytest.fixture
def reform(org, personas, settings):
    """三项制度改革总方案 of HQ on 2026-06-30, its key tasks and sub-tasks in every light."""
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.hq, name="万总", post="副总经理")
    owner = f.person(org.area, name="赵责任", post="作业区经理")
    teammate = f.person(org.team, name="钱组员")
    leader_user = f.user("leader", person_=leader)
    f.grant(leader_user, f.ROLE.ADMIN, org.hq)
    owner_user = f.user("owner", person_=owner)
    plan = services.plan_create(actor=leader_user, name="三项制度改革总方案", unit=org.hq, leader=leader, year=2026,
                                description="落实国企改革三年行动，推进劳动、人事、分配三项制度改革。")

    def task(number, name, start, deadline, *, parent=None, unit=org.plant, milestones=(), issued=None, ack=None,
             reports=()):
        made = services.task_create(
            actor=leader_user, plan=plan, parent=parent, number=number, name=name, leader=leader, lead_unit=unit,
            responsible=owner, start_date=start, deadline=deadline, co_units=[org.dept], team=[(teammate, "组员")],
            milestones=milestones, goal=f"{name}，形成长效机制。", measures="制定方案、组织实施、督导检查。")
        if issued:
            services.task_issue(actor=leader_user, task=made, on=issued)
        if ack:
            services.task_acknowledge(actor=owner_user, task=made, on=ack)
        for on, percent in reports:
            services.progress_report(actor=owner_user, task=made, percent=percent, text=f"按计划推进，完成{percent}%",
                                     on=on)
        return made

    one = task("1", "压减处级机构", D(2026, 3, 1), D(2026, 9, 30), issued=D(2026, 3, 2), ack=D(2026, 3, 3),
               reports=[(D(2026, 4, 1), 20), (D(2026, 6, 15), 45)],
               milestones=[(D(2026, 4, 30), "完成方案审批"), (D(2026, 8, 31), "完成机构调整")])
    services.milestone_done(actor=owner_user, milestone=one.milestones.first(), evidence="批复文件", on=D(2026, 4, 28))
    done = task("1.1", "制定机构调整方案", D(2026, 3, 1), D(2026, 5, 31), parent=one, unit=org.area,
                issued=D(2026, 3, 2), ack=D(2026, 3, 2), reports=[(D(2026, 5, 20), 90)])
    services.completion_submit(actor=owner_user, task=done, evidence="方案已印发", on=D(2026, 5, 25))
    services.completion_accept(actor=leader_user, task=done)
    task("1.2", "人员分流安置", D(2026, 6, 25), D(2026, 10, 31), parent=one, unit=org.area, issued=D(2026, 6, 25),
         milestones=[(D(2026, 8, 15), "完成分流方案")])
    two = task("2", "推行经理层任期制和契约化管理", D(2026, 2, 1), D(2026, 6, 26), issued=D(2026, 2, 2),
               ack=D(2026, 2, 3), reports=[(D(2026, 3, 1), 30), (D(2026, 6, 20), 80)],
               milestones=[(D(2026, 5, 31), "完成契约签订")])
    services.milestone_done(actor=owner_user, milestone=two.milestones.first(), on=D(2026, 5, 30))
    extended = task("2.1", "签订任期责任书", D(2026, 2, 1), D(2026, 5, 31), parent=two, issued=D(2026, 2, 2),
                    ack=D(2026, 2, 3), reports=[(D(2026, 3, 1), 20), (D(2026, 4, 1), 35)])
    extension = services.extension_request(actor=owner_user, task=extended, reason="集团考核办法调整",
                                           new_deadline=D(2026, 12, 31), percent=35, on=D(2026, 5, 20))
    services.extension_decide(actor=leader_user, extension=extension, approve=True, on=D(2026, 5, 22))
    services.progress_report(actor=owner_user, task=extended, percent=50, text="已签订半数", on=D(2026, 6, 10))
    three = task("3", "健全市场化用工制度", D(2026, 4, 1), D(2026, 7, 3), issued=D(2026, 4, 1), ack=D(2026, 4, 1),
                 reports=[(D(2026, 5, 1), 40), (D(2026, 6, 20), 95)], milestones=[(D(2026, 6, 15), "制度印发")])
    services.milestone_done(actor=owner_user, milestone=three.milestones.first(), on=D(2026, 6, 12))
    blocked = task("4", "深化收入分配制度改革", D(2026, 5, 1), D(2026, 12, 31), issued=D(2026, 5, 1),
                   ack=D(2026, 5, 2), reports=[(D(2026, 6, 1), 20)], milestones=[(D(2026, 7, 15), "薪酬方案上会")])
    services.task_mark_blocked(actor=owner_user, task=blocked, reason="薪酬总额指标待集团批复", on=D(2026, 6, 20))
    task("5", "完善考核评价体系", None, D(2026, 11, 30))
    return type("Reform", (), {"plan": plan, "leader": leader_user, "owner": owner_user, "one": one})


def switch_user(page, logged_in_page, user):
    page.context.clear_cookies()
    return logged_in_page(user)


def chart_option(page):
    return page.evaluate("() => echarts.getInstanceByDom(document.getElementById('gantt')).getOption()")


def test_a_task_goes_from_the_leader_to_the_responsible_person_and_turns_red_later(
        page, logged_in_page, live_server, reform, personas, screenshot):
    # The leader in charge creates the task in the plan and issues it (下达).
    logged_in_page(reform.leader)
    page.goto("/tasks/plans/")
    page.click(f"#plan-list a[href='/tasks/plans/{reform.plan.pk}/']")
    page.click("#task-create")
    page.fill("#id_number", "6")
    page.fill("#id_name", "建立市场化用工退出机制")
    page.fill("#id_goal", "畅通员工退出渠道")
    page.fill("#id_leader", "万总")
    page.select_option("#id_lead_unit", "CY1-A1")
    page.select_option("#id_co_units", ["HQ-ZZB"])
    page.type("#id_responsible", "赵")
    page.wait_for_function("document.querySelectorAll('#people-options option').length > 0")
    assert "赵责任(" in page.locator("#people-options option").first.get_attribute("value")
    page.fill("#id_responsible", "赵责任")
    page.fill("#id_team", "钱组员 组员")
    page.fill("#id_start_date", "2026-06-29")
    page.fill("#id_deadline", "2026-09-30")
    page.fill("#id_milestones", "2026-07-31 完成制度修订")
    screenshot(page, "task-form")
    page.click("#task-form button[type=submit]")
    page.wait_for_selector("#task-steps")
    url = page.url
    assert page.locator("#task-responsible").inner_text() == "赵责任"
    page.click("[data-step=issue]")
    page.locator("#step-issue").wait_for(state="visible")
    page.click("#step-issue button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#task-state").inner_text() == "已下达"

    # The responsible person finds it among their tasks, acknowledges (签收) and reports (进展反馈).
    switch_user(page, logged_in_page, reform.owner)
    page.goto("/tasks/?view=mine&q=退出机制")
    page.click("#task-list a:has-text('建立市场化用工退出机制')")
    assert page.url == url
    page.click("[data-step=acknowledge]")
    page.click("#step-acknowledge button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.click("[data-step=report]")
    page.locator("#step-report").wait_for(state="visible")
    page.fill("#step-report [name=percent]", "10")
    page.fill("#step-report [name=text]", "完成调研，形成制度初稿")
    page.fill("#step-report [name=problems]", "退出补偿标准待定")
    page.click("#step-report button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "完成调研，形成制度初稿" in page.locator("#reports").inner_text()
    assert page.locator("#task-state").inner_text() == "推进中"

    # A supervisor sees it green today and red when time has passed without reports.
    switch_user(page, logged_in_page, personas.viewer)
    page.goto("/tasks/?q=退出机制")
    assert page.locator("#task-list tbody tr").get_attribute("data-light") == "green"
    page.fill("#task-filters #as_of", "2026-08-20")
    page.click("#task-filters button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2026-08-20"))
    row = page.locator("#task-list tbody tr")
    assert row.get_attribute("data-light") == "red"
    assert row.locator("[data-mode=no_progress]").is_visible()
    page.goto("/tasks/?as_of=2026-08-20")
    screenshot(page, "tasks-list")


def test_the_chart_draws_a_bar_per_task_folds_by_level_and_prints_on_a3(logged_in_page, live_server, reform,
                                                                       personas, screenshot, tmp_path):
    page = logged_in_page(personas.viewer)
    page.goto(f"/tasks/plans/{reform.plan.pk}/chart/")
    page.wait_for_selector("#gantt svg")
    option = chart_option(page)
    bars, milestones = option["series"]
    assert len(bars["data"]) == 8
    assert len(milestones["data"]) == 6
    assert milestones["markLine"]["data"][0]["xAxis"] > 0
    assert page.locator("#gantt svg path").count() > 30
    screenshot(page, "tasks-chart")

    page.click("[data-gantt-level='1']")
    assert len(chart_option(page)["series"][0]["data"]) == 5
    page.click("[data-gantt-level='0']")
    assert len(chart_option(page)["series"][0]["data"]) == 8

    pdf = page.pdf(path=str(tmp_path / "chart.pdf"), prefer_css_page_size=True, print_background=True)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box and (round(float(box[1])), round(float(box[2]))) == tuple(round(x) for x in A3_LANDSCAPE_POINTS)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    screenshot(page, "tasks-chart-print")


def test_the_plan_board_and_task_pages_show_lights_and_failure_modes(logged_in_page, live_server, reform, personas,
                                                                     screenshot):
    page = logged_in_page(personas.viewer)
    page.goto(f"/tasks/plans/{reform.plan.pk}/")
    rows = page.locator("#task-tree tbody tr")
    assert rows.count() == 8
    assert page.locator(f"#task-tree tr[data-task='{reform.one.pk}'] [data-rollup]").count() == 2
    screenshot(page, "tasks-plan")
    page.click("[data-tree-level='1']")
    assert page.locator("#task-tree tbody tr:visible").count() == 5
    page.click(f"#task-tree tr[data-task='{reform.one.pk}'] [data-task-toggle]")
    assert page.locator("#task-tree tbody tr:visible").count() == 7

    page.goto("/tasks/board/")
    for light in ("red", "yellow", "blue", "green", "grey", "done"):
        assert page.locator(f"[data-column={light}] .board-card").count() >= (0 if light == "green" else 1), light
    screenshot(page, "tasks-board")

    page = logged_in_page(reform.owner)
    page.goto("/tasks/?q=人员分流")
    page.click("#task-list a:has-text('人员分流安置')")
    assert page.locator("#failure-modes [data-mode=no_response]").is_visible()
    assert "签收" in page.locator("#failure-modes").inner_text()
    screenshot(page, "task-detail")


def trend_option(page):
    return page.evaluate("""() => {
        const option = echarts.getInstanceByDom(document.getElementById('stats-trend')).getOption();
        return {weeks: option.xAxis[0].data, series: option.series.map((s) => ({name: s.name, data: s.data}))};
    }""")


def test_the_statistics_draw_the_weekly_trend_and_lead_to_the_bulletin(logged_in_page, live_server, reform,
                                                                       personas, screenshot):
    page = logged_in_page(personas.viewer)
    page.goto("/tasks/stats/")
    page.wait_for_selector("#stats-trend canvas")
    option = trend_option(page)
    assert len(option["weeks"]) == 12 and option["weeks"][-1] == "2026年6月29日"
    assert [s["name"] for s in option["series"]] == ["红灯", "黄灯", "蓝灯", "绿灯"]
    assert sum(s["data"][-1] for s in option["series"]) >= 5
    assert "按牵头部门" in page.locator("#stats-lead_unit").inner_text()
    assert "按期办结率" in page.locator("#stats-plan thead").inner_text()
    assert reform.plan.name in page.locator("#stats-plan tbody").inner_text()
    screenshot(page, "tasks-stats")

    page.click("#stats-bulletin")
    page.wait_for_selector("#bulletin")
    assert "关于重点任务推进情况的通报" in page.locator(".bulletin-title").inner_text()
    assert page.locator("#bulletin-red tbody tr").count() >= 1
    assert "一、总体情况" in page.locator("#bulletin-overall h2").inner_text()
    assert page.locator("#bulletin-ranking tbody tr").count() == 2  # the plant and its area lead tasks
    screenshot(page, "tasks-bulletin")
    with page.expect_download() as download:
        page.click("#bulletin-docx")
    assert download.value.suggested_filename == "bulletin-2026-06-30.docx"


def test_a_supervisor_chases_a_red_task_and_prints_the_supervision_notice(logged_in_page, live_server, reform,
                                                                         screenshot):
    page = logged_in_page(reform.leader)
    page.goto("/tasks/?q=人员分流")
    page.click("#task-list a:has-text('人员分流安置')")
    page.click("[data-step=chase]")
    message = page.locator("#id_chase_message")
    assert "有部署无回音" in message.input_value()
    page.check("#id_chase_to_heads")
    screenshot(page, "task-chase")
    page.click("#step-chase button[type=submit]")
    card = page.locator("#chases")
    assert "督办〔2026〕第1号" in card.inner_text()
    with page.context.expect_page() as notice:
        page.click("#chases .chase-notice")
    assert notice.value.url.endswith("/notice/")
    # The notice as WeasyPrint lays it out, seen through the browser (the PDF itself has no picture here).
    chase = Chase.objects.get()
    task = selectors.with_facts(selectors.tasks(reform.leader)).get(pk=chase.task_id)
    with translation.override("zh-hans"):
        html = documents.chase_html(chase, task, selectors.statuses([task], chase.issued_on)[task.pk])
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.set_content(html)
    assert "督办〔2026〕第1号" in page.locator("#chase-number").inner_text()
    assert "有部署无回音" in page.locator("#chase-problems").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "task-chase-notice.png"), full_page=True)
