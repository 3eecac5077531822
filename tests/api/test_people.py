from ronghe.core.models import AuditEntry
from ronghe.org.models import PartyMembership, Person
from tests import factories as f


def numbers(response):
    assert response.status_code == 200, response.content
    return [row["employee_no"] for row in response.json()["items"]]


def test_it_lists_only_the_people_within_the_callers_scope(org, as_user):
    assert numbers(as_user("plant_admin").get("people")) == [org.worker.employee_no]
    assert numbers(as_user("secretary").get("people")) == [org.sib_worker.employee_no]
    assert set(numbers(as_user("viewer").get("people"))) == {org.worker.employee_no, org.sib_worker.employee_no}
    assert numbers(as_user("outsider").get("people")) == []


def test_it_filters_people(org, as_user):
    mass = f.person(org.area, name="赵群众")
    client = as_user("superuser")
    assert numbers(client.get("people", q="铁人")) == [org.worker.employee_no]
    assert numbers(client.get("people", q=mass.employee_no)) == [mass.employee_no]
    assert numbers(client.get("people", unit="CY1-A1")) == [mass.employee_no]
    assert set(numbers(client.get("people", unit_subtree="CY1"))) == {org.worker.employee_no, mass.employee_no}
    assert numbers(client.get("people", unit_subtree="NOPE")) == []
    assert numbers(client.get("people", party_org="P-CY2-B1")) == [org.sib_worker.employee_no]
    assert numbers(client.get("people", political_status="masses")) == [mass.employee_no]
    assert client.get("people", political_status="royalist").status_code == 422


def test_people_who_left_are_listed_only_when_asked_for(org, as_user, personas):
    left = f.person(org.area, name="离职者")
    Person.objects.filter(pk=left.pk).update(is_active=False)
    client = as_user("superuser")
    assert left.employee_no not in numbers(client.get("people"))
    assert left.employee_no in numbers(client.get("people", include_inactive=True))


def test_it_paginates_people(org, as_user):
    for _ in range(5):
        f.person(org.area)
    body = as_user("plant_admin").get("people", page_size=4, page=2).json()
    assert body["count"] == 6 and len(body["items"]) == 2


def test_personal_data_is_masked_without_the_right_to_see_it(org, as_user):
    shown = as_user("viewer").get(f"people/{org.worker.employee_no}").json()
    assert shown["mobile"] == "138****1111" and shown["birth_date"] == "1980-**-**"
    assert shown["personal_data_masked"] is True
    listed = as_user("viewer").get("people", q="铁人").json()["items"][0]
    assert listed["mobile"] == "138****1111" and listed["birth_date"] == "1980-**-**"


def test_personal_data_is_shown_to_those_with_the_right(org, as_user):
    shown = as_user("plant_admin").get(f"people/{org.worker.employee_no}").json()
    assert shown["mobile"] == "13800001111" and shown["birth_date"] == "1980-05-04"
    assert shown["personal_data_masked"] is False
    assert shown["unit"] == "CY1-A1-T1" and shown["party_org"] == "P-CY1-B1" and shown["political_status"] == "member"


def test_a_person_outside_the_scope_answers_404(org, as_user):
    assert as_user("plant_admin").get(f"people/{org.sib_worker.employee_no}").status_code == 404
    assert as_user("plant_admin").patch(f"people/{org.sib_worker.employee_no}", {"name": "改"}).status_code == 404
    assert Person.objects.get(pk=org.sib_worker.pk).name == "李四"


def test_a_plant_admin_adds_a_party_member_to_their_plant(org, as_user, personas):
    response = as_user("plant_admin").post("people", {
        "employee_no": "E900001", "name": "新党员", "unit": "CY1-A1", "gender": "F", "birth_date": "1990-02-03",
        "mobile": "13700000000", "political_status": "probationary", "party_org": "P-CY1-B1",
        "joined_on": "2025-01-01"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["party_org"] == "P-CY1-B1" and body["mobile"] == "13700000000" and body["joined_on"] == "2025-01-01"
    person = Person.objects.get(employee_no="E900001")
    assert AuditEntry.objects.filter(object_type="org.person", object_id=str(person.pk),
                                     actor=personas.plant_admin).exists()


def test_a_party_member_needs_a_party_org(org, as_user):
    response = as_user("plant_admin").post("people", {"employee_no": "E900002", "name": "无组织",
                                                      "unit": "CY1-A1", "political_status": "member"})
    assert response.status_code == 422 and "party_org" in response.json()["details"]


def test_people_cannot_be_placed_outside_the_scope(org, as_user):
    client = as_user("plant_admin")
    response = client.post("people", {"employee_no": "E900003", "name": "越权", "unit": "CY2-A1"})
    assert response.status_code == 422 and "unit" in response.json()["details"]
    response = client.post("people", {"employee_no": "E900003", "name": "越权", "unit": "CY1-A1",
                                      "political_status": "member", "party_org": "P-CY2-B1"})
    assert response.status_code == 422 and "party_org" in response.json()["details"]
    response = client.patch(f"people/{org.worker.employee_no}", {"unit": "CY2-A1"})
    assert response.status_code == 422 and "unit" in response.json()["details"]
    response = client.patch(f"people/{org.worker.employee_no}", {"party_org": "P-CY2-B1"})
    assert response.status_code == 422 and "party_org" in response.json()["details"]
    assert not Person.objects.filter(employee_no="E900003").exists()
    assert Person.objects.get(pk=org.worker.pk).unit == org.team
    assert PartyMembership.objects.get(person=org.worker).party_org == org.branch


def test_creating_a_person_reports_invalid_fields(org, as_user):
    client = as_user("plant_admin")
    body = client.post("people", {"employee_no": org.worker.employee_no, "name": "重复", "unit": "CY1-A1"}).json()
    assert "employee_no" in body["details"]
    body = client.post("people", {"employee_no": "E900004", "name": "未来", "unit": "CY1-A1",
                                  "birth_date": "2999-01-01"}).json()
    assert "birth_date" in body["details"]
    body = client.post("people", {"employee_no": "E900004", "name": "邮箱", "unit": "CY1-A1",
                                  "email": "not-an-email"}).json()
    assert "email" in body["details"]


def test_patching_a_person_changes_only_what_was_sent(org, as_user):
    response = as_user("plant_admin").patch(f"people/{org.worker.employee_no}", {"post": "采油工", "unit": "CY1-A1"})
    assert response.status_code == 200
    body = response.json()
    assert body["post"] == "采油工" and body["unit"] == "CY1-A1" and body["party_org"] == "P-CY1-B1"
    assert body["mobile"] == "13800001111"


def test_ending_a_membership_takes_the_status_and_the_party_org_together(org, as_user):
    client = as_user("plant_admin")
    response = client.patch(f"people/{org.worker.employee_no}", {"political_status": "masses"})
    assert response.status_code == 422 and "party_org" in response.json()["details"]
    response = client.patch(f"people/{org.worker.employee_no}", {"political_status": "masses", "party_org": None})
    assert response.status_code == 200 and response.json()["party_org"] is None
    assert not PartyMembership.objects.filter(person=org.worker).exists()


def test_a_viewer_cannot_change_people(org, as_user):
    client = as_user("viewer")
    assert client.patch(f"people/{org.worker.employee_no}", {"name": "改"}).status_code == 403
    assert client.post("people", {"employee_no": "E900005", "name": "X", "unit": "CY1"}).status_code == 403
