"""What the project group and measure pages, forms, exports and API answers list costs the same
number of queries for 10 rows as for 200: a group's members, wells and measures, the leaders,
units and groups the forms offer, the filtered lists and their spreadsheets, the summary's
groups. (The plain list pages and endpoints are measured in test_views and test_api.)"""
import datetime as dt
import io
import itertools

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date
_seq = itertools.count(1)


@pytest.fixture
def plant(org, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    group = ProjectGroup.objects.create(name="压裂上产组", unit=org.plant, leader=leader, year=2026)
    return group


# --- ways to grow what a page lists: each adds n rows of it --------------------------------------------

def _members(org, group, n):
    group.members.add(*(f.person(org.area) for _ in range(n)))


def _wells(org, group, n):
    group.wells.add(*(pf.well(org.area) for _ in range(n)))


def _measures(org, group, n):
    for i in range(n):
        well = pf.well(org.team if i % 2 else org.area)
        pf.daily(well, D(2026, 3, 1), [10.0] * 5)
        group.wells.add(well)
        Measure.objects.create(group=group, well=well, kind="fracturing" if i % 3 else "acidizing",
                               planned_month=D(2026, 3, 1), done_on=D(2026, 3, 3) if i % 2 else None)


def _groups(org, group, n):
    for _ in range(n):
        ProjectGroup.objects.create(name=f"质控组{next(_seq)}", unit=org.area, leader=group.leader, year=2026)


def _leaders(org, group, n):
    system = f.system_user()
    for _ in range(n):
        org_services.position_assign(actor=system, person=f.person(org.area), kind="head", unit=org.area)


def _units(org, group, n):
    for _ in range(n):
        i = next(_seq)
        f.unit(f"质控班组{i}", parent=org.area, code=f"QC-T{i:04d}", kind="team")


def _child_units_with_measures(org, group, n):
    for _ in range(n):
        i = next(_seq)
        unit = f.unit(f"质控作业区{i}", parent=org.plant, code=f"QC-A{i:04d}", kind="grassroots")
        well = pf.well(unit)
        pf.daily(well, D(2026, 3, 1), [10.0] * 5)
        Measure.objects.create(group=ProjectGroup.objects.create(name=f"质控组{i}", unit=unit, leader=group.leader,
                                                                 year=2026),
                               well=well, kind="fracturing", planned_month=D(2026, 3, 1), done_on=D(2026, 3, 3))


def _rows_of_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].max_row - 1


def _count(html, marker):
    return html.count(marker)


# (url, grow, how many of the grown rows the answer shows)
PAGES = [
    (lambda g: f"/production/groups/{g.pk}/", _members, lambda r: len(r.context["members"])),
    (lambda g: f"/production/groups/{g.pk}/", _wells, lambda r: len(r.context["wells"])),
    (lambda g: f"/production/groups/{g.pk}/", _measures, lambda r: _count(r.content.decode(), "data-measure=")),
    (lambda g: f"/production/groups/{g.pk}/edit/", _members, lambda r: len(r.context["form"].initial["members"].split())),
    (lambda g: f"/production/groups/{g.pk}/edit/", _wells, lambda r: len(r.context["form"].initial["wells"].split())),
    (lambda g: "/production/groups/new/", _leaders, lambda r: _count(r.content.decode(), "<option")),
    (lambda g: "/production/groups/new/", _units, lambda r: _count(r.content.decode(), "<option")),
    (lambda g: "/production/measures/new/", _groups, lambda r: _count(r.content.decode(), "<option")),
    (lambda g: "/production/measures/", _groups, lambda r: _count(r.content.decode(), "<option")),
    (lambda g: "/production/groups/?unit=CY1-A1&year=2026&q=质控", _groups,
     lambda r: len(r.context["page_obj"].paginator.object_list)),
    (lambda g: "/production/measures/?unit=CY1-A1&year=2026&state=planned&kind=fracturing", _measures,
     lambda r: r.context["page_obj"].paginator.count),
    (lambda g: "/production/measures/?export=xlsx&unit=CY1", _measures, _rows_of_sheet),
    (lambda g: f"/production/measures/?export=xlsx&group={g.pk}", _measures, _rows_of_sheet),
    (lambda g: "/production/groups/?export=xlsx&unit=CY1", _groups, _rows_of_sheet),
    (lambda g: "/production/units/CY1/measures/", _child_units_with_measures, lambda r: len(r.context["units"])),
]


def _queries(fetch):
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200, response
    return len(ctx.captured_queries), response


def _assert_flat(org, group, grow, fetch, seen):
    grow(org, group, 10)
    small, response = _queries(fetch)
    small_rows = seen(response)
    grow(org, group, 190)
    large, response = _queries(fetch)
    assert seen(response) >= small_rows + 50, f"the rows grown do not show ({small_rows} → {seen(response)})"
    assert large == small, f"{small} queries for {small_rows} rows, {large} for {seen(response)}"


@pytest.mark.parametrize("url, grow, seen", PAGES, ids=[f"{i}{grow.__name__}" for i, (_u, grow, _s) in enumerate(PAGES)])
def test_a_project_page_costs_the_same_queries_for_10_rows_and_200(login, personas, org, plant, url, grow, seen):
    client = login(personas.plant_admin)
    _assert_flat(org, plant, grow, lambda: client.get(url(plant)), seen)


def _json_rows(key):
    return lambda r: len(r.json()[key])


ANSWERS = [
    (lambda g: f"production/groups/{g.pk}", _members, _json_rows("members")),
    (lambda g: f"production/groups/{g.pk}", _wells, _json_rows("wells")),
    (lambda g: "production/measures/summary?unit=CY1", _child_units_with_measures, _json_rows("groups")),
    (lambda g: "production/measures/summary?unit=CY1", _child_units_with_measures, _json_rows("units")),
]


@pytest.mark.parametrize("path, grow, seen", ANSWERS,
                         ids=[f"{i}{grow.__name__}" for i, (_p, grow, _s) in enumerate(ANSWERS)])
def test_a_project_answer_costs_the_same_queries_for_10_rows_and_200(personas, org, plant, path, grow, seen):
    client = ApiClient(token_for(personas.plant_admin))
    client.get("me")  # the first use of a token records it
    _assert_flat(org, plant, grow, lambda: client.get(path(plant)), seen)
