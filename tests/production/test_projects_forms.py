"""The project group, measure and well forms look units, people, wells and groups up through
production.services_projects, as the API does: the same scope, and the same refusal on the field
that named the unknown value, in the user's language."""
import datetime as dt

import pytest
from django.utils import translation

from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup, Well
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def plant(org, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    pf.well(org.area, "CY1-001", producing_since=D(2020, 1, 1))
    pf.well(org.area2, "CY2-001")
    sibling_group = ProjectGroup.objects.create(name="二厂压裂组", unit=org.sibling, leader=leader, year=2026)
    return leader, sibling_group


def _form_error(response, field):
    assert response.status_code == 200, response.get("Location")
    errors = response.context["form"].errors
    assert field in errors, errors
    return errors[field][0]


def _api_error(response, field):
    assert response.status_code == 422, response.content
    return response.json()["details"][field][0]


@pytest.fixture
def both(login, personas):
    """The plant admin's page client and API client, both asking in Chinese."""
    api = ApiClient(token_for(personas.plant_admin))
    api.headers["Accept-Language"] = "zh-hans"
    return login(personas.plant_admin), api


GROUP = {"name": "稠油组", "unit": "CY1", "year": 2026}


@pytest.mark.parametrize("field, value, expected", [
    ("unit", "CY2", "CY2"),              # a unit outside the change scope
    ("unit", "NOSUCH", "NOSUCH"),
    ("leader", "NOSUCH", "NOSUCH"),
    ("members", "NOSUCH", "NOSUCH"),
    ("wells", "CY2-001", "CY2-001"),     # a well of the sibling plant
])
def test_a_group_form_refuses_what_the_api_refuses_in_the_same_words(both, org, plant, field, value, expected):
    page, api = both
    leader, _sibling_group = plant
    form = {**GROUP, "leader": leader.employee_no, field: value}
    body = {**GROUP, "leader": leader.employee_no, field: [value] if field in ("members", "wells") else value}
    with translation.override("zh-hans"):
        on_page = _form_error(page.post("/production/groups/new/", form, **ZH), field)
    in_api = _api_error(api.post("production/groups", body), field)
    assert on_page == in_api and expected in on_page and "您的权限范围内没有" in on_page
    assert not ProjectGroup.objects.filter(name="稠油组").exists()


@pytest.mark.parametrize("field, value", [("well", "CY2-001"), ("well", "NOSUCH"), ("group", "plant-sibling")])
def test_a_measure_form_refuses_what_the_api_refuses_in_the_same_words(both, plant, field, value):
    page, api = both
    _leader, sibling_group = plant
    value = sibling_group.pk if value == "plant-sibling" else value
    form = {"well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02", "validity_days": 365, field: value}
    body = {"well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02-01", field: value}
    with translation.override("zh-hans"):
        on_page = _form_error(page.post("/production/measures/new/", form, **ZH), field)
    assert on_page == _api_error(api.post("production/measures", body), field)
    assert "您的权限范围内没有" in on_page and str(value) in on_page
    assert not Measure.objects.exists()


def test_the_refusals_speak_english_to_an_english_user(both, plant):
    page, _api = both
    leader, _sibling_group = plant
    with translation.override("en"):
        on_page = _form_error(page.post("/production/groups/new/", {**GROUP, "leader": leader.employee_no,
                                                                    "members": "NOSUCH 、X2"},
                                        HTTP_ACCEPT_LANGUAGE="en"), "members")
    assert on_page == "No such person within your scope: NOSUCH、X2"


def test_a_group_form_offers_the_units_and_leaders_of_the_scope_and_saves_what_it_looks_up(both, org, plant):
    page, _api = both
    leader, _sibling_group = plant
    html = page.get("/production/groups/new/").content.decode()
    assert 'value="CY1-A1"' in html and 'value="CY2"' not in html and f'value="{leader.employee_no}"' in html
    saved = page.post("/production/groups/new/", {**GROUP, "unit": " CY1 ", "leader": leader.employee_no,
                                                  "members": f"{org.worker.employee_no}，{org.worker.employee_no}",
                                                  "wells": "CY1-001"})
    assert saved.status_code == 302, saved.context["form"].errors
    group = ProjectGroup.objects.get(name="稠油组")
    assert (group.unit, group.leader) == (org.plant, leader)
    assert list(group.members.all()) == [org.worker] and list(group.wells.values_list("code", flat=True)) == [
        "CY1-001"]
    edit = page.get(f"/production/groups/{group.pk}/edit/").content.decode()
    assert '<option value="CY1" selected>' in edit and f'<option value="{leader.employee_no}" selected>' in edit


def test_a_measure_form_puts_a_measure_in_a_group_of_the_scope(both, org, plant):
    page, _api = both
    leader, sibling_group = plant
    group = ProjectGroup.objects.create(name="一区组", unit=org.area, leader=leader, year=2026)
    html = page.get("/production/measures/new/", {"group": group.pk}).content.decode()
    assert f'<option value="{group.pk}" selected>' in html and f'value="{sibling_group.pk}"' not in html
    saved = page.post("/production/measures/new/", {"well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02",
                                                    "validity_days": 365, "group": group.pk})
    assert saved.status_code == 302, saved.context["form"].errors
    measure = Measure.objects.get()
    assert measure.group == group
    cleared = page.post(f"/production/measures/{measure.pk}/edit/", {
        "well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02", "validity_days": 365, "group": ""})
    assert cleared.status_code == 302 and Measure.objects.get().group is None
    assert "group" in page.post("/production/measures/new/", {
        "well": "CY1-001", "kind": "acidizing", "planned_month": "2026-02", "validity_days": 365,
        "group": "abc"}).context["form"].errors


def test_a_well_form_takes_a_unit_of_the_scope_and_keeps_an_abolished_one_it_has(login, personas, org):
    client = login(personas.plant_admin)
    with translation.override("zh-hans"):
        refused = client.post("/production/data/wells/new/", {"code": "CY1-900", "unit": "CY2-A1", "kind": "oil",
                                                             "status": "open"}, **ZH)
    assert _form_error(refused, "unit") == "您的权限范围内没有编码为“CY2-A1”的单位。"
    old = f.unit("旧班组", parent=org.area, code="CY1-OLD", kind="team")
    well = pf.well(old, "CY1-901")
    org_services.node_abolish(actor=f.system_user(), node=old, effective_date=D(2026, 1, 1))
    assert _form_error(client.post("/production/data/wells/new/", {"code": "CY1-902", "unit": "CY1-OLD",
                                                                   "kind": "oil", "status": "open"}), "unit")
    kept = client.post(f"/production/data/wells/{well.code}/edit/", {"unit": "CY1-OLD", "kind": "oil",
                                                                     "status": "shut"})
    assert kept.status_code == 302, kept.context["form"].errors
    assert Well.objects.get(code="CY1-901").status == "shut"


def test_the_group_form_shows_the_members_the_editor_sees_and_saving_keeps_the_others(both, org, plant):
    page, _api = both
    leader, _sibling_group = plant
    outsider = f.person(org.sibling, name="外单位专家")
    group = ProjectGroup.objects.create(name="稠油组", unit=org.plant, leader=leader, year=2026)
    group.members.set([org.worker, outsider])
    edit = page.get(f"/production/groups/{group.pk}/edit/")
    assert edit.context["form"].initial["members"] == org.worker.employee_no
    saved = page.post(f"/production/groups/{group.pk}/edit/", {
        **GROUP, "leader": leader.employee_no, "members": edit.context["form"].initial["members"], "wells": ""})
    assert saved.status_code == 302, saved.context["form"].errors
    assert set(group.members.all()) == {org.worker, outsider}
