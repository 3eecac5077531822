import datetime as dt

from ronghe.core.models import AuditEntry
from ronghe.org import services
from ronghe.org.models import OrgChange, Person, Position, Unit
from tests import factories as f

D = dt.date


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["items"]]


# --- reading -------------------------------------------------------------------------------------

def test_it_lists_only_the_units_within_the_callers_scope(org, as_user):
    assert set(codes(as_user("plant_admin").get("units"))) == {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert set(codes(as_user("viewer").get("units"))) == {"HQ", "HQ-ZZB", "CY1", "CY1-A1", "CY1-A1-T1", "CY2",
                                                          "CY2-A1"}
    assert codes(as_user("secretary").get("units")) == []
    assert codes(as_user("outsider").get("units")) == []


def test_it_paginates_the_unit_list(org, as_user):
    client = as_user("superuser")
    everything = codes(client.get("units", page_size=500))
    first = client.get("units", page_size=3).json()
    second = client.get("units", page_size=3, page=2).json()
    assert first["count"] == second["count"] == len(everything) == 7
    assert [r["code"] for r in first["items"] + second["items"]] == everything[:6]
    assert client.get("units", page_size=3, page=9).json()["items"] == []
    assert client.get("units", page=0).status_code == 422


def test_it_filters_units_by_text_code_name_parent_and_subtree(org, as_user):
    client = as_user("superuser")
    assert set(codes(client.get("units", q="采油"))) == {"CY1", "CY1-A1-T1", "CY2"}
    assert set(codes(client.get("units", q="cy2"))) == {"CY2", "CY2-A1"}
    assert codes(client.get("units", code="CY1-A1")) == ["CY1-A1"]
    assert codes(client.get("units", name="一班")) == ["CY1-A1-T1"]
    assert set(codes(client.get("units", parent="HQ"))) == {"HQ-ZZB", "CY1", "CY2"}
    assert set(codes(client.get("units", subtree="CY1"))) == {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert codes(client.get("units", subtree="NOPE")) == []
    assert codes(client.get("units", parent="NOPE")) == []


def test_a_parent_filter_outside_the_scope_still_lists_only_visible_units(org, as_user):
    assert codes(as_user("plant_admin").get("units", parent="HQ")) == ["CY1"]


def test_abolished_units_are_listed_only_when_asked_for(org, as_user, personas):
    services.node_abolish(actor=personas.superuser, node=org.dept, effective_date=D(2025, 1, 1))
    client = as_user("superuser")
    assert "HQ-ZZB" not in codes(client.get("units"))
    row = client.get("units", code="HQ-ZZB", include_abolished=True).json()["items"][0]
    assert row["abolished_on"] == "2025-01-01"


def test_getting_a_unit_shows_its_counts_leaders_and_visible_ancestors(org, as_user, personas):
    services.position_assign(actor=personas.superuser, person=org.worker, kind=Position.Kind.HEAD, unit=org.area,
                             title="经理")
    f.person(org.team, name="张三")
    body = as_user("plant_admin").get("units/CY1-A1").json()
    assert body["code"] == "CY1-A1" and body["parent"] == "CY1" and body["kind"] == "grassroots"
    assert body["ancestors"] == [{"code": "CY1", "name": "采油一厂"}]
    assert body["counts"] == {"nodes": 1, "people": 2, "party_members": 1, "probationary": 0}
    assert body["leaders"] == [{"kind": "head", "title": "经理", "employee_no": org.worker.employee_no,
                                "name": "王铁人"}]
    assert [a["code"] for a in as_user("superuser").get("units/CY1-A1").json()["ancestors"]] == ["HQ", "CY1"]


def test_a_unit_outside_the_scope_answers_404(org, as_user):
    assert as_user("plant_admin").get("units/CY2").status_code == 404
    assert as_user("plant_admin").get("units/CY2/children").status_code == 404
    assert as_user("plant_admin").get("units/CY2/history").status_code == 404
    assert as_user("secretary").get("units/CY2-A1").status_code == 404


def test_children_come_with_the_counts_of_their_subtrees(org, as_user):
    body = as_user("superuser").get("units/HQ/children").json()
    by_code = {row["code"]: row for row in body["items"]}
    assert set(by_code) == {"HQ-ZZB", "CY1", "CY2"}
    assert by_code["CY1"]["has_children"] and not by_code["HQ-ZZB"]["has_children"]
    assert by_code["CY2"]["counts"] == {"nodes": 1, "people": 1, "party_members": 1, "probationary": 0}


def test_history_lists_a_units_dated_changes_newest_first(org, as_user, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="第一作业区", effective_date=D(2025, 6, 1),
                         reason="机构调整")
    items = as_user("plant_admin").get("units/CY1-A1/history").json()["items"]
    assert [(i["kind"], i["effective_date"]) for i in items] == [("rename", "2025-06-01"), ("establish", "2020-01-01")]
    assert items[0]["name"] == "第一作业区" and items[0]["reason"] == "机构调整" and items[0]["actor"] == "root"


# --- as of a date ------------------------------------------------------------------------------

def test_as_of_shows_names_and_parents_as_they_were(org, as_user, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="第一作业区", effective_date=D(2025, 6, 1))
    services.node_move(actor=personas.superuser, node=org.area, new_parent=org.sibling, effective_date=D(2025, 7, 1))
    client = as_user("superuser")

    before = {r["code"]: r for r in client.get("units", as_of="2025-05-31").json()["items"]}
    assert before["CY1-A1"]["name"] == "作业一区" and before["CY1-A1"]["parent"] == "CY1"
    between = client.get("units/CY1-A1", as_of="2025-06-15").json()
    assert between["name"] == "第一作业区" and between["parent"] == "CY1"
    assert [a["code"] for a in between["ancestors"]] == ["HQ", "CY1"]
    assert between["counts"] is None and between["leaders"] == []
    after = client.get("units/CY1-A1", as_of="2025-07-01").json()
    assert after["parent"] == "CY2" and [a["code"] for a in after["ancestors"]] == ["HQ", "CY2"]

    assert "CY1-A1" in codes(client.get("units/CY1/children", as_of="2025-06-30"))
    assert "CY1-A1" not in codes(client.get("units/CY1/children", as_of="2025-07-01"))
    assert "CY1-A1" in codes(client.get("units/CY2/children", as_of="2025-07-01"))
    assert set(codes(client.get("units", subtree="CY1", as_of="2025-06-30"))) == {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert set(codes(client.get("units", subtree="CY2", as_of="2025-07-01"))) == {"CY2", "CY2-A1", "CY1-A1",
                                                                                 "CY1-A1-T1"}
    assert codes(client.get("units", parent="CY1", as_of="2025-06-30")) == ["CY1-A1"]
    assert codes(client.get("units", q="第一", as_of="2025-05-31")) == []
    assert codes(client.get("units", name="第一", as_of="2025-06-15")) == ["CY1-A1"]


def test_as_of_leaves_out_units_established_later(org, as_user, personas):
    services.unit_create(actor=personas.superuser, code="CY1-A2", name="作业二区", parent=org.plant,
                         effective_date=D(2024, 3, 1))
    client = as_user("plant_admin")
    assert "CY1-A2" not in codes(client.get("units", as_of="2024-02-29"))
    assert "CY1-A2" in codes(client.get("units", as_of="2024-03-01"))
    assert client.get("units/CY1-A2", as_of="2024-02-29").status_code == 404
    assert client.get("units/CY1-A2/children", as_of="2024-02-29").status_code == 404
    assert client.get("units/CY1-A2", as_of="2024-03-01").status_code == 200


def test_as_of_keeps_abolished_units_out_unless_asked_for(org, as_user, personas):
    services.node_abolish(actor=personas.superuser, node=org.dept, effective_date=D(2025, 1, 1))
    client = as_user("superuser")
    assert "HQ-ZZB" in codes(client.get("units", as_of="2024-12-31"))
    assert "HQ-ZZB" not in codes(client.get("units", as_of="2025-01-01"))
    assert "HQ-ZZB" in codes(client.get("units", as_of="2025-01-01", include_abolished=True))
    assert client.get("units/HQ-ZZB", as_of="2025-01-01").json()["abolished_on"] == "2025-01-01"


def test_as_of_stays_within_the_scope(org, as_user):
    assert set(codes(as_user("plant_admin").get("units", as_of="2021-01-01"))) == {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert as_user("plant_admin").get("units/CY2", as_of="2021-01-01").status_code == 404


def test_a_malformed_as_of_is_refused_everywhere(org, as_user):
    client = as_user("superuser")
    for path in ("units", "units/CY1", "units/CY1/children"):
        response = client.get(path, as_of="30/06/2025")
        assert response.status_code == 422 and "as_of" in response.json()["details"], path


# --- changes between two dates ---------------------------------------------------------------------

def test_it_lists_the_changes_between_two_dates(org, as_user, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="第一作业区", effective_date=D(2025, 6, 1))
    services.node_rename(actor=personas.superuser, node=org.area2, name="二厂一区", effective_date=D(2025, 6, 2))
    services.node_move(actor=personas.superuser, node=org.team, new_parent=org.plant, effective_date=D(2025, 8, 1))
    items = as_user("plant_admin").get("units/changes", **{"from": "2025-05-31", "to": "2025-07-31"}).json()["items"]
    assert [(i["code"], i["kind"]) for i in items] == [("CY1-A1", "rename")]
    items = as_user("superuser").get("units/changes", **{"from": "2025-06-01"}).json()["items"]
    assert [(i["code"], i["kind"]) for i in items] == [("CY2-A1", "rename"), ("CY1-A1-T1", "move")]


def test_changes_need_a_valid_period(org, as_user):
    client = as_user("superuser")
    assert "from" in client.get("units/changes").json()["details"]
    assert "from" in client.get("units/changes", **{"from": "2025-02-30"}).json()["details"]
    response = client.get("units/changes", **{"from": "2025-06-01", "to": "2025-01-01"})
    assert response.status_code == 422 and "from" in response.json()["details"]


# --- writing -------------------------------------------------------------------------------------

def test_a_plant_admin_creates_a_unit_under_their_plant(org, as_user, personas):
    response = as_user("plant_admin").post("units", {
        "code": "CY1-A2", "name": "作业二区", "parent": "CY1", "level": "section", "kind": "grassroots",
        "staffing": 12, "effective_date": "2024-05-01", "reason": "油发〔2024〕5号"})
    assert response.status_code == 201, response.content
    assert response.json() == {"code": "CY1-A2", "name": "作业二区", "parent": "CY1", "level": "section",
                               "kind": "grassroots", "staffing": 12, "established_on": None, "abolished_on": None,
                               "sort_order": 0}
    unit = Unit.objects.get(code="CY1-A2")
    change = OrgChange.objects.get(unit=unit)
    assert change.kind == "establish" and change.effective_date == D(2024, 5, 1) and change.reason == "油发〔2024〕5号"
    assert AuditEntry.objects.filter(object_type="org.unit", object_id=str(unit.pk), actor=personas.plant_admin).exists()


def test_creating_a_unit_under_a_parent_outside_the_scope_is_refused(org, as_user):
    response = as_user("plant_admin").post("units", {"code": "CY2-X", "name": "越权", "parent": "CY2"})
    assert response.status_code == 422 and "parent" in response.json()["details"]
    assert not Unit.objects.filter(code="CY2-X").exists()


def test_only_a_superuser_creates_a_top_level_unit(org, as_user):
    response = as_user("plant_admin").post("units", {"code": "TOP", "name": "顶层"})
    assert response.status_code == 422 and "parent" in response.json()["details"]
    assert as_user("superuser").post("units", {"code": "TOP", "name": "顶层"}).status_code == 201


def test_creating_a_unit_reports_every_invalid_field(org, as_user):
    client = as_user("superuser")
    body = client.post("units", {"code": "bad code!", "name": "X", "parent": "HQ"}).json()
    assert "code" in body["details"]
    body = client.post("units", {"code": "CY9", "name": "X", "parent": "HQ",
                                 "effective_date": "2999-01-01"}).json()
    assert "effective_date" in body["details"]
    body = client.post("units", {"code": "CY9", "name": "X", "parent": "HQ", "staffing": -1}).json()
    assert "staffing" in body["details"]


def test_patching_only_the_name_records_a_rename(org, as_user):
    response = as_user("plant_admin").patch("units/CY1-A1", {"name": "第一作业区", "effective_date": "2025-06-01",
                                                             "reason": "更名"})
    assert response.status_code == 200 and response.json()["name"] == "第一作业区"
    change = OrgChange.objects.filter(unit=org.area).latest("id")
    assert (change.kind, change.effective_date, change.reason) == ("rename", D(2025, 6, 1), "更名")


def test_patching_other_fields_records_an_edit_and_leaves_the_rest(org, as_user):
    response = as_user("plant_admin").patch("units/CY1-A1", {"staffing": 30, "level": "division"})
    assert response.status_code == 200
    assert response.json()["staffing"] == 30 and response.json()["name"] == "作业一区"
    assert OrgChange.objects.filter(unit=org.area).latest("id").kind == "edit"


def test_patching_a_unit_outside_the_scope_answers_404_and_changes_nothing(org, as_user):
    assert as_user("plant_admin").patch("units/CY2", {"name": "改名"}).status_code == 404
    org.sibling.refresh_from_db()
    assert org.sibling.name == "采油二厂"


def test_a_rejected_patch_explains_itself(org, as_user):
    response = as_user("plant_admin").patch("units/CY1-A1", {"name": ""})
    assert response.status_code == 422 and "name" in response.json()["details"]


def test_moving_a_unit_takes_its_subtree_along(org, as_user):
    response = as_user("superuser").post("units/CY1-A1/move", {"parent": "CY2", "effective_date": "2025-07-01",
                                                               "reason": "划转"})
    assert response.status_code == 200 and response.json()["parent"] == "CY2"
    org.team.refresh_from_db()
    assert org.team.path.startswith(Unit.objects.get(code="CY2").path)


def test_a_unit_cannot_move_under_its_own_subtree(org, as_user):
    response = as_user("superuser").post("units/CY1/move", {"parent": "CY1-A1-T1"})
    assert response.status_code == 422 and "parent" in response.json()["details"]


def test_a_plant_admin_cannot_move_a_unit_out_of_their_reach(org, as_user):
    response = as_user("plant_admin").post("units/CY1-A1/move", {"parent": "CY2"})
    assert response.status_code == 422 and "parent" in response.json()["details"]
    response = as_user("plant_admin").post("units/CY1-A1/move", {"parent": None})
    assert response.status_code == 422
    org.area.refresh_from_db()
    assert org.area.parent == org.plant


def test_merging_a_unit_moves_its_people_and_ends_it(org, as_user):
    response = as_user("superuser").post("units/CY2-A1/merge", {"into": "CY1-A1", "effective_date": "2025-09-01"})
    assert response.status_code == 200 and response.json()["abolished_on"] == "2025-09-01"
    assert Person.objects.get(pk=org.sib_worker.pk).unit == org.area
    change = OrgChange.objects.filter(unit=org.area2).latest("id")
    assert change.kind == "merge" and change.merged_into_unit == org.area


def test_a_unit_cannot_be_merged_into_one_outside_the_scope(org, as_user):
    response = as_user("plant_admin").post("units/CY1-A1-T1/merge", {"into": "CY2-A1"})
    assert response.status_code == 422 and "into" in response.json()["details"]
    assert as_user("plant_admin").post("units/CY2-A1/merge", {"into": "CY1-A1"}).status_code == 404


def test_abolishing_an_empty_unit(org, as_user):
    response = as_user("superuser").post("units/HQ-ZZB/abolish", {"effective_date": "2025-03-01", "reason": "撤并"})
    assert response.status_code == 200 and response.json()["abolished_on"] == "2025-03-01"
    assert OrgChange.objects.filter(unit=org.dept).latest("id").kind == "abolish"


def test_a_unit_with_people_cannot_be_abolished(org, as_user):
    response = as_user("plant_admin").post("units/CY1-A1-T1/abolish", {})
    body = response.json()
    assert response.status_code == 422 and body["details"]["__all__"] == [body["message"]]
    org.team.refresh_from_db()
    assert org.team.abolished_on is None
