"""The REST API: one NinjaAPI under /api/v1/ that mounts each app's router. Session and
bearer-token auth; the same services, selectors and scope as the pages; errors as JSON."""
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from ronghe.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Ronghe API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, code, message, status, details=None):
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, "unauthorized", _("Authentication required."), 401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, "not_found", _("Not found."), 404)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return _error(request, "invalid", _("The request is not valid."), 422, exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _error(request, getattr(exc, "code", "error"), str(exc), exc.status_code)
