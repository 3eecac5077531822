import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from ronghe.accounts import services as account_services
from ronghe.accounts.models import ApiToken, User
from ronghe.org.models import Unit
from tests.api.support import API, ApiClient, token_for

NEW_UNIT = {"code": "CY1-NEW", "name": "新作业区", "parent": "CY1", "level": "section"}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    return body


# --- anonymous -----------------------------------------------------------------------------------

def test_an_anonymous_caller_is_told_401_in_json(org, anonymous):
    assert_error(anonymous.get("units"), 401, "unauthorized")
    assert_error(anonymous.post("units", NEW_UNIT), 401, "unauthorized")
    assert not Unit.objects.filter(code="CY1-NEW").exists()


def test_anonymous_callers_may_read_the_schema_and_the_docs(db, anonymous):
    assert anonymous.get("openapi.json").status_code == 200
    assert anonymous.get("docs").status_code == 200


# --- bearer tokens -------------------------------------------------------------------------------

def test_a_valid_bearer_token_authenticates_its_owner(org, personas):
    response = ApiClient(token_for(personas.plant_admin)).get("me")
    assert response.status_code == 200
    assert response.json()["username"] == "plantadmin"


def test_using_a_token_records_when_it_was_last_used(org, personas):
    key = token_for(personas.viewer)
    ApiClient(key).get("me")
    assert ApiToken.objects.get(key_hash=ApiToken.hash(key)).last_used_at is not None


def test_the_user_a_token_authenticates_is_the_one_the_orm_reads(org, personas):
    personas.superuser.last_login = timezone.now()
    personas.superuser.save(update_fields=["last_login"])
    user = account_services.api_token_authenticate(token_for(personas.superuser))
    stored = User.objects.get(pk=personas.superuser.pk)
    for field in User._meta.concrete_fields:
        mine, theirs = getattr(user, field.attname), getattr(stored, field.attname)
        assert (type(mine), mine) == (type(theirs), theirs), field.name
    assert user.is_superuser is True and user.is_active is True and not user._state.adding


def test_a_token_s_last_use_is_written_at_most_once_in_five_minutes(org, personas):
    key = token_for(personas.viewer)
    ApiClient(key).get("me")
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    recent = token.last_used_at - dt.timedelta(minutes=4)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    ApiClient(key).get("me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent - dt.timedelta(minutes=2))
    ApiClient(key).get("me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > recent


def test_the_token_of_a_deactivated_user_is_refused(org, personas):
    key = token_for(personas.viewer)
    personas.viewer.is_active = False
    personas.viewer.save(update_fields=["is_active"])
    assert_error(ApiClient(key).get("units"), 401, "unauthorized")


def test_a_revoked_token_is_refused(org, personas):
    token, key = account_services.api_token_create(actor=personas.viewer, user=personas.viewer)
    account_services.api_token_revoke(actor=personas.viewer, token=token)
    assert_error(ApiClient(key).get("units"), 401, "unauthorized")


def test_an_expired_token_is_refused(org, personas):
    key = token_for(personas.viewer, expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(ApiClient(key).get("units"), 401, "unauthorized")


def test_a_token_that_has_not_expired_yet_works(org, personas):
    key = token_for(personas.viewer, expires_at=timezone.now() + dt.timedelta(days=1))
    assert ApiClient(key).get("units").status_code == 200


@pytest.mark.parametrize("header", [
    "Bearer rh_not-a-real-token",
    "Bearer not-even-our-prefix",
    "Bearer ",
    "Token {key}",
    "{key}",
])
def test_a_wrong_or_malformed_token_is_refused(org, personas, header):
    key = token_for(personas.viewer)
    client = Client()
    response = client.get(f"{API}/units", headers={"Authorization": header.format(key=key)})
    assert_error(response, 401, "unauthorized")


def test_a_token_of_a_deactivated_user_is_refused(org, personas):
    key = token_for(personas.viewer)
    personas.viewer.is_active = False
    personas.viewer.save(update_fields=["is_active"])
    assert_error(ApiClient(key).get("units"), 401, "unauthorized")


def test_a_token_writes_without_any_csrf_token(org, personas):
    client = ApiClient(token_for(personas.plant_admin), client=Client(enforce_csrf_checks=True))
    assert client.post("units", NEW_UNIT).status_code == 201


# --- browser session -----------------------------------------------------------------------------

@pytest.fixture
def browser(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.plant_admin)
    return client


def test_the_browser_session_reads_without_a_csrf_token(org, browser):
    response = browser.get(f"{API}/units")
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["items"]} == {"CY1", "CY1-A1", "CY1-A1-T1"}


def test_the_browser_session_needs_the_csrf_token_to_write(org, browser):
    response = browser.post(f"{API}/units", json.dumps(NEW_UNIT), content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    assert not Unit.objects.filter(code="CY1-NEW").exists()


def test_the_browser_session_writes_with_the_csrf_token_the_docs_page_hands_out(org, browser):
    docs = browser.get(f"{API}/docs")
    token = re.search(r'data-csrf-token="([^"]+)"', docs.content.decode()).group(1)
    response = browser.post(f"{API}/units", json.dumps(NEW_UNIT), content_type="application/json",
                            headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    assert Unit.objects.filter(code="CY1-NEW").exists()


def test_a_logged_out_session_is_told_401_not_a_csrf_error(org, personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/units", json.dumps(NEW_UNIT), content_type="application/json")
    assert_error(response, 401, "unauthorized")


# --- errors --------------------------------------------------------------------------------------

def test_an_unknown_code_is_a_404_in_json(org, as_user):
    assert_error(as_user("superuser").get("units/NO-SUCH"), 404, "not_found")


def test_a_malformed_as_of_is_a_422_naming_the_parameter(org, as_user):
    body = assert_error(as_user("superuser").get("units", as_of="2024-13-01"), 422, "invalid")
    assert list(body["details"]) == ["as_of"]


def test_a_request_that_does_not_fit_the_schema_is_a_422_with_field_details(org, as_user):
    client = as_user("superuser")
    body = assert_error(client.get("units", page_size=501), 422, "invalid")
    assert "page_size" in body["details"]
    body = assert_error(client.post("units", {"code": "X1"}), 422, "invalid")
    assert "name" in body["details"]
    body = assert_error(client.post("units", {**NEW_UNIT, "level": "galactic"}), 422, "invalid")
    assert "level" in body["details"]


def test_a_service_validation_error_is_a_422_with_the_services_message(org, as_user):
    body = assert_error(as_user("superuser").post("units", {**NEW_UNIT, "code": "CY2"}), 422, "invalid")
    assert "code" in body["details"]
    assert body["message"] == body["details"]["code"][0]


def test_a_viewer_is_told_403_when_trying_to_write(org, as_user):
    assert_error(as_user("viewer").post("units", NEW_UNIT), 403, "forbidden")


# --- documentation -------------------------------------------------------------------------------

def test_the_docs_page_works_offline(db, anonymous):
    response = anonymous.get("docs")
    html = response.content.decode()
    assert response.status_code == 200
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    for ref in references:
        assert not re.match(r"^(https?:)?//", ref), f"the docs page loads {ref} from another host"
        assert ref.startswith(settings.STATIC_URL)
        assert finders.find(ref.removeprefix(settings.STATIC_URL)), f"{ref} is not among our static files"
    assert not re.search(r"https?://", html), "the docs page names another host"
    swagger_settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))
    assert swagger_settings["validatorUrl"] is None
    assert swagger_settings["url"] == f"{API}/openapi.json"


def test_the_swagger_bundle_is_served_from_our_own_static_files(db):
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(name), name


def test_the_schema_documents_every_operation(db, anonymous):
    schema = anonymous.get("openapi.json").json()
    operation_ids = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            operation_ids.append(op.get("operationId"))
            assert op.get("operationId"), where
            assert op.get("summary") and op.get("description"), where
            assert op.get("tags"), where
            for param in op.get("parameters", []):
                assert param.get("description"), f"{where}: parameter {param['name']}"
            assert any(status.startswith("2") for status in op["responses"]), where
            assert "401" in op["responses"], where
    assert len(operation_ids) == len(set(operation_ids))
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field}"
    assert {tag["name"] for tag in schema["tags"]} >= {"units", "party-orgs", "people", "audit", "me", "roles"}


def test_the_schema_declares_both_ways_to_authenticate(db, anonymous):
    schemes = anonymous.get("openapi.json").json()["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
