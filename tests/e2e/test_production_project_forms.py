"""The project group and measure pages in a real browser: the lists filtered by a unit's code, the
group form choosing its unit and leader from selects and naming an unknown member on its field,
the measure form putting a measure in a group."""
import datetime as dt

import pytest

from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def plant(org, personas, settings, page):
    page.goto("/accounts/login/", timeout=120_000)  # the live server's first answer imports every page
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    plant_group = ProjectGroup.objects.create(name="稠油热采上产项目组", unit=org.plant, leader=leader, year=2026)
    area_group = ProjectGroup.objects.create(name="一区压裂组", unit=org.area, leader=leader, year=2026)
    for n, (unit, group) in enumerate(((org.area, plant_group), (org.team, area_group), (org.area, area_group))):
        well = pf.well(unit, f"CYT-{n + 1:03d}", producing_since=D(2020, 1, 1))
        Measure.objects.create(group=group, well=well, kind="fracturing", planned_month=D(2026, 3, 1),
                               done_on=D(2026, 3, 5) if n else None, planned_increment_t=300)
    user = f.user("leader")
    f.grant(user, f.ROLE.ADMIN, org.plant)
    return user, leader


def test_the_lists_filter_by_a_units_code(plant, logged_in_page, screenshot):
    page = logged_in_page(plant[0])
    page.goto("/production/groups/")
    page.fill("#group-filters #unit", "CY1-A1")
    page.click("#group-filters button[type=submit]")
    page.wait_for_url("**unit=CY1-A1**")
    assert page.locator("#group-list tr[data-group]").count() == 1
    assert "一区压裂组" in page.inner_text("#group-list")
    screenshot(page, "production-groups-filtered")
    page.goto("/production/measures/?unit=CY1-A1-T1")
    assert page.locator("#measure-list tr[data-measure]").count() == 1
    page.goto("/production/measures/?unit=CY2")
    assert "没有该单位" in page.inner_text("#measure-filters")
    assert page.locator("#measure-list tr[data-measure]").count() == 0
    screenshot(page, "production-measures-unknown-unit")


def test_the_group_form_names_an_unknown_member_and_saves_once_corrected(plant, logged_in_page, screenshot, org):
    user, leader = plant
    page = logged_in_page(user)
    page.goto("/production/groups/new/")
    page.fill("#id_name", "注水上产组")
    page.select_option("#id_unit", "CY1")
    page.select_option("#id_leader", leader.employee_no)
    page.fill("#id_members", f"{org.worker.employee_no} E999999")
    page.fill("#id_wells", "CYT-001")
    page.click("#production-form button[type=submit]")
    page.wait_for_selector("#production-form .invalid-feedback")
    assert "您的权限范围内没有这些人员：E999999" in page.inner_text("#production-form")
    assert page.input_value("#id_unit") == "CY1" and page.input_value("#id_leader") == leader.employee_no
    screenshot(page, "production-group-form-error")
    page.fill("#id_members", org.worker.employee_no)
    page.click("#production-form button[type=submit]")
    page.wait_for_selector("#group-figures")
    group = ProjectGroup.objects.get(name="注水上产组")
    assert list(group.members.all()) == [org.worker] and group.wells.get().code == "CYT-001"


def test_the_measure_form_puts_a_measure_in_a_group(plant, logged_in_page, screenshot):
    page = logged_in_page(plant[0])
    group = ProjectGroup.objects.get(name="一区压裂组")
    page.goto(f"/production/measures/new/?group={group.pk}")
    assert page.input_value("#id_group") == str(group.pk)
    page.fill("#id_well", "CYT-002")
    page.select_option("#id_kind", "acidizing")
    page.fill("#id_planned_month", "2026-05")
    screenshot(page, "production-measure-form")
    page.click("#production-form button[type=submit]")
    page.wait_for_selector("#measure-list")
    assert Measure.objects.get(kind="acidizing").group == group
