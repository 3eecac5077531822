"""Pages of the unit and party org trees: browsing, scope, dates, and the forms that change them."""
import datetime as dt
import io

import openpyxl

from ronghe.core.models import AuditEntry
from ronghe.org import services
from ronghe.org.models import OrgChange, PartyOrg, Position, Unit
from tests import factories as f

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


# --- shell and home ----------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_the_login_page(client, org):
    for url in ["/", "/units/", "/units/HQ/", "/party-orgs/", "/people/", "/audit/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_the_login_page_is_styled_and_offers_both_languages(client, db):
    page = text(client.get("/accounts/login/"))
    assert "vendor/tabler/tabler.min.css" in page
    assert 'value="zh-hans"' in page and 'value="en"' in page


def test_the_home_page_summarises_the_users_scope(login, org, personas):
    page = text(login(personas.plant_admin).get("/"))
    assert 'data-stat="units">3<' in page
    assert 'data-stat="people">1<' in page
    assert 'data-stat="party_orgs">3<' in page
    assert "采油一厂" in page and "采油二厂" not in page


def test_an_outsider_sees_an_empty_scope_and_no_navigation_to_units(login, org, personas):
    page = text(login(personas.outsider).get("/"))
    assert 'data-stat="units">0<' in page
    assert 'href="/units/"' not in page and 'href="/audit/"' not in page


def test_the_sidebar_shows_only_what_the_user_can_use(login, org, personas):
    secretary = text(login(personas.secretary).get("/"))
    assert 'href="/party-orgs/"' in secretary and 'href="/people/"' in secretary
    assert 'href="/units/"' not in secretary and 'href="/import/"' not in secretary
    admin = text(login(personas.plant_admin).get("/"))
    assert 'href="/units/"' in admin and 'href="/import/"' in admin and 'href="/accounts/users/"' in admin
    viewer = text(login(personas.viewer).get("/"))
    assert 'href="/import/"' not in viewer and 'href="/accounts/users/"' not in viewer


def test_pages_use_no_outside_resources(login, org, personas):
    page = text(login(personas.superuser).get("/units/HQ/"))
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_dates_are_written_the_chinese_way(login, org, personas):
    page = text(login(personas.superuser).get("/units/CY1/"))
    assert "2020年1月1日" in page


def test_the_language_switch_sets_english(login, org, personas):
    client = login(personas.superuser)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert '<html lang="en">' in text(client.get("/units/"))


# --- trees -------------------------------------------------------------------------------------

def test_the_tree_starts_at_the_users_visible_roots(login, org, personas):
    page = text(login(personas.plant_admin).get("/units/"))
    assert 'data-code="CY1"' in page
    assert 'data-code="HQ"' not in page and 'data-code="CY2"' not in page


def test_expanding_a_node_loads_its_children_with_subtree_counts(login, org, personas):
    f.person(org.area)
    response = login(personas.viewer).get("/units/CY1/children/", **HTMX)
    assert response.status_code == 200
    page = text(response)
    assert 'data-code="CY1-A1"' in page and 'data-code="CY1-A1-T1"' not in page
    assert "<html" not in page
    # 作业一区: one sub-unit, two people (one of them a Party member)
    assert '<i class="ti ti-building me-1"></i>1<' in page
    assert '<i class="ti ti-users me-1"></i>2<' in page
    assert '<i class="ti ti-star me-1"></i>1<' in page


def test_children_of_a_node_outside_the_scope_answer_404(login, org, personas):
    assert login(personas.plant_admin).get("/units/CY2/children/").status_code == 404
    assert login(personas.secretary).get("/party-orgs/P-CY1/children/").status_code == 404


def test_search_finds_units_by_name_or_code_with_their_path(login, org, personas):
    page = text(login(personas.viewer).get("/units/", {"q": "一班"}))
    assert "采油一班" in page and "总部 / 采油一厂 / 作业一区" in page
    page = text(login(personas.viewer).get("/units/", {"q": "cy2"}))
    assert "采油二厂" in page and "采油一班" not in page


def test_search_stays_within_scope_even_in_the_path(login, org, personas):
    page = text(login(personas.plant_admin).get("/units/", {"q": "采油"}))
    assert "采油一班" in page and "采油二厂" not in page
    assert "总部" not in page.split('id="search-results"')[1]


def test_the_tree_can_be_shown_as_of_a_past_date(login, org, personas):
    services.node_rename(actor=personas.superuser, node=org.plant, name="采油一厂（新）", effective_date=D(2024, 1, 1))
    client = login(personas.viewer)
    before = text(client.get("/units/CY1/children/", {"as_of": "2023-06-01"}))
    assert text(client.get("/units/", {"as_of": "2023-06-01"})).count('data-code="HQ"') == 1
    hq_children = text(client.get("/units/HQ/children/", {"as_of": "2023-06-01"}))
    assert "采油一厂<" in hq_children and "采油一厂（新）" not in hq_children
    assert 'data-code="CY1-A1"' in before
    assert "采油一厂（新）" in text(client.get("/units/HQ/children/"))


def test_a_unit_established_later_is_absent_from_an_earlier_tree(login, org, personas):
    f.unit("新区", parent=org.plant, code="CY1-NEW", effective_date=D(2024, 5, 1))
    client = login(personas.viewer)
    assert 'data-code="CY1-NEW"' not in text(client.get("/units/CY1/children/", {"as_of": "2024-04-30"}))
    assert 'data-code="CY1-NEW"' in text(client.get("/units/CY1/children/", {"as_of": "2024-05-01"}))


def test_abolished_units_show_only_when_asked_and_greyed(login, org, personas):
    gone = f.unit("旧班组", parent=org.area, code="CY1-OLD")
    services.node_abolish(actor=personas.superuser, node=gone, effective_date=D(2024, 1, 1))
    client = login(personas.viewer)
    assert 'data-code="CY1-OLD"' not in text(client.get("/units/CY1-A1/children/"))
    shown = text(client.get("/units/CY1-A1/children/", {"abolished": "1"}))
    assert 'tree-item tree-abolished" data-code="CY1-OLD"' in shown
    dated = text(client.get("/units/CY1-A1/children/", {"abolished": "1", "as_of": "2024-06-01"}))
    assert 'tree-item tree-abolished" data-code="CY1-OLD"' in dated


def test_a_bad_as_of_date_is_reported_not_a_crash(login, org, personas):
    response = login(personas.viewer).get("/units/", {"as_of": "2024-13-45"})
    assert response.status_code == 200 and "YYYY-MM-DD" in text(response)


def test_the_changes_page_lists_what_changed_between_two_dates(login, org, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="作业二区", effective_date=D(2024, 3, 1))
    services.node_move(actor=personas.superuser, node=org.team, new_parent=org.sibling, effective_date=D(2024, 4, 1))
    client = login(personas.viewer)
    page = text(client.get("/units/changes/", {"start": "2024-01-01", "end": "2024-12-31"}))
    assert "作业一区" in page and "作业二区" in page
    assert "采油二厂" in page  # the move, its new parent in words
    assert "2020年1月1日" not in page
    assert "作业二区" not in text(client.get("/units/changes/", {"start": "2024-06-01", "end": "2024-12-31"}))


def test_the_changes_page_shows_only_changes_in_scope(login, org, personas):
    services.node_rename(actor=personas.superuser, node=org.area2, name="二厂新区", effective_date=D(2024, 3, 1))
    page = text(login(personas.plant_admin).get("/units/changes/", {"start": "2024-01-01", "end": "2024-12-31"}))
    assert "二厂新区" not in page


def test_the_party_org_tree_runs_from_committee_to_group(login, org, personas):
    client = login(personas.viewer)
    assert 'data-code="P-ROOT"' in text(client.get("/party-orgs/"))
    assert 'data-code="P-CY1-B1-G1"' in text(client.get("/party-orgs/P-CY1-B1/children/"))


def test_a_branch_secretary_sees_only_the_branch_in_the_party_tree(login, org, personas):
    page = text(login(personas.secretary).get("/party-orgs/"))
    assert 'data-code="P-CY2-B1"' in page and 'data-code="P-ROOT"' not in page


# --- flat lists and export ---------------------------------------------------------------------

def listed(response):
    return {part.split('"')[0] for part in text(response).split('<tr data-code="')[1:]}


def exported_codes(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


def test_the_unit_list_filters_by_subtree_level_and_type(login, org, personas):
    client = login(personas.viewer)
    assert listed(client.get("/units/list/", {"under": "CY1"})) == {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert listed(client.get("/units/list/", {"level": "division"})) == {"HQ", "CY1", "CY2"}
    assert listed(client.get("/units/list/", {"kind": "team"})) == {"CY1-A1-T1"}
    assert listed(client.get("/units/list/", {"q": "二厂"})) == {"CY2", "CY2-A1"}


def test_the_unit_list_stays_within_scope(login, org, personas):
    assert listed(login(personas.plant_admin).get("/units/list/")) == {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert listed(login(personas.plant_admin).get("/units/list/", {"under": "CY2"})) == set()


def test_the_unit_list_exports_what_it_shows_to_xlsx(login, org, personas):
    client = login(personas.plant_admin)
    assert exported_codes(client.get("/units/list/", {"export": "xlsx", "kind": "team"})) == {"CY1-A1-T1"}
    assert exported_codes(client.get("/units/list/", {"export": "xlsx"})) == {"CY1", "CY1-A1", "CY1-A1-T1"}


def test_the_party_org_list_filters_by_type_and_exports(login, org, personas):
    client = login(personas.viewer)
    assert listed(client.get("/party-orgs/list/", {"kind": "branch"})) == {"P-CY1-B1", "P-CY2-B1"}
    assert exported_codes(client.get("/party-orgs/list/", {"kind": "branch", "export": "xlsx"})) == {
        "P-CY1-B1", "P-CY2-B1"}
    assert listed(login(personas.secretary).get("/party-orgs/list/")) == {"P-CY2-B1"}


def test_lists_link_to_the_import_pages_for_importers_only(login, org, personas):
    assert 'href="/import/units/"' in text(login(personas.plant_admin).get("/units/list/"))
    assert 'href="/import/units/"' not in text(login(personas.viewer).get("/units/list/"))


# --- detail ------------------------------------------------------------------------------------

def test_a_unit_page_shows_attributes_ancestors_leaders_children_and_counts(login, org, personas):
    f.person(org.area, name="赵六")
    leader = f.person(org.plant, name="钱厂长")
    Position.objects.create(person=leader, unit=org.plant, kind=Position.Kind.HEAD, title="厂长")
    page = text(login(personas.viewer).get("/units/CY1/"))
    assert "总部" in page.split('id="ancestors"')[1].split("</ol>")[0]
    assert "厂长" in page and "钱厂长" in page
    assert 'data-code="CY1-A1"' in page
    assert "一厂党委" in page
    assert "王铁人" in page and "赵六" in page
    counts = page.split('id="subtree-counts"')[1]
    assert '<div class="stat-value">3</div>' in counts  # people in the subtree
    assert "unit.establish" in page


def test_a_unit_outside_the_scope_answers_404(login, org, personas):
    assert login(personas.plant_admin).get("/units/CY2/").status_code == 404
    assert login(personas.plant_admin).get("/units/HQ/").status_code == 404
    assert login(personas.secretary).get("/units/CY2-A1/").status_code == 404
    assert login(personas.outsider).get("/party-orgs/P-ROOT/").status_code == 404


def test_the_breadcrumb_shows_only_ancestors_in_scope(login, org, personas):
    crumbs = text(login(personas.plant_admin).get("/units/CY1-A1/")).split('id="ancestors"')[1].split("</ol>")[0]
    assert "采油一厂" in crumbs and "总部" not in crumbs


def test_the_people_of_a_unit_page_through_with_htmx(login, org, personas):
    for i in range(25):
        f.person(org.area, name=f"员工{i:02d}")
    client = login(personas.viewer)
    response = client.get("/units/CY1/", {"page": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-card")
    page = text(response)
    assert page.startswith('<div class="card mb-3" id="people-card">') and "<html" not in page
    assert "2 / 2" in page


def test_a_party_org_page_shows_its_unit_members_and_secretary(login, org, personas):
    secretary = f.person(org.area, org.branch, name="孙书记")
    Position.objects.create(person=secretary, party_org=org.branch, kind=Position.Kind.SECRETARY, title="书记")
    f.person(org.area, org.branch, name="周预备", political_status="probationary")
    page = text(login(personas.viewer).get("/party-orgs/P-CY1-B1/"))
    assert "作业一区" in page and "孙书记" in page and "书记" in page and "周预备" in page
    assert "王铁人" in page  # a member of the group below
    counts = page.split('id="subtree-counts"')[1]
    assert '<div class="stat-value">3</div>' in counts and '<div class="stat-value">1</div>' in counts


def test_the_audit_trail_on_a_detail_page_is_scoped(login, org, personas):
    services.node_rename(actor=personas.superuser, node=org.plant, name="采油一厂改", effective_date=D(2024, 1, 1))
    page = text(login(personas.plant_admin).get("/units/CY1/"))
    trail = page.split('id="audit-trail"')[1]
    assert "unit.rename" in trail and "采油一厂改" in trail


def test_change_actions_show_only_to_those_who_may_change(login, org, personas):
    assert 'href="/units/CY1/rename/"' in text(login(personas.plant_admin).get("/units/CY1/"))
    assert 'href="/units/CY1/rename/"' not in text(login(personas.viewer).get("/units/CY1/"))


# --- forms -------------------------------------------------------------------------------------

def test_a_plant_admin_creates_a_sub_unit(login, org, personas):
    client = login(personas.plant_admin)
    assert client.get("/units/new/", {"parent": "CY1"}).status_code == 200
    response = client.post("/units/new/", {
        "code": "CY1-A2", "name": "作业二区", "parent": "CY1", "level": "section", "kind": "grassroots",
        "effective_date": "2024-02-01", "reason": "新设"})
    assert response.status_code == 302 and response["Location"] == "/units/CY1-A2/"
    unit = Unit.objects.get(code="CY1-A2")
    assert unit.parent == org.plant
    assert OrgChange.objects.get(unit=unit).effective_date == D(2024, 2, 1)
    assert AuditEntry.objects.filter(action="unit.establish", object_id=str(unit.pk), actor=personas.plant_admin).exists()


def test_a_plant_admin_cannot_create_under_a_sibling_plant(login, org, personas):
    response = login(personas.plant_admin).post("/units/new/", {
        "code": "X1", "name": "越权", "parent": "CY2", "level": "section", "effective_date": "2024-02-01"})
    assert response.status_code == 200 and "invalid-feedback" in text(response)
    assert not Unit.objects.filter(code="X1").exists()


def test_a_service_error_shows_on_the_form(login, org, personas):
    response = login(personas.plant_admin).post("/units/new/", {
        "code": "CY1-A1", "name": "重复", "parent": "CY1", "level": "section", "effective_date": "2024-02-01"})
    assert response.status_code == 200
    assert 'invalid-feedback d-block' in text(response)
    assert Unit.objects.filter(code="CY1-A1").count() == 1


def test_a_future_effective_date_is_refused_on_the_form(login, org, personas):
    response = login(personas.superuser).post("/units/CY1/rename/", {"name": "新名", "effective_date": "2999-01-01"})
    assert response.status_code == 200 and "invalid-feedback" in text(response)
    org.plant.refresh_from_db()
    assert org.plant.name == "采油一厂"


def test_a_viewer_gets_404_on_change_forms(login, org, personas):
    client = login(personas.viewer)
    for action in ["edit", "rename", "move", "merge", "abolish"]:
        assert client.get(f"/units/CY1/{action}/").status_code == 404, action
        assert client.post(f"/units/CY1/{action}/", {"effective_date": "2024-01-01"}).status_code == 404, action
    assert client.get("/units/new/").status_code == 404


def test_edit_rename_move_merge_and_abolish_call_the_services(login, org, personas):
    client = login(personas.superuser)
    assert client.post("/units/CY1-A1/edit/", {
        "name": "作业一区", "level": "section", "kind": "grassroots", "staffing": "12", "sort_order": "3",
        "effective_date": "2024-01-01"}).status_code == 302
    org.area.refresh_from_db()
    assert org.area.staffing == 12 and org.area.sort_order == 3
    assert client.post("/units/CY1-A1/rename/", {"name": "采油作业区", "effective_date": "2024-02-01"}).status_code == 302
    assert Unit.objects.get(code="CY1-A1").name == "采油作业区"
    assert client.post("/units/CY1-A1-T1/move/", {"new_parent": "CY2-A1", "effective_date": "2024-03-01",
                                                  "reason": "调整"}).status_code == 302
    assert Unit.objects.get(code="CY1-A1-T1").parent == org.area2
    assert client.post("/units/CY1-A1/merge/", {"into": "CY2-A1", "effective_date": "2024-04-01"}).status_code == 302
    assert Unit.objects.get(code="CY1-A1").abolished_on == D(2024, 4, 1)
    empty = f.unit("空单位", parent=org.plant, code="CY1-EMPTY")
    assert client.post(f"/units/{empty.code}/abolish/", {"effective_date": "2024-05-01"}).status_code == 302
    assert Unit.objects.get(code="CY1-EMPTY").abolished_on == D(2024, 5, 1)


def test_abolishing_a_unit_with_people_shows_why_not(login, org, personas):
    response = login(personas.superuser).post("/units/CY1-A1-T1/abolish/", {"effective_date": "2024-01-01"})
    assert response.status_code == 200 and "采油一班" in text(response)
    assert Unit.objects.get(code="CY1-A1-T1").abolished_on is None


def test_moving_a_unit_under_its_own_subtree_is_not_offered(login, org, personas):
    form = text(login(personas.superuser).get("/units/CY1/move/"))
    assert 'value="CY1-A1"' not in form and 'value="CY2"' in form


def test_a_plant_admin_creates_a_party_branch_for_a_unit(login, org, personas):
    response = login(personas.plant_admin).post("/party-orgs/new/", {
        "code": "P-CY1-B2", "name": "二区党支部", "kind": "branch", "parent": "P-CY1", "unit": "CY1-A1",
        "effective_date": "2024-02-01"})
    assert response.status_code == 302
    assert PartyOrg.objects.get(code="P-CY1-B2").unit == org.area


def test_a_party_group_cannot_get_sub_organisations(login, org, personas):
    response = login(personas.superuser).post("/party-orgs/new/", {
        "code": "P-X", "name": "小组下级", "kind": "group", "parent": "P-CY1-B1-G1", "unit": "CY1-A1-T1",
        "effective_date": "2024-02-01"})
    assert response.status_code == 200 and "invalid-feedback" in text(response)
    assert not PartyOrg.objects.filter(code="P-X").exists()


def test_editing_a_party_org_changes_its_unit(login, org, personas):
    response = login(personas.superuser).post("/party-orgs/P-CY1-B1/edit/", {
        "name": "一区党支部", "kind": "branch", "unit": "CY1-A1-T1", "effective_date": "2024-02-01"})
    assert response.status_code == 302
    assert PartyOrg.objects.get(code="P-CY1-B1").unit == org.team


def test_a_unit_page_shows_the_unit_as_it_stood_on_a_date(login, org, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="采油作业区", effective_date=D(2024, 1, 1))
    services.node_move(actor=personas.superuser, node=org.area, new_parent=org.sibling, effective_date=D(2024, 2, 1))
    client = login(personas.viewer)
    then = text(client.get("/units/CY1-A1/", {"as_of": "2023-12-31"})).split('id="state-then"')[1].split("</span>\n")[0]
    assert "作业一区" in then and "采油一厂" in then
    now = text(client.get("/units/CY1-A1/", {"as_of": "2024-03-01"})).split('id="state-then"')[1]
    assert "采油作业区" in now and "采油二厂" in now.split("</form>")[0]
    before = text(client.get("/units/CY1-A1/", {"as_of": "2019-01-01"}))
    assert "该日期时尚未成立。" in before


def test_the_children_on_a_unit_page_follow_the_as_of_date(login, org, personas):
    f.unit("新班组", parent=org.area, code="CY1-A1-T2", effective_date=D(2024, 5, 1))
    client = login(personas.viewer)
    assert 'data-code="CY1-A1-T2"' not in text(client.get("/units/CY1-A1/", {"as_of": "2024-04-30"}))
    assert 'data-code="CY1-A1-T2"' in text(client.get("/units/CY1-A1/", {"as_of": "2024-05-01"}))


def test_a_plant_admin_names_and_removes_a_leader(login, org, personas):
    client = login(personas.plant_admin)
    response = client.post("/units/CY1/leaders/", {"employee_no": org.worker.employee_no, "kind": "head",
                                                   "title": "厂长"})
    assert response.status_code == 302 and response["Location"] == "/units/CY1/"
    position = Position.objects.get(unit=org.plant)
    assert position.person == org.worker and position.title == "厂长"
    assert "厂长" in text(client.get("/units/CY1/")).split('id="leaders"')[1].split('id="position-add"')[0]
    assert client.post(f"/positions/{position.pk}/remove/").status_code == 302
    assert not Position.objects.filter(pk=position.pk).exists()
    assert AuditEntry.objects.filter(action="position.remove").exists()


def test_a_party_secretary_is_named_on_the_branch_page(login, org, personas):
    client = login(personas.secretary)
    client.post("/party-orgs/P-CY2-B1/leaders/", {"employee_no": org.sib_worker.employee_no, "kind": "secretary",
                                                  "title": "支部书记"})
    assert Position.objects.get(party_org=org.sib_branch).person == org.sib_worker


def test_leaders_cannot_be_named_from_outside_the_scope(login, org, personas):
    assert login(personas.viewer).post("/units/CY1/leaders/", {
        "employee_no": org.worker.employee_no, "kind": "head"}).status_code == 404
    response = login(personas.plant_admin).post("/units/CY1/leaders/", {
        "employee_no": org.sib_worker.employee_no, "kind": "head"}, follow=True)
    assert "alert-danger" in text(response) and not Position.objects.exists()
    sibling_head = Position.objects.create(person=org.sib_worker, unit=org.sibling, kind="head")
    assert login(personas.plant_admin).post(f"/positions/{sibling_head.pk}/remove/").status_code == 404
    assert Position.objects.filter(pk=sibling_head.pk).exists()


def test_parent_choices_are_listed_in_tree_order(login, org, personas):
    f.unit("后设单位", parent=org.hq, code="AAA")  # sorts first by code, but comes after HQ's subtree by path
    form = text(login(personas.superuser).get("/units/new/"))
    options = [part.split('"')[0] for part in form.split('<option value="')[1:]]
    parents = [o for o in options if o in {"HQ", "CY1", "CY1-A1", "AAA"}]
    assert parents.index("HQ") < parents.index("CY1") < parents.index("CY1-A1")
    assert parents.index("CY1") < parents.index("AAA")


def test_a_party_branch_is_merged_through_the_form(login, org, personas):
    client = login(personas.superuser)
    response = client.post("/party-orgs/P-CY2-B1/merge/", {"into": "P-CY1-B1", "effective_date": "2024-06-01",
                                                             "reason": "支部合并"})
    assert response.status_code == 302
    org.sib_worker.refresh_from_db()
    assert org.sib_worker.membership.party_org == org.branch
    assert PartyOrg.objects.get(code="P-CY2-B1").abolished_on == D(2024, 6, 1)


def test_the_date_filter_writes_chinese_dates_in_chinese_and_long_dates_in_english():
    from django.utils import translation

    from ronghe.core.templatetags.ronghe import cndate, cndatetime

    with translation.override("zh-hans"):
        assert cndate(D(2026, 3, 5)) == "2026年3月5日"
        assert cndate("2026-03-05") == "2026年3月5日"
        assert cndate(None) == "—"
        assert cndate("1980-**-**") == "1980-**-**"
        assert cndatetime(dt.datetime(2026, 3, 5, 14, 5, tzinfo=dt.UTC)) == "2026年3月5日 22:05"
    with translation.override("en"):
        assert cndate(D(2026, 3, 5)) == "March 5, 2026"
