"""Login, my API tokens, users and role grants through the pages."""
from django.test import override_settings
from django.utils import timezone

from ronghe.accounts.models import ApiToken, Role, RoleAssignment, User
from ronghe.accounts.services import api_token_authenticate
from ronghe.core.models import AuditEntry
from tests import factories as f


def text(response):
    return response.content.decode()


def usernames(response):
    assert response.status_code == 200
    return {part.split('"')[0] for part in text(response).split('<tr data-username="')[1:]}


# --- login -------------------------------------------------------------------------------------

def test_logging_in_leads_home(client, org, personas):
    response = client.post("/accounts/login/", {"username": "viewer", "password": "pass-word-123"})
    assert response.status_code == 302 and response["Location"] == "/"


@override_settings(LOGIN_MAX_FAILURES=2)
def test_login_is_throttled_after_repeated_failures(client, org, personas):
    for _ in range(2):
        client.post("/accounts/login/", {"username": "viewer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "viewer", "password": "pass-word-123"})
    assert response.status_code == 200 and "alert-danger" in text(response)
    assert "_auth_user_id" not in client.session


def test_logging_out_takes_a_post(login, org, personas):
    client = login(personas.viewer)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


# --- API tokens --------------------------------------------------------------------------------

def test_a_new_token_is_shown_once_and_works(login, org, personas):
    client = login(personas.viewer)
    page = text(client.post("/accounts/tokens/", {"name": "报表脚本", "expires_on": ""}, follow=True))
    key = page.split('<div class="token-once">')[1].split("<")[0]
    assert api_token_authenticate(key) == personas.viewer
    again = text(client.get("/accounts/tokens/"))
    assert key not in again and "报表脚本" in again and key[:8] in again
    assert ApiToken.objects.filter(user=personas.viewer).count() == 1


def test_a_token_with_an_expiry_date_expires_at_the_end_of_that_day(login, org, personas):
    login(personas.viewer).post("/accounts/tokens/", {"name": "短期", "expires_on": "2030-06-30"})
    expires = ApiToken.objects.get(user=personas.viewer).expires_at
    assert timezone.localtime(expires).date().isoformat() == "2030-06-30"
    assert timezone.localtime(expires).hour == 23


def test_revoking_a_token_stops_it(login, org, personas):
    client = login(personas.viewer)
    page = text(client.post("/accounts/tokens/", {"name": "t"}, follow=True))
    key = page.split('<div class="token-once">')[1].split("<")[0]
    token = ApiToken.objects.get(user=personas.viewer)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api_token_authenticate(key) is None
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_nobody_revokes_another_users_token(login, org, personas):
    other = ApiToken.objects.create(user=personas.superuser, key_hash="x" * 64, hint="rh_abc")
    assert login(personas.viewer).post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_token_list_shows_only_my_tokens(login, org, personas):
    ApiToken.objects.create(user=personas.superuser, name="根的令牌", key_hash="y" * 64, hint="rh_root")
    assert "根的令牌" not in text(login(personas.viewer).get("/accounts/tokens/"))


# --- users -------------------------------------------------------------------------------------

def test_only_role_managers_reach_the_user_list(login, org, personas):
    assert login(personas.viewer).get("/accounts/users/").status_code == 404
    assert login(personas.secretary).get("/accounts/users/").status_code == 404
    assert login(personas.plant_admin).get("/accounts/users/").status_code == 200


def test_a_plant_admin_lists_the_logins_of_the_plants_people(login, org, personas):
    f.user("wang", person_=org.worker)
    f.user("li", person_=org.sib_worker)
    assert usernames(login(personas.plant_admin).get("/accounts/users/")) == {"wang"}
    assert {"wang", "li", "viewer"} <= usernames(login(personas.superuser).get("/accounts/users/"))


def test_a_plant_admin_creates_a_login_for_a_person_of_the_plant(login, org, personas):
    response = login(personas.plant_admin).post("/accounts/users/", {
        "username": "wangtieren", "password": "a-long-secret-9", "person": org.worker.employee_no})
    assert response.status_code == 302
    user = User.objects.get(username="wangtieren")
    assert user.person == org.worker and user.check_password("a-long-secret-9") and not user.is_superuser


def test_a_plant_admin_cannot_create_a_login_for_someone_outside(login, org, personas):
    response = login(personas.plant_admin).post("/accounts/users/", {
        "username": "lisi", "password": "a-long-secret-9", "person": org.sib_worker.employee_no})
    assert response.status_code == 200 and "invalid-feedback" in text(response)
    assert not User.objects.filter(username="lisi").exists()


def test_only_a_superuser_is_offered_to_make_superusers(login, org, personas):
    assert 'name="is_superuser"' not in text(login(personas.plant_admin).get("/accounts/users/"))
    client = login(personas.superuser)
    assert 'name="is_superuser"' in text(client.get("/accounts/users/"))
    assert client.post("/accounts/users/", {"username": "admin2", "password": "a-long-secret-9",
                                            "is_superuser": "on"}).status_code == 302
    assert User.objects.get(username="admin2").is_superuser


def test_a_weak_password_is_refused(login, org, personas):
    response = login(personas.plant_admin).post("/accounts/users/", {
        "username": "weak", "password": "12345678", "person": org.worker.employee_no})
    assert response.status_code == 200 and not User.objects.filter(username="weak").exists()


# --- roles -------------------------------------------------------------------------------------

def test_a_plant_admin_grants_a_role_on_a_unit_page(login, org, personas):
    grantee = f.user("newviewer")
    client = login(personas.plant_admin)
    assert 'id="role-grant"' in text(client.get("/units/CY1-A1/"))
    response = client.post("/accounts/roles/grant/unit/CY1-A1/", {"username": "newviewer", "role": "viewer",
                                                                  "include_subtree": "1"})
    assert response.status_code == 302 and response["Location"] == "/units/CY1-A1/"
    assignment = RoleAssignment.objects.get(user=grantee)
    assert assignment.unit == org.area and assignment.role == Role.VIEWER and assignment.include_subtree


def test_a_role_is_granted_on_a_party_org_page_without_subtree(login, org, personas):
    grantee = f.user("branchsec")
    login(personas.plant_admin).post("/accounts/roles/grant/party_org/P-CY1-B1/",
                                     {"username": "branchsec", "role": "secretary"})
    assignment = RoleAssignment.objects.get(user=grantee)
    assert assignment.party_org == org.branch and not assignment.include_subtree


def test_roles_cannot_be_granted_outside_the_scope(login, org, personas):
    f.user("someone")
    assert login(personas.plant_admin).post("/accounts/roles/grant/unit/CY2/", {
        "username": "someone", "role": "admin"}).status_code == 404
    assert login(personas.viewer).post("/accounts/roles/grant/unit/CY1/", {
        "username": "someone", "role": "admin"}).status_code == 404
    assert not RoleAssignment.objects.filter(user__username="someone").exists()


def test_granting_to_an_unknown_user_says_so(login, org, personas):
    response = login(personas.plant_admin).post("/accounts/roles/grant/unit/CY1/", {
        "username": "ghost", "role": "viewer"}, follow=True)
    assert "ghost" in text(response) and "alert-danger" in text(response)


def test_a_role_is_revoked_from_the_page(login, org, personas):
    grantee = f.user("temp")
    assignment = f.grant(grantee, f.ROLE.VIEWER, org.area)
    response = login(personas.plant_admin).post(f"/accounts/roles/{assignment.pk}/revoke/",
                                                {"next": "/units/CY1-A1/"})
    assert response.status_code == 302 and response["Location"] == "/units/CY1-A1/"
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke").exists()


def test_a_role_outside_the_scope_cannot_be_revoked(login, org, personas):
    assignment = f.grant(f.user("sib"), f.ROLE.VIEWER, org.sibling)
    assert login(personas.plant_admin).post(f"/accounts/roles/{assignment.pk}/revoke/").status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_revoking_does_not_redirect_off_site(login, org, personas):
    assignment = f.grant(f.user("temp2"), f.ROLE.VIEWER, org.area)
    response = login(personas.plant_admin).post(f"/accounts/roles/{assignment.pk}/revoke/",
                                                {"next": "https://evil.example/"})
    assert response["Location"] == "/units/CY1-A1/"
