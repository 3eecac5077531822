"""The project group and measure lists ask production.selectors_projects, so the pages, their
exports and the API answer the same rows for the same filters and scope."""
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from ronghe.org import services as org_services
from ronghe.production import selectors_projects
from ronghe.production.models import Measure, ProjectGroup, Well
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def projects(org, settings):
    """Groups of the plant, its area and the sibling plant, in two years, with measures on wells of
    the area, the team and the sibling's area, done and planned."""
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    wells = {"area": pf.well(org.area, "CY1-001"), "team": pf.well(org.team, "CY1-002"),
             "sibling": pf.well(org.area2, "CY2-001")}
    groups = {"plant": ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2026),
              "area": ProjectGroup.objects.create(name="一区稠油组", unit=org.area, leader=leader, year=2026),
              "old": ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2025),
              "sibling": ProjectGroup.objects.create(name="二厂压裂组", unit=org.sibling, leader=leader, year=2026)}
    for key, well, group, kind, month, done in (
            ("a", "area", "plant", "fracturing", D(2026, 3, 1), D(2026, 3, 5)),
            ("b", "team", "area", "acidizing", D(2026, 5, 1), None),
            ("c", "area", "old", "fracturing", D(2025, 11, 1), D(2025, 11, 20)),
            ("d", "team", None, "workover", D(2025, 12, 1), D(2026, 1, 3)),
            ("e", "sibling", "sibling", "fracturing", D(2026, 4, 1), D(2026, 4, 2))):
        Measure.objects.create(well=wells[well], group=groups[group] if group else None, kind=kind,
                               planned_month=month, done_on=done, note=key)
    return groups


FILTERS = [{}, {"unit": "CY1-A1"}, {"unit": "CY1-A1-T1"}, {"unit": "CY2"}, {"year": "2025"}, {"year": "2026"},
           {"kind": "fracturing"}, {"well": "CY1-002"}, {"unit": "CY1", "year": "2026", "kind": "fracturing"}]


SEEN = {"plant_admin": ("abcd", 3), "viewer": ("abcde", 4), "secretary": ("", 0)}  # measure notes, groups


def _api_ids(client, path, query):
    answer = client.get(path, page_size=500, **query)
    if answer.status_code == 404:
        return None
    assert answer.status_code == 200, answer.content
    return sorted(row["id"] for row in answer.json()["items"])


@pytest.mark.parametrize("persona", ["plant_admin", "viewer", "secretary"])
def test_the_measure_page_and_the_api_list_the_same_measures(login, personas, projects, persona):
    page = login(getattr(personas, persona))
    api = ApiClient(token_for(getattr(personas, persona)))
    groups = [{"group": str(g.pk)} for g in projects.values()]
    everything = page.get("/production/measures/").context["measures"]
    assert "".join(sorted(m.note for m in everything)) == SEEN[persona][0]
    for query in FILTERS + groups:
        shown = sorted(m.pk for m in page.get("/production/measures/", query).context["measures"])
        answered = _api_ids(api, "production/measures", query)
        # a unit outside the scope is a 404 for the API and an empty list on the page
        assert shown == (answered if answered is not None else []), query


@pytest.mark.parametrize("persona", ["plant_admin", "viewer", "secretary"])
def test_the_group_page_and_the_api_list_the_same_groups(login, personas, projects, persona):
    page = login(getattr(personas, persona))
    api = ApiClient(token_for(getattr(personas, persona)))
    assert len(page.get("/production/groups/").context["groups"]) == SEEN[persona][1]
    for query in [*FILTERS, {"q": "压裂"}, {"q": "压裂", "unit": "CY1", "year": "2025"}]:
        query = {k: v for k, v in query.items() if k in ("unit", "year", "q")}
        shown = sorted(g.pk for g in page.get("/production/groups/", query).context["groups"])
        answered = _api_ids(api, "production/groups", query)
        assert shown == (answered if answered is not None else []), query


def test_the_pages_name_a_unit_outside_the_scope_and_list_nothing(login, personas, projects):
    client = login(personas.plant_admin)
    with translation.override("zh-hans"):
        for url in ("/production/groups/", "/production/measures/"):
            page = client.get(url, {"unit": "CY2"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert page.context["unknown_unit"] and "没有该单位" in page.content.decode(), url
            assert not client.get(url, {"unit": "CY1"}).context["unknown_unit"]


def test_the_measure_page_filters_done_and_planned_as_the_selector_does(login, personas, projects):
    client = login(personas.plant_admin)
    notes = {state: sorted(m.note for m in client.get("/production/measures/", {"state": state}).context["measures"])
             for state in ("done", "planned", "")}
    assert notes == {"done": ["a", "c", "d"], "planned": ["b"], "": ["a", "b", "c", "d"]}
    assert sorted(m.note for m in selectors_projects.filter_measures(personas.plant_admin, state="done")) == notes["done"]


def test_the_exports_hold_what_the_filtered_pages_show(login, personas, projects):
    client = login(personas.plant_admin)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/production/measures/", {
        "unit": "CY1-A1-T1", "export": "xlsx"}).content)).worksheets[0]
    assert sorted(row[0].value for row in sheet.iter_rows(min_row=2)) == ["CY1-002", "CY1-002"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/production/groups/", {
        "unit": "CY1-A1", "export": "xlsx"}).content)).worksheets[0]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["一区稠油组"]


def test_a_groups_page_lists_the_members_and_wells_the_api_does(login, personas, org, projects):
    group = projects["plant"]
    group.members.set([org.worker, org.sib_worker])
    group.wells.set(Well.objects.filter(code__in=["CY1-001", "CY1-002"]))
    client = login(personas.plant_admin)
    page = client.get(f"/production/groups/{group.pk}/")
    answer = ApiClient(token_for(personas.plant_admin)).get(f"production/groups/{group.pk}").json()
    # the sibling plant's worker is outside the plant admin's scope: neither shows him
    assert [p.employee_no for p in page.context["members"]] == [m["employee_no"] for m in answer["members"]] == [
        org.worker.employee_no]
    assert [w.code for w in page.context["wells"]] == answer["wells"] == ["CY1-001", "CY1-002"]
    assert sorted(m.note for m in page.context["measures"]) == ["a"]
