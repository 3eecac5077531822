"""The people pages: list with filters and export, detail with masked personal data, forms."""
import io

import openpyxl

from ronghe.core.masking import mask_birth_date, mask_mobile
from ronghe.org.models import PartyMembership, Person, Position
from tests import factories as f


def text(response):
    return response.content.decode()


def people_in(response):
    assert response.status_code == 200
    return {part.split('"')[0] for part in text(response).split('<tr data-person="')[1:]}


# --- masking -----------------------------------------------------------------------------------

def test_masking_keeps_the_ends_of_a_mobile_number_and_the_year_of_birth():
    assert mask_mobile("13800001111") == "138****1111"
    assert mask_mobile("") == ""
    assert mask_mobile("12345") == "*****"
    assert mask_birth_date("1980-05-04") == "1980-**-**"
    assert mask_birth_date(None) == ""


def test_a_viewer_without_view_personal_sees_masked_personal_data(login, org, personas):
    page = text(login(personas.viewer).get(f"/people/{org.worker.employee_no}/"))
    assert "138****1111" in page and "13800001111" not in page
    assert "1980-**-**" in page and "1980年5月4日" not in page


def test_a_plant_admin_sees_the_personal_data_of_the_plants_people(login, org, personas):
    page = text(login(personas.plant_admin).get(f"/people/{org.worker.employee_no}/"))
    assert "13800001111" in page and "1980年5月4日" in page


def test_the_people_list_masks_row_by_row(login, org, personas):
    f.grant(personas.viewer, f.ROLE.SECRETARY, org.sib_branch)
    page = text(login(personas.viewer).get("/people/"))
    assert "138****1111" in page and "13800001111" not in page
    assert "13900002222" in page  # the sibling worker: now within the viewer's VIEW_PERSONAL


def test_the_audit_trail_of_a_person_masks_personal_data_too(login, org, personas):
    page = text(login(personas.viewer).get(f"/people/{org.worker.employee_no}/"))
    trail = page.split('id="audit-trail"')[1]
    assert "138****1111" in trail and "13800001111" not in trail and "1980-05-04" not in trail


def test_a_person_outside_the_scope_answers_404(login, org, personas):
    assert login(personas.plant_admin).get(f"/people/{org.sib_worker.employee_no}/").status_code == 404
    assert login(personas.secretary).get(f"/people/{org.worker.employee_no}/").status_code == 404
    assert login(personas.outsider).get(f"/people/{org.worker.employee_no}/edit/").status_code == 404


def test_a_branch_secretary_sees_the_members_of_the_branch(login, org, personas):
    page = text(login(personas.secretary).get(f"/people/{org.sib_worker.employee_no}/"))
    assert "李四" in page and "13900002222" in page
    assert 'href="/units/' not in page.split('id="person-attributes"')[1].split("</dl>")[0]


def test_a_person_page_shows_membership_and_positions(login, org, personas):
    Position.objects.create(person=org.worker, party_org=org.branch, kind=Position.Kind.SECRETARY, title="支部书记")
    page = text(login(personas.viewer).get(f"/people/{org.worker.employee_no}/"))
    assert "一区党支部" in page.split('id="membership"')[1]
    assert "支部书记" in page.split('id="positions"')[1]


# --- the list ----------------------------------------------------------------------------------

def test_the_people_list_searches_by_name_and_employee_number(login, org, personas):
    client = login(personas.viewer)
    assert people_in(client.get("/people/", {"q": "铁人"})) == {org.worker.employee_no}
    assert people_in(client.get("/people/", {"q": org.sib_worker.employee_no})) == {org.sib_worker.employee_no}


def test_the_people_list_filters_by_unit_subtree_party_org_and_status(login, org, personas):
    masses = f.person(org.plant, name="群众甲")
    client = login(personas.viewer)
    assert people_in(client.get("/people/", {"unit": "CY1"})) == {org.worker.employee_no, masses.employee_no}
    assert people_in(client.get("/people/", {"party_org": "P-CY1"})) == {org.worker.employee_no}
    assert people_in(client.get("/people/", {"status": "masses"})) == {masses.employee_no}
    assert people_in(client.get("/people/", {"unit": "NOPE"})) == set()


def test_the_people_list_sorts(login, org, personas):
    client = login(personas.viewer)
    by_name = text(client.get("/people/", {"sort": "name"}))
    assert by_name.index("李四") < by_name.index("王铁人")
    by_name_down = text(client.get("/people/", {"sort": "-name"}))
    assert by_name_down.index("王铁人") < by_name_down.index("李四")
    assert client.get("/people/", {"sort": "password"}).status_code == 200


def test_the_people_list_stays_within_scope(login, org, personas):
    assert people_in(login(personas.plant_admin).get("/people/")) == {org.worker.employee_no}
    assert people_in(login(personas.secretary).get("/people/")) == {org.sib_worker.employee_no}
    assert people_in(login(personas.outsider).get("/people/")) == set()


def test_the_people_export_has_the_lists_filters_and_masks(login, org, personas):
    response = login(personas.viewer).get("/people/", {"export": "xlsx", "unit": "CY1"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows if r[0]] == [org.worker.employee_no]
    assert "138****1111" in rows[0] and "13800001111" not in rows[0]


# --- forms -------------------------------------------------------------------------------------

def test_a_plant_admin_creates_a_party_member(login, org, personas):
    client = login(personas.plant_admin)
    assert client.get("/people/new/", {"unit": "CY1-A1"}).status_code == 200
    response = client.post("/people/new/", {
        "employee_no": "E900001", "name": "新党员", "gender": "F", "birth_date": "1990-01-02", "unit": "CY1-A1",
        "mobile": "13700003333", "political_status": "probationary", "party_org": "P-CY1-B1",
        "joined_on": "2024-01-01"})
    assert response.status_code == 302 and response["Location"] == "/people/E900001/"
    person = Person.objects.get(employee_no="E900001")
    assert person.membership.party_org == org.branch and person.mobile == "13700003333"


def test_a_party_member_without_a_party_org_is_refused_on_the_form(login, org, personas):
    response = login(personas.plant_admin).post("/people/new/", {
        "employee_no": "E900002", "name": "无组织", "unit": "CY1-A1", "political_status": "member"})
    assert response.status_code == 200 and "invalid-feedback" in text(response)
    assert not Person.objects.filter(employee_no="E900002").exists()


def test_a_duplicate_employee_number_is_refused_on_the_form(login, org, personas):
    response = login(personas.plant_admin).post("/people/new/", {
        "employee_no": org.worker.employee_no, "name": "重复", "unit": "CY1-A1", "political_status": "masses"})
    assert response.status_code == 200 and "invalid-feedback" in text(response)


def test_editing_a_person_moves_them_and_ends_their_membership(login, org, personas):
    response = login(personas.plant_admin).post(f"/people/{org.worker.employee_no}/edit/", {
        "name": "王铁人", "unit": "CY1-A1", "political_status": "masses", "mobile": "13800001111",
        "birth_date": "1980-05-04", "is_active": "on"})
    assert response.status_code == 302
    org.worker.refresh_from_db()
    assert org.worker.unit == org.area and not PartyMembership.objects.filter(person=org.worker).exists()


def test_viewers_cannot_create_or_edit_people(login, org, personas):
    client = login(personas.viewer)
    assert client.get("/people/new/").status_code == 404
    assert client.get(f"/people/{org.worker.employee_no}/edit/").status_code == 404
    assert client.post(f"/people/{org.worker.employee_no}/edit/", {"name": "x"}).status_code == 404


def test_a_plant_admin_cannot_move_a_person_to_a_sibling_plant(login, org, personas):
    response = login(personas.plant_admin).post(f"/people/{org.worker.employee_no}/edit/", {
        "name": "王铁人", "unit": "CY2-A1", "political_status": "member", "party_org": "P-CY1-B1"})
    assert response.status_code == 200
    org.worker.refresh_from_db()
    assert org.worker.unit == org.team
