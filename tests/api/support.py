"""A JSON client for the API with a bearer token; shared by the API tests, the permission
matrix and the query-count tests."""
import json

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


def token_for(user, **kwargs):
    _token, key = account_services.api_token_create(actor=user, user=user, **kwargs)
    return key
