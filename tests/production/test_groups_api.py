"""Writing project groups (上产项目组) through the API: POST, PATCH and DELETE on
/api/v1/production/groups go through the same service as the pages, so the rules hold alike: a
unit within the caller's change scope, a leader from that unit's leadership, members and wells
within the scope, wells of the unit's subtree. Every refusal is a 422 naming the field."""
import datetime as dt

import pytest

from ronghe.api import api as ninja_api
from ronghe.core.models import AuditEntry
from ronghe.org import services as org_services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def api(personas):
    return {name: ApiClient(token_for(getattr(personas, name)))
            for name in ("superuser", "viewer", "plant_admin", "secretary", "outsider")}


@pytest.fixture
def plant(org, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    wells = [pf.well(org.area, "CY1-001", producing_since=D(2020, 1, 1)),
             pf.well(org.team, "CY1-002", producing_since=D(2021, 1, 1))]
    return leader, wells


def body(leader, **overrides):
    return {"name": "稠油上产组", "unit": "CY1", "leader": leader.employee_no, "year": 2026, **overrides}


def field_error(response, field):
    assert response.status_code == 422, response.content
    assert field in response.json()["details"], response.json()
    return response.json()["details"][field][0]


def test_a_plant_admin_creates_a_group_with_members_and_wells(api, org, personas, plant):
    leader, wells = plant
    answer = api["plant_admin"].post("production/groups", body(
        leader, members=[org.worker.employee_no], wells=["CY1-002", "CY1-001"], target_measures=40,
        target_increment_t=5000, targets="上半年增油5000吨"))
    assert answer.status_code == 201, answer.content
    created = answer.json()
    group = ProjectGroup.objects.get(pk=created["id"])
    assert (created["unit"], created["leader"]["employee_no"], created["target_measures"]) == ("CY1",
                                                                                               leader.employee_no, 40)
    assert [m["employee_no"] for m in created["members"]] == [org.worker.employee_no]
    assert sorted(created["wells"]) == ["CY1-001", "CY1-002"] and created["figures"]["planned"] == 0
    assert set(group.wells.values_list("code", flat=True)) == {"CY1-001", "CY1-002"}
    entry = AuditEntry.objects.get(action="project_group.create")
    assert entry.actor_id == personas.plant_admin.pk
    assert entry.after["wells"] == ["CY1-001", "CY1-002"] and entry.unit_id == org.plant.pk


def test_each_refusal_names_its_field(api, org, plant):
    leader, _wells = plant
    admin = api["plant_admin"]
    assert "班子" in field_error(admin.post("production/groups", body(org.worker)), "leader")
    assert field_error(admin.post("production/groups", {**body(leader), "leader": "NOSUCH"}), "leader")
    assert "NOSUCH" in field_error(admin.post("production/groups", body(leader, members=["NOSUCH"])), "members")
    assert field_error(admin.post("production/groups", body(leader, unit="CY2")), "unit")
    sibling_well = pf.well(org.area2, "CY2-001")
    # a well of the sibling plant is outside the admin's scope, and outside the group's unit for anyone
    assert "CY2-001" in field_error(admin.post("production/groups", body(leader, wells=["CY2-001"])), "wells")
    assert "CY2-001" in field_error(api["superuser"].post("production/groups", body(leader, wells=[sibling_well.code])),
                                    "wells")
    assert field_error(admin.post("production/groups", body(leader, year="二〇二六")), "year")
    assert field_error(admin.post("production/groups", {"unit": "CY1"}), "name")
    assert admin.post("production/groups", body(leader)).status_code == 201
    assert field_error(admin.post("production/groups", body(leader)), "name")  # the same name in the unit and year
    assert ProjectGroup.objects.count() == 1
    assert AuditEntry.objects.filter(action="project_group.create").count() == 1


def test_readers_and_outsiders_cannot_create(api, plant):
    leader, _wells = plant
    for name in ("viewer", "outsider"):
        assert api[name].post("production/groups", body(leader)).status_code == 403
    assert not ProjectGroup.objects.exists()


def test_changing_a_group_replaces_what_is_sent_and_checks_it_as_on_creation(api, org, plant):
    leader, wells = plant
    created = api["plant_admin"].post("production/groups", body(leader, wells=["CY1-001"])).json()
    path = f"production/groups/{created['id']}"
    answer = api["plant_admin"].patch(path, {"name": "压裂增油组", "wells": ["CY1-002"],
                                             "members": [org.worker.employee_no], "target_measures": None})
    assert answer.status_code == 200, answer.content
    assert (answer.json()["name"], answer.json()["wells"], answer.json()["target_measures"]) == (
        "压裂增油组", ["CY1-002"], None)
    group = ProjectGroup.objects.get(pk=created["id"])
    assert list(group.members.all()) == [org.worker] and group.leader == leader
    entry = AuditEntry.objects.get(action="project_group.update")
    assert entry.before["wells"] == ["CY1-001"] and entry.after["wells"] == ["CY1-002"]

    assert field_error(api["plant_admin"].patch(path, {"name": None}), "name")
    assert field_error(api["plant_admin"].patch(path, {"leader": org.worker.employee_no}), "leader")
    assert field_error(api["plant_admin"].patch(path, {"unit": "CY2"}), "unit")
    # narrowed to the area, the group's well of the team is still within it; moved to the team, the area's is not
    assert api["plant_admin"].patch(path, {"unit": "CY1-A1", "wells": ["CY1-001", "CY1-002"]}).status_code == 422
    assert ProjectGroup.objects.get(pk=created["id"]).name == "压裂增油组"
    assert api["secretary"].patch(path, {"name": "外人改名"}).status_code in (403, 404)
    assert api["viewer"].patch(path, {"name": "看客改名"}).status_code == 403


def test_a_group_without_measures_is_deleted_one_with_measures_keeps_its_history(api, org, plant):
    leader, wells = plant
    empty = api["plant_admin"].post("production/groups", body(leader, name="空组")).json()
    busy = api["plant_admin"].post("production/groups", body(leader, name="忙组", wells=["CY1-001"])).json()
    Measure.objects.create(group_id=busy["id"], well=wells[0], kind="fracturing", planned_month=D(2026, 3, 1))
    assert api["viewer"].delete(f"production/groups/{empty['id']}").status_code == 403
    assert api["plant_admin"].delete(f"production/groups/{empty['id']}").status_code == 204
    assert field_error(api["plant_admin"].delete(f"production/groups/{busy['id']}"), "measures")
    assert list(ProjectGroup.objects.values_list("name", flat=True)) == ["忙组"]
    assert AuditEntry.objects.filter(action="project_group.delete").count() == 1
    assert api["plant_admin"].delete(f"production/groups/{empty['id']}").status_code == 404


def test_the_writes_are_documented(db):
    paths = ninja_api.get_openapi_schema()["paths"]
    assert {"post"} <= set(paths["/api/v1/production/groups"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/production/groups/{group_id}"])
    post = paths["/api/v1/production/groups"]["post"]
    assert post["summary"] == "Create a project group" and 422 in post["responses"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/GroupIn")
