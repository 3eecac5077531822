"""The REST API: one NinjaAPI under /api/v1/ that mounts each app's router. Session and
bearer-token auth; the same services, selectors and scope as the pages; errors as JSON."""
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from ronghe.accounts.api import me_router, roles_router
from ronghe.accounts.services import api_token_authenticate
from ronghe.core.api import router as audit_router
from ronghe.core.api_support import ApiError, request_error_details, service_error_details
from ronghe.core.errors import OutOfScope
from ronghe.core.modules import contributions, load
from ronghe.org.api import party_orgs_router, people_router, units_router

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal token (see /me/tokens)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The browser's login session. Unsafe methods need the CSRF token (X-CSRFToken header).
    Without a login the check is skipped, so that an anonymous caller is told 401, not 403."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, "csrf_failed", _("CSRF check failed: send the X-CSRFToken header."))
        return request.user


DESCRIPTION = """
融合 Ronghe: the organisation (units 单位, Party organisations 党组织, people 人员), its dated
history, role assignments and the audit trail.

**Authentication.** Send a personal token as `Authorization: Bearer <token>` (create one under
`POST /api/v1/me/tokens` or with `manage.py create_api_token USERNAME`), or use the browser's
login session; with a session, unsafe methods need the `X-CSRFToken` header.

**Scope.** Every answer is limited to what your roles cover: anything outside your scope answers
404, as if it did not exist. Mobile numbers and dates of birth are masked unless you may see
that person's personal data.

**Errors** are JSON: `{"code": ..., "message": ..., "details": {field: [messages]}}`.

**As of.** `as_of=YYYY-MM-DD` on unit and Party organisation reads shows the trees as they stood
on that date.
"""

api = NinjaAPI(
    title="Ronghe API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_extra={"tags": [
        {"name": "units", "description": "Administrative units and headquarters departments (单位/部门), dated."},
        {"name": "party-orgs", "description": "Party organisations (党组织: 党委, 党总支, 党支部, 党小组), dated."},
        {"name": "people", "description": "Employees and their Party membership (人员, 党员)."},
        {"name": "audit", "description": "Who changed what, when, before and after (审计日志)."},
        {"name": "me", "description": "The authenticated user and their personal API tokens (当前用户, 令牌)."},
        {"name": "roles", "description": "Scoped role assignments (角色授权)."},
        *({"name": r.tag, "description": r.description} for r in contributions("api_routers")),
    ]},
    openapi_url="/openapi.json",
)

api.add_router("/units", units_router)
api.add_router("/party-orgs", party_orgs_router)
api.add_router("/people", people_router)
api.add_router("/audit", audit_router)
api.add_router("/me", me_router)
api.add_router("/roles", roles_router)
for contributed in contributions("api_routers"):
    api.add_router(contributed.prefix, load(contributed.router))


def _error(request, code, message, status, details=None):
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "not_allowed",
              409: "conflict", 422: "invalid", 429: "throttled"}


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, "unauthorized", _("Authentication required."), 401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, "not_found", _("Not found."), 404)


@api.exception_handler(OutOfScope)
def on_out_of_scope(request, exc):
    return on_not_found(request, exc)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, "forbidden", _("You do not have permission to do this."), 403)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return _error(request, "invalid", _("The request is not valid."), 422, request_error_details(exc.errors))


@api.exception_handler(DjangoValidationError)
def on_service_validation_error(request, exc):
    details = service_error_details(exc)
    first = next((messages[0] for messages in details.values() if messages), _("The request is not valid."))
    return _error(request, "invalid", first, 422, details)


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return _error(request, exc.code, exc.message, exc.status_code, exc.details)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _error(request, HTTP_CODES.get(exc.status_code, "error"), str(exc), exc.status_code)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    return _error(request, "server_error", _("Something went wrong on the server."), 500)


def unknown_endpoint(request, rest=""):
    """Paths under /api/ that match no operation answer in JSON like every API error."""
    return JsonResponse({"code": "not_found", "message": _("No such API endpoint.")}, status=404)


def urls():
    """The API's URL patterns, as `path("api/v1/", urls())` takes them. Ninja lists every
    operation's path in one flat list, which Django tries in order: about 180 patterns, a third
    of a millisecond of every request to a router mounted late. Grouped under their first
    segment ("production/", "tasks/", ...) a path is found among a few dozen prefixes and then
    its routers' own paths. Names and namespace are Ninja's."""
    patterns, app_name, namespace = api.urls
    direct, groups = [], {}
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        if slash and rest and "<" not in head:
            groups.setdefault(head, []).append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
        else:
            direct.append(pattern)
    return [*direct, *(path(f"{head}/", include(group)) for head, group in groups.items())], app_name, namespace
