import datetime as dt

from django.utils import timezone

from ronghe.accounts.models import ApiToken, RoleAssignment
from ronghe.core.models import AuditEntry
from tests import factories as f
from tests.api.support import ApiClient, token_for


def test_me_tells_who_i_am_and_my_roles(org, as_user):
    body = as_user("plant_admin").get("me").json()
    assert body["username"] == "plantadmin" and body["is_superuser"] is False
    assert [(r["role"], r["unit"], r["include_subtree"]) for r in body["roles"]] == [("admin", "CY1", True)]


def test_me_names_the_person_behind_the_login(org):
    user = f.user("worker", person_=org.worker)
    assert ApiClient(token_for(user)).get("me").json()["employee_no"] == org.worker.employee_no


def test_a_new_token_is_shown_once_and_works(org, personas, as_user):
    client = as_user("viewer")
    response = client.post("me/tokens", {"name": "报表同步"})
    assert response.status_code == 201
    key = response.json()["key"]
    assert key.startswith("rh_") and response.json()["hint"] == key[:8]
    assert ApiClient(key).get("me").json()["username"] == "viewer"
    listed = client.get("me/tokens").json()["items"]
    assert all("key" not in t for t in listed)
    assert {t["name"] for t in listed} >= {"报表同步"}
    assert AuditEntry.objects.filter(action="api_token.create", actor=personas.viewer).exists()


def test_a_token_can_expire(org, as_user):
    expires = timezone.now() + dt.timedelta(days=30)
    response = as_user("viewer").post("me/tokens", {"name": "短期", "expires_at": expires.isoformat()})
    assert response.status_code == 201 and response.json()["active"] is True
    past = as_user("viewer").post("me/tokens", {"expires_at": "2000-01-01T00:00:00Z"})
    assert past.status_code == 422 and "expires_at" in past.json()["details"]


def test_i_can_revoke_my_own_token_and_it_stops_working(org, personas):
    key = token_for(personas.viewer)
    other = ApiClient(token_for(personas.viewer))
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert other.delete(f"me/tokens/{token.pk}").status_code == 204
    assert ApiClient(key).get("me").status_code == 401
    listed = {t["id"]: t for t in other.get("me/tokens").json()["items"]}
    assert listed[token.pk]["active"] is False and listed[token.pk]["revoked_at"]
    assert other.delete(f"me/tokens/{token.pk}").status_code == 204


def test_nobody_sees_or_revokes_anyone_elses_token(org, personas, as_user):
    key = token_for(personas.plant_admin)
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    viewer = as_user("viewer")
    assert token.pk not in {t["id"] for t in viewer.get("me/tokens").json()["items"]}
    assert viewer.delete(f"me/tokens/{token.pk}").status_code == 404
    assert ApiClient(key).get("me").status_code == 200


def test_roles_are_listed_over_what_one_manages(org, personas, as_user):
    f.grant(personas.outsider, f.ROLE.VIEWER, org.area)
    f.grant(personas.outsider, f.ROLE.VIEWER, org.area2)
    items = as_user("plant_admin").get("roles").json()["items"]
    assert {(i["user"], i["unit"]) for i in items} == {("plantadmin", "CY1"), ("outsider", "CY1-A1")}
    assert as_user("plant_admin").get("roles", user="outsider").json()["count"] == 1
    assert as_user("viewer").get("roles").json()["count"] == 0
    assert as_user("superuser").get("roles", unit="CY2-A1").json()["count"] == 1


def test_a_plant_admin_grants_a_role_within_the_plant(org, personas, as_user):
    response = as_user("plant_admin").post("roles", {"user": "outsider", "role": "viewer", "unit": "CY1-A1",
                                                     "include_subtree": False})
    assert response.status_code == 201, response.content
    assert response.json()["granted_by"] == "plantadmin" and response.json()["include_subtree"] is False
    units = as_user("outsider").get("units").json()["items"]
    assert [u["code"] for u in units] == ["CY1-A1"]


def test_roles_cannot_be_granted_outside_ones_scope(org, personas, as_user):
    client = as_user("plant_admin")
    response = client.post("roles", {"user": "outsider", "role": "admin", "unit": "CY2"})
    assert response.status_code == 422 and "unit" in response.json()["details"]
    response = client.post("roles", {"user": "outsider", "role": "admin", "party_org": "P-CY2-B1"})
    assert response.status_code == 422 and "party_org" in response.json()["details"]
    response = client.post("roles", {"user": "outsider", "role": "admin", "unit": "CY1", "party_org": "P-CY1"})
    assert response.status_code == 422
    response = client.post("roles", {"user": "nobody", "role": "admin", "unit": "CY1"})
    assert response.status_code == 422 and "user" in response.json()["details"]
    assert not RoleAssignment.objects.filter(user=personas.outsider).exists()


def test_those_who_manage_no_roles_are_refused(org, as_user):
    for name in ("viewer", "secretary"):
        response = as_user(name).post("roles", {"user": "outsider", "role": "viewer", "party_org": "P-CY2-B1"})
        assert response.status_code == 403, name


def test_revoking_a_role(org, personas, as_user):
    assignment = f.grant(personas.outsider, f.ROLE.VIEWER, org.area)
    outside = f.grant(personas.outsider, f.ROLE.VIEWER, org.area2)
    client = as_user("plant_admin")
    assert client.delete(f"roles/{outside.pk}").status_code == 404
    assert client.delete(f"roles/{assignment.pk}").status_code == 204
    assert list(RoleAssignment.objects.filter(user=personas.outsider)) == [outside]
    assert AuditEntry.objects.filter(action="role.revoke", actor=personas.plant_admin).exists()
    assert as_user("viewer").delete(f"roles/{outside.pk}").status_code == 403
