"""三会一课 in a real browser: the compliance matrix shows a missing 支委会 in red, opens a
committee's branches lazily, and turns the gap orange once a make-up is recorded on the form;
the statistics draw their charts. Screenshots of the matrix, the form, the gaps and the
statistics go to docs/screenshots/ with `make screenshots`."""
import datetime as dt

import pytest

from ronghe.orglife import services
from ronghe.orglife.models import Record
from tests import factories as f

D = dt.date


@pytest.fixture
def branch_life(org, personas, settings):
    """一区党支部 (nine members, so it has a committee) held its 支委会 every month of 2026 but
    September, its general meetings and lessons each quarter; today is 25 November."""
    settings.RONGHE_TODAY = "2026-11-25"
    members = [org.worker] + [f.person(org.area, org.branch, name=f"一区党员{i}") for i in range(1, 8)]
    secretary = f.person(org.area, org.branch, name="赵书记", party_post="党支部书记")
    members.append(secretary)
    group_member = f.person(org.team, org.group, name="小组党员")
    admin = personas.plant_admin

    def held(party_org, kind, day, people, **extra):
        services.record_create(actor=admin, party_org=party_org, kind=kind, held_on=day, topic=f"{day.month}月{kind}",
                               host=secretary if party_org == org.branch else group_member,
                               attendance=[(p, "present") for p in people], **extra)

    for month in range(1, 12):
        if month != 9:
            held(org.branch, "committee", D(2026, month, 8), members[:7])
        held(org.group, "group_meeting", D(2026, month, 12), [group_member])
    for month in (2, 5, 8, 11):
        held(org.branch, "general_meeting", D(2026, month, 20), members)
        held(org.branch, "lesson", D(2026, month, 21), members, lecturer=secretary)
    return members


def test_the_matrix_shows_a_gap_that_a_make_up_turns_orange(page, logged_in_page, personas, branch_life, screenshot):
    logged_in_page(personas.plant_admin)
    page.goto("/orglife/")
    matrix = page.locator("#orglife-matrix")
    assert "落实情况" in page.title() or "三会一课" in page.content()
    plant = matrix.locator("tr[data-code='P-CY1']")
    below = plant.locator("td[data-period='2026-09'] .m-below")
    assert (below.get_attribute("data-missing"), below.get_attribute("data-due")) == ("1", "2")  # the committee
    plant.locator(".matrix-toggle").click()
    branch = matrix.locator("tr[data-code='P-CY1-B1']")
    branch.wait_for()
    september = branch.locator("td[data-period='2026-09'] [data-status]")
    assert september.get_attribute("data-status") == "missing" and september.inner_text() == "委"
    assert branch.locator("td[data-period='2026-10'] [data-status='held']").count() == 1
    assert branch.locator("td[data-period='2026-12'] [data-status='future']").count() == 1
    def colour(badge):
        return badge.evaluate("e => getComputedStyle(e).backgroundColor")

    october = branch.locator("td[data-period='2026-10'] [data-status='held']")
    assert colour(september) != colour(october) and "0, 0, 0, 0" not in colour(september)
    branch.locator(".matrix-toggle").click()
    matrix.locator("tr[data-code='P-CY1-B1-G1']").wait_for()
    screenshot(page, "orglife-matrix")

    page.goto("/orglife/gaps/")
    assert "一区党支部" in page.locator("#gap-list").inner_text()
    screenshot(page, "orglife-gaps")
    page.locator("#gap-list a", has_text="登记").first.click()
    page.wait_for_selector("#record-form")
    page.select_option("#id_kind", "committee")
    page.fill("#id_held_on", "2026-10-15")
    page.fill("#id_makeup_for", "2026-09-01")
    page.fill("#id_topic", "补开九月支委会")
    page.fill("#id_minutes", "补开九月份支委会，研究发展党员工作。")
    screenshot(page, "orglife-record-form")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#attendance")
    assert Record.objects.filter(topic="补开九月支委会", makeup_for=D(2026, 9, 1)).exists()

    page.goto("/orglife/?party_org=P-CY1")
    late = page.locator("tr[data-code='P-CY1-B1'] td[data-period='2026-09'] [data-status]")
    assert late.get_attribute("data-status") == "late"


def test_the_statistics_draw_their_charts(page, logged_in_page, personas, branch_life, screenshot):
    logged_in_page(personas.plant_admin)
    page.goto("/orglife/stats/")
    page.wait_for_selector("#chart-months canvas")
    assert page.locator("#chart-quarters canvas").count() == 1
    assert "%" in page.locator("#figure-compliance").inner_text(), page.locator("#orglife-figures").inner_text() + page.locator("#stats-orgs").inner_text()
    screenshot(page, "orglife-stats")
