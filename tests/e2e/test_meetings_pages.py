"""The meetings pages in a real browser: the organiser opens the next meeting of the reform
office, sees the red task proposed for the agenda, takes it, records the discussion and a
decision, turns the decision into a task in one step, and the new owner finds it under “my
tasks”. Screenshots of the meeting, the calendar and the secretaries' attendance."""
import datetime as dt

import pytest

from ronghe.meetings import services
from ronghe.org import services as org_services
from ronghe.tasks import services as task_services
from tests import factories as f

D = dt.date


@pytest.fixture
def reform_office(org, personas, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    su = personas.superuser
    chair = f.person(org.hq, name="改革办主任")
    owner = f.person(org.area, name="赵责任")
    chair_user = f.user("chair", person_=chair)
    f.grant(chair_user, f.ROLE.ADMIN, org.hq)
    owner_user = f.user("owner", person_=owner)
    secretary = f.person(org.plant, name="一厂书记")
    org_services.position_assign(actor=su, person=secretary, kind="secretary", party_org=org.plant_po)
    plan = task_services.plan_create(actor=su, name="三项制度改革总方案", unit=org.hq, year=2026)
    red = task_services.task_create(actor=su, plan=plan, name="压减处级机构", leader=chair, lead_unit=org.plant,
                                    responsible=owner, start_date=D(2026, 3, 1), deadline=D(2026, 9, 30),
                                    milestones=[(D(2026, 4, 30), "完成方案审批")])
    task_services.task_issue(actor=su, task=red, on=D(2026, 3, 2))
    task_services.task_acknowledge(actor=su, task=red, on=D(2026, 3, 3))
    series = services.series_create(
        actor=su, name="改革办例会", kind="reform_office", organiser_unit=org.hq, recurrence="half_monthly", day=1,
        second_day=16, starts_on=D(2026, 6, 1), place="机关301会议室", chair=chair,
        invitees=[chair, owner, secretary], plans=[plan])
    services.generate_meetings(actor=su, until=D(2026, 7, 31))
    geology = services.series_create(actor=su, name="地质措施论证会", kind="geology_review", organiser_unit=org.hq,
                                     recurrence="quarterly", day=25, starts_on=D(2026, 1, 1), invitees=[secretary],
                                     units=[org.plant, org.sibling])
    q1, q2 = services.generate_meetings(actor=su, until=D(2026, 6, 30), series=geology)
    services.attendance_record(actor=su, attendance=q1.attendance.get(), status="present")
    services.attendance_record(actor=su, attendance=q2.attendance.get(), status="substitute", reason="出差",
                               substitute=owner)
    return chair_user, owner_user, series, red


def test_the_organiser_turns_the_red_task_on_the_agenda_into_a_decision_and_a_task(
        logged_in_page, reform_office, screenshot):
    chair_user, owner_user, series, red = reform_office
    page = logged_in_page(chair_user)
    page.goto("/meetings/")
    page.locator("#meeting-list a", has_text="改革办例会").nth(2).click()  # 1 July: the next meeting
    page.wait_for_selector("#proposals")
    assert "〔2026〕第3期" in page.inner_text("h2.page-title")
    proposal = page.locator("#proposals [data-proposal=task]")
    assert "压减处级机构" in proposal.inner_text() and "红灯" in proposal.inner_text()
    screenshot(page, "meeting-proposals")

    proposal.get_by_role("button", name="列入议程").click()
    item = page.locator("#agenda [data-item]").first
    assert "压减处级机构" in item.inner_text()
    item.locator("summary").click()
    item.locator("textarea[name=discussion]").fill("方案审批滞后两个月，需组织部协调。")
    item.locator("select[name=outcome]").select_option("decided")
    item.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=方案审批滞后两个月")

    page.click("#decision-new")
    page.fill("textarea[name=text]", "组织部牵头，7月31日前完成机构调整方案审批。")
    page.fill("input[name=owner]", owner_user.person.employee_no)
    page.select_option("select[name=lead_unit]", "CY1")
    page.fill("input[name=deadline]", "2026-07-31")
    page.select_option("select[name=item]", label="压减处级机构")
    page.get_by_role("button", name="保存").click()
    row = page.locator("#decisions [data-decision]").first
    assert "〔2026〕第3期-1" in row.inner_text()

    row.get_by_role("button", name="转为任务").click()
    page.wait_for_selector("text=已转为任务")
    assert page.locator("#decisions [data-decision] a", has_text="任务").count() == 1
    screenshot(page, "meeting-detail")

    page.goto("/meetings/calendar/?month=2026-7")
    assert page.locator("#meeting-calendar a", has_text="改革办例会").count() == 2
    screenshot(page, "meetings-calendar")
    page.goto("/meetings/stats/?kind=geology_review&date_from=2026-01-01&date_to=2026-12-31")
    page.wait_for_selector("#attendance-chart canvas")
    assert "50.0%" in page.inner_text("#stats-rate")
    screenshot(page, "meetings-stats")

    page.context.clear_cookies()
    page = logged_in_page(owner_user)
    page.goto("/tasks/?view=mine")
    mine = page.inner_text("#task-list")
    assert "组织部牵头，7月31日前完成机构调整方案审批。" in mine
    screenshot(page, "meeting-task-in-my-tasks")
