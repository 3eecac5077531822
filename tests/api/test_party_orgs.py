import datetime as dt

from ronghe.org import services
from ronghe.org.models import OrgChange, PartyMembership, PartyOrg, Position

D = dt.date


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["items"]]


def test_it_lists_only_the_party_orgs_within_the_callers_scope(org, as_user):
    assert set(codes(as_user("plant_admin").get("party-orgs"))) == {"P-CY1", "P-CY1-B1", "P-CY1-B1-G1"}
    assert codes(as_user("secretary").get("party-orgs")) == ["P-CY2-B1"]
    assert len(codes(as_user("viewer").get("party-orgs"))) == 6
    assert codes(as_user("outsider").get("party-orgs")) == []


def test_it_filters_and_paginates_party_orgs(org, as_user):
    client = as_user("superuser")
    assert set(codes(client.get("party-orgs", subtree="P-CY1"))) == {"P-CY1", "P-CY1-B1", "P-CY1-B1-G1"}
    assert set(codes(client.get("party-orgs", parent="P-ROOT"))) == {"P-CY1", "P-CY2"}
    assert set(codes(client.get("party-orgs", q="支部"))) == {"P-CY1-B1", "P-CY2-B1"}
    body = client.get("party-orgs", page_size=4, page=2).json()
    assert body["count"] == 6 and len(body["items"]) == 2


def test_getting_a_party_org_shows_its_unit_members_and_secretary(org, as_user, personas):
    services.position_assign(actor=personas.superuser, person=org.sib_worker, kind=Position.Kind.SECRETARY,
                             party_org=org.sib_branch, title="党支部书记")
    body = as_user("secretary").get("party-orgs/P-CY2-B1").json()
    assert body["unit"] == "CY2-A1" and body["kind"] == "branch" and body["parent"] == "P-CY2"
    assert body["counts"] == {"nodes": 0, "people": 1, "party_members": 1, "probationary": 0}
    assert body["leaders"][0]["title"] == "党支部书记"
    assert body["ancestors"] == []


def test_a_party_org_outside_the_scope_answers_404(org, as_user):
    assert as_user("secretary").get("party-orgs/P-CY1-B1").status_code == 404
    assert as_user("plant_admin").get("party-orgs/P-CY2/children").status_code == 404


def test_a_plant_admin_creates_a_branch_under_their_committee(org, as_user):
    response = as_user("plant_admin").post("party-orgs", {
        "code": "P-CY1-B2", "name": "二区党支部", "kind": "branch", "unit": "CY1-A1", "parent": "P-CY1",
        "effective_date": "2024-01-10"})
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "CY1-A1" and response.json()["parent"] == "P-CY1"
    assert OrgChange.objects.get(party_org__code="P-CY1-B2").effective_date == D(2024, 1, 10)


def test_a_party_org_must_hang_off_a_unit_in_scope(org, as_user):
    response = as_user("plant_admin").post("party-orgs", {
        "code": "P-X", "name": "越权支部", "kind": "branch", "unit": "CY2-A1", "parent": "P-CY1"})
    assert response.status_code == 422 and "unit" in response.json()["details"]
    response = as_user("plant_admin").post("party-orgs", {
        "code": "P-X", "name": "越权支部", "kind": "branch", "unit": "CY1-A1", "parent": "P-CY2"})
    assert response.status_code == 422 and "parent" in response.json()["details"]
    assert not PartyOrg.objects.filter(code="P-X").exists()


def test_a_party_group_cannot_have_sub_organisations(org, as_user):
    response = as_user("superuser").post("party-orgs", {
        "code": "P-G-X", "name": "小组下级", "kind": "group", "unit": "CY1-A1-T1", "parent": "P-CY1-B1-G1"})
    assert response.status_code == 422 and "parent" in response.json()["details"]


def test_a_secretary_renames_their_branch(org, as_user):
    response = as_user("secretary").patch("party-orgs/P-CY2-B1", {"name": "二厂第一党支部",
                                                                  "effective_date": "2025-02-01"})
    assert response.status_code == 200 and response.json()["name"] == "二厂第一党支部"
    assert OrgChange.objects.filter(party_org=org.sib_branch).latest("id").kind == "rename"


def test_a_party_org_cannot_be_reattached_to_a_unit_outside_the_scope(org, as_user):
    response = as_user("plant_admin").patch("party-orgs/P-CY1-B1", {"unit": "CY2-A1"})
    assert response.status_code == 422 and "unit" in response.json()["details"]
    assert as_user("plant_admin").patch("party-orgs/P-CY1-B1", {"unit": None}).status_code == 422
    org.branch.refresh_from_db()
    assert org.branch.unit == org.area


def test_moving_merging_and_abolishing_party_orgs(org, as_user, personas):
    client = as_user("superuser")
    response = client.post("party-orgs/P-CY1-B1/move", {"parent": "P-CY2", "effective_date": "2025-04-01"})
    assert response.status_code == 200 and response.json()["parent"] == "P-CY2"
    response = client.post("party-orgs/P-CY2-B1/merge", {"into": "P-CY1-B1", "effective_date": "2025-05-01"})
    assert response.status_code == 200 and response.json()["abolished_on"] == "2025-05-01"
    assert PartyMembership.objects.get(person=org.sib_worker).party_org == org.branch
    response = client.post("party-orgs/P-CY1-B1-G1/abolish", {"effective_date": "2025-06-01"})
    assert response.status_code == 200 and response.json()["abolished_on"] == "2025-06-01"


def test_a_party_org_with_members_cannot_be_abolished(org, as_user):
    response = as_user("secretary").post("party-orgs/P-CY2-B1/abolish", {})
    assert response.status_code == 422
    org.sib_branch.refresh_from_db()
    assert org.sib_branch.abolished_on is None


def test_party_orgs_as_of_a_date(org, as_user, personas):
    services.node_rename(actor=personas.superuser, node=org.branch, name="一区第一党支部", effective_date=D(2025, 3, 1))
    services.node_move(actor=personas.superuser, node=org.branch, new_parent=org.sib_po, effective_date=D(2025, 4, 1))
    client = as_user("superuser")
    before = client.get("party-orgs/P-CY1-B1", as_of="2025-02-28").json()
    assert before["name"] == "一区党支部" and before["parent"] == "P-CY1" and before["unit"] == "CY1-A1"
    assert [a["code"] for a in before["ancestors"]] == ["P-ROOT", "P-CY1"]
    assert "P-CY1-B1" in codes(client.get("party-orgs/P-CY1/children", as_of="2025-03-31"))
    assert "P-CY1-B1" in codes(client.get("party-orgs/P-CY2/children", as_of="2025-04-01"))
    assert client.get("party-orgs/P-CY1-B1", as_of="2019-12-31").status_code == 404
    items = client.get("party-orgs/changes", **{"from": "2025-01-01", "to": "2025-12-31"}).json()["items"]
    assert [(i["code"], i["kind"]) for i in items] == [("P-CY1-B1", "rename"), ("P-CY1-B1", "move")]
    history = client.get("party-orgs/P-CY1-B1/history").json()["items"]
    assert [i["kind"] for i in history] == ["move", "rename", "establish"]


def test_a_unit_scoped_admin_sees_the_changes_of_the_party_orgs_of_their_units(org, as_user, personas):
    services.node_rename(actor=personas.superuser, node=org.branch, name="一区第一党支部", effective_date=D(2025, 3, 1))
    services.node_rename(actor=personas.superuser, node=org.sib_branch, name="二厂第一党支部",
                         effective_date=D(2025, 3, 1))
    items = as_user("plant_admin").get("party-orgs/changes", **{"from": "2025-01-01"}).json()["items"]
    assert [(i["code"], i["kind"]) for i in items] == [("P-CY1-B1", "rename")]
