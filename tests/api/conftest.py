"""An API client that speaks JSON with a bearer token, and tokens for the shared personas."""
import json

import pytest
from django.test import Client

from ronghe.accounts import services as account_services

API = "/api/v1"


class ApiClient:
    def __init__(self, key=None, client=None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _send(self, method, path, data=None, **params):
        url = path if path.startswith("/") else f"{API}/{path}"
        kwargs = {"headers": self.headers}
        if method == "get":
            return self.client.get(url, params, **kwargs)
        if data is not None:
            kwargs.update(data=json.dumps(data, default=str), content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, data=None):
        return self._send("post", path, data if data is not None else {})

    def patch(self, path, data=None):
        return self._send("patch", path, data if data is not None else {})

    def delete(self, path):
        return self._send("delete", path)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are never typed here; hashing them properly only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token_for(user, **kwargs):
    _token, key = account_services.api_token_create(actor=user, user=user, **kwargs)
    return key


@pytest.fixture
def as_user(personas):
    """as_user("plant_admin") -> an ApiClient authenticated with that persona's own token."""
    def make(name):
        return ApiClient(token_for(getattr(personas, name)))
    return make


@pytest.fixture
def anonymous():
    return ApiClient()
